//! DNS: what this computer believes a site's address is, versus what DNS servers answer right now;
//! the hosts file lines that override both; and how to clear (flush) each DNS cache.
//!
//! DNS is the internet's phone book: it turns a name (`www.example.com`) into the numeric address of a
//! server. A computer that remembers an old answer reaches an old server, where a sign-in can fail with
//! 401 although the password is right. [`check_dns`] compares three sources:
//! - **this computer's answer**: the operating system's lookup (what the browser uses, hosts file included);
//! - **fresh answers**: the same name asked directly of DNS servers, per address family (A and AAAA), with TTLs;
//! - **the hosts file**: the lines naming this host, with their line numbers.
//!
//! [`flush_commands`] says how to clear each cache, for the operating system and the browsers.

use std::collections::BTreeSet;
use std::fmt;
use std::fmt::Write as _;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use hickory_resolver::Resolver;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ProtocolConfig, ResolveHosts, ResolverConfig,
};
use hickory_resolver::lookup::Lookup;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError as ResolverError, NetError, NoRecords};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RecordType};
use serde::{Deserialize, Serialize};

use crate::engine::finding::{Code, Finding, Severity, rank};

/// How long each DNS server gets to answer before it counts as "did not answer".
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// The shortest time this computer's own lookup is given (it may retry several servers itself).
const SYSTEM_LOOKUP_MIN_TIME: Duration = Duration::from_secs(5);

/// Public DNS services asked for a fresh answer by default: who runs them and their address.
const PUBLIC_RESOLVERS: [(&str, IpAddr); 3] = [
    ("Cloudflare", IpAddr::V4(Ipv4Addr::new(1, 1, 1, 1))),
    ("Google", IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8))),
    ("Quad9", IpAddr::V4(Ipv4Addr::new(9, 9, 9, 9))),
];

/// The standard DNS port.
const DNS_PORT: u16 = 53;

/// What can go wrong in this module before a finding can be made.
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    /// `--os` named an operating system this module does not know.
    #[error("unknown operating system {0:?}: use windows, macos or linux")]
    UnknownOs(String),
    /// The hosts file exists but could not be read.
    #[error("could not read the hosts file: {source}: {path}")]
    HostsFile {
        /// Where the file is.
        path: String,
        /// Why it could not be read.
        #[source]
        source: io::Error,
    },
}

// ---------------------------------------------------------------------------------------------
// Operating systems
// ---------------------------------------------------------------------------------------------

/// An operating system, for the hosts file's place and the flush commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    /// Microsoft Windows.
    Windows,
    /// Apple macOS.
    MacOs,
    /// Linux (also used for other Unix-like systems).
    Linux,
}

impl Os {
    /// The operating system this program runs on (other Unix-like systems count as Linux).
    #[must_use]
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }

    /// The name shown to people: "Windows", "macOS", "Linux".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Os::Windows => "Windows",
            Os::MacOs => "macOS",
            Os::Linux => "Linux",
        }
    }

    /// Where this system keeps its hosts file. On Windows it is under `%SystemRoot%`
    /// (read from the environment, `C:\Windows` if unset).
    #[must_use]
    pub fn hosts_path(self) -> PathBuf {
        let system_root = std::env::var("SystemRoot").ok();
        hosts_path_for(self, system_root.as_deref())
    }
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Os {
    type Err = DnsError;

    /// Parses `windows`, `macos` or `linux` (any case; `mac`, `osx` and `win` too).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "windows" | "win" => Ok(Os::Windows),
            "macos" | "mac" | "osx" | "darwin" => Ok(Os::MacOs),
            "linux" => Ok(Os::Linux),
            _ => Err(DnsError::UnknownOs(text.to_owned())),
        }
    }
}

/// The hosts file's path on `os`, given the value of `%SystemRoot%` for Windows.
#[must_use]
pub fn hosts_path_for(os: Os, system_root: Option<&str>) -> PathBuf {
    match os {
        Os::Windows => {
            let root = system_root
                .map(|root| root.trim_end_matches(['\\', '/']))
                .filter(|root| !root.is_empty())
                .unwrap_or(r"C:\Windows");
            PathBuf::from(format!(r"{root}\System32\drivers\etc\hosts"))
        }
        Os::MacOs | Os::Linux => PathBuf::from("/etc/hosts"),
    }
}

// ---------------------------------------------------------------------------------------------
// The hosts file
// ---------------------------------------------------------------------------------------------

/// One line of the hosts file that gives an address for a name.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct HostsEntry {
    /// The line's number in the file, counting from 1 (as editors show it).
    pub line_number: usize,
    /// The address the line gives.
    pub address: IpAddr,
    /// The names on the line: the main name first, then its aliases, as written.
    pub names: Vec<String>,
    /// The whole line as written (comment included, surrounding spaces removed).
    pub line: String,
}

/// Every line of a hosts file that gives an address, skipping comments, blank and broken lines.
/// An IPv6 zone (`fe80::1%lo0`) is accepted and dropped from the address.
#[must_use]
pub fn parse_hosts(text: &str) -> Vec<HostsEntry> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter_map(|(index, raw)| {
            let content = raw.split('#').next().unwrap_or_default();
            let mut fields = content.split_whitespace();
            let address_text = fields.next()?;
            let address_text = address_text.split('%').next().unwrap_or(address_text);
            let address = address_text.parse::<IpAddr>().ok()?;
            let names: Vec<String> = fields.map(str::to_owned).collect();
            if names.is_empty() {
                return None;
            }
            Some(HostsEntry {
                line_number: index + 1,
                address,
                names,
                line: raw.trim().to_owned(),
            })
        })
        .collect()
}

/// The hosts file lines that name `host` (case-insensitive, aliases included, a final dot ignored).
#[must_use]
pub fn hosts_entries_for(text: &str, host: &str) -> Vec<HostsEntry> {
    let wanted = name_forms(host);
    parse_hosts(text)
        .into_iter()
        .filter(|entry| {
            entry
                .names
                .iter()
                .any(|name| wanted.contains(&normalize_name(name)))
        })
        .collect()
}

/// Reads the hosts file at `path` and returns the lines naming `host`.
/// A missing file is not an error (it just has no lines).
pub fn read_hosts_entries(path: &Path, host: &str) -> Result<Vec<HostsEntry>, DnsError> {
    let read = crate::engine::bounded::read_file(
        path,
        crate::engine::bounded::HOSTS_FILE,
        crate::engine::bounded::Content::Bytes,
    );
    match read.map_err(io::Error::from) {
        Ok(bytes) => Ok(hosts_entries_for(&decode_text(&bytes), host)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(DnsError::HostsFile {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Text from a file that is UTF-8 (the usual case) or UTF-16 with a byte order mark (some Windows editors).
fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                from([
                    pair.first().copied().unwrap_or(0),
                    pair.get(1).copied().unwrap_or(0),
                ])
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// A name as compared: lower case, without a final dot.
fn normalize_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_lowercase()
}

/// The forms a host name can take in a hosts file: as given, and its ASCII (punycode) form.
fn name_forms(host: &str) -> BTreeSet<String> {
    let mut forms = BTreeSet::from([normalize_name(host)]);
    if let Ok(name) = Name::from_utf8(host.trim()) {
        forms.insert(normalize_name(&name.to_ascii()));
    }
    forms
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// What a DNS server said, in one word (serialized in kebab-case).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It gave at least one address.
    Answered,
    /// NXDOMAIN: the name does not exist.
    #[serde(rename = "nxdomain")]
    NxDomain,
    /// SERVFAIL: the server tried and failed to get an answer.
    #[serde(rename = "servfail")]
    ServFail,
    /// REFUSED: the server will not answer this question (for us).
    Refused,
    /// The name exists but has no address of the kind asked for.
    NoAnswer,
    /// Nothing came back in time.
    Timeout,
    /// The server could not be asked at all; the text says why.
    Error(String),
}

impl Outcome {
    /// True when the server gave a definite answer about the name (addresses, "no address",
    /// or "does not exist"), as opposed to failing or staying silent.
    #[must_use]
    pub fn is_definite(&self) -> bool {
        matches!(
            self,
            Outcome::Answered | Outcome::NoAnswer | Outcome::NxDomain
        )
    }

    /// The outcome in plain words, e.g. "did not answer within 2 seconds".
    #[must_use]
    pub fn plain_words(&self, timeout: Duration) -> String {
        match self {
            Outcome::Answered => "answered".to_owned(),
            Outcome::NxDomain => "says the name does not exist (NXDOMAIN)".to_owned(),
            Outcome::ServFail => {
                "tried but failed to get an answer (SERVFAIL), which usually means \
                 the domain's own DNS servers are broken or unreachable"
                    .to_owned()
            }
            Outcome::Refused => "refused to answer (REFUSED)".to_owned(),
            Outcome::NoAnswer => "says the name exists but has no address".to_owned(),
            Outcome::Timeout => format!("did not answer within {}", seconds_words(timeout)),
            Outcome::Error(why) => format!("could not be asked ({why})"),
        }
    }
}

/// Who a DNS server is, to the user.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ServerKind {
    /// One of the servers this computer is set up to use (`/etc/resolv.conf`, network settings).
    System,
    /// A public DNS service (Cloudflare, Google, Quad9).
    Public,
    /// A server named by the user (`--server`) or a test.
    Chosen,
}

/// One address family's answer from one server (IPv4 = A records, IPv6 = AAAA records).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FamilyAnswer {
    /// The addresses given, in the server's order.
    pub addresses: Vec<IpAddr>,
    /// The shortest TTL ("time to live": how long the answer may be remembered), in seconds.
    pub ttl_secs: Option<u32>,
    /// What the server said.
    pub outcome: Outcome,
}

/// A fresh answer from one DNS server, asked directly (not through this computer's cache).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ResolverAnswer {
    /// The server's address and port, e.g. `1.1.1.1:53`.
    pub server: String,
    /// Who the server is, in words, e.g. "Cloudflare's public DNS".
    pub name: String,
    /// Whether it is this computer's own server, a public one, or one the user chose.
    pub kind: ServerKind,
    /// All addresses given: IPv4 first, then IPv6.
    pub addresses: Vec<IpAddr>,
    /// The shortest TTL over both families, in seconds.
    pub ttl_secs: Option<u32>,
    /// The overall outcome: `Answered` if either family gave addresses.
    pub outcome: Outcome,
    /// The IPv4 (A) answer.
    pub ipv4: FamilyAnswer,
    /// The IPv6 (AAAA) answer.
    pub ipv6: FamilyAnswer,
    /// One line in plain words, e.g. "answered 203.0.113.7 (may be remembered for 5 minutes)".
    pub summary: String,
}

/// Everything the DNS check found about one host name.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DnsReport {
    /// The name checked (lower case, without brackets or a final dot).
    pub host: String,
    /// False when the name is an IP address or `localhost`: no lookup happens, DNS cannot be the cause.
    pub dns_involved: bool,
    /// This computer's answer (operating system lookup, hosts file included).
    pub system: Vec<IpAddr>,
    /// Why this computer found no address, in plain words.
    pub system_error: Option<String>,
    /// Fresh answers, one per DNS server asked.
    pub fresh: Vec<ResolverAnswer>,
    /// Which hosts file was read.
    pub hosts_path: String,
    /// The hosts file lines naming this host.
    pub hosts_entries: Vec<HostsEntry>,
    /// Why the hosts file could not be read, if it could not.
    pub hosts_error: Option<String>,
    /// What it means, most serious first.
    pub findings: Vec<Finding>,
    /// How to clear the DNS caches; filled only when a finding suggests clearing them.
    pub flush: Vec<FlushCommand>,
}

impl DnsReport {
    /// This computer's IPv4 addresses.
    #[must_use]
    pub fn system_ipv4(&self) -> Vec<IpAddr> {
        self.system
            .iter()
            .copied()
            .filter(IpAddr::is_ipv4)
            .collect()
    }

    /// This computer's IPv6 addresses.
    #[must_use]
    pub fn system_ipv6(&self) -> Vec<IpAddr> {
        self.system
            .iter()
            .copied()
            .filter(IpAddr::is_ipv6)
            .collect()
    }
}

/// What to ask and where.
#[derive(Clone, Debug)]
pub struct DnsOptions {
    /// DNS servers to ask. Empty: this computer's configured servers, plus the public ones if
    /// `include_public`. Not empty: only these are asked.
    pub servers: Vec<SocketAddr>,
    /// Also ask Cloudflare (1.1.1.1), Google (8.8.8.8) and Quad9 (9.9.9.9) when `servers` is empty.
    pub include_public: bool,
    /// The hosts file to read.
    pub hosts_path: PathBuf,
    /// How long each DNS server gets to answer (one attempt).
    pub timeout: Duration,
    /// Use these addresses as "this computer's answer" instead of asking the operating system
    /// (tests: the OS lookup reads the real hosts file and the real DNS servers). Empty means
    /// "this computer found nothing".
    pub system_override: Option<Vec<IpAddr>>,
    /// The operating system the advice is written for (hosts file editing, flush commands).
    pub os: Os,
    /// Which DNS caches run here, for the flush commands.
    pub flush_env: FlushEnv,
}

impl Default for DnsOptions {
    /// This computer's OS and hosts file, its configured servers plus public ones, 2 seconds each,
    /// no detection of running caches (see [`DnsOptions::for_this_computer`]).
    fn default() -> Self {
        let os = Os::current();
        DnsOptions {
            servers: Vec::new(),
            include_public: true,
            hosts_path: os.hosts_path(),
            timeout: DEFAULT_TIMEOUT,
            system_override: None,
            os,
            flush_env: FlushEnv::default(),
        }
    }
}

impl DnsOptions {
    /// The defaults, plus which DNS caches run on this computer ([`detect_flush_env`]).
    #[must_use]
    pub fn for_this_computer() -> Self {
        DnsOptions {
            flush_env: detect_flush_env(),
            ..DnsOptions::default()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

/// A DNS server to ask, and who it is.
#[derive(Clone, Debug)]
struct ServerSpec {
    address: SocketAddr,
    kind: ServerKind,
    name: String,
}

/// Compares this computer's answer for `host` with fresh answers from DNS servers and the hosts file,
/// and says in plain words whether DNS explains the problem.
///
/// An IP address or `localhost` needs no lookup: the report then holds one finding saying so and
/// nothing is asked.
pub async fn check_dns(host: &str, options: &DnsOptions) -> DnsReport {
    let host = clean_host(host);
    let mut report = DnsReport {
        host: host.clone(),
        dns_involved: true,
        system: Vec::new(),
        system_error: None,
        fresh: Vec::new(),
        hosts_path: options.hosts_path.display().to_string(),
        hosts_entries: Vec::new(),
        hosts_error: None,
        findings: Vec::new(),
        flush: Vec::new(),
    };

    if let Some(finding) = not_involved(&host) {
        report.dns_involved = false;
        report.findings.push(finding);
        return report;
    }

    let name = match query_name(&host) {
        Ok(name) => name,
        Err(why) => {
            report.findings.push(
                Finding::new(
                    Code::DnsFailure,
                    format!("\"{host}\" is not a name that can be looked up: {why}."),
                )
                .title("This is not a valid site name")
                .evidence("Name", host.clone()),
            );
            return report;
        }
    };
    let lookup_host = normalize_name(&name.to_ascii());

    match read_hosts_entries(&options.hosts_path, &lookup_host) {
        Ok(entries) => report.hosts_entries = entries,
        Err(error) => report.hosts_error = Some(error.to_string()),
    }

    let (servers, config_note) = servers_to_ask(options);
    let system_future = system_answer(&lookup_host, options);
    let fresh_future = ask_all(&servers, &name, options.timeout);
    let (system, fresh) = tokio::join!(system_future, fresh_future);

    match &system {
        Ok(addresses) => report.system.clone_from(addresses),
        Err(why) => report.system_error = Some(why.clone()),
    }
    report.fresh = fresh;

    let facts = Facts {
        host: &host,
        system: &system,
        fresh: &report.fresh,
        hosts: &report.hosts_entries,
        hosts_path: &options.hosts_path,
        os: options.os,
        timeout: options.timeout,
        config_note: config_note.as_deref(),
    };
    report.findings = assess(&facts);
    let flushing_helps = report.findings.iter().any(|f| {
        matches!(
            f.code,
            Code::DnsMismatch | Code::HostsOverride | Code::IpV6OnlyDifference
        ) && f.severity <= Severity::Warning
    });
    if flushing_helps {
        report.flush = flush_commands(options.os, &options.flush_env);
    }
    report
}

/// The host as compared: no spaces, brackets or final dot, lower case.
fn clean_host(host: &str) -> String {
    let host = host.trim();
    let host = host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(host);
    normalize_name(host)
}

/// The finding for a host that needs no DNS (an IP address or `localhost`), if it is one.
fn not_involved(host: &str) -> Option<Finding> {
    // Not the code's usual explanation, which says this computer's answer matches the DNS
    // servers': nothing was asked, so nothing was compared.
    let explanation = "DNS, the internet's phone book, turns a site's name into the numeric \
                       address of its server. This address needs no lookup.";
    if let Ok(address) = host.parse::<IpAddr>() {
        let mut finding = Finding::new(
            Code::DnsConsistent,
            format!(
                "The address {address} is already a number, so no DNS lookup happens and DNS \
                     cannot be the cause. Flushing the DNS cache will not change anything."
            ),
        )
        .title("DNS is not involved: the address is a number")
        .steps(["Nothing to do about DNS."])
        .evidence("Address", address.to_string());
        explanation.clone_into(&mut finding.explanation);
        return Some(finding);
    }
    if host == "localhost" || host.ends_with(".localhost") {
        let mut finding = Finding::new(
            Code::DnsConsistent,
            format!(
                "\"{host}\" always means this computer itself; it is not looked up in DNS, so DNS \
                     cannot be the cause. Flushing the DNS cache will not change anything."
            ),
        )
        .title("DNS is not involved: localhost is this computer")
        .steps(["Nothing to do about DNS."])
        .evidence("Name", host.to_owned());
        explanation.clone_into(&mut finding.explanation);
        return Some(finding);
    }
    None
}

/// The name to ask DNS servers, fully qualified so no search domain is added.
fn query_name(host: &str) -> Result<Name, String> {
    if host.is_empty() {
        return Err("no name was given".to_owned());
    }
    let mut name = Name::from_utf8(host).map_err(|error| error.to_string())?;
    name.set_fqdn(true);
    Ok(name)
}

/// The servers to ask, and a note in plain words if this computer's DNS settings could not be read.
fn servers_to_ask(options: &DnsOptions) -> (Vec<ServerSpec>, Option<String>) {
    if !options.servers.is_empty() {
        let servers = options
            .servers
            .iter()
            .map(|address| ServerSpec {
                address: *address,
                kind: ServerKind::Chosen,
                name: "The DNS server you chose".to_owned(),
            })
            .collect();
        return (servers, None);
    }
    let mut servers: Vec<ServerSpec> = Vec::new();
    let mut note = None;
    match hickory_resolver::system_conf::read_system_conf() {
        Ok((config, _options)) => {
            for server in config.name_servers() {
                let port = server
                    .connections
                    .iter()
                    .find(|connection| connection.protocol == ProtocolConfig::Udp)
                    .map_or(DNS_PORT, |connection| connection.port);
                let address = SocketAddr::new(server.ip, port);
                let name = if server.ip.is_loopback() {
                    "This computer's own DNS cache"
                } else {
                    "This computer's usual DNS server"
                };
                servers.push(ServerSpec {
                    address,
                    kind: ServerKind::System,
                    name: name.to_owned(),
                });
            }
        }
        Err(error) => {
            note = Some(format!(
                "This computer's DNS settings could not be read ({error}), so only public DNS servers were asked."
            ));
        }
    }
    if options.include_public {
        for (owner, ip) in PUBLIC_RESOLVERS {
            servers.push(ServerSpec {
                address: SocketAddr::new(ip, DNS_PORT),
                kind: ServerKind::Public,
                name: format!("{owner}'s public DNS"),
            });
        }
    }
    let mut seen = BTreeSet::new();
    servers.retain(|server| seen.insert(server.address));
    (servers, note)
}

/// This computer's answer: the operating system's lookup (getaddrinfo: hosts file, then its DNS
/// servers and caches), or the override.
async fn system_answer(host: &str, options: &DnsOptions) -> Result<Vec<IpAddr>, String> {
    let addresses = if let Some(fixed) = &options.system_override {
        fixed.clone()
    } else {
        let limit = options.timeout.max(SYSTEM_LOOKUP_MIN_TIME);
        match tokio::time::timeout(limit, tokio::net::lookup_host((host, 0))).await {
            Ok(Ok(found)) => found.map(|address| address.ip()).collect(),
            Ok(Err(error)) => {
                return Err(format!(
                    "This computer could not find an address for the name ({error})."
                ));
            }
            Err(_) => {
                return Err(format!(
                    "This computer found no address within {}.",
                    seconds_words(limit)
                ));
            }
        }
    };
    let mut seen = BTreeSet::new();
    let unique: Vec<IpAddr> = addresses
        .into_iter()
        .filter(|address| seen.insert(*address))
        .collect();
    if unique.is_empty() {
        Err("This computer found no address for the name.".to_owned())
    } else {
        Ok(unique)
    }
}

/// Asks every server at once, so the whole check takes about one timeout at most.
async fn ask_all(servers: &[ServerSpec], name: &Name, timeout: Duration) -> Vec<ResolverAnswer> {
    let mut tasks = tokio::task::JoinSet::new();
    for (index, server) in servers.iter().enumerate() {
        let server = server.clone();
        let name = name.clone();
        tasks.spawn(async move { (index, ask_server(&server, &name, timeout).await) });
    }
    let mut answers: Vec<(usize, ResolverAnswer)> = Vec::with_capacity(servers.len());
    while let Some(joined) = tasks.join_next().await {
        if let Ok(answer) = joined {
            answers.push(answer);
        }
    }
    answers.sort_by_key(|(index, _)| *index);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

/// Asks one server for the A and AAAA records of `name` (UDP, and TCP when an answer is too big for UDP).
async fn ask_server(server: &ServerSpec, name: &Name, timeout: Duration) -> ResolverAnswer {
    let resolver = match build_resolver(server.address, timeout) {
        Ok(resolver) => resolver,
        Err(error) => {
            let failed = FamilyAnswer {
                addresses: Vec::new(),
                ttl_secs: None,
                outcome: Outcome::Error(error.to_string()),
            };
            return combine(server, failed.clone(), failed, timeout);
        }
    };
    // The resolver has its own time limit; this one only guards against it not keeping it.
    let limit = timeout + Duration::from_millis(500);
    let ask = |record_type: RecordType| {
        let resolver = &resolver;
        let name = name.clone();
        async move {
            match tokio::time::timeout(limit, resolver.lookup(name, record_type)).await {
                Ok(result) => family_answer(result, record_type),
                Err(_) => FamilyAnswer {
                    addresses: Vec::new(),
                    ttl_secs: None,
                    outcome: Outcome::Timeout,
                },
            }
        }
    };
    let (ipv4, ipv6) = tokio::join!(ask(RecordType::A), ask(RecordType::AAAA));
    combine(server, ipv4, ipv6, timeout)
}

/// A resolver that asks only `address`: one attempt, `timeout`, no hosts file, no search domains.
fn build_resolver(
    address: SocketAddr,
    timeout: Duration,
) -> Result<Resolver<TokioRuntimeProvider>, NetError> {
    let mut udp = ConnectionConfig::udp();
    udp.port = address.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = address.port();
    let server = NameServerConfig::new(address.ip(), true, vec![udp, tcp]);
    let mut builder = Resolver::builder_with_config(
        ResolverConfig::from_name_servers(vec![server]),
        TokioRuntimeProvider::default(),
    );
    let resolver_options = builder.options_mut();
    resolver_options.timeout = timeout;
    // `attempts` counts retries after the first try.
    resolver_options.attempts = 0;
    resolver_options.use_hosts_file = ResolveHosts::Never;
    resolver_options.ndots = 0;
    builder.build()
}

/// Turns one lookup's result into an answer for its family.
fn family_answer(result: Result<Lookup, NetError>, record_type: RecordType) -> FamilyAnswer {
    let outcome_only = |outcome| FamilyAnswer {
        addresses: Vec::new(),
        ttl_secs: None,
        outcome,
    };
    match result {
        Ok(lookup) => {
            let records: Vec<_> = lookup
                .answers()
                .iter()
                .filter(|record| record.record_type() == record_type)
                .filter_map(|record| record.data.ip_addr().map(|ip| (ip, record.ttl)))
                .collect();
            let ttl_secs = records.iter().map(|(_, ttl)| *ttl).min();
            let mut seen = BTreeSet::new();
            let addresses: Vec<IpAddr> = records
                .into_iter()
                .map(|(ip, _)| ip)
                .filter(|ip| seen.insert(*ip))
                .collect();
            if addresses.is_empty() {
                outcome_only(Outcome::NoAnswer)
            } else {
                FamilyAnswer {
                    addresses,
                    ttl_secs,
                    outcome: Outcome::Answered,
                }
            }
        }
        Err(error) => outcome_only(outcome_of_error(&error)),
    }
}

/// What a failed lookup means.
fn outcome_of_error(error: &NetError) -> Outcome {
    match error {
        NetError::Dns(
            ResolverError::NoRecordsFound(NoRecords { response_code, .. })
            | ResolverError::ResponseCode(response_code),
        ) => match *response_code {
            ResponseCode::NXDomain => Outcome::NxDomain,
            ResponseCode::NoError => Outcome::NoAnswer,
            ResponseCode::ServFail => Outcome::ServFail,
            ResponseCode::Refused => Outcome::Refused,
            other => Outcome::Error(format!("it answered with the error code {other}")),
        },
        NetError::Timeout => Outcome::Timeout,
        NetError::Io(io_error) if io_error.kind() == io::ErrorKind::TimedOut => Outcome::Timeout,
        NetError::Io(io_error) => Outcome::Error(format!("it could not be reached: {io_error}")),
        other => Outcome::Error(other.to_string()),
    }
}

/// One server's answer from its two family answers.
fn combine(
    server: &ServerSpec,
    ipv4: FamilyAnswer,
    ipv6: FamilyAnswer,
    timeout: Duration,
) -> ResolverAnswer {
    let outcome = overall_outcome(&ipv4.outcome, &ipv6.outcome);
    let addresses: Vec<IpAddr> = ipv4
        .addresses
        .iter()
        .chain(&ipv6.addresses)
        .copied()
        .collect();
    let ttl_secs = ipv4.ttl_secs.into_iter().chain(ipv6.ttl_secs).min();
    let summary = if outcome == Outcome::Answered {
        let remembered = ttl_secs.map_or_else(String::new, |ttl| format!(" ({})", ttl_words(ttl)));
        format!("answered {}{remembered}", list_addresses(&addresses))
    } else {
        outcome.plain_words(timeout)
    };
    ResolverAnswer {
        server: server.address.to_string(),
        name: server.name.clone(),
        kind: server.kind,
        addresses,
        ttl_secs,
        outcome,
        ipv4,
        ipv6,
        summary,
    }
}

/// The outcome of a server from its two families: addresses win, then "does not exist", then the
/// server's failures; "no address" only when both families say so.
fn overall_outcome(ipv4: &Outcome, ipv6: &Outcome) -> Outcome {
    let both = [ipv4, ipv6];
    for wanted in [
        Outcome::Answered,
        Outcome::NxDomain,
        Outcome::ServFail,
        Outcome::Refused,
    ] {
        if both.contains(&&wanted) {
            return wanted;
        }
    }
    if *ipv4 == Outcome::NoAnswer && *ipv6 == Outcome::NoAnswer {
        return Outcome::NoAnswer;
    }
    [ipv4, ipv6]
        .into_iter()
        .find(|outcome| **outcome != Outcome::NoAnswer)
        .cloned()
        .unwrap_or(Outcome::NoAnswer)
}

// ---------------------------------------------------------------------------------------------
// What it means
// ---------------------------------------------------------------------------------------------

/// Everything the findings rest on.
struct Facts<'a> {
    host: &'a str,
    system: &'a Result<Vec<IpAddr>, String>,
    fresh: &'a [ResolverAnswer],
    hosts: &'a [HostsEntry],
    hosts_path: &'a Path,
    os: Os,
    timeout: Duration,
    config_note: Option<&'a str>,
}

/// The fresh addresses of one family, from the servers whose answers count.
struct Reference {
    /// Addresses given by any counted server, per family.
    ipv4: BTreeSet<IpAddr>,
    ipv6: BTreeSet<IpAddr>,
    /// Whether any counted server gave a definite answer for the family.
    ipv4_known: bool,
    ipv6_known: bool,
}

impl Reference {
    fn all(&self) -> BTreeSet<IpAddr> {
        self.ipv4.union(&self.ipv6).copied().collect()
    }
}

/// The servers whose answers count as "fresh": this computer's own cache (a server on loopback
/// that this computer is set up to use) remembers answers too, so it counts only when nobody else answered.
fn counted_servers(fresh: &[ResolverAnswer]) -> Vec<&ResolverAnswer> {
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

fn reference(counted: &[&ResolverAnswer]) -> Reference {
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
struct FamilyDifference {
    /// Addresses this computer has that no fresh answer gave.
    only_here: Vec<IpAddr>,
    /// Fresh addresses this computer does not have (reported only when it has none of the family).
    missing_here: Vec<IpAddr>,
}

fn family_difference(
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
fn assess(facts: &Facts<'_>) -> Vec<Finding> {
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
fn silent_servers_note(facts: &Facts<'_>) -> Option<String> {
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
fn mismatch(facts: &Facts<'_>, detail: String) -> Finding {
    with_evidence(Finding::new(Code::DnsMismatch, detail), facts)
}

/// No server gave a definite answer: say which were silent and which failed.
fn nobody_answered(facts: &Facts<'_>) -> Finding {
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
fn name_not_found(facts: &Facts<'_>, counted: &[&ResolverAnswer]) -> Finding {
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
fn hosts_override(facts: &Facts<'_>, fresh_all: &BTreeSet<IpAddr>, definite: bool) -> Finding {
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
fn hosts_edit_steps(facts: &Facts<'_>) -> Vec<String> {
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
fn hosts_lines_words(entries: &[HostsEntry]) -> String {
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
fn disagreement_note(counted: &[&ResolverAnswer]) -> Option<String> {
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
fn with_evidence(finding: Finding, facts: &Facts<'_>) -> Finding {
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
fn server_label(answer: &ResolverAnswer) -> String {
    format!("{} ({})", answer.name, answer.server)
}

/// Each server and what it said, in one sentence part.
fn servers_words(fresh: &[ResolverAnswer], timeout: Duration) -> String {
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
fn list_addresses(addresses: &[IpAddr]) -> String {
    let words: Vec<String> = addresses.iter().map(ToString::to_string).collect();
    match words.as_slice() {
        [] => "no address".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "2 seconds", "1 second", "1.5 seconds".
fn seconds_words(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis % 1000 == 0 {
        let secs = millis / 1000;
        if secs == 1 {
            "1 second".to_owned()
        } else {
            format!("{secs} seconds")
        }
    } else {
        format!("{:.1} seconds", duration.as_secs_f64())
    }
}

/// How long an answer may be remembered, in words.
fn ttl_words(ttl_secs: u32) -> String {
    let unit = |n: u32, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match ttl_secs {
        0 => "not to be remembered at all".to_owned(),
        1..60 => format!("may be remembered for {}", unit(ttl_secs, "second")),
        60..3600 => format!("may be remembered for {}", unit(ttl_secs / 60, "minute")),
        3600..86_400 => format!("may be remembered for {}", unit(ttl_secs / 3600, "hour")),
        _ => format!("may be remembered for {}", unit(ttl_secs / 86_400, "day")),
    }
}

// ---------------------------------------------------------------------------------------------
// Flush commands
// ---------------------------------------------------------------------------------------------

/// One way to clear a DNS cache, shown with a copy button (and run for the user when `argv` is set).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FlushCommand {
    /// Where it applies: "Windows", "macOS", "Linux", "Chrome", "Edge", "Firefox".
    pub platform: String,
    /// What it does, e.g. "Clear the Windows DNS cache".
    pub title: String,
    /// What to type (or paste into the browser's address bar). Empty when there is nothing to run.
    pub command: String,
    /// One line: where to type it and what happens.
    pub explanation: String,
    /// True when it needs administrator rights (`sudo`, an administrator Command Prompt).
    pub needs_admin: bool,
    /// The exact program and arguments, for "Run it for me", without `sudo` (when `needs_admin`
    /// the runner must get administrator rights itself). `None` when it cannot be run as one program
    /// (several commands, or a browser page). Never built from user input.
    pub argv: Option<Vec<String>>,
}

/// What the flush commands depend on besides the OS: which DNS caches run, which macOS version.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct FlushEnv {
    /// DNS caches found running (Linux): any of "systemd-resolved", "nscd", "dnsmasq".
    pub running: Vec<String>,
    /// True when the running processes were actually looked at; false lists every Linux cache.
    pub processes_checked: bool,
    /// The macOS version (major, minor), e.g. (14, 5) or (10, 15); `None` lists every variant.
    pub macos_version: Option<(u32, u32)>,
}

/// Finds which DNS caches run on this computer (Linux: `/proc/*/comm`) and the macOS version
/// (`sw_vers`). Never uses the network.
#[must_use]
pub fn detect_flush_env() -> FlushEnv {
    match Os::current() {
        Os::Linux => match dns_caches_in_proc(Path::new("/proc")) {
            Ok(running) => FlushEnv {
                running,
                processes_checked: true,
                macos_version: None,
            },
            Err(_) => FlushEnv::default(),
        },
        Os::MacOs => FlushEnv {
            macos_version: std::process::Command::new("sw_vers")
                .arg("-productVersion")
                .output()
                .ok()
                .and_then(|output| parse_macos_version(&String::from_utf8_lossy(&output.stdout))),
            ..FlushEnv::default()
        },
        Os::Windows => FlushEnv::default(),
    }
}

/// The DNS caches running according to a `/proc`-like directory (`<pid>/comm` files), by their
/// usual names, sorted and without repeats.
pub fn dns_caches_in_proc(proc_dir: &Path) -> io::Result<Vec<String>> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(proc_dir)? {
        let Ok(entry) = entry else { continue };
        let file_name = entry.file_name();
        let is_pid = file_name
            .to_str()
            .is_some_and(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()));
        if !is_pid {
            continue;
        }
        let Ok(comm) = std::fs::read_to_string(entry.path().join("comm")) else {
            continue;
        };
        if let Some(cache) = dns_cache_name(comm.trim()) {
            found.insert(cache.to_owned());
        }
    }
    Ok(found.into_iter().collect())
}

/// The cache a process name belongs to. The kernel cuts names to 15 characters, so
/// systemd-resolved shows as "systemd-resolve".
fn dns_cache_name(comm: &str) -> Option<&'static str> {
    match comm {
        "systemd-resolve" | "systemd-resolved" => Some("systemd-resolved"),
        "nscd" => Some("nscd"),
        "dnsmasq" => Some("dnsmasq"),
        _ => None,
    }
}

/// (major, minor) from `sw_vers -productVersion` output like "14.5" or "10.15.7".
#[must_use]
pub fn parse_macos_version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = parts
        .next()
        .map_or(Some(0), |minor| minor.trim().parse().ok())?;
    Some((major, minor))
}

/// How to clear the DNS caches: `os`'s own first (chosen by what runs there), then the browsers'.
#[must_use]
pub fn flush_commands(os: Os, env: &FlushEnv) -> Vec<FlushCommand> {
    let mut commands = match os {
        Os::Windows => windows_flush(),
        Os::MacOs => macos_flush(env.macos_version),
        Os::Linux => linux_flush(env),
    };
    commands.extend(browser_flush());
    commands
}

fn command(
    platform: &str,
    title: &str,
    command: &str,
    explanation: &str,
    needs_admin: bool,
    argv: Option<&[&str]>,
) -> FlushCommand {
    FlushCommand {
        platform: platform.to_owned(),
        title: title.to_owned(),
        command: command.to_owned(),
        explanation: explanation.to_owned(),
        needs_admin,
        argv: argv.map(|args| args.iter().map(|arg| (*arg).to_owned()).collect()),
    }
}

fn windows_flush() -> Vec<FlushCommand> {
    vec![
        command(
            "Windows",
            "Clear the Windows DNS cache",
            "ipconfig /flushdns",
            "Open the Start menu, type cmd, right-click Command Prompt, choose \"Run as administrator\", \
             paste this and press Enter.",
            true,
            Some(&["ipconfig", "/flushdns"]),
        ),
        command(
            "Windows",
            "Clear the Windows DNS cache (PowerShell)",
            "Clear-DnsClientCache",
            "The same in PowerShell: right-click the Start button, choose Terminal (Admin) or Windows \
             PowerShell (Admin), paste this and press Enter.",
            true,
            Some(&[
                "powershell",
                "-NoProfile",
                "-Command",
                "Clear-DnsClientCache",
            ]),
        ),
    ]
}

fn macos_flush(version: Option<(u32, u32)>) -> Vec<FlushCommand> {
    let modern = command(
        "macOS",
        "Clear the macOS DNS cache",
        "sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder",
        "For macOS 10.10.4 and later: open Terminal (Applications > Utilities), paste this, press Enter \
         and type your Mac's password (nothing shows while you type).",
        true,
        None,
    );
    let yosemite_early = command(
        "macOS",
        "Clear the DNS cache (OS X 10.10 to 10.10.3)",
        "sudo discoveryutil mdnsflushcache",
        "For OS X Yosemite 10.10 to 10.10.3: paste this into Terminal, press Enter and type your password.",
        true,
        Some(&["discoveryutil", "mdnsflushcache"]),
    );
    let mavericks = command(
        "macOS",
        "Clear the DNS cache (OS X 10.9)",
        "dscacheutil -flushcache; sudo killall -HUP mDNSResponder",
        "For OS X Mavericks 10.9: paste this into Terminal, press Enter and type your password.",
        true,
        None,
    );
    let lion = command(
        "macOS",
        "Clear the DNS cache (OS X 10.7 and 10.8)",
        "sudo killall -HUP mDNSResponder",
        "For OS X Lion and Mountain Lion (10.7, 10.8): paste this into Terminal, press Enter and type \
         your password.",
        true,
        Some(&["killall", "-HUP", "mDNSResponder"]),
    );
    let leopard = command(
        "macOS",
        "Clear the DNS cache (Mac OS X 10.5 and 10.6)",
        "sudo dscacheutil -flushcache",
        "For Mac OS X Leopard and Snow Leopard (10.5, 10.6): paste this into Terminal, press Enter and \
         type your password.",
        true,
        Some(&["dscacheutil", "-flushcache"]),
    );
    let tiger = command(
        "macOS",
        "Clear the DNS cache (Mac OS X 10.4 and earlier)",
        "lookupd -flushcache",
        "For Mac OS X Tiger (10.4) and earlier: paste this into Terminal and press Enter.",
        false,
        Some(&["lookupd", "-flushcache"]),
    );
    match version {
        None => vec![modern, yosemite_early, mavericks, lion, leopard, tiger],
        Some((major, minor)) => {
            let chosen = match (major, minor) {
                (10, 0..=4) => tiger,
                (10, 5..=6) => leopard,
                (10, 7..=8) => lion,
                (10, 9) => mavericks,
                // 10.10.0–10.10.3 cannot be told from 10.10.4+ by (major, minor): show both, newest first.
                (10, 10) => return vec![modern, yosemite_early],
                _ => modern,
            };
            vec![chosen]
        }
    }
}

fn linux_flush(env: &FlushEnv) -> Vec<FlushCommand> {
    let runs = |name: &str| !env.processes_checked || env.running.iter().any(|r| r == name);
    let mut commands = Vec::new();
    if runs("systemd-resolved") {
        commands.push(command(
            "Linux",
            "Clear the systemd-resolved DNS cache",
            "sudo resolvectl flush-caches",
            "For systemd-resolved (Ubuntu, Fedora, Debian with it enabled): paste this into a terminal, \
             press Enter and type your password.",
            true,
            Some(&["resolvectl", "flush-caches"]),
        ));
        commands.push(command(
            "Linux",
            "Clear the systemd-resolved DNS cache (older systems)",
            "sudo systemd-resolve --flush-caches",
            "The same on older systems (systemd before version 239, e.g. Ubuntu 18.04), where resolvectl \
             does not exist.",
            true,
            Some(&["systemd-resolve", "--flush-caches"]),
        ));
    }
    if runs("nscd") {
        commands.push(command(
            "Linux",
            "Clear the nscd host cache",
            "sudo nscd -i hosts",
            "For nscd, the name service cache: paste this into a terminal, press Enter and type your \
             password.",
            true,
            Some(&["nscd", "-i", "hosts"]),
        ));
        commands.push(command(
            "Linux",
            "Restart nscd",
            "sudo systemctl restart nscd",
            "If clearing nscd's host cache did not help, restarting it empties every cache it keeps.",
            true,
            Some(&["systemctl", "restart", "nscd"]),
        ));
    }
    if runs("dnsmasq") {
        commands.push(command(
            "Linux",
            "Restart dnsmasq",
            "sudo systemctl restart dnsmasq",
            "For dnsmasq running as its own service: restarting it empties its cache.",
            true,
            Some(&["systemctl", "restart", "dnsmasq"]),
        ));
        commands.push(command(
            "Linux",
            "Clear the dnsmasq cache",
            "sudo killall -HUP dnsmasq",
            "For dnsmasq started by NetworkManager or another program: this signal empties its cache \
             without stopping it.",
            true,
            Some(&["killall", "-HUP", "dnsmasq"]),
        ));
    }
    if commands.is_empty() {
        commands.push(command(
            "Linux",
            "No DNS cache on this computer: nothing to flush",
            "",
            "No systemd-resolved, nscd or dnsmasq runs here, so this computer keeps no DNS answers of \
             its own; only the browser's cache (below) can hold an old answer.",
            false,
            None,
        ));
    }
    commands
}

fn browser_flush() -> Vec<FlushCommand> {
    vec![
        command(
            "Chrome",
            "Clear Chrome's own DNS cache",
            "chrome://net-internals/#dns",
            "Paste this into Chrome's address bar, press Enter and click \"Clear host cache\" (then, on \
             the Sockets page, \"Flush socket pools\").",
            false,
            None,
        ),
        command(
            "Edge",
            "Clear Edge's own DNS cache",
            "edge://net-internals/#dns",
            "Paste this into Edge's address bar, press Enter and click \"Clear host cache\".",
            false,
            None,
        ),
        command(
            "Firefox",
            "Clear Firefox's own DNS cache",
            "about:networking#dns",
            "Paste this into Firefox's address bar, press Enter and click \"Clear DNS Cache\".",
            false,
            None,
        ),
    ]
}

#[cfg(test)]
mod tests {
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
        assert_eq!(
            serde_json::to_string(&Os::MacOs).unwrap_or_default(),
            "\"macos\""
        );
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
}
