//! HAR import and saved reports, through the binary: 401s found in Chrome and Firefox logs,
//! broken logs reported, reports in every format with no secret in their bytes, and a JSON report
//! that opens back to the same findings.
#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use authdoctor::engine::report;
use serde_json::Value;
use support::{Reply, TestServer, authdoctor};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/har/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_chrome_har_yields_its_401_with_the_redirect_before_it_and_no_secrets() {
    let out = authdoctor(&["har", &fixture("chrome.har"), "--json"], None, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entries"], 3);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["entry"], 2);
    assert_eq!(findings[0]["diagnosis"]["hops"][0]["status"], 302);
    assert_eq!(
        findings[0]["diagnosis"]["likely_cause"],
        "missing-challenge"
    );
    assert_eq!(findings[0]["cookies_sent"][0], "wordpress_logged_in_abc");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("secretsecret"), "cookie values never appear");
}

#[test]
fn a_firefox_har_with_a_stale_digest_nonce_is_explained() {
    let out = authdoctor(&["har", &fixture("firefox.har")], None, &[]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("from Firefox 121.0"), "{text}");
    assert!(text.contains("[auth-required]"), "{text}");
    assert!(text.contains("Digest"), "{text}");
    assert!(
        !text.contains("0123456789abcdef0123456789abcdef"),
        "the Digest answer is not shown"
    );
}

#[test]
fn a_truncated_har_is_a_clear_error_and_a_broken_entry_is_skipped() {
    let out = authdoctor(&["har", &fixture("broken-truncated.har")], None, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a HAR network log"));
    let out = authdoctor(&["har", &fixture("broken-entry.har"), "--json"], None, &[]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["problems"].as_array().unwrap().len(), 1);
    // The recorded answer says why the token was refused: it expired.
    assert_eq!(
        v["findings"][0]["diagnosis"]["likely_cause"],
        "token-expired"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("c2lnbmF0dXJlc2lnbmF0dXJl"));
    let missing = authdoctor(&["har", "/nonexistent/file.har"], None, &[]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn reports_in_every_format_contain_no_password_token_or_secret_parameter() {
    let server = TestServer::start(|r| {
        if r.path.starts_with("/start") {
            return Reply::status(302).header("Location", "/members/?api_key=k-55aa77bb99&page=2");
        }
        Reply::status(401)
            .header("WWW-Authenticate", "Basic realm=\"Members\"")
            .header("Set-Cookie", "sid=cookie-value-123456; Path=/; HttpOnly")
            .body("{\"access_token\": \"at-0987654321\"}")
    });
    let dir = tempfile::tempdir().unwrap();
    for ext in ["html", "md", "json"] {
        let path = dir.path().join(format!("report.{ext}"));
        let url = server.url("/start?token=tok-1122334455");
        let out = authdoctor(
            &[
                "check",
                &url,
                "--user",
                "alice",
                "--report",
                path.to_str().unwrap(),
            ],
            None,
            &[("AUTHDOCTOR_PASSWORD", "pw-secret-778899")],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "pw-secret-778899",
            "tok-1122334455",
            "k-55aa77bb99",
            "cookie-value-123456",
            "at-0987654321",
        ] {
            assert!(!text.contains(secret), "{ext} report contains {secret}");
        }
        assert!(
            text.contains("auth-required") || text.contains("credentials-rejected"),
            "{ext}"
        );
    }
}

#[test]
fn a_report_of_a_check_with_a_bearer_token_does_not_contain_the_token() {
    let server = TestServer::start(|r| match r.header("authorization") {
        Some(_) => Reply::status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
        None => Reply::status(401).header("WWW-Authenticate", "Bearer realm=\"api\""),
    });
    let dir = tempfile::tempdir().unwrap();
    for ext in ["html", "md", "json"] {
        let path = dir.path().join(format!("report.{ext}"));
        let out = authdoctor(
            &[
                "check",
                &server.url("/api"),
                "--report",
                path.to_str().unwrap(),
            ],
            None,
            &[("AUTHDOCTOR_TOKEN", "bearer-secret-99aa88bb")],
        );
        assert!(out.status.success());
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("bearer-secret-99aa88bb"),
            "{ext} report contains the token"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("bearer-secret-99aa88bb"));
    }
}

#[test]
fn a_json_report_opens_back_to_the_same_findings() {
    let server = TestServer::start(|_| Reply::status(401));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customer.authdoctor.json");
    let json_out = authdoctor(
        &[
            "check",
            &server.url("/x"),
            "--json",
            "--report",
            path.to_str().unwrap(),
        ],
        None,
        &[],
    );
    let printed: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    let loaded = report::load(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(loaded.redacted);
    assert_eq!(
        loaded
            .diagnosis
            .likely_cause
            .map(authdoctor::engine::Code::as_str),
        Some("missing-challenge")
    );
    let codes: Vec<&str> = loaded
        .diagnosis
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect();
    let printed_codes: Vec<&str> = printed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, printed_codes);
}

#[test]
fn a_report_path_with_an_unknown_extension_is_bad_usage() {
    let out = authdoctor(
        &["check", "http://127.0.0.1:9/", "--report", "/tmp/x.pdf"],
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".html, .md or .json"));
}
