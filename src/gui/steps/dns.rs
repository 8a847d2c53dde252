//! Step 3, DNS: this computer's answer next to a fresh one, per address family, the hosts file
//! entries for the site, and the exact flush commands (copy, or run after a confirmation).

use egui::{RichText, Ui};

use crate::engine::dns::{DnsReport, Os};
use crate::gui::state::CheckOutcome;
use crate::gui::steps::{cards_ui, with_diagnosis_ui};
use crate::gui::table::{self, Column};
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::{Step, StepAction};

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
        let a = cards_ui(ui, d, Step::Dns);
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
    let title = format!("Where {} points", report.host);
    widgets::heading_ui(ui, &title, Level::Section);
    let ttl = |t: Option<u32>| t.map(|s| format!("  (kept {s} s)")).unwrap_or_default();
    let mut rows: Vec<[String; 3]> = Vec::new();
    match &report.system_error {
        Some(e) if report.system.is_empty() => rows.push([
            "This computer (what your browser uses)".to_owned(),
            e.clone(),
            String::new(),
        ]),
        _ => rows.push([
            "This computer (what your browser uses)".to_owned(),
            addresses(&report.system_ipv4()),
            addresses(&report.system_ipv6()),
        ]),
    }
    for a in &report.fresh {
        let asked = format!("{} ({})", a.name, a.server);
        if a.addresses.is_empty() {
            rows.push([asked, a.summary.clone(), String::new()]);
        } else {
            rows.push([
                asked,
                format!("{}{}", addresses(&a.ipv4.addresses), ttl(a.ipv4.ttl_secs)),
                format!("{}{}", addresses(&a.ipv6.addresses), ttl(a.ipv6.ttl_secs)),
            ]);
        }
    }
    table::table_ui(
        ui,
        &format!("DNS answers for {}", report.host),
        &[
            Column::weighted("Asked", 1.3),
            Column::new("IPv4 (the usual addresses)"),
            Column::new("IPv6 (the newer addresses)"),
        ],
        rows.len(),
        true,
        |ui, row, column| {
            let Some(cell) = rows.get(row).and_then(|r| r.get(column)) else {
                return;
            };
            if column == 0 {
                ui.label(cell);
            } else {
                ui.label(RichText::new(cell).monospace());
            }
        },
    );
    if !report.hosts_entries.is_empty() {
        ui.add_space(6.0);
        widgets::heading_ui(
            ui,
            format!("Lines for this site in {}", report.hosts_path),
            Level::Card,
        );
        for e in &report.hosts_entries {
            ui.label(RichText::new(format!("line {}: {}", e.line_number, e.line)).monospace());
        }
    }
}

fn flush_ui(ui: &mut Ui, report: &DnsReport) -> StepAction {
    let mut action = StepAction::None;
    ui.add_space(8.0);
    widgets::heading_ui(ui, "Clear the stale DNS answer", Level::Section);
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
                widgets::heading_ui(
                    ui,
                    format!("{}: {}{admin}", c.platform, c.title),
                    Level::Card,
                );
                ui.label(&c.explanation);
                if !c.command.is_empty() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&c.command).monospace());
                        let name =
                            format!("Copy the flush command for {}: {}", c.platform, c.title);
                        let a = widgets::copy_button_ui(ui, &c.command, &name);
                        if a != StepAction::None {
                            action = a;
                        }
                        if c.platform == current && c.argv.is_some() {
                            let run = ui.button("Run it for me…");
                            let name =
                                format!("Run the flush command for {}: {}…", c.platform, c.title);
                            ui.ctx()
                                .accesskit_node_builder(run.id, |node| node.set_label(name));
                            if run.clicked() {
                                action = StepAction::AskRunFlush(c.clone());
                            }
                        }
                    });
                }
            });
    }
    action
}
