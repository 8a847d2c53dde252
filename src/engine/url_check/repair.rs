//! The recipe of named repair steps that turns what was typed into an address.

use super::{
    AddressCheck, AddressError, Host, MAX_HOST_CHARS, MAX_LABEL_CHARS, NOT_WEB_SCHEMES, Parts,
    Repair, TLD_TYPOS, TOO_LONG_HOST, Url, Wrapper, Wrappers, close_web_scheme, closing_wrapper,
    counted, is_blank, is_host_only, is_removable_inside, is_scheme_word, is_sentence_punctuation,
    is_wide_dot, join_words, opening_wrapper, parse_reason, scheme_separator_len, shown_input,
    shown_text, split_at, starts_with_web_scheme, take_userinfo, trailing_name,
};

/// The text being repaired, with what has been said about it so far.
pub(super) struct Work<'a> {
    pub(super) input: &'a str,
    pub(super) text: String,
    pub(super) repairs: Vec<Repair>,
    pub(super) doubts: Vec<String>,
    /// The password as typed, once the host has been found, so no message repeats it.
    pub(super) password: Option<String>,
    /// No scheme was typed; https was assumed.
    pub(super) scheme_guessed: bool,
}

impl<'a> Work<'a> {
    pub(super) fn new(input: &'a str) -> Self {
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
    pub(super) fn record(&mut self, what: impl Into<String>, after: String) {
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

    pub(super) fn unrepairable(&self, reason: &str) -> AddressError {
        AddressError::Unrepairable {
            reason: reason.to_owned(),
            input: shown_input(self.input, self.password.as_deref()),
        }
    }

    /// Spaces, line breaks and invisible characters around the address.
    pub(super) fn trim_spaces(&mut self) {
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
    pub(super) fn keep_only_the_address(&mut self) {
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
    pub(super) fn strip_wrappers_and_punctuation(&mut self) {
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
    pub(super) fn remove_inner_invisible_characters(&mut self) {
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
    pub(super) fn fix_scheme(&mut self) -> Result<(String, String), AddressError> {
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

    pub(super) fn add_https(&mut self, after: String, rest: String) -> (String, String) {
        self.record("Added https:// because the address had no scheme.", after);
        self.scheme_guessed = true;
        ("https".to_owned(), rest)
    }

    pub(super) fn correct_scheme(
        &mut self,
        scheme: &str,
        typed: &str,
        rest: String,
    ) -> (String, String) {
        let after = format!("{scheme}://{rest}");
        self.record(
            format!("Corrected \"{typed}\" to \"{scheme}://\" at the start of the address."),
            after,
        );
        (scheme.to_owned(), rest)
    }

    /// Backslashes where slashes belong, before any `?` or `#` (after them they may be meant).
    pub(super) fn fix_backslashes(&mut self, scheme: &str, rest: String) -> String {
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
    pub(super) fn fix_host(&mut self, parts: &mut Parts) {
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
    pub(super) fn collapse_dots(&mut self, parts: &mut Parts) {
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
    pub(super) fn check_host(&self, parts: &Parts) -> Result<(), AddressError> {
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
    pub(super) fn finish(mut self, parts: &Parts) -> Result<AddressCheck, AddressError> {
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
