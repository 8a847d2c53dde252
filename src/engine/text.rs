//! Shared text helpers: cutting text short at a character boundary, quoting, removing tags, and
//! finding words in a bounded scan of an answer's body.

use crate::engine::probe::Exchange;
use crate::engine::work;

/// How much of a body is read when looking for phrases; longer bodies are cut at this size.
pub const MAX_SCAN_BYTES: usize = 128 * 1024;

/// The start of `text`, at most `max_bytes` long, cut at a character boundary.
#[must_use]
pub fn prefix_at_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// The text around a match at `byte_pos` (of `len` bytes) in `text`: HTML tags removed, spaces
/// collapsed, at most about 160 characters. For showing as evidence.
#[must_use]
pub fn snippet_around(text: &str, byte_pos: usize, len: usize) -> String {
    let mut start = byte_pos.saturating_sub(60).min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = byte_pos
        .saturating_add(len)
        .saturating_add(120)
        .min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    let mut window = text.get(start..end).unwrap_or_default();
    if start > 0 {
        // The window may begin inside a tag or a word: start after the first tag end or space.
        let cut = match (window.find('>'), window.find('<'), window.find(' ')) {
            (Some(gt), lt, _) if lt.is_none_or(|lt| gt < lt) => gt + 1,
            (_, _, Some(space)) => space + 1,
            _ => 0,
        };
        window = window.get(cut..).unwrap_or(window);
    }
    let plain = strip_tags(window);
    let plain = if start > 0 {
        format!("…{}", plain.trim_start())
    } else {
        plain
    };
    shorten(&plain, 160)
}

/// Removes HTML tags (anything between `<` and `>`) and collapses white space.
#[must_use]
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut in_tag = false;
    let mut last_space = true;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            c => {
                out.push(c);
                last_space = false;
            }
        }
    }
    out.trim().to_owned()
}

/// At most `max_chars` characters of `text`, with "…" when cut.
#[must_use]
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The body of an answer, lowercased (ASCII only, so byte positions match the original) and cut
/// to [`MAX_SCAN_BYTES`], with the cut original for snippets.
#[must_use]
pub fn scan_body(exchange: &Exchange) -> (String, &str) {
    let body = prefix_at_char_boundary(&exchange.body_excerpt, MAX_SCAN_BYTES);
    work::add(body.len());
    (body.to_ascii_lowercase(), body)
}

/// The first of `needles` found in `haystack` at the start of a word: its position and length.
#[must_use]
pub fn find_any(haystack: &str, needles: &[&str]) -> Option<(usize, usize)> {
    needles
        .iter()
        .filter_map(|n| find_word(haystack, n).map(|pos| (pos, n.len())))
        .min_by_key(|(pos, _)| *pos)
}

/// The first place `needle` occurs in `haystack` not glued to a letter or digit before it
/// ("ip not allowed" must not match "ship not allowed"). Needles that start with a symbol
/// (`/wp-content/`) match anywhere.
#[must_use]
pub fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    // Bounded: a hostile body cannot make this loop long.
    for _ in 0..1000 {
        work::add(haystack.len().saturating_sub(from));
        let pos = from + haystack.get(from..)?.find(needle)?;
        let glued = pos > 0
            && needle
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphanumeric)
            && haystack
                .as_bytes()
                .get(pos - 1)
                .is_some_and(u8::is_ascii_alphanumeric);
        if !glued {
            return Some(pos);
        }
        from = pos + needle.len().max(1);
    }
    None
}
