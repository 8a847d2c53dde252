use std::io::Read;

use super::model::MAX_SHORT_BYTES;
use super::*;
use crate::engine::bounded;

const CHROME_LIKE: &str = r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
  {"startedDateTime":"2026-11-20T10:00:00.000Z","time":12.5,"serverIPAddress":"203.0.113.9",
   "request":{"method":"GET","url":"https://shop.example/old","httpVersion":"HTTP/1.1","headers":[{"name":"Cookie","value":"sid=abc; theme=dark"}],"cookies":[]},
   "response":{"status":301,"httpVersion":"HTTP/1.1","headers":[{"name":"Location","value":"/members/"}],"redirectURL":"https://shop.example/members/","content":{"size":0}}},
  {"startedDateTime":"2026-11-20T10:00:00.100Z","time":30,
   "request":{"method":"GET","url":"https://shop.example/members/","headers":[{"name":"Cookie","value":"sid=abc"},{"name":"Authorization","value":"Basic YWxpY2U6cHc="}],"cookies":[{"name":"sid","value":"abc"}]},
   "response":{"status":401,"httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Basic realm=\"Members\""}],"redirectURL":"","content":{"size":5,"text":"nope!"}}}
]}}"#;

#[test]
fn a_401_in_a_har_is_diagnosed_with_its_redirect_chain_and_cookie_names() {
    let report = analyze(CHROME_LIKE, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.entries, 2);
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!(f.entry, 2);
    assert_eq!(f.cookies_sent, vec!["sid".to_owned()]);
    assert!(f.sent_authorization);
    assert_eq!(f.diagnosis.hops.len(), 2);
    assert_eq!(f.diagnosis.status, Some(401));
    assert_eq!(f.diagnosis.challenges[0].scheme, "Basic");
    let json = crate::engine::test_json(&report);
    assert!(
        !json.contains("YWxpY2U6cHc="),
        "the Authorization value is not kept"
    );
}

#[test]
fn control_characters_in_a_recorded_body_are_escaped() {
    let text = r#"{"log":{"entries":[{"request":{"url":"http://a.example/"},"response":{"status":401,"headers":[],"content":{"text":"bad \u001b[31m \u009b2J end"}}}]}}"#;
    let report = analyze(text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    let body = &report.findings[0].diagnosis.exchanges[0].body_excerpt;
    assert!(
        !body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{body:?}"
    );
    assert!(body.contains("\\x1b"), "{body:?}");
}

#[test]
fn a_broken_entry_is_reported_and_the_rest_still_read() {
    let text = r#"{"log":{"entries":[{"request":{}}, {"request":{"url":"http://a.example/"},"response":{"status":401,"headers":[]}}]}}"#;
    let report = analyze(text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!(report.findings.len(), 1);
    assert!(analyze("not json", |_, _| {}).is_err());
    assert!(analyze("{\"log\": 5}", |_, _| {}).is_err());
}

fn log_of(entries: &[String]) -> String {
    format!("{{\"log\":{{\"entries\":[{}]}}}}", entries.join(","))
}

fn basic_401(n: usize) -> String {
    format!(
        r#"{{"request":{{"url":"https://a.example/{n}"}},"response":{{"status":401,"headers":[{{"name":"WWW-Authenticate","value":"Basic realm=\"x\""}}]}}}}"#
    )
}

#[test]
fn a_log_that_starts_with_a_byte_order_mark_is_read() {
    let text = format!("\u{FEFF}{CHROME_LIKE}");
    let report = analyze(&text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.answers, 1);
}

#[test]
fn answers_with_one_cause_are_grouped_the_first_few_in_full_and_the_rest_counted() {
    let mut entries: Vec<String> = (0..50).map(basic_401).collect();
    entries.push(
        r#"{"request":{"url":"https://b.example/"},"response":{"status":407,"headers":[{"name":"Proxy-Authenticate","value":"Basic realm=\"proxy\""}]}}"#
            .to_owned(),
    );
    let report = analyze(&log_of(&entries), |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.entries, 51);
    assert_eq!(report.answers, 51);
    assert_eq!(report.groups.len(), 2, "{:?}", report.groups);
    let big = &report.groups[0];
    assert_eq!((big.status, big.count), (401, 50));
    assert_eq!(big.shown, vec![1, 2, 3]);
    assert_eq!(big.more, 47);
    assert_eq!(big.more_entries.len(), LISTED_PER_GROUP);
    assert_eq!(big.more_entries[0], 4);
    assert_eq!(report.groups[1].status, 407);
    assert_eq!(report.findings.len(), SHOWN_PER_GROUP + 1);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.diagnosis.likely_cause.is_some())
    );
}

#[test]
fn a_hundred_thousand_broken_entries_are_counted_not_listed() {
    let broken = vec!["{}".to_owned(); 100_000];
    let report = analyze(&log_of(&broken), |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.entries, 100_000);
    assert_eq!(report.problems.len(), MAX_LISTED_PROBLEMS);
    assert_eq!(report.problems_not_listed, 100_000 - MAX_LISTED_PROBLEMS);
}

#[test]
fn a_huge_header_value_is_cut_and_marked() {
    let huge = format!("Basic realm=\"{}\"", "r".repeat(5 * 1024 * 1024));
    let text = format!(
        r#"{{"log":{{"entries":[{{"request":{{"url":"https://a.example/","method":"{}"}},"response":{{"status":401,"headers":[{{"name":"WWW-Authenticate","value":"{}"}},{{"name":"X-Big","value":"{}"}}]}}}}]}}}}"#,
        "M".repeat(10_000),
        huge.replace('"', "\\\""),
        "v".repeat(1024 * 1024)
    );
    let report = analyze(&text, |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    let f = &report.findings[0];
    assert!(f.method.len() <= MAX_SHORT_BYTES + '…'.len_utf8());
    let exchange = &f.diagnosis.exchanges[0];
    for header in &exchange.headers {
        assert!(
            header.value.len() <= MAX_VALUE_BYTES + '…'.len_utf8(),
            "{}",
            header.name
        );
    }
    assert!(exchange.headers.iter().any(|h| h.value.ends_with('…')));
    let json = crate::engine::test_json(&report);
    assert!(json.len() < 1024 * 1024, "{} bytes of JSON", json.len());
}

#[test]
fn invalid_utf8_in_a_recorded_page_does_not_stop_the_log() {
    let mut bytes = CHROME_LIKE.as_bytes().to_vec();
    let at = CHROME_LIKE.find("nope!").unwrap_or_default();
    bytes[at] = 0xff;
    let report = analyze_reader(bytes.as_slice(), |_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.answers, 1);
    assert!(
        report.findings[0].diagnosis.exchanges[1]
            .body_excerpt
            .contains('\u{FFFD}')
    );
}

#[test]
fn an_endless_stream_ends_at_the_limit() {
    struct Spaces;
    impl Read for Spaces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b' ');
            Ok(buf.len())
        }
    }
    let small = bounded::Limit {
        what: "a HAR network log",
        max_bytes: 1 << 20,
    };
    let result = analyze_reader(bounded::Bounded::new(Spaces, small), |_| {});
    assert!(matches!(result, Err(HarError::TooLarge)), "{result:?}");
}

#[test]
fn the_redirect_remembered_is_the_latest_before_the_401() {
    let redirect = |from: &str| {
        format!(
            r#"{{"request":{{"url":"https://a.example/{from}"}},"response":{{"status":302,"headers":[{{"name":"Location","value":"/members/"}}]}}}}"#
        )
    };
    let answer = r#"{"request":{"url":"https://a.example/members/"},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Basic realm=\"x\""}]}}"#;
    let entries = vec![
        redirect("first"),
        answer.to_owned(),
        redirect("second"),
        answer.to_owned(),
    ];
    let report = analyze(&log_of(&entries), |_, _| {}).unwrap_or_else(|e| panic!("{e}"));
    let chains: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|f| f.diagnosis.hops.iter().map(|h| h.url.clone()).collect())
        .collect();
    assert_eq!(chains[0][0], "https://a.example/first");
    assert_eq!(chains[1][0], "https://a.example/second");
}
