//! `authdoctor diff` end to end: two reports saved by real checks of one loopback site (before
//! and after its owner fixed it), and two HAR logs (a working and a failing exchange), written to
//! a temp dir and compared by the binary, as text and as JSON.
#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use support::{Reply, TestServer, authdoctor, json_of};

/// A site whose `/members/` answers 401 until `fixed` is set, then 200.
fn site(fixed: Arc<AtomicBool>) -> TestServer {
    TestServer::start(move |_| {
        if fixed.load(Ordering::SeqCst) {
            Reply::ok("welcome")
        } else {
            Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Members\"")
        }
    })
}

fn save_report(url: &str, path: &std::path::Path) {
    let out = authdoctor(
        &[
            "check",
            url,
            "--no-dns",
            "--json",
            "--report",
            path.to_str().unwrap(),
        ],
        None,
        &[],
    );
    json_of(&out);
    assert!(path.exists(), "the report was saved");
}

#[test]
fn diff_of_two_reports_says_the_401_is_gone_and_which_finding_went() {
    let dir = tempfile::tempdir().unwrap();
    let fixed = Arc::new(AtomicBool::new(false));
    let server = site(fixed.clone());
    let url = server.url("/members/?token=s3cr3t-value");
    let before = dir.path().join("before.authdoctor.json");
    let after = dir.path().join("after.authdoctor.json");
    save_report(&url, &before);
    fixed.store(true, Ordering::SeqCst);
    save_report(&url, &after);

    let args = [
        "diff",
        before.to_str().unwrap(),
        after.to_str().unwrap(),
        "--json",
    ];
    let v = json_of(&authdoctor(&args, None, &[]));
    assert_eq!(v["kind"], "reports");
    let c = &v["comparison"];
    assert_eq!(c["verdict"], "fixed");
    assert_eq!(c["before"]["status"], 401);
    assert_eq!(c["after"]["status"], 200);
    assert_eq!(c["before"]["likely_cause"], "auth-required");
    assert!(
        c["findings_gone"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "auth-required"),
        "{c}"
    );
    assert!(
        c["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "www-authenticate" && h["after"].is_null()),
        "the challenge is gone from the answer: {c}"
    );

    let text = authdoctor(&args[..3], None, &[]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("401") && text.contains("200"), "{text}");
    assert!(text.contains("[auth-required]"), "{text}");
    assert!(
        !text.contains("s3cr3t-value"),
        "a secret parameter leaked: {text}"
    );
    assert!(!v.to_string().contains("s3cr3t-value"));
}

#[test]
fn diff_of_the_same_failing_report_twice_is_still_failing() {
    let dir = tempfile::tempdir().unwrap();
    let server = site(Arc::new(AtomicBool::new(false)));
    let report = dir.path().join("a.authdoctor.json");
    save_report(&server.url("/members/"), &report);
    let path = report.to_str().unwrap();
    let v = json_of(&authdoctor(&["diff", path, path, "--json"], None, &[]));
    assert_eq!(v["comparison"]["verdict"], "still-failing");
    assert_eq!(v["comparison"]["findings_new"].as_array().unwrap().len(), 0);
}

const WORKING_HAR: &str = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
  {"startedDateTime":"2026-11-20T10:00:00.000Z","time":10,
   "request":{"method":"GET","url":"https://app.example/api/orders?page=1","headers":[{"name":"Authorization","value":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXNlY3JldA"},{"name":"Cookie","value":"session=abc123secret; theme=dark"}],"cookies":[{"name":"session","value":"abc123secret"},{"name":"theme","value":"dark"}]},
   "response":{"status":200,"httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"},{"name":"Date","value":"Fri, 20 Nov 2026 10:00:00 GMT"}],"redirectURL":"","content":{"size":2,"text":"[]"}}}
]}}"#;

const FAILING_HAR: &str = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
  {"startedDateTime":"2026-11-21T10:00:00.000Z","time":5,
   "request":{"method":"GET","url":"https://app.example/static/app.js","headers":[],"cookies":[]},
   "response":{"status":200,"httpVersion":"HTTP/1.1","headers":[],"redirectURL":"","content":{"size":0}}},
  {"startedDateTime":"2026-11-21T10:00:01.000Z","time":12,
   "request":{"method":"GET","url":"https://app.example/api/orders?page=2","headers":[{"name":"Cookie","value":"theme=dark"}],"cookies":[{"name":"theme","value":"dark"}]},
   "response":{"status":401,"httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Bearer realm=\"api\""},{"name":"Content-Type","value":"application/json"},{"name":"Date","value":"Sat, 21 Nov 2026 10:00:01 GMT"}],"redirectURL":"","content":{"size":2,"text":"{}"}}}
]}}"#;

#[test]
fn diff_of_two_har_logs_sets_the_working_and_failing_call_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let working = dir.path().join("working.har");
    let failing = dir.path().join("failing.har");
    std::fs::write(&working, WORKING_HAR).unwrap();
    std::fs::write(&failing, FAILING_HAR).unwrap();
    let args = [
        "diff",
        working.to_str().unwrap(),
        failing.to_str().unwrap(),
        "--json",
    ];
    let out = authdoctor(&args, None, &[]);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let v = json_of(&out);
    assert_eq!(v["kind"], "har");
    let c = &v["comparison"];
    // The failing log's 401 is paired with the working log's call of the same API, not app.js.
    assert_eq!(c["before"]["status"], 200);
    assert_eq!(c["after"]["status"], 401);
    assert_eq!(c["after"]["entry"], 2);
    assert_eq!(c["before"]["sent_authorization"], true);
    assert_eq!(c["after"]["sent_authorization"], false);
    assert_eq!(c["cookies_only_before"], serde_json::json!(["session"]));
    assert!(c["after"]["likely_cause"].is_string(), "{c}");
    assert!(
        c["response_headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "www-authenticate"),
        "{c}"
    );
    assert!(
        !c["response_headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "date"),
        "dates always differ and are left out: {c}"
    );

    let text = authdoctor(&args[..3], None, &[]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Authorization sent: yes"), "{text}");
    assert!(text.contains("Authorization sent: no"), "{text}");
    for secret in ["abc123secret", "c2lnbmF0dXJlLXNlY3JldA"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
        assert!(!printed.contains(secret), "{secret} leaked: {printed}");
    }
}

#[test]
fn diff_of_a_report_and_a_har_log_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("a.har");
    std::fs::write(&har, WORKING_HAR).unwrap();
    let report = dir.path().join("b.authdoctor.json");
    std::fs::write(&report, "{}").unwrap();
    let out = authdoctor(
        &["diff", report.to_str().unwrap(), har.to_str().unwrap()],
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = authdoctor(
        &["diff", report.to_str().unwrap(), report.to_str().unwrap()],
        None,
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "not a report: a message, not a panic"
    );
}
