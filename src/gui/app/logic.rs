//! The app's `logic` pass: takes finished background work in, handles drops and shortcuts, and
//! asks for the few frames a running task needs. Runs before drawing, every frame.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::Key;

use super::AuthDoctorApp;
use crate::engine::htaccess::HtaccessContext;
use crate::gui::features::opening::OpenOutcome;
use crate::gui::features::report_saving::SaveNews;
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
        if let Some(path) = self.open_on_next_frame.take() {
            self.opening
                .open(&self.runtime, ctx, Some(path), self.desktop);
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
            self.opening
                .open(&self.runtime, ctx, Some(path), self.desktop);
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
        self.practice.poll();
        self.desktop_theme.poll();
        if let Some(Some(theme)) = self.desktop_theme.take_completed() {
            ctx.options_mut(|o| o.fallback_theme = theme);
        }
        let was_checking = self.check.is_running();
        self.check.poll();
        if was_checking && !self.check.is_running() {
            self.check_finished();
            self.record_in_history(ctx);
        }
        match self.report_saving.poll() {
            Some(SaveNews::Notice(message)) => self.notify(message),
            Some(SaveNews::AskPath(dialog)) => self.path_dialog = Some(dialog),
            None => {}
        }
        if let Some(message) = self.dns_flush.poll() {
            self.notify(message);
        }
        if let Some(message) = self.history.poll(&self.runtime, ctx) {
            self.notify(message);
        }
        let news = self.htaccess.poll();
        if let Some(message) = news.notice {
            self.notify(message);
        }
        if let Some(dialog) = news.ask_path {
            self.path_dialog = Some(dialog);
        }
        if news.explain_now {
            let context = self.htaccess_context();
            self.htaccess.explain(&self.runtime, ctx, context);
        }
        match self.opening.poll() {
            Some(OpenOutcome::Opened(opened)) => self.opened(opened),
            Some(OpenOutcome::Failed(message)) => self.notify(message),
            Some(OpenOutcome::AskPath(dialog)) => self.path_dialog = Some(dialog),
            None => {}
        }
        if self.opening.progress().is_some() || self.practice.lab.is_running() {
            ctx.request_repaint_after(Duration::from_millis(100));
        } else if self.htaccess.is_busy() || self.history.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(200));
        }
    }

    /// A check ended: say so in the status line (read out by screen readers) and put the focus on
    /// the page's title.
    fn check_finished(&mut self) {
        // In a practice case the cause is the trainee's to find.
        let quiz = self
            .practice
            .trainee
            .as_ref()
            .is_some_and(|t| t.answer.is_none());
        let message = match self.check.value() {
            Some(Ok(d)) => match (d.status, d.likely_finding().filter(|_| !quiz)) {
                (Some(status), Some(f)) => {
                    format!(
                        "Check finished: the site answered {status}. Likely cause: {}.",
                        f.title
                    )
                }
                (Some(status), None) => format!("Check finished: the site answered {status}."),
                (None, Some(f)) => format!("Check finished: {}.", f.title),
                (None, None) => "Check finished.".to_owned(),
            },
            Some(Err(message)) => format!("The check could not run: {message}"),
            None => "The check was stopped.".to_owned(),
        };
        self.notify(message);
        if matches!(self.check, crate::gui::task::Pending::Completed(_)) {
            self.focus_heading = true;
        }
    }

    /// Keeps a finished live check in the history (not a practice case, whose cause is the
    /// trainee's to find, nor a check that could not run).
    fn record_in_history(&mut self, ctx: &egui::Context) {
        if self.practice.trainee.is_some() || self.read_only.is_some() {
            return;
        }
        if let crate::gui::task::Pending::Completed(Ok(d)) = &self.check {
            self.history.record(&self.runtime, ctx, d);
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
        // Esc cancels a running check; otherwise it is left to close menus and dialogs.
        let running = self.check.is_running();
        let (escape, ctrl_plus, ctrl_minus, alt_left, alt_right) = ctx.input_mut(|i| {
            (
                running && i.consume_key(egui::Modifiers::NONE, Key::Escape),
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
        // The page's title holds the focus after a page opens: that counts as nothing.
        let focused = ctx.memory(egui::Memory::focused);
        let nothing_focused = focused.is_none() || focused == self.page_heading;
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
