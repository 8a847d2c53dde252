//! HAR import: a customer exports the browser's network log (DevTools → Network → "Save all as
//! HAR"), and AuthDoctor finds the 401 answers in it and diagnoses each offline
//! ([`analyze_reader`]); the cookie import reads the cookies sent and set in the same format
//! through [`RawEntry`].
//!
//! The log is read as a stream, one entry at a time, so memory does not grow with the file, and
//! every value kept from the file is capped.

mod analyze;
mod model;
#[cfg(test)]
mod tests;

pub use analyze::{
    HarFinding, HarGroup, HarReport, LISTED_PER_GROUP, MAX_LISTED_PROBLEMS, Picker,
    SHOWN_PER_GROUP, analyze, analyze_reader, analyze_reader_picking,
};
pub use model::{HarError, MAX_VALUE_BYTES};
pub(crate) use model::{RawEntry, RawRequest, RawResponse, raw_headers};
