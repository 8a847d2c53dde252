//! Unit tests of this folder's module.

use super::*;

const SAMPLE_HOSTS: &str = "\
# Copyright (c) 1993-2009 Microsoft Corp.
#
#      102.54.94.97     rhino.acme.com          # source server

127.0.0.1       localhost
::1             localhost ip6-localhost ip6-loopback
10.0.0.5\tStaging.Example.COM   www.example.com   # moved to new server
   # 10.0.0.6 example.com
fe80::1%lo0     example.com
not-an-ip       example.com
0.0.0.0         ads.example.net
192.0.2.1
";

fn ip(text: &str) -> IpAddr {
    text.parse()
        .unwrap_or_else(|_| panic!("bad test address {text}"))
}

fn family(addresses: &[&str], outcome: Outcome) -> FamilyAnswer {
    FamilyAnswer {
        addresses: addresses.iter().map(|a| ip(a)).collect(),
        ttl_secs: if addresses.is_empty() {
            None
        } else {
            Some(300)
        },
        outcome,
    }
}

fn answer(
    kind: ServerKind,
    server: &str,
    ipv4: FamilyAnswer,
    ipv6: FamilyAnswer,
) -> ResolverAnswer {
    let spec = ServerSpec {
        address: server
            .parse()
            .unwrap_or_else(|_| panic!("bad server {server}")),
        kind,
        name: "Test server".to_owned(),
    };
    combine(&spec, ipv4, ipv6, DEFAULT_TIMEOUT)
}

fn answered(v4: &[&str], v6: &[&str]) -> ResolverAnswer {
    let outcome = |list: &[&str]| {
        if list.is_empty() {
            Outcome::NoAnswer
        } else {
            Outcome::Answered
        }
    };
    answer(
        ServerKind::Chosen,
        "127.0.0.1:5353",
        family(v4, outcome(v4)),
        family(v6, outcome(v6)),
    )
}

fn failed(outcome: Outcome) -> ResolverAnswer {
    answer(
        ServerKind::Chosen,
        "127.0.0.1:5354",
        family(&[], outcome.clone()),
        family(&[], outcome),
    )
}

fn assess_with(
    system: &Result<Vec<IpAddr>, String>,
    fresh: &[ResolverAnswer],
    hosts: &[HostsEntry],
) -> Vec<Finding> {
    assess(&Facts {
        host: "site.test",
        system,
        fresh,
        hosts,
        hosts_path: Path::new("/etc/hosts"),
        os: Os::Linux,
        timeout: DEFAULT_TIMEOUT,
        config_note: None,
    })
}

fn codes(findings: &[Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn hosts_parsing_keeps_address_lines_with_their_line_numbers() {
    let entries = parse_hosts(SAMPLE_HOSTS);
    let numbers: Vec<usize> = entries.iter().map(|e| e.line_number).collect();
    assert_eq!(numbers, vec![5, 6, 7, 9, 11]);
    assert_eq!(entries[2].address, ip("10.0.0.5"));
    assert_eq!(
        entries[2].names,
        vec!["Staging.Example.COM", "www.example.com"]
    );
    assert_eq!(
        entries[2].line,
        "10.0.0.5\tStaging.Example.COM   www.example.com   # moved to new server"
    );
    assert_eq!(entries[3].address, ip("fe80::1"));
}

#[test]
fn hosts_lookup_matches_names_and_aliases_ignoring_case_and_a_final_dot() {
    let staging = hosts_entries_for(SAMPLE_HOSTS, "staging.example.com.");
    assert_eq!(staging.len(), 1);
    assert_eq!(staging[0].line_number, 7);
    let alias = hosts_entries_for(SAMPLE_HOSTS, "WWW.EXAMPLE.COM");
    assert_eq!(alias.len(), 1);
    let ipv6 = hosts_entries_for(SAMPLE_HOSTS, "ip6-loopback");
    assert_eq!(ipv6[0].address, ip("::1"));
}

#[test]
fn hosts_lookup_ignores_commented_out_and_broken_lines() {
    let entries = hosts_entries_for(SAMPLE_HOSTS, "example.com");
    let numbers: Vec<usize> = entries.iter().map(|e| e.line_number).collect();
    assert_eq!(numbers, vec![9], "only the IPv6 line with a zone counts");
    assert!(hosts_entries_for(SAMPLE_HOSTS, "rhino.acme.com").is_empty());
    assert!(hosts_entries_for(SAMPLE_HOSTS, "example").is_empty());
}

#[test]
fn hosts_files_with_windows_line_endings_and_byte_order_marks_are_read() {
    let crlf = "\u{feff}127.0.0.1 localhost\r\n10.1.2.3 site.test\r\n";
    let entries = hosts_entries_for(crlf, "site.test");
    assert_eq!(entries[0].line_number, 2);
    assert_eq!(entries[0].line, "10.1.2.3 site.test");

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "10.9.8.7 site.test\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let decoded = decode_text(&utf16);
    assert_eq!(
        hosts_entries_for(&decoded, "site.test")[0].address,
        ip("10.9.8.7")
    );
}

#[test]
fn a_missing_hosts_file_has_no_entries_rather_than_an_error() {
    let entries = read_hosts_entries(Path::new("/nonexistent/authdoctor/hosts"), "site.test");
    assert!(matches!(entries, Ok(list) if list.is_empty()));
}

#[test]
fn hosts_file_paths_follow_the_operating_system() {
    assert_eq!(hosts_path_for(Os::Linux, None), PathBuf::from("/etc/hosts"));
    assert_eq!(
        hosts_path_for(Os::MacOs, Some("ignored")),
        PathBuf::from("/etc/hosts")
    );
    assert_eq!(
        hosts_path_for(Os::Windows, Some(r"D:\WINDOWS\")),
        PathBuf::from(r"D:\WINDOWS\System32\drivers\etc\hosts")
    );
    assert_eq!(
        hosts_path_for(Os::Windows, None),
        PathBuf::from(r"C:\Windows\System32\drivers\etc\hosts")
    );
}

#[test]
fn operating_systems_parse_from_their_names() {
    assert_eq!("windows".parse::<Os>().ok(), Some(Os::Windows));
    assert_eq!("macOS".parse::<Os>().ok(), Some(Os::MacOs));
    assert_eq!(" Linux ".parse::<Os>().ok(), Some(Os::Linux));
    assert!(matches!("beos".parse::<Os>(), Err(DnsError::UnknownOs(name)) if name == "beos"));
    assert_eq!(crate::engine::test_json(&Os::MacOs), "\"macos\"");
}

#[test]
fn windows_gets_ipconfig_first_then_powershell_then_the_browsers() {
    let commands = flush_commands(Os::Windows, &FlushEnv::default());
    let shown: Vec<&str> = commands.iter().map(|c| c.command.as_str()).collect();
    assert_eq!(
        shown,
        vec![
            "ipconfig /flushdns",
            "Clear-DnsClientCache",
            "chrome://net-internals/#dns",
            "edge://net-internals/#dns",
            "about:networking#dns",
        ]
    );
    assert_eq!(
        commands[0].argv,
        Some(vec!["ipconfig".to_owned(), "/flushdns".to_owned()])
    );
    assert!(commands[0].needs_admin);
    assert!(
        commands[2..]
            .iter()
            .all(|c| c.argv.is_none() && !c.needs_admin)
    );
}

#[test]
fn macos_command_depends_on_the_version() {
    let for_version = |version| {
        flush_commands(
            Os::MacOs,
            &FlushEnv {
                macos_version: version,
                ..FlushEnv::default()
            },
        )
        .into_iter()
        .filter(|c| c.platform == "macOS")
        .map(|c| c.command)
        .collect::<Vec<_>>()
    };
    let modern = "sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder";
    assert_eq!(for_version(Some((14, 5))), vec![modern]);
    assert_eq!(for_version(Some((10, 15))), vec![modern]);
    assert_eq!(
        for_version(Some((10, 10))),
        vec![modern, "sudo discoveryutil mdnsflushcache"]
    );
    assert_eq!(
        for_version(Some((10, 8))),
        vec!["sudo killall -HUP mDNSResponder"]
    );
    assert_eq!(
        for_version(Some((10, 6))),
        vec!["sudo dscacheutil -flushcache"]
    );
    let unknown = for_version(None);
    assert_eq!(unknown.first().map(String::as_str), Some(modern));
    assert!(
        unknown.len() > 3,
        "every variant when the version is unknown"
    );
}

#[test]
fn macos_versions_are_read_from_sw_vers_output() {
    assert_eq!(parse_macos_version("14.5\n"), Some((14, 5)));
    assert_eq!(parse_macos_version("10.15.7"), Some((10, 15)));
    assert_eq!(parse_macos_version("15"), Some((15, 0)));
    assert_eq!(parse_macos_version("ProductVersion"), None);
}

#[test]
fn linux_commands_follow_the_caches_that_run() {
    let for_running = |running: &[&str]| {
        flush_commands(
            Os::Linux,
            &FlushEnv {
                running: running.iter().map(|r| (*r).to_owned()).collect(),
                processes_checked: true,
                macos_version: None,
            },
        )
        .into_iter()
        .filter(|c| c.platform == "Linux")
        .map(|c| c.command)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        for_running(&["systemd-resolved"]),
        vec![
            "sudo resolvectl flush-caches",
            "sudo systemd-resolve --flush-caches"
        ]
    );
    assert_eq!(
        for_running(&["nscd"]),
        vec!["sudo nscd -i hosts", "sudo systemctl restart nscd"]
    );
    assert_eq!(
        for_running(&["dnsmasq"]),
        vec![
            "sudo systemctl restart dnsmasq",
            "sudo killall -HUP dnsmasq"
        ]
    );
    assert_eq!(for_running(&[]), vec![""], "nothing to flush");
    let nothing = flush_commands(
        Os::Linux,
        &FlushEnv {
            processes_checked: true,
            ..FlushEnv::default()
        },
    );
    assert!(nothing[0].title.contains("nothing to flush"));
    assert!(nothing[0].argv.is_none());
}

#[test]
fn linux_lists_every_cache_when_processes_were_not_looked_at() {
    let commands = flush_commands(Os::Linux, &FlushEnv::default());
    let linux = commands.iter().filter(|c| c.platform == "Linux").count();
    assert_eq!(linux, 6);
    assert_eq!(
        commands.last().map(|c| c.platform.as_str()),
        Some("Firefox")
    );
}

#[test]
fn dns_caches_are_found_by_process_name_including_the_truncated_systemd_name() {
    let proc_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (pid, comm) in [
        ("1", "systemd\n"),
        ("310", "systemd-resolve\n"),
        ("402", "dnsmasq\n"),
        ("403", "dnsmasq\n"),
        ("self", "nscd\n"),
    ] {
        let dir = proc_dir.path().join(pid);
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("mkdir: {e}"));
        std::fs::write(dir.join("comm"), comm).unwrap_or_else(|e| panic!("write: {e}"));
    }
    let found = dns_caches_in_proc(proc_dir.path()).unwrap_or_default();
    assert_eq!(found, vec!["dnsmasq", "systemd-resolved"]);
}

#[test]
fn equal_answers_say_dns_is_not_the_cause() {
    let findings = assess_with(
        &Ok(vec![ip("192.0.2.5")]),
        &[answered(&["192.0.2.5"], &[])],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsConsistent]);
    assert_eq!(findings[0].severity, Severity::Ok);
    assert!(findings[0].detail.contains("will not change anything"));
}

#[test]
fn a_computer_with_fewer_addresses_than_dns_is_still_consistent() {
    let fresh = [answered(&["192.0.2.5", "192.0.2.6"], &[])];
    let findings = assess_with(&Ok(vec![ip("192.0.2.6")]), &fresh, &[]);
    assert_eq!(codes(&findings), vec![Code::DnsConsistent]);
}

#[test]
fn a_different_ipv4_address_is_a_mismatch_naming_both_addresses() {
    let findings = assess_with(
        &Ok(vec![ip("192.0.2.9")]),
        &[answered(&["192.0.2.5"], &[])],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsMismatch]);
    assert!(findings[0].detail.contains("192.0.2.9"));
    assert!(findings[0].detail.contains("192.0.2.5"));
    assert!(findings[0].detail.contains("stale DNS cache"));
}

#[test]
fn only_ipv6_differing_is_its_own_finding() {
    let fresh = [answered(&["192.0.2.5"], &["2001:db8::5"])];
    let system = Ok(vec![ip("192.0.2.5"), ip("2001:db8::9")]);
    let findings = assess_with(&system, &fresh, &[]);
    assert_eq!(codes(&findings), vec![Code::IpV6OnlyDifference]);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(findings[0].detail.contains("2001:db8::9"));
}

#[test]
fn a_computer_without_ipv6_answers_gets_only_a_note() {
    let fresh = [answered(&["192.0.2.5"], &["2001:db8::5"])];
    let findings = assess_with(&Ok(vec![ip("192.0.2.5")]), &fresh, &[]);
    assert_eq!(codes(&findings), vec![Code::IpV6OnlyDifference]);
    assert_eq!(findings[0].severity, Severity::Info);
}

#[test]
fn a_computer_that_cannot_find_a_name_dns_knows_has_a_stale_not_found() {
    let findings = assess_with(
        &Err("This computer could not find an address for the name.".to_owned()),
        &[answered(&["192.0.2.5"], &[])],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsMismatch]);
    assert!(findings[0].detail.contains("not found"));
}

#[test]
fn nxdomain_everywhere_is_a_dns_failure_saying_the_name_does_not_exist() {
    let findings = assess_with(
        &Err("not found".to_owned()),
        &[failed(Outcome::NxDomain)],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsFailure]);
    assert!(findings[0].title.contains("NXDOMAIN"));
    assert_eq!(findings[0].severity, Severity::Problem);
}

#[test]
fn an_empty_answer_says_the_name_has_no_address() {
    let findings = assess_with(
        &Err("not found".to_owned()),
        &[failed(Outcome::NoAnswer)],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsFailure]);
    assert!(findings[0].title.contains("no address"));
}

#[test]
fn servfail_is_explained_in_plain_words() {
    let findings = assess_with(
        &Err("not found".to_owned()),
        &[failed(Outcome::ServFail)],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsFailure]);
    assert!(findings[0].title.contains("SERVFAIL"));
    assert!(findings[0].detail.contains("domain's own DNS servers"));
}

#[test]
fn silence_from_every_server_says_no_server_answered_within_the_time_limit() {
    let findings = assess_with(
        &Ok(vec![ip("192.0.2.5")]),
        &[failed(Outcome::Timeout), failed(Outcome::Timeout)],
        &[],
    );
    assert_eq!(codes(&findings), vec![Code::DnsFailure]);
    assert_eq!(findings[0].title, "No DNS server answered within 2 seconds");
    assert_eq!(
        findings[0].severity,
        Severity::Warning,
        "this computer did find it"
    );
}

#[test]
fn a_hosts_line_that_differs_from_dns_is_a_problem_with_its_line_number() {
    let hosts = hosts_entries_for("127.0.0.1 localhost\n10.6.6.6 site.test\n", "site.test");
    let findings = assess_with(
        &Ok(vec![ip("10.6.6.6")]),
        &[answered(&["192.0.2.5"], &[])],
        &hosts,
    );
    assert_eq!(
        codes(&findings),
        vec![Code::HostsOverride, Code::DnsMismatch]
    );
    let hosts_finding = &findings[0];
    assert_eq!(hosts_finding.severity, Severity::Problem);
    assert!(hosts_finding.detail.contains("Line 2 of the hosts file"));
    assert!(hosts_finding.next_steps[0].contains("sudo nano /etc/hosts"));
    assert!(findings[1].detail.contains("hosts file"));
}

#[test]
fn several_hosts_lines_are_all_named() {
    let hosts = hosts_entries_for(
        "10.6.6.6 site.test\n127.0.0.1 localhost\n::1 site.test\n",
        "site.test",
    );
    let system = Ok(vec![ip("10.6.6.6")]);
    let findings = assess_with(&system, &[answered(&["192.0.2.5"], &[])], &hosts);
    let hosts_finding = &findings[0];
    assert_eq!(hosts_finding.code, Code::HostsOverride);
    assert!(
        hosts_finding
            .detail
            .starts_with("Lines 1 and 3 of the hosts file (/etc/hosts) give site.test")
    );
    assert!(hosts_finding.next_steps[1].contains("Go to lines 1 and 3"));
    let mismatch = &findings[1];
    assert_eq!(mismatch.next_steps.len(), 1);
    assert!(mismatch.next_steps[0].contains("lines 1 and 3"));
}

#[test]
fn a_hosts_line_matching_dns_is_only_information() {
    let hosts = hosts_entries_for("192.0.2.5 site.test\n", "site.test");
    let findings = assess_with(
        &Ok(vec![ip("192.0.2.5")]),
        &[answered(&["192.0.2.5"], &[])],
        &hosts,
    );
    assert_eq!(
        codes(&findings),
        vec![Code::HostsOverride, Code::DnsConsistent]
    );
    assert_eq!(findings[0].severity, Severity::Info);
}

#[test]
fn windows_users_are_told_to_edit_the_hosts_file_in_notepad_as_administrator() {
    let hosts = hosts_entries_for("10.6.6.6 site.test\n", "site.test");
    let system = Ok(vec![ip("10.6.6.6")]);
    let findings = assess(&Facts {
        host: "site.test",
        system: &system,
        fresh: &[answered(&["192.0.2.5"], &[])],
        hosts: &hosts,
        hosts_path: &hosts_path_for(Os::Windows, None),
        os: Os::Windows,
        timeout: DEFAULT_TIMEOUT,
        config_note: None,
    });
    let steps = findings[0].next_steps.join(" ");
    assert!(steps.contains("Notepad") && steps.contains("Run as administrator"));
    assert!(steps.contains(r"C:\Windows\System32\drivers\etc\hosts"));
}

#[test]
fn this_computers_own_cache_does_not_count_as_a_fresh_answer_when_others_answered() {
    let local_cache = answer(
        ServerKind::System,
        "127.0.0.53:53",
        family(&["192.0.2.9"], Outcome::Answered),
        family(&[], Outcome::NoAnswer),
    );
    let public = answer(
        ServerKind::Public,
        "1.1.1.1:53",
        family(&["192.0.2.5"], Outcome::Answered),
        family(&[], Outcome::NoAnswer),
    );
    let findings = assess_with(&Ok(vec![ip("192.0.2.9")]), &[local_cache, public], &[]);
    assert_eq!(codes(&findings), vec![Code::DnsMismatch]);
}

#[test]
fn servers_that_disagree_about_the_name_are_mentioned() {
    let fresh = [answered(&["192.0.2.9"], &[]), failed(Outcome::NxDomain)];
    let findings = assess_with(&Ok(vec![ip("192.0.2.5")]), &fresh, &[]);
    assert_eq!(codes(&findings), vec![Code::DnsMismatch]);
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e.label == "Servers disagree")
    );
}

#[test]
fn a_server_that_answers_one_family_counts_as_answered() {
    assert_eq!(
        overall_outcome(&Outcome::Answered, &Outcome::NoAnswer),
        Outcome::Answered
    );
    assert_eq!(
        overall_outcome(&Outcome::NoAnswer, &Outcome::NoAnswer),
        Outcome::NoAnswer
    );
    assert_eq!(
        overall_outcome(&Outcome::Timeout, &Outcome::NxDomain),
        Outcome::NxDomain
    );
    assert_eq!(
        overall_outcome(&Outcome::NoAnswer, &Outcome::Timeout),
        Outcome::Timeout
    );
}

#[test]
fn ttls_and_time_limits_read_as_words() {
    assert_eq!(ttl_words(0), "not to be remembered at all");
    assert_eq!(ttl_words(1), "may be remembered for 1 second");
    assert_eq!(ttl_words(300), "may be remembered for 5 minutes");
    assert_eq!(ttl_words(7200), "may be remembered for 2 hours");
    assert_eq!(seconds_words(Duration::from_secs(2)), "2 seconds");
    assert_eq!(seconds_words(Duration::from_millis(1500)), "1.5 seconds");
}

#[tokio::test]
async fn an_ip_address_needs_no_dns_and_nothing_is_asked() {
    // Default options would ask real servers; an IP address must return before any of that.
    let report = check_dns("[2001:db8::1]", &DnsOptions::default()).await;
    assert!(!report.dns_involved);
    assert!(report.fresh.is_empty());
    assert_eq!(codes(&report.findings), vec![Code::DnsConsistent]);
    assert!(report.findings[0].title.contains("number"));
    assert!(report.flush.is_empty());
}

#[tokio::test]
async fn localhost_needs_no_dns_and_nothing_is_asked() {
    let report = check_dns("LocalHost.", &DnsOptions::default()).await;
    assert!(!report.dns_involved);
    assert!(report.fresh.is_empty());
    assert!(report.findings[0].title.contains("localhost"));
}

#[tokio::test]
async fn an_empty_name_is_reported_without_asking_anyone() {
    let report = check_dns("  ", &DnsOptions::default()).await;
    assert!(report.fresh.is_empty());
    assert_eq!(codes(&report.findings), vec![Code::DnsFailure]);
}
