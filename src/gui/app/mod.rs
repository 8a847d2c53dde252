//! The eframe application, split by role: [`logic`] polls background work, [`commands`] applies
//! what the user asked for, [`ui`] draws the bars and the current step, [`dialogs`] the modals.
//! Nothing here blocks a frame.

mod commands;
mod dialogs;
mod logic;
mod ui;

pub use ui::{
    ACTIONS_BAR, CANCELLED_NOTE, DEADLINE_LABEL, FORGET_BUTTON, SETTINGS_MENU, STEPS_BAR, VIEW_MENU,
};

use std::path::PathBuf;
use std::time::Instant;

use crate::engine::dns::DnsOptions;
use crate::engine::har::HarReport;
use crate::engine::probe::RequestLog;
use crate::engine::{Credentials, Diagnosis, NetOptions};
use crate::gui::features::dns_flush::DnsFlush;
use crate::gui::features::history::History;
use crate::gui::features::htaccess_tool::HtaccessTool;
use crate::gui::features::opening::Opening;
use crate::gui::features::practice::Practice;
use crate::gui::features::report_saving::ReportSaving;
use crate::gui::file_dialogs::{Desktop, PathDialog};
use crate::gui::state::{CheckOutcome, KeptSecrets, Settings, StartForm};
use crate::gui::task::Pending;
use crate::gui::theme::{self, ThemeChoice};
use crate::gui::wizard::Step;

const SETTINGS_KEY: &str = "authdoctor-settings";

/// How the window was asked to open: an address to check at once, a page to show, a file to open.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    /// Address to fill in and check on the first frame.
    pub address: Option<String>,
    /// Wizard page (1–5) to show.
    pub step: Option<usize>,
    /// Start the practice lab at once.
    pub lab: bool,
    /// A saved report, HAR log or cookie export to open on the first frame.
    pub file: Option<PathBuf>,
    /// Sign-in details to fill in (`gui --user`, the password from the environment).
    pub credentials: Credentials,
}

impl Launch {
    /// What `authdoctor gui ARG` (and a double-clicked file) opens: a file that exists is opened,
    /// anything else, and anything with a scheme (`https://…`), is an address to check.
    #[must_use]
    pub fn for_argument(argument: &std::ffi::OsStr) -> Launch {
        let path = std::path::Path::new(argument);
        let text = argument.to_string_lossy();
        if !text.contains("://") && path.is_file() {
            Launch {
                file: Some(path.to_path_buf()),
                ..Launch::default()
            }
        } else {
            Launch {
                address: Some(text.into_owned()),
                ..Launch::default()
            }
        }
    }
}

/// Frame timing for `scripts/bench.sh` (`AUTHDOCTOR_FRAME_LOG=1`).
#[derive(Default)]
struct FrameLog {
    /// When this frame's `logic` began.
    started: Option<Instant>,
    /// When the previous frame ended.
    previous_end: Option<Instant>,
}

/// The AuthDoctor desktop app.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent one-shot flags (first frame, launch requests, offline), not a state machine"
)]
pub struct AuthDoctorApp {
    runtime: tokio::runtime::Handle,
    net_options: NetOptions,
    /// DNS settings to use instead of this computer's.
    dns_options: Option<DnsOptions>,
    /// Where the user is.
    pub step: Step,
    /// Start page fields.
    pub form: StartForm,
    /// The running or finished check.
    pub check: Pending<CheckOutcome>,
    /// The running check's requests as they go (the status line names the one it waits for).
    request_log: Option<RequestLog>,
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
    /// Open this file on the next frame (set by [`AuthDoctorApp::launch`]).
    open_on_next_frame: Option<PathBuf>,
    /// Set when no network was found at start: the lab is offered first.
    pub offline: bool,
    /// The practice lab and the trainee's case.
    pub practice: Practice,
    /// A file being opened (report, HAR or cookies).
    pub opening: Opening,
    /// The opened HAR log, whose 401s can be shown one by one.
    pub har: Option<(HarReport, PathBuf)>,
    /// Set while a saved report (or a HAR entry) is shown instead of a live check.
    pub read_only: Option<String>,
    /// The save preview and the save in progress.
    pub report_saving: ReportSaving,
    /// The DNS flush confirmation and run.
    pub dns_flush: DnsFlush,
    /// The .htaccess checker on the sign-in step.
    pub htaccess: HtaccessTool,
    /// The past checks, and what changed since the last check of an address.
    pub history: History,
    /// The app's own file dialog, when the desktop has no file picker.
    pub path_dialog: Option<PathDialog>,
    /// What the desktop offers for picking files, when set instead of looking (tests).
    desktop: Option<Desktop>,
    /// The password, token and cookies kept for Re-run, when the user asked to keep them.
    pub kept_secrets: Option<KeptSecrets>,
    /// The page drawn last frame, to notice when another one opens.
    shown_step: Option<Step>,
    /// Scroll the page to its top on the next frame.
    scroll_to_top: bool,
    /// Bring the practice lab's cases into view once they are listed (the lab was asked for).
    scroll_to_lab: bool,
    /// Put the keyboard focus on the page's title on the next frame.
    focus_heading: bool,
    /// Put the keyboard focus on the sign-in fields on the next frame.
    focus_sign_in: bool,
    /// The id of the page's title, which holds the focus after a page opens.
    page_heading: Option<egui::Id>,
    /// Whether the desktop is light or dark, asked once when the windowing system does not say.
    desktop_theme: Pending<Option<egui::Theme>>,
}

impl AuthDoctorApp {
    /// Creates the app, restoring settings from eframe's storage when there is one.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, runtime: tokio::runtime::Handle) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        theme::set_text_sizes(&cc.egui_ctx);
        let mut app = Self::with_settings(runtime, settings);
        // Only with eframe's storage (the real window), never for a test harness without one.
        if let Some(path) = cc.storage.and(History::default_path()) {
            app.use_history_file(&cc.egui_ctx, path);
        }
        app.apply_zoom(&cc.egui_ctx);
        app.apply_theme(&cc.egui_ctx);
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
            dns_options: None,
            step: Step::Start,
            form: StartForm::default(),
            check: Pending::default(),
            request_log: None,
            settings,
            notice: None,
            report_first_frame: std::env::var_os("AUTHDOCTOR_FIRST_FRAME").is_some(),
            frame_log: std::env::var_os("AUTHDOCTOR_FRAME_LOG").map(|_| FrameLog::default()),
            frames: 0,
            check_on_next_frame: false,
            lab_on_next_frame: false,
            open_on_next_frame: None,
            offline: false,
            practice: Practice::default(),
            opening: Opening::default(),
            har: None,
            read_only: None,
            report_saving: ReportSaving::default(),
            dns_flush: DnsFlush::default(),
            htaccess: HtaccessTool::default(),
            history: History::default(),
            path_dialog: None,
            desktop: None,
            kept_secrets: None,
            shown_step: None,
            scroll_to_top: false,
            scroll_to_lab: false,
            focus_heading: false,
            focus_sign_in: false,
            page_heading: None,
            desktop_theme: Pending::default(),
        }
    }

    /// Starts the practice lab on the worker (once).
    pub fn start_lab(&mut self, ctx: &egui::Context) {
        self.scroll_to_lab = true;
        self.practice.start(&self.runtime, ctx);
    }

    /// With no network, the lab is the default: start it and say so.
    pub fn use_lab_when_offline(&mut self, ctx: &egui::Context) {
        self.offline = true;
        self.start_lab(ctx);
    }

    /// Applies how the window was asked to open.
    pub fn launch(&mut self, launch: Launch) {
        self.lab_on_next_frame = launch.lab;
        self.open_on_next_frame = launch.file;
        let c = launch.credentials;
        if c.is_present() {
            self.form.with_credentials = true;
            self.form.user = c.user.unwrap_or_default();
            self.form.password = c
                .password
                .map(|p| p.expose().to_owned())
                .unwrap_or_default();
            self.form.token = c.token.map(|t| t.expose().to_owned()).unwrap_or_default();
        }
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

    /// Keeps the history of checks in `path` (the app's data directory; tests give a temp file),
    /// read on the worker.
    pub fn use_history_file(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.history.open(&self.runtime, ctx, path);
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

    /// The finished diagnosis, if any (also while a re-run is in progress).
    #[must_use]
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.check.value().and_then(|r| r.as_ref().ok())
    }

    /// Uses `desktop` as what this desktop offers for picking files, instead of looking at the
    /// session bus (tests use this to try the app's own dialog).
    pub fn set_desktop(&mut self, desktop: Desktop) {
        self.desktop = Some(desktop);
    }

    /// Sets the text size and helpdesk mode, as the View controls do (tests use this).
    pub fn set_view(&mut self, ctx: &egui::Context, zoom: f32, helpdesk_mode: bool) {
        self.settings.zoom = zoom;
        self.settings.helpdesk_mode = helpdesk_mode;
        self.apply_zoom(ctx);
    }

    /// Colours and helpdesk mode asked for in `AUTHDOCTOR_THEME` (`light`, `dark`, `system`) and
    /// `AUTHDOCTOR_HELPDESK` (`1`), for screenshots and demonstrations; otherwise the settings'.
    pub fn view_from_env(&mut self, ctx: &egui::Context) {
        if let Ok(theme) = std::env::var("AUTHDOCTOR_THEME") {
            self.settings.theme = match theme.as_str() {
                "light" => ThemeChoice::Light,
                "dark" => ThemeChoice::Dark,
                _ => ThemeChoice::System,
            };
            self.apply_theme(ctx);
        }
        if let Ok(helpdesk) = std::env::var("AUTHDOCTOR_HELPDESK") {
            self.settings.helpdesk_mode = helpdesk == "1";
            self.apply_zoom(ctx);
        }
    }

    /// Applies the colour choice; when it is "like the system" and the windowing system does not
    /// say, asks the desktop's settings on the worker.
    fn apply_theme(&mut self, ctx: &egui::Context) {
        theme::apply(ctx, self.settings.theme);
        if self.settings.theme == ThemeChoice::System && ctx.system_theme().is_none() {
            self.desktop_theme
                .spawn(&self.runtime, ctx, theme::desktop_theme());
        }
    }

    fn notify(&mut self, message: impl Into<String>) {
        self.notice = Some((message.into(), Instant::now()));
    }
}

impl eframe::App for AuthDoctorApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.logic_pass(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_pass(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
