//! Shared helpers for the integration tests: a programmable HTTP server, real servers (Apache, nginx,
//! lighttpd, Caddy, Tomcat, squid, the Docker registry, framework apps), and utilities.
//!
//! Use it from a test file with `mod support;`, e.g.
//!
//! ```ignore
//! let server = TestServer::start(|request| match request.header("authorization") {
//!     Some(_) => Reply::ok("welcome"),
//!     None => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"x\""),
//! });
//! let apache = Apache::start(ApacheSetup::new().basic_user("alice", "secret"));
//! // `apache.url("/secret/")` now asks for Basic credentials; `server.requests()` shows what arrived.
//! ```
#![allow(dead_code, reason = "each test binary uses a subset of the helpers")]
#![allow(
    clippy::expect_used,
    reason = "test support: a setup that fails must fail the test loudly"
)]

mod apache;
mod apps;
mod auth_files;
mod caddy;
mod cli;
mod dnsmasq;
pub mod engine;
#[cfg(feature = "gui")]
mod gui;
mod lighttpd;
mod nginx;
mod process;
mod registry;
mod server;
mod squid;
mod tls;
mod token_service;
mod tomcat;
mod verdict;

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};

// Each test binary uses some of these re-exports; the others would warn as unused there.
#[allow(unused_imports)]
pub use apache::{Apache, ApacheSetup};
#[allow(unused_imports)]
pub use apps::{
    App, AppServer, DRF_TOKEN, EXPRESS_PASSWORD, EXPRESS_TOKEN, EXPRESS_USER, FLASK_PASSWORD,
    FLASK_TOKEN, FLASK_USER, JwtClaims, mint_jwt,
};
#[allow(unused_imports)]
pub use auth_files::{HtpasswdHash, md5_hex};
#[allow(unused_imports)]
pub use caddy::Caddy;
#[allow(unused_imports)]
pub use cli::{authdoctor, finding_codes, json_of};
#[allow(unused_imports)]
pub use dnsmasq::{Dnsmasq, dns_query, free_udp_port};
#[cfg(feature = "gui")]
#[allow(unused_imports)]
pub use gui::{Gui, MemoryStorage};
#[allow(unused_imports)]
pub use lighttpd::{Lighttpd, LighttpdSetup};
#[allow(unused_imports)]
pub use nginx::{Nginx, NginxSetup};
#[allow(unused_imports)]
pub use registry::Registry;
#[allow(unused_imports)]
pub use server::{Reply, Request, TestServer};
#[allow(unused_imports)]
pub use squid::Squid;
#[allow(unused_imports)]
pub use tls::{Certificate, Protocol, TLS_REALM, TlsServer, TlsSetup};
#[allow(unused_imports)]
pub use token_service::{Account, ISSUER, SERVICE, TokenService};
#[allow(unused_imports)]
pub use tomcat::Tomcat;
#[allow(unused_imports)]
pub use verdict::{SignIn, Verdict, check, password};

/// Finds `name` on `PATH` (and in the sbin directories, where Debian puts servers), or panics saying how
/// to install it: tests never pass by skipping.
pub fn require_program(name: &str, apt_package: &str) -> PathBuf {
    find_program(name).unwrap_or_else(|| {
        panic!(
            "this test needs {name}: install it with `apt-get install {apt_package}` \
             (scripts/test.sh does this)"
        )
    })
}

/// The path of the executable `name` on `PATH` or in `/usr/sbin`, `/sbin`, if there is one.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|directory| directory.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, and released).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("cannot bind 127.0.0.1:0 to find a free port")
        .port()
}
