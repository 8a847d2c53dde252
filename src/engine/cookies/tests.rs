//! Unit tests of this folder's module.

use super::import::har::parse_iso8601;
use super::import::json::array_element_lines;
use super::*;

fn site() -> Url {
    Url::parse("https://www.example.com/wp-admin/").unwrap_or_else(|e| panic!("{e}"))
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// 2025-01-01T00:00:00Z.
const NOW: u64 = 1_735_689_600;

fn verdict<'a>(check: &'a CookieCheck, name: &str) -> &'a CookieVerdict {
    check
        .verdicts
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no verdict for {name}: {check:?}"))
}

#[test]
fn a_pasted_cookie_header_is_read_with_or_without_its_prefix() {
    for text in ["Cookie: a=1; b=two", "a=1; b=two", "cookie:a=1;b=two\n"] {
        let imported = import(text, &site());
        assert_eq!(imported.format, Format::CookieHeader, "{text}");
        let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(imported.problems.is_empty());
    }
}

#[test]
fn a_cookie_header_sends_its_cookies_in_the_same_order() {
    let check =
        import("sid=s3cr3t; theme=dark", &site()).check(&site(), RequestContext::SameSite, at(NOW));
    assert!(check.verdicts.iter().all(|v| v.sent));
    let header = check.cookie_header().unwrap_or_default();
    assert_eq!(header.expose(), "sid=s3cr3t; theme=dark");
    assert_eq!(format!("{header:?}"), "(redacted)");
}

#[test]
fn a_cookie_header_part_without_equals_is_a_problem_and_the_rest_loads() {
    let imported = import("a=1; garbage; b=2", &site());
    assert_eq!(imported.cookies.len(), 2);
    assert_eq!(imported.problems.len(), 1);
    assert_eq!(imported.problems[0].line, 1);
}

#[test]
fn set_cookie_lines_are_read_with_their_attributes() {
    let text = "Set-Cookie: sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax\n\
                set-cookie: pref=1; Domain=.example.com; Expires=Wed, 01 Jan 2031 00:00:00 GMT\n\
                tmp=x; Max-Age=0\n";
    let imported = import(text, &site());
    assert_eq!(imported.format, Format::SetCookie);
    assert_eq!(imported.cookies.len(), 3);
    let sid = &imported.cookies[0];
    assert!(sid.secure && sid.http_only && sid.host_only);
    assert_eq!(sid.same_site, Some(SameSite::Lax));
    assert_eq!(sid.domain, "www.example.com");
    let pref = &imported.cookies[1];
    assert!(!pref.host_only);
    assert_eq!(pref.domain, "example.com");
    assert_eq!(pref.expires, Expiry::AtUnixSecs(1_924_992_000));
    assert_eq!(imported.cookies[2].expires, Expiry::MaxAgeSecs(0));
}

#[test]
fn a_set_cookie_line_without_a_name_is_reported_by_line() {
    let imported = import("sid=abc; Path=/\n=nope; Path=/\nnovalue; Secure\n", &site());
    assert_eq!(imported.cookies.len(), 1);
    let lines: Vec<usize> = imported.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3]);
}

#[test]
fn a_set_cookie_line_without_a_path_gets_the_default_path_of_the_site() {
    let imported = import("sid=abc; Secure", &site());
    assert_eq!(imported.cookies[0].path, "/wp-admin");
}

const COOKIES_TXT: &str = "# Netscape HTTP Cookie File\n\
# https://curl.se/docs/http-cookies.html\n\
\n\
#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1924992000\twordpress_logged_in_abc\tadmin%7C123\n\
www.example.com\tFALSE\t/\tFALSE\t0\tpref\tdark\n\
.google.com\tTRUE\t/\tTRUE\t1924992000\tNID\tzzz\n";

#[test]
fn a_cookies_txt_file_is_read_with_http_only_lines_and_session_expiry() {
    let imported = import(COOKIES_TXT, &site());
    assert_eq!(imported.format, Format::NetscapeFile);
    assert_eq!(imported.cookies.len(), 2);
    assert_eq!(imported.other_site_cookies, 1);
    let login = &imported.cookies[0];
    assert!(login.http_only && login.secure && !login.host_only);
    assert_eq!(login.domain, "example.com");
    assert_eq!(login.line, 4);
    let pref = &imported.cookies[1];
    assert!(pref.host_only && !pref.http_only);
    assert_eq!(pref.expires, Expiry::Session);
}

#[test]
fn broken_cookies_txt_lines_are_reported_one_by_one() {
    let text = "# Netscape HTTP Cookie File\n\
www.example.com\tMAYBE\t/\tFALSE\t0\ta\t1\n\
www.example.com\tFALSE\tnoslash\tFALSE\t0\tb\t1\n\
www.example.com\tFALSE\t/\tFALSE\tsoon\tc\t1\n\
just some words\n\
www.example.com\tFALSE\t/\tFALSE\t0\tgood\t1\n";
    let imported = import(text, &site());
    assert_eq!(imported.cookies.len(), 1);
    let lines: Vec<usize> = imported.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    assert!(imported.problems[0].message.contains("TRUE or FALSE"));
}

#[test]
fn a_cookies_txt_with_spaces_instead_of_tabs_still_loads() {
    let text = "# Netscape HTTP Cookie File\nwww.example.com FALSE / TRUE 1924992000 sid abc\n";
    let imported = import(text, &site());
    assert_eq!(imported.cookies.len(), 1);
    assert!(imported.cookies[0].secure);
}

const JSON_EXPORT: &str = r#"[
  {
"domain": ".example.com",
"expirationDate": 1924992000.5,
"hostOnly": false,
"httpOnly": true,
"name": "wordpress_logged_in_abc",
"path": "/",
"sameSite": "lax",
"secure": true,
"session": false,
"storeId": "0",
"value": "admin%7Csecret"
  },
  {
"domain": "www.example.com",
"hostOnly": true,
"httpOnly": false,
"name": "pref",
"path": "/",
"sameSite": "unspecified",
"secure": false,
"session": true,
"value": "dark"
  },
  {"domain": ".other.org", "name": "x", "value": "y", "path": "/"}
]"#;

#[test]
fn a_json_export_is_read_with_its_flags() {
    let imported = import(JSON_EXPORT, &site());
    assert_eq!(imported.format, Format::JsonExport);
    assert_eq!(imported.cookies.len(), 2);
    assert_eq!(imported.other_site_cookies, 1);
    let login = &imported.cookies[0];
    assert_eq!(login.expires, Expiry::AtUnixSecs(1_924_992_000));
    assert_eq!(login.same_site, Some(SameSite::Lax));
    assert!(login.secure && login.http_only && !login.host_only);
    assert_eq!(login.line, 2);
    assert_eq!(imported.cookies[1].expires, Expiry::Session);
    assert_eq!(imported.cookies[1].same_site, None);
    assert_eq!(imported.cookies[1].line, 15);
}

#[test]
fn a_playwright_state_file_is_read_as_a_json_export() {
    let text = r#"{"cookies":[{"name":"sid","value":"v","domain":"www.example.com","path":"/","expires":-1,"httpOnly":true,"secure":true,"sameSite":"Strict"}],"origins":[]}"#;
    let imported = import(text, &site());
    assert_eq!(imported.format, Format::JsonExport);
    assert_eq!(imported.cookies.len(), 1);
    assert_eq!(imported.cookies[0].expires, Expiry::Session);
    assert_eq!(imported.cookies[0].same_site, Some(SameSite::Strict));
}

#[test]
fn bad_json_entries_are_skipped_without_quoting_their_values() {
    let text = r#"[
  {"name": "ok", "value": "1", "domain": "www.example.com"},
  {"name": "bad", "value": {"nested": "TOPSECRET"}, "domain": "www.example.com"},
  42,
  {"value": "TOPSECRET", "domain": "www.example.com"}
]"#;
    let imported = import(text, &site());
    assert_eq!(imported.cookies.len(), 1);
    let lines: Vec<usize> = imported.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4, 5]);
    let all = format!("{:?}", imported.problems);
    assert!(!all.contains("TOPSECRET"), "{all}");
}

#[test]
fn a_cut_off_json_export_keeps_the_cookies_before_the_break() {
    let text = r#"[{"name":"a","value":"1","domain":"www.example.com"},
{"name":"b","value":"2","domain":"www.example.com"},
{"name":"c","val"#;
    let imported = import(text, &site());
    assert_eq!(imported.cookies.len(), 2);
    assert_eq!(imported.problems.len(), 1);
    assert!(imported.problems[0].message.contains("ends too early"));
    assert_eq!(imported.problems[0].line, 3);
}

const CHROME_HAR: &str = r#"{"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
"pages": [],
"entries": [
 {"request": {"method": "GET", "url": "https://www.example.com/wp-login.php", "httpVersion": "http/2.0",
   "headers": [{"name": ":authority", "value": "www.example.com"}],
   "cookies": []},
  "response": {"status": 302, "headers": [
 {"name": "set-cookie", "value": "wordpress_logged_in_abc=admin%7Cxyz; expires=Wed, 01 Jan 2031 00:00:00 GMT; path=/; secure; HttpOnly\nwordpress_test_cookie=WP%20Cookie%20check; path=/; secure"}],
   "cookies": [{"name": "wordpress_logged_in_abc", "value": "admin%7Cxyz", "path": "/", "expires": "2031-01-01T00:00:00.000Z", "httpOnly": true, "secure": true}],
   "content": {"size": 5, "mimeType": "text/html", "text": "hello \"entries\": ["}}},
 {"request": {"method": "GET", "url": "https://cdn.other.net/app.js", "headers": [], "cookies": [{"name": "tracker", "value": "t"}]},
  "response": {"status": 200, "headers": [], "cookies": []}},
 {"request": {"method": "GET", "url": "https://www.example.com/wp-admin/", "headers": [{"name": "cookie", "value": "wordpress_logged_in_abc=admin%7Cxyz; wordpress_test_cookie=WP%20Cookie%20check"}],
   "cookies": [{"name": "wordpress_logged_in_abc", "value": "admin%7Cxyz", "path": "/", "domain": "www.example.com", "expires": null, "httpOnly": true, "secure": true},
           {"name": "wordpress_test_cookie", "value": "WP%20Cookie%20check", "path": "/", "domain": "www.example.com", "expires": null, "httpOnly": false, "secure": true}]},
  "response": {"status": 401, "headers": [], "cookies": [], "content": {"size": 0}}}
]}}"#;

#[test]
fn a_chrome_har_gives_the_sites_cookies_with_attributes_from_set_cookie() {
    let imported = import(CHROME_HAR, &site());
    assert_eq!(imported.format, Format::Har);
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["wordpress_logged_in_abc", "wordpress_test_cookie"]);
    assert!(
        imported
            .cookies
            .iter()
            .all(|c| c.attributes_known && c.secure)
    );
    assert_eq!(
        imported.cookies[0].expires,
        Expiry::AtUnixSecs(1_924_992_000)
    );
}

const FIREFOX_HAR: &str = r#"{
  "log": {
"version": "1.2",
"creator": {"name": "Firefox", "version": "133.0"},
"entries": [
  {
    "startedDateTime": "2025-01-01T00:00:00.000+00:00",
    "request": {
      "method": "GET",
      "url": "https://www.example.com/account",
      "headers": [{"name": "Cookie", "value": "PHPSESSID=old; PHPSESSID=new; lang=en"}],
      "cookies": [{"name": "PHPSESSID", "value": "old"}, {"name": "PHPSESSID", "value": "new"}, {"name": "lang", "value": "en"}]
    },
    "response": {
      "status": 401,
      "headers": [{"name": "Set-Cookie", "value": "lang=en; Path=/; Max-Age=3600"}],
      "cookies": [{"name": "lang", "value": "en", "path": "/", "expires": "2025-01-01T01:00:00.000Z"}]
    }
  }
]
  }
}"#;

#[test]
fn a_firefox_har_keeps_duplicate_sent_cookies_as_evidence() {
    let imported = import(FIREFOX_HAR, &site());
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let check = imported.check(
        &Url::parse("https://www.example.com/account").unwrap_or_else(|e| panic!("{e}")),
        RequestContext::SameSite,
        at(NOW),
    );
    let names: Vec<&str> = check.sent().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["lang", "PHPSESSID", "PHPSESSID"]);
    let shadowed = check.shadowed_findings();
    assert_eq!(shadowed.len(), 1);
    assert_eq!(shadowed[0].code, Code::CookieShadowed);
    assert_eq!(shadowed[0].severity, Severity::Problem);
}

#[test]
fn a_har_without_cookies_explains_the_sanitized_export() {
    let text = r#"{"log":{"entries":[{"request":{"url":"https://www.example.com/","headers":[],"cookies":[]},"response":{"headers":[],"cookies":[]}}]}}"#;
    let imported = import(text, &site());
    assert!(imported.cookies.is_empty());
    assert!(
        imported
            .problems
            .iter()
            .any(|p| p.message.contains("with sensitive data"))
    );
}

#[test]
fn a_cut_off_har_keeps_the_entries_before_the_break() {
    let cut = CHROME_HAR.get(..CHROME_HAR.len() - 400).unwrap_or_default();
    let imported = import(cut, &site());
    assert_eq!(imported.format, Format::Har);
    assert!(!imported.cookies.is_empty());
    assert!(
        imported
            .problems
            .iter()
            .any(|p| p.message.contains("ends too early"))
    );
}

#[test]
fn har_entry_lines_point_at_the_entry() {
    let lines = array_element_lines(FIREFOX_HAR, Some(("entries", 2)));
    assert_eq!(lines, [6]);
    let lines = array_element_lines(CHROME_HAR, Some(("entries", 2)));
    assert_eq!(lines, [4, 11, 13]);
}

#[test]
fn a_huge_import_stops_at_the_cookie_limit() {
    let mut text = String::from("# Netscape HTTP Cookie File\n");
    for i in 0..(MAX_COOKIES + 5) {
        let _ = writeln!(text, "www.example.com\tFALSE\t/\tFALSE\t0\tc{i}\tv");
    }
    let imported = import(&text, &site());
    assert_eq!(imported.cookies.len(), MAX_COOKIES);
    assert!(imported.truncated);
    assert_eq!(imported.problems.len(), 1);
}

#[test]
fn a_huge_har_is_read_entry_by_entry_within_the_limit() {
    let mut text = String::from(r#"{"log":{"entries":["#);
    for i in 0..(MAX_COOKIES + 10) {
        if i > 0 {
            text.push(',');
        }
        let _ = write!(
            text,
            r#"{{"request":{{"url":"https://www.example.com/p{i}","headers":[],"cookies":[]}},"response":{{"headers":[{{"name":"Set-Cookie","value":"c{i}=v; Path=/"}}],"cookies":[],"content":{{"text":"{}"}}}}}}"#,
            "x".repeat(100)
        );
    }
    text.push_str("]}}");
    let imported = import(&text, &site());
    assert_eq!(imported.cookies.len(), MAX_COOKIES);
}

fn one(set_cookie: &str, url: &str, context: RequestContext) -> CookieVerdict {
    let url = Url::parse(url).unwrap_or_else(|e| panic!("{e}"));
    let imported = import(
        set_cookie,
        &Url::parse("https://www.example.com/").unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let check = imported.check(&url, context, at(NOW));
    check
        .verdicts
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no verdict"))
}

#[test]
fn an_expired_cookie_is_not_sent_and_says_when_it_expired() {
    let v = one(
        "sid=1; Path=/; Expires=Tue, 31 Dec 2024 00:00:00 GMT",
        "https://www.example.com/",
        RequestContext::SameSite,
    );
    assert!(!v.sent);
    assert_eq!(v.not_sent, Some(NotSent::Expired));
    let reason = v.reason.unwrap_or_default();
    assert!(reason.contains("Tue, 31 Dec 2024 00:00:00 GMT"), "{reason}");
    assert!(reason.contains("1 day ago"), "{reason}");
}

#[test]
fn a_secure_cookie_is_not_sent_to_an_http_address() {
    let v = one(
        "sid=1; Path=/; Secure",
        "http://www.example.com/",
        RequestContext::SameSite,
    );
    assert_eq!(v.not_sent, Some(NotSent::SecureOnHttp));
    assert!(v.reason.unwrap_or_default().contains("https"));
}

#[test]
fn a_secure_cookie_is_sent_to_localhost_over_http_as_browsers_do() {
    let local = Url::parse("http://localhost:8080/").unwrap_or_else(|e| panic!("{e}"));
    let check =
        import("sid=1; Path=/; Secure", &local).check(&local, RequestContext::SameSite, at(NOW));
    assert!(check.verdicts[0].sent);
}

#[test]
fn a_cookie_for_another_name_of_the_site_is_a_domain_mismatch() {
    let v = one(
        "sid=1; Path=/",
        "https://example.com/",
        RequestContext::SameSite,
    );
    assert_eq!(v.not_sent, Some(NotSent::DomainMismatch));
    assert_eq!(
        v.reason.as_deref(),
        Some("it belongs only to www.example.com, not to example.com")
    );
    let v = one(
        "sid=1; Path=/; Domain=example.com",
        "https://shop.example.com/",
        RequestContext::SameSite,
    );
    assert!(v.sent, "a Domain cookie reaches subdomains");
}

#[test]
fn a_cookie_for_another_folder_is_a_path_mismatch() {
    let v = one(
        "sid=1; Path=/shop",
        "https://www.example.com/wp-admin/",
        RequestContext::SameSite,
    );
    assert_eq!(v.not_sent, Some(NotSent::PathMismatch));
    let v = one(
        "sid=1; Path=/shop",
        "https://www.example.com/shopping",
        RequestContext::SameSite,
    );
    assert_eq!(
        v.not_sent,
        Some(NotSent::PathMismatch),
        "/shop does not cover /shopping"
    );
    let v = one(
        "sid=1; Path=/shop",
        "https://www.example.com/shop/cart",
        RequestContext::SameSite,
    );
    assert!(v.sent);
}

#[test]
fn same_site_cookies_are_held_back_on_cross_site_requests() {
    let strict = "sid=1; Path=/; Secure; SameSite=Strict";
    let lax = "sid=1; Path=/; Secure; SameSite=Lax";
    let unset = "sid=1; Path=/; Secure";
    let url = "https://www.example.com/";
    assert!(one(strict, url, RequestContext::SameSite).sent);
    assert_eq!(
        one(strict, url, RequestContext::CrossSiteNavigation).not_sent,
        Some(NotSent::SameSiteStrict)
    );
    assert!(one(lax, url, RequestContext::CrossSiteNavigation).sent);
    assert_eq!(
        one(lax, url, RequestContext::CrossSiteSubrequest).not_sent,
        Some(NotSent::SameSiteLax)
    );
    let v = one(unset, url, RequestContext::CrossSiteSubrequest);
    assert_eq!(v.not_sent, Some(NotSent::SameSiteLax));
    assert!(v.reason.unwrap_or_default().contains("no SameSite setting"));
    assert_eq!(
        one(
            "sid=1; Path=/; SameSite=None",
            url,
            RequestContext::SameSite
        )
        .not_sent,
        Some(NotSent::SameSiteNoneWithoutSecure)
    );
}

#[test]
fn broken_host_and_secure_prefixes_are_refused() {
    let url = "https://www.example.com/";
    let v = one(
        "__Host-sid=1; Path=/; Secure; Domain=example.com",
        url,
        RequestContext::SameSite,
    );
    assert_eq!(v.not_sent, Some(NotSent::HostPrefix));
    assert!(v.reason.unwrap_or_default().contains("it has a Domain"));
    assert_eq!(
        one(
            "__Host-sid=1; Path=/app; Secure",
            url,
            RequestContext::SameSite
        )
        .not_sent,
        Some(NotSent::HostPrefix)
    );
    assert!(
        one(
            "__Host-sid=1; Path=/; Secure",
            url,
            RequestContext::SameSite
        )
        .sent
    );
    assert_eq!(
        one("__Secure-sid=1; Path=/", url, RequestContext::SameSite).not_sent,
        Some(NotSent::SecurePrefix)
    );
    assert!(
        one(
            "__Secure-sid=1; Path=/; Secure",
            url,
            RequestContext::SameSite
        )
        .sent
    );
}

#[test]
fn an_over_long_cookie_is_refused() {
    let line = format!("big={}; Path=/", "x".repeat(MAX_COOKIE_BYTES));
    let v = one(&line, "https://www.example.com/", RequestContext::SameSite);
    assert_eq!(v.not_sent, Some(NotSent::TooLong));
    assert_eq!(v.size_bytes, MAX_COOKIE_BYTES + 3);
}

#[test]
fn max_age_zero_means_the_site_deleted_the_cookie() {
    let v = one(
        "sid=1; Path=/; Max-Age=0",
        "https://www.example.com/",
        RequestContext::SameSite,
    );
    assert_eq!(v.not_sent, Some(NotSent::Expired));
    assert!(v.reason.unwrap_or_default().contains("deleted"));
}

#[test]
fn the_more_specific_path_is_sent_first_and_the_shadowing_is_reported() {
    let text = "sid=new; Path=/\nsid=old; Path=/wp-admin\nother=1; Path=/\n";
    let imported = import(text, &site());
    let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
    let order: Vec<(&str, &str)> = check
        .sent()
        .map(|v| (v.name.as_str(), v.path.as_str()))
        .collect();
    assert_eq!(order, [("sid", "/wp-admin"), ("sid", "/"), ("other", "/")]);
    assert_eq!(
        check.cookie_header().unwrap_or_default().expose(),
        "sid=old; sid=new; other=1"
    );
    let first = verdict(&check, "sid");
    assert!(
        first
            .note
            .as_deref()
            .unwrap_or_default()
            .contains("sent first")
    );
    let findings = check.shadowed_findings();
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0]
            .detail
            .contains("sid (for www.example.com, path /wp-admin) first")
    );
    assert_eq!(findings[0].evidence.len(), 2);
}

#[test]
fn cookies_for_different_domains_with_one_name_shadow_each_other_too() {
    let text = "sid=a; Path=/; Domain=example.com\nsid=b; Path=/\n";
    let check = import(text, &site()).check(&site(), RequestContext::SameSite, at(NOW));
    assert_eq!(check.sent().count(), 2);
    assert_eq!(check.shadowed_findings().len(), 1);
}

#[test]
fn login_cookie_names_are_recognised() {
    for name in [
        "wordpress_logged_in_0123abcd",
        "wordpress_sec_0123abcd",
        "wordpress_0123456789abcdef0123",
        "PHPSESSID",
        "JSESSIONID",
        "connect.sid",
        "myapp_session",
        "_gitlab_session",
        "session",
        "sid",
        "remember_me",
        "laravel_session",
        "ASP.NET_SessionId",
        ".AspNetCore.Cookies",
        ".AspNetCore.Identity.Application",
        "SESS0123abcd",
        "__Host-next-auth.session-token",
        "sessionid",
        "CF_Authorization",
    ] {
        assert!(looks_like_login(name), "{name}");
    }
    for name in [
        "_ga",
        "theme",
        "wordpress_test_cookie",
        "csrftoken",
        "XSRF-TOKEN",
        ".AspNetCore.Antiforgery.x1",
        "wp-settings-1",
        "lang",
    ] {
        assert!(!looks_like_login(name), "{name}");
    }
}

#[test]
fn verdicts_and_findings_never_contain_cookie_values() {
    let text = "Set-Cookie: PHPSESSID=VALUE_ONE; Path=/; Expires=Tue, 31 Dec 2024 00:00:00 GMT\n\
                Set-Cookie: sid=VALUE_TWO; Path=/shop\n\
                Set-Cookie: sid=VALUE_THREE; Path=/\n\
                Set-Cookie: sid=VALUE_FOUR; Path=/wp-admin\n\
                Set-Cookie: =VALUE_FIVE\n";
    let imported = import(text, &site());
    let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
    let mut all = crate::engine::test_json(&check);
    let _ = write!(all, "{check:?}{imported:?}");
    all.push_str(&crate::engine::test_json(&check.findings()));
    let _ = write!(all, "{:?}", check.login_finding(true));
    let _ = write!(
        all,
        "{:?}",
        compare_with_and_without(401, 200, &check.verdicts)
    );
    assert!(!all.contains("VALUE_"), "{all}");
}

#[test]
fn expired_and_not_sent_cookies_become_findings() {
    let text = "PHPSESSID=1; Path=/; Expires=Tue, 31 Dec 2024 00:00:00 GMT\nsid2=1; Path=/shop\n";
    let check = import(text, &site()).check(&site(), RequestContext::SameSite, at(NOW));
    let findings = check.findings();
    let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::CookieExpired, Code::CookieNotSent]);
    assert_eq!(findings[0].severity, Severity::Problem);
    assert!(findings[0].detail.contains("PHPSESSID"));
    assert!(findings[1].evidence[0].value.contains("/shop"));
}

#[test]
fn a_login_cookie_that_is_not_sent_is_a_problem() {
    let text = "wordpress_logged_in_abc=1; Path=/; Secure\n";
    let check = import(text, &site()).check(
        &Url::parse("http://www.example.com/wp-admin/").unwrap_or_else(|e| panic!("{e}")),
        RequestContext::SameSite,
        at(NOW),
    );
    let not_sent = check
        .not_sent_finding()
        .unwrap_or_else(|| panic!("no finding"));
    assert_eq!(not_sent.severity, Severity::Problem);
    assert!(not_sent.next_steps[0].starts_with("Use the https:// address"));
    let login = check
        .login_finding(true)
        .unwrap_or_else(|| panic!("no login finding"));
    assert_eq!(login.code, Code::LoginCookieMissing);
    assert_eq!(login.severity, Severity::Problem);
    assert!(check.login_finding(false).is_none());
}

#[test]
fn no_login_like_cookie_means_the_login_is_missing() {
    let check =
        import("theme=dark; _ga=1", &site()).check(&site(), RequestContext::SameSite, at(NOW));
    let f = check
        .login_finding(true)
        .unwrap_or_else(|| panic!("no finding"));
    assert!(f.detail.contains("theme, _ga"));
    let ok = import("PHPSESSID=1", &site()).check(&site(), RequestContext::SameSite, at(NOW));
    assert!(ok.login_finding(true).is_none());
}

#[test]
fn import_problems_become_a_malformed_file_finding() {
    let check = import("a=1; junk", &site()).check(&site(), RequestContext::SameSite, at(NOW));
    let f = check
        .malformed_finding()
        .unwrap_or_else(|| panic!("no finding"));
    assert_eq!(f.code, Code::CookieFileMalformed);
    assert_eq!(f.evidence[0].label, "Line 1");
    let empty = import("[]", &site()).check(&site(), RequestContext::SameSite, at(NOW));
    let f = empty
        .malformed_finding()
        .unwrap_or_else(|| panic!("no finding"));
    assert_eq!(f.title, "No cookies for this site could be read");
}

#[test]
fn a_401_only_with_cookies_blames_a_stale_cookie_and_says_how_to_clear_it() {
    let check = import("sid=a; sid=b", &site()).check(&site(), RequestContext::SameSite, at(NOW));
    let f =
        compare_with_and_without(401, 200, &check.verdicts).unwrap_or_else(|| panic!("no finding"));
    assert_eq!(f.code, Code::CookiesCause401);
    assert!(f.detail.contains("more than one cookie named sid"));
    for browser in ["Chrome:", "Microsoft Edge:", "Firefox:", "Safari on a Mac:"] {
        assert!(
            f.next_steps.iter().any(|s| s.starts_with(browser)),
            "{browser}"
        );
    }
    assert!(compare_with_and_without(401, 401, &check.verdicts).is_none());
    assert!(compare_with_and_without(200, 200, &check.verdicts).is_none());
    assert!(compare_with_and_without(401, 403, &check.verdicts).is_none());
}

#[test]
fn every_browser_has_site_only_clearing_steps_naming_the_site() {
    for browser in Browser::ALL {
        let steps = clear_site_data_steps(browser, "www.example.com");
        assert!(steps.len() >= 5, "{browser:?}");
        assert!(
            steps.iter().any(|s| s.contains("example.com")),
            "{browser:?}"
        );
        assert!(
            !steps.iter().any(|s| s.starts_with("1.")),
            "the UI numbers the steps"
        );
    }
    let chrome = clear_site_data_steps(Browser::Chrome, "www.example.com").join(" ");
    assert!(
        chrome.contains("Cookies and site data") && chrome.contains("Manage on-device site data")
    );
    assert!(chrome.contains("See all site data and permissions"));
    let firefox = clear_site_data_steps(Browser::Firefox, "example.com").join(" ");
    assert!(firefox.contains("Clear cookies and site data…"));
    let iphone = clear_site_data_steps(Browser::SafariIphone, "example.com").join(" ");
    assert!(iphone.contains("Website Data"));
}

#[test]
fn clearing_steps_for_an_ip_address_site_open_its_origin_and_name_no_parent_domain() {
    for browser in Browser::ALL {
        let steps = clear_site_data_steps(browser, "http://127.0.0.1:8080").join(" ");
        assert!(
            !steps.contains("\"0.1\"") && !steps.contains(" 0.1"),
            "{browser:?}: {steps}"
        );
        assert!(!steps.contains("https://127.0.0.1"), "{browser:?}: {steps}");
    }
    let firefox = clear_site_data_steps(Browser::Firefox, "http://127.0.0.1:8080").join(" ");
    assert!(
        firefox.contains("Open http://127.0.0.1:8080 in Firefox"),
        "{firefox}"
    );
}

#[test]
fn the_likely_browsers_of_each_system_come_first() {
    assert_eq!(
        Browser::for_os("windows")[..2],
        [Browser::Chrome, Browser::Edge]
    );
    assert_eq!(Browser::for_os("macos")[0], Browser::Safari);
    assert_eq!(Browser::for_os("linux")[0], Browser::Firefox);
    assert_eq!(Browser::for_os("android")[0], Browser::ChromeAndroid);
    assert_eq!(Browser::for_os("ios")[0], Browser::SafariIphone);
    for os in ["windows", "macos", "linux", "android", "ios", "haiku"] {
        let mut all = Browser::for_os(os);
        all.sort_by_key(|b| Browser::ALL.iter().position(|x| x == b));
        assert_eq!(all, Browser::ALL, "{os} lists every browser once");
    }
}

#[test]
fn iso_times_in_har_files_are_read() {
    assert_eq!(
        parse_iso8601("2031-01-01T00:00:00.000Z"),
        Some(1_924_992_000)
    );
    assert_eq!(
        parse_iso8601("2031-01-01T01:00:00+01:00"),
        Some(1_924_992_000)
    );
    assert_eq!(parse_iso8601("1970-01-01"), Some(0));
    assert_eq!(parse_iso8601("soon"), None);
}

#[test]
fn formats_are_recognised_from_content() {
    assert_eq!(detect(""), Format::Empty);
    assert_eq!(detect("  \n"), Format::Empty);
    assert_eq!(detect("a=b"), Format::CookieHeader);
    assert_eq!(detect("a=b; Path=/"), Format::SetCookie);
    assert_eq!(detect("a=b; HttpOnly"), Format::SetCookie);
    assert_eq!(detect("[]"), Format::JsonExport);
    assert_eq!(detect(r#"{"log":{"entries":[]}}"#), Format::Har);
    assert_eq!(detect(COOKIES_TXT), Format::NetscapeFile);
}

#[test]
fn related_names_are_kept_and_unrelated_sites_left_out() {
    assert!(related_to_site("example.com", "www.example.com"));
    assert!(related_to_site("shop.example.com", "www.example.com"));
    assert!(related_to_site("example.co.uk", "www.example.co.uk"));
    assert!(!related_to_site("other.co.uk", "www.example.co.uk"));
    assert!(!related_to_site("google.com", "www.example.com"));
    assert!(!related_to_site("127.0.0.2", "127.0.0.1"));
}

// --- Shared fixtures (tests/fixtures/cookies/) -----------------------------------------------

const FIXTURE_COOKIES_TXT: &str = include_str!("../../../tests/fixtures/cookies/cookies.txt");
const FIXTURE_COOKIES_TXT_BROKEN: &str =
    include_str!("../../../tests/fixtures/cookies/cookies-broken.txt");
const FIXTURE_CHROME_HAR: &str = include_str!("../../../tests/fixtures/cookies/chrome.har");
const FIXTURE_CHROME_HAR_BROKEN: &str =
    include_str!("../../../tests/fixtures/cookies/chrome-broken.har");
const FIXTURE_FIREFOX_HAR: &str = include_str!("../../../tests/fixtures/cookies/firefox.har");
const FIXTURE_FIREFOX_HAR_BROKEN: &str =
    include_str!("../../../tests/fixtures/cookies/firefox-broken.har");
const FIXTURE_EXPORT_JSON: &str = include_str!("../../../tests/fixtures/cookies/export.json");
const FIXTURE_EXPORT_JSON_BROKEN: &str =
    include_str!("../../../tests/fixtures/cookies/export-broken.json");

fn url(text: &str) -> Url {
    Url::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn lines_of(imported: &Import) -> Vec<usize> {
    imported.problems.iter().map(|p| p.line).collect()
}

fn assert_no_fake_values(text: &str) {
    assert!(!text.contains("FAKE-"), "a cookie value leaked: {text}");
}

#[test]
fn the_cookies_txt_fixture_finds_the_expired_session_and_sends_the_rest() {
    let imported = import(FIXTURE_COOKIES_TXT, &site());
    assert_eq!(imported.format, Format::NetscapeFile);
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(imported.cookies.len(), 5);
    assert_eq!(imported.other_site_cookies, 1);
    let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
    let sent: Vec<&str> = check.sent().map(|v| v.name.as_str()).collect();
    assert_eq!(
        sent,
        [
            "wordpress_sec_5c2f0e8b1a",
            "wordpress_logged_in_5c2f0e8b1a",
            "wp-settings-time-1",
            "_ga"
        ]
    );
    let php = verdict(&check, "PHPSESSID");
    assert_eq!(php.not_sent, Some(NotSent::Expired));
    assert_eq!(
        php.expires.as_deref(),
        Some("Mon, 01 Jan 2024 00:00:00 GMT")
    );
    assert_eq!(
        verdict(&check, "wp-settings-time-1").expires.as_deref(),
        Some("when the browser closes")
    );
    let expired = check
        .expired_finding()
        .unwrap_or_else(|| panic!("no finding"));
    assert_eq!(
        expired.severity,
        Severity::Warning,
        "another login cookie is still sent"
    );
    assert_no_fake_values(&crate::engine::test_json(&check.findings()));
}

#[test]
fn the_broken_cookies_txt_fixture_reports_each_bad_line_and_loads_the_good_ones() {
    let imported = import(FIXTURE_COOKIES_TXT_BROKEN, &site());
    let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["good", "alsogood"]);
    assert_eq!(lines_of(&imported), [3, 4, 5, 6, 7]);
    assert_no_fake_values(&format!("{:?}", imported.problems));
}

#[test]
fn the_chrome_har_fixture_shows_a_stale_login_cookie_shadowing_the_new_one() {
    let imported = import(FIXTURE_CHROME_HAR, &site());
    assert_eq!(imported.format, Format::Har);
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert!(
        imported
            .cookies
            .iter()
            .all(|c| c.domain.ends_with("example.com"))
    );
    let check = imported.check(&site(), RequestContext::SameSite, at(NOW));
    let sent: Vec<(&str, &str)> = check
        .sent()
        .map(|v| (v.name.as_str(), v.path.as_str()))
        .collect();
    assert_eq!(
        sent,
        [
            ("wordpress_sec_5c2f0e8b1a", "/wp-admin"),
            ("wordpress_logged_in_5c2f0e8b1a", "/wp-admin"),
            ("wordpress_logged_in_5c2f0e8b1a", "/"),
            ("wp-settings-time-1", "/"),
        ]
    );
    // The re-test sends exactly what Chrome sent.
    assert_eq!(
        check.cookie_header().unwrap_or_default().expose(),
        "wordpress_sec_5c2f0e8b1a=FAKE-SEC-VALUE; wordpress_logged_in_5c2f0e8b1a=FAKE-LOGIN-OLD; \
         wordpress_logged_in_5c2f0e8b1a=FAKE-LOGIN-NEW; wp-settings-time-1=1735600000"
    );
    let shadowed = check.shadowed_findings();
    assert_eq!(shadowed.len(), 1);
    assert_eq!(shadowed[0].severity, Severity::Problem);
    assert!(shadowed[0].detail.contains("path /wp-admin) first"));
    let compare =
        compare_with_and_without(401, 200, &check.verdicts).unwrap_or_else(|| panic!("no finding"));
    assert!(compare.detail.contains("wordpress_logged_in_5c2f0e8b1a"));
    assert!(compare.next_steps[0].contains("www.example.com"));
    assert_no_fake_values(&crate::engine::test_json(&check));
    assert_no_fake_values(&crate::engine::test_json(&shadowed));
}

#[test]
fn the_broken_chrome_har_fixture_keeps_what_came_before_the_cut() {
    let imported = import(FIXTURE_CHROME_HAR_BROKEN, &site());
    assert_eq!(imported.format, Format::Har);
    let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&"wordpress_logged_in_5c2f0e8b1a"),
        "{names:?}"
    );
    let messages: Vec<&str> = imported
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("entry 1: a cookie without a name")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("entry 2: the request has no usable address")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("ends too early")),
        "{messages:?}"
    );
    assert_eq!(
        lines_of(&imported).first(),
        Some(&17),
        "entry 1 starts on line 17"
    );
    assert_no_fake_values(&format!("{:?}", imported.problems));
}

#[test]
fn the_firefox_har_fixture_shows_two_session_cookies_and_a_deleted_one() {
    let imported = import(FIXTURE_FIREFOX_HAR, &site());
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    let check = imported.check(
        &url("https://www.example.com/account/"),
        RequestContext::SameSite,
        at(NOW),
    );
    let sent: Vec<&str> = check.sent().map(|v| v.name.as_str()).collect();
    assert_eq!(sent, ["lang", "PHPSESSID", "PHPSESSID"]);
    assert!(
        check.verdicts.iter().all(|v| v.name != "font_pref"),
        "other sites are left out"
    );
    let remember = verdict(&check, "remember_me");
    assert_eq!(remember.not_sent, Some(NotSent::Expired));
    let codes: Vec<Code> = check.findings().iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::CookieExpired, Code::CookieShadowed]);
    assert_eq!(
        check.findings()[0].severity,
        Severity::Warning,
        "PHPSESSID is still sent"
    );
    assert_eq!(
        check.cookie_header().unwrap_or_default().expose(),
        "lang=en; PHPSESSID=FAKE-STALE; PHPSESSID=FAKE-FRESH"
    );
    assert!(
        check.login_finding(true).is_none(),
        "a login cookie is sent"
    );
}

#[test]
fn the_broken_firefox_har_fixture_reports_each_bad_entry() {
    let imported = import(FIXTURE_FIREFOX_HAR_BROKEN, &site());
    let messages: Vec<&str> = imported
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains("request cookie has no \"name\""),
        "{messages:?}"
    );
    assert!(messages[1].contains("no name=value pair"), "{messages:?}");
    assert!(messages[2].contains("unexpected shape"), "{messages:?}");
    assert!(imported.cookies.iter().any(|c| c.name == "PHPSESSID"));
    assert_no_fake_values(&format!("{:?}", imported.problems));
}

#[test]
fn the_json_export_fixture_gives_a_verdict_for_each_cookie_of_the_site() {
    let imported = import(FIXTURE_EXPORT_JSON, &site());
    assert_eq!(imported.format, Format::JsonExport);
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(imported.other_site_cookies, 1);
    let check = imported.check(
        &url("https://www.example.com/"),
        RequestContext::SameSite,
        at(NOW),
    );
    assert!(verdict(&check, "wordpress_logged_in_5c2f0e8b1a").sent);
    assert!(verdict(&check, "__Host-csrf").sent);
    assert_eq!(
        verdict(&check, "PHPSESSID").not_sent,
        Some(NotSent::Expired)
    );
    assert_eq!(
        verdict(&check, "cart").not_sent,
        Some(NotSent::DomainMismatch)
    );
    assert_eq!(verdict(&check, "cart").same_site.as_deref(), Some("None"));
    let cross = imported.check(
        &url("https://www.example.com/"),
        RequestContext::CrossSiteNavigation,
        at(NOW),
    );
    assert_eq!(
        verdict(&cross, "__Host-csrf").not_sent,
        Some(NotSent::SameSiteStrict)
    );
    assert!(
        verdict(&cross, "wordpress_logged_in_5c2f0e8b1a").sent,
        "Lax goes with links"
    );
}

#[test]
fn the_broken_json_export_fixture_reports_each_bad_entry_by_line() {
    let imported = import(FIXTURE_EXPORT_JSON_BROKEN, &site());
    let names: Vec<&str> = imported.cookies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["good", "alsogood"]);
    assert_eq!(lines_of(&imported), [11, 17, 22, 23, 40]);
    assert!(imported.problems[4].message.contains("ends too early"));
    assert_no_fake_values(&format!("{:?}", imported.problems));
}
