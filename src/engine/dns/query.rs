//! The answers: what this computer and the DNS servers say a name's addresses are.

use super::*;

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
