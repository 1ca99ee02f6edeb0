//! Appointments: booking (checked by the domain inside the writing transaction, so two desks
//! cannot take the same slot) and the schedule's day view.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use uuid::Uuid;

use super::journeys::start_journey;
use super::resources::{blocked_between, load_providers, load_rooms};
use super::settings::load_calendar;
use super::{enum_at, time_at, ts, uuid_at, Actor, OptionalRow, Store, Write};
use crate::domain::appointment::{
    check_booking, resolve_slot, Appointment, AppointmentStatus, BookedSlot, BookingContext, BookingRequest,
};
use crate::domain::ids::new_id;
use crate::domain::schedule::{build_schedule_day, DayRow, ScheduleDay};
use crate::error::Result;

const HOLDING: &str = "status NOT IN ('cancelled', 'noshow', 'waitlist')";

impl Store {
    /// Books an appointment and starts the patient's journey for it, or refuses with the reason.
    pub fn book_appointment(&self, actor: Actor, request: &BookingRequest) -> Result<Appointment> {
        self.write(actor, |w| {
            let calendar = load_calendar(&w.tx)?;
            let patient = super::patients::load_patient(&w.tx, request.patient_id)?;
            let provider = load_providers(&w.tx)?
                .into_iter()
                .find(|p| p.id == request.provider_id && p.active)
                .ok_or_else(|| super::not_found("provider", request.provider_id))?;
            let room = load_rooms(&w.tx)?
                .into_iter()
                .find(|r| r.id == request.room_id && r.active)
                .ok_or_else(|| super::not_found("room", request.room_id))?;
            let (duration, family): (u32, String) = w
                .tx
                .query_row(
                    "SELECT duration_minutes, template_family_key FROM service_types WHERE id = ?1 AND active = 1",
                    [request.service_type_id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .found("service type", request.service_type_id)?;
            let (start, end) = resolve_slot(&calendar, request.date, &request.start_time, duration)?;
            let overlapping = overlapping_bookings(&w.tx, request, start, end)?;
            let blocked = blocked_between(&w.tx, provider.id, room.id, start, end)?;
            let patient_name = patient.full_name();
            check_booking(
                &BookingContext {
                    calendar: &calendar,
                    now: w.now,
                    provider: &provider,
                    room: &room,
                    patient_id: patient.id,
                    patient_name: &patient_name,
                    blocked: &blocked,
                    overlapping: &overlapping,
                },
                start,
                end,
            )?;
            let appointment = Appointment {
                id: new_id(),
                patient_id: patient.id,
                provider_id: provider.id,
                room_id: room.id,
                service_type_id: request.service_type_id,
                starts_at: start,
                ends_at: end,
                status: AppointmentStatus::Booked,
                cancel_reason: None,
                notes: request.notes.trim().to_string(),
                created_at: w.now,
                updated_at: w.now,
            };
            insert_appointment(w, &appointment)?;
            start_journey(w, &appointment, &family)?;
            Ok(appointment)
        })
    }

    pub fn get_appointment(&self, id: Uuid) -> Result<Appointment> {
        self.read(|c| {
            c.query_row(&format!("SELECT {COLUMNS} FROM appointments WHERE id = ?1"), [id.to_string()], appointment_from)
                .found("appointment", id)
        })
    }

    /// Everything the schedule's day view draws for `date` (clinic-local).
    pub fn schedule_day(&self, date: NaiveDate) -> Result<ScheduleDay> {
        self.read(|c| {
            let calendar = load_calendar(c)?;
            let (from, to) = calendar.day_bounds(date);
            let providers = load_providers(c)?;
            let mut stmt = c.prepare_cached(
                "SELECT a.id, a.patient_id, p.given_name || ' ' || p.family_name, p.phone, a.provider_id, a.room_id,
                   r.name, s.name, s.color, a.status, a.starts_at, a.ends_at
                 FROM appointments a
                 JOIN patients p ON p.id = a.patient_id
                 JOIN rooms r ON r.id = a.room_id
                 JOIN service_types s ON s.id = a.service_type_id
                 WHERE a.starts_at < ?2 AND a.ends_at > ?1 AND a.status NOT IN ('cancelled', 'waitlist')
                 ORDER BY a.starts_at",
            )?;
            let rows = stmt
                .query_map((ts(from), ts(to)), |r| {
                    Ok(DayRow {
                        appointment_id: uuid_at(r, 0)?,
                        patient_id: uuid_at(r, 1)?,
                        patient_name: r.get(2)?,
                        patient_phone: r.get(3)?,
                        provider_id: uuid_at(r, 4)?,
                        room_id: uuid_at(r, 5)?,
                        room_name: r.get(6)?,
                        service_name: r.get(7)?,
                        service_color: r.get(8)?,
                        status: enum_at(r, 9, AppointmentStatus::parse)?,
                        starts_at: time_at(r, 10)?,
                        ends_at: time_at(r, 11)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(build_schedule_day(&calendar, date, &providers, rows))
        })
    }
}

/// Slot-holding bookings of the same provider, room or patient that overlap `[start, end)`.
fn overlapping_bookings(
    c: &Connection,
    request: &BookingRequest,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<BookedSlot>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT a.id, a.patient_id, p.given_name || ' ' || p.family_name, a.provider_id, v.name, a.room_id,
           a.starts_at, a.ends_at
         FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
         WHERE a.starts_at < ?5 AND a.ends_at > ?4 AND a.{HOLDING}
           AND (a.provider_id = ?1 OR a.room_id = ?2 OR a.patient_id = ?3)
         ORDER BY a.starts_at"
    ))?;
    let rows = stmt.query_map(
        (
            request.provider_id.to_string(),
            request.room_id.to_string(),
            request.patient_id.to_string(),
            ts(start),
            ts(end),
        ),
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

const COLUMNS: &str = "id, patient_id, provider_id, room_id, service_type_id, starts_at, ends_at, status,
    cancel_reason, notes, created_at, updated_at";

fn appointment_from(r: &rusqlite::Row) -> rusqlite::Result<Appointment> {
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
        created_at: time_at(r, 10)?,
        updated_at: time_at(r, 11)?,
    })
}

pub(crate) fn insert_appointment(w: &mut Write, a: &Appointment) -> Result<()> {
    let mut stmt = w.tx.prepare_cached(&format!(
        "INSERT INTO appointments ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
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
        ts(a.created_at),
        ts(a.updated_at),
    ])?;
    drop(stmt);
    w.audit("appointments", a.id, "book", a.status.as_str())
}
