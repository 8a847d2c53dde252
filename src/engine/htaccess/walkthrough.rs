//! The line-by-line walk-through of a configuration, in plain words.

use super::*;

pub(super) fn walkthrough(
    kind: ConfigKind,
    summary: &[String],
    explained: &[ExplainedLine],
    users: Option<&PasswordFile>,
) -> Finding {
    let mut detail = match kind {
        ConfigKind::Apache => "Read as an Apache configuration (.htaccess). ".to_owned(),
        ConfigKind::Nginx => "Read as an nginx configuration. ".to_owned(),
    };
    detail.push_str(&summary.join(" "));
    if let Some(file) = users {
        let mut formats: Vec<String> = Vec::new();
        for e in file.entries.iter().take(20) {
            let format = if e.realm.is_some() {
                "Digest"
            } else {
                e.format.name()
            };
            formats.push(format!("{} ({format})", e.user));
        }
        let more = file.entries.len().saturating_sub(20);
        let _ = write!(
            detail,
            " The password file has {} user{}{}{}.",
            file.entries.len(),
            if file.entries.len() == 1 { "" } else { "s" },
            if formats.is_empty() {
                String::new()
            } else {
                format!(": {}", formats.join(", "))
            },
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    if explained.is_empty() {
        detail.push_str(" No lines about sign-in or access were found.");
    }
    let mut finding = Finding::new(Code::HtaccessExplained, detail.trim().to_owned());
    for line in explained.iter().take(60) {
        finding = finding.evidence(
            format!("Line {}: {}", line.line, line.text),
            line.meaning.clone(),
        );
    }
    finding
}
