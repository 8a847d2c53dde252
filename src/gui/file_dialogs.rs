//! Whether the desktop can show its own file picker, and the app's own path field when it cannot.
//!
//! On Linux the native dialog needs a session bus with the file-picker portal
//! (xdg-desktop-portal), or the `zenity` program. Without either, the dialog library returns
//! "nothing chosen", which looks exactly like Cancel; and with no session bus at all, the D-Bus
//! library would start a bus daemon of its own that outlives the app. So the app asks first
//! (without starting anything) and, when there is no picker, shows a path field of its own with
//! the Documents folder filled in, saying why.

use std::path::{Path, PathBuf};

use crate::engine::report::{Format, Redaction};

/// The well-known bus name of the desktop portal, which has the file chooser.
#[cfg(target_os = "linux")]
const PORTAL: &str = "org.freedesktop.portal.Desktop";

/// What the desktop offers for picking files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Desktop {
    /// A session bus answered.
    pub session_bus: bool,
    /// The file-picker portal is running or can be started on that bus.
    pub portal: bool,
    /// The `zenity` program is installed.
    pub zenity: bool,
}

impl Desktop {
    /// Why the native dialog cannot open here, or `None` when it can.
    #[must_use]
    pub fn why_no_native_dialog(self) -> Option<String> {
        if cfg!(not(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "openbsd"
        ))) {
            return None;
        }
        if !self.session_bus {
            return Some(
                "This desktop session has no message bus (D-Bus), so the system's file picker \
                 cannot open."
                    .to_owned(),
            );
        }
        if !self.portal && !self.zenity {
            return Some(
                "This desktop has no file-picker service (xdg-desktop-portal, or the zenity \
                 program)."
                    .to_owned(),
            );
        }
        None
    }
}

/// Looks at this desktop: the session bus, the portal on it, `zenity` on `PATH`. Blocking (a bus
/// round trip): call it on the worker. Never starts a bus.
#[must_use]
pub fn this_desktop() -> Desktop {
    let zenity = program_on_path("zenity");
    #[cfg(target_os = "linux")]
    {
        let Ok(connection) = zbus::blocking::Connection::session() else {
            return Desktop {
                session_bus: false,
                portal: false,
                zenity,
            };
        };
        let portal = zbus::blocking::fdo::DBusProxy::new(&connection).is_ok_and(|bus| {
            let running = zbus::names::BusName::try_from(PORTAL)
                .ok()
                .and_then(|name| bus.name_has_owner(name).ok())
                .unwrap_or(false);
            running
                || bus
                    .list_activatable_names()
                    .is_ok_and(|names| names.iter().any(|n| n.as_str() == PORTAL))
        });
        Desktop {
            session_bus: true,
            portal,
            zenity,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Desktop {
            session_bus: true,
            portal: true,
            zenity,
        }
    }
}

fn program_on_path(name: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join(name).is_file())
}

/// The user's Documents folder (the XDG setting on Linux), else the home folder, else the current
/// folder. Reads a small settings file: call it on the worker.
#[must_use]
pub fn documents_dir() -> PathBuf {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    let Some(home) = home else {
        return PathBuf::from(".");
    };
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map_or_else(|| home.join(".config"), PathBuf::from)
        .join("user-dirs.dirs");
    if let Ok(text) = std::fs::read_to_string(&config)
        && let Some(dir) = xdg_documents(&text, &home)
        && dir.is_dir()
    {
        return dir;
    }
    let documents = home.join("Documents");
    if documents.is_dir() { documents } else { home }
}

/// `XDG_DOCUMENTS_DIR` from a `user-dirs.dirs` file, with `$HOME` filled in.
#[must_use]
pub fn xdg_documents(text: &str, home: &Path) -> Option<PathBuf> {
    let value = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("XDG_DOCUMENTS_DIR="))
        .next_back()?
        .trim()
        .trim_matches('"');
    let path = if let Some(rest) = value.strip_prefix("$HOME") {
        home.join(rest.trim_start_matches('/'))
    } else {
        PathBuf::from(value)
    };
    (path.is_absolute() && path != home).then_some(path)
}

/// What the app's own path dialog is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// Save the report in this format (keeping secrets only if asked).
    SaveReport(Format, Redaction),
    /// Open a report, a HAR log or a cookie export.
    OpenFile,
    /// Open an .htaccess file for the checker.
    OpenHtaccess,
}

/// The app's own file dialog: a path field, filled in, and why the system's picker is not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathDialog {
    /// What the path is for.
    pub purpose: PathPurpose,
    /// The path as typed (filled in with the Documents folder).
    pub path: String,
    /// Why the system's picker could not open.
    pub reason: String,
}

/// Label of the path field.
pub const PATH_LABEL: &str = "File path";

/// What came of asking for a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// The user chose this file.
    Path(PathBuf),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// There is no system file picker: why, and the folder to suggest in the app's own dialog.
    NoPicker {
        /// Why the system's picker cannot open.
        reason: String,
        /// The Documents folder (or home).
        folder: PathBuf,
    },
}

/// Why there is no picker, looking at `desktop` (or at this desktop when `None`).
async fn no_picker(desktop: Option<Desktop>) -> Option<Picked> {
    let found = tokio::task::spawn_blocking(move || {
        let reason = desktop
            .unwrap_or_else(this_desktop)
            .why_no_native_dialog()?;
        Some(Picked::NoPicker {
            reason,
            folder: documents_dir(),
        })
    })
    .await;
    found.unwrap_or(None)
}

/// Asks where to save `file_name`: the system's dialog, or why there is none. `desktop` says what
/// the desktop offers (tests set it; `None` looks).
pub async fn pick_save(
    desktop: Option<Desktop>,
    title: &str,
    file_name: String,
    filter: (&str, &[&str]),
) -> Picked {
    if let Some(none) = no_picker(desktop).await {
        return none;
    }
    match rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter.0, filter.1)
        .save_file()
        .await
    {
        Some(handle) => Picked::Path(handle.path().to_path_buf()),
        None => Picked::Cancelled,
    }
}

/// Asks for a file to open: the system's dialog, or why there is none.
pub async fn pick_open(
    desktop: Option<Desktop>,
    title: &str,
    filter: Option<(&str, &[&str])>,
) -> Picked {
    if let Some(none) = no_picker(desktop).await {
        return none;
    }
    let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
    if let Some((name, extensions)) = filter {
        dialog = dialog.add_filter(name, extensions);
    }
    match dialog.pick_file().await {
        Some(handle) => Picked::Path(handle.path().to_path_buf()),
        None => Picked::Cancelled,
    }
}

/// Opens `folder` in the file manager (`xdg-open`, `open`, `explorer`). Starts a program: call it
/// on the worker. Returns what to tell the user when it did not work.
#[must_use]
pub fn open_folder(folder: &Path) -> Option<String> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(program)
        .arg(folder)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            // Reaped on a thread of its own: the file manager may keep running.
            let _ = std::thread::Builder::new()
                .name("authdoctor-open-folder".to_owned())
                .spawn(move || child.wait());
            None
        }
        Err(e) => Some(format!(
            "The folder could not be opened ({program}: {e}). It is {}.",
            folder.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bus_or_no_picker_is_a_reason_and_a_portal_or_zenity_is_none() {
        let none = Desktop {
            session_bus: false,
            portal: false,
            zenity: true,
        };
        assert!(
            none.why_no_native_dialog().is_some(),
            "no bus: not even zenity is tried"
        );
        let bare = Desktop {
            session_bus: true,
            portal: false,
            zenity: false,
        };
        assert!(bare.why_no_native_dialog().is_some());
        for desktop in [
            Desktop {
                session_bus: true,
                portal: true,
                zenity: false,
            },
            Desktop {
                session_bus: true,
                portal: false,
                zenity: true,
            },
        ] {
            assert_eq!(desktop.why_no_native_dialog(), None, "{desktop:?}");
        }
    }

    #[test]
    fn the_documents_folder_is_read_from_user_dirs_with_home_filled_in() {
        let home = Path::new("/home/ann");
        let text = "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOCUMENTS_DIR=\"$HOME/Dokumente\"\n";
        assert_eq!(
            xdg_documents(text, home),
            Some(PathBuf::from("/home/ann/Dokumente"))
        );
        assert_eq!(xdg_documents("XDG_DOCUMENTS_DIR=\"$HOME/\"", home), None);
        assert_eq!(xdg_documents("", home), None);
    }
}
