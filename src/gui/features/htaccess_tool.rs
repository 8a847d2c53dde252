//! The .htaccess checker on the sign-in step: pasted or opened text, explained on the worker.

use crate::engine::htaccess::{self, HtaccessContext, HtaccessReport};
use crate::gui::task::Pending;

/// The checker's text, its last explanation, and the work in flight.
#[derive(Default)]
pub struct HtaccessTool {
    /// The configuration text.
    pub text: String,
    /// The last explanation.
    pub report: Option<HtaccessReport>,
    explaining: Pending<HtaccessReport>,
    file: Pending<Result<String, String>>,
}

impl HtaccessTool {
    /// Explains the current text on the worker, in the light of what the site answered.
    pub fn explain(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        context: HtaccessContext,
    ) {
        let text = self.text.clone();
        // Bounded text (the engine reads at most its size limit): fine on a worker thread.
        self.explaining.spawn(runtime, ctx, async move {
            htaccess::check(&text, None, &context)
        });
    }

    /// Asks for a file to open; once read, it is explained.
    pub fn open_file(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context) {
        self.file.spawn(runtime, ctx, async {
            let Some(handle) = rfd::AsyncFileDialog::new()
                .set_title("Open the .htaccess file")
                .pick_file()
                .await
            else {
                return Err("Nothing was opened.".to_owned());
            };
            let bytes = tokio::fs::read(handle.path())
                .await
                .map_err(|e| format!("could not read {}: {e}", handle.path().display()))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        });
    }

    /// True while a file is read or the text explained.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.explaining.is_running() || self.file.is_running()
    }

    /// Takes finished work in: an opened file's text (to be explained next, see the return value)
    /// and a finished explanation. Returns a message for the user, and whether to explain now.
    pub fn poll(&mut self) -> (Option<String>, bool) {
        self.explaining.poll();
        if let Some(report) = self.explaining.take_completed() {
            self.report = Some(report);
        }
        self.file.poll();
        match self.file.take_completed() {
            Some(Ok(text)) => {
                self.text = text;
                (None, true)
            }
            Some(Err(message)) => (Some(message), false),
            None => (None, false),
        }
    }
}
