//! Shared time helpers: Unix seconds, dates written for people (HTTP layout, RFC 3339) and one
//! way of saying a length of time ("3 hours 5 minutes").

use std::time::{SystemTime, UNIX_EPOCH};

#[must_use]
pub fn unix_secs(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// The first Unix second that [`utc_text`] can write (1 Jan 0001).
const MIN_WRITABLE_UNIX: i64 = -62_135_596_800;
/// The last Unix second a date can be written for (31 Dec 9999 23:59:59 UTC): later expiry dates
/// are kept as this one.
pub const MAX_WRITABLE_UNIX: i64 = 253_402_300_799;

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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// 2025-11-23 06:00:00 UTC.
    const NOW_I64: i64 = 1_763_877_600;

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
}
