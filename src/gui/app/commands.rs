//! Applying what the user asked for (a [`StepAction`] returned by a step or a bar) after drawing:
//! start or cancel a check, move between steps, open, save, practise.

use crate::engine::dns::DnsOptions;
use crate::engine::probe::RequestLog;
use crate::engine::redact;
use crate::engine::{self, CheckInput, Credentials, Diagnosis, Net, NetOptions, Secret};
use crate::gui::features::practice::fresh_seed;
use crate::gui::file_dialogs::PathPurpose;
use crate::gui::files::Opened;
use crate::gui::state::KeptSecrets;
use crate::gui::wizard::{Step, StepAction};

use super::AuthDoctorApp;

const MAX_RECENT: usize = 8;
const MIN_ZOOM: f32 = 0.7;
const MAX_ZOOM: f32 = 2.5;

impl AuthDoctorApp {
    pub(super) fn apply(&mut self, ctx: &egui::Context, action: StepAction) {
        match action {
            StepAction::None => {}
            StepAction::GoTo(step) => self.step = step,
            StepAction::RunCheck => self.run_check(ctx),
            StepAction::Rerun => self.rerun(ctx),
            StepAction::EnterSignIn => self.enter_sign_in(),
            StepAction::ForgetSecrets => {
                self.kept_secrets = None;
                self.form.keep_secrets = false;
                self.notify("The password, token and cookies were forgotten.");
            }
            StepAction::OpenFolder(path) => self.open_folder(ctx, &path),
            StepAction::UsePath(path) => self.use_path(ctx, path),
            StepAction::ClosePathDialog => {
                if self
                    .path_dialog
                    .take()
                    .is_some_and(|d| matches!(d.purpose, PathPurpose::SaveReport(..)))
                {
                    self.notify("Not saved: the dialog was closed.");
                }
            }
            StepAction::Cancel => {
                if self.check.is_running() {
                    // Aborts the worker's task: its requests are dropped and their connections
                    // closed now, not at the time limit.
                    self.check.cancel();
                    self.notify("The check was cancelled.");
                }
            }
            StepAction::Copy(text) => {
                ctx.copy_text(text);
                self.notify("Copied to the clipboard.");
            }
            StepAction::UseAddress(a) => {
                self.form.address = a;
                self.step = Step::Start;
            }
            StepAction::SaveReport => {
                if let Some(d) = self.diagnosis() {
                    let d = d.clone();
                    self.report_saving.preview(&d);
                }
            }
            StepAction::SaveAs(format, redaction) => {
                if let Some(diagnosis) = self.diagnosis().cloned() {
                    self.report_saving.save(
                        &self.runtime,
                        ctx,
                        diagnosis,
                        (format, redaction),
                        self.desktop,
                    );
                } else {
                    self.report_saving.close();
                }
            }
            StepAction::CloseSave => self.report_saving.close(),
            StepAction::AskRunFlush(command) => self.dns_flush.ask(command),
            StepAction::CloseFlush => self.dns_flush.close(),
            StepAction::RunFlush => self.dns_flush.run_confirmed(&self.runtime, ctx),
            StepAction::ExplainHtaccess => {
                let context = self.htaccess_context();
                self.htaccess.explain(&self.runtime, ctx, context);
            }
            StepAction::OpenHtaccess => {
                self.htaccess
                    .open_file(&self.runtime, ctx, None, self.desktop);
            }
            StepAction::StartLab => self.start_lab(ctx),
            StepAction::Practice(id) => self.practice_case(ctx, &id),
            StepAction::Answer(code) => self.practice.answer(code),
            StepAction::RetryCase => self.practice.retry(fresh_seed()),
            StepAction::RevealAnswer => self.practice.reveal(),
            StepAction::CopyPracticeResults => {
                ctx.copy_text(self.practice.summary());
                self.notify("The class's results were copied to the clipboard.");
            }
            StepAction::NextCase => {
                if let Some(id) = self.practice.next_case() {
                    self.practice_case(ctx, &id);
                    self.step = Step::Address;
                } else {
                    self.step = Step::Start;
                }
            }
            StepAction::OpenFile => self.opening.open(&self.runtime, ctx, None, self.desktop),
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

    /// Starts the check with what is on the start page. Secrets move into the check and are
    /// cleared from the form.
    pub fn run_check(&mut self, ctx: &egui::Context) {
        let address = self.form.address.trim().to_owned();
        if address.is_empty() {
            self.notify("Paste an address first.");
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
        let mut cookies = Some(std::mem::take(&mut self.form.cookies))
            .filter(|c| self.form.with_credentials && !c.trim().is_empty());
        let mut credentials = credentials;
        // Kept details fill in what was not typed again; a newly typed value replaces them.
        if let Some(kept) = &self.kept_secrets {
            credentials.user = credentials.user.or_else(|| kept.credentials.user.clone());
            credentials.password = credentials
                .password
                .or_else(|| kept.credentials.password.clone());
            credentials.token = credentials.token.or_else(|| kept.credentials.token.clone());
            cookies = cookies.or_else(|| kept.cookies.clone());
        }
        self.kept_secrets = self.form.keep_secrets.then(|| KeptSecrets {
            credentials: credentials.clone(),
            cookies: cookies.clone(),
        });
        self.form.secrets_were_used =
            credentials.password.is_some() || credentials.token.is_some() || cookies.is_some();
        if self.form.secrets_were_used {
            // Text fields keep undo copies of what was typed: drop them with the secrets.
            ctx.memory_mut(|m| m.data.remove_by_type::<egui::text_edit::TextEditState>());
        }
        self.read_only = None;
        self.remember(&address);
        let options = NetOptions {
            deadline_secs: self.settings.deadline_secs(),
            ..self.net_options.clone()
        };
        let dns_options = self.dns_options.clone();
        let origin = Some(self.form.origin.trim().to_owned()).filter(|o| !o.is_empty());
        let log = RequestLog::default();
        self.request_log = Some(log.clone());
        self.check.spawn(&self.runtime, ctx, async move {
            let input = CheckInput {
                address,
                credentials,
                // Reads /proc to find the running DNS caches: on the worker, not the frame.
                dns: Some(dns_options.unwrap_or_else(DnsOptions::for_this_computer)),
                cookies,
                log: Some(log),
                origin,
                ..CheckInput::default()
            };
            let net = Net::new(&options).map_err(|e| e.to_string())?;
            Ok(engine::diagnose(&input, &net).await)
        });
        if self.step == Step::Start {
            self.step = Step::Address;
        }
    }

    /// Re-run does what the start page said about the password: with the kept one, or, when it
    /// was forgotten, the start page opens to ask for it again.
    fn rerun(&mut self, ctx: &egui::Context) {
        if self.kept_secrets.is_none()
            && self.form.secrets_were_used
            && self.practice.trainee.is_none()
        {
            self.enter_sign_in();
            self.notify("Type the password or token again to check with it: it was forgotten after the last check.");
            return;
        }
        if self.practice.trainee.is_some() {
            // The story gives its details again; the trainee's answer stays.
            self.fill_in_story();
        }
        self.run_check(ctx);
    }

    fn enter_sign_in(&mut self) {
        self.form.with_credentials = true;
        self.step = Step::Start;
        self.focus_sign_in = true;
    }

    /// The path typed in the app's own file dialog: save or open there.
    fn use_path(&mut self, ctx: &egui::Context, path: std::path::PathBuf) {
        let Some(dialog) = self.path_dialog.take() else {
            return;
        };
        match dialog.purpose {
            PathPurpose::SaveReport(format, redaction) => {
                if let Some(diagnosis) = self.diagnosis().cloned() {
                    self.report_saving.save_to(
                        &self.runtime,
                        ctx,
                        diagnosis,
                        (format, redaction),
                        path,
                    );
                }
            }
            PathPurpose::OpenFile => {
                self.opening
                    .open(&self.runtime, ctx, Some(path), self.desktop);
            }
            PathPurpose::OpenHtaccess => {
                self.htaccess
                    .open_file(&self.runtime, ctx, Some(path), self.desktop);
            }
        }
    }

    fn open_folder(&mut self, ctx: &egui::Context, path: &std::path::Path) {
        self.report_saving.open_folder(&self.runtime, ctx, path);
    }

    fn practice_case(&mut self, ctx: &egui::Context, id: &str) {
        if self.practice.begin(id, fresh_seed()).is_none() {
            return;
        }
        self.fill_in_story();
        self.run_check(ctx);
    }

    /// Fills the start page with what the practice case's customer told: the address, and the
    /// user name and password, token or cookies the story gives.
    fn fill_in_story(&mut self) {
        let (Some(lab), Some(t)) = (self.practice.running_lab(), &self.practice.trainee) else {
            return;
        };
        let scenario = &t.scenario;
        self.form.address = lab.url(scenario);
        self.form.user = scenario.check_user.clone().unwrap_or_default();
        self.form.password = scenario.check_password.clone().unwrap_or_default();
        self.form.token = lab.state.story_token(scenario).unwrap_or_default();
        self.form.cookies = scenario.check_cookies_txt.clone().unwrap_or_default();
        self.form.origin = scenario.check_origin.clone().unwrap_or_default();
        self.form.with_credentials = !self.form.user.is_empty()
            || !self.form.token.is_empty()
            || !self.form.cookies.is_empty();
    }

    fn show_loaded(&mut self, diagnosis: Diagnosis, banner: String) {
        self.check = crate::gui::task::Pending::Completed(Ok(diagnosis));
        self.read_only = Some(banner);
        self.practice.trainee = None;
        self.step = Step::Diagnosis;
    }

    pub(super) fn opened(&mut self, opened: Opened) {
        match opened {
            Opened::Report(file) => {
                let banner = format!(
                    "A saved report of {} from {} (read-only).",
                    file.diagnosis.url, file.diagnosis.checked_at
                );
                self.form.address.clone_from(&file.diagnosis.url);
                self.show_loaded(file.diagnosis, banner);
            }
            Opened::Har(har, path) => {
                self.notify(format!(
                    "The network log holds {} requests; {} answered 401 or 407.",
                    har.entries, har.answers
                ));
                self.har = Some((*har, path));
                self.step = Step::Start;
            }
            Opened::Cookies(text, path) => {
                self.form.cookies = text;
                self.form.with_credentials = true;
                self.step = Step::Start;
                self.notify(format!(
                    "Cookies loaded from {}: press \"Check this address\" to use them.",
                    path.display()
                ));
            }
        }
    }

    fn remember(&mut self, address: &str) {
        let safe = redact::address(address);
        self.settings.recent.retain(|a| *a != safe);
        self.settings.recent.insert(0, safe);
        self.settings.recent.truncate(MAX_RECENT);
    }

    fn zoom(&self) -> f32 {
        let base = self.settings.zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        if self.settings.helpdesk_mode {
            (base * 1.25).min(MAX_ZOOM)
        } else {
            base
        }
    }

    pub(super) fn apply_zoom(&self, ctx: &egui::Context) {
        ctx.set_zoom_factor(self.zoom());
    }

    pub(super) fn change_zoom(&mut self, ctx: &egui::Context, by: f32) {
        self.settings.zoom = (self.settings.zoom + by).clamp(MIN_ZOOM, MAX_ZOOM);
        self.apply_zoom(ctx);
    }
}
