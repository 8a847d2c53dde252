//! The outline as plain text: in full for the terminal, and short for an email or chat (the
//! GUI's "Copy summary"). Every value from outside goes through the one output sanitizer
//! ([`shown`]): what a server or a file said can neither drive the terminal nor start a line of
//! its own.

use std::fmt::Write as _;

use crate::engine::finding::Finding;
use crate::engine::redact::{self, shown};
use crate::engine::report::outline::{self, CAUSE_HEADING, Outline, REFERENCES_HEADING, Section};

/// The whole outline as text, for the terminal.
#[must_use]
pub fn full(outline: &Outline<'_>) -> String {
    let mut out = String::new();
    for section in &outline.sections {
        full_section(&mut out, section);
    }
    redact::shown_lines(&out).into_owned()
}

fn full_section(out: &mut String, section: &Section<'_>) {
    match section {
        Section::Checked { url, .. } => {
            if url.is_empty() {
                out.push_str("AuthDoctor could not check this address.\n");
            } else {
                let _ = writeln!(out, "AuthDoctor checked {}", shown(url));
            }
        }
        Section::Answer {
            status, meaning, ..
        } => {
            let _ = writeln!(out, "Status: {status} — {meaning}");
        }
        Section::SignedIn { result, ended_at } => {
            let _ = writeln!(out, "{}", shown(&result.summary_line()));
            if let Some(u) = ended_at {
                let _ = writeln!(out, "The signed-in request ended at {}", shown(u));
            }
        }
        Section::Proxy(proxy) => {
            let _ = writeln!(
                out,
                "Through the proxy {} (set by {})",
                shown(&proxy.url),
                shown(&proxy.source)
            );
        }
        Section::Redaction(sentence) => {
            let _ = writeln!(out, "{sentence}");
        }
        Section::Redirects(hops) => {
            out.push_str("Redirects:\n");
            for (i, h) in hops.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  {}. {} {} ({} ms){}",
                    i + 1,
                    h.status,
                    shown(&h.url),
                    h.elapsed_ms,
                    h.location
                        .as_ref()
                        .map(|l| format!(" → {}", shown(l)))
                        .unwrap_or_default()
                );
            }
        }
        Section::Cause(f) => {
            let _ = writeln!(out, "\n{CAUSE_HEADING}: {} [{}]", shown(&f.title), f.code);
            finding_body(out, f);
        }
        Section::References { references, time } => {
            let _ = writeln!(out, "\n{REFERENCES_HEADING}:");
            for item in &references.items {
                let _ = writeln!(
                    out,
                    "  {}: {} ({} of the {} answer from {})",
                    item.label, item.value, item.source, item.status, item.url
                );
            }
            let _ = writeln!(out, "  Time: {time}");
            if let (Some(ip), Some(source)) = (&references.public_ip, &references.public_ip_source)
            {
                let _ = writeln!(
                    out,
                    "  Your public IP address as the site saw it: {ip} ({source})"
                );
            }
        }
        Section::Preflight(p) => {
            let _ = writeln!(
                out,
                "\nFrom the page {} (CORS preflight): {}",
                p.origin, p.browser_says
            );
        }
        Section::Ntlm(n) => {
            let _ = writeln!(
                out,
                "\nWindows sign-in ({}): target {}{}",
                n.scheme,
                n.target_name,
                outline::ntlm_details(n)
            );
        }
        Section::Cookies(cookies) => {
            out.push_str("\nCookies (values are never shown):\n");
            for c in *cookies {
                let _ = writeln!(
                    out,
                    "  {} (domain {}, path {}): {}",
                    shown(&c.name),
                    shown(&c.domain),
                    shown(&c.path),
                    shown(&outline::cookie_verdict(c))
                );
            }
        }
        Section::Findings { others, findings } => {
            let _ = writeln!(out, "\n{}:", outline::findings_heading(*others));
            for (i, f) in findings.iter().enumerate() {
                finding(out, i + 1, f);
            }
        }
        Section::Requests(requests) => {
            out.push_str("\nWhat AuthDoctor sent:\n");
            for (i, r) in requests.iter().enumerate() {
                let answer = match (r.status, &r.error) {
                    (Some(status), _) => status.to_string(),
                    (None, Some(error)) => shown(error).into_owned(),
                    (None, None) => "no answer".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "  {}. {} {} ({}{}): {answer}, {} ms",
                    i + 1,
                    shown(&r.method),
                    shown(&r.url),
                    r.purpose.words(),
                    outline::sent_with(r),
                    r.elapsed_ms
                );
            }
        }
    }
}

/// One numbered finding with what happened, what to do and its evidence (also for the
/// terminal's token, `.htaccess` and DNS reports).
pub fn finding(out: &mut String, n: usize, f: &Finding) {
    let _ = writeln!(
        out,
        "\n{n}. {}: {} [{}]",
        f.severity.label().to_uppercase(),
        shown(&f.title),
        f.code
    );
    finding_body(out, f);
}

fn finding_body(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "   {}", shown(&f.detail));
    if !f.explanation.is_empty() {
        let _ = writeln!(out, "   Why: {}", shown(&f.explanation));
    }
    if !f.next_steps.is_empty() {
        out.push_str("   What to do:\n");
        for (i, s) in f.next_steps.iter().enumerate() {
            let _ = writeln!(out, "     {}. {}", i + 1, shown(s));
        }
    }
    if !f.evidence.is_empty() {
        out.push_str("   Evidence:\n");
        for e in &f.evidence {
            // Several lines (one per header line) stay lines, each indented under its label.
            let value = e
                .value
                .split('\n')
                .map(|line| shown(line).into_owned())
                .collect::<Vec<_>>()
                .join("\n       ");
            let _ = writeln!(out, "     {}: {value}", shown(&e.label));
        }
    }
}

/// The outline in short, as a customer would paste it into an email or chat: what was checked
/// and what the site answered (with the signed-in result), the likely cause with what to do
/// about it, then every other finding in one line; each with its code in brackets, which a
/// helpdesk looks up.
#[must_use]
pub fn summary(outline: &Outline<'_>) -> String {
    let mut out = String::new();
    for section in &outline.sections {
        match section {
            Section::Checked { url, at } => {
                if at.is_empty() {
                    let _ = writeln!(out, "AuthDoctor checked {}.", shown(url));
                } else {
                    let _ = writeln!(out, "AuthDoctor checked {} on {}.", shown(url), shown(at));
                }
            }
            Section::Answer {
                status,
                meaning,
                signed_in_tested,
            } => {
                let _ = writeln!(
                    out,
                    "{} ({meaning}).",
                    outline::answer_title(*status, *signed_in_tested)
                );
            }
            Section::SignedIn { result, ended_at } => {
                let _ = writeln!(out, "{}.", shown(&result.summary_line()));
                if let Some(u) = ended_at {
                    let _ = writeln!(out, "The signed-in request ended at {}.", shown(u));
                }
            }
            Section::Cause(f) => {
                let _ = writeln!(out, "\n{CAUSE_HEADING}: {} [{}]", shown(&f.title), f.code);
                let _ = writeln!(out, "{}", shown(&f.detail));
                if !f.next_steps.is_empty() {
                    let _ = writeln!(out, "\nWhat to do:");
                    for (i, step) in f.next_steps.iter().enumerate() {
                        let _ = writeln!(out, "{}. {}", i + 1, shown(step));
                    }
                }
            }
            Section::Findings { others, findings } if !findings.is_empty() => {
                let _ = writeln!(out, "\n{}:", outline::findings_heading(*others));
                for f in findings {
                    let _ = writeln!(
                        out,
                        "- {}: {} [{}]",
                        f.severity.label(),
                        shown(&f.title),
                        f.code
                    );
                }
            }
            // The rest is in the saved report; a summary stays short.
            _ => {}
        }
    }
    redact::shown_lines(&out).into_owned()
}
