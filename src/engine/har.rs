//! HAR import: a customer exports the browser's network log (DevTools → Network → "Save all as
//! HAR"), and AuthDoctor finds the 401 answers in it and runs the offline part of the diagnosis on
//! each (challenge, redirects, cache headers, cookies sent, timing) with no live access.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::engine::diagnosis::{Diagnosis, diagnose_recorded};
use crate::engine::probe::{
    Exchange, Header, Hop, MAX_BODY_BYTES, Probe, body_text, escape_bytes, redact_header_value,
};

/// Why a HAR file could not be read at all (a broken entry is skipped and noted instead).
#[derive(Debug, thiserror::Error)]
pub enum HarError {
    /// Not JSON, or not a HAR's shape.
    #[error("this file is not a HAR network log: {0}")]
    NotHar(String),
}

#[derive(Deserialize)]
struct HarFile<'a> {
    #[serde(borrow)]
    log: HarLog<'a>,
}

/// Entries stay raw JSON (borrowed from the text) until each is read on its own, so a 100 MB log
/// is never held twice.
#[derive(Deserialize)]
struct HarLog<'a> {
    #[serde(default)]
    creator: Option<NameVersion>,
    #[serde(default)]
    browser: Option<NameVersion>,
    #[serde(default, borrow)]
    entries: Vec<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
struct NameVersion {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "startedDateTime", default)]
    started: String,
    #[serde(default)]
    time: f64,
    request: HarRequest,
    response: HarResponse,
    #[serde(rename = "serverIPAddress", default)]
    server_ip: Option<String>,
}

#[derive(Deserialize)]
struct HarRequest {
    #[serde(default)]
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<NameValue>,
    #[serde(default)]
    cookies: Vec<NameValue>,
}

#[derive(Deserialize)]
struct HarResponse {
    #[serde(default)]
    status: i64,
    #[serde(rename = "httpVersion", default)]
    http_version: String,
    #[serde(default)]
    headers: Vec<NameValue>,
    #[serde(rename = "redirectURL", default)]
    redirect_url: String,
    #[serde(default)]
    content: Content,
}

#[derive(Deserialize, Default)]
struct Content {
    #[serde(default, deserialize_with = "truncated_text")]
    text: String,
}

#[derive(Deserialize)]
struct NameValue {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: String,
}

/// Keeps at most [`MAX_BODY_BYTES`] of a body; bodies may be huge or base64.
fn truncated_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?.unwrap_or_default();
    if text.len() <= MAX_BODY_BYTES {
        return Ok(text);
    }
    let mut end = MAX_BODY_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Ok(text.get(..end).unwrap_or_default().to_owned())
}

/// One 401 (or 407) found in the log, with the offline diagnosis of the chain that led to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarFinding {
    /// Position of the answer in the log (1-based, as DevTools lists it).
    pub entry: usize,
    /// The request method.
    pub method: String,
    /// The address that answered 401.
    pub url: String,
    /// When the browser sent it.
    pub started: String,
    /// The names of the cookies the browser sent with it (values never kept).
    pub cookies_sent: Vec<String>,
    /// True when the browser sent an `Authorization` header (its value never kept).
    pub sent_authorization: bool,
    /// The diagnosis of the chain.
    pub diagnosis: Diagnosis,
}

/// What a HAR file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarReport {
    /// The browser or tool that wrote it ("Chrome 120", "Firefox 121").
    pub source: String,
    /// How many requests the log holds.
    pub entries: usize,
    /// Every 401/407 answer, diagnosed.
    pub findings: Vec<HarFinding>,
    /// Entries that could not be read, with why (the rest is still used).
    pub problems: Vec<String>,
}

fn headers_of(list: &[NameValue]) -> Vec<Header> {
    list.iter()
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| {
            let name = h.name.to_ascii_lowercase();
            let value = escape_bytes(h.value.as_bytes());
            Header {
                value: redact_header_value(&name, &value),
                name,
            }
        })
        .collect()
}

fn exchange_of(entry: &Entry) -> Exchange {
    let raw = |name: &str| {
        entry
            .response
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_bytes().to_vec())
            .collect::<Vec<_>>()
    };
    Exchange {
        url: entry.request.url.clone(),
        request_headers: headers_of(&entry.request.headers)
            .into_iter()
            .filter_map(|h| {
                let kept = matches!(
                    h.name.as_str(),
                    "authorization"
                        | "cookie"
                        | "cache-control"
                        | "pragma"
                        | "user-agent"
                        | "referer"
                        | "origin"
                );
                // A name with an underscore (api_key) is kept for its name alone: web servers
                // drop such headers, and its value may be a key.
                if h.name.contains('_') && !kept {
                    return Some(Header {
                        name: h.name,
                        value: crate::engine::secret::REDACTED.to_owned(),
                    });
                }
                kept.then_some(h)
            })
            .collect(),
        status: u16::try_from(entry.response.status).unwrap_or(0),
        http_version: entry.response.http_version.clone(),
        remote_ip: entry.server_ip.clone().filter(|s| !s.is_empty()),
        headers: headers_of(&entry.response.headers),
        body_truncated: entry.response.content.text.len() >= MAX_BODY_BYTES,
        // Shown like a live answer's body: control characters escaped, never raw.
        body_excerpt: body_text(entry.response.content.text.as_bytes()),
        elapsed_ms: entry.time.max(0.0) as u64,
        www_authenticate_raw: raw("www-authenticate"),
        proxy_authenticate_raw: raw("proxy-authenticate"),
        // A recording is diagnosed offline: nothing is sent back, so no cookie is kept.
        set_cookie_raw: Vec::new(),
    }
}

fn location_of(entry: &Entry) -> Option<String> {
    if !entry.response.redirect_url.is_empty() {
        return Some(entry.response.redirect_url.clone());
    }
    entry
        .response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("location"))
        .map(|h| h.value.clone())
}

/// Reads a HAR log and diagnoses every 401 and 407 in it. `progress` is told how many entries of
/// how many were handled, for a progress bar.
pub fn analyze(text: &str, mut progress: impl FnMut(usize, usize)) -> Result<HarReport, HarError> {
    let file: HarFile = serde_json::from_str(text).map_err(|e| HarError::NotHar(e.to_string()))?;
    let mut report = HarReport {
        source: file
            .log
            .browser
            .as_ref()
            .or(file.log.creator.as_ref())
            .map(|c| format!("{} {}", c.name, c.version).trim().to_owned())
            .unwrap_or_default(),
        entries: file.log.entries.len(),
        ..HarReport::default()
    };
    let total = file.log.entries.len();
    let mut entries: Vec<(usize, Entry)> = Vec::with_capacity(total);
    for (i, raw) in file.log.entries.into_iter().enumerate() {
        match serde_json::from_str::<Entry>(raw.get()) {
            Ok(e) => entries.push((i + 1, e)),
            Err(e) => report.problems.push(format!("entry {}: {e}", i + 1)),
        }
        if i % 256 == 0 {
            progress(i, total);
        }
    }
    // Which entry redirected to which address, to rebuild the chain that led to each 401.
    let mut redirected_to: HashMap<String, usize> = HashMap::new();
    for (pos, (_, e)) in entries.iter().enumerate() {
        if (300..400).contains(&e.response.status)
            && let Some(location) = location_of(e)
            && let Ok(base) = Url::parse(&e.request.url)
            && let Ok(target) = base.join(&location)
        {
            redirected_to.insert(target.to_string(), pos);
        }
    }
    for (pos, (number, e)) in entries.iter().enumerate() {
        if !matches!(e.response.status, 401 | 407) {
            continue;
        }
        let Ok(url) = Url::parse(&e.request.url) else {
            report.problems.push(format!(
                "entry {number}: the address \"{}\" cannot be read",
                e.request.url
            ));
            continue;
        };
        let mut chain = vec![pos];
        let mut current = url.to_string();
        while let Some(&prev) = redirected_to.get(&current) {
            if chain.contains(&prev) || prev >= pos || chain.len() > 20 {
                break;
            }
            chain.push(prev);
            current = entries
                .get(prev)
                .map(|(_, p)| p.request.url.clone())
                .unwrap_or_default();
        }
        chain.reverse();
        let mut probe = Probe::default();
        for &p in &chain {
            let Some((_, entry)) = entries.get(p) else {
                continue;
            };
            let exchange = exchange_of(entry);
            probe.hops.push(Hop {
                url: exchange.url.clone(),
                status: exchange.status,
                location: location_of(entry),
                elapsed_ms: exchange.elapsed_ms,
            });
            probe.exchanges.push(exchange);
        }
        let start = probe
            .exchanges
            .first()
            .and_then(|x| Url::parse(&x.url).ok())
            .unwrap_or_else(|| url.clone());
        probe.crossed_origin = probe
            .exchanges
            .iter()
            .any(|x| Url::parse(&x.url).is_ok_and(|u| u.origin() != start.origin()));
        let diagnosis = diagnose_recorded(&start, &probe, e.started.clone());
        let mut cookies_sent: Vec<String> =
            e.request.cookies.iter().map(|c| c.name.clone()).collect();
        if cookies_sent.is_empty() {
            for h in e
                .request
                .headers
                .iter()
                .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
            {
                cookies_sent.extend(
                    h.value
                        .split(';')
                        .filter_map(|p| p.split_once('=').map(|(n, _)| n.trim().to_owned())),
                );
            }
        }
        report.findings.push(HarFinding {
            entry: *number,
            method: e.request.method.clone(),
            url: e.request.url.clone(),
            started: e.started.clone(),
            cookies_sent,
            sent_authorization: e
                .request
                .headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("authorization")),
            diagnosis,
        });
    }
    progress(total, total);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME_LIKE: &str = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
      {"startedDateTime":"2026-11-20T10:00:00.000Z","time":12.5,"serverIPAddress":"203.0.113.9",
       "request":{"method":"GET","url":"https://shop.example/old","httpVersion":"HTTP/1.1","headers":[{"name":"Cookie","value":"sid=abc; theme=dark"}],"cookies":[]},
       "response":{"status":301,"httpVersion":"HTTP/1.1","headers":[{"name":"Location","value":"/members/"}],"redirectURL":"https://shop.example/members/","content":{"size":0}}},
      {"startedDateTime":"2026-11-20T10:00:00.100Z","time":30,
       "request":{"method":"GET","url":"https://shop.example/members/","headers":[{"name":"Cookie","value":"sid=abc"},{"name":"Authorization","value":"Basic YWxpY2U6cHc="}],"cookies":[{"name":"sid","value":"abc"}]},
       "response":{"status":401,"httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Basic realm=\"Members\""}],"redirectURL":"","content":{"size":5,"text":"nope!"}}}
    ]}}"#;

    #[test]
    fn a_401_in_a_har_is_diagnosed_with_its_redirect_chain_and_cookie_names() {
        let report = analyze(CHROME_LIKE, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.entries, 2);
        assert_eq!(report.findings.len(), 1);
        let f = &report.findings[0];
        assert_eq!(f.entry, 2);
        assert_eq!(f.cookies_sent, vec!["sid".to_owned()]);
        assert!(f.sent_authorization);
        assert_eq!(f.diagnosis.hops.len(), 2);
        assert_eq!(f.diagnosis.status, Some(401));
        assert_eq!(f.diagnosis.challenges[0].scheme, "Basic");
        let json = serde_json::to_string(&report).unwrap_or_default();
        assert!(
            !json.contains("YWxpY2U6cHc="),
            "the Authorization value is not kept"
        );
    }

    #[test]
    fn control_characters_in_a_recorded_body_are_escaped() {
        let text = r#"{"log":{"entries":[{"request":{"url":"http://a.example/"},"response":{"status":401,"headers":[],"content":{"text":"bad \u001b[31m \u009b2J end"}}}]}}"#;
        let report = analyze(text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        let body = &report.findings[0].diagnosis.exchanges[0].body_excerpt;
        assert!(
            !body
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{body:?}"
        );
        assert!(body.contains("\\x1b"), "{body:?}");
    }

    #[test]
    fn a_broken_entry_is_reported_and_the_rest_still_read() {
        let text = r#"{"log":{"entries":[{"request":{}}, {"request":{"url":"http://a.example/"},"response":{"status":401,"headers":[]}}]}}"#;
        let report = analyze(text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.findings.len(), 1);
        assert!(analyze("not json", |_, _| {}).is_err());
        assert!(analyze("{\"log\": 5}", |_, _| {}).is_err());
    }
}
