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
