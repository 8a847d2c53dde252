//! The services that answer for a site today, recognised from answers already received: identity-
//! aware proxies (Cloudflare Access, oauth2-proxy, Google IAP, Azure App Service authentication,
//! Vercel), API gateways (AWS API Gateway, Kong, Azure API Management, Supabase), Microsoft 365 and
//! Entra sign-in errors, and the reference numbers a helpdesk hands to the site's owner.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::probe::Exchange;
use crate::engine::serverside;
use crate::engine::text::{scan_body, shorten};

/// The most reference numbers kept from one check.
const MAX_REFERENCES: usize = 12;

/// An identity-aware proxy recognised in the chain.
struct Proxy {
    name: &'static str,
    evidence: Vec<(String, String)>,
    steps: &'static [&'static str],
}

const CLOUDFLARE_ACCESS_STEPS: &[&str] = &[
    "Open the address in your browser and sign in on the Cloudflare Access page (the company's sign-in, a one-time PIN by e-mail, or whatever it offers); the browser then keeps a CF_Authorization cookie and the site opens.",
    "For a script or another program, ask whoever manages Cloudflare Zero Trust for a service token, and send it as the CF-Access-Client-Id and CF-Access-Client-Secret headers.",
    "If you manage it: in Cloudflare Zero Trust → Access → Applications, check this application's policies include you (your e-mail, group or a service-token rule).",
];

const OAUTH2_PROXY_STEPS: &[&str] = &[
    "Open the address in your browser and sign in with the account the page offers; oauth2-proxy then keeps a _oauth2_proxy cookie and lets you through.",
    "For a script, send a token from the same identity provider as Authorization: Bearer, if the proxy is set up to accept them (--skip-jwt-bearer-tokens), or ask its administrator for a way in for programs.",
    "If you run it: check --email-domain, the allowed groups and the cookie settings (--cookie-domain, --cookie-secure on http) of oauth2-proxy.",
];

const IAP_STEPS: &[&str] = &[
    "Open the address in a browser signed in to the Google account that was given access, and sign in when Google asks.",
    "For a script, get an OpenID Connect ID token for the IAP client ID (for example gcloud auth print-identity-token --audiences=CLIENT_ID) and send it as Authorization: Bearer (or Proxy-Authorization: Bearer when the application reads Authorization itself).",
    "If you manage it: in Google Cloud → Security → Identity-Aware Proxy, give the account the role IAP-secured Web App User on this resource.",
];

const AZURE_AUTH_STEPS: &[&str] = &[
    "Open the address in your browser and sign in with the Microsoft (or other) account the site offers; App Service then keeps its AppServiceAuthSession cookie.",
    "For a script, get an access token for this app from Microsoft Entra ID and send it as Authorization: Bearer (or a session token as X-ZUMO-AUTH).",
    "If you manage it: in the Azure portal → the App Service → Authentication, check the identity provider, who is allowed in, and what happens to requests that are not signed in (redirect or 401).",
];

const VERCEL_STEPS: &[&str] = &[
    "Open the address in your browser and sign in with a Vercel account that is a member of the team that owns the project, or use the share link the team gives you.",
    "For a script or a test run, ask the team for the Protection Bypass for Automation secret and send it as the x-vercel-protection-bypass header.",
    "If you own the project: Vercel → Project → Settings → Deployment Protection sets who may open preview and production addresses.",
];

/// Every identity-aware proxy that shows itself in the chain: a redirect to its sign-in, its
/// cookie, its headers or its page.
fn identity_proxy(exchanges: &[Exchange]) -> Option<Proxy> {
    let mut found: Option<Proxy> = None;
    let mut note =
        |name: &'static str, steps: &'static [&'static str], label: &str, value: &str| {
            let proxy = found.get_or_insert(Proxy {
                name,
                evidence: Vec::new(),
                steps,
            });
            if proxy.name == name && proxy.evidence.len() < 6 {
                proxy.evidence.push((label.to_owned(), shorten(value, 160)));
            }
        };
    for e in exchanges {
        let location = e.header("location").unwrap_or_default();
        let loc = location.to_ascii_lowercase();
        let host = host_of(&e.url);
        let (lower, _) = scan_body(e);
        let cookies: Vec<String> = e
            .headers_named("set-cookie")
            .map(|c| c.split('=').next().unwrap_or_default().trim().to_owned())
            .collect();
        // Cloudflare Access.
        if loc.contains(".cloudflareaccess.com") || loc.contains("/cdn-cgi/access/login") {
            note(
                "Cloudflare Access",
                CLOUDFLARE_ACCESS_STEPS,
                "Redirect to",
                location,
            );
        }
        if host.ends_with(".cloudflareaccess.com") {
            note(
                "Cloudflare Access",
                CLOUDFLARE_ACCESS_STEPS,
                "Sign-in page",
                &e.url,
            );
        }
        if let Some(c) = cookies.iter().find(|c| {
            c.eq_ignore_ascii_case("CF_Authorization") || c.eq_ignore_ascii_case("CF_AppSession")
        }) {
            note(
                "Cloudflare Access",
                CLOUDFLARE_ACCESS_STEPS,
                "Cookie set",
                c,
            );
        }
        // oauth2-proxy.
        if loc.contains("/oauth2/sign_in") || loc.contains("/oauth2/start") {
            note("oauth2-proxy", OAUTH2_PROXY_STEPS, "Redirect to", location);
        }
        if let Some(c) = cookies.iter().find(|c| c.starts_with("_oauth2_proxy")) {
            note("oauth2-proxy", OAUTH2_PROXY_STEPS, "Cookie set", c);
        }
        if matches!(e.status, 401 | 403)
            && (lower.contains("oauth2-proxy") || lower.contains("oauth2 proxy"))
        {
            note(
                "oauth2-proxy",
                OAUTH2_PROXY_STEPS,
                "Page",
                "the sign-in or error page of OAuth2 Proxy",
            );
        }
        // Google Identity-Aware Proxy.
        if let Some(pos) = lower.find("invalid iap credentials") {
            let said = e.body_excerpt.get(pos..).unwrap_or_default();
            note(
                "Google Identity-Aware Proxy (IAP)",
                IAP_STEPS,
                "Page text",
                said.lines().next().unwrap_or_default(),
            );
        }
        if e.header("x-goog-iap-generated-response").is_some() {
            note(
                "Google Identity-Aware Proxy (IAP)",
                IAP_STEPS,
                "X-Goog-IAP-Generated-Response",
                e.header("x-goog-iap-generated-response")
                    .unwrap_or_default(),
            );
        }
        // Azure App Service authentication ("Easy Auth").
        if loc.contains("/.auth/login/") {
            note(
                "Azure App Service authentication",
                AZURE_AUTH_STEPS,
                "Redirect to",
                location,
            );
        }
        if Url::parse(&e.url).is_ok_and(|u| u.path().starts_with("/.auth/")) && e.status >= 400 {
            note(
                "Azure App Service authentication",
                AZURE_AUTH_STEPS,
                "Answer of",
                &e.url,
            );
        }
        if let Some(c) = cookies
            .iter()
            .find(|c| c.eq_ignore_ascii_case("AppServiceAuthSession"))
        {
            note(
                "Azure App Service authentication",
                AZURE_AUTH_STEPS,
                "Cookie set",
                c,
            );
        }
        if e.status == 401
            && e.headers_named("www-authenticate").any(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("azurewebsites.net") || v.contains("x-zumo-auth")
            })
        {
            note(
                "Azure App Service authentication",
                AZURE_AUTH_STEPS,
                "WWW-Authenticate",
                e.header("www-authenticate").unwrap_or_default(),
            );
        }
        // Vercel deployment protection.
        if loc.contains("vercel.com/sso-api") || loc.contains("vercel.com/login") {
            note(
                "Vercel deployment protection",
                VERCEL_STEPS,
                "Redirect to",
                location,
            );
        }
        let on_vercel = host.ends_with(".vercel.app")
            || e.header("server")
                .is_some_and(|s| s.eq_ignore_ascii_case("vercel"))
            || e.header("x-vercel-id").is_some();
        if e.status == 401 && on_vercel {
            let shown = e
                .header("x-vercel-id")
                .map_or_else(|| e.url.clone(), str::to_owned);
            note(
                "Vercel deployment protection",
                VERCEL_STEPS,
                "401 from Vercel",
                &shown,
            );
        }
        if let Some(c) = cookies.iter().find(|c| c.starts_with("_vercel_sso")) {
            note(
                "Vercel deployment protection",
                VERCEL_STEPS,
                "Cookie set",
                c,
            );
        }
    }
    found
}

fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

fn identity_proxy_finding(proxy: &Proxy) -> Finding {
    let mut f = Finding::new(
        Code::IdentityProxy,
        format!(
            "{} stands in front of this site and answered for it: it wants you to sign in \
             through it before the site itself sees the request. No password typed into the site \
             helps until that sign-in is done; a script or program needs the proxy's own way in.",
            proxy.name
        ),
    )
    .title(format!("{} answers, not the site", proxy.name))
    .steps(proxy.steps.iter().copied())
    .evidence("Product", proxy.name);
    for (label, value) in &proxy.evidence {
        f = f.evidence(label.clone(), value.clone());
    }
    f
}

/// An API gateway's refusal, with what the gateway reads the key or token from.
struct Gateway {
    name: &'static str,
    /// What it said, in its own words.
    said: String,
    /// Where the gateway reads the key or token.
    reads: &'static str,
    steps: Vec<String>,
}

fn api_gateway(e: &Exchange) -> Option<Gateway> {
    if !matches!(e.status, 401 | 403 | 500) {
        return None;
    }
    let (lower, _) = scan_body(e);
    let message = json_message(e).unwrap_or_default();
    let said = if message.is_empty() {
        shorten(e.body_excerpt.trim(), 160)
    } else {
        message.clone()
    };
    let error_type = e.header("x-amzn-errortype").unwrap_or_default();
    let aws = !error_type.is_empty()
        || e.header("x-amz-apigw-id").is_some()
        || e.header("apigw-requestid").is_some();
    if aws
        && (error_type.starts_with("UnauthorizedException")
            || error_type.starts_with("AuthorizerConfigurationException")
            || error_type.starts_with("AccessDeniedException")
            || error_type.starts_with("MissingAuthenticationTokenException")
            || error_type.starts_with("IncompleteSignatureException")
            || message == "Unauthorized")
    {
        let kind = error_type.split(':').next().unwrap_or_default();
        let mut steps = vec![
            "Send the token in the header the API's authorizer reads: for a Cognito or JWT authorizer that is Authorization (the bare token, or Bearer TOKEN for HTTP APIs); a Lambda authorizer names its own header (its \"identity source\").".to_owned(),
            "Check that the token is the kind the authorizer expects (an ID token for a Cognito user pool authorizer on a REST API unless scopes are set, an access token with the right scopes otherwise) and has not expired.".to_owned(),
        ];
        if kind == "AuthorizerConfigurationException" {
            steps.insert(
                0,
                "The API's authorizer itself failed (AuthorizerConfigurationException): whoever runs the API must look at the authorizer's logs in CloudWatch; no change on your side can fix it.".to_owned(),
            );
        }
        if kind == "MissingAuthenticationTokenException" {
            steps.insert(
                0,
                "\"Missing Authentication Token\" also means the path or method does not exist in this API: check the address and the stage name in it first.".to_owned(),
            );
        }
        steps.push("If you run the API, its CloudWatch execution logs show why the authorizer refused this request (search for the request ID below).".to_owned());
        return Some(Gateway {
            name: "AWS API Gateway",
            said: if kind.is_empty() {
                said
            } else {
                format!("{kind}: {said}")
            },
            reads: "Authorization (or the header named by the API's authorizer)",
            steps,
        });
    }
    let server = e.header("server").unwrap_or_default().to_ascii_lowercase();
    let kong = server.starts_with("kong")
        || e.header("x-kong-response-latency").is_some()
        || e.header("x-kong-request-id").is_some()
        || e.headers_named("www-authenticate")
            .any(|v| v.to_ascii_lowercase().contains("realm=\"kong\""));
    if kong
        && (lower.contains("no api key found in request")
            || lower.contains("invalid authentication credentials")
            || lower.contains("unauthorized"))
    {
        return Some(Gateway {
            name: "Kong",
            said,
            reads: "the apikey header or the apikey address parameter (key-auth's default key_names)",
            steps: vec![
                "Send the API key in the apikey header (or ?apikey= in the address) unless the API's owner named another header: Kong's key-auth does not read Authorization: Bearer.".to_owned(),
                "\"Invalid authentication credentials\" means the key arrived but Kong knows no consumer with it: check for a copy-paste mistake, or ask for a new key.".to_owned(),
                "If you run Kong, check the key-auth plugin's key_names and that the consumer has this key (GET /consumers/NAME/key-auth on the Admin API).".to_owned(),
            ],
        });
    }
    let apim = lower.contains("subscription key")
        && (lower.contains("access denied due to")
            || e.header("ocp-apim-trace-location").is_some()
            || e.header("apim-request-id").is_some()
            || lower.contains("statuscode"));
    if apim {
        return Some(Gateway {
            name: "Azure API Management",
            said,
            reads: "the Ocp-Apim-Subscription-Key header or the subscription-key address parameter",
            steps: vec![
                "Send your subscription key in the Ocp-Apim-Subscription-Key header (or ?subscription-key= in the address); you find it in the API's developer portal under your profile.".to_owned(),
                "\"Invalid subscription key\" means the key is wrong, or the subscription is not active for the product that contains this API: check it in the developer portal, or regenerate it.".to_owned(),
                "If you run API Management, check the product's subscription requirement and the subscription's state in the Azure portal.".to_owned(),
            ],
        });
    }
    if lower.contains("no `apikey` request header or url param was found")
        || lower.contains("no apikey request header or url param was found")
        || (lower.contains("no api key found in request") && lower.contains("apikey"))
        || (lower.contains("invalid api key") && lower.contains("supabase"))
    {
        return Some(Gateway {
            name: "Supabase",
            said,
            reads: "the apikey header (the project's anon or publishable key), with Authorization: Bearer for a signed-in user",
            steps: vec![
                "Send the project's anon (publishable) key in the apikey header on every request; the supabase client libraries do this when they are created with the project's address and key.".to_owned(),
                "For a signed-in user, also send the user's access token as Authorization: Bearer; the apikey header is needed either way.".to_owned(),
                "Find the keys in the Supabase dashboard → Project Settings → API Keys.".to_owned(),
            ],
        });
    }
    None
}

/// The `message` (or `msg`, `error`) of a JSON body.
fn json_message(e: &Exchange) -> Option<String> {
    if e.body_excerpt.len() > 16 * 1024 {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(e.body_excerpt.trim()).ok()?;
    ["message", "msg", "error", "Message"]
        .iter()
        .find_map(|k| value.get(*k).and_then(serde_json::Value::as_str))
        .map(|s| shorten(s, 200))
}

fn gateway_finding(g: &Gateway, e: &Exchange) -> Finding {
    let mut f = Finding::new(
        Code::ApiGatewayRejects,
        format!(
            "{} answered for the API and refused the call before it reached the application \
             behind it: \"{}\". The gateway reads the key or token from {}.",
            g.name, g.said, g.reads
        ),
    )
    .title(format!(
        "{} refuses the call before the application",
        g.name
    ))
    .steps(g.steps.clone())
    .evidence("Gateway", g.name)
    .evidence("Status", e.status.to_string())
    .evidence("It said", g.said.clone())
    .evidence("Reads the key from", g.reads);
    if let Some(t) = e.header("x-amzn-errortype") {
        f = f.evidence("x-amzn-ErrorType", t.to_owned());
    }
    f
}

/// Request headers with an underscore in their name, which nginx and Apache drop by default.
fn underscore_headers(e: &Exchange) -> Vec<String> {
    e.request_headers
        .iter()
        .filter(|h| h.name.contains('_'))
        .map(|h| h.name.clone())
        .collect()
}

/// The findings of this module for a recorded or live chain.
#[must_use]
pub fn findings(exchanges: &[Exchange]) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(proxy) = identity_proxy(exchanges) {
        out.push(identity_proxy_finding(&proxy));
    }
    if let Some(last) = exchanges.last() {
        if let Some(g) = api_gateway(last) {
            let mut f = gateway_finding(&g, last);
            for name in underscore_headers(last) {
                f = f.first_step(format!(
                    "The request carried the header {name}, whose name has an underscore: nginx and Apache drop such headers by default (nginx: underscores_in_headers off), so the gateway or the application may never see it. Use a dash instead (for example {}), or, if you run the server, allow underscores.",
                    name.replace('_', "-")
                ));
            }
            out.push(f);
        }
        out.extend(microsoft_findings(last));
    }
    out
}

/// After the signed-in test: a proxy or gateway that let the user's details through is background,
/// and a 401 without a challenge from one of them is explained by it.
pub fn settle(findings: &mut [Finding], signed_in_accepted: bool) {
    let front = [Code::IdentityProxy, Code::ApiGatewayRejects];
    if signed_in_accepted {
        for f in findings.iter_mut().filter(|f| front.contains(&f.code)) {
            f.severity = Severity::Info;
        }
    }
    let explained = findings
        .iter()
        .any(|f| front.contains(&f.code) && f.severity <= Severity::Warning);
    if explained {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::MissingChallenge)
        {
            f.severity = Severity::Info;
            f.detail.push_str(
                " Here that is how the proxy or API gateway in front of the site answers: it is \
                 explained by the finding about it.",
            );
        }
    }
}

/// AADSTS codes in plain words: what happened, and what to do first.
const AADSTS: &[(&str, &str, &str)] = &[
    (
        "50126",
        "the user name or password is wrong",
        "Check the user name (your full work e-mail address) and the password; reset the password if you are unsure.",
    ),
    (
        "50034",
        "this account does not exist in the organisation's directory",
        "Check the spelling of the e-mail address, or ask IT whether the account exists in this organisation (tenant).",
    ),
    (
        "50053",
        "the account is locked: too many wrong passwords, or sign-ins from a suspicious address",
        "Wait a while (smart lockout ends by itself) or ask IT to unlock the account; do not keep retrying.",
    ),
    (
        "50057",
        "the account is disabled",
        "Ask IT to enable the account.",
    ),
    (
        "50055",
        "the password has expired",
        "Change the password (sign in at portal.office.com or myaccount.microsoft.com and follow the prompts).",
    ),
    (
        "50056",
        "the account has no password stored in the directory",
        "Ask IT how this account signs in (it may be federated or passwordless).",
    ),
    (
        "50076",
        "multi-factor authentication is required, and a password alone cannot do it",
        "Sign in interactively in a browser or an app that shows the second step; scripts need a modern sign-in (OAuth) that supports it.",
    ),
    (
        "50079",
        "the account must register for multi-factor authentication first",
        "Sign in once at aka.ms/mfasetup and set up the second step.",
    ),
    (
        "50074",
        "strong authentication is required",
        "Sign in interactively with your second step (authenticator app, SMS, key).",
    ),
    (
        "53003",
        "a Conditional Access policy of the organisation blocks this sign-in",
        "Ask IT which policy blocks it (the sign-in logs show it); it may require a managed device, a location or an app.",
    ),
    (
        "530003",
        "the organisation requires a managed (enrolled) device for this",
        "Sign in from a company device, or enrol this one as IT describes.",
    ),
    (
        "50105",
        "the account is not assigned to this application",
        "Ask the application's owner or IT to assign your account (or a group you are in) to the application.",
    ),
    (
        "50020",
        "this account is from another organisation and is not a guest here",
        "Sign in with an account of this organisation, or ask to be invited as a guest.",
    ),
    (
        "50058",
        "a silent sign-in was tried but nobody is signed in",
        "Sign in interactively again.",
    ),
    (
        "65001",
        "the application has not been given consent to the permissions it asks for",
        "Ask an administrator to grant consent for the application, or accept the consent prompt when it is shown.",
    ),
    (
        "700016",
        "the application (client ID) is not known in this organisation",
        "Check the application (client) ID and the tenant in the program's settings.",
    ),
    (
        "7000215",
        "the application's client secret is wrong",
        "Use the secret's value (not its ID) from the app registration, or create a new secret.",
    ),
    (
        "7000222",
        "the application's client secret has expired",
        "Create a new client secret in the app registration and put it in the program's settings.",
    ),
    (
        "50011",
        "the reply address does not match the application's registration",
        "Add this exact redirect URI to the app registration, or correct it in the program.",
    ),
    (
        "90002",
        "the organisation (tenant) was not found",
        "Check the tenant name or ID in the address or the program's settings.",
    ),
    (
        "700082",
        "the saved sign-in (refresh token) expired because it was not used for a long time",
        "Sign in again.",
    ),
    (
        "50173",
        "the saved sign-in is no longer valid because the password was changed or access was revoked",
        "Sign in again with the current password.",
    ),
    (
        "70008",
        "the sign-in code expired or was already used",
        "Start the sign-in again.",
    ),
    (
        "54005",
        "the sign-in code was already used",
        "Start the sign-in again.",
    ),
    (
        "500011",
        "the resource (the API the token is for) was not found in this organisation",
        "Check the resource or scope the program asks a token for.",
    ),
    (
        "50097",
        "device authentication is required",
        "Sign in from a registered device, or ask IT.",
    ),
];

/// AADSTS codes in a body, an `error_description`, or a challenge.
fn aadsts_codes(e: &Exchange) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let texts = std::iter::once(e.body_excerpt.as_str()).chain(e.headers_named("www-authenticate"));
    for text in texts {
        let mut rest = text;
        for _ in 0..20 {
            let Some(pos) = rest.find("AADSTS") else {
                break;
            };
            let after = rest.get(pos + 6..).unwrap_or_default();
            let digits: String = after
                .chars()
                .take_while(char::is_ascii_digit)
                .take(8)
                .collect();
            if digits.len() >= 4 && !out.iter().any(|(c, _)| *c == digits) {
                let line: String = rest
                    .get(pos..)
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| !matches!(c, '\n' | '"' | '<'))
                    .take(240)
                    .collect();
                out.push((digits, line.replace("\\r\\n", " ").trim().to_owned()));
            }
            rest = after;
        }
    }
    out
}

/// `x-ms-diagnostics: 2000008;reason="…";error_category="…"` read into (code, reason, category).
fn ms_diagnostics(e: &Exchange) -> Option<(String, String, String)> {
    let value = e.header("x-ms-diagnostics")?;
    let code: String = value.chars().take_while(char::is_ascii_digit).collect();
    let field = |name: &str| -> String {
        let key = format!("{name}=\"");
        value
            .find(&key)
            .and_then(|p| value.get(p + key.len()..))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    Some((
        code,
        shorten(&field("reason"), 240),
        field("error_category"),
    ))
}

/// True for an address of Microsoft 365 (Exchange Online, `SharePoint` Online, Graph, the sign-in).
#[must_use]
pub fn is_microsoft_365(url: &str) -> bool {
    let host = host_of(url);
    [
        "outlook.office365.com",
        "outlook.office.com",
        "smtp.office365.com",
        "graph.microsoft.com",
        "login.microsoftonline.com",
        "sharepoint.com",
        "ps.outlook.com",
        "autodiscover-s.outlook.com",
    ]
    .iter()
    .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

fn microsoft_findings(e: &Exchange) -> Vec<Finding> {
    let mut out = Vec::new();
    for (code, line) in aadsts_codes(e).into_iter().take(3) {
        let known = AADSTS.iter().find(|(c, _, _)| *c == code);
        let (meaning, step) = known.map_or(
            (
                "Microsoft's sign-in service refused the sign-in".to_owned(),
                format!("Look the code up at login.microsoftonline.com/error?code={code}, or give it to IT with the time of the check."),
            ),
            |(_, m, s)| ((*m).to_owned(), (*s).to_owned()),
        );
        out.push(
            Finding::new(
                Code::MicrosoftSignInError,
                format!("Microsoft Entra ID (the sign-in of Microsoft 365 and Azure) refused the sign-in with error AADSTS{code}: {meaning}."),
            )
            .title(format!("Microsoft sign-in error AADSTS{code}: {meaning}"))
            .first_step(step)
            .evidence("Error code", format!("AADSTS{code}"))
            .evidence("It said", line),
        );
    }
    if let Some((code, reason, category)) = ms_diagnostics(e) {
        let plain = match category.as_str() {
            "invalid_token" => {
                "the token is not valid for this service (wrong audience, no signature, expired)"
            }
            "invalid_user" => "the user named in the token does not exist here or has no mailbox",
            "invalid_resource" => "the token was issued for another service",
            "expired_token" => "the token has expired",
            "invalid_signature" => "the token's signature does not check out",
            _ => "the Microsoft service refused the sign-in",
        };
        out.push(
            Finding::new(
                Code::MicrosoftSignInError,
                format!("The Microsoft service explained its 401 in its x-ms-diagnostics header: {plain}. It said: \"{reason}\"."),
            )
            .title(format!("Microsoft says why: {plain}"))
            .first_step("Get a token for this exact service (for Exchange Online the resource https://outlook.office365.com, for Graph https://graph.microsoft.com) for the right user, and send it as Authorization: Bearer.")
            .evidence("x-ms-diagnostics code", code)
            .evidence("error_category", category)
            .evidence("reason", reason),
        );
    }
    out
}

/// `microsoft-basic-retired`: Basic sign-in (a user name and password sent as they are) to Microsoft
/// 365, which Microsoft switched off for Exchange Online and most of its services.
#[must_use]
pub fn basic_retired(url: &str, scheme: &str, status: u16) -> Option<Finding> {
    if !is_microsoft_365(url) || !scheme.eq_ignore_ascii_case("basic") || status != 401 {
        return None;
    }
    Some(
        Finding::new(
            Code::MicrosoftBasicRetired,
            format!(
                "AuthDoctor sent your user name and password with Basic sign-in to {} and it was \
                 refused. Microsoft has switched Basic sign-in off for Exchange Online (EWS, \
                 ActiveSync, POP, IMAP, Autodiscover, PowerShell) and most of Microsoft 365: even \
                 the right password is refused this way. It is not a wrong password.",
                host_of(url)
            ),
        )
        .evidence("Address", url.to_owned())
        .evidence("Sign-in method sent", "Basic"),
    )
}

/// A reference number an answer carried, for the site's owner to find the request in their logs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What it is ("Cloudflare Ray ID").
    pub label: String,
    /// The number or code itself (never a secret).
    pub value: String,
    /// Where it was read: the header's name, or "page text".
    pub source: String,
    /// The address whose answer carried it.
    pub url: String,
    /// That answer's status.
    pub status: u16,
    /// That answer's `Date`, as the site's clock said it.
    #[serde(default)]
    pub date: Option<String>,
}

/// What to hand on to the site's owner: reference numbers, the time and this computer's public
/// address as the site saw them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct References {
    /// The reference numbers, the final answer's first.
    pub items: Vec<Reference>,
    /// The time of the final answer by the site's clock (its `Date` header).
    #[serde(default)]
    pub site_time: Option<String>,
    /// This computer's public address as the site saw it, when a header or the page names it.
    #[serde(default)]
    pub public_ip: Option<String>,
    /// Where that address was read.
    #[serde(default)]
    pub public_ip_source: Option<String>,
}

impl References {
    /// True when there is nothing to hand on.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.public_ip.is_none()
    }
}

/// Headers that carry a request's reference number, and what each is called.
const REFERENCE_HEADERS: &[(&str, &str)] = &[
    ("cf-ray", "Cloudflare Ray ID"),
    ("x-amz-cf-id", "Amazon CloudFront request ID"),
    ("x-amzn-requestid", "AWS request ID"),
    ("x-amz-apigw-id", "AWS API Gateway ID"),
    ("apigw-requestid", "AWS API Gateway request ID"),
    ("x-amz-request-id", "Amazon S3 request ID"),
    ("x-amzn-trace-id", "AWS trace ID"),
    ("x-ms-request-id", "Microsoft request ID"),
    ("request-id", "Request ID"),
    ("x-ms-correlation-request-id", "Azure correlation ID"),
    ("x-azure-ref", "Azure Front Door reference"),
    ("x-msedge-ref", "Microsoft edge reference"),
    ("apim-request-id", "Azure API Management request ID"),
    ("x-request-id", "Request ID"),
    ("x-correlation-id", "Correlation ID"),
    ("x-sucuri-id", "Sucuri ID"),
    ("x-iinfo", "Imperva reference"),
    ("x-vercel-id", "Vercel request ID"),
    ("x-kong-request-id", "Kong request ID"),
    ("fly-request-id", "Fly.io request ID"),
    ("x-github-request-id", "GitHub request ID"),
    ("x-cloud-trace-context", "Google Cloud trace ID"),
];

/// Page texts that come right before a reference number, and what each is called.
const REFERENCE_LEADS: &[(&str, &str)] = &[
    ("reference&#32;&#35;", "Akamai reference"),
    ("reference #", "Akamai reference"),
    ("incapsula incident id:", "Imperva incident ID"),
    ("incident id:", "Incident ID"),
    ("ray id:", "Cloudflare Ray ID"),
    ("block id:", "Sucuri block ID"),
    ("trace id:", "Microsoft trace ID"),
    ("correlation id:", "Microsoft correlation ID"),
    ("\"trace_id\":\"", "Microsoft trace ID"),
    ("\"correlation_id\":\"", "Microsoft correlation ID"),
    ("support id is:", "Support ID"),
];

/// The reference numbers of a chain, the final answer first, with the site's time and the public
/// address the site saw.
#[must_use]
pub fn references(exchanges: &[Exchange]) -> References {
    let mut out = References::default();
    for e in exchanges.iter().rev() {
        let date = e.header("date").map(str::to_owned);
        let mut add = |label: &str, value: String, source: &str| {
            let value = shorten(value.trim(), 120);
            if value.len() < 3 || out.items.iter().any(|r| r.value == value) {
                return;
            }
            if out.items.len() < MAX_REFERENCES {
                out.items.push(Reference {
                    label: label.to_owned(),
                    value,
                    source: source.to_owned(),
                    url: e.url.clone(),
                    status: e.status,
                    date: date.clone(),
                });
            }
        };
        for (name, label) in REFERENCE_HEADERS {
            if let Some(v) = e.header(name) {
                add(label, v.to_owned(), name);
            }
        }
        let (lower, body) = scan_body(e);
        for (lead, label) in REFERENCE_LEADS {
            if let Some(found) = crate::engine::fingerprint::reference_after(&lower, body, &[lead])
            {
                add(label, found, "page text");
            }
        }
    }
    out.site_time = exchanges
        .last()
        .and_then(|e| e.header("date"))
        .map(str::to_owned);
    if let Some(seen) = serverside::seen_ip(exchanges) {
        out.public_ip = Some(seen.ip);
        out.public_ip_source = Some(seen.source);
    }
    out
}

#[cfg(test)]
mod tests {
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
}
