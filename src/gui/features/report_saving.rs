//! Saving the report: the preview (format, what is removed, the warned opt-out), the file dialog
//! and the write, on the worker.

use std::path::PathBuf;

use crate::engine::Diagnosis;
use crate::engine::report::{self, Format, RedactedItem};
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

/// The preview while open, and the save in progress.
#[derive(Default)]
pub struct ReportSaving {
    /// The save preview, while open.
    pub dialog: Option<SaveDialog>,
    saving: Pending<String>,
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

    /// Asks where to save and writes the report there, on the worker.
    pub fn save(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        diagnosis: Diagnosis,
        format: Format,
        keep_secrets: bool,
    ) {
        self.dialog = None;
        let file_name = report_file_name(&diagnosis, format);
        self.saving.spawn(runtime, ctx, async move {
            let (label, extensions): (&str, &[&str]) = match format {
                Format::Html => ("Web page (HTML)", &["html"]),
                Format::Markdown => ("Markdown", &["md"]),
                Format::Json => ("AuthDoctor report (JSON)", &["json"]),
            };
            let Some(handle) = rfd::AsyncFileDialog::new()
                .set_title("Save the AuthDoctor report")
                .set_file_name(file_name)
                .add_filter(label, extensions)
                .save_file()
                .await
            else {
                return "Not saved.".to_owned();
            };
            let path: PathBuf = handle.path().to_path_buf();
            let text = report::render(&diagnosis, format, keep_secrets);
            match tokio::fs::write(&path, text).await {
                Ok(()) => format!("Report saved to {}", path.display()),
                Err(e) => format!("Could not save the report to {}: {e}", path.display()),
            }
        });
    }

    /// What became of the save, once it is over.
    pub fn poll(&mut self) -> Option<String> {
        self.saving.poll();
        self.saving.take_completed()
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
