//! `authdoctor check` against real server software that no one here wrote, each started on loopback with
//! its own config: lighttpd, Caddy, Tomcat, the Docker registry, squid as the site's reverse proxy. Each test names a situation a user meets and asserts the likely cause
//! the cause model of issue 12 gives it.
mod support;

use support::{
    Apache, ApacheSetup, Caddy, Lighttpd, LighttpdSetup, Registry, SignIn, Squid, Tomcat, check,
    password,
};

fn lighttpd() -> Lighttpd {
    Lighttpd::start(
        &LighttpdSetup::new()
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
fn lighttpd_with_its_clock_unset_and_a_wrong_password_is_credentials_rejected_not_clock_skew() {
    let lighttpd = Lighttpd::start(
        &LighttpdSetup::new()
            .basic_user("lena", "light-and-tidy")
            .clock_unset(),
    );
    let verdict = check(
        &lighttpd.url("/secret/"),
        password("lena", "heavy-and-messy"),
    );
    // The Date says 1970: the server's clock was never set; this computer's clock is not 56 years ahead.
    verdict.assert_likely_cause("credentials-rejected");
    verdict.assert_has("server-clock-unset");
    verdict.assert_lacks("clock-skew");
}

#[test]
fn lighttpd_with_its_clock_unset_and_the_right_digest_password_says_the_details_work() {
    let lighttpd = Lighttpd::start(
        &LighttpdSetup::new()
            .digest_user("dirk", "digest-of-light")
            .clock_unset(),
    );
    let verdict = check(
        &lighttpd.url("/digest/"),
        password("dirk", "digest-of-light"),
    );
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
    verdict.assert_has("server-clock-unset");
    verdict.assert_lacks("clock-skew");
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

fn tomcat() -> Tomcat {
    Tomcat::start(&[("tina", "tomcat-tamer", "staff")])
}

#[test]
fn tomcat_basic_realm_with_the_right_password_says_the_details_work() {
    let tomcat = tomcat();
    let verdict = check(&tomcat.url("/members/"), password("tina", "tomcat-tamer"));
    assert_eq!(
        verdict.json["challenges"][0]["params"]["realm"],
        Tomcat::REALM
    );
    verdict.assert_likely_cause("credentials-accepted");
    assert_eq!(verdict.signed_in_status(), Some(200));
}

#[test]
fn tomcat_basic_realm_with_a_wrong_password_is_credentials_rejected() {
    let tomcat = tomcat();
    let verdict = check(&tomcat.url("/members/"), password("tina", "tomcat-tickler"));
    verdict.assert_likely_cause("credentials-rejected");
}

#[test]
fn tomcat_user_without_the_role_the_page_needs_is_signed_in_but_forbidden() {
    let tomcat = tomcat();
    // tina's password is right, but /admin/ needs the role `manager`, which she lacks: Tomcat answers 403.
    let verdict = check(&tomcat.url("/admin/"), password("tina", "tomcat-tamer"));
    assert_eq!(verdict.signed_in_status(), Some(403));
    verdict.assert_likely_cause("signed-in-but-forbidden");
    verdict.assert_lacks("credentials-accepted");
}

#[test]
fn docker_registry_with_the_right_password_says_the_details_work() {
    let registry = Registry::start(&[("rhea", "push-and-pull")]);
    let verdict = check(&registry.url("/v2/"), password("rhea", "push-and-pull"));
    assert_eq!(
        verdict.json["challenges"][0]["params"]["realm"],
        Registry::REALM
    );
    verdict.assert_likely_cause("credentials-accepted");
    assert_eq!(verdict.signed_in_status(), Some(200));
}

#[test]
fn docker_registry_with_a_wrong_password_is_credentials_rejected() {
    let registry = Registry::start(&[("rhea", "push-and-pull")]);
    let verdict = check(&registry.url("/v2/"), password("rhea", "pull-only"));
    verdict.assert_likely_cause("credentials-rejected");
}

/// squid as the site's reverse proxy with its own sign-in (user `gus`), in front of Apache whose
/// `/secret/` has another one (user `alice`).
fn squid_in_front_of_apache() -> (Squid, Apache) {
    let apache = Apache::start(ApacheSetup::new().basic_user("alice", "wonderland-42"));
    let squid = Squid::start(apache.port(), &[("gus", "gateway-pass")]);
    (squid, apache)
}

#[test]
fn squid_reverse_proxy_sign_in_is_the_sites_not_a_filter_on_your_network() {
    let (squid, _apache) = squid_in_front_of_apache();
    let verdict = check(&squid.url("/open/"), SignIn::Nothing);
    assert_eq!(verdict.json["status"], 401);
    assert_eq!(
        verdict.json["challenges"][0]["params"]["realm"],
        Squid::REALM
    );
    verdict.assert_likely_cause("auth-required");
    verdict.assert_lacks("proxy-auth-required");
}

#[test]
fn squid_reverse_proxy_with_the_right_password_says_the_details_work() {
    let (squid, _apache) = squid_in_front_of_apache();
    let verdict = check(&squid.url("/open/"), password("gus", "gateway-pass"));
    verdict.assert_likely_cause("credentials-accepted");
    verdict.assert_lacks("proxy-auth-required");
    assert!(squid.access_log().contains("gus"), "squid signed gus in");
}

#[test]
fn squid_reverse_proxy_with_a_wrong_password_is_credentials_rejected_not_proxy_auth() {
    let (squid, _apache) = squid_in_front_of_apache();
    let verdict = check(&squid.url("/open/"), password("gus", "wrong-gate"));
    verdict.assert_likely_cause("credentials-rejected");
    verdict.assert_lacks("proxy-auth-required");
}

#[test]
fn squid_sign_in_in_front_and_apache_sign_in_behind_is_a_second_sign_in_layer() {
    let (squid, apache) = squid_in_front_of_apache();
    // gus gets through squid; Apache behind it asks again in its own realm, and gus is not its user.
    let verdict = check(&squid.url("/secret/"), password("gus", "gateway-pass"));
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("second-sign-in-layer");
    verdict.assert_lacks("proxy-auth-required");
    verdict.assert_lacks("credentials-accepted");
    assert!(
        apache.error_log().contains("gus"),
        "Apache saw gus's details and refused them"
    );
}
