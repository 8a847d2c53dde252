//! Running the `authdoctor` binary the way scripts and helpdesks do.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

/// Runs `authdoctor ARGS` with `stdin` piped in and these extra environment variables, and with
/// any `AUTHDOCTOR_PASSWORD`/`AUTHDOCTOR_TOKEN` of the test's own environment removed.
pub fn authdoctor(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authdoctor"));
    cmd.args(args)
        .env_remove("AUTHDOCTOR_PASSWORD")
        .env_remove("AUTHDOCTOR_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("run authdoctor");
    let mut pipe = child.stdin.take().expect("stdin of authdoctor");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes())
            .expect("write to authdoctor");
    }
    drop(pipe);
    child.wait_with_output().expect("wait for authdoctor")
}

/// The one JSON object a successful `--json` run printed.
pub fn json_of(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

/// The finding codes of a diagnosis printed as JSON, in order.
pub fn finding_codes(diagnosis: &serde_json::Value) -> Vec<String> {
    diagnosis["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter_map(|f| f["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
