//! Throughput of the parsers that read outside input: the `WWW-Authenticate` parser (a typical
//! header and one of 100 challenges), the address check, and the analysis of a 1 MB HAR file.
//! Run with `cargo bench --bench parsers`.

use std::fmt::Write as _;
use std::hint::black_box;

use authdoctor::engine::{challenge, har, url_check};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;

const TYPICAL_CHALLENGE: &str = "Digest realm=\"staff@example.com\", qop=\"auth, auth-int\", \
     algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
     opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", Basic realm=\"staff\"";

/// 100 challenges of mixed schemes in one header value.
fn hundred_challenges() -> String {
    let mut value = String::new();
    for i in 0..100 {
        if i > 0 {
            value.push_str(", ");
        }
        match i % 3 {
            0 => {
                let _ = write!(value, "Basic realm=\"area {i}\", charset=\"UTF-8\"");
            }
            1 => {
                let _ = write!(
                    value,
                    "Digest realm=\"area {i}\", nonce=\"{i:016x}\", qop=\"auth\", algorithm=MD5"
                );
            }
            _ => {
                let _ = write!(
                    value,
                    "Bearer realm=\"api {i}\", error=\"invalid_token\", scope=\"read write\""
                );
            }
        }
    }
    value
}

/// A browser-like HAR log of about `target_bytes`: redirects, 401s, a 407, pages and assets.
fn generated_har(target_bytes: usize) -> String {
    let entry = |url: &str, status: u16, headers: serde_json::Value, body: &str| {
        json!({
            "startedDateTime": "2026-11-20T10:00:00.000Z",
            "time": 42.5,
            "request": {"method": "GET", "url": url, "httpVersion": "http/2.0",
                        "headers": [{"name": "user-agent", "value": "Mozilla/5.0"}],
                        "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "", "httpVersion": "http/2.0",
                         "headers": headers, "cookies": [],
                         "content": {"size": body.len(), "mimeType": "text/html", "text": body},
                         "redirectURL": "", "headersSize": -1, "bodySize": body.len()},
            "serverIPAddress": "203.0.113.10",
            "timings": {"send": 0.1, "wait": 40, "receive": 1.4},
        })
    };
    let filler = "lorem ipsum dolor sit amet\n".repeat(80);
    let mut entries = Vec::new();
    let mut size = 0;
    let mut visit = 0;
    while size < target_bytes {
        visit += 1;
        let page = format!("https://site{}.example/members/{visit}/", visit % 20);
        let batch = [
            entry(
                &format!("http://site{}.example/members/{visit}/", visit % 20),
                301,
                json!([{"name": "location", "value": page}]),
                "",
            ),
            match visit % 4 {
                0 => entry(
                    &page,
                    200,
                    json!([{"name": "server", "value": "nginx"}]),
                    &filler,
                ),
                1 => entry(
                    &page,
                    407,
                    json!([{"name": "proxy-authenticate", "value": "Basic realm=\"proxy\""}]),
                    "",
                ),
                _ => entry(
                    &page,
                    401,
                    json!([{"name": "www-authenticate", "value": TYPICAL_CHALLENGE}]),
                    "<html>401 Authorization Required</html>",
                ),
            },
            entry(
                &format!("https://site{}.example/app.js", visit % 20),
                200,
                json!([{"name": "content-type", "value": "text/javascript"}]),
                &filler,
            ),
        ];
        for e in batch {
            size += e.to_string().len();
            entries.push(e);
        }
    }
    json!({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": entries}})
        .to_string()
}

fn challenge_parser(c: &mut Criterion) {
    let mut group = c.benchmark_group("challenge");
    group.throughput(Throughput::Bytes(TYPICAL_CHALLENGE.len() as u64));
    group.bench_function("typical header", |b| {
        b.iter(|| challenge::parse_lines(&[black_box(TYPICAL_CHALLENGE.as_bytes())]));
    });
    let hundred = hundred_challenges();
    group.throughput(Throughput::Bytes(hundred.len() as u64));
    group.bench_function("100 challenges", |b| {
        b.iter(|| challenge::parse_lines(&[black_box(hundred.as_bytes())]));
    });
    group.finish();
}

fn address_check(c: &mut Criterion) {
    let addresses = [
        "https://example.com/members/",
        "htps://www.exmaple.con/wp-admin ",
        "http://alice:s3cret@[::1]:8080/a b?x=1#frag",
        "münchen.de/Anmeldung",
    ];
    let bytes: usize = addresses.iter().map(|a| a.len()).sum();
    let mut group = c.benchmark_group("address");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("check 4 addresses", |b| {
        b.iter(|| {
            for address in addresses {
                let _ = black_box(url_check::check_address(black_box(address)));
            }
        });
    });
    group.finish();
}

fn har_analysis(c: &mut Criterion) {
    let text = generated_har(1024 * 1024);
    let mut group = c.benchmark_group("har");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("analyze 1 MB", |b| {
        b.iter(|| har::analyze(black_box(&text), |_, _| {}));
    });
    group.finish();
}

criterion_group!(parsers, challenge_parser, address_check, har_analysis);
criterion_main!(parsers);
