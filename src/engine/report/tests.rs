use super::*;
use crate::engine::Code;
use crate::engine::finding::Finding;
use crate::engine::probe::{Purpose, SentRequest};

fn exchange_with(headers: &[(&str, &str)], body: &str) -> Exchange {
    Exchange::for_test(
        "https://a.example/cb?code=abc123secret&state=ok",
        401,
        headers,
        body,
    )
}

#[test]
fn what_the_server_handed_out_is_removed_and_listed_by_kind() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";
    let d = Diagnosis {
        url: "https://a.example/cb?code=abc123secret&state=ok".to_owned(),
        exchanges: vec![exchange_with(
            &[
                ("x-subject-token", "keystone-998877"),
                ("set-cookie", "sid=server-set-4455; Path=/"),
                ("x-amz-security-token", "IQoJb3JpZ2luX2Vj"),
            ],
            &format!("{{\"access_token\": \"tok_live_998877\", \"id\": \"{jwt}\"}}"),
        )],
        ..Diagnosis::default()
    };
    let (clean, removed) = redact(&d);
    let text = serde_json::to_string(&clean).unwrap_or_else(|e| panic!("{e}"));
    for secret in [
        "abc123secret",
        "keystone-998877",
        "server-set-4455",
        "IQoJb3JpZ2luX2Vj",
        "tok_live_998877",
        "c2lnbmF0dXJlLXNlY3JldA",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(
        text.contains("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"),
        "claims are kept"
    );
    assert!(text.contains("state=ok"));
    let listed = format!("{removed:?}");
    assert!(
        !listed.contains("998877") && !listed.contains("abc123"),
        "{listed}"
    );
    let kinds: Vec<String> = group_by_what(&removed)
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}

#[test]
fn every_report_says_in_the_same_words_what_it_never_keeps() {
    assert!(KEPT_SENTENCE.starts_with(NEVER_KEPT));
    assert!(KEPT_SECRETS_SENTENCE.starts_with(NEVER_KEPT));
}

#[test]
fn our_own_sentences_are_never_scrubbed() {
    let mut f = Finding::new(
        crate::engine::Code::AuthRequired,
        "Ask the site's administrator; password: capital letters and a token are needed.",
    );
    f = f.evidence("Status", "401");
    let d = Diagnosis {
        findings: vec![f.clone()],
        ..Diagnosis::default()
    };
    let (clean, removed) = redact(&d);
    assert_eq!(clean.findings, vec![f]);
    assert!(removed.is_empty(), "{removed:?}");
}

#[test]
fn markdown_keeps_a_servers_link_as_text_and_html_allows_no_script() {
    let f = Finding::new(
        crate::engine::Code::AuthRequired,
        "The site asks for a sign-in for the protected area \"[Click here](https://evil.example/reset)\".",
    )
    .evidence("Realm", "x` <b>y</b> ``z");
    let d = Diagnosis {
        url: "https://a.example/".to_owned(),
        findings: vec![f],
        ..Diagnosis::default()
    };
    let md = render(&d, Format::Markdown, Redaction::Redacted);
    assert!(!md.contains("[Click here]("), "{md}");
    assert!(md.contains("```x` <b>y</b> ``z```"), "{md}");
    let page = render(&d, Format::Html, Redaction::Redacted);
    assert!(page.contains(HTML_CSP));
    assert!(!page.contains("<script"));
}

#[test]
fn a_report_round_trips_through_json() {
    let d = Diagnosis {
        url: "https://example.com/".to_owned(),
        status: Some(401),
        ..Diagnosis::default()
    };
    let text = render(&d, Format::Json, Redaction::Redacted);
    let back = load(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.diagnosis, d);
    assert!(back.redacted);
    assert!(matches!(
        load("{\"authdoctor_report\": 99}"),
        Err(ReportError::TooNew(99))
    ));
    assert!(matches!(load("not json"), Err(ReportError::NotAReport(_))));
}

#[test]
fn html_escapes_what_the_server_said() {
    let d = Diagnosis {
        url: "https://example.com/<script>".to_owned(),
        ..Diagnosis::default()
    };
    let page = render(&d, Format::Html, Redaction::Redacted);
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;"));
}

/// A diagnosis with a likely cause, two other findings and one request sent.
fn outlined() -> Diagnosis {
    let cause = Finding::new(Code::CredentialsRejected, "The password was refused.")
        .title("Cause-title-1")
        .evidence("Status", "401");
    let warning = Finding::new(Code::InsecureBasic, "Sent over http.")
        .title("Other-title-2")
        .severity(crate::engine::Severity::Warning);
    let info = Finding::new(Code::DnsConsistent, "DNS agrees.").title("Other-title-3");
    Diagnosis {
        url: "http://a.example/members/".to_owned(),
        status: Some(401),
        likely_cause: Some(Code::CredentialsRejected),
        findings: vec![cause, warning, info],
        requests: vec![SentRequest {
            purpose: Purpose::SignedIn,
            method: "GET".to_owned(),
            url: "http://a.example/sent-request/".to_owned(),
            credentials: true,
            cookies: false,
            status: Some(401),
            started_ms: 0,
            elapsed_ms: 3,
            error: None,
            pending: false,
            stopped_by_deadline: false,
        }],
        ..Diagnosis::default()
    }
}

#[test]
fn every_format_shows_the_cause_once_then_the_other_findings_then_the_requests_in_one_order() {
    let d = outlined();
    let outline = Outline::report(&d, Redaction::Redacted);
    for (format, body) in [
        ("text", text::full(&outline)),
        (
            "markdown",
            render(&d, Format::Markdown, Redaction::Redacted),
        ),
        ("html", render(&d, Format::Html, Redaction::Redacted)),
    ] {
        let mut last = 0;
        for needle in [
            "a.example/members/",
            "are removed too",
            "Cause-title-1",
            "credentials-rejected",
            "Other findings",
            "Other-title-2",
            "insecure-basic",
            "Other-title-3",
            "sent-request",
        ] {
            let at = body[last..]
                .find(needle)
                .unwrap_or_else(|| panic!("{format}: {needle:?} missing after {last}: {body}"));
            last += at + needle.len();
        }
        assert_eq!(
            body.matches("Cause-title-1").count(),
            1,
            "{format}: the cause is told once: {body}"
        );
    }
}

#[test]
fn the_summary_gives_the_cause_with_its_code_and_steps_and_every_other_finding_in_a_line() {
    let d = outlined();
    let summary = text::summary(&Outline::shown(&d));
    assert!(
        summary.contains("Most likely cause: Cause-title-1 [credentials-rejected]"),
        "{summary}"
    );
    let steps = Code::CredentialsRejected.text().next_steps;
    assert!(summary.contains(&format!("1. {}", steps[0])), "{summary}");
    assert!(
        summary.contains("- Warning: Other-title-2 [insecure-basic]"),
        "{summary}"
    );
    assert!(
        summary.contains("- OK: Other-title-3 [dns-consistent]"),
        "{summary}"
    );
    assert!(
        !summary.contains("sent-request") && !summary.contains("Status: 401"),
        "a summary stays short: {summary}"
    );
}

#[test]
fn only_a_saved_report_says_what_it_keeps() {
    let d = outlined();
    let said = |o: &Outline<'_>| {
        o.sections.iter().find_map(|s| match s {
            Section::Redaction(sentence) => Some(*sentence),
            _ => None,
        })
    };
    assert_eq!(said(&Outline::shown(&d)), None);
    assert_eq!(
        said(&Outline::report(&d, Redaction::SiteValuesKept)),
        Some(KEPT_SECRETS_SENTENCE)
    );
    assert!(text::full(&Outline::report(&d, Redaction::Redacted)).contains(KEPT_SENTENCE));
}
