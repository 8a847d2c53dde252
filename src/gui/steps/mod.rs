//! One file per wizard step; each draws its page and returns a [`StepAction`](super::wizard::StepAction).

pub mod cookies_cache;
pub mod diagnosis;
pub mod dns;
pub mod headers;
pub mod preflight;
pub mod signed_in;
pub mod start;
pub mod url;

use egui::{RichText, Ui};

use crate::engine::Diagnosis;
use crate::gui::state::CheckOutcome;
use crate::gui::widgets;
use crate::gui::wizard::{Step, StepAction};

/// Shows the common states (nothing yet, running, failed to start) and calls `body` with the
/// diagnosis when there is one.
pub fn with_diagnosis_ui(
    ui: &mut Ui,
    outcome: Option<&CheckOutcome>,
    running: bool,
    body: impl FnOnce(&mut Ui, &Diagnosis) -> StepAction,
) -> StepAction {
    match outcome {
        None if running => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new("Checking the address…").size(18.0));
            });
            StepAction::None
        }
        None => {
            ui.label("Nothing has been checked yet.");
            if ui.button("Go to the start page").clicked() {
                StepAction::GoTo(Step::Start)
            } else {
                StepAction::None
            }
        }
        Some(Err(message)) => {
            ui.label(
                RichText::new(format!("The check could not run: {message}"))
                    .color(ui.visuals().error_fg_color)
                    .size(16.0),
            );
            StepAction::None
        }
        Some(Ok(d)) => {
            if running {
                ui.label(
                    RichText::new("Showing the previous results while the check runs again…")
                        .weak(),
                );
            }
            body(ui, d)
        }
    }
}

/// Draws the cards of the findings `step` shows, by their codes' areas (in the diagnosis' order).
pub fn cards_ui(ui: &mut Ui, d: &Diagnosis, step: Step) -> StepAction {
    let mut action = StepAction::None;
    for (i, f) in d
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| step.areas().contains(&f.code.area()))
    {
        let a = widgets::finding_card_ui(ui, f, i);
        if a != StepAction::None {
            action = a;
        }
        ui.add_space(6.0);
    }
    action
}
