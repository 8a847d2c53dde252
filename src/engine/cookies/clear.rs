//! Clearing one site's cookies, step by step for each browser.

use super::*;

/// A browser the clearing steps are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Browser {
    /// Google Chrome on a computer.
    Chrome,
    /// Microsoft Edge on a computer.
    Edge,
    /// Mozilla Firefox on a computer.
    Firefox,
    /// Safari on a Mac.
    Safari,
    /// Chrome on an Android phone or tablet.
    ChromeAndroid,
    /// Safari on an iPhone or iPad.
    SafariIphone,
}

impl Browser {
    /// Every browser with steps.
    pub const ALL: [Browser; 6] = [
        Browser::Chrome,
        Browser::Edge,
        Browser::Firefox,
        Browser::Safari,
        Browser::ChromeAndroid,
        Browser::SafariIphone,
    ];

    /// The browser's name as people know it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Browser::Chrome => "Chrome",
            Browser::Edge => "Microsoft Edge",
            Browser::Firefox => "Firefox",
            Browser::Safari => "Safari on a Mac",
            Browser::ChromeAndroid => "Chrome on Android",
            Browser::SafariIphone => "Safari on iPhone or iPad",
        }
    }

    /// Every browser, the ones most likely on `os` first. `os` is a name as in
    /// `std::env::consts::OS`: "windows", "macos", "linux", "android", "ios".
    #[must_use]
    pub fn for_os(os: &str) -> Vec<Browser> {
        use Browser::{Chrome, ChromeAndroid, Edge, Firefox, Safari, SafariIphone};
        match os.to_ascii_lowercase().as_str() {
            "windows" => vec![Chrome, Edge, Firefox, ChromeAndroid, SafariIphone, Safari],
            "macos" => vec![Safari, Chrome, Firefox, Edge, SafariIphone, ChromeAndroid],
            "ios" => vec![SafariIphone, Safari, Chrome, ChromeAndroid, Firefox, Edge],
            "android" => vec![ChromeAndroid, Chrome, Firefox, Edge, SafariIphone, Safari],
            "linux" | "freebsd" | "openbsd" | "netbsd" => {
                vec![Firefox, Chrome, Edge, ChromeAndroid, SafariIphone, Safari]
            }
            _ => vec![Chrome, Firefox, Edge, Safari, ChromeAndroid, SafariIphone],
        }
    }

    /// The shortest way to clear one site's cookies, on one line.
    pub(super) fn quick_clear(self, host: &str) -> String {
        match self {
            Browser::Chrome => format!(
                "open {host}, click the icon left of the address > Cookies and site data > Manage on-device site data, and click the bin icon next to each entry"
            ),
            Browser::Edge => format!(
                "open {host}, click the lock icon left of the address > Cookies and site data > Manage cookies and site data, and delete each entry"
            ),
            Browser::Firefox => format!(
                "open {host}, click the padlock left of the address > Clear cookies and site data… > Remove"
            ),
            Browser::Safari => format!(
                "Safari menu > Settings… > Privacy > Manage Website Data…, search for {}, select it, Remove, Done",
                site_key(host)
            ),
            Browser::ChromeAndroid => format!(
                "open {host}, tap the icon left of the address > Cookies and site data > the bin icon > Delete"
            ),
            Browser::SafariIphone => format!(
                "Settings > Apps > Safari > Advanced > Website Data, search for {}, swipe left, Delete",
                site_key(host)
            ),
        }
    }
}

/// Steps, in order, to delete the cookies and stored data of `host` only (not every site's) in
/// `browser`, with the exact menu names. The UI numbers them.
#[must_use]
pub fn clear_site_data_steps(browser: Browser, site: &str) -> Vec<String> {
    // `site` is a host name or a whole origin: a site on an IP address or another port is only
    // reached with its scheme and port, and an IP address has no parent domain.
    let (origin, host) = match Url::parse(site.trim()) {
        Ok(u) if u.host_str().is_some() => (
            u.origin().ascii_serialization(),
            u.host_str().unwrap_or_default().to_owned(),
        ),
        _ => {
            let host = site.trim().trim_start_matches('.').to_ascii_lowercase();
            (format!("https://{host}"), host)
        }
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let base = if host.parse::<std::net::IpAddr>().is_ok() {
        host.clone()
    } else {
        site_key(&host).to_owned()
    };
    let both = if base == host {
        format!("\"{host}\"")
    } else {
        format!("\"{host}\" and \"{base}\"")
    };
    match browser {
        Browser::Chrome => vec![
            format!("Open {origin} in Chrome."),
            "Click the icon just left of the address (\"View site information\").".to_owned(),
            "Click \"Cookies and site data\", then \"Manage on-device site data\".".to_owned(),
            format!("Click the bin icon next to {both} (and any other entry of this site), then click \"Done\"."),
            "Reload the page and sign in again.".to_owned(),
            format!("If the icon menu looks different: open Settings > Privacy and security > Third-party cookies > \"See all site data and permissions\" (or type chrome://settings/content/all in the address bar), search for {base}, click the bin icon next to it and confirm with \"Delete\"."),
        ],
        Browser::Edge => vec![
            format!("Open {origin} in Edge."),
            "Click the lock icon just left of the address (\"View site information\").".to_owned(),
            "Click \"Cookies and site data\", then \"Manage cookies and site data\" (or \"Cookies (… in use)\").".to_owned(),
            format!("Delete every entry for {both}, then click \"Done\"."),
            "Reload the page and sign in again.".to_owned(),
            format!("Another way: type edge://settings/siteData in the address bar (Settings > Privacy, search, and services > Cookies > \"See all cookies and site data\"), search for {base}, click the arrow next to it and the bin icon to delete."),
        ],
        Browser::Firefox => vec![
            format!("Open {origin} in Firefox."),
            "Click the padlock just left of the address.".to_owned(),
            "Click \"Clear cookies and site data…\".".to_owned(),
            format!("Check that {both} is listed, then click \"Remove\"."),
            "Reload the page and sign in again.".to_owned(),
            format!("Another way: Settings > Privacy & Security > Cookies and Site Data > \"Manage Data…\", search for {base}, click \"Remove Selected\", then \"Save Changes\"."),
        ],
        Browser::Safari => vec![
            "In Safari, open the Safari menu (top left, next to the Apple menu) and choose \"Settings…\" (\"Preferences…\" on older macOS).".to_owned(),
            "Click the \"Privacy\" tab.".to_owned(),
            "Click \"Manage Website Data…\".".to_owned(),
            format!("Type {base} in the search field, select the entries for this site (not the whole list)."),
            "Click \"Remove\" (not \"Remove All\"), then \"Done\".".to_owned(),
            format!("Open {origin} again and sign in."),
        ],
        Browser::ChromeAndroid => vec![
            format!("Open {origin} in Chrome on the phone."),
            "Tap the icon just left of the address.".to_owned(),
            "Tap \"Cookies and site data\" (on some versions \"Cookies\").".to_owned(),
            "Tap the bin icon and confirm with \"Delete\".".to_owned(),
            "Reload the page and sign in again.".to_owned(),
            format!("Another way: tap ⋮ > Settings > Site settings > All sites, tap {base}, then \"Delete & reset\" (\"Clear & reset\" on older versions)."),
        ],
        Browser::SafariIphone => vec![
            "Open the Settings app (not Safari).".to_owned(),
            "Tap \"Apps\", then \"Safari\" (before iOS 18, \"Safari\" is directly in Settings).".to_owned(),
            "Scroll down and tap \"Advanced\", then \"Website Data\".".to_owned(),
            format!("Type {base} in the search field."),
            "Swipe left on the entry and tap \"Delete\" (do not tap \"Remove All Website Data\").".to_owned(),
            format!("Open {origin} in Safari again and sign in."),
        ],
    }
}
