//! The user's cookies for the checked site: import them from whatever the user has (a copied
//! `Cookie` header, `Set-Cookie` lines, a `cookies.txt` file, a HAR file, a browser-extension JSON
//! export), work out with `cookie_store`'s rules which ones the browser would send to the checked
//! address and why not, turn that into findings, and show how to clear this site's cookies only.
//!
//! Cookie values are secrets: they live in [`Secret`] and never reach a finding, a verdict, an
//! import problem or any `Debug` output.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cookie_store::{CookieDomain, CookieExpiration, CookiePath, RawCookie};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::{Host, Url};

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::secret::Secret;

/// The most cookies kept from one import; the rest are skipped with a problem noted.
pub const MAX_COOKIES: usize = 10_000;
/// The largest text [`import`] reads; callers should refuse bigger files before reading them.
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;
/// Browsers refuse a cookie whose name and value together are longer than this.
pub const MAX_COOKIE_BYTES: usize = 4096;
/// The most import problems listed one by one; more are counted in a last line.
pub const MAX_PROBLEMS: usize = 200;
/// The most cookies named one by one in a finding's evidence.
const MAX_EVIDENCE: usize = 12;

// ---------------------------------------------------------------------------------------------
// Imported cookies
// ---------------------------------------------------------------------------------------------

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
    fn parse(text: &str) -> Option<SameSite> {
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
fn detect(text: &str) -> Format {
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
fn has_cookie_attributes(line: &str) -> bool {
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

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Collects cookies for one site, enforcing the limits.
struct Loader {
    site: Url,
    site_host: String,
    jar: Jar,
    problems: Vec<ImportProblem>,
    dropped_problems: usize,
    other_site_cookies: usize,
    truncated: bool,
}

impl Loader {
    fn new(site: &Url) -> Loader {
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

    fn problem(&mut self, line: usize, message: impl Into<String>) {
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
    fn push(&mut self, cookie: ImportedCookie) {
        if !related_to_site(&cookie.domain, &self.site_host) {
            self.other_site_cookies += 1;
            return;
        }
        self.push_unchecked(cookie);
    }

    /// Keeps a cookie without the relatedness test. Like a browser's store, a cookie with the same
    /// name, domain and path as an earlier one replaces it and keeps its place (its creation time).
    fn push_unchecked(&mut self, cookie: ImportedCookie) {
        let line = cookie.line;
        if !self.jar.put(cookie) && !self.truncated {
            self.truncated = true;
            self.problem(
                line,
                format!("more than {MAX_COOKIES} cookies for this site; the rest were skipped"),
            );
        }
    }

    fn finish(mut self, format: Format) -> Import {
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
type StoreKey = (String, String, bool, String);

fn store_key(c: &ImportedCookie) -> StoreKey {
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
struct Jar {
    cookies: Vec<ImportedCookie>,
    index: HashMap<StoreKey, usize>,
}

impl Jar {
    /// The earlier cookie with the same store key.
    fn same_as(&self, cookie: &ImportedCookie) -> Option<&ImportedCookie> {
        if !cookie.attributes_known {
            return None;
        }
        self.index
            .get(&store_key(cookie))
            .and_then(|i| self.cookies.get(*i))
    }

    /// Adds or replaces; false when the jar is full and the cookie was dropped.
    fn put(&mut self, cookie: ImportedCookie) -> bool {
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
fn normalize_domain(domain: &str) -> Option<String> {
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
fn site_key(host: &str) -> &str {
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
fn related_to_site(domain: &str, site_host: &str) -> bool {
    if domain.eq_ignore_ascii_case(site_host) {
        return true;
    }
    let is_ip = |h: &str| h.parse::<std::net::IpAddr>().is_ok() || h.starts_with('[');
    if is_ip(domain) || is_ip(site_host) {
        return false;
    }
    site_key(domain).eq_ignore_ascii_case(site_key(site_host))
}

// --- Cookie header ------------------------------------------------------------------------------

fn import_cookie_header(text: &str, loader: &mut Loader) {
    let host = loader.site_host.clone();
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let mut line = raw_line.trim().trim_start_matches('\u{feff}');
        if let Some(rest) = strip_prefix_ignore_case(line, "cookie:") {
            line = rest.trim();
        }
        for part in line.split(';') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((name, value)) = part.split_once('=') else {
                loader.problem(
                    line_no,
                    "a part without '=' is not a name=value pair and was skipped",
                );
                continue;
            };
            let name = name.trim();
            if name.is_empty() {
                loader.problem(line_no, "a cookie without a name was skipped");
                continue;
            }
            loader.push_unchecked(ImportedCookie {
                name: name.to_owned(),
                value: Secret::new(value.trim()),
                domain: host.clone(),
                host_only: true,
                path: "/".to_owned(),
                expires: Expiry::Unknown,
                secure: false,
                http_only: false,
                same_site: None,
                attributes_known: false,
                line: line_no,
            });
        }
    }
}

// --- Set-Cookie lines ---------------------------------------------------------------------------

fn import_set_cookie_lines(text: &str, loader: &mut Loader) {
    let site = loader.site.clone();
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw_line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let line = strip_prefix_ignore_case(line, "set-cookie:").map_or(line, str::trim);
        match parse_set_cookie(line, &site, line_no) {
            Ok(cookie) => loader.push_unchecked(cookie),
            Err(message) => loader.problem(line_no, message),
        }
    }
}

/// Parses one `Set-Cookie` value as received from `origin`.
fn parse_set_cookie(line: &str, origin: &Url, line_no: usize) -> Result<ImportedCookie, String> {
    let Some((name, _)) = line.split_once('=') else {
        return Err("this line has no name=value pair, so it is not a cookie".to_owned());
    };
    if name.trim().is_empty() {
        return Err("a cookie without a name was skipped".to_owned());
    }
    let raw = RawCookie::parse(line.to_owned())
        .map_err(|_| "this line could not be read as a Set-Cookie line".to_owned())?;
    let origin_host = origin.host_str().unwrap_or_default().to_ascii_lowercase();
    let (domain, host_only) = match raw.domain().filter(|d| !d.trim().is_empty()) {
        Some(d) => (
            normalize_domain(d).ok_or_else(|| format!("the Domain \"{d}\" is not a site name"))?,
            false,
        ),
        None => (origin_host, true),
    };
    let path = raw.path().filter(|p| p.starts_with('/')).map_or_else(
        || String::from(&CookiePath::default_path(origin)),
        str::to_owned,
    );
    let expires = if let Some(max_age) = raw.max_age() {
        Expiry::MaxAgeSecs(max_age.whole_seconds())
    } else if let Some(at) = raw.expires_datetime() {
        Expiry::AtUnixSecs(at.unix_timestamp())
    } else {
        Expiry::Session
    };
    Ok(ImportedCookie {
        name: raw.name().to_owned(),
        value: Secret::new(raw.value()),
        domain,
        host_only,
        path,
        expires,
        secure: raw.secure().unwrap_or(false),
        http_only: raw.http_only().unwrap_or(false),
        same_site: raw
            .same_site()
            .and_then(|s| SameSite::parse(&s.to_string())),
        attributes_known: true,
        line: line_no,
    })
}

// --- cookies.txt --------------------------------------------------------------------------------

fn import_netscape(text: &str, loader: &mut Loader) {
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        match parse_netscape_line(raw_line, line_no) {
            Ok(Some(cookie)) => loader.push(cookie),
            Ok(None) => {}
            Err(message) => loader.problem(line_no, message),
        }
    }
}

fn parse_bool_flag(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// One line of a Netscape `cookies.txt`: domain, subdomains flag, path, secure flag, expiry,
/// name, value, separated by tabs. `Ok(None)` for comments and blank lines.
fn parse_netscape_line(raw_line: &str, line_no: usize) -> Result<Option<ImportedCookie>, String> {
    let line = raw_line
        .trim_end_matches(['\r', '\n'])
        .trim_start_matches('\u{feff}');
    if line.trim().is_empty() {
        return Ok(None);
    }
    let (line, http_only) = match line.strip_prefix("#HttpOnly_") {
        Some(rest) => (rest, true),
        None if line.trim_start().starts_with('#') => return Ok(None),
        None => (line, false),
    };
    let mut fields: Vec<&str> = line.split('\t').collect();
    if fields.len() < 7 {
        // Pasted through an editor or a chat, tabs often become spaces.
        fields = line.split_whitespace().collect();
    }
    // Exactly 7: with a column missing, the value could land where a name is shown.
    if fields.len() != 7 {
        return Err(format!(
            "expected 7 fields separated by tabs (domain, subdomains, path, secure, expiry, name, value), found {}",
            fields.len()
        ));
    }
    let field = |i: usize| fields.get(i).map_or("", |f| f.trim());
    let raw_domain = field(0);
    let Some(domain) = normalize_domain(raw_domain) else {
        return Err(format!("\"{raw_domain}\" is not a site name"));
    };
    let Some(include_subdomains) = parse_bool_flag(field(1)) else {
        return Err(format!(
            "the second field must be TRUE or FALSE, not \"{}\"",
            field(1)
        ));
    };
    let path = field(2);
    if !path.starts_with('/') {
        return Err(format!("the path \"{path}\" does not start with /"));
    }
    let Some(secure) = parse_bool_flag(field(3)) else {
        return Err(format!(
            "the fourth field must be TRUE or FALSE, not \"{}\"",
            field(3)
        ));
    };
    let expiry_text = field(4);
    let expires = match expiry_text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => {
            if secs == 0.0 {
                Expiry::Session
            } else {
                Expiry::AtUnixSecs(secs.min(253_402_300_799.0) as i64)
            }
        }
        _ => {
            return Err(format!(
                "the expiry \"{expiry_text}\" is not a number of seconds"
            ));
        }
    };
    let name = field(5);
    if name.is_empty() {
        return Err("a cookie without a name was skipped".to_owned());
    }
    Ok(Some(ImportedCookie {
        name: name.to_owned(),
        value: Secret::new(field(6)),
        host_only: !include_subdomains && !raw_domain.starts_with('.'),
        domain,
        path: path.to_owned(),
        expires,
        secure,
        http_only,
        same_site: None,
        attributes_known: true,
        line: line_no,
    }))
}

// --- JSON: streaming helpers --------------------------------------------------------------------

/// Calls `each` with every element of a JSON array as it is read, so a huge file never sits in
/// memory as a whole.
struct EachElement<'f, T, F> {
    each: &'f mut F,
    element: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T)> DeserializeSeed<'de> for EachElement<'_, T, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T)> Visitor<'de> for EachElement<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(element) = seq.next_element::<T>()? {
            (self.each)(index, element);
            index += 1;
        }
        Ok(())
    }
}

/// Finds `key` in a JSON object and hands its value to `inner` (`None` when the key is missing);
/// other keys are skipped unread.
struct Field<S> {
    key: &'static str,
    inner: Option<S>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Field<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Field<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with \"{}\"", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                if let Some(inner) = self.inner.take() {
                    found = Some(map.next_value_seed(inner)?);
                    continue;
                }
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(found)
    }
}

/// A syntax or shape error of the whole JSON, in words that never quote the input.
fn json_problem(error: &serde_json::Error, what: &str) -> ImportProblem {
    use serde_json::error::Category;
    let message = match error.classify() {
        Category::Eof => format!(
            "the {what} ends too early (at line {}): it was probably cut off while copying or saving; the cookies before that point were read",
            error.line()
        ),
        Category::Syntax => format!(
            "the {what} has a syntax error at line {}, column {}; the cookies before that point were read",
            error.line(),
            error.column()
        ),
        Category::Data => format!(
            "the {what} has an unexpected shape at line {}, column {}",
            error.line(),
            error.column()
        ),
        Category::Io => format!("the {what} could not be read"),
    };
    ImportProblem {
        line: error.line(),
        message,
    }
}

/// The 1-based line where each element of a JSON array starts: the top-level array when `key` is
/// `None`, else the first array that is the value of `key` at object depth `depth`.
fn array_element_lines(text: &str, key: Option<(&str, usize)>) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0usize;
    let mut last_string: Option<(usize, usize, usize)> = None; // (start, end, depth)
    let mut pending_key = false;
    let mut target_depth: Option<usize> = None;
    let mut expect_element = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                last_string = Some((string_start, i, depth));
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if expect_element && b != b']' {
            lines.push(line);
        }
        expect_element = false;
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b':' => pending_key = true,
            b'[' => {
                depth += 1;
                let is_target = match key {
                    None => depth == 1,
                    Some((k, d)) => {
                        pending_key
                            && last_string
                                .is_some_and(|(s, e, sd)| sd == d && text.get(s..e) == Some(k))
                    }
                };
                if is_target && target_depth.is_none() {
                    target_depth = Some(depth);
                    expect_element = true;
                }
                pending_key = false;
            }
            b'{' => {
                depth += 1;
                pending_key = false;
            }
            b']' | b'}' => {
                if b == b']' && target_depth == Some(depth) {
                    return lines;
                }
                depth = depth.saturating_sub(1);
            }
            b',' => {
                if target_depth == Some(depth) {
                    expect_element = true;
                }
                pending_key = false;
            }
            _ => {}
        }
    }
    lines
}

fn obj_str<'v>(
    obj: &'v serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<&'v str>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" is not text")),
    }
}

fn obj_bool(obj: &serde_json::Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("\"{key}\" is not true or false")),
    }
}

fn obj_secs(obj: &serde_json::Map<String, Value>, key: &str) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("\"{key}\" is not a number of seconds")),
        Some(_) => Err(format!("\"{key}\" is not a number of seconds")),
    }
}

// --- JSON export --------------------------------------------------------------------------------

fn import_json_export(text: &str, loader: &mut Loader) {
    let text = text.trim_start_matches('\u{feff}');
    let object_form = text.trim_start().starts_with('{');
    let lines = if object_form {
        array_element_lines(text, Some(("cookies", 1)))
    } else {
        array_element_lines(text, None)
    };
    let mut each = |index: usize, value: Value| {
        let line = lines.get(index).copied().unwrap_or(0);
        match export_cookie(&value, line) {
            Ok(cookie) => loader.push(cookie),
            Err(message) => loader.problem(line, format!("cookie {}: {message}", index + 1)),
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = EachElement {
        each: &mut each,
        element: PhantomData::<Value>,
    };
    let result = if object_form {
        Field {
            key: "cookies",
            inner: Some(seed),
        }
        .deserialize(&mut de)
        .and_then(|found| found.ok_or_else(|| serde::de::Error::custom("no \"cookies\" list")))
    } else {
        seed.deserialize(&mut de)
    };
    if let Err(e) = result {
        let problem = if object_form && e.to_string().starts_with("no \"cookies\" list") {
            ImportProblem {
                line: 0,
                message: "this JSON has no \"cookies\" list; export the cookies as a JSON list"
                    .to_owned(),
            }
        } else {
            json_problem(&e, "JSON")
        };
        loader.problem(problem.line, problem.message);
    }
}

/// One cookie of a browser-extension export (`expirationDate`, `hostOnly`…) or of a Playwright
/// state (`expires`, -1 for a session cookie).
fn export_cookie(value: &Value, line: usize) -> Result<ImportedCookie, String> {
    let Value::Object(obj) = value else {
        return Err("this entry is not a cookie (expected {\"name\": …, \"value\": …})".to_owned());
    };
    let name = obj_str(obj, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or("it has no \"name\"")?;
    let value = match obj.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err("its \"value\" is not text".to_owned()),
    };
    let raw_domain = obj_str(obj, "domain")?.ok_or("it has no \"domain\"")?;
    let domain = normalize_domain(raw_domain)
        .ok_or_else(|| format!("\"{raw_domain}\" is not a site name"))?;
    let host_only = obj_bool(obj, "hostOnly")?.unwrap_or(!raw_domain.starts_with('.'));
    let path = obj_str(obj, "path")?.unwrap_or("/");
    if !path.starts_with('/') {
        return Err(format!("the path \"{path}\" does not start with /"));
    }
    let session = obj_bool(obj, "session")?.unwrap_or(false);
    let seconds = match obj_secs(obj, "expirationDate")? {
        Some(s) => Some(s),
        None => obj_secs(obj, "expires")?,
    };
    let expires = match seconds {
        _ if session => Expiry::Session,
        Some(s) if s.is_finite() && s > 0.0 => Expiry::AtUnixSecs(s.min(253_402_300_799.0) as i64),
        Some(s) if s.is_finite() && s < 0.0 => Expiry::Session,
        Some(_) => Expiry::AtUnixSecs(0),
        None => Expiry::Session,
    };
    Ok(ImportedCookie {
        name: name.trim().to_owned(),
        value: Secret::new(value),
        domain,
        host_only,
        path: path.to_owned(),
        expires,
        secure: obj_bool(obj, "secure")?.unwrap_or(false),
        http_only: obj_bool(obj, "httpOnly")?.unwrap_or(false),
        same_site: obj_str(obj, "sameSite")?.and_then(SameSite::parse),
        attributes_known: true,
        line,
    })
}

// --- HAR ----------------------------------------------------------------------------------------

/// The parts of a HAR entry that matter here; bodies are skipped unread.
#[derive(Deserialize)]
struct HarEntry {
    #[serde(default)]
    request: HarRequest,
    #[serde(default)]
    response: HarResponse,
}

#[derive(Default, Deserialize)]
struct HarRequest {
    #[serde(default)]
    url: Value,
    #[serde(default)]
    headers: Value,
    #[serde(default)]
    cookies: Value,
}

#[derive(Default, Deserialize)]
struct HarResponse {
    #[serde(default)]
    headers: Value,
    #[serde(default)]
    cookies: Value,
}

/// Header values named `name` (any case) in a HAR header list.
fn har_headers<'v>(headers: &'v Value, name: &'v str) -> impl Iterator<Item = &'v str> + 'v {
    headers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(move |h| {
            let obj = h.as_object()?;
            let n = obj.get("name")?.as_str()?;
            n.eq_ignore_ascii_case(name)
                .then(|| obj.get("value")?.as_str())
                .flatten()
        })
}

/// Seconds since 1970 for an RFC 3339 / ISO 8601 time like `2025-03-01T10:00:00.000Z`.
fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let rest = text.get(10..).unwrap_or_default();
    let (mut secs_of_day, mut offset) = (0i64, 0i64);
    if let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
        let hms = time.get(..8)?;
        let mut t = hms.split(':');
        let h: i64 = t.next()?.parse().ok()?;
        let m: i64 = t.next()?.parse().ok()?;
        let s: i64 = t.next()?.parse().ok()?;
        secs_of_day = h * 3600 + m * 60 + s;
        let zone = time
            .get(8..)
            .unwrap_or_default()
            .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
            let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
            let oh: i64 = digits.get(..2)?.parse().ok()?;
            let om: i64 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            offset = (oh * 3600 + om * 60) * if sign == '-' { -1 } else { 1 };
        }
    }
    // Days from civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + secs_of_day - offset)
}

/// Which side of a HAR entry a cookie object comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HarSide {
    /// `request.cookies`: the cookie as the browser stored it (Chrome writes its domain and path;
    /// a domain without a leading dot means host-only).
    Request,
    /// `response.cookies`: the cookie as the site set it (a domain means a `Domain` attribute).
    Response,
}

/// A HAR cookie object (`name`, `value`, `path`, `domain`, `expires` as ISO time…).
fn har_cookie(
    value: &Value,
    origin: &Url,
    line: usize,
    side: HarSide,
) -> Result<ImportedCookie, String> {
    let which = match side {
        HarSide::Request => "request",
        HarSide::Response => "response",
    };
    let Value::Object(obj) = value else {
        return Err(format!("a {which} cookie is not an object"));
    };
    let name = obj_str(obj, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| format!("a {which} cookie has no \"name\" and was skipped"))?;
    let origin_host = origin.host_str().unwrap_or_default().to_ascii_lowercase();
    let (domain, host_only) = match obj_str(obj, "domain")?.filter(|d| !d.trim().is_empty()) {
        Some(d) => (
            normalize_domain(d).ok_or_else(|| format!("\"{d}\" is not a site name"))?,
            side == HarSide::Request && !d.trim().starts_with('.'),
        ),
        None => (origin_host, true),
    };
    let path = obj_str(obj, "path")?
        .filter(|p| p.starts_with('/'))
        .map_or_else(
            || String::from(&CookiePath::default_path(origin)),
            str::to_owned,
        );
    let expires = match obj.get("expires") {
        Some(Value::String(s)) if !s.trim().is_empty() => match parse_iso8601(s) {
            Some(secs) => Expiry::AtUnixSecs(secs),
            None => httpdate::parse_http_date(s)
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(Expiry::Session, |d| {
                    Expiry::AtUnixSecs(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                }),
        },
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|s| *s > 0.0)
            .map_or(Expiry::Session, |s| {
                Expiry::AtUnixSecs(s.min(253_402_300_799.0) as i64)
            }),
        _ => Expiry::Session,
    };
    Ok(ImportedCookie {
        name: name.trim().to_owned(),
        value: Secret::new(obj_str(obj, "value")?.unwrap_or_default()),
        domain,
        host_only,
        path,
        expires,
        secure: obj_bool(obj, "secure")?.unwrap_or(false),
        http_only: obj_bool(obj, "httpOnly")?.unwrap_or(false),
        same_site: obj_str(obj, "sameSite")?.and_then(SameSite::parse),
        attributes_known: true,
        line,
    })
}

/// What a HAR gives: the cookies the browser sent on the last request to the site, and the
/// cookies the site set along the way.
#[derive(Default)]
struct HarState {
    site_entries: usize,
    last_sent: Vec<ImportedCookie>,
    set: Jar,
}

fn import_har(text: &str, loader: &mut Loader) {
    let text = text.trim_start_matches('\u{feff}');
    let lines = array_element_lines(text, Some(("entries", 2)));
    let site_host = loader.site_host.clone();
    let mut state = HarState::default();
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut each = |index: usize, entry: HarEntry| {
        let line = lines.get(index).copied().unwrap_or(0);
        let Some(url) = entry.request.url.as_str().and_then(|u| Url::parse(u).ok()) else {
            problems.push(ImportProblem {
                line,
                message: format!("entry {}: the request has no usable address", index + 1),
            });
            return;
        };
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !related_to_site(&host, &site_host) {
            return;
        }
        let same_host = host == site_host;
        if same_host {
            state.site_entries += 1;
            let sent = har_sent_cookies(&entry.request, &url, line, index, &mut problems);
            if !sent.is_empty() {
                state.last_sent = sent;
            }
        }
        for cookie in har_set_cookies(&entry.response, &url, line, index, &mut problems) {
            // From a sibling name (login.example.com), keep only cookies that reach this site.
            let reaches_site = !cookie.host_only
                && related_to_site(&cookie.domain, &site_host)
                && (site_host == cookie.domain
                    || site_host.ends_with(&format!(".{}", cookie.domain)));
            if same_host || reaches_site {
                state.set.put(cookie);
            }
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Field {
        key: "log",
        inner: Some(Field {
            key: "entries",
            inner: Some(EachElement {
                each: &mut each,
                element: PhantomData::<HarEntry>,
            }),
        }),
    }
    .deserialize(&mut de);
    for p in problems {
        loader.problem(p.line, p.message);
    }
    match result {
        Ok(Some(Some(()))) => {}
        Ok(_) => loader.problem(
            0,
            "this file has no log.entries list, so it is not a HAR file from the browser's Network tab",
        ),
        Err(e) => {
            let p = json_problem(&e, "HAR file");
            loader.problem(p.line, p.message);
        }
    }
    if state.site_entries == 0 {
        loader.problem(
            0,
            format!(
                "the HAR file has no request to {site_host}; record it while opening this site"
            ),
        );
    } else if state.last_sent.is_empty() && state.set.cookies.is_empty() {
        loader.problem(
            0,
            "the HAR file has requests to this site but no cookies: Chrome and Edge leave them out unless you choose 'Export HAR (with sensitive data)'",
        );
    }
    // The request cookies show what the browser really sent. Chrome writes their domain and
    // path; Firefox only names and values, so their attributes come from Set-Cookie: a name the
    // site set once and the browser sent once is the same cookie, kept with its attributes. A
    // name sent several times is kept as sent, since that is the evidence.
    let (known_sent, unknown_sent): (Vec<ImportedCookie>, Vec<ImportedCookie>) = state
        .last_sent
        .into_iter()
        .partition(|c| c.attributes_known);
    let mut sent_count: HashMap<&str, usize> = HashMap::new();
    for c in &unknown_sent {
        *sent_count.entry(c.name.as_str()).or_default() += 1;
    }
    let duplicated: HashSet<String> = sent_count
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    let set_names: HashSet<String> = state
        .set
        .cookies
        .iter()
        .chain(&known_sent)
        .map(|c| c.name.clone())
        .collect();
    // Set-Cookie first, then what was sent: the sent copy (with Chrome's absolute end date and
    // the value the browser really had) replaces the set one and keeps its place.
    for cookie in state.set.cookies {
        if !duplicated.contains(&cookie.name) {
            loader.push_unchecked(cookie);
        }
    }
    for mut cookie in known_sent {
        // Chrome may leave a sent cookie's end date and SameSite empty: take them from Set-Cookie.
        if let Some(set) = loader.jar.same_as(&cookie) {
            if cookie.expires == Expiry::Session {
                cookie.expires = set.expires;
            }
            cookie.same_site = cookie.same_site.or(set.same_site);
        }
        loader.push_unchecked(cookie);
    }
    for cookie in unknown_sent {
        if duplicated.contains(&cookie.name) || !set_names.contains(&cookie.name) {
            loader.push_unchecked(cookie);
        }
    }
}

fn har_sent_cookies(
    request: &HarRequest,
    url: &Url,
    line: usize,
    index: usize,
    problems: &mut Vec<ImportProblem>,
) -> Vec<ImportedCookie> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut known: Vec<ImportedCookie> = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(list) = request.cookies.as_array().filter(|l| !l.is_empty()) {
        for c in list {
            let has_domain = c
                .get("domain")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.trim().is_empty());
            if has_domain {
                match har_cookie(c, url, line, HarSide::Request) {
                    Ok(cookie) => known.push(cookie),
                    Err(message) => problems.push(ImportProblem {
                        line,
                        message: format!("entry {}: {message}", index + 1),
                    }),
                }
                continue;
            }
            let name = c.get("name").and_then(Value::as_str).map(str::trim);
            let value = c.get("value").and_then(Value::as_str).unwrap_or_default();
            match name {
                Some(n) if !n.is_empty() => pairs.push((n.to_owned(), value.to_owned())),
                _ => problems.push(ImportProblem {
                    line,
                    message: format!(
                        "entry {}: a request cookie has no \"name\" and was skipped",
                        index + 1
                    ),
                }),
            }
        }
    } else {
        for header in har_headers(&request.headers, "cookie") {
            for part in header.split(';') {
                if let Some((n, v)) = part.split_once('=') {
                    if !n.trim().is_empty() {
                        pairs.push((n.trim().to_owned(), v.trim().to_owned()));
                    }
                }
            }
        }
    }
    known.extend(pairs.into_iter().map(|(name, value)| ImportedCookie {
        name,
        value: Secret::new(value),
        domain: host.clone(),
        host_only: true,
        path: "/".to_owned(),
        expires: Expiry::Unknown,
        secure: false,
        http_only: false,
        same_site: None,
        attributes_known: false,
        line,
    }));
    known
}

fn har_set_cookies(
    response: &HarResponse,
    origin: &Url,
    line: usize,
    index: usize,
    problems: &mut Vec<ImportProblem>,
) -> Vec<ImportedCookie> {
    let mut out = Vec::new();
    // Set-Cookie header lines keep every attribute (Max-Age, SameSite) exactly as sent.
    for header in har_headers(&response.headers, "set-cookie") {
        for one in header.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            match parse_set_cookie(one, origin, line) {
                Ok(c) => out.push(c),
                Err(message) => problems.push(ImportProblem {
                    line,
                    message: format!("entry {}: {message}", index + 1),
                }),
            }
        }
    }
    if out.is_empty() {
        for c in response.cookies.as_array().into_iter().flatten() {
            match har_cookie(c, origin, line, HarSide::Response) {
                Ok(c) => out.push(c),
                Err(message) => problems.push(ImportProblem {
                    line,
                    message: format!("entry {}: {message}", index + 1),
                }),
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Matching: would the browser send it?
// ---------------------------------------------------------------------------------------------

/// Where the request to the checked address starts, which decides `SameSite` cookies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestContext {
    /// The user typed the address, used a bookmark, or clicked a link on the same site.
    #[default]
    SameSite,
    /// The user followed a link from another site (an email, a search result, a sign-in service).
    CrossSiteNavigation,
    /// Another site made the request: a form that posts here, a frame, a script.
    CrossSiteSubrequest,
}

/// Why a browser would not send a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotSent {
    /// Its end date has passed (or `Max-Age` was 0 or less).
    Expired,
    /// Marked `Secure`, and the address is plain http.
    SecureOnHttp,
    /// It belongs to another site name.
    DomainMismatch,
    /// It belongs to another part of the site.
    PathMismatch,
    /// `SameSite=Strict` on a request that starts on another site.
    SameSiteStrict,
    /// `SameSite=Lax` (or no `SameSite`, which Chrome treats as Lax) on a request made by another site.
    SameSiteLax,
    /// `SameSite=None` without `Secure`: refused by Chrome and Edge.
    SameSiteNoneWithoutSecure,
    /// A `__Host-` cookie without `Secure`, with a `Domain`, or with a path other than `/`.
    HostPrefix,
    /// A `__Secure-` cookie without `Secure`.
    SecurePrefix,
    /// Name and value longer than [`MAX_COOKIE_BYTES`].
    TooLong,
}

/// What the browser would do with one cookie on the checked address. Carries no value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "the flags are the cookie's own attributes and the verdict, all shown as is"
)]
pub struct CookieVerdict {
    /// The cookie's name.
    pub name: String,
    /// The domain it belongs to (without a leading dot).
    pub domain: String,
    /// True when only exactly `domain` gets it; false when its subdomains do too.
    pub host_only: bool,
    /// The path it belongs to.
    pub path: String,
    /// When it ends: an HTTP date, "when the browser closes", or `None` when the source does not say.
    pub expires: Option<String>,
    /// Sent only over https.
    pub secure: bool,
    /// Hidden from the page's scripts.
    pub http_only: bool,
    /// `Strict`, `Lax` or `None` when set.
    pub same_site: Option<String>,
    /// Whether the browser would send it to the checked address.
    pub sent: bool,
    /// Why not, in plain words (only when not sent).
    pub reason: Option<String>,
    /// Why not, as a stable kind (only when not sent).
    pub not_sent: Option<NotSent>,
    /// The name looks like a login session cookie.
    pub looks_like_login: bool,
    /// Its place in the `Cookie` header the browser would send (1 = first).
    pub send_position: Option<usize>,
    /// Something worth knowing although it is sent (another cookie with the same name).
    pub note: Option<String>,
    /// Name and value size in bytes (the value itself is never shown).
    pub size_bytes: usize,
    /// False when only the name and value were known (a copied `Cookie` header).
    pub attributes_known: bool,
    /// The line of the input it came from.
    pub line: usize,
}

impl CookieVerdict {
    /// "sid (for www.example.com, path /)": how a cookie is named in evidence.
    #[must_use]
    pub fn describe(&self) -> String {
        if !self.attributes_known {
            return format!("{} (sent to {})", self.name, self.domain);
        }
        let whom = if self.host_only {
            self.domain.clone()
        } else {
            format!("{} and its subdomains", self.domain)
        };
        format!("{} (for {whom}, path {})", self.name, self.path)
    }
}

/// The imported cookies checked against one address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CookieCheck {
    /// The address checked.
    pub url: String,
    /// Where the request starts.
    pub context: RequestContext,
    /// The format the cookies came from.
    pub format: Option<Format>,
    /// One verdict per cookie: the sent ones first in the order the browser sends them, then the rest.
    pub verdicts: Vec<CookieVerdict>,
    /// What could not be read while importing.
    pub problems: Vec<ImportProblem>,
    /// Cookies in the input for unrelated sites, left out.
    pub other_site_cookies: usize,
    /// The values of the sent cookies, in browser order, for the live re-test.
    #[serde(skip)]
    sent: Vec<(String, Secret)>,
}

impl Import {
    /// Decides, for each cookie, whether a browser would send it to `url` at `now` for a request
    /// starting as `context` says, using `cookie_store`'s domain, path, secure and expiry rules.
    #[must_use]
    pub fn check(&self, url: &Url, context: RequestContext, now: SystemTime) -> CookieCheck {
        let now_secs = unix_secs(now);
        let mut verdicts: Vec<(usize, CookieVerdict)> = Vec::new();
        for (index, cookie) in self.cookies.iter().enumerate() {
            let not_sent = why_not_sent(cookie, url, context, now_secs);
            verdicts.push((
                index,
                CookieVerdict {
                    name: cookie.name.clone(),
                    domain: cookie.domain.clone(),
                    host_only: cookie.host_only,
                    path: cookie.path.clone(),
                    expires: expiry_text(cookie.expires),
                    secure: cookie.secure,
                    http_only: cookie.http_only,
                    same_site: cookie.same_site.map(|s| s.as_str().to_owned()),
                    sent: not_sent.is_none(),
                    reason: not_sent.map(|kind| reason_text(kind, cookie, url, now_secs)),
                    not_sent,
                    looks_like_login: looks_like_login(&cookie.name),
                    send_position: None,
                    note: None,
                    size_bytes: cookie.name.len() + cookie.value.expose().len(),
                    attributes_known: cookie.attributes_known,
                    line: cookie.line,
                },
            ));
        }
        // RFC 6265 §5.4: longer paths first, then the older cookie first (input order).
        verdicts.sort_by_key(|(index, v)| (!v.sent, std::cmp::Reverse(v.path.len()), *index));
        let mut sent = Vec::new();
        for (position, (index, verdict)) in verdicts.iter_mut().filter(|(_, v)| v.sent).enumerate()
        {
            verdict.send_position = Some(position + 1);
            if let Some(cookie) = self.cookies.get(*index) {
                sent.push((cookie.name.clone(), cookie.value.clone()));
            }
        }
        let mut verdicts: Vec<CookieVerdict> = verdicts.into_iter().map(|(_, v)| v).collect();
        mark_shadowing(&mut verdicts);
        CookieCheck {
            url: url.to_string(),
            context,
            format: Some(self.format),
            verdicts,
            problems: self.problems.clone(),
            other_site_cookies: self.other_site_cookies,
            sent,
        }
    }
}

fn unix_secs(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn system_time(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH
    }
}

fn http_date(secs: i64) -> String {
    httpdate::fmt_http_date(system_time(secs.min(253_402_300_799)))
}

fn expiry_text(expires: Expiry) -> Option<String> {
    match expires {
        Expiry::Session => Some("when the browser closes".to_owned()),
        Expiry::AtUnixSecs(secs) => Some(http_date(secs)),
        Expiry::MaxAgeSecs(secs) if secs <= 0 => Some("immediately (Max-Age=0)".to_owned()),
        Expiry::MaxAgeSecs(secs) => Some(format!("{} after the site set it", span(secs))),
        Expiry::Unknown => None,
    }
}

/// "3 days", "1 hour", "45 seconds".
fn span(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let (n, unit) = match secs {
        0..60 => (secs, "second"),
        60..3600 => (secs / 60, "minute"),
        3600..86_400 => (secs / 3600, "hour"),
        86_400..31_536_000 => (secs / 86_400, "day"),
        _ => (secs / 31_536_000, "year"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// The cookie as `cookie_store` sees it (with an empty value: matching never needs it).
fn store_cookie(cookie: &ImportedCookie, url: &Url) -> Option<cookie_store::Cookie<'static>> {
    let raw = RawCookie::build((cookie.name.clone(), String::new()))
        .secure(cookie.secure)
        .http_only(cookie.http_only)
        .build();
    let mut stored = cookie_store::Cookie::try_from_raw_cookie(&raw, url)
        .ok()?
        .into_owned();
    stored.domain = if cookie.host_only {
        CookieDomain::HostOnly(cookie.domain.clone())
    } else {
        CookieDomain::Suffix(cookie.domain.clone())
    };
    stored.path = CookiePath::parse(&cookie.path).unwrap_or_else(|| CookiePath::default_path(url));
    stored.expires = match cookie.expires {
        Expiry::AtUnixSecs(secs) => CookieExpiration::AtUtc(
            time::OffsetDateTime::from_unix_timestamp(secs.clamp(0, 253_402_300_799))
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        ),
        Expiry::MaxAgeSecs(secs) if secs <= 0 => {
            CookieExpiration::AtUtc(time::OffsetDateTime::UNIX_EPOCH)
        }
        Expiry::MaxAgeSecs(_) | Expiry::Session | Expiry::Unknown => CookieExpiration::SessionEnd,
    };
    Some(stored)
}

/// Whether the browser counts the address as secure: https, or a loopback address.
fn is_secure_address(url: &Url) -> bool {
    url.scheme() == "https"
        || match url.host() {
            Some(Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

fn has_prefix_ignore_case(name: &str, prefix: &str) -> bool {
    strip_prefix_ignore_case(name, prefix).is_some()
}

/// The first reason a browser would not send `cookie` to `url`, most fundamental first.
fn why_not_sent(
    cookie: &ImportedCookie,
    url: &Url,
    context: RequestContext,
    now_secs: i64,
) -> Option<NotSent> {
    if cookie.name.len() + cookie.value.expose().len() > MAX_COOKIE_BYTES {
        return Some(NotSent::TooLong);
    }
    if cookie.attributes_known {
        if has_prefix_ignore_case(&cookie.name, "__Host-")
            && (!cookie.secure || !cookie.host_only || cookie.path != "/")
        {
            return Some(NotSent::HostPrefix);
        }
        if has_prefix_ignore_case(&cookie.name, "__Secure-") && !cookie.secure {
            return Some(NotSent::SecurePrefix);
        }
        if cookie.same_site == Some(SameSite::None) && !cookie.secure {
            return Some(NotSent::SameSiteNoneWithoutSecure);
        }
    }
    let Some(stored) = store_cookie(cookie, url) else {
        return Some(NotSent::DomainMismatch);
    };
    let now = time::OffsetDateTime::from_unix_timestamp(now_secs)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    if stored.expires_by(&now) {
        return Some(NotSent::Expired);
    }
    if !stored.domain.matches(url) {
        return Some(NotSent::DomainMismatch);
    }
    if !stored.path.matches(url) {
        return Some(NotSent::PathMismatch);
    }
    if stored.secure().unwrap_or(false) && !is_secure_address(url) {
        return Some(NotSent::SecureOnHttp);
    }
    match (context, cookie.same_site) {
        (
            RequestContext::CrossSiteNavigation | RequestContext::CrossSiteSubrequest,
            Some(SameSite::Strict),
        ) => {
            return Some(NotSent::SameSiteStrict);
        }
        (RequestContext::CrossSiteSubrequest, Some(SameSite::Lax)) => {
            return Some(NotSent::SameSiteLax);
        }
        (RequestContext::CrossSiteSubrequest, None) if cookie.attributes_known => {
            return Some(NotSent::SameSiteLax);
        }
        _ => {}
    }
    None
}

fn reason_text(kind: NotSent, cookie: &ImportedCookie, url: &Url, now_secs: i64) -> String {
    let host = url.host_str().unwrap_or_default();
    match kind {
        NotSent::Expired => match cookie.expires {
            Expiry::AtUnixSecs(at) => format!(
                "it expired on {} ({} ago), so the browser deleted it",
                http_date(at),
                span(now_secs.saturating_sub(at))
            ),
            _ => "the site deleted it (Max-Age=0), so the browser no longer has it".to_owned(),
        },
        NotSent::SecureOnHttp => format!(
            "it is marked Secure, so the browser sends it only over https, and this address is http://{host}"
        ),
        NotSent::DomainMismatch => {
            let whom = if cookie.host_only {
                format!("only to {}", cookie.domain)
            } else {
                format!("to {} and its subdomains", cookie.domain)
            };
            format!("it belongs {whom}, not to {host}")
        }
        NotSent::PathMismatch => format!(
            "it belongs to the part of the site under {}, and this address is {}",
            cookie.path,
            url.path()
        ),
        NotSent::SameSiteStrict => "it is marked SameSite=Strict, so the browser leaves it out when you arrive from another site (a link in an email, a search result, a sign-in page on another domain)".to_owned(),
        NotSent::SameSiteLax => {
            let setting = if cookie.same_site.is_some() {
                "it is marked SameSite=Lax"
            } else {
                "it has no SameSite setting, which Chrome and Edge treat as SameSite=Lax"
            };
            format!("{setting}, so the browser leaves it out of requests made by another site (a form that posts here, a frame, a script); it is sent only when you open the page yourself")
        }
        NotSent::SameSiteNoneWithoutSecure => "it is marked SameSite=None without Secure, and Chrome and Edge refuse to keep such a cookie".to_owned(),
        NotSent::HostPrefix => {
            let mut broken = Vec::new();
            if !cookie.secure {
                broken.push("it is not marked Secure");
            }
            if !cookie.host_only {
                broken.push("it has a Domain");
            }
            if cookie.path != "/" {
                broken.push("its path is not /");
            }
            format!(
                "its name starts with __Host-, which requires Secure, no Domain and Path=/, but {}; the browser refuses it",
                broken.join(" and ")
            )
        }
        NotSent::SecurePrefix => "its name starts with __Secure-, which requires the Secure flag, and it does not have it; the browser refuses it".to_owned(),
        NotSent::TooLong => format!(
            "it is {} bytes long; browsers refuse cookies whose name and value together are longer than {MAX_COOKIE_BYTES} bytes",
            cookie.name.len() + cookie.value.expose().len()
        ),
    }
}

/// Notes every sent cookie that shares its name with another sent cookie.
fn mark_shadowing(verdicts: &mut [CookieVerdict]) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, v) in verdicts.iter().enumerate().filter(|(_, v)| v.sent) {
        by_name.entry(v.name.clone()).or_default().push(i);
    }
    for indexes in by_name.values().filter(|ix| ix.len() > 1) {
        let Some(first) = indexes
            .first()
            .and_then(|i| verdicts.get(*i))
            .map(CookieVerdict::describe)
        else {
            continue;
        };
        for (rank, i) in indexes.iter().enumerate() {
            let Some(v) = verdicts.get_mut(*i) else {
                continue;
            };
            v.note = Some(if rank == 0 {
                format!(
                    "sent first of {} cookies named {}; most sites read only this one",
                    indexes.len(),
                    v.name
                )
            } else {
                format!(
                    "sent after {first}, which has the same name; sites that read only the first one never see this cookie"
                )
            });
        }
    }
}

/// Name parts of cookies that are never a login (consent, analytics, CSRF, preferences).
const NOT_LOGIN_PARTS: &[&str] = &[
    "csrf",
    "xsrf",
    "antiforgery",
    "consent",
    "cookieconsent",
    "wp-settings",
    "_ga",
    "_gid",
    "_fbp",
    "test_cookie",
    "tempdata",
    "language",
    "lang",
    "theme",
    "timezone",
];
/// Exact (lowercase) names of well-known login session cookies.
const LOGIN_NAMES: &[&str] = &[
    "session",
    "sessionid",
    "session_id",
    "sid",
    "phpsessid",
    "jsessionid",
    "connect.sid",
    "asp.net_sessionid",
    ".aspxauth",
    ".aspxformsauth",
    "laravel_session",
    "ci_session",
    "cfid",
    "cftoken",
    "frontend",
    "adminhtml",
    "auth",
    "auth_token",
    "authtoken",
    "access_token",
    "id_token",
    "jwt",
    "token",
    "remember_token",
    "remember_me",
    "remember_user_token",
    "cf_authorization",
    "keycloak_session",
    "keycloak_identity",
    "_oauth2_proxy",
    "mod_auth_openidc_session",
    "next-auth.session-token",
    "authjs.session-token",
    "appsession",
    "_shibsession",
];
/// Name beginnings of well-known login session cookies.
const LOGIN_PREFIXES: &[&str] = &[
    "wordpress_logged_in_",
    "wordpress_sec_",
    ".aspnetcore.",
    "awselbauthsessioncookie",
    "_shibsession_",
    "sess",
    "ssess",
    "joomla_user_state",
    "remember_web_",
    "remember_admin_",
    "wp_woocommerce_session_",
    "mod_auth_openidc",
];

/// True when a cookie name looks like a login session (`wordpress_logged_in_…`, `PHPSESSID`,
/// `JSESSIONID`, `connect.sid`, `…_session`, `.AspNetCore.Cookies`…).
#[must_use]
pub fn looks_like_login(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower
        .strip_prefix("__host-")
        .or_else(|| lower.strip_prefix("__secure-"))
        .unwrap_or(&lower);
    if NOT_LOGIN_PARTS.iter().any(|n| lower.contains(n)) {
        return false;
    }
    if LOGIN_NAMES.contains(&lower) {
        return true;
    }
    if LOGIN_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    // `wordpress_<hash>` is WordPress's own sign-in cookie for /wp-admin.
    if let Some(rest) = lower.strip_prefix("wordpress_") {
        if rest.len() >= 16 && rest.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    lower.ends_with("_session")
        || lower.ends_with("-session")
        || lower.ends_with(".session")
        || lower.ends_with("_sess")
        || lower.ends_with("sessid")
        || lower.ends_with("_sid")
        || lower.strip_suffix(".sid").is_some()
        || lower.ends_with("session-token")
        || lower.ends_with("_auth")
        || lower.contains("logged_in")
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

impl CookieCheck {
    /// The `Cookie` header the browser would send to the checked address, in browser order;
    /// `None` when no cookie would be sent.
    #[must_use]
    pub fn cookie_header(&self) -> Option<Secret> {
        if self.sent.is_empty() {
            return None;
        }
        let header = self
            .sent
            .iter()
            .map(|(name, value)| format!("{name}={}", value.expose()))
            .collect::<Vec<_>>()
            .join("; ");
        Some(Secret::new(header))
    }

    /// The verdicts of the cookies that would be sent, in browser order.
    pub fn sent(&self) -> impl Iterator<Item = &CookieVerdict> {
        self.verdicts.iter().filter(|v| v.sent)
    }

    /// Every finding about the imported cookies: unreadable input, expired cookies, cookies not
    /// sent and why, and cookies shadowed by another of the same name.
    #[must_use]
    pub fn findings(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        findings.extend(self.malformed_finding());
        findings.extend(self.expired_finding());
        findings.extend(self.not_sent_finding());
        findings.extend(self.shadowed_findings());
        findings
    }

    /// `cookie-file-malformed`, when importing met problems.
    #[must_use]
    pub fn malformed_finding(&self) -> Option<Finding> {
        if self.problems.is_empty() {
            return None;
        }
        let format = self.format.map_or("the input", Format::label);
        let detail = if self.verdicts.is_empty() {
            format!(
                "AuthDoctor read {format} but found no usable cookie for this site. What went wrong is listed below."
            )
        } else {
            format!(
                "AuthDoctor read {format}: {} cookie{} for this site loaded, but {} line{} or entr{} could not be read and {} skipped.",
                self.verdicts.len(),
                plural(self.verdicts.len()),
                self.problems.len(),
                plural(self.problems.len()),
                if self.problems.len() == 1 { "y" } else { "ies" },
                if self.problems.len() == 1 {
                    "was"
                } else {
                    "were"
                },
            )
        };
        let mut finding = Finding::new(Code::CookieFileMalformed, detail);
        if self.verdicts.is_empty() {
            finding = finding.title("No cookies for this site could be read");
        }
        for p in &self.problems {
            let label = if p.line == 0 {
                "Whole input".to_owned()
            } else {
                format!("Line {}", p.line)
            };
            finding = finding.evidence(label, p.message.clone());
        }
        Some(finding)
    }

    /// `cookie-expired`, when any imported cookie has expired.
    #[must_use]
    pub fn expired_finding(&self) -> Option<Finding> {
        let expired: Vec<&CookieVerdict> = self
            .verdicts
            .iter()
            .filter(|v| v.not_sent == Some(NotSent::Expired))
            .collect();
        if expired.is_empty() {
            return None;
        }
        let login: Vec<&&CookieVerdict> = expired.iter().filter(|v| v.looks_like_login).collect();
        let live_login = self.sent().any(|v| v.looks_like_login);
        let mut finding = if let Some(first) = login.first() {
            let detail = format!(
                "Your login cookie {} has expired{}, so the browser no longer sends it and the site no longer knows you signed in.{}",
                first.name,
                first
                    .expires
                    .as_ref()
                    .map(|e| format!(" (on {e})"))
                    .unwrap_or_default(),
                if live_login {
                    " Another login cookie is still sent, so this may not be the cause."
                } else {
                    ""
                }
            );
            Finding::new(Code::CookieExpired, detail)
                .title("Your login cookie for this site has expired")
                .severity(if live_login {
                    Severity::Warning
                } else {
                    Severity::Problem
                })
        } else {
            Finding::new(
                Code::CookieExpired,
                format!(
                    "{} of your cookies for this site ha{} expired, so the browser no longer sends {}. None of them looks like a login cookie.",
                    expired.len(),
                    if expired.len() == 1 { "s" } else { "ve" },
                    if expired.len() == 1 { "it" } else { "them" },
                ),
            )
            .severity(Severity::Info)
        };
        for v in expired.iter().take(MAX_EVIDENCE) {
            finding = finding.evidence(
                v.describe(),
                v.reason.clone().unwrap_or_else(|| "expired".to_owned()),
            );
        }
        if expired.len() > MAX_EVIDENCE {
            finding = finding.evidence(
                "More",
                format!("and {} more expired cookies", expired.len() - MAX_EVIDENCE),
            );
        }
        Some(finding)
    }

    /// `cookie-not-sent`, when a cookie that has not expired would still not be sent.
    #[must_use]
    pub fn not_sent_finding(&self) -> Option<Finding> {
        let held: Vec<&CookieVerdict> = self
            .verdicts
            .iter()
            .filter(|v| !v.sent && v.not_sent != Some(NotSent::Expired))
            .collect();
        if held.is_empty() {
            return None;
        }
        let login = held.iter().find(|v| v.looks_like_login);
        let live_login = self.sent().any(|v| v.looks_like_login);
        let detail = if let Some(l) = login {
            format!(
                "Your login cookie {} would not be sent to {}: {}.",
                l.name,
                self.url,
                l.reason
                    .as_deref()
                    .unwrap_or("it does not fit this address")
            )
        } else {
            format!(
                "{} of your cookies would not be sent to {}. Each one is listed below with the reason.",
                held.len(),
                self.url
            )
        };
        let mut finding = Finding::new(Code::CookieNotSent, detail);
        if login.is_some() && !live_login {
            finding = finding
                .severity(Severity::Problem)
                .title("Your login cookie would not be sent to this address");
        }
        let mut kinds: Vec<NotSent> = Vec::new();
        for v in &held {
            if let Some(k) = v.not_sent {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        for kind in kinds.iter().rev() {
            finding = finding.first_step(step_for(*kind, &self.url));
        }
        for v in held.iter().take(MAX_EVIDENCE) {
            finding = finding.evidence(v.describe(), v.reason.clone().unwrap_or_default());
        }
        if held.len() > MAX_EVIDENCE {
            finding = finding.evidence(
                "More",
                format!("and {} more cookies not sent", held.len() - MAX_EVIDENCE),
            );
        }
        Some(finding)
    }

    /// `cookie-shadowed`, one per name sent more than once.
    #[must_use]
    pub fn shadowed_findings(&self) -> Vec<Finding> {
        // Names in the order they are first sent, each with its copies in send order.
        let mut groups: Vec<Vec<&CookieVerdict>> = Vec::new();
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        for v in self.sent() {
            if let Some(group) = group_of
                .get(v.name.as_str())
                .and_then(|i| groups.get_mut(*i))
            {
                group.push(v);
            } else {
                group_of.insert(&v.name, groups.len());
                groups.push(vec![v]);
            }
        }
        groups
            .into_iter()
            .filter(|copies| copies.len() > 1)
            .map(|copies| {
                let name = copies.first().map(|v| v.name.clone()).unwrap_or_default();
                let login = copies.iter().any(|v| v.looks_like_login);
                let first = copies.first().map(|v| v.describe()).unwrap_or_default();
                let mut finding = Finding::new(
                    Code::CookieShadowed,
                    format!(
                        "Your browser would send {} cookies named {name}. It sends {first} first, and many sites read only the first one: if that one is an old {}, the site ignores the newer one.",
                        copies.len(),
                        if login { "session" } else { "value" },
                    ),
                )
                .title(format!("Two or more cookies named {name} are sent, and the first one wins"));
                if !login {
                    finding = finding.severity(Severity::Warning);
                }
                for v in copies {
                    let place = v.send_position.map_or_else(String::new, |p| format!("sent {}", ordinal(p)));
                    finding = finding.evidence(v.describe(), place);
                }
                finding
            })
            .collect()
    }

    /// `login-cookie-missing`: when the site wants a sign-in (`needs_login`), no imported cookie
    /// looks like a login session, or the one that does would not be sent.
    #[must_use]
    pub fn login_finding(&self, needs_login: bool) -> Option<Finding> {
        if !needs_login || self.sent().any(|v| v.looks_like_login) {
            return None;
        }
        let login: Vec<&CookieVerdict> = self
            .verdicts
            .iter()
            .filter(|v| v.looks_like_login)
            .collect();
        let mut finding = if login.is_empty() {
            let mut names: Vec<&str> = self.verdicts.iter().map(|v| v.name.as_str()).collect();
            names.dedup();
            let shown = names
                .iter()
                .take(MAX_EVIDENCE)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            Finding::new(
                Code::LoginCookieMissing,
                if names.is_empty() {
                    "The site wants a sign-in, and no cookies for it were given, so the browser has no login to send.".to_owned()
                } else {
                    format!(
                        "The site wants a sign-in, but none of your {} cookie{} for it looks like a login cookie ({shown}). The browser is probably not signed in to this site.",
                        self.verdicts.len(),
                        plural(self.verdicts.len())
                    )
                },
            )
        } else {
            let first = login.first().map(|v| v.name.clone()).unwrap_or_default();
            Finding::new(
                Code::LoginCookieMissing,
                format!(
                    "The site wants a sign-in. You have a login cookie ({first}), but the browser would not send it to this address, so the site treats you as a stranger."
                ),
            )
            .severity(Severity::Problem)
            .title("Your login cookie is not sent to this address")
        };
        for v in login.iter().take(MAX_EVIDENCE) {
            finding = finding.evidence(v.describe(), v.reason.clone().unwrap_or_default());
        }
        Some(finding)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn step_for(kind: NotSent, url: &str) -> String {
    match kind {
        NotSent::Expired => "Sign in again so the site gives you fresh cookies.".to_owned(),
        NotSent::SecureOnHttp => format!(
            "Use the https:// address: {}",
            url.replacen("http://", "https://", 1)
        ),
        NotSent::DomainMismatch => "Open the site with exactly the name where you signed in (with or without www) and check that address.".to_owned(),
        NotSent::PathMismatch => "Check the part of the site where you signed in: the cookie belongs to another folder of the site. If you run the site, set the login cookie with Path=/.".to_owned(),
        NotSent::SameSiteStrict | NotSent::SameSiteLax => "Open the site yourself (type the address or use a bookmark) instead of arriving from another site's link, form or frame.".to_owned(),
        NotSent::SameSiteNoneWithoutSecure | NotSent::HostPrefix | NotSent::SecurePrefix => "If you run the site, fix how it sets this cookie: __Host- and __Secure- names and SameSite=None need Secure (and __Host- needs Path=/ and no Domain).".to_owned(),
        NotSent::TooLong => "Delete this site's cookies and sign in again; if you run the site, keep cookies under 4 KB (store data on the server, not in the cookie).".to_owned(),
    }
}

/// With cookies the site says 401 and without them it does not: `cookies-cause-401`.
/// `verdicts` are the imported cookies' verdicts (to name the ones that were sent).
#[must_use]
pub fn compare_with_and_without(
    with_status: u16,
    without_status: u16,
    verdicts: &[CookieVerdict],
) -> Option<Finding> {
    if with_status != 401 || without_status == 401 || without_status >= 400 {
        return None;
    }
    let sent: Vec<&CookieVerdict> = verdicts.iter().filter(|v| v.sent).collect();
    let host = sent
        .first()
        .copied()
        .or(verdicts.first())
        .map_or_else(|| "this site".to_owned(), |v| v.domain.clone());
    let names = sent
        .iter()
        .take(MAX_EVIDENCE)
        .map(|v| v.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let shadowed: Vec<&str> = sent
        .iter()
        .filter(|v| v.note.is_some())
        .map(|v| v.name.as_str())
        .collect();
    let mut detail = format!(
        "With your cookies the site answers {with_status}; without them it answers {without_status}. So one of the cookies your browser keeps for {host} is stale and the site refuses it. Clear the cookies of this site only, not all your cookies."
    );
    if let Some(name) = shadowed.first() {
        let _ = write!(
            detail,
            " The likely one: your browser sends more than one cookie named {name}, and the site reads the old one."
        );
    }
    let mut finding = Finding::new(Code::CookiesCause401, detail)
        .evidence("Status with your cookies", with_status.to_string())
        .evidence("Status without cookies", without_status.to_string());
    if !names.is_empty() {
        finding = finding.evidence("Cookies sent", names);
    }
    let mut steps: Vec<String> = [
        Browser::Chrome,
        Browser::Edge,
        Browser::Firefox,
        Browser::Safari,
    ]
    .into_iter()
    .map(|b| format!("{}: {}", b.label(), b.quick_clear(&host)))
    .collect();
    steps.push("Reload the page and sign in again.".to_owned());
    Some(finding.steps(steps))
}

// ---------------------------------------------------------------------------------------------
// Clearing one site's cookies
// ---------------------------------------------------------------------------------------------

/// A browser the clearing steps are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Browser {
    /// Google Chrome on a computer.
    Chrome,
    /// Microsoft Edge on a computer.
    Edge,
    /// Mozilla Firefox on a computer.
    Firefox,
    /// Safari on a Mac.
    Safari,
    /// Chrome on an Android phone or tablet.
    ChromeAndroid,
    /// Safari on an iPhone or iPad.
    SafariIphone,
}

impl Browser {
    /// Every browser with steps.
    pub const ALL: [Browser; 6] = [
        Browser::Chrome,
        Browser::Edge,
        Browser::Firefox,
        Browser::Safari,
        Browser::ChromeAndroid,
        Browser::SafariIphone,
    ];

    /// The browser's name as people know it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Browser::Chrome => "Chrome",
            Browser::Edge => "Microsoft Edge",
            Browser::Firefox => "Firefox",
            Browser::Safari => "Safari on a Mac",
            Browser::ChromeAndroid => "Chrome on Android",
            Browser::SafariIphone => "Safari on iPhone or iPad",
        }
    }

    /// Every browser, the ones most likely on `os` first. `os` is a name as in
    /// `std::env::consts::OS`: "windows", "macos", "linux", "android", "ios".
    #[must_use]
    pub fn for_os(os: &str) -> Vec<Browser> {
        use Browser::{Chrome, ChromeAndroid, Edge, Firefox, Safari, SafariIphone};
        match os.to_ascii_lowercase().as_str() {
            "windows" => vec![Chrome, Edge, Firefox, ChromeAndroid, SafariIphone, Safari],
            "macos" => vec![Safari, Chrome, Firefox, Edge, SafariIphone, ChromeAndroid],
            "ios" => vec![SafariIphone, Safari, Chrome, ChromeAndroid, Firefox, Edge],
            "android" => vec![ChromeAndroid, Chrome, Firefox, Edge, SafariIphone, Safari],
            "linux" | "freebsd" | "openbsd" | "netbsd" => {
                vec![Firefox, Chrome, Edge, ChromeAndroid, SafariIphone, Safari]
            }
            _ => vec![Chrome, Firefox, Edge, Safari, ChromeAndroid, SafariIphone],
        }
    }

    /// The shortest way to clear one site's cookies, on one line.
    fn quick_clear(self, host: &str) -> String {
        match self {
            Browser::Chrome => format!(
                "open {host}, click the icon left of the address > Cookies and site data > Manage on-device site data, and click the bin icon next to each entry"
            ),
            Browser::Edge => format!(
                "open {host}, click the lock icon left of the address > Cookies and site data > Manage cookies and site data, and delete each entry"
            ),
            Browser::Firefox => format!(
                "open {host}, click the padlock left of the address > Clear cookies and site data… > Remove"
            ),
            Browser::Safari => format!(
                "Safari menu > Settings… > Privacy > Manage Website Data…, search for {}, select it, Remove, Done",
                site_key(host)
            ),
            Browser::ChromeAndroid => format!(
                "open {host}, tap the icon left of the address > Cookies and site data > the bin icon > Delete"
            ),
            Browser::SafariIphone => format!(
                "Settings > Apps > Safari > Advanced > Website Data, search for {}, swipe left, Delete",
                site_key(host)
            ),
        }
    }
}

/// Steps, in order, to delete the cookies and stored data of `host` only (not every site's) in
/// `browser`, with the exact menu names. The UI numbers them.
#[must_use]
pub fn clear_site_data_steps(browser: Browser, site: &str) -> Vec<String> {
    // `site` is a host name or a whole origin: a site on an IP address or another port is only
    // reached with its scheme and port, and an IP address has no parent domain.
    let (origin, host) = match Url::parse(site.trim()) {
        Ok(u) if u.host_str().is_some() => (
            u.origin().ascii_serialization(),
            u.host_str().unwrap_or_default().to_owned(),
        ),
        _ => {
            let host = site.trim().trim_start_matches('.').to_ascii_lowercase();
            (format!("https://{host}"), host)
        }
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let base = if host.parse::<std::net::IpAddr>().is_ok() {
        host.clone()
    } else {
        site_key(&host).to_owned()
    };
    let both = if base == host {
        format!("\"{host}\"")
    } else {
        format!("\"{host}\" and \"{base}\"")
    };
    match browser {
        Browser::Chrome => vec![
            format!("Open {origin} in Chrome."),
            "Click the icon just left of the address (\"View site information\").".to_owned(),
            "Click \"Cookies and site data\", then \"Manage on-device site data\".".to_owned(),
            format!("Click the bin icon next to {both} (and any other entry of this site), then click \"Done\"."),
            "Reload the page and sign in again.".to_owned(),
            format!("If the icon menu looks different: open Settings > Privacy and security > Third-party cookies > \"See all site data and permissions\" (or type chrome://settings/content/all in the address bar), search for {base}, click the bin icon next to it and confirm with \"Delete\"."),
        ],
        Browser::Edge => vec![
            format!("Open {origin} in Edge."),
            "Click the lock icon just left of the address (\"View site information\").".to_owned(),
            "Click \"Cookies and site data\", then \"Manage cookies and site data\" (or \"Cookies (… in use)\").".to_owned(),
            format!("Delete every entry for {both}, then click \"Done\"."),
            "Reload the page and sign in again.".to_owned(),
            format!("Another way: type edge://settings/siteData in the address bar (Settings > Privacy, search, and services > Cookies > \"See all cookies and site data\"), search for {base}, click the arrow next to it and the bin icon to delete."),
        ],
        Browser::Firefox => vec![
            format!("Open {origin} in Firefox."),
            "Click the padlock just left of the address.".to_owned(),
            "Click \"Clear cookies and site data…\".".to_owned(),
            format!("Check that {both} is listed, then click \"Remove\"."),
            "Reload the page and sign in again.".to_owned(),
            format!("Another way: Settings > Privacy & Security > Cookies and Site Data > \"Manage Data…\", search for {base}, click \"Remove Selected\", then \"Save Changes\"."),
        ],
        Browser::Safari => vec![
            "In Safari, open the Safari menu (top left, next to the Apple menu) and choose \"Settings…\" (\"Preferences…\" on older macOS).".to_owned(),
            "Click the \"Privacy\" tab.".to_owned(),
            "Click \"Manage Website Data…\".".to_owned(),
            format!("Type {base} in the search field, select the entries for this site (not the whole list)."),
            "Click \"Remove\" (not \"Remove All\"), then \"Done\".".to_owned(),
            format!("Open {origin} again and sign in."),
        ],
        Browser::ChromeAndroid => vec![
            format!("Open {origin} in Chrome on the phone."),
            "Tap the icon just left of the address.".to_owned(),
            "Tap \"Cookies and site data\" (on some versions \"Cookies\").".to_owned(),
            "Tap the bin icon and confirm with \"Delete\".".to_owned(),
            "Reload the page and sign in again.".to_owned(),
            format!("Another way: tap ⋮ > Settings > Site settings > All sites, tap {base}, then \"Delete & reset\" (\"Clear & reset\" on older versions)."),
        ],
        Browser::SafariIphone => vec![
            "Open the Settings app (not Safari).".to_owned(),
            "Tap \"Apps\", then \"Safari\" (before iOS 18, \"Safari\" is directly in Settings).".to_owned(),
            "Scroll down and tap \"Advanced\", then \"Website Data\".".to_owned(),
            format!("Type {base} in the search field."),
            "Swipe left on the entry and tap \"Delete\" (do not tap \"Remove All Website Data\").".to_owned(),
            format!("Open {origin} in Safari again and sign in."),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Url {
        Url::parse("https://www.example.com/wp-admin/").unwrap_or_else(|e| panic!("{e}"))
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// 2025-01-01T00:00:00Z.
    const NOW: u64 = 1_735_689_600;

    fn verdict<'a>(check: &'a CookieCheck, name: &str) -> &'a CookieVerdict {
        check
            .verdicts
            .iter()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("no verdict for {name}: {check:?}"))
    }

    #[test]
    fn a_pasted_cookie_header_is_read_with_or_without_its_prefix() {
        for text in ["Cookie: a=1; b=two", "a=1; b=two", "cookie:a=1;b=two\n"] {
            let imported = import(text, &site());
            assert_eq!(imported.format, Format::CookieHeader, "{text}");
            let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["a", "b"]);
            assert!(imported.problems.is_empty());
        }
    }

    #[test]
    fn a_cookie_header_sends_its_cookies_in_the_same_order() {
        let check = import("sid=s3cr3t; theme=dark", &site()).check(
            &site(),
            RequestContext::SameSite,
            at(NOW),
        );
        assert!(check.verdicts.iter().all(|v| v.sent));
        let header = check.cookie_header().unwrap_or_default();
        assert_eq!(header.expose(), "sid=s3cr3t; theme=dark");
        assert_eq!(format!("{header:?}"), "(redacted)");
    }

    #[test]
    fn a_cookie_header_part_without_equals_is_a_problem_and_the_rest_loads() {
        let imported = import("a=1; garbage; b=2", &site());
        assert_eq!(imported.cookies.len(), 2);
        assert_eq!(imported.problems.len(), 1);
        assert_eq!(imported.problems[0].line, 1);
    }

    #[test]
    fn set_cookie_lines_are_read_with_their_attributes() {
        let text = "Set-Cookie: sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax\n\
                    set-cookie: pref=1; Domain=.example.com; Expires=Wed, 01 Jan 2031 00:00:00 GMT\n\
                    tmp=x; Max-Age=0\n";
        let imported = import(text, &site());
        assert_eq!(imported.format, Format::SetCookie);
        assert_eq!(imported.cookies.len(), 3);
        let sid = &imported.cookies[0];
        assert!(sid.secure && sid.http_only && sid.host_only);
        assert_eq!(sid.same_site, Some(SameSite::Lax));
        assert_eq!(sid.domain, "www.example.com");
        let pref = &imported.cookies[1];
        assert!(!pref.host_only);
        assert_eq!(pref.domain, "example.com");
        assert_eq!(pref.expires, Expiry::AtUnixSecs(1_924_992_000));
        assert_eq!(imported.cookies[2].expires, Expiry::MaxAgeSecs(0));
    }

    #[test]
    fn a_set_cookie_line_without_a_name_is_reported_by_line() {
        let imported = import("sid=abc; Path=/\n=nope; Path=/\nnovalue; Secure\n", &site());
        assert_eq!(imported.cookies.len(), 1);
        let lines: Vec<usize> = imported.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn a_set_cookie_line_without_a_path_gets_the_default_path_of_the_site() {
        let imported = import("sid=abc; Secure", &site());
        assert_eq!(imported.cookies[0].path, "/wp-admin");
    }

    const COOKIES_TXT: &str = "# Netscape HTTP Cookie File\n\
# https://curl.se/docs/http-cookies.html\n\
\n\
#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1924992000\twordpress_logged_in_abc\tadmin%7C123\n\
www.example.com\tFALSE\t/\tFALSE\t0\tpref\tdark\n\
.google.com\tTRUE\t/\tTRUE\t1924992000\tNID\tzzz\n";

    #[test]
    fn a_cookies_txt_file_is_read_with_http_only_lines_and_session_expiry() {
        let imported = import(COOKIES_TXT, &site());
        assert_eq!(imported.format, Format::NetscapeFile);
        assert_eq!(imported.cookies.len(), 2);
        assert_eq!(imported.other_site_cookies, 1);
        let login = &imported.cookies[0];
        assert!(login.http_only && login.secure && !login.host_only);
        assert_eq!(login.domain, "example.com");
        assert_eq!(login.line, 4);
        let pref = &imported.cookies[1];
        assert!(pref.host_only && !pref.http_only);
        assert_eq!(pref.expires, Expiry::Session);
    }

    #[test]
    fn broken_cookies_txt_lines_are_reported_one_by_one() {
        let text = "# Netscape HTTP Cookie File\n\
www.example.com\tMAYBE\t/\tFALSE\t0\ta\t1\n\
www.example.com\tFALSE\tnoslash\tFALSE\t0\tb\t1\n\
www.example.com\tFALSE\t/\tFALSE\tsoon\tc\t1\n\
just some words\n\
www.example.com\tFALSE\t/\tFALSE\t0\tgood\t1\n";
        let imported = import(text, &site());
        assert_eq!(imported.cookies.len(), 1);
        let lines: Vec<usize> = imported.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(imported.problems[0].message.contains("TRUE or FALSE"));
    }

    #[test]
    fn a_cookies_txt_with_spaces_instead_of_tabs_still_loads() {
        let text = "# Netscape HTTP Cookie File\nwww.example.com FALSE / TRUE 1924992000 sid abc\n";
        let imported = import(text, &site());
        assert_eq!(imported.cookies.len(), 1);
        assert!(imported.cookies[0].secure);
    }

    const JSON_EXPORT: &str = r#"[
  {
    "domain": ".example.com",
    "expirationDate": 1924992000.5,
    "hostOnly": false,
    "httpOnly": true,
    "name": "wordpress_logged_in_abc",
    "path": "/",
    "sameSite": "lax",
    "secure": true,
    "session": false,
    "storeId": "0",
    "value": "admin%7Csecret"
  },
  {
    "domain": "www.example.com",
    "hostOnly": true,
    "httpOnly": false,
    "name": "pref",
    "path": "/",
    "sameSite": "unspecified",
    "secure": false,
    "session": true,
    "value": "dark"
  },
  {"domain": ".other.org", "name": "x", "value": "y", "path": "/"}
]"#;

    #[test]
    fn a_json_export_is_read_with_its_flags() {
        let imported = import(JSON_EXPORT, &site());
        assert_eq!(imported.format, Format::JsonExport);
        assert_eq!(imported.cookies.len(), 2);
        assert_eq!(imported.other_site_cookies, 1);
        let login = &imported.cookies[0];
        assert_eq!(login.expires, Expiry::AtUnixSecs(1_924_992_000));
        assert_eq!(login.same_site, Some(SameSite::Lax));
        assert!(login.secure && login.http_only && !login.host_only);
        assert_eq!(login.line, 2);
        assert_eq!(imported.cookies[1].expires, Expiry::Session);
        assert_eq!(imported.cookies[1].same_site, None);
        assert_eq!(imported.cookies[1].line, 15);
    }

    #[test]
    fn a_playwright_state_file_is_read_as_a_json_export() {
        let text = r#"{"cookies":[{"name":"sid","value":"v","domain":"www.example.com","path":"/","expires":-1,"httpOnly":true,"secure":true,"sameSite":"Strict"}],"origins":[]}"#;
        let imported = import(text, &site());
        assert_eq!(imported.format, Format::JsonExport);
        assert_eq!(imported.cookies.len(), 1);
        assert_eq!(imported.cookies[0].expires, Expiry::Session);
        assert_eq!(imported.cookies[0].same_site, Some(SameSite::Strict));
    }

    #[test]
    fn bad_json_entries_are_skipped_without_quoting_their_values() {
        let text = r#"[
  {"name": "ok", "value": "1", "domain": "www.example.com"},
  {"name": "bad", "value": {"nested": "TOPSECRET"}, "domain": "www.example.com"},
  42,
  {"value": "TOPSECRET", "domain": "www.example.com"}
]"#;
        let imported = import(text, &site());
        assert_eq!(imported.cookies.len(), 1);
        let lines: Vec<usize> = imported.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        let all = format!("{:?}", imported.problems);
        assert!(!all.contains("TOPSECRET"), "{all}");
    }

    #[test]
    fn a_cut_off_json_export_keeps_the_cookies_before_the_break() {
        let text = r#"[{"name":"a","value":"1","domain":"www.example.com"},
{"name":"b","value":"2","domain":"www.example.com"},
{"name":"c","val"#;
        let imported = import(text, &site());
        assert_eq!(imported.cookies.len(), 2);
        assert_eq!(imported.problems.len(), 1);
        assert!(imported.problems[0].message.contains("ends too early"));
        assert_eq!(imported.problems[0].line, 3);
    }

    const CHROME_HAR: &str = r#"{"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
"pages": [],
"entries": [
 {"request": {"method": "GET", "url": "https://www.example.com/wp-login.php", "httpVersion": "http/2.0",
   "headers": [{"name": ":authority", "value": "www.example.com"}],
   "cookies": []},
  "response": {"status": 302, "headers": [
     {"name": "set-cookie", "value": "wordpress_logged_in_abc=admin%7Cxyz; expires=Wed, 01 Jan 2031 00:00:00 GMT; path=/; secure; HttpOnly\nwordpress_test_cookie=WP%20Cookie%20check; path=/; secure"}],
   "cookies": [{"name": "wordpress_logged_in_abc", "value": "admin%7Cxyz", "path": "/", "expires": "2031-01-01T00:00:00.000Z", "httpOnly": true, "secure": true}],
   "content": {"size": 5, "mimeType": "text/html", "text": "hello \"entries\": ["}}},
 {"request": {"method": "GET", "url": "https://cdn.other.net/app.js", "headers": [], "cookies": [{"name": "tracker", "value": "t"}]},
  "response": {"status": 200, "headers": [], "cookies": []}},
 {"request": {"method": "GET", "url": "https://www.example.com/wp-admin/", "headers": [{"name": "cookie", "value": "wordpress_logged_in_abc=admin%7Cxyz; wordpress_test_cookie=WP%20Cookie%20check"}],
   "cookies": [{"name": "wordpress_logged_in_abc", "value": "admin%7Cxyz", "path": "/", "domain": "www.example.com", "expires": null, "httpOnly": true, "secure": true},
               {"name": "wordpress_test_cookie", "value": "WP%20Cookie%20check", "path": "/", "domain": "www.example.com", "expires": null, "httpOnly": false, "secure": true}]},
  "response": {"status": 401, "headers": [], "cookies": [], "content": {"size": 0}}}
]}}"#;

    #[test]
    fn a_chrome_har_gives_the_sites_cookies_with_attributes_from_set_cookie() {
        let imported = import(CHROME_HAR, &site());
        assert_eq!(imported.format, Format::Har);
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["wordpress_logged_in_abc", "wordpress_test_cookie"]);
        assert!(
            imported
                .cookies
                .iter()
                .all(|c| c.attributes_known && c.secure)
        );
        assert_eq!(
            imported.cookies[0].expires,
            Expiry::AtUnixSecs(1_924_992_000)
        );
    }

    const FIREFOX_HAR: &str = r#"{
  "log": {
    "version": "1.2",
    "creator": {"name": "Firefox", "version": "133.0"},
    "entries": [
      {
        "startedDateTime": "2025-01-01T00:00:00.000+00:00",
        "request": {
          "method": "GET",
          "url": "https://www.example.com/account",
          "headers": [{"name": "Cookie", "value": "PHPSESSID=old; PHPSESSID=new; lang=en"}],
          "cookies": [{"name": "PHPSESSID", "value": "old"}, {"name": "PHPSESSID", "value": "new"}, {"name": "lang", "value": "en"}]
        },
        "response": {
          "status": 401,
          "headers": [{"name": "Set-Cookie", "value": "lang=en; Path=/; Max-Age=3600"}],
          "cookies": [{"name": "lang", "value": "en", "path": "/", "expires": "2025-01-01T01:00:00.000Z"}]
        }
      }
    ]
  }
}"#;

    #[test]
    fn a_firefox_har_keeps_duplicate_sent_cookies_as_evidence() {
        let imported = import(FIREFOX_HAR, &site());
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        let check = imported.check(
            &Url::parse("https://www.example.com/account").unwrap_or_else(|e| panic!("{e}")),
            RequestContext::SameSite,
            at(NOW),
        );
        let names: Vec<&str> = check.sent().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["lang", "PHPSESSID", "PHPSESSID"]);
        let shadowed = check.shadowed_findings();
        assert_eq!(shadowed.len(), 1);
        assert_eq!(shadowed[0].code, Code::CookieShadowed);
        assert_eq!(shadowed[0].severity, Severity::Problem);
    }

    #[test]
    fn a_har_without_cookies_explains_the_sanitized_export() {
        let text = r#"{"log":{"entries":[{"request":{"url":"https://www.example.com/","headers":[],"cookies":[]},"response":{"headers":[],"cookies":[]}}]}}"#;
        let imported = import(text, &site());
        assert!(imported.cookies.is_empty());
        assert!(
            imported
                .problems
                .iter()
                .any(|p| p.message.contains("with sensitive data"))
        );
    }

    #[test]
    fn a_cut_off_har_keeps_the_entries_before_the_break() {
        let cut = CHROME_HAR.get(..CHROME_HAR.len() - 400).unwrap_or_default();
        let imported = import(cut, &site());
        assert_eq!(imported.format, Format::Har);
        assert!(!imported.cookies.is_empty());
        assert!(
            imported
                .problems
                .iter()
                .any(|p| p.message.contains("ends too early"))
        );
    }

    #[test]
    fn har_entry_lines_point_at_the_entry() {
        let lines = array_element_lines(FIREFOX_HAR, Some(("entries", 2)));
        assert_eq!(lines, [6]);
        let lines = array_element_lines(CHROME_HAR, Some(("entries", 2)));
        assert_eq!(lines, [4, 11, 13]);
    }

    #[test]
    fn a_huge_import_stops_at_the_cookie_limit() {
        let mut text = String::from("# Netscape HTTP Cookie File\n");
        for i in 0..(MAX_COOKIES + 5) {
            let _ = writeln!(text, "www.example.com\tFALSE\t/\tFALSE\t0\tc{i}\tv");
        }
        let imported = import(&text, &site());
        assert_eq!(imported.cookies.len(), MAX_COOKIES);
        assert!(imported.truncated);
        assert_eq!(imported.problems.len(), 1);
    }

    #[test]
    fn a_huge_har_is_read_entry_by_entry_within_the_limit() {
        let mut text = String::from(r#"{"log":{"entries":["#);
        for i in 0..(MAX_COOKIES + 10) {
            if i > 0 {
                text.push(',');
            }
            let _ = write!(
                text,
                r#"{{"request":{{"url":"https://www.example.com/p{i}","headers":[],"cookies":[]}},"response":{{"headers":[{{"name":"Set-Cookie","value":"c{i}=v; Path=/"}}],"cookies":[],"content":{{"text":"{}"}}}}}}"#,
                "x".repeat(100)
            );
        }
        text.push_str("]}}");
        let imported = import(&text, &site());
        assert_eq!(imported.cookies.len(), MAX_COOKIES);
    }

    fn one(set_cookie: &str, url: &str, context: RequestContext) -> CookieVerdict {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("{e}"));
        let imported = import(
            set_cookie,
            &Url::parse("https://www.example.com/").unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        let check = imported.check(&url, context, at(NOW));
        check
            .verdicts
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no verdict"))
    }

    #[test]
    fn an_expired_cookie_is_not_sent_and_says_when_it_expired() {
        let v = one(
            "sid=1; Path=/; Expires=Tue, 31 Dec 2024 00:00:00 GMT",
            "https://www.example.com/",
            RequestContext::SameSite,
        );
        assert!(!v.sent);
        assert_eq!(v.not_sent, Some(NotSent::Expired));
        let reason = v.reason.unwrap_or_default();
        assert!(reason.contains("Tue, 31 Dec 2024 00:00:00 GMT"), "{reason}");
        assert!(reason.contains("1 day ago"), "{reason}");
    }

    #[test]
    fn a_secure_cookie_is_not_sent_to_an_http_address() {
        let v = one(
            "sid=1; Path=/; Secure",
            "http://www.example.com/",
            RequestContext::SameSite,
        );
        assert_eq!(v.not_sent, Some(NotSent::SecureOnHttp));
        assert!(v.reason.unwrap_or_default().contains("https"));
    }

    #[test]
    fn a_secure_cookie_is_sent_to_localhost_over_http_as_browsers_do() {
        let local = Url::parse("http://localhost:8080/").unwrap_or_else(|e| panic!("{e}"));
        let check = import("sid=1; Path=/; Secure", &local).check(
            &local,
            RequestContext::SameSite,
            at(NOW),
        );
        assert!(check.verdicts[0].sent);
    }

    #[test]
    fn a_cookie_for_another_name_of_the_site_is_a_domain_mismatch() {
        let v = one(
            "sid=1; Path=/",
            "https://example.com/",
            RequestContext::SameSite,
        );
        assert_eq!(v.not_sent, Some(NotSent::DomainMismatch));
        assert_eq!(
            v.reason.as_deref(),
            Some("it belongs only to www.example.com, not to example.com")
        );
        let v = one(
            "sid=1; Path=/; Domain=example.com",
            "https://shop.example.com/",
            RequestContext::SameSite,
        );
        assert!(v.sent, "a Domain cookie reaches subdomains");
    }

    #[test]
    fn a_cookie_for_another_folder_is_a_path_mismatch() {
        let v = one(
            "sid=1; Path=/shop",
            "https://www.example.com/wp-admin/",
            RequestContext::SameSite,
        );
        assert_eq!(v.not_sent, Some(NotSent::PathMismatch));
        let v = one(
            "sid=1; Path=/shop",
            "https://www.example.com/shopping",
            RequestContext::SameSite,
        );
        assert_eq!(
            v.not_sent,
            Some(NotSent::PathMismatch),
            "/shop does not cover /shopping"
        );
        let v = one(
            "sid=1; Path=/shop",
            "https://www.example.com/shop/cart",
            RequestContext::SameSite,
        );
        assert!(v.sent);
    }

    #[test]
    fn same_site_cookies_are_held_back_on_cross_site_requests() {
        let strict = "sid=1; Path=/; Secure; SameSite=Strict";
        let lax = "sid=1; Path=/; Secure; SameSite=Lax";
        let unset = "sid=1; Path=/; Secure";
        let url = "https://www.example.com/";
        assert!(one(strict, url, RequestContext::SameSite).sent);
        assert_eq!(
            one(strict, url, RequestContext::CrossSiteNavigation).not_sent,
            Some(NotSent::SameSiteStrict)
        );
        assert!(one(lax, url, RequestContext::CrossSiteNavigation).sent);
        assert_eq!(
            one(lax, url, RequestContext::CrossSiteSubrequest).not_sent,
            Some(NotSent::SameSiteLax)
        );
        let v = one(unset, url, RequestContext::CrossSiteSubrequest);
        assert_eq!(v.not_sent, Some(NotSent::SameSiteLax));
        assert!(v.reason.unwrap_or_default().contains("no SameSite setting"));
        assert_eq!(
            one(
                "sid=1; Path=/; SameSite=None",
                url,
                RequestContext::SameSite
            )
            .not_sent,
            Some(NotSent::SameSiteNoneWithoutSecure)
        );
    }

    #[test]
    fn broken_host_and_secure_prefixes_are_refused() {
        let url = "https://www.example.com/";
        let v = one(
            "__Host-sid=1; Path=/; Secure; Domain=example.com",
            url,
            RequestContext::SameSite,
        );
        assert_eq!(v.not_sent, Some(NotSent::HostPrefix));
        assert!(v.reason.unwrap_or_default().contains("it has a Domain"));
        assert_eq!(
            one(
                "__Host-sid=1; Path=/app; Secure",
                url,
                RequestContext::SameSite
            )
            .not_sent,
            Some(NotSent::HostPrefix)
        );
        assert!(
            one(
                "__Host-sid=1; Path=/; Secure",
                url,
                RequestContext::SameSite
            )
            .sent
        );
        assert_eq!(
            one("__Secure-sid=1; Path=/", url, RequestContext::SameSite).not_sent,
            Some(NotSent::SecurePrefix)
        );
        assert!(
            one(
                "__Secure-sid=1; Path=/; Secure",
                url,
                RequestContext::SameSite
            )
            .sent
        );
    }

    #[test]
    fn an_over_long_cookie_is_refused() {
        let line = format!("big={}; Path=/", "x".repeat(MAX_COOKIE_BYTES));
        let v = one(&line, "https://www.example.com/", RequestContext::SameSite);
        assert_eq!(v.not_sent, Some(NotSent::TooLong));
        assert_eq!(v.size_bytes, MAX_COOKIE_BYTES + 3);
    }

    #[test]
    fn max_age_zero_means_the_site_deleted_the_cookie() {
        let v = one(
            "sid=1; Path=/; Max-Age=0",
            "https://www.example.com/",
            RequestContext::SameSite,
        );
        assert_eq!(v.not_sent, Some(NotSent::Expired));
        assert!(v.reason.unwrap_or_default().contains("deleted"));
    }

    #[test]
    fn the_more_specific_path_is_sent_first_and_the_shadowing_is_reported() {
        let text = "sid=new; Path=/\nsid=old; Path=/wp-admin\nother=1; Path=/\n";
        let imported = import(text, &site());
        let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
        let order: Vec<(&str, &str)> = check
            .sent()
            .map(|v| (v.name.as_str(), v.path.as_str()))
            .collect();
        assert_eq!(order, [("sid", "/wp-admin"), ("sid", "/"), ("other", "/")]);
        assert_eq!(
            check.cookie_header().unwrap_or_default().expose(),
            "sid=old; sid=new; other=1"
        );
        let first = verdict(&check, "sid");
        assert!(
            first
                .note
                .as_deref()
                .unwrap_or_default()
                .contains("sent first")
        );
        let findings = check.shadowed_findings();
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .detail
                .contains("sid (for www.example.com, path /wp-admin) first")
        );
        assert_eq!(findings[0].evidence.len(), 2);
    }

    #[test]
    fn cookies_for_different_domains_with_one_name_shadow_each_other_too() {
        let text = "sid=a; Path=/; Domain=example.com\nsid=b; Path=/\n";
        let check = import(text, &site()).check(&site(), RequestContext::SameSite, at(NOW));
        assert_eq!(check.sent().count(), 2);
        assert_eq!(check.shadowed_findings().len(), 1);
    }

    #[test]
    fn login_cookie_names_are_recognised() {
        for name in [
            "wordpress_logged_in_0123abcd",
            "wordpress_sec_0123abcd",
            "wordpress_0123456789abcdef0123",
            "PHPSESSID",
            "JSESSIONID",
            "connect.sid",
            "myapp_session",
            "_gitlab_session",
            "session",
            "sid",
            "remember_me",
            "laravel_session",
            "ASP.NET_SessionId",
            ".AspNetCore.Cookies",
            ".AspNetCore.Identity.Application",
            "SESS0123abcd",
            "__Host-next-auth.session-token",
            "sessionid",
            "CF_Authorization",
        ] {
            assert!(looks_like_login(name), "{name}");
        }
        for name in [
            "_ga",
            "theme",
            "wordpress_test_cookie",
            "csrftoken",
            "XSRF-TOKEN",
            ".AspNetCore.Antiforgery.x1",
            "wp-settings-1",
            "lang",
        ] {
            assert!(!looks_like_login(name), "{name}");
        }
    }

    #[test]
    fn verdicts_and_findings_never_contain_cookie_values() {
        let text = "Set-Cookie: PHPSESSID=VALUE_ONE; Path=/; Expires=Tue, 31 Dec 2024 00:00:00 GMT\n\
                    Set-Cookie: sid=VALUE_TWO; Path=/shop\n\
                    Set-Cookie: sid=VALUE_THREE; Path=/\n\
                    Set-Cookie: sid=VALUE_FOUR; Path=/wp-admin\n\
                    Set-Cookie: =VALUE_FIVE\n";
        let imported = import(text, &site());
        let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
        let mut all = serde_json::to_string(&check).unwrap_or_default();
        let _ = write!(all, "{check:?}{imported:?}");
        all.push_str(&serde_json::to_string(&check.findings()).unwrap_or_default());
        let _ = write!(all, "{:?}", check.login_finding(true));
        let _ = write!(
            all,
            "{:?}",
            compare_with_and_without(401, 200, &check.verdicts)
        );
        assert!(!all.contains("VALUE_"), "{all}");
    }

    #[test]
    fn expired_and_not_sent_cookies_become_findings() {
        let text =
            "PHPSESSID=1; Path=/; Expires=Tue, 31 Dec 2024 00:00:00 GMT\nsid2=1; Path=/shop\n";
        let check = import(text, &site()).check(&site(), RequestContext::SameSite, at(NOW));
        let findings = check.findings();
        let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::CookieExpired, Code::CookieNotSent]);
        assert_eq!(findings[0].severity, Severity::Problem);
        assert!(findings[0].detail.contains("PHPSESSID"));
        assert!(findings[1].evidence[0].value.contains("/shop"));
    }

    #[test]
    fn a_login_cookie_that_is_not_sent_is_a_problem() {
        let text = "wordpress_logged_in_abc=1; Path=/; Secure\n";
        let check = import(text, &site()).check(
            &Url::parse("http://www.example.com/wp-admin/").unwrap_or_else(|e| panic!("{e}")),
            RequestContext::SameSite,
            at(NOW),
        );
        let not_sent = check
            .not_sent_finding()
            .unwrap_or_else(|| panic!("no finding"));
        assert_eq!(not_sent.severity, Severity::Problem);
        assert!(not_sent.next_steps[0].starts_with("Use the https:// address"));
        let login = check
            .login_finding(true)
            .unwrap_or_else(|| panic!("no login finding"));
        assert_eq!(login.code, Code::LoginCookieMissing);
        assert_eq!(login.severity, Severity::Problem);
        assert!(check.login_finding(false).is_none());
    }

    #[test]
    fn no_login_like_cookie_means_the_login_is_missing() {
        let check =
            import("theme=dark; _ga=1", &site()).check(&site(), RequestContext::SameSite, at(NOW));
        let f = check
            .login_finding(true)
            .unwrap_or_else(|| panic!("no finding"));
        assert!(f.detail.contains("theme, _ga"));
        let ok = import("PHPSESSID=1", &site()).check(&site(), RequestContext::SameSite, at(NOW));
        assert!(ok.login_finding(true).is_none());
    }

    #[test]
    fn import_problems_become_a_malformed_file_finding() {
        let check = import("a=1; junk", &site()).check(&site(), RequestContext::SameSite, at(NOW));
        let f = check
            .malformed_finding()
            .unwrap_or_else(|| panic!("no finding"));
        assert_eq!(f.code, Code::CookieFileMalformed);
        assert_eq!(f.evidence[0].label, "Line 1");
        let empty = import("[]", &site()).check(&site(), RequestContext::SameSite, at(NOW));
        let f = empty
            .malformed_finding()
            .unwrap_or_else(|| panic!("no finding"));
        assert_eq!(f.title, "No cookies for this site could be read");
    }

    #[test]
    fn a_401_only_with_cookies_blames_a_stale_cookie_and_says_how_to_clear_it() {
        let check =
            import("sid=a; sid=b", &site()).check(&site(), RequestContext::SameSite, at(NOW));
        let f = compare_with_and_without(401, 200, &check.verdicts)
            .unwrap_or_else(|| panic!("no finding"));
        assert_eq!(f.code, Code::CookiesCause401);
        assert!(f.detail.contains("more than one cookie named sid"));
        for browser in ["Chrome:", "Microsoft Edge:", "Firefox:", "Safari on a Mac:"] {
            assert!(
                f.next_steps.iter().any(|s| s.starts_with(browser)),
                "{browser}"
            );
        }
        assert!(compare_with_and_without(401, 401, &check.verdicts).is_none());
        assert!(compare_with_and_without(200, 200, &check.verdicts).is_none());
        assert!(compare_with_and_without(401, 403, &check.verdicts).is_none());
    }

    #[test]
    fn every_browser_has_site_only_clearing_steps_naming_the_site() {
        for browser in Browser::ALL {
            let steps = clear_site_data_steps(browser, "www.example.com");
            assert!(steps.len() >= 5, "{browser:?}");
            assert!(
                steps.iter().any(|s| s.contains("example.com")),
                "{browser:?}"
            );
            assert!(
                !steps.iter().any(|s| s.starts_with("1.")),
                "the UI numbers the steps"
            );
        }
        let chrome = clear_site_data_steps(Browser::Chrome, "www.example.com").join(" ");
        assert!(
            chrome.contains("Cookies and site data")
                && chrome.contains("Manage on-device site data")
        );
        assert!(chrome.contains("See all site data and permissions"));
        let firefox = clear_site_data_steps(Browser::Firefox, "example.com").join(" ");
        assert!(firefox.contains("Clear cookies and site data…"));
        let iphone = clear_site_data_steps(Browser::SafariIphone, "example.com").join(" ");
        assert!(iphone.contains("Website Data"));
    }

    #[test]
    fn clearing_steps_for_an_ip_address_site_open_its_origin_and_name_no_parent_domain() {
        for browser in Browser::ALL {
            let steps = clear_site_data_steps(browser, "http://127.0.0.1:8080").join(" ");
            assert!(
                !steps.contains("\"0.1\"") && !steps.contains(" 0.1"),
                "{browser:?}: {steps}"
            );
            assert!(!steps.contains("https://127.0.0.1"), "{browser:?}: {steps}");
        }
        let firefox = clear_site_data_steps(Browser::Firefox, "http://127.0.0.1:8080").join(" ");
        assert!(
            firefox.contains("Open http://127.0.0.1:8080 in Firefox"),
            "{firefox}"
        );
    }

    #[test]
    fn the_likely_browsers_of_each_system_come_first() {
        assert_eq!(
            Browser::for_os("windows")[..2],
            [Browser::Chrome, Browser::Edge]
        );
        assert_eq!(Browser::for_os("macos")[0], Browser::Safari);
        assert_eq!(Browser::for_os("linux")[0], Browser::Firefox);
        assert_eq!(Browser::for_os("android")[0], Browser::ChromeAndroid);
        assert_eq!(Browser::for_os("ios")[0], Browser::SafariIphone);
        for os in ["windows", "macos", "linux", "android", "ios", "haiku"] {
            let mut all = Browser::for_os(os);
            all.sort_by_key(|b| Browser::ALL.iter().position(|x| x == b));
            assert_eq!(all, Browser::ALL, "{os} lists every browser once");
        }
    }

    #[test]
    fn iso_times_in_har_files_are_read() {
        assert_eq!(
            parse_iso8601("2031-01-01T00:00:00.000Z"),
            Some(1_924_992_000)
        );
        assert_eq!(
            parse_iso8601("2031-01-01T01:00:00+01:00"),
            Some(1_924_992_000)
        );
        assert_eq!(parse_iso8601("1970-01-01"), Some(0));
        assert_eq!(parse_iso8601("soon"), None);
    }

    #[test]
    fn formats_are_recognised_from_content() {
        assert_eq!(detect(""), Format::Empty);
        assert_eq!(detect("  \n"), Format::Empty);
        assert_eq!(detect("a=b"), Format::CookieHeader);
        assert_eq!(detect("a=b; Path=/"), Format::SetCookie);
        assert_eq!(detect("a=b; HttpOnly"), Format::SetCookie);
        assert_eq!(detect("[]"), Format::JsonExport);
        assert_eq!(detect(r#"{"log":{"entries":[]}}"#), Format::Har);
        assert_eq!(detect(COOKIES_TXT), Format::NetscapeFile);
    }

    #[test]
    fn related_names_are_kept_and_unrelated_sites_left_out() {
        assert!(related_to_site("example.com", "www.example.com"));
        assert!(related_to_site("shop.example.com", "www.example.com"));
        assert!(related_to_site("example.co.uk", "www.example.co.uk"));
        assert!(!related_to_site("other.co.uk", "www.example.co.uk"));
        assert!(!related_to_site("google.com", "www.example.com"));
        assert!(!related_to_site("127.0.0.2", "127.0.0.1"));
    }

    // --- Shared fixtures (tests/fixtures/cookies/) -----------------------------------------------

    const FIXTURE_COOKIES_TXT: &str = include_str!("../../../tests/fixtures/cookies/cookies.txt");
    const FIXTURE_COOKIES_TXT_BROKEN: &str =
        include_str!("../../../tests/fixtures/cookies/cookies-broken.txt");
    const FIXTURE_CHROME_HAR: &str = include_str!("../../../tests/fixtures/cookies/chrome.har");
    const FIXTURE_CHROME_HAR_BROKEN: &str =
        include_str!("../../../tests/fixtures/cookies/chrome-broken.har");
    const FIXTURE_FIREFOX_HAR: &str = include_str!("../../../tests/fixtures/cookies/firefox.har");
    const FIXTURE_FIREFOX_HAR_BROKEN: &str =
        include_str!("../../../tests/fixtures/cookies/firefox-broken.har");
    const FIXTURE_EXPORT_JSON: &str = include_str!("../../../tests/fixtures/cookies/export.json");
    const FIXTURE_EXPORT_JSON_BROKEN: &str =
        include_str!("../../../tests/fixtures/cookies/export-broken.json");

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn lines_of(imported: &Import) -> Vec<usize> {
        imported.problems.iter().map(|p| p.line).collect()
    }

    fn assert_no_fake_values(text: &str) {
        assert!(!text.contains("FAKE-"), "a cookie value leaked: {text}");
    }

    #[test]
    fn the_cookies_txt_fixture_finds_the_expired_session_and_sends_the_rest() {
        let imported = import(FIXTURE_COOKIES_TXT, &site());
        assert_eq!(imported.format, Format::NetscapeFile);
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        assert_eq!(imported.cookies.len(), 5);
        assert_eq!(imported.other_site_cookies, 1);
        let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
        let sent: Vec<&str> = check.sent().map(|v| v.name.as_str()).collect();
        assert_eq!(
            sent,
            [
                "wordpress_sec_5c2f0e8b1a",
                "wordpress_logged_in_5c2f0e8b1a",
                "wp-settings-time-1",
                "_ga"
            ]
        );
        let php = verdict(&check, "PHPSESSID");
        assert_eq!(php.not_sent, Some(NotSent::Expired));
        assert_eq!(
            php.expires.as_deref(),
            Some("Mon, 01 Jan 2024 00:00:00 GMT")
        );
        assert_eq!(
            verdict(&check, "wp-settings-time-1").expires.as_deref(),
            Some("when the browser closes")
        );
        let expired = check
            .expired_finding()
            .unwrap_or_else(|| panic!("no finding"));
        assert_eq!(
            expired.severity,
            Severity::Warning,
            "another login cookie is still sent"
        );
        assert_no_fake_values(&serde_json::to_string(&check.findings()).unwrap_or_default());
    }

    #[test]
    fn the_broken_cookies_txt_fixture_reports_each_bad_line_and_loads_the_good_ones() {
        let imported = import(FIXTURE_COOKIES_TXT_BROKEN, &site());
        let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["good", "alsogood"]);
        assert_eq!(lines_of(&imported), [3, 4, 5, 6, 7]);
        assert_no_fake_values(&format!("{:?}", imported.problems));
    }

    #[test]
    fn the_chrome_har_fixture_shows_a_stale_login_cookie_shadowing_the_new_one() {
        let imported = import(FIXTURE_CHROME_HAR, &site());
        assert_eq!(imported.format, Format::Har);
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        assert!(
            imported
                .cookies
                .iter()
                .all(|c| c.domain.ends_with("example.com"))
        );
        let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
        let sent: Vec<(&str, &str)> = check
            .sent()
            .map(|v| (v.name.as_str(), v.path.as_str()))
            .collect();
        assert_eq!(
            sent,
            [
                ("wordpress_sec_5c2f0e8b1a", "/wp-admin"),
                ("wordpress_logged_in_5c2f0e8b1a", "/wp-admin"),
                ("wordpress_logged_in_5c2f0e8b1a", "/"),
                ("wp-settings-time-1", "/"),
            ]
        );
        // The re-test sends exactly what Chrome sent.
        assert_eq!(
            check.cookie_header().unwrap_or_default().expose(),
            "wordpress_sec_5c2f0e8b1a=FAKE-SEC-VALUE; wordpress_logged_in_5c2f0e8b1a=FAKE-LOGIN-OLD; \
             wordpress_logged_in_5c2f0e8b1a=FAKE-LOGIN-NEW; wp-settings-time-1=1735600000"
        );
        let shadowed = check.shadowed_findings();
        assert_eq!(shadowed.len(), 1);
        assert_eq!(shadowed[0].severity, Severity::Problem);
        assert!(shadowed[0].detail.contains("path /wp-admin) first"));
        let compare = compare_with_and_without(401, 200, &check.verdicts)
            .unwrap_or_else(|| panic!("no finding"));
        assert!(compare.detail.contains("wordpress_logged_in_5c2f0e8b1a"));
        assert!(compare.next_steps[0].contains("www.example.com"));
        assert_no_fake_values(&serde_json::to_string(&check).unwrap_or_default());
        assert_no_fake_values(&serde_json::to_string(&shadowed).unwrap_or_default());
    }

    #[test]
    fn the_broken_chrome_har_fixture_keeps_what_came_before_the_cut() {
        let imported = import(FIXTURE_CHROME_HAR_BROKEN, &site());
        assert_eq!(imported.format, Format::Har);
        let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
        assert!(
            names.contains(&"wordpress_logged_in_5c2f0e8b1a"),
            "{names:?}"
        );
        let messages: Vec<&str> = imported
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("entry 1: a cookie without a name")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("entry 2: the request has no usable address")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("ends too early")),
            "{messages:?}"
        );
        assert_eq!(
            lines_of(&imported).first(),
            Some(&17),
            "entry 1 starts on line 17"
        );
        assert_no_fake_values(&format!("{:?}", imported.problems));
    }

    #[test]
    fn the_firefox_har_fixture_shows_two_session_cookies_and_a_deleted_one() {
        let imported = import(FIXTURE_FIREFOX_HAR, &site());
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        let check = imported.check(
            &url("https://www.example.com/account/"),
            RequestContext::SameSite,
            at(NOW),
        );
        let sent: Vec<&str> = check.sent().map(|v| v.name.as_str()).collect();
        assert_eq!(sent, ["lang", "PHPSESSID", "PHPSESSID"]);
        assert!(
            check.verdicts.iter().all(|v| v.name != "font_pref"),
            "other sites are left out"
        );
        let remember = verdict(&check, "remember_me");
        assert_eq!(remember.not_sent, Some(NotSent::Expired));
        let codes: Vec<Code> = check.findings().iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::CookieExpired, Code::CookieShadowed]);
        assert_eq!(
            check.findings()[0].severity,
            Severity::Warning,
            "PHPSESSID is still sent"
        );
        assert_eq!(
            check.cookie_header().unwrap_or_default().expose(),
            "lang=en; PHPSESSID=FAKE-STALE; PHPSESSID=FAKE-FRESH"
        );
        assert!(
            check.login_finding(true).is_none(),
            "a login cookie is sent"
        );
    }

    #[test]
    fn the_broken_firefox_har_fixture_reports_each_bad_entry() {
        let imported = import(FIXTURE_FIREFOX_HAR_BROKEN, &site());
        let messages: Vec<&str> = imported
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].contains("request cookie has no \"name\""),
            "{messages:?}"
        );
        assert!(messages[1].contains("no name=value pair"), "{messages:?}");
        assert!(messages[2].contains("unexpected shape"), "{messages:?}");
        assert!(imported.cookies.iter().any(|c| c.name == "PHPSESSID"));
        assert_no_fake_values(&format!("{:?}", imported.problems));
    }

    #[test]
    fn the_json_export_fixture_gives_a_verdict_for_each_cookie_of_the_site() {
        let imported = import(FIXTURE_EXPORT_JSON, &site());
        assert_eq!(imported.format, Format::JsonExport);
        assert!(imported.problems.is_empty(), "{:?}", imported.problems);
        assert_eq!(imported.other_site_cookies, 1);
        let check = imported.check(
            &url("https://www.example.com/"),
            RequestContext::SameSite,
            at(NOW),
        );
        assert!(verdict(&check, "wordpress_logged_in_5c2f0e8b1a").sent);
        assert!(verdict(&check, "__Host-csrf").sent);
        assert_eq!(
            verdict(&check, "PHPSESSID").not_sent,
            Some(NotSent::Expired)
        );
        assert_eq!(
            verdict(&check, "cart").not_sent,
            Some(NotSent::DomainMismatch)
        );
        assert_eq!(verdict(&check, "cart").same_site.as_deref(), Some("None"));
        let cross = imported.check(
            &url("https://www.example.com/"),
            RequestContext::CrossSiteNavigation,
            at(NOW),
        );
        assert_eq!(
            verdict(&cross, "__Host-csrf").not_sent,
            Some(NotSent::SameSiteStrict)
        );
        assert!(
            verdict(&cross, "wordpress_logged_in_5c2f0e8b1a").sent,
            "Lax goes with links"
        );
    }

    #[test]
    fn the_broken_json_export_fixture_reports_each_bad_entry_by_line() {
        let imported = import(FIXTURE_EXPORT_JSON_BROKEN, &site());
        let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["good", "alsogood"]);
        assert_eq!(lines_of(&imported), [11, 17, 22, 23, 40]);
        assert!(imported.problems[4].message.contains("ends too early"));
        assert_no_fake_values(&format!("{:?}", imported.problems));
    }
}
