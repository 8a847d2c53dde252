//! Reads `WWW-Authenticate` and `Proxy-Authenticate` header values (RFC 9110 §11.6.1 and §11.2) into
//! challenges, as leniently as browsers do while noting everything that was malformed or forgiven, and
//! explains each challenge in plain words for a site owner.

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::engine::work;

/// The most challenges kept from one header; any beyond are counted in one problem and dropped.
pub const MAX_CHALLENGES: usize = 200;

/// The most distinct problems listed for one header before a closing "more problems" note.
const MAX_PROBLEMS: usize = 50;

/// The longest piece of header text quoted back in a problem, in characters.
const MAX_QUOTED_CHARS: usize = 60;

/// The longest server value quoted back in an explanation, in characters.
const MAX_DETAIL_CHARS: usize = 300;

/// The most unexplained parameters listed one by one in an explanation.
const MAX_OTHER_PARAMS: usize = 10;

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

/// One challenge from a WWW-Authenticate / Proxy-Authenticate header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The scheme name as the server spelled it, e.g. `Basic` or `digest`.
    pub scheme: String,
    /// The single coded value after the scheme (RFC 9110 `token68`), `None` when absent.
    pub token68: Option<String>,
    /// The parameters: names lowercased, values unquoted and unescaped.
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    /// The scheme name in lowercase, for comparisons.
    #[must_use]
    pub fn scheme_lower(&self) -> String {
        self.scheme.to_ascii_lowercase()
    }

    /// The value of the parameter `name`, whatever its case.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The name of the protected area (the `realm` parameter), if the server gave one.
    #[must_use]
    pub fn realm(&self) -> Option<&str> {
        self.param("realm")
    }
}

/// Everything read from one header: the challenges, in order, and what was wrong with the header.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedChallenges {
    /// The challenges, in the order the server sent them (at most [`MAX_CHALLENGES`]).
    pub challenges: Vec<Challenge>,
    /// Plain-language, lowercase-first sentences: what was malformed or forgiven.
    pub problems: Vec<String>,
}

/// A plain-language explanation of one challenge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The scheme as people know it ("Basic", "Bearer token"…), or an unknown scheme's own name.
    pub scheme_name: String,
    /// What the scheme is, in plain words.
    pub meaning: String,
    /// What this particular challenge says: realm, algorithm, error codes, and so on.
    pub details: Vec<String>,
    /// What the user must do to get past it.
    pub what_to_do: String,
}

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

/// Header text quoted back to the user, cut short when long.
fn shown(text: &str) -> String {
    quote_limited(text, MAX_QUOTED_CHARS)
}

fn quote_limited(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        format!("“{head}…”")
    } else {
        format!("“{head}”")
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> (usize, &'a str) {
    (count, if count == 1 { one } else { many })
}

// ---------------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------------

/// The base texts of one scheme, from `assets/explanations/schemes.toml`.
#[derive(Clone, Debug, Deserialize)]
struct SchemeText {
    name: String,
    meaning: String,
    what_to_do: String,
}

const SCHEMES_TOML: &str = include_str!("../../../assets/explanations/schemes.toml");

/// The keys `schemes.toml` has texts for.
const KNOWN_SCHEMES: [&str; 10] = [
    "basic",
    "digest",
    "bearer",
    "negotiate",
    "ntlm",
    "aws4-hmac-sha256",
    "token",
    "hoba",
    "mutual",
    "scram",
];

fn scheme_texts() -> &'static HashMap<String, SchemeText> {
    static TABLE: OnceLock<HashMap<String, SchemeText>> = OnceLock::new();
    // The file ships inside the binary and a unit test parses it; an empty table still leaves the
    // generic texts below.
    TABLE.get_or_init(|| toml::from_str(SCHEMES_TOML).unwrap_or_default())
}

/// The `schemes.toml` key for a lowercase scheme name: every `scram-sha-*` shares `scram`.
fn scheme_key(scheme_lower: &str) -> &str {
    if scheme_lower.starts_with("scram-sha-") {
        "scram"
    } else {
        scheme_lower
    }
}

/// Registered schemes (IANA "HTTP Authentication Schemes") that `schemes.toml` does not describe:
/// they are standard, so they must not be called made up.
const OTHER_REGISTERED_SCHEMES: [&str; 6] = [
    "concealed",
    "dpop",
    "gnap",
    "oauth",
    "privatetoken",
    "vapid",
];

/// Collects the detail lines of one explanation and which parameters they covered.
struct Details<'a> {
    challenge: &'a Challenge,
    lines: Vec<String>,
    explained: Vec<&'static str>,
}

impl<'a> Details<'a> {
    /// The value of parameter `name`, marking it as explained.
    fn param(&mut self, name: &'static str) -> Option<&'a str> {
        self.explained.push(name);
        let challenge = self.challenge;
        challenge.param(name)
    }

    fn push(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }
}

/// A server value quoted in an explanation.
fn q(value: &str) -> String {
    quote_limited(value, MAX_DETAIL_CHARS)
}

/// Plain-language explanation of one challenge: lines a non-technical site owner understands.
#[must_use]
pub fn explain(challenge: &Challenge) -> Explanation {
    let lower = challenge.scheme_lower();
    let key = scheme_key(&lower);
    let known = KNOWN_SCHEMES.contains(&key);
    let (scheme_name, meaning, what_to_do) = match scheme_texts().get(key) {
        Some(text) => (
            text.name.clone(),
            text.meaning.clone(),
            text.what_to_do.clone(),
        ),
        None if known || OTHER_REGISTERED_SCHEMES.contains(&key) => {
            generic_texts(&challenge.scheme)
        }
        None => unknown_texts(&challenge.scheme),
    };
    let mut details = Details {
        challenge,
        lines: Vec::new(),
        explained: Vec::new(),
    };
    realm_details(&mut details, key);
    match key {
        "basic" => charset_details(&mut details),
        "digest" => digest_details(&mut details),
        "bearer" => bearer_details(&mut details),
        "negotiate" => negotiate_details(&mut details),
        "ntlm" => ntlm_details(&mut details),
        "aws4-hmac-sha256" => details.push(
            "The signature includes the time: if this computer's clock is more than about \
             15 minutes off, every request is refused, even with the right keys.",
        ),
        "hoba" => hoba_details(&mut details),
        "mutual" => mutual_details(&mut details),
        "scram" => scram_details(&mut details),
        _ => {}
    }
    if !matches!(key, "negotiate" | "ntlm" | "scram") {
        if let Some(token) = &challenge.token68 {
            details.push(format!(
                "It carries a coded value ({} characters) whose meaning depends on the method.",
                token.chars().count()
            ));
        }
    }
    other_param_details(&mut details);
    Explanation {
        scheme_name,
        meaning,
        details: details.lines,
        what_to_do,
    }
}

fn generic_texts(scheme: &str) -> (String, String, String) {
    (
        shown(scheme).trim_matches(['“', '”']).to_owned(),
        format!(
            "{} is a registered, standard sign-in method, but a less common one that this tool \
             does not describe in detail.",
            shown(scheme)
        ),
        "Check the site's documentation for what it expects, and use an app or library that \
         supports this method."
            .to_owned(),
    )
}

fn unknown_texts(scheme: &str) -> (String, String, String) {
    (
        shown(scheme).trim_matches(['“', '”']).to_owned(),
        format!(
            "{} is not one of the standard sign-in methods: the site or the software behind it \
             made it up, so browsers do not know how to answer it.",
            shown(scheme)
        ),
        "Check the site's documentation, or ask its developer, which credentials it expects and \
         how to send them. A browser will not show a sign-in box for it."
            .to_owned(),
    )
}

fn realm_details(details: &mut Details<'_>, key: &str) {
    let Some(realm) = details.param("realm") else {
        return;
    };
    if realm.trim().is_empty() {
        details.push("The protected area (the realm) has no name.");
    } else if matches!(key, "basic" | "digest") {
        details.push(format!(
            "Protected area: {} (the realm). Browsers show this name in the sign-in box, and one \
             username and password usually opens everything with that name.",
            q(realm)
        ));
    } else {
        details.push(format!(
            "Protected area: {} (the realm), the server's name for the part of the site that needs \
             signing in.",
            q(realm)
        ));
    }
}

fn charset_details(details: &mut Details<'_>) {
    match details.param("charset") {
        Some(charset) if charset.eq_ignore_ascii_case("utf-8") => details.push(
            "Usernames and passwords may contain accented or non-Latin letters: the server reads \
             them in the standard text encoding (charset=UTF-8).",
        ),
        Some(charset) => details.push(format!(
            "It names the text encoding {}, but the standard allows only UTF-8 here, so browsers \
             ignore it.",
            q(charset)
        )),
        None => {}
    }
}

fn digest_details(details: &mut Details<'_>) {
    if details
        .param("stale")
        .is_some_and(|stale| stale.trim().eq_ignore_ascii_case("true"))
    {
        details.push(
            "stale=true: your password was fine, the server's one-time number (nonce) expired. \
             The browser should retry on its own with a new one; if you are asked again and again, \
             the server lets its numbers expire too quickly.",
        );
    }
    let algorithm = details.param("algorithm");
    let line = match algorithm.map(|a| a.trim().to_ascii_uppercase()).as_deref() {
        None => "No scrambling method (algorithm) is named, so MD5 is used: an old, weak method \
                 that every browser supports."
            .to_owned(),
        Some("MD5") => "Scrambling method (algorithm): MD5. It is old and weak, but every browser \
                        supports it."
            .to_owned(),
        Some("MD5-SESS") => "Scrambling method (algorithm): MD5-sess, a variant of the old MD5 \
                             method that mixes in a per-session value. Some browsers and tools do \
                             not support it."
            .to_owned(),
        Some("SHA-256") => "Scrambling method (algorithm): SHA-256, modern and strong. Recent \
                            versions of the main browsers support it; older programs and devices \
                            may not."
            .to_owned(),
        Some("SHA-256-SESS") => "Scrambling method (algorithm): SHA-256-sess, the strong SHA-256 \
                                 method with a per-session value mixed in. Support outside recent \
                                 browsers is patchy."
            .to_owned(),
        Some("SHA-512-256" | "SHA-512-256-SESS") => format!(
            "Scrambling method (algorithm): {}, a strong method that few browsers support yet, so \
             many visitors cannot sign in.",
            algorithm.unwrap_or_default().trim()
        ),
        Some(_) => format!(
            "Scrambling method (algorithm): {}, which is not a standard one, so browsers cannot \
             answer this challenge.",
            q(algorithm.unwrap_or_default())
        ),
    };
    details.push(line);
    match details.param("qop") {
        Some(qop) => {
            let options: Vec<String> = qop
                .split(',')
                .map(|o| o.trim().to_ascii_lowercase())
                .filter(|o| !o.is_empty())
                .collect();
            let auth = options.iter().any(|o| o == "auth");
            let auth_int = options.iter().any(|o| o == "auth-int");
            let line = match (auth, auth_int) {
                (true, true) => "Protection level (qop): the browser may protect the sign-in only \
                                 (auth) or the sign-in plus the content it sends (auth-int); \
                                 browsers choose auth."
                    .to_owned(),
                (true, false) => "Protection level (qop=auth): the sign-in itself is protected, \
                                  the content of the request is not. Every browser supports this."
                    .to_owned(),
                (false, true) => "Protection level (qop=auth-int): the content sent must be \
                                  protected too. Almost no browser supports this, so most visitors \
                                  cannot sign in."
                    .to_owned(),
                (false, false) => format!(
                    "Protection level (qop) {} is not a standard value, so browsers may not answer.",
                    q(qop)
                ),
            };
            details.push(line);
        }
        None => details.push(
            "No protection level (qop) is named: this is the oldest form of Digest. It works, but \
             it is weaker.",
        ),
    }
    if details.param("nonce").is_none_or(str::is_empty) {
        details.push(
            "There is no one-time number (nonce), which Digest needs, so no browser can answer: \
             the server is set up wrongly.",
        );
    }
    if details
        .param("userhash")
        .is_some_and(|u| u.trim().eq_ignore_ascii_case("true"))
    {
        details.push(
            "The username is sent scrambled too (userhash=true), so it cannot be read on the way. \
             Older browsers may not support this.",
        );
    }
    if details.param("opaque").is_some() {
        details.push(
            "It includes a value the browser must send back unchanged (opaque); nothing to do \
             about it.",
        );
    }
    if let Some(domain) = details.param("domain") {
        details.push(format!(
            "The same sign-in covers these addresses (domain): {}.",
            q(domain)
        ));
    }
    charset_details(details);
}

fn bearer_details(details: &mut Details<'_>) {
    let error = details.param("error").map(str::trim);
    let insufficient_scope = error.is_some_and(|e| e.eq_ignore_ascii_case("insufficient_scope"));
    match error.map(str::to_ascii_lowercase).as_deref() {
        None => details.push(
            "No error code is given: most often this means the request carried no token at all.",
        ),
        Some("invalid_request") => details.push(
            "Error invalid_request: the request was malformed, for example the token was sent in \
             two places at once or a required part was missing. The app's developer must fix how it \
             sends the token.",
        ),
        Some("invalid_token") => details.push(
            "Error invalid_token: the token was refused because it has expired, was cancelled, or \
             is not meant for this site. Sign in again to get a fresh one.",
        ),
        Some("insufficient_scope") => details.push(
            "Error insufficient_scope: the token is genuine but lacks the permissions (scope) this \
             page needs. Sign in again and grant the extra access, or ask an administrator for it.",
        ),
        Some(_) => details.push(format!(
            "Error {}: not one of the standard codes, so the site's documentation must say what it \
             means.",
            q(error.unwrap_or_default())
        )),
    }
    if let Some(scope) = details.param("scope") {
        let scopes = scope.split_whitespace().collect::<Vec<_>>().join(", ");
        if insufficient_scope {
            details.push(format!("Permissions this page needs: {}.", q(&scopes)));
        } else {
            details.push(format!(
                "Permissions (scope) the server mentions: {}.",
                q(&scopes)
            ));
        }
    }
    if let Some(description) = details.param("error_description") {
        details.push(format!("The server's own message: {}.", q(description)));
    }
    if let Some(uri) = details.param("error_uri") {
        details.push(format!(
            "The server points to more information at {}.",
            q(uri)
        ));
    }
    if let Some(url) = details.param("resource_metadata") {
        details.push(format!(
            "The server says where to find out how to get a token for it: {}. That address (its \
             protected resource metadata, RFC 9728) names the sign-in service the app should use.",
            q(url)
        ));
    }
}

fn negotiate_details(details: &mut Details<'_>) {
    match &details.challenge.token68 {
        Some(token) => details.push(format!(
            "The server sent back one step of a sign-in exchange ({} characters of code), so a \
             Kerberos or Windows sign-in was tried. If the site still refuses, it did not complete: \
             check the account, and that this computer can reach the company's sign-in server (the \
             domain controller).",
            token.chars().count()
        )),
        None => details.push(
            "No code is attached: the server is inviting the browser to start a Kerberos or \
             Windows sign-in.",
        ),
    }
}

fn ntlm_details(details: &mut Details<'_>) {
    match &details.challenge.token68 {
        Some(token) => details.push(format!(
            "The server sent one step of the NTLM exchange ({} characters of code), so a sign-in is \
             under way; if the site still refuses at the end of it, the account was not accepted.",
            token.chars().count()
        )),
        None => details.push(
            "No code is attached: the server is inviting the browser to start an NTLM sign-in.",
        ),
    }
    details.push(
        "NTLM signs in a network connection, not each request: a proxy or load balancer that \
         switches connections in the middle breaks it.",
    );
}

fn hoba_details(details: &mut Details<'_>) {
    if details.param("challenge").is_some() {
        details.push(
            "It includes a puzzle the browser must sign with the key it stored for this site.",
        );
    }
    if let Some(max_age) = details.param("max-age") {
        match max_age.trim().parse::<u64>() {
            Ok(seconds) => {
                let (count, noun) = plural(seconds as usize, "second", "seconds");
                details.push(format!("The browser has {count} {noun} to answer."));
            }
            Err(_) => details.push(format!(
                "Its time limit (max-age) {} is not a number of seconds.",
                q(max_age)
            )),
        }
    }
}

fn mutual_details(details: &mut Details<'_>) {
    let Some(reason) = details.param("reason") else {
        return;
    };
    let line = match reason.trim().to_ascii_lowercase().as_str() {
        "initial" => "Reason: initial. No sign-in has been tried yet.".to_owned(),
        "stale-session" => {
            "Reason: stale-session. An earlier sign-in session expired; a new one is needed."
                .to_owned()
        }
        "auth-failed" => "Reason: auth-failed. The username or password was wrong.".to_owned(),
        "authz-failed" => "Reason: authz-failed. The sign-in worked, but this account may not \
                           open this page."
            .to_owned(),
        "reauth-needed" => {
            "Reason: reauth-needed. The server wants you to sign in again.".to_owned()
        }
        "invalid-parameters" => {
            "Reason: invalid-parameters. The browser's answer was malformed.".to_owned()
        }
        _ => format!("Reason given by the server: {}.", q(reason)),
    };
    details.push(line);
}

fn scram_details(details: &mut Details<'_>) {
    let data = details.param("data");
    let session = details.param("sid");
    if data.is_some() || session.is_some() || details.challenge.token68.is_some() {
        details.push("A sign-in exchange is under way: the server sent its next step.");
    } else {
        details.push("The server is inviting the app to start a SCRAM sign-in.");
    }
}

/// Lists the parameters no scheme-specific line covered.
fn other_param_details(details: &mut Details<'_>) {
    let challenge = details.challenge;
    let others: Vec<(&String, &String)> = challenge
        .params
        .iter()
        .filter(|(name, _)| !details.explained.contains(&name.as_str()))
        .collect();
    for (name, value) in others.iter().take(MAX_OTHER_PARAMS) {
        details.push(format!("It also says {} = {}.", shown(name), q(value)));
    }
    if others.len() > MAX_OTHER_PARAMS {
        let (count, noun) = plural(others.len() - MAX_OTHER_PARAMS, "setting", "settings");
        details.push(format!("It has {count} more {noun} not listed here."));
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_tab_between_the_scheme_and_its_settings_is_flagged() {
        let parsed = parse_str("Basic\trealm=\"x\"");
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].realm(), Some("x"));
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert!(parse_str("Basic realm=\"x\"").problems.is_empty());
    }

    use super::*;

    fn one(value: &str) -> Challenge {
        let parsed = parse_str(value);
        assert_eq!(parsed.challenges.len(), 1, "{value:?} gave {parsed:?}");
        parsed
            .challenges
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!())
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn has_problem(parsed: &ParsedChallenges, needle: &str) -> bool {
        parsed.problems.iter().any(|p| p.contains(needle))
    }

    #[test]
    fn rfc_9110_example_gives_two_challenges_with_unescaped_title() {
        let parsed = parse_str(
            r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(
            parsed.challenges,
            vec![
                Challenge {
                    scheme: "Newauth".into(),
                    token68: None,
                    params: params(&[
                        ("realm", "apps"),
                        ("type", "1"),
                        ("title", "Login to \"apps\"")
                    ]),
                },
                Challenge {
                    scheme: "Basic".into(),
                    token68: None,
                    params: params(&[("realm", "simple")]),
                },
            ]
        );
    }

    #[test]
    fn digest_with_every_parameter_is_read_completely() {
        let c = one(concat!(
            r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, "#,
            r#"nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "#,
            r#"opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", stale=TRUE, userhash=true, "#,
            r#"domain="/ https://example.org/x", charset=UTF-8"#
        ));
        assert_eq!(c.scheme, "Digest");
        assert_eq!(c.realm(), Some("http-auth@example.org"));
        assert_eq!(c.param("QOP"), Some("auth, auth-int"));
        assert_eq!(c.param("algorithm"), Some("SHA-256"));
        assert_eq!(
            c.param("nonce"),
            Some("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v")
        );
        assert_eq!(c.param("stale"), Some("TRUE"));
        assert_eq!(c.param("userhash"), Some("true"));
        assert_eq!(c.param("domain"), Some("/ https://example.org/x"));
        assert_eq!(c.param("charset"), Some("UTF-8"));
        assert_eq!(c.params.len(), 9);
        assert_eq!(c.token68, None);
    }

    #[test]
    fn bearer_error_parameters_are_read() {
        let c = one(
            r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
        );
        assert_eq!(c.scheme_lower(), "bearer");
        assert_eq!(c.param("error"), Some("invalid_token"));
        assert_eq!(
            c.param("Error_Description"),
            Some("The access token expired")
        );
    }

    #[test]
    fn negotiate_token68_keeps_its_padding() {
        let c = one("Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6i+/==");
        assert_eq!(
            c.token68.as_deref(),
            Some("YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6i+/==")
        );
        assert!(c.params.is_empty());
    }

    #[test]
    fn ntlm_alone_is_a_challenge_without_anything_else() {
        let parsed = parse_str("NTLM");
        assert!(parsed.problems.is_empty());
        assert_eq!(
            parsed.challenges,
            vec![Challenge {
                scheme: "NTLM".into(),
                token68: None,
                params: BTreeMap::new()
            }]
        );
    }

    #[test]
    fn token68_and_params_are_told_apart() {
        assert_eq!(one("X abc==").token68.as_deref(), Some("abc=="));
        assert_eq!(one("X abc=").token68.as_deref(), Some("abc="));
        assert_eq!(one("X abc").token68.as_deref(), Some("abc"));
        assert_eq!(one("X abc= ").token68.as_deref(), Some("abc="));
        let c = one("X abc=def");
        assert_eq!((c.token68.as_deref(), c.param("abc")), (None, Some("def")));
        let c = one("X abc = def");
        assert_eq!((c.token68.as_deref(), c.param("abc")), (None, Some("def")));
        let c = one("X abc= \"d e\"");
        assert_eq!((c.token68.as_deref(), c.param("abc")), (None, Some("d e")));
        let parsed = parse_str("X abc=, Y");
        assert_eq!(parsed.challenges.len(), 2);
        assert_eq!(parsed.challenges[0].token68.as_deref(), Some("abc="));
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn token68_is_followed_by_further_challenges() {
        let parsed = parse_str("Negotiate, NTLM TlRMTVNTUAACAAAA==, Basic realm=x");
        let schemes: Vec<_> = parsed
            .challenges
            .iter()
            .map(|c| c.scheme.as_str())
            .collect();
        assert_eq!(schemes, ["Negotiate", "NTLM", "Basic"]);
        assert_eq!(
            parsed.challenges[1].token68.as_deref(),
            Some("TlRMTVNTUAACAAAA==")
        );
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn several_lines_give_challenges_in_order() {
        let parsed = parse_lines(&[
            b"Negotiate",
            b"NTLM",
            br#"Basic realm="intranet", charset="UTF-8""#,
        ]);
        let schemes: Vec<_> = parsed
            .challenges
            .iter()
            .map(|c| c.scheme.as_str())
            .collect();
        assert_eq!(schemes, ["Negotiate", "NTLM", "Basic"]);
        assert_eq!(parsed.challenges[2].param("charset"), Some("UTF-8"));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    }

    #[test]
    fn a_line_starting_with_settings_continues_the_previous_challenge() {
        let parsed = parse_lines(&[br#"Digest realm="a""#, br#"nonce="n", qop="auth""#]);
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].param("nonce"), Some("n"));
        assert!(has_problem(
            &parsed,
            "on line 2, the line starts with settings"
        ));
    }

    #[test]
    fn empty_list_elements_and_trailing_commas_are_accepted_silently() {
        let parsed = parse_str(r#" , ,Basic realm="a", , ,charset=UTF-8,, Bearer ,, ,"#);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.challenges.len(), 2);
        assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
        assert_eq!(parsed.challenges[1].scheme, "Bearer");
    }

    #[test]
    fn odd_whitespace_is_accepted_silently() {
        // Tabs are allowed around "=" and commas (BWS, OWS); only spaces after the scheme.
        let parsed =
            parse_str("\tBasic    realm \t=\t \"a b\"  ,\t charset  =  UTF-8   ,   Digest nonce=1");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.challenges[0].realm(), Some("a b"));
        assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
        assert_eq!(parsed.challenges[1].param("nonce"), Some("1"));
    }

    #[test]
    fn names_are_case_insensitive_and_lowercased() {
        let c = one("bAsIc REALM=x, ChArSeT=utf-8");
        assert_eq!(c.scheme, "bAsIc");
        assert_eq!(c.scheme_lower(), "basic");
        assert!(c.params.contains_key("realm"));
        assert_eq!(c.param("Realm"), Some("x"));
        assert_eq!(c.param("CHARSET"), Some("utf-8"));
        assert_eq!(c.param("missing"), None);
    }

    #[test]
    fn backslash_escapes_in_quoted_strings_are_undone() {
        let c = one(r#"Basic realm="a\"b\\c\d, e=f""#);
        assert_eq!(c.realm(), Some(r#"a"b\cd, e=f"#));
        assert_eq!(c.params.len(), 1);
    }

    #[test]
    fn quoted_values_keep_non_ascii_text() {
        let c = one("Basic realm=\"Zürich – 東京\"");
        assert_eq!(c.realm(), Some("Zürich – 東京"));
    }

    #[test]
    fn an_unterminated_quoted_string_takes_the_rest_and_is_noted() {
        let parsed = parse_str(r#"Basic realm="open, charset=UTF-8"#);
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].realm(), Some("open, charset=UTF-8"));
        assert!(has_problem(&parsed, "never ends"), "{:?}", parsed.problems);
    }

    #[test]
    fn a_trailing_backslash_in_an_unterminated_string_does_not_panic() {
        let parsed = parse_str("Basic realm=\"abc\\");
        assert_eq!(parsed.challenges[0].realm(), Some("abc"));
        assert!(has_problem(&parsed, "never ends"));
    }

    #[test]
    fn a_duplicate_parameter_keeps_the_first_value_and_is_noted() {
        let parsed = parse_str("Basic realm=first, REALM=second");
        assert_eq!(parsed.challenges[0].realm(), Some("first"));
        assert!(
            has_problem(
                &parsed,
                "the “Basic” challenge gives the setting “REALM” more than once"
            ),
            "{:?}",
            parsed.problems
        );
    }

    #[test]
    fn a_parameter_without_a_value_is_kept_empty_and_noted() {
        let parsed = parse_str("Digest nonce=abc, realm=, stale, qop=auth");
        assert_eq!(parsed.challenges.len(), 1, "{parsed:?}");
        let c = &parsed.challenges[0];
        assert_eq!(c.realm(), Some(""));
        assert_eq!(c.param("stale"), Some(""));
        assert_eq!(c.param("qop"), Some("auth"));
        assert!(has_problem(&parsed, "the setting “realm” has no value"));
        assert!(has_problem(&parsed, "the setting “stale” has no value"));
    }

    #[test]
    fn an_empty_first_setting_reads_as_token68_and_mixing_is_noted() {
        let parsed = parse_str("Digest realm=, nonce=abc");
        let c = &parsed.challenges[0];
        assert_eq!(c.token68.as_deref(), Some("realm="));
        assert_eq!(c.param("nonce"), Some("abc"));
        assert!(has_problem(
            &parsed,
            "both a single code (token68) and settings"
        ));
    }

    #[test]
    fn settings_before_any_scheme_are_ignored_and_noted() {
        let parsed = parse_str(r#"realm="x", Basic realm="y""#);
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].realm(), Some("y"));
        assert!(has_problem(&parsed, "comes before any sign-in method name"));
    }

    #[test]
    fn invalid_characters_in_names_are_noted_and_read_as_written() {
        let parsed = parse_str("Ba(sic re[alm]=x");
        assert_eq!(parsed.challenges[0].scheme, "Ba(sic");
        assert_eq!(parsed.challenges[0].param("re[alm]"), Some("x"));
        assert!(has_problem(&parsed, "sign-in method name “Ba(sic”"));
        assert!(has_problem(&parsed, "setting name “re[alm]”"));
    }

    #[test]
    fn unquoted_values_with_special_characters_are_kept_and_noted() {
        let parsed = parse_str("Bearer resource_metadata=https://a.example/.well-known/x");
        assert_eq!(
            parsed.challenges[0].param("resource_metadata"),
            Some("https://a.example/.well-known/x")
        );
        assert!(has_problem(&parsed, "need quotes"));
    }

    #[test]
    fn a_missing_comma_between_parameters_is_noted_and_forgiven() {
        let parsed = parse_str(r#"Basic realm="a" charset="UTF-8""#);
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
        assert!(has_problem(&parsed, "a comma is missing before “charset"));
    }

    #[test]
    fn stray_quotes_and_equals_signs_are_skipped_and_noted() {
        let parsed = parse_str(r#"Basic "lonely, text", = =, realm=x"#);
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].realm(), Some("x"));
        assert!(has_problem(&parsed, "not attached to any name"));
        assert!(has_problem(&parsed, "an equals sign"));
    }

    #[test]
    fn a_leading_header_name_is_stripped_in_any_case() {
        for value in [
            "WWW-Authenticate: Basic realm=x",
            "www-authenticate:Basic realm=x",
            "  Proxy-Authenticate  :  Basic realm=x",
            "PROXY-AUTHENTICATE: Basic realm=x",
        ] {
            let parsed = parse_str(value);
            assert!(parsed.problems.is_empty(), "{value}: {:?}", parsed.problems);
            assert_eq!(parsed.challenges[0].scheme, "Basic", "{value}");
        }
    }

    #[test]
    fn a_scheme_named_like_the_header_without_colon_is_not_stripped() {
        let parsed = parse_str("WWW-Authenticate realm=x");
        assert_eq!(parsed.challenges[0].scheme, "WWW-Authenticate");
    }

    #[test]
    fn pasted_text_with_several_header_lines_is_read_line_by_line() {
        let parsed = parse_str(
            "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: Basic realm=\"a\",\r\n  charset=UTF-8\n\n",
        );
        let schemes: Vec<_> = parsed
            .challenges
            .iter()
            .map(|c| c.scheme.as_str())
            .collect();
        assert_eq!(schemes, ["Negotiate", "Basic"]);
        assert_eq!(parsed.challenges[1].param("charset"), Some("UTF-8"));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    }

    #[test]
    fn a_header_name_inside_a_raw_value_is_a_noted_server_mistake() {
        let parsed = parse_lines(&[b"WWW-Authenticate: Basic realm=x"]);
        assert_eq!(parsed.challenges[0].scheme, "Basic");
        assert!(has_problem(&parsed, "repeats the header's own name"));
    }

    #[test]
    fn an_empty_header_is_noted() {
        for parsed in [
            parse_str(""),
            parse_str("  \t "),
            parse_lines(&[]),
            parse_lines(&[b""]),
        ] {
            assert!(parsed.challenges.is_empty());
            assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
            assert!(parsed.problems[0].starts_with("the header is empty"));
        }
    }

    #[test]
    fn a_header_of_only_commas_has_no_challenge_and_says_so() {
        let parsed = parse_str(" , ,, ");
        assert!(parsed.challenges.is_empty());
        assert!(has_problem(
            &parsed,
            "no sign-in method (challenge) could be read"
        ));
    }

    #[test]
    fn an_empty_line_among_others_is_noted_with_its_number() {
        let parsed = parse_lines(&[b"Basic", b"  ", b"Bearer"]);
        assert_eq!(parsed.challenges.len(), 2);
        assert_eq!(
            parsed.problems,
            vec!["on line 2, the header value is empty"]
        );
    }

    #[test]
    fn non_utf8_bytes_are_decoded_lossily_and_noted() {
        let parsed = parse_lines(&[b"Basic realm=\"caf\xe9\""]);
        assert_eq!(parsed.challenges[0].realm(), Some("caf\u{FFFD}"));
        assert!(has_problem(&parsed, "not valid text (UTF-8)"));
    }

    #[test]
    fn control_characters_are_read_as_spaces_and_noted() {
        let parsed = parse_lines(&[b"Basic\0realm=\"a\nb\", charset=UTF-8\x7f"]);
        assert_eq!(parsed.challenges.len(), 1);
        assert_eq!(parsed.challenges[0].realm(), Some("a b"));
        assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
        assert!(has_problem(&parsed, "control characters"));
    }

    #[test]
    fn every_byte_value_is_survived_and_noted() {
        let all: Vec<u8> = (0..=255).collect();
        let parsed = parse_lines(&[&all]);
        assert!(!parsed.problems.is_empty());
        assert!(
            parsed
                .problems
                .iter()
                .all(|p| p.starts_with(|c: char| c.is_lowercase()))
        );
        let reversed: Vec<u8> = all.iter().rev().copied().collect();
        let _ = parse_lines(&[&reversed, &all, b"Basic"]);
        for byte in 0..=255u8 {
            let _ = parse_lines(&[&[byte], &[b'B', b' ', byte, b'=', byte, b'"', byte]]);
        }
    }

    #[test]
    fn a_header_with_100000_challenges_is_read_in_linear_time_and_capped() {
        let value = "Basic realm=\"x\", ".repeat(100_000);
        let small = work_per_byte(&"Basic realm=\"x\", ".repeat(1_000));
        let large = work_per_byte(&value);
        assert!(
            large <= 1.5 * small,
            "{small:.2} units per byte, then {large:.2}"
        );
        let parsed = parse_str(&value);
        assert_eq!(parsed.challenges.len(), MAX_CHALLENGES);
        assert!(
            has_problem(&parsed, "99800 more challenges after the first 200"),
            "{:?}",
            parsed.problems
        );
    }

    #[test]
    fn many_problems_are_capped_with_a_closing_note() {
        let names: Vec<String> = (0..500).map(|i| format!("x{i}=a/b")).collect();
        let value = format!("Basic {}", names.join(", "));
        let parsed = parse_str(&value);
        assert!(parsed.problems.len() <= MAX_PROBLEMS + 2);
        assert_eq!(
            parsed.problems.last().map(String::as_str),
            Some("more problems were found than are listed here")
        );
    }

    /// The parser's work (bytes and items it looks at) for `value`, read pasted and as two
    /// raw header lines, per byte of input.
    fn work_per_byte(value: &str) -> f64 {
        let ((), units) = crate::engine::work::measure(|| {
            let _ = parse_str(value);
            let _ = parse_lines(&[value.as_bytes(), value.as_bytes()]);
        });
        let input = 3 * value.len();
        assert!(
            units >= input as u64,
            "every byte is looked at: {units} for {input}"
        );
        units as f64 / input as f64
    }

    #[test]
    fn a_long_garbage_header_is_read_in_linear_time() {
        // Counted work, not a clock: the same per byte for a small header and one 100 times
        // larger, and a small constant.
        let garbage = |n: usize| "\"\\".repeat(2 * n) + &"=,\t(".repeat(2 * n) + &"a=\"".repeat(n);
        let small = work_per_byte(&garbage(2_000));
        let large = work_per_byte(&garbage(200_000));
        assert!(
            large <= 1.5 * small,
            "{small:.2} units per byte, then {large:.2}"
        );
        // Each problem noted is compared with the (at most 50) listed before it: a constant.
        assert!(large < 200.0, "{large:.2} units per byte");
    }

    #[test]
    fn random_byte_patterns_never_panic() {
        const ALPHABET: &[u8] =
            b"  \t\t,,==\"\"\\Basic realm=DigestNTLM/+-_~abc\x00\x7f\xff\xc3\xa9\r\n:;";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 7 == 0 {
                        (r >> 8) as u8
                    } else {
                        ALPHABET[(r >> 8) as usize % ALPHABET.len()]
                    }
                })
                .collect();
            let split = (next() as usize) % (bytes.len() + 1);
            let (first, second) = bytes.split_at(split);
            let parsed = parse_lines(&[first, second]);
            assert!(parsed.challenges.len() <= MAX_CHALLENGES);
            assert!(parsed.challenges.iter().all(|c| !c.scheme.is_empty()));
            for challenge in &parsed.challenges {
                let _ = explain(challenge);
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_str(&text);
        }
    }

    #[test]
    fn challenges_survive_a_json_round_trip() {
        let parsed = parse_str(r#"Digest realm="a", nonce="b", Negotiate abc=="#);
        let json = serde_json::to_string(&parsed).unwrap_or_else(|e| panic!("{e}"));
        let back: ParsedChallenges = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, parsed);
        let explanation = explain(&parsed.challenges[0]);
        let json = serde_json::to_string(&explanation).unwrap_or_else(|e| panic!("{e}"));
        let back: Explanation = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, explanation);
    }

    #[test]
    fn token_chars_are_exactly_the_rfc_9110_tchar_set() {
        let expected: Vec<u8> = (0..=255u8)
            .filter(|b| b.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".as_bytes().contains(b))
            .collect();
        let actual: Vec<u8> = (0..=255u8).filter(|&b| is_token_char(b)).collect();
        assert_eq!(actual, expected);
        assert!(!is_token_char(b'/'));
        assert!(!is_token_char(b'='));
        assert!(!is_token_char(b'"'));
    }

    // --- explanations ---------------------------------------------------------------------

    fn explained(value: &str) -> Explanation {
        explain(&one(value))
    }

    fn mentions(explanation: &Explanation, needle: &str) -> bool {
        explanation.details.iter().any(|d| d.contains(needle))
    }

    #[test]
    fn schemes_toml_has_every_scheme_with_all_three_texts() {
        let table: HashMap<String, SchemeText> =
            toml::from_str(SCHEMES_TOML).unwrap_or_else(|e| panic!("schemes.toml: {e}"));
        for key in KNOWN_SCHEMES {
            let Some(text) = table.get(key) else {
                panic!("schemes.toml lacks [{key}]");
            };
            assert!(!text.name.is_empty(), "{key}: empty name");
            assert!(!text.meaning.is_empty(), "{key}: empty meaning");
            assert!(!text.what_to_do.is_empty(), "{key}: empty what_to_do");
        }
        assert_eq!(table.len(), KNOWN_SCHEMES.len());
    }

    #[test]
    fn every_known_scheme_uses_its_text_from_the_data_file() {
        for (scheme, name) in [
            ("Basic", "Basic"),
            ("digest", "Digest"),
            ("BEARER", "Bearer token"),
            ("Negotiate", "Negotiate (Kerberos or Windows sign-in)"),
            ("NTLM", "NTLM (older Windows sign-in)"),
            ("AWS4-HMAC-SHA256", "AWS Signature Version 4"),
            ("Token", "Token"),
            ("HOBA", "HOBA (sign-in with a key stored in the browser)"),
            ("Mutual", "Mutual (password sign-in that checks both sides)"),
            ("SCRAM-SHA-1", "SCRAM (salted password sign-in)"),
            ("SCRAM-SHA-256", "SCRAM (salted password sign-in)"),
        ] {
            let explanation = explained(scheme);
            assert_eq!(explanation.scheme_name, name);
            assert!(!explanation.meaning.is_empty());
            assert!(!explanation.what_to_do.is_empty());
            assert!(!explanation.meaning.contains("not one of the standard"));
        }
    }

    #[test]
    fn an_unknown_scheme_is_called_non_standard_and_points_to_the_developer() {
        let explanation = explained(r#"X-MyCompany-Auth realm="api", hint=abc"#);
        assert_eq!(explanation.scheme_name, "X-MyCompany-Auth");
        assert!(
            explanation
                .meaning
                .contains("not one of the standard sign-in methods")
        );
        assert!(explanation.what_to_do.contains("documentation"));
        assert!(explanation.what_to_do.contains("developer"));
        assert!(mentions(&explanation, "Protected area: “api”"));
        assert!(mentions(&explanation, "It also says “hint” = “abc”."));
    }

    #[test]
    fn a_registered_but_undescribed_scheme_is_not_called_made_up() {
        let explanation = explained("DPoP algs=\"ES256 PS256\"");
        assert_eq!(explanation.scheme_name, "DPoP");
        assert!(
            explanation
                .meaning
                .contains("registered, standard sign-in method")
        );
        assert!(mentions(
            &explanation,
            "It also says “algs” = “ES256 PS256”."
        ));
    }

    #[test]
    fn words_without_letters_or_digits_are_skipped_not_made_challenges() {
        let parsed = parse_str("Basic realm=a, ;;; \u{FFFD} Bearer");
        let schemes: Vec<_> = parsed
            .challenges
            .iter()
            .map(|c| c.scheme.as_str())
            .collect();
        assert_eq!(schemes, ["Basic", "Bearer"]);
        assert!(has_problem(&parsed, "the text “;;;” is neither"));
    }

    #[test]
    fn basic_explanation_mentions_the_realm_and_utf8_support() {
        let explanation = explained(r#"Basic realm="Staff area", charset="UTF-8""#);
        assert!(mentions(&explanation, "Protected area: “Staff area”"));
        assert!(mentions(&explanation, "charset=UTF-8"));
        assert!(explanation.meaning.contains("https"));
    }

    #[test]
    fn digest_stale_true_says_the_password_was_fine_and_the_browser_retries() {
        let explanation = explained(r#"Digest realm="a", nonce="n", stale=true"#);
        assert!(mentions(&explanation, "your password was fine"));
        assert!(mentions(&explanation, "retry on its own"));
        let fresh = explained(r#"Digest realm="a", nonce="n", stale=false"#);
        assert!(!mentions(&fresh, "your password was fine"));
    }

    #[test]
    fn digest_explains_each_algorithm() {
        for (algorithm, needle) in [
            ("MD5", "MD5. It is old and weak"),
            ("md5-sess", "MD5-sess"),
            ("SHA-256", "SHA-256, modern and strong"),
            ("SHA-256-sess", "SHA-256-sess"),
            (
                "SHA-512-256",
                "SHA-512-256, a strong method that few browsers support",
            ),
            ("ROT13", "not a standard one"),
        ] {
            let explanation =
                explained(&format!("Digest nonce=n, qop=auth, algorithm={algorithm}"));
            assert!(
                mentions(&explanation, needle),
                "{algorithm}: {:?}",
                explanation.details
            );
        }
        let default = explained("Digest nonce=n, qop=auth");
        assert!(mentions(&default, "so MD5 is used"));
    }

    #[test]
    fn digest_explains_qop_userhash_opaque_and_a_missing_nonce() {
        let explanation =
            explained(r#"Digest realm="a", qop="auth,auth-int", userhash=true, opaque="o""#);
        assert!(mentions(&explanation, "(auth-int)"));
        assert!(mentions(&explanation, "userhash=true"));
        assert!(mentions(&explanation, "(opaque)"));
        assert!(mentions(&explanation, "no one-time number (nonce)"));
        assert!(
            !mentions(&explanation, "It also says"),
            "{:?}",
            explanation.details
        );
        let int_only = explained(r#"Digest nonce=n, qop="auth-int""#);
        assert!(mentions(&int_only, "Almost no browser supports this"));
        let old = explained("Digest nonce=n");
        assert!(mentions(&old, "oldest form of Digest"));
    }

    #[test]
    fn bearer_explains_each_standard_error_code() {
        let invalid = explained(r#"Bearer error="invalid_token""#);
        assert!(mentions(&invalid, "expired"));
        let request = explained(r#"Bearer error="invalid_request""#);
        assert!(mentions(&request, "malformed"));
        let scope =
            explained(r#"Bearer error="insufficient_scope", scope="read:files write:files""#);
        assert!(mentions(&scope, "lacks the permissions (scope)"));
        assert!(mentions(
            &scope,
            "Permissions this page needs: “read:files, write:files”."
        ));
        let odd = explained(r#"Bearer error="token_on_fire""#);
        assert!(mentions(&odd, "not one of the standard codes"));
        let none = explained(r#"Bearer realm="api""#);
        assert!(mentions(&none, "carried no token at all"));
    }

    #[test]
    fn bearer_quotes_the_description_uri_and_resource_metadata() {
        let explanation = explained(concat!(
            r#"Bearer error="invalid_token", error_description="The token expired", "#,
            r#"error_uri="https://id.example/help", "#,
            r#"resource_metadata="https://api.example/.well-known/oauth-protected-resource""#
        ));
        assert!(mentions(
            &explanation,
            "The server's own message: “The token expired”."
        ));
        assert!(mentions(&explanation, "“https://id.example/help”"));
        assert!(mentions(&explanation, "RFC 9728"));
        assert!(mentions(&explanation, "oauth-protected-resource"));
        assert!(!mentions(&explanation, "It also says"));
    }

    #[test]
    fn negotiate_and_ntlm_say_whether_an_exchange_is_under_way() {
        assert!(mentions(&explained("Negotiate"), "inviting the browser"));
        assert!(mentions(
            &explained("Negotiate oYIBAQ=="),
            "8 characters of code"
        ));
        assert!(mentions(&explained("NTLM"), "inviting the browser"));
        let ntlm = explained("NTLM TlRMTVNTUAACAAAA");
        assert!(mentions(&ntlm, "one step of the NTLM exchange"));
        assert!(mentions(&ntlm, "load balancer"));
    }

    #[test]
    fn aws_explanation_mentions_the_clock_and_keys() {
        let explanation = explained("AWS4-HMAC-SHA256");
        assert!(mentions(&explanation, "clock"));
        assert!(explanation.what_to_do.contains("clock"));
        assert!(explanation.what_to_do.contains("key"));
    }

    #[test]
    fn hoba_mutual_and_scram_details_are_explained() {
        let hoba = explained(r#"HOBA challenge="abc", max-age=10"#);
        assert!(mentions(&hoba, "10 seconds"));
        assert!(mentions(&hoba, "puzzle"));
        let mutual = explained("Mutual algorithm=iso-kam3-dl-2048-sha256, reason=auth-failed");
        assert!(mentions(&mutual, "wrong"));
        let scram = explained(r#"SCRAM-SHA-256 realm="a", sid=AAAAAA, data=abc"#);
        assert!(mentions(&scram, "under way"));
        assert!(mentions(
            &explained("SCRAM-SHA-1 realm=x"),
            "inviting the app"
        ));
    }

    #[test]
    fn long_parameter_lists_are_summarised() {
        let value: String = std::iter::once("Custom ".to_owned())
            .chain((0..15).map(|i| format!("p{i:02}=v, ")))
            .collect();
        let explanation = explained(&value);
        assert!(mentions(
            &explanation,
            "It has 5 more settings not listed here."
        ));
    }

    #[test]
    fn long_server_values_are_cut_short_in_explanations() {
        let realm = "r".repeat(5000);
        let explanation = explained(&format!("Basic realm=\"{realm}\""));
        assert!(explanation.details.iter().all(|d| d.chars().count() < 600));
        assert!(mentions(&explanation, "…”"));
    }

    #[test]
    fn scram_variants_share_one_key() {
        assert_eq!(scheme_key("scram-sha-1"), "scram");
        assert_eq!(scheme_key("scram-sha-256"), "scram");
        assert_eq!(scheme_key("basic"), "basic");
    }
}
