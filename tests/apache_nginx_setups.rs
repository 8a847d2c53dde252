//! `authdoctor check` against real Apache httpd and nginx set up the way sites are: php-cgi behind Apache
//! with and without `CGIPassAuth`, an authorization rule the signed-in user does not meet, a missing
//! password file, a sign-in that redirects to a page asking again, and nginx with `auth_request` in front
//! of a `proxy_cache`. Each test asserts the likely cause of issue 12's cause model.
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::{Apache, ApacheSetup, Nginx, NginxSetup, Reply, SignIn, TestServer, check, password};

/// The WordPress-REST-like PHP endpoint run by php-cgi.
const PHP_REST: &str = include_str!("apps/php-rest/index.php");

/// Whether Apache hands the `Authorization` header to CGI scripts.
#[derive(Clone, Copy)]
enum CgiPassAuth {
    /// Apache's default: CGI scripts never see the header.
    Off,
    /// `CGIPassAuth On` where the CGI program lives.
    On,
}

/// Apache running `/wp-json/wp/v2/users/me` through php-cgi (`mod_cgid` + `mod_actions`, as Debian's
/// `php-cgi` set-up does), the WordPress way: a `.htaccess` sends every path to `index.php`.
/// `CGIPassAuth` goes in the `<Directory>` of the CGI program: the handler runs there, so a `.htaccess`
/// beside the PHP file would not reach it.
fn apache_with_php_cgi(pass_auth: CgiPassAuth) -> Apache {
    let pass_auth = match pass_auth {
        CgiPassAuth::Off => "",
        CgiPassAuth::On => "    CGIPassAuth On\n",
    };
    support::require_program("php-cgi", "php-cgi");
    Apache::start(
        ApacheSetup::new()
            .file("wp-json/index.php", PHP_REST)
            .file(
                "wp-json/.htaccess",
                "DirectoryIndex index.php\n\
                 RewriteEngine On\n\
                 RewriteCond %{REQUEST_FILENAME} !-f\n\
                 RewriteRule ^ index.php [L]\n",
            )
            .directives(&format!(
                r#"LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so
LoadModule actions_module /usr/lib/apache2/modules/mod_actions.so
ScriptSock "${{ROOT}}/run/cgid.sock"
ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/
<Directory /usr/lib/cgi-bin>
    Options +ExecCGI
{pass_auth}    Require all granted
</Directory>
<FilesMatch "\.php$">
    SetHandler application/x-httpd-php
</FilesMatch>
Action application/x-httpd-php /cgi-bin/php
"#
            )),
    )
}

const WP_ME: &str = "/wp-json/wp/v2/users/me";

#[test]
fn php_cgi_without_cgipassauth_never_sees_the_password_and_says_authorization_not_passed() {
    let apache = apache_with_php_cgi(CgiPassAuth::Off);
    let verdict = check(&apache.url(WP_ME), password("dora", "abcd efgh ijkl mnop"));
    // The right application password, but Apache's CGI drops the Authorization header.
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("authorization-not-passed");
    verdict.assert_lacks("credentials-accepted");
}

#[test]
fn php_cgi_with_cgipassauth_and_the_right_password_says_the_details_work() {
    let apache = apache_with_php_cgi(CgiPassAuth::On);
    let verdict = check(&apache.url(WP_ME), password("dora", "abcd efgh ijkl mnop"));
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn php_cgi_with_cgipassauth_and_a_wrong_password_is_credentials_rejected() {
    let apache = apache_with_php_cgi(CgiPassAuth::On);
    let verdict = check(&apache.url(WP_ME), password("dora", "zzzz zzzz zzzz zzzz"));
    verdict.assert_likely_cause("credentials-rejected");
    verdict.assert_lacks("authorization-not-passed");
}

#[test]
fn apache_require_user_bob_refuses_alice_with_her_right_password_as_signed_in_but_forbidden() {
    // `AuthzSendForbiddenOnFailure On` makes Apache answer 403 (not another 401) when the password is
    // right but the `Require` rule is not met; without it the answer cannot be told from a wrong password.
    let apache = Apache::start(
        ApacheSetup::new()
            .basic_user("alice", "wonderland-42")
            .basic_user("bob", "builder-77")
            .file("team/index.html", "bob's page\n")
            .directives(&format!(
                r#"<Directory "${{DOCROOT}}/team">
    AuthType Basic
    AuthName "{realm}"
    AuthUserFile "${{ROOT}}/htpasswd"
    Require user bob
    AuthzSendForbiddenOnFailure On
</Directory>"#,
                realm = Apache::BASIC_REALM
            )),
    );
    let verdict = check(&apache.url("/team/"), password("alice", "wonderland-42"));
    assert_eq!(verdict.signed_in_status(), Some(403));
    verdict.assert_likely_cause("signed-in-but-forbidden");
    verdict.assert_lacks("credentials-accepted");
}

#[test]
fn apache_with_a_missing_password_file_is_a_server_error_after_sign_in() {
    let apache = Apache::start(
        ApacheSetup::new()
            .file("broken/index.html", "never served\n")
            .directives(
                r#"<Directory "${DOCROOT}/broken">
    AuthType Basic
    AuthName "AuthDoctor Broken"
    AuthUserFile "${ROOT}/no-such-htpasswd"
    Require valid-user
</Directory>"#,
            ),
    );
    let without = check(&apache.url("/broken/"), SignIn::Nothing);
    assert_eq!(without.json["status"], 401, "{}", without.summary());
    let verdict = check(&apache.url("/broken/"), password("alice", "wonderland-42"));
    assert_eq!(verdict.signed_in_status(), Some(500));
    verdict.assert_likely_cause("server-error-after-sign-in");
    verdict.assert_lacks("credentials-accepted");
    verdict.assert_lacks("credentials-rejected");
    assert!(
        apache.error_log().contains("no-such-htpasswd"),
        "Apache logged the missing file"
    );
}

#[test]
fn apache_sign_in_that_redirects_to_a_page_asking_again_is_not_credentials_accepted() {
    // /app/ takes alice's password, then sends her on to /vault/, whose own password file lacks her.
    let apache = Apache::start(
        ApacheSetup::new()
            .basic_user("alice", "wonderland-42")
            .file(
                "app/.htaccess",
                format!(
                    "AuthType Basic\nAuthName \"{realm}\"\nAuthUserFile \"{root}/htpasswd\"\n\
                     Require valid-user\nRewriteEngine On\nRewriteRule ^ /vault/ [R=302,L]\n",
                    realm = Apache::BASIC_REALM,
                    root = "${ROOT}",
                ),
            )
            .file("vault/index.html", "vault\n")
            .file(
                "vault/.htaccess",
                "AuthType Basic\nAuthName \"AuthDoctor Vault\"\nAuthUserFile \"${ROOT}/htdigest\"\n\
                 Require valid-user\n",
            ),
    );
    let verdict = check(&apache.url("/app/"), password("alice", "wonderland-42"));
    verdict.assert_lacks("credentials-accepted");
    assert_ne!(
        verdict.likely_cause(),
        "credentials-accepted",
        "{}",
        verdict.summary()
    );
    assert_ne!(
        verdict.json["credentials"]["accepted"],
        true,
        "the signed-in chain ends in a 401: {}",
        verdict.summary()
    );
}

/// nginx guarding `/app/` with `auth_request`, asking an auth service (a real Apache whose `/secret/`
/// checks Basic passwords) for every request, and caching what the backend answers for 10 minutes,
/// whatever its status. The 401 of the auth service, challenge included, is what the user sees.
struct Gateway {
    nginx: Nginx,
    _auth_service: Apache,
}

fn gateway_to(backend: &TestServer) -> Gateway {
    let auth_service = Apache::start(ApacheSetup::new().basic_user("nina", "gateway-open"));
    let nginx = Nginx::start(
        NginxSetup::new()
            .caching_proxy_to(&backend.url(""))
            .server_directives(&format!(
                r#"location /app/ {{
            auth_request /_gateway_auth;
            proxy_pass {backend};
            proxy_cache authdoctor;
            proxy_cache_valid any 10m;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
        location = /_gateway_auth {{
            internal;
            proxy_pass {auth};
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }}"#,
                backend = backend.url("").trim_end_matches('/'),
                auth = auth_service.url("/secret/"),
            )),
    );
    Gateway {
        nginx,
        _auth_service: auth_service,
    }
}

#[test]
fn nginx_auth_request_with_the_right_password_says_the_details_work() {
    let backend = TestServer::start(|_| Reply::ok("app page"));
    let gateway = gateway_to(&backend);
    let without = check(&gateway.nginx.url("/app/"), SignIn::Nothing);
    assert_eq!(
        without.json["challenges"][0]["params"]["realm"],
        Apache::BASIC_REALM
    );
    let verdict = check(
        &gateway.nginx.url("/app/"),
        password("nina", "gateway-open"),
    );
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn nginx_auth_request_with_a_wrong_password_is_credentials_rejected() {
    let backend = TestServer::start(|_| Reply::ok("app page"));
    let gateway = gateway_to(&backend);
    let verdict = check(
        &gateway.nginx.url("/app/"),
        password("nina", "gateway-shut"),
    );
    verdict.assert_likely_cause("credentials-rejected");
    assert!(
        !backend
            .requests()
            .iter()
            .any(|request| request.path.starts_with("/app/")),
        "nginx never let the request through"
    );
}

#[test]
fn nginx_proxy_cache_serving_a_stored_401_to_a_signed_in_user_is_cached_401() {
    // The backend refused once (it was restarting); nginx cached that 401 for everyone, signed in or not.
    let served = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&served);
    let backend = TestServer::start(move |request| {
        if request.path == "/app/" && counter.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::status(401)
                .header("WWW-Authenticate", "Bearer realm=\"app\"")
                .body("session expired")
        } else {
            Reply::ok("app page")
        }
    });
    let gateway = gateway_to(&backend);
    let first = check(
        &gateway.nginx.url("/app/"),
        password("nina", "gateway-open"),
    );
    assert!(served.load(Ordering::SeqCst) >= 1, "{}", first.summary());
    let verdict = check(
        &gateway.nginx.url("/app/"),
        password("nina", "gateway-open"),
    );
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("cached-401");
    verdict.assert_lacks("credentials-accepted");
    verdict.assert_lacks("credentials-rejected");
}
