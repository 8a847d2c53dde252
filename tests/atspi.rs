//! The real app read by a real screen-reader client: the binary runs under Xvfb with a private
//! D-Bus session and the AT-SPI registry, and `tests/atspi/read_tree.py` (pyatspi, as Orca uses)
//! reads its window and drives it by the actions a screen-reader user has. Asserts the window's
//! name, the headings, where the focus is after a check, that every control has a name of its own,
//! the open state of "Show technical details", and that tables are tables.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod support;

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::require_program;

/// A process this test started; dropping it stops and reaps it.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads the first line a child prints on stdout (a display number, a bus address), bounded.
fn first_line(child: &mut Child, what: &str) -> String {
    let stdout = child.stdout.take().expect("piped stdout");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    let line = receive
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("{what} printed nothing"));
    line.trim().to_owned()
}

fn python_with_pyatspi() -> &'static str {
    let python = "/usr/bin/python3";
    let ok = Command::new(python)
        .args(["-c", "import pyatspi, dbus"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "this test needs pyatspi: install it with `apt-get install python3-pyatspi at-spi2-core` \
         (scripts/test.sh does this)"
    );
    python
}

fn walk(node: &Value) -> Vec<&Value> {
    let mut all = vec![node];
    for child in node["children"].as_array().into_iter().flatten() {
        all.extend(walk(child));
    }
    all
}

fn named<'a>(tree: &'a Value, role: &str) -> Vec<&'a str> {
    walk(tree)
        .into_iter()
        .filter(|n| n["role"] == role)
        .filter_map(|n| n["name"].as_str())
        .collect()
}

fn controls(tree: &Value) -> Vec<String> {
    const ROLES: [&str; 7] = [
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "entry",
        "link",
        "password text",
    ];
    walk(tree)
        .into_iter()
        .filter(|n| ROLES.contains(&n["role"].as_str().unwrap_or_default()))
        .map(|n| n["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn assert_unique_names(tree: &Value, page: &str) {
    let names = controls(tree);
    let mut seen = std::collections::BTreeSet::new();
    for name in &names {
        assert!(!name.trim().is_empty(), "{page}: a control has no name");
        assert!(seen.insert(name), "{page}: two controls are named {name:?}");
    }
}

#[test]
fn a_screen_reader_client_reads_names_headings_focus_states_and_tables_over_at_spi() {
    let xvfb = require_program("Xvfb", "xvfb");
    let dbus = require_program("dbus-daemon", "dbus-daemon");
    require_program("xdotool", "xdotool");
    assert!(
        Path::new("/usr/share/dbus-1/services/org.a11y.Bus.service").exists(),
        "this test needs the AT-SPI registry: `apt-get install at-spi2-core`"
    );
    let python = python_with_pyatspi();
    let dir = tempfile::tempdir().unwrap();
    let runtime_dir = dir.path().join("run");
    std::fs::create_dir(&runtime_dir).unwrap();
    std::fs::set_permissions(
        &runtime_dir,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();

    let mut display = Command::new(xvfb)
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1000x760x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let display_number = first_line(&mut display, "Xvfb");
    let _display = Started(display);
    let display = format!(":{display_number}");

    let mut bus = Command::new(dbus)
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = first_line(&mut bus, "dbus-daemon");
    let _bus = Started(bus);
    let env = |command: &mut Command| {
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env("DISPLAY", &display)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("AUTHDOCTOR_WINDOW_SIZE", "1000x760");
    };

    // What a desktop with a screen reader running says: accessibility is on (this starts the
    // registry on the private bus).
    let mut enable = Command::new(python);
    env(&mut enable);
    let enabled = enable
        .args([
            "-c",
            "import dbus; bus = dbus.SessionBus(); \
             p = dbus.Interface(bus.get_object('org.a11y.Bus', '/org/a11y/bus'), \
             'org.freedesktop.DBus.Properties'); \
             p.Set('org.a11y.Status', 'IsEnabled', True); \
             p.Set('org.a11y.Status', 'ScreenReaderEnabled', True)",
        ])
        .status()
        .unwrap();
    assert!(enabled.success(), "the AT-SPI registry did not start");

    let mut app = Command::new(env!("CARGO_BIN_EXE_authdoctor"));
    env(&mut app);
    let _app = Started(
        app.arg("gui")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );

    let mut reader = Command::new(python);
    env(&mut reader);
    let mut reader = reader
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/atspi/read_tree.py"
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = String::new();
    let mut stdout = reader.stdout.take().unwrap();
    let reading = std::thread::spawn(move || {
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = reader.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = reader.kill();
            let _ = reader.wait();
            panic!("the screen-reader client did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = reading.join().unwrap();
    assert!(status.success(), "the screen-reader client failed: {out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    if std::env::var_os("AUTHDOCTOR_ATSPI_DUMP").is_some() {
        for page in ["start_text", "diagnosis_text"] {
            for line in report[page].as_array().into_iter().flatten() {
                println!("{}", line.as_str().unwrap_or_default());
            }
            println!();
        }
    }

    let start = &report["start"];
    assert_eq!(start["role"], "frame");
    assert_eq!(start["name"], "AuthDoctor — Why does my site say 401?");
    assert_eq!(named(start, "heading"), ["Why does my site say 401?"]);
    assert!(named(start, "landmark").contains(&"Steps and view"));
    assert!(
        named(start, "entry").contains(&"Paste the address that shows the error"),
        "the address field is named by its label"
    );
    assert_unique_names(start, "start page");

    // After a check the focus is on the new page's title, not on the bare window.
    assert_eq!(
        report["focus_after_check"],
        serde_json::json!([{"role": "heading", "name": "Step 1 of 5: Address"}])
    );
    assert_eq!(
        report["window_after_check"],
        "AuthDoctor — Step 1 of 5: Address"
    );

    let diagnosis = &report["diagnosis"];
    assert_eq!(diagnosis["name"], "AuthDoctor — Step 5 of 5: Diagnosis");
    let headings = named(diagnosis, "heading");
    for expected in [
        "Step 5 of 5: Diagnosis",
        "What is the cause?",
        "Most likely cause",
        "The site does not accept this user name and password",
    ] {
        assert!(headings.contains(&expected), "{expected}: {headings:?}");
    }
    assert_unique_names(diagnosis, "diagnosis");
    assert!(
        named(diagnosis, "push button")
            .iter()
            .any(|n| n.starts_with("Copy the code ")),
        "copy buttons say what they copy"
    );
    // "Show technical details" is a toggle button: not pressed while closed, pressed when open.
    let closed: Vec<&str> = report["details_closed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let opened: Vec<&str> = report["details_opened"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !closed.contains(&"pressed") && opened.contains(&"pressed"),
        "{closed:?} → {opened:?}"
    );
    // The opened details are a table of rows of cells, not loose labels.
    let tables: Vec<&Value> = walk(diagnosis)
        .into_iter()
        .filter(|n| n["role"] == "table")
        .collect();
    assert!(!tables.is_empty(), "the technical details are a table");
    for table in tables {
        for row in table["children"].as_array().unwrap() {
            assert_eq!(row["role"], "table row", "{table}");
            for cell in row["children"].as_array().unwrap() {
                assert!(
                    ["table cell", "column header"].contains(&cell["role"].as_str().unwrap()),
                    "{cell}"
                );
                if cell["role"] == "column header" {
                    assert_ne!(cell["name"], "", "a column header is named: {cell}");
                }
            }
        }
    }
}
