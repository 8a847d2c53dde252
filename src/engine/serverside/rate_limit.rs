//! Rate limits and lockouts: `Retry-After`, the `RateLimit-*` headers and lockout pages.

use super::*;

/// Phrases that say sign-ins are locked after failures; any status.
pub(super) const LOCKOUT_PHRASES: &[&str] = &[
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
pub(super) const ERROR_ONLY_LOCKOUT_PHRASES: &[&str] =
    &["too many requests", "locked out", "slow down"];

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
pub(super) fn exchange_skew(exchange: &Exchange, now_unix: i64) -> i64 {
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
pub(super) fn read_rate_limit_headers(
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

pub(super) fn header_label(prefix: &str, suffix: &str) -> String {
    let base = match prefix {
        "ratelimit-" => "RateLimit-",
        "x-ratelimit-" => "X-RateLimit-",
        _ => "X-Rate-Limit-",
    };
    format!("{base}{suffix}")
}

/// Uses a reset time only when the limit is used up and no `Retry-After` said otherwise.
pub(super) fn apply_reset(found: &mut RateLimit, wait: Option<u64>, now_unix: i64) {
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
pub(super) fn reset_wait(value: f64, may_be_epoch: bool, skew: i64, now_unix: i64) -> Option<u64> {
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
pub(super) fn leading_number(value: &str) -> Option<f64> {
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
pub(super) fn lockout_text(exchange: &Exchange) -> Option<(String, Option<u64>)> {
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
pub(super) fn parse_amount(text: &str) -> Option<u64> {
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
                .chain(Code::RateLimited.text().next_steps.into_iter().skip(1)),
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
