//! Fuzzes the address check (repairs, typos, IDN) with any text a user could paste.
#![no_main]

use authdoctor::engine::url_check;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(check) = url_check::check_address(&text) {
        assert!(matches!(check.url.scheme(), "http" | "https"));
    }
});
