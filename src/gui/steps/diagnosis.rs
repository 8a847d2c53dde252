//! Step 5, Diagnosis: the likely cause in one sentence, every finding by severity, a summary to
//! copy and a report to save (secrets redacted).

use std::path::Path;

use egui::{RichText, Ui};

use crate::engine::Diagnosis;
use crate::engine::report::{self, Outline};
use crate::gui::journey;
use crate::gui::state::{CheckOutcome, Trainee};
use crate::gui::steps::{signed_in, with_diagnosis_ui};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::StepAction;

/// Label of the copy-summary button.
pub const COPY_SUMMARY: &str = "Copy summary";
/// Label of the save button.
pub const SAVE_REPORT: &str = "Save report…";

/// Draws the diagnosis step. `saved` is the last report file written, shown with its folder.
pub fn diagnosis_ui(
    ui: &mut Ui,
    outcome: Option<&CheckOutcome>,
    running: bool,
    quiz: Option<&Quiz<'_>>,
    saved: Option<&Path>,
) -> StepAction {
    with_diagnosis_ui(ui, outcome, running, |ui, d| {
        let mut action = StepAction::None;
        if let Some(quiz) = quiz
            && !running
        {
            let a = quiz_ui(ui, quiz, d);
            if a != StepAction::None {
                return a;
            }
            if !quiz.trainee.is_finished() {
                // The findings would give the answer away.
                return StepAction::None;
            }
        }
        let likely = d.likely_finding();
        if let Some(f) = likely {
            widgets::heading_ui(ui, "Most likely cause", Level::Section);
            ui.add(egui::Label::new(RichText::new(&f.title).size(24.0).strong()).wrap());
            // The code a helpdesk asks for on the phone, without scrolling to the card.
            ui.label(
                RichText::new(format!("Code: {}", f.code))
                    .monospace()
                    .weak(),
            );
            ui.add_space(4.0);
        }
        signed_in::answers_ui(ui, d, signed_in::Size::Compact);
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(RichText::new(COPY_SUMMARY).size(16.0))
                .on_hover_text("The likely cause and what to do, as text for an email or chat")
                .clicked()
            {
                action = StepAction::Copy(report::text::summary(&Outline::shown(d)));
            }
            if ui
                .button(RichText::new(SAVE_REPORT).size(16.0))
                .on_hover_text("Save the results as a file to send to your helpdesk; your password, token and cookie values are never in it")
                .clicked()
            {
                action = StepAction::SaveReport;
            }
        });
        if let Some(path) = saved {
            let a = saved_ui(ui, path);
            if a != StepAction::None {
                action = a;
            }
        }
        ui.add_space(8.0);
        let a = journey::journey_ui(ui, d);
        if a != StepAction::None {
            action = a;
        }
        ui.add_space(6.0);
        journey::sent_ui(ui, &d.requests);
        ui.add_space(8.0);
        if let Some(f) = likely {
            let a = widgets::finding_card_ui(ui, f, usize::MAX);
            if a != StepAction::None {
                action = a;
            }
        }
        let rest: Vec<(usize, &crate::engine::Finding)> = d
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| likely.is_none_or(|l| l.code != f.code))
            .collect();
        if !rest.is_empty() {
            ui.add_space(10.0);
            widgets::heading_ui(
                ui,
                format!("Everything else that was found ({})", rest.len()),
                Level::Section,
            );
            for (i, f) in rest {
                let a = widgets::finding_card_ui(ui, f, i);
                if a != StepAction::None {
                    action = a;
                }
                ui.add_space(6.0);
            }
        }
        action
    })
}

/// Label of the button that copies a saved report's path.
pub const COPY_PATH: &str = "Copy the path";
/// Label of the button that opens a saved report's folder.
pub const OPEN_FOLDER: &str = "Open the folder";

/// Where the report was saved, with its path to copy and its folder to open.
fn saved_ui(ui: &mut Ui, path: &Path) -> StepAction {
    let mut action = StepAction::None;
    egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("The report was saved here:").strong());
            ui.add(egui::Label::new(RichText::new(path.display().to_string()).monospace()).wrap());
            ui.horizontal_wrapped(|ui| {
                if ui.button(COPY_PATH).clicked() {
                    action = StepAction::Copy(path.display().to_string());
                }
                if ui.button(OPEN_FOLDER).clicked() {
                    action = StepAction::OpenFolder(path.to_path_buf());
                }
            });
        });
    action
}

/// Label of the quiz question.
pub const QUIZ_QUESTION: &str = "What is the cause?";

/// What the quiz needs to know about the class's practice.
pub struct Quiz<'a> {
    /// The case being practised.
    pub trainee: &'a Trainee,
    /// There is a case after this one.
    pub has_next: bool,
    /// (right on the first try, cases done, cases in the lab).
    pub score: (usize, usize, usize),
}

/// Label of the button that answers the same case again.
pub const TRY_AGAIN: &str = "Try again";
/// Label of the button that shows the answer.
pub const SHOW_ANSWER: &str = "Show the answer";
/// Label of the button that goes on to the next case.
pub const NEXT_CASE: &str = "Next case";
/// Label of the button that copies the class's results.
pub const COPY_RESULTS: &str = "Copy the class's results";

fn quiz_ui(ui: &mut Ui, quiz: &Quiz<'_>, d: &Diagnosis) -> StepAction {
    let t = quiz.trainee;
    let mut action = StepAction::None;
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let (first, done, total) = quiz.score;
            ui.label(
                RichText::new(format!(
                    "Practice case {} of {total}: {}",
                    t.number, t.scenario.title
                ))
                .weak(),
            );
            widgets::heading_ui(ui, QUIZ_QUESTION, Level::Section);
            for code in &t.choices {
                let title = code.text().title;
                let selected = t.answer == Some(*code);
                if ui.radio(selected, title).clicked() && t.answer.is_none() && !t.revealed {
                    action = StepAction::Answer(*code);
                }
            }
            let dark = ui.visuals().dark_mode;
            let verdict = |ui: &mut Ui, text: &str, severity| {
                let r = ui.label(
                    RichText::new(text)
                        .size(22.0)
                        .strong()
                        .color(widgets::severity_color(severity, dark)),
                );
                widgets::make_live(ui, &r);
            };
            if t.is_right() {
                ui.add_space(6.0);
                verdict(ui, "Right!", crate::engine::Severity::Ok);
            } else if t.answer.is_some() || t.revealed {
                ui.add_space(6.0);
                verdict(ui, "Not quite.", crate::engine::Severity::Problem);
                if t.revealed {
                    ui.label(format!(
                        "The cause is: {}",
                        t.scenario.cause.text().title
                    ));
                } else {
                    ui.label(
                        "Look at the steps again (the cards and their technical details), then \
                         answer again, or see the answer.",
                    );
                    ui.horizontal_wrapped(|ui| {
                        if ui.button(TRY_AGAIN).clicked() {
                            action = StepAction::RetryCase;
                        }
                        if ui.button(SHOW_ANSWER).clicked() {
                            action = StepAction::RevealAnswer;
                        }
                    });
                }
            } else {
                ui.label(
                    RichText::new("Pick one; the findings are shown after you answer.").weak(),
                );
            }
            if t.is_finished() {
                ui.label(&t.scenario.lesson);
                let wizard = d
                    .likely_finding()
                    .map_or("nothing".to_owned(), |f| f.title.clone());
                ui.label(RichText::new(format!("AuthDoctor's own diagnosis: {wizard}")).strong());
            }
            if done > 0 {
                ui.label(format!(
                    "Score: {first} of {done} cases done right on the first try ({total} in the lab)."
                ));
            }
            if t.is_finished() {
                ui.horizontal_wrapped(|ui| {
                    if quiz.has_next {
                        if ui.button(RichText::new(NEXT_CASE).strong()).clicked() {
                            action = StepAction::NextCase;
                        }
                    } else {
                        ui.label("That was the last case.");
                    }
                    if ui
                        .button(COPY_RESULTS)
                        .on_hover_text("Every case and how it went, as text for the trainer")
                        .clicked()
                    {
                        action = StepAction::CopyPracticeResults;
                    }
                });
            }
        });
    ui.add_space(8.0);
    action
}
