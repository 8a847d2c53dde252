//! Blocks by security plugins, firewalls and CDNs, with the steps to get unblocked.

use super::*;

/// The folder a WordPress security plugin lives in, under `wp-content/plugins/`.
pub(super) fn plugin_folder(name: &str) -> Option<&'static str> {
    match name {
        WORDFENCE => Some("wordfence"),
        SOLID => Some("better-wp-security"),
        AIOWPS => Some("all-in-one-wp-security-and-firewall"),
        LLAR => Some("limit-login-attempts-reloaded"),
        CERBER => Some("wp-cerber"),
        SHIELD => Some("wp-simple-firewall"),
        _ => None,
    }
}

/// Reference numbers a block page or header carries (Ray ID, Akamai reference, Imperva incident,
/// `ModSecurity` rule): none of them is a secret, and they let the site's owner find the event.
pub(super) fn block_details(all: &[&Exchange], name: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for exchange in all.iter().filter(|e| is_refusal(e.status)) {
        let (lower, body) = scan_body(exchange);
        let found: Option<(&str, String)> = match name {
            CLOUDFLARE => exchange
                .header("cf-ray")
                .map(|v| ("Ray ID", shorten(v, 60))),
            AKAMAI => reference_after(&lower, body, &["reference&#32;&#35;", "reference #"])
                .map(|r| ("Akamai reference", r)),
            IMPERVA => reference_after(&lower, body, &["incident id:", "incident id"])
                .map(|r| ("Incident ID", r)),
            MODSECURITY => modsecurity_rule_id(&lower).map(|r| ("Rule id", r)),
            SUCURI => exchange
                .header("x-sucuri-id")
                .map(|v| ("X-Sucuri-ID", shorten(v, 60))),
            AWS_WAF => exchange
                .header("x-amz-cf-id")
                .map(|v| ("CloudFront request id", shorten(v, 80))),
            _ => None,
        };
        if let Some((label, value)) = found {
            if let Some(action) = exchange
                .header("cf-mitigated")
                .filter(|_| name == CLOUDFLARE)
            {
                out.push(("CF-Mitigated".to_owned(), shorten(action, 40)));
            }
            out.push((label.to_owned(), value));
            break;
        }
    }
    out
}

/// The reference code right after one of `leads`: digits, letters, dots and dashes, with HTML
/// number entities (`&#46;`) decoded.
pub(crate) fn reference_after(lower: &str, body: &str, leads: &[&str]) -> Option<String> {
    let (pos, len) = leads
        .iter()
        .find_map(|l| lower.find(l).map(|p| (p, l.len())))?;
    let start = pos + len;
    let mut end = (start + 120).min(body.len());
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let raw = body.get(start..end)?;
    let decoded = decode_number_entities(raw);
    let reference: String = decoded
        .trim_start_matches([' ', ':', '#'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(60)
        .collect();
    (reference.len() >= 3).then_some(reference)
}

/// Decodes `&#46;`-style numeric entities (Akamai writes its reference numbers that way).
pub(super) fn decode_number_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("&#") {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let after = rest.get(pos + 2..).unwrap_or_default();
        let digits_end = after.find(';').filter(|e| *e <= 7);
        let decoded = digits_end
            .and_then(|e| after.get(..e))
            .and_then(|d| d.parse::<u32>().ok())
            .and_then(char::from_u32);
        if let (Some(c), Some(e)) = (decoded, digits_end) {
            out.push(c);
            rest = after.get(e + 1..).unwrap_or_default();
        } else {
            out.push_str("&#");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A `ModSecurity` rule id in the page (`[id "949110"]`, `rule id: 949110`).
pub(super) fn modsecurity_rule_id(lower: &str) -> Option<String> {
    for lead in ["[id \"", "rule id: ", "rule id ", "id: \""] {
        let Some(pos) = lower.find(lead) else {
            continue;
        };
        let digits: String = lower
            .get(pos + lead.len()..)
            .unwrap_or_default()
            .chars()
            .take_while(char::is_ascii_digit)
            .take(10)
            .collect();
        if digits.len() >= 3 {
            return Some(digits);
        }
    }
    None
}

pub(super) fn security_plugin_finding(answered: &Answered, extras: &[(String, String)]) -> Finding {
    let name = answered.name;
    let folder = plugin_folder(name).unwrap_or("the-plugin-folder");
    let detail = format!(
        "The {} answer at {} was made by {name}, a WordPress security plugin, not by the sign-in: \
         \"{}\". The password was never checked. Security plugins block after too many failed \
         sign-ins, for blocked IP addresses or countries, or when a request looks suspicious.",
        answered.status, answered.url, answered.value
    );
    let mut steps = vec![
        format!(
            "In WordPress, go to Plugins → Installed Plugins → Deactivate {name}, then try \
             again. If that fixes it, re-enable the plugins one at a time to find the one that \
             blocks, and change its setting instead of leaving it off."
        ),
        format!(
            "If you are locked out of wp-admin: with FTP or your hosting file manager, rename \
             the folder wp-content/plugins/{folder} to {folder}-off. WordPress then switches \
             the plugin off. Rename it back once you are in."
        ),
    ];
    if name == WORDFENCE {
        steps.push(
            "In Wordfence, open Firewall → Blocking to remove the block on your IP address, and \
             Tools → Live Traffic to see why it was blocked. The block page can also send an \
             unlock email to the site's administrator address."
                .to_owned(),
        );
    } else {
        steps.push(format!(
            "In {name}'s settings, look for its list of blocked or locked-out IP addresses and \
             remove yours."
        ));
    }
    let mut finding = Finding::new(Code::SecurityPluginBlock, detail)
        .title(format!("{name} blocked the request"))
        .steps(steps)
        .evidence("Status", answered.status.to_string())
        .evidence(answered.label.clone(), answered.value.clone());
    for (label, value) in extras {
        finding = finding.evidence(label.clone(), value.clone());
    }
    finding
}

pub(super) fn waf_steps(name: &str, rule_id: Option<&str>, panels: &[Detected]) -> Vec<String> {
    let rule = rule_id.map_or_else(String::new, |id| format!(" (rule {id})"));
    match name {
        CLOUDFLARE => vec![
            "In the Cloudflare dashboard, open the site, then Security → Events: find this \
             request by its Ray ID, time or your IP address and see which rule acted."
                .to_owned(),
            "Change that rule in Security → WAF (custom rules, managed rules, rate limiting), \
             or add a rule that allows your IP address or your app."
                .to_owned(),
            "If the page was a browser check (challenge), a browser passes it on its own; for \
             an app or script, add a custom rule with the Skip action for it."
                .to_owned(),
        ],
        SUCURI => vec![
            "In the Sucuri dashboard, open Firewall → Access Control and add your IP address to \
             the allow list (whitelist)."
                .to_owned(),
            "Sucuri's firewall reports (audit trails) show why this request was blocked; \
             relax that setting if real visitors are blocked."
                .to_owned(),
        ],
        AWS_WAF => vec![
            "In the AWS console, open WAF & Shield → Web ACLs, pick the web ACL attached to \
             this CloudFront distribution or load balancer, and look at Sampled requests to \
             find the rule that blocked."
                .to_owned(),
            "Change that rule, or add an allow rule for your IP address (an IP set) above it."
                .to_owned(),
        ],
        AKAMAI => vec![
            "Whoever manages Akamai for this site can look up the Reference number on the page \
             in Akamai Control Center (Web Security Analytics) and change the security \
             configuration that blocked it."
                .to_owned(),
            "If you do not manage Akamai yourself, send them the Reference number, the time \
             and your IP address."
                .to_owned(),
        ],
        IMPERVA => vec![
            "In the Imperva Cloud Security Console, open Security Events and search for the \
             incident ID shown on the page to see which rule blocked."
                .to_owned(),
            "Add an exception for that rule, or allow your IP address in the site's policy."
                .to_owned(),
        ],
        MODSECURITY => {
            let mut steps = Vec::new();
            if panels.iter().any(|p| p.name == CPANEL) {
                steps.push(format!(
                    "In cPanel, open Security → ModSecurity and switch it off for this domain \
                     to test; if that fixes it, switch it back on and ask your host to disable \
                     only the rule that blocks{rule}."
                ));
            }
            if panels.iter().any(|p| p.name == PLESK) {
                steps.push(format!(
                    "In Plesk, open the domain's Web Application Firewall settings and set it to \
                     Detection only to test, or switch off the rule that blocks{rule}."
                ));
            }
            steps.push(format!(
                "In your hosting panel, look for ModSecurity (sometimes called Web Application \
                 Firewall); the server's error log or ModSecurity audit log names the rule \
                 that blocked this request{rule}. Ask your host to disable that rule for your \
                 site."
            ));
            steps
        }
        IMUNIFY => vec![
            "In your hosting panel, open Imunify360 (or ask your host) and add your IP address \
             to its allow list (White List), or look up why it was blocked."
                .to_owned(),
        ],
        BITNINJA => vec![
            "Open the BitNinja dashboard (or ask your host) and add your IP address to the \
             allow list."
                .to_owned(),
        ],
        _ => vec![format!(
            "Open {name}'s settings or event log, find this request and change the rule that \
             blocked it."
        )],
    }
}

pub(super) fn waf_finding(
    answered: &Answered,
    extras: &[(String, String)],
    panels: &[Detected],
) -> Finding {
    let name = answered.name;
    let rule_id = extras
        .iter()
        .find(|(label, _)| label == "Rule id")
        .map(|(_, v)| v.as_str());
    let challenge = extras
        .iter()
        .any(|(label, value)| label == "CF-Mitigated" && value.eq_ignore_ascii_case("challenge"));
    let mut detail = format!(
        "The {} answer at {} was made by {name}, a firewall in front of the site, not by the \
         site itself: \"{}\". The site's own sign-in never saw the request, so no password can \
         help until {name} lets it through.",
        answered.status, answered.url, answered.value
    );
    if challenge {
        detail.push_str(
            " This was a browser check (a challenge page): a browser passes it on its own, but \
             apps and scripts cannot.",
        );
    }
    if name == AWS_WAF && answered.label == "Server" {
        detail.push_str(
            " AWS's load balancer answered itself; when it refuses a request this way it is \
             almost always AWS WAF (or a fixed-response rule on the load balancer).",
        );
    }
    let mut steps = waf_steps(name, rule_id, panels);
    steps.push(
        "If you do not run the site, send its owner the time, your IP address and any reference \
         number shown on the block page."
            .to_owned(),
    );
    let mut finding = Finding::new(Code::WafBlock, detail)
        .title(format!(
            "{name} blocked the request before it reached the site"
        ))
        .steps(steps)
        .evidence("Status", answered.status.to_string())
        .evidence(answered.label.clone(), answered.value.clone());
    for (label, value) in extras {
        finding = finding.evidence(label.clone(), value.clone());
    }
    finding
}

pub(super) fn cdn_finding(cdns: &[Detected], exchanges: &[Exchange]) -> Finding {
    let names = cdns
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut detail = format!(
        "Answers pass through {names}. A CDN answers from its own servers and only asks the \
         site when it must, so a 401 may be a copy kept by the CDN or an answer of its own."
    );
    let cached_401 = exchanges.iter().filter(|e| e.status == 401).find_map(|e| {
        ["cf-cache-status", "x-cache", "cdn-cache", "x-cache-status"]
            .iter()
            .find_map(|h| {
                e.header(h)
                    .filter(|v| v.to_ascii_lowercase().contains("hit"))
                    .map(|v| (*h, v.to_owned()))
            })
    });
    let mut finding = Finding::new(Code::CdnInFront, String::new());
    if let Some((header, value)) = &cached_401 {
        let _ = write!(
            detail,
            " The 401 answer here came from the CDN's cache ({header}: {value}): even after the \
             sign-in is fixed, visitors may keep getting this stored copy."
        );
        finding = finding
            .first_step("Purge this address from the CDN's cache, then check again.")
            .evidence(header.to_owned(), value.clone());
    }
    finding.detail = detail;
    for cdn in cdns {
        for (label, value) in cdn.evidence.iter().take(2) {
            finding = finding.evidence(format!("{} ({label})", cdn.name), value.clone());
        }
    }
    finding
}
