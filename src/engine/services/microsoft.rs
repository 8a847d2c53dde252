//! Microsoft 365 and Entra ID: AADSTS sign-in errors and `x-ms-diagnostics` in plain words, and
//! Basic sign-in that Microsoft has switched off.

use super::host_of;
use crate::engine::challenge::Scheme;
use crate::engine::finding::{Code, Finding};
use crate::engine::probe::Exchange;
use crate::engine::text::shorten;

/// AADSTS codes in plain words: what happened, and what to do first.
const AADSTS: &[(&str, &str, &str)] = &[
    (
        "50126",
        "the user name or password is wrong",
        "Check the user name (your full work e-mail address) and the password; reset the password if you are unsure.",
    ),
    (
        "50034",
        "this account does not exist in the organisation's directory",
        "Check the spelling of the e-mail address, or ask IT whether the account exists in this organisation (tenant).",
    ),
    (
        "50053",
        "the account is locked: too many wrong passwords, or sign-ins from a suspicious address",
        "Wait a while (smart lockout ends by itself) or ask IT to unlock the account; do not keep retrying.",
    ),
    (
        "50057",
        "the account is disabled",
        "Ask IT to enable the account.",
    ),
    (
        "50055",
        "the password has expired",
        "Change the password (sign in at portal.office.com or myaccount.microsoft.com and follow the prompts).",
    ),
    (
        "50056",
        "the account has no password stored in the directory",
        "Ask IT how this account signs in (it may be federated or passwordless).",
    ),
    (
        "50076",
        "multi-factor authentication is required, and a password alone cannot do it",
        "Sign in interactively in a browser or an app that shows the second step; scripts need a modern sign-in (OAuth) that supports it.",
    ),
    (
        "50079",
        "the account must register for multi-factor authentication first",
        "Sign in once at aka.ms/mfasetup and set up the second step.",
    ),
    (
        "50074",
        "strong authentication is required",
        "Sign in interactively with your second step (authenticator app, SMS, key).",
    ),
    (
        "53003",
        "a Conditional Access policy of the organisation blocks this sign-in",
        "Ask IT which policy blocks it (the sign-in logs show it); it may require a managed device, a location or an app.",
    ),
    (
        "530003",
        "the organisation requires a managed (enrolled) device for this",
        "Sign in from a company device, or enrol this one as IT describes.",
    ),
    (
        "50105",
        "the account is not assigned to this application",
        "Ask the application's owner or IT to assign your account (or a group you are in) to the application.",
    ),
    (
        "50020",
        "this account is from another organisation and is not a guest here",
        "Sign in with an account of this organisation, or ask to be invited as a guest.",
    ),
    (
        "50058",
        "a silent sign-in was tried but nobody is signed in",
        "Sign in interactively again.",
    ),
    (
        "65001",
        "the application has not been given consent to the permissions it asks for",
        "Ask an administrator to grant consent for the application, or accept the consent prompt when it is shown.",
    ),
    (
        "700016",
        "the application (client ID) is not known in this organisation",
        "Check the application (client) ID and the tenant in the program's settings.",
    ),
    (
        "7000215",
        "the application's client secret is wrong",
        "Use the secret's value (not its ID) from the app registration, or create a new secret.",
    ),
    (
        "7000222",
        "the application's client secret has expired",
        "Create a new client secret in the app registration and put it in the program's settings.",
    ),
    (
        "50011",
        "the reply address does not match the application's registration",
        "Add this exact redirect URI to the app registration, or correct it in the program.",
    ),
    (
        "90002",
        "the organisation (tenant) was not found",
        "Check the tenant name or ID in the address or the program's settings.",
    ),
    (
        "700082",
        "the saved sign-in (refresh token) expired because it was not used for a long time",
        "Sign in again.",
    ),
    (
        "50173",
        "the saved sign-in is no longer valid because the password was changed or access was revoked",
        "Sign in again with the current password.",
    ),
    (
        "70008",
        "the sign-in code expired or was already used",
        "Start the sign-in again.",
    ),
    (
        "54005",
        "the sign-in code was already used",
        "Start the sign-in again.",
    ),
    (
        "500011",
        "the resource (the API the token is for) was not found in this organisation",
        "Check the resource or scope the program asks a token for.",
    ),
    (
        "50097",
        "device authentication is required",
        "Sign in from a registered device, or ask IT.",
    ),
];

/// AADSTS codes in a body, an `error_description`, or a challenge.
fn aadsts_codes(e: &Exchange) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let texts = std::iter::once(e.body_excerpt.as_str()).chain(e.headers_named("www-authenticate"));
    for text in texts {
        let mut rest = text;
        for _ in 0..20 {
            let Some(pos) = rest.find("AADSTS") else {
                break;
            };
            let after = rest.get(pos + 6..).unwrap_or_default();
            let digits: String = after
                .chars()
                .take_while(char::is_ascii_digit)
                .take(8)
                .collect();
            if digits.len() >= 4 && !out.iter().any(|(c, _)| *c == digits) {
                let line: String = rest
                    .get(pos..)
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| !matches!(c, '\n' | '"' | '<'))
                    .take(240)
                    .collect();
                out.push((digits, line.replace("\\r\\n", " ").trim().to_owned()));
            }
            rest = after;
        }
    }
    out
}

/// `x-ms-diagnostics: 2000008;reason="…";error_category="…"` read into (code, reason, category).
fn ms_diagnostics(e: &Exchange) -> Option<(String, String, String)> {
    let value = e.header("x-ms-diagnostics")?;
    let code: String = value.chars().take_while(char::is_ascii_digit).collect();
    let field = |name: &str| -> String {
        let key = format!("{name}=\"");
        value
            .find(&key)
            .and_then(|p| value.get(p + key.len()..))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    Some((
        code,
        shorten(&field("reason"), 240),
        field("error_category"),
    ))
}

/// True for an address of Microsoft 365 (Exchange Online, `SharePoint` Online, Graph, the sign-in).
#[must_use]
fn is_microsoft_365(url: &str) -> bool {
    let host = host_of(url);
    [
        "outlook.office365.com",
        "outlook.office.com",
        "smtp.office365.com",
        "graph.microsoft.com",
        "login.microsoftonline.com",
        "sharepoint.com",
        "ps.outlook.com",
        "autodiscover-s.outlook.com",
    ]
    .iter()
    .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

pub(super) fn microsoft_findings(e: &Exchange) -> Vec<Finding> {
    let mut out = Vec::new();
    for (code, line) in aadsts_codes(e).into_iter().take(3) {
        let known = AADSTS.iter().find(|(c, _, _)| *c == code);
        let (meaning, step) = known.map_or(
            (
                "Microsoft's sign-in service refused the sign-in".to_owned(),
                format!("Look the code up at login.microsoftonline.com/error?code={code}, or give it to IT with the time of the check."),
            ),
            |(_, m, s)| ((*m).to_owned(), (*s).to_owned()),
        );
        out.push(
            Finding::new(
                Code::MicrosoftSignInError,
                format!("Microsoft Entra ID (the sign-in of Microsoft 365 and Azure) refused the sign-in with error AADSTS{code}: {meaning}."),
            )
            .title(format!("Microsoft sign-in error AADSTS{code}: {meaning}"))
            .first_step(step)
            .evidence("Error code", format!("AADSTS{code}"))
            .evidence("It said", line),
        );
    }
    if let Some((code, reason, category)) = ms_diagnostics(e) {
        let plain = match category.as_str() {
            "invalid_token" => {
                "the token is not valid for this service (wrong audience, no signature, expired)"
            }
            "invalid_user" => "the user named in the token does not exist here or has no mailbox",
            "invalid_resource" => "the token was issued for another service",
            "expired_token" => "the token has expired",
            "invalid_signature" => "the token's signature does not check out",
            _ => "the Microsoft service refused the sign-in",
        };
        out.push(
            Finding::new(
                Code::MicrosoftSignInError,
                format!("The Microsoft service explained its 401 in its x-ms-diagnostics header: {plain}. It said: \"{reason}\"."),
            )
            .title(format!("Microsoft says why: {plain}"))
            .first_step("Get a token for this exact service (for Exchange Online the resource https://outlook.office365.com, for Graph https://graph.microsoft.com) for the right user, and send it as Authorization: Bearer.")
            .evidence("x-ms-diagnostics code", code)
            .evidence("error_category", category)
            .evidence("reason", reason),
        );
    }
    out
}

/// `microsoft-basic-retired`: Basic sign-in (a user name and password sent as they are) to Microsoft
/// 365, which Microsoft switched off for Exchange Online and most of its services.
#[must_use]
pub fn basic_retired(url: &str, scheme: &str, status: u16) -> Option<Finding> {
    if !is_microsoft_365(url) || Scheme::parse(scheme) != Scheme::Basic || status != 401 {
        return None;
    }
    Some(
        Finding::new(
            Code::MicrosoftBasicRetired,
            format!(
                "AuthDoctor sent your user name and password with Basic sign-in to {} and it was \
                 refused. Microsoft has switched Basic sign-in off for Exchange Online (EWS, \
                 ActiveSync, POP, IMAP, Autodiscover, PowerShell) and most of Microsoft 365: even \
                 the right password is refused this way. It is not a wrong password.",
                host_of(url)
            ),
        )
        .evidence("Address", url.to_owned())
        .evidence("Sign-in method sent", "Basic"),
    )
}
