//! Which finding is the likely cause of the 401, and why: one ordered table of rules, read top to
//! bottom, the first rule whose finding is present winning. Only codes of kind `cause` appear
//! here (advice such as Basic over http never heads a diagnosis), and the order of the `Code` enum
//! decides nothing.

use crate::engine::finding::{Code, Finding, Kind, Severity};

/// What the check knew beyond the findings themselves, for the rules that depend on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Time matters to this sign-in: a Digest nonce, a token, a one-time code. Clock findings
    /// are causes only then; a Basic password is checked the same whatever the clocks say.
    pub time_matters: bool,
}

/// When a present finding of a rule's code counts as a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum When {
    /// When the engine marked it a problem or a warning (an `info` or `ok` instance of a cause
    /// code says that thing was looked at and is not the trouble here).
    Serious,
    /// Whatever its severity: the fact itself is the answer (the address does not say 401 from
    /// here; the user's details work).
    Always,
    /// Serious, and only where time matters to the sign-in.
    TimeMatters,
    /// A problem (not merely a warning), and only where time matters.
    ProblemWhereTimeMatters,
}

/// The rules, most decisive first. Each line says why it stands where it stands.
const RULES: &[(Code, When)] = &[
    // Nothing usable reached the site: whatever else was seen comes after this.
    (Code::UrlInvalid, When::Always),
    (Code::DnsFailure, When::Serious),
    (Code::TlsError, When::Serious),
    (Code::ConnectionFailed, When::Serious),
    (Code::Timeout, When::Serious),
    (Code::CheckDeadlineReached, When::Serious),
    (Code::TooManyRedirects, When::Serious),
    (Code::BadRedirect, When::Serious),
    // The 407 comes from a proxy, not from the site.
    (Code::ProxyAuthRequired, When::Serious),
    // Something in front of the site answered before the sign-in was looked at.
    (Code::IpRestricted, When::Serious),
    (Code::WafBlock, When::Serious),
    (Code::SecurityPluginBlock, When::Serious),
    (Code::RateLimited, When::Serious),
    // An identity-aware proxy or an API gateway answered for the site: the site's own sign-in
    // was never reached (an accepted signed-in test makes them background).
    (Code::IdentityProxy, When::Serious),
    (Code::ApiGatewayRejects, When::Serious),
    // What the browser sends or is served, proven by a comparison: these explain the 401 even
    // when the user's details work.
    (Code::CookiesCause401, When::Serious),
    (Code::Cached401, When::Serious),
    (Code::CookieShadowed, When::Serious),
    // The page's script never gets to send the sign-in: the preflight fails, whatever the details.
    (Code::PreflightNeedsAuth, When::Serious),
    // A 401 that never says how to sign in: browsers never ask for the details at all.
    (Code::MissingChallenge, When::Serious),
    // The user's details work: that is the answer, and the 401 comes from what the browser sends.
    (Code::CredentialsAccepted, When::Always),
    // The signed-in request, read for what went wrong after the details were sent.
    (Code::ServerErrorAfterSignIn, When::Serious),
    (Code::AuthorizationNotPassed, When::Serious),
    (Code::SecondSignInLayer, When::Serious),
    (Code::SignedInButForbidden, When::Serious),
    (Code::InsufficientScope, When::Serious),
    // Microsoft said why in its own code, or refused Basic sign-in altogether: more precise
    // than any reading of the token or the bare refusal.
    (Code::MicrosoftBasicRetired, When::Serious),
    (Code::MicrosoftSignInError, When::Serious),
    // Clocks far apart explain a token that looks expired or not yet valid.
    (Code::ServerClockUnset, When::TimeMatters),
    (Code::ClockSkew, When::ProblemWhereTimeMatters),
    // Why a token was refused, most precise first; the generic refusal after them.
    (Code::TokenExpired, When::Serious),
    (Code::TokenNotYetValid, When::Serious),
    (Code::TokenWrongAudience, When::Serious),
    (Code::TokenWrongIssuer, When::Serious),
    (Code::TokenSigningKeyUnknown, When::Serious),
    // A smaller difference still matters to one-time numbers and codes.
    (Code::ClockSkew, When::TimeMatters),
    (Code::TokenInvalid, When::Serious),
    (Code::CredentialsRejected, When::Serious),
    // The sign-in was asked for by another site than the one typed.
    (Code::AuthDroppedOnRedirect, When::Serious),
    // With no tested sign-in: what this computer looks up and sends.
    (Code::HostsOverride, When::Serious),
    (Code::DnsMismatch, When::Serious),
    (Code::IpV6OnlyDifference, When::Serious),
    (Code::LoginCookieMissing, When::Serious),
    (Code::CookieExpired, When::Serious),
    (Code::CookieNotSent, When::Serious),
    (Code::MalformedChallenge, When::Serious),
    (Code::HtaccessProblem, When::Serious),
    // How this 401 wants to be answered, when nothing more precise is known: Windows sign-in, or
    // a registry's token exchange.
    (Code::WindowsSignIn, When::Serious),
    (Code::TokenExchangeRequired, When::Serious),
    // True of every 401 that asks for a sign-in: the answer only when nothing more precise is.
    (Code::AuthRequired, When::Always),
    // The typed address was repaired and the repaired one does not ask for a sign-in.
    (Code::UrlCorrected, When::Always),
    // From here the address does not answer 401 at all.
    (Code::NotUnauthorized, When::Always),
];

/// The position of a code among the rules (codes of other kinds after every cause).
#[must_use]
pub fn precedence(code: Code) -> usize {
    RULES
        .iter()
        .position(|(c, _)| *c == code)
        .unwrap_or(RULES.len())
}

/// The code of the finding that best explains the 401: the first rule, top to bottom, with a
/// finding present that counts. None when no cause was found.
#[must_use]
pub fn likely_cause(findings: &[Finding], facts: Facts) -> Option<Code> {
    RULES.iter().find_map(|(code, when)| {
        let counts = |f: &Finding| {
            let serious = matches!(f.severity, Severity::Problem | Severity::Warning);
            f.code == *code
                && match when {
                    When::Always => true,
                    When::Serious => serious,
                    When::TimeMatters => serious && facts.time_matters,
                    When::ProblemWhereTimeMatters => {
                        f.severity == Severity::Problem && facts.time_matters
                    }
                }
        };
        findings.iter().any(counts).then_some(*code)
    })
}

/// Every code of kind `cause` has a rule, and every rule is about a cause.
pub fn rules_cover_exactly_the_causes() -> Result<(), String> {
    for code in Code::ALL {
        let ruled = RULES.iter().filter(|(c, _)| c == code).count();
        match (code.kind(), ruled) {
            (Kind::Cause, 0) => return Err(format!("cause {code} has no rule")),
            (Kind::Cause, _) | (Kind::Advice | Kind::Context, 0) => {}
            (_, _) => return Err(format!("{code} is not a cause but has a rule")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(code: Code) -> Finding {
        Finding::new(code, "case")
    }

    fn serious(code: Code) -> Finding {
        Finding::new(code, "case").severity(Severity::Problem)
    }

    fn cause_of(findings: &[Finding]) -> Option<Code> {
        likely_cause(findings, Facts::default())
    }

    #[test]
    fn the_rules_name_every_cause_once_and_nothing_else() {
        assert_eq!(rules_cover_exactly_the_causes(), Ok(()));
    }

    /// Findings present → likely cause, one row per rule of the table and per trap it avoids.
    #[test]
    fn the_likely_cause_follows_the_table() {
        use Code as C;
        let time = Facts { time_matters: true };
        let none = Facts::default();
        let rows: &[(&[Finding], Facts, Option<Code>)] = &[
            (&[], none, None),
            // Advice and context are never the cause.
            (
                &[serious(C::InsecureBasic), found(C::DnsConsistent)],
                none,
                None,
            ),
            (
                &[found(C::InsecureBasic), found(C::AuthRequired)],
                none,
                Some(C::AuthRequired),
            ),
            // The details work: that is the answer, above Basic over http and the bare 401.
            (
                &[
                    found(C::InsecureBasic),
                    serious(C::AuthRequired),
                    found(C::CredentialsAccepted),
                ],
                none,
                Some(C::CredentialsAccepted),
            ),
            // …but a stale cookie proven by comparison still explains the browser's 401.
            (
                &[found(C::CredentialsAccepted), found(C::CookiesCause401)],
                none,
                Some(C::CookiesCause401),
            ),
            (
                &[found(C::CredentialsAccepted), found(C::Cached401)],
                none,
                Some(C::Cached401),
            ),
            (
                &[found(C::CredentialsAccepted), found(C::MissingChallenge)],
                none,
                Some(C::MissingChallenge),
            ),
            // Warnings that are real causes beat the 401 that is true of every 401.
            (
                &[
                    serious(C::AuthRequired),
                    serious(C::DnsMismatch).severity(Severity::Warning),
                ],
                none,
                Some(C::DnsMismatch),
            ),
            (
                &[serious(C::AuthRequired), found(C::CookieExpired)],
                none,
                Some(C::CookieExpired),
            ),
            (
                &[serious(C::AuthRequired), found(C::CookieNotSent)],
                none,
                Some(C::CookieNotSent),
            ),
            (
                &[serious(C::AuthRequired), found(C::HostsOverride)],
                none,
                Some(C::HostsOverride),
            ),
            // An info-level instance of a cause code is not a candidate.
            (
                &[
                    serious(C::AuthRequired),
                    found(C::CookieExpired).severity(Severity::Info),
                ],
                none,
                Some(C::AuthRequired),
            ),
            // Nothing reached the site.
            (
                &[found(C::DnsFailure), found(C::AuthRequired)],
                none,
                Some(C::DnsFailure),
            ),
            (
                &[found(C::TlsError), found(C::ConnectionFailed)],
                none,
                Some(C::TlsError),
            ),
            (
                &[found(C::Timeout), found(C::NotUnauthorized)],
                none,
                Some(C::Timeout),
            ),
            (
                &[found(C::ConnectionFailed), found(C::Timeout)],
                none,
                Some(C::ConnectionFailed),
            ),
            (
                &[found(C::CheckDeadlineReached), found(C::AuthRequired)],
                none,
                Some(C::CheckDeadlineReached),
            ),
            (
                &[found(C::TooManyRedirects), found(C::CookieExpired)],
                none,
                Some(C::TooManyRedirects),
            ),
            (&[found(C::BadRedirect)], none, Some(C::BadRedirect)),
            (&[found(C::UrlInvalid)], none, Some(C::UrlInvalid)),
            (
                &[found(C::ProxyAuthRequired), found(C::CredentialsRejected)],
                none,
                Some(C::ProxyAuthRequired),
            ),
            // Blocks in front of the site beat a refused password: it was never looked at.
            (
                &[found(C::RateLimited), found(C::CredentialsRejected)],
                none,
                Some(C::RateLimited),
            ),
            (
                &[found(C::IpRestricted), found(C::NotUnauthorized)],
                none,
                Some(C::IpRestricted),
            ),
            (
                &[found(C::WafBlock), found(C::AuthRequired)],
                none,
                Some(C::WafBlock),
            ),
            (
                &[found(C::SecurityPluginBlock), found(C::AuthRequired)],
                none,
                Some(C::SecurityPluginBlock),
            ),
            // What went wrong after the details were sent.
            (
                &[found(C::ServerErrorAfterSignIn), found(C::AuthRequired)],
                none,
                Some(C::ServerErrorAfterSignIn),
            ),
            (
                &[
                    found(C::AuthorizationNotPassed),
                    found(C::CredentialsRejected),
                ],
                none,
                Some(C::AuthorizationNotPassed),
            ),
            (
                &[found(C::SecondSignInLayer), found(C::AuthRequired)],
                none,
                Some(C::SecondSignInLayer),
            ),
            (
                &[found(C::SignedInButForbidden), found(C::AuthRequired)],
                none,
                Some(C::SignedInButForbidden),
            ),
            (
                &[found(C::InsufficientScope), found(C::TokenInvalid)],
                none,
                Some(C::InsufficientScope),
            ),
            // A token's own reason beats the generic refusal.
            (
                &[found(C::CredentialsRejected), found(C::TokenExpired)],
                none,
                Some(C::TokenExpired),
            ),
            (
                &[found(C::CredentialsRejected), serious(C::TokenNotYetValid)],
                none,
                Some(C::TokenNotYetValid),
            ),
            (
                &[
                    found(C::CredentialsRejected),
                    serious(C::TokenWrongAudience),
                ],
                none,
                Some(C::TokenWrongAudience),
            ),
            (
                &[found(C::TokenInvalid), found(C::TokenWrongIssuer)],
                none,
                Some(C::TokenWrongIssuer),
            ),
            (
                &[found(C::TokenInvalid), found(C::TokenSigningKeyUnknown)],
                none,
                Some(C::TokenSigningKeyUnknown),
            ),
            (
                &[found(C::CredentialsRejected), found(C::TokenInvalid)],
                none,
                Some(C::TokenInvalid),
            ),
            // Clocks matter only where time does: never above a refused Basic password.
            (
                &[found(C::CredentialsRejected), serious(C::ClockSkew)],
                none,
                Some(C::CredentialsRejected),
            ),
            (
                &[found(C::CredentialsRejected), serious(C::ClockSkew)],
                time,
                Some(C::ClockSkew),
            ),
            // Clocks far apart explain the token's times; a small difference does not.
            (
                &[found(C::TokenNotYetValid), serious(C::ClockSkew)],
                time,
                Some(C::ClockSkew),
            ),
            (
                &[
                    found(C::TokenExpired),
                    found(C::ClockSkew).severity(Severity::Warning),
                ],
                time,
                Some(C::TokenExpired),
            ),
            // A block in front of the site beats a 401 without a challenge (a lockout page).
            (
                &[found(C::MissingChallenge), found(C::SecurityPluginBlock)],
                none,
                Some(C::SecurityPluginBlock),
            ),
            (
                &[found(C::AuthRequired), found(C::ServerClockUnset)],
                none,
                Some(C::AuthRequired),
            ),
            (
                &[found(C::TokenInvalid), found(C::ServerClockUnset)],
                time,
                Some(C::ServerClockUnset),
            ),
            (
                &[
                    found(C::AuthDroppedOnRedirect).severity(Severity::Warning),
                    found(C::AuthRequired),
                ],
                none,
                Some(C::AuthDroppedOnRedirect),
            ),
            (
                &[found(C::LoginCookieMissing), found(C::AuthRequired)],
                none,
                Some(C::LoginCookieMissing),
            ),
            (
                &[found(C::IpV6OnlyDifference), found(C::AuthRequired)],
                none,
                Some(C::IpV6OnlyDifference),
            ),
            (
                &[found(C::CookieShadowed), found(C::AuthRequired)],
                none,
                Some(C::CookieShadowed),
            ),
            (
                &[found(C::MalformedChallenge), found(C::AuthRequired)],
                none,
                Some(C::MalformedChallenge),
            ),
            (
                &[found(C::HtaccessProblem), found(C::AuthRequired)],
                none,
                Some(C::HtaccessProblem),
            ),
            // Something in front of the site answered: above a 401 without a challenge, which it
            // explains, and above a refused key it never passed on.
            (
                &[found(C::IdentityProxy), found(C::MissingChallenge)],
                none,
                Some(C::IdentityProxy),
            ),
            (
                &[found(C::ApiGatewayRejects), found(C::CredentialsRejected)],
                none,
                Some(C::ApiGatewayRejects),
            ),
            // …but once the user's details got through it, it is background.
            (
                &[
                    found(C::ApiGatewayRejects).severity(Severity::Info),
                    found(C::CredentialsAccepted),
                ],
                none,
                Some(C::CredentialsAccepted),
            ),
            // A WAF's block comes before the identity proxy behind it.
            (
                &[found(C::WafBlock), found(C::IdentityProxy)],
                none,
                Some(C::WafBlock),
            ),
            // The preflight fails even when the details work: the script never sends them.
            (
                &[found(C::PreflightNeedsAuth), found(C::CredentialsAccepted)],
                none,
                Some(C::PreflightNeedsAuth),
            ),
            // Microsoft's own reasons beat the bare refusal and the token's reading.
            (
                &[
                    found(C::CredentialsRejected),
                    found(C::MicrosoftBasicRetired),
                ],
                none,
                Some(C::MicrosoftBasicRetired),
            ),
            (
                &[found(C::TokenExpired), found(C::MicrosoftSignInError)],
                none,
                Some(C::MicrosoftSignInError),
            ),
            // How the 401 wants to be answered beats the bare 401, never a tested sign-in.
            (
                &[found(C::AuthRequired), found(C::WindowsSignIn)],
                none,
                Some(C::WindowsSignIn),
            ),
            (
                &[found(C::AuthRequired), found(C::TokenExchangeRequired)],
                none,
                Some(C::TokenExchangeRequired),
            ),
            (
                &[
                    found(C::TokenExchangeRequired).severity(Severity::Info),
                    found(C::InsufficientScope),
                ],
                none,
                Some(C::InsufficientScope),
            ),
            (
                &[found(C::CredentialsRejected), found(C::WindowsSignIn)],
                none,
                Some(C::CredentialsRejected),
            ),
            // The repaired address answers without a 401: the typo was the trouble.
            (
                &[found(C::UrlCorrected), found(C::NotUnauthorized)],
                none,
                Some(C::UrlCorrected),
            ),
            (
                &[found(C::UrlCorrected), serious(C::AuthRequired)],
                none,
                Some(C::AuthRequired),
            ),
            (
                &[found(C::NotUnauthorized).severity(Severity::Ok)],
                none,
                Some(C::NotUnauthorized),
            ),
        ];
        for (findings, facts, expected) in rows {
            let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
            assert_eq!(
                likely_cause(findings, *facts),
                *expected,
                "findings {codes:?}"
            );
        }
        // Every rule is exercised as a winner by some row.
        for (code, _) in RULES {
            assert!(
                rows.iter().any(|(_, _, e)| *e == Some(*code)),
                "no row of the table shows {code} winning"
            );
        }
        assert_eq!(cause_of(&[found(C::AuthRequired)]), Some(C::AuthRequired));
    }
}
