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
    if file.had_bom
        && let Some(first) = file.entries.first()
    {
        out.file_problem(
            first.line,
            &masked(first),
            Mistake::Bom {
                user: first.user.clone(),
            },
        );
    }
    for (line, what, shown) in &file.broken {
        out.file_problem(
            *line,
            shown,
            Mistake::BrokenLine {
                line: *line,
                what: what.clone(),
                server: kind,
            },
        );
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for e in &file.entries {
        if out.full() {
            return;
        }
        let shown = masked(e);
        if e.user.is_empty() {
            out.file_problem(
                e.line,
                &shown,
                Mistake::NoUserName {
                    line: e.line,
                    server: kind,
                },
            );
            continue;
        }
        if e.user.trim() != e.user {
            out.file_problem(
                e.line,
                &shown,
                Mistake::SpacesAroundUser {
                    user: e.user.clone(),
                    line: e.line,
                },
            );
        }
        if !seen.insert(e.user.as_str()) && e.realm.is_none() {
            out.file_problem(
                e.line,
                &shown,
                Mistake::DuplicateUser {
                    user: e.user.clone(),
                },
            );
        }
        if e.realm.is_some() {
            continue;
        }
        if let Some(mistake) = hash_mistake(e, kind) {
            out.file_problem(e.line, &shown, mistake);
        }
    }
}

/// What is wrong with how `entry`'s password is stored, for the server `kind`; `None` when the
/// server can check it.
fn hash_mistake(entry: &UserEntry, kind: ConfigKind) -> Option<Mistake> {
    let user = entry.user.clone();
    let server = kind;
    Some(match (entry.format, kind) {
        (HashFormat::Empty, _) => Mistake::EmptyHash { user, server },
        (HashFormat::Plain, _) => Mistake::PlainHash { user, server },
        (HashFormat::Argon2, _) => Mistake::Argon2Hash { user, server },
        (HashFormat::RawHex, _) => Mistake::RawHexHash { user, server },
        (HashFormat::Ssha | HashFormat::PlainMarked, ConfigKind::Apache) => {
            Mistake::NginxOnlyHash {
                user,
                method: entry.format.name(),
                server,
            }
        }
        (HashFormat::BcryptOther, ConfigKind::Apache) => {
            Mistake::ApacheBcryptVariant { user, server }
        }
        (HashFormat::Bcrypt | HashFormat::BcryptOther, ConfigKind::Nginx) => {
            Mistake::NginxBcrypt { user, server }
        }
        (HashFormat::ModernCrypt, _) => Mistake::ModernCrypt {
            user,
            method: entry.format.name(),
            server,
        },
        (HashFormat::DesCrypt, _) => Mistake::DesCrypt { user, server },
        (HashFormat::PlainMarked, ConfigKind::Nginx) => Mistake::NginxPlainMarked { user, server },
        _ => return None,
    })
}
