//! The one way AuthDoctor reads files and streams from outside (HAR logs, reports, cookie exports,
//! `.htaccess`, password files, standard input): bytes are counted as they arrive, whatever the
//! file's metadata says (it says 0 for pipes and devices such as `/dev/zero`), and reading stops
//! with a clear message that names the limit as soon as one byte too many has come in.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// How much AuthDoctor reads of one kind of input, and what that input is called in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The input, as a message names it after "the most AuthDoctor reads as": "a HAR network log".
    pub what: &'static str,
    /// The most bytes read; one more is refused.
    pub max_bytes: u64,
}

const MIB: u64 = 1024 * 1024;

/// A HAR network log. It is read as a stream, so memory does not grow with it; the limit only
/// keeps a device or an endless pipe from being read for ever.
pub const HAR: Limit = Limit {
    what: "a HAR network log",
    max_bytes: 2048 * MIB,
};

/// A saved AuthDoctor report (`.authdoctor.json`).
pub const REPORT: Limit = Limit {
    what: "a saved report",
    max_bytes: 64 * MIB,
};

/// A cookie export (cookies.txt, a JSON export or a HAR log used for its cookies).
pub const COOKIES: Limit = Limit {
    what: "a cookie export",
    max_bytes: crate::engine::cookies::MAX_IMPORT_BYTES as u64,
};

/// An `.htaccess` file or an nginx snippet.
pub const SERVER_CONFIG: Limit = Limit {
    what: "a server configuration file",
    max_bytes: 4 * MIB,
};

/// A password file (htpasswd, htdigest).
pub const PASSWORD_FILE: Limit = Limit {
    what: "a password file",
    max_bytes: 4 * MIB,
};

/// A password or token piped into standard input.
pub const SECRET_STDIN: Limit = Limit {
    what: "a password or token",
    max_bytes: crate::engine::token::MAX_TOKEN_BYTES as u64,
};

/// The hosts file (`/etc/hosts`).
pub const HOSTS_FILE: Limit = Limit {
    what: "a hosts file",
    max_bytes: 16 * MIB,
};

/// What the bytes must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// Text: a zero byte (which no text file holds; `/dev/zero` is nothing else) is refused at
    /// once, without reading on to the limit.
    Text,
    /// Any bytes (UTF-16 text has zero bytes).
    Bytes,
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened.
    #[error("could not open {name}: {source}")]
    Open {
        /// The path as shown, or "standard input".
        name: String,
        /// The system's words.
        source: io::Error,
    },
    /// Reading failed part way.
    #[error("could not read {name}: {source}")]
    Read {
        /// The path as shown.
        name: String,
        /// The system's words.
        source: io::Error,
    },
    /// More bytes came than the limit allows.
    #[error("{name} holds more than {}, the most AuthDoctor reads as {}", size(limit.max_bytes), limit.what)]
    TooLarge {
        /// The path as shown.
        name: String,
        /// The limit that was passed.
        limit: Limit,
    },
    /// A zero byte in what must be text.
    #[error("{name} is not a text file (it holds zero bytes); AuthDoctor reads it as {what}")]
    NotText {
        /// The path as shown.
        name: String,
        /// What it was read as.
        what: &'static str,
    },
}

impl ReadError {
    /// The system's error kind, for callers that treat a missing file as empty.
    #[must_use]
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            ReadError::Open { source, .. } | ReadError::Read { source, .. } => source.kind(),
            ReadError::TooLarge { .. } => io::ErrorKind::FileTooLarge,
            ReadError::NotText { .. } => io::ErrorKind::InvalidData,
        }
    }
}

impl From<ReadError> for io::Error {
    fn from(error: ReadError) -> io::Error {
        io::Error::new(error.kind(), error.to_string())
    }
}

/// The error a [`Bounded`] reader returns once the limit is passed, inside an [`io::Error`] of
/// kind [`io::ErrorKind::FileTooLarge`] (the kind survives parsers that keep only the kind, such
/// as `serde_json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitPassed(pub Limit);

impl fmt::Display for LimitPassed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "more than {}, the most AuthDoctor reads as {}",
            size(self.0.max_bytes),
            self.0.what
        )
    }
}

impl std::error::Error for LimitPassed {}

/// The limit that stopped reading, when `error` is a [`Bounded`] reader's refusal.
#[must_use]
pub fn limit_passed(error: &io::Error) -> Option<Limit> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LimitPassed>())
        .map(|passed| passed.0)
}

fn refusal(limit: Limit) -> io::Error {
    io::Error::new(io::ErrorKind::FileTooLarge, LimitPassed(limit))
}

/// A reader that counts the bytes it hands out and fails with [`LimitPassed`] once more than
/// the limit have come from the inner reader.
#[derive(Debug)]
pub struct Bounded<R> {
    inner: R,
    limit: Limit,
    read: u64,
}

impl<R: Read> Bounded<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, limit: Limit) -> Self {
        Bounded {
            inner,
            limit,
            read: 0,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the limit is asked for, so that a file of exactly the limit is accepted.
        let room = (self.limit.max_bytes + 1).saturating_sub(self.read);
        if room == 0 {
            return Err(refusal(self.limit));
        }
        let wanted = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..wanted).unwrap_or_default())?;
        self.read += n as u64;
        if self.read > self.limit.max_bytes {
            return Err(refusal(self.limit));
        }
        Ok(n)
    }
}

/// Opens `path` for bounded reading. The file's metadata is never trusted for the size.
pub fn open(path: &Path, limit: Limit) -> Result<Bounded<File>, ReadError> {
    File::open(path)
        .map(|file| Bounded::new(file, limit))
        .map_err(|source| ReadError::Open {
            name: path.display().to_string(),
            source,
        })
}

/// Reads all of `reader` (named `name` in messages), refusing more than `limit` bytes and, for
/// [`Content::Text`], any zero byte as soon as it arrives.
pub fn read_all(
    reader: impl Read,
    name: &str,
    limit: Limit,
    content: Content,
) -> Result<Vec<u8>, ReadError> {
    let mut reader = Bounded::new(reader, limit);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(match limit_passed(&e) {
                    Some(limit) => ReadError::TooLarge {
                        name: name.to_owned(),
                        limit,
                    },
                    None => ReadError::Read {
                        name: name.to_owned(),
                        source: e,
                    },
                });
            }
        };
        let got = chunk.get(..n).unwrap_or_default();
        if content == Content::Text && got.contains(&0) {
            return Err(ReadError::NotText {
                name: name.to_owned(),
                what: limit.what,
            });
        }
        bytes.extend_from_slice(got);
    }
}

/// Reads the file at `path` whole: bytes, at most `limit`.
pub fn read_file(path: &Path, limit: Limit, content: Content) -> Result<Vec<u8>, ReadError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| ReadError::Open {
        name: name.clone(),
        source,
    })?;
    read_all(file, &name, limit, content)
}

/// Reads the text file at `path` whole (invalid UTF-8 shown as U+FFFD), at most `limit` bytes.
pub fn read_text_file(path: &Path, limit: Limit) -> Result<String, ReadError> {
    let bytes = read_file(path, limit, Content::Text)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// A byte count as people read it: "64 MiB", "2 GiB", "1,500 bytes".
#[must_use]
pub fn size(bytes: u64) -> String {
    const GIB: u64 = 1024 * MIB;
    if bytes >= GIB && bytes % GIB == 0 {
        format!("{} GiB", bytes / GIB)
    } else if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{} bytes", thousands(bytes))
    }
}

/// A number with a comma between each group of three digits: 198,000.
#[must_use]
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A reader that passes valid UTF-8 through and turns every invalid sequence into U+FFFD, as
/// [`String::from_utf8_lossy`] does, but as a stream: a JSON parser reading a browser's log
/// then never fails on one stray byte in a recorded page.
#[derive(Debug)]
pub struct LossyUtf8<R> {
    inner: R,
    /// Bytes read but not yet checked: at most the start of one sequence cut by the chunk end.
    pending: Vec<u8>,
    /// Checked text not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    chunk: Vec<u8>,
    at_end: bool,
}

impl<R: Read> LossyUtf8<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        LossyUtf8 {
            inner,
            pending: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            chunk: vec![0u8; 64 * 1024],
            at_end: false,
        }
    }

    /// The reader inside.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// Moves the checked part of `pending` to `out`, keeping a sequence cut by the chunk's end.
    fn check_pending(&mut self) {
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    self.out.extend_from_slice(valid.as_bytes());
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.out.extend_from_slice(valid);
                    match e.error_len() {
                        Some(len) => {
                            self.out.extend_from_slice("\u{FFFD}".as_bytes());
                            rest = after.get(len..).unwrap_or_default();
                        }
                        // Cut by the end of what was read: wait for the next chunk.
                        None if !self.at_end => {
                            rest = after;
                            break;
                        }
                        None => {
                            self.out.extend_from_slice("\u{FFFD}".as_bytes());
                            rest = &[];
                            break;
                        }
                    }
                }
            }
        }
        let keep = rest.len();
        let start = self.pending.len() - keep;
        self.pending.drain(..start);
    }
}

impl<R: Read> Read for LossyUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let available = self.out.get(self.out_pos..).unwrap_or_default();
                let n = available.len().min(buf.len());
                buf.get_mut(..n)
                    .unwrap_or_default()
                    .copy_from_slice(available.get(..n).unwrap_or_default());
                self.out_pos += n;
                return Ok(n);
            }
            self.out.clear();
            self.out_pos = 0;
            if self.at_end {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.chunk)?;
            if n == 0 {
                self.at_end = true;
            } else {
                self.pending
                    .extend_from_slice(self.chunk.get(..n).unwrap_or_default());
            }
            self.check_pending();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        what: "a test input",
        max_bytes: 10,
    };

    /// An endless stream of one byte, like `/dev/zero` or `yes`.
    struct Endless(u8);

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(self.0);
            Ok(buf.len())
        }
    }

    #[test]
    fn an_input_of_exactly_the_limit_is_read_and_one_byte_more_is_refused() {
        let ten = read_all(&b"0123456789"[..], "ten", SMALL, Content::Text);
        assert_eq!(ten.ok().map(|b| b.len()), Some(10));
        let eleven = read_all(&b"0123456789a"[..], "eleven", SMALL, Content::Text);
        assert!(matches!(eleven, Err(ReadError::TooLarge { limit, .. }) if limit == SMALL));
    }

    #[test]
    fn an_endless_stream_stops_at_the_limit_and_the_message_names_it() {
        let endless = read_all(Endless(b'a'), "standard input", SECRET_STDIN, Content::Text);
        let Err(error) = endless else {
            panic!("an endless stream was read to its end");
        };
        assert!(matches!(error, ReadError::TooLarge { .. }));
        let message = error.to_string();
        assert!(message.contains("1 MiB"), "{message}");
        assert!(message.contains("standard input"), "{message}");
    }

    #[test]
    fn zero_bytes_in_text_are_refused_at_once_but_kept_in_bytes() {
        let mut reader = Bounded::new(Endless(0), HAR);
        let mut first = [1u8; 8];
        assert_eq!(reader.read(&mut first).ok(), Some(8));
        assert!(matches!(
            read_all(Endless(0), "/dev/zero", COOKIES, Content::Text),
            Err(ReadError::NotText { .. })
        ));
        let utf16 = b"\xff\xfeh\0o\0s\0t\0";
        assert_eq!(
            read_all(&utf16[..], "hosts", HOSTS_FILE, Content::Bytes)
                .ok()
                .as_deref(),
            Some(&utf16[..])
        );
    }

    #[test]
    fn the_refusal_is_found_through_other_errors() {
        let mut reader = Bounded::new(Endless(b' '), SMALL);
        let mut sink = Vec::new();
        let Err(error) = reader.read_to_end(&mut sink) else {
            panic!("read past the limit");
        };
        assert!(sink.len() <= 10, "nothing past the limit is handed out");
        assert_eq!(limit_passed(&error), Some(SMALL));
        let json: Result<serde_json::Value, _> =
            serde_json::from_reader(Bounded::new(Endless(b' '), SMALL));
        let Err(json_error) = json else {
            panic!("parsed an endless stream");
        };
        assert_eq!(
            json_error.io_error_kind(),
            Some(io::ErrorKind::FileTooLarge)
        );
    }

    #[test]
    fn sizes_are_written_as_people_read_them() {
        assert_eq!(size(2048 * MIB), "2 GiB");
        assert_eq!(size(4 * MIB), "4 MiB");
        assert_eq!(size(1500), "1,500 bytes");
        assert_eq!(thousands(198_000), "198,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }

    /// Reads through [`LossyUtf8`] in reads of `step` bytes at most.
    fn lossy(bytes: &[u8], step: usize) -> String {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                let (head, tail) = self.0.split_at(n);
                buf.get_mut(..n).unwrap_or_default().copy_from_slice(head);
                self.0 = tail;
                Ok(n)
            }
        }
        let mut out = String::new();
        let read = LossyUtf8::new(Trickle(bytes, step)).read_to_string(&mut out);
        assert!(read.is_ok(), "{read:?}");
        out
    }

    #[test]
    fn lossy_reading_matches_from_utf8_lossy_whatever_the_chunk_size() {
        let samples: [&[u8]; 5] = [
            "grüß € 𝄞 ok".as_bytes(),
            b"bad \xff\xfe byte",
            b"cut at the end \xe2\x82",
            b"\xf0\x9d\x84 broken four, then \xc3",
            b"",
        ];
        for sample in samples {
            let expected = String::from_utf8_lossy(sample);
            for step in [1, 2, 3, 5, 64 * 1024] {
                assert_eq!(
                    lossy(sample, step),
                    expected,
                    "{sample:?} in steps of {step}"
                );
            }
        }
    }
}
