//! Clinic Journey's core: the domain (pure decisions) and the SQLite store. No Tauri here, so
//! everything can be tested and benchmarked with plain values.

pub mod bindings;
pub mod blueprint_export;
pub mod db;
#[cfg(test)]
mod db_tests;
pub mod demo;
#[macro_use]
pub mod domain;
pub mod error;
pub mod export_files;
pub mod insights_csv;
pub mod interchange;
pub mod refusal;
pub mod server;
pub mod store;

pub use error::{Error, ErrorBody, Refusal, Result};
pub use store::{Actor, AppointmentListItem, CancelOutcome, JourneySummary, SeriesRequest, Store};
