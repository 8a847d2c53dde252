//! Identity-aware proxies (Cloudflare Access, oauth2-proxy, Google IAP, Azure App Service
//! authentication, Vercel) recognised in a chain: who answered instead of the site, and how to get
//! past their sign-in.

use url::Url;

use super::host_of;
use crate::engine::finding::{Code, Finding};
use crate::engine::probe::Exchange;
use crate::engine::text::{scan_body, shorten};

/// An identity-aware proxy recognised in the chain.
pub(super) struct Proxy {
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
pub(super) fn identity_proxy(exchanges: &[Exchange]) -> Option<Proxy> {
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

pub(super) fn identity_proxy_finding(proxy: &Proxy) -> Finding {
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
