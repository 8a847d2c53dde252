//! The RULES table: which headers, cookies and pages give away a CMS, a protection or a CDN, and how they are applied.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Cms,
    Protection,
    Cdn,
    Panel,
    /// A sign that a cache or CDN answered: only cache.rs reads these ([`shows_cache`]), to name
    /// the cache; the fingerprint leaves them out.
    Cache,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Sign {
    /// A header is present: name, name as shown.
    Header(&'static str, &'static str),
    /// A header's value contains this lowercase text: name, name as shown, text.
    HeaderHas(&'static str, &'static str, &'static str),
    /// A header's value is this lowercase text: name, name as shown, text.
    HeaderIs(&'static str, &'static str, &'static str),
    /// A header's value starts with this text (spaces before it skipped): name, name as shown,
    /// text.
    HeaderStarts(&'static str, &'static str, &'static str),
    /// A header's name starts with this lowercase text.
    HeaderNamed(&'static str),
    /// A cookie set by the site has a name starting with this (lowercase).
    Cookie(&'static str),
    /// The page contains this lowercase text.
    Body(&'static str),
    /// The page contains both texts.
    BodyBoth(&'static str, &'static str),
}

pub(super) struct Rule {
    pub(super) name: &'static str,
    pub(super) kinds: &'static [Kind],
    pub(super) sign: Sign,
    /// On a refusal (4xx, 501, 503) this sign shows the product made the answer itself.
    pub(super) answers: bool,
}

pub(super) const CMS: &[Kind] = &[Kind::Cms];
pub(super) const PROTECTION: &[Kind] = &[Kind::Protection];
pub(super) const CDN: &[Kind] = &[Kind::Cdn];
pub(super) const PROTECTION_AND_CDN: &[Kind] = &[Kind::Protection, Kind::Cdn];
pub(super) const PANEL: &[Kind] = &[Kind::Panel];
pub(super) const CACHE: &[Kind] = &[Kind::Cache];
pub(super) const CDN_CACHE: &[Kind] = &[Kind::Cdn, Kind::Cache];
pub(super) const PROTECTION_CDN_CACHE: &[Kind] = &[Kind::Protection, Kind::Cdn, Kind::Cache];

pub(super) const WORDPRESS: &str = "WordPress";
pub(super) const WORDFENCE: &str = "Wordfence";
pub(super) const SOLID: &str = "Solid Security (iThemes Security)";
pub(super) const AIOWPS: &str = "All In One WP Security";
pub(super) const LLAR: &str = "Limit Login Attempts Reloaded";
pub(super) const CERBER: &str = "WP Cerber";
pub(super) const SHIELD: &str = "Shield Security";
pub(super) const CLOUDFLARE: &str = "Cloudflare";
pub(super) const SUCURI: &str = "Sucuri";
pub(super) const AKAMAI: &str = "Akamai";
pub(super) const CLOUDFRONT: &str = "Amazon CloudFront";
pub(super) const AWS_WAF: &str = "AWS WAF";
pub(super) const IMPERVA: &str = "Imperva (Incapsula)";
pub(super) const MODSECURITY: &str = "ModSecurity";
pub(super) const IMUNIFY: &str = "Imunify360";
pub(super) const BITNINJA: &str = "BitNinja";
pub(super) const CPANEL: &str = "cPanel";
pub(super) const PLESK: &str = "Plesk";
pub(super) const DIRECTADMIN: &str = "DirectAdmin";

pub(super) const fn rule(
    name: &'static str,
    kinds: &'static [Kind],
    sign: Sign,
    answers: bool,
) -> Rule {
    Rule {
        name,
        kinds,
        sign,
        answers,
    }
}

#[rustfmt::skip]
pub(super) const RULES: &[Rule] = &[
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
    rule(CLOUDFLARE, PROTECTION_CDN_CACHE, Sign::Header("cf-ray", "CF-RAY"), false),
    rule(CLOUDFLARE, PROTECTION_CDN_CACHE, Sign::Header("cf-cache-status", "CF-Cache-Status"), false),
    rule(CLOUDFLARE, CACHE, Sign::HeaderIs("server", "Server", "cloudflare"), false),
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
    rule(SUCURI, PROTECTION_CDN_CACHE, Sign::Header("x-sucuri-id", "X-Sucuri-ID"), false),
    rule(SUCURI, PROTECTION_CDN_CACHE, Sign::Header("x-sucuri-cache", "X-Sucuri-Cache"), false),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::HeaderHas("server", "Server", "sucuri"), false),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Header("x-sucuri-block", "X-Sucuri-Block"), true),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Body("sucuri website firewall"), true),
    rule(SUCURI, PROTECTION_AND_CDN, Sign::Body("cloudproxy"), true),
    rule(AKAMAI, CDN, Sign::Header("akamai-grn", "Akamai-GRN"), false),
    rule(AKAMAI, CDN, Sign::Header("x-akamai-transformed", "X-Akamai-Transformed"), false),
    rule(AKAMAI, CDN, Sign::Header("x-akamai-request-id", "X-Akamai-Request-ID"), false),
    rule(AKAMAI, CDN, Sign::HeaderHas("server-timing", "Server-Timing", "ak_p"), false),
    rule(AKAMAI, PROTECTION_CDN_CACHE, Sign::HeaderHas("server", "Server", "akamaighost"), true),
    rule(AKAMAI, CACHE, Sign::Header("akamai-cache-status", "Akamai-Cache-Status"), false),
    rule(AKAMAI, CACHE, Sign::HeaderNamed("x-akamai-"), false),
    rule(AKAMAI, CACHE, Sign::HeaderHas("x-cache", "X-Cache", "akamai"), false),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::Body("errors.edgesuite.net"), true),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::BodyBoth("access denied", "reference&#32;&#35;"), true),
    rule(AKAMAI, PROTECTION_AND_CDN, Sign::BodyBoth("access denied", "reference #"), true),
    rule(CLOUDFRONT, CDN_CACHE, Sign::Header("x-amz-cf-id", "X-Amz-Cf-Id"), false),
    rule(CLOUDFRONT, CDN_CACHE, Sign::Header("x-amz-cf-pop", "X-Amz-Cf-Pop"), false),
    rule(CLOUDFRONT, CDN_CACHE, Sign::HeaderHas("via", "Via", "cloudfront"), false),
    rule(CLOUDFRONT, CDN_CACHE, Sign::HeaderHas("x-cache", "X-Cache", "cloudfront"), false),
    rule(CLOUDFRONT, CDN, Sign::HeaderHas("server", "Server", "cloudfront"), false),
    rule(AWS_WAF, PROTECTION, Sign::Header("x-amzn-waf-action", "X-Amzn-Waf-Action"), true),
    rule(AWS_WAF, PROTECTION, Sign::BodyBoth("request blocked", "cloudfront"), true),
    rule(AWS_WAF, PROTECTION, Sign::HeaderHas("server", "Server", "awselb"), true),
    rule(IMPERVA, PROTECTION_CDN_CACHE, Sign::Header("x-iinfo", "X-Iinfo"), false),
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
    rule("Fastly", CACHE, Sign::HeaderNamed("fastly-debug-"), false),
    rule("Fastly", CACHE, Sign::HeaderNamed("x-fastly-"), false),
    rule("Fastly", CACHE, Sign::HeaderStarts("x-served-by", "X-Served-By", "cache-"), false),
    rule("Bunny CDN", CDN_CACHE, Sign::HeaderHas("server", "Server", "bunnycdn"), false),
    rule("Bunny CDN", CACHE, Sign::Header("cdn-cache", "CDN-Cache"), false),
    rule("Bunny CDN", CDN, Sign::Header("cdn-pullzone", "CDN-PullZone"), false),
    rule("Bunny CDN", CDN, Sign::Header("cdn-requestid", "CDN-RequestId"), false),
    rule("KeyCDN", CDN, Sign::HeaderHas("server", "Server", "keycdn"), false),
    rule("KeyCDN", CDN, Sign::Header("x-edge-location", "X-Edge-Location"), false),
    rule("Vercel", CDN, Sign::Header("x-vercel-id", "X-Vercel-Id"), false),
    rule("Vercel", CDN, Sign::HeaderHas("server", "Server", "vercel"), false),
    rule("Vercel", CACHE, Sign::Header("x-vercel-cache", "X-Vercel-Cache"), false),
    rule("Netlify", CDN_CACHE, Sign::Header("x-nf-request-id", "X-NF-Request-ID"), false),
    rule("Netlify", CACHE, Sign::HeaderHas("cache-status", "Cache-Status", "netlify"), false),
    rule("Netlify", CDN, Sign::HeaderHas("server", "Server", "netlify"), false),
    rule("Azure Front Door", CDN_CACHE, Sign::Header("x-azure-ref", "X-Azure-Ref"), false),
    rule("CDN77", CDN, Sign::HeaderHas("server", "Server", "cdn77"), false),
    // Caches at the edge that only the cache report names.
    rule("Kinsta", CACHE, Sign::Header("x-kinsta-cache", "X-Kinsta-Cache"), false),
    rule("Hostinger CDN", CACHE, Sign::Header("x-hcdn-cache-status", "X-HCDN-Cache-Status"), false),
    rule("Google Cloud CDN", CACHE, Sign::HeaderHas("via", "Via", "google"), false),
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
pub(super) const SERVER_PRODUCTS: &[(&str, &str)] = &[
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
pub(super) const NOT_ORIGIN_SERVERS: &[&str] = &[
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
pub(super) const SERVER_PAGES: &[(&str, &str)] = &[
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
pub(super) struct Answered {
    pub(super) name: &'static str,
    pub(super) status: u16,
    pub(super) url: String,
    pub(super) label: String,
    pub(super) value: String,
}

#[derive(Default)]
pub(super) struct Collector {
    pub(super) found: Vec<(Kind, Detected)>,
    pub(super) answered: Vec<Answered>,
}

impl Collector {
    pub(super) fn add(&mut self, kind: Kind, name: &str, label: &str, value: &str) {
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

    pub(super) fn list(&self, kind: Kind) -> Vec<Detected> {
        self.found
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| d.clone())
            .collect()
    }
}

/// True for answers that refuse the request (where a firewall's own page shows it blocked).
pub(super) fn is_refusal(status: u16) -> bool {
    matches!(status, 400..=499 | 501 | 503)
}

/// The path of an address, for labels ("/wp-login.php").
pub(super) fn path_of(url: &str) -> String {
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

/// What a header sign found in `exchange`: the header as shown and its value; `None` for a sign
/// that is not a header's, or when the headers do not show it.
fn header_sign(exchange: &Exchange, sign: Sign) -> Option<(String, String)> {
    match sign {
        Sign::Header(name, shown) => exchange
            .header(name)
            .map(|v| (shown.to_owned(), shorten(v, 120))),
        Sign::HeaderHas(name, shown, needle) => exchange
            .headers_named(name)
            .find(|v| v.to_ascii_lowercase().contains(needle))
            .map(|v| (shown.to_owned(), shorten(v, 120))),
        Sign::HeaderIs(name, shown, text) => exchange
            .headers_named(name)
            .find(|v| v.to_ascii_lowercase() == text)
            .map(|v| (shown.to_owned(), shorten(v, 120))),
        Sign::HeaderStarts(name, shown, text) => exchange
            .headers_named(name)
            .find(|v| v.trim_start().starts_with(text))
            .map(|v| (shown.to_owned(), shorten(v, 120))),
        Sign::HeaderNamed(prefix) => exchange
            .headers
            .iter()
            .find(|h| h.name.to_ascii_lowercase().starts_with(prefix))
            .map(|h| (h.name.clone(), shorten(&h.value, 120))),
        Sign::Cookie(_) | Sign::Body(_) | Sign::BodyBoth(..) => None,
    }
}

/// True when the headers of `exchange` show that the cache or CDN `name` answered: one of the
/// [`RULES`] of that name marked [`Kind::Cache`] matches.
pub(crate) fn shows_cache(exchange: &Exchange, name: &str) -> bool {
    RULES
        .iter()
        .filter(|r| r.name == name && r.kinds.contains(&Kind::Cache))
        .any(|r| header_sign(exchange, r.sign).is_some())
}

pub(super) fn apply_rules(exchange: &Exchange, lower: &str, body: &str, collector: &mut Collector) {
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
            Sign::Header(..)
            | Sign::HeaderHas(..)
            | Sign::HeaderIs(..)
            | Sign::HeaderStarts(..)
            | Sign::HeaderNamed(_) => header_sign(exchange, rule.sign),
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
        for kind in rule.kinds.iter().filter(|k| **k != Kind::Cache) {
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

pub(super) fn pick_cms(candidates: Vec<Detected>) -> Option<Detected> {
    candidates
        .into_iter()
        .max_by_key(|d| (d.evidence.len(), d.name == WORDPRESS))
}

pub(super) fn server_software(exchange: &Exchange, lower: &str, body: &str) -> Option<Detected> {
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
