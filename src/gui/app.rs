//! The eframe application: owns the wizard's state, starts checks on the tokio worker, polls
//! them in `logic`, and draws the current step in `ui`. Nothing here blocks a frame.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use egui::{Key, RichText};
use serde::{Deserialize, Serialize};

use crate::engine::dns::{DnsOptions, FlushCommand};
use crate::engine::har::HarReport;
use crate::engine::redact;
use crate::engine::report::{self, Format, RedactedItem};
use crate::engine::{self, CheckInput, Code, Credentials, Diagnosis, Net, NetOptions, Secret};
use crate::gui::files::{self, Opened};
use crate::gui::steps;
use crate::gui::steps::headers::HtaccessPanel;
use crate::gui::task::Pending;
use crate::gui::wizard::{Step, StepAction};
use crate::lab::{Lab, Scenario};

const SETTINGS_KEY: &str = "authdoctor-settings";
const MAX_RECENT: usize = 8;
const MIN_ZOOM: f32 = 0.7;
const MAX_ZOOM: f32 = 2.5;

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            zoom: 1.0,
            helpdesk_mode: false,
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
}

/// How the window was asked to open: an address to check at once, a page to show.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    /// Address to fill in and check on the first frame.
    pub address: Option<String>,
    /// Wizard page (1–5) to show.
    pub step: Option<usize>,
    /// Start the practice lab at once.
    pub lab: bool,
}

/// Frame timing for `scripts/bench.sh` (`AUTHDOCTOR_FRAME_LOG=1`).
#[derive(Default)]
struct FrameLog {
    /// When this frame's `logic` began.
    started: Option<Instant>,
    /// When the previous frame ended.
    previous_end: Option<Instant>,
}

/// The outcome of a background check: the diagnosis, or why the check could not start.
pub type CheckOutcome = Result<Diagnosis, String>;

/// A trainee working on a lab scenario.
#[derive(Clone, Debug)]
pub struct Trainee {
    /// The scenario being practised.
    pub scenario: Scenario,
    /// The trainee's answer, once given.
    pub answer: Option<Code>,
}

/// The save preview: format, what will be removed, and the warned opt-out.
#[derive(Clone, Debug)]
pub struct SaveDialog {
    /// Chosen format.
    pub format: Format,
    /// Keep secret-looking values (not recommended).
    pub keep_secrets: bool,
    /// What redaction removes.
    pub removed: Vec<RedactedItem>,
}

/// The AuthDoctor desktop app.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent one-shot flags (first frame, launch requests, offline), not a state machine"
)]
pub struct AuthDoctorApp {
    runtime: tokio::runtime::Handle,
    net_options: NetOptions,
    /// Where the user is.
    pub step: Step,
    /// Start page fields.
    pub form: StartForm,
    /// The running or finished check.
    pub check: Pending<CheckOutcome>,
    /// A save dialog or file write in progress (result: message to show).
    save: Pending<String>,
    /// Persisted settings.
    pub settings: Settings,
    /// A short message ("Copied", "Report saved") and when it appeared.
    notice: Option<(String, Instant)>,
    /// Print a timestamp on the first frame (benchmarks).
    report_first_frame: bool,
    /// Print each frame's work time and the gap since the previous frame (benchmarks).
    frame_log: Option<FrameLog>,
    frames: u64,
    /// Start the check on the next frame (set by [`AuthDoctorApp::launch`]).
    check_on_next_frame: bool,
    /// Start the lab on the next frame (set by [`AuthDoctorApp::launch`]).
    lab_on_next_frame: bool,
    /// The practice lab, once started.
    pub lab: Pending<Result<Arc<Lab>, String>>,
    /// The trainee's scenario and answer, in practice mode.
    pub trainee: Option<Trainee>,
    /// A file being opened (report or HAR).
    pub opening: Pending<Result<Opened, String>>,
    opening_progress: Arc<AtomicU32>,
    /// The opened HAR log, whose 401s can be shown one by one.
    pub har: Option<(HarReport, PathBuf)>,
    /// Set while a saved report (or a HAR entry) is shown instead of a live check.
    pub read_only: Option<String>,
    /// The save preview, while open.
    pub save_dialog: Option<SaveDialog>,
    /// Set when no network was found at start: the lab is offered first.
    pub offline: bool,
    /// A DNS flush command waiting for the user's confirmation.
    pub confirm_flush: Option<FlushCommand>,
    /// The flush command running (result: what to tell the user).
    flush: Pending<String>,
    /// The .htaccess checker on the sign-in step.
    pub htaccess: HtaccessPanel,
    /// DNS settings to use instead of this computer's.
    dns_options: Option<DnsOptions>,
    htaccess_file: Pending<Result<String, String>>,
}

impl AuthDoctorApp {
    /// Creates the app, restoring settings from eframe's storage when there is one.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, runtime: tokio::runtime::Handle) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        set_text_sizes(&cc.egui_ctx);
        let app = Self::with_settings(runtime, settings);
        app.apply_zoom(&cc.egui_ctx);
        app
    }

    /// Creates the app with given settings and network options (tests use this).
    #[must_use]
    pub fn with_settings(runtime: tokio::runtime::Handle, settings: Settings) -> Self {
        AuthDoctorApp {
            runtime,
            net_options: NetOptions {
                timeout_secs: 15,
                ..NetOptions::default()
            },
            step: Step::Start,
            form: StartForm::default(),
            check: Pending::default(),
            save: Pending::default(),
            settings,
            notice: None,
            report_first_frame: std::env::var_os("AUTHDOCTOR_FIRST_FRAME").is_some(),
            frame_log: std::env::var_os("AUTHDOCTOR_FRAME_LOG").map(|_| FrameLog::default()),
            frames: 0,
            check_on_next_frame: false,
            lab_on_next_frame: false,
            lab: Pending::default(),
            trainee: None,
            opening: Pending::default(),
            opening_progress: Arc::new(AtomicU32::new(0)),
            har: None,
            read_only: None,
            save_dialog: None,
            offline: false,
            confirm_flush: None,
            flush: Pending::default(),
            htaccess: HtaccessPanel::default(),
            dns_options: None,
            htaccess_file: Pending::default(),
        }
    }

    /// Starts the practice lab on the worker (once).
    pub fn start_lab(&mut self, ctx: &egui::Context) {
        if matches!(self.lab.value(), Some(Ok(_))) || self.lab.is_running() {
            return;
        }
        self.lab.spawn(&self.runtime, ctx, async {
            Lab::start(0).await.map(Arc::new).map_err(|e| e.to_string())
        });
    }

    /// With no network, the lab is the default: start it and say so.
    pub fn use_lab_when_offline(&mut self, ctx: &egui::Context) {
        self.offline = true;
        self.start_lab(ctx);
    }

    fn practice(&mut self, ctx: &egui::Context, id: &str) {
        let Some(Ok(lab)) = self.lab.value() else {
            return;
        };
        let Some(scenario) = lab.scenarios.iter().find(|s| s.id == id).cloned() else {
            return;
        };
        self.form.address = lab.url(&scenario);
        self.form.user = scenario.check_user.clone().unwrap_or_default();
        self.form.password = scenario.check_password.clone().unwrap_or_default();
        self.form.token = lab.state.story_token(&scenario).unwrap_or_default();
        self.form.cookies = scenario.check_cookies_txt.clone().unwrap_or_default();
        self.form.with_credentials = !self.form.user.is_empty()
            || !self.form.token.is_empty()
            || !self.form.cookies.is_empty();
        self.trainee = Some(Trainee {
            scenario,
            answer: None,
        });
        self.run_check(ctx);
    }

    fn open_file(&mut self, ctx: &egui::Context, path: Option<PathBuf>) {
        let progress = self.opening_progress.clone();
        progress.store(0, Ordering::Relaxed);
        self.opening.spawn(&self.runtime, ctx, async move {
            let path = if let Some(p) = path {
                p
            } else {
                let Some(handle) = rfd::AsyncFileDialog::new()
                    .set_title("Open a report, a HAR network log or a cookie export")
                    .add_filter("Report, HAR or cookies", &["json", "har", "txt"])
                    .pick_file()
                    .await
                else {
                    return Err("Nothing was opened.".to_owned());
                };
                handle.path().to_path_buf()
            };
            files::open(path, progress).await
        });
    }

    fn explain_htaccess(&mut self) {
        let d = self.diagnosis();
        let context = crate::engine::htaccess::HtaccessContext {
            observed_scheme: d
                .and_then(|d| d.challenges.first())
                .map(|c| c.scheme.clone()),
            site_is_http: d.is_some_and(|d| d.url.starts_with("http://")),
        };
        self.htaccess.report = Some(crate::engine::htaccess::check(
            &self.htaccess.text,
            None,
            &context,
        ));
    }

    fn show_loaded(&mut self, diagnosis: Diagnosis, banner: String) {
        self.check = Pending::Completed(Ok(diagnosis));
        self.read_only = Some(banner);
        self.trainee = None;
        self.step = Step::Diagnosis;
    }

    fn opened(&mut self, opened: Result<Opened, String>) {
        match opened {
            Ok(Opened::Report(file)) => {
                let banner = format!(
                    "A saved report of {} from {} (read-only).",
                    file.diagnosis.url, file.diagnosis.checked_at
                );
                self.form.address.clone_from(&file.diagnosis.url);
                self.show_loaded(file.diagnosis, banner);
            }
            Ok(Opened::Har(har, path)) => {
                let found = har.findings.len();
                self.notice = Some((
                    format!(
                        "The network log holds {} requests; {found} answered 401 or 407.",
                        har.entries
                    ),
                    Instant::now(),
                ));
                self.har = Some((*har, path));
                self.step = Step::Start;
            }
            Ok(Opened::Cookies(text, path)) => {
                self.form.cookies = text;
                self.form.with_credentials = true;
                self.step = Step::Start;
                self.notice = Some((
                    format!(
                        "Cookies loaded from {}: press \"Check this address\" to use them.",
                        path.display()
                    ),
                    Instant::now(),
                ));
            }
            Err(message) => self.notice = Some((message, Instant::now())),
        }
    }

    /// Applies how the window was asked to open.
    pub fn launch(&mut self, launch: Launch) {
        self.lab_on_next_frame = launch.lab;
        if let Some(address) = launch.address {
            self.form.address = address;
            self.check_on_next_frame = true;
        }
        if let Some(step) = launch
            .step
            .and_then(|n| Step::NUMBERED.get(n.saturating_sub(1)))
        {
            self.step = *step;
        }
    }

    /// Sets the per-request time limit (tests shorten it).
    pub fn set_timeout_secs(&mut self, secs: u64) {
        self.net_options.timeout_secs = secs;
    }

    /// Uses these network and DNS settings instead of this computer's (tests point them at
    /// loopback servers; the DNS default is this computer's resolvers plus public ones).
    pub fn set_network(&mut self, net: NetOptions, dns: Option<DnsOptions>) {
        self.net_options = net;
        self.dns_options = dns;
    }

    fn zoom(&self) -> f32 {
        let base = self.settings.zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        if self.settings.helpdesk_mode {
            (base * 1.25).min(MAX_ZOOM)
        } else {
            base
        }
    }

    fn apply_zoom(&self, ctx: &egui::Context) {
        ctx.set_zoom_factor(self.zoom());
    }

    fn change_zoom(&mut self, ctx: &egui::Context, by: f32) {
        self.settings.zoom = (self.settings.zoom + by).clamp(MIN_ZOOM, MAX_ZOOM);
        self.apply_zoom(ctx);
    }

    /// Starts the check with what is on the start page. Secrets move into the check and are
    /// cleared from the form.
    pub fn run_check(&mut self, ctx: &egui::Context) {
        let address = self.form.address.trim().to_owned();
        if address.is_empty() {
            self.notice = Some(("Paste an address first.".to_owned(), Instant::now()));
            return;
        }
        let credentials = if self.form.with_credentials {
            Credentials {
                user: Some(self.form.user.trim().to_owned()).filter(|u| !u.is_empty()),
                password: Some(Secret::new(std::mem::take(&mut self.form.password)))
                    .filter(|p| !p.is_empty()),
                token: Some(Secret::new(std::mem::take(&mut self.form.token).trim()))
                    .filter(|t| !t.is_empty()),
            }
        } else {
            Credentials::default()
        };
        let cookies = Some(std::mem::take(&mut self.form.cookies))
            .filter(|c| self.form.with_credentials && !c.trim().is_empty());
        self.form.secrets_were_used =
            credentials.password.is_some() || credentials.token.is_some() || cookies.is_some();
        if self.form.secrets_were_used {
            // Text fields keep undo copies of what was typed: drop them with the secrets.
            ctx.memory_mut(|m| m.data.remove_by_type::<egui::text_edit::TextEditState>());
        }
        self.read_only = None;
        self.remember(&address);
        let options = self.net_options.clone();
        let dns_options = self.dns_options.clone();
        self.check.spawn(&self.runtime, ctx, async move {
            let input = CheckInput {
                address,
                credentials,
                // Reads /proc to find the running DNS caches: on the worker, not the frame.
                dns: Some(dns_options.unwrap_or_else(DnsOptions::for_this_computer)),
                cookies,
                log: None,
                ..CheckInput::default()
            };
            let net = Net::new(&options).map_err(|e| e.to_string())?;
            Ok(engine::diagnose(&input, &net).await)
        });
        if self.step == Step::Start {
            self.step = Step::Address;
        }
    }

    fn remember(&mut self, address: &str) {
        let safe = redact::address_without_secrets(address);
        self.settings.recent.retain(|a| *a != safe);
        self.settings.recent.insert(0, safe);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// The finished diagnosis, if any (also while a re-run is in progress).
    #[must_use]
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.check.value().and_then(|r| r.as_ref().ok())
    }

    fn apply(&mut self, ctx: &egui::Context, action: StepAction) {
        match action {
            StepAction::None => {}
            StepAction::GoTo(step) => self.step = step,
            StepAction::RunCheck => self.run_check(ctx),
            StepAction::Cancel => self.check.cancel(),
            StepAction::Copy(text) => {
                ctx.copy_text(text);
                self.notice = Some(("Copied to the clipboard.".to_owned(), Instant::now()));
            }
            StepAction::UseAddress(a) => {
                self.form.address = a;
                self.step = Step::Start;
            }
            StepAction::SaveReport => {
                if let Some(d) = self.diagnosis() {
                    let (_, removed) = report::redact(d);
                    self.save_dialog = Some(SaveDialog {
                        format: Format::Html,
                        keep_secrets: false,
                        removed,
                    });
                }
            }
            StepAction::SaveAs(format, keep_secrets) => {
                self.save_dialog = None;
                self.save_report(ctx, format, keep_secrets);
            }
            StepAction::CloseSave => self.save_dialog = None,
            StepAction::AskRunFlush(command) => self.confirm_flush = Some(command),
            StepAction::CloseFlush => self.confirm_flush = None,
            StepAction::ExplainHtaccess => self.explain_htaccess(),
            StepAction::OpenHtaccess => {
                self.htaccess_file.spawn(&self.runtime, ctx, async {
                    let Some(handle) = rfd::AsyncFileDialog::new()
                        .set_title("Open the .htaccess file")
                        .pick_file()
                        .await
                    else {
                        return Err("Nothing was opened.".to_owned());
                    };
                    let bytes = tokio::fs::read(handle.path())
                        .await
                        .map_err(|e| format!("could not read {}: {e}", handle.path().display()))?;
                    Ok(String::from_utf8_lossy(&bytes).into_owned())
                });
            }
            StepAction::RunFlush => {
                if let Some(command) = self.confirm_flush.take()
                    && let Some(argv) = command.argv.clone()
                {
                    self.flush.spawn(&self.runtime, ctx, run_flush(argv));
                }
            }
            StepAction::StartLab => self.start_lab(ctx),
            StepAction::Practice(id) => self.practice(ctx, &id),
            StepAction::Answer(code) => {
                if let Some(t) = &mut self.trainee {
                    t.answer = Some(code);
                }
            }
            StepAction::OpenFile => self.open_file(ctx, None),
            StepAction::ShowHarFinding(i) => {
                if let Some(f) = self
                    .har
                    .as_ref()
                    .and_then(|(h, _)| h.findings.get(i))
                    .cloned()
                {
                    let banner = format!(
                        "Request {} of the network log: {} {} (read-only).",
                        f.entry, f.method, f.url
                    );
                    self.form.address.clone_from(&f.url);
                    self.show_loaded(f.diagnosis, banner);
                }
            }
            StepAction::RerunFromReport => {
                self.read_only = None;
                self.run_check(ctx);
                self.step = Step::Address;
            }
        }
    }

    fn save_report(&mut self, ctx: &egui::Context, format: Format, keep_secrets: bool) {
        let Some(diagnosis) = self.diagnosis().cloned() else {
            return;
        };
        let file_name = steps::diagnosis::report_file_name(&diagnosis, format);
        self.save.spawn(&self.runtime, ctx, async move {
            let (label, extensions): (&str, &[&str]) = match format {
                Format::Html => ("Web page (HTML)", &["html"]),
                Format::Markdown => ("Markdown", &["md"]),
                Format::Json => ("AuthDoctor report (JSON)", &["json"]),
            };
            let Some(handle) = rfd::AsyncFileDialog::new()
                .set_title("Save the AuthDoctor report")
                .set_file_name(file_name)
                .add_filter(label, extensions)
                .save_file()
                .await
            else {
                return "Not saved.".to_owned();
            };
            let path: PathBuf = handle.path().to_path_buf();
            let text = report::render(&diagnosis, format, keep_secrets);
            match tokio::fs::write(&path, text).await {
                Ok(()) => format!("Report saved to {}", path.display()),
                Err(e) => format!("Could not save the report to {}: {e}", path.display()),
            }
        });
    }

    fn keyboard(&mut self, ctx: &egui::Context) -> StepAction {
        let (escape, ctrl_plus, ctrl_minus, alt_left, alt_right) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::Escape),
                i.consume_key(egui::Modifiers::COMMAND, Key::Plus)
                    || i.consume_key(egui::Modifiers::COMMAND, Key::Equals),
                i.consume_key(egui::Modifiers::COMMAND, Key::Minus),
                i.consume_key(egui::Modifiers::ALT, Key::ArrowLeft),
                i.consume_key(egui::Modifiers::ALT, Key::ArrowRight),
            )
        });
        if ctrl_plus {
            self.change_zoom(ctx, 0.1);
        }
        if ctrl_minus {
            self.change_zoom(ctx, -0.1);
        }
        if escape && self.check.is_running() {
            return StepAction::Cancel;
        }
        if alt_left && let Some(p) = self.step.prev() {
            return StepAction::GoTo(p);
        }
        if alt_right && let Some(n) = self.step.next() {
            return StepAction::GoTo(n);
        }
        // Enter goes on to the next step, unless a control has the focus (then it is that
        // control's Enter, e.g. a focused button).
        let nothing_focused = ctx.memory(|m| m.focused().is_none());
        if self.step != Step::Start
            && nothing_focused
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Enter))
            && let Some(n) = self.step.next()
        {
            return StepAction::GoTo(n);
        }
        StepAction::None
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) -> StepAction {
        let mut action = StepAction::None;
        ui.horizontal_wrapped(|ui| {
            ui.heading(RichText::new("AuthDoctor").strong());
            ui.separator();
            for step in Step::NUMBERED {
                let Some(n) = step.number() else { continue };
                let selected = self.step == step;
                let text = RichText::new(format!("{n} {}", step.title()));
                let text = if selected { text.strong() } else { text };
                if ui
                    .selectable_label(selected, text)
                    .on_hover_text(step.intro())
                    .clicked()
                {
                    action = StepAction::GoTo(step);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let ctx = ui.ctx().clone();
                if ui
                    .button("A+")
                    .on_hover_text("Larger text (Ctrl and +)")
                    .clicked()
                {
                    self.change_zoom(&ctx, 0.1);
                }
                if ui
                    .button("A−")
                    .on_hover_text("Smaller text (Ctrl and −)")
                    .clicked()
                {
                    self.change_zoom(&ctx, -0.1);
                }
                if ui
                    .checkbox(&mut self.settings.helpdesk_mode, "Helpdesk mode")
                    .on_hover_text("Larger text and a line to read to the customer at each step")
                    .changed()
                {
                    self.apply_zoom(&ctx);
                }
            });
        });
        action
    }

    fn bottom_bar_ui(&mut self, ui: &mut egui::Ui) -> StepAction {
        let mut action = StepAction::None;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if let Some(prev) = self.step.prev()
                && ui.button(RichText::new("Back").size(16.0)).clicked()
            {
                action = StepAction::GoTo(prev);
            }
            if self.check.is_running() {
                ui.spinner();
                let secs = self.check.running_secs().unwrap_or_default();
                ui.label(RichText::new(format!("Checking … ({secs} s)")).size(16.0));
                if ui
                    .button(RichText::new("Cancel").size(16.0))
                    .on_hover_text("Stop the check (Esc)")
                    .clicked()
                {
                    action = StepAction::Cancel;
                }
            } else if let Some((text, _)) = &self.notice {
                ui.label(RichText::new(text).size(16.0));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(next) = self.step.next()
                    && self.step != Step::Start
                    && ui
                        .button(RichText::new(format!("Next: {}", next.title())).size(16.0))
                        .clicked()
                {
                    action = StepAction::GoTo(next);
                }
                if self.step != Step::Start
                    && !self.check.is_running()
                    && ui
                        .button(RichText::new("Re-run").size(16.0))
                        .on_hover_text("Run the checks again")
                        .clicked()
                {
                    action = StepAction::RunCheck;
                }
            });
        });
        ui.add_space(4.0);
        action
    }

    fn step_ui(&mut self, ui: &mut egui::Ui) -> StepAction {
        if self.settings.helpdesk_mode || self.step != Step::Start {
            let heading = match self.step.number() {
                Some(n) => format!("Step {n} of 5: {}", self.step.title()),
                None => "Check an address".to_owned(),
            };
            let size = if self.settings.helpdesk_mode {
                28.0
            } else {
                22.0
            };
            ui.label(RichText::new(heading).size(size).strong());
            ui.label(self.step.intro());
            if self.settings.helpdesk_mode {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.label(RichText::new("Read this to the customer:").strong());
                    ui.label(RichText::new(self.step.helpdesk_script()).italics());
                });
            }
            ui.add_space(8.0);
        }
        let mut banner_action = StepAction::None;
        if let Some(banner) = &self.read_only
            && self.step != Step::Start
        {
            egui::Frame::group(ui.style())
                .inner_margin(10.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(banner).strong());
                        if ui.button("Re-run these checks from here").clicked() {
                            banner_action = StepAction::RerunFromReport;
                        }
                    });
                });
            ui.add_space(6.0);
        }
        if banner_action != StepAction::None {
            return banner_action;
        }
        let outcome = self.check.value();
        let running = self.check.is_running();
        match self.step {
            Step::Start => {
                let mut action =
                    steps::start::start_ui(ui, &mut self.form, &self.settings.recent, running);
                let files = steps::start::StartExtras {
                    lab: self.lab.value(),
                    lab_starting: self.lab.is_running(),
                    offline: self.offline,
                    opening: self
                        .opening
                        .is_running()
                        .then(|| self.opening_progress.load(Ordering::Relaxed)),
                    har: self.har.as_ref().map(|(h, p)| (h, p.as_path())),
                };
                let extra = steps::start::extras_ui(ui, &files);
                if extra != StepAction::None {
                    action = extra;
                }
                action
            }
            Step::Address => steps::url::address_ui(ui, outcome, running),
            Step::CookiesCache => steps::cookies_cache::cookies_cache_ui(ui, outcome),
            Step::Dns => steps::dns::dns_ui(ui, outcome),
            Step::Headers => steps::headers::headers_ui(
                ui,
                outcome,
                self.form.secrets_were_used,
                &mut self.htaccess,
            ),
            Step::Diagnosis => {
                steps::diagnosis::diagnosis_ui(ui, outcome, running, self.trainee.as_ref())
            }
        }
    }
}

/// Runs a flush command exactly as listed (program and arguments, no shell).
async fn run_flush(argv: Vec<String>) -> String {
    let Some((program, arguments)) = argv.split_first() else {
        return "Nothing to run.".to_owned();
    };
    let shown = argv.join(" ");
    match tokio::process::Command::new(program)
        .args(arguments)
        .output()
        .await
    {
        Ok(out) if out.status.success() => format!("Done: {shown}"),
        Ok(out) => format!(
            "\"{shown}\" did not work ({}). It may need an administrator: copy it and run it in a terminal opened as administrator.",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("\"{shown}\" could not be started: {e}"),
    }
}

impl AuthDoctorApp {
    /// Confirmation before running a flush command: shows the exact command.
    fn flush_dialog_ui(&mut self, ctx: &egui::Context) -> StepAction {
        let Some(command) = &self.confirm_flush else {
            return StepAction::None;
        };
        let mut action = StepAction::None;
        let modal = egui::Modal::new(egui::Id::unique("confirm-flush")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.label(RichText::new("Run this command?").size(20.0).strong());
            ui.label(&command.explanation);
            ui.label(RichText::new(command.argv.as_ref().map(|a| a.join(" ")).unwrap_or_default()).monospace());
            if command.needs_admin {
                ui.label("It needs administrator rights; if it fails, copy it and run it in a terminal opened as administrator.");
            }
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Run it").strong()).clicked() {
                    action = StepAction::RunFlush;
                }
                if ui.button("Cancel").clicked() {
                    action = StepAction::CloseFlush;
                }
            });
        });
        if modal.should_close() && action == StepAction::None {
            action = StepAction::CloseFlush;
        }
        action
    }

    /// The save preview: format, what will be removed, and the warned opt-out.
    fn save_dialog_ui(&mut self, ctx: &egui::Context) -> StepAction {
        let Some(dialog) = &mut self.save_dialog else {
            return StepAction::None;
        };
        let mut action = StepAction::None;
        let modal = egui::Modal::new(egui::Id::unique("save-report")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.label(RichText::new("Save the report").size(20.0).strong());
            ui.label("Choose a format:");
            ui.radio_value(
                &mut dialog.format,
                Format::Html,
                "Web page (.html): easy to read and print, to send by email",
            );
            ui.radio_value(
                &mut dialog.format,
                Format::Markdown,
                "Text (.md): for a ticket or a chat",
            );
            ui.radio_value(
                &mut dialog.format,
                Format::Json,
                "AuthDoctor file (.authdoctor.json): your helpdesk opens it in AuthDoctor",
            );
            ui.add_space(6.0);
            ui.label(RichText::new("Removed before saving").strong());
            ui.label(
                "Passwords, tokens, sign-in headers and cookie values are never in the report.",
            );
            if dialog.removed.is_empty() {
                ui.label("Nothing else secret-looking was found.");
            } else {
                egui::ScrollArea::vertical()
                    .max_height(140.0)
                    .show(ui, |ui| {
                        for (what, places) in report::group_by_what(&dialog.removed) {
                            let times = if places == 1 {
                                String::new()
                            } else {
                                format!(" ({places} places)")
                            };
                            ui.label(format!("• {what}{times}"));
                        }
                    });
            }
            ui.add_space(6.0);
            ui.checkbox(&mut dialog.keep_secrets, "Keep those values in the report");
            if dialog.keep_secrets {
                ui.label(
                    RichText::new(
                        "Not recommended: anyone who reads the file can use these values. Only \
                         for a report that never leaves this computer.",
                    )
                    .color(ui.visuals().warn_fg_color),
                );
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new("Choose where to save…").strong())
                    .clicked()
                {
                    action = StepAction::SaveAs(dialog.format, dialog.keep_secrets);
                }
                if ui.button("Cancel").clicked() {
                    action = StepAction::CloseSave;
                }
            });
        });
        if modal.should_close() && action == StepAction::None {
            action = StepAction::CloseSave;
        }
        action
    }
}

/// Text a little larger than egui's defaults: the app is read by people who are not at ease with
/// small technical print, often while on the phone.
pub fn set_text_sizes(ctx: &egui::Context) {
    use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};
    use egui::{FontFamily, FontId, TextStyle};
    // DejaVu Sans as the fallback: arrows, accented and Cyrillic/Greek letters in what servers
    // and our own texts say would otherwise show as empty boxes.
    ctx.add_font(FontInsert::new(
        "DejaVuSans",
        FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(12.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.5, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(15.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(14.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}

impl eframe::App for AuthDoctorApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Some(log) = &mut self.frame_log {
            log.started = Some(Instant::now());
        }
        if std::mem::take(&mut self.lab_on_next_frame) {
            self.start_lab(ctx);
        }
        if std::mem::take(&mut self.check_on_next_frame) {
            let step = self.step;
            self.run_check(ctx);
            self.step = if step == Step::Start {
                Step::Address
            } else {
                step
            };
        }
        self.check.poll();
        self.save.poll();
        self.lab.poll();
        self.htaccess_file.poll();
        if matches!(self.htaccess_file, Pending::Completed(_)) {
            if let Pending::Completed(result) = std::mem::take(&mut self.htaccess_file) {
                match result {
                    Ok(text) => {
                        self.htaccess.text = text;
                        self.explain_htaccess();
                    }
                    Err(message) => self.notice = Some((message, Instant::now())),
                }
            }
        } else if self.htaccess_file.is_running() {
            ctx.request_repaint_after(Duration::from_millis(200));
        }
        self.flush.poll();
        if let Pending::Completed(message) = &self.flush {
            self.notice = Some((message.clone(), Instant::now()));
            self.flush = Pending::NotYetRequested;
        }
        self.opening.poll();
        if matches!(self.opening, Pending::Completed(_)) {
            if let Pending::Completed(result) = std::mem::take(&mut self.opening) {
                self.opened(result);
            }
        }
        if self.opening.is_running() || self.lab.is_running() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.open_file(ctx, Some(path));
        }
        if let Pending::Completed(message) = &self.save {
            self.notice = Some((message.clone(), Instant::now()));
            self.save = Pending::NotYetRequested;
        }
        if self.check.is_running() {
            // Only the "Checking … (N s)" counter needs frames; a second is enough.
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        if let Some((_, at)) = &self.notice
            && at.elapsed() > Duration::from_secs(6)
        {
            self.notice = None;
        }
        let action = self.keyboard(ctx);
        self.apply(ctx, action);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if self.report_first_frame && self.frames == 0 {
            let since_epoch = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            eprintln!("first-frame-unix-ms {}", since_epoch.as_millis());
        }
        self.frames += 1;
        let ctx = ui.ctx().clone();
        let mut action = egui::Panel::top("top")
            .show(ui, |ui| self.top_bar_ui(ui))
            .inner;
        let bottom = egui::Panel::bottom("bottom")
            .show(ui, |ui| self.bottom_bar_ui(ui))
            .inner;
        let center = egui::CentralPanel::default_margins()
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        ui.set_max_width(900.0);
                        self.step_ui(ui)
                    })
                    .inner
            })
            .inner;
        let save = self.save_dialog_ui(&ctx);
        let flush = self.flush_dialog_ui(&ctx);
        for a in [bottom, center, save, flush] {
            if a != StepAction::None {
                action = a;
            }
        }
        self.apply(&ctx, action);
        if let Some(log) = &mut self.frame_log
            && let Some(started) = log.started
        {
            let end = Instant::now();
            let gap = log
                .previous_end
                .map_or(0, |p| started.duration_since(p).as_millis());
            eprintln!(
                "frame-ms {} gap-ms {gap} checking {}",
                end.duration_since(started).as_millis(),
                u8::from(self.check.is_running())
            );
            log.previous_end = Some(end);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
