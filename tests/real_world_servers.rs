//! `authdoctor check` against real server software that no one here wrote, each started on loopback with
//! its own config: lighttpd, Caddy. Each test names a situation a user meets and asserts the likely cause
//! the cause model of issue 12 gives it.
#![expect(clippy::expect_used, reason = "tests")]

mod support;

use support::{Caddy, Lighttpd, LighttpdSetup, SignIn, check, password};

fn lighttpd() -> Lighttpd {
    Lighttpd::start(
        LighttpdSetup::new()
            .basic_user("lena", "light-and-tidy")
            .digest_user("dirk", "digest-of-light"),
    )
}

#[test]
fn lighttpd_basic_asks_for_a_sign_in_without_a_password() {
    let lighttpd = lighttpd();
    let verdict = check(&lighttpd.url("/secret/"), SignIn::Nothing);
    verdict.assert_likely_cause("auth-required");
    assert_eq!(verdict.json["challenges"][0]["scheme"], "Basic");
    assert_eq!(
        verdict.json["challenges"][0]["params"]["realm"],
        Lighttpd::BASIC_REALM
    );
}

#[test]
fn lighttpd_basic_with_the_right_password_over_http_says_the_details_work() {
    let lighttpd = lighttpd();
    let verdict = check(
        &lighttpd.url("/secret/"),
        password("lena", "light-and-tidy"),
    );
    verdict.assert_likely_cause("credentials-accepted");
    verdict.assert_has("insecure-basic");
    assert_eq!(verdict.signed_in_status(), Some(200));
}

#[test]
fn lighttpd_basic_with_a_wrong_password_is_credentials_rejected() {
    let lighttpd = lighttpd();
    let verdict = check(
        &lighttpd.url("/secret/"),
        password("lena", "heavy-and-messy"),
    );
    verdict.assert_likely_cause("credentials-rejected");
    assert!(
        lighttpd.error_log().contains("lena"),
        "lighttpd logged the failed sign-in"
    );
}

#[test]
fn lighttpd_digest_with_the_right_password_says_the_details_work() {
    let lighttpd = lighttpd();
    let verdict = check(
        &lighttpd.url("/digest/"),
        password("dirk", "digest-of-light"),
    );
    assert_eq!(verdict.json["credentials"]["scheme"], "Digest");
    verdict.assert_likely_cause("credentials-accepted");
    verdict.assert_lacks("insecure-basic");
}

#[test]
fn lighttpd_digest_with_a_wrong_password_is_credentials_rejected() {
    let lighttpd = lighttpd();
    let verdict = check(
        &lighttpd.url("/digest/"),
        password("dirk", "digest-of-dark"),
    );
    verdict.assert_likely_cause("credentials-rejected");
}

#[test]
fn caddy_basicauth_with_the_right_password_over_http_says_the_details_work() {
    let caddy = Caddy::start(&[("cora", "caddy-carries-clubs")]);
    let verdict = check(
        &caddy.url("/secret/"),
        password("cora", "caddy-carries-clubs"),
    );
    verdict.assert_likely_cause("credentials-accepted");
    assert_eq!(
        verdict.json["challenges"][0]["params"]["realm"],
        Caddy::REALM
    );
    assert_eq!(verdict.signed_in_status(), Some(200));
}

#[test]
fn caddy_basicauth_with_a_wrong_password_is_credentials_rejected() {
    let caddy = Caddy::start(&[("cora", "caddy-carries-clubs")]);
    let verdict = check(
        &caddy.url("/secret/"),
        password("cora", "caddy-drops-clubs"),
    );
    verdict.assert_likely_cause("credentials-rejected");
    assert_eq!(verdict.signed_in_status(), Some(401));
}
