//! Unit tests of this folder's module.

use super::blocks::decode_number_entities;
use super::*;
use crate::engine::finding::Severity;
use crate::engine::probe::Header;
use crate::engine::text::MAX_SCAN_BYTES;

fn answer(url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
    Exchange::for_test(url, status, headers, body)
}

fn site(status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
    answer("https://example.com/members/", status, headers, body)
}

fn codes(fp: &Fingerprint) -> Vec<Code> {
    fp.findings.iter().map(|f| f.code).collect()
}

fn names(list: &[Detected]) -> Vec<&str> {
    list.iter().map(|d| d.name.as_str()).collect()
}

#[test]
fn harmless_probes_are_three_plain_paths() {
    assert_eq!(
        harmless_probe_paths(),
        &["/wp-json/", "/wp-login.php", "/robots.txt"]
    );
}

#[test]
fn server_software_is_read_from_the_server_header() {
    for (value, name) in [
        ("Apache/2.4.57 (Debian)", "Apache"),
        ("nginx/1.24.0", "nginx"),
        (
            "Microsoft-IIS/10.0",
            "IIS (Microsoft Internet Information Services)",
        ),
        ("LiteSpeed", "LiteSpeed"),
        ("Caddy", "Caddy"),
        ("openresty/1.21.4.1", "OpenResty (nginx)"),
        ("Apache-Coyote/1.1", "Apache Tomcat"),
    ] {
        let fp = fingerprint(&[site(401, &[("server", value)], "")], &[]);
        let server = fp.server.unwrap_or_default();
        assert_eq!(server.name, name, "{value}");
        assert_eq!(
            server.evidence,
            vec![("Server".to_owned(), value.to_owned())]
        );
    }
}

#[test]
fn a_cdn_server_header_does_not_count_as_the_sites_server() {
    let fp = fingerprint(
        &[site(
            401,
            &[("server", "cloudflare"), ("cf-ray", "8a1b2c3d4e5f-FRA")],
            "",
        )],
        &[],
    );
    assert!(fp.server.is_none());
    assert_eq!(names(&fp.cdns), vec!["Cloudflare"]);
    assert_eq!(names(&fp.protections), vec!["Cloudflare"]);
    assert_eq!(codes(&fp), vec![Code::CdnInFront]);
}

#[test]
fn server_error_pages_reveal_the_server() {
    let body = "<html><body><h1>Unauthorized</h1><hr><address>Apache/2.4.41 (Ubuntu) Server \
                at example.com Port 443</address></body></html>";
    let fp = fingerprint(&[site(401, &[], body)], &[]);
    assert_eq!(fp.server.map(|s| s.name), Some("Apache".to_owned()));
    let body = "<hr><center>nginx/1.18.0 (Ubuntu)</center>";
    let fp = fingerprint(&[site(401, &[], body)], &[]);
    assert_eq!(fp.server.map(|s| s.name), Some("nginx".to_owned()));
    let fp = fingerprint(&[site(401, &[("x-litespeed-cache", "miss")], "")], &[]);
    assert_eq!(fp.server.map(|s| s.name), Some("LiteSpeed".to_owned()));
}

#[test]
fn wordpress_is_recognised_from_its_link_header_and_pingback() {
    let fp = fingerprint(
        &[site(
            401,
            &[
                (
                    "link",
                    "<https://example.com/wp-json/>; rel=\"https://api.w.org/\"",
                ),
                ("x-pingback", "https://example.com/xmlrpc.php"),
            ],
            "",
        )],
        &[],
    );
    let cms = fp.cms.clone().unwrap_or_default();
    assert_eq!(cms.name, "WordPress");
    assert!(cms.evidence.iter().any(|(l, _)| l == "X-Pingback"));
    assert_eq!(codes(&fp), vec![Code::WordpressDetected]);
    assert_eq!(fp.findings[0].severity, Severity::Info);
}

#[test]
fn rest_not_logged_in_gets_application_password_advice() {
    let body = r#"{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}"#;
    let fp = fingerprint(
        &[answer(
            "https://example.com/wp-json/wp/v2/users/me",
            401,
            &[],
            body,
        )],
        &[],
    );
    let f = &fp.findings[0];
    assert_eq!(f.code, Code::WordpressDetected);
    assert!(f.detail.contains("rest_not_logged_in"), "{}", f.detail);
    assert!(
        f.next_steps[0].contains("Application Passwords"),
        "{:?}",
        f.next_steps
    );
    assert!(f.evidence.iter().any(|e| e.value == "rest_not_logged_in"));
}

#[test]
fn rest_not_logged_in_after_sending_a_password_points_at_a_dropped_header() {
    let body = r#"{"code":"rest_not_logged_in","message":"x","data":{"status":401}}"#;
    let mut a = answer("https://example.com/wp-json/wp/v2/posts", 401, &[], body);
    a.request_headers.push(Header {
        name: "authorization".to_owned(),
        value: "(redacted)".to_owned(),
    });
    let fp = fingerprint(&[a], &[]);
    let f = &fp.findings[0];
    assert!(
        f.detail.contains("dropped the Authorization header"),
        "{}",
        f.detail
    );
    assert!(
        f.next_steps[0].contains("SetEnvIf Authorization"),
        "{:?}",
        f.next_steps
    );
}

#[test]
fn other_rest_codes_get_their_own_advice() {
    for (code, words) in [
        ("rest_cookie_invalid_nonce", "nonce"),
        ("rest_forbidden", "role"),
        ("rest_cannot_edit", "role"),
        ("rest_cannot_access", "only lets signed-in users"),
    ] {
        let body = format!(r#"{{"code":"{code}","message":"m","data":{{"status":401}}}}"#);
        let fp = fingerprint(
            &[answer("https://example.com/wp-json/x", 401, &[], &body)],
            &[],
        );
        let f = fp
            .findings
            .iter()
            .find(|f| f.code == Code::WordpressDetected);
        assert!(f.is_some_and(|f| f.detail.contains(words)), "{code}");
    }
}

#[test]
fn the_rest_index_tells_whether_application_passwords_are_offered() {
    let on = r#"{"name":"Site","namespaces":["oembed/1.0","wp/v2"],"authentication":{"application-passwords":{"endpoints":{"authorization":"https://example.com/wp-admin/authorize-application.php"}}}}"#;
    let off = r#"{"name":"Site","namespaces":["oembed/1.0","wp/v2"],"authentication":[]}"#;
    let fp = fingerprint(
        &[site(401, &[], "")],
        &[answer("https://example.com/wp-json/", 200, &[], on)],
    );
    assert!(
        fp.findings[0]
            .detail
            .contains("offers application passwords")
    );
    let fp = fingerprint(
        &[site(401, &[], "")],
        &[answer("https://example.com/wp-json/", 200, &[], off)],
    );
    assert!(
        fp.findings[0]
            .detail
            .contains("does not offer application passwords")
    );
}

#[test]
fn harmless_probe_answers_reveal_wordpress() {
    let login = "<form name=\"loginform\" id=\"loginform\" action=\"https://example.com/wp-login.php\" \
                 method=\"post\"><input type=\"text\" name=\"log\" id=\"user_login\">";
    let robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n";
    let fp = fingerprint(
        &[site(401, &[("server", "nginx")], "")],
        &[
            answer("https://example.com/wp-login.php", 200, &[], login),
            answer("https://example.com/robots.txt", 200, &[], robots),
        ],
    );
    assert_eq!(fp.cms.map(|c| c.name), Some("WordPress".to_owned()));
    assert_eq!(fp.server.map(|s| s.name), Some("nginx".to_owned()));
}

#[test]
fn a_plain_site_has_no_cms_and_no_findings() {
    let fp = fingerprint(
        &[site(
            401,
            &[
                ("server", "Apache"),
                ("www-authenticate", "Basic realm=\"x\""),
            ],
            "<h1>401</h1>",
        )],
        &[answer(
            "https://example.com/wp-json/",
            404,
            &[],
            "<h1>Not Found</h1>",
        )],
    );
    assert!(fp.cms.is_none());
    assert!(fp.findings.is_empty());
}

#[test]
fn a_wordfence_block_page_is_a_security_plugin_block_with_exact_steps() {
    let body = "<h1>Your access to this site has been limited by the site owner</h1> ... \
                <p>Generated by Wordfence at Sun, 23 Nov 2025 6:00:00 GMT.</p>";
    let fp = fingerprint(&[site(403, &[("server", "Apache")], body)], &[]);
    assert_eq!(names(&fp.protections), vec!["Wordfence"]);
    let f = fp
        .findings
        .iter()
        .find(|f| f.code == Code::SecurityPluginBlock);
    let Some(f) = f else {
        panic!("no security-plugin-block: {:?}", codes(&fp));
    };
    assert_eq!(f.severity, Severity::Problem);
    assert!(f.next_steps[0].contains("Plugins → Installed Plugins → Deactivate Wordfence"));
    assert!(f.next_steps[1].contains("wp-content/plugins/wordfence to wordfence-off"));
    assert!(f.next_steps[2].contains("Firewall → Blocking"));
    assert!(f.next_steps[2].contains("Live Traffic"));
}

#[test]
fn wordfence_cookies_on_a_normal_page_are_presence_only() {
    let fp = fingerprint(
        &[site(
            200,
            &[("set-cookie", "wfwaf-authcookie-abc=SECRETVALUE; path=/")],
            "",
        )],
        &[],
    );
    assert_eq!(names(&fp.protections), vec!["Wordfence"]);
    assert!(fp.findings.is_empty());
    let json = crate::engine::test_json(&fp);
    assert!(!json.contains("SECRETVALUE"), "{json}");
}

#[test]
fn solid_security_lockouts_name_its_folder() {
    let body = "<p>Error: You have been locked out due to too many invalid login attempts.</p>";
    let fp = fingerprint(&[site(403, &[], body)], &[]);
    let f = fp
        .findings
        .iter()
        .find(|f| f.code == Code::SecurityPluginBlock);
    assert!(
        f.is_some_and(|f| f.next_steps[1].contains("plugins/better-wp-security")),
        "{:?}",
        codes(&fp)
    );
}

#[test]
fn cloudflare_1020_is_a_waf_block_with_the_ray_id() {
    let body = "<title>Access denied | example.com used Cloudflare to restrict access</title>\
                <h1>Error 1020</h1> Access denied <span>Cloudflare Ray ID: 8a1b2c3d4e5f</span>";
    let fp = fingerprint(
        &[site(
            403,
            &[("server", "cloudflare"), ("cf-ray", "8a1b2c3d4e5f-FRA")],
            body,
        )],
        &[],
    );
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    let Some(f) = f else {
        panic!("no waf-block: {:?}", codes(&fp));
    };
    assert!(f.title.contains("Cloudflare"));
    assert!(f.next_steps[0].contains("Security → Events"));
    assert!(f.next_steps[1].contains("Security → WAF"));
    assert!(
        f.evidence
            .iter()
            .any(|e| e.label == "Ray ID" && e.value == "8a1b2c3d4e5f-FRA")
    );
    assert!(codes(&fp).contains(&Code::CdnInFront));
}

#[test]
fn a_cloudflare_challenge_is_explained_as_a_browser_check() {
    let fp = fingerprint(
        &[site(
            403,
            &[
                ("server", "cloudflare"),
                ("cf-mitigated", "challenge"),
                ("cf-ray", "1-X"),
            ],
            "<title>Just a moment...</title>",
        )],
        &[],
    );
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    assert!(f.is_some_and(|f| f.detail.contains("browser check")));
}

#[test]
fn a_401_passed_through_cloudflare_is_not_a_block() {
    let fp = fingerprint(
        &[site(
            401,
            &[
                ("server", "cloudflare"),
                ("cf-ray", "1-X"),
                ("www-authenticate", "Basic realm=\"a\""),
            ],
            "Unauthorized",
        )],
        &[],
    );
    assert!(!codes(&fp).contains(&Code::WafBlock));
}

#[test]
fn sucuri_block_points_at_access_control() {
    let body = "<title>Sucuri WebSite Firewall - Access Denied</title>";
    let fp = fingerprint(
        &[site(
            403,
            &[("server", "Sucuri/Cloudproxy"), ("x-sucuri-id", "16014")],
            body,
        )],
        &[],
    );
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    assert!(f.is_some_and(|f| f.next_steps[0].contains("Firewall → Access Control")));
    assert_eq!(names(&fp.cdns), vec!["Sucuri"]);
}

#[test]
fn akamai_reference_numbers_are_decoded() {
    let body = "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>\
                You don't have permission to access this server.<P>\
                Reference&#32;&#35;18&#46;2f1e3b17&#46;1700000000&#46;abcdef</BODY></HTML>";
    let fp = fingerprint(&[site(403, &[("server", "AkamaiGHost")], body)], &[]);
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    let Some(f) = f else {
        panic!("no waf-block: {:?}", codes(&fp));
    };
    assert!(
        f.evidence
            .iter()
            .any(|e| e.label == "Akamai reference" && e.value == "18.2f1e3b17.1700000000.abcdef"),
        "{:?}",
        f.evidence
    );
}

#[test]
fn aws_waf_behind_cloudfront_is_recognised() {
    let body = "<H1>403 ERROR</H1><H2>The request could not be satisfied.</H2>Request blocked. \
                We can't connect to the server for this app or website at this time. \
                Generated by cloudfront (CloudFront)";
    let fp = fingerprint(
        &[site(
            403,
            &[
                ("x-cache", "Error from cloudfront"),
                ("x-amz-cf-id", "abc123=="),
            ],
            body,
        )],
        &[],
    );
    assert!(names(&fp.cdns).contains(&"Amazon CloudFront"));
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    assert!(f.is_some_and(|f| f.title.contains("AWS WAF") && f.next_steps[0].contains("Web ACLs")));
}

#[test]
fn cloudfront_passing_on_the_sites_401_is_only_a_cdn() {
    let fp = fingerprint(
        &[site(
            401,
            &[
                ("x-cache", "Error from cloudfront"),
                ("via", "1.1 abc.cloudfront.net (CloudFront)"),
            ],
            "",
        )],
        &[],
    );
    assert_eq!(codes(&fp), vec![Code::CdnInFront]);
}

#[test]
fn imperva_is_recognised_from_headers_cookies_and_incident_ids() {
    let body = "<html>Request unsuccessful. Incapsula incident ID: 1234000560-78901</html>";
    let fp = fingerprint(
        &[site(
            403,
            &[
                ("x-iinfo", "10-1234-0 0NNN"),
                ("set-cookie", "incap_ses_123_456=abc; path=/"),
            ],
            body,
        )],
        &[],
    );
    let imperva = fp
        .protections
        .iter()
        .find(|d| d.name == "Imperva (Incapsula)");
    assert!(imperva.is_some_and(|d| {
        d.evidence
            .iter()
            .any(|(l, v)| l == "Set-Cookie name" && v == "incap_ses_123_456")
    }));
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    assert!(f.is_some_and(|f| f.evidence.iter().any(|e| e.value == "1234000560-78901")));
}

#[test]
fn modsecurity_block_on_cpanel_gets_panel_steps_and_rule_id() {
    let body = "<h1>Not Acceptable!</h1><p>An appropriate representation of the requested \
                resource could not be found on this server. This error was generated by \
                Mod_Security.</p><!-- [id \"949110\"] -->";
    let fp = fingerprint(
        &[site(
            406,
            &[("server", "Apache"), ("set-cookie", "cpsession=x")],
            body,
        )],
        &[],
    );
    assert_eq!(names(&fp.panels), vec!["cPanel"]);
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    let Some(f) = f else {
        panic!("no waf-block: {:?}", codes(&fp));
    };
    assert!(f.next_steps[0].contains("cPanel, open Security → ModSecurity"));
    assert!(f.next_steps[0].contains("rule 949110"));
}

#[test]
fn an_aws_load_balancer_only_counts_as_a_firewall_on_a_403() {
    let fp = fingerprint(&[site(503, &[("server", "awselb/2.0")], "")], &[]);
    assert!(fp.protections.is_empty() && fp.findings.is_empty());
    let fp = fingerprint(
        &[site(
            403,
            &[("server", "awselb/2.0")],
            "<h1>403 Forbidden</h1>",
        )],
        &[],
    );
    let f = fp.findings.iter().find(|f| f.code == Code::WafBlock);
    assert!(f.is_some_and(|f| f.detail.contains("load balancer")));
}

#[test]
fn an_old_cloudflare_nginx_server_header_is_not_the_sites_server() {
    let fp = fingerprint(&[site(401, &[("server", "cloudflare-nginx")], "")], &[]);
    assert!(fp.server.is_none());
}

#[test]
fn plesk_is_recognised_from_its_header() {
    let fp = fingerprint(&[site(401, &[("x-powered-by-plesk", "PleskLin")], "")], &[]);
    assert_eq!(names(&fp.panels), vec!["Plesk"]);
    assert!(fp.findings.is_empty());
}

#[test]
fn cdns_are_listed_and_a_cached_401_is_called_out() {
    let fp = fingerprint(
        &[site(
            401,
            &[
                ("x-served-by", "cache-fra-etou8220082-FRA"),
                ("x-cache", "HIT"),
                ("x-fastly-request-id", "abc"),
            ],
            "",
        )],
        &[],
    );
    let f = fp.findings.iter().find(|f| f.code == Code::CdnInFront);
    let Some(f) = f else {
        panic!("{:?}", codes(&fp));
    };
    assert!(f.detail.contains("Fastly"));
    assert!(f.detail.contains("came from the CDN's cache"));
    assert!(f.next_steps[0].contains("Purge"));
    for (headers, name) in [
        (vec![("server", "BunnyCDN-DE1-123")], "Bunny CDN"),
        (vec![("server", "keycdn-engine")], "KeyCDN"),
        (vec![("x-vercel-id", "fra1::abc")], "Vercel"),
    ] {
        let fp = fingerprint(&[site(401, &headers, "")], &[]);
        assert_eq!(names(&fp.cdns), vec![name]);
    }
}

#[test]
fn words_inside_other_words_do_not_match() {
    // "aiowps" must not match inside another word, and bodies without signs stay quiet.
    let fp = fingerprint(&[site(403, &[], "xaiowps and nothing else")], &[]);
    assert!(fp.protections.is_empty());
}

#[test]
fn fingerprints_serialize_and_deserialize() {
    let fp = fingerprint(
        &[site(
            403,
            &[("server", "cloudflare"), ("cf-ray", "1-X")],
            "error 1020",
        )],
        &[],
    );
    let json = crate::engine::test_json(&fp);
    let back: Fingerprint = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, fp);
}

#[test]
fn entity_decoding_survives_broken_entities() {
    assert_eq!(
        decode_number_entities("a&#46;b&#x;c&#99999999;d&#"),
        "a.b&#x;c&#99999999;d&#"
    );
}

#[test]
fn random_bytes_do_not_panic() {
    let mut seed: u32 = 11;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        seed
    };
    for _ in 0..200 {
        let bytes: Vec<u8> = (0..400).map(|_| (next() >> 16) as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let with_signs = format!("{text}reference #{text}[id \"{text}incident id:{text}&#");
        let a = answer(
            &text,
            403,
            &[("server", &text), ("set-cookie", &text), ("cf-ray", &text)],
            &with_signs,
        );
        let both = std::slice::from_ref(&a);
        let _ = fingerprint(both, both);
    }
}

#[test]
fn a_megabyte_body_is_handled_in_bounded_work() {
    // Counted work (the bytes scanned), not a clock: past the scan limit a larger body
    // costs nothing more, and below it the work grows with the body, not faster.
    let body = |n: usize| "wp-login.php ".repeat(8 * n) + &"é<".repeat(10 * n);
    let work_for = |text: &str| {
        let ((), units) = crate::engine::work::measure(|| {
            let _ = fingerprint(&[site(403, &[], text)], &[site(200, &[], text)]);
        });
        units
    };
    let megabyte = work_for(&body(10_000));
    let ten_megabytes = work_for(&body(100_000));
    assert_eq!(
        megabyte, ten_megabytes,
        "the scan stops at {MAX_SCAN_BYTES} bytes"
    );
    let small_bytes = body(100).len();
    let small = work_for(&body(100)) as f64 / small_bytes as f64;
    let limit = megabyte as f64 / MAX_SCAN_BYTES as f64;
    assert!(
        limit <= 2.0 * small,
        "{small:.1} units per byte, then {limit:.1}"
    );
}
