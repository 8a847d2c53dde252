//! The browser's CORS preflight in the wizard: the optional field on the start page naming the
//! page whose script calls the address (it feeds `CheckInput::origin`), and on the headers step
//! what the preflight got and what the browser makes of it.

use egui::{RichText, Ui};

use crate::engine::Severity;
use crate::engine::preflight::{self, PreflightReport, Verdict};
use crate::gui::widgets::{self, Level};

/// Label of the field for the calling page (screen readers and tests find it by this).
pub const ORIGIN_LABEL: &str = "The page that calls this address (optional)";
/// The heading of the preflight's result on the headers step.
pub const PREFLIGHT_HEADING: &str = "What the browser's preflight got";

/// The field for the page whose JavaScript calls the address, with what it is for and, when the
/// text is not a web address, why it will not be used. True when Enter was pressed in it (which
/// starts the check, as in the address field).
pub fn origin_field_ui(ui: &mut Ui, origin: &mut String) -> bool {
    ui.add_space(6.0);
    let label = ui.label(ORIGIN_LABEL);
    let field = ui
        .add(
            egui::TextEdit::singleline(origin)
                .hint_text("https://app.example.com/ (the page whose script shows \"CORS error\")")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if origin.trim().is_empty() {
        return entered;
    }
    match preflight::origin_of(origin) {
        Ok(origin) => {
            ui.label(
                RichText::new(format!(
                    "AuthDoctor will also send the browser's CORS preflight from {origin}."
                ))
                .weak(),
            );
        }
        Err(why) => {
            ui.label(RichText::new(format!("Not used: {why}.")).color(ui.visuals().warn_fg_color));
        }
    }
    entered
}

fn status(s: Option<u16>) -> String {
    s.map_or_else(|| "no answer".to_owned(), |s| s.to_string())
}

/// The preflight's result, when the check sent one.
pub fn preflight_ui(ui: &mut Ui, report: Option<&PreflightReport>) {
    let Some(p) = report else {
        return;
    };
    widgets::heading_ui(ui, PREFLIGHT_HEADING, Level::Section);
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let severity = if p.verdict == Verdict::Passes {
                Severity::Ok
            } else {
                Severity::Problem
            };
            ui.horizontal_wrapped(|ui| {
                widgets::severity_badge_ui(ui, severity);
                ui.label(RichText::new(&p.browser_says).strong());
            });
            ui.label(format!(
                "From the page {}: OPTIONS (the preflight) answered {}; the script's request answered {}.",
                p.origin,
                status(p.preflight_status),
                status(p.request_status)
            ));
            if let Some(error) = &p.preflight_error {
                ui.label(format!("The preflight got no answer: {error}"));
            }
            for (name, value) in [
                ("Access-Control-Allow-Origin", &p.allow_origin),
                ("Access-Control-Allow-Headers", &p.allow_headers),
                ("Access-Control-Allow-Methods", &p.allow_methods),
                ("Access-Control-Allow-Credentials", &p.allow_credentials),
            ] {
                ui.label(
                    RichText::new(format!(
                        "{name}: {}",
                        value.as_deref().unwrap_or("(not sent)")
                    ))
                    .monospace(),
                );
            }
        });
    ui.add_space(8.0);
}
