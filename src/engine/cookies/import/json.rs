//! A browser-extension JSON export, read as a stream.

use super::*;

/// Calls `each` with every element of a JSON array as it is read, so a huge file never sits in
/// memory as a whole.
pub(super) struct EachElement<'f, T, F> {
    pub(super) each: &'f mut F,
    pub(super) element: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T)> DeserializeSeed<'de> for EachElement<'_, T, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T)> Visitor<'de> for EachElement<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(element) = seq.next_element::<T>()? {
            (self.each)(index, element);
            index += 1;
        }
        Ok(())
    }
}

/// Finds `key` in a JSON object and hands its value to `inner` (`None` when the key is missing);
/// other keys are skipped unread.
pub(super) struct Field<S> {
    pub(super) key: &'static str,
    pub(super) inner: Option<S>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Field<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Field<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with \"{}\"", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                if let Some(inner) = self.inner.take() {
                    found = Some(map.next_value_seed(inner)?);
                    continue;
                }
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(found)
    }
}

/// A syntax or shape error of the whole JSON, in words that never quote the input.
pub(super) fn json_problem(error: &serde_json::Error, what: &str) -> ImportProblem {
    use serde_json::error::Category;
    let message = match error.classify() {
        Category::Eof => format!(
            "the {what} ends too early (at line {}): it was probably cut off while copying or saving; the cookies before that point were read",
            error.line()
        ),
        Category::Syntax => format!(
            "the {what} has a syntax error at line {}, column {}; the cookies before that point were read",
            error.line(),
            error.column()
        ),
        Category::Data => format!(
            "the {what} has an unexpected shape at line {}, column {}",
            error.line(),
            error.column()
        ),
        Category::Io => format!("the {what} could not be read"),
    };
    ImportProblem {
        line: error.line(),
        message,
    }
}

/// The 1-based line where each element of a JSON array starts: the top-level array when `key` is
/// `None`, else the first array that is the value of `key` at object depth `depth`.
pub(in crate::engine::cookies) fn array_element_lines(
    text: &str,
    key: Option<(&str, usize)>,
) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0usize;
    let mut last_string: Option<(usize, usize, usize)> = None; // (start, end, depth)
    let mut pending_key = false;
    let mut target_depth: Option<usize> = None;
    let mut expect_element = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                last_string = Some((string_start, i, depth));
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if expect_element && b != b']' {
            lines.push(line);
        }
        expect_element = false;
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b':' => pending_key = true,
            b'[' => {
                depth += 1;
                let is_target = match key {
                    None => depth == 1,
                    Some((k, d)) => {
                        pending_key
                            && last_string
                                .is_some_and(|(s, e, sd)| sd == d && text.get(s..e) == Some(k))
                    }
                };
                if is_target && target_depth.is_none() {
                    target_depth = Some(depth);
                    expect_element = true;
                }
                pending_key = false;
            }
            b'{' => {
                depth += 1;
                pending_key = false;
            }
            b']' | b'}' => {
                if b == b']' && target_depth == Some(depth) {
                    return lines;
                }
                depth = depth.saturating_sub(1);
            }
            b',' => {
                if target_depth == Some(depth) {
                    expect_element = true;
                }
                pending_key = false;
            }
            _ => {}
        }
    }
    lines
}

pub(super) fn obj_str<'v>(
    obj: &'v serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<&'v str>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" is not text")),
    }
}

pub(super) fn obj_bool(
    obj: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<bool>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("\"{key}\" is not true or false")),
    }
}

pub(super) fn obj_secs(
    obj: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("\"{key}\" is not a number of seconds")),
        Some(_) => Err(format!("\"{key}\" is not a number of seconds")),
    }
}

/// The flags of a cookie object, named alike in a cookie extension's export and in a HAR file:
/// `secure`, `httpOnly` and `sameSite`.
pub(super) struct CookieFlags {
    pub(super) secure: bool,
    pub(super) http_only: bool,
    pub(super) same_site: Option<SameSite>,
}

impl CookieFlags {
    /// Reads them in that order, so the first of them with a wrong type is the one named.
    pub(super) fn read(obj: &serde_json::Map<String, Value>) -> Result<CookieFlags, String> {
        Ok(CookieFlags {
            secure: obj_bool(obj, "secure")?.unwrap_or(false),
            http_only: obj_bool(obj, "httpOnly")?.unwrap_or(false),
            same_site: obj_str(obj, "sameSite")?.and_then(SameSite::parse),
        })
    }
}

// --- JSON export --------------------------------------------------------------------------------

pub(super) fn import_json_export(text: &str, loader: &mut Loader) {
    let text = text.trim_start_matches('\u{feff}');
    let object_form = text.trim_start().starts_with('{');
    let lines = if object_form {
        array_element_lines(text, Some(("cookies", 1)))
    } else {
        array_element_lines(text, None)
    };
    let mut each = |index: usize, value: Value| {
        let line = lines.get(index).copied().unwrap_or(0);
        match export_cookie(&value, line) {
            Ok(cookie) => loader.push(cookie),
            Err(message) => loader.problem(line, format!("cookie {}: {message}", index + 1)),
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = EachElement {
        each: &mut each,
        element: PhantomData::<Value>,
    };
    let result = if object_form {
        Field {
            key: "cookies",
            inner: Some(seed),
        }
        .deserialize(&mut de)
        .and_then(|found| found.ok_or_else(|| serde::de::Error::custom("no \"cookies\" list")))
    } else {
        seed.deserialize(&mut de)
    };
    if let Err(e) = result {
        let problem = if object_form && e.to_string().starts_with("no \"cookies\" list") {
            ImportProblem {
                line: 0,
                message: "this JSON has no \"cookies\" list; export the cookies as a JSON list"
                    .to_owned(),
            }
        } else {
            json_problem(&e, "JSON")
        };
        loader.problem(problem.line, problem.message);
    }
}

/// One cookie of a browser-extension export (`expirationDate`, `hostOnly`…) or of a Playwright
/// state (`expires`, -1 for a session cookie).
pub(super) fn export_cookie(value: &Value, line: usize) -> Result<ImportedCookie, String> {
    let Value::Object(obj) = value else {
        return Err("this entry is not a cookie (expected {\"name\": …, \"value\": …})".to_owned());
    };
    let name = obj_str(obj, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or("it has no \"name\"")?;
    let value = match obj.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err("its \"value\" is not text".to_owned()),
    };
    let raw_domain = obj_str(obj, "domain")?.ok_or("it has no \"domain\"")?;
    let domain = normalize_domain(raw_domain)
        .ok_or_else(|| format!("\"{raw_domain}\" is not a site name"))?;
    let host_only = obj_bool(obj, "hostOnly")?.unwrap_or(!raw_domain.starts_with('.'));
    let path = obj_str(obj, "path")?.unwrap_or("/");
    if !path.starts_with('/') {
        return Err(format!("the path \"{path}\" does not start with /"));
    }
    let session = obj_bool(obj, "session")?.unwrap_or(false);
    let seconds = match obj_secs(obj, "expirationDate")? {
        Some(s) => Some(s),
        None => obj_secs(obj, "expires")?,
    };
    let expires = match seconds {
        _ if session => Expiry::Session,
        Some(s) if s.is_finite() && s > 0.0 => {
            Expiry::AtUnixSecs(s.min(MAX_WRITABLE_UNIX as f64) as i64)
        }
        Some(s) if s.is_finite() && s < 0.0 => Expiry::Session,
        Some(_) => Expiry::AtUnixSecs(0),
        None => Expiry::Session,
    };
    let flags = CookieFlags::read(obj)?;
    Ok(ImportedCookie {
        name: name.trim().to_owned(),
        value: Secret::new(value),
        domain,
        host_only,
        path: path.to_owned(),
        expires,
        secure: flags.secure,
        http_only: flags.http_only,
        same_site: flags.same_site,
        attributes_known: true,
        line,
    })
}
