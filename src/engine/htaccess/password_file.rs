//! Password files (`.htpasswd`, `.htdigest`): the hash formats and what is wrong with an entry.

use super::*;

/// How a password is stored in a password file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HashFormat {
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
    pub(super) fn name(self) -> &'static str {
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

pub(super) fn hash_format(hash: &str) -> HashFormat {
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
pub(super) struct UserEntry {
    pub(super) line: usize,
    pub(super) user: String,
    /// `Some(realm)` for Digest lines (`user:realm:hash`).
    pub(super) realm: Option<String>,
    pub(super) format: HashFormat,
    pub(super) hash_len: usize,
}

#[derive(Clone, Debug, Default)]
pub(super) struct PasswordFile {
    pub(super) entries: Vec<UserEntry>,
    /// The user names, for quick look-ups.
    pub(super) names: HashSet<String>,
    /// Trimmed lowercase user name → first entry, to suggest "did you mean".
    pub(super) near_names: HashMap<String, usize>,
    /// Lines that could not be read: (line, what is wrong, safe text).
    pub(super) broken: Vec<(usize, String, String)>,
    pub(super) had_bom: bool,
}

impl PasswordFile {
    pub(super) fn has_user(&self, user: &str) -> bool {
        self.names.contains(user)
    }

    pub(super) fn is_digest(&self) -> bool {
        !self.entries.is_empty() && self.entries.iter().all(|e| e.realm.is_some())
    }

    pub(super) fn is_basic(&self) -> bool {
        !self.entries.is_empty() && self.entries.iter().all(|e| e.realm.is_none())
    }
}

/// A password file line that is safe to show: the user name and realm, never the hash (nor the
/// length of a password stored as plain text).
pub(super) fn masked(entry: &UserEntry) -> String {
    let hidden = match entry.format {
        HashFormat::Plain | HashFormat::PlainMarked => "(password hidden)".to_owned(),
        _ => format!("(hash hidden, {} characters)", entry.hash_len),
    };
    match &entry.realm {
        Some(realm) => format!("{}:{realm}:{hidden}", entry.user),
        None => format!("{}:{hidden}", entry.user),
    }
}

pub(super) fn parse_password_file(text: &str) -> PasswordFile {
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

pub(super) fn password_file_findings(file: &PasswordFile, kind: ConfigKind, out: &mut Output) {
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
