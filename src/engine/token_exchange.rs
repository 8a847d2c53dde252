//! A registry-style token exchange (the Docker registry's token authentication, also used by
//! GitLab, Harbor, Quay and GHCR): the 401 carries a Bearer challenge with `realm`, `service`
//! and `scope`, and a client first trades the user's name and password at the realm for a token.
//! With the user's details this module performs the exchange, only at a token service on the same
//! site or one the user confirmed, to tell wrong details from missing pull or push rights.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::challenge::Scheme;
use crate::engine::credentials::{CredentialResult, Credentials, Outcome};
use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::probe::{self, Exchange, Net, Purpose, RequestPlan};
use crate::engine::redact;
use crate::engine::secret::Secret;

/// What the 401 asks a client to exchange its details for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryChallenge {
    /// The token service's address.
    pub realm: Url,
    /// The `service` the token is for.
    pub service: Option<String>,
    /// The `scope` asked for ("repository:team/app:pull").
    pub scope: Option<String>,
}

/// The Bearer challenge of a token-exchanging registry: a `realm` that is a web address and a
/// `service` or `scope`, or any Bearer realm address on a Docker registry.
#[must_use]
pub fn registry_challenge(answer: &Exchange) -> Option<RegistryChallenge> {
    if answer.status != 401 {
        return None;
    }
    let registry = answer.header("docker-distribution-api-version").is_some();
    answer.challenges().challenges.iter().find_map(|c| {
        if c.kind() != Scheme::Bearer {
            return None;
        }
        let realm = Url::parse(c.param("realm")?).ok()?;
        if !matches!(realm.scheme(), "http" | "https") {
            return None;
        }
        let service = c.param("service").map(str::to_owned);
        let scope = c.param("scope").map(str::to_owned);
        (registry || service.is_some()).then_some(RegistryChallenge {
            realm,
            service,
            scope,
        })
    })
}

/// The site of a host: the host itself for an address or a two-label name, else its last two
/// labels (three under a country's `co.`, `com.`, `org.`… second level).
fn site_of(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n <= 2 {
        return host;
    }
    let second = labels.get(n - 2).copied().unwrap_or_default();
    let tld = labels.get(n - 1).copied().unwrap_or_default();
    let keep = if tld.len() == 2
        && matches!(
            second,
            "co" | "com" | "net" | "org" | "gov" | "ac" | "edu" | "or" | "ne" | "go"
        ) {
        3
    } else {
        2
    };
    labels
        .get(n.saturating_sub(keep)..)
        .unwrap_or_default()
        .join(".")
}

/// Whether the user's details may go to the token service: on the same site as the registry
/// (over https, or http when the registry itself is http), or on a host the user confirmed
/// (`host` or `host:port`).
#[must_use]
pub fn endpoint_allowed(registry: &Url, realm: &Url, confirmed: &[String]) -> bool {
    let realm_host = realm.host_str().unwrap_or_default().to_ascii_lowercase();
    let with_port = format!(
        "{realm_host}:{}",
        realm.port_or_known_default().unwrap_or_default()
    );
    let named = confirmed.iter().any(|c| {
        let c = c.trim().to_ascii_lowercase();
        c == realm_host || c == with_port
    });
    if named {
        return true;
    }
    let secure_enough = realm.scheme() == "https" || registry.scheme() == "http";
    secure_enough && site_of(&realm_host) == site_of(registry.host_str().unwrap_or_default())
}

/// What became of the exchange.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExchangeOutcome {
    /// No user name and password were given: only explained.
    #[default]
    NotTried,
    /// The token service is on another site the user did not confirm: nothing was sent there.
    EndpointNotConfirmed,
    /// The token service refused the user's details.
    DetailsRefused,
    /// The token service answered, but with no token.
    NoToken,
    /// The token opened the address.
    Accepted,
    /// The details are right, but the account lacks the rights (pull or push) asked for.
    MissingRights,
    /// The registry refused the token the service gave.
    TokenRefused,
    /// No answer came.
    NoAnswer,
}

/// One entry of a registry token's `access` claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// "repository", "registry"…
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The repository's name.
    #[serde(default)]
    pub name: String,
    /// What the token allows ("pull", "push").
    #[serde(default)]
    pub actions: Vec<String>,
}

/// The exchange, as shown (never the token itself).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenExchange {
    /// The token service's address (without secrets).
    pub realm: String,
    /// The `service` asked for.
    pub service: Option<String>,
    /// The `scope` the registry named.
    pub scope: Option<String>,
    /// The scope AuthDoctor asked the token service for (push added, to learn the push rights).
    pub requested_scope: Option<String>,
    /// True when the details could go to the token service (same site, or confirmed).
    pub endpoint_allowed: bool,
    /// The token service's status.
    pub token_status: Option<u16>,
    /// What the token allows, from its `access` claim (when the token is readable).
    pub granted: Vec<Access>,
    /// The registry's status with the token.
    pub retry_status: Option<u16>,
    /// What became of it.
    pub outcome: ExchangeOutcome,
}

/// The scope with push added to a repository's pull, so the answer also tells the push rights.
fn with_push(scope: &str) -> String {
    let mut parts: Vec<&str> = scope.splitn(3, ':').collect();
    if parts.len() == 3 && parts.first() == Some(&"repository") {
        let actions = parts.pop().unwrap_or_default();
        let mut list: Vec<&str> = actions.split(',').collect();
        if !list.contains(&"push") {
            list.push("push");
        }
        return format!("{}:{}", parts.join(":"), list.join(","));
    }
    scope.to_owned()
}

fn token_url(challenge: &RegistryChallenge, scope: Option<&str>) -> Url {
    let mut url = challenge.realm.clone();
    {
        let mut q = url.query_pairs_mut();
        if let Some(s) = &challenge.service {
            q.append_pair("service", s);
        }
        if let Some(s) = scope {
            q.append_pair("scope", s);
        }
    }
    url
}

/// The `access` claim of a JWT token (the signature is not checked: only read).
fn access_of(token: &str) -> Vec<Access> {
    let Some(payload) = token.split('.').nth(1) else {
        return Vec::new();
    };
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='))
    else {
        return Vec::new();
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("access").cloned())
        .and_then(|a| serde_json::from_value(a).ok())
        .unwrap_or_default()
}

/// The token in a token service's JSON answer (`token`, or `access_token`).
fn token_in(body: &str) -> Option<Secret> {
    let value: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    ["token", "access_token"]
        .iter()
        .find_map(|k| value.get(*k).and_then(serde_json::Value::as_str))
        .filter(|t| !t.is_empty())
        .map(Secret::new)
}

/// The actions of `scope` ("repository:x:pull,push" → pull, push) missing from `granted`.
fn missing_actions(scope: &str, granted: &[Access]) -> Vec<String> {
    let parts: Vec<&str> = scope.splitn(3, ':').collect();
    let (Some(kind), Some(name), Some(actions)) = (parts.first(), parts.get(1), parts.get(2))
    else {
        return Vec::new();
    };
    actions
        .split(',')
        .filter(|a| {
            !granted.iter().any(|g| {
                g.kind == *kind && g.name == *name && g.actions.iter().any(|x| x == a || x == "*")
            })
        })
        .map(str::to_owned)
        .collect()
}

/// The result: what was done, the findings, and the signed-in result to show.
pub struct Performed {
    /// The exchange as shown.
    pub report: TokenExchange,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// The signed-in result, when details were tried.
    pub credentials: Option<CredentialResult>,
}

/// Explains the exchange and, with a user name and password and an allowed token service,
/// performs it and retries `url` with the token.
pub async fn perform(
    net: &Net,
    url: &Url,
    challenge: &RegistryChallenge,
    credentials: &Credentials,
    confirmed: &[String],
) -> Performed {
    let requested = challenge.scope.as_deref().map(with_push);
    let mut report = TokenExchange {
        realm: redact::address_without_secrets(challenge.realm.as_str()),
        service: challenge.service.clone(),
        scope: challenge.scope.clone(),
        requested_scope: requested.clone(),
        endpoint_allowed: endpoint_allowed(url, &challenge.realm, confirmed),
        ..TokenExchange::default()
    };
    let user = credentials.user.clone().unwrap_or_default();
    let password = credentials.password.clone().filter(|p| !p.is_empty());
    let Some(password) = password.filter(|_| !user.is_empty()) else {
        return finish(report, url, None);
    };
    if !report.endpoint_allowed {
        report.outcome = ExchangeOutcome::EndpointNotConfirmed;
        return finish(report, url, None);
    }
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{user}:{}", password.expose()).as_bytes());
    let plan = RequestPlan {
        authorization: Some(Secret::new(format!("Basic {basic}"))),
        purpose: Purpose::TokenExchange,
        ..RequestPlan::default()
    };
    let answer = probe::send_plan(net, &token_url(challenge, requested.as_deref()), &plan).await;
    let answer = match answer {
        Ok(a) => a,
        Err(failure) => {
            report.outcome = ExchangeOutcome::NoAnswer;
            let why = failure.summary();
            return finish(report, url, Some(&why));
        }
    };
    report.token_status = Some(answer.status);
    if matches!(answer.status, 401 | 403) {
        report.outcome = ExchangeOutcome::DetailsRefused;
        return finish(report, url, None);
    }
    let Some(token) = token_in(&answer.body_excerpt).filter(|_| answer.status == 200) else {
        report.outcome = ExchangeOutcome::NoToken;
        return finish(report, url, None);
    };
    report.granted = access_of(token.expose());
    let signed = RequestPlan {
        authorization: Some(Secret::new(format!("Bearer {}", token.expose()))),
        stay_on_origin: true,
        purpose: Purpose::SignedIn,
        ..RequestPlan::default()
    };
    let retry = probe::follow(net, url, &signed).await;
    let last = retry.exchanges.last().filter(|_| retry.failure.is_none());
    report.retry_status = last.map(|e| e.status);
    let pull_missing = challenge.scope.as_deref().is_some_and(|s| {
        !report.granted.is_empty() && !missing_actions(s, &report.granted).is_empty()
    });
    report.outcome = match last.map(|e| (e.status, e.challenges())) {
        None => ExchangeOutcome::NoAnswer,
        // As for any sign-in, accepted means it ended well: a 404 is the registry's answer once
        // the token is taken (no such repository or tag; the real registry answers so).
        Some((200..=399 | 400 | 402 | 404..=406 | 408..=499, _)) => ExchangeOutcome::Accepted,
        Some((403, _)) => ExchangeOutcome::MissingRights,
        Some((401, parsed)) => {
            let scope_error = parsed.challenges.iter().any(|c| {
                c.param("error")
                    .is_some_and(|e| e.eq_ignore_ascii_case("insufficient_scope"))
            });
            if scope_error || pull_missing {
                ExchangeOutcome::MissingRights
            } else {
                ExchangeOutcome::TokenRefused
            }
        }
        Some(_) => ExchangeOutcome::TokenRefused,
    };
    let mut performed = finish(report, url, None);
    if let Some(c) = performed.credentials.as_mut() {
        c.answer = last.cloned();
        c.hops.clone_from(&retry.hops);
        c.final_url = last.map(|e| e.url.clone()).unwrap_or_default();
    }
    performed
}

fn finish(report: TokenExchange, url: &Url, failure: Option<&str>) -> Performed {
    let mut findings = Vec::new();
    let asked = report.scope.as_deref().unwrap_or("the registry itself");
    let realm_host = Url::parse(&report.realm)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let mut explain = Finding::new(
        Code::TokenExchangeRequired,
        format!(
            "The registry does not take a user name and password directly: its 401 sends the \
             client to a token service ({}) to exchange them for a short-lived token for {asked}, \
             and then to ask again with that token. docker login, podman and the registry tools do \
             this by themselves; a browser or a plain curl command does not, and only ever sees \
             the 401.",
            report.realm
        ),
    )
    .evidence("Token service (realm)", report.realm.clone())
    .evidence(
        "service",
        report
            .service
            .clone()
            .unwrap_or_else(|| "(none)".to_owned()),
    )
    .evidence(
        "scope",
        report.scope.clone().unwrap_or_else(|| "(none)".to_owned()),
    );
    let grants = report
        .granted
        .iter()
        .map(|g| format!("{} {}: {}", g.kind, g.name, g.actions.join(", ")))
        .collect::<Vec<_>>()
        .join("; ");
    if !grants.is_empty() {
        explain = explain.evidence("The token allows", grants.clone());
    }
    let result = |outcome: Outcome, status: u16| CredentialResult {
        scheme: "Bearer (token from the token service)".to_owned(),
        status,
        accepted: outcome == Outcome::Accepted,
        outcome,
        scheme_assumed: false,
        final_url: String::new(),
        failure: failure.map(str::to_owned),
        url: url.to_string(),
        retried_stale_nonce: false,
        answer: None,
        hops: Vec::new(),
    };
    let mut credentials = None;
    match report.outcome {
        ExchangeOutcome::NotTried => {
            explain = explain.first_step(format!(
                "To test your details, run: authdoctor check {url} --user NAME --password-stdin (AuthDoctor then performs the exchange{})",
                if report.endpoint_allowed {
                    String::new()
                } else {
                    format!("; add --allow-token-endpoint {realm_host}, since the token service is on another site")
                }
            ));
            findings.push(explain);
        }
        ExchangeOutcome::EndpointNotConfirmed => {
            "The token service is on another site: confirm it to test your details"
                .clone_into(&mut explain.title);
            explain = explain.first_step(format!(
                "AuthDoctor sent nothing to {realm_host}: it sends your details only to a token service on the registry's own site, or one you name. If {realm_host} is the right token service for this registry, run the check again with --allow-token-endpoint {realm_host}."
            ));
            findings.push(explain);
        }
        ExchangeOutcome::DetailsRefused => {
            let status = report.token_status.unwrap_or_default();
            findings.push(explain.severity(Severity::Info));
            findings.push(
                Finding::new(
                    Code::CredentialsRejected,
                    format!(
                        "AuthDoctor exchanged your user name and password at the registry's token \
                         service ({realm_host}), as docker login does, and the token service \
                         answered {status}: it does not accept them. The details are wrong (or the \
                         account is locked); it is not a question of rights."
                    ),
                )
                .title("The registry's token service does not accept your details")
                .first_step("For a registry of GitLab, GitHub (ghcr.io), Docker Hub with two-factor sign-in or most cloud registries, use a personal access token or a robot account's token as the password, not your normal password.")
                .evidence("Token service answered", status.to_string()),
            );
            credentials = Some(result(Outcome::Rejected, status));
        }
        ExchangeOutcome::NoToken | ExchangeOutcome::NoAnswer => {
            let status = report.token_status.unwrap_or_default();
            findings.push(explain);
            findings.push(Finding::new(
                Code::CredentialsUntested,
                format!(
                    "The token service {} so the details could not be tested.",
                    if status == 0 {
                        format!("did not answer ({})", failure.unwrap_or_default())
                    } else {
                        format!("answered {status} without a token,")
                    }
                ),
            ));
            if status != 0 {
                credentials = Some(result(Outcome::NoAnswer, status));
            }
        }
        ExchangeOutcome::Accepted => {
            let status = report.retry_status.unwrap_or_default();
            let push = report
                .requested_scope
                .as_deref()
                .map(|s| missing_actions(s, &report.granted))
                .unwrap_or_default();
            let mut f = Finding::new(
                Code::CredentialsAccepted,
                format!(
                    "AuthDoctor exchanged your details at the token service for a token, as docker \
                     login does, and with that token the registry answered {status}: your details \
                     work. The 401 comes from a client that does not do the exchange (a browser, \
                     curl without a token) or has old details saved (docker logout, then docker \
                     login again)."
                ),
            )
            .title("Your details work: the registry lets you in after the token exchange");
            if !report.granted.is_empty() && push.iter().any(|a| a == "push") {
                f = f.evidence(
                    "Push",
                    "this account may pull but not push to this repository",
                );
            }
            if status == 404 {
                f = f.first_step(
                    "The registry took the token but has no such repository or tag (404): check the image's name and tag.",
                );
            }
            findings.push(explain.severity(Severity::Info));
            findings.push(f.evidence("Token allows", grants));
            credentials = Some(result(Outcome::Accepted, status));
        }
        ExchangeOutcome::MissingRights => {
            let status = report.retry_status.unwrap_or_default();
            let missing = report
                .scope
                .as_deref()
                .map(|s| missing_actions(s, &report.granted))
                .unwrap_or_default();
            let missing = if missing.is_empty() {
                "the rights this request needs".to_owned()
            } else {
                format!("the right to {}", missing.join(" and "))
            };
            findings.push(explain.severity(Severity::Info));
            findings.push(
                Finding::new(
                    Code::InsufficientScope,
                    format!(
                        "Your details are right: the token service gave AuthDoctor a token for \
                         them. But the token lacks {missing} on {asked}, and the registry answered \
                         {status}. The account needs that permission, or the repository's name is \
                         wrong (a registry answers the same for a repository you may not see and \
                         one that does not exist)."
                    ),
                )
                .title("Your details work, but this account lacks the rights for this repository")
                .steps([
                    "Check the repository's name and namespace (team/app, not just app).",
                    "Ask the registry's or project's owner to give your account (or robot account) pull (and, to upload, push) rights on it.",
                ])
                .evidence("Asked for", report.requested_scope.clone().unwrap_or_default())
                .evidence("Token allows", if grants.is_empty() { "nothing for this repository".to_owned() } else { grants }),
            );
            credentials = Some(result(Outcome::Forbidden, status));
        }
        ExchangeOutcome::TokenRefused => {
            let status = report.retry_status.unwrap_or_default();
            findings.push(explain.severity(Severity::Info));
            findings.push(Finding::new(
                Code::TokenInvalid,
                format!(
                    "The token service accepted your details and gave a token, but the registry \
                     refused that token ({status}). The registry and its token service disagree: \
                     a wrong issuer, service name or signing certificate in the registry's \
                     settings. This is for whoever runs the registry."
                ),
            ));
            credentials = Some(result(Outcome::Rejected, status));
        }
    }
    Performed {
        report,
        findings,
        credentials,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_token_service_may_be_on_the_same_site_or_confirmed() {
        let hub = u("https://registry-1.docker.io/v2/");
        assert!(endpoint_allowed(
            &hub,
            &u("https://auth.docker.io/token"),
            &[]
        ));
        assert!(!endpoint_allowed(
            &hub,
            &u("https://auth.example.net/token"),
            &[]
        ));
        assert!(endpoint_allowed(
            &hub,
            &u("https://auth.example.net/token"),
            &["auth.example.net".to_owned()]
        ));
        assert!(!endpoint_allowed(
            &u("https://a.example.co.uk/"),
            &u("https://b.other.co.uk/"),
            &[]
        ));
        // An https registry's details never go to an http token service unconfirmed.
        assert!(!endpoint_allowed(
            &hub,
            &u("http://auth.docker.io/token"),
            &[]
        ));
    }

    #[test]
    fn push_is_added_to_a_pull_scope_and_missing_actions_are_named() {
        assert_eq!(
            with_push("repository:team/app:pull"),
            "repository:team/app:pull,push"
        );
        let granted = vec![Access {
            kind: "repository".to_owned(),
            name: "team/app".to_owned(),
            actions: vec!["pull".to_owned()],
        }];
        assert_eq!(
            missing_actions("repository:team/app:pull,push", &granted),
            vec!["push".to_owned()]
        );
        assert!(missing_actions("repository:team/app:pull", &granted).is_empty());
    }

    #[test]
    fn a_registry_challenge_is_read_from_a_401() {
        let answer = Exchange::for_test(
            "https://registry.example.com/v2/team/app/manifests/latest",
            401,
            &[
                ("docker-distribution-api-version", "registry/2.0"),
                (
                    "www-authenticate",
                    "Bearer realm=\"https://registry.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull\"",
                ),
            ],
            "",
        );
        let mut answer = answer;
        answer.www_authenticate_raw = vec![
            answer
                .header("www-authenticate")
                .unwrap_or_default()
                .as_bytes()
                .to_vec(),
        ];
        let c = registry_challenge(&answer).unwrap_or_else(|| panic!("not read"));
        assert_eq!(c.scope.as_deref(), Some("repository:team/app:pull"));
        assert_eq!(c.realm.as_str(), "https://registry.example.com/token");
    }
}
