//! Step 4, Headers and sign-in: the request and answer headers, the site's sign-in challenge
//! explained, and the credential test with the first 401 and the signed-in answer side by side.

use egui::{RichText, Ui};

use crate::engine::Code;
use crate::engine::challenge;
use crate::engine::probe::Exchange;
use crate::gui::app::CheckOutcome;
use crate::gui::steps::{cards_ui, with_diagnosis_ui};
use crate::gui::widgets;
use crate::gui::wizard::{Step, StepAction};

const SIGN_IN_CODES: &[Code] = &[
    Code::CredentialsAccepted,
    Code::CredentialsRejected,
    Code::CredentialsUntested,
    Code::TokenInvalid,
    Code::InsufficientScope,
    Code::AuthRequired,
    Code::MissingChallenge,
    Code::MalformedChallenge,
    Code::InsecureBasic,
    Code::ProxyAuthRequired,
];

/// Draws the headers and sign-in step.
pub fn headers_ui(
    ui: &mut Ui,
    outcome: Option<&CheckOutcome>,
    secrets_were_used: bool,
) -> StepAction {
    with_diagnosis_ui(ui, outcome, false, |ui, d| {
        let mut action = StepAction::None;
        if !d.challenges.is_empty() {
            ui.label(
                RichText::new("How the site asks you to sign in")
                    .strong()
                    .size(16.0),
            );
            for c in &d.challenges {
                let e = challenge::explain(c);
                egui::Frame::group(ui.style())
                    .inner_margin(10.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(&e.scheme_name).strong().size(17.0));
                        ui.label(&e.meaning);
                        for line in &e.details {
                            ui.label(format!("• {line}"));
                        }
                        ui.label(RichText::new(format!("What to do: {}", e.what_to_do)).strong());
                    });
            }
            ui.add_space(8.0);
        }
        match &d.credentials {
            Some(result) => {
                let (verdict, color) = if result.accepted {
                    (
                        "Accepted: the site let AuthDoctor in with your details",
                        widgets::severity_color(
                            crate::engine::Severity::Ok,
                            ui.visuals().dark_mode,
                        ),
                    )
                } else {
                    (
                        "Rejected: the site refused your details",
                        widgets::severity_color(
                            crate::engine::Severity::Problem,
                            ui.visuals().dark_mode,
                        ),
                    )
                };
                ui.label(RichText::new(verdict).size(24.0).strong().color(color));
                ui.label(format!(
                    "Tested with {} sign-in; the site answered {}.",
                    result.scheme, result.status
                ));
            }
            None if d.status == Some(401) && !secrets_were_used => {
                ui.label("To test a user name and password or a token, enter them on the start page and check again.");
                if ui.button("Enter sign-in details…").clicked() {
                    action = StepAction::GoTo(Step::Start);
                }
            }
            None => {}
        }
        ui.add_space(8.0);
        let a = cards_ui(ui, d, SIGN_IN_CODES);
        if a != StepAction::None {
            action = a;
        }
        if let (Some(first), Some(answer)) = (
            d.first_401(),
            d.credentials.as_ref().and_then(|c| c.answer.as_ref()),
        ) {
            ui.add_space(8.0);
            ui.label(
                RichText::new("Without and with your sign-in, side by side")
                    .strong()
                    .size(16.0),
            );
            ui.columns(2, |cols| {
                exchange_ui(&mut cols[0], "Without sign-in", first, "first");
                exchange_ui(&mut cols[1], "With your sign-in", answer, "answer");
            });
        } else if let Some(last) = d.exchanges.last() {
            ui.add_space(8.0);
            exchange_ui(ui, "The final request and answer", last, "final");
        }
        if d.exchanges.len() > 1 {
            egui::CollapsingHeader::new("Headers of every step of the redirect chain").show(
                ui,
                |ui| {
                    for (i, e) in d.exchanges.iter().enumerate() {
                        exchange_ui(ui, &format!("Step {}", i + 1), e, &format!("hop-{i}"));
                    }
                },
            );
        }
        action
    })
}

fn exchange_ui(ui: &mut Ui, title: &str, e: &Exchange, id: &str) {
    egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.label(RichText::new(format!("{title}: {} {}", e.status, e.http_version)).strong());
            ui.label(RichText::new(&e.url).monospace().weak());
            if !e.request_headers.is_empty() {
                ui.label(RichText::new("Sent").strong());
                widgets::header_table_ui(ui, &format!("{id}-request"), &e.request_headers);
            }
            ui.label(RichText::new("Received").strong());
            widgets::header_table_ui(ui, &format!("{id}-response"), &e.headers);
            ui.label(RichText::new("Hover a header's name to see what it means.").weak());
        });
}
