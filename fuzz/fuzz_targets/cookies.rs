//! Fuzzes the cookie import (Cookie header, cookies.txt, JSON exports), recognised from content.
#![no_main]

use authdoctor::engine::cookies;
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(site) = Url::parse("https://www.example.com/members/") else {
        return;
    };
    let import = cookies::import(&text, &site);
    assert!(import.cookies.len() <= cookies::MAX_COOKIES);
});
