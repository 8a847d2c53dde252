//! The lenient reader of `WWW-Authenticate` and `Proxy-Authenticate` values: challenges in order,
//! and a plain-language problem for everything malformed or forgiven.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::{Challenge, MAX_CHALLENGES, MAX_QUOTED_CHARS, ParsedChallenges, plural, shown};
use crate::engine::work;

/// The most distinct problems listed for one header before a closing "more problems" note.
pub(super) const MAX_PROBLEMS: usize = 50;

/// Parameter names that are never scheme names: a bare one after a challenge is a parameter without
/// a value, not the start of a new challenge.
const WELL_KNOWN_PARAM_NAMES: [&str; 14] = [
    "realm",
    "nonce",
    "opaque",
    "algorithm",
    "qop",
    "stale",
    "domain",
    "charset",
    "userhash",
    "error",
    "error_description",
    "error_uri",
    "scope",
    "resource_metadata",
];

/// Whether `b` may appear in a token (RFC 9110 `tchar`): scheme and parameter names, unquoted values.
#[must_use]
pub fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `b` may appear in a `token68` before its `=` padding.
fn is_token68_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

/// Parses every header line (raw bytes, may be non-UTF-8) of one header name, in order.
///
/// Lines are read as if joined by commas, as RFC 9110 allows, so a line that starts with parameters
/// continues the challenge of the line before (and a problem says so).
#[must_use]
pub fn parse_lines(lines: &[&[u8]]) -> ParsedChallenges {
    parse_all(lines.iter().copied(), lines.len(), HeaderName::Unexpected)
}

/// Parses one header value; a leading "WWW-Authenticate:" or "Proxy-Authenticate:" (any case) is
/// accepted and stripped.
///
/// Text pasted with several lines is read line by line: each line may start with the header name,
/// and a line starting with a space or tab continues the one before.
#[must_use]
pub fn parse_str(value: &str) -> ParsedChallenges {
    work::add(value.len());
    let mut lines: Vec<String> = Vec::new();
    for raw in value.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim_matches(is_ws_char).is_empty() {
            continue;
        }
        match lines.last_mut() {
            Some(last) if raw.starts_with(is_ws_char) => {
                last.push(' ');
                last.push_str(raw.trim_start_matches(is_ws_char));
            }
            _ => lines.push(strip_header_name(raw).unwrap_or(raw).to_owned()),
        }
    }
    parse_all(
        lines.iter().map(String::as_bytes),
        lines.len(),
        HeaderName::AlreadyStripped,
    )
}

/// Whether a header name inside a value is expected (pasted text) or a server mistake.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderName {
    /// The caller already removed it; one still there is a mistake worth noting.
    AlreadyStripped,
    /// Raw header values from a server: a header name inside one is a server mistake.
    Unexpected,
}

fn parse_all<'a>(
    lines: impl Iterator<Item = &'a [u8]>,
    line_count: usize,
    header_name: HeaderName,
) -> ParsedChallenges {
    let mut parser = Parser::default();
    let several = line_count > 1;
    let mut any_text = false;
    for (index, raw) in lines.enumerate() {
        parser.line_label = several.then_some(index + 1);
        let line = parser.prepare(raw, header_name);
        if line.trim_matches(is_ws_char).is_empty() {
            if several {
                parser.note("the header value is empty");
            }
            continue;
        }
        any_text = true;
        parser.parse_line(&line, index > 0);
    }
    parser.finish(any_text)
}

/// Where the parameters read next go.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Target {
    /// No challenge has started yet: parameters belong to nothing.
    #[default]
    Nothing,
    /// The last challenge in the output.
    Last,
    /// A challenge past [`MAX_CHALLENGES`], which is being dropped.
    Dropped,
}

/// The state of one parse over all lines of a header.
#[derive(Default)]
struct Parser {
    out: ParsedChallenges,
    target: Target,
    ignored_challenges: usize,
    problems_overflowed: bool,
    /// The 1-based line number put before problems, `None` when the header has one line.
    line_label: Option<usize>,
}

/// A quoted string read from the header.
struct Quoted {
    value: String,
    /// Index just past the closing quote (or the end of the line when there is none).
    end: usize,
    closed: bool,
}

impl Parser {
    /// Records a problem once, prefixed with the line number when the header has several lines.
    fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        let text = match self.line_label {
            Some(line) => format!("on line {line}, {text}"),
            None => text,
        };
        work::add(self.out.problems.len() * text.len());
        if self.out.problems.contains(&text) {
            return;
        }
        if self.out.problems.len() >= MAX_PROBLEMS {
            self.problems_overflowed = true;
            return;
        }
        self.out.problems.push(text);
    }

    /// Decodes one raw line, turns control characters into spaces and strips a header name.
    fn prepare(&mut self, raw: &[u8], header_name: HeaderName) -> String {
        // Decoded, searched for control characters, maybe cleaned, and its start compared.
        work::add(3 * raw.len());
        let decoded = String::from_utf8_lossy(raw);
        if matches!(decoded, Cow::Owned(_)) {
            self.note(
                "the header contains bytes that are not valid text (UTF-8); \
                 each was replaced with the sign \u{FFFD}",
            );
        }
        let text = if decoded.chars().any(is_bad_control) {
            self.note(
                "the header contains control characters (invisible codes such as line breaks); \
                 they were read as spaces",
            );
            decoded
                .chars()
                .map(|c| if is_bad_control(c) { ' ' } else { c })
                .collect()
        } else {
            decoded.into_owned()
        };
        match strip_header_name(&text) {
            Some(rest) => {
                if header_name == HeaderName::Unexpected {
                    self.note(
                        "the value repeats the header's own name (WWW-Authenticate: or \
                         Proxy-Authenticate:) before the challenge, which browsers will not understand; \
                         it was skipped here",
                    );
                }
                rest.to_owned()
            }
            None => text,
        }
    }

    /// Reads the challenges and parameters of one line (already decoded and cleaned).
    fn parse_line(&mut self, line: &str, is_later_line: bool) {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut first_item = true;
        loop {
            i = skip_while(bytes, i, |c| is_ws(c) || c == b',');
            let Some(&c) = bytes.get(i) else { break };
            i = match c {
                b'"' => {
                    let quoted = read_quoted(bytes, i);
                    self.note(format!(
                        "the quoted text {} is not attached to any name; it was skipped",
                        shown(&quoted.value)
                    ));
                    quoted.end
                }
                b'=' => {
                    self.note("an equals sign (=) stands where a name should be; it was skipped");
                    skip_while(bytes, i, |c| c == b'=')
                }
                _ => {
                    let end = word_end(bytes, i);
                    let word = slice(line, i, end);
                    let after = skip_ws(bytes, end);
                    if bytes.get(after) == Some(&b'=') {
                        if first_item && is_later_line && self.target == Target::Last {
                            self.note_continuation();
                        }
                        self.param(line, word, after)
                    } else if self.target != Target::Nothing
                        && WELL_KNOWN_PARAM_NAMES.contains(&lowercase(word).as_str())
                    {
                        self.note(format!(
                            "the setting {} has no value (no = after it)",
                            shown(word)
                        ));
                        self.add_param(word, String::new());
                        self.expect_separator(line, end)
                    } else if !word.bytes().any(|b| b.is_ascii_alphanumeric()) {
                        self.note(format!(
                            "the text {} is neither a sign-in method name nor a setting; \
                             it was skipped",
                            shown(word)
                        ));
                        end
                    } else {
                        self.scheme(line, word, end)
                    }
                }
            };
            first_item = false;
        }
    }

    fn note_continuation(&mut self) {
        let scheme = self
            .out
            .challenges
            .last()
            .map(|c| shown(&c.scheme))
            .unwrap_or_default();
        self.note(format!(
            "the line starts with settings, not a sign-in method name; they were added to the {scheme} \
             challenge of the line before, as the standard allows, but some browsers read each line \
             on its own"
        ));
    }

    /// Reads the parameter `name` whose `=` is at `eq`; returns where reading goes on.
    fn param(&mut self, line: &str, name: &str, eq: usize) -> usize {
        let bytes = line.as_bytes();
        self.check_name(name, "setting name");
        let start = skip_ws(bytes, eq + 1);
        let (value, end) = match bytes.get(start) {
            Some(b'"') => {
                let quoted = read_quoted(bytes, start);
                if !quoted.closed {
                    self.note(format!(
                        "the quoted value of {} never ends (the closing \" is missing); \
                         the rest of the line was taken as its value",
                        shown(name)
                    ));
                }
                (quoted.value, quoted.end)
            }
            None | Some(b',') => {
                self.note(format!(
                    "the setting {} has no value (nothing after =)",
                    shown(name)
                ));
                (String::new(), start)
            }
            Some(_) => {
                let end = skip_while(bytes, start, |c| !is_ws(c) && c != b',');
                let value = slice(line, start, end);
                if !value.bytes().all(is_token_char) {
                    self.note(format!(
                        "the value of {} contains characters that need quotes around them; \
                         it was read up to the next space or comma",
                        shown(name)
                    ));
                }
                (value.to_owned(), end)
            }
        };
        self.add_param(name, value);
        self.expect_separator(line, end)
    }

    /// Stores one parameter on the current challenge, keeping the first of duplicates.
    fn add_param(&mut self, name: &str, value: String) {
        match self.target {
            Target::Nothing => self.note(format!(
                "the setting {} comes before any sign-in method name (scheme), \
                 so it belongs to nothing and was ignored",
                shown(name)
            )),
            Target::Dropped => {}
            Target::Last => {
                let Some(challenge) = self.out.challenges.last_mut() else {
                    return;
                };
                let has_token68 = challenge.token68.is_some();
                let duplicate = match challenge.params.entry(lowercase(name)) {
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                        false
                    }
                    Entry::Occupied(_) => true,
                };
                let scheme = shown(&challenge.scheme);
                if has_token68 {
                    self.note(format!(
                        "the {scheme} challenge has both a single code (token68) and settings; \
                         the standard allows only one of the two, so both were kept"
                    ));
                }
                if duplicate {
                    self.note(format!(
                        "the {scheme} challenge gives the setting {} more than once; \
                         the first value was kept",
                        shown(name)
                    ));
                }
            }
        }
    }

    /// Starts the challenge `name` that ends at `end`, reads a token68 if one follows, and returns
    /// where reading goes on.
    fn scheme(&mut self, line: &str, name: &str, end: usize) -> usize {
        let bytes = line.as_bytes();
        self.check_name(name, "sign-in method name");
        self.start_challenge(name);
        let start = skip_ws(bytes, end);
        match bytes.get(start) {
            None | Some(b',' | b'"' | b'=') => return start,
            Some(_) => {}
        }
        // RFC 9110 §11.3: only spaces (1*SP) may stand between the scheme and what follows.
        if bytes
            .get(end..start)
            .is_some_and(|gap| gap.contains(&b'\t'))
        {
            self.note(format!(
                "a tab stands between {} and its settings, where the standard allows only spaces; \
                 some browsers then ignore the challenge",
                shown(name)
            ));
        }
        // A word right after the scheme is a token68 unless it is followed by one "=" and a value.
        let word_stop = word_end(bytes, start);
        let padding_stop = skip_while(bytes, word_stop, |c| c == b'=');
        let padding = padding_stop - word_stop;
        let after = skip_ws(bytes, padding_stop);
        let at_separator = matches!(bytes.get(after), None | Some(b','));
        let is_param = if padding == 0 {
            bytes.get(after) == Some(&b'=')
        } else {
            padding == 1 && !at_separator
        };
        if is_param {
            return start;
        }
        if !slice(line, start, word_stop).bytes().all(is_token68_char) {
            self.note(format!(
                "the code after {} contains characters that such codes (token68) cannot contain",
                shown(name)
            ));
        }
        let token68 = slice(line, start, padding_stop);
        if self.target == Target::Last {
            if let Some(challenge) = self.out.challenges.last_mut() {
                challenge.token68 = Some(token68.to_owned());
            }
        }
        self.expect_separator(line, padding_stop)
    }

    fn start_challenge(&mut self, name: &str) {
        if self.out.challenges.len() >= MAX_CHALLENGES {
            self.ignored_challenges += 1;
            self.target = Target::Dropped;
        } else {
            self.out.challenges.push(Challenge {
                scheme: name.to_owned(),
                token68: None,
                params: BTreeMap::new(),
            });
            self.target = Target::Last;
        }
    }

    /// After an item, only spaces then a comma or the end may follow; anything else is noted and
    /// read as if a comma stood before it.
    fn expect_separator(&mut self, line: &str, from: usize) -> usize {
        let bytes = line.as_bytes();
        let next = skip_ws(bytes, from);
        if bytes.get(next).is_some_and(|&c| c != b',') {
            // Only the start of what follows is quoted, so long lines stay linear.
            let what_follows: String = line
                .get(next..)
                .unwrap_or_default()
                .chars()
                .take_while(|&c| !is_ws_char(c) && c != ',')
                .take(MAX_QUOTED_CHARS + 1)
                .collect();
            self.note(format!(
                "a comma is missing before {}",
                shown(&what_follows)
            ));
        }
        next
    }

    fn check_name(&mut self, name: &str, what: &str) {
        work::add(name.len());
        if !name.bytes().all(is_token_char) {
            self.note(format!(
                "the {what} {} contains characters that names may not contain; it was read as written",
                shown(name)
            ));
        }
    }

    fn finish(mut self, any_text: bool) -> ParsedChallenges {
        self.line_label = None;
        if self.out.challenges.is_empty() && self.ignored_challenges == 0 {
            let text = if any_text {
                "no sign-in method (challenge) could be read from the header, \
                 so a browser cannot tell how to sign in"
            } else {
                "the header is empty: it names no sign-in method (challenge), \
                 so a browser cannot tell how to sign in"
            };
            self.out.problems.push(text.to_owned());
        }
        if self.ignored_challenges > 0 {
            let (count, noun) = plural(self.ignored_challenges, "challenge", "challenges");
            self.out.problems.push(format!(
                "the header has {count} more {noun} after the first {MAX_CHALLENGES}; \
                 only the first {MAX_CHALLENGES} were read"
            ));
        }
        if self.problems_overflowed {
            self.out
                .problems
                .push("more problems were found than are listed here".to_owned());
        }
        self.out
    }
}

/// `word` in lowercase, counted as work.
fn lowercase(word: &str) -> String {
    work::add(word.len());
    word.to_ascii_lowercase()
}

/// Control characters other than tab, which no header value should contain.
fn is_bad_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_ws_char(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn skip_while(bytes: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    let start = i;
    while bytes.get(i).is_some_and(|&c| keep(c)) {
        i += 1;
    }
    work::add(i - start + 1);
    i
}

fn skip_ws(bytes: &[u8], i: usize) -> usize {
    skip_while(bytes, i, is_ws)
}

/// The end of the word starting at `i`: names, token68 codes and unquoted values stop at spaces,
/// commas, `=` and quotes.
fn word_end(bytes: &[u8], i: usize) -> usize {
    skip_while(bytes, i, |c| !is_ws(c) && !matches!(c, b',' | b'=' | b'"'))
}

/// `line[start..end]`, or "" if that is not a valid range (it always is: words stop at ASCII bytes).
fn slice(line: &str, start: usize, end: usize) -> &str {
    line.get(start..end).unwrap_or_default()
}

/// Reads the quoted string whose opening quote is at `start`, undoing backslash escapes.
fn read_quoted(bytes: &[u8], start: usize) -> Quoted {
    let mut value = Vec::new();
    let mut i = start + 1;
    loop {
        work::add(1);
        match bytes.get(i) {
            None => {
                return Quoted {
                    value: String::from_utf8_lossy(&value).into_owned(),
                    end: i,
                    closed: false,
                };
            }
            Some(b'"') => {
                return Quoted {
                    value: String::from_utf8_lossy(&value).into_owned(),
                    end: i + 1,
                    closed: true,
                };
            }
            Some(b'\\') => {
                if let Some(&escaped) = bytes.get(i + 1) {
                    value.push(escaped);
                }
                i += 2;
            }
            Some(&c) => {
                value.push(c);
                i += 1;
            }
        }
    }
}

/// If `text` starts with a `WWW-Authenticate:` or `Proxy-Authenticate:` header name, the rest.
fn strip_header_name(text: &str) -> Option<&str> {
    let trimmed = text.trim_start_matches(is_ws_char);
    ["www-authenticate", "proxy-authenticate"]
        .iter()
        .find_map(|name| {
            let head = trimmed.get(..name.len())?;
            if !head.eq_ignore_ascii_case(name) {
                return None;
            }
            trimmed
                .get(name.len()..)?
                .trim_start_matches(is_ws_char)
                .strip_prefix(':')
        })
}
