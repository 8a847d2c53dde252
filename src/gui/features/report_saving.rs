//! Saving the report: the preview (format, what is removed, the warned opt-out), the system's file
//! dialog or the app's own path field when there is none, the write on the worker, and where the
//! file went (with its folder to open).

use std::path::{Path, PathBuf};

use crate::engine::Diagnosis;
use crate::engine::report::{self, Format, RedactedItem, Redaction};
use crate::gui::file_dialogs::{self, Desktop, PathDialog, PathPurpose, Picked};
use crate::gui::task::Pending;

/// The save preview: format, what will be removed, and the warned opt-out.
#[derive(Clone, Debug)]
pub struct SaveDialog {
    /// Chosen format.
    pub format: Format,
    /// Keep secret-looking values (not recommended).
    pub keep_secrets: bool,
    /// What redaction removes.
    pub removed: Vec<RedactedItem>,
}

/// What came of a save.
#[derive(Debug)]
enum SaveOutcome {
    Saved(PathBuf),
    Cancelled,
    NoPicker(PathDialog),
    Failed(String),
}

/// What the app must do after a save's outcome came in.
#[derive(Debug, PartialEq, Eq)]
pub enum SaveNews {
    /// Tell the user this.
    Notice(String),
    /// Show the app's own path dialog.
    AskPath(PathDialog),
}

/// The preview while open, the save in progress, and the last saved file.
#[derive(Default)]
pub struct ReportSaving {
    /// The save preview, while open.
    pub dialog: Option<SaveDialog>,
    saving: Pending<SaveOutcome>,
    saved: Option<PathBuf>,
    folder: Pending<Option<String>>,
}

impl ReportSaving {
    /// Opens the preview for `diagnosis`.
    pub fn preview(&mut self, diagnosis: &Diagnosis) {
        let (_, removed) = report::redact(diagnosis);
        self.dialog = Some(SaveDialog {
            format: Format::Html,
            keep_secrets: false,
            removed,
        });
    }

    /// Closes the preview.
    pub fn close(&mut self) {
        self.dialog = None;
    }

    /// Asks where to save (the system's dialog, or the app's own when there is none) and writes
    /// the report there, on the worker.
    pub fn save(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        diagnosis: Diagnosis,
        (format, redaction): (Format, Redaction),
        desktop: Option<Desktop>,
    ) {
        self.dialog = None;
        let file_name = report_file_name(&diagnosis, format);
        self.saving.spawn(runtime, ctx, async move {
            let filter: (&str, &[&str]) = match format {
                Format::Html => ("Web page (HTML)", &["html"]),
                Format::Markdown => ("Markdown", &["md"]),
                Format::Json => ("AuthDoctor report (JSON)", &["json"]),
            };
            let path = match file_dialogs::pick_save(
                desktop,
                "Save the AuthDoctor report",
                file_name.clone(),
                filter,
            )
            .await
            {
                Picked::Path(path) => path,
                Picked::Cancelled => return SaveOutcome::Cancelled,
                Picked::NoPicker { reason, folder } => {
                    return SaveOutcome::NoPicker(PathDialog {
                        purpose: PathPurpose::SaveReport(format, redaction),
                        path: folder.join(file_name).display().to_string(),
                        reason,
                    });
                }
            };
            write(&diagnosis, format, redaction, path).await
        });
    }

    /// Writes the report to `path` (chosen in the app's own dialog), on the worker.
    pub fn save_to(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        diagnosis: Diagnosis,
        (format, redaction): (Format, Redaction),
        path: PathBuf,
    ) {
        self.saving.spawn(runtime, ctx, async move {
            write(&diagnosis, format, redaction, path).await
        });
    }

    /// The last file saved, to show with "Copy the path" and "Open the folder".
    #[must_use]
    pub fn saved(&self) -> Option<&Path> {
        self.saved.as_deref()
    }

    /// True while the report is being saved.
    #[must_use]
    pub fn is_saving(&self) -> bool {
        self.saving.is_running()
    }

    /// Opens the folder of `file` in the file manager, on the worker.
    pub fn open_folder(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        file: &Path,
    ) {
        let folder = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        self.folder.spawn(
            runtime,
            ctx,
            async move { file_dialogs::open_folder(&folder) },
        );
    }

    /// What became of the save (or of opening the folder), once it is over.
    pub fn poll(&mut self) -> Option<SaveNews> {
        self.folder.poll();
        if let Some(Some(problem)) = self.folder.take_completed() {
            return Some(SaveNews::Notice(problem));
        }
        self.saving.poll();
        Some(match self.saving.take_completed()? {
            SaveOutcome::Saved(path) => {
                let message = format!("Report saved to {}", path.display());
                self.saved = Some(path);
                SaveNews::Notice(message)
            }
            SaveOutcome::Cancelled => {
                SaveNews::Notice("Not saved: the dialog was closed.".to_owned())
            }
            SaveOutcome::NoPicker(dialog) => SaveNews::AskPath(dialog),
            SaveOutcome::Failed(message) => SaveNews::Notice(message),
        })
    }
}

async fn write(
    diagnosis: &Diagnosis,
    format: Format,
    redaction: Redaction,
    path: PathBuf,
) -> SaveOutcome {
    let text = report::render(diagnosis, format, redaction);
    match tokio::fs::write(&path, text).await {
        Ok(()) => SaveOutcome::Saved(path),
        Err(e) => SaveOutcome::Failed(format!(
            "Could not save the report to {}: {e}",
            path.display()
        )),
    }
}

/// A file name for the report: the host, no secrets.
#[must_use]
pub fn report_file_name(d: &Diagnosis, format: Format) -> String {
    let host = url::Url::parse(&d.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "address".to_owned());
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.{}", format.extension())
}
