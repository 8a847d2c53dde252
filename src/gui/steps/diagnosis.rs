//! Step 5, Diagnosis: the likely cause in one sentence, every finding by severity, a summary to
//! copy and a report to save (secrets redacted).

use std::fmt::Write as _;

use egui::{RichText, Ui};

use crate::engine::Diagnosis;
use crate::gui::app::CheckOutcome;
use crate::gui::steps::with_diagnosis_ui;
use crate::gui::widgets;
use crate::gui::wizard::StepAction;

/// Label of the copy-summary button.
pub const COPY_SUMMARY: &str = "Copy summary";
/// Label of the save button.
pub const SAVE_REPORT: &str = "Save report…";

/// Draws the diagnosis step.
pub fn diagnosis_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>, running: bool) -> StepAction {
    with_diagnosis_ui(ui, outcome, running, |ui, d| {
        let mut action = StepAction::None;
        if let Some(f) = d.likely_finding() {
            ui.label(RichText::new("Most likely cause").size(16.0).weak());
            ui.horizontal_wrapped(|ui| {
                widgets::severity_badge_ui(ui, f.severity);
                ui.label(RichText::new(&f.title).size(26.0).strong());
            });
            ui.label(RichText::new(&f.detail).size(16.0));
        }
        ui.add_space(8.0);
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
        ui.label(
            RichText::new(format!("Everything that was found ({})", d.findings.len()))
                .strong()
                .size(16.0),
        );
        for (i, f) in d.findings.iter().enumerate() {
            let a = widgets::finding_card_ui(ui, f, i);
            if a != StepAction::None {
                action = a;
            }
            ui.add_space(6.0);
        }
        action
    })
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

/// A file name for the report: host and date, no secrets.
#[must_use]
pub fn report_file_name(d: &Diagnosis) -> String {
    let host = url::Url::parse(&d.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "address".to_owned());
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.authdoctor.json")
}

/// The report as JSON. The diagnosis has already been scrubbed of the secrets the check used.
pub fn report_json(d: &Diagnosis) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(d)
}
