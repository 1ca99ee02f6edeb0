//! The one error type of the core. Each variant is something a user can act on; `ErrorBody`
//! is what crosses to the UI and the CLI: a stable `kind`, an English `message`, and the
//! `details` the UI needs to say the same thing in the user's language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::refusal::{Occurrence, Refusal};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A request the rules refuse; `field` is the form field it is about ("" for none), and
    /// `occurrence` the visit of a series it concerns. Boxed: results stay small.
    #[error("{}", refused_text(refusal, occurrence.as_deref()))]
    Refused { field: String, refusal: Box<Refusal>, occurrence: Option<Box<Occurrence>> },

    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },

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

    /// The clinic server answered a query with an error (a connection that fails is a refusal
    /// that says what to check, see `server::connect`).
    #[error("The clinic server could not do that: {0}")]
    Server(String),

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

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        // A booking that another desk's booking beat to the slot (the server's exclusion
        // constraints, `appointments_<resource>_free`).
        let clash = e.as_db_error().filter(|d| *d.code() == postgres::error::SqlState::EXCLUSION_VIOLATION);
        if let Some(resource) = clash.and_then(|d| d.constraint()?.strip_prefix("appointments_")?.strip_suffix("_free"))
        {
            return Error::refused("", Refusal::BookedMeanwhile { resource: resource.to_string() });
        }
        Error::Server(crate::server::server_error(&e))
    }
}

/// Writing CSV into memory or a file fails only as its writer does.
impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Self {
        Error::Io(std::io::Error::other(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The serialised form of an error: a refusal carries its typed reason; the other kinds
/// carry the few `details` their message needs (`entity`/`id`, `detail`, `found`/`supported`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ErrorBody {
    pub kind: String,
    pub message: String,
    pub field: Option<String>,
    pub refusal: Option<Box<Refusal>>,
    pub occurrence: Option<Box<Occurrence>>,
    pub details: BTreeMap<String, String>,
}

impl Error {
    /// A refusal about form field `field` ("" when it is about no one field).
    pub fn refused(field: &str, refusal: Refusal) -> Self {
        Error::Refused { field: field.into(), refusal: Box::new(refusal), occurrence: None }
    }

    /// The refusal, if this is one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Refused { refusal, .. } => Some(&**refusal),
            _ => None,
        }
    }

    /// The refusal's reason ("too_long", "slot_taken"…), if this is one.
    pub fn reason(&self) -> Option<&'static str> {
        self.refusal().map(Refusal::reason)
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Error::Refused { refusal, .. } => refusal.kind(),
            Error::NotFound { .. } => "not_found",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::Busy => "busy",
            Error::ReadOnly => "read_only",
            Error::DiskFull => "disk_full",
            Error::Database(_) => "database",
            Error::Io(_) => "io",
            Error::Server(_) => "server",
            Error::Corrupt(_) => "corrupt",
            Error::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let details = match self {
            Error::NotFound { entity, id } => to_map(&[("entity", entity), ("id", id)]),
            Error::Corrupt(detail) => to_map(&[("detail", detail)]),
            Error::DatabaseTooNew { found, supported } => {
                to_map(&[("found", &found.to_string()), ("supported", &supported.to_string())])
            }
            _ => BTreeMap::new(),
        };
        let (field, refusal, occurrence) = match self {
            Error::Refused { field, refusal, occurrence } => {
                (Some(field.clone()), Some(refusal.clone()), occurrence.clone())
            }
            _ => (None, None, None),
        };
        ErrorBody { kind: self.kind().to_string(), message: self.to_string(), field, refusal, occurrence, details }
    }
}

fn refused_text(refusal: &Refusal, occurrence: Option<&Occurrence>) -> String {
    match occurrence {
        Some(o) => format!("Visit {} of {} ({}): {refusal}", o.number, o.of, crate::refusal::day(&o.date)),
        None => refusal.to_string(),
    }
}

fn to_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
