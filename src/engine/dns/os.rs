//! The operating systems AuthDoctor knows, and where each keeps its hosts file.

use super::*;

/// An operating system, for the hosts file's place and the flush commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    /// Microsoft Windows.
    Windows,
    /// Apple macOS.
    MacOs,
    /// Linux (also used for other Unix-like systems).
    Linux,
}

impl Os {
    /// The operating system this program runs on (other Unix-like systems count as Linux).
    #[must_use]
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }

    /// The name shown to people: "Windows", "macOS", "Linux".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Os::Windows => "Windows",
            Os::MacOs => "macOS",
            Os::Linux => "Linux",
        }
    }

    /// Where this system keeps its hosts file. On Windows it is under `%SystemRoot%`
    /// (read from the environment, `C:\Windows` if unset).
    #[must_use]
    pub fn hosts_path(self) -> PathBuf {
        let system_root = std::env::var("SystemRoot").ok();
        hosts_path_for(self, system_root.as_deref())
    }
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Os {
    type Err = DnsError;

    /// Parses `windows`, `macos` or `linux` (any case; `mac`, `osx` and `win` too).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "windows" | "win" => Ok(Os::Windows),
            "macos" | "mac" | "osx" | "darwin" => Ok(Os::MacOs),
            "linux" => Ok(Os::Linux),
            _ => Err(DnsError::UnknownOs(text.to_owned())),
        }
    }
}

/// The hosts file's path on `os`, given the value of `%SystemRoot%` for Windows.
#[must_use]
pub fn hosts_path_for(os: Os, system_root: Option<&str>) -> PathBuf {
    match os {
        Os::Windows => {
            let root = system_root
                .map(|root| root.trim_end_matches(['\\', '/']))
                .filter(|root| !root.is_empty())
                .unwrap_or(r"C:\Windows");
            PathBuf::from(format!(r"{root}\System32\drivers\etc\hosts"))
        }
        Os::MacOs | Os::Linux => PathBuf::from("/etc/hosts"),
    }
}
