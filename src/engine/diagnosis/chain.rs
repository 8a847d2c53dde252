//! What a chain of answers says on its own, with no new request: the status, the challenges,
//! caches, the server's software and rules. Used for live checks and for recorded ones (HAR
//! files), which end the same way: one finding per code and title, ranked, with a likely cause.

use std::time::SystemTime;

use url::Url;

use super::{Diagnosis, SCHEMA_VERSION};
use crate::engine::cache;
use crate::engine::challenge::Scheme;
use crate::engine::finding::{self, Code, Facts, Finding, Severity};
use crate::engine::fingerprint::{self, Fingerprint};
use crate::engine::ntlm;
use crate::engine::probe::{Probe, answer_findings, failure_finding};
use crate::engine::serverside;
use crate::engine::services;

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

pub(super) fn finish(diagnosis: &mut Diagnosis) {
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
            .is_some_and(|c| Scheme::parse(&c.scheme) != Scheme::Basic)
        || diagnosis
            .challenges
            .iter()
            .any(|c| c.kind() != Scheme::Basic)
}

/// One finding per code and title: the analyses overlap at the edges (a 407 seen by two of them).
pub(super) fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if !out.iter().any(|o| o.code == f.code && o.title == f.title) {
            out.push(f);
        }
    }
    out
}

/// Adds the fingerprint's findings (the CDN beside a cached 401 too: it names who holds the copy).
pub(super) fn merge_fingerprint(findings: &mut Vec<Finding>, print: &Fingerprint) {
    findings.extend(print.findings.iter().cloned());
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
