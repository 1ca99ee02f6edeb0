//! Calls to rebook: the administrator hands the visits a change of hours stranded (see
//! `visits_to_move`) to the front desk, one call task on the call list each. Such a task ends
//! by itself once it is no longer needed: its visit was moved to a time the clinic offers (from
//! the call list, the schedule or Settings), the hours changed back, or the visit was cancelled
//! or has passed.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{check_slot_among, load_appointment, Resources, Slot};
use super::resources::{read_providers, read_rooms};
use super::{Actor, Entity, OptionalRow, Store, Write};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::appointment::Appointment;
use crate::domain::clinic::ClinicCalendar;
use crate::domain::ids::new_id;
use crate::domain::resources::Role;
use crate::domain::working_time::SnapDirection;
use crate::error::{Error, Result};

/// How many tries the front desk gets, and how long between them, to reach a patient whose
/// visit must move.
const REBOOK_TRIES: u32 = 3;
const REBOOK_RETRY_MINUTES: u32 = 120;

/// What asking for calls to rebook did, visit by visit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct RebookCalls {
    /// New call tasks on the call list.
    pub created: u32,
    /// Visits that already had an open call to rebook.
    pub already_asked: u32,
    /// Visits that no longer need moving (moved meanwhile, cancelled, or begun).
    pub not_needed: u32,
}

/// Why a visit is still outside what the clinic offers, or that it is not.
enum Stranded {
    Yes,
    /// Cancelled, finished or begun: nothing to move.
    Over,
    /// Bookable at its time again.
    Fits,
}

impl Store {
    /// Puts a call to rebook on the call list for each stranded visit of `appointment_ids`,
    /// in one write: the front desk reaches the patient and offers a new time.
    pub fn request_rebook_calls(&self, actor: Actor, appointment_ids: &[Uuid]) -> Result<RebookCalls> {
        self.write(actor, Work::Bookings, |w| {
            let calendar = w.calendar()?;
            let resources = Resources { providers: read_providers(w.db())?, rooms: read_rooms(w.db())? };
            let mut done = RebookCalls::default();
            for &id in appointment_ids {
                let visit = load_appointment(w.db(), id)?;
                if !matches!(stranded(w.db(), &calendar, &resources, &visit, w.now)?, Stranded::Yes) {
                    done.not_needed += 1;
                } else if open_rebook_call(w.db(), id)?.is_some() {
                    done.already_asked += 1;
                } else {
                    insert_rebook_call(w, &calendar, &visit)?;
                    done.created += 1;
                }
            }
            if done.created > 0 {
                w.touch(Entity::Tasks);
            }
            Ok(done)
        })
    }
}

/// The open calls to rebook, through their own partial index (see `settle_rebook_calls`).
fn open_rebook_calls(db: &Db) -> String {
    let tasks = db.per_engine("tasks INDEXED BY tasks_open_rebook", "tasks");
    format!("{tasks} WHERE purpose = 'rebook' AND status = 'open'")
}

/// Closes the open calls to rebook that are no longer needed: a step of every write, before
/// its commit, so that no writer has to remember it. It looks at the calls of the visits the
/// write changed, or at every call (`everything`, or after a change of hours, closed days,
/// providers, rooms or blocked periods). While none are open it costs one look into the empty
/// partial index `tasks_open_rebook` (named: SQLite would rather scan every open task in
/// `tasks_open_due`, which also holds `purpose`).
pub(super) fn settle_rebook_calls(w: &mut Write, everything: bool) -> Result<()> {
    let mut open: Vec<(Uuid, Uuid)> =
        w.db().query_map(&format!("SELECT id, appointment_id FROM {}", open_rebook_calls(w.db())), &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let everything = everything
        || w.plan_everything
        || w.touched
            .iter()
            .any(|e| matches!(e, Entity::ClinicSettings | Entity::Providers | Entity::Rooms | Entity::BlockedPeriods));
    if !everything {
        open.retain(|&(_, visit)| w.changed.contains(&(Entity::Appointments, visit)));
    }
    if open.is_empty() {
        return Ok(());
    }
    let calendar = w.calendar()?;
    let resources = Resources { providers: read_providers(w.db())?, rooms: read_rooms(w.db())? };
    let mut closed = false;
    for (task_id, appointment_id) in open {
        let visit = load_appointment(w.db(), appointment_id)?;
        let status = match stranded(w.db(), &calendar, &resources, &visit, w.now)? {
            Stranded::Yes => continue,
            Stranded::Fits => "done",
            Stranded::Over => "cancelled",
        };
        w.db().execute(
            "UPDATE tasks SET status = ?2, closed_at = ?3, updated_at = ?3 WHERE id = ?1",
            &[&task_id, &status, &w.now],
        )?;
        w.audit(Entity::Tasks, task_id, "settle", status)?;
        closed = true;
    }
    if closed {
        w.touch(Entity::Tasks);
    }
    Ok(())
}

/// Checks the visit again exactly as a new booking at its time would be.
fn stranded(
    db: &Db,
    calendar: &ClinicCalendar,
    resources: &Resources,
    visit: &Appointment,
    now: DateTime<Utc>,
) -> Result<Stranded> {
    if !visit.status.awaits_visit() || visit.starts_at <= now {
        return Ok(Stranded::Over);
    }
    let slot = Slot { patient_id: visit.patient_id, provider_id: visit.provider_id, room_id: visit.room_id };
    match check_slot_among(db, calendar, now, resources, &slot, visit.starts_at, visit.ends_at, Some(visit.id)) {
        Ok(()) => Ok(Stranded::Fits),
        Err(Error::Refused { .. }) => Ok(Stranded::Yes),
        // The provider or room was taken off the lists.
        Err(Error::NotFound { .. }) => Ok(Stranded::Yes),
        Err(other) => Err(other),
    }
}

/// The visits with an open call to rebook.
pub(super) fn visits_being_rebooked(db: &Db) -> Result<HashSet<Uuid>> {
    let sql = format!("SELECT appointment_id FROM {}", open_rebook_calls(db));
    Ok(db.query_map(&sql, &[], |r| r.get(0))?.into_iter().collect())
}

fn open_rebook_call(db: &Db, appointment_id: Uuid) -> Result<Option<Uuid>> {
    db.query_opt(
        "SELECT id FROM tasks WHERE appointment_id = ?1 AND purpose = 'rebook' AND status = 'open'",
        &[&appointment_id],
    )?
    .map(|r| r.get(0))
    .transpose()
}

/// A call for the front desk, due at the next time the clinic makes calls (now, if that would
/// be after the visit), gone from the list once the visit's time has come.
fn insert_rebook_call(w: &mut Write, calendar: &ClinicCalendar, visit: &Appointment) -> Result<()> {
    let journey_id: Uuid = w
        .db()
        .query_opt("SELECT id FROM patient_journeys WHERE appointment_id = ?1", &[&visit.id])?
        .map(|r| r.get(0))
        .transpose()
        .found("journey of appointment", visit.id)?;
    let next_call = calendar.snap(w.now, SnapDirection::Later);
    let due = if next_call < visit.starts_at { next_call } else { w.now };
    let id = new_id();
    w.db().execute(
        "INSERT INTO tasks (id, rule_id, purpose, appointment_id, journey_id, patient_id, kind, role, due_at,
           expires_at, status, attempts, max_attempts, retry_minutes, note, created_at, updated_at)
         VALUES (?1, NULL, 'rebook', ?2, ?3, ?4, 'call', ?5, ?6, ?7, 'open', 0, ?8, ?9, '', ?10, ?10)",
        &[
            &id,
            &visit.id,
            &journey_id,
            &visit.patient_id,
            &Role::FrontDesk.as_str(),
            &due,
            &visit.starts_at,
            &REBOOK_TRIES,
            &REBOOK_RETRY_MINUTES,
            &w.now,
        ],
    )?;
    w.audit(Entity::Tasks, id, "rebook", &visit.id.to_string())
}
