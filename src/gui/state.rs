//! The GUI's plain state, shared by the app and the steps: what is remembered between runs, what the
//! user typed on the start page, the outcome of a check, and a trainee's case. No egui, no I/O.

use serde::{Deserialize, Serialize};

use crate::engine::probe::DEFAULT_DEADLINE_SECS;
use crate::engine::{Code, Credentials, Diagnosis};
use crate::gui::theme::ThemeChoice;
use crate::lab::Scenario;

/// What is remembered between runs. Never a password, token, or cookie.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently checked addresses, newest first, with secrets removed.
    pub recent: Vec<String>,
    /// Text size (egui zoom factor).
    pub zoom: f32,
    /// Larger text, prominent step titles and a script to read to the customer.
    pub helpdesk_mode: bool,
    /// Light, dark, or like the system.
    pub theme: ThemeChoice,
    /// The time limit on a whole check, in seconds (every request, retry and DNS query).
    pub deadline_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            zoom: 1.0,
            helpdesk_mode: false,
            theme: ThemeChoice::System,
            deadline_secs: DEFAULT_DEADLINE_SECS,
        }
    }
}

/// What the user typed on the start page.
#[derive(Default)]
pub struct StartForm {
    /// The address field.
    pub address: String,
    /// Show the sign-in fields.
    pub with_credentials: bool,
    /// User name.
    pub user: String,
    /// Password (masked; cleared as soon as a check takes it).
    pub password: String,
    /// Bearer token (masked; cleared likewise).
    pub token: String,
    /// Cookies exported from the browser (a Cookie header, Set-Cookie lines, cookies.txt, HAR or
    /// JSON), cleared like the password.
    pub cookies: String,
    /// Set when the last check used sign-in details that were then forgotten.
    pub secrets_were_used: bool,
    /// Keep the password, token and cookies in memory until the window closes, for Re-run.
    pub keep_secrets: bool,
    /// The page whose script calls the address (optional): the check then sends the browser's
    /// CORS preflight from its origin.
    pub origin: String,
}

/// Sign-in details kept in memory (never on disk) for Re-run, when the user asked for it.
#[derive(Clone, Debug, Default)]
pub struct KeptSecrets {
    /// User name, password and token.
    pub credentials: Credentials,
    /// Cookies from the browser.
    pub cookies: Option<String>,
}

/// The outcome of a background check: the diagnosis, or why the check could not start.
pub type CheckOutcome = Result<Diagnosis, String>;

impl Settings {
    /// The shortest time limit a check may be given, in seconds: a slow site needs a few.
    pub const MIN_DEADLINE_SECS: u64 = 5;
    /// The longest, in seconds.
    pub const MAX_DEADLINE_SECS: u64 = 600;

    /// The time limit to use, within bounds whatever a settings file says.
    #[must_use]
    pub fn deadline_secs(&self) -> u64 {
        self.deadline_secs
            .clamp(Self::MIN_DEADLINE_SECS, Self::MAX_DEADLINE_SECS)
    }
}

/// A trainee working on a lab scenario.
#[derive(Clone, Debug)]
pub struct Trainee {
    /// The scenario being practised.
    pub scenario: Scenario,
    /// Its number in the lab (1-based), as in its address `/case/N`.
    pub number: usize,
    /// The answers offered, in this run's order.
    pub choices: Vec<Code>,
    /// The trainee's answer, once given.
    pub answer: Option<Code>,
    /// Wrong answers given so far.
    pub wrong_tries: u32,
    /// The trainee asked to see the answer.
    pub revealed: bool,
}

impl Trainee {
    /// True when the answer given is the cause.
    #[must_use]
    pub fn is_right(&self) -> bool {
        self.answer == Some(self.scenario.cause)
    }

    /// True once the findings may be shown: answered right, or the answer was shown.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.is_right() || self.revealed
    }
}
