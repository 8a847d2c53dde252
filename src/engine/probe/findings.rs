//! The wording of what a request ran into: why no answer came (names, connections, TLS
//! certificates, time limits, redirects) and what the answer's status means.

use url::Url;

use super::{Failure, MAX_HOPS, Probe, Purpose, TlsProblem};
use crate::engine::challenge::{ParsedChallenges, challenge_findings, scheme_list};
use crate::engine::exchange::Exchange;
use crate::engine::finding::{Code, Finding, Severity};

pub(crate) fn failure_finding(failure: &Failure, start: &Url, probe: &Probe) -> Finding {
    // The request that failed: after redirects, the last hop's Location, not the start.
    let url = probe
        .hops
        .last()
        .and_then(|hop| {
            let location = hop.location.as_deref()?;
            Url::parse(&hop.url).ok()?.join(location).ok()
        })
        .unwrap_or_else(|| start.clone());
    let url = &url;
    let host = url.host_str().unwrap_or_default().to_owned();
    match failure {
        Failure::Dns { host, detail } => Finding::new(
            Code::DnsFailure,
            format!(
                "The name {host} could not be found. Either the address has a typo, the domain \
                 has expired or was never set up, or this computer cannot reach its DNS server \
                 (the internet's phone book)."
            ),
        )
        .evidence("Host", host.clone())
        .evidence("Resolver said", detail.clone()),
        Failure::Connection { detail } => {
            let refused = detail.to_ascii_lowercase().contains("refused");
            let what = if refused {
                format!(
                    "{host} was found, but nothing answered on port {}: the connection was \
                     refused. The web server is stopped, or it listens on another port.",
                    url.port_or_known_default().unwrap_or_default()
                )
            } else {
                format!(
                    "The connection to {host} failed before the site could answer. The server \
                     closed or reset the connection, or sent something that is not a valid web \
                     answer."
                )
            };
            Finding::new(Code::ConnectionFailed, what)
                .evidence("Address", url.to_string())
                .evidence("Error", detail.clone())
        }
        Failure::Tls { problem, detail } => tls_finding(*problem, &host, detail),
        Failure::Timeout { secs } => Finding::new(
            Code::Timeout,
            format!(
                "{host} did not answer within {}. The server is overloaded, a \
                 firewall silently drops the connection, or the site is down.",
                crate::engine::time::span_text(*secs)
            ),
        )
        .evidence("Time limit", format!("{secs} s")),
        Failure::TooManyRedirects { hops } => {
            let looped = probe
                .hops
                .iter()
                .enumerate()
                .any(|(i, h)| probe.hops.iter().skip(i + 1).any(|o| o.url == h.url));
            let detail = if looped {
                format!(
                    "The site sends the browser round in a circle: after {hops} redirects it \
                     was back at an address it had already visited. Browsers give up with \
                     \"too many redirects\". This is a setting on the site (often http-to-https \
                     and www-to-non-www rules fighting each other, or a login page that redirects \
                     to itself because a cookie is not kept)."
                )
            } else {
                format!(
                    "The site redirected {hops} times without reaching a page; AuthDoctor stops \
                     after {MAX_HOPS}, as browsers do after about 20."
                )
            };
            let mut f = Finding::new(Code::TooManyRedirects, detail);
            for h in probe.hops.iter().take(12) {
                f = f.evidence(
                    format!("{} {}", h.status, h.url),
                    h.location.clone().unwrap_or_default(),
                );
            }
            f
        }
        Failure::DeadlineReached {
            secs,
            url,
            waited_ms,
        } => deadline_finding(*secs, url, *waited_ms, Purpose::AsBrowser, None),
        Failure::LeftOrigin { url } => Finding::new(
            Code::CredentialsUntested,
            format!("The site sent the request on to {url}, which was not followed."),
        ),
        Failure::RedirectToInternal { url } => Finding::new(
            Code::BadRedirect,
            format!(
                "The site redirected to {url}, an address on this computer or on a private \
                 network, not on the internet. AuthDoctor does not follow a public site there: \
                 a site should never send visitors into their own network. If you run the site, \
                 its address setting or a redirect rule names an internal address."
            ),
        )
        .title("The site redirects into a private network")
        .evidence("Redirect to", url.clone()),
        Failure::BadRedirect { location } => Finding::new(
            Code::BadRedirect,
            format!(
                "The site redirected to \"{location}\", which is not a web address a browser \
                 can follow."
            ),
        )
        .evidence("Location", location.clone()),
    }
}

fn tls_finding(problem: TlsProblem, host: &str, detail: &str) -> Finding {
    let (title, what) = match problem {
        TlsProblem::Expired => (
            "The site's security certificate has expired",
            format!(
                "The certificate that proves {host} is genuine is past its end date, so \
                 browsers refuse the secure connection before any sign-in can happen."
            ),
        ),
        TlsProblem::NotYetValid => (
            "The site's certificate is not valid yet — or this computer's clock is wrong",
            format!(
                "The certificate of {host} starts in the future. Usually this computer's date \
                 and time are wrong; check them first."
            ),
        ),
        TlsProblem::Untrusted => (
            "The site's certificate is not trusted (self-signed or private)",
            format!(
                "{host} presented a certificate that no trusted authority signed. That is \
                 normal for test servers and company-internal sites, and a warning sign \
                 otherwise."
            ),
        ),
        TlsProblem::WrongName => (
            "The site's certificate is for a different name",
            format!(
                "{host} presented a certificate issued for another name, as if the address \
                 points at the wrong server, or the certificate does not list this name."
            ),
        ),
        TlsProblem::Revoked => (
            "The site's certificate was revoked",
            format!("The authority that issued {host}'s certificate has withdrawn it."),
        ),
        TlsProblem::Other => (
            "The secure connection failed",
            format!("The secure (https) connection to {host} could not be set up."),
        ),
    };
    Finding::new(Code::TlsError, what)
        .title(title)
        .evidence("TLS error", detail.to_owned())
}

pub(crate) fn deadline_finding(
    secs: u64,
    url: &str,
    waited_ms: u64,
    purpose: Purpose,
    slowest_ms: Option<u64>,
) -> Finding {
    let which = match purpose {
        Purpose::SignedIn | Purpose::SignedInRetry => "the request with your sign-in details",
        Purpose::AsBrowser | Purpose::SchemeFallback => "the request for the page itself",
        _ => "a follow-up request",
    };
    // A request sent just before the limit has hardly waited: the site's pace shows in the
    // answers that came before it.
    let waited = if waited_ms >= 1000 {
        format!(" after {} of waiting", duration_text(waited_ms))
    } else {
        String::new()
    };
    let pace = match slowest_ms {
        Some(ms) if ms >= 1000 => format!(
            " Before it, the site took up to {} for each answer.",
            duration_text(ms)
        ),
        Some(_) => String::new(),
        None => " The site answered none of the check's requests in that time.".to_owned(),
    };
    let mut finding = Finding::new(
        Code::CheckDeadlineReached,
        format!(
            "AuthDoctor stops a check after {}, and {which} ({url}) had still not been \
             answered{waited}.{pace} What is shown is what was found before that. A site this \
             slow makes browsers give up too, which can look like a sign-in problem.",
            crate::engine::time::span_text(secs)
        ),
    )
    .evidence("Request not finished", url.to_owned())
    .evidence("Waited", format!("{waited_ms} ms"))
    .evidence("Time limit of the check", format!("{secs} s"));
    if let Some(ms) = slowest_ms {
        finding = finding.evidence("Slowest answer before it", format!("{ms} ms"));
    }
    finding
}

/// A time in words: "0.9 seconds", "14.5 seconds", "2 minutes 5 seconds".
fn duration_text(ms: u64) -> String {
    if ms < 60_000 {
        let tenths = (ms + 50) / 100;
        if tenths % 10 == 0 {
            let whole = tenths / 10;
            format!("{whole} {}", if whole == 1 { "second" } else { "seconds" })
        } else {
            format!("{}.{} seconds", tenths / 10, tenths % 10)
        }
    } else {
        crate::engine::time::span_text(ms / 1000)
    }
}

/// Plain words for an HTTP status, for the big status display and the findings.
#[must_use]
pub fn status_meaning(status: u16) -> &'static str {
    match status {
        200..=206 => "The page opened normally.",
        301 | 302 | 303 | 307 | 308 => "The site sent the browser to another address.",
        304 => "The browser's saved copy is still current.",
        400 => "Bad request: the server did not understand what was sent.",
        401 => "Unauthorized: the site wants you to sign in (or did not accept the sign-in).",
        403 => {
            "Forbidden: the server refuses this page to you. Unlike 401, signing in again will \
             not help: it is a permission or firewall rule."
        }
        404 => "Not found: there is no page at this address. Check the path for typos.",
        405 => "Method not allowed: the page exists but does not accept this kind of request.",
        407 => {
            "Proxy authentication required: a proxy on your network (not the site) wants a \
             sign-in."
        }
        408 => "Request timeout: the server gave up waiting for the request.",
        410 => "Gone: the page was removed on purpose.",
        429 => "Too many requests: the server is limiting how often you may try.",
        500 => "Internal server error: the site itself has a fault.",
        502 => "Bad gateway: a server in front of the site got no good answer from it.",
        503 => "Service unavailable: the site is down or overloaded for now.",
        504 => "Gateway timeout: a server in front of the site waited too long for it.",
        _ => match status / 100 {
            1 => "An interim answer.",
            3 => "A redirect.",
            4 => "The server refused the request.",
            _ => "The server has a problem.",
        },
    }
}

pub(crate) fn answer_findings(
    last: &Exchange,
    url: &Url,
    www: &ParsedChallenges,
    proxy: &ParsedChallenges,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let header_lines =
        |name: &str| -> String { last.headers_named(name).collect::<Vec<_>>().join("\n") };
    match last.status {
        401 => {
            out.extend(challenge_findings(
                www,
                &header_lines("www-authenticate"),
                url,
            ));
        }
        407 => {
            let schemes = scheme_list(&proxy.challenges);
            out.push(
                Finding::new(
                    Code::ProxyAuthRequired,
                    format!(
                        "The answer 407 comes from a proxy: a gateway on your network between \
                         this computer and the site, not the site itself. It asks for a \
                         sign-in{}.",
                        if schemes.is_empty() {
                            String::new()
                        } else {
                            format!(" using {schemes}")
                        }
                    ),
                )
                .evidence("Status", "407")
                .evidence("Proxy-Authenticate", header_lines("proxy-authenticate")),
            );
        }
        status => {
            let severity = match status {
                200..=299 => Severity::Ok,
                300..=399 => Severity::Warning,
                _ => Severity::Problem,
            };
            let detail = match status {
                200..=299 => format!(
                    "From this computer the address answers {status}, not 401: {} If your \
                     browser still shows 401, the cause is in the browser (stale cookies, a \
                     cached error page) or depends on where you connect from.",
                    status_meaning(status)
                ),
                403 => format!(
                    "The address answers 403, not 401. {} Look for a security plugin, \
                     firewall or IP rule, or ask the site's administrator for access.",
                    status_meaning(status)
                ),
                404 => format!(
                    "The address answers 404, not 401. {} A wrong path is often mistaken for \
                     a sign-in problem.",
                    status_meaning(status)
                ),
                _ => format!(
                    "The address answers {status}, not 401. {}",
                    status_meaning(status)
                ),
            };
            out.push(
                Finding::new(Code::NotUnauthorized, detail)
                    .title(format!("The site answers {status}, not 401"))
                    .severity(severity)
                    .evidence("Status", status.to_string()),
            );
        }
    }
    out
}
