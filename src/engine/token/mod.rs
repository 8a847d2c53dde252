//! Reads a pasted access token: a JWT's header and claims (issuer, audience, times) in plain
//! words, or what can be said about an opaque token. The signature is never checked, shown or
//! kept, and neither is the whole token.

use std::fmt::Write as _;
use std::time::SystemTime;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::secret::Secret;
use crate::engine::text::shorten;
use crate::engine::time::{relative_text, span_text, unix_secs, utc_text};
use crate::engine::work;

/// Tokens longer than this are not decoded (no real token comes close).
pub const MAX_TOKEN_BYTES: usize = 1024 * 1024;
/// A token that expired less than this long ago may just be a clock difference.
const RECENT_SECS: i64 = 5 * 60;
/// An issue time this far in the future is reported.
const FUTURE_IAT_TOLERANCE_SECS: i64 = 60;
/// `NumericDate` values above this (year 5138) are almost certainly milliseconds.
const MILLISECONDS_THRESHOLD: i64 = 100_000_000_000;

/// What kind of token was pasted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// A JSON Web Token whose header and claims could be read.
    Jwt,
    /// Not readable by design: a random code, an encrypted JWT, an API key.
    Opaque,
    /// Damaged: looks like a JWT but a part cannot be read, or contains characters no token has.
    Malformed,
}

/// One time written in the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenTime {
    /// The claim: `exp`, `nbf`, `iat`, `auth_time`.
    pub name: String,
    /// Unix seconds, as written.
    pub unix: i64,
    /// `Sun, 23 Nov 2025 06:00:00 UTC`.
    pub readable: String,
    /// `expired 3 hours ago`, `valid for another 12 minutes`, `issued 2 hours ago`.
    pub relative: String,
}

/// What AuthDoctor could read from a token. Never holds the signature or the whole token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenReport {
    /// JWT, opaque or damaged.
    pub kind: TokenKind,
    /// The JWT header (`alg`, `typ`, `kid`…), when readable.
    pub header: Option<Value>,
    /// The JWT claims (`iss`, `sub`, `aud`, `exp`…), when readable.
    pub claims: Option<Value>,
    /// The times in the claims, readable and relative to now.
    pub times: Vec<TokenTime>,
    /// `token-decoded`, `token-expired`, `token-not-yet-valid`, `token-wrong-audience`, `token-opaque`.
    pub findings: Vec<Finding>,
}

/// Reads a token as pasted: with or without `Bearer ` or `Authorization: Bearer `, in quotes,
/// wrapped over several lines, or as the JSON answer of a token endpoint (`access_token`).
/// `site` is the address the token is meant for, to compare with its audience.
#[must_use]
pub fn inspect(token: &Secret, now: SystemTime, site: Option<&Url>) -> TokenReport {
    let now_unix = unix_secs(now);
    let raw = token.expose();
    if raw.len() > MAX_TOKEN_BYTES {
        return malformed(
            "The pasted text is far too long to be a token (more than a megabyte); probably a \
             whole file or page was pasted.",
        );
    }
    let pasted = unwrap_paste(raw);
    work::add(raw.len() + pasted.text.len());
    if let Some(note) = pasted.basic {
        return opaque(note, None, Severity::Info);
    }
    let compact: String = pasted.text.chars().filter(|c| !c.is_whitespace()).collect();
    // Compacted, then searched for characters no token has.
    work::add(pasted.text.len() + compact.len());
    let had_whitespace = compact.len() != pasted.text.len();
    if compact.is_empty() {
        return malformed("Nothing was pasted: the token is empty.");
    }
    if let Some((position, c)) = compact
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic() || matches!(c, '"' | '\'' | ',' | ';' | '<' | '>'))
    {
        return malformed(&format!(
            "The token contains a character no token has ({}, at position {}): the copy picked \
             up extra text, or lost part of the token.",
            describe_char(c),
            position + 1
        ));
    }
    let mut report = read_token(&compact, now_unix, site);
    let mut notes = Vec::new();
    if had_whitespace {
        notes.push(
            "The pasted token contained spaces or line breaks; AuthDoctor ignored them, but a \
             site will not. Make sure the app sends the token on one line without spaces.",
        );
    }
    if pasted.from_json {
        notes.push("The token was taken from the access_token field of the pasted JSON.");
    }
    if !notes.is_empty()
        && let Some(first) = report.findings.first_mut()
    {
        for note in notes {
            first.detail.push(' ');
            first.detail.push_str(note);
        }
    }
    report
}

/// The token text without its wrapping, and what was recognised about the wrapping.
struct Pasted {
    text: String,
    from_json: bool,
    /// Set when the paste is a Basic sign-in rather than a token.
    basic: Option<String>,
}

fn unwrap_paste(raw: &str) -> Pasted {
    let mut text = raw.trim();
    let mut from_json = false;
    let json_token;
    if text.starts_with('{')
        && let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text)
        && let Some(Value::String(t)) = ["access_token", "token", "id_token"]
            .iter()
            .find_map(|k| map.get(*k))
    {
        json_token = t.clone();
        text = json_token.trim();
        from_json = true;
    }
    if let Some(rest) = strip_prefix_ignore_case(text, "authorization:") {
        text = rest.trim_start();
    }
    text = text.trim_matches(['"', '\'']).trim();
    if strip_prefix_ignore_case(text, "basic ").is_some() {
        return Pasted {
            text: String::new(),
            from_json,
            basic: Some(
                "This is a Basic sign-in (a user name and password, only encoded), not a token. \
                 AuthDoctor does not decode it because it contains a password. Test it as a user \
                 name and password instead."
                    .to_owned(),
            ),
        };
    }
    for prefix in ["bearer ", "jwt ", "token "] {
        if let Some(rest) = strip_prefix_ignore_case(text, prefix) {
            text = rest.trim_start();
            break;
        }
    }
    Pasted {
        text: text.trim_matches(['"', '\'']).to_owned(),
        from_json,
        basic: None,
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("an invisible control character U+{:04X}", u32::from(c))
    } else if !c.is_ascii() {
        format!("the character \"{c}\" (U+{:04X})", u32::from(c))
    } else {
        format!("the character \"{c}\"")
    }
}

fn read_token(token: &str, now_unix: i64, site: Option<&Url>) -> TokenReport {
    let parts: Vec<&str> = token.split('.').collect();
    work::add(token.len());
    let header = parts.first().and_then(|p| decode_object(p));
    match (parts.len(), header) {
        (3, Some(header)) => {
            let Some(claims) = parts.get(1).and_then(|p| decode_object(p)) else {
                let mut report = malformed(
                    "The token looks like a JWT (its header can be read) but its middle part, \
                     the claims, cannot: it was probably copied incompletely.",
                );
                report.header = Some(header);
                return report;
            };
            let signature_len = parts.get(2).map_or(0, |s| s.len());
            jwt_report(header, claims, signature_len, now_unix, site)
        }
        (5, Some(header)) if header.get("enc").is_some() => {
            let mut report = opaque(
                "This is an encrypted JWT (JWE): only its header is readable; the claims inside \
                 can only be read by the service that holds the key."
                    .to_owned(),
                None,
                Severity::Info,
            );
            report.header = Some(header);
            report
        }
        (2, Some(header)) => {
            let claims = parts.get(1).and_then(|p| decode_object(p));
            let mut report = malformed(
                "The token has only two parts: a JWT has three (header, claims and signature) \
                 separated by dots. The end of the token was probably cut off when copying.",
            );
            if let Some(claims) = claims {
                report.times = token_times(&claims, now_unix);
                report.claims = Some(claims);
            }
            report.header = Some(header);
            report
        }
        (_, Some(header)) => {
            let mut report = malformed(&format!(
                "The token starts like a JWT but has {} parts separated by dots instead of three.",
                parts.len()
            ));
            report.header = Some(header);
            report
        }
        (_, None) if token.starts_with("eyJ") && token.contains('.') => malformed(
            "The token starts like a JWT but its header cannot be read: it was probably copied \
             incompletely or changed.",
        ),
        (_, None) => {
            let (what, severity) = opaque_kind(token);
            opaque(what, Some(token.len()), severity)
        }
    }
}

/// Base64 URL-safe text (padding and the standard alphabet tolerated) → JSON object.
fn decode_object(part: &str) -> Option<Value> {
    if part.is_empty() {
        return None;
    }
    // Cleaned, decoded from base64 and read as JSON.
    work::add(3 * part.len());
    let cleaned: String = part
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cleaned.as_bytes())
        .ok()?;
    match serde_json::from_slice::<Value>(&bytes).ok()? {
        v @ Value::Object(_) => Some(v),
        _ => None,
    }
}

fn malformed(detail: &str) -> TokenReport {
    TokenReport {
        kind: TokenKind::Malformed,
        header: None,
        claims: None,
        times: Vec::new(),
        findings: vec![
            Finding::new(Code::TokenOpaque, detail)
                .title("This token looks damaged")
                .severity(Severity::Warning)
                .first_step(
                    "Copy the token again, completely, from where it was issued (it is usually \
                     one long line without spaces).",
                ),
        ],
    }
}

fn opaque(detail: String, length: Option<usize>, severity: Severity) -> TokenReport {
    let mut finding = Finding::new(Code::TokenOpaque, detail).severity(severity);
    if let Some(length) = length {
        finding = finding.evidence("Length", format!("{length} characters"));
    }
    TokenReport {
        kind: TokenKind::Opaque,
        header: None,
        claims: None,
        times: Vec::new(),
        findings: vec![finding],
    }
}

/// What a token that is not a JWT looks like, from its well-known prefix (only the prefix is
/// ever named).
fn opaque_kind(token: &str) -> (String, Severity) {
    const PREFIXES: &[(&str, &str)] = &[
        ("github_pat_", "a GitHub fine-grained personal access token"),
        ("ghp_", "a GitHub personal access token"),
        ("gho_", "a GitHub OAuth token"),
        ("ghu_", "a GitHub app user token"),
        ("ghs_", "a GitHub app installation token"),
        ("glpat-", "a GitLab personal access token"),
        ("xoxb-", "a Slack bot token"),
        ("xoxp-", "a Slack user token"),
        ("sk_live_", "a Stripe live secret key"),
        ("sk_test_", "a Stripe test secret key"),
        ("rk_live_", "a Stripe restricted key"),
        ("sk-", "a secret API key"),
        ("ya29.", "a Google OAuth access token"),
        ("npm_", "an npm access token"),
        ("pypi-", "a PyPI API token"),
        ("shpat_", "a Shopify access token"),
        ("dop_v1_", "a DigitalOcean personal access token"),
        ("SG.", "a SendGrid API key"),
    ];
    let general = "Only the service that issued it can tell whether it is valid, expired, or \
                   allowed to do what you ask.";
    if (token.starts_with("AKIA") || token.starts_with("ASIA"))
        && token.len() == 20
        && token
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return (
            "This is an AWS access key ID, not a token: AWS requests are signed with it and its \
             secret key (AWS Signature Version 4), not sent as a bearer token."
                .to_owned(),
            Severity::Warning,
        );
    }
    if let Some((prefix, what)) = PREFIXES.iter().find(|(p, _)| token.starts_with(p)) {
        return (
            format!(
                "This is not a JWT: it looks like {what} (it starts with \"{prefix}\"). Its \
                 contents are not readable by design. {general}"
            ),
            Severity::Info,
        );
    }
    (
        format!(
            "This is not a JWT but an opaque token: a code whose meaning is stored only at the \
             service that issued it. {general}"
        ),
        Severity::Info,
    )
}

/// A JSON `NumericDate`: seconds (whole or fractional), tolerating a number in a string.
fn numeric_date(value: &Value) -> Option<(i64, bool)> {
    match value {
        Value::Number(n) => n.as_i64().map(|v| (v, false)).or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                .map(|f| (f.floor() as i64, false))
        }),
        Value::String(s) if !s.is_empty() && s.len() <= 20 => {
            s.trim().parse::<i64>().ok().map(|v| (v, true))
        }
        _ => None,
    }
}

fn token_times(claims: &Value, now_unix: i64) -> Vec<TokenTime> {
    let mut times = Vec::new();
    for name in ["iat", "nbf", "exp", "auth_time"] {
        let Some((unix, _)) = claims.get(name).and_then(numeric_date) else {
            continue;
        };
        let diff = unix.saturating_sub(now_unix);
        let span = span_text(diff.unsigned_abs());
        let relative = match (name, diff > 0) {
            ("exp", true) => format!("valid for another {span}"),
            ("exp", false) => format!("expired {span} ago"),
            ("nbf", true) => format!("becomes valid in {span}"),
            ("nbf", false) => format!("became valid {span} ago"),
            ("iat", true) => format!("issued in the future ({span} from now)"),
            ("iat", false) => format!("issued {span} ago"),
            (_, _) => format!("signed in {}", relative_text(unix, now_unix)),
        };
        times.push(TokenTime {
            name: name.to_owned(),
            unix,
            readable: utc_text(unix),
            relative,
        });
    }
    times
}

/// A short text for a claim value: strings as they are, arrays joined, others as JSON.
fn claim_text(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .take(20)
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    shorten(&text, 200)
}

fn jwt_report(
    header: Value,
    claims: Value,
    signature_len: usize,
    now_unix: i64,
    site: Option<&Url>,
) -> TokenReport {
    let times = token_times(&claims, now_unix);
    let time = |name: &str| times.iter().find(|t| t.name == name);
    let mut findings = Vec::new();

    if let Some(exp) = time("exp")
        && exp.unix <= now_unix
    {
        let ago = now_unix.saturating_sub(exp.unix);
        let mut detail = format!(
            "The token's end time (exp) was {}: it {}.",
            exp.readable, exp.relative
        );
        if let Some(iat) = time("iat").filter(|i| i.unix < exp.unix) {
            let _ = write!(
                detail,
                " It was issued {} and was valid for {} in total.",
                iat.readable,
                span_text(exp.unix.saturating_sub(iat.unix).unsigned_abs())
            );
        }
        if ago < RECENT_SECS {
            detail.push_str(
                " It expired only moments ago: if a fresh token fails too, check this \
                 computer's clock.",
            );
        }
        findings.push(
            Finding::new(Code::TokenExpired, detail)
                .title(format!("The token {}", exp.relative))
                .evidence("Expires (exp)", exp.readable.clone())
                .evidence("Now", utc_text(now_unix)),
        );
    }
    if let Some(nbf) = time("nbf").filter(|n| n.unix > now_unix) {
        let detail = format!(
            "The token's start time (nbf, 'not before') is {}: it {}. Until then the site \
             refuses it. When a token that was just issued is not valid yet, the clocks of its \
             issuer and of this computer or the site disagree by that much (clock skew).",
            nbf.readable, nbf.relative
        );
        findings.push(
            Finding::new(Code::TokenNotYetValid, detail)
                .title(format!("The token {}", nbf.relative))
                .evidence("Not before (nbf)", nbf.readable.clone())
                .evidence("Now", utc_text(now_unix)),
        );
    } else if let Some(iat) =
        time("iat").filter(|i| i.unix.saturating_sub(now_unix) > FUTURE_IAT_TOLERANCE_SECS)
    {
        let detail = format!(
            "The token says it was issued at {}, which is {} in the future. Its issuer's clock \
             and this computer's disagree (clock skew); some sites refuse such tokens.",
            iat.readable,
            span_text(iat.unix.saturating_sub(now_unix).unsigned_abs())
        );
        findings.push(
            Finding::new(Code::TokenNotYetValid, detail)
                .title("The token was issued in the future")
                .severity(Severity::Warning)
                .evidence("Issued at (iat)", iat.readable.clone())
                .evidence("Now", utc_text(now_unix)),
        );
    }
    if let (Some(site), Some(aud)) = (site, claims.get("aud"))
        && let Some(finding) = audience_finding(aud, site)
    {
        findings.push(finding);
    }
    findings.insert(
        0,
        decoded_finding(&header, &claims, &times, signature_len, findings.is_empty()),
    );
    TokenReport {
        kind: TokenKind::Jwt,
        header: Some(header),
        claims: Some(claims),
        times,
        findings,
    }
}

/// How one audience value compares with the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Audience {
    /// Names this site (same host).
    Matches,
    /// Names another web address or host.
    Differs,
    /// An identifier that is not an address ("account", `api://x`, a client id).
    Unknown,
}

fn compare_audience(aud: &str, site: &Url) -> Audience {
    let Some(site_host) = site
        .host_str()
        .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
    else {
        return Audience::Unknown;
    };
    let aud = aud.trim();
    let host = match Url::parse(aud) {
        Ok(url) if matches!(url.scheme(), "http" | "https" | "wss" | "ws") => {
            url.host_str().map(str::to_owned)
        }
        Ok(_) => None,
        Err(_) => {
            let looks_like_host = aud.contains('.')
                && !aud.contains(['/', ' ', ':', '@'])
                && aud
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                && aud.chars().any(|c| c.is_ascii_alphabetic());
            looks_like_host.then(|| aud.to_owned())
        }
    };
    match host {
        Some(h) if h.trim_end_matches('.').eq_ignore_ascii_case(&site_host) => Audience::Matches,
        Some(_) => Audience::Differs,
        None => Audience::Unknown,
    }
}

fn audience_finding(aud: &Value, site: &Url) -> Option<Finding> {
    let values: Vec<String> = match aud {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .take(50)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let verdicts: Vec<Audience> = values.iter().map(|a| compare_audience(a, site)).collect();
    if verdicts.is_empty()
        || verdicts.contains(&Audience::Matches)
        || !verdicts.contains(&Audience::Differs)
    {
        return None;
    }
    let origin = site.origin().ascii_serialization();
    let shown = shorten(&values.join(", "), 200);
    let detail = format!(
        "The token's audience (aud) is {shown}, which names neither this site's address \
         ({origin}) nor its host name. A site refuses tokens issued for someone else, unless it \
         was set up to expect exactly this audience (some services use a fixed identifier that \
         only looks like an address)."
    );
    Some(
        Finding::new(Code::TokenWrongAudience, detail)
            .evidence("Audience (aud)", shown)
            .evidence("This site", origin),
    )
}

fn decoded_finding(
    header: &Value,
    claims: &Value,
    times: &[TokenTime],
    signature_len: usize,
    no_problems: bool,
) -> Finding {
    let field = |v: &Value, k: &str| v.get(k).map(claim_text).filter(|s| !s.is_empty());
    let alg = field(header, "alg");
    let unsigned = alg
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case("none"));
    let mut detail = match (&alg, field(claims, "iss")) {
        (Some(alg), Some(iss)) => format!("This is a JWT signed with {alg} by {iss}."),
        (Some(alg), None) => {
            format!("This is a JWT signed with {alg}; it does not name its issuer.")
        }
        (None, Some(iss)) => format!("This is a JWT issued by {iss}."),
        (None, None) => "This is a JWT.".to_owned(),
    };
    if !times.is_empty() {
        let parts: Vec<String> = times
            .iter()
            .map(|t| format!("{} ({})", t.relative, t.readable))
            .collect();
        let _ = write!(detail, " Times: {}.", parts.join("; "));
    }
    if let Some(aud) = field(claims, "aud") {
        let _ = write!(detail, " It is meant for {aud}.");
    }
    let scope = ["scope", "scp", "roles", "permissions"]
        .iter()
        .find_map(|k| field(claims, k).map(|v| (*k, v)));
    if let Some((key, value)) = &scope {
        let _ = write!(detail, " Permissions ({key}): {value}.");
    }
    let looks_like_id_token = scope.is_none()
        && ["nonce", "at_hash", "c_hash"]
            .iter()
            .any(|k| claims.get(k).is_some());
    if looks_like_id_token {
        detail.push_str(
            " It looks like an ID token (it proves who signed in to an app) rather than an \
             access token; APIs usually refuse ID tokens.",
        );
    }
    if unsigned {
        detail.push_str(
            " It is not signed at all (alg \"none\"), so sites refuse it: anyone could have \
             written it.",
        );
    } else if signature_len == 0 {
        detail.push_str(" Its signature part is empty, so sites refuse it.");
    }
    for name in times.iter().map(|t| t.name.as_str()) {
        if let Some((unix, as_string)) = claims.get(name).and_then(numeric_date) {
            if unix > MILLISECONDS_THRESHOLD {
                let _ = write!(
                    detail,
                    " {name} looks like milliseconds; JWT times are in seconds, so sites read it \
                     as a date thousands of years away."
                );
            }
            if as_string {
                let _ = write!(
                    detail,
                    " {name} is written as text instead of a number, which many sites reject."
                );
            }
        }
    }
    detail.push_str(
        " AuthDoctor read it without checking the signature: only the site, with the issuer's \
         key, can tell whether it is genuine, so a token that looks fine here can still be \
         refused.",
    );
    let severity = if unsigned || signature_len == 0 || looks_like_id_token {
        Severity::Warning
    } else if no_problems {
        Severity::Ok
    } else {
        Severity::Info
    };
    let mut finding = Finding::new(Code::TokenDecoded, detail).severity(severity);
    if looks_like_id_token {
        finding = finding.first_step(
            "Send the access token, not the ID token: the app's sign-in usually returns both.",
        );
    }
    for (source, key, label) in [
        (header, "alg", "Algorithm (alg)"),
        (header, "kid", "Key id (kid)"),
        (claims, "iss", "Issuer (iss)"),
        (claims, "sub", "Subject (sub)"),
        (claims, "aud", "Audience (aud)"),
        (claims, "azp", "Client (azp)"),
        (claims, "client_id", "Client (client_id)"),
    ] {
        if let Some(value) = field(source, key) {
            finding = finding.evidence(label, value);
        }
    }
    if let Some((key, value)) = scope {
        finding = finding.evidence(format!("Permissions ({key})"), value);
    }
    for t in times {
        finding = finding.evidence(
            format!("{} ({})", claim_label(&t.name), t.name),
            format!("{} ({})", t.readable, t.relative),
        );
    }
    finding
}

fn claim_label(name: &str) -> &'static str {
    match name {
        "exp" => "Expires",
        "nbf" => "Valid from",
        "iat" => "Issued",
        "auth_time" => "Signed in",
        _ => "Time",
    }
}

#[cfg(test)]
mod tests;
