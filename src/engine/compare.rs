//! "Is it fixed?": what changed between two checks of an address, or between a working and a
//! failing exchange of two HAR logs. Pure functions over diagnoses (or their secret-free
//! summaries, as the history keeps them): the status, the likely cause, the findings that went
//! and came, and the answer's headers that differ, with one plain sentence saying what it means.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::diagnosis::Diagnosis;
use crate::engine::finding::{Code, Severity};
use crate::engine::har::HarFinding;
use crate::engine::probe::{Exchange, Header, redact_header_value};
use crate::engine::redact;

/// Headers that differ on every answer (dates, request ids, sizes): never a change worth showing.
const NOISY_HEADERS: &[&str] = &[
    "date",
    "age",
    "expires",
    "content-length",
    "etag",
    "last-modified",
    "x-request-id",
    "x-amzn-requestid",
    "x-amz-cf-id",
    "x-amz-apigw-id",
    "x-ms-request-id",
    "request-id",
    "x-correlation-id",
    "cf-ray",
    "traceparent",
    "x-trace-id",
    "x-runtime",
    "server-timing",
    "report-to",
    "nel",
    "x-served-by",
    "x-timer",
];

/// One finding of a check, as a history or a comparison keeps it: its code and title, nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingLine {
    /// The finding's code.
    pub code: Code,
    /// Its title as the check worded it.
    pub title: String,
    /// Its severity.
    pub severity: Severity,
}

/// A check in a few secret-free facts: what the history keeps of it and what two checks are
/// compared by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSummary {
    /// The address checked, without user info or secret parameters.
    pub address: String,
    /// When it was checked (as the diagnosis records it).
    pub checked_at: String,
    /// The answer's status without the user's details (none: no answer).
    pub status: Option<u16>,
    /// The answer's status with the user's details, when they were tested.
    #[serde(default)]
    pub signed_in_status: Option<u16>,
    /// The likely cause's code.
    pub likely_cause: Option<Code>,
    /// The likely cause's title.
    #[serde(default)]
    pub likely_title: String,
    /// Every finding, by code and title.
    #[serde(default)]
    pub findings: Vec<FindingLine>,
}

impl CheckSummary {
    /// The summary of a diagnosis. Titles are the engine's words; addresses in them lose their
    /// secrets as every shown address does.
    #[must_use]
    pub fn of(diagnosis: &Diagnosis) -> Self {
        let findings: Vec<FindingLine> = diagnosis
            .findings
            .iter()
            .map(|f| FindingLine {
                code: f.code,
                title: redact::addresses_in_text(&f.title).into_owned(),
                severity: f.severity,
            })
            .collect();
        CheckSummary {
            address: redact::address(&diagnosis.url),
            checked_at: diagnosis.checked_at.clone(),
            status: diagnosis.status,
            signed_in_status: diagnosis
                .credentials
                .as_ref()
                .map(|c| c.status)
                .filter(|s| *s != 0),
            likely_cause: diagnosis.likely_cause,
            likely_title: diagnosis
                .likely_finding()
                .map(|f| redact::addresses_in_text(&f.title).into_owned())
                .unwrap_or_default(),
            findings,
        }
    }

    /// The status that matters to the user: the signed-in one when details were tested.
    #[must_use]
    pub fn answer_status(&self) -> Option<u16> {
        self.signed_in_status.or(self.status)
    }

    /// True when the answer is a refusal (401, 403, 407), a server error or no answer at all.
    #[must_use]
    pub fn failing(&self) -> bool {
        match self.answer_status() {
            None => true,
            Some(s) => matches!(s, 401 | 403 | 407) || s >= 500,
        }
    }
}

/// What a comparison of two checks comes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The earlier check failed and the later one does not.
    Fixed,
    /// Both fail.
    StillFailing,
    /// The earlier check did not fail, the later one does.
    NowFailing,
    /// Neither fails, but the answer changed.
    Changed,
    /// Nothing that matters changed.
    Unchanged,
}

/// A header whose value differs between two answers (none: it was not there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderChange {
    /// The header's name, lowercase.
    pub name: String,
    /// Its value in the earlier answer.
    pub before: Option<String>,
    /// Its value in the later answer.
    pub after: Option<String>,
}

/// What changed between two checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// What it comes to.
    pub verdict: Verdict,
    /// One sentence saying it ("The 401 is gone: the site now answers 200.").
    pub headline: String,
    /// The earlier check.
    pub before: CheckSummary,
    /// The later check.
    pub after: CheckSummary,
    /// True when the two checks are of different addresses.
    pub other_address: bool,
    /// Findings of the earlier check the later one no longer has.
    pub findings_gone: Vec<FindingLine>,
    /// Findings the later check has and the earlier one had not.
    pub findings_new: Vec<FindingLine>,
    /// The final answer's headers that differ (from full diagnoses only; noisy ones left out).
    pub headers: Vec<HeaderChange>,
}

fn status_words(status: Option<u16>) -> String {
    status.map_or_else(|| "no answer".to_owned(), |s| s.to_string())
}

/// What changed from `before` to `after`, from their summaries (as the history keeps them).
#[must_use]
pub fn compare_summaries(before: &CheckSummary, after: &CheckSummary) -> Comparison {
    let codes = |s: &CheckSummary| s.findings.iter().map(|f| f.code).collect::<BTreeSet<_>>();
    let (had, has) = (codes(before), codes(after));
    let findings_gone: Vec<FindingLine> = before
        .findings
        .iter()
        .filter(|f| !has.contains(&f.code))
        .cloned()
        .collect();
    let findings_new: Vec<FindingLine> = after
        .findings
        .iter()
        .filter(|f| !had.contains(&f.code))
        .cloned()
        .collect();
    let (was, now) = (before.answer_status(), after.answer_status());
    let (was_words, now_words) = (status_words(was), status_words(now));
    let (verdict, headline) = match (before.failing(), after.failing()) {
        (true, false) => (
            Verdict::Fixed,
            format!("The {was_words} is gone: the site now answers {now_words}."),
        ),
        (true, true) if before.likely_cause == after.likely_cause && was == now => (
            Verdict::StillFailing,
            format!(
                "Not fixed yet: the site still answers {now_words}{}.",
                cause_clause(&after.likely_title)
            ),
        ),
        (true, true) => (
            Verdict::StillFailing,
            format!(
                "Still failing, but differently: the site answered {was_words}{} and now answers {now_words}{}.",
                cause_clause(&before.likely_title),
                cause_clause(&after.likely_title)
            ),
        ),
        (false, true) => (
            Verdict::NowFailing,
            format!(
                "It broke: the site answered {was_words} and now answers {now_words}{}.",
                cause_clause(&after.likely_title)
            ),
        ),
        (false, false) if was != now || before.likely_cause != after.likely_cause => (
            Verdict::Changed,
            format!("The site answered {was_words} and now answers {now_words}."),
        ),
        (false, false) => (
            Verdict::Unchanged,
            format!("Nothing changed: the site still answers {now_words}."),
        ),
    };
    Comparison {
        verdict,
        headline,
        other_address: before.address != after.address,
        before: before.clone(),
        after: after.clone(),
        findings_gone,
        findings_new,
        headers: Vec::new(),
    }
}

fn cause_clause(title: &str) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" (“{title}”)")
    }
}

/// What changed from `before` to `after`, two full diagnoses (two saved reports): the summary's
/// comparison and the final answers' headers that differ.
#[must_use]
pub fn compare(before: &Diagnosis, after: &Diagnosis) -> Comparison {
    let mut comparison = compare_summaries(&CheckSummary::of(before), &CheckSummary::of(after));
    comparison.headers = header_changes(
        final_answer(before).map(|e| e.headers.as_slice()),
        final_answer(after).map(|e| e.headers.as_slice()),
    );
    comparison
}

/// The answer the user sees: the signed-in one when details were tested, else the last exchange.
fn final_answer(d: &Diagnosis) -> Option<&Exchange> {
    d.credentials
        .as_ref()
        .and_then(|c| c.answer.as_ref())
        .or_else(|| d.exchanges.last())
}

/// The headers whose values differ, by name (repeated headers joined), values shown as a
/// diagnosis shows them (an `Authorization`'s scheme, a cookie's name, never their secrets).
fn header_changes(before: Option<&[Header]>, after: Option<&[Header]>) -> Vec<HeaderChange> {
    let by_name = |headers: Option<&[Header]>| {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for h in headers.unwrap_or_default() {
            let name = h.name.to_ascii_lowercase();
            if NOISY_HEADERS.contains(&name.as_str()) {
                continue;
            }
            let value = redact_header_value(&name, &h.value);
            map.entry(name).or_default().push(value);
        }
        map.into_iter()
            .map(|(k, v)| (k, v.join(" | ")))
            .collect::<BTreeMap<_, _>>()
    };
    let (was, now) = (by_name(before), by_name(after));
    let names: BTreeSet<&String> = was.keys().chain(now.keys()).collect();
    names
        .into_iter()
        .filter(|n| was.get(*n) != now.get(*n))
        .map(|n| HeaderChange {
            name: n.clone(),
            before: was.get(n).cloned(),
            after: now.get(n).cloned(),
        })
        .collect()
}

/// One exchange of a HAR log, as the side-by-side comparison shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarSide {
    /// Its position in the log (1-based).
    pub entry: usize,
    /// The request method.
    pub method: String,
    /// The address, without secrets.
    pub url: String,
    /// The answer's status.
    pub status: u16,
    /// True when the browser sent an `Authorization` header (its value never kept).
    pub sent_authorization: bool,
    /// The names of the cookies the browser sent.
    pub cookies_sent: Vec<String>,
    /// The likely cause, for a 401 or 407.
    pub likely_cause: Option<Code>,
    /// Its title.
    pub likely_title: String,
}

/// A working and a failing exchange (or any two) of two HAR logs, side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarComparison {
    /// One sentence saying what differs that matters.
    pub headline: String,
    /// The exchange of the first log.
    pub before: HarSide,
    /// The exchange of the second log.
    pub after: HarSide,
    /// The request headers AuthDoctor keeps of a log (sign-in, cookies, cache, origin) that differ.
    pub request_headers: Vec<HeaderChange>,
    /// The answer's headers that differ (noisy ones left out).
    pub response_headers: Vec<HeaderChange>,
    /// Cookies only the first exchange sent.
    pub cookies_only_before: Vec<String>,
    /// Cookies only the second exchange sent.
    pub cookies_only_after: Vec<String>,
}

fn har_side(f: &HarFinding) -> HarSide {
    HarSide {
        entry: f.entry,
        method: f.method.clone(),
        url: f.url.clone(),
        status: f.diagnosis.exchanges.last().map_or(0, |e| e.status),
        sent_authorization: f.sent_authorization,
        cookies_sent: f.cookies_sent.clone(),
        likely_cause: f.diagnosis.likely_cause,
        likely_title: f
            .diagnosis
            .likely_finding()
            .map(|l| l.title.clone())
            .unwrap_or_default(),
    }
}

fn fails(status: u16) -> bool {
    matches!(status, 401 | 403 | 407) || status >= 500 || status == 0
}

/// Two exchanges of two HAR logs side by side: the status, the sign-in and cookies sent, the
/// headers that differ, and the likely cause of the one that fails.
#[must_use]
pub fn compare_har(before: &HarFinding, after: &HarFinding) -> HarComparison {
    let (a, b) = (har_side(before), har_side(after));
    let last = |f: &HarFinding| f.diagnosis.exchanges.last().cloned();
    let (ea, eb) = (last(before), last(after));
    let request_headers = header_changes(
        ea.as_ref().map(|e| e.request_headers.as_slice()),
        eb.as_ref().map(|e| e.request_headers.as_slice()),
    )
    .into_iter()
    // The cookie names are compared one by one below.
    .filter(|h| h.name != "cookie")
    .collect();
    let response_headers = header_changes(
        ea.as_ref().map(|e| e.headers.as_slice()),
        eb.as_ref().map(|e| e.headers.as_slice()),
    );
    let only = |x: &HarSide, y: &HarSide| {
        x.cookies_sent
            .iter()
            .filter(|c| !y.cookies_sent.contains(c))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    let cookies_only_before = only(&a, &b);
    let cookies_only_after = only(&b, &a);
    let mut headline = format!(
        "The first log's exchange answered {}, the second's {}.",
        a.status, b.status
    );
    let pair = match (fails(a.status), fails(b.status)) {
        (false, true) => Some((&a, &b, &cookies_only_before, "second")),
        (true, false) => Some((&b, &a, &cookies_only_after, "first")),
        _ => None,
    };
    if let Some((working, failing, failing_missing, which)) = pair {
        if working.sent_authorization && !failing.sent_authorization {
            let _ = write!(
                headline,
                " The failing one ({which}) sent no Authorization header; the working one did."
            );
        }
        if !failing_missing.is_empty() {
            let _ = write!(
                headline,
                " The failing one did not send the cookie{} {}.",
                if failing_missing.len() == 1 { "" } else { "s" },
                failing_missing.join(", ")
            );
        }
        if !failing.likely_title.is_empty() {
            let _ = write!(headline, " Likely cause: {}.", failing.likely_title);
        }
    } else if a.sent_authorization != b.sent_authorization {
        headline.push_str(" Only one of them sent an Authorization header.");
    }
    HarComparison {
        headline,
        before: a,
        after: b,
        request_headers,
        response_headers,
        cookies_only_before,
        cookies_only_after,
    }
}

/// The most entries of one log described for pairing.
pub const MAX_PICKED: usize = 2000;

/// The key an exchange is paired by: the method and the address without its query.
#[must_use]
pub fn pairing_key(method: &str, address: &str) -> String {
    let place = Url::parse(address).map_or_else(
        |_| address.split('?').next().unwrap_or_default().to_owned(),
        |mut u| {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        },
    );
    format!("{} {place}", method.to_ascii_uppercase())
}

/// Chooses the exchanges to set side by side from the entries of two logs: the first failing
/// answer (401, 403, 407) of the second log, else of the first, else the first log's first entry;
/// then in each log the entry of the same method and address, else its first failing answer,
/// else its first entry.
#[must_use]
pub fn pair_har<'a>(
    first: &'a [HarFinding],
    second: &'a [HarFinding],
) -> Option<(&'a HarFinding, &'a HarFinding)> {
    let failing = |log: &'a [HarFinding]| {
        log.iter().find(|f| {
            f.diagnosis
                .exchanges
                .last()
                .is_some_and(|e| matches!(e.status, 401 | 403 | 407))
        })
    };
    let target = failing(second)
        .or_else(|| failing(first))
        .or_else(|| first.first())?;
    let key = pairing_key(&target.method, &target.url);
    let choose = |log: &'a [HarFinding]| {
        log.iter()
            .find(|f| pairing_key(&f.method, &f.url) == key)
            .or_else(|| failing(log))
            .or_else(|| log.first())
    };
    Some((choose(first)?, choose(second)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(status: Option<u16>, cause: Option<Code>, codes: &[Code]) -> CheckSummary {
        CheckSummary {
            address: "https://shop.example/members/".to_owned(),
            checked_at: "2026-12-01T10:00:00Z".to_owned(),
            status,
            signed_in_status: None,
            likely_cause: cause,
            likely_title: cause.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            findings: codes
                .iter()
                .map(|c| FindingLine {
                    code: *c,
                    title: c.as_str().to_owned(),
                    severity: Severity::Problem,
                })
                .collect(),
        }
    }

    #[test]
    fn a_401_that_became_a_200_is_fixed_and_names_both_statuses() {
        let before = summary(
            Some(401),
            Some(Code::AuthRequired),
            &[Code::AuthRequired, Code::InsecureBasic],
        );
        let after = summary(Some(200), None, &[Code::InsecureBasic]);
        let c = compare_summaries(&before, &after);
        assert_eq!(c.verdict, Verdict::Fixed);
        assert!(c.headline.contains("401") && c.headline.contains("200"));
        assert_eq!(c.findings_gone.len(), 1);
        assert_eq!(c.findings_gone[0].code, Code::AuthRequired);
        assert!(c.findings_new.is_empty());
        assert!(!c.other_address);
    }

    #[test]
    fn the_same_401_with_the_same_cause_is_still_failing_and_a_new_401_is_now_failing() {
        let failing = summary(Some(401), Some(Code::AuthRequired), &[Code::AuthRequired]);
        assert_eq!(
            compare_summaries(&failing, &failing).verdict,
            Verdict::StillFailing
        );
        let working = summary(Some(200), None, &[]);
        assert_eq!(
            compare_summaries(&working, &failing).verdict,
            Verdict::NowFailing
        );
        assert_eq!(
            compare_summaries(&working, &working).verdict,
            Verdict::Unchanged
        );
    }

    #[test]
    fn the_signed_in_status_is_the_answer_when_details_were_tested() {
        let mut before = summary(Some(401), Some(Code::CredentialsRejected), &[]);
        before.signed_in_status = Some(401);
        let mut after = summary(Some(401), Some(Code::CredentialsAccepted), &[]);
        after.signed_in_status = Some(200);
        assert_eq!(compare_summaries(&before, &after).verdict, Verdict::Fixed);
    }

    #[test]
    fn noisy_headers_are_left_out_and_secrets_in_header_values_are_not_shown() {
        let h = |name: &str, value: &str| Header {
            name: name.to_owned(),
            value: value.to_owned(),
        };
        let before = [
            h("date", "Mon"),
            h("www-authenticate", "Basic realm=\"a\""),
            h("authorization", "Bearer abc.def"),
        ];
        let after = [h("date", "Tue"), h("authorization", "Bearer zzz.yyy")];
        let changes = header_changes(Some(&before), Some(&after));
        let names: Vec<&str> = changes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["www-authenticate"]);
        assert_eq!(changes[0].after, None);
    }

    #[test]
    fn exchanges_are_paired_by_method_and_address_without_the_query() {
        assert_eq!(
            pairing_key("get", "https://a.example/api?x=1"),
            pairing_key("GET", "https://a.example/api?x=2")
        );
        assert_ne!(
            pairing_key("GET", "https://a.example/api"),
            pairing_key("POST", "https://a.example/api")
        );
    }
}
