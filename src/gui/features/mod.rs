//! The app's features that own background work: each keeps its [`Pending`](super::task::Pending)
//! values, starts its work on the worker, and has a `poll()` called once per frame from the app's
//! `logic` that hands on what the user must be told.

pub mod dns_flush;
pub mod history;
pub mod htaccess_tool;
pub mod opening;
pub mod practice;
pub mod report_saving;
