//! Step 1, Address: the corrected address, the redirect chain, the final status and the signed-in
//! result in large text.

use egui::{RichText, Ui};

use crate::engine::diagnosis::status_meaning;
use crate::gui::journey;
use crate::gui::state::CheckOutcome;
use crate::gui::steps::{cards_ui, signed_in, with_diagnosis_ui};
use crate::gui::table::{self, Column};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::{Step, StepAction};

/// Draws the address step.
pub fn address_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>, running: bool) -> StepAction {
    with_diagnosis_ui(ui, outcome, running, |ui, d| {
        let mut action = StepAction::None;
        if !d.url.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Address checked:").strong());
                ui.label(RichText::new(&d.url).monospace());
                let a = widgets::copy_button_ui(ui, &d.url, "Copy the address checked");
                if a != StepAction::None {
                    action = a;
                }
            });
        }
        ui.add_space(8.0);
        signed_in::answers_ui(ui, d, signed_in::Size::Large);
        ui.add_space(10.0);
        let a = journey::journey_ui(ui, d);
        if a != StepAction::None {
            action = a;
        }
        ui.add_space(6.0);
        journey::sent_ui(ui, &d.requests);
        if !d.hops.is_empty() {
            ui.add_space(10.0);
            let title = if d.hops.len() == 1 {
                "The request (no redirects)".to_owned()
            } else {
                format!("The way there: {} steps", d.hops.len())
            };
            widgets::heading_ui(ui, &title, Level::Section);
            table::table_ui(
                ui,
                "Each request and its answer",
                &[
                    Column::weighted("#", 0.3),
                    Column::weighted("Answer", 1.2),
                    Column::weighted("Address, and where it sent you", 3.0),
                    Column::weighted("Time", 0.6),
                ],
                d.hops.len(),
                true,
                |ui, row, column| {
                    let Some(h) = d.hops.get(row) else { return };
                    match column {
                        0 => {
                            ui.label(format!("{}", row + 1));
                        }
                        1 => {
                            ui.label(RichText::new(h.status.to_string()).strong());
                            ui.label(RichText::new(status_meaning(h.status)).weak());
                        }
                        2 => {
                            ui.label(RichText::new(&h.url).monospace());
                            if let Some(l) = &h.location {
                                ui.label(RichText::new(format!("sent on to: {l}")).monospace());
                            }
                        }
                        _ => {
                            ui.label(format!("{} ms", h.elapsed_ms));
                        }
                    }
                },
            );
        }
        ui.add_space(10.0);
        let a = cards_ui(ui, d, Step::Address);
        if a != StepAction::None {
            action = a;
        }
        action
    })
}
