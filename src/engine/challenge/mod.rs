//! Reads `WWW-Authenticate` and `Proxy-Authenticate` header values (RFC 9110 §11.6.1 and §11.2) into
//! challenges, as leniently as browsers do while noting everything that was malformed or forgiven, and
//! explains each challenge in plain words for a site owner.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod explain;
mod findings;
mod parser;
mod scheme;

pub use explain::*;
pub(crate) use findings::scheme_list;
pub use findings::{bearer_error_findings, challenge_findings};
pub use parser::{is_token_char, parse_lines, parse_str};
pub use scheme::Scheme;

/// The most challenges kept from one header; any beyond are counted in one problem and dropped.
pub const MAX_CHALLENGES: usize = 200;

/// The longest piece of header text quoted back in a problem, in characters.
const MAX_QUOTED_CHARS: usize = 60;

/// One challenge from a WWW-Authenticate / Proxy-Authenticate header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The scheme name as the server spelled it, e.g. `Basic` or `digest`.
    pub scheme: String,
    /// The single coded value after the scheme (RFC 9110 `token68`), `None` when absent.
    pub token68: Option<String>,
    /// The parameters: names lowercased, values unquoted and unescaped.
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    /// The sign-in method the challenge names, for comparisons.
    #[must_use]
    pub fn kind(&self) -> Scheme {
        Scheme::parse(&self.scheme)
    }

    /// The value of the parameter `name`, whatever its case.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The name of the protected area (the `realm` parameter), if the server gave one.
    #[must_use]
    pub fn realm(&self) -> Option<&str> {
        self.param("realm")
    }
}

/// Everything read from one header: the challenges, in order, and what was wrong with the header.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedChallenges {
    /// The challenges, in the order the server sent them (at most [`MAX_CHALLENGES`]).
    pub challenges: Vec<Challenge>,
    /// Plain-language, lowercase-first sentences: what was malformed or forgiven.
    pub problems: Vec<String>,
}

/// A plain-language explanation of one challenge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// The scheme as people know it ("Basic", "Bearer token"…), or an unknown scheme's own name.
    pub scheme_name: String,
    /// What the scheme is, in plain words.
    pub meaning: String,
    /// What this particular challenge says: realm, algorithm, error codes, and so on.
    pub details: Vec<String>,
    /// What the user must do to get past it.
    pub what_to_do: String,
}

/// Header text quoted back to the user, cut short when long.
fn shown(text: &str) -> String {
    quote_limited(text, MAX_QUOTED_CHARS)
}

fn quote_limited(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        format!("“{head}…”")
    } else {
        format!("“{head}”")
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> (usize, &'a str) {
    (count, if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests;
