//! Which cookie names look like a sign-in session.

/// Name parts of cookies that are never a login (consent, analytics, CSRF, preferences).
pub(super) const NOT_LOGIN_PARTS: &[&str] = &[
    "csrf",
    "xsrf",
    "antiforgery",
    "consent",
    "cookieconsent",
    "wp-settings",
    "_ga",
    "_gid",
    "_fbp",
    "test_cookie",
    "tempdata",
    "language",
    "lang",
    "theme",
    "timezone",
];
/// Exact (lowercase) names of well-known login session cookies.
pub(super) const LOGIN_NAMES: &[&str] = &[
    "session",
    "sessionid",
    "session_id",
    "sid",
    "phpsessid",
    "jsessionid",
    "connect.sid",
    "asp.net_sessionid",
    ".aspxauth",
    ".aspxformsauth",
    "laravel_session",
    "ci_session",
    "cfid",
    "cftoken",
    "frontend",
    "adminhtml",
    "auth",
    "auth_token",
    "authtoken",
    "access_token",
    "id_token",
    "jwt",
    "token",
    "remember_token",
    "remember_me",
    "remember_user_token",
    "cf_authorization",
    "keycloak_session",
    "keycloak_identity",
    "_oauth2_proxy",
    "mod_auth_openidc_session",
    "next-auth.session-token",
    "authjs.session-token",
    "appsession",
    "_shibsession",
];
/// Name beginnings of well-known login session cookies.
pub(super) const LOGIN_PREFIXES: &[&str] = &[
    "wordpress_logged_in_",
    "wordpress_sec_",
    ".aspnetcore.",
    "awselbauthsessioncookie",
    "_shibsession_",
    "sess",
    "ssess",
    "joomla_user_state",
    "remember_web_",
    "remember_admin_",
    "wp_woocommerce_session_",
    "mod_auth_openidc",
];

/// True when a cookie name looks like a login session (`wordpress_logged_in_…`, `PHPSESSID`,
/// `JSESSIONID`, `connect.sid`, `…_session`, `.AspNetCore.Cookies`…).
#[must_use]
pub fn looks_like_login(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower
        .strip_prefix("__host-")
        .or_else(|| lower.strip_prefix("__secure-"))
        .unwrap_or(&lower);
    if NOT_LOGIN_PARTS.iter().any(|n| lower.contains(n)) {
        return false;
    }
    if LOGIN_NAMES.contains(&lower) {
        return true;
    }
    if LOGIN_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    // `wordpress_<hash>` is WordPress's own sign-in cookie for /wp-admin.
    if let Some(rest) = lower.strip_prefix("wordpress_") {
        if rest.len() >= 16 && rest.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    lower.ends_with("_session")
        || lower.ends_with("-session")
        || lower.ends_with(".session")
        || lower.ends_with("_sess")
        || lower.ends_with("sessid")
        || lower.ends_with("_sid")
        || lower.strip_suffix(".sid").is_some()
        || lower.ends_with("session-token")
        || lower.ends_with("_auth")
        || lower.contains("logged_in")
}
