//! An https server on loopback with certificates made by `rcgen`: trusted by a test authority,
//! expired, self-signed, or issued for another name; speaking HTTP/1.1 or HTTP/2 only (ALPN `h2`).
//!
//! ```ignore
//! let server = TlsServer::start(&TlsSetup::new().certificate(Certificate::Expired));
//! // Trust `server.ca_pem()` (NetOptions::extra_root_certs_pem) so the expiry is the only fault.
//! ```

use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

/// The realm every answer of the TLS server asks for.
pub const TLS_REALM: &str = "Secure area";

/// Which certificate the server presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Certificate {
    /// Signed by the test authority ([`TlsServer::ca_pem`]) and valid now.
    Trusted,
    /// Signed by the test authority, but its end date (1 January 2021) has passed.
    Expired,
    /// Signed by itself: no authority vouches for it.
    SelfSigned,
}

/// Which HTTP the server speaks once the secure connection is up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// HTTP/1.1, offered with ALPN `http/1.1`.
    Http1,
    /// HTTP/2 only: ALPN offers nothing but `h2`, so a client without HTTP/2 cannot connect.
    Http2Only,
}

/// How to start a [`TlsServer`].
#[derive(Clone, Debug)]
pub struct TlsSetup {
    certificate: Certificate,
    names: Vec<String>,
    protocol: Protocol,
}

impl Default for TlsSetup {
    fn default() -> Self {
        Self::new()
    }
}

impl TlsSetup {
    /// A trusted certificate for `127.0.0.1` and `localhost`, HTTP/1.1.
    pub fn new() -> Self {
        Self {
            certificate: Certificate::Trusted,
            names: vec!["127.0.0.1".to_owned(), "localhost".to_owned()],
            protocol: Protocol::Http1,
        }
    }

    /// Presents this kind of certificate.
    #[must_use]
    pub fn certificate(mut self, certificate: Certificate) -> Self {
        self.certificate = certificate;
        self
    }

    /// Issues the certificate for these names (DNS names or IP addresses) only.
    #[must_use]
    pub fn names(mut self, names: &[&str]) -> Self {
        self.names = names.iter().map(|name| (*name).to_owned()).collect();
        self
    }

    /// Speaks this protocol.
    #[must_use]
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }
}

/// An https server on `127.0.0.1` that answers every request `401` with a Basic challenge for
/// [`TLS_REALM`]; dropping it stops it.
pub struct TlsServer {
    address: SocketAddr,
    ca_pem: String,
    requests: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TlsServer {
    /// Makes the certificates and starts serving on a free port.
    pub fn start(setup: &TlsSetup) -> Self {
        let (ca_pem, chain, key) = make_certificates(setup);
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("tls server: protocol versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("tls server: certificate and key");
        config.alpn_protocols = match setup.protocol {
            Protocol::Http1 => vec![b"http/1.1".to_vec()],
            Protocol::Http2Only => vec![b"h2".to_vec()],
        };
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = StdTcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .expect("tls server: cannot bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("tls server: cannot make the listener non-blocking");
        let address = listener
            .local_addr()
            .expect("tls server: the listener has no local address");
        let requests = Arc::new(AtomicUsize::new(0));
        let (shutdown, shutdown_signal) = oneshot::channel::<()>();
        let thread_requests = Arc::clone(&requests);
        let protocol = setup.protocol;
        let thread = std::thread::Builder::new()
            .name(format!("tls-server-{}", address.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("tls server: cannot build its tokio runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener)
                        .expect("tls server: cannot register the listener");
                    tokio::select! {
                        () = accept_loop(listener, acceptor, protocol, thread_requests) => {}
                        _ = shutdown_signal => {}
                    }
                });
            })
            .expect("tls server: cannot spawn its thread");
        Self {
            address,
            ca_pem,
            requests,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `https://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        self.url_for_host("127.0.0.1", path)
    }

    /// `https://HOST:PORT/path`, for a host name mapped to this server (`NetOptions::resolve`).
    pub fn url_for_host(&self, host: &str, path: &str) -> String {
        let separator = if path.starts_with('/') { "" } else { "/" };
        format!("https://{host}:{}{separator}{path}", self.address.port())
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The test authority's certificate (PEM): trust it to make [`Certificate::Trusted`] valid.
    pub fn ca_pem(&self) -> Vec<u8> {
        self.ca_pem.clone().into_bytes()
    }

    /// How many HTTP requests arrived over a completed secure connection.
    pub fn request_count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The test authority's PEM, and the server's certificate chain and key.
fn make_certificates(
    setup: &TlsSetup,
) -> (
    String,
    Vec<pki_types::CertificateDer<'static>>,
    pki_types::PrivateKeyDer<'static>,
) {
    let ca_key = KeyPair::generate().expect("tls server: authority key");
    let mut ca_params =
        CertificateParams::new(Vec::<String>::new()).expect("tls server: authority parameters");
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "AuthDoctor test authority");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .expect("tls server: authority certificate");
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().expect("tls server: server key");
    let mut params = CertificateParams::new(setup.names.clone()).expect("tls server: names");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "AuthDoctor test server");
    if setup.certificate == Certificate::Expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let cert = match setup.certificate {
        Certificate::SelfSigned => params.self_signed(&key),
        Certificate::Trusted | Certificate::Expired => params.signed_by(&key, &issuer),
    }
    .expect("tls server: server certificate");
    let key_der =
        pki_types::PrivateKeyDer::Pkcs8(pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()));
    (ca_cert.pem(), vec![cert.der().clone()], key_der)
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    protocol: Protocol,
    requests: Arc<AtomicUsize>,
) {
    loop {
        let Ok((stream, _peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let acceptor = acceptor.clone();
        let requests = Arc::clone(&requests);
        tokio::spawn(async move {
            // A client that refuses the certificate ends the handshake; that is what tests expect.
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            match protocol {
                Protocol::Http1 => {
                    let _ = serve_http1(tls, &requests).await;
                }
                Protocol::Http2Only => serve_http2(tls, requests).await,
            }
        });
    }
}

/// Reads one request head and answers 401 with a Basic challenge, then closes.
async fn serve_http1(
    mut tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    requests: &AtomicUsize,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut chunk = [0_u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = tls.read(&mut chunk).await?;
        if read == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let body = "sign in first";
    let answer = format!(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"{TLS_REALM}\"\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(answer.as_bytes()).await?;
    tls.shutdown().await
}

/// Serves HTTP/2 with hyper; every request gets 401 with a Basic challenge.
async fn serve_http2(
    tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    requests: Arc<AtomicUsize>,
) {
    let service = hyper::service::service_fn(move |_request| {
        requests.fetch_add(1, Ordering::SeqCst);
        async {
            hyper::Response::builder()
                .status(hyper::StatusCode::UNAUTHORIZED)
                .header(
                    hyper::header::WWW_AUTHENTICATE,
                    format!("Basic realm=\"{TLS_REALM}\""),
                )
                .body(Full::new(Bytes::from_static(b"sign in first")))
        }
    });
    let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
        .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
        .await;
}
