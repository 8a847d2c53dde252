//! The desktop wizard (eframe/egui): a thin face on the engine. All network and disk work runs
//! on the tokio worker; the UI only polls results.

pub mod app;
pub mod features;
pub mod file_dialogs;
pub mod files;
pub mod journey;
pub mod state;
pub mod steps;
pub mod table;
pub mod task;
pub mod theme;
pub mod widgets;
pub mod wizard;

use anyhow::{Result, anyhow};

pub use app::{AuthDoctorApp, Launch};

const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// True when there is a display to open a window on (always true outside Linux/BSD).
#[must_use]
pub fn display_available() -> bool {
    if cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd"
    )) {
        std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty())
            || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty())
    } else {
        true
    }
}

/// True when this computer has a network route to the outside (a default route). Reads the
/// kernel's routing table on Linux; elsewhere assumes yes. Sends nothing.
#[must_use]
pub fn network_available() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let v4 = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
    let v4_default = v4
        .lines()
        .skip(1)
        .any(|l| l.split_whitespace().nth(1) == Some("00000000"));
    let v6 = std::fs::read_to_string("/proc/net/ipv6_route").unwrap_or_default();
    let v6_default = v6.lines().any(|l| {
        let mut f = l.split_whitespace();
        f.next() == Some("00000000000000000000000000000000")
            && f.next() == Some("00")
            && f.nth(7).is_some_and(|dev| dev != "lo")
    });
    v4_default || v6_default
}

/// The window size asked for in `AUTHDOCTOR_WINDOW_SIZE` (`WIDTHxHEIGHT`, for screenshots).
fn window_size_from_env() -> Option<[f32; 2]> {
    let value = std::env::var("AUTHDOCTOR_WINDOW_SIZE").ok()?;
    let (w, h) = value.split_once('x')?;
    Some([w.trim().parse().ok()?, h.trim().parse().ok()?])
}

/// Opens the window and runs until it is closed.
pub fn run(runtime: tokio::runtime::Handle, launch: Launch) -> Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("AuthDoctor — why does my site say 401?")
        .with_app_id("authdoctor")
        .with_inner_size(window_size_from_env().unwrap_or([1000.0, 760.0]))
        .with_min_inner_size([560.0, 420.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "AuthDoctor",
        options,
        Box::new(move |cc| {
            let mut app = AuthDoctorApp::new(cc, runtime);
            app.view_from_env(&cc.egui_ctx);
            if !network_available() {
                app.use_lab_when_offline(&cc.egui_ctx);
            }
            app.launch(launch);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow!("the window could not be opened: {e}"))
}
