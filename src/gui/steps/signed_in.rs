//! The site's answers as a user reads them first: the status without a password and, when sign-in
//! details were tested, what became of the signed-in request (its outcome, status and the address
//! it ended at). Step 1 and the diagnosis show it, so someone whose details work sees that at
//! once, not only the 401 of the request sent without them. The words are the engine's
//! ([`crate::engine::credentials::Outcome::words`]), the same the CLI prints.

use egui::{RichText, Ui};

use crate::engine::credentials::{CredentialResult, Outcome};
use crate::engine::diagnosis::status_meaning;
use crate::engine::report::outline;
use crate::engine::{Diagnosis, Severity};
use crate::gui::widgets::{self, Level};

/// How much room the answers take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// Step 1: the big numbers a helpdesk asks the customer to read out.
    Large,
    /// The diagnosis: one line each, under the likely cause.
    Compact,
}

/// How an outcome is marked: ok only when the site let the user in.
#[must_use]
pub fn outcome_severity(outcome: Outcome) -> Severity {
    match outcome {
        Outcome::Accepted => Severity::Ok,
        Outcome::Rejected
        | Outcome::Forbidden
        | Outcome::ServerError
        | Outcome::AnotherSignIn
        | Outcome::NotPassed => Severity::Problem,
        Outcome::LeftSite | Outcome::ProxyAsked | Outcome::ServedFromCache | Outcome::NoAnswer => {
            Severity::Warning
        }
    }
}

/// The headline of the answer without a password: "The site answered 401", and when details were
/// tested too, "… without your sign-in".
#[must_use]
pub fn first_answer_title(d: &Diagnosis) -> Option<String> {
    d.status
        .map(|status| outline::answer_title(status, d.credentials.is_some()))
}

/// The headline of the signed-in result: "With your sign-in (Basic): 200".
#[must_use]
pub fn signed_in_title(c: &CredentialResult) -> String {
    format!("With your sign-in ({}): {}", c.scheme, c.status_words())
}

/// The outcome's words with a capital first letter, as a sentence of its own.
#[must_use]
pub fn outcome_sentence(outcome: Outcome) -> String {
    let words = outcome.words();
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect::<String>() + "."
    })
}

/// Draws the answer without a password and the signed-in result.
pub fn answers_ui(ui: &mut Ui, d: &Diagnosis, size: Size) {
    // The big numbers shrink in a narrow window, so both answers fit above the fold.
    let large_pts = (ui.available_width() / 24.0).clamp(22.0, 34.0);
    let (title_pts, text_pts) = match size {
        Size::Large => (large_pts, 18.0),
        Size::Compact => (18.0, 15.0),
    };
    if let (Some(status), Some(title)) = (d.status, first_answer_title(d)) {
        widgets::heading_sized_ui(ui, title, Level::Section, title_pts);
        if size == Size::Large || d.credentials.is_none() {
            ui.label(RichText::new(status_meaning(status)).size(text_pts));
        }
    }
    let Some(c) = &d.credentials else {
        return;
    };
    ui.add_space(if size == Size::Large { 8.0 } else { 2.0 });
    let color = widgets::severity_color(outcome_severity(c.outcome), ui.visuals().dark_mode);
    let title = signed_in_title(c);
    let response = ui
        .add(egui::Label::new(RichText::new(&title).size(title_pts).strong().color(color)).wrap());
    widgets::make_heading(ui, &response, &title, Level::Section);
    ui.label(
        RichText::new(outcome_sentence(c.outcome))
            .size(text_pts)
            .strong(),
    );
    if let Some(failure) = &c.failure {
        ui.label(RichText::new(failure).size(text_pts));
    }
    let ended_at = if c.final_url.is_empty() {
        &c.url
    } else {
        &c.final_url
    };
    if !ended_at.is_empty() && c.outcome != Outcome::NoAnswer {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Ended at:").size(text_pts));
            ui.label(RichText::new(ended_at).monospace());
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_accepted_sign_in_is_marked_ok() {
        assert_eq!(outcome_severity(Outcome::Accepted), Severity::Ok);
        for o in [
            Outcome::Rejected,
            Outcome::Forbidden,
            Outcome::ServerError,
            Outcome::AnotherSignIn,
            Outcome::NotPassed,
        ] {
            assert_eq!(outcome_severity(o), Severity::Problem, "{o:?}");
        }
    }

    #[test]
    fn the_outcome_reads_as_a_sentence_in_the_cli_s_words() {
        assert_eq!(
            outcome_sentence(Outcome::Accepted),
            "Accepted: the site let AuthDoctor in."
        );
        assert!(outcome_sentence(Outcome::Forbidden).starts_with("Signed in, but"));
    }
}
