//! The verdict of a check against loopback servers that behave like the set-ups people run:
//! what the signed-in request ended in, which request the check sent and why, and the likely
//! cause each case must headline.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::time::Duration;

use authdoctor::engine::credentials::Outcome;
use authdoctor::engine::probe::Purpose;
use authdoctor::engine::{Code, Credentials, Diagnosis, Net, NetOptions};
use support::engine::{check as check_with, codes, password, token};
use support::{Reply, TestServer};

fn net_with(deadline_secs: u64, timeout_secs: u64) -> Net {
    Net::new(&NetOptions {
        timeout_secs,
        deadline_secs,
        use_proxy: false,
        ..NetOptions::default()
    })
    .expect("client")
}

fn check(address: &str, credentials: Credentials) -> Diagnosis {
    check_with(address, credentials, &net_with(30, 5))
}

fn outcome(d: &Diagnosis) -> Outcome {
    d.credentials
        .as_ref()
        .expect("a credential test ran")
        .outcome
}

/// "alice:right" in Base64.
const ALICE_RIGHT: &str = "Basic YWxpY2U6cmlnaHQ=";

fn basic_401() -> Reply {
    Reply::status(401).header("WWW-Authenticate", "Basic realm=\"members\"")
}

#[test]
fn a_signed_in_redirect_that_ends_in_a_401_is_not_accepted() {
    let server = TestServer::start(|r| match (r.path.as_str(), r.header("authorization")) {
        ("/start", Some(ALICE_RIGHT)) => Reply::status(302).header("Location", "/login"),
        _ => basic_401(),
    });
    let d = check(&server.url("/start"), password("alice", "right"));
    assert_eq!(outcome(&d), Outcome::Rejected, "{:?}", codes(&d));
    assert!(!d.has(Code::CredentialsAccepted));
    assert_eq!(d.likely_cause, Some(Code::CredentialsRejected));
    let result = d.credentials.as_ref().unwrap();
    assert_eq!(result.status, 401);
    assert!(result.final_url.ends_with("/login"));
    // The credentials were kept along the same-origin redirect.
    let login = server.requests();
    let login = login.iter().rfind(|r| r.path == "/login").unwrap();
    assert_eq!(login.header("authorization"), Some(ALICE_RIGHT));
}

#[test]
fn a_signed_in_redirect_that_ends_well_is_accepted() {
    let server = TestServer::start(|r| match (r.path.as_str(), r.header("authorization")) {
        ("/start", Some(ALICE_RIGHT)) => Reply::status(302).header("Location", "/home"),
        ("/home", Some(ALICE_RIGHT)) => Reply::ok("welcome"),
        _ => basic_401(),
    });
    let d = check(&server.url("/start"), password("alice", "right"));
    assert_eq!(outcome(&d), Outcome::Accepted);
    assert_eq!(d.likely_cause, Some(Code::CredentialsAccepted));
}

#[test]
fn a_403_after_the_sign_in_is_signed_in_but_forbidden() {
    let server = TestServer::start(|r| match r.header("authorization") {
        Some(ALICE_RIGHT) => Reply::status(403).body("not your page"),
        _ => basic_401(),
    });
    let d = check(&server.url("/admin/"), password("alice", "right"));
    assert_eq!(outcome(&d), Outcome::Forbidden);
    assert_eq!(
        d.likely_cause,
        Some(Code::SignedInButForbidden),
        "{:?}",
        codes(&d)
    );
    assert!(!d.has(Code::CredentialsAccepted));
}

#[test]
fn a_500_only_once_the_password_is_sent_is_a_broken_sign_in_check() {
    let server = TestServer::start(|r| match r.header("authorization") {
        Some(_) => Reply::status(500).body("Internal Server Error"),
        None => basic_401(),
    });
    let d = check(&server.url("/"), password("alice", "whatever"));
    assert_eq!(outcome(&d), Outcome::ServerError);
    assert_eq!(
        d.likely_cause,
        Some(Code::ServerErrorAfterSignIn),
        "{:?}",
        codes(&d)
    );
    assert!(!d.has(Code::CredentialsAccepted));
}

#[test]
fn another_realm_after_the_first_sign_in_is_a_second_layer_and_gets_no_password() {
    let server = TestServer::start(|r| match r.header("authorization") {
        Some(_) => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"application\""),
        None => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"gateway\""),
    });
    let d = check(&server.url("/"), password("alice", "right"));
    assert_eq!(outcome(&d), Outcome::AnotherSignIn);
    assert_eq!(
        d.likely_cause,
        Some(Code::SecondSignInLayer),
        "{:?}",
        codes(&d)
    );
    // One signed-in request, and no answer to the second realm's challenge.
    let signed: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.header("authorization").is_some())
        .collect();
    assert_eq!(signed.len(), 1);
}

#[test]
fn a_php_bearer_challenge_without_error_after_a_token_means_the_token_never_arrived() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("WWW-Authenticate", "Bearer realm=\"api\"")
            .header("X-Powered-By", "PHP/8.2.7")
            .header("Server", "Apache/2.4.62 (Debian)")
    });
    let d = check(&server.url("/api/me"), token("tok-123456"));
    assert_eq!(outcome(&d), Outcome::NotPassed);
    assert_eq!(
        d.likely_cause,
        Some(Code::AuthorizationNotPassed),
        "{:?}",
        codes(&d)
    );
    // Never "the site rejected your token".
    assert!(!d.has(Code::CredentialsRejected));
    let f = d.likely_finding().unwrap();
    assert!(
        f.next_steps.iter().any(|s| s.contains("CGIPassAuth")),
        "{f:?}"
    );
}

#[test]
fn elsewhere_a_bearer_challenge_without_error_is_a_refusal_that_says_both_readings() {
    // Flask-HTTPAuth answers a wrong token exactly as it answers none.
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("WWW-Authenticate", "Bearer realm=\"api\"")
            .header("Server", "Werkzeug/3.0.1 Python/3.11.7")
    });
    let d = check(&server.url("/api/me"), token("tok-123456"));
    assert_eq!(outcome(&d), Outcome::Rejected);
    assert_eq!(
        d.likely_cause,
        Some(Code::CredentialsRejected),
        "{:?}",
        codes(&d)
    );
    assert!(!d.has(Code::AuthorizationNotPassed));
}

#[test]
fn an_application_saying_no_credentials_arrived_is_authorization_not_passed() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("WWW-Authenticate", "Token")
            .header("Content-Type", "application/json")
            .body(r#"{"detail":"Authentication credentials were not provided."}"#)
    });
    let d = check(&server.url("/api/"), token("0123456789abcdef"));
    assert_eq!(
        d.likely_cause,
        Some(Code::AuthorizationNotPassed),
        "{:?}",
        codes(&d)
    );
    let sent = server.requests();
    assert!(
        sent.iter()
            .any(|r| r.header("authorization") == Some("Token 0123456789abcdef")),
        "the token went out in the scheme the challenge named"
    );
}

#[test]
fn a_token_is_sent_in_the_token_scheme_and_a_refusal_speaks_of_a_token() {
    let server = TestServer::start(|r| match r.header("authorization") {
        Some("Token good-token") => Reply::ok("hi"),
        Some(_) => Reply::status(401)
            .header("WWW-Authenticate", "Token")
            .body(r#"{"detail":"Invalid token."}"#),
        None => Reply::status(401)
            .header("WWW-Authenticate", "Token")
            .body(r#"{"detail":"Authentication credentials were not provided."}"#),
    });
    let good = check(&server.url("/api/"), token("good-token"));
    assert_eq!(
        good.likely_cause,
        Some(Code::CredentialsAccepted),
        "{:?}",
        codes(&good)
    );
    assert_eq!(good.credentials.as_ref().unwrap().scheme, "Token");
    let bad = check(&server.url("/api/"), token("bad-token"));
    assert_eq!(
        bad.likely_cause,
        Some(Code::CredentialsRejected),
        "{:?}",
        codes(&bad)
    );
    let f = bad.likely_finding().unwrap();
    assert!(
        !f.title.contains("password") && !f.detail.contains("password"),
        "{f:?}"
    );
}

#[test]
fn a_digest_nonce_kept_in_a_cookie_is_sent_back_with_the_answer() {
    // Like Flask-HTTPAuth: the nonce lives in the session cookie set with the challenge, and an
    // answer without that cookie is refused.
    let server = TestServer::start(|r| {
        let cookie = r.first_cookie("session");
        match (r.header("authorization"), cookie) {
            (Some(a), Some("nonce-n1"))
                if a.starts_with("Digest ") && a.contains("nonce=\"n1\"") =>
            {
                Reply::ok("welcome")
            }
            _ => Reply::status(401)
                .header("Set-Cookie", "session=nonce-n1; Path=/; HttpOnly")
                .header(
                    "WWW-Authenticate",
                    "Digest realm=\"flask\", nonce=\"n1\", opaque=\"o1\", qop=\"auth\"",
                ),
        }
    });
    let d = check(&server.url("/"), password("alice", "right"));
    assert_eq!(outcome(&d), Outcome::Accepted, "{:?}", codes(&d));
    assert!(
        d.requests
            .iter()
            .any(|r| r.purpose == Purpose::SignedIn && r.cookies)
    );
}

#[test]
fn every_request_of_the_check_is_listed_and_a_plain_401_needs_one() {
    let server = TestServer::start(|_| basic_401());
    let d = check(
        &server.url("/private/?page=2&token=s3cr3t"),
        Credentials::default(),
    );
    assert_eq!(d.requests.len(), 1, "{:?}", d.requests);
    let first = &d.requests[0];
    assert_eq!(first.purpose, Purpose::AsBrowser);
    assert_eq!(first.method, "GET");
    assert_eq!(first.status, Some(401));
    assert!(!first.credentials && !first.pending);
    assert!(!first.url.contains("s3cr3t"), "{}", first.url);
    assert_eq!(server.requests().len(), 1);
    let with = check(&server.url("/private/"), password("alice", "wrong"));
    let purposes: Vec<Purpose> = with.requests.iter().map(|r| r.purpose).collect();
    assert_eq!(purposes, [Purpose::AsBrowser, Purpose::SignedIn]);
    assert!(with.requests[1].credentials);
}

#[test]
fn the_wordpress_pages_are_asked_for_only_when_the_answer_hints_at_wordpress() {
    let wp = TestServer::start(|r| match r.path.as_str() {
        "/wp-json/" => Reply::ok("{}"),
        _ => Reply::status(401)
            .header(
                "Link",
                "<http://example.invalid/wp-json/>; rel=\"https://api.w.org/\"",
            )
            .body("locked"),
    });
    let d = check(&wp.url("/members/"), Credentials::default());
    assert!(
        d.requests.iter().any(|r| r.purpose == Purpose::Harmless),
        "{:?}",
        d.requests
    );
    let plain = TestServer::start(|_| basic_401());
    let d = check(&plain.url("/members/"), Credentials::default());
    assert!(d.requests.iter().all(|r| r.purpose != Purpose::Harmless));
    assert!(plain.requests().iter().all(|r| !r.path.starts_with("/wp-")));
}

#[test]
fn a_slow_redirect_chain_ends_at_the_deadline_with_what_was_found() {
    // Each hop waits 1.5 s; the check may take 2 s in all.
    let server = TestServer::start(|r| {
        std::thread::sleep(Duration::from_millis(1500));
        let n: u32 = r.path.trim_start_matches("/hop/").parse().unwrap_or(0);
        Reply::status(302).header("Location", &format!("/hop/{}", n + 1))
    });
    let started = std::time::Instant::now();
    let d = check_with(
        &server.url("/hop/0"),
        password("alice", "pw"),
        &net_with(2, 10),
    );
    let took = started.elapsed();
    assert_eq!(
        d.likely_cause,
        Some(Code::CheckDeadlineReached),
        "{:?}",
        codes(&d)
    );
    // The bound is far above the 2 s deadline so a busy machine cannot fail it, and far below the
    // 11 × 1.5 s the chain would take without one.
    assert!(took < Duration::from_secs(12), "took {took:?}");
    let cut: Vec<_> = d
        .requests
        .iter()
        .filter(|r| r.stopped_by_deadline)
        .collect();
    assert_eq!(cut.len(), 1, "{:?}", d.requests);
    assert!(d.hops.len() <= 2);
    // The finding names the site's pace from the answer that came (1.5 s), not "answered none".
    let finding = d
        .findings
        .iter()
        .find(|f| f.code == Code::CheckDeadlineReached)
        .expect("the deadline finding");
    assert!(
        finding
            .evidence
            .iter()
            .any(|e| e.label == "Slowest answer before it"),
        "{finding:?}"
    );
    assert!(
        !finding.explanation.contains("answered none"),
        "{finding:?}"
    );
}

#[test]
fn an_address_typed_without_a_scheme_falls_back_to_http_and_says_which_answered() {
    let server = TestServer::start(|_| basic_401());
    let typed = format!("127.0.0.1:{}/members/", server.port());
    let d = check(&typed, Credentials::default());
    assert!(d.url.starts_with("http://"), "{}", d.url);
    assert_eq!(d.status, Some(401));
    let purposes: Vec<Purpose> = d.requests.iter().map(|r| r.purpose).collect();
    assert_eq!(purposes, [Purpose::AsBrowser, Purpose::SchemeFallback]);
    let corrected = d
        .findings
        .iter()
        .find(|f| f.code == Code::UrlCorrected)
        .unwrap();
    assert!(
        corrected.next_steps.iter().any(|s| s.contains(&d.url)),
        "the corrected address offered is the one that answered: {corrected:?}"
    );
    assert!(!corrected.next_steps.iter().any(|s| s.contains("https://")));
}

#[test]
fn basic_over_http_never_suggests_https_on_a_port_not_seen_speaking_tls() {
    let server = TestServer::start(|_| basic_401());
    let d = check(&server.url("/members/"), Credentials::default());
    let advice = d
        .findings
        .iter()
        .find(|f| f.code == Code::InsecureBasic)
        .unwrap();
    assert!(
        !advice
            .next_steps
            .iter()
            .any(|s| s.contains("https://127.0.0.1")),
        "{advice:?}"
    );
    // Nor claims https is missing: no https request was sent to this port.
    assert!(
        !advice
            .next_steps
            .iter()
            .any(|s| s.contains("does not answer over https")),
        "{advice:?}"
    );
    assert!(d.requests.iter().all(|r| r.purpose != Purpose::HttpsCheck));
    assert_eq!(d.likely_cause, Some(Code::AuthRequired));
}

#[test]
fn a_password_with_a_line_break_is_refused_before_anything_is_sent() {
    let server = TestServer::start(|_| basic_401());
    let d = check(&server.url("/"), password("alice", "right\nsecond line"));
    assert!(d.has(Code::CredentialsUntested), "{:?}", codes(&d));
    assert!(d.credentials.is_none());
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
}

#[test]
fn a_public_site_redirecting_into_a_private_network_is_not_followed() {
    let inside = TestServer::start(|_| Reply::ok("internal admin page"));
    let target = inside.url("/admin");
    let outside = TestServer::start(move |_| Reply::status(302).header("Location", &target));
    // "public.test" stands for a site on the internet: the system cannot resolve it, so the
    // check counts it as public; the test's own mapping takes it to the loopback server.
    let net = Net::new(&NetOptions {
        timeout_secs: 5,
        use_proxy: false,
        resolve: vec![("public.test".to_owned(), outside.address())],
        ..NetOptions::default()
    })
    .expect("client");
    let d = check_with(
        &format!("http://public.test:{}/", outside.port()),
        Credentials::default(),
        &net,
    );
    assert_eq!(d.likely_cause, Some(Code::BadRedirect), "{:?}", codes(&d));
    assert!(inside.requests().is_empty(), "no request went inside");
    assert!(
        d.requests
            .iter()
            .all(|r| !r.url.contains(&inside.port().to_string()))
    );
    let f = d.likely_finding().unwrap();
    assert!(f.evidence.iter().any(|e| e.value.contains("/admin")));
}

#[test]
fn a_local_site_redirecting_to_another_local_port_is_followed() {
    let second = TestServer::start(|_| basic_401());
    let target = second.url("/members/");
    let first = TestServer::start(move |_| Reply::status(302).header("Location", &target));
    let d = check(&first.url("/"), Credentials::default());
    assert_eq!(d.status, Some(401));
    assert_eq!(second.requests().len(), 1);
}

#[test]
fn a_user_name_and_password_in_a_redirect_are_never_sent() {
    let second = TestServer::start(|r| match r.header("authorization") {
        Some(_) => Reply::ok("should not happen"),
        None => basic_401(),
    });
    let target = format!("http://mallory:stolen@127.0.0.1:{}/x", second.port());
    let first = TestServer::start(move |_| Reply::status(302).header("Location", &target));
    let d = check(&first.url("/"), Credentials::default());
    assert_eq!(d.status, Some(401));
    assert!(
        second
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
    assert!(
        d.credentials.is_none(),
        "the redirect's details are never tested"
    );
    // Nor shown: the redirect's password is as secret as the user's own.
    let shown = serde_json::to_string(&d).expect("the diagnosis serialises");
    assert!(!shown.contains("stolen"), "{shown}");
    let text = authdoctor::cli::text::diagnosis(&d);
    assert!(!text.contains("stolen"), "{text}");
}

#[test]
fn the_check_goes_through_the_proxy_the_browser_would_use_and_says_which() {
    // A forward proxy of an office network that wants its own sign-in first.
    let proxy = TestServer::start(|r| {
        if r.path.starts_with("http://site.test") {
            Reply::status(407).header("Proxy-Authenticate", "Basic realm=\"office proxy\"")
        } else {
            Reply::status(400)
        }
    });
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port());
    let out = support::authdoctor(
        &["check", "http://site.test/members/", "--json", "--no-dns"],
        None,
        &[("HTTP_PROXY", &proxy_url), ("NO_PROXY", "")],
    );
    let v = support::json_of(&out);
    assert_eq!(v["likely_cause"], "proxy-auth-required", "{v}");
    assert_eq!(v["proxy"]["source"], "HTTP_PROXY");
    assert_eq!(v["proxy"]["url"], format!("{proxy_url}/"));
    assert_eq!(proxy.requests().len(), 1);
    // --no-proxy connects directly (here: to a name that does not exist).
    let out = support::authdoctor(
        &[
            "check",
            "http://site.test/members/",
            "--json",
            "--no-dns",
            "--no-proxy",
        ],
        None,
        &[("HTTP_PROXY", &proxy_url)],
    );
    let v = support::json_of(&out);
    assert!(v["proxy"].is_null());
    assert_eq!(proxy.requests().len(), 1, "nothing more went to the proxy");
}

#[test]
fn this_computers_own_addresses_never_go_through_a_proxy() {
    let site = TestServer::start(|_| basic_401());
    let out = support::authdoctor(
        &["check", &site.url("/"), "--json", "--no-dns"],
        None,
        // A proxy that is not there: the check would fail if it were used.
        &[
            ("HTTP_PROXY", "http://127.0.0.1:9"),
            ("HTTPS_PROXY", "http://127.0.0.1:9"),
        ],
    );
    let v = support::json_of(&out);
    assert_eq!(v["status"], 401);
    assert!(v["proxy"].is_null());
}

#[test]
fn an_empty_password_variable_counts_as_unset() {
    let site = TestServer::start(|_| basic_401());
    let out = support::authdoctor(
        &["check", &site.url("/"), "--json", "--no-dns"],
        None,
        &[("AUTHDOCTOR_PASSWORD", "")],
    );
    let v = support::json_of(&out);
    assert!(v["credentials"].is_null());
    // With a user name, an empty variable is no password: the check says how to give one.
    let out = support::authdoctor(
        &["check", &site.url("/"), "--user", "alice", "--no-dns"],
        None,
        &[("AUTHDOCTOR_PASSWORD", "")],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_password_with_a_line_break_is_refused_by_the_command_before_sending() {
    let site = TestServer::start(|_| basic_401());
    let out = support::authdoctor(
        &["check", &site.url("/"), "--user", "alice", "--no-dns"],
        None,
        &[("AUTHDOCTOR_PASSWORD", "right\nwrong")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line break"));
    assert!(site.requests().is_empty());
}
