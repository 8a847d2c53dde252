//! What the answers mean for the user, as findings.

use super::*;

/// Everything the findings rest on.
pub(super) struct Facts<'a> {
    pub(super) host: &'a str,
    pub(super) system: &'a Result<Vec<IpAddr>, String>,
    pub(super) fresh: &'a [ResolverAnswer],
    pub(super) hosts: &'a [HostsEntry],
    pub(super) hosts_path: &'a Path,
    pub(super) os: Os,
    pub(super) timeout: Duration,
    pub(super) config_note: Option<&'a str>,
}

/// The fresh addresses of one family, from the servers whose answers count.
pub(super) struct Reference {
    /// Addresses given by any counted server, per family.
    pub(super) ipv4: BTreeSet<IpAddr>,
    pub(super) ipv6: BTreeSet<IpAddr>,
    /// Whether any counted server gave a definite answer for the family.
    pub(super) ipv4_known: bool,
    pub(super) ipv6_known: bool,
}

impl Reference {
    pub(super) fn all(&self) -> BTreeSet<IpAddr> {
        self.ipv4.union(&self.ipv6).copied().collect()
    }
}

/// The servers whose answers count as "fresh": this computer's own cache (a server on loopback
/// that this computer is set up to use) remembers answers too, so it counts only when nobody else answered.
pub(super) fn counted_servers(fresh: &[ResolverAnswer]) -> Vec<&ResolverAnswer> {
    let is_local_cache = |answer: &ResolverAnswer| {
        answer.kind == ServerKind::System
            && answer
                .server
                .parse::<SocketAddr>()
                .is_ok_and(|address| address.ip().is_loopback())
    };
    let others: Vec<&ResolverAnswer> = fresh
        .iter()
        .filter(|answer| !is_local_cache(answer) && answer.outcome.is_definite())
        .collect();
    if others.is_empty() {
        fresh.iter().collect()
    } else {
        others
    }
}

pub(super) fn reference(counted: &[&ResolverAnswer]) -> Reference {
    let mut reference = Reference {
        ipv4: BTreeSet::new(),
        ipv6: BTreeSet::new(),
        ipv4_known: false,
        ipv6_known: false,
    };
    for answer in counted {
        if answer.ipv4.outcome.is_definite() {
            reference.ipv4_known = true;
            reference.ipv4.extend(answer.ipv4.addresses.iter().copied());
        }
        if answer.ipv6.outcome.is_definite() {
            reference.ipv6_known = true;
            reference.ipv6.extend(answer.ipv6.addresses.iter().copied());
        }
    }
    reference
}

/// How one family of this computer's answer compares with the fresh one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FamilyDifference {
    /// Addresses this computer has that no fresh answer gave.
    pub(super) only_here: Vec<IpAddr>,
    /// Fresh addresses this computer does not have (reported only when it has none of the family).
    pub(super) missing_here: Vec<IpAddr>,
}

pub(super) fn family_difference(
    system: &[IpAddr],
    fresh: &BTreeSet<IpAddr>,
    known: bool,
) -> Option<FamilyDifference> {
    if !known {
        return None;
    }
    let only_here: Vec<IpAddr> = system
        .iter()
        .copied()
        .filter(|address| !fresh.contains(address))
        .collect();
    let missing_here: Vec<IpAddr> = if system.is_empty() {
        fresh.iter().copied().collect()
    } else {
        Vec::new()
    };
    if only_here.is_empty() && missing_here.is_empty() {
        None
    } else {
        Some(FamilyDifference {
            only_here,
            missing_here,
        })
    }
}

/// The findings, ranked, from the facts gathered.
pub(super) fn assess(facts: &Facts<'_>) -> Vec<Finding> {
    let counted = counted_servers(facts.fresh);
    let reference = reference(&counted);
    let fresh_all = reference.all();
    let definite = counted.iter().any(|answer| answer.outcome.is_definite());
    let hosts_addresses: BTreeSet<IpAddr> = facts.hosts.iter().map(|e| e.address).collect();
    let mut findings = Vec::new();

    let system_addresses: &[IpAddr] = match facts.system {
        Ok(addresses) => addresses,
        Err(_) => &[],
    };
    let from_hosts_file = !system_addresses.is_empty()
        && system_addresses
            .iter()
            .all(|address| hosts_addresses.contains(address));

    if !definite {
        findings.push(nobody_answered(facts));
    } else if fresh_all.is_empty() {
        findings.push(name_not_found(facts, &counted));
        if !system_addresses.is_empty() && !from_hosts_file {
            findings.push(
                mismatch(
                    facts,
                    format!(
                        "This computer still goes to {} for {}, but DNS servers now say the name has no \
                         address. This computer remembers an old answer.",
                        list_addresses(system_addresses),
                        facts.host
                    ),
                )
                .severity(Severity::Problem),
            );
        }
    } else if let Err(why) = facts.system {
        findings.push(mismatch(
            facts,
            format!(
                "{why} DNS servers do know it: {}. This computer probably remembers an earlier \
                 \"not found\" answer.",
                list_addresses(&fresh_all.iter().copied().collect::<Vec<_>>()),
            ),
        ));
    } else {
        let system_v4: Vec<IpAddr> = system_addresses
            .iter()
            .copied()
            .filter(IpAddr::is_ipv4)
            .collect();
        let system_v6: Vec<IpAddr> = system_addresses
            .iter()
            .copied()
            .filter(IpAddr::is_ipv6)
            .collect();
        let v4 = family_difference(&system_v4, &reference.ipv4, reference.ipv4_known);
        let v6 = family_difference(&system_v6, &reference.ipv6, reference.ipv6_known);
        match (&v4, &v6) {
            (Some(v4), v6) => {
                let mut detail = format!(
                    "This computer goes to {} for {}, but DNS servers answer {} right now.",
                    list_addresses(system_addresses),
                    facts.host,
                    list_addresses(&fresh_all.iter().copied().collect::<Vec<_>>()),
                );
                if !v4.only_here.is_empty() {
                    let _ = write!(
                        detail,
                        " No DNS server gave {}.",
                        list_addresses(&v4.only_here)
                    );
                }
                if v6.is_some() {
                    detail.push_str(" The IPv6 addresses differ too.");
                }
                if from_hosts_file {
                    let _ = write!(
                        detail,
                        " The difference comes from the hosts file ({}), not from a remembered answer.",
                        hosts_lines_words(facts.hosts)
                    );
                } else {
                    detail.push_str(
                        " This computer most likely remembers an old answer (a stale DNS cache) and may \
                         be reaching an old server, where your sign-in can fail.",
                    );
                }
                let mut finding = mismatch(facts, detail);
                if from_hosts_file {
                    finding = finding
                        .title("The hosts file sends this computer to a different address")
                        .steps([format!(
                            "Switch off {} of the hosts file as shown in the hosts file finding, \
                                 then clear the DNS cache and restart the browser.",
                            hosts_lines_words(facts.hosts)
                        )]);
                }
                findings.push(finding);
            }
            (None, Some(v6)) => {
                let detail = if v6.only_here.is_empty() {
                    format!(
                        "This computer's IPv4 answer for {} matches DNS, and it has no IPv6 address, \
                         while DNS servers also give {}. This is normal when this computer or its \
                         network has no IPv6; it only matters if the site works differently over IPv6.",
                        facts.host,
                        list_addresses(&v6.missing_here)
                    )
                } else {
                    format!(
                        "This computer's IPv4 answer for {} matches DNS, but it has the IPv6 address {} \
                         that no DNS server gives now ({}). Browsers often try IPv6 first, so this \
                         computer may reach an old server over IPv6.",
                        facts.host,
                        list_addresses(&v6.only_here),
                        if reference.ipv6.is_empty() {
                            "they give no IPv6 address at all".to_owned()
                        } else {
                            format!(
                                "they give {}",
                                list_addresses(&reference.ipv6.iter().copied().collect::<Vec<_>>())
                            )
                        }
                    )
                };
                let mut finding =
                    with_evidence(Finding::new(Code::IpV6OnlyDifference, detail), facts);
                if v6.only_here.is_empty() {
                    finding = finding.severity(Severity::Info);
                }
                findings.push(finding);
            }
            (None, None) => {
                let mut detail = format!(
                    "This computer goes to {} for {}, which matches what DNS servers answer right now. \
                     Clearing (flushing) the DNS cache will not change anything.",
                    list_addresses(system_addresses),
                    facts.host
                );
                if let Some(note) = disagreement_note(&counted) {
                    detail.push(' ');
                    detail.push_str(&note);
                }
                findings.push(with_evidence(
                    Finding::new(Code::DnsConsistent, detail),
                    facts,
                ));
            }
        }
        if let Some(note) = disagreement_note(&counted) {
            if let Some(first) = findings.first_mut() {
                if first.code != Code::DnsConsistent {
                    first.evidence.push(crate::engine::finding::Evidence {
                        label: "Servers disagree".to_owned(),
                        value: note,
                    });
                }
            }
        }
    }

    if definite {
        if let (Some(note), Some(first)) = (silent_servers_note(facts), findings.first_mut()) {
            first.detail.push(' ');
            first.detail.push_str(&note);
        }
    }
    if !facts.hosts.is_empty() {
        findings.push(hosts_override(facts, &fresh_all, definite));
    }
    rank(&mut findings, None);
    findings
}

/// When some servers stayed silent or could not be asked while others answered: which, in words.
pub(super) fn silent_servers_note(facts: &Facts<'_>) -> Option<String> {
    let silent: Vec<String> = facts
        .fresh
        .iter()
        .filter(|answer| matches!(answer.outcome, Outcome::Timeout | Outcome::Error(_)))
        .map(|answer| {
            format!(
                "{} {}",
                server_label(answer),
                answer.outcome.plain_words(facts.timeout)
            )
        })
        .collect();
    if silent.is_empty() {
        None
    } else {
        Some(format!(
            "({}; the other servers' answers were used.)",
            silent.join("; ")
        ))
    }
}

/// A `dns-mismatch` finding with its evidence and first step.
pub(super) fn mismatch(facts: &Facts<'_>, detail: String) -> Finding {
    with_evidence(Finding::new(Code::DnsMismatch, detail), facts)
}

/// No server gave a definite answer: say which were silent and which failed.
pub(super) fn nobody_answered(facts: &Facts<'_>) -> Finding {
    let all_silent = facts
        .fresh
        .iter()
        .all(|answer| matches!(answer.outcome, Outcome::Timeout | Outcome::Error(_)));
    let any_servfail = facts.fresh.iter().any(|a| a.outcome == Outcome::ServFail);
    let system_found = facts.system.as_ref().is_ok_and(|a| !a.is_empty());
    let (title, mut detail) = if facts.fresh.is_empty() {
        (
            "No DNS server could be asked".to_owned(),
            "No DNS server was available to ask for a fresh answer.".to_owned(),
        )
    } else if all_silent {
        (
            format!(
                "No DNS server answered within {}",
                seconds_words(facts.timeout)
            ),
            format!(
                "No DNS server answered within {}, so there is no fresh answer to compare with. \
                 This network may block DNS servers other than its own, or this computer may be offline.",
                seconds_words(facts.timeout)
            ),
        )
    } else if any_servfail {
        (
            "DNS servers failed to look up the name (SERVFAIL)".to_owned(),
            format!(
                "DNS servers tried to look up {} but failed (the answer called SERVFAIL). This usually \
                 means the domain's own DNS servers are broken, unreachable, or misconfigured \
                 (for example a DNSSEC signature problem).",
                facts.host
            ),
        )
    } else {
        (
            "DNS servers would not look up the name".to_owned(),
            format!(
                "No DNS server gave an answer for {}: {}.",
                facts.host,
                servers_words(facts.fresh, facts.timeout)
            ),
        )
    };
    if let Some(note) = facts.config_note {
        detail.push(' ');
        detail.push_str(note);
    }
    if system_found {
        detail.push_str(
            " This computer itself did find an address, so the site may still work here; \
             DNS could not be checked.",
        );
    }
    let finding = Finding::new(Code::DnsFailure, detail).title(title);
    let finding = if system_found {
        finding.severity(Severity::Warning)
    } else {
        finding
    };
    let finding = if all_silent && !facts.fresh.is_empty() {
        finding.first_step(
            "Check that this computer is online, then run the check again; if it keeps happening, \
             this network probably allows only its own DNS server.",
        )
    } else {
        finding
    };
    with_evidence(finding, facts)
}

/// Every counted server answered that the name has no address: NXDOMAIN or no records.
pub(super) fn name_not_found(facts: &Facts<'_>, counted: &[&ResolverAnswer]) -> Finding {
    let nxdomain = counted.iter().any(|a| a.outcome == Outcome::NxDomain);
    let (title, detail) = if nxdomain {
        (
            "DNS says this name does not exist (NXDOMAIN)",
            format!(
                "DNS servers answer that {} does not exist (the answer called NXDOMAIN): no address is \
                 registered for it. Either the name has a typo, or the domain expired or its DNS records \
                 were deleted.",
                facts.host
            ),
        )
    } else {
        (
            "The name exists but has no address",
            format!(
                "DNS servers know {} but give no address for it (no A or AAAA record, an empty answer). \
                 Its DNS records are incomplete: a web address needs at least one A or AAAA record.",
                facts.host
            ),
        )
    };
    with_evidence(Finding::new(Code::DnsFailure, detail).title(title), facts)
}

/// The `hosts-override` finding: problem when the file's address is not what DNS answers.
pub(super) fn hosts_override(
    facts: &Facts<'_>,
    fresh_all: &BTreeSet<IpAddr>,
    definite: bool,
) -> Finding {
    let lines = hosts_lines_words(facts.hosts);
    let file_addresses: Vec<IpAddr> = facts.hosts.iter().map(|entry| entry.address).collect();
    let blocked = file_addresses.iter().any(IpAddr::is_unspecified);
    let matches_dns = definite
        && file_addresses
            .iter()
            .all(|address| fresh_all.contains(address));
    let (lines_of, give) = if facts.hosts.len() == 1 {
        ("Line", "gives")
    } else {
        ("Lines", "give")
    };
    let numbers = lines
        .trim_start_matches("lines ")
        .trim_start_matches("line ");
    let mut detail = format!(
        "{lines_of} {numbers} of the hosts file ({}) {give} {} the address {}, so this computer goes \
         there without asking DNS.",
        facts.hosts_path.display(),
        facts.host,
        list_addresses(&file_addresses)
    );
    let severity = if matches_dns {
        detail.push_str(
            " It is the same address DNS gives today, so it does no harm now, but the site will stop \
             working here when it moves to another server.",
        );
        Severity::Info
    } else if definite {
        if fresh_all.is_empty() {
            detail.push_str(
                " DNS has no address for this name, so the site works only on this computer.",
            );
        } else {
            let _ = write!(
                detail,
                " DNS gives {} instead, so this computer reaches a different server than everyone else.",
                list_addresses(&fresh_all.iter().copied().collect::<Vec<_>>())
            );
        }
        Severity::Problem
    } else {
        Severity::Warning
    };
    if blocked {
        detail.push_str(
            " The address 0.0.0.0 (or ::) means \"go nowhere\": it is how ad blockers and security \
             software block a site.",
        );
    }
    let mut finding = Finding::new(Code::HostsOverride, detail)
        .severity(severity)
        .steps(hosts_edit_steps(facts));
    for entry in facts.hosts {
        finding = finding.evidence(
            format!("Hosts file line {}", entry.line_number),
            entry.line.clone(),
        );
    }
    finding.evidence("Hosts file", facts.hosts_path.display().to_string())
}

/// How to switch the hosts file's lines off safely, on this OS.
pub(super) fn hosts_edit_steps(facts: &Facts<'_>) -> Vec<String> {
    let lines = hosts_lines_words(facts.hosts);
    let path = facts.hosts_path.display();
    let open = match facts.os {
        Os::Windows => format!(
            "Open the Start menu, type Notepad, right-click Notepad and choose \"Run as administrator\". \
             In Notepad choose File > Open, paste {path} into the file name box, set the file type to \
             \"All files\" and open it."
        ),
        Os::MacOs | Os::Linux => format!(
            "Open Terminal and type `sudo nano {path}`, then your password (nothing shows while you \
             type it). Press Ctrl+_ and type a line number to jump to it."
        ),
    };
    let save = match facts.os {
        Os::Windows => "Save with Ctrl+S and close Notepad.",
        Os::MacOs | Os::Linux => "Save with Ctrl+O then Enter, and leave nano with Ctrl+X.",
    };
    vec![
        open,
        format!(
            "Go to {lines} and type a # at the very start of the line: this switches it off without \
             deleting it, so it can be switched back on later."
        ),
        save.to_owned(),
        "Clear the DNS cache with the command shown for your system, then restart the browser.".to_owned(),
        "If you did not add this line and do not know who did, ask whoever looks after this computer \
         before changing it."
            .to_owned(),
    ]
}

/// "line 3" or "lines 3 and 7".
pub(super) fn hosts_lines_words(entries: &[HostsEntry]) -> String {
    let numbers: Vec<String> = entries
        .iter()
        .map(|entry| entry.line_number.to_string())
        .collect();
    match numbers.as_slice() {
        [one] => format!("line {one}"),
        [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
        [] => "no line".to_owned(),
    }
}

/// When counted servers disagree about whether the name exists, or give disjoint addresses, a note.
pub(super) fn disagreement_note(counted: &[&ResolverAnswer]) -> Option<String> {
    let answered: Vec<&&ResolverAnswer> = counted
        .iter()
        .filter(|a| a.outcome == Outcome::Answered)
        .collect();
    let missing: Vec<&&ResolverAnswer> = counted
        .iter()
        .filter(|a| matches!(a.outcome, Outcome::NxDomain | Outcome::NoAnswer))
        .collect();
    if !answered.is_empty() && !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|a| server_label(a)).collect();
        return Some(format!(
            "Not all DNS servers agree: {} found no address. The site's DNS records may have changed \
             in the last hours and not every server has the new answer yet.",
            names.join(", ")
        ));
    }
    None
}

/// The finding's evidence: this computer's answer, each fresh answer, and the notes.
pub(super) fn with_evidence(finding: Finding, facts: &Facts<'_>) -> Finding {
    let system = match facts.system {
        Ok(addresses) => list_addresses(addresses),
        Err(why) => why.clone(),
    };
    let mut finding = finding.evidence("This computer's answer", system);
    for answer in facts.fresh {
        finding = finding.evidence(server_label(answer), answer.summary.clone());
    }
    if let Some(note) = facts.config_note {
        finding = finding.evidence("DNS settings", note.to_owned());
    }
    finding
}

/// "Cloudflare's public DNS (1.1.1.1:53)".
pub(super) fn server_label(answer: &ResolverAnswer) -> String {
    format!("{} ({})", answer.name, answer.server)
}

/// Each server and what it said, in one sentence part.
pub(super) fn servers_words(fresh: &[ResolverAnswer], timeout: Duration) -> String {
    fresh
        .iter()
        .map(|answer| {
            format!(
                "{} {}",
                server_label(answer),
                answer.outcome.plain_words(timeout)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `203.0.113.7`, `203.0.113.7 and 2001:db8::7`, `a, b and c`.
pub(super) fn list_addresses(addresses: &[IpAddr]) -> String {
    let words: Vec<String> = addresses.iter().map(ToString::to_string).collect();
    match words.as_slice() {
        [] => "no address".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "2 seconds", "1 second", "1.5 seconds".
pub(super) fn seconds_words(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis % 1000 == 0 {
        span_text(duration.as_secs())
    } else {
        format!("{:.1} seconds", duration.as_secs_f64())
    }
}

/// How long an answer may be remembered, in words.
pub(super) fn ttl_words(ttl_secs: u32) -> String {
    if ttl_secs == 0 {
        return "not to be remembered at all".to_owned();
    }
    format!("may be remembered for {}", span_text(u64::from(ttl_secs)))
}
