//! The start page: one large address field, optional sign-in details, recent addresses.

use egui::{Key, RichText, Ui};

use crate::gui::app::StartForm;
use crate::gui::wizard::StepAction;

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

/// Draws the start page.
pub fn start_ui(ui: &mut Ui, form: &mut StartForm, recent: &[String], running: bool) -> StepAction {
    let mut action = StepAction::None;
    ui.add_space(12.0);
    ui.label(
        RichText::new("Why does my site say 401?")
            .size(30.0)
            .strong(),
    );
    ui.label(
        "401 Unauthorized means a site wants you to sign in, or did not accept your sign-in. \
         AuthDoctor tests the address, explains what it finds in plain words, and tells you \
         what to do next.",
    );
    ui.add_space(16.0);
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
        && !running
        && !ui.ctx().memory(|m| m.has_focus(field.id))
        && ui.ctx().memory(|m| m.focused().is_none())
    {
        field.request_focus();
    }
    let enter_in_address = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    ui.add_space(8.0);
    ui.checkbox(
        &mut form.with_credentials,
        "I have a user name and password, or a token, for this page",
    );
    let mut enter_in_credentials = false;
    if form.with_credentials {
        egui::Frame::group(ui.style())
            .inner_margin(10.0)
            .show(ui, |ui| {
                egui::Grid::new("credentials")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let l = ui.label(USER_LABEL);
                        ui.add(egui::TextEdit::singleline(&mut form.user).desired_width(320.0))
                            .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label(PASSWORD_LABEL);
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(&mut form.password)
                                    .password(true)
                                    .desired_width(320.0),
                            )
                            .labelled_by(l.id);
                        enter_in_credentials |=
                            r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                        ui.end_row();
                        let l = ui.label(TOKEN_LABEL);
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(&mut form.token)
                                    .password(true)
                                    .hint_text("only if the site uses tokens (APIs, apps)")
                                    .desired_width(320.0),
                            )
                            .labelled_by(l.id);
                        enter_in_credentials |=
                            r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                        ui.end_row();
                    });
                ui.label(
                RichText::new(
                    "Your password and token are used for this check only: they are never saved, \
                     and are removed from reports.",
                )
                .weak(),
            );
                if form.secrets_were_used && form.password.is_empty() && form.token.is_empty() {
                    ui.label(
                    RichText::new(
                        "The last check used your password or token and then forgot it. Type it \
                         again to test it again.",
                    )
                    .weak(),
                );
                }
            });
    }
    ui.add_space(12.0);
    let button = egui::Button::new(RichText::new(CHECK_BUTTON).size(20.0).strong())
        .min_size(egui::vec2(220.0, 44.0));
    let clicked = ui.add_enabled(!running, button).clicked();
    if (clicked || enter_in_address || enter_in_credentials) && !running {
        action = StepAction::RunCheck;
    }
    if !recent.is_empty() {
        ui.add_space(20.0);
        ui.label(RichText::new("Checked recently").strong());
        for a in recent {
            if ui.link(a).on_hover_text("Use this address again").clicked() {
                action = StepAction::UseAddress(a.clone());
            }
        }
    }
    action
}
