//! Server-side reasons for a 401 that no password fixes: rate limits and lockouts, a clock that
//! disagrees with the server's, an IP allow list, and a filter on the network answering instead
//! of the site. Works on answers already received; sends nothing.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::probe::Exchange;
use crate::engine::text::{find_any, scan_body, shorten, snippet_around, strip_tags};
use crate::engine::time::{span_text, unix_secs, utc_text};
use crate::engine::work;

mod clock;
mod ip_rules;
mod network_filter;
mod rate_limit;

pub use clock::*;
pub use ip_rules::*;
pub use network_filter::*;
pub use rate_limit::*;

/// The most a clock may differ from the server's before it is reported.
pub const CLOCK_TOLERANCE_SECS: i64 = 60;
/// Beyond this difference a wrong clock breaks most sign-ins (Kerberos allows 5 minutes).
pub const CLOCK_SERIOUS_SECS: i64 = 5 * 60;
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

#[cfg(test)]
mod tests;
