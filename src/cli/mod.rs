//! The headless command line: `authdoctor check`, `explain-header`, … Human text by default,
//! one JSON object with `--json`. Thin: every answer comes from the engine.

pub mod diff;
pub mod docs;
mod output;
pub mod text;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::engine::dns::{self, DnsOptions, Os};
use crate::engine::{self, CheckInput, Credentials, Net, NetOptions, Secret, challenge, report};
use crate::engine::{bounded, htaccess, token};

pub use output::{OUTPUT_EXIT, OutputError};

/// AuthDoctor finds out why a website answers 401 Unauthorized and says what to do.
#[derive(Debug, Parser)]
#[command(
    name = "authdoctor",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 done (also when the reader of the output stops early, as `| head` does); \
                  1 the command failed; 2 bad usage or an input that cannot be read (too large, \
                  not text, not the right kind of file); 74 the answer could not be written \
                  (a full disk)."
)]
pub struct Cli {
    /// A saved report (.authdoctor.json) or a browser's HAR network log to open in the desktop
    /// app (an address given here is checked there).
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub file: Option<PathBuf>,
    /// What to do; with none, the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an address and explain why it answers 401.
    Check(CheckArgs),
    /// Parse and explain one WWW-Authenticate (or Proxy-Authenticate) header value; an
    /// Authorization or Cookie header is explained as what the browser sends, without its value.
    ExplainHeader(ExplainArgs),
    /// Open the desktop app, optionally checking an address straight away.
    Gui(GuiArgs),
    /// Run the practice lab: a local server with realistic 401 scenarios, for training offline.
    Lab(LabArgs),
    /// Diagnose the 401 answers recorded in a browser's HAR network log, with no live access.
    Har(HarArgs),
    /// Compare this computer's DNS answer for a host with a fresh one, and read the hosts file.
    Dns(DnsArgs),
    /// Show the commands that clear the DNS cache (this computer's system first, then browsers).
    DnsFlush(DnsFlushArgs),
    /// Decode a token read from standard input (JWT claims, times), with no network and no
    /// signature check pretended.
    Token(TokenArgs),
    /// Explain an .htaccess (or nginx `auth_basic`) file and flag the mistakes that cause 401s.
    Htaccess(HtaccessArgs),
    /// What changed between two saved reports (.authdoctor.json), or a working and a failing
    /// exchange of two HAR logs side by side.
    Diff(diff::DiffArgs),
}

/// Arguments of `har`.
#[derive(Debug, Args)]
pub struct HarArgs {
    /// The HAR file (DevTools → Network → Save all as HAR).
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lab`.
#[derive(Debug, Args)]
pub struct LabArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

/// Arguments of `gui`.
#[derive(Debug, Args)]
pub struct GuiArgs {
    /// An address to fill in and check as soon as the window opens, or a saved report or HAR
    /// file to open.
    pub url: Option<String>,
    /// The wizard page to show first: 1–5 (Address, Cookies and cache, DNS, Headers, Diagnosis).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub step: Option<u8>,
    /// Start the practice lab and show its cases on the start page.
    #[arg(long)]
    pub lab: bool,
    /// User name to test with the address (the password comes from `AUTHDOCTOR_PASSWORD`, a
    /// token from `AUTHDOCTOR_TOKEN`; never give them as arguments). They fill the start page's
    /// sign-in fields and are used like typed ones: for one check, never saved.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

/// The sign-in details `authdoctor gui --user NAME` takes from the environment: the user name
/// given, `AUTHDOCTOR_PASSWORD` and `AUTHDOCTOR_TOKEN` (an empty variable counts as unset).
#[must_use]
pub fn gui_credentials(user: Option<String>) -> Credentials {
    let from_env = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .map(Secret::new)
    };
    Credentials {
        password: user.as_ref().and_then(|_| from_env("AUTHDOCTOR_PASSWORD")),
        token: from_env("AUTHDOCTOR_TOKEN"),
        user,
    }
}

/// Arguments of `check`.
#[derive(Debug, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each bool is a command-line flag"
)]
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
    /// Time limit on the whole check (every request, retry and DNS query), in seconds. When it
    /// passes, the check ends with what it found so far.
    #[arg(long, value_name = "SECONDS", default_value_t = engine::probe::DEFAULT_DEADLINE_SECS)]
    pub deadline: u64,
    /// Connect directly, ignoring `HTTPS_PROXY` / `HTTP_PROXY` (by default the check goes through
    /// the proxy the browser would use).
    #[arg(long)]
    pub no_proxy: bool,
    /// Also save a report: the format follows the extension (.html, .md, .json).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Keep the secret values the site sent in its headers and pages (session and token headers,
    /// secret fields, token signatures) in the report; your password, token and cookie values and
    /// secret address parameters are never in it (not recommended: only for a report that never
    /// leaves your computer).
    #[arg(long, requires = "report")]
    pub report_keep_secrets: bool,
    /// Ask this DNS server (IP:PORT) for the fresh answer; repeatable. Default: this computer's
    /// configured servers and public ones (Cloudflare, Google, Quad9).
    #[arg(long = "dns-server", value_name = "IP:PORT")]
    pub dns_servers: Vec<SocketAddr>,
    /// Skip the DNS comparison.
    #[arg(long)]
    pub no_dns: bool,
    /// Cookies to send as the browser would, as a Cookie header ('a=b; c=d'). Prefer
    /// --cookies-file: other users of this computer can see arguments.
    #[arg(long, value_name = "COOKIES", conflicts_with = "cookies_file")]
    pub cookie: Option<String>,
    /// Cookies exported from the browser: cookies.txt, a HAR log, or a JSON export (detected).
    #[arg(long, value_name = "FILE")]
    pub cookies_file: Option<PathBuf>,
    /// The page whose script calls this address: also send the browser's CORS preflight from it.
    #[arg(long, value_name = "URL")]
    pub origin: Option<String>,
    /// A registry's token service on another site that may receive your details for the token
    /// exchange (`host` or `host:port`); repeatable.
    #[arg(long = "allow-token-endpoint", value_name = "HOST")]
    pub allow_token_endpoints: Vec<String>,
}

/// Arguments of `token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The site the token is for, to check its audience (aud).
    #[arg(long, value_name = "URL")]
    pub site: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `htaccess`.
#[derive(Debug, Args)]
pub struct HtaccessArgs {
    /// The .htaccess file (or an nginx snippet with `auth_basic`).
    pub file: PathBuf,
    /// The password file its `AuthUserFile` names (never printed: users and hash kinds only).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// The address the file protects (to spot Basic over plain http).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The sign-in method the server asked for in its 401 (Basic, Digest), if known.
    #[arg(long, value_name = "SCHEME")]
    pub scheme: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `dns`.
#[derive(Debug, Args)]
pub struct DnsArgs {
    /// The host name (or a whole address: its host is used).
    pub host: String,
    /// Ask this DNS server (IP:PORT) instead of the default ones; repeatable.
    #[arg(long = "server", value_name = "IP:PORT")]
    pub servers: Vec<SocketAddr>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `dns-flush`.
#[derive(Debug, Args)]
pub struct DnsFlushArgs {
    /// The operating system to show the commands for (default: this one).
    #[arg(long, value_name = "windows|macos|linux")]
    pub os: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
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

/// Runs a subcommand and returns the process exit code. Output that cannot be written ends the
/// command as [`OutputError::exit_code`] says: quietly for a closed pipe, with
/// [`output::OUTPUT_EXIT`] otherwise.
pub fn run(command: Command) -> Result<ExitCode> {
    match run_command(command) {
        Err(e) => match e.downcast_ref::<OutputError>() {
            Some(output_error) => Ok(output_error.exit_code()),
            None => Err(e),
        },
        ok => ok,
    }
}

fn run_command(command: Command) -> Result<ExitCode> {
    match command {
        Command::Check(args) => check(&args),
        Command::ExplainHeader(args) => explain_header(&args)
            .map(|()| ExitCode::SUCCESS)
            .map_err(anyhow::Error::from),
        Command::Lab(args) => lab(&args),
        Command::Har(args) => har(&args),
        Command::Dns(args) => dns_command(&args),
        Command::DnsFlush(args) => dns_flush(&args),
        Command::Token(args) => token_command(&args),
        Command::Htaccess(args) => htaccess_command(&args),
        Command::Diff(args) => diff::run(&args),
        // main.rs opens the window for `gui`; the library's CLI never does.
        Command::Gui(_) => bail!("the gui subcommand is handled by the authdoctor binary"),
    }
}

/// Exit code for bad usage, as clap uses.
pub const USAGE_EXIT: u8 = 2;

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let report_format = args.report.as_deref().map(report::Format::from_path);
    if let (Some(path), Some(None)) = (&args.report, report_format) {
        eprintln!(
            "authdoctor: --report needs a file ending in .html, .md or .json: {}",
            path.display()
        );
        return Ok(ExitCode::from(USAGE_EXIT));
    }
    let report_format = report_format.flatten();
    let credentials = match read_credentials(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("authdoctor: {e:#}");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    let net = Net::new(&NetOptions {
        timeout_secs: args.timeout,
        deadline_secs: args.deadline,
        use_proxy: !args.no_proxy,
        ..NetOptions::default()
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the network worker")?;
    let dns = (!args.no_dns).then(|| {
        let mut options = DnsOptions::for_this_computer();
        if !args.dns_servers.is_empty() {
            options.servers.clone_from(&args.dns_servers);
        }
        options
    });
    let cookies = match (&args.cookie, &args.cookies_file) {
        (Some(header), _) => Some(header.clone()),
        (None, Some(path)) => match read_limited(path, bounded::COOKIES) {
            Ok(text) => Some(text),
            Err(message) => {
                eprintln!("authdoctor: {message}");
                return Ok(ExitCode::from(USAGE_EXIT));
            }
        },
        (None, None) => None,
    };
    if let Some(origin) = &args.origin
        && let Err(why) = engine::preflight::origin_of(origin)
    {
        eprintln!("authdoctor: --origin {origin}: {why}");
        return Ok(ExitCode::from(USAGE_EXIT));
    }
    let input = CheckInput {
        address: args.url.clone(),
        credentials,
        dns,
        cookies,
        log: None,
        origin: args.origin.clone(),
        allowed_token_endpoints: args.allow_token_endpoints.clone(),
    };
    // The engine scrubs every secret it was given from the diagnosis.
    let diagnosis = runtime.block_on(engine::diagnose(&input, &net));
    // The report is saved even when the answer could not be written (`| head -1`).
    let written = if args.json {
        output::json(&diagnosis)
    } else {
        output::text(&text::diagnosis(&diagnosis))
    };
    if let (Some(path), Some(format)) = (&args.report, report_format) {
        if args.report_keep_secrets {
            eprintln!(
                "authdoctor: warning: the report keeps the secret values the site sent in its headers and pages; do not send it to anyone"
            );
        }
        let body = report::render(
            &diagnosis,
            format,
            report::Redaction::from_keep_secrets(args.report_keep_secrets),
        );
        std::fs::write(path, body)
            .with_context(|| format!("could not save the report to {}", path.display()))?;
        eprintln!("Report saved to {}", path.display());
    }
    written?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a text file the user named through the bounded reader: counting bytes as they come,
/// whatever the file's metadata says, and refusing past `limit`.
fn read_limited(path: &std::path::Path, limit: bounded::Limit) -> Result<String, String> {
    bounded::read_text_file(path, limit).map_err(|e| e.to_string())
}

fn token_command(args: &TokenArgs) -> Result<ExitCode> {
    let token = match read_stdin_secret("token") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("authdoctor: {e:#}; pipe the token in, e.g. authdoctor token < token.txt");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    let site = match args.site.as_deref().map(url::Url::parse) {
        Some(Ok(u)) => Some(u),
        Some(Err(e)) => {
            eprintln!("authdoctor: --site is not a web address: {e}");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
        None => None,
    };
    let report = token::inspect(&token, std::time::SystemTime::now(), site.as_ref());
    if args.json {
        output::json(&report)?;
    } else {
        output::text(&text::token(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn htaccess_command(args: &HtaccessArgs) -> Result<ExitCode> {
    let text = match read_limited(&args.file, bounded::SERVER_CONFIG) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("authdoctor: {message}");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    let password_file = match &args.password_file {
        Some(path) => match read_limited(path, bounded::PASSWORD_FILE) {
            Ok(t) => Some(t),
            Err(message) => {
                eprintln!("authdoctor: {message}");
                return Ok(ExitCode::from(USAGE_EXIT));
            }
        },
        None => None,
    };
    let context = htaccess::HtaccessContext {
        observed_scheme: args.scheme.clone(),
        site_is_http: args
            .url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("http://")),
    };
    let report = htaccess::check(&text, password_file.as_deref(), &context);
    if args.json {
        output::json(&report)?;
    } else {
        output::text(&text::htaccess(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn dns_command(args: &DnsArgs) -> Result<ExitCode> {
    // Accept a whole address as well as a bare host name.
    let host = url::Url::parse(args.host.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| args.host.trim().trim_end_matches('/').to_owned());
    if host.is_empty() {
        eprintln!("authdoctor: give a host name, e.g. authdoctor dns example.com");
        return Ok(ExitCode::from(USAGE_EXIT));
    }
    let mut options = DnsOptions::for_this_computer();
    if !args.servers.is_empty() {
        options.servers.clone_from(&args.servers);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the DNS worker")?;
    let report = runtime.block_on(dns::check_dns(&host, &options));
    if args.json {
        output::json(&report)?;
    } else {
        output::text(&text::dns(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn dns_flush(args: &DnsFlushArgs) -> Result<ExitCode> {
    let os = match &args.os {
        Some(name) => match name.parse::<Os>() {
            Ok(os) => os,
            Err(e) => {
                eprintln!("authdoctor: {e}");
                return Ok(ExitCode::from(USAGE_EXIT));
            }
        },
        None => Os::current(),
    };
    let env = if args.os.is_some() && os != Os::current() {
        dns::FlushEnv::default()
    } else {
        dns::detect_flush_env()
    };
    let commands = dns::flush_commands(os, &env);
    if args.json {
        output::json(&commands)?;
    } else {
        output::text(&text::flush(&commands))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn har(args: &HarArgs) -> Result<ExitCode> {
    let reader = match bounded::open(&args.file, bounded::HAR) {
        Ok(reader) => reader,
        Err(e) => {
            eprintln!("authdoctor: {e}");
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    // Read as a stream: memory stays small whatever the size of the log.
    let report = match engine::har::analyze_reader(reader, |_| {}) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("authdoctor: {e}: {}", args.file.display());
            return Ok(ExitCode::from(USAGE_EXIT));
        }
    };
    if args.json {
        output::json(&report)?;
    } else {
        output::text(&text::har(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn lab(args: &LabArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the lab's worker")?;
    runtime.block_on(async {
        let lab = crate::lab::Lab::start(args.port).await?;
        output::line(&format!(
            "AuthDoctor practice lab on http://{} (Ctrl+C to stop)\n",
            lab.addr
        ))?;
        for (i, s) in lab.scenarios.iter().enumerate() {
            output::line(&format!(
                "{:>2}. {}\n    {}\n    {}",
                i + 1,
                s.title,
                lab.url(s),
                s.story
            ))?;
            if let Some(user) = &s.check_user {
                output::line(&format!(
                    "    sign-in given in the story: {user} / {}",
                    s.check_password.as_deref().unwrap_or_default()
                ))?;
            }
            if let Some(token) = lab.state.story_token(s) {
                output::line(&format!("    token given in the story: {token}"))?;
            }
            output::line("")?;
        }
        lab.run_until_interrupted().await;
        Ok::<_, anyhow::Error>(())
    })?;
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
    // An empty variable counts as unset, as clap treats empty values.
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if args.password_stdin {
        credentials.password = Some(read_stdin_secret("password")?);
    } else if let Some(pw) = from_env("AUTHDOCTOR_PASSWORD") {
        credentials.password = Some(Secret::new(pw));
    }
    if args.bearer_stdin {
        credentials.token = Some(read_stdin_secret("token")?);
    } else if let Some(token) = from_env("AUTHDOCTOR_TOKEN") {
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
    credentials
        .check_sendable()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(credentials)
}

/// Reads a password or token from standard input, all of it up to [`bounded::SECRET_STDIN`]:
/// more is refused with a message naming the limit, never cut silently.
fn read_stdin_secret(what: &str) -> Result<Secret> {
    let bytes = bounded::read_all(
        std::io::stdin().lock(),
        "standard input",
        bounded::SECRET_STDIN,
        bounded::Content::Text,
    )
    .with_context(|| format!("could not read the {what}"))?;
    let Ok(buf) = String::from_utf8(bytes) else {
        bail!("standard input is not UTF-8 text, so it holds no {what} AuthDoctor can send");
    };
    let value = buf.trim_end_matches(['\r', '\n']).to_owned();
    drop(buf);
    if value.is_empty() {
        bail!("standard input was empty: no {what} was given");
    }
    Ok(Secret::new(value))
}

fn explain_header(args: &ExplainArgs) -> Result<(), OutputError> {
    // `Authorization`, `Proxy-Authorization` and `Cookie` are what the browser sends: explained
    // as such, and their value never repeated.
    if let Some(sent) = engine::redact::sent_header(&args.value) {
        if args.json {
            let value = serde_json::json!({
                "sent_by_browser": sent,
                "explanation": engine::redact::explain_sent(&sent),
                "challenges": [],
                "problems": [],
                "explanations": [],
            });
            return output::json(&value);
        }
        return output::text(&text::sent_header_explanation(&sent));
    }
    let parsed = challenge::parse_str(&args.value);
    if args.json {
        let value = serde_json::json!({
            "challenges": parsed.challenges,
            "problems": parsed.problems,
            "explanations": parsed.challenges.iter().map(challenge::explain).collect::<Vec<_>>(),
        });
        output::json(&value)
    } else {
        output::text(&text::header_explanation(&parsed))
    }
}
