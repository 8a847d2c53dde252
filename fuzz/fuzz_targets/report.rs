//! Fuzzes the loader of saved `.authdoctor.json` reports.
#![no_main]

use authdoctor::engine::report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = report::load(&text);
});
