//! Opening files on the worker: a saved report (`.authdoctor.json`), a browser's HAR network log
//! or a cookie export, with progress for large files. Every file goes through the engine's
//! bounded reader, as in the command line; nothing here runs on the UI thread.

use std::io::Read as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::engine::bounded::{self, Content, Limit};
use crate::engine::har::{self, HarReport};
use crate::engine::report::{self, ReportFile};

/// How much of a file is looked at to tell what it is.
const SNIFF_BYTES: u64 = 4096;

/// What a file turned out to be.
#[derive(Debug)]
pub enum Opened {
    /// A saved AuthDoctor report.
    Report(Box<ReportFile>),
    /// A HAR network log, with its 401s diagnosed.
    Har(Box<HarReport>, PathBuf),
    /// A cookie export (cookies.txt or JSON), to send with the next check.
    Cookies(String, PathBuf),
}

/// Progress of an open, in thousandths (0–1000), shared with the UI.
pub type Progress = Arc<AtomicU32>;

/// Reads and recognises a file. A HAR log is read as a stream (progress follows the bytes read);
/// a report or a cookie export is read whole, each up to its own limit.
pub async fn open(path: PathBuf, progress: Progress) -> Result<Opened, String> {
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || open_blocking(&path, &progress))
        .await
        .map_err(|e| format!("reading {shown} stopped: {e}"))?
}

/// Reads a whole text file (an `.htaccess`, for instance), at most `limit` bytes.
pub async fn read_text(path: PathBuf, limit: Limit) -> Result<String, String> {
    let shown = path.display().to_string();
    tokio::task::spawn_blocking(move || {
        bounded::read_text_file(&path, limit).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("reading {shown} stopped: {e}"))?
}

fn open_blocking(path: &std::path::Path, progress: &AtomicU32) -> Result<Opened, String> {
    let shown = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| format!("could not open {shown}: {e}"))?;
    // The size is only for the progress bar: it says 0 for pipes and devices, and is never
    // trusted for how much is read.
    let size = file.metadata().map_or(0, |m| m.len());
    let mut head = Vec::new();
    (&mut file)
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| format!("could not read {shown}: {e}"))?;
    let start = String::from_utf8_lossy(&head);
    let whole = |file: &mut std::fs::File, limit: Limit| -> Result<String, String> {
        let bytes = bounded::read_all(head.as_slice().chain(file), &shown, limit, Content::Text)
            .map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    if start.contains("\"authdoctor_report\"") {
        let text = whole(&mut file, bounded::REPORT)?;
        return report::load(&text)
            .map(|r| Opened::Report(Box::new(r)))
            .map_err(|e| format!("{e}: {shown}"));
    }
    if start.contains("\"log\"") {
        let reader = bounded::Bounded::new(head.as_slice().chain(&mut file), bounded::HAR);
        return har::analyze_reader(reader, |done| {
            let permille = done
                .saturating_mul(1000)
                .checked_div(size)
                .unwrap_or(0)
                .min(1000) as u32;
            progress.store(permille, Ordering::Relaxed);
        })
        .map(|r| Opened::Har(Box::new(r), path.to_path_buf()))
        .map_err(|e| format!("{e}: {shown}"));
    }
    let looks_like_cookies = start.contains("Netscape HTTP Cookie File")
        || start.contains("# HTTP Cookie File")
        || start.lines().any(|l| l.split('\t').count() == 7)
        || (start.trim_start().starts_with('[') && start.contains("\"domain\""));
    if looks_like_cookies {
        return Ok(Opened::Cookies(
            whole(&mut file, bounded::COOKIES)?,
            path.to_path_buf(),
        ));
    }
    if head.contains(&0) {
        return Err(format!(
            "this file is not text (it holds zero bytes), so it is not an AuthDoctor report, a \
             HAR network log or a cookie export: {shown}"
        ));
    }
    Err(format!(
        "this file is not an AuthDoctor report (.authdoctor.json), a HAR network log or a cookie \
         export: {shown}"
    ))
}
