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
use crate::engine::time::span_text;

mod assess;
mod check;
mod flush;
mod hosts;
mod os;
mod query;

use assess::{Facts, assess, list_addresses, seconds_words, ttl_words};
pub use check::*;
pub use flush::*;
pub use hosts::*;
pub use os::*;
pub use query::*;

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

#[cfg(test)]
mod tests;
