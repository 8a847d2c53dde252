//! A `cookies.txt` file in the Netscape layout.

use super::{Expiry, ImportedCookie, Loader, MAX_WRITABLE_UNIX, Secret, normalize_domain};

pub(super) fn import_netscape(text: &str, loader: &mut Loader) {
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        match parse_netscape_line(raw_line, line_no) {
            Ok(Some(cookie)) => loader.push(cookie),
            Ok(None) => {}
            Err(message) => loader.problem(line_no, message),
        }
    }
}

pub(super) fn parse_bool_flag(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// One line of a Netscape `cookies.txt`: domain, subdomains flag, path, secure flag, expiry,
/// name, value, separated by tabs. `Ok(None)` for comments and blank lines.
pub(super) fn parse_netscape_line(
    raw_line: &str,
    line_no: usize,
) -> Result<Option<ImportedCookie>, String> {
    let line = raw_line
        .trim_end_matches(['\r', '\n'])
        .trim_start_matches('\u{feff}');
    if line.trim().is_empty() {
        return Ok(None);
    }
    let (line, http_only) = match line.strip_prefix("#HttpOnly_") {
        Some(rest) => (rest, true),
        None if line.trim_start().starts_with('#') => return Ok(None),
        None => (line, false),
    };
    let mut fields: Vec<&str> = line.split('\t').collect();
    if fields.len() < 7 {
        // Pasted through an editor or a chat, tabs often become spaces.
        fields = line.split_whitespace().collect();
    }
    // Exactly 7: with a column missing, the value could land where a name is shown.
    if fields.len() != 7 {
        return Err(format!(
            "expected 7 fields separated by tabs (domain, subdomains, path, secure, expiry, name, value), found {}",
            fields.len()
        ));
    }
    let field = |i: usize| fields.get(i).map_or("", |f| f.trim());
    let raw_domain = field(0);
    let Some(domain) = normalize_domain(raw_domain) else {
        return Err(format!("\"{raw_domain}\" is not a site name"));
    };
    let Some(include_subdomains) = parse_bool_flag(field(1)) else {
        return Err(format!(
            "the second field must be TRUE or FALSE, not \"{}\"",
            field(1)
        ));
    };
    let path = field(2);
    if !path.starts_with('/') {
        return Err(format!("the path \"{path}\" does not start with /"));
    }
    let Some(secure) = parse_bool_flag(field(3)) else {
        return Err(format!(
            "the fourth field must be TRUE or FALSE, not \"{}\"",
            field(3)
        ));
    };
    let expiry_text = field(4);
    let expires = match expiry_text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => {
            if secs == 0.0 {
                Expiry::Session
            } else {
                Expiry::AtUnixSecs(secs.min(MAX_WRITABLE_UNIX as f64) as i64)
            }
        }
        _ => {
            return Err(format!(
                "the expiry \"{expiry_text}\" is not a number of seconds"
            ));
        }
    };
    let name = field(5);
    if name.is_empty() {
        return Err("a cookie without a name was skipped".to_owned());
    }
    Ok(Some(ImportedCookie {
        name: name.to_owned(),
        value: Secret::new(field(6)),
        host_only: !include_subdomains && !raw_domain.starts_with('.'),
        domain,
        path: path.to_owned(),
        expires,
        secure,
        http_only,
        same_site: None,
        attributes_known: true,
        line: line_no,
    }))
}
