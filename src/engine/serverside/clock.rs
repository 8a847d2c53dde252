//! The clock: how far this computer's time is from the server's `Date`.

use super::{
    CLOCK_SERIOUS_SECS, ClockCheck, Code, Exchange, Finding, Severity, SystemTime, shorten,
    span_text, unix_secs, utc_text,
};

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
pub(super) const CLOCK_UNSET_SECS: i64 = 365 * 24 * 3600;

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
