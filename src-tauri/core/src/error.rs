//! The one error type of the core. Each variant is something a user can act on; `ErrorBody`
//! is what crosses to the UI and the CLI: a stable `kind`, an English `message`, and the
//! `details` the UI needs to say the same thing in the user's language.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Invalid { field: String, message: String, details: BTreeMap<String, String> },

    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },

    #[error("{message}")]
    SlotTaken { message: String, details: BTreeMap<String, String> },

    #[error("{message}")]
    OutsideHours { message: String, details: BTreeMap<String, String> },

    #[error("{message}")]
    ClosedDay { message: String, details: BTreeMap<String, String> },

    #[error("The database is newer (version {found}) than this app understands (version {supported}); update the app")]
    DatabaseTooNew { found: i64, supported: i64 },

    /// Another program (or another copy of the app) held the database past the busy timeout.
    #[error("The database is busy: another program is using it. Nothing was saved; try again in a moment, and close other programs that have the file open if it keeps happening")]
    Busy,

    #[error("The database cannot be written: the file or its folder is read-only, or this user may not write there. Nothing was saved")]
    ReadOnly,

    #[error("The disk is full: nothing was saved. Free some space on the disk and try again")]
    DiskFull,

    #[error("Database error: {0}")]
    Database(rusqlite::Error),

    #[error("File error: {0}")]
    Io(std::io::Error),

    #[error("Stored data is damaged: {0}")]
    Corrupt(String),

    /// A bug: a panic inside a store call, caught and rolled back.
    #[error("Something went wrong inside the app, and nothing was saved ({0})")]
    Internal(String),
}

/// SQLite's storage failures get kinds of their own, so the window can say what to do.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => Error::ReadOnly,
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Corrupt(e.to_string()),
            _ => Error::Database(e),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => Error::ReadOnly,
            ErrorKind::StorageFull => Error::DiskFull,
            _ => Error::Io(e),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The serialised form of an error: `{ kind, message, field?, details }`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorBody {
    pub kind: String,
    pub message: String,
    pub field: Option<String>,
    pub details: BTreeMap<String, String>,
}

impl Error {
    /// A refusal that is about no one form field.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::invalid_with("", message, &[])
    }

    pub fn invalid_with(field: &str, message: impl Into<String>, details: &[(&str, &str)]) -> Self {
        Error::Invalid { field: field.into(), message: message.into(), details: to_map(details) }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::SlotTaken { .. } => "slot_taken",
            Error::OutsideHours { .. } => "outside_hours",
            Error::ClosedDay { .. } => "closed_day",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::Busy => "busy",
            Error::ReadOnly => "read_only",
            Error::DiskFull => "disk_full",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::Corrupt(_) => "corrupt",
            Error::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (field, details) = match self {
            Error::Invalid { field, details, .. } => (Some(field.clone()), details.clone()),
            Error::SlotTaken { details, .. }
            | Error::OutsideHours { details, .. }
            | Error::ClosedDay { details, .. } => (None, details.clone()),
            Error::NotFound { entity, id } => (None, to_map(&[("entity", entity), ("id", id)])),
            Error::Corrupt(detail) => (None, to_map(&[("detail", detail)])),
            Error::DatabaseTooNew { found, supported } => {
                (None, to_map(&[("found", &found.to_string()), ("supported", &supported.to_string())]))
            }
            _ => (None, BTreeMap::new()),
        };
        ErrorBody { kind: self.kind().to_string(), message: self.to_string(), field, details }
    }
}

pub(crate) fn to_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
