//! One request and its answer as the check keeps and shows them (headers escaped, secrets
//! already replaced): the record the live requests, HAR files, the analyses and the redaction
//! share. It sits below all of them, so none has to reach into another for it.

use serde::{Deserialize, Serialize};

use crate::engine::challenge::{self, ParsedChallenges};
use crate::engine::secret::Secret;

/// One HTTP header, with its value made safe to show (control bytes and invalid UTF-8 escaped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Lowercase header name.
    pub name: String,
    /// The value, escaped for display; secrets already replaced by `(redacted)`.
    pub value: String,
}

/// One request/response step of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The address requested.
    pub url: String,
    /// The status it answered.
    pub status: u16,
    /// Where it sent us, for redirects.
    pub location: Option<String>,
    /// Time from sending the request to having the answer's headers and body.
    pub elapsed_ms: u64,
}

/// A full answer, as observed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The address requested.
    pub url: String,
    /// The request headers we sent (secrets redacted).
    pub request_headers: Vec<Header>,
    /// Status code.
    pub status: u16,
    /// "HTTP/1.1", "HTTP/2"…
    pub http_version: String,
    /// The server's address, when known.
    pub remote_ip: Option<String>,
    /// Response headers, in order, names lowercase.
    pub headers: Vec<Header>,
    /// At most [`crate::engine::probe::MAX_BODY_BYTES`] of the body, decoded as UTF-8 (lossy).
    #[serde(default)]
    pub body_excerpt: String,
    /// True when the body was longer than what we kept.
    #[serde(default)]
    pub body_truncated: bool,
    /// Time taken.
    pub elapsed_ms: u64,
    /// The raw bytes of every `WWW-Authenticate` line (for the parser; not serialized).
    #[serde(skip)]
    pub www_authenticate_raw: Vec<Vec<u8>>,
    /// The raw bytes of every `Proxy-Authenticate` line.
    #[serde(skip)]
    pub proxy_authenticate_raw: Vec<Vec<u8>>,
    /// Every `Set-Cookie` as sent, to send the cookies back during a sign-in (never shown).
    #[serde(skip)]
    pub set_cookie_raw: Vec<Secret>,
}

impl Exchange {
    /// The first value of a header, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The parsed `WWW-Authenticate` challenges of this answer (all header lines, raw bytes).
    #[must_use]
    pub fn challenges(&self) -> ParsedChallenges {
        parse_raw(&self.www_authenticate_raw)
    }

    /// The parsed `Proxy-Authenticate` challenges of this answer.
    #[must_use]
    pub fn proxy_challenges(&self) -> ParsedChallenges {
        parse_raw(&self.proxy_authenticate_raw)
    }

    /// Every value of a header.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

#[cfg(test)]
impl Exchange {
    /// An answer for unit tests: these headers and body, nothing else.
    pub(crate) fn for_test(url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Exchange {
            url: url.to_owned(),
            request_headers: Vec::new(),
            status,
            http_version: "HTTP/1.1".to_owned(),
            remote_ip: None,
            headers: headers
                .iter()
                .map(|(n, v)| Header {
                    name: n.to_ascii_lowercase(),
                    value: (*v).to_owned(),
                })
                .collect(),
            body_excerpt: body.to_owned(),
            body_truncated: false,
            elapsed_ms: 1,
            www_authenticate_raw: Vec::new(),
            proxy_authenticate_raw: Vec::new(),
            set_cookie_raw: Vec::new(),
        }
    }
}

fn parse_raw(lines: &[Vec<u8>]) -> ParsedChallenges {
    if lines.is_empty() {
        return ParsedChallenges::default();
    }
    let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    challenge::parse_lines(&refs)
}
