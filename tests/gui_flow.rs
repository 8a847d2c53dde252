//! The wizard's words and flow as a user meets them, driven with `egui_kittest` against loopback
//! servers: the signed-in result on step 1 and the diagnosis, the time limit in the settings and a
//! Cancel that ends a check at once, the sign-in fields that "Enter sign-in details…" opens, pages
//! that open at their top, Re-run and Forget, and the summary a customer pastes into an email.
#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use authdoctor::engine::credentials::Outcome;
use authdoctor::engine::{Code, Severity};
use authdoctor::gui::app::{CANCELLED_NOTE, DEADLINE_LABEL, FORGET_BUTTON, SETTINGS_MENU};
use authdoctor::gui::steps::diagnosis::COPY_SUMMARY;
use authdoctor::gui::steps::headers::ENTER_SIGN_IN;
use authdoctor::gui::steps::signed_in::outcome_sentence;
use authdoctor::gui::steps::start::{
    ADDRESS_LABEL, CHECK_BUTTON, KEEP_LABEL, PASSWORD_LABEL, USER_LABEL, WITH_CREDENTIALS_LABEL,
};
use authdoctor::gui::wizard::Step;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use support::{Gui, MemoryStorage, Reply, TestServer};

fn gui_sized(size: egui::Vec2) -> Gui {
    Gui::open(size, |_, _| {})
}

fn gui() -> Gui {
    gui_sized(egui::vec2(1000.0, 800.0))
}

impl Gui {
    fn sign_in(&mut self, user: &str, password: &str) {
        if !self.harness.state().form.with_credentials {
            self.harness.get_by_label(WITH_CREDENTIALS_LABEL).click();
            self.harness.run();
        }
        self.type_into(USER_LABEL, user);
        self.type_into(PASSWORD_LABEL, password);
    }

    fn check(&mut self) {
        self.harness.get_by_label(CHECK_BUTTON).click();
        self.harness.step();
        self.wait_until_done();
    }

    fn wait_until_done(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        self.harness.step();
        while self.harness.state().check.is_running() {
            assert!(Instant::now() < deadline, "the check never finished");
            std::thread::sleep(Duration::from_millis(20));
            self.harness.step();
        }
        self.harness.run();
    }

    fn go_to(&mut self, step: Step) {
        self.harness.state_mut().step = step;
        self.harness.run();
    }

    fn focused_label(&self) -> Option<String> {
        self.harness
            .root()
            .children_recursive()
            .find(|n| n.accesskit_node().is_focused())
            .map(|n| n.accesskit_node().label().unwrap_or_default())
    }
}

/// "alice:secret" gets in; "bob:secret" signs in but may not open the page (403).
fn members_server() -> TestServer {
    TestServer::start(|r| match r.header("authorization") {
        Some("Basic YWxpY2U6c2VjcmV0") => Reply::status(200).body("welcome"),
        Some("Basic Ym9iOnNlY3JldA==") => Reply::status(403).body("not for you"),
        _ => Reply::status(401).header("WWW-Authenticate", "Basic realm=\"Members area\""),
    })
}

fn checked_with(user: &str, password: &str) -> (Gui, TestServer) {
    let server = members_server();
    let mut gui = gui();
    gui.type_into(ADDRESS_LABEL, &server.url("/members/"));
    gui.sign_in(user, password);
    gui.check();
    (gui, server)
}

// ---- The signed-in result ---------------------------------------------------------------------

#[test]
fn step_one_and_the_diagnosis_show_that_the_password_works_not_only_the_401() {
    let (mut gui, _server) = checked_with("alice", "secret");
    assert_eq!(gui.harness.state().step, Step::Address);
    let accepted = outcome_sentence(Outcome::Accepted);
    gui.harness
        .get_by_label("The site answered 401 without your sign-in");
    gui.harness.get_by_label("With your sign-in (Basic): 200");
    gui.harness.get_by_label(&accepted);
    gui.go_to(Step::Diagnosis);
    gui.harness.get_by_label("With your sign-in (Basic): 200");
    gui.harness.get_by_label(&accepted);
    // The summary a customer pastes says it too, in the same words as the CLI's first lines.
    gui.harness.get_by_label(COPY_SUMMARY).click();
    gui.harness.step();
    let summary = gui.copied().unwrap();
    assert!(
        summary.contains(&format!(
            "With your sign-in (Basic): 200 — {}",
            Outcome::Accepted.words()
        )),
        "{summary}"
    );
}

#[test]
fn a_sign_in_that_is_taken_but_refused_this_account_is_not_shown_as_accepted() {
    let (mut gui, _server) = checked_with("bob", "secret");
    gui.harness.get_by_label("With your sign-in (Basic): 403");
    gui.harness
        .get_by_label(&outcome_sentence(Outcome::Forbidden));
    assert!(
        gui.harness
            .query_by_label(&outcome_sentence(Outcome::Accepted))
            .is_none()
    );
    gui.go_to(Step::Headers);
    gui.harness
        .get_by_label(&outcome_sentence(Outcome::Forbidden));
}

#[test]
fn a_wrong_password_shows_the_second_401_as_refused_on_step_one() {
    let (gui, _server) = checked_with("alice", "not-it");
    gui.harness.get_by_label("With your sign-in (Basic): 401");
    gui.harness
        .get_by_label(&outcome_sentence(Outcome::Rejected));
}

// ---- The time limit and Cancel ------------------------------------------------------------------

#[test]
fn the_time_limit_is_shown_in_the_settings_changed_there_and_kept_with_them() {
    let mut gui = gui();
    gui.harness.run();
    assert_eq!(
        gui.harness.state().settings.deadline_secs,
        authdoctor::engine::probe::DEFAULT_DEADLINE_SECS
    );
    gui.harness.get_by_label(SETTINGS_MENU).click();
    gui.harness.run();
    assert_eq!(deadline_shown(&gui), Some(30.0), "shown");
    // As a screen reader sets it; the menu stays open while it is used.
    gui.harness
        .query_all_by_label(DEADLINE_LABEL)
        .find(|n| n.accesskit_node().numeric_value().is_some())
        .unwrap()
        .set_value_accesskit(45.0);
    gui.harness.run();
    assert_eq!(gui.harness.state().settings.deadline_secs, 45);
    assert_eq!(
        deadline_shown(&gui),
        Some(45.0),
        "the menu stays open and shows the new limit"
    );
    let mut storage = MemoryStorage::default();
    eframe::App::save(gui.harness.state_mut(), &mut storage);
    let key = storage.0.keys().next().cloned().unwrap();
    let saved: authdoctor::gui::state::Settings = eframe::get_value(&storage, &key).unwrap();
    assert_eq!(saved.deadline_secs, 45, "kept with the settings");
}

/// The time limit the settings' number field shows, if it is on screen.
fn deadline_shown(gui: &Gui) -> Option<f64> {
    gui.harness
        .query_all_by_label(DEADLINE_LABEL)
        .find_map(|n| n.accesskit_node().numeric_value())
}

/// A loopback port that takes connections and never answers; each connection's end (the client
/// closing it) is reported on the channel.
fn silent_listener() -> (String, mpsc::Receiver<&'static str>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/slow/", listener.local_addr().unwrap());
    let (events, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let events = events.clone();
            let _ = events.send("accepted");
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                // Reads the request and then waits: a read of 0 bytes (or an error) is the
                // client hanging up.
                while matches!(stream.read(&mut buffer), Ok(n) if n > 0) {}
                let _ = events.send("closed");
            });
        }
    });
    (url, received)
}

#[test]
fn cancel_ends_a_check_of_a_silent_server_at_once_and_says_it_was_cancelled() {
    let (url, events) = silent_listener();
    let mut gui = gui();
    // Far longer limits than the test waits: only Cancel can end this check in time.
    gui.harness.state_mut().set_timeout_secs(600);
    gui.harness.state_mut().settings.deadline_secs = 600;
    gui.type_into(ADDRESS_LABEL, &url);
    gui.harness.get_by_label(CHECK_BUTTON).click();
    gui.harness.step();
    assert_eq!(events.recv_timeout(Duration::from_secs(20)), Ok("accepted"));
    // While it runs, the status line names the request it waits for and for how long, and the
    // time limit.
    gui.wait_for_label("waiting");
    let status: String = gui
        .harness
        .root()
        .children_recursive()
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .filter(|text| text.contains("waiting"))
        .collect();
    assert!(status.contains("of at most 600 s"), "{status}");
    assert!(status.contains(&format!("GET {url}")), "{status}");
    gui.harness.step();
    gui.harness.get_by_label("Cancel").click();
    gui.harness.run_steps(3);
    assert!(!gui.harness.state().check.is_running());
    // The worker's task was aborted: its connection is closed now, not at a time limit.
    assert_eq!(events.recv_timeout(Duration::from_secs(60)), Ok("closed"));
    gui.harness.get_by_label("The check was cancelled.");
    gui.harness.get_by_label(CANCELLED_NOTE);
    assert!(gui.harness.query_by_label_contains("Checking …").is_none());
    assert!(
        gui.harness
            .query_by_label_contains("Nothing has been checked yet")
            .is_none(),
        "the page says the check was cancelled, not that none ran"
    );
    gui.harness.get_by_label("Re-run");
}

// ---- Words and flow -------------------------------------------------------------------------------

#[test]
fn a_401_that_asks_for_a_sign_in_with_no_password_tried_is_not_a_red_problem() {
    let server = members_server();
    let mut gui = gui();
    gui.type_into(ADDRESS_LABEL, &server.url("/members/"));
    gui.check();
    let problem_badge = format!(" {} ", Severity::Problem.label());
    for step in Step::NUMBERED {
        gui.go_to(step);
        assert!(
            gui.harness.query_by_label(&problem_badge).is_none(),
            "{step:?} marks something a Problem"
        );
    }
    // The journey marks the site as asking for a sign-in, not as a problem.
    gui.go_to(Step::Address);
    let site = gui
        .harness
        .query_all_by_label_contains("Opens step 4")
        .filter_map(|n| n.accesskit_node().label())
        .collect::<Vec<_>>();
    assert!(
        site.iter().any(|name| name.contains("asks for a sign-in"))
            && site.iter().all(|name| !name.contains("problem")),
        "{site:?}"
    );
    let d = gui.harness.state().diagnosis().unwrap();
    assert_eq!(d.likely_cause, Some(Code::AuthRequired));
    assert!(d.findings.iter().all(|f| f.severity != Severity::Problem));
}

#[test]
fn an_ip_address_site_gets_no_dns_agreement_claim_and_no_ip_note_card() {
    let server = members_server();
    let mut gui = gui();
    gui.type_into(ADDRESS_LABEL, &server.url("/members/"));
    gui.check();
    gui.go_to(Step::Dns);
    let claim = Code::DnsConsistent.text().explanation;
    assert!(
        gui.harness.query_by_label_contains(&claim).is_none(),
        "the DNS step claims this computer's answer matches DNS servers"
    );
    assert!(
        gui.harness
            .query_by_label_contains("matches what DNS servers answer")
            .is_none()
    );
    // The cookie guides name the site with its scheme and port, as a browser lists it.
    gui.go_to(Step::CookiesCache);
    let origin = format!("http://127.0.0.1:{}", server.port());
    gui.harness.get_by_label(&format!(
        "How to clear the cookies and cache of {origin} only"
    ));
    gui.harness
        .get_by_label("How to clear it in Firefox")
        .click_accesskit();
    gui.harness.run();
    gui.harness
        .get_by_label_contains(&format!("Open {origin} in Firefox"));
    gui.go_to(Step::Address);
    let d = gui.harness.state().diagnosis().unwrap();
    assert!(
        !d.findings.iter().any(|f| f.code == Code::UrlNote),
        "a note card on every check of an IP address: {:?}",
        d.findings.iter().map(|f| f.code).collect::<Vec<_>>()
    );
}

#[test]
fn enter_sign_in_details_opens_the_start_page_with_the_fields_shown_and_focused() {
    let server = members_server();
    // The smallest window: the fields must be on screen, not only focused.
    let size = egui::vec2(560.0, 420.0);
    let mut gui = gui_sized(size);
    gui.type_into(ADDRESS_LABEL, &server.url("/members/"));
    gui.check();
    gui.go_to(Step::Headers);
    gui.harness.get_by_label(ENTER_SIGN_IN).scroll_to_me();
    gui.harness.run();
    gui.harness.get_by_label(ENTER_SIGN_IN).click();
    gui.harness.run();
    assert_eq!(gui.harness.state().step, Step::Start);
    assert_eq!(gui.focused_label().as_deref(), Some(USER_LABEL));
    let field = gui.harness.get_by_label(USER_LABEL).rect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    assert!(
        window.contains_rect(field),
        "the user name field is off screen: {field:?}"
    );
    gui.harness.get_by_label(PASSWORD_LABEL);
}

#[test]
fn every_step_opens_at_its_top_even_after_scrolling_the_one_before() {
    let (mut gui, _server) = {
        let server = members_server();
        let mut gui = gui_sized(egui::vec2(560.0, 420.0));
        gui.type_into(ADDRESS_LABEL, &server.url("/members/"));
        gui.check();
        (gui, server)
    };
    for (from, to) in [
        (Step::Headers, Step::CookiesCache),
        (Step::Headers, Step::Diagnosis),
        (Step::Diagnosis, Step::Address),
    ] {
        gui.go_to(from);
        // Scroll to the bottom of the page: the last "Copy the code …" button.
        let last = gui
            .harness
            .query_all_by_label_contains("Copy the code")
            .last()
            .map(|n| n.accesskit_node().label().unwrap_or_default())
            .unwrap();
        gui.harness.get_by_label(&last).scroll_to_me();
        gui.harness.run();
        let title = format!("Step {} of 5: {}", from.number().unwrap(), from.title());
        let scrolled = gui.harness.get_by_label(&title).rect();
        assert!(
            scrolled.max.y < 40.0,
            "{from:?} did not scroll ({scrolled:?})"
        );
        gui.go_to(to);
        let title = format!("Step {} of 5: {}", to.number().unwrap(), to.title());
        let heading = gui.harness.get_by_label(&title).rect();
        assert!(
            heading.min.y >= 0.0 && heading.max.y < 200.0,
            "{to:?} opened scrolled: its title is at {heading:?}"
        );
    }
}

#[test]
fn rerun_asks_for_a_forgotten_password_and_uses_a_kept_one_until_forget() {
    let (mut gui, server) = checked_with("alice", "secret");
    // Not kept: Re-run says it asks for the password, and opens the sign-in fields for it.
    let rerun = gui
        .harness
        .query_by_label_contains("Re-run")
        .unwrap()
        .accesskit_node()
        .label()
        .unwrap_or_default();
    assert_eq!(rerun, "Re-run (asks for the password)");
    assert!(gui.harness.query_by_label(FORGET_BUTTON).is_none());
    gui.harness.get_by_label(&rerun).click();
    gui.harness.run();
    assert_eq!(gui.harness.state().step, Step::Start);
    assert_eq!(gui.focused_label().as_deref(), Some(USER_LABEL));
    // Kept for this window: Re-run sends it again, and Forget is in sight.
    gui.harness.get_by_label(KEEP_LABEL).click();
    gui.harness.run();
    gui.type_into(PASSWORD_LABEL, "secret");
    gui.check();
    gui.harness.get_by_label("Re-run with the kept password");
    gui.harness.get_by_label(FORGET_BUTTON);
    let before = server.requests().len();
    gui.harness
        .get_by_label("Re-run with the kept password")
        .click();
    gui.harness.step();
    gui.wait_until_done();
    let signed_in = server
        .requests()
        .iter()
        .skip(before)
        .filter(|r| r.header("authorization") == Some("Basic YWxpY2U6c2VjcmV0"))
        .count();
    assert!(signed_in >= 1, "Re-run sent the kept password");
    assert_eq!(
        gui.harness.state().diagnosis().unwrap().likely_cause,
        Some(Code::CredentialsAccepted)
    );
    gui.harness.get_by_label(FORGET_BUTTON).click();
    gui.harness.run();
    assert!(gui.harness.state().kept_secrets.is_none());
    assert!(gui.harness.query_by_label(FORGET_BUTTON).is_none());
    gui.harness.get_by_label("Re-run (asks for the password)");
}

#[test]
fn copy_summary_gives_the_likely_cause_with_its_steps_and_never_the_password() {
    let (mut gui, _server) = checked_with("alice", "not-it-8812");
    gui.go_to(Step::Diagnosis);
    gui.harness.get_by_label(COPY_SUMMARY).click();
    gui.harness.step();
    let summary = gui.copied().unwrap();
    let d = gui.harness.state().diagnosis().unwrap();
    let likely = d.likely_finding().unwrap();
    assert!(
        summary.contains(&format!("Most likely cause: {}", likely.title)),
        "{summary}"
    );
    for (i, step) in likely.next_steps.iter().enumerate() {
        assert!(
            summary.contains(&format!("{}. {step}", i + 1)),
            "step {i} missing: {summary}"
        );
    }
    assert!(summary.contains(&d.url), "{summary}");
    assert!(summary.contains(likely.code.as_str()), "{summary}");
    assert!(!summary.contains("not-it-8812"), "{summary}");
}

#[test]
fn the_practice_lab_asked_for_in_a_small_window_comes_into_view() {
    let size = egui::vec2(560.0, 420.0);
    let mut gui = gui_sized(size);
    gui.harness.run();
    gui.harness
        .get_by_label(authdoctor::gui::steps::start::LAB_BUTTON)
        .click_accesskit();
    gui.wait_for_label("Running on this computer at");
    gui.harness.run_steps(3);
    let heading = gui.harness.get_by_label("Practice lab").rect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    assert!(
        window.contains_rect(heading),
        "the lab's cases are below the fold: {heading:?}"
    );
}
