//! Cookies and caches through the binary, against real servers on loopback: cookies the server
//! requires, expired and shadowed ones, imports in each format (broken ones too), and a real nginx
//! caching proxy serving a stored 401.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use authdoctor::engine::{CheckInput, Net, NetOptions, diagnose};
use serde_json::Value;
use support::{Nginx, NginxSetup, Reply, TestServer, authdoctor, finding_codes as codes};

fn check_json(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--no-dns"]);
    let out = authdoctor(&all, None, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A members area that needs the cookie `session=good`, reads only the first `session` cookie,
/// and sends people without one to the login page.
fn members_server() -> TestServer {
    TestServer::start(|r| {
        if r.path.starts_with("/login") {
            return Reply::status(200).body("Please sign in");
        }
        match r.first_cookie("session") {
            None => Reply::status(302).header("Location", "/login"),
            Some("good") => Reply::status(200).body("Members"),
            Some(_) => Reply::status(401).body("{\"error\":\"session expired\"}"),
        }
    })
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_stale_cookie_that_shadows_the_good_one_is_cookies_cause_401() {
    let server = members_server();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "cookies.txt",
        "# Netscape HTTP Cookie File\n\
         127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tgood\n\
         127.0.0.1\tFALSE\t/members/\tFALSE\t0\tsession\tstale-123\n",
    );
    let v = check_json(&[&server.url("/members/area"), "--cookies-file", &file]);
    assert_eq!(v["status"], 401);
    assert_eq!(v["likely_cause"], "cookies-cause-401", "{:?}", codes(&v));
    assert!(
        codes(&v).contains(&"cookie-shadowed".to_owned()),
        "{:?}",
        codes(&v)
    );
    let cookies = v["cookies"].as_array().unwrap();
    assert_eq!(cookies.len(), 2);
    for c in cookies {
        for field in ["name", "domain", "path", "expires", "sent", "reason"] {
            assert!(c.get(field).is_some(), "cookie lacks {field}: {c}");
        }
        assert!(c.get("value").is_none(), "values are never in the JSON");
    }
    assert!(!String::from_utf8_lossy(&serde_json::to_vec(&v).unwrap()).contains("stale-123"));
    // The request was really sent with both cookies, the stale one first.
    let sent: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("cookie").map(str::to_owned))
        .collect();
    assert!(
        sent.iter().any(|c| c == "session=stale-123; session=good"),
        "{sent:?}"
    );
}

#[test]
fn an_expired_cookie_is_not_sent_and_said_so() {
    let server = members_server();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "cookies.txt",
        "127.0.0.1\tFALSE\t/\tFALSE\t1000000000\tsession\tgood\n",
    );
    let v = check_json(&[&server.url("/members/"), "--cookies-file", &file]);
    let c = &v["cookies"][0];
    assert_eq!(c["sent"], false);
    assert!(c["reason"].as_str().unwrap().contains("expired"), "{c}");
    assert!(
        codes(&v).contains(&"cookie-expired".to_owned()),
        "{:?}",
        codes(&v)
    );
}

/// A check through the engine with `host` resolving to the test server, as a browser would see
/// a real site name (cookie domains and the Secure rule depend on the name).
fn check_as(host: &str, server: &TestServer, path: &str, cookies: &str) -> Value {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let net = Net::new(&NetOptions {
        timeout_secs: 5,
        resolve: vec![(host.to_owned(), server.address())],
        ..NetOptions::default()
    })
    .unwrap();
    let d = runtime.block_on(diagnose(
        &CheckInput {
            address: format!("http://{host}:{}{path}", server.port()),
            cookies: Some(cookies.to_owned()),
            ..CheckInput::default()
        },
        &net,
    ));
    serde_json::to_value(&d).unwrap()
}

#[test]
fn a_secure_cookie_is_not_sent_to_a_plain_http_site() {
    let server = members_server();
    let v = check_as(
        "shop.test",
        &server,
        "/members/",
        "shop.test\tFALSE\t/\tTRUE\t0\tsession\tgood\n",
    );
    assert_eq!(v["cookies"][0]["sent"], false);
    assert!(
        v["cookies"][0]["reason"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("secure")
    );
    assert!(
        codes(&v).contains(&"cookie-not-sent".to_owned()),
        "{:?}",
        codes(&v)
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("cookie").is_none())
    );
}

#[test]
fn a_pasted_cookie_header_is_sent_and_the_page_opens() {
    let server = members_server();
    let v = check_json(&[
        &server.url("/members/"),
        "--cookie",
        "session=good; theme=dark",
    ]);
    assert_eq!(v["status"], 200);
    assert_eq!(v["cookies"].as_array().unwrap().len(), 2);
}

#[test]
fn every_cookie_file_format_is_read_and_broken_lines_are_reported() {
    let fixtures = format!("{}/tests/fixtures/cookies", env!("CARGO_MANIFEST_DIR"));
    let server =
        TestServer::start(|_| Reply::status(401).header("WWW-Authenticate", "Basic realm=\"x\""));
    for name in ["cookies.txt", "chrome.har", "firefox.har", "export.json"] {
        let text = std::fs::read_to_string(format!("{fixtures}/{name}")).unwrap();
        let v = check_as("www.example.com", &server, "/wp-admin/", &text);
        assert!(
            !v["cookies"].as_array().unwrap().is_empty(),
            "{name}: no cookie read"
        );
        assert!(
            !codes(&v).contains(&"cookie-file-malformed".to_owned()),
            "{name}: {:?}",
            codes(&v)
        );
        assert!(!v.to_string().contains("FAKE-"), "{name}: a value leaked");
    }
    for name in [
        "cookies-broken.txt",
        "chrome-broken.har",
        "firefox-broken.har",
        "export-broken.json",
    ] {
        let text = std::fs::read_to_string(format!("{fixtures}/{name}")).unwrap();
        let v = check_as("www.example.com", &server, "/wp-admin/", &text);
        assert!(
            codes(&v).contains(&"cookie-file-malformed".to_owned()),
            "{name}: {:?}",
            codes(&v)
        );
    }
    let missing = authdoctor(
        &[
            "check",
            &server.url("/"),
            "--cookies-file",
            "/nonexistent/cookies.txt",
        ],
        None,
        &[],
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_real_nginx_cache_serving_a_stored_401_is_cached_401() {
    // The site was protected, then fixed: the upstream now answers 200, but nginx still has the 401.
    let fixed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let fixed_in_server = fixed.clone();
    let upstream = TestServer::start(move |_| {
        if fixed_in_server.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::status(200).body("shop")
        } else {
            Reply::status(401).header("WWW-Authenticate", "Basic realm=\"old protection\"")
        }
    });
    let nginx = Nginx::start(NginxSetup::new().caching_proxy_to(&upstream.url("")));
    let first = check_json(&[&nginx.url("/shop/")]);
    assert_eq!(first["status"], 401);
    fixed.store(true, std::sync::atomic::Ordering::SeqCst);
    let v = check_json(&[&nginx.url("/shop/")]);
    assert_eq!(v["status"], 401, "nginx still serves the stored 401");
    assert_eq!(v["likely_cause"], "cached-401", "{:?}", codes(&v));
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "cached-401")
        .unwrap();
    assert!(finding["detail"].as_str().unwrap().len() > 20);
}

#[test]
fn cookies_are_never_sent_to_another_origin_even_by_the_follow_up_requests() {
    let other =
        TestServer::start(|_| Reply::status(401).header("WWW-Authenticate", "Basic realm=\"o\""));
    let target = other.url("/login");
    let first = TestServer::start(move |_| Reply::status(302).header("Location", &target));
    let v = check_json(&[
        &first.url("/start"),
        "--cookie",
        "session=cookie-for-first-only",
    ]);
    assert_eq!(v["status"], 401);
    assert!(other.requests().len() >= 2, "the follow-up requests ran");
    for r in other.requests() {
        assert_eq!(
            r.header("cookie"),
            None,
            "a cookie reached the other origin: {}",
            r.path
        );
        assert_eq!(r.header("authorization"), None);
    }
}
