//! Step 5, Diagnosis: the likely cause in one sentence, every finding by severity, a summary to
//! copy and a report to save (secrets redacted).

use std::fmt::Write as _;

use egui::{RichText, Ui};

use crate::engine::{Diagnosis, explain};
use crate::gui::state::{CheckOutcome, Trainee};
use crate::gui::steps::with_diagnosis_ui;
use crate::gui::widgets;
use crate::gui::wizard::StepAction;

/// Label of the copy-summary button.
pub const COPY_SUMMARY: &str = "Copy summary";
/// Label of the save button.
pub const SAVE_REPORT: &str = "Save report…";

/// Draws the diagnosis step.
pub fn diagnosis_ui(
    ui: &mut Ui,
    outcome: Option<&CheckOutcome>,
    running: bool,
    trainee: Option<&Trainee>,
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
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new(COPY_SUMMARY).size(16.0))
                .on_hover_text("Plain text for an email or chat")
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
        ui.add_space(8.0);
        let likely = d.likely_finding();
        if let Some(f) = likely {
            ui.label(RichText::new("Most likely cause").size(18.0).strong());
            ui.label(RichText::new(&f.title).size(26.0).strong());
            ui.add_space(4.0);
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
            ui.label(
                RichText::new(format!("Everything else that was found ({})", rest.len()))
                    .strong()
                    .size(18.0),
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

/// Label of the quiz question.
pub const QUIZ_QUESTION: &str = "What is the cause?";

fn quiz_ui(ui: &mut Ui, t: &Trainee, d: &Diagnosis) -> StepAction {
    let mut action = StepAction::None;
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(format!("Practice case: {}", t.scenario.title)).weak());
            ui.label(RichText::new(QUIZ_QUESTION).size(22.0).strong());
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

/// Plain-text summary for an email or chat: the likely cause and each finding with its code.
#[must_use]
pub fn summary(d: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "AuthDoctor report for {}", d.url);
    if let Some(status) = d.status {
        let _ = writeln!(out, "Status: {status}");
    }
    if let Some(f) = d.likely_finding() {
        let _ = writeln!(out, "Likely cause: {} [{}]", f.title, f.code);
    }
    for f in &d.findings {
        let _ = writeln!(out, "- {}: {} [{}]", f.severity.label(), f.title, f.code);
    }
    out
}
