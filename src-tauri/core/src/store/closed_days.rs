//! Adding closed days and public holidays, one by one or from a file, and the visits already
//! booked on them: closing a day never silently strands its patients.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::settings::{read_calendar, read_settings, write_settings};
use super::{Actor, Store};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::clinic::{ClinicCalendar, ClosedDay};
use crate::error::{Error, Refusal, Result};

/// What adding closed days did, and the visits booked on them that now need moving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClosedDaysAdded {
    pub added: u32,
    /// Days the clinic had closed already (an import skips them).
    pub already_closed: u32,
    pub booked: Vec<BookedOnClosedDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BookedOnClosedDay {
    pub appointment_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub patient_name: String,
    pub provider_name: String,
}

impl Store {
    /// Closes the clinic on one more day; a day closed already is refused.
    pub fn add_closed_day(&self, actor: Actor, day: &ClosedDay) -> Result<ClosedDaysAdded> {
        self.add_closed_days(actor, std::slice::from_ref(day), false)
    }

    /// Closes the clinic on every day of an imported list, in one write; days closed already
    /// are left as they are and counted.
    pub fn import_closed_days(&self, actor: Actor, days: &[ClosedDay]) -> Result<ClosedDaysAdded> {
        self.add_closed_days(actor, days, true)
    }

    /// Opens the clinic again on a day it had closed.
    pub fn remove_closed_day(&self, actor: Actor, date: NaiveDate) -> Result<()> {
        self.write(actor, Work::ClinicSetup, |w| {
            let mut settings = read_settings(w.db())?;
            let before = settings.closed_days.len();
            settings.closed_days.retain(|d| d.date != date);
            if settings.closed_days.len() == before {
                return Err(Error::NotFound { entity: "closed day", id: date.to_string() });
            }
            write_settings(w, &settings)
        })
    }

    fn add_closed_days(&self, actor: Actor, days: &[ClosedDay], skip_closed: bool) -> Result<ClosedDaysAdded> {
        self.write(actor, Work::ClinicSetup, |w| {
            let mut settings = read_settings(w.db())?;
            let mut added = Vec::new();
            let mut already_closed = 0;
            for day in days {
                let reason = day.reason.trim();
                if reason.is_empty() {
                    return Err(Error::refused("reason", Refusal::Required { what: "The reason".into() }));
                }
                if settings.closed_days.iter().chain(&added).any(|c: &ClosedDay| c.date == day.date) {
                    if skip_closed {
                        already_closed += 1;
                        continue;
                    }
                    return Err(Error::refused("date", Refusal::AlreadyClosed { date: day.date.to_string() }));
                }
                added.push(ClosedDay { reason: reason.to_string(), ..day.clone() });
            }
            settings.closed_days.extend(added.iter().cloned());
            super::settings::validate(&settings)?;
            write_settings(w, &settings)?;
            let calendar = read_calendar(w.db())?;
            let booked = booked_on(w.db(), &calendar, &added, w.now)?;
            Ok(ClosedDaysAdded { added: added.len() as u32, already_closed, booked })
        })
    }
}

/// The coming visits still to happen on `days` (a yearly day: its next date from today on).
fn booked_on(
    db: &Db,
    calendar: &ClinicCalendar,
    days: &[ClosedDay],
    now: DateTime<Utc>,
) -> Result<Vec<BookedOnClosedDay>> {
    let today = calendar.local_date(now);
    let mut booked = Vec::new();
    for day in days {
        let Some(date) = next_date(day, today) else { continue };
        let (start, end) = calendar.day_bounds(date);
        booked.extend(db.query_map(
            "SELECT a.id, a.starts_at, person_name(p.given_name, p.family_name), v.name
             FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
             WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.starts_at >= ?3
               AND a.status IN ('proposed', 'booked', 'confirmed')
             ORDER BY a.starts_at, a.id",
            &[&start, &end, &now],
            |r| {
                Ok(BookedOnClosedDay {
                    appointment_id: r.get(0)?,
                    starts_at: r.get(1)?,
                    patient_name: r.get(2)?,
                    provider_name: r.get(3)?,
                })
            },
        )?);
    }
    Ok(booked)
}

/// The day itself, or for a yearly day its first date from `today` on.
fn next_date(day: &ClosedDay, today: NaiveDate) -> Option<NaiveDate> {
    if !day.yearly || day.date >= today {
        return Some(day.date);
    }
    (today.year()..=today.year() + 1)
        .filter_map(|year| NaiveDate::from_ymd_opt(year, day.date.month(), day.date.day()))
        .find(|date| *date >= today)
}
