//! Booking below every writer that books or changes a visit (appointments, the waitlist, the
//! flow board, the call list): the slot checks, the appointment rows, and their status. Each
//! change records its patient with the write, whose tasks the store re-plans before commit.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use uuid::Uuid;

use super::journeys::start_journey;
use super::resources::{blocked_between, load_providers, load_rooms};
use super::{enum_at, opt_uuid_at, time_at, ts, uuid_at, Entity, OptionalRow, Write};
use crate::domain::appointment::{
    check_booking, resolve_slot, Appointment, AppointmentStatus, BookedSlot, BookingContext, BookingRequest,
};
use crate::domain::clinic::ClinicCalendar;
use crate::domain::ids::new_id;
use crate::domain::resources::{Provider, Room};
use crate::error::Result;

/// Who a slot is for and with.
pub(super) struct Slot {
    pub patient_id: Uuid,
    pub provider_id: Uuid,
    pub room_id: Uuid,
}

/// Books one appointment inside a write, after every check.
pub(super) fn book(
    w: &mut Write,
    calendar: &ClinicCalendar,
    request: &BookingRequest,
    series: Option<(Uuid, u32)>,
) -> Result<Appointment> {
    let (duration, family): (u32, String) =
        w.tx.query_row(
            "SELECT duration_minutes, template_family_key FROM service_types WHERE id = ?1 AND active = 1",
            [request.service_type_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .found("service type", request.service_type_id)?;
    crate::domain::limits::check_length("notes", "The notes", request.notes.trim(), crate::domain::limits::NOTE)?;
    let (start, end) = resolve_slot(calendar, request.date, &request.start_time, duration)?;
    let slot = Slot { patient_id: request.patient_id, provider_id: request.provider_id, room_id: request.room_id };
    check_slot(&w.tx, calendar, w.now, &slot, start, end, None)?;
    let appointment = Appointment {
        id: new_id(),
        patient_id: request.patient_id,
        provider_id: request.provider_id,
        room_id: request.room_id,
        service_type_id: request.service_type_id,
        starts_at: start,
        ends_at: end,
        status: AppointmentStatus::Booked,
        cancel_reason: None,
        notes: request.notes.trim().to_string(),
        series_id: series.map(|s| s.0),
        series_index: series.map(|s| s.1),
        created_at: w.now,
        updated_at: w.now,
    };
    insert_appointment(w, &appointment)?;
    start_journey(w, &appointment, &family)?;
    Ok(appointment)
}

/// Gathers what a booking of `[start, end)` is checked against and lets the domain decide.
pub(super) fn check_slot(
    c: &Connection,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    moving: Option<Uuid>,
) -> Result<()> {
    let resources = Resources { providers: load_providers(c)?, rooms: load_rooms(c)? };
    check_slot_among(c, calendar, now, &resources, slot, start, end, moving)
}

/// The clinic's providers and rooms with their hours, loaded once to check many bookings.
pub(super) struct Resources {
    pub providers: Vec<Provider>,
    pub rooms: Vec<Room>,
}

/// As `check_slot`, with the providers and rooms already loaded.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_slot_among(
    c: &Connection,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    resources: &Resources,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    moving: Option<Uuid>,
) -> Result<()> {
    let patient = super::patients::load_patient(&crate::db::Db::Sqlite(c), slot.patient_id)?;
    let provider = resources
        .providers
        .iter()
        .find(|p| p.id == slot.provider_id && p.active)
        .ok_or_else(|| super::not_found("provider", slot.provider_id))?;
    let room = resources
        .rooms
        .iter()
        .find(|r| r.id == slot.room_id && r.active)
        .ok_or_else(|| super::not_found("room", slot.room_id))?;
    let overlapping: Vec<BookedSlot> =
        overlapping_bookings(c, slot, start, end)?.into_iter().filter(|b| Some(b.appointment_id) != moving).collect();
    let blocked = blocked_between(c, provider.id, room.id, start, end)?;
    let patient_name = patient.full_name();
    check_booking(
        &BookingContext {
            calendar,
            now,
            provider,
            room,
            patient_id: patient.id,
            patient_name: &patient_name,
            blocked: &blocked,
            overlapping: &overlapping,
        },
        start,
        end,
    )
}

const HOLDING: &str = "status NOT IN ('cancelled', 'noshow', 'waitlist')";

/// Slot-holding bookings of the same provider, room or patient that overlap `[start, end)`.
fn overlapping_bookings(
    c: &Connection,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<BookedSlot>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT a.id, a.patient_id, person_name(p.given_name, p.family_name), a.provider_id, v.name, a.room_id,
           a.starts_at, a.ends_at
         FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
         WHERE a.starts_at < ?5 AND a.ends_at > ?4 AND a.{HOLDING}
           AND (a.provider_id = ?1 OR a.room_id = ?2 OR a.patient_id = ?3)
         ORDER BY a.starts_at"
    ))?;
    let rows = stmt.query_map(
        (slot.provider_id.to_string(), slot.room_id.to_string(), slot.patient_id.to_string(), ts(start), ts(end)),
        |r| {
            Ok(BookedSlot {
                appointment_id: uuid_at(r, 0)?,
                patient_id: uuid_at(r, 1)?,
                patient_name: r.get(2)?,
                provider_id: uuid_at(r, 3)?,
                provider_name: r.get(4)?,
                room_id: uuid_at(r, 5)?,
                starts_at: time_at(r, 6)?,
                ends_at: time_at(r, 7)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

const COLUMN_NAMES: [&str; 14] = [
    "id",
    "patient_id",
    "provider_id",
    "room_id",
    "service_type_id",
    "starts_at",
    "ends_at",
    "status",
    "cancel_reason",
    "notes",
    "series_id",
    "series_index",
    "created_at",
    "updated_at",
];
pub(super) const COLUMN_COUNT: usize = COLUMN_NAMES.len();

pub(super) fn columns(prefix: &str) -> String {
    COLUMN_NAMES.iter().map(|c| format!("{prefix}{c}")).collect::<Vec<_>>().join(", ")
}

pub(super) fn appointment_from(r: &rusqlite::Row) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: uuid_at(r, 0)?,
        patient_id: uuid_at(r, 1)?,
        provider_id: uuid_at(r, 2)?,
        room_id: uuid_at(r, 3)?,
        service_type_id: uuid_at(r, 4)?,
        starts_at: time_at(r, 5)?,
        ends_at: time_at(r, 6)?,
        status: enum_at(r, 7, AppointmentStatus::parse)?,
        cancel_reason: r.get(8)?,
        notes: r.get(9)?,
        series_id: opt_uuid_at(r, 10)?,
        series_index: r.get(11)?,
        created_at: time_at(r, 12)?,
        updated_at: time_at(r, 13)?,
    })
}

pub(super) fn load_appointment(c: &Connection, id: Uuid) -> Result<Appointment> {
    c.query_row(&format!("SELECT {} FROM appointments WHERE id = ?1", columns("")), [id.to_string()], appointment_from)
        .found("appointment", id)
}

/// Sets an appointment's status (and cancel reason), dated, audited.
pub(super) fn set_status(w: &mut Write, id: Uuid, status: AppointmentStatus, reason: Option<&str>) -> Result<()> {
    w.tx.execute(
        "UPDATE appointments SET status = ?2, cancel_reason = coalesce(?3, cancel_reason), status_changed_at = ?4,
           updated_at = ?4 WHERE id = ?1",
        (id.to_string(), status.as_str(), reason, ts(w.now)),
    )?;
    w.audit(Entity::Appointments, id, status.as_str(), reason.unwrap_or(""))
}

/// Moves an appointment to `[start, end)` with the slot's provider and room (already checked).
pub(super) fn move_appointment(
    w: &mut Write,
    id: Uuid,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<()> {
    w.tx.execute(
        "UPDATE appointments SET provider_id = ?2, room_id = ?3, starts_at = ?4, ends_at = ?5, updated_at = ?6
         WHERE id = ?1",
        (id.to_string(), slot.provider_id.to_string(), slot.room_id.to_string(), ts(start), ts(end), ts(w.now)),
    )?;
    w.changed(Entity::Appointments, id);
    Ok(())
}

pub(crate) fn insert_appointment(w: &mut Write, a: &Appointment) -> Result<()> {
    let placeholders: Vec<String> = (1..=COLUMN_COUNT).map(|i| format!("?{i}")).collect();
    let mut stmt = w.tx.prepare_cached(&format!(
        "INSERT INTO appointments ({}) VALUES ({})",
        columns(""),
        placeholders.join(", ")
    ))?;
    stmt.execute(rusqlite::params![
        a.id.to_string(),
        a.patient_id.to_string(),
        a.provider_id.to_string(),
        a.room_id.to_string(),
        a.service_type_id.to_string(),
        ts(a.starts_at),
        ts(a.ends_at),
        a.status.as_str(),
        a.cancel_reason,
        a.notes,
        a.series_id.map(|s| s.to_string()),
        a.series_index,
        ts(a.created_at),
        ts(a.updated_at),
    ])?;
    drop(stmt);
    w.audit(Entity::Appointments, a.id, "book", a.status.as_str())
}
