//! The figures Insights adds up, kept per clinic-local day, provider and service (schema 12).
//! Triggers note which instants changed; `count_dirty_days` counts their days again, whole, from
//! the source rows, inside the write that changed them. A report then sums days instead of
//! reading two years of visits, stage events and answers.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::db::{Db, RowRef, ToValue};

use super::insights::family_journeys;
use super::templates::{load_template, newest_template_id};
use super::{from_ts, ts, Write};
use crate::domain::clinic::ClinicCalendar;
use crate::domain::journey::JourneyTemplate;
use crate::domain::minute_counts::{whole_minutes, MinuteCounts};
use crate::domain::overlay::stage_minutes;
use crate::domain::survey::{KanoAnswer, ServqualSums};
use crate::error::{Error, Result};

/// The tables that hold figures, each keyed by `day` first.
const FIGURE_TABLES: [&str; 7] = [
    "day_visits",
    "day_stage_passes",
    "day_surveys",
    "day_scores",
    "day_servqual",
    "day_servqual_respondents",
    "day_kano",
];

/// Whether the figures lag behind the rows: a program other than this store wrote rows (the
/// triggers noted them), or the clinic's time zone is not the one the days were counted in.
pub(super) fn behind(db: &Db, calendar: &ClinicCalendar) -> Result<bool> {
    let dirty: bool = db.query_one("SELECT EXISTS (SELECT 1 FROM figures_dirty)", &[])?.get(0)?;
    Ok(dirty || counted_zone(db)?.as_deref() != Some(calendar.tz.name()))
}

fn counted_zone(db: &Db) -> Result<Option<String>> {
    db.query_opt("SELECT time_zone FROM figures_zone", &[])?.map(|r| r.get(0)).transpose()
}

/// Counts again every day the write (or anyone before it) changed; every day when the time zone
/// changed. Runs before each commit, so a committed write never leaves figures behind.
pub(super) fn count_dirty_days(w: &mut Write) -> Result<()> {
    let calendar = w.calendar()?;
    let db = w.db();
    let zone = calendar.tz.name();
    if counted_zone(db)?.as_deref() != Some(zone) {
        for table in FIGURE_TABLES {
            db.execute(&format!("DELETE FROM {table}"), &[])?;
        }
        let insert = db.per_engine("INSERT OR IGNORE INTO", "INSERT INTO");
        let or_ignore = db.per_engine("", " ON CONFLICT DO NOTHING");
        for instants in [
            "SELECT starts_at FROM appointments",
            "SELECT at FROM stage_events WHERE kind = 'completed'",
            "SELECT at FROM survey_responses",
        ] {
            db.execute(&format!("{insert} figures_dirty {instants}{or_ignore}"), &[])?;
        }
        db.execute(
            "INSERT INTO figures_zone (id, time_zone) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone",
            &[&zone],
        )?;
    }
    let mut days = BTreeSet::new();
    for at in db.query_map("SELECT at FROM figures_dirty", &[], |r| r.get(0))? {
        days.insert(calendar.local_date(at));
    }
    if days.is_empty() {
        return Ok(());
    }
    db.execute("DELETE FROM figures_dirty", &[])?;
    let mut templates = Templates::default();
    for day in days {
        count_day(db, &calendar, &mut templates, day)?;
    }
    Ok(())
}

/// The newest version of each journey family, loaded once per count.
#[derive(Default)]
struct Templates(HashMap<String, JourneyTemplate>);

impl Templates {
    fn families(db: &Db) -> Result<Vec<String>> {
        db.query_map("SELECT DISTINCT family_key FROM journey_templates ORDER BY family_key", &[], |r| r.get(0))
    }

    fn newest(&mut self, db: &Db, family: &str) -> Result<&JourneyTemplate> {
        if !self.0.contains_key(family) {
            let template = load_template(db, newest_template_id(db, family)?)?;
            self.0.insert(family.to_owned(), template);
        }
        Ok(&self.0[family])
    }
}

pub(super) fn day_number(day: NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce())
}

fn day_of(number: i64) -> Result<NaiveDate> {
    i32::try_from(number)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| Error::Corrupt(format!("figure day {number}")))
}

/// Deletes one day's figures and counts them again from the rows: ?1 and ?2 bound the day's
/// instants, ?3 is its number.
fn count_day(db: &Db, calendar: &ClinicCalendar, templates: &mut Templates, day: NaiveDate) -> Result<()> {
    let (from, to) = calendar.day_bounds(day);
    let bounds = (ts(from), ts(to), day_number(day));
    let params: [&dyn ToValue; 3] = [&bounds.0, &bounds.1, &bounds.2];
    for table in FIGURE_TABLES {
        db.execute(&format!("DELETE FROM {table} WHERE day = ?1"), &[&bounds.2])?;
    }
    let by_journey = db.per_engine("stage_events e INDEXED BY stage_events_journey", "stage_events e");
    // The rates of `Rates`: due visits came or were missed; a late cancellation was less than a
    // day before the visit; a visit is confirmable when its journey has a confirmation stage.
    db.execute(
        &format!(
            "INSERT INTO day_visits
         SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id, count(*) FILTER (WHERE a.due),
                count(*) FILTER (WHERE a.status = 'noshow'), count(*) FILTER (WHERE a.due OR a.status = 'cancelled'),
                count(*) FILTER (WHERE a.status = 'cancelled' AND a.status_changed_at > a.starts_at - 86400),
                count(*) FILTER (WHERE a.due AND a.confirmation_stage),
                count(*) FILTER (WHERE a.due AND a.confirmation_stage AND a.confirmed)
         FROM (SELECT a.*, a.status IN ('noshow', 'arrived', 'in_progress', 'fulfilled') AS due,
                 EXISTS (SELECT 1 FROM template_stages s WHERE s.template_id = j.template_id
                           AND s.key = 'confirmation') AS confirmation_stage,
                 EXISTS (SELECT 1 FROM {by_journey}
                         WHERE e.journey_id = j.id AND e.kind = 'completed'
                           AND e.stage_id IN (SELECT id FROM template_stages WHERE key = 'confirmation')) AS confirmed
               FROM appointments a LEFT JOIN patient_journeys j ON j.appointment_id = a.id
               WHERE a.starts_at >= ?1 AND a.starts_at < ?2) a
         GROUP BY a.provider_id, a.service_type_id"
        ),
        &params,
    )?;
    count_stage_passes(db, templates, &bounds)?;
    // Answers given in the day, with the provider and service of the visit they rate.
    const ANSWERED: &str = "survey_responses r JOIN appointments a ON a.id = r.appointment_id";
    const ANSWER_OF: &str = "survey_responses r ON r.id = q.response_id JOIN appointments a ON a.id = r.appointment_id";
    const IN_DAY: &str = "r.at >= ?1 AND r.at < ?2";
    for insert in [
        format!("INSERT INTO day_surveys SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id, count(*) FROM {ANSWERED} WHERE {IN_DAY} GROUP BY 2, 3"),
        format!(
            "INSERT INTO day_scores SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id, 'nps', r.nps, count(*)
             FROM {ANSWERED} WHERE {IN_DAY} AND r.nps IS NOT NULL GROUP BY 2, 3, 5"
        ),
        format!(
            "INSERT INTO day_scores SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id, 'csat', r.csat, count(*)
             FROM {ANSWERED} WHERE {IN_DAY} AND r.csat IS NOT NULL GROUP BY 2, 3, 5"
        ),
        format!(
            "INSERT INTO day_servqual
             SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id, q.item, sum(q.expectation), sum(q.perception), count(*)
             FROM servqual_answers q JOIN {ANSWER_OF} WHERE {IN_DAY} GROUP BY 2, 3, 4"
        ),
        // The dimensions' items: 1–4, 5–9, 10–13, 14–17, 18–22 (QUALITY.md).
        format!(
            "INSERT INTO day_servqual_respondents
             SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id,
               CASE WHEN q.item <= 4 THEN 0 WHEN q.item <= 9 THEN 1 WHEN q.item <= 13 THEN 2
                    WHEN q.item <= 17 THEN 3 ELSE 4 END,
               count(DISTINCT q.response_id)
             FROM servqual_answers q JOIN {ANSWER_OF} WHERE {IN_DAY} GROUP BY 2, 3, 4"
        ),
        format!(
            "INSERT INTO day_kano
             SELECT CAST(?3 AS BIGINT), a.provider_id, a.service_type_id, q.feature_id, q.functional, q.dysfunctional, count(*)
             FROM kano_answers q JOIN {ANSWER_OF} WHERE {IN_DAY} GROUP BY 2, 3, 4, 5, 6"
        ),
    ] {
        db.execute(&insert, &params)?;
    }
    Ok(())
}

/// Each family's passes completed in the day, timed by its newest version (as the report reads
/// them), counted per provider, service, stage and whole minute.
fn count_stage_passes(db: &Db, templates: &mut Templates, bounds: &(i64, i64, i64)) -> Result<()> {
    let (from, to) = (from_ts(bounds.0)?, from_ts(bounds.1)?);
    for family in Templates::families(db)? {
        let mut by_visit_keys: BTreeMap<(String, String), Vec<_>> = BTreeMap::new();
        for (keys, events) in family_journeys(db, &family, from, to, None, None)? {
            by_visit_keys.entry(keys).or_default().push(events);
        }
        if by_visit_keys.is_empty() {
            continue;
        }
        let template = templates.newest(db, &family)?;
        for ((provider, service), journeys) in by_visit_keys {
            for (stage, minutes) in stage_minutes(template, &journeys, from, to) {
                let mut counts: BTreeMap<u32, i64> = BTreeMap::new();
                for m in minutes {
                    *counts.entry(whole_minutes(m)).or_default() += 1;
                }
                for (minutes, passes) in counts {
                    db.execute(
                        "INSERT INTO day_stage_passes (family_key, day, provider_id, service_type_id, stage_key, minutes,
                           passes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        &[&family, &bounds.2, &provider, &service, &stage, &minutes, &passes],
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// Which clinic-local days (both included) and whose visits a report adds up: ?1 first day, ?2
/// last day (as numbers), ?3 provider, ?4 service.
pub(super) struct Days {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub provider: Option<String>,
    pub service: Option<String>,
}

const DAYS_FILTER: &str = "day >= ?1 AND day <= ?2 AND (CAST(?3 AS TEXT) IS NULL OR provider_id = ?3)
                           AND (CAST(?4 AS TEXT) IS NULL OR service_type_id = ?4)";

impl Days {
    fn params(&self) -> [i64; 2] {
        [day_number(self.first), day_number(self.last)]
    }

    /// The days' parameters (?1 to ?4 of `DAYS_FILTER`) for `db`.
    fn query<T>(&self, db: &Db, sql: &str, f: impl FnMut(&RowRef) -> Result<T>) -> Result<Vec<T>> {
        let [first, last] = self.params();
        db.query_map(&sql.replace("{DAYS_FILTER}", DAYS_FILTER), &[&first, &last, &self.provider, &self.service], f)
    }
}

/// The visit counts of `Rates`, summed over the days.
#[derive(Debug, Default)]
pub(super) struct VisitCounts {
    pub due: u32,
    pub missed: u32,
    pub booked: u32,
    pub late_cancelled: u32,
    pub confirmable: u32,
    pub confirmed: u32,
}

/// `sum(column)` as an integer on either engine (PostgreSQL sums integers as numeric), 0 for none.
fn total(column: &str) -> String {
    format!("CAST(coalesce(sum({column}), 0) AS BIGINT)")
}

pub(super) fn visit_counts(db: &Db, days: &Days) -> Result<VisitCounts> {
    let sql = format!(
        "SELECT {}, {}, {}, {}, {}, {} FROM day_visits WHERE {{DAYS_FILTER}}",
        total("due"),
        total("missed"),
        total("booked"),
        total("late_cancelled"),
        total("confirmable"),
        total("confirmed")
    );
    let mut counts = days.query(db, &sql, |r| {
        Ok(VisitCounts {
            due: r.get(0)?,
            missed: r.get(1)?,
            booked: r.get(2)?,
            late_cancelled: r.get(3)?,
            confirmable: r.get(4)?,
            confirmed: r.get(5)?,
        })
    })?;
    Ok(counts.pop().unwrap_or_default())
}

/// Timed passes per (family, stage) over the days.
pub(super) fn stage_passes(db: &Db, days: &Days) -> Result<HashMap<(String, String), MinuteCounts>> {
    let mut passes: HashMap<(String, String), MinuteCounts> = HashMap::new();
    days.query(
        db,
        &format!(
            "SELECT family_key, stage_key, minutes, {} FROM day_stage_passes WHERE {{DAYS_FILTER}}
             GROUP BY family_key, stage_key, minutes",
            total("passes")
        ),
        |r| {
            let key = (r.get::<String>(0)?, r.get::<String>(1)?);
            passes.entry(key).or_default().add(r.get(2)?, r.get(3)?);
            Ok(())
        },
    )?;
    Ok(passes)
}

/// What patients answered over the days, as counts.
#[derive(Debug, Default)]
pub(super) struct AnswerCounts {
    pub responses: u32,
    /// Answers per NPS score 0–10.
    pub nps: [u32; 11],
    /// Per month ("2026-11"), answers per NPS score.
    pub nps_by_month: BTreeMap<String, [u32; 11]>,
    /// Answers per CSAT score 1–5 (index 0 unused).
    pub csat: [u32; 6],
    pub servqual: ServqualSums,
    /// Per Kano feature, answers per (functional, dysfunctional) pair.
    pub kano: HashMap<String, Vec<(KanoAnswer, KanoAnswer, u32)>>,
}

pub(super) fn answer_counts(db: &Db, days: &Days) -> Result<AnswerCounts> {
    let responses =
        days.query(db, &format!("SELECT {} FROM day_surveys WHERE {{DAYS_FILTER}}", total("responses")), |r| r.get(0))?;
    let mut answers = AnswerCounts { responses: responses.into_iter().next().unwrap_or(0), ..AnswerCounts::default() };
    let scores = days.query(
        db,
        &format!(
            "SELECT scale, day, score, {} FROM day_scores WHERE {{DAYS_FILTER}} GROUP BY scale, day, score",
            total("answers")
        ),
        |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?, r.get::<u32>(2)? as usize, r.get::<u32>(3)?)),
    )?;
    for (scale, day, score, n) in scores {
        let slot = |counts: &mut [u32]| counts.get_mut(score).map(|slot| *slot += n);
        if scale == "nps" {
            slot(&mut answers.nps);
            let day = day_of(day)?;
            let month = answers.nps_by_month.entry(format!("{:04}-{:02}", day.year(), day.month())).or_default();
            slot(month);
        } else {
            slot(&mut answers.csat);
        }
    }
    let servqual = &mut answers.servqual;
    days.query(
        db,
        &format!(
            "SELECT item, {}, {}, {} FROM day_servqual WHERE {{DAYS_FILTER}} GROUP BY item",
            total("expectation_sum"),
            total("perception_sum"),
            total("answers")
        ),
        |r| {
            if let Some(slot) = servqual.items.get_mut(r.get::<u32>(0)? as usize) {
                *slot = (r.get::<i64>(1)? as f64, r.get::<i64>(2)? as f64, r.get(3)?);
            }
            Ok(())
        },
    )?;
    days.query(
        db,
        &format!(
            "SELECT dimension, {} FROM day_servqual_respondents WHERE {{DAYS_FILTER}} GROUP BY dimension",
            total("respondents")
        ),
        |r| {
            if let Some(slot) = servqual.respondents.get_mut(r.get::<u32>(0)? as usize) {
                *slot = r.get(1)?;
            }
            Ok(())
        },
    )?;
    let kano = &mut answers.kano;
    days.query(
        db,
        &format!(
            "SELECT feature_id, functional, dysfunctional, {} FROM day_kano WHERE {{DAYS_FILTER}}
             GROUP BY feature_id, functional, dysfunctional",
            total("answers")
        ),
        |r| {
            let pair = (r.get_enum(1, KanoAnswer::parse)?, r.get_enum(2, KanoAnswer::parse)?, r.get(3)?);
            kano.entry(r.get(0)?).or_default().push(pair);
            Ok(())
        },
    )?;
    Ok(answers)
}
