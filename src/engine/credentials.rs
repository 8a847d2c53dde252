//! The credential test: answer the server's own challenge with the user's name and password
//! (Basic or Digest) or token (in the scheme the challenge names), follow the signed-in request
//! to its end on the same site, and say what became of it. "Accepted" means that end is not a
//! 401, 403, 407 or 5xx: a tool that says "your password works" when it does not sends people
//! the wrong way.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::challenge::{Challenge, Scheme};
use crate::engine::probe::{self, Exchange, Net, Probe, Purpose, RequestPlan};
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

/// What became of the signed-in request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It ended well (not 401, 403, 407 or 5xx) on the same site.
    Accepted,
    /// The site asked again with the same challenge: it does not accept these details.
    #[default]
    Rejected,
    /// The sign-in was taken, but the page refuses this account (403).
    Forbidden,
    /// The site failed (5xx) once the details were sent.
    ServerError,
    /// Past the first sign-in, another protected area or method asked again.
    AnotherSignIn,
    /// The answer shows the details never reached the application.
    NotPassed,
    /// The signed-in request was sent on to another site, where the details do not go.
    LeftSite,
    /// A proxy wanted its own sign-in (407).
    ProxyAsked,
    /// A cache answered the signed-in request with a stored 401: the site never saw it.
    ServedFromCache,
    /// No answer came (connection, timeout, the check's time limit).
    NoAnswer,
}

impl Outcome {
    /// What became of the signed-in request, in a few plain words: the one wording the CLI's
    /// first lines, the GUI's pages and the summary share.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted: the site let AuthDoctor in",
            Outcome::Rejected => "refused: the site asked for the same sign-in again",
            Outcome::Forbidden => "signed in, but this account may not open the page",
            Outcome::ServerError => "the site failed once the details were sent",
            Outcome::AnotherSignIn => "past the first sign-in, another one asked again",
            Outcome::NotPassed => "the details never reached the application",
            Outcome::LeftSite => "sent on to another site, not followed",
            Outcome::ProxyAsked => "a proxy asked for its own sign-in",
            Outcome::ServedFromCache => "a cache answered with a stored 401",
            Outcome::NoAnswer => "no answer came",
        }
    }
}

/// The verdict of a credential test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialResult {
    /// The scheme we answered with: "Basic", "Digest", "Bearer", "Token"…
    pub scheme: String,
    /// The status at the end of the signed-in request (0 when no answer came).
    pub status: u16,
    /// True only when the signed-in request ended well: see [`Outcome::Accepted`].
    pub accepted: bool,
    /// What became of the signed-in request.
    #[serde(default)]
    pub outcome: Outcome,
    /// True when the token was sent as Bearer because no challenge named a token scheme.
    #[serde(default)]
    pub scheme_assumed: bool,
    /// The address the signed-in request ended at.
    #[serde(default)]
    pub final_url: String,
    /// Why no answer came, in words (with [`Outcome::NoAnswer`]).
    #[serde(default)]
    pub failure: Option<String>,
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

impl CredentialResult {
    /// The status the signed-in request ended with, or "no answer".
    #[must_use]
    pub fn status_words(&self) -> String {
        if self.status == 0 {
            "no answer".to_owned()
        } else {
            self.status.to_string()
        }
    }

    /// "With your sign-in (Basic): 200 — accepted: the site let AuthDoctor in": the signed-in
    /// result in one line, as the CLI prints it and the GUI shows it.
    #[must_use]
    pub fn summary_line(&self) -> String {
        format!(
            "With your sign-in ({}): {} — {}",
            self.scheme,
            self.status_words(),
            self.outcome.words()
        )
    }
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
    /// A password or token holds a line break or another control character: it cannot travel in
    /// a header, and sending part of it would look like a wrong password.
    #[error(
        "your {0} contains a line break or another invisible control character, which cannot be sent; copy it again without the end of the line"
    )]
    Unsendable(&'static str),
}

/// Schemes answered with a user name and password, or by the operating system: never a token.
const NOT_TOKEN_SCHEMES: &[&str] = &[
    "basic",
    "digest",
    "negotiate",
    "ntlm",
    "kerberos",
    "aws4-hmac-sha256",
    "hoba",
    "mutual",
    "scram-sha-1",
    "scram-sha-256",
    "vapid",
];

/// True for a scheme a token is sent with (`Bearer`, `Token`, `JWT`, `DPoP`…).
#[must_use]
pub fn is_token_scheme(scheme: &str) -> bool {
    !NOT_TOKEN_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

impl Credentials {
    /// Refuses details that cannot be sent as typed, before anything is sent.
    pub fn check_sendable(&self) -> Result<(), CannotTest> {
        let bad = |s: &str| s.chars().any(char::is_control);
        if self.password.as_ref().is_some_and(|p| bad(p.expose())) {
            return Err(CannotTest::Unsendable("password"));
        }
        if self.token.as_ref().is_some_and(|t| bad(t.expose().trim())) {
            return Err(CannotTest::Unsendable("token"));
        }
        if self.user.as_ref().is_some_and(|u| bad(u)) {
            return Err(CannotTest::Unsendable("user name"));
        }
        Ok(())
    }

    /// True when a token (not a password) is what will be tested.
    #[must_use]
    pub fn has_token(&self) -> bool {
        self.token.as_ref().is_some_and(|t| !t.is_empty())
    }
}

/// The `Authorization` header for the best challenge we can answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The scheme answered with, as the site wrote it ("Bearer", "Token", "Digest").
    pub scheme: String,
    /// The header value.
    pub value: Secret,
    /// True when a token went out as Bearer because no challenge named a token scheme.
    pub scheme_assumed: bool,
    /// The challenge answered, when there was one.
    pub challenge: Option<Challenge>,
}

/// Builds the `Authorization` header value for the best challenge we can answer: a token in the
/// scheme the challenge names (Bearer when none does), Digest before Basic for a password.
pub fn authorization_for(
    challenges: &[Challenge],
    credentials: &Credentials,
    url: &Url,
) -> Result<Answer, CannotTest> {
    credentials.check_sendable()?;
    let wants = |scheme: Scheme| challenges.iter().find(|c| c.kind() == scheme);
    if let Some(token) = credentials.token.as_ref().filter(|t| !t.is_empty()) {
        let token = token.expose().trim();
        // Bearer first when offered; otherwise the first scheme that carries a token.
        let asked = wants(Scheme::Bearer)
            .or_else(|| challenges.iter().find(|c| is_token_scheme(&c.scheme)));
        if let Some(challenge) = asked {
            return Ok(Answer {
                scheme: challenge.scheme.clone(),
                value: Secret::new(format!("{} {token}", challenge.scheme)),
                scheme_assumed: false,
                challenge: Some(challenge.clone()),
            });
        }
        if challenges.is_empty() {
            return Ok(Answer {
                scheme: "Bearer".to_owned(),
                value: Secret::new(format!("Bearer {token}")),
                scheme_assumed: true,
                challenge: None,
            });
        }
        if credentials.password.is_none() {
            let asked = challenges
                .iter()
                .map(|c| c.scheme.clone())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CannotTest::NoMatchingChallenge {
                asked,
                reason: "takes a user name and password, not a token".to_owned(),
            });
        }
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
        return Ok(Answer {
            scheme: "Digest".to_owned(),
            value,
            scheme_assumed: false,
            challenge: Some(digest.clone()),
        });
    }
    let basic = wants(Scheme::Basic);
    if basic.is_some() || challenges.is_empty() {
        let raw = format!("{user}:{}", password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
        return Ok(Answer {
            scheme: "Basic".to_owned(),
            value: Secret::new(format!("Basic {encoded}")),
            scheme_assumed: challenges.is_empty(),
            challenge: basic.cloned(),
        });
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
        .filter(|c| c.kind() == Scheme::Digest && strength(c) > 0)
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

/// Sends the signed-in request to `url` (the address that answered `first`, a 401), follows it on
/// the same site to its end, and reports the verdict. Cookies `first` set go back with it, as a
/// browser sends them (some servers keep the Digest nonce in one). A Digest answer marked
/// `stale=true` is retried once with the fresh nonce, as browsers do.
pub async fn test(
    net: &Net,
    url: &Url,
    first: &Exchange,
    credentials: &Credentials,
) -> Result<CredentialResult, CannotTest> {
    let challenges = first.challenges().challenges;
    let answer = authorization_for(&challenges, credentials, url)?;
    let mut signed = signed_in(net, url, &answer, &[first], Purpose::SignedIn).await;
    let mut retried_stale_nonce = false;
    if Scheme::parse(&answer.scheme) == Scheme::Digest
        && let Some(last) = signed.exchanges.last().filter(|_| signed.failure.is_none())
        && last.status == 401
        && last.url == url.as_str()
    {
        let parsed = last.challenges();
        let stale = parsed.challenges.iter().any(|c| {
            c.kind() == Scheme::Digest
                && c.param("stale")
                    .is_some_and(|s| s.eq_ignore_ascii_case("true"))
        });
        if stale {
            let fresh = authorization_for(&parsed.challenges, credentials, url)?;
            let seen: Vec<&Exchange> = std::iter::once(first).chain(&signed.exchanges).collect();
            signed = signed_in(net, url, &fresh, &seen, Purpose::SignedInRetry).await;
            retried_stale_nonce = true;
        }
    }
    let last = signed.exchanges.last();
    let outcome = judge(first, &answer, &signed, credentials.has_token());
    Ok(CredentialResult {
        scheme: answer.scheme.clone(),
        status: last.map_or(0, |e| e.status),
        accepted: outcome == Outcome::Accepted,
        outcome,
        scheme_assumed: answer.scheme_assumed,
        final_url: last.map(|e| e.url.clone()).unwrap_or_default(),
        failure: signed.failure.as_ref().map(probe::Failure::summary),
        url: url.to_string(),
        retried_stale_nonce,
        answer: last.cloned(),
        hops: signed.hops.clone(),
    })
}

async fn signed_in(
    net: &Net,
    url: &Url,
    answer: &Answer,
    seen: &[&Exchange],
    purpose: Purpose,
) -> Probe {
    let plan = RequestPlan {
        authorization: Some(answer.value.clone()),
        cookie: probe::cookies_set_by(seen, url),
        keep_cookies: true,
        stay_on_origin: true,
        purpose,
        ..RequestPlan::default()
    };
    probe::follow(net, url, &plan).await
}

/// Phrases with which applications say no sign-in arrived at all (Django REST framework, Spring,
/// PHP JWT plugins, Flask-JWT, WordPress): sent back to a request that carried one, they mean
/// the header was dropped on the way.
const NOTHING_ARRIVED: &[&str] = &[
    "credentials were not provided",
    "jwt token not found",
    "missing authorization header",
    "authorization header missing",
    "authorization header is missing",
    "authorization header not found",
    "no authorization header",
    "missing bearer token",
    "no token provided",
    "token not provided",
    "you are not currently logged in",
    "rest_not_logged_in",
    "jwt_auth_no_auth_header",
    "missing_authorization",
];

/// What became of the signed-in request: see [`Outcome`].
fn judge(first: &Exchange, answer: &Answer, signed: &Probe, sent_token: bool) -> Outcome {
    let Some(last) = signed.exchanges.last() else {
        return Outcome::NoAnswer;
    };
    if signed.failure.is_some() {
        return if signed.stopped_at_origin {
            Outcome::LeftSite
        } else {
            Outcome::NoAnswer
        };
    }
    if last.status == 401 && crate::engine::cache::served_from_cache(last) {
        return Outcome::ServedFromCache;
    }
    if said_nothing_arrived(first, last, answer, sent_token) {
        return Outcome::NotPassed;
    }
    match last.status {
        401 => {
            if asks_the_same(answer, last) {
                Outcome::Rejected
            } else {
                Outcome::AnotherSignIn
            }
        }
        403 => Outcome::Forbidden,
        407 => Outcome::ProxyAsked,
        500..=599 => Outcome::ServerError,
        _ => Outcome::Accepted,
    }
}

/// True when the 401 asks again for what we answered: the same scheme, and the same protected
/// area where both name one (servers often leave the realm out of a refusal).
fn asks_the_same(answer: &Answer, again: &Exchange) -> bool {
    let Some(answered) = &answer.challenge else {
        // Nothing was asked in the first place: any 401 is a refusal of what we sent.
        return true;
    };
    let parsed = again.challenges();
    if parsed.challenges.is_empty() {
        return true;
    }
    parsed.challenges.iter().any(|c| {
        c.scheme.eq_ignore_ascii_case(&answered.scheme)
            && match (c.realm(), answered.realm()) {
                (Some(again), Some(before)) => again == before,
                _ => true,
            }
    })
}

/// The answer to our signed-in request says no sign-in reached the application: an
/// application's "no credentials were provided" message; or, from PHP or another CGI program
/// (where web servers drop the header unless told to pass it), a Bearer challenge without
/// `error=` after a token was sent (RFC 6750 §3.1 keeps `error` for requests that carried one)
/// or an answer identical to the one without credentials. Elsewhere those two are also how some
/// applications refuse a wrong token, so they alone do not say the header was lost.
fn said_nothing_arrived(
    first: &Exchange,
    last: &Exchange,
    answer: &Answer,
    sent_token: bool,
) -> bool {
    if last.status != 401 && last.status != 403 {
        return false;
    }
    let body = last.body_excerpt.to_ascii_lowercase();
    if NOTHING_ARRIVED.iter().any(|p| body.contains(p)) {
        return true;
    }
    if !from_php_or_cgi(last) {
        return false;
    }
    let parsed = last.challenges();
    let bearer_without_error = sent_token
        && Scheme::parse(&answer.scheme) == Scheme::Bearer
        && !parsed.challenges.is_empty()
        && parsed
            .challenges
            .iter()
            .all(|c| c.kind() == Scheme::Bearer && c.param("error").is_none());
    let same_answer = first.status == last.status
        && first.header("www-authenticate") == last.header("www-authenticate")
        && first.body_excerpt == last.body_excerpt;
    bearer_without_error || same_answer
}

/// True when a token was answered with the very challenge a request without one gets: either
/// the site refuses wrong tokens that way, or the token never reached it.
#[must_use]
pub fn answered_as_if_nothing_was_sent(result: &CredentialResult, first: &Exchange) -> bool {
    result.answer.as_ref().is_some_and(|last| {
        last.status == first.status
            && last.header("www-authenticate") == first.header("www-authenticate")
    })
}

/// True when the answer comes from PHP or another CGI/FastCGI program rather than the web server
/// itself, the set-ups that drop `Authorization` unless told to pass it on.
#[must_use]
pub fn from_php_or_cgi(exchange: &Exchange) -> bool {
    let powered = exchange
        .header("x-powered-by")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let server = exchange
        .header("server")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let path = Url::parse(&exchange.url)
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    powered.contains("php")
        || server.contains("litespeed")
        || std::path::Path::new(&path)
            .extension()
            .is_some_and(|e| e == "php" || e == "cgi")
        || path.contains("/wp-json/")
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
        let answer = authorization_for(&parsed.challenges, &creds("alice", "s3cret"), &url())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.scheme, "Basic");
        assert_eq!(answer.value.expose(), "Basic YWxpY2U6czNjcmV0");
    }

    #[test]
    fn digest_is_preferred_over_basic_and_sha256_over_md5() {
        let parsed = challenge::parse_str(
            "Basic realm=\"x\", Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, qop=\"auth\", \
             Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\"",
        );
        let answer = authorization_for(&parsed.challenges, &creds("alice", "pw"), &url())
            .unwrap_or_else(|e| panic!("{e}"));
        let (scheme, value) = (answer.scheme, answer.value);
        assert_eq!(scheme, "Digest");
        assert!(
            value.expose().contains("algorithm=SHA-256"),
            "{}",
            value.expose()
        );
        assert!(value.expose().contains("nonce=\"n2\""));
        assert!(!value.expose().contains("pw\""));
    }

    fn token(value: &str) -> Credentials {
        Credentials {
            token: Some(Secret::new(value)),
            ..Credentials::default()
        }
    }

    #[test]
    fn a_token_goes_out_in_the_scheme_the_challenge_names() {
        let parsed = challenge::parse_str("Token realm=\"api\"");
        let answer = authorization_for(&parsed.challenges, &token("abc123"), &url())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.value.expose(), "Token abc123");
        assert!(!answer.scheme_assumed);
        let parsed = challenge::parse_str("Basic realm=\"x\", Bearer realm=\"y\"");
        let answer = authorization_for(&parsed.challenges, &token("abc123"), &url())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.scheme, "Bearer");
    }

    #[test]
    fn a_token_with_no_challenge_goes_as_bearer_and_says_so() {
        let answer =
            authorization_for(&[], &token("abc123"), &url()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.value.expose(), "Bearer abc123");
        assert!(answer.scheme_assumed);
    }

    #[test]
    fn a_token_is_never_sent_where_only_a_password_is_asked_for() {
        let parsed = challenge::parse_str("Basic realm=\"x\"");
        let err = authorization_for(&parsed.challenges, &token("abc123"), &url());
        assert!(matches!(err, Err(CannotTest::NoMatchingChallenge { .. })));
    }

    #[test]
    fn a_password_or_token_with_a_line_break_is_refused_before_sending() {
        let parsed = challenge::parse_str("Basic realm=\"x\"");
        let err = authorization_for(&parsed.challenges, &creds("alice", "pw\nnext"), &url());
        assert_eq!(err.err(), Some(CannotTest::Unsendable("password")));
        let err = authorization_for(&[], &token("abc\r\n123"), &url());
        assert_eq!(err.err(), Some(CannotTest::Unsendable("token")));
        // A trailing line break from a pasted file is trimmed, not refused.
        assert!(authorization_for(&[], &token("abc123\n"), &url()).is_ok());
    }

    #[test]
    fn negotiate_only_cannot_be_tested_with_a_password() {
        let parsed = challenge::parse_str("Negotiate, NTLM");
        let err = authorization_for(&parsed.challenges, &creds("alice", "pw"), &url());
        assert!(matches!(err, Err(CannotTest::NoMatchingChallenge { .. })));
    }
}
