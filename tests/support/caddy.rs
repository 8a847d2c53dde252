//! A real Caddy for a test: `basicauth` (bcrypt) on `/secret/*`, files served from a temp dir, no
//! automatic https and no admin endpoint.

use std::fmt::Write as _;
use std::process::Command;

use super::auth_files::{HtpasswdHash, htpasswd_line};
use super::process::{Identity, Launch, Running, START_TIMEOUT, make_world_readable, write_file};

/// A running Caddy on `127.0.0.1`; dropping it stops the server and deletes its temp dir.
pub struct Caddy {
    server: Running,
}

impl Caddy {
    /// The realm Caddy names in its challenge (its default; the Caddyfile sets none).
    pub const REALM: &str = "restricted";

    /// Starts `caddy run` on a free port with `users` (name, password) allowed into `/secret/`.
    pub fn start(users: &[(&str, &str)]) -> Self {
        let program = super::require_program("caddy", "caddy");
        let root = Running::temp_dir("caddy");
        let dir = root.path().to_owned();
        for page in ["index.html", "open/index.html", "secret/index.html"] {
            write_file(
                &dir.join("htdocs").join(page),
                format!("caddy {page}\n").as_bytes(),
            );
        }
        // Caddy checks bcrypt hashes; `htpasswd -B` makes them with a low cost, so checks stay fast.
        let mut accounts = String::new();
        for (user, password) in users {
            let line = htpasswd_line(HtpasswdHash::Bcrypt, user, password);
            let hash = line.split_once(':').map_or("", |(_, hash)| hash);
            let _ = writeln!(accounts, "\t\t{user} {hash}");
        }
        make_world_readable(&dir);

        let config_path = dir.join("Caddyfile");
        let server = Running::start(root, |port| {
            let root = dir.display();
            let config = format!(
                "# Written by tests/support/caddy.rs for one test.\n\
                 {{\n\tadmin off\n\tauto_https off\n}}\n\
                 http://127.0.0.1:{port} {{\n\
                 \tbind 127.0.0.1\n\
                 \troot * {root}/htdocs\n\
                 \tbasicauth /secret/* {{\n{accounts}\t}}\n\
                 \tfile_server\n\
                 \tlog {{\n\t\toutput file {root}/access.log\n\t}}\n\
                 }}\n"
            );
            write_file(&config_path, config.as_bytes());
            let mut command = Command::new(&program);
            command
                .args(["run", "--adapter", "caddyfile", "--config"])
                .arg(&config_path)
                // Caddy keeps its state under these; point them at the temp dir, not $HOME.
                .env("XDG_DATA_HOME", dir.join("data"))
                .env("XDG_CONFIG_HOME", dir.join("config"));
            Launch {
                name: "caddy",
                command,
                port,
                identity: Identity::ServerHeader("Caddy"),
                start_timeout: START_TIMEOUT,
                output_path: dir.join("caddy.out"),
                error_log_path: dir.join("caddy.out"),
                config_path: config_path.clone(),
            }
        });
        Self { server }
    }

    /// The full URL of `path`, e.g. `http://127.0.0.1:4321/secret/`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}
