//! Human-readable text for the terminal: the likely cause first, then each finding with its
//! next steps and its code in brackets, so a helpdesk can refer to it.

use std::fmt::Write as _;

use crate::engine::challenge::{self, ParsedChallenges};
use crate::engine::diagnosis::status_meaning;
use crate::engine::{Diagnosis, Finding};

/// The whole diagnosis as text.
#[must_use]
pub fn diagnosis(d: &Diagnosis) -> String {
    let mut out = String::new();
    if d.url.is_empty() {
        out.push_str("AuthDoctor could not check this address.\n");
    } else {
        let _ = writeln!(out, "AuthDoctor checked {}", d.url);
    }
    if d.hops.len() > 1 {
        out.push_str("Redirects:\n");
        for (i, h) in d.hops.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} {} ({} ms){}",
                i + 1,
                h.status,
                h.url,
                h.elapsed_ms,
                h.location
                    .as_ref()
                    .map(|l| format!(" → {l}"))
                    .unwrap_or_default()
            );
        }
    }
    if let Some(status) = d.status {
        let _ = writeln!(out, "Status: {status} — {}", status_meaning(status));
    }
    if let Some(f) = d.likely_finding() {
        let _ = writeln!(out, "\nLikely cause: {} [{}]", f.title, f.code);
        let _ = writeln!(out, "  {}", f.detail);
    }
    out.push_str("\nFindings:\n");
    for (i, f) in d.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    out
}

fn finding(out: &mut String, n: usize, f: &Finding) {
    let _ = writeln!(
        out,
        "\n{n}. {}: {} [{}]",
        f.severity.label().to_uppercase(),
        f.title,
        f.code
    );
    let _ = writeln!(out, "   {}", f.detail);
    if !f.next_steps.is_empty() {
        out.push_str("   What to do:\n");
        for (i, s) in f.next_steps.iter().enumerate() {
            let _ = writeln!(out, "     {}. {s}", i + 1);
        }
    }
    if !f.evidence.is_empty() {
        out.push_str("   Evidence:\n");
        for e in &f.evidence {
            let value = e.value.replace('\n', "\n       ");
            let _ = writeln!(out, "     {}: {value}", e.label);
        }
    }
}

/// The explanation of one header value.
#[must_use]
pub fn header_explanation(parsed: &ParsedChallenges) -> String {
    let mut out = String::new();
    if parsed.challenges.is_empty() {
        out.push_str("No challenge could be read from this header.\n");
    }
    for (i, c) in parsed.challenges.iter().enumerate() {
        let e = challenge::explain(c);
        let _ = writeln!(out, "{}. {} ({})", i + 1, e.scheme_name, c.scheme);
        let _ = writeln!(out, "   {}", e.meaning);
        for d in &e.details {
            let _ = writeln!(out, "   - {d}");
        }
        let _ = writeln!(out, "   What to do: {}", e.what_to_do);
        if let Some(t) = &c.token68 {
            let _ = writeln!(out, "   token68: {t}");
        }
        for (k, v) in &c.params {
            let _ = writeln!(out, "   {k} = {v}");
        }
    }
    if !parsed.problems.is_empty() {
        out.push_str("\nProblems (what had to be forgiven):\n");
        for p in &parsed.problems {
            let _ = writeln!(out, "  - {p}");
        }
    }
    out
}
