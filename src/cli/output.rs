//! Writing the answer to standard output: a closed pipe (`authdoctor har FILE | head -1`) ends
//! quietly with exit 0, as other Unix tools do; any other write error (a full disk) ends with a
//! message and [`OUTPUT_EXIT`], never a panic.

use std::io::{self, Write as _};
use std::process::ExitCode;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::engine::redact;

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

/// Writes `value` as pretty JSON and a line break, streamed (never built whole in memory first),
/// with the characters a terminal may obey escaped as [`redact::json_for_terminal`] does.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), OutputError> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, TerminalSafe(PrettyFormatter::new()));
    value
        .serialize(&mut serializer)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(OutputError)
}

/// serde's pretty formatter, but string contents that a terminal may obey are written as `\u` escapes
/// (the same meaning in JSON).
struct TerminalSafe(PrettyFormatter<'static>);

impl Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| redact::unsafe_in_json(c))
        {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}
