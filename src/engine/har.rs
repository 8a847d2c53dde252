//! HAR import: a customer exports the browser's network log (DevTools → Network → "Save all as
//! HAR"), and AuthDoctor finds the 401 answers in it and runs the offline part of the diagnosis on
//! each (challenge, redirects, cache headers, cookies sent, timing) with no live access.
//!
//! The log is read as a stream, one entry at a time, so memory does not grow with the file: only
//! the most recent redirects (to rebuild the chain before each 401) and the first few answers of
//! each likely cause are kept; every further answer like them is counted. Every value kept from
//! the file is capped.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::engine::bounded::{self, LossyUtf8};
use crate::engine::diagnosis::{Diagnosis, diagnose_recorded};
use crate::engine::finding::Code;
use crate::engine::probe::{
    Exchange, Header, Hop, MAX_BODY_BYTES, Probe, body_text, escape_bytes, redact_header_value,
};
use crate::engine::redact;

/// The most answers of one likely cause shown in full; the rest are counted in their group.
pub const SHOWN_PER_GROUP: usize = 3;
/// The most entry numbers listed for the answers of a group that are not shown in full.
pub const LISTED_PER_GROUP: usize = 20;
/// The most unreadable entries listed one by one; the rest are counted.
pub const MAX_LISTED_PROBLEMS: usize = 20;
/// The longest header value or address kept from the log, in bytes; longer ones are cut and
/// end with "…".
pub const MAX_VALUE_BYTES: usize = 16 * 1024;
/// The longest method, date or name kept, in bytes.
const MAX_SHORT_BYTES: usize = 256;
/// The most headers kept of one request or answer.
const MAX_HEADERS: usize = 500;
/// The most cookies kept of one request.
const MAX_COOKIES: usize = 200;
/// How many of the latest redirects are remembered to rebuild the chain that led to a 401.
const REMEMBERED_REDIRECTS: usize = 4096;
/// The most hops of one rebuilt chain.
const MAX_CHAIN: usize = 20;
/// Progress is told after every this many bytes.
const PROGRESS_STEP_BYTES: u64 = 1 << 20;

/// Why a HAR file could not be read at all (a broken entry is skipped and noted instead).
#[derive(Debug, thiserror::Error)]
pub enum HarError {
    /// Not JSON, or not a HAR's shape.
    #[error("this file is not a HAR network log: {0}")]
    NotHar(String),
    /// Larger than [`bounded::HAR`].
    #[error(
        "the file holds more than {}, the most AuthDoctor reads as {}",
        bounded::size(bounded::HAR.max_bytes),
        bounded::HAR.what
    )]
    TooLarge,
    /// Reading the file failed part way.
    #[error("the file could not be read: {0}")]
    Read(String),
}

impl From<serde_json::Error> for HarError {
    fn from(error: serde_json::Error) -> Self {
        match error.io_error_kind() {
            Some(std::io::ErrorKind::FileTooLarge) => HarError::TooLarge,
            Some(_) => HarError::Read(error.to_string()),
            None => HarError::NotHar(error.to_string()),
        }
    }
}

#[derive(Deserialize)]
struct NameVersion {
    #[serde(default, deserialize_with = "short_text")]
    name: String,
    #[serde(default, deserialize_with = "short_text")]
    version: String,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "startedDateTime", default, deserialize_with = "short_text")]
    started: String,
    #[serde(default)]
    time: f64,
    request: HarRequest,
    response: HarResponse,
    #[serde(rename = "serverIPAddress", default, deserialize_with = "short_text")]
    server_ip: String,
}

#[derive(Deserialize)]
struct HarRequest {
    #[serde(default, deserialize_with = "short_text")]
    method: String,
    #[serde(deserialize_with = "value_text")]
    url: String,
    #[serde(default, deserialize_with = "header_list")]
    headers: Vec<NameValue>,
    #[serde(default, deserialize_with = "cookie_list")]
    cookies: Vec<NameValue>,
}

#[derive(Deserialize)]
struct HarResponse {
    #[serde(default)]
    status: i64,
    #[serde(rename = "httpVersion", default, deserialize_with = "short_text")]
    http_version: String,
    #[serde(default, deserialize_with = "header_list")]
    headers: Vec<NameValue>,
    #[serde(rename = "redirectURL", default, deserialize_with = "value_text")]
    redirect_url: String,
    #[serde(default)]
    content: Content,
}

#[derive(Deserialize, Default)]
struct Content {
    #[serde(default, deserialize_with = "body_capped")]
    text: String,
}

#[derive(Deserialize)]
struct NameValue {
    #[serde(default, deserialize_with = "short_text")]
    name: String,
    #[serde(default, deserialize_with = "value_text")]
    value: String,
}

/// Reads a string (or a number, or null) keeping at most `max` bytes, without ever holding the
/// whole of a huge value a second time.
struct Capped {
    max: usize,
    mark_cut: bool,
}

impl Capped {
    fn keep(&self, v: &str) -> String {
        if v.len() <= self.max {
            return v.to_owned();
        }
        let mut end = self.max;
        while !v.is_char_boundary(end) {
            end -= 1;
        }
        let mut kept = v.get(..end).unwrap_or_default().to_owned();
        if self.mark_cut {
            kept.push('…');
        }
        kept
    }
}

impl Visitor<'_> for Capped {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(self.keep(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        if v.len() <= self.max {
            return Ok(v);
        }
        Ok(self.keep(&v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

fn short_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Capped {
        max: MAX_SHORT_BYTES,
        mark_cut: true,
    })
}

fn value_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Capped {
        max: MAX_VALUE_BYTES,
        mark_cut: true,
    })
}

/// Keeps at most [`MAX_BODY_BYTES`] of a body; bodies may be huge or base64.
fn body_capped<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Capped {
        max: MAX_BODY_BYTES,
        mark_cut: false,
    })
}

/// Reads a list of name/value pairs keeping the first `max`; null reads as empty.
struct CappedList {
    max: usize,
}

impl<'de> Visitor<'de> for CappedList {
    type Value = Vec<NameValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of names and values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        while kept.len() < self.max {
            match seq.next_element::<NameValue>()? {
                Some(pair) => kept.push(pair),
                None => return Ok(kept),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(kept)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

fn header_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NameValue>, D::Error> {
    d.deserialize_any(CappedList { max: MAX_HEADERS })
}

fn cookie_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NameValue>, D::Error> {
    d.deserialize_any(CappedList { max: MAX_COOKIES })
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

/// The 401 and 407 answers of the log that share a status and a likely cause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarGroup {
    /// 401 or 407.
    pub status: u16,
    /// The likely cause the answers share, when one could be named.
    pub likely_cause: Option<Code>,
    /// That cause's title, as the group's first diagnosis words it.
    pub title: String,
    /// How many answers the group holds.
    pub count: usize,
    /// The entries of the group's answers shown in full in [`HarReport::findings`]: the first
    /// [`SHOWN_PER_GROUP`].
    pub shown: Vec<usize>,
    /// How many more answers are like these (`count` minus those shown).
    pub more: usize,
    /// The entries of the first [`LISTED_PER_GROUP`] of those more answers.
    pub more_entries: Vec<usize>,
}

/// What a HAR file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarReport {
    /// The browser or tool that wrote it ("Chrome 120", "Firefox 121").
    pub source: String,
    /// How many requests the log holds.
    pub entries: usize,
    /// The 401/407 answers shown in full, diagnosed, in the order of the log: the first
    /// [`SHOWN_PER_GROUP`] of each group; the rest are counted in [`HarReport::groups`].
    pub findings: Vec<HarFinding>,
    /// Entries that could not be read, with why (the rest is still used): the first
    /// [`MAX_LISTED_PROBLEMS`].
    pub problems: Vec<String>,
    /// How many 401/407 answers the log holds in all.
    #[serde(default)]
    pub answers: usize,
    /// The answers grouped by status and likely cause, the largest group first.
    #[serde(default)]
    pub groups: Vec<HarGroup>,
    /// How many more entries could not be read than [`HarReport::problems`] lists.
    #[serde(default)]
    pub problems_not_listed: usize,
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
    let mut exchange = Exchange {
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
        remote_ip: Some(entry.server_ip.clone()).filter(|s| !s.is_empty()),
        headers: headers_of(&entry.response.headers),
        body_truncated: entry.response.content.text.len() >= MAX_BODY_BYTES,
        // Shown like a live answer's body: control characters escaped, never raw.
        body_excerpt: body_text(entry.response.content.text.as_bytes()),
        elapsed_ms: entry.time.max(0.0) as u64,
        www_authenticate_raw: raw("www-authenticate"),
        proxy_authenticate_raw: raw("proxy-authenticate"),
        // A recording is diagnosed offline: nothing is sent back, so no cookie is kept.
        set_cookie_raw: Vec::new(),
    };
    // The log's own sign-in and cookies are secrets: scrubbed from what the server answered,
    // with what the server handed out and the addresses' secrets.
    let sent = |name: &str| {
        entry
            .request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    };
    redact::recorded(&mut exchange, sent("authorization"), sent("cookie"));
    exchange
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

/// A redirect seen earlier in the log, kept to rebuild the chain before a later 401.
struct Redirect {
    entry: usize,
    exchange: Exchange,
    location: Option<String>,
}

/// The latest [`REMEMBERED_REDIRECTS`] redirects, by the address they sent the browser to.
#[derive(Default)]
struct RecentRedirects {
    by_target: HashMap<String, Redirect>,
    /// Targets in the order they were remembered (with the entry, to skip replaced ones).
    order: VecDeque<(String, usize)>,
}

impl RecentRedirects {
    fn remember(&mut self, target: String, redirect: Redirect) {
        self.order.push_back((target.clone(), redirect.entry));
        self.by_target.insert(target, redirect);
        while self.by_target.len() > REMEMBERED_REDIRECTS
            || self.order.len() > 4 * REMEMBERED_REDIRECTS
        {
            let Some((target, entry)) = self.order.pop_front() else {
                break;
            };
            if self
                .by_target
                .get(&target)
                .is_some_and(|r| r.entry == entry)
            {
                self.by_target.remove(&target);
            }
        }
    }

    /// The chain of remembered redirects that ended at `url`, oldest first.
    fn chain_to(&self, url: &str) -> Vec<&Redirect> {
        let mut chain: Vec<&Redirect> = Vec::new();
        let mut current = url;
        while let Some(previous) = self.by_target.get(current) {
            if chain.len() >= MAX_CHAIN || chain.iter().any(|r| r.entry == previous.entry) {
                break;
            }
            chain.push(previous);
            current = &previous.exchange.url;
        }
        chain.reverse();
        chain
    }
}

/// The state of one pass over a log.
struct Analyzer {
    report: HarReport,
    redirects: RecentRedirects,
    group_of: HashMap<(u16, Option<Code>), usize>,
    creator: Option<NameVersion>,
    browser: Option<NameVersion>,
    /// Chooses further entries to describe in full (see [`analyze_reader_picking`]).
    pick: Option<Picker>,
    picked: Vec<HarFinding>,
}

/// Told each entry's number, address (secrets removed) and status; true to describe it in full.
pub type Picker = Box<dyn FnMut(usize, &str, u16) -> bool>;

impl Analyzer {
    fn new() -> Self {
        Analyzer {
            report: HarReport::default(),
            redirects: RecentRedirects::default(),
            group_of: HashMap::new(),
            creator: None,
            browser: None,
            pick: None,
            picked: Vec::new(),
        }
    }

    fn problem(&mut self, text: String) {
        if self.report.problems.len() < MAX_LISTED_PROBLEMS {
            self.report.problems.push(text);
        } else {
            self.report.problems_not_listed += 1;
        }
    }

    /// Reads one entry of `log.entries`, given as its raw JSON text.
    fn entry(&mut self, raw: &str) {
        self.report.entries += 1;
        let number = self.report.entries;
        match serde_json::from_str::<Entry>(raw) {
            Ok(entry) => self.take(number, &entry),
            Err(e) => self.problem(format!("entry {number}: {e}")),
        }
    }

    fn take(&mut self, number: usize, entry: &Entry) {
        let status = entry.response.status;
        let address = redact::address(&entry.request.url);
        let wanted = self
            .pick
            .as_mut()
            .is_some_and(|pick| pick(number, &address, u16::try_from(status).unwrap_or(0)));
        if wanted && let Ok(url) = Url::parse(&entry.request.url) {
            let described = self.diagnose(number, entry, &url);
            self.picked.push(described);
        }
        if (300..400).contains(&status) {
            if let Some(location) = location_of(entry)
                && let Ok(base) = Url::parse(&entry.request.url)
                && let Ok(target) = base.join(&location)
            {
                self.redirects.remember(
                    target.to_string(),
                    Redirect {
                        entry: number,
                        exchange: exchange_of(entry),
                        location: Some(location),
                    },
                );
            }
            return;
        }
        if !matches!(status, 401 | 407) {
            return;
        }
        let Ok(url) = Url::parse(&entry.request.url) else {
            let shown: String = redact::address(&entry.request.url)
                .chars()
                .take(200)
                .collect();
            self.problem(format!(
                "entry {number}: the address \"{shown}\" cannot be read"
            ));
            return;
        };
        let finding = self.diagnose(number, entry, &url);
        self.report.answers += 1;
        let key = (status as u16, finding.diagnosis.likely_cause);
        let index = *self.group_of.entry(key).or_insert_with(|| {
            self.report.groups.push(HarGroup {
                status: key.0,
                likely_cause: key.1,
                title: finding
                    .diagnosis
                    .likely_finding()
                    .map(|f| f.title.clone())
                    .unwrap_or_default(),
                count: 0,
                shown: Vec::new(),
                more: 0,
                more_entries: Vec::new(),
            });
            self.report.groups.len() - 1
        });
        let Some(group) = self.report.groups.get_mut(index) else {
            return;
        };
        group.count += 1;
        if group.shown.len() < SHOWN_PER_GROUP {
            group.shown.push(number);
            self.report.findings.push(finding);
        } else {
            group.more += 1;
            if group.more_entries.len() < LISTED_PER_GROUP {
                group.more_entries.push(number);
            }
        }
    }

    fn diagnose(&self, number: usize, entry: &Entry, url: &Url) -> HarFinding {
        let mut probe = Probe::default();
        let this = Redirect {
            entry: number,
            exchange: exchange_of(entry),
            location: location_of(entry),
        };
        let chain = self.redirects.chain_to(url.as_str());
        for hop in chain.into_iter().chain(std::iter::once(&this)) {
            probe.hops.push(Hop {
                url: hop.exchange.url.clone(),
                status: hop.exchange.status,
                location: hop.location.as_deref().map(redact::address),
                elapsed_ms: hop.exchange.elapsed_ms,
            });
            probe.exchanges.push(hop.exchange.clone());
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
        let diagnosis = diagnose_recorded(&start, &probe, entry.started.clone());
        let mut cookies_sent: Vec<String> = entry
            .request
            .cookies
            .iter()
            .map(|c| c.name.clone())
            .collect();
        if cookies_sent.is_empty() {
            for h in entry
                .request
                .headers
                .iter()
                .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
            {
                cookies_sent.extend(
                    h.value
                        .split(';')
                        .filter_map(|p| p.split_once('=').map(|(n, _)| n.trim().to_owned()))
                        .take(MAX_COOKIES),
                );
            }
            cookies_sent.truncate(MAX_COOKIES);
        }
        HarFinding {
            entry: number,
            method: entry.request.method.clone(),
            url: redact::address(&entry.request.url),
            started: entry.started.clone(),
            cookies_sent,
            sent_authorization: entry
                .request
                .headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("authorization")),
            diagnosis,
        }
    }

    fn finish(mut self) -> HarReport {
        self.report.source = self
            .browser
            .as_ref()
            .or(self.creator.as_ref())
            .map(|c| format!("{} {}", c.name, c.version).trim().to_owned())
            .unwrap_or_default();
        // The largest group first; groups of one size keep the order of the log.
        self.report
            .groups
            .sort_by_key(|g| std::cmp::Reverse(g.count));
        self.report
    }
}

/// The whole file: `{"log": {...}}`, anything else beside `log` skipped.
struct FileSeed<'a>(&'a mut Analyzer);

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR file (an object with a \"log\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut saw_log = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" && !saw_log {
                map.next_value_seed(LogSeed(&mut *self.0))?;
                saw_log = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if saw_log {
            Ok(())
        } else {
            Err(de::Error::missing_field("log"))
        }
    }
}

/// `log`: its creator and browser, and its entries read one by one.
struct LogSeed<'a>(&'a mut Analyzer);

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR log (an object with \"entries\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "entries" => map.next_value_seed(EntriesSeed(&mut *self.0))?,
                "creator" => self.0.creator = map.next_value::<Lenient<NameVersion>>()?.0,
                "browser" => self.0.browser = map.next_value::<Lenient<NameVersion>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `log.entries`, each kept as raw JSON only while it is read, so a broken one is skipped and
/// noted while the rest are still read.
struct EntriesSeed<'a>(&'a mut Analyzer);

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<serde_json::value::RawValue>>()? {
            self.0.entry(raw.get());
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A value that reads as `None` when it has another shape than expected.
struct Lenient<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(Lenient(T::deserialize(value).ok()))
    }
}

/// Counts the bytes read and tells `progress` every [`PROGRESS_STEP_BYTES`].
struct Counted<R, F> {
    inner: R,
    read: u64,
    told: u64,
    progress: F,
}

impl<R: Read, F: FnMut(u64)> Read for Counted<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read >= self.told + PROGRESS_STEP_BYTES {
            self.told = self.read;
            (self.progress)(self.read);
        }
        Ok(n)
    }
}

/// Reads a HAR log from `reader` as a stream and diagnoses every 401 and 407 in it. `progress`
/// is told how many bytes have been read, for a progress bar. A UTF-8 byte-order mark is
/// skipped and invalid UTF-8 read as U+FFFD. Give a [`bounded::Bounded`] reader with
/// [`bounded::HAR`], so a device or an endless pipe ends with [`HarError::TooLarge`].
pub fn analyze_reader(reader: impl Read, progress: impl FnMut(u64)) -> Result<HarReport, HarError> {
    let mut analyzer = Analyzer::new();
    read_into(reader, progress, &mut analyzer)?;
    Ok(analyzer.finish())
}

fn read_into(
    reader: impl Read,
    progress: impl FnMut(u64),
    analyzer: &mut Analyzer,
) -> Result<(), HarError> {
    let counted = Counted {
        inner: reader,
        read: 0,
        told: 0,
        progress,
    };
    let mut text = BufReader::with_capacity(256 * 1024, LossyUtf8::new(counted));
    let start = text.fill_buf().map_err(serde_json::Error::io)?;
    if start.starts_with("\u{FEFF}".as_bytes()) {
        text.consume(3);
    }
    let mut json = serde_json::Deserializer::from_reader(text);
    FileSeed(analyzer).deserialize(&mut json)?;
    json.end()?;
    Ok(())
}

/// [`analyze_reader`], and also every entry `pick` chooses described in full (any status), in the
/// order of the log: for comparing a working and a failing exchange.
pub fn analyze_reader_picking(
    reader: impl Read,
    pick: Picker,
) -> Result<(HarReport, Vec<HarFinding>), HarError> {
    let mut analyzer = Analyzer::new();
    analyzer.pick = Some(pick);
    read_into(reader, |_| {}, &mut analyzer)?;
    let picked = std::mem::take(&mut analyzer.picked);
    Ok((analyzer.finish(), picked))
}

/// Reads a HAR log held in memory; see [`analyze_reader`]. `progress` is told how many bytes of
/// how many were read.
pub fn analyze(text: &str, mut progress: impl FnMut(usize, usize)) -> Result<HarReport, HarError> {
    let total = text.len();
    let report = analyze_reader(text.as_bytes(), |done| {
        progress(usize::try_from(done).unwrap_or(total), total);
    })?;
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
        let json = crate::engine::test_json(&report);
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

    fn log_of(entries: &[String]) -> String {
        format!("{{\"log\":{{\"entries\":[{}]}}}}", entries.join(","))
    }

    fn basic_401(n: usize) -> String {
        format!(
            r#"{{"request":{{"url":"https://a.example/{n}"}},"response":{{"status":401,"headers":[{{"name":"WWW-Authenticate","value":"Basic realm=\"x\""}}]}}}}"#
        )
    }

    #[test]
    fn a_log_that_starts_with_a_byte_order_mark_is_read() {
        let text = format!("\u{FEFF}{CHROME_LIKE}");
        let report = analyze(&text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.answers, 1);
    }

    #[test]
    fn answers_with_one_cause_are_grouped_the_first_few_in_full_and_the_rest_counted() {
        let mut entries: Vec<String> = (0..50).map(basic_401).collect();
        entries.push(
            r#"{"request":{"url":"https://b.example/"},"response":{"status":407,"headers":[{"name":"Proxy-Authenticate","value":"Basic realm=\"proxy\""}]}}"#
                .to_owned(),
        );
        let report = analyze(&log_of(&entries), |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.entries, 51);
        assert_eq!(report.answers, 51);
        assert_eq!(report.groups.len(), 2, "{:?}", report.groups);
        let big = &report.groups[0];
        assert_eq!((big.status, big.count), (401, 50));
        assert_eq!(big.shown, vec![1, 2, 3]);
        assert_eq!(big.more, 47);
        assert_eq!(big.more_entries.len(), LISTED_PER_GROUP);
        assert_eq!(big.more_entries[0], 4);
        assert_eq!(report.groups[1].status, 407);
        assert_eq!(report.findings.len(), SHOWN_PER_GROUP + 1);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.diagnosis.likely_cause.is_some())
        );
    }

    #[test]
    fn a_hundred_thousand_broken_entries_are_counted_not_listed() {
        let broken = vec!["{}".to_owned(); 100_000];
        let report = analyze(&log_of(&broken), |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.entries, 100_000);
        assert_eq!(report.problems.len(), MAX_LISTED_PROBLEMS);
        assert_eq!(report.problems_not_listed, 100_000 - MAX_LISTED_PROBLEMS);
    }

    #[test]
    fn a_huge_header_value_is_cut_and_marked() {
        let huge = format!("Basic realm=\"{}\"", "r".repeat(5 * 1024 * 1024));
        let text = format!(
            r#"{{"log":{{"entries":[{{"request":{{"url":"https://a.example/","method":"{}"}},"response":{{"status":401,"headers":[{{"name":"WWW-Authenticate","value":"{}"}},{{"name":"X-Big","value":"{}"}}]}}}}]}}}}"#,
            "M".repeat(10_000),
            huge.replace('"', "\\\""),
            "v".repeat(1024 * 1024)
        );
        let report = analyze(&text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        let f = &report.findings[0];
        assert!(f.method.len() <= MAX_SHORT_BYTES + '…'.len_utf8());
        let exchange = &f.diagnosis.exchanges[0];
        for header in &exchange.headers {
            assert!(
                header.value.len() <= MAX_VALUE_BYTES + '…'.len_utf8(),
                "{}",
                header.name
            );
        }
        assert!(exchange.headers.iter().any(|h| h.value.ends_with('…')));
        let json = crate::engine::test_json(&report);
        assert!(json.len() < 1024 * 1024, "{} bytes of JSON", json.len());
    }

    #[test]
    fn invalid_utf8_in_a_recorded_page_does_not_stop_the_log() {
        let mut bytes = CHROME_LIKE.as_bytes().to_vec();
        let at = CHROME_LIKE.find("nope!").unwrap_or_default();
        bytes[at] = 0xff;
        let report = analyze_reader(bytes.as_slice(), |_| {}).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.answers, 1);
        assert!(
            report.findings[0].diagnosis.exchanges[1]
                .body_excerpt
                .contains('\u{FFFD}')
        );
    }

    #[test]
    fn an_endless_stream_ends_at_the_limit() {
        struct Spaces;
        impl Read for Spaces {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                buf.fill(b' ');
                Ok(buf.len())
            }
        }
        let small = bounded::Limit {
            what: "a HAR network log",
            max_bytes: 1 << 20,
        };
        let result = analyze_reader(bounded::Bounded::new(Spaces, small), |_| {});
        assert!(matches!(result, Err(HarError::TooLarge)), "{result:?}");
    }

    #[test]
    fn the_redirect_remembered_is_the_latest_before_the_401() {
        let redirect = |from: &str| {
            format!(
                r#"{{"request":{{"url":"https://a.example/{from}"}},"response":{{"status":302,"headers":[{{"name":"Location","value":"/members/"}}]}}}}"#
            )
        };
        let answer = r#"{"request":{"url":"https://a.example/members/"},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Basic realm=\"x\""}]}}"#;
        let entries = vec![
            redirect("first"),
            answer.to_owned(),
            redirect("second"),
            answer.to_owned(),
        ];
        let report = analyze(&log_of(&entries), |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
        let chains: Vec<Vec<String>> = report
            .findings
            .iter()
            .map(|f| f.diagnosis.hops.iter().map(|h| h.url.clone()).collect())
            .collect();
        assert_eq!(chains[0][0], "https://a.example/first");
        assert_eq!(chains[1][0], "https://a.example/second");
    }
}
