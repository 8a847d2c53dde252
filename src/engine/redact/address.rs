//! The one address sanitizer: everything AuthDoctor stores or shows about an address (the GUI's
//! recent list, findings, reports, `har`, the terminal) goes through [`address`] or
//! [`addresses_in_text`]. It reads odd input as well as proper URLs (`alice:pw@host`,
//! `//bob:pw@host/`, `host/reset?token=…`, `HTTP://…`) and removes what can sign someone in:
//! the `user:password@` part, the values of secret parameters in the query, in matrix
//! parameters (`;jsessionid=…`) and in the fragment (`#access_token=…`).

use std::borrow::Cow;

use crate::engine::secret::REDACTED;

/// Parameter names that carry a secret whatever else is around them (compared in lowercase).
const SECRET_NAMES: &[&str] = &[
    "access_token",
    "api-key",
    "api_key",
    "apikey",
    "assertion",
    "auth",
    "code",
    "code_verifier",
    "credential",
    "id_token",
    "jwt",
    "key",
    "otp",
    "p",
    "pass",
    "passwd",
    "password",
    "pin",
    "pw",
    "pwd",
    "refresh_token",
    "samlrequest",
    "samlresponse",
    "sas",
    "secret",
    "session",
    "sid",
    "sig",
    "signature",
    "ticket",
    "token",
    "x-amz-credential",
    "x-amz-security-token",
    "x-amz-signature",
    "x-goog-credential",
    "x-goog-signature",
];

/// Parts of a name that make it secret wherever they appear (`oauth_token`, `client_secret`,
/// `jsessionid`, `X-Amz-Security-Token`, `user_password`, …).
const SECRET_NAME_PARTS: &[&str] = &[
    "token",
    "secret",
    "passw",
    "passwd",
    "signature",
    "sessid",
    "session",
    "apikey",
    "api_key",
    "api-key",
    "credential",
    "authorization",
    "private",
];

/// True for parameter names that carry a secret: a named list (`token`, `access_token`, `code`,
/// `sig`, `sas`, `p`, `pw`, `key`, `auth`, `sid`, `X-Amz-Signature`, …) and names containing a
/// secret word (`client_secret`, `oauth_token`, `jsessionid`), case-insensitively. The name may
/// be percent- or form-encoded.
#[must_use]
pub fn is_secret_param(name: &str) -> bool {
    let decoded = decode(name);
    let lower = decoded.trim().to_lowercase();
    SECRET_NAMES.contains(&lower.as_str()) || SECRET_NAME_PARTS.iter().any(|p| lower.contains(p))
}

/// How sure the caller is that the text is an address.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// The whole text is meant as one address: `bob@host` is a user name at a host.
    Address,
    /// A word of running text: `bob@example.com` is an e-mail address and stays.
    Word,
}

/// The address made safe to remember or show: no `user:password@`, and the values of secret
/// parameters (query, `;matrix` and `#fragment` ones) replaced by `(redacted)`. Reads what people
/// type as well as proper URLs; text that is no address at all comes back unchanged.
#[must_use]
pub fn address(text: &str) -> String {
    sanitize(text.trim(), Reading::Address, &mut Vec::new()).into_owned()
}

/// [`address`], adding to `removed` what it took out, by kind (never a value).
#[must_use]
pub fn address_noting(text: &str, removed: &mut Vec<String>) -> String {
    sanitize(text.trim(), Reading::Address, removed).into_owned()
}

/// Every address inside running text (a finding, a sentence a user pasted) made safe as
/// [`address`] does; the words around them are never changed.
#[must_use]
pub fn addresses_in_text(text: &str) -> Cow<'_, str> {
    addresses_in_text_noting(text, &mut Vec::new())
}

/// [`addresses_in_text`], adding to `removed` what it took out, by kind (never a value).
#[must_use]
pub fn addresses_in_text_noting<'a>(text: &'a str, removed: &mut Vec<String>) -> Cow<'a, str> {
    if !text.contains(['@', '?', '#', ';', '/']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for piece in split_keeping_whitespace(text) {
        if piece.starts_with(char::is_whitespace) {
            out.push_str(piece);
            continue;
        }
        let core_start = piece.len() - piece.trim_start_matches(is_opening).len();
        let core_end = core_end(piece).max(core_start);
        let (Some(head), Some(core), Some(tail)) = (
            piece.get(..core_start),
            piece.get(core_start..core_end),
            piece.get(core_end..),
        ) else {
            out.push_str(piece);
            continue;
        };
        let clean = sanitize(core, Reading::Word, removed);
        changed |= clean != core;
        out.push_str(head);
        out.push_str(&clean);
        out.push_str(tail);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// The decoded values of the secret parameters of an address (query, matrix and fragment), to be
/// scrubbed from what the site sends back: a site may echo the address it was asked for.
#[must_use]
pub fn secret_values(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (head, fragment) = split_first(text, '#');
    let (head, query) = split_first(head, '?');
    let mut collect = |pairs: &str| {
        for pair in pairs.split(['&', ';']) {
            if let Some((name, value)) = pair.split_once('=')
                && is_secret_param(name)
                && !value.is_empty()
            {
                out.push(decode(value).into_owned());
            }
        }
    };
    if let Some(q) = query {
        collect(q);
    }
    if let Some(f) = fragment {
        collect(f.split_once('?').map_or(f, |(_, q)| q));
    }
    for segment in head.split('/') {
        if let Some((_, params)) = segment.split_once(';') {
            collect(params);
        }
    }
    out
}

/// The address with `f` applied to its values only: each path segment, each query and fragment
/// parameter value (or whole part without `=`). The scheme, host, port and parameter names are
/// never passed to `f`: they are names, not values.
pub fn map_values<'a>(text: &'a str, f: &mut dyn FnMut(&str) -> Option<String>) -> Cow<'a, str> {
    let (head, fragment) = split_first(text, '#');
    let (head, query) = split_first(head, '?');
    let (prefix, rest) = scheme_prefix(head);
    let (authority, path) = if prefix.is_empty() || prefix == "/" || prefix == "\\" {
        ("", rest)
    } else {
        let end = rest.find(['/', '\\']).unwrap_or(rest.len());
        rest.split_at_checked(end).unwrap_or((rest, ""))
    };
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    out.push_str(prefix);
    out.push_str(authority);
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match f(segment) {
            Some(v) => {
                changed = true;
                out.push_str(&v);
            }
            None => out.push_str(segment),
        }
    }
    let mut values = |part: &str, out: &mut String| {
        for (i, pair) in part.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            let (name, value) = match pair.split_once('=') {
                Some((n, v)) => (Some(n), v),
                None => (None, pair),
            };
            if let Some(n) = name {
                out.push_str(n);
                out.push('=');
            }
            match f(value) {
                Some(v) => {
                    changed = true;
                    out.push_str(&v);
                }
                None => out.push_str(value),
            }
        }
    };
    if let Some(q) = query {
        out.push('?');
        values(q, &mut out);
    }
    if let Some(fr) = fragment {
        out.push('#');
        values(fr, &mut out);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Percent- and form-decoded (`+` is a space), lossy for invalid UTF-8.
fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '+']) {
        return Cow::Borrowed(text);
    }
    let spaced = text.replace('+', " ");
    Cow::Owned(
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn sanitize<'a>(text: &'a str, reading: Reading, removed: &mut Vec<String>) -> Cow<'a, str> {
    if !text.contains(['@', '?', '#', ';']) && !looks_like_password_slash(text) {
        return Cow::Borrowed(text);
    }
    let (head, fragment) = split_first(text, '#');
    let (head, query) = split_first(head, '?');
    let (prefix, rest) = scheme_prefix(head);
    // A path such as `/users/@me` has no host part to hold a user name.
    let relative_path = prefix == "/" || prefix == "\\";
    let reading = if prefix.is_empty() {
        reading
    } else {
        Reading::Address
    };
    let kept = if relative_path {
        rest
    } else {
        without_userinfo(rest, reading)
    };
    if kept.len() != rest.len() {
        removed.push("a user name and password in an address".to_owned());
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(prefix);
    out.push_str(&redact_matrix(kept, removed));
    if let Some(q) = query {
        out.push('?');
        out.push_str(&redact_pairs(q, removed));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&redact_fragment(f, removed));
    }
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// `scheme:` with its slashes (however mistyped: `HTTP://`, `htp:/`, `https:\\`), or leading
/// slashes alone (`//host`); empty when the text starts with the host.
fn scheme_prefix(text: &str) -> (&str, &str) {
    let word_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(text.len());
    let starts_with_letter = text.starts_with(|c: char| c.is_ascii_alphabetic());
    let after_word = text.get(word_end..).unwrap_or_default();
    let end = if starts_with_letter
        && let Some(after_colon) = after_word.strip_prefix(':')
        && after_colon.starts_with(['/', '\\'])
    {
        let slashes = after_colon.len() - after_colon.trim_start_matches(['/', '\\']).len();
        word_end + 1 + slashes
    } else if word_end == 0 {
        text.len() - text.trim_start_matches(['/', '\\']).len()
    } else {
        0
    };
    text.split_at_checked(end).unwrap_or(("", text))
}

/// True for `alice:p/w…`: a name, a colon and something other than a port before the first slash,
/// with an `@` later on, which is how a password with a slash in it reads.
fn looks_like_password_slash(text: &str) -> bool {
    let (_, rest) = scheme_prefix(text);
    password_slash_end(rest).is_some()
}

/// Where the `user:password@` of `alice:p/w@host` ends (just after its `@`), for a password
/// with a slash in it.
fn password_slash_end(rest: &str) -> Option<usize> {
    let authority_end = rest.find(['/', '\\'])?;
    let authority = rest.get(..authority_end)?;
    let after_bracket = if authority.starts_with('[') {
        authority.find(']').map_or(authority.len(), |i| i + 1)
    } else {
        0
    };
    let colon = after_bracket + authority.get(after_bracket..)?.find(':')?;
    let after_colon = authority.get(colon + 1..)?;
    if after_colon.chars().all(|c| c.is_ascii_digit()) {
        return None; // a port: `host:8443/@user` is a path
    }
    let later = rest.get(authority_end..)?;
    let first_at = authority_end + later.find('@')?;
    let next_slash = rest
        .get(first_at..)?
        .find(['/', '\\'])
        .map_or(rest.len(), |i| first_at + i);
    let last_at = rest.get(..next_slash)?.rfind('@')?;
    Some(last_at + 1)
}

fn without_userinfo(rest: &str, reading: Reading) -> &str {
    let authority_end = rest.find(['/', '\\']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or_default();
    if let Some(at) = authority.rfind('@') {
        let userinfo = authority.get(..at).unwrap_or_default();
        if reading == Reading::Word && !userinfo.contains(':') {
            return rest; // bob@example.com in a sentence is an e-mail address
        }
        let before_colon = userinfo.split(':').next().unwrap_or_default();
        if ["mailto", "xmpp", "sip", "sips", "im"]
            .iter()
            .any(|s| before_colon.eq_ignore_ascii_case(s))
        {
            return rest; // mailto:someone@example.com names a person, not a password
        }
        return rest.get(at + 1..).unwrap_or_default();
    }
    match password_slash_end(rest) {
        Some(end) => rest.get(end..).unwrap_or_default(),
        None => rest,
    }
}

/// `;jsessionid=…` and other secret matrix parameters in the path get `(redacted)` values.
fn redact_matrix<'a>(rest: &'a str, removed: &mut Vec<String>) -> Cow<'a, str> {
    if !rest.contains(';') {
        return Cow::Borrowed(rest);
    }
    let mut out = String::with_capacity(rest.len());
    for (i, segment) in rest.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match segment.split_once(';') {
            Some((name, params)) => {
                out.push_str(name);
                out.push(';');
                out.push_str(&redact_pairs(params, removed));
            }
            None => out.push_str(segment),
        }
    }
    Cow::Owned(out)
}

/// `name=value` pairs separated by `&` or `;`: secret values become `(redacted)`, everything
/// else keeps its exact spelling.
fn redact_pairs(pairs: &str, removed: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(pairs.len());
    let mut rest = pairs;
    loop {
        let end = rest.find(['&', ';']).unwrap_or(rest.len());
        let (pair, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        match pair.split_once('=') {
            Some((name, value)) if is_secret_param(name) && !is_redacted(value) => {
                removed.push(format!(
                    "the value of the address parameter \"{}\"",
                    super::shown(&decode(name))
                ));
                out.push_str(name);
                out.push('=');
                out.push_str(REDACTED);
            }
            _ => out.push_str(pair),
        }
        let mut chars = after.chars();
        match chars.next() {
            Some(separator) => {
                out.push(separator);
                rest = chars.as_str();
            }
            None => return out,
        }
    }
}

/// A fragment that carries parameters (`#access_token=…&state=…`, `#/reset?token=…`) or a JWT.
fn redact_fragment(fragment: &str, removed: &mut Vec<String>) -> String {
    if looks_like_jwt(fragment) {
        removed.push("a token in an address".to_owned());
        return REDACTED.to_owned();
    }
    match fragment.split_once('?') {
        Some((route, query)) => format!("{route}?{}", redact_pairs(query, removed)),
        None if fragment.contains('=') => redact_pairs(fragment, removed),
        None => fragment.to_owned(),
    }
}

fn is_redacted(value: &str) -> bool {
    value.is_empty() || value == REDACTED || value.eq_ignore_ascii_case("%28redacted%29")
}

/// Three dot-separated Base64url parts, the first starting like a JSON object (`eyJ`).
fn looks_like_jwt(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && text.starts_with("eyJ")
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn split_first(text: &str, c: char) -> (&str, Option<&str>) {
    match text.split_once(c) {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    }
}

/// Where a word's address ends: closing quotes and sentence punctuation are not part of it, and
/// a `)` only when it has no `(` to close inside the word (`…?token=(redacted)` keeps its own).
fn core_end(piece: &str) -> usize {
    let mut end = piece.len();
    while let Some(c) = piece.get(..end).and_then(|p| p.chars().next_back()) {
        if !is_closing(c) {
            break;
        }
        let head = piece.get(..end).unwrap_or_default();
        if c == ')' && head.matches('(').count() >= head.matches(')').count() {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '(' | '<' | '[' | '`')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | ')' | '>' | ']' | '`' | '.' | ',' | ':' | '!' | '?'
    )
}

/// The text cut into runs of whitespace and runs of everything else, in order.
fn split_keeping_whitespace(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let space = first.is_whitespace();
        let end = rest
            .find(|c: char| c.is_whitespace() != space)
            .unwrap_or(rest.len());
        let (piece, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        rest = after;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_and_passwords_leave_however_the_address_is_written() {
        for (typed, safe) in [
            ("https://bob:pw@example.com/a", "https://example.com/a"),
            ("HTTP://alice:pw@host/", "HTTP://host/"),
            ("htp://bob:pw@example.com", "htp://example.com"),
            ("alice:pw@host/", "host/"),
            ("//bob:pw@host/", "//host/"),
            ("bob@host/x", "host/x"),
            ("https://alice:p@ss@host/", "https://host/"),
            ("https://alice:p/w@host/x", "https://host/x"),
            ("https://alice:p%20w@host", "https://host"),
            ("https://host:8443/@user", "https://host:8443/@user"),
            ("https://[::1]:8080/x", "https://[::1]:8080/x"),
            ("/a@b/c?sid=1", "/a@b/c?sid=(redacted)"),
            ("mailto:someone@example.com", "mailto:someone@example.com"),
        ] {
            assert_eq!(address(typed), safe, "{typed}");
        }
    }

    #[test]
    fn secret_parameters_lose_their_values_and_others_keep_their_spelling() {
        assert_eq!(
            address("https://example.com/a?token=abc&page=2&Access_Token=x%20y"),
            "https://example.com/a?token=(redacted)&page=2&Access_Token=(redacted)"
        );
        assert_eq!(
            address("host/reset?p=hunter2;lang=en"),
            "host/reset?p=(redacted);lang=en"
        );
        assert_eq!(
            address("https://s3.example/f?X-Amz-Signature=ab12&X-Amz-Security-Token=zz"),
            "https://s3.example/f?X-Amz-Signature=(redacted)&X-Amz-Security-Token=(redacted)"
        );
        assert_eq!(
            address("https://a.example/app;jsessionid=ABC123/page;v=2"),
            "https://a.example/app;jsessionid=(redacted)/page;v=2"
        );
        assert_eq!(
            address("https://a.example/cb#access_token=xyz&state=ok"),
            "https://a.example/cb#access_token=(redacted)&state=ok"
        );
        assert_eq!(
            address("https://a.example/#/reset?token=xyz"),
            "https://a.example/#/reset?token=(redacted)"
        );
        assert_eq!(
            address("https://a.example/#section-2"),
            "https://a.example/#section-2"
        );
        let once = address("https://a.example/?token=abc");
        assert_eq!(address(&once), once, "sanitizing twice changes nothing");
    }

    #[test]
    fn addresses_inside_sentences_are_cleaned_and_the_words_kept() {
        let text = "AuthDoctor checked https://alice:pw@a.example/?token=abc instead. Mail bob@example.com.";
        assert_eq!(
            addresses_in_text(text),
            "AuthDoctor checked https://a.example/?token=(redacted) instead. Mail bob@example.com."
        );
        assert_eq!(
            addresses_in_text(
                "(see https://a.example/?token=(redacted)) and https://a.example/?code=1)."
            ),
            "(see https://a.example/?token=(redacted)) and https://a.example/?code=(redacted))."
        );
        let plain = "The site asks for a sign-in; ask the administrator (or the owner).";
        assert!(matches!(addresses_in_text(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn only_the_values_of_an_address_are_mapped() {
        let mut seen = Vec::new();
        let out = map_values("https://code.example/code/x?code=code&a#code", &mut |v| {
            seen.push(v.to_owned());
            (v == "code").then(|| "C".to_owned())
        });
        assert_eq!(out, "https://code.example/C/x?code=C&a#C");
        assert!(!seen.contains(&"code.example".to_owned()), "{seen:?}");
    }

    #[test]
    fn the_values_of_secret_parameters_are_known_for_scrubbing() {
        assert_eq!(
            secret_values("https://a.example/x;jsessionid=J1?token=a%2Bb&page=2#id_token=c+d"),
            vec!["a+b".to_owned(), "c d".to_owned(), "J1".to_owned()]
        );
    }

    #[test]
    fn secret_names_are_matched_in_any_case_and_encoding() {
        for name in [
            "TOKEN",
            "client_secret",
            "x-amz-signature",
            "PHPSESSID",
            "pass%77ord",
        ] {
            assert!(is_secret_param(name), "{name}");
        }
        for name in ["page", "lang", "state", "author", "redirect_uri"] {
            assert!(!is_secret_param(name), "{name}");
        }
    }
}
