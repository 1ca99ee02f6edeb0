//! The waitlist: entries, and booking a waiting patient into a freed slot.

use uuid::Uuid;

use super::booking::book;
use super::Entity;
use super::{Actor, Store};
use crate::db::{Db, ToValue};
use crate::domain::access::Work;
use crate::domain::appointment::{Appointment, BookingRequest};
use crate::domain::ids::new_id;
use crate::domain::slots::PartOfDay;
use crate::domain::waitlist::{check_new_entry, suits, FreedSlot, NewWaitlistEntry, WaitlistEntry, WaitlistStatus};
use crate::error::{Error, Refusal, Result};

impl Store {
    pub fn add_to_waitlist(&self, actor: Actor, entry: &NewWaitlistEntry) -> Result<WaitlistEntry> {
        self.write(actor, Work::Bookings, |w| {
            let today = w.calendar()?.local_date(w.now);
            check_new_entry(entry, today)?;
            super::patients::load_patient(w.db(), entry.patient_id)?;
            let id = new_id();
            w.db().execute(
                "INSERT INTO waitlist_entries (id, patient_id, service_type_id, provider_id, earliest_date, latest_date,
                   part_of_day, notes, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'waiting', ?9, ?9)",
                &[
                    &id,
                    &entry.patient_id,
                    &entry.service_type_id,
                    &entry.provider_id,
                    &entry.earliest_date,
                    &entry.latest_date,
                    &entry.part_of_day.map(part_of_day_text),
                    &entry.notes.trim(),
                    &w.now,
                ],
            )?;
            w.audit(Entity::WaitlistEntries, id, "add", "")?;
            load_entry(w.db(), id)
        })
    }

    /// Patients still waiting, longest-waiting first.
    pub fn waitlist(&self) -> Result<Vec<WaitlistEntry>> {
        self.read_patient_db(|db| entries(db, "w.status = 'waiting'", &[]))
    }

    pub fn remove_from_waitlist(&self, actor: Actor, id: Uuid) -> Result<()> {
        self.write(actor, Work::Bookings, |w| {
            let entry = load_entry(w.db(), id)?;
            if entry.status != WaitlistStatus::Waiting {
                return Err(Error::refused("", Refusal::NotWaiting { patient: entry.patient_name.clone() }));
            }
            w.db().execute(
                "UPDATE waitlist_entries SET status = 'removed', updated_at = ?2 WHERE id = ?1",
                &[&id, &w.now],
            )?;
            w.audit(Entity::WaitlistEntries, id, "remove", "")
        })
    }

    /// Books a waiting patient (e.g. into a freed slot) and takes them off the waitlist, at once.
    pub fn book_from_waitlist(&self, actor: Actor, entry_id: Uuid, request: &BookingRequest) -> Result<Appointment> {
        self.write(actor, Work::Bookings, |w| {
            let entry = load_entry(w.db(), entry_id)?;
            if entry.status != WaitlistStatus::Waiting || entry.patient_id != request.patient_id {
                return Err(Error::refused("", Refusal::NotWaiting { patient: entry.patient_name.clone() }));
            }
            let calendar = w.calendar()?;
            let appointment = book(w, &calendar, request, None)?;
            w.db().execute(
                "UPDATE waitlist_entries SET status = 'booked', appointment_id = ?2, updated_at = ?3 WHERE id = ?1",
                &[&entry_id, &appointment.id, &w.now],
            )?;
            w.audit(Entity::WaitlistEntries, entry_id, "booked", &appointment.id.to_string())?;
            Ok(appointment)
        })
    }
}

/// Waiting entries the freed slot suits.
pub(super) fn offers_for(db: &Db, freed: &FreedSlot) -> Result<Vec<WaitlistEntry>> {
    let waiting =
        entries(db, "w.status = 'waiting' AND w.earliest_date <= ?1 AND w.latest_date >= ?1", &[&freed.date])?;
    let mut offers = Vec::new();
    for entry in waiting {
        let duration: u32 = db
            .query_one("SELECT duration_minutes FROM service_types WHERE id = ?1", &[&entry.service_type_id])?
            .get(0)?;
        if suits(&entry, duration, freed) {
            offers.push(entry);
        }
    }
    Ok(offers)
}

fn part_of_day_text(p: PartOfDay) -> &'static str {
    match p {
        PartOfDay::Morning => "morning",
        PartOfDay::Afternoon => "afternoon",
        PartOfDay::Evening => "evening",
    }
}

fn load_entry(db: &Db, id: Uuid) -> Result<WaitlistEntry> {
    entries(db, "w.id = ?1", &[&id])?.pop().ok_or_else(|| super::not_found("waitlist entry", id))
}

fn entries(db: &Db, filter: &str, params: &[&dyn ToValue]) -> Result<Vec<WaitlistEntry>> {
    db.query_map(
        &format!(
            "SELECT w.id, w.patient_id, person_name(p.given_name, p.family_name), p.phone, w.service_type_id, s.name,
               w.provider_id, v.name, w.earliest_date, w.latest_date, w.part_of_day, w.notes, w.status, w.created_at
             FROM waitlist_entries w JOIN patients p ON p.id = w.patient_id
               JOIN service_types s ON s.id = w.service_type_id LEFT JOIN providers v ON v.id = w.provider_id
             WHERE {filter} ORDER BY w.created_at, w.id"
        ),
        params,
        |r| {
            Ok(WaitlistEntry {
                id: r.get(0)?,
                patient_id: r.get(1)?,
                patient_name: r.get(2)?,
                patient_phone: r.get(3)?,
                service_type_id: r.get(4)?,
                service_name: r.get(5)?,
                provider_id: r.get(6)?,
                provider_name: r.get(7)?,
                earliest_date: r.get(8)?,
                latest_date: r.get(9)?,
                part_of_day: r.get_text(10)?.and_then(PartOfDay::parse),
                notes: r.get(11)?,
                status: r.get_enum(12, WaitlistStatus::parse)?,
                created_at: r.get(13)?,
            })
        },
    )
}
