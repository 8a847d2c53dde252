//! The one output sanitizer: what came from outside (a header, a page, a file, a pasted value) is
//! shown with its control characters, terminal escape sequences and bidirectional overrides
//! escaped, in every text output and report, so a hostile value can neither drive the terminal
//! nor make text read differently from what it is. Markdown gets its own escaping on top.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for the characters that reorder text on screen: the embeddings and overrides
/// U+202A–U+202E, the isolates U+2066–U+2069 and the invisible marks that steer them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

fn needs_escape(c: char, keep_lines: bool) -> bool {
    if keep_lines && matches!(c, '\n' | '\t') {
        return false;
    }
    c.is_control() || is_bidi_control(c)
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_escape(c, keep_lines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !needs_escape(c, keep_lines) {
            out.push(c);
        } else if u32::from(c) < 0x100 {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// One line of outside text made safe to show: every control character (line breaks
/// included, so a value cannot start a line of its own), escape sequence and bidirectional
/// override written as `\x1b`, `\u{202e}`.
#[must_use]
pub fn shown(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Like [`shown`], but line breaks and tabs stay: for text of several lines.
#[must_use]
pub fn shown_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// A character serde prints as it is inside a JSON string that a terminal may obey: the C1
/// controls and the bidirectional overrides.
#[must_use]
pub fn unsafe_in_json(c: char) -> bool {
    is_bidi_control(c) || ('\u{80}'..='\u{9f}').contains(&c)
}

/// JSON text made safe for a terminal: serde escapes the C0 controls itself, but prints the C1
/// controls (U+0080–U+009F, which some terminals obey) and bidirectional overrides as they are.
/// They can only stand inside strings, where `\uXXXX` means the same.
#[must_use]
pub fn json_for_terminal(json: String) -> String {
    if !json.chars().any(unsafe_in_json) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_in_json(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for a Markdown paragraph or list item: sanitized as [`shown`], and every character that
/// Markdown would read as a link, image, emphasis, code, HTML or table cell escaped with a
/// backslash, so `[Click here](https://…)` from a server stays text.
#[must_use]
pub fn markdown(text: &str) -> String {
    // A line break would end the paragraph or list item the text stands in.
    let one_line = text.replace(['\r', '\n'], " ");
    let safe = shown(&one_line);
    let mut out = String::with_capacity(safe.len() + 8);
    for c in safe.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '|'
                | '~'
                | '&'
                | '!'
                | '#'
                | '('
                | ')'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown code span that holds any text: its fence is longer than any run of backticks in
/// it, so the value cannot close it early.
#[must_use]
pub fn markdown_code(text: &str) -> String {
    let one_line = text.replace(['\r', '\n'], " ");
    let safe = shown(&one_line);
    let mut longest = 0;
    let mut run = 0;
    for c in safe.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if safe.starts_with(['`', ' ']) || safe.ends_with(['`', ' ']) || safe.is_empty() {
        " "
    } else {
        ""
    };
    // A `|` would still end a table cell; these spans are used outside tables.
    format!("{fence}{pad}{safe}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_shown_not_obeyed() {
        assert_eq!(shown("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(shown("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
        assert_eq!(shown("one\ntwo"), "one\\x0atwo");
        assert_eq!(shown_lines("one\ntwo\x07"), "one\ntwo\\x07");
        assert!(matches!(shown("plain grüße"), Cow::Borrowed(_)));
        assert_eq!(
            json_for_terminal("\"a\u{9b}b\u{202e}\"".to_owned()),
            "\"a\\u009bb\\u202e\""
        );
    }

    #[test]
    fn markdown_from_outside_stays_text() {
        assert_eq!(
            markdown("[Click here](https://evil.example/reset)"),
            "\\[Click here\\]\\(https://evil.example/reset\\)"
        );
        assert_eq!(markdown_code("a`b``c"), "```a`b``c```");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\nb\x1b"), "`a b\\x1b`");
    }
}
