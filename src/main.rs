//! `authdoctor`: with no arguments opens the desktop app, with a file (a saved report, a HAR log)
//! opens that file in it; with a subcommand runs headless.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::FromArgMatches as _;

use authdoctor::cli::{self, Cli, Command, GuiArgs, docs};

/// What the window is asked to open.
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
enum Window {
    Empty,
    /// A double-clicked report or HAR log, or an address.
    Argument(OsString),
    Gui(GuiArgs),
}

fn main() -> ExitCode {
    let matches = docs::command_with_generator().get_matches();
    if let Some((docs::GENERATE_DOCS, args)) = matches.subcommand() {
        return generate_docs(args.get_one::<PathBuf>("out"));
    }
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let command = match (cli.command, cli.file) {
        (None, None) => return open_window(Window::Empty),
        // `authdoctor FILE`: what a file manager runs for a double-clicked report or HAR log.
        (None, Some(file)) => {
            if !file.is_file() && !file.to_string_lossy().contains("://") {
                eprintln!(
                    "authdoctor: {} is not a file, an address or a command (see authdoctor --help)",
                    file.display()
                );
                return ExitCode::from(cli::USAGE_EXIT);
            }
            return open_window(Window::Argument(file.into_os_string()));
        }
        (Some(Command::Gui(args)), _) => return open_window(Window::Gui(args)),
        (Some(command), _) => command,
    };
    match cli::run(command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("authdoctor: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `authdoctor generate-docs DIR`, for the packages: the man pages and shell completions.
fn generate_docs(out: Option<&PathBuf>) -> ExitCode {
    let Some(out) = out else {
        return ExitCode::from(cli::USAGE_EXIT);
    };
    match docs::generate(out) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("authdoctor: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_window(window: Window) -> ExitCode {
    use authdoctor::gui::{self, Launch};

    let launch = match window {
        Window::Empty => Launch::default(),
        Window::Argument(argument) => Launch::for_argument(&argument),
        Window::Gui(GuiArgs {
            url,
            step,
            lab,
            user,
        }) => {
            let launch = url
                .as_deref()
                .map(|url| Launch::for_argument(url.as_ref()))
                .unwrap_or_default();
            Launch {
                step: step.map(usize::from),
                lab,
                credentials: cli::gui_credentials(user),
                ..launch
            }
        }
    };
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

/// A build without the `gui` feature (the engine and the command line only) has no window to open.
#[cfg(not(feature = "gui"))]
fn open_window(_window: Window) -> ExitCode {
    eprintln!(
        "authdoctor: this build has no window (built without the gui feature); to check from the terminal use: authdoctor check URL"
    );
    ExitCode::FAILURE
}
