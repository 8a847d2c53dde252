//! Flush commands: how to clear each DNS cache, per operating system and browser.

use super::*;

/// One way to clear a DNS cache, shown with a copy button (and run for the user when `argv` is set).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FlushCommand {
    /// Where it applies: "Windows", "macOS", "Linux", "Chrome", "Edge", "Firefox".
    pub platform: String,
    /// What it does, e.g. "Clear the Windows DNS cache".
    pub title: String,
    /// What to type (or paste into the browser's address bar). Empty when there is nothing to run.
    pub command: String,
    /// One line: where to type it and what happens.
    pub explanation: String,
    /// True when it needs administrator rights (`sudo`, an administrator Command Prompt).
    pub needs_admin: bool,
    /// The exact program and arguments, for "Run it for me", without `sudo` (when `needs_admin`
    /// the runner must get administrator rights itself). `None` when it cannot be run as one program
    /// (several commands, or a browser page). Never built from user input.
    pub argv: Option<Vec<String>>,
}

/// What the flush commands depend on besides the OS: which DNS caches run, which macOS version.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct FlushEnv {
    /// DNS caches found running (Linux): any of "systemd-resolved", "nscd", "dnsmasq".
    pub running: Vec<String>,
    /// True when the running processes were actually looked at; false lists every Linux cache.
    pub processes_checked: bool,
    /// The macOS version (major, minor), e.g. (14, 5) or (10, 15); `None` lists every variant.
    pub macos_version: Option<(u32, u32)>,
}

/// Finds which DNS caches run on this computer (Linux: `/proc/*/comm`) and the macOS version
/// (`sw_vers`). Never uses the network.
#[must_use]
pub fn detect_flush_env() -> FlushEnv {
    match Os::current() {
        Os::Linux => match dns_caches_in_proc(Path::new("/proc")) {
            Ok(running) => FlushEnv {
                running,
                processes_checked: true,
                macos_version: None,
            },
            Err(_) => FlushEnv::default(),
        },
        Os::MacOs => FlushEnv {
            macos_version: std::process::Command::new("sw_vers")
                .arg("-productVersion")
                .output()
                .ok()
                .and_then(|output| parse_macos_version(&String::from_utf8_lossy(&output.stdout))),
            ..FlushEnv::default()
        },
        Os::Windows => FlushEnv::default(),
    }
}

/// The DNS caches running according to a `/proc`-like directory (`<pid>/comm` files), by their
/// usual names, sorted and without repeats.
pub fn dns_caches_in_proc(proc_dir: &Path) -> io::Result<Vec<String>> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(proc_dir)? {
        let Ok(entry) = entry else { continue };
        let file_name = entry.file_name();
        let is_pid = file_name
            .to_str()
            .is_some_and(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()));
        if !is_pid {
            continue;
        }
        let Ok(comm) = std::fs::read_to_string(entry.path().join("comm")) else {
            continue;
        };
        if let Some(cache) = dns_cache_name(comm.trim()) {
            found.insert(cache.to_owned());
        }
    }
    Ok(found.into_iter().collect())
}

/// The cache a process name belongs to. The kernel cuts names to 15 characters, so
/// systemd-resolved shows as "systemd-resolve".
pub(super) fn dns_cache_name(comm: &str) -> Option<&'static str> {
    match comm {
        "systemd-resolve" | "systemd-resolved" => Some("systemd-resolved"),
        "nscd" => Some("nscd"),
        "dnsmasq" => Some("dnsmasq"),
        _ => None,
    }
}

/// (major, minor) from `sw_vers -productVersion` output like "14.5" or "10.15.7".
#[must_use]
pub fn parse_macos_version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = parts
        .next()
        .map_or(Some(0), |minor| minor.trim().parse().ok())?;
    Some((major, minor))
}

/// How to clear the DNS caches: `os`'s own first (chosen by what runs there), then the browsers'.
#[must_use]
pub fn flush_commands(os: Os, env: &FlushEnv) -> Vec<FlushCommand> {
    let mut commands = match os {
        Os::Windows => windows_flush(),
        Os::MacOs => macos_flush(env.macos_version),
        Os::Linux => linux_flush(env),
    };
    commands.extend(browser_flush());
    commands
}

pub(super) fn command(
    platform: &str,
    title: &str,
    command: &str,
    explanation: &str,
    needs_admin: bool,
    argv: Option<&[&str]>,
) -> FlushCommand {
    FlushCommand {
        platform: platform.to_owned(),
        title: title.to_owned(),
        command: command.to_owned(),
        explanation: explanation.to_owned(),
        needs_admin,
        argv: argv.map(|args| args.iter().map(|arg| (*arg).to_owned()).collect()),
    }
}

pub(super) fn windows_flush() -> Vec<FlushCommand> {
    vec![
        command(
            "Windows",
            "Clear the Windows DNS cache",
            "ipconfig /flushdns",
            "Open the Start menu, type cmd, right-click Command Prompt, choose \"Run as administrator\", \
             paste this and press Enter.",
            true,
            Some(&["ipconfig", "/flushdns"]),
        ),
        command(
            "Windows",
            "Clear the Windows DNS cache (PowerShell)",
            "Clear-DnsClientCache",
            "The same in PowerShell: right-click the Start button, choose Terminal (Admin) or Windows \
             PowerShell (Admin), paste this and press Enter.",
            true,
            Some(&[
                "powershell",
                "-NoProfile",
                "-Command",
                "Clear-DnsClientCache",
            ]),
        ),
    ]
}

pub(super) fn macos_flush(version: Option<(u32, u32)>) -> Vec<FlushCommand> {
    let modern = command(
        "macOS",
        "Clear the macOS DNS cache",
        "sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder",
        "For macOS 10.10.4 and later: open Terminal (Applications > Utilities), paste this, press Enter \
         and type your Mac's password (nothing shows while you type).",
        true,
        None,
    );
    let yosemite_early = command(
        "macOS",
        "Clear the DNS cache (OS X 10.10 to 10.10.3)",
        "sudo discoveryutil mdnsflushcache",
        "For OS X Yosemite 10.10 to 10.10.3: paste this into Terminal, press Enter and type your password.",
        true,
        Some(&["discoveryutil", "mdnsflushcache"]),
    );
    let mavericks = command(
        "macOS",
        "Clear the DNS cache (OS X 10.9)",
        "dscacheutil -flushcache; sudo killall -HUP mDNSResponder",
        "For OS X Mavericks 10.9: paste this into Terminal, press Enter and type your password.",
        true,
        None,
    );
    let lion = command(
        "macOS",
        "Clear the DNS cache (OS X 10.7 and 10.8)",
        "sudo killall -HUP mDNSResponder",
        "For OS X Lion and Mountain Lion (10.7, 10.8): paste this into Terminal, press Enter and type \
         your password.",
        true,
        Some(&["killall", "-HUP", "mDNSResponder"]),
    );
    let leopard = command(
        "macOS",
        "Clear the DNS cache (Mac OS X 10.5 and 10.6)",
        "sudo dscacheutil -flushcache",
        "For Mac OS X Leopard and Snow Leopard (10.5, 10.6): paste this into Terminal, press Enter and \
         type your password.",
        true,
        Some(&["dscacheutil", "-flushcache"]),
    );
    let tiger = command(
        "macOS",
        "Clear the DNS cache (Mac OS X 10.4 and earlier)",
        "lookupd -flushcache",
        "For Mac OS X Tiger (10.4) and earlier: paste this into Terminal and press Enter.",
        false,
        Some(&["lookupd", "-flushcache"]),
    );
    match version {
        None => vec![modern, yosemite_early, mavericks, lion, leopard, tiger],
        Some((major, minor)) => {
            let chosen = match (major, minor) {
                (10, 0..=4) => tiger,
                (10, 5..=6) => leopard,
                (10, 7..=8) => lion,
                (10, 9) => mavericks,
                // 10.10.0–10.10.3 cannot be told from 10.10.4+ by (major, minor): show both, newest first.
                (10, 10) => return vec![modern, yosemite_early],
                _ => modern,
            };
            vec![chosen]
        }
    }
}

pub(super) fn linux_flush(env: &FlushEnv) -> Vec<FlushCommand> {
    let runs = |name: &str| !env.processes_checked || env.running.iter().any(|r| r == name);
    let mut commands = Vec::new();
    if runs("systemd-resolved") {
        commands.push(command(
            "Linux",
            "Clear the systemd-resolved DNS cache",
            "sudo resolvectl flush-caches",
            "For systemd-resolved (Ubuntu, Fedora, Debian with it enabled): paste this into a terminal, \
             press Enter and type your password.",
            true,
            Some(&["resolvectl", "flush-caches"]),
        ));
        commands.push(command(
            "Linux",
            "Clear the systemd-resolved DNS cache (older systems)",
            "sudo systemd-resolve --flush-caches",
            "The same on older systems (systemd before version 239, e.g. Ubuntu 18.04), where resolvectl \
             does not exist.",
            true,
            Some(&["systemd-resolve", "--flush-caches"]),
        ));
    }
    if runs("nscd") {
        commands.push(command(
            "Linux",
            "Clear the nscd host cache",
            "sudo nscd -i hosts",
            "For nscd, the name service cache: paste this into a terminal, press Enter and type your \
             password.",
            true,
            Some(&["nscd", "-i", "hosts"]),
        ));
        commands.push(command(
            "Linux",
            "Restart nscd",
            "sudo systemctl restart nscd",
            "If clearing nscd's host cache did not help, restarting it empties every cache it keeps.",
            true,
            Some(&["systemctl", "restart", "nscd"]),
        ));
    }
    if runs("dnsmasq") {
        commands.push(command(
            "Linux",
            "Restart dnsmasq",
            "sudo systemctl restart dnsmasq",
            "For dnsmasq running as its own service: restarting it empties its cache.",
            true,
            Some(&["systemctl", "restart", "dnsmasq"]),
        ));
        commands.push(command(
            "Linux",
            "Clear the dnsmasq cache",
            "sudo killall -HUP dnsmasq",
            "For dnsmasq started by NetworkManager or another program: this signal empties its cache \
             without stopping it.",
            true,
            Some(&["killall", "-HUP", "dnsmasq"]),
        ));
    }
    if commands.is_empty() {
        commands.push(command(
            "Linux",
            "No DNS cache on this computer: nothing to flush",
            "",
            "No systemd-resolved, nscd or dnsmasq runs here, so this computer keeps no DNS answers of \
             its own; only the browser's cache (below) can hold an old answer.",
            false,
            None,
        ));
    }
    commands
}

pub(super) fn browser_flush() -> Vec<FlushCommand> {
    vec![
        command(
            "Chrome",
            "Clear Chrome's own DNS cache",
            "chrome://net-internals/#dns",
            "Paste this into Chrome's address bar, press Enter and click \"Clear host cache\" (then, on \
             the Sockets page, \"Flush socket pools\").",
            false,
            None,
        ),
        command(
            "Edge",
            "Clear Edge's own DNS cache",
            "edge://net-internals/#dns",
            "Paste this into Edge's address bar, press Enter and click \"Clear host cache\".",
            false,
            None,
        ),
        command(
            "Firefox",
            "Clear Firefox's own DNS cache",
            "about:networking#dns",
            "Paste this into Firefox's address bar, press Enter and click \"Clear DNS Cache\".",
            false,
            None,
        ),
    ]
}
