//! The wizard's steps and how they follow each other. Pure data, unit-tested without egui.

use crate::engine::finding::Area;

/// Where the user is in the wizard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Step {
    /// Paste the address, optionally sign-in details.
    Start,
    /// 1: the address, the redirect chain, the final status.
    Address,
    /// 2: cookies and cache.
    CookiesCache,
    /// 3: DNS.
    Dns,
    /// 4: headers and sign-in.
    Headers,
    /// 5: diagnosis and report.
    Diagnosis,
}

impl Step {
    /// The numbered steps, in order (the start page has no number).
    pub const NUMBERED: [Step; 5] = [
        Step::Address,
        Step::CookiesCache,
        Step::Dns,
        Step::Headers,
        Step::Diagnosis,
    ];

    /// The step after this one, if any.
    #[must_use]
    pub fn next(self) -> Option<Step> {
        match self {
            Step::Start => Some(Step::Address),
            Step::Address => Some(Step::CookiesCache),
            Step::CookiesCache => Some(Step::Dns),
            Step::Dns => Some(Step::Headers),
            Step::Headers => Some(Step::Diagnosis),
            Step::Diagnosis => None,
        }
    }

    /// The step before this one, if any.
    #[must_use]
    pub fn prev(self) -> Option<Step> {
        match self {
            Step::Start => None,
            Step::Address => Some(Step::Start),
            Step::CookiesCache => Some(Step::Address),
            Step::Dns => Some(Step::CookiesCache),
            Step::Headers => Some(Step::Dns),
            Step::Diagnosis => Some(Step::Headers),
        }
    }

    /// The step's number (1–5), none for the start page.
    #[must_use]
    pub fn number(self) -> Option<usize> {
        Step::NUMBERED
            .iter()
            .position(|s| *s == self)
            .map(|i| i + 1)
    }

    /// Short title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Step::Start => "Start",
            Step::Address => "Address",
            Step::CookiesCache => "Cookies and cache",
            Step::Dns => "DNS",
            Step::Headers => "Headers and sign-in",
            Step::Diagnosis => "Diagnosis",
        }
    }

    /// The areas whose findings this step shows (from each code's `area` in `findings.toml`).
    #[must_use]
    pub fn areas(self) -> &'static [Area] {
        match self {
            Step::Start | Step::Diagnosis => &[],
            Step::Address => &[Area::Address],
            Step::CookiesCache => &[Area::Cookies],
            Step::Dns => &[Area::Dns],
            Step::Headers => &[Area::SignIn, Area::Server],
        }
    }

    /// The step that shows findings of `area`.
    #[must_use]
    pub fn for_area(area: Area) -> Step {
        Step::NUMBERED
            .into_iter()
            .find(|s| s.areas().contains(&area))
            .unwrap_or(Step::Diagnosis)
    }

    /// A one-line plain-language introduction.
    #[must_use]
    pub fn intro(self) -> &'static str {
        match self {
            Step::Start => "Paste the address that shows the error, then press Check.",
            Step::Address => {
                "First, the address itself: is it typed right, where does it lead, and what does the site answer?"
            }
            Step::CookiesCache => {
                "Browsers keep cookies (small notes that keep you signed in) and copies of pages. Old ones can cause a 401."
            }
            Step::Dns => {
                "DNS is the internet's phone book: it turns the site's name into the number of its server."
            }
            Step::Headers => {
                "Headers are the notes a browser and a site exchange with each request. Here: how the site asks you to sign in, and whether your details work."
            }
            Step::Diagnosis => "The most likely cause first, then everything else that was found.",
        }
    }

    /// What a helpdesk person reads to the customer at this step.
    #[must_use]
    pub fn helpdesk_script(self) -> &'static str {
        match self {
            Step::Start => {
                "Please copy the address from your browser's address bar and paste it into the big box, then click Check this address."
            }
            Step::Address => {
                "Read me the big number in the middle of the window, and any line marked Problem."
            }
            Step::CookiesCache => {
                "We are looking at what your browser stores for this site; don't clear anything yet."
            }
            Step::Dns => "We are checking that your computer finds the right server for this site.",
            Step::Headers => {
                "If you have a user name and password for this page, type them on the start page; the password is not saved."
            }
            Step::Diagnosis => {
                "Please click Save report and send me the file; your password is never in it."
            }
        }
    }
}

/// What a step's UI asks the app to do after drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub enum StepAction {
    /// Nothing.
    None,
    /// Go to a step.
    GoTo(Step),
    /// Start (or restart) the check with what is on the start page.
    RunCheck,
    /// Run the check again: with the kept password, or asking for it again.
    Rerun,
    /// Show the start page with the sign-in fields open and focused.
    EnterSignIn,
    /// Forget the password, token and cookies kept for Re-run.
    ForgetSecrets,
    /// Open the folder that holds this file in the file manager.
    OpenFolder(std::path::PathBuf),
    /// Use the path typed in the app's own file dialog.
    UsePath(std::path::PathBuf),
    /// Close the app's own file dialog.
    ClosePathDialog,
    /// Stop the running check.
    Cancel,
    /// Copy this text to the clipboard.
    Copy(String),
    /// Ask where to save the report.
    SaveReport,
    /// Use this address on the start page.
    UseAddress(String),
    /// Start the practice lab.
    StartLab,
    /// Practise with this lab scenario (by id): fill in its story and check it.
    Practice(String),
    /// The trainee's answer to "What is the cause?".
    Answer(crate::engine::Code),
    /// After a wrong answer: answer the same case again.
    RetryCase,
    /// Show the practice case's answer.
    RevealAnswer,
    /// Go on to the next practice case.
    NextCase,
    /// Copy every case's result, for the trainer.
    CopyPracticeResults,
    /// Ask for a report or HAR file to open.
    OpenFile,
    /// Show the diagnosis of the n-th 401 of the opened HAR log.
    ShowHarFinding(usize),
    /// Leave a saved report and check its address live.
    RerunFromReport,
    /// Save the report in this format (after the preview), keeping secrets only if asked.
    SaveAs(
        crate::engine::report::Format,
        crate::engine::report::Redaction,
    ),
    /// Close the save preview.
    CloseSave,
    /// Ask before running this DNS flush command.
    AskRunFlush(crate::engine::dns::FlushCommand),
    /// Run the confirmed flush command.
    RunFlush,
    /// Close the flush confirmation.
    CloseFlush,
    /// Explain the pasted .htaccess text.
    ExplainHtaccess,
    /// Ask for an .htaccess file to open.
    OpenHtaccess,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_and_prev_walk_all_steps_in_order_and_back() {
        let mut step = Step::Start;
        let mut seen = vec![step];
        while let Some(n) = step.next() {
            step = n;
            seen.push(step);
        }
        assert_eq!(seen.len(), 6);
        assert_eq!(step, Step::Diagnosis);
        while let Some(p) = step.prev() {
            step = p;
        }
        assert_eq!(step, Step::Start);
    }

    #[test]
    fn every_area_of_findings_is_shown_on_exactly_one_numbered_step() {
        for area in [
            Area::Address,
            Area::Cookies,
            Area::Dns,
            Area::SignIn,
            Area::Server,
        ] {
            let steps: Vec<Step> = Step::NUMBERED
                .into_iter()
                .filter(|s| s.areas().contains(&area))
                .collect();
            assert_eq!(steps.len(), 1, "{area:?}: {steps:?}");
            assert_eq!(Step::for_area(area), steps[0]);
        }
    }

    #[test]
    fn numbered_steps_are_one_to_five() {
        assert_eq!(Step::Start.number(), None);
        assert_eq!(Step::Address.number(), Some(1));
        assert_eq!(Step::Diagnosis.number(), Some(5));
    }
}
