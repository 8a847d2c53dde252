//! The sign-in methods (schemes) a challenge can name, so callers compare an enum instead of
//! lowercased strings.

use std::fmt;

/// A sign-in method as named in a challenge or an `Authorization` header, read case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `Basic`: a user name and password, only encoded (RFC 7617).
    Basic,
    /// `Digest`: an answer computed from the password (RFC 7616).
    Digest,
    /// `Bearer`: an access token (RFC 6750).
    Bearer,
    /// `Negotiate`: Kerberos or Windows sign-in (RFC 4559).
    Negotiate,
    /// `NTLM`: the older Windows sign-in.
    Ntlm,
    /// `AWS4-HMAC-SHA256`: AWS Signature Version 4.
    Aws4HmacSha256,
    /// `Token`: a token in a scheme of that name (GitHub and others).
    Token,
    /// `HOBA`: sign-in with a key stored in the browser (RFC 7486).
    Hoba,
    /// `Mutual`: password sign-in that checks both sides (RFC 8120).
    Mutual,
    /// `SCRAM`, and every `SCRAM-SHA-*` (RFC 7804).
    Scram,
    /// Any other scheme, its name in lowercase.
    Other(String),
}

impl Scheme {
    /// The scheme named `name`, whatever its case (spaces are not trimmed: they make it `Other`).
    #[must_use]
    pub fn parse(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "basic" => Self::Basic,
            "digest" => Self::Digest,
            "bearer" => Self::Bearer,
            "negotiate" => Self::Negotiate,
            "ntlm" => Self::Ntlm,
            "aws4-hmac-sha256" => Self::Aws4HmacSha256,
            "token" => Self::Token,
            "hoba" => Self::Hoba,
            "mutual" => Self::Mutual,
            _ if lower == "scram" || lower.starts_with("scram-sha-") => Self::Scram,
            _ => Self::Other(lower),
        }
    }

    /// The name as the standards spell it ("Basic", "NTLM", "AWS4-HMAC-SHA256"); an unknown
    /// scheme's own name, in lowercase.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Basic => "Basic",
            Self::Digest => "Digest",
            Self::Bearer => "Bearer",
            Self::Negotiate => "Negotiate",
            Self::Ntlm => "NTLM",
            Self::Aws4HmacSha256 => "AWS4-HMAC-SHA256",
            Self::Token => "Token",
            Self::Hoba => "HOBA",
            Self::Mutual => "Mutual",
            Self::Scram => "SCRAM",
            Self::Other(name) => name,
        }
    }

    /// The key of the scheme's texts in `assets/explanations/schemes.toml`; an unknown scheme's
    /// lowercase name.
    #[must_use]
    pub(super) fn text_key(&self) -> &str {
        match self {
            Self::Basic => "basic",
            Self::Digest => "digest",
            Self::Bearer => "bearer",
            Self::Negotiate => "negotiate",
            Self::Ntlm => "ntlm",
            Self::Aws4HmacSha256 => "aws4-hmac-sha256",
            Self::Token => "token",
            Self::Hoba => "hoba",
            Self::Mutual => "mutual",
            Self::Scram => "scram",
            Self::Other(name) => name,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
