//! A real Apache httpd for a test, with its own config, password files and document root in a temp dir.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::auth_files::{HtpasswdHash, htdigest_line, htpasswd_file};
use super::process::{
    Identity, Launch, Running, START_TIMEOUT, make_world_readable, running_as_root, write_docroot,
    write_file,
};

/// Modules loaded from `/usr/lib/apache2/modules`, in load order.
const MODULES: [&str; 17] = [
    "mpm_event",
    "authn_core",
    "authn_file",
    "authz_core",
    "authz_user",
    "authz_host",
    "authz_groupfile",
    "auth_basic",
    "auth_digest",
    "access_compat",
    "mime",
    "dir",
    "alias",
    "rewrite",
    "headers",
    "env",
    "setenvif",
];

/// What an `Apache` serves: users, extra files and extra config on top of the defaults.
///
/// The defaults: `/open/` is public; `/secret/` needs Basic auth (realm [`Apache::BASIC_REALM`], users
/// from `basic_user`); `/digest/` needs Digest auth with MD5 (realm [`Apache::DIGEST_REALM`], users from
/// `digest_user`). Each has an `index.html`. The document root has `AllowOverride All`, so `.htaccess`
/// files work. In `directives` and files, `${ROOT}` is the temp dir and `${DOCROOT}` the document root
/// (Apache `Define`s).
#[derive(Clone, Debug, Default)]
pub struct ApacheSetup {
    basic_users: Vec<(HtpasswdHash, String, String)>,
    digest_users: Vec<(String, String, String)>,
    files: Vec<(PathBuf, Vec<u8>)>,
    directives: Vec<String>,
}

impl ApacheSetup {
    /// The defaults, with no users.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a Basic user for `/secret/`, hashed with bcrypt (`htpasswd -B`).
    #[must_use]
    pub fn basic_user(self, user: &str, password: &str) -> Self {
        self.basic_user_hashed(HtpasswdHash::Bcrypt, user, password)
    }

    /// Adds a Basic user for `/secret/`, hashed as given (e.g. `HtpasswdHash::Md5` for `htpasswd -m`).
    #[must_use]
    pub fn basic_user_hashed(mut self, hash: HtpasswdHash, user: &str, password: &str) -> Self {
        self.basic_users
            .push((hash, user.to_owned(), password.to_owned()));
        self
    }

    /// Adds a Digest user for `/digest/` in [`Apache::DIGEST_REALM`].
    #[must_use]
    pub fn digest_user(self, user: &str, password: &str) -> Self {
        self.digest_user_in_realm(user, Apache::DIGEST_REALM, password)
    }

    /// Adds a Digest user in another realm (such a user cannot log in to `/digest/`).
    #[must_use]
    pub fn digest_user_in_realm(mut self, user: &str, realm: &str, password: &str) -> Self {
        self.digest_users
            .push((user.to_owned(), realm.to_owned(), password.to_owned()));
        self
    }

    /// Adds a file under the document root, e.g. `("private/.htaccess", "AuthType Basic…")`.
    #[must_use]
    pub fn file(mut self, path_in_docroot: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.files
            .push((PathBuf::from(path_in_docroot), contents.into()));
        self
    }

    /// Appends server-level config after the defaults, e.g. a `<Location>` block.
    #[must_use]
    pub fn directives(mut self, config: &str) -> Self {
        self.directives.push(config.to_owned());
        self
    }
}

/// A running Apache httpd on `127.0.0.1`; dropping it stops the server and deletes its temp dir.
pub struct Apache {
    server: Running,
}

impl Apache {
    /// The realm of `/secret/`.
    pub const BASIC_REALM: &str = "AuthDoctor Basic";
    /// The realm of `/digest/`.
    pub const DIGEST_REALM: &str = "AuthDoctor Digest";

    /// Writes the setup to a temp dir and starts `apache2` on a free port; panics with the error log if
    /// it does not answer within 10 s.
    pub fn start(setup: ApacheSetup) -> Self {
        let ApacheSetup {
            basic_users,
            digest_users,
            files,
            directives,
        } = setup;
        let program = super::require_program("apache2", "apache2");
        let root = Running::temp_dir("apache");
        write_docroot(root.path(), &["digest"], files);
        write_file(
            &root.path().join("htpasswd"),
            htpasswd_file(&basic_users).as_bytes(),
        );
        let htdigest: String = digest_users
            .iter()
            .map(|(user, realm, password)| htdigest_line(user, realm, password) + "\n")
            .collect();
        write_file(&root.path().join("htdigest"), htdigest.as_bytes());
        std::fs::create_dir_all(root.path().join("run")).expect("cannot create Apache's run dir");
        make_world_readable(root.path());

        let dir = root.path().to_owned();
        let config_path = root.path().join("httpd.conf");
        let server = Running::start(root, |port| {
            write_file(&config_path, config(&dir, port, &directives).as_bytes());
            let mut command = Command::new(&program);
            command.arg("-f").arg(&config_path).arg("-DFOREGROUND");
            Launch {
                name: "apache2",
                command,
                port,
                identity: Identity::ServerHeader("Apache"),
                start_timeout: START_TIMEOUT,
                output_path: dir.join("apache2.out"),
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

    /// The port Apache listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// The temp dir holding config, logs and password files.
    pub fn root(&self) -> &Path {
        self.server.root()
    }

    /// The document root.
    pub fn docroot(&self) -> PathBuf {
        self.server.root().join("htdocs")
    }

    /// Adds or replaces a file under the document root while running (e.g. a `.htaccess`, read per request).
    pub fn write_file(&self, path_in_docroot: &str, contents: impl AsRef<[u8]>) {
        let path = self.docroot().join(path_in_docroot);
        write_file(&path, contents.as_ref());
        make_world_readable(&self.docroot());
    }

    /// The error log so far.
    pub fn error_log(&self) -> String {
        self.server.read("error.log")
    }

    /// The access log so far: client, user, request line, status, bytes.
    pub fn access_log(&self) -> String {
        self.server.read("access.log")
    }
}

/// The whole `httpd.conf` for a server rooted at `root` on `port`.
fn config(root: &Path, port: u16, directives: &[String]) -> String {
    let root = root.display();
    let modules = MODULES
        .iter()
        .map(|module| {
            format!("LoadModule {module}_module /usr/lib/apache2/modules/mod_{module}.so\n")
        })
        .collect::<Vec<_>>()
        .concat();
    // Started as root, Apache must switch its workers to an unprivileged user; otherwise it cannot.
    let user = if !running_as_root() {
        ""
    } else if user_exists("www-data") {
        "User www-data\nGroup www-data\n"
    } else {
        "User nobody\nGroup nogroup\n"
    };
    let types = if Path::new("/etc/mime.types").exists() {
        "/etc/mime.types"
    } else {
        "/dev/null"
    };
    let directives = directives.join("\n");
    format!(
        r#"# Written by tests/support/apache.rs for one test.
Define ROOT {root}
Define DOCROOT {root}/htdocs
ServerRoot "${{ROOT}}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "${{ROOT}}/apache.pid"
DefaultRuntimeDir "${{ROOT}}/run"
Mutex file:${{ROOT}}/run default
ErrorLog "${{ROOT}}/error.log"
LogLevel info
LogFormat "%h %u \"%r\" %>s %b" authdoctor
CustomLog "${{ROOT}}/access.log" authdoctor
{modules}{user}
StartServers 1
ServerLimit 2
ThreadLimit 16
ThreadsPerChild 16
MinSpareThreads 1
MaxSpareThreads 32
MaxRequestWorkers 32

TypesConfig {types}
AddType text/html .html
AddType text/plain .txt
DirectoryIndex index.html
AccessFileName .htaccess

DocumentRoot "${{DOCROOT}}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "${{DOCROOT}}">
    Options FollowSymLinks
    AllowOverride All
    Require all granted
</Directory>
<Directory "${{DOCROOT}}/secret">
    AuthType Basic
    AuthName "{basic_realm}"
    AuthBasicProvider file
    AuthUserFile "${{ROOT}}/htpasswd"
    Require valid-user
</Directory>
<Directory "${{DOCROOT}}/digest">
    AuthType Digest
    AuthName "{digest_realm}"
    AuthDigestDomain /digest/
    AuthDigestProvider file
    AuthUserFile "${{ROOT}}/htdigest"
    Require valid-user
</Directory>

{directives}
"#,
        basic_realm = Apache::BASIC_REALM,
        digest_realm = Apache::DIGEST_REALM,
    )
}

/// Whether `/etc/passwd` has the user `name`.
fn user_exists(name: &str) -> bool {
    std::fs::read_to_string("/etc/passwd").is_ok_and(|passwd| {
        passwd
            .lines()
            .any(|line| line.split(':').next() == Some(name))
    })
}
