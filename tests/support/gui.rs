//! The app in a headless `egui_kittest` window for a test, with a real network worker behind it, and
//! eframe storage kept in memory to read what the app would persist.

use authdoctor::gui::AuthDoctorApp;
use egui_kittest::Harness;

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
