//! Step 2, Cookies and cache: which of the browser's cookies would be sent and why not, whether
//! they cause the 401, what a cache or CDN did, and how to clear this site's data in each browser.

use egui::{RichText, Ui};

use crate::engine::cookies::{Browser, clear_site_data_steps};
use crate::gui::state::CheckOutcome;
use crate::gui::steps::{cards_ui, with_diagnosis_ui};
use crate::gui::table::{self, Column};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::{Step, StepAction};

/// Label of the button that leads to the cookies field.
pub const ADD_COOKIES: &str = "Add my browser's cookies…";

/// Draws the cookies and cache step.
pub fn cookies_cache_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>) -> StepAction {
    with_diagnosis_ui(ui, outcome, false, |ui, d| {
        let mut action = StepAction::None;
        widgets::heading_ui(ui, "Your browser's cookies", Level::Section);
        if d.cookies.is_empty() {
            ui.label(
                "No cookies were given. To see which of your browser's cookies would be sent, \
                 and whether one of them causes the 401, paste them on the start page or drop a \
                 cookies.txt, HAR or JSON export on this window, then check again.",
            );
            if ui.button(ADD_COOKIES).clicked() {
                action = StepAction::EnterSignIn;
            }
        } else {
            table::table_ui(
                ui,
                "Cookies given, and whether each would be sent",
                &[
                    Column::new("Cookie"),
                    Column::new("For"),
                    Column::new("Until"),
                    Column::weighted("Sent?", 1.4),
                ],
                d.cookies.len(),
                true,
                |ui, row, column| {
                    let Some(c) = d.cookies.get(row) else { return };
                    match column {
                        0 => {
                            let name = if c.looks_like_login {
                                format!("{} (sign-in)", c.name)
                            } else {
                                c.name.clone()
                            };
                            ui.label(RichText::new(name).monospace());
                        }
                        1 => {
                            ui.label(format!("{}{}", c.domain, c.path));
                        }
                        2 => {
                            ui.label(c.expires.as_deref().unwrap_or("when the browser closes"));
                        }
                        _ => {
                            if c.sent {
                                ui.label("Yes");
                            } else {
                                ui.label(format!(
                                    "No: {}",
                                    c.reason.as_deref().unwrap_or("unknown")
                                ));
                            }
                        }
                    }
                },
            );
        }
        ui.add_space(8.0);
        if let Some(cache) = &d.cache {
            widgets::heading_ui(ui, "Caches between you and the site", Level::Section);
            match (&cache.cache_name, &cache.served_from_cache) {
                (Some(name), Some(h)) => {
                    ui.label(format!(
                        "{name} answered from its store ({}: {}).",
                        h.name, h.value
                    ));
                }
                (Some(name), None) => {
                    ui.label(format!("{name} is in front of the site."));
                }
                (None, Some(h)) => {
                    ui.label(format!(
                        "A cache answered from its store ({}: {}).",
                        h.name, h.value
                    ));
                }
                (None, None) => {
                    ui.label("No cache or CDN shows in the answer.");
                }
            }
            if !cache.headers.is_empty() {
                widgets::header_table_ui(ui, "Cache headers of the answer", &cache.headers);
            }
        }
        ui.add_space(8.0);
        let a = cards_ui(ui, d, Step::CookiesCache);
        if a != StepAction::None {
            action = a;
        }
        let site = url::Url::parse(&d.url).ok();
        let host = site
            .as_ref()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let origin = site
            .as_ref()
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        // A site on an IP address or another port is only found in a browser's lists with its
        // scheme and port, as the guides below name it.
        let named = site
            .as_ref()
            .filter(|u| {
                u.port().is_some() || !matches!(u.host(), Some(url::Host::Domain(_)) | None)
            })
            .map_or_else(|| host.clone(), |_| origin.clone());
        if !host.is_empty() {
            ui.add_space(8.0);
            widgets::heading_ui(
                ui,
                format!("How to clear the cookies and cache of {named} only"),
                Level::Section,
            );
            ui.label(
                "Clearing everything signs you out of every site; these steps clear just this one.",
            );
            for browser in Browser::for_os(std::env::consts::OS) {
                let name = format!("How to clear it in {}", browser.label());
                widgets::details_ui(
                    ui,
                    browser.label(),
                    ("clear", browser.label()),
                    &name,
                    |ui| {
                        for (i, step) in clear_site_data_steps(browser, &origin).iter().enumerate()
                        {
                            ui.label(format!("{}. {step}", i + 1));
                        }
                    },
                );
            }
        }
        action
    })
}
