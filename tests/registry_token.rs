//! The real Docker registry (Debian's `docker-registry`) in token mode, against a token service of
//! the test's: AuthDoctor performs the exchange as `docker login` does, and tells right details
//! with the rights, wrong details, and right details without the pull right apart.
#![expect(clippy::unwrap_used, reason = "tests")]
mod support;

use std::fmt::Write as _;

use sha2::{Digest as _, Sha256};
use support::{Account, ISSUER, Registry, SERVICE, SignIn, TokenService, check, password};

/// rhea may pull and push `team/app`; gus may only pull `other/app`.
static ACCOUNTS: &[Account] = &[
    Account {
        user: "rhea",
        password: "push-and-pull",
        rights: &[("team/app", &["pull", "push"])],
    },
    Account {
        user: "gus",
        password: "guest-pass",
        rights: &[("other/app", &["pull"])],
    },
];

const MANIFEST_PATH: &str = "/v2/team/app/manifests/latest";
/// What a client reads with the pull right: the repository's tags (the manifest itself would be
/// rewritten for a client that does not ask for its media type).
const TAGS_PATH: &str = "/v2/team/app/tags/list";

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::from("sha256:");
    for b in digest {
        let _ = write!(text, "{b:02x}");
    }
    text
}

/// Pushes a one-layer image `team/app:latest` as a client does: a push token from the token
/// service, each blob uploaded, then the manifest.
fn push_image(registry: &Registry, tokens: &TokenService) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut token_url = url::Url::parse(&tokens.realm()).unwrap();
        token_url
            .query_pairs_mut()
            .append_pair("service", SERVICE)
            .append_pair("scope", "repository:team/app:pull,push");
        let answer = client
            .get(token_url)
            .basic_auth("rhea", Some("push-and-pull"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        let token = answer["token"].as_str().unwrap().to_owned();
        let config =
            br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
        let layer = b"not really a tar, but the registry only checks its digest";
        for blob in [&config[..], &layer[..]] {
            let started = client
                .post(registry.url("/v2/team/app/blobs/uploads/"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(started.status().as_u16(), 202, "the upload starts");
            let location = started.headers()["location"].to_str().unwrap().to_owned();
            let location = url::Url::parse(&registry.url("/"))
                .unwrap()
                .join(&location)
                .unwrap();
            let mut upload = location.clone();
            upload
                .query_pairs_mut()
                .append_pair("digest", &sha256(blob));
            let done = client
                .put(upload)
                .bearer_auth(&token)
                .header("content-type", "application/octet-stream")
                .body(blob.to_vec())
                .send()
                .await
                .unwrap();
            assert_eq!(done.status().as_u16(), 201, "the blob is stored");
        }
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": config.len(),
                "digest": sha256(config),
            },
            "layers": [{
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": layer.len(),
                "digest": sha256(layer),
            }],
        });
        let stored = client
            .put(registry.url(MANIFEST_PATH))
            .bearer_auth(&token)
            .header(
                "content-type",
                "application/vnd.docker.distribution.manifest.v2+json",
            )
            .body(manifest.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(stored.status().as_u16(), 201, "the manifest is stored");
    });
}

fn registry_with_an_image() -> (Registry, TokenService) {
    let tokens = TokenService::start(ACCOUNTS);
    let registry = Registry::start_token(&tokens.realm(), SERVICE, ISSUER, &tokens.cert_pem);
    push_image(&registry, &tokens);
    (registry, tokens)
}

fn exchange_outcome(verdict: &support::Verdict) -> String {
    verdict.json["token_exchange"]["outcome"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_real_registry_without_details_explains_the_token_exchange() {
    let (registry, tokens) = registry_with_an_image();
    let before = tokens.requests().len();
    let verdict = check(&registry.url(TAGS_PATH), SignIn::Nothing);
    verdict.assert_likely_cause("token-exchange-required");
    assert_eq!(
        verdict.json["token_exchange"]["scope"],
        "repository:team/app:pull"
    );
    assert_eq!(
        tokens.requests().len(),
        before,
        "nothing went to the token service"
    );
}

#[test]
fn the_real_registry_with_the_right_details_and_pull_rights_lets_you_in() {
    let (registry, tokens) = registry_with_an_image();
    let verdict = check(&registry.url(TAGS_PATH), password("rhea", "push-and-pull"));
    verdict.assert_likely_cause("credentials-accepted");
    assert_eq!(exchange_outcome(&verdict), "accepted");
    assert_eq!(verdict.signed_in_status(), Some(200));
    let asked = tokens.requests();
    let last = asked.last().unwrap();
    assert!(
        last.path.contains("scope=repository%3Ateam%2Fapp%3Apull"),
        "the token was asked for the registry's scope: {}",
        last.path
    );
}

#[test]
fn the_real_registry_with_a_wrong_password_is_refused_at_the_token_service() {
    let (registry, _tokens) = registry_with_an_image();
    let verdict = check(&registry.url(TAGS_PATH), password("rhea", "pull-only"));
    verdict.assert_likely_cause("credentials-rejected");
    assert_eq!(exchange_outcome(&verdict), "details-refused");
    assert_eq!(verdict.json["token_exchange"]["token_status"], 401);
    verdict.assert_lacks("insufficient-scope");
}

#[test]
fn the_real_registry_with_right_details_but_no_pull_right_says_the_account_lacks_it() {
    let (registry, _tokens) = registry_with_an_image();
    let verdict = check(&registry.url(TAGS_PATH), password("gus", "guest-pass"));
    verdict.assert_likely_cause("insufficient-scope");
    assert_eq!(exchange_outcome(&verdict), "missing-rights");
    verdict.assert_lacks("credentials-rejected");
    assert_eq!(verdict.signed_in_status(), Some(401));
}

#[test]
fn the_real_registry_with_pull_rights_on_a_missing_repository_says_the_details_work() {
    let tokens = TokenService::start(ACCOUNTS);
    let registry = Registry::start_token(&tokens.realm(), SERVICE, ISSUER, &tokens.cert_pem);
    // Nothing was pushed: the registry answers 404 NAME_UNKNOWN once the token is accepted.
    let verdict = check(
        &registry.url("/v2/team/app/tags/list"),
        password("rhea", "push-and-pull"),
    );
    verdict.assert_lacks("credentials-rejected");
    verdict.assert_lacks("token-invalid");
    assert_eq!(verdict.signed_in_status(), Some(404));
}
