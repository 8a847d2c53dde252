//! Unit tests of this folder's module.

use super::*;

const BCRYPT: &str = "$2y$05$abcdefghijklmnopqrstuuJ0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o";
const APR1: &str = "$apr1$abcdefgh$0123456789abcdefghijk.";

fn ctx() -> HtaccessContext {
    HtaccessContext::default()
}

fn problems(report: &HtaccessReport) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.code == Code::HtaccessProblem)
        .collect()
}

fn titles(report: &HtaccessReport) -> Vec<String> {
    problems(report).iter().map(|f| f.title.clone()).collect()
}

fn has(report: &HtaccessReport, title_part: &str) -> bool {
    titles(report).iter().any(|t| t.contains(title_part))
}

fn line_of(report: &HtaccessReport, title_part: &str) -> Option<String> {
    problems(report)
        .into_iter()
        .find(|f| f.title.contains(title_part))
        .and_then(|f| f.evidence.first())
        .map(|e| e.label.clone())
}

const GOOD: &str = "AuthType Basic\nAuthName \"Members only\"\nAuthUserFile /home/alice/.htpasswd\nRequire valid-user\n";

#[test]
fn a_correct_htaccess_has_no_problems_and_a_walkthrough() {
    let pw = format!("alice:{BCRYPT}\nbob:{APR1}\n");
    let report = check(GOOD, Some(&pw), &ctx());
    assert_eq!(report.kind, ConfigKind::Apache);
    assert!(problems(&report).is_empty(), "{:?}", titles(&report));
    assert_eq!(report.directives.len(), 4);
    assert_eq!(report.directives[0].line, 1);
    assert!(report.directives[0].meaning.contains("Basic sign-in"));
    let walk = report
        .findings
        .last()
        .map(|f| f.detail.clone())
        .unwrap_or_default();
    assert!(
        walk.contains("Basic sign-in for the area \"Members only\""),
        "{walk}"
    );
    assert!(walk.contains("anyone in the password file"), "{walk}");
    assert!(
        walk.contains("2 users: alice (bcrypt), bob (Apache MD5 ($apr1$))"),
        "{walk}"
    );
    assert_eq!(
        report.findings.last().map(|f| f.code),
        Some(Code::HtaccessExplained)
    );
}

#[test]
fn a_relative_auth_user_file_is_flagged_with_its_line() {
    let text = "AuthType Basic\nAuthName \"x\"\nAuthUserFile .htpasswd\nRequire valid-user\n";
    let report = check(text, None, &ctx());
    assert_eq!(line_of(&report, "relative").as_deref(), Some("Line 3"));
    let f = problems(&report)[0];
    assert!(f.detail.contains("ServerRoot"));
    assert_eq!(f.evidence[0].value, "AuthUserFile .htpasswd");
}

#[test]
fn a_missing_auth_user_file_auth_type_or_auth_name_is_flagged() {
    let report = check(
        "AuthType Basic\nAuthName \"x\"\nRequire valid-user\n",
        None,
        &ctx(),
    );
    assert!(
        has(&report, "No password file is named"),
        "{:?}",
        titles(&report)
    );
    let report = check(
        "AuthName \"x\"\nAuthUserFile /a/.htpasswd\nRequire valid-user\n",
        None,
        &ctx(),
    );
    assert_eq!(
        line_of(&report, "AuthType is missing").as_deref(),
        Some("Line 3")
    );
    let report = check(
        "AuthType Basic\nAuthUserFile /a/.htpasswd\nRequire valid-user\n",
        None,
        &ctx(),
    );
    assert_eq!(
        line_of(&report, "AuthName is missing").as_deref(),
        Some("Line 1")
    );
}

#[test]
fn a_provider_other_than_file_needs_no_auth_user_file() {
    let text = "AuthType Basic\nAuthName x\nAuthBasicProvider ldap\nAuthLDAPURL ldap://dc/x\nRequire valid-user\n";
    assert!(problems(&check(text, None, &ctx())).is_empty());
}

#[test]
fn a_password_file_in_the_web_root_is_a_warning() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /home/u/public_html/passwords.txt\nRequire valid-user\n";
    let report = check(text, None, &ctx());
    let f = problems(&report)
        .into_iter()
        .find(|f| f.title.contains("web site's folder"));
    assert!(f.is_some_and(|f| f.severity == Severity::Warning && f.detail.contains("download")));
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /var/www/.htpasswd\nRequire valid-user\n";
    assert!(problems(&check(text, None, &ctx())).is_empty());
    let text = "DocumentRoot /srv/site\nAuthType Basic\nAuthName x\nAuthUserFile /srv/site/.htpasswd\nRequire valid-user\n";
    assert!(has(&check(text, None, &ctx()), "web site's folder"));
}

#[test]
fn a_required_user_missing_from_the_password_file_is_named() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/.htpasswd\nRequire user Alice carol\n";
    let pw = format!("alice:{BCRYPT}\n");
    let report = check(text, Some(&pw), &ctx());
    let missing: Vec<&Finding> = problems(&report)
        .into_iter()
        .filter(|f| f.title.contains("not in the password file"))
        .collect();
    assert_eq!(missing.len(), 2);
    assert!(
        missing[0].detail.contains("\"Alice\"") && missing[0].detail.contains("capital letters")
    );
    assert!(missing[1].next_steps[0].contains("htpasswd /full/path/.htpasswd carol"));
    assert_eq!(missing[0].evidence[0].label, "Line 4");
}

#[test]
fn password_hash_formats_are_recognised() {
    let pw = format!(
        "a:{BCRYPT}\nb:{APR1}\nc:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nd:rl5dn0OvcrGpQ\ne:$5$salt$abc\nf:$6$salt$abc\ng:hunter22\nh:$argon2id$v=19$m=65536$x\ni:5f4dcc3b5aa765d61d8327deb882cf99\nj:$2b$10$abcdefghijklmnopqrstuu\nk:{{SSHA}}abcd\n"
    );
    let report = check(GOOD, Some(&pw), &ctx());
    let ps = problems(&report);
    let about = |user: &str| {
        ps.iter()
            .find(|f| f.detail.contains(&format!("\"{user}\"")))
            .map(|f| f.severity)
    };
    assert_eq!(about("a"), None);
    assert_eq!(about("b"), None);
    assert_eq!(about("c"), None);
    assert_eq!(about("d"), Some(Severity::Warning));
    assert_eq!(about("e"), None);
    assert_eq!(about("f"), None);
    assert_eq!(about("g"), Some(Severity::Problem));
    assert_eq!(about("h"), Some(Severity::Problem));
    assert_eq!(about("i"), Some(Severity::Problem));
    assert_eq!(about("j"), Some(Severity::Warning));
    assert_eq!(about("k"), Some(Severity::Problem));
    let plain = ps
        .iter()
        .find(|f| f.detail.contains("\"g\""))
        .map(|f| f.evidence[0].clone());
    assert_eq!(
        plain.as_ref().map(|e| e.label.as_str()),
        Some("Password file, line 7")
    );
    assert_eq!(
        plain.map(|e| e.value),
        Some("g:(password hidden)".to_owned())
    );
    let json = crate::engine::test_json(&report);
    assert!(
        !json.contains("hunter22") && !json.contains(BCRYPT) && !json.contains("$apr1$abcdefgh$"),
        "{json}"
    );
}

#[test]
fn digest_files_with_basic_and_basic_files_with_digest_are_flagged() {
    let digest_line = "alice:Members:0123456789abcdef0123456789abcdef\n";
    let report = check(GOOD, Some(digest_line), &ctx());
    assert_eq!(
        line_of(&report, "Digest password file used with Basic").as_deref(),
        Some("Line 1")
    );
    let text = "AuthType Digest\nAuthName \"Members\"\nAuthDigestProvider file\nAuthUserFile /a/.htdigest\nRequire valid-user\n";
    let report = check(text, Some(&format!("alice:{APR1}\n")), &ctx());
    assert!(
        has(&report, "Basic password file used with Digest"),
        "{:?}",
        titles(&report)
    );
    let report = check(text, Some(digest_line), &ctx());
    assert!(problems(&report).is_empty(), "{:?}", titles(&report));
    let report = check(
        text,
        Some("alice:members:0123456789abcdef0123456789abcdef\n"),
        &ctx(),
    );
    assert_eq!(
        line_of(&report, "realm does not match").as_deref(),
        Some("Line 2")
    );
}

#[test]
fn auth_type_that_does_not_match_the_observed_challenge_is_flagged() {
    let context = HtaccessContext {
        observed_scheme: Some("Digest".to_owned()),
        site_is_http: false,
    };
    let report = check(GOOD, None, &context);
    assert_eq!(
        line_of(&report, "different sign-in").as_deref(),
        Some("Line 1")
    );
    let context = HtaccessContext {
        observed_scheme: Some("basic".to_owned()),
        site_is_http: false,
    };
    assert!(problems(&check(GOOD, None, &context)).is_empty());
}

#[test]
fn basic_over_http_is_a_warning() {
    let context = HtaccessContext {
        observed_scheme: None,
        site_is_http: true,
    };
    let report = check(GOOD, None, &context);
    let f = problems(&report)
        .into_iter()
        .find(|f| f.title.contains("plain http"));
    assert!(f.is_some_and(|f| f.severity == Severity::Warning));
}

#[test]
fn requires_that_can_never_be_met_are_flagged() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\n<RequireAll>\n  Require all denied\n  Require valid-user\n</RequireAll>\n";
    assert_eq!(
        line_of(&check(text, None, &ctx()), "never be met").as_deref(),
        Some("Line 5")
    );
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\n<RequireAll>\nRequire user alice\nRequire user bob\n</RequireAll>\n";
    assert_eq!(
        line_of(&check(text, None, &ctx()), "never be met").as_deref(),
        Some("Line 6")
    );
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\n<RequireAll>\nRequire user alice bob\nRequire user bob\n</RequireAll>\n";
    assert!(!has(&check(text, None, &ctx()), "never be met"));
    let report = check(GOOD, Some("# nobody yet\n"), &ctx());
    assert!(has(&report, "no users"), "{:?}", titles(&report));
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire all denied\n";
    assert!(has(&check(text, None, &ctx()), "never be met"));
}

#[test]
fn require_all_denied_or_granted_next_to_valid_user_is_explained() {
    let text =
        "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire all denied\nRequire valid-user\n";
    let report = check(text, None, &ctx());
    assert_eq!(line_of(&report, "has no effect").as_deref(), Some("Line 4"));
    let text =
        "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire all granted\nRequire valid-user\n";
    assert!(has(&check(text, None, &ctx()), "password is never asked"));
}

#[test]
fn satisfy_any_with_ip_rules_is_explained() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire valid-user\nOrder deny,allow\nDeny from all\nAllow from 203.0.113.0/24\nSatisfy Any\n";
    let report = check(text, None, &ctx());
    let f = problems(&report)
        .into_iter()
        .find(|f| f.title.contains("IP address or password"));
    assert!(f.is_some_and(
        |f| f.detail.contains("without a password") && f.evidence[0].label == "Line 8"
    ));
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire valid-user\nAllow from all\nSatisfy any\n";
    assert!(has(&check(text, None, &ctx()), "never asked"));
}

#[test]
fn deny_from_all_with_a_password_blocks_everyone() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire valid-user\nOrder deny,allow\nDeny from all\n";
    assert_eq!(
        line_of(&check(text, None, &ctx()), "Deny from all blocks").as_deref(),
        Some("Line 6")
    );
}

#[test]
fn mixed_old_and_new_access_rules_are_a_warning() {
    let text = "Order allow,deny\nAllow from all\nRequire all granted\n";
    assert!(has(&check(text, None, &ctx()), "Old and new"));
}

#[test]
fn limit_around_require_leaves_other_methods_open() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\n<Limit GET>\nRequire valid-user\n</Limit>\n";
    let report = check(text, None, &ctx());
    assert_eq!(
        line_of(&report, "Only some request methods").as_deref(),
        Some("Line 4")
    );
    assert!(
        report
            .directives
            .iter()
            .any(|d| d.line == 4 && d.meaning.contains("only to the request methods GET"))
    );
}

#[test]
fn files_sections_ifmodule_and_continuations_are_understood() {
    let text = "<IfModule mod_auth_basic.c>\n<Files \"wp-login.php\">\n  AuthType Basic\n  AuthName \\\n    \"Admin area\"\n  AuthUserFile \"/home/u/.htpasswd\"\n  Require valid-user\n</Files>\n</IfModule>\n";
    let report = check(text, None, &ctx());
    assert!(problems(&report).is_empty(), "{:?}", titles(&report));
    let name_line = report
        .directives
        .iter()
        .find(|d| d.text.starts_with("AuthName"));
    assert_eq!(name_line.map(|d| d.line), Some(4));
    assert!(name_line.is_some_and(|d| d.meaning.contains("\"Admin area\"")));
    assert!(
        report
            .directives
            .iter()
            .any(|d| d.meaning.contains("only to files named wp-login.php"))
    );
    assert!(
        report
            .directives
            .iter()
            .any(|d| d.meaning.contains("silently skipped"))
    );
}

#[test]
fn settings_in_the_parent_scope_apply_inside_files_sections() {
    let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\n<FilesMatch \"\\.(php)$\">\nRequire valid-user\n</FilesMatch>\n";
    assert!(problems(&check(text, None, &ctx())).is_empty());
}

#[test]
fn negative_require_outside_require_all_is_an_error() {
    let text = "Require not ip 10.0.0.1\n";
    assert!(has(&check(text, None, &ctx()), "Require not"));
    let text = "<RequireAll>\nRequire all granted\nRequire not ip 10.0.0.1\n</RequireAll>\n";
    assert!(problems(&check(text, None, &ctx())).is_empty());
}

#[test]
fn malformed_directives_are_flagged() {
    let text = "AuthType Basic Auth\nAuthName x\nAuthUserFile /my files/.htpasswd\nRequire\nRequire group admins\n";
    let report = check(text, None, &ctx());
    for part in [
        "wrong number of words",
        "space and no quotes",
        "nothing after it",
        "without a group file",
    ] {
        assert!(has(&report, part), "{part}: {:?}", titles(&report));
    }
}

#[test]
fn password_file_mistakes_are_found() {
    let pw = format!("\u{feff}alice:{BCRYPT}\nbob :{APR1}\nbob :{APR1}\nno-colon-here\n:{APR1}\n");
    let report = check(GOOD, Some(&pw), &ctx());
    for part in [
        "invisible character",
        "spaces around",
        "listed twice",
        "cannot be read",
        "no user name",
    ] {
        assert!(has(&report, part), "{part}: {:?}", titles(&report));
    }
    let json = crate::engine::test_json(&report);
    assert!(!json.contains("no-colon-here"), "{json}");
}

#[test]
fn error_document_401_and_authorization_passthrough_are_explained() {
    let text = "ErrorDocument 401 /401.html\nSetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1\nCGIPassAuth On\n";
    let report = check(text, None, &ctx());
    assert!(has(&report, "custom page for 401"));
    assert!(report.directives.iter().any(|d| {
        d.meaning
            .contains("Passes the Authorization header on to PHP")
    }));
    assert!(problems(&check("ErrorDocument 401 default\n", None, &ctx())).is_empty());
}

const NGINX: &str = "server {\n    listen 443 ssl;\n    root /var/www/site;\n    location /admin/ {\n        auth_basic \"Admin\";\n        auth_basic_user_file /etc/nginx/.htpasswd;\n    }\n}\n";

#[test]
fn a_correct_nginx_snippet_is_explained() {
    let report = check(NGINX, Some(&format!("admin:{APR1}\n")), &ctx());
    assert_eq!(report.kind, ConfigKind::Nginx);
    assert!(problems(&report).is_empty(), "{:?}", titles(&report));
    assert!(
        report
            .directives
            .iter()
            .any(|d| d.line == 5 && d.meaning.contains("\"Admin\""))
    );
    let walk = report
        .findings
        .last()
        .map(|f| f.detail.clone())
        .unwrap_or_default();
    assert!(walk.contains("in `location /admin/`"), "{walk}");
}

#[test]
fn nginx_auth_basic_off_in_a_nested_location_is_flagged() {
    let text = "location / {\n  auth_basic \"Site\";\n  auth_basic_user_file /etc/nginx/.htpasswd;\n  location /public/ {\n    auth_basic off;\n  }\n}\n";
    let report = check(text, None, &ctx());
    assert_eq!(line_of(&report, "switched off").as_deref(), Some("Line 5"));
}

#[test]
fn nginx_mistakes_are_found() {
    let text = "location /a/ {\n  auth_basic \"A\"\n  auth_basic_user_file htpasswd;\n}\nlocation /b/ {\n  auth_basic \"B\";\n}\n";
    let report = check(
        text,
        None,
        &HtaccessContext {
            observed_scheme: None,
            site_is_http: true,
        },
    );
    assert!(has(&report, "malformed"), "{:?}", titles(&report));
    assert!(
        problems(&report)
            .iter()
            .any(|f| f.detail.contains("semicolon"))
    );
    assert!(has(&report, "without a password file"));
    assert!(has(&report, "plain http"));
    let text = "auth_basic \"A\";\nauth_basic_user_file conf/htpasswd;\n";
    assert!(has(&check(text, None, &ctx()), "relative"));
    let text = "server {\nroot /var/www/site;\nauth_basic \"A\";\nauth_basic_user_file /var/www/site/.htpasswd;\n}\n";
    let report = check(text, None, &ctx());
    assert!(
        problems(&report)
            .iter()
            .any(|f| f.title.contains("web site's folder") && f.detail.contains("no default rule"))
    );
}

#[test]
fn nginx_plain_text_and_digest_password_files_are_flagged() {
    let report = check(NGINX, Some("admin:secret123\n"), &ctx());
    let f = problems(&report)
        .into_iter()
        .find(|f| f.detail.contains("plain text"));
    assert!(f.is_some_and(|f| f.detail.contains("nginx")));
    assert!(
        problems(&check(NGINX, Some("admin:{PLAIN}secret123\n"), &ctx()))
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    let report = check(
        NGINX,
        Some("admin:Admin:0123456789abcdef0123456789abcdef\n"),
        &ctx(),
    );
    assert!(has(&report, "Digest password file used with nginx"));
    let report = check(NGINX, Some(&format!("admin:{BCRYPT}\n")), &ctx());
    assert!(
        problems(&report)
            .iter()
            .any(|f| f.severity == Severity::Warning && f.detail.contains("bcrypt"))
    );
}

#[test]
fn nginx_satisfy_any_and_observed_scheme_are_checked() {
    let text = "location / {\n satisfy any;\n allow 192.0.2.0/24;\n deny all;\n auth_basic \"x\";\n auth_basic_user_file /etc/nginx/p;\n}\n";
    let report = check(
        text,
        None,
        &HtaccessContext {
            observed_scheme: Some("Bearer".to_owned()),
            site_is_http: false,
        },
    );
    assert!(has(&report, "IP address or password"));
    assert!(has(&report, "different sign-in"));
}

#[test]
fn an_empty_or_unrelated_file_is_explained_without_problems() {
    let report = check("", None, &ctx());
    assert!(problems(&report).is_empty());
    assert_eq!(report.findings.len(), 1);
    let report = check(
        "RewriteEngine On\nRewriteRule ^old$ /new [R=301,L]\n",
        None,
        &ctx(),
    );
    assert!(problems(&report).is_empty());
    assert!(report.findings[0].detail.contains("no sign-in settings"));
}

#[test]
fn random_bytes_do_not_panic() {
    let mut seed: u32 = 5;
    let mut next = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        seed
    };
    let pieces = [
        "<",
        ">",
        "</",
        "\"",
        "'",
        "\\\n",
        "{",
        "}",
        ";",
        ":",
        "\n",
        " ",
        "Require",
        "AuthType",
        "auth_basic",
        "location",
        "<RequireAll>",
        "</Files>",
        "$2y$",
        "#",
        "é",
    ];
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..(next() >> 24) {
            let r = next();
            if r % 3 == 0 {
                text.push_str(pieces[(r >> 8) as usize % pieces.len()]);
            } else {
                text.push(char::from_u32((r >> 8) % 0x3000).unwrap_or('x'));
            }
        }
        let context = HtaccessContext {
            observed_scheme: Some(text.clone()),
            site_is_http: true,
        };
        let _ = check(&text, Some(&text), &context);
        let bytes: Vec<u8> = (0..300).map(|_| (next() >> 16) as u8).collect();
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = check(&lossy, Some(&lossy), &ctx());
    }
}

/// The checker's counted work (bytes, lines and steps it looks at) per byte of input.
fn work_per_byte(text: &str, password_file: &str) -> f64 {
    let ((), units) = work::measure(|| {
        let _ = check(text, Some(password_file), &ctx());
    });
    let input = text.len() + password_file.len();
    assert!(
        units >= input as u64,
        "every byte is looked at: {units} for {input}"
    );
    units as f64 / input as f64
}

#[test]
fn a_megabyte_config_is_handled_in_linear_time() {
    // Counted work, not a clock: about the same per byte for a file 10 times smaller.
    let cases = [
        (
            "apache",
            "AuthType Basic\nRequire user a\n<RequireAll>\nRequire user b\n",
            40_000,
        ),
        (
            "nginx",
            "location /x { auth_basic \"x\"; auth_basic_user_file p; }\n",
            20_000,
        ),
        ("deep", "<Directory /x>\n", 50_000),
        ("braces", "{", 1_000_000),
    ];
    let pw = |n: usize| format!("u:{APR1}\n").repeat(n);
    for (name, piece, n) in cases {
        let small = work_per_byte(&piece.repeat(n / 10), &pw(2_500));
        let large = work_per_byte(&piece.repeat(n), &pw(25_000));
        assert!(
            large <= 2.0 * small,
            "{name}: {small:.2} units per byte, then {large:.2}"
        );
    }
}
