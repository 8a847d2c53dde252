//! Password files for the real servers: htpasswd lines (made by Apache's `htpasswd`) and htdigest lines.

use std::process::Command;

/// How `htpasswd` hashes a Basic password (its `-B`, `-m`, `-2`, `-5`, `-s`, `-d`, `-p` flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HtpasswdHash {
    /// bcrypt, `$2y$…` (`htpasswd -B`).
    Bcrypt,
    /// Apache's MD5, `$apr1$…` (`htpasswd -m`).
    Md5,
    /// SHA-256 crypt, `$5$…` (`htpasswd -2`).
    Sha256,
    /// SHA-512 crypt, `$6$…` (`htpasswd -5`).
    Sha512,
    /// Unsalted SHA-1, `{SHA}…` (`htpasswd -s`).
    Sha1,
    /// Traditional DES crypt; only the first 8 characters count (`htpasswd -d`).
    Crypt,
    /// The password in clear text (`htpasswd -p`); Apache on Linux does not accept it.
    Plain,
}

impl HtpasswdHash {
    fn flag(self) -> &'static str {
        match self {
            Self::Bcrypt => "-B",
            Self::Md5 => "-m",
            Self::Sha256 => "-2",
            Self::Sha512 => "-5",
            Self::Sha1 => "-s",
            Self::Crypt => "-d",
            Self::Plain => "-p",
        }
    }
}

/// One `user:hash` line (no newline) made by `htpasswd -nb`.
pub(super) fn htpasswd_line(hash: HtpasswdHash, user: &str, password: &str) -> String {
    let program = super::require_program("htpasswd", "apache2-utils");
    let output = Command::new(&program)
        .args(["-n", "-b", hash.flag(), user, password])
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", program.display()));
    assert!(
        output.status.success(),
        "htpasswd {} failed for user {user:?}: {}",
        hash.flag(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("htpasswd printed non-UTF-8")
        .trim()
        .to_owned()
}

/// A whole htpasswd file: one line per `(hash, user, password)`.
pub(super) fn htpasswd_file(users: &[(HtpasswdHash, String, String)]) -> String {
    users
        .iter()
        .map(|(hash, user, password)| htpasswd_line(*hash, user, password) + "\n")
        .collect()
}

/// One htdigest line (no newline): `user:realm:md5hex(user:realm:password)`.
pub(super) fn htdigest_line(user: &str, realm: &str, password: &str) -> String {
    let ha1 = md5_hex(format!("{user}:{realm}:{password}").as_bytes());
    format!("{user}:{realm}:{ha1}")
}

/// The MD5 digest of `data` as 32 lowercase hex digits (RFC 1321), e.g. for Digest `HA1` values.
pub fn md5_hex(data: &[u8]) -> String {
    md5(data)
        .iter()
        .flat_map(|byte| [byte >> 4, byte & 0x0f])
        .filter_map(|nibble| char::from_digit(u32::from(nibble), 16))
        .collect()
}

/// Per-round left-rotation amounts.
const SHIFTS: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
    14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15,
    21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

fn md5(data: &[u8]) -> [u8; 16] {
    // K[i] = floor(abs(sin(i + 1)) * 2^32), as RFC 1321 defines the table.
    let constants: Vec<u32> = (0..64_u32)
        .map(|index| (f64::from(index + 1).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let mut message = data.to_vec();
    let bit_length = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_le_bytes());

    let mut state: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for block in message.chunks_exact(64) {
        let mut words = [0_u32; 16];
        for (word, bytes) in words.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_le_bytes(bytes.try_into().expect("chunks_exact(4) yields 4 bytes"));
        }
        let [mut a, mut b, mut c, mut d] = state;
        for (round, (&constant, &shift)) in constants.iter().zip(SHIFTS.iter()).enumerate() {
            let (mixed, word_index) = match round / 16 {
                0 => ((b & c) | (!b & d), round),
                1 => ((d & b) | (!d & c), (5 * round + 1) % 16),
                2 => (b ^ c ^ d, (3 * round + 5) % 16),
                _ => (c ^ (b | !d), (7 * round) % 16),
            };
            let sum = mixed
                .wrapping_add(a)
                .wrapping_add(constant)
                .wrapping_add(words[word_index]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(sum.rotate_left(shift));
        }
        for (value, added) in state.iter_mut().zip([a, b, c, d]) {
            *value = value.wrapping_add(added);
        }
    }
    let mut digest = [0_u8; 16];
    for (bytes, value) in digest.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&value.to_le_bytes());
    }
    digest
}
