//! Explanations of each challenge in plain words, with the scheme texts from assets/explanations/schemes.toml.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{Challenge, Explanation, Scheme, plural, quote_limited, shown};
use crate::engine::time::span_text;

/// The longest server value quoted back in an explanation, in characters.
const MAX_DETAIL_CHARS: usize = 300;

/// The most unexplained parameters listed one by one in an explanation.
const MAX_OTHER_PARAMS: usize = 10;

/// The base texts of one scheme, from `assets/explanations/schemes.toml`.
#[derive(Clone, Debug, Deserialize)]
pub(super) struct SchemeText {
    pub(super) name: String,
    pub(super) meaning: String,
    pub(super) what_to_do: String,
}

pub(super) const SCHEMES_TOML: &str = include_str!("../../../assets/explanations/schemes.toml");

/// The keys `schemes.toml` has texts for.
pub(super) const KNOWN_SCHEMES: [&str; 10] = [
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

pub(super) fn scheme_texts() -> &'static HashMap<String, SchemeText> {
    static TABLE: OnceLock<HashMap<String, SchemeText>> = OnceLock::new();
    // The file ships inside the binary and a unit test parses it; an empty table still leaves the
    // generic texts below.
    TABLE.get_or_init(|| toml::from_str(SCHEMES_TOML).unwrap_or_default())
}

/// Registered schemes (IANA "HTTP Authentication Schemes") that `schemes.toml` does not describe:
/// they are standard, so they must not be called made up.
pub(super) const OTHER_REGISTERED_SCHEMES: [&str; 6] = [
    "concealed",
    "dpop",
    "gnap",
    "oauth",
    "privatetoken",
    "vapid",
];

/// Collects the detail lines of one explanation and which parameters they covered.
pub(super) struct Details<'a> {
    pub(super) challenge: &'a Challenge,
    pub(super) lines: Vec<String>,
    pub(super) explained: Vec<&'static str>,
}

impl<'a> Details<'a> {
    /// The value of parameter `name`, marking it as explained.
    pub(super) fn param(&mut self, name: &'static str) -> Option<&'a str> {
        self.explained.push(name);
        let challenge = self.challenge;
        challenge.param(name)
    }

    pub(super) fn push(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }
}

/// A server value quoted in an explanation.
pub(super) fn q(value: &str) -> String {
    quote_limited(value, MAX_DETAIL_CHARS)
}

/// Plain-language explanation of one challenge: lines a non-technical site owner understands.
#[must_use]
pub fn explain(challenge: &Challenge) -> Explanation {
    let scheme = challenge.kind();
    // Every `scram-sha-*` shares the `scram` texts.
    let key = scheme.text_key();
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
    realm_details(&mut details, &scheme);
    match scheme {
        Scheme::Basic => charset_details(&mut details),
        Scheme::Digest => digest_details(&mut details),
        Scheme::Bearer => bearer_details(&mut details),
        Scheme::Negotiate => negotiate_details(&mut details),
        Scheme::Ntlm => ntlm_details(&mut details),
        Scheme::Aws4HmacSha256 => details.push(
            "The signature includes the time: if this computer's clock is more than about \
             15 minutes off, every request is refused, even with the right keys.",
        ),
        Scheme::Hoba => hoba_details(&mut details),
        Scheme::Mutual => mutual_details(&mut details),
        Scheme::Scram => scram_details(&mut details),
        Scheme::Token | Scheme::Other(_) => {}
    }
    if !matches!(scheme, Scheme::Negotiate | Scheme::Ntlm | Scheme::Scram) {
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

pub(super) fn generic_texts(scheme: &str) -> (String, String, String) {
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

pub(super) fn unknown_texts(scheme: &str) -> (String, String, String) {
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

pub(super) fn realm_details(details: &mut Details<'_>, scheme: &Scheme) {
    let Some(realm) = details.param("realm") else {
        return;
    };
    if realm.trim().is_empty() {
        details.push("The protected area (the realm) has no name.");
    } else if matches!(scheme, Scheme::Basic | Scheme::Digest) {
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

pub(super) fn charset_details(details: &mut Details<'_>) {
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

pub(super) fn digest_details(details: &mut Details<'_>) {
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

pub(super) fn bearer_details(details: &mut Details<'_>) {
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

pub(super) fn negotiate_details(details: &mut Details<'_>) {
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

pub(super) fn ntlm_details(details: &mut Details<'_>) {
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

pub(super) fn hoba_details(details: &mut Details<'_>) {
    if details.param("challenge").is_some() {
        details.push(
            "It includes a puzzle the browser must sign with the key it stored for this site.",
        );
    }
    if let Some(max_age) = details.param("max-age") {
        match max_age.trim().parse::<u64>() {
            Ok(seconds) => {
                details.push(format!("The browser has {} to answer.", span_text(seconds)));
            }
            Err(_) => details.push(format!(
                "Its time limit (max-age) {} is not a number of seconds.",
                q(max_age)
            )),
        }
    }
}

pub(super) fn mutual_details(details: &mut Details<'_>) {
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

pub(super) fn scram_details(details: &mut Details<'_>) {
    let data = details.param("data");
    let session = details.param("sid");
    if data.is_some() || session.is_some() || details.challenge.token68.is_some() {
        details.push("A sign-in exchange is under way: the server sent its next step.");
    } else {
        details.push("The server is inviting the app to start a SCRAM sign-in.");
    }
}

/// Lists the parameters no scheme-specific line covered.
pub(super) fn other_param_details(details: &mut Details<'_>) {
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
