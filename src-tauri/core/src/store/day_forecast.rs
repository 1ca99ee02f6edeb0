//! The plan of a day for the simulation, from the store: its bookings, each visit's stages and
//! who serves them, the providers' hours, the staff on duty, service times fitted from the
//! clinic's own stage event log (the standard times where history is thin) and its no-show rate.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::resources::read_providers;
use super::settings::read_calendar;
use super::templates::load_template;
use super::Store;
use crate::db::Db;
use crate::domain::day_forecast::{
    forecast_day, DayForecast, DayPlan, PlannedVisit, ProviderDay, Scenario, ServedStage,
};
use crate::domain::flow::{column_of, FlowColumn};
use crate::domain::journey::{JourneyTemplate, Phase, StageEventKind};
use crate::domain::overlay::{stage_minutes, KeyedEvent};
use crate::domain::resources::Role;
use crate::domain::simulation::ServiceTime;
use crate::error::Result;

/// How far back the clinic's history is read for service times and no-shows.
pub const HISTORY_DAYS: i64 = 90;
/// Fewer timed passes of a stage than this, and its standard time is used instead.
pub const MIN_HISTORY: usize = 20;
/// The spread assumed around a standard time: a coefficient of variation of 0.3.
const STANDARD_CV: f64 = 0.3;

/// Where a stage's service time came from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StageTiming {
    pub stage_key: String,
    /// Timed passes in the history window; below `MIN_HISTORY` the standard time is used.
    pub samples: u32,
    pub from_history: bool,
    pub mean_minutes: f64,
}

/// A day's forecast as planned and under each scenario, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DayForecasts {
    pub date: NaiveDate,
    pub plan: DayForecast,
    pub scenarios: Vec<DayForecast>,
    pub timings: Vec<StageTiming>,
    pub no_show_rate: f64,
    /// Active staff per role on duty in the clinic's hours (no staff hours are kept yet).
    pub staff: Vec<(Role, u32)>,
}

impl Store {
    pub fn forecast_day(
        &self,
        date: NaiveDate,
        replications: u32,
        seed: u64,
        scenarios: &[Scenario],
    ) -> Result<DayForecasts> {
        crate::domain::dates::check_date("date", date)?;
        let (plan, timings, staff) = self.read_db(|db| day_plan(db, date, self.now()))?;
        let forecast = forecast_day(&plan, replications, seed, None)?;
        let scenarios =
            scenarios.iter().map(|s| forecast_day(&plan, replications, seed, Some(s))).collect::<Result<Vec<_>>>()?;
        Ok(DayForecasts { date, plan: forecast, scenarios, timings, no_show_rate: plan.no_show_rate, staff })
    }
}

type Gathered = (DayPlan, Vec<StageTiming>, Vec<(Role, u32)>);

fn day_plan(db: &Db, date: NaiveDate, now: chrono::DateTime<chrono::Utc>) -> Result<Gathered> {
    let calendar = read_calendar(db)?;
    let (day_start, day_end) = calendar.day_bounds(date);
    let clinic_hours =
        if calendar.closed_reason(date).is_some() { Vec::new() } else { calendar.hours_on(date).to_vec() };
    let providers: Vec<ProviderDay> = read_providers(db)?
        .into_iter()
        .map(|p| ProviderDay {
            id: p.id,
            name: p.name,
            spans: crate::domain::slots::bookable_spans(&calendar, &p.availability, date),
        })
        .collect();
    let provider_index: HashMap<Uuid, usize> = providers.iter().enumerate().map(|(i, p)| (p.id, i)).collect();

    let bookings: Vec<(Uuid, chrono::DateTime<chrono::Utc>, Uuid)> = db.query_map(
        "SELECT a.provider_id, a.starts_at, j.template_id FROM appointments a
           JOIN patient_journeys j ON j.appointment_id = a.id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2
           AND a.status IN ('proposed', 'booked', 'confirmed', 'arrived', 'in_progress', 'fulfilled')
         ORDER BY a.starts_at",
        &[&day_start, &day_end],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;

    let history_from = now - Duration::days(HISTORY_DAYS);
    // Each journey's served stages, worked out once for all its visits.
    let mut stages_of: HashMap<Uuid, Vec<ServedStage>> = HashMap::new();
    let mut timings: BTreeMap<String, StageTiming> = BTreeMap::new();
    let mut visits = Vec::with_capacity(bookings.len());
    for (provider_id, starts_at, template_id) in bookings {
        let stages = match stages_of.entry(template_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                let template = load_template(db, template_id)?;
                let history = stage_history(db, &template, history_from, now)?;
                new.insert(served_stages(&template, &history, &mut timings))
            }
        };
        let Some(&provider) = provider_index.get(&provider_id) else { continue };
        let (_, minute) = calendar.local_minute(starts_at);
        visits.push(PlannedVisit { provider, start: minute as f64, stages: stages.clone() });
    }

    let mut staff: BTreeMap<Role, Vec<Vec<crate::domain::clinic::MinuteRange>>> = BTreeMap::new();
    for role in db.query_map("SELECT role FROM staff WHERE active = 1", &[], |r| r.get_enum(0, Role::parse))? {
        staff.entry(role).or_default().push(clinic_hours.clone());
    }
    let staff_counts = staff.iter().map(|(role, people)| (*role, people.len() as u32)).collect();
    let plan = DayPlan { visits, providers, staff, clinic_hours, no_show_rate: no_show_rate(db, history_from, now)? };
    Ok((plan, timings.into_values().collect(), staff_counts))
}

/// The visit stages someone serves, each with its service time: fitted from `history` when the
/// stage was timed often enough, else its standard time with a typical spread. The waiting room
/// is the queue before the next stage, not a service.
fn served_stages(
    template: &JourneyTemplate,
    history: &HashMap<String, Vec<f64>>,
    timings: &mut BTreeMap<String, StageTiming>,
) -> Vec<ServedStage> {
    template
        .stages
        .iter()
        .filter(|s| s.phase == Phase::Visit && column_of(s) != FlowColumn::Waiting)
        .map(|s| {
            let timed = history.get(&s.key).map(Vec::as_slice).unwrap_or(&[]);
            let fitted = (timed.len() >= MIN_HISTORY).then(|| ServiceTime::fitted(timed)).flatten();
            let standard = s.standard_minutes.max(1) as f64;
            let service = fitted.unwrap_or(ServiceTime::LogNormal { mean: standard, sd: standard * STANDARD_CV });
            timings.entry(s.key.clone()).or_insert(StageTiming {
                stage_key: s.key.clone(),
                samples: timed.len() as u32,
                from_history: fitted.is_some(),
                mean_minutes: service.mean(),
            });
            ServedStage {
                journey: template.family_key.clone(),
                journey_name: template.name.clone(),
                key: s.key.clone(),
                name: s.name.clone(),
                role: s.owner_role,
                service,
            }
        })
        .collect()
}

/// Minutes each stage of the template's family took, over the journeys with a stage completed
/// in `[from, to)` (the same timing as the blueprint overlay).
fn stage_history(
    db: &Db,
    template: &JourneyTemplate,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<String, Vec<f64>>> {
    let mut journeys: HashMap<String, Vec<KeyedEvent>> = HashMap::new();
    db.query_map(
        &format!(
            "SELECT e.journey_id, s.key, e.kind, e.at FROM stage_events e
               JOIN template_stages s ON s.id = e.stage_id
               JOIN patient_journeys j ON j.id = e.journey_id
               JOIN journey_templates t ON t.id = j.template_id
             WHERE t.family_key = ?1 AND e.at >= ?2 AND e.at < ?3 AND s.phase = 'visit'
             ORDER BY e.journey_id, {}",
            super::flow::in_logged_order(db)
        ),
        &[&template.family_key, &from, &to],
        |r| {
            let event = KeyedEvent { stage_key: r.get(1)?, kind: r.get_enum(2, StageEventKind::parse)?, at: r.get(3)? };
            journeys.entry(r.get(0)?).or_default().push(event);
            Ok(())
        },
    )?;
    let journeys: Vec<Vec<KeyedEvent>> = journeys.into_values().collect();
    Ok(stage_minutes(template, &journeys, from, to))
}

/// Missed visits among those that were due in the history window (none counted below
/// `MIN_HISTORY` visits: too few to say).
fn no_show_rate(db: &Db, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> Result<f64> {
    let r = db.query_one(
        "SELECT count(*) FILTER (WHERE status = 'noshow'), count(*) FROM appointments
         WHERE starts_at >= ?1 AND starts_at < ?2 AND status IN ('noshow', 'arrived', 'in_progress', 'fulfilled')",
        &[&from, &to],
    )?;
    let (missed, due): (i64, i64) = (r.get(0)?, r.get(1)?);
    Ok(if due as usize >= MIN_HISTORY { missed as f64 / due as f64 } else { 0.0 })
}
