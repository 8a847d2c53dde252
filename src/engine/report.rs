//! Reports a customer can save and send: the whole diagnosis as self-contained HTML, Markdown for
//! tickets and chat, or loss-free JSON (`.authdoctor.json`, versioned) that the helpdesk opens in
//! the same app. Secrets are redacted by default, and the redaction says what it removed.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::diagnosis::{Diagnosis, status_meaning};
use crate::engine::finding::Finding;
use crate::engine::redact::is_secret_param;
use crate::engine::secret::REDACTED;

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

/// Compiles a constant pattern once.
#[expect(
    clippy::expect_used,
    reason = "constant patterns, compiled by the unit tests"
)]
fn compiled(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid constant pattern"))
}

fn jwt_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(
        &RE,
        r"\b(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,})\.[A-Za-z0-9_-]{8,}",
    )
}

fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(&RE, r#"(?:https?://|/)[^\s"'<>]*\?[^\s"'<>]+"#)
}

fn key_value_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // "access_token": "…", api_key=…, password: … — a secret-sounding key with a value of 6+
    // token characters.
    compiled(
        &RE,
        r#"(?i)("?(?:access_token|refresh_token|id_token|client_secret|api[_-]?key|apikey|secret|password|passwd|token|session_?id|auth)"?\s*[:=]\s*"?)([A-Za-z0-9._~+/=-]{6,})"#,
    )
}

/// Redacts one piece of text; appends what it removed to `found`.
#[must_use]
pub fn redact_text(text: &str, place: &str, found: &mut Vec<RedactedItem>) -> String {
    let mut out = text.to_owned();
    if jwt_regex().is_match(&out) {
        out = jwt_regex()
            .replace_all(&out, format!("$1.{REDACTED}"))
            .into_owned();
        found.push(RedactedItem {
            place: place.to_owned(),
            what: "the signature of a token (its header and claims are kept)".to_owned(),
        });
    }
    let mut url_items = Vec::new();
    out = url_regex()
        .replace_all(&out, |caps: &regex::Captures<'_>| {
            let whole = caps.get(0).map_or("", |m| m.as_str());
            redact_query(whole, &mut url_items)
        })
        .into_owned();
    for name in url_items {
        found.push(RedactedItem {
            place: place.to_owned(),
            what: format!("the value of the address parameter \"{name}\""),
        });
    }
    let mut kv_names = Vec::new();
    out = key_value_regex()
        .replace_all(&out, |caps: &regex::Captures<'_>| {
            let prefix = caps.get(1).map_or("", |m| m.as_str());
            kv_names.push(prefix.trim_matches(['"', ':', '=', ' ']).to_owned());
            format!("{prefix}{REDACTED}")
        })
        .into_owned();
    for name in kv_names {
        found.push(RedactedItem {
            place: place.to_owned(),
            what: format!("the value of \"{name}\""),
        });
    }
    out
}

fn redact_query(url_text: &str, names: &mut Vec<String>) -> String {
    let Some((base, query)) = url_text.split_once('?') else {
        return url_text.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value))
                if is_secret_param(name) && !value.is_empty() && !value.contains("redacted") =>
            {
                names.push(name.to_owned());
                format!("{name}=%28redacted%29")
            }
            _ => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
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

fn redact_value(value: &mut Value, place: &str, found: &mut Vec<RedactedItem>) {
    match value {
        Value::String(s) => {
            let r = redact_text(s, place, found);
            *s = r;
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                redact_value(v, &format!("{place}[{i}]"), found);
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let child = if place.is_empty() {
                    k.clone()
                } else {
                    format!("{place}.{k}")
                };
                redact_value(v, &child, found);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The diagnosis with secrets removed (secret-looking address parameters, token signatures,
/// secret values in bodies), and the list of what was removed. Passwords, `Authorization` and
/// cookie values never reach a diagnosis in the first place.
#[must_use]
pub fn redact(diagnosis: &Diagnosis) -> (Diagnosis, Vec<RedactedItem>) {
    let mut found = Vec::new();
    let Ok(mut value) = serde_json::to_value(diagnosis) else {
        return (diagnosis.clone(), found);
    };
    redact_value(&mut value, "", &mut found);
    found.dedup();
    let redacted = serde_json::from_value(value).unwrap_or_else(|_| diagnosis.clone());
    (redacted, found)
}

/// Writes the report in a format; redacts unless `keep_secrets` (the warned opt-out).
#[must_use]
pub fn render(diagnosis: &Diagnosis, format: Format, keep_secrets: bool) -> String {
    let (d, redacted) = if keep_secrets {
        (diagnosis.clone(), false)
    } else {
        (redact(diagnosis).0, true)
    };
    match format {
        Format::Json => {
            let file = ReportFile {
                authdoctor_report: REPORT_VERSION,
                tool_version: env!("CARGO_PKG_VERSION").to_owned(),
                redacted,
                diagnosis: d,
            };
            serde_json::to_string_pretty(&file).unwrap_or_default()
        }
        Format::Markdown => markdown(&d, redacted),
        Format::Html => html(&d, redacted),
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

fn markdown(d: &Diagnosis, redacted: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# AuthDoctor report\n");
    let _ = writeln!(out, "- **Address:** {}", d.url);
    if let Some(status) = d.status {
        let _ = writeln!(out, "- **Answer:** {status} ({})", status_meaning(status));
    }
    let _ = writeln!(out, "- **Checked:** {}", d.checked_at);
    if redacted {
        let _ = writeln!(
            out,
            "- Passwords, tokens and cookie values are removed from this report."
        );
    }
    if let Some(f) = d.likely_finding() {
        let _ = writeln!(
            out,
            "\n## Most likely cause: {} `[{}]`\n\n{}\n",
            f.title, f.code, f.detail
        );
    }
    if !d.references.is_empty() {
        let _ = writeln!(out, "## Give this to the site's owner\n");
        for r in &d.references.items {
            let _ = writeln!(
                out,
                "- {}: `{}` ({}, answer {} from {})",
                r.label,
                r.value.replace('`', "'"),
                r.source,
                r.status,
                r.url
            );
        }
        let _ = writeln!(
            out,
            "- Time: {}",
            d.references.site_time.as_deref().unwrap_or(&d.checked_at)
        );
        if let Some(ip) = &d.references.public_ip {
            let _ = writeln!(out, "- Public IP address as the site saw it: `{ip}`");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Findings\n");
    for (i, f) in d.findings.iter().enumerate() {
        let _ = writeln!(
            out,
            "### {}. {}: {} `[{}]`\n\n{}\n",
            i + 1,
            f.severity.label(),
            f.title,
            f.code,
            f.detail
        );
        for (n, s) in f.next_steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {s}", n + 1);
        }
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "\n<details><summary>Technical details</summary>\n");
            for e in &f.evidence {
                let _ = writeln!(out, "- {}: `{}`", e.label, e.value.replace('`', "'"));
            }
            let _ = writeln!(out, "\n</details>");
        }
        out.push('\n');
    }
    if !d.hops.is_empty() {
        let _ = writeln!(
            out,
            "## Requests\n\n| # | Status | Address | Sent on to | Time |\n|---|---|---|---|---|"
        );
        for (i, h) in d.hops.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} ms |",
                i + 1,
                h.status,
                h.url.replace('|', "%7C"),
                h.location.as_deref().unwrap_or("").replace('|', "%7C"),
                h.elapsed_ms
            );
        }
    }
    out
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn finding_html(out: &mut String, f: &Finding) {
    let class = format!("{:?}", f.severity).to_ascii_lowercase();
    let _ = write!(
        out,
        "<section class=\"finding {class}\"><h3><span class=\"badge\">{}</span> {} <code>[{}]</code></h3><p>{}</p>",
        esc(f.severity.label()),
        esc(&f.title),
        esc(f.code.as_str()),
        esc(&f.detail)
    );
    if !f.explanation.is_empty() {
        let _ = write!(out, "<p class=\"why\">{}</p>", esc(&f.explanation));
    }
    if !f.next_steps.is_empty() {
        out.push_str("<h4>What to do</h4><ol>");
        for s in &f.next_steps {
            let _ = write!(out, "<li>{}</li>", esc(s));
        }
        out.push_str("</ol>");
    }
    if !f.evidence.is_empty() {
        out.push_str("<details><summary>Technical details</summary><table>");
        for e in &f.evidence {
            let _ = write!(
                out,
                "<tr><th>{}</th><td><code>{}</code></td></tr>",
                esc(&e.label),
                esc(&e.value)
            );
        }
        out.push_str("</table></details>");
    }
    out.push_str("</section>");
}

fn html(d: &Diagnosis, redacted: bool) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>AuthDoctor report</title><style>\
         body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}\
         h1{font-size:1.8rem}.cause{border:3px solid #b01e1e;border-radius:8px;padding:1rem;margin:1rem 0}\
         .finding{border:2px solid #888;border-radius:8px;padding:.5rem 1rem;margin:1rem 0;break-inside:avoid}\
         .badge{color:#fff;border-radius:4px;padding:0 .4rem;font-size:.9rem}\
         .problem{border-color:#b01e1e}.problem .badge{background:#b01e1e}\
         .warning{border-color:#9a5b00}.warning .badge{background:#9a5b00}\
         .info{border-color:#1f5fa8}.info .badge{background:#1f5fa8}\
         .ok{border-color:#1d7a35}.ok .badge{background:#1d7a35}\
         .refs{border:2px solid #1f5fa8;border-radius:8px;padding:.5rem 1rem}.why{color:#555}code{font-size:.9em;word-break:break-all}table{border-collapse:collapse}\
         th,td{text-align:left;vertical-align:top;padding:.2rem .5rem;border-bottom:1px solid #ddd}\
         @media print{details{display:block}details>summary{display:none}}\
         </style></head><body>",
    );
    let _ = write!(
        out,
        "<h1>AuthDoctor report</h1><p><strong>Address:</strong> <code>{}</code>",
        esc(&d.url)
    );
    if let Some(status) = d.status {
        let _ = write!(
            out,
            "<br><strong>Answer:</strong> {status}: {}",
            esc(status_meaning(status))
        );
    }
    let _ = write!(
        out,
        "<br><strong>Checked:</strong> {}</p>",
        esc(&d.checked_at)
    );
    if redacted {
        out.push_str("<p>Passwords, tokens and cookie values are removed from this report.</p>");
    }
    if let Some(f) = d.likely_finding() {
        let _ = write!(
            out,
            "<div class=\"cause\"><h2>Most likely cause: {}</h2><p>{}</p></div>",
            esc(&f.title),
            esc(&f.detail)
        );
    }
    if !d.references.is_empty() {
        out.push_str("<div class=\"refs\"><h2>Give this to the site's owner</h2><table>");
        for r in &d.references.items {
            let _ = write!(
                out,
                "<tr><th>{}</th><td><code>{}</code></td><td>{} of the {} answer from <code>{}</code></td></tr>",
                esc(&r.label),
                esc(&r.value),
                esc(&r.source),
                r.status,
                esc(&r.url)
            );
        }
        let _ = write!(
            out,
            "<tr><th>Time</th><td colspan=\"2\">{}</td></tr>",
            esc(d.references.site_time.as_deref().unwrap_or(&d.checked_at))
        );
        if let Some(ip) = &d.references.public_ip {
            let _ = write!(
                out,
                "<tr><th>Your public IP address as the site saw it</th><td colspan=\"2\"><code>{}</code></td></tr>",
                esc(ip)
            );
        }
        out.push_str("</table></div>");
    }
    out.push_str("<h2>Findings</h2>");
    for f in &d.findings {
        finding_html(&mut out, f);
    }
    if !d.hops.is_empty() {
        out.push_str("<details><summary>Requests and answers (technical details)</summary><table><tr><th>#</th><th>Status</th><th>Address</th><th>Sent on to</th><th>Time</th></tr>");
        for (i, h) in d.hops.iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{} ms</td></tr>",
                i + 1,
                h.status,
                esc(&h.url),
                esc(h.location.as_deref().unwrap_or("")),
                h.elapsed_ms
            );
        }
        out.push_str("</table>");
        for e in &d.exchanges {
            let _ = write!(out, "<h4>{} {}</h4><table>", e.status, esc(&e.url));
            for h in e.request_headers.iter().chain(&e.headers) {
                let _ = write!(
                    out,
                    "<tr><th>{}</th><td><code>{}</code></td></tr>",
                    esc(&h.name),
                    esc(&h.value)
                );
            }
            out.push_str("</table>");
        }
        out.push_str("</details>");
    }
    out.push_str("<p><small>Made with AuthDoctor ");
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str("</small></p></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_signatures_and_secret_parameters_are_removed_and_listed() {
        let mut found = Vec::new();
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";
        let text = format!(
            "see https://a.example/cb?code=abc123secret&state=ok and {jwt} and {{\"access_token\": \"tok_live_998877\"}}"
        );
        let out = redact_text(&text, "body", &mut found);
        assert!(!out.contains("abc123secret"), "{out}");
        assert!(!out.contains("c2lnbmF0dXJlLXNlY3JldA"), "{out}");
        assert!(
            out.contains("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"),
            "claims are kept: {out}"
        );
        assert!(!out.contains("tok_live_998877"), "{out}");
        assert!(out.contains("state=ok"));
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn a_report_round_trips_through_json() {
        let d = Diagnosis {
            url: "https://example.com/".to_owned(),
            status: Some(401),
            ..Diagnosis::default()
        };
        let text = render(&d, Format::Json, false);
        let back = load(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.diagnosis, d);
        assert!(back.redacted);
        assert!(matches!(
            load("{\"authdoctor_report\": 99}"),
            Err(ReportError::TooNew(99))
        ));
        assert!(matches!(load("not json"), Err(ReportError::NotAReport(_))));
    }

    #[test]
    fn html_escapes_what_the_server_said() {
        let d = Diagnosis {
            url: "https://example.com/<script>".to_owned(),
            ..Diagnosis::default()
        };
        let page = render(&d, Format::Html, false);
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;"));
    }
}
