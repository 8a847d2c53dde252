//! `authdoctor diff A B`: what changed between two saved reports (`.authdoctor.json`), or a
//! working and a failing exchange of two HAR logs side by side. Files are read through the one
//! bounded reader and the existing report and HAR readers; the comparison is the engine's.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::engine::Code;
use crate::engine::compare::{self, Comparison, HarComparison, HeaderChange};
use crate::engine::har::HarFinding;
use crate::engine::{bounded, har, redact, report};

use super::{USAGE_EXIT, output};

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier (or working) report or HAR log.
    pub before: PathBuf,
    /// The later (or failing) one, of the same kind.
    pub after: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What `diff --json` prints: which kind of files, and their comparison.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum DiffOutput {
    /// Two saved reports.
    Reports {
        /// The comparison of their diagnoses.
        comparison: Comparison,
    },
    /// Two HAR logs.
    Har {
        /// The two exchanges side by side.
        comparison: HarComparison,
    },
}

fn is_har(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("har"))
}

/// Runs `diff`.
pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    let result = match (is_har(&args.before), is_har(&args.after)) {
        (true, true) => {
            har_pair(&args.before, &args.after).map(|comparison| DiffOutput::Har { comparison })
        }
        (false, false) => report_pair(&args.before, &args.after)
            .map(|comparison| DiffOutput::Reports { comparison }),
        _ => Err(
            "give two reports (.authdoctor.json) or two HAR logs (.har), not one of each"
                .to_owned(),
        ),
    };
    let out = match result {
        Ok(out) => out,
        Err(message) => {
            eprintln!("authdoctor: {message}");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    if args.json {
        output::json(&out)?;
    } else {
        let text = match &out {
            DiffOutput::Reports { comparison } => reports_text(comparison),
            DiffOutput::Har { comparison } => har_text(comparison),
        };
        output::text(&redact::shown_lines(&text))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn report_pair(before: &Path, after: &Path) -> Result<Comparison, String> {
    let read = |path: &Path| {
        let text = bounded::read_text_file(path, bounded::REPORT).map_err(|e| e.to_string())?;
        report::load(&text).map_err(|e| format!("{e}: {}", path.display()))
    };
    let (a, b) = (read(before)?, read(after)?);
    Ok(compare::compare(&a.diagnosis, &b.diagnosis))
}

/// The entries of a log worth pairing: its 401/403/407 answers and the first entry of each
/// method and address, up to [`compare::MAX_PICKED`].
fn picked(path: &Path) -> Result<Vec<HarFinding>, String> {
    let reader = bounded::open(path, bounded::HAR).map_err(|e| e.to_string())?;
    let mut seen = std::collections::HashSet::new();
    let mut count = 0usize;
    let pick: har::Picker = Box::new(move |_, address, status| {
        if count >= compare::MAX_PICKED {
            return false;
        }
        // The key has no method here: the first entry of an address is kept, and any refusal.
        let wanted =
            matches!(status, 401 | 403 | 407) || seen.insert(compare::pairing_key("", address));
        count += usize::from(wanted);
        wanted
    });
    let (_, entries) = har::analyze_reader_picking(reader, pick)
        .map_err(|e| format!("{e}: {}", path.display()))?;
    Ok(entries)
}

fn har_pair(before: &Path, after: &Path) -> Result<HarComparison, String> {
    let (a, b) = (picked(before)?, picked(after)?);
    let Some((x, y)) = compare::pair_har(&a, &b) else {
        return Err("one of the logs has no exchanges to compare".to_owned());
    };
    Ok(compare::compare_har(x, y))
}

fn status(s: Option<u16>) -> String {
    s.map_or_else(|| "no answer".to_owned(), |s| s.to_string())
}

fn headers_text(out: &mut String, title: &str, changes: &[HeaderChange]) {
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    for c in changes {
        let _ = writeln!(
            out,
            "  {}: {} → {}",
            c.name,
            c.before.as_deref().unwrap_or("(not sent)"),
            c.after.as_deref().unwrap_or("(not sent)")
        );
    }
}

fn reports_text(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", c.headline);
    let _ = writeln!(
        out,
        "Before: {} checked {}: {}{}",
        c.before.address,
        c.before.checked_at,
        status(c.before.answer_status()),
        cause(
            c.before.likely_cause.map(Code::as_str),
            &c.before.likely_title
        )
    );
    let _ = writeln!(
        out,
        "After:  {} checked {}: {}{}",
        c.after.address,
        c.after.checked_at,
        status(c.after.answer_status()),
        cause(
            c.after.likely_cause.map(Code::as_str),
            &c.after.likely_title
        )
    );
    if c.other_address {
        let _ = writeln!(out, "(The two reports are of different addresses.)");
    }
    if !c.findings_gone.is_empty() {
        let _ = writeln!(out, "\nNo longer found:");
        for f in &c.findings_gone {
            let _ = writeln!(out, "  - {} [{}]", f.title, f.code.as_str());
        }
    }
    if !c.findings_new.is_empty() {
        let _ = writeln!(out, "\nNewly found:");
        for f in &c.findings_new {
            let _ = writeln!(out, "  + {} [{}]", f.title, f.code.as_str());
        }
    }
    headers_text(&mut out, "Headers of the answer that differ", &c.headers);
    out
}

fn cause(code: Option<&str>, title: &str) -> String {
    match code {
        Some(code) => format!(" — likely cause: {title} [{code}]"),
        None => String::new(),
    }
}

fn har_text(c: &HarComparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", c.headline);
    for (label, side) in [("First log ", &c.before), ("Second log", &c.after)] {
        let _ = writeln!(
            out,
            "{label}: entry {}: {} {} → {}{}",
            side.entry,
            side.method,
            side.url,
            side.status,
            // A working answer has no cause to name.
            if matches!(side.status, 401 | 403 | 407) {
                cause(side.likely_cause.map(Code::as_str), &side.likely_title)
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            out,
            "            Authorization sent: {}; cookies sent: {}",
            if side.sent_authorization { "yes" } else { "no" },
            if side.cookies_sent.is_empty() {
                "none".to_owned()
            } else {
                side.cookies_sent.join(", ")
            }
        );
    }
    if !c.cookies_only_before.is_empty() {
        let _ = writeln!(
            out,
            "\nCookies only the first sent: {}",
            c.cookies_only_before.join(", ")
        );
    }
    if !c.cookies_only_after.is_empty() {
        let _ = writeln!(
            out,
            "\nCookies only the second sent: {}",
            c.cookies_only_after.join(", ")
        );
    }
    headers_text(&mut out, "Request headers that differ", &c.request_headers);
    headers_text(&mut out, "Answer headers that differ", &c.response_headers);
    out
}
