//! The .htaccess checker on the sign-in step: pasted or opened text, explained on the worker.

use std::path::PathBuf;

use crate::engine::htaccess::{self, HtaccessContext, HtaccessReport};
use crate::gui::file_dialogs::{self, Desktop, PathDialog, PathPurpose, Picked};
use crate::gui::files;
use crate::gui::task::Pending;

/// The checker's text, its last explanation, and the work in flight.
#[derive(Default)]
pub struct HtaccessTool {
    /// The configuration text.
    pub text: String,
    /// The last explanation.
    pub report: Option<HtaccessReport>,
    explaining: Pending<HtaccessReport>,
    file: Pending<FileText>,
}

/// What came of opening a configuration file.
#[derive(Debug)]
enum FileText {
    Read(String),
    Failed(String),
    AskPath(PathDialog),
}

/// What the app must do after the checker's work came in.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HtaccessNews {
    /// Tell the user this.
    pub notice: Option<String>,
    /// An opened file's text is in: explain it now.
    pub explain_now: bool,
    /// There is no system picker: show the app's own path field.
    pub ask_path: Option<PathDialog>,
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

    /// Reads `path`, or asks for a file first when there is none; once read, it is explained.
    pub fn open_file(
        &mut self,
        runtime: &tokio::runtime::Handle,
        ctx: &egui::Context,
        path: Option<PathBuf>,
        desktop: Option<Desktop>,
    ) {
        self.file.spawn(runtime, ctx, async move {
            let path = match path {
                Some(path) => path,
                None => match file_dialogs::pick_open(desktop, "Open the .htaccess file", None)
                    .await
                {
                    Picked::Path(path) => path,
                    Picked::Cancelled => return FileText::Failed("Nothing was opened.".to_owned()),
                    Picked::NoPicker { reason, folder } => {
                        return FileText::AskPath(PathDialog {
                            purpose: PathPurpose::OpenHtaccess,
                            path: format!("{}{}", folder.display(), std::path::MAIN_SEPARATOR),
                            reason,
                        });
                    }
                },
            };
            match files::read_text(path, crate::engine::bounded::SERVER_CONFIG).await {
                Ok(text) => FileText::Read(text),
                Err(message) => FileText::Failed(message),
            }
        });
    }

    /// True while a file is read or the text explained.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.explaining.is_running() || self.file.is_running()
    }

    /// Takes finished work in: a finished explanation, and an opened file's text (to be
    /// explained next).
    pub fn poll(&mut self) -> HtaccessNews {
        self.explaining.poll();
        if let Some(report) = self.explaining.take_completed() {
            self.report = Some(report);
        }
        self.file.poll();
        match self.file.take_completed() {
            Some(FileText::Read(text)) => {
                self.text = text;
                HtaccessNews {
                    explain_now: true,
                    ..HtaccessNews::default()
                }
            }
            Some(FileText::Failed(message)) => HtaccessNews {
                notice: Some(message),
                ..HtaccessNews::default()
            },
            Some(FileText::AskPath(dialog)) => HtaccessNews {
                ask_path: Some(dialog),
                ..HtaccessNews::default()
            },
            None => HtaccessNews::default(),
        }
    }
}
