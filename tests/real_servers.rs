//! `authdoctor check` against real Apache httpd and nginx started on loopback with their own
//! configuration: Basic (htpasswd) and Digest (htdigest) with right, wrong and no passwords, and a
//! redirect that crosses origins. What it says must be true of a real server.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::{Apache, ApacheSetup, Nginx, NginxSetup, Reply, TestServer, finding_codes};

fn check(url: &str, user: Option<&str>, password: Option<&str>) -> (Value, Output) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authdoctor"));
    cmd.args(["check", url, "--json", "--timeout", "10"])
        .env_remove("AUTHDOCTOR_PASSWORD")
        .env_remove("AUTHDOCTOR_TOKEN")
        .stdin(Stdio::null());
    if let Some(u) = user {
        cmd.args(["--user", u]);
    }
    if let Some(p) = password {
        cmd.env("AUTHDOCTOR_PASSWORD", p);
    }
    let out = cmd.output().expect("run authdoctor");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    (v, out)
}

fn apache() -> Apache {
    Apache::start(
        ApacheSetup::new()
            .basic_user("alice", "wonderland-42")
            .digest_user("bob", "builder-77"),
    )
}

#[test]
fn apache_basic_without_a_password_is_auth_required_with_its_realm() {
    let apache = apache();
    let (v, _) = check(&apache.url("/secret/"), None, None);
    assert_eq!(v["status"], 401);
    assert_eq!(v["likely_cause"], "auth-required");
    assert_eq!(v["challenges"][0]["scheme"], "Basic");
    assert_eq!(v["challenges"][0]["params"]["realm"], Apache::BASIC_REALM);
    assert!(finding_codes(&v).contains(&"insecure-basic".to_owned()));
}

#[test]
fn apache_basic_accepts_the_right_password_and_the_output_never_shows_it() {
    let apache = apache();
    let (v, out) = check(
        &apache.url("/secret/"),
        Some("alice"),
        Some("wonderland-42"),
    );
    assert_eq!(v["credentials"]["scheme"], "Basic");
    assert_eq!(v["credentials"]["accepted"], true);
    assert_eq!(v["credentials"]["status"], 200);
    assert_eq!(v["likely_cause"], "credentials-accepted");
    assert!(finding_codes(&v).contains(&"insecure-basic".to_owned()));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("wonderland-42"));
}

#[test]
fn apache_basic_rejects_a_wrong_password() {
    let apache = apache();
    let (v, _) = check(
        &apache.url("/secret/"),
        Some("alice"),
        Some("not-wonderland"),
    );
    assert_eq!(v["credentials"]["accepted"], false);
    assert_eq!(v["credentials"]["status"], 401);
    assert_eq!(v["likely_cause"], "credentials-rejected");
    assert!(
        apache.error_log().contains("alice"),
        "Apache logged the failed attempt"
    );
}

#[test]
fn apache_digest_md5_accepts_the_right_password_and_rejects_a_wrong_one() {
    let apache = apache();
    let (v, _) = check(&apache.url("/digest/"), None, None);
    assert_eq!(v["challenges"][0]["scheme"], "Digest");
    assert_eq!(v["challenges"][0]["params"]["realm"], Apache::DIGEST_REALM);
    assert!(!finding_codes(&v).contains(&"insecure-basic".to_owned()));
    let (good, _) = check(&apache.url("/digest/"), Some("bob"), Some("builder-77"));
    assert_eq!(good["credentials"]["scheme"], "Digest");
    assert_eq!(good["credentials"]["accepted"], true, "{good}");
    let (bad, _) = check(&apache.url("/digest/"), Some("bob"), Some("builder-00"));
    assert_eq!(bad["credentials"]["accepted"], false);
    assert_eq!(bad["likely_cause"], "credentials-rejected");
}

#[test]
fn apache_public_page_is_not_unauthorized() {
    let apache = apache();
    let (v, _) = check(&apache.url("/open/"), None, None);
    assert_eq!(v["likely_cause"], "not-unauthorized");
    assert!(v["status"].as_u64().unwrap() < 400);
}

#[test]
fn nginx_auth_basic_right_wrong_and_none() {
    let nginx = Nginx::start(NginxSetup::new().basic_user("carol", "n-g-i-n-x"));
    let (none, _) = check(&nginx.url("/secret/"), None, None);
    assert_eq!(none["status"], 401);
    assert_eq!(none["challenges"][0]["scheme"], "Basic");
    assert_eq!(none["challenges"][0]["params"]["realm"], Nginx::BASIC_REALM);
    let (good, _) = check(&nginx.url("/secret/"), Some("carol"), Some("n-g-i-n-x"));
    assert_eq!(good["credentials"]["accepted"], true);
    let (bad, _) = check(&nginx.url("/secret/"), Some("carol"), Some("wrong-one"));
    assert_eq!(bad["likely_cause"], "credentials-rejected");
}

#[test]
fn a_redirect_to_apache_on_another_port_drops_the_password_and_says_so() {
    let apache = apache();
    let target = apache.url("/secret/");
    let front = TestServer::start(move |_| Reply::status(302).header("Location", &target));
    let (v, _) = check(&front.url("/members"), Some("alice"), Some("wonderland-42"));
    assert_eq!(v["likely_cause"], "auth-dropped-on-redirect");
    assert_eq!(v["credentials"], Value::Null);
    assert!(
        !apache.access_log().contains("alice"),
        "Apache must not have seen alice's sign-in"
    );
}
