use std::time::{Duration, UNIX_EPOCH};

use super::*;

/// 2025-11-23 06:00:00 UTC.
const NOW: i64 = 1_763_877_600;
const SIGNATURE: &str = "c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1iZS1zaG93bg";

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW.unsigned_abs())
}

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

fn jwt(claims: &Value) -> String {
    let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": "k1"});
    format!("{}.{}.{SIGNATURE}", b64(&header), b64(claims))
}

fn check(token: &str, site: Option<&str>) -> TokenReport {
    let site = site.and_then(|s| Url::parse(s).ok());
    inspect(&Secret::new(token), now(), site.as_ref())
}

fn codes(report: &TokenReport) -> Vec<Code> {
    report.findings.iter().map(|f| f.code).collect()
}

#[test]
fn a_valid_jwt_is_decoded_with_readable_times() {
    let token = jwt(&serde_json::json!({
        "iss": "https://login.example.com/",
        "sub": "user-42",
        "aud": "https://api.example.com",
        "scope": "read write",
        "iat": NOW - 3 * 3600,
        "exp": NOW + 12 * 60,
    }));
    let report = check(&token, Some("https://api.example.com/v1/items"));
    assert_eq!(report.kind, TokenKind::Jwt);
    assert_eq!(codes(&report), vec![Code::TokenDecoded]);
    assert_eq!(report.findings[0].severity, Severity::Ok);
    let exp = report.times.iter().find(|t| t.name == "exp");
    assert_eq!(
        exp.map(|t| t.relative.as_str()),
        Some("valid for another 12 minutes")
    );
    assert_eq!(
        exp.map(|t| t.readable.as_str()),
        Some("Sun, 23 Nov 2025 06:12:00 UTC")
    );
    let iat = report.times.iter().find(|t| t.name == "iat");
    assert_eq!(iat.map(|t| t.relative.as_str()), Some("issued 3 hours ago"));
    let detail = &report.findings[0].detail;
    assert!(
        detail.contains("RS256") && detail.contains("https://login.example.com/"),
        "{detail}"
    );
    assert!(detail.contains("read write"), "{detail}");
    assert!(
        detail.contains("without checking the signature"),
        "{detail}"
    );
    assert_eq!(
        report.header.as_ref().and_then(|h| h.get("kid")),
        Some(&Value::from("k1"))
    );
}

#[test]
fn the_report_never_contains_the_signature_or_the_whole_token() {
    let token = jwt(&serde_json::json!({"sub": "a", "exp": NOW - 10}));
    let report = check(&format!("Bearer {token}"), None);
    let json = crate::engine::test_json(&report);
    assert!(!json.contains(SIGNATURE), "{json}");
    assert!(!json.contains(&token), "{json}");
    let debug = format!("{report:?}");
    assert!(!debug.contains(SIGNATURE));
}

#[test]
fn an_expired_token_says_how_long_ago() {
    let token = jwt(&serde_json::json!({"exp": NOW - 3 * 3600, "iat": NOW - 4 * 3600}));
    let report = check(&token, None);
    assert_eq!(codes(&report), vec![Code::TokenDecoded, Code::TokenExpired]);
    let f = &report.findings[1];
    assert_eq!(f.title, "The token expired 3 hours ago");
    assert!(
        f.detail.contains("valid for 1 hour in total"),
        "{}",
        f.detail
    );
    assert!(!f.detail.contains("moments ago"));
    assert_eq!(report.findings[0].severity, Severity::Info);
}

#[test]
fn a_token_that_just_expired_mentions_the_clock() {
    let token = jwt(&serde_json::json!({"exp": NOW - 30}));
    let report = check(&token, None);
    assert!(
        report.findings[1]
            .detail
            .contains("check this computer's clock")
    );
}

#[test]
fn a_token_from_the_future_mentions_clock_skew() {
    let token = jwt(&serde_json::json!({"nbf": NOW + 300, "exp": NOW + 3900}));
    let report = check(&token, None);
    assert_eq!(
        codes(&report),
        vec![Code::TokenDecoded, Code::TokenNotYetValid]
    );
    let f = &report.findings[1];
    assert_eq!(f.title, "The token becomes valid in 5 minutes");
    assert!(f.detail.contains("clock skew"), "{}", f.detail);
    assert_eq!(f.severity, Severity::Problem);

    let token = jwt(&serde_json::json!({"iat": NOW + 600, "exp": NOW + 4200}));
    let report = check(&token, None);
    assert_eq!(report.findings[1].code, Code::TokenNotYetValid);
    assert_eq!(report.findings[1].severity, Severity::Warning);
    let token = jwt(&serde_json::json!({"iat": NOW + 20, "exp": NOW + 4200}));
    assert_eq!(codes(&check(&token, None)), vec![Code::TokenDecoded]);
}

#[test]
fn an_audience_for_another_host_is_flagged() {
    let token = jwt(
        &serde_json::json!({"aud": ["https://billing.example.org", "other.example.net"], "exp": NOW + 60}),
    );
    let report = check(&token, Some("https://api.example.com/"));
    assert!(codes(&report).contains(&Code::TokenWrongAudience));
    let f = report
        .findings
        .iter()
        .find(|f| f.code == Code::TokenWrongAudience);
    assert!(f.is_some_and(|f| f.detail.contains("https://api.example.com")));
}

#[test]
fn matching_or_opaque_audiences_are_not_flagged() {
    for aud in [
        serde_json::json!("https://api.example.com/"),
        serde_json::json!("api.example.com"),
        serde_json::json!(["account", "https://API.example.com"]),
        serde_json::json!("account"),
        serde_json::json!("api://my-api"),
        serde_json::json!("6f1c2d3e-0000-4000-8000-123456789abc"),
    ] {
        let token = jwt(&serde_json::json!({"aud": aud, "exp": NOW + 60}));
        let report = check(&token, Some("https://api.example.com/v1"));
        assert!(!codes(&report).contains(&Code::TokenWrongAudience), "{aud}");
    }
    let token = jwt(&serde_json::json!({"aud": "https://other.example.org", "exp": NOW + 60}));
    assert!(!codes(&check(&token, None)).contains(&Code::TokenWrongAudience));
}

#[test]
fn bearer_prefixes_quotes_line_breaks_and_token_json_are_accepted() {
    let token = jwt(&serde_json::json!({"sub": "x", "exp": NOW + 600}));
    let (head, tail) = token.split_at(20);
    for pasted in [
        format!("Bearer {token}"),
        format!("bearer   {token}\n"),
        format!("Authorization: Bearer {token}"),
        format!("\"{token}\""),
        format!("{head}\n{tail}"),
        format!("{{\"access_token\":\"{token}\",\"token_type\":\"Bearer\",\"expires_in\":600}}"),
    ] {
        let report = check(&pasted, None);
        assert_eq!(report.kind, TokenKind::Jwt, "{pasted}");
    }
    let wrapped = check(&format!("{head}\n{tail}"), None);
    assert!(wrapped.findings[0].detail.contains("spaces or line breaks"));
}

#[test]
fn an_opaque_token_is_explained_without_showing_it() {
    let secret = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    let report = check(secret, None);
    assert_eq!(report.kind, TokenKind::Opaque);
    assert_eq!(codes(&report), vec![Code::TokenOpaque]);
    assert!(
        report.findings[0]
            .detail
            .contains("GitHub personal access token")
    );
    let json = crate::engine::test_json(&report);
    assert!(!json.contains(secret), "{json}");
    let report = check("2YotnFZFEjr1zCsicMWpAA", None);
    assert!(report.findings[0].detail.contains("opaque token"));
    assert_eq!(report.findings[0].severity, Severity::Info);
}

#[test]
fn an_aws_access_key_id_is_not_a_bearer_token() {
    let report = check("AKIAIOSFODNN7EXAMPLE", None);
    assert!(report.findings[0].detail.contains("AWS access key ID"));
    assert_eq!(report.findings[0].severity, Severity::Warning);
}

#[test]
fn a_basic_credential_is_not_decoded() {
    let report = check("Basic YWxpY2U6czNjcmV0", None);
    assert_eq!(report.kind, TokenKind::Opaque);
    let json = crate::engine::test_json(&report);
    assert!(
        !json.contains("s3cret") && !json.contains("YWxpY2U6czNjcmV0"),
        "{json}"
    );
    assert!(report.findings[0].detail.contains("Basic sign-in"));
}

#[test]
fn damaged_jwts_are_malformed() {
    let token = jwt(&serde_json::json!({"sub": "x", "exp": NOW + 600}));
    let two_parts: String = token
        .rsplit_once('.')
        .map(|x| x.0)
        .unwrap_or_default()
        .to_owned();
    let report = check(&two_parts, None);
    assert_eq!(report.kind, TokenKind::Malformed);
    assert!(report.findings[0].detail.contains("only two parts"));
    assert!(
        report.claims.is_some(),
        "the readable claims are still shown"
    );

    let cut = token.get(..token.len() / 2).unwrap_or_default();
    assert_eq!(check(cut, None).kind, TokenKind::Malformed);
    assert_eq!(check("eyJhbGciOi.e30.sig", None).kind, TokenKind::Malformed);
    let report = check("", None);
    assert_eq!(report.kind, TokenKind::Malformed);
    let report = check("abc…def", None);
    assert_eq!(report.kind, TokenKind::Malformed);
    assert!(report.findings[0].detail.contains("U+2026"));
    assert!(!report.findings[0].detail.contains("abc"));
}

#[test]
fn an_encrypted_jwt_shows_only_its_header() {
    let header = b64(&serde_json::json!({"alg": "RSA-OAEP", "enc": "A256GCM"}));
    let token = format!("{header}.a2V5.aXY.Y2lwaGVy.dGFn");
    let report = check(&token, None);
    assert_eq!(report.kind, TokenKind::Opaque);
    assert!(report.header.is_some() && report.claims.is_none());
    assert!(report.findings[0].detail.contains("encrypted JWT"));
}

#[test]
fn unsigned_and_id_tokens_are_warned_about() {
    let none = format!(
        "{}.{}.",
        b64(&serde_json::json!({"alg": "none"})),
        b64(&serde_json::json!({"sub": "x"}))
    );
    let report = check(&none, None);
    assert_eq!(report.kind, TokenKind::Jwt);
    assert!(report.findings[0].detail.contains("not signed at all"));
    assert_eq!(report.findings[0].severity, Severity::Warning);

    let id = jwt(&serde_json::json!({"aud": "client-123", "nonce": "n", "exp": NOW + 60}));
    let report = check(&id, None);
    assert!(report.findings[0].detail.contains("ID token"));
    assert!(report.findings[0].next_steps[0].contains("access token"));
}

#[test]
fn odd_time_values_are_read_or_explained() {
    let token = jwt(
        &serde_json::json!({"exp": (NOW + 60) * 1000, "iat": "1763877000", "nbf": 1.763_877_5e9}),
    );
    let report = check(&token, None);
    let detail = &report.findings[0].detail;
    assert!(detail.contains("milliseconds"), "{detail}");
    assert!(detail.contains("written as text"), "{detail}");
    assert_eq!(report.times.len(), 3);
    let token = jwt(&serde_json::json!({"exp": 1e300, "iat": -5, "nbf": i64::MIN}));
    let report = check(&token, None);
    assert!(
        report
            .times
            .iter()
            .any(|t| t.readable.contains("1969") || t.readable.contains("impossible"))
    );
}

#[test]
fn scp_arrays_and_azure_style_claims_are_shown() {
    let token = jwt(
        &serde_json::json!({"scp": ["User.Read", "Mail.Send"], "azp": "app-1", "exp": NOW + 60}),
    );
    let report = check(&token, None);
    let f = &report.findings[0];
    assert!(
        f.evidence
            .iter()
            .any(|e| e.label == "Permissions (scp)" && e.value == "User.Read, Mail.Send")
    );
    assert!(f.evidence.iter().any(|e| e.label == "Client (azp)"));
}

#[test]
fn random_bytes_do_not_panic() {
    let mut seed: u32 = 3;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        seed
    };
    for round in 0..500 {
        let len = (next() >> 20) as usize % 400;
        let bytes: Vec<u8> = (0..len).map(|_| (next() >> 16) as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = check(&text, Some("https://example.com"));
        let dotted = format!("eyJ{text}.{text}.{text}");
        let _ = check(&dotted, None);
        if round % 50 == 0 {
            let as_b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
            let _ = check(&format!("{as_b64}.{as_b64}.{as_b64}"), None);
        }
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_token = format!(
        "{}.{}.x",
        b64(&serde_json::json!({"alg": "HS256"})),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{{\"a\":{deep}}}"))
    );
    assert_eq!(check(&deep_token, None).kind, TokenKind::Malformed);
}

#[test]
fn a_megabyte_token_is_handled_in_linear_time() {
    // Counted work (bytes looked at), not a clock: the same per byte as for a small token.
    let token_of = |pad: usize| jwt(&serde_json::json!({"pad": "x".repeat(pad), "exp": NOW + 5}));
    let work_per_byte = |token: &str| {
        let (report, units) = work::measure(|| check(token, None));
        assert_eq!(report.kind, TokenKind::Jwt);
        units as f64 / token.len() as f64
    };
    let small = work_per_byte(&token_of(7_000));
    let large = work_per_byte(&token_of(700_000));
    assert!(
        large <= 1.5 * small,
        "{small:.1} units per byte, then {large:.1}"
    );
    let too_big = "a".repeat(MAX_TOKEN_BYTES + 1);
    let (report, units) = work::measure(|| check(&too_big, None));
    assert_eq!(report.kind, TokenKind::Malformed);
    assert_eq!(
        units, 0,
        "a token over the limit is refused before it is read"
    );
}
