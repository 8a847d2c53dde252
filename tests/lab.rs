//! The practice lab: every scenario, checked with what its story gives the trainee, must be
//! diagnosed with the cause the trainee is meant to find; `authdoctor lab` prints the addresses.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use authdoctor::engine::{CheckInput, Credentials, Net, NetOptions, Secret, diagnose};
use authdoctor::lab::Lab;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_lab_scenario_is_diagnosed_with_the_cause_the_trainee_must_find() {
    let lab = Lab::start(0).await.expect("lab starts");
    assert!(lab.scenarios.len() >= 14);
    let net = Net::new(&NetOptions {
        timeout_secs: 5,
        ..NetOptions::default()
    })
    .unwrap();
    let mut misses = Vec::new();
    for s in &lab.scenarios {
        let input = CheckInput {
            address: lab.url(s),
            credentials: Credentials {
                user: s.check_user.clone(),
                password: s.check_password.clone().map(Secret::new),
                token: lab.state.story_token(s).map(Secret::new),
            },
            cookies: s.check_cookies_txt.clone(),
            origin: s.check_origin.clone(),
            dns: None,
            log: None,
            ..CheckInput::default()
        };
        let d = diagnose(&input, &net).await;
        if d.likely_cause != Some(s.cause) {
            let codes: Vec<&str> = d.findings.iter().map(|f| f.code.as_str()).collect();
            misses.push(format!(
                "{}: expected {}, got {:?} from {codes:?}",
                s.id, s.cause, d.likely_cause
            ));
        }
    }
    assert!(misses.is_empty(), "missed causes:\n{}", misses.join("\n"));
}

#[test]
fn the_lab_command_prints_every_scenario_address_and_serves_them() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
        .args(["lab", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.contains("practice lab on http://127.0.0.1:"),
        "{first}"
    );
    let mut urls = Vec::new();
    for line in lines.by_ref().take(200) {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("http://") {
            urls.push(format!("http://{url}"));
        }
        if urls.len() >= 14 {
            break;
        }
    }
    assert!(urls.len() >= 14, "{urls:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
        .args(["check", &urls[0], "--json", "--no-dns"])
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], 401);
}

/// The address of the WordPress lockout case (cases live at neutral `/case/N` addresses).
fn wordpress_case(lab: &Lab) -> String {
    let case = lab
        .scenarios
        .iter()
        .find(|s| s.id == "wordpress-lockout")
        .expect("the WordPress case");
    lab.url(case)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lab_closes_a_connection_that_sends_nothing_and_keeps_serving() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let lab = Lab::start_with_idle_timeout(0, std::time::Duration::from_millis(200))
        .await
        .expect("lab starts");
    let mut silent = tokio::net::TcpStream::connect(lab.addr).await.unwrap();
    let mut half = tokio::net::TcpStream::connect(lab.addr).await.unwrap();
    half.write_all(b"GET /wordpress/wp-admin/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    // The bound only keeps a broken lab from hanging the test; the lab's own limit is 200 ms.
    for stream in [&mut silent, &mut half] {
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(std::time::Duration::from_secs(60), stream.read(&mut byte))
            .await
            .expect("the lab closed the idle connection");
        assert!(
            matches!(read, Ok(0) | Err(_)),
            "the idle connection got an answer: {read:?}"
        );
    }
    let answer = reqwest::get(wordpress_case(&lab)).await.unwrap();
    assert_eq!(answer.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lab_builds_its_links_from_its_own_address_not_the_request_host() {
    let lab = Lab::start(0).await.expect("lab starts");
    let answer = reqwest::Client::new()
        .get(wordpress_case(&lab))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    let link = answer
        .headers()
        .get("link")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        link.starts_with(&format!("<http://{}/", lab.addr)),
        "{link}"
    );
    assert!(!link.contains("attacker.example"), "{link}");
}

/// A trainee who opens the case's own address (`/case/N/`) instead of its page learns the same
/// lesson: the whole old address moved, so the password is dropped on the way to the login.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_moved_login_case_teaches_its_lesson_from_the_cases_own_address_too() {
    let lab = Lab::start(0).await.expect("lab starts");
    let s = lab
        .scenarios
        .iter()
        .find(|s| s.id == "cross-origin-redirect")
        .expect("the moved-login case");
    let page = lab.url(s);
    let case_address = page
        .strip_suffix(&s.page)
        .expect("page under the case")
        .to_owned()
        + "/";
    let net = Net::new(&NetOptions {
        timeout_secs: 5,
        ..NetOptions::default()
    })
    .unwrap();
    for address in [page, case_address] {
        let input = CheckInput {
            address: address.clone(),
            credentials: Credentials {
                user: s.check_user.clone(),
                password: s.check_password.clone().map(Secret::new),
                token: None,
            },
            ..CheckInput::default()
        };
        let d = diagnose(&input, &net).await;
        assert_eq!(
            d.likely_cause.map(authdoctor::engine::Code::as_str),
            Some("auth-dropped-on-redirect"),
            "{address}"
        );
    }
}
