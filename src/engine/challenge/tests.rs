//! Unit tests of this folder's module.

#[test]
fn a_tab_between_the_scheme_and_its_settings_is_flagged() {
    let parsed = parse_str("Basic\trealm=\"x\"");
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].realm(), Some("x"));
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    assert!(parse_str("Basic realm=\"x\"").problems.is_empty());
}

use std::collections::{BTreeMap, HashMap};

use super::parser::MAX_PROBLEMS;
use super::*;

fn one(value: &str) -> Challenge {
    let parsed = parse_str(value);
    assert_eq!(parsed.challenges.len(), 1, "{value:?} gave {parsed:?}");
    parsed
        .challenges
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn has_problem(parsed: &ParsedChallenges, needle: &str) -> bool {
    parsed.problems.iter().any(|p| p.contains(needle))
}

#[test]
fn rfc_9110_example_gives_two_challenges_with_unescaped_title() {
    let parsed = parse_str(
        r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(
        parsed.challenges,
        vec![
            Challenge {
                scheme: "Newauth".into(),
                token68: None,
                params: params(&[
                    ("realm", "apps"),
                    ("type", "1"),
                    ("title", "Login to \"apps\"")
                ]),
            },
            Challenge {
                scheme: "Basic".into(),
                token68: None,
                params: params(&[("realm", "simple")]),
            },
        ]
    );
}

#[test]
fn digest_with_every_parameter_is_read_completely() {
    let c = one(concat!(
        r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, "#,
        r#"nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "#,
        r#"opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", stale=TRUE, userhash=true, "#,
        r#"domain="/ https://example.org/x", charset=UTF-8"#
    ));
    assert_eq!(c.scheme, "Digest");
    assert_eq!(c.realm(), Some("http-auth@example.org"));
    assert_eq!(c.param("QOP"), Some("auth, auth-int"));
    assert_eq!(c.param("algorithm"), Some("SHA-256"));
    assert_eq!(
        c.param("nonce"),
        Some("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v")
    );
    assert_eq!(c.param("stale"), Some("TRUE"));
    assert_eq!(c.param("userhash"), Some("true"));
    assert_eq!(c.param("domain"), Some("/ https://example.org/x"));
    assert_eq!(c.param("charset"), Some("UTF-8"));
    assert_eq!(c.params.len(), 9);
    assert_eq!(c.token68, None);
}

#[test]
fn bearer_error_parameters_are_read() {
    let c = one(
        r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
    );
    assert_eq!(c.kind(), Scheme::Bearer);
    assert_eq!(c.param("error"), Some("invalid_token"));
    assert_eq!(
        c.param("Error_Description"),
        Some("The access token expired")
    );
}

#[test]
fn negotiate_token68_keeps_its_padding() {
    let c = one("Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6i+/==");
    assert_eq!(
        c.token68.as_deref(),
        Some("YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6i+/==")
    );
    assert!(c.params.is_empty());
}

#[test]
fn ntlm_alone_is_a_challenge_without_anything_else() {
    let parsed = parse_str("NTLM");
    assert!(parsed.problems.is_empty());
    assert_eq!(
        parsed.challenges,
        vec![Challenge {
            scheme: "NTLM".into(),
            token68: None,
            params: BTreeMap::new()
        }]
    );
}

#[test]
fn token68_and_params_are_told_apart() {
    assert_eq!(one("X abc==").token68.as_deref(), Some("abc=="));
    assert_eq!(one("X abc=").token68.as_deref(), Some("abc="));
    assert_eq!(one("X abc").token68.as_deref(), Some("abc"));
    assert_eq!(one("X abc= ").token68.as_deref(), Some("abc="));
    let c = one("X abc=def");
    assert_eq!((c.token68.as_deref(), c.param("abc")), (None, Some("def")));
    let c = one("X abc = def");
    assert_eq!((c.token68.as_deref(), c.param("abc")), (None, Some("def")));
    let c = one("X abc= \"d e\"");
    assert_eq!((c.token68.as_deref(), c.param("abc")), (None, Some("d e")));
    let parsed = parse_str("X abc=, Y");
    assert_eq!(parsed.challenges.len(), 2);
    assert_eq!(parsed.challenges[0].token68.as_deref(), Some("abc="));
    assert!(parsed.problems.is_empty());
}

#[test]
fn token68_is_followed_by_further_challenges() {
    let parsed = parse_str("Negotiate, NTLM TlRMTVNTUAACAAAA==, Basic realm=x");
    let schemes: Vec<_> = parsed
        .challenges
        .iter()
        .map(|c| c.scheme.as_str())
        .collect();
    assert_eq!(schemes, ["Negotiate", "NTLM", "Basic"]);
    assert_eq!(
        parsed.challenges[1].token68.as_deref(),
        Some("TlRMTVNTUAACAAAA==")
    );
    assert!(parsed.problems.is_empty());
}

#[test]
fn several_lines_give_challenges_in_order() {
    let parsed = parse_lines(&[
        b"Negotiate",
        b"NTLM",
        br#"Basic realm="intranet", charset="UTF-8""#,
    ]);
    let schemes: Vec<_> = parsed
        .challenges
        .iter()
        .map(|c| c.scheme.as_str())
        .collect();
    assert_eq!(schemes, ["Negotiate", "NTLM", "Basic"]);
    assert_eq!(parsed.challenges[2].param("charset"), Some("UTF-8"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
}

#[test]
fn a_line_starting_with_settings_continues_the_previous_challenge() {
    let parsed = parse_lines(&[br#"Digest realm="a""#, br#"nonce="n", qop="auth""#]);
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].param("nonce"), Some("n"));
    assert!(has_problem(
        &parsed,
        "on line 2, the line starts with settings"
    ));
}

#[test]
fn empty_list_elements_and_trailing_commas_are_accepted_silently() {
    let parsed = parse_str(r#" , ,Basic realm="a", , ,charset=UTF-8,, Bearer ,, ,"#);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.challenges.len(), 2);
    assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
    assert_eq!(parsed.challenges[1].scheme, "Bearer");
}

#[test]
fn odd_whitespace_is_accepted_silently() {
    // Tabs are allowed around "=" and commas (BWS, OWS); only spaces after the scheme.
    let parsed =
        parse_str("\tBasic    realm \t=\t \"a b\"  ,\t charset  =  UTF-8   ,   Digest nonce=1");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.challenges[0].realm(), Some("a b"));
    assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
    assert_eq!(parsed.challenges[1].param("nonce"), Some("1"));
}

#[test]
fn names_are_case_insensitive_and_lowercased() {
    let c = one("bAsIc REALM=x, ChArSeT=utf-8");
    assert_eq!(c.scheme, "bAsIc");
    assert_eq!(c.kind(), Scheme::Basic);
    assert!(c.params.contains_key("realm"));
    assert_eq!(c.param("Realm"), Some("x"));
    assert_eq!(c.param("CHARSET"), Some("utf-8"));
    assert_eq!(c.param("missing"), None);
}

#[test]
fn backslash_escapes_in_quoted_strings_are_undone() {
    let c = one(r#"Basic realm="a\"b\\c\d, e=f""#);
    assert_eq!(c.realm(), Some(r#"a"b\cd, e=f"#));
    assert_eq!(c.params.len(), 1);
}

#[test]
fn quoted_values_keep_non_ascii_text() {
    let c = one("Basic realm=\"Zürich – 東京\"");
    assert_eq!(c.realm(), Some("Zürich – 東京"));
}

#[test]
fn an_unterminated_quoted_string_takes_the_rest_and_is_noted() {
    let parsed = parse_str(r#"Basic realm="open, charset=UTF-8"#);
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].realm(), Some("open, charset=UTF-8"));
    assert!(has_problem(&parsed, "never ends"), "{:?}", parsed.problems);
}

#[test]
fn a_trailing_backslash_in_an_unterminated_string_does_not_panic() {
    let parsed = parse_str("Basic realm=\"abc\\");
    assert_eq!(parsed.challenges[0].realm(), Some("abc"));
    assert!(has_problem(&parsed, "never ends"));
}

#[test]
fn a_duplicate_parameter_keeps_the_first_value_and_is_noted() {
    let parsed = parse_str("Basic realm=first, REALM=second");
    assert_eq!(parsed.challenges[0].realm(), Some("first"));
    assert!(
        has_problem(
            &parsed,
            "the “Basic” challenge gives the setting “REALM” more than once"
        ),
        "{:?}",
        parsed.problems
    );
}

#[test]
fn a_parameter_without_a_value_is_kept_empty_and_noted() {
    let parsed = parse_str("Digest nonce=abc, realm=, stale, qop=auth");
    assert_eq!(parsed.challenges.len(), 1, "{parsed:?}");
    let c = &parsed.challenges[0];
    assert_eq!(c.realm(), Some(""));
    assert_eq!(c.param("stale"), Some(""));
    assert_eq!(c.param("qop"), Some("auth"));
    assert!(has_problem(&parsed, "the setting “realm” has no value"));
    assert!(has_problem(&parsed, "the setting “stale” has no value"));
}

#[test]
fn an_empty_first_setting_reads_as_token68_and_mixing_is_noted() {
    let parsed = parse_str("Digest realm=, nonce=abc");
    let c = &parsed.challenges[0];
    assert_eq!(c.token68.as_deref(), Some("realm="));
    assert_eq!(c.param("nonce"), Some("abc"));
    assert!(has_problem(
        &parsed,
        "both a single code (token68) and settings"
    ));
}

#[test]
fn settings_before_any_scheme_are_ignored_and_noted() {
    let parsed = parse_str(r#"realm="x", Basic realm="y""#);
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].realm(), Some("y"));
    assert!(has_problem(&parsed, "comes before any sign-in method name"));
}

#[test]
fn invalid_characters_in_names_are_noted_and_read_as_written() {
    let parsed = parse_str("Ba(sic re[alm]=x");
    assert_eq!(parsed.challenges[0].scheme, "Ba(sic");
    assert_eq!(parsed.challenges[0].param("re[alm]"), Some("x"));
    assert!(has_problem(&parsed, "sign-in method name “Ba(sic”"));
    assert!(has_problem(&parsed, "setting name “re[alm]”"));
}

#[test]
fn unquoted_values_with_special_characters_are_kept_and_noted() {
    let parsed = parse_str("Bearer resource_metadata=https://a.example/.well-known/x");
    assert_eq!(
        parsed.challenges[0].param("resource_metadata"),
        Some("https://a.example/.well-known/x")
    );
    assert!(has_problem(&parsed, "need quotes"));
}

#[test]
fn a_missing_comma_between_parameters_is_noted_and_forgiven() {
    let parsed = parse_str(r#"Basic realm="a" charset="UTF-8""#);
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
    assert!(has_problem(&parsed, "a comma is missing before “charset"));
}

#[test]
fn stray_quotes_and_equals_signs_are_skipped_and_noted() {
    let parsed = parse_str(r#"Basic "lonely, text", = =, realm=x"#);
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].realm(), Some("x"));
    assert!(has_problem(&parsed, "not attached to any name"));
    assert!(has_problem(&parsed, "an equals sign"));
}

#[test]
fn a_leading_header_name_is_stripped_in_any_case() {
    for value in [
        "WWW-Authenticate: Basic realm=x",
        "www-authenticate:Basic realm=x",
        "  Proxy-Authenticate  :  Basic realm=x",
        "PROXY-AUTHENTICATE: Basic realm=x",
    ] {
        let parsed = parse_str(value);
        assert!(parsed.problems.is_empty(), "{value}: {:?}", parsed.problems);
        assert_eq!(parsed.challenges[0].scheme, "Basic", "{value}");
    }
}

#[test]
fn a_scheme_named_like_the_header_without_colon_is_not_stripped() {
    let parsed = parse_str("WWW-Authenticate realm=x");
    assert_eq!(parsed.challenges[0].scheme, "WWW-Authenticate");
}

#[test]
fn pasted_text_with_several_header_lines_is_read_line_by_line() {
    let parsed = parse_str(
        "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: Basic realm=\"a\",\r\n  charset=UTF-8\n\n",
    );
    let schemes: Vec<_> = parsed
        .challenges
        .iter()
        .map(|c| c.scheme.as_str())
        .collect();
    assert_eq!(schemes, ["Negotiate", "Basic"]);
    assert_eq!(parsed.challenges[1].param("charset"), Some("UTF-8"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
}

#[test]
fn a_header_name_inside_a_raw_value_is_a_noted_server_mistake() {
    let parsed = parse_lines(&[b"WWW-Authenticate: Basic realm=x"]);
    assert_eq!(parsed.challenges[0].scheme, "Basic");
    assert!(has_problem(&parsed, "repeats the header's own name"));
}

#[test]
fn an_empty_header_is_noted() {
    for parsed in [
        parse_str(""),
        parse_str("  \t "),
        parse_lines(&[]),
        parse_lines(&[b""]),
    ] {
        assert!(parsed.challenges.is_empty());
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert!(parsed.problems[0].starts_with("the header is empty"));
    }
}

#[test]
fn a_header_of_only_commas_has_no_challenge_and_says_so() {
    let parsed = parse_str(" , ,, ");
    assert!(parsed.challenges.is_empty());
    assert!(has_problem(
        &parsed,
        "no sign-in method (challenge) could be read"
    ));
}

#[test]
fn an_empty_line_among_others_is_noted_with_its_number() {
    let parsed = parse_lines(&[b"Basic", b"  ", b"Bearer"]);
    assert_eq!(parsed.challenges.len(), 2);
    assert_eq!(
        parsed.problems,
        vec!["on line 2, the header value is empty"]
    );
}

#[test]
fn non_utf8_bytes_are_decoded_lossily_and_noted() {
    let parsed = parse_lines(&[b"Basic realm=\"caf\xe9\""]);
    assert_eq!(parsed.challenges[0].realm(), Some("caf\u{FFFD}"));
    assert!(has_problem(&parsed, "not valid text (UTF-8)"));
}

#[test]
fn control_characters_are_read_as_spaces_and_noted() {
    let parsed = parse_lines(&[b"Basic\0realm=\"a\nb\", charset=UTF-8\x7f"]);
    assert_eq!(parsed.challenges.len(), 1);
    assert_eq!(parsed.challenges[0].realm(), Some("a b"));
    assert_eq!(parsed.challenges[0].param("charset"), Some("UTF-8"));
    assert!(has_problem(&parsed, "control characters"));
}

#[test]
fn every_byte_value_is_survived_and_noted() {
    let all: Vec<u8> = (0..=255).collect();
    let parsed = parse_lines(&[&all]);
    assert!(!parsed.problems.is_empty());
    assert!(
        parsed
            .problems
            .iter()
            .all(|p| p.starts_with(|c: char| c.is_lowercase()))
    );
    let reversed: Vec<u8> = all.iter().rev().copied().collect();
    let _ = parse_lines(&[&reversed, &all, b"Basic"]);
    for byte in 0..=255u8 {
        let _ = parse_lines(&[&[byte], &[b'B', b' ', byte, b'=', byte, b'"', byte]]);
    }
}

#[test]
fn a_header_with_100000_challenges_is_read_in_linear_time_and_capped() {
    let value = "Basic realm=\"x\", ".repeat(100_000);
    let small = work_per_byte(&"Basic realm=\"x\", ".repeat(1_000));
    let large = work_per_byte(&value);
    assert!(
        large <= 1.5 * small,
        "{small:.2} units per byte, then {large:.2}"
    );
    let parsed = parse_str(&value);
    assert_eq!(parsed.challenges.len(), MAX_CHALLENGES);
    assert!(
        has_problem(&parsed, "99800 more challenges after the first 200"),
        "{:?}",
        parsed.problems
    );
}

#[test]
fn many_problems_are_capped_with_a_closing_note() {
    let names: Vec<String> = (0..500).map(|i| format!("x{i}=a/b")).collect();
    let value = format!("Basic {}", names.join(", "));
    let parsed = parse_str(&value);
    assert!(parsed.problems.len() <= MAX_PROBLEMS + 2);
    assert_eq!(
        parsed.problems.last().map(String::as_str),
        Some("more problems were found than are listed here")
    );
}

/// The parser's work (bytes and items it looks at) for `value`, read pasted and as two
/// raw header lines, per byte of input.
fn work_per_byte(value: &str) -> f64 {
    let ((), units) = crate::engine::work::measure(|| {
        let _ = parse_str(value);
        let _ = parse_lines(&[value.as_bytes(), value.as_bytes()]);
    });
    let input = 3 * value.len();
    assert!(
        units >= input as u64,
        "every byte is looked at: {units} for {input}"
    );
    units as f64 / input as f64
}

#[test]
fn a_long_garbage_header_is_read_in_linear_time() {
    // Counted work, not a clock: the same per byte for a small header and one 100 times
    // larger, and a small constant.
    let garbage = |n: usize| "\"\\".repeat(2 * n) + &"=,\t(".repeat(2 * n) + &"a=\"".repeat(n);
    let small = work_per_byte(&garbage(2_000));
    let large = work_per_byte(&garbage(200_000));
    assert!(
        large <= 1.5 * small,
        "{small:.2} units per byte, then {large:.2}"
    );
    // Each problem noted is compared with the (at most 50) listed before it: a constant.
    assert!(large < 200.0, "{large:.2} units per byte");
}

#[test]
fn random_byte_patterns_never_panic() {
    const ALPHABET: &[u8] =
        b"  \t\t,,==\"\"\\Basic realm=DigestNTLM/+-_~abc\x00\x7f\xff\xc3\xa9\r\n:;";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let len = (next() % 40) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if r % 7 == 0 {
                    (r >> 8) as u8
                } else {
                    ALPHABET[(r >> 8) as usize % ALPHABET.len()]
                }
            })
            .collect();
        let split = (next() as usize) % (bytes.len() + 1);
        let (first, second) = bytes.split_at(split);
        let parsed = parse_lines(&[first, second]);
        assert!(parsed.challenges.len() <= MAX_CHALLENGES);
        assert!(parsed.challenges.iter().all(|c| !c.scheme.is_empty()));
        for challenge in &parsed.challenges {
            let _ = explain(challenge);
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_str(&text);
    }
}

#[test]
fn challenges_survive_a_json_round_trip() {
    let parsed = parse_str(r#"Digest realm="a", nonce="b", Negotiate abc=="#);
    let json = serde_json::to_string(&parsed).unwrap_or_else(|e| panic!("{e}"));
    let back: ParsedChallenges = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, parsed);
    let explanation = explain(&parsed.challenges[0]);
    let json = serde_json::to_string(&explanation).unwrap_or_else(|e| panic!("{e}"));
    let back: Explanation = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, explanation);
}

#[test]
fn token_chars_are_exactly_the_rfc_9110_tchar_set() {
    let expected: Vec<u8> = (0..=255u8)
        .filter(|b| b.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".as_bytes().contains(b))
        .collect();
    let actual: Vec<u8> = (0..=255u8).filter(|&b| is_token_char(b)).collect();
    assert_eq!(actual, expected);
    assert!(!is_token_char(b'/'));
    assert!(!is_token_char(b'='));
    assert!(!is_token_char(b'"'));
}

// --- explanations ---------------------------------------------------------------------

fn explained(value: &str) -> Explanation {
    explain(&one(value))
}

fn mentions(explanation: &Explanation, needle: &str) -> bool {
    explanation.details.iter().any(|d| d.contains(needle))
}

#[test]
fn schemes_toml_has_every_scheme_with_all_three_texts() {
    let table: HashMap<String, SchemeText> =
        toml::from_str(SCHEMES_TOML).unwrap_or_else(|e| panic!("schemes.toml: {e}"));
    for key in KNOWN_SCHEMES {
        let Some(text) = table.get(key) else {
            panic!("schemes.toml lacks [{key}]");
        };
        assert!(!text.name.is_empty(), "{key}: empty name");
        assert!(!text.meaning.is_empty(), "{key}: empty meaning");
        assert!(!text.what_to_do.is_empty(), "{key}: empty what_to_do");
    }
    assert_eq!(table.len(), KNOWN_SCHEMES.len());
}

#[test]
fn every_known_scheme_uses_its_text_from_the_data_file() {
    for (scheme, name) in [
        ("Basic", "Basic"),
        ("digest", "Digest"),
        ("BEARER", "Bearer token"),
        ("Negotiate", "Negotiate (Kerberos or Windows sign-in)"),
        ("NTLM", "NTLM (older Windows sign-in)"),
        ("AWS4-HMAC-SHA256", "AWS Signature Version 4"),
        ("Token", "Token"),
        ("HOBA", "HOBA (sign-in with a key stored in the browser)"),
        ("Mutual", "Mutual (password sign-in that checks both sides)"),
        ("SCRAM-SHA-1", "SCRAM (salted password sign-in)"),
        ("SCRAM-SHA-256", "SCRAM (salted password sign-in)"),
    ] {
        let explanation = explained(scheme);
        assert_eq!(explanation.scheme_name, name);
        assert!(!explanation.meaning.is_empty());
        assert!(!explanation.what_to_do.is_empty());
        assert!(!explanation.meaning.contains("not one of the standard"));
    }
}

#[test]
fn an_unknown_scheme_is_called_non_standard_and_points_to_the_developer() {
    let explanation = explained(r#"X-MyCompany-Auth realm="api", hint=abc"#);
    assert_eq!(explanation.scheme_name, "X-MyCompany-Auth");
    assert!(
        explanation
            .meaning
            .contains("not one of the standard sign-in methods")
    );
    assert!(explanation.what_to_do.contains("documentation"));
    assert!(explanation.what_to_do.contains("developer"));
    assert!(mentions(&explanation, "Protected area: “api”"));
    assert!(mentions(&explanation, "It also says “hint” = “abc”."));
}

#[test]
fn a_registered_but_undescribed_scheme_is_not_called_made_up() {
    let explanation = explained("DPoP algs=\"ES256 PS256\"");
    assert_eq!(explanation.scheme_name, "DPoP");
    assert!(
        explanation
            .meaning
            .contains("registered, standard sign-in method")
    );
    assert!(mentions(
        &explanation,
        "It also says “algs” = “ES256 PS256”."
    ));
}

#[test]
fn words_without_letters_or_digits_are_skipped_not_made_challenges() {
    let parsed = parse_str("Basic realm=a, ;;; \u{FFFD} Bearer");
    let schemes: Vec<_> = parsed
        .challenges
        .iter()
        .map(|c| c.scheme.as_str())
        .collect();
    assert_eq!(schemes, ["Basic", "Bearer"]);
    assert!(has_problem(&parsed, "the text “;;;” is neither"));
}

#[test]
fn basic_explanation_mentions_the_realm_and_utf8_support() {
    let explanation = explained(r#"Basic realm="Staff area", charset="UTF-8""#);
    assert!(mentions(&explanation, "Protected area: “Staff area”"));
    assert!(mentions(&explanation, "charset=UTF-8"));
    assert!(explanation.meaning.contains("https"));
}

#[test]
fn digest_stale_true_says_the_password_was_fine_and_the_browser_retries() {
    let explanation = explained(r#"Digest realm="a", nonce="n", stale=true"#);
    assert!(mentions(&explanation, "your password was fine"));
    assert!(mentions(&explanation, "retry on its own"));
    let fresh = explained(r#"Digest realm="a", nonce="n", stale=false"#);
    assert!(!mentions(&fresh, "your password was fine"));
}

#[test]
fn digest_explains_each_algorithm() {
    for (algorithm, needle) in [
        ("MD5", "MD5. It is old and weak"),
        ("md5-sess", "MD5-sess"),
        ("SHA-256", "SHA-256, modern and strong"),
        ("SHA-256-sess", "SHA-256-sess"),
        (
            "SHA-512-256",
            "SHA-512-256, a strong method that few browsers support",
        ),
        ("ROT13", "not a standard one"),
    ] {
        let explanation = explained(&format!("Digest nonce=n, qop=auth, algorithm={algorithm}"));
        assert!(
            mentions(&explanation, needle),
            "{algorithm}: {:?}",
            explanation.details
        );
    }
    let default = explained("Digest nonce=n, qop=auth");
    assert!(mentions(&default, "so MD5 is used"));
}

#[test]
fn digest_explains_qop_userhash_opaque_and_a_missing_nonce() {
    let explanation =
        explained(r#"Digest realm="a", qop="auth,auth-int", userhash=true, opaque="o""#);
    assert!(mentions(&explanation, "(auth-int)"));
    assert!(mentions(&explanation, "userhash=true"));
    assert!(mentions(&explanation, "(opaque)"));
    assert!(mentions(&explanation, "no one-time number (nonce)"));
    assert!(
        !mentions(&explanation, "It also says"),
        "{:?}",
        explanation.details
    );
    let int_only = explained(r#"Digest nonce=n, qop="auth-int""#);
    assert!(mentions(&int_only, "Almost no browser supports this"));
    let old = explained("Digest nonce=n");
    assert!(mentions(&old, "oldest form of Digest"));
}

#[test]
fn bearer_explains_each_standard_error_code() {
    let invalid = explained(r#"Bearer error="invalid_token""#);
    assert!(mentions(&invalid, "expired"));
    let request = explained(r#"Bearer error="invalid_request""#);
    assert!(mentions(&request, "malformed"));
    let scope = explained(r#"Bearer error="insufficient_scope", scope="read:files write:files""#);
    assert!(mentions(&scope, "lacks the permissions (scope)"));
    assert!(mentions(
        &scope,
        "Permissions this page needs: “read:files, write:files”."
    ));
    let odd = explained(r#"Bearer error="token_on_fire""#);
    assert!(mentions(&odd, "not one of the standard codes"));
    let none = explained(r#"Bearer realm="api""#);
    assert!(mentions(&none, "carried no token at all"));
}

#[test]
fn bearer_quotes_the_description_uri_and_resource_metadata() {
    let explanation = explained(concat!(
        r#"Bearer error="invalid_token", error_description="The token expired", "#,
        r#"error_uri="https://id.example/help", "#,
        r#"resource_metadata="https://api.example/.well-known/oauth-protected-resource""#
    ));
    assert!(mentions(
        &explanation,
        "The server's own message: “The token expired”."
    ));
    assert!(mentions(&explanation, "“https://id.example/help”"));
    assert!(mentions(&explanation, "RFC 9728"));
    assert!(mentions(&explanation, "oauth-protected-resource"));
    assert!(!mentions(&explanation, "It also says"));
}

#[test]
fn negotiate_and_ntlm_say_whether_an_exchange_is_under_way() {
    assert!(mentions(&explained("Negotiate"), "inviting the browser"));
    assert!(mentions(
        &explained("Negotiate oYIBAQ=="),
        "8 characters of code"
    ));
    assert!(mentions(&explained("NTLM"), "inviting the browser"));
    let ntlm = explained("NTLM TlRMTVNTUAACAAAA");
    assert!(mentions(&ntlm, "one step of the NTLM exchange"));
    assert!(mentions(&ntlm, "load balancer"));
}

#[test]
fn aws_explanation_mentions_the_clock_and_keys() {
    let explanation = explained("AWS4-HMAC-SHA256");
    assert!(mentions(&explanation, "clock"));
    assert!(explanation.what_to_do.contains("clock"));
    assert!(explanation.what_to_do.contains("key"));
}

#[test]
fn hoba_mutual_and_scram_details_are_explained() {
    let hoba = explained(r#"HOBA challenge="abc", max-age=10"#);
    assert!(mentions(&hoba, "10 seconds"));
    assert!(mentions(&hoba, "puzzle"));
    let mutual = explained("Mutual algorithm=iso-kam3-dl-2048-sha256, reason=auth-failed");
    assert!(mentions(&mutual, "wrong"));
    let scram = explained(r#"SCRAM-SHA-256 realm="a", sid=AAAAAA, data=abc"#);
    assert!(mentions(&scram, "under way"));
    assert!(mentions(
        &explained("SCRAM-SHA-1 realm=x"),
        "inviting the app"
    ));
}

#[test]
fn long_parameter_lists_are_summarised() {
    let value: String = std::iter::once("Custom ".to_owned())
        .chain((0..15).map(|i| format!("p{i:02}=v, ")))
        .collect();
    let explanation = explained(&value);
    assert!(mentions(
        &explanation,
        "It has 5 more settings not listed here."
    ));
}

#[test]
fn long_server_values_are_cut_short_in_explanations() {
    let realm = "r".repeat(5000);
    let explanation = explained(&format!("Basic realm=\"{realm}\""));
    assert!(explanation.details.iter().all(|d| d.chars().count() < 600));
    assert!(mentions(&explanation, "…”"));
}

#[test]
fn scram_variants_share_one_key() {
    assert_eq!(Scheme::parse("SCRAM-SHA-1"), Scheme::Scram);
    assert_eq!(Scheme::parse("scram-sha-256").text_key(), "scram");
    assert_eq!(Scheme::parse("basic").text_key(), "basic");
}

#[test]
fn schemes_are_read_whatever_their_case_and_keep_their_standard_names() {
    assert_eq!(Scheme::parse("bAsIc"), Scheme::Basic);
    assert_eq!(Scheme::parse("ntlm").name(), "NTLM");
    assert_eq!(Scheme::parse("Aws4-Hmac-Sha256"), Scheme::Aws4HmacSha256);
    assert_eq!(
        Scheme::parse("Newauth"),
        Scheme::Other("newauth".to_owned())
    );
    assert_eq!(Scheme::parse("NewAuth").to_string(), "newauth");
    assert_ne!(Scheme::parse("Basicx"), Scheme::Basic);
}
