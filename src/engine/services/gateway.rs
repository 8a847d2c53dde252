//! API gateways (AWS API Gateway, Kong, Azure API Management, Supabase) that refuse a call before
//! it reaches the application, and what they read the key or token from.

use crate::engine::finding::{Code, Finding};
use crate::engine::probe::Exchange;
use crate::engine::text::{scan_body, shorten};

/// An API gateway's refusal, with what the gateway reads the key or token from.
pub(super) struct Gateway {
    name: &'static str,
    /// What it said, in its own words.
    said: String,
    /// Where the gateway reads the key or token.
    reads: &'static str,
    steps: Vec<String>,
}

pub(super) fn api_gateway(e: &Exchange) -> Option<Gateway> {
    if !matches!(e.status, 401 | 403 | 500) {
        return None;
    }
    let (lower, _) = scan_body(e);
    let message = json_message(e).unwrap_or_default();
    let said = if message.is_empty() {
        shorten(e.body_excerpt.trim(), 160)
    } else {
        message.clone()
    };
    let error_type = e.header("x-amzn-errortype").unwrap_or_default();
    let aws = !error_type.is_empty()
        || e.header("x-amz-apigw-id").is_some()
        || e.header("apigw-requestid").is_some();
    if aws
        && (error_type.starts_with("UnauthorizedException")
            || error_type.starts_with("AuthorizerConfigurationException")
            || error_type.starts_with("AccessDeniedException")
            || error_type.starts_with("MissingAuthenticationTokenException")
            || error_type.starts_with("IncompleteSignatureException")
            || message == "Unauthorized")
    {
        let kind = error_type.split(':').next().unwrap_or_default();
        let mut steps = vec![
            "Send the token in the header the API's authorizer reads: for a Cognito or JWT authorizer that is Authorization (the bare token, or Bearer TOKEN for HTTP APIs); a Lambda authorizer names its own header (its \"identity source\").".to_owned(),
            "Check that the token is the kind the authorizer expects (an ID token for a Cognito user pool authorizer on a REST API unless scopes are set, an access token with the right scopes otherwise) and has not expired.".to_owned(),
        ];
        if kind == "AuthorizerConfigurationException" {
            steps.insert(
                0,
                "The API's authorizer itself failed (AuthorizerConfigurationException): whoever runs the API must look at the authorizer's logs in CloudWatch; no change on your side can fix it.".to_owned(),
            );
        }
        if kind == "MissingAuthenticationTokenException" {
            steps.insert(
                0,
                "\"Missing Authentication Token\" also means the path or method does not exist in this API: check the address and the stage name in it first.".to_owned(),
            );
        }
        steps.push("If you run the API, its CloudWatch execution logs show why the authorizer refused this request (search for the request ID below).".to_owned());
        return Some(Gateway {
            name: "AWS API Gateway",
            said: if kind.is_empty() {
                said
            } else {
                format!("{kind}: {said}")
            },
            reads: "Authorization (or the header named by the API's authorizer)",
            steps,
        });
    }
    let server = e.header("server").unwrap_or_default().to_ascii_lowercase();
    let kong = server.starts_with("kong")
        || e.header("x-kong-response-latency").is_some()
        || e.header("x-kong-request-id").is_some()
        || e.headers_named("www-authenticate")
            .any(|v| v.to_ascii_lowercase().contains("realm=\"kong\""));
    if kong
        && (lower.contains("no api key found in request")
            || lower.contains("invalid authentication credentials")
            || lower.contains("unauthorized"))
    {
        return Some(Gateway {
            name: "Kong",
            said,
            reads: "the apikey header or the apikey address parameter (key-auth's default key_names)",
            steps: vec![
                "Send the API key in the apikey header (or ?apikey= in the address) unless the API's owner named another header: Kong's key-auth does not read Authorization: Bearer.".to_owned(),
                "\"Invalid authentication credentials\" means the key arrived but Kong knows no consumer with it: check for a copy-paste mistake, or ask for a new key.".to_owned(),
                "If you run Kong, check the key-auth plugin's key_names and that the consumer has this key (GET /consumers/NAME/key-auth on the Admin API).".to_owned(),
            ],
        });
    }
    let apim = lower.contains("subscription key")
        && (lower.contains("access denied due to")
            || e.header("ocp-apim-trace-location").is_some()
            || e.header("apim-request-id").is_some()
            || lower.contains("statuscode"));
    if apim {
        return Some(Gateway {
            name: "Azure API Management",
            said,
            reads: "the Ocp-Apim-Subscription-Key header or the subscription-key address parameter",
            steps: vec![
                "Send your subscription key in the Ocp-Apim-Subscription-Key header (or ?subscription-key= in the address); you find it in the API's developer portal under your profile.".to_owned(),
                "\"Invalid subscription key\" means the key is wrong, or the subscription is not active for the product that contains this API: check it in the developer portal, or regenerate it.".to_owned(),
                "If you run API Management, check the product's subscription requirement and the subscription's state in the Azure portal.".to_owned(),
            ],
        });
    }
    if lower.contains("no `apikey` request header or url param was found")
        || lower.contains("no apikey request header or url param was found")
        || (lower.contains("no api key found in request") && lower.contains("apikey"))
        || (lower.contains("invalid api key") && lower.contains("supabase"))
    {
        return Some(Gateway {
            name: "Supabase",
            said,
            reads: "the apikey header (the project's anon or publishable key), with Authorization: Bearer for a signed-in user",
            steps: vec![
                "Send the project's anon (publishable) key in the apikey header on every request; the supabase client libraries do this when they are created with the project's address and key.".to_owned(),
                "For a signed-in user, also send the user's access token as Authorization: Bearer; the apikey header is needed either way.".to_owned(),
                "Find the keys in the Supabase dashboard → Project Settings → API Keys.".to_owned(),
            ],
        });
    }
    None
}

/// The `message` (or `msg`, `error`) of a JSON body.
fn json_message(e: &Exchange) -> Option<String> {
    if e.body_excerpt.len() > 16 * 1024 {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(e.body_excerpt.trim()).ok()?;
    ["message", "msg", "error", "Message"]
        .iter()
        .find_map(|k| value.get(*k).and_then(serde_json::Value::as_str))
        .map(|s| shorten(s, 200))
}

pub(super) fn gateway_finding(g: &Gateway, e: &Exchange) -> Finding {
    let mut f = Finding::new(
        Code::ApiGatewayRejects,
        format!(
            "{} answered for the API and refused the call before it reached the application \
             behind it: \"{}\". The gateway reads the key or token from {}.",
            g.name, g.said, g.reads
        ),
    )
    .title(format!(
        "{} refuses the call before the application",
        g.name
    ))
    .steps(g.steps.clone())
    .evidence("Gateway", g.name)
    .evidence("Status", e.status.to_string())
    .evidence("It said", g.said.clone())
    .evidence("Reads the key from", g.reads);
    if let Some(t) = e.header("x-amzn-errortype") {
        f = f.evidence("x-amzn-ErrorType", t.to_owned());
    }
    f
}

/// Request headers with an underscore in their name, which nginx and Apache drop by default.
pub(super) fn underscore_headers(e: &Exchange) -> Vec<String> {
    e.request_headers
        .iter()
        .filter(|h| h.name.contains('_'))
        .map(|h| h.name.clone())
        .collect()
}
