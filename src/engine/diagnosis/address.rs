//! The address step of a check: what had to be repaired or doubted, the sign-in details an
//! address carries, and, once the site answered, which address to use from now on.

use url::Url;

use crate::engine::credentials::Credentials;
use crate::engine::finding::{Code, Finding};
use crate::engine::probe::{Failure, Probe};
use crate::engine::redact;
use crate::engine::secret::Secret;
use crate::engine::url_check::{self, AddressCheck, AddressError};

/// The address step alone: repairs, notes, or why it cannot be used.
pub(super) fn address_findings(input: &str) -> Result<(AddressCheck, Vec<Finding>), Box<Finding>> {
    let check =
        url_check::check_address(input).map_err(|e| Box::new(invalid_address(&e, input)))?;
    let mut findings = Vec::new();
    // The address as findings show it: `check.url` has no `user:password@` any more, and secret
    // parameters (`?token=…`) are sent but never repeated.
    let shown = redact::shown_address(&check.url);
    if !check.repairs.is_empty() {
        let mut f = Finding::new(
            Code::UrlCorrected,
            format!(
                "The address needed {} correction{} before it could be checked. AuthDoctor \
                 checked {} instead.",
                check.repairs.len(),
                if check.repairs.len() == 1 { "" } else { "s" },
                shown
            ),
        )
        .first_step(format!("Use this corrected address from now on: {shown}"));
        for r in &check.repairs {
            let change = if r.before == r.after {
                // The repair was inside a part that is never shown (a password, a token).
                format!("\"{}\" changed in a part that is not shown", r.before)
            } else {
                format!("\"{}\" became \"{}\"", r.before, r.after)
            };
            f = f.evidence(r.what.clone(), change);
        }
        findings.push(f);
    }
    if !check.doubts.is_empty() {
        let mut f = Finding::new(Code::UrlNote, check.doubts.join(" "));
        if let Some(p) = &check.punycode_host {
            f = f.evidence("Host as sent on the network", p.clone());
        }
        findings.push(f);
    }
    Ok((check, findings))
}

fn invalid_address(error: &AddressError, input: &str) -> Finding {
    let shown: String = redact::address(input).chars().take(200).collect();
    Finding::new(
        Code::UrlInvalid,
        format!("This address cannot be checked: {error}."),
    )
    .evidence("What was entered", shown)
}

/// Moves `user:password@` out of the address: browsers would send them as Basic sign-in, so
/// they become the credentials to test when none were typed. Returns the password found, so it
/// can be scrubbed from the output either way.
pub(super) fn take_userinfo(
    check: &mut AddressCheck,
    credentials: &mut Credentials,
) -> Option<Secret> {
    let userinfo = check.userinfo.take()?;
    if !credentials.is_present() {
        credentials.user = Some(userinfo.user);
        credentials.password.clone_from(&userinfo.password);
    }
    userinfo.password
}

/// The https address did not answer at all: refused, a port that does not speak TLS, or one
/// that waits for a plain request and never answers the TLS greeting.
pub(super) fn https_not_spoken(probe: &Probe) -> bool {
    matches!(
        probe.failure,
        Some(Failure::Tls { .. } | Failure::Connection { .. } | Failure::Timeout { .. })
    )
}

/// The repaired address is recommended only once it was checked and answered, and says so when
/// http answered where https was assumed.
pub(super) fn settle_corrected_address(
    findings: &mut [Finding],
    check: &AddressCheck,
    url: &Url,
    answered: bool,
) {
    let Some(f) = findings.iter_mut().find(|f| f.code == Code::UrlCorrected) else {
        return;
    };
    let advice = format!(
        "Use this corrected address from now on: {}",
        redact::shown_address(&check.url)
    );
    f.next_steps.retain(|s| *s != advice);
    if !answered {
        let tried = if check.scheme_guessed {
            " Neither the https nor the http address answered,"
        } else {
            " The corrected address did not answer,"
        };
        f.detail.push_str(tried);
        f.detail
            .push_str(" so AuthDoctor cannot say which address is right.");
        return;
    }
    if url.scheme() != check.url.scheme() {
        f.detail = format!(
            "The address had no http:// or https:// at the start. AuthDoctor tried https first, \
             which did not answer, then http, which did: it checked {}.",
            redact::shown_address(url)
        );
    }
    f.next_steps.insert(
        0,
        format!(
            "Use this corrected address from now on: {}",
            redact::shown_address(url)
        ),
    );
}

/// Offers the https version of an http address only when it was seen answering over TLS, and
/// says it does not answer only when that was tried.
pub(super) fn suggest_https(findings: &mut [Finding], https: Option<&Url>, tried: bool) {
    let Some(f) = findings.iter_mut().find(|f| f.code == Code::InsecureBasic) else {
        return;
    };
    match https {
        Some(target) => f.next_steps.insert(
            0,
            format!("Use the https address instead, which answers: {target}"),
        ),
        None if tried => f.next_steps.insert(
            0,
            "This site does not answer over https at the same address: ask its owner to set up \
             https (a free certificate from Let's Encrypt is enough)."
                .to_owned(),
        ),
        // An http address on its own port: its https address, if any, is elsewhere.
        None => f.next_steps.insert(
            0,
            "Ask the site's owner for its https address and use that; if it has none, ask them \
             to set up https (a free certificate from Let's Encrypt is enough)."
                .to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_address_is_url_invalid() {
        let Err(f) = address_findings("   ") else {
            panic!("an empty address was accepted");
        };
        assert_eq!(f.code, Code::UrlInvalid);
    }
}
