//! The app's `logic` pass: takes finished background work in, handles drops and shortcuts, and
//! asks for the few frames a running task needs. Runs before drawing, every frame.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::Key;

use super::AuthDoctorApp;
use crate::engine::htaccess::HtaccessContext;
use crate::gui::wizard::{Step, StepAction};

/// How long a notice stays in the bottom bar.
const NOTICE_SECS: u64 = 6;

impl AuthDoctorApp {
    pub(super) fn logic_pass(&mut self, ctx: &egui::Context) {
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
        self.poll_features(ctx);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.opening.open(&self.runtime, ctx, Some(path));
        }
        if self.check.is_running() {
            // Only the "Checking … (N s)" counter needs frames; a second is enough.
            ctx.request_repaint_after(Duration::from_millis(250));
        }
        if let Some((_, at)) = &self.notice
            && at.elapsed() > Duration::from_secs(NOTICE_SECS)
        {
            self.notice = None;
        }
        let action = self.keyboard(ctx);
        self.apply(ctx, action);
    }

    fn poll_features(&mut self, ctx: &egui::Context) {
        self.check.poll();
        self.practice.poll();
        if let Some(message) = self.report_saving.poll() {
            self.notify(message);
        }
        if let Some(message) = self.dns_flush.poll() {
            self.notify(message);
        }
        let (message, explain_now) = self.htaccess.poll();
        if let Some(message) = message {
            self.notify(message);
        }
        if explain_now {
            let context = self.htaccess_context();
            self.htaccess.explain(&self.runtime, ctx, context);
        }
        if let Some(opened) = self.opening.poll() {
            self.opened(opened);
        }
        if self.opening.progress().is_some() || self.practice.lab.is_running() {
            ctx.request_repaint_after(Duration::from_millis(100));
        } else if self.htaccess.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(200));
        }
    }

    /// What the .htaccess checker should know about the site: the scheme it asked for, http or not.
    pub(super) fn htaccess_context(&self) -> HtaccessContext {
        let d = self.diagnosis();
        HtaccessContext {
            observed_scheme: d
                .and_then(|d| d.challenges.first())
                .map(|c| c.scheme.clone()),
            site_is_http: d.is_some_and(|d| d.url.starts_with("http://")),
        }
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
}
