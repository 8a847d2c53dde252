//! The user's cookies for the checked site: import them from whatever the user has (a copied
//! `Cookie` header, `Set-Cookie` lines, a `cookies.txt` file, a HAR file, a browser-extension JSON
//! export), work out with `cookie_store`'s rules which ones the browser would send to the checked
//! address and why not, turn that into findings, and show how to clear this site's cookies only.
//!
//! Cookie values are secrets: they live in [`Secret`] and never reach a finding, a verdict, an
//! import problem or any `Debug` output.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cookie_store::{CookieDomain, CookieExpiration, CookiePath, RawCookie};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::{Host, Url};

use crate::engine::finding::{Code, Finding, Severity};
use crate::engine::secret::Secret;
use crate::engine::time::{MAX_WRITABLE_UNIX, span_text, unix_secs};

mod clear;
mod findings;
mod import;
mod login_names;
mod matching;

pub use clear::*;
pub use findings::*;
pub use import::*;
pub use login_names::*;
pub use matching::*;

/// The most cookies kept from one import; the rest are skipped with a problem noted.
pub const MAX_COOKIES: usize = 10_000;
/// The largest text [`import`] reads; callers should refuse bigger files before reading them.
pub const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;
/// Browsers refuse a cookie whose name and value together are longer than this.
pub const MAX_COOKIE_BYTES: usize = 4096;
/// The most import problems listed one by one; more are counted in a last line.
pub const MAX_PROBLEMS: usize = 200;
/// The most cookies named one by one in a finding's evidence.
const MAX_EVIDENCE: usize = 12;

#[cfg(test)]
mod tests;
