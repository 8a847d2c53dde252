//! Apache configuration: the parser of sections and directives, and what each line means.

use super::{HashMap, work};

#[derive(Clone, Debug)]
pub(super) struct Section {
    pub(super) kind: String,
    pub(super) args: String,
    pub(super) line: usize,
    pub(super) text: String,
    pub(super) parent: Option<usize>,
}

#[derive(Clone, Debug)]
pub(super) struct Directive {
    pub(super) line: usize,
    pub(super) text: String,
    pub(super) name: String,
    pub(super) args: Vec<String>,
    pub(super) section: Option<usize>,
}

#[derive(Default)]
pub(super) struct ApacheConf {
    pub(super) sections: Vec<Section>,
    pub(super) directives: Vec<Directive>,
    /// The auth scope of each directive (see [`ApacheConf::auth_scope`]).
    pub(super) scope_of: Vec<Option<usize>>,
    /// The auth scope of each section.
    pub(super) section_scope: Vec<Option<usize>>,
    /// The last directive of each name in each scope.
    pub(super) last_by_name: HashMap<(Option<usize>, String), usize>,
    /// The directives of each scope, in order.
    pub(super) by_scope: HashMap<Option<usize>, Vec<usize>>,
}

/// Sections that do not change where sign-in settings apply.
pub(super) fn is_transparent(kind: &str) -> bool {
    matches!(
        kind,
        "ifmodule" | "ifdefine" | "ifversion" | "iffile" | "ifdirective" | "ifsection"
    )
}

/// Sections that group `Require` lines.
pub(super) fn is_require_group(kind: &str) -> bool {
    matches!(
        kind,
        "requireall" | "requireany" | "requirenone" | "limit" | "limitexcept"
    )
}

/// Splits arguments, keeping "quoted strings" together (quotes removed).
pub(super) fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut has_token = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        work::add(1);
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') if matches!(chars.peek(), Some('"' | '\'' | '\\')) => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') if !has_token => {
                quote = Some(c);
                has_token = true;
            }
            (None, c) if c.is_whitespace() => {
                if has_token {
                    args.push(std::mem::take(&mut current));
                    has_token = false;
                }
            }
            (None, c) => {
                current.push(c);
                has_token = true;
            }
        }
        if args.len() > 1000 {
            break;
        }
    }
    if has_token {
        args.push(current);
    }
    args
}

pub(super) fn parse_apache(text: &str) -> ApacheConf {
    let mut conf = ApacheConf::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    let text = text.trim_start_matches('\u{feff}');
    for (index, raw) in text.lines().enumerate() {
        let (start, mut joined) = pending.take().unwrap_or((index + 1, String::new()));
        if let Some(body) = raw.strip_suffix('\\') {
            joined.push_str(body);
            joined.push(' ');
            pending = Some((start, joined));
            continue;
        }
        joined.push_str(raw);
        apache_line(&mut conf, &mut stack, start, joined.trim());
    }
    if let Some((start, joined)) = pending {
        apache_line(&mut conf, &mut stack, start, joined.trim());
    }
    conf.index();
    conf
}

pub(super) fn apache_line(conf: &mut ApacheConf, stack: &mut Vec<usize>, line: usize, text: &str) {
    work::add(text.len() + stack.len() + 1);
    if text.is_empty() || text.starts_with('#') {
        return;
    }
    if let Some(rest) = text.strip_prefix("</") {
        let kind = rest.trim_end_matches('>').trim().to_ascii_lowercase();
        if let Some(pos) = stack
            .iter()
            .rposition(|i| conf.sections.get(*i).is_some_and(|s| s.kind == kind))
        {
            stack.truncate(pos);
        }
        return;
    }
    if let Some(rest) = text.strip_prefix('<') {
        let inner = rest.trim_end().trim_end_matches('>');
        let (kind, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        conf.sections.push(Section {
            kind: kind.to_ascii_lowercase(),
            args: args.trim().to_owned(),
            line,
            text: text.to_owned(),
            parent: stack.last().copied(),
        });
        if stack.len() < 64 {
            stack.push(conf.sections.len() - 1);
        }
        return;
    }
    let (name, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    conf.directives.push(Directive {
        line,
        text: text.to_owned(),
        name: name.to_ascii_lowercase(),
        args: split_args(rest),
        section: stack.last().copied(),
    });
}

impl ApacheConf {
    pub(super) fn index(&mut self) {
        // Parents come before children, so each section's scope is known when it is needed.
        let mut section_scope: Vec<Option<usize>> = Vec::with_capacity(self.sections.len());
        for (i, section) in self.sections.iter().enumerate() {
            let scope = if is_transparent(&section.kind) || is_require_group(&section.kind) {
                section
                    .parent
                    .and_then(|p| section_scope.get(p).copied().flatten())
            } else {
                Some(i)
            };
            section_scope.push(scope);
        }
        self.section_scope = section_scope;
        let scopes: Vec<Option<usize>> = self
            .directives
            .iter()
            .map(|d| self.auth_scope(d.section))
            .collect();
        for (i, (d, scope)) in self.directives.iter().zip(&scopes).enumerate() {
            self.last_by_name.insert((*scope, d.name.clone()), i);
            self.by_scope.entry(*scope).or_default().push(i);
        }
        self.scope_of = scopes;
    }

    pub(super) fn scope(&self, directive_index: usize) -> Option<usize> {
        self.scope_of.get(directive_index).copied().flatten()
    }

    /// The directives of one scope.
    pub(super) fn in_scope(&self, scope: Option<usize>) -> impl Iterator<Item = &Directive> {
        self.by_scope
            .get(&scope)
            .into_iter()
            .flatten()
            .filter_map(|i| {
                work::add(1);
                self.directives.get(*i)
            })
    }

    pub(super) fn section(&self, index: Option<usize>) -> Option<&Section> {
        index.and_then(|i| self.sections.get(i))
    }

    /// The section whose sign-in settings apply (skipping `<IfModule>` and `Require` groups).
    pub(super) fn auth_scope(&self, index: Option<usize>) -> Option<usize> {
        match index {
            Some(i) if i < self.section_scope.len() => self.section_scope.get(i).copied().flatten(),
            _ => self.walk_auth_scope(index),
        }
    }

    /// [`ApacheConf::auth_scope`] without the cache, used to fill it.
    pub(super) fn walk_auth_scope(&self, mut index: Option<usize>) -> Option<usize> {
        // Parents always come before children, so this walk ends.
        for _ in 0..=self.sections.len() {
            work::add(1);
            let section = self.section(index)?;
            if is_transparent(&section.kind) || is_require_group(&section.kind) {
                index = section.parent;
            } else {
                return index;
            }
        }
        None
    }

    /// The scope and each enclosing scope, innermost first, ending with the file itself (`None`).
    pub(super) fn scope_chain(&self, scope: Option<usize>) -> Vec<Option<usize>> {
        let mut chain = vec![scope];
        let mut current = scope;
        while let Some(section) = self.section(current) {
            work::add(1);
            current = self.auth_scope(section.parent);
            chain.push(current);
            if chain.len() > 70 {
                break;
            }
        }
        chain
    }

    /// The directive `name` that applies in `scope`: the last one in the innermost scope that has it.
    pub(super) fn effective(&self, scope: Option<usize>, name: &str) -> Option<&Directive> {
        self.scope_chain(scope).into_iter().find_map(|s| {
            self.last_by_name
                .get(&(s, name.to_owned()))
                .and_then(|i| self.directives.get(*i))
        })
    }

    /// The `Require` group a directive belongs to: its `<Require…>`/`<Limit>` section, or the
    /// scope's implicit "any of these" group.
    pub(super) fn group(&self, directive: &Directive) -> (Option<usize>, Option<usize>) {
        let mut index = directive.section;
        for _ in 0..=self.sections.len() {
            work::add(1);
            let Some(section) = self.section(index) else {
                break;
            };
            if is_require_group(&section.kind) {
                return (index, None);
            }
            if !is_transparent(&section.kind) {
                break;
            }
            index = section.parent;
        }
        (None, self.auth_scope(directive.section))
    }
}

pub(super) fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with("\\\\")
        || (bytes.len() >= 3
            && bytes.first().is_some_and(u8::is_ascii_alphabetic)
            && bytes.get(1) == Some(&b':')
            && matches!(bytes.get(2), Some(b'/' | b'\\')))
}

/// Folder names hosting companies use for the web root.
pub(super) const WEB_ROOT_MARKERS: &[&str] = &[
    "/public_html/",
    "/htdocs/",
    "/httpdocs/",
    "/wwwroot/",
    "/var/www/html/",
    "/html/",
    "/www/",
    "/web/",
    "/public/",
];

pub(super) fn inside_web_root(path: &str, document_root: Option<&str>) -> bool {
    let path = path.replace('\\', "/");
    if let Some(root) = document_root {
        let root = root.trim_end_matches('/');
        if !root.is_empty() {
            return path.starts_with(&format!("{root}/"));
        }
    }
    let lower = path.to_ascii_lowercase();
    // /var/www/.htpasswd sits above the usual web root /var/www/html.
    if lower.starts_with("/var/www/") && lower.matches('/').count() == 3 {
        return false;
    }
    WEB_ROOT_MARKERS.iter().any(|m| lower.contains(m))
}

pub(super) fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
