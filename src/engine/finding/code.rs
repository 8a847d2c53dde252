//! Finding codes: the `Code` enum (a public contract, never renamed) and what each code means,
//! read from `assets/explanations/findings.toml` (data, not code), so wording can be improved or
//! translated without touching the diagnosis. Scheme texts live with the challenge parser.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::engine::finding::Severity;

/// What a finding can be for the user's 401, declared per code in `findings.toml`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// It can explain the 401 the user sees; only these can be the likely cause.
    Cause,
    /// True and useful, but never the reason for the 401 (Basic over http, a cacheable page).
    Advice,
    /// Background that helps to read the rest (DNS agrees, what a token says).
    #[default]
    Context,
}

/// The part of the check a finding belongs to; the wizard shows it on that area's step.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// The address itself and the connection to it.
    #[default]
    Address,
    /// Cookies and caches.
    Cookies,
    /// Name lookup.
    Dns,
    /// The challenge, the credential test and tokens.
    SignIn,
    /// What the server and whatever stands in front of it do (plugins, firewalls, limits).
    Server,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $text:literal,)*) => {
        /// A stable, kebab-case identifier for a kind of finding. Public contract: never rename one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Code {
            $($(#[$doc])* #[serde(rename = $text)] $variant,)*
        }

        impl Code {
            /// Every code, in the order used to pick the likely cause (most specific cause first).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// What this code can be for the 401 (from `findings.toml`).
            #[must_use]
            pub fn kind(self) -> Kind {
                self.entry().map_or(Kind::Context, |t| t.kind)
            }

            /// The part of the check this code belongs to (from `findings.toml`).
            #[must_use]
            pub fn area(self) -> Area {
                self.entry().map_or(Area::Address, |t| t.area)
            }

            /// The kebab-case code as printed in brackets and in JSON.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// The address cannot be used, even after repairs.
    UrlInvalid => "url-invalid",
    /// The host name could not be looked up.
    DnsFailure => "dns-failure",
    /// This computer's answer for the site's name differs from a fresh DNS answer (a stale cache).
    DnsMismatch => "dns-mismatch",
    /// The hosts file on this computer sets the site's address.
    HostsOverride => "hosts-override",
    /// Nothing accepted the connection.
    ConnectionFailed => "connection-failed",
    /// The secure connection failed (certificate expired, self-signed, wrong name…).
    TlsError => "tls-error",
    /// The server did not answer in time.
    Timeout => "timeout",
    /// The redirects never ended.
    TooManyRedirects => "too-many-redirects",
    /// A redirect pointed somewhere that cannot be followed.
    BadRedirect => "bad-redirect",
    /// With the user's cookies the site says 401, without them it does not: a stale cookie.
    CookiesCause401 => "cookies-cause-401",
    /// A cache or CDN answered with a stored 401.
    Cached401 => "cached-401",
    /// A web application firewall or security service in front of the site answered, not the site.
    WafBlock => "waf-block",
    /// A WordPress security plugin answered, not the sign-in itself.
    SecurityPluginBlock => "security-plugin-block",
    /// Too many requests or failed sign-ins: the site makes us wait.
    RateLimited => "rate-limited",
    /// The site only lets in certain IP addresses, and this one is not among them.
    IpRestricted => "ip-restricted",
    /// This computer's clock and the server's disagree by more than a minute.
    ClockSkew => "clock-skew",
    /// The token's end time (`exp`) has passed.
    TokenExpired => "token-expired",
    /// The token's start time (`nbf`, or `iat`) is in the future.
    TokenNotYetValid => "token-not-yet-valid",
    /// The token was issued for another site or service (`aud`).
    TokenWrongAudience => "token-wrong-audience",
    /// A mistake in `.htaccess`, a password file or an nginx snippet that causes 401s.
    HtaccessProblem => "htaccess-problem",
    /// A proxy between the user and the site wants a sign-in (407).
    ProxyAuthRequired => "proxy-auth-required",
    /// Credentials would not be carried to the origin that asks for them.
    AuthDroppedOnRedirect => "auth-dropped-on-redirect",
    /// Bearer `error="invalid_token"`.
    TokenInvalid => "token-invalid",
    /// Bearer `error="insufficient_scope"`.
    InsufficientScope => "insufficient-scope",
    /// The server refused the user name and password or token.
    CredentialsRejected => "credentials-rejected",
    /// The server accepted the credentials.
    CredentialsAccepted => "credentials-accepted",
    /// The site needs a login but no imported cookie looks like a login session, or it is not sent.
    LoginCookieMissing => "login-cookie-missing",
    /// Two cookies with the same name are sent; the stale one may be read first.
    CookieShadowed => "cookie-shadowed",
    /// An imported cookie has expired.
    CookieExpired => "cookie-expired",
    /// An imported cookie would not be sent to this address.
    CookieNotSent => "cookie-not-sent",
    /// 401 with no `WWW-Authenticate` header.
    MissingChallenge => "missing-challenge",
    /// A `WWW-Authenticate` header that does not follow the rules.
    MalformedChallenge => "malformed-challenge",
    /// The page asks for a sign-in.
    AuthRequired => "auth-required",
    /// The status is not 401.
    NotUnauthorized => "not-unauthorized",
    /// Credentials were given but could not be tested against this server.
    CredentialsUntested => "credentials-untested",
    /// Basic sign-in over plain http.
    InsecureBasic => "insecure-basic",
    /// This computer's answer matches fresh DNS answers: DNS is not the cause.
    DnsConsistent => "dns-consistent",
    /// Only the IPv6 answers differ between this computer and fresh DNS answers.
    IpV6OnlyDifference => "ipv6-only-difference",
    /// A page that needs sign-in may be stored by shared caches.
    CacheablePrivatePage => "cacheable-private-page",
    /// The browser may keep the 401 answer and show it again.
    BrowserMayCache => "browser-may-cache",
    /// Part of an imported cookie file could not be read.
    CookieFileMalformed => "cookie-file-malformed",
    /// The token is not a JWT: only its issuer can say what it means.
    TokenOpaque => "token-opaque",
    /// What a JWT says: issuer, audience, times (signature not checked).
    TokenDecoded => "token-decoded",
    /// The site runs WordPress.
    WordpressDetected => "wordpress-detected",
    /// A CDN sits between the visitor and the site.
    CdnInFront => "cdn-in-front",
    /// A plain-language walk-through of an `.htaccess` or nginx snippet.
    HtaccessExplained => "htaccess-explained",
    /// The address was repaired.
    UrlCorrected => "url-corrected",
    /// Something about the address worth knowing that did not need a repair.
    UrlNote => "url-note",
    /// The sign-in layer accepted the details, but the page refuses this account (403, or a rule
    /// naming other users).
    SignedInButForbidden => "signed-in-but-forbidden",
    /// A 5xx only once credentials are sent: the password check itself is broken.
    ServerErrorAfterSignIn => "server-error-after-sign-in",
    /// After the first layer accepted the details, another realm or scheme asks again.
    SecondSignInLayer => "second-sign-in-layer",
    /// The answer with the user's credentials is the same as without: the header never reached
    /// the application.
    AuthorizationNotPassed => "authorization-not-passed",
    /// The site refused the token because of its issuer (`iss`).
    TokenWrongIssuer => "token-wrong-issuer",
    /// The site does not know the key the token was signed with (`kid`).
    TokenSigningKeyUnknown => "token-signing-key-unknown",
    /// The server's `Date` is years off: its clock was never set.
    ServerClockUnset => "server-clock-unset",
    /// The check's total time limit passed before every request was answered.
    CheckDeadlineReached => "check-deadline-reached",
    /// An identity-aware proxy (Cloudflare Access, oauth2-proxy, Google IAP, Azure App Service
    /// authentication, Vercel) answered for the site and wants its own sign-in.
    IdentityProxy => "identity-proxy",
    /// An API gateway (AWS API Gateway, Kong, Azure API Management, Supabase) refused the call
    /// before the application.
    ApiGatewayRejects => "api-gateway-rejects",
    /// The browser's CORS preflight fails because of the sign-in (OPTIONS answered 401 or a
    /// redirect, Authorization not allowed, or a 401 the script cannot read).
    PreflightNeedsAuth => "preflight-needs-auth",
    /// What the browser makes of the CORS preflight, when the sign-in is not its trouble.
    PreflightChecked => "preflight-checked",
    /// The site wants Windows integrated sign-in (Negotiate, NTLM).
    WindowsSignIn => "windows-sign-in",
    /// A registry's 401 wants its details exchanged for a token at a token service first.
    TokenExchangeRequired => "token-exchange-required",
    /// Microsoft Entra ID or a Microsoft 365 service said why it refused (AADSTS code,
    /// x-ms-diagnostics).
    MicrosoftSignInError => "microsoft-sign-in-error",
    /// Basic sign-in to Microsoft 365, which Microsoft switched off.
    MicrosoftBasicRetired => "microsoft-basic-retired",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text of one finding code.
#[derive(Clone, Debug, Deserialize)]
pub struct CodeText {
    /// Whether it can be the cause of the 401, advice, or context.
    pub kind: Kind,
    /// The part of the check it belongs to.
    pub area: Area,
    /// Default severity of the code.
    pub severity: Severity,
    /// One-line title.
    pub title: String,
    /// What it means and why it happens, in plain words.
    pub explanation: String,
    /// General next steps.
    #[serde(default)]
    pub next_steps: Vec<String>,
}

const FINDINGS_TOML: &str = include_str!("../../../assets/explanations/findings.toml");

fn findings_table() -> &'static HashMap<String, CodeText> {
    static TABLE: OnceLock<HashMap<String, CodeText>> = OnceLock::new();
    // The file ships inside the binary and a unit test parses it, so a parse error cannot reach users;
    // an empty table still keeps the app running with the fallback text below.
    TABLE.get_or_init(|| toml::from_str(FINDINGS_TOML).unwrap_or_default())
}

impl Code {
    /// The text for this code, borrowed from the table (None only if the text is missing,
    /// which a unit test rules out).
    fn entry(self) -> Option<&'static CodeText> {
        findings_table().get(self.as_str())
    }

    /// The title, kind, area, severity, explanation and next steps of this code. Falls back to
    /// the code itself if the text is missing (a unit test makes sure it never is).
    #[must_use]
    pub fn text(self) -> CodeText {
        self.entry().cloned().unwrap_or_else(|| CodeText {
            kind: Kind::Context,
            area: Area::Address,
            severity: Severity::Info,
            title: self.as_str().to_owned(),
            explanation: String::new(),
            next_steps: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_code_has_a_title_explanation_and_next_steps() {
        let table: HashMap<String, CodeText> =
            toml::from_str(FINDINGS_TOML).unwrap_or_else(|e| panic!("findings.toml: {e}"));
        for code in Code::ALL {
            let Some(t) = table.get(code.as_str()) else {
                panic!("assets/explanations/findings.toml has no [{code}] section");
            };
            assert!(!t.title.is_empty(), "{code}: empty title");
            assert!(!t.explanation.is_empty(), "{code}: empty explanation");
            assert!(!t.next_steps.is_empty(), "{code}: no next steps");
        }
        for key in table.keys() {
            assert!(
                Code::ALL.iter().any(|c| c.as_str() == key),
                "findings.toml has [{key}] but no such code exists"
            );
        }
    }
}
