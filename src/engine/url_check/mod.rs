//! The address check: reads what the user typed or pasted, repairs the usual slips and says each repair.
//!
//! People paste addresses out of e-mails, chats and documents, so they arrive with spaces, quotes, a full
//! stop from the end of a sentence, a misspelt `https://` or none at all. [`check_address`] repairs what
//! it safely can, records every change as a [`Repair`] in plain words, and lists what looks odd but was left
//! alone as doubts. Anything it cannot turn into an `http` or `https` address is an [`AddressError`].

use url::{Host, Url};

use crate::engine::redact;
use crate::engine::secret::{REDACTED, Secret};
use crate::engine::work as counted;

/// One repair or doubt about the address, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    /// What was changed, as a plain sentence.
    pub what: String,
    /// The text as it was before this repair, as [`redact::address`] shows it: no
    /// `user:password@`, no secret parameter values.
    pub before: String,
    /// The text after this repair, shown the same way.
    pub after: String,
}

/// The `user:password@` of a typed address, taken out of it before anything is said about the
/// address: browsers send it as a Basic sign-in, so it is a credential, never part of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Userinfo {
    /// The user name, percent-decoded.
    pub user: String,
    /// The password, percent-decoded.
    pub password: Option<Secret>,
}

/// The address to check, with every repair made to it and every doubt about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressCheck {
    /// The address to check, without its `user:password@` (see [`AddressCheck::userinfo`]).
    pub url: Url,
    /// The `user:password@` the typed address had, if any.
    pub userinfo: Option<Userinfo>,
    /// The repairs made, in order; empty when the address was fine as typed.
    pub repairs: Vec<Repair>,
    /// Plain-language warnings about things that were not changed.
    pub doubts: Vec<String>,
    /// The host name as sent on the internet (`xn--…`), when the typed host had non-ASCII characters.
    pub punycode_host: Option<String>,
    /// True when no scheme was typed and `https://` was assumed: the check then tries http too
    /// when https does not answer.
    pub scheme_guessed: bool,
}

/// Why the text cannot be used as a web address, even after repairs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing was typed (or only spaces and quotes).
    #[error("the address is empty")]
    Empty,
    /// The text cannot be turned into an `http` or `https` address.
    #[error("{reason}: {input}")]
    Unrepairable {
        /// What is wrong, in plain lowercase words.
        reason: String,
        /// The text as typed, without surrounding spaces, shortened, and shown as
        /// [`redact::address`] shows addresses.
        input: String,
    },
}

/// How much of the typed text an error repeats back.
const MAX_SHOWN_INPUT_CHARS: usize = 200;
/// The longest host name DNS allows.
const MAX_HOST_CHARS: usize = 253;
/// The longest part between two dots that DNS allows.
const MAX_LABEL_CHARS: usize = 63;
/// The reason given for a host name over [`MAX_HOST_CHARS`].
const TOO_LONG_HOST: &str = "the host name is longer than the 253 characters allowed";
/// Scheme words longer than this are never taken for a misspelt `http`.
const MAX_SCHEME_TYPO_CHARS: usize = 8;

/// Schemes that are real but not web pages; an address using one cannot be checked.
const NOT_WEB_SCHEMES: &[&str] = &[
    "about",
    "afp",
    "blob",
    "chrome",
    "data",
    "dict",
    "edge",
    "feed",
    "file",
    "ftp",
    "ftps",
    "git",
    "gopher",
    "imap",
    "imaps",
    "irc",
    "ircs",
    "javascript",
    "ldap",
    "ldaps",
    "magnet",
    "mailto",
    "news",
    "nfs",
    "nntp",
    "pop",
    "rtmp",
    "rtp",
    "rtsp",
    "sftp",
    "sip",
    "sips",
    "smb",
    "smtp",
    "sms",
    "ssh",
    "svn",
    "tel",
    "telnet",
    "tftp",
    "urn",
    "vbscript",
    "view-source",
    "webcal",
    "ws",
    "wss",
    "xmpp",
];

/// Top-level domains that are almost always a slip of the finger, with what was probably meant.
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("cpm", "com"),
    ("vom", "com"),
    ("xom", "com"),
    ("comm", "com"),
    ("ogr", "org"),
    ("rog", "org"),
    ("orgg", "org"),
    ("nte", "net"),
    ("ent", "net"),
    ("nett", "net"),
];

/// Checks and repairs a typed or pasted web address.
///
/// Returns the address to check with every repair and doubt, [`AddressError::Empty`] when nothing was
/// typed, or [`AddressError::Unrepairable`] when the text cannot become an `http`/`https` address.
pub fn check_address(input: &str) -> Result<AddressCheck, AddressError> {
    counted::add(input.len());
    let mut work = Work::new(input);
    work.trim_spaces();
    work.keep_only_the_address();
    work.strip_wrappers_and_punctuation();
    if work.text.is_empty() {
        return Err(AddressError::Empty);
    }
    work.remove_inner_invisible_characters();
    let (scheme, rest) = work.fix_scheme()?;
    let rest = work.fix_backslashes(&scheme, rest);
    let mut parts = Parts::split(scheme, &rest);
    work.password = parts.password().map(str::to_owned);
    work.fix_host(&mut parts);
    work.check_host(&parts)?;
    work.finish(&parts)
}

/// The text being repaired, with what has been said about it so far.
struct Work<'a> {
    input: &'a str,
    text: String,
    repairs: Vec<Repair>,
    doubts: Vec<String>,
    /// The password as typed, once the host has been found, so no message repeats it.
    password: Option<String>,
    /// No scheme was typed; https was assumed.
    scheme_guessed: bool,
}

impl<'a> Work<'a> {
    fn new(input: &'a str) -> Self {
        Work {
            input,
            text: input.to_owned(),
            repairs: Vec::new(),
            doubts: Vec::new(),
            password: None,
            scheme_guessed: false,
        }
    }

    /// Replaces the text and records the repair, if the text changed.
    fn record(&mut self, what: impl Into<String>, after: String) {
        // Compared, and the old text kept in the repair.
        counted::add(after.len() + self.text.len());
        if after != self.text {
            let before = std::mem::replace(&mut self.text, after);
            self.repairs.push(Repair {
                what: what.into(),
                before,
                after: self.text.clone(),
            });
        }
    }

    fn unrepairable(&self, reason: &str) -> AddressError {
        AddressError::Unrepairable {
            reason: reason.to_owned(),
            input: shown_input(self.input, self.password.as_deref()),
        }
    }

    /// Spaces, line breaks and invisible characters around the address.
    fn trim_spaces(&mut self) {
        let trimmed = self.text.trim_matches(is_blank);
        if trimmed.len() == self.text.len() {
            return;
        }
        let start = self.text.len() - self.text.trim_start_matches(is_blank).len();
        let removed_start = self.text.get(..start).unwrap_or_default();
        let removed_end = self.text.get(start + trimmed.len()..).unwrap_or_default();
        let removed = || removed_start.chars().chain(removed_end.chars());
        let spaces = removed().any(char::is_whitespace);
        let invisible = removed().any(|c| !c.is_whitespace());
        let what = match (spaces, invisible) {
            (true, true) => "Removed the spaces and invisible characters around the address.",
            (false, true) => "Removed invisible characters around the address.",
            _ => "Removed the spaces around the address.",
        };
        let trimmed = trimmed.to_owned();
        self.record(what, trimmed);
    }

    /// A web address pasted together with the sentence around it.
    fn keep_only_the_address(&mut self) {
        if !self.text.contains(char::is_whitespace) {
            return;
        }
        let mut addresses = self
            .text
            .split_whitespace()
            .enumerate()
            .filter(|(_, word)| starts_with_web_scheme(word));
        let Some((index, first)) = addresses.next() else {
            return;
        };
        let more = addresses.next().is_some();
        // One address at the very start may simply contain a stray space ("https://www.exam ple.com");
        // the host repairs deal with that.
        if index == 0 && !more {
            return;
        }
        let first = first.to_owned();
        self.record("Kept only the web address from the pasted text.", first);
        if more {
            self.doubts.push(
                "The pasted text contains more than one web address; only the first one is checked."
                    .to_owned(),
            );
        }
    }

    /// Quotes, brackets and backticks around the address, and punctuation from the sentence after it.
    fn strip_wrappers_and_punctuation(&mut self) {
        let mut rest: &str = &self.text;
        let mut open_parens = rest.matches('(').count();
        let mut close_parens = rest.matches(')').count();
        let mut wrappers = Wrappers::default();
        // Removed from the end without a partner at the start, last first.
        let mut trailing: Vec<char> = Vec::new();
        loop {
            counted::add(1);
            rest = rest.trim_matches(is_blank);
            let mut chars = rest.chars();
            if let Some(kind) = chars.next().and_then(opening_wrapper) {
                if kind == Wrapper::Brackets {
                    open_parens = open_parens.saturating_sub(1);
                }
                wrappers.add(kind);
                rest = chars.as_str();
                continue;
            }
            let mut chars = rest.chars();
            let Some(last) = chars.next_back() else {
                break;
            };
            let closing = if last == ')' {
                if close_parens <= open_parens {
                    break; // balanced: the bracket is part of the address, as on Wikipedia
                }
                close_parens -= 1;
                Some(Wrapper::Brackets)
            } else {
                closing_wrapper(last)
            };
            match closing {
                Some(kind) if wrappers.contains(kind) => {}
                Some(_) => trailing.push(last),
                None if is_sentence_punctuation(last)
                    && !(last == ':' && is_scheme_word(chars.as_str())) =>
                {
                    trailing.push(last);
                }
                None => break,
            }
            rest = chars.as_str();
        }
        if rest.len() == self.text.len() {
            return;
        }
        // Dots right after the host name are the host's own trailing dot, not a full stop.
        let host_dot =
            !trailing.is_empty() && trailing.iter().all(|&c| c == '.') && is_host_only(rest);
        let mut trailing_names: Vec<&str> = Vec::new();
        for name in trailing.iter().rev().map(|&c| trailing_name(c)) {
            if !trailing_names.contains(&name) {
                trailing_names.push(name);
            }
        }
        let trailing_names = join_words(&trailing_names);
        let names = wrappers.names();
        let what = match (names.is_empty(), trailing_names.is_empty()) {
            (true, false) if host_dot => "Removed the dot at the end of the host name.".to_owned(),
            (false, false) if host_dot => format!(
                "Removed the {names} around the address and the dot at the end of the host name."
            ),
            (false, true) => format!("Removed the {names} around the address."),
            (true, false) => format!(
                "Removed the {trailing_names} after the address; it was probably part of the \
                 sentence it was copied from."
            ),
            (false, false) => {
                format!("Removed the {names} around the address and the {trailing_names} after it.")
            }
            (true, true) => "Removed the spaces around the address.".to_owned(),
        };
        let rest = rest.to_owned();
        self.record(what, rest);
    }

    /// Line breaks, tabs and zero-width characters inside the address.
    fn remove_inner_invisible_characters(&mut self) {
        if !self.text.contains(is_removable_inside) {
            return;
        }
        let cleaned: String = self
            .text
            .chars()
            .filter(|&c| !is_removable_inside(c))
            .collect();
        self.record(
            "Removed invisible characters (such as line breaks or zero-width spaces) from inside the \
             address.",
            cleaned,
        );
    }

    /// Adds a missing scheme or corrects a misspelt one. Returns the scheme as written and what follows
    /// `://`.
    fn fix_scheme(&mut self) -> Result<(String, String), AddressError> {
        let text = self.text.as_str();
        let word_len = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .unwrap_or(text.len());
        let (word, after_word) = split_at(text, word_len);
        let separator_len = scheme_separator_len(after_word);
        let (separator, rest) = split_at(after_word, separator_len);

        let has_colon = separator.contains([':', ';']);
        let slashes = separator.matches(['/', '\\']).count();
        let looks_like_scheme = word.starts_with(|c: char| c.is_ascii_alphabetic())
            && !word.contains('.')
            && (has_colon || slashes >= 2);

        if word.is_empty() && !separator.is_empty() {
            // "//example.com" or "://example.com": the scheme itself is missing.
            let after = format!("https://{rest}");
            return Ok(self.add_https(after, rest.to_owned()));
        }
        if !looks_like_scheme {
            let after = format!("https://{text}");
            let rest = text.to_owned();
            return Ok(self.add_https(after, rest));
        }

        let lower = word.to_ascii_lowercase();
        if lower == "http" || lower == "https" {
            if separator == "://" {
                return Ok((word.to_owned(), rest.to_owned()));
            }
            let typed = format!("{word}{separator}");
            let rest = rest.to_owned();
            return Ok(self.correct_scheme(&lower, &typed, rest));
        }
        if has_colon && NOT_WEB_SCHEMES.contains(&lower.as_str()) {
            return Err(self.unrepairable("only web addresses (http or https) can be checked"));
        }
        if word.len() == 1 && has_colon && slashes >= 1 {
            return Err(self.unrepairable("this is a file on your computer, not a web address"));
        }
        if let Some(scheme) = close_web_scheme(&lower) {
            let typed = format!("{word}{separator}");
            let rest = rest.to_owned();
            return Ok(self.correct_scheme(scheme, &typed, rest));
        }
        if has_colon && slashes >= 2 {
            return Err(self.unrepairable("only web addresses (http or https) can be checked"));
        }
        // "localhost:8080", "intranet//page", "user:password@host": a host without a scheme.
        let after = format!("https://{text}");
        let rest = text.to_owned();
        Ok(self.add_https(after, rest))
    }

    fn add_https(&mut self, after: String, rest: String) -> (String, String) {
        self.record("Added https:// because the address had no scheme.", after);
        self.scheme_guessed = true;
        ("https".to_owned(), rest)
    }

    fn correct_scheme(&mut self, scheme: &str, typed: &str, rest: String) -> (String, String) {
        let after = format!("{scheme}://{rest}");
        self.record(
            format!("Corrected \"{typed}\" to \"{scheme}://\" at the start of the address."),
            after,
        );
        (scheme.to_owned(), rest)
    }

    /// Backslashes where slashes belong, before any `?` or `#` (after them they may be meant).
    fn fix_backslashes(&mut self, scheme: &str, rest: String) -> String {
        let end = rest.find(['?', '#']).unwrap_or(rest.len());
        let (path, query) = split_at(&rest, end);
        if !path.contains('\\') {
            return rest;
        }
        let fixed = format!("{}{query}", path.replace('\\', "/"));
        self.record(
            "Replaced the backslashes (\\) with forward slashes (/), which web addresses use.",
            format!("{scheme}://{fixed}"),
        );
        fixed
    }

    /// Spaces, commas, dots and capitals in the host name, and a scheme in capitals.
    fn fix_host(&mut self, parts: &mut Parts) {
        let bracketed = parts.host.starts_with('[');

        let spaced = |s: &str| s.contains(char::is_whitespace);
        if spaced(&parts.host) || spaced(&parts.port) {
            let count = parts.host.matches(char::is_whitespace).count()
                + parts.port.matches(char::is_whitespace).count();
            parts.host.retain(|c| !c.is_whitespace());
            parts.port.retain(|c| !c.is_whitespace());
            let what = if count == 1 {
                "Removed the space inside the host name."
            } else {
                "Removed the spaces inside the host name."
            };
            self.record(what, parts.render());
        }

        if parts.host.contains(is_wide_dot) {
            parts.host = parts.host.replace(is_wide_dot, ".");
            self.record(
                "Changed the wide dots (。) in the host name to ordinary dots.",
                parts.render(),
            );
        }

        if !bracketed {
            self.collapse_dots(parts);
        }

        if parts
            .host
            .get(..4)
            .is_some_and(|start| start.eq_ignore_ascii_case("www,"))
        {
            let fixed = format!(
                "{}.{}",
                parts.host.get(..3).unwrap_or_default(),
                parts.host.get(4..).unwrap_or_default()
            );
            parts.host = fixed;
            self.record(
                "Changed \"www,\" to \"www.\" at the start of the host name; the comma was a typo.",
                parts.render(),
            );
        }

        if !bracketed {
            // "www,.example.com" only shows its doubled dot once the comma is a dot.
            self.collapse_dots(parts);
        }

        if !bracketed && parts.host.len() > 1 && parts.host.ends_with('.') {
            parts.host = parts.host.trim_end_matches('.').to_owned();
            self.record(
                "Removed the dot at the end of the host name.",
                parts.render(),
            );
        }

        let scheme_upper = parts.scheme.chars().any(|c| c.is_ascii_uppercase());
        let host_lower = parts.host.to_lowercase();
        let host_upper = host_lower != parts.host;
        if scheme_upper || host_upper {
            let what = match (scheme_upper, host_upper) {
                (true, true) => "Changed the scheme and host name to lowercase",
                (true, false) => "Changed the scheme to lowercase",
                _ => "Changed the host name to lowercase",
            };
            parts.scheme.make_ascii_lowercase();
            parts.host = host_lower;
            self.record(
                format!(
                    "{what}. The rest keeps its case, because paths are case-sensitive on many \
                     servers."
                ),
                parts.render(),
            );
        }
    }

    /// Doubled dots, and dots before the host name.
    fn collapse_dots(&mut self, parts: &mut Parts) {
        if !(parts.host.contains("..") || parts.host.starts_with('.')) {
            return;
        }
        let before = parts.host.matches('.').count();
        let mut fixed = String::with_capacity(parts.host.len());
        for c in parts.host.chars() {
            counted::add(1);
            if c != '.' || !(fixed.is_empty() || fixed.ends_with('.')) {
                fixed.push(c);
            }
        }
        let removed = before - fixed.matches('.').count();
        parts.host = fixed;
        let what = if removed == 1 {
            "Removed the extra dot in the host name."
        } else {
            "Removed the extra dots in the host name."
        };
        self.record(what, parts.render());
    }

    /// A host must be left, within DNS limits; checked before parsing so that huge hosts stay fast.
    fn check_host(&self, parts: &Parts) -> Result<(), AddressError> {
        // Without this, "https:///path" would be read with "path" as the host.
        if parts.host.is_empty() {
            return Err(self.unrepairable("the address has no host name"));
        }
        if parts.host.starts_with('[') {
            return Ok(());
        }
        if !parts.host.chars().any(char::is_alphanumeric) {
            return Err(self.unrepairable("the host name contains characters that are not allowed"));
        }
        // As sent, the name is at least as long as typed, so this needs no conversion yet.
        if parts.host.chars().count() > MAX_HOST_CHARS {
            return Err(self.unrepairable(TOO_LONG_HOST));
        }
        Ok(())
    }

    /// Parses the repaired text and collects the doubts about it.
    fn finish(mut self, parts: &Parts) -> Result<AddressCheck, AddressError> {
        let mut url =
            Url::parse(&self.text).map_err(|error| self.unrepairable(parse_reason(error)))?;
        let userinfo = take_userinfo(&mut url);
        if !matches!(url.scheme(), "http" | "https") {
            return Err(self.unrepairable("only web addresses (http or https) can be checked"));
        }
        let Some(host) = url.host() else {
            return Err(self.unrepairable("the address has no host name"));
        };

        if let Host::Domain(name) = host {
            if name.len() > MAX_HOST_CHARS {
                return Err(self.unrepairable(TOO_LONG_HOST));
            }
            if name.split('.').any(|label| label.len() > MAX_LABEL_CHARS) {
                return Err(self.unrepairable(
                    "a part of the host name between dots is longer than the 63 characters allowed",
                ));
            }
        }

        let local = match host {
            Host::Domain(name) => name == "localhost" || name.ends_with(".localhost"),
            Host::Ipv4(ip) => ip.is_loopback(),
            Host::Ipv6(ip) => ip.is_loopback(),
        };
        if url.scheme() == "http" && !local {
            self.doubts.push(
                "This address uses plain http: anything you type, passwords included, is sent \
                 unencrypted."
                    .to_owned(),
            );
        }

        let mut punycode_host = None;
        match host {
            // An IP address is worth a note only where it changes something: https, whose
            // certificates are rarely made for one. Otherwise a card on every check says nothing.
            Host::Ipv4(_) | Host::Ipv6(_) => {
                let ip = url.host_str().unwrap_or_default();
                if url.scheme() == "https" && !local {
                    self.doubts.push(format!(
                        "This is an IP address ({ip}) rather than a name; secure (https) certificates \
                         are rarely made for IP addresses, so expect a certificate warning."
                    ));
                }
            }
            Host::Domain(name) => {
                if !name.contains('.') && !local {
                    self.doubts.push(format!(
                        "The host name \"{name}\" has no dot: is it complete? Names like this only \
                         work inside some company networks."
                    ));
                }
                if name.contains(',') {
                    self.doubts.push(format!(
                        "The host name \"{name}\" contains a comma: did you mean a dot?"
                    ));
                }
                let tld = name.rsplit('.').next().unwrap_or_default();
                if let Some((typo, meant)) = TLD_TYPOS.iter().find(|(typo, _)| *typo == tld) {
                    self.doubts.push(format!(
                        "The host name ends in \".{typo}\": did you mean \".{meant}\"?"
                    ));
                }
                if !parts.host.is_ascii() {
                    let typed = &parts.host;
                    self.doubts.push(if name.split('.').any(|label| label.starts_with("xn--")) {
                        format!(
                            "The host name {typed} is sent as {name}, the form the internet uses for \
                             letters outside A to Z. Make sure it is the site you expect: some \
                             letters from other alphabets look just like Latin ones."
                        )
                    } else {
                        // Wide or styled letters that stand for plain ones, such as "ｅｘａｍｐｌｅ".
                        format!("The host name {typed} is sent as {name}.")
                    });
                    punycode_host = Some(name.to_owned());
                }
            }
        }

        if let Some(userinfo) = &userinfo {
            if !userinfo.user.is_empty() {
                self.doubts.push(
                    "The address contains a user name: browsers ignore it, so the site may still \
                     ask you to sign in."
                        .to_owned(),
                );
            }
            if userinfo.password.is_some() {
                self.doubts.push(
                    "The address contains a password: anyone who sees the address can read it. \
                     Type passwords in the sign-in fields instead."
                        .to_owned(),
                );
            }
        }
        if url.path().contains("//") {
            self.doubts.push(
                "The path contains a double slash (//): some servers treat that as a different page."
                    .to_owned(),
            );
        }

        let password = self.password.as_deref();
        let repairs = self
            .repairs
            .into_iter()
            .map(|repair| Repair {
                what: repair.what,
                before: shown_text(&repair.before, password),
                after: shown_text(&repair.after, password),
            })
            .collect();
        Ok(AddressCheck {
            url,
            userinfo,
            repairs,
            doubts: self.doubts,
            punycode_host,
            scheme_guessed: self.scheme_guessed,
        })
    }
}

/// An address split at `://` and around the host, so each part can be repaired on its own.
struct Parts {
    /// As written: `https`, `HTTP`, …
    scheme: String,
    /// `user:password@`, or empty.
    userinfo: String,
    /// `example.com`, `[::1]`, …
    host: String,
    /// `:8080`, or empty.
    port: String,
    /// Path, query and fragment.
    tail: String,
}

impl Parts {
    fn split(scheme: String, rest: &str) -> Self {
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

    fn render(&self) -> String {
        format!(
            "{}://{}{}{}{}",
            self.scheme, self.userinfo, self.host, self.port, self.tail
        )
    }

    /// The password as typed, if the address has one.
    fn password(&self) -> Option<&str> {
        let userinfo = self.userinfo.strip_suffix('@')?;
        let (_, password) = userinfo.split_once(':')?;
        (!password.is_empty()).then_some(password)
    }
}

/// The kinds of wrapping that pasted addresses come in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrapper {
    Quotes,
    AngleBrackets,
    Backticks,
    Brackets,
}

/// Which kinds of wrapping were removed.
#[derive(Default)]
struct Wrappers(Vec<Wrapper>);

impl Wrappers {
    fn add(&mut self, kind: Wrapper) {
        if !self.contains(kind) {
            self.0.push(kind);
        }
    }

    fn contains(&self, kind: Wrapper) -> bool {
        self.0.contains(&kind)
    }

    /// "quotation marks and angle brackets", or empty.
    fn names(&self) -> String {
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

fn opening_wrapper(c: char) -> Option<Wrapper> {
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
fn closing_wrapper(c: char) -> Option<Wrapper> {
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
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The plain name of a character removed from the end of the address.
fn trailing_name(c: char) -> &'static str {
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

fn is_sentence_punctuation(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '…')
}

/// Characters that take no space on screen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// What is trimmed from the edges: spaces of every kind, control and invisible characters.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || is_invisible(c)
}

/// Removed from inside the address. The zero-width joiners (U+200C, U+200D) are kept: some scripts
/// and emoji need them.
fn is_removable_inside(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
        )
}

/// True for a bare word such as `http`, which a following colon makes a scheme, not a sentence.
/// Only looks at short words, so a long run of colons is not slow.
fn is_scheme_word(text: &str) -> bool {
    (1..=MAX_SCHEME_TYPO_CHARS).contains(&text.len())
        && text.chars().all(|c| c.is_ascii_alphabetic())
}

/// Dots typed with East Asian keyboards, which mean the same as `.` in a host name.
fn is_wide_dot(c: char) -> bool {
    matches!(c, '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// The length of what separates a scheme from the host, however mistyped: `://`, `:/`, `//`, `;//`,
/// `:\\`, `: //`. Colons only count before the first slash, so `https://;x` keeps its host.
fn scheme_separator_len(text: &str) -> usize {
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
fn is_host_only(text: &str) -> bool {
    let after_scheme = text.split_once("//").map_or(text, |(_, rest)| rest);
    !after_scheme.contains(['/', '?', '#', '\\', ':'])
}

/// True for a word such as `https://example.com` or `<http://…`, with something after the `://`.
fn starts_with_web_scheme(word: &str) -> bool {
    let word = word.trim_start_matches(|c| opening_wrapper(c).is_some());
    ["http://", "https://"].iter().any(|scheme| {
        word.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            && word.len() > scheme.len()
    })
}

/// `http` or `https` when `word` (lowercase) looks like a slip for one of them: `htp`, `ttps`, `hxxp`.
fn close_web_scheme(word: &str) -> Option<&'static str> {
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
fn within_edits(a: &[u8], b: &[u8], budget: u8) -> bool {
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
fn parse_reason(error: url::ParseError) -> &'static str {
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
fn split_at(text: &str, index: usize) -> (&str, &str) {
    text.split_at_checked(index).unwrap_or((text, ""))
}

/// Takes `user:password@` out of a parsed address, percent-decoded.
fn take_userinfo(url: &mut Url) -> Option<Userinfo> {
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
fn shown_input(input: &str, password: Option<&str>) -> String {
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
fn shown_text(text: &str, password: Option<&str>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str) -> AddressCheck {
        match check_address(input) {
            Ok(check) => check,
            Err(error) => panic!("{input:?} should be accepted, got: {error}"),
        }
    }

    fn reason(input: &str) -> String {
        match check_address(input) {
            Err(AddressError::Unrepairable { reason, .. }) => reason,
            other => panic!("{input:?} should be unrepairable, got: {other:?}"),
        }
    }

    fn whats(check: &AddressCheck) -> Vec<&str> {
        check.repairs.iter().map(|r| r.what.as_str()).collect()
    }

    fn has_doubt(check: &AddressCheck, part: &str) -> bool {
        check.doubts.iter().any(|d| d.contains(part))
    }

    #[test]
    fn a_clean_https_address_has_no_repairs_and_no_doubts() {
        let c = check("https://example.com/path?q=1");
        assert_eq!(c.url.as_str(), "https://example.com/path?q=1");
        assert!(c.repairs.is_empty());
        assert!(c.doubts.is_empty(), "{:?}", c.doubts);
        assert_eq!(c.punycode_host, None);
    }

    #[test]
    fn empty_and_blank_inputs_are_empty() {
        for input in ["", "   ", "\u{a0}\u{200b}\t\n", "\"\"", "<>", "``", "( )"] {
            assert_eq!(check_address(input), Err(AddressError::Empty), "{input:?}");
        }
        assert_eq!(AddressError::Empty.to_string(), "the address is empty");
    }

    #[test]
    fn spaces_around_the_address_are_removed_and_reported() {
        let c = check("   https://example.com/  ");
        assert_eq!(c.url.as_str(), "https://example.com/");
        assert_eq!(
            c.repairs,
            vec![Repair {
                what: "Removed the spaces around the address.".to_owned(),
                before: "   https://example.com/  ".to_owned(),
                after: "https://example.com/".to_owned(),
            }]
        );
    }

    #[test]
    fn non_breaking_and_zero_width_spaces_around_the_address_are_removed() {
        let c = check("\u{a0}\u{200b}https://example.com/\u{feff}\u{a0}");
        assert_eq!(c.url.as_str(), "https://example.com/");
        assert_eq!(
            whats(&c),
            ["Removed the spaces and invisible characters around the address."]
        );
        let c = check("\u{200b}https://example.com/");
        assert_eq!(
            whats(&c),
            ["Removed invisible characters around the address."]
        );
    }

    #[test]
    fn invisible_characters_inside_the_address_are_removed() {
        let c = check("https://exam\u{200b}ple.com/very/\nlong/path");
        assert_eq!(c.url.as_str(), "https://example.com/very/long/path");
        assert_eq!(c.repairs.len(), 1);
        assert!(c.repairs[0].what.contains("invisible characters"));
    }

    #[test]
    fn quotes_angle_brackets_and_backticks_around_the_address_are_removed() {
        let cases = [
            ("\"https://example.com/\"", "quotation marks"),
            ("'https://example.com/'", "quotation marks"),
            ("“https://example.com/”", "quotation marks"),
            ("<https://example.com/>", "angle brackets"),
            ("`https://example.com/`", "backticks"),
            ("(https://example.com/)", "brackets"),
        ];
        for (input, name) in cases {
            let c = check(input);
            assert_eq!(c.url.as_str(), "https://example.com/", "{input}");
            assert_eq!(
                whats(&c),
                [format!("Removed the {name} around the address.")],
                "{input}"
            );
        }
    }

    #[test]
    fn punctuation_pasted_from_a_sentence_is_removed() {
        for (input, name) in [
            ("https://example.com/login.", "full stop"),
            ("https://example.com/login,", "comma"),
            ("https://example.com/login)", "closing bracket"),
            ("https://example.com/login'", "quotation mark"),
            ("https://example.com/login\"", "quotation mark"),
            ("https://example.com/login!", "exclamation mark"),
            (
                "https://example.com/login).",
                "closing bracket and full stop",
            ),
        ] {
            let c = check(input);
            assert_eq!(c.url.as_str(), "https://example.com/login", "{input}");
            assert_eq!(c.repairs.len(), 1, "{input}");
            assert_eq!(c.repairs[0].before, input);
            assert_eq!(c.repairs[0].after, "https://example.com/login");
            assert_eq!(
                c.repairs[0].what,
                format!(
                    "Removed the {name} after the address; it was probably part of the sentence \
                     it was copied from."
                )
            );
        }
        let c = check("\"https://example.com/login\".");
        assert_eq!(c.url.as_str(), "https://example.com/login");
        assert_eq!(
            whats(&c),
            ["Removed the quotation marks around the address and the full stop after it."]
        );
    }

    #[test]
    fn brackets_that_belong_to_the_address_are_kept() {
        let c = check("https://en.wikipedia.org/wiki/Mercury_(planet)");
        assert!(c.repairs.is_empty());
        assert_eq!(c.url.path(), "/wiki/Mercury_(planet)");
        let c = check("(see https://en.wikipedia.org/wiki/Mercury_(planet))");
        assert_eq!(c.url.path(), "/wiki/Mercury_(planet)");
    }

    #[test]
    fn a_missing_scheme_becomes_https() {
        let c = check("example.com/login");
        assert_eq!(c.url.as_str(), "https://example.com/login");
        assert_eq!(
            c.repairs,
            vec![Repair {
                what: "Added https:// because the address had no scheme.".to_owned(),
                before: "example.com/login".to_owned(),
                after: "https://example.com/login".to_owned(),
            }]
        );
        assert!(c.doubts.is_empty());
        for (input, expected) in [
            ("www.example.com", "https://www.example.com/"),
            ("//example.com/a", "https://example.com/a"),
            ("://example.com/a", "https://example.com/a"),
            ("example.com:8443/a", "https://example.com:8443/a"),
            ("localhost:8080", "https://localhost:8080/"),
        ] {
            let c = check(input);
            assert_eq!(c.url.as_str(), expected, "{input}");
            assert_eq!(
                whats(&c),
                ["Added https:// because the address had no scheme."],
                "{input}"
            );
        }
    }

    #[test]
    fn misspelt_schemes_are_corrected() {
        for (input, expected) in [
            ("htp://example.com/", "http://example.com/"),
            ("htps://example.com/", "https://example.com/"),
            ("http//example.com/", "http://example.com/"),
            ("https//example.com/", "https://example.com/"),
            ("http:/example.com/", "http://example.com/"),
            ("https:/example.com/", "https://example.com/"),
            ("hhtp://example.com/", "http://example.com/"),
            ("http;//example.com/", "http://example.com/"),
            ("http:\\\\example.com/", "http://example.com/"),
            ("ttps://example.com/", "https://example.com/"),
            ("ttp://example.com/", "http://example.com/"),
            ("http: //example.com/", "http://example.com/"),
            ("https:///example.com/", "https://example.com/"),
            ("htttps://example.com/", "https://example.com/"),
            ("hxxps://example.com/", "https://example.com/"),
            ("httsp://example.com/", "https://example.com/"),
            ("https:example.com/", "https://example.com/"),
        ] {
            let c = check(input);
            assert_eq!(c.url.as_str(), expected, "{input}");
            let scheme = c.url.scheme();
            assert_eq!(c.repairs.len(), 1, "{input}: {:?}", c.repairs);
            assert!(
                c.repairs[0].what.starts_with("Corrected \"")
                    && c.repairs[0].what.contains(&format!("to \"{scheme}://\"")),
                "{input}: {}",
                c.repairs[0].what
            );
            assert_eq!(c.repairs[0].before, input);
        }
    }

    #[test]
    fn a_misspelt_scheme_in_capitals_is_corrected_in_one_repair() {
        let c = check("HTP://example.com/");
        assert_eq!(c.url.as_str(), "http://example.com/");
        assert_eq!(
            whats(&c),
            ["Corrected \"HTP://\" to \"http://\" at the start of the address."]
        );
    }

    #[test]
    fn backslashes_become_slashes() {
        let c = check("https://example.com\\admin\\login?next=a\\b");
        assert_eq!(c.url.as_str(), "https://example.com/admin/login?next=a\\b");
        assert_eq!(
            c.repairs,
            vec![Repair {
                what: "Replaced the backslashes (\\) with forward slashes (/), which web addresses use."
                    .to_owned(),
                before: "https://example.com\\admin\\login?next=a\\b".to_owned(),
                after: "https://example.com/admin/login?next=a\\b".to_owned(),
            }]
        );
    }

    #[test]
    fn a_space_inside_the_host_is_removed() {
        let c = check("https://www.exam ple.com/a b");
        assert_eq!(c.url.as_str(), "https://www.example.com/a%20b");
        assert_eq!(whats(&c), ["Removed the space inside the host name."]);
        let c = check("www.exam ple .com");
        assert_eq!(c.url.as_str(), "https://www.example.com/");
        assert_eq!(
            whats(&c),
            [
                "Added https:// because the address had no scheme.",
                "Removed the spaces inside the host name."
            ]
        );
    }

    #[test]
    fn capitals_in_scheme_and_host_are_lowercased_but_the_path_keeps_its_case() {
        let c = check("HTTPS://EXAMPLE.COM/Login");
        assert_eq!(c.url.as_str(), "https://example.com/Login");
        assert_eq!(c.repairs.len(), 1);
        let repair = &c.repairs[0];
        assert!(
            repair
                .what
                .starts_with("Changed the scheme and host name to lowercase.")
        );
        assert!(repair.what.contains("paths are case-sensitive"));
        assert_eq!(repair.after, "https://example.com/Login");
        let c = check("https://Example.com/Login");
        assert!(
            c.repairs[0]
                .what
                .starts_with("Changed the host name to lowercase.")
        );
        let c = check("HTTP://example.com/");
        assert!(
            c.repairs[0]
                .what
                .starts_with("Changed the scheme to lowercase.")
        );
    }

    #[test]
    fn a_dot_at_the_end_of_the_host_is_removed() {
        for (input, expected) in [
            ("https://example.com./a", "https://example.com/a"),
            ("https://example.com.", "https://example.com/"),
            ("example.com.", "https://example.com/"),
            ("https://example.com.:8443/", "https://example.com:8443/"),
        ] {
            let c = check(input);
            assert_eq!(c.url.as_str(), expected, "{input}");
            assert!(
                whats(&c).contains(&"Removed the dot at the end of the host name."),
                "{input}: {:?}",
                whats(&c)
            );
        }
    }

    #[test]
    fn wide_dots_from_east_asian_keyboards_become_dots() {
        let c = check("https://example。com/");
        assert_eq!(c.url.as_str(), "https://example.com/");
        assert_eq!(
            whats(&c),
            ["Changed the wide dots (。) in the host name to ordinary dots."]
        );
    }

    #[test]
    fn a_comma_after_www_becomes_a_dot() {
        let c = check("https://www,example.com/");
        assert_eq!(c.url.as_str(), "https://www.example.com/");
        assert_eq!(c.repairs.len(), 1);
        assert!(c.repairs[0].what.contains("\"www,\" to \"www.\""));
        assert_eq!(
            check("WWW,example.com").url.host_str(),
            Some("www.example.com")
        );
    }

    #[test]
    fn doubled_dots_in_the_host_are_collapsed() {
        let c = check("https://example..com/");
        assert_eq!(c.url.as_str(), "https://example.com/");
        assert_eq!(whats(&c), ["Removed the extra dot in the host name."]);
        let c = check("https://.www...example.com/");
        assert_eq!(c.url.as_str(), "https://www.example.com/");
        assert_eq!(whats(&c), ["Removed the extra dots in the host name."]);
    }

    #[test]
    fn a_unicode_host_is_sent_as_punycode_and_reported() {
        let c = check("https://bücher.example/");
        assert_eq!(c.url.as_str(), "https://xn--bcher-kva.example/");
        assert_eq!(c.punycode_host.as_deref(), Some("xn--bcher-kva.example"));
        assert!(c.repairs.is_empty());
        assert!(has_doubt(
            &c,
            "bücher.example is sent as xn--bcher-kva.example"
        ));
        let c = check("https://xn--bcher-kva.example/");
        assert_eq!(c.punycode_host, None);
        let c = check("https://ｅｘａｍｐｌｅ.com/");
        assert_eq!(c.url.as_str(), "https://example.com/");
        assert_eq!(
            c.doubts,
            ["The host name ｅｘａｍｐｌｅ.com is sent as example.com."]
        );
    }

    #[test]
    fn localhost_ipv4_and_ipv6_loopback_addresses_are_valid() {
        let c = check("http://localhost:8080/admin");
        assert_eq!(c.url.host_str(), Some("localhost"));
        assert!(c.repairs.is_empty());
        assert!(c.doubts.is_empty(), "{:?}", c.doubts);
        let c = check("http://127.0.0.1:3000/");
        assert_eq!(c.url.host(), Some(Host::Ipv4([127, 0, 0, 1].into())));
        assert!(
            c.doubts.is_empty(),
            "no note card on every local check: {:?}",
            c.doubts
        );
        let c = check("http://[::1]:8080/");
        assert_eq!(c.url.host_str(), Some("[::1]"));
        assert!(c.repairs.is_empty());
        let c = check("[::1]:8080");
        assert_eq!(c.url.as_str(), "https://[::1]:8080/");
    }

    #[test]
    fn schemes_other_than_web_ones_are_unrepairable() {
        for input in [
            "ftp://example.com/file",
            "FTP://example.com/file",
            "file:///etc/passwd",
            "mailto:someone@example.com",
            "javascript:alert(1)",
            "data:text/html,<h1>hi</h1>",
            "ws://example.com/socket",
            "gopher://example.com/",
        ] {
            assert_eq!(
                reason(input),
                "only web addresses (http or https) can be checked",
                "{input}"
            );
        }
        assert_eq!(
            check_address("mailto:someone@example.com")
                .err()
                .map(|e| e.to_string()),
            Some(
                "only web addresses (http or https) can be checked: mailto:someone@example.com"
                    .to_owned()
            )
        );
    }

    #[test]
    fn a_file_path_on_the_computer_is_unrepairable() {
        assert_eq!(
            reason("C:\\Users\\me\\page.html"),
            "this is a file on your computer, not a web address"
        );
    }

    #[test]
    fn broken_hosts_ports_and_ips_are_unrepairable() {
        assert_eq!(
            reason("https://exa<mple.com/"),
            "the host name contains characters that are not allowed"
        );
        assert_eq!(
            reason("https://xn--a.example/"),
            "the host name contains characters that are not allowed"
        );
        assert_eq!(
            reason("https://example.com:99999/"),
            "the port number is not valid"
        );
        assert_eq!(reason("https://"), "the address has no host name");
        assert_eq!(reason("http:"), "the address has no host name");
        assert_eq!(reason("https://[::1/"), "the IPv6 address is not valid");
        assert_eq!(
            reason(&format!("https://{}.com/", "a.".repeat(130))),
            "the host name is longer than the 253 characters allowed"
        );
        assert_eq!(
            reason(&format!("https://{}.com/", "a".repeat(64))),
            "a part of the host name between dots is longer than the 63 characters allowed"
        );
    }

    #[test]
    fn plain_http_gets_a_doubt_about_encryption() {
        let c = check("http://example.com/");
        assert!(c.repairs.is_empty());
        assert!(has_doubt(&c, "plain http"));
        assert!(has_doubt(&c, "unencrypted"));
    }

    #[test]
    fn an_ip_address_gets_a_doubt_only_over_https_where_certificates_rarely_match() {
        let c = check("https://192.0.2.10/login");
        assert!(has_doubt(&c, "This is an IP address (192.0.2.10)"));
        assert!(has_doubt(&c, "certificate"));
        let plain = check("http://192.0.2.10/login");
        assert!(!has_doubt(&plain, "IP address"), "{:?}", plain.doubts);
    }

    #[test]
    fn a_host_without_a_dot_gets_a_doubt() {
        let c = check("https://intranet/");
        assert!(has_doubt(&c, "\"intranet\" has no dot: is it complete?"));
        assert!(!has_doubt(&check("https://localhost/"), "no dot"));
    }

    #[test]
    fn a_user_name_gets_a_doubt_and_a_password_is_never_repeated() {
        let c = check(" HTTPS://alice:hunter2@Example.com/ ");
        assert_eq!(
            c.url.as_str(),
            "https://example.com/",
            "the userinfo left the address"
        );
        let userinfo = c.userinfo.clone().unwrap_or_else(|| panic!("no userinfo"));
        assert_eq!(userinfo.user, "alice");
        assert_eq!(
            userinfo.password.as_ref().map(Secret::expose),
            Some("hunter2")
        );
        assert!(has_doubt(&c, "contains a user name: browsers ignore it"));
        assert!(has_doubt(&c, "contains a password"));
        assert_eq!(c.repairs.len(), 2);
        for repair in &c.repairs {
            for secret in ["hunter2", "alice", "@"] {
                assert!(!repair.before.contains(secret), "{repair:?}");
                assert!(!repair.after.contains(secret), "{repair:?}");
            }
        }
        assert!(c.doubts.iter().all(|d| !d.contains("hunter2")));
        match check_address("ftp://alice:hunter2@example.com/") {
            Err(AddressError::Unrepairable { input, .. }) => {
                assert_eq!(input, "ftp://example.com/");
            }
            other => panic!("{other:?}"),
        }
        // Percent-encoded, or with a space, the password is never repeated either.
        for (typed, password, checked) in [
            (
                "HTTP://alice:p%40ss@Host.example/",
                "p@ss",
                "http://host.example/",
            ),
            (
                " https://alice:p w@Host.example/",
                "p w",
                "https://host.example/",
            ),
        ] {
            let c = check(typed);
            assert!(!c.repairs.is_empty(), "{typed}");
            assert_eq!(c.url.as_str(), checked);
            let said = format!("{:?} {:?}", c.repairs, c.doubts);
            for form in [password, "p%40ss", "p%20w", "alice"] {
                assert!(!said.contains(form), "{said}");
            }
            assert_eq!(
                c.userinfo
                    .and_then(|u| u.password)
                    .as_ref()
                    .map(Secret::expose),
                Some(password)
            );
        }
    }

    #[test]
    fn a_double_slash_in_the_path_gets_a_doubt() {
        let c = check("https://example.com/api//login");
        assert!(c.repairs.is_empty());
        assert!(has_doubt(&c, "double slash"));
    }

    #[test]
    fn a_likely_typo_in_the_ending_gets_a_doubt() {
        for (typo, meant) in [
            ("con", "com"),
            ("cmo", "com"),
            ("ogr", "org"),
            ("nte", "net"),
        ] {
            let c = check(&format!("https://example.{typo}/"));
            assert!(
                has_doubt(&c, &format!("\".{typo}\": did you mean \".{meant}\"?")),
                "{typo}: {:?}",
                c.doubts
            );
            assert!(c.repairs.is_empty());
        }
    }

    #[test]
    fn a_comma_elsewhere_in_the_host_gets_a_doubt() {
        let c = check("https://example,com/");
        assert!(has_doubt(&c, "comma"));
    }

    #[test]
    fn an_address_pasted_with_its_sentence_is_picked_out() {
        let c = check("The login page is https://example.com/login, can you check it?");
        assert_eq!(c.url.as_str(), "https://example.com/login");
        assert_eq!(
            c.repairs[0].what,
            "Kept only the web address from the pasted text."
        );
        let c = check("https://a.example/ or https://b.example/");
        assert_eq!(c.url.as_str(), "https://a.example/");
        assert!(has_doubt(&c, "more than one web address"));
    }

    #[test]
    fn several_repairs_are_chained_in_order() {
        let c = check(" \"HTP://WWW,Exam ple..COM.\\Login\". ");
        assert_eq!(c.url.as_str(), "http://www.example.com/Login");
        for pair in c.repairs.windows(2) {
            assert_eq!(pair[0].after, pair[1].before);
        }
        assert_eq!(
            c.repairs.first().map(|r| r.before.as_str()),
            Some(" \"HTP://WWW,Exam ple..COM.\\Login\". ")
        );
        assert_eq!(
            c.repairs.last().map(|r| r.after.as_str()),
            Some("http://www.example.com/Login")
        );
    }

    /// A small deterministic generator, so the fuzz tests need no extra crate.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "h",
        "t",
        "p",
        "s",
        "http",
        "https",
        "://",
        ":",
        "/",
        "//",
        "\\",
        ";",
        ".",
        "..",
        ",",
        "www",
        "example",
        "com",
        "ü",
        "ß",
        "xn--",
        "[",
        "]",
        "::1",
        "127.0.0.1",
        "@",
        "user",
        ":pw",
        "?",
        "#",
        "%",
        "%41",
        "(",
        ")",
        "\"",
        "'",
        "`",
        "<",
        ">",
        " ",
        "\u{a0}",
        "\u{200b}",
        "\u{200d}",
        "\t",
        "\n",
        "\0",
        "ftp",
        "mailto:",
        "C:",
        "localhost",
        "8080",
        "99999",
        "-",
        "_",
        "…",
        "“",
        "”",
        "ＡＢＣ",
        "。",
        "\u{feff}",
        "!",
        "😀",
        "%zz",
    ];

    fn assert_sane(input: &str) {
        let Ok(c) = check_address(input) else {
            return;
        };
        assert!(matches!(c.url.scheme(), "http" | "https"), "{input:?}");
        assert!(c.url.host().is_some(), "{input:?}");
        for pair in c.repairs.windows(2) {
            if !pair[0].after.contains(REDACTED) {
                assert_eq!(pair[0].after, pair[1].before, "{input:?}");
            }
        }
        // Checking the result again must not repair it again.
        let again = check_address(c.url.as_str());
        match again {
            Ok(again) => assert!(
                again.repairs.is_empty(),
                "{input:?} -> {} -> {:?}",
                c.url,
                again.repairs
            ),
            Err(error) => panic!("{input:?} -> {} -> {error}", c.url),
        }
    }

    #[test]
    fn random_pieces_of_addresses_never_panic_and_give_sane_results() {
        let mut rng = XorShift(0x5eed_1234_abcd_ef01);
        for _ in 0..20_000 {
            let count = rng.below(16);
            let input: String = (0..count)
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            assert_sane(&input);
        }
    }

    #[test]
    fn random_bytes_and_characters_never_panic_and_give_sane_results() {
        let mut rng = XorShift(0x0123_4567_89ab_cdef);
        for _ in 0..20_000 {
            let len = rng.below(40);
            let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
            assert_sane(&String::from_utf8_lossy(&bytes));
            let text: String = (0..len)
                .filter_map(|_| char::from_u32((rng.next() % 0x3_0000) as u32))
                .collect();
            assert_sane(&text);
        }
    }

    #[test]
    fn very_long_inputs_are_checked_in_linear_time() {
        let size = 100 * 1024;
        let inputs = [
            "a".repeat(size),
            "ü".repeat(size / 2),
            format!("https://example.com/{}", "a/".repeat(size / 2)),
            format!("https://example.com/{}", "ü".repeat(size / 2)),
            format!("https://{}.com/", "a.".repeat(size / 2)),
            format!("https://{}/", "ü.".repeat(size / 2)),
            format!("https://{}example.com/", "user:pw@".repeat(size / 8)),
            "\"".repeat(size),
            ")".repeat(size),
            format!("https://example.com/{}", ")".repeat(size)),
            ".".repeat(size),
            " ".repeat(size),
            "\u{200b}".repeat(size / 3),
            format!("{}https://example.com/", "word ".repeat(size / 5)),
            format!("https://example.com{}", "\\".repeat(size)),
            "h".repeat(size) + "://example.com",
            "[".repeat(size),
            "@".repeat(size),
            "https://".repeat(size / 8),
            "a".repeat(size / 2) + &":".repeat(size / 2),
            "(".repeat(size / 2) + &")".repeat(size / 2),
            format!("https://example.com/{}", ".,".repeat(size / 2)),
        ];
        for input in &inputs {
            let (result, units) = counted::measure(|| check_address(input));
            // Counted work, not a clock: a bounded number of passes over the input.
            let per_byte = units as f64 / input.len() as f64;
            assert!(
                per_byte < 16.0,
                "{per_byte:.1} units per byte for input starting {:?}",
                input.chars().take(20).collect::<String>()
            );
            if let Err(AddressError::Unrepairable { input: shown, .. }) = result {
                assert!(shown.chars().count() <= MAX_SHOWN_INPUT_CHARS + 1);
            }
        }
    }

    #[test]
    fn close_schemes_are_recognised_and_others_are_not() {
        for (word, expected) in [
            ("htp", Some("http")),
            ("hhtp", Some("http")),
            ("htps", Some("https")),
            ("ttps", Some("https")),
            ("hxxp", Some("http")),
            ("htpps", Some("https")),
            ("localhost", None),
            ("host", None),
            ("mail", None),
            ("ws", None),
        ] {
            assert_eq!(close_web_scheme(word), expected, "{word}");
        }
    }
}
