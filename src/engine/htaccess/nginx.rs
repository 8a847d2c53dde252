//! nginx `auth_basic` snippets: the tokenizer, the checks and what each statement means.

use super::{
    HashMap, HashSet, HtaccessContext, Mistake, Output, PasswordFile, Scheme, inside_web_root,
    is_absolute_path, work,
};

#[derive(Clone, Debug)]
pub(super) struct NginxStatement {
    pub(super) line: usize,
    pub(super) words: Vec<String>,
    /// The block this statement is in (index into the block list).
    pub(super) block: Option<usize>,
    /// True when the statement opens a block (`location /x {`).
    pub(super) opens: bool,
}

pub(super) fn tokenize_nginx(text: &str) -> Vec<NginxStatement> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut line = 1;
    let mut start_line = 1;
    let mut in_comment = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        work::add(1);
        if c == '\n' {
            line += 1;
            in_comment = false;
        }
        if in_comment {
            continue;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' {
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            } else {
                word.push(c);
            }
            continue;
        }
        match c {
            '#' if word.is_empty() => in_comment = true,
            '"' | '\'' if word.is_empty() => {
                quote = Some(c);
                if words.is_empty() {
                    start_line = line;
                }
                word.push('\u{0}');
            }
            ';' | '{' | '}' => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word).replace('\u{0}', ""));
                }
                if !words.is_empty() {
                    let opens = c == '{';
                    out.push(NginxStatement {
                        line: start_line,
                        words: std::mem::take(&mut words),
                        block: stack.last().copied(),
                        opens,
                    });
                    if opens && stack.len() < 64 {
                        stack.push(out.len() - 1);
                    }
                } else if c == '{' {
                    // A bare `{`: keep the nesting right.
                    if stack.len() < 64 {
                        stack.push(usize::MAX);
                    }
                }
                if c == '}' {
                    stack.pop();
                }
            }
            c if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word).replace('\u{0}', ""));
                }
            }
            c => {
                if words.is_empty() && word.is_empty() {
                    start_line = line;
                }
                word.push(c);
            }
        }
        if words.len() > 1000 {
            words.truncate(1000);
        }
    }
    if !word.is_empty() {
        words.push(word.replace('\u{0}', ""));
    }
    if !words.is_empty() {
        out.push(NginxStatement {
            line: start_line,
            words,
            block: stack.last().copied(),
            opens: false,
        });
    }
    out
}

pub(super) fn nginx_text(s: &NginxStatement) -> String {
    let mut text = s.words.join(" ");
    text.push_str(if s.opens { " {" } else { ";" });
    text
}

pub(super) const NGINX_DIRECTIVES: &[&str] = &[
    "auth_basic",
    "auth_basic_user_file",
    "satisfy",
    "allow",
    "deny",
    "location",
    "root",
    "listen",
    "server_name",
    "auth_request",
    "return",
    "include",
];

pub(super) fn nginx(
    text: &str,
    users: Option<&PasswordFile>,
    context: &HtaccessContext,
    out: &mut Output,
) {
    let statements = tokenize_nginx(text);
    let name = |s: &NginxStatement| {
        s.words
            .first()
            .map(|w| w.to_ascii_lowercase())
            .unwrap_or_default()
    };
    let names: Vec<String> = statements.iter().map(name).collect();
    let mut last_in_block: HashMap<(Option<usize>, &str), usize> = HashMap::new();
    let mut by_block: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for (i, (s, n)) in statements.iter().zip(&names).enumerate() {
        by_block.entry(s.block).or_default().push(i);
        if !s.opens {
            last_in_block.insert((s.block, n.as_str()), i);
        }
    }
    let parent_of =
        |block: Option<usize>| block.and_then(|b| statements.get(b)).and_then(|s| s.block);
    // The statement `wanted` that applies in `block`: in it, or in an enclosing block.
    let effective = |block: Option<usize>, wanted: &str| -> Option<&NginxStatement> {
        let mut current = block;
        for _ in 0..70 {
            work::add(1);
            if let Some(i) = last_in_block.get(&(current, wanted)) {
                return statements.get(*i);
            }
            current = parent_of(Some(current?));
        }
        None
    };
    // Blocks that have a password file in them or in a block inside them.
    let mut has_file_below: HashSet<Option<usize>> = HashSet::new();
    for s in statements
        .iter()
        .zip(&names)
        .filter(|(_, n)| *n == "auth_basic_user_file")
        .map(|(s, _)| s)
    {
        let mut current = s.block;
        for _ in 0..70 {
            work::add(1);
            if !has_file_below.insert(current) {
                break;
            }
            let Some(b) = current else {
                break;
            };
            current = statements.get(b).and_then(|p| p.block);
        }
    }
    let block_members = |block: Option<usize>, wanted: &str| -> Vec<&NginxStatement> {
        by_block
            .get(&block)
            .into_iter()
            .flatten()
            .filter(|i| {
                work::add(1);
                names.get(**i).is_some_and(|n| n == wanted)
            })
            .filter_map(|i| statements.get(*i))
            .collect()
    };
    let root_of = |block: Option<usize>| {
        effective(block, "root")
            .and_then(|s| s.words.get(1))
            .map(String::as_str)
    };
    let protects_ht = statements
        .iter()
        .any(|s| s.opens && name(s) == "location" && s.words.iter().any(|w| w.contains(".ht")));
    for (s, n) in statements.iter().zip(&names) {
        if out.full() {
            break;
        }
        let text = nginx_text(s);
        if let Some(meaning) = nginx_meaning(s, n) {
            out.explain(s.line, &text, meaning);
        }
        match n.as_str() {
            "auth_basic" => {
                let value = s.words.get(1).cloned().unwrap_or_default();
                if s.words.len() > 2 {
                    let glued = s
                        .words
                        .iter()
                        .skip(2)
                        .find(|w| NGINX_DIRECTIVES.contains(&w.to_ascii_lowercase().as_str()));
                    out.problem(
                        s.line,
                        &text,
                        Mistake::NginxAuthBasicMalformed {
                            runs_into: glued.cloned(),
                        },
                    );
                    continue;
                }
                if value.eq_ignore_ascii_case("off") {
                    if s.block.is_some()
                        && effective(parent_of(s.block), "auth_basic").is_some_and(|a| {
                            a.words
                                .get(1)
                                .is_some_and(|v| !v.eq_ignore_ascii_case("off"))
                        })
                    {
                        out.problem(s.line, &text, Mistake::NginxPasswordOff);
                    }
                    continue;
                }
                if effective(s.block, "auth_basic_user_file").is_none()
                    && !has_file_below.contains(&s.block)
                {
                    out.problem(s.line, &text, Mistake::NginxNoPasswordFile);
                }
                if context.site_is_http {
                    out.problem(s.line, &text, Mistake::BasicOverHttp);
                }
                if let Some(observed) = context
                    .observed_scheme
                    .as_deref()
                    .filter(|o| Scheme::parse(o.trim()) != Scheme::Basic)
                {
                    out.problem(
                        s.line,
                        &text,
                        Mistake::NginxOtherScheme {
                            observed: observed.trim().to_owned(),
                        },
                    );
                }
            }
            "auth_basic_user_file" => {
                let Some(path) = s.words.get(1) else {
                    out.problem(s.line, &text, Mistake::NginxUserFileEmpty);
                    continue;
                };
                if !is_absolute_path(path) {
                    out.problem(
                        s.line,
                        &text,
                        Mistake::NginxRelativePasswordFile { path: path.clone() },
                    );
                } else if inside_web_root(path, root_of(s.block)) {
                    out.problem(
                        s.line,
                        &text,
                        Mistake::NginxPasswordFileInWebRoot {
                            path: path.clone(),
                            ht_location: protects_ht,
                        },
                    );
                }
            }
            "satisfy"
                if s.words
                    .get(1)
                    .is_some_and(|v| v.eq_ignore_ascii_case("any")) =>
            {
                let allows = block_members(s.block, "allow");
                let has_allow = !allows.is_empty() || !block_members(s.block, "deny").is_empty();
                let allow_all = allows.into_iter().find(|x| {
                    x.words
                        .get(1)
                        .is_some_and(|v| v.eq_ignore_ascii_case("all"))
                });
                let mistake = if let Some(all) = allow_all {
                    Mistake::NginxSatisfyAnyAllowAll {
                        allow_line: all.line,
                    }
                } else if has_allow {
                    Mistake::NginxSatisfyAnyIpOrPassword
                } else {
                    Mistake::NginxSatisfyAnyAlone
                };
                out.problem(s.line, &text, mistake);
            }
            _ => {}
        }
    }
    if let Some(file) = users {
        let check_line = statements
            .iter()
            .zip(&names)
            .find(|(_, n)| *n == "auth_basic_user_file")
            .map(|(s, _)| s);
        if file.is_digest()
            && let Some(s) = check_line
        {
            out.problem(s.line, &nginx_text(s), Mistake::DigestFileWithNginx);
        }
        if file.entries.is_empty()
            && let Some(s) = check_line
        {
            out.problem(s.line, &nginx_text(s), Mistake::NginxNoUsers);
        }
    }
    let protected: Vec<String> = statements
        .iter()
        .zip(&names)
        .filter(|(s, n)| {
            *n == "auth_basic"
                && s.words
                    .get(1)
                    .is_some_and(|v| !v.eq_ignore_ascii_case("off"))
        })
        .take(10)
        .map(|(s, _)| {
            let area = s.words.get(1).cloned().unwrap_or_default();
            let place = s.block.and_then(|b| statements.get(b)).map_or_else(
                || "everywhere in this file".to_owned(),
                |b| format!("in `{}`", b.words.join(" ")),
            );
            format!("asks for a Basic sign-in for the area \"{area}\" {place}")
        })
        .collect();
    out.summary.push(if protected.is_empty() {
        "This configuration does not ask for a password (no active auth_basic).".to_owned()
    } else {
        format!("This configuration {}.", protected.join("; it "))
    });
}

pub(super) fn nginx_meaning(s: &NginxStatement, name: &str) -> Option<String> {
    let value = s
        .words
        .iter()
        .skip(1)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    Some(match name {
        "auth_basic" if value.eq_ignore_ascii_case("off") => "Turns the password off for this block, even if an outer block asks for one.".to_owned(),
        "auth_basic" => format!("Asks for a password (Basic sign-in) for the area \"{value}\"; browsers show this name in the password box."),
        "auth_basic_user_file" => format!("The password file nginx checks: {value}. Relative paths are read from nginx's configuration folder."),
        "location" if s.opens => format!("The lines inside apply to addresses matching {value}."),
        "server" if s.opens => "Starts one web site (virtual server).".to_owned(),
        "limit_except" if s.opens => format!("The lines inside apply to every request method except {value}."),
        "satisfy" if value.eq_ignore_ascii_case("any") => "A visitor gets in when either the allow/deny rules or the password allow it.".to_owned(),
        "satisfy" => "A visitor gets in only when both the allow/deny rules and the password allow it (the default).".to_owned(),
        "allow" if value == "all" => "Allows visitors from everywhere.".to_owned(),
        "allow" => format!("Allows visitors from {value}."),
        "deny" if value == "all" => "Refuses everyone not allowed by an earlier allow line (403).".to_owned(),
        "deny" => format!("Refuses visitors from {value} (403)."),
        "auth_request" => format!("Asks the address {value} whether each request may pass: a 2xx answer lets it in, 401 or 403 refuse it."),
        "root" => format!("The folder files are served from (the web root): {value}."),
        _ => return None,
    })
}
