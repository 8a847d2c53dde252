//! The history of past checks and "is it fixed?": each finished check is kept as a secret-free
//! [`CheckSummary`] (the address without secrets, the status, the likely cause, the findings'
//! codes and titles, the time) in a file in the app's data directory, read and written on the
//! worker. A re-check of an address compares itself with the last check of that address
//! ([`compare::compare_summaries`]), for the "What changed" card. The user can turn it off (the
//! file then keeps nothing but that choice) and clear it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::engine::compare::{self, CheckSummary, Comparison, Verdict};
use crate::engine::{Diagnosis, Severity, bounded};
use crate::gui::task::Pending;
use crate::gui::widgets::{self, Level};

/// The history file's name in the app's data directory.
pub const HISTORY_FILE: &str = "history.json";
/// The most checks kept; older ones are dropped.
pub const MAX_CHECKS: usize = 50;
/// The heading of the history list on the start page.
pub const HISTORY_HEADING: &str = "Past checks";
/// The checkbox that keeps (or stops keeping) the history.
pub const KEEP_HISTORY_LABEL: &str =
    "Keep a history of my checks on this computer (addresses and results, never a password)";
/// The button that empties the history.
pub const CLEAR_HISTORY_BUTTON: &str = "Clear history";
/// The heading of the card that says what changed since the last check of the address.
pub const CHANGE_HEADING: &str = "What changed since the last check";

/// The history file: whether to keep a history, and the checks, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryFile {
    /// Keep a history at all.
    pub keep: bool,
    /// The checks, newest first.
    pub checks: Vec<CheckSummary>,
}

impl Default for HistoryFile {
    fn default() -> Self {
        HistoryFile {
            keep: true,
            checks: Vec::new(),
        }
    }
}

/// What the user asked for in the history list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryAction {
    /// Nothing.
    None,
    /// Fill in this address again.
    UseAddress(String),
    /// Empty the history.
    Clear,
    /// Keep the history (or stop).
    SetKeep(bool),
}

/// The history, its file, and the latest comparison.
#[derive(Default)]
pub struct History {
    /// Where it is kept (none: in memory only, as in tests that give no file).
    path: Option<PathBuf>,
    /// What is kept.
    pub file: HistoryFile,
    /// The file being read.
    loading: Pending<Result<Option<HistoryFile>, String>>,
    /// The file being written.
    saving: Pending<Result<(), String>>,
    /// What changed between the last check and the one before it of the same address.
    pub last_change: Option<Comparison>,
}

/// Tells saves apart, so two at once never write the same temporary file.
static SAVES: AtomicU64 = AtomicU64::new(0);

/// Reads the history file (none when there is none yet), through the one bounded reader.
fn read(path: &Path) -> Result<Option<HistoryFile>, String> {
    if !path.exists() {
        return Ok(None);
    }
    let text = bounded::read_text_file(path, bounded::REPORT).map_err(|e| e.to_string())?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("the history file cannot be read ({e})"))
}

/// Writes the history file whole: to a temporary file first, then renamed over the old one.
async fn write(path: PathBuf, file: HistoryFile) -> Result<(), String> {
    let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| e.to_string())?;
    }
    let n = SAVES.fetch_add(1, Ordering::Relaxed);
    let temporary = path.with_extension(format!("json.tmp-{}-{n}", std::process::id()));
    tokio::fs::write(&temporary, text)
        .await
        .map_err(|e| e.to_string())?;
    tokio::fs::rename(&temporary, &path)
        .await
        .map_err(|e| e.to_string())
}

impl History {
    /// The history file in the app's data directory (eframe's storage directory).
    #[must_use]
    pub fn default_path() -> Option<PathBuf> {
        eframe::storage_dir("authdoctor").map(|dir| dir.join(HISTORY_FILE))
    }

    /// Keeps the history in `path` from now on, reading what it holds on the worker.
    pub fn open(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context, path: PathBuf) {
        self.path = Some(path.clone());
        self.loading.spawn(runtime, ctx, async move {
            tokio::task::spawn_blocking(move || read(&path))
                .await
                .unwrap_or_else(|e| Err(e.to_string()))
        });
    }

    /// Takes finished reads and writes in; returns what the user must be told.
    pub fn poll(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
    ) -> Option<String> {
        self.loading.poll();
        self.saving.poll();
        if let Some(loaded) = self.loading.take_completed() {
            match loaded {
                Ok(Some(file)) => {
                    // Checks made while the file was read come first; a choice to stop keeping
                    // a history, made in either, wins.
                    let made_meanwhile = !self.file.checks.is_empty();
                    self.file.keep = self.file.keep && file.keep;
                    if self.file.keep {
                        self.file.checks.extend(file.checks);
                        self.file.checks.truncate(MAX_CHECKS);
                    } else {
                        self.file.checks.clear();
                    }
                    if made_meanwhile {
                        self.save(runtime, ctx);
                    }
                }
                Ok(None) => {}
                Err(message) => return Some(format!("The history could not be read: {message}")),
            }
        }
        match self.saving.take_completed() {
            Some(Err(message)) => Some(format!("The history could not be saved: {message}")),
            _ => None,
        }
    }

    /// True while the file is read or written.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.loading.is_running() || self.saving.is_running()
    }

    fn save(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context) {
        if let Some(path) = self.path.clone() {
            let file = self.file.clone();
            self.saving.spawn(runtime, ctx, write(path, file));
        }
    }

    /// The last check kept of `address` (an address without secrets).
    #[must_use]
    pub fn last_of(&self, address: &str) -> Option<&CheckSummary> {
        self.file.checks.iter().find(|c| c.address == address)
    }

    /// Keeps a finished check: compares it with the last check kept of the same address (for
    /// the "What changed" card), then adds it. With the history off nothing is kept, so there is
    /// nothing to compare with.
    pub fn record(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        diagnosis: &Diagnosis,
    ) {
        let summary = CheckSummary::of(diagnosis);
        self.last_change = self
            .last_of(&summary.address)
            .map(|before| compare::compare_summaries(before, &summary));
        if !self.file.keep {
            return;
        }
        self.file.checks.insert(0, summary);
        self.file.checks.truncate(MAX_CHECKS);
        self.save(runtime, ctx);
    }

    /// Empties the history, on screen and in its file.
    pub fn clear(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context) {
        self.file.checks.clear();
        self.last_change = None;
        self.save(runtime, ctx);
    }

    /// Keeps a history, or stops (which empties it: the file then keeps only that choice).
    pub fn set_keep(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context, keep: bool) {
        self.file.keep = keep;
        if !keep {
            self.file.checks.clear();
        }
        self.save(runtime, ctx);
    }
}

/// A check's result in a few words: "401 · Sign-in required".
fn verdict_words(check: &CheckSummary) -> String {
    let status = check
        .answer_status()
        .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
    if check.likely_title.is_empty() {
        status
    } else {
        format!("{status} · {}", check.likely_title)
    }
}

/// The history list: the recent checks with their verdict, the setting and the clear button.
pub fn history_ui(ui: &mut Ui, history: &History) -> HistoryAction {
    let mut action = HistoryAction::None;
    ui.add_space(16.0);
    // A strong label, like "Checked recently" it replaces: the start page keeps one heading.
    ui.label(RichText::new(HISTORY_HEADING).strong());
    for check in history.file.checks.iter().take(10) {
        ui.horizontal_wrapped(|ui| {
            let severity = if check.failing() {
                Severity::Problem
            } else {
                Severity::Ok
            };
            widgets::severity_badge_ui(ui, severity);
            if ui
                .link(&check.address)
                .on_hover_text("Use this address again")
                .clicked()
            {
                action = HistoryAction::UseAddress(check.address.clone());
            }
            ui.label(RichText::new(verdict_words(check)).weak());
            ui.label(RichText::new(&check.checked_at).weak().small());
        });
    }
    if history.file.checks.is_empty() {
        ui.label(RichText::new("No checks kept yet.").weak());
    }
    let mut keep = history.file.keep;
    if ui.checkbox(&mut keep, KEEP_HISTORY_LABEL).changed() {
        action = HistoryAction::SetKeep(keep);
    }
    if !history.file.checks.is_empty() && ui.button(CLEAR_HISTORY_BUTTON).clicked() {
        action = HistoryAction::Clear;
    }
    action
}

/// The "What changed since the last check" card on the diagnosis.
pub fn change_card_ui(ui: &mut Ui, change: &Comparison) {
    let severity = match change.verdict {
        Verdict::Fixed => Severity::Ok,
        Verdict::StillFailing | Verdict::NowFailing => Severity::Problem,
        Verdict::Changed | Verdict::Unchanged => Severity::Info,
    };
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::heading_ui(ui, CHANGE_HEADING, Level::Section);
            ui.horizontal_wrapped(|ui| {
                widgets::severity_badge_ui(ui, severity);
                ui.label(RichText::new(&change.headline).size(16.0));
            });
            ui.label(
                RichText::new(format!("Last checked {}", change.before.checked_at))
                    .weak()
                    .small(),
            );
            for f in &change.findings_gone {
                ui.label(format!(
                    "No longer found: {} [{}]",
                    f.title,
                    f.code.as_str()
                ));
            }
            for f in &change.findings_new {
                ui.label(format!("Newly found: {} [{}]", f.title, f.code.as_str()));
            }
        });
    ui.add_space(8.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_file_reads_back_what_was_written_and_defaults_to_keeping() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("sub").join(HISTORY_FILE);
        assert_eq!(read(&path), Ok(None));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let file = HistoryFile::default();
        assert!(file.keep);
        runtime
            .block_on(write(path.clone(), file.clone()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(&path), Ok(Some(file)));
        std::fs::write(&path, "not json").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            read(&path).is_err(),
            "a broken file is a message, not a panic"
        );
    }
}
