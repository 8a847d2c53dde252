//! Small real framework apps for a test (their source in `tests/apps/<name>/`): Flask-HTTPAuth, Django
//! REST framework, `FastAPI` with `PyJWT`, Express with passport. Their packages come from `PyPI` and npm,
//! installed by `scripts/test.sh` under `target/test-deps/` (a virtual environment and `node_modules`;
//! never committed, never system-wide).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::process::{Identity, Launch, Running, write_file};

/// A Python app imports its framework and starts on a busy 2-core machine.
const APP_START_TIMEOUT: Duration = Duration::from_secs(60);

/// Which app to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    /// `tests/apps/flask-httpauth`: `/digest/` (Digest, nonce kept in Flask's session cookie), `/token/`
    /// (Bearer). See [`FLASK_USER`], [`FLASK_PASSWORD`], [`FLASK_TOKEN`].
    FlaskHttpAuth,
    /// `tests/apps/drf-token`: `/api/me/` with `TokenAuthentication` (scheme `Token`). See [`DRF_TOKEN`].
    DjangoRestToken,
    /// `tests/apps/fastapi-jwt`: `/api/me` and `/api/admin` (scope `admin`) with Bearer JWTs; tokens
    /// from [`mint_jwt`].
    FastApiJwt,
    /// `tests/apps/express-passport`: `/basic/` (passport-http Basic) and `/bearer/`
    /// (passport-http-bearer). See [`EXPRESS_USER`], [`EXPRESS_PASSWORD`], [`EXPRESS_TOKEN`].
    ExpressPassport,
}

/// The Digest user of the Flask app.
pub const FLASK_USER: &str = "fritz";
/// Its password.
pub const FLASK_PASSWORD: &str = "flask-digest-pass";
/// The Bearer token the Flask app accepts.
pub const FLASK_TOKEN: &str = "flask-token-1234567890";
/// The token (40 hex digits, as DRF makes them) of the DRF app's one user.
pub const DRF_TOKEN: &str = "0123456789abcdef0123456789abcdef01234567";
/// The Basic user of the Express app.
pub const EXPRESS_USER: &str = "pat";
/// Its password.
pub const EXPRESS_PASSWORD: &str = "passport-basic-pass";
/// The Bearer token the Express app accepts.
pub const EXPRESS_TOKEN: &str = "express-token-0987654321";

/// A running framework app on `127.0.0.1`; dropping it stops the app and deletes its temp dir.
pub struct AppServer {
    server: Running,
}

impl AppServer {
    /// Starts `app` on a free port; panics saying how to install its packages when they are missing.
    pub fn start(app: App) -> Self {
        let root = Running::temp_dir("app");
        let dir = root.path().to_owned();
        let server = Running::start(root, |port| {
            let (name, command, identity) = match app {
                App::FlaskHttpAuth => (
                    "flask-httpauth",
                    python(&["flask-httpauth/app.py", &port.to_string()]),
                    Identity::ServerHeader("Werkzeug"),
                ),
                App::DjangoRestToken => {
                    let database = dir.join("db.sqlite3");
                    // A fresh database per start: the app creates its user and token at start-up.
                    let _ = std::fs::remove_file(&database);
                    let mut command = python(&["drf-token/app.py", &port.to_string()]);
                    command.arg(&database);
                    (
                        "django-rest-framework",
                        command,
                        Identity::ServerHeader("WSGIServer"),
                    )
                }
                App::FastApiJwt => (
                    "fastapi-jwt",
                    python(&["fastapi-jwt/app.py", "serve", &port.to_string()]),
                    Identity::ServerHeader("uvicorn"),
                ),
                App::ExpressPassport => (
                    "express-passport",
                    node(&["express-passport/app.js", &port.to_string()]),
                    Identity::Header("x-powered-by", "Express"),
                ),
            };
            let output_path = dir.join(format!("{name}.out"));
            // The app's source is its config; name it in a failure.
            let config_path = dir.join("app-source.txt");
            write_file(&config_path, format!("{command:?}\n").as_bytes());
            Launch {
                name,
                command,
                port,
                identity,
                start_timeout: APP_START_TIMEOUT,
                error_log_path: output_path.clone(),
                output_path,
                config_path,
            }
        });
        Self { server }
    }

    /// The full URL of `path`, e.g. `http://127.0.0.1:4321/api/me`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// What the app printed so far (its request log).
    pub fn output(&self) -> String {
        let Ok(entries) = std::fs::read_dir(self.server.root()) else {
            return String::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "out"))
            .map(|entry| self.server.read(&entry.file_name().to_string_lossy()))
            .collect()
    }
}

/// The claims of a JWT for the `FastAPI` app, made by the app's own `token` command (`PyJWT`).
#[derive(Clone, Debug)]
pub struct JwtClaims<'a> {
    /// The `kid` header: `k1` is the API's key, `k0` a retired key it no longer knows.
    pub kid: &'a str,
    /// `aud`.
    pub audience: &'a str,
    /// `iss`.
    pub issuer: &'a str,
    /// `exp` relative to now, in seconds (negative: already expired).
    pub expires_in_secs: i64,
    /// `scope`, space-separated.
    pub scope: &'a str,
}

impl Default for JwtClaims<'_> {
    /// A token the API accepts for `/api/me` (not for `/api/admin`).
    fn default() -> Self {
        Self {
            kid: "k1",
            audience: "authdoctor-api",
            issuer: "https://login.authdoctor.test/",
            expires_in_secs: 3600,
            scope: "read",
        }
    }
}

/// A signed JWT with these claims, made by `tests/apps/fastapi-jwt/app.py token`.
pub fn mint_jwt(claims: &JwtClaims<'_>) -> String {
    let mut command = python(&["fastapi-jwt/app.py", "token"]);
    command
        .args([
            "--kid",
            claims.kid,
            "--aud",
            claims.audience,
            "--iss",
            claims.issuer,
        ])
        .arg(format!("--expires-in={}", claims.expires_in_secs))
        .args(["--scope", claims.scope]);
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("cannot run the JWT minter: {error}"));
    assert!(
        output.status.success(),
        "the JWT minter failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Where the apps' sources are.
fn apps_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apps")
}

/// Where `scripts/test.sh` installs the apps' packages.
fn deps_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-deps")
}

/// `python tests/apps/ARGS…` run by the virtual environment that holds the apps' packages.
fn python(args: &[&str]) -> Command {
    let venv = deps_dir().join("venv");
    let program = venv.join("bin/python");
    assert!(
        program.exists() && venv.join("installed-requirements.txt").exists(),
        "the framework apps' Python packages are missing from {}: run scripts/test.sh, or \
         `python3 -m venv {venv} && {venv}/bin/python -m pip install -r tests/apps/requirements.txt`",
        venv.display(),
        venv = venv.display(),
    );
    let mut command = Command::new(program);
    command
        .current_dir(apps_dir())
        .args(args)
        // No __pycache__ in the source tree; output unbuffered so a failure shows the app's last words.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1");
    command
}

/// `node tests/apps/ARGS…` with the installed packages on its path.
fn node(args: &[&str]) -> Command {
    let program = super::require_program("node", "nodejs");
    let modules = deps_dir().join("node/node_modules");
    assert!(
        modules.join("passport-http-bearer").exists(),
        "the framework apps' npm packages are missing from {}: run scripts/test.sh, or copy \
         tests/apps/express-passport/package*.json to {} and run `npm ci` there",
        modules.display(),
        deps_dir().join("node").display()
    );
    let mut command = Command::new(program);
    command
        .current_dir(apps_dir())
        .args(args)
        .env("NODE_PATH", &modules);
    command
}
