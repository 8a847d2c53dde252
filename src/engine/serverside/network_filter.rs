//! Filters and proxies on the visitor's network that answer in the site's place.

use super::{Code, Exchange, Finding, Severity, find_any, scan_body, shorten, snippet_around};

/// Page texts of web filters that companies, schools and hotels put on their networks.
pub(super) const FILTER_SIGNS: &[(&str, &str)] = &[
    ("zscaler", "Zscaler"),
    ("fortiguard", "Fortinet FortiGuard"),
    ("fortigate", "Fortinet FortiGate"),
    ("sophos", "Sophos"),
    ("cisco umbrella", "Cisco Umbrella"),
    ("opendns", "Cisco Umbrella (OpenDNS)"),
    ("palo alto networks", "Palo Alto Networks"),
    ("bluecoat", "Blue Coat"),
    ("blue coat", "Blue Coat"),
    ("symantec web security", "Symantec Web Security"),
    ("netskope", "Netskope"),
    ("forcepoint", "Forcepoint"),
    ("websense", "Websense"),
    ("barracuda web security", "Barracuda Web Security"),
];

/// Findings for answers made by a filter or proxy on the visitor's network rather than the
/// site (the 407 itself is handled by the main diagnosis). A squid that answers when this
/// computer uses no proxy (`through_proxy` false), or that asks for a sign-in with 401, is the
/// site's own reverse proxy, not a filter on the visitor's network.
#[must_use]
pub fn network_filter_findings(exchanges: &[Exchange], through_proxy: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in exchanges {
        if e.status == 407 {
            continue;
        }
        if e.status == 401
            && let Some(value) = e.header("proxy-authenticate")
        {
            out.push(
                Finding::new(
                    Code::ProxyAuthRequired,
                    "The 401 answer also carries a Proxy-Authenticate header, which only proxies \
                     send. A proxy between this computer and the site may be the one asking for \
                     a sign-in, not the site.",
                )
                .title("A proxy may be asking for the sign-in, not the site")
                .severity(Severity::Warning)
                .evidence("Status", "401")
                .evidence("Proxy-Authenticate", shorten(value, 200))
                .evidence("Answer", e.url.clone()),
            );
            break;
        }
        if e.status < 400 {
            continue;
        }
        let squid = (through_proxy && e.status != 401)
            .then(|| e.header("x-squid-error"))
            .flatten()
            .map(|v| ("X-Squid-Error", v))
            .or_else(|| {
                e.header("server")
                    .filter(|s| {
                        through_proxy
                            && e.status != 401
                            && s.to_ascii_lowercase().starts_with("squid")
                    })
                    .map(|v| ("Server", v))
            });
        let (lower, body) = scan_body(e);
        let filter = squid
            .map(|(label, value)| {
                (
                    "Squid proxy".to_owned(),
                    label.to_owned(),
                    shorten(value, 120),
                )
            })
            .or_else(|| {
                let blocked = [
                    "blocked",
                    "web filter",
                    "web page blocked",
                    "access denied",
                    "policy",
                ];
                find_any(&lower, &blocked)?;
                FILTER_SIGNS.iter().find_map(|(needle, name)| {
                    lower.find(needle).map(|pos| {
                        (
                            (*name).to_owned(),
                            "Page text".to_owned(),
                            snippet_around(body, pos, needle.len()),
                        )
                    })
                })
            });
        if let Some((name, label, value)) = filter {
            out.push(
                Finding::new(
                    Code::ProxyAuthRequired,
                    format!(
                        "The {} answer was made by {name}, a filter or proxy on the network this \
                         computer uses, not by the site. The site never saw the request, so its \
                         password cannot help.",
                        e.status
                    ),
                )
                .title("A filter on your network answered, not the site")
                .steps([
                    "Try from another network, for example your phone's mobile data: if the site \
                     works there, the filter is the cause.",
                    "Ask your IT department to allow this site, giving them the address and the \
                     time.",
                ])
                .evidence("Status", e.status.to_string())
                .evidence(label, value)
                .evidence("Answer", e.url.clone()),
            );
            break;
        }
    }
    out
}
