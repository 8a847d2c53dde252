//! Reports a customer can save and send: the whole diagnosis as self-contained HTML, Markdown for
//! tickets and chat, or loss-free JSON (`.authdoctor.json`, versioned) that the helpdesk opens in
//! the same app. Secrets are redacted by default, and the redaction says what it removed.
//! Every human-readable form (HTML, Markdown, the terminal's text, the copied summary) renders
//! the one [`Outline`] of the diagnosis.

use std::borrow::Cow;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::diagnosis::Diagnosis;
use crate::engine::probe::{Exchange, Hop};
use crate::engine::redact::{self, address, issued};

mod html;
mod markdown;
pub mod outline;
pub mod text;

pub use html::HTML_CSP;
pub use outline::{Outline, Section};

/// Version of the report file layout. Readers accept this version and older.
pub const REPORT_VERSION: u32 = 1;

/// A report file: the diagnosis plus what the reader needs to trust it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFile {
    /// Layout version of this file ([`REPORT_VERSION`]).
    pub authdoctor_report: u32,
    /// The AuthDoctor version that wrote it.
    pub tool_version: String,
    /// True when secrets were redacted before saving.
    pub redacted: bool,
    /// The diagnosis itself.
    pub diagnosis: Diagnosis,
}

/// The three report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// One self-contained HTML page.
    Html,
    /// Markdown.
    Markdown,
    /// `.authdoctor.json`.
    Json,
}

impl Format {
    /// The format a file name asks for, by its extension.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The usual file extension.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "authdoctor.json",
        }
    }
}

/// Why a report could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not JSON, or not an AuthDoctor report.
    #[error("this file is not an AuthDoctor report ({0})")]
    NotAReport(String),
    /// Written by a newer AuthDoctor.
    #[error("this report was written by a newer AuthDoctor (report version {0}); please update")]
    TooNew(u32),
}

/// One thing the redaction removed, for the preview before saving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactedItem {
    /// Where in the report (e.g. "hops[0].url").
    pub place: String,
    /// What was removed, in words.
    pub what: String,
}

/// The removed items grouped by what was removed, with how many places each was found in, in
/// first-seen order (for the preview before saving).
#[must_use]
pub fn group_by_what(items: &[RedactedItem]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for item in items {
        match out.iter_mut().find(|(w, _)| *w == item.what) {
            Some((_, n)) => *n += 1,
            None => out.push((item.what.clone(), 1)),
        }
    }
    out
}

/// Collects what the redaction removed, by kind and place, never by value.
struct Removed {
    items: Vec<RedactedItem>,
}

impl Removed {
    /// Runs `f` on a scratch list and files what it noted under `place`.
    fn at<T>(&mut self, place: &str, f: impl FnOnce(&mut Vec<String>) -> T) -> T {
        let mut what = Vec::new();
        let out = f(&mut what);
        for w in what {
            let item = RedactedItem {
                place: place.to_owned(),
                what: w,
            };
            if !self.items.contains(&item) {
                self.items.push(item);
            }
        }
        out
    }

    fn address(&mut self, place: &str, text: &mut String) {
        let clean = self.at(place, |w| address::address_noting(text, w));
        if clean != *text {
            *text = clean;
        }
    }

    fn text(&mut self, place: &str, text: &mut String) {
        if let Cow::Owned(v) = self.at(place, |w| issued::text(text, w)) {
            *text = v;
        }
    }

    fn exchange(&mut self, place: &str, e: &mut Exchange) {
        self.address(&format!("{place}.url"), &mut e.url);
        for (list, name) in [
            (&mut e.request_headers, "request_headers"),
            (&mut e.headers, "headers"),
        ] {
            for (i, h) in list.iter_mut().enumerate() {
                let here = format!("{place}.{name}[{i}]");
                if let Some(v) = self.at(&here, |w| issued::header(h, w)) {
                    h.value = v;
                }
            }
        }
        let here = format!("{place}.body_excerpt");
        if let Cow::Owned(v) = self.at(&here, |w| issued::body(&e.body_excerpt, w)) {
            e.body_excerpt = v;
        }
    }

    fn hops(&mut self, place: &str, hops: &mut [Hop]) {
        for (i, h) in hops.iter_mut().enumerate() {
            self.address(&format!("{place}[{i}].url"), &mut h.url);
            if let Some(l) = &mut h.location {
                self.address(&format!("{place}[{i}].location"), l);
            }
        }
    }
}

/// The diagnosis with what the server handed out removed (cookie values it set, session and
/// token headers, secret fields in bodies, token signatures, secret address parameters), and the
/// list of what was removed, by kind. The user's own passwords, tokens and cookie values never
/// reach a diagnosis in the first place. Only values from outside are touched: AuthDoctor's own
/// sentences are left as they are, apart from the addresses they name.
#[must_use]
pub fn redact(diagnosis: &Diagnosis) -> (Diagnosis, Vec<RedactedItem>) {
    let mut d = diagnosis.clone();
    let mut removed = Removed { items: Vec::new() };
    // What the check itself already removed from everything it shows.
    for what in &d.redacted {
        removed.items.push(RedactedItem {
            place: "the check".to_owned(),
            what: what.clone(),
        });
    }
    removed.address("url", &mut d.url);
    if let Some(u) = &mut d.final_url {
        removed.address("final_url", u);
    }
    removed.hops("hops", &mut d.hops);
    for (i, e) in d.exchanges.iter_mut().enumerate() {
        removed.exchange(&format!("exchanges[{i}]"), e);
    }
    if let Some(c) = &mut d.credentials {
        removed.address("credentials.url", &mut c.url);
        removed.hops("credentials.hops", &mut c.hops);
        if let Some(answer) = &mut c.answer {
            removed.exchange("credentials.answer", answer);
        }
    }
    for (i, c) in d
        .challenges
        .iter_mut()
        .chain(&mut d.proxy_challenges)
        .enumerate()
    {
        for (name, value) in &mut c.params {
            removed.text(&format!("challenges[{i}].{name}"), value);
        }
    }
    for (i, f) in d.findings.iter_mut().enumerate() {
        let place = format!("findings[{i}]");
        removed.text(&format!("{place}.title"), &mut f.title);
        removed.text(&format!("{place}.detail"), &mut f.detail);
        for s in &mut f.next_steps {
            removed.text(&format!("{place}.next_steps"), s);
        }
        for (j, e) in f.evidence.iter_mut().enumerate() {
            removed.text(&format!("{place}.evidence[{j}]"), &mut e.value);
        }
    }
    removed.at("the whole report", |w| {
        redact::addresses_everywhere(&mut d, w);
    });
    (d, removed.items)
}

/// What a saved report keeps of the secret values the site sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redaction {
    /// The default: the site's secret values are removed before saving.
    Redacted,
    /// The warned opt-out: the site's values are kept (the user's own secrets never are).
    SiteValuesKept,
}

impl Redaction {
    /// The choice of the save dialog's and the CLI's "keep secrets" option.
    #[must_use]
    pub fn from_keep_secrets(keep_secrets: bool) -> Self {
        if keep_secrets {
            Self::SiteValuesKept
        } else {
            Self::Redacted
        }
    }

    /// The sentence the report carries about what it keeps.
    #[must_use]
    pub fn sentence(self) -> &'static str {
        match self {
            Self::Redacted => KEPT_SENTENCE,
            Self::SiteValuesKept => KEPT_SECRETS_SENTENCE,
        }
    }
}

/// Writes the report in a format, with the site's secret values removed or kept as `redaction`
/// says (the user's own are never in it).
#[must_use]
pub fn render(diagnosis: &Diagnosis, format: Format, redaction: Redaction) -> String {
    let d = match redaction {
        Redaction::Redacted => redact(diagnosis).0,
        Redaction::SiteValuesKept => diagnosis.clone(),
    };
    match format {
        Format::Json => {
            let file = ReportFile {
                authdoctor_report: REPORT_VERSION,
                tool_version: env!("CARGO_PKG_VERSION").to_owned(),
                redacted: redaction == Redaction::Redacted,
                diagnosis: d,
            };
            match serde_json::to_string_pretty(&file) {
                Ok(text) => redact::json_for_terminal(text),
                // Fail closed: never a half-written file that might hold what was not redacted.
                Err(e) => format!(
                    "{{\"authdoctor_report\": {REPORT_VERSION}, \"error\": \"the report could not be written: {}\"}}",
                    e.to_string().replace(['"', '\\'], "'")
                ),
            }
        }
        Format::Markdown => markdown::render(&Outline::report(&d, redaction)),
        Format::Html => html::render(&Outline::report(&d, redaction)),
    }
}

/// Reads a `.authdoctor.json` report.
pub fn load(text: &str) -> Result<ReportFile, ReportError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ReportError::NotAReport(e.to_string()))?;
    let version = value
        .get("authdoctor_report")
        .and_then(Value::as_u64)
        .ok_or_else(|| ReportError::NotAReport("no authdoctor_report version".to_owned()))?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > REPORT_VERSION {
        return Err(ReportError::TooNew(version));
    }
    serde_json::from_value(value).map_err(|e| ReportError::NotAReport(e.to_string()))
}

/// What is never in a report, whatever the choice when saving: the save dialog and every report
/// say it in these words.
pub const NEVER_KEPT: &str = "Your password, token and cookie values are never in a report.";

/// The sentence every report carries about what it keeps: the same words as the save dialog.
pub const KEPT_SENTENCE: &str = "Your password, token and cookie values are never in a report. \
     Secret address parameters and the secret values the site sent (cookies it set, session and \
     token headers and fields, token signatures) are removed too.";

/// The sentence of a report saved with `keep_secrets`.
pub const KEPT_SECRETS_SENTENCE: &str = "Your password, token and cookie values are never in a \
     report. This one keeps the secret values the site sent in its headers and pages: do not \
     send it to anyone.";

/// The save dialog's choice to keep what the site sent ([`KEPT_SECRETS_SENTENCE`]).
pub const KEEP_ISSUED_LABEL: &str =
    "Keep the values the site sent in its headers and pages (never your password)";

#[cfg(test)]
mod tests;
