//! The credential test: answer the server's own challenge with the user's name and password
//! (Basic or Digest) or token (Bearer), and say whether the server accepted it.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::challenge::Challenge;
use crate::engine::probe::{self, Exchange, Net, Probe, RequestPlan};
use crate::engine::secret::Secret;

/// What the user gave us to sign in with. Never saved.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// User name (not secret, but still never saved in recent addresses).
    pub user: Option<String>,
    /// Password.
    pub password: Option<Secret>,
    /// Bearer token.
    pub token: Option<Secret>,
}

impl Credentials {
    /// True when there is something to test.
    #[must_use]
    pub fn is_present(&self) -> bool {
        self.password.as_ref().is_some_and(|p| !p.is_empty())
            || self.token.as_ref().is_some_and(|t| !t.is_empty())
            || self.user.as_ref().is_some_and(|u| !u.is_empty())
    }
}

/// The verdict of a credential test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialResult {
    /// The scheme we answered with: "Basic", "Digest", "Bearer".
    pub scheme: String,
    /// The status of the answer to our signed-in request.
    pub status: u16,
    /// True when the server let us past the sign-in (status other than 401/407).
    pub accepted: bool,
    /// The address the credentials were tested against.
    #[serde(default)]
    pub url: String,
    /// Digest only: the server said our one-time number was stale, and we retried once.
    #[serde(default)]
    pub retried_stale_nonce: bool,
    /// The server's answer to the signed-in request (secrets redacted).
    #[serde(default)]
    pub answer: Option<Exchange>,
    /// Where the signed-in request was redirected, hop by hop.
    #[serde(default)]
    pub hops: Vec<probe::Hop>,
}

/// Why no credential test could be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CannotTest {
    /// The server asked for nothing we can answer with what we have.
    #[error("the server asks for {asked}, which {reason}")]
    NoMatchingChallenge {
        /// The schemes asked for.
        asked: String,
        /// Why we cannot answer.
        reason: String,
    },
    /// A password was given without a user name (or the reverse).
    #[error("{0}")]
    Incomplete(String),
    /// The server's Digest challenge could not be answered.
    #[error("the server's Digest challenge could not be answered: {0}")]
    Digest(String),
}

/// Builds the `Authorization` header value for the best challenge we can answer.
/// Returns the scheme name and the header value.
pub fn authorization_for(
    challenges: &[Challenge],
    credentials: &Credentials,
    url: &Url,
) -> Result<(String, Secret), CannotTest> {
    let wants = |scheme: &str| challenges.iter().find(|c| c.scheme_lower() == scheme);
    if let Some(token) = credentials.token.as_ref().filter(|t| !t.is_empty())
        && (wants("bearer").is_some() || wants("basic").is_none() && wants("digest").is_none())
    {
        return Ok((
            "Bearer".to_owned(),
            Secret::new(format!("Bearer {}", token.expose().trim())),
        ));
    }
    let user = credentials.user.clone().unwrap_or_default();
    let password = credentials.password.clone().unwrap_or_default();
    if user.is_empty() && password.is_empty() {
        return Err(CannotTest::Incomplete(
            "a token was given, but the server asks for a user name and password".to_owned(),
        ));
    }
    if user.is_empty() {
        return Err(CannotTest::Incomplete(
            "a password was given without a user name".to_owned(),
        ));
    }
    if let Some(digest) = best_digest(challenges) {
        let value = answer_digest(digest, &user, &password, url)?;
        return Ok(("Digest".to_owned(), value));
    }
    if wants("basic").is_some() || challenges.is_empty() {
        let raw = format!("{user}:{}", password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
        return Ok(("Basic".to_owned(), Secret::new(format!("Basic {encoded}"))));
    }
    let asked = challenges
        .iter()
        .map(|c| c.scheme.clone())
        .collect::<Vec<_>>()
        .join(", ");
    Err(CannotTest::NoMatchingChallenge {
        asked,
        reason: "AuthDoctor cannot answer with a user name and password (it needs your \
                 organisation's own sign-in, or a token)"
            .to_owned(),
    })
}

/// The strongest Digest challenge we can answer (SHA-256 before MD5).
fn best_digest(challenges: &[Challenge]) -> Option<&Challenge> {
    let strength = |c: &Challenge| {
        let algorithm = c.param("algorithm").unwrap_or("MD5").to_ascii_uppercase();
        match algorithm.trim_end_matches("-SESS") {
            "SHA-512-256" => 3,
            "SHA-256" => 2,
            "MD5" => 1,
            _ => 0,
        }
    };
    challenges
        .iter()
        .filter(|c| c.scheme_lower() == "digest" && strength(c) > 0)
        .max_by_key(|c| strength(c))
}

fn answer_digest(
    challenge: &Challenge,
    user: &str,
    password: &Secret,
    url: &Url,
) -> Result<Secret, CannotTest> {
    let mut prompt = digest_auth::WwwAuthenticateHeader {
        domain: None,
        realm: challenge.param("realm").unwrap_or_default().to_owned(),
        nonce: challenge
            .param("nonce")
            .ok_or_else(|| CannotTest::Digest("it has no nonce".to_owned()))?
            .to_owned(),
        opaque: challenge.param("opaque").map(str::to_owned),
        stale: false,
        algorithm: challenge
            .param("algorithm")
            .unwrap_or("MD5")
            .parse()
            .map_err(|e: digest_auth::Error| CannotTest::Digest(e.to_string()))?,
        qop: challenge.param("qop").map(|q| {
            q.split(',')
                .filter_map(|one| one.trim().parse().ok())
                .collect()
        }),
        userhash: challenge
            .param("userhash")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        charset: digest_auth::Charset::UTF8,
        nc: 0,
    };
    let uri = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let context = digest_auth::AuthContext::new(user, password.expose(), uri);
    let header = prompt
        .respond(&context)
        .map_err(|e| CannotTest::Digest(e.to_string()))?;
    Ok(Secret::new(header.to_header_string()))
}

/// Sends the signed-in request to `url` (the address that answered 401) and reports the verdict.
/// A Digest answer marked `stale=true` is retried once with the fresh nonce, as browsers do.
pub async fn test(
    net: &Net,
    url: &Url,
    challenges: &[Challenge],
    credentials: &Credentials,
) -> Result<CredentialResult, CannotTest> {
    let (scheme, authorization) = authorization_for(challenges, credentials, url)?;
    let mut result = signed_in(net, url, authorization).await;
    let mut retried_stale_nonce = false;
    if scheme == "Digest"
        && let Some(answer) = result.final_exchange()
        && answer.status == 401
    {
        let parsed = answer.challenges();
        let stale = parsed.challenges.iter().any(|c| {
            c.scheme_lower() == "digest"
                && c.param("stale")
                    .is_some_and(|s| s.eq_ignore_ascii_case("true"))
        });
        if stale {
            let (_, fresh) = authorization_for(&parsed.challenges, credentials, url)?;
            result = signed_in(net, url, fresh).await;
            retried_stale_nonce = true;
        }
    }
    let first = result.exchanges.first();
    let status = first.map_or(0, |e| e.status);
    // A Bearer 403 with error="insufficient_scope" is the token being refused for this page.
    let lacks_scope = first.is_some_and(|e| {
        e.challenges().challenges.iter().any(|c| {
            c.param("error")
                .is_some_and(|v| v.eq_ignore_ascii_case("insufficient_scope"))
        })
    });
    Ok(CredentialResult {
        scheme,
        status,
        accepted: status != 0 && status != 401 && status != 407 && !lacks_scope,
        url: url.to_string(),
        retried_stale_nonce,
        answer: first.cloned(),
        hops: result.hops.clone(),
    })
}

async fn signed_in(net: &Net, url: &Url, authorization: Secret) -> Probe {
    let plan = RequestPlan {
        authorization: Some(authorization),
        ..RequestPlan::default()
    };
    probe::follow(net, url, &plan).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::challenge;

    fn url() -> Url {
        Url::parse("http://127.0.0.1/secret/").unwrap_or_else(|e| panic!("{e}"))
    }

    fn creds(user: &str, password: &str) -> Credentials {
        Credentials {
            user: Some(user.to_owned()),
            password: Some(Secret::new(password)),
            token: None,
        }
    }

    #[test]
    fn basic_answer_is_base64_of_user_colon_password() {
        let parsed = challenge::parse_str("Basic realm=\"x\"");
        let (scheme, value) =
            authorization_for(&parsed.challenges, &creds("alice", "s3cret"), &url())
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scheme, "Basic");
        assert_eq!(value.expose(), "Basic YWxpY2U6czNjcmV0");
    }

    #[test]
    fn digest_is_preferred_over_basic_and_sha256_over_md5() {
        let parsed = challenge::parse_str(
            "Basic realm=\"x\", Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, qop=\"auth\", \
             Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\"",
        );
        let (scheme, value) = authorization_for(&parsed.challenges, &creds("alice", "pw"), &url())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scheme, "Digest");
        assert!(
            value.expose().contains("algorithm=SHA-256"),
            "{}",
            value.expose()
        );
        assert!(value.expose().contains("nonce=\"n2\""));
        assert!(!value.expose().contains("pw\""));
    }

    #[test]
    fn negotiate_only_cannot_be_tested_with_a_password() {
        let parsed = challenge::parse_str("Negotiate, NTLM");
        let err = authorization_for(&parsed.challenges, &creds("alice", "pw"), &url());
        assert!(matches!(err, Err(CannotTest::NoMatchingChallenge { .. })));
    }
}
