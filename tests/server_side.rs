//! Server-side causes through the binary: real Apache with right and wrong `.htaccess` files and
//! `authdoctor htaccess` on the same files; security plugins, WAFs, rate limits and a skewed clock
//! replayed by a loopback server; `authdoctor token` on JWTs.
#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::Value;
use support::{Apache, ApacheSetup, Reply, TestServer};

fn authdoctor(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authdoctor"));
    cmd.args(args)
        .env_remove("AUTHDOCTOR_PASSWORD")
        .env_remove("AUTHDOCTOR_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn check(url: &str) -> Value {
    json(&authdoctor(
        &["check", url, "--json", "--no-dns"],
        None,
        &[],
    ))
}

fn members_htaccess(apache: &Apache, require: &str) -> String {
    let file = apache.root().join("htpasswd");
    let text = format!(
        "# Members area\nAuthType Basic\nAuthName \"Members\"\nAuthUserFile \"{}\"\n{require}\n",
        file.display()
    );
    apache.write_file("members/index.html", "<h1>Members</h1>");
    apache.write_file("members/.htaccess", &text);
    text
}

#[test]
fn a_right_htaccess_lets_the_right_password_in_and_is_explained_without_problems() {
    let apache = Apache::start(ApacheSetup::new().basic_user("alice", "garden-gate-7"));
    members_htaccess(&apache, "Require valid-user");
    let out = authdoctor(
        &[
            "check",
            &apache.url("/members/"),
            "--user",
            "alice",
            "--json",
            "--no-dns",
        ],
        None,
        &[("AUTHDOCTOR_PASSWORD", "garden-gate-7")],
    );
    let v = json(&out);
    assert_eq!(v["credentials"]["accepted"], true, "{:?}", codes(&v));
    let file = apache.docroot().join("members/.htaccess");
    let pw = apache.root().join("htpasswd");
    let report = json(&authdoctor(
        &[
            "htaccess",
            file.to_str().unwrap(),
            "--password-file",
            pw.to_str().unwrap(),
            "--json",
        ],
        None,
        &[],
    ));
    assert!(
        !codes(&report).contains(&"htaccess-problem".to_owned()),
        "{:?}",
        codes(&report)
    );
    assert!(report["directives"].as_array().unwrap().len() >= 4);
}

#[test]
fn an_htaccess_requiring_a_user_missing_from_the_password_file_is_flagged_with_its_line() {
    let apache = Apache::start(ApacheSetup::new().basic_user("alice", "garden-gate-7"));
    members_htaccess(&apache, "Require user bob");
    let out = authdoctor(
        &[
            "check",
            &apache.url("/members/"),
            "--user",
            "alice",
            "--json",
            "--no-dns",
        ],
        None,
        &[("AUTHDOCTOR_PASSWORD", "garden-gate-7")],
    );
    let v = json(&out);
    assert_eq!(
        v["likely_cause"],
        "credentials-rejected",
        "Apache refuses alice: {:?}",
        codes(&v)
    );
    let file = apache.docroot().join("members/.htaccess");
    let pw = apache.root().join("htpasswd");
    let text_out = authdoctor(
        &[
            "htaccess",
            file.to_str().unwrap(),
            "--password-file",
            pw.to_str().unwrap(),
        ],
        None,
        &[],
    );
    let text = String::from_utf8_lossy(&text_out.stdout);
    assert!(text.contains("[htaccess-problem]"), "{text}");
    assert!(text.contains("bob"), "{text}");
    assert!(
        text.contains("Line 5"),
        "the finding names the line: {text}"
    );
    assert!(!text.contains("$2y$"), "password hashes are never printed");
}

#[test]
fn a_relative_auth_user_file_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htaccess");
    std::fs::write(
        &path,
        "AuthType Basic\nAuthName \"x\"\nAuthUserFile .htpasswd\nRequire valid-user\n",
    )
    .unwrap();
    let v = json(&authdoctor(
        &["htaccess", path.to_str().unwrap(), "--json"],
        None,
        &[],
    ));
    assert!(
        codes(&v).contains(&"htaccess-problem".to_owned()),
        "{:?}",
        codes(&v)
    );
    let missing = authdoctor(&["htaccess", "/nonexistent/.htaccess"], None, &[]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn product_answers_replayed_on_loopback_are_recognised() {
    let server = TestServer::start(|r| {
        match r.path.as_str() {
        p if p.starts_with("/wordfence") => Reply::status(403)
            .header("Content-Type", "text/html")
            .body("<h1>Your access to this site has been limited by the site owner</h1><p>Generated by Wordfence</p>"),
        p if p.starts_with("/cloudflare") => Reply::status(403)
            .header("Server", "cloudflare")
            .header("CF-RAY", "8a1b2c3d4e5f6789-AMS")
            .body("<title>Access denied | example.com used Cloudflare to restrict access</title><span class=\"cf-error-code\">1020</span>"),
        p if p.starts_with("/sucuri") => Reply::status(403)
            .header("Server", "Sucuri/Cloudproxy")
            .header("X-Sucuri-ID", "11005")
            .body("<title>Sucuri WebSite Firewall - Access Denied</title>"),
        p if p.starts_with("/ratelimit") => Reply::status(429)
            .header("Retry-After", "120")
            .header("X-RateLimit-Limit", "10")
            .header("X-RateLimit-Remaining", "0"),
        p if p.starts_with("/wp-json") => Reply::status(401)
            .header("Content-Type", "application/json")
            .header("Link", "<http://127.0.0.1/wp-json/>; rel=\"https://api.w.org/\"")
            .body("{\"code\":\"rest_not_logged_in\",\"message\":\"You are not currently logged in.\",\"data\":{\"status\":401}}"),
        _ => Reply::status(404),
    }
    });
    let cases = [
        ("/wordfence/wp-admin/", "security-plugin-block"),
        ("/cloudflare/admin", "waf-block"),
        ("/sucuri/admin", "waf-block"),
        ("/ratelimit/login", "rate-limited"),
        ("/wp-json/wp/v2/users/me", "wordpress-detected"),
    ];
    for (path, code) in cases {
        let v = check(&server.url(path));
        assert!(
            codes(&v).contains(&code.to_owned()),
            "{path}: {:?}",
            codes(&v)
        );
    }
    let v = check(&server.url("/cloudflare/admin"));
    assert_eq!(v["likely_cause"], "waf-block");
}

#[test]
fn a_server_whose_clock_is_two_hours_ahead_is_clock_skew() {
    let server = TestServer::start(|_| {
        let ahead = SystemTime::now() + Duration::from_secs(2 * 3600);
        Reply::status(401)
            .header("Date", &httpdate::fmt_http_date(ahead))
            .header("WWW-Authenticate", "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"token not valid yet\"")
    });
    let v = check(&server.url("/api"));
    assert!(
        codes(&v).contains(&"clock-skew".to_owned()),
        "{:?}",
        codes(&v)
    );
    assert_eq!(v["likely_cause"], "clock-skew");
}

fn jwt(claims: &Value) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.{}",
        b64.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
        b64.encode(claims.to_string()),
        b64.encode(b"signature-bytes-that-must-not-show")
    )
}

#[test]
fn the_token_command_says_an_expired_jwt_is_expired_and_never_prints_its_signature() {
    let now = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    let token = jwt(
        &serde_json::json!({"sub": "alice", "iss": "https://login.example", "exp": now - 3 * 3600, "iat": now - 4 * 3600}),
    );
    let out = authdoctor(&["token"], Some(&format!("Bearer {token}\n")), &[]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[token-expired]"), "{text}");
    assert!(text.contains("ago"), "{text}");
    assert!(
        !text.contains("c2lnbmF0dXJl"),
        "the signature is never printed"
    );
    let opaque = json(&authdoctor(
        &["token", "--json"],
        Some("sk_live_opaque_value\n"),
        &[],
    ));
    assert!(
        codes(&opaque).contains(&"token-opaque".to_owned()),
        "{:?}",
        codes(&opaque)
    );
    let empty = authdoctor(&["token"], Some(""), &[]);
    assert_eq!(empty.status.code(), Some(2));
}

#[test]
fn a_jwt_given_to_check_is_decoded_and_an_expired_one_is_the_cause() {
    let now = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    let token = jwt(&serde_json::json!({"sub": "alice", "exp": now - 600}));
    let server = TestServer::start(|r| match r.header("authorization") {
        Some(_) => Reply::status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
        None => Reply::status(401).header("WWW-Authenticate", "Bearer realm=\"api\""),
    });
    let v = json(&authdoctor(
        &["check", &server.url("/api"), "--json", "--no-dns"],
        None,
        &[("AUTHDOCTOR_TOKEN", &token)],
    ));
    assert_eq!(v["likely_cause"], "token-expired", "{:?}", codes(&v));
    assert!(v["token"]["claims"]["sub"] == "alice");
    assert!(
        !v.to_string().contains(&token),
        "the whole token never appears"
    );
}
