//! The practice lab: its server started on the worker, and the trainee's case.

use std::sync::Arc;

use crate::gui::state::Trainee;
use crate::gui::task::Pending;
use crate::lab::Lab;

/// The lab (once started) and the case being practised.
#[derive(Default)]
pub struct Practice {
    /// The lab's server, or why it could not start.
    pub lab: Pending<Result<Arc<Lab>, String>>,
    /// The trainee's scenario and answer, in practice mode.
    pub trainee: Option<Trainee>,
}

impl Practice {
    /// Starts the lab on the worker (once).
    pub fn start(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context) {
        if matches!(self.lab.value(), Some(Ok(_))) || self.lab.is_running() {
            return;
        }
        self.lab.spawn(runtime, ctx, async {
            Lab::start(0).await.map(Arc::new).map_err(|e| e.to_string())
        });
    }

    /// The running lab, if it started.
    #[must_use]
    pub fn running_lab(&self) -> Option<&Arc<Lab>> {
        match self.lab.value() {
            Some(Ok(lab)) => Some(lab),
            _ => None,
        }
    }

    /// Takes the started lab in (the start page shows it, or why it could not start).
    pub fn poll(&mut self) {
        self.lab.poll();
    }
}
