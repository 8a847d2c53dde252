//! Findings: what the diagnosis found, as data the GUI, the CLI and reports all show the same way.

use serde::{Deserialize, Serialize};

pub mod cause;
mod code;

pub use cause::{Facts, likely_cause};
pub use code::{Area, Code, CodeText, Kind};

/// How much a finding matters to the user, most serious first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Something is wrong and is (part of) why the site says 401.
    Problem,
    /// Something that may cause trouble or deserves a look.
    Warning,
    /// Useful background.
    Info,
    /// A check that passed.
    Ok,
}

impl Severity {
    /// The word shown next to the colour, so colour is never the only signal.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Severity::Problem => "Problem",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
            Severity::Ok => "OK",
        }
    }
}

/// One fact a finding rests on: a header, a value, a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What the value is ("WWW-Authenticate", "Status").
    pub label: String,
    /// The value itself, shown as text (never containing a secret).
    pub value: String,
}

/// One result of the diagnosis, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable identifier, e.g. `credentials-rejected`.
    pub code: Code,
    /// How much it matters.
    pub severity: Severity,
    /// One line saying what happened.
    pub title: String,
    /// What happened here and why it matters, in plain words.
    pub detail: String,
    /// What to do, in order.
    pub next_steps: Vec<String>,
    /// The facts it rests on.
    pub evidence: Vec<Evidence>,
    /// The general explanation of this kind of finding (from `assets/explanations/`).
    #[serde(default)]
    pub explanation: String,
}

impl Finding {
    /// A finding with the title, severity, explanation and default next steps of its code,
    /// and `detail` saying what happened in this case.
    #[must_use]
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        let text = code.text();
        Finding {
            code,
            severity: text.severity,
            title: text.title.clone(),
            detail: detail.into(),
            next_steps: text.next_steps.clone(),
            evidence: Vec::new(),
            explanation: text.explanation.clone(),
        }
    }

    /// Replaces the title with one that names this case.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Overrides the severity the code has by default.
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Puts a step specific to this case before the general ones.
    #[must_use]
    pub fn first_step(mut self, step: impl Into<String>) -> Self {
        self.next_steps.insert(0, step.into());
        self
    }

    /// Replaces the general next steps with these.
    #[must_use]
    pub fn steps<S: Into<String>>(mut self, steps: impl IntoIterator<Item = S>) -> Self {
        self.next_steps = steps.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one piece of evidence.
    #[must_use]
    pub fn evidence(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.evidence.push(Evidence {
            label: label.into(),
            value: value.into(),
        });
        self
    }
}

/// Orders findings for display: the likely cause first, then the most serious, causes before
/// advice before context, and within those in the order of [`cause::PRECEDENCE`].
pub fn rank(findings: &mut [Finding], likely: Option<Code>) {
    findings.sort_by_key(|f| {
        (
            Some(f.code) != likely,
            f.severity,
            f.code.kind(),
            cause::precedence(f.code),
            code_rank(f.code),
        )
    });
}

/// Position of a code in [`Code::ALL`]: a stable last tie-breaker, never a judgement.
#[must_use]
pub fn code_rank(code: Code) -> usize {
    Code::ALL
        .iter()
        .position(|c| *c == code)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_kebab_case_strings() {
        let json = crate::engine::test_json(&Code::AuthDroppedOnRedirect);
        assert_eq!(json, "\"auth-dropped-on-redirect\"");
        assert_eq!(Code::UrlInvalid.as_str(), "url-invalid");
    }

    #[test]
    fn ranking_puts_problems_before_warnings_and_info() {
        let mut findings = vec![
            Finding::new(Code::UrlCorrected, "a"),
            Finding::new(Code::InsecureBasic, "b").severity(Severity::Warning),
            Finding::new(Code::CredentialsRejected, "c"),
        ];
        rank(&mut findings, None);
        assert_eq!(findings[0].code, Code::CredentialsRejected);
        assert_eq!(findings[2].code, Code::UrlCorrected);
    }

    #[test]
    fn ranking_puts_the_likely_cause_first_whatever_its_severity() {
        let mut findings = vec![
            Finding::new(Code::InsecureBasic, "b"),
            Finding::new(Code::CredentialsAccepted, "a"),
        ];
        rank(&mut findings, Some(Code::CredentialsAccepted));
        assert_eq!(findings[0].code, Code::CredentialsAccepted);
    }
}
