//! Unit tests of this folder's module.

use super::*;

fn check(input: &str) -> AddressCheck {
    match check_address(input) {
        Ok(check) => check,
        Err(error) => panic!("{input:?} should be accepted, got: {error}"),
    }
}

fn reason(input: &str) -> String {
    match check_address(input) {
        Err(AddressError::Unrepairable { reason, .. }) => reason,
        other => panic!("{input:?} should be unrepairable, got: {other:?}"),
    }
}

fn whats(check: &AddressCheck) -> Vec<&str> {
    check.repairs.iter().map(|r| r.what.as_str()).collect()
}

fn has_doubt(check: &AddressCheck, part: &str) -> bool {
    check.doubts.iter().any(|d| d.contains(part))
}

#[test]
fn a_clean_https_address_has_no_repairs_and_no_doubts() {
    let c = check("https://example.com/path?q=1");
    assert_eq!(c.url.as_str(), "https://example.com/path?q=1");
    assert!(c.repairs.is_empty());
    assert!(c.doubts.is_empty(), "{:?}", c.doubts);
    assert_eq!(c.punycode_host, None);
}

#[test]
fn empty_and_blank_inputs_are_empty() {
    for input in ["", "   ", "\u{a0}\u{200b}\t\n", "\"\"", "<>", "``", "( )"] {
        assert_eq!(check_address(input), Err(AddressError::Empty), "{input:?}");
    }
    assert_eq!(AddressError::Empty.to_string(), "the address is empty");
}

#[test]
fn spaces_around_the_address_are_removed_and_reported() {
    let c = check("   https://example.com/  ");
    assert_eq!(c.url.as_str(), "https://example.com/");
    assert_eq!(
        c.repairs,
        vec![Repair {
            what: "Removed the spaces around the address.".to_owned(),
            before: "   https://example.com/  ".to_owned(),
            after: "https://example.com/".to_owned(),
        }]
    );
}

#[test]
fn non_breaking_and_zero_width_spaces_around_the_address_are_removed() {
    let c = check("\u{a0}\u{200b}https://example.com/\u{feff}\u{a0}");
    assert_eq!(c.url.as_str(), "https://example.com/");
    assert_eq!(
        whats(&c),
        ["Removed the spaces and invisible characters around the address."]
    );
    let c = check("\u{200b}https://example.com/");
    assert_eq!(
        whats(&c),
        ["Removed invisible characters around the address."]
    );
}

#[test]
fn invisible_characters_inside_the_address_are_removed() {
    let c = check("https://exam\u{200b}ple.com/very/\nlong/path");
    assert_eq!(c.url.as_str(), "https://example.com/very/long/path");
    assert_eq!(c.repairs.len(), 1);
    assert!(c.repairs[0].what.contains("invisible characters"));
}

#[test]
fn quotes_angle_brackets_and_backticks_around_the_address_are_removed() {
    let cases = [
        ("\"https://example.com/\"", "quotation marks"),
        ("'https://example.com/'", "quotation marks"),
        ("“https://example.com/”", "quotation marks"),
        ("<https://example.com/>", "angle brackets"),
        ("`https://example.com/`", "backticks"),
        ("(https://example.com/)", "brackets"),
    ];
    for (input, name) in cases {
        let c = check(input);
        assert_eq!(c.url.as_str(), "https://example.com/", "{input}");
        assert_eq!(
            whats(&c),
            [format!("Removed the {name} around the address.")],
            "{input}"
        );
    }
}

#[test]
fn punctuation_pasted_from_a_sentence_is_removed() {
    for (input, name) in [
        ("https://example.com/login.", "full stop"),
        ("https://example.com/login,", "comma"),
        ("https://example.com/login)", "closing bracket"),
        ("https://example.com/login'", "quotation mark"),
        ("https://example.com/login\"", "quotation mark"),
        ("https://example.com/login!", "exclamation mark"),
        (
            "https://example.com/login).",
            "closing bracket and full stop",
        ),
    ] {
        let c = check(input);
        assert_eq!(c.url.as_str(), "https://example.com/login", "{input}");
        assert_eq!(c.repairs.len(), 1, "{input}");
        assert_eq!(c.repairs[0].before, input);
        assert_eq!(c.repairs[0].after, "https://example.com/login");
        assert_eq!(
            c.repairs[0].what,
            format!(
                "Removed the {name} after the address; it was probably part of the sentence \
                 it was copied from."
            )
        );
    }
    let c = check("\"https://example.com/login\".");
    assert_eq!(c.url.as_str(), "https://example.com/login");
    assert_eq!(
        whats(&c),
        ["Removed the quotation marks around the address and the full stop after it."]
    );
}

#[test]
fn brackets_that_belong_to_the_address_are_kept() {
    let c = check("https://en.wikipedia.org/wiki/Mercury_(planet)");
    assert!(c.repairs.is_empty());
    assert_eq!(c.url.path(), "/wiki/Mercury_(planet)");
    let c = check("(see https://en.wikipedia.org/wiki/Mercury_(planet))");
    assert_eq!(c.url.path(), "/wiki/Mercury_(planet)");
}

#[test]
fn a_missing_scheme_becomes_https() {
    let c = check("example.com/login");
    assert_eq!(c.url.as_str(), "https://example.com/login");
    assert_eq!(
        c.repairs,
        vec![Repair {
            what: "Added https:// because the address had no scheme.".to_owned(),
            before: "example.com/login".to_owned(),
            after: "https://example.com/login".to_owned(),
        }]
    );
    assert!(c.doubts.is_empty());
    for (input, expected) in [
        ("www.example.com", "https://www.example.com/"),
        ("//example.com/a", "https://example.com/a"),
        ("://example.com/a", "https://example.com/a"),
        ("example.com:8443/a", "https://example.com:8443/a"),
        ("localhost:8080", "https://localhost:8080/"),
    ] {
        let c = check(input);
        assert_eq!(c.url.as_str(), expected, "{input}");
        assert_eq!(
            whats(&c),
            ["Added https:// because the address had no scheme."],
            "{input}"
        );
    }
}

#[test]
fn misspelt_schemes_are_corrected() {
    for (input, expected) in [
        ("htp://example.com/", "http://example.com/"),
        ("htps://example.com/", "https://example.com/"),
        ("http//example.com/", "http://example.com/"),
        ("https//example.com/", "https://example.com/"),
        ("http:/example.com/", "http://example.com/"),
        ("https:/example.com/", "https://example.com/"),
        ("hhtp://example.com/", "http://example.com/"),
        ("http;//example.com/", "http://example.com/"),
        ("http:\\\\example.com/", "http://example.com/"),
        ("ttps://example.com/", "https://example.com/"),
        ("ttp://example.com/", "http://example.com/"),
        ("http: //example.com/", "http://example.com/"),
        ("https:///example.com/", "https://example.com/"),
        ("htttps://example.com/", "https://example.com/"),
        ("hxxps://example.com/", "https://example.com/"),
        ("httsp://example.com/", "https://example.com/"),
        ("https:example.com/", "https://example.com/"),
    ] {
        let c = check(input);
        assert_eq!(c.url.as_str(), expected, "{input}");
        let scheme = c.url.scheme();
        assert_eq!(c.repairs.len(), 1, "{input}: {:?}", c.repairs);
        assert!(
            c.repairs[0].what.starts_with("Corrected \"")
                && c.repairs[0].what.contains(&format!("to \"{scheme}://\"")),
            "{input}: {}",
            c.repairs[0].what
        );
        assert_eq!(c.repairs[0].before, input);
    }
}

#[test]
fn a_misspelt_scheme_in_capitals_is_corrected_in_one_repair() {
    let c = check("HTP://example.com/");
    assert_eq!(c.url.as_str(), "http://example.com/");
    assert_eq!(
        whats(&c),
        ["Corrected \"HTP://\" to \"http://\" at the start of the address."]
    );
}

#[test]
fn backslashes_become_slashes() {
    let c = check("https://example.com\\admin\\login?next=a\\b");
    assert_eq!(c.url.as_str(), "https://example.com/admin/login?next=a\\b");
    assert_eq!(
        c.repairs,
        vec![Repair {
            what:
                "Replaced the backslashes (\\) with forward slashes (/), which web addresses use."
                    .to_owned(),
            before: "https://example.com\\admin\\login?next=a\\b".to_owned(),
            after: "https://example.com/admin/login?next=a\\b".to_owned(),
        }]
    );
}

#[test]
fn a_space_inside_the_host_is_removed() {
    let c = check("https://www.exam ple.com/a b");
    assert_eq!(c.url.as_str(), "https://www.example.com/a%20b");
    assert_eq!(whats(&c), ["Removed the space inside the host name."]);
    let c = check("www.exam ple .com");
    assert_eq!(c.url.as_str(), "https://www.example.com/");
    assert_eq!(
        whats(&c),
        [
            "Added https:// because the address had no scheme.",
            "Removed the spaces inside the host name."
        ]
    );
}

#[test]
fn capitals_in_scheme_and_host_are_lowercased_but_the_path_keeps_its_case() {
    let c = check("HTTPS://EXAMPLE.COM/Login");
    assert_eq!(c.url.as_str(), "https://example.com/Login");
    assert_eq!(c.repairs.len(), 1);
    let repair = &c.repairs[0];
    assert!(
        repair
            .what
            .starts_with("Changed the scheme and host name to lowercase.")
    );
    assert!(repair.what.contains("paths are case-sensitive"));
    assert_eq!(repair.after, "https://example.com/Login");
    let c = check("https://Example.com/Login");
    assert!(
        c.repairs[0]
            .what
            .starts_with("Changed the host name to lowercase.")
    );
    let c = check("HTTP://example.com/");
    assert!(
        c.repairs[0]
            .what
            .starts_with("Changed the scheme to lowercase.")
    );
}

#[test]
fn a_dot_at_the_end_of_the_host_is_removed() {
    for (input, expected) in [
        ("https://example.com./a", "https://example.com/a"),
        ("https://example.com.", "https://example.com/"),
        ("example.com.", "https://example.com/"),
        ("https://example.com.:8443/", "https://example.com:8443/"),
    ] {
        let c = check(input);
        assert_eq!(c.url.as_str(), expected, "{input}");
        assert!(
            whats(&c).contains(&"Removed the dot at the end of the host name."),
            "{input}: {:?}",
            whats(&c)
        );
    }
}

#[test]
fn wide_dots_from_east_asian_keyboards_become_dots() {
    let c = check("https://example。com/");
    assert_eq!(c.url.as_str(), "https://example.com/");
    assert_eq!(
        whats(&c),
        ["Changed the wide dots (。) in the host name to ordinary dots."]
    );
}

#[test]
fn a_comma_after_www_becomes_a_dot() {
    let c = check("https://www,example.com/");
    assert_eq!(c.url.as_str(), "https://www.example.com/");
    assert_eq!(c.repairs.len(), 1);
    assert!(c.repairs[0].what.contains("\"www,\" to \"www.\""));
    assert_eq!(
        check("WWW,example.com").url.host_str(),
        Some("www.example.com")
    );
}

#[test]
fn doubled_dots_in_the_host_are_collapsed() {
    let c = check("https://example..com/");
    assert_eq!(c.url.as_str(), "https://example.com/");
    assert_eq!(whats(&c), ["Removed the extra dot in the host name."]);
    let c = check("https://.www...example.com/");
    assert_eq!(c.url.as_str(), "https://www.example.com/");
    assert_eq!(whats(&c), ["Removed the extra dots in the host name."]);
}

#[test]
fn a_unicode_host_is_sent_as_punycode_and_reported() {
    let c = check("https://bücher.example/");
    assert_eq!(c.url.as_str(), "https://xn--bcher-kva.example/");
    assert_eq!(c.punycode_host.as_deref(), Some("xn--bcher-kva.example"));
    assert!(c.repairs.is_empty());
    assert!(has_doubt(
        &c,
        "bücher.example is sent as xn--bcher-kva.example"
    ));
    let c = check("https://xn--bcher-kva.example/");
    assert_eq!(c.punycode_host, None);
    let c = check("https://ｅｘａｍｐｌｅ.com/");
    assert_eq!(c.url.as_str(), "https://example.com/");
    assert_eq!(
        c.doubts,
        ["The host name ｅｘａｍｐｌｅ.com is sent as example.com."]
    );
}

#[test]
fn localhost_ipv4_and_ipv6_loopback_addresses_are_valid() {
    let c = check("http://localhost:8080/admin");
    assert_eq!(c.url.host_str(), Some("localhost"));
    assert!(c.repairs.is_empty());
    assert!(c.doubts.is_empty(), "{:?}", c.doubts);
    let c = check("http://127.0.0.1:3000/");
    assert_eq!(c.url.host(), Some(Host::Ipv4([127, 0, 0, 1].into())));
    assert!(
        c.doubts.is_empty(),
        "no note card on every local check: {:?}",
        c.doubts
    );
    let c = check("http://[::1]:8080/");
    assert_eq!(c.url.host_str(), Some("[::1]"));
    assert!(c.repairs.is_empty());
    let c = check("[::1]:8080");
    assert_eq!(c.url.as_str(), "https://[::1]:8080/");
}

#[test]
fn schemes_other_than_web_ones_are_unrepairable() {
    for input in [
        "ftp://example.com/file",
        "FTP://example.com/file",
        "file:///etc/passwd",
        "mailto:someone@example.com",
        "javascript:alert(1)",
        "data:text/html,<h1>hi</h1>",
        "ws://example.com/socket",
        "gopher://example.com/",
    ] {
        assert_eq!(
            reason(input),
            "only web addresses (http or https) can be checked",
            "{input}"
        );
    }
    assert_eq!(
        check_address("mailto:someone@example.com")
            .err()
            .map(|e| e.to_string()),
        Some(
            "only web addresses (http or https) can be checked: mailto:someone@example.com"
                .to_owned()
        )
    );
}

#[test]
fn a_file_path_on_the_computer_is_unrepairable() {
    assert_eq!(
        reason("C:\\Users\\me\\page.html"),
        "this is a file on your computer, not a web address"
    );
}

#[test]
fn broken_hosts_ports_and_ips_are_unrepairable() {
    assert_eq!(
        reason("https://exa<mple.com/"),
        "the host name contains characters that are not allowed"
    );
    assert_eq!(
        reason("https://xn--a.example/"),
        "the host name contains characters that are not allowed"
    );
    assert_eq!(
        reason("https://example.com:99999/"),
        "the port number is not valid"
    );
    assert_eq!(reason("https://"), "the address has no host name");
    assert_eq!(reason("http:"), "the address has no host name");
    assert_eq!(reason("https://[::1/"), "the IPv6 address is not valid");
    assert_eq!(
        reason(&format!("https://{}.com/", "a.".repeat(130))),
        "the host name is longer than the 253 characters allowed"
    );
    assert_eq!(
        reason(&format!("https://{}.com/", "a".repeat(64))),
        "a part of the host name between dots is longer than the 63 characters allowed"
    );
}

#[test]
fn plain_http_gets_a_doubt_about_encryption() {
    let c = check("http://example.com/");
    assert!(c.repairs.is_empty());
    assert!(has_doubt(&c, "plain http"));
    assert!(has_doubt(&c, "unencrypted"));
}

#[test]
fn an_ip_address_gets_a_doubt_only_over_https_where_certificates_rarely_match() {
    let c = check("https://192.0.2.10/login");
    assert!(has_doubt(&c, "This is an IP address (192.0.2.10)"));
    assert!(has_doubt(&c, "certificate"));
    let plain = check("http://192.0.2.10/login");
    assert!(!has_doubt(&plain, "IP address"), "{:?}", plain.doubts);
}

#[test]
fn a_host_without_a_dot_gets_a_doubt() {
    let c = check("https://intranet/");
    assert!(has_doubt(&c, "\"intranet\" has no dot: is it complete?"));
    assert!(!has_doubt(&check("https://localhost/"), "no dot"));
}

#[test]
fn a_user_name_gets_a_doubt_and_a_password_is_never_repeated() {
    let c = check(" HTTPS://alice:hunter2@Example.com/ ");
    assert_eq!(
        c.url.as_str(),
        "https://example.com/",
        "the userinfo left the address"
    );
    let userinfo = c.userinfo.clone().unwrap_or_else(|| panic!("no userinfo"));
    assert_eq!(userinfo.user, "alice");
    assert_eq!(
        userinfo.password.as_ref().map(Secret::expose),
        Some("hunter2")
    );
    assert!(has_doubt(&c, "contains a user name: browsers ignore it"));
    assert!(has_doubt(&c, "contains a password"));
    assert_eq!(c.repairs.len(), 2);
    for repair in &c.repairs {
        for secret in ["hunter2", "alice", "@"] {
            assert!(!repair.before.contains(secret), "{repair:?}");
            assert!(!repair.after.contains(secret), "{repair:?}");
        }
    }
    assert!(c.doubts.iter().all(|d| !d.contains("hunter2")));
    match check_address("ftp://alice:hunter2@example.com/") {
        Err(AddressError::Unrepairable { input, .. }) => {
            assert_eq!(input, "ftp://example.com/");
        }
        other => panic!("{other:?}"),
    }
    // Percent-encoded, or with a space, the password is never repeated either.
    for (typed, password, checked) in [
        (
            "HTTP://alice:p%40ss@Host.example/",
            "p@ss",
            "http://host.example/",
        ),
        (
            " https://alice:p w@Host.example/",
            "p w",
            "https://host.example/",
        ),
    ] {
        let c = check(typed);
        assert!(!c.repairs.is_empty(), "{typed}");
        assert_eq!(c.url.as_str(), checked);
        let said = format!("{:?} {:?}", c.repairs, c.doubts);
        for form in [password, "p%40ss", "p%20w", "alice"] {
            assert!(!said.contains(form), "{said}");
        }
        assert_eq!(
            c.userinfo
                .and_then(|u| u.password)
                .as_ref()
                .map(Secret::expose),
            Some(password)
        );
    }
}

#[test]
fn a_double_slash_in_the_path_gets_a_doubt() {
    let c = check("https://example.com/api//login");
    assert!(c.repairs.is_empty());
    assert!(has_doubt(&c, "double slash"));
}

#[test]
fn a_likely_typo_in_the_ending_gets_a_doubt() {
    for (typo, meant) in [
        ("con", "com"),
        ("cmo", "com"),
        ("ogr", "org"),
        ("nte", "net"),
    ] {
        let c = check(&format!("https://example.{typo}/"));
        assert!(
            has_doubt(&c, &format!("\".{typo}\": did you mean \".{meant}\"?")),
            "{typo}: {:?}",
            c.doubts
        );
        assert!(c.repairs.is_empty());
    }
}

#[test]
fn a_comma_elsewhere_in_the_host_gets_a_doubt() {
    let c = check("https://example,com/");
    assert!(has_doubt(&c, "comma"));
}

#[test]
fn an_address_pasted_with_its_sentence_is_picked_out() {
    let c = check("The login page is https://example.com/login, can you check it?");
    assert_eq!(c.url.as_str(), "https://example.com/login");
    assert_eq!(
        c.repairs[0].what,
        "Kept only the web address from the pasted text."
    );
    let c = check("https://a.example/ or https://b.example/");
    assert_eq!(c.url.as_str(), "https://a.example/");
    assert!(has_doubt(&c, "more than one web address"));
}

#[test]
fn several_repairs_are_chained_in_order() {
    let c = check(" \"HTP://WWW,Exam ple..COM.\\Login\". ");
    assert_eq!(c.url.as_str(), "http://www.example.com/Login");
    for pair in c.repairs.windows(2) {
        assert_eq!(pair[0].after, pair[1].before);
    }
    assert_eq!(
        c.repairs.first().map(|r| r.before.as_str()),
        Some(" \"HTP://WWW,Exam ple..COM.\\Login\". ")
    );
    assert_eq!(
        c.repairs.last().map(|r| r.after.as_str()),
        Some("http://www.example.com/Login")
    );
}

/// A small deterministic generator, so the fuzz tests need no extra crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "h",
    "t",
    "p",
    "s",
    "http",
    "https",
    "://",
    ":",
    "/",
    "//",
    "\\",
    ";",
    ".",
    "..",
    ",",
    "www",
    "example",
    "com",
    "ü",
    "ß",
    "xn--",
    "[",
    "]",
    "::1",
    "127.0.0.1",
    "@",
    "user",
    ":pw",
    "?",
    "#",
    "%",
    "%41",
    "(",
    ")",
    "\"",
    "'",
    "`",
    "<",
    ">",
    " ",
    "\u{a0}",
    "\u{200b}",
    "\u{200d}",
    "\t",
    "\n",
    "\0",
    "ftp",
    "mailto:",
    "C:",
    "localhost",
    "8080",
    "99999",
    "-",
    "_",
    "…",
    "“",
    "”",
    "ＡＢＣ",
    "。",
    "\u{feff}",
    "!",
    "😀",
    "%zz",
];

fn assert_sane(input: &str) {
    let Ok(c) = check_address(input) else {
        return;
    };
    assert!(matches!(c.url.scheme(), "http" | "https"), "{input:?}");
    assert!(c.url.host().is_some(), "{input:?}");
    for pair in c.repairs.windows(2) {
        if !pair[0].after.contains(REDACTED) {
            assert_eq!(pair[0].after, pair[1].before, "{input:?}");
        }
    }
    // Checking the result again must not repair it again.
    let again = check_address(c.url.as_str());
    match again {
        Ok(again) => assert!(
            again.repairs.is_empty(),
            "{input:?} -> {} -> {:?}",
            c.url,
            again.repairs
        ),
        Err(error) => panic!("{input:?} -> {} -> {error}", c.url),
    }
}

#[test]
fn random_pieces_of_addresses_never_panic_and_give_sane_results() {
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    for _ in 0..20_000 {
        let count = rng.below(16);
        let input: String = (0..count)
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect();
        assert_sane(&input);
    }
}

#[test]
fn random_bytes_and_characters_never_panic_and_give_sane_results() {
    let mut rng = XorShift(0x0123_4567_89ab_cdef);
    for _ in 0..20_000 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
        assert_sane(&String::from_utf8_lossy(&bytes));
        let text: String = (0..len)
            .filter_map(|_| char::from_u32((rng.next() % 0x3_0000) as u32))
            .collect();
        assert_sane(&text);
    }
}

#[test]
fn very_long_inputs_are_checked_in_linear_time() {
    let size = 100 * 1024;
    let inputs = [
        "a".repeat(size),
        "ü".repeat(size / 2),
        format!("https://example.com/{}", "a/".repeat(size / 2)),
        format!("https://example.com/{}", "ü".repeat(size / 2)),
        format!("https://{}.com/", "a.".repeat(size / 2)),
        format!("https://{}/", "ü.".repeat(size / 2)),
        format!("https://{}example.com/", "user:pw@".repeat(size / 8)),
        "\"".repeat(size),
        ")".repeat(size),
        format!("https://example.com/{}", ")".repeat(size)),
        ".".repeat(size),
        " ".repeat(size),
        "\u{200b}".repeat(size / 3),
        format!("{}https://example.com/", "word ".repeat(size / 5)),
        format!("https://example.com{}", "\\".repeat(size)),
        "h".repeat(size) + "://example.com",
        "[".repeat(size),
        "@".repeat(size),
        "https://".repeat(size / 8),
        "a".repeat(size / 2) + &":".repeat(size / 2),
        "(".repeat(size / 2) + &")".repeat(size / 2),
        format!("https://example.com/{}", ".,".repeat(size / 2)),
    ];
    for input in &inputs {
        let (result, units) = counted::measure(|| check_address(input));
        // Counted work, not a clock: a bounded number of passes over the input.
        let per_byte = units as f64 / input.len() as f64;
        assert!(
            per_byte < 16.0,
            "{per_byte:.1} units per byte for input starting {:?}",
            input.chars().take(20).collect::<String>()
        );
        if let Err(AddressError::Unrepairable { input: shown, .. }) = result {
            assert!(shown.chars().count() <= MAX_SHOWN_INPUT_CHARS + 1);
        }
    }
}

#[test]
fn close_schemes_are_recognised_and_others_are_not() {
    for (word, expected) in [
        ("htp", Some("http")),
        ("hhtp", Some("http")),
        ("htps", Some("https")),
        ("ttps", Some("https")),
        ("hxxp", Some("http")),
        ("htpps", Some("https")),
        ("localhost", None),
        ("host", None),
        ("mail", None),
        ("ws", None),
    ] {
        assert_eq!(close_web_scheme(word), expected, "{word}");
    }
}
