//! Reports a customer can save and send: the whole diagnosis as self-contained HTML, Markdown for
//! tickets and chat, or loss-free JSON (`.authdoctor.json`, versioned) that the helpdesk opens in
//! the same app. Secrets are redacted by default, and the redaction says what it removed.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::diagnosis::{Diagnosis, status_meaning};
use crate::engine::finding::Finding;
use crate::engine::probe::{Exchange, Hop};
use crate::engine::redact::{self, address, issued};

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
enum Redaction {
    /// The default: the site's secret values are removed before saving.
    Redacted,
    /// The warned opt-out: the site's values are kept (the user's own secrets never are).
    SiteValuesKept,
}

impl Redaction {
    /// The choice of the save dialog's and the CLI's "keep secrets" option.
    #[must_use]
    fn from_keep_secrets(keep_secrets: bool) -> Self {
        if keep_secrets {
            Self::SiteValuesKept
        } else {
            Self::Redacted
        }
    }

    /// The sentence the report carries about what it keeps.
    fn sentence(self) -> &'static str {
        match self {
            Self::Redacted => KEPT_SENTENCE,
            Self::SiteValuesKept => KEPT_SECRETS_SENTENCE,
        }
    }
}

/// Writes the report in a format; redacts unless `keep_secrets` (the warned opt-out).
#[must_use]
pub fn render(diagnosis: &Diagnosis, format: Format, keep_secrets: bool) -> String {
    let redaction = Redaction::from_keep_secrets(keep_secrets);
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
        Format::Markdown => markdown(&d, redaction),
        Format::Html => html(&d, redaction),
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

fn markdown(d: &Diagnosis, redaction: Redaction) -> String {
    use redact::{markdown as md, markdown_code as code};
    let mut out = String::new();
    let _ = writeln!(out, "# AuthDoctor report\n");
    let _ = writeln!(out, "- **Address:** {}", code(&d.url));
    if let Some(status) = d.status {
        let _ = writeln!(
            out,
            "- **Answer:** {status} ({})",
            md(status_meaning(status))
        );
    }
    let _ = writeln!(out, "- **Checked:** {}", md(&d.checked_at));
    let _ = writeln!(out, "- {}", md(redaction.sentence()));
    if let Some(f) = d.likely_finding() {
        let _ = writeln!(
            out,
            "\n## Most likely cause: {} `[{}]`\n\n{}\n",
            md(&f.title),
            f.code,
            md(&f.detail)
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
            md(&f.title),
            f.code,
            md(&f.detail)
        );
        for (n, s) in f.next_steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", n + 1, md(s));
        }
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "\n<details><summary>Technical details</summary>\n");
            for e in &f.evidence {
                let _ = writeln!(out, "- {}: {}", md(&e.label), code(&e.value));
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
                md(&h.url),
                md(h.location.as_deref().unwrap_or("")),
                h.elapsed_ms
            );
        }
    }
    out
}

/// Outside text for HTML: sanitized as the terminal shows it (line breaks kept: HTML shows them
/// as spaces), then HTML-escaped.
fn esc(text: &str) -> String {
    let safe = redact::shown_lines(text);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
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

/// The report page's Content-Security-Policy: no scripts, no loads from anywhere, its own inline
/// style only.
pub const HTML_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

fn html(d: &Diagnosis, redaction: Redaction) -> String {
    let mut out = String::from("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{HTML_CSP}\">"
    );
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width\">\
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
    let _ = write!(out, "<p>{}</p>", esc(redaction.sentence()));
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

    fn exchange_with(headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange::for_test(
            "https://a.example/cb?code=abc123secret&state=ok",
            401,
            headers,
            body,
        )
    }

    #[test]
    fn what_the_server_handed_out_is_removed_and_listed_by_kind() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";
        let d = Diagnosis {
            url: "https://a.example/cb?code=abc123secret&state=ok".to_owned(),
            exchanges: vec![exchange_with(
                &[
                    ("x-subject-token", "keystone-998877"),
                    ("set-cookie", "sid=server-set-4455; Path=/"),
                    ("x-amz-security-token", "IQoJb3JpZ2luX2Vj"),
                ],
                &format!("{{\"access_token\": \"tok_live_998877\", \"id\": \"{jwt}\"}}"),
            )],
            ..Diagnosis::default()
        };
        let (clean, removed) = redact(&d);
        let text = serde_json::to_string(&clean).unwrap_or_else(|e| panic!("{e}"));
        for secret in [
            "abc123secret",
            "keystone-998877",
            "server-set-4455",
            "IQoJb3JpZ2luX2Vj",
            "tok_live_998877",
            "c2lnbmF0dXJlLXNlY3JldA",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(
            text.contains("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0"),
            "claims are kept"
        );
        assert!(text.contains("state=ok"));
        let listed = format!("{removed:?}");
        assert!(
            !listed.contains("998877") && !listed.contains("abc123"),
            "{listed}"
        );
        let kinds: Vec<String> = group_by_what(&removed)
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert_eq!(kinds.len(), 6, "{kinds:?}");
    }

    #[test]
    fn every_report_says_in_the_same_words_what_it_never_keeps() {
        assert!(KEPT_SENTENCE.starts_with(NEVER_KEPT));
        assert!(KEPT_SECRETS_SENTENCE.starts_with(NEVER_KEPT));
    }

    #[test]
    fn our_own_sentences_are_never_scrubbed() {
        let mut f = Finding::new(
            crate::engine::Code::AuthRequired,
            "Ask the site's administrator; password: capital letters and a token are needed.",
        );
        f = f.evidence("Status", "401");
        let d = Diagnosis {
            findings: vec![f.clone()],
            ..Diagnosis::default()
        };
        let (clean, removed) = redact(&d);
        assert_eq!(clean.findings, vec![f]);
        assert!(removed.is_empty(), "{removed:?}");
    }

    #[test]
    fn markdown_keeps_a_servers_link_as_text_and_html_allows_no_script() {
        let f = Finding::new(
            crate::engine::Code::AuthRequired,
            "The site asks for a sign-in for the protected area \"[Click here](https://evil.example/reset)\".",
        )
        .evidence("Realm", "x` <b>y</b> ``z");
        let d = Diagnosis {
            url: "https://a.example/".to_owned(),
            findings: vec![f],
            ..Diagnosis::default()
        };
        let md = render(&d, Format::Markdown, false);
        assert!(!md.contains("[Click here]("), "{md}");
        assert!(md.contains("```x` <b>y</b> ``z```"), "{md}");
        let page = render(&d, Format::Html, false);
        assert!(page.contains(HTML_CSP));
        assert!(!page.contains("<script"));
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
