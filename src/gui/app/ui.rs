//! The app's `ui` pass: the top bar (steps, text size, helpdesk mode, colours), the bottom bar
//! (back, status, next, re-run), and the current step in a column that follows the window's width.
//! Every bar adapts to the room it has: a narrow window or large text gets a compact bar instead of
//! overlapping buttons. Draws only; actions are applied after.

use std::time::Instant;

use egui::accesskit::Role;
use egui::{RichText, TextStyle, Ui, UiBuilder};

use super::AuthDoctorApp;
use crate::engine::probe::{DEFAULT_DEADLINE_SECS, RequestLog};
use crate::gui::features::history::{self, HistoryAction};
use crate::gui::state::Settings;
use crate::gui::steps;
use crate::gui::task::Pending;
use crate::gui::theme::{self, ThemeChoice};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::{Step, StepAction};

/// The widest the content column gets, in points: longer lines are hard to read.
const MAX_COLUMN_PTS: f32 = 980.0;

/// Accessible name of the top bar.
pub const STEPS_BAR: &str = "Steps and view";
/// Accessible name of the bottom bar.
pub const ACTIONS_BAR: &str = "Back, status and next";
/// The bottom bar's button that forgets a kept password.
pub const FORGET_BUTTON: &str = "Forget password";
/// The compact top bar's menu of view settings.
pub const VIEW_MENU: &str = "View";
/// The wide top bar's menu of settings (colours, the time limit of a check).
pub const SETTINGS_MENU: &str = "Settings";
/// Label of the time limit on a whole check, in the settings.
pub const DEADLINE_LABEL: &str = "Time limit for a whole check";

/// How much of the top bar fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TopBar {
    /// Name, every step, and the view controls.
    Wide,
    /// Every step and the view controls.
    Controls,
    /// Every step, and a View menu.
    Steps,
    /// A menu of steps and a View menu.
    Compact,
}

impl AuthDoctorApp {
    pub(super) fn ui_pass(&mut self, ui: &mut Ui) {
        if self.report_first_frame && self.frames == 0 {
            let since_epoch = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            eprintln!("first-frame-unix-ms {}", since_epoch.as_millis());
        }
        self.frames += 1;
        let ctx = ui.ctx().clone();
        self.page_changed(&ctx);
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| {
            node.set_label(self.window_title());
        });
        let mut action = egui::Panel::top("top")
            .show(ui, |ui| {
                ui.scope_builder(
                    UiBuilder::new()
                        .accessibility_role(Role::Navigation)
                        .accessibility_label(STEPS_BAR),
                    |ui| self.top_bar_ui(ui),
                )
                .inner
            })
            .inner;
        let bottom = egui::Panel::bottom("bottom")
            .show(ui, |ui| {
                ui.scope_builder(
                    UiBuilder::new()
                        .accessibility_role(Role::Toolbar)
                        .accessibility_label(ACTIONS_BAR),
                    |ui| self.bottom_bar_ui(ui),
                )
                .inner
            })
            .inner;
        let to_top = std::mem::take(&mut self.scroll_to_top);
        let center = egui::CentralPanel::default_margins()
            .show(ui, |ui| {
                let mut area = egui::ScrollArea::vertical()
                    .auto_shrink(false)
                    .id_salt("page");
                if to_top {
                    area = area.vertical_scroll_offset(0.0);
                }
                area.show(ui, |ui| {
                    let room = ui.available_width();
                    let width = room.min(MAX_COLUMN_PTS);
                    let margin = ((room - width) / 2.0).floor();
                    ui.horizontal_top(|ui| {
                        ui.add_space(margin);
                        ui.vertical(|ui| {
                            ui.set_width(width);
                            self.step_ui(ui)
                        })
                        .inner
                    })
                    .inner
                })
                .inner
            })
            .inner;
        let save = self.save_dialog_ui(&ctx);
        let flush = self.flush_dialog_ui(&ctx);
        let path = self.path_dialog_ui(&ctx);
        for a in [bottom, center, save, flush, path] {
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

    /// The page's title, as the window and a screen reader name it.
    fn page_title(&self) -> String {
        match self.step.number() {
            Some(n) => format!("Step {n} of 5: {}", self.step.title()),
            None => "Why does my site say 401?".to_owned(),
        }
    }

    fn window_title(&self) -> String {
        format!("AuthDoctor — {}", self.page_title())
    }

    /// When another page is shown: it opens at its top, the keyboard focus goes to its title (so a
    /// screen reader announces it), and the window's title says where the user is.
    fn page_changed(&mut self, ctx: &egui::Context) {
        if self.shown_step == Some(self.step) {
            return;
        }
        let first = self.shown_step.is_none();
        self.shown_step = Some(self.step);
        self.scroll_to_top = true;
        if !first && self.step != Step::Start {
            self.focus_heading = true;
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(self.window_title()));
    }

    fn top_bar_kind(ui: &Ui) -> TopBar {
        let button = |text: &str| button_width(ui, text);
        let steps: f32 = Step::NUMBERED
            .iter()
            .map(|s| button(&format!("{} {}", s.number().unwrap_or_default(), s.title())))
            .sum();
        let view =
            button("A−") + button("A+") + button("Helpdesk mode") + 24.0 + button(SETTINGS_MENU);
        let name = text_width(ui, "AuthDoctor", &TextStyle::Heading) + 24.0;
        let room = ui.available_width();
        if name + steps + view <= room {
            TopBar::Wide
        } else if steps + view <= room {
            TopBar::Controls
        } else if steps + button(VIEW_MENU) + 16.0 <= room {
            TopBar::Steps
        } else {
            TopBar::Compact
        }
    }

    pub(super) fn top_bar_ui(&mut self, ui: &mut Ui) -> StepAction {
        let mut action = StepAction::None;
        let kind = Self::top_bar_kind(ui);
        ui.horizontal(|ui| {
            if kind == TopBar::Wide {
                ui.heading(RichText::new("AuthDoctor").strong());
                ui.separator();
            }
            if kind == TopBar::Compact {
                let label = match self.step.number() {
                    Some(n) => format!("Step {n} of 5 ▾"),
                    None => "Steps ▾".to_owned(),
                };
                ui.menu_button(label, |ui| {
                    for step in Step::NUMBERED {
                        if let Some(a) = self.step_link_ui(ui, step) {
                            action = a;
                        }
                    }
                });
            } else {
                for step in Step::NUMBERED {
                    if let Some(a) = self.step_link_ui(ui, step) {
                        action = a;
                    }
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if matches!(kind, TopBar::Wide | TopBar::Controls) {
                    self.view_controls_ui(ui);
                } else {
                    menu_button_ui(ui, VIEW_MENU, |ui| {
                        ui.set_min_width(220.0);
                        self.view_menu_ui(ui);
                    });
                }
            });
        });
        action
    }

    fn step_link_ui(&self, ui: &mut Ui, step: Step) -> Option<StepAction> {
        let n = step.number()?;
        let selected = self.step == step;
        let text = RichText::new(format!("{n} {}", step.title()));
        let text = if selected { text.strong() } else { text };
        ui.selectable_label(selected, text)
            .on_hover_text(step.intro())
            .clicked()
            .then_some(StepAction::GoTo(step))
    }

    /// The wide bar's view controls, drawn right to left.
    fn view_controls_ui(&mut self, ui: &mut Ui) {
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
        menu_button_ui(ui, SETTINGS_MENU, |ui| {
            ui.set_min_width(220.0);
            self.theme_menu_ui(ui);
            ui.separator();
            self.deadline_ui(ui);
        });
    }

    /// The compact bar's View menu: the same controls, one per line.
    fn view_menu_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if ui.button("Larger text (Ctrl and +)").clicked() {
            self.change_zoom(&ctx, 0.1);
        }
        if ui.button("Smaller text (Ctrl and −)").clicked() {
            self.change_zoom(&ctx, -0.1);
        }
        if ui
            .checkbox(&mut self.settings.helpdesk_mode, "Helpdesk mode")
            .changed()
        {
            self.apply_zoom(&ctx);
        }
        ui.separator();
        self.theme_menu_ui(ui);
        ui.separator();
        self.deadline_ui(ui);
    }

    /// The time limit on a whole check: shown, and changed, with the other settings (kept
    /// between runs).
    fn deadline_ui(&mut self, ui: &mut Ui) {
        let label = ui.label(DEADLINE_LABEL);
        ui.horizontal(|ui| {
            let field = ui
                .add(
                    egui::DragValue::new(&mut self.settings.deadline_secs)
                        .range(Settings::MIN_DEADLINE_SECS..=Settings::MAX_DEADLINE_SECS)
                        .speed(1)
                        .suffix(" s"),
                )
                .labelled_by(label.id);
            // Named by its label, not by the number it shows.
            ui.ctx().accesskit_node_builder(field.id, |node| {
                node.set_label(DEADLINE_LABEL.to_owned());
            });
            if self.settings.deadline_secs != DEFAULT_DEADLINE_SECS
                && ui
                    .button(format!("Back to {DEFAULT_DEADLINE_SECS} s"))
                    .clicked()
            {
                self.settings.deadline_secs = DEFAULT_DEADLINE_SECS;
            }
        });
        ui.add(
            egui::Label::new(
                RichText::new(
                    "A check stops after this long and shows what it found so far, with the \
                     request that did not finish.",
                )
                .weak(),
            )
            .wrap(),
        );
    }

    fn theme_menu_ui(&mut self, ui: &mut Ui) {
        for choice in ThemeChoice::ALL {
            if ui
                .radio(self.settings.theme == choice, choice.label())
                .clicked()
            {
                self.settings.theme = choice;
                theme::apply(ui.ctx(), choice);
            }
        }
    }

    pub(super) fn bottom_bar_ui(&mut self, ui: &mut Ui) -> StepAction {
        let mut action = StepAction::None;
        ui.add_space(4.0);
        let status = self.status_text();
        let next = self.step.next().filter(|_| self.step != Step::Start);
        let long_next = next.map(|n| format!("Next: {}", n.title()));
        let rerun = self.rerun_label();
        let big = |t: &str| button_width(ui, t) * 16.0 / 15.5;
        let buttons_wide = big("Back")
            + long_next.as_deref().map_or(0.0, big)
            + rerun.as_deref().map_or(0.0, big)
            + big("Cancel")
            + if self.kept_secrets.is_some() {
                big(FORGET_BUTTON)
            } else {
                0.0
            };
        let room = ui.available_width();
        let short = buttons_wide + 40.0 > room;
        let status_fits = status.as_deref().is_none_or(|s| {
            text_width(ui, s, &TextStyle::Body) * 16.0 / 15.5 + buttons_wide < room
        });
        // The bar is sized by what it held last frame: when the status changes or moves to a row
        // of its own (or back), lay the frame out again at once, or the buttons are cut off until the
        // next repaint.
        let layout_id = egui::Id::unique("bottom-bar-layout");
        let layout = (status_fits, short, status.clone());
        if ui.data(|d| d.get_temp::<(bool, bool, Option<String>)>(layout_id))
            != Some(layout.clone())
        {
            ui.data_mut(|d| d.insert_temp(layout_id, layout));
            ui.ctx().request_discard("the bottom bar's layout changed");
        }
        if !status_fits {
            Self::status_ui(ui, status.as_deref(), true);
        }
        ui.horizontal(|ui| {
            if let Some(prev) = self.step.prev()
                && ui.button(RichText::new("Back").size(16.0)).clicked()
            {
                action = StepAction::GoTo(prev);
            }
            if self.check.is_running() {
                ui.spinner();
                if ui
                    .button(RichText::new("Cancel").size(16.0))
                    .on_hover_text("Stop the check (Esc)")
                    .clicked()
                {
                    action = StepAction::Cancel;
                }
            }
            if status_fits {
                Self::status_ui(ui, status.as_deref(), false);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(next) = next {
                    let text = if short {
                        "Next".to_owned()
                    } else {
                        format!("Next: {}", next.title())
                    };
                    let response = ui.button(RichText::new(text).size(16.0));
                    ui.ctx().accesskit_node_builder(response.id, |node| {
                        node.set_label(format!("Next: {}", next.title()));
                    });
                    if response.clicked() {
                        action = StepAction::GoTo(next);
                    }
                }
                if let Some(rerun) = &rerun
                    && !self.check.is_running()
                {
                    let shown = if short { "Re-run" } else { rerun.as_str() };
                    let response = ui
                        .button(RichText::new(shown).size(16.0))
                        .on_hover_text(self.rerun_explanation());
                    ui.ctx().accesskit_node_builder(response.id, |node| {
                        node.set_label(rerun.clone());
                    });
                    if response.clicked() {
                        action = StepAction::Rerun;
                    }
                }
                if self.kept_secrets.is_some()
                    && ui
                        .button(RichText::new(FORGET_BUTTON).size(16.0))
                        .on_hover_text(
                            "Remove the password, token and cookies kept for Re-run from memory",
                        )
                        .clicked()
                {
                    action = StepAction::ForgetSecrets;
                }
            });
        });
        ui.add_space(4.0);
        action
    }

    /// The status line: a polite live region, so a screen reader reads out "Checking…" and
    /// "Check finished" without the user looking for them.
    fn status_ui(ui: &mut Ui, status: Option<&str>, own_row: bool) {
        let text = RichText::new(status.unwrap_or(" ")).size(16.0);
        let label = if own_row {
            egui::Label::new(text).wrap()
        } else {
            egui::Label::new(text).truncate()
        };
        let response = ui.add(label);
        widgets::make_live(ui, &response);
    }

    fn status_text(&self) -> Option<String> {
        if self.check.is_running() {
            let secs = self.check.running_secs().unwrap_or_default();
            let waiting = self
                .request_log
                .as_ref()
                .and_then(RequestLog::longest_pending)
                .filter(|r| r.elapsed_ms >= 2000)
                .map(|r| {
                    format!(
                        ": waiting {} s for {} {} ({})",
                        r.elapsed_ms / 1000,
                        r.method,
                        r.url,
                        r.purpose.words()
                    )
                })
                .unwrap_or_default();
            let limit = self.settings.deadline_secs();
            return Some(format!(
                "Checking … ({secs} s of at most {limit} s){waiting}"
            ));
        }
        self.notice.as_ref().map(|(text, _)| text.clone())
    }

    /// The Re-run button's words: they say what happens to the password.
    fn rerun_label(&self) -> Option<String> {
        if self.step == Step::Start {
            return None;
        }
        // A practice case's story gives its password again on every run.
        let practising = self.practice.trainee.is_some();
        Some(if self.kept_secrets.is_some() {
            "Re-run with the kept password".to_owned()
        } else if self.form.secrets_were_used && !practising {
            "Re-run (asks for the password)".to_owned()
        } else {
            "Re-run".to_owned()
        })
    }

    fn rerun_explanation(&self) -> &'static str {
        if self.kept_secrets.is_some() {
            "Run the checks again with the password or token kept in memory for this window"
        } else if self.form.secrets_were_used && self.practice.trainee.is_none() {
            "The password was forgotten after the last check: type it again on the start page"
        } else {
            "Run the checks again"
        }
    }

    pub(super) fn step_ui(&mut self, ui: &mut Ui) -> StepAction {
        let size = if self.settings.helpdesk_mode {
            28.0
        } else if self.step == Step::Start {
            30.0
        } else {
            24.0
        };
        let heading = widgets::heading_sized_ui(ui, self.page_title(), Level::Page, size);
        self.page_heading = Some(heading.id);
        if std::mem::take(&mut self.focus_heading) {
            heading.request_focus();
        }
        let script = self
            .settings
            .helpdesk_mode
            .then(|| self.step.helpdesk_script());
        if self.step != Step::Start {
            ui.label(self.step.intro());
            if let Some(script) = script {
                helpdesk_script_ui(ui, script);
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
        if let Pending::Cancelled(previous) = &self.check
            && self.step != Step::Start
        {
            let nothing = previous.is_none();
            if cancelled_ui(ui, nothing) {
                return StepAction::GoTo(Step::Start);
            }
            if nothing {
                return StepAction::None;
            }
        }
        let outcome = self.check.value();
        let running = self.check.is_running();
        match self.step {
            Step::Start => {
                let page = steps::start::StartPage {
                    // The history's list of past checks (with their results) takes its place.
                    recent: if self.history.file.checks.is_empty() {
                        self.settings.recent.as_slice()
                    } else {
                        &[]
                    },
                    running,
                    focus_sign_in: std::mem::take(&mut self.focus_sign_in),
                    kept: self.kept_secrets.is_some(),
                };
                let mut action = steps::start::start_ui(ui, &mut self.form, &page);
                if let Some(script) = script {
                    helpdesk_script_ui(ui, script);
                }
                let files = steps::start::StartExtras {
                    lab: self.practice.lab.value(),
                    lab_starting: self.practice.lab.is_running(),
                    offline: self.offline,
                    opening: self.opening.progress(),
                    har: self.har.as_ref().map(|(h, p)| (h, p.as_path())),
                    results: &self.practice.results,
                    scroll_to_lab: self.scroll_to_lab
                        && matches!(self.practice.lab.value(), Some(Ok(_))),
                };
                if files.scroll_to_lab {
                    self.scroll_to_lab = false;
                }
                let extra = steps::start::extras_ui(ui, &files);
                if extra != StepAction::None {
                    action = extra;
                }
                match history::history_ui(ui, &self.history) {
                    HistoryAction::None => {}
                    HistoryAction::UseAddress(address) => action = StepAction::UseAddress(address),
                    HistoryAction::Clear => self.history.clear(&self.runtime, ui.ctx()),
                    HistoryAction::SetKeep(keep) => {
                        self.history.set_keep(&self.runtime, ui.ctx(), keep);
                    }
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
                let quiz = self
                    .practice
                    .trainee
                    .as_ref()
                    .map(|trainee| steps::diagnosis::Quiz {
                        trainee,
                        has_next: self.practice.next_case().is_some(),
                        score: self.practice.score(),
                    });
                // After a re-check, what changed since the last check of the address shown.
                if let (Some(change), Some(d), None) =
                    (&self.history.last_change, self.diagnosis(), &self.read_only)
                    && change.after.address == crate::engine::redact::address(&d.url)
                    && change.after.checked_at == d.checked_at
                {
                    history::change_card_ui(ui, change);
                }
                steps::diagnosis::diagnosis_ui(
                    ui,
                    outcome,
                    running,
                    quiz.as_ref(),
                    self.report_saving.saved(),
                )
            }
        }
    }
}

/// Label of the note a cancelled check leaves on the pages.
pub const CANCELLED_NOTE: &str = "You cancelled the check before it finished.";

/// The note a cancelled check leaves: what is shown instead. True when the user asks for the
/// start page.
fn cancelled_ui(ui: &mut Ui, nothing_to_show: bool) -> bool {
    let mut to_start = false;
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(CANCELLED_NOTE).strong());
            if nothing_to_show {
                ui.label("There are no results to show. Press Re-run to check again.");
                to_start = ui.button("Go to the start page").clicked();
            } else {
                ui.label(
                    "Below are the results of the check before it; press Re-run to check again.",
                );
            }
        });
    ui.add_space(6.0);
    to_start
}

/// A menu that stays open while its controls are used (a number typed, a colour picked), and
/// closes on a click outside it or Esc.
fn menu_button_ui(ui: &mut Ui, label: &str, content: impl FnOnce(&mut Ui)) {
    egui::containers::menu::MenuButton::new(label)
        .config(
            egui::containers::menu::MenuConfig::new()
                .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside),
        )
        .ui(ui, content);
}

fn helpdesk_script_ui(ui: &mut Ui, script: &str) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Read this to the customer:").strong());
        ui.label(RichText::new(script).italics());
    });
}

/// The width of `text` in `style`, on one line.
fn text_width(ui: &Ui, text: &str, style: &TextStyle) -> f32 {
    let font = style.resolve(ui.style());
    ui.ctx().fonts_mut(|f| {
        f.layout_no_wrap(text.to_owned(), font, egui::Color32::WHITE)
            .size()
            .x
    })
}

/// The width a button with `text` takes, its spacing included.
fn button_width(ui: &Ui, text: &str) -> f32 {
    let spacing = ui.spacing();
    text_width(ui, text, &TextStyle::Button)
        + 2.0 * spacing.button_padding.x
        + spacing.item_spacing.x
}
