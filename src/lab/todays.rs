//! The practice cases of today's 401s (issue 17), each replaying a product's real answer as its
//! documentation shows it: oauth2-proxy's redirect to its sign-in, AWS API Gateway's
//! `UnauthorizedException`, an API that asks the browser's preflight for a password, IIS with
//! Windows sign-in (its NTLM message included), and a Docker registry's token exchange.

use axum::body::Body;
use axum::http::{Response, StatusCode};

use super::reply::reply;

/// The ids of the cases here.
pub const IDS: &[&str] = &[
    "oauth2-proxy-sign-in",
    "aws-api-gateway-no-token",
    "preflight-asks-for-password",
    "iis-windows-sign-in",
    "registry-token-exchange",
];

/// The type 2 message of the NTLM documentation's example exchange (target DOMAIN, server SERVER),
/// as IIS answers the client's negotiate message.
const NTLM_TYPE2: &str = "TlRMTVNTUAACAAAADAAMADAAAAABAoEAASNFZ4mrze8AAAAAAAAAAGIAYgA8AAAARABPAE0AQQBJAE4AAgAMAEQATwBNAEEASQBOAAEADABTAEUAUgBWAEUAUgAEABQAZABvAG0AYQBpAG4ALgBjAG8AbQADACIAcwBlAHIAdgBlAHIALgBkAG8AbQBhAGkAbgAuAGMAbwBtAAAAAAA=";

/// What a case of `id` answers; `authorization` is the request's header, `base` the case's
/// address (`/case/N`), `rest` the path below it, `port` the lab's.
pub fn answer(
    id: &str,
    authorization: Option<&str>,
    base: &str,
    rest: &str,
    port: u16,
) -> Option<Response<Body>> {
    Some(match id {
        "oauth2-proxy-sign-in" if rest.starts_with("/oauth2/sign_in") => reply(
            StatusCode::FORBIDDEN,
            &[("content-type", "text/html; charset=utf-8")],
            "<!DOCTYPE html><html><head><title>Sign In</title></head><body>\
             <form method=\"GET\" action=\"/oauth2/start\"><button type=\"submit\">Sign in with Google</button></form>\
             <footer>Secured with <a href=\"https://github.com/oauth2-proxy/oauth2-proxy#oauth2_proxy\">OAuth2 Proxy</a> version v7.6.0</footer></body></html>",
        ),
        "oauth2-proxy-sign-in" => reply(
            StatusCode::FOUND,
            &[
                (
                    "location",
                    &format!("{base}/oauth2/sign_in?rd=%2Fdashboard%2F"),
                ),
                (
                    "set-cookie",
                    "_oauth2_proxy_csrf=lab-csrf; Path=/; HttpOnly; SameSite=Lax",
                ),
            ],
            "",
        ),
        "aws-api-gateway-no-token" => reply(
            StatusCode::UNAUTHORIZED,
            &[
                ("content-type", "application/json"),
                ("x-amzn-errortype", "UnauthorizedException"),
                ("x-amzn-requestid", "7a1f0c2e-4b3d-4e5f-9a8b-1c2d3e4f5a6b"),
                ("x-amz-apigw-id", "LabGwId1234="),
            ],
            "{\"message\":\"Unauthorized\"}",
        ),
        // Every method, the preflight's OPTIONS too, must sign in: browsers never sign a preflight.
        "preflight-asks-for-password" => reply(
            StatusCode::UNAUTHORIZED,
            &[
                ("www-authenticate", "Basic realm=\"Orders API\""),
                ("content-type", "text/html"),
            ],
            "<h1>401 Authorization Required</h1>",
        ),
        "iis-windows-sign-in"
            if authorization.is_some_and(|a| a.starts_with("NTLM TlRMTVNTUAAB")) =>
        {
            reply(
                StatusCode::UNAUTHORIZED,
                &[
                    ("server", "Microsoft-IIS/10.0"),
                    ("www-authenticate", &format!("NTLM {NTLM_TYPE2}")),
                    ("x-powered-by", "ASP.NET"),
                ],
                "",
            )
        }
        "iis-windows-sign-in" => reply(
            StatusCode::UNAUTHORIZED,
            &[
                ("content-type", "text/html"),
                ("server", "Microsoft-IIS/10.0"),
                ("www-authenticate", "Negotiate"),
                ("www-authenticate", "NTLM"),
                ("x-powered-by", "ASP.NET"),
            ],
            "<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 401.2 - Unauthorized</title></head>\
             <body><div id=\"content\"><h3>HTTP Error 401.2 - Unauthorized</h3>\
             <h4>You are not authorized to view this page due to invalid authentication headers.</h4></div></body></html>",
        ),
        "registry-token-exchange" => reply(
            StatusCode::UNAUTHORIZED,
            &[
                ("content-type", "application/json"),
                ("docker-distribution-api-version", "registry/2.0"),
                (
                    "www-authenticate",
                    &format!(
                        "Bearer realm=\"http://127.0.0.1:{port}{base}/token\",service=\"lab-registry\",scope=\"repository:team/app:pull\""
                    ),
                ),
            ],
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":[{\"Type\":\"repository\",\"Class\":\"\",\"Name\":\"team/app\",\"Action\":\"pull\"}]}]}\n",
        ),
        _ => return None,
    })
}
