//! Step 3, DNS: which server address the check reached. The comparison with a fresh DNS answer
//! and the flush commands are not built yet, so this step says what it will check.

use egui::{RichText, Ui};

use crate::gui::app::CheckOutcome;
use crate::gui::steps::{coming_ui, with_diagnosis_ui};
use crate::gui::wizard::StepAction;

/// Draws the DNS step.
pub fn dns_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>) -> StepAction {
    with_diagnosis_ui(ui, outcome, false, |ui, d| {
        let ips: Vec<String> = d
            .exchanges
            .iter()
            .filter_map(|e| {
                e.remote_ip
                    .as_ref()
                    .map(|ip| format!("{}  at address  {ip}", e.url))
            })
            .collect();
        ui.label(
            RichText::new("Servers this computer reached")
                .strong()
                .size(16.0),
        );
        if ips.is_empty() {
            ui.label("No server was reached.");
        }
        for line in ips {
            ui.label(RichText::new(line).monospace());
        }
        ui.add_space(10.0);
        coming_ui(
            ui,
            &[
                "what this computer's resolver answers compared with a fresh DNS query",
                "entries for this site in the hosts file",
                "the exact command to flush the DNS cache on Windows, macOS, Linux and in Chrome",
            ],
        );
        StepAction::None
    })
}
