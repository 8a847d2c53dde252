//! Opening files on the worker: a saved report (`.authdoctor.json`) or a browser's HAR network log,
//! with progress for large files. Nothing here runs on the UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::io::AsyncReadExt as _;

use crate::engine::har::{self, HarReport};
use crate::engine::report::{self, ReportFile};

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

/// Reads and recognises a file: half the progress for reading, half for analysing.
pub async fn open(path: PathBuf, progress: Progress) -> Result<Opened, String> {
    let shown = path.display().to_string();
    let mut file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| format!("could not open {shown}: {e}"))?;
    let total = file.metadata().await.map_or(0, |m| m.len()).max(1);
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0).min(512 << 20));
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut chunk)
            .await
            .map_err(|e| format!("could not read {shown}: {e}"))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(chunk.get(..n).unwrap_or_default());
        let permille = (bytes.len() as u64 * 500 / total).min(500) as u32;
        progress.store(permille, Ordering::Relaxed);
    }
    tokio::task::spawn_blocking(move || recognise(&bytes, &path, &progress))
        .await
        .map_err(|e| format!("reading {shown} stopped: {e}"))?
}

fn recognise(bytes: &[u8], path: &std::path::Path, progress: &AtomicU32) -> Result<Opened, String> {
    let shown = path.display();
    let text = String::from_utf8_lossy(bytes);
    let start = text.get(..4096.min(text.len())).unwrap_or_default();
    if start.contains("\"authdoctor_report\"") {
        return report::load(&text)
            .map(|r| Opened::Report(Box::new(r)))
            .map_err(|e| format!("{e}: {shown}"));
    }
    if start.contains("\"log\"") {
        return har::analyze(&text, |done, total| {
            let permille = 500 + (done as u64 * 500 / total.max(1) as u64).min(500) as u32;
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
        return Ok(Opened::Cookies(text.into_owned(), path.to_path_buf()));
    }
    Err(format!(
        "this file is not an AuthDoctor report (.authdoctor.json), a HAR network log or a cookie \
         export: {shown}"
    ))
}
