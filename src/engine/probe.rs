//! Live requests: one request per hop with redirects followed by hand (`Policy::none`), so every hop
//! is observed and sensitive headers never travel to another origin.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::challenge::{self, ParsedChallenges};
use crate::engine::redact;
use crate::engine::secret::{REDACTED, Secret};

/// The most redirects followed before giving up.
pub const MAX_HOPS: usize = 10;
/// The most body bytes kept from any answer.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The most header lines read from an HTTP/1 answer. Browsers set no count limit, only one on
/// size, which the HTTP library keeps (about 400 KiB); the library's default of 100 would turn a
/// site with many headers into a "connection failed" that browsers never see.
pub const MAX_RESPONSE_HEADERS: usize = 16 * 1024;

/// Why the HTTP client could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// reqwest refused to build a client; on Linux that almost always means no CA certificates.
    #[error(
        "could not prepare secure connections ({0}); on Debian or Ubuntu install the trusted certificates with `sudo apt-get install ca-certificates`"
    )]
    ClientBuild(String),
    /// A custom root certificate (tests, company CAs) could not be read.
    #[error("the certificate could not be read: {0}")]
    BadCertificate(String),
}

/// The default limit on a whole check, every request, retry and DNS query included: a person
/// waiting on the phone with a helpdesk does not wait longer.
pub const DEFAULT_DEADLINE_SECS: u64 = 30;

/// A clock the engine reads, so tests can fix the time.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Options for the network side of a check.
#[derive(Clone)]
pub struct NetOptions {
    /// Per-request time limit.
    pub timeout_secs: u64,
    /// Time limit on a whole check (see [`DEFAULT_DEADLINE_SECS`]).
    pub deadline_secs: u64,
    /// Send requests through the proxy the browser would use (`HTTPS_PROXY`, `HTTP_PROXY`,
    /// `NO_PROXY`, and the system's settings where the HTTP library reads them).
    pub use_proxy: bool,
    /// Extra trusted root certificates (PEM), e.g. a company's or a test's own.
    pub extra_root_certs_pem: Vec<Vec<u8>>,
    /// Fixed host name → address mappings (tests use them to give loopback servers names).
    pub resolve: Vec<(String, SocketAddr)>,
    /// The clock; the system clock by default.
    pub clock: Clock,
    /// A DNS resolver to use instead of the operating system's (tests, and `--server`).
    pub resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            timeout_secs: 15,
            deadline_secs: DEFAULT_DEADLINE_SECS,
            use_proxy: true,
            extra_root_certs_pem: Vec::new(),
            resolve: Vec::new(),
            clock: Arc::new(SystemTime::now),
            resolver: None,
        }
    }
}

/// Everything the engine needs to talk to the network, made once and shared.
#[derive(Clone)]
pub struct Net {
    client: reqwest::Client,
    /// Per-request time limit.
    pub timeout: Duration,
    /// Limit on a whole check.
    pub deadline: Duration,
    /// The clock.
    pub clock: Clock,
    /// The proxies set in the environment, when they are used.
    proxy: Option<ProxyEnv>,
    /// Set for one check by [`Net::for_check`]: when it ends, and where its requests are logged.
    check: Option<CheckScope>,
}

#[derive(Clone)]
struct CheckScope {
    ends_at: Instant,
    log: RequestLog,
}

/// The proxy a check's requests went through, and where that setting came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyUse {
    /// The proxy's address (no user name or password).
    pub url: String,
    /// Where the setting was read: the environment variable's name.
    pub source: String,
    /// The kinds of addresses it is used for: "http", "https" or "all".
    pub for_scheme: String,
}

/// Why a request of the check was sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// The address as the browser asks for it (with the user's cookies, if given).
    #[default]
    AsBrowser,
    /// The same address tried over http after https did not answer (no scheme was typed).
    SchemeFallback,
    /// The answer to the site's challenge with the user's details.
    SignedIn,
    /// A second signed-in try after a Digest answer said the one-time number was stale.
    SignedInRetry,
    /// The address again without the user's cookies, to see whether they cause the 401.
    WithoutCookies,
    /// The address again with a unique query and no-cache headers, past any cache.
    CacheBusted,
    /// A plain page of the same site, to recognise its software (no sign-in, no cookies).
    Harmless,
    /// The https version of an http address, to see whether it exists.
    HttpsCheck,
    /// The `OPTIONS` request a browser sends before a page's script calls the address with a
    /// sign-in (the CORS preflight), from the page given with `--origin`.
    Preflight,
    /// The address as a page's script on another site asks for it (with `Origin`, no sign-in).
    CorsRequest,
    /// The first message of a Windows (NTLM) sign-in, which holds no secret, to read the server's
    /// answer.
    NtlmHandshake,
    /// The user's details sent to a registry's token service, to exchange them for a token.
    TokenExchange,
}

impl Purpose {
    /// Why the request was sent, in words (the CLI's list and the GUI's table).
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Purpose::AsBrowser => "the page, as your browser asks for it",
            Purpose::SchemeFallback => "the same page over http",
            Purpose::SignedIn => "answering the sign-in",
            Purpose::SignedInRetry => "answering the sign-in again, with a fresh number",
            Purpose::WithoutCookies => "the page without your cookies",
            Purpose::CacheBusted => "the page past any cache",
            Purpose::Harmless => "a public page of the site, to recognise its software",
            Purpose::HttpsCheck => "the https address, to see whether it exists",
            Purpose::Preflight => "the browser's CORS preflight, from the page you named",
            Purpose::CorsRequest => "the page as that page's script asks for it",
            Purpose::NtlmHandshake => "the first step of a Windows sign-in (no password in it)",
            Purpose::TokenExchange => "your details to the registry's token service",
        }
    }
}

/// One request the check sent, as shown under "What AuthDoctor sent".
#[expect(
    clippy::struct_excessive_bools,
    reason = "each bool is a yes/no column of the list of requests"
)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    /// Why it was sent.
    pub purpose: Purpose,
    /// The HTTP method.
    pub method: String,
    /// The address, without user name, password or secret parameters.
    pub url: String,
    /// True when the user's sign-in details went with it.
    pub credentials: bool,
    /// True when cookies went with it.
    pub cookies: bool,
    /// The answer's status; None while pending or when no answer came.
    pub status: Option<u16>,
    /// When it was sent, counted from the start of the check.
    pub started_ms: u64,
    /// How long it took (so far, while pending).
    pub elapsed_ms: u64,
    /// Why no answer came, in words.
    #[serde(default)]
    pub error: Option<String>,
    /// True while the request has not finished.
    #[serde(default)]
    pub pending: bool,
    /// True when the check's total time limit cut this request off.
    #[serde(default)]
    pub stopped_by_deadline: bool,
}

/// The requests of one check, readable while it runs (the GUI shows the pending one).
#[derive(Clone, Debug)]
pub struct RequestLog {
    started: Instant,
    entries: Arc<Mutex<Vec<SentRequest>>>,
}

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog {
            started: Instant::now(),
            entries: Arc::default(),
        }
    }
}

impl RequestLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SentRequest>> {
        // A panic while holding the lock leaves a list that is still whole: keep using it.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn begin(&self, request: SentRequest) -> usize {
        let mut entries = self.lock();
        entries.push(SentRequest {
            started_ms: self.started.elapsed().as_millis() as u64,
            pending: true,
            ..request
        });
        entries.len() - 1
    }

    fn end(&self, index: usize, status: Option<u16>, failure: Option<&Failure>) {
        let now_ms = self.started.elapsed().as_millis() as u64;
        if let Some(entry) = self.lock().get_mut(index) {
            entry.status = status;
            entry.error = failure.map(Failure::summary);
            entry.stopped_by_deadline = matches!(failure, Some(Failure::DeadlineReached { .. }));
            entry.elapsed_ms = now_ms.saturating_sub(entry.started_ms);
            entry.pending = false;
        }
    }

    /// Every request so far, in the order sent; a pending one with its time so far.
    #[must_use]
    pub fn snapshot(&self) -> Vec<SentRequest> {
        let now_ms = self.started.elapsed().as_millis() as u64;
        let mut entries = self.lock().clone();
        for e in entries.iter_mut().filter(|e| e.pending) {
            e.elapsed_ms = now_ms.saturating_sub(e.started_ms);
        }
        entries
    }

    /// The request that has been waiting longest, if any is pending.
    #[must_use]
    pub fn longest_pending(&self) -> Option<SentRequest> {
        self.snapshot()
            .into_iter()
            .filter(|e| e.pending)
            .max_by_key(|e| e.elapsed_ms)
    }
}

impl Net {
    /// Builds the HTTP client: no automatic redirects, no cookie jar, a per-request timeout.
    pub fn new(options: &NetOptions) -> Result<Net, NetError> {
        let timeout = Duration::from_secs(options.timeout_secs.max(1));
        let proxy = if options.use_proxy {
            ProxyEnv::read()
        } else {
            None
        };
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .http1_max_headers(MAX_RESPONSE_HEADERS)
            // Browsers show a page whose header has a stray control character; so does the check
            // (the one unreadable header line is left out instead of failing the whole answer).
            .http1_ignore_invalid_headers_in_responses(true)
            .user_agent(concat!("AuthDoctor/", env!("CARGO_PKG_VERSION")));
        for pem in &options.extra_root_certs_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| NetError::BadCertificate(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        if !options.use_proxy {
            builder = builder.no_proxy();
        } else if let Some(env) = proxy.clone() {
            // Our own choice from the same variables, so the check knows which proxy it used and
            // never sends this computer's own addresses through one (browsers do not either).
            builder = builder.no_proxy().proxy(
                reqwest::Proxy::custom(move |url| env.for_url(url))
                    .no_proxy(reqwest::NoProxy::from_env()),
            );
        }
        if let Some(resolver) = &options.resolver {
            builder = builder.dns_resolver(resolver.clone());
        }
        for (host, addr) in &options.resolve {
            builder = builder.resolve(host, *addr);
        }
        let client = builder
            .build()
            .map_err(|e| NetError::ClientBuild(error_chain(&e)))?;
        Ok(Net {
            client,
            timeout,
            deadline: Duration::from_secs(options.deadline_secs.max(1)),
            clock: options.clock.clone(),
            proxy,
            check: None,
        })
    }

    /// A handle for one check: its deadline starts now, and its requests go to `log`.
    #[must_use]
    pub fn for_check(&self, log: RequestLog) -> Net {
        Net {
            check: Some(CheckScope {
                ends_at: Instant::now() + self.deadline,
                log,
            }),
            ..self.clone()
        }
    }

    /// The proxy a request to `url` goes through, if one is set (its address without secrets).
    #[must_use]
    pub fn proxy_for(&self, url: &Url) -> Option<ProxyUse> {
        self.proxy.as_ref()?.describe_for(url)
    }

    /// When the current check must end (None outside a check).
    #[must_use]
    pub fn ends_at(&self) -> Option<Instant> {
        self.check.as_ref().map(|c| c.ends_at)
    }

    /// The requests of the current check so far.
    #[must_use]
    pub fn requests(&self) -> Vec<SentRequest> {
        self.check
            .as_ref()
            .map(|c| c.log.snapshot())
            .unwrap_or_default()
    }

    /// The current time by the injected clock.
    #[must_use]
    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }
}

/// One HTTP header, with its value made safe to show (control bytes and invalid UTF-8 escaped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Lowercase header name.
    pub name: String,
    /// The value, escaped for display; secrets already replaced by `(redacted)`.
    pub value: String,
}

/// One request/response step of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The address requested.
    pub url: String,
    /// The status it answered.
    pub status: u16,
    /// Where it sent us, for redirects.
    pub location: Option<String>,
    /// Time from sending the request to having the answer's headers and body.
    pub elapsed_ms: u64,
}

/// A full answer, as observed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The address requested.
    pub url: String,
    /// The request headers we sent (secrets redacted).
    pub request_headers: Vec<Header>,
    /// Status code.
    pub status: u16,
    /// "HTTP/1.1", "HTTP/2"…
    pub http_version: String,
    /// The server's address, when known.
    pub remote_ip: Option<String>,
    /// Response headers, in order, names lowercase.
    pub headers: Vec<Header>,
    /// At most [`MAX_BODY_BYTES`] of the body, decoded as UTF-8 (lossy).
    #[serde(default)]
    pub body_excerpt: String,
    /// True when the body was longer than what we kept.
    #[serde(default)]
    pub body_truncated: bool,
    /// Time taken.
    pub elapsed_ms: u64,
    /// The raw bytes of every `WWW-Authenticate` line (for the parser; not serialized).
    #[serde(skip)]
    pub www_authenticate_raw: Vec<Vec<u8>>,
    /// The raw bytes of every `Proxy-Authenticate` line.
    #[serde(skip)]
    pub proxy_authenticate_raw: Vec<Vec<u8>>,
    /// Every `Set-Cookie` as sent, to send the cookies back during a sign-in (never shown).
    #[serde(skip)]
    pub set_cookie_raw: Vec<Secret>,
}

impl Exchange {
    /// The first value of a header, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The parsed `WWW-Authenticate` challenges of this answer (all header lines, raw bytes).
    #[must_use]
    pub fn challenges(&self) -> ParsedChallenges {
        parse_raw(&self.www_authenticate_raw)
    }

    /// The parsed `Proxy-Authenticate` challenges of this answer.
    #[must_use]
    pub fn proxy_challenges(&self) -> ParsedChallenges {
        parse_raw(&self.proxy_authenticate_raw)
    }

    /// Every value of a header.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

#[cfg(test)]
impl Exchange {
    /// An answer for unit tests: these headers and body, nothing else.
    pub(crate) fn for_test(url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Self {
        Exchange {
            url: url.to_owned(),
            request_headers: Vec::new(),
            status,
            http_version: "HTTP/1.1".to_owned(),
            remote_ip: None,
            headers: headers
                .iter()
                .map(|(n, v)| Header {
                    name: n.to_ascii_lowercase(),
                    value: (*v).to_owned(),
                })
                .collect(),
            body_excerpt: body.to_owned(),
            body_truncated: false,
            elapsed_ms: 1,
            www_authenticate_raw: Vec::new(),
            proxy_authenticate_raw: Vec::new(),
            set_cookie_raw: Vec::new(),
        }
    }
}

fn parse_raw(lines: &[Vec<u8>]) -> ParsedChallenges {
    if lines.is_empty() {
        return ParsedChallenges::default();
    }
    let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    challenge::parse_lines(&refs)
}

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
pub fn is_internal_ip(ip: std::net::IpAddr) -> bool {
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

/// The proxies set in the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, either case),
/// as curl and browsers on Linux read them.
#[derive(Clone, Debug, Default)]
struct ProxyEnv {
    https: Option<(String, Url)>,
    http: Option<(String, Url)>,
    all: Option<(String, Url)>,
}

impl ProxyEnv {
    fn read() -> Option<ProxyEnv> {
        let read = |upper: &str, lower: &str| {
            [upper, lower].iter().find_map(|name| {
                let value = std::env::var(name).ok()?;
                let value = value.trim();
                if value.is_empty() {
                    return None;
                }
                // "proxy:3128" is meant as http://proxy:3128, as curl reads it.
                let url = Url::parse(value)
                    .ok()
                    .filter(Url::has_host)
                    .or_else(|| Url::parse(&format!("http://{value}")).ok())?;
                Some(((*name).to_owned(), url))
            })
        };
        let env = ProxyEnv {
            https: read("HTTPS_PROXY", "https_proxy"),
            http: read("HTTP_PROXY", "http_proxy"),
            all: read("ALL_PROXY", "all_proxy"),
        };
        (env.https.is_some() || env.http.is_some() || env.all.is_some()).then_some(env)
    }

    /// The proxy for one address: none for this computer's own addresses.
    fn for_url(&self, url: &Url) -> Option<Url> {
        if is_loopback_host(url) {
            return None;
        }
        let chosen = match url.scheme() {
            "https" => self.https.as_ref().or(self.all.as_ref()),
            _ => self.http.as_ref().or(self.all.as_ref()),
        };
        chosen.map(|(_, u)| u.clone())
    }

    /// The proxy used for `url`, and the variable that set it.
    fn describe_for(&self, url: &Url) -> Option<ProxyUse> {
        if is_loopback_host(url) {
            return None;
        }
        let (for_scheme, chosen) = match (url.scheme(), &self.https, &self.http) {
            ("https", Some(p), _) => ("https", p),
            ("http", _, Some(p)) => ("http", p),
            _ => ("all", self.all.as_ref()?),
        };
        let bypassed = reqwest::NoProxy::from_env().is_some_and(|_| {
            std::env::var("NO_PROXY")
                .or_else(|_| std::env::var("no_proxy"))
                .is_ok_and(|list| no_proxy_matches(&list, url))
        });
        (!bypassed).then(|| ProxyUse {
            url: redact::address_without_secrets(chosen.1.as_str()),
            source: chosen.0.clone(),
            for_scheme: for_scheme.to_owned(),
        })
    }
}

/// Whether a `NO_PROXY` list names this address's host (`*`, a domain and its subdomains, or
/// an exact address), for saying which proxy was used.
fn no_proxy_matches(list: &str, url: &Url) -> bool {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let entry = entry.trim_start_matches('.').to_ascii_lowercase();
            entry == "*" || host == entry || host.ends_with(&format!(".{entry}"))
        })
}

/// `localhost`, 127.0.0.0/8 and `::1`: never sent through a proxy.
fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
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

/// Replaces the secret part of a sensitive header, keeping what helps diagnosis
/// (the scheme of an `Authorization`, the names of cookies).
#[must_use]
pub fn redact_header_value(name: &str, value: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "authorization" | "proxy-authorization" => match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {REDACTED}"),
            None => REDACTED.to_owned(),
        },
        "cookie" => value
            .split(';')
            .map(|pair| match pair.split_once('=') {
                Some((n, _)) => format!("{}={REDACTED}", n.trim()),
                None => REDACTED.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        "set-cookie" => match value.split_once('=') {
            Some((n, rest)) => {
                let attrs = rest.split_once(';').map(|(_, a)| a).unwrap_or_default();
                if attrs.is_empty() {
                    format!("{n}={REDACTED}")
                } else {
                    format!("{n}={REDACTED};{attrs}")
                }
            }
            None => REDACTED.to_owned(),
        },
        _ => value.to_owned(),
    }
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
pub fn error_chain(error: &dyn std::error::Error) -> String {
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
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_its_scheme_but_loses_the_credential() {
        assert_eq!(
            redact_header_value("Authorization", "Basic YWxpY2U6czNjcmV0"),
            "Basic (redacted)"
        );
        assert_eq!(
            redact_header_value("cookie", "sid=abc; theme=dark"),
            "sid=(redacted); theme=(redacted)"
        );
        assert_eq!(
            redact_header_value("set-cookie", "sid=abc; Path=/; HttpOnly"),
            "sid=(redacted); Path=/; HttpOnly"
        );
        assert_eq!(redact_header_value("server", "nginx"), "nginx");
    }

    #[test]
    fn control_characters_and_invalid_utf8_are_escaped() {
        assert_eq!(escape_bytes(b"ok\x1b[31m\xff"), "ok\\x1b[31m\\xff");
        assert_eq!(escape_bytes("grüß".as_bytes()), "grüß");
    }

    #[test]
    fn a_page_keeps_its_lines_but_loses_its_terminal_escapes() {
        assert_eq!(
            body_text(b"<p>\x1b[2Jhi\r\n\tthere \xc2\x9b1m\xff</p>"),
            "<p>\\x1b[2Jhi\r\n\tthere \\x9b1m\u{fffd}</p>"
        );
        assert_eq!(body_text(b"plain"), "plain");
    }
}
