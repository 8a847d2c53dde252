//! Step 3, DNS: this computer's answer next to a fresh one, per address family, the hosts file
//! entries for the site, and the exact flush commands (copy, or run after a confirmation).

use egui::{RichText, Ui};

use crate::engine::Code;
use crate::engine::dns::{DnsReport, Os};
use crate::gui::state::CheckOutcome;
use crate::gui::steps::{cards_ui, with_diagnosis_ui};
use crate::gui::widgets;
use crate::gui::wizard::StepAction;

const DNS_CODES: &[Code] = &[
    Code::DnsFailure,
    Code::DnsMismatch,
    Code::HostsOverride,
    Code::IpV6OnlyDifference,
    Code::DnsConsistent,
];

fn addresses(list: &[std::net::IpAddr]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Draws the DNS step.
pub fn dns_ui(ui: &mut Ui, outcome: Option<&CheckOutcome>) -> StepAction {
    with_diagnosis_ui(ui, outcome, false, |ui, d| {
        let mut action = StepAction::None;
        let Some(report) = &d.dns else {
            ui.label("The DNS comparison did not run for this check.");
            return action;
        };
        if report.dns_involved {
            answers_ui(ui, report);
        }
        ui.add_space(8.0);
        let a = cards_ui(ui, d, DNS_CODES);
        if a != StepAction::None {
            action = a;
        }
        if !report.flush.is_empty() {
            let a = flush_ui(ui, report);
            if a != StepAction::None {
                action = a;
            }
        }
        action
    })
}

fn answers_ui(ui: &mut Ui, report: &DnsReport) {
    ui.label(
        RichText::new(format!("Where {} points", report.host))
            .strong()
            .size(16.0),
    );
    egui::Grid::new("dns-answers")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            ui.label(RichText::new("Asked").strong());
            ui.label(RichText::new("IPv4 (the usual addresses)").strong());
            ui.label(RichText::new("IPv6 (the newer addresses)").strong());
            ui.end_row();
            ui.label("This computer (what your browser uses)");
            match &report.system_error {
                Some(e) if report.system.is_empty() => {
                    ui.label(e);
                    ui.label("");
                }
                _ => {
                    ui.label(RichText::new(addresses(&report.system_ipv4())).monospace());
                    ui.label(RichText::new(addresses(&report.system_ipv6())).monospace());
                }
            }
            ui.end_row();
            for a in &report.fresh {
                ui.label(format!("{} ({})", a.name, a.server));
                if a.addresses.is_empty() {
                    ui.label(&a.summary);
                    ui.label("");
                } else {
                    let ttl =
                        |t: Option<u32>| t.map(|s| format!("  (kept {s} s)")).unwrap_or_default();
                    ui.label(
                        RichText::new(format!(
                            "{}{}",
                            addresses(&a.ipv4.addresses),
                            ttl(a.ipv4.ttl_secs)
                        ))
                        .monospace(),
                    );
                    ui.label(
                        RichText::new(format!(
                            "{}{}",
                            addresses(&a.ipv6.addresses),
                            ttl(a.ipv6.ttl_secs)
                        ))
                        .monospace(),
                    );
                }
                ui.end_row();
            }
        });
    if !report.hosts_entries.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new(format!("Lines for this site in {}", report.hosts_path)).strong());
        for e in &report.hosts_entries {
            ui.label(RichText::new(format!("line {}: {}", e.line_number, e.line)).monospace());
        }
    }
}

fn flush_ui(ui: &mut Ui, report: &DnsReport) -> StepAction {
    let mut action = StepAction::None;
    ui.add_space(8.0);
    ui.label(
        RichText::new("Clear the stale DNS answer")
            .strong()
            .size(16.0),
    );
    let current = Os::current().label();
    for c in &report.flush {
        egui::Frame::group(ui.style())
            .inner_margin(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                let admin = if c.needs_admin {
                    " (needs an administrator)"
                } else {
                    ""
                };
                ui.label(RichText::new(format!("{}: {}{admin}", c.platform, c.title)).strong());
                ui.label(&c.explanation);
                if !c.command.is_empty() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&c.command).monospace());
                        let a = widgets::copy_button_ui(ui, &c.command, "the command");
                        if a != StepAction::None {
                            action = a;
                        }
                        if c.platform == current
                            && c.argv.is_some()
                            && ui.button("Run it for me…").clicked()
                        {
                            action = StepAction::AskRunFlush(c.clone());
                        }
                    });
                }
            });
    }
    action
}
