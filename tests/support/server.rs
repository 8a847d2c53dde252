//! A programmable HTTP/1.1 server on loopback: every request gets the `Reply` the test's handler returns.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener as StdTcpListener};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Largest request head (request line and headers) the server reads.
const MAX_HEAD_BYTES: usize = 1024 * 1024;
/// Largest request body the server reads; a bigger one ends the connection without a reply.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Size of one chunk of an endless body.
const ENDLESS_CHUNK_BYTES: usize = 16 * 1024;

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target as sent: path and query, e.g. `/secret/?a=1`.
    pub path: String,
    /// Header fields in the order received; names are lowercase, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked if it was sent chunked.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of the header `name` (any case), if the request has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header_name, _)| header_name.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The value of the first cookie named `name` in the `Cookie` header, as a server that reads
    /// only the first one (most do) sees it.
    pub fn first_cookie(&self, name: &str) -> Option<&str> {
        self.header("cookie")?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value)
    }

    /// Every value of the header `name` (any case), in the order received.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(header_name, _)| header_name.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// What the server does with one connection after reading its request.
#[derive(Clone, Debug)]
enum Behaviour {
    /// Status line, headers, `Content-Length` and body, then close.
    Complete,
    /// These bytes verbatim, then close.
    Raw(Vec<u8>),
    /// Nothing, keeping the socket open until the server is dropped.
    Never,
    /// These bytes verbatim, one at a time with a pause before each, then close.
    Trickle {
        bytes: Vec<u8>,
        delay_per_byte: Duration,
    },
    /// Status line and headers, then a chunked body that never ends.
    EndlessBody,
    /// These bytes, then a TCP reset (`SO_LINGER` 0 and close).
    Reset { partial: Vec<u8> },
}

/// The server's answer to one request; build it with `Reply::status(401).header(…).body(…)`.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    behaviour: Behaviour,
}

impl Reply {
    /// A complete response with this status code and an empty body.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            behaviour: Behaviour::Complete,
        }
    }

    /// `200 OK` with this body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self::status(200).body(body)
    }

    /// Adds a header field; the server adds `Content-Length` and `Connection: close` itself unless set here.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body; `Content-Length` follows from it.
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Writes these bytes verbatim (a whole response, or garbage) and closes the connection.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            behaviour: Behaviour::Raw(bytes.into()),
            ..Self::status(200)
        }
    }

    /// Reads the request and never answers; the socket stays open until the server is dropped.
    pub fn never() -> Self {
        Self {
            behaviour: Behaviour::Never,
            ..Self::status(200)
        }
    }

    /// Writes these bytes verbatim one at a time, sleeping `delay_per_byte` before each, then closes.
    pub fn trickle(bytes: impl Into<Vec<u8>>, delay_per_byte: Duration) -> Self {
        Self {
            behaviour: Behaviour::Trickle {
                bytes: bytes.into(),
                delay_per_byte,
            },
            ..Self::status(200)
        }
    }

    /// `200 OK` followed by a chunked body that never ends (until the client hangs up or the server drops).
    pub fn endless_body() -> Self {
        Self::status(200).endless()
    }

    /// Keeps this reply's status and headers but sends a chunked body that never ends.
    #[must_use]
    pub fn endless(mut self) -> Self {
        self.behaviour = Behaviour::EndlessBody;
        self
    }

    /// Sends the start of a `401` response, then resets the connection (TCP RST).
    pub fn reset() -> Self {
        Self::reset_after("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic re")
    }

    /// Sends these bytes, then resets the connection (TCP RST); pass `""` to reset at once.
    pub fn reset_after(partial: impl Into<Vec<u8>>) -> Self {
        Self {
            behaviour: Behaviour::Reset {
                partial: partial.into(),
            },
            ..Self::status(200)
        }
    }

    /// Whether the test set header `name` itself.
    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(header_name, _)| header_name.eq_ignore_ascii_case(name))
    }

    /// Status line and header section, with the framing headers the test did not set.
    fn head(&self, body_framing: BodyFraming) -> Vec<u8> {
        let mut lines = vec![format!(
            "HTTP/1.1 {} {}",
            self.status,
            reason_phrase(self.status)
        )];
        lines.extend(
            self.headers
                .iter()
                .map(|(name, value)| format!("{name}: {value}")),
        );
        let framing_set = self.has_header("content-length") || self.has_header("transfer-encoding");
        if !framing_set {
            lines.push(match body_framing {
                BodyFraming::ContentLength(length) => format!("Content-Length: {length}"),
                BodyFraming::Chunked => "Transfer-Encoding: chunked".to_owned(),
            });
        }
        if !self.has_header("connection") {
            lines.push("Connection: close".to_owned());
        }
        let mut head = lines.join("\r\n");
        head.push_str("\r\n\r\n");
        head.into_bytes()
    }
}

/// How a reply's body is delimited.
#[derive(Clone, Copy)]
enum BodyFraming {
    ContentLength(usize),
    Chunked,
}

/// The usual reason phrase for a status code.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// The test's request handler, shared by all connections.
type Handler = dyn Fn(&Request) -> Reply + Send + Sync + 'static;

/// What the server thread shares with the test: the requests it received and the panics of the
/// handler (each one fails the test when the server is dropped).
#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Request>>,
    panics: Mutex<Vec<String>>,
}

/// A programmable HTTP/1.1 server on its own thread and tokio runtime; dropping it stops it.
///
/// Works from plain `#[test]` and from `#[tokio::test]` alike. Every reply carries
/// `Connection: close`; there is no keep-alive. A panic in the handler closes that connection
/// without an answer and fails the test when the server is dropped, so an assertion inside a
/// handler has teeth.
pub struct TestServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on `127.0.0.1` (a free port) that answers each request with `handler(request)`.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_on(
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            Arc::new(handler),
        )
    }

    /// Like `start`, but on `[::1]`.
    pub fn start_v6(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_on(
            SocketAddr::from((Ipv6Addr::LOCALHOST, 0)),
            Arc::new(handler),
        )
    }

    fn start_on(address: SocketAddr, handler: Arc<Handler>) -> Self {
        let listener = StdTcpListener::bind(address)
            .unwrap_or_else(|error| panic!("test server: cannot bind {address}: {error}"));
        listener
            .set_nonblocking(true)
            .expect("test server: cannot make the listener non-blocking");
        let address = listener
            .local_addr()
            .expect("test server: the listener has no local address");
        let shared = Arc::new(Shared::default());
        let (shutdown, shutdown_signal) = oneshot::channel::<()>();
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("test-server-{}", address.port()))
            .spawn(move || run(listener, handler, thread_shared, shutdown_signal))
            .expect("test server: cannot spawn its thread");
        Self {
            address,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The full URL of `path` on this server, e.g. `http://127.0.0.1:4321/secret/`.
    pub fn url(&self, path: &str) -> String {
        let separator = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{separator}{path}", self.address)
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The thread may already be gone (its runtime failed); nothing to stop then.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread was already printed; don't panic again while dropping.
            let _ = thread.join();
        }
        let panics = std::mem::take(
            &mut *self
                .shared
                .panics
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        // While the test is already failing, a second panic would abort the process.
        assert!(
            panics.is_empty() || std::thread::panicking(),
            "test server: the handler panicked: {}",
            panics.join("; ")
        );
    }
}

/// The server thread: accepts connections until shutdown, then drops the runtime, closing every socket.
fn run(
    listener: StdTcpListener,
    handler: Arc<Handler>,
    shared: Arc<Shared>,
    shutdown_signal: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("test server: cannot build its tokio runtime");
    runtime.block_on(async move {
        let listener =
            TcpListener::from_std(listener).expect("test server: cannot register the listener");
        tokio::select! {
            () = accept_loop(listener, handler, shared) => {}
            _ = shutdown_signal => {}
        }
    });
    // Dropping the runtime cancels the connection tasks, which closes their sockets.
    drop(runtime);
}

async fn accept_loop(listener: TcpListener, handler: Arc<Handler>, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _peer)) = listener.accept().await else {
            // Out of file descriptors or similar; back off briefly rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let handler = Arc::clone(&handler);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            // A client that hangs up mid-way is normal in these tests; the error ends this connection only.
            let _ = serve_connection(stream, &*handler, &shared).await;
        });
    }
}

/// The message of a handler's panic, with the request it was answering.
fn panic_text(payload: &(dyn std::any::Any + Send), request: &Request) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    format!("{message} (answering {} {})", request.method, request.path)
}

async fn serve_connection(
    stream: TcpStream,
    handler: &Handler,
    shared: &Shared,
) -> std::io::Result<()> {
    let mut connection = Connection {
        stream,
        buffer: Vec::new(),
    };
    let request = connection.read_request().await?;
    shared
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request.clone());
    // Caught here, because a panic inside a spawned task would be swallowed by the runtime.
    let reply = match std::panic::catch_unwind(AssertUnwindSafe(|| handler(&request))) {
        Ok(reply) => reply,
        Err(payload) => {
            shared
                .panics
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(panic_text(&*payload, &request));
            return Ok(());
        }
    };
    let mut stream = connection.stream;
    match reply.behaviour {
        Behaviour::Complete => {
            let mut bytes = reply.head(BodyFraming::ContentLength(reply.body.len()));
            if request.method != "HEAD" {
                bytes.extend_from_slice(&reply.body);
            }
            stream.write_all(&bytes).await?;
            stream.shutdown().await?;
        }
        Behaviour::Raw(ref bytes) => {
            stream.write_all(bytes).await?;
            stream.shutdown().await?;
        }
        Behaviour::Never => {
            // Hold the socket; the runtime's shutdown cancels this task and closes it.
            std::future::pending::<()>().await;
        }
        Behaviour::Trickle {
            ref bytes,
            delay_per_byte,
        } => {
            for byte in bytes {
                tokio::time::sleep(delay_per_byte).await;
                stream.write_all(std::slice::from_ref(byte)).await?;
                stream.flush().await?;
            }
            stream.shutdown().await?;
        }
        Behaviour::EndlessBody => {
            stream.write_all(&reply.head(BodyFraming::Chunked)).await?;
            let mut chunk = format!("{ENDLESS_CHUNK_BYTES:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b'a', ENDLESS_CHUNK_BYTES));
            chunk.extend_from_slice(b"\r\n");
            loop {
                // Ends when the client hangs up (write error) or the server drops (task cancelled).
                stream.write_all(&chunk).await?;
            }
        }
        Behaviour::Reset { ref partial } => {
            stream.write_all(partial).await?;
            stream.flush().await?;
            stream.set_zero_linger()?;
            drop(stream);
        }
    }
    Ok(())
}

/// A connection with the bytes read but not yet consumed.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    /// Reads more bytes into the buffer; an early end of stream is an error.
    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0_u8; 8192];
        let read = self.stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buffer
            .extend_from_slice(chunk.get(..read).unwrap_or_default());
        Ok(())
    }

    /// Takes the first `count` buffered bytes, reading more as needed.
    async fn take(&mut self, count: usize) -> std::io::Result<Vec<u8>> {
        while self.buffer.len() < count {
            self.fill().await?;
        }
        let rest = self.buffer.split_off(count);
        Ok(std::mem::replace(&mut self.buffer, rest))
    }

    /// Takes bytes up to and including `delimiter`, reading at most `limit` bytes.
    async fn take_through(&mut self, delimiter: &[u8], limit: usize) -> std::io::Result<Vec<u8>> {
        loop {
            if let Some(position) = self
                .buffer
                .windows(delimiter.len())
                .position(|window| window == delimiter)
            {
                return self.take(position + delimiter.len()).await;
            }
            if self.buffer.len() > limit {
                return Err(invalid("request head too long"));
            }
            self.fill().await?;
        }
    }

    async fn read_request(&mut self) -> std::io::Result<Request> {
        let head = self.take_through(b"\r\n\r\n", MAX_HEAD_BYTES).await?;
        let head = String::from_utf8_lossy(&head);
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
            return Err(invalid("malformed request line"));
        };
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let mut request = Request {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body: Vec::new(),
        };
        if request
            .header("expect")
            .is_some_and(|expect| expect.eq_ignore_ascii_case("100-continue"))
        {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await?;
        }
        let chunked = request
            .header("transfer-encoding")
            .is_some_and(|coding| coding.to_ascii_lowercase().contains("chunked"));
        if chunked {
            request.body = self.read_chunked_body().await?;
        } else if let Some(length) = request.header("content-length") {
            let length: usize = length.parse().map_err(|_| invalid("bad content-length"))?;
            if length > MAX_BODY_BYTES {
                return Err(invalid("request body too large"));
            }
            request.body = self.take(length).await?;
        }
        Ok(request)
    }

    async fn read_chunked_body(&mut self) -> std::io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let size_line = self.take_through(b"\r\n", MAX_HEAD_BYTES).await?;
            let size_line = String::from_utf8_lossy(&size_line);
            let size_hex = size_line.split(';').next().unwrap_or_default().trim();
            let size =
                usize::from_str_radix(size_hex, 16).map_err(|_| invalid("bad chunk size"))?;
            if size == 0 {
                // Trailer fields, if any, end with an empty line.
                loop {
                    if self.take_through(b"\r\n", MAX_HEAD_BYTES).await? == b"\r\n" {
                        return Ok(body);
                    }
                }
            }
            if body.len() + size > MAX_BODY_BYTES {
                return Err(invalid("request body too large"));
            }
            body.extend(self.take(size).await?);
            self.take(2).await?;
        }
    }
}

fn invalid(message: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_owned())
}
