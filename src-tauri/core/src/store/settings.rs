//! Clinic settings: name, zone, language, working hours, closed days, quiet hours.

use chrono::{DateTime, Utc};

use super::Entity;
use super::{Actor, Store, Write};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::clinic::{parse_time_zone, ClinicCalendar, ClinicSettings, ClosedDay, MinuteRange, WeekdayHours};
use crate::domain::dates::check_date;
use crate::domain::ids::derived_id;
use crate::domain::limits::{self, check_length};
use crate::domain::patient::{normalise_phone, LANGUAGES};
use crate::domain::weekly_hours::check_weekly_hours;
use crate::error::{Error, Refusal, Result};

impl Store {
    pub fn get_settings(&self) -> Result<ClinicSettings> {
        self.read_kept(|| "settings".into(), || self.read_db(read_settings))
    }

    pub fn calendar(&self) -> Result<ClinicCalendar> {
        self.read_kept(|| "calendar".into(), || self.read_db(read_calendar))
    }

    pub fn save_settings(&self, actor: Actor, settings: &ClinicSettings) -> Result<()> {
        validate(settings)?;
        self.write(actor, Work::ClinicSetup, |w| save(w, settings))
    }

    /// Saves the clinic's details and hours, keeping its closed days as they are in the store
    /// (those are added and reopened one by one, possibly from another screen meanwhile).
    pub fn save_clinic_details(&self, actor: Actor, details: &ClinicSettings) -> Result<()> {
        self.write(actor, Work::ClinicSetup, |w| {
            let settings = ClinicSettings { closed_days: read_settings(w.db())?.closed_days, ..details.clone() };
            validate(&settings)?;
            save(w, &settings)
        })
    }
}

/// Writes valid settings; a new content language relabels the default journeys.
fn save(w: &mut Write, settings: &ClinicSettings) -> Result<()> {
    let before = read_settings(w.db())?.default_language;
    write_settings(w, settings)?;
    if before != settings.default_language {
        super::seed::relabel_default_content(w, &before, &settings.default_language)?;
    }
    Ok(())
}

pub(super) fn validate(settings: &ClinicSettings) -> Result<()> {
    if settings.name.trim().is_empty() {
        return Err(Error::refused("name", Refusal::Required { what: "The clinic's name".into() }));
    }
    check_length("name", "The clinic's name", settings.name.trim(), limits::NAME)?;
    check_length("address", "The address", settings.address.trim(), limits::REASON)?;
    normalise_phone("phone", &settings.phone)?;
    parse_time_zone(&settings.time_zone)?;
    if !LANGUAGES.contains(&settings.default_language.as_str()) {
        let value = settings.default_language.clone();
        return Err(Error::refused("default_language", Refusal::UnknownLanguage { value }));
    }
    check_weekly_hours("working_hours", settings.working_hours.clone())?;
    if let Some(h) = settings.working_hours.iter().find(|h| h.weeks != crate::domain::clinic::Weeks::Every) {
        return Err(Error::refused("working_hours", Refusal::ClinicHoursEveryWeek { weekday: h.weekday.into() }));
    }
    let mut dates = std::collections::BTreeSet::new();
    for day in &settings.closed_days {
        check_date("closed_days", day.date)?;
        check_length("closed_days", "The reason", day.reason.trim(), limits::REASON)?;
        if !dates.insert(day.date) {
            return Err(Error::refused("closed_days", Refusal::AlreadyClosed { date: day.date.to_string() }));
        }
    }
    Ok(())
}

pub(crate) fn write_settings(w: &mut Write, s: &ClinicSettings) -> Result<()> {
    write_settings_rows(w.db(), s, w.now)?;
    w.audit(Entity::ClinicSettings, derived_id("clinic_settings", "clinic"), "save", "")
}

/// The settings' rows, on either engine (the audit row is the caller's).
pub(crate) fn write_settings_rows(db: &Db, s: &ClinicSettings, now: DateTime<Utc>) -> Result<()> {
    db.execute(
        "INSERT INTO clinic_settings (id, name, time_zone, default_language, quiet_start, quiet_end, updated_at,
           address, phone)
         VALUES ('clinic', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
           default_language = excluded.default_language, quiet_start = excluded.quiet_start,
           quiet_end = excluded.quiet_end, updated_at = excluded.updated_at, address = excluded.address,
           phone = excluded.phone",
        &[
            &s.name.trim(),
            &s.time_zone,
            &s.default_language,
            &s.quiet_hours.map(|q| q.start),
            &s.quiet_hours.map(|q| q.end),
            &super::ts(now),
            &s.address.trim(),
            &s.phone.trim(),
        ],
    )?;
    db.execute("DELETE FROM working_hours", &[])?;
    for wh in &s.working_hours {
        let id = derived_id("working_hours", &format!("{}:{}", wh.weekday, wh.span.start));
        db.execute(
            "INSERT INTO working_hours (id, weekday, opens, closes) VALUES (?1, ?2, ?3, ?4)",
            &[&id, &wh.weekday, &wh.span.start, &wh.span.end],
        )?;
    }
    db.execute("DELETE FROM closed_days", &[])?;
    for day in &s.closed_days {
        db.execute(
            "INSERT INTO closed_days (date, reason, yearly) VALUES (?1, ?2, ?3)",
            &[&day.date, &day.reason.trim(), &day.yearly],
        )?;
    }
    Ok(())
}

/// The language the clinic's own words are written in (`default_language`).
pub(super) fn content_language(db: &Db) -> Result<String> {
    db.query_one("SELECT default_language FROM clinic_settings WHERE id = 'clinic'", &[])?.get(0)
}

pub(super) fn read_calendar(db: &Db) -> Result<ClinicCalendar> {
    ClinicCalendar::new(&read_settings(db)?)
}

/// The clinic's settings, on either engine (every screen's read starts here).
pub(crate) fn read_settings(db: &Db) -> Result<ClinicSettings> {
    let row = db.query_one(
        "SELECT name, time_zone, default_language, quiet_start, quiet_end, address, phone FROM clinic_settings
         WHERE id = 'clinic'",
        &[],
    )?;
    let working_hours = db
        .query("SELECT weekday, opens, closes FROM working_hours ORDER BY weekday, opens", &[])?
        .iter()
        .map(|r| Ok(WeekdayHours::every_week(r.get(0)?, MinuteRange { start: r.get(1)?, end: r.get(2)? })))
        .collect::<Result<Vec<_>>>()?;
    let closed_days = db
        .query("SELECT date, reason, yearly FROM closed_days ORDER BY date", &[])?
        .iter()
        .map(|r| Ok(ClosedDay { date: r.get(0)?, reason: r.get(1)?, yearly: r.get(2)? }))
        .collect::<Result<Vec<_>>>()?;
    let quiet_hours = match (row.get::<Option<u16>>(3)?, row.get::<Option<u16>>(4)?) {
        (Some(start), Some(end)) => Some(MinuteRange { start, end }),
        _ => None,
    };
    Ok(ClinicSettings {
        name: row.get(0)?,
        address: row.get(5)?,
        phone: row.get(6)?,
        time_zone: row.get(1)?,
        default_language: row.get(2)?,
        working_hours,
        closed_days,
        quiet_hours,
    })
}
