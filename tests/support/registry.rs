//! A real Docker registry (Debian's `docker-registry`, the distribution project's registry 2) for a test,
//! with htpasswd sign-in, or token sign-in against a token service of the test's, and its storage in a
//! temp dir.

use std::process::Command;

use super::auth_files::{HtpasswdHash, htpasswd_line};
use super::process::{Identity, Launch, Running, START_TIMEOUT, make_world_readable, write_file};

/// A running registry on `127.0.0.1`; dropping it stops the server and deletes its temp dir.
///
/// `/v2/` (the API's version check, what `docker login` asks first) needs Basic auth in [`Registry::REALM`].
pub struct Registry {
    server: Running,
}

impl Registry {
    /// The realm of the htpasswd sign-in.
    pub const REALM: &str = "AuthDoctor Registry";

    /// Starts the registry with token sign-in: its 401s send clients to `realm` for a token for
    /// `service`, signed by `issuer` with the certificate `cert_pem`.
    pub fn start_token(realm: &str, service: &str, issuer: &str, cert_pem: &str) -> Self {
        let root = Running::temp_dir("registry");
        let dir = root.path().to_owned();
        write_file(&dir.join("token.pem"), cert_pem.as_bytes());
        let auth = format!(
            "auth:\n  token:\n    realm: {realm}\n    service: {service}\n    issuer: {issuer}\n    rootcertbundle: {}/token.pem\n",
            dir.display()
        );
        Self::start_with_auth(root, &auth)
    }

    /// Starts `docker-registry serve` on a free port with `users` (name, password; bcrypt, which the
    /// registry requires).
    pub fn start(users: &[(&str, &str)]) -> Self {
        let root = Running::temp_dir("registry");
        let dir = root.path().to_owned();
        let htpasswd: String = users
            .iter()
            .map(|(user, password)| htpasswd_line(HtpasswdHash::Bcrypt, user, password) + "\n")
            .collect();
        write_file(&dir.join("htpasswd"), htpasswd.as_bytes());
        let auth = format!(
            "auth:\n  htpasswd:\n    realm: {realm}\n    path: {}/htpasswd\n",
            dir.display(),
            realm = Self::REALM,
        );
        Self::start_with_auth(root, &auth)
    }

    fn start_with_auth(root: tempfile::TempDir, auth: &str) -> Self {
        let program = super::require_program("docker-registry", "docker-registry");
        let dir = root.path().to_owned();
        std::fs::create_dir_all(dir.join("data"))
            .unwrap_or_else(|error| panic!("cannot create the registry's storage: {error}"));
        make_world_readable(&dir);

        let config_path = dir.join("config.yml");
        let server = Running::start(root, |port| {
            let root = dir.display();
            let config = format!(
                "# Written by tests/support/registry.rs for one test.\n\
                 version: 0.1\n\
                 log:\n  level: info\n  formatter: text\n\
                 storage:\n  filesystem:\n    rootdirectory: {root}/data\n\
                 http:\n  addr: 127.0.0.1:{port}\n  secret: authdoctor-test-only\n{auth}",
            );
            write_file(&config_path, config.as_bytes());
            let mut command = Command::new(&program);
            command.arg("serve").arg(&config_path);
            Launch {
                name: "docker-registry",
                command,
                port,
                identity: Identity::Header("docker-distribution-api-version", "registry/2"),
                start_timeout: START_TIMEOUT,
                output_path: dir.join("registry.out"),
                error_log_path: dir.join("registry.out"),
                config_path: config_path.clone(),
            }
        });
        Self { server }
    }

    /// The full URL of `path`, e.g. `http://127.0.0.1:4321/v2/`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}
