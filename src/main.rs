//! `authdoctor`: with no arguments opens the desktop app; with a subcommand runs headless.

use std::process::ExitCode;

use clap::Parser;

use authdoctor::cli::{self, Cli, Command, GuiArgs};
use authdoctor::gui::{self, Launch};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command {
        None => return open_window(Launch::default()),
        Some(Command::Gui(GuiArgs { url, step, lab })) => {
            return open_window(Launch {
                address: url,
                step: step.map(usize::from),
                lab,
            });
        }
        Some(command) => command,
    };
    match cli::run(command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("authdoctor: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open_window(launch: Launch) -> ExitCode {
    if !gui::display_available() {
        eprintln!(
            "authdoctor: no display found (DISPLAY/WAYLAND_DISPLAY unset); to check from the terminal use: authdoctor check URL"
        );
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("authdoctor-worker")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("authdoctor: could not start the network worker: {e}");
            return ExitCode::FAILURE;
        }
    };
    match gui::run(runtime.handle().clone(), launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("authdoctor: {e:#}; to check from the terminal use: authdoctor check URL");
            ExitCode::FAILURE
        }
    }
}
