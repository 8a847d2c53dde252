//! Headers the browser sends (`Authorization`, `Proxy-Authorization`, `Cookie`) recognised in
//! pasted text, so `explain-header` explains them as what they are, never echoing the credential;
//! and their values (with `Set-Cookie`'s) cut down to what helps a diagnosis wherever a request
//! or answer is kept.

use serde::{Deserialize, Serialize};

use crate::engine::challenge::{Explanation, Scheme};
use crate::engine::secret::REDACTED;

/// A pasted header the browser sends, without its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentHeader {
    /// `Authorization`, `Proxy-Authorization` or `Cookie`.
    pub header: String,
    /// The sign-in method an `Authorization` names (`Basic`, `Bearer`, `Digest`, …).
    pub scheme: Option<String>,
    /// The names of the cookies of a `Cookie` header, in order (values never kept).
    pub cookie_names: Vec<String>,
}

/// Recognises `Authorization: …`, `Proxy-Authorization: …` and `Cookie: …` (any case), and a
/// bare credential as an `Authorization` carries it (`Basic dXNlcjpwdw==`, `Bearer eyJ…`, a
/// Digest answer with `response=`). `None` for anything else, such as a challenge.
#[must_use]
pub fn sent_header(text: &str) -> Option<SentHeader> {
    let trimmed = text.trim_start();
    for name in ["Proxy-Authorization", "Authorization", "Cookie"] {
        let Some(head) = trimmed.get(..name.len()) else {
            continue;
        };
        let Some(value) = trimmed
            .get(name.len()..)
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
        else {
            continue;
        };
        if !head.eq_ignore_ascii_case(name) {
            continue;
        }
        let value = value.trim();
        return Some(if name == "Cookie" {
            SentHeader {
                header: name.to_owned(),
                scheme: None,
                cookie_names: value
                    .split(';')
                    .filter_map(|pair| pair.split_once('=').map(|(n, _)| n.trim()))
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        } else {
            SentHeader {
                header: name.to_owned(),
                scheme: value
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
                    .filter(|s| !s.is_empty()),
                cookie_names: Vec::new(),
            }
        });
    }
    let mut words = trimmed.split_whitespace();
    let scheme = words.next()?;
    let rest: Vec<&str> = words.collect();
    let single_credential = rest.len() == 1
        && rest
            .first()
            .is_some_and(|t| !t.trim_end_matches('=').contains(['=', ',', '"']));
    let is_credential = match Scheme::parse(scheme) {
        Scheme::Basic | Scheme::Bearer => single_credential,
        Scheme::Digest => trimmed.to_ascii_lowercase().contains("response="),
        _ => false,
    };
    is_credential.then(|| SentHeader {
        header: "Authorization".to_owned(),
        scheme: Some(scheme.to_owned()),
        cookie_names: Vec::new(),
    })
}

/// What the header is and what to do with it, in plain words; never its value.
#[must_use]
pub fn explain(sent: &SentHeader) -> Explanation {
    let pasted = "A header pasted on a command line can be seen by other users of this computer \
                  and stays in the shell history: change the password or sign out of the site \
                  if it was a real one.";
    if sent.header == "Cookie" {
        let names = if sent.cookie_names.is_empty() {
            "no cookies that could be read".to_owned()
        } else {
            format!(
                "{} cookie{}: {}",
                sent.cookie_names.len(),
                if sent.cookie_names.len() == 1 {
                    ""
                } else {
                    "s"
                },
                sent.cookie_names.join(", ")
            )
        };
        return Explanation {
            scheme_name: "Cookie header (sent by the browser)".to_owned(),
            meaning: format!(
                "This is not what a site asks for: it is what the browser sends with every \
                 request, the cookies it keeps for the site. It holds {names}. Their values \
                 are not shown: a session cookie signs in whoever has it."
            ),
            details: vec![pasted.to_owned()],
            what_to_do: "To see which cookies the browser would send and why a sign-in is lost, \
                         export them to a file and run: authdoctor check ADDRESS --cookies-file \
                         FILE"
                .to_owned(),
        };
    }
    let scheme = sent.scheme.clone().unwrap_or_default();
    let what = match Scheme::parse(&scheme) {
        Scheme::Basic => {
            "Basic: a user name and password, only encoded, not encrypted. Anyone who sees \
             this value can read the password from it."
        }
        Scheme::Bearer => "Bearer: an access token. Anyone who has it can use it until it expires.",
        Scheme::Digest => {
            "Digest: an answer computed from the password for one challenge of the site. It \
             does not contain the password itself."
        }
        Scheme::Other(name) if name.is_empty() => "no sign-in method could be read from it.",
        _ => "a sign-in method AuthDoctor does not decode.",
    };
    Explanation {
        scheme_name: format!("{} header (sent by the browser)", sent.header),
        meaning: format!(
            "This is not what a site asks for: it is what the browser or app sends to sign in{}. \
             Sign-in method: {what} The value is not shown.",
            if sent.header == "Proxy-Authorization" {
                " to a proxy on your network"
            } else {
                ""
            }
        ),
        details: vec![pasted.to_owned()],
        what_to_do: "To see why a site refuses a sign-in, run: authdoctor check ADDRESS --user \
                     NAME (AuthDoctor asks for the password without showing it)"
            .to_owned(),
    }
}

/// Replaces the secret part of a sensitive header, keeping what helps diagnosis
/// (the scheme of an `Authorization`, the names of cookies).
#[must_use]
pub fn redact_header_value(name: &str, value: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "authorization" | "proxy-authorization" => match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {REDACTED}"),
            None => REDACTED.to_owned(),
        },
        "cookie" => value
            .split(';')
            .map(|pair| match pair.split_once('=') {
                Some((n, _)) => format!("{}={REDACTED}", n.trim()),
                None => REDACTED.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        "set-cookie" => match value.split_once('=') {
            Some((n, rest)) => {
                let attrs = rest.split_once(';').map(|(_, a)| a).unwrap_or_default();
                if attrs.is_empty() {
                    format!("{n}={REDACTED}")
                } else {
                    format!("{n}={REDACTED};{attrs}")
                }
            }
            None => REDACTED.to_owned(),
        },
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_the_browser_sends_are_recognised_without_their_values() {
        let a = sent_header("authorization: Basic YWxpY2U6cHc=");
        assert_eq!(a.as_ref().and_then(|s| s.scheme.as_deref()), Some("Basic"));
        let c = sent_header("Cookie: sid=s3cret; theme=dark");
        assert_eq!(
            c.as_ref().map(|s| s.cookie_names.clone()),
            Some(vec!["sid".to_owned(), "theme".to_owned()])
        );
        assert_eq!(
            sent_header("Proxy-Authorization: Negotiate YII").map(|s| s.header),
            Some("Proxy-Authorization".to_owned())
        );
        assert!(sent_header("Bearer eyJhbGciOi.eyJz.c2ln").is_some());
        assert!(sent_header("Basic realm=\"x\"").is_none());
        assert!(sent_header("WWW-Authenticate: Basic realm=\"x\"").is_none());
        assert!(sent_header("Bearer realm=\"api\", error=\"invalid_token\"").is_none());
        let text = serde_json::to_string(&c).unwrap_or_else(|e| panic!("{e}"));
        assert!(!text.contains("s3cret"), "{text}");
        let explained = explain(&c.unwrap_or_else(|| panic!("a cookie header")));
        assert!(!format!("{explained:?}").contains("s3cret"));
    }

    #[test]
    fn authorization_keeps_its_scheme_but_loses_the_credential() {
        assert_eq!(
            redact_header_value("Authorization", "Basic YWxpY2U6czNjcmV0"),
            "Basic (redacted)"
        );
        assert_eq!(
            redact_header_value("cookie", "sid=abc; theme=dark"),
            "sid=(redacted); theme=(redacted)"
        );
        assert_eq!(
            redact_header_value("set-cookie", "sid=abc; Path=/; HttpOnly"),
            "sid=(redacted); Path=/; HttpOnly"
        );
        assert_eq!(redact_header_value("server", "nginx"), "nginx");
    }
}
