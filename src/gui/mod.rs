//! The desktop wizard (eframe/egui): a thin face on the engine. All network and disk work runs
//! on the tokio worker; the UI only polls results.

pub mod app;
pub mod steps;
pub mod task;
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

/// Opens the window and runs until it is closed.
pub fn run(runtime: tokio::runtime::Handle, launch: Launch) -> Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("AuthDoctor — why does my site say 401?")
        .with_app_id("authdoctor")
        .with_inner_size([1000.0, 760.0])
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
            app.launch(launch);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow!("the window could not be opened: {e}"))
}
