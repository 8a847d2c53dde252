//! A real nginx for a test, with its own config, password file, cache and document root in a temp dir.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::auth_files::{HtpasswdHash, htpasswd_file};
use super::process::{
    Identity, Launch, READY_PATH, Running, START_TIMEOUT, make_world_readable, running_as_root,
    write_docroot, write_file,
};

/// What an `Nginx` serves: users, an optional caching proxy, extra files and config on top of the defaults.
///
/// The defaults: `/open/` is public; `/secret/` needs Basic auth (realm [`Nginx::BASIC_REALM`], users from
/// `basic_user`); each has an `index.html`. Everything else is served from the document root, or, with
/// `caching_proxy_to`, proxied to the upstream through a cache that keeps every status (401 too) for
/// 10 minutes and reports `X-Cache-Status` (`MISS`, `HIT`, …). In directives, `${ROOT}` is replaced by the
/// temp dir and `${DOCROOT}` by the document root.
#[derive(Clone, Debug, Default)]
pub struct NginxSetup {
    basic_users: Vec<(HtpasswdHash, String, String)>,
    upstream: Option<String>,
    files: Vec<(PathBuf, Vec<u8>)>,
    server_directives: Vec<String>,
    http_directives: Vec<String>,
}

impl NginxSetup {
    /// The defaults, with no users and no proxy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a Basic user for `/secret/`, hashed with Apache MD5 (`$apr1$`, which nginx checks itself).
    #[must_use]
    pub fn basic_user(self, user: &str, password: &str) -> Self {
        self.basic_user_hashed(HtpasswdHash::Md5, user, password)
    }

    /// Adds a Basic user for `/secret/`, hashed as given.
    #[must_use]
    pub fn basic_user_hashed(mut self, hash: HtpasswdHash, user: &str, password: &str) -> Self {
        self.basic_users
            .push((hash, user.to_owned(), password.to_owned()));
        self
    }

    /// Proxies every path but `/open/` and `/secret/` to `upstream` (e.g. `server.url("")`), caching
    /// every response for 10 minutes whatever its status, keyed by URL only (not by `Authorization`).
    #[must_use]
    pub fn caching_proxy_to(mut self, upstream: &str) -> Self {
        self.upstream = Some(upstream.trim_end_matches('/').to_owned());
        self
    }

    /// Adds a file under the document root.
    #[must_use]
    pub fn file(mut self, path_in_docroot: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.files
            .push((PathBuf::from(path_in_docroot), contents.into()));
        self
    }

    /// Appends directives inside the `server { }` block, e.g. a `location` block.
    #[must_use]
    pub fn server_directives(mut self, config: &str) -> Self {
        self.server_directives.push(config.to_owned());
        self
    }

    /// Appends directives inside the `http { }` block, before the server.
    #[must_use]
    pub fn http_directives(mut self, config: &str) -> Self {
        self.http_directives.push(config.to_owned());
        self
    }
}

/// A running nginx on `127.0.0.1`; dropping it stops the server and deletes its temp dir.
pub struct Nginx {
    server: Running,
}

impl Nginx {
    /// The realm of `/secret/`.
    pub const BASIC_REALM: &str = "AuthDoctor Basic";

    /// Writes the setup to a temp dir and starts `nginx` on a free port; panics with the error log if it
    /// does not answer within 10 s.
    pub fn start(setup: NginxSetup) -> Self {
        let NginxSetup {
            basic_users,
            upstream,
            files,
            server_directives,
            http_directives,
        } = setup;
        let program = super::require_program("nginx", "nginx-light");
        let root = Running::temp_dir("nginx");
        write_docroot(root.path(), &[], files);
        write_file(
            &root.path().join("htpasswd"),
            htpasswd_file(&basic_users).as_bytes(),
        );
        for directory in ["tmp", "cache"] {
            std::fs::create_dir_all(root.path().join(directory))
                .expect("cannot create nginx's temp dirs");
        }
        make_world_readable(root.path());

        let dir = root.path().to_owned();
        let config_path = root.path().join("nginx.conf");
        let server = Running::start(root, |port| {
            let config = config(
                &dir,
                port,
                upstream.as_deref(),
                &http_directives,
                &server_directives,
            );
            write_file(&config_path, config.as_bytes());
            let mut command = Command::new(&program);
            command
                .arg("-p")
                .arg(&dir)
                .arg("-e")
                .arg(dir.join("error.log"))
                .arg("-c")
                .arg(&config_path)
                .args(["-g", "daemon off;"]);
            Launch {
                name: "nginx",
                command,
                port,
                identity: Identity::ServerHeader("nginx"),
                start_timeout: START_TIMEOUT,
                output_path: dir.join("nginx.out"),
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

    /// The port nginx listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// The temp dir holding config, logs, cache and the password file.
    pub fn root(&self) -> &Path {
        self.server.root()
    }

    /// The document root.
    pub fn docroot(&self) -> PathBuf {
        self.server.root().join("htdocs")
    }

    /// The error log so far.
    pub fn error_log(&self) -> String {
        self.server.read("error.log")
    }

    /// The access log so far: client, user, request line, status, bytes, cache status.
    pub fn access_log(&self) -> String {
        self.server.read("access.log")
    }
}

/// The whole `nginx.conf` for a server rooted at `root` on `port`.
fn config(
    root: &Path,
    port: u16,
    upstream: Option<&str>,
    http_directives: &[String],
    server_directives: &[String],
) -> String {
    let root_text = root.display().to_string();
    let docroot_text = root.join("htdocs").display().to_string();
    let expand = |directives: &[String]| {
        directives
            .join("\n")
            .replace("${ROOT}", &root_text)
            .replace("${DOCROOT}", &docroot_text)
    };
    // The workers must read the temp dir; as root, let them stay root rather than `nobody`.
    let user = if running_as_root() { "user root;" } else { "" };
    let (cache_zone, default_location) = match upstream {
        Some(upstream) => (
            format!(
                "proxy_cache_path {root_text}/cache levels=1:2 keys_zone=authdoctor:1m \
                 max_size=10m inactive=10m use_temp_path=off;"
            ),
            format!(
                "location / {{
            proxy_pass {upstream};
            proxy_cache authdoctor;
            proxy_cache_valid any 10m;
            add_header X-Cache-Status $upstream_cache_status always;
        }}"
            ),
        ),
        None => (String::new(), "location / { }".to_owned()),
    };
    format!(
        r#"# Written by tests/support/nginx.rs for one test.
{user}
worker_processes 1;
pid {root_text}/nginx.pid;
error_log {root_text}/error.log info;
events {{
    worker_connections 64;
}}
http {{
    log_format authdoctor '$remote_addr $remote_user "$request" $status $body_bytes_sent $upstream_cache_status';
    access_log {root_text}/access.log authdoctor;
    client_body_temp_path {root_text}/tmp/client_body;
    proxy_temp_path {root_text}/tmp/proxy;
    fastcgi_temp_path {root_text}/tmp/fastcgi;
    uwsgi_temp_path {root_text}/tmp/uwsgi;
    scgi_temp_path {root_text}/tmp/scgi;
    types {{
        text/html html;
        text/plain txt;
    }}
    default_type text/plain;
    {cache_zone}
    {http_directives}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {docroot_text};
        location = {READY_PATH} {{
            return 204;
        }}
        location /open/ {{ }}
        location /secret/ {{
            auth_basic "{basic_realm}";
            auth_basic_user_file {root_text}/htpasswd;
        }}
        {default_location}
        {server_directives}
    }}
}}
"#,
        basic_realm = Nginx::BASIC_REALM,
        http_directives = expand(http_directives),
        server_directives = expand(server_directives),
    )
}
