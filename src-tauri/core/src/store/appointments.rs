//! Appointments: booking (single and recurring), rescheduling, cancelling and no-shows. Every
//! rule is checked by the domain inside the writing transaction, so two desks cannot take the
//! same slot.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::Entity;
use super::planning::plan_patient;
use super::journeys::{close_journey, start_journey};
use super::resources::{blocked_between, load_providers, load_rooms};
use super::settings::load_calendar;
use super::waitlist::offers_for;
use super::{enum_at, opt_uuid_at, time_at, ts, uuid_at, Actor, OptionalRow, Store, Write};
use crate::domain::appointment::{
    check_booking, check_cancel_reason, check_status_change, resolve_slot, Appointment, AppointmentStatus, BookedSlot,
    BookingContext, BookingRequest, RescheduleRequest, AppointmentAction,
};
use crate::domain::clinic::{hhmm, ClinicCalendar};
use crate::domain::ids::new_id;
use crate::domain::series::expand_series;
use crate::domain::waitlist::{FreedSlot, WaitlistEntry};
use crate::error::{Error, Occurrence, Refusal, Result};

/// A course of treatment: the first visit's booking and how it repeats (RFC 5545 RRULE).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
pub struct SeriesRequest {
    pub booking: BookingRequest,
    /// e.g. "FREQ=WEEKLY;COUNT=8".
    pub rrule: String,
}

/// A cancelled appointment, and the waitlisted patients its freed slot suits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CancelOutcome {
    pub appointment: Appointment,
    pub freed: FreedSlot,
    pub offers: Vec<WaitlistEntry>,
}

/// An appointment with the names a list shows (CLI, journey links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppointmentListItem {
    pub appointment: Appointment,
    pub patient_name: String,
    pub provider_name: String,
    pub room_name: String,
    pub service_name: String,
    /// Clinic-local date and "HH:MM" of the start.
    pub date: NaiveDate,
    pub start_time: String,
}

impl Store {
    /// Books an appointment and starts the patient's journey for it, or refuses with the reason.
    pub fn book_appointment(&self, actor: Actor, request: &BookingRequest) -> Result<Appointment> {
        self.write(actor, |w| {
            let calendar = load_calendar(&w.tx)?;
            book(w, &calendar, request, None)
        })
    }

    /// Books every occurrence of a series, or none: a refusal names the occurrence.
    pub fn book_series(&self, actor: Actor, request: &SeriesRequest) -> Result<Vec<Appointment>> {
        self.write(actor, |w| {
            let calendar = load_calendar(&w.tx)?;
            let first_minute = crate::domain::clinic::parse_hhmm(&request.booking.start_time).ok_or_else(|| {
                Error::refused("start_time", Refusal::BadTime { value: request.booking.start_time.clone() })
            })?;
            let dates = expand_series(&calendar, request.booking.date, first_minute, &request.rrule)?;
            let series_id = new_id();
            w.tx.execute(
                "INSERT INTO appointment_series (id, patient_id, service_type_id, rrule, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                (
                    series_id.to_string(),
                    request.booking.patient_id.to_string(),
                    request.booking.service_type_id.to_string(),
                    request.rrule.trim().to_ascii_uppercase(),
                    ts(w.now),
                ),
            )?;
            w.audit(Entity::AppointmentSeries, series_id, "create", request.rrule.trim())?;
            let total = dates.len();
            let mut booked = Vec::with_capacity(total);
            for (i, (date, minute)) in dates.into_iter().enumerate() {
                let occurrence = BookingRequest { date, start_time: hhmm(minute), ..request.booking.clone() };
                let a = book(w, &calendar, &occurrence, Some((series_id, i as u32 + 1)))
                    .map_err(|e| in_occurrence(e, i + 1, total, date))?;
                booked.push(a);
            }
            Ok(booked)
        })
    }

    /// Moves a booking (time, provider, room); the same rules as a new booking apply.
    pub fn reschedule_appointment(&self, actor: Actor, request: &RescheduleRequest) -> Result<Appointment> {
        self.write(actor, |w| {
            let calendar = load_calendar(&w.tx)?;
            let current = load_appointment(&w.tx, request.appointment_id)?;
            let patient = super::patients::load_patient(&w.tx, current.patient_id)?;
            check_status_change(&current, AppointmentAction::Reschedule, w.now, &patient.full_name())?;
            let duration = (current.ends_at - current.starts_at).num_minutes() as u32;
            let (start, end) = resolve_slot(&calendar, request.date, &request.start_time, duration)?;
            let slot = Slot { patient_id: current.patient_id, provider_id: request.provider_id, room_id: request.room_id };
            check_slot(&w.tx, &calendar, w.now, &slot, start, end, Some(current.id))?;
            w.tx.execute(
                "UPDATE appointments SET provider_id = ?2, room_id = ?3, starts_at = ?4, ends_at = ?5, updated_at = ?6
                 WHERE id = ?1",
                (current.id.to_string(), slot.provider_id.to_string(), slot.room_id.to_string(), ts(start), ts(end), ts(w.now)),
            )?;
            let from = calendar.to_local_text(current.starts_at);
            w.audit(Entity::Appointments, current.id, "reschedule", &format!("{from} → {}", calendar.to_local_text(start)))?;
            plan_patient(w, current.patient_id)?;
            load_appointment(&w.tx, current.id)
        })
    }

    /// Cancels with a reason, closes the journey, and lists the waitlisted patients the freed
    /// slot suits.
    pub fn cancel_appointment(&self, actor: Actor, id: Uuid, reason: &str) -> Result<CancelOutcome> {
        self.write(actor, |w| {
            let calendar = load_calendar(&w.tx)?;
            let current = load_appointment(&w.tx, id)?;
            let patient = super::patients::load_patient(&w.tx, current.patient_id)?;
            check_status_change(&current, AppointmentAction::Cancel, w.now, &patient.full_name())?;
            let reason = check_cancel_reason(reason)?;
            set_status(w, id, AppointmentStatus::Cancelled, Some(&reason))?;
            close_journey(w, id)?;
            plan_patient(w, current.patient_id)?;
            let (date, start_minute) = calendar.local_minute(current.starts_at);
            let freed = FreedSlot {
                provider_id: current.provider_id,
                room_id: current.room_id,
                date,
                start_time: hhmm(start_minute),
                start_minute,
                length_minutes: (current.ends_at - current.starts_at).num_minutes() as u32,
            };
            let offers = if current.starts_at > w.now { offers_for(&w.tx, &freed)? } else { Vec::new() };
            Ok(CancelOutcome { appointment: load_appointment(&w.tx, id)?, freed, offers })
        })
    }

    /// Marks a patient who did not come; the slot is released and the journey closed.
    pub fn mark_no_show(&self, actor: Actor, id: Uuid) -> Result<Appointment> {
        self.write(actor, |w| {
            let current = load_appointment(&w.tx, id)?;
            let patient = super::patients::load_patient(&w.tx, current.patient_id)?;
            check_status_change(&current, AppointmentAction::NoShow, w.now, &patient.full_name())?;
            set_status(w, id, AppointmentStatus::Noshow, None)?;
            close_journey(w, id)?;
            plan_patient(w, current.patient_id)?;
            load_appointment(&w.tx, id)
        })
    }

    pub fn get_appointment(&self, id: Uuid) -> Result<Appointment> {
        self.read(|c| load_appointment(c, id))
    }

    /// Every appointment starting on a clinic-local date, cancelled ones included.
    pub fn appointments_on(&self, date: NaiveDate) -> Result<Vec<AppointmentListItem>> {
        crate::domain::dates::check_date("date", date)?;
        self.read(|c| {
            let calendar = load_calendar(c)?;
            let (from, to) = calendar.day_bounds(date);
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {}, p.given_name || ' ' || p.family_name, v.name, r.name, s.name
                 FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
                 JOIN rooms r ON r.id = a.room_id JOIN service_types s ON s.id = a.service_type_id
                 WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY a.starts_at, v.name",
                columns("a.")
            ))?;
            let rows = stmt.query_map((ts(from), ts(to)), |r| {
                let appointment = appointment_from(r)?;
                let (date, minute) = calendar.local_minute(appointment.starts_at);
                Ok(AppointmentListItem {
                    appointment,
                    patient_name: r.get(COLUMN_COUNT)?,
                    provider_name: r.get(COLUMN_COUNT + 1)?,
                    room_name: r.get(COLUMN_COUNT + 2)?,
                    service_name: r.get(COLUMN_COUNT + 3)?,
                    date,
                    start_time: hhmm(minute),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

/// Who a slot is for and with.
struct Slot {
    patient_id: Uuid,
    provider_id: Uuid,
    room_id: Uuid,
}

/// Books one appointment inside a write, after every check.
pub(super) fn book(
    w: &mut Write,
    calendar: &ClinicCalendar,
    request: &BookingRequest,
    series: Option<(Uuid, u32)>,
) -> Result<Appointment> {
    let (duration, family): (u32, String) = w
        .tx
        .query_row(
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
    plan_patient(w, appointment.patient_id)?;
    Ok(appointment)
}

/// Gathers what a booking of `[start, end)` is checked against and lets the domain decide.
fn check_slot(
    c: &Connection,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    slot: &Slot,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    moving: Option<Uuid>,
) -> Result<()> {
    let patient = super::patients::load_patient(c, slot.patient_id)?;
    let provider = load_providers(c)?
        .into_iter()
        .find(|p| p.id == slot.provider_id && p.active)
        .ok_or_else(|| super::not_found("provider", slot.provider_id))?;
    let room = load_rooms(c)?
        .into_iter()
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
            provider: &provider,
            room: &room,
            patient_id: patient.id,
            patient_name: &patient_name,
            blocked: &blocked,
            overlapping: &overlapping,
        },
        start,
        end,
    )
}

/// Says which occurrence of a series a refusal is about.
fn in_occurrence(error: Error, n: usize, total: usize, date: NaiveDate) -> Error {
    match error {
        Error::Refused { field, refusal, .. } => {
            let occurrence = Occurrence { number: n as u32, of: total as u32, date: date.to_string() };
            Error::Refused { field, refusal, occurrence: Some(occurrence) }
        }
        other => other,
    }
}

const HOLDING: &str = "status NOT IN ('cancelled', 'noshow', 'waitlist')";

/// Slot-holding bookings of the same provider, room or patient that overlap `[start, end)`.
fn overlapping_bookings(c: &Connection, slot: &Slot, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<BookedSlot>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT a.id, a.patient_id, p.given_name || ' ' || p.family_name, a.provider_id, v.name, a.room_id,
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
const COLUMN_COUNT: usize = COLUMN_NAMES.len();

fn columns(prefix: &str) -> String {
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
