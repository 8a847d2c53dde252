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
                let lower = value.to_ascii_lowercase();
                if d.args.len() != 1 {
                    out.problem(Severity::Problem, d.line, &d.text, "AuthType has the wrong number of words",
                        format!("AuthType takes exactly one word (Basic or Digest), but line {} gives \"{value}\". Apache stops with an error (500) for the whole folder.", d.line),
                        "Write `AuthType Basic` (or `AuthType Digest`).");
                } else if let Some(observed) = context.observed_scheme.as_deref()
                    && matches!(lower.as_str(), "basic" | "digest")
                    && !observed.trim().eq_ignore_ascii_case(&lower)
                {
                    out.problem(Severity::Problem, d.line, &d.text, "The server asks for a different sign-in than this file sets",
                        format!("This file sets AuthType {value}, but the server actually asked for {}. The 401 does not come from this file: another .htaccess (in a parent folder), the main server configuration or the application itself answers.", observed.trim()),
                        "Look for the other place that asks for a sign-in: .htaccess files in parent folders, the virtual host configuration, or the application's own settings.");
                }
                if lower == "basic" && context.site_is_http {
                    out.problem(Severity::Warning, d.line, &d.text, "Basic sign-in over plain http",
                        "The site is reached over http, so the user name and password travel almost as plain text and anyone on the same network can read them.".to_owned(),
                        "Redirect http to https before the password is asked, and use the https address.");
                }
            }
            "authuserfile" => {
                let Some(path) = d.args.first() else {
                    out.problem(
                        Severity::Problem,
                        d.line,
                        &d.text,
                        "AuthUserFile names no file",
                        "AuthUserFile needs the full path of the password file.".to_owned(),
                        "Write the full path, for example `AuthUserFile /home/USER/.htpasswd`.",
                    );
                    continue;
                };
                if d.args.len() > 1 {
                    out.problem(Severity::Problem, d.line, &d.text, "The password file path has a space and no quotes",
                        format!("The path contains a space, so Apache sees {} words instead of one path and stops with an error (500).", d.args.len()),
                        "Put the path in double quotes: `AuthUserFile \"/path with spaces/.htpasswd\"`.");
                }
                if !is_absolute_path(path) {
                    out.problem(Severity::Problem, d.line, &d.text, "The password file path is relative",
                        format!("\"{path}\" does not start with /. Apache does not look for it next to this .htaccess: it reads relative paths from its own installation folder (ServerRoot, for example /etc/apache2 or /usr/local/apache2). It does not find the file, and every sign-in fails (Apache answers 500, or 401 again)."),
                        "Write the full path from the root of the server, for example `AuthUserFile /home/USER/.htpasswd` (your hosting panel or `pwd` in the folder shows it).");
                } else if inside_web_root(path, document_root) {
                    let dot_ht = path
                        .rsplit(['/', '\\'])
                        .next()
                        .is_some_and(|f| f.starts_with(".ht"));
                    let extra = if dot_ht {
                        " Apache's default configuration refuses to serve files whose names start with .ht, but that protection is easy to lose (another server, a changed configuration)."
                    } else {
                        " Its name does not start with .ht, so Apache's default rule does not hide it: anyone may be able to download it and try to crack the passwords."
                    };
                    out.problem(Severity::Warning, d.line, &d.text, "The password file is inside the web site's folder",
                        format!("\"{path}\" looks like it is inside the folder the site is served from, so it may be downloadable.{extra}"),
                        "Move the password file to a folder above the web root (for example /home/USER/.htpasswd) and update this line.");
                }
                if path.to_ascii_lowercase().ends_with(".htaccess") {
                    out.problem(Severity::Problem, d.line, &d.text, "AuthUserFile points at an .htaccess file",
                        "The password file must be the file made by htpasswd, not an .htaccess file.".to_owned(),
                        "Point AuthUserFile at the password file (often called .htpasswd).");
                }
                let provider = conf
                    .effective(scope, "authbasicprovider")
                    .or_else(|| conf.effective(scope, "authdigestprovider"));
                if let Some(p) = provider
                    && !p.args.iter().any(|a| a.eq_ignore_ascii_case("file"))
                {
                    out.problem(Severity::Warning, d.line, &d.text, "AuthUserFile is not used",
                        format!("Line {} sets the user lookup to {}, not file, so this password file is ignored.", p.line, p.args.join(" ")),
                        "Add `file` to the provider line, or remove AuthUserFile.");
                }
            }
            "authgroupfile" if d.args.first().is_some_and(|p| !is_absolute_path(p)) => {
                out.problem(Severity::Problem, d.line, &d.text, "The group file path is relative",
                    "Apache reads relative paths from its installation folder (ServerRoot), not from this folder, so the group file is not found.".to_owned(),
                    "Write the full path of the group file.");
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
                    out.problem(Severity::Warning, d.line, &d.text, "A custom page for 401 answers",
                        format!("401 answers show {target} instead of Apache's own page. If that page is itself protected, redirected, or handled by WordPress, visitors see an error or a loop instead of the password box."),
                        "If the password box does not appear, use `ErrorDocument 401 default`.");
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
        out.problem(Severity::Warning, d.line, &d.text, "Satisfy Any with Allow from all: the password is never asked",
            format!("With Satisfy Any, a visitor gets in when either the IP rules or the password allow it. Line {} allows everyone, so nobody is ever asked for a password.", all.line),
            "Remove `Satisfy Any` (or the `Allow from all` line) if the password should be required.");
    } else if allows.is_empty() && ip_requires.is_empty() && in_scope("deny").is_empty() {
        out.problem(Severity::Warning, d.line, &d.text, "Satisfy Any has nothing to combine",
            "Satisfy Any lets visitors in when either the IP rules (Allow/Deny) or the password allow it, but there are no IP rules here, so it does nothing useful.".to_owned(),
            "Remove the Satisfy line, or add the IP rules it was meant for.");
    } else {
        out.problem(Severity::Warning, d.line, &d.text, "Satisfy Any: IP address or password",
            "With Satisfy Any, visitors from the allowed IP addresses get in without a password and everyone else must sign in. If you expected a password from everyone, that is why it is not asked; if you expected the office to get in without one, a changed office IP address explains a sudden password box. In Apache 2.4 this only works with the old-style module (mod_access_compat).".to_owned(),
            "In Apache 2.4, write it as `<RequireAny>` with `Require ip …` and `Require valid-user` inside.");
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
        "" => out.problem(Severity::Problem, d.line, &d.text, "Require with nothing after it",
            "Require needs to say who may enter (valid-user, user NAME, all granted…). Apache stops with an error (500).".to_owned(),
            "Write `Require valid-user` to let in everyone in the password file."),
        "user" => {
            let names: Vec<String> = d.args.iter().skip(1).cloned().collect();
            if names.is_empty() {
                out.problem(Severity::Problem, d.line, &d.text, "Require user names no user",
                    "Require user must be followed by at least one user name.".to_owned(),
                    "Add the user names, or write `Require valid-user`.");
            }
            if let Some(file) = users {
                if out.full() {
                    return;
                }
                if file.entries.is_empty() {
                    out.problem(Severity::Problem, d.line, &d.text, "The password file has no users",
                        "The password file given has no user lines, so nobody can ever sign in.".to_owned(),
                        "Add a user with `htpasswd -c /full/path/.htpasswd USERNAME` (-c creates the file).");
                    return;
                }
                for name in names.iter().filter(|n| !file.has_user(n)) {
                    let close = file
                        .near_names
                        .get(&name.trim().to_lowercase())
                        .and_then(|i| file.entries.get(*i));
                    let hint = close.map_or_else(String::new, |c| format!(" The file has \"{}\" on line {}: user names must match exactly, including capital letters and spaces.", c.user, c.line));
                    out.problem(Severity::Problem, d.line, &d.text, "A required user is not in the password file",
                        format!("Line {} lets in the user \"{name}\", but the password file has no such user, so that person can never sign in.{hint}", d.line),
                        &format!("Add the user with `htpasswd /full/path/.htpasswd {name}` (without -c, which replaces the file), or fix the name on this line."));
                }
            }
        }
        "valid-user" => {
            if let Some(file) = users
                && file.entries.is_empty()
            {
                out.problem(Severity::Problem, d.line, &d.text, "The password file has no users",
                    "Require valid-user lets in anyone from the password file, but the file given has no user lines, so nobody can sign in.".to_owned(),
                    "Add a user with `htpasswd -c /full/path/.htpasswd USERNAME` (-c creates the file).");
            }
        }
        "group" => {
            let scope = conf.auth_scope(d.section);
            if conf.effective(scope, "authgroupfile").is_none() && conf.effective(scope, "authldapurl").is_none() {
                out.problem(Severity::Problem, d.line, &d.text, "Require group without a group file",
                    "Require group needs an AuthGroupFile saying who is in which group; without one nobody is in any group and everyone is refused.".to_owned(),
                    "Add `AuthGroupFile /full/path/.htgroups` with lines like `admins: alice bob`, or use `Require user`.");
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
        let scheme = auth_type
            .and_then(|a| a.args.first())
            .map(|a| a.to_ascii_lowercase());
        let Some(scheme) = scheme else {
            out.problem(Severity::Problem, d.line, &d.text, "Require asks for a sign-in but AuthType is missing",
                "This line needs a signed-in user, but no AuthType says how to sign in. Apache then fails with an error (500 \"AuthType not set\") instead of showing a password box, unless a parent folder or the server configuration sets it.".to_owned(),
                "Add `AuthType Basic`, `AuthName \"Restricted area\"` and `AuthUserFile /full/path/.htpasswd` before this line.");
            continue;
        };
        if scheme == "none" {
            continue;
        }
        if matches!(scheme.as_str(), "basic" | "digest")
            && conf.effective(scope, "authname").is_none()
        {
            let at = auth_type.unwrap_or(d);
            out.problem(Severity::Problem, at.line, &at.text, "AuthName is missing",
                "Basic and Digest sign-in need an AuthName (the name of the protected area shown in the password box). Without it Apache fails with an error (500) instead of asking for the password.".to_owned(),
                "Add `AuthName \"Restricted area\"` next to AuthType.");
        }
        let provider = conf.effective(
            scope,
            if scheme == "digest" {
                "authdigestprovider"
            } else {
                "authbasicprovider"
            },
        );
        let uses_file =
            provider.is_none_or(|p| p.args.iter().any(|a| a.eq_ignore_ascii_case("file")));
        let password_file_line = conf.effective(scope, "authuserfile");
        if matches!(scheme.as_str(), "basic" | "digest")
            && uses_file
            && password_file_line.is_none()
        {
            let at = auth_type.unwrap_or(d);
            out.problem(Severity::Problem, at.line, &at.text, "No password file is named",
                "Sign-in is turned on, but no AuthUserFile says where the user names and passwords are. Every sign-in fails (Apache logs \"AuthUserFile not specified\"), unless a parent folder or the server configuration names the file.".to_owned(),
                "Add `AuthUserFile /full/path/.htpasswd` (a full path, outside the web site's folder).");
        }
        if let (Some(file), Some(at)) = (users, auth_type) {
            digest_format_checks(file, &scheme, conf.effective(scope, "authname"), at, out);
        }
        apache_deny_all_check(conf, scope, d, out);
    }
}

pub(super) fn digest_format_checks(
    file: &PasswordFile,
    scheme: &str,
    auth_name: Option<&Directive>,
    auth_type: &Directive,
    out: &mut Output,
) {
    if scheme == "basic" && file.is_digest() {
        out.problem(Severity::Problem, auth_type.line, &auth_type.text, "Digest password file used with Basic sign-in",
            "The password file has lines like user:realm:hash, the format made by htdigest for Digest sign-in, but AuthType is Basic. Apache reads realm:hash as the password hash, so no password ever matches.".to_owned(),
            "Either change to `AuthType Digest` (with `AuthDigestProvider file`), or make a new file with `htpasswd -c -B /full/path/.htpasswd USERNAME`.");
    } else if scheme == "digest" && file.is_basic() {
        out.problem(Severity::Problem, auth_type.line, &auth_type.text, "Basic password file used with Digest sign-in",
            "AuthType is Digest, but the password file has lines like user:hash, made by htpasswd for Basic sign-in. Digest needs lines like user:realm:hash, made by htdigest, so no password ever matches.".to_owned(),
            "Make the file with `htdigest -c /full/path/.htdigest \"REALM\" USERNAME`, where REALM is exactly the AuthName, or switch to `AuthType Basic`.");
    } else if scheme == "digest"
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
            out.problem(Severity::Problem, name.line, &name.text, "The Digest realm does not match the password file",
                format!("AuthName is \"{realm}\", but the password file was made for the realm {}. With Digest the realm is part of each password hash, so it must match exactly (capital letters and spaces included); otherwise no password matches.", list(&mismatched)),
                "Make AuthName exactly the realm used in the password file, or recreate the file with htdigest and this AuthName.");
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
        out.problem(Severity::Problem, deny.line, &deny.text, "Deny from all blocks everyone, password or not",
            format!("Line {} refuses every visitor, and Satisfy All (the default) needs both the IP rules and the password (line {}) to agree, so nobody gets in: Apache answers 403 or keeps asking.", deny.line, require.line),
            "Remove `Deny from all` (and `Order`) if the password alone should decide, or add `Satisfy Any` with `Allow from` lines for the addresses that need no password.");
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
            out.problem(Severity::Warning, old.line, &old.text, "Old and new access rules are mixed",
            format!("Line {} uses the Apache 2.2 style (Order/Allow/Deny) and line {} the Apache 2.4 style (Require all/ip/host). Apache's documentation warns that mixing them gives surprising results.", old.line, new.line),
            "Use only the Apache 2.4 style: `Require ip …`, `Require all granted`/`denied`, inside `<RequireAll>`/`<RequireAny>` as needed.");
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
                    out.problem(Severity::Problem, denied.line, &denied.text, "A rule that can never be met",
                        "Inside <RequireAll> every line must allow the visitor, and `Require all denied` never does, so nobody gets in, whatever password is used.".to_owned(),
                        "Remove `Require all denied` from the <RequireAll> block.");
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
                        out.problem(Severity::Problem, last.line, &last.text, "A rule that can never be met",
                            "Inside <RequireAll> every line must allow the visitor, but these Require user lines name different users, and a visitor signs in as only one user at a time. Nobody gets in.".to_owned(),
                            "Put the users on one line (`Require user alice bob`), or use <RequireAny>.");
                    }
                }
            }
            "limit" => {
                if auth_line.is_some()
                    && let Some(limit) = conf.section(*section)
                {
                    out.problem(Severity::Warning, limit.line, &limit.text, "Only some request methods are protected",
                        format!("The sign-in rule is inside <Limit {}>, so it only applies to those methods; any other method (for example POST, PUT or DELETE) gets in without a password.", limit.args),
                        "Remove the <Limit> lines around the Require line so every request needs the password (or use <LimitExcept> if some methods must stay open).");
                }
            }
            "requirenone" => {
                if members.iter().all(|d| entity(d) != "not")
                    && members.len() == members.iter().filter(|d| entity(d) == "valid-user").count()
                {
                    if let Some(first) = members.first() {
                        out.problem(Severity::Problem, first.line, &first.text, "A rule that refuses every signed-in user",
                            "<RequireNone> refuses visitors that match the rules inside; with Require valid-user inside, every signed-in user is refused.".to_owned(),
                            "Use <RequireAll> or <RequireAny> instead of <RequireNone>.");
                    }
                }
            }
            _ => {
                if let Some(not) = members.iter().find(|d| entity(d) == "not") {
                    out.problem(Severity::Problem, not.line, &not.text, "A `Require not` outside <RequireAll>",
                        "A negative rule (Require not …) cannot let anyone in by itself, so Apache refuses it outside <RequireAll> or <RequireNone> and stops with an error (500).".to_owned(),
                        "Put the Require not line together with a positive rule inside `<RequireAll>`.");
                }
                if let (Some(granted), Some(auth)) = (granted, auth_line) {
                    out.problem(Severity::Warning, granted.line, &granted.text, "Require all granted: the password is never asked",
                        format!("Several Require lines in the same place mean any one of them is enough. `Require all granted` lets everyone in, so the password rule on line {} never matters.", auth.line),
                        "Remove `Require all granted` if the password should be required.");
                } else if let (Some(denied), Some(auth)) = (denied, auth_line) {
                    out.problem(Severity::Warning, denied.line, &denied.text, "Require all denied has no effect here",
                        format!("Several Require lines in the same place mean any one of them is enough, so users who sign in (line {}) still get in and `Require all denied` does nothing. If nobody should get in, keep only `Require all denied`; if both must hold, use <RequireAll>.", auth.line),
                        "Decide which rule you meant and remove the other.");
                } else if let Some(denied) =
                    denied.filter(|_| members.len() == 1 && section.is_none())
                {
                    let scope = conf.auth_scope(denied.section);
                    if conf.effective(scope, "authtype").is_some() {
                        out.problem(Severity::Problem, denied.line, &denied.text, "A rule that can never be met",
                            "Sign-in is set up here, but the only access rule is `Require all denied`, which refuses everyone before any password is asked (403).".to_owned(),
                            "Replace `Require all denied` with `Require valid-user` to let in everyone from the password file.");
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
