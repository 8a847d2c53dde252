//! Secrets kept by construction. Inputs are cleaned at the boundary (an address loses its
//! `user:password@` and secret parameters before any finding exists), AuthDoctor's own sentences
//! never hold a secret, and only values from outside are scrubbed:
//!
//! - [`address`]: the one address sanitizer, for everything stored or shown;
//! - [`Scrubber`]: every secret of a check, in every encoding, cut out of what a site sent back;
//! - [`issued`]: secrets the server hands out, removed from reports and `har` output;
//! - [`shown`]: control characters, escape sequences and bidirectional overrides escaped in every
//!   text output; Markdown escaping;
//! - [`sent_header`]: `Authorization` and `Cookie` headers recognised, never echoed.

pub mod address;
pub mod issued;
mod scrub;
mod sent;
mod shown;

pub use address::{address, addresses_in_text, is_secret_param};
pub use scrub::{DROPPED_TEXT, MIN_VALUE_CHARS, Scrubbed, Scrubber};
pub use sent::{SentHeader, explain as explain_sent, sent_header};
pub use shown::{json_for_terminal, markdown, markdown_code, shown, shown_lines};

use std::borrow::Cow;

use url::Url;

use crate::engine::diagnosis::Diagnosis;
use crate::engine::finding::Finding;
use crate::engine::probe::{Exchange, Hop};

/// An address as findings and reports show it: no `user:password@`, no secret parameter values.
#[must_use]
pub fn shown_address(url: &Url) -> String {
    address(url.as_str())
}

/// Makes a recorded or observed answer safe to show: its address and `Location` go through
/// [`address`], and every outside value is scrubbed of the secrets `scrubber` knows.
pub fn exchange(exchange: &mut Exchange, scrubber: &Scrubber) {
    scrubber.exchange(exchange, false);
    exchange.url = address(&scrubber.value(&exchange.url));
    for h in &mut exchange.headers {
        if matches!(
            h.name.as_str(),
            "location" | "content-location" | "referer" | "origin"
        ) {
            h.value = address(&h.value);
        }
    }
    for h in &mut exchange.request_headers {
        if matches!(h.name.as_str(), "referer" | "origin") {
            h.value = address(&scrubber.value(&h.value));
        }
    }
}

/// The last step of a check: every address in the diagnosis goes through [`address`] (its own
/// fields and the addresses inside findings' sentences), and every outside value (headers,
/// bodies, challenge parameters) is scrubbed of the check's secrets. AuthDoctor's own words are
/// never scrubbed: they hold no secret.
pub fn diagnosis(d: &mut Diagnosis, scrubber: &Scrubber) {
    let url = |text: &mut String| {
        let clean = address(&scrubber.value(text));
        if clean != *text {
            *text = clean;
        }
    };
    url(&mut d.url);
    if let Some(u) = &mut d.final_url {
        url(u);
    }
    hops(&mut d.hops, scrubber);
    for e in &mut d.exchanges {
        exchange(e, scrubber);
    }
    if let Some(c) = &mut d.credentials {
        url(&mut c.url);
        hops(&mut c.hops, scrubber);
        if let Some(answer) = &mut c.answer {
            exchange(answer, scrubber);
        }
    }
    for c in d.challenges.iter_mut().chain(&mut d.proxy_challenges) {
        for value in c.params.values_mut().chain(c.token68.as_mut()) {
            if let Cow::Owned(v) = scrubber.value(value) {
                *value = v;
            }
        }
    }
    for f in &mut d.findings {
        finding_addresses(f);
    }
}

fn hops(hops: &mut [Hop], scrubber: &Scrubber) {
    for h in hops {
        h.url = address(&scrubber.value(&h.url));
        if let Some(l) = &mut h.location {
            *l = address(&scrubber.value(l));
        }
    }
}

/// The addresses inside a finding's sentences and evidence, through [`addresses_in_text`].
pub fn finding_addresses(f: &mut Finding) {
    let clean = |text: &mut String| {
        if let Cow::Owned(v) = addresses_in_text(text) {
            *text = v;
        }
    };
    clean(&mut f.title);
    clean(&mut f.detail);
    f.next_steps.iter_mut().for_each(clean);
    for e in &mut f.evidence {
        clean(&mut e.label);
        clean(&mut e.value);
    }
}
