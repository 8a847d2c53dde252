//! The 401 analysis of a HAR log: it finds the 401 and 407 answers and runs the offline part of
//! the diagnosis on each (challenge, redirects, cache headers, cookies sent, timing) with no live
//! access.
//!
//! Only the most recent redirects (to rebuild the chain before each 401) and the first few answers
//! of each likely cause are kept; every further answer like them is counted.

use std::collections::{HashMap, VecDeque};
use std::io::Read;

use serde::{Deserialize, Serialize};
use url::Url;

use super::model::{Entry, HarError, LogReader, MAX_COOKIES, NameValue, NameVersion, read_into};
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
/// How many of the latest redirects are remembered to rebuild the chain that led to a 401.
const REMEMBERED_REDIRECTS: usize = 4096;
/// The most hops of one rebuilt chain.
const MAX_CHAIN: usize = 20;

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

impl LogReader for Analyzer {
    fn creator(&mut self, creator: Option<NameVersion>) {
        self.creator = creator;
    }

    fn browser(&mut self, browser: Option<NameVersion>) {
        self.browser = browser;
    }

    fn entry(&mut self, raw: &str) {
        Analyzer::entry(self, raw);
    }
}

/// Reads a HAR log from `reader` as a stream and diagnoses every 401 and 407 in it. `progress`
/// is told how many bytes have been read, for a progress bar. A UTF-8 byte-order mark is
/// skipped and invalid UTF-8 read as U+FFFD. Give a [`Bounded`](crate::engine::bounded::Bounded) reader with
/// [`bounded::HAR`](crate::engine::bounded::HAR), so a device or an endless pipe ends with [`HarError::TooLarge`].
pub fn analyze_reader(reader: impl Read, progress: impl FnMut(u64)) -> Result<HarReport, HarError> {
    let mut analyzer = Analyzer::new();
    read_into(reader, progress, &mut analyzer)?;
    Ok(analyzer.finish())
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
