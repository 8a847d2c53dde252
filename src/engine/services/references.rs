//! The reference numbers a helpdesk hands to the site's owner (Ray IDs, request IDs, incident
//! numbers), with the site's time and the public address the site saw.

use serde::{Deserialize, Serialize};

use crate::engine::probe::Exchange;
use crate::engine::serverside;
use crate::engine::text::{scan_body, shorten};

/// The most reference numbers kept from one check.
const MAX_REFERENCES: usize = 12;

/// A reference number an answer carried, for the site's owner to find the request in their logs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What it is ("Cloudflare Ray ID").
    pub label: String,
    /// The number or code itself (never a secret).
    pub value: String,
    /// Where it was read: the header's name, or "page text".
    pub source: String,
    /// The address whose answer carried it.
    pub url: String,
    /// That answer's status.
    pub status: u16,
    /// That answer's `Date`, as the site's clock said it.
    #[serde(default)]
    pub date: Option<String>,
}

/// What to hand on to the site's owner: reference numbers, the time and this computer's public
/// address as the site saw them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct References {
    /// The reference numbers, the final answer's first.
    pub items: Vec<Reference>,
    /// The time of the final answer by the site's clock (its `Date` header).
    #[serde(default)]
    pub site_time: Option<String>,
    /// This computer's public address as the site saw it, when a header or the page names it.
    #[serde(default)]
    pub public_ip: Option<String>,
    /// Where that address was read.
    #[serde(default)]
    pub public_ip_source: Option<String>,
}

impl References {
    /// True when there is nothing to hand on.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.public_ip.is_none()
    }
}

/// Headers that carry a request's reference number, and what each is called.
const REFERENCE_HEADERS: &[(&str, &str)] = &[
    ("cf-ray", "Cloudflare Ray ID"),
    ("x-amz-cf-id", "Amazon CloudFront request ID"),
    ("x-amzn-requestid", "AWS request ID"),
    ("x-amz-apigw-id", "AWS API Gateway ID"),
    ("apigw-requestid", "AWS API Gateway request ID"),
    ("x-amz-request-id", "Amazon S3 request ID"),
    ("x-amzn-trace-id", "AWS trace ID"),
    ("x-ms-request-id", "Microsoft request ID"),
    ("request-id", "Request ID"),
    ("x-ms-correlation-request-id", "Azure correlation ID"),
    ("x-azure-ref", "Azure Front Door reference"),
    ("x-msedge-ref", "Microsoft edge reference"),
    ("apim-request-id", "Azure API Management request ID"),
    ("x-request-id", "Request ID"),
    ("x-correlation-id", "Correlation ID"),
    ("x-sucuri-id", "Sucuri ID"),
    ("x-iinfo", "Imperva reference"),
    ("x-vercel-id", "Vercel request ID"),
    ("x-kong-request-id", "Kong request ID"),
    ("fly-request-id", "Fly.io request ID"),
    ("x-github-request-id", "GitHub request ID"),
    ("x-cloud-trace-context", "Google Cloud trace ID"),
];

/// Page texts that come right before a reference number, and what each is called.
const REFERENCE_LEADS: &[(&str, &str)] = &[
    ("reference&#32;&#35;", "Akamai reference"),
    ("reference #", "Akamai reference"),
    ("incapsula incident id:", "Imperva incident ID"),
    ("incident id:", "Incident ID"),
    ("ray id:", "Cloudflare Ray ID"),
    ("block id:", "Sucuri block ID"),
    ("trace id:", "Microsoft trace ID"),
    ("correlation id:", "Microsoft correlation ID"),
    ("\"trace_id\":\"", "Microsoft trace ID"),
    ("\"correlation_id\":\"", "Microsoft correlation ID"),
    ("support id is:", "Support ID"),
];

/// The reference numbers of a chain, the final answer first, with the site's time and the public
/// address the site saw.
#[must_use]
pub fn references(exchanges: &[Exchange]) -> References {
    let mut out = References::default();
    for e in exchanges.iter().rev() {
        let date = e.header("date").map(str::to_owned);
        let mut add = |label: &str, value: String, source: &str| {
            let value = shorten(value.trim(), 120);
            if value.len() < 3 || out.items.iter().any(|r| r.value == value) {
                return;
            }
            if out.items.len() < MAX_REFERENCES {
                out.items.push(Reference {
                    label: label.to_owned(),
                    value,
                    source: source.to_owned(),
                    url: e.url.clone(),
                    status: e.status,
                    date: date.clone(),
                });
            }
        };
        for (name, label) in REFERENCE_HEADERS {
            if let Some(v) = e.header(name) {
                add(label, v.to_owned(), name);
            }
        }
        let (lower, body) = scan_body(e);
        for (lead, label) in REFERENCE_LEADS {
            if let Some(found) = crate::engine::fingerprint::reference_after(&lower, body, &[lead])
            {
                add(label, found, "page text");
            }
        }
    }
    out.site_time = exchanges
        .last()
        .and_then(|e| e.header("date"))
        .map(str::to_owned);
    if let Some(seen) = serverside::seen_ip(exchanges) {
        out.public_ip = Some(seen.ip);
        out.public_ip_source = Some(seen.source);
    }
    out
}
