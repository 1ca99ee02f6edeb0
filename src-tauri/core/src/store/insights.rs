//! How good the service is over a period, for a provider or a service or the whole clinic: the
//! visit and follow-up rates, each stage's time against its standard, compliance with every
//! standard, and what patients said (NPS over time, CSAT, SERVQUAL gaps, Kano). The formulas are
//! in `domain::survey` and `domain::standards`; this gathers their inputs in a few queries.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::settings::load_calendar;
use super::standards::{audit_checks, load_standards};
use super::surveys::KanoFeature;
use super::templates::{load_template, newest_template_id};
use super::{enum_at, opt_time_at, time_at, ts, uuid_at, Store};
use crate::domain::clinic::ClinicCalendar;
use crate::domain::journey::{Phase, StageEventKind};
use crate::domain::overlay::{median, percentile, stage_minutes, KeyedEvent};
use crate::domain::standards::{task_on_time, within, Compliance, Measure, Standard, StandardKind, TaskTiming};
use crate::domain::survey::{
    csat, kano, nps, servqual_of, Dimension, KanoAnswer, KanoResult, Measured, Nps, Servqual, ServqualSums, MIN_ANSWERS,
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
    pub fn insights(&self, query: &InsightsQuery) -> Result<Insights> {
        crate::domain::dates::check_period("to", query.from, query.to)?;
        let now = self.now();
        self.read(|c| {
            let calendar = load_calendar(c)?;
            let from = calendar.day_bounds(query.from).0;
            let to = calendar.day_bounds(query.to).1;
            let filter = Filter {
                from,
                to,
                provider: query.provider_id.map(|id| id.to_string()),
                service: query.service_type_id.map(|id| id.to_string()),
            };
            let rates = rates(c, &filter, now)?;
            let (stages, standards) = stages_and_standards(c, &calendar, &filter, now)?;
            let compliance = standards.iter().fold(Compliance::default(), |all, s| all.pooled_with(s.compliance));
            let answers = survey_answers(c, &calendar, &filter)?;
            Ok(Insights {
                query: query.clone(),
                min_answers: MIN_ANSWERS,
                rates,
                stages,
                standards,
                compliance,
                surveys: answers.count,
                nps: nps(&answers.nps),
                nps_by_month: answers
                    .nps_by_month
                    .into_iter()
                    .map(|(month, scores)| NpsMonth { month, nps: nps(&scores) })
                    .collect(),
                csat: csat(&answers.csat),
                servqual: servqual_of(&answers.servqual, answers.weights.as_deref()),
                kano: answers.kano,
            })
        })
    }
}

/// Per stage of the service's journey: every standard pooled over `[from, to)` (the blueprint
/// overlay's compliance).
pub(super) fn service_stage_compliance(
    c: &Connection,
    service_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<HashMap<String, Compliance>> {
    let calendar = load_calendar(c)?;
    let filter = Filter { from, to, provider: None, service: Some(service_id.to_string()) };
    let (stages, _) = stages_and_standards(c, &calendar, &filter, now)?;
    Ok(stages.into_iter().map(|s| (s.stage_key, s.compliance)).collect())
}

/// The period and the provider or service a report is about: ?1 from, ?2 to, ?3 provider,
/// ?4 service in every query that filters visits.
struct Filter {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    provider: Option<String>,
    service: Option<String>,
}

impl Filter {
    fn params(&self) -> (i64, i64, Option<&str>, Option<&str>) {
        (ts(self.from), ts(self.to), self.provider.as_deref(), self.service.as_deref())
    }
}

const VISIT_FILTER: &str = "(?3 IS NULL OR a.provider_id = ?3) AND (?4 IS NULL OR a.service_type_id = ?4)";

fn share(part: u32, whole: u32) -> Measured {
    Measured { answers: whole, value: (whole >= MIN_ANSWERS).then(|| part as f64 * 100.0 / whole as f64) }
}

fn rates(c: &Connection, f: &Filter, now: DateTime<Utc>) -> Result<Rates> {
    let (due, missed, booked, late): (u32, u32, u32, u32) = c.query_row(
        &format!(
            "SELECT
               sum(a.status IN ('noshow', 'arrived', 'in_progress', 'fulfilled')),
               sum(a.status = 'noshow'),
               sum(a.status IN ('noshow', 'arrived', 'in_progress', 'fulfilled', 'cancelled')),
               sum(a.status = 'cancelled' AND a.status_changed_at > a.starts_at - 86400)
             FROM appointments a WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND {VISIT_FILTER}"
        ),
        f.params(),
        |r| {
            Ok((
                r.get::<_, Option<u32>>(0)?.unwrap_or(0),
                r.get::<_, Option<u32>>(1)?.unwrap_or(0),
                r.get::<_, Option<u32>>(2)?.unwrap_or(0),
                r.get::<_, Option<u32>>(3)?.unwrap_or(0),
            ))
        },
    )?;
    let (confirmable, confirmed): (u32, u32) = c.query_row(
        &format!(
            "SELECT count(*), sum(EXISTS (SELECT 1 FROM stage_events e INDEXED BY stage_events_journey
                 WHERE e.journey_id = j.id AND e.kind = 'completed'
                   AND e.stage_id IN (SELECT id FROM template_stages WHERE key = 'confirmation')))
             FROM appointments a JOIN patient_journeys j ON j.appointment_id = a.id
             WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND {VISIT_FILTER}
               AND a.status IN ('noshow', 'arrived', 'in_progress', 'fulfilled')
               AND EXISTS (SELECT 1 FROM template_stages s WHERE s.template_id = j.template_id AND s.key = 'confirmation')"
        ),
        f.params(),
        |r| Ok((r.get(0)?, r.get::<_, Option<u32>>(1)?.unwrap_or(0))),
    )?;
    let (follow_ups, done, on_time): (u32, u32, u32) = c.query_row(
        &format!(
            "SELECT
               sum(t.status IN ('done', 'failed') OR (t.status = 'open' AND t.due_at < ?5)),
               sum(t.status = 'done'),
               sum(t.status = 'done' AND t.closed_at <= t.due_at + 86400)
             FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
               JOIN appointments a ON a.id = t.appointment_id
             WHERE t.due_at >= ?1 AND t.due_at < ?2 AND {VISIT_FILTER} AND s.phase = 'post_visit' AND s.key <> 'recall'"
        ),
        (ts(f.from), ts(f.to), f.provider.as_deref(), f.service.as_deref(), ts(now)),
        |r| {
            Ok((
                r.get::<_, Option<u32>>(0)?.unwrap_or(0),
                r.get::<_, Option<u32>>(1)?.unwrap_or(0),
                r.get::<_, Option<u32>>(2)?.unwrap_or(0),
            ))
        },
    )?;
    let (recalls, returned): (u32, u32) = c.query_row(
        &format!(
            "SELECT count(*), sum(EXISTS (SELECT 1 FROM appointments b WHERE b.patient_id = t.patient_id
                 AND b.id <> t.appointment_id AND b.status <> 'cancelled' AND b.created_at >= t.due_at - 30 * 86400))
             FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
               JOIN appointments a ON a.id = t.appointment_id
             WHERE t.due_at >= ?1 AND t.due_at < ?2 AND t.due_at < ?5 AND {VISIT_FILTER} AND s.key = 'recall'
               AND t.status <> 'cancelled'"
        ),
        (ts(f.from), ts(f.to), f.provider.as_deref(), f.service.as_deref(), ts(now)),
        |r| Ok((r.get(0)?, r.get::<_, Option<u32>>(1)?.unwrap_or(0))),
    )?;
    Ok(Rates {
        visits_due: due,
        no_show: share(missed, due),
        late_cancel: share(late, booked),
        confirmed: share(confirmed, confirmable),
        follow_up_done: share(done, follow_ups),
        follow_up_on_time: share(on_time, done),
        recall_return: share(returned, recalls),
    })
}

/// Each journey's stages with their times in the period, and every standard's compliance (each
/// stage's standard time first, then the clinic's own standards).
fn stages_and_standards(
    c: &Connection,
    calendar: &ClinicCalendar,
    f: &Filter,
    now: DateTime<Utc>,
) -> Result<(Vec<StageInsight>, Vec<StandardCompliance>)> {
    let mut families: Vec<String> = c
        .prepare_cached("SELECT DISTINCT family_key FROM journey_templates WHERE retired = 0 ORDER BY family_key")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(service) = &f.service {
        let family: String =
            c.query_row("SELECT template_family_key FROM service_types WHERE id = ?1", [service], |r| r.get(0))?;
        families.retain(|k| *k == family);
    }
    let standards = load_standards(c)?;
    let checks = audit_checks(c, f.from, f.to)?;
    let mut stage_rows = Vec::new();
    let mut compliance_rows = Vec::new();
    for family in families {
        let template = load_template(c, newest_template_id(c, &family)?)?;
        let journeys = family_journeys(c, &family, f)?;
        let minutes = stage_minutes(&template, &journeys, f.from, f.to);
        let tasks = stage_tasks(c, &family, f)?;
        for stage in &template.stages {
            let spent = minutes.get(&stage.key).map(Vec::as_slice).unwrap_or(&[]);
            // A lead time before the visit is set by the visit's date, not a pace of work:
            // it has no timed passes (see `stage_minutes`), so no standard-time checks.
            let standard_time = Compliance::of(
                spent.iter().filter(|m| within(**m, stage.standard_minutes)).count() as u32,
                spent.len() as u32,
            );
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
                    (StandardKind::Measured, Some(Measure::StageTime), Some(limit)) => {
                        Compliance::of(spent.iter().filter(|m| within(**m, limit)).count() as u32, spent.len() as u32)
                    }
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
                samples: spent.len() as u32,
                median_minutes: median(spent),
                p90_minutes: percentile(spent, 90.0),
                standard_minutes: stage.standard_minutes,
                compliance: pooled,
            });
        }
    }
    Ok((stage_rows, compliance_rows))
}

/// The events of the family's journeys (filtered) that have a stage completed in the period,
/// journey by journey: read in journey order, so each journey's run of rows is one group.
fn family_journeys(c: &Connection, family: &str, f: &Filter) -> Result<Vec<Vec<KeyedEvent>>> {
    let mut stmt = c.prepare_cached(&format!(
        "WITH family_stages AS (SELECT s.id, s.key FROM template_stages s JOIN journey_templates t ON t.id = s.template_id
                                WHERE t.family_key = ?5),
              finished AS (SELECT DISTINCT e2.journey_id FROM family_stages fs
                             JOIN stage_events e2 INDEXED BY stage_events_completed
                               ON e2.stage_id = fs.id AND e2.kind = 'completed' AND e2.at >= ?1 AND e2.at < ?2)
         SELECT e.journey_id, fs.key, e.kind, e.at FROM finished
           JOIN patient_journeys j ON j.id = finished.journey_id JOIN appointments a ON a.id = j.appointment_id
           JOIN stage_events e INDEXED BY stage_events_journey ON e.journey_id = finished.journey_id
           JOIN family_stages fs ON fs.id = e.stage_id
         WHERE {VISIT_FILTER}
         ORDER BY e.journey_id, e.at"
    ))?;
    let mut journeys: Vec<Vec<KeyedEvent>> = Vec::new();
    let mut current: Option<String> = None;
    let rows = stmt.query_map((ts(f.from), ts(f.to), f.provider.as_deref(), f.service.as_deref(), family), |r| {
        Ok((
            r.get::<_, String>(0)?,
            KeyedEvent { stage_key: r.get(1)?, kind: enum_at(r, 2, StageEventKind::parse)?, at: time_at(r, 3)? },
        ))
    })?;
    for row in rows {
        let (journey, event) = row?;
        if current.as_deref() != Some(journey.as_str()) {
            journeys.push(Vec::new());
            current = Some(journey);
        }
        if let Some(events) = journeys.last_mut() {
            events.push(event);
        }
    }
    Ok(journeys)
}

/// The family's rule tasks due in the period, by stage key.
fn stage_tasks(c: &Connection, family: &str, f: &Filter) -> Result<HashMap<String, Vec<TaskTiming>>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT s.key, t.due_at, CASE WHEN t.status = 'done' THEN t.closed_at END, t.status = 'open'
         FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
           JOIN journey_templates jt ON jt.id = s.template_id JOIN appointments a ON a.id = t.appointment_id
         WHERE jt.family_key = ?5 AND t.due_at >= ?1 AND t.due_at < ?2 AND {VISIT_FILTER} AND t.status <> 'cancelled'"
    ))?;
    let mut tasks: HashMap<String, Vec<TaskTiming>> = HashMap::new();
    let rows = stmt.query_map((ts(f.from), ts(f.to), f.provider.as_deref(), f.service.as_deref(), family), |r| {
        Ok((
            r.get::<_, String>(0)?,
            TaskTiming { due_at: time_at(r, 1)?, done_at: opt_time_at(r, 2)?, open: r.get(3)? },
        ))
    })?;
    for row in rows {
        let (key, timing) = row?;
        tasks.entry(key).or_default().push(timing);
    }
    Ok(tasks)
}

struct Answers {
    count: u32,
    nps: Vec<u8>,
    nps_by_month: BTreeMap<String, Vec<u8>>,
    csat: Vec<u8>,
    servqual: ServqualSums,
    weights: Option<Vec<(Dimension, u32)>>,
    kano: Vec<KanoFeatureResult>,
}

fn survey_answers(c: &Connection, calendar: &ClinicCalendar, f: &Filter) -> Result<Answers> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT r.id, r.nps, r.csat, r.at FROM survey_responses r JOIN appointments a ON a.id = r.appointment_id
         WHERE r.at >= ?1 AND r.at < ?2 AND {VISIT_FILTER}"
    ))?;
    let mut answers = Answers {
        count: 0,
        nps: Vec::new(),
        nps_by_month: BTreeMap::new(),
        csat: Vec::new(),
        servqual: ServqualSums::default(),
        weights: None,
        kano: Vec::new(),
    };
    let rows =
        stmt.query_map(f.params(), |r| Ok((r.get::<_, Option<u8>>(1)?, r.get::<_, Option<u8>>(2)?, time_at(r, 3)?)))?;
    for row in rows {
        let (nps_score, csat_score, at) = row?;
        answers.count += 1;
        if let Some(score) = nps_score {
            answers.nps.push(score);
            let day = calendar.local_date(at);
            answers.nps_by_month.entry(format!("{:04}-{:02}", day.year(), day.month())).or_default().push(score);
        }
        if let Some(score) = csat_score {
            answers.csat.push(score);
        }
    }
    // SERVQUAL summed in the database: a large report has hundreds of thousands of answers.
    let mut sums = ServqualSums::default();
    let mut stmt = c.prepare_cached(&format!(
        "SELECT q.item, sum(q.expectation), sum(q.perception), count(*) FROM servqual_answers q
           JOIN survey_responses r ON r.id = q.response_id JOIN appointments a ON a.id = r.appointment_id
         WHERE r.at >= ?1 AND r.at < ?2 AND {VISIT_FILTER} GROUP BY q.item"
    ))?;
    let rows = stmt.query_map(f.params(), |r| {
        Ok((r.get::<_, u8>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?, r.get::<_, u32>(3)?))
    })?;
    for row in rows {
        let (item, e, p, n) = row?;
        if let Some(slot) = sums.items.get_mut(item as usize) {
            *slot = (e, p, n);
        }
    }
    let mut stmt = c.prepare_cached(&format!(
        "SELECT CASE WHEN q.item <= 4 THEN 0 WHEN q.item <= 9 THEN 1 WHEN q.item <= 13 THEN 2 WHEN q.item <= 17 THEN 3 ELSE 4 END d,
           count(DISTINCT q.response_id) FROM servqual_answers q
           JOIN survey_responses r ON r.id = q.response_id JOIN appointments a ON a.id = r.appointment_id
         WHERE r.at >= ?1 AND r.at < ?2 AND {VISIT_FILTER} GROUP BY d"
    ))?;
    let rows = stmt.query_map(f.params(), |r| Ok((r.get::<_, usize>(0)?, r.get::<_, u32>(1)?)))?;
    for row in rows {
        let (dimension, n) = row?;
        if let Some(slot) = sums.respondents.get_mut(dimension) {
            *slot = n;
        }
    }
    answers.servqual = sums;
    let weights = super::surveys::load_servqual_weights(c)?;
    answers.weights = (!weights.is_empty()).then_some(weights);
    let features: Vec<KanoFeature> = c
        .prepare_cached("SELECT id, name, active FROM kano_features ORDER BY created_at, name")?
        .query_map([], |r| Ok(KanoFeature { id: uuid_at(r, 0)?, name: r.get(1)?, active: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT k.feature_id, k.functional, k.dysfunctional FROM kano_answers k
           JOIN survey_responses r ON r.id = k.response_id JOIN appointments a ON a.id = r.appointment_id
         WHERE r.at >= ?1 AND r.at < ?2 AND {VISIT_FILTER}"
    ))?;
    let mut by_feature: HashMap<Uuid, Vec<(KanoAnswer, KanoAnswer)>> = HashMap::new();
    let rows = stmt.query_map(f.params(), |r| {
        Ok((uuid_at(r, 0)?, enum_at(r, 1, KanoAnswer::parse)?, enum_at(r, 2, KanoAnswer::parse)?))
    })?;
    for row in rows {
        let (feature, functional, dysfunctional) = row?;
        by_feature.entry(feature).or_default().push((functional, dysfunctional));
    }
    answers.kano = features
        .into_iter()
        .map(|feature| {
            let result = kano(by_feature.get(&feature.id).map(Vec::as_slice).unwrap_or(&[]));
            KanoFeatureResult { feature, result }
        })
        .collect();
    Ok(answers)
}
