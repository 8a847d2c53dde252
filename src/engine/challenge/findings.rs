//! Findings about a 401's challenge: what it asks for, what is wrong with it, and what a Bearer
//! challenge's `error=` says about a refused token.

use url::Url;

use super::{Challenge, ParsedChallenges, Scheme};
use crate::engine::finding::{Code, Finding, Severity};

/// The schemes the challenges name, each once, in the order given ("Basic, Digest").
pub(crate) fn scheme_list(challenges: &[Challenge]) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in challenges {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&c.scheme)) {
            names.push(c.scheme.clone());
        }
    }
    names.join(", ")
}

/// Findings about a 401's challenge: what it asks for, what is wrong with it.
#[must_use]
pub fn challenge_findings(parsed: &ParsedChallenges, raw: &str, url: &Url) -> Vec<Finding> {
    let mut out = Vec::new();
    if parsed.challenges.is_empty() && raw.trim().is_empty() {
        out.push(
            Finding::new(
                Code::MissingChallenge,
                "The site answered 401 but did not say how to sign in: the WWW-Authenticate \
                 header that every 401 must carry is missing. Browsers then show the error \
                 page instead of a sign-in box. This is a fault in the site or in a plugin or \
                 firewall in front of it.",
            )
            .evidence("WWW-Authenticate", "(none)"),
        );
        return out;
    }
    if !parsed.problems.is_empty() {
        // Every problem the parser reports is one a strict browser may trip on, so it is a
        // candidate cause, not a side note.
        let mut f = Finding::new(
            Code::MalformedChallenge,
            format!(
                "The site's WWW-Authenticate header does not follow the rules: {}. Browsers may \
                 ignore it and never show a sign-in box.",
                parsed.problems.join("; ")
            ),
        )
        .evidence("WWW-Authenticate", raw.to_owned());
        for p in parsed.problems.iter().take(10) {
            f = f.evidence("Problem", p.clone());
        }
        out.push(f);
    }
    if parsed.challenges.is_empty() {
        return out;
    }
    let Some(first_challenge) = parsed.challenges.first() else {
        return out;
    };
    let first = super::explain(first_challenge);
    let area = first_challenge
        .realm()
        .map(|r| format!(" for the protected area \"{r}\""))
        .unwrap_or_default();
    let mut auth = Finding::new(
        Code::AuthRequired,
        format!(
            "The site asks for a sign-in{area}, using {}. {}",
            scheme_list(&parsed.challenges),
            first.meaning
        ),
    )
    .first_step(first.what_to_do.clone())
    .evidence("Status", "401")
    .evidence("WWW-Authenticate", raw.to_owned());
    if let Some(realm) = parsed.challenges.iter().find_map(Challenge::realm) {
        auth = auth.evidence("Realm (the name of the protected area)", realm.to_owned());
    }
    out.push(auth);
    out.extend(bearer_error_findings(&parsed.challenges));
    let offers_basic = parsed.challenges.iter().any(|c| c.kind() == Scheme::Basic);
    if offers_basic && url.scheme() == "http" {
        out.push(
            Finding::new(
                Code::InsecureBasic,
                format!(
                    "This page asks for a password with Basic sign-in over plain http. The \
                     password then travels readable by anyone on the network between you and \
                     {}.",
                    url.host_str().unwrap_or_default()
                ),
            )
            .evidence("Address", url.to_string()),
        );
    }
    out
}

/// `token-invalid` and `insufficient-scope` from Bearer `error=` parameters.
#[must_use]
pub fn bearer_error_findings(challenges: &[Challenge]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in challenges.iter().filter(|c| c.kind() == Scheme::Bearer) {
        let description = c.param("error_description").unwrap_or_default();
        let said = if description.is_empty() {
            String::new()
        } else {
            format!(" The server added: \"{description}\".")
        };
        if let Some(code) = described_reason(description) {
            out.push(
                Finding::new(
                    code,
                    format!("The site refused the token and said why: \"{description}\"."),
                )
                .severity(Severity::Problem)
                .evidence("error_description", description.to_owned()),
            );
        }
        match c.param("error").map(str::to_ascii_lowercase).as_deref() {
            Some("invalid_token") => out.push(
                Finding::new(
                    Code::TokenInvalid,
                    format!(
                        "The site says the access token it received is not valid: expired, \
                         revoked, or meant for another service.{said}"
                    ),
                )
                .evidence("error", "invalid_token"),
            ),
            Some("insufficient_scope") => {
                let scope = c.param("scope").unwrap_or("(not named)");
                out.push(
                    Finding::new(
                        Code::InsufficientScope,
                        format!(
                            "The token is valid but does not include the permission this page \
                             needs. Needed: {scope}.{said}"
                        ),
                    )
                    .evidence("error", "insufficient_scope")
                    .evidence("scope", scope.to_owned()),
                );
            }
            _ => {}
        }
    }
    out
}

/// What a Bearer `error_description` names, in the site's own words, as the reason a token was
/// refused.
fn described_reason(description: &str) -> Option<Code> {
    let d = description.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| d.contains(w));
    if has(&[
        "expired",
        "exp claim",
        "is expired",
        "lifetime validation failed",
    ]) {
        Some(Code::TokenExpired)
    } else if has(&["not yet valid", "nbf", "not before", "used before"]) {
        Some(Code::TokenNotYetValid)
    } else if has(&["audience", "aud claim", "invalid aud"]) {
        Some(Code::TokenWrongAudience)
    } else if has(&["issuer", "iss claim", "invalid iss"]) {
        Some(Code::TokenWrongIssuer)
    } else if has(&[
        "signing key",
        "kid",
        "key not found",
        "no matching key",
        "unknown key",
        "signature key",
        "jwks",
    ]) {
        Some(Code::TokenSigningKeyUnknown)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::challenge;

    #[test]
    fn a_401_without_challenge_is_missing_challenge() {
        let url = Url::parse("https://example.com/").unwrap_or_else(|e| panic!("{e}"));
        let findings = challenge_findings(&ParsedChallenges::default(), "", &url);
        assert_eq!(findings[0].code, Code::MissingChallenge);
    }

    #[test]
    fn basic_over_http_is_insecure_basic() {
        let url = Url::parse("http://example.com/x").unwrap_or_else(|e| panic!("{e}"));
        let parsed = challenge::parse_str("Basic realm=\"members\"");
        let findings = challenge_findings(&parsed, "Basic realm=\"members\"", &url);
        assert!(findings.iter().any(|f| f.code == Code::InsecureBasic));
        assert!(findings.iter().any(|f| f.code == Code::AuthRequired));
    }

    #[test]
    fn bearer_errors_become_their_own_codes() {
        let parsed = challenge::parse_str(
            "Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"admin\"",
        );
        let findings = bearer_error_findings(&parsed.challenges);
        assert_eq!(findings[0].code, Code::InsufficientScope);
        let parsed = challenge::parse_str("Bearer error=\"invalid_token\"");
        assert_eq!(
            bearer_error_findings(&parsed.challenges)[0].code,
            Code::TokenInvalid
        );
    }
}
