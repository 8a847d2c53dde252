//! How each practice scenario's server behaves: the exact answers a real site, plugin, CDN or
//! proxy would give. Keyed by the scenario `id` from `assets/lab/scenarios.toml`.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, Uri};
use base64::Engine as _;

use super::reply::reply;
use crate::lab::{LabState, Scenario};

const IDS: &[&str] = &[
    "basic-wrong-password",
    "digest-md5-wrong-password",
    "digest-sha256-stale",
    "bearer-invalid-token",
    "bearer-jwt-expired",
    "bearer-insufficient-scope",
    "no-challenge",
    "malformed-challenge",
    "cookie-shadowed",
    "cross-origin-redirect",
    "cdn-cached-401",
    "wordpress-lockout",
    "ip-allow-list",
    "typo-path",
    "clock-skew",
    "basic-over-http",
    "proxy-407",
    "redirect-loop",
];

/// True when a scenario id has a behaviour here.
#[must_use]
pub fn knows(id: &str) -> bool {
    IDS.contains(&id) || super::todays::IDS.contains(&id)
}

/// The lab's router: the index page and every scenario.
pub fn router(state: Arc<LabState>, scenarios: Vec<Scenario>) -> Router {
    let scenarios = Arc::new(scenarios);
    Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let state = state.clone();
        let scenarios = scenarios.clone();
        async move { answer(&state, &scenarios, &uri, &headers) }
    })
}

fn answer(
    state: &LabState,
    scenarios: &[Scenario],
    uri: &Uri,
    headers: &HeaderMap,
) -> Response<Body> {
    let path = uri.path();
    if path == "/" {
        return index(state, scenarios);
    }
    // `/case/N/rest`: the N-th scenario, with its own page below the case address.
    let Some(after) = path.strip_prefix("/case/") else {
        return reply(StatusCode::NOT_FOUND, &[], "Not found");
    };
    let (number, rest) = after.split_once('/').map_or((after, ""), |(n, r)| (n, r));
    let Some((scenario, number)) = number
        .parse::<usize>()
        .ok()
        .and_then(|n| Some((scenarios.get(n.checked_sub(1)?)?, n)))
    else {
        return reply(StatusCode::NOT_FOUND, &[], "No such case");
    };
    let req = Req {
        headers,
        state,
        base: crate::lab::case_base(number),
        rest: format!("/{rest}"),
    };
    let rest = req.rest.as_str();
    match scenario.id.as_str() {
        "basic-wrong-password" => basic(&req, "Staff area", "trainee", "correct-horse-battery"),
        "digest-md5-wrong-password" => digest(
            &req,
            "Camera portal",
            "MD5",
            "trainee",
            "camera-1243",
            false,
        ),
        "digest-sha256-stale" => {
            digest(&req, "Reports", "SHA-256", "trainee", "reports-2024", true)
        }
        "bearer-invalid-token" => bearer(&req, |_| {
            Some(("invalid_token", "The access token was revoked", None))
        }),
        "bearer-jwt-expired" => bearer(&req, |_| {
            Some(("invalid_token", "The access token expired", None))
        }),
        "bearer-insufficient-scope" => bearer(&req, |_| {
            Some((
                "insufficient_scope",
                "This report needs the admin:reports permission",
                Some("admin:reports"),
            ))
        }),
        "no-challenge" => reply(
            StatusCode::UNAUTHORIZED,
            &[("content-type", "text/html")],
            "<h1>401 Unauthorized</h1><p>You are not allowed to see this page.</p>",
        ),
        "malformed-challenge" => reply(
            StatusCode::UNAUTHORIZED,
            &[("www-authenticate", "Basic realm=\"Intranet")],
            "401",
        ),
        "cookie-shadowed" => cookie_shadowed(&req),
        "cross-origin-redirect" => cross_origin(&req),
        "cdn-cached-401" => reply(
            StatusCode::UNAUTHORIZED,
            &[
                ("www-authenticate", "Basic realm=\"Shop (old protection)\""),
                ("cache-control", "public, max-age=86400"),
                ("age", "4012"),
                ("x-cache", "HIT"),
                ("x-cache-hits", "318"),
                ("via", "1.1 varnish (Varnish/7.1)"),
                ("x-varnish", "88123 77201"),
            ],
            "401 Unauthorized",
        ),
        "wordpress-lockout" => wordpress_lockout(&req),
        "ip-allow-list" => reply(
            StatusCode::FORBIDDEN,
            &[("content-type", "text/html")],
            "<h1>Access denied</h1><p>Your IP address 127.0.0.1 is not allowed to access /admin/. \
             Only addresses on the allow list may sign in.</p>",
        ),
        "typo-path" if rest.starts_with("/members-area/") => {
            basic(&req, "Members", "trainee", "members-2024")
        }
        "typo-path" => reply(
            StatusCode::NOT_FOUND,
            &[("content-type", "text/html")],
            "<h1>404 Not Found</h1>",
        ),
        "clock-skew" => clock_skew(&req),
        "basic-over-http" => basic(&req, "Shared files", "trainee", "files-2024"),
        "proxy-407" => reply(
            StatusCode::PROXY_AUTHENTICATION_REQUIRED,
            &[("proxy-authenticate", "Basic realm=\"Library proxy\"")],
            "Proxy sign-in required",
        ),
        "redirect-loop" => {
            let next = if rest.ends_with("/login") {
                format!("{}/secure-login", req.base)
            } else {
                format!("{}/login", req.base)
            };
            reply(StatusCode::FOUND, &[("location", &next)], "")
        }
        id => super::todays::answer(id, req.header("authorization"), &req.base, rest, state.port)
            .unwrap_or_else(|| reply(StatusCode::NOT_FOUND, &[], "No such scenario")),
    }
}

struct Req<'a> {
    headers: &'a HeaderMap,
    state: &'a LabState,
    /// The case's address, `/case/N`.
    base: String,
    /// The path below it, starting with `/`.
    rest: String,
}

impl Req<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn basic(req: &Req<'_>, realm: &str, user: &str, password: &str) -> Response<Body> {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    );
    if req.header("authorization") == Some(expected.as_str()) {
        return reply(
            StatusCode::OK,
            &[("content-type", "text/html")],
            "<h1>Welcome</h1>",
        );
    }
    reply(
        StatusCode::UNAUTHORIZED,
        &[(
            "www-authenticate",
            &format!("Basic realm=\"{realm}\", charset=\"UTF-8\""),
        )],
        "<h1>401 Unauthorized</h1>",
    )
}

/// Digest sign-in, checked with the `digest_auth` crate. With `stale_first`, the nonce handed out
/// first is refused as stale (with a fresh one), as servers do when a nonce times out.
fn digest(
    req: &Req<'_>,
    realm: &str,
    algorithm: &str,
    user: &str,
    password: &str,
    stale_first: bool,
) -> Response<Body> {
    let challenge = |nonce: &str, stale: bool| {
        let mut c = format!(
            "Digest realm=\"{realm}\", qop=\"auth\", algorithm={algorithm}, nonce=\"{nonce}\", opaque=\"lab-opaque\""
        );
        if stale {
            c.push_str(", stale=true");
        }
        reply(
            StatusCode::UNAUTHORIZED,
            &[("www-authenticate", &c)],
            "401 Unauthorized",
        )
    };
    let Some(value) = req.header("authorization") else {
        return challenge("first-nonce", false);
    };
    let Ok(mut answer) = digest_auth::AuthorizationHeader::parse(value) else {
        return reply(
            StatusCode::BAD_REQUEST,
            &[],
            "Malformed Authorization header",
        );
    };
    if stale_first && answer.nonce == "first-nonce" {
        return challenge("fresh-nonce", true);
    }
    let sent = answer.response.clone();
    let context = digest_auth::AuthContext::new(user, password, answer.uri.clone());
    answer.digest(&context);
    if answer.response == sent && answer.username == user {
        reply(StatusCode::OK, &[], "<h1>Welcome</h1>")
    } else {
        challenge("first-nonce", false)
    }
}

type BearerError = Option<(&'static str, &'static str, Option<&'static str>)>;

fn bearer(req: &Req<'_>, verdict: impl Fn(&str) -> BearerError) -> Response<Body> {
    let Some(token) = req
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return reply(
            StatusCode::UNAUTHORIZED,
            &[("www-authenticate", "Bearer realm=\"practice-api\"")],
            "{\"error\":\"unauthorized\"}",
        );
    };
    match verdict(token) {
        None => reply(
            StatusCode::OK,
            &[("content-type", "application/json")],
            "{\"ok\":true}",
        ),
        Some((error, description, scope)) => {
            let mut value = format!(
                "Bearer realm=\"practice-api\", error=\"{error}\", error_description=\"{description}\""
            );
            if let Some(scope) = scope {
                let _ = write!(value, ", scope=\"{scope}\"");
            }
            let status = if error == "insufficient_scope" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            reply(
                status,
                &[("www-authenticate", &value)],
                "{\"error\":\"unauthorized\"}",
            )
        }
    }
}

/// The server reads only the first `session` cookie; the browser sends the more specific path's
/// (stale) one first.
fn cookie_shadowed(req: &Req<'_>) -> Response<Body> {
    if req.rest.starts_with("/login") {
        return reply(
            StatusCode::OK,
            &[("content-type", "text/html")],
            "<h1>Please sign in</h1>",
        );
    }
    let first_session = req.header("cookie").and_then(|c| {
        c.split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == "session")
            .map(|(_, value)| value.to_owned())
    });
    match first_session.as_deref() {
        None => reply(
            StatusCode::FOUND,
            &[("location", &format!("{}/login", req.base))],
            "",
        ),
        Some("fresh-5f2c") => reply(StatusCode::OK, &[], "<h1>Dashboard</h1>"),
        Some(_) => reply(
            StatusCode::UNAUTHORIZED,
            &[("content-type", "application/json")],
            "{\"error\":\"session expired\"}",
        ),
    }
}

fn cross_origin(req: &Req<'_>) -> Response<Body> {
    // The whole old address has moved, the case's own page included: only the login, at its new
    // address, asks for the password. A trainee who opens /case/10/ sees the same lesson.
    if !req.rest.starts_with("/login") {
        let location = format!("http://localhost:{}{}/login", req.state.port, req.base);
        return reply(StatusCode::FOUND, &[("location", &location)], "");
    }
    basic(req, "Club members", "trainee", "club-pass-9")
}

fn wordpress_lockout(req: &Req<'_>) -> Response<Body> {
    // Built from the lab's own address: the request's Host is the client's word, not ours.
    let link = format!(
        "<http://127.0.0.1:{}{}/wp-json/>; rel=\"https://api.w.org/\"",
        req.state.port, req.base
    );
    let page = format!(
        "<html><head><link rel='stylesheet' href='{}/wp-content/plugins/wordfence/css/main.css'></head>\
         <body><h1>Your access to this site has been limited by the site owner</h1>\
         <p>Too many failed login attempts. You have been locked out for 15 minutes.</p>\
         <p>Generated by Wordfence.</p></body></html>",
        req.base
    );
    reply(
        StatusCode::UNAUTHORIZED,
        &[
            ("content-type", "text/html; charset=UTF-8"),
            ("retry-after", "900"),
            ("link", &link),
            ("x-powered-by", "PHP/8.2"),
        ],
        &page,
    )
}

fn clock_skew(req: &Req<'_>) -> Response<Body> {
    let server_clock = req.state.started + Duration::from_secs(3 * 3600);
    let date = httpdate::fmt_http_date(server_clock);
    if req.header("authorization").is_none() {
        return reply(
            StatusCode::UNAUTHORIZED,
            &[
                ("www-authenticate", "Bearer realm=\"practice-api\""),
                ("date", &date),
            ],
            "",
        );
    }
    reply(
        StatusCode::UNAUTHORIZED,
        &[
            (
                "www-authenticate",
                "Bearer realm=\"practice-api\", error=\"invalid_token\", error_description=\"The token is not valid yet\"",
            ),
            ("date", &date),
        ],
        "",
    )
}

fn index(state: &LabState, scenarios: &[Scenario]) -> Response<Body> {
    let mut html = String::from(
        "<!doctype html><meta charset=utf-8><title>AuthDoctor practice lab</title>\
         <h1>AuthDoctor practice lab</h1><p>Check any of these addresses with AuthDoctor.</p><ol>",
    );
    for s in scenarios {
        let _ = write!(
            html,
            "<li><a href=\"{path}\">{title}</a>: http://127.0.0.1:{port}{path}</li>",
            path = escape(&s.path),
            title = escape(&s.title),
            port = state.port
        );
    }
    html.push_str("</ol>");
    reply(
        StatusCode::OK,
        &[("content-type", "text/html; charset=utf-8")],
        &html,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
