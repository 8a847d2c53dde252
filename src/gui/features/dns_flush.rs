//! Flushing a DNS cache for the user: the confirmation (the exact command shown) and the run,
//! program and arguments as listed, no shell, on the worker.

use crate::engine::dns::FlushCommand;
use crate::gui::task::Pending;

/// A flush command waiting for confirmation, and the one running.
#[derive(Default)]
pub struct DnsFlush {
    /// The command the user is asked to confirm.
    pub confirm: Option<FlushCommand>,
    running: Pending<String>,
}

impl DnsFlush {
    /// Asks before running `command`.
    pub fn ask(&mut self, command: FlushCommand) {
        self.confirm = Some(command);
    }

    /// Closes the confirmation without running anything.
    pub fn close(&mut self) {
        self.confirm = None;
    }

    /// Runs the confirmed command on the worker.
    pub fn run_confirmed(&mut self, runtime: &tokio::runtime::Handle, ctx: &egui::Context) {
        if let Some(command) = self.confirm.take()
            && let Some(argv) = command.argv
        {
            self.running.spawn(runtime, ctx, run_flush(argv));
        }
    }

    /// What the run came to, once it is over.
    pub fn poll(&mut self) -> Option<String> {
        self.running.poll();
        self.running.take_completed()
    }
}

/// Runs a flush command exactly as listed (program and arguments, no shell).
async fn run_flush(argv: Vec<String>) -> String {
    let Some((program, arguments)) = argv.split_first() else {
        return "Nothing to run.".to_owned();
    };
    let shown = argv.join(" ");
    match tokio::process::Command::new(program)
        .args(arguments)
        .output()
        .await
    {
        Ok(out) if out.status.success() => format!("Done: {shown}"),
        Ok(out) => format!(
            "\"{shown}\" did not work ({}). It may need an administrator: copy it and run it in a terminal opened as administrator.",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("\"{shown}\" could not be started: {e}"),
    }
}
