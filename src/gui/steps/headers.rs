//! Step 4, Headers and sign-in: the request and answer headers, the site's sign-in challenge
//! explained, and the credential test with the first 401 and the signed-in answer side by side.

use egui::{RichText, Ui};

use crate::engine::challenge;
use crate::engine::probe::Exchange;
use crate::gui::features::htaccess_tool::HtaccessTool;
use crate::gui::state::CheckOutcome;
use crate::gui::steps::{cards_ui, signed_in, with_diagnosis_ui};
use crate::gui::table::{self, Column};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::{Step, StepAction};

/// The button that opens the start page's sign-in fields.
pub const ENTER_SIGN_IN: &str = "Enter sign-in details…";

/// The width from which the two answers are shown side by side, in points.
const SIDE_BY_SIDE_PTS: f32 = 640.0;

/// Label of the .htaccess text field.
pub const HTACCESS_LABEL: &str = "Paste the .htaccess file (or nginx auth_basic lines)";

/// Draws the headers and sign-in step.
pub fn headers_ui(
    ui: &mut Ui,
    outcome: Option<&CheckOutcome>,
    secrets_were_used: bool,
    htaccess: &mut HtaccessTool,
) -> StepAction {
    let action = headers_results_ui(ui, outcome, secrets_were_used);
    let panel = htaccess_ui(ui, htaccess);
    if panel == StepAction::None {
        action
    } else {
        panel
    }
}

fn htaccess_ui(ui: &mut Ui, panel: &mut HtaccessTool) -> StepAction {
    let mut action = StepAction::None;
    ui.add_space(10.0);
    let title = "Check the site's .htaccess password settings";
    widgets::details_ui(ui, title, "htaccess", title, |ui| {
        ui.label(
            "If you run the site on Apache (most shared hosting), its password protection \
             lives in a file called .htaccess. AuthDoctor explains it line by line and points \
             at the mistakes that cause 401s.",
        );
        let label = ui.label(HTACCESS_LABEL);
        ui.add(
            egui::TextEdit::multiline(&mut panel.text)
                .code_editor()
                .desired_rows(6)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal_wrapped(|ui| {
            if ui.button("Explain it").clicked() {
                action = StepAction::ExplainHtaccess;
            }
            let open = ui.button("Open a file…");
            ui.ctx().accesskit_node_builder(open.id, |node| {
                node.set_label("Open an .htaccess file…".to_owned());
            });
            if open.clicked() {
                action = StepAction::OpenHtaccess;
            }
            if panel.is_busy() {
                ui.spinner();
            }
        });
        if let Some(report) = &panel.report {
            table::table_ui(
                ui,
                "The .htaccess file, line by line",
                &[
                    Column::weighted("Line", 0.4),
                    Column::weighted("Text", 1.6),
                    Column::weighted("What it means", 2.0),
                ],
                report.directives.len(),
                true,
                |ui, row, column| {
                    let Some(d) = report.directives.get(row) else {
                        return;
                    };
                    match column {
                        0 => ui.label(d.line.to_string()),
                        1 => ui.label(RichText::new(&d.text).monospace()),
                        _ => ui.label(&d.meaning),
                    };
                },
            );
            for (i, f) in report.findings.iter().enumerate() {
                let a = widgets::finding_card_ui(ui, f, 1000 + i);
                if a != StepAction::None {
                    action = a;
                }
            }
        }
    });
    action
}

fn headers_results_ui(
    ui: &mut Ui,
    outcome: Option<&CheckOutcome>,
    secrets_were_used: bool,
) -> StepAction {
    with_diagnosis_ui(ui, outcome, false, |ui, d| {
        let mut action = StepAction::None;
        crate::gui::steps::preflight::preflight_ui(ui, d.preflight.as_ref());
        if !d.challenges.is_empty() {
            widgets::heading_ui(ui, "How the site asks you to sign in", Level::Section);
            for c in &d.challenges {
                let e = challenge::explain(c);
                egui::Frame::group(ui.style())
                    .inner_margin(10.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        widgets::heading_ui(ui, &e.scheme_name, Level::Card);
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
                let color = widgets::severity_color(
                    signed_in::outcome_severity(result.outcome),
                    ui.visuals().dark_mode,
                );
                let verdict = signed_in::outcome_sentence(result.outcome);
                let verdict_label = ui.add(
                    egui::Label::new(RichText::new(&verdict).size(24.0).strong().color(color))
                        .wrap(),
                );
                widgets::make_heading(ui, &verdict_label, &verdict, Level::Section);
                ui.label(format!(
                    "Tested with {} sign-in; the site answered {}.",
                    result.scheme,
                    result.status_words()
                ));
            }
            None if d.status == Some(401) && !secrets_were_used => {
                ui.label("To test a user name and password or a token, enter them on the start page and check again.");
                if ui.button(ENTER_SIGN_IN).clicked() {
                    action = StepAction::EnterSignIn;
                }
            }
            None => {}
        }
        server_ui(ui, d);
        ui.add_space(8.0);
        let a = cards_ui(ui, d, Step::Headers);
        if a != StepAction::None {
            action = a;
        }
        if let (Some(first), Some(answer)) = (
            d.first_401(),
            d.credentials.as_ref().and_then(|c| c.answer.as_ref()),
        ) {
            ui.add_space(8.0);
            widgets::heading_ui(
                ui,
                "Without and with your sign-in, side by side",
                Level::Section,
            );
            if ui.available_width() >= SIDE_BY_SIDE_PTS {
                ui.columns(2, |cols| {
                    if let [left, right] = cols {
                        exchange_ui(left, "Without sign-in", first);
                        exchange_ui(right, "With your sign-in", answer);
                    }
                });
            } else {
                exchange_ui(ui, "Without sign-in", first);
                exchange_ui(ui, "With your sign-in", answer);
            }
        } else if let Some(last) = d.exchanges.last() {
            ui.add_space(8.0);
            exchange_ui(ui, "The final request and answer", last);
        }
        if d.exchanges.len() > 1 {
            let title = "Headers of every step of the redirect chain";
            widgets::details_ui(ui, title, "every-hop", title, |ui| {
                for (i, e) in d.exchanges.iter().enumerate() {
                    exchange_ui(ui, &format!("Redirect step {}", i + 1), e);
                }
            });
        }
        action
    })
}

fn exchange_ui(ui: &mut Ui, title: &str, e: &Exchange) {
    egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::heading_ui(
                ui,
                format!("{title}: {} {}", e.status, e.http_version),
                Level::Card,
            );
            ui.add(egui::Label::new(RichText::new(&e.url).monospace().weak()).wrap());
            if !e.request_headers.is_empty() {
                ui.label(RichText::new("Sent").strong());
                widgets::header_table_ui(ui, &format!("{title}: headers sent"), &e.request_headers);
            }
            ui.label(RichText::new("Received").strong());
            widgets::header_table_ui(ui, &format!("{title}: headers received"), &e.headers);
        });
}

/// What answered (server, CMS, protections, CDNs), a rate-limit countdown, and a token's claims.
fn server_ui(ui: &mut Ui, d: &crate::engine::Diagnosis) {
    if let Some(print) = &d.fingerprint {
        let mut names: Vec<String> = Vec::new();
        if let Some(s) = &print.server {
            names.push(format!("web server: {}", s.name));
        }
        if let Some(c) = &print.cms {
            names.push(format!("site software: {}", c.name));
        }
        for p in &print.protections {
            names.push(format!("protection: {}", p.name));
        }
        for c in &print.cdns {
            names.push(format!(
                "CDN (a network of caches in front of the site): {}",
                c.name
            ));
        }
        for p in &print.panels {
            names.push(format!("hosting panel: {}", p.name));
        }
        if !names.is_empty() {
            ui.add_space(8.0);
            widgets::heading_ui(ui, "Recognised from the answers", Level::Section);
            for n in names {
                ui.label(format!("• {n}"));
            }
        }
    }
    if let Some(limit) = d.server.as_ref().and_then(|s| s.rate_limit.as_ref())
        && let Some(at) = limit.retry_at_unix
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| i64::try_from(t.as_secs()).unwrap_or(i64::MAX));
        let left = at.saturating_sub(now);
        ui.add_space(8.0);
        if left > 0 {
            ui.label(
                RichText::new(format!(
                    "Too many tries: wait {}:{:02} before trying again",
                    left / 60,
                    left % 60
                ))
                .size(20.0)
                .strong(),
            );
            // The countdown needs one frame a second, not more.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        } else {
            ui.label(RichText::new("The waiting time is over: you can try again now.").size(18.0));
        }
    }
    if let Some(token) = &d.token {
        ui.add_space(8.0);
        widgets::heading_ui(ui, "What your token says about itself", Level::Section);
        ui.label(
            RichText::new(
                "Decoded on this computer only; its signature was not checked (only the issuer can).",
            )
            .weak(),
        );
        table::table_ui(
            ui,
            "The token's times",
            &[
                Column::new("Claim"),
                Column::new("When"),
                Column::new("From now"),
            ],
            token.times.len(),
            true,
            |ui, row, column| {
                let Some(t) = token.times.get(row) else {
                    return;
                };
                match column {
                    0 => ui.label(RichText::new(&t.name).strong()),
                    1 => ui.label(&t.readable),
                    _ => ui.label(&t.relative),
                };
            },
        );
    }
}
