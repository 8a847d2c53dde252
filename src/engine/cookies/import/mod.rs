//! Reading cookies from what the user has: the kinds of text, the loader and the jar they fill.

use super::*;

pub(super) mod har;
mod header;
pub(super) mod json;
mod netscape;

use har::import_har;
use header::{import_cookie_header, import_set_cookie_lines, parse_set_cookie};
use json::{
    CookieFlags, EachElement, Field, array_element_lines, import_json_export, json_problem, obj_str,
};
use netscape::import_netscape;

use crate::engine::har::{RawEntry, RawRequest, RawResponse, raw_headers};

/// Which kind of text the cookies came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A `Cookie:` request header (`a=b; c=d`), as copied from the developer tools.
    CookieHeader,
    /// One or more `Set-Cookie:` response lines, with their attributes.
    SetCookie,
    /// A `cookies.txt` file (Netscape format, as written by curl, wget and browser extensions).
    NetscapeFile,
    /// A HAR file saved from the browser's developer tools (Network tab).
    Har,
    /// A JSON export from a cookie extension (Cookie-Editor, `EditThisCookie`) or a Playwright state.
    JsonExport,
    /// Nothing was given.
    Empty,
}

impl Format {
    /// The format's name in plain words.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Format::CookieHeader => "a Cookie header",
            Format::SetCookie => "Set-Cookie lines",
            Format::NetscapeFile => "a cookies.txt file",
            Format::Har => "a HAR file",
            Format::JsonExport => "a JSON cookie export",
            Format::Empty => "nothing",
        }
    }
}

/// When a cookie ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expiry {
    /// A session cookie: deleted when the browser closes.
    Session,
    /// An end date, as seconds since 1970-01-01 UTC.
    AtUnixSecs(i64),
    /// `Max-Age`: this many seconds after the site set it (the time it was set is unknown).
    MaxAgeSecs(i64),
    /// The source does not say (a copied `Cookie` header carries no dates).
    Unknown,
}

/// The `SameSite` setting of a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SameSite {
    /// Sent only when the request starts on the same site.
    Strict,
    /// Also sent when the user follows a link from another site.
    Lax,
    /// Sent everywhere (requires `Secure`).
    None,
}

impl SameSite {
    pub(super) fn parse(text: &str) -> Option<SameSite> {
        match text.trim().to_ascii_lowercase().as_str() {
            "strict" => Some(SameSite::Strict),
            "lax" => Some(SameSite::Lax),
            "none" | "no_restriction" => Some(SameSite::None),
            _ => None,
        }
    }

    /// The attribute value as written in `Set-Cookie`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// One imported cookie. Its value is a [`Secret`]; everything else may be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "the flags are the cookie's own attributes (Secure, HttpOnly, host-only)"
)]
pub struct ImportedCookie {
    /// The cookie's name.
    pub name: String,
    /// The cookie's value: never shown.
    pub value: Secret,
    /// The domain, lowercase, without a leading dot.
    pub domain: String,
    /// True when the cookie belongs to exactly `domain`; false when subdomains get it too.
    pub host_only: bool,
    /// The path the cookie belongs to.
    pub path: String,
    /// When it ends.
    pub expires: Expiry,
    /// Sent only over https.
    pub secure: bool,
    /// Hidden from the page's scripts.
    pub http_only: bool,
    /// Its `SameSite` setting, when it has one.
    pub same_site: Option<SameSite>,
    /// False for cookies read from a `Cookie` request header, which carries only names and values.
    pub attributes_known: bool,
    /// The line of the input it was read from (1-based).
    pub line: usize,
}

impl ImportedCookie {
    /// A cookie as a `Cookie` request header carries it: only a name and a value, so it counts as
    /// belonging to exactly `host` and its whole site, with nothing known of its end or flags.
    #[must_use]
    pub fn from_request_header(name: String, value: &str, host: &str, line: usize) -> Self {
        Self {
            name,
            value: Secret::new(value),
            domain: host.to_owned(),
            host_only: true,
            path: "/".to_owned(),
            expires: Expiry::Unknown,
            secure: false,
            http_only: false,
            same_site: None,
            attributes_known: false,
            line,
        }
    }
}

/// Something in the input that could not be read. Never contains a cookie value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The line of the input (1-based); 0 for the input as a whole.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

/// The result of [`import`]: the cookies for the site, and what could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The format that was recognised.
    pub format: Format,
    /// The cookies that belong to the checked site or a related name of it, in input order.
    pub cookies: Vec<ImportedCookie>,
    /// Lines or entries that could not be read; the rest were still loaded.
    pub problems: Vec<ImportProblem>,
    /// Cookies in the input for unrelated sites, left out.
    pub other_site_cookies: usize,
    /// True when the input had more than [`MAX_COOKIES`] cookies for the site.
    pub truncated: bool,
}

/// Reads cookies for `site` from any supported format, recognised from the content.
/// Never fails: unreadable lines and entries become [`ImportProblem`]s and the rest still load.
#[must_use]
pub fn import(text: &str, site: &Url) -> Import {
    let mut loader = Loader::new(site);
    let format = detect(text);
    if text.len() > MAX_IMPORT_BYTES {
        loader.problem(
            0,
            format!(
                "the input is {} MB; AuthDoctor reads at most {} MB, so nothing was read (export only this site's cookies)",
                text.len() / (1024 * 1024),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        );
        return loader.finish(format);
    }
    match format {
        Format::CookieHeader => import_cookie_header(text, &mut loader),
        Format::SetCookie => import_set_cookie_lines(text, &mut loader),
        Format::NetscapeFile => import_netscape(text, &mut loader),
        Format::Har => import_har(text, &mut loader),
        Format::JsonExport => import_json_export(text, &mut loader),
        Format::Empty => {}
    }
    if loader.jar.cookies.is_empty() && format != Format::Empty {
        let host = loader.site_host.clone();
        if loader.other_site_cookies > 0 {
            loader.problem(
                0,
                format!(
                    "the input has {} cookies, but none for {host}; export the cookies while this site is open",
                    loader.other_site_cookies
                ),
            );
        } else if loader.problems.is_empty() {
            loader.problem(0, format!("no cookies for {host} were found in the input"));
        }
    }
    loader.finish(format)
}

/// Recognises the format from the content alone.
pub(super) fn detect(text: &str) -> Format {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Format::Empty;
    }
    if trimmed.starts_with('{') {
        let head: String = trimmed.chars().take(4096).collect();
        if head.contains("\"log\"") || trimmed.contains("\"entries\"") {
            return Format::Har;
        }
        return Format::JsonExport;
    }
    if trimmed.starts_with('[') {
        return Format::JsonExport;
    }
    let lines: Vec<&str> = trimmed.lines().take(200).collect();
    if lines.iter().any(|l| {
        let l = l.trim_start();
        l.starts_with("# Netscape HTTP Cookie File")
            || l.starts_with("# HTTP Cookie File")
            || l.starts_with("#HttpOnly_")
            || l.split('\t').count() >= 6
    }) {
        return Format::NetscapeFile;
    }
    if lines.iter().any(|l| {
        strip_prefix_ignore_case(l.trim_start(), "set-cookie:").is_some()
            || has_cookie_attributes(l)
    }) {
        return Format::SetCookie;
    }
    Format::CookieHeader
}

/// True when a line has `; Path=`, `; Secure` and the like, which only `Set-Cookie` has.
pub(super) fn has_cookie_attributes(line: &str) -> bool {
    line.split(';').skip(1).any(|part| {
        let part = part.trim();
        let (name, has_value) = match part.split_once('=') {
            Some((n, _)) => (n.trim(), true),
            None => (part, false),
        };
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "path" | "domain" | "expires" | "max-age" | "samesite" => has_value,
            "secure" | "httponly" | "partitioned" => !has_value,
            _ => false,
        }
    })
}

pub(super) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Collects cookies for one site, enforcing the limits.
pub(super) struct Loader {
    pub(super) site: Url,
    pub(super) site_host: String,
    pub(super) jar: Jar,
    pub(super) problems: Vec<ImportProblem>,
    pub(super) dropped_problems: usize,
    pub(super) other_site_cookies: usize,
    pub(super) truncated: bool,
}

impl Loader {
    pub(super) fn new(site: &Url) -> Loader {
        Loader {
            site: site.clone(),
            site_host: site.host_str().unwrap_or_default().to_ascii_lowercase(),
            jar: Jar::default(),
            problems: Vec::new(),
            dropped_problems: 0,
            other_site_cookies: 0,
            truncated: false,
        }
    }

    pub(super) fn problem(&mut self, line: usize, message: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(ImportProblem {
                line,
                message: message.into(),
            });
        } else {
            self.dropped_problems += 1;
        }
    }

    /// Keeps a cookie when it belongs to the site or a related name of it.
    pub(super) fn push(&mut self, cookie: ImportedCookie) {
        if !related_to_site(&cookie.domain, &self.site_host) {
            self.other_site_cookies += 1;
            return;
        }
        self.push_unchecked(cookie);
    }

    /// Keeps a cookie without the relatedness test. Like a browser's store, a cookie with the same
    /// name, domain and path as an earlier one replaces it and keeps its place (its creation time).
    pub(super) fn push_unchecked(&mut self, cookie: ImportedCookie) {
        let line = cookie.line;
        if !self.jar.put(cookie) && !self.truncated {
            self.truncated = true;
            self.problem(
                line,
                format!("more than {MAX_COOKIES} cookies for this site; the rest were skipped"),
            );
        }
    }

    pub(super) fn finish(mut self, format: Format) -> Import {
        if self.dropped_problems > 0 {
            self.problems.push(ImportProblem {
                line: 0,
                message: format!("and {} more problems like these", self.dropped_problems),
            });
        }
        Import {
            format,
            cookies: self.jar.cookies,
            problems: self.problems,
            other_site_cookies: self.other_site_cookies,
            truncated: self.truncated,
        }
    }
}

/// What identifies a cookie in a browser's store: name, domain, host-only flag and path.
pub(super) type StoreKey = (String, String, bool, String);

pub(super) fn store_key(c: &ImportedCookie) -> StoreKey {
    (
        c.name.clone(),
        c.domain.clone(),
        c.host_only,
        c.path.clone(),
    )
}

/// Cookies in input order, where a cookie with attributes replaces an earlier one with the same
/// store key and keeps its place (as a browser keeps the creation time), at most [`MAX_COOKIES`].
#[derive(Default)]
pub(super) struct Jar {
    pub(super) cookies: Vec<ImportedCookie>,
    pub(super) index: HashMap<StoreKey, usize>,
}

impl Jar {
    /// The earlier cookie with the same store key.
    pub(super) fn same_as(&self, cookie: &ImportedCookie) -> Option<&ImportedCookie> {
        if !cookie.attributes_known {
            return None;
        }
        self.index
            .get(&store_key(cookie))
            .and_then(|i| self.cookies.get(*i))
    }

    /// Adds or replaces; false when the jar is full and the cookie was dropped.
    pub(super) fn put(&mut self, cookie: ImportedCookie) -> bool {
        if cookie.attributes_known {
            let key = store_key(&cookie);
            if let Some(old) = self.index.get(&key).and_then(|i| self.cookies.get_mut(*i)) {
                *old = cookie;
                return true;
            }
            if self.cookies.len() >= MAX_COOKIES {
                return false;
            }
            self.index.insert(key, self.cookies.len());
        } else if self.cookies.len() >= MAX_COOKIES {
            return false;
        }
        self.cookies.push(cookie);
        true
    }
}

/// A domain normalised as browsers store it: lowercase ASCII (punycode), no leading dot.
pub(super) fn normalize_domain(domain: &str) -> Option<String> {
    let trimmed = domain.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        return None;
    }
    match Host::parse(trimmed) {
        Ok(Host::Domain(d)) => Some(d.to_ascii_lowercase()),
        Ok(Host::Ipv4(ip)) => Some(ip.to_string()),
        Ok(Host::Ipv6(ip)) => Some(format!("[{ip}]")),
        Err(_) => None,
    }
}

/// Roughly the registrable part of a host name: `example.com`, `example.co.uk`.
pub(super) fn site_key(host: &str) -> &str {
    let labels: Vec<&str> = host.rsplitn(4, '.').collect();
    let Some(tld) = labels.first() else {
        return host;
    };
    let Some(second) = labels.get(1) else {
        return host;
    };
    let take = if tld.len() == 2 && second.len() <= 3 && labels.len() > 2 {
        3
    } else {
        2
    };
    let mut count = 0;
    for (i, c) in host.char_indices().rev() {
        if c == '.' {
            count += 1;
            if count == take {
                return host.get(i + 1..).unwrap_or(host);
            }
        }
    }
    host
}

/// True when a cookie for `domain` matters for the site: the same name, a parent or child of it,
/// or a sibling under the same registrable domain (`www.` versus no `www.`).
pub(super) fn related_to_site(domain: &str, site_host: &str) -> bool {
    if domain.eq_ignore_ascii_case(site_host) {
        return true;
    }
    let is_ip = |h: &str| h.parse::<std::net::IpAddr>().is_ok() || h.starts_with('[');
    if is_ip(domain) || is_ip(site_host) {
        return false;
    }
    site_key(domain).eq_ignore_ascii_case(site_key(site_host))
}
