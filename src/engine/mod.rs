//! The diagnosis engine: everything AuthDoctor knows about 401s, with no UI and no printing.
//! It takes its HTTP client and clock as parameters ([`probe::Net`]) so tests can point it at
//! loopback servers and fixed clocks.

pub mod bounded;
pub mod cache;
pub mod challenge;
pub mod compare;
pub mod cookies;
pub mod credentials;
pub mod diagnosis;
pub mod dns;
pub mod exchange;
pub mod finding;
pub mod fingerprint;
pub mod har;
pub mod htaccess;
pub mod ntlm;
pub mod preflight;
pub mod probe;
pub mod redact;
pub mod report;
pub mod secret;
pub mod serverside;
pub mod services;
pub mod text;
pub mod time;
pub mod token;
pub mod token_exchange;
pub mod url_check;
pub(crate) mod work;

pub use credentials::Credentials;
pub use diagnosis::{CheckInput, Diagnosis, diagnose};
pub use finding::{Code, Finding, Severity};
pub use probe::{Net, NetOptions};
pub use secret::Secret;

/// The JSON text of `value` for a unit test, failing the test when it cannot be serialised (a
/// "never contains the secret" test must not pass on empty text).
#[cfg(test)]
pub(crate) fn test_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(text) => text,
        Err(e) => panic!("the value does not serialise: {e}"),
    }
}
