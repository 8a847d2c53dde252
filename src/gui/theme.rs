//! How the app looks: light and dark colours chosen so every text reaches a contrast of 4.5:1
//! (WCAG AA) on the background it is drawn on, the system's light/dark choice followed unless the
//! user picks one, and text a little larger than egui's defaults.

use egui::{Color32, Theme, ThemePreference, Visuals};
use serde::{Deserialize, Serialize};

use crate::engine::Severity;

/// The smallest contrast ratio any text may have on its background (WCAG 2 AA, body text).
pub const MIN_TEXT_CONTRAST: f32 = 4.5;

/// Light, dark, or whatever the system uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeChoice {
    /// Follow the system's light/dark setting.
    #[default]
    System,
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl ThemeChoice {
    /// Every choice, in the order the menu shows them.
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// What the menu says.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Colours: like the system",
            ThemeChoice::Light => "Colours: light",
            ThemeChoice::Dark => "Colours: dark",
        }
    }

    fn preference(self) -> ThemePreference {
        match self {
            ThemeChoice::System => ThemePreference::System,
            ThemeChoice::Light => ThemePreference::Light,
            ThemeChoice::Dark => ThemePreference::Dark,
        }
    }
}

/// The app's colours for `theme`: egui's, with text, links and warnings darkened or lightened
/// until they reach [`MIN_TEXT_CONTRAST`].
#[must_use]
pub fn visuals(theme: Theme) -> Visuals {
    let mut v = theme.default_visuals();
    match theme {
        Theme::Dark => {
            v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(222);
            v.weak_text_color = Some(Color32::from_gray(172));
            v.hyperlink_color = Color32::from_rgb(0x7a, 0xb8, 0xff);
            v.warn_fg_color = Color32::from_rgb(0xff, 0xb3, 0x47);
            v.error_fg_color = Color32::from_rgb(0xff, 0x80, 0x80);
            v.widgets.inactive.fg_stroke.color = Color32::from_gray(230);
        }
        Theme::Light => {
            v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(30);
            v.weak_text_color = Some(Color32::from_gray(88));
            v.hyperlink_color = Color32::from_rgb(0x00, 0x55, 0xa8);
            v.warn_fg_color = Color32::from_rgb(0x8a, 0x4f, 0x00);
            v.error_fg_color = Color32::from_rgb(0xb0, 0x1e, 0x1e);
            v.widgets.inactive.fg_stroke.color = Color32::from_gray(20);
        }
    }
    v
}

/// Sets both themes' colours and the user's choice. Call once at start and when the choice changes.
pub fn apply(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.set_visuals_of(Theme::Dark, visuals(Theme::Dark));
    ctx.set_visuals_of(Theme::Light, visuals(Theme::Light));
    ctx.set_theme(choice.preference());
}

/// When the windowing system does not say whether it is light or dark (X11), what the desktop's
/// settings say: `GTK_THEME=…:dark`, or GNOME's `color-scheme`. Runs a short program: call it on
/// the worker. `None` when nothing says.
pub async fn desktop_theme() -> Option<Theme> {
    if let Some(gtk) = std::env::var_os("GTK_THEME") {
        return Some(Theme::from_dark_mode(
            gtk.to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(":dark"),
        ));
    }
    if !cfg!(target_os = "linux") {
        return None;
    }
    let out = tokio::process::Command::new("gsettings")
        .args(["get", "org.gnome.desktop.interface", "color-scheme"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .await
        .ok()?;
    theme_from_color_scheme(&String::from_utf8_lossy(&out.stdout))
}

/// GNOME's `color-scheme` value (`'prefer-dark'`, `'prefer-light'`, `'default'`) as a theme.
#[must_use]
pub fn theme_from_color_scheme(value: &str) -> Option<Theme> {
    match value.trim().trim_matches('\'') {
        "prefer-dark" => Some(Theme::Dark),
        "prefer-light" | "default" => Some(Theme::Light),
        _ => None,
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
        FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")),
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

/// The colour of a severity; always shown together with its word.
#[must_use]
pub fn severity_color(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Problem, false) => Color32::from_rgb(0xb0, 0x1e, 0x1e),
        (Severity::Problem, true) => Color32::from_rgb(0xff, 0x80, 0x80),
        (Severity::Warning, false) => Color32::from_rgb(0x8a, 0x4f, 0x00),
        (Severity::Warning, true) => Color32::from_rgb(0xff, 0xb3, 0x47),
        (Severity::Info, false) => Color32::from_rgb(0x1f, 0x5f, 0xa8),
        (Severity::Info, true) => Color32::from_rgb(0x7a, 0xb8, 0xff),
        (Severity::Ok, false) => Color32::from_rgb(0x1d, 0x70, 0x35),
        (Severity::Ok, true) => Color32::from_rgb(0x6b, 0xd6, 0x86),
    }
}

/// The text colour on a severity badge (whose background is [`severity_color`]).
#[must_use]
pub fn badge_text_color(dark: bool) -> Color32 {
    if dark { Color32::BLACK } else { Color32::WHITE }
}

/// The colour of the journey picture's highlighted station (the one that answered 401): red for
/// a fault, blue for a page that only asks for a sign-in.
#[must_use]
pub fn highlight_fill(dark: bool, problem: bool) -> Color32 {
    match (dark, problem) {
        (true, true) => Color32::from_rgb(0x5a, 0x1a, 0x1a),
        (false, true) => Color32::from_rgb(0xfd, 0xe4, 0xe4),
        // The 401 of a page that only asks for a sign-in: marked, but not as a fault.
        (true, false) => Color32::from_rgb(0x1a, 0x2e, 0x4a),
        (false, false) => Color32::from_rgb(0xe2, 0xec, 0xfb),
    }
}

/// The WCAG 2 contrast ratio of two opaque colours (1.0 to 21.0).
#[must_use]
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = f32::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance(c: Color32) -> f32 {
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// Every pairing of a text colour with the background it is drawn on in this app, named.
#[must_use]
pub fn text_pairs(v: &Visuals) -> Vec<(String, Color32, Color32)> {
    let dark = v.dark_mode;
    let mut pairs = Vec::new();
    for (where_, bg) in [
        ("panel", v.panel_fill),
        ("window", v.window_fill),
        ("text field", v.text_edit_bg_color()),
    ] {
        pairs.push((format!("text on {where_}"), v.text_color(), bg));
        pairs.push((format!("weak text on {where_}"), v.weak_text_color(), bg));
    }
    pairs.push(("strong text".into(), v.strong_text_color(), v.panel_fill));
    pairs.push(("link".into(), v.hyperlink_color, v.panel_fill));
    pairs.push(("warning text".into(), v.warn_fg_color, v.panel_fill));
    pairs.push(("error text".into(), v.error_fg_color, v.panel_fill));
    pairs.push(("code".into(), v.text_color(), v.code_bg_color));
    pairs.push((
        "button".into(),
        v.widgets.inactive.fg_stroke.color,
        v.widgets.inactive.weak_bg_fill,
    ));
    pairs.push((
        "hovered button".into(),
        v.widgets.hovered.fg_stroke.color,
        v.widgets.hovered.weak_bg_fill,
    ));
    pairs.push((
        "selected step".into(),
        v.selection.stroke.color,
        v.selection.bg_fill,
    ));
    for problem in [true, false] {
        pairs.push((
            format!("highlighted station (problem: {problem})"),
            v.text_color(),
            highlight_fill(dark, problem),
        ));
    }
    for severity in [
        Severity::Problem,
        Severity::Warning,
        Severity::Info,
        Severity::Ok,
    ] {
        let color = severity_color(severity, dark);
        pairs.push((format!("{} text", severity.label()), color, v.panel_fill));
        pairs.push((
            format!("{} badge", severity.label()),
            badge_text_color(dark),
            color,
        ));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratio_matches_the_wcag_reference_values() {
        let white_on_black = contrast_ratio(Color32::WHITE, Color32::BLACK);
        assert!((white_on_black - 21.0).abs() < 0.01, "{white_on_black}");
        // #767676 on white is the classic lightest grey that passes AA: 4.54:1.
        let grey = contrast_ratio(Color32::from_gray(0x76), Color32::WHITE);
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        let old = contrast_ratio(Color32::from_gray(0x5f), Color32::from_gray(0x1b));
        assert!(old < MIN_TEXT_CONTRAST, "the old weak text failed: {old}");
    }

    #[test]
    fn every_text_has_a_contrast_of_at_least_4_5_in_the_dark_and_the_light_theme() {
        for theme in [Theme::Dark, Theme::Light] {
            let v = visuals(theme);
            for (what, fg, bg) in text_pairs(&v) {
                let ratio = contrast_ratio(fg, bg);
                assert!(
                    ratio >= MIN_TEXT_CONTRAST,
                    "{theme:?}: {what} is {fg:?} on {bg:?}, only {ratio:.2}:1"
                );
            }
        }
    }

    #[test]
    fn gnome_color_scheme_values_map_to_a_theme() {
        assert_eq!(
            theme_from_color_scheme("'prefer-dark'\n"),
            Some(Theme::Dark)
        );
        assert_eq!(theme_from_color_scheme("'default'"), Some(Theme::Light));
        assert_eq!(theme_from_color_scheme(""), None);
    }
}
