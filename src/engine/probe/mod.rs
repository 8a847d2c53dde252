//! Live requests: one request per hop with redirects followed by hand (`Policy::none`), so every
//! hop is observed and sensitive headers never travel to another origin.
//!
//! - [`Net`] and its request log live in `net`;
//! - the wording of failures and answers in `findings`;
//! - what each request and answer looked like is an [`Exchange`] (`crate::engine::exchange`).

mod findings;
mod net;

pub use crate::engine::exchange::{Exchange, Header, Hop};
/// Kept here too: HAR import and comparison redact header values as the requests do.
pub use crate::engine::redact::redact_header_value;
pub use findings::status_meaning;
pub(crate) use findings::{answer_findings, deadline_finding, failure_finding};
pub use net::{
    Clock, DEFAULT_DEADLINE_SECS, Net, NetError, NetOptions, ProxyUse, Purpose, RequestLog,
    SentRequest,
};

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::redact;
use crate::engine::secret::Secret;

/// The most redirects followed before giving up.
pub const MAX_HOPS: usize = 10;

/// The most body bytes kept from any answer.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The most header lines read from an HTTP/1 answer. Browsers set no count limit, only one on
/// size, which the HTTP library keeps (about 400 KiB); the library's default of 100 would turn a
/// site with many headers into a "connection failed" that browsers never see.
pub const MAX_RESPONSE_HEADERS: usize = 16 * 1024;

/// What kind of certificate trouble stopped a secure connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsProblem {
    /// The certificate's end date has passed.
    Expired,
    /// The certificate's start date is in the future (often a wrong computer clock).
    NotYetValid,
    /// Signed by nobody this computer trusts: self-signed or a private authority.
    Untrusted,
    /// Issued for another name.
    WrongName,
    /// Revoked by its issuer.
    Revoked,
    /// Anything else in the TLS handshake.
    Other,
}

/// Why a request got no answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Failure {
    /// The name could not be looked up.
    Dns {
        /// The host name.
        host: String,
        /// The resolver's words.
        detail: String,
    },
    /// Nothing accepted the connection, or it was cut.
    Connection {
        /// What happened, in words.
        detail: String,
    },
    /// The secure connection failed.
    Tls {
        /// Which problem.
        problem: TlsProblem,
        /// The library's words.
        detail: String,
    },
    /// No answer within the time limit.
    Timeout {
        /// The limit.
        secs: u64,
    },
    /// The check's total time limit passed before this request was answered.
    DeadlineReached {
        /// The limit on the whole check.
        secs: u64,
        /// The address that had not answered.
        url: String,
        /// How long that request had waited.
        waited_ms: u64,
    },
    /// A site on the internet redirected to this computer or a private network (loopback,
    /// RFC 1918, `fc00::/7`, link-local such as the cloud metadata address): not followed.
    RedirectToInternal {
        /// Where the redirect pointed (secrets removed).
        url: String,
    },
    /// A redirect left the site where the request was meant to stay on it.
    LeftOrigin {
        /// Where the redirect pointed.
        url: String,
    },
    /// More than [`MAX_HOPS`] redirects.
    TooManyRedirects {
        /// How many were followed.
        hops: usize,
    },
    /// A redirect whose `Location` cannot be followed.
    BadRedirect {
        /// The Location value.
        location: String,
    },
}

impl Failure {
    /// One line for the list of requests ("refused", "timed out after 15 s").
    #[must_use]
    pub fn summary(&self) -> String {
        match self {
            Failure::Dns { host, .. } => format!("the name {host} was not found"),
            Failure::Connection { detail } => {
                if detail.to_ascii_lowercase().contains("refused") {
                    "connection refused".to_owned()
                } else {
                    "connection failed".to_owned()
                }
            }
            Failure::Tls { .. } => "secure (https) connection failed".to_owned(),
            Failure::Timeout { secs } => format!("no answer within {secs} s"),
            Failure::DeadlineReached { secs, .. } => {
                format!("stopped: the check's {secs} s limit was reached")
            }
            Failure::TooManyRedirects { hops } => format!("{hops} redirects"),
            Failure::BadRedirect { .. } => "redirect to an unusable address".to_owned(),
            Failure::RedirectToInternal { url } => {
                format!("redirect into a private network ({url}), not followed")
            }
            Failure::LeftOrigin { url } => format!("sent on to another site ({url}), not followed"),
        }
    }
}

/// What to send with each request. Sensitive values go only to the first request's origin.
#[derive(Clone, Default, Debug)]
pub struct RequestPlan {
    /// An `Authorization` header value.
    pub authorization: Option<Secret>,
    /// A `Cookie` header value.
    pub cookie: Option<Secret>,
    /// Harmless extra headers (cache busting), sent on every hop.
    pub extra_headers: Vec<(String, String)>,
    /// Why these requests are sent (for the list of what the check sent).
    pub purpose: Purpose,
    /// Stop where a redirect leaves the first request's origin instead of following it there.
    pub stay_on_origin: bool,
    /// Keep the cookies the site sets on the way and send them back on the next hop (same origin
    /// only), as a browser does during a sign-in: some servers keep a Digest nonce in a cookie.
    pub keep_cookies: bool,
    /// The method; `GET` when not set.
    pub method: Option<reqwest::Method>,
}

/// The result of following an address to its end.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// Each hop in order.
    pub hops: Vec<Hop>,
    /// Each answer in order (same length as `hops`).
    pub exchanges: Vec<Exchange>,
    /// Why the chain stopped without a final answer, if it did.
    pub failure: Option<Failure>,
    /// The first address on another origin where `Authorization`/`Cookie` were withheld.
    pub withheld_at: Option<String>,
    /// True when the chain moved to another origin (scheme, host or port).
    pub crossed_origin: bool,
    /// True when a redirect's address carried a user name or password (dropped, never used).
    #[serde(default)]
    pub userinfo_in_redirect: bool,
    /// True when the chain stopped where a redirect left the origin ([`RequestPlan::stay_on_origin`]).
    #[serde(default)]
    pub stopped_at_origin: bool,
}

impl Probe {
    /// The last answer, when the chain ended with one.
    #[must_use]
    pub fn final_exchange(&self) -> Option<&Exchange> {
        if self.failure.is_some() {
            return None;
        }
        self.exchanges.last()
    }
}

/// Follows `start` hop by hop (at most [`MAX_HOPS`] redirects), sending what `plan` says.
/// `Authorization` and `Cookie` go only to `start`'s origin; a `Location` that carries a user
/// name or password is followed without them, and they are never used to sign in.
pub async fn follow(net: &Net, start: &Url, plan: &RequestPlan) -> Probe {
    let mut probe = Probe::default();
    let mut url = start.clone();
    let origin = start.origin();
    let mut jar = plan
        .keep_cookies
        .then(|| seeded_jar(plan.cookie.as_ref(), start));
    // Decided at the first redirect: does the check start on the internet?
    let mut start_public = None;
    loop {
        let same_origin = url.origin() == origin;
        if !same_origin && plan.stay_on_origin {
            probe.crossed_origin = true;
            probe.stopped_at_origin = true;
            probe.failure = Some(Failure::LeftOrigin {
                url: redact::address_without_secrets(url.as_str()),
            });
            return probe;
        }
        if !same_origin {
            probe.crossed_origin = true;
            if (plan.authorization.is_some() || plan.cookie.is_some())
                && probe.withheld_at.is_none()
            {
                probe.withheld_at = Some(url.to_string());
            }
        }
        let hop_plan;
        let plan_now = match &jar {
            Some(jar) => {
                hop_plan = RequestPlan {
                    cookie: jar_header(jar, &url),
                    ..plan.clone()
                };
                &hop_plan
            }
            None => plan,
        };
        let exchange = match send_once(net, &url, plan_now, same_origin).await {
            Ok(e) => e,
            Err(failure) => {
                probe.failure = Some(failure);
                return probe;
            }
        };
        if let Some(jar) = jar.as_mut().filter(|_| same_origin) {
            let cookies = exchange
                .set_cookie_raw
                .iter()
                .filter_map(|raw| cookie_store::RawCookie::parse(raw.expose().to_owned()).ok());
            jar.store_response_cookies(cookies, &url);
        }
        let location = exchange.header("location").map(str::to_owned);
        probe.hops.push(Hop {
            url: url.to_string(),
            status: exchange.status,
            location: location.clone(),
            elapsed_ms: exchange.elapsed_ms,
        });
        let status = exchange.status;
        probe.exchanges.push(exchange);
        let is_redirect = matches!(status, 301 | 302 | 303 | 307 | 308);
        let Some(location) = location.filter(|_| is_redirect) else {
            return probe;
        };
        if probe.hops.len() > MAX_HOPS {
            probe.failure = Some(Failure::TooManyRedirects {
                hops: probe.hops.len(),
            });
            return probe;
        }
        match url.join(&location) {
            Ok(joined)
                if matches!(joined.scheme(), "http" | "https")
                    && starts_public(&mut start_public, start).await
                    && is_internal(&joined).await == Some(true) =>
            {
                probe.failure = Some(Failure::RedirectToInternal {
                    url: redact::address_without_secrets(joined.as_str()),
                });
                return probe;
            }
            Ok(mut joined) if matches!(joined.scheme(), "http" | "https") => {
                // A user name or password in a redirect is the site's, not the user's: never
                // sent, and the address is followed as a browser would after asking.
                if !joined.username().is_empty() || joined.password().is_some() {
                    let _ = joined.set_username("");
                    let _ = joined.set_password(None);
                    probe.userinfo_in_redirect = true;
                }
                url = joined;
            }
            _ => {
                probe.failure = Some(Failure::BadRedirect { location });
                return probe;
            }
        }
    }
}

/// True when the check started at an address on the internet (not this computer, not a private
/// network). Looked up once, at the first redirect; a name that does not resolve here counts as
/// public, where the stricter rule applies.
async fn starts_public(known: &mut Option<bool>, start: &Url) -> bool {
    if let Some(public) = *known {
        return public;
    }
    let public = is_internal(start).await != Some(true);
    *known = Some(public);
    public
}

/// Whether the address's host is on this computer or a private network: a literal address is
/// read as it is; a name is looked up with the system's resolver (None when that fails).
async fn is_internal(url: &Url) -> Option<bool> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(is_internal_ip(std::net::IpAddr::V4(ip))),
        url::Host::Ipv6(ip) => Some(is_internal_ip(std::net::IpAddr::V6(ip))),
        url::Host::Domain(name) => {
            let lower = name.to_ascii_lowercase();
            if lower == "localhost" || lower.ends_with(".localhost") {
                return Some(true);
            }
            let port = url.port_or_known_default().unwrap_or(80);
            let lookup = tokio::net::lookup_host((lower.as_str(), port));
            let found = tokio::time::timeout(Duration::from_secs(3), lookup)
                .await
                .ok()?
                .ok()?;
            let mut any = false;
            for addr in found {
                if is_internal_ip(addr.ip()) {
                    return Some(true);
                }
                any = true;
            }
            any.then_some(false)
        }
    }
}

/// Loopback, private (RFC 1918, `fc00::/7`), link-local (169.254/16 with the cloud metadata
/// address, `fe80::/10`), carrier-grade NAT (100.64/10) and unspecified addresses.
#[must_use]
fn is_internal_ip(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || (a == 100 && (64..128).contains(&b))
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_internal_ip(std::net::IpAddr::V4(v4)))
        }
    }
}

fn seeded_jar(cookie: Option<&Secret>, url: &Url) -> cookie_store::CookieStore {
    let mut jar = cookie_store::CookieStore::default();
    if let Some(header) = cookie {
        for pair in header.expose().split(';') {
            if let Some((name, value)) = pair.split_once('=') {
                let raw =
                    cookie_store::RawCookie::new(name.trim().to_owned(), value.trim().to_owned());
                let _ = jar.insert_raw(&raw, url);
            }
        }
    }
    jar
}

fn jar_header(jar: &cookie_store::CookieStore, url: &Url) -> Option<Secret> {
    let pairs: Vec<String> = jar
        .get_request_values(url)
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    (!pairs.is_empty()).then(|| Secret::new(pairs.join("; ")))
}

/// The `Cookie` header a browser would send back to `url` after these answers set cookies
/// (used to answer a challenge with the cookie it came with).
#[must_use]
pub fn cookies_set_by(exchanges: &[&Exchange], url: &Url) -> Option<Secret> {
    let mut jar = cookie_store::CookieStore::default();
    for e in exchanges {
        let Ok(at) = Url::parse(&e.url) else { continue };
        let cookies = e
            .set_cookie_raw
            .iter()
            .filter_map(|raw| cookie_store::RawCookie::parse(raw.expose().to_owned()).ok());
        jar.store_response_cookies(cookies, &at);
    }
    jar_header(&jar, url)
}

/// One plain GET with nothing sensitive attached and no redirect followed (the harmless
/// fingerprinting requests).
pub async fn fetch_once(net: &Net, url: &Url, purpose: Purpose) -> Result<Exchange, Failure> {
    let plan = RequestPlan {
        purpose,
        ..RequestPlan::default()
    };
    send_once(net, url, &plan, false).await
}

/// One request as `plan` says, no redirect followed. The sign-in details in the plan are sent
/// (the caller has decided this address may have them).
pub async fn send_plan(net: &Net, url: &Url, plan: &RequestPlan) -> Result<Exchange, Failure> {
    send_once(net, url, plan, true).await
}

async fn send_once(
    net: &Net,
    url: &Url,
    plan: &RequestPlan,
    same_origin: bool,
) -> Result<Exchange, Failure> {
    let mut headers = HeaderMap::new();
    let mut shown: Vec<Header> = Vec::new();
    if same_origin {
        for (name, secret) in [
            ("authorization", &plan.authorization),
            ("cookie", &plan.cookie),
        ] {
            let Some(secret) = secret else { continue };
            if let Ok(mut value) = HeaderValue::from_str(secret.expose()) {
                value.set_sensitive(true);
                headers.insert(HeaderName::from_static(name), value);
                shown.push(Header {
                    name: name.to_owned(),
                    value: redact_header_value(name, secret.expose()),
                });
            }
        }
    }
    for (name, value) in &plan.extra_headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(n, v);
            shown.push(Header {
                name: name.to_ascii_lowercase(),
                value: value.clone(),
            });
        }
    }
    let started = Instant::now();
    let mut timeout = net.timeout;
    let mut deadline = None;
    if let Some(ends_at) = net.ends_at() {
        let left = ends_at.saturating_duration_since(started);
        if left < timeout {
            timeout = left;
            deadline = Some(ends_at);
        }
    }
    let logged = net.check.as_ref().map(|c| {
        let index = c.log.begin(SentRequest {
            purpose: plan.purpose,
            method: plan
                .method
                .as_ref()
                .map_or_else(|| "GET".to_owned(), ToString::to_string),
            url: redact::address_without_secrets(url.as_str()),
            credentials: same_origin && plan.authorization.is_some(),
            cookies: same_origin && plan.cookie.is_some(),
            status: None,
            started_ms: 0,
            elapsed_ms: 0,
            error: None,
            pending: true,
            stopped_by_deadline: false,
        });
        (c.log.clone(), index)
    });
    let method = plan.method.clone().unwrap_or(reqwest::Method::GET);
    let result = exchange(net, url, method, headers, shown, timeout)
        .await
        .map(|mut answer| {
            // What this request carried is all its answer can echo: scrubbed here, before any
            // analysis quotes it. `Location` stays as sent, for the redirect loop; it is cleaned
            // when shown.
            let scrubber = redact::Scrubber::for_request(
                url,
                plan.authorization.as_ref().filter(|_| same_origin),
                plan.cookie.as_ref().filter(|_| same_origin),
            );
            let _ = scrubber.exchange(&mut answer, true);
            answer
        });
    let result = match (result, deadline) {
        (Err(Failure::Timeout { .. }), Some(_)) => Err(Failure::DeadlineReached {
            secs: net.deadline.as_secs(),
            url: redact::address_without_secrets(url.as_str()),
            waited_ms: started.elapsed().as_millis() as u64,
        }),
        (other, _) => other,
    };
    if let Some((log, index)) = logged {
        match &result {
            Ok(e) => log.end(index, Some(e.status), None),
            Err(f) => log.end(index, None, Some(f)),
        }
    }
    result
}

async fn exchange(
    net: &Net,
    url: &Url,
    method: reqwest::Method,
    headers: HeaderMap,
    shown: Vec<Header>,
    timeout: Duration,
) -> Result<Exchange, Failure> {
    let started = Instant::now();
    if timeout.is_zero() {
        return Err(Failure::Timeout {
            secs: net.timeout.as_secs(),
        });
    }
    let request = net
        .client
        .request(method, url.clone())
        .headers(headers)
        .timeout(timeout);
    let mut response = request.send().await.map_err(|e| classify(&e, url, net))?;
    let status = response.status().as_u16();
    let http_version = format!("{:?}", response.version());
    let remote_ip = response.remote_addr().map(|a| a.ip().to_string());
    let mut www_raw = Vec::new();
    let mut proxy_raw = Vec::new();
    let mut set_cookie_raw = Vec::new();
    let mut response_headers = Vec::with_capacity(response.headers().len());
    for (name, value) in response.headers() {
        let lower = name.as_str();
        if lower == "www-authenticate" {
            www_raw.push(value.as_bytes().to_vec());
        } else if lower == "proxy-authenticate" {
            proxy_raw.push(value.as_bytes().to_vec());
        } else if lower == "set-cookie"
            && let Ok(text) = value.to_str()
        {
            set_cookie_raw.push(Secret::new(text));
        }
        let text = escape_bytes(value.as_bytes());
        response_headers.push(Header {
            name: lower.to_owned(),
            value: redact_header_value(lower, &text),
        });
    }
    let mut body = Vec::new();
    let mut body_truncated = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_BODY_BYTES.saturating_sub(body.len());
                if chunk.len() >= room {
                    body.extend_from_slice(chunk.get(..room).unwrap_or_default());
                    body_truncated = true;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            // A body cut short still leaves the status and headers worth diagnosing.
            Err(_) => {
                body_truncated = true;
                break;
            }
        }
    }
    let shown_request = if shown.is_empty() { Vec::new() } else { shown };
    Ok(Exchange {
        url: url.to_string(),
        request_headers: shown_request,
        status,
        http_version,
        remote_ip,
        headers: response_headers,
        body_excerpt: body_text(&body),
        body_truncated,
        elapsed_ms: started.elapsed().as_millis() as u64,
        www_authenticate_raw: www_raw,
        proxy_authenticate_raw: proxy_raw,
        set_cookie_raw,
    })
}

/// Shows bytes as text: valid UTF-8 stays, control characters and invalid bytes become `\xNN`.
#[must_use]
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() && c != '\t' {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// The page as text (lossy UTF-8), with control characters other than line breaks and tabs
/// escaped as `\xNN`: a hostile page must not drive the terminal that shows `--json` output.
#[must_use]
pub fn body_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let is_unsafe = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(is_unsafe) {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Every message in an error's source chain, joined, for plain-text evidence.
#[must_use]
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

fn classify(error: &reqwest::Error, url: &Url, net: &Net) -> Failure {
    let chain = error_chain(error);
    if error.is_timeout() {
        return Failure::Timeout {
            secs: net.timeout.as_secs(),
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Failure::Tls {
                problem: tls_problem(tls),
                detail: tls.to_string(),
            };
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            // The TLS connector wraps rustls' io::Error in another io::Error, whose `source()`
            // skips the rustls error: look through every io::Error layer.
            let mut inner = io.get_ref();
            while let Some(layer) = inner {
                if let Some(tls) = layer.downcast_ref::<rustls::Error>() {
                    return Failure::Tls {
                        problem: tls_problem(tls),
                        detail: tls.to_string(),
                    };
                }
                inner = layer
                    .downcast_ref::<std::io::Error>()
                    .and_then(std::io::Error::get_ref);
            }
            if io.kind() == std::io::ErrorKind::TimedOut {
                return Failure::Timeout {
                    secs: net.timeout.as_secs(),
                };
            }
        }
        source = e.source();
    }
    let lower = chain.to_ascii_lowercase();
    if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no address associated")
    {
        return Failure::Dns {
            host: url.host_str().unwrap_or_default().to_owned(),
            detail: chain,
        };
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return Failure::Tls {
            problem: TlsProblem::Other,
            detail: chain,
        };
    }
    Failure::Connection { detail: chain }
}

fn tls_problem(error: &rustls::Error) -> TlsProblem {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::Expired | C::ExpiredContext { .. } => TlsProblem::Expired,
            C::NotValidYet | C::NotValidYetContext { .. } => TlsProblem::NotYetValid,
            C::UnknownIssuer | C::BadSignature => TlsProblem::Untrusted,
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsProblem::WrongName,
            C::Revoked => TlsProblem::Revoked,
            _ => TlsProblem::Other,
        },
        _ => TlsProblem::Other,
    }
}

#[cfg(test)]
mod tests;
