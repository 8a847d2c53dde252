//! The 401s of today's web (issue 17), each through `authdoctor check --json` against a loopback
//! server that answers with the product's own headers and body as its documentation and issue
//! trackers show them, or against real software (nginx) where it runs here.
#![expect(clippy::unwrap_used, reason = "tests")]
mod support;

use std::sync::Arc;

use authdoctor::engine::{self, CheckInput, Net, NetOptions};
use support::{Nginx, NginxSetup, Reply, SignIn, TestServer, authdoctor, check, json_of};

fn evidence(verdict: &support::Verdict, code: &str, label: &str) -> Vec<String> {
    verdict.json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == code)
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["label"] == label)
        .filter_map(|e| e["value"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn oauth2_proxy_redirecting_to_its_sign_in_is_an_identity_proxy() {
    let server = TestServer::start(|request| {
        if request.path.starts_with("/oauth2/sign_in") {
            Reply::status(403)
                .header("Content-Type", "text/html; charset=utf-8")
                .body("<!DOCTYPE html><html><head><title>Sign In</title></head><body><form method=\"GET\" action=\"/oauth2/start\"><button type=\"submit\">Sign in with Google</button></form><footer>Secured with <a href=\"https://github.com/oauth2-proxy/oauth2-proxy#oauth2_proxy\">OAuth2 Proxy</a> version v7.6.0</footer></body></html>")
        } else {
            Reply::status(302)
                .header("Location", "/oauth2/sign_in?rd=%2Fdashboard%2F")
                .header("Set-Cookie", "_oauth2_proxy_csrf=abc; Path=/; HttpOnly")
        }
    });
    let verdict = check(&server.url("/dashboard/"), SignIn::Nothing);
    verdict.assert_likely_cause("identity-proxy");
    assert_eq!(
        evidence(&verdict, "identity-proxy", "Product"),
        ["oauth2-proxy"]
    );
}

#[test]
fn google_iap_refusing_an_empty_token_is_an_identity_proxy() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("Content-Type", "text/html; charset=UTF-8")
            .header("X-Goog-IAP-Generated-Response", "true")
            .body("Invalid IAP credentials: empty token")
    });
    let verdict = check(&server.url("/"), SignIn::Nothing);
    verdict.assert_likely_cause("identity-proxy");
    verdict.assert_lacks("auth-required");
    let missing = verdict.json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["code"] == "missing-challenge")
        .map(|f| f["severity"].clone());
    assert_eq!(
        missing,
        Some(serde_json::json!("info")),
        "the proxy explains the missing challenge"
    );
    assert_eq!(
        evidence(&verdict, "identity-proxy", "Product"),
        ["Google Identity-Aware Proxy (IAP)"]
    );
}

#[test]
fn azure_app_service_authentication_redirects_to_its_auth_path() {
    let server = TestServer::start(|request| {
        if request.path.starts_with("/.auth/login/aad") {
            Reply::status(401)
                .header("Server", "Microsoft-IIS/10.0")
                .header("WWW-Authenticate", "Bearer realm=\"contoso.azurewebsites.net\" authorization_uri=\"https://login.windows.net/00000000-0000-0000-0000-000000000000/oauth2/authorize\" resource_id=\"11111111-1111-1111-1111-111111111111\"")
                .body("You do not have permission to view this directory or page.")
        } else {
            Reply::status(302).header(
                "Location",
                "/.auth/login/aad?post_login_redirect_uri=%2Freports%2F",
            )
        }
    });
    let verdict = check(&server.url("/reports/"), SignIn::Nothing);
    verdict.assert_likely_cause("identity-proxy");
    assert_eq!(
        evidence(&verdict, "identity-proxy", "Product"),
        ["Azure App Service authentication"]
    );
}

#[test]
fn a_vercel_deployment_protection_401_names_vercel() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("Server", "Vercel")
            .header("X-Vercel-Id", "fra1::abcde-1700000000000-0123456789ab")
            .header("Set-Cookie", "_vercel_sso_nonce=xyz; Path=/; HttpOnly; Secure")
            .header("Content-Type", "text/html; charset=utf-8")
            .body("<!doctype html><title>Authentication Required</title><a href=\"https://vercel.com/sso-api?url=https%3A%2F%2Fmy-app-git-main-team.vercel.app%2F&nonce=xyz\">Continue</a>")
    });
    let verdict = check(&server.url("/"), SignIn::Nothing);
    verdict.assert_likely_cause("identity-proxy");
    assert_eq!(
        evidence(&verdict, "identity-proxy", "Product"),
        ["Vercel deployment protection"]
    );
    let refs = &verdict.json["references"]["items"];
    assert_eq!(refs[0]["value"], "fra1::abcde-1700000000000-0123456789ab");
}

/// Cloudflare Access sends visitors to the team's own domain: the check follows there (named to
/// loopback for the test) and names the product.
#[tokio::test]
async fn cloudflare_access_sending_visitors_to_the_team_domain_is_an_identity_proxy() {
    let access = TestServer::start(|_| {
        Reply::ok("<html><title>Sign in ・ Cloudflare Access</title></html>")
            .header("Server", "cloudflare")
            .header("CF-RAY", "8f0e2b1c3d4a5e6f-FRA")
    });
    let team = format!("http://acme.cloudflareaccess.com:{}", access.port());
    let login = format!("{team}/cdn-cgi/access/login/app.acme.test?kid=4714c1&redirect_url=%2F");
    let site = TestServer::start(move |_| {
        Reply::status(302)
            .header("Location", &login)
            .header("Server", "cloudflare")
            .header("CF-RAY", "8f0e2b1c3d4a0000-FRA")
    });
    let net = Net::new(&NetOptions {
        use_proxy: false,
        resolve: vec![("acme.cloudflareaccess.com".to_owned(), access.address())],
        ..NetOptions::default()
    })
    .unwrap();
    let d = engine::diagnose(
        &CheckInput {
            address: site.url("/"),
            ..CheckInput::default()
        },
        &net,
    )
    .await;
    assert_eq!(
        d.likely_cause,
        Some(engine::Code::IdentityProxy),
        "{:?}",
        d.findings
    );
    let f = d.likely_finding().unwrap();
    assert!(f.evidence.iter().any(|e| e.value == "Cloudflare Access"));
    let rays: Vec<&str> = d
        .references
        .items
        .iter()
        .map(|r| r.value.as_str())
        .collect();
    assert_eq!(
        rays,
        ["8f0e2b1c3d4a5e6f-FRA", "8f0e2b1c3d4a0000-FRA"],
        "final answer's first"
    );
}

#[test]
fn aws_api_gateway_unauthorized_is_the_gateway_with_its_request_id() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("Content-Type", "application/json")
            .header("x-amzn-RequestId", "a915abe5-33e0-4bd5-a6e9-45ae0033bedd")
            .header("x-amzn-ErrorType", "UnauthorizedException")
            .header("x-amz-apigw-id", "MVULgEY2PHcFlcA=")
            .body("{\"message\":\"Unauthorized\"}")
    });
    let verdict = check(&server.url("/dev/Patient"), SignIn::Nothing);
    verdict.assert_likely_cause("api-gateway-rejects");
    assert_eq!(
        evidence(&verdict, "api-gateway-rejects", "Gateway"),
        ["AWS API Gateway"]
    );
    let refs: Vec<String> = verdict.json["references"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["value"].as_str().map(str::to_owned))
        .collect();
    assert!(
        refs.contains(&"a915abe5-33e0-4bd5-a6e9-45ae0033bedd".to_owned()),
        "{refs:?}"
    );
}

/// Kong's key-auth reads `apikey`: a token sent as `Authorization: Bearer` counts as no key, and
/// the finding says where the key goes rather than calling the key wrong.
#[test]
fn kong_refusing_a_bearer_token_names_the_apikey_header_not_a_wrong_key() {
    let server = TestServer::start(|request| {
        let body = if request.header("apikey").is_some() {
            "{\"message\":\"Invalid authentication credentials\"}"
        } else {
            "{\"message\":\"No API key found in request\"}"
        };
        Reply::status(401)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("WWW-Authenticate", "Key realm=\"kong\"")
            .header("Server", "kong/3.4.2")
            .header("X-Kong-Response-Latency", "1")
            .header("X-Kong-Request-Id", "2b6a2c1d9e8f7a6b5c4d3e2f1a0b9c8d")
            .body(body)
    });
    let verdict = check(
        &server.url("/orders"),
        SignIn::Token("kong-consumer-key-123"),
    );
    verdict.assert_likely_cause("api-gateway-rejects");
    let reads = evidence(&verdict, "api-gateway-rejects", "Reads the key from");
    assert!(reads.iter().any(|r| r.contains("apikey")), "{reads:?}");
    assert!(!verdict.json.to_string().contains("kong-consumer-key-123"));
}

#[test]
fn azure_api_management_without_a_subscription_key_names_its_header() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("Content-Type", "application/json")
            .header("WWW-Authenticate", "AzureApiManagementKey realm=\"https://contoso.azure-api.net/echo\",name=\"Ocp-Apim-Subscription-Key\",type=\"header\"")
            .header("apim-request-id", "6f0e1d2c-3b4a-5968-7f8e-9d0c1b2a3f4e")
            .body("{ \"statusCode\": 401, \"message\": \"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.\" }")
    });
    let verdict = check(&server.url("/echo/resource"), SignIn::Nothing);
    verdict.assert_likely_cause("api-gateway-rejects");
    let reads = evidence(&verdict, "api-gateway-rejects", "Reads the key from");
    assert!(
        reads
            .iter()
            .any(|r| r.contains("Ocp-Apim-Subscription-Key")),
        "{reads:?}"
    );
}

#[test]
fn supabase_without_its_apikey_header_is_the_gateway() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("Content-Type", "application/json")
            .header("Server", "cloudflare")
            .header("sb-gateway-version", "1")
            .body("{\"message\":\"No API key found in request\",\"hint\":\"No `apikey` request header or url param was found.\"}")
    });
    let verdict = check(&server.url("/rest/v1/countries"), SignIn::Nothing);
    verdict.assert_likely_cause("api-gateway-rejects");
    assert_eq!(
        evidence(&verdict, "api-gateway-rejects", "Gateway"),
        ["Supabase"]
    );
}

/// A browser recording (HAR) of a call that sent the key as `api_key`: the underscore is flagged,
/// the key's value is not kept.
#[test]
fn a_recorded_call_with_an_underscore_header_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("call.har");
    std::fs::write(
        &har,
        r#"{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[
      {"startedDateTime":"2026-11-20T10:00:00.000Z","time":40,
       "request":{"method":"GET","url":"https://api.example.test/orders","headers":[{"name":"api_key","value":"live-key-998877"}],"cookies":[]},
       "response":{"status":401,"httpVersion":"HTTP/1.1","headers":[{"name":"Server","value":"kong/3.4.2"},{"name":"WWW-Authenticate","value":"Key realm=\"kong\""},{"name":"Content-Type","value":"application/json"}],"redirectURL":"","content":{"size":41,"text":"{\"message\":\"No API key found in request\"}"}}}
    ]}}"#,
    )
    .unwrap();
    let out = authdoctor(&["har", har.to_str().unwrap(), "--json"], None, &[]);
    let report = json_of(&out);
    let d = &report["findings"][0]["diagnosis"];
    assert_eq!(d["likely_cause"], "api-gateway-rejects");
    let steps = d["findings"][0]["next_steps"].to_string();
    assert!(
        steps.contains("api_key") && steps.contains("api-key"),
        "{steps}"
    );
    assert!(!report.to_string().contains("live-key-998877"));
}

/// nginx with `auth_basic` answers the browser's preflight 401, as it answers every method: a page
/// on another site only sees "CORS error".
#[test]
fn nginx_asking_a_preflight_for_a_password_needs_auth_the_browser_never_sends() {
    let nginx = Nginx::start(NginxSetup::new().basic_user("pia", "preflight-pass"));
    let out = authdoctor(
        &[
            "check",
            &nginx.url("/secret/"),
            "--json",
            "--no-dns",
            "--origin",
            "https://app.example.test/dashboard",
        ],
        None,
        &[],
    );
    let d = json_of(&out);
    assert_eq!(
        d["likely_cause"], "preflight-needs-auth",
        "{}",
        d["findings"]
    );
    assert_eq!(d["preflight"]["verdict"], "needs-sign-in");
    assert_eq!(d["preflight"]["preflight_status"], 401);
    let purposes: Vec<&str> = d["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["purpose"].as_str())
        .collect();
    assert!(
        purposes.contains(&"preflight") && purposes.contains(&"cors-request"),
        "{purposes:?}"
    );
    let methods: Vec<&str> = d["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["purpose"] == "preflight")
        .filter_map(|r| r["method"].as_str())
        .collect();
    assert_eq!(methods, ["OPTIONS"]);
}

/// The fix the finding names, in real nginx: OPTIONS answered before the sign-in, CORS headers on
/// the 401 too. The preflight then passes and the 401 is the page's to read.
#[test]
fn nginx_answering_options_first_passes_the_preflight() {
    let nginx = Nginx::start(
        NginxSetup::new()
            .basic_user("pia", "preflight-pass")
            .server_directives(
                r#"location /api/ {
            add_header Access-Control-Allow-Origin "https://app.example.test" always;
            add_header Access-Control-Allow-Headers "Authorization, Content-Type" always;
            add_header Access-Control-Allow-Methods "GET, POST, OPTIONS" always;
            if ($request_method = OPTIONS) { return 204; }
            auth_basic "API";
            auth_basic_user_file htpasswd;
        }"#,
            )
            .file("api/index.html", "api\n"),
    );
    let out = authdoctor(
        &[
            "check",
            &nginx.url("/api/"),
            "--json",
            "--no-dns",
            "--origin",
            "https://app.example.test",
        ],
        None,
        &[],
    );
    let d = json_of(&out);
    assert_eq!(d["preflight"]["verdict"], "passes", "{}", d["preflight"]);
    assert_ne!(d["likely_cause"], "preflight-needs-auth");
    assert!(support::finding_codes(&d).contains(&"preflight-checked".to_owned()));
}

#[test]
fn a_bad_origin_is_a_usage_error() {
    let out = authdoctor(
        &["check", "http://127.0.0.1:9/", "--origin", "app.example"],
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--origin"));
}

/// The type 2 message of the NTLM documentation's example exchange (target DOMAIN, server
/// SERVER, DNS domain domain.com), as an IIS server answers the negotiate message.
const TYPE2: &str = "TlRMTVNTUAACAAAADAAMADAAAAABAoEAASNFZ4mrze8AAAAAAAAAAGIAYgA8AAAARABPAE0AQQBJAE4AAgAMAEQATwBNAEEASQBOAAEADABTAEUAUgBWAEUAUgAEABQAZABvAG0AYQBpAG4ALgBjAG8AbQADACIAcwBlAHIAdgBlAHIALgBkAG8AbQBhAGkAbgAuAGMAbwBtAAAAAAA=";

fn iis() -> TestServer {
    TestServer::start(|request| {
        let asked = request.header("authorization").unwrap_or_default();
        if asked.starts_with("NTLM TlRMTVNTUAAB") {
            return Reply::status(401)
                .header("Server", "Microsoft-IIS/10.0")
                .header("WWW-Authenticate", &format!("NTLM {TYPE2}"))
                .header("X-Powered-By", "ASP.NET");
        }
        Reply::status(401)
            .header("Content-Type", "text/html")
            .header("Server", "Microsoft-IIS/10.0")
            .header("WWW-Authenticate", "Negotiate")
            .header("WWW-Authenticate", "NTLM")
            .header("X-Powered-By", "ASP.NET")
            .body("<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 401.2 - Unauthorized</title></head><body><div id=\"content\"><div class=\"content-container\"><h3>HTTP Error 401.2 - Unauthorized</h3><h4>You are not authorized to view this page due to invalid authentication headers.</h4></div></div></body></html>")
    })
}

#[test]
fn iis_with_windows_sign_in_is_read_with_its_sub_status_and_ntlm_message() {
    let server = iis();
    let verdict = check(&server.url("/intranet/"), SignIn::Nothing);
    verdict.assert_likely_cause("windows-sign-in");
    assert_eq!(verdict.json["ntlm"]["target_name"], "DOMAIN");
    assert_eq!(verdict.json["ntlm"]["dns_computer"], "server.domain.com");
    assert_eq!(verdict.json["ntlm"]["netbios_computer"], "SERVER");
    let sub = evidence(&verdict, "windows-sign-in", "IIS sub-status");
    assert!(sub.iter().any(|s| s.starts_with("401.2")), "{sub:?}");
    let sent: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        sent.len(),
        1,
        "one negotiate message, nothing else: {sent:?}"
    );
}

#[test]
fn a_password_for_iis_windows_sign_in_cannot_be_tested_and_says_so() {
    let server = iis();
    let verdict = check(
        &server.url("/intranet/"),
        support::password("CORP\\ada", "Winter2026!"),
    );
    verdict.assert_likely_cause("windows-sign-in");
    verdict.assert_has("credentials-untested");
    assert!(!verdict.json.to_string().contains("Winter2026!"));
}

#[test]
fn basic_sign_in_to_exchange_online_is_retired_not_a_wrong_password() {
    // The answer of outlook.office365.com's EWS to Basic, replayed; the address is named to loopback.
    let server = Arc::new(TestServer::start(|_| {
        Reply::status(401)
            .header("Server", "Microsoft-IIS/10.0")
            .header("request-id", "5f8e9d0c-1b2a-3c4d-5e6f-7a8b9c0d1e2f")
            .header("X-FEServer", "AM0PR01CA0001")
            .header("WWW-Authenticate", "Basic Realm=\"\",Negotiate")
            .header("x-ms-diagnostics", "2000000;reason=\"The user specified by the user-context in the token does not exist.\";error_category=\"invalid_user\"")
    }));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let net = Net::new(&NetOptions {
        use_proxy: false,
        resolve: vec![("outlook.office365.com".to_owned(), server.address())],
        ..NetOptions::default()
    })
    .unwrap();
    let d = runtime.block_on(engine::diagnose(
        &CheckInput {
            address: format!(
                "http://outlook.office365.com:{}/EWS/Exchange.asmx",
                server.port()
            ),
            credentials: engine::Credentials {
                user: Some("ada@contoso.example".to_owned()),
                password: Some(engine::Secret::new("right-password")),
                token: None,
            },
            ..CheckInput::default()
        },
        &net,
    ));
    assert_eq!(
        d.likely_cause,
        Some(engine::Code::MicrosoftBasicRetired),
        "{:?}",
        d.findings
    );
    assert!(
        d.has(engine::Code::MicrosoftSignInError),
        "x-ms-diagnostics is read too"
    );
    assert!(
        d.references
            .items
            .iter()
            .any(|r| r.value == "5f8e9d0c-1b2a-3c4d-5e6f-7a8b9c0d1e2f")
    );
}

#[test]
fn an_aadsts_code_in_error_description_is_the_likely_cause_in_plain_words() {
    let server = TestServer::start(|_| {
        Reply::status(401)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"AADSTS700082: The refresh token has expired due to inactivity.\"")
            .header("x-ms-request-id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
            .body("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity. Trace ID: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 Correlation ID: 11112222-3333-4444-5555-666677778888 Timestamp: 2026-11-20 10:00:00Z\"}")
    });
    let verdict = check(&server.url("/api/me"), SignIn::Nothing);
    verdict.assert_likely_cause("microsoft-sign-in-error");
    assert_eq!(
        evidence(&verdict, "microsoft-sign-in-error", "Error code"),
        ["AADSTS700082"]
    );
}

/// The text output puts the reference numbers in a box for the site's owner.
#[test]
fn the_cli_text_shows_the_reference_numbers_for_the_sites_owner() {
    let server = TestServer::start(|_| {
        Reply::status(403)
            .header("Server", "cloudflare")
            .header("CF-RAY", "8a1b2c3d4e5f6789-FRA")
            .header("Content-Type", "text/html")
            .body("<h1>Error 1020</h1> Access denied <p>Your IP: 198.51.100.23</p> Cloudflare Ray ID: 8a1b2c3d4e5f6789")
    });
    let out = authdoctor(&["check", &server.url("/"), "--no-dns"], None, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    let box_at = text
        .find("Give this to the site's owner:")
        .unwrap_or_else(|| panic!("{text}"));
    let rest = &text[box_at..];
    assert!(rest.contains("8a1b2c3d4e5f6789-FRA"), "{rest}");
    assert!(rest.contains("198.51.100.23"), "{rest}");
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.md");
    let out = authdoctor(
        &[
            "check",
            &server.url("/"),
            "--no-dns",
            "--report",
            report.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert!(out.status.success());
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("## Give this to the site's owner") && md.contains("8a1b2c3d4e5f6789-FRA"));
}
