//! Caches between the user and the site: which cache or CDN answered (from its headers), whether a
//! 401 came out of a cache instead of the site, whether a page that needs a sign-in may be stored
//! for everyone, and a cache-busting re-test that proves it. Pure analysis of observed answers.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use url::Url;
use url::form_urlencoded::byte_serialize;

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::fingerprint;
use crate::engine::probe::{Exchange, Header};

/// The query parameter [`cache_busted_url`] adds so no cache can have the address stored.
pub const NOCACHE_PARAM: &str = "authdoctor_nocache";

/// Headers that say something about caching, in the order they are shown.
const CACHE_HEADERS: &[&str] = &[
    "cache-control",
    "expires",
    "age",
    "date",
    "etag",
    "last-modified",
    "vary",
    "pragma",
    "cdn-cache-control",
    "surrogate-control",
    "cache-status",
    "x-cache",
    "x-cache-status",
    "x-cache-hits",
    "x-cache-lookup",
    "cf-cache-status",
    "cf-ray",
    "x-served-by",
    "via",
    "x-proxy-cache",
    "x-varnish",
    "akamai-cache-status",
    "x-akamai-cache-status",
    "cdn-cache",
    "x-amz-cf-id",
    "x-amz-cf-pop",
    "x-vercel-cache",
    "x-nf-request-id",
    "x-litespeed-cache",
    "x-sucuri-cache",
    "x-kinsta-cache",
    "x-hcdn-cache-status",
    "x-fastcgi-cache",
    "x-nginx-cache",
    "x-drupal-cache",
    "x-azure-ref",
    "x-iinfo",
    "wp-super-cache",
];

/// Headers whose value says HIT or MISS.
const STATUS_HEADERS: &[&str] = &[
    "cf-cache-status",
    "x-cache",
    "x-cache-status",
    "x-proxy-cache",
    "akamai-cache-status",
    "x-akamai-cache-status",
    "cdn-cache",
    "x-vercel-cache",
    "x-litespeed-cache",
    "x-sucuri-cache",
    "x-kinsta-cache",
    "x-hcdn-cache-status",
    "x-fastcgi-cache",
    "x-nginx-cache",
    "x-drupal-cache",
];

/// What the cache headers of one answer say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheReport {
    /// The cache-relevant headers of the answer, in order.
    pub headers: Vec<Header>,
    /// The cache or CDN that the headers name ("Cloudflare", "Varnish"…), when they do.
    pub cache_name: Option<String>,
    /// The header that shows the answer came out of a cache (`X-Cache: HIT`, `Age: 300`).
    pub served_from_cache: Option<Header>,
    /// `cached-401`, `cacheable-private-page`, `browser-may-cache`.
    pub findings: Vec<Finding>,
}

/// The parts of `Cache-Control` that matter here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per Cache-Control directive, read as written"
)]
struct CacheControl {
    public: bool,
    private: bool,
    no_store: bool,
    no_cache: bool,
    max_age: Option<i64>,
    s_maxage: Option<i64>,
}

impl CacheControl {
    fn parse<'a>(values: impl Iterator<Item = &'a str>) -> CacheControl {
        let mut cc = CacheControl::default();
        for value in values {
            for directive in value.split(',') {
                let (name, arg) = match directive.split_once('=') {
                    Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
                    None => (directive.trim(), None),
                };
                let secs = arg.and_then(|a| a.parse::<i64>().ok());
                match name.to_ascii_lowercase().as_str() {
                    "public" => cc.public = true,
                    "private" => cc.private = true,
                    "no-store" => cc.no_store = true,
                    "no-cache" => cc.no_cache = true,
                    "max-age" => cc.max_age = secs.or(Some(0)),
                    "s-maxage" => cc.s_maxage = secs.or(Some(0)),
                    _ => {}
                }
            }
        }
        cc
    }

    /// Shared caches (CDNs, proxies) may keep a copy and reuse it without asking the site.
    fn shared_may_store(self) -> bool {
        !self.no_store
            && !self.private
            && (self.s_maxage.is_some_and(|s| s > 0)
                || (self.public && !self.no_cache)
                || (self.max_age.is_some_and(|s| s > 0) && !self.no_cache))
    }
}

/// True when the answer itself says a cache served it (a `HIT`).
#[must_use]
pub fn served_from_cache(exchange: &Exchange) -> bool {
    hit_proof(exchange).is_some()
}

/// True when the answer shows a cache on the way, or may be kept by one: then a re-test past the
/// cache can tell a stored 401 from the site's own.
#[must_use]
pub fn worth_busting(exchange: &Exchange) -> bool {
    let shows_cache = [
        "age",
        "x-cache",
        "cache-status",
        "x-cache-status",
        "x-proxy-cache",
        "via",
        "x-served-by",
        "cf-cache-status",
    ]
    .iter()
    .any(|name| has(exchange, name));
    shows_cache
        || cache_name(exchange).is_some()
        || hit_proof(exchange).is_some()
        || CacheControl::parse(exchange.headers_named("cache-control")).shared_may_store()
        || exchange.header("expires").is_some()
}

/// Reads an answer's cache headers. `needs_sign_in` says the page is one that needs a sign-in
/// (the site answered 401 without credentials), which makes shared caching a risk.
#[must_use]
pub fn analyze(exchange: &Exchange, needs_sign_in: bool) -> CacheReport {
    let cache_name = cache_name(exchange);
    let served_from_cache = hit_proof(exchange);
    let mut findings = Vec::new();
    if exchange.status == 401 {
        if let Some(proof) = &served_from_cache {
            findings.push(cached_401(exchange, cache_name.as_deref(), proof));
        }
    }
    let cc = CacheControl::parse(exchange.headers_named("cache-control"));
    if needs_sign_in {
        findings.extend(cacheable_private_page(exchange, cc));
    }
    if exchange.status == 401 {
        findings.extend(browser_may_cache(exchange, cc));
    }
    CacheReport {
        headers: relevant_headers(exchange, cache_name.is_some()),
        cache_name,
        served_from_cache,
        findings,
    }
}

fn relevant_headers(exchange: &Exchange, named: bool) -> Vec<Header> {
    exchange
        .headers
        .iter()
        .filter(|h| {
            let name = h.name.to_ascii_lowercase();
            CACHE_HEADERS.contains(&name.as_str())
                || name.starts_with("fastly-debug-")
                || name.starts_with("x-akamai-")
                || (named && name == "server" && server_names_cdn(&h.value))
        })
        .cloned()
        .collect()
}

fn server_names_cdn(server: &str) -> bool {
    let s = server.to_ascii_lowercase();
    [
        "cloudflare",
        "akamaighost",
        "bunnycdn",
        "varnish",
        "squid",
        "cloudfront",
        "sucuri",
    ]
    .iter()
    .any(|n| s.contains(n))
}

fn has(exchange: &Exchange, name: &str) -> bool {
    exchange.header(name).is_some()
}

fn any_value_contains(exchange: &Exchange, names: &[&str], needle: &str) -> bool {
    names.iter().any(|n| {
        exchange
            .headers_named(n)
            .any(|v| v.to_ascii_lowercase().contains(needle))
    })
}

/// The CDNs and hosts' edge caches that name themselves, in the order they are tried when the
/// headers show several; which headers show each is fingerprint's `RULES`.
const EDGE_CACHES: &[&str] = &[
    "Cloudflare",
    "Amazon CloudFront",
    "Akamai",
    "Fastly",
    "Vercel",
    "Netlify",
    "Bunny CDN",
    "Azure Front Door",
    "Imperva (Incapsula)",
    "Sucuri",
    "Kinsta",
    "Hostinger CDN",
];

/// Google's CDN shows itself only in `Via`, which local caches also write: it is tried after them.
const GOOGLE_CLOUD_CDN: &str = "Google Cloud CDN";

/// The cache or CDN the headers name, if any.
#[must_use]
pub fn cache_name(exchange: &Exchange) -> Option<String> {
    let server = exchange
        .header("server")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = if let Some(edge) = EDGE_CACHES
        .iter()
        .copied()
        .find(|name| fingerprint::shows_cache(exchange, name))
    {
        edge
    } else if has(exchange, "x-litespeed-cache") {
        "LiteSpeed Cache"
    } else if has(exchange, "x-varnish")
        || any_value_contains(exchange, &["via"], "varnish")
        || server.contains("varnish")
    {
        "Varnish"
    } else if any_value_contains(exchange, &["via"], "squid")
        || server.contains("squid")
        || has(exchange, "x-cache-lookup")
    {
        "Squid"
    } else if fingerprint::shows_cache(exchange, GOOGLE_CLOUD_CDN) {
        GOOGLE_CLOUD_CDN
    } else if has(exchange, "x-drupal-cache") {
        "Drupal page cache"
    } else if has(exchange, "wp-super-cache") {
        "WP Super Cache"
    } else if has(exchange, "x-proxy-cache")
        || has(exchange, "x-cache-status")
        || has(exchange, "x-fastcgi-cache")
        || has(exchange, "x-nginx-cache")
    {
        "nginx cache (proxy_cache / fastcgi_cache)"
    } else if has(exchange, "via") || has(exchange, "x-cache") || has(exchange, "cache-status") {
        return Some("a cache or proxy (its headers do not say which)".to_owned());
    } else {
        return None;
    };
    Some(name.to_owned())
}

/// True for a cache status word meaning "answered from the stored copy".
fn is_hit_word(word: &str) -> bool {
    let w = word.to_ascii_uppercase();
    w.ends_with("HIT") || matches!(w.as_str(), "STALE" | "REVALIDATED" | "UPDATING")
}

/// The header that shows the answer came out of a cache, if one does.
fn hit_proof(exchange: &Exchange) -> Option<Header> {
    let proof = |name: &str, value: &str| Header {
        name: name.to_owned(),
        value: value.to_owned(),
    };
    for name in STATUS_HEADERS {
        for value in exchange.headers_named(name) {
            let words = value.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            if words.filter(|w| !w.is_empty()).any(is_hit_word) {
                return Some(proof(name, value));
            }
        }
    }
    for value in exchange.headers_named("cache-status") {
        // RFC 9211: `Cache-Status: "Netlify Edge"; hit, origin; fwd=miss`.
        if value.split(',').any(|entry| {
            entry
                .split(';')
                .skip(1)
                .any(|p| p.trim().eq_ignore_ascii_case("hit"))
        }) {
            return Some(proof("cache-status", value));
        }
    }
    for value in exchange.headers_named("x-cache-hits") {
        if value
            .split(',')
            .any(|n| n.trim().parse::<u64>().is_ok_and(|n| n > 0))
        {
            return Some(proof("x-cache-hits", value));
        }
    }
    for value in exchange.headers_named("x-varnish") {
        // Two transaction ids: this request's and the one that stored the copy.
        if value.split_whitespace().count() >= 2 {
            return Some(proof("x-varnish", value));
        }
    }
    if let Some(age) = exchange.header("age") {
        if age.trim().parse::<u64>().is_ok_and(|a| a > 0) {
            return Some(proof("age", age));
        }
    }
    None
}

fn proof_words(proof: &Header) -> String {
    if proof.name == "age" {
        format!(
            "Age: {} means the answer had been stored for {} seconds before it reached you",
            proof.value,
            proof.value.trim()
        )
    } else if proof.name == "x-varnish" {
        format!(
            "X-Varnish: {} has two numbers, which means Varnish answered from its stored copy",
            proof.value
        )
    } else {
        format!(
            "{}: {} means the answer came from the cache's stored copy",
            display_name(&proof.name),
            proof.value
        )
    }
}

/// `x-cache-status` → `X-Cache-Status`, `cf-cache-status` → `CF-Cache-Status`.
fn display_name(name: &str) -> String {
    name.split('-')
        .map(|part| match part {
            "cf" | "cdn" | "nf" | "amz" | "wp" => part.to_ascii_uppercase(),
            _ => {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_ascii_uppercase().to_string() + chars.as_str()
                })
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// How to remove one address from the cache that `name` names.
fn purge_steps(name: Option<&str>, url: &str) -> Vec<String> {
    let path = Url::parse(url).map_or_else(|_| "/".to_owned(), |u| u.path().to_owned());
    let specific = match name {
        Some("Cloudflare") => Some(format!(
            "In the Cloudflare dashboard, open this site, then Caching > Configuration > Purge Cache > Custom Purge; choose URL, enter {url} and click Purge."
        )),
        Some("Fastly") => Some(format!(
            "In the Fastly control panel, open the service, click Purge > Purge URL, enter {url} and confirm."
        )),
        Some("Akamai") => Some(format!(
            "In Akamai Control Center, open Fast Purge, choose to purge by URL, enter {url} and purge it on the production network."
        )),
        Some("Amazon CloudFront") => Some(format!(
            "In the AWS console, open CloudFront > Distributions > this site's distribution > Invalidations > Create invalidation, enter the path {path} and create it."
        )),
        Some("Varnish") => Some("Purge the address from Varnish: use your hosting panel's 'Purge Varnish cache' button or Varnish plugin, or ask your host.".to_owned()),
        Some("LiteSpeed Cache") => Some("In WordPress, open LiteSpeed Cache > Toolbox > Purge and click Purge All (or use Purge All in the top admin bar).".to_owned()),
        Some("Vercel") => Some("In the Vercel dashboard, purge the project's CDN cache (Settings > Caches) or redeploy the project.".to_owned()),
        Some("Netlify") => Some("Trigger a new deploy in Netlify (Deploys > Trigger deploy); a deploy clears Netlify's cache.".to_owned()),
        Some("Kinsta") => Some("In MyKinsta, open the site, then Tools > Site cache > Clear cache.".to_owned()),
        Some("Sucuri") => Some("In the Sucuri dashboard, open Performance > Clear Cache and clear this address.".to_owned()),
        Some("Bunny CDN") => Some(format!("In the Bunny dashboard, open the pull zone > Purge > Purge URL and enter {url}.")),
        Some(n) if n.starts_with("nginx") => Some("Clear the server's nginx cache: your hosting panel's cache button (for WordPress, the Nginx Helper plugin's Purge Entire Cache), or ask your host.".to_owned()),
        _ => None,
    };
    let plugins =
        "WP Rocket > Clear cache, W3 Total Cache > Purge All Caches, LiteSpeed Cache > Purge All";
    let general = if specific.is_some() {
        format!(
            "Also clear the cache of your hosting panel or cache plugin, if you use one ({plugins})."
        )
    } else {
        format!(
            "Purge {url} in your CDN's control panel, or use your hosting panel's cache tool or cache plugin ({plugins})."
        )
    };
    let mut steps: Vec<String> = specific.into_iter().collect();
    steps.push(general);
    steps.push("Your browser is not at fault: clearing your own cookies or browser cache will not help here.".to_owned());
    steps
}

fn cached_401(exchange: &Exchange, name: Option<&str>, proof: &Header) -> Finding {
    let who = name.unwrap_or("A cache between you and the site");
    let mut steps = purge_steps(name, &exchange.url);
    steps.push("If you run the site, stop caches from keeping 401 answers: send 'Cache-Control: no-store' with them, or add a cache rule that bypasses the cache for pages that need a sign-in.".to_owned());
    let mut finding = Finding::new(
        Code::Cached401,
        format!(
            "{who} answered with a stored 401 instead of asking the site: {}. Everyone who opens this address gets the same old 401 until the copy is removed (purged).",
            proof_words(proof)
        ),
    )
    .steps(steps)
    .evidence(display_name(&proof.name), proof.value.clone())
    .evidence("Status", exchange.status.to_string());
    if let Some(n) = name {
        finding = finding.evidence("Cache", n.to_owned());
    }
    finding
}

fn has_private_vary(exchange: &Exchange) -> bool {
    exchange.headers_named("vary").any(|v| {
        v.split(',').any(|f| {
            let f = f.trim();
            f == "*" || f.eq_ignore_ascii_case("authorization") || f.eq_ignore_ascii_case("cookie")
        })
    })
}

fn cacheable_private_page(exchange: &Exchange, cc: CacheControl) -> Option<Finding> {
    let cdn_cc = CacheControl::parse(
        exchange
            .headers_named("cdn-cache-control")
            .chain(exchange.headers_named("surrogate-control")),
    );
    let cdn_may_store =
        cdn_cc.max_age.is_some_and(|s| s > 0) && !cdn_cc.no_store && !cdn_cc.private;
    if !(cc.shared_may_store() || cdn_may_store) || has_private_vary(exchange) {
        return None;
    }
    let why = if cc.public {
        "it is marked public"
    } else if cc.s_maxage.is_some_and(|s| s > 0) {
        "it has s-maxage, which is meant for shared caches"
    } else if cdn_may_store {
        "its CDN-Cache-Control or Surrogate-Control lets the CDN keep it"
    } else {
        "it has max-age without private or no-store"
    };
    let mut finding = Finding::new(
        Code::CacheablePrivatePage,
        format!(
            "This page needs a sign-in, yet its answer ({}) may be stored by shared caches and CDNs: {why}, and it has no 'Vary: Authorization' or 'Vary: Cookie'. A CDN could give one visitor's page, or a 401, to everyone.",
            exchange.status
        ),
    );
    for name in [
        "cache-control",
        "cdn-cache-control",
        "surrogate-control",
        "vary",
    ] {
        for value in exchange.headers_named(name) {
            finding = finding.evidence(display_name(name), value.to_owned());
        }
    }
    Some(finding)
}

fn browser_may_cache(exchange: &Exchange, cc: CacheControl) -> Option<Finding> {
    if cc.no_store || cc.no_cache {
        return None;
    }
    let by_max_age = cc.max_age.filter(|s| *s > 0);
    let by_expires = if cc.max_age.is_none() {
        expires_after_date(exchange)
    } else {
        None
    };
    let secs = by_max_age.or(by_expires)?;
    let mut finding = Finding::new(
        Code::BrowserMayCache,
        format!(
            "The 401 answer says it may be kept for {secs} seconds and does not say no-store, so a browser can show this 401 again from its own cache without asking the site, even after the problem is fixed."
        ),
    )
    .severity(Severity::Info);
    for name in ["cache-control", "expires", "date"] {
        for value in exchange.headers_named(name) {
            finding = finding.evidence(display_name(name), value.to_owned());
        }
    }
    Some(finding)
}

/// Seconds between `Date` and `Expires`, when `Expires` is later (the answer's own clock, so no
/// local clock is needed).
fn expires_after_date(exchange: &Exchange) -> Option<i64> {
    let expires = httpdate::parse_http_date(exchange.header("expires")?.trim()).ok()?;
    let date = httpdate::parse_http_date(exchange.header("date")?.trim()).ok()?;
    let secs = i64::try_from(expires.duration_since(date).ok()?.as_secs()).ok()?;
    (secs > 0).then_some(secs)
}

/// The request headers of a cache-busting re-test: ask every cache to check with the site.
#[must_use]
pub fn cache_busting_headers() -> Vec<(String, String)> {
    vec![
        ("Cache-Control".to_owned(), "no-cache".to_owned()),
        ("Pragma".to_owned(), "no-cache".to_owned()),
    ]
}

/// `url` with `authdoctor_nocache=NONCE` added (replacing an earlier one), so no cache can have it
/// stored. The rest of the query is kept byte for byte.
#[must_use]
pub fn cache_busted_url(url: &Url, nonce: &str) -> Url {
    let prefix = format!("{NOCACHE_PARAM}=");
    let mut parts: Vec<String> = url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with(&prefix) && *p != NOCACHE_PARAM)
        .map(str::to_owned)
        .collect();
    parts.push(format!(
        "{prefix}{}",
        byte_serialize(nonce.as_bytes()).collect::<String>()
    ));
    let mut busted = url.clone();
    busted.set_query(Some(&parts.join("&")));
    busted
}

/// A nonce for [`cache_busted_url`] from a clock reading: unique enough for one check.
#[must_use]
pub fn nonce_from(time: SystemTime) -> String {
    time.duration_since(SystemTime::UNIX_EPOCH).map_or_else(
        |_| "0".to_owned(),
        |d| format!("{}{:09}", d.as_secs(), d.subsec_nanos()),
    )
}

/// Compares a normal answer with one fetched with caches bypassed ([`cache_busting_headers`],
/// [`cache_busted_url`]). A 401 that turns into another status when the cache is bypassed is a
/// `cached-401`; a page that turns into a 401 is a `cacheable-private-page` handed out by a cache.
#[must_use]
pub fn compare_busted(normal: &Exchange, busted: &Exchange) -> Option<Finding> {
    if normal.status == busted.status {
        return None;
    }
    let name = cache_name(normal).or_else(|| cache_name(busted));
    let who = name
        .clone()
        .unwrap_or_else(|| "a cache between you and the site".to_owned());
    let mut finding = if normal.status == 401 {
        let mut steps = purge_steps(name.as_deref(), &normal.url);
        steps.push("If you run the site, send 'Cache-Control: no-store' with 401 answers so no cache keeps them.".to_owned());
        Finding::new(
            Code::Cached401,
            format!(
                "The normal request got 401, but the same request with caches bypassed got {}. So the site itself no longer answers 401 here, and {who} is handing out a stored 401.",
                busted.status
            ),
        )
        .steps(steps)
    } else if busted.status == 401 {
        Finding::new(
            Code::CacheablePrivatePage,
            format!(
                "The normal request got {} from {who}, but the site itself answers 401 when the cache is bypassed: the cache gives out a stored copy of a page that needs a sign-in.",
                normal.status
            ),
        )
        .severity(Severity::Problem)
        .steps(purge_steps(name.as_deref(), &normal.url))
    } else {
        return None;
    };
    finding = finding
        .evidence("Status of the normal request", normal.status.to_string())
        .evidence("Status with caches bypassed", busted.status.to_string());
    if let Some(proof) = hit_proof(normal) {
        finding = finding.evidence(display_name(&proof.name), proof.value);
    }
    if let Some(n) = name {
        finding = finding.evidence("Cache", n);
    }
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(status: u16, headers: &[(&str, &str)]) -> Exchange {
        Exchange::for_test("https://www.example.com/wp-admin/", status, headers, "")
    }

    fn codes(report: &CacheReport) -> Vec<Code> {
        report.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn each_cdn_is_named_from_its_headers() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("cf-cache-status", "HIT"), ("cf-ray", "8a1-AMS")],
                "Cloudflare",
            ),
            (&[("server", "cloudflare")], "Cloudflare"),
            (
                &[
                    ("x-cache", "Hit from cloudfront"),
                    ("x-amz-cf-pop", "FRA56-C1"),
                ],
                "Amazon CloudFront",
            ),
            (
                &[("via", "1.1 abc.cloudfront.net (CloudFront)")],
                "Amazon CloudFront",
            ),
            (&[("akamai-cache-status", "Hit from child")], "Akamai"),
            (
                &[(
                    "x-cache",
                    "TCP_HIT from a23-1-2-3.deploy.akamaitechnologies.com (AkamaiGHost/11)",
                )],
                "Akamai",
            ),
            (
                &[
                    ("x-served-by", "cache-ams21080-AMS"),
                    ("x-cache", "MISS, HIT"),
                    ("x-cache-hits", "0, 3"),
                ],
                "Fastly",
            ),
            (&[("fastly-debug-digest", "abc")], "Fastly"),
            (
                &[
                    ("x-varnish", "32773 32770"),
                    ("via", "1.1 varnish (Varnish/7.1)"),
                ],
                "Varnish",
            ),
            (
                &[
                    ("via", "1.1 proxy.example.net (squid/5.7)"),
                    ("x-cache", "HIT from proxy.example.net"),
                ],
                "Squid",
            ),
            (
                &[("x-proxy-cache", "HIT")],
                "nginx cache (proxy_cache / fastcgi_cache)",
            ),
            (
                &[("x-cache-status", "MISS")],
                "nginx cache (proxy_cache / fastcgi_cache)",
            ),
            (&[("x-vercel-cache", "HIT")], "Vercel"),
            (&[("cache-status", "\"Netlify Edge\"; hit")], "Netlify"),
            (
                &[("cdn-cache", "HIT"), ("server", "BunnyCDN-DE1-1000")],
                "Bunny CDN",
            ),
            (&[("x-litespeed-cache", "hit")], "LiteSpeed Cache"),
            (&[("x-sucuri-cache", "HIT")], "Sucuri"),
            (&[("x-kinsta-cache", "HIT")], "Kinsta"),
            (&[("x-azure-ref", "0abc")], "Azure Front Door"),
            (&[("via", "1.1 google")], "Google Cloud CDN"),
            (&[("cf-ray", "8a1-AMS")], "Cloudflare"),
            (&[("x-amz-cf-id", "abc==")], "Amazon CloudFront"),
            (&[("x-akamai-staging", "ESSL")], "Akamai"),
            (&[("x-fastly-request-id", "abc")], "Fastly"),
            (&[("cdn-cache", "MISS")], "Bunny CDN"),
            (&[("x-iinfo", "10-123-0 0CNN RT(1)")], "Imperva (Incapsula)"),
            (&[("x-sucuri-id", "11005")], "Sucuri"),
            (&[("x-hcdn-cache-status", "HIT")], "Hostinger CDN"),
            (&[("x-nf-request-id", "01H")], "Netlify"),
            (
                &[("via", "1.1 varnish"), ("cf-cache-status", "HIT")],
                "Cloudflare",
            ),
            (&[("via", "1.1 varnish, 1.1 google")], "Varnish"),
            (
                &[("via", "1.1 someproxy")],
                "a cache or proxy (its headers do not say which)",
            ),
        ];
        for (headers, name) in cases {
            let ex = exchange(200, headers);
            assert_eq!(cache_name(&ex).as_deref(), Some(*name), "{headers:?}");
        }
        assert_eq!(cache_name(&exchange(200, &[("server", "nginx")])), None);
        // Only these headers name a cache: a CDN's other signs (its request ID, an older Server
        // value) leave the cache unnamed, as before the names came from fingerprint's RULES.
        for headers in [
            &[("server", "cloudflare-nginx")][..],
            &[("x-vercel-id", "fra1::abc")],
            &[("server", "CloudFront")],
            &[("cdn-pullzone", "123")],
            &[("x-served-by", "varnish-cache-1")],
        ] {
            assert_eq!(cache_name(&exchange(200, headers)), None, "{headers:?}");
        }
    }

    #[test]
    fn a_cloudflare_hit_on_a_401_is_a_cached_401_with_purge_steps() {
        let ex = exchange(
            401,
            &[
                ("cf-cache-status", "HIT"),
                ("age", "120"),
                ("server", "cloudflare"),
            ],
        );
        let report = analyze(&ex, true);
        assert_eq!(report.cache_name.as_deref(), Some("Cloudflare"));
        assert_eq!(codes(&report), [Code::Cached401]);
        let f = &report.findings[0];
        assert!(f.detail.contains("CF-Cache-Status: HIT"), "{}", f.detail);
        assert!(f.next_steps[0].contains("Caching > Configuration > Purge Cache > Custom Purge"));
        assert!(f.next_steps[0].contains("https://www.example.com/wp-admin/"));
        assert!(
            f.next_steps
                .iter()
                .any(|s| s.contains("browser is not at fault"))
        );
        assert!(report.headers.iter().any(|h| h.name == "server"));
    }

    #[test]
    fn an_age_above_zero_on_a_401_proves_a_stored_copy() {
        let ex = exchange(401, &[("age", "523"), ("via", "1.1 varnish")]);
        let report = analyze(&ex, false);
        assert_eq!(codes(&report), [Code::Cached401]);
        assert!(report.findings[0].detail.contains("stored for 523 seconds"));
        assert_eq!(
            report.served_from_cache.map(|h| h.name),
            Some("age".to_owned())
        );
    }

    #[test]
    fn a_cached_401_from_an_unnamed_cache_gets_the_general_purge_steps() {
        let report = analyze(&exchange(401, &[("age", "60")]), false);
        assert_eq!(report.cache_name, None);
        let f = &report.findings[0];
        assert!(f.detail.starts_with("A cache between you and the site"));
        assert!(f.next_steps[0].contains("CDN's control panel"));
    }

    #[test]
    fn hit_words_of_each_cache_are_recognised_and_misses_are_not() {
        for headers in [
            &[(
                "x-cache",
                "TCP_MEM_HIT from a1.deploy.akamaitechnologies.com",
            )][..],
            &[("x-cache", "RefreshHit from cloudfront")],
            &[("cf-cache-status", "STALE")],
            &[("cf-cache-status", "REVALIDATED")],
            &[("x-cache-hits", "0, 2")],
            &[("x-varnish", "101 99")],
            &[("cache-status", "ExampleCache; hit; ttl=30")],
            &[("x-proxy-cache", "HIT")],
        ] {
            assert!(hit_proof(&exchange(401, headers)).is_some(), "{headers:?}");
        }
        for headers in [
            &[("cf-cache-status", "DYNAMIC")][..],
            &[("cf-cache-status", "MISS")],
            &[("x-cache", "Miss from cloudfront")],
            &[("x-cache-hits", "0")],
            &[("x-varnish", "101")],
            &[("age", "0")],
            &[("cache-status", "ExampleCache; fwd=uri-miss")],
        ] {
            assert!(hit_proof(&exchange(401, headers)).is_none(), "{headers:?}");
        }
    }

    #[test]
    fn a_public_page_that_needs_sign_in_without_vary_is_cacheable_by_shared_caches() {
        let ex = exchange(200, &[("cache-control", "public, max-age=600")]);
        assert_eq!(codes(&analyze(&ex, true)), [Code::CacheablePrivatePage]);
        assert!(analyze(&ex, false).findings.is_empty());
        for safe in [
            &[("cache-control", "private, max-age=600")][..],
            &[("cache-control", "no-store")],
            &[
                ("cache-control", "public, max-age=600"),
                ("vary", "Accept-Encoding, Cookie"),
            ],
            &[("cache-control", "max-age=600"), ("vary", "authorization")],
            &[("cache-control", "max-age=0")],
            &[],
        ] {
            assert!(
                analyze(&exchange(200, safe), true).findings.is_empty(),
                "{safe:?}"
            );
        }
        let s_maxage = exchange(200, &[("cache-control", "s-maxage=60")]);
        assert!(
            analyze(&s_maxage, true).findings[0]
                .detail
                .contains("s-maxage")
        );
        let cdn = exchange(200, &[("cdn-cache-control", "max-age=60")]);
        assert_eq!(codes(&analyze(&cdn, true)), [Code::CacheablePrivatePage]);
    }

    #[test]
    fn a_401_with_max_age_or_a_future_expires_may_be_kept_by_the_browser() {
        let ex = exchange(401, &[("cache-control", "private, max-age=3600")]);
        assert_eq!(codes(&analyze(&ex, false)), [Code::BrowserMayCache]);
        let ex = exchange(
            401,
            &[
                ("date", "Wed, 01 Jan 2025 00:00:00 GMT"),
                ("expires", "Wed, 01 Jan 2025 01:00:00 GMT"),
            ],
        );
        let report = analyze(&ex, false);
        assert_eq!(codes(&report), [Code::BrowserMayCache]);
        assert!(report.findings[0].detail.contains("3600 seconds"));
        for safe in [
            &[("cache-control", "no-store, max-age=3600")][..],
            &[("cache-control", "no-cache")],
            &[("date", "Wed, 01 Jan 2025 00:00:00 GMT"), ("expires", "0")],
            &[
                ("date", "Wed, 01 Jan 2025 00:00:00 GMT"),
                ("expires", "Tue, 31 Dec 2024 00:00:00 GMT"),
            ],
        ] {
            assert!(
                analyze(&exchange(401, safe), false).findings.is_empty(),
                "{safe:?}"
            );
        }
        assert!(
            analyze(&exchange(200, &[("cache-control", "max-age=60")]), false)
                .findings
                .is_empty()
        );
    }

    #[test]
    fn only_cache_headers_are_kept_in_the_report() {
        let ex = exchange(
            401,
            &[
                ("content-type", "text/html"),
                ("cache-control", "no-store"),
                ("fastly-debug-path", "(D cache-ams)"),
                ("etag", "\"abc\""),
                ("server", "nginx"),
            ],
        );
        let names: Vec<String> = analyze(&ex, false)
            .headers
            .into_iter()
            .map(|h| h.name)
            .collect();
        assert_eq!(names, ["cache-control", "fastly-debug-path", "etag"]);
    }

    #[test]
    fn the_busted_url_adds_one_nonce_and_keeps_the_rest_of_the_query() {
        let url = Url::parse("https://example.com/p?a=1%20b&authdoctor_nocache=old#top")
            .unwrap_or_else(|e| panic!("{e}"));
        let busted = cache_busted_url(&url, "n 1");
        assert_eq!(
            busted.as_str(),
            "https://example.com/p?a=1%20b&authdoctor_nocache=n+1#top"
        );
        let plain = Url::parse("https://example.com/").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            cache_busted_url(&plain, "42").as_str(),
            "https://example.com/?authdoctor_nocache=42"
        );
        assert_eq!(
            cache_busting_headers(),
            [
                ("Cache-Control".to_owned(), "no-cache".to_owned()),
                ("Pragma".to_owned(), "no-cache".to_owned())
            ]
        );
        assert_ne!(nonce_from(SystemTime::now()), "");
    }

    #[test]
    fn a_401_that_goes_away_when_the_cache_is_bypassed_is_a_cached_401() {
        let normal = exchange(
            401,
            &[("x-cache", "HIT"), ("x-served-by", "cache-ams2108-AMS")],
        );
        let busted = exchange(200, &[("x-cache", "MISS")]);
        let f = compare_busted(&normal, &busted).unwrap_or_else(|| panic!("no finding"));
        assert_eq!(f.code, Code::Cached401);
        assert!(f.detail.contains("Fastly"));
        assert!(f.next_steps[0].contains("Purge URL"));
        assert!(
            f.evidence
                .iter()
                .any(|e| e.label == "X-Cache" && e.value == "HIT")
        );
    }

    #[test]
    fn a_page_that_turns_into_a_401_when_the_cache_is_bypassed_was_served_from_cache() {
        let normal = exchange(200, &[("cf-cache-status", "HIT")]);
        let busted = exchange(401, &[("cf-cache-status", "BYPASS")]);
        let f = compare_busted(&normal, &busted).unwrap_or_else(|| panic!("no finding"));
        assert_eq!(f.code, Code::CacheablePrivatePage);
        assert_eq!(f.severity, Severity::Problem);
        assert!(f.detail.contains("Cloudflare"));
    }

    #[test]
    fn the_same_status_or_an_unrelated_change_needs_no_finding() {
        let a = exchange(401, &[]);
        assert!(compare_busted(&a, &exchange(401, &[])).is_none());
        assert!(compare_busted(&exchange(200, &[]), &exchange(304, &[])).is_none());
    }

    #[test]
    fn header_names_are_shown_in_their_usual_case() {
        assert_eq!(display_name("cf-cache-status"), "CF-Cache-Status");
        assert_eq!(display_name("x-cache"), "X-Cache");
        assert_eq!(display_name("age"), "Age");
    }
}
