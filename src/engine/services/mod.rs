//! The services that answer for a site today, recognised from answers already received: identity-
//! aware proxies (Cloudflare Access, oauth2-proxy, Google IAP, Azure App Service authentication,
//! Vercel), API gateways (AWS API Gateway, Kong, Azure API Management, Supabase), Microsoft 365 and
//! Entra sign-in errors, and the reference numbers a helpdesk hands to the site's owner.

mod gateway;
mod identity_proxy;
mod microsoft;
mod references;
#[cfg(test)]
mod tests;

use url::Url;

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::probe::Exchange;
use gateway::{api_gateway, gateway_finding, underscore_headers};
use identity_proxy::{identity_proxy, identity_proxy_finding};
pub use microsoft::basic_retired;
use microsoft::microsoft_findings;
pub use references::{Reference, References, references};

fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// The findings of this module for a recorded or live chain.
#[must_use]
pub fn findings(exchanges: &[Exchange]) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(proxy) = identity_proxy(exchanges) {
        out.push(identity_proxy_finding(&proxy));
    }
    if let Some(last) = exchanges.last() {
        if let Some(g) = api_gateway(last) {
            let mut f = gateway_finding(&g, last);
            for name in underscore_headers(last) {
                f = f.first_step(format!(
                    "The request carried the header {name}, whose name has an underscore: nginx and Apache drop such headers by default (nginx: underscores_in_headers off), so the gateway or the application may never see it. Use a dash instead (for example {}), or, if you run the server, allow underscores.",
                    name.replace('_', "-")
                ));
            }
            out.push(f);
        }
        out.extend(microsoft_findings(last));
    }
    out
}

/// After the signed-in test: a proxy or gateway that let the user's details through is background,
/// and a 401 without a challenge from one of them is explained by it.
pub fn settle(findings: &mut [Finding], signed_in_accepted: bool) {
    let front = [Code::IdentityProxy, Code::ApiGatewayRejects];
    if signed_in_accepted {
        for f in findings.iter_mut().filter(|f| front.contains(&f.code)) {
            f.severity = Severity::Info;
        }
    }
    let explained = findings
        .iter()
        .any(|f| front.contains(&f.code) && f.severity <= Severity::Warning);
    if explained {
        for f in findings
            .iter_mut()
            .filter(|f| f.code == Code::MissingChallenge)
        {
            f.severity = Severity::Info;
            f.detail.push_str(
                " Here that is how the proxy or API gateway in front of the site answers: it is \
                 explained by the finding about it.",
            );
        }
    }
}
