//! The headless command line: `authdoctor check`, `explain-header`, … Human text by default,
//! one JSON object with `--json`. Thin: every answer comes from the engine.

mod text;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::engine::{self, CheckInput, Credentials, Net, NetOptions, Secret, challenge};

/// AuthDoctor finds out why a website answers 401 Unauthorized and says what to do.
#[derive(Debug, Parser)]
#[command(name = "authdoctor", version, about, long_about = None)]
pub struct Cli {
    /// What to do; with none, the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an address and explain why it answers 401.
    Check(CheckArgs),
    /// Parse and explain one WWW-Authenticate (or Proxy-Authenticate) header value.
    ExplainHeader(ExplainArgs),
    /// Open the desktop app, optionally checking an address straight away.
    Gui(GuiArgs),
}

/// Arguments of `gui`.
#[derive(Debug, Args)]
pub struct GuiArgs {
    /// An address to fill in and check as soon as the window opens.
    pub url: Option<String>,
    /// The wizard page to show first: 1–5 (Address, Cookies and cache, DNS, Headers, Diagnosis).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub step: Option<u8>,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The address that shows the error, e.g. `https://example.com/members/`
    pub url: String,
    /// User name to test (the password comes from --password-stdin, `AUTHDOCTOR_PASSWORD`, or a prompt).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Read the password from standard input (never give it as an argument: others could see it).
    #[arg(long)]
    pub password_stdin: bool,
    /// Read a Bearer token from standard input (or set `AUTHDOCTOR_TOKEN`).
    #[arg(long)]
    pub bearer_stdin: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Time limit per request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 15)]
    pub timeout: u64,
}

/// Arguments of `explain-header`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The header value; a leading `WWW-Authenticate:` is accepted.
    pub value: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Check(args) => check(&args),
        Command::ExplainHeader(args) => {
            explain_header(&args);
            Ok(ExitCode::SUCCESS)
        }
        // main.rs opens the window for `gui`; the library's CLI never does.
        Command::Gui(_) => bail!("the gui subcommand is handled by the authdoctor binary"),
    }
}

/// Exit code for bad usage, as clap uses.
pub const USAGE_EXIT: u8 = 2;

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let credentials = match read_credentials(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("authdoctor: {e:#}");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    let net = Net::new(&NetOptions {
        timeout_secs: args.timeout,
        ..NetOptions::default()
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the network worker")?;
    let input = CheckInput {
        address: args.url.clone(),
        credentials,
    };
    // The engine scrubs every secret it was given from the diagnosis.
    let diagnosis = runtime.block_on(engine::diagnose(&input, &net));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&diagnosis)?);
    } else {
        print!("{}", text::diagnosis(&diagnosis));
    }
    Ok(ExitCode::SUCCESS)
}

fn read_credentials(args: &CheckArgs) -> Result<Credentials> {
    if args.password_stdin && args.bearer_stdin {
        bail!(
            "--password-stdin and --bearer-stdin both read standard input; use one, and the environment variable for the other"
        );
    }
    let mut credentials = Credentials {
        user: args.user.clone(),
        ..Credentials::default()
    };
    if args.password_stdin {
        credentials.password = Some(read_stdin_secret("password")?);
    } else if let Ok(pw) = std::env::var("AUTHDOCTOR_PASSWORD") {
        credentials.password = Some(Secret::new(pw));
    }
    if args.bearer_stdin {
        credentials.token = Some(read_stdin_secret("token")?);
    } else if let Ok(token) = std::env::var("AUTHDOCTOR_TOKEN") {
        credentials.token = Some(Secret::new(token));
    }
    if credentials.password.is_some() && credentials.user.is_none() {
        bail!("a password was given but no user name: add --user NAME");
    }
    if credentials.user.is_some() && credentials.password.is_none() {
        if std::io::stdin().is_terminal() {
            let pw = rpassword::prompt_password("Password (not shown): ")
                .context("could not read the password")?;
            credentials.password = Some(Secret::new(pw));
        } else {
            bail!(
                "--user needs a password: pipe it with --password-stdin or set AUTHDOCTOR_PASSWORD"
            );
        }
    }
    Ok(credentials)
}

fn read_stdin_secret(what: &str) -> Result<Secret> {
    let mut buf = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut buf)
        .with_context(|| format!("could not read the {what} from standard input"))?;
    let value = buf.trim_end_matches(['\r', '\n']).to_owned();
    buf.clear();
    if value.is_empty() {
        bail!("standard input was empty: no {what} was given");
    }
    Ok(Secret::new(value))
}

fn explain_header(args: &ExplainArgs) {
    let parsed = challenge::parse_str(&args.value);
    if args.json {
        let value = serde_json::json!({
            "challenges": parsed.challenges,
            "problems": parsed.problems,
            "explanations": parsed.challenges.iter().map(challenge::explain).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string())
        );
    } else {
        print!("{}", text::header_explanation(&parsed));
    }
}
