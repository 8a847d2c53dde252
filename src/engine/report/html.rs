//! The outline as one self-contained HTML page: no scripts, no loads from anywhere, what came
//! from outside sanitized and escaped.

use std::fmt::Write as _;

use crate::engine::finding::Finding;
use crate::engine::redact;
use crate::engine::report::outline::{self, CAUSE_HEADING, Outline, REFERENCES_HEADING, Section};

/// The report page's Content-Security-Policy: no scripts, no loads from anywhere, its own inline
/// style only.
pub const HTML_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The outline as an HTML page.
pub(super) fn render(outline: &Outline<'_>) -> String {
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
         .fact{margin:.2rem 0}\
         .finding{border:2px solid #888;border-radius:8px;padding:.5rem 1rem;margin:1rem 0;break-inside:avoid}\
         .badge{color:#fff;border-radius:4px;padding:0 .4rem;font-size:.9rem}\
         .problem{border-color:#b01e1e}.problem .badge{background:#b01e1e}\
         .warning{border-color:#9a5b00}.warning .badge{background:#9a5b00}\
         .info{border-color:#1f5fa8}.info .badge{background:#1f5fa8}\
         .ok{border-color:#1d7a35}.ok .badge{background:#1d7a35}\
         .refs{border:2px solid #1f5fa8;border-radius:8px;padding:.5rem 1rem}.why{color:#555}code{font-size:.9em;word-break:break-all}table{border-collapse:collapse}\
         th,td{text-align:left;vertical-align:top;padding:.2rem .5rem;border-bottom:1px solid #ddd}\
         @media print{details{display:block}details>summary{display:none}}\
         </style></head><body><h1>AuthDoctor report</h1>",
    );
    for section in &outline.sections {
        section_html(&mut out, section);
    }
    out.push_str("<p><small>Made with AuthDoctor ");
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str("</small></p></body></html>\n");
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

/// One line of the facts at the top: a label and its (already escaped) value.
fn fact(out: &mut String, label: &str, value: &str) {
    let _ = write!(
        out,
        "<p class=\"fact\"><strong>{}:</strong> {value}</p>",
        esc(label)
    );
}

fn section_html(out: &mut String, section: &Section<'_>) {
    match section {
        Section::Checked { url, at } => {
            fact(out, "Address", &format!("<code>{}</code>", esc(url)));
            fact(out, "Checked", &esc(at));
        }
        Section::Answer {
            status, meaning, ..
        } => fact(out, "Answer", &format!("{status}: {}", esc(meaning))),
        Section::SignedIn { result, ended_at } => {
            let _ = write!(out, "<p>{}</p>", esc(&result.summary_line()));
            if let Some(u) = ended_at {
                fact(
                    out,
                    "The signed-in request ended at",
                    &format!("<code>{}</code>", esc(u)),
                );
            }
        }
        Section::Proxy(p) => fact(
            out,
            "Through the proxy",
            &format!("<code>{}</code> (set by {})", esc(&p.url), esc(&p.source)),
        ),
        Section::Redaction(sentence) => {
            let _ = write!(out, "<p>{}</p>", esc(sentence));
        }
        Section::Redirects(hops) => {
            out.push_str("<h2>Redirects</h2><table><tr><th>#</th><th>Status</th><th>Address</th><th>Sent on to</th><th>Time</th></tr>");
            for (i, h) in hops.iter().enumerate() {
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
        }
        Section::Cause(f) => {
            let _ = write!(
                out,
                "<div class=\"cause\"><h2>{CAUSE_HEADING}: {} <code>[{}]</code></h2>",
                esc(&f.title),
                esc(f.code.as_str())
            );
            finding_body(out, f);
            out.push_str("</div>");
        }
        Section::References { references, time } => {
            let _ = write!(
                out,
                "<div class=\"refs\"><h2>{REFERENCES_HEADING}</h2><table>"
            );
            for r in &references.items {
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
                esc(time)
            );
            if let Some(ip) = &references.public_ip {
                let _ = write!(
                    out,
                    "<tr><th>Your public IP address as the site saw it</th><td colspan=\"2\"><code>{}</code></td></tr>",
                    esc(ip)
                );
            }
            out.push_str("</table></div>");
        }
        Section::Preflight(p) => {
            let _ = write!(
                out,
                "<h2>CORS preflight</h2><p>From the page <code>{}</code>: {}</p>",
                esc(&p.origin),
                esc(&p.browser_says)
            );
        }
        Section::Ntlm(n) => {
            let _ = write!(
                out,
                "<h2>Windows sign-in</h2><p>{}: target <code>{}</code>{}</p>",
                esc(&n.scheme),
                esc(&n.target_name),
                esc(&outline::ntlm_details(n))
            );
        }
        Section::Cookies(cookies) => {
            out.push_str("<h2>Cookies (values are never shown)</h2><ul>");
            for c in *cookies {
                let _ = write!(
                    out,
                    "<li><code>{}</code> (domain <code>{}</code>, path <code>{}</code>): {}</li>",
                    esc(&c.name),
                    esc(&c.domain),
                    esc(&c.path),
                    esc(&outline::cookie_verdict(c))
                );
            }
            out.push_str("</ul>");
        }
        Section::Findings { others, findings } => {
            let _ = write!(out, "<h2>{}</h2>", outline::findings_heading(*others));
            for (i, f) in findings.iter().enumerate() {
                let class = format!("{:?}", f.severity).to_ascii_lowercase();
                let _ = write!(
                    out,
                    "<section class=\"finding {class}\"><h3>{}. <span class=\"badge\">{}</span> {} <code>[{}]</code></h3>",
                    i + 1,
                    esc(f.severity.label()),
                    esc(&f.title),
                    esc(f.code.as_str())
                );
                finding_body(out, f);
                out.push_str("</section>");
            }
        }
        Section::Requests(requests) => {
            out.push_str("<h2>What AuthDoctor sent</h2><ol>");
            for r in *requests {
                let answer = match (r.status, &r.error) {
                    (Some(status), _) => status.to_string(),
                    (None, Some(error)) => esc(error),
                    (None, None) => "no answer".to_owned(),
                };
                let _ = write!(
                    out,
                    "<li>{} <code>{}</code> ({}{}): {answer}, {} ms</li>",
                    esc(&r.method),
                    esc(&r.url),
                    esc(r.purpose.words()),
                    outline::sent_with(r),
                    r.elapsed_ms
                );
            }
            out.push_str("</ol>");
        }
    }
}

/// What happened, why, what to do and the evidence of one finding.
fn finding_body(out: &mut String, f: &Finding) {
    let _ = write!(out, "<p>{}</p>", esc(&f.detail));
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
}
