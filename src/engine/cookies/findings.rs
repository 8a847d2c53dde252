//! What the cookie check means for the user, as findings.

use super::*;

impl CookieCheck {
    /// The `Cookie` header the browser would send to the checked address, in browser order;
    /// `None` when no cookie would be sent.
    #[must_use]
    pub fn cookie_header(&self) -> Option<Secret> {
        if self.sent.is_empty() {
            return None;
        }
        let header = self
            .sent
            .iter()
            .map(|(name, value)| format!("{name}={}", value.expose()))
            .collect::<Vec<_>>()
            .join("; ");
        Some(Secret::new(header))
    }

    /// The verdicts of the cookies that would be sent, in browser order.
    pub fn sent(&self) -> impl Iterator<Item = &CookieVerdict> {
        self.verdicts.iter().filter(|v| v.sent)
    }

    /// Every finding about the imported cookies: unreadable input, expired cookies, cookies not
    /// sent and why, and cookies shadowed by another of the same name.
    #[must_use]
    pub fn findings(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        findings.extend(self.malformed_finding());
        findings.extend(self.expired_finding());
        findings.extend(self.not_sent_finding());
        findings.extend(self.shadowed_findings());
        findings
    }

    /// `cookie-file-malformed`, when importing met problems.
    #[must_use]
    pub fn malformed_finding(&self) -> Option<Finding> {
        if self.problems.is_empty() {
            return None;
        }
        let format = self.format.map_or("the input", Format::label);
        let detail = if self.verdicts.is_empty() {
            format!(
                "AuthDoctor read {format} but found no usable cookie for this site. What went wrong is listed below."
            )
        } else {
            format!(
                "AuthDoctor read {format}: {} cookie{} for this site loaded, but {} line{} or entr{} could not be read and {} skipped.",
                self.verdicts.len(),
                plural(self.verdicts.len()),
                self.problems.len(),
                plural(self.problems.len()),
                if self.problems.len() == 1 { "y" } else { "ies" },
                if self.problems.len() == 1 {
                    "was"
                } else {
                    "were"
                },
            )
        };
        let mut finding = Finding::new(Code::CookieFileMalformed, detail);
        if self.verdicts.is_empty() {
            finding = finding.title("No cookies for this site could be read");
        }
        for p in &self.problems {
            let label = if p.line == 0 {
                "Whole input".to_owned()
            } else {
                format!("Line {}", p.line)
            };
            finding = finding.evidence(label, p.message.clone());
        }
        Some(finding)
    }

    /// `cookie-expired`, when any imported cookie has expired.
    #[must_use]
    pub fn expired_finding(&self) -> Option<Finding> {
        let expired: Vec<&CookieVerdict> = self
            .verdicts
            .iter()
            .filter(|v| v.not_sent == Some(NotSent::Expired))
            .collect();
        if expired.is_empty() {
            return None;
        }
        let login: Vec<&&CookieVerdict> = expired.iter().filter(|v| v.looks_like_login).collect();
        let live_login = self.sent().any(|v| v.looks_like_login);
        let mut finding = if let Some(first) = login.first() {
            let detail = format!(
                "Your login cookie {} has expired{}, so the browser no longer sends it and the site no longer knows you signed in.{}",
                first.name,
                first
                    .expires
                    .as_ref()
                    .map(|e| format!(" (on {e})"))
                    .unwrap_or_default(),
                if live_login {
                    " Another login cookie is still sent, so this may not be the cause."
                } else {
                    ""
                }
            );
            Finding::new(Code::CookieExpired, detail)
                .title("Your login cookie for this site has expired")
                .severity(if live_login {
                    Severity::Warning
                } else {
                    Severity::Problem
                })
        } else {
            Finding::new(
                Code::CookieExpired,
                format!(
                    "{} of your cookies for this site ha{} expired, so the browser no longer sends {}. None of them looks like a login cookie.",
                    expired.len(),
                    if expired.len() == 1 { "s" } else { "ve" },
                    if expired.len() == 1 { "it" } else { "them" },
                ),
            )
            .severity(Severity::Info)
        };
        for v in expired.iter().take(MAX_EVIDENCE) {
            finding = finding.evidence(
                v.describe(),
                v.reason.clone().unwrap_or_else(|| "expired".to_owned()),
            );
        }
        if expired.len() > MAX_EVIDENCE {
            finding = finding.evidence(
                "More",
                format!("and {} more expired cookies", expired.len() - MAX_EVIDENCE),
            );
        }
        Some(finding)
    }

    /// `cookie-not-sent`, when a cookie that has not expired would still not be sent.
    #[must_use]
    pub fn not_sent_finding(&self) -> Option<Finding> {
        let held: Vec<&CookieVerdict> = self
            .verdicts
            .iter()
            .filter(|v| !v.sent && v.not_sent != Some(NotSent::Expired))
            .collect();
        if held.is_empty() {
            return None;
        }
        let login = held.iter().find(|v| v.looks_like_login);
        let live_login = self.sent().any(|v| v.looks_like_login);
        let detail = if let Some(l) = login {
            format!(
                "Your login cookie {} would not be sent to {}: {}.",
                l.name,
                self.url,
                l.reason
                    .as_deref()
                    .unwrap_or("it does not fit this address")
            )
        } else {
            format!(
                "{} of your cookies would not be sent to {}. Each one is listed below with the reason.",
                held.len(),
                self.url
            )
        };
        let mut finding = Finding::new(Code::CookieNotSent, detail);
        if login.is_some() && !live_login {
            finding = finding
                .severity(Severity::Problem)
                .title("Your login cookie would not be sent to this address");
        }
        let mut kinds: Vec<NotSent> = Vec::new();
        for v in &held {
            if let Some(k) = v.not_sent {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        for kind in kinds.iter().rev() {
            finding = finding.first_step(step_for(*kind, &self.url));
        }
        for v in held.iter().take(MAX_EVIDENCE) {
            finding = finding.evidence(v.describe(), v.reason.clone().unwrap_or_default());
        }
        if held.len() > MAX_EVIDENCE {
            finding = finding.evidence(
                "More",
                format!("and {} more cookies not sent", held.len() - MAX_EVIDENCE),
            );
        }
        Some(finding)
    }

    /// `cookie-shadowed`, one per name sent more than once.
    #[must_use]
    pub fn shadowed_findings(&self) -> Vec<Finding> {
        // Names in the order they are first sent, each with its copies in send order.
        let mut groups: Vec<Vec<&CookieVerdict>> = Vec::new();
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        for v in self.sent() {
            if let Some(group) = group_of
                .get(v.name.as_str())
                .and_then(|i| groups.get_mut(*i))
            {
                group.push(v);
            } else {
                group_of.insert(&v.name, groups.len());
                groups.push(vec![v]);
            }
        }
        groups
            .into_iter()
            .filter(|copies| copies.len() > 1)
            .map(|copies| {
                let name = copies.first().map(|v| v.name.clone()).unwrap_or_default();
                let login = copies.iter().any(|v| v.looks_like_login);
                let first = copies.first().map(|v| v.describe()).unwrap_or_default();
                let mut finding = Finding::new(
                    Code::CookieShadowed,
                    format!(
                        "Your browser would send {} cookies named {name}. It sends {first} first, and many sites read only the first one: if that one is an old {}, the site ignores the newer one.",
                        copies.len(),
                        if login { "session" } else { "value" },
                    ),
                )
                .title(format!("Two or more cookies named {name} are sent, and the first one wins"));
                if !login {
                    finding = finding.severity(Severity::Warning);
                }
                for v in copies {
                    let place = v.send_position.map_or_else(String::new, |p| format!("sent {}", ordinal(p)));
                    finding = finding.evidence(v.describe(), place);
                }
                finding
            })
            .collect()
    }

    /// `login-cookie-missing`: when the site wants a sign-in (`needs_login`), no imported cookie
    /// looks like a login session, or the one that does would not be sent.
    #[must_use]
    pub fn login_finding(&self, needs_login: bool) -> Option<Finding> {
        if !needs_login || self.sent().any(|v| v.looks_like_login) {
            return None;
        }
        let login: Vec<&CookieVerdict> = self
            .verdicts
            .iter()
            .filter(|v| v.looks_like_login)
            .collect();
        let mut finding = if login.is_empty() {
            let mut names: Vec<&str> = self.verdicts.iter().map(|v| v.name.as_str()).collect();
            names.dedup();
            let shown = names
                .iter()
                .take(MAX_EVIDENCE)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            Finding::new(
                Code::LoginCookieMissing,
                if names.is_empty() {
                    "The site wants a sign-in, and no cookies for it were given, so the browser has no login to send.".to_owned()
                } else {
                    format!(
                        "The site wants a sign-in, but none of your {} cookie{} for it looks like a login cookie ({shown}). The browser is probably not signed in to this site.",
                        self.verdicts.len(),
                        plural(self.verdicts.len())
                    )
                },
            )
        } else {
            let first = login.first().map(|v| v.name.clone()).unwrap_or_default();
            Finding::new(
                Code::LoginCookieMissing,
                format!(
                    "The site wants a sign-in. You have a login cookie ({first}), but the browser would not send it to this address, so the site treats you as a stranger."
                ),
            )
            .severity(Severity::Problem)
            .title("Your login cookie is not sent to this address")
        };
        for v in login.iter().take(MAX_EVIDENCE) {
            finding = finding.evidence(v.describe(), v.reason.clone().unwrap_or_default());
        }
        Some(finding)
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

pub(super) fn step_for(kind: NotSent, url: &str) -> String {
    match kind {
        NotSent::Expired => "Sign in again so the site gives you fresh cookies.".to_owned(),
        NotSent::SecureOnHttp => format!(
            "Use the https:// address: {}",
            url.replacen("http://", "https://", 1)
        ),
        NotSent::DomainMismatch => "Open the site with exactly the name where you signed in (with or without www) and check that address.".to_owned(),
        NotSent::PathMismatch => "Check the part of the site where you signed in: the cookie belongs to another folder of the site. If you run the site, set the login cookie with Path=/.".to_owned(),
        NotSent::SameSiteStrict | NotSent::SameSiteLax => "Open the site yourself (type the address or use a bookmark) instead of arriving from another site's link, form or frame.".to_owned(),
        NotSent::SameSiteNoneWithoutSecure | NotSent::HostPrefix | NotSent::SecurePrefix => "If you run the site, fix how it sets this cookie: __Host- and __Secure- names and SameSite=None need Secure (and __Host- needs Path=/ and no Domain).".to_owned(),
        NotSent::TooLong => "Delete this site's cookies and sign in again; if you run the site, keep cookies under 4 KB (store data on the server, not in the cookie).".to_owned(),
    }
}

/// With cookies the site says 401 and without them it does not: `cookies-cause-401`.
/// `verdicts` are the imported cookies' verdicts (to name the ones that were sent).
#[must_use]
pub fn compare_with_and_without(
    with_status: u16,
    without_status: u16,
    verdicts: &[CookieVerdict],
) -> Option<Finding> {
    if with_status != 401 || without_status == 401 || without_status >= 400 {
        return None;
    }
    let sent: Vec<&CookieVerdict> = verdicts.iter().filter(|v| v.sent).collect();
    let host = sent
        .first()
        .copied()
        .or(verdicts.first())
        .map_or_else(|| "this site".to_owned(), |v| v.domain.clone());
    let names = sent
        .iter()
        .take(MAX_EVIDENCE)
        .map(|v| v.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let shadowed: Vec<&str> = sent
        .iter()
        .filter(|v| v.note.is_some())
        .map(|v| v.name.as_str())
        .collect();
    let mut detail = format!(
        "With your cookies the site answers {with_status}; without them it answers {without_status}. So one of the cookies your browser keeps for {host} is stale and the site refuses it. Clear the cookies of this site only, not all your cookies."
    );
    if let Some(name) = shadowed.first() {
        let _ = write!(
            detail,
            " The likely one: your browser sends more than one cookie named {name}, and the site reads the old one."
        );
    }
    let mut finding = Finding::new(Code::CookiesCause401, detail)
        .evidence("Status with your cookies", with_status.to_string())
        .evidence("Status without cookies", without_status.to_string());
    if !names.is_empty() {
        finding = finding.evidence("Cookies sent", names);
    }
    let mut steps: Vec<String> = [
        Browser::Chrome,
        Browser::Edge,
        Browser::Firefox,
        Browser::Safari,
    ]
    .into_iter()
    .map(|b| format!("{}: {}", b.label(), b.quick_clear(&host)))
    .collect();
    steps.push("Reload the page and sign in again.".to_owned());
    Some(finding.steps(steps))
}
