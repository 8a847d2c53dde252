//! Secrets the server hands out, removed from reports and `har` output: cookie values it sets,
//! session and token headers (`X-Auth-Token`, `X-Subject-Token`, `X-CSRF-Token`,
//! `X-Amz-Security-Token`, …), fields named like secrets in JSON, form and HTML bodies, and the
//! signature of every JWT. Each removal is noted by kind, never by value.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use crate::engine::exchange::Header;
use crate::engine::redact::{address, shown};
use crate::engine::secret::REDACTED;

/// Response and request headers whose whole value is a credential.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-auth-token",
    "x-subject-token",
    "x-csrf-token",
    "x-xsrf-token",
    "csrf-token",
    "x-amz-security-token",
    "x-api-key",
    "api-key",
    "apikey",
    "x-access-token",
    "x-refresh-token",
    "x-id-token",
    "x-session",
    "x-session-id",
    "x-session-token",
    "session",
    "session-id",
    "x-goog-authenticated-user-id",
];

/// Parts of a header name that make its value a credential.
const SECRET_HEADER_PARTS: &[&str] = &[
    "token", "secret", "session", "api-key", "apikey", "password", "csrf", "xsrf",
];

/// Names that sound secret but only describe one: `token_type`, `expires_in`, `session_timeout`.
fn only_describes(lower: &str) -> bool {
    lower.ends_with("type")
        || lower.contains("expir")
        || lower.contains("timeout")
        || lower.ends_with("uri")
        || lower.ends_with("url")
        || lower.ends_with("name")
        || lower.ends_with("length")
}

/// True for header names whose value is a credential (any case).
#[must_use]
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    SECRET_HEADERS.contains(&lower.as_str())
        || (SECRET_HEADER_PARTS.iter().any(|p| lower.contains(p)) && !only_describes(&lower))
}

/// True for field names in a body whose value is a credential: `password`, `token`, `secret`,
/// `access_token`, `refresh_token`, `client_secret`, `api_key`, `csrf_token`, `session_id`, …
#[must_use]
pub fn is_secret_field(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "token",
        "pin",
        "otp",
        "sid",
        "jwt",
        "assertion",
        "signature",
        "sig",
        "csrf",
        "xsrf",
    ];
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "passw",
        "apikey",
        "api_key",
        "api-key",
        "credential",
        "sessionid",
        "session_id",
        "private_key",
        "privatekey",
        "csrf",
        "xsrf",
    ];
    let lower = name.trim().to_ascii_lowercase();
    EXACT.contains(&lower.as_str())
        || (PARTS.iter().any(|p| lower.contains(p)) && !only_describes(&lower))
}

/// Compiles a constant pattern once.
#[expect(
    clippy::expect_used,
    reason = "constant patterns, compiled by the unit tests"
)]
fn compiled(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid constant pattern"))
}

fn jwt_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(
        &RE,
        r"\b(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,})\.[A-Za-z0-9_-]{8,}",
    )
}

fn json_field_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(
        &RE,
        r#""((?:[^"\\]|\\.){1,80})"(\s*:\s*)"((?:[^"\\]|\\.)*)""#,
    )
}

fn pair_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(&RE, r#"([A-Za-z0-9_.\-\[\]]{1,80})=([^&\s"'<>;]+)"#)
}

fn input_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(&RE, r"(?is)<input\b[^>]*>")
}

fn attribute_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(
        &RE,
        r#"(?is)\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#,
    )
}

/// A header as a report shows it: credential headers lose their value (a `Set-Cookie` keeps the
/// cookie's name and attributes), and every other value loses JWT signatures and secret address
/// parameters.
#[must_use]
pub fn header(header: &Header, removed: &mut Vec<String>) -> Option<String> {
    let name = header.name.as_str();
    let value = header.value.as_str();
    if matches!(name, "set-cookie" | "set-cookie2") {
        // Live answers lose the value as they arrive; the note says so either way.
        let kept = super::redact_header_value("set-cookie", value);
        removed.push("a cookie value the site set (Set-Cookie)".to_owned());
        return (kept != value).then_some(kept);
    }
    if matches!(name, "authorization" | "proxy-authorization" | "cookie") {
        let kept = super::redact_header_value(name, value);
        return (kept != value).then_some(kept);
    }
    if is_secret_header(name) {
        if value == REDACTED {
            return None;
        }
        removed.push(format!("the value of the header \"{}\"", shown(name)));
        return Some(REDACTED.to_owned());
    }
    match text(value, removed) {
        Cow::Owned(v) => Some(v),
        Cow::Borrowed(_) => None,
    }
}

/// Free text from outside (a page quote, evidence): JWT signatures and secret address parameters
/// removed.
#[must_use]
pub fn text<'a>(value: &'a str, removed: &mut Vec<String>) -> Cow<'a, str> {
    let without_jwt = jwt_signatures(value, removed);
    match address::addresses_in_text_noting(&without_jwt, removed) {
        Cow::Owned(v) => Cow::Owned(v),
        Cow::Borrowed(_) => without_jwt,
    }
}

fn jwt_signatures<'a>(value: &'a str, removed: &mut Vec<String>) -> Cow<'a, str> {
    if !value.contains("eyJ") || !jwt_regex().is_match(value) {
        return Cow::Borrowed(value);
    }
    removed.push("the signature of a token (its header and claims are kept)".to_owned());
    Cow::Owned(
        jwt_regex()
            .replace_all(value, format!("$1.{REDACTED}"))
            .into_owned(),
    )
}

/// A body as a report shows it: the values of secret fields in JSON (`"password": "…"`), in
/// form or query text (`access_token=…`) and in HTML inputs (`<input name="csrf_token"
/// value="…">`) removed, and everything [`text`] removes.
#[must_use]
pub fn body<'a>(value: &'a str, removed: &mut Vec<String>) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(value);
    let note = |name: &str, removed: &mut Vec<String>| {
        removed.push(format!(
            "the value of the field \"{}\" in a page",
            shown(name)
        ));
    };
    if out.contains('"') && json_field_regex().is_match(&out) {
        let mut changed = false;
        let replaced = json_field_regex().replace_all(&out, |c: &regex::Captures<'_>| {
            let name = c.get(1).map_or("", |m| m.as_str());
            let whole = c.get(0).map_or("", |m| m.as_str()).to_owned();
            let value = c.get(3).map_or("", |m| m.as_str());
            if is_secret_field(name) && !value.is_empty() && value != REDACTED {
                changed = true;
                note(name, removed);
                let gap = c.get(2).map_or("", |m| m.as_str());
                format!("\"{name}\"{gap}\"{REDACTED}\"")
            } else {
                whole
            }
        });
        if changed {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    if out.contains("<input") || out.contains("<INPUT") {
        let mut changed = false;
        let replaced = input_regex().replace_all(&out, |c: &regex::Captures<'_>| {
            let tag = c.get(0).map_or("", |m| m.as_str());
            let mut name = None;
            let mut value_span = None;
            for a in attribute_regex().captures_iter(tag) {
                let which = a.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
                let v = a.get(2).or_else(|| a.get(3)).or_else(|| a.get(4));
                match (which.as_str(), v) {
                    ("name", Some(v)) => name = Some(v.as_str().to_owned()),
                    ("value", Some(v)) => value_span = Some(v.range()),
                    _ => {}
                }
            }
            match (name, value_span) {
                (Some(name), Some(span)) if is_secret_field(&name) && !span.is_empty() => {
                    changed = true;
                    note(&name, removed);
                    format!(
                        "{}{REDACTED}{}",
                        tag.get(..span.start).unwrap_or_default(),
                        tag.get(span.end..).unwrap_or_default()
                    )
                }
                _ => tag.to_owned(),
            }
        });
        if changed {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    if out.contains('=') {
        let mut changed = false;
        let replaced = pair_regex().replace_all(&out, |c: &regex::Captures<'_>| {
            let name = c.get(1).map_or("", |m| m.as_str());
            let value = c.get(2).map_or("", |m| m.as_str());
            if is_secret_field(name) && value != REDACTED && !value.starts_with('"') {
                changed = true;
                note(name, removed);
                format!("{name}={REDACTED}")
            } else {
                c.get(0).map_or("", |m| m.as_str()).to_owned()
            }
        });
        if changed {
            out = Cow::Owned(replaced.into_owned());
        }
    }
    match text(&out, removed) {
        Cow::Owned(v) => Cow::Owned(v),
        Cow::Borrowed(_) => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: &str, value: &str) -> Header {
        Header {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn session_and_token_headers_lose_their_values_and_say_so_by_kind() {
        let mut removed = Vec::new();
        assert_eq!(
            header(&h("x-subject-token", "gAAAA-keystone"), &mut removed).as_deref(),
            Some(REDACTED)
        );
        assert_eq!(
            header(&h("x-amz-security-token", "IQoJb3Jp"), &mut removed).as_deref(),
            Some(REDACTED)
        );
        assert_eq!(
            header(
                &h("set-cookie", "sid=abc123; Path=/; HttpOnly"),
                &mut removed
            )
            .as_deref(),
            Some("sid=(redacted); Path=/; HttpOnly")
        );
        assert_eq!(header(&h("server", "nginx"), &mut removed), None);
        assert_eq!(
            header(&h("location", "/cb?code=xyz&state=1"), &mut removed).as_deref(),
            Some("/cb?code=(redacted)&state=1")
        );
        let joined = removed.join("; ");
        for secret in ["gAAAA", "IQoJ", "abc123", "xyz"] {
            assert!(!joined.contains(secret), "{joined}");
        }
        assert_eq!(removed.len(), 4, "{removed:?}");
    }

    #[test]
    fn secret_fields_in_bodies_are_removed_and_their_neighbours_kept() {
        let mut removed = Vec::new();
        let json = r#"{"access_token": "tok\"live", "token_type": "bearer", "expires_in": 3600, "code": "E42", "password":"pw 1"}"#;
        assert_eq!(
            body(json, &mut removed),
            r#"{"access_token": "(redacted)", "token_type": "bearer", "expires_in": 3600, "code": "E42", "password":"(redacted)"}"#
        );
        let form = "user=alice&password=hunter2&remember=1";
        assert_eq!(
            body(form, &mut removed),
            "user=alice&password=(redacted)&remember=1"
        );
        let html = r#"<form><input type="hidden" value="c5rf-abc" name="csrf_token"><input name=user value=alice></form>"#;
        assert_eq!(
            body(html, &mut removed),
            r#"<form><input type="hidden" value="(redacted)" name="csrf_token"><input name=user value=alice></form>"#
        );
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";
        assert_eq!(
            body(&format!("t {jwt}"), &mut removed),
            "t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.(redacted)"
        );
        assert!(!removed.join(" ").contains("hunter2"));
    }
}
