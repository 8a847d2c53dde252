//! Fuzzes the `WWW-Authenticate` parser with raw header bytes, one header line per `\n`.
#![no_main]

use authdoctor::engine::challenge::{self, MAX_CHALLENGES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let parsed = challenge::parse_lines(&lines);
    assert!(parsed.challenges.len() <= MAX_CHALLENGES);
    for c in &parsed.challenges {
        let _ = challenge::explain(c);
    }
});
