//! `authdoctor check` against small real framework apps (source in `tests/apps/`, packages from `PyPI` and
//! npm): Flask-HTTPAuth Digest and token, Django REST framework `TokenAuthentication`, `FastAPI` with `PyJWT`,
//! Express with passport. Each test asserts the likely cause of issue 12's cause model.

mod support;

use support::{
    App, AppServer, DRF_TOKEN, EXPRESS_PASSWORD, EXPRESS_TOKEN, EXPRESS_USER, FLASK_PASSWORD,
    FLASK_TOKEN, FLASK_USER, JwtClaims, SignIn, check, mint_jwt, password,
};

#[test]
fn flask_httpauth_digest_with_the_right_password_says_the_details_work() {
    let flask = AppServer::start(App::FlaskHttpAuth);
    // Flask-HTTPAuth checks the answer against the nonce it keeps in the session cookie of its 401.
    let verdict = check(&flask.url("/digest/"), password(FLASK_USER, FLASK_PASSWORD));
    assert_eq!(verdict.json["challenges"][0]["scheme"], "Digest");
    assert_eq!(verdict.json["credentials"]["scheme"], "Digest");
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn flask_httpauth_digest_with_a_wrong_password_is_credentials_rejected() {
    let flask = AppServer::start(App::FlaskHttpAuth);
    let verdict = check(
        &flask.url("/digest/"),
        password(FLASK_USER, "flask-wrong-pass"),
    );
    verdict.assert_likely_cause("credentials-rejected");
}

#[test]
fn flask_httpauth_token_with_the_right_token_says_it_works() {
    let flask = AppServer::start(App::FlaskHttpAuth);
    let verdict = check(&flask.url("/token/"), SignIn::Token(FLASK_TOKEN));
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn flask_httpauth_token_refused_is_never_said_to_work_nor_about_a_password() {
    let flask = AppServer::start(App::FlaskHttpAuth);
    let verdict = check(
        &flask.url("/token/"),
        SignIn::Token("flask-token-0000000000"),
    );
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_lacks("credentials-accepted");
    verdict.assert_likely_cause_is_not_about_a_password();
}

#[test]
fn django_rest_framework_token_is_sent_with_the_token_scheme_and_works() {
    let drf = AppServer::start(App::DjangoRestToken);
    let verdict = check(&drf.url("/api/me/"), SignIn::Token(DRF_TOKEN));
    assert_eq!(verdict.json["challenges"][0]["scheme"], "Token");
    assert_eq!(
        verdict.signed_in_status(),
        Some(200),
        "{}",
        verdict.summary()
    );
    verdict.assert_likely_cause("credentials-accepted");
    assert!(
        drf.output().contains("\"GET /api/me/ HTTP/1.1\" 200"),
        "DRF answered a signed-in request: {}",
        drf.output()
    );
}

#[test]
fn django_rest_framework_wrong_token_is_rejected_without_speaking_of_a_password() {
    let drf = AppServer::start(App::DjangoRestToken);
    let verdict = check(
        &drf.url("/api/me/"),
        SignIn::Token("ffffffffffffffffffffffffffffffffffffffff"),
    );
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("credentials-rejected");
    verdict.assert_likely_cause_is_not_about_a_password();
}

/// A JWT for the `FastAPI` app with `change` applied to the claims it accepts.
fn jwt(change: impl FnOnce(&mut JwtClaims<'static>)) -> String {
    let mut claims = JwtClaims::default();
    change(&mut claims);
    mint_jwt(&claims)
}

#[test]
fn fastapi_jwt_that_is_valid_says_it_works() {
    let api = AppServer::start(App::FastApiJwt);
    let verdict = check(&api.url("/api/me"), SignIn::Token(&jwt(|_| {})));
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn fastapi_jwt_that_expired_is_token_expired() {
    let api = AppServer::start(App::FastApiJwt);
    let token = jwt(|claims| claims.expires_in_secs = -3600);
    let verdict = check(&api.url("/api/me"), SignIn::Token(&token));
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("token-expired");
    verdict.assert_likely_cause_is_not_about_a_password();
}

#[test]
fn fastapi_jwt_for_another_audience_is_token_wrong_audience() {
    let api = AppServer::start(App::FastApiJwt);
    let token = jwt(|claims| claims.audience = "another-api");
    let verdict = check(&api.url("/api/me"), SignIn::Token(&token));
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("token-wrong-audience");
    verdict.assert_likely_cause_is_not_about_a_password();
}

#[test]
fn fastapi_jwt_from_another_issuer_is_token_wrong_issuer() {
    let api = AppServer::start(App::FastApiJwt);
    let token = jwt(|claims| claims.issuer = "https://login.elsewhere.test/");
    let verdict = check(&api.url("/api/me"), SignIn::Token(&token));
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("token-wrong-issuer");
    verdict.assert_likely_cause_is_not_about_a_password();
}

#[test]
fn fastapi_jwt_signed_by_a_key_the_api_does_not_know_is_token_signing_key_unknown() {
    let api = AppServer::start(App::FastApiJwt);
    let token = jwt(|claims| claims.kid = "k0");
    let verdict = check(&api.url("/api/me"), SignIn::Token(&token));
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_likely_cause("token-signing-key-unknown");
    verdict.assert_likely_cause_is_not_about_a_password();
}

#[test]
fn fastapi_jwt_without_the_scope_a_page_needs_is_insufficient_scope_on_its_403() {
    let api = AppServer::start(App::FastApiJwt);
    let verdict = check(&api.url("/api/admin"), SignIn::Token(&jwt(|_| {})));
    assert_eq!(verdict.signed_in_status(), Some(403));
    verdict.assert_likely_cause("insufficient-scope");
    verdict.assert_lacks("credentials-accepted");
}

#[test]
fn express_passport_basic_with_the_right_password_says_the_details_work() {
    let express = AppServer::start(App::ExpressPassport);
    let verdict = check(
        &express.url("/basic/"),
        password(EXPRESS_USER, EXPRESS_PASSWORD),
    );
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn express_passport_basic_with_a_wrong_password_is_credentials_rejected() {
    let express = AppServer::start(App::ExpressPassport);
    let verdict = check(
        &express.url("/basic/"),
        password(EXPRESS_USER, "passport-nope"),
    );
    verdict.assert_likely_cause("credentials-rejected");
}

#[test]
fn express_passport_bearer_with_the_right_token_says_it_works() {
    let express = AppServer::start(App::ExpressPassport);
    let verdict = check(&express.url("/bearer/"), SignIn::Token(EXPRESS_TOKEN));
    assert_eq!(verdict.signed_in_status(), Some(200));
    verdict.assert_likely_cause("credentials-accepted");
}

#[test]
fn express_passport_bearer_with_a_wrong_token_is_rejected_without_speaking_of_a_password() {
    let express = AppServer::start(App::ExpressPassport);
    let verdict = check(
        &express.url("/bearer/"),
        SignIn::Token("express-token-nope"),
    );
    assert_eq!(verdict.signed_in_status(), Some(401));
    verdict.assert_lacks("credentials-accepted");
    verdict.assert_lacks("authorization-not-passed");
    verdict.assert_likely_cause_is_not_about_a_password();
}
