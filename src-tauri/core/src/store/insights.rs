//! How good the service is over a period, for a provider or a service or the whole clinic: the
//! visit and follow-up rates, each stage's time against its standard, compliance with every
//! standard, and what patients said (NPS over time, CSAT, SERVQUAL gaps, Kano). The formulas are
//! in `domain::survey` and `domain::standards`; this gathers their inputs: the figures kept per
//! day (`insight_figures`) for a report, the event log itself for the blueprint overlay.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::insight_figures::{self, answer_counts, stage_passes, visit_counts, Days};
use super::settings::read_calendar;
use super::standards::{audit_checks, load_standards};
use super::surveys::KanoFeature;
use super::templates::{load_template, newest_template_id};
use super::{Actor, Store};
use crate::db::{Db, ToValue};
use crate::domain::access::Work;
use crate::domain::clinic::ClinicCalendar;
use crate::domain::journey::{Phase, StageEventKind};
use crate::domain::minute_counts::MinuteCounts;
use crate::domain::overlay::{stage_minutes, KeyedEvent};
use crate::domain::standards::{task_on_time, Compliance, Measure, Standard, StandardKind, TaskTiming};
use crate::domain::survey::{
    csat, kano, nps, servqual_of, KanoAnswer, KanoResult, Measured, Nps, Servqual, MIN_ANSWERS,
};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InsightsQuery {
    /// Clinic-local days, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub provider_id: Option<Uuid>,
    pub service_type_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Rates {
    /// Visits that fell due (came, or were missed).
    pub visits_due: u32,
    /// Missed ÷ due.
    pub no_show: Measured,
    /// Cancelled less than a day before the visit ÷ booked (due or cancelled).
    pub late_cancel: Measured,
    /// Due visits whose confirmation stage was completed ÷ due visits of journeys with one.
    pub confirmed: Measured,
    /// Follow-up tasks (after the visit) done ÷ those done, failed or overdue.
    pub follow_up_done: Measured,
    /// Of those done, done within a day of falling due.
    pub follow_up_on_time: Measured,
    /// Recall tasks after which the patient booked again ÷ recall tasks that fell due.
    pub recall_return: Measured,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StageInsight {
    pub family_key: String,
    pub journey: String,
    pub stage_key: String,
    pub name: String,
    pub phase: Phase,
    pub samples: u32,
    /// Whole minutes (each pass rounded up).
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub standard_minutes: u32,
    /// Every standard of the stage pooled, its standard time included.
    pub compliance: Compliance,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StandardCompliance {
    /// None for a stage's standard time (not a row of its own).
    pub standard: Option<Standard>,
    pub family_key: String,
    pub stage_key: String,
    pub compliance: Compliance,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NpsMonth {
    /// "2026-11".
    pub month: String,
    pub nps: Nps,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KanoFeatureResult {
    pub feature: KanoFeature,
    pub result: KanoResult,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Insights {
    pub query: InsightsQuery,
    /// Figures from fewer answers or cases than this are not given.
    pub min_answers: u32,
    pub rates: Rates,
    pub stages: Vec<StageInsight>,
    pub standards: Vec<StandardCompliance>,
    pub compliance: Compliance,
    pub surveys: u32,
    pub nps: Nps,
    pub nps_by_month: Vec<NpsMonth>,
    pub csat: Measured,
    pub servqual: Servqual,
    pub kano: Vec<KanoFeatureResult>,
}

impl Store {
    /// The report, from the figures kept per day (`insight_figures`), apart from the task
    /// figures judged against "now", which are read live.
    pub fn insights(&self, query: &InsightsQuery) -> Result<Insights> {
        crate::domain::dates::check_period("to", query.from, query.to)?;
        if self.read_db(|db| insight_figures::behind(db, &read_calendar(db)?))? {
            // Another program wrote rows without counting them (or the figures were never
            // counted): every write counts its dirty days before it commits.
            self.write(Actor::System, Work::ClinicSetup, |_| Ok(()))?;
        }
        let now = self.now();
        self.read_db(|db| {
            let calendar = read_calendar(db)?;
            let from = calendar.day_bounds(query.from).0;
            let to = calendar.day_bounds(query.to).1;
            let filter = Filter { from, to, provider: query.provider_id, service: query.service_type_id };
            let days = Days {
                first: query.from,
                last: query.to,
                provider: query.provider_id.map(|id| id.to_string()),
                service: query.service_type_id.map(|id| id.to_string()),
            };
            let rates = rates(db, &filter, &days, now)?;
            let kept = stage_passes(db, &days)?;
            let (stages, standards) = stages_and_standards(db, &calendar, &filter, PassSource::Kept(&kept), now)?;
            let compliance = standards.iter().fold(Compliance::default(), |all, s| all.pooled_with(s.compliance));
            let answers = answer_counts(db, &days)?;
            let weights = super::surveys::load_servqual_weights(db)?;
            Ok(Insights {
                query: query.clone(),
                min_answers: MIN_ANSWERS,
                rates,
                stages,
                standards,
                compliance,
                surveys: answers.responses,
                nps: nps(&scores(&answers.nps)),
                nps_by_month: answers
                    .nps_by_month
                    .iter()
                    .map(|(month, counts)| NpsMonth { month: month.clone(), nps: nps(&scores(counts)) })
                    .collect(),
                csat: csat(&scores(&answers.csat)),
                servqual: servqual_of(&answers.servqual, (!weights.is_empty()).then_some(weights.as_slice())),
                kano: kano_results(db, &answers.kano)?,
            })
        })
    }
}

/// Each score repeated as often as it was given (`counts[score]`), for the survey formulas.
fn scores(counts: &[u32]) -> Vec<u8> {
    let mut scores = Vec::with_capacity(counts.iter().sum::<u32>() as usize);
    for (score, n) in counts.iter().enumerate() {
        scores.extend(std::iter::repeat_n(score as u8, *n as usize));
    }
    scores
}

/// Every Kano feature with its result (features without answers included).
fn kano_results(
    db: &Db,
    answers: &HashMap<String, Vec<(KanoAnswer, KanoAnswer, u32)>>,
) -> Result<Vec<KanoFeatureResult>> {
    Ok(super::surveys::load_kano_features(db)?
        .into_iter()
        .map(|feature| {
            let pairs: Vec<(KanoAnswer, KanoAnswer)> = answers
                .get(&feature.id.to_string())
                .into_iter()
                .flatten()
                .flat_map(|&(f, d, n)| std::iter::repeat_n((f, d), n as usize))
                .collect();
            KanoFeatureResult { result: kano(&pairs), feature }
        })
        .collect())
}

/// Per stage of the service's journey: every standard pooled over `[from, to)` (the blueprint
/// overlay's compliance).
pub(super) fn service_stage_compliance(
    db: &Db,
    service_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<HashMap<String, Compliance>> {
    let calendar = read_calendar(db)?;
    let filter = Filter { from, to, provider: None, service: Some(service_id) };
    let (stages, _) = stages_and_standards(db, &calendar, &filter, PassSource::Rows, now)?;
    Ok(stages.into_iter().map(|s| (s.stage_key, s.compliance)).collect())
}

/// The period and the provider or service a report is about: ?1 from, ?2 to, ?3 provider,
/// ?4 service in every query that filters visits.
struct Filter {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    provider: Option<Uuid>,
    service: Option<Uuid>,
}

const VISIT_FILTER: &str =
    "(CAST(?3 AS TEXT) IS NULL OR a.provider_id = ?3) AND (CAST(?4 AS TEXT) IS NULL OR a.service_type_id = ?4)";

fn share(part: u32, whole: u32) -> Measured {
    Measured { answers: whole, value: (whole >= MIN_ANSWERS).then(|| part as f64 * 100.0 / whole as f64) }
}

/// The visit rates from the kept figures; the follow-up and recall rates from the tasks, live
/// (an open task becomes overdue as time passes).
fn rates(db: &Db, f: &Filter, days: &Days, now: DateTime<Utc>) -> Result<Rates> {
    let visits = visit_counts(db, days)?;
    let params: [&dyn ToValue; 5] = [&f.from, &f.to, &f.provider, &f.service, &now];
    let r = db.query_one(
        &format!(
            "SELECT
               count(*) FILTER (WHERE t.status IN ('done', 'failed') OR (t.status = 'open' AND t.due_at < ?5)),
               count(*) FILTER (WHERE t.status = 'done'),
               count(*) FILTER (WHERE t.status = 'done' AND t.closed_at <= t.due_at + 86400)
             FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
               JOIN appointments a ON a.id = t.appointment_id
             WHERE t.due_at >= ?1 AND t.due_at < ?2 AND {VISIT_FILTER} AND s.phase = 'post_visit' AND s.key <> 'recall'"
        ),
        &params,
    )?;
    let (follow_ups, done, on_time): (u32, u32, u32) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let r = db.query_one(
        &format!(
            "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM appointments b
                 WHERE b.patient_id = t.patient_id AND b.id <> t.appointment_id AND b.status <> 'cancelled'
                   AND b.created_at >= t.due_at - 30 * 86400))
             FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
               JOIN appointments a ON a.id = t.appointment_id
             WHERE t.due_at >= ?1 AND t.due_at < ?2 AND t.due_at < ?5 AND {VISIT_FILTER} AND s.key = 'recall'
               AND t.status <> 'cancelled'"
        ),
        &params,
    )?;
    let (recalls, returned): (u32, u32) = (r.get(0)?, r.get(1)?);
    Ok(Rates {
        visits_due: visits.due,
        no_show: share(visits.missed, visits.due),
        late_cancel: share(visits.late_cancelled, visits.booked),
        confirmed: share(visits.confirmed, visits.confirmable),
        follow_up_done: share(done, follow_ups),
        follow_up_on_time: share(on_time, done),
        recall_return: share(returned, recalls),
    })
}

/// Where the stages' timed passes come from: the event log (any period) or the figures kept per
/// day (whole days), by (family, stage).
enum PassSource<'a> {
    Rows,
    Kept(&'a HashMap<(String, String), MinuteCounts>),
}

/// Each journey's stages with their times in the period, and every standard's compliance (each
/// stage's standard time first, then the clinic's own standards).
fn stages_and_standards(
    db: &Db,
    calendar: &ClinicCalendar,
    f: &Filter,
    source: PassSource,
    now: DateTime<Utc>,
) -> Result<(Vec<StageInsight>, Vec<StandardCompliance>)> {
    let mut families: Vec<String> = db.query_map(
        "SELECT DISTINCT family_key FROM journey_templates WHERE retired = 0 ORDER BY family_key",
        &[],
        |r| r.get(0),
    )?;
    if let Some(service) = &f.service {
        let family: String =
            db.query_one("SELECT template_family_key FROM service_types WHERE id = ?1", &[service])?.get(0)?;
        families.retain(|k| *k == family);
    }
    let standards = load_standards(db)?;
    let checks = audit_checks(db, f.from, f.to)?;
    let mut stage_rows = Vec::new();
    let mut compliance_rows = Vec::new();
    for family in families {
        let template = load_template(db, newest_template_id(db, &family)?)?;
        let passes: HashMap<String, MinuteCounts> = match source {
            PassSource::Rows => {
                let (provider, service) = (f.provider.map(|id| id.to_string()), f.service.map(|id| id.to_string()));
                let journeys: Vec<Vec<KeyedEvent>> =
                    family_journeys(db, &family, f.from, f.to, provider.as_deref(), service.as_deref())?
                        .into_iter()
                        .map(|(_, events)| events)
                        .collect();
                stage_minutes(&template, &journeys, f.from, f.to)
                    .into_iter()
                    .map(|(key, minutes)| (key, MinuteCounts::of(&minutes)))
                    .collect()
            }
            PassSource::Kept(kept) => template
                .stages
                .iter()
                .filter_map(|s| {
                    kept.get(&(family.clone(), s.key.clone())).map(|counts| (s.key.clone(), counts.clone()))
                })
                .collect(),
        };
        let tasks = stage_tasks(db, &family, f)?;
        let none = MinuteCounts::default();
        for stage in &template.stages {
            let spent = passes.get(&stage.key).unwrap_or(&none);
            let timed = |limit: u32| Compliance::of(spent.within(limit) as u32, spent.passes() as u32);
            // A lead time before the visit is set by the visit's date, not a pace of work:
            // it has no timed passes (see `stage_minutes`), so no standard-time checks.
            let standard_time = timed(stage.standard_minutes);
            let mut pooled = standard_time;
            if standard_time.checks > 0 {
                compliance_rows.push(StandardCompliance {
                    standard: None,
                    family_key: family.clone(),
                    stage_key: stage.key.clone(),
                    compliance: standard_time,
                });
            }
            for standard in standards.iter().filter(|s| {
                // A retired standard still reports the audit checks made while it was active.
                s.family_key == family
                    && s.stage_key == stage.key
                    && (s.active || checks.iter().any(|(id, _)| *id == s.id))
            }) {
                let compliance = match (standard.kind, standard.measure, standard.limit_minutes) {
                    (StandardKind::Measured, Some(Measure::StageTime), Some(limit)) => timed(limit),
                    (StandardKind::Measured, Some(Measure::TaskOnTime), Some(limit)) => {
                        let judged: Vec<bool> = tasks
                            .get(&stage.key)
                            .into_iter()
                            .flatten()
                            .filter_map(|t| task_on_time(t, limit, standard.working_time, calendar, now))
                            .collect();
                        Compliance::of(judged.iter().filter(|m| **m).count() as u32, judged.len() as u32)
                    }
                    _ => {
                        let mine: Vec<bool> =
                            checks.iter().filter(|(id, _)| *id == standard.id).map(|(_, met)| *met).collect();
                        Compliance::of(mine.iter().filter(|m| **m).count() as u32, mine.len() as u32)
                    }
                };
                pooled = pooled.pooled_with(compliance);
                compliance_rows.push(StandardCompliance {
                    standard: Some(standard.clone()),
                    family_key: family.clone(),
                    stage_key: stage.key.clone(),
                    compliance,
                });
            }
            stage_rows.push(StageInsight {
                family_key: family.clone(),
                journey: template.name.clone(),
                stage_key: stage.key.clone(),
                name: stage.name.clone(),
                phase: stage.phase,
                samples: spent.passes() as u32,
                median_minutes: spent.median(),
                p90_minutes: spent.percentile(90.0),
                standard_minutes: stage.standard_minutes,
                compliance: pooled,
            });
        }
    }
    Ok((stage_rows, compliance_rows))
}

/// The provider and the service of a journey's visit.
pub(super) type VisitKeys = (String, String);

/// The events of the family's journeys (of a provider's or service's visits, or all) that have a
/// stage completed in `[from, to)`, journey by journey with their visit's provider and service:
/// read in journey order, so each journey's run of rows is one group.
pub(super) fn family_journeys(
    db: &Db,
    family: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    provider: Option<&str>,
    service: Option<&str>,
) -> Result<Vec<(VisitKeys, Vec<KeyedEvent>)>> {
    let (by_stage, by_journey) = (
        db.per_engine("stage_events e2 INDEXED BY stage_events_stage", "stage_events e2"),
        db.per_engine("stage_events e INDEXED BY stage_events_journey", "stage_events e"),
    );
    let mut journeys: Vec<(VisitKeys, Vec<KeyedEvent>)> = Vec::new();
    let mut current: Option<String> = None;
    db.query_map(
        &format!(
            "WITH family_stages AS (SELECT s.id, s.key FROM template_stages s JOIN journey_templates t ON t.id = s.template_id
                                    WHERE t.family_key = ?5),
                  -- By stage and time: a day's count reads that day's events only.
                  finished AS (SELECT DISTINCT e2.journey_id FROM family_stages fs
                                 JOIN {by_stage}
                                   ON e2.stage_id = fs.id AND e2.at >= ?1 AND e2.at < ?2 AND e2.kind = 'completed')
             SELECT e.journey_id, fs.key, e.kind, e.at, a.provider_id, a.service_type_id FROM finished
               JOIN patient_journeys j ON j.id = finished.journey_id JOIN appointments a ON a.id = j.appointment_id
               JOIN {by_journey} ON e.journey_id = finished.journey_id
               JOIN family_stages fs ON fs.id = e.stage_id
             WHERE {VISIT_FILTER}
             ORDER BY e.journey_id, e.at"
        ),
        &[&from, &to, &provider, &service, &family],
        |r| {
            let event = KeyedEvent {
                stage_key: r.get(1)?,
                kind: r.get_enum(2, StageEventKind::parse)?,
                at: r.get(3)?,
            };
            let journey = r.get_text(0)?.unwrap_or_default();
            if current.as_deref() != Some(journey) {
                journeys.push(((r.get(4)?, r.get(5)?), Vec::new()));
                current = Some(journey.to_owned());
            }
            if let Some((_, events)) = journeys.last_mut() {
                events.push(event);
            }
            Ok(())
        },
    )?;
    Ok(journeys)
}

/// The family's rule tasks due in the period, by stage key.
fn stage_tasks(db: &Db, family: &str, f: &Filter) -> Result<HashMap<String, Vec<TaskTiming>>> {
    let mut tasks: HashMap<String, Vec<TaskTiming>> = HashMap::new();
    db.query_map(
        &format!(
            "SELECT s.key, t.due_at, CASE WHEN t.status = 'done' THEN t.closed_at END, t.status = 'open'
             FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
               JOIN journey_templates jt ON jt.id = s.template_id JOIN appointments a ON a.id = t.appointment_id
             WHERE jt.family_key = ?5 AND t.due_at >= ?1 AND t.due_at < ?2 AND {VISIT_FILTER} AND t.status <> 'cancelled'"
        ),
        &[&f.from, &f.to, &f.provider, &f.service, &family],
        |r| {
            let timing = TaskTiming { due_at: r.get(1)?, done_at: r.get(2)?, open: r.get(3)? };
            tasks.entry(r.get(0)?).or_default().push(timing);
            Ok(())
        },
    )?;
    Ok(tasks)
}
