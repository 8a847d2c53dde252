//! The diagnosis engine against real HTTP servers on loopback: statuses, challenges, redirects,
//! credential tests, and network failures, each as the finding a user would read.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use authdoctor::engine::probe::MAX_BODY_BYTES;
use authdoctor::engine::{Code, Credentials, Net, NetOptions, Severity};
use support::engine::{check, codes, password, token};
use support::{Reply, TestServer};

fn net_with(options: &NetOptions) -> Net {
    Net::new(options).expect("client")
}

fn net() -> Net {
    net_with(&NetOptions {
        timeout_secs: 5,
        ..NetOptions::default()
    })
}

#[test]
fn a_basic_challenge_over_http_is_explained_and_flagged_insecure() {
    let server = TestServer::start(|_| {
        Reply::status(401).header(
            "WWW-Authenticate",
            "Basic realm=\"Members area\", charset=\"UTF-8\"",
        )
    });
    let d = check(&server.url("/members/"), Credentials::default(), &net());
    assert_eq!(d.status, Some(401));
    assert_eq!(d.likely_cause, Some(Code::AuthRequired), "{:?}", codes(&d));
    assert!(d.has(Code::InsecureBasic));
    assert_eq!(d.challenges.len(), 1);
    assert_eq!(d.challenges[0].scheme, "Basic");
    assert_eq!(
        d.challenges[0].params.get("realm").map(String::as_str),
        Some("Members area")
    );
    let auth = d.likely_finding().unwrap();
    assert!(auth.detail.contains("Basic"), "{}", auth.detail);
    assert!(auth.evidence.iter().any(|e| e.value == "Members area"));
}

#[test]
fn a_401_without_www_authenticate_is_missing_challenge() {
    let server = TestServer::start(|_| Reply::status(401).body("no"));
    let d = check(&server.url("/"), Credentials::default(), &net());
    assert_eq!(d.likely_cause, Some(Code::MissingChallenge));
    assert!(d.challenges.is_empty());
}

#[test]
fn a_malformed_challenge_is_reported_with_what_was_forgiven() {
    let server = TestServer::start(|_| {
        Reply::status(401).header("WWW-Authenticate", "Basic realm=\"unterminated")
    });
    let d = check(&server.url("/"), Credentials::default(), &net());
    assert!(d.has(Code::MalformedChallenge), "{:?}", codes(&d));
    assert!(!d.challenge_problems.is_empty());
}

#[test]
fn a_200_403_and_404_are_not_unauthorized_with_what_they_mean() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/ok" => Reply::status(200).body("hello"),
        "/forbidden" => Reply::status(403),
        _ => Reply::status(404),
    });
    let ok = check(&server.url("/ok"), Credentials::default(), &net());
    assert_eq!(ok.likely_cause, Some(Code::NotUnauthorized));
    assert_eq!(ok.likely_finding().unwrap().severity, Severity::Ok);
    let forbidden = check(&server.url("/forbidden"), Credentials::default(), &net());
    let f = forbidden.likely_finding().unwrap();
    assert_eq!(f.code, Code::NotUnauthorized);
    assert_eq!(f.severity, Severity::Problem);
    assert!(f.detail.contains("403"), "{}", f.detail);
    let missing = check(&server.url("/typo"), Credentials::default(), &net());
    assert!(missing.likely_finding().unwrap().detail.contains("404"));
}

#[test]
fn redirects_are_followed_hop_by_hop_and_recorded() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/a" => Reply::status(301).header("Location", "/b"),
        "/b" => Reply::status(302).header("Location", "/c"),
        _ => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"x\""),
    });
    let d = check(&server.url("/a"), Credentials::default(), &net());
    let statuses: Vec<u16> = d.hops.iter().map(|h| h.status).collect();
    assert_eq!(statuses, vec![301, 302, 401]);
    assert_eq!(d.hops[0].location.as_deref(), Some("/b"));
    assert_eq!(d.final_url.as_deref(), Some(server.url("/c").as_str()));
    assert_eq!(d.status, Some(401));
}

#[test]
fn a_redirect_loop_is_too_many_redirects() {
    let server = TestServer::start(|r| {
        let next = if r.path == "/x" { "/y" } else { "/x" };
        Reply::status(302).header("Location", next)
    });
    let d = check(&server.url("/x"), Credentials::default(), &net());
    assert_eq!(d.likely_cause, Some(Code::TooManyRedirects));
    assert!(d.likely_finding().unwrap().detail.contains("circle"));
    assert_eq!(
        server.requests().len(),
        11,
        "10 redirects are followed, then it stops"
    );
}

#[test]
fn basic_credentials_are_accepted_or_rejected_by_the_server_itself() {
    // "alice:right" in Base64.
    let server = TestServer::start(|r| match r.header("authorization") {
        Some("Basic YWxpY2U6cmlnaHQ=") => Reply::status(200).body("welcome"),
        _ => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"x\""),
    });
    let good = check(&server.url("/"), password("alice", "right"), &net());
    assert!(good.has(Code::CredentialsAccepted), "{:?}", codes(&good));
    // The password works: that is the answer, and Basic over plain http is only advice.
    assert_eq!(good.likely_cause, Some(Code::CredentialsAccepted));
    assert!(good.has(Code::InsecureBasic));
    let result = good.credentials.as_ref().unwrap();
    assert!(result.accepted);
    assert_eq!(result.status, 200);
    assert_eq!(result.scheme, "Basic");
    assert!(good.first_401().is_some(), "the first 401 is kept");
    let bad = check(&server.url("/"), password("alice", "wrong-pw-42"), &net());
    assert_eq!(bad.likely_cause, Some(Code::CredentialsRejected));
    assert!(!bad.credentials.as_ref().unwrap().accepted);
    let json = serde_json::to_string(&bad).unwrap();
    assert!(
        !json.contains("wrong-pw-42"),
        "the password never appears in the diagnosis"
    );
}

#[test]
fn a_rejected_bearer_token_is_named_by_the_reason_the_site_gave() {
    let server = TestServer::start(|r| {
        match r.header("authorization") {
        Some(_) => Reply::status(401).header(
            "WWW-Authenticate",
            "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"",
        ),
        None => Reply::status(401).header("WWW-Authenticate", "Bearer realm=\"api\""),
    }
    });
    let d = check(&server.url("/api"), token("tok-123456"), &net());
    // The site said why (error_description): the token expired.
    assert_eq!(d.likely_cause, Some(Code::TokenExpired), "{:?}", codes(&d));
    assert!(d.has(Code::TokenInvalid));
    assert!(!d.has(Code::CredentialsAccepted));
    assert_eq!(d.credentials.as_ref().unwrap().scheme, "Bearer");
    let sent: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").map(str::to_owned))
        .collect();
    assert!(
        sent.contains(&Some("Bearer tok-123456".to_owned())),
        "the token was sent as a Bearer header: {sent:?}"
    );
}

#[test]
fn a_token_without_the_needed_scope_is_insufficient_scope() {
    let server = TestServer::start(|_| {
        Reply::status(401).header(
            "WWW-Authenticate",
            "Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"admin:write\"",
        )
    });
    let d = check(&server.url("/admin"), Credentials::default(), &net());
    assert_eq!(d.likely_cause, Some(Code::InsufficientScope));
    assert!(d.likely_finding().unwrap().detail.contains("admin:write"));
}

#[test]
fn credentials_never_follow_a_redirect_to_another_origin() {
    let other = TestServer::start(|_| {
        Reply::status(401).header("WWW-Authenticate", "Basic realm=\"other\"")
    });
    let target = other.url("/login");
    let first = TestServer::start(move |_| Reply::status(302).header("Location", &target));
    let d = check(&first.url("/start"), password("alice", "pw-xyz"), &net());
    assert_eq!(
        d.likely_cause,
        Some(Code::AuthDroppedOnRedirect),
        "{:?}",
        codes(&d)
    );
    assert_eq!(d.likely_finding().unwrap().severity, Severity::Problem);
    assert!(d.credentials.is_none());
    for r in other.requests() {
        assert_eq!(
            r.header("authorization"),
            None,
            "Authorization reached the other origin"
        );
    }
}

#[test]
fn a_closed_port_is_connection_failed_in_plain_words() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let d = check(
        &format!("http://127.0.0.1:{port}/"),
        Credentials::default(),
        &net(),
    );
    assert_eq!(d.likely_cause, Some(Code::ConnectionFailed));
    assert!(d.likely_finding().unwrap().detail.contains("refused"));
}

#[test]
fn a_server_that_never_answers_is_a_timeout() {
    let server = TestServer::start(|_| Reply::never());
    let d = check(
        &server.url("/"),
        Credentials::default(),
        &net_with(&NetOptions {
            timeout_secs: 1,
            ..NetOptions::default()
        }),
    );
    assert_eq!(d.likely_cause, Some(Code::Timeout));
    let finding = d.likely_finding().unwrap();
    assert!(
        finding
            .evidence
            .iter()
            .any(|e| e.label == "Time limit" && e.value == "1 s"),
        "{:?}",
        finding.evidence
    );
    // The limit is said in words a person would write: "1 second", not "1 seconds".
    assert!(
        finding.detail.contains("within 1 second."),
        "{}",
        finding.detail
    );
}

#[test]
#[should_panic(expected = "the handler panicked")]
fn a_test_server_whose_handler_panics_fails_the_test() {
    let server = TestServer::start(|_| panic!("the handler saw a request it did not expect"));
    let d = check(&server.url("/"), Credentials::default(), &net());
    // The connection closes without an answer; the server's drop then fails the test.
    assert!(d.likely_cause.is_some());
}

#[test]
fn an_endless_body_is_cut_at_64_kib() {
    let server = TestServer::start(|_| Reply::endless_body());
    let d = check(&server.url("/"), Credentials::default(), &net());
    let last = d.exchanges.last().expect("an answer");
    assert!(last.body_truncated);
    assert!(last.body_excerpt.len() <= MAX_BODY_BYTES);
}

/// A resolver that knows one name and answers "no such host" for every other.
struct OneNameResolver {
    name: String,
    addr: SocketAddr,
}

impl reqwest::dns::Resolve for OneNameResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let found = name.as_str() == self.name;
        let addr = self.addr;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            if found {
                let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(addr));
                Ok(addrs)
            } else {
                Err(format!(
                    "failed to lookup address information: Name or service not known ({host})"
                )
                .into())
            }
        })
    }
}

#[test]
fn an_unknown_host_name_is_dns_failure() {
    let server = TestServer::start(|_| Reply::status(200));
    let resolver = OneNameResolver {
        name: "known.test".to_owned(),
        addr: server.address(),
    };
    let n = net_with(&NetOptions {
        timeout_secs: 5,
        resolver: Some(Arc::new(resolver)),
        ..NetOptions::default()
    });
    let d = check("http://unknown.test/", Credentials::default(), &n);
    assert_eq!(d.likely_cause, Some(Code::DnsFailure), "{:?}", codes(&d));
    assert!(d.likely_finding().unwrap().detail.contains("unknown.test"));
    let ok = check(
        &format!("http://known.test:{}/", server.port()),
        Credentials::default(),
        &n,
    );
    assert_eq!(ok.status, Some(200));
}

#[test]
fn credentials_never_follow_a_redirect_to_another_host_name() {
    let port = Arc::new(std::sync::OnceLock::<u16>::new());
    let port_in_handler = port.clone();
    let server = TestServer::start(move |r| {
        if r.header("host").is_some_and(|h| h.starts_with("a.test")) {
            let p = port_in_handler.get().copied().unwrap_or_default();
            Reply::status(302).header("Location", &format!("http://b.test:{p}/login"))
        } else {
            Reply::status(401).header("WWW-Authenticate", "Basic realm=\"b\"")
        }
    });
    port.set(server.port()).unwrap();
    let addr = server.address();
    let n = net_with(&NetOptions {
        timeout_secs: 5,
        resolve: vec![("a.test".to_owned(), addr), ("b.test".to_owned(), addr)],
        ..NetOptions::default()
    });
    let d = check(
        &format!("http://a.test:{}/", server.port()),
        password("alice", "pw-abc"),
        &n,
    );
    assert_eq!(
        d.likely_cause,
        Some(Code::AuthDroppedOnRedirect),
        "{:?}",
        codes(&d)
    );
    let reqs = server.requests();
    assert!(reqs.iter().all(|r| r.header("authorization").is_none()));
}

/// A Digest server that checks answers with the `digest_auth` crate, issuing `challenge`; the
/// first answer to nonce "old" is refused as stale when `stale_first` is set.
fn digest_server(challenge: &'static str, password: &'static str, stale_first: bool) -> TestServer {
    TestServer::start(move |r| {
        let refuse = |stale: bool| {
            let value = if stale {
                challenge.replace("nonce=\"old\"", "nonce=\"new\"") + ", stale=true"
            } else {
                challenge.to_owned()
            };
            Reply::status(401).header("WWW-Authenticate", &value)
        };
        let Some(value) = r.header("authorization") else {
            return refuse(false);
        };
        let Ok(mut answer) = digest_auth::AuthorizationHeader::parse(value) else {
            return Reply::status(400);
        };
        if stale_first && answer.nonce == "old" {
            return refuse(true);
        }
        let sent = answer.response.clone();
        let context = digest_auth::AuthContext::new("dora", password, answer.uri.clone());
        answer.digest(&context);
        if answer.response == sent && answer.username == "dora" {
            Reply::status(200)
        } else {
            refuse(false)
        }
    })
}

#[test]
fn digest_sha256_and_sha256_sess_answers_are_verified_by_the_server() {
    for challenge in [
        "Digest realm=\"lab\", nonce=\"old\", qop=\"auth\", algorithm=SHA-256",
        "Digest realm=\"lab\", nonce=\"old\", qop=\"auth\", algorithm=SHA-256-sess, opaque=\"xyz\"",
        "Digest realm=\"lab\", nonce=\"old\", qop=\"auth\", algorithm=MD5-sess",
    ] {
        let server = digest_server(challenge, "explorer-1", false);
        let good = check(&server.url("/d"), password("dora", "explorer-1"), &net());
        assert_eq!(
            good.likely_cause,
            Some(Code::CredentialsAccepted),
            "{challenge}"
        );
        let bad = check(&server.url("/d"), password("dora", "explorer-2"), &net());
        assert_eq!(
            bad.likely_cause,
            Some(Code::CredentialsRejected),
            "{challenge}"
        );
    }
}

#[test]
fn a_stale_digest_nonce_is_retried_once_like_a_browser_does() {
    let server = digest_server(
        "Digest realm=\"lab\", nonce=\"old\", qop=\"auth\", algorithm=MD5",
        "explorer-1",
        true,
    );
    let d = check(&server.url("/d"), password("dora", "explorer-1"), &net());
    let result = d.credentials.as_ref().unwrap();
    assert!(result.accepted, "{:?}", codes(&d));
    assert!(result.retried_stale_nonce);
}
