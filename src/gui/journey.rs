//! The request's journey as a picture: this computer → DNS → the proxy (if any) → a CDN, cache or
//! firewall (if seen) → the site, hop by hop; each station marked ok, problem or not checked, the
//! one whose answer was the 401 highlighted, each a button to its step. Under it, "What AuthDoctor
//! sent": every request of the check. [`journey`] is pure and unit-tested; the rest draws it.

use egui::{RichText, Ui};

use crate::engine::finding::{Area, Kind};
use crate::engine::probe::SentRequest;
use crate::engine::{Code, Diagnosis, Severity};
use crate::gui::table::{self, Column};
use crate::gui::theme;
use crate::gui::widgets::{self, Level};
use crate::gui::wizard::{Step, StepAction};

/// How a station fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Nothing wrong found there.
    Ok,
    /// A finding points there.
    Problem,
    /// The site asks for a sign-in and none was tried: what a protected page does, not a fault.
    AsksSignIn,
    /// The check could not look there (no cookies given, no DNS comparison, no answer).
    NotChecked,
}

impl Mark {
    /// The word shown with the colour.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Mark::Ok => "ok",
            Mark::Problem => "problem",
            Mark::AsksSignIn => "asks for a sign-in",
            Mark::NotChecked => "not checked",
        }
    }

    fn severity(self) -> Severity {
        match self {
            Mark::Ok => Severity::Ok,
            Mark::Problem => Severity::Problem,
            Mark::NotChecked | Mark::AsksSignIn => Severity::Info,
        }
    }
}

/// One station of the journey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Station {
    /// What it is ("This computer", "DNS", "CDN: Cloudflare", "127.0.0.1:8080").
    pub name: String,
    /// What happened there, in a few words.
    pub detail: String,
    /// Ok, problem or not checked.
    pub mark: Mark,
    /// This station's answer was the 401 (or 407) the user sees.
    pub answered_401: bool,
    /// The step that explains it.
    pub step: Step,
}

/// The stations in order, and the picture in one sentence for reading out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journey {
    /// From this computer to the site.
    pub stations: Vec<Station>,
    /// "This computer → DNS (ok) → … The 401 comes from …"
    pub sentence: String,
}

/// True when a finding that can explain the 401 and is not fine points at `area`.
fn area_has_problem(d: &Diagnosis, area: Area) -> bool {
    d.findings.iter().any(|f| {
        f.code.area() == area
            && f.code.kind() == Kind::Cause
            && matches!(f.severity, Severity::Problem | Severity::Warning)
            && f.code != Code::Cached401
    })
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_owned();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| url.to_owned())
}

/// The journey of the check's requests, read from the diagnosis.
#[must_use]
pub fn journey(d: &Diagnosis) -> Journey {
    let mut stations = Vec::new();
    let cookie_problem = area_has_problem(d, Area::Cookies);
    stations.push(Station {
        name: "This computer".to_owned(),
        detail: if d.cookies.is_empty() {
            "no browser cookies given".to_owned()
        } else if cookie_problem {
            "its cookies cause the 401".to_owned()
        } else {
            format!("{} cookies given", d.cookies.len())
        },
        mark: if cookie_problem {
            Mark::Problem
        } else if d.cookies.is_empty() {
            Mark::NotChecked
        } else {
            Mark::Ok
        },
        answered_401: false,
        step: Step::CookiesCache,
    });
    let (dns_mark, dns_detail) = match &d.dns {
        None => (Mark::NotChecked, "not compared".to_owned()),
        Some(report) if !report.dns_involved => (Mark::Ok, "no lookup needed".to_owned()),
        Some(report) if area_has_problem(d, Area::Dns) || d.has(Code::DnsFailure) => (
            Mark::Problem,
            format!("{}: answers differ or fail", report.host),
        ),
        Some(report) => (Mark::Ok, format!("finds {}", report.host)),
    };
    stations.push(Station {
        name: "DNS".to_owned(),
        detail: dns_detail,
        mark: dns_mark,
        answered_401: false,
        step: Step::Dns,
    });
    let proxy_asked = d.has(Code::ProxyAuthRequired) || d.status == Some(407);
    if d.proxy.is_some() || proxy_asked {
        stations.push(Station {
            name: "Proxy".to_owned(),
            detail: d
                .proxy
                .as_ref()
                .map_or_else(|| "of this network".to_owned(), |p| host_of(&p.url)),
            mark: if proxy_asked { Mark::Problem } else { Mark::Ok },
            answered_401: proxy_asked,
            step: Step::Headers,
        });
    }
    let cached = d.has(Code::Cached401);
    let cdns: Vec<String> = d
        .fingerprint
        .as_ref()
        .map(|f| f.cdns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    if cached || !cdns.is_empty() {
        let name = if cdns.is_empty() {
            "Cache".to_owned()
        } else {
            format!("CDN: {}", cdns.join(", "))
        };
        stations.push(Station {
            name,
            detail: if cached {
                "hands out a stored 401".to_owned()
            } else {
                "passes the requests on".to_owned()
            },
            mark: if cached { Mark::Problem } else { Mark::Ok },
            answered_401: cached && !proxy_asked,
            step: Step::CookiesCache,
        });
    }
    let blocked = d.has(Code::WafBlock);
    let firewalls: Vec<String> = d
        .fingerprint
        .as_ref()
        .map(|f| f.protections.iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    if blocked {
        stations.push(Station {
            name: if firewalls.is_empty() {
                "Firewall".to_owned()
            } else {
                format!("Firewall: {}", firewalls.join(", "))
            },
            detail: "blocks the request".to_owned(),
            mark: Mark::Problem,
            answered_401: !proxy_asked && !cached,
            step: Step::Headers,
        });
    }
    let someone_else = proxy_asked || cached || blocked;
    let last_401 = d.hops.iter().rposition(|h| h.status == 401);
    // No password was tried and nothing but the sign-in request was found, or the password
    // tried works: the 401 is the page asking, as a protected page does.
    let only_asks_for_sign_in = (d.credentials.is_none()
        && d.likely_cause == Some(Code::AuthRequired))
        || d.credentials.as_ref().is_some_and(|c| c.accepted);
    if d.hops.is_empty() {
        let failed = d
            .findings
            .iter()
            .find(|f| f.code.area() == Area::Address && f.severity == Severity::Problem);
        stations.push(Station {
            name: host_of(&d.url),
            detail: failed.map_or_else(|| "no answer".to_owned(), |f| f.title.clone()),
            mark: if failed.is_some() {
                Mark::Problem
            } else {
                Mark::NotChecked
            },
            answered_401: false,
            step: Step::Address,
        });
    }
    for (i, hop) in d.hops.iter().enumerate() {
        let detail = match &hop.location {
            Some(next) if (300..400).contains(&hop.status) => {
                format!("answered {}, sent on to {}", hop.status, host_of(next))
            }
            _ => format!("answered {}", hop.status),
        };
        let answered_401 = !someone_else && Some(i) == last_401;
        stations.push(Station {
            name: host_of(&hop.url),
            detail,
            mark: if hop.status == 401 && only_asks_for_sign_in {
                Mark::AsksSignIn
            } else if hop.status >= 400 {
                Mark::Problem
            } else {
                Mark::Ok
            },
            answered_401,
            step: if answered_401 {
                Step::Headers
            } else {
                Step::Address
            },
        });
    }
    let sentence = sentence(&stations, d.status);
    Journey { stations, sentence }
}

fn sentence(stations: &[Station], status: Option<u16>) -> String {
    let chain: Vec<String> = stations
        .iter()
        .map(|s| format!("{} ({})", s.name, s.detail))
        .collect();
    let code = status.filter(|s| *s == 401 || *s == 407).unwrap_or(401);
    let from = match stations.iter().find(|s| s.answered_401) {
        Some(s) if s.name == "Proxy" => {
            format!("The {code} comes from the proxy of this network, not from the site.")
        }
        Some(s)
            if s.name.starts_with("Firewall") || s.name.starts_with("CDN") || s.name == "Cache" =>
        {
            format!("The {code} comes from {}, in front of the site.", s.name)
        }
        Some(s) => format!("The {code} comes from the site itself, {}.", s.name),
        None => "No station answered 401.".to_owned(),
    };
    format!("{}. {from}", chain.join(" → "))
}

/// Accessible name of the journey picture.
pub const JOURNEY_NAME: &str = "The request's journey";

/// Draws the journey: stations left to right (wrapping in a narrow window) with arrows, and the
/// sentence to read out. Returns the step a station was clicked for.
pub fn journey_ui(ui: &mut Ui, d: &Diagnosis) -> StepAction {
    let mut action = StepAction::None;
    let journey = journey(d);
    widgets::heading_ui(ui, JOURNEY_NAME, Level::Section);
    let dark = ui.visuals().dark_mode;
    ui.scope_builder(
        egui::UiBuilder::new()
            .accessibility_role(egui::accesskit::Role::List)
            .accessibility_label(JOURNEY_NAME),
        |ui| {
            ui.horizontal_wrapped(|ui| {
                for (i, s) in journey.stations.iter().enumerate() {
                    if i > 0 {
                        ui.label(RichText::new("→").size(20.0));
                    }
                    let color = theme::severity_color(s.mark.severity(), dark);
                    let mut text = format!("{}\n{}: {}", s.name, s.mark.label(), s.detail);
                    if s.answered_401 {
                        text.push_str("\n▲ the 401 came from here");
                    }
                    let mut button = egui::Button::new(RichText::new(text))
                        .stroke(egui::Stroke::new(
                            if s.answered_401 { 3.0 } else { 1.5 },
                            color,
                        ))
                        .wrap();
                    if s.answered_401 {
                        button = button.fill(theme::highlight_fill(
                            dark,
                            s.mark.severity() != Severity::Info,
                        ));
                    }
                    let response = ui.add(button);
                    let number = s.step.number().unwrap_or_default();
                    let name = format!(
                        "{}: {}, {}{}. Opens step {number}, {}",
                        s.name,
                        s.mark.label(),
                        s.detail,
                        if s.answered_401 {
                            ", the 401 came from here"
                        } else {
                            ""
                        },
                        s.step.title()
                    );
                    ui.ctx().accesskit_node_builder(response.id, |node| {
                        node.set_label(name);
                    });
                    if response.clicked() {
                        action = StepAction::GoTo(s.step);
                    }
                }
            });
        },
    );
    ui.label(RichText::new(&journey.sentence).weak());
    action
}

/// Accessible name of the table of requests.
pub const SENT_NAME: &str = "What AuthDoctor sent";

/// "What AuthDoctor sent": every request of the check, its address without secrets, whether the
/// sign-in and cookies went with it, the answer and the time.
pub fn sent_ui(ui: &mut Ui, requests: &[SentRequest]) {
    if requests.is_empty() {
        return;
    }
    widgets::heading_ui(ui, SENT_NAME, Level::Section);
    table::table_ui(
        ui,
        SENT_NAME,
        &[
            Column::weighted("Why", 1.2),
            Column::weighted("Request", 2.4),
            Column::new("Sent with"),
            Column::weighted("Answer", 0.9),
            Column::weighted("Time", 0.6),
        ],
        requests.len(),
        true,
        |ui, row, column| {
            let Some(r) = requests.get(row) else { return };
            match column {
                0 => {
                    ui.label(r.purpose.words());
                }
                1 => {
                    ui.label(RichText::new(format!("{} {}", r.method, r.url)).monospace());
                }
                2 => {
                    let sign_in = if r.credentials {
                        "your sign-in"
                    } else {
                        "no sign-in"
                    };
                    let cookies = if r.cookies { "cookies" } else { "no cookies" };
                    ui.label(format!("{sign_in}, {cookies}"));
                }
                3 => {
                    match (r.status, &r.error) {
                        (Some(status), _) => ui.label(RichText::new(status.to_string()).strong()),
                        (None, Some(error)) => ui.label(error),
                        (None, None) if r.pending => ui.label("waiting…"),
                        (None, None) => ui.label("no answer"),
                    };
                }
                _ => {
                    ui.label(format!("{} ms", r.elapsed_ms));
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Finding;
    use crate::engine::probe::Hop;

    fn hop(url: &str, status: u16, location: Option<&str>) -> Hop {
        Hop {
            url: url.to_owned(),
            status,
            location: location.map(str::to_owned),
            elapsed_ms: 3,
        }
    }

    fn diagnosis(hops: Vec<Hop>, codes: &[Code]) -> Diagnosis {
        Diagnosis {
            url: hops.first().map(|h| h.url.clone()).unwrap_or_default(),
            status: hops.last().map(|h| h.status),
            hops,
            findings: codes.iter().map(|c| Finding::new(*c, "test")).collect(),
            ..Diagnosis::default()
        }
    }

    fn highlighted(j: &Journey) -> Vec<&str> {
        j.stations
            .iter()
            .filter(|s| s.answered_401)
            .map(|s| s.name.as_str())
            .collect()
    }

    #[test]
    fn a_redirect_then_a_401_highlights_the_last_hop_and_says_the_site_answered() {
        let d = diagnosis(
            vec![
                hop(
                    "http://a.test/old",
                    301,
                    Some("http://b.test:8080/members/"),
                ),
                hop("http://b.test:8080/members/", 401, None),
            ],
            &[Code::AuthRequired],
        );
        let j = journey(&d);
        let names: Vec<&str> = j.stations.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["This computer", "DNS", "a.test", "b.test:8080"]);
        assert_eq!(highlighted(&j), ["b.test:8080"]);
        assert_eq!(
            j.stations[0].mark,
            Mark::NotChecked,
            "no cookies were given"
        );
        assert_eq!(
            j.stations[1].mark,
            Mark::NotChecked,
            "no DNS comparison ran"
        );
        assert_eq!(j.stations[2].mark, Mark::Ok);
        assert_eq!(j.stations[3].step, Step::Headers);
        assert!(
            j.sentence
                .contains("comes from the site itself, b.test:8080"),
            "{}",
            j.sentence
        );
    }

    #[test]
    fn a_401_asking_for_a_sign_in_with_no_password_tried_is_not_marked_a_problem() {
        let mut d = diagnosis(
            vec![hop("http://b.test/members/", 401, None)],
            &[Code::AuthRequired],
        );
        d.likely_cause = Some(Code::AuthRequired);
        let site = |d: &Diagnosis| journey(d).stations.last().map(|s| s.mark);
        assert_eq!(site(&d), Some(Mark::AsksSignIn));
        // With a password tried and refused, the same 401 is the problem.
        d.credentials = Some(crate::engine::credentials::CredentialResult {
            scheme: "Basic".to_owned(),
            status: 401,
            accepted: false,
            outcome: crate::engine::credentials::Outcome::Rejected,
            scheme_assumed: false,
            final_url: String::new(),
            failure: None,
            url: String::new(),
            retried_stale_nonce: false,
            answer: None,
            hops: Vec::new(),
        });
        d.likely_cause = Some(Code::CredentialsRejected);
        assert_eq!(site(&d), Some(Mark::Problem));
        // With a password that works, the 401 without it is the page asking again.
        if let Some(c) = &mut d.credentials {
            c.accepted = true;
            c.status = 200;
            c.outcome = crate::engine::credentials::Outcome::Accepted;
        }
        d.likely_cause = Some(Code::CredentialsAccepted);
        assert_eq!(site(&d), Some(Mark::AsksSignIn));
    }

    #[test]
    fn a_cached_401_highlights_the_cache_and_not_the_site() {
        let d = diagnosis(
            vec![hop("https://shop.test/", 401, None)],
            &[Code::Cached401],
        );
        let j = journey(&d);
        assert_eq!(highlighted(&j), ["Cache"]);
        let cache = j
            .stations
            .iter()
            .find(|s| s.name == "Cache")
            .map(|s| s.mark);
        assert_eq!(cache, Some(Mark::Problem));
    }

    #[test]
    fn a_407_adds_the_proxy_and_blames_it() {
        let d = diagnosis(
            vec![hop("http://lib.test/", 407, None)],
            &[Code::ProxyAuthRequired],
        );
        let j = journey(&d);
        assert_eq!(highlighted(&j), ["Proxy"]);
        assert!(j.sentence.contains("from the proxy"), "{}", j.sentence);
    }

    #[test]
    fn no_answer_leaves_one_site_station_marked_with_the_failure_and_nothing_highlighted() {
        let mut d = diagnosis(Vec::new(), &[Code::ConnectionFailed]);
        d.url = "http://127.0.0.1:9/".to_owned();
        let j = journey(&d);
        let last = j.stations.last().map(|s| (s.name.as_str(), s.mark));
        assert_eq!(last, Some(("127.0.0.1:9", Mark::Problem)));
        assert!(highlighted(&j).is_empty());
    }

    #[test]
    fn stale_cookies_mark_this_computer_as_the_problem() {
        let mut d = diagnosis(
            vec![hop("http://a.test/", 401, None)],
            &[Code::CookiesCause401],
        );
        let report: serde_json::Value = serde_json::json!({
            "name": "session", "domain": "a.test", "host_only": true, "path": "/",
            "expires": null, "secure": false, "http_only": false, "same_site": null,
            "sent": true, "reason": null, "not_sent": null, "looks_like_login": true,
            "send_position": 1, "note": null, "size_bytes": 12, "attributes_known": true,
            "line": 1
        });
        d.cookies = vec![serde_json::from_value(report).unwrap_or_else(|e| panic!("{e}"))];
        let j = journey(&d);
        assert_eq!(j.stations[0].mark, Mark::Problem);
    }
}
