//! Reads an Apache `.htaccess` (or `<Directory>` snippet) or an nginx `auth_basic` snippet, and
//! optionally the password file it names, explains each sign-in line in plain words and points at
//! the mistakes that make a server answer 401 (or 500) to the right password. Text in, report out:
//! no disk access, and password hashes are never shown.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::engine::challenge::Scheme;
use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::text::shorten;
use crate::engine::work;

mod apache;
mod apache_checks;
mod mistakes;
mod nginx;
mod password_file;
mod walkthrough;

use apache::{
    ApacheConf, Directive, Section, inside_web_root, is_absolute_path, list, parse_apache,
};
use apache_checks::apache;
use mistakes::Mistake;
use nginx::nginx;
use password_file::{PasswordFile, parse_password_file, password_file_findings};
use walkthrough::walkthrough;

/// Configurations longer than this are cut (no real `.htaccess` comes close).
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;
/// The most problems reported; beyond that the file needs a rewrite, not a list.
const MAX_PROBLEMS: usize = 100;
/// The most lines kept in the walk-through.
const MAX_EXPLAINED: usize = 400;

/// Which server the configuration is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigKind {
    /// Apache `.htaccess`, `<Directory>` or virtual host snippet.
    Apache,
    /// nginx `server` / `location` snippet with `auth_basic`.
    Nginx,
}

/// What the caller knows about the site the file belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtaccessContext {
    /// The scheme the server actually asked for in its 401 (`Basic`, `Digest`…), when known.
    pub observed_scheme: Option<String>,
    /// True when the site is reached over plain http.
    pub site_is_http: bool,
}

/// One line of the configuration and what it means.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedLine {
    /// Line number in the file (1-based; the first line of a continued line).
    pub line: usize,
    /// The line as written (continuations joined, shortened).
    pub text: String,
    /// What it does, in plain words.
    pub meaning: String,
}

/// The reading of a configuration: each sign-in line explained, and the problems found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtaccessReport {
    /// Apache or nginx.
    pub kind: ConfigKind,
    /// The lines about sign-in and access, explained.
    pub directives: Vec<ExplainedLine>,
    /// One `htaccess-problem` per mistake, then one `htaccess-explained` walk-through.
    pub findings: Vec<Finding>,
}

/// Reads `text` (an `.htaccess`, Apache snippet or nginx snippet) and, when given, the contents
/// of the password file it uses. Never reads files itself.
#[must_use]
pub fn check(text: &str, password_file: Option<&str>, context: &HtaccessContext) -> HtaccessReport {
    let text = prefix_chars(text, MAX_CONFIG_BYTES);
    work::add(text.len() + password_file.map_or(0, str::len));
    let users = password_file.map(|p| parse_password_file(prefix_chars(p, MAX_CONFIG_BYTES)));
    let kind = detect_kind(text);
    let mut out = Output::default();
    match kind {
        ConfigKind::Apache => apache(text, users.as_ref(), context, &mut out),
        ConfigKind::Nginx => nginx(text, users.as_ref(), context, &mut out),
    }
    if let Some(file) = &users {
        password_file_findings(file, kind, &mut out);
    }
    let mut findings = out.problems;
    findings.truncate(MAX_PROBLEMS);
    findings.push(walkthrough(
        kind,
        &out.summary,
        &out.explained,
        users.as_ref(),
    ));
    out.explained.truncate(MAX_EXPLAINED);
    HtaccessReport {
        kind,
        directives: out.explained,
        findings,
    }
}

fn prefix_chars(text: &str, max: usize) -> &str {
    crate::engine::text::prefix_at_char_boundary(text, max)
}

#[derive(Default)]
struct Output {
    explained: Vec<ExplainedLine>,
    problems: Vec<Finding>,
    summary: Vec<String>,
}

impl Output {
    fn full(&self) -> bool {
        self.problems.len() >= MAX_PROBLEMS
    }

    fn explain(&mut self, line: usize, text: &str, meaning: String) {
        if self.explained.len() <= MAX_EXPLAINED {
            self.explained.push(ExplainedLine {
                line,
                text: shorten(text, 200),
                meaning,
            });
        }
    }

    /// Reports `mistake`, made on configuration line `line` (`text`).
    fn problem(&mut self, line: usize, text: &str, mistake: Mistake) {
        self.push(format!("Line {line}"), text, mistake);
    }

    /// Reports `mistake`, made on line `line` of the password file (`shown`, hash masked).
    fn file_problem(&mut self, line: usize, shown: &str, mistake: Mistake) {
        self.push(format!("Password file, line {line}"), shown, mistake);
    }

    fn push(&mut self, place: String, text: &str, mistake: Mistake) {
        if self.problems.len() >= MAX_PROBLEMS {
            return;
        }
        let finding = mistake.finding().evidence(place, shorten(text, 200));
        self.problems.push(finding);
    }
}

fn detect_kind(text: &str) -> ConfigKind {
    // The start of a file says what it is; reading all of a huge one adds nothing.
    let lower = prefix_chars(text, 64 * 1024).to_ascii_lowercase();
    let nginx_score = [
        "auth_basic",
        "location ",
        "server {",
        "server{",
        "auth_request",
        "limit_except",
    ]
    .iter()
    .filter(|m| lower.contains(*m))
    .count()
        + lower
            .lines()
            .take(10_000)
            .filter(|l| {
                let t = l.trim();
                !t.starts_with('#') && (t.ends_with(';') || t.ends_with('{'))
            })
            .count()
            .min(3);
    let apache_score = [
        "authtype",
        "authuserfile",
        "authname",
        "require ",
        "<directory",
        "<files",
        "order ",
        "satisfy ",
        "rewriteengine",
        "<ifmodule",
        "<limit",
        "allow from",
        "deny from",
    ]
    .iter()
    .filter(|m| lower.contains(*m))
    .count();
    if nginx_score > apache_score {
        ConfigKind::Nginx
    } else {
        ConfigKind::Apache
    }
}

#[cfg(test)]
mod tests;
