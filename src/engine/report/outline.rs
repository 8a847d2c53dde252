//! The one outline of a diagnosis: what a report, the terminal and the copied summary say, in
//! the order they say it. The HTML, Markdown and text renderers only dress these sections, so a
//! report's order and content never differ between formats.

use crate::engine::cookies::CookieVerdict;
use crate::engine::credentials::CredentialResult;
use crate::engine::diagnosis::{Diagnosis, status_meaning};
use crate::engine::finding::Finding;
use crate::engine::ntlm::NtlmChallenge;
use crate::engine::preflight::PreflightReport;
use crate::engine::probe::{Hop, ProxyUse, SentRequest};
use crate::engine::report::Redaction;
use crate::engine::services::References;

/// A diagnosis laid out for reading: its sections, in order.
#[derive(Clone, Debug)]
pub struct Outline<'a> {
    /// The sections, in the order every format shows them. Empty sections are left out.
    pub sections: Vec<Section<'a>>,
}

/// One part of the outline.
#[derive(Clone, Debug)]
pub enum Section<'a> {
    /// What was checked, and when.
    Checked {
        /// The address (empty when it could not be used).
        url: &'a str,
        /// When the check ran (HTTP date).
        at: &'a str,
    },
    /// The status the site answered, and what it means.
    Answer {
        /// The final status.
        status: u16,
        /// The status in words ("Unauthorized").
        meaning: &'static str,
        /// The user's sign-in was tested too, so this answer is the one without it.
        signed_in_tested: bool,
    },
    /// The credential test: what the site answered with the user's details.
    SignedIn {
        /// The test's result.
        result: &'a CredentialResult,
        /// Where the signed-in request ended, when not at the address checked.
        ended_at: Option<&'a str>,
    },
    /// The proxy the requests went through.
    Proxy(&'a ProxyUse),
    /// What a saved report keeps of the secret values the site sent, in the words of the save
    /// dialog. (Not the kinds the check removed: which of them were found can tell something
    /// about a password, so the text reads the same whatever the password was.)
    Redaction(&'static str),
    /// The redirect chain, when there was one (more than one hop).
    Redirects(&'a [Hop]),
    /// The finding that best explains the 401, with everything it says.
    Cause(&'a Finding),
    /// What to give the site's owner.
    References {
        /// Reference numbers and the public address the site saw.
        references: &'a References,
        /// The site's time, or when the check ran.
        time: &'a str,
    },
    /// The CORS preflight, when a page's origin was given.
    Preflight(&'a PreflightReport),
    /// What the server's NTLM message says.
    Ntlm(&'a NtlmChallenge),
    /// The imported cookies and whether each would be sent (values never kept).
    Cookies(&'a [CookieVerdict]),
    /// Every other finding, most important first, numbered from 1.
    Findings {
        /// A likely cause was named above, so these are the others.
        others: bool,
        /// The findings, in order.
        findings: Vec<&'a Finding>,
    },
    /// Every request the check sent.
    Requests(&'a [SentRequest]),
}

impl<'a> Outline<'a> {
    /// The outline of a diagnosis as the terminal and the copied summary show it.
    #[must_use]
    pub fn shown(d: &'a Diagnosis) -> Self {
        Self::build(d, None)
    }

    /// The outline of a saved report: the diagnosis (already redacted as `redaction` says) and
    /// the sentence about what it keeps. The raw headers of each answer are left to the
    /// `.authdoctor.json` report: which of their values were removed can tell something about a
    /// password, and the outline reads the same whatever the password was.
    #[must_use]
    pub fn report(d: &'a Diagnosis, redaction: Redaction) -> Self {
        Self::build(d, Some(redaction))
    }

    fn build(d: &'a Diagnosis, redaction: Option<Redaction>) -> Self {
        let mut s = vec![Section::Checked {
            url: &d.url,
            at: &d.checked_at,
        }];
        if let Some(status) = d.status {
            s.push(Section::Answer {
                status,
                meaning: status_meaning(status),
                signed_in_tested: d.credentials.is_some(),
            });
        }
        if let Some(c) = &d.credentials {
            s.push(Section::SignedIn {
                result: c,
                ended_at: Some(c.final_url.as_str()).filter(|u| !u.is_empty() && *u != d.url),
            });
        }
        if let Some(p) = &d.proxy {
            s.push(Section::Proxy(p));
        }
        if let Some(redaction) = redaction {
            s.push(Section::Redaction(redaction.sentence()));
        }
        if d.hops.len() > 1 {
            s.push(Section::Redirects(&d.hops));
        }
        let likely = d.likely_finding();
        if let Some(f) = likely {
            s.push(Section::Cause(f));
        }
        if !d.references.is_empty() {
            s.push(Section::References {
                references: &d.references,
                time: d.references.site_time.as_deref().unwrap_or(&d.checked_at),
            });
        }
        if let Some(p) = &d.preflight {
            s.push(Section::Preflight(p));
        }
        if let Some(n) = &d.ntlm {
            s.push(Section::Ntlm(n));
        }
        if !d.cookies.is_empty() {
            s.push(Section::Cookies(&d.cookies));
        }
        let findings: Vec<&Finding> = d
            .findings
            .iter()
            .filter(|f| likely.is_none_or(|l| l.code != f.code))
            .collect();
        // A diagnosis with nothing found still says so under its heading.
        if !findings.is_empty() || likely.is_none() {
            s.push(Section::Findings {
                others: likely.is_some(),
                findings,
            });
        }
        if !d.requests.is_empty() {
            s.push(Section::Requests(&d.requests));
        }
        Outline { sections: s }
    }
}

/// The heading of the findings section: "Findings", or "Other findings" under a likely cause.
#[must_use]
pub(super) fn findings_heading(others: bool) -> &'static str {
    if others { "Other findings" } else { "Findings" }
}

/// The heading of the likely cause.
pub(super) const CAUSE_HEADING: &str = "Most likely cause";

/// The heading of the references box.
pub(super) const REFERENCES_HEADING: &str = "Give this to the site's owner";

/// How a sent request went with it: with the sign-in, the cookies, both or neither.
#[must_use]
pub(super) fn sent_with(r: &SentRequest) -> &'static str {
    match (r.credentials, r.cookies) {
        (true, true) => ", with your sign-in and cookies",
        (true, false) => ", with your sign-in",
        (false, true) => ", with cookies",
        (false, false) => "",
    }
}

/// The first answer's headline: "The site answered 401", "… without your sign-in" when the
/// sign-in was tested as well.
#[must_use]
pub fn answer_title(status: u16, signed_in_tested: bool) -> String {
    if signed_in_tested {
        format!("The site answered {status} without your sign-in")
    } else {
        format!("The site answered {status}")
    }
}

/// The NTLM line's details: ", server X, Windows V".
#[must_use]
pub(super) fn ntlm_details(n: &NtlmChallenge) -> String {
    format!(
        "{}{}",
        n.dns_computer
            .as_ref()
            .map(|c| format!(", server {c}"))
            .unwrap_or_default(),
        n.windows_version
            .as_ref()
            .map(|v| format!(", Windows {v}"))
            .unwrap_or_default()
    )
}

/// Whether a cookie would be sent, in words (never its value).
#[must_use]
pub(super) fn cookie_verdict(c: &CookieVerdict) -> String {
    if c.sent {
        "sent".to_owned()
    } else {
        format!(
            "not sent: {}",
            c.reason.as_deref().unwrap_or("unknown reason")
        )
    }
}
