//! Opening a file the user picked or dropped (a report, a HAR log, a cookie export) on the worker,
//! with progress for large files, and the app's own path field when the desktop has no picker.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::gui::file_dialogs::{self, Desktop, PathDialog, PathPurpose, Picked};
use crate::gui::files::{self, Opened};
use crate::gui::task::Pending;

/// What came of opening a file.
#[derive(Debug)]
pub enum OpenOutcome {
    /// The file, recognised.
    Opened(Opened),
    /// The dialog was closed, or the file could not be read (the message says which).
    Failed(String),
    /// There is no system picker: show the app's own path field.
    AskPath(PathDialog),
}

/// The file being opened and how far it got.
#[derive(Default)]
pub struct Opening {
    pending: Pending<OpenOutcome>,
    progress: Arc<AtomicU32>,
}

impl Opening {
    /// Opens `path`, or asks for a file first when there is none.
    pub fn open(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        path: Option<PathBuf>,
        desktop: Option<Desktop>,
    ) {
        let progress = self.progress.clone();
        progress.store(0, Ordering::Relaxed);
        self.pending.spawn(runtime, ctx, async move {
            let path = if let Some(p) = path {
                p
            } else {
                match file_dialogs::pick_open(
                    desktop,
                    "Open a report, a HAR network log or a cookie export",
                    Some(("Report, HAR or cookies", &["json", "har", "txt"])),
                )
                .await
                {
                    Picked::Path(p) => p,
                    Picked::Cancelled => {
                        return OpenOutcome::Failed("Nothing was opened.".to_owned());
                    }
                    Picked::NoPicker { reason, folder } => {
                        return OpenOutcome::AskPath(PathDialog {
                            purpose: PathPurpose::OpenFile,
                            path: format!("{}{}", folder.display(), std::path::MAIN_SEPARATOR),
                            reason,
                        });
                    }
                }
            };
            match files::open(path, progress).await {
                Ok(opened) => OpenOutcome::Opened(opened),
                Err(message) => OpenOutcome::Failed(message),
            }
        });
    }

    /// Progress in thousandths while a file is being opened.
    #[must_use]
    pub fn progress(&self) -> Option<u32> {
        self.pending
            .is_running()
            .then(|| self.progress.load(Ordering::Relaxed))
    }

    /// The opened file (or why it could not be opened), once.
    pub fn poll(&mut self) -> Option<OpenOutcome> {
        self.pending.poll();
        self.pending.take_completed()
    }
}
