//! The history of checks and "is it fixed?" in the real app, driven by `egui_kittest`: a check of
//! a loopback site that answers 401, the site fixed, a re-run that says the 401 is gone; the
//! history file holds the address without its secret and never a password; turning the history
//! off and clearing it empties the file. And the calling page's field feeds the preflight.
#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use authdoctor::gui::features::history::{
    CHANGE_HEADING, CLEAR_HISTORY_BUTTON, HISTORY_HEADING, HistoryFile, KEEP_HISTORY_LABEL,
};
use authdoctor::gui::steps::preflight::{ORIGIN_LABEL, PREFLIGHT_HEADING};
use authdoctor::gui::steps::start::{
    ADDRESS_LABEL, CHECK_BUTTON, PASSWORD_LABEL, USER_LABEL, WITH_CREDENTIALS_LABEL,
};
use egui_kittest::kittest::Queryable as _;
use support::{Gui, Reply, TestServer};

fn open_app(history: Option<PathBuf>) -> Gui {
    Gui::open(egui::vec2(1000.0, 900.0), move |app, cc| {
        if let Some(path) = history {
            app.use_history_file(&cc.egui_ctx, path);
        }
    })
}

impl Gui {
    /// Clicks `label`; a click that starts a check keeps the spinner turning, so the frames
    /// run until the page settles or a few have passed.
    fn click(&mut self, label: &str) {
        self.harness.get_by_label(label).click();
        self.harness.run_ok();
    }

    /// Waits until the history file on disk satisfies `done`, and returns it.
    fn wait_for_file(&mut self, path: &Path, done: impl Fn(&HistoryFile) -> bool) -> HistoryFile {
        let mut file = None;
        self.wait_until("the history file written", |_| {
            let read = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| serde_json::from_str::<HistoryFile>(&t).ok());
            let ok = read.as_ref().is_some_and(&done);
            file = read;
            ok
        });
        file.unwrap()
    }
}

/// A members page that answers 401 until `fixed` is set, then 200 to alice's password.
fn site(fixed: Arc<AtomicBool>) -> TestServer {
    TestServer::start(move |r| {
        let right = r.header("authorization") == Some("Basic YWxpY2U6Z2FyZGVuLTQ0MTc=");
        if fixed.load(Ordering::SeqCst) && right {
            Reply::ok("welcome")
        } else {
            Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Members\"")
        }
    })
}

#[test]
fn a_re_check_after_the_fix_says_the_401_is_gone_and_the_history_keeps_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("history.json");
    let fixed = Arc::new(AtomicBool::new(false));
    let server = site(fixed.clone());
    let address = server.url("/members/?api_key=k3y-never-kept-8812");
    let mut gui = open_app(Some(path.clone()));
    gui.harness.run();
    gui.harness.get_by_label(HISTORY_HEADING);

    gui.type_into(ADDRESS_LABEL, &address);
    gui.click(WITH_CREDENTIALS_LABEL);
    gui.type_into(USER_LABEL, "alice");
    gui.type_into(PASSWORD_LABEL, "garden-4417");
    // Keep the password in memory so Re-run can use it again.
    gui.click(authdoctor::gui::steps::start::KEEP_LABEL);
    gui.click(CHECK_BUTTON);
    gui.wait_for_label("The site answered 401");
    let first = gui.wait_for_file(&path, |f| f.checks.len() == 1);
    assert_eq!(first.checks[0].answer_status(), Some(401));
    assert!(first.checks[0].failing());
    // The first check of an address has nothing to compare with.
    assert!(gui.harness.state().history.last_change.is_none());

    fixed.store(true, Ordering::SeqCst);
    gui.click("Re-run with the kept password");
    gui.wait_until("the re-check recorded", |g| {
        g.harness.state().history.file.checks.len() == 2
    });
    gui.harness.run();
    gui.click("5 Diagnosis");
    gui.harness.get_by_label(CHANGE_HEADING);
    let change = gui.harness.state().history.last_change.clone().unwrap();
    assert_eq!(change.verdict, authdoctor::engine::compare::Verdict::Fixed);
    gui.harness.get_by_label_contains("401 is gone");

    let file = gui.wait_for_file(&path, |f| f.checks.len() == 2);
    assert_eq!(file.checks[0].answer_status(), Some(200));
    let text = std::fs::read_to_string(&path).unwrap();
    for secret in [
        "garden-4417",
        "k3y-never-kept-8812",
        "YWxpY2U6Z2FyZGVuLTQ0MTc",
    ] {
        assert!(!text.contains(secret), "the history holds {secret}: {text}");
    }
    assert!(
        text.contains(&server.port().to_string()),
        "the address is kept"
    );

    // The start page lists both checks; a new window reads them back from the file.
    gui.harness.state_mut().step = authdoctor::gui::wizard::Step::Start;
    gui.harness.run();
    gui.harness.get_by_label(CLEAR_HISTORY_BUTTON);
    drop(gui);
    let mut again = open_app(Some(path.clone()));
    again.wait_until("the history read back", |g| {
        g.harness.state().history.file.checks.len() == 2
    });
    again.harness.run();
    again.click(CLEAR_HISTORY_BUTTON);
    let cleared = again.wait_for_file(&path, |f| f.checks.is_empty());
    assert!(cleared.keep);
}

#[test]
fn with_the_history_turned_off_checks_are_not_kept_and_the_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.json");
    let server = site(Arc::new(AtomicBool::new(false)));
    let mut gui = open_app(Some(path.clone()));
    gui.harness.run();
    gui.click(KEEP_HISTORY_LABEL);
    let off = gui.wait_for_file(&path, |f| !f.keep);
    assert!(off.checks.is_empty());
    gui.type_into(ADDRESS_LABEL, &server.url("/members/"));
    gui.click(CHECK_BUTTON);
    gui.wait_for_label("The site answered 401");
    gui.harness.run();
    assert!(gui.harness.state().history.file.checks.is_empty());
    let file: HistoryFile = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(!file.keep && file.checks.is_empty());
}

#[test]
fn the_calling_page_field_sends_the_preflight_and_the_headers_step_shows_it() {
    // Like nginx with auth_basic: every method, OPTIONS too, must sign in.
    let server = TestServer::start(|_| {
        Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Orders API\"")
    });
    let mut gui = open_app(None);
    gui.harness.run();
    gui.type_into(ADDRESS_LABEL, &server.url("/api/orders"));
    gui.type_into(ORIGIN_LABEL, "https://shop.example.test/checkout");
    gui.harness
        .get_by_label_contains("CORS preflight from https://shop.example.test");
    gui.click(CHECK_BUTTON);
    gui.wait_for_label("The site answered 401");
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.method == "OPTIONS"
                && r.header("origin") == Some("https://shop.example.test")),
        "the preflight was sent from the page's origin"
    );
    gui.click("4 Headers and sign-in");
    gui.harness.get_by_label(PREFLIGHT_HEADING);
    let d = gui.harness.state().diagnosis().unwrap();
    assert_eq!(
        d.likely_cause.map(authdoctor::engine::Code::as_str),
        Some("preflight-needs-auth")
    );
}
