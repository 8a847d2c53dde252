//! What became of the request with the user's sign-in details, in words: accepted, refused, let
//! in but forbidden, never passed on to the application, asked again by a second sign-in.

use crate::engine::cache;
use crate::engine::challenge::{Challenge, bearer_error_findings};
use crate::engine::credentials::{self, CredentialResult, Outcome};
use crate::engine::finding::{Code, Finding};
use crate::engine::probe::{Exchange, status_meaning};

/// The findings of the credential test, from what became of the signed-in request.
pub(super) fn credential_findings(result: &CredentialResult, first: &Exchange) -> Vec<Finding> {
    let mut out = Vec::new();
    let answer = result.answer.as_ref();
    let answer_challenges = answer.map(Exchange::challenges).unwrap_or_default();
    let token = credentials::is_token_scheme(&result.scheme);
    let what = if token {
        "token"
    } else {
        "user name and password"
    };
    let scheme = &result.scheme;
    let status = result.status;
    let end = if result.final_url.is_empty() || result.final_url == result.url {
        String::new()
    } else {
        format!(" (after following the site to {})", result.final_url)
    };
    let base = |f: Finding| {
        let mut f = f
            .evidence("Scheme", scheme.clone())
            .evidence("Status with your sign-in", status.to_string());
        if !end.is_empty() {
            f = f.evidence("Signed-in request ended at", result.final_url.clone());
        }
        if result.scheme_assumed {
            f = f.evidence(
                "Sent as",
                format!("{scheme}, because the site's 401 named no sign-in method to answer with"),
            );
        }
        if result.retried_stale_nonce {
            f = f.evidence(
                "Digest",
                "the first try was refused as stale and retried with a fresh nonce",
            );
        }
        f
    };
    match result.outcome {
        Outcome::Accepted => out.push(base(
            Finding::new(
                Code::CredentialsAccepted,
                format!(
                    "AuthDoctor signed in with your {what} ({scheme} sign-in) and the site \
                     answered {status}{end}: {} The site accepts your {what}, so the 401 your \
                     browser shows comes from what the browser sends: a saved old password, \
                     stale cookies, or an extension that changes requests.",
                    status_meaning(status)
                ),
            )
            .title(if token {
                "Your token works: the site lets you in".to_owned()
            } else {
                Code::CredentialsAccepted.text().title
            }),
        )),
        Outcome::Rejected => {
            let mut f = base(Finding::new(
                Code::CredentialsRejected,
                format!(
                    "AuthDoctor answered the site's own {scheme} challenge with your {what}, and \
                     the site said {status} again, asking for the same sign-in: it does not \
                     accept them."
                ),
            ));
            if token && credentials::answered_as_if_nothing_was_sent(result, first) {
                f = f.evidence(
                    "Answer",
                    "the same as for a request without a token: either the site refuses this \
                     token without saying why, or the token never reached the application",
                );
            }
            if token {
                "AuthDoctor sent your token in exactly the way the site asked for, and the \
                 site refused it: the token is wrong, expired, revoked, or meant for another \
                 site or API."
                    .clone_into(&mut f.explanation);
                f = f.title("The site does not accept this token").steps([
                    "Check that the whole token was copied, without spaces or line breaks.",
                    "Get a new token from where it was issued (sign out and in again in the app, or create a new API token in the service's settings).",
                    "Check that the token is meant for this site or API, not another one.",
                    "If you run the site and the token is right, check that the web server passes the Authorization header on to the application.",
                ]);
            }
            out.push(f);
        }
        Outcome::Forbidden => {
            let scope = answer_challenges.challenges.iter().any(|c| {
                c.param("error")
                    .is_some_and(|e| e.eq_ignore_ascii_case("insufficient_scope"))
            });
            if !scope {
                out.push(base(Finding::new(
                    Code::SignedInButForbidden,
                    format!(
                        "The site took your {what}: with them the answer changed from 401 to \
                         403 Forbidden{end}. The sign-in works; this account is not allowed to \
                         open the page."
                    ),
                )));
            }
        }
        Outcome::ServerError => out.push(base(Finding::new(
            Code::ServerErrorAfterSignIn,
            format!(
                "Without a sign-in the site answers {} as expected, but with your {what} it \
                 answered {status}{end}: {} The part of the server that checks the sign-in is \
                 failing.",
                first.status,
                status_meaning(status)
            ),
        ))),
        Outcome::AnotherSignIn => {
            let first_asked = describe_challenges(&first.challenges().challenges);
            let then_asked = describe_challenges(&answer_challenges.challenges);
            out.push(
                base(Finding::new(
                    Code::SecondSignInLayer,
                    format!(
                        "Your {what} got past the first sign-in ({first_asked}), and then \
                         another one asked again ({then_asked}){end}. AuthDoctor did not send \
                         your details to the second one: it is a different protected area, \
                         like the second sign-in box a browser would show."
                    ),
                ))
                .evidence("First sign-in", first_asked)
                .evidence("Second sign-in", then_asked),
            );
        }
        Outcome::NotPassed => out.push(not_passed_finding(result, first, what)),
        Outcome::ServedFromCache => {
            if let Some(last) = answer {
                let stored = cache::analyze(last, true).findings.into_iter();
                out.extend(stored.filter(|f| f.code == Code::Cached401).map(|f| {
                    f.evidence(
                        "With your sign-in",
                        "the signed-in request got the same stored 401: the site never saw \
                         your details",
                    )
                }));
            }
        }
        Outcome::LeftSite => out.push(
            Finding::new(
                Code::CredentialsUntested,
                format!(
                    "With your {what} the site sent the request on to another site ({}). \
                     AuthDoctor does not take your details to another site, so it cannot say \
                     whether they work there.",
                    result.failure.as_deref().unwrap_or("another address")
                ),
            )
            .evidence("Status with your sign-in", status.to_string()),
        ),
        Outcome::ProxyAsked => out.push(base(Finding::new(
            Code::ProxyAuthRequired,
            format!(
                "With your {what}, the answer was 407: a proxy between this computer and the \
                 site wants its own sign-in before the site sees yours."
            ),
        ))),
        Outcome::NoAnswer => out.push(Finding::new(
            Code::CredentialsUntested,
            format!(
                "The request with your {what} got no answer: {}.",
                result.failure.as_deref().unwrap_or("the connection failed")
            ),
        )),
    }
    if result.outcome != Outcome::Accepted {
        out.extend(bearer_error_findings(&answer_challenges.challenges));
    }
    out
}

fn describe_challenges(challenges: &[Challenge]) -> String {
    let Some(first) = challenges.first() else {
        return "no sign-in method named".to_owned();
    };
    match first.realm() {
        Some(realm) => format!("{} for \"{realm}\"", first.scheme),
        None => first.scheme.clone(),
    }
}

/// `authorization-not-passed`, with the setting that passes the header on for the server that
/// answered.
fn not_passed_finding(result: &CredentialResult, first: &Exchange, what: &str) -> Finding {
    let answer = result.answer.as_ref().unwrap_or(first);
    let server = answer
        .header("server")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let powered = answer.header("x-powered-by").unwrap_or_default().to_owned();
    let apache = "In Apache, add `CGIPassAuth On` to the site's .htaccess file (or its <Directory> \
                  block; Apache 2.4.13 or newer). On older Apache, add `SetEnvIf Authorization \
                  \"(.*)\" HTTP_AUTHORIZATION=$1` instead.";
    let nginx = "In nginx, in the location that hands requests to PHP, add `fastcgi_param \
                 HTTP_AUTHORIZATION $http_authorization;` (for an application behind \
                 proxy_pass: `proxy_set_header Authorization $http_authorization;`), then reload \
                 nginx.";
    let litespeed = "In LiteSpeed, add these lines to the site's .htaccess file: `RewriteEngine \
                     On` and `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]`.";
    let panels = "On Plesk, add the Apache line under Apache & nginx Settings → Additional \
                  directives; on cPanel, add it to the .htaccess file in the site's folder.";
    let steps: Vec<&str> = if server.contains("litespeed") {
        vec![litespeed, panels]
    } else if server.contains("nginx") {
        vec![nginx]
    } else if server.contains("apache") {
        vec![apache, panels]
    } else {
        vec![apache, nginx, litespeed]
    };
    let mut f = Finding::new(
        Code::AuthorizationNotPassed,
        format!(
            "AuthDoctor sent your {what} ({} sign-in), and the answer was the one the site gives \
             when nothing was sent at all: the application behind the web server never saw \
             them. This is a setting of the server, not a wrong {what}.",
            result.scheme
        ),
    )
    .steps(steps)
    .first_step("If you do not run the site, send this finding to the person who does: the fix is on the server.")
    .evidence("Status with your sign-in", result.status.to_string())
    .evidence("Status without", first.status.to_string());
    if !server.is_empty() {
        f = f.evidence(
            "Server",
            answer.header("server").unwrap_or_default().to_owned(),
        );
    }
    if !powered.is_empty() {
        f = f.evidence("X-Powered-By", powered);
    }
    f
}
