//! The practice lab: a real HTTP server on 127.0.0.1 with realistic 401 scenarios, so the whole
//! wizard can be learned with no internet. Scenario texts are data (`assets/lab/scenarios.toml`);
//! how each scenario's server behaves is in [`scenarios`].

mod reply;
pub mod scenarios;
mod todays;

use std::future::Future as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::oneshot;

use crate::engine::Code;

const SCENARIOS_TOML: &str = include_str!("../../assets/lab/scenarios.toml");

/// Why the lab could not start.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// The port is taken or not allowed.
    #[error("the practice lab could not listen on 127.0.0.1:{port}: {reason}")]
    Bind {
        /// The port asked for (0 = any free one).
        port: u16,
        /// The system's words.
        reason: String,
    },
    /// The scenario file is broken (a build problem, caught by a unit test).
    #[error("the lab scenarios could not be read: {0}")]
    Scenarios(String),
}

/// One practice scenario, as written in `assets/lab/scenarios.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// Stable identifier, also the behaviour key.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Where it lives under its case address (`/staff/`), as written in the file.
    pub page: String,
    /// Where it lives on the lab server: `/case/N` and the page. Set when the file is read, so
    /// the address names a number, never the cause.
    #[serde(default)]
    pub path: String,
    /// What the customer says.
    pub story: String,
    /// User name given in the story.
    #[serde(default)]
    pub check_user: Option<String>,
    /// Password given in the story (a practice value, not a secret of anyone's).
    #[serde(default)]
    pub check_password: Option<String>,
    /// Token given in the story; `{expired_jwt}` and `{future_jwt}` are made when the lab starts.
    #[serde(default)]
    pub check_token: Option<String>,
    /// Cookies exported from the customer's browser (Netscape cookies.txt).
    #[serde(default)]
    pub check_cookies_txt: Option<String>,
    /// The page whose script calls the address, given in the story (the check then sends the
    /// browser's CORS preflight from it).
    #[serde(default)]
    pub check_origin: Option<String>,
    /// The finding code the diagnosis must name.
    pub cause: Code,
    /// The answers offered to the trainee (codes).
    pub choices: Vec<Code>,
    /// What the trainee should learn.
    pub lesson: String,
}

#[derive(Deserialize)]
struct ScenarioFile {
    scenario: Vec<Scenario>,
}

/// The neutral address of the `number`-th case (1-based): `/case/7`.
#[must_use]
pub fn case_base(number: usize) -> String {
    format!("/case/{number}")
}

/// Every scenario, in the order of the file, each at its case address.
pub fn all_scenarios() -> Result<Vec<Scenario>, LabError> {
    let mut scenarios = toml::from_str::<ScenarioFile>(SCENARIOS_TOML)
        .map(|f| f.scenario)
        .map_err(|e| LabError::Scenarios(e.to_string()))?;
    for (i, s) in scenarios.iter_mut().enumerate() {
        let base = case_base(i + 1);
        s.path = format!("{base}{}", s.page);
        s.story = s.story.replace("{case}", &base);
        s.lesson = s.lesson.replace("{case}", &base);
        if let Some(cookies) = &mut s.check_cookies_txt {
            *cookies = cookies.replace("{case}", &base);
        }
    }
    Ok(scenarios)
}

/// The choices in an order of their own for each run (`seed`), so the right answer is not always
/// in the same place. A small xorshift: no cryptography needed, only a different order.
#[must_use]
pub fn shuffled(choices: &[Code], seed: u64) -> Vec<Code> {
    let mut out = choices.to_vec();
    let mut state = seed | 1;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    out
}

/// Shared state of a running lab.
#[derive(Debug)]
pub struct LabState {
    /// The lab's port.
    pub port: u16,
    /// When the lab started: the tokens' times are set from it.
    pub started: SystemTime,
}

impl LabState {
    fn unix_now(&self) -> i64 {
        self.started
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    /// A practice JWT (not signed by anything real) with these claims.
    #[must_use]
    pub fn jwt(&self, claims: &serde_json::Value) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = b64.encode(claims.to_string().as_bytes());
        let signature = b64.encode(b"authdoctor-practice-lab-signature");
        format!("{header}.{body}.{signature}")
    }

    /// The token whose `exp` passed three hours before the lab started.
    #[must_use]
    pub fn expired_jwt(&self) -> String {
        let now = self.unix_now();
        self.jwt(&serde_json::json!({
            "iss": "https://login.practice.test", "sub": "trainee", "aud": format!("http://127.0.0.1:{}", self.port),
            "iat": now - 4 * 3600, "exp": now - 3 * 3600,
        }))
    }

    /// The token that becomes valid two hours after the lab started.
    #[must_use]
    pub fn future_jwt(&self) -> String {
        let now = self.unix_now();
        self.jwt(&serde_json::json!({
            "iss": "https://login.practice.test", "sub": "integration", "aud": format!("http://127.0.0.1:{}", self.port),
            "iat": now + 2 * 3600, "nbf": now + 2 * 3600, "exp": now + 6 * 3600,
        }))
    }

    /// The token the story gives, with `{expired_jwt}` / `{future_jwt}` filled in.
    #[must_use]
    pub fn story_token(&self, scenario: &Scenario) -> Option<String> {
        let raw = scenario.check_token.as_deref()?;
        Some(match raw {
            "{expired_jwt}" => self.expired_jwt(),
            "{future_jwt}" => self.future_jwt(),
            other => other.to_owned(),
        })
    }
}

/// A running lab. Dropping it stops the server.
pub struct Lab {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its scenarios.
    pub scenarios: Vec<Scenario>,
    /// Shared state (port, start time).
    pub state: Arc<LabState>,
    stop: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Lab {
    /// Starts the lab on 127.0.0.1:`port` (0 = any free port). Must run inside a tokio runtime.
    pub async fn start(port: u16) -> Result<Lab, LabError> {
        Lab::start_with_idle_timeout(port, IDLE_TIMEOUT).await
    }

    /// Starts the lab closing connections idle for `idle` instead of [`IDLE_TIMEOUT`].
    pub async fn start_with_idle_timeout(port: u16, idle: Duration) -> Result<Lab, LabError> {
        let scenarios = all_scenarios()?;
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .map_err(|e| LabError::Bind {
                port,
                reason: e.to_string(),
            })?;
        let addr = listener.local_addr().map_err(|e| LabError::Bind {
            port,
            reason: e.to_string(),
        })?;
        let state = Arc::new(LabState {
            port: addr.port(),
            started: SystemTime::now(),
        });
        let router = scenarios::router(state.clone(), scenarios.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let listener = IdleClosing {
            inner: listener,
            idle,
        };
        tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            // A serve error ends the lab; the GUI notices when requests fail.
            let _ = serve.await;
        });
        Ok(Lab {
            addr,
            scenarios,
            state,
            stop: Some(stop),
        })
    }

    /// The full address of a scenario.
    #[must_use]
    pub fn url(&self, scenario: &Scenario) -> String {
        format!("http://{}{}", self.addr, scenario.path)
    }

    /// Runs until Ctrl+C (for `authdoctor lab`).
    pub async fn run_until_interrupted(mut self) {
        let _ = tokio::signal::ctrl_c().await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// How long the lab keeps a connection on which nothing arrives or leaves: a client that opens a
/// connection and sends nothing (or half a request) does not hold it for ever.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// The lab's listener: each accepted connection closes after [`IDLE_TIMEOUT`] without traffic.
struct IdleClosing {
    inner: tokio::net::TcpListener,
    idle: Duration,
}

impl axum::serve::Listener for IdleClosing {
    type Io = IdleTimeout<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (IdleTimeout::new(stream, self.idle), addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A connection that fails its reads once `idle` has passed with no byte read or written.
struct IdleTimeout<T> {
    inner: T,
    idle: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl<T> IdleTimeout<T> {
    fn new(inner: T, idle: Duration) -> Self {
        IdleTimeout {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn touch(&mut self) {
        let next = tokio::time::Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for IdleTimeout<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.touch();
                Poll::Ready(result)
            }
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the connection was idle too long",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        if result.is_ready() {
            this.touch();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_file_has_at_least_fourteen_scenarios_each_with_its_cause_among_the_choices() {
        let scenarios = all_scenarios().unwrap_or_else(|e| panic!("{e}"));
        assert!(scenarios.len() >= 14, "{}", scenarios.len());
        for s in &scenarios {
            assert!(
                s.choices.contains(&s.cause),
                "{}: the cause is not among the choices",
                s.id
            );
            assert!(s.choices.len() >= 3, "{}", s.id);
            assert!(s.path.starts_with('/'), "{}", s.id);
            assert!(scenarios::knows(&s.id), "{} has no behaviour", s.id);
        }
        for (i, s) in scenarios.iter().enumerate() {
            assert!(
                s.path.starts_with(&format!("/case/{}/", i + 1)),
                "{}: the address names the case number only: {}",
                s.id,
                s.path
            );
            let words = s.id.split('-').filter(|w| w.len() > 3);
            for word in words {
                assert!(
                    !s.path.contains(word),
                    "{}: {} gives the cause away",
                    s.id,
                    s.path
                );
            }
            assert!(!s.story.contains("{case}"), "{}", s.id);
        }
        let mut ids: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), scenarios.len(), "scenario ids are unique");
    }

    #[test]
    fn shuffled_choices_keep_every_answer_and_do_not_always_put_the_right_one_first() {
        let scenarios = all_scenarios().unwrap_or_else(|e| panic!("{e}"));
        let mut first_is_right = 0;
        let mut runs = 0;
        for s in &scenarios {
            for seed in 0..20_u64 {
                let order = shuffled(&s.choices, seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                let mut sorted = order.clone();
                sorted.sort_by_key(|c| c.as_str());
                let mut original = s.choices.clone();
                original.sort_by_key(|c| c.as_str());
                assert_eq!(sorted, original, "{}", s.id);
                first_is_right += usize::from(order.first() == Some(&s.cause));
                runs += 1;
            }
        }
        // Four choices: about a quarter of the runs, far from all of them.
        assert!(first_is_right * 2 < runs, "{first_is_right} of {runs}");
    }
}
