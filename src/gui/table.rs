//! A table that a screen reader reads as a table (table → rows → column headers and cells) and
//! that fits any window: columns share the width by weight and their text wraps; when the window is
//! too narrow for side-by-side columns, each row is stacked, every value under its column's name.

use egui::accesskit::Role;
use egui::{Align, Layout, RichText, Ui, UiBuilder};

/// The narrowest a column may be before the table stacks its rows, in points.
const MIN_COLUMN_PTS: f32 = 90.0;

/// A column: its heading and its share of the width.
#[derive(Clone, Copy, Debug)]
pub struct Column<'a> {
    /// The heading (also the accessible column header).
    pub heading: &'a str,
    /// Relative width (1.0 = an ordinary column).
    pub weight: f32,
}

impl<'a> Column<'a> {
    /// A column of ordinary width.
    #[must_use]
    pub fn new(heading: &'a str) -> Self {
        Column {
            heading,
            weight: 1.0,
        }
    }

    /// A column `weight` times as wide as an ordinary one.
    #[must_use]
    pub fn weighted(heading: &'a str, weight: f32) -> Self {
        Column { heading, weight }
    }
}

/// Draws a table named `name` (its accessible name) with `columns` and `rows` rows; `cell_ui` draws
/// the cell of a row and column. `show_headings` draws the heading row (the headings stay in the
/// accessibility tree either way).
pub fn table_ui(
    ui: &mut Ui,
    name: &str,
    columns: &[Column<'_>],
    rows: usize,
    show_headings: bool,
    mut cell_ui: impl FnMut(&mut Ui, usize, usize),
) {
    let builder = UiBuilder::new()
        .accessibility_role(Role::Table)
        .accessibility_label(name);
    ui.scope_builder(builder, |ui| {
        let total = ui.available_width();
        let gap = ui.spacing().item_spacing.x;
        let count = columns.len().max(1) as f32;
        let stacked = total < MIN_COLUMN_PTS * count + gap * (count - 1.0);
        let weights: f32 = columns.iter().map(|c| c.weight).sum::<f32>().max(0.01);
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| ((total - gap * (count - 1.0)) * c.weight / weights).max(1.0))
            .collect();
        if !stacked && show_headings {
            row_ui(ui, false, false, |ui| {
                for (column, width) in columns.iter().zip(&widths) {
                    cell_frame_ui(
                        ui,
                        Some(*width),
                        Role::ColumnHeader,
                        Some(column.heading),
                        |ui| {
                            ui.label(RichText::new(column.heading).strong());
                        },
                    );
                }
            });
        }
        for row in 0..rows {
            row_ui(ui, stacked, row % 2 == 0, |ui| {
                for (index, (column, width)) in columns.iter().zip(&widths).enumerate() {
                    if stacked {
                        cell_frame_ui(ui, None, Role::Cell, None, |ui| {
                            ui.label(RichText::new(column.heading).strong());
                            cell_ui(ui, row, index);
                        });
                    } else {
                        cell_frame_ui(ui, Some(*width), Role::Cell, None, |ui| {
                            cell_ui(ui, row, index);
                        });
                    }
                }
            });
        }
    });
}

/// One row: its cells side by side (or one under the other when `stacked`), striped.
fn row_ui(ui: &mut Ui, stacked: bool, striped: bool, cells_ui: impl FnOnce(&mut Ui)) {
    let background = ui.painter().add(egui::Shape::Noop);
    let layout = if stacked {
        Layout::top_down(Align::Min)
    } else {
        Layout::left_to_right(Align::Min)
    };
    let response = ui
        .scope_builder(
            UiBuilder::new()
                .layout(layout)
                .accessibility_role(Role::Row),
            |ui| {
                if stacked {
                    ui.set_width(ui.available_width());
                }
                cells_ui(ui);
            },
        )
        .response;
    if striped || stacked {
        let fill = ui.visuals().faint_bg_color;
        let rect = response.rect.expand2(egui::vec2(2.0, 1.0));
        if stacked {
            ui.painter().set(
                background,
                egui::Shape::rect_stroke(
                    rect,
                    2.0,
                    ui.visuals().widgets.noninteractive.bg_stroke,
                    egui::StrokeKind::Inside,
                ),
            );
        } else {
            ui.painter()
                .set(background, egui::Shape::rect_filled(rect, 0.0, fill));
        }
    }
    if stacked {
        ui.add_space(4.0);
    }
}

fn cell_frame_ui(
    ui: &mut Ui,
    width: Option<f32>,
    role: Role,
    name: Option<&str>,
    content_ui: impl FnOnce(&mut Ui),
) {
    let mut builder = UiBuilder::new()
        .layout(Layout::top_down(Align::Min))
        .accessibility_role(role);
    if let Some(name) = name {
        builder = builder.accessibility_label(name);
    }
    ui.scope_builder(builder, |ui| {
        let width = width.unwrap_or_else(|| ui.available_width());
        ui.set_width(width);
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
        content_ui(ui);
    });
}
