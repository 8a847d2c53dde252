//! Reusable pieces of the wizard: severity badge, copy button, finding card, header table.

use egui::{Color32, RichText, Ui};

use crate::engine::probe::Header;
use crate::engine::{Finding, Severity};
use crate::gui::wizard::StepAction;

/// The colour of a severity; always shown together with its word.
#[must_use]
pub fn severity_color(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Problem, false) => Color32::from_rgb(0xb0, 0x1e, 0x1e),
        (Severity::Problem, true) => Color32::from_rgb(0xff, 0x6b, 0x6b),
        (Severity::Warning, false) => Color32::from_rgb(0x9a, 0x5b, 0x00),
        (Severity::Warning, true) => Color32::from_rgb(0xff, 0xb3, 0x47),
        (Severity::Info, false) => Color32::from_rgb(0x1f, 0x5f, 0xa8),
        (Severity::Info, true) => Color32::from_rgb(0x7a, 0xb8, 0xff),
        (Severity::Ok, false) => Color32::from_rgb(0x1d, 0x7a, 0x35),
        (Severity::Ok, true) => Color32::from_rgb(0x6b, 0xd6, 0x86),
    }
}

/// A badge with the severity's word on its colour.
pub fn severity_badge_ui(ui: &mut Ui, severity: Severity) {
    let color = severity_color(severity, ui.visuals().dark_mode);
    let text = RichText::new(format!(" {} ", severity.label()))
        .strong()
        .color(if ui.visuals().dark_mode {
            Color32::BLACK
        } else {
            Color32::WHITE
        })
        .background_color(color);
    ui.label(text);
}

/// A small "Copy" button; returns the action that copies `value`.
pub fn copy_button_ui(ui: &mut Ui, value: &str, what: &str) -> StepAction {
    if ui
        .button("Copy")
        .on_hover_text(format!("Copy {what} to the clipboard"))
        .clicked()
    {
        StepAction::Copy(value.to_owned())
    } else {
        StepAction::None
    }
}

/// Something in a next step the user may have to type elsewhere: a command or an address.
#[must_use]
pub fn copyable_part(step: &str) -> Option<String> {
    if let Some(i) = step.find("authdoctor ") {
        return Some(step.get(i..)?.trim_end_matches('.').to_owned());
    }
    let start = step.find("https://").or_else(|| step.find("http://"))?;
    let rest = step.get(start..)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ')' || c == '"')
        .unwrap_or(rest.len());
    Some(rest.get(..end)?.trim_end_matches(['.', ',']).to_owned())
}

/// A finding as a card: badge, title, explanation, numbered next steps (with copy buttons),
/// and the evidence folded away.
pub fn finding_card_ui(ui: &mut Ui, finding: &Finding, index: usize) -> StepAction {
    let mut action = StepAction::None;
    let color = severity_color(finding.severity, ui.visuals().dark_mode);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(2.0, color))
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                severity_badge_ui(ui, finding.severity);
                ui.label(RichText::new(&finding.title).strong().size(18.0));
            });
            ui.add_space(4.0);
            ui.label(&finding.detail);
            if !finding.explanation.is_empty() {
                ui.label(RichText::new(&finding.explanation).weak());
            }
            if !finding.next_steps.is_empty() {
                ui.add_space(4.0);
                ui.label(RichText::new("What to do").strong());
                for (i, step) in finding.next_steps.iter().enumerate() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{}.", i + 1));
                        ui.label(step);
                        if let Some(value) = copyable_part(step) {
                            let a = copy_button_ui(ui, &value, &value);
                            if a != StepAction::None {
                                action = a;
                            }
                        }
                    });
                }
            }
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("Code: {}", finding.code))
                        .monospace()
                        .weak(),
                );
                let a = copy_button_ui(ui, finding.code.as_str(), "the finding code");
                if a != StepAction::None {
                    action = a;
                }
            });
            if !finding.evidence.is_empty() {
                egui::CollapsingHeader::new("Show technical details")
                    .id_salt(("evidence", finding.code.as_str(), index))
                    .show(ui, |ui| {
                        egui::Grid::new(("evidence-grid", finding.code.as_str(), index))
                            .num_columns(2)
                            .striped(true)
                            .show(ui, |ui| {
                                for e in &finding.evidence {
                                    ui.label(RichText::new(&e.label).strong());
                                    ui.label(RichText::new(&e.value).monospace());
                                    ui.end_row();
                                }
                            });
                    });
            }
        });
    action
}

/// A one-line explanation of a well-known header, shown on hover.
#[must_use]
pub fn header_help(name: &str) -> Option<&'static str> {
    Some(match name {
        "www-authenticate" => "How the site wants you to sign in (sent with every 401).",
        "proxy-authenticate" => "How a proxy on your network wants you to sign in (sent with 407).",
        "authorization" => "Your sign-in details, sent by the browser (hidden here).",
        "cookie" => "The cookies the browser sends back to the site (values hidden).",
        "set-cookie" => "A cookie the site asks the browser to store (value hidden).",
        "location" => "Where a redirect sends the browser.",
        "cache-control" => "Whether, and for how long, browsers and caches may keep a copy.",
        "expires" => "Until when a stored copy counts as fresh (older form of Cache-Control).",
        "age" => {
            "How many seconds a cache has already kept this copy: above 0 means a cache answered."
        }
        "etag" => "A version tag for the page, used to check if a stored copy is still current.",
        "last-modified" => "When the page last changed.",
        "vary" => {
            "Which request headers change the answer; caches must keep separate copies per value."
        }
        "x-cache" | "cf-cache-status" | "x-proxy-cache" | "x-cache-status" => {
            "Whether a CDN or cache served this answer from its store (HIT) or asked the site (MISS)."
        }
        "via" => "Proxies or CDNs the answer passed through.",
        "server" => "The web server software.",
        "date" => "The server's clock when it answered; far off from yours breaks tokens.",
        "retry-after" => "How long to wait before trying again.",
        "content-type" => "What kind of content the answer is (page, JSON, image…).",
        "content-length" => "Size of the answer in bytes.",
        "strict-transport-security" => "Tells browsers to use only https for this site.",
        "x-powered-by" => "The software behind the site (PHP, Express…).",
        "user-agent" => "Which program made the request.",
        "connection" => "Whether the connection stays open after this answer.",
        _ => return None,
    })
}

/// A table of headers with hover explanations.
pub fn header_table_ui(ui: &mut Ui, id: &str, headers: &[Header]) {
    egui::Grid::new(id)
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for h in headers {
                let name = ui.label(RichText::new(&h.name).monospace().strong());
                if let Some(help) = header_help(&h.name) {
                    name.on_hover_text(help);
                }
                ui.add(egui::Label::new(RichText::new(&h.value).monospace()).wrap());
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_addresses_in_steps_get_a_copy_value() {
        assert_eq!(
            copyable_part("Check it: authdoctor check https://b.example/x"),
            Some("authdoctor check https://b.example/x".to_owned())
        );
        assert_eq!(
            copyable_part("Use this corrected address from now on: https://a.example/."),
            Some("https://a.example/".to_owned())
        );
        assert_eq!(copyable_part("Clear cookies."), None);
    }
}
