//! The DNS check against real DNS servers on loopback: a dnsmasq with its own records, a server that
//! never answers and one that answers SERVFAIL. "This computer's answer" is injected, and only the
//! servers started here are asked: no test talks to a real or public DNS server.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

mod support;

use support::Dnsmasq;

use authdoctor::engine::dns::{
    DEFAULT_TIMEOUT, DnsOptions, DnsReport, FlushEnv, Os, Outcome, ServerKind, check_dns,
};
use authdoctor::engine::{Code, Severity};

/// A UDP "DNS server" on loopback that reads every query and never replies.
struct SilentServer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SilentServer {
    fn start() -> SilentServer {
        Self::start_with(|_, _, _| {})
    }

    /// A server that calls `reply(socket, query, from)` for each query it reads.
    fn start_with(reply: fn(&UdpSocket, &[u8], SocketAddr)) -> SilentServer {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind loopback UDP");
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("read timeout");
        let address = socket.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("test-dns-server".to_owned())
            .spawn(move || {
                let mut buffer = [0_u8; 1500];
                while !stop_flag.load(Ordering::Relaxed) {
                    if let Ok((length, from)) = socket.recv_from(&mut buffer) {
                        reply(&socket, buffer.get(..length).unwrap_or_default(), from);
                    }
                }
            })
            .expect("spawn server thread");
        SilentServer {
            address,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers a query with SERVFAIL: the question echoed back, no records.
fn reply_servfail(socket: &UdpSocket, query: &[u8], from: SocketAddr) {
    if query.len() < 12 {
        return;
    }
    let mut response = query.to_vec();
    // QR=1 (a response), keep the opcode and RD; RA=1, RCODE=2 (SERVFAIL).
    response[2] |= 0x80;
    response[3] = 0x80 | 0x02;
    // No answer or authority records; the additional section (EDNS) is echoed as asked.
    response[6..10].fill(0);
    let _ = socket.send_to(&response, from);
}

/// A hosts file with these contents, kept alive with its directory.
fn hosts_file(contents: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("hosts");
    let mut file = std::fs::File::create(&path).expect("hosts file");
    file.write_all(contents.as_bytes())
        .expect("write hosts file");
    (dir, path)
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// Options that ask only `servers`, read `hosts_path`, and take `system` as this computer's answer.
fn options(servers: &[SocketAddr], hosts_path: &Path, system: &[&str]) -> DnsOptions {
    DnsOptions {
        servers: servers.to_vec(),
        include_public: false,
        hosts_path: hosts_path.to_path_buf(),
        timeout: DEFAULT_TIMEOUT,
        system_override: Some(system.iter().map(|a| ip(a)).collect()),
        os: Os::Linux,
        flush_env: FlushEnv {
            running: vec!["systemd-resolved".to_owned()],
            processes_checked: true,
            macos_version: None,
        },
    }
}

fn codes(report: &DnsReport) -> Vec<Code> {
    report.findings.iter().map(|f| f.code).collect()
}

fn finding(report: &DnsReport, code: Code) -> &authdoctor::engine::Finding {
    report
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} finding in {:#?}", report.findings))
}

#[tokio::test]
async fn a_hosts_line_with_another_address_shows_as_mismatch_and_hosts_override() {
    let dnsmasq = Dnsmasq::start();
    let (_dir, hosts) = hosts_file(
        "127.0.0.1 localhost\n# moved the site on Monday\n10.9.9.9   Site.Test www.site.test\n",
    );
    let report = check_dns(
        "site.test",
        &options(&[dnsmasq.address()], &hosts, &["10.9.9.9"]),
    )
    .await;

    assert_eq!(report.fresh.len(), 1, "only the chosen server is asked");
    let fresh = &report.fresh[0];
    assert_eq!(fresh.kind, ServerKind::Chosen);
    assert_eq!(fresh.server, dnsmasq.address().to_string());
    assert_eq!(fresh.ipv4.addresses, vec![ip("127.0.0.5")]);
    assert_eq!(fresh.ipv4.outcome, Outcome::Answered);
    assert!(fresh.ipv4.ttl_secs.is_some(), "the TTL is reported");
    assert_eq!(fresh.ipv6.outcome, Outcome::NoAnswer);
    assert!(
        dnsmasq.log().contains("query[A] site.test"),
        "{}",
        dnsmasq.log()
    );

    assert_eq!(report.hosts_entries.len(), 1);
    assert_eq!(report.hosts_entries[0].line_number, 3);
    assert!(
        codes(&report).contains(&Code::DnsMismatch),
        "{:#?}",
        report.findings
    );
    let hosts_override = finding(&report, Code::HostsOverride);
    assert_eq!(hosts_override.severity, Severity::Problem);
    assert!(hosts_override.detail.contains("Line 3 of the hosts file"));
    assert!(hosts_override.detail.contains("127.0.0.5"));
    assert!(hosts_override.next_steps[0].contains("sudo nano"));
    let mismatch = finding(&report, Code::DnsMismatch);
    assert!(mismatch.detail.contains("10.9.9.9") && mismatch.detail.contains("127.0.0.5"));
    assert!(mismatch.detail.contains("hosts file"));
    assert!(
        !report.flush.is_empty(),
        "flush commands come with a mismatch"
    );
}

#[tokio::test]
async fn a_stale_answer_without_a_hosts_line_is_a_mismatch_that_says_to_flush() {
    let dnsmasq = Dnsmasq::start();
    let (_dir, hosts) = hosts_file("127.0.0.1 localhost\n");
    let report = check_dns(
        "site.test",
        &options(&[dnsmasq.address()], &hosts, &["10.9.9.9"]),
    )
    .await;

    assert_eq!(codes(&report), vec![Code::DnsMismatch]);
    let mismatch = &report.findings[0];
    assert!(mismatch.detail.contains("10.9.9.9") && mismatch.detail.contains("127.0.0.5"));
    assert!(mismatch.detail.contains("stale DNS cache"));
    let first_flush = report.flush.first().expect("flush commands");
    assert_eq!(first_flush.platform, "Linux");
    assert_eq!(first_flush.command, "sudo resolvectl flush-caches");
    assert!(report.flush.iter().any(|c| c.platform == "Firefox"));
}

#[tokio::test]
async fn equal_answers_say_dns_is_not_the_cause() {
    let dnsmasq = Dnsmasq::start();
    let (_dir, hosts) = hosts_file("127.0.0.1 localhost\n");
    let report = check_dns(
        "SITE.test.",
        &options(&[dnsmasq.address()], &hosts, &["127.0.0.5"]),
    )
    .await;

    assert_eq!(report.host, "site.test");
    assert_eq!(codes(&report), vec![Code::DnsConsistent]);
    assert_eq!(report.findings[0].severity, Severity::Ok);
    assert!(
        report.flush.is_empty(),
        "no flushing advice when DNS is fine"
    );

    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("\"dns-consistent\""));
    let back: DnsReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

#[tokio::test]
async fn a_name_that_does_not_exist_is_a_dns_failure_saying_nxdomain() {
    let dnsmasq = Dnsmasq::start();
    let (_dir, hosts) = hosts_file("");
    let report = check_dns("gone.test", &options(&[dnsmasq.address()], &hosts, &[])).await;

    assert_eq!(report.fresh[0].outcome, Outcome::NxDomain);
    assert!(report.system_error.is_some());
    assert_eq!(codes(&report), vec![Code::DnsFailure]);
    let failure = &report.findings[0];
    assert_eq!(failure.severity, Severity::Problem);
    assert!(failure.title.contains("does not exist (NXDOMAIN)"));
}

#[tokio::test]
async fn only_differing_ipv6_answers_are_reported_as_an_ipv6_only_difference() {
    let dnsmasq = Dnsmasq::start();
    let (_dir, hosts) = hosts_file("");
    let report = check_dns(
        "dual.test",
        &options(&[dnsmasq.address()], &hosts, &["127.0.0.7", "fd00::8"]),
    )
    .await;

    assert_eq!(report.fresh[0].ipv6.addresses, vec![ip("fd00::7")]);
    assert_eq!(report.system_ipv6(), vec![ip("fd00::8")]);
    assert_eq!(codes(&report), vec![Code::IpV6OnlyDifference]);
    assert!(report.findings[0].detail.contains("fd00::8"));
    assert!(report.findings[0].detail.contains("fd00::7"));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_in_plain_words() {
    let silent = SilentServer::start();
    let (_dir, hosts) = hosts_file("");
    let started = Instant::now();
    let report = check_dns(
        "site.test",
        &options(&[silent.address], &hosts, &["127.0.0.5"]),
    )
    .await;

    // The limit is 2 s per query; the bound is far above it, so only a check that ignores the
    // limit fails this, never a busy machine.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "a silent server must not stall the check (took {:?})",
        started.elapsed()
    );
    assert_eq!(report.fresh[0].outcome, Outcome::Timeout);
    assert_eq!(report.fresh[0].summary, "did not answer within 2 seconds");
    assert_eq!(codes(&report), vec![Code::DnsFailure]);
    let failure = &report.findings[0];
    assert_eq!(failure.title, "No DNS server answered within 2 seconds");
    assert_eq!(
        failure.severity,
        Severity::Warning,
        "this computer did find an address"
    );
}

#[tokio::test]
async fn a_silent_server_beside_a_working_one_is_named_and_the_working_answer_is_used() {
    let dnsmasq = Dnsmasq::start();
    let silent = SilentServer::start();
    let (_dir, hosts) = hosts_file("");
    let report = check_dns(
        "site.test",
        &options(&[silent.address, dnsmasq.address()], &hosts, &["10.9.9.9"]),
    )
    .await;

    assert_eq!(report.fresh.len(), 2);
    assert_eq!(report.fresh[0].outcome, Outcome::Timeout);
    assert_eq!(report.fresh[1].outcome, Outcome::Answered);
    assert_eq!(codes(&report), vec![Code::DnsMismatch]);
    assert!(
        report.findings[0].detail.contains(&format!(
            "The DNS server you chose ({}) did not answer within 2 seconds; the other servers' \
             answers were used.",
            silent.address
        )),
        "{}",
        report.findings[0].detail
    );
    let silent_label = format!("The DNS server you chose ({})", silent.address);
    let evidence = &report.findings[0].evidence;
    assert!(
        evidence
            .iter()
            .any(|e| e.label == silent_label && e.value == "did not answer within 2 seconds"),
        "{evidence:#?}"
    );
}

#[tokio::test]
async fn a_server_that_answers_servfail_is_explained_in_plain_words() {
    let failing = SilentServer::start_with(reply_servfail);
    let (_dir, hosts) = hosts_file("");
    let report = check_dns("site.test", &options(&[failing.address], &hosts, &[])).await;

    assert_eq!(report.fresh[0].outcome, Outcome::ServFail);
    assert_eq!(codes(&report), vec![Code::DnsFailure]);
    let failure = &report.findings[0];
    assert!(failure.title.contains("SERVFAIL"), "{failure:#?}");
    assert!(failure.detail.contains("domain's own DNS servers"));
}

#[tokio::test]
async fn a_computer_without_ipv6_answers_gets_a_note_and_no_flushing_advice() {
    let dnsmasq = Dnsmasq::start();
    let (_dir, hosts) = hosts_file("");
    let report = check_dns(
        "dual.test",
        &options(&[dnsmasq.address()], &hosts, &["127.0.0.7"]),
    )
    .await;

    assert_eq!(codes(&report), vec![Code::IpV6OnlyDifference]);
    assert_eq!(report.findings[0].severity, Severity::Info);
    assert!(report.flush.is_empty());
}
