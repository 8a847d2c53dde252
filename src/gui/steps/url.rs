//! Step 1, Address: the corrected address, the redirect chain, the final status in large text.

use egui::{RichText, Ui};

use crate::engine::Code;
use crate::engine::diagnosis::status_meaning;
use crate::gui::state::CheckOutcome;
use crate::gui::steps::{cards_ui, with_diagnosis_ui};
use crate::gui::widgets;
use crate::gui::wizard::StepAction;

const ADDRESS_CODES: &[Code] = &[
    Code::UrlInvalid,
    Code::UrlCorrected,
    Code::UrlNote,
    Code::DnsFailure,
    Code::ConnectionFailed,
    Code::TlsError,
    Code::Timeout,
    Code::TooManyRedirects,
    Code::BadRedirect,
    Code::NotUnauthorized,
    Code::AuthDroppedOnRedirect,
];

/// Draws the address step.
pub fn address_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>, running: bool) -> StepAction {
    with_diagnosis_ui(ui, outcome, running, |ui, d| {
        let mut action = StepAction::None;
        if !d.url.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Address checked:").strong());
                ui.label(RichText::new(&d.url).monospace());
                let a = widgets::copy_button_ui(ui, &d.url, "the address");
                if a != StepAction::None {
                    action = a;
                }
            });
        }
        if let Some(status) = d.status {
            ui.add_space(8.0);
            ui.label(
                RichText::new(format!("The site answered {status}"))
                    .size(34.0)
                    .strong(),
            );
            ui.label(RichText::new(status_meaning(status)).size(18.0));
        }
        if !d.hops.is_empty() {
            ui.add_space(10.0);
            let title = if d.hops.len() == 1 {
                "The request (no redirects)".to_owned()
            } else {
                format!("The way there: {} steps", d.hops.len())
            };
            ui.label(RichText::new(title).strong().size(16.0));
            egui::Grid::new("hops")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new("#").strong());
                    ui.label(RichText::new("Answer").strong());
                    ui.label(RichText::new("Address, and where it sent you").strong());
                    ui.label(RichText::new("Time").strong());
                    ui.end_row();
                    for (i, h) in d.hops.iter().enumerate() {
                        ui.label(format!("{}", i + 1));
                        ui.label(h.status.to_string())
                            .on_hover_text(status_meaning(h.status));
                        let text = match &h.location {
                            Some(l) => format!("{}\nsent on to: {l}", h.url),
                            None => h.url.clone(),
                        };
                        ui.label(RichText::new(text).monospace());
                        ui.label(format!("{} ms", h.elapsed_ms));
                        ui.end_row();
                    }
                });
        }
        ui.add_space(10.0);
        let a = cards_ui(ui, d, ADDRESS_CODES);
        if a != StepAction::None {
            action = a;
        }
        action
    })
}
