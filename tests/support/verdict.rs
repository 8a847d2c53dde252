//! `authdoctor check URL --json` run as a script runs it (the password or token on standard input), and
//! the verdict read from its JSON: the likely cause, the finding codes, what the signed-in test saw.

use serde_json::Value;

use super::cli::{authdoctor, finding_codes, json_of};

/// What the check is given to sign in with.
#[derive(Clone, Copy, Debug)]
pub enum SignIn<'a> {
    /// Nothing: only the answer without credentials.
    Nothing,
    /// `--user NAME --password-stdin`.
    Password {
        /// The user name.
        user: &'a str,
        /// The password, piped on standard input.
        password: &'a str,
    },
    /// `--bearer-stdin`: a token, piped on standard input.
    Token(&'a str),
}

/// Shorthand for [`SignIn::Password`].
pub fn password<'a>(user: &'a str, password: &'a str) -> SignIn<'a> {
    SignIn::Password { user, password }
}

/// What one `authdoctor check --json` said about an address.
#[derive(Debug)]
pub struct Verdict {
    /// The whole JSON object it printed.
    pub json: Value,
}

impl Verdict {
    /// The `likely_cause` code ("" when there is none).
    pub fn likely_cause(&self) -> &str {
        self.json["likely_cause"].as_str().unwrap_or_default()
    }

    /// Every finding code, in order.
    pub fn codes(&self) -> Vec<String> {
        finding_codes(&self.json)
    }

    /// Whether a finding with this code is present.
    pub fn has(&self, code: &str) -> bool {
        self.codes().iter().any(|present| present == code)
    }

    /// The signed-in test's status, if credentials were tested.
    pub fn signed_in_status(&self) -> Option<u64> {
        self.json["credentials"]["status"].as_u64()
    }

    /// The words of the likely cause's finding (title, detail, next steps, explanation), lowercase.
    pub fn likely_cause_words(&self) -> String {
        let Some(findings) = self.json["findings"].as_array() else {
            return String::new();
        };
        let Some(finding) = findings
            .iter()
            .find(|finding| finding["code"] == self.likely_cause())
        else {
            return String::new();
        };
        let mut words = Vec::new();
        for field in ["title", "detail", "explanation"] {
            words.push(finding[field].as_str().unwrap_or_default().to_owned());
        }
        if let Some(steps) = finding["next_steps"].as_array() {
            words.extend(
                steps
                    .iter()
                    .filter_map(|step| step.as_str().map(str::to_owned)),
            );
        }
        words.join("\n").to_lowercase()
    }

    /// Panics unless the likely cause's finding has words and never speaks of a user name and password
    /// (for a token the site refused: issue 12 §5). Saying what a token is ("used instead of a
    /// password") is fine; telling the user to check their user name or password is not.
    #[track_caller]
    pub fn assert_likely_cause_is_not_about_a_password(&self) {
        let words = self.likely_cause_words();
        assert!(
            !words.is_empty(),
            "no likely cause finding: {}",
            self.summary()
        );
        for phrase in [
            "user name",
            "username",
            "your password",
            "the password",
            "password file",
        ] {
            assert!(
                !words.contains(phrase),
                "the likely cause speaks of a {phrase} for a token: {words}\n{}",
                self.summary()
            );
        }
    }

    /// One line for failure messages: likely cause, codes, status with and without credentials.
    pub fn summary(&self) -> String {
        format!(
            "likely cause {:?}; codes {:?}; status {}; signed-in test: scheme {}, status {}, accepted {}",
            self.likely_cause(),
            self.codes(),
            self.json["status"],
            self.json["credentials"]["scheme"],
            self.json["credentials"]["status"],
            self.json["credentials"]["accepted"],
        )
    }

    /// Panics with the summary unless the likely cause is `expected`.
    #[track_caller]
    pub fn assert_likely_cause(&self, expected: &str) {
        assert_eq!(
            self.likely_cause(),
            expected,
            "expected the likely cause {expected:?}; today: {}",
            self.summary()
        );
    }

    /// Panics with the summary unless a finding `code` is present.
    #[track_caller]
    pub fn assert_has(&self, code: &str) {
        assert!(
            self.has(code),
            "expected a finding {code:?}; today: {}",
            self.summary()
        );
    }

    /// Panics with the summary if a finding `code` is present.
    #[track_caller]
    pub fn assert_lacks(&self, code: &str) {
        assert!(
            !self.has(code),
            "expected no finding {code:?}; today: {}",
            self.summary()
        );
    }
}

/// Runs `authdoctor check URL --json --timeout 10` signed in as given, and reads its verdict. The
/// verdict is also printed to stderr (shown for failing tests, or with `--nocapture`).
pub fn check(url: &str, sign_in: SignIn<'_>) -> Verdict {
    let mut args = vec!["check", url, "--json", "--timeout", "10"];
    let stdin = match sign_in {
        SignIn::Nothing => None,
        SignIn::Password { user, password } => {
            args.extend(["--user", user, "--password-stdin"]);
            Some(password)
        }
        SignIn::Token(token) => {
            args.push("--bearer-stdin");
            Some(token)
        }
    };
    let verdict = Verdict {
        json: json_of(&authdoctor(&args, stdin, &[])),
    };
    let given = match sign_in {
        SignIn::Nothing => "nothing",
        SignIn::Password { .. } => "a password",
        SignIn::Token(_) => "a token",
    };
    eprintln!("verdict for {url} with {given}: {}", verdict.summary());
    verdict
}
