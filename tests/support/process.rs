//! Runs a real server program (Apache, nginx, lighttpd, Tomcat, a framework app…) for a test: starts it on
//! a free port (another port when that one was taken), waits until it answers, stops it on drop.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a server may take to answer its first request, unless its `Launch` says otherwise.
pub(super) const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How often to pick a new port when another program took the chosen one first.
const START_ATTEMPTS: u32 = 3;
/// How long a server may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// The path requested to learn that a server is up; the nginx config answers it itself.
pub(super) const READY_PATH: &str = "/__authdoctor_ready__";

/// A running server program; dropping it stops the program (SIGTERM, then SIGKILL) and reaps it.
pub(super) struct ServerProcess {
    child: Child,
}

/// Why a server did not come up.
pub(super) enum StartFailure {
    /// Something else took the port between choosing it and the server binding it; try another.
    PortTaken,
    /// Anything else, described with the server's logs.
    Failed(String),
}

/// How to recognise our server in its answer to `GET READY_PATH` (and not another program on the port).
#[derive(Clone, Copy, Debug)]
pub(super) enum Identity<'a> {
    /// The `Server` header starts with this, e.g. `Apache`.
    ServerHeader(&'a str),
    /// This header (name in lowercase) starts with this value, e.g. `x-powered-by: Express`.
    Header(&'a str, &'a str),
    /// The body contains this text (for servers that send no identifying header, like Tomcat).
    BodyContains(&'a str),
}

impl Identity<'_> {
    fn matches(self, answer: &Answer) -> bool {
        match self {
            Self::ServerHeader(prefix) => answer
                .header("server")
                .is_some_and(|value| value.starts_with(prefix)),
            Self::Header(name, prefix) => answer
                .header(name)
                .is_some_and(|value| value.starts_with(prefix)),
            Self::BodyContains(text) => answer.body.contains(text),
        }
    }
}

/// What to start and how to recognise it once it answers.
pub(super) struct Launch<'a> {
    /// Human name for messages, e.g. `apache2`.
    pub name: &'a str,
    /// The command, ready to spawn (its stdout and stderr are redirected here).
    pub command: Command,
    /// The loopback port the server was configured to listen on.
    pub port: u16,
    /// How the server's answer shows it is ours.
    pub identity: Identity<'a>,
    /// How long it may take to answer its first request (a JVM takes longer than nginx).
    pub start_timeout: Duration,
    /// Where the program's stdout and stderr go.
    pub output_path: PathBuf,
    /// The server's own error log, shown when it fails (may be the same as `output_path`).
    pub error_log_path: PathBuf,
    /// The configuration written for this start, shown when it fails.
    pub config_path: PathBuf,
}

/// Starts a server on a free loopback port: `launch_on(port)` writes its config for that port and says how
/// to run it. When another program took the port first, tries again with another (at most 3 times); any
/// other failure panics with the server's logs and config. Returns the running server and its port.
pub(super) fn start_on_free_port<'a>(
    mut launch_on: impl FnMut(u16) -> Launch<'a>,
) -> (ServerProcess, u16) {
    let mut failures = Vec::new();
    let mut name = String::new();
    for _ in 0..START_ATTEMPTS {
        let port = super::free_port();
        let launch = launch_on(port);
        launch.name.clone_into(&mut name);
        let config_path = launch.config_path.clone();
        match ServerProcess::start(launch) {
            Ok(process) => return (process, port),
            Err(StartFailure::PortTaken) => failures.push(format!("port {port} was taken")),
            Err(StartFailure::Failed(message)) => panic!(
                "{name} did not start\n{message}\n--- config ({}):\n{}",
                config_path.display(),
                read_lossy(&config_path)
            ),
        }
    }
    panic!("{name} did not start: {}", failures.join("; "));
}

impl ServerProcess {
    /// Spawns the server and waits (bounded) until it answers an HTTP request on its port.
    pub(super) fn start(mut launch: Launch<'_>) -> Result<Self, StartFailure> {
        let output = File::create(&launch.output_path).map_err(|error| {
            StartFailure::Failed(format!(
                "cannot create {}: {error}",
                launch.output_path.display()
            ))
        })?;
        let output_for_stderr = output.try_clone().map_err(|error| {
            StartFailure::Failed(format!("cannot clone a file handle: {error}"))
        })?;
        let child = launch
            .command
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(output_for_stderr)
            .spawn()
            .map_err(|error| {
                StartFailure::Failed(format!("cannot start {}: {error}", launch.name))
            })?;
        let mut process = Self { child };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, launch.port));
        let deadline = Instant::now() + launch.start_timeout;
        loop {
            if let Ok(Some(status)) = process.child.try_wait() {
                let logs = logs(&launch);
                // "Address already in use" (most servers), "That port is already in use" (Django).
                return Err(if logs.to_ascii_lowercase().contains("already in use") {
                    StartFailure::PortTaken
                } else {
                    StartFailure::Failed(format!("{} exited with {status}\n{logs}", launch.name))
                });
            }
            if let Some(answer) = ready_answer(address) {
                return if launch.identity.matches(&answer) {
                    Ok(process)
                } else {
                    // Another program answers on this port; ours will fail to bind. Dropping stops it.
                    Err(StartFailure::PortTaken)
                };
            }
            if Instant::now() > deadline {
                return Err(StartFailure::Failed(format!(
                    "{} did not answer on {address} within {} s\n{}",
                    launch.name,
                    launch.start_timeout.as_secs(),
                    logs(&launch)
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // SIGTERM first so a master process also stops its workers; std can only send SIGKILL.
        let terminated = Command::new("sh")
            .args([
                "-c",
                "kill -TERM \"$1\"",
                "sh",
                &self.child.id().to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if terminated {
            let deadline = Instant::now() + STOP_TIMEOUT;
            while Instant::now() < deadline {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        // Already exited, or would not stop: kill it; either way reap it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The head and body of an HTTP answer, as read by the readiness probe.
struct Answer {
    head: String,
    body: String,
}

impl Answer {
    /// The first value of the header `name` (case-insensitive), trimmed.
    fn header(&self, name: &str) -> Option<&str> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
    }
}

/// The answer to `GET READY_PATH`, if something answers HTTP on `address`.
fn ready_answer(address: SocketAddr) -> Option<Answer> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .ok()?;
    write!(
        stream,
        "GET {READY_PATH} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        address.port()
    )
    .ok()?;
    let mut response = Vec::new();
    // An error after some bytes (e.g. a reset) still leaves the head we need in `response`.
    let _ = stream.take(64 * 1024).read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    if !head.starts_with("HTTP/") {
        return None;
    }
    Some(Answer {
        head: head.to_owned(),
        body: body.to_owned(),
    })
}

/// The program's output and error log, for a failure message.
fn logs(launch: &Launch<'_>) -> String {
    format!(
        "--- {} output ({}):\n{}\n--- error log ({}):\n{}",
        launch.name,
        launch.output_path.display(),
        read_lossy(&launch.output_path),
        launch.error_log_path.display(),
        read_lossy(&launch.error_log_path)
    )
}

/// The file's text, or a note that it could not be read.
pub(super) fn read_lossy(path: &Path) -> String {
    std::fs::read(path).map_or_else(
        |error| format!("(cannot read {}: {error})", path.display()),
        |bytes| String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Whether this process runs as root (uid 0), read from `/proc/self/status`.
pub(super) fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().next())
            == Some("0")
    })
}

/// Makes `path` and everything under it readable (and directories enterable) by every user, so a
/// server's worker processes that dropped root privileges can read the test's files.
pub(super) fn make_world_readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let metadata = std::fs::metadata(path)
        .unwrap_or_else(|error| panic!("cannot stat {}: {error}", path.display()));
    let mode = if metadata.is_dir() { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|error| panic!("cannot chmod {}: {error}", path.display()));
    if metadata.is_dir() {
        let entries = std::fs::read_dir(path)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", path.display()));
        for entry in entries {
            let entry =
                entry.unwrap_or_else(|error| panic!("cannot list {}: {error}", path.display()));
            make_world_readable(&entry.path());
        }
    }
}

/// Writes `contents` to `path`, creating parent directories.
/// The document root Apache and nginx serve: `htdocs/` under `root` with an index, `/open/` and
/// `/secret/`, then `extra_pages` (e.g. `digest`) and the setup's own `files` over them.
pub(super) fn write_docroot(
    root: &Path,
    extra_pages: &[&str],
    files: impl IntoIterator<Item = (PathBuf, Vec<u8>)>,
) -> PathBuf {
    let docroot = root.join("htdocs");
    write_file(&docroot.join("index.html"), b"AuthDoctor test root\n");
    for page in ["open", "secret"].iter().chain(extra_pages) {
        write_file(
            &docroot.join(format!("{page}/index.html")),
            format!("{page} page\n").as_bytes(),
        );
    }
    for (path, contents) in files {
        write_file(&docroot.join(path), &contents);
    }
    docroot
}

pub(super) fn write_file(path: &Path, contents: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", parent.display()));
    }
    std::fs::write(path, contents)
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
}

/// A server started from its own temp dir: the process, its port and the dir (config, logs, files).
pub(super) struct Running {
    // Field order matters: the process must stop before its directory is deleted.
    process: ServerProcess,
    port: u16,
    root: TempDir,
}

impl Running {
    /// Makes a temp dir named after `prefix` for a server's files.
    pub(super) fn temp_dir(prefix: &str) -> TempDir {
        tempfile::Builder::new()
            .prefix(&format!("authdoctor-{prefix}-"))
            .tempdir()
            .unwrap_or_else(|error| panic!("cannot create a temp dir for {prefix}: {error}"))
    }

    /// Starts the server `launch_on(port)` describes (see [`start_on_free_port`]) with its files in `root`.
    pub(super) fn start<'a>(root: TempDir, launch_on: impl FnMut(u16) -> Launch<'a>) -> Self {
        let (process, port) = start_on_free_port(launch_on);
        Self {
            process,
            port,
            root,
        }
    }

    /// The full URL of `path`, e.g. `http://127.0.0.1:4321/secret/`.
    pub(super) fn url(&self, path: &str) -> String {
        let separator = if path.starts_with('/') { "" } else { "/" };
        format!("http://127.0.0.1:{}{separator}{path}", self.port)
    }

    /// The port the server listens on.
    pub(super) fn port(&self) -> u16 {
        self.port
    }

    /// The temp dir with the server's config, logs and files.
    pub(super) fn root(&self) -> &Path {
        self.root.path()
    }

    /// The text of a file in the temp dir (a log), or a note that it could not be read.
    pub(super) fn read(&self, path_in_root: &str) -> String {
        read_lossy(&self.root.path().join(path_in_root))
    }
}
