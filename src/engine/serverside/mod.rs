//! Server-side reasons for a 401 that no password fixes: rate limits and lockouts, a clock that
//! disagrees with the server's, an IP allow list, and a filter on the network answering instead
//! of the site. Works on answers already received; sends nothing.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::probe::Exchange;
use crate::engine::work;

/// The most a clock may differ from the server's before it is reported.
pub const CLOCK_TOLERANCE_SECS: i64 = 60;
/// Beyond this difference a wrong clock breaks most sign-ins (Kerberos allows 5 minutes).
pub const CLOCK_SERIOUS_SECS: i64 = 5 * 60;
/// How much of a body is read when looking for phrases; longer bodies are cut at this size.
pub const MAX_SCAN_BYTES: usize = 128 * 1024;
/// Waits longer than this (ten years) are treated as nonsense and ignored.
const MAX_WAIT_SECS: u64 = 10 * 365 * 24 * 3600;

/// What the site said about limits on requests or sign-in attempts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Seconds to wait from the time of the check, when the site said.
    pub retry_after_secs: Option<u64>,
    /// When trying again makes sense, as Unix seconds on this computer's clock (for a countdown).
    pub retry_at_unix: Option<i64>,
    /// How many requests the site allows per period, when it said.
    pub limit: Option<u64>,
    /// How many are left, when it said.
    pub remaining: Option<u64>,
    /// True when some answer in the chain was 429 Too Many Requests.
    pub saw_429: bool,
    /// True when a 401 was also seen in the chain (a sign-in failed before the limit kicked in).
    pub saw_401: bool,
    /// True when a refusal (401, 403 or 429) carried `Retry-After`: the site says to come back later.
    pub refused_with_retry_after: bool,
    /// The lockout message shown by the site, tags removed and shortened.
    pub lockout_message: Option<String>,
    /// The headers and texts this rests on.
    pub evidence: Vec<(String, String)>,
}

impl RateLimit {
    /// True when the site is refusing requests now because of the limit.
    #[must_use]
    pub fn is_limited(&self) -> bool {
        self.saw_429
            || self.refused_with_retry_after
            || self.lockout_message.is_some()
            || self.remaining == Some(0)
    }
}

/// The server's clock compared with this computer's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockCheck {
    /// The server's time (its `Date` header plus any `Age`), Unix seconds.
    pub server_unix: i64,
    /// This computer's time at the check, Unix seconds.
    pub local_unix: i64,
    /// Server time minus this computer's time: positive when the server is ahead.
    pub skew_secs: i64,
    /// The answer the `Date` came from.
    pub url: String,
    /// The `Date` header as sent.
    pub date_header: String,
}

/// Signs that the site only lets in certain IP addresses (or countries).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRestriction {
    /// The text that says so, tags removed and shortened.
    pub message: String,
    /// The address it was seen at.
    pub url: String,
    /// The status of that answer.
    pub status: u16,
    /// True when the text is about a country or region rather than an address.
    pub by_location: bool,
}

/// The public IP address the server saw, when an answer names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenIp {
    /// The address as written by the server.
    pub ip: String,
    /// Where it was read ("X-Your-IP header", "page text").
    pub source: String,
}

/// Everything this module found, with the findings to show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSide {
    /// Rate limit or lockout information, when any answer carried some.
    pub rate_limit: Option<RateLimit>,
    /// The clock comparison, when any answer had a readable `Date`.
    pub clock: Option<ClockCheck>,
    /// An IP allow list refusal, when an answer says so.
    pub ip_restriction: Option<IpRestriction>,
    /// The address the server saw, when an answer says it.
    pub seen_ip: Option<SeenIp>,
    /// The findings, in no particular order (the caller ranks them).
    pub findings: Vec<Finding>,
}

/// Everything this module can tell from a chain of answers, with its findings. `now` is this
/// computer's time when the answers arrived (not when a saved check is looked at again);
/// `through_proxy` says the requests went through a proxy set on this computer.
#[must_use]
pub fn inspect(exchanges: &[Exchange], now: SystemTime, through_proxy: bool) -> ServerSide {
    let rate_limit = rate_limit(exchanges, now);
    let clock = clock_check(exchanges, now);
    let ip_restriction = ip_restriction(exchanges);
    let seen_ip = seen_ip(exchanges);
    let mut findings = Vec::new();
    if let Some(limit) = rate_limit.as_ref().filter(|r| r.is_limited()) {
        findings.push(rate_limit_finding(limit, now));
    }
    if let Some(clock) = clock
        .as_ref()
        .filter(|c| c.skew_secs.abs() > CLOCK_TOLERANCE_SECS)
    {
        findings.push(if clock_unset(clock) {
            clock_unset_finding(clock)
        } else {
            clock_finding(clock)
        });
    }
    if let Some(restriction) = &ip_restriction {
        findings.push(ip_finding(restriction, seen_ip.as_ref()));
    }
    findings.extend(network_filter_findings(exchanges, through_proxy));
    ServerSide {
        rate_limit,
        clock,
        ip_restriction,
        seen_ip,
        findings,
    }
}

// ---------------------------------------------------------------------------------------------
// Time and text helpers, shared with the token and fingerprint modules.

/// Unix seconds of a time; times before 1970 give negative numbers.
#[must_use]
pub fn unix_secs(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// The first and last Unix second that [`utc_text`] can write (years 1 to 9999).
const MIN_WRITABLE_UNIX: i64 = -62_135_596_800;
const MAX_WRITABLE_UNIX: i64 = 253_402_300_799;

/// A Unix time as `Sun, 23 Nov 2025 06:30:00 UTC` (the HTTP date layout, with UTC spelled out).
/// Times outside the years 1–9999 are described instead of written as a date.
#[must_use]
pub fn utc_text(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some((year, month, day, weekday, hour, minute, second)) = civil(unix) else {
        return format!("an impossible date ({unix} seconds from 1 Jan 1970)");
    };
    let day_name = DAYS.get(weekday).copied().unwrap_or("?");
    let month_name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    format!("{day_name}, {day:02} {month_name} {year:04} {hour:02}:{minute:02}:{second:02} UTC")
}

/// A Unix time as RFC 3339 (`2025-11-23T06:30:00Z`), or `None` outside the years 1–9999.
#[must_use]
pub fn rfc3339(unix: i64) -> Option<String> {
    let (year, month, day, _, hour, minute, second) = civil(unix)?;
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
    ))
}

/// Year, month (1–12), day, weekday (0 = Sunday), hour, minute, second of a Unix time.
fn civil(unix: i64) -> Option<(i64, u32, u32, usize, u32, u32, u32)> {
    if !(MIN_WRITABLE_UNIX..=MAX_WRITABLE_UNIX).contains(&unix) {
        return None;
    }
    let days = unix.div_euclid(86_400);
    let secs_of_day = unix.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = (days + 4).rem_euclid(7) as usize;
    Some((
        year,
        month as u32,
        day as u32,
        weekday,
        (secs_of_day / 3600) as u32,
        (secs_of_day % 3600 / 60) as u32,
        (secs_of_day % 60) as u32,
    ))
}

/// A length of time in words, with its two largest units: `3 hours 5 minutes`, `45 seconds`.
#[must_use]
pub fn span_text(secs: u64) -> String {
    const UNITS: [(u64, &str, &str); 5] = [
        (365 * 86_400, "year", "years"),
        (86_400, "day", "days"),
        (3600, "hour", "hours"),
        (60, "minute", "minutes"),
        (1, "second", "seconds"),
    ];
    if secs == 0 {
        return "0 seconds".to_owned();
    }
    let mut parts = Vec::new();
    let mut rest = secs;
    for (size, one, many) in UNITS {
        let count = rest / size;
        if count > 0 {
            parts.push(format!("{count} {}", if count == 1 { one } else { many }));
            rest %= size;
        } else if !parts.is_empty() {
            // Stop at the first empty unit after a filled one: "2 hours", not "2 hours 0 minutes 5 seconds".
            break;
        }
        if parts.len() == 2 {
            break;
        }
    }
    parts.join(" ")
}

/// `in 12 minutes` or `12 minutes ago` for a time relative to now.
#[must_use]
pub fn relative_text(unix: i64, now_unix: i64) -> String {
    let diff = unix.saturating_sub(now_unix);
    match diff.cmp(&0) {
        std::cmp::Ordering::Equal => "now".to_owned(),
        std::cmp::Ordering::Greater => format!("in {}", span_text(diff.unsigned_abs())),
        std::cmp::Ordering::Less => format!("{} ago", span_text(diff.unsigned_abs())),
    }
}

/// The start of `text`, at most `max_bytes` long, cut at a character boundary.
#[must_use]
pub fn prefix_at_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// The text around a match at `byte_pos` (of `len` bytes) in `text`: HTML tags removed, spaces
/// collapsed, at most about 160 characters. For showing as evidence.
#[must_use]
pub fn snippet_around(text: &str, byte_pos: usize, len: usize) -> String {
    let mut start = byte_pos.saturating_sub(60).min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = byte_pos
        .saturating_add(len)
        .saturating_add(120)
        .min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    let mut window = text.get(start..end).unwrap_or_default();
    if start > 0 {
        // The window may begin inside a tag or a word: start after the first tag end or space.
        let cut = match (window.find('>'), window.find('<'), window.find(' ')) {
            (Some(gt), lt, _) if lt.is_none_or(|lt| gt < lt) => gt + 1,
            (_, _, Some(space)) => space + 1,
            _ => 0,
        };
        window = window.get(cut..).unwrap_or(window);
    }
    let plain = strip_tags(window);
    let plain = if start > 0 {
        format!("…{}", plain.trim_start())
    } else {
        plain
    };
    shorten(&plain, 160)
}

/// Removes HTML tags (anything between `<` and `>`) and collapses white space.
#[must_use]
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut in_tag = false;
    let mut last_space = true;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            c => {
                out.push(c);
                last_space = false;
            }
        }
    }
    out.trim().to_owned()
}

/// At most `max_chars` characters of `text`, with "…" when cut.
#[must_use]
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The body of an answer, lowercased (ASCII only, so byte positions match the original) and cut
/// to [`MAX_SCAN_BYTES`], with the cut original for snippets.
#[must_use]
pub fn scan_body(exchange: &Exchange) -> (String, &str) {
    let body = prefix_at_char_boundary(&exchange.body_excerpt, MAX_SCAN_BYTES);
    work::add(body.len());
    (body.to_ascii_lowercase(), body)
}

/// The first of `needles` found in `haystack` at the start of a word: its position and length.
#[must_use]
pub fn find_any(haystack: &str, needles: &[&str]) -> Option<(usize, usize)> {
    needles
        .iter()
        .filter_map(|n| find_word(haystack, n).map(|pos| (pos, n.len())))
        .min_by_key(|(pos, _)| *pos)
}

/// The first place `needle` occurs in `haystack` not glued to a letter or digit before it
/// ("ip not allowed" must not match "ship not allowed"). Needles that start with a symbol
/// (`/wp-content/`) match anywhere.
#[must_use]
pub fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    // Bounded: a hostile body cannot make this loop long.
    for _ in 0..1000 {
        work::add(haystack.len().saturating_sub(from));
        let pos = from + haystack.get(from..)?.find(needle)?;
        let glued = pos > 0
            && needle
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphanumeric)
            && haystack
                .as_bytes()
                .get(pos - 1)
                .is_some_and(u8::is_ascii_alphanumeric);
        if !glued {
            return Some(pos);
        }
        from = pos + needle.len().max(1);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Rate limits and lockouts.

/// Phrases that say sign-ins are locked after failures; any status.
const LOCKOUT_PHRASES: &[&str] = &[
    "too many failed login attempts",
    "too many failed log in attempts",
    "too many login attempts",
    "too many failed attempts",
    "too many invalid login attempts",
    "too many unsuccessful login attempts",
    "too many authentication failures",
    "too many sign-in attempts",
    "too many sign in attempts",
    "maximum number of login attempts",
    "maximum number of login failures",
    "login attempts exceeded",
    "temporarily locked",
    "account has been locked",
    "account is locked",
    "account is temporarily locked",
    "you have been locked out",
    "you are locked out",
    "has been locked out",
    "locked out due to",
    "your access to this site has been temporarily limited",
    "your access to this service has been temporarily limited",
    "rate limit exceeded",
    "rate limit reached",
    "rate limit has been exceeded",
];

/// Phrases that count only on an answer that is already an error.
const ERROR_ONLY_LOCKOUT_PHRASES: &[&str] = &["too many requests", "locked out", "slow down"];

/// What the answers say about rate limits, or `None` when none says anything.
#[must_use]
pub fn rate_limit(exchanges: &[Exchange], now: SystemTime) -> Option<RateLimit> {
    let now_unix = unix_secs(now);
    let mut found = RateLimit::default();
    let mut any = false;
    for exchange in exchanges {
        if exchange.status == 401 {
            found.saw_401 = true;
        }
        if exchange.status == 429 {
            found.saw_429 = true;
            any = true;
            found
                .evidence
                .push(("Status".to_owned(), format!("429 at {}", exchange.url)));
        }
        let skew = exchange_skew(exchange, now_unix);
        if let Some(value) = exchange.header("retry-after")
            && matches!(exchange.status, 401 | 403 | 429 | 503)
            && let Some(wait) = parse_retry_after(value, skew, now_unix)
        {
            any = true;
            found.refused_with_retry_after |= exchange.status != 503;
            found.retry_after_secs = Some(wait);
            found.retry_at_unix = Some(now_unix.saturating_add_unsigned(wait));
            found
                .evidence
                .push(("Retry-After".to_owned(), shorten(value, 100)));
        }
        if read_rate_limit_headers(exchange, &mut found, skew, now_unix) {
            any = true;
        }
        if let Some((message, wait)) = lockout_text(exchange) {
            any = true;
            found
                .evidence
                .push(("Message on the page".to_owned(), message.clone()));
            found.lockout_message = Some(message);
            if found.retry_after_secs.is_none()
                && let Some(wait) = wait
            {
                found.retry_after_secs = Some(wait);
                found.retry_at_unix = Some(now_unix.saturating_add_unsigned(wait));
            }
        }
    }
    any.then_some(found)
}

/// The server's clock minus ours for one answer (from its `Date`), zero when unknown.
fn exchange_skew(exchange: &Exchange, now_unix: i64) -> i64 {
    exchange
        .header("date")
        .and_then(|d| httpdate::parse_http_date(d.trim()).ok())
        .map_or(0, |d| unix_secs(d).saturating_sub(now_unix))
}

/// Seconds to wait from `now_unix`, from a `Retry-After` value (seconds or HTTP date). An HTTP
/// date is on the server's clock, so `skew` (server minus ours) is taken off.
#[must_use]
pub fn parse_retry_after(value: &str, skew: i64, now_unix: i64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().filter(|s| *s <= MAX_WAIT_SECS);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    let local = unix_secs(when).saturating_sub(skew);
    Some(u64::try_from(local.saturating_sub(now_unix)).unwrap_or(0)).filter(|s| *s <= MAX_WAIT_SECS)
}

/// Reads `RateLimit-*`, `X-RateLimit-*`, `X-Rate-Limit-*` and the structured `RateLimit` header.
/// Returns true when any was present.
fn read_rate_limit_headers(
    exchange: &Exchange,
    found: &mut RateLimit,
    skew: i64,
    now_unix: i64,
) -> bool {
    let mut any = false;
    for prefix in ["ratelimit-", "x-ratelimit-", "x-rate-limit-"] {
        let get = |suffix: &str| exchange.header(&format!("{prefix}{suffix}"));
        if let Some(v) = get("limit") {
            any = true;
            found.limit = leading_number(v).map(|n| n as u64).or(found.limit);
            found
                .evidence
                .push((header_label(prefix, "Limit"), shorten(v, 100)));
        }
        if let Some(v) = get("remaining") {
            any = true;
            found.remaining = leading_number(v).map(|n| n as u64).or(found.remaining);
            found
                .evidence
                .push((header_label(prefix, "Remaining"), shorten(v, 100)));
        }
        for (suffix, label) in [("reset", "Reset"), ("reset-after", "Reset-After")] {
            if let Some(v) = get(suffix) {
                any = true;
                found
                    .evidence
                    .push((header_label(prefix, label), shorten(v, 100)));
                let wait = leading_number(v)
                    .and_then(|n| reset_wait(n, suffix == "reset", skew, now_unix));
                apply_reset(found, wait, now_unix);
            }
        }
    }
    if let Some(v) = exchange.header("ratelimit") {
        any = true;
        found
            .evidence
            .push(("RateLimit".to_owned(), shorten(v, 100)));
        for part in v.split([',', ';']) {
            let Some((key, value)) = part.split_once('=') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let number = leading_number(value.trim().trim_matches('"'));
            match key.as_str() {
                "limit" | "l" => found.limit = number.map(|n| n as u64).or(found.limit),
                "remaining" | "r" => {
                    found.remaining = number.map(|n| n as u64).or(found.remaining);
                }
                "reset" | "t" => {
                    let wait = number.and_then(|n| reset_wait(n, false, skew, now_unix));
                    apply_reset(found, wait, now_unix);
                }
                _ => {}
            }
        }
    }
    any
}

fn header_label(prefix: &str, suffix: &str) -> String {
    let base = match prefix {
        "ratelimit-" => "RateLimit-",
        "x-ratelimit-" => "X-RateLimit-",
        _ => "X-Rate-Limit-",
    };
    format!("{base}{suffix}")
}

/// Uses a reset time only when the limit is used up and no `Retry-After` said otherwise.
fn apply_reset(found: &mut RateLimit, wait: Option<u64>, now_unix: i64) {
    if let Some(wait) = wait
        && found.retry_after_secs.is_none()
    {
        found.retry_after_secs = Some(wait);
        found.retry_at_unix = Some(now_unix.saturating_add_unsigned(wait));
    }
}

/// Seconds to wait from a reset value. `may_be_epoch`: `X-RateLimit-Reset` is a Unix time at
/// some services (GitHub) and seconds at others; values past 2001 are taken as Unix times, and
/// past the year 33658 as milliseconds.
fn reset_wait(value: f64, may_be_epoch: bool, skew: i64, now_unix: i64) -> Option<u64> {
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let wait = if may_be_epoch && value >= 1.0e12 {
        ((value / 1000.0) as i64)
            .saturating_sub(skew)
            .saturating_sub(now_unix)
    } else if may_be_epoch && value >= 1.0e9 {
        (value as i64).saturating_sub(skew).saturating_sub(now_unix)
    } else {
        value.ceil() as i64
    };
    Some(u64::try_from(wait).unwrap_or(0)).filter(|s| *s <= MAX_WAIT_SECS)
}

/// The number at the start of a header value (`60`, `0.5`, `100, 100;w=60`).
fn leading_number(value: &str) -> Option<f64> {
    let value = value.trim();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let number = value.get(..end)?;
    if number.is_empty() || number.len() > 24 {
        return None;
    }
    number.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A lockout message in the page, and the wait it names ("try again in 20 minutes").
fn lockout_text(exchange: &Exchange) -> Option<(String, Option<u64>)> {
    let (lower, body) = scan_body(exchange);
    let hit = find_any(&lower, LOCKOUT_PHRASES).or_else(|| {
        (exchange.status >= 400)
            .then(|| find_any(&lower, ERROR_ONLY_LOCKOUT_PHRASES))
            .flatten()
    })?;
    let wait = wait_in_text(&lower);
    Some((snippet_around(body, hit.0, hit.1), wait))
}

/// Seconds named by "try again in 20 minutes", "retry after 1 hour", "wait 30 seconds".
#[must_use]
pub fn wait_in_text(lower: &str) -> Option<u64> {
    const LEADS: &[&str] = &[
        "try again in ",
        "try again after ",
        "retry in ",
        "retry after ",
        "please wait ",
        "wait for ",
        "locked for ",
        "blocked for ",
    ];
    for lead in LEADS {
        let mut from = 0;
        // A few occurrences at most: bounded work on hostile bodies.
        for _ in 0..8 {
            work::add(lower.len().saturating_sub(from));
            let Some(pos) = lower.get(from..).and_then(|rest| rest.find(lead)) else {
                break;
            };
            let start = from + pos + lead.len();
            if let Some(secs) = lower.get(start..).and_then(parse_amount) {
                return Some(secs);
            }
            from = start;
        }
    }
    None
}

/// `20 minutes`, `1 hour`, `30 sec` at the start of `text`, in seconds.
fn parse_amount(text: &str) -> Option<u64> {
    let text = text.trim_start();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text.get(..digits_end.min(9))?.parse().ok()?;
    let rest = text.get(digits_end..)?.trim_start();
    let unit_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let unit = rest.get(..unit_end)?;
    let size = match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return None,
    };
    Some(number.saturating_mul(size)).filter(|s| *s <= MAX_WAIT_SECS)
}

/// The `rate-limited` finding: what the site said, and when to try again.
#[must_use]
pub fn rate_limit_finding(limit: &RateLimit, now: SystemTime) -> Finding {
    let now_unix = unix_secs(now);
    let mut detail = String::new();
    if limit.saw_429 && limit.saw_401 {
        detail.push_str(
            "The site first answered 401 (sign in) and then 429 (too many requests): after \
             several failed or repeated attempts it stopped listening. ",
        );
    } else if limit.saw_429 {
        detail.push_str("The site answered 429 Too Many Requests. ");
    }
    if let Some(message) = &limit.lockout_message {
        let _ = write!(detail, "The page says: \"{message}\". ");
    }
    if limit.remaining == Some(0) {
        detail.push_str("Its rate limit headers say no requests are left in this period. ");
    }
    detail.push_str(
        "While this lasts, every attempt is refused, even with the right password or token",
    );
    let when = limit.retry_at_unix.map(|at| {
        (
            utc_text(at),
            span_text(u64::try_from(at.saturating_sub(now_unix)).unwrap_or(0)),
        )
    });
    match &when {
        Some((absolute, relative)) => {
            let _ = write!(detail, ". Try again after {absolute} (in {relative}).");
        }
        None => detail.push_str(
            ". The site did not say for how long; lockouts usually last 15 minutes to a few hours.",
        ),
    }
    let mut finding = Finding::new(Code::RateLimited, detail);
    if let Some((absolute, relative)) = &when {
        finding = finding
            .title(format!(
                "Too many attempts: wait {relative} before trying again"
            ))
            .steps(
                std::iter::once(format!(
                    "Wait until {absolute} (in {relative}), then try once, carefully, with the right details."
                ))
                .chain(crate::engine::explain::text(Code::RateLimited).next_steps.into_iter().skip(1)),
            );
    }
    for (label, value) in &limit.evidence {
        finding = finding.evidence(label.clone(), value.clone());
    }
    if let Some(at) = limit.retry_at_unix {
        finding = finding.evidence("Try again at (Unix time)", at.to_string());
    }
    finding
}

// ---------------------------------------------------------------------------------------------
// Clock.

/// The server's clock compared with ours, from the answer whose `Date` (plus `Age`) is closest
/// to our clock: cached answers carry old dates, so the closest one is the fairest.
#[must_use]
pub fn clock_check(exchanges: &[Exchange], now: SystemTime) -> Option<ClockCheck> {
    let local_unix = unix_secs(now);
    exchanges
        .iter()
        .filter_map(|e| {
            let raw = e.header("date")?;
            let date = httpdate::parse_http_date(raw.trim()).ok()?;
            let age = e
                .header("age")
                .and_then(|a| a.trim().parse::<i64>().ok())
                .filter(|a| (0..=i64::from(u32::MAX)).contains(a))
                .unwrap_or(0);
            let server_unix = unix_secs(date).saturating_add(age);
            Some(ClockCheck {
                server_unix,
                local_unix,
                skew_secs: server_unix.saturating_sub(local_unix),
                url: e.url.clone(),
                date_header: shorten(raw, 100),
            })
        })
        .min_by_key(|c| c.skew_secs.unsigned_abs())
}

/// A server clock this far off was never set (a router or camera that starts in 1970), rather
/// than this computer's clock being wrong.
const CLOCK_UNSET_SECS: i64 = 365 * 24 * 3600;

/// True when the server's date is before 2001 or more than a year from this computer's: its clock
/// was never set. A computer that far off could not have opened a secure page at all, so the
/// server is the one to fix.
#[must_use]
pub fn clock_unset(clock: &ClockCheck) -> bool {
    const YEAR_2001_UNIX: i64 = 978_307_200;
    clock.server_unix < YEAR_2001_UNIX || clock.skew_secs.abs() > CLOCK_UNSET_SECS
}

/// The `server-clock-unset` finding: the server's date, and that its clock must be set.
#[must_use]
pub fn clock_unset_finding(clock: &ClockCheck) -> Finding {
    Finding::new(
        Code::ServerClockUnset,
        format!(
            "The server says it is {}, while this computer says {}. A date that far off means the \
             server's clock was never set, as happens on devices without a clock battery after \
             a power cut. Sign-ins that depend on the time (one-time codes, Digest numbers, \
             tokens, expiring cookies) fail on it.",
            utc_text(clock.server_unix),
            utc_text(clock.local_unix),
        ),
    )
    .evidence("Date (server)", clock.date_header.clone())
    .evidence("This computer's time", utc_text(clock.local_unix))
    .evidence("Answer", clock.url.clone())
}

/// The `clock-skew` finding: who is ahead, by how much, and how to fix it.
#[must_use]
pub fn clock_finding(clock: &ClockCheck) -> Finding {
    let amount = span_text(clock.skew_secs.unsigned_abs());
    let (title, who) = if clock.skew_secs > 0 {
        (
            format!("This computer's clock is {amount} behind the server's"),
            format!("This computer's clock is {amount} behind the server's clock"),
        )
    } else {
        (
            format!("This computer's clock is {amount} ahead of the server's"),
            format!("This computer's clock is {amount} ahead of the server's clock"),
        )
    };
    let detail = format!(
        "{who}: the server said it was {} when this computer said {}. Tokens, signed requests and \
         one-time codes are only valid for a short window, so when the clocks disagree a correct \
         sign-in can be refused as expired or not yet valid. Servers almost always set their \
         clock automatically, so this computer is usually the one to fix; if this computer's time \
         is right (compare with time.is), the server's clock is wrong and its administrator must \
         fix it.",
        utc_text(clock.server_unix),
        utc_text(clock.local_unix),
    );
    let severity = if clock.skew_secs.abs() > CLOCK_SERIOUS_SECS {
        Severity::Problem
    } else {
        Severity::Warning
    };
    Finding::new(Code::ClockSkew, detail)
        .title(title)
        .severity(severity)
        .evidence("Date (server)", clock.date_header.clone())
        .evidence("This computer's time", utc_text(clock.local_unix))
        .evidence(
            "Difference",
            format!("{} seconds (server minus this computer)", clock.skew_secs),
        )
        .evidence("Answer", clock.url.clone())
}

// ---------------------------------------------------------------------------------------------
// IP allow lists.

/// Phrases that say an IP rule refused the request.
const IP_PHRASES: &[&str] = &[
    "access denied for ip",
    "access denied for your ip",
    "ip address is not allowed",
    "ip address not allowed",
    "ip is not allowed",
    "ip not allowed",
    "ip address is not permitted",
    "ip not permitted",
    "ip address is not authorized",
    "ip address is not authorised",
    "ip address has been blocked",
    "ip has been blocked",
    "ip address is blocked",
    "ip is blocked",
    "ip address was blocked",
    "ip address has been banned",
    "ip has been banned",
    "ip address is blacklisted",
    "ip is blacklisted",
    "ip address is not whitelisted",
    "ip is not whitelisted",
    "not in the list of allowed ip",
    "not on the allow list",
    "not in the allow list",
    "not on the allowlist",
    "not in the allowlist",
    "client denied by server configuration",
    "ip address rejected",
    "ip address of the client has been rejected",
    "ip address of the client has been denied",
    "restricted by ip",
    "ip address restriction",
    "ip restriction",
    "ip-restricted",
    "web app you have attempted to reach has blocked your access",
];

/// Phrases that say the visitor's country or region is refused.
const LOCATION_PHRASES: &[&str] = &[
    "access from your country",
    "your country has been blocked",
    "your country is blocked",
    "not available in your country",
    "not available in your region",
    "access from your location",
    "access from your region",
];

/// Words that, shortly after "your ip", make it a refusal.
const REFUSAL_WORDS: &[&str] = &[
    "not allowed",
    "denied",
    "blocked",
    "banned",
    "not permitted",
    "restricted",
    "rejected",
    "not authorized",
    "not authorised",
    "blacklisted",
    "not whitelisted",
];

/// An answer that says an IP (or location) rule refused the request. Only error answers count,
/// and only when the text says so: a bare "403 Forbidden" proves nothing.
#[must_use]
pub fn ip_restriction(exchanges: &[Exchange]) -> Option<IpRestriction> {
    exchanges
        .iter()
        .filter(|e| e.status >= 400 && e.status != 429)
        .find_map(|e| {
            let (lower, body) = scan_body(e);
            let (pos, len, by_location) = find_any(&lower, IP_PHRASES)
                .map(|(p, l)| (p, l, false))
                .or_else(|| your_ip_refusal(&lower).map(|(p, l)| (p, l, false)))
                .or_else(|| find_any(&lower, LOCATION_PHRASES).map(|(p, l)| (p, l, true)))?;
            Some(IpRestriction {
                message: snippet_around(body, pos, len),
                url: e.url.clone(),
                status: e.status,
                by_location,
            })
        })
}

/// "Your IP … denied": a refusal word within 80 bytes after a mention of the visitor's IP.
fn your_ip_refusal(lower: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    for _ in 0..16 {
        work::add(lower.len().saturating_sub(from));
        let pos = from + lower.get(from..)?.find("your ip")?;
        let mut end = (pos + 80).min(lower.len());
        while !lower.is_char_boundary(end) {
            end -= 1;
        }
        let window = lower.get(pos..end).unwrap_or_default();
        if let Some(word_end) = REFUSAL_WORDS
            .iter()
            .filter_map(|w| window.find(w).map(|p| p + w.len()))
            .min()
        {
            return Some((pos, word_end));
        }
        from = pos + "your ip".len();
    }
    None
}

/// Response headers that some servers and firewalls use to echo the visitor's address.
const IP_HEADERS: &[(&str, &str)] = &[
    ("x-your-ip", "X-Your-IP header"),
    ("x-client-ip", "X-Client-IP header"),
    ("x-real-ip", "X-Real-IP header"),
    ("x-remote-ip", "X-Remote-IP header"),
    ("x-remote-addr", "X-Remote-Addr header"),
    ("x-visitor-ip", "X-Visitor-IP header"),
];

/// Page texts that come right before the visitor's address.
const IP_LEADS: &[&str] = &[
    "your ip address is",
    "your ip address:",
    "your ip is",
    "your ip:",
    "your computer's ip address",
    "your ip address",
    "your ip",
    "cf-footer-ip",
    "client ip:",
    "visitor ip:",
    "remote address:",
    "ip address:",
];

/// The public address the server saw, when a header or the page names it.
#[must_use]
pub fn seen_ip(exchanges: &[Exchange]) -> Option<SeenIp> {
    for e in exchanges.iter().rev() {
        for (name, source) in IP_HEADERS {
            if let Some(ip) = e.header(name).and_then(|v| first_ip(v, 1)) {
                return Some(SeenIp {
                    ip,
                    source: (*source).to_owned(),
                });
            }
        }
    }
    for e in exchanges.iter().rev() {
        let (lower, body) = scan_body(e);
        for lead in IP_LEADS {
            let Some(pos) = lower.find(lead) else {
                continue;
            };
            let start = pos + lead.len();
            let mut end = (start + 120).min(body.len());
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            if let Some(ip) = body
                .get(start..end)
                .and_then(|w| first_ip(&strip_tags(w), 4))
            {
                return Some(SeenIp {
                    ip,
                    source: "page text".to_owned(),
                });
            }
        }
    }
    None
}

/// The first IP address among the first `max_words` address-like words of `text`.
fn first_ip(text: &str, max_words: usize) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .filter(|w| !w.is_empty())
        .take(max_words.max(1) * 4)
        .map(|w| w.trim_matches(['.', ':']))
        .filter_map(|w| w.parse::<IpAddr>().ok())
        .find(|ip| !ip.is_unspecified() && !ip.is_loopback())
        .map(|ip| ip.to_string())
}

/// The `ip-restricted` finding.
#[must_use]
pub fn ip_finding(restriction: &IpRestriction, seen: Option<&SeenIp>) -> Finding {
    let what = if restriction.by_location {
        "only accepts visitors from certain countries or regions"
    } else {
        "only accepts visitors from certain IP addresses"
    };
    let mut detail = format!(
        "The answer ({}) says the site {what}, and this connection is not one of them: \"{}\". \
         A password cannot get past this rule.",
        restriction.status, restriction.message
    );
    if let Some(seen) = seen {
        let _ = write!(
            detail,
            " The server saw this connection coming from {} ({}).",
            seen.ip, seen.source
        );
    }
    let mut finding = Finding::new(Code::IpRestricted, detail)
        .evidence("Status", restriction.status.to_string())
        .evidence("Message on the page", restriction.message.clone())
        .evidence("Answer", restriction.url.clone());
    if restriction.by_location {
        finding = finding.title("The site does not accept visitors from this location");
    }
    if let Some(seen) = seen {
        finding = finding
            .first_step(format!(
                "If you run the site, add {} to the allow list (it is the address the server saw), \
                 or remove the rule.",
                seen.ip
            ))
            .evidence(
                format!("Your IP as seen by the server ({})", seen.source),
                seen.ip.clone(),
            );
    }
    finding
}

// ---------------------------------------------------------------------------------------------
// Filters and proxies on the visitor's network.

/// Page texts of web filters that companies, schools and hotels put on their networks.
const FILTER_SIGNS: &[(&str, &str)] = &[
    ("zscaler", "Zscaler"),
    ("fortiguard", "Fortinet FortiGuard"),
    ("fortigate", "Fortinet FortiGate"),
    ("sophos", "Sophos"),
    ("cisco umbrella", "Cisco Umbrella"),
    ("opendns", "Cisco Umbrella (OpenDNS)"),
    ("palo alto networks", "Palo Alto Networks"),
    ("bluecoat", "Blue Coat"),
    ("blue coat", "Blue Coat"),
    ("symantec web security", "Symantec Web Security"),
    ("netskope", "Netskope"),
    ("forcepoint", "Forcepoint"),
    ("websense", "Websense"),
    ("barracuda web security", "Barracuda Web Security"),
];

/// Findings for answers made by a filter or proxy on the visitor's network rather than the
/// site (the 407 itself is handled by the main diagnosis). A squid that answers when this
/// computer uses no proxy (`through_proxy` false), or that asks for a sign-in with 401, is the
/// site's own reverse proxy, not a filter on the visitor's network.
#[must_use]
pub fn network_filter_findings(exchanges: &[Exchange], through_proxy: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in exchanges {
        if e.status == 407 {
            continue;
        }
        if e.status == 401
            && let Some(value) = e.header("proxy-authenticate")
        {
            out.push(
                Finding::new(
                    Code::ProxyAuthRequired,
                    "The 401 answer also carries a Proxy-Authenticate header, which only proxies \
                     send. A proxy between this computer and the site may be the one asking for \
                     a sign-in, not the site.",
                )
                .title("A proxy may be asking for the sign-in, not the site")
                .severity(Severity::Warning)
                .evidence("Status", "401")
                .evidence("Proxy-Authenticate", shorten(value, 200))
                .evidence("Answer", e.url.clone()),
            );
            break;
        }
        if e.status < 400 {
            continue;
        }
        let squid = (through_proxy && e.status != 401)
            .then(|| e.header("x-squid-error"))
            .flatten()
            .map(|v| ("X-Squid-Error", v))
            .or_else(|| {
                e.header("server")
                    .filter(|s| {
                        through_proxy
                            && e.status != 401
                            && s.to_ascii_lowercase().starts_with("squid")
                    })
                    .map(|v| ("Server", v))
            });
        let (lower, body) = scan_body(e);
        let filter = squid
            .map(|(label, value)| {
                (
                    "Squid proxy".to_owned(),
                    label.to_owned(),
                    shorten(value, 120),
                )
            })
            .or_else(|| {
                let blocked = [
                    "blocked",
                    "web filter",
                    "web page blocked",
                    "access denied",
                    "policy",
                ];
                find_any(&lower, &blocked)?;
                FILTER_SIGNS.iter().find_map(|(needle, name)| {
                    lower.find(needle).map(|pos| {
                        (
                            (*name).to_owned(),
                            "Page text".to_owned(),
                            snippet_around(body, pos, needle.len()),
                        )
                    })
                })
            });
        if let Some((name, label, value)) = filter {
            out.push(
                Finding::new(
                    Code::ProxyAuthRequired,
                    format!(
                        "The {} answer was made by {name}, a filter or proxy on the network this \
                         computer uses, not by the site. The site never saw the request, so its \
                         password cannot help.",
                        e.status
                    ),
                )
                .title("A filter on your network answered, not the site")
                .steps([
                    "Try from another network, for example your phone's mobile data: if the site \
                     works there, the filter is the cause.",
                    "Ask your IT department to allow this site, giving them the address and the \
                     time.",
                ])
                .evidence("Status", e.status.to_string())
                .evidence(label, value)
                .evidence("Answer", e.url.clone()),
            );
            break;
        }
    }
    out
}

/// Seconds until a Unix time, zero when it has passed.
#[must_use]
pub fn secs_until(unix: i64, now: SystemTime) -> Duration {
    Duration::from_secs(u64::try_from(unix.saturating_sub(unix_secs(now))).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-11-23 06:00:00 UTC.
    const NOW: u64 = 1_763_877_600;
    const NOW_I64: i64 = 1_763_877_600;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(NOW)
    }

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange::for_test("https://example.com/private/", status, headers, body)
    }

    fn codes(findings: &[Finding]) -> Vec<Code> {
        findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn utc_text_writes_known_dates() {
        assert_eq!(utc_text(0), "Thu, 01 Jan 1970 00:00:00 UTC");
        assert_eq!(utc_text(NOW_I64), "Sun, 23 Nov 2025 06:00:00 UTC");
        assert_eq!(utc_text(951_782_400), "Tue, 29 Feb 2000 00:00:00 UTC");
        assert_eq!(utc_text(-86_400), "Wed, 31 Dec 1969 00:00:00 UTC");
        assert_eq!(rfc3339(NOW_I64).as_deref(), Some("2025-11-23T06:00:00Z"));
        assert!(utc_text(i64::MAX).starts_with("an impossible date"));
        assert!(utc_text(i64::MIN).starts_with("an impossible date"));
    }

    #[test]
    fn utc_text_agrees_with_httpdate_over_many_days() {
        for day in (0..20_000_i64).step_by(37) {
            let unix = day * 86_400 + 12_345;
            let reference = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix as u64));
            assert_eq!(utc_text(unix).replace("UTC", "GMT"), reference);
        }
    }

    #[test]
    fn spans_use_the_two_largest_units() {
        assert_eq!(span_text(0), "0 seconds");
        assert_eq!(span_text(1), "1 second");
        assert_eq!(span_text(45), "45 seconds");
        assert_eq!(span_text(12 * 60), "12 minutes");
        assert_eq!(span_text(3 * 3600 + 5 * 60 + 7), "3 hours 5 minutes");
        assert_eq!(span_text(2 * 3600 + 7), "2 hours");
        assert_eq!(span_text(86_400 + 3600), "1 day 1 hour");
        assert_eq!(relative_text(100, 40), "in 1 minute");
        assert_eq!(relative_text(40, 100), "1 minute ago");
        assert_eq!(relative_text(5, 5), "now");
        assert!(!span_text(u64::MAX).is_empty());
    }

    #[test]
    fn retry_after_in_seconds_gives_a_countdown_and_a_finding() {
        let chain = [
            answer(401, &[("www-authenticate", "Basic realm=\"x\"")], ""),
            answer(429, &[("retry-after", "600")], "Too Many Requests"),
        ];
        let result = inspect(&chain, now(), false);
        let limit = result.rate_limit.clone().unwrap_or_default();
        assert_eq!(limit.retry_after_secs, Some(600));
        assert_eq!(limit.retry_at_unix, Some(NOW_I64 + 600));
        assert!(limit.saw_401 && limit.saw_429);
        let f = &result.findings[0];
        assert_eq!(f.code, Code::RateLimited);
        assert!(f.detail.contains("first answered 401"), "{}", f.detail);
        assert!(
            f.detail.contains("Sun, 23 Nov 2025 06:10:00 UTC"),
            "{}",
            f.detail
        );
        assert!(f.title.contains("10 minutes"), "{}", f.title);
    }

    #[test]
    fn retry_after_as_an_http_date_is_corrected_for_the_servers_clock() {
        // The server's clock is 2 minutes ahead; it asks us to wait until 5 minutes after its "now".
        let server_now = UNIX_EPOCH + Duration::from_secs(NOW + 120);
        let retry = UNIX_EPOCH + Duration::from_secs(NOW + 120 + 300);
        let chain = [answer(
            429,
            &[
                ("date", &httpdate::fmt_http_date(server_now)),
                ("retry-after", &httpdate::fmt_http_date(retry)),
            ],
            "",
        )];
        let limit = rate_limit(&chain, now()).unwrap_or_default();
        assert_eq!(limit.retry_after_secs, Some(300));
    }

    #[test]
    fn x_ratelimit_reset_as_unix_time_or_seconds_is_understood() {
        let reset = (NOW + 900).to_string();
        let chain = [answer(
            403,
            &[
                ("x-ratelimit-limit", "60"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &reset),
            ],
            "{\"message\":\"API rate limit exceeded for 203.0.113.5.\"}",
        )];
        let result = inspect(&chain, now(), false);
        let limit = result.rate_limit.clone().unwrap_or_default();
        assert_eq!(limit.limit, Some(60));
        assert_eq!(limit.remaining, Some(0));
        assert_eq!(limit.retry_after_secs, Some(900));
        assert_eq!(codes(&result.findings), vec![Code::RateLimited]);

        let chain = [answer(
            401,
            &[("ratelimit-remaining", "0"), ("ratelimit-reset", "30")],
            "",
        )];
        let limit = rate_limit(&chain, now()).unwrap_or_default();
        assert_eq!(limit.retry_after_secs, Some(30));
    }

    #[test]
    fn a_401_with_retry_after_is_a_rate_limit_but_a_503_is_not() {
        let chain = [answer(401, &[("retry-after", "120")], "")];
        let findings = inspect(&chain, now(), false).findings;
        assert_eq!(codes(&findings), vec![Code::RateLimited]);
        assert!(
            findings[0].title.contains("2 minutes"),
            "{}",
            findings[0].title
        );
        let chain = [answer(
            503,
            &[("retry-after", "120")],
            "Down for maintenance",
        )];
        assert!(inspect(&chain, now(), false).findings.is_empty());
    }

    #[test]
    fn the_countdown_helper_never_goes_negative() {
        assert_eq!(secs_until(NOW_I64 + 90, now()), Duration::from_secs(90));
        assert_eq!(secs_until(NOW_I64 - 90, now()), Duration::ZERO);
    }

    #[test]
    fn structured_ratelimit_header_is_read() {
        let chain = [answer(429, &[("ratelimit", "\"default\";r=0;t=45")], "")];
        let limit = rate_limit(&chain, now()).unwrap_or_default();
        assert_eq!(limit.remaining, Some(0));
        assert_eq!(limit.retry_after_secs, Some(45));
        let chain = [answer(
            429,
            &[("ratelimit", "limit=100, remaining=0, reset=50")],
            "",
        )];
        let limit = rate_limit(&chain, now()).unwrap_or_default();
        assert_eq!((limit.limit, limit.retry_after_secs), (Some(100), Some(50)));
    }

    #[test]
    fn remaining_requests_alone_are_not_a_problem() {
        let chain = [answer(
            401,
            &[("x-ratelimit-remaining", "57"), ("x-ratelimit-limit", "60")],
            "",
        )];
        let result = inspect(&chain, now(), false);
        assert!(result.rate_limit.is_some());
        assert!(result.findings.is_empty(), "{:?}", codes(&result.findings));
    }

    #[test]
    fn limit_login_attempts_lockout_page_names_the_wait() {
        let body = "<div id=\"login_error\"><strong>ERROR</strong>: Too many failed login \
                    attempts. Please try again in 20 minutes.<br></div>";
        let chain = [answer(200, &[], body)];
        let result = inspect(&chain, now(), false);
        let limit = result.rate_limit.clone().unwrap_or_default();
        assert_eq!(limit.retry_after_secs, Some(1200));
        let message = limit.lockout_message.unwrap_or_default();
        assert!(
            message.contains("Too many failed login attempts"),
            "{message}"
        );
        assert!(!message.contains('<'), "{message}");
        assert_eq!(codes(&result.findings), vec![Code::RateLimited]);
    }

    #[test]
    fn ithemes_and_wordfence_lockouts_are_recognised() {
        for body in [
            "<p>You have been locked out due to too many invalid login attempts.</p>",
            "Your access to this service has been temporarily limited. Please try again in a \
             few minutes. (HTTP response code 503)",
            "Your account is temporarily locked. Retry after 1 hour.",
        ] {
            let result = inspect(&[answer(403, &[], body)], now(), false);
            assert_eq!(codes(&result.findings), vec![Code::RateLimited], "{body}");
        }
        let limit = rate_limit(
            &[answer(
                403,
                &[],
                "Account is temporarily locked. Retry after 1 hour.",
            )],
            now(),
        )
        .unwrap_or_default();
        assert_eq!(limit.retry_after_secs, Some(3600));
    }

    #[test]
    fn a_lockout_without_a_time_says_so() {
        let result = inspect(
            &[answer(403, &[], "You have been locked out.")],
            now(),
            false,
        );
        let f = &result.findings[0];
        assert!(
            f.detail.contains("did not say for how long"),
            "{}",
            f.detail
        );
    }

    #[test]
    fn too_many_requests_in_an_ordinary_page_is_ignored() {
        let result = inspect(
            &[answer(200, &[], "An article about too many requests.")],
            now(),
            false,
        );
        assert!(result.findings.is_empty());
    }

    #[test]
    fn wait_phrases_are_parsed() {
        assert_eq!(wait_in_text("please try again in 15 minutes."), Some(900));
        assert_eq!(wait_in_text("try again after 2 hours"), Some(7200));
        assert_eq!(wait_in_text("retry in 30 sec"), Some(30));
        assert_eq!(wait_in_text("try again in a few minutes"), None);
        assert_eq!(wait_in_text("try again in 99999999999999999999 days"), None);
    }

    #[test]
    fn a_computer_clock_ten_minutes_behind_is_a_problem() {
        let server = UNIX_EPOCH + Duration::from_secs(NOW + 600);
        let chain = [answer(
            401,
            &[("date", &httpdate::fmt_http_date(server))],
            "",
        )];
        let result = inspect(&chain, now(), false);
        let f = &result.findings[0];
        assert_eq!(f.code, Code::ClockSkew);
        assert_eq!(f.severity, Severity::Problem);
        assert!(f.title.contains("10 minutes behind"), "{}", f.title);
        assert!(
            f.next_steps
                .iter()
                .any(|s| s.contains("timedatectl set-ntp true"))
        );
        assert!(f.next_steps.iter().any(|s| s.contains("Sync now")));
    }

    #[test]
    fn a_computer_clock_two_minutes_ahead_is_a_warning() {
        let server = UNIX_EPOCH + Duration::from_secs(NOW - 120);
        let chain = [answer(
            401,
            &[("date", &httpdate::fmt_http_date(server))],
            "",
        )];
        let f = &inspect(&chain, now(), false).findings[0];
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.title.contains("2 minutes ahead"), "{}", f.title);
    }

    #[test]
    fn thirty_seconds_of_difference_is_fine() {
        let server = UNIX_EPOCH + Duration::from_secs(NOW + 30);
        let chain = [answer(
            401,
            &[("date", &httpdate::fmt_http_date(server))],
            "",
        )];
        let result = inspect(&chain, now(), false);
        assert_eq!(result.clock.map(|c| c.skew_secs), Some(30));
        assert!(result.findings.is_empty());
    }

    #[test]
    fn a_cached_answer_with_an_old_date_does_not_count_as_skew() {
        let old = UNIX_EPOCH + Duration::from_secs(NOW - 3600);
        let fresh = UNIX_EPOCH + Duration::from_secs(NOW);
        let chain = [
            answer(
                200,
                &[("date", &httpdate::fmt_http_date(old)), ("age", "3600")],
                "",
            ),
            answer(401, &[("date", &httpdate::fmt_http_date(old))], ""),
            answer(401, &[("date", &httpdate::fmt_http_date(fresh))], ""),
        ];
        assert!(inspect(&chain[..1], now(), false).findings.is_empty());
        assert!(inspect(&chain[1..], now(), false).findings.is_empty());
    }

    #[test]
    fn an_unreadable_date_is_ignored() {
        let chain = [answer(401, &[("date", "yesterday-ish")], "")];
        assert!(inspect(&chain, now(), false).clock.is_none());
    }

    #[test]
    fn ip_allow_list_messages_are_recognised_with_the_seen_address() {
        let body = "<h1>Forbidden</h1><p>Your IP address 203.0.113.5 is not allowed to access \
                    this page.</p>";
        let result = inspect(&[answer(403, &[], body)], now(), false);
        assert_eq!(codes(&result.findings), vec![Code::IpRestricted]);
        assert_eq!(
            result.seen_ip.as_ref().map(|s| s.ip.as_str()),
            Some("203.0.113.5")
        );
        let f = &result.findings[0];
        assert!(
            f.next_steps[0].contains("203.0.113.5"),
            "{:?}",
            f.next_steps
        );

        for body in [
            "Access denied for IP 198.51.100.7",
            "HTTP Error 403.6 - Forbidden: IP address rejected.",
            "Error 403 - Forbidden. The web app you have attempted to reach has blocked your access.",
            "Your IP has been blocked by the administrator.",
        ] {
            let result = inspect(&[answer(403, &[], body)], now(), false);
            assert_eq!(codes(&result.findings), vec![Code::IpRestricted], "{body}");
        }
    }

    #[test]
    fn a_bare_nginx_403_is_not_called_an_ip_rule() {
        let body = "<html><head><title>403 Forbidden</title></head><body><center><h1>403 \
                    Forbidden</h1></center><hr><center>nginx</center></body></html>";
        assert!(
            inspect(&[answer(403, &[], body)], now(), false)
                .findings
                .is_empty()
        );
    }

    #[test]
    fn an_ip_rule_text_on_a_normal_page_is_ignored() {
        let body = "Our docs: if your IP is not allowed, contact support.";
        assert!(
            inspect(&[answer(200, &[], body)], now(), false)
                .findings
                .is_empty()
        );
    }

    #[test]
    fn country_blocks_are_reported_as_location_rules() {
        let result = inspect(
            &[answer(
                403,
                &[],
                "Access from your country has been blocked.",
            )],
            now(),
            false,
        );
        assert!(
            result
                .ip_restriction
                .as_ref()
                .is_some_and(|r| r.by_location)
        );
        assert!(result.findings[0].title.contains("location"));
    }

    #[test]
    fn seen_ip_comes_from_headers_or_cloudflare_footers() {
        let chain = [answer(401, &[("x-your-ip", "203.0.113.9")], "")];
        assert_eq!(
            seen_ip(&chain).map(|s| s.ip),
            Some("203.0.113.9".to_owned())
        );
        let body = "<span>Your IP: <button>Click to reveal</button><span id=\"cf-footer-ip\">\
                    2001:db8::5</span></span>";
        assert_eq!(
            seen_ip(&[answer(403, &[], body)]).map(|s| s.ip),
            Some("2001:db8::5".to_owned())
        );
        assert_eq!(seen_ip(&[answer(403, &[], "Your IP: 127.0.0.1")]), None);
        assert_eq!(
            seen_ip(&[answer(403, &[("x-your-ip", "not an ip")], "")]),
            None
        );
    }

    #[test]
    fn a_web_filter_block_page_is_blamed_on_the_network() {
        let body = "<title>Website blocked</title> Your organization's policy blocks this site. \
                    Powered by Zscaler";
        let findings = inspect(&[answer(403, &[], body)], now(), false).findings;
        assert_eq!(codes(&findings), vec![Code::ProxyAuthRequired]);
        assert!(findings[0].title.contains("filter on your network"));
        let squid = answer(403, &[("x-squid-error", "ERR_ACCESS_DENIED 0")], "");
        assert_eq!(
            codes(&inspect(std::slice::from_ref(&squid), now(), true).findings),
            vec![Code::ProxyAuthRequired]
        );
        // With no proxy set on this computer, a squid is the site's own reverse proxy.
        assert!(inspect(&[squid], now(), false).findings.is_empty());
        let asks = answer(
            401,
            &[
                ("server", "squid/5.7"),
                ("x-squid-error", "ERR_CACHE_ACCESS_DENIED 0"),
            ],
            "",
        );
        assert!(inspect(&[asks], now(), true).findings.is_empty());
    }

    #[test]
    fn a_server_date_in_1970_is_an_unset_server_clock_not_a_wrong_computer() {
        let old = answer(401, &[("date", "Thu, 01 Jan 1970 00:05:00 GMT")], "");
        let findings = inspect(&[old], now(), false).findings;
        assert_eq!(codes(&findings), vec![Code::ServerClockUnset]);
    }

    #[test]
    fn a_401_with_proxy_authenticate_points_at_a_proxy() {
        let a = answer(401, &[("proxy-authenticate", "Basic realm=\"corp\"")], "");
        let findings = inspect(&[a], now(), false).findings;
        assert_eq!(codes(&findings), vec![Code::ProxyAuthRequired]);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn a_plain_401_has_no_server_side_findings() {
        let chain = [answer(
            401,
            &[
                ("www-authenticate", "Basic realm=\"x\""),
                ("server", "Apache"),
            ],
            "<h1>Unauthorized</h1>",
        )];
        assert!(inspect(&chain, now(), false).findings.is_empty());
    }

    #[test]
    fn hostile_headers_and_bodies_do_not_panic() {
        let mut seed: u32 = 7;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed
        };
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..300).map(|_| (next() >> 16) as u8).collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let chain = [answer(
                429,
                &[
                    ("retry-after", &text),
                    ("date", &text),
                    ("age", &text),
                    ("x-ratelimit-reset", &text),
                    ("ratelimit", &text),
                    ("x-your-ip", &text),
                ],
                &text,
            )];
            let _ = inspect(&chain, now(), false);
        }
        for value in [
            "-1",
            "1e400",
            "NaN",
            "99999999999999999999999",
            "18446744073709551616",
        ] {
            let chain = [answer(
                429,
                &[
                    ("retry-after", value),
                    ("x-ratelimit-reset", value),
                    ("age", value),
                ],
                "",
            )];
            let _ = inspect(&chain, now(), false);
        }
        let _ = inspect(&[], UNIX_EPOCH, false);
        let _ = inspect(
            &[answer(429, &[], "")],
            UNIX_EPOCH - Duration::from_secs(5),
            false,
        );
    }

    #[test]
    fn a_megabyte_body_is_scanned_in_bounded_work() {
        // Counted work, not a clock: past the scan limit a larger body costs nothing more, and
        // below it the work grows with the body, not faster.
        let body = |n: usize| "your ip é ".repeat(n) + "try again in ";
        let work_for = |text: &str| {
            let ((), units) = work::measure(|| {
                let _ = inspect(&[answer(403, &[], text)], now(), false);
            });
            units
        };
        let megabyte = work_for(&body(110_000));
        let ten_megabytes = work_for(&body(1_100_000));
        assert_eq!(
            megabyte, ten_megabytes,
            "the scan stops at {MAX_SCAN_BYTES} bytes"
        );
        let small = work_for(&body(1_000)) as f64 / 11_000.0;
        let limit = megabyte as f64 / MAX_SCAN_BYTES as f64;
        assert!(
            limit <= 2.0 * small,
            "{small:.1} units per byte, then {limit:.1}"
        );
    }
}
