//! The app's modal dialogs: confirming a DNS flush command, and the save preview.

use std::path::PathBuf;

use egui::RichText;

use super::AuthDoctorApp;
use crate::engine::report::{self, Format};
use crate::gui::file_dialogs::{PATH_LABEL, PathPurpose};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::StepAction;

impl AuthDoctorApp {
    /// Confirmation before running a flush command: shows the exact command.
    pub(super) fn flush_dialog_ui(&mut self, ctx: &egui::Context) -> StepAction {
        let Some(command) = &self.dns_flush.confirm else {
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
    pub(super) fn save_dialog_ui(&mut self, ctx: &egui::Context) -> StepAction {
        let Some(dialog) = &mut self.report_saving.dialog else {
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
            ui.label(RichText::new("What the report keeps").strong());
            ui.label(report::NEVER_KEPT);
            if dialog.removed.is_empty() {
                ui.label("Nothing else secret-looking was found.");
            } else {
                ui.label("Also removed:");
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
            if !dialog.removed.is_empty() {
                ui.checkbox(&mut dialog.keep_secrets, report::KEEP_ISSUED_LABEL);
            }
            if dialog.keep_secrets {
                ui.label(
                    RichText::new(
                        "Not recommended: anyone who reads the file can use those values. Only \
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
                    action = StepAction::SaveAs(
                        dialog.format,
                        report::Redaction::from_keep_secrets(dialog.keep_secrets),
                    );
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

    /// The app's own file dialog, when the desktop has no file picker: why, a path field with the
    /// Documents folder filled in, and Save or Open.
    pub(super) fn path_dialog_ui(&mut self, ctx: &egui::Context) -> StepAction {
        let Some(dialog) = &mut self.path_dialog else {
            return StepAction::None;
        };
        let mut action = StepAction::None;
        let (title, button) = match dialog.purpose {
            PathPurpose::SaveReport(..) => ("Save the report", "Save"),
            PathPurpose::OpenFile => ("Open a file", "Open"),
            PathPurpose::OpenHtaccess => ("Open the .htaccess file", "Open"),
        };
        let modal = egui::Modal::new(egui::Id::unique("path-dialog")).show(ctx, |ui| {
            ui.set_max_width(ui.ctx().content_rect().width().min(620.0) - 40.0);
            widgets::heading_ui(ui, title, Level::Page);
            ui.label(&dialog.reason);
            ui.label("Type the file's full path instead:");
            let label = ui.label(RichText::new(PATH_LABEL).strong());
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut dialog.path)
                        .font(egui::TextStyle::Monospace)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if matches!(dialog.purpose, PathPurpose::OpenFile) {
                ui.label(RichText::new("You can also drop the file on this window.").weak());
            }
            ui.horizontal_wrapped(|ui| {
                let chosen = ui.button(RichText::new(button).strong()).clicked() || enter;
                if chosen && !dialog.path.trim().is_empty() {
                    action = StepAction::UsePath(PathBuf::from(dialog.path.trim()));
                }
                if ui.button("Cancel").clicked() {
                    action = StepAction::ClosePathDialog;
                }
            });
        });
        if modal.should_close() && action == StepAction::None {
            action = StepAction::ClosePathDialog;
        }
        action
    }
}
