//! The eframe application: owns the wizard's state, starts checks on the tokio worker, polls
//! them in `logic`, and draws the current step in `ui`. Nothing here blocks a frame.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Key, RichText};
use serde::{Deserialize, Serialize};

use crate::engine::redact;
use crate::engine::{self, CheckInput, Credentials, Diagnosis, Net, NetOptions, Secret};
use crate::gui::steps;
use crate::gui::task::Pending;
use crate::gui::wizard::{Step, StepAction};

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
}

/// The outcome of a background check: the diagnosis, or why the check could not start.
pub type CheckOutcome = Result<Diagnosis, String>;

/// The AuthDoctor desktop app.
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
    frames: u64,
    /// Start the check on the next frame (set by [`AuthDoctorApp::launch`]).
    check_on_next_frame: bool,
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
            frames: 0,
            check_on_next_frame: false,
        }
    }

    /// Applies how the window was asked to open.
    pub fn launch(&mut self, launch: Launch) {
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
        self.form.secrets_were_used = credentials.password.is_some() || credentials.token.is_some();
        self.remember(&address);
        let options = self.net_options.clone();
        let input = CheckInput {
            address,
            credentials,
        };
        self.check.spawn(&self.runtime, ctx, async move {
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
            StepAction::SaveReport => self.save_report(ctx),
        }
    }

    fn save_report(&mut self, ctx: &egui::Context) {
        let Some(diagnosis) = self.diagnosis().cloned() else {
            return;
        };
        let file_name = steps::diagnosis::report_file_name(&diagnosis);
        self.save.spawn(&self.runtime, ctx, async move {
            let Some(handle) = rfd::AsyncFileDialog::new()
                .set_title("Save the AuthDoctor report")
                .set_file_name(file_name)
                .add_filter("AuthDoctor report (JSON)", &["json"])
                .save_file()
                .await
            else {
                return "Not saved.".to_owned();
            };
            let path: PathBuf = handle.path().to_path_buf();
            match steps::diagnosis::report_json(&diagnosis) {
                Ok(text) => match tokio::fs::write(&path, text).await {
                    Ok(()) => format!("Report saved to {}", path.display()),
                    Err(e) => format!("Could not save the report to {}: {e}", path.display()),
                },
                Err(e) => format!("Could not write the report: {e}"),
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
        let outcome = self.check.value();
        let running = self.check.is_running();
        match self.step {
            Step::Start => {
                steps::start::start_ui(ui, &mut self.form, &self.settings.recent, running)
            }
            Step::Address => steps::url::address_ui(ui, outcome, running),
            Step::CookiesCache => steps::cookies_cache::cookies_cache_ui(ui, outcome),
            Step::Dns => steps::dns::dns_ui(ui, outcome),
            Step::Headers => steps::headers::headers_ui(ui, outcome, self.form.secrets_were_used),
            Step::Diagnosis => steps::diagnosis::diagnosis_ui(ui, outcome, running),
        }
    }
}

/// Text a little larger than egui's defaults: the app is read by people who are not at ease with
/// small technical print, often while on the phone.
pub fn set_text_sizes(ctx: &egui::Context) {
    use egui::{FontFamily, FontId, TextStyle};
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
        for a in [bottom, center] {
            if a != StepAction::None {
                action = a;
            }
        }
        self.apply(&ctx, action);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
