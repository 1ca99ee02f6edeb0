//! Booking below every writer that books or changes a visit (appointments, the waitlist, the
//! flow board, the call list): the slot checks, the appointment rows, and their status. Each
//! change records its patient with the write, whose tasks the store re-plans before commit.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::journeys::start_journey;
use super::resources::{read_blocked_between, read_providers, read_rooms};
use super::{Entity, OptionalRow, Write};
use crate::db::{Db, RowRef};
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
    let (duration, family): (u32, String) = w
        .db()
        .query_opt(
            "SELECT duration_minutes, template_family_key FROM service_types WHERE id = ?1 AND active = 1",
            &[&request.service_type_id],
        )?
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .transpose()
        .found("service type", request.service_type_id)?;
    crate::domain::limits::check_length("notes", "The notes", request.notes.trim(), crate::domain::limits::NOTE)?;
    let (start, end) = resolve_slot(calendar, request.date, &request.start_time, duration)?;
    let slot = Slot { patient_id: request.patient_id, provider_id: request.provider_id, room_id: request.room_id };
    check_slot(w.db(), calendar, w.now, &slot, start, end, None)?;
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
    db: &Db,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    moving: Option<Uuid>,
) -> Result<()> {
    let resources = Resources { providers: read_providers(db)?, rooms: read_rooms(db)? };
    check_slot_among(db, calendar, now, &resources, slot, start, end, moving)
}

/// The clinic's providers and rooms with their hours, loaded once to check many bookings.
pub(super) struct Resources {
    pub providers: Vec<Provider>,
    pub rooms: Vec<Room>,
}

/// As `check_slot`, with the providers and rooms already loaded.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_slot_among(
    db: &Db,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    resources: &Resources,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    moving: Option<Uuid>,
) -> Result<()> {
    let patient = super::patients::load_patient(db, slot.patient_id)?;
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
        overlapping_bookings(db, slot, start, end)?.into_iter().filter(|b| Some(b.appointment_id) != moving).collect();
    let blocked = read_blocked_between(db, provider.id, room.id, start, end)?;
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
fn overlapping_bookings(db: &Db, slot: &Slot, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<BookedSlot>> {
    db.query_map(
        &format!(
            "SELECT a.id, a.patient_id, person_name(p.given_name, p.family_name), a.provider_id, v.name, a.room_id,
           a.starts_at, a.ends_at
         FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
         WHERE a.starts_at < ?5 AND a.ends_at > ?4 AND a.{HOLDING}
           AND (a.provider_id = ?1 OR a.room_id = ?2 OR a.patient_id = ?3)
         ORDER BY a.starts_at, a.id"
        ),
        &[&slot.provider_id, &slot.room_id, &slot.patient_id, &start, &end],
        |r| {
            Ok(BookedSlot {
                appointment_id: r.get(0)?,
                patient_id: r.get(1)?,
                patient_name: r.get(2)?,
                provider_id: r.get(3)?,
                provider_name: r.get(4)?,
                room_id: r.get(5)?,
                starts_at: r.get(6)?,
                ends_at: r.get(7)?,
            })
        },
    )
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

pub(super) fn appointment_from(r: &RowRef) -> Result<Appointment> {
    Ok(Appointment {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        provider_id: r.get(2)?,
        room_id: r.get(3)?,
        service_type_id: r.get(4)?,
        starts_at: r.get(5)?,
        ends_at: r.get(6)?,
        status: r.get_enum(7, AppointmentStatus::parse)?,
        cancel_reason: r.get(8)?,
        notes: r.get(9)?,
        series_id: r.get(10)?,
        series_index: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

pub(super) fn load_appointment(db: &Db, id: Uuid) -> Result<Appointment> {
    db.query_map(&format!("SELECT {} FROM appointments WHERE id = ?1", columns("")), &[&id], appointment_from)
        .map(|rows| rows.into_iter().next())
        .found("appointment", id)
}

/// Sets an appointment's status (and cancel reason), dated, audited.
pub(super) fn set_status(w: &mut Write, id: Uuid, status: AppointmentStatus, reason: Option<&str>) -> Result<()> {
    w.db().execute(
        "UPDATE appointments SET status = ?2, cancel_reason = coalesce(?3, cancel_reason), status_changed_at = ?4,
           updated_at = ?4 WHERE id = ?1",
        &[&id, &status.as_str(), &reason, &w.now],
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
    w.db().execute(
        "UPDATE appointments SET provider_id = ?2, room_id = ?3, starts_at = ?4, ends_at = ?5, updated_at = ?6
         WHERE id = ?1",
        &[&id, &slot.provider_id, &slot.room_id, &start, &end, &w.now],
    )?;
    w.changed(Entity::Appointments, id);
    Ok(())
}

pub(crate) fn insert_appointment(w: &mut Write, a: &Appointment) -> Result<()> {
    let placeholders: Vec<String> = (1..=COLUMN_COUNT).map(|i| format!("?{i}")).collect();
    w.db().execute(
        &format!("INSERT INTO appointments ({}) VALUES ({})", columns(""), placeholders.join(", ")),
        &[
            &a.id,
            &a.patient_id,
            &a.provider_id,
            &a.room_id,
            &a.service_type_id,
            &a.starts_at,
            &a.ends_at,
            &a.status.as_str(),
            &a.cancel_reason,
            &a.notes,
            &a.series_id,
            &a.series_index,
            &a.created_at,
            &a.updated_at,
        ],
    )?;
    w.audit(Entity::Appointments, a.id, "book", a.status.as_str())
}
