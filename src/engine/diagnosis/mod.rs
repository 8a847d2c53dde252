//! The whole check, start to finish: address → live request → challenge → credential test →
//! ranked findings with one likely cause. The GUI and the CLI both call [`diagnose`]; this module
//! runs the steps in order, and the steps' own modules say what each one finds:
//!
//! - [`address`]: the address step and the advice on which address to use;
//! - [`plan`]: which follow-up requests the first answer calls for;
//! - [`chain`]: what a chain of answers says on its own (live, or recorded in a HAR file), and
//!   the final ranking;
//! - [`sign_in`]: what became of the request with the user's sign-in details;
//! - [`scrub`]: every secret of a check, cut out of the diagnosis as its last step.

mod address;
mod chain;
mod plan;
mod scrub;
mod sign_in;

/// Kept here too: the faces read a status's meaning beside the diagnosis.
pub use crate::engine::probe::status_meaning;
pub use chain::{analyze_chain, diagnose_recorded};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::cache::{self, CacheReport};
use crate::engine::challenge::Challenge;
use crate::engine::cookies::{self, CookieCheck, CookieVerdict, RequestContext};
use crate::engine::credentials::{self, CredentialResult, Credentials, Outcome};
use crate::engine::dns::{self, DnsOptions, DnsReport};
use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::fingerprint::{self, Fingerprint};
use crate::engine::ntlm::{self, NtlmChallenge};
use crate::engine::preflight::{self, PreflightReport};
use crate::engine::probe::{
    self, Exchange, Hop, Net, Probe, ProxyUse, Purpose, RequestLog, RequestPlan, SentRequest,
    deadline_finding,
};
use crate::engine::secret::Secret;
use crate::engine::serverside::ServerSide;
use crate::engine::services::{self, References};
use crate::engine::token::{self, TokenReport};
use crate::engine::token_exchange::{self, TokenExchange};

use address::{
    address_findings, https_not_spoken, settle_corrected_address, suggest_https, take_userinfo,
};
use chain::{dedupe, finish, merge_fingerprint};
use plan::{FollowUpContext, is_token_reason, plan_follow_ups};
use sign_in::credential_findings;

/// Version of the JSON layout of [`Diagnosis`]; bumped only when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// What to check.
#[derive(Clone, Debug, Default)]
pub struct CheckInput {
    /// The address as the user typed or pasted it.
    pub address: String,
    /// Optional sign-in details to test.
    pub credentials: Credentials,
    /// Cookies exported from the user's browser, in any format AuthDoctor reads (a `Cookie:`
    /// header, `Set-Cookie` lines, cookies.txt, HAR, JSON). Never saved.
    pub cookies: Option<String>,
    /// Compare this computer's DNS answer with a fresh one (None: skip the DNS part).
    pub dns: Option<DnsOptions>,
    /// Where the check's requests are logged as they go, for a display of the pending one
    /// (None: a log of the check's own).
    pub log: Option<RequestLog>,
    /// The page whose script calls this address (its origin is used): when set, the browser's
    /// CORS preflight is tried too (None: skipped).
    pub origin: Option<String>,
    /// Hosts (`host` or `host:port`) the user confirmed as token services for a registry's token
    /// exchange, beyond those on the registry's own site.
    pub allowed_token_endpoints: Vec<String>,
}

/// The result of a check: everything the GUI, the CLI and reports show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// Layout version of this structure.
    pub schema_version: u32,
    /// The address checked, after repairs (empty when it could not be repaired).
    pub url: String,
    /// The address at the end of the redirect chain.
    pub final_url: Option<String>,
    /// The final status, when there was an answer.
    pub status: Option<u16>,
    /// Every hop of the redirect chain.
    pub hops: Vec<Hop>,
    /// The challenges of the final answer's `WWW-Authenticate`.
    pub challenges: Vec<Challenge>,
    /// The challenges of a `Proxy-Authenticate` (407).
    #[serde(default)]
    pub proxy_challenges: Vec<Challenge>,
    /// What the challenge parser had to forgive.
    #[serde(default)]
    pub challenge_problems: Vec<String>,
    /// The credential test, when one ran.
    pub credentials: Option<CredentialResult>,
    /// Every finding, most important first.
    pub findings: Vec<Finding>,
    /// The code of the finding that best explains the 401.
    pub likely_cause: Option<Code>,
    /// Every request and answer of the chain, headers included (secrets redacted).
    #[serde(default)]
    pub exchanges: Vec<Exchange>,
    /// When the check ran (HTTP date).
    #[serde(default)]
    pub checked_at: String,
    /// The DNS comparison, when it ran.
    #[serde(default)]
    pub dns: Option<DnsReport>,
    /// The imported cookies and whether the browser would send each (values never kept).
    #[serde(default)]
    pub cookies: Vec<CookieVerdict>,
    /// Cache and CDN headers of the final answer.
    #[serde(default)]
    pub cache: Option<CacheReport>,
    /// Rate limits, the server's clock, IP rules.
    #[serde(default)]
    pub server: Option<ServerSide>,
    /// Server software, CMS, security plugins, firewalls and CDNs recognised.
    #[serde(default)]
    pub fingerprint: Option<Fingerprint>,
    /// What the given token says about itself (JWT claims; never the signature).
    #[serde(default)]
    pub token: Option<TokenReport>,
    /// Every request the check sent, in order: why, where (secrets removed), with or without
    /// credentials and cookies, the status and the time.
    #[serde(default)]
    pub requests: Vec<SentRequest>,
    /// The proxy the requests went through, if one is set for this computer.
    #[serde(default)]
    pub proxy: Option<ProxyUse>,
    /// What the check removed from everything it shows, by kind, never by value (secret
    /// address parameters, a user name and password in an address, a secret of yours that the
    /// site sent back).
    #[serde(default)]
    pub redacted: Vec<String>,
    /// What to give the site's owner: reference numbers, the site's time, the public address it
    /// saw.
    #[serde(default)]
    pub references: References,
    /// The CORS preflight, when a page's origin was given.
    #[serde(default)]
    pub preflight: Option<PreflightReport>,
    /// What the server's NTLM message says (Windows sign-in), when it offered one.
    #[serde(default)]
    pub ntlm: Option<NtlmChallenge>,
    /// A registry's token exchange, when its 401 asks for one.
    #[serde(default)]
    pub token_exchange: Option<TokenExchange>,
}

impl Diagnosis {
    /// The finding named as the likely cause.
    #[must_use]
    pub fn likely_finding(&self) -> Option<&Finding> {
        let code = self.likely_cause?;
        self.findings.iter().find(|f| f.code == code)
    }

    /// True when any finding has this code.
    #[must_use]
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// The first answer that was a 401, kept for side-by-side display with the signed-in answer.
    #[must_use]
    pub fn first_401(&self) -> Option<&Exchange> {
        self.exchanges.iter().find(|e| e.status == 401)
    }
}

/// Runs the whole check. Never fails: every problem becomes a finding. The result contains none
/// of the secrets used (typed, found in the address as `user:password@` or `?token=…`, or given
/// as cookies): they never enter AuthDoctor's own sentences, and every value from outside (what
/// the site sent back) is scrubbed of them in every encoding.
pub async fn diagnose(input: &CheckInput, net: &Net) -> Diagnosis {
    let net = &net.for_check(input.log.clone().unwrap_or_default());
    let mut credentials = input.credentials.clone();
    let mut address_secret = None;
    // Boxed: the whole check's state is large, and callers keep their own futures small.
    let mut diagnosis = Box::pin(diagnose_inner(
        input,
        &mut credentials,
        &mut address_secret,
        net,
    ))
    .await;
    let scrubber = scrub::check_scrubber(input, &credentials, address_secret.as_ref());
    scrub::diagnosis(&mut diagnosis, &scrubber);
    diagnosis
}

async fn diagnose_inner(
    input: &CheckInput,
    credentials: &mut Credentials,
    address_secret: &mut Option<Secret>,
    net: &Net,
) -> Diagnosis {
    let address = input.address.as_str();
    let cookie_text = input.cookies.as_deref();
    let dns_options: Option<&DnsOptions> = input.dns.as_ref();
    let now = net.now();
    let mut diagnosis = Diagnosis {
        schema_version: SCHEMA_VERSION,
        checked_at: httpdate::fmt_http_date(now),
        ..Diagnosis::default()
    };
    let (mut check, mut findings) = match address_findings(address) {
        Ok(ok) => ok,
        Err(f) => {
            diagnosis.findings.push(*f);
            finish(&mut diagnosis);
            return diagnosis;
        }
    };
    *address_secret = take_userinfo(&mut check, credentials);
    let mut url = check.url.clone();
    diagnosis.proxy = net.proxy_for(&url);
    let host = url.host_str().unwrap_or_default().to_owned();
    let has_credentials = credentials.is_present();
    if let Err(why) = credentials.check_sendable() {
        // Refused before anything is sent: half a password would look like a wrong one.
        findings.push(
            Finding::new(Code::CredentialsUntested, format!("Not tested: {why}."))
                .title("Your sign-in details cannot be sent as they are"),
        );
        *credentials = Credentials::default();
    }

    // The browser's cookies, as it would send them to this address.
    let cookie_check = cookie_text
        .filter(|t| !t.trim().is_empty())
        .map(|text| cookies::import(text, &url).check(&url, RequestContext::default(), now));
    let plan = RequestPlan {
        cookie: cookie_check.as_ref().and_then(CookieCheck::cookie_header),
        ..RequestPlan::default()
    };

    // Wave 1: the request (as the browser makes it) and the DNS comparison are independent.
    let ends_at = net.ends_at();
    let (mut probe, dns_report) = tokio::join!(probe::follow(net, &url, &plan), async {
        let options = dns_options?;
        let lookup = dns::check_dns(&host, options);
        match ends_at {
            Some(at) => tokio::time::timeout_at(at.into(), lookup).await.ok(),
            None => Some(lookup.await),
        }
    });
    if check.scheme_guessed && probe.exchanges.is_empty() && https_not_spoken(&probe) {
        // Nothing was typed before the host: a browser would try http too.
        let mut http_url = url.clone();
        if http_url.set_scheme("http").is_ok() {
            let fallback = RequestPlan {
                purpose: Purpose::SchemeFallback,
                ..plan.clone()
            };
            let second = probe::follow(net, &http_url, &fallback).await;
            if !second.exchanges.is_empty() {
                url = http_url;
                probe = second;
            }
        }
    }
    diagnosis.url = url.to_string();
    let answered = !probe.exchanges.is_empty();
    settle_corrected_address(&mut findings, &check, &url, answered);
    let mut chain_findings =
        analyze_chain(&mut diagnosis, &url, &probe, has_credentials, Some(now));
    if let Some(report) = &dns_report {
        // The DNS step's own dns-failure says more than the connection error's.
        if report.findings.iter().any(|f| f.code == Code::DnsFailure) {
            chain_findings.retain(|f| f.code != Code::DnsFailure);
        }
        findings.extend(report.findings.iter().cloned());
    }
    findings.extend(chain_findings);
    diagnosis.dns = dns_report;

    // Wave 2: the follow-up requests the first answer calls for, all together.
    if let Some(last) = probe.final_exchange() {
        let final_url = Url::parse(&last.url).unwrap_or_else(|_| url.clone());
        let mut follow_ups = plan_follow_ups(&FollowUpContext {
            last,
            exchanges: &probe.exchanges,
            start: &url,
            crossed_origin: probe.crossed_origin,
            has_credentials: credentials.is_present(),
            has_cookies: plan.cookie.is_some(),
        });
        // A registry's token exchange replaces the direct test of a password (a token is still
        // sent directly); a page's origin asks for the preflight; Windows sign-in for its NTLM.
        let registry =
            token_exchange::registry_challenge(last).filter(|_| !credentials.has_token());
        follow_ups.test_credentials &= registry.is_none();
        let https_tried = follow_ups.https_check.is_some();
        let origin = input
            .origin
            .as_deref()
            .and_then(|o| preflight::origin_of(o).ok());
        let windows =
            last.status == 401 && ntlm::offers_windows_sign_in(&last.challenges().challenges);
        let (
            (credential_result, without_cookies, busted, extra, https),
            (preflight_report, ntlm_answer, exchanged),
        ) = tokio::join!(
            async {
                tokio::join!(
                    async {
                        if follow_ups.test_credentials {
                            Some(credentials::test(net, &final_url, last, credentials).await)
                        } else {
                            None
                        }
                    },
                    async {
                        if follow_ups.retest_without_cookies {
                            let without = RequestPlan {
                                purpose: Purpose::WithoutCookies,
                                ..RequestPlan::default()
                            };
                            Some(probe::follow(net, &url, &without).await)
                        } else {
                            None
                        }
                    },
                    async {
                        if follow_ups.bust_cache {
                            let busted_url =
                                cache::cache_busted_url(&final_url, &cache::nonce_from(now));
                            // The cookies belong to the address the user gave: never to another origin.
                            let same_origin = final_url.origin() == url.origin();
                            let busting = RequestPlan {
                                cookie: plan.cookie.clone().filter(|_| same_origin),
                                extra_headers: cache::cache_busting_headers(),
                                purpose: Purpose::CacheBusted,
                                ..RequestPlan::default()
                            };
                            Some(probe::follow(net, &busted_url, &busting).await)
                        } else {
                            None
                        }
                    },
                    harmless_requests(net, &final_url, follow_ups.harmless_paths),
                    async {
                        match &follow_ups.https_check {
                            Some(target) => probe::fetch_once(net, target, Purpose::HttpsCheck)
                                .await
                                .ok()
                                .map(|_| target.clone()),
                            None => None,
                        }
                    }
                )
            },
            async {
                tokio::join!(
                    async {
                        match &origin {
                            Some(o) => Some(preflight::probe(net, &url, o).await),
                            None => None,
                        }
                    },
                    async {
                        if windows {
                            let scheme = ntlm::handshake_scheme(&last.challenges().challenges);
                            let plan = RequestPlan {
                                extra_headers: vec![(
                                    "authorization".to_owned(),
                                    format!("{scheme} {}", ntlm::negotiate_message()),
                                )],
                                purpose: Purpose::NtlmHandshake,
                                ..RequestPlan::default()
                            };
                            probe::send_plan(net, &final_url, &plan).await.ok()
                        } else {
                            None
                        }
                    },
                    async {
                        match &registry {
                            Some(challenge) => Some(
                                token_exchange::perform(
                                    net,
                                    &final_url,
                                    challenge,
                                    credentials,
                                    &input.allowed_token_endpoints,
                                )
                                .await,
                            ),
                            None => None,
                        }
                    }
                )
            }
        );
        if let Some(report) = preflight_report {
            findings.extend(preflight::findings(&report));
            diagnosis.preflight = Some(report);
        }
        if let Some(decoded) = ntlm_answer.as_ref().and_then(ntlm::challenge_of) {
            if let Some(f) = ntlm::windows_finding(last, Some(&decoded)) {
                findings.retain(|x| x.code != Code::WindowsSignIn);
                findings.push(f);
            }
            diagnosis.ntlm = Some(decoded);
        }
        if let Some(done) = exchanged {
            findings.extend(done.findings);
            if diagnosis.credentials.is_none() {
                diagnosis.credentials = done.credentials;
            }
            diagnosis.token_exchange = Some(done.report);
        }
        let status = last.status;
        match credential_result {
            Some(Ok(result)) => {
                findings.extend(credential_findings(&result, last));
                diagnosis.credentials = Some(result);
            }
            Some(Err(why)) => findings.push(Finding::new(
                Code::CredentialsUntested,
                format!("Not tested: {why}."),
            )),
            None if credentials.is_present() && status != 401 && !probe.crossed_origin => {
                findings.push(Finding::new(
                    Code::CredentialsUntested,
                    format!(
                        "The address answered {status} without asking for a sign-in, so there                          was nothing to test your sign-in details against."
                    ),
                ));
            }
            None => {}
        }
        if let (Some(check), Some(without)) = (&cookie_check, without_cookies.as_ref()) {
            if let Some(without_last) = without.final_exchange()
                && let Some(f) =
                    cookies::compare_with_and_without(status, without_last.status, &check.verdicts)
            {
                findings.push(f);
            }
        }
        if let Some(busted_last) = busted.as_ref().and_then(Probe::final_exchange)
            && let Some(f) = cache::compare_busted(last, busted_last)
            && !findings.iter().any(|x| x.code == f.code)
        {
            findings.push(f);
        }
        if let Some(c) = &diagnosis.credentials
            && c.outcome == Outcome::Rejected
            && let Some(f) = services::basic_retired(&c.url, &c.scheme, c.status)
        {
            findings.push(f);
        }
        services::settle(
            &mut findings,
            diagnosis.credentials.as_ref().is_some_and(|c| c.accepted),
        );
        suggest_https(&mut findings, https.as_ref(), https_tried);
        let print = fingerprint::fingerprint(&probe.exchanges, &extra);
        merge_fingerprint(&mut findings, &print);
        diagnosis.fingerprint = Some(print);
    }
    if let Some(check) = &cookie_check {
        findings.extend(check.findings());
        let cookie_login = diagnosis.status == Some(401) && diagnosis.challenges.is_empty()
            || diagnosis
                .fingerprint
                .as_ref()
                .is_some_and(|f| f.cms.as_ref().is_some_and(|c| c.name == "WordPress"));
        findings.extend(check.login_finding(cookie_login));
        diagnosis.cookies.clone_from(&check.verdicts);
    }
    if let Some(token) = credentials.token.as_ref() {
        let report = token::inspect(token, now, Some(&url));
        let refused = diagnosis.credentials.as_ref().is_some_and(|c| {
            credentials::is_token_scheme(&c.scheme)
                && matches!(c.outcome, Outcome::Rejected | Outcome::Forbidden)
        });
        for f in &report.findings {
            let mut f = f.clone();
            if is_token_reason(f.code) {
                // What the token says about itself is the reason only when the site refused it.
                f.severity = if refused {
                    Severity::Problem
                } else {
                    Severity::Info
                };
            }
            findings.push(f);
        }
        diagnosis.token = Some(report);
    }
    let requests = net.requests();
    // Built from the whole list of requests, which knows the site's pace better than the one
    // request that failed: it replaces the finding of that failure.
    if let Some(cut) = requests.iter().find(|r| r.stopped_by_deadline) {
        let slowest = requests
            .iter()
            .filter(|r| r.status.is_some())
            .map(|r| r.elapsed_ms)
            .max();
        findings.retain(|f| f.code != Code::CheckDeadlineReached);
        findings.push(deadline_finding(
            net.deadline.as_secs(),
            &cut.url,
            cut.elapsed_ms,
            cut.purpose,
            slowest,
        ));
    }
    diagnosis.requests = requests;
    diagnosis.findings = dedupe(findings);
    finish(&mut diagnosis);
    diagnosis
}

/// At most three plain GETs on the site's own origin (`/wp-json/`, `/wp-login.php`,
/// `/robots.txt`): no sign-in, no cookies, no redirects followed. Harmless, never attack-like.
async fn harmless_requests(net: &Net, url: &Url, paths: &[&str]) -> Vec<Exchange> {
    let mut set = tokio::task::JoinSet::new();
    for path in paths {
        if let Ok(target) = url.join(path) {
            let net = net.clone();
            set.spawn(async move {
                probe::fetch_once(&net, &target, Purpose::Harmless)
                    .await
                    .ok()
            });
        }
    }
    let mut out = Vec::new();
    while let Some(done) = set.join_next().await {
        if let Ok(Some(exchange)) = done {
            out.push(exchange);
        }
    }
    out
}
