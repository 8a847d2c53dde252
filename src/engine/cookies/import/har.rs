//! The cookies sent and set in a HAR file.

use super::{
    CookieFlags, CookiePath, DeserializeSeed, EachElement, Expiry, Field, HashMap, HashSet,
    ImportProblem, ImportedCookie, Jar, Loader, MAX_WRITABLE_UNIX, PhantomData, RawEntry,
    RawRequest, RawResponse, Secret, UNIX_EPOCH, Url, Value, array_element_lines, json_problem,
    normalize_domain, obj_str, parse_set_cookie, raw_headers, related_to_site,
};

/// Seconds since 1970 for an RFC 3339 / ISO 8601 time like `2025-03-01T10:00:00.000Z`.
pub(in crate::engine::cookies) fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let rest = text.get(10..).unwrap_or_default();
    let (mut secs_of_day, mut offset) = (0i64, 0i64);
    if let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
        let hms = time.get(..8)?;
        let mut t = hms.split(':');
        let h: i64 = t.next()?.parse().ok()?;
        let m: i64 = t.next()?.parse().ok()?;
        let s: i64 = t.next()?.parse().ok()?;
        secs_of_day = h * 3600 + m * 60 + s;
        let zone = time
            .get(8..)
            .unwrap_or_default()
            .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
            let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
            let oh: i64 = digits.get(..2)?.parse().ok()?;
            let om: i64 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            offset = (oh * 3600 + om * 60) * if sign == '-' { -1 } else { 1 };
        }
    }
    // Days from civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + secs_of_day - offset)
}

/// Which side of a HAR entry a cookie object comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum HarSide {
    /// `request.cookies`: the cookie as the browser stored it (Chrome writes its domain and path;
    /// a domain without a leading dot means host-only).
    Request,
    /// `response.cookies`: the cookie as the site set it (a domain means a `Domain` attribute).
    Response,
}

/// A HAR cookie object (`name`, `value`, `path`, `domain`, `expires` as ISO time…).
pub(super) fn har_cookie(
    value: &Value,
    origin: &Url,
    line: usize,
    side: HarSide,
) -> Result<ImportedCookie, String> {
    let which = match side {
        HarSide::Request => "request",
        HarSide::Response => "response",
    };
    let Value::Object(obj) = value else {
        return Err(format!("a {which} cookie is not an object"));
    };
    let name = obj_str(obj, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| format!("a {which} cookie has no \"name\" and was skipped"))?;
    let origin_host = origin.host_str().unwrap_or_default().to_ascii_lowercase();
    let (domain, host_only) = match obj_str(obj, "domain")?.filter(|d| !d.trim().is_empty()) {
        Some(d) => (
            normalize_domain(d).ok_or_else(|| format!("\"{d}\" is not a site name"))?,
            side == HarSide::Request && !d.trim().starts_with('.'),
        ),
        None => (origin_host, true),
    };
    let path = obj_str(obj, "path")?
        .filter(|p| p.starts_with('/'))
        .map_or_else(
            || String::from(&CookiePath::default_path(origin)),
            str::to_owned,
        );
    let expires = match obj.get("expires") {
        Some(Value::String(s)) if !s.trim().is_empty() => match parse_iso8601(s) {
            Some(secs) => Expiry::AtUnixSecs(secs),
            None => httpdate::parse_http_date(s)
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(Expiry::Session, |d| {
                    Expiry::AtUnixSecs(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                }),
        },
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|s| *s > 0.0)
            .map_or(Expiry::Session, |s| {
                Expiry::AtUnixSecs(s.min(MAX_WRITABLE_UNIX as f64) as i64)
            }),
        _ => Expiry::Session,
    };
    let value = Secret::new(obj_str(obj, "value")?.unwrap_or_default());
    let flags = CookieFlags::read(obj)?;
    Ok(ImportedCookie {
        name: name.trim().to_owned(),
        value,
        domain,
        host_only,
        path,
        expires,
        secure: flags.secure,
        http_only: flags.http_only,
        same_site: flags.same_site,
        attributes_known: true,
        line,
    })
}

/// What a HAR gives: the cookies the browser sent on the last request to the site, and the
/// cookies the site set along the way.
#[derive(Default)]
pub(super) struct HarState {
    pub(super) site_entries: usize,
    pub(super) last_sent: Vec<ImportedCookie>,
    pub(super) set: Jar,
}

pub(super) fn import_har(text: &str, loader: &mut Loader) {
    let text = text.trim_start_matches('\u{feff}');
    let lines = array_element_lines(text, Some(("entries", 2)));
    let site_host = loader.site_host.clone();
    let mut state = HarState::default();
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut each = |index: usize, entry: RawEntry| {
        let line = lines.get(index).copied().unwrap_or(0);
        let Some(url) = entry.request.url.as_str().and_then(|u| Url::parse(u).ok()) else {
            problems.push(ImportProblem {
                line,
                message: format!("entry {}: the request has no usable address", index + 1),
            });
            return;
        };
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !related_to_site(&host, &site_host) {
            return;
        }
        let same_host = host == site_host;
        if same_host {
            state.site_entries += 1;
            let sent = har_sent_cookies(&entry.request, &url, line, index, &mut problems);
            if !sent.is_empty() {
                state.last_sent = sent;
            }
        }
        for cookie in har_set_cookies(&entry.response, &url, line, index, &mut problems) {
            // From a sibling name (login.example.com), keep only cookies that reach this site.
            let reaches_site = !cookie.host_only
                && related_to_site(&cookie.domain, &site_host)
                && (site_host == cookie.domain
                    || site_host.ends_with(&format!(".{}", cookie.domain)));
            if same_host || reaches_site {
                state.set.put(cookie);
            }
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Field {
        key: "log",
        inner: Some(Field {
            key: "entries",
            inner: Some(EachElement {
                each: &mut each,
                element: PhantomData::<RawEntry>,
            }),
        }),
    }
    .deserialize(&mut de);
    for p in problems {
        loader.problem(p.line, p.message);
    }
    match result {
        Ok(Some(Some(()))) => {}
        Ok(_) => loader.problem(
            0,
            "this file has no log.entries list, so it is not a HAR file from the browser's Network tab",
        ),
        Err(e) => {
            let p = json_problem(&e, "HAR file");
            loader.problem(p.line, p.message);
        }
    }
    if state.site_entries == 0 {
        loader.problem(
            0,
            format!(
                "the HAR file has no request to {site_host}; record it while opening this site"
            ),
        );
    } else if state.last_sent.is_empty() && state.set.cookies.is_empty() {
        loader.problem(
            0,
            "the HAR file has requests to this site but no cookies: Chrome and Edge leave them out unless you choose 'Export HAR (with sensitive data)'",
        );
    }
    // The request cookies show what the browser really sent. Chrome writes their domain and
    // path; Firefox only names and values, so their attributes come from Set-Cookie: a name the
    // site set once and the browser sent once is the same cookie, kept with its attributes. A
    // name sent several times is kept as sent, since that is the evidence.
    let (known_sent, unknown_sent): (Vec<ImportedCookie>, Vec<ImportedCookie>) = state
        .last_sent
        .into_iter()
        .partition(|c| c.attributes_known);
    let mut sent_count: HashMap<&str, usize> = HashMap::new();
    for c in &unknown_sent {
        *sent_count.entry(c.name.as_str()).or_default() += 1;
    }
    let duplicated: HashSet<String> = sent_count
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    let set_names: HashSet<String> = state
        .set
        .cookies
        .iter()
        .chain(&known_sent)
        .map(|c| c.name.clone())
        .collect();
    // Set-Cookie first, then what was sent: the sent copy (with Chrome's absolute end date and
    // the value the browser really had) replaces the set one and keeps its place.
    for cookie in state.set.cookies {
        if !duplicated.contains(&cookie.name) {
            loader.push_unchecked(cookie);
        }
    }
    for mut cookie in known_sent {
        // Chrome may leave a sent cookie's end date and SameSite empty: take them from Set-Cookie.
        if let Some(set) = loader.jar.same_as(&cookie) {
            if cookie.expires == Expiry::Session {
                cookie.expires = set.expires;
            }
            cookie.same_site = cookie.same_site.or(set.same_site);
        }
        loader.push_unchecked(cookie);
    }
    for cookie in unknown_sent {
        if duplicated.contains(&cookie.name) || !set_names.contains(&cookie.name) {
            loader.push_unchecked(cookie);
        }
    }
}

pub(super) fn har_sent_cookies(
    request: &RawRequest,
    url: &Url,
    line: usize,
    index: usize,
    problems: &mut Vec<ImportProblem>,
) -> Vec<ImportedCookie> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut known: Vec<ImportedCookie> = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(list) = request.cookies.as_array().filter(|l| !l.is_empty()) {
        for c in list {
            let has_domain = c
                .get("domain")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.trim().is_empty());
            if has_domain {
                match har_cookie(c, url, line, HarSide::Request) {
                    Ok(cookie) => known.push(cookie),
                    Err(message) => problems.push(ImportProblem {
                        line,
                        message: format!("entry {}: {message}", index + 1),
                    }),
                }
                continue;
            }
            let name = c.get("name").and_then(Value::as_str).map(str::trim);
            let value = c.get("value").and_then(Value::as_str).unwrap_or_default();
            match name {
                Some(n) if !n.is_empty() => pairs.push((n.to_owned(), value.to_owned())),
                _ => problems.push(ImportProblem {
                    line,
                    message: format!(
                        "entry {}: a request cookie has no \"name\" and was skipped",
                        index + 1
                    ),
                }),
            }
        }
    } else {
        for header in raw_headers(&request.headers, "cookie") {
            for part in header.split(';') {
                if let Some((n, v)) = part.split_once('=') {
                    if !n.trim().is_empty() {
                        pairs.push((n.trim().to_owned(), v.trim().to_owned()));
                    }
                }
            }
        }
    }
    known.extend(
        pairs
            .into_iter()
            .map(|(name, value)| ImportedCookie::from_request_header(name, &value, &host, line)),
    );
    known
}

pub(super) fn har_set_cookies(
    response: &RawResponse,
    origin: &Url,
    line: usize,
    index: usize,
    problems: &mut Vec<ImportProblem>,
) -> Vec<ImportedCookie> {
    let mut out = Vec::new();
    // Set-Cookie header lines keep every attribute (Max-Age, SameSite) exactly as sent.
    for header in raw_headers(&response.headers, "set-cookie") {
        for one in header.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            match parse_set_cookie(one, origin, line) {
                Ok(c) => out.push(c),
                Err(message) => problems.push(ImportProblem {
                    line,
                    message: format!("entry {}: {message}", index + 1),
                }),
            }
        }
    }
    if out.is_empty() {
        for c in response.cookies.as_array().into_iter().flatten() {
            match har_cookie(c, origin, line, HarSide::Response) {
                Ok(c) => out.push(c),
                Err(message) => problems.push(ImportProblem {
                    line,
                    message: format!("entry {}: {message}", index + 1),
                }),
            }
        }
    }
    out
}
