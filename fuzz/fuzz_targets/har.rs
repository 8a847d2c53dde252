//! Fuzzes the HAR reader and its diagnosis of every 401 and 407 in the file.
#![no_main]

use authdoctor::engine::har;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = har::analyze(&text, |_, _| {});
});
