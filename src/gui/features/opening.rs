//! Opening a file the user picked or dropped (a report, a HAR log, a cookie export) on the worker,
//! with progress for large files.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::gui::files::{self, Opened};
use crate::gui::task::Pending;

/// The file being opened and how far it got.
#[derive(Default)]
pub struct Opening {
    pending: Pending<Result<Opened, String>>,
    progress: Arc<AtomicU32>,
}

impl Opening {
    /// Opens `path`, or asks for a file first when there is none.
    pub fn open(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        path: Option<PathBuf>,
    ) {
        let progress = self.progress.clone();
        progress.store(0, Ordering::Relaxed);
        self.pending.spawn(runtime, ctx, async move {
            let path = if let Some(p) = path {
                p
            } else {
                let Some(handle) = rfd::AsyncFileDialog::new()
                    .set_title("Open a report, a HAR network log or a cookie export")
                    .add_filter("Report, HAR or cookies", &["json", "har", "txt"])
                    .pick_file()
                    .await
                else {
                    return Err("Nothing was opened.".to_owned());
                };
                handle.path().to_path_buf()
            };
            files::open(path, progress).await
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
    pub fn poll(&mut self) -> Option<Result<Opened, String>> {
        self.pending.poll();
        self.pending.take_completed()
    }
}
