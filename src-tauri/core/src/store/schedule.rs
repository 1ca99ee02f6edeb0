//! The schedule's views (day or week, per provider or room) and the slot finder's inputs.

use chrono::{DateTime, Duration, Utc};

use super::resources::{read_blocked_between_any, read_providers, read_rooms};
use super::settings::read_settings;
use super::{OptionalRow, Store};
use crate::db::{Db, ToValue};
use crate::domain::appointment::AppointmentStatus;
use crate::domain::clinic::ClinicCalendar;
use crate::domain::dates::{check_date, check_period};
use crate::domain::schedule::{
    build_schedule, view_dates, EntryRow, Resource, ScheduleBy, ScheduleQuery, ScheduleSpan, ScheduleView,
};
use crate::domain::slots::{find_free_slots, Busy, FreeSlot, Occupancy, SlotQuery, SlotSearch};
use crate::error::{Error, Refusal, Result};

/// The slot finder first looks this far ahead, then further while it has found too few.
const FIRST_WINDOW_DAYS: i64 = 14;

impl Store {
    /// Everything a schedule grid draws.
    pub fn schedule_view(&self, query: &ScheduleQuery) -> Result<ScheduleView> {
        check_date("date", query.date)?;
        self.read_kept(|| format!("schedule {query:?}"), || self.read_patient_db(|db| schedule_on(db, query)))
    }

    /// The next free slots for a service (see `SlotQuery`).
    pub fn find_slots(&self, query: &SlotQuery) -> Result<Vec<FreeSlot>> {
        if query.count == 0 || query.count > 200 {
            return Err(Error::refused("count", Refusal::CountRange { max: 200 }));
        }
        let now = self.now();
        self.read_db(|db| {
            let calendar = ClinicCalendar::new(&read_settings(db)?)?;
            let duration: u32 = db
                .query_opt(
                    "SELECT duration_minutes FROM service_types WHERE id = ?1 AND active = 1",
                    &[&query.service_type_id],
                )?
                .map(|r| r.get(0))
                .transpose()
                .found("service type", query.service_type_id)?;
            let providers = read_providers(db)?;
            let rooms = read_rooms(db)?;
            let today = calendar.local_date(query.after.map_or(now, |a| a.max(now)));
            let first =
                query.from_date.map(|d| check_date("from_date", d)).transpose()?.map_or(today, |d| d.max(today));
            let last = query.to_date.unwrap_or(first + Duration::days(crate::domain::slots::DEFAULT_HORIZON_DAYS));
            // A far `to` would search (and load) day by day for centuries.
            check_period("to_date", query.from_date.unwrap_or(first).min(first), last)?;
            // Load bookings for a short window first; widen it only when it holds too few slots.
            let mut window = FIRST_WINDOW_DAYS;
            loop {
                let window_last = (first + Duration::days(window)).min(last);
                let (from, _) = calendar.day_bounds(first);
                let (_, to) = calendar.day_bounds(window_last);
                let occupancy = Occupancy::new(&busy_between(db, from, to)?, &read_blocked_between_any(db, from, to)?);
                let search = SlotSearch {
                    calendar: &calendar,
                    now,
                    providers: &providers,
                    rooms: &rooms,
                    occupancy: &occupancy,
                    duration_minutes: duration,
                };
                let windowed = SlotQuery { to_date: Some(window_last), ..query.clone() };
                let slots = find_free_slots(&search, &windowed);
                if slots.len() >= query.count as usize || window_last >= last {
                    return Ok(slots);
                }
                window *= 4;
            }
        })
    }
}

/// A schedule grid's view, on either engine.
pub fn schedule_on(db: &Db, query: &ScheduleQuery) -> Result<ScheduleView> {
    let calendar = ClinicCalendar::new(&read_settings(db)?)?;
    let dates = view_dates(query);
    let (from, _) = calendar.day_bounds(dates[0]);
    let (_, to) = calendar.day_bounds(*dates.last().expect("a view has a date"));
    let (providers, rooms) = (read_providers(db)?, read_rooms(db)?);
    let resources: Vec<Resource> = match query.by {
        ScheduleBy::Provider => providers.iter().filter(|p| p.active).map(Resource::from).collect(),
        ScheduleBy::Room => rooms.iter().filter(|r| r.active).map(Resource::from).collect(),
    };
    // A week view shows one resource: load only its rows.
    let only = match query.span {
        ScheduleSpan::Day => None,
        ScheduleSpan::Week => query.resource_id.or(resources.first().map(|r| r.id)).map(|id| (query.by, id)),
    };
    let rows = entry_rows(db, from, to, only)?;
    Ok(build_schedule(&calendar, query, &resources, rows))
}

fn entry_rows(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    only: Option<(ScheduleBy, uuid::Uuid)>,
) -> Result<Vec<EntryRow>> {
    let filter = match only {
        None => "",
        Some((ScheduleBy::Provider, _)) => "AND a.provider_id = ?3",
        Some((ScheduleBy::Room, _)) => "AND a.room_id = ?3",
    };
    let sql = format!(
        "SELECT a.id, a.patient_id, person_name(p.given_name, p.family_name), p.phone, a.provider_id, v.name, a.room_id,
           r.name, a.service_type_id, s.name, s.color, a.status, a.series_index, a.notes, a.starts_at, a.ends_at
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
         JOIN providers v ON v.id = a.provider_id
         JOIN rooms r ON r.id = a.room_id
         JOIN service_types s ON s.id = a.service_type_id
         WHERE a.starts_at < ?2 AND a.ends_at > ?1 AND a.status NOT IN ('cancelled', 'waitlist') {filter}
         ORDER BY a.starts_at, a.id"
    );
    let resource = only.map(|(_, id)| id);
    let mut params: Vec<&dyn ToValue> = vec![&from, &to];
    if let Some(id) = &resource {
        params.push(id);
    }
    db.query(&sql, &params)?
        .iter()
        .map(|r| {
            Ok(EntryRow {
                appointment_id: r.get(0)?,
                patient_id: r.get(1)?,
                patient_name: r.get(2)?,
                patient_phone: r.get(3)?,
                provider_id: r.get(4)?,
                provider_name: r.get(5)?,
                room_id: r.get(6)?,
                room_name: r.get(7)?,
                service_type_id: r.get(8)?,
                service_name: r.get(9)?,
                service_color: r.get(10)?,
                status: r.get_enum(11, AppointmentStatus::parse)?,
                series_index: r.get(12)?,
                notes: r.get(13)?,
                starts_at: r.get(14)?,
                ends_at: r.get(15)?,
            })
        })
        .collect()
}

/// Slot-holding bookings overlapping `[from, to)`.
fn busy_between(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Busy>> {
    db.query_map(
        "SELECT provider_id, room_id, patient_id, starts_at, ends_at FROM appointments
         WHERE starts_at < ?2 AND ends_at > ?1 AND status NOT IN ('cancelled', 'noshow', 'waitlist')",
        &[&from, &to],
        |r| {
            Ok(Busy {
                provider_id: r.get(0)?,
                room_id: r.get(1)?,
                patient_id: r.get(2)?,
                starts_at: r.get(3)?,
                ends_at: r.get(4)?,
            })
        },
    )
}
