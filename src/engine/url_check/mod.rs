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

mod pieces;
mod repair;

use pieces::{
    Parts, Wrapper, Wrappers, close_web_scheme, closing_wrapper, is_blank, is_host_only,
    is_removable_inside, is_scheme_word, is_sentence_punctuation, is_wide_dot, join_words,
    opening_wrapper, parse_reason, scheme_separator_len, shown_input, shown_text, split_at,
    starts_with_web_scheme, take_userinfo, trailing_name,
};
use repair::Work;

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

#[cfg(test)]
mod tests;
