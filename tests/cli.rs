//! The `authdoctor` binary as scripts and helpdesks use it: `check --json`, human text with codes
//! in brackets, `explain-header`, credentials from stdin and the environment, exit codes.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use serde_json::Value;
use support::{Reply, TestServer, authdoctor, finding_codes, json_of as json};

fn basic_server() -> TestServer {
    // "alice:open-sesame" in Base64.
    TestServer::start(|r| match r.header("authorization") {
        Some("Basic YWxpY2U6b3Blbi1zZXNhbWU=") => Reply::status(200).body("hi"),
        _ => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Staff\""),
    })
}

#[test]
fn check_json_has_every_contract_field() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/old" => Reply::status(301).header("Location", "/new"),
        _ => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Staff\""),
    });
    let v = json(&authdoctor(
        &["check", &server.url("/old"), "--json"],
        None,
        &[],
    ));
    assert_eq!(v["url"], server.url("/old"));
    assert_eq!(v["final_url"], server.url("/new"));
    assert_eq!(v["status"], 401);
    assert_eq!(v["hops"][0]["status"], 301);
    assert_eq!(v["hops"][0]["location"], "/new");
    assert!(v["hops"][0]["elapsed_ms"].is_u64());
    assert_eq!(v["hops"][1]["location"], Value::Null);
    assert_eq!(v["challenges"][0]["scheme"], "Basic");
    assert_eq!(v["challenges"][0]["token68"], Value::Null);
    assert_eq!(v["challenges"][0]["params"]["realm"], "Staff");
    assert_eq!(v["credentials"], Value::Null);
    assert_eq!(v["likely_cause"], "auth-required");
    let finding = &v["findings"][0];
    for field in [
        "code",
        "severity",
        "title",
        "detail",
        "next_steps",
        "evidence",
    ] {
        assert!(!finding[field].is_null(), "finding lacks {field}");
    }
    // A 401 that asks for a sign-in, with no password tried, is not a red problem.
    assert_eq!(finding["severity"], "info");
}

#[test]
fn password_from_the_environment_is_tested_and_never_printed() {
    let server = basic_server();
    let out = authdoctor(
        &["check", &server.url("/"), "--user", "alice", "--json"],
        None,
        &[("AUTHDOCTOR_PASSWORD", "open-sesame")],
    );
    let v = json(&out);
    assert_eq!(v["credentials"]["scheme"], "Basic");
    assert_eq!(v["credentials"]["status"], 200);
    assert_eq!(v["credentials"]["accepted"], true);
    // Accepted over plain http: the details work, and Basic over http stays advice.
    assert_eq!(v["likely_cause"], "credentials-accepted");
    assert!(finding_codes(&v).contains(&"insecure-basic".to_owned()));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("open-sesame"));
    assert!(!all.contains("YWxpY2U6b3Blbi1zZXNhbWU="));
}

#[test]
fn password_from_stdin_that_is_wrong_is_credentials_rejected() {
    let server = basic_server();
    let out = authdoctor(
        &[
            "check",
            &server.url("/"),
            "--user",
            "alice",
            "--password-stdin",
            "--json",
        ],
        Some("not-the-password\n"),
        &[],
    );
    let v = json(&out);
    assert_eq!(v["credentials"]["accepted"], false);
    assert_eq!(v["credentials"]["status"], 401);
    assert_eq!(v["likely_cause"], "credentials-rejected");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("not-the-password"));
}

#[test]
fn bearer_token_from_stdin_is_sent_as_bearer() {
    let server = TestServer::start(|r| match r.header("authorization") {
        Some("Bearer good-token-1") => Reply::status(200),
        _ => Reply::status(401).header("WWW-Authenticate", "Bearer realm=\"api\""),
    });
    let out = authdoctor(
        &["check", &server.url("/api"), "--bearer-stdin", "--json"],
        Some("good-token-1\n"),
        &[],
    );
    let v = json(&out);
    assert_eq!(v["credentials"]["scheme"], "Bearer");
    assert_eq!(v["credentials"]["accepted"], true);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("good-token-1"));
}

#[test]
fn human_output_names_the_likely_cause_first_with_codes_in_brackets() {
    let server = TestServer::start(|_| Reply::status(401));
    let out = authdoctor(&["check", &server.url("/")], None, &[]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let cause = text
        .find("Most likely cause:")
        .expect("a likely cause line");
    let findings = text.find("Other findings:").expect("the other findings");
    assert!(cause < findings);
    assert!(text.contains("[missing-challenge]"), "{text}");
    assert!(text.contains("What to do:"));
}

#[test]
fn a_typo_in_the_scheme_is_corrected_and_said() {
    let server =
        TestServer::start(|_| Reply::status(401).header("WWW-Authenticate", "Basic realm=\"x\""));
    let typed = server.url("/").replacen("http://", "htp://", 1);
    let v = json(&authdoctor(&["check", &typed, "--json"], None, &[]));
    assert_eq!(v["url"], server.url("/"));
    assert_eq!(v["status"], 401);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"url-corrected"), "{codes:?}");
}

#[test]
fn an_unusable_address_is_url_invalid_and_still_exits_zero() {
    let v = json(&authdoctor(
        &["check", "ftp://files.example.com/x", "--json"],
        None,
        &[],
    ));
    assert_eq!(v["likely_cause"], "url-invalid");
    assert_eq!(v["status"], Value::Null);
}

#[test]
fn bad_usage_exits_with_2() {
    let out = authdoctor(&["check"], None, &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = authdoctor(
        &["check", "http://127.0.0.1:1/", "--password-stdin"],
        Some("pw\n"),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--user"));
}

#[test]
fn explain_header_parses_several_challenges_and_reports_problems() {
    let out = authdoctor(
        &[
            "explain-header",
            "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256, qop=\"auth\", Bearer error=\"invalid_token\", Negotiate YIIGhgYGKwYBBQUCoIIGejCC==",
            "--json",
        ],
        None,
        &[],
    );
    let v = json(&out);
    let schemes: Vec<&str> = v["challenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["scheme"].as_str().unwrap())
        .collect();
    assert_eq!(schemes, vec!["Digest", "Bearer", "Negotiate"]);
    assert_eq!(v["challenges"][0]["params"]["algorithm"], "SHA-256");
    assert_eq!(v["challenges"][2]["token68"], "YIIGhgYGKwYBBQUCoIIGejCC==");
    assert!(v["problems"].as_array().unwrap().is_empty());
    let broken = json(&authdoctor(
        &["explain-header", "Basic realm=\"x", "--json"],
        None,
        &[],
    ));
    assert!(!broken["problems"].as_array().unwrap().is_empty());
    let text = authdoctor(&["explain-header", "Basic realm=\"Members\""], None, &[]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Members"));
}

#[test]
fn a_password_inside_the_address_is_tested_and_never_shown() {
    let server = basic_server();
    let url = server
        .url("/")
        .replacen("http://", "http://alice:open-sesame@", 1);
    let out = authdoctor(&["check", &url, "--json"], None, &[]);
    let v = json(&out);
    assert_eq!(v["credentials"]["accepted"], true, "{v}");
    assert_eq!(v["url"], server.url("/"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("open-sesame"));
    let text = authdoctor(&["check", &url], None, &[]);
    assert!(!String::from_utf8_lossy(&text.stdout).contains("open-sesame"));
}

#[test]
fn a_mistyped_command_is_a_usage_error_and_never_opens_the_window() {
    let out = authdoctor(&["chek", "https://example.com/"], None, &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = authdoctor(
        &["no-such-report.authdoctor.json"],
        None,
        &[("DISPLAY", ":0")],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-report.authdoctor.json"),
        "{stderr}"
    );
}

#[test]
fn the_packages_man_pages_and_completions_describe_the_public_command_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = authdoctor(&["generate-docs", dir.path().to_str().unwrap()], None, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(dir.path().join("man/authdoctor-check.1")).unwrap();
    assert!(page.contains("password\\-stdin"), "{page}");
    for file in [
        "completions/authdoctor.bash",
        "completions/_authdoctor",
        "man/authdoctor.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(
            text.contains("dns-flush") || text.contains("dns\\-flush"),
            "{file}"
        );
        assert!(
            !text.contains("generate-docs") && !text.contains("generate\\-docs"),
            "{file}"
        );
    }
    let help = authdoctor(&["--help"], None, &[]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("generate-docs"));
}
