//! Last line of defence for secrets: scrubs every known secret (and its Base64 forms) from any
//! text or JSON value before it is printed or saved.

use base64::Engine as _;
use serde_json::Value;

use crate::engine::secret::{REDACTED, Secret};

/// The byte strings that must never appear in output: each secret as typed, and the Base64 of
/// `user:password` that Basic sign-in sends.
#[derive(Clone, Debug, Default)]
pub struct Scrubber {
    needles: Vec<Secret>,
}

impl Scrubber {
    /// A scrubber for these secrets; `user` is needed to recognise the Basic header form.
    #[must_use]
    pub fn new(user: Option<&str>, secrets: &[&Secret]) -> Self {
        let mut needles = Vec::new();
        for s in secrets {
            let value = s.expose();
            // Very short values (1–2 characters) would shred ordinary text; they cannot be
            // told apart from it anyway.
            if value.chars().count() < 3 {
                continue;
            }
            needles.push(Secret::new(value));
            let trimmed = value.trim();
            if trimmed != value && trimmed.chars().count() >= 3 {
                needles.push(Secret::new(trimmed));
            }
            if let Some(user) = user {
                let basic = base64::engine::general_purpose::STANDARD
                    .encode(format!("{user}:{value}").as_bytes());
                needles.push(Secret::new(basic));
            }
        }
        // Longest first so a secret that contains another is replaced whole.
        needles.sort_by_key(|n| std::cmp::Reverse(n.expose().len()));
        Scrubber { needles }
    }

    /// Replaces every secret in `text` with `(redacted)`.
    #[must_use]
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for n in &self.needles {
            if out.contains(n.expose()) {
                out = out.replace(n.expose(), REDACTED);
            }
        }
        out
    }

    /// Replaces every secret in every string (and object key) of a JSON value.
    pub fn json(&self, value: &mut Value) {
        if self.needles.is_empty() {
            return;
        }
        match value {
            Value::String(s) => {
                let scrubbed = self.text(s);
                *s = scrubbed;
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                for (k, mut v) in entries {
                    self.json(&mut v);
                    map.insert(self.text(&k), v);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// True for query parameter names that usually carry a secret (`token`, `api_key`, `sig`,
/// `password`, `code`, …).
#[must_use]
pub fn is_secret_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "token",
        "key",
        "sig",
        "pass",
        "pwd",
        "secret",
        "code",
        "auth",
        "session",
        "jwt",
        "credential",
        "ticket",
        "nonce",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// An address safe to remember or show: no user name or password in it, and the values of
/// secret-looking query parameters replaced by `(redacted)`.
#[must_use]
pub fn address_without_secrets(address: &str) -> String {
    let trimmed = address.trim();
    let Ok(mut url) = url::Url::parse(trimmed) else {
        // Not parseable: still drop anything that looks like `user:password@`.
        return match (trimmed.find("://"), trimmed.find('@')) {
            (Some(s), Some(at)) if at > s => {
                format!(
                    "{}{}",
                    trimmed.get(..s + 3).unwrap_or_default(),
                    trimmed.get(at + 1..).unwrap_or_default()
                )
            }
            _ => trimmed.to_owned(),
        };
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_param(&k) {
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_addresses_lose_passwords_and_secret_parameters() {
        assert_eq!(
            address_without_secrets("https://bob:pw@example.com/a?token=abc&page=2"),
            "https://example.com/a?token=%28redacted%29&page=2"
        );
        assert_eq!(
            address_without_secrets("htp://bob:pw@example.com"),
            "htp://example.com"
        );
    }

    #[test]
    fn secrets_and_their_basic_form_are_replaced_everywhere() {
        let pw = Secret::new("s3cret-pw");
        let scrubber = Scrubber::new(Some("alice"), &[&pw]);
        assert_eq!(scrubber.text("pw=s3cret-pw!"), "pw=(redacted)!");
        let basic = base64::engine::general_purpose::STANDARD.encode("alice:s3cret-pw");
        let mut v = serde_json::json!({"a": [format!("Basic {basic}")], "s3cret-pw": 1});
        scrubber.json(&mut v);
        let text = v.to_string();
        assert!(
            !text.contains("s3cret-pw") && !text.contains(&basic),
            "{text}"
        );
    }
}
