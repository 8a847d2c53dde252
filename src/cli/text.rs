//! Human-readable text for the terminal: the likely cause first, then each finding with its
//! next steps and its code in brackets, so a helpdesk can refer to it.

use std::fmt::Write as _;

use crate::engine::challenge::{self, ParsedChallenges};
use crate::engine::credentials::Outcome;
use crate::engine::diagnosis::status_meaning;
use crate::engine::probe::Purpose;
use crate::engine::{Diagnosis, Finding};

/// The whole diagnosis as text.
#[must_use]
pub fn diagnosis(d: &Diagnosis) -> String {
    let mut out = String::new();
    if d.url.is_empty() {
        out.push_str("AuthDoctor could not check this address.\n");
    } else {
        let _ = writeln!(out, "AuthDoctor checked {}", d.url);
    }
    if d.hops.len() > 1 {
        out.push_str("Redirects:\n");
        for (i, h) in d.hops.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} {} ({} ms){}",
                i + 1,
                h.status,
                h.url,
                h.elapsed_ms,
                h.location
                    .as_ref()
                    .map(|l| format!(" → {l}"))
                    .unwrap_or_default()
            );
        }
    }
    if let Some(proxy) = &d.proxy {
        let _ = writeln!(
            out,
            "Through the proxy {} (set by {})",
            proxy.url, proxy.source
        );
    }
    if let Some(status) = d.status {
        let _ = writeln!(out, "Status: {status} — {}", status_meaning(status));
    }
    if let Some(c) = &d.credentials {
        let _ = writeln!(
            out,
            "With your sign-in ({}): {} — {}",
            c.scheme,
            if c.status == 0 {
                "no answer".to_owned()
            } else {
                c.status.to_string()
            },
            signed_in_words(c.outcome)
        );
    }
    if let Some(f) = d.likely_finding() {
        let _ = writeln!(out, "\nLikely cause: {} [{}]", f.title, f.code);
        let _ = writeln!(out, "  {}", f.detail);
    }
    out.push_str(&references(&d.references, &d.checked_at));
    if let Some(p) = &d.preflight {
        let _ = writeln!(
            out,
            "\nFrom the page {} (CORS preflight): {}",
            p.origin, p.browser_says
        );
    }
    if let Some(n) = &d.ntlm {
        let _ = writeln!(
            out,
            "\nWindows sign-in ({}): target {}{}{}",
            n.scheme,
            n.target_name,
            n.dns_computer
                .as_ref()
                .map(|c| format!(", server {c}"))
                .unwrap_or_default(),
            n.windows_version
                .as_ref()
                .map(|v| format!(", Windows {v}"))
                .unwrap_or_default()
        );
    }
    if !d.cookies.is_empty() {
        out.push_str("\nCookies (values are never shown):\n");
        for c in &d.cookies {
            let verdict = if c.sent {
                "sent".to_owned()
            } else {
                format!(
                    "not sent: {}",
                    c.reason.as_deref().unwrap_or("unknown reason")
                )
            };
            let _ = writeln!(
                out,
                "  {} (domain {}, path {}): {verdict}",
                c.name, c.domain, c.path
            );
        }
    }
    out.push_str("\nFindings:\n");
    for (i, f) in d.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    if !d.requests.is_empty() {
        out.push_str("\nWhat AuthDoctor sent:\n");
        for (i, r) in d.requests.iter().enumerate() {
            let with = match (r.credentials, r.cookies) {
                (true, true) => ", with your sign-in and cookies",
                (true, false) => ", with your sign-in",
                (false, true) => ", with cookies",
                (false, false) => "",
            };
            let answer = match (r.status, &r.error) {
                (Some(status), _) => status.to_string(),
                (None, Some(error)) => error.clone(),
                (None, None) => "no answer".to_owned(),
            };
            let _ = writeln!(
                out,
                "  {}. {} {} ({}{with}): {answer}, {} ms",
                i + 1,
                r.method,
                r.url,
                purpose_words(r.purpose),
                r.elapsed_ms
            );
        }
    }
    out
}

/// The "Give this to the site's owner" box: reference numbers, the time, the public address.
#[must_use]
pub fn references(r: &crate::engine::services::References, checked_at: &str) -> String {
    let mut out = String::new();
    if r.is_empty() {
        return out;
    }
    out.push_str("\nGive this to the site's owner:\n");
    for item in &r.items {
        let _ = writeln!(
            out,
            "  {}: {} ({} of the {} answer from {})",
            item.label, item.value, item.source, item.status, item.url
        );
    }
    let _ = writeln!(
        out,
        "  Time: {}",
        r.site_time.as_deref().unwrap_or(checked_at)
    );
    if let (Some(ip), Some(source)) = (&r.public_ip, &r.public_ip_source) {
        let _ = writeln!(
            out,
            "  Your public IP address as the site saw it: {ip} ({source})"
        );
    }
    out
}

fn signed_in_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Accepted => "accepted: the site let AuthDoctor in",
        Outcome::Rejected => "refused: the site asked for the same sign-in again",
        Outcome::Forbidden => "signed in, but this account may not open the page",
        Outcome::ServerError => "the site failed once the details were sent",
        Outcome::AnotherSignIn => "past the first sign-in, another one asked again",
        Outcome::NotPassed => "the details never reached the application",
        Outcome::LeftSite => "sent on to another site, not followed",
        Outcome::ProxyAsked => "a proxy asked for its own sign-in",
        Outcome::ServedFromCache => "a cache answered with a stored 401",
        Outcome::NoAnswer => "no answer came",
    }
}

fn purpose_words(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::AsBrowser => "the page, as your browser asks for it",
        Purpose::SchemeFallback => "the same page over http",
        Purpose::SignedIn => "answering the sign-in",
        Purpose::SignedInRetry => "answering the sign-in again, with a fresh number",
        Purpose::WithoutCookies => "the page without your cookies",
        Purpose::CacheBusted => "the page past any cache",
        Purpose::Harmless => "a public page of the site, to recognise its software",
        Purpose::HttpsCheck => "the https address, to see whether it exists",
        Purpose::Preflight => "the browser's CORS preflight, from the page you named",
        Purpose::CorsRequest => "the page as that page's script asks for it",
        Purpose::NtlmHandshake => "the first step of a Windows sign-in (no password in it)",
        Purpose::TokenExchange => "your details to the registry's token service",
    }
}

fn finding(out: &mut String, n: usize, f: &Finding) {
    let _ = writeln!(
        out,
        "\n{n}. {}: {} [{}]",
        f.severity.label().to_uppercase(),
        f.title,
        f.code
    );
    let _ = writeln!(out, "   {}", f.detail);
    if !f.next_steps.is_empty() {
        out.push_str("   What to do:\n");
        for (i, s) in f.next_steps.iter().enumerate() {
            let _ = writeln!(out, "     {}. {s}", i + 1);
        }
    }
    if !f.evidence.is_empty() {
        out.push_str("   Evidence:\n");
        for e in &f.evidence {
            let value = e.value.replace('\n', "\n       ");
            let _ = writeln!(out, "     {}: {value}", e.label);
        }
    }
}

/// A token's decoded header, claims and times, then its findings.
#[must_use]
pub fn token(report: &crate::engine::token::TokenReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Token kind: {:?}", report.kind);
    for t in &report.times {
        let _ = writeln!(out, "  {}: {} ({})", t.name, t.readable, t.relative);
    }
    if let Some(claims) = &report.claims {
        let _ = writeln!(
            out,
            "Claims:\n{}",
            serde_json::to_string_pretty(claims).unwrap_or_default()
        );
    }
    out.push_str("\nFindings:\n");
    for (i, f) in report.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    out
}

/// An explained .htaccess or nginx snippet, then its findings.
#[must_use]
pub fn htaccess(report: &crate::engine::htaccess::HtaccessReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:?} configuration, line by line:", report.kind);
    for d in &report.directives {
        let _ = writeln!(out, "  {:>4}  {}\n        {}", d.line, d.text, d.meaning);
    }
    out.push_str("\nFindings:\n");
    for (i, f) in report.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    out
}

/// The DNS comparison.
#[must_use]
pub fn dns(report: &crate::engine::dns::DnsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "DNS for {}", report.host);
    if report.dns_involved {
        let system: Vec<String> = report.system.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "  This computer's answer: {}",
            if system.is_empty() {
                report
                    .system_error
                    .clone()
                    .unwrap_or_else(|| "nothing".to_owned())
            } else {
                system.join(", ")
            }
        );
        for a in &report.fresh {
            let _ = writeln!(out, "  {} ({}): {}", a.name, a.server, a.summary);
        }
        for e in &report.hosts_entries {
            let _ = writeln!(
                out,
                "  Hosts file {} line {}: {}",
                report.hosts_path, e.line_number, e.line
            );
        }
    }
    out.push_str("\nFindings:\n");
    for (i, f) in report.findings.iter().enumerate() {
        finding(&mut out, i + 1, f);
    }
    if !report.flush.is_empty() {
        out.push('\n');
        out.push_str(&flush(&report.flush));
    }
    out
}

/// DNS cache flush commands.
#[must_use]
pub fn flush(commands: &[crate::engine::dns::FlushCommand]) -> String {
    let mut out = String::from("How to clear the DNS cache:\n");
    for c in commands {
        let admin = if c.needs_admin {
            " (needs an administrator)"
        } else {
            ""
        };
        let _ = writeln!(out, "\n- {}: {}{admin}", c.platform, c.title);
        if !c.command.is_empty() {
            let _ = writeln!(out, "    {}", c.command);
        }
        let _ = writeln!(out, "  {}", c.explanation);
    }
    out
}

/// A HAR log's 401s, each with its diagnosis.
#[must_use]
pub fn har(report: &crate::engine::har::HarReport) -> String {
    let mut out = String::new();
    let source = if report.source.is_empty() {
        String::new()
    } else {
        format!(" from {}", report.source)
    };
    let _ = writeln!(
        out,
        "The network log{source} holds {} requests; {} answered 401 or 407.",
        report.entries,
        report.findings.len()
    );
    for p in &report.problems {
        let _ = writeln!(out, "  (skipped: {p})");
    }
    for f in &report.findings {
        let _ = writeln!(
            out,
            "\n=== Request {}: {} {} ({}) ===",
            f.entry, f.method, f.url, f.started
        );
        if f.cookies_sent.is_empty() {
            out.push_str("The browser sent no cookies with it.\n");
        } else {
            let _ = writeln!(
                out,
                "The browser sent the cookies: {}",
                f.cookies_sent.join(", ")
            );
        }
        if f.sent_authorization {
            out.push_str("The browser sent sign-in details (Authorization) with it, and they were refused.\n");
        }
        out.push_str(&diagnosis(&f.diagnosis));
    }
    out
}

/// The explanation of one header value.
#[must_use]
pub fn header_explanation(parsed: &ParsedChallenges) -> String {
    let mut out = String::new();
    if parsed.challenges.is_empty() {
        out.push_str("No challenge could be read from this header.\n");
    }
    for (i, c) in parsed.challenges.iter().enumerate() {
        let e = challenge::explain(c);
        let _ = writeln!(out, "{}. {} ({})", i + 1, e.scheme_name, c.scheme);
        let _ = writeln!(out, "   {}", e.meaning);
        for d in &e.details {
            let _ = writeln!(out, "   - {d}");
        }
        let _ = writeln!(out, "   What to do: {}", e.what_to_do);
        if let Some(t) = &c.token68 {
            let _ = writeln!(out, "   token68: {t}");
        }
        for (k, v) in &c.params {
            let _ = writeln!(out, "   {k} = {v}");
        }
    }
    if !parsed.problems.is_empty() {
        out.push_str("\nProblems (what had to be forgiven):\n");
        for p in &parsed.problems {
            let _ = writeln!(out, "  - {p}");
        }
    }
    out
}
