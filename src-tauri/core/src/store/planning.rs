//! Planning tasks into the store: the rules' plan for each appointment compared with the task
//! rows, and only the differences written. Idempotent: planning twice writes nothing the
//! second time.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::Statement;
use rustc_hash::FxHashMap;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::booking::appointment_from;
use super::reminders::rules_by_template;
use super::Entity;
use super::{ts, Actor, Store, Write};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::appointment::{Appointment, AppointmentStatus};
use crate::domain::clinic::ClinicCalendar;
use crate::domain::patient::Channel;
use crate::domain::reminders::{
    plan_tasks, task_id, Anchor, OffsetUnit, PatientContact, PlanSubject, PlannedTask, ReminderRule, TaskKind,
};
use crate::domain::resources::Role;
use crate::domain::tasks::{reconcile, Reconcile, StoredTask, TaskOutcome, TaskStatus, STALE_AFTER};
use crate::error::Result;

/// What a planning run changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct PlanSummary {
    /// The appointments looked at: a full plan skips those whose inputs did not change.
    pub appointments: u32,
    pub created: u32,
    pub moved: u32,
    pub cancelled: u32,
    pub unchanged: u32,
}

impl Store {
    /// Re-plans the tasks of every appointment (the day rolling over, `tasks plan`).
    pub fn plan_all_tasks(&self, actor: Actor) -> Result<PlanSummary> {
        self.write(actor, Work::ClinicSetup, |w| {
            // The calls to rebook visits that have passed meanwhile end first.
            super::rebook_calls::settle_rebook_calls(w, true)?;
            let summary = plan(w, None)?;
            if summary.created + summary.moved + summary.cancelled > 0 {
                let detail =
                    format!("{} new, {} moved, {} cancelled", summary.created, summary.moved, summary.cancelled);
                w.audit(Entity::Tasks, Uuid::nil(), "plan", &detail)?;
            }
            Ok(summary)
        })
    }
}

/// Plans the patients whose rows a write changed (`Write::changed`), or every appointment:
/// the unit of work's last step before commit, with the calendar and rules read once.
pub(super) fn plan_changes(w: &mut Write, changed: BTreeSet<(Entity, Uuid)>, everything: bool) -> Result<PlanSummary> {
    if everything {
        return plan(w, None);
    }
    let patients = patients_of(w.db(), &changed)?;
    if patients.is_empty() {
        return Ok(PlanSummary::default());
    }
    plan(w, Some(&patients))
}

/// A key of what every plan depends on besides the appointment's own rows: the clinic's
/// calendar (zone, hours, closed days, quiet hours) and every rule. When it changes, the next
/// full plan looks at every appointment again.
fn inputs_key(calendar: &ClinicCalendar, rules: &HashMap<Uuid, Vec<ReminderRule>>) -> String {
    use std::hash::{Hash, Hasher};
    let mut rules: Vec<_> = rules.iter().collect();
    rules.sort_by_key(|(template, _)| **template);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{calendar:?}{rules:?}").hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// When the last full plan ran and the inputs key it saw.
fn last_full_plan(db: &Db) -> Result<Option<(DateTime<Utc>, String)>> {
    db.query_opt("SELECT planned_at, inputs_key FROM planning_state WHERE id = 'tasks'", &[])?
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .transpose()
}

fn save_full_plan(db: &Db, now: DateTime<Utc>, key: &str) -> Result<()> {
    db.execute(
        "INSERT INTO planning_state (id, planned_at, inputs_key) VALUES ('tasks', ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET planned_at = excluded.planned_at, inputs_key = excluded.inputs_key",
        &[&now, &key],
    )?;
    Ok(())
}

/// The patients whose plan may differ from the one the full plan at `since` made: their
/// appointments, their details or their journeys' stages changed after it, or one of their open
/// tasks has expired since (the plan closes it). Nothing else a plan reads changes by itself,
/// and each write re-plans the patients it changed anyway (the unit of work): what the write
/// that made the last full plan changed itself, in the same second, was planned by it.
fn changed_since(db: &Db, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<BTreeSet<Uuid>> {
    let patients = db.query_map(
        "SELECT patient_id FROM appointments WHERE updated_at > ?1
         UNION SELECT id FROM patients WHERE updated_at > ?1
         UNION SELECT j.patient_id FROM stage_events e JOIN patient_journeys j ON j.id = e.journey_id WHERE e.at > ?1
         UNION SELECT patient_id FROM tasks WHERE status = 'open' AND expires_at > ?1 AND expires_at <= ?2",
        &[&since, &now],
        |r| r.get(0),
    )?;
    Ok(patients.into_iter().collect())
}

/// The patients the changed rows belong to.
fn patients_of(db: &Db, changed: &BTreeSet<(Entity, Uuid)>) -> Result<BTreeSet<Uuid>> {
    let mut patients = BTreeSet::new();
    for &(entity, id) in changed {
        let owner = match entity {
            Entity::Patients => {
                patients.insert(id);
                continue;
            }
            Entity::Appointments => "SELECT patient_id FROM appointments WHERE id = ?1",
            Entity::PatientJourneys => "SELECT patient_id FROM patient_journeys WHERE id = ?1",
            Entity::Tasks => "SELECT patient_id FROM tasks WHERE id = ?1",
            _ => continue,
        };
        if let Some(row) = db.query_opt(owner, &[&id])? {
            patients.insert(row.get(0)?);
        }
    }
    // Tasks belong to visits: a patient without one has nothing to plan (an import of
    // thousands of patients plans none of them).
    let mut planned = BTreeSet::new();
    for patient in patients {
        if db.query_one("SELECT EXISTS (SELECT 1 FROM appointments WHERE patient_id = ?1)", &[&patient])?.get(0)? {
            planned.insert(patient);
        }
    }
    Ok(planned)
}

struct SubjectRow {
    appointment: Appointment,
    journey_id: Uuid,
    template_id: Uuid,
    patient: PatientContact,
    no_show_at: Option<DateTime<Utc>>,
}

// How many plans ran on this thread: the tests count that a write plans once.
#[cfg(test)]
thread_local! {
    pub(super) static PLAN_RUNS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Plans every appointment, or those of the patients `only`. A full plan skips the patients
/// none of whose inputs changed since the last full plan (see `changed_since`).
fn plan(w: &mut Write, only: Option<&BTreeSet<Uuid>>) -> Result<PlanSummary> {
    #[cfg(test)]
    PLAN_RUNS.with(|runs| runs.set(runs.get() + 1));
    let calendar = w.calendar()?;
    let rules = rules_by_template(w.db(), None)?;
    let changed;
    let only = match only {
        Some(patients) => Some(patients),
        None => {
            let key = inputs_key(&calendar, &rules);
            let last = last_full_plan(w.db())?;
            save_full_plan(w.db(), w.now, &key)?;
            match last {
                Some((at, last_key)) if last_key == key && at <= w.now => {
                    changed = changed_since(w.db(), at, w.now)?;
                    Some(&changed)
                }
                _ => None,
            }
        }
    };
    if only.is_some_and(BTreeSet::is_empty) {
        return Ok(PlanSummary::default());
    }
    let reach = rules.values().flatten().map(reach_minutes).max().unwrap_or(0);
    let horizon = w.now - chrono::Duration::minutes(reach) - STALE_AFTER;
    let anchor_keys: HashSet<&str> = rules
        .values()
        .flatten()
        .filter(|r| r.anchor == Anchor::StageCompleted)
        .filter_map(|r| r.anchor_stage_key.as_deref())
        .collect();
    let rebooking = super::rebook_calls::visits_being_rebooked(w.db())?;
    let writer = TaskWriter { db: w.db(), now: w.now };
    let mut summary = PlanSummary::default();
    let scopes: Vec<Option<Uuid>> = match only {
        None => vec![None],
        Some(patients) => patients.iter().copied().map(Some).collect(),
    };
    for scope in scopes {
        let subjects = load_subjects(w.db(), scope, horizon)?;
        let first_visits = first_visits(w.db(), scope)?;
        let completions = completions(w.db(), &anchor_keys, scope)?;
        let stored = stored_tasks(w.db(), scope)?;
        summary.appointments += subjects.len() as u32;
        let no_rules: Vec<ReminderRule> = Vec::new();
        for s in &subjects {
            let template_rules = rules.get(&s.template_id).unwrap_or(&no_rules);
            // A visit whose time the front desk is changing is not confirmed or reminded of
            // meanwhile: its tasks come back once the call to rebook has ended.
            let planned = if rebooking.contains(&s.appointment.id) {
                Vec::new()
            } else {
                plan_subject(s, template_rules, &first_visits, &completions, &calendar)
            };
            for rule in template_rules {
                let key = (rule.id, s.appointment.id);
                let wanted = planned.iter().find(|p| p.rule_id == rule.id);
                match reconcile(stored.get(&key), wanted, w.now) {
                    Reconcile::Insert => {
                        writer.insert(wanted.expect("insert has a plan"))?;
                        summary.created += 1;
                    }
                    Reconcile::Update => {
                        writer.update(wanted.expect("update has a plan"))?;
                        summary.moved += 1;
                    }
                    Reconcile::Cancel => {
                        writer.cancel(task_id(rule.id, s.appointment.id))?;
                        summary.cancelled += 1;
                    }
                    Reconcile::Keep => summary.unchanged += stored.contains_key(&key) as u32,
                }
            }
        }
    }
    if summary.created + summary.moved + summary.cancelled > 0 {
        w.touch(Entity::Tasks);
    }
    Ok(summary)
}

fn plan_subject(
    s: &SubjectRow,
    rules: &[ReminderRule],
    first_visits: &FxHashMap<Uuid, DateTime<Utc>>,
    completions: &Completions<'_>,
    calendar: &ClinicCalendar,
) -> Vec<PlannedTask> {
    let a = &s.appointment;
    let subject = PlanSubject {
        appointment: a,
        journey_id: s.journey_id,
        patient: s.patient,
        first_visit: first_visits.get(&a.patient_id).is_none_or(|first| a.starts_at <= *first),
        no_show_at: s.no_show_at,
        completed: completions.get(&s.journey_id).map(Vec::as_slice).unwrap_or(&[]),
    };
    plan_tasks(&subject, rules, calendar)
}

/// How long after its appointment a rule can still make a task due (generously: months as 31
/// days, working days as two, and two months of slack for stages completed later).
fn reach_minutes(rule: &ReminderRule) -> i64 {
    let n = rule.offset_amount.max(0) as i64;
    let offset = match rule.offset_unit {
        OffsetUnit::Minutes => n,
        OffsetUnit::Hours => n * 60,
        OffsetUnit::Days => n * 1440,
        OffsetUnit::WorkingDays => n * 2 * 1440,
        OffsetUnit::Months => n * 31 * 1440,
    };
    let late_anchor = if rule.anchor == Anchor::StageCompleted { 60 * 1440 } else { 1440 };
    offset + late_anchor
}

/// The appointments planning looks at: those a rule can still reach, and older ones that
/// still have an open task (which planning may need to close).
fn load_subjects(db: &Db, only: Option<Uuid>, horizon: DateTime<Utc>) -> Result<Vec<SubjectRow>> {
    let contacts = patient_contacts(db, only)?;
    // SQLite: in this order, through the index made for it (a cross join fixes the order).
    let journeys =
        db.per_engine("CROSS JOIN patient_journeys j INDEXED BY patient_journeys_plan", "JOIN patient_journeys j");
    db.query_map(
        &format!(
            "SELECT a.id, a.patient_id, a.provider_id, a.room_id, a.service_type_id, a.starts_at, a.ends_at, a.status,
               a.cancel_reason, a.notes, a.series_id, a.series_index, a.created_at, a.updated_at,
               j.id, j.template_id, a.status_changed_at
             FROM appointments a
             {journeys} ON j.appointment_id = a.id
             WHERE (CAST(?1 AS TEXT) IS NULL OR a.patient_id = ?1)
               AND (a.ends_at >= ?2 OR EXISTS (SELECT 1 FROM tasks t WHERE t.appointment_id = a.id AND t.status = 'open'))"
        ),
        &[&only, &horizon],
        |r| {
            let appointment = appointment_from(r)?;
            let no_show = appointment.status == AppointmentStatus::Noshow;
            let no_show_at = if no_show {
                Some(r.get::<Option<DateTime<Utc>>>(16)?.unwrap_or(appointment.starts_at))
            } else {
                None
            };
            let patient = *contacts
                .get(&appointment.patient_id)
                .ok_or_else(|| crate::error::Error::Corrupt(format!("appointment {} has no patient", appointment.id)))?;
            Ok(SubjectRow { journey_id: r.get(14)?, template_id: r.get(15)?, patient, no_show_at, appointment })
        },
    )
}

/// What planning needs of each patient (all of them, or `only`), read once rather than joined
/// to each of their visits: a full plan looks at several visits per patient.
fn patient_contacts(db: &Db, only: Option<Uuid>) -> Result<FxHashMap<Uuid, PatientContact>> {
    let columns = "id, preferred_channel, consent_reminders, do_not_contact";
    let sql = match only {
        Some(_) => format!("SELECT {columns} FROM patients WHERE id = ?1"),
        None => format!("SELECT {columns} FROM patients WHERE CAST(?1 AS TEXT) IS NULL"),
    };
    let rows = db.query_map(&sql, &[&only], |r| {
        let contact = PatientContact {
            preferred_channel: r.get_enum(1, Channel::parse)?,
            consent_reminders: r.get(2)?,
            do_not_contact: r.get(3)?,
        };
        Ok((r.get(0)?, contact))
    })?;
    Ok(rows.into_iter().collect())
}

/// Each patient's earliest visit that was kept or is still planned: any visit after it is not
/// a first visit.
fn first_visits(db: &Db, only: Option<Uuid>) -> Result<FxHashMap<Uuid, DateTime<Utc>>> {
    let rows = db.query_map(
        "SELECT patient_id, min(starts_at) FROM appointments
         WHERE status IN ('booked', 'confirmed', 'arrived', 'in_progress', 'fulfilled')
           AND (CAST(?1 AS TEXT) IS NULL OR patient_id = ?1)
         GROUP BY patient_id",
        &[&only],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.into_iter().collect())
}

/// Per journey, the stage keys rules count from with the latest time each was completed.
type Completions<'k> = FxHashMap<Uuid, Vec<(&'k str, DateTime<Utc>)>>;

/// Latest completion of the stages rules count from, per journey: read stage by stage through
/// the (stage, time) index rather than grouping the whole event log.
fn completions<'k>(db: &Db, keys: &HashSet<&'k str>, only: Option<Uuid>) -> Result<Completions<'k>> {
    let mut grouped: Completions = FxHashMap::default();
    let stages: Vec<(String, String)> =
        db.query_map("SELECT id, key FROM template_stages", &[], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let anchor_stages = stages.into_iter().filter_map(|(id, key)| keys.get(key.as_str()).map(|&key| (id, key)));
    for (stage_id, key) in anchor_stages {
        let rows: Vec<(Uuid, DateTime<Utc>)> = db.query_map(
            "SELECT e.journey_id, max(e.at) FROM stage_events e
             WHERE e.stage_id = ?1 AND e.kind = 'completed'
               AND (CAST(?2 AS TEXT) IS NULL OR e.journey_id IN (SELECT id FROM patient_journeys WHERE patient_id = ?2))
             GROUP BY e.journey_id",
            &[&stage_id, &only],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (journey, at) in rows {
            grouped.entry(journey).or_default().push((key, at));
        }
    }
    Ok(grouped)
}

/// Stored tasks by (rule, appointment): the rules' tasks (calls to rebook have no rule).
fn stored_tasks(db: &Db, only: Option<Uuid>) -> Result<FxHashMap<(Uuid, Uuid), StoredTask>> {
    let rows = db.query_map(
        "SELECT rule_id, appointment_id, status, attempts, last_outcome, kind, role, due_at, expires_at, max_attempts, retry_minutes
         FROM tasks WHERE rule_id IS NOT NULL AND (CAST(?1 AS TEXT) IS NULL OR patient_id = ?1)",
        &[&only],
        |r| {
            Ok((
                (r.get(0)?, r.get(1)?),
                StoredTask {
                    status: r.get_enum(2, TaskStatus::parse)?,
                    attempts: r.get(3)?,
                    last_outcome: r.get_text(4)?.and_then(TaskOutcome::parse),
                    kind: r.get_enum(5, TaskKind::parse)?,
                    role: r.get_enum(6, Role::parse)?,
                    due_at: r.get(7)?,
                    expires_at: r.get(8)?,
                    max_attempts: r.get(9)?,
                    retry_minutes: r.get(10)?,
                },
            ))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// The three writes planning makes (each statement prepared once per connection).
struct TaskWriter<'w, 'a, 'tx> {
    db: &'w Db<'a, 'tx>,
    now: DateTime<Utc>,
}

impl TaskWriter<'_, '_, '_> {
    fn insert(&self, t: &PlannedTask) -> Result<()> {
        self.db.execute(
            INSERT_TASK,
            &[
                &t.id,
                &t.rule_id,
                &t.appointment_id,
                &t.journey_id,
                &t.patient_id,
                &t.kind.as_str(),
                &t.role.as_str(),
                &t.due_at,
                &t.expires_at,
                &t.max_attempts,
                &t.retry_minutes,
                &self.now,
            ],
        )?;
        Ok(())
    }

    fn update(&self, t: &PlannedTask) -> Result<()> {
        self.db.execute(
            "UPDATE tasks SET kind = ?2, role = ?3, due_at = ?4, expires_at = ?5, max_attempts = ?6,
               retry_minutes = ?7, status = 'open', closed_at = NULL, updated_at = ?8 WHERE id = ?1",
            &[
                &t.id,
                &t.kind.as_str(),
                &t.role.as_str(),
                &t.due_at,
                &t.expires_at,
                &t.max_attempts,
                &t.retry_minutes,
                &self.now,
            ],
        )?;
        Ok(())
    }

    fn cancel(&self, id: Uuid) -> Result<()> {
        self.db.execute(
            "UPDATE tasks SET status = 'cancelled', closed_at = ?2, updated_at = ?2 WHERE id = ?1",
            &[&id, &self.now],
        )?;
        Ok(())
    }
}

/// One new open task row; also what the benchmark's raw insert writes.
pub const INSERT_TASK: &str =
    "INSERT INTO tasks (id, rule_id, appointment_id, journey_id, patient_id, kind, role, due_at,
   expires_at, status, attempts, max_attempts, retry_minutes, note, created_at, updated_at)
   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', 0, ?10, ?11, '', ?12, ?12)";

/// Runs `INSERT_TASK` for one planned task.
pub fn insert_task_row(stmt: &mut Statement, t: &PlannedTask, now: i64) -> rusqlite::Result<usize> {
    stmt.execute(rusqlite::params![
        t.id.to_string(),
        t.rule_id.to_string(),
        t.appointment_id.to_string(),
        t.journey_id.to_string(),
        t.patient_id.to_string(),
        t.kind.as_str(),
        t.role.as_str(),
        ts(t.due_at),
        t.expires_at.map(ts),
        t.max_attempts,
        t.retry_minutes,
        now,
    ])
}
