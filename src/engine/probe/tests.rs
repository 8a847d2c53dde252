use super::*;

#[test]
fn control_characters_and_invalid_utf8_are_escaped() {
    assert_eq!(escape_bytes(b"ok\x1b[31m\xff"), "ok\\x1b[31m\\xff");
    assert_eq!(escape_bytes("grüß".as_bytes()), "grüß");
}

#[test]
fn a_page_keeps_its_lines_but_loses_its_terminal_escapes() {
    assert_eq!(
        body_text(b"<p>\x1b[2Jhi\r\n\tthere \xc2\x9b1m\xff</p>"),
        "<p>\\x1b[2Jhi\r\n\tthere \\x9b1m\u{fffd}</p>"
    );
    assert_eq!(body_text(b"plain"), "plain");
}
