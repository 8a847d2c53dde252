//! Reusable pieces of the wizard: severity badge, copy button, finding card, header table.

use egui::accesskit::{Live, Role, Toggled};
use egui::{Response, RichText, Ui};

use crate::engine::probe::Header;
use crate::engine::{Finding, Severity};
use crate::gui::table::{self, Column};
use crate::gui::theme::badge_text_color;
pub use crate::gui::theme::severity_color;
use crate::gui::wizard::StepAction;

/// How deep a heading is: the page title, a section, or a card in a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The page's title ("Step 2 of 5: Cookies and cache").
    Page = 1,
    /// A section of the page ("Most likely cause", "Your browser's cookies").
    Section = 2,
    /// A card or a part of a section (a finding's title).
    Card = 3,
}

impl Level {
    fn size(self) -> f32 {
        match self {
            Level::Page => 24.0,
            Level::Section => 18.0,
            Level::Card => 17.0,
        }
    }
}

/// A heading: bold text that screen readers announce as a heading of `level` and that can take the
/// keyboard focus (the app puts it there when a new page opens).
pub fn heading_ui(ui: &mut Ui, text: impl Into<String>, level: Level) -> Response {
    heading_sized_ui(ui, text, level, level.size())
}

/// A heading with its own text size (the start page's title, helpdesk mode).
pub fn heading_sized_ui(ui: &mut Ui, text: impl Into<String>, level: Level, size: f32) -> Response {
    let text = text.into();
    let response = ui.add(
        egui::Label::new(RichText::new(&text).size(size).strong())
            .wrap()
            .sense(egui::Sense::focusable_noninteractive()),
    );
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(Role::Heading);
        node.set_level(level as usize);
        node.clear_value();
        node.set_label(text);
    });
    response
}

/// Makes an already drawn label a heading of `level` named `text` (for a label with its own
/// colour or layout).
pub fn make_heading(ui: &Ui, response: &Response, text: &str, level: Level) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(Role::Heading);
        node.set_level(level as usize);
        node.clear_value();
        node.set_label(text.to_owned());
    });
}

/// Marks a label as a polite live region: a screen reader reads it out whenever it changes.
pub fn make_live(ui: &Ui, response: &Response) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_live(Live::Polite);
    });
}

/// A badge with the severity's word on its colour.
pub fn severity_badge_ui(ui: &mut Ui, severity: Severity) {
    let dark = ui.visuals().dark_mode;
    let text = RichText::new(format!(" {} ", severity.label()))
        .strong()
        .color(badge_text_color(dark))
        .background_color(severity_color(severity, dark));
    ui.label(text);
}

/// A small "Copy" button whose accessible name says what it copies (`name`, e.g. "Copy the
/// address checked"), so a screen reader can tell the page's copy buttons apart.
pub fn copy_button_ui(ui: &mut Ui, value: &str, name: &str) -> StepAction {
    let response = ui
        .button("Copy")
        .on_hover_text(format!("{name} to the clipboard"));
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_label(name.to_owned());
    });
    if response.clicked() {
        StepAction::Copy(value.to_owned())
    } else {
        StepAction::None
    }
}

/// The accessible name of a copy button for `value`: the value itself, shortened.
#[must_use]
pub fn copy_name(value: &str) -> String {
    const MAX_CHARS: usize = 60;
    if value.chars().count() > MAX_CHARS {
        let short: String = value.chars().take(MAX_CHARS).collect();
        format!("Copy \"{short}…\"")
    } else {
        format!("Copy \"{value}\"")
    }
}

/// A section that opens and closes, whose state a screen reader hears: expanded on platforms
/// that have it, and on Linux (AT-SPI) as a pressed toggle button. `name` tells it apart from
/// others with the same visible text (e.g. the title of the card it belongs to). Its title wraps
/// in a narrow window.
pub fn details_ui<R>(
    ui: &mut Ui,
    text: &str,
    id_salt: impl egui::AsIdSalt,
    name: &str,
    body: impl FnOnce(&mut Ui) -> R,
) -> Option<R> {
    let id = ui.make_persistent_id(id_salt);
    let mut open = ui.data(|d| d.get_temp::<bool>(id)).unwrap_or(false);
    let arrow = if open { "▾" } else { "▸" };
    let response = ui.add(
        egui::Button::new(RichText::new(format!("{arrow} {text}")).strong())
            .frame(false)
            .wrap(),
    );
    if response.clicked() {
        open = !open;
        ui.data_mut(|d| d.insert_temp(id, open));
    }
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(Role::DisclosureTriangle);
        node.set_label(name.to_owned());
        node.set_expanded(open);
        node.set_toggled(if open { Toggled::True } else { Toggled::False });
    });
    open.then(|| ui.indent(id, body).inner)
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

/// A finding as a card: badge, title (a heading), explanation, numbered next steps (with copy
/// buttons), and the evidence folded away.
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
                heading_ui(ui, &finding.title, Level::Card);
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
                        ui.add(egui::Label::new(step).wrap());
                        if let Some(value) = copyable_part(step) {
                            let a = copy_button_ui(ui, &value, &copy_name(&value));
                            if a != StepAction::None {
                                action = a;
                            }
                        }
                    });
                }
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("Code: {}", finding.code))
                        .monospace()
                        .weak(),
                );
                let name = format!("Copy the code {}", finding.code);
                let a = copy_button_ui(ui, finding.code.as_str(), &name);
                if a != StepAction::None {
                    action = a;
                }
            });
            if !finding.evidence.is_empty() {
                let name = format!("Show technical details of \"{}\"", finding.title);
                details_ui(
                    ui,
                    "Show technical details",
                    ("evidence", finding.code.as_str(), index),
                    &name,
                    |ui| {
                        table::table_ui(
                            ui,
                            &format!("Technical details of \"{}\"", finding.title),
                            &[Column::new("What"), Column::weighted("Value", 2.5)],
                            finding.evidence.len(),
                            false,
                            |ui, row, column| {
                                let Some(e) = finding.evidence.get(row) else {
                                    return;
                                };
                                if column == 0 {
                                    ui.label(RichText::new(&e.label).strong());
                                } else {
                                    ui.label(RichText::new(&e.value).monospace());
                                }
                            },
                        );
                    },
                );
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

/// A table of headers, each with what it means written next to it (not only on hover).
pub fn header_table_ui(ui: &mut Ui, name: &str, headers: &[Header]) {
    table::table_ui(
        ui,
        name,
        &[
            Column::new("Header"),
            Column::weighted("Value", 2.0),
            Column::weighted("What it means", 1.6),
        ],
        headers.len(),
        true,
        |ui, row, column| {
            let Some(h) = headers.get(row) else {
                return;
            };
            match column {
                0 => {
                    ui.label(RichText::new(&h.name).monospace().strong());
                }
                1 => {
                    ui.label(RichText::new(&h.value).monospace());
                }
                _ => {
                    ui.label(RichText::new(header_help(&h.name).unwrap_or("")).weak());
                }
            }
        },
    );
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
