//! Reads an Apache `.htaccess` (or `<Directory>` snippet) or an nginx `auth_basic` snippet, and
//! optionally the password file it names, explains each sign-in line in plain words and points at
//! the mistakes that make a server answer 401 (or 500) to the right password. Text in, report out:
//! no disk access, and password hashes are never shown.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::text::shorten;
use crate::engine::work;

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

    fn problem(
        &mut self,
        severity: Severity,
        line: usize,
        text: &str,
        title: &str,
        detail: String,
        fix: &str,
    ) {
        if self.problems.len() >= MAX_PROBLEMS {
            return;
        }
        let mut finding = Finding::new(Code::HtaccessProblem, detail)
            .title(title)
            .severity(severity)
            .evidence(format!("Line {line}"), shorten(text, 200));
        if !fix.is_empty() {
            finding = finding.first_step(fix);
        }
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

// ---------------------------------------------------------------------------------------------
// Password files.

/// How a password is stored in a password file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HashFormat {
    Bcrypt,
    /// `$2b$` / `$2x$`: bcrypt variants Apache's own code does not read.
    BcryptOther,
    Apr1,
    Sha1,
    Ssha,
    PlainMarked,
    Md5Crypt,
    Sha256Crypt,
    Sha512Crypt,
    /// yescrypt, scrypt, gost-yescrypt: only where the system's `crypt()` knows them.
    ModernCrypt,
    Argon2,
    DesCrypt,
    RawHex,
    Plain,
    Empty,
}

impl HashFormat {
    fn name(self) -> &'static str {
        match self {
            HashFormat::Bcrypt | HashFormat::BcryptOther => "bcrypt",
            HashFormat::Apr1 => "Apache MD5 ($apr1$)",
            HashFormat::Sha1 => "SHA-1 ({SHA})",
            HashFormat::Ssha => "salted SHA-1 ({SSHA})",
            HashFormat::PlainMarked => "plain text marked {PLAIN}",
            HashFormat::Md5Crypt => "MD5-crypt ($1$)",
            HashFormat::Sha256Crypt => "SHA-256-crypt ($5$)",
            HashFormat::Sha512Crypt => "SHA-512-crypt ($6$)",
            HashFormat::ModernCrypt => "yescrypt or scrypt",
            HashFormat::Argon2 => "Argon2",
            HashFormat::DesCrypt => "old DES crypt",
            HashFormat::RawHex => "a bare hexadecimal hash",
            HashFormat::Plain => "plain text",
            HashFormat::Empty => "nothing (empty)",
        }
    }
}

fn hash_format(hash: &str) -> HashFormat {
    let is_b64 = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    if hash.is_empty() {
        HashFormat::Empty
    } else if hash.starts_with("$2y$") || hash.starts_with("$2a$") {
        HashFormat::Bcrypt
    } else if hash.starts_with("$2b$") || hash.starts_with("$2x$") {
        HashFormat::BcryptOther
    } else if hash.starts_with("$apr1$") {
        HashFormat::Apr1
    } else if let Some(rest) = hash.strip_prefix("{SHA}") {
        if rest.len() == 28 && is_b64(rest) {
            HashFormat::Sha1
        } else {
            HashFormat::Plain
        }
    } else if hash.starts_with("{SSHA}") {
        HashFormat::Ssha
    } else if hash.starts_with("{PLAIN}") {
        HashFormat::PlainMarked
    } else if hash.starts_with("$1$") {
        HashFormat::Md5Crypt
    } else if hash.starts_with("$5$") {
        HashFormat::Sha256Crypt
    } else if hash.starts_with("$6$") {
        HashFormat::Sha512Crypt
    } else if hash.starts_with("$y$") || hash.starts_with("$gy$") || hash.starts_with("$7$") {
        HashFormat::ModernCrypt
    } else if hash.starts_with("$argon2") {
        HashFormat::Argon2
    } else if hash.len() == 13
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/'))
        && !hash.bytes().all(|b| b.is_ascii_hexdigit())
    {
        HashFormat::DesCrypt
    } else if matches!(hash.len(), 32 | 40 | 64 | 128)
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
    {
        HashFormat::RawHex
    } else {
        HashFormat::Plain
    }
}

/// One user line of a password file (the hash is kept only to classify it, never shown).
#[derive(Clone, Debug)]
struct UserEntry {
    line: usize,
    user: String,
    /// `Some(realm)` for Digest lines (`user:realm:hash`).
    realm: Option<String>,
    format: HashFormat,
    hash_len: usize,
}

#[derive(Clone, Debug, Default)]
struct PasswordFile {
    entries: Vec<UserEntry>,
    /// The user names, for quick look-ups.
    names: HashSet<String>,
    /// Trimmed lowercase user name → first entry, to suggest "did you mean".
    near_names: HashMap<String, usize>,
    /// Lines that could not be read: (line, what is wrong, safe text).
    broken: Vec<(usize, String, String)>,
    had_bom: bool,
}

impl PasswordFile {
    fn has_user(&self, user: &str) -> bool {
        self.names.contains(user)
    }

    fn is_digest(&self) -> bool {
        !self.entries.is_empty() && self.entries.iter().all(|e| e.realm.is_some())
    }

    fn is_basic(&self) -> bool {
        !self.entries.is_empty() && self.entries.iter().all(|e| e.realm.is_none())
    }
}

/// A password file line that is safe to show: the user name and realm, never the hash (nor the
/// length of a password stored as plain text).
fn masked(entry: &UserEntry) -> String {
    let hidden = match entry.format {
        HashFormat::Plain | HashFormat::PlainMarked => "(password hidden)".to_owned(),
        _ => format!("(hash hidden, {} characters)", entry.hash_len),
    };
    match &entry.realm {
        Some(realm) => format!("{}:{realm}:{hidden}", entry.user),
        None => format!("{}:{hidden}", entry.user),
    }
}

fn parse_password_file(text: &str) -> PasswordFile {
    let mut file = PasswordFile {
        had_bom: text.starts_with('\u{feff}'),
        ..PasswordFile::default()
    };
    let text = text.trim_start_matches('\u{feff}');
    for (index, raw) in text.lines().enumerate() {
        work::add(raw.len() + 1);
        let number = index + 1;
        let line = raw.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((user, rest)) = line.split_once(':') else {
            file.broken.push((
                number,
                "has no colon, so it is not a user:password line".to_owned(),
                "(line hidden)".to_owned(),
            ));
            continue;
        };
        let (realm, hash) = match rest.split_once(':') {
            Some((realm, hash))
                if hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                (Some(realm.to_owned()), hash)
            }
            _ => (None, rest),
        };
        let hash = hash.trim_end();
        file.names.insert(user.to_owned());
        file.near_names
            .entry(user.trim().to_lowercase())
            .or_insert(file.entries.len());
        file.entries.push(UserEntry {
            line: number,
            user: user.to_owned(),
            realm,
            format: if hash.len() == 32 && rest.contains(':') {
                HashFormat::Md5Crypt
            } else {
                hash_format(hash)
            },
            hash_len: hash.chars().count(),
        });
    }
    file
}

fn password_file_findings(file: &PasswordFile, kind: ConfigKind, out: &mut Output) {
    let file_problem = |out: &mut Output,
                        severity: Severity,
                        line: usize,
                        shown: &str,
                        title: &str,
                        detail: String,
                        fix: &str| {
        if out.problems.len() >= MAX_PROBLEMS {
            return;
        }
        let mut f = Finding::new(Code::HtaccessProblem, detail)
            .title(title)
            .severity(severity)
            .evidence(format!("Password file, line {line}"), shorten(shown, 200));
        if !fix.is_empty() {
            f = f.first_step(fix);
        }
        out.problems.push(f);
    };
    let regenerate = match kind {
        ConfigKind::Apache => {
            "Set the password again with `htpasswd -B /full/path/to/.htpasswd USERNAME` (without \
             -c, which would replace the whole file)."
        }
        ConfigKind::Nginx => {
            "Set the password again with `htpasswd /full/path/to/.htpasswd USERNAME` (Apache MD5, \
             which nginx reads everywhere), without -c, which would replace the whole file."
        }
    };
    if file.had_bom
        && let Some(first) = file.entries.first()
    {
        file_problem(
            out,
            Severity::Problem,
            first.line,
            &masked(first),
            "The password file starts with an invisible character",
            format!(
                "The file starts with a byte order mark (an invisible character some Windows \
                 editors add), so the first user name is read as \"\u{feff}{}\" and that user can \
                 never sign in.",
                first.user
            ),
            "Save the password file as UTF-8 without BOM (or ASCII), or recreate it with htpasswd.",
        );
    }
    for (line, what, shown) in &file.broken {
        file_problem(
            out,
            Severity::Problem,
            *line,
            shown,
            "A password file line cannot be read",
            format!(
                "Line {line} of the password file {what}. Each line must be user:password-hash."
            ),
            regenerate,
        );
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for e in &file.entries {
        if out.full() {
            return;
        }
        let shown = masked(e);
        if e.user.is_empty() {
            file_problem(
                out,
                Severity::Problem,
                e.line,
                &shown,
                "A password file line has no user name",
                format!(
                    "Line {} of the password file starts with a colon: it has no user name.",
                    e.line
                ),
                regenerate,
            );
            continue;
        }
        if e.user.trim() != e.user {
            file_problem(
                out,
                Severity::Problem,
                e.line,
                &shown,
                "A user name in the password file has spaces around it",
                format!(
                    "The user name \"{}\" on line {} has spaces before or after it. The server compares names exactly, so typing \"{}\" never matches.",
                    e.user,
                    e.line,
                    e.user.trim()
                ),
                "Remove the spaces around the user name in the password file.",
            );
        }
        if !seen.insert(e.user.as_str()) && e.realm.is_none() {
            file_problem(
                out,
                Severity::Warning,
                e.line,
                &shown,
                "A user is listed twice in the password file",
                format!(
                    "\"{}\" appears more than once; the server only uses the first line, so a password set on a later line never works.",
                    e.user
                ),
                "Delete the extra lines for this user and set the password once more.",
            );
        }
        if e.realm.is_some() {
            continue;
        }
        let (severity, detail) = match (e.format, kind) {
            (HashFormat::Empty, _) => (
                Severity::Problem,
                format!(
                    "The user \"{}\" has an empty password hash, so no password matches.",
                    e.user
                ),
            ),
            (HashFormat::Plain, ConfigKind::Apache) => (
                Severity::Problem,
                format!(
                    "The password of \"{}\" seems to be stored as plain text. Apache on Linux and other Unix systems only accepts hashed passwords (plain text works only on Windows), so the right password is refused.",
                    e.user
                ),
            ),
            (HashFormat::Plain, ConfigKind::Nginx) => (
                Severity::Problem,
                format!(
                    "The password of \"{}\" seems to be stored as plain text. nginx hands it to the system's password checker, which cannot match plain text; it must be hashed (or at least written as {{PLAIN}}password, which is unsafe).",
                    e.user
                ),
            ),
            (HashFormat::Argon2, _) => (
                Severity::Problem,
                format!(
                    "The password of \"{}\" is an Argon2 hash, which neither Apache nor nginx can check.",
                    e.user
                ),
            ),
            (HashFormat::RawHex, _) => (
                Severity::Problem,
                format!(
                    "The password of \"{}\" is a bare hexadecimal hash (like plain MD5 or SHA-256, made by a script or database). Web servers cannot check those: the hash must carry its method ($apr1$, $2y$, {{SHA}}…).",
                    e.user
                ),
            ),
            (HashFormat::Ssha | HashFormat::PlainMarked, ConfigKind::Apache) => (
                Severity::Problem,
                format!(
                    "The password of \"{}\" is stored as {}, which nginx understands but Apache does not.",
                    e.user,
                    e.format.name()
                ),
            ),
            (HashFormat::BcryptOther, ConfigKind::Apache) => (
                Severity::Warning,
                format!(
                    "The password of \"{}\" is a bcrypt hash starting with $2b$ or $2x$. Apache's own bcrypt code reads $2y$ (and $2a$); other variants work only if the system's password library supports them.",
                    e.user
                ),
            ),
            (HashFormat::Bcrypt | HashFormat::BcryptOther, ConfigKind::Nginx) => (
                Severity::Warning,
                format!(
                    "The password of \"{}\" is a bcrypt hash. nginx checks it with the system's password library, which on some Linux systems (older glibc) cannot read bcrypt, so the right password is refused there.",
                    e.user
                ),
            ),
            (HashFormat::ModernCrypt, _) => (
                Severity::Warning,
                format!(
                    "The password of \"{}\" uses {}, which works only where the system's password library supports it (recent Linux distributions).",
                    e.user,
                    e.format.name()
                ),
            ),
            (HashFormat::DesCrypt, _) => (
                Severity::Warning,
                format!(
                    "The password of \"{}\" uses old DES crypt: only its first 8 characters count, and Apache on Windows cannot read it.",
                    e.user
                ),
            ),
            (HashFormat::PlainMarked, ConfigKind::Nginx) => (
                Severity::Warning,
                format!(
                    "The password of \"{}\" is stored readable ({{PLAIN}}): anyone who can read the file knows it.",
                    e.user
                ),
            ),
            _ => continue,
        };
        file_problem(
            out,
            severity,
            e.line,
            &shown,
            "A password in the password file cannot be checked",
            detail,
            regenerate,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Apache.

#[derive(Clone, Debug)]
struct Section {
    kind: String,
    args: String,
    line: usize,
    text: String,
    parent: Option<usize>,
}

#[derive(Clone, Debug)]
struct Directive {
    line: usize,
    text: String,
    name: String,
    args: Vec<String>,
    section: Option<usize>,
}

#[derive(Default)]
struct ApacheConf {
    sections: Vec<Section>,
    directives: Vec<Directive>,
    /// The auth scope of each directive (see [`ApacheConf::auth_scope`]).
    scope_of: Vec<Option<usize>>,
    /// The auth scope of each section.
    section_scope: Vec<Option<usize>>,
    /// The last directive of each name in each scope.
    last_by_name: HashMap<(Option<usize>, String), usize>,
    /// The directives of each scope, in order.
    by_scope: HashMap<Option<usize>, Vec<usize>>,
}

/// Sections that do not change where sign-in settings apply.
fn is_transparent(kind: &str) -> bool {
    matches!(
        kind,
        "ifmodule" | "ifdefine" | "ifversion" | "iffile" | "ifdirective" | "ifsection"
    )
}

/// Sections that group `Require` lines.
fn is_require_group(kind: &str) -> bool {
    matches!(
        kind,
        "requireall" | "requireany" | "requirenone" | "limit" | "limitexcept"
    )
}

/// Splits arguments, keeping "quoted strings" together (quotes removed).
fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut has_token = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        work::add(1);
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') if matches!(chars.peek(), Some('"' | '\'' | '\\')) => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') if !has_token => {
                quote = Some(c);
                has_token = true;
            }
            (None, c) if c.is_whitespace() => {
                if has_token {
                    args.push(std::mem::take(&mut current));
                    has_token = false;
                }
            }
            (None, c) => {
                current.push(c);
                has_token = true;
            }
        }
        if args.len() > 1000 {
            break;
        }
    }
    if has_token {
        args.push(current);
    }
    args
}

fn parse_apache(text: &str) -> ApacheConf {
    let mut conf = ApacheConf::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    let text = text.trim_start_matches('\u{feff}');
    for (index, raw) in text.lines().enumerate() {
        let (start, mut joined) = pending.take().unwrap_or((index + 1, String::new()));
        if let Some(body) = raw.strip_suffix('\\') {
            joined.push_str(body);
            joined.push(' ');
            pending = Some((start, joined));
            continue;
        }
        joined.push_str(raw);
        apache_line(&mut conf, &mut stack, start, joined.trim());
    }
    if let Some((start, joined)) = pending {
        apache_line(&mut conf, &mut stack, start, joined.trim());
    }
    conf.index();
    conf
}

fn apache_line(conf: &mut ApacheConf, stack: &mut Vec<usize>, line: usize, text: &str) {
    work::add(text.len() + stack.len() + 1);
    if text.is_empty() || text.starts_with('#') {
        return;
    }
    if let Some(rest) = text.strip_prefix("</") {
        let kind = rest.trim_end_matches('>').trim().to_ascii_lowercase();
        if let Some(pos) = stack
            .iter()
            .rposition(|i| conf.sections.get(*i).is_some_and(|s| s.kind == kind))
        {
            stack.truncate(pos);
        }
        return;
    }
    if let Some(rest) = text.strip_prefix('<') {
        let inner = rest.trim_end().trim_end_matches('>');
        let (kind, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        conf.sections.push(Section {
            kind: kind.to_ascii_lowercase(),
            args: args.trim().to_owned(),
            line,
            text: text.to_owned(),
            parent: stack.last().copied(),
        });
        if stack.len() < 64 {
            stack.push(conf.sections.len() - 1);
        }
        return;
    }
    let (name, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    conf.directives.push(Directive {
        line,
        text: text.to_owned(),
        name: name.to_ascii_lowercase(),
        args: split_args(rest),
        section: stack.last().copied(),
    });
}

impl ApacheConf {
    fn index(&mut self) {
        // Parents come before children, so each section's scope is known when it is needed.
        let mut section_scope: Vec<Option<usize>> = Vec::with_capacity(self.sections.len());
        for (i, section) in self.sections.iter().enumerate() {
            let scope = if is_transparent(&section.kind) || is_require_group(&section.kind) {
                section
                    .parent
                    .and_then(|p| section_scope.get(p).copied().flatten())
            } else {
                Some(i)
            };
            section_scope.push(scope);
        }
        self.section_scope = section_scope;
        let scopes: Vec<Option<usize>> = self
            .directives
            .iter()
            .map(|d| self.auth_scope(d.section))
            .collect();
        for (i, (d, scope)) in self.directives.iter().zip(&scopes).enumerate() {
            self.last_by_name.insert((*scope, d.name.clone()), i);
            self.by_scope.entry(*scope).or_default().push(i);
        }
        self.scope_of = scopes;
    }

    fn scope(&self, directive_index: usize) -> Option<usize> {
        self.scope_of.get(directive_index).copied().flatten()
    }

    /// The directives of one scope.
    fn in_scope(&self, scope: Option<usize>) -> impl Iterator<Item = &Directive> {
        self.by_scope
            .get(&scope)
            .into_iter()
            .flatten()
            .filter_map(|i| {
                work::add(1);
                self.directives.get(*i)
            })
    }

    fn section(&self, index: Option<usize>) -> Option<&Section> {
        index.and_then(|i| self.sections.get(i))
    }

    /// The section whose sign-in settings apply (skipping `<IfModule>` and `Require` groups).
    fn auth_scope(&self, index: Option<usize>) -> Option<usize> {
        match index {
            Some(i) if i < self.section_scope.len() => self.section_scope.get(i).copied().flatten(),
            _ => self.walk_auth_scope(index),
        }
    }

    /// [`ApacheConf::auth_scope`] without the cache, used to fill it.
    fn walk_auth_scope(&self, mut index: Option<usize>) -> Option<usize> {
        // Parents always come before children, so this walk ends.
        for _ in 0..=self.sections.len() {
            work::add(1);
            let section = self.section(index)?;
            if is_transparent(&section.kind) || is_require_group(&section.kind) {
                index = section.parent;
            } else {
                return index;
            }
        }
        None
    }

    /// The scope and each enclosing scope, innermost first, ending with the file itself (`None`).
    fn scope_chain(&self, scope: Option<usize>) -> Vec<Option<usize>> {
        let mut chain = vec![scope];
        let mut current = scope;
        while let Some(section) = self.section(current) {
            work::add(1);
            current = self.auth_scope(section.parent);
            chain.push(current);
            if chain.len() > 70 {
                break;
            }
        }
        chain
    }

    /// The directive `name` that applies in `scope`: the last one in the innermost scope that has it.
    fn effective(&self, scope: Option<usize>, name: &str) -> Option<&Directive> {
        self.scope_chain(scope).into_iter().find_map(|s| {
            self.last_by_name
                .get(&(s, name.to_owned()))
                .and_then(|i| self.directives.get(*i))
        })
    }

    /// The `Require` group a directive belongs to: its `<Require…>`/`<Limit>` section, or the
    /// scope's implicit "any of these" group.
    fn group(&self, directive: &Directive) -> (Option<usize>, Option<usize>) {
        let mut index = directive.section;
        for _ in 0..=self.sections.len() {
            work::add(1);
            let Some(section) = self.section(index) else {
                break;
            };
            if is_require_group(&section.kind) {
                return (index, None);
            }
            if !is_transparent(&section.kind) {
                break;
            }
            index = section.parent;
        }
        (None, self.auth_scope(directive.section))
    }
}

fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with("\\\\")
        || (bytes.len() >= 3
            && bytes.first().is_some_and(u8::is_ascii_alphabetic)
            && bytes.get(1) == Some(&b':')
            && matches!(bytes.get(2), Some(b'/' | b'\\')))
}

/// Folder names hosting companies use for the web root.
const WEB_ROOT_MARKERS: &[&str] = &[
    "/public_html/",
    "/htdocs/",
    "/httpdocs/",
    "/wwwroot/",
    "/var/www/html/",
    "/html/",
    "/www/",
    "/web/",
    "/public/",
];

fn inside_web_root(path: &str, document_root: Option<&str>) -> bool {
    let path = path.replace('\\', "/");
    if let Some(root) = document_root {
        let root = root.trim_end_matches('/');
        if !root.is_empty() {
            return path.starts_with(&format!("{root}/"));
        }
    }
    let lower = path.to_ascii_lowercase();
    // /var/www/.htpasswd sits above the usual web root /var/www/html.
    if lower.starts_with("/var/www/") && lower.matches('/').count() == 3 {
        return false;
    }
    WEB_ROOT_MARKERS.iter().any(|m| lower.contains(m))
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn apache(text: &str, users: Option<&PasswordFile>, context: &HtaccessContext, out: &mut Output) {
    let conf = parse_apache(text);
    for section in conf.sections.iter().take(MAX_EXPLAINED * 4) {
        if let Some(meaning) = apache_section_meaning(section) {
            out.explain(section.line, &section.text, meaning);
        }
    }
    for d in conf.directives.iter().take(MAX_EXPLAINED * 4) {
        if let Some(meaning) = apache_meaning(d) {
            out.explain(d.line, &d.text, meaning);
        }
    }
    out.explained.sort_by_key(|e| e.line);
    let document_root = conf
        .directives
        .iter()
        .find(|d| d.name == "documentroot")
        .and_then(|d| d.args.first())
        .map(String::as_str);

    apache_directive_checks(&conf, users, context, document_root, out);
    apache_scope_checks(&conf, users, out);
    apache_group_checks(&conf, out);
    apache_mixed_style_checks(&conf, out);
    apache_summary(&conf, out);
}

fn apache_directive_checks(
    conf: &ApacheConf,
    users: Option<&PasswordFile>,
    context: &HtaccessContext,
    document_root: Option<&str>,
    out: &mut Output,
) {
    for (index, d) in conf.directives.iter().enumerate() {
        if out.full() {
            return;
        }
        let scope = conf.scope(index);
        match d.name.as_str() {
            "authtype" => {
                let value = d.args.join(" ");
                let lower = value.to_ascii_lowercase();
                if d.args.len() != 1 {
                    out.problem(Severity::Problem, d.line, &d.text, "AuthType has the wrong number of words",
                        format!("AuthType takes exactly one word (Basic or Digest), but line {} gives \"{value}\". Apache stops with an error (500) for the whole folder.", d.line),
                        "Write `AuthType Basic` (or `AuthType Digest`).");
                } else if let Some(observed) = context.observed_scheme.as_deref()
                    && matches!(lower.as_str(), "basic" | "digest")
                    && !observed.trim().eq_ignore_ascii_case(&lower)
                {
                    out.problem(Severity::Problem, d.line, &d.text, "The server asks for a different sign-in than this file sets",
                        format!("This file sets AuthType {value}, but the server actually asked for {}. The 401 does not come from this file: another .htaccess (in a parent folder), the main server configuration or the application itself answers.", observed.trim()),
                        "Look for the other place that asks for a sign-in: .htaccess files in parent folders, the virtual host configuration, or the application's own settings.");
                }
                if lower == "basic" && context.site_is_http {
                    out.problem(Severity::Warning, d.line, &d.text, "Basic sign-in over plain http",
                        "The site is reached over http, so the user name and password travel almost as plain text and anyone on the same network can read them.".to_owned(),
                        "Redirect http to https before the password is asked, and use the https address.");
                }
            }
            "authuserfile" => {
                let Some(path) = d.args.first() else {
                    out.problem(
                        Severity::Problem,
                        d.line,
                        &d.text,
                        "AuthUserFile names no file",
                        "AuthUserFile needs the full path of the password file.".to_owned(),
                        "Write the full path, for example `AuthUserFile /home/USER/.htpasswd`.",
                    );
                    continue;
                };
                if d.args.len() > 1 {
                    out.problem(Severity::Problem, d.line, &d.text, "The password file path has a space and no quotes",
                        format!("The path contains a space, so Apache sees {} words instead of one path and stops with an error (500).", d.args.len()),
                        "Put the path in double quotes: `AuthUserFile \"/path with spaces/.htpasswd\"`.");
                }
                if !is_absolute_path(path) {
                    out.problem(Severity::Problem, d.line, &d.text, "The password file path is relative",
                        format!("\"{path}\" does not start with /. Apache does not look for it next to this .htaccess: it reads relative paths from its own installation folder (ServerRoot, for example /etc/apache2 or /usr/local/apache2). It does not find the file, and every sign-in fails (Apache answers 500, or 401 again)."),
                        "Write the full path from the root of the server, for example `AuthUserFile /home/USER/.htpasswd` (your hosting panel or `pwd` in the folder shows it).");
                } else if inside_web_root(path, document_root) {
                    let dot_ht = path
                        .rsplit(['/', '\\'])
                        .next()
                        .is_some_and(|f| f.starts_with(".ht"));
                    let extra = if dot_ht {
                        " Apache's default configuration refuses to serve files whose names start with .ht, but that protection is easy to lose (another server, a changed configuration)."
                    } else {
                        " Its name does not start with .ht, so Apache's default rule does not hide it: anyone may be able to download it and try to crack the passwords."
                    };
                    out.problem(Severity::Warning, d.line, &d.text, "The password file is inside the web site's folder",
                        format!("\"{path}\" looks like it is inside the folder the site is served from, so it may be downloadable.{extra}"),
                        "Move the password file to a folder above the web root (for example /home/USER/.htpasswd) and update this line.");
                }
                if path.to_ascii_lowercase().ends_with(".htaccess") {
                    out.problem(Severity::Problem, d.line, &d.text, "AuthUserFile points at an .htaccess file",
                        "The password file must be the file made by htpasswd, not an .htaccess file.".to_owned(),
                        "Point AuthUserFile at the password file (often called .htpasswd).");
                }
                let provider = conf
                    .effective(scope, "authbasicprovider")
                    .or_else(|| conf.effective(scope, "authdigestprovider"));
                if let Some(p) = provider
                    && !p.args.iter().any(|a| a.eq_ignore_ascii_case("file"))
                {
                    out.problem(Severity::Warning, d.line, &d.text, "AuthUserFile is not used",
                        format!("Line {} sets the user lookup to {}, not file, so this password file is ignored.", p.line, p.args.join(" ")),
                        "Add `file` to the provider line, or remove AuthUserFile.");
                }
            }
            "authgroupfile" if d.args.first().is_some_and(|p| !is_absolute_path(p)) => {
                out.problem(Severity::Problem, d.line, &d.text, "The group file path is relative",
                    "Apache reads relative paths from its installation folder (ServerRoot), not from this folder, so the group file is not found.".to_owned(),
                    "Write the full path of the group file.");
            }
            // Apache uses the last Satisfy of a scope; checking only that one keeps this linear.
            "satisfy"
                if conf
                    .effective(scope, "satisfy")
                    .is_some_and(|last| std::ptr::eq(last, d)) =>
            {
                apache_satisfy_check(conf, d, scope, out);
            }
            "errordocument" if d.args.first().is_some_and(|c| c == "401") => {
                let target = d.args.get(1).map_or("", String::as_str);
                if target.starts_with('/') || target.starts_with("http") {
                    out.problem(Severity::Warning, d.line, &d.text, "A custom page for 401 answers",
                        format!("401 answers show {target} instead of Apache's own page. If that page is itself protected, redirected, or handled by WordPress, visitors see an error or a loop instead of the password box."),
                        "If the password box does not appear, use `ErrorDocument 401 default`.");
                }
            }
            "require" => apache_require_line_check(conf, d, users, out),
            _ => {}
        }
    }
}

fn apache_satisfy_check(conf: &ApacheConf, d: &Directive, scope: Option<usize>, out: &mut Output) {
    let any = d
        .args
        .first()
        .is_some_and(|a| a.eq_ignore_ascii_case("any"));
    if !any {
        return;
    }
    let in_scope = |name: &str| {
        conf.in_scope(scope)
            .filter(|x| x.name == name)
            .collect::<Vec<_>>()
    };
    let allows = in_scope("allow");
    let ip_requires: Vec<&Directive> = in_scope("require")
        .into_iter()
        .filter(|r| {
            r.args
                .first()
                .is_some_and(|a| matches!(a.to_ascii_lowercase().as_str(), "ip" | "host"))
        })
        .collect();
    let allow_all = allows
        .iter()
        .find(|a| a.args.iter().any(|x| x.eq_ignore_ascii_case("all")));
    if let Some(all) = allow_all {
        out.problem(Severity::Warning, d.line, &d.text, "Satisfy Any with Allow from all: the password is never asked",
            format!("With Satisfy Any, a visitor gets in when either the IP rules or the password allow it. Line {} allows everyone, so nobody is ever asked for a password.", all.line),
            "Remove `Satisfy Any` (or the `Allow from all` line) if the password should be required.");
    } else if allows.is_empty() && ip_requires.is_empty() && in_scope("deny").is_empty() {
        out.problem(Severity::Warning, d.line, &d.text, "Satisfy Any has nothing to combine",
            "Satisfy Any lets visitors in when either the IP rules (Allow/Deny) or the password allow it, but there are no IP rules here, so it does nothing useful.".to_owned(),
            "Remove the Satisfy line, or add the IP rules it was meant for.");
    } else {
        out.problem(Severity::Warning, d.line, &d.text, "Satisfy Any: IP address or password",
            "With Satisfy Any, visitors from the allowed IP addresses get in without a password and everyone else must sign in. If you expected a password from everyone, that is why it is not asked; if you expected the office to get in without one, a changed office IP address explains a sudden password box. In Apache 2.4 this only works with the old-style module (mod_access_compat).".to_owned(),
            "In Apache 2.4, write it as `<RequireAny>` with `Require ip …` and `Require valid-user` inside.");
    }
}

fn apache_require_line_check(
    conf: &ApacheConf,
    d: &Directive,
    users: Option<&PasswordFile>,
    out: &mut Output,
) {
    let entity = d
        .args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    match entity.as_str() {
        "" => out.problem(Severity::Problem, d.line, &d.text, "Require with nothing after it",
            "Require needs to say who may enter (valid-user, user NAME, all granted…). Apache stops with an error (500).".to_owned(),
            "Write `Require valid-user` to let in everyone in the password file."),
        "user" => {
            let names: Vec<String> = d.args.iter().skip(1).cloned().collect();
            if names.is_empty() {
                out.problem(Severity::Problem, d.line, &d.text, "Require user names no user",
                    "Require user must be followed by at least one user name.".to_owned(),
                    "Add the user names, or write `Require valid-user`.");
            }
            if let Some(file) = users {
                if out.full() {
                    return;
                }
                if file.entries.is_empty() {
                    out.problem(Severity::Problem, d.line, &d.text, "The password file has no users",
                        "The password file given has no user lines, so nobody can ever sign in.".to_owned(),
                        "Add a user with `htpasswd -c /full/path/.htpasswd USERNAME` (-c creates the file).");
                    return;
                }
                for name in names.iter().filter(|n| !file.has_user(n)) {
                    let close = file
                        .near_names
                        .get(&name.trim().to_lowercase())
                        .and_then(|i| file.entries.get(*i));
                    let hint = close.map_or_else(String::new, |c| format!(" The file has \"{}\" on line {}: user names must match exactly, including capital letters and spaces.", c.user, c.line));
                    out.problem(Severity::Problem, d.line, &d.text, "A required user is not in the password file",
                        format!("Line {} lets in the user \"{name}\", but the password file has no such user, so that person can never sign in.{hint}", d.line),
                        &format!("Add the user with `htpasswd /full/path/.htpasswd {name}` (without -c, which replaces the file), or fix the name on this line."));
                }
            }
        }
        "valid-user" => {
            if let Some(file) = users
                && file.entries.is_empty()
            {
                out.problem(Severity::Problem, d.line, &d.text, "The password file has no users",
                    "Require valid-user lets in anyone from the password file, but the file given has no user lines, so nobody can sign in.".to_owned(),
                    "Add a user with `htpasswd -c /full/path/.htpasswd USERNAME` (-c creates the file).");
            }
        }
        "group" => {
            let scope = conf.auth_scope(d.section);
            if conf.effective(scope, "authgroupfile").is_none() && conf.effective(scope, "authldapurl").is_none() {
                out.problem(Severity::Problem, d.line, &d.text, "Require group without a group file",
                    "Require group needs an AuthGroupFile saying who is in which group; without one nobody is in any group and everyone is refused.".to_owned(),
                    "Add `AuthGroupFile /full/path/.htgroups` with lines like `admins: alice bob`, or use `Require user`.");
            }
        }
        _ => {}
    }
}

/// Checks that need the whole scope: missing `AuthType` / `AuthName` / `AuthUserFile`, `Deny from all`.
fn apache_scope_checks(conf: &ApacheConf, users: Option<&PasswordFile>, out: &mut Output) {
    let mut done: BTreeSet<Option<usize>> = BTreeSet::new();
    for (index, d) in conf
        .directives
        .iter()
        .enumerate()
        .filter(|(_, d)| d.name == "require")
    {
        if out.full() {
            return;
        }
        let entity = d
            .args
            .first()
            .map(|a| a.to_ascii_lowercase())
            .unwrap_or_default();
        if !matches!(entity.as_str(), "valid-user" | "user" | "group") {
            continue;
        }
        let scope = conf.scope(index);
        if !done.insert(scope) {
            continue;
        }
        let auth_type = conf.effective(scope, "authtype");
        let scheme = auth_type
            .and_then(|a| a.args.first())
            .map(|a| a.to_ascii_lowercase());
        let Some(scheme) = scheme else {
            out.problem(Severity::Problem, d.line, &d.text, "Require asks for a sign-in but AuthType is missing",
                "This line needs a signed-in user, but no AuthType says how to sign in. Apache then fails with an error (500 \"AuthType not set\") instead of showing a password box, unless a parent folder or the server configuration sets it.".to_owned(),
                "Add `AuthType Basic`, `AuthName \"Restricted area\"` and `AuthUserFile /full/path/.htpasswd` before this line.");
            continue;
        };
        if scheme == "none" {
            continue;
        }
        if matches!(scheme.as_str(), "basic" | "digest")
            && conf.effective(scope, "authname").is_none()
        {
            let at = auth_type.unwrap_or(d);
            out.problem(Severity::Problem, at.line, &at.text, "AuthName is missing",
                "Basic and Digest sign-in need an AuthName (the name of the protected area shown in the password box). Without it Apache fails with an error (500) instead of asking for the password.".to_owned(),
                "Add `AuthName \"Restricted area\"` next to AuthType.");
        }
        let provider = conf.effective(
            scope,
            if scheme == "digest" {
                "authdigestprovider"
            } else {
                "authbasicprovider"
            },
        );
        let uses_file =
            provider.is_none_or(|p| p.args.iter().any(|a| a.eq_ignore_ascii_case("file")));
        let password_file_line = conf.effective(scope, "authuserfile");
        if matches!(scheme.as_str(), "basic" | "digest")
            && uses_file
            && password_file_line.is_none()
        {
            let at = auth_type.unwrap_or(d);
            out.problem(Severity::Problem, at.line, &at.text, "No password file is named",
                "Sign-in is turned on, but no AuthUserFile says where the user names and passwords are. Every sign-in fails (Apache logs \"AuthUserFile not specified\"), unless a parent folder or the server configuration names the file.".to_owned(),
                "Add `AuthUserFile /full/path/.htpasswd` (a full path, outside the web site's folder).");
        }
        if let (Some(file), Some(at)) = (users, auth_type) {
            digest_format_checks(file, &scheme, conf.effective(scope, "authname"), at, out);
        }
        apache_deny_all_check(conf, scope, d, out);
    }
}

fn digest_format_checks(
    file: &PasswordFile,
    scheme: &str,
    auth_name: Option<&Directive>,
    auth_type: &Directive,
    out: &mut Output,
) {
    if scheme == "basic" && file.is_digest() {
        out.problem(Severity::Problem, auth_type.line, &auth_type.text, "Digest password file used with Basic sign-in",
            "The password file has lines like user:realm:hash, the format made by htdigest for Digest sign-in, but AuthType is Basic. Apache reads realm:hash as the password hash, so no password ever matches.".to_owned(),
            "Either change to `AuthType Digest` (with `AuthDigestProvider file`), or make a new file with `htpasswd -c -B /full/path/.htpasswd USERNAME`.");
    } else if scheme == "digest" && file.is_basic() {
        out.problem(Severity::Problem, auth_type.line, &auth_type.text, "Basic password file used with Digest sign-in",
            "AuthType is Digest, but the password file has lines like user:hash, made by htpasswd for Basic sign-in. Digest needs lines like user:realm:hash, made by htdigest, so no password ever matches.".to_owned(),
            "Make the file with `htdigest -c /full/path/.htdigest \"REALM\" USERNAME`, where REALM is exactly the AuthName, or switch to `AuthType Basic`.");
    } else if scheme == "digest"
        && let Some(name) = auth_name
    {
        let realm = name.args.join(" ");
        let mut mismatched: Vec<String> = file
            .entries
            .iter()
            .filter_map(|e| e.realm.clone())
            .filter(|r| *r != realm)
            .collect();
        mismatched.dedup();
        if !mismatched.is_empty() {
            out.problem(Severity::Problem, name.line, &name.text, "The Digest realm does not match the password file",
                format!("AuthName is \"{realm}\", but the password file was made for the realm {}. With Digest the realm is part of each password hash, so it must match exactly (capital letters and spaces included); otherwise no password matches.", list(&mismatched)),
                "Make AuthName exactly the realm used in the password file, or recreate the file with htdigest and this AuthName.");
        }
    }
}

/// `Deny from all` (or `Require all denied` alone) next to a password: nobody gets in.
fn apache_deny_all_check(
    conf: &ApacheConf,
    scope: Option<usize>,
    require: &Directive,
    out: &mut Output,
) {
    let in_scope: Vec<&Directive> = conf.in_scope(scope).collect();
    let satisfy_any = in_scope.iter().any(|x| {
        x.name == "satisfy"
            && x.args
                .first()
                .is_some_and(|a| a.eq_ignore_ascii_case("any"))
    });
    let deny_all = in_scope
        .iter()
        .find(|x| x.name == "deny" && x.args.iter().any(|a| a.eq_ignore_ascii_case("all")));
    let allow_any = in_scope.iter().any(|x| x.name == "allow");
    if let Some(deny) = deny_all
        && !satisfy_any
        && !allow_any
    {
        out.problem(Severity::Problem, deny.line, &deny.text, "Deny from all blocks everyone, password or not",
            format!("Line {} refuses every visitor, and Satisfy All (the default) needs both the IP rules and the password (line {}) to agree, so nobody gets in: Apache answers 403 or keeps asking.", deny.line, require.line),
            "Remove `Deny from all` (and `Order`) if the password alone should decide, or add `Satisfy Any` with `Allow from` lines for the addresses that need no password.");
    }
}

/// Apache 2.2 (`Order`/`Allow`/`Deny`) and 2.4 (`Require all/ip/host`) rules in one scope.
fn apache_mixed_style_checks(conf: &ApacheConf, out: &mut Output) {
    let scopes: BTreeSet<Option<usize>> = conf.by_scope.keys().copied().collect();
    for scope in scopes {
        if out.full() {
            return;
        }
        let in_scope: Vec<&Directive> = conf.in_scope(scope).collect();
        let old_style = in_scope
            .iter()
            .find(|x| matches!(x.name.as_str(), "order" | "allow" | "deny"));
        let new_style = in_scope.iter().find(|x| {
            x.name == "require"
                && x.args.first().is_some_and(|a| {
                    matches!(a.to_ascii_lowercase().as_str(), "all" | "ip" | "host")
                })
        });
        if let (Some(old), Some(new)) = (old_style, new_style) {
            out.problem(Severity::Warning, old.line, &old.text, "Old and new access rules are mixed",
            format!("Line {} uses the Apache 2.2 style (Order/Allow/Deny) and line {} the Apache 2.4 style (Require all/ip/host). Apache's documentation warns that mixing them gives surprising results.", old.line, new.line),
            "Use only the Apache 2.4 style: `Require ip …`, `Require all granted`/`denied`, inside `<RequireAll>`/`<RequireAny>` as needed.");
        }
    }
}

/// Checks on `Require` groups: `<RequireAll>` that can never be met, `all denied` / `all granted`
/// next to a password in an implicit "any of these" group, negative rules outside `<RequireAll>`.
fn apache_group_checks(conf: &ApacheConf, out: &mut Output) {
    let mut groups: BTreeMap<(Option<usize>, Option<usize>), Vec<&Directive>> = BTreeMap::new();
    for d in conf.directives.iter().filter(|d| d.name == "require") {
        groups.entry(conf.group(d)).or_default().push(d);
    }
    for ((section, _), members) in &groups {
        if out.full() {
            return;
        }
        let kind = conf
            .section(*section)
            .map_or("implicit", |s| s.kind.as_str());
        let entity = |d: &Directive| {
            d.args
                .first()
                .map(|a| a.to_ascii_lowercase())
                .unwrap_or_default()
        };
        let second = |d: &Directive| {
            d.args
                .get(1)
                .map(|a| a.to_ascii_lowercase())
                .unwrap_or_default()
        };
        let auth_line = members
            .iter()
            .find(|d| matches!(entity(d).as_str(), "valid-user" | "user" | "group"));
        let denied = members
            .iter()
            .find(|d| entity(d) == "all" && second(d) == "denied");
        let granted = members
            .iter()
            .find(|d| entity(d) == "all" && second(d) == "granted");
        match kind {
            "requireall" => {
                if let (Some(denied), Some(_)) = (denied, auth_line) {
                    out.problem(Severity::Problem, denied.line, &denied.text, "A rule that can never be met",
                        "Inside <RequireAll> every line must allow the visitor, and `Require all denied` never does, so nobody gets in, whatever password is used.".to_owned(),
                        "Remove `Require all denied` from the <RequireAll> block.");
                }
                let user_lines: Vec<&&Directive> =
                    members.iter().filter(|d| entity(d) == "user").collect();
                if user_lines.len() >= 2 {
                    let mut common: Option<BTreeSet<&str>> = None;
                    for d in &user_lines {
                        let names: BTreeSet<&str> =
                            d.args.iter().skip(1).map(String::as_str).collect();
                        common = Some(match common {
                            None => names,
                            Some(c) => c.intersection(&names).copied().collect(),
                        });
                    }
                    if common.is_some_and(|c| c.is_empty())
                        && let Some(last) = user_lines.last()
                    {
                        out.problem(Severity::Problem, last.line, &last.text, "A rule that can never be met",
                            "Inside <RequireAll> every line must allow the visitor, but these Require user lines name different users, and a visitor signs in as only one user at a time. Nobody gets in.".to_owned(),
                            "Put the users on one line (`Require user alice bob`), or use <RequireAny>.");
                    }
                }
            }
            "limit" => {
                if auth_line.is_some()
                    && let Some(limit) = conf.section(*section)
                {
                    out.problem(Severity::Warning, limit.line, &limit.text, "Only some request methods are protected",
                        format!("The sign-in rule is inside <Limit {}>, so it only applies to those methods; any other method (for example POST, PUT or DELETE) gets in without a password.", limit.args),
                        "Remove the <Limit> lines around the Require line so every request needs the password (or use <LimitExcept> if some methods must stay open).");
                }
            }
            "requirenone" => {
                if members.iter().all(|d| entity(d) != "not")
                    && members.len() == members.iter().filter(|d| entity(d) == "valid-user").count()
                {
                    if let Some(first) = members.first() {
                        out.problem(Severity::Problem, first.line, &first.text, "A rule that refuses every signed-in user",
                            "<RequireNone> refuses visitors that match the rules inside; with Require valid-user inside, every signed-in user is refused.".to_owned(),
                            "Use <RequireAll> or <RequireAny> instead of <RequireNone>.");
                    }
                }
            }
            _ => {
                if let Some(not) = members.iter().find(|d| entity(d) == "not") {
                    out.problem(Severity::Problem, not.line, &not.text, "A `Require not` outside <RequireAll>",
                        "A negative rule (Require not …) cannot let anyone in by itself, so Apache refuses it outside <RequireAll> or <RequireNone> and stops with an error (500).".to_owned(),
                        "Put the Require not line together with a positive rule inside `<RequireAll>`.");
                }
                if let (Some(granted), Some(auth)) = (granted, auth_line) {
                    out.problem(Severity::Warning, granted.line, &granted.text, "Require all granted: the password is never asked",
                        format!("Several Require lines in the same place mean any one of them is enough. `Require all granted` lets everyone in, so the password rule on line {} never matters.", auth.line),
                        "Remove `Require all granted` if the password should be required.");
                } else if let (Some(denied), Some(auth)) = (denied, auth_line) {
                    out.problem(Severity::Warning, denied.line, &denied.text, "Require all denied has no effect here",
                        format!("Several Require lines in the same place mean any one of them is enough, so users who sign in (line {}) still get in and `Require all denied` does nothing. If nobody should get in, keep only `Require all denied`; if both must hold, use <RequireAll>.", auth.line),
                        "Decide which rule you meant and remove the other.");
                } else if let Some(denied) =
                    denied.filter(|_| members.len() == 1 && section.is_none())
                {
                    let scope = conf.auth_scope(denied.section);
                    if conf.effective(scope, "authtype").is_some() {
                        out.problem(Severity::Problem, denied.line, &denied.text, "A rule that can never be met",
                            "Sign-in is set up here, but the only access rule is `Require all denied`, which refuses everyone before any password is asked (403).".to_owned(),
                            "Replace `Require all denied` with `Require valid-user` to let in everyone from the password file.");
                    }
                }
            }
        }
    }
}

fn apache_summary(conf: &ApacheConf, out: &mut Output) {
    let find = |name: &str| conf.directives.iter().find(|d| d.name == name);
    let auth_type = find("authtype").map(|d| d.args.join(" "));
    let auth_name = find("authname").map(|d| d.args.join(" "));
    let user_file = find("authuserfile").map(|d| d.args.join(" "));
    let mut who: Vec<String> = Vec::new();
    for d in conf.directives.iter().filter(|d| d.name == "require") {
        let rest = d.args.iter().skip(1).cloned().collect::<Vec<_>>();
        match d.args.first().map(|a| a.to_ascii_lowercase()).as_deref() {
            Some("valid-user") => who.push("anyone in the password file".to_owned()),
            Some("user") if rest.len() == 1 => who.push(format!("the user {}", list(&rest))),
            Some("user") => who.push(format!("the users {}", list(&rest))),
            Some("group") => who.push(format!("members of {}", list(&rest))),
            Some("ip") => who.push(format!("visitors from {}", rest.join(" "))),
            Some("all")
                if rest
                    .first()
                    .is_some_and(|r| r.eq_ignore_ascii_case("granted")) =>
            {
                who.push("everyone".to_owned());
            }
            Some("all") => who.push("nobody".to_owned()),
            _ => {}
        }
    }
    let mut unique: Vec<String> = Vec::new();
    for w in who {
        if !unique.contains(&w) && unique.len() < 10 {
            unique.push(w);
        }
    }
    let who = unique;
    match auth_type {
        Some(t) => {
            let mut s = format!("This file asks for a {t} sign-in");
            if let Some(n) = auth_name {
                let _ = write!(s, " for the area \"{n}\"");
            }
            if let Some(f) = user_file {
                let _ = write!(s, ", checked against the password file {f}");
            }
            if !who.is_empty() {
                let _ = write!(s, "; it lets in {}", who.join(" or "));
            }
            s.push('.');
            out.summary.push(s);
        }
        None if !who.is_empty() => out.summary.push(format!(
            "This file sets no sign-in method; it lets in {}.",
            who.join(" or ")
        )),
        None => out
            .summary
            .push("This file has no sign-in settings (no AuthType and no Require).".to_owned()),
    }
}

fn apache_section_meaning(section: &Section) -> Option<String> {
    let args = section.args.trim_matches('"');
    Some(match section.kind.as_str() {
        "requireall" => "Starts a group where every rule inside must allow the visitor.".to_owned(),
        "requireany" => "Starts a group where any one rule inside is enough to let the visitor in.".to_owned(),
        "requirenone" => "Starts a group that refuses visitors matching any rule inside; it can only refuse, never let in by itself.".to_owned(),
        "files" => format!("The lines inside apply only to files named {args}."),
        "filesmatch" => format!("The lines inside apply only to files whose names match the pattern {args}."),
        "limit" => format!("The lines inside apply only to the request methods {args}; other methods are not affected by them."),
        "limitexcept" => format!("The lines inside apply to every request method except {args}."),
        "directory" => format!("The lines inside apply to the folder {args} and everything below it."),
        "directorymatch" => format!("The lines inside apply to folders matching the pattern {args}."),
        "location" => format!("The lines inside apply to addresses starting with {args}."),
        "locationmatch" => format!("The lines inside apply to addresses matching the pattern {args}."),
        "ifmodule" => format!("The lines inside are used only if the module {args} is loaded; if it is not, they are silently skipped (and the protection with them)."),
        "virtualhost" => format!("The lines inside apply to the web site served at {args}."),
        "if" | "elseif" | "else" => "The lines inside apply only when the condition is true.".to_owned(),
        _ => return None,
    })
}

fn apache_meaning(d: &Directive) -> Option<String> {
    let args = d.args.join(" ");
    let first = d
        .args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    let rest: Vec<String> = d.args.iter().skip(1).cloned().collect();
    Some(match d.name.as_str() {
        "authtype" => match first.as_str() {
            "basic" => "Turns on Basic sign-in: the browser shows a user name and password box and sends them, only encoded, with every request (safe only over https).".to_owned(),
            "digest" => "Turns on Digest sign-in: the password itself never travels, the browser proves it knows it. The password file must be made with htdigest.".to_owned(),
            "none" => "Turns sign-in off here (Apache 2.4.13 and later), for example to open a subfolder of a protected area.".to_owned(),
            "form" => "Sign-in through a web form (mod_auth_form); it also needs a login page and session settings.".to_owned(),
            _ => format!("Uses the sign-in method \"{args}\", which an extra Apache module must provide."),
        },
        "authname" => format!("Names the protected area \"{args}\". Browsers show it in the password box and remember passwords per name; with Digest it must match the realm in the password file exactly."),
        "authuserfile" => {
            let mut s = format!("The password file: Apache checks user names and passwords against {args}.");
            if d.args.first().is_some_and(|p| !is_absolute_path(p)) {
                s.push_str(" This path is relative, so Apache reads it from its own installation folder (ServerRoot), not from this folder.");
            }
            s
        }
        "authgroupfile" => format!("The group file {args}: it lists which users belong to which group (lines like \"admins: alice bob\"), for Require group."),
        "authbasicprovider" => format!("Where Basic sign-in looks up users: {args} (\"file\" means the AuthUserFile)."),
        "authdigestprovider" => format!("Where Digest sign-in looks up users: {args} (\"file\" means the AuthUserFile)."),
        "authbasicauthoritative" => "Whether another sign-in module may try when this one does not know the user.".to_owned(),
        "authmerging" => format!("How these Require rules combine with those of the parent folder ({args})."),
        "authdigestdomain" => format!("The addresses that share this Digest protection area: {args}."),
        "authdigestalgorithm" => format!("The scrambling method for Digest sign-in: {args}."),
        "authldapurl" => "Looks users up in an LDAP directory (for example Active Directory) instead of a password file.".to_owned(),
        "require" => require_meaning(&first, &rest),
        "satisfy" => if first == "any" {
            "Apache 2.2 style: a visitor gets in when either the IP rules (Allow/Deny) or the password allow it.".to_owned()
        } else {
            "Apache 2.2 style: a visitor gets in only when both the IP rules (Allow/Deny) and the password allow it (the default).".to_owned()
        },
        "order" => match args.to_ascii_lowercase().replace(' ', "").as_str() {
            "deny,allow" => "Apache 2.2 style: Deny rules are checked first, then Allow rules may let visitors back in; visitors matching neither get in.".to_owned(),
            "allow,deny" => "Apache 2.2 style: Allow rules are checked first, then Deny rules may shut visitors out; visitors matching neither are refused.".to_owned(),
            _ => format!("Apache 2.2 style: the order in which Allow and Deny rules are checked ({args})."),
        },
        "allow" => format!("Apache 2.2 style: allows visitors {}.", rest_after_from(&d.args)),
        "deny" => format!("Apache 2.2 style: refuses visitors {}.", rest_after_from(&d.args)),
        "errordocument" if first == "401" => format!("Shows {} with 401 answers instead of Apache's own page.", rest.join(" ")),
        "setenvif" if first == "authorization" => "Passes the Authorization header on to PHP, which some hosts otherwise drop (needed by WordPress application passwords and many APIs).".to_owned(),
        "cgipassauth" => "Passes the Authorization header on to PHP and other scripts (Apache 2.4.13 and later).".to_owned(),
        "rewriterule" if args.to_ascii_lowercase().contains("http_authorization") => "Copies the Authorization header into a variable PHP can read (a workaround for hosts that drop it).".to_owned(),
        "documentroot" => format!("The folder the web site is served from: {args}."),
        _ => return None,
    })
}

fn rest_after_from(args: &[String]) -> String {
    let who: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.eq_ignore_ascii_case("from"))
        .collect();
    if who.iter().any(|w| w.eq_ignore_ascii_case("all")) {
        "from everywhere".to_owned()
    } else {
        format!("from {}", who.join(" "))
    }
}

fn require_meaning(entity: &str, rest: &[String]) -> String {
    let names = rest.join(" ");
    match entity {
        "all"
            if rest
                .first()
                .is_some_and(|r| r.eq_ignore_ascii_case("granted")) =>
        {
            "Lets everyone in, without a password.".to_owned()
        }
        "all" => {
            "Lets nobody in (the answer is 403 Forbidden), whatever password is used.".to_owned()
        }
        "valid-user" => {
            "Lets in anyone who signs in with a user name and password from the password file."
                .to_owned()
        }
        "user" if rest.len() == 1 => {
            format!(
                "Lets in only the user {} (after a correct password).",
                list(rest)
            )
        }
        "user" => format!(
            "Lets in only the users {} (after a correct password).",
            list(rest)
        ),
        "group" => format!("Lets in members of the group {names}, as listed in the group file."),
        "ip" => format!(
            "Lets in visitors whose IP address is {names}, without a password for this rule."
        ),
        "host" => format!(
            "Lets in visitors whose address belongs to {names}. Apache checks this with a reverse DNS lookup, which is slow and fails when the lookup does not match."
        ),
        "env" => {
            format!("Lets in requests where the variable {names} is set (usually by SetEnvIf).")
        }
        "method" => format!("Applies to the request methods {names}."),
        "expr" => "Lets in requests for which the expression is true.".to_owned(),
        "local" => "Lets in requests from this same server (localhost).".to_owned(),
        "not" => format!(
            "Excludes visitors matching \"{names}\"; only works inside <RequireAll> or <RequireNone>."
        ),
        other => {
            format!("An access rule of type \"{other}\" ({names}), provided by an extra module.")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// nginx.

#[derive(Clone, Debug)]
struct NginxStatement {
    line: usize,
    words: Vec<String>,
    /// The block this statement is in (index into the block list).
    block: Option<usize>,
    /// True when the statement opens a block (`location /x {`).
    opens: bool,
}

fn tokenize_nginx(text: &str) -> Vec<NginxStatement> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut line = 1;
    let mut start_line = 1;
    let mut in_comment = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        work::add(1);
        if c == '\n' {
            line += 1;
            in_comment = false;
        }
        if in_comment {
            continue;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            } else {
                word.push(c);
            }
            continue;
        }
        match c {
            '#' if word.is_empty() => in_comment = true,
            '"' | '\'' if word.is_empty() => {
                quote = Some(c);
                if words.is_empty() {
                    start_line = line;
                }
                word.push('\u{0}');
            }
            ';' | '{' | '}' => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word).replace('\u{0}', ""));
                }
                if !words.is_empty() {
                    let opens = c == '{';
                    out.push(NginxStatement {
                        line: start_line,
                        words: std::mem::take(&mut words),
                        block: stack.last().copied(),
                        opens,
                    });
                    if opens && stack.len() < 64 {
                        stack.push(out.len() - 1);
                    }
                } else if c == '{' {
                    // A bare `{`: keep the nesting right.
                    if stack.len() < 64 {
                        stack.push(usize::MAX);
                    }
                }
                if c == '}' {
                    stack.pop();
                }
            }
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word).replace('\u{0}', ""));
                }
            }
            c => {
                if words.is_empty() && word.is_empty() {
                    start_line = line;
                }
                word.push(c);
            }
        }
        if words.len() > 1000 {
            words.truncate(1000);
        }
    }
    if !word.is_empty() {
        words.push(word.replace('\u{0}', ""));
    }
    if !words.is_empty() {
        out.push(NginxStatement {
            line: start_line,
            words,
            block: stack.last().copied(),
            opens: false,
        });
    }
    out
}

fn nginx_text(s: &NginxStatement) -> String {
    let mut text = s.words.join(" ");
    text.push_str(if s.opens { " {" } else { ";" });
    text
}

const NGINX_DIRECTIVES: &[&str] = &[
    "auth_basic",
    "auth_basic_user_file",
    "satisfy",
    "allow",
    "deny",
    "location",
    "root",
    "listen",
    "server_name",
    "auth_request",
    "return",
    "include",
];

fn nginx(text: &str, users: Option<&PasswordFile>, context: &HtaccessContext, out: &mut Output) {
    let statements = tokenize_nginx(text);
    let name = |s: &NginxStatement| {
        s.words
            .first()
            .map(|w| w.to_ascii_lowercase())
            .unwrap_or_default()
    };
    let names: Vec<String> = statements.iter().map(name).collect();
    let mut last_in_block: HashMap<(Option<usize>, &str), usize> = HashMap::new();
    let mut by_block: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (i, (s, n)) in statements.iter().zip(&names).enumerate() {
        by_block.entry(s.block).or_default().push(i);
        if !s.opens {
            last_in_block.insert((s.block, n.as_str()), i);
        }
    }
    let parent_of =
        |block: Option<usize>| block.and_then(|b| statements.get(b)).and_then(|s| s.block);
    // The statement `wanted` that applies in `block`: in it, or in an enclosing block.
    let effective = |block: Option<usize>, wanted: &str| -> Option<&NginxStatement> {
        let mut current = block;
        for _ in 0..70 {
            work::add(1);
            if let Some(i) = last_in_block.get(&(current, wanted)) {
                return statements.get(*i);
            }
            current = parent_of(Some(current?));
        }
        None
    };
    // Blocks that have a password file in them or in a block inside them.
    let mut has_file_below: HashSet<Option<usize>> = HashSet::new();
    for s in statements
        .iter()
        .zip(&names)
        .filter(|(_, n)| *n == "auth_basic_user_file")
        .map(|(s, _)| s)
    {
        let mut current = s.block;
        for _ in 0..70 {
            work::add(1);
            if !has_file_below.insert(current) {
                break;
            }
            let Some(b) = current else {
                break;
            };
            current = statements.get(b).and_then(|p| p.block);
        }
    }
    let block_members = |block: Option<usize>, wanted: &str| -> Vec<&NginxStatement> {
        by_block
            .get(&block)
            .into_iter()
            .flatten()
            .filter(|i| {
                work::add(1);
                names.get(**i).is_some_and(|n| n == wanted)
            })
            .filter_map(|i| statements.get(*i))
            .collect()
    };
    let root_of = |block: Option<usize>| {
        effective(block, "root")
            .and_then(|s| s.words.get(1))
            .map(String::as_str)
    };
    let protects_ht = statements
        .iter()
        .any(|s| s.opens && name(s) == "location" && s.words.iter().any(|w| w.contains(".ht")));
    for (s, n) in statements.iter().zip(&names) {
        if out.full() {
            break;
        }
        let text = nginx_text(s);
        if let Some(meaning) = nginx_meaning(s, n) {
            out.explain(s.line, &text, meaning);
        }
        match n.as_str() {
            "auth_basic" => {
                let value = s.words.get(1).cloned().unwrap_or_default();
                if s.words.len() > 2 {
                    let glued = s
                        .words
                        .iter()
                        .skip(2)
                        .find(|w| NGINX_DIRECTIVES.contains(&w.to_ascii_lowercase().as_str()));
                    let detail = match glued {
                        Some(next) => format!("auth_basic takes one value, but this line runs into \"{next}\": the semicolon at the end of the line is probably missing, and nginx refuses to start or reload with this configuration."),
                        None => "auth_basic takes one value (the area's name in quotes, or off); nginx refuses this configuration.".to_owned(),
                    };
                    out.problem(Severity::Problem, s.line, &text, "auth_basic line is malformed", detail,
                        "End each line with a semicolon and put the area name in quotes: `auth_basic \"Restricted\";`.");
                    continue;
                }
                if value.eq_ignore_ascii_case("off") {
                    if s.block.is_some()
                        && effective(parent_of(s.block), "auth_basic").is_some_and(|a| {
                            a.words
                                .get(1)
                                .is_some_and(|v| !v.eq_ignore_ascii_case("off"))
                        })
                    {
                        out.problem(Severity::Warning, s.line, &text, "The password is switched off here",
                            "auth_basic off inside this block turns off the password the outer block asks for: addresses matching this block are open to everyone. If a page asks for a password anyway, it does not come from here.".to_owned(),
                            "Remove `auth_basic off;` if this part should be protected too.");
                    }
                    continue;
                }
                if effective(s.block, "auth_basic_user_file").is_none()
                    && !has_file_below.contains(&s.block)
                {
                    out.problem(Severity::Warning, s.line, &text, "auth_basic without a password file",
                        "auth_basic names the protected area, but no auth_basic_user_file says where the passwords are. nginx then does not ask for a password at all.".to_owned(),
                        "Add `auth_basic_user_file /etc/nginx/.htpasswd;` next to auth_basic.");
                }
                if context.site_is_http {
                    out.problem(Severity::Warning, s.line, &text, "Basic sign-in over plain http",
                        "The site is reached over http, so the user name and password travel almost as plain text and anyone on the same network can read them.".to_owned(),
                        "Redirect http to https before the password is asked, and use the https address.");
                }
                if let Some(observed) = context
                    .observed_scheme
                    .as_deref()
                    .filter(|o| !o.trim().eq_ignore_ascii_case("basic"))
                {
                    out.problem(Severity::Problem, s.line, &text, "The server asks for a different sign-in than this configuration sets",
                        format!("nginx's auth_basic asks for Basic sign-in, but the server actually asked for {}. The 401 comes from somewhere else: the application behind nginx, another proxy, or another part of the configuration.", observed.trim()),
                        "Look at the application's own sign-in settings and at any proxy in front of or behind nginx.");
                }
            }
            "auth_basic_user_file" => {
                let Some(path) = s.words.get(1) else {
                    out.problem(Severity::Problem, s.line, &text, "auth_basic_user_file names no file",
                        "auth_basic_user_file needs the path of the password file.".to_owned(),
                        "Write the full path, for example `auth_basic_user_file /etc/nginx/.htpasswd;`.");
                    continue;
                };
                if !is_absolute_path(path) {
                    out.problem(Severity::Warning, s.line, &text, "The password file path is relative",
                        format!("\"{path}\" does not start with /. nginx reads it from its configuration folder (for example /etc/nginx/), not from the site's folder; if the file is elsewhere, every sign-in fails (nginx logs \"open() … failed\" and answers 500)."),
                        "Write the full path, for example `auth_basic_user_file /etc/nginx/.htpasswd;`.");
                } else if inside_web_root(path, root_of(s.block)) {
                    let extra = if protects_ht {
                        " A location block refuses .ht files here, which helps, but the file is still safer elsewhere."
                    } else {
                        " Unlike Apache, nginx has no default rule hiding .ht files, so it can probably be downloaded."
                    };
                    out.problem(Severity::Warning, s.line, &text, "The password file is inside the web site's folder",
                        format!("\"{path}\" is inside the folder the site is served from.{extra}"),
                        "Move the password file outside the web root (for example /etc/nginx/.htpasswd) and update this line.");
                }
            }
            "satisfy"
                if s.words
                    .get(1)
                    .is_some_and(|v| v.eq_ignore_ascii_case("any")) =>
            {
                let allows = block_members(s.block, "allow");
                let has_allow = !allows.is_empty() || !block_members(s.block, "deny").is_empty();
                let allow_all = allows.into_iter().find(|x| {
                    x.words
                        .get(1)
                        .is_some_and(|v| v.eq_ignore_ascii_case("all"))
                });
                let (title, detail) = if let Some(all) = allow_all {
                    (
                        "satisfy any with allow all: the password is never asked",
                        format!(
                            "With satisfy any, a visitor gets in when either the allow/deny rules or the password allow it. Line {} allows everyone, so nobody is asked for a password.",
                            all.line
                        ),
                    )
                } else if has_allow {
                    ("satisfy any: IP address or password", "With satisfy any, visitors from allowed addresses get in without a password and everyone else must sign in. If the office's address changed, office visitors suddenly get the password box.".to_owned())
                } else {
                    ("satisfy any has nothing to combine", "satisfy any lets visitors in when either the allow/deny rules or the password allow it, but this block has no allow or deny rules.".to_owned())
                };
                out.problem(Severity::Warning, s.line, &text, title, detail,
                    "Check that this is what you meant; for a password from everyone, remove `satisfy any;`.");
            }
            _ => {}
        }
    }
    if let Some(file) = users {
        let check_line = statements
            .iter()
            .zip(&names)
            .find(|(_, n)| *n == "auth_basic_user_file")
            .map(|(s, _)| s);
        if file.is_digest()
            && let Some(s) = check_line
        {
            out.problem(Severity::Problem, s.line, &nginx_text(s), "Digest password file used with nginx",
                "The password file has lines like user:realm:hash (made by htdigest for Digest sign-in), but nginx only does Basic sign-in and reads realm:hash as the password, so no password matches.".to_owned(),
                "Make a new file with `htpasswd -c /etc/nginx/.htpasswd USERNAME`.");
        }
        if file.entries.is_empty()
            && let Some(s) = check_line
        {
            out.problem(Severity::Problem, s.line, &nginx_text(s), "The password file has no users",
                "The password file given has no user lines, so nobody can sign in.".to_owned(),
                "Add a user with `htpasswd -c /etc/nginx/.htpasswd USERNAME` (-c creates the file).");
        }
    }
    let protected: Vec<String> = statements
        .iter()
        .zip(&names)
        .filter(|(s, n)| {
            *n == "auth_basic"
                && s.words
                    .get(1)
                    .is_some_and(|v| !v.eq_ignore_ascii_case("off"))
        })
        .take(10)
        .map(|(s, _)| {
            let area = s.words.get(1).cloned().unwrap_or_default();
            let place = s.block.and_then(|b| statements.get(b)).map_or_else(
                || "everywhere in this file".to_owned(),
                |b| format!("in `{}`", b.words.join(" ")),
            );
            format!("asks for a Basic sign-in for the area \"{area}\" {place}")
        })
        .collect();
    out.summary.push(if protected.is_empty() {
        "This configuration does not ask for a password (no active auth_basic).".to_owned()
    } else {
        format!("This configuration {}.", protected.join("; it "))
    });
}

fn nginx_meaning(s: &NginxStatement, name: &str) -> Option<String> {
    let value = s
        .words
        .iter()
        .skip(1)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    Some(match name {
        "auth_basic" if value.eq_ignore_ascii_case("off") => "Turns the password off for this block, even if an outer block asks for one.".to_owned(),
        "auth_basic" => format!("Asks for a password (Basic sign-in) for the area \"{value}\"; browsers show this name in the password box."),
        "auth_basic_user_file" => format!("The password file nginx checks: {value}. Relative paths are read from nginx's configuration folder."),
        "location" if s.opens => format!("The lines inside apply to addresses matching {value}."),
        "server" if s.opens => "Starts one web site (virtual server).".to_owned(),
        "limit_except" if s.opens => format!("The lines inside apply to every request method except {value}."),
        "satisfy" if value.eq_ignore_ascii_case("any") => "A visitor gets in when either the allow/deny rules or the password allow it.".to_owned(),
        "satisfy" => "A visitor gets in only when both the allow/deny rules and the password allow it (the default).".to_owned(),
        "allow" if value == "all" => "Allows visitors from everywhere.".to_owned(),
        "allow" => format!("Allows visitors from {value}."),
        "deny" if value == "all" => "Refuses everyone not allowed by an earlier allow line (403).".to_owned(),
        "deny" => format!("Refuses visitors from {value} (403)."),
        "auth_request" => format!("Asks the address {value} whether each request may pass: a 2xx answer lets it in, 401 or 403 refuse it."),
        "root" => format!("The folder files are served from (the web root): {value}."),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Walk-through.

fn walkthrough(
    kind: ConfigKind,
    summary: &[String],
    explained: &[ExplainedLine],
    users: Option<&PasswordFile>,
) -> Finding {
    let mut detail = match kind {
        ConfigKind::Apache => "Read as an Apache configuration (.htaccess). ".to_owned(),
        ConfigKind::Nginx => "Read as an nginx configuration. ".to_owned(),
    };
    detail.push_str(&summary.join(" "));
    if let Some(file) = users {
        let mut formats: Vec<String> = Vec::new();
        for e in file.entries.iter().take(20) {
            let format = if e.realm.is_some() {
                "Digest"
            } else {
                e.format.name()
            };
            formats.push(format!("{} ({format})", e.user));
        }
        let more = file.entries.len().saturating_sub(20);
        let _ = write!(
            detail,
            " The password file has {} user{}{}{}.",
            file.entries.len(),
            if file.entries.len() == 1 { "" } else { "s" },
            if formats.is_empty() {
                String::new()
            } else {
                format!(": {}", formats.join(", "))
            },
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    if explained.is_empty() {
        detail.push_str(" No lines about sign-in or access were found.");
    }
    let mut finding = Finding::new(Code::HtaccessExplained, detail.trim().to_owned());
    for line in explained.iter().take(60) {
        finding = finding.evidence(
            format!("Line {}: {}", line.line, line.text),
            line.meaning.clone(),
        );
    }
    finding
}

#[cfg(test)]
mod tests {
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
        assert!(
            f.is_some_and(|f| f.severity == Severity::Warning && f.detail.contains("download"))
        );
        let text =
            "AuthType Basic\nAuthName x\nAuthUserFile /var/www/.htpasswd\nRequire valid-user\n";
        assert!(problems(&check(text, None, &ctx())).is_empty());
        let text = "DocumentRoot /srv/site\nAuthType Basic\nAuthName x\nAuthUserFile /srv/site/.htpasswd\nRequire valid-user\n";
        assert!(has(&check(text, None, &ctx()), "web site's folder"));
    }

    #[test]
    fn a_required_user_missing_from_the_password_file_is_named() {
        let text =
            "AuthType Basic\nAuthName x\nAuthUserFile /a/.htpasswd\nRequire user Alice carol\n";
        let pw = format!("alice:{BCRYPT}\n");
        let report = check(text, Some(&pw), &ctx());
        let missing: Vec<&Finding> = problems(&report)
            .into_iter()
            .filter(|f| f.title.contains("not in the password file"))
            .collect();
        assert_eq!(missing.len(), 2);
        assert!(
            missing[0].detail.contains("\"Alice\"")
                && missing[0].detail.contains("capital letters")
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
        let json = serde_json::to_string(&report).unwrap_or_default();
        assert!(
            !json.contains("hunter22")
                && !json.contains(BCRYPT)
                && !json.contains("$apr1$abcdefgh$"),
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
        let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire all denied\nRequire valid-user\n";
        let report = check(text, None, &ctx());
        assert_eq!(line_of(&report, "has no effect").as_deref(), Some("Line 4"));
        let text = "AuthType Basic\nAuthName x\nAuthUserFile /a/p\nRequire all granted\nRequire valid-user\n";
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
        let pw =
            format!("\u{feff}alice:{BCRYPT}\nbob :{APR1}\nbob :{APR1}\nno-colon-here\n:{APR1}\n");
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
        let json = serde_json::to_string(&report).unwrap_or_default();
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
                .any(|f| f.title.contains("web site's folder")
                    && f.detail.contains("no default rule"))
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
}
