//! Which follow-up requests a check sends after the first answer: a pure decision from what that
//! answer showed, so each choice can be tested without a server.

use url::Url;

use crate::engine::cache;
use crate::engine::challenge::Scheme;
use crate::engine::finding::Code;
use crate::engine::fingerprint;
use crate::engine::probe::Exchange;

/// What the first answer tells about which follow-up requests are worth sending.
pub(super) struct FollowUpContext<'a> {
    pub(super) last: &'a Exchange,
    pub(super) exchanges: &'a [Exchange],
    pub(super) start: &'a Url,
    pub(super) crossed_origin: bool,
    pub(super) has_credentials: bool,
    pub(super) has_cookies: bool,
}

/// The follow-up requests of a check, each only when the first answer gives a reason.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct FollowUps {
    /// Answer the 401's challenge with the user's details (never on another origin).
    pub(super) test_credentials: bool,
    /// The same address without the user's cookies.
    pub(super) retest_without_cookies: bool,
    /// Past any cache, when the answer shows a cache or may be stored by one.
    pub(super) bust_cache: bool,
    /// WordPress pages, when the answer hints at WordPress or PHP.
    pub(super) harmless_paths: &'static [&'static str],
    /// The https version of an http address that asks for a password.
    pub(super) https_check: Option<Url>,
}

pub(super) fn plan_follow_ups(c: &FollowUpContext<'_>) -> FollowUps {
    let status = c.last.status;
    let final_url = Url::parse(&c.last.url).ok();
    let refused = matches!(status, 401 | 403 | 429);
    let asks_password = c
        .last
        .challenges()
        .challenges
        .iter()
        .any(|ch| matches!(ch.kind(), Scheme::Basic | Scheme::Digest));
    FollowUps {
        test_credentials: status == 401 && c.has_credentials && !c.crossed_origin,
        retest_without_cookies: c.has_cookies,
        bust_cache: matches!(status, 401 | 403) && cache::worth_busting(c.last),
        harmless_paths: if refused && fingerprint::hints_at_wordpress(c.exchanges) {
            fingerprint::harmless_probe_paths()
        } else {
            &[]
        },
        https_check: final_url
            .filter(|u| u.scheme() == "http" && status == 401 && asks_password)
            .filter(|u| u.origin() == c.start.origin())
            .and_then(|u| {
                let mut https = u;
                https.set_scheme("https").ok()?;
                if https.port() == Some(80) {
                    https.set_port(None).ok()?;
                }
                Some(https)
            })
            .filter(|u| u.port().is_none()),
    }
}

pub(super) fn is_token_reason(code: Code) -> bool {
    matches!(
        code,
        Code::TokenExpired
            | Code::TokenNotYetValid
            | Code::TokenWrongAudience
            | Code::TokenWrongIssuer
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer with these headers; `WWW-Authenticate` lines also go where the challenge parser
    /// reads them, as a live answer has them.
    fn answer(url: &str, status: u16, headers: &[(&str, &str)]) -> Exchange {
        let mut e = Exchange::for_test(url, status, headers, "");
        e.www_authenticate_raw = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.as_bytes().to_vec())
            .collect();
        e
    }

    fn plan(last: &Exchange, start: &str, has_credentials: bool, has_cookies: bool) -> FollowUps {
        let start = Url::parse(start).unwrap_or_else(|e| panic!("{e}"));
        plan_follow_ups(&FollowUpContext {
            last,
            exchanges: std::slice::from_ref(last),
            start: &start,
            crossed_origin: false,
            has_credentials,
            has_cookies,
        })
    }

    const BASIC: (&str, &str) = ("WWW-Authenticate", "Basic realm=\"members\"");

    #[test]
    fn a_basic_challenge_with_credentials_plans_a_signed_in_request() {
        let last = answer("https://example.com/", 401, &[BASIC]);
        let p = plan(&last, "https://example.com/", true, false);
        assert!(p.test_credentials);
        assert!(!p.retest_without_cookies);
        assert!(!p.bust_cache, "no cache header, nothing to bust");
        assert!(p.harmless_paths.is_empty());
        assert_eq!(p.https_check, None, "already https");
    }

    #[test]
    fn without_credentials_no_signed_in_request_is_planned() {
        let last = answer("https://example.com/", 401, &[BASIC]);
        assert_eq!(
            plan(&last, "https://example.com/", false, false),
            FollowUps::default()
        );
    }

    #[test]
    fn credentials_are_never_sent_to_another_origin_or_to_an_open_page() {
        let last = answer("https://other.example/", 401, &[BASIC]);
        let start = Url::parse("https://example.com/").unwrap_or_else(|e| panic!("{e}"));
        let crossed = plan_follow_ups(&FollowUpContext {
            last: &last,
            exchanges: std::slice::from_ref(&last),
            start: &start,
            crossed_origin: true,
            has_credentials: true,
            has_cookies: false,
        });
        assert!(!crossed.test_credentials);
        let open = answer("https://example.com/", 200, &[]);
        assert!(!plan(&open, "https://example.com/", true, false).test_credentials);
    }

    #[test]
    fn cookies_plan_a_request_without_them() {
        let open = answer("https://example.com/", 200, &[]);
        assert!(plan(&open, "https://example.com/", false, true).retest_without_cookies);
    }

    #[test]
    fn a_refusal_that_a_cache_may_hold_plans_a_request_past_it() {
        let cached = answer("https://example.com/", 401, &[BASIC, ("Age", "120")]);
        assert!(plan(&cached, "https://example.com/", false, false).bust_cache);
        let open = answer("https://example.com/", 200, &[("Age", "120")]);
        assert!(!plan(&open, "https://example.com/", false, false).bust_cache);
    }

    #[test]
    fn a_refusal_that_hints_at_wordpress_plans_its_public_pages() {
        let wp = answer(
            "https://example.com/wp-admin/",
            403,
            &[("X-Powered-By", "PHP/8.2")],
        );
        let p = plan(&wp, "https://example.com/wp-admin/", false, false);
        assert_eq!(p.harmless_paths, fingerprint::harmless_probe_paths());
        let plain = answer("https://example.com/", 403, &[("Server", "nginx")]);
        assert!(
            plan(&plain, "https://example.com/", false, false)
                .harmless_paths
                .is_empty()
        );
    }

    #[test]
    fn a_password_asked_over_http_plans_a_look_at_the_https_address() {
        let last = answer("http://example.com/members/", 401, &[BASIC]);
        let p = plan(&last, "http://example.com/members/", false, false);
        assert_eq!(
            p.https_check.as_ref().map(Url::as_str),
            Some("https://example.com/members/")
        );
        // On its own port, the https address is somewhere else: nothing to guess.
        let own_port = answer("http://example.com:8080/", 401, &[BASIC]);
        assert_eq!(
            plan(&own_port, "http://example.com:8080/", false, false).https_check,
            None
        );
        // A token scheme carries no password to protect.
        let bearer = answer(
            "http://example.com/api",
            401,
            &[("WWW-Authenticate", "Bearer realm=\"api\"")],
        );
        assert_eq!(
            plan(&bearer, "http://example.com/api", false, false).https_check,
            None
        );
    }

    #[test]
    fn only_what_a_token_says_about_its_time_or_audience_is_a_reason() {
        assert!(is_token_reason(Code::TokenExpired));
        assert!(is_token_reason(Code::TokenWrongAudience));
        assert!(!is_token_reason(Code::TokenInvalid));
    }
}
