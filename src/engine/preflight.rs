//! The browser's CORS preflight, on request (`--origin`): a page's script on another site that
//! calls this address with a sign-in first makes the browser send `OPTIONS` with `Origin`,
//! `Access-Control-Request-Method` and `Access-Control-Request-Headers: authorization`. When
//! that is answered 401 or with a redirect, or the 401 itself carries no
//! `Access-Control-Allow-Origin`, the script only sees "CORS error": this module says what the
//! browser makes of the answers.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::probe::{self, Exchange, Failure, Net, Purpose, RequestPlan};

/// What the browser makes of the preflight and of the answer to the script's request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The preflight passes and the script can read the answer.
    #[default]
    Passes,
    /// `OPTIONS` itself is answered 401 or 403: the browser never sends a sign-in with it.
    NeedsSignIn,
    /// `OPTIONS` is answered with a redirect, which browsers do not follow for a preflight.
    Redirected,
    /// The preflight does not allow the `Authorization` header, so the sign-in cannot be sent.
    AuthorizationNotAllowed,
    /// The answer to the script's request is a 401 without `Access-Control-Allow-Origin`: the
    /// script sees "CORS error", never the 401.
    AnswerHidden,
    /// The preflight failed for another reason (an error status).
    Refused,
    /// The page's origin is not allowed at all.
    OriginNotAllowed,
    /// No answer came to the preflight.
    NoAnswer,
}

impl Verdict {
    /// True when the trouble is about the sign-in (`preflight-needs-auth`).
    #[must_use]
    pub fn about_sign_in(self) -> bool {
        matches!(
            self,
            Verdict::NeedsSignIn
                | Verdict::Redirected
                | Verdict::AuthorizationNotAllowed
                | Verdict::AnswerHidden
        )
    }
}

/// The preflight probe and its reading.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreflightReport {
    /// The page's origin, as the browser sends it.
    pub origin: String,
    /// The address the script calls.
    pub url: String,
    /// The status of the `OPTIONS` answer.
    pub preflight_status: Option<u16>,
    /// Why no answer came to it.
    #[serde(default)]
    pub preflight_error: Option<String>,
    /// Its `Access-Control-Allow-Origin`.
    pub allow_origin: Option<String>,
    /// Its `Access-Control-Allow-Headers`.
    pub allow_headers: Option<String>,
    /// Its `Access-Control-Allow-Methods`.
    pub allow_methods: Option<String>,
    /// Its `Access-Control-Allow-Credentials`.
    pub allow_credentials: Option<String>,
    /// The status of the script's own request (with `Origin`, no sign-in).
    pub request_status: Option<u16>,
    /// That answer's `Access-Control-Allow-Origin`.
    pub request_allow_origin: Option<String>,
    /// What the browser makes of it.
    pub verdict: Verdict,
    /// The same, in words.
    pub browser_says: String,
}

/// The page's origin from what the user typed (`https://app.example.com/page` → its origin).
pub fn origin_of(text: &str) -> Result<String, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("not a web address ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err("it must start with https:// or http:// and name a site".to_owned());
    }
    Ok(url.origin().ascii_serialization())
}

/// Sends the preflight and the script's request to `url` as the page at `origin` would.
pub async fn probe(net: &Net, url: &Url, origin: &str) -> PreflightReport {
    let preflight = RequestPlan {
        method: Some(reqwest::Method::OPTIONS),
        extra_headers: vec![
            ("origin".to_owned(), origin.to_owned()),
            ("access-control-request-method".to_owned(), "GET".to_owned()),
            (
                "access-control-request-headers".to_owned(),
                "authorization".to_owned(),
            ),
        ],
        purpose: Purpose::Preflight,
        ..RequestPlan::default()
    };
    let request = RequestPlan {
        extra_headers: vec![("origin".to_owned(), origin.to_owned())],
        purpose: Purpose::CorsRequest,
        ..RequestPlan::default()
    };
    let (first, second) = tokio::join!(
        probe::send_plan(net, url, &preflight),
        probe::send_plan(net, url, &request)
    );
    judge(origin, url, first.as_ref(), second.ok().as_ref())
}

fn allows_origin(value: Option<&str>, origin: &str) -> bool {
    value.is_some_and(|v| v.trim() == "*" || v.trim().eq_ignore_ascii_case(origin))
}

/// Reads the two answers as the browser does (the Fetch standard's CORS check).
#[must_use]
pub fn judge(
    origin: &str,
    url: &Url,
    preflight: Result<&Exchange, &Failure>,
    request: Option<&Exchange>,
) -> PreflightReport {
    let mut report = PreflightReport {
        origin: origin.to_owned(),
        url: url.to_string(),
        ..PreflightReport::default()
    };
    if let Some(r) = request {
        report.request_status = Some(r.status);
        report.request_allow_origin = r.header("access-control-allow-origin").map(str::to_owned);
    }
    let answer = match preflight {
        Ok(a) => a,
        Err(failure) => {
            report.preflight_error = Some(failure.summary());
            report.verdict = Verdict::NoAnswer;
            report.browser_says = format!(
                "The preflight got no answer ({}): the browser reports a network or CORS error.",
                failure.summary()
            );
            return report;
        }
    };
    let h = |name: &str| answer.header(name).map(str::to_owned);
    report.preflight_status = Some(answer.status);
    report.allow_origin = h("access-control-allow-origin");
    report.allow_headers = h("access-control-allow-headers");
    report.allow_methods = h("access-control-allow-methods");
    report.allow_credentials = h("access-control-allow-credentials");
    let status = answer.status;
    let allows_authorization = report.allow_headers.as_deref().is_some_and(|v| {
        // `*` never covers Authorization (Fetch standard): it must be named.
        v.split(',')
            .any(|n| n.trim().eq_ignore_ascii_case("authorization"))
    });
    let (verdict, says) = if (300..400).contains(&status) {
        (
            Verdict::Redirected,
            format!(
                "The preflight (OPTIONS) is answered {status}, a redirect{}. Browsers never follow \
                 a redirect for a preflight: the script gets \"CORS error\" and its request is \
                 never sent. Often the redirect goes to a sign-in page, because OPTIONS is treated \
                 like any request that is not signed in.",
                answer
                    .header("location")
                    .map(|l| format!(" to {l}"))
                    .unwrap_or_default()
            ),
        )
    } else if matches!(status, 401 | 403 | 407) {
        (
            Verdict::NeedsSignIn,
            format!(
                "The preflight (OPTIONS) is answered {status}. Browsers never send a sign-in or \
                 cookies with a preflight, so the server must answer OPTIONS without one; instead \
                 it asks for a sign-in, the browser reports \"CORS error\", and the real request \
                 with the sign-in is never sent."
            ),
        )
    } else if !(200..300).contains(&status) {
        (
            Verdict::Refused,
            format!(
                "The preflight (OPTIONS) is answered {status}: browsers need a 2xx answer to it, \
                 so the script gets \"CORS error\" and its request is never sent."
            ),
        )
    } else if !allows_origin(report.allow_origin.as_deref(), origin) {
        (
            Verdict::OriginNotAllowed,
            format!(
                "The preflight answers {status} but {}: the browser does not let the page at \
                 {origin} call this address.",
                report.allow_origin.as_deref().map_or_else(
                    || "without Access-Control-Allow-Origin".to_owned(),
                    |v| format!("allows only the origin {v}")
                )
            ),
        )
    } else if !allows_authorization {
        (
            Verdict::AuthorizationNotAllowed,
            format!(
                "The preflight answers {status} and allows the page's origin, but its \
                 Access-Control-Allow-Headers ({}) does not name Authorization (a * does not \
                 cover it): the browser refuses to send the request with the sign-in.",
                report.allow_headers.as_deref().unwrap_or("missing")
            ),
        )
    } else if let Some(r) = request.filter(|r| r.status == 401)
        && !allows_origin(report.request_allow_origin.as_deref(), origin)
    {
        (
            Verdict::AnswerHidden,
            format!(
                "The preflight passes, but the address answers the request {} without \
                 Access-Control-Allow-Origin: the browser hides that answer from the script, which \
                 sees \"CORS error\" instead of the 401 that says a sign-in is needed.",
                r.status
            ),
        )
    } else {
        (
            Verdict::Passes,
            format!(
                "The preflight answers {status}, allows the page at {origin} and the \
                 Authorization header: the browser sends the request with the sign-in, and the \
                 script can read the answer."
            ),
        )
    };
    report.verdict = verdict;
    report.browser_says = says;
    report
}

/// `preflight-needs-auth` when the trouble is the sign-in, otherwise `preflight-checked` saying
/// what the browser makes of it.
#[must_use]
pub fn findings(report: &PreflightReport) -> Vec<Finding> {
    let base = |f: Finding| {
        let mut f = f
            .evidence("Page (Origin)", report.origin.clone())
            .evidence("Address", report.url.clone());
        if let Some(s) = report.preflight_status {
            f = f.evidence("OPTIONS answered", s.to_string());
        }
        for (label, value) in [
            ("Access-Control-Allow-Origin", &report.allow_origin),
            ("Access-Control-Allow-Headers", &report.allow_headers),
            ("Access-Control-Allow-Methods", &report.allow_methods),
            (
                "Access-Control-Allow-Credentials",
                &report.allow_credentials,
            ),
        ] {
            f = f.evidence(label, value.clone().unwrap_or_else(|| "(none)".to_owned()));
        }
        if let Some(s) = report.request_status {
            f = f
                .evidence("The request itself answered", s.to_string())
                .evidence(
                    "Its Access-Control-Allow-Origin",
                    report
                        .request_allow_origin
                        .clone()
                        .unwrap_or_else(|| "(none)".to_owned()),
                );
        }
        f
    };
    if report.verdict.about_sign_in() {
        let mut f = base(Finding::new(
            Code::PreflightNeedsAuth,
            report.browser_says.clone(),
        ));
        let first = match report.verdict {
            Verdict::NeedsSignIn | Verdict::Redirected => {
                "If you run the site: answer OPTIONS requests before the sign-in check (nginx: `if ($request_method = OPTIONS) { return 204; }` with the CORS headers, before auth_basic or auth_request; Apache: `<LimitExcept OPTIONS> Require valid-user </LimitExcept>`; a framework: put the CORS middleware before the authentication middleware)."
            }
            Verdict::AuthorizationNotAllowed => {
                "If you run the site: add Authorization to Access-Control-Allow-Headers in the answer to OPTIONS (name it: a * does not cover it)."
            }
            _ => {
                "If you run the site: send Access-Control-Allow-Origin (and the other CORS headers) on error answers too, 401 included, so the page's script can see it must sign in (nginx: add_header … always)."
            }
        };
        f = f.first_step(first);
        return vec![f];
    }
    let severity = match report.verdict {
        Verdict::Passes => Severity::Ok,
        _ => Severity::Warning,
    };
    vec![
        base(Finding::new(
            Code::PreflightChecked,
            report.browser_says.clone(),
        ))
        .severity(severity),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://api.example.com/data").unwrap_or_else(|e| panic!("{e}"))
    }

    const PAGE: &str = "https://app.example.com";

    #[test]
    fn an_options_answered_401_needs_a_sign_in_the_browser_never_sends() {
        let answer = Exchange::for_test(url().as_str(), 401, &[("www-authenticate", "Basic")], "");
        let report = judge(PAGE, &url(), Ok(&answer), None);
        assert_eq!(report.verdict, Verdict::NeedsSignIn);
        assert_eq!(findings(&report)[0].code, Code::PreflightNeedsAuth);
    }

    #[test]
    fn a_wildcard_allow_headers_does_not_cover_authorization() {
        let answer = Exchange::for_test(
            url().as_str(),
            204,
            &[
                ("access-control-allow-origin", PAGE),
                ("access-control-allow-headers", "*"),
            ],
            "",
        );
        let report = judge(PAGE, &url(), Ok(&answer), None);
        assert_eq!(report.verdict, Verdict::AuthorizationNotAllowed);
    }

    #[test]
    fn a_401_without_allow_origin_is_hidden_from_the_script() {
        let ok = Exchange::for_test(
            url().as_str(),
            204,
            &[
                ("access-control-allow-origin", "*"),
                (
                    "access-control-allow-headers",
                    "Content-Type, Authorization",
                ),
            ],
            "",
        );
        let denied = Exchange::for_test(url().as_str(), 401, &[], "");
        assert_eq!(
            judge(PAGE, &url(), Ok(&ok), Some(&denied)).verdict,
            Verdict::AnswerHidden
        );
        let shown = Exchange::for_test(
            url().as_str(),
            401,
            &[("access-control-allow-origin", PAGE)],
            "",
        );
        let report = judge(PAGE, &url(), Ok(&ok), Some(&shown));
        assert_eq!(report.verdict, Verdict::Passes);
        assert_eq!(findings(&report)[0].code, Code::PreflightChecked);
    }

    #[test]
    fn the_origin_is_read_from_a_page_address() {
        assert_eq!(
            origin_of("https://app.example.com/page?x=1").as_deref(),
            Ok("https://app.example.com")
        );
        assert!(origin_of("app.example.com").is_err());
    }
}
