//! A real lighttpd for a test: `mod_auth` with Basic (htpasswd) on `/secret/` and Digest (htdigest) on
//! `/digest/`, its config and password files in a temp dir; optionally with its clock unset (1970), as
//! on a router or camera that never learned the time.

use std::path::PathBuf;
use std::process::Command;

use super::auth_files::{HtpasswdHash, htdigest_line, htpasswd_line};
use super::process::{Identity, Launch, Running, START_TIMEOUT, make_world_readable, write_file};

/// Where Debian's `libfaketime` lives under `/usr/lib/<multiarch triplet>/`; preloaded, it gives a server
/// another clock.
const LIBFAKETIME: &str = "faketime/libfaketime.so.1";
/// A clock that was never set: a few minutes after the Unix epoch, and running.
const UNSET_CLOCK: &str = "@1970-01-01 00:05:00";

/// The users of a `Lighttpd`: Basic users for `/secret/`, Digest users for `/digest/`; and its clock.
#[derive(Clone, Debug, Default)]
pub struct LighttpdSetup {
    basic_users: Vec<(String, String)>,
    digest_users: Vec<(String, String)>,
    clock_unset: bool,
}

impl LighttpdSetup {
    /// No users yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a Basic user for `/secret/` (htpasswd, Apache MD5 `$apr1$`, which lighttpd checks itself).
    #[must_use]
    pub fn basic_user(mut self, user: &str, password: &str) -> Self {
        self.basic_users
            .push((user.to_owned(), password.to_owned()));
        self
    }

    /// Runs lighttpd with its clock in January 1970 (through libfaketime): its `Date` headers, nonces and
    /// logs say 1970, as on a device without a real-time clock that never reached a time server.
    #[must_use]
    pub fn clock_unset(mut self) -> Self {
        self.clock_unset = true;
        self
    }

    /// Adds a Digest user for `/digest/` in [`Lighttpd::DIGEST_REALM`].
    #[must_use]
    pub fn digest_user(mut self, user: &str, password: &str) -> Self {
        self.digest_users
            .push((user.to_owned(), password.to_owned()));
        self
    }
}

/// A running lighttpd on `127.0.0.1`; dropping it stops the server and deletes its temp dir.
pub struct Lighttpd {
    server: Running,
}

impl Lighttpd {
    /// The realm of `/secret/`.
    pub const BASIC_REALM: &str = "AuthDoctor lighttpd";
    /// The realm of `/digest/`.
    pub const DIGEST_REALM: &str = "AuthDoctor lighttpd Digest";

    /// Writes the setup to a temp dir and starts `lighttpd -D` on a free port.
    pub fn start(setup: &LighttpdSetup) -> Self {
        let program = super::require_program("lighttpd", "lighttpd");
        let root = Running::temp_dir("lighttpd");
        let dir = root.path().to_owned();
        let docroot = dir.join("htdocs");
        for page in [
            "index.html",
            "open/index.html",
            "secret/index.html",
            "digest/index.html",
        ] {
            write_file(&docroot.join(page), format!("lighttpd {page}\n").as_bytes());
        }
        let htpasswd: String = setup
            .basic_users
            .iter()
            .map(|(user, password)| htpasswd_line(HtpasswdHash::Md5, user, password) + "\n")
            .collect();
        write_file(&dir.join("htpasswd"), htpasswd.as_bytes());
        let htdigest: String = setup
            .digest_users
            .iter()
            .map(|(user, password)| htdigest_line(user, Self::DIGEST_REALM, password) + "\n")
            .collect();
        write_file(&dir.join("htdigest"), htdigest.as_bytes());
        make_world_readable(&dir);

        let config_path = dir.join("lighttpd.conf");
        let server = Running::start(root, |port| {
            let root = dir.display();
            let config = format!(
                r#"# Written by tests/support/lighttpd.rs for one test.
server.bind = "127.0.0.1"
server.port = {port}
server.document-root = "{root}/htdocs"
server.errorlog = "{root}/error.log"
server.modules = ("mod_auth", "mod_authn_file", "mod_accesslog")
accesslog.filename = "{root}/access.log"
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html", ".txt" => "text/plain")
$HTTP["url"] =^ "/secret/" {{
    auth.backend = "htpasswd"
    auth.backend.htpasswd.userfile = "{root}/htpasswd"
    auth.require = ("" => ("method" => "basic", "realm" => "{basic_realm}", "require" => "valid-user"))
}}
$HTTP["url"] =^ "/digest/" {{
    auth.backend = "htdigest"
    auth.backend.htdigest.userfile = "{root}/htdigest"
    auth.require = ("" => ("method" => "digest", "realm" => "{digest_realm}", "require" => "valid-user"))
}}
"#,
                basic_realm = Self::BASIC_REALM,
                digest_realm = Self::DIGEST_REALM,
            );
            write_file(&config_path, config.as_bytes());
            let mut command = Command::new(&program);
            command.arg("-D").arg("-f").arg(&config_path);
            if setup.clock_unset {
                command
                    .env("LD_PRELOAD", libfaketime())
                    .env("FAKETIME", UNSET_CLOCK);
            }
            Launch {
                name: "lighttpd",
                command,
                port,
                identity: Identity::ServerHeader("lighttpd"),
                start_timeout: START_TIMEOUT,
                output_path: dir.join("lighttpd.out"),
                error_log_path: dir.join("error.log"),
                config_path: config_path.clone(),
            }
        });
        Self { server }
    }

    /// The full URL of `path`, e.g. `http://127.0.0.1:4321/secret/`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// The error log so far (lighttpd logs failed sign-ins there).
    pub fn error_log(&self) -> String {
        self.server.read("error.log")
    }
}

/// The path of `libfaketime.so.1` for this machine's architecture, or a panic saying how to install it.
fn libfaketime() -> PathBuf {
    std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path().join(LIBFAKETIME))
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| {
            panic!(
                "this test needs libfaketime: install it with `apt-get install libfaketime` \
                 (scripts/test.sh does this)"
            )
        })
}
