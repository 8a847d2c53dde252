//! Bounded input and clean ends, through the real binary: devices and endless pipes given as
//! files are refused with the limit named, standard input past its limit says so, a big HAR is
//! grouped and read in little memory, a closed pipe ends quietly, a full disk ends with exit 74,
//! and a refused connection after a redirect names the port that refused.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use serde_json::Value;
use support::{Reply, TestServer, authdoctor, free_port, json_of};

/// Exit code for an input that cannot be read, as for bad usage.
const USAGE_EXIT: i32 = 2;
/// Exit code when the answer could not be written.
const OUTPUT_EXIT: i32 = 74;

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_no_panic(out: &Output) {
    let stderr = stderr_of(out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

/// Runs `authdoctor ARGS` while a thread writes `chunk` to its standard input again and again
/// until it stops reading: an endless pipe, given as `/dev/stdin` or read as a secret.
fn with_endless_stdin(args: &[&str], chunk: &'static [u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
        .args(args)
        .env_remove("AUTHDOCTOR_PASSWORD")
        .env_remove("AUTHDOCTOR_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run authdoctor");
    let mut pipe = child.stdin.take().expect("stdin of authdoctor");
    let writer = std::thread::spawn(move || {
        let mut written: u64 = 0;
        // Stops when authdoctor closes its end; the cap only keeps a broken build from
        // filling the disk of the test machine with a pipe that never ends.
        while written < 8 << 30 {
            if pipe.write_all(chunk).is_err() {
                break;
            }
            written += chunk.len() as u64;
        }
        written
    });
    let out = child.wait_with_output().expect("wait for authdoctor");
    let written = writer.join().expect("the writer thread");
    assert!(written < 8 << 30, "authdoctor read {written} bytes");
    out
}

fn generated_har(answers: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.har");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_har.py");
    let python = support::require_program("python3", "python3");
    let status = Command::new(python)
        .arg(script)
        .args(["--401s", &answers.to_string()])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    (dir, path)
}

#[test]
fn dev_zero_given_as_any_kind_of_file_is_refused_without_reading_it_to_the_end() {
    let url = format!("http://127.0.0.1:{}/", free_port());
    let runs: [&[&str]; 4] = [
        &["check", &url, "--no-dns", "--cookies-file", "/dev/zero"],
        &["htaccess", "/dev/zero"],
        &["htaccess", "/dev/null", "--password-file", "/dev/zero"],
        &["har", "/dev/zero"],
    ];
    for args in runs {
        let out = authdoctor(args, None, &[]);
        assert_no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(USAGE_EXIT),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert!(
            stderr_of(&out).contains("/dev/zero"),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn an_endless_pipe_given_as_a_file_stops_at_the_limit_and_the_message_names_it() {
    for args in [
        &["htaccess", "/dev/stdin"][..],
        &["htaccess", "/dev/null", "--password-file", "/dev/stdin"],
    ] {
        let out = with_endless_stdin(args, b"Require valid-user\n");
        let limit = "4 MiB";
        assert_no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(USAGE_EXIT),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert!(
            stderr_of(&out).contains(limit),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
}

#[test]
fn standard_input_past_its_limit_says_so_and_a_letter_at_64_kib_is_kept_whole() {
    let out = with_endless_stdin(&["token"], b"eyJhbGciOiJIUzI1NiJ9");
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(USAGE_EXIT), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("1 MiB"), "{}", stderr_of(&out));

    // A token of 100 KiB is read whole, not cut at 64 KiB.
    let b64 = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let claims = format!("{{\"sub\":\"bob\",\"pad\":\"{}\"}}", "x".repeat(100 * 1024));
    let token = format!("{}.{}.c2ln", b64("{\"alg\":\"HS256\"}"), b64(&claims));
    let report = json_of(&authdoctor(&["token", "--json"], Some(&token), &[]));
    assert_eq!(report["kind"], "jwt", "{}", report["findings"]);
    assert_eq!(
        report["claims"]["pad"].as_str().map(str::len),
        Some(100 * 1024)
    );

    // A text whose 65,536th byte falls inside a two-byte letter is read whole: no UTF-8 error.
    let text = format!("{}é{}", "a".repeat(64 * 1024 - 1), "b".repeat(1000));
    let out = authdoctor(&["token", "--json"], Some(&text), &[]);
    let report = json_of(&out);
    assert!(report["kind"].is_string(), "{report}");
    assert!(!stderr_of(&out).contains("UTF-8"), "{}", stderr_of(&out));
}

#[test]
fn a_har_of_20000_answers_is_grouped_capped_and_read_in_little_memory() {
    let (_dir, har) = generated_har(20_000);
    let size = std::fs::metadata(&har).unwrap().len();
    // Twice the file, plus what the program needs with no file at all (its code, libraries and
    // thread stacks as address space, which is what this limit counts).
    let limit_kib = 2 * size / 1024 + 150 * 1024;
    let run = |extra: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v {limit_kib} && exec \"$0\" har \"$1\" {extra}"
            ))
            .arg(env!("CARGO_BIN_EXE_authdoctor"))
            .arg(&har)
            .output()
            .unwrap()
    };
    let text = run("");
    assert_no_panic(&text);
    assert!(text.status.success(), "{}", stderr_of(&text));
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(
        shown.contains("20,000 answered 401"),
        "{}",
        &shown[..shown.len().min(2000)]
    );
    assert!(shown.matches("=== Request").count() <= 3 * 4, "{shown}");
    assert!(
        text.stdout.len() < 512 * 1024,
        "{} bytes of text",
        text.stdout.len()
    );

    let json = run("--json");
    let report = json_of(&json);
    assert!(
        json.stdout.len() < 4 * 1024 * 1024,
        "{} bytes of JSON",
        json.stdout.len()
    );
    assert_eq!(report["answers"], 20_000);
    let groups = report["groups"].as_array().unwrap();
    let total: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 20_000);
    for g in groups {
        assert_eq!(
            g["count"].as_u64().unwrap(),
            g["shown"].as_array().unwrap().len() as u64 + g["more"].as_u64().unwrap()
        );
    }
    assert!(groups.iter().any(|g| g["more"].as_u64().unwrap() > 1000));
}

#[test]
fn a_har_with_a_byte_order_mark_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.har");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/har/chrome.har");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(fixture).unwrap());
    std::fs::write(&path, bytes).unwrap();
    let report = json_of(&authdoctor(
        &["har", path.to_str().unwrap(), "--json"],
        None,
        &[],
    ));
    assert_eq!(report["answers"], 1);
}

#[test]
fn a_pipe_closed_early_ends_quietly_with_exit_0() {
    let (_dir, har) = generated_har(2_000);
    // Like `| head -1`: one line read, then the pipe closed while the answer is still coming.
    let mut child = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
        .arg("har")
        .arg(&har)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "{");
    let out = child.wait_with_output().unwrap();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).is_empty(), "{}", stderr_of(&out));

    // And closed before anything was written.
    for args in [
        &["explain-header", "Basic realm=x"][..],
        &["dns-flush", "--os", "linux"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
    }
}

#[test]
fn a_full_disk_ends_with_a_message_and_the_documented_exit_code() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/har/chrome.har");
    for args in [
        vec!["har".to_owned(), fixture.display().to_string()],
        vec![
            "har".to_owned(),
            fixture.display().to_string(),
            "--json".to_owned(),
        ],
        vec!["explain-header".to_owned(), "Basic realm=x".to_owned()],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_authdoctor"))
            .args(&args)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(OUTPUT_EXIT),
            "{args:?}: {}",
            stderr_of(&out)
        );
        assert!(
            stderr_of(&out).contains("could not write"),
            "{}",
            stderr_of(&out)
        );
    }
    let help = authdoctor(&["--help"], None, &[]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("74"));
}

#[test]
fn a_refused_connection_after_a_redirect_names_the_host_and_port_that_refused() {
    let closed = free_port();
    let server = TestServer::start(move |_| {
        Reply::status(302).header("Location", &format!("http://127.0.0.1:{closed}/members/"))
    });
    let out = authdoctor(
        &["check", &server.url("/start"), "--json", "--no-dns"],
        None,
        &[],
    );
    let diagnosis: Value = json_of(&out);
    let failed = diagnosis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "connection-failed")
        .unwrap_or_else(|| panic!("no connection-failed in {diagnosis}"));
    let address = failed["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == "Address")
        .and_then(|e| e["value"].as_str())
        .unwrap_or_default();
    assert_eq!(address, format!("http://127.0.0.1:{closed}/members/"));
    let detail = failed["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(&closed.to_string()), "{detail}");
    assert!(!detail.contains(&server.port().to_string()), "{detail}");
}
