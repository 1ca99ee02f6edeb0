//! Clinic settings: name, zone, language, working hours, closed days, quiet hours.

use rusqlite::Connection;

use super::Entity;
use super::{Actor, Store, Write};
use crate::domain::clinic::{parse_time_zone, ClinicCalendar, ClinicSettings, ClosedDay, MinuteRange, WeekdayHours};
use crate::domain::ids::derived_id;
use crate::domain::weekly_hours::check_weekly_hours;
use crate::error::{Error, Refusal, Result};

impl Store {
    pub fn get_settings(&self) -> Result<ClinicSettings> {
        self.read(load_settings)
    }

    pub fn calendar(&self) -> Result<ClinicCalendar> {
        self.read(load_calendar)
    }

    pub fn save_settings(&self, actor: Actor, settings: &ClinicSettings) -> Result<()> {
        validate(settings)?;
        self.write(actor, |w| write_settings(w, settings))
    }
}

fn validate(settings: &ClinicSettings) -> Result<()> {
    if settings.name.trim().is_empty() {
        return Err(Error::refused("name", Refusal::Required { what: "The clinic's name".into() }));
    }
    parse_time_zone(&settings.time_zone)?;
    check_weekly_hours("working_hours", settings.working_hours.clone())?;
    Ok(())
}

pub(crate) fn write_settings(w: &mut Write, s: &ClinicSettings) -> Result<()> {
    let tx = &w.tx;
    tx.execute(
        "INSERT INTO clinic_settings (id, name, time_zone, default_language, quiet_start, quiet_end, updated_at)
         VALUES ('clinic', ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
           default_language = excluded.default_language, quiet_start = excluded.quiet_start,
           quiet_end = excluded.quiet_end, updated_at = excluded.updated_at",
        (
            s.name.trim(),
            &s.time_zone,
            &s.default_language,
            s.quiet_hours.map(|q| q.start),
            s.quiet_hours.map(|q| q.end),
            super::ts(w.now),
        ),
    )?;
    tx.execute("DELETE FROM working_hours", [])?;
    for wh in &s.working_hours {
        let id = derived_id("working_hours", &format!("{}:{}", wh.weekday, wh.span.start));
        tx.execute(
            "INSERT INTO working_hours (id, weekday, opens, closes) VALUES (?1, ?2, ?3, ?4)",
            (id.to_string(), wh.weekday, wh.span.start, wh.span.end),
        )?;
    }
    tx.execute("DELETE FROM closed_days", [])?;
    for day in &s.closed_days {
        tx.execute("INSERT INTO closed_days (date, reason) VALUES (?1, ?2)", (day.date.to_string(), &day.reason))?;
    }
    w.audit(Entity::ClinicSettings, derived_id("clinic_settings", "clinic"), "save", "")
}

pub(super) fn load_calendar(c: &Connection) -> Result<ClinicCalendar> {
    ClinicCalendar::new(&load_settings(c)?)
}

pub(super) fn load_settings(c: &Connection) -> Result<ClinicSettings> {
    // Cached statements: every screen's read starts here.
    let (name, time_zone, default_language, quiet_start, quiet_end) = c
        .prepare_cached(
            "SELECT name, time_zone, default_language, quiet_start, quiet_end FROM clinic_settings WHERE id = 'clinic'",
        )?
        .query_row([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<u16>>(3)?, r.get::<_, Option<u16>>(4)?))
        })?;
    let mut stmt = c.prepare_cached("SELECT weekday, opens, closes FROM working_hours ORDER BY weekday, opens")?;
    let working_hours = stmt
        .query_map([], |r| {
            Ok(WeekdayHours { weekday: r.get(0)?, span: MinuteRange { start: r.get(1)?, end: r.get(2)? } })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = c.prepare_cached("SELECT date, reason FROM closed_days ORDER BY date")?;
    let closed_days = stmt
        .query_map([], |r| Ok(ClosedDay { date: super::date_at(r, 0)?.expect("date is NOT NULL"), reason: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let quiet_hours = match (quiet_start, quiet_end) {
        (Some(start), Some(end)) => Some(MinuteRange { start, end }),
        _ => None,
    };
    Ok(ClinicSettings { name, time_zone, default_language, working_hours, closed_days, quiet_hours })
}
