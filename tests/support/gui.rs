//! The app in a headless `egui_kittest` window for a test, with a real network worker behind it, and
//! eframe storage kept in memory to read what the app would persist.

use std::time::{Duration, Instant};

use authdoctor::gui::AuthDoctorApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The app in a test window; the runtime is its network worker and lives as long as the window.
pub struct Gui {
    pub harness: Harness<'static, AuthDoctorApp>,
    _runtime: tokio::runtime::Runtime,
}

impl Gui {
    /// Opens the app at `size`, with a request time limit of 5 s; `configure` adjusts the app
    /// before its first frame (another time limit, a history file).
    pub fn open(
        size: egui::Vec2,
        configure: impl FnOnce(&mut AuthDoctorApp, &eframe::CreationContext<'_>) + 'static,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("cannot start the network worker");
        let handle = runtime.handle().clone();
        let harness = Harness::builder().with_size(size).build_eframe(move |cc| {
            let mut app = AuthDoctorApp::new(cc, handle);
            app.set_timeout_secs(5);
            configure(&mut app, cc);
            app
        });
        Self {
            harness,
            _runtime: runtime,
        }
    }

    /// Runs frames (in real time: the worker is real) until `done` holds, or fails after 20 s.
    pub fn wait_until(&mut self, what: &str, mut done: impl FnMut(&mut Self) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.harness.step();
            if done(self) {
                return;
            }
            assert!(Instant::now() < deadline, "{what} never happened");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs frames until a node whose label contains `label` is shown.
    pub fn wait_for_label(&mut self, label: &str) {
        self.wait_until(&format!("\"{label}\" shown"), |g| {
            g.harness.query_by_label_contains(label).is_some()
        });
    }

    /// The text the last frame put on the clipboard.
    pub fn copied(&self) -> Option<String> {
        self.harness
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            })
    }

    /// Clicks the field labelled `label` and types `text` into it.
    pub fn type_into(&mut self, label: &str, text: &str) {
        self.harness.get_by_label(label).click();
        self.harness.run();
        self.harness.get_by_label(label).type_text(text);
        self.harness.run();
    }
}

/// eframe storage kept in memory.
#[derive(Default)]
pub struct MemoryStorage(pub std::collections::BTreeMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}
