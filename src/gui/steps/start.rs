//! The start page: one large address field, optional sign-in details, recent addresses.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use egui::{Key, RichText, Ui};

use crate::engine::har::HarReport;
use crate::gui::features::practice::CaseResult;
use crate::gui::state::StartForm;
use crate::gui::steps::diagnosis::COPY_RESULTS;
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::StepAction;
use crate::lab::Lab;

/// Label of the address field (screen readers and tests find the field by it).
pub const ADDRESS_LABEL: &str = "Paste the address that shows the error";
/// Label of the user name field.
pub const USER_LABEL: &str = "User name";
/// Label of the password field.
pub const PASSWORD_LABEL: &str = "Password (not saved)";
/// Label of the token field.
pub const TOKEN_LABEL: &str = "Token (not saved)";
/// The button that starts the check.
pub const CHECK_BUTTON: &str = "Check this address";
/// Label of the cookies field.
pub const COOKIES_LABEL: &str = "Cookies from your browser (optional, not saved)";
/// The button that starts the practice lab.
pub const LAB_BUTTON: &str = "Practice with the built-in lab";
/// The button that opens a report or HAR file.
pub const OPEN_BUTTON: &str = "Open a file…";

/// What the start page needs besides the form.
pub struct StartPage<'a> {
    /// Recently checked addresses.
    pub recent: &'a [String],
    /// A check is running.
    pub running: bool,
    /// Put the keyboard focus on the first sign-in field ("Enter sign-in details…").
    pub focus_sign_in: bool,
    /// A password or token is kept in memory for Re-run.
    pub kept: bool,
}

/// Label of the checkbox that keeps the password in memory for Re-run.
pub const KEEP_LABEL: &str =
    "Keep my password, token and cookies in memory until I close this window (for Re-run)";
/// The checkbox that shows the sign-in fields.
pub const WITH_CREDENTIALS_LABEL: &str =
    "I have a user name and password, or a token, for this page";

/// Below this window height (in points) the start page puts its form before its introduction.
const SHORT_WINDOW_HEIGHT: f32 = 560.0;

/// What a 401 is and what AuthDoctor does about it, in two sentences.
fn intro_ui(ui: &mut Ui) {
    ui.label(
        "401 Unauthorized means a site wants you to sign in, or did not accept your sign-in. \
         AuthDoctor tests the address, explains what it finds in plain words, and tells you \
         what to do next.",
    );
}

/// Draws the start page (its title is drawn by the app).
pub fn start_ui(ui: &mut Ui, form: &mut StartForm, page: &StartPage<'_>) -> StepAction {
    let mut action = StepAction::None;
    // In a short window (a small screen, or large text in helpdesk mode) the address field and
    // the Check button come first, so the one thing to do is in view without scrolling; the
    // words and the optional calling page follow.
    let short_window = ui.ctx().content_rect().height() < SHORT_WINDOW_HEIGHT;
    if !short_window {
        intro_ui(ui);
        ui.add_space(12.0);
    }
    let label = ui.label(RichText::new(ADDRESS_LABEL).size(18.0).strong());
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut form.address)
                .hint_text("https://www.example.com/members/")
                .font(egui::TextStyle::Heading)
                .desired_width(f32::INFINITY)
                .margin(egui::vec2(8.0, 8.0)),
        )
        .labelled_by(label.id);
    if form.address.is_empty()
        && !page.running
        && !page.focus_sign_in
        && !ui.ctx().memory(|m| m.has_focus(field.id))
        && ui.ctx().memory(|m| m.focused().is_none())
    {
        field.request_focus();
    }
    let enter_in_address = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    let mut enter_in_origin = false;
    if !short_window {
        enter_in_origin = crate::gui::steps::preflight::origin_field_ui(ui, &mut form.origin);
    }
    ui.add_space(8.0);
    ui.checkbox(&mut form.with_credentials, WITH_CREDENTIALS_LABEL);
    let mut enter_in_credentials = false;
    if form.with_credentials {
        let a = credentials_ui(ui, form, page, &mut enter_in_credentials);
        if a != StepAction::None {
            action = a;
        }
    }
    ui.add_space(12.0);
    let button = egui::Button::new(RichText::new(CHECK_BUTTON).size(20.0).strong())
        .min_size(egui::vec2(ui.available_width().min(220.0), 44.0))
        .wrap();
    let clicked = ui.add_enabled(!page.running, button).clicked();
    if short_window {
        // Optional and for developers: below the button, where it does not push the button out
        // of a short window. Enter in it starts the check, so no one has to scroll back up.
        enter_in_origin = crate::gui::steps::preflight::origin_field_ui(ui, &mut form.origin);
        ui.add_space(12.0);
        intro_ui(ui);
    }
    if (clicked || enter_in_address || enter_in_credentials || enter_in_origin) && !page.running {
        action = StepAction::RunCheck;
    }
    if !page.recent.is_empty() {
        ui.add_space(16.0);
        ui.label(RichText::new("Checked recently").strong());
        for a in page.recent {
            if ui.link(a).on_hover_text("Use this address again").clicked() {
                action = StepAction::UseAddress(a.clone());
            }
        }
    }
    action
}

/// The sign-in fields: user name, password, token, cookies, and what happens to them.
fn credentials_ui(
    ui: &mut Ui,
    form: &mut StartForm,
    page: &StartPage<'_>,
    enter: &mut bool,
) -> StepAction {
    let mut action = StepAction::None;
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let field_width = ui.available_width().min(420.0);
            let l = ui.label(USER_LABEL);
            let user = ui
                .add(egui::TextEdit::singleline(&mut form.user).desired_width(field_width))
                .labelled_by(l.id);
            if page.focus_sign_in {
                user.request_focus();
            }
            let l = ui.label(PASSWORD_LABEL);
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut form.password)
                        .password(true)
                        .desired_width(field_width),
                )
                .labelled_by(l.id);
            *enter |= r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let l = ui.label(TOKEN_LABEL);
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut form.token)
                        .password(true)
                        .hint_text("only if the site uses tokens (APIs, apps)")
                        .desired_width(field_width),
                )
                .labelled_by(l.id);
            *enter |= r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let l = ui.label(COOKIES_LABEL);
            ui.add(
                egui::TextEdit::multiline(&mut form.cookies)
                    .hint_text(
                        "paste a Cookie header from DevTools, or the contents of a cookies.txt",
                    )
                    .desired_rows(2)
                    .desired_width(field_width),
            )
            .labelled_by(l.id);
            ui.add_space(4.0);
            ui.checkbox(&mut form.keep_secrets, KEEP_LABEL);
            let said = if page.kept {
                "Your password, token and cookies are kept in memory for this window only: Re-run \
                 uses them, closing the window forgets them, and they are never saved or put in \
                 reports."
            } else if form.keep_secrets {
                "The next check keeps them in memory for this window only, for Re-run. They are \
                 never saved, and are removed from reports."
            } else {
                "Your password and token are used for one check only: they are never saved, are \
                 removed from reports, and Re-run asks for them again."
            };
            ui.label(RichText::new(said).weak());
            if page.kept
                && ui
                    .button("Forget my password now")
                    .on_hover_text("Removes the kept password, token and cookies from memory")
                    .clicked()
            {
                action = StepAction::ForgetSecrets;
            }
            if form.secrets_were_used
                && !page.kept
                && form.password.is_empty()
                && form.token.is_empty()
            {
                ui.label(
                    RichText::new(
                        "The last check used your password or token and then forgot it. Type it \
                         again to test it again.",
                    )
                    .weak(),
                );
            }
        });
    action
}

/// What the start page shows below the address form.
pub struct StartExtras<'a> {
    /// The lab, once started (or why it could not start).
    pub lab: Option<&'a Result<Arc<Lab>, String>>,
    /// The lab is starting.
    pub lab_starting: bool,
    /// No network was found: offer the lab first.
    pub offline: bool,
    /// A file is being opened: progress in thousandths.
    pub opening: Option<u32>,
    /// An opened HAR log and its path.
    pub har: Option<(&'a HarReport, &'a Path)>,
    /// The practice cases done so far, by number.
    pub results: &'a BTreeMap<usize, CaseResult>,
    /// Scroll the lab's cases into view (it was just asked for, and may be below the fold).
    pub scroll_to_lab: bool,
}

/// The practice lab, opening files, and the 401s of an opened HAR log.
pub fn extras_ui(ui: &mut Ui, extras: &StartExtras<'_>) -> StepAction {
    let mut action = StepAction::None;
    ui.add_space(20.0);
    ui.separator();
    if extras.offline {
        ui.label(
            RichText::new(
                "This computer has no network connection right now. You can still learn \
                 everything with the practice lab below: it runs on this computer.",
            )
            .strong(),
        );
    }
    ui.horizontal_wrapped(|ui| {
        if extras.lab.is_none()
            && !extras.lab_starting
            && ui
                .button(RichText::new(LAB_BUTTON).size(16.0))
                .on_hover_text("A practice server on this computer with realistic 401 problems to find")
                .clicked()
        {
            action = StepAction::StartLab;
        }
        if ui
            .button(RichText::new(OPEN_BUTTON).size(16.0))
            .on_hover_text("A report a customer sent (.authdoctor.json), a browser's network log (.har) or a cookie export (cookies.txt, .json). You can also drop the file on this window.")
            .clicked()
        {
            action = StepAction::OpenFile;
        }
    });
    if let Some(permille) = extras.opening {
        ui.add(
            egui::ProgressBar::new(permille as f32 / 1000.0).text(if permille < 500 {
                "Reading the file…"
            } else {
                "Looking for 401 answers…"
            }),
        );
    }
    if extras.lab_starting {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Starting the practice lab…");
        });
    }
    match extras.lab {
        Some(Ok(lab)) => {
            ui.add_space(8.0);
            let heading = widgets::heading_ui(ui, "Practice lab", Level::Section);
            if extras.scroll_to_lab {
                heading.scroll_to_me(Some(egui::Align::TOP));
            }
            ui.label(format!(
                "Running on this computer at http://{}. Pick a case: AuthDoctor fills in what the \
                 customer told you and checks it; at the end, say what the cause is.",
                lab.addr
            ));
            if !extras.results.is_empty() {
                let first = extras
                    .results
                    .values()
                    .filter(|r| r.solved && r.wrong_tries == 0)
                    .count();
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!(
                            "Score: {first} of {} cases done right on the first try ({} in the lab).",
                            extras.results.len(),
                            lab.scenarios.len()
                        ))
                        .strong(),
                    );
                    if ui.button(COPY_RESULTS).clicked() {
                        action = StepAction::CopyPracticeResults;
                    }
                });
            }
            for (i, s) in lab.scenarios.iter().enumerate() {
                let result = extras.results.get(&(i + 1));
                egui::Frame::group(ui.style())
                    .inner_margin(8.0)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.horizontal_wrapped(|ui| {
                            ui.label(RichText::new(format!("{}. {}", i + 1, s.title)).strong());
                            let text = if result.is_some() {
                                format!("Practice case {} again", i + 1)
                            } else {
                                format!("Practice case {}", i + 1)
                            };
                            if ui.button(text).clicked() {
                                action = StepAction::Practice(s.id.clone());
                            }
                            if let Some(r) = result {
                                ui.label(RichText::new(r.mark()).strong());
                            }
                        });
                        ui.label(&s.story);
                    });
            }
        }
        Some(Err(message)) => {
            ui.label(
                RichText::new(format!("The practice lab could not start: {message}"))
                    .color(ui.visuals().error_fg_color),
            );
        }
        None => {}
    }
    if let Some((har, path)) = extras.har {
        ui.add_space(8.0);
        widgets::heading_ui(
            ui,
            format!("Network log {}", path.display()),
            Level::Section,
        );
        if har.findings.is_empty() {
            ui.label("No request in this log answered 401 or 407.");
        }
        for (i, f) in har.findings.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "Request {}: {} {} answered {}",
                    f.entry,
                    f.method,
                    f.url,
                    f.diagnosis.status.unwrap_or_default()
                ));
                if ui.button(format!("Show request {}", f.entry)).clicked() {
                    action = StepAction::ShowHarFinding(i);
                }
            });
        }
        for g in har.groups.iter().filter(|g| g.more > 0) {
            let like = g
                .shown
                .first()
                .map(|e| format!(" request {e}"))
                .unwrap_or_default();
            ui.label(format!(
                "…and {} more answers like{like}: {}",
                crate::engine::bounded::thousands(g.more as u64),
                g.title
            ));
        }
        for p in &har.problems {
            ui.label(RichText::new(format!("Skipped: {p}")).weak());
        }
        if har.problems_not_listed > 0 {
            ui.label(
                RichText::new(format!(
                    "Skipped: {} more entries that could not be read",
                    crate::engine::bounded::thousands(har.problems_not_listed as u64)
                ))
                .weak(),
            );
        }
    }
    action
}
