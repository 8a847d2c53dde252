//! Secrets kept by construction. Inputs are cleaned at the boundary (an address loses its
//! `user:password@` and secret parameters before any finding exists), AuthDoctor's own sentences
//! never hold a secret, and only values from outside are scrubbed:
//!
//! - [`address`]: the one address sanitizer, for everything stored or shown;
//! - [`Scrubber`]: every secret of a check, in every encoding, cut out of what a site sent back;
//! - [`issued`]: secrets the server hands out, removed from reports and `har` output;
//! - [`shown`]: control characters, escape sequences and bidirectional overrides escaped in every
//!   text output; Markdown escaping;
//! - [`sent_header`]: `Authorization` and `Cookie` headers recognised, never echoed;
//!   [`redact_header_value`]: what of them (and of `Set-Cookie`) a kept request or answer shows.

pub mod address;
pub mod issued;
mod scrub;
mod sent;
mod shown;

pub use address::{address, addresses_in_text, is_secret_param};
pub use scrub::{DROPPED_TEXT, MIN_VALUE_CHARS, Scrubbed, Scrubber};
pub use sent::{SentHeader, explain as explain_sent, redact_header_value, sent_header};
pub use shown::{json_for_terminal, markdown, markdown_code, shown, shown_lines, unsafe_in_json};

use std::borrow::Cow;

use url::Url;

use crate::engine::exchange::Exchange;
use crate::engine::finding::Finding;

/// The same as [`address`]: the name the redirect loop and the request log know it by.
#[must_use]
pub fn address_without_secrets(text: &str) -> String {
    address(text)
}

/// An address as findings and reports show it: no `user:password@`, no secret parameter values.
#[must_use]
pub fn shown_address(url: &Url) -> String {
    address(url.as_str())
}

/// Makes a recorded or observed answer safe to show: its address and `Location` go through
/// [`address`], and every outside value is scrubbed of the secrets `scrubber` knows. True when
/// a secret of the scrubber's was found.
pub fn exchange(exchange: &mut Exchange, scrubber: &Scrubber) -> bool {
    // Addresses are set aside and cleaned on their own, the sanitizer first and then value by
    // value: a password equal to a parameter name (`code`) must not hide that parameter's value
    // from the sanitizer.
    let mut addresses = Vec::new();
    for (i, h) in exchange.headers.iter_mut().enumerate() {
        if is_address_header(&h.name) {
            addresses.push((i, std::mem::take(&mut h.value)));
        }
    }
    let mut echoed = scrubber.exchange(exchange, false);
    for (i, mut value) in addresses {
        echoed |= scrubbed_address(&mut value, scrubber, &mut Vec::new());
        if let Some(h) = exchange.headers.get_mut(i) {
            h.value = value;
        }
    }
    for h in &mut exchange.request_headers {
        if is_address_header(&h.name) {
            echoed |= scrubbed_address(&mut h.value, scrubber, &mut Vec::new());
        }
    }
    echoed |= scrubbed_address(&mut exchange.url, scrubber, &mut Vec::new());
    echoed
}

fn is_address_header(name: &str) -> bool {
    matches!(name, "location" | "content-location" | "referer" | "origin")
}

/// An address through [`address`], then its values (never its names) scrubbed. True when a
/// secret of the scrubber's was in it.
pub fn scrubbed_address(text: &mut String, scrubber: &Scrubber, removed: &mut Vec<String>) -> bool {
    let clean = address::address_noting(text, removed);
    let mut echoed = false;
    let shown_value = address::map_values(&clean, &mut |v| match scrubber.value(v) {
        Cow::Owned(s) => {
            echoed = true;
            Some(s)
        }
        Cow::Borrowed(_) => None,
    })
    .into_owned();
    if shown_value != *text {
        *text = shown_value;
    }
    echoed
}

/// A recorded answer (a HAR entry) made safe to show: what its request carried (`authorization`,
/// `cookie`, its address's secret parameters) is scrubbed from it, its addresses go through
/// [`address`], and what the server handed out (cookie values it set, token headers, secret body
/// fields) is removed.
pub fn recorded(exchange_: &mut Exchange, authorization: Option<&str>, cookie: Option<&str>) {
    let mut scrubber = Scrubber::default();
    if let Some(a) = authorization {
        scrubber.add_authorization(a);
    }
    if let Some(c) = cookie {
        scrubber.add_cookie_header(c);
    }
    scrubber.add_address(&exchange_.url);
    let _ = exchange(exchange_, &scrubber);
    let mut removed = Vec::new();
    for h in exchange_
        .headers
        .iter_mut()
        .chain(&mut exchange_.request_headers)
    {
        if let Some(v) = issued::header(h, &mut removed) {
            h.value = v;
        }
    }
    if let Cow::Owned(body) = issued::body(&exchange_.body_excerpt, &mut removed) {
        exchange_.body_excerpt = body;
    }
}

/// The backstop for addresses in fields the typed walk does not know (a field added later):
/// every string value of a diagnosis (or any value that reads back from JSON), never a key,
/// through [`addresses_in_text`]. It uses no secret, so it cannot garble a word; if the value
/// would not read back, the typed walk's result stands, which holds none of the user's secrets.
pub fn addresses_everywhere<T>(d: &mut T, removed: &mut Vec<String>)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    fn walk(v: &mut serde_json::Value, removed: &mut Vec<String>) -> bool {
        match v {
            serde_json::Value::String(s) => match address::addresses_in_text_noting(s, removed) {
                Cow::Owned(clean) => {
                    *s = clean;
                    true
                }
                Cow::Borrowed(_) => false,
            },
            serde_json::Value::Array(items) => {
                items.iter_mut().fold(false, |c, i| walk(i, removed) | c)
            }
            serde_json::Value::Object(map) => {
                map.values_mut().fold(false, |c, i| walk(i, removed) | c)
            }
            _ => false,
        }
    }
    let Ok(mut value) = serde_json::to_value(&*d) else {
        return;
    };
    if walk(&mut value, removed)
        && let Ok(clean) = serde_json::from_value::<T>(value)
    {
        *d = clean;
    }
}

/// The addresses inside a finding's sentences and evidence, through [`addresses_in_text`];
/// what was removed is added to `removed`, by kind.
pub fn finding_addresses(f: &mut Finding, removed: &mut Vec<String>) {
    let mut clean = |text: &mut String| {
        if let Cow::Owned(v) = address::addresses_in_text_noting(text, removed) {
            *text = v;
        }
    };
    clean(&mut f.title);
    clean(&mut f.detail);
    f.next_steps.iter_mut().for_each(&mut clean);
    for e in &mut f.evidence {
        clean(&mut e.label);
        clean(&mut e.value);
    }
}
