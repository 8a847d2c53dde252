//! The network side of a check, made once and shared: the HTTP client and its limits, the
//! proxy a browser would use, and the list of what each check sent and why.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use url::Url;

use super::{Failure, MAX_RESPONSE_HEADERS, error_chain};
use crate::engine::redact;

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
    pub(super) client: reqwest::Client,
    /// Per-request time limit.
    pub timeout: Duration,
    /// Limit on a whole check.
    pub deadline: Duration,
    /// The clock.
    pub clock: Clock,
    /// The proxies set in the environment, when they are used.
    proxy: Option<ProxyEnv>,
    /// Set for one check by [`Net::for_check`]: when it ends, and where its requests are logged.
    pub(super) check: Option<CheckScope>,
}

#[derive(Clone)]
pub(super) struct CheckScope {
    ends_at: Instant,
    pub(super) log: RequestLog,
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

    pub(super) fn begin(&self, request: SentRequest) -> usize {
        let mut entries = self.lock();
        entries.push(SentRequest {
            started_ms: self.started.elapsed().as_millis() as u64,
            pending: true,
            ..request
        });
        entries.len() - 1
    }

    pub(super) fn end(&self, index: usize, status: Option<u16>, failure: Option<&Failure>) {
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
