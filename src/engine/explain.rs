//! Plain-language texts for each finding code (scheme texts live with the challenge parser), loaded from `assets/explanations/` (data, not code),
//! so wording can be improved or translated without touching the diagnosis.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::engine::finding::{Area, Code, Kind, Severity};

/// The text of one finding code.
#[derive(Clone, Debug, Deserialize)]
pub struct CodeText {
    /// Whether it can be the cause of the 401, advice, or context.
    pub kind: Kind,
    /// The part of the check it belongs to.
    pub area: Area,
    /// Default severity of the code.
    pub severity: Severity,
    /// One-line title.
    pub title: String,
    /// What it means and why it happens, in plain words.
    pub explanation: String,
    /// General next steps.
    #[serde(default)]
    pub next_steps: Vec<String>,
}

const FINDINGS_TOML: &str = include_str!("../../assets/explanations/findings.toml");

fn findings_table() -> &'static HashMap<String, CodeText> {
    static TABLE: OnceLock<HashMap<String, CodeText>> = OnceLock::new();
    // The file ships inside the binary and a unit test parses it, so a parse error cannot reach users;
    // an empty table still keeps the app running with the fallback text below.
    TABLE.get_or_init(|| toml::from_str(FINDINGS_TOML).unwrap_or_default())
}

/// The text for a finding code, borrowed from the table (None only if the text is missing,
/// which a unit test rules out).
#[must_use]
pub fn entry(code: Code) -> Option<&'static CodeText> {
    findings_table().get(code.as_str())
}

/// The text for a finding code. Falls back to the code itself if the text is missing
/// (a unit test makes sure it never is).
#[must_use]
pub fn text(code: Code) -> CodeText {
    findings_table()
        .get(code.as_str())
        .cloned()
        .unwrap_or_else(|| CodeText {
            kind: Kind::Context,
            area: Area::Address,
            severity: Severity::Info,
            title: code.as_str().to_owned(),
            explanation: String::new(),
            next_steps: Vec::new(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_code_has_a_title_explanation_and_next_steps() {
        let table: HashMap<String, CodeText> =
            toml::from_str(FINDINGS_TOML).unwrap_or_else(|e| panic!("findings.toml: {e}"));
        for code in Code::ALL {
            let Some(t) = table.get(code.as_str()) else {
                panic!("assets/explanations/findings.toml has no [{code}] section");
            };
            assert!(!t.title.is_empty(), "{code}: empty title");
            assert!(!t.explanation.is_empty(), "{code}: empty explanation");
            assert!(!t.next_steps.is_empty(), "{code}: no next steps");
        }
        for key in table.keys() {
            assert!(
                Code::ALL.iter().any(|c| c.as_str() == key),
                "findings.toml has [{key}] but no such code exists"
            );
        }
    }
}
