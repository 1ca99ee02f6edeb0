//! What an export writes, read once from the store and handed to each format: the clinic, its
//! people and places, the visits and the tasks with their attempts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::appointment::AppointmentStatus;
use crate::domain::patient::Patient;
use crate::domain::tasks::{TaskOutcome, TaskStatus};

/// A clinic's records as the export formats need them.
#[derive(Debug, Clone, Default)]
pub struct Records {
    pub clinic_name: String,
    pub time_zone: String,
    pub patients: Vec<Patient>,
    pub providers: Vec<Named>,
    pub rooms: Vec<Named>,
    pub visits: Vec<Visit>,
    pub tasks: Vec<TaskRecord>,
}

/// A provider or a room: what other systems need of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
    /// A provider's specialty ("" for rooms).
    pub detail: String,
    pub active: bool,
}

/// One appointment with the names it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub patient_given: String,
    pub patient_family: String,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub service_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub cancel_reason: Option<String>,
    pub notes: String,
    /// How many times what a calendar shows of it has changed (its SEQUENCE).
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Minutes before the start at which the visit's reminder rules act (for calendar alarms).
    pub reminder_minutes: Vec<u32>,
}

/// A reminder task or call with what was tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    pub id: Uuid,
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    /// The rule's name ("Confirmation call"), or "Rebook" for a call to find a new time.
    pub name: String,
    pub kind: String,
    pub role: String,
    pub due_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub status: TaskStatus,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub attempts: Vec<Attempt>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub outcome: TaskOutcome,
    pub note: String,
    pub actor: String,
}
