//! Writing the answer to standard output: a closed pipe (`authdoctor har FILE | head -1`) ends
//! quietly with exit 0, as other Unix tools do; any other write error (a full disk) ends with a
//! message and [`OUTPUT_EXIT`], never a panic.

use std::io::{self, Write as _};
use std::process::ExitCode;

use serde::Serialize;

/// Exit code when the answer could not be written (a full disk, a closed file): `EX_IOERR` of
/// sysexits.h.
pub const OUTPUT_EXIT: u8 = 74;

/// Standard output could not take the answer.
#[derive(Debug, thiserror::Error)]
#[error("could not write the answer to standard output: {0}")]
pub struct OutputError(#[source] io::Error);

impl OutputError {
    /// How the process ends: quietly with success for a reader that stopped reading, with a
    /// message and [`OUTPUT_EXIT`] for anything else.
    #[must_use]
    pub fn exit_code(&self) -> ExitCode {
        if self.0.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
        let _ = writeln!(io::stderr(), "authdoctor: {self}");
        ExitCode::from(OUTPUT_EXIT)
    }
}

/// Writes `text` as it is.
pub fn text(text: &str) -> Result<(), OutputError> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(OutputError)
}

/// Writes one line.
pub fn line(text: &str) -> Result<(), OutputError> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(OutputError)
}

/// Writes `value` as pretty JSON and a line break, streamed (never built whole in memory first).
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), OutputError> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(OutputError)
}
