//! The last step of a check: every secret it used, gathered into one [`Scrubber`], and the
//! diagnosis walked field by field so that none of them, and no secret address part, is left in
//! what it shows.

use std::borrow::Cow;

use super::{CheckInput, Diagnosis};
use crate::engine::cookies;
use crate::engine::credentials::Credentials;
use crate::engine::redact::{self, Scrubber};
use crate::engine::secret::Secret;
use crate::engine::url_check;

/// Every secret of one check: the password and token (with the Basic form of the password),
/// a password from the address, and the values of the cookies and secret address parameters
/// that were sent.
pub(super) fn check_scrubber(
    input: &CheckInput,
    credentials: &Credentials,
    address_secret: Option<&Secret>,
) -> Scrubber {
    let secrets: Vec<&Secret> = [
        credentials.password.as_ref(),
        credentials.token.as_ref(),
        address_secret,
        input.credentials.password.as_ref(),
        input.credentials.token.as_ref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let user = credentials
        .user
        .as_deref()
        .or(input.credentials.user.as_deref());
    let mut scrubber = Scrubber::new(user, &secrets);
    if let Ok(check) = url_check::check_address(&input.address) {
        scrubber.add_address(check.url.as_str());
        if let Some(userinfo) = &check.userinfo {
            if userinfo.password.is_none() {
                // `https://TOKEN@host/` carries a token where the user name goes.
                scrubber.add_value(&userinfo.user);
            }
            for s in &secrets {
                scrubber.add_basic(&userinfo.user, s.expose());
            }
        }
        if let Some(text) = input.cookies.as_deref().filter(|t| !t.trim().is_empty()) {
            for cookie in cookies::import(text, &check.url).cookies {
                scrubber.add_value(cookie.value.expose());
            }
        }
    }
    scrubber
}

/// The last step of a check: every address in the diagnosis goes through [`redact::address`] (its own
/// fields and the addresses inside findings' sentences), and every outside value (headers,
/// bodies, challenge parameters) is scrubbed of the check's secrets. AuthDoctor's own words are
/// never scrubbed: they hold no secret.
pub(super) fn diagnosis(d: &mut Diagnosis, scrubber: &Scrubber) {
    let mut removed = Vec::new();
    let mut echoed = false;
    let mut url = |text: &mut String, removed: &mut Vec<String>| {
        echoed |= redact::scrubbed_address(text, scrubber, removed);
    };
    url(&mut d.url, &mut removed);
    if let Some(u) = &mut d.final_url {
        url(u, &mut removed);
    }
    for h in &mut d.hops {
        url(&mut h.url, &mut removed);
        if let Some(l) = &mut h.location {
            url(l, &mut removed);
        }
    }
    for r in &mut d.requests {
        url(&mut r.url, &mut removed);
    }
    if let Some(p) = &mut d.proxy {
        url(&mut p.url, &mut removed);
    }
    if let Some(c) = &mut d.credentials {
        url(&mut c.url, &mut removed);
        url(&mut c.final_url, &mut removed);
        for h in &mut c.hops {
            url(&mut h.url, &mut removed);
            if let Some(l) = &mut h.location {
                url(l, &mut removed);
            }
        }
    }
    for e in &mut d.exchanges {
        echoed |= redact::exchange(e, scrubber);
    }
    if let Some(answer) = d.credentials.as_mut().and_then(|c| c.answer.as_mut()) {
        echoed |= redact::exchange(answer, scrubber);
    }
    for c in d.challenges.iter_mut().chain(&mut d.proxy_challenges) {
        for value in c.params.values_mut().chain(c.token68.as_mut()) {
            if let Cow::Owned(v) = scrubber.value(value) {
                *value = v;
                echoed = true;
            }
        }
    }
    for f in &mut d.findings {
        redact::finding_addresses(f, &mut removed);
    }
    redact::addresses_everywhere(d, &mut removed);
    if echoed {
        removed.push("a secret of yours that the site sent back".to_owned());
    }
    for r in removed {
        if !d.redacted.contains(&r) {
            d.redacted.push(r);
        }
    }
}
