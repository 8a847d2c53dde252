//! IP allow lists: answers that refuse the visitor's address, and the address the site saw.

use super::*;

/// Phrases that say an IP rule refused the request.
pub(super) const IP_PHRASES: &[&str] = &[
    "access denied for ip",
    "access denied for your ip",
    "ip address is not allowed",
    "ip address not allowed",
    "ip is not allowed",
    "ip not allowed",
    "ip address is not permitted",
    "ip not permitted",
    "ip address is not authorized",
    "ip address is not authorised",
    "ip address has been blocked",
    "ip has been blocked",
    "ip address is blocked",
    "ip is blocked",
    "ip address was blocked",
    "ip address has been banned",
    "ip has been banned",
    "ip address is blacklisted",
    "ip is blacklisted",
    "ip address is not whitelisted",
    "ip is not whitelisted",
    "not in the list of allowed ip",
    "not on the allow list",
    "not in the allow list",
    "not on the allowlist",
    "not in the allowlist",
    "client denied by server configuration",
    "ip address rejected",
    "ip address of the client has been rejected",
    "ip address of the client has been denied",
    "restricted by ip",
    "ip address restriction",
    "ip restriction",
    "ip-restricted",
    "web app you have attempted to reach has blocked your access",
];

/// Phrases that say the visitor's country or region is refused.
pub(super) const LOCATION_PHRASES: &[&str] = &[
    "access from your country",
    "your country has been blocked",
    "your country is blocked",
    "not available in your country",
    "not available in your region",
    "access from your location",
    "access from your region",
];

/// Words that, shortly after "your ip", make it a refusal.
pub(super) const REFUSAL_WORDS: &[&str] = &[
    "not allowed",
    "denied",
    "blocked",
    "banned",
    "not permitted",
    "restricted",
    "rejected",
    "not authorized",
    "not authorised",
    "blacklisted",
    "not whitelisted",
];

/// An answer that says an IP (or location) rule refused the request. Only error answers count,
/// and only when the text says so: a bare "403 Forbidden" proves nothing.
#[must_use]
pub fn ip_restriction(exchanges: &[Exchange]) -> Option<IpRestriction> {
    exchanges
        .iter()
        .filter(|e| e.status >= 400 && e.status != 429)
        .find_map(|e| {
            let (lower, body) = scan_body(e);
            let (pos, len, by_location) = find_any(&lower, IP_PHRASES)
                .map(|(p, l)| (p, l, false))
                .or_else(|| your_ip_refusal(&lower).map(|(p, l)| (p, l, false)))
                .or_else(|| find_any(&lower, LOCATION_PHRASES).map(|(p, l)| (p, l, true)))?;
            Some(IpRestriction {
                message: snippet_around(body, pos, len),
                url: e.url.clone(),
                status: e.status,
                by_location,
            })
        })
}

/// "Your IP … denied": a refusal word within 80 bytes after a mention of the visitor's IP.
pub(super) fn your_ip_refusal(lower: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    for _ in 0..16 {
        work::add(lower.len().saturating_sub(from));
        let pos = from + lower.get(from..)?.find("your ip")?;
        let mut end = (pos + 80).min(lower.len());
        while !lower.is_char_boundary(end) {
            end -= 1;
        }
        let window = lower.get(pos..end).unwrap_or_default();
        if let Some(word_end) = REFUSAL_WORDS
            .iter()
            .filter_map(|w| window.find(w).map(|p| p + w.len()))
            .min()
        {
            return Some((pos, word_end));
        }
        from = pos + "your ip".len();
    }
    None
}

/// Response headers that some servers and firewalls use to echo the visitor's address.
pub(super) const IP_HEADERS: &[(&str, &str)] = &[
    ("x-your-ip", "X-Your-IP header"),
    ("x-client-ip", "X-Client-IP header"),
    ("x-real-ip", "X-Real-IP header"),
    ("x-remote-ip", "X-Remote-IP header"),
    ("x-remote-addr", "X-Remote-Addr header"),
    ("x-visitor-ip", "X-Visitor-IP header"),
];

/// Page texts that come right before the visitor's address.
pub(super) const IP_LEADS: &[&str] = &[
    "your ip address is",
    "your ip address:",
    "your ip is",
    "your ip:",
    "your computer's ip address",
    "your ip address",
    "your ip",
    "cf-footer-ip",
    "client ip:",
    "visitor ip:",
    "remote address:",
    "ip address:",
];

/// The public address the server saw, when a header or the page names it.
#[must_use]
pub fn seen_ip(exchanges: &[Exchange]) -> Option<SeenIp> {
    for e in exchanges.iter().rev() {
        for (name, source) in IP_HEADERS {
            if let Some(ip) = e.header(name).and_then(|v| first_ip(v, 1)) {
                return Some(SeenIp {
                    ip,
                    source: (*source).to_owned(),
                });
            }
        }
    }
    for e in exchanges.iter().rev() {
        let (lower, body) = scan_body(e);
        for lead in IP_LEADS {
            let Some(pos) = lower.find(lead) else {
                continue;
            };
            let start = pos + lead.len();
            let mut end = (start + 120).min(body.len());
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            if let Some(ip) = body
                .get(start..end)
                .and_then(|w| first_ip(&strip_tags(w), 4))
            {
                return Some(SeenIp {
                    ip,
                    source: "page text".to_owned(),
                });
            }
        }
    }
    None
}

/// The first IP address among the first `max_words` address-like words of `text`.
pub(super) fn first_ip(text: &str, max_words: usize) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
        .filter(|w| !w.is_empty())
        .take(max_words.max(1) * 4)
        .map(|w| w.trim_matches(['.', ':']))
        .filter_map(|w| w.parse::<IpAddr>().ok())
        .find(|ip| !ip.is_unspecified() && !ip.is_loopback())
        .map(|ip| ip.to_string())
}

/// The `ip-restricted` finding.
#[must_use]
pub fn ip_finding(restriction: &IpRestriction, seen: Option<&SeenIp>) -> Finding {
    let what = if restriction.by_location {
        "only accepts visitors from certain countries or regions"
    } else {
        "only accepts visitors from certain IP addresses"
    };
    let mut detail = format!(
        "The answer ({}) says the site {what}, and this connection is not one of them: \"{}\". \
         A password cannot get past this rule.",
        restriction.status, restriction.message
    );
    if let Some(seen) = seen {
        let _ = write!(
            detail,
            " The server saw this connection coming from {} ({}).",
            seen.ip, seen.source
        );
    }
    let mut finding = Finding::new(Code::IpRestricted, detail)
        .evidence("Status", restriction.status.to_string())
        .evidence("Message on the page", restriction.message.clone())
        .evidence("Answer", restriction.url.clone());
    if restriction.by_location {
        finding = finding.title("The site does not accept visitors from this location");
    }
    if let Some(seen) = seen {
        finding = finding
            .first_step(format!(
                "If you run the site, add {} to the allow list (it is the address the server saw), \
                 or remove the rule.",
                seen.ip
            ))
            .evidence(
                format!("Your IP as seen by the server ({})", seen.source),
                seen.ip.clone(),
            );
    }
    finding
}
