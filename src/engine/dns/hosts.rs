//! The hosts file: the lines that override DNS for a name.

use super::*;

/// One line of the hosts file that gives an address for a name.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct HostsEntry {
    /// The line's number in the file, counting from 1 (as editors show it).
    pub line_number: usize,
    /// The address the line gives.
    pub address: IpAddr,
    /// The names on the line: the main name first, then its aliases, as written.
    pub names: Vec<String>,
    /// The whole line as written (comment included, surrounding spaces removed).
    pub line: String,
}

/// Every line of a hosts file that gives an address, skipping comments, blank and broken lines.
/// An IPv6 zone (`fe80::1%lo0`) is accepted and dropped from the address.
#[must_use]
pub fn parse_hosts(text: &str) -> Vec<HostsEntry> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter_map(|(index, raw)| {
            let content = raw.split('#').next().unwrap_or_default();
            let mut fields = content.split_whitespace();
            let address_text = fields.next()?;
            let address_text = address_text.split('%').next().unwrap_or(address_text);
            let address = address_text.parse::<IpAddr>().ok()?;
            let names: Vec<String> = fields.map(str::to_owned).collect();
            if names.is_empty() {
                return None;
            }
            Some(HostsEntry {
                line_number: index + 1,
                address,
                names,
                line: raw.trim().to_owned(),
            })
        })
        .collect()
}

/// The hosts file lines that name `host` (case-insensitive, aliases included, a final dot ignored).
#[must_use]
pub fn hosts_entries_for(text: &str, host: &str) -> Vec<HostsEntry> {
    let wanted = name_forms(host);
    parse_hosts(text)
        .into_iter()
        .filter(|entry| {
            entry
                .names
                .iter()
                .any(|name| wanted.contains(&normalize_name(name)))
        })
        .collect()
}

/// Reads the hosts file at `path` and returns the lines naming `host`.
/// A missing file is not an error (it just has no lines).
pub fn read_hosts_entries(path: &Path, host: &str) -> Result<Vec<HostsEntry>, DnsError> {
    let read = crate::engine::bounded::read_file(
        path,
        crate::engine::bounded::HOSTS_FILE,
        crate::engine::bounded::Content::Bytes,
    );
    match read.map_err(io::Error::from) {
        Ok(bytes) => Ok(hosts_entries_for(&decode_text(&bytes), host)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(DnsError::HostsFile {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Text from a file that is UTF-8 (the usual case) or UTF-16 with a byte order mark (some Windows editors).
pub(super) fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                from([
                    pair.first().copied().unwrap_or(0),
                    pair.get(1).copied().unwrap_or(0),
                ])
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// A name as compared: lower case, without a final dot.
pub(super) fn normalize_name(name: &str) -> String {
    name.trim().trim_end_matches('.').to_lowercase()
}

/// The forms a host name can take in a hosts file: as given, and its ASCII (punycode) form.
pub(super) fn name_forms(host: &str) -> BTreeSet<String> {
    let mut forms = BTreeSet::from([normalize_name(host)]);
    if let Ok(name) = Name::from_utf8(host.trim()) {
        forms.insert(normalize_name(&name.to_ascii()));
    }
    forms
}
