//! Fuzzes the `.htaccess` / nginx reader. The first byte picks the context; the rest is the
//! configuration, then (after a NUL byte, if any) the password file.
#![no_main]

use authdoctor::engine::htaccess::{self, HtaccessContext};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let context = HtaccessContext {
        observed_scheme: match flags % 3 {
            0 => None,
            1 => Some("Basic".to_owned()),
            _ => Some("Digest".to_owned()),
        },
        site_is_http: flags & 0x80 != 0,
    };
    let text = String::from_utf8_lossy(rest);
    let (config, password_file) = match text.split_once('\0') {
        Some((config, passwords)) => (config, Some(passwords)),
        None => (text.as_ref(), None),
    };
    let _ = htaccess::check(config, password_file, &context);
});
