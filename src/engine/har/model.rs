//! The HAR format as AuthDoctor reads it: the entries of a browser's network log and the
//! streaming reader of a whole file, shared by the 401 analysis ([`super::analyze`]) and the cookie
//! import (`cookies::import::har`).
//!
//! An entry is read in one of two views. [`Entry`] is checked and capped: every value kept is cut
//! at a limit, and an entry without a request or an answer is a problem of its own; the 401
//! analysis reads it. [`RawEntry`] keeps the parts that carry cookies as raw JSON and never fails
//! on their shape, because the cookie import words each bad cookie field itself and still reads an
//! entry the analysis would skip.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::engine::bounded::{self, LossyUtf8};
use crate::engine::probe::MAX_BODY_BYTES;

/// The longest header value or address kept from the log, in bytes; longer ones are cut and
/// end with "…".
pub const MAX_VALUE_BYTES: usize = 16 * 1024;
/// The longest method, date or name kept, in bytes.
pub(super) const MAX_SHORT_BYTES: usize = 256;
/// The most headers kept of one request or answer.
const MAX_HEADERS: usize = 500;
/// The most cookies kept of one request.
pub(super) const MAX_COOKIES: usize = 200;
/// Progress is told after every this many bytes.
const PROGRESS_STEP_BYTES: u64 = 1 << 20;

/// Why a HAR file could not be read at all (a broken entry is skipped and noted instead).
#[derive(Debug, thiserror::Error)]
pub enum HarError {
    /// Not JSON, or not a HAR's shape.
    #[error("this file is not a HAR network log: {0}")]
    NotHar(String),
    /// Larger than [`bounded::HAR`].
    #[error(
        "the file holds more than {}, the most AuthDoctor reads as {}",
        bounded::size(bounded::HAR.max_bytes),
        bounded::HAR.what
    )]
    TooLarge,
    /// Reading the file failed part way.
    #[error("the file could not be read: {0}")]
    Read(String),
}

impl From<serde_json::Error> for HarError {
    fn from(error: serde_json::Error) -> Self {
        match error.io_error_kind() {
            Some(std::io::ErrorKind::FileTooLarge) => HarError::TooLarge,
            Some(_) => HarError::Read(error.to_string()),
            None => HarError::NotHar(error.to_string()),
        }
    }
}
/// `log.creator` or `log.browser`: the tool that wrote the log.
#[derive(Deserialize)]
pub(super) struct NameVersion {
    #[serde(default, deserialize_with = "short_text")]
    pub(super) name: String,
    #[serde(default, deserialize_with = "short_text")]
    pub(super) version: String,
}

/// One entry of `log.entries`, checked and capped: a request and the answer to it.
#[derive(Deserialize)]
pub(super) struct Entry {
    #[serde(rename = "startedDateTime", default, deserialize_with = "short_text")]
    pub(super) started: String,
    #[serde(default)]
    pub(super) time: f64,
    pub(super) request: HarRequest,
    pub(super) response: HarResponse,
    #[serde(rename = "serverIPAddress", default, deserialize_with = "short_text")]
    pub(super) server_ip: String,
}

/// What the browser sent.
#[derive(Deserialize)]
pub(super) struct HarRequest {
    #[serde(default, deserialize_with = "short_text")]
    pub(super) method: String,
    #[serde(deserialize_with = "value_text")]
    pub(super) url: String,
    #[serde(default, deserialize_with = "header_list")]
    pub(super) headers: Vec<NameValue>,
    #[serde(default, deserialize_with = "cookie_list")]
    pub(super) cookies: Vec<NameValue>,
}

/// What the server answered; the body is kept up to [`MAX_BODY_BYTES`].
#[derive(Deserialize)]
pub(super) struct HarResponse {
    #[serde(default)]
    pub(super) status: i64,
    #[serde(rename = "httpVersion", default, deserialize_with = "short_text")]
    pub(super) http_version: String,
    #[serde(default, deserialize_with = "header_list")]
    pub(super) headers: Vec<NameValue>,
    #[serde(rename = "redirectURL", default, deserialize_with = "value_text")]
    pub(super) redirect_url: String,
    #[serde(default)]
    pub(super) content: Content,
}

/// An answer's body.
#[derive(Deserialize, Default)]
pub(super) struct Content {
    #[serde(default, deserialize_with = "body_capped")]
    pub(super) text: String,
}

/// A header or a cookie: its name and value.
#[derive(Deserialize)]
pub(super) struct NameValue {
    #[serde(default, deserialize_with = "short_text")]
    pub(super) name: String,
    #[serde(default, deserialize_with = "value_text")]
    pub(super) value: String,
}

/// Reads a string (or a number, or null) keeping at most `max` bytes, without ever holding the
/// whole of a huge value a second time.
struct Capped {
    max: usize,
    mark_cut: bool,
}

impl Capped {
    fn keep(&self, v: &str) -> String {
        if v.len() <= self.max {
            return v.to_owned();
        }
        let mut end = self.max;
        while !v.is_char_boundary(end) {
            end -= 1;
        }
        let mut kept = v.get(..end).unwrap_or_default().to_owned();
        if self.mark_cut {
            kept.push('…');
        }
        kept
    }
}

impl Visitor<'_> for Capped {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(self.keep(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        if v.len() <= self.max {
            return Ok(v);
        }
        Ok(self.keep(&v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

fn short_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Capped {
        max: MAX_SHORT_BYTES,
        mark_cut: true,
    })
}

fn value_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Capped {
        max: MAX_VALUE_BYTES,
        mark_cut: true,
    })
}

/// Keeps at most [`MAX_BODY_BYTES`] of a body; bodies may be huge or base64.
fn body_capped<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Capped {
        max: MAX_BODY_BYTES,
        mark_cut: false,
    })
}

/// Reads a list of name/value pairs keeping the first `max`; null reads as empty.
struct CappedList {
    max: usize,
}

impl<'de> Visitor<'de> for CappedList {
    type Value = Vec<NameValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of names and values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        while kept.len() < self.max {
            match seq.next_element::<NameValue>()? {
                Some(pair) => kept.push(pair),
                None => return Ok(kept),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(kept)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

fn header_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NameValue>, D::Error> {
    d.deserialize_any(CappedList { max: MAX_HEADERS })
}

fn cookie_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NameValue>, D::Error> {
    d.deserialize_any(CappedList { max: MAX_COOKIES })
}

/// What one pass over a log is told while [`read_into`] reads it.
pub(super) trait LogReader {
    /// `log.creator`, or `None` when it has another shape.
    fn creator(&mut self, creator: Option<NameVersion>);
    /// `log.browser`, or `None` when it has another shape.
    fn browser(&mut self, browser: Option<NameVersion>);
    /// One entry of `log.entries`, given as its raw JSON text.
    fn entry(&mut self, raw: &str);
}

/// The whole file: `{"log": {...}}`, anything else beside `log` skipped.
struct FileSeed<'a, L>(&'a mut L);

impl<'de, L: LogReader> DeserializeSeed<'de> for FileSeed<'_, L> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, L: LogReader> Visitor<'de> for FileSeed<'_, L> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR file (an object with a \"log\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut saw_log = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" && !saw_log {
                map.next_value_seed(LogSeed(&mut *self.0))?;
                saw_log = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if saw_log {
            Ok(())
        } else {
            Err(de::Error::missing_field("log"))
        }
    }
}

/// `log`: its creator and browser, and its entries read one by one.
struct LogSeed<'a, L>(&'a mut L);

impl<'de, L: LogReader> DeserializeSeed<'de> for LogSeed<'_, L> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, L: LogReader> Visitor<'de> for LogSeed<'_, L> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR log (an object with \"entries\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "entries" => map.next_value_seed(EntriesSeed(&mut *self.0))?,
                "creator" => self.0.creator(map.next_value::<Lenient<NameVersion>>()?.0),
                "browser" => self.0.browser(map.next_value::<Lenient<NameVersion>>()?.0),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `log.entries`, each kept as raw JSON only while it is read, so a broken one is skipped and
/// noted while the rest are still read.
struct EntriesSeed<'a, L>(&'a mut L);

impl<'de, L: LogReader> DeserializeSeed<'de> for EntriesSeed<'_, L> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, L: LogReader> Visitor<'de> for EntriesSeed<'_, L> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<serde_json::value::RawValue>>()? {
            self.0.entry(raw.get());
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A value that reads as `None` when it has another shape than expected.
struct Lenient<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(Lenient(T::deserialize(value).ok()))
    }
}

/// Counts the bytes read and tells `progress` every [`PROGRESS_STEP_BYTES`].
struct Counted<R, F> {
    inner: R,
    read: u64,
    told: u64,
    progress: F,
}

impl<R: Read, F: FnMut(u64)> Read for Counted<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read >= self.told + PROGRESS_STEP_BYTES {
            self.told = self.read;
            (self.progress)(self.read);
        }
        Ok(n)
    }
}

/// Reads a HAR log from `reader` as a stream into `log`, telling `progress` how many bytes have
/// been read. A UTF-8 byte-order mark is skipped and invalid UTF-8 read as U+FFFD.
pub(super) fn read_into(
    reader: impl Read,
    progress: impl FnMut(u64),
    log: &mut impl LogReader,
) -> Result<(), HarError> {
    let counted = Counted {
        inner: reader,
        read: 0,
        told: 0,
        progress,
    };
    let mut text = BufReader::with_capacity(256 * 1024, LossyUtf8::new(counted));
    let start = text.fill_buf().map_err(serde_json::Error::io)?;
    if start.starts_with("\u{FEFF}".as_bytes()) {
        text.consume(3);
    }
    let mut json = serde_json::Deserializer::from_reader(text);
    FileSeed(log).deserialize(&mut json)?;
    json.end()?;
    Ok(())
}

/// The parts of an entry that carry cookies, as raw JSON; bodies are skipped unread.
#[derive(Deserialize)]
pub(crate) struct RawEntry {
    #[serde(default)]
    pub(crate) request: RawRequest,
    #[serde(default)]
    pub(crate) response: RawResponse,
}

/// A request's address, headers and cookies, as raw JSON.
#[derive(Default, Deserialize)]
pub(crate) struct RawRequest {
    #[serde(default)]
    pub(crate) url: Value,
    #[serde(default)]
    pub(crate) headers: Value,
    #[serde(default)]
    pub(crate) cookies: Value,
}

/// An answer's headers and cookies, as raw JSON.
#[derive(Default, Deserialize)]
pub(crate) struct RawResponse {
    #[serde(default)]
    pub(crate) headers: Value,
    #[serde(default)]
    pub(crate) cookies: Value,
}

/// Header values named `name` (any case) in a raw HAR header list.
pub(crate) fn raw_headers<'v>(
    headers: &'v Value,
    name: &'v str,
) -> impl Iterator<Item = &'v str> + 'v {
    headers
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(move |h| {
            let obj = h.as_object()?;
            let n = obj.get("name")?.as_str()?;
            n.eq_ignore_ascii_case(name)
                .then(|| obj.get("value")?.as_str())
                .flatten()
        })
}
