//! WordPress: what its REST error codes mean for signing in, and the advice for each.

use super::{Code, Detected, Exchange, Finding, MAX_JSON_BYTES, path_of};

/// A WordPress error code from a JSON answer (`{"code":"rest_not_logged_in", …}`).
#[derive(Clone, Debug)]
pub(super) struct RestCode {
    pub(super) code: String,
    pub(super) status: u16,
    pub(super) url: String,
    /// True when our request carried an `Authorization` header.
    pub(super) sent_authorization: bool,
}

/// WordPress error codes that are not `rest_…` but come from its sign-in.
pub(super) const WORDPRESS_AUTH_CODES: &[&str] = &[
    "incorrect_password",
    "invalid_username",
    "invalid_email",
    "application_passwords_disabled",
    "application_passwords_disabled_for_user",
];

pub(super) fn json_body(exchange: &Exchange) -> Option<serde_json::Value> {
    let text = exchange.body_excerpt.trim();
    if !text.starts_with('{') || text.len() > MAX_JSON_BYTES {
        return None;
    }
    serde_json::from_str(text).ok()
}

pub(super) fn rest_code(exchange: &Exchange) -> Option<RestCode> {
    let value = json_body(exchange)?;
    let code = value.get("code")?.as_str()?;
    let looks_wordpress = code.starts_with("rest_")
        || (WORDPRESS_AUTH_CODES.contains(&code) && exchange.url.contains("/wp-json"));
    if !looks_wordpress || code.len() > 80 {
        return None;
    }
    Some(RestCode {
        code: code.to_owned(),
        status: exchange.status,
        url: exchange.url.clone(),
        sent_authorization: exchange
            .request_headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("authorization")),
    })
}

/// From the REST API index (`/wp-json/`): are application passwords offered?
pub(super) fn application_passwords_offered(exchange: &Exchange) -> Option<bool> {
    let value = json_body(exchange)?;
    value.get("namespaces")?;
    let offered = value
        .get("authentication")
        .and_then(|a| a.get("application-passwords"))
        .is_some();
    Some(offered)
}

/// What a WordPress error code means, and the step it calls for.
pub(super) fn rest_advice(code: &RestCode) -> (String, String) {
    let c = code.code.as_str();
    match c {
        "rest_not_logged_in" if code.sent_authorization => (
            "The REST API answered rest_not_logged_in although a sign-in was sent: the web \
             server most likely dropped the Authorization header before WordPress saw it \
             (common when PHP runs as CGI or FastCGI)."
                .to_owned(),
            "Add `SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1` to the .htaccess in \
             the WordPress folder (or ask your host to pass the Authorization header to PHP), \
             then try again."
                .to_owned(),
        ),
        "rest_not_logged_in" => (
            "The REST API answered rest_not_logged_in: the request carried no WordPress sign-in \
             that WordPress accepted. Being signed in in a browser is not enough for an app or \
             script: it needs an application password."
                .to_owned(),
            "Create an application password (Users → Profile → Application Passwords) and send \
             it with your WordPress user name, over https."
                .to_owned(),
        ),
        "rest_cookie_invalid_nonce" => (
            "The REST API answered rest_cookie_invalid_nonce: the sign-in cookie came with a \
             missing or expired security code (nonce). This happens when a page stays open for \
             a long time or is served from a page cache."
                .to_owned(),
            "Reload the page or sign out and in again; if you run the site, keep /wp-json/ and \
             signed-in pages out of the page cache."
                .to_owned(),
        ),
        "rest_disabled" | "rest_cannot_access" | "rest_login_required" => (
            format!(
                "The REST API answered {c}: a plugin or setting only lets signed-in users use \
                 the REST API."
            ),
            "Check the security plugin's REST API setting (or a 'Disable REST API' plugin) and \
             allow the route your app needs, or sign in with an application password."
                .to_owned(),
        ),
        "incorrect_password" => (
            "WordPress refused the password. For the REST API it must be an application \
             password, not the normal sign-in password."
                .to_owned(),
            "Create an application password (Users → Profile → Application Passwords) and use \
             it with your user name."
                .to_owned(),
        ),
        "invalid_username" | "invalid_email" => (
            format!("WordPress answered {c}: it does not know this user."),
            "Check the user name in Users → All Users.".to_owned(),
        ),
        "application_passwords_disabled" | "application_passwords_disabled_for_user" => (
            format!(
                "WordPress answered {c}: application passwords are turned off. WordPress turns \
                 them off on sites without https, and security plugins can turn them off too."
            ),
            "Use the https address of the site; if it already is https, look for an \
             application password setting in the security plugins."
                .to_owned(),
        ),
        c if c.starts_with("rest_cannot_") || c == "rest_forbidden" => (
            format!(
                "The REST API answered {c}: the account used (or an anonymous visitor) is not \
                 allowed to do this; its role lacks the permission."
            ),
            "Sign in with an account whose role allows this (for example Editor or \
             Administrator), or ask an administrator to change the role."
                .to_owned(),
        ),
        "rest_no_route" => (
            "The REST API answered rest_no_route: no such address exists in the API. The \
             address is wrong or the plugin that provides it is inactive."
                .to_owned(),
            "Check the address of the API route and that the plugin providing it is active."
                .to_owned(),
        ),
        c => (
            format!("The REST API answered {c}."),
            "Look up this error code in the documentation of WordPress or of the plugin that \
             provides the route."
                .to_owned(),
        ),
    }
}

pub(super) fn wordpress_finding(
    cms: &Detected,
    rest_codes: &[RestCode],
    app_passwords: Option<bool>,
) -> Finding {
    let signs = cms
        .evidence
        .iter()
        .map(|(label, _)| label.as_str())
        .take(3)
        .collect::<Vec<_>>()
        .join(", ");
    let mut detail = format!("Signs of WordPress were found ({signs}).");
    let mut steps = Vec::new();
    for code in rest_codes {
        let (sentence, step) = rest_advice(code);
        detail.push(' ');
        detail.push_str(&sentence);
        if !steps.contains(&step) {
            steps.push(step);
        }
    }
    match app_passwords {
        Some(true) => detail
            .push_str(" The REST API offers application passwords, so apps can sign in with one."),
        Some(false) => detail.push_str(
            " The REST API does not offer application passwords: WordPress turns them off on \
             sites without https, and security plugins can turn them off.",
        ),
        None => {}
    }
    let mut finding = Finding::new(Code::WordpressDetected, detail);
    for step in steps.into_iter().rev() {
        finding = finding.first_step(step);
    }
    for (label, value) in &cms.evidence {
        finding = finding.evidence(label.clone(), value.clone());
    }
    for code in rest_codes {
        finding = finding.evidence(
            format!(
                "WordPress error code ({} at {})",
                code.status,
                path_of(&code.url)
            ),
            code.code.clone(),
        );
    }
    finding
}
