//! A real squid as the site's REVERSE proxy (accel mode) for a test: its own Basic sign-in
//! (`basic_ncsa_auth` with an htpasswd file) in front of a backend on loopback, config and logs in a temp dir.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::auth_files::{HtpasswdHash, htpasswd_line};
use super::process::{Identity, Launch, Running, make_world_readable, running_as_root, write_file};

/// Where Debian puts squid's helper that checks passwords against an htpasswd file.
const BASIC_NCSA_AUTH: &str = "/usr/lib/squid/basic_ncsa_auth";
/// squid starts its helpers and reads its config before it answers.
const SQUID_START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running squid on `127.0.0.1` in front of a backend; dropping it stops squid and deletes its temp dir.
///
/// Every request needs squid's own sign-in (realm [`Squid::REALM`]); signed-in requests go to the backend
/// with their `Authorization` header passed on unchanged (`login=PASSTHRU`), so a backend with its own
/// sign-in sees the same details.
pub struct Squid {
    server: Running,
}

impl Squid {
    /// The realm of squid's own sign-in.
    pub const REALM: &str = "AuthDoctor Gateway";

    /// Starts squid accelerating `backend_port` on 127.0.0.1, with `users` (name, password) for its sign-in.
    pub fn start(backend_port: u16, users: &[(&str, &str)]) -> Self {
        let program = super::require_program("squid", "squid");
        assert!(
            Path::new(BASIC_NCSA_AUTH).exists(),
            "this test needs squid's basic_ncsa_auth: install it with `apt-get install squid`"
        );
        let root = Running::temp_dir("squid");
        let dir = root.path().to_owned();
        let htpasswd: String = users
            .iter()
            .map(|(user, password)| htpasswd_line(HtpasswdHash::Md5, user, password) + "\n")
            .collect();
        write_file(&dir.join("htpasswd"), htpasswd.as_bytes());
        std::fs::create_dir_all(dir.join("logs"))
            .unwrap_or_else(|error| panic!("cannot create squid's log dir: {error}"));
        make_world_readable(&dir);
        // Started as root, squid runs as `proxy`; its logs must be writable by that user.
        set_mode(&dir.join("logs"), 0o777);
        let effective_user = if running_as_root() {
            "cache_effective_user proxy\n"
        } else {
            ""
        };

        let config_path = dir.join("squid.conf");
        let server = Running::start(root, |port| {
            let root = dir.display();
            let config = format!(
                "# Written by tests/support/squid.rs for one test.\n\
                 http_port 127.0.0.1:{port} accel defaultsite=127.0.0.1:{backend_port} no-vhost\n\
                 cache_peer 127.0.0.1 parent {backend_port} 0 no-query no-digest originserver login=PASSTHRU name=backend\n\
                 auth_param basic program {BASIC_NCSA_AUTH} {root}/htpasswd\n\
                 auth_param basic children 2 startup=1 idle=1\n\
                 auth_param basic realm {realm}\n\
                 acl signed_in proxy_auth REQUIRED\n\
                 http_access allow signed_in\n\
                 http_access deny all\n\
                 cache_peer_access backend allow all\n\
                 never_direct allow all\n\
                 cache deny all\n\
                 {effective_user}\
                 pid_filename {root}/logs/squid.pid\n\
                 cache_log {root}/logs/cache.log\n\
                 access_log stdio:{root}/logs/access.log\n\
                 coredump_dir {root}/logs\n\
                 netdb_filename none\n\
                 shutdown_lifetime 0 seconds\n",
                realm = Self::REALM,
            );
            write_file(&config_path, config.as_bytes());
            let mut command = Command::new(&program);
            command.arg("-N").arg("-f").arg(&config_path);
            Launch {
                name: "squid",
                command,
                port,
                identity: Identity::ServerHeader("squid"),
                start_timeout: SQUID_START_TIMEOUT,
                output_path: dir.join("squid.out"),
                error_log_path: dir.join("logs/cache.log"),
                config_path: config_path.clone(),
            }
        });
        Self { server }
    }

    /// The full URL of `path` through squid, e.g. `http://127.0.0.1:4321/secret/`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// squid's access log so far: one line per request, with the signed-in user.
    pub fn access_log(&self) -> String {
        self.server.read("logs/access.log")
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|error| panic!("cannot chmod {}: {error}", path.display()));
}
