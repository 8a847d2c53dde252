use super::*;

fn answer(url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
    Exchange::for_test(url, status, headers, body)
}

fn codes(found: &[Finding]) -> Vec<Code> {
    found.iter().map(|f| f.code).collect()
}

#[test]
fn a_redirect_to_cloudflare_access_names_the_product() {
    let chain = [answer(
        "https://app.example.com/",
        302,
        &[(
            "location",
            "https://team.cloudflareaccess.com/cdn-cgi/access/login/app.example.com?kid=1",
        )],
        "",
    )];
    let found = findings(&chain);
    assert_eq!(codes(&found), vec![Code::IdentityProxy]);
    assert!(
        found[0]
            .evidence
            .iter()
            .any(|e| e.value == "Cloudflare Access")
    );
}

#[test]
fn kong_without_a_key_names_the_apikey_header() {
    let chain = [answer(
        "https://api.example.com/v1/",
        401,
        &[
            ("server", "kong/3.4.0"),
            ("www-authenticate", "Key realm=\"kong\""),
        ],
        "{\"message\":\"No API key found in request\"}",
    )];
    let found = findings(&chain);
    assert_eq!(codes(&found), vec![Code::ApiGatewayRejects]);
    assert!(
        found[0]
            .evidence
            .iter()
            .any(|e| e.label == "Reads the key from" && e.value.contains("apikey"))
    );
}

#[test]
fn an_aadsts_code_in_a_body_is_read_in_plain_words() {
    let chain = [answer(
        "https://login.microsoftonline.com/common/oauth2/token",
        400,
        &[],
        "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50126: Error validating credentials due to invalid username or password.\\r\\nTrace ID: 0f1e\"}",
    )];
    let found = findings(&chain);
    assert_eq!(codes(&found), vec![Code::MicrosoftSignInError]);
    assert!(found[0].evidence.iter().any(|e| e.value == "AADSTS50126"));
}

#[test]
fn basic_to_exchange_online_is_retired_not_a_wrong_password() {
    assert!(
        basic_retired(
            "https://outlook.office365.com/EWS/Exchange.asmx",
            "Basic",
            401
        )
        .is_some()
    );
    assert!(basic_retired("https://intranet.example.com/", "Basic", 401).is_none());
    assert!(basic_retired("https://outlook.office365.com/", "Bearer", 401).is_none());
}

#[test]
fn references_come_from_headers_and_the_page_with_the_sites_time() {
    let chain = [answer(
        "https://shop.example/",
        403,
        &[
            ("cf-ray", "8a1b2c3d4e5f-FRA"),
            ("date", "Tue, 01 Dec 2026 10:00:00 GMT"),
        ],
        "<p>Access denied. Reference&#32;&#35;18&#46;2f1e3b17&#46;1700000000&#46;abcdef</p><p>Your IP: 203.0.113.7</p>",
    )];
    let refs = references(&chain);
    let values: Vec<&str> = refs.items.iter().map(|r| r.value.as_str()).collect();
    assert!(values.contains(&"8a1b2c3d4e5f-FRA"), "{values:?}");
    assert!(
        values.contains(&"18.2f1e3b17.1700000000.abcdef"),
        "{values:?}"
    );
    assert_eq!(
        refs.site_time.as_deref(),
        Some("Tue, 01 Dec 2026 10:00:00 GMT")
    );
    assert_eq!(refs.public_ip.as_deref(), Some("203.0.113.7"));
}
