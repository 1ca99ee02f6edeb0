//! Appointments: booking (single and recurring), rescheduling, cancelling and no-shows. Every
//! rule is checked by the domain inside the writing transaction, so two desks cannot take the
//! same slot.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{
    appointment_from, book, check_slot, columns, load_appointment, move_appointment, set_status, Slot, COLUMN_COUNT,
};
use super::journeys::close_journey;
use super::settings::read_calendar;
use super::waitlist::offers_for;
use super::{Actor, Entity, Store, Write};
use crate::domain::access::Work;
use crate::domain::appointment::{
    check_cancel_reason, check_status_change, resolve_slot, Appointment, AppointmentAction, AppointmentStatus,
    BookingRequest, RescheduleRequest,
};
use crate::domain::clinic::hhmm;
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
        self.write(actor, Work::Bookings, |w| {
            let calendar = w.calendar()?;
            book(w, &calendar, request, None)
        })
    }

    /// Books every occurrence of a series, or none: a refusal names the occurrence.
    pub fn book_series(&self, actor: Actor, request: &SeriesRequest) -> Result<Vec<Appointment>> {
        self.write(actor, Work::Bookings, |w| {
            let calendar = w.calendar()?;
            let first_minute = crate::domain::clinic::parse_hhmm(&request.booking.start_time).ok_or_else(|| {
                Error::refused("start_time", Refusal::BadTime { value: request.booking.start_time.clone() })
            })?;
            let dates = expand_series(&calendar, request.booking.date, first_minute, &request.rrule)?;
            let series_id = new_id();
            w.db().execute(
                "INSERT INTO appointment_series (id, patient_id, service_type_id, rrule, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    &series_id,
                    &request.booking.patient_id,
                    &request.booking.service_type_id,
                    &request.rrule.trim().to_ascii_uppercase(),
                    &w.now,
                ],
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
        self.write(actor, Work::Bookings, |w| {
            let calendar = w.calendar()?;
            let current = load_appointment(w.db(), request.appointment_id)?;
            let patient = super::patients::load_patient(w.db(), current.patient_id)?;
            check_status_change(&current, AppointmentAction::Reschedule, w.now, &patient.full_name())?;
            let duration = (current.ends_at - current.starts_at).num_minutes() as u32;
            let (start, end) = resolve_slot(&calendar, request.date, &request.start_time, duration)?;
            let slot =
                Slot { patient_id: current.patient_id, provider_id: request.provider_id, room_id: request.room_id };
            check_slot(w.db(), &calendar, w.now, &slot, start, end, Some(current.id))?;
            move_appointment(w, current.id, &slot, start, end)?;
            let from = calendar.to_local_text(current.starts_at);
            w.audit(
                Entity::Appointments,
                current.id,
                "reschedule",
                &format!("{from} → {}", calendar.to_local_text(start)),
            )?;
            load_appointment(w.db(), current.id)
        })
    }

    /// Cancels with a reason, closes the journey, and lists the waitlisted patients the freed
    /// slot suits.
    pub fn cancel_appointment(&self, actor: Actor, id: Uuid, reason: &str) -> Result<CancelOutcome> {
        self.write(actor, Work::Bookings, |w| cancel_in(w, id, reason))
    }

    /// Marks a patient who did not come; the slot is released and the journey closed.
    pub fn mark_no_show(&self, actor: Actor, id: Uuid) -> Result<Appointment> {
        self.write(actor, Work::Bookings, |w| {
            let current = load_appointment(w.db(), id)?;
            let patient = super::patients::load_patient(w.db(), current.patient_id)?;
            check_status_change(&current, AppointmentAction::NoShow, w.now, &patient.full_name())?;
            set_status(w, id, AppointmentStatus::Noshow, None)?;
            close_journey(w, id)?;
            load_appointment(w.db(), id)
        })
    }

    pub fn get_appointment(&self, id: Uuid) -> Result<Appointment> {
        self.read_patient_db(|db| load_appointment(db, id))
    }

    /// Every appointment starting on a clinic-local date, cancelled ones included.
    pub fn appointments_on(&self, date: NaiveDate) -> Result<Vec<AppointmentListItem>> {
        crate::domain::dates::check_date("date", date)?;
        self.read_kept(|| format!("visits on {date}"), || self.read_appointments_on(date))
    }

    fn read_appointments_on(&self, date: NaiveDate) -> Result<Vec<AppointmentListItem>> {
        self.read_patient_db(|db| {
            let calendar = read_calendar(db)?;
            let (from, to) = calendar.day_bounds(date);
            let sql = format!(
                "SELECT {}, person_name(p.given_name, p.family_name), v.name, r.name, s.name
                 FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
                 JOIN rooms r ON r.id = a.room_id JOIN service_types s ON s.id = a.service_type_id
                 WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY a.starts_at, v.name, a.id",
                columns("a.")
            );
            db.query_map(&sql, &[&from, &to], |r| {
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
            })
        })
    }
}

/// Says which occurrence of a series a refusal is about.
fn in_occurrence(error: Error, n: usize, total: usize, date: NaiveDate) -> Error {
    match error {
        Error::Refused { field, refusal, .. } => {
            let occurrence = Occurrence { number: n as u32, of: total as u32, date: date.to_string() };
            Error::Refused { field, refusal, occurrence: Some(Box::new(occurrence)) }
        }
        other => other,
    }
}

/// Cancels a visit inside a write (the dialog's cancel, a patient declining a new time): the
/// journey closes, and the freed slot is offered to the waiting list.
pub(super) fn cancel_in(w: &mut Write, id: Uuid, reason: &str) -> Result<CancelOutcome> {
    let calendar = w.calendar()?;
    let current = load_appointment(w.db(), id)?;
    let patient = super::patients::load_patient(w.db(), current.patient_id)?;
    check_status_change(&current, AppointmentAction::Cancel, w.now, &patient.full_name())?;
    let reason = check_cancel_reason(reason)?;
    set_status(w, id, AppointmentStatus::Cancelled, Some(&reason))?;
    close_journey(w, id)?;
    let (date, start_minute) = calendar.local_minute(current.starts_at);
    let freed = FreedSlot {
        provider_id: current.provider_id,
        room_id: current.room_id,
        date,
        start_time: hhmm(start_minute),
        start_minute,
        length_minutes: (current.ends_at - current.starts_at).num_minutes() as u32,
    };
    let offers = if current.starts_at > w.now { offers_for(w.db(), &freed)? } else { Vec::new() };
    Ok(CancelOutcome { appointment: load_appointment(w.db(), id)?, freed, offers })
}
