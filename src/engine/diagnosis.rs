//! The whole check, start to finish: address → live request → challenge → credential test →
//! ranked findings with one likely cause. The GUI and the CLI both call [`diagnose`].

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::cache::{self, CacheReport};
use crate::engine::challenge::{self, Challenge, ParsedChallenges};
use crate::engine::cookies::{self, CookieCheck, CookieVerdict, RequestContext};
use crate::engine::credentials::{self, CredentialResult, Credentials, Outcome};
use crate::engine::dns::{self, DnsOptions, DnsReport};
use crate::engine::finding::{self, Code, Facts, Finding, Severity};
use crate::engine::fingerprint::{self, Fingerprint};
use crate::engine::ntlm::{self, NtlmChallenge};
use crate::engine::preflight::{self, PreflightReport};
use crate::engine::probe::{
    self, Exchange, Failure, Hop, Net, Probe, ProxyUse, Purpose, RequestLog, RequestPlan,
    SentRequest, TlsProblem,
};
use crate::engine::redact::{self, Scrubber};
use crate::engine::secret::Secret;
use crate::engine::serverside::{self, ServerSide};
use crate::engine::services::{self, References};
use crate::engine::token::{self, TokenReport};
use crate::engine::token_exchange::{self, TokenExchange};
use crate::engine::url_check::{self, AddressCheck, AddressError};

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

/// The address step alone: repairs, notes, or why it cannot be used.
pub fn address_findings(input: &str) -> Result<(AddressCheck, Vec<Finding>), Box<Finding>> {
    let check =
        url_check::check_address(input).map_err(|e| Box::new(invalid_address(&e, input)))?;
    let mut findings = Vec::new();
    // The address as findings show it: `check.url` has no `user:password@` any more, and secret
    // parameters (`?token=…`) are sent but never repeated.
    let shown = redact::shown_address(&check.url);
    if !check.repairs.is_empty() {
        let mut f = Finding::new(
            Code::UrlCorrected,
            format!(
                "The address needed {} correction{} before it could be checked. AuthDoctor \
                 checked {} instead.",
                check.repairs.len(),
                if check.repairs.len() == 1 { "" } else { "s" },
                shown
            ),
        )
        .first_step(format!("Use this corrected address from now on: {shown}"));
        for r in &check.repairs {
            let change = if r.before == r.after {
                // The repair was inside a part that is never shown (a password, a token).
                format!("\"{}\" changed in a part that is not shown", r.before)
            } else {
                format!("\"{}\" became \"{}\"", r.before, r.after)
            };
            f = f.evidence(r.what.clone(), change);
        }
        findings.push(f);
    }
    if !check.doubts.is_empty() {
        let mut f = Finding::new(Code::UrlNote, check.doubts.join(" "));
        if let Some(p) = &check.punycode_host {
            f = f.evidence("Host as sent on the network", p.clone());
        }
        findings.push(f);
    }
    Ok((check, findings))
}

fn invalid_address(error: &AddressError, input: &str) -> Finding {
    let shown: String = redact::address(input).chars().take(200).collect();
    Finding::new(
        Code::UrlInvalid,
        format!("This address cannot be checked: {error}."),
    )
    .evidence("What was entered", shown)
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
    let scrubber = check_scrubber(input, &credentials, address_secret.as_ref());
    redact::diagnosis(&mut diagnosis, &scrubber);
    diagnosis
}

/// Every secret of one check: the password and token (with the Basic form of the password),
/// a password from the address, and the values of the cookies and secret address parameters
/// that were sent.
fn check_scrubber(
    input: &CheckInput,
    credentials: &Credentials,
    address_secret: Option<&Secret>,
) -> Scrubber {
    let secrets: Vec<&Secret> = [
        credentials.password.as_ref(),
        credentials.token.as_ref(),
        address_secret,
        input.credentials.password.as_ref(),
        input.credentials.token.as_ref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let user = credentials
        .user
        .as_deref()
        .or(input.credentials.user.as_deref());
    let mut scrubber = Scrubber::new(user, &secrets);
    if let Ok(check) = url_check::check_address(&input.address) {
        scrubber.add_address(check.url.as_str());
        if let Some(userinfo) = &check.userinfo {
            if userinfo.password.is_none() {
                // `https://TOKEN@host/` carries a token where the user name goes.
                scrubber.add_value(&userinfo.user);
            }
            for s in &secrets {
                scrubber.add_basic(&userinfo.user, s.expose());
            }
        }
        if let Some(text) = input.cookies.as_deref().filter(|t| !t.trim().is_empty()) {
            for cookie in cookies::import(text, &check.url).cookies {
                scrubber.add_value(cookie.value.expose());
            }
        }
    }
    scrubber
}

/// Moves `user:password@` out of the address: browsers would send them as Basic sign-in, so
/// they become the credentials to test when none were typed. Returns the password found, so it
/// can be scrubbed from the output either way.
fn take_userinfo(check: &mut AddressCheck, credentials: &mut Credentials) -> Option<Secret> {
    let userinfo = check.userinfo.take()?;
    if !credentials.is_present() {
        credentials.user = Some(userinfo.user);
        credentials.password.clone_from(&userinfo.password);
    }
    userinfo.password
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

/// The https address did not answer at all: refused, a port that does not speak TLS, or one
/// that waits for a plain request and never answers the TLS greeting.
fn https_not_spoken(probe: &Probe) -> bool {
    matches!(
        probe.failure,
        Some(Failure::Tls { .. } | Failure::Connection { .. } | Failure::Timeout { .. })
    )
}

/// The repaired address is recommended only once it was checked and answered, and says so when
/// http answered where https was assumed.
fn settle_corrected_address(
    findings: &mut [Finding],
    check: &AddressCheck,
    url: &Url,
    answered: bool,
) {
    let Some(f) = findings.iter_mut().find(|f| f.code == Code::UrlCorrected) else {
        return;
    };
    let advice = format!(
        "Use this corrected address from now on: {}",
        redact::shown_address(&check.url)
    );
    f.next_steps.retain(|s| *s != advice);
    if !answered {
        let tried = if check.scheme_guessed {
            " Neither the https nor the http address answered,"
        } else {
            " The corrected address did not answer,"
        };
        f.detail.push_str(tried);
        f.detail
            .push_str(" so AuthDoctor cannot say which address is right.");
        return;
    }
    if url.scheme() != check.url.scheme() {
        f.detail = format!(
            "The address had no http:// or https:// at the start. AuthDoctor tried https first, \
             which did not answer, then http, which did: it checked {}.",
            redact::shown_address(url)
        );
    }
    f.next_steps.insert(
        0,
        format!(
            "Use this corrected address from now on: {}",
            redact::shown_address(url)
        ),
    );
}

/// Offers the https version of an http address only when it was seen answering over TLS, and
/// says it does not answer only when that was tried.
fn suggest_https(findings: &mut [Finding], https: Option<&Url>, tried: bool) {
    let Some(f) = findings.iter_mut().find(|f| f.code == Code::InsecureBasic) else {
        return;
    };
    match https {
        Some(target) => f.next_steps.insert(
            0,
            format!("Use the https address instead, which answers: {target}"),
        ),
        None if tried => f.next_steps.insert(
            0,
            "This site does not answer over https at the same address: ask its owner to set up \
             https (a free certificate from Let's Encrypt is enough)."
                .to_owned(),
        ),
        // An http address on its own port: its https address, if any, is elsewhere.
        None => f.next_steps.insert(
            0,
            "Ask the site's owner for its https address and use that; if it has none, ask them \
             to set up https (a free certificate from Let's Encrypt is enough)."
                .to_owned(),
        ),
    }
}

/// What the first answer tells about which follow-up requests are worth sending.
struct FollowUpContext<'a> {
    last: &'a Exchange,
    exchanges: &'a [Exchange],
    start: &'a Url,
    crossed_origin: bool,
    has_credentials: bool,
    has_cookies: bool,
}

/// The follow-up requests of a check, each only when the first answer gives a reason.
#[derive(Debug, Default, PartialEq, Eq)]
struct FollowUps {
    /// Answer the 401's challenge with the user's details (never on another origin).
    test_credentials: bool,
    /// The same address without the user's cookies.
    retest_without_cookies: bool,
    /// Past any cache, when the answer shows a cache or may be stored by one.
    bust_cache: bool,
    /// WordPress pages, when the answer hints at WordPress or PHP.
    harmless_paths: &'static [&'static str],
    /// The https version of an http address that asks for a password.
    https_check: Option<Url>,
}

fn plan_follow_ups(c: &FollowUpContext<'_>) -> FollowUps {
    let status = c.last.status;
    let final_url = Url::parse(&c.last.url).ok();
    let refused = matches!(status, 401 | 403 | 429);
    let asks_password = c
        .last
        .challenges()
        .challenges
        .iter()
        .any(|ch| matches!(ch.scheme_lower().as_str(), "basic" | "digest"));
    FollowUps {
        test_credentials: status == 401 && c.has_credentials && !c.crossed_origin,
        retest_without_cookies: c.has_cookies,
        bust_cache: matches!(status, 401 | 403) && cache::worth_busting(c.last),
        harmless_paths: if refused && fingerprint::hints_at_wordpress(c.exchanges) {
            fingerprint::harmless_probe_paths()
        } else {
            &[]
        },
        https_check: final_url
            .filter(|u| u.scheme() == "http" && status == 401 && asks_password)
            .filter(|u| u.origin() == c.start.origin())
            .and_then(|u| {
                let mut https = u;
                https.set_scheme("https").ok()?;
                if https.port() == Some(80) {
                    https.set_port(None).ok()?;
                }
                Some(https)
            })
            .filter(|u| u.port().is_none()),
    }
}

fn is_token_reason(code: Code) -> bool {
    matches!(
        code,
        Code::TokenExpired
            | Code::TokenNotYetValid
            | Code::TokenWrongAudience
            | Code::TokenWrongIssuer
    )
}

fn deadline_finding(
    secs: u64,
    url: &str,
    waited_ms: u64,
    purpose: Purpose,
    slowest_ms: Option<u64>,
) -> Finding {
    let which = match purpose {
        Purpose::SignedIn | Purpose::SignedInRetry => "the request with your sign-in details",
        Purpose::AsBrowser | Purpose::SchemeFallback => "the request for the page itself",
        _ => "a follow-up request",
    };
    // A request sent just before the limit has hardly waited: the site's pace shows in the
    // answers that came before it.
    let waited = if waited_ms >= 1000 {
        format!(" after {} of waiting", duration_text(waited_ms))
    } else {
        String::new()
    };
    let pace = match slowest_ms {
        Some(ms) if ms >= 1000 => format!(
            " Before it, the site took up to {} for each answer.",
            duration_text(ms)
        ),
        Some(_) => String::new(),
        None => " The site answered none of the check's requests in that time.".to_owned(),
    };
    let mut finding = Finding::new(
        Code::CheckDeadlineReached,
        format!(
            "AuthDoctor stops a check after {}, and {which} ({url}) had still not been \
             answered{waited}.{pace} What is shown is what was found before that. A site this \
             slow makes browsers give up too, which can look like a sign-in problem.",
            crate::engine::time::span_text(secs)
        ),
    )
    .evidence("Request not finished", url.to_owned())
    .evidence("Waited", format!("{waited_ms} ms"))
    .evidence("Time limit of the check", format!("{secs} s"));
    if let Some(ms) = slowest_ms {
        finding = finding.evidence("Slowest answer before it", format!("{ms} ms"));
    }
    finding
}

/// A time in words: "0.9 seconds", "14.5 seconds", "2 minutes 5 seconds".
fn duration_text(ms: u64) -> String {
    if ms < 60_000 {
        let tenths = (ms + 50) / 100;
        if tenths % 10 == 0 {
            let whole = tenths / 10;
            format!("{whole} {}", if whole == 1 { "second" } else { "seconds" })
        } else {
            format!("{}.{} seconds", tenths / 10, tenths % 10)
        }
    } else {
        crate::engine::time::span_text(ms / 1000)
    }
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

/// Adds the fingerprint's findings (the CDN beside a cached 401 too: it names who holds the copy).
fn merge_fingerprint(findings: &mut Vec<Finding>, print: &Fingerprint) {
    findings.extend(print.findings.iter().cloned());
}

/// One finding per code and title: the analyses overlap at the edges (a 407 seen by two of them).
fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if !out.iter().any(|o| o.code == f.code && o.title == f.title) {
            out.push(f);
        }
    }
    out
}

/// Everything that can be said from a recorded chain of answers alone, with no new request:
/// fills the chain, status and challenges into `diagnosis` and returns the findings. Used for
/// live checks and for HAR files.
pub fn analyze_chain(
    diagnosis: &mut Diagnosis,
    start: &Url,
    probe: &Probe,
    has_credentials: bool,
    now: Option<SystemTime>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    diagnosis.hops.clone_from(&probe.hops);
    diagnosis.exchanges.clone_from(&probe.exchanges);
    if let Some(failure) = &probe.failure {
        findings.push(failure_finding(failure, start, probe));
    }
    let Some(last) = probe.final_exchange() else {
        return findings;
    };
    diagnosis.final_url = Some(last.url.clone());
    diagnosis.status = Some(last.status);
    let final_url = Url::parse(&last.url).unwrap_or_else(|_| start.clone());
    let www = last.challenges();
    let proxy = last.proxy_challenges();
    findings.extend(answer_findings(last, &final_url, &www, &proxy));
    diagnosis.challenges.clone_from(&www.challenges);
    diagnosis.proxy_challenges.clone_from(&proxy.challenges);
    diagnosis.challenge_problems.clone_from(&www.problems);
    diagnosis
        .challenge_problems
        .extend(proxy.problems.iter().cloned());
    if last.status == 401 && probe.crossed_origin {
        findings.push(dropped_on_redirect(start, &final_url, has_credentials));
    }
    let cache_report = cache::analyze(last, last.status == 401);
    findings.extend(cache_report.findings.iter().cloned());
    diagnosis.cache = Some(cache_report);
    // A recording (HAR) has no "now" of its own: its server clock is the only clock.
    let now = now
        .or_else(|| {
            last.header("date")
                .and_then(|d| httpdate::parse_http_date(d).ok())
        })
        .unwrap_or(std::time::UNIX_EPOCH);
    findings.extend(services::findings(&probe.exchanges));
    findings.extend(ntlm::windows_finding(last, None));
    diagnosis.references = services::references(&probe.exchanges);
    let server = serverside::inspect(&probe.exchanges, now, diagnosis.proxy.is_some());
    findings.extend(server.findings.iter().cloned());
    diagnosis.server = Some(server);
    if diagnosis.fingerprint.is_none() {
        let print = fingerprint::fingerprint(&probe.exchanges, &[]);
        merge_fingerprint(&mut findings, &print);
        diagnosis.fingerprint = Some(print);
    }
    findings
}

/// A diagnosis of a chain recorded elsewhere (a HAR file): the offline part of the check.
#[must_use]
pub fn diagnose_recorded(start: &Url, probe: &Probe, checked_at: String) -> Diagnosis {
    let mut diagnosis = Diagnosis {
        schema_version: SCHEMA_VERSION,
        url: start.to_string(),
        checked_at,
        ..Diagnosis::default()
    };
    let findings = analyze_chain(&mut diagnosis, start, probe, false, None);
    diagnosis.findings = dedupe(findings);
    finish(&mut diagnosis);
    diagnosis
}

fn finish(diagnosis: &mut Diagnosis) {
    let facts = Facts {
        time_matters: time_matters(diagnosis),
    };
    diagnosis.likely_cause = finding::likely_cause(&diagnosis.findings, facts);
    finding::rank(&mut diagnosis.findings, diagnosis.likely_cause);
}

/// True when the sign-in depends on the clocks: a Digest one-time number, or a token.
fn time_matters(diagnosis: &Diagnosis) -> bool {
    diagnosis.token.is_some()
        || diagnosis
            .credentials
            .as_ref()
            .is_some_and(|c| c.scheme != "Basic")
        || diagnosis
            .challenges
            .iter()
            .any(|c| !c.scheme_lower().eq("basic"))
}

fn failure_finding(failure: &Failure, start: &Url, probe: &Probe) -> Finding {
    // The request that failed: after redirects, the last hop's Location, not the start.
    let url = probe
        .hops
        .last()
        .and_then(|hop| {
            let location = hop.location.as_deref()?;
            Url::parse(&hop.url).ok()?.join(location).ok()
        })
        .unwrap_or_else(|| start.clone());
    let url = &url;
    let host = url.host_str().unwrap_or_default().to_owned();
    match failure {
        Failure::Dns { host, detail } => Finding::new(
            Code::DnsFailure,
            format!(
                "The name {host} could not be found. Either the address has a typo, the domain \
                 has expired or was never set up, or this computer cannot reach its DNS server \
                 (the internet's phone book)."
            ),
        )
        .evidence("Host", host.clone())
        .evidence("Resolver said", detail.clone()),
        Failure::Connection { detail } => {
            let refused = detail.to_ascii_lowercase().contains("refused");
            let what = if refused {
                format!(
                    "{host} was found, but nothing answered on port {}: the connection was \
                     refused. The web server is stopped, or it listens on another port.",
                    url.port_or_known_default().unwrap_or_default()
                )
            } else {
                format!(
                    "The connection to {host} failed before the site could answer. The server \
                     closed or reset the connection, or sent something that is not a valid web \
                     answer."
                )
            };
            Finding::new(Code::ConnectionFailed, what)
                .evidence("Address", url.to_string())
                .evidence("Error", detail.clone())
        }
        Failure::Tls { problem, detail } => tls_finding(*problem, &host, detail),
        Failure::Timeout { secs } => Finding::new(
            Code::Timeout,
            format!(
                "{host} did not answer within {}. The server is overloaded, a \
                 firewall silently drops the connection, or the site is down.",
                crate::engine::time::span_text(*secs)
            ),
        )
        .evidence("Time limit", format!("{secs} s")),
        Failure::TooManyRedirects { hops } => {
            let looped = probe
                .hops
                .iter()
                .enumerate()
                .any(|(i, h)| probe.hops.iter().skip(i + 1).any(|o| o.url == h.url));
            let detail = if looped {
                format!(
                    "The site sends the browser round in a circle: after {hops} redirects it \
                     was back at an address it had already visited. Browsers give up with \
                     \"too many redirects\". This is a setting on the site (often http-to-https \
                     and www-to-non-www rules fighting each other, or a login page that redirects \
                     to itself because a cookie is not kept)."
                )
            } else {
                format!(
                    "The site redirected {hops} times without reaching a page; AuthDoctor stops \
                     after {}, as browsers do after about 20.",
                    probe::MAX_HOPS
                )
            };
            let mut f = Finding::new(Code::TooManyRedirects, detail);
            for h in probe.hops.iter().take(12) {
                f = f.evidence(
                    format!("{} {}", h.status, h.url),
                    h.location.clone().unwrap_or_default(),
                );
            }
            f
        }
        Failure::DeadlineReached {
            secs,
            url,
            waited_ms,
        } => deadline_finding(*secs, url, *waited_ms, Purpose::AsBrowser, None),
        Failure::LeftOrigin { url } => Finding::new(
            Code::CredentialsUntested,
            format!("The site sent the request on to {url}, which was not followed."),
        ),
        Failure::RedirectToInternal { url } => Finding::new(
            Code::BadRedirect,
            format!(
                "The site redirected to {url}, an address on this computer or on a private \
                 network, not on the internet. AuthDoctor does not follow a public site there: \
                 a site should never send visitors into their own network. If you run the site, \
                 its address setting or a redirect rule names an internal address."
            ),
        )
        .title("The site redirects into a private network")
        .evidence("Redirect to", url.clone()),
        Failure::BadRedirect { location } => Finding::new(
            Code::BadRedirect,
            format!(
                "The site redirected to \"{location}\", which is not a web address a browser \
                 can follow."
            ),
        )
        .evidence("Location", location.clone()),
    }
}

fn tls_finding(problem: TlsProblem, host: &str, detail: &str) -> Finding {
    let (title, what) = match problem {
        TlsProblem::Expired => (
            "The site's security certificate has expired",
            format!(
                "The certificate that proves {host} is genuine is past its end date, so \
                 browsers refuse the secure connection before any sign-in can happen."
            ),
        ),
        TlsProblem::NotYetValid => (
            "The site's certificate is not valid yet — or this computer's clock is wrong",
            format!(
                "The certificate of {host} starts in the future. Usually this computer's date \
                 and time are wrong; check them first."
            ),
        ),
        TlsProblem::Untrusted => (
            "The site's certificate is not trusted (self-signed or private)",
            format!(
                "{host} presented a certificate that no trusted authority signed. That is \
                 normal for test servers and company-internal sites, and a warning sign \
                 otherwise."
            ),
        ),
        TlsProblem::WrongName => (
            "The site's certificate is for a different name",
            format!(
                "{host} presented a certificate issued for another name, as if the address \
                 points at the wrong server, or the certificate does not list this name."
            ),
        ),
        TlsProblem::Revoked => (
            "The site's certificate was revoked",
            format!("The authority that issued {host}'s certificate has withdrawn it."),
        ),
        TlsProblem::Other => (
            "The secure connection failed",
            format!("The secure (https) connection to {host} could not be set up."),
        ),
    };
    Finding::new(Code::TlsError, what)
        .title(title)
        .evidence("TLS error", detail.to_owned())
}

/// Plain words for an HTTP status, for the big status display and the findings.
#[must_use]
pub fn status_meaning(status: u16) -> &'static str {
    match status {
        200..=206 => "The page opened normally.",
        301 | 302 | 303 | 307 | 308 => "The site sent the browser to another address.",
        304 => "The browser's saved copy is still current.",
        400 => "Bad request: the server did not understand what was sent.",
        401 => "Unauthorized: the site wants you to sign in (or did not accept the sign-in).",
        403 => {
            "Forbidden: the server refuses this page to you. Unlike 401, signing in again will \
             not help: it is a permission or firewall rule."
        }
        404 => "Not found: there is no page at this address. Check the path for typos.",
        405 => "Method not allowed: the page exists but does not accept this kind of request.",
        407 => {
            "Proxy authentication required: a proxy on your network (not the site) wants a \
             sign-in."
        }
        408 => "Request timeout: the server gave up waiting for the request.",
        410 => "Gone: the page was removed on purpose.",
        429 => "Too many requests: the server is limiting how often you may try.",
        500 => "Internal server error: the site itself has a fault.",
        502 => "Bad gateway: a server in front of the site got no good answer from it.",
        503 => "Service unavailable: the site is down or overloaded for now.",
        504 => "Gateway timeout: a server in front of the site waited too long for it.",
        _ => match status / 100 {
            1 => "An interim answer.",
            3 => "A redirect.",
            4 => "The server refused the request.",
            _ => "The server has a problem.",
        },
    }
}

fn answer_findings(
    last: &Exchange,
    url: &Url,
    www: &ParsedChallenges,
    proxy: &ParsedChallenges,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let header_lines =
        |name: &str| -> String { last.headers_named(name).collect::<Vec<_>>().join("\n") };
    match last.status {
        401 => {
            out.extend(challenge_findings(
                www,
                &header_lines("www-authenticate"),
                url,
            ));
        }
        407 => {
            let schemes = scheme_list(&proxy.challenges);
            out.push(
                Finding::new(
                    Code::ProxyAuthRequired,
                    format!(
                        "The answer 407 comes from a proxy: a gateway on your network between \
                         this computer and the site, not the site itself. It asks for a \
                         sign-in{}.",
                        if schemes.is_empty() {
                            String::new()
                        } else {
                            format!(" using {schemes}")
                        }
                    ),
                )
                .evidence("Status", "407")
                .evidence("Proxy-Authenticate", header_lines("proxy-authenticate")),
            );
        }
        status => {
            let severity = match status {
                200..=299 => Severity::Ok,
                300..=399 => Severity::Warning,
                _ => Severity::Problem,
            };
            let detail = match status {
                200..=299 => format!(
                    "From this computer the address answers {status}, not 401: {} If your \
                     browser still shows 401, the cause is in the browser (stale cookies, a \
                     cached error page) or depends on where you connect from.",
                    status_meaning(status)
                ),
                403 => format!(
                    "The address answers 403, not 401. {} Look for a security plugin, \
                     firewall or IP rule, or ask the site's administrator for access.",
                    status_meaning(status)
                ),
                404 => format!(
                    "The address answers 404, not 401. {} A wrong path is often mistaken for \
                     a sign-in problem.",
                    status_meaning(status)
                ),
                _ => format!(
                    "The address answers {status}, not 401. {}",
                    status_meaning(status)
                ),
            };
            out.push(
                Finding::new(Code::NotUnauthorized, detail)
                    .title(format!("The site answers {status}, not 401"))
                    .severity(severity)
                    .evidence("Status", status.to_string()),
            );
        }
    }
    out
}

fn scheme_list(challenges: &[Challenge]) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in challenges {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&c.scheme)) {
            names.push(c.scheme.clone());
        }
    }
    names.join(", ")
}

/// Findings about a 401's challenge: what it asks for, what is wrong with it.
#[must_use]
pub fn challenge_findings(parsed: &ParsedChallenges, raw: &str, url: &Url) -> Vec<Finding> {
    let mut out = Vec::new();
    if parsed.challenges.is_empty() && raw.trim().is_empty() {
        out.push(
            Finding::new(
                Code::MissingChallenge,
                "The site answered 401 but did not say how to sign in: the WWW-Authenticate \
                 header that every 401 must carry is missing. Browsers then show the error \
                 page instead of a sign-in box. This is a fault in the site or in a plugin or \
                 firewall in front of it.",
            )
            .evidence("WWW-Authenticate", "(none)"),
        );
        return out;
    }
    if !parsed.problems.is_empty() {
        // Every problem the parser reports is one a strict browser may trip on, so it is a
        // candidate cause, not a side note.
        let mut f = Finding::new(
            Code::MalformedChallenge,
            format!(
                "The site's WWW-Authenticate header does not follow the rules: {}. Browsers may \
                 ignore it and never show a sign-in box.",
                parsed.problems.join("; ")
            ),
        )
        .evidence("WWW-Authenticate", raw.to_owned());
        for p in parsed.problems.iter().take(10) {
            f = f.evidence("Problem", p.clone());
        }
        out.push(f);
    }
    if parsed.challenges.is_empty() {
        return out;
    }
    let Some(first_challenge) = parsed.challenges.first() else {
        return out;
    };
    let first = challenge::explain(first_challenge);
    let area = first_challenge
        .realm()
        .map(|r| format!(" for the protected area \"{r}\""))
        .unwrap_or_default();
    let mut auth = Finding::new(
        Code::AuthRequired,
        format!(
            "The site asks for a sign-in{area}, using {}. {}",
            scheme_list(&parsed.challenges),
            first.meaning
        ),
    )
    .first_step(first.what_to_do.clone())
    .evidence("Status", "401")
    .evidence("WWW-Authenticate", raw.to_owned());
    if let Some(realm) = parsed.challenges.iter().find_map(Challenge::realm) {
        auth = auth.evidence("Realm (the name of the protected area)", realm.to_owned());
    }
    out.push(auth);
    out.extend(bearer_error_findings(&parsed.challenges));
    let offers_basic = parsed
        .challenges
        .iter()
        .any(|c| c.scheme_lower() == "basic");
    if offers_basic && url.scheme() == "http" {
        out.push(
            Finding::new(
                Code::InsecureBasic,
                format!(
                    "This page asks for a password with Basic sign-in over plain http. The \
                     password then travels readable by anyone on the network between you and \
                     {}.",
                    url.host_str().unwrap_or_default()
                ),
            )
            .evidence("Address", url.to_string()),
        );
    }
    out
}

/// `token-invalid` and `insufficient-scope` from Bearer `error=` parameters.
#[must_use]
pub fn bearer_error_findings(challenges: &[Challenge]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in challenges.iter().filter(|c| c.scheme_lower() == "bearer") {
        let description = c.param("error_description").unwrap_or_default();
        let said = if description.is_empty() {
            String::new()
        } else {
            format!(" The server added: \"{description}\".")
        };
        if let Some(code) = described_reason(description) {
            out.push(
                Finding::new(
                    code,
                    format!("The site refused the token and said why: \"{description}\"."),
                )
                .severity(Severity::Problem)
                .evidence("error_description", description.to_owned()),
            );
        }
        match c.param("error").map(str::to_ascii_lowercase).as_deref() {
            Some("invalid_token") => out.push(
                Finding::new(
                    Code::TokenInvalid,
                    format!(
                        "The site says the access token it received is not valid: expired, \
                         revoked, or meant for another service.{said}"
                    ),
                )
                .evidence("error", "invalid_token"),
            ),
            Some("insufficient_scope") => {
                let scope = c.param("scope").unwrap_or("(not named)");
                out.push(
                    Finding::new(
                        Code::InsufficientScope,
                        format!(
                            "The token is valid but does not include the permission this page \
                             needs. Needed: {scope}.{said}"
                        ),
                    )
                    .evidence("error", "insufficient_scope")
                    .evidence("scope", scope.to_owned()),
                );
            }
            _ => {}
        }
    }
    out
}

fn dropped_on_redirect(start: &Url, target: &Url, has_credentials: bool) -> Finding {
    let from = origin_text(start);
    let to = origin_text(target);
    let detail = if has_credentials {
        format!(
            "{from} sends visitors on to {to}, a different site, and that site asks for the \
             sign-in. Browsers (and AuthDoctor) never carry a password or cookie from one site \
             to another, so the sign-in you give for {from} is dropped on the way and {to} \
             answers 401. AuthDoctor did not send your password to {to}."
        )
    } else {
        format!(
            "{from} sends visitors on to {to}, a different site, which asks for a sign-in. A \
             password or cookie given to {from} is not carried across to {to}."
        )
    };
    let severity = if has_credentials {
        Severity::Problem
    } else {
        Severity::Warning
    };
    Finding::new(Code::AuthDroppedOnRedirect, detail)
        .severity(severity)
        .first_step(format!(
            "If {to} is yours, sign in there directly, or check it: authdoctor check {target}"
        ))
        .evidence("Asked at", start.to_string())
        .evidence("Sign-in wanted by", target.to_string())
}

fn origin_text(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The findings of the credential test, from what became of the signed-in request.
fn credential_findings(result: &CredentialResult, first: &Exchange) -> Vec<Finding> {
    let mut out = Vec::new();
    let answer = result.answer.as_ref();
    let answer_challenges = answer.map(Exchange::challenges).unwrap_or_default();
    let token = credentials::is_token_scheme(&result.scheme);
    let what = if token {
        "token"
    } else {
        "user name and password"
    };
    let scheme = &result.scheme;
    let status = result.status;
    let end = if result.final_url.is_empty() || result.final_url == result.url {
        String::new()
    } else {
        format!(" (after following the site to {})", result.final_url)
    };
    let base = |f: Finding| {
        let mut f = f
            .evidence("Scheme", scheme.clone())
            .evidence("Status with your sign-in", status.to_string());
        if !end.is_empty() {
            f = f.evidence("Signed-in request ended at", result.final_url.clone());
        }
        if result.scheme_assumed {
            f = f.evidence(
                "Sent as",
                format!("{scheme}, because the site's 401 named no sign-in method to answer with"),
            );
        }
        if result.retried_stale_nonce {
            f = f.evidence(
                "Digest",
                "the first try was refused as stale and retried with a fresh nonce",
            );
        }
        f
    };
    match result.outcome {
        Outcome::Accepted => out.push(base(
            Finding::new(
                Code::CredentialsAccepted,
                format!(
                    "AuthDoctor signed in with your {what} ({scheme} sign-in) and the site \
                     answered {status}{end}: {} The site accepts your {what}, so the 401 your \
                     browser shows comes from what the browser sends: a saved old password, \
                     stale cookies, or an extension that changes requests.",
                    status_meaning(status)
                ),
            )
            .title(if token {
                "Your token works: the site lets you in".to_owned()
            } else {
                Code::CredentialsAccepted.text().title
            }),
        )),
        Outcome::Rejected => {
            let mut f = base(Finding::new(
                Code::CredentialsRejected,
                format!(
                    "AuthDoctor answered the site's own {scheme} challenge with your {what}, and \
                     the site said {status} again, asking for the same sign-in: it does not \
                     accept them."
                ),
            ));
            if token && credentials::answered_as_if_nothing_was_sent(result, first) {
                f = f.evidence(
                    "Answer",
                    "the same as for a request without a token: either the site refuses this \
                     token without saying why, or the token never reached the application",
                );
            }
            if token {
                "AuthDoctor sent your token in exactly the way the site asked for, and the \
                 site refused it: the token is wrong, expired, revoked, or meant for another \
                 site or API."
                    .clone_into(&mut f.explanation);
                f = f.title("The site does not accept this token").steps([
                    "Check that the whole token was copied, without spaces or line breaks.",
                    "Get a new token from where it was issued (sign out and in again in the app, or create a new API token in the service's settings).",
                    "Check that the token is meant for this site or API, not another one.",
                    "If you run the site and the token is right, check that the web server passes the Authorization header on to the application.",
                ]);
            }
            out.push(f);
        }
        Outcome::Forbidden => {
            let scope = answer_challenges.challenges.iter().any(|c| {
                c.param("error")
                    .is_some_and(|e| e.eq_ignore_ascii_case("insufficient_scope"))
            });
            if !scope {
                out.push(base(Finding::new(
                    Code::SignedInButForbidden,
                    format!(
                        "The site took your {what}: with them the answer changed from 401 to \
                         403 Forbidden{end}. The sign-in works; this account is not allowed to \
                         open the page."
                    ),
                )));
            }
        }
        Outcome::ServerError => out.push(base(Finding::new(
            Code::ServerErrorAfterSignIn,
            format!(
                "Without a sign-in the site answers {} as expected, but with your {what} it \
                 answered {status}{end}: {} The part of the server that checks the sign-in is \
                 failing.",
                first.status,
                status_meaning(status)
            ),
        ))),
        Outcome::AnotherSignIn => {
            let first_asked = describe_challenges(&first.challenges().challenges);
            let then_asked = describe_challenges(&answer_challenges.challenges);
            out.push(
                base(Finding::new(
                    Code::SecondSignInLayer,
                    format!(
                        "Your {what} got past the first sign-in ({first_asked}), and then \
                         another one asked again ({then_asked}){end}. AuthDoctor did not send \
                         your details to the second one: it is a different protected area, \
                         like the second sign-in box a browser would show."
                    ),
                ))
                .evidence("First sign-in", first_asked)
                .evidence("Second sign-in", then_asked),
            );
        }
        Outcome::NotPassed => out.push(not_passed_finding(result, first, what)),
        Outcome::ServedFromCache => {
            if let Some(last) = answer {
                let stored = cache::analyze(last, true).findings.into_iter();
                out.extend(stored.filter(|f| f.code == Code::Cached401).map(|f| {
                    f.evidence(
                        "With your sign-in",
                        "the signed-in request got the same stored 401: the site never saw \
                         your details",
                    )
                }));
            }
        }
        Outcome::LeftSite => out.push(
            Finding::new(
                Code::CredentialsUntested,
                format!(
                    "With your {what} the site sent the request on to another site ({}). \
                     AuthDoctor does not take your details to another site, so it cannot say \
                     whether they work there.",
                    result.failure.as_deref().unwrap_or("another address")
                ),
            )
            .evidence("Status with your sign-in", status.to_string()),
        ),
        Outcome::ProxyAsked => out.push(base(Finding::new(
            Code::ProxyAuthRequired,
            format!(
                "With your {what}, the answer was 407: a proxy between this computer and the \
                 site wants its own sign-in before the site sees yours."
            ),
        ))),
        Outcome::NoAnswer => out.push(Finding::new(
            Code::CredentialsUntested,
            format!(
                "The request with your {what} got no answer: {}.",
                result.failure.as_deref().unwrap_or("the connection failed")
            ),
        )),
    }
    if result.outcome != Outcome::Accepted {
        out.extend(bearer_error_findings(&answer_challenges.challenges));
    }
    out
}

fn describe_challenges(challenges: &[Challenge]) -> String {
    let Some(first) = challenges.first() else {
        return "no sign-in method named".to_owned();
    };
    match first.realm() {
        Some(realm) => format!("{} for \"{realm}\"", first.scheme),
        None => first.scheme.clone(),
    }
}

/// `authorization-not-passed`, with the setting that passes the header on for the server that
/// answered.
fn not_passed_finding(result: &CredentialResult, first: &Exchange, what: &str) -> Finding {
    let answer = result.answer.as_ref().unwrap_or(first);
    let server = answer
        .header("server")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let powered = answer.header("x-powered-by").unwrap_or_default().to_owned();
    let apache = "In Apache, add `CGIPassAuth On` to the site's .htaccess file (or its <Directory> \
                  block; Apache 2.4.13 or newer). On older Apache, add `SetEnvIf Authorization \
                  \"(.*)\" HTTP_AUTHORIZATION=$1` instead.";
    let nginx = "In nginx, in the location that hands requests to PHP, add `fastcgi_param \
                 HTTP_AUTHORIZATION $http_authorization;` (for an application behind \
                 proxy_pass: `proxy_set_header Authorization $http_authorization;`), then reload \
                 nginx.";
    let litespeed = "In LiteSpeed, add these lines to the site's .htaccess file: `RewriteEngine \
                     On` and `RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]`.";
    let panels = "On Plesk, add the Apache line under Apache & nginx Settings → Additional \
                  directives; on cPanel, add it to the .htaccess file in the site's folder.";
    let steps: Vec<&str> = if server.contains("litespeed") {
        vec![litespeed, panels]
    } else if server.contains("nginx") {
        vec![nginx]
    } else if server.contains("apache") {
        vec![apache, panels]
    } else {
        vec![apache, nginx, litespeed]
    };
    let mut f = Finding::new(
        Code::AuthorizationNotPassed,
        format!(
            "AuthDoctor sent your {what} ({} sign-in), and the answer was the one the site gives \
             when nothing was sent at all: the application behind the web server never saw \
             them. This is a setting of the server, not a wrong {what}.",
            result.scheme
        ),
    )
    .steps(steps)
    .first_step("If you do not run the site, send this finding to the person who does: the fix is on the server.")
    .evidence("Status with your sign-in", result.status.to_string())
    .evidence("Status without", first.status.to_string());
    if !server.is_empty() {
        f = f.evidence(
            "Server",
            answer.header("server").unwrap_or_default().to_owned(),
        );
    }
    if !powered.is_empty() {
        f = f.evidence("X-Powered-By", powered);
    }
    f
}

/// What a Bearer `error_description` names, in the site's own words, as the reason a token was
/// refused.
fn described_reason(description: &str) -> Option<Code> {
    let d = description.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| d.contains(w));
    if has(&[
        "expired",
        "exp claim",
        "is expired",
        "lifetime validation failed",
    ]) {
        Some(Code::TokenExpired)
    } else if has(&["not yet valid", "nbf", "not before", "used before"]) {
        Some(Code::TokenNotYetValid)
    } else if has(&["audience", "aud claim", "invalid aud"]) {
        Some(Code::TokenWrongAudience)
    } else if has(&["issuer", "iss claim", "invalid iss"]) {
        Some(Code::TokenWrongIssuer)
    } else if has(&[
        "signing key",
        "kid",
        "key not found",
        "no matching key",
        "unknown key",
        "signature key",
        "jwks",
    ]) {
        Some(Code::TokenSigningKeyUnknown)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_address_is_url_invalid() {
        let Err(f) = address_findings("   ") else {
            panic!("an empty address was accepted");
        };
        assert_eq!(f.code, Code::UrlInvalid);
    }

    #[test]
    fn a_401_without_challenge_is_missing_challenge() {
        let url = Url::parse("https://example.com/").unwrap_or_else(|e| panic!("{e}"));
        let findings = challenge_findings(&ParsedChallenges::default(), "", &url);
        assert_eq!(findings[0].code, Code::MissingChallenge);
    }

    #[test]
    fn basic_over_http_is_insecure_basic() {
        let url = Url::parse("http://example.com/x").unwrap_or_else(|e| panic!("{e}"));
        let parsed = challenge::parse_str("Basic realm=\"members\"");
        let findings = challenge_findings(&parsed, "Basic realm=\"members\"", &url);
        assert!(findings.iter().any(|f| f.code == Code::InsecureBasic));
        assert!(findings.iter().any(|f| f.code == Code::AuthRequired));
    }

    #[test]
    fn bearer_errors_become_their_own_codes() {
        let parsed = challenge::parse_str(
            "Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"admin\"",
        );
        let findings = bearer_error_findings(&parsed.challenges);
        assert_eq!(findings[0].code, Code::InsufficientScope);
        let parsed = challenge::parse_str("Bearer error=\"invalid_token\"");
        assert_eq!(
            bearer_error_findings(&parsed.challenges)[0].code,
            Code::TokenInvalid
        );
    }
}
