//! Step 2, Cookies and cache: what the site said about cookies and caching. The import and
//! matching of the browser's own cookies, and the cache re-test, are not built yet, so this step
//! shows the real headers it has and says what it will check.

use egui::{RichText, Ui};

use crate::engine::probe::Header;
use crate::gui::app::CheckOutcome;
use crate::gui::steps::{coming_ui, with_diagnosis_ui};
use crate::gui::widgets;
use crate::gui::wizard::StepAction;

const CACHE_HEADERS: &[&str] = &[
    "set-cookie",
    "cache-control",
    "expires",
    "age",
    "etag",
    "last-modified",
    "vary",
    "x-cache",
    "x-cache-status",
    "cf-cache-status",
    "x-served-by",
    "via",
    "x-proxy-cache",
];

/// Draws the cookies and cache step.
pub fn cookies_cache_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>) -> StepAction {
    with_diagnosis_ui(ui, outcome, false, |ui, d| {
        let relevant: Vec<Header> = d
            .exchanges
            .last()
            .map(|e| {
                e.headers
                    .iter()
                    .filter(|h| CACHE_HEADERS.contains(&h.name.as_str()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        ui.label(
            RichText::new("What the site said about cookies and caching")
                .strong()
                .size(16.0),
        );
        if relevant.is_empty() {
            ui.label("The final answer set no cookies and carried no cache headers.");
        } else {
            widgets::header_table_ui(ui, "cache-headers", &relevant);
        }
        ui.add_space(10.0);
        coming_ui(
            ui,
            &[
                "the cookies your browser would send (paste them, or import a cookies.txt, HAR or JSON file), and which are expired or shadowed",
                "whether your cookies cause the 401 (the request is made with and without them)",
                "whether a cache or CDN answered with a stored 401",
                "how to clear this site's cookies and cache in Chrome, Edge, Firefox and Safari",
            ],
        );
        StepAction::None
    })
}
