//! dnsmasq on loopback with its own records, for the DNS tests (no real DNS server is ever asked).

use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian puts dnsmasq (package `dnsmasq-base`).
const DNSMASQ: &str = "/usr/sbin/dnsmasq";
/// How long dnsmasq may take to answer its first query.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A dnsmasq on 127.0.0.1 with only the records given here; stopped on drop.
pub struct Dnsmasq {
    child: Child,
    port: u16,
    log_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Dnsmasq {
    /// Starts dnsmasq answering `site.test` → `127.0.0.5`, `dual.test` → `127.0.0.7` and `fd00::7`,
    /// and NXDOMAIN for `gone.test`. It reads no config, hosts or resolv.conf file of this machine
    /// and forwards nothing.
    pub fn start() -> Dnsmasq {
        assert!(
            Path::new(DNSMASQ).exists(),
            "this test needs dnsmasq: install it with `apt-get install dnsmasq-base`"
        );
        let mut last_error = String::new();
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("temporary directory");
            let port = free_udp_port();
            let log_path = dir.path().join("dnsmasq.log");
            let log = std::fs::File::create(&log_path).expect("log file");
            let child = Command::new(DNSMASQ)
                .args([
                    "--no-daemon",
                    "--conf-file=/dev/null",
                    &format!("--port={port}"),
                    "--listen-address=127.0.0.1",
                    "--bind-interfaces",
                    "--no-resolv",
                    "--no-hosts",
                    "--no-poll",
                    "--log-queries",
                    "--log-facility=-",
                    // --host-record plus --local=/test/ (rather than --address) so that asking for
                    // the other family gets "no address" (NOERROR, empty), not REFUSED or NXDOMAIN.
                    "--host-record=site.test,127.0.0.5",
                    "--host-record=dual.test,127.0.0.7,fd00::7",
                    "--address=/gone.test/",
                    "--local=/test/",
                ])
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log handle"))
                .stderr(log)
                .spawn()
                .expect("start dnsmasq");
            let mut server = Dnsmasq {
                child,
                port,
                log_path,
                _dir: dir,
            };
            match server.wait_until_answering() {
                Ok(()) => return server,
                Err(error) => last_error = error,
            }
        }
        panic!("dnsmasq did not start: {last_error}");
    }

    fn wait_until_answering(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| e.to_string())?;
        socket
            .set_read_timeout(Some(Duration::from_millis(200)))
            .map_err(|e| e.to_string())?;
        let query = dns_query(0x5151, "site.test", 1);
        let mut buffer = [0_u8; 512];
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("dnsmasq exited with {status}: {}", self.log()));
            }
            let _ = socket.send_to(&query, self.address());
            if socket.recv_from(&mut buffer).is_ok() {
                return Ok(());
            }
        }
        Err(format!("dnsmasq did not answer in time: {}", self.log()))
    }

    pub fn address(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// What dnsmasq logged so far (with `--log-queries`, every query it received).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal DNS query for `name` and the record type `qtype` (1 = A, 28 = AAAA).
pub fn dns_query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
    let mut query = Vec::new();
    query.extend_from_slice(&id.to_be_bytes());
    query.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.split('.') {
        query.push(u8::try_from(label.len()).expect("a DNS label is at most 63 bytes"));
        query.extend_from_slice(label.as_bytes());
    }
    query.push(0);
    query.extend_from_slice(&qtype.to_be_bytes());
    query.extend_from_slice(&1_u16.to_be_bytes());
    query
}

/// A port free on 127.0.0.1 for both TCP and UDP a moment ago.
pub fn free_udp_port() -> u16 {
    loop {
        let tcp = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind loopback TCP");
        let port = tcp.local_addr().expect("local address").port();
        if UdpSocket::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            return port;
        }
    }
}
