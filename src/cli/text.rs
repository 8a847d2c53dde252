//! Human-readable text for the terminal: a diagnosis as its report outline (the likely cause
//! first, then each finding with its next steps and its code in brackets, so a helpdesk can
//! refer to it), and the token, `.htaccess`, DNS, HAR and header reports. Every text goes through
//! the one output sanitizer ([`redact::shown`]): what a server or a file said can neither drive
//! the terminal nor start a line of its own.

use std::fmt::Write as _;

use serde::Serialize;

use crate::engine::Diagnosis;
use crate::engine::challenge::{self, ParsedChallenges};
use crate::engine::redact::{self, SentHeader, shown};
use crate::engine::report::text::finding;
use crate::engine::report::{self, Outline};

/// Text of several lines, with what came from outside escaped (line breaks kept).
fn safe(out: &str) -> String {
    redact::shown_lines(out).into_owned()
}

/// JSON for the terminal: pretty, with C1 controls and bidirectional overrides escaped too.
pub fn json(value: &impl Serialize) -> serde_json::Result<String> {
    serde_json::to_string_pretty(value).map(redact::json_for_terminal)
}

/// The whole diagnosis as text: its one outline, as every report lays it out.
#[must_use]
pub fn diagnosis(d: &Diagnosis) -> String {
    report::text::full(&Outline::shown(d))
}

/// A token's decoded header, claims and times, then its findings.
#[must_use]
pub fn token(report: &crate::engine::token::TokenReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Token kind: {:?}", report.kind);
    for t in &report.times {
        let _ = writeln!(out, "  {}: {} ({})", t.name, t.readable, t.relative);
    }
    if let Some(claims) = &report.claims {
        match json(claims) {
            Ok(text) => {
                let _ = writeln!(out, "Claims:\n{text}");
            }
            Err(e) => {
                let _ = writeln!(out, "Claims: (could not be shown: {e})");
            }
        }
    }
    out.push_str("\nFindings:\n");
    for (i, f) in report.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    safe(&out)
}

/// An explained .htaccess or nginx snippet, then its findings.
#[must_use]
pub fn htaccess(report: &crate::engine::htaccess::HtaccessReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:?} configuration, line by line:", report.kind);
    for d in &report.directives {
        let _ = writeln!(
            out,
            "  {:>4}  {}\n        {}",
            d.line,
            shown(&d.text),
            shown(&d.meaning)
        );
    }
    out.push_str("\nFindings:\n");
    for (i, f) in report.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    safe(&out)
}

/// The DNS comparison.
#[must_use]
pub fn dns(report: &crate::engine::dns::DnsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "DNS for {}", report.host);
    if report.dns_involved {
        let system: Vec<String> = report.system.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "  This computer's answer: {}",
            if system.is_empty() {
                report
                    .system_error
                    .clone()
                    .unwrap_or_else(|| "nothing".to_owned())
            } else {
                system.join(", ")
            }
        );
        for a in &report.fresh {
            let _ = writeln!(out, "  {} ({}): {}", a.name, a.server, a.summary);
        }
        for e in &report.hosts_entries {
            let _ = writeln!(
                out,
                "  Hosts file {} line {}: {}",
                report.hosts_path, e.line_number, e.line
            );
        }
    }
    out.push_str("\nFindings:\n");
    for (i, f) in report.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    if !report.flush.is_empty() {
        out.push('\n');
        out.push_str(&flush(&report.flush));
    }
    safe(&out)
}

/// DNS cache flush commands.
#[must_use]
pub fn flush(commands: &[crate::engine::dns::FlushCommand]) -> String {
    let mut out = String::from("How to clear the DNS cache:\n");
    for c in commands {
        let admin = if c.needs_admin {
            " (needs an administrator)"
        } else {
            ""
        };
        let _ = writeln!(out, "\n- {}: {}{admin}", c.platform, c.title);
        if !c.command.is_empty() {
            let _ = writeln!(out, "    {}", c.command);
        }
        let _ = writeln!(out, "  {}", c.explanation);
    }
    safe(&out)
}

/// A HAR log's 401s grouped by likely cause: a summary of the groups, then each group's first
/// answers in full and a count of the answers like them.
#[must_use]
pub fn har(report: &crate::engine::har::HarReport) -> String {
    use crate::engine::bounded::thousands;
    let count = |n: usize| thousands(n as u64);
    let mut out = String::new();
    let source = if report.source.is_empty() {
        String::new()
    } else {
        format!(" from {}", shown(&report.source))
    };
    let _ = writeln!(
        out,
        "The network log{source} holds {} requests; {} answered 401 or 407.",
        count(report.entries),
        count(report.answers)
    );
    for p in &report.problems {
        let _ = writeln!(out, "  (skipped: {})", shown(p));
    }
    if report.problems_not_listed > 0 {
        let _ = writeln!(
            out,
            "  (skipped: {} more entries that could not be read)",
            count(report.problems_not_listed)
        );
    }
    if report.groups.len() > 1 {
        out.push_str("\nThe answers by likely cause:\n");
        for g in &report.groups {
            let _ = writeln!(
                out,
                "  {} × {}: {}",
                count(g.count),
                g.status,
                group_name(g)
            );
        }
    }
    for g in &report.groups {
        let _ = writeln!(
            out,
            "\n--- {} {} {}: {} ---",
            count(g.count),
            if g.count == 1 { "answer" } else { "answers" },
            g.status,
            group_name(g)
        );
        for f in report
            .findings
            .iter()
            .filter(|f| g.shown.contains(&f.entry))
        {
            har_finding(&mut out, f);
        }
        if g.more > 0 {
            let listed: Vec<String> = g.more_entries.iter().map(ToString::to_string).collect();
            let etc = if g.more > g.more_entries.len() {
                ", …"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "\n{} more {} like these: request {}{etc}",
                count(g.more),
                if g.more == 1 { "answer" } else { "answers" },
                listed.join(", ")
            );
        }
    }
    safe(&out)
}

fn group_name(g: &crate::engine::har::HarGroup) -> String {
    match g.likely_cause {
        Some(code) if !g.title.is_empty() => format!("{} [{code}]", g.title),
        Some(code) => format!("[{code}]"),
        None => "no likely cause named".to_owned(),
    }
}

fn har_finding(out: &mut String, f: &crate::engine::har::HarFinding) {
    let _ = writeln!(
        out,
        "\n=== Request {}: {} {} ({}) ===",
        f.entry,
        shown(&f.method),
        shown(&f.url),
        shown(&f.started)
    );
    if f.cookies_sent.is_empty() {
        out.push_str("The browser sent no cookies with it.\n");
    } else {
        let _ = writeln!(
            out,
            "The browser sent the cookies: {}",
            shown(&f.cookies_sent.join(", "))
        );
    }
    if f.sent_authorization {
        out.push_str(
            "The browser sent sign-in details (Authorization) with it, and they were refused.\n",
        );
    }
    out.push_str(&diagnosis(&f.diagnosis));
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
        let _ = writeln!(
            out,
            "{}. {} ({})",
            i + 1,
            shown(&e.scheme_name),
            shown(&c.scheme)
        );
        let _ = writeln!(out, "   {}", shown(&e.meaning));
        for d in &e.details {
            let _ = writeln!(out, "   - {}", shown(d));
        }
        let _ = writeln!(out, "   What to do: {}", shown(&e.what_to_do));
        if let Some(t) = &c.token68 {
            let _ = writeln!(out, "   token68: {}", shown(t));
        }
        for (k, v) in &c.params {
            let _ = writeln!(out, "   {} = {}", shown(k), shown(v));
        }
    }
    if !parsed.problems.is_empty() {
        out.push_str("\nProblems (what had to be forgiven):\n");
        for p in &parsed.problems {
            let _ = writeln!(out, "  - {}", shown(p));
        }
    }
    safe(&out)
}

/// The explanation of a header the browser sends (`Authorization`, `Cookie`), never its value.
#[must_use]
pub fn sent_header_explanation(sent: &SentHeader) -> String {
    let e = redact::explain_sent(sent);
    let mut out = String::new();
    let _ = writeln!(out, "{}", shown(&e.scheme_name));
    let _ = writeln!(out, "   {}", shown(&e.meaning));
    for d in &e.details {
        let _ = writeln!(out, "   - {}", shown(d));
    }
    let _ = writeln!(out, "   What to do: {}", shown(&e.what_to_do));
    safe(&out)
}
