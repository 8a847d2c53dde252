//! The pieces a repair step looks at: parts of an address, wrappers, characters and words.

use super::{
    MAX_SCHEME_TYPO_CHARS, MAX_SHOWN_INPUT_CHARS, REDACTED, Secret, Url, Userinfo, counted, redact,
};

/// An address split at `://` and around the host, so each part can be repaired on its own.
pub(super) struct Parts {
    /// As written: `https`, `HTTP`, …
    pub(super) scheme: String,
    /// `user:password@`, or empty.
    pub(super) userinfo: String,
    /// `example.com`, `[::1]`, …
    pub(super) host: String,
    /// `:8080`, or empty.
    pub(super) port: String,
    /// Path, query and fragment.
    pub(super) tail: String,
}

impl Parts {
    pub(super) fn split(scheme: String, rest: &str) -> Self {
        counted::add(rest.len());
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = split_at(rest, authority_end);
        let (userinfo, host_port) = match authority.rfind('@') {
            Some(at) => split_at(authority, at + 1),
            None => ("", authority),
        };
        let port_start = if host_port.starts_with('[') {
            host_port.find(']').map_or(host_port.len(), |end| end + 1)
        } else {
            host_port.find(':').unwrap_or(host_port.len())
        };
        let (host, port) = split_at(host_port, port_start);
        Parts {
            scheme,
            userinfo: userinfo.to_owned(),
            host: host.to_owned(),
            port: port.to_owned(),
            tail: tail.to_owned(),
        }
    }

    pub(super) fn render(&self) -> String {
        format!(
            "{}://{}{}{}{}",
            self.scheme, self.userinfo, self.host, self.port, self.tail
        )
    }

    /// The password as typed, if the address has one.
    pub(super) fn password(&self) -> Option<&str> {
        let userinfo = self.userinfo.strip_suffix('@')?;
        let (_, password) = userinfo.split_once(':')?;
        (!password.is_empty()).then_some(password)
    }
}

/// The kinds of wrapping that pasted addresses come in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrapper {
    Quotes,
    AngleBrackets,
    Backticks,
    Brackets,
}

/// Which kinds of wrapping were removed.
#[derive(Default)]
pub(super) struct Wrappers(Vec<Wrapper>);

impl Wrappers {
    pub(super) fn add(&mut self, kind: Wrapper) {
        if !self.contains(kind) {
            self.0.push(kind);
        }
    }

    pub(super) fn contains(&self, kind: Wrapper) -> bool {
        self.0.contains(&kind)
    }

    /// "quotation marks and angle brackets", or empty.
    pub(super) fn names(&self) -> String {
        let names: Vec<&str> = [
            (Wrapper::Quotes, "quotation marks"),
            (Wrapper::AngleBrackets, "angle brackets"),
            (Wrapper::Backticks, "backticks"),
            (Wrapper::Brackets, "brackets"),
        ]
        .into_iter()
        .filter(|&(kind, _)| self.contains(kind))
        .map(|(_, name)| name)
        .collect();
        join_words(&names)
    }
}

pub(super) fn opening_wrapper(c: char) -> Option<Wrapper> {
    match c {
        '"' | '\'' | '“' | '”' | '„' | '‘' | '’' | '‚' | '«' | '»' | '‹' | '›' => {
            Some(Wrapper::Quotes)
        }
        '<' => Some(Wrapper::AngleBrackets),
        '`' => Some(Wrapper::Backticks),
        '(' => Some(Wrapper::Brackets),
        _ => None,
    }
}

/// Closing wrappers other than `)`, which is only removed when unbalanced.
pub(super) fn closing_wrapper(c: char) -> Option<Wrapper> {
    match c {
        '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '‹' | '›' => {
            Some(Wrapper::Quotes)
        }
        '>' => Some(Wrapper::AngleBrackets),
        '`' => Some(Wrapper::Backticks),
        _ => None,
    }
}

/// "a", "a and b", "a, b and c".
pub(super) fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The plain name of a character removed from the end of the address.
pub(super) fn trailing_name(c: char) -> &'static str {
    match c {
        '.' => "full stop",
        ',' => "comma",
        ';' => "semicolon",
        ':' => "colon",
        '!' => "exclamation mark",
        '…' => "dots",
        ')' => "closing bracket",
        '>' => "angle bracket",
        '`' => "backtick",
        _ => "quotation mark",
    }
}

pub(super) fn is_sentence_punctuation(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '…')
}

/// Characters that take no space on screen.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// What is trimmed from the edges: spaces of every kind, control and invisible characters.
pub(super) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || is_invisible(c)
}

/// Removed from inside the address. The zero-width joiners (U+200C, U+200D) are kept: some scripts
/// and emoji need them.
pub(super) fn is_removable_inside(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
        )
}

/// True for a bare word such as `http`, which a following colon makes a scheme, not a sentence.
/// Only looks at short words, so a long run of colons is not slow.
pub(super) fn is_scheme_word(text: &str) -> bool {
    (1..=MAX_SCHEME_TYPO_CHARS).contains(&text.len())
        && text.chars().all(|c| c.is_ascii_alphabetic())
}

/// Dots typed with East Asian keyboards, which mean the same as `.` in a host name.
pub(super) fn is_wide_dot(c: char) -> bool {
    matches!(c, '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// The length of what separates a scheme from the host, however mistyped: `://`, `:/`, `//`, `;//`,
/// `:\\`, `: //`. Colons only count before the first slash, so `https://;x` keeps its host.
pub(super) fn scheme_separator_len(text: &str) -> usize {
    let mut seen_slash = false;
    text.find(|c: char| match c {
        ':' | ';' => seen_slash,
        '/' | '\\' => {
            seen_slash = true;
            false
        }
        _ => !c.is_whitespace(),
    })
    .unwrap_or(text.len())
}

/// True when the text is only a host (and maybe a scheme): no port, path, query or fragment.
pub(super) fn is_host_only(text: &str) -> bool {
    let after_scheme = text.split_once("//").map_or(text, |(_, rest)| rest);
    !after_scheme.contains(['/', '?', '#', '\\', ':'])
}

/// True for a word such as `https://example.com` or `<http://…`, with something after the `://`.
pub(super) fn starts_with_web_scheme(word: &str) -> bool {
    let word = word.trim_start_matches(|c| opening_wrapper(c).is_some());
    ["http://", "https://"].iter().any(|scheme| {
        word.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            && word.len() > scheme.len()
    })
}

/// `http` or `https` when `word` (lowercase) looks like a slip for one of them: `htp`, `ttps`, `hxxp`.
pub(super) fn close_web_scheme(word: &str) -> Option<&'static str> {
    if word.len() > MAX_SCHEME_TYPO_CHARS {
        return None;
    }
    let word = word.as_bytes();
    let distance_to =
        |target: &str| (0..=2).find(|&budget| within_edits(word, target.as_bytes(), budget));
    let to_http = distance_to("http");
    let to_https = distance_to("https");
    let best = match (to_http, to_https) {
        (Some(http), Some(https)) => Some(http.min(https)),
        (one, other) => one.or(other),
    }?;
    // Two slips are only believable when the word still starts with h or ends like http(s).
    let shaped_like_http =
        word.starts_with(b"h") || word.ends_with(b"tp") || word.ends_with(b"tps");
    if best == 2 && !shaped_like_http {
        return None;
    }
    Some(match (to_http, to_https) {
        (Some(http), Some(https)) if http < https => "http",
        (Some(http), Some(https)) if http == https && !word.contains(&b's') => "http",
        (Some(_), None) => "http",
        _ => "https",
    })
}

/// True when `a` becomes `b` with at most `budget` insertions, deletions, substitutions or swaps of
/// two neighbours.
pub(super) fn within_edits(a: &[u8], b: &[u8], budget: u8) -> bool {
    let (Some((x, a_rest)), Some((y, b_rest))) = (a.split_first(), b.split_first()) else {
        return a.len().max(b.len()) <= usize::from(budget);
    };
    if x == y {
        return within_edits(a_rest, b_rest, budget);
    }
    let Some(budget) = budget.checked_sub(1) else {
        return false;
    };
    let swapped = match (a, b) {
        ([a0, a1, a_tail @ ..], [b0, b1, b_tail @ ..]) if a0 == b1 && a1 == b0 => {
            within_edits(a_tail, b_tail, budget)
        }
        _ => false,
    };
    swapped
        || within_edits(a_rest, b_rest, budget)
        || within_edits(a_rest, b, budget)
        || within_edits(a, b_rest, budget)
}

/// The `url` crate's parse error, in plain words.
pub(super) fn parse_reason(error: url::ParseError) -> &'static str {
    match error {
        url::ParseError::EmptyHost => "the address has no host name",
        url::ParseError::IdnaError | url::ParseError::InvalidDomainCharacter => {
            "the host name contains characters that are not allowed"
        }
        url::ParseError::InvalidPort => "the port number is not valid",
        url::ParseError::InvalidIpv4Address => "the IP address is not valid",
        url::ParseError::InvalidIpv6Address => "the IPv6 address is not valid",
        url::ParseError::Overflow => "the address is too long",
        _ => "this is not a valid web address",
    }
}

/// `text.split_at(index)`, without a panic when `index` is not on a character boundary.
pub(super) fn split_at(text: &str, index: usize) -> (&str, &str) {
    text.split_at_checked(index).unwrap_or((text, ""))
}

/// Takes `user:password@` out of a parsed address, percent-decoded.
pub(super) fn take_userinfo(url: &mut Url) -> Option<Userinfo> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let userinfo = Userinfo {
        user: decode(url.username()),
        password: url.password().map(|p| Secret::new(decode(p))),
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some(userinfo)
}

/// The typed text as an error repeats it: trimmed, shown as addresses are, at most 200
/// characters.
pub(super) fn shown_input(input: &str, password: Option<&str>) -> String {
    let trimmed = input.trim_matches(is_blank);
    let shown = shown_text(trimmed, password);
    match shown.char_indices().nth(MAX_SHOWN_INPUT_CHARS) {
        Some((cut, _)) => format!("{}…", shown.get(..cut).unwrap_or_default()),
        None => shown,
    }
}

/// Text holding an address, as repairs and errors repeat it: through the one address sanitizer,
/// after the password found by position is cut out wherever it stands before an `@` (a password
/// with a space in it splits the address in two words).
pub(super) fn shown_text(text: &str, password: Option<&str>) -> String {
    let mut text = text.to_owned();
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        let typed = format!(":{password}@");
        if text.contains(&typed) {
            text = text.replace(&typed, &format!(":{REDACTED}@"));
        }
    }
    if text.contains(char::is_whitespace) {
        redact::addresses_in_text(&text).into_owned()
    } else {
        redact::address(&text)
    }
}
