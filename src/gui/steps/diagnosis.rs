//! Step 5, Diagnosis: the likely cause in one sentence, every finding by severity, a summary to
//! copy and a report to save (secrets redacted).

use std::fmt::Write as _;
use std::path::Path;

use egui::{RichText, Ui};

use crate::engine::diagnosis::status_meaning;
use crate::engine::{Diagnosis, explain};
use crate::gui::state::{CheckOutcome, Trainee};
use crate::gui::steps::with_diagnosis_ui;
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
    trainee: Option<&Trainee>,
    saved: Option<&Path>,
) -> StepAction {
    with_diagnosis_ui(ui, outcome, running, |ui, d| {
        let mut action = StepAction::None;
        if let Some(t) = trainee
            && !running
        {
            let a = quiz_ui(ui, t, d);
            if a != StepAction::None {
                return a;
            }
            if t.answer.is_none() {
                // The findings would give the answer away.
                return StepAction::None;
            }
        }
        let likely = d.likely_finding();
        if let Some(f) = likely {
            widgets::heading_ui(ui, "Most likely cause", Level::Section);
            ui.add(egui::Label::new(RichText::new(&f.title).size(24.0).strong()).wrap());
            ui.add_space(4.0);
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(RichText::new(COPY_SUMMARY).size(16.0))
                .on_hover_text("The likely cause and what to do, as text for an email or chat")
                .clicked()
            {
                action = StepAction::Copy(summary(d));
            }
            if ui
                .button(RichText::new(SAVE_REPORT).size(16.0))
                .on_hover_text("Save the results as a file to send to your helpdesk; passwords and tokens are removed")
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

fn quiz_ui(ui: &mut Ui, t: &Trainee, d: &Diagnosis) -> StepAction {
    let mut action = StepAction::None;
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(format!("Practice case: {}", t.scenario.title)).weak());
            widgets::heading_ui(ui, QUIZ_QUESTION, Level::Section);
            for code in &t.scenario.choices {
                let title = explain::text(*code).title;
                let selected = t.answer == Some(*code);
                if ui.radio(selected, title).clicked() && t.answer.is_none() {
                    action = StepAction::Answer(*code);
                }
            }
            if let Some(answer) = t.answer {
                ui.add_space(6.0);
                let right = answer == t.scenario.cause;
                let dark = ui.visuals().dark_mode;
                let (text, severity) = if right {
                    ("Right!", crate::engine::Severity::Ok)
                } else {
                    ("Not quite.", crate::engine::Severity::Problem)
                };
                ui.label(
                    RichText::new(text)
                        .size(22.0)
                        .strong()
                        .color(widgets::severity_color(severity, dark)),
                );
                if !right {
                    ui.label(format!(
                        "The cause is: {}",
                        explain::text(t.scenario.cause).title
                    ));
                }
                ui.label(&t.scenario.lesson);
                let wizard = d
                    .likely_finding()
                    .map_or("nothing".to_owned(), |f| f.title.clone());
                ui.label(RichText::new(format!("AuthDoctor's own diagnosis: {wizard}")).strong());
            } else {
                ui.label(
                    RichText::new("Pick one; the findings are shown after you answer.").weak(),
                );
            }
        });
    ui.add_space(8.0);
    action
}

/// Plain-text summary for an email or chat, as a customer would paste it: what was checked, the
/// likely cause with what to do about it, then the rest in one line each with its code.
#[must_use]
pub fn summary(d: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "AuthDoctor checked {}", d.url);
    if !d.checked_at.is_empty() {
        let _ = writeln!(out, "on {}.", d.checked_at);
    }
    if let Some(status) = d.status {
        let _ = writeln!(
            out,
            "The site answered {status} ({}).",
            status_meaning(status)
        );
    }
    let likely = d.likely_finding();
    if let Some(f) = likely {
        let _ = writeln!(out, "\nMost likely cause: {}", f.title);
        let _ = writeln!(out, "{}", f.detail);
        if !f.next_steps.is_empty() {
            let _ = writeln!(out, "\nWhat to do:");
            for (i, step) in f.next_steps.iter().enumerate() {
                let _ = writeln!(out, "{}. {step}", i + 1);
            }
        }
        let _ = writeln!(out, "(Finding code: {})", f.code);
    }
    let rest: Vec<&crate::engine::Finding> = d
        .findings
        .iter()
        .filter(|f| likely.is_none_or(|l| l.code != f.code))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(out, "\nAlso found:");
        for f in rest {
            let _ = writeln!(out, "- {}: {} [{}]", f.severity.label(), f.title, f.code);
        }
    }
    out
}
