//! The Apache mistakes that make a server answer 401 (or 500) to the right password.

use super::*;

pub(super) fn apache(
    text: &str,
    users: Option<&PasswordFile>,
    context: &HtaccessContext,
    out: &mut Output,
) {
    let conf = parse_apache(text);
    for section in conf.sections.iter().take(MAX_EXPLAINED * 4) {
        if let Some(meaning) = apache_section_meaning(section) {
            out.explain(section.line, &section.text, meaning);
        }
    }
    for d in conf.directives.iter().take(MAX_EXPLAINED * 4) {
        if let Some(meaning) = apache_meaning(d) {
            out.explain(d.line, &d.text, meaning);
        }
    }
    out.explained.sort_by_key(|e| e.line);
    let document_root = conf
        .directives
        .iter()
        .find(|d| d.name == "documentroot")
        .and_then(|d| d.args.first())
        .map(String::as_str);

    apache_directive_checks(&conf, users, context, document_root, out);
    apache_scope_checks(&conf, users, out);
    apache_group_checks(&conf, out);
    apache_mixed_style_checks(&conf, out);
    apache_summary(&conf, out);
}

pub(super) fn apache_directive_checks(
    conf: &ApacheConf,
    users: Option<&PasswordFile>,
    context: &HtaccessContext,
    document_root: Option<&str>,
    out: &mut Output,
) {
    for (index, d) in conf.directives.iter().enumerate() {
        if out.full() {
            return;
        }
        let scope = conf.scope(index);
        match d.name.as_str() {
            "authtype" => {
                let value = d.args.join(" ");
                let scheme = Scheme::parse(&value);
                if d.args.len() != 1 {
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::AuthTypeWordCount {
                            line: d.line,
                            value,
                        },
                    );
                } else if let Some(observed) = context.observed_scheme.as_deref()
                    && matches!(scheme, Scheme::Basic | Scheme::Digest)
                    && Scheme::parse(observed.trim()) != scheme
                {
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::ApacheOtherScheme {
                            set: value,
                            observed: observed.trim().to_owned(),
                        },
                    );
                }
                if scheme == Scheme::Basic && context.site_is_http {
                    out.problem(d.line, &d.text, Mistake::BasicOverHttp);
                }
            }
            "authuserfile" => {
                let Some(path) = d.args.first() else {
                    out.problem(d.line, &d.text, Mistake::AuthUserFileEmpty);
                    continue;
                };
                if d.args.len() > 1 {
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::PathWithSpace {
                            words: d.args.len(),
                        },
                    );
                }
                if !is_absolute_path(path) {
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::ApacheRelativePasswordFile { path: path.clone() },
                    );
                } else if inside_web_root(path, document_root) {
                    let dot_ht = path
                        .rsplit(['/', '\\'])
                        .next()
                        .is_some_and(|f| f.starts_with(".ht"));
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::ApachePasswordFileInWebRoot {
                            path: path.clone(),
                            dot_ht,
                        },
                    );
                }
                if path.to_ascii_lowercase().ends_with(".htaccess") {
                    out.problem(d.line, &d.text, Mistake::UserFileIsHtaccess);
                }
                let provider = conf
                    .effective(scope, "authbasicprovider")
                    .or_else(|| conf.effective(scope, "authdigestprovider"));
                if let Some(p) = provider
                    && !p.args.iter().any(|a| a.eq_ignore_ascii_case("file"))
                {
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::UserFileUnused {
                            provider_line: p.line,
                            providers: p.args.join(" "),
                        },
                    );
                }
            }
            "authgroupfile" if d.args.first().is_some_and(|p| !is_absolute_path(p)) => {
                out.problem(d.line, &d.text, Mistake::RelativeGroupFile);
            }
            // Apache uses the last Satisfy of a scope; checking only that one keeps this linear.
            "satisfy"
                if conf
                    .effective(scope, "satisfy")
                    .is_some_and(|last| std::ptr::eq(last, d)) =>
            {
                apache_satisfy_check(conf, d, scope, out);
            }
            "errordocument" if d.args.first().is_some_and(|c| c == "401") => {
                let target = d.args.get(1).map_or("", String::as_str);
                if target.starts_with('/') || target.starts_with("http") {
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::Custom401Page {
                            target: target.to_owned(),
                        },
                    );
                }
            }
            "require" => apache_require_line_check(conf, d, users, out),
            _ => {}
        }
    }
}

pub(super) fn apache_satisfy_check(
    conf: &ApacheConf,
    d: &Directive,
    scope: Option<usize>,
    out: &mut Output,
) {
    let any = d
        .args
        .first()
        .is_some_and(|a| a.eq_ignore_ascii_case("any"));
    if !any {
        return;
    }
    let in_scope = |name: &str| {
        conf.in_scope(scope)
            .filter(|x| x.name == name)
            .collect::<Vec<_>>()
    };
    let allows = in_scope("allow");
    let ip_requires: Vec<&Directive> = in_scope("require")
        .into_iter()
        .filter(|r| {
            r.args
                .first()
                .is_some_and(|a| matches!(a.to_ascii_lowercase().as_str(), "ip" | "host"))
        })
        .collect();
    let allow_all = allows
        .iter()
        .find(|a| a.args.iter().any(|x| x.eq_ignore_ascii_case("all")));
    if let Some(all) = allow_all {
        out.problem(
            d.line,
            &d.text,
            Mistake::SatisfyAnyAllowAll {
                allow_line: all.line,
            },
        );
    } else if allows.is_empty() && ip_requires.is_empty() && in_scope("deny").is_empty() {
        out.problem(d.line, &d.text, Mistake::SatisfyAnyAlone);
    } else {
        out.problem(d.line, &d.text, Mistake::SatisfyAnyIpOrPassword);
    }
}

pub(super) fn apache_require_line_check(
    conf: &ApacheConf,
    d: &Directive,
    users: Option<&PasswordFile>,
    out: &mut Output,
) {
    let entity = d
        .args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    match entity.as_str() {
        "" => out.problem(d.line, &d.text, Mistake::RequireEmpty),
        "user" => {
            let names: Vec<String> = d.args.iter().skip(1).cloned().collect();
            if names.is_empty() {
                out.problem(d.line, &d.text, Mistake::RequireUserNoNames);
            }
            if let Some(file) = users {
                if out.full() {
                    return;
                }
                if file.entries.is_empty() {
                    out.problem(d.line, &d.text, Mistake::NoUsersForRequireUser);
                    return;
                }
                for name in names.iter().filter(|n| !file.has_user(n)) {
                    let close = file
                        .near_names
                        .get(&name.trim().to_lowercase())
                        .and_then(|i| file.entries.get(*i))
                        .map(|c| (c.user.clone(), c.line));
                    out.problem(
                        d.line,
                        &d.text,
                        Mistake::RequiredUserMissing {
                            line: d.line,
                            name: name.clone(),
                            close,
                        },
                    );
                }
            }
        }
        "valid-user" => {
            if let Some(file) = users
                && file.entries.is_empty()
            {
                out.problem(d.line, &d.text, Mistake::NoUsersForValidUser);
            }
        }
        "group" => {
            let scope = conf.auth_scope(d.section);
            if conf.effective(scope, "authgroupfile").is_none()
                && conf.effective(scope, "authldapurl").is_none()
            {
                out.problem(d.line, &d.text, Mistake::RequireGroupNoFile);
            }
        }
        _ => {}
    }
}

/// Checks that need the whole scope: missing `AuthType` / `AuthName` / `AuthUserFile`, `Deny from all`.
pub(super) fn apache_scope_checks(
    conf: &ApacheConf,
    users: Option<&PasswordFile>,
    out: &mut Output,
) {
    let mut done: BTreeSet<Option<usize>> = BTreeSet::new();
    for (index, d) in conf
        .directives
        .iter()
        .enumerate()
        .filter(|(_, d)| d.name == "require")
    {
        if out.full() {
            return;
        }
        let entity = d
            .args
            .first()
            .map(|a| a.to_ascii_lowercase())
            .unwrap_or_default();
        if !matches!(entity.as_str(), "valid-user" | "user" | "group") {
            continue;
        }
        let scope = conf.scope(index);
        if !done.insert(scope) {
            continue;
        }
        let auth_type = conf.effective(scope, "authtype");
        let Some(scheme) = auth_type.and_then(|a| a.args.first()) else {
            out.problem(d.line, &d.text, Mistake::AuthTypeMissing);
            continue;
        };
        // `AuthType None` turns sign-in off: nothing below applies.
        if scheme.eq_ignore_ascii_case("none") {
            continue;
        }
        let scheme = Scheme::parse(scheme);
        let basic_or_digest = matches!(scheme, Scheme::Basic | Scheme::Digest);
        if basic_or_digest && conf.effective(scope, "authname").is_none() {
            let at = auth_type.unwrap_or(d);
            out.problem(at.line, &at.text, Mistake::AuthNameMissing);
        }
        let provider = conf.effective(
            scope,
            if scheme == Scheme::Digest {
                "authdigestprovider"
            } else {
                "authbasicprovider"
            },
        );
        let uses_file =
            provider.is_none_or(|p| p.args.iter().any(|a| a.eq_ignore_ascii_case("file")));
        let password_file_line = conf.effective(scope, "authuserfile");
        if basic_or_digest && uses_file && password_file_line.is_none() {
            let at = auth_type.unwrap_or(d);
            out.problem(at.line, &at.text, Mistake::NoPasswordFile);
        }
        if let (Some(file), Some(at)) = (users, auth_type) {
            digest_format_checks(file, &scheme, conf.effective(scope, "authname"), at, out);
        }
        apache_deny_all_check(conf, scope, d, out);
    }
}

pub(super) fn digest_format_checks(
    file: &PasswordFile,
    scheme: &Scheme,
    auth_name: Option<&Directive>,
    auth_type: &Directive,
    out: &mut Output,
) {
    if *scheme == Scheme::Basic && file.is_digest() {
        out.problem(
            auth_type.line,
            &auth_type.text,
            Mistake::DigestFileWithBasic,
        );
    } else if *scheme == Scheme::Digest && file.is_basic() {
        out.problem(
            auth_type.line,
            &auth_type.text,
            Mistake::BasicFileWithDigest,
        );
    } else if *scheme == Scheme::Digest
        && let Some(name) = auth_name
    {
        let realm = name.args.join(" ");
        let mut mismatched: Vec<String> = file
            .entries
            .iter()
            .filter_map(|e| e.realm.clone())
            .filter(|r| *r != realm)
            .collect();
        mismatched.dedup();
        if !mismatched.is_empty() {
            out.problem(
                name.line,
                &name.text,
                Mistake::DigestRealmMismatch {
                    realm,
                    file_realms: list(&mismatched),
                },
            );
        }
    }
}

/// `Deny from all` (or `Require all denied` alone) next to a password: nobody gets in.
pub(super) fn apache_deny_all_check(
    conf: &ApacheConf,
    scope: Option<usize>,
    require: &Directive,
    out: &mut Output,
) {
    let in_scope: Vec<&Directive> = conf.in_scope(scope).collect();
    let satisfy_any = in_scope.iter().any(|x| {
        x.name == "satisfy"
            && x.args
                .first()
                .is_some_and(|a| a.eq_ignore_ascii_case("any"))
    });
    let deny_all = in_scope
        .iter()
        .find(|x| x.name == "deny" && x.args.iter().any(|a| a.eq_ignore_ascii_case("all")));
    let allow_any = in_scope.iter().any(|x| x.name == "allow");
    if let Some(deny) = deny_all
        && !satisfy_any
        && !allow_any
    {
        out.problem(
            deny.line,
            &deny.text,
            Mistake::DenyFromAll {
                deny_line: deny.line,
                require_line: require.line,
            },
        );
    }
}

/// Apache 2.2 (`Order`/`Allow`/`Deny`) and 2.4 (`Require all/ip/host`) rules in one scope.
pub(super) fn apache_mixed_style_checks(conf: &ApacheConf, out: &mut Output) {
    let scopes: BTreeSet<Option<usize>> = conf.by_scope.keys().copied().collect();
    for scope in scopes {
        if out.full() {
            return;
        }
        let in_scope: Vec<&Directive> = conf.in_scope(scope).collect();
        let old_style = in_scope
            .iter()
            .find(|x| matches!(x.name.as_str(), "order" | "allow" | "deny"));
        let new_style = in_scope.iter().find(|x| {
            x.name == "require"
                && x.args.first().is_some_and(|a| {
                    matches!(a.to_ascii_lowercase().as_str(), "all" | "ip" | "host")
                })
        });
        if let (Some(old), Some(new)) = (old_style, new_style) {
            out.problem(
                old.line,
                &old.text,
                Mistake::MixedAccessStyles {
                    old_line: old.line,
                    new_line: new.line,
                },
            );
        }
    }
}

/// Checks on `Require` groups: `<RequireAll>` that can never be met, `all denied` / `all granted`
/// next to a password in an implicit "any of these" group, negative rules outside `<RequireAll>`.
pub(super) fn apache_group_checks(conf: &ApacheConf, out: &mut Output) {
    let mut groups: BTreeMap<(Option<usize>, Option<usize>), Vec<&Directive>> = BTreeMap::new();
    for d in conf.directives.iter().filter(|d| d.name == "require") {
        groups.entry(conf.group(d)).or_default().push(d);
    }
    for ((section, _), members) in &groups {
        if out.full() {
            return;
        }
        let kind = conf
            .section(*section)
            .map_or("implicit", |s| s.kind.as_str());
        let entity = |d: &Directive| {
            d.args
                .first()
                .map(|a| a.to_ascii_lowercase())
                .unwrap_or_default()
        };
        let second = |d: &Directive| {
            d.args
                .get(1)
                .map(|a| a.to_ascii_lowercase())
                .unwrap_or_default()
        };
        let auth_line = members
            .iter()
            .find(|d| matches!(entity(d).as_str(), "valid-user" | "user" | "group"));
        let denied = members
            .iter()
            .find(|d| entity(d) == "all" && second(d) == "denied");
        let granted = members
            .iter()
            .find(|d| entity(d) == "all" && second(d) == "granted");
        match kind {
            "requireall" => {
                if let (Some(denied), Some(_)) = (denied, auth_line) {
                    out.problem(denied.line, &denied.text, Mistake::RequireAllWithDenied);
                }
                let user_lines: Vec<&&Directive> =
                    members.iter().filter(|d| entity(d) == "user").collect();
                if user_lines.len() >= 2 {
                    let mut common: Option<BTreeSet<&str>> = None;
                    for d in &user_lines {
                        let names: BTreeSet<&str> =
                            d.args.iter().skip(1).map(String::as_str).collect();
                        common = Some(match common {
                            None => names,
                            Some(c) => c.intersection(&names).copied().collect(),
                        });
                    }
                    if common.is_some_and(|c| c.is_empty())
                        && let Some(last) = user_lines.last()
                    {
                        out.problem(last.line, &last.text, Mistake::RequireAllDifferentUsers);
                    }
                }
            }
            "limit" => {
                if auth_line.is_some()
                    && let Some(limit) = conf.section(*section)
                {
                    out.problem(
                        limit.line,
                        &limit.text,
                        Mistake::OnlySomeMethods {
                            methods: limit.args.clone(),
                        },
                    );
                }
            }
            "requirenone" => {
                if members.iter().all(|d| entity(d) != "not")
                    && members.len() == members.iter().filter(|d| entity(d) == "valid-user").count()
                {
                    if let Some(first) = members.first() {
                        out.problem(first.line, &first.text, Mistake::RequireNoneValidUser);
                    }
                }
            }
            _ => {
                if let Some(not) = members.iter().find(|d| entity(d) == "not") {
                    out.problem(not.line, &not.text, Mistake::RequireNotOutsideAll);
                }
                if let (Some(granted), Some(auth)) = (granted, auth_line) {
                    out.problem(
                        granted.line,
                        &granted.text,
                        Mistake::RequireAllGranted {
                            auth_line: auth.line,
                        },
                    );
                } else if let (Some(denied), Some(auth)) = (denied, auth_line) {
                    out.problem(
                        denied.line,
                        &denied.text,
                        Mistake::RequireAllDeniedNoEffect {
                            auth_line: auth.line,
                        },
                    );
                } else if let Some(denied) =
                    denied.filter(|_| members.len() == 1 && section.is_none())
                {
                    let scope = conf.auth_scope(denied.section);
                    if conf.effective(scope, "authtype").is_some() {
                        out.problem(denied.line, &denied.text, Mistake::RequireOnlyDenied);
                    }
                }
            }
        }
    }
}

pub(super) fn apache_summary(conf: &ApacheConf, out: &mut Output) {
    let find = |name: &str| conf.directives.iter().find(|d| d.name == name);
    let auth_type = find("authtype").map(|d| d.args.join(" "));
    let auth_name = find("authname").map(|d| d.args.join(" "));
    let user_file = find("authuserfile").map(|d| d.args.join(" "));
    let mut who: Vec<String> = Vec::new();
    for d in conf.directives.iter().filter(|d| d.name == "require") {
        let rest = d.args.iter().skip(1).cloned().collect::<Vec<_>>();
        match d.args.first().map(|a| a.to_ascii_lowercase()).as_deref() {
            Some("valid-user") => who.push("anyone in the password file".to_owned()),
            Some("user") if rest.len() == 1 => who.push(format!("the user {}", list(&rest))),
            Some("user") => who.push(format!("the users {}", list(&rest))),
            Some("group") => who.push(format!("members of {}", list(&rest))),
            Some("ip") => who.push(format!("visitors from {}", rest.join(" "))),
            Some("all")
                if rest
                    .first()
                    .is_some_and(|r| r.eq_ignore_ascii_case("granted")) =>
            {
                who.push("everyone".to_owned());
            }
            Some("all") => who.push("nobody".to_owned()),
            _ => {}
        }
    }
    let mut unique: Vec<String> = Vec::new();
    for w in who {
        if !unique.contains(&w) && unique.len() < 10 {
            unique.push(w);
        }
    }
    let who = unique;
    match auth_type {
        Some(t) => {
            let mut s = format!("This file asks for a {t} sign-in");
            if let Some(n) = auth_name {
                let _ = write!(s, " for the area \"{n}\"");
            }
            if let Some(f) = user_file {
                let _ = write!(s, ", checked against the password file {f}");
            }
            if !who.is_empty() {
                let _ = write!(s, "; it lets in {}", who.join(" or "));
            }
            s.push('.');
            out.summary.push(s);
        }
        None if !who.is_empty() => out.summary.push(format!(
            "This file sets no sign-in method; it lets in {}.",
            who.join(" or ")
        )),
        None => out
            .summary
            .push("This file has no sign-in settings (no AuthType and no Require).".to_owned()),
    }
}

pub(super) fn apache_section_meaning(section: &Section) -> Option<String> {
    let args = section.args.trim_matches('"');
    Some(match section.kind.as_str() {
        "requireall" => "Starts a group where every rule inside must allow the visitor.".to_owned(),
        "requireany" => "Starts a group where any one rule inside is enough to let the visitor in.".to_owned(),
        "requirenone" => "Starts a group that refuses visitors matching any rule inside; it can only refuse, never let in by itself.".to_owned(),
        "files" => format!("The lines inside apply only to files named {args}."),
        "filesmatch" => format!("The lines inside apply only to files whose names match the pattern {args}."),
        "limit" => format!("The lines inside apply only to the request methods {args}; other methods are not affected by them."),
        "limitexcept" => format!("The lines inside apply to every request method except {args}."),
        "directory" => format!("The lines inside apply to the folder {args} and everything below it."),
        "directorymatch" => format!("The lines inside apply to folders matching the pattern {args}."),
        "location" => format!("The lines inside apply to addresses starting with {args}."),
        "locationmatch" => format!("The lines inside apply to addresses matching the pattern {args}."),
        "ifmodule" => format!("The lines inside are used only if the module {args} is loaded; if it is not, they are silently skipped (and the protection with them)."),
        "virtualhost" => format!("The lines inside apply to the web site served at {args}."),
        "if" | "elseif" | "else" => "The lines inside apply only when the condition is true.".to_owned(),
        _ => return None,
    })
}

pub(super) fn apache_meaning(d: &Directive) -> Option<String> {
    let args = d.args.join(" ");
    let first = d
        .args
        .first()
        .map(|a| a.to_ascii_lowercase())
        .unwrap_or_default();
    let rest: Vec<String> = d.args.iter().skip(1).cloned().collect();
    Some(match d.name.as_str() {
        "authtype" => match first.as_str() {
            "basic" => "Turns on Basic sign-in: the browser shows a user name and password box and sends them, only encoded, with every request (safe only over https).".to_owned(),
            "digest" => "Turns on Digest sign-in: the password itself never travels, the browser proves it knows it. The password file must be made with htdigest.".to_owned(),
            "none" => "Turns sign-in off here (Apache 2.4.13 and later), for example to open a subfolder of a protected area.".to_owned(),
            "form" => "Sign-in through a web form (mod_auth_form); it also needs a login page and session settings.".to_owned(),
            _ => format!("Uses the sign-in method \"{args}\", which an extra Apache module must provide."),
        },
        "authname" => format!("Names the protected area \"{args}\". Browsers show it in the password box and remember passwords per name; with Digest it must match the realm in the password file exactly."),
        "authuserfile" => {
            let mut s = format!("The password file: Apache checks user names and passwords against {args}.");
            if d.args.first().is_some_and(|p| !is_absolute_path(p)) {
                s.push_str(" This path is relative, so Apache reads it from its own installation folder (ServerRoot), not from this folder.");
            }
            s
        }
        "authgroupfile" => format!("The group file {args}: it lists which users belong to which group (lines like \"admins: alice bob\"), for Require group."),
        "authbasicprovider" => format!("Where Basic sign-in looks up users: {args} (\"file\" means the AuthUserFile)."),
        "authdigestprovider" => format!("Where Digest sign-in looks up users: {args} (\"file\" means the AuthUserFile)."),
        "authbasicauthoritative" => "Whether another sign-in module may try when this one does not know the user.".to_owned(),
        "authmerging" => format!("How these Require rules combine with those of the parent folder ({args})."),
        "authdigestdomain" => format!("The addresses that share this Digest protection area: {args}."),
        "authdigestalgorithm" => format!("The scrambling method for Digest sign-in: {args}."),
        "authldapurl" => "Looks users up in an LDAP directory (for example Active Directory) instead of a password file.".to_owned(),
        "require" => require_meaning(&first, &rest),
        "satisfy" => if first == "any" {
            "Apache 2.2 style: a visitor gets in when either the IP rules (Allow/Deny) or the password allow it.".to_owned()
        } else {
            "Apache 2.2 style: a visitor gets in only when both the IP rules (Allow/Deny) and the password allow it (the default).".to_owned()
        },
        "order" => match args.to_ascii_lowercase().replace(' ', "").as_str() {
            "deny,allow" => "Apache 2.2 style: Deny rules are checked first, then Allow rules may let visitors back in; visitors matching neither get in.".to_owned(),
            "allow,deny" => "Apache 2.2 style: Allow rules are checked first, then Deny rules may shut visitors out; visitors matching neither are refused.".to_owned(),
            _ => format!("Apache 2.2 style: the order in which Allow and Deny rules are checked ({args})."),
        },
        "allow" => format!("Apache 2.2 style: allows visitors {}.", rest_after_from(&d.args)),
        "deny" => format!("Apache 2.2 style: refuses visitors {}.", rest_after_from(&d.args)),
        "errordocument" if first == "401" => format!("Shows {} with 401 answers instead of Apache's own page.", rest.join(" ")),
        "setenvif" if first == "authorization" => "Passes the Authorization header on to PHP, which some hosts otherwise drop (needed by WordPress application passwords and many APIs).".to_owned(),
        "cgipassauth" => "Passes the Authorization header on to PHP and other scripts (Apache 2.4.13 and later).".to_owned(),
        "rewriterule" if args.to_ascii_lowercase().contains("http_authorization") => "Copies the Authorization header into a variable PHP can read (a workaround for hosts that drop it).".to_owned(),
        "documentroot" => format!("The folder the web site is served from: {args}."),
        _ => return None,
    })
}

pub(super) fn rest_after_from(args: &[String]) -> String {
    let who: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.eq_ignore_ascii_case("from"))
        .collect();
    if who.iter().any(|w| w.eq_ignore_ascii_case("all")) {
        "from everywhere".to_owned()
    } else {
        format!("from {}", who.join(" "))
    }
}

pub(super) fn require_meaning(entity: &str, rest: &[String]) -> String {
    let names = rest.join(" ");
    match entity {
        "all"
            if rest
                .first()
                .is_some_and(|r| r.eq_ignore_ascii_case("granted")) =>
        {
            "Lets everyone in, without a password.".to_owned()
        }
        "all" => {
            "Lets nobody in (the answer is 403 Forbidden), whatever password is used.".to_owned()
        }
        "valid-user" => {
            "Lets in anyone who signs in with a user name and password from the password file."
                .to_owned()
        }
        "user" if rest.len() == 1 => {
            format!(
                "Lets in only the user {} (after a correct password).",
                list(rest)
            )
        }
        "user" => format!(
            "Lets in only the users {} (after a correct password).",
            list(rest)
        ),
        "group" => format!("Lets in members of the group {names}, as listed in the group file."),
        "ip" => format!(
            "Lets in visitors whose IP address is {names}, without a password for this rule."
        ),
        "host" => format!(
            "Lets in visitors whose address belongs to {names}. Apache checks this with a reverse DNS lookup, which is slow and fails when the lookup does not match."
        ),
        "env" => {
            format!("Lets in requests where the variable {names} is set (usually by SetEnvIf).")
        }
        "method" => format!("Applies to the request methods {names}."),
        "expr" => "Lets in requests for which the expression is true.".to_owned(),
        "local" => "Lets in requests from this same server (localhost).".to_owned(),
        "not" => format!(
            "Excludes visitors matching \"{names}\"; only works inside <RequireAll> or <RequireNone>."
        ),
        other => {
            format!("An access rule of type \"{other}\" ({names}), provided by an extra module.")
        }
    }
}
