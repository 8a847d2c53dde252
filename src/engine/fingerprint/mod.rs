//! Who answered: the server software, WordPress, security plugins, firewalls (WAFs), CDNs and
//! hosting panels, recognised from the headers, cookie names and bodies of answers already
//! received, plus a few harmless GETs the caller may make ([`harmless_probe_paths`]).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::engine::finding::{Code, Finding};
use crate::engine::probe::Exchange;
use crate::engine::text::{find_word, scan_body, shorten, snippet_around};

/// The most pieces of evidence kept for one detection.
const MAX_EVIDENCE: usize = 6;
/// Bodies longer than this are not parsed as JSON.
const MAX_JSON_BYTES: usize = 64 * 1024;

/// One thing recognised, with the headers or texts it rests on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detected {
    /// What it is ("nginx", "WordPress", "Cloudflare").
    pub name: String,
    /// (where, what): `("Server", "cloudflare")`, `("Page text (/wp-login.php)", "…")`.
    /// Cookie values and other secrets are never included, only cookie names.
    pub evidence: Vec<(String, String)>,
}

/// Everything recognised about the site and what sits in front of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The web server software, when it shows itself.
    pub server: Option<Detected>,
    /// The content management system (WordPress, Drupal, Joomla).
    pub cms: Option<Detected>,
    /// Security plugins and firewalls (WAFs).
    pub protections: Vec<Detected>,
    /// Content delivery networks in front of the site.
    pub cdns: Vec<Detected>,
    /// Hosting control panels (cPanel, Plesk, `DirectAdmin`).
    pub panels: Vec<Detected>,
    /// `wordpress-detected`, `security-plugin-block`, `waf-block`, `cdn-in-front`.
    pub findings: Vec<Finding>,
}

/// The only extra requests the caller may make for a fingerprint: plain GETs, no sign-in, no
/// parameters. Their answers go into `extra` of [`fingerprint`].
#[must_use]
pub fn harmless_probe_paths() -> &'static [&'static str] {
    &["/wp-json/", "/wp-login.php", "/robots.txt"]
}

/// True when the answers hint at WordPress or PHP (a `wp-` path or page text, the REST API
/// link, a PHP header, a WordPress cookie): only then are [`harmless_probe_paths`] worth asking.
#[must_use]
pub fn hints_at_wordpress(exchanges: &[Exchange]) -> bool {
    exchanges.iter().any(|e| {
        let lower = |v: &str| v.to_ascii_lowercase();
        e.url.contains("/wp-")
            || e.headers.iter().any(|h| {
                let v = lower(&h.value);
                v.contains("wp-")
                    || v.contains("wordpress")
                    || (h.name == "x-powered-by" && v.contains("php"))
            })
            || {
                let body = lower(&e.body_excerpt);
                body.contains("wp-content")
                    || body.contains("wp-login")
                    || body.contains("wordpress")
                    || body.contains("wp-json")
            }
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Cms,
    Protection,
    Cdn,
    Panel,
}

#[derive(Clone, Copy, Debug)]
enum Sign {
    /// A header is present: name, name as shown.
    Header(&'static str, &'static str),
    /// A header's value contains this lowercase text: name, name as shown, text.
    HeaderHas(&'static str, &'static str, &'static str),
    /// A cookie set by the site has a name starting with this (lowercase).
    Cookie(&'static str),
    /// The page contains this lowercase text.
    Body(&'static str),
    /// The page contains both texts.
    BodyBoth(&'static str, &'static str),
}

struct Rule {
    name: &'static str,
    kinds: &'static [Kind],
    sign: Sign,
    /// On a refusal (4xx, 501, 503) this sign shows the product made the answer itself.
    answers: bool,
}

const CMS: &[Kind] = &[Kind::Cms];
const PROTECTION: &[Kind] = &[Kind::Protection];
const CDN: &[Kind] = &[Kind::Cdn];
const PROTECTION_AND_CDN: &[Kind] = &[Kind::Protection, Kind::Cdn];
const PANEL: &[Kind] = &[Kind::Panel];

const WORDPRESS: &str = "WordPress";
const WORDFENCE: &str = "Wordfence";
const SOLID: &str = "Solid Security (iThemes Security)";
const AIOWPS: &str = "All In One WP Security";
const LLAR: &str = "Limit Login Attempts Reloaded";
const CERBER: &str = "WP Cerber";
const SHIELD: &str = "Shield Security";
const CLOUDFLARE: &str = "Cloudflare";
const SUCURI: &str = "Sucuri";
const AKAMAI: &str = "Akamai";
const CLOUDFRONT: &str = "Amazon CloudFront";
const AWS_WAF: &str = "AWS WAF";
const IMPERVA: &str = "Imperva (Incapsula)";
const MODSECURITY: &str = "ModSecurity";
const IMUNIFY: &str = "Imunify360";
const BITNINJA: &str = "BitNinja";
const CPANEL: &str = "cPanel";
const PLESK: &str = "Plesk";
const DIRECTADMIN: &str = "DirectAdmin";

const fn rule(name: &'static str, kinds: &'static [Kind], sign: Sign, answers: bool) -> Rule {
    Rule {
        name,
        kinds,
        sign,
        answers,
    }
}

#[rustfmt::skip]
const RULES: &[Rule] = &[
    // WordPress and other CMSs.
    rule(WORDPRESS, CMS, Sign::HeaderHas("link", "Link", "api.w.org"), false),
    rule(WORDPRESS, CMS, Sign::HeaderHas("link", "Link", "/wp-json/"), false),
    rule(WORDPRESS, CMS, Sign::Header("x-pingback", "X-Pingback"), false),
    rule(WORDPRESS, CMS, Sign::HeaderHas("x-redirect-by", "X-Redirect-By", "wordpress"), false),
    rule(WORDPRESS, CMS, Sign::Cookie("wordpress_"), false),
    rule(WORDPRESS, CMS, Sign::Cookie("wp-settings-"), false),
    rule(WORDPRESS, CMS, Sign::Body("/wp-content/"), false),
    rule(WORDPRESS, CMS, Sign::Body("/wp-includes/"), false),
    rule(WORDPRESS, CMS, Sign::Body("/wp-admin/admin-ajax.php"), false),
    rule(WORDPRESS, CMS, Sign::Body("\"rest_not_logged_in\""), false),
    rule(WORDPRESS, CMS, Sign::Body("\"rest_forbidden\""), false),
    rule(WORDPRESS, CMS, Sign::Body("\"rest_cookie_invalid_nonce\""), false),
    rule(WORDPRESS, CMS, Sign::Body("\"rest_no_route\""), false),
    rule(WORDPRESS, CMS, Sign::Body("\"wp/v2\""), false),
    rule(WORDPRESS, CMS, Sign::Body("name=\"generator\" content=\"wordpress"), false),
    rule(WORDPRESS, CMS, Sign::BodyBoth("wp-login.php", "user_login"), false),
    rule("Drupal", CMS, Sign::HeaderHas("x-generator", "X-Generator", "drupal"), false),
    rule("Drupal", CMS, Sign::Header("x-drupal-cache", "X-Drupal-Cache"), false),
    rule("Drupal", CMS, Sign::Header("x-drupal-dynamic-cache", "X-Drupal-Dynamic-Cache"), false),
    rule("Drupal", CMS, Sign::Body("name=\"generator\" content=\"drupal"), false),
    rule("Joomla", CMS, Sign::Body("name=\"generator\" content=\"joomla"), false),
    rule("Joomla", CMS, Sign::Body("/media/jui/js/"), false),
    // WordPress security plugins.
    rule(WORDFENCE, PROTECTION, Sign::Body("generated by wordfence"), true),
    rule(WORDFENCE, PROTECTION, Sign::Body("blocked by wordfence"), true),
    rule(WORDFENCE, PROTECTION, Sign::Body("your access to this site has been limited by the site owner"), true),
    rule(WORDFENCE, PROTECTION, Sign::Body("wordfence"), true),
    rule(WORDFENCE, PROTECTION, Sign::Cookie("wfwaf-authcookie"), false),
    rule(WORDFENCE, PROTECTION, Sign::Cookie("wordfence_verifiedhuman"), false),
    rule(SOLID, PROTECTION, Sign::Body("ithemes security"), true),
    rule(SOLID, PROTECTION, Sign::Body("solid security"), true),
    rule(SOLID, PROTECTION, Sign::Body("locked out due to too many invalid login attempts"), true),
    rule(SOLID, PROTECTION, Sign::Body("/wp-content/plugins/better-wp-security/"), true),
    rule(AIOWPS, PROTECTION, Sign::Body("all in one wp security"), true),
    rule(AIOWPS, PROTECTION, Sign::Body("aiowps"), true),
    rule(LLAR, PROTECTION, Sign::Body("limit login attempts"), true),
    rule(LLAR, PROTECTION, Sign::Body("limit-login-attempts"), true),
    rule(CERBER, PROTECTION, Sign::Body("wp cerber"), true),
    rule(CERBER, PROTECTION, Sign::Body("wp-cerber"), true),
    rule(CERBER, PROTECTION, Sign::Cookie("cerber_"), false),
    rule(SHIELD, PROTECTION, Sign::Body("shield security"), true),
    rule(SHIELD, PROTECTION, Sign::Body("icwp-wpsf"), true),
    // Firewalls (WAFs) and the CDNs that carry one.
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::HeaderHas("server", "Server", "cloudflare"), false),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Header("cf-ray", "CF-RAY"), false),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Header("cf-cache-status", "CF-Cache-Status"), false),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Cookie("__cf_bm"), false),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Cookie("__cflb"), false),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Cookie("cf_clearance"), false),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Header("cf-mitigated", "CF-Mitigated"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("error 1020"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("error code: 1020"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("used cloudflare to restrict access"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("attention required! | cloudflare"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("sorry, you have been blocked"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("you are being rate limited"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("/cdn-cgi/challenge-platform/"), true),
    rule(CLOUDFLARE, PROTECTION_AND_CDN, Sign::Body("cloudflare ray id"), true),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Header("x-sucuri-id", "X-Sucuri-ID"), false),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Header("x-sucuri-cache", "X-Sucuri-Cache"), false),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::HeaderHas("server", "Server", "sucuri"), false),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Header("x-sucuri-block", "X-Sucuri-Block"), true),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Body("sucuri website firewall"), true),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Body("cloudproxy"), true),
    rule(AKAMAI, CDN, Sign::Header("akamai-grn", "Akamai-GRN"), false),
    rule(AKAMAI, CDN, Sign::Header("x-akamai-transformed", "X-Akamai-Transformed"), false),
    rule(AKAMAI, CDN, Sign::Header("x-akamai-request-id", "X-Akamai-Request-ID"), false),
    rule(AKAMAI, CDN, Sign::HeaderHas("server-timing", "Server-Timing", "ak_p"), false),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::HeaderHas("server", "Server", "akamaighost"), true),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::Body("errors.edgesuite.net"), true),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::BodyBoth("access denied", "reference&#32;&#35;"), true),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::BodyBoth("access denied", "reference #"), true),
    rule(CLOUDFRONT, CDN, Sign::Header("x-amz-cf-id", "X-Amz-Cf-Id"), false),
    rule(CLOUDFRONT, CDN, Sign::Header("x-amz-cf-pop", "X-Amz-Cf-Pop"), false),
    rule(CLOUDFRONT, CDN, Sign::HeaderHas("via", "Via", "cloudfront"), false),
    rule(CLOUDFRONT, CDN, Sign::HeaderHas("x-cache", "X-Cache", "cloudfront"), false),
    rule(CLOUDFRONT, CDN, Sign::HeaderHas("server", "Server", "cloudfront"), false),
    rule(AWS_WAF, PROTECTION, Sign::Header("x-amzn-waf-action", "X-Amzn-Waf-Action"), true),
    rule(AWS_WAF, PROTECTION, Sign::BodyBoth("request blocked", "cloudfront"), true),
    rule(AWS_WAF, PROTECTION, Sign::HeaderHas("server", "Server", "awselb"), true),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::Header("x-iinfo", "X-Iinfo"), false),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::HeaderHas("x-cdn", "X-CDN", "incapsula"), false),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::HeaderHas("x-cdn", "X-CDN", "imperva"), false),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::Cookie("incap_ses_"), false),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::Cookie("visid_incap_"), false),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::Cookie("nlbi_"), false),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::Body("incapsula incident id"), true),
    rule(IMPERVA, PROTECTION_AND_CDN, Sign::Body("_incapsula_resource"), true),
    rule(MODSECURITY, PROTECTION, Sign::HeaderHas("server", "Server", "mod_security"), false),
    rule(MODSECURITY, PROTECTION, Sign::HeaderHas("server", "Server", "modsecurity"), false),
    rule(MODSECURITY, PROTECTION, Sign::Body("mod_security"), true),
    rule(MODSECURITY, PROTECTION, Sign::Body("modsecurity"), true),
    rule(IMUNIFY, PROTECTION, Sign::HeaderHas("server", "Server", "imunify360"), true),
    rule(IMUNIFY, PROTECTION, Sign::Body("imunify360"), true),
    rule(BITNINJA, PROTECTION, Sign::Body("bitninja"), true),
    // CDNs without a firewall of their own in these signs.
    rule("Fastly", CDN, Sign::Header("x-fastly-request-id", "X-Fastly-Request-ID"), false),
    rule("Fastly", CDN, Sign::HeaderHas("x-served-by", "X-Served-By", "cache-"), false),
    rule("Fastly", CDN, Sign::HeaderHas("via", "Via", "fastly"), false),
    rule("Bunny CDN", CDN, Sign::HeaderHas("server", "Server", "bunnycdn"), false),
    rule("Bunny CDN", CDN, Sign::Header("cdn-pullzone", "CDN-PullZone"), false),
    rule("Bunny CDN", CDN, Sign::Header("cdn-requestid", "CDN-RequestId"), false),
    rule("KeyCDN", CDN, Sign::HeaderHas("server", "Server", "keycdn"), false),
    rule("KeyCDN", CDN, Sign::Header("x-edge-location", "X-Edge-Location"), false),
    rule("Vercel", CDN, Sign::Header("x-vercel-id", "X-Vercel-Id"), false),
    rule("Vercel", CDN, Sign::HeaderHas("server", "Server", "vercel"), false),
    rule("Netlify", CDN, Sign::Header("x-nf-request-id", "X-NF-Request-ID"), false),
    rule("Netlify", CDN, Sign::HeaderHas("server", "Server", "netlify"), false),
    rule("Azure Front Door", CDN, Sign::Header("x-azure-ref", "X-Azure-Ref"), false),
    rule("CDN77", CDN, Sign::HeaderHas("server", "Server", "cdn77"), false),
    // Hosting panels.
    rule(CPANEL, PANEL, Sign::HeaderHas("server", "Server", "cpanel"), false),
    rule(CPANEL, PANEL, Sign::Cookie("cpsession"), false),
    rule(CPANEL, PANEL, Sign::Body("/cgi-sys/defaultwebpage.cgi"), false),
    rule(PLESK, PANEL, Sign::Header("x-powered-by-plesk", "X-Powered-By-Plesk"), false),
    rule(PLESK, PANEL, Sign::HeaderHas("x-powered-by", "X-Powered-By", "plesk"), false),
    rule(DIRECTADMIN, PANEL, Sign::HeaderHas("server", "Server", "directadmin"), false),
];

/// `Server` header products, most specific first. CDNs and firewalls are left out: they hide
/// the site's own server.
const SERVER_PRODUCTS: &[(&str, &str)] = &[
    (
        "microsoft-iis",
        "IIS (Microsoft Internet Information Services)",
    ),
    ("apache-coyote", "Apache Tomcat"),
    ("tomcat", "Apache Tomcat"),
    ("openlitespeed", "OpenLiteSpeed"),
    ("litespeed", "LiteSpeed"),
    ("openresty", "OpenResty (nginx)"),
    ("tengine", "Tengine (nginx)"),
    ("nginx", "nginx"),
    ("apache", "Apache"),
    ("caddy", "Caddy"),
    ("lighttpd", "lighttpd"),
    ("gunicorn", "Gunicorn (Python)"),
    ("uvicorn", "Uvicorn (Python)"),
    ("kestrel", "Kestrel (ASP.NET)"),
    ("jetty", "Jetty (Java)"),
    ("envoy", "Envoy"),
    ("cowboy", "Cowboy"),
    ("h2o", "H2O"),
    ("amazons3", "Amazon S3"),
];

/// `Server` values of CDNs and firewalls, which hide the site's own server.
const NOT_ORIGIN_SERVERS: &[&str] = &[
    "cloudflare",
    "akamai",
    "sucuri",
    "cloudfront",
    "awselb",
    "bunnycdn",
    "keycdn",
    "imunify360",
];

/// Page texts of servers' own error pages.
const SERVER_PAGES: &[(&str, &str)] = &[
    ("<address>apache", "Apache"),
    ("<center>nginx", "nginx"),
    ("<center>openresty", "OpenResty (nginx)"),
    (
        "microsoft-iis",
        "IIS (Microsoft Internet Information Services)",
    ),
    (
        "internet information services",
        "IIS (Microsoft Internet Information Services)",
    ),
    ("litespeed web server", "LiteSpeed"),
];

/// An answer made by a protection rather than the site.
#[derive(Clone, Debug)]
struct Answered {
    name: &'static str,
    status: u16,
    url: String,
    label: String,
    value: String,
}

#[derive(Default)]
struct Collector {
    found: Vec<(Kind, Detected)>,
    answered: Vec<Answered>,
}

impl Collector {
    fn add(&mut self, kind: Kind, name: &str, label: &str, value: &str) {
        let entry = (label.to_owned(), value.to_owned());
        if let Some((_, d)) = self
            .found
            .iter_mut()
            .find(|(k, d)| *k == kind && d.name == name)
        {
            if !d.evidence.contains(&entry) && d.evidence.len() < MAX_EVIDENCE {
                d.evidence.push(entry);
            }
        } else {
            self.found.push((
                kind,
                Detected {
                    name: name.to_owned(),
                    evidence: vec![entry],
                },
            ));
        }
    }

    fn list(&self, kind: Kind) -> Vec<Detected> {
        self.found
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| d.clone())
            .collect()
    }
}

/// True for answers that refuse the request (where a firewall's own page shows it blocked).
fn is_refusal(status: u16) -> bool {
    matches!(status, 400..=499 | 501 | 503)
}

/// The path of an address, for labels ("/wp-login.php").
fn path_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| shorten(url, 60), |u| shorten(u.path(), 60))
}

/// Recognises the site's software and what sits in front of it. `exchanges` are the answers of
/// the check (in order); `extra` the answers to [`harmless_probe_paths`], if the caller made them.
#[must_use]
pub fn fingerprint(exchanges: &[Exchange], extra: &[Exchange]) -> Fingerprint {
    let mut collector = Collector::default();
    let mut server: Option<Detected> = None;
    let mut rest_codes: Vec<RestCode> = Vec::new();
    let mut app_passwords: Option<bool> = None;
    // The final answer first: it is the one that said 401.
    let all: Vec<&Exchange> = exchanges.iter().rev().chain(extra.iter()).collect();
    for exchange in &all {
        let (lower, body) = scan_body(exchange);
        apply_rules(exchange, &lower, body, &mut collector);
        if server.is_none() {
            server = server_software(exchange, &lower, body);
        }
        if let Some(code) = rest_code(exchange) {
            if !rest_codes.iter().any(|c| c.code == code.code) {
                rest_codes.push(code);
            }
        }
        if app_passwords.is_none() {
            app_passwords = application_passwords_offered(exchange);
        }
    }
    for code in rest_codes.iter().filter(|c| c.code.starts_with("rest_")) {
        let label = format!("REST API error code ({})", path_of(&code.url));
        collector.add(Kind::Cms, WORDPRESS, &label, &code.code);
    }
    let cms = pick_cms(collector.list(Kind::Cms));
    let protections = collector.list(Kind::Protection);
    let cdns = collector.list(Kind::Cdn);
    let panels = collector.list(Kind::Panel);
    let mut findings = Vec::new();
    let is_wordpress = cms.as_ref().is_some_and(|c| c.name == WORDPRESS);
    if let Some(cms) = cms.as_ref().filter(|_| is_wordpress) {
        findings.push(wordpress_finding(cms, &rest_codes, app_passwords));
    }
    let mut reported: Vec<&str> = Vec::new();
    for answered in &collector.answered {
        if reported.contains(&answered.name) {
            continue;
        }
        reported.push(answered.name);
        let extras = block_details(&all, answered.name);
        if plugin_folder(answered.name).is_some() {
            findings.push(security_plugin_finding(answered, &extras));
        } else {
            findings.push(waf_finding(answered, &extras, &panels));
        }
    }
    if !cdns.is_empty() {
        findings.push(cdn_finding(&cdns, exchanges));
    }
    Fingerprint {
        server,
        cms,
        protections,
        cdns,
        panels,
        findings,
    }
}

fn apply_rules(exchange: &Exchange, lower: &str, body: &str, collector: &mut Collector) {
    let cookie_names: Vec<String> = exchange
        .headers_named("set-cookie")
        .map(|v| {
            v.split(['=', ';'])
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|n| !n.is_empty())
        .collect();
    for rule in RULES {
        // AWS load balancers only name themselves on their own answers; a 403 of theirs is
        // almost always AWS WAF, other statuses are not.
        if matches!(rule.sign, Sign::HeaderHas("server", _, "awselb")) && exchange.status != 403 {
            continue;
        }
        let hit: Option<(String, String)> = match rule.sign {
            Sign::Header(name, shown) => exchange
                .header(name)
                .map(|v| (shown.to_owned(), shorten(v, 120))),
            Sign::HeaderHas(name, shown, needle) => exchange
                .headers_named(name)
                .find(|v| v.to_ascii_lowercase().contains(needle))
                .map(|v| (shown.to_owned(), shorten(v, 120))),
            Sign::Cookie(prefix) => cookie_names
                .iter()
                .find(|n| n.starts_with(prefix))
                .map(|n| ("Set-Cookie name".to_owned(), shorten(n, 80))),
            Sign::Body(needle) => find_word(lower, needle).map(|pos| {
                (
                    format!("Page text ({})", path_of(&exchange.url)),
                    snippet_around(body, pos, needle.len()),
                )
            }),
            Sign::BodyBoth(first, second) => find_word(lower, first)
                .filter(|_| find_word(lower, second).is_some())
                .map(|pos| {
                    (
                        format!("Page text ({})", path_of(&exchange.url)),
                        snippet_around(body, pos, first.len()),
                    )
                }),
        };
        let Some((label, value)) = hit else {
            continue;
        };
        for kind in rule.kinds {
            collector.add(*kind, rule.name, &label, &value);
        }
        if rule.answers
            && is_refusal(exchange.status)
            && !collector.answered.iter().any(|a| a.name == rule.name)
        {
            collector.answered.push(Answered {
                name: rule.name,
                status: exchange.status,
                url: exchange.url.clone(),
                label,
                value,
            });
        }
    }
}

fn pick_cms(candidates: Vec<Detected>) -> Option<Detected> {
    candidates
        .into_iter()
        .max_by_key(|d| (d.evidence.len(), d.name == WORDPRESS))
}

fn server_software(exchange: &Exchange, lower: &str, body: &str) -> Option<Detected> {
    let named = |name: &str, label: &str, value: &str| Detected {
        name: name.to_owned(),
        evidence: vec![(label.to_owned(), shorten(value, 120))],
    };
    for value in exchange.headers_named("server") {
        let value_lower = value.to_ascii_lowercase();
        if NOT_ORIGIN_SERVERS.iter().any(|n| value_lower.contains(n)) {
            continue;
        }
        if let Some((_, name)) = SERVER_PRODUCTS
            .iter()
            .find(|(needle, _)| value_lower.contains(needle))
        {
            return Some(named(name, "Server", value));
        }
    }
    if let Some(v) = exchange
        .header("x-litespeed-cache")
        .or_else(|| exchange.header("x-turbo-charged-by"))
        .filter(|v| !v.is_empty())
    {
        return Some(named("LiteSpeed", "LiteSpeed header", v));
    }
    if let Some(v) = exchange.header("x-aspnet-version").or_else(|| {
        exchange
            .header("x-powered-by")
            .filter(|v| v.to_ascii_lowercase().contains("asp.net"))
    }) {
        return Some(named(
            "IIS (Microsoft Internet Information Services)",
            "ASP.NET header",
            v,
        ));
    }
    if !is_refusal(exchange.status) && exchange.status < 500 {
        return None;
    }
    SERVER_PAGES.iter().find_map(|(needle, name)| {
        lower.find(needle).map(|pos| {
            named(
                name,
                &format!("Error page ({})", path_of(&exchange.url)),
                &snippet_around(body, pos, needle.len()),
            )
        })
    })
}

// ---------------------------------------------------------------------------------------------
// WordPress.

/// A WordPress error code from a JSON answer (`{"code":"rest_not_logged_in", …}`).
#[derive(Clone, Debug)]
struct RestCode {
    code: String,
    status: u16,
    url: String,
    /// True when our request carried an `Authorization` header.
    sent_authorization: bool,
}

/// WordPress error codes that are not `rest_…` but come from its sign-in.
const WORDPRESS_AUTH_CODES: &[&str] = &[
    "incorrect_password",
    "invalid_username",
    "invalid_email",
    "application_passwords_disabled",
    "application_passwords_disabled_for_user",
];

fn json_body(exchange: &Exchange) -> Option<serde_json::Value> {
    let text = exchange.body_excerpt.trim();
    if !text.starts_with('{') || text.len() > MAX_JSON_BYTES {
        return None;
    }
    serde_json::from_str(text).ok()
}

fn rest_code(exchange: &Exchange) -> Option<RestCode> {
    let value = json_body(exchange)?;
    let code = value.get("code")?.as_str()?;
    let looks_wordpress = code.starts_with("rest_")
        || (WORDPRESS_AUTH_CODES.contains(&code) && exchange.url.contains("/wp-json"));
    if !looks_wordpress || code.len() > 80 {
        return None;
    }
    Some(RestCode {
        code: code.to_owned(),
        status: exchange.status,
        url: exchange.url.clone(),
        sent_authorization: exchange
            .request_headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("authorization")),
    })
}

/// From the REST API index (`/wp-json/`): are application passwords offered?
fn application_passwords_offered(exchange: &Exchange) -> Option<bool> {
    let value = json_body(exchange)?;
    value.get("namespaces")?;
    let offered = value
        .get("authentication")
        .and_then(|a| a.get("application-passwords"))
        .is_some();
    Some(offered)
}

/// What a WordPress error code means, and the step it calls for.
fn rest_advice(code: &RestCode) -> (String, String) {
    let c = code.code.as_str();
    match c {
        "rest_not_logged_in" if code.sent_authorization => (
            "The REST API answered rest_not_logged_in although a sign-in was sent: the web \
             server most likely dropped the Authorization header before WordPress saw it \
             (common when PHP runs as CGI or FastCGI)."
                .to_owned(),
            "Add `SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1` to the .htaccess in \
             the WordPress folder (or ask your host to pass the Authorization header to PHP), \
             then try again."
                .to_owned(),
        ),
        "rest_not_logged_in" => (
            "The REST API answered rest_not_logged_in: the request carried no WordPress sign-in \
             that WordPress accepted. Being signed in in a browser is not enough for an app or \
             script: it needs an application password."
                .to_owned(),
            "Create an application password (Users → Profile → Application Passwords) and send \
             it with your WordPress user name, over https."
                .to_owned(),
        ),
        "rest_cookie_invalid_nonce" => (
            "The REST API answered rest_cookie_invalid_nonce: the sign-in cookie came with a \
             missing or expired security code (nonce). This happens when a page stays open for \
             a long time or is served from a page cache."
                .to_owned(),
            "Reload the page or sign out and in again; if you run the site, keep /wp-json/ and \
             signed-in pages out of the page cache."
                .to_owned(),
        ),
        "rest_disabled" | "rest_cannot_access" | "rest_login_required" => (
            format!(
                "The REST API answered {c}: a plugin or setting only lets signed-in users use \
                 the REST API."
            ),
            "Check the security plugin's REST API setting (or a 'Disable REST API' plugin) and \
             allow the route your app needs, or sign in with an application password."
                .to_owned(),
        ),
        "incorrect_password" => (
            "WordPress refused the password. For the REST API it must be an application \
             password, not the normal sign-in password."
                .to_owned(),
            "Create an application password (Users → Profile → Application Passwords) and use \
             it with your user name."
                .to_owned(),
        ),
        "invalid_username" | "invalid_email" => (
            format!("WordPress answered {c}: it does not know this user."),
            "Check the user name in Users → All Users.".to_owned(),
        ),
        "application_passwords_disabled" | "application_passwords_disabled_for_user" => (
            format!(
                "WordPress answered {c}: application passwords are turned off. WordPress turns \
                 them off on sites without https, and security plugins can turn them off too."
            ),
            "Use the https address of the site; if it already is https, look for an \
             application password setting in the security plugins."
                .to_owned(),
        ),
        c if c.starts_with("rest_cannot_") || c == "rest_forbidden" => (
            format!(
                "The REST API answered {c}: the account used (or an anonymous visitor) is not \
                 allowed to do this; its role lacks the permission."
            ),
            "Sign in with an account whose role allows this (for example Editor or \
             Administrator), or ask an administrator to change the role."
                .to_owned(),
        ),
        "rest_no_route" => (
            "The REST API answered rest_no_route: no such address exists in the API. The \
             address is wrong or the plugin that provides it is inactive."
                .to_owned(),
            "Check the address of the API route and that the plugin providing it is active."
                .to_owned(),
        ),
        c => (
            format!("The REST API answered {c}."),
            "Look up this error code in the documentation of WordPress or of the plugin that \
             provides the route."
                .to_owned(),
        ),
    }
}

fn wordpress_finding(
    cms: &Detected,
    rest_codes: &[RestCode],
    app_passwords: Option<bool>,
) -> Finding {
    let signs = cms
        .evidence
        .iter()
        .map(|(label, _)| label.as_str())
        .take(3)
        .collect::<Vec<_>>()
        .join(", ");
    let mut detail = format!("Signs of WordPress were found ({signs}).");
    let mut steps = Vec::new();
    for code in rest_codes {
        let (sentence, step) = rest_advice(code);
        detail.push(' ');
        detail.push_str(&sentence);
        if !steps.contains(&step) {
            steps.push(step);
        }
    }
    match app_passwords {
        Some(true) => detail
            .push_str(" The REST API offers application passwords, so apps can sign in with one."),
        Some(false) => detail.push_str(
            " The REST API does not offer application passwords: WordPress turns them off on \
             sites without https, and security plugins can turn them off.",
        ),
        None => {}
    }
    let mut finding = Finding::new(Code::WordpressDetected, detail);
    for step in steps.into_iter().rev() {
        finding = finding.first_step(step);
    }
    for (label, value) in &cms.evidence {
        finding = finding.evidence(label.clone(), value.clone());
    }
    for code in rest_codes {
        finding = finding.evidence(
            format!(
                "WordPress error code ({} at {})",
                code.status,
                path_of(&code.url)
            ),
            code.code.clone(),
        );
    }
    finding
}

// ---------------------------------------------------------------------------------------------
// Blocks by security plugins and firewalls.

/// The folder a WordPress security plugin lives in, under `wp-content/plugins/`.
fn plugin_folder(name: &str) -> Option<&'static str> {
    match name {
        WORDFENCE => Some("wordfence"),
        SOLID => Some("better-wp-security"),
        AIOWPS => Some("all-in-one-wp-security-and-firewall"),
        LLAR => Some("limit-login-attempts-reloaded"),
        CERBER => Some("wp-cerber"),
        SHIELD => Some("wp-simple-firewall"),
        _ => None,
    }
}

/// Reference numbers a block page or header carries (Ray ID, Akamai reference, Imperva incident,
/// `ModSecurity` rule): none of them is a secret, and they let the site's owner find the event.
fn block_details(all: &[&Exchange], name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for exchange in all.iter().filter(|e| is_refusal(e.status)) {
        let (lower, body) = scan_body(exchange);
        let found: Option<(&str, String)> = match name {
            CLOUDFLARE => exchange
                .header("cf-ray")
                .map(|v| ("Ray ID", shorten(v, 60))),
            AKAMAI => reference_after(&lower, body, &["reference&#32;&#35;", "reference #"])
                .map(|r| ("Akamai reference", r)),
            IMPERVA => reference_after(&lower, body, &["incident id:", "incident id"])
                .map(|r| ("Incident ID", r)),
            MODSECURITY => modsecurity_rule_id(&lower).map(|r| ("Rule id", r)),
            SUCURI => exchange
                .header("x-sucuri-id")
                .map(|v| ("X-Sucuri-ID", shorten(v, 60))),
            AWS_WAF => exchange
                .header("x-amz-cf-id")
                .map(|v| ("CloudFront request id", shorten(v, 80))),
            _ => None,
        };
        if let Some((label, value)) = found {
            if let Some(action) = exchange
                .header("cf-mitigated")
                .filter(|_| name == CLOUDFLARE)
            {
                out.push(("CF-Mitigated".to_owned(), shorten(action, 40)));
            }
            out.push((label.to_owned(), value));
            break;
        }
    }
    out
}

/// The reference code right after one of `leads`: digits, letters, dots and dashes, with HTML
/// number entities (`&#46;`) decoded.
pub(crate) fn reference_after(lower: &str, body: &str, leads: &[&str]) -> Option<String> {
    let (pos, len) = leads
        .iter()
        .find_map(|l| lower.find(l).map(|p| (p, l.len())))?;
    let start = pos + len;
    let mut end = (start + 120).min(body.len());
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let raw = body.get(start..end)?;
    let decoded = decode_number_entities(raw);
    let reference: String = decoded
        .trim_start_matches([' ', ':', '#'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(60)
        .collect();
    (reference.len() >= 3).then_some(reference)
}

/// Decodes `&#46;`-style numeric entities (Akamai writes its reference numbers that way).
fn decode_number_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("&#") {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let after = rest.get(pos + 2..).unwrap_or_default();
        let digits_end = after.find(';').filter(|e| *e <= 7);
        let decoded = digits_end
            .and_then(|e| after.get(..e))
            .and_then(|d| d.parse::<u32>().ok())
            .and_then(char::from_u32);
        if let (Some(c), Some(e)) = (decoded, digits_end) {
            out.push(c);
            rest = after.get(e + 1..).unwrap_or_default();
        } else {
            out.push_str("&#");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A `ModSecurity` rule id in the page (`[id "949110"]`, `rule id: 949110`).
fn modsecurity_rule_id(lower: &str) -> Option<String> {
    for lead in ["[id \"", "rule id: ", "rule id ", "id: \""] {
        let Some(pos) = lower.find(lead) else {
            continue;
        };
        let digits: String = lower
            .get(pos + lead.len()..)
            .unwrap_or_default()
            .chars()
            .take_while(char::is_ascii_digit)
            .take(10)
            .collect();
        if digits.len() >= 3 {
            return Some(digits);
        }
    }
    None
}

fn security_plugin_finding(answered: &Answered, extras: &[(String, String)]) -> Finding {
    let name = answered.name;
    let folder = plugin_folder(name).unwrap_or("the-plugin-folder");
    let detail = format!(
        "The {} answer at {} was made by {name}, a WordPress security plugin, not by the sign-in: \
         \"{}\". The password was never checked. Security plugins block after too many failed \
         sign-ins, for blocked IP addresses or countries, or when a request looks suspicious.",
        answered.status, answered.url, answered.value
    );
    let mut steps = vec![
        format!(
            "In WordPress, go to Plugins → Installed Plugins → Deactivate {name}, then try \
             again. If that fixes it, re-enable the plugins one at a time to find the one that \
             blocks, and change its setting instead of leaving it off."
        ),
        format!(
            "If you are locked out of wp-admin: with FTP or your hosting file manager, rename \
             the folder wp-content/plugins/{folder} to {folder}-off. WordPress then switches \
             the plugin off. Rename it back once you are in."
        ),
    ];
    if name == WORDFENCE {
        steps.push(
            "In Wordfence, open Firewall → Blocking to remove the block on your IP address, and \
             Tools → Live Traffic to see why it was blocked. The block page can also send an \
             unlock email to the site's administrator address."
                .to_owned(),
        );
    } else {
        steps.push(format!(
            "In {name}'s settings, look for its list of blocked or locked-out IP addresses and \
             remove yours."
        ));
    }
    let mut finding = Finding::new(Code::SecurityPluginBlock, detail)
        .title(format!("{name} blocked the request"))
        .steps(steps)
        .evidence("Status", answered.status.to_string())
        .evidence(answered.label.clone(), answered.value.clone());
    for (label, value) in extras {
        finding = finding.evidence(label.clone(), value.clone());
    }
    finding
}

fn waf_steps(name: &str, rule_id: Option<&str>, panels: &[Detected]) -> Vec<String> {
    let rule = rule_id.map_or_else(String::new, |id| format!(" (rule {id})"));
    match name {
        CLOUDFLARE => vec![
            "In the Cloudflare dashboard, open the site, then Security → Events: find this \
             request by its Ray ID, time or your IP address and see which rule acted."
                .to_owned(),
            "Change that rule in Security → WAF (custom rules, managed rules, rate limiting), \
             or add a rule that allows your IP address or your app."
                .to_owned(),
            "If the page was a browser check (challenge), a browser passes it on its own; for \
             an app or script, add a custom rule with the Skip action for it."
                .to_owned(),
        ],
        SUCURI => vec![
            "In the Sucuri dashboard, open Firewall → Access Control and add your IP address to \
             the allow list (whitelist)."
                .to_owned(),
            "Sucuri's firewall reports (audit trails) show why this request was blocked; \
             relax that setting if real visitors are blocked."
                .to_owned(),
        ],
        AWS_WAF => vec![
            "In the AWS console, open WAF & Shield → Web ACLs, pick the web ACL attached to \
             this CloudFront distribution or load balancer, and look at Sampled requests to \
             find the rule that blocked."
                .to_owned(),
            "Change that rule, or add an allow rule for your IP address (an IP set) above it."
                .to_owned(),
        ],
        AKAMAI => vec![
            "Whoever manages Akamai for this site can look up the Reference number on the page \
             in Akamai Control Center (Web Security Analytics) and change the security \
             configuration that blocked it."
                .to_owned(),
            "If you do not manage Akamai yourself, send them the Reference number, the time \
             and your IP address."
                .to_owned(),
        ],
        IMPERVA => vec![
            "In the Imperva Cloud Security Console, open Security Events and search for the \
             incident ID shown on the page to see which rule blocked."
                .to_owned(),
            "Add an exception for that rule, or allow your IP address in the site's policy."
                .to_owned(),
        ],
        MODSECURITY => {
            let mut steps = Vec::new();
            if panels.iter().any(|p| p.name == CPANEL) {
                steps.push(format!(
                    "In cPanel, open Security → ModSecurity and switch it off for this domain \
                     to test; if that fixes it, switch it back on and ask your host to disable \
                     only the rule that blocks{rule}."
                ));
            }
            if panels.iter().any(|p| p.name == PLESK) {
                steps.push(format!(
                    "In Plesk, open the domain's Web Application Firewall settings and set it to \
                     Detection only to test, or switch off the rule that blocks{rule}."
                ));
            }
            steps.push(format!(
                "In your hosting panel, look for ModSecurity (sometimes called Web Application \
                 Firewall); the server's error log or ModSecurity audit log names the rule \
                 that blocked this request{rule}. Ask your host to disable that rule for your \
                 site."
            ));
            steps
        }
        IMUNIFY => vec![
            "In your hosting panel, open Imunify360 (or ask your host) and add your IP address \
             to its allow list (White List), or look up why it was blocked."
                .to_owned(),
        ],
        BITNINJA => vec![
            "Open the BitNinja dashboard (or ask your host) and add your IP address to the \
             allow list."
                .to_owned(),
        ],
        _ => vec![format!(
            "Open {name}'s settings or event log, find this request and change the rule that \
             blocked it."
        )],
    }
}

fn waf_finding(answered: &Answered, extras: &[(String, String)], panels: &[Detected]) -> Finding {
    let name = answered.name;
    let rule_id = extras
        .iter()
        .find(|(label, _)| label == "Rule id")
        .map(|(_, v)| v.as_str());
    let challenge = extras
        .iter()
        .any(|(label, value)| label == "CF-Mitigated" && value.eq_ignore_ascii_case("challenge"));
    let mut detail = format!(
        "The {} answer at {} was made by {name}, a firewall in front of the site, not by the \
         site itself: \"{}\". The site's own sign-in never saw the request, so no password can \
         help until {name} lets it through.",
        answered.status, answered.url, answered.value
    );
    if challenge {
        detail.push_str(
            " This was a browser check (a challenge page): a browser passes it on its own, but \
             apps and scripts cannot.",
        );
    }
    if name == AWS_WAF && answered.label == "Server" {
        detail.push_str(
            " AWS's load balancer answered itself; when it refuses a request this way it is \
             almost always AWS WAF (or a fixed-response rule on the load balancer).",
        );
    }
    let mut steps = waf_steps(name, rule_id, panels);
    steps.push(
        "If you do not run the site, send its owner the time, your IP address and any reference \
         number shown on the block page."
            .to_owned(),
    );
    let mut finding = Finding::new(Code::WafBlock, detail)
        .title(format!(
            "{name} blocked the request before it reached the site"
        ))
        .steps(steps)
        .evidence("Status", answered.status.to_string())
        .evidence(answered.label.clone(), answered.value.clone());
    for (label, value) in extras {
        finding = finding.evidence(label.clone(), value.clone());
    }
    finding
}

fn cdn_finding(cdns: &[Detected], exchanges: &[Exchange]) -> Finding {
    let names = cdns
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut detail = format!(
        "Answers pass through {names}. A CDN answers from its own servers and only asks the \
         site when it must, so a 401 may be a copy kept by the CDN or an answer of its own."
    );
    let cached_401 = exchanges.iter().filter(|e| e.status == 401).find_map(|e| {
        ["cf-cache-status", "x-cache", "cdn-cache", "x-cache-status"]
            .iter()
            .find_map(|h| {
                e.header(h)
                    .filter(|v| v.to_ascii_lowercase().contains("hit"))
                    .map(|v| (*h, v.to_owned()))
            })
    });
    let mut finding = Finding::new(Code::CdnInFront, String::new());
    if let Some((header, value)) = &cached_401 {
        let _ = write!(
            detail,
            " The 401 answer here came from the CDN's cache ({header}: {value}): even after the \
             sign-in is fixed, visitors may keep getting this stored copy."
        );
        finding = finding
            .first_step("Purge this address from the CDN's cache, then check again.")
            .evidence(header.to_owned(), value.clone());
    }
    finding.detail = detail;
    for cdn in cdns {
        for (label, value) in cdn.evidence.iter().take(2) {
            finding = finding.evidence(format!("{} ({label})", cdn.name), value.clone());
        }
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::finding::Severity;
    use crate::engine::probe::Header;
    use crate::engine::text::MAX_SCAN_BYTES;

    fn answer(url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange::for_test(url, status, headers, body)
    }

    fn site(status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
        answer("https://example.com/members/", status, headers, body)
    }

    fn codes(fp: &Fingerprint) -> Vec<Code> {
        fp.findings.iter().map(|f| f.code).collect()
    }

    fn names(list: &[Detected]) -> Vec<&str> {
        list.iter().map(|d| d.name.as_str()).collect()
    }

    #[test]
    fn harmless_probes_are_three_plain_paths() {
        assert_eq!(
            harmless_probe_paths(),
            &["/wp-json/", "/wp-login.php", "/robots.txt"]
        );
    }

    #[test]
    fn server_software_is_read_from_the_server_header() {
        for (value, name) in [
            ("Apache/2.4.57 (Debian)", "Apache"),
            ("nginx/1.24.0", "nginx"),
            (
                "Microsoft-IIS/10.0",
                "IIS (Microsoft Internet Information Services)",
            ),
            ("LiteSpeed", "LiteSpeed"),
            ("Caddy", "Caddy"),
            ("openresty/1.21.4.1", "OpenResty (nginx)"),
            ("Apache-Coyote/1.1", "Apache Tomcat"),
        ] {
            let fp = fingerprint(&[site(401, &[("server", value)], "")], &[]);
            let server = fp.server.unwrap_or_default();
            assert_eq!(server.name, name, "{value}");
            assert_eq!(
                server.evidence,
                vec![("Server".to_owned(), value.to_owned())]
            );
        }
    }

    #[test]
    fn a_cdn_server_header_does_not_count_as_the_sites_server() {
        let fp = fingerprint(
            &[site(
                401,
                &[("server", "cloudflare"), ("cf-ray", "8a1b2c3d4e5f-FRA")],
                "",
            )],
            &[],
        );
        assert!(fp.server.is_none());
        assert_eq!(names(&fp.cdns), vec!["Cloudflare"]);
        assert_eq!(names(&fp.protections), vec!["Cloudflare"]);
        assert_eq!(codes(&fp), vec![Code::CdnInFront]);
    }

    #[test]
    fn server_error_pages_reveal_the_server() {
        let body = "<html><body><h1>Unauthorized</h1><hr><address>Apache/2.4.41 (Ubuntu) Server \
                    at example.com Port 443</address></body></html>";
        let fp = fingerprint(&[site(401, &[], body)], &[]);
        assert_eq!(fp.server.map(|s| s.name), Some("Apache".to_owned()));
        let body = "<hr><center>nginx/1.18.0 (Ubuntu)</center>";
        let fp = fingerprint(&[site(401, &[], body)], &[]);
        assert_eq!(fp.server.map(|s| s.name), Some("nginx".to_owned()));
        let fp = fingerprint(&[site(401, &[("x-litespeed-cache", "miss")], "")], &[]);
        assert_eq!(fp.server.map(|s| s.name), Some("LiteSpeed".to_owned()));
    }

    #[test]
    fn wordpress_is_recognised_from_its_link_header_and_pingback() {
        let fp = fingerprint(
            &[site(
                401,
                &[
                    (
                        "link",
                        "<https://example.com/wp-json/>; rel=\"https://api.w.org/\"",
                    ),
                    ("x-pingback", "https://example.com/xmlrpc.php"),
                ],
                "",
            )],
            &[],
        );
        let cms = fp.cms.clone().unwrap_or_default();
        assert_eq!(cms.name, "WordPress");
        assert!(cms.evidence.iter().any(|(l, _)| l == "X-Pingback"));
        assert_eq!(codes(&fp), vec![Code::WordpressDetected]);
        assert_eq!(fp.findings[0].severity, Severity::Info);
    }

    #[test]
    fn rest_not_logged_in_gets_application_password_advice() {
        let body = r#"{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}"#;
        let fp = fingerprint(
            &[answer(
                "https://example.com/wp-json/wp/v2/users/me",
                401,
                &[],
                body,
            )],
            &[],
        );
        let f = &fp.findings[0];
        assert_eq!(f.code, Code::WordpressDetected);
        assert!(f.detail.contains("rest_not_logged_in"), "{}", f.detail);
        assert!(
            f.next_steps[0].contains("Application Passwords"),
            "{:?}",
            f.next_steps
        );
        assert!(f.evidence.iter().any(|e| e.value == "rest_not_logged_in"));
    }

    #[test]
    fn rest_not_logged_in_after_sending_a_password_points_at_a_dropped_header() {
        let body = r#"{"code":"rest_not_logged_in","message":"x","data":{"status":401}}"#;
        let mut a = answer("https://example.com/wp-json/wp/v2/posts", 401, &[], body);
        a.request_headers.push(Header {
            name: "authorization".to_owned(),
            value: "(redacted)".to_owned(),
        });
        let fp = fingerprint(&[a], &[]);
        let f = &fp.findings[0];
        assert!(
            f.detail.contains("dropped the Authorization header"),
            "{}",
            f.detail
        );
        assert!(
            f.next_steps[0].contains("SetEnvIf Authorization"),
            "{:?}",
            f.next_steps
        );
    }

    #[test]
    fn other_rest_codes_get_their_own_advice() {
        for (code, words) in [
            ("rest_cookie_invalid_nonce", "nonce"),
            ("rest_forbidden", "role"),
            ("rest_cannot_edit", "role"),
            ("rest_cannot_access", "only lets signed-in users"),
        ] {
            let body = format!(r#"{{"code":"{code}","message":"m","data":{{"status":401}}}}"#);
            let fp = fingerprint(
                &[answer("https://example.com/wp-json/x", 401, &[], &body)],
                &[],
            );
            let f = fp
                .findings
                .iter()
                .find(|f| f.code == Code::WordpressDetected);
            assert!(f.is_some_and(|f| f.detail.contains(words)), "{code}");
        }
    }

    #[test]
    fn the_rest_index_tells_whether_application_passwords_are_offered() {
        let on = r#"{"name":"Site","namespaces":["oembed/1.0","wp/v2"],"authentication":{"application-passwords":{"endpoints":{"authorization":"https://example.com/wp-admin/authorize-application.php"}}}}"#;
        let off = r#"{"name":"Site","namespaces":["oembed/1.0","wp/v2"],"authentication":[]}"#;
        let fp = fingerprint(
            &[site(401, &[], "")],
            &[answer("https://example.com/wp-json/", 200, &[], on)],
        );
        assert!(
            fp.findings[0]
                .detail
                .contains("offers application passwords")
        );
        let fp = fingerprint(
            &[site(401, &[], "")],
            &[answer("https://example.com/wp-json/", 200, &[], off)],
        );
        assert!(
            fp.findings[0]
                .detail
                .contains("does not offer application passwords")
        );
    }

    #[test]
    fn harmless_probe_answers_reveal_wordpress() {
        let login = "<form name=\"loginform\" id=\"loginform\" action=\"https://example.com/wp-login.php\" \
                     method=\"post\"><input type=\"text\" name=\"log\" id=\"user_login\">";
        let robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n";
        let fp = fingerprint(
            &[site(401, &[("server", "nginx")], "")],
            &[
                answer("https://example.com/wp-login.php", 200, &[], login),
                answer("https://example.com/robots.txt", 200, &[], robots),
            ],
        );
        assert_eq!(fp.cms.map(|c| c.name), Some("WordPress".to_owned()));
        assert_eq!(fp.server.map(|s| s.name), Some("nginx".to_owned()));
    }

    #[test]
    fn a_plain_site_has_no_cms_and_no_findings() {
        let fp = fingerprint(
            &[site(
                401,
                &[
                    ("server", "Apache"),
                    ("www-authenticate", "Basic realm=\"x\""),
                ],
                "<h1>401</h1>",
            )],
            &[answer(
                "https://example.com/wp-json/",
                404,
                &[],
                "<h1>Not Found</h1>",
            )],
        );
        assert!(fp.cms.is_none());
        assert!(fp.findings.is_empty());
    }

    #[test]
    fn a_wordfence_block_page_is_a_security_plugin_block_with_exact_steps() {
        let body = "<h1>Your access to this site has been limited by the site owner</h1> ... \
                    <p>Generated by Wordfence at Sun, 23 Nov 2025 6:00:00 GMT.</p>";
        let fp = fingerprint(&[site(403, &[("server", "Apache")], body)], &[]);
        assert_eq!(names(&fp.protections), vec!["Wordfence"]);
        let f = fp
            .findings
            .iter()
            .find(|f| f.code == Code::SecurityPluginBlock);
        let Some(f) = f else {
            panic!("no security-plugin-block: {:?}", codes(&fp));
        };
        assert_eq!(f.severity, Severity::Problem);
        assert!(f.next_steps[0].contains("Plugins → Installed Plugins → Deactivate Wordfence"));
        assert!(f.next_steps[1].contains("wp-content/plugins/wordfence to wordfence-off"));
        assert!(f.next_steps[2].contains("Firewall → Blocking"));
        assert!(f.next_steps[2].contains("Live Traffic"));
    }

    #[test]
    fn wordfence_cookies_on_a_normal_page_are_presence_only() {
        let fp = fingerprint(
            &[site(
                200,
                &[("set-cookie", "wfwaf-authcookie-abc=SECRETVALUE; path=/")],
                "",
            )],
            &[],
        );
        assert_eq!(names(&fp.protections), vec!["Wordfence"]);
        assert!(fp.findings.is_empty());
        let json = serde_json::to_string(&fp).unwrap_or_default();
        assert!(!json.contains("SECRETVALUE"), "{json}");
    }

    #[test]
    fn solid_security_lockouts_name_its_folder() {
        let body = "<p>Error: You have been locked out due to too many invalid login attempts.</p>";
        let fp = fingerprint(&[site(403, &[], body)], &[]);
        let f = fp
            .findings
            .iter()
            .find(|f| f.code == Code::SecurityPluginBlock);
        assert!(
            f.is_some_and(|f| f.next_steps[1].contains("plugins/better-wp-security")),
            "{:?}",
            codes(&fp)
        );
    }

    #[test]
    fn cloudflare_1020_is_a_waf_block_with_the_ray_id() {
        let body = "<title>Access denied | example.com used Cloudflare to restrict access</title>\
                    <h1>Error 1020</h1> Access denied <span>Cloudflare Ray ID: 8a1b2c3d4e5f</span>";
        let fp = fingerprint(
            &[site(
                403,
                &[("server", "cloudflare"), ("cf-ray", "8a1b2c3d4e5f-FRA")],
                body,
            )],
            &[],
        );
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        let Some(f) = f else {
            panic!("no waf-block: {:?}", codes(&fp));
        };
        assert!(f.title.contains("Cloudflare"));
        assert!(f.next_steps[0].contains("Security → Events"));
        assert!(f.next_steps[1].contains("Security → WAF"));
        assert!(
            f.evidence
                .iter()
                .any(|e| e.label == "Ray ID" && e.value == "8a1b2c3d4e5f-FRA")
        );
        assert!(codes(&fp).contains(&Code::CdnInFront));
    }

    #[test]
    fn a_cloudflare_challenge_is_explained_as_a_browser_check() {
        let fp = fingerprint(
            &[site(
                403,
                &[
                    ("server", "cloudflare"),
                    ("cf-mitigated", "challenge"),
                    ("cf-ray", "1-X"),
                ],
                "<title>Just a moment...</title>",
            )],
            &[],
        );
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        assert!(f.is_some_and(|f| f.detail.contains("browser check")));
    }

    #[test]
    fn a_401_passed_through_cloudflare_is_not_a_block() {
        let fp = fingerprint(
            &[site(
                401,
                &[
                    ("server", "cloudflare"),
                    ("cf-ray", "1-X"),
                    ("www-authenticate", "Basic realm=\"a\""),
                ],
                "Unauthorized",
            )],
            &[],
        );
        assert!(!codes(&fp).contains(&Code::WafBlock));
    }

    #[test]
    fn sucuri_block_points_at_access_control() {
        let body = "<title>Sucuri WebSite Firewall - Access Denied</title>";
        let fp = fingerprint(
            &[site(
                403,
                &[("server", "Sucuri/Cloudproxy"), ("x-sucuri-id", "16014")],
                body,
            )],
            &[],
        );
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        assert!(f.is_some_and(|f| f.next_steps[0].contains("Firewall → Access Control")));
        assert_eq!(names(&fp.cdns), vec!["Sucuri"]);
    }

    #[test]
    fn akamai_reference_numbers_are_decoded() {
        let body = "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>\
                    You don't have permission to access this server.<P>\
                    Reference&#32;&#35;18&#46;2f1e3b17&#46;1700000000&#46;abcdef</BODY></HTML>";
        let fp = fingerprint(&[site(403, &[("server", "AkamaiGHost")], body)], &[]);
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        let Some(f) = f else {
            panic!("no waf-block: {:?}", codes(&fp));
        };
        assert!(
            f.evidence.iter().any(
                |e| e.label == "Akamai reference" && e.value == "18.2f1e3b17.1700000000.abcdef"
            ),
            "{:?}",
            f.evidence
        );
    }

    #[test]
    fn aws_waf_behind_cloudfront_is_recognised() {
        let body = "<H1>403 ERROR</H1><H2>The request could not be satisfied.</H2>Request blocked. \
                    We can't connect to the server for this app or website at this time. \
                    Generated by cloudfront (CloudFront)";
        let fp = fingerprint(
            &[site(
                403,
                &[
                    ("x-cache", "Error from cloudfront"),
                    ("x-amz-cf-id", "abc123=="),
                ],
                body,
            )],
            &[],
        );
        assert!(names(&fp.cdns).contains(&"Amazon CloudFront"));
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        assert!(
            f.is_some_and(|f| f.title.contains("AWS WAF") && f.next_steps[0].contains("Web ACLs"))
        );
    }

    #[test]
    fn cloudfront_passing_on_the_sites_401_is_only_a_cdn() {
        let fp = fingerprint(
            &[site(
                401,
                &[
                    ("x-cache", "Error from cloudfront"),
                    ("via", "1.1 abc.cloudfront.net (CloudFront)"),
                ],
                "",
            )],
            &[],
        );
        assert_eq!(codes(&fp), vec![Code::CdnInFront]);
    }

    #[test]
    fn imperva_is_recognised_from_headers_cookies_and_incident_ids() {
        let body = "<html>Request unsuccessful. Incapsula incident ID: 1234000560-78901</html>";
        let fp = fingerprint(
            &[site(
                403,
                &[
                    ("x-iinfo", "10-1234-0 0NNN"),
                    ("set-cookie", "incap_ses_123_456=abc; path=/"),
                ],
                body,
            )],
            &[],
        );
        let imperva = fp
            .protections
            .iter()
            .find(|d| d.name == "Imperva (Incapsula)");
        assert!(imperva.is_some_and(|d| {
            d.evidence
                .iter()
                .any(|(l, v)| l == "Set-Cookie name" && v == "incap_ses_123_456")
        }));
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        assert!(f.is_some_and(|f| f.evidence.iter().any(|e| e.value == "1234000560-78901")));
    }

    #[test]
    fn modsecurity_block_on_cpanel_gets_panel_steps_and_rule_id() {
        let body = "<h1>Not Acceptable!</h1><p>An appropriate representation of the requested \
                    resource could not be found on this server. This error was generated by \
                    Mod_Security.</p><!-- [id \"949110\"] -->";
        let fp = fingerprint(
            &[site(
                406,
                &[("server", "Apache"), ("set-cookie", "cpsession=x")],
                body,
            )],
            &[],
        );
        assert_eq!(names(&fp.panels), vec!["cPanel"]);
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        let Some(f) = f else {
            panic!("no waf-block: {:?}", codes(&fp));
        };
        assert!(f.next_steps[0].contains("cPanel, open Security → ModSecurity"));
        assert!(f.next_steps[0].contains("rule 949110"));
    }

    #[test]
    fn an_aws_load_balancer_only_counts_as_a_firewall_on_a_403() {
        let fp = fingerprint(&[site(503, &[("server", "awselb/2.0")], "")], &[]);
        assert!(fp.protections.is_empty() && fp.findings.is_empty());
        let fp = fingerprint(
            &[site(
                403,
                &[("server", "awselb/2.0")],
                "<h1>403 Forbidden</h1>",
            )],
            &[],
        );
        let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
        assert!(f.is_some_and(|f| f.detail.contains("load balancer")));
    }

    #[test]
    fn an_old_cloudflare_nginx_server_header_is_not_the_sites_server() {
        let fp = fingerprint(&[site(401, &[("server", "cloudflare-nginx")], "")], &[]);
        assert!(fp.server.is_none());
    }

    #[test]
    fn plesk_is_recognised_from_its_header() {
        let fp = fingerprint(&[site(401, &[("x-powered-by-plesk", "PleskLin")], "")], &[]);
        assert_eq!(names(&fp.panels), vec!["Plesk"]);
        assert!(fp.findings.is_empty());
    }

    #[test]
    fn cdns_are_listed_and_a_cached_401_is_called_out() {
        let fp = fingerprint(
            &[site(
                401,
                &[
                    ("x-served-by", "cache-fra-etou8220082-FRA"),
                    ("x-cache", "HIT"),
                    ("x-fastly-request-id", "abc"),
                ],
                "",
            )],
            &[],
        );
        let f = fp.findings.iter().find(|f| f.code == Code::CdnInFront);
        let Some(f) = f else {
            panic!("{:?}", codes(&fp));
        };
        assert!(f.detail.contains("Fastly"));
        assert!(f.detail.contains("came from the CDN's cache"));
        assert!(f.next_steps[0].contains("Purge"));
        for (headers, name) in [
            (vec![("server", "BunnyCDN-DE1-123")], "Bunny CDN"),
            (vec![("server", "keycdn-engine")], "KeyCDN"),
            (vec![("x-vercel-id", "fra1::abc")], "Vercel"),
        ] {
            let fp = fingerprint(&[site(401, &headers, "")], &[]);
            assert_eq!(names(&fp.cdns), vec![name]);
        }
    }

    #[test]
    fn words_inside_other_words_do_not_match() {
        // "aiowps" must not match inside another word, and bodies without signs stay quiet.
        let fp = fingerprint(&[site(403, &[], "xaiowps and nothing else")], &[]);
        assert!(fp.protections.is_empty());
    }

    #[test]
    fn fingerprints_serialize_and_deserialize() {
        let fp = fingerprint(
            &[site(
                403,
                &[("server", "cloudflare"), ("cf-ray", "1-X")],
                "error 1020",
            )],
            &[],
        );
        let json = serde_json::to_string(&fp).unwrap_or_default();
        let back: Fingerprint = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, fp);
    }

    #[test]
    fn entity_decoding_survives_broken_entities() {
        assert_eq!(
            decode_number_entities("a&#46;b&#x;c&#99999999;d&#"),
            "a.b&#x;c&#99999999;d&#"
        );
    }

    #[test]
    fn random_bytes_do_not_panic() {
        let mut seed: u32 = 11;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed
        };
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..400).map(|_| (next() >> 16) as u8).collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let with_signs = format!("{text}reference #{text}[id \"{text}incident id:{text}&#");
            let a = answer(
                &text,
                403,
                &[("server", &text), ("set-cookie", &text), ("cf-ray", &text)],
                &with_signs,
            );
            let both = std::slice::from_ref(&a);
            let _ = fingerprint(both, both);
        }
    }

    #[test]
    fn a_megabyte_body_is_handled_in_bounded_work() {
        // Counted work (the bytes scanned), not a clock: past the scan limit a larger body
        // costs nothing more, and below it the work grows with the body, not faster.
        let body = |n: usize| "wp-login.php ".repeat(8 * n) + &"é<".repeat(10 * n);
        let work_for = |text: &str| {
            let ((), units) = crate::engine::work::measure(|| {
                let _ = fingerprint(&[site(403, &[], text)], &[site(200, &[], text)]);
            });
            units
        };
        let megabyte = work_for(&body(10_000));
        let ten_megabytes = work_for(&body(100_000));
        assert_eq!(
            megabyte, ten_megabytes,
            "the scan stops at {MAX_SCAN_BYTES} bytes"
        );
        let small_bytes = body(100).len();
        let small = work_for(&body(100)) as f64 / small_bytes as f64;
        let limit = megabyte as f64 / MAX_SCAN_BYTES as f64;
        assert!(
            limit <= 2.0 * small,
            "{small:.1} units per byte, then {limit:.1}"
        );
    }
}
