//! Who answered: the server software, WordPress, security plugins, firewalls (WAFs), CDNs and
//! hosting panels, recognised from the headers, cookie names and bodies of answers already
//! received, plus a few harmless GETs the caller may make ([`harmless_probe_paths`]).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::engine::finding::{Code, Finding};
use crate::engine::probe::Exchange;
use crate::engine::text::{find_word, scan_body, shorten, snippet_around};

mod blocks;
mod rules;
mod wordpress;

use blocks::{block_details, cdn_finding, plugin_folder, security_plugin_finding, waf_finding};
pub use rules::*;
use wordpress::{RestCode, application_passwords_offered, rest_code, wordpress_finding};

pub(crate) use blocks::reference_after;
pub(crate) use rules::shows_cache;

/// The most pieces of evidence kept for one detection.
const MAX_EVIDENCE: usize = 6;
/// Bodies longer than this are not parsed as JSON.
const MAX_JSON_BYTES: usize = 64 * 1024;

/// One thing recognised, with the headers or texts it rests on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detected {
    /// What it is ("nginx", "WordPress", "Cloudflare").
    pub name: String,
    /// (where, what): `("Server", "cloudflare")`, `("Page text (/wp-login.php)", "…")`.
    /// Cookie values and other secrets are never included, only cookie names.
    pub evidence: Vec<(String, String)>,
}

/// Everything recognised about the site and what sits in front of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The web server software, when it shows itself.
    pub server: Option<Detected>,
    /// The content management system (WordPress, Drupal, Joomla).
    pub cms: Option<Detected>,
    /// Security plugins and firewalls (WAFs).
    pub protections: Vec<Detected>,
    /// Content delivery networks in front of the site.
    pub cdns: Vec<Detected>,
    /// Hosting control panels (cPanel, Plesk, `DirectAdmin`).
    pub panels: Vec<Detected>,
    /// `wordpress-detected`, `security-plugin-block`, `waf-block`, `cdn-in-front`.
    pub findings: Vec<Finding>,
}

/// The only extra requests the caller may make for a fingerprint: plain GETs, no sign-in, no
/// parameters. Their answers go into `extra` of [`fingerprint`].
#[must_use]
pub fn harmless_probe_paths() -> &'static [&'static str] {
    &["/wp-json/", "/wp-login.php", "/robots.txt"]
}

/// True when the answers hint at WordPress or PHP (a `wp-` path or page text, the REST API
/// link, a PHP header, a WordPress cookie): only then are [`harmless_probe_paths`] worth asking.
#[must_use]
pub fn hints_at_wordpress(exchanges: &[Exchange]) -> bool {
    exchanges.iter().any(|e| {
        let lower = |v: &str| v.to_ascii_lowercase();
        e.url.contains("/wp-")
            || e.headers.iter().any(|h| {
                let v = lower(&h.value);
                v.contains("wp-")
                    || v.contains("wordpress")
                    || (h.name == "x-powered-by" && v.contains("php"))
            })
            || {
                let body = lower(&e.body_excerpt);
                body.contains("wp-content")
                    || body.contains("wp-login")
                    || body.contains("wordpress")
                    || body.contains("wp-json")
            }
    })
}

#[cfg(test)]
mod tests;
