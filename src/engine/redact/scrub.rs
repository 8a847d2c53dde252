//! The scrubber of outside values: what a site sent back, what a file held. Every secret of the
//! check is searched for in every encoding a server, a log or a page may use: as given and
//! trimmed, percent-encoded (any mix of encoded and plain characters, any case), form-encoded,
//! HTML- and JSON-escaped, the Base64 of `user:password` that Basic sign-in sends (whatever the
//! password's length), the Digest `response=` computed in this exchange and a JWT's signature.
//!
//! Only string values are scrubbed, never names or keys, and never AuthDoctor's own sentences:
//! those never hold a secret in the first place. Scrubbing fails closed: text that holds a secret
//! too short to cut out without shredding it (one or two characters) is dropped whole, and a
//! body cut at the size limit loses a tail that may be the start of a secret.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::ops::Range;
use std::sync::OnceLock;

use base64::Engine as _;
use regex::Regex;
use url::Url;

use crate::engine::challenge::Scheme;
use crate::engine::exchange::Exchange;
use crate::engine::redact::address;
use crate::engine::secret::{REDACTED, Secret};

/// Secrets shorter than this (in characters) cannot be cut out of text without shredding it.
const SHORT_CHARS: usize = 3;
/// Cookie values and address parameters shorter than this are ids, flags and languages
/// (`lang=en`, `p=12`), not credentials, and are not searched for.
pub const MIN_VALUE_CHARS: usize = 4;
/// Secrets up to this length are matched in every mix of encodings; longer ones (tokens of
/// kilobytes) in each whole encoding.
const MAX_PATTERN_CHARS: usize = 256;
/// What replaces a body that held a secret too short to cut out.
pub const DROPPED_TEXT: &str =
    "(removed by redaction: this text held one of your secrets, too short to cut out of it)";

/// One thing to search for.
#[derive(Clone)]
struct Needle {
    find: Find,
    /// The encodings spelled out, to spot the start of one cut off at the end of a body.
    forms: Vec<String>,
    /// Too short to cut out: text holding it is dropped whole.
    short: bool,
}

#[derive(Clone)]
enum Find {
    /// Every character as itself or in any of its encodings. Compiled the first time a text
    /// that holds an encoding is searched: most hold none, and the plain value then suffices.
    Pattern(OnceLock<Option<Regex>>),
    /// Exact text (Base64 forms, a Digest response, a long token's whole encodings).
    Literals(Vec<String>),
}

/// What to do with a text that holds a secret too short to cut out cleanly.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Short {
    /// Drop the whole text (free text, header values).
    Drop,
    /// Cut it out anyway (a value inside a structure that must keep its shape).
    Cut,
}

/// The result of scrubbing one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scrubbed<'a> {
    /// No secret in it.
    Clean(&'a str),
    /// Every secret replaced by `(redacted)`.
    Cleaned(String),
    /// It held a secret too short to cut out: the caller drops the text and says so.
    Dropped,
}

/// Searches outside text for the secrets of one check or one request. `Debug` shows only how
/// many secrets it knows.
#[derive(Clone, Default)]
pub struct Scrubber {
    needles: Vec<Needle>,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scrubber({} needles)", self.needles.len())
    }
}

impl Scrubber {
    /// A scrubber for typed secrets (passwords, tokens); `user` is needed to recognise the Basic
    /// header form of each password.
    #[must_use]
    pub fn new(user: Option<&str>, secrets: &[&Secret]) -> Self {
        let mut scrubber = Scrubber::default();
        for s in secrets {
            scrubber.add_secret(s.expose());
            if let Some(user) = user {
                scrubber.add_basic(user, s.expose());
            }
        }
        scrubber
    }

    /// What one request carried, the only secrets its answer can echo: the `Authorization` it
    /// sent (the password inside a Basic header, a Bearer token, the Digest `response=`), its
    /// cookie values and the secret parameters of its address.
    #[must_use]
    pub fn for_request(url: &Url, authorization: Option<&Secret>, cookie: Option<&Secret>) -> Self {
        let mut scrubber = Scrubber::default();
        if let Some(a) = authorization {
            scrubber.add_authorization(a.expose());
        }
        if let Some(c) = cookie {
            scrubber.add_cookie_header(c.expose());
        }
        scrubber.add_address(url.as_str());
        scrubber
    }

    /// True when there is nothing to search for.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Adds a typed secret (any length) in every encoding, and a JWT's signature on its own.
    pub fn add_secret(&mut self, value: &str) {
        if value.is_empty() {
            return;
        }
        self.add_encoded(value);
        let trimmed = value.trim();
        if trimmed != value && !trimmed.is_empty() {
            self.add_encoded(trimmed);
        }
        if trimmed.chars().count() >= 6 {
            for engine in [
                &base64::engine::general_purpose::STANDARD,
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            ] {
                self.add_literal(&engine.encode(trimmed.as_bytes()));
            }
        }
        if let Some(signature) = jwt_signature(trimmed) {
            self.add_literal(signature);
        }
    }

    /// Adds a value from a cookie or an address parameter, unless it is too short to be a
    /// credential ([`MIN_VALUE_CHARS`]).
    pub fn add_value(&mut self, value: &str) {
        if value.trim().chars().count() >= MIN_VALUE_CHARS {
            self.add_secret(value);
        }
    }

    /// Adds the Base64 of `user:password` (standard, unpadded and URL-safe), as a Basic header
    /// carries it: also for a password of one or two characters.
    pub fn add_basic(&mut self, user: &str, password: &str) {
        let raw = format!("{user}:{password}");
        let standard = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
        self.add_literal(standard.trim_end_matches('='));
        self.add_literal(&standard);
        self.add_literal(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.as_bytes()));
    }

    /// Adds exact text.
    pub fn add_literal(&mut self, value: &str) {
        if value.is_empty() || self.has_literal(value) {
            return;
        }
        self.needles.push(Needle {
            find: Find::Literals(vec![value.to_owned()]),
            forms: vec![value.to_owned()],
            short: value.chars().count() < SHORT_CHARS,
        });
    }

    /// Adds what an `Authorization` (or `Proxy-Authorization`) header value gives away: the
    /// whole value, the password inside a Basic one, a Bearer token, a Digest `response=`.
    pub fn add_authorization(&mut self, value: &str) {
        let value = value.trim();
        let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
        let credentials = credentials.trim();
        match Scheme::parse(scheme) {
            Scheme::Basic => {
                self.add_literal(credentials);
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(credentials)
                    && let Ok(text) = String::from_utf8(bytes)
                {
                    let (user, password) = text.split_once(':').unwrap_or((&text, ""));
                    self.add_basic(user, password);
                    self.add_secret(password);
                }
            }
            Scheme::Digest => {
                if let Some(response) = digest_param(credentials, "response") {
                    self.add_literal(response);
                }
            }
            _ => self.add_secret(credentials),
        }
    }

    /// Adds the values of a `Cookie` header (`a=1; b=2`).
    pub fn add_cookie_header(&mut self, header: &str) {
        for pair in header.split(';') {
            if let Some((_, value)) = pair.split_once('=') {
                self.add_value(value.trim().trim_matches('"'));
            }
        }
    }

    /// Adds the values of an address's secret parameters.
    pub fn add_address(&mut self, url: &str) {
        for value in address::secret_values(url) {
            self.add_value(&value);
        }
    }

    /// Adds everything another scrubber searches for.
    pub fn extend(&mut self, other: &Scrubber) {
        self.needles.extend(other.needles.iter().cloned());
    }

    fn has_literal(&self, value: &str) -> bool {
        self.needles
            .iter()
            .any(|n| matches!(&n.find, Find::Literals(l) if l.len() == 1 && l.first().is_some_and(|x| x == value)))
    }

    fn add_encoded(&mut self, value: &str) {
        let forms = encoded_forms(value);
        let short = value.chars().count() < SHORT_CHARS;
        let find = if value.chars().count() <= MAX_PATTERN_CHARS {
            Find::Pattern(OnceLock::new())
        } else {
            Find::Literals(forms.clone())
        };
        self.needles.push(Needle { find, forms, short });
    }

    /// Scrubs one text: every secret becomes `(redacted)`, or the text is to be dropped.
    #[must_use]
    pub fn scrub<'a>(&self, text: &'a str) -> Scrubbed<'a> {
        self.cut(text, Short::Drop)
    }

    fn cut<'a>(&self, text: &'a str, short: Short) -> Scrubbed<'a> {
        if self.needles.is_empty() || text.is_empty() {
            return Scrubbed::Clean(text);
        }
        // What is already `(redacted)` is ours, not the site's: a secret that happens to be
        // `redacted` is not searched for inside it.
        let markers: Vec<Range<usize>> = text
            .match_indices(REDACTED)
            .map(|(i, m)| i..i + m.len())
            .collect();
        let inside_marker =
            |r: &Range<usize>| markers.iter().any(|m| m.start <= r.start && r.end <= m.end);
        let marks = Marks::of(text);
        let mut spans: Vec<Range<usize>> = Vec::new();
        for needle in &self.needles {
            let before = spans.len();
            let literals = |forms: &[String], spans: &mut Vec<Range<usize>>| {
                for l in forms {
                    spans.extend(text.match_indices(l.as_str()).map(|(i, m)| i..i + m.len()));
                }
            };
            match &needle.find {
                Find::Pattern(cell) => {
                    let value = needle.forms.first().map_or("", String::as_str);
                    if marks.may_hide(value) {
                        let compiled = cell.get_or_init(|| {
                            regex::RegexBuilder::new(&any_encoding_pattern(value))
                                .size_limit(1 << 24)
                                .build()
                                .ok()
                        });
                        match compiled {
                            Some(re) => spans.extend(re.find_iter(text).map(|m| m.range())),
                            None => literals(&needle.forms, &mut spans),
                        }
                    } else {
                        literals(needle.forms.get(..1).unwrap_or_default(), &mut spans);
                    }
                }
                Find::Literals(forms) => literals(forms, &mut spans),
            }
            let mut kept = before;
            for i in before..spans.len() {
                if let Some(span) = spans.get(i).cloned()
                    && !inside_marker(&span)
                {
                    spans.swap(kept, i);
                    kept += 1;
                }
            }
            spans.truncate(kept);
            if needle.short && short == Short::Drop && spans.len() > before {
                return Scrubbed::Dropped;
            }
        }
        if spans.is_empty() {
            return Scrubbed::Clean(text);
        }
        spans.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for span in merged {
            out.push_str(text.get(done..span.start).unwrap_or_default());
            out.push_str(REDACTED);
            done = span.end;
        }
        out.push_str(text.get(done..).unwrap_or_default());
        Scrubbed::Cleaned(out)
    }

    /// A short value (a header value, a parameter): scrubbed, or `(redacted)` whole. Borrowed
    /// exactly when nothing was found.
    #[must_use]
    pub fn value<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.scrub(text) {
            Scrubbed::Clean(t) => Cow::Borrowed(t),
            Scrubbed::Cleaned(t) => Cow::Owned(t),
            // Owned: callers tell a changed value by it.
            Scrubbed::Dropped => Cow::Owned(REDACTED.to_owned()),
        }
    }

    /// Free text (a body): scrubbed, or replaced by a sentence saying redaction removed it. A
    /// text cut short (`truncated`) also loses an end that may be the start of a secret.
    /// Borrowed exactly when nothing was removed.
    #[must_use]
    pub fn free_text<'a>(&self, text: &'a str, truncated: bool) -> Cow<'a, str> {
        let whole = text;
        let text = if truncated {
            self.without_partial_tail(text)
        } else {
            text
        };
        match self.scrub(text) {
            Scrubbed::Clean(t) if t.len() == whole.len() => Cow::Borrowed(t),
            Scrubbed::Clean(t) => Cow::Owned(t.to_owned()),
            Scrubbed::Cleaned(t) => Cow::Owned(t),
            Scrubbed::Dropped => Cow::Owned(DROPPED_TEXT.to_owned()),
        }
    }

    /// The text without an end that is the beginning of a secret in one of its encodings.
    fn without_partial_tail<'a>(&self, text: &'a str) -> &'a str {
        let mut cut = text.len();
        for form in self.needles.iter().flat_map(|n| n.forms.iter()) {
            for (i, _) in form.char_indices().skip(1) {
                let Some(prefix) = form.get(..i) else {
                    continue;
                };
                if text.ends_with(prefix) {
                    cut = cut.min(text.len() - prefix.len());
                }
            }
        }
        text.get(..cut).unwrap_or_default()
    }

    /// Scrubs every outside value of an answer: header values (all but `Location` when
    /// `keep_location`, which the redirect loop still has to follow), the body and the raw
    /// challenge lines. Names are never touched. True when anything was removed.
    pub fn exchange(&self, exchange: &mut Exchange, keep_location: bool) -> bool {
        if self.is_empty() {
            return false;
        }
        let mut changed = false;
        for h in &mut exchange.headers {
            if keep_location && h.name == "location" {
                continue;
            }
            if let Cow::Owned(v) = self.value(&h.value) {
                h.value = v;
                changed = true;
            }
        }
        if let Cow::Owned(body) = self.free_text(&exchange.body_excerpt, exchange.body_truncated) {
            exchange.body_excerpt = body;
            changed = true;
        }
        for lines in [
            &mut exchange.www_authenticate_raw,
            &mut exchange.proxy_authenticate_raw,
        ] {
            for line in lines.iter_mut() {
                let text = String::from_utf8_lossy(line);
                if let Some(clean) = self.challenge_line(&text) {
                    *line = clean.into_bytes();
                    changed = true;
                }
            }
        }
        changed
    }
}

impl Scrubber {
    /// A `WWW-Authenticate` line with secrets cut out of its values only (quoted strings and
    /// the values after `=`), so its schemes and parameter names, and with them what the
    /// diagnosis reads from it, stay as they were. `None` when nothing was found.
    fn challenge_line(&self, line: &str) -> Option<String> {
        let mut out = String::with_capacity(line.len());
        let mut changed = false;
        let mut cut = |value: &str, out: &mut String| match self.cut(value, Short::Cut) {
            Scrubbed::Cleaned(clean) => {
                changed = true;
                out.push_str(&clean);
            }
            Scrubbed::Clean(_) | Scrubbed::Dropped => out.push_str(value),
        };
        let mut rest = line;
        let mut after_equals = false;
        while !rest.is_empty() {
            if let Some(quoted) = rest.strip_prefix('"') {
                let mut end = quoted.len();
                let mut escaped = false;
                for (i, c) in quoted.char_indices() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = i;
                        break;
                    }
                }
                let (inner, after) = quoted.split_at_checked(end).unwrap_or((quoted, ""));
                out.push('"');
                cut(inner, &mut out);
                rest = after.strip_prefix('"').map_or(after, |a| {
                    out.push('"');
                    a
                });
                after_equals = false;
                continue;
            }
            let end = rest
                .find(|c: char| c == '"' || c == ',' || c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            if end == 0 {
                let mut chars = rest.chars();
                if let Some(c) = chars.next() {
                    if c == '=' {
                        after_equals = true;
                    } else if c == ',' {
                        after_equals = false;
                    }
                    out.push(c);
                }
                rest = chars.as_str();
                continue;
            }
            let (token, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
            if after_equals {
                cut(token, &mut out);
            } else {
                out.push_str(token);
            }
            after_equals = false;
            rest = after;
        }
        changed.then_some(out)
    }
}

/// Which encodings a text could hold at all, read once per text: a text with none of their
/// marks can only hold a secret as it is, which needs no pattern.
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per kind of mark, read once per text"
)]
struct Marks {
    /// `%` and two hex digits, `&#`, or `\u`: any character may hide behind them.
    any: bool,
    /// A named HTML entity (`&amp;`, `&lt;`, `&gt;`, `&quot;`).
    entity: bool,
    /// A JSON escape of `"`, `\\` or `/`.
    json_escape: bool,
    /// A `\x` escape, as AuthDoctor writes control characters.
    hex_escape: bool,
    /// A `+`, which form encoding writes for a space.
    plus: bool,
}

impl Marks {
    fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let percent = bytes
            .windows(3)
            .any(|w| matches!(w, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()));
        Marks {
            any: percent || text.contains("&#") || text.contains("\\u") || text.contains("\\U"),
            entity: text.contains("&amp;")
                || text.contains("&lt;")
                || text.contains("&gt;")
                || text.contains("&quot;"),
            json_escape: text.contains("\\\"") || text.contains("\\\\") || text.contains("\\/"),
            hex_escape: text.contains("\\x"),
            plus: text.contains('+'),
        }
    }

    /// True when `value` may be in the text in some encoding other than as it is.
    fn may_hide(&self, value: &str) -> bool {
        self.any
            || (self.entity && value.contains(['&', '<', '>', '"']))
            || (self.json_escape && value.contains(['"', '\\', '/']))
            || (self.hex_escape && value.chars().any(char::is_control))
            || (self.plus && value.contains(' '))
    }
}

/// The signature part of a JWT (`header.claims.signature`), when it is long enough to search for.
fn jwt_signature(token: &str) -> Option<&str> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    (header.starts_with("eyJ") && signature.len() >= 8).then_some(signature)
}

/// The value of `name=` in a Digest header (quoted or not).
fn digest_param<'a>(credentials: &'a str, name: &str) -> Option<&'a str> {
    credentials.split(',').find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"'))
    })
}

/// A pattern matching `value` with each character as itself or percent-encoded (either hex
/// case), form-encoded (`+` for a space), as an HTML entity or a JSON/`\x` escape.
fn any_encoding_pattern(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 48);
    let mut buf = [0u8; 4];
    for c in value.chars() {
        out.push_str("(?:");
        out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
        out.push_str("|(?i:");
        for b in c.to_string().bytes() {
            let _ = write!(out, "%{b:02x}");
        }
        let code = u32::from(c);
        let _ = write!(out, "|&#0*{code};|&#x0*{code:x};");
        let mut units = [0u16; 2];
        out.push('|');
        for unit in c.encode_utf16(&mut units).iter() {
            let _ = write!(out, "\\\\u{unit:04x}");
        }
        if code < 0x20 || (0x7f..0xa0).contains(&code) {
            let _ = write!(out, "|\\\\x{code:02x}");
        }
        out.push(')');
        match c {
            ' ' => out.push_str("|\\+"),
            '&' => out.push_str("|&amp;"),
            '<' => out.push_str("|&lt;"),
            '>' => out.push_str("|&gt;"),
            '"' => out.push_str("|&quot;|\\\\\""),
            '\\' => out.push_str("|\\\\\\\\"),
            '/' => out.push_str("|\\\\/"),
            _ => {}
        }
        out.push(')');
    }
    out
}

/// The usual whole encodings of a value, spelled out.
fn encoded_forms(value: &str) -> Vec<String> {
    let mut forms = vec![value.to_owned()];
    let mut push = |form: String| {
        if !forms.contains(&form) {
            forms.push(form);
        }
    };
    let percent = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    push(percent.to_ascii_lowercase());
    push(percent);
    push(url::form_urlencoded::byte_serialize(value.as_bytes()).collect());
    if let Ok(json) = serde_json::to_string(value) {
        push(
            json.trim_start_matches('"')
                .trim_end_matches('"')
                .to_owned(),
        );
    }
    push(
        value
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
    );
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrub(s: &Scrubber, text: &str) -> String {
        match s.scrub(text) {
            Scrubbed::Clean(t) => t.to_owned(),
            Scrubbed::Cleaned(t) => t,
            Scrubbed::Dropped => "(dropped)".to_owned(),
        }
    }

    #[test]
    fn a_secret_is_found_in_every_encoding_and_nothing_else_is_touched() {
        let pw = Secret::new("p@ss w/rd+é");
        let s = Scrubber::new(Some("alice"), &[&pw]);
        let basic = base64::engine::general_purpose::STANDARD.encode("alice:p@ss w/rd+é");
        for encoded in [
            "p@ss w/rd+é".to_owned(),
            "p%40ss%20w%2Frd%2B%C3%A9".to_owned(),
            "p%40ss+w%2frd%2b%c3%a9".to_owned(),
            "p@ss w\\/rd+\\u00e9".to_owned(),
            "p&#64;ss&#32;w/rd+&#xe9;".to_owned(),
            format!("Basic {basic}"),
            basic.trim_end_matches('=').to_owned(),
        ] {
            let text = format!("{{\"password\": \"{encoded}\"}}");
            assert_eq!(
                scrub(&s, &text).replace("Basic ", ""),
                "{\"password\": \"(redacted)\"}",
                "{encoded}"
            );
        }
        assert_eq!(scrub(&s, "the password is wrong"), "the password is wrong");
    }

    #[test]
    fn a_text_with_one_kind_of_encoding_is_still_searched_in_it() {
        let s = Scrubber::new(None, &[&Secret::new("two words/x")]);
        assert_eq!(scrub(&s, "q=two+words%2Fx"), "q=(redacted)");
        assert_eq!(scrub(&s, "q=two+words/x"), "q=(redacted)");
        assert_eq!(scrub(&s, "q=two words\\/x"), "q=(redacted)");
        assert_eq!(scrub(&s, "q=two words/x"), "q=(redacted)");
        assert_eq!(scrub(&s, "q=two+words"), "q=two+words");
    }

    #[test]
    fn the_basic_form_of_a_short_password_is_cut_and_the_password_drops_its_text() {
        let pw = Secret::new("pw");
        let s = Scrubber::new(Some("alice"), &[&pw]);
        let basic = base64::engine::general_purpose::STANDARD.encode("alice:pw");
        assert_eq!(s.value(&format!("Basic {basic}")), "Basic (redacted)");
        assert_eq!(s.value("a pwd"), REDACTED);
        assert!(
            matches!(s.value("a pwd"), Cow::Owned(_)),
            "a dropped value counts as changed"
        );
        assert_eq!(s.free_text("a pwd", false), DROPPED_TEXT);
        assert_eq!(s.free_text("nothing here", false), "nothing here");
    }

    #[test]
    fn what_a_request_carried_is_what_its_answer_is_searched_for() {
        let url = Url::parse("https://a.example/x?token=tok-123456&page=2")
            .unwrap_or_else(|e| panic!("{e}"));
        let auth = Secret::new("Basic YWxpY2U6czNjcmV0LXB3");
        let cookie = Secret::new("sid=cookie-value-77; lang=en");
        let s = Scrubber::for_request(&url, Some(&auth), Some(&cookie));
        let echoed = "you sent alice:s3cret-pw YWxpY2U6czNjcmV0LXB3 cookie-value-77 tok-123456 lang=en page=2";
        assert_eq!(
            scrub(&s, echoed),
            "you sent alice:(redacted) (redacted) (redacted) (redacted) lang=en page=2"
        );
        let digest = Secret::new(
            "Digest username=\"alice\", realm=\"r\", nonce=\"n\", uri=\"/x\", response=\"0123456789abcdef0123456789abcdef\"",
        );
        let s = Scrubber::for_request(&url, Some(&digest), None);
        assert_eq!(
            scrub(&s, "response 0123456789abcdef0123456789abcdef"),
            "response (redacted)"
        );
    }

    #[test]
    fn a_jwt_signature_is_searched_for_on_its_own() {
        let token = Secret::new("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA");
        let s = Scrubber::new(None, &[&token]);
        assert_eq!(scrub(&s, "sig=c2lnbmF0dXJlLXNlY3JldA"), "sig=(redacted)");
    }

    #[test]
    fn a_body_cut_in_the_middle_of_a_secret_loses_the_cut_part() {
        let pw = Secret::new("hunter2-long");
        let s = Scrubber::new(None, &[&pw]);
        assert_eq!(s.free_text("echo: hunter2-lo", true), "echo: ");
        assert_eq!(s.free_text("echo: hunter2-lo", false), "echo: hunter2-lo");
    }

    #[test]
    fn a_secret_spelled_like_the_redaction_mark_leaves_the_mark_alone() {
        let s = Scrubber::new(None, &[&Secret::new("redacted"), &Secret::new("act")]);
        assert_eq!(
            scrub(&s, "token=(redacted) redacted"),
            "token=(redacted) (redacted)"
        );
    }

    #[test]
    fn a_challenge_keeps_its_names_and_loses_the_secret_in_its_values() {
        let s = Scrubber::new(None, &[&Secret::new("Zq"), &Secret::new("realm")]);
        assert_eq!(
            s.challenge_line(r#"Basic realm="Members of Zq \"realm\"", charset=Zq"#)
                .as_deref(),
            Some(r#"Basic realm="Members of (redacted) \"(redacted)\"", charset=(redacted)"#)
        );
        assert_eq!(s.challenge_line(r#"Basic realm="x""#), None);
    }

    #[test]
    fn overlapping_secrets_are_cut_as_one() {
        let a = Secret::new("abcdef");
        let b = Secret::new("defghi");
        let s = Scrubber::new(None, &[&a, &b]);
        assert_eq!(scrub(&s, "x abcdefghi y"), "x (redacted) y");
        assert_eq!(format!("{s:?}"), "Scrubber(4 needles)");
    }
}
