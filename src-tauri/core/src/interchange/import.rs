//! What an import reads before anything is written: rows of patients and appointments, each
//! with the line it came from and the column each value came from, so every problem can be
//! reported as "line, column, value, why"; and the report the preview and the refusal show.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::appointment::AppointmentStatus;
use crate::domain::patient::PatientInput;
use crate::error::{Error, Refusal};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum ImportKind {
    Patients,
    Appointments,
}
text_enum!(ImportKind { Patients => "patients", Appointments => "appointments" });

/// What to do with a patient who seems to be in the clinic already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum DuplicateChoice {
    /// Update the existing record with the file's values (empty values keep what is there).
    Merge,
    /// Keep the existing record as it is; the file's visits of this patient go to it.
    Skip,
    /// Add the file's patient as a new record beside the existing one.
    KeepBoth,
}

/// Why a row is taken for a patient the clinic has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// The same record (its id), from an earlier import or export.
    SameRecord,
    NameAndBirthDate,
    Phone,
}

/// One problem with one value of the file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RowProblem {
    /// Line of the file (1 = the header of a CSV file; the line of the resource in NDJSON; the
    /// entry's position, from 1, in a Bundle).
    pub line: u32,
    /// The file's column (or the FHIR element) the value came from; "" for the whole row.
    pub column: String,
    pub value: String,
    pub reason: Refusal,
}

/// A patient row that matches a patient the clinic already has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DuplicateRow {
    pub line: u32,
    pub name: String,
    pub existing_id: Uuid,
    pub existing_name: String,
    pub reason: DuplicateReason,
    pub choice: DuplicateChoice,
}

/// What an import will do (the dry run) or did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportReport {
    pub rows: u32,
    pub patients_added: u32,
    pub patients_merged: u32,
    pub patients_skipped: u32,
    pub appointments_added: u32,
    /// Rows already in the clinic as they are (the same id and values): left alone.
    pub appointments_unchanged: u32,
    /// Resources of other types in a FHIR file, by type, left out (e.g. Synthea's Encounters).
    pub ignored: BTreeMap<String, u32>,
    pub problems: Vec<RowProblem>,
    pub duplicates: Vec<DuplicateRow>,
    /// The first rows as they will be stored.
    pub sample: Vec<SampleRow>,
    /// Whether it was written (false for a dry run or a file with problems).
    pub applied: bool,
}

/// A row of the preview: our field names and the values they will get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SampleRow {
    pub line: u32,
    pub values: Vec<(String, String)>,
}

/// How far an import being written has come (the window's progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// Names the file's column for each of our fields, to report problems where the user sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns(pub BTreeMap<&'static str, String>);

impl Columns {
    pub fn of(&self, field: &str) -> String {
        self.0.get(field).cloned().unwrap_or_else(|| field.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientRow {
    pub line: u32,
    pub id: Option<Uuid>,
    pub input: PatientInput,
    pub columns: Columns,
    /// The fields the file gave a value (a merge changes only those).
    pub present: Vec<&'static str>,
}

/// Who a visit is for: a patient by id (ours, or one of the file's), or described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientRef {
    Id(Uuid),
    Described { name: String, birth_date: Option<NaiveDate>, phone: String },
}

/// A provider, room or service: by our id when the file has it, else by its name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedRef {
    pub id: Option<Uuid>,
    pub name: String,
}

impl NamedRef {
    pub fn named(name: &str) -> Self {
        NamedRef { id: None, name: name.trim().to_string() }
    }

    pub fn is_missing(&self) -> bool {
        self.id.is_none() && self.name.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentRow {
    pub line: u32,
    pub id: Option<Uuid>,
    pub patient: PatientRef,
    pub provider: NamedRef,
    pub room: NamedRef,
    pub service: NamedRef,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub status: AppointmentStatus,
    pub cancel_reason: Option<String>,
    pub notes: String,
    pub columns: Columns,
}

/// A file read into rows, before it is checked against the clinic.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: u32,
    pub patients: Vec<PatientRow>,
    pub appointments: Vec<AppointmentRow>,
    pub problems: Vec<RowProblem>,
    pub ignored: BTreeMap<String, u32>,
}

impl Parsed {
    pub fn problem(&mut self, line: u32, column: impl Into<String>, value: impl Into<String>, reason: Refusal) {
        self.problems.push(RowProblem { line, column: column.into(), value: value.into(), reason });
    }
}

/// A refusal of one value as a problem of its row, naming the file's column for our field.
pub fn problem_of(error: Error, line: u32, columns: &Columns, value_of: impl Fn(&str) -> String) -> RowProblem {
    match error {
        Error::Refused { field, refusal, .. } => {
            RowProblem { line, column: columns.of(&field), value: value_of(&field), reason: *refusal }
        }
        other => RowProblem {
            line,
            column: String::new(),
            value: String::new(),
            reason: Refusal::UnreadableFile { detail: other.to_string() },
        },
    }
}
