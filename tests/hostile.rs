//! Hostile and unusual servers on loopback: endless bodies, huge or countless headers, silence,
//! trickles, redirect loops, bytes that are not text, 100 000 challenges, bad certificates,
//! HTTP/2 only, HTTP/1.0, IPv6, and connections cut mid-answer. Each check must end within a
//! bound and end in a finding a person can read.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::fmt::Write as _;
use std::io::Read as _;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use authdoctor::engine::challenge::{self, MAX_CHALLENGES};
use authdoctor::engine::probe::{self, Failure, MAX_BODY_BYTES, Probe, RequestPlan, TlsProblem};
use authdoctor::engine::{CheckInput, Code, Diagnosis, Net, NetOptions, diagnose};
use serde_json::Value;
use support::engine::codes;
use support::{Certificate, Protocol, Reply, TLS_REALM, TestServer, TlsServer, TlsSetup};
use url::Url;

/// A per-request limit far above what a check that does not wait for it takes, even on a busy
/// 2-core machine: a check that ends before it did not wait for it (a check that waits fails).
const LIMIT_SECS: u64 = 30;

/// How long any one check here may run before the test fails instead of hanging: well above
/// every limit the tests set.
const BOUND: Duration = Duration::from_secs(120);

/// Options with a short per-request time limit.
fn options(timeout_secs: u64) -> NetOptions {
    NetOptions {
        timeout_secs,
        ..NetOptions::default()
    }
}

/// Runs the whole check on `address`, failing the test if it takes longer than `bound`.
fn diagnose_within(address: &str, options: &NetOptions, bound: Duration) -> (Diagnosis, Duration) {
    let net = Net::new(options).expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let input = CheckInput {
        address: address.to_owned(),
        ..CheckInput::default()
    };
    let started = Instant::now();
    let diagnosis = runtime
        .block_on(async { tokio::time::timeout(bound, diagnose(&input, &net)).await })
        .unwrap_or_else(|_| panic!("the check of {address} took longer than {bound:?}"));
    (diagnosis, started.elapsed())
}

/// Follows `address` hop by hop without the rest of the diagnosis, to see the exact failure.
fn follow_within(address: &str, options: &NetOptions, bound: Duration) -> Probe {
    let net = Net::new(options).expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = Url::parse(address).unwrap();
    runtime
        .block_on(async {
            tokio::time::timeout(bound, probe::follow(&net, &url, &RequestPlan::default())).await
        })
        .unwrap_or_else(|_| panic!("following {address} took longer than {bound:?}"))
}

/// Runs `authdoctor ARGS`, killing it and failing the test if it runs longer than `bound`.
fn authdoctor_within(args: &[&str], bound: Duration) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
        .args(args)
        .env_remove("AUTHDOCTOR_PASSWORD")
        .env_remove("AUTHDOCTOR_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run authdoctor");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > bound {
            let _ = child.kill();
            let _ = child.wait();
            panic!("authdoctor {args:?} ran longer than {bound:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "exit {status:?}: {stderr}");
    reader.join().unwrap().unwrap()
}

/// The likely cause's finding, which every hostile server must still produce.
fn likely(d: &Diagnosis, code: Code) -> &authdoctor::engine::Finding {
    let finding = d.likely_finding().expect("a likely cause");
    assert_eq!(
        finding.code, code,
        "{}: {} {:?}",
        finding.title, finding.detail, finding.evidence
    );
    finding
}

/// A finding's words must be plain: no Rust `Debug` dump and no raw control characters.
fn assert_plain_words(text: &str) {
    assert!(
        !text.contains("Error {") && !text.contains("kind:") && !text.contains("Some("),
        "looks like a Debug dump: {text}"
    );
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "raw control character in: {text:?}"
    );
}

/// The whole diagnosis, as JSON, must contain no raw control character in any string.
fn assert_no_raw_control_characters(d: &Diagnosis) {
    fn walk(value: &Value) {
        match value {
            Value::String(s) => assert!(
                !s.chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
                "raw control character in {s:?}"
            ),
            Value::Array(items) => items.iter().for_each(walk),
            Value::Object(map) => map.values().for_each(walk),
            _ => {}
        }
    }
    walk(&serde_json::to_value(d).unwrap());
}

fn basic_401() -> Reply {
    Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Members\"")
}

#[test]
fn a_body_that_never_ends_is_cut_at_64_kib_and_the_401_is_still_diagnosed() {
    let server = TestServer::start(|_| basic_401().endless());
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    likely(&d, Code::AuthRequired);
    let last = d.exchanges.last().expect("an answer");
    assert!(last.body_truncated, "the cut is recorded");
    assert!(last.body_excerpt.len() <= MAX_BODY_BYTES);
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_one_mib_header_is_refused_like_a_browser_does_in_plain_words() {
    let huge = "a".repeat(1024 * 1024);
    let server = TestServer::start(move |_| basic_401().header("X-Huge", &huge));
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    let finding = likely(&d, Code::ConnectionFailed);
    assert!(
        finding.detail.contains("not a valid web answer"),
        "{}",
        finding.detail
    );
    assert_plain_words(&finding.detail);
    for evidence in &finding.evidence {
        assert!(
            evidence.value.len() < 1000,
            "the header is not copied into the evidence"
        );
    }
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn ten_thousand_headers_are_read_and_the_401_is_diagnosed() {
    let server = TestServer::start(|_| {
        (0..10_000).fold(basic_401(), |reply, i| {
            reply.header(&format!("X-Filler-{i}"), "v")
        })
    });
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    likely(&d, Code::AuthRequired);
    let last = d.exchanges.last().expect("an answer");
    assert!(last.headers.len() >= 10_000, "{}", last.headers.len());
    assert_eq!(d.challenges.len(), 1);
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_server_that_accepts_and_never_answers_is_a_timeout_at_the_limit() {
    let server = TestServer::start(|_| Reply::never());
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(2), BOUND);
    let finding = likely(&d, Code::Timeout);
    assert!(finding.detail.contains("2 seconds"), "{}", finding.detail);
    assert_plain_words(&finding.detail);
    assert!(
        // Never before the limit; after it, by far less than the wide margin.
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(2 + LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_server_answering_one_byte_per_second_is_a_timeout_at_the_limit() {
    let answer = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"slow\"\r\n\
                  Content-Length: 0\r\n\r\n";
    let server = TestServer::start(move |_| Reply::trickle(answer, Duration::from_secs(1)));
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(3), BOUND);
    let finding = likely(&d, Code::Timeout);
    assert!(finding.detail.contains("3 seconds"), "{}", finding.detail);
    // The whole answer would take over a minute at one byte per second: the 3 s limit cut it.
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_redirect_loop_stops_after_ten_redirects_as_too_many_redirects() {
    let server = TestServer::start(|r| {
        let next = if r.path == "/ping" { "/pong" } else { "/ping" };
        Reply::status(302).header("Location", next)
    });
    let (d, elapsed) = diagnose_within(&server.url("/ping"), &options(LIMIT_SECS), BOUND);
    let finding = likely(&d, Code::TooManyRedirects);
    assert!(finding.detail.contains("circle"), "{}", finding.detail);
    assert_eq!(server.requests().len(), probe::MAX_HOPS + 1);
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_fifty_hop_redirect_chain_stops_after_ten_redirects_as_too_many_redirects() {
    let server = TestServer::start(|r| {
        let hop: usize = r
            .path
            .trim_start_matches("/hop/")
            .parse()
            .unwrap_or_default();
        if hop < 50 {
            Reply::status(301).header("Location", &format!("/hop/{}", hop + 1))
        } else {
            basic_401()
        }
    });
    let (d, elapsed) = diagnose_within(&server.url("/hop/0"), &options(LIMIT_SECS), BOUND);
    let finding = likely(&d, Code::TooManyRedirects);
    assert!(
        !finding.detail.contains("circle"),
        "not a loop: {}",
        finding.detail
    );
    assert!(finding.detail.contains("redirected"), "{}", finding.detail);
    assert_eq!(server.requests().len(), probe::MAX_HOPS + 1);
    assert_eq!(d.status, None, "no final answer is claimed");
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

/// A 401 whose headers hold invalid UTF-8 and a C1 control (the 8-bit terminal escape U+009B),
/// with an ESC that would recolour a terminal on a header line of its own and in the page.
fn garbled_401() -> Reply {
    let body = b"<html><title>\x1b[2JSign in \xc2\x9b1m</title>\x1b]0;owned\x07</html>";
    let mut bytes = b"HTTP/1.1 401 Unauthorized\r\n\
        WWW-Authenticate: Basic realm=\"caf\xe9 \xc2\x9b31m\"\r\n\
        X-Garbled: ok\xff\xfe \xc2\x9b2J end\r\n\
        X-Escape: \x1b[31mred\r\n\
        Server: Evil\xc2\x9b0m/1.0\r\n\
        Connection: close\r\n"
        .to_vec();
    bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    bytes.extend_from_slice(body);
    Reply::raw(bytes)
}

#[test]
fn invalid_utf8_and_control_characters_in_headers_are_shown_escaped_in_json() {
    let server = TestServer::start(|_| garbled_401());
    let stdout = authdoctor_within(
        &[
            "check",
            &server.url("/"),
            "--json",
            "--no-dns",
            "--timeout",
            "30",
        ],
        BOUND,
    );
    let v: Value = serde_json::from_slice(&stdout).expect("stdout is one JSON object");
    assert_eq!(v["status"], 401, "{v}");
    let headers = v["exchanges"][0]["headers"].as_array().expect("headers");
    let value = |name: &str| {
        headers
            .iter()
            .find(|h| h["name"] == name)
            .and_then(|h| h["value"].as_str())
            .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
            .to_owned()
    };
    assert_eq!(value("x-garbled"), "ok\\xff\\xfe \\x9b2J end");
    assert_eq!(
        value("www-authenticate"),
        "Basic realm=\"caf\\xe9 \\x9b31m\""
    );
    assert_eq!(value("server"), "Evil\\x9b0m/1.0");
    // A line with ESC is not a valid header line at all: it is left out, as browsers skip it,
    // and the rest of the answer is still diagnosed.
    assert!(
        headers.iter().all(|h| h["name"] != "x-escape"),
        "{headers:?}"
    );
    assert_eq!(
        v["likely_cause"], "malformed-challenge",
        "a garbled realm is a faulty challenge"
    );
    let body = v["exchanges"][0]["body_excerpt"]
        .as_str()
        .expect("the page");
    assert_eq!(
        body,
        "<html><title>\\x1b[2JSign in \\x9b1m</title>\\x1b]0;owned\\x07</html>"
    );
    let text = String::from_utf8(stdout).expect("the JSON is UTF-8");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}'));
    assert!(
        !text.contains("\\u001b"),
        "escaped by AuthDoctor, not left for JSON to escape"
    );
    for header in headers {
        let value = header["value"].as_str().unwrap_or_default();
        assert!(!value.chars().any(char::is_control), "{value:?}");
    }
}

#[test]
fn control_characters_in_headers_never_reach_the_terminal_in_text_output() {
    let server = TestServer::start(|_| garbled_401());
    let stdout = authdoctor_within(
        &["check", &server.url("/"), "--no-dns", "--timeout", "30"],
        BOUND,
    );
    let text = String::from_utf8(stdout).expect("the text output is UTF-8");
    assert!(text.contains("[auth-required]"), "{text}");
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "raw control character in: {text:?}"
    );
}

#[test]
fn the_diagnosis_of_garbled_headers_has_no_raw_control_character_anywhere() {
    let server = TestServer::start(|_| garbled_401());
    let (d, _) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    likely(&d, Code::MalformedChallenge);
    assert!(d.has(Code::AuthRequired), "{:?}", codes(&d));
    assert_no_raw_control_characters(&d);
}

/// `count` challenges; the first is a real Basic one, the last is left unterminated.
fn many_challenges(count: usize) -> String {
    let mut value = String::from("Basic realm=\"first\"");
    for _ in 1..count.saturating_sub(1) {
        value.push_str(",B");
    }
    value.push_str(", Bearer error=\"unterminated");
    value
}

#[test]
fn a_www_authenticate_of_100_000_challenges_keeps_200_and_says_what_was_dropped() {
    let value = many_challenges(100_000);
    let server = TestServer::start(move |_| Reply::status(401).header("WWW-Authenticate", &value));
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    assert_eq!(d.status, Some(401), "{:?}", codes(&d));
    assert_eq!(d.challenges.len(), MAX_CHALLENGES);
    assert_eq!(d.challenges[0].realm(), Some("first"));
    assert!(d.has(Code::MalformedChallenge), "{:?}", codes(&d));
    assert!(
        d.challenge_problems
            .iter()
            .any(|p| p.contains(&MAX_CHALLENGES.to_string())),
        "{:?}",
        d.challenge_problems
    );
    assert!(d.challenge_problems.len() <= 60);
    for finding in &d.findings {
        assert!(finding.detail.len() < 20_000, "{} is bounded", finding.code);
    }
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn the_challenge_parser_reads_100_000_full_challenges_and_keeps_200() {
    // That it does so in linear time is counted in the parser's unit tests, not timed here.
    let mut value = String::new();
    for i in 0..100_000 {
        let _ = write!(
            value,
            "Digest realm=\"area {i}\", nonce=\"{i:08x}\", qop=\"auth\", algorithm=SHA-256, "
        );
    }
    value.push_str("Basic realm=\"unterminated");
    let parsed = challenge::parse_lines(&[value.as_bytes()]);
    assert_eq!(parsed.challenges.len(), MAX_CHALLENGES);
    assert!(!parsed.problems.is_empty());
}

/// Options trusting the test authority of `server`.
fn trusting(server: &TlsServer) -> NetOptions {
    NetOptions {
        extra_root_certs_pem: vec![server.ca_pem()],
        ..options(LIMIT_SECS)
    }
}

fn tls_problem(probe: &Probe) -> TlsProblem {
    match &probe.failure {
        Some(Failure::Tls { problem, .. }) => *problem,
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[test]
fn a_trusted_certificate_lets_the_401_through_so_the_other_tls_tests_mean_something() {
    let server = TlsServer::start(&TlsSetup::new());
    let (d, _) = diagnose_within(&server.url("/"), &trusting(&server), BOUND);
    likely(&d, Code::AuthRequired);
    assert_eq!(d.challenges[0].realm(), Some(TLS_REALM));
    assert!(!d.has(Code::InsecureBasic), "Basic over https is fine");
}

#[test]
fn an_expired_certificate_is_a_tls_error_saying_expired() {
    let server = TlsServer::start(&TlsSetup::new().certificate(Certificate::Expired));
    let (d, elapsed) = diagnose_within(&server.url("/"), &trusting(&server), BOUND);
    let finding = likely(&d, Code::TlsError);
    assert!(
        finding.title.contains("expired"),
        "{}: {:?}",
        finding.title,
        finding.evidence
    );
    assert_plain_words(&finding.detail);
    let probe = follow_within(&server.url("/"), &trusting(&server), BOUND);
    assert_eq!(tls_problem(&probe), TlsProblem::Expired);
    assert_eq!(
        server.request_count(),
        0,
        "no request crossed a bad certificate"
    );
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_self_signed_certificate_is_a_tls_error_saying_not_trusted() {
    let server = TlsServer::start(&TlsSetup::new().certificate(Certificate::SelfSigned));
    let (d, _) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    let finding = likely(&d, Code::TlsError);
    assert!(finding.title.contains("not trusted"), "{}", finding.title);
    let probe = follow_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    assert_eq!(tls_problem(&probe), TlsProblem::Untrusted);
    assert_eq!(server.request_count(), 0);
}

#[test]
fn a_certificate_for_another_name_is_a_tls_error_saying_different_name() {
    let server = TlsServer::start(&TlsSetup::new().names(&["right.test"]));
    let options = NetOptions {
        resolve: vec![("wrong.test".to_owned(), server.address())],
        ..trusting(&server)
    };
    let url = server.url_for_host("wrong.test", "/");
    let (d, _) = diagnose_within(&url, &options, BOUND);
    let finding = likely(&d, Code::TlsError);
    assert!(
        finding.title.contains("different name"),
        "{}",
        finding.title
    );
    assert!(finding.detail.contains("wrong.test"), "{}", finding.detail);
    let probe = follow_within(&url, &options, BOUND);
    assert_eq!(tls_problem(&probe), TlsProblem::WrongName);
    assert_eq!(server.request_count(), 0);
}

#[test]
fn an_http2_only_server_over_tls_is_diagnosed_over_http2() {
    let server = TlsServer::start(&TlsSetup::new().protocol(Protocol::Http2Only));
    let (d, elapsed) = diagnose_within(&server.url("/h2"), &trusting(&server), BOUND);
    likely(&d, Code::AuthRequired);
    let last = d.exchanges.last().expect("an answer");
    assert_eq!(last.http_version, "HTTP/2.0");
    assert_eq!(d.challenges[0].realm(), Some(TLS_REALM));
    assert!(server.request_count() >= 1);
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn an_http_1_0_server_without_length_or_keep_alive_is_diagnosed() {
    let server = TestServer::start(|_| {
        Reply::raw(
            "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Old server\"\r\n\r\n\
             This server is from another century.",
        )
    });
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    likely(&d, Code::AuthRequired);
    let last = d.exchanges.last().expect("an answer");
    assert_eq!(last.http_version, "HTTP/1.0");
    assert_eq!(d.challenges[0].realm(), Some("Old server"));
    assert!(last.body_excerpt.contains("another century"));
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_server_on_ipv6_loopback_is_diagnosed() {
    let server = TestServer::start_v6(|_| basic_401());
    let url = server.url("/v6");
    assert!(url.starts_with("http://[::1]:"), "{url}");
    let (d, _) = diagnose_within(&url, &options(LIMIT_SECS), BOUND);
    likely(&d, Code::AuthRequired);
    assert_eq!(d.url, url);
    let last = d.exchanges.last().expect("an answer");
    assert_eq!(last.remote_ip.as_deref(), Some("::1"));
}

#[test]
fn a_connection_reset_mid_answer_is_connection_failed_in_plain_words() {
    let server = TestServer::start(|_| Reply::reset());
    let (d, elapsed) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    let finding = likely(&d, Code::ConnectionFailed);
    assert!(finding.detail.contains("reset"), "{}", finding.detail);
    assert!(!finding.detail.contains("refused"), "{}", finding.detail);
    assert_plain_words(&finding.detail);
    assert!(
        elapsed < Duration::from_secs(LIMIT_SECS),
        "took {elapsed:?}"
    );
}

#[test]
fn a_connection_reset_inside_the_body_keeps_the_status_and_headers() {
    let server = TestServer::start(|_| {
        Reply::reset_after(
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"cut\"\r\n\
             Content-Length: 1000\r\n\r\nonly the start",
        )
    });
    let (d, _) = diagnose_within(&server.url("/"), &options(LIMIT_SECS), BOUND);
    likely(&d, Code::AuthRequired);
    assert_eq!(d.challenges[0].realm(), Some("cut"));
    let last = d.exchanges.last().expect("an answer");
    assert!(last.body_truncated, "the cut is recorded");
}

#[test]
fn many_hostile_checks_in_parallel_all_end_within_the_limit() {
    let servers = [
        TestServer::start(|_| Reply::never()),
        TestServer::start(|_| basic_401().endless()),
        TestServer::start(|_| Reply::reset()),
        TestServer::start(|_| Reply::trickle("HTTP/1.1 401", Duration::from_secs(1))),
    ];
    let net = Arc::new(Net::new(&options(2)).expect("client"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for server in &servers {
            for _ in 0..5 {
                let net = Arc::clone(&net);
                let input = CheckInput {
                    address: server.url("/"),
                    ..CheckInput::default()
                };
                tasks.push(tokio::spawn(async move { diagnose(&input, &net).await }));
            }
        }
        for task in tasks {
            let d = tokio::time::timeout(BOUND, task)
                .await
                .expect("each check ends")
                .expect("no panic");
            assert!(d.likely_cause.is_some(), "{:?}", codes(&d));
        }
    });
    assert!(
        // Every request has a 2 s limit; a check that ignored it would run for minutes.
        started.elapsed() < Duration::from_secs(2 * LIMIT_SECS),
        "took {:?}",
        started.elapsed()
    );
}
