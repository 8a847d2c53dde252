//! A copied `Cookie` header and `Set-Cookie` lines.

use super::{
    CookiePath, Expiry, ImportedCookie, Loader, RawCookie, SameSite, Secret, Url, normalize_domain,
    strip_prefix_ignore_case,
};

pub(super) fn import_cookie_header(text: &str, loader: &mut Loader) {
    let host = loader.site_host.clone();
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let mut line = raw_line.trim().trim_start_matches('\u{feff}');
        if let Some(rest) = strip_prefix_ignore_case(line, "cookie:") {
            line = rest.trim();
        }
        for part in line.split(';') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((name, value)) = part.split_once('=') else {
                loader.problem(
                    line_no,
                    "a part without '=' is not a name=value pair and was skipped",
                );
                continue;
            };
            let name = name.trim();
            if name.is_empty() {
                loader.problem(line_no, "a cookie without a name was skipped");
                continue;
            }
            loader.push_unchecked(ImportedCookie::from_request_header(
                name.to_owned(),
                value.trim(),
                &host,
                line_no,
            ));
        }
    }
}

// --- Set-Cookie lines ---------------------------------------------------------------------------

pub(super) fn import_set_cookie_lines(text: &str, loader: &mut Loader) {
    let site = loader.site.clone();
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw_line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        let line = strip_prefix_ignore_case(line, "set-cookie:").map_or(line, str::trim);
        match parse_set_cookie(line, &site, line_no) {
            Ok(cookie) => loader.push_unchecked(cookie),
            Err(message) => loader.problem(line_no, message),
        }
    }
}

/// Parses one `Set-Cookie` value as received from `origin`.
pub(super) fn parse_set_cookie(
    line: &str,
    origin: &Url,
    line_no: usize,
) -> Result<ImportedCookie, String> {
    let Some((name, _)) = line.split_once('=') else {
        return Err("this line has no name=value pair, so it is not a cookie".to_owned());
    };
    if name.trim().is_empty() {
        return Err("a cookie without a name was skipped".to_owned());
    }
    let raw = RawCookie::parse(line.to_owned())
        .map_err(|_| "this line could not be read as a Set-Cookie line".to_owned())?;
    let origin_host = origin.host_str().unwrap_or_default().to_ascii_lowercase();
    let (domain, host_only) = match raw.domain().filter(|d| !d.trim().is_empty()) {
        Some(d) => (
            normalize_domain(d).ok_or_else(|| format!("the Domain \"{d}\" is not a site name"))?,
            false,
        ),
        None => (origin_host, true),
    };
    let path = raw.path().filter(|p| p.starts_with('/')).map_or_else(
        || String::from(&CookiePath::default_path(origin)),
        str::to_owned,
    );
    let expires = if let Some(max_age) = raw.max_age() {
        Expiry::MaxAgeSecs(max_age.whole_seconds())
    } else if let Some(at) = raw.expires_datetime() {
        Expiry::AtUnixSecs(at.unix_timestamp())
    } else {
        Expiry::Session
    };
    Ok(ImportedCookie {
        name: raw.name().to_owned(),
        value: Secret::new(raw.value()),
        domain,
        host_only,
        path,
        expires,
        secure: raw.secure().unwrap_or(false),
        http_only: raw.http_only().unwrap_or(false),
        same_site: raw
            .same_site()
            .and_then(|s| SameSite::parse(&s.to_string())),
        attributes_known: true,
        line: line_no,
    })
}
