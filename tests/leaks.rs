//! The leak scanner. Full checks run against loopback servers that echo back everything they
//! receive (headers, cookies, the address, the decoded password, in several encodings), and the
//! offline commands run on files full of secrets (`har`, cookie files, `.htaccess`, reports, the
//! GUI's saved settings). The secrets are chosen to collide with AuthDoctor's own words and JSON
//! keys, to be two characters long, or to hold `@`, space, `%`, `/`, `+` and non-ASCII letters.
//! Every output is searched for every encoding of every secret; and the text for a password that
//! is one of our words reads exactly as the text for a random one.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "tests (and the shared support code): a failed setup fails the test loudly"
)]

mod support;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use authdoctor::cli::text;
use authdoctor::engine::report::{self, Format, Redaction};
use authdoctor::engine::{CheckInput, Credentials, Diagnosis, Net, NetOptions, Secret, diagnose};
use base64::Engine as _;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use support::{Reply, Request, TestServer, authdoctor};

const USER: &str = "alice";
/// A secret address parameter of the checked address.
const URL_TOKEN: &str = "urltok-5f1e9a77c3";
/// The value of the session cookie the user gives.
const COOKIE_SECRET: &str = "cookie-sess-8d2b41ee07";
/// A server-issued code in the redirect (`Location`), removed from everything shown.
const SERVER_CODE: &str = "server-code-9c7d55aa";

/// Our own words and typical inputs the password may collide with (the JSON keys are added from
/// a real diagnosis).
const WORDS: &[&str] = &["admin", "password", "wrong", "site", "the"];
/// Passwords with the characters that encodings treat differently, and two-character ones.
const ODD: &[&str] = &[
    "p@ss w/rd+%é",
    "100%/+ @x",
    "пароль-Ünï",
    "  spaced-out  ",
    "Zq",
    "pw",
];

/// A fresh random-looking value: no word of ours, no JSON key can contain it.
fn random_secret() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("Rq{:x}Xv{n}Kz", u64::from(nanos) ^ 0x5dee_ce66_d1ce)
}

fn basic_of(r: &Request) -> Option<(String, String)> {
    let value = r.header("authorization")?;
    let encoded = value.strip_prefix("Basic ")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// JSON string content with every non-ASCII character as `\uXXXX`, as some servers write it.
fn json_ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_ascii() && !c.is_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units).iter() {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
        }
    }
    out
}

/// Everything the request carried, in the body: its line, every header, and a decoded Basic
/// password in plain, JSON, percent- and form-encoded form.
fn echo_body(r: &Request) -> String {
    let mut out = format!("{} {}\n", r.method, r.path);
    for (name, value) in &r.headers {
        let _ = writeln!(out, "{name}: {value}");
    }
    if let Some((user, password)) = basic_of(r) {
        let _ = writeln!(
            out,
            "decoded {user}:{password}\n{{\"user\": \"{user}\", \"password\": \"{}\"}}\npercent {}\nform {}",
            json_ascii(&password),
            utf8_percent_encode(&password, NON_ALPHANUMERIC),
            url::form_urlencoded::byte_serialize(password.as_bytes()).collect::<String>()
        );
    }
    out
}

/// The echo headers: what arrived, sent back.
fn echoed(reply: Reply, r: &Request) -> Reply {
    let mut reply = reply
        .header("X-Echo-Target", &r.path)
        .header("Content-Type", "text/plain; charset=utf-8");
    if let Some(a) = r.header("authorization") {
        reply = reply.header("X-Echo-Authorization", a);
    }
    if let Some(c) = r.header("cookie") {
        reply = reply.header("X-Echo-Cookie", c);
    }
    if let Some((_, password)) = basic_of(r) {
        let percent = utf8_percent_encode(&password, NON_ALPHANUMERIC).to_string();
        reply = reply
            .header("X-Echo-Password", &percent)
            .header("Set-Cookie", &format!("echo={percent}; Path=/"));
    }
    reply.body(echo_body(r))
}

/// A site that answers every request with what it received: `/start` redirects to `/basic/`
/// with the address's token and a code of its own; `/basic/` asks for Basic sign-in and refuses
/// every password (naming it in its realm); `/ok/` accepts any; `/digest/` and `/bearer/` ask for
/// those schemes and refuse, the Bearer one quoting the token in its error description.
fn echo_server() -> TestServer {
    TestServer::start(|r| {
        let path = r.path.as_str();
        if path.starts_with("/start") {
            let token = path
                .split_once("token=")
                .map(|(_, t)| t.split('&').next().unwrap_or_default())
                .unwrap_or_default();
            let to = format!("/basic/?token={token}&code={SERVER_CODE}");
            return echoed(Reply::status(302).header("Location", &to), r);
        }
        if path.starts_with("/basic/") {
            let realm = match basic_of(r) {
                Some((_, password)) => format!("Members of {password}"),
                None => "Members".to_owned(),
            };
            return echoed(
                Reply::status(401).header(
                    "WWW-Authenticate",
                    &format!("Basic realm=\"{}\"", realm.replace('"', "'")),
                ),
                r,
            );
        }
        if path.starts_with("/ok/") {
            return match r.header("authorization") {
                Some(_) => echoed(Reply::status(200), r),
                None => echoed(
                    Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Members\""),
                    r,
                ),
            };
        }
        if path.starts_with("/digest/") {
            return echoed(
                Reply::status(401).header(
                    "WWW-Authenticate",
                    "Digest realm=\"Digest area\", nonce=\"fixed-nonce-0123\", qop=\"auth\", algorithm=SHA-256",
                ),
                r,
            );
        }
        if path.starts_with("/bearer/") {
            let challenge = match r.header("authorization") {
                Some(a) => format!(
                    "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"token {} is not valid\"",
                    a.trim_start_matches("Bearer ").replace('"', "'")
                ),
                None => "Bearer realm=\"api\"".to_owned(),
            };
            return echoed(Reply::status(401).header("WWW-Authenticate", &challenge), r);
        }
        echoed(Reply::status(404), r)
    })
}

/// Every spelling of `secret` a server, a log or a report could carry.
fn encodings(user: &str, secret: &str) -> Vec<String> {
    let b64 = &base64::engine::general_purpose::STANDARD;
    let basic = b64.encode(format!("{user}:{secret}"));
    let mut in_url = url::Url::parse("http://h/").expect("a constant address");
    let _ = in_url.set_username(user);
    let _ = in_url.set_password(Some(secret));
    let userinfo = in_url.password().unwrap_or_default().to_owned();
    in_url.query_pairs_mut().append_pair("x", secret);
    let query = in_url
        .query()
        .unwrap_or_default()
        .trim_start_matches("x=")
        .to_owned();
    let mut out = vec![
        secret.to_owned(),
        secret.trim().to_owned(),
        utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        utf8_percent_encode(secret, NON_ALPHANUMERIC)
            .to_string()
            .to_ascii_lowercase(),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        userinfo,
        query,
        json_ascii(secret),
        basic.clone(),
        basic.trim_end_matches('=').to_owned(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{user}:{secret}")),
        format!("Basic {basic}"),
    ];
    if secret.trim().chars().count() >= 6 {
        out.push(b64.encode(secret.trim()));
    }
    out.retain(|e| !e.is_empty());
    out.sort();
    out.dedup();
    out
}

/// The secrets the servers received, as they were on the wire: whole `Authorization` values,
/// their credentials, Digest `response=` values, and cookie values.
fn received_secrets(server: &TestServer) -> Vec<String> {
    let mut out = BTreeSet::new();
    for r in server.requests() {
        if let Some(a) = r.header("authorization") {
            out.insert(a.to_owned());
            if let Some((_, credentials)) = a.split_once(' ')
                && !a.starts_with("Digest")
            {
                out.insert(credentials.trim().to_owned());
            }
            for part in a.split(',') {
                if let Some(v) = part.trim().strip_prefix("response=") {
                    out.insert(v.trim_matches('"').to_owned());
                }
            }
        }
        if let Some(c) = r.header("cookie") {
            for pair in c.split(';') {
                if let Some((_, v)) = pair.split_once('=')
                    && v.trim().len() >= 4
                {
                    out.insert(v.trim().to_owned());
                }
            }
        }
    }
    out.into_iter().collect()
}

/// One output to search: its name and text, with the strings of a JSON output and the
/// unescaped text of an HTML one searched as well.
struct Output {
    name: String,
    text: String,
}

impl Output {
    fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Output {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The text and what it decodes to.
    fn views(&self) -> Vec<String> {
        let mut views = vec![self.text.clone()];
        if let Ok(json) = serde_json::from_str::<Value>(&self.text) {
            let mut strings = Vec::new();
            collect_strings(&json, &mut strings);
            views.push(strings.join("\n"));
        }
        if self.text.contains('&') {
            views.push(
                self.text
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&"),
            );
        }
        if self.text.contains('\\') {
            // Markdown escapes.
            views.push(self.text.replace('\\', ""));
        }
        views
    }
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

/// Fails the test naming the output and encoding when any needle is in any output.
fn assert_no_leak(outputs: &[Output], needles: &[String], what: &str) {
    for o in outputs {
        for view in o.views() {
            for n in needles {
                if let Some(at) = view.find(n.as_str()) {
                    let context: String = view
                        .get(..at)
                        .unwrap_or_default()
                        .chars()
                        .rev()
                        .take(80)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .chain(
                            view.get(at..)
                                .unwrap_or_default()
                                .chars()
                                .take(n.len() + 80),
                        )
                        .collect();
                    panic!("{what}: {n:?} found in {}: …{context}…", o.name);
                }
            }
        }
    }
}

/// The needles for `secret` that cannot be one of our own words: every encoding that differs
/// from how the same text reads in the outputs of a check with a random password.
fn needles_for(secret: &str, reference: &[Output]) -> Vec<String> {
    encodings(USER, secret)
        .into_iter()
        .filter(|e| {
            !reference
                .iter()
                .any(|o| o.views().iter().any(|v| v.contains(e.as_str())))
        })
        .collect()
}

fn net() -> Net {
    Net::new(&NetOptions {
        timeout_secs: 5,
        ..NetOptions::default()
    })
    .expect("the HTTP client")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Every output of one diagnosis: the text, the JSON, and each report, redacted and with the
/// site's secrets kept (the user's are never in any).
fn outputs_of(d: &Diagnosis) -> Vec<Output> {
    let mut out = vec![
        Output::new("check text", text::diagnosis(d)),
        Output::new(
            "check --json",
            text::json(d).expect("the diagnosis serialises"),
        ),
    ];
    for redaction in [Redaction::Redacted, Redaction::SiteValuesKept] {
        for format in [Format::Html, Format::Markdown, Format::Json] {
            let body = report::render(d, format, redaction);
            assert!(!body.is_empty(), "an empty {format:?} report");
            out.push(Output::new(
                format!("{format:?} report ({redaction:?})"),
                body,
            ));
        }
    }
    out
}

/// The text of a check with every number of milliseconds and the time of the check made equal.
fn normalised(text: &str) -> String {
    let ms = regex::Regex::new(r"\b\d+ ms\b").expect("a constant pattern");
    let checked = regex::Regex::new(r"(?m)^- \*\*Checked:\*\*.*$").expect("a constant pattern");
    checked
        .replace_all(&ms.replace_all(text, "N ms"), "- Checked")
        .into_owned()
}

fn check_with_password(
    rt: &tokio::runtime::Runtime,
    net: &Net,
    server: &TestServer,
    password: &str,
) -> Diagnosis {
    let input = CheckInput {
        address: server.url(&format!("/start?token={URL_TOKEN}")),
        credentials: Credentials {
            user: Some(USER.to_owned()),
            password: Some(Secret::new(password)),
            token: None,
        },
        cookies: Some(format!("sid={COOKIE_SECRET}; lang=en")),
        ..CheckInput::default()
    };
    rt.block_on(diagnose(&input, net))
}

/// Every JSON key of a diagnosis, nested ones included.
fn json_keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| json_keys(i, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                json_keys(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_output_of_a_check_holds_a_password_that_collides_with_our_words_or_json_keys() {
    let server = echo_server();
    let rt = runtime();
    let net = net();
    let random = random_secret();
    let reference_diagnosis = check_with_password(&rt, &net, &server, &random);
    assert_eq!(reference_diagnosis.status, Some(401));
    assert!(
        reference_diagnosis.credentials.is_some(),
        "the password was tested"
    );
    let reference = outputs_of(&reference_diagnosis);
    let mut fixed = vec![
        URL_TOKEN.to_owned(),
        COOKIE_SECRET.to_owned(),
        SERVER_CODE.to_owned(),
    ];
    fixed.extend(received_secrets(&server));
    assert_no_leak(&reference, &fixed, "the address token, cookie or wire form");
    assert_no_leak(&reference, &encodings(USER, &random), "a random password");
    let reference_text = normalised(&reference.first().expect("the text").text);
    let again = check_with_password(&rt, &net, &server, &random_secret());
    assert_eq!(
        normalised(&text::diagnosis(&again)),
        reference_text,
        "two random passwords read the same"
    );

    let mut keys = BTreeSet::new();
    json_keys(
        &serde_json::to_value(&reference_diagnosis).expect("the diagnosis serialises"),
        &mut keys,
    );
    assert!(keys.len() > 40, "{keys:?}");
    let passwords: Vec<String> = WORDS
        .iter()
        .chain(ODD)
        .map(|s| (*s).to_owned())
        .chain(keys)
        .collect();
    for password in &passwords {
        let d = check_with_password(&rt, &net, &server, password);
        let outputs = outputs_of(&d);
        assert_no_leak(&outputs, &needles_for(password, &reference), password);
        assert_no_leak(&outputs, &fixed, password);
        assert_no_leak(&outputs, &received_secrets(&server), password);
        for kind in ["check text", "Markdown report (Redacted)"] {
            let of = |os: &[Output]| {
                os.iter()
                    .find(|o| o.name == kind)
                    .map(|o| normalised(&o.text))
                    .expect("the output")
            };
            assert_eq!(
                of(&outputs),
                of(&reference),
                "the {kind} for the password {password:?} reads differently from a random one's"
            );
        }
    }
}

#[test]
fn a_password_in_the_address_is_never_shown_even_when_the_address_needed_repairs() {
    let server = echo_server();
    let rt = runtime();
    let net = net();
    let port = server.port();
    for (password, typed) in [
        ("p@ss", format!("HTTP://alice:p%40ss@127.0.0.1:{port}/ok/")),
        (
            "hunter2x",
            format!("  http://alice:hunter2x@127.0.0.1:{port}/ok/."),
        ),
        (
            "sp ace",
            format!("http://alice:sp ace@127.0.0.1:{port}/ok/"),
        ),
        (
            "TOKEN-77ab12",
            format!("http://TOKEN-77ab12@127.0.0.1:{port}/ok/"),
        ),
    ] {
        let input = CheckInput {
            address: typed.clone(),
            ..CheckInput::default()
        };
        let d = rt.block_on(diagnose(&input, &net));
        assert!(d.status.is_some(), "{typed}: {:?}", d.findings);
        assert!(
            d.credentials.as_ref().is_some_and(|c| c.accepted),
            "{typed}: the address's sign-in was tested and accepted"
        );
        let mut needles = encodings(USER, password);
        needles.extend(encodings("TOKEN-77ab12", ""));
        needles.retain(|n| n.len() > 3);
        needles.extend(received_secrets(&server));
        assert_no_leak(&outputs_of(&d), &needles, &typed);
    }
}

#[test]
fn digest_and_bearer_answers_that_echo_the_credential_leak_nothing() {
    let server = echo_server();
    let rt = runtime();
    let net = net();
    let token = format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.{}", random_secret());
    let mut outputs = Vec::new();
    for (path, credentials) in [
        (
            "/digest/",
            Credentials {
                user: Some(USER.to_owned()),
                password: Some(Secret::new("dig-pass-77")),
                token: None,
            },
        ),
        (
            "/bearer/",
            Credentials {
                token: Some(Secret::new(&token)),
                ..Credentials::default()
            },
        ),
    ] {
        let input = CheckInput {
            address: server.url(path),
            credentials,
            ..CheckInput::default()
        };
        let d = rt.block_on(diagnose(&input, &net));
        let scheme = d.credentials.as_ref().map(|c| c.scheme.clone());
        assert!(scheme.is_some(), "{path}: the credential was tested");
        if path == "/bearer/" {
            assert!(
                d.findings
                    .iter()
                    .any(|f| f.code.as_str() == "token-invalid"),
                "the server's refusal is still reported: {:?}",
                d.findings
            );
        }
        outputs.extend(outputs_of(&d));
    }
    let received = received_secrets(&server);
    assert!(
        received.iter().any(|r| r.len() == 64),
        "the Digest response went out: {received:?}"
    );
    let mut needles = received;
    needles.extend(encodings(USER, "dig-pass-77"));
    needles.extend(encodings(USER, &token));
    needles.push(token.rsplit('.').next().unwrap_or_default().to_owned());
    assert_no_leak(&outputs, &needles, "a Digest or Bearer credential");
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("the output is UTF-8")
}

#[test]
fn the_command_line_with_a_cookie_file_and_every_report_holds_no_secret() {
    let server = echo_server();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cookies = dir.path().join("cookies.txt");
    std::fs::write(
        &cookies,
        format!(
            "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\t{COOKIE_SECRET}\n127.0.0.1\tFALSE\t/\tFALSE\t0\tother\tcookie-two-44aa9d\n"
        ),
    )
    .expect("write the cookie file");
    let cookie_path = cookies.to_string_lossy().into_owned();
    let address = server.url(&format!("/start?token={URL_TOKEN}"));
    let mut outputs = Vec::new();
    for (password, json) in [("admin", false), ("p@ss w/rd+%é", true), ("Zq", false)] {
        for ext in ["html", "md", "json"] {
            let report = dir.path().join(format!("r.{ext}"));
            let report_path = report.to_string_lossy().into_owned();
            let mut args = vec![
                "check",
                address.as_str(),
                "--user",
                USER,
                "--password-stdin",
                "--no-dns",
                "--cookies-file",
                cookie_path.as_str(),
                "--report",
                report_path.as_str(),
            ];
            if json {
                args.push("--json");
            }
            let out = authdoctor(&args, Some(password), &[]);
            outputs.push(Output::new(format!("{password} stdout"), stdout(&out)));
            outputs.push(Output::new(
                format!("{password} stderr"),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
            outputs.push(Output::new(
                format!("{password} report.{ext}"),
                std::fs::read_to_string(&report).expect("the report was written"),
            ));
        }
        let mut needles = vec![
            URL_TOKEN.to_owned(),
            COOKIE_SECRET.to_owned(),
            "cookie-two-44aa9d".to_owned(),
            SERVER_CODE.to_owned(),
        ];
        needles.extend(received_secrets(&server));
        needles.extend(
            encodings(USER, password)
                .into_iter()
                .filter(|e| e.len() > 3 && !e.eq_ignore_ascii_case("admin")),
        );
        assert_no_leak(&outputs, &needles, password);
    }
    assert!(
        server.requests().iter().any(|r| r
            .header("cookie")
            .is_some_and(|c| c.contains(COOKIE_SECRET))),
        "the cookie file's cookies were sent"
    );
}

#[test]
fn a_har_with_secrets_everywhere_prints_none_of_them() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let har = dir.path().join("log.har");
    let basic = base64::engine::general_purpose::STANDARD.encode("alice:har-pass-31a");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.har-signature-7f7f7f7f";
    let text = format!(
        r#"{{"log":{{"creator":{{"name":"Chrome","version":"1"}},"entries":[
 {{"startedDateTime":"2026-01-01T00:00:00Z","time":5,
   "request":{{"method":"GET","url":"https://bob:har-url-pw-55@shop.example/start?access_token=har-at-0a1b&x=1#id_token=har-idt-2c3d","headers":[],"cookies":[]}},
   "response":{{"status":302,"headers":[{{"name":"Location","value":"https://shop.example/members/;jsessionid=har-js-4e5f?code=har-code-6a7b"}}],"redirectURL":"https://shop.example/members/;jsessionid=har-js-4e5f?code=har-code-6a7b","content":{{"text":""}}}}}},
 {{"startedDateTime":"2026-01-01T00:00:01Z","time":5,
   "request":{{"method":"GET","url":"https://shop.example/members/;jsessionid=har-js-4e5f?code=har-code-6a7b","headers":[{{"name":"Authorization","value":"Basic {basic}"}},{{"name":"Cookie","value":"sid=har-cookie-8c9d"}},{{"name":"Referer","value":"https://shop.example/start?access_token=har-at-0a1b"}}],"cookies":[{{"name":"sid","value":"har-cookie-8c9d"}}]}},
   "response":{{"status":401,"headers":[{{"name":"WWW-Authenticate","value":"Basic realm=\"Shop\""}},{{"name":"X-Amz-Security-Token","value":"har-amz-0e1f"}},{{"name":"X-Subject-Token","value":"har-subject-2a3b"}},{{"name":"Set-Cookie","value":"sess=har-setcookie-4c5d; Path=/"}}],
     "content":{{"text":"{{\"password\": \"har-body-pw-6e7f\", \"access_token\": \"har-body-at-8a9b\", \"jwt\": \"{jwt}\", \"echo\": \"har-cookie-8c9d {basic}\"}}"}}}}}}
]}}}}"#
    );
    std::fs::write(&har, text).expect("write the HAR");
    let path = har.to_string_lossy().into_owned();
    let outputs = vec![
        Output::new("har", stdout(&authdoctor(&["har", &path], None, &[]))),
        Output::new(
            "har --json",
            stdout(&authdoctor(&["har", &path, "--json"], None, &[])),
        ),
    ];
    let json: Value = serde_json::from_str(&outputs[1].text).expect("har --json is JSON");
    assert_eq!(json["findings"][0]["diagnosis"]["status"], 401);
    let needles: Vec<String> = [
        "har-url-pw-55",
        "bob:",
        "har-at-0a1b",
        "har-idt-2c3d",
        "har-js-4e5f",
        "har-code-6a7b",
        "har-pass-31a",
        basic.as_str(),
        "har-cookie-8c9d",
        "har-amz-0e1f",
        "har-subject-2a3b",
        "har-setcookie-4c5d",
        "har-body-pw-6e7f",
        "har-body-at-8a9b",
        "har-signature-7f7f7f7f",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_no_leak(&outputs, &needles, "a HAR secret");
}

#[test]
fn htaccess_and_its_password_file_print_no_hash_and_no_terminal_escape() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let htaccess = dir.path().join(".htaccess");
    std::fs::write(
        &htaccess,
        "AuthType Basic\nAuthName \"Members \u{1b}[31mred\u{202e}txet\"\nAuthUserFile /etc/apache2/.htpasswd\nRequire valid-user\n",
    )
    .expect("write .htaccess");
    let passwords = dir.path().join(".htpasswd");
    let hash = "$apr1$salt1234$hashvalue0123456789abc";
    std::fs::write(
        &passwords,
        format!("alice:{hash}\nbob:{{SHA}}c2hhLWhhc2gtb2YtYm9i\n"),
    )
    .expect("write .htpasswd");
    let a = htaccess.to_string_lossy().into_owned();
    let p = passwords.to_string_lossy().into_owned();
    for json in [false, true] {
        let mut args = vec!["htaccess", a.as_str(), "--password-file", p.as_str()];
        if json {
            args.push("--json");
        }
        let out = stdout(&authdoctor(&args, None, &[]));
        assert_no_terminal_control(&out, "htaccess");
        assert_no_leak(
            &[Output::new("htaccess", out)],
            &[
                hash.to_owned(),
                "hashvalue0123456789abc".to_owned(),
                "c2hhLWhhc2gtb2YtYm9i".to_owned(),
            ],
            "a password hash",
        );
    }
}

/// No escape character, C1 control or bidirectional override reaches the terminal.
fn assert_no_terminal_control(text: &str, what: &str) {
    let bad = text.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{what} prints {bad:?}: {text}");
}

#[test]
fn explain_header_explains_what_the_browser_sends_without_its_value() {
    for (header, secret, names) in [
        (
            "Authorization: Basic YWxpY2U6aHVudGVyMg==",
            "YWxpY2U6aHVudGVyMg",
            "Basic",
        ),
        (
            "proxy-authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-55aa66bb",
            "sig-55aa66bb",
            "Bearer",
        ),
        (
            "Cookie: sid=ck-secret-9911; theme=ck-theme-2233",
            "ck-secret-9911",
            "sid, theme",
        ),
        ("Basic YWxpY2U6aHVudGVyMg==", "YWxpY2U6aHVudGVyMg", "Basic"),
    ] {
        let text = stdout(&authdoctor(&["explain-header", header], None, &[]));
        assert!(text.contains("sent by the browser"), "{text}");
        assert!(text.contains(names), "{text}");
        let json = stdout(&authdoctor(
            &["explain-header", header, "--json"],
            None,
            &[],
        ));
        let v: Value = serde_json::from_str(&json).expect("explain-header --json is JSON");
        assert!(v["sent_by_browser"]["header"].is_string(), "{json}");
        assert_eq!(v["challenges"].as_array().map(Vec::len), Some(0), "{json}");
        let mut needles = vec![secret.to_owned(), "hunter2".to_owned()];
        needles.push("ck-theme-2233".to_owned());
        assert_no_leak(
            &[Output::new("text", text), Output::new("json", json)],
            &needles,
            header,
        );
    }
}

#[test]
fn escapes_and_overrides_from_a_server_are_shown_escaped_and_a_markdown_link_stays_text() {
    let server = TestServer::start(|_| {
        Reply::status(401).header(
            "WWW-Authenticate",
            "Basic realm=\"[Click here](https://evil.example/reset) \u{1b}[2J\u{202e}drowssap\"",
        )
    });
    let rt = runtime();
    let d = rt.block_on(diagnose(
        &CheckInput {
            address: server.url("/x"),
            ..CheckInput::default()
        },
        &net(),
    ));
    assert_eq!(d.status, Some(401));
    assert_no_terminal_control(&text::diagnosis(&d), "check text");
    assert_no_terminal_control(&text::json(&d).expect("serialises"), "check --json");
    let md = report::render(&d, Format::Markdown, Redaction::Redacted);
    assert_no_terminal_control(&md, "Markdown report");
    assert!(!md.contains("[Click here]("), "{md}");
    let html = report::render(&d, Format::Html, Redaction::Redacted);
    assert_no_terminal_control(&html, "HTML report");
    assert!(html.contains("Content-Security-Policy"), "{html}");
    assert!(html.contains("default-src 'none'"), "{html}");
    let token = format!(
        "{}.{}.c2lnbmF0dXJl",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("{\"alg\":\"HS256\"}"),
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode("{\"iss\":\"\u{1b}[31mevil\u{202e}\",\"sub\":\"x\"}")
    );
    let out = stdout(&authdoctor(&["token"], Some(&token), &[]));
    assert_no_terminal_control(&out, "token");
    let out = stdout(&authdoctor(&["token", "--json"], Some(&token), &[]));
    assert_no_terminal_control(&out, "token --json");
}

#[test]
fn a_cookie_file_with_escapes_in_names_prints_them_escaped() {
    let server =
        TestServer::start(|_| Reply::status(401).header("WWW-Authenticate", "Basic realm=\"x\""));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cookies = dir.path().join("cookies.txt");
    std::fs::write(
        &cookies,
        "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\u{1b}[31m\u{202e}\tvalue-0011aa\n",
    )
    .expect("write the cookie file");
    let out = authdoctor(
        &[
            "check",
            &server.url("/"),
            "--no-dns",
            "--cookies-file",
            &cookies.to_string_lossy(),
        ],
        None,
        &[],
    );
    let text = stdout(&out);
    assert_no_terminal_control(&text, "cookie names");
    assert!(!text.contains("value-0011aa"), "{text}");
}

#[cfg(feature = "gui")]
#[test]
fn the_guis_saved_settings_hold_no_secret_of_an_oddly_typed_address() {
    use authdoctor::gui::AuthDoctorApp;
    use authdoctor::gui::steps::start::{ADDRESS_LABEL, CHECK_BUTTON};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use support::MemoryStorage;

    let server = echo_server();
    let rt = runtime();
    let handle = rt.handle().clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 800.0))
        .build_eframe(move |cc| {
            let mut app = AuthDoctorApp::new(cc, handle);
            app.set_timeout_secs(5);
            app
        });
    let host = format!("127.0.0.1:{}", server.port());
    let typed = [
        format!("alice:gui-pw-0a11@{host}/ok/"),
        format!("//bob:gui-pw-1b22@{host}/ok/"),
        format!("{host}/reset?token=gui-tok-2c33&page=1"),
        format!("http://{host}/cb#access_token=gui-at-3d44&state=1"),
        format!("http://{host}/app;jsessionid=gui-js-4e55/ok/"),
        format!("HTTP://carol:gui-pw%40-5f66@{host}/ok/"),
    ];
    for address in &typed {
        harness.state_mut().step = authdoctor::gui::wizard::Step::Start;
        harness.state_mut().form.address.clear();
        harness.run();
        harness.get_by_label(ADDRESS_LABEL).click();
        harness.run();
        harness.get_by_label(ADDRESS_LABEL).type_text(address);
        harness.run();
        harness.get_by_label(CHECK_BUTTON).click();
        harness.step();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while harness.state().diagnosis().is_none() || harness.state().check.is_running() {
            assert!(
                std::time::Instant::now() < deadline,
                "{address}: the check never ended"
            );
            harness.step();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let everything: String = storage.0.values().cloned().collect::<Vec<_>>().join("\n");
    assert!(
        everything.contains(&server.port().to_string()),
        "the addresses are remembered: {everything}"
    );
    let needles: Vec<String> = [
        "gui-pw-0a11",
        "gui-pw-1b22",
        "gui-tok-2c33",
        "gui-at-3d44",
        "gui-js-4e55",
        "gui-pw%40-5f66",
        "gui-pw@-5f66",
        "-5f66",
        "alice",
        "bob:",
        "carol",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_no_leak(
        &[Output::new("saved settings", everything)],
        &needles,
        "the recent list",
    );
}
