//! The outline as Markdown, for tickets and chat. What came from outside is escaped so that it
//! stays text: a server's link never becomes a link.

use std::fmt::Write as _;

use crate::engine::finding::Finding;
use crate::engine::redact::{markdown as md, markdown_code as code};
use crate::engine::report::outline::{self, CAUSE_HEADING, Outline, REFERENCES_HEADING, Section};

/// The outline as a Markdown document.
pub(super) fn render(outline: &Outline<'_>) -> String {
    let mut out = String::from("# AuthDoctor report\n\n");
    for section in &outline.sections {
        section_md(&mut out, section);
    }
    out
}

fn section_md(out: &mut String, section: &Section<'_>) {
    match section {
        Section::Checked { url, at } => {
            let _ = writeln!(out, "- **Address:** {}", code(url));
            let _ = writeln!(out, "- **Checked:** {}", md(at));
        }
        Section::Answer {
            status, meaning, ..
        } => {
            let _ = writeln!(out, "- **Answer:** {status} ({})", md(meaning));
        }
        Section::SignedIn { result, ended_at } => {
            let _ = writeln!(out, "- {}", md(&result.summary_line()));
            if let Some(u) = ended_at {
                let _ = writeln!(out, "- **The signed-in request ended at:** {}", code(u));
            }
        }
        Section::Proxy(p) => {
            let _ = writeln!(
                out,
                "- **Through the proxy:** {} (set by {})",
                code(&p.url),
                md(&p.source)
            );
        }
        Section::Redaction(sentence) => {
            let _ = writeln!(out, "- {}", md(sentence));
        }
        Section::Redirects(hops) => {
            let _ = writeln!(
                out,
                "\n## Redirects\n\n| # | Status | Address | Sent on to | Time |\n|---|---|---|---|---|"
            );
            for (i, h) in hops.iter().enumerate() {
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
        Section::Cause(f) => {
            let _ = writeln!(
                out,
                "\n## {CAUSE_HEADING}: {} `[{}]`\n",
                md(&f.title),
                f.code
            );
            finding_body(out, f);
        }
        Section::References { references, time } => {
            let _ = writeln!(out, "\n## {REFERENCES_HEADING}\n");
            for r in &references.items {
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
            let _ = writeln!(out, "- Time: {time}");
            if let Some(ip) = &references.public_ip {
                let _ = writeln!(out, "- Public IP address as the site saw it: `{ip}`");
            }
        }
        Section::Preflight(p) => {
            let _ = writeln!(
                out,
                "\n## CORS preflight\n\nFrom the page {}: {}",
                code(&p.origin),
                md(&p.browser_says)
            );
        }
        Section::Ntlm(n) => {
            let _ = writeln!(
                out,
                "\n## Windows sign-in\n\n{}: target {}{}",
                md(&n.scheme),
                code(&n.target_name),
                md(&outline::ntlm_details(n))
            );
        }
        Section::Cookies(cookies) => {
            let _ = writeln!(out, "\n## Cookies (values are never shown)\n");
            for c in *cookies {
                let _ = writeln!(
                    out,
                    "- {} (domain {}, path {}): {}",
                    code(&c.name),
                    code(&c.domain),
                    code(&c.path),
                    md(&outline::cookie_verdict(c))
                );
            }
        }
        Section::Findings { others, findings } => {
            let _ = writeln!(out, "\n## {}", outline::findings_heading(*others));
            for (i, f) in findings.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "\n### {}. {}: {} `[{}]`\n",
                    i + 1,
                    f.severity.label(),
                    md(&f.title),
                    f.code
                );
                finding_body(out, f);
            }
        }
        Section::Requests(requests) => {
            let _ = writeln!(out, "\n## What AuthDoctor sent\n");
            for (i, r) in requests.iter().enumerate() {
                let answer = match (r.status, &r.error) {
                    (Some(status), _) => status.to_string(),
                    (None, Some(error)) => md(error),
                    (None, None) => "no answer".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "{}. {} {} ({}{}): {answer}, {} ms",
                    i + 1,
                    md(&r.method),
                    code(&r.url),
                    r.purpose.words(),
                    outline::sent_with(r),
                    r.elapsed_ms
                );
            }
        }
    }
}

/// What happened, why, what to do and the evidence of one finding.
fn finding_body(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "{}\n", md(&f.detail));
    if !f.explanation.is_empty() {
        let _ = writeln!(out, "*Why:* {}\n", md(&f.explanation));
    }
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
}
