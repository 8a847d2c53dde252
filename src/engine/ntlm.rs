//! Windows integrated sign-in (Negotiate, NTLM): the first message of an NTLM handshake, which holds
//! no secret, and a reading of the server's answer (its "type 2" message: target name, domain,
//! computer names, flags, Windows version), plus IIS's 401 sub-status codes in plain words.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::engine::challenge::{Challenge, Scheme};
use crate::engine::finding::{Code, Finding};
use crate::engine::probe::Exchange;
use crate::engine::text::scan_body;
use crate::engine::time::rfc3339;

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

/// NTLM negotiate flags and their names (MS-NLMP 2.2.2.5).
const FLAGS: &[(u32, &str)] = &[
    (0x0000_0001, "Unicode"),
    (0x0000_0002, "OEM"),
    (0x0000_0004, "Request target"),
    (0x0000_0010, "Sign"),
    (0x0000_0020, "Seal"),
    (0x0000_0080, "LM key"),
    (0x0000_0200, "NTLM"),
    (0x0000_0800, "Anonymous"),
    (0x0000_8000, "Always sign"),
    (0x0001_0000, "Target is a domain"),
    (0x0002_0000, "Target is a server"),
    (0x0008_0000, "Extended session security"),
    (0x0040_0000, "Identify"),
    (0x0080_0000, "Target info"),
    (0x0200_0000, "Version"),
    (0x2000_0000, "128-bit"),
    (0x4000_0000, "Key exchange"),
    (0x8000_0000, "56-bit"),
];

/// What the server's NTLM challenge says about it. Its one-time number is left out on purpose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NtlmChallenge {
    /// The scheme the answer came in ("NTLM" or "Negotiate").
    pub scheme: String,
    /// The target name: the domain (or server) the account must belong to.
    pub target_name: String,
    /// True when the target is a domain, false for a stand-alone server.
    pub target_is_domain: bool,
    /// The Windows (`NetBIOS`) domain name.
    pub netbios_domain: Option<String>,
    /// The server's Windows (`NetBIOS`) computer name.
    pub netbios_computer: Option<String>,
    /// The DNS domain name.
    pub dns_domain: Option<String>,
    /// The server's full DNS name.
    pub dns_computer: Option<String>,
    /// The DNS name of the forest.
    pub dns_tree: Option<String>,
    /// The server's clock, from the message's timestamp (UTC, RFC 3339).
    pub server_time: Option<String>,
    /// The Windows version the server names ("10.0 build 20348").
    pub windows_version: Option<String>,
    /// The negotiate flags, by name.
    pub flags: Vec<String>,
}

/// The first (type 1, "negotiate") message of an NTLM handshake, Base64: flags only, no user, no
/// domain, no workstation, nothing secret.
#[must_use]
pub fn negotiate_message() -> String {
    let mut m = Vec::with_capacity(32);
    m.extend_from_slice(SIGNATURE);
    m.extend_from_slice(&1_u32.to_le_bytes());
    // Unicode, OEM, request target, NTLM, always sign, extended session security, 128, 56.
    m.extend_from_slice(&0xA008_8207_u32.to_le_bytes());
    m.extend_from_slice(&[0; 16]);
    base64::engine::general_purpose::STANDARD.encode(m)
}

/// Whether a 401's challenges offer Windows integrated sign-in.
#[must_use]
pub fn offers_windows_sign_in(challenges: &[Challenge]) -> bool {
    challenges
        .iter()
        .any(|c| matches!(c.kind(), Scheme::Ntlm | Scheme::Negotiate))
}

/// The scheme to start the handshake in: NTLM when offered, otherwise Negotiate (which Windows
/// servers also answer with an NTLM message inside).
#[must_use]
pub fn handshake_scheme(challenges: &[Challenge]) -> &'static str {
    if challenges.iter().any(|c| c.kind() == Scheme::Ntlm) {
        "NTLM"
    } else {
        "Negotiate"
    }
}

/// Reads the type 2 message from an answer's `WWW-Authenticate: NTLM …` or `Negotiate …`.
#[must_use]
pub fn challenge_of(answer: &Exchange) -> Option<NtlmChallenge> {
    answer.challenges().challenges.iter().find_map(|c| {
        if !matches!(c.kind(), Scheme::Ntlm | Scheme::Negotiate) {
            return None;
        }
        let token = c.token68.as_deref()?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(token.trim())
            .ok()?;
        let mut parsed = decode_challenge(&bytes)?;
        parsed.scheme.clone_from(&c.scheme);
        Some(parsed)
    })
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn text(bytes: &[u8], unicode: bool) -> String {
    if unicode {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
    .chars()
    .filter(|c| !c.is_control())
    .take(256)
    .collect()
}

/// Decodes an NTLM type 2 (challenge) message; None when it is not one.
#[must_use]
pub fn decode_challenge(b: &[u8]) -> Option<NtlmChallenge> {
    if b.get(..8)? != SIGNATURE || u32_at(b, 8)? != 2 {
        return None;
    }
    let flags = u32_at(b, 20)?;
    let unicode = flags & 1 != 0;
    let field = |at: usize| -> Option<&[u8]> {
        let len = usize::from(u16_at(b, at)?);
        let offset = u32_at(b, at + 4)? as usize;
        b.get(offset..offset.checked_add(len)?)
    };
    let mut out = NtlmChallenge {
        target_name: field(12).map(|t| text(t, unicode)).unwrap_or_default(),
        target_is_domain: flags & 0x0001_0000 != 0,
        flags: FLAGS
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, name)| (*name).to_owned())
            .collect(),
        ..NtlmChallenge::default()
    };
    if flags & 0x0200_0000 != 0
        && let (Some(major), Some(minor), Some(build)) = (b.get(48), b.get(49), u16_at(b, 50))
    {
        out.windows_version = Some(windows_name(*major, *minor, build));
    }
    if flags & 0x0080_0000 != 0
        && let Some(info) = field(40)
    {
        let mut at = 0;
        // At most 32 pairs: a hostile message cannot make this loop long.
        for _ in 0..32 {
            let (Some(id), Some(len)) = (u16_at(info, at), u16_at(info, at + 2)) else {
                break;
            };
            let len = usize::from(len);
            let Some(value) = info.get(at + 4..at + 4 + len) else {
                break;
            };
            match id {
                0 => break,
                1 => out.netbios_computer = Some(text(value, true)),
                2 => out.netbios_domain = Some(text(value, true)),
                3 => out.dns_computer = Some(text(value, true)),
                4 => out.dns_domain = Some(text(value, true)),
                5 => out.dns_tree = Some(text(value, true)),
                7 => {
                    if let Ok(raw) = <[u8; 8]>::try_from(value) {
                        // FILETIME: 100 ns steps since 1601-01-01.
                        let ticks = u64::from_le_bytes(raw);
                        let unix = i64::try_from(ticks / 10_000_000).unwrap_or(0) - 11_644_473_600;
                        out.server_time = rfc3339(unix);
                    }
                }
                _ => {}
            }
            at += 4 + len;
        }
    }
    Some(out)
}

fn windows_name(major: u8, minor: u8, build: u16) -> String {
    let product = match (major, minor, build) {
        (10, 0, b) if b >= 26100 => " (Windows Server 2025 or Windows 11 24H2)",
        (10, 0, 20348) => " (Windows Server 2022)",
        (10, 0, 17763) => " (Windows Server 2019)",
        (10, 0, 14393) => " (Windows Server 2016)",
        (6, 3, _) => " (Windows Server 2012 R2)",
        (6, 2, _) => " (Windows Server 2012)",
        (6, 1, _) => " (Windows Server 2008 R2)",
        _ => "",
    };
    format!("{major}.{minor} build {build}{product}")
}

/// IIS's 401 sub-status in a detailed error page ("HTTP Error 401.2 - Unauthorized"), with what it
/// means and what to do.
#[must_use]
pub fn iis_substatus(e: &Exchange) -> Option<(&'static str, &'static str, &'static str)> {
    let (lower, _) = scan_body(e);
    let pos = lower.find("401.")?;
    let digit = lower.get(pos + 4..pos + 5)?;
    let known = match digit {
        "1" => (
            "401.1",
            "logon failed: the user name, password or domain was refused",
            "Check the account and its domain (DOMAIN\\user or user@domain), that the account is not locked or expired, and that it may sign in on the server.",
        ),
        "2" => (
            "401.2",
            "the server is set up for a sign-in method the browser did not use",
            "If you run the site: in IIS Manager → the site → Authentication, enable Windows Authentication (and its Negotiate/NTLM providers) or the method your users have; if you are a visitor, the browser did not offer Windows sign-in (see the intranet zone step).",
        ),
        "3" => (
            "401.3",
            "the sign-in worked but the file's permissions (ACL) refuse this account",
            "If you run the site: give the account (or the application pool identity / IUSR for anonymous access) read permission on the file or folder in its Security tab.",
        ),
        "5" => (
            "401.5",
            "an ISAPI or CGI application behind IIS refused the sign-in",
            "If you run the site: check the application's own sign-in rules and its log; IIS passed the request on and the application said no.",
        ),
        "7" => (
            "401.7",
            "an URL authorization rule on the server refuses this account",
            "If you run the site: look at the <authorization> rules in web.config (IIS Manager → Authorization Rules) and allow this user or a group they are in.",
        ),
        _ => return None,
    };
    Some(known)
}

/// `windows-sign-in`: the site wants Windows integrated sign-in (Negotiate, NTLM), with the IIS
/// sub-status and what the server's NTLM message says about it.
#[must_use]
pub fn windows_finding(last: &Exchange, ntlm: Option<&NtlmChallenge>) -> Option<Finding> {
    let challenges = last.challenges().challenges;
    if last.status != 401 || !offers_windows_sign_in(&challenges) {
        return None;
    }
    let schemes: Vec<&str> = challenges
        .iter()
        .filter(|c| matches!(c.kind(), Scheme::Ntlm | Scheme::Negotiate))
        .map(|c| c.scheme.as_str())
        .collect();
    let server = last.header("server").unwrap_or_default();
    let iis = server.to_ascii_lowercase().contains("microsoft-iis");
    let who = if iis {
        format!("The site runs on {server} and")
    } else {
        "The site".to_owned()
    };
    let mut detail = format!(
        "{who} asks for Windows integrated sign-in ({}): the browser signs in by itself with the \
         Windows account of this computer, without a password box, but only when the computer is \
         in the organisation's domain (or on its network or VPN) and the browser trusts the site \
         for it. Otherwise the browser shows a password box or just the 401.",
        schemes.join(", ")
    );
    let mut steps: Vec<String> = Vec::new();
    let sub = iis_substatus(last);
    if let Some((code, meaning, step)) = sub {
        detail = format!("{detail} IIS says {code}: {meaning}.");
        steps.push(step.to_owned());
    }
    steps.extend(
        [
            "Connect to the organisation's network or VPN first: Windows sign-in works only where the domain's servers can be reached.",
            "Windows (Edge, Chrome): Control Panel → Internet Options → Security → Local intranet → Sites → Advanced, add this site's address; or IT sets the AuthServerAllowlist policy. Firefox: in about:config add the site to network.negotiate-auth.trusted-uris (and network.automatic-ntlm-auth.trusted-uris for NTLM).",
            "If you run the site and Kerberos (Negotiate) fails while NTLM works: the service principal name must be registered for the account the site runs as (setspn -S HTTP/host.name DOMAIN\\account), and the address must use that name, not an IP address.",
            "If the site passes your sign-in on to another server (a database, a file share) and that part fails: that is the Kerberos \"double hop\"; it needs constrained delegation for the site's account, set up by the domain administrator.",
        ]
        .map(str::to_owned),
    );
    let mut f = Finding::new(Code::WindowsSignIn, detail)
        .steps(steps)
        .evidence("Sign-in methods", schemes.join(", "));
    if !server.is_empty() {
        f = f.evidence("Server", server.to_owned());
    }
    if let Some((code, meaning, _)) = sub {
        f = f.evidence("IIS sub-status", format!("{code}: {meaning}"));
    }
    if let Some(n) = ntlm {
        let kind = if n.target_is_domain {
            "domain"
        } else {
            "server"
        };
        f = f.evidence(
            "NTLM target",
            format!(
                "{} (a {kind}: sign in as {}\\your-name)",
                n.target_name, n.target_name
            ),
        );
        for (label, value) in [
            ("NetBIOS domain", &n.netbios_domain),
            ("DNS domain", &n.dns_domain),
            ("Server's name", &n.dns_computer),
            ("Server's Windows name", &n.netbios_computer),
            ("Forest", &n.dns_tree),
            ("Windows version", &n.windows_version),
            ("Server's clock", &n.server_time),
        ] {
            if let Some(v) = value {
                f = f.evidence(label, v.clone());
            }
        }
        f = f.evidence("NTLM flags", n.flags.join(", "));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A type 2 message as a Windows server sends it: target "CORP", unicode, target info with
    /// names and a timestamp, version 10.0.20348.
    fn type2() -> Vec<u8> {
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let target = utf16("CORP");
        let mut info = Vec::new();
        for (id, value) in [
            (2_u16, utf16("CORP")),
            (1, utf16("WEB01")),
            (4, utf16("corp.example")),
            (3, utf16("web01.corp.example")),
            (5, utf16("corp.example")),
        ] {
            info.extend_from_slice(&id.to_le_bytes());
            info.extend_from_slice(&(value.len() as u16).to_le_bytes());
            info.extend_from_slice(&value);
        }
        // 2026-01-01T00:00:00Z as FILETIME.
        let ticks: u64 = (1_767_225_600 + 11_644_473_600) * 10_000_000;
        info.extend_from_slice(&7_u16.to_le_bytes());
        info.extend_from_slice(&8_u16.to_le_bytes());
        info.extend_from_slice(&ticks.to_le_bytes());
        info.extend_from_slice(&[0, 0, 0, 0]);
        let flags: u32 = 0x0001 | 0x0200 | 0x0001_0000 | 0x0080_0000 | 0x0200_0000 | 0x0008_0000;
        let mut m = Vec::new();
        m.extend_from_slice(SIGNATURE);
        m.extend_from_slice(&2_u32.to_le_bytes());
        let target_at = 56_u32;
        m.extend_from_slice(&(target.len() as u16).to_le_bytes());
        m.extend_from_slice(&(target.len() as u16).to_le_bytes());
        m.extend_from_slice(&target_at.to_le_bytes());
        m.extend_from_slice(&flags.to_le_bytes());
        m.extend_from_slice(&[0x11; 8]);
        m.extend_from_slice(&[0; 8]);
        let info_at = target_at + target.len() as u32;
        m.extend_from_slice(&(info.len() as u16).to_le_bytes());
        m.extend_from_slice(&(info.len() as u16).to_le_bytes());
        m.extend_from_slice(&info_at.to_le_bytes());
        m.extend_from_slice(&[10, 0]);
        m.extend_from_slice(&20348_u16.to_le_bytes());
        m.extend_from_slice(&[0, 0, 0, 15]);
        m.extend_from_slice(&target);
        m.extend_from_slice(&info);
        m
    }

    #[test]
    fn the_negotiate_message_is_a_type_1_with_no_names() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(negotiate_message())
            .unwrap_or_default();
        assert_eq!(bytes.len(), 32);
        assert_eq!(&bytes[..8], SIGNATURE);
        assert_eq!(bytes[8], 1);
    }

    #[test]
    fn a_servers_type_2_message_is_read_without_its_challenge() {
        let parsed = decode_challenge(&type2()).unwrap_or_else(|| panic!("not read"));
        assert_eq!(parsed.target_name, "CORP");
        assert!(parsed.target_is_domain);
        assert_eq!(parsed.dns_computer.as_deref(), Some("web01.corp.example"));
        assert_eq!(parsed.netbios_computer.as_deref(), Some("WEB01"));
        assert_eq!(parsed.server_time.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert!(
            parsed
                .windows_version
                .as_deref()
                .is_some_and(|v| v.contains("2022"))
        );
        assert!(parsed.flags.iter().any(|f| f == "Target is a domain"));
        let json = crate::engine::test_json(&parsed);
        assert!(
            !json.contains("1111"),
            "the server challenge is never kept: {json}"
        );
    }

    #[test]
    fn a_truncated_or_hostile_message_is_refused_or_read_safely() {
        let whole = type2();
        for cut in 0..whole.len() {
            let _ = decode_challenge(&whole[..cut]);
        }
        assert!(decode_challenge(b"NTLMSSP\0\x01\0\0\0").is_none());
        assert!(decode_challenge(b"garbage").is_none());
    }

    #[test]
    fn iis_sub_statuses_are_read_from_the_detailed_error_page() {
        let page = Exchange::for_test(
            "http://intranet/",
            401,
            &[("server", "Microsoft-IIS/10.0")],
            "<h3>HTTP Error 401.2 - Unauthorized</h3><h4>You are not authorized to view this page due to invalid authentication headers.</h4>",
        );
        assert_eq!(iis_substatus(&page).map(|s| s.0), Some("401.2"));
    }
}
