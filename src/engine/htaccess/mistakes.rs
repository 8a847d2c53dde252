//! Every mistake the configuration and password file checks can report, with its words: how bad
//! it is, its title, what it means here and the first step to fix it. The checks decide which
//! mistake a line makes; this file says it.

use super::{Code, ConfigKind, Finding, Severity};

/// One mistake found in a configuration or password file, with the facts its words need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Mistake {
    // --- Apache: single directives ---
    /// `AuthType` with no word or several.
    AuthTypeWordCount { line: usize, value: String },
    /// The 401 named another scheme than this file's `AuthType`.
    ApacheOtherScheme { set: String, observed: String },
    /// Basic sign-in (Apache or nginx) on a site reached over http.
    BasicOverHttp,
    /// `AuthUserFile` with nothing after it.
    AuthUserFileEmpty,
    /// `AuthUserFile` with a path of several words.
    PathWithSpace { words: usize },
    /// `AuthUserFile` with a relative path.
    ApacheRelativePasswordFile { path: String },
    /// `AuthUserFile` inside the `DocumentRoot`; `dot_ht` when its name starts with `.ht`.
    ApachePasswordFileInWebRoot { path: String, dot_ht: bool },
    /// `AuthUserFile` naming an `.htaccess`.
    UserFileIsHtaccess,
    /// A provider line that does not include `file`.
    UserFileUnused {
        provider_line: usize,
        providers: String,
    },
    /// `AuthGroupFile` with a relative path.
    RelativeGroupFile,
    /// `ErrorDocument 401` pointing at a page.
    Custom401Page { target: String },
    // --- Apache: Satisfy Any ---
    /// `Satisfy Any` with `Allow from all` on `allow_line`.
    SatisfyAnyAllowAll { allow_line: usize },
    /// `Satisfy Any` without any IP rules.
    SatisfyAnyAlone,
    /// `Satisfy Any` with IP rules.
    SatisfyAnyIpOrPassword,
    // --- Apache: Require lines ---
    /// `Require` with nothing after it.
    RequireEmpty,
    /// `Require user` without names.
    RequireUserNoNames,
    /// `Require user` and a password file without users.
    NoUsersForRequireUser,
    /// `Require user NAME` on `line`, NAME not in the password file; `close` is a near name and
    /// its line in the file.
    RequiredUserMissing {
        line: usize,
        name: String,
        close: Option<(String, usize)>,
    },
    /// `Require valid-user` and a password file without users.
    NoUsersForValidUser,
    /// `Require group` without `AuthGroupFile` (or LDAP).
    RequireGroupNoFile,
    // --- Apache: what a scope lacks ---
    /// A `Require` for users with no `AuthType`.
    AuthTypeMissing,
    /// Basic or Digest without `AuthName`.
    AuthNameMissing,
    /// Basic or Digest reading users from a file that no `AuthUserFile` names.
    NoPasswordFile,
    /// A htdigest file with `AuthType Basic`.
    DigestFileWithBasic,
    /// A htpasswd file with `AuthType Digest`.
    BasicFileWithDigest,
    /// `AuthName` (the realm) differs from the realms in the password file.
    DigestRealmMismatch { realm: String, file_realms: String },
    /// `Deny from all` next to a password under Satisfy All.
    DenyFromAll {
        deny_line: usize,
        require_line: usize,
    },
    /// Apache 2.2 and 2.4 access rules in one scope.
    MixedAccessStyles { old_line: usize, new_line: usize },
    // --- Apache: Require groups ---
    /// `Require all denied` inside `<RequireAll>` with a password rule.
    RequireAllWithDenied,
    /// `Require user` lines naming different users inside `<RequireAll>`.
    RequireAllDifferentUsers,
    /// The password rule inside `<Limit METHODS>`.
    OnlySomeMethods { methods: String },
    /// `<RequireNone>` around `Require valid-user` only.
    RequireNoneValidUser,
    /// `Require not` outside `<RequireAll>` / `<RequireNone>`.
    RequireNotOutsideAll,
    /// `Require all granted` next to the password rule on `auth_line`.
    RequireAllGranted { auth_line: usize },
    /// `Require all denied` next to the password rule on `auth_line`.
    RequireAllDeniedNoEffect { auth_line: usize },
    /// `Require all denied` as the only rule where sign-in is set up.
    RequireOnlyDenied,
    // --- nginx ---
    /// `auth_basic` with more than one value; `runs_into` is a directive name glued to it.
    NginxAuthBasicMalformed { runs_into: Option<String> },
    /// `auth_basic off` inside a block whose parent asks for a password.
    NginxPasswordOff,
    /// `auth_basic` without `auth_basic_user_file`.
    NginxNoPasswordFile,
    /// The 401 named another scheme than nginx's Basic.
    NginxOtherScheme { observed: String },
    /// `auth_basic_user_file` with nothing after it.
    NginxUserFileEmpty,
    /// `auth_basic_user_file` with a relative path.
    NginxRelativePasswordFile { path: String },
    /// `auth_basic_user_file` inside the `root`; `ht_location` when a location refuses `.ht` files.
    NginxPasswordFileInWebRoot { path: String, ht_location: bool },
    /// `satisfy any` with `allow all` on `allow_line`.
    NginxSatisfyAnyAllowAll { allow_line: usize },
    /// `satisfy any` with allow/deny rules.
    NginxSatisfyAnyIpOrPassword,
    /// `satisfy any` without allow/deny rules.
    NginxSatisfyAnyAlone,
    /// A htdigest file with nginx.
    DigestFileWithNginx,
    /// nginx and a password file without users.
    NginxNoUsers,
    // --- the password file (`server` picks the htpasswd advice) ---
    /// A byte order mark before the first user name.
    Bom { user: String },
    /// A line of the file that is not user:hash; `what` says what it is instead.
    BrokenLine {
        line: usize,
        what: String,
        server: ConfigKind,
    },
    /// A line starting with a colon.
    NoUserName { line: usize, server: ConfigKind },
    /// A user name with spaces around it.
    SpacesAroundUser { user: String, line: usize },
    /// The same user twice.
    DuplicateUser { user: String },
    /// A user without a password hash.
    EmptyHash { user: String, server: ConfigKind },
    /// A password stored as plain text.
    PlainHash { user: String, server: ConfigKind },
    /// An Argon2 hash.
    Argon2Hash { user: String, server: ConfigKind },
    /// A bare hexadecimal hash.
    RawHexHash { user: String, server: ConfigKind },
    /// `{SSHA}` or `{PLAIN}` with Apache; `method` is the format's name.
    NginxOnlyHash {
        user: String,
        method: &'static str,
        server: ConfigKind,
    },
    /// `$2b$` / `$2x$` bcrypt with Apache.
    ApacheBcryptVariant { user: String, server: ConfigKind },
    /// bcrypt with nginx.
    NginxBcrypt { user: String, server: ConfigKind },
    /// yescrypt or scrypt; `method` is the format's name.
    ModernCrypt {
        user: String,
        method: &'static str,
        server: ConfigKind,
    },
    /// Old DES crypt.
    DesCrypt { user: String, server: ConfigKind },
    /// `{PLAIN}` with nginx.
    NginxPlainMarked { user: String, server: ConfigKind },
}

impl Mistake {
    /// The `htaccess-problem` finding that reports it, without its evidence.
    pub(super) fn finding(self) -> Finding {
        let fix = self.fix();
        let finding = Finding::new(Code::HtaccessProblem, self.detail())
            .title(self.title())
            .severity(self.severity());
        if fix.is_empty() {
            finding
        } else {
            finding.first_step(fix)
        }
    }

    /// How bad it is: a problem stops the sign-in, a warning may.
    pub(super) fn severity(&self) -> Severity {
        match self {
            Self::BasicOverHttp
            | Self::ApachePasswordFileInWebRoot { .. }
            | Self::UserFileUnused { .. }
            | Self::Custom401Page { .. }
            | Self::SatisfyAnyAllowAll { .. }
            | Self::SatisfyAnyAlone
            | Self::SatisfyAnyIpOrPassword
            | Self::MixedAccessStyles { .. }
            | Self::OnlySomeMethods { .. }
            | Self::RequireAllGranted { .. }
            | Self::RequireAllDeniedNoEffect { .. }
            | Self::NginxPasswordOff
            | Self::NginxNoPasswordFile
            | Self::NginxRelativePasswordFile { .. }
            | Self::NginxPasswordFileInWebRoot { .. }
            | Self::NginxSatisfyAnyAllowAll { .. }
            | Self::NginxSatisfyAnyIpOrPassword
            | Self::NginxSatisfyAnyAlone
            | Self::DuplicateUser { .. }
            | Self::ApacheBcryptVariant { .. }
            | Self::NginxBcrypt { .. }
            | Self::ModernCrypt { .. }
            | Self::DesCrypt { .. }
            | Self::NginxPlainMarked { .. } => Severity::Warning,
            _ => Severity::Problem,
        }
    }

    /// The finding's title.
    pub(super) fn title(&self) -> &'static str {
        match self {
            Self::AuthTypeWordCount { .. } => "AuthType has the wrong number of words",
            Self::ApacheOtherScheme { .. } => {
                "The server asks for a different sign-in than this file sets"
            }
            Self::BasicOverHttp => "Basic sign-in over plain http",
            Self::AuthUserFileEmpty => "AuthUserFile names no file",
            Self::PathWithSpace { .. } => "The password file path has a space and no quotes",
            Self::ApacheRelativePasswordFile { .. } | Self::NginxRelativePasswordFile { .. } => {
                "The password file path is relative"
            }
            Self::ApachePasswordFileInWebRoot { .. } | Self::NginxPasswordFileInWebRoot { .. } => {
                "The password file is inside the web site's folder"
            }
            Self::UserFileIsHtaccess => "AuthUserFile points at an .htaccess file",
            Self::UserFileUnused { .. } => "AuthUserFile is not used",
            Self::RelativeGroupFile => "The group file path is relative",
            Self::Custom401Page { .. } => "A custom page for 401 answers",
            Self::SatisfyAnyAllowAll { .. } => {
                "Satisfy Any with Allow from all: the password is never asked"
            }
            Self::SatisfyAnyAlone => "Satisfy Any has nothing to combine",
            Self::SatisfyAnyIpOrPassword => "Satisfy Any: IP address or password",
            Self::RequireEmpty => "Require with nothing after it",
            Self::RequireUserNoNames => "Require user names no user",
            Self::NoUsersForRequireUser | Self::NoUsersForValidUser | Self::NginxNoUsers => {
                "The password file has no users"
            }
            Self::RequiredUserMissing { .. } => "A required user is not in the password file",
            Self::RequireGroupNoFile => "Require group without a group file",
            Self::AuthTypeMissing => "Require asks for a sign-in but AuthType is missing",
            Self::AuthNameMissing => "AuthName is missing",
            Self::NoPasswordFile => "No password file is named",
            Self::DigestFileWithBasic => "Digest password file used with Basic sign-in",
            Self::BasicFileWithDigest => "Basic password file used with Digest sign-in",
            Self::DigestRealmMismatch { .. } => "The Digest realm does not match the password file",
            Self::DenyFromAll { .. } => "Deny from all blocks everyone, password or not",
            Self::MixedAccessStyles { .. } => "Old and new access rules are mixed",
            Self::RequireAllWithDenied
            | Self::RequireAllDifferentUsers
            | Self::RequireOnlyDenied => "A rule that can never be met",
            Self::OnlySomeMethods { .. } => "Only some request methods are protected",
            Self::RequireNoneValidUser => "A rule that refuses every signed-in user",
            Self::RequireNotOutsideAll => "A `Require not` outside <RequireAll>",
            Self::RequireAllGranted { .. } => "Require all granted: the password is never asked",
            Self::RequireAllDeniedNoEffect { .. } => "Require all denied has no effect here",
            Self::NginxAuthBasicMalformed { .. } => "auth_basic line is malformed",
            Self::NginxPasswordOff => "The password is switched off here",
            Self::NginxNoPasswordFile => "auth_basic without a password file",
            Self::NginxOtherScheme { .. } => {
                "The server asks for a different sign-in than this configuration sets"
            }
            Self::NginxUserFileEmpty => "auth_basic_user_file names no file",
            Self::NginxSatisfyAnyAllowAll { .. } => {
                "satisfy any with allow all: the password is never asked"
            }
            Self::NginxSatisfyAnyIpOrPassword => "satisfy any: IP address or password",
            Self::NginxSatisfyAnyAlone => "satisfy any has nothing to combine",
            Self::DigestFileWithNginx => "Digest password file used with nginx",
            Self::Bom { .. } => "The password file starts with an invisible character",
            Self::BrokenLine { .. } => "A password file line cannot be read",
            Self::NoUserName { .. } => "A password file line has no user name",
            Self::SpacesAroundUser { .. } => {
                "A user name in the password file has spaces around it"
            }
            Self::DuplicateUser { .. } => "A user is listed twice in the password file",
            Self::EmptyHash { .. }
            | Self::PlainHash { .. }
            | Self::Argon2Hash { .. }
            | Self::RawHexHash { .. }
            | Self::NginxOnlyHash { .. }
            | Self::ApacheBcryptVariant { .. }
            | Self::NginxBcrypt { .. }
            | Self::ModernCrypt { .. }
            | Self::DesCrypt { .. }
            | Self::NginxPlainMarked { .. } => "A password in the password file cannot be checked",
        }
    }

    /// What the mistake means for this file, in plain words.
    pub(super) fn detail(&self) -> String {
        match self {
            Self::AuthTypeWordCount { line, value } => format!("AuthType takes exactly one word (Basic or Digest), but line {line} gives \"{value}\". Apache stops with an error (500) for the whole folder."),
            Self::ApacheOtherScheme { set, observed } => format!("This file sets AuthType {set}, but the server actually asked for {observed}. The 401 does not come from this file: another .htaccess (in a parent folder), the main server configuration or the application itself answers."),
            Self::BasicOverHttp => "The site is reached over http, so the user name and password travel almost as plain text and anyone on the same network can read them.".to_owned(),
            Self::AuthUserFileEmpty => "AuthUserFile needs the full path of the password file.".to_owned(),
            Self::PathWithSpace { words } => format!("The path contains a space, so Apache sees {words} words instead of one path and stops with an error (500)."),
            Self::ApacheRelativePasswordFile { path } => format!("\"{path}\" does not start with /. Apache does not look for it next to this .htaccess: it reads relative paths from its own installation folder (ServerRoot, for example /etc/apache2 or /usr/local/apache2). It does not find the file, and every sign-in fails (Apache answers 500, or 401 again)."),
            Self::ApachePasswordFileInWebRoot { path, dot_ht } => {
                let extra = if *dot_ht {
                    " Apache's default configuration refuses to serve files whose names start with .ht, but that protection is easy to lose (another server, a changed configuration)."
                } else {
                    " Its name does not start with .ht, so Apache's default rule does not hide it: anyone may be able to download it and try to crack the passwords."
                };
                format!("\"{path}\" looks like it is inside the folder the site is served from, so it may be downloadable.{extra}")
            }
            Self::UserFileIsHtaccess => "The password file must be the file made by htpasswd, not an .htaccess file.".to_owned(),
            Self::UserFileUnused { provider_line, providers } => format!("Line {provider_line} sets the user lookup to {providers}, not file, so this password file is ignored."),
            Self::RelativeGroupFile => "Apache reads relative paths from its installation folder (ServerRoot), not from this folder, so the group file is not found.".to_owned(),
            Self::Custom401Page { target } => format!("401 answers show {target} instead of Apache's own page. If that page is itself protected, redirected, or handled by WordPress, visitors see an error or a loop instead of the password box."),
            Self::SatisfyAnyAllowAll { allow_line } => format!("With Satisfy Any, a visitor gets in when either the IP rules or the password allow it. Line {allow_line} allows everyone, so nobody is ever asked for a password."),
            Self::SatisfyAnyAlone => "Satisfy Any lets visitors in when either the IP rules (Allow/Deny) or the password allow it, but there are no IP rules here, so it does nothing useful.".to_owned(),
            Self::SatisfyAnyIpOrPassword => "With Satisfy Any, visitors from the allowed IP addresses get in without a password and everyone else must sign in. If you expected a password from everyone, that is why it is not asked; if you expected the office to get in without one, a changed office IP address explains a sudden password box. In Apache 2.4 this only works with the old-style module (mod_access_compat).".to_owned(),
            Self::RequireEmpty => "Require needs to say who may enter (valid-user, user NAME, all granted…). Apache stops with an error (500).".to_owned(),
            Self::RequireUserNoNames => "Require user must be followed by at least one user name.".to_owned(),
            Self::NoUsersForRequireUser => "The password file given has no user lines, so nobody can ever sign in.".to_owned(),
            Self::RequiredUserMissing { line, name, close } => {
                let hint = close.as_ref().map_or_else(String::new, |(user, at)| format!(" The file has \"{user}\" on line {at}: user names must match exactly, including capital letters and spaces."));
                format!("Line {line} lets in the user \"{name}\", but the password file has no such user, so that person can never sign in.{hint}")
            }
            Self::NoUsersForValidUser => "Require valid-user lets in anyone from the password file, but the file given has no user lines, so nobody can sign in.".to_owned(),
            Self::RequireGroupNoFile => "Require group needs an AuthGroupFile saying who is in which group; without one nobody is in any group and everyone is refused.".to_owned(),
            Self::AuthTypeMissing => "This line needs a signed-in user, but no AuthType says how to sign in. Apache then fails with an error (500 \"AuthType not set\") instead of showing a password box, unless a parent folder or the server configuration sets it.".to_owned(),
            Self::AuthNameMissing => "Basic and Digest sign-in need an AuthName (the name of the protected area shown in the password box). Without it Apache fails with an error (500) instead of asking for the password.".to_owned(),
            Self::NoPasswordFile => "Sign-in is turned on, but no AuthUserFile says where the user names and passwords are. Every sign-in fails (Apache logs \"AuthUserFile not specified\"), unless a parent folder or the server configuration names the file.".to_owned(),
            Self::DigestFileWithBasic => "The password file has lines like user:realm:hash, the format made by htdigest for Digest sign-in, but AuthType is Basic. Apache reads realm:hash as the password hash, so no password ever matches.".to_owned(),
            Self::BasicFileWithDigest => "AuthType is Digest, but the password file has lines like user:hash, made by htpasswd for Basic sign-in. Digest needs lines like user:realm:hash, made by htdigest, so no password ever matches.".to_owned(),
            Self::DigestRealmMismatch { realm, file_realms } => format!("AuthName is \"{realm}\", but the password file was made for the realm {file_realms}. With Digest the realm is part of each password hash, so it must match exactly (capital letters and spaces included); otherwise no password matches."),
            Self::DenyFromAll { deny_line, require_line } => format!("Line {deny_line} refuses every visitor, and Satisfy All (the default) needs both the IP rules and the password (line {require_line}) to agree, so nobody gets in: Apache answers 403 or keeps asking."),
            Self::MixedAccessStyles { old_line, new_line } => format!("Line {old_line} uses the Apache 2.2 style (Order/Allow/Deny) and line {new_line} the Apache 2.4 style (Require all/ip/host). Apache's documentation warns that mixing them gives surprising results."),
            Self::RequireAllWithDenied => "Inside <RequireAll> every line must allow the visitor, and `Require all denied` never does, so nobody gets in, whatever password is used.".to_owned(),
            Self::RequireAllDifferentUsers => "Inside <RequireAll> every line must allow the visitor, but these Require user lines name different users, and a visitor signs in as only one user at a time. Nobody gets in.".to_owned(),
            Self::OnlySomeMethods { methods } => format!("The sign-in rule is inside <Limit {methods}>, so it only applies to those methods; any other method (for example POST, PUT or DELETE) gets in without a password."),
            Self::RequireNoneValidUser => "<RequireNone> refuses visitors that match the rules inside; with Require valid-user inside, every signed-in user is refused.".to_owned(),
            Self::RequireNotOutsideAll => "A negative rule (Require not …) cannot let anyone in by itself, so Apache refuses it outside <RequireAll> or <RequireNone> and stops with an error (500).".to_owned(),
            Self::RequireAllGranted { auth_line } => format!("Several Require lines in the same place mean any one of them is enough. `Require all granted` lets everyone in, so the password rule on line {auth_line} never matters."),
            Self::RequireAllDeniedNoEffect { auth_line } => format!("Several Require lines in the same place mean any one of them is enough, so users who sign in (line {auth_line}) still get in and `Require all denied` does nothing. If nobody should get in, keep only `Require all denied`; if both must hold, use <RequireAll>."),
            Self::RequireOnlyDenied => "Sign-in is set up here, but the only access rule is `Require all denied`, which refuses everyone before any password is asked (403).".to_owned(),
            Self::NginxAuthBasicMalformed { runs_into: Some(next) } => format!("auth_basic takes one value, but this line runs into \"{next}\": the semicolon at the end of the line is probably missing, and nginx refuses to start or reload with this configuration."),
            Self::NginxAuthBasicMalformed { runs_into: None } => "auth_basic takes one value (the area's name in quotes, or off); nginx refuses this configuration.".to_owned(),
            Self::NginxPasswordOff => "auth_basic off inside this block turns off the password the outer block asks for: addresses matching this block are open to everyone. If a page asks for a password anyway, it does not come from here.".to_owned(),
            Self::NginxNoPasswordFile => "auth_basic names the protected area, but no auth_basic_user_file says where the passwords are. nginx then does not ask for a password at all.".to_owned(),
            Self::NginxOtherScheme { observed } => format!("nginx's auth_basic asks for Basic sign-in, but the server actually asked for {observed}. The 401 comes from somewhere else: the application behind nginx, another proxy, or another part of the configuration."),
            Self::NginxUserFileEmpty => "auth_basic_user_file needs the path of the password file.".to_owned(),
            Self::NginxRelativePasswordFile { path } => format!("\"{path}\" does not start with /. nginx reads it from its configuration folder (for example /etc/nginx/), not from the site's folder; if the file is elsewhere, every sign-in fails (nginx logs \"open() … failed\" and answers 500)."),
            Self::NginxPasswordFileInWebRoot { path, ht_location } => {
                let extra = if *ht_location {
                    " A location block refuses .ht files here, which helps, but the file is still safer elsewhere."
                } else {
                    " Unlike Apache, nginx has no default rule hiding .ht files, so it can probably be downloaded."
                };
                format!("\"{path}\" is inside the folder the site is served from.{extra}")
            }
            Self::NginxSatisfyAnyAllowAll { allow_line } => format!("With satisfy any, a visitor gets in when either the allow/deny rules or the password allow it. Line {allow_line} allows everyone, so nobody is asked for a password."),
            Self::NginxSatisfyAnyIpOrPassword => "With satisfy any, visitors from allowed addresses get in without a password and everyone else must sign in. If the office's address changed, office visitors suddenly get the password box.".to_owned(),
            Self::NginxSatisfyAnyAlone => "satisfy any lets visitors in when either the allow/deny rules or the password allow it, but this block has no allow or deny rules.".to_owned(),
            Self::DigestFileWithNginx => "The password file has lines like user:realm:hash (made by htdigest for Digest sign-in), but nginx only does Basic sign-in and reads realm:hash as the password, so no password matches.".to_owned(),
            Self::NginxNoUsers => "The password file given has no user lines, so nobody can sign in.".to_owned(),
            Self::Bom { user } => format!("The file starts with a byte order mark (an invisible character some Windows editors add), so the first user name is read as \"\u{feff}{user}\" and that user can never sign in."),
            Self::BrokenLine { line, what, .. } => format!("Line {line} of the password file {what}. Each line must be user:password-hash."),
            Self::NoUserName { line, .. } => format!("Line {line} of the password file starts with a colon: it has no user name."),
            Self::SpacesAroundUser { user, line } => format!("The user name \"{user}\" on line {line} has spaces before or after it. The server compares names exactly, so typing \"{}\" never matches.", user.trim()),
            Self::DuplicateUser { user } => format!("\"{user}\" appears more than once; the server only uses the first line, so a password set on a later line never works."),
            Self::EmptyHash { user, .. } => format!("The user \"{user}\" has an empty password hash, so no password matches."),
            Self::PlainHash { user, server: ConfigKind::Apache } => format!("The password of \"{user}\" seems to be stored as plain text. Apache on Linux and other Unix systems only accepts hashed passwords (plain text works only on Windows), so the right password is refused."),
            Self::PlainHash { user, server: ConfigKind::Nginx } => format!("The password of \"{user}\" seems to be stored as plain text. nginx hands it to the system's password checker, which cannot match plain text; it must be hashed (or at least written as {{PLAIN}}password, which is unsafe)."),
            Self::Argon2Hash { user, .. } => format!("The password of \"{user}\" is an Argon2 hash, which neither Apache nor nginx can check."),
            Self::RawHexHash { user, .. } => format!("The password of \"{user}\" is a bare hexadecimal hash (like plain MD5 or SHA-256, made by a script or database). Web servers cannot check those: the hash must carry its method ($apr1$, $2y$, {{SHA}}…)."),
            Self::NginxOnlyHash { user, method, .. } => format!("The password of \"{user}\" is stored as {method}, which nginx understands but Apache does not."),
            Self::ApacheBcryptVariant { user, .. } => format!("The password of \"{user}\" is a bcrypt hash starting with $2b$ or $2x$. Apache's own bcrypt code reads $2y$ (and $2a$); other variants work only if the system's password library supports them."),
            Self::NginxBcrypt { user, .. } => format!("The password of \"{user}\" is a bcrypt hash. nginx checks it with the system's password library, which on some Linux systems (older glibc) cannot read bcrypt, so the right password is refused there."),
            Self::ModernCrypt { user, method, .. } => format!("The password of \"{user}\" uses {method}, which works only where the system's password library supports it (recent Linux distributions)."),
            Self::DesCrypt { user, .. } => format!("The password of \"{user}\" uses old DES crypt: only its first 8 characters count, and Apache on Windows cannot read it."),
            Self::NginxPlainMarked { user, .. } => format!("The password of \"{user}\" is stored readable ({{PLAIN}}): anyone who can read the file knows it."),
        }
    }

    /// The first step to fix it.
    pub(super) fn fix(&self) -> String {
        let fix = match self {
            Self::AuthTypeWordCount { .. } => "Write `AuthType Basic` (or `AuthType Digest`).",
            Self::ApacheOtherScheme { .. } => {
                "Look for the other place that asks for a sign-in: .htaccess files in parent folders, the virtual host configuration, or the application's own settings."
            }
            Self::BasicOverHttp => {
                "Redirect http to https before the password is asked, and use the https address."
            }
            Self::AuthUserFileEmpty => {
                "Write the full path, for example `AuthUserFile /home/USER/.htpasswd`."
            }
            Self::PathWithSpace { .. } => {
                "Put the path in double quotes: `AuthUserFile \"/path with spaces/.htpasswd\"`."
            }
            Self::ApacheRelativePasswordFile { .. } => {
                "Write the full path from the root of the server, for example `AuthUserFile /home/USER/.htpasswd` (your hosting panel or `pwd` in the folder shows it)."
            }
            Self::ApachePasswordFileInWebRoot { .. } => {
                "Move the password file to a folder above the web root (for example /home/USER/.htpasswd) and update this line."
            }
            Self::UserFileIsHtaccess => {
                "Point AuthUserFile at the password file (often called .htpasswd)."
            }
            Self::UserFileUnused { .. } => {
                "Add `file` to the provider line, or remove AuthUserFile."
            }
            Self::RelativeGroupFile => "Write the full path of the group file.",
            Self::Custom401Page { .. } => {
                "If the password box does not appear, use `ErrorDocument 401 default`."
            }
            Self::SatisfyAnyAllowAll { .. } => {
                "Remove `Satisfy Any` (or the `Allow from all` line) if the password should be required."
            }
            Self::SatisfyAnyAlone => {
                "Remove the Satisfy line, or add the IP rules it was meant for."
            }
            Self::SatisfyAnyIpOrPassword => {
                "In Apache 2.4, write it as `<RequireAny>` with `Require ip …` and `Require valid-user` inside."
            }
            Self::RequireEmpty => {
                "Write `Require valid-user` to let in everyone in the password file."
            }
            Self::RequireUserNoNames => "Add the user names, or write `Require valid-user`.",
            Self::NoUsersForRequireUser | Self::NoUsersForValidUser => {
                "Add a user with `htpasswd -c /full/path/.htpasswd USERNAME` (-c creates the file)."
            }
            Self::RequiredUserMissing { name, .. } => {
                return format!(
                    "Add the user with `htpasswd /full/path/.htpasswd {name}` (without -c, which replaces the file), or fix the name on this line."
                );
            }
            Self::RequireGroupNoFile => {
                "Add `AuthGroupFile /full/path/.htgroups` with lines like `admins: alice bob`, or use `Require user`."
            }
            Self::AuthTypeMissing => {
                "Add `AuthType Basic`, `AuthName \"Restricted area\"` and `AuthUserFile /full/path/.htpasswd` before this line."
            }
            Self::AuthNameMissing => "Add `AuthName \"Restricted area\"` next to AuthType.",
            Self::NoPasswordFile => {
                "Add `AuthUserFile /full/path/.htpasswd` (a full path, outside the web site's folder)."
            }
            Self::DigestFileWithBasic => {
                "Either change to `AuthType Digest` (with `AuthDigestProvider file`), or make a new file with `htpasswd -c -B /full/path/.htpasswd USERNAME`."
            }
            Self::BasicFileWithDigest => {
                "Make the file with `htdigest -c /full/path/.htdigest \"REALM\" USERNAME`, where REALM is exactly the AuthName, or switch to `AuthType Basic`."
            }
            Self::DigestRealmMismatch { .. } => {
                "Make AuthName exactly the realm used in the password file, or recreate the file with htdigest and this AuthName."
            }
            Self::DenyFromAll { .. } => {
                "Remove `Deny from all` (and `Order`) if the password alone should decide, or add `Satisfy Any` with `Allow from` lines for the addresses that need no password."
            }
            Self::MixedAccessStyles { .. } => {
                "Use only the Apache 2.4 style: `Require ip …`, `Require all granted`/`denied`, inside `<RequireAll>`/`<RequireAny>` as needed."
            }
            Self::RequireAllWithDenied => {
                "Remove `Require all denied` from the <RequireAll> block."
            }
            Self::RequireAllDifferentUsers => {
                "Put the users on one line (`Require user alice bob`), or use <RequireAny>."
            }
            Self::OnlySomeMethods { .. } => {
                "Remove the <Limit> lines around the Require line so every request needs the password (or use <LimitExcept> if some methods must stay open)."
            }
            Self::RequireNoneValidUser => {
                "Use <RequireAll> or <RequireAny> instead of <RequireNone>."
            }
            Self::RequireNotOutsideAll => {
                "Put the Require not line together with a positive rule inside `<RequireAll>`."
            }
            Self::RequireAllGranted { .. } => {
                "Remove `Require all granted` if the password should be required."
            }
            Self::RequireAllDeniedNoEffect { .. } => {
                "Decide which rule you meant and remove the other."
            }
            Self::RequireOnlyDenied => {
                "Replace `Require all denied` with `Require valid-user` to let in everyone from the password file."
            }
            Self::NginxAuthBasicMalformed { .. } => {
                "End each line with a semicolon and put the area name in quotes: `auth_basic \"Restricted\";`."
            }
            Self::NginxPasswordOff => {
                "Remove `auth_basic off;` if this part should be protected too."
            }
            Self::NginxNoPasswordFile => {
                "Add `auth_basic_user_file /etc/nginx/.htpasswd;` next to auth_basic."
            }
            Self::NginxOtherScheme { .. } => {
                "Look at the application's own sign-in settings and at any proxy in front of or behind nginx."
            }
            Self::NginxUserFileEmpty | Self::NginxRelativePasswordFile { .. } => {
                "Write the full path, for example `auth_basic_user_file /etc/nginx/.htpasswd;`."
            }
            Self::NginxPasswordFileInWebRoot { .. } => {
                "Move the password file outside the web root (for example /etc/nginx/.htpasswd) and update this line."
            }
            Self::NginxSatisfyAnyAllowAll { .. }
            | Self::NginxSatisfyAnyIpOrPassword
            | Self::NginxSatisfyAnyAlone => {
                "Check that this is what you meant; for a password from everyone, remove `satisfy any;`."
            }
            Self::DigestFileWithNginx => {
                "Make a new file with `htpasswd -c /etc/nginx/.htpasswd USERNAME`."
            }
            Self::NginxNoUsers => {
                "Add a user with `htpasswd -c /etc/nginx/.htpasswd USERNAME` (-c creates the file)."
            }
            Self::Bom { .. } => {
                "Save the password file as UTF-8 without BOM (or ASCII), or recreate it with htpasswd."
            }
            Self::SpacesAroundUser { .. } => {
                "Remove the spaces around the user name in the password file."
            }
            Self::DuplicateUser { .. } => {
                "Delete the extra lines for this user and set the password once more."
            }
            Self::BrokenLine { server, .. }
            | Self::NoUserName { server, .. }
            | Self::EmptyHash { server, .. }
            | Self::PlainHash { server, .. }
            | Self::Argon2Hash { server, .. }
            | Self::RawHexHash { server, .. }
            | Self::NginxOnlyHash { server, .. }
            | Self::ApacheBcryptVariant { server, .. }
            | Self::NginxBcrypt { server, .. }
            | Self::ModernCrypt { server, .. }
            | Self::DesCrypt { server, .. }
            | Self::NginxPlainMarked { server, .. } => regenerate(*server),
        };
        fix.to_owned()
    }
}

/// How to set a password again in a format the server reads, without losing the other users.
fn regenerate(server: ConfigKind) -> &'static str {
    match server {
        ConfigKind::Apache => {
            "Set the password again with `htpasswd -B /full/path/to/.htpasswd USERNAME` (without \
             -c, which would replace the whole file)."
        }
        ConfigKind::Nginx => {
            "Set the password again with `htpasswd /full/path/to/.htpasswd USERNAME` (Apache MD5, \
             which nginx reads everywhere), without -c, which would replace the whole file."
        }
    }
}
