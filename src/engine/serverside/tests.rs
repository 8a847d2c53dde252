//! Unit tests of this folder's module.

use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::engine::text::MAX_SCAN_BYTES;

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
