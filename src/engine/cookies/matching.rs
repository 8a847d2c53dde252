//! Would the browser send it to the checked address, and if not, why not.

use super::*;

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
    pub(super) sent: Vec<(String, Secret)>,
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

pub(super) fn system_time(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH
    }
}

pub(super) fn http_date(secs: i64) -> String {
    httpdate::fmt_http_date(system_time(secs.min(MAX_WRITABLE_UNIX)))
}

pub(super) fn expiry_text(expires: Expiry) -> Option<String> {
    match expires {
        Expiry::Session => Some("when the browser closes".to_owned()),
        Expiry::AtUnixSecs(secs) => Some(http_date(secs)),
        Expiry::MaxAgeSecs(secs) if secs <= 0 => Some("immediately (Max-Age=0)".to_owned()),
        Expiry::MaxAgeSecs(secs) => Some(format!(
            "{} after the site set it",
            span_text(secs.unsigned_abs())
        )),
        Expiry::Unknown => None,
    }
}

/// The cookie as `cookie_store` sees it (with an empty value: matching never needs it).
pub(super) fn store_cookie(
    cookie: &ImportedCookie,
    url: &Url,
) -> Option<cookie_store::Cookie<'static>> {
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
            time::OffsetDateTime::from_unix_timestamp(secs.clamp(0, MAX_WRITABLE_UNIX))
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
pub(super) fn is_secure_address(url: &Url) -> bool {
    url.scheme() == "https"
        || match url.host() {
            Some(Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

pub(super) fn has_prefix_ignore_case(name: &str, prefix: &str) -> bool {
    strip_prefix_ignore_case(name, prefix).is_some()
}

/// The first reason a browser would not send `cookie` to `url`, most fundamental first.
pub(super) fn why_not_sent(
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

pub(super) fn reason_text(
    kind: NotSent,
    cookie: &ImportedCookie,
    url: &Url,
    now_secs: i64,
) -> String {
    let host = url.host_str().unwrap_or_default();
    match kind {
        NotSent::Expired => match cookie.expires {
            Expiry::AtUnixSecs(at) => format!(
                "it expired on {} ({} ago), so the browser deleted it",
                http_date(at),
                span_text(now_secs.saturating_sub(at).unsigned_abs())
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
pub(super) fn mark_shadowing(verdicts: &mut [CookieVerdict]) {
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
