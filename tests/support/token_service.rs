//! A registry token service of our own on loopback, as the Docker registry's token authentication
//! expects one: `GET /token?service=…&scope=…` with Basic sign-in answers `{"token": JWT}`, the JWT
//! signed RS256 with a self-signed certificate (sent in the `x5c` header) whose PEM the registry
//! trusts. Each user is granted the actions listed for them, never more than asked.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use rcgen::{CertificateParams, KeyPair, PKCS_RSA_SHA256, SigningKey as _};

use super::server::{Reply, Request, TestServer};

/// The issuer the registry is told to trust.
pub const ISSUER: &str = "authdoctor-test-issuer";
/// The service name the registry announces.
pub const SERVICE: &str = "authdoctor-registry";

/// One account of the token service: name, password, and the actions it may have per repository.
#[derive(Clone, Debug)]
pub struct Account {
    /// User name.
    pub user: &'static str,
    /// Password.
    pub password: &'static str,
    /// (repository, actions) it may be granted.
    pub rights: &'static [(&'static str, &'static [&'static str])],
}

/// A running token service; dropping it stops it.
pub struct TokenService {
    server: TestServer,
    /// The PEM of the certificate the tokens are signed with, for the registry's rootcertbundle.
    pub cert_pem: String,
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn basic_user(request: &Request) -> Option<(String, String)> {
    let value = request.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

fn query_values(path: &str, name: &str) -> Vec<String> {
    let query = path.split_once('?').map(|(_, q)| q).unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

impl TokenService {
    /// Starts the service with these accounts.
    pub fn start(accounts: &'static [Account]) -> Self {
        let key =
            KeyPair::generate_for(&PKCS_RSA_SHA256).expect("an RSA key for the token service");
        let mut params = CertificateParams::new(vec!["authdoctor-token-service".to_owned()])
            .expect("certificate parameters");
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2099, 1, 1);
        let cert = params.self_signed(&key).expect("a self-signed certificate");
        let cert_pem = cert.pem();
        let x5c = base64::engine::general_purpose::STANDARD.encode(cert.der());
        let key = Arc::new(key);
        let server = TestServer::start(move |request| {
            let Some((user, password)) = basic_user(request) else {
                return Reply::status(401)
                    .header("WWW-Authenticate", "Basic realm=\"token\"")
                    .body("{\"details\":\"no credentials\"}");
            };
            let Some(account) = accounts
                .iter()
                .find(|a| a.user == user && a.password == password)
            else {
                return Reply::status(401)
                    .header("Content-Type", "application/json")
                    .body("{\"details\":\"incorrect username or password\"}");
            };
            let service = query_values(&request.path, "service");
            let mut access = Vec::new();
            for scope in query_values(&request.path, "scope") {
                let parts: Vec<&str> = scope.splitn(3, ':').collect();
                let [kind, name, actions] = parts[..] else {
                    continue;
                };
                let allowed: Vec<&str> = account
                    .rights
                    .iter()
                    .filter(|(repo, _)| *repo == name)
                    .flat_map(|(_, a)| a.iter().copied())
                    .collect();
                let granted: Vec<&str> =
                    actions.split(',').filter(|a| allowed.contains(a)).collect();
                access.push(serde_json::json!({"type": kind, "name": name, "actions": granted}));
            }
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("a clock after 1970")
                .as_secs();
            let header = serde_json::json!({"typ": "JWT", "alg": "RS256", "x5c": [x5c]});
            let claims = serde_json::json!({
                "iss": ISSUER,
                "sub": account.user,
                "aud": service.first().cloned().unwrap_or_default(),
                "exp": now + 300,
                "nbf": now - 10,
                "iat": now,
                "jti": format!("{now}-{}", account.user),
                "access": access,
            });
            let signing_input = format!(
                "{}.{}",
                b64url(header.to_string().as_bytes()),
                b64url(claims.to_string().as_bytes())
            );
            let signature = key.sign(signing_input.as_bytes()).expect("RS256 signature");
            let token = format!("{signing_input}.{}", b64url(&signature));
            Reply::ok(serde_json::json!({"token": token, "expires_in": 300}).to_string())
                .header("Content-Type", "application/json")
        });
        Self { server, cert_pem }
    }

    /// The token address on `127.0.0.1`.
    pub fn realm(&self) -> String {
        self.server.url("/token")
    }

    /// The same token address named `localhost` (another host to the check).
    pub fn realm_on_localhost(&self) -> String {
        format!("http://localhost:{}/token", self.server.port())
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// Every request it received.
    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }
}
