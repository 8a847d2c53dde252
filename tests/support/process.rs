//! Runs a real server program (Apache, nginx) for a test: waits until it answers, stops it on drop.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(10);
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

/// What to start and how to recognise it once it answers.
pub(super) struct Launch<'a> {
    /// Human name for messages, e.g. `apache2`.
    pub name: &'a str,
    /// The command, ready to spawn (its stdout and stderr are redirected here).
    pub command: Command,
    /// The loopback port the server was configured to listen on.
    pub port: u16,
    /// How the `Server` response header of this server starts, e.g. `Apache`.
    pub server_header_prefix: &'a str,
    /// Where the program's stdout and stderr go.
    pub output_path: PathBuf,
    /// The server's own error log, shown when it fails.
    pub error_log_path: PathBuf,
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
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = process.child.try_wait() {
                let logs = logs(&launch);
                return Err(if logs.contains("Address already in use") {
                    StartFailure::PortTaken
                } else {
                    StartFailure::Failed(format!("{} exited with {status}\n{logs}", launch.name))
                });
            }
            if let Some(server_header) = server_header(address) {
                return if server_header.starts_with(launch.server_header_prefix) {
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
                    START_TIMEOUT.as_secs(),
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

/// The `Server` header of the answer to `GET READY_PATH`, if something answers HTTP on `address`.
fn server_header(address: SocketAddr) -> Option<String> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .ok()?;
    write!(
        stream,
        "GET {READY_PATH} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
        address.port()
    )
    .ok()?;
    let mut response = Vec::new();
    // An error after some bytes (e.g. a reset) still leaves the head we need in `response`.
    let _ = stream.take(64 * 1024).read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    let head = response.split("\r\n\r\n").next()?;
    if !head.starts_with("HTTP/") {
        return None;
    }
    Some(
        head.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("server"))
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default(),
    )
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
pub(super) fn write_file(path: &Path, contents: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", parent.display()));
    }
    std::fs::write(path, contents)
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
}
