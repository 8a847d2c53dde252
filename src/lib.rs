//! AuthDoctor: finds out why a website answers 401 Unauthorized and tells a person who is not
//! technical what to do about it. The [`engine`] does the diagnosis; [`cli`] is the headless face.

pub mod cli;
pub mod engine;
#[cfg(feature = "gui")]
pub mod gui;
pub mod lab;
