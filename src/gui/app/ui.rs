//! The app's `ui` pass: the top bar (steps, text size, helpdesk mode), the bottom bar (back, status,
//! next, re-run), and the current step in a scrolling column. Draws only; actions are applied after.

use std::time::Instant;

use egui::RichText;

use super::AuthDoctorApp;
use crate::gui::steps;
use crate::gui::wizard::{Step, StepAction};

impl AuthDoctorApp {
    pub(super) fn ui_pass(&mut self, ui: &mut egui::Ui) {
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

    pub(super) fn top_bar_ui(&mut self, ui: &mut egui::Ui) -> StepAction {
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

    pub(super) fn bottom_bar_ui(&mut self, ui: &mut egui::Ui) -> StepAction {
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

    pub(super) fn step_ui(&mut self, ui: &mut egui::Ui) -> StepAction {
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
                    lab: self.practice.lab.value(),
                    lab_starting: self.practice.lab.is_running(),
                    offline: self.offline,
                    opening: self.opening.progress(),
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
                steps::diagnosis::diagnosis_ui(ui, outcome, running, self.practice.trainee.as_ref())
            }
        }
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
        FontData::from_static(include_bytes!("../../../assets/fonts/DejaVuSans.ttf")),
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
