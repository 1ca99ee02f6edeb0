//! The call list, and what the front desk records on it: outcomes, notes, who does a task.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{load_appointment, set_status};
use super::settings::load_calendar;
use super::Entity;
use super::{enum_at, opt_time_at, opt_uuid_at, time_at, ts, uuid_at, Actor, OptionalRow, Store, Write};
use crate::domain::appointment::{Appointment, AppointmentStatus};
use crate::domain::ids::new_id;
use crate::domain::journey::{StageEvent, StageEventKind};
use crate::domain::patient::Channel;
use crate::domain::reminders::TaskKind;
use crate::domain::resources::Role;
use crate::domain::tasks::{
    apply_outcome, confirm_until, move_until, CallList, CallListQuery, CallListRow, CallSection, Task, TaskAppointment,
    TaskOutcome, TaskStatus,
};
use crate::error::{Error, Refusal, Result};

/// An outcome as the call list sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutcomeRequest {
    pub task_id: Uuid,
    pub outcome: TaskOutcome,
    pub note: String,
}

/// The task after an outcome, and its appointment (confirmed, perhaps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OutcomeResult {
    pub task: Task,
    pub appointment: Appointment,
}

impl Store {
    /// Open tasks due on `date` and before it (overdue), and in the days after it.
    pub fn call_list(&self, query: &CallListQuery) -> Result<CallList> {
        crate::domain::dates::check_date("date", query.date)?;
        self.read(|c| {
            let calendar = load_calendar(c)?;
            let (day_start, day_end) = calendar.day_bounds(query.date);
            let days = query.upcoming_days.unwrap_or(7).min(60) as i64;
            let until = calendar.day_bounds(query.date + Duration::days(days)).1;
            let filter = rusqlite::params![
                ts(until),
                ts(self.now()),
                query.kind.map(TaskKind::as_str),
                query.role.map(Role::as_str),
                query.assignee_id.map(|id| id.to_string()),
            ];
            // Rules, stages, providers, services and staff are small tables, and a visit has
            // several tasks: reading each once into a map costs less than joining them on every
            // one of a few thousand rows.
            let names = CallListNames::load(c)?;
            let visits = load_call_list_visits(c, filter, &names)?;
            let section = |due: DateTime<Utc>| {
                if due < day_start {
                    CallSection::Overdue
                } else if due < day_end {
                    CallSection::Today
                } else {
                    CallSection::Upcoming
                }
            };
            let mut stmt = c.prepare_cached(&format!(
                "SELECT t.id, t.kind, t.role, t.rule_id, t.due_at, t.attempts, t.max_attempts, t.last_outcome,
                   t.note, t.assignee_id, t.appointment_id
                 FROM tasks t WHERE {OPEN_TASKS_IN_LIST} ORDER BY t.due_at"
            ))?;
            let mut rows = stmt
                .query_map(filter, |r| {
                    let due_at = time_at(r, 4)?;
                    let last_outcome: Option<String> = r.get(7)?;
                    let assignee: Option<String> = r.get(9)?;
                    let (reason, stage_key) = names.rule(r.get_ref(3)?.as_str()?);
                    let visit = visits.get(r.get_ref(10)?.as_str()?).ok_or(rusqlite::Error::QueryReturnedNoRows)?;
                    let kind = enum_at(r, 1, TaskKind::parse)?;
                    let row = CallListRow {
                        task_id: uuid_at(r, 0)?,
                        section: section(due_at),
                        kind,
                        role: enum_at(r, 2, Role::parse)?,
                        reason,
                        stage_key,
                        due_at,
                        attempts: r.get(5)?,
                        max_attempts: r.get(6)?,
                        last_outcome: last_outcome.as_deref().and_then(TaskOutcome::parse),
                        note: r.get(8)?,
                        assignee_id: opt_uuid_at(r, 9)?,
                        assignee_name: assignee.and_then(|id| names.staff.get(&id).cloned()),
                        patient_id: visit.patient_id,
                        patient_name: visit.patient_name.clone(),
                        phone: visit.phone.clone(),
                        email: visit.email.clone(),
                        preferred_channel: visit.preferred_channel,
                        appointment_id: visit.id,
                        appointment_start: visit.starts_at,
                        appointment_status: visit.status,
                        provider_name: visit.provider_name.clone(),
                        service_name: visit.service_name.clone(),
                        outcomes: TaskOutcome::allowed_for(kind).to_vec(),
                        confirm_until: confirm_until(visit.status, visit.starts_at),
                        move_until: move_until(visit.status, visit.starts_at),
                    };
                    Ok((row, visit.family_name.as_str()))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            // Same due time: by family name, as on a paper list (the sort is stable).
            rows.sort_by(|(a, a_family), (b, b_family)| a.due_at.cmp(&b.due_at).then_with(|| a_family.cmp(b_family)));
            let rows: Vec<CallListRow> = rows.into_iter().map(|(row, _)| row).collect();
            let count = |s: CallSection| rows.iter().filter(|r| r.section == s).count() as u32;
            Ok(CallList {
                date: query.date,
                overdue: count(CallSection::Overdue),
                today: count(CallSection::Today),
                upcoming: count(CallSection::Upcoming),
                stale_at: day_end,
                rows,
            })
        })
    }

    /// How many open tasks became due in `(since, until]` (for the desktop notification).
    pub fn tasks_falling_due(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<u32> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM tasks WHERE status = 'open' AND due_at > ?1 AND due_at <= ?2
                   AND (expires_at IS NULL OR expires_at > ?2)",
                (ts(since), ts(until)),
                |r| r.get(0),
            )?)
        })
    }

    pub fn get_task(&self, id: Uuid) -> Result<Task> {
        self.read(|c| load_task(c, id))
    }

    /// Records one attempt at a task: its outcome and note, the retry or the close, and what
    /// follows (the visit confirmed, the stage done, the next tasks planned), in one write.
    pub fn record_task_outcome(&self, actor: Actor, request: &OutcomeRequest) -> Result<OutcomeResult> {
        let note = check_note(&request.note)?;
        self.write(actor, |w| {
            let calendar = w.calendar()?;
            let task = load_task(&w.tx, request.task_id)?;
            let appointment = load_appointment(&w.tx, task.appointment_id)?;
            let facts = TaskAppointment { status: appointment.status, starts_at: appointment.starts_at };
            let effect = apply_outcome(&task, request.outcome, facts, &calendar, w.now)?;
            w.tx.execute(
                "INSERT INTO task_attempts (id, task_id, at, outcome, note, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (
                    new_id().to_string(),
                    task.id.to_string(),
                    ts(w.now),
                    request.outcome.as_str(),
                    &note,
                    w.actor.as_str(),
                ),
            )?;
            let closed = (effect.status != TaskStatus::Open).then_some(ts(w.now));
            w.tx.execute(
                "UPDATE tasks SET status = ?2, attempts = ?3, due_at = ?4, last_outcome = ?5,
                   note = CASE WHEN ?6 = '' THEN note ELSE ?6 END, closed_at = ?7, updated_at = ?8 WHERE id = ?1",
                rusqlite::params![
                    task.id.to_string(),
                    effect.status.as_str(),
                    effect.attempts,
                    ts(effect.due_at),
                    request.outcome.as_str(),
                    note,
                    closed,
                    ts(w.now),
                ],
            )?;
            w.audit(Entity::Tasks, task.id, request.outcome.as_str(), &format!("attempt {}", effect.attempts))?;
            if effect.confirms_appointment {
                set_status(w, appointment.id, AppointmentStatus::Confirmed, None)?;
            }
            if effect.completes_stage {
                complete_task_stage(w, &task)?;
            }
            Ok(OutcomeResult {
                task: load_task(&w.tx, task.id)?,
                appointment: load_appointment(&w.tx, appointment.id)?,
            })
        })
    }

    /// Gives a task to one person (or back to the role, with `None`).
    pub fn assign_task(&self, actor: Actor, task_id: Uuid, staff_id: Option<Uuid>) -> Result<Task> {
        self.write(actor, |w| {
            let task = load_task(&w.tx, task_id)?;
            if let Some(id) = staff_id {
                let active: bool =
                    w.tx.query_row("SELECT active FROM staff WHERE id = ?1", [id.to_string()], |r| r.get(0))
                        .found("staff member", id)?;
                if !active {
                    return Err(Error::refused("assignee_id", Refusal::Inactive));
                }
            }
            w.tx.execute(
                "UPDATE tasks SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
                (task.id.to_string(), staff_id.map(|id| id.to_string()), ts(w.now)),
            )?;
            w.audit(Entity::Tasks, task.id, "assign", &staff_id.map(|id| id.to_string()).unwrap_or_default())?;
            load_task(&w.tx, task.id)
        })
    }
}

fn check_note(note: &str) -> Result<String> {
    let note = note.trim();
    crate::domain::limits::check_length("note", "The note", note, crate::domain::limits::NOTE)?;
    Ok(note.to_string())
}

/// The task's stage of the journey is done: logged once, and the journey moves past it if it
/// was waiting there.
fn complete_task_stage(w: &mut Write, task: &Task) -> Result<()> {
    let (stage_id, position, template_id): (Uuid, i64, Uuid) = w.tx.query_row(
        "SELECT s.id, s.position, s.template_id FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id
         WHERE r.id = ?1",
        [task.rule_id.to_string()],
        |r| Ok((uuid_at(r, 0)?, r.get(1)?, uuid_at(r, 2)?)),
    )?;
    let already: bool = w.tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM stage_events WHERE journey_id = ?1 AND stage_id = ?2 AND kind = 'completed')",
        (task.journey_id.to_string(), stage_id.to_string()),
        |r| r.get(0),
    )?;
    if already {
        return Ok(());
    }
    let event = StageEvent {
        id: new_id(),
        journey_id: task.journey_id,
        stage_id,
        kind: StageEventKind::Completed,
        at: w.now,
        actor: w.actor.as_str().to_string(),
    };
    super::insert_stage_event(w, &event)?;
    w.tx.execute(
        "UPDATE patient_journeys SET current_stage_id =
           (SELECT id FROM template_stages WHERE template_id = ?3 AND position > ?4 ORDER BY position LIMIT 1)
         WHERE id = ?1 AND current_stage_id = ?2",
        (task.journey_id.to_string(), stage_id.to_string(), template_id.to_string(), position),
    )?;
    w.changed(Entity::PatientJourneys, task.journey_id);
    Ok(())
}

fn load_task(c: &Connection, id: Uuid) -> Result<Task> {
    c.query_row(
        "SELECT id, rule_id, appointment_id, journey_id, patient_id, kind, role, assignee_id, due_at, expires_at, status,
           attempts, max_attempts, retry_minutes, last_outcome, note, created_at, updated_at, closed_at
         FROM tasks WHERE id = ?1",
        [id.to_string()],
        |r| {
            let last_outcome: Option<String> = r.get(14)?;
            Ok(Task {
                id: uuid_at(r, 0)?,
                rule_id: uuid_at(r, 1)?,
                appointment_id: uuid_at(r, 2)?,
                journey_id: uuid_at(r, 3)?,
                patient_id: uuid_at(r, 4)?,
                kind: enum_at(r, 5, TaskKind::parse)?,
                role: enum_at(r, 6, Role::parse)?,
                assignee_id: opt_uuid_at(r, 7)?,
                due_at: time_at(r, 8)?,
                expires_at: opt_time_at(r, 9)?,
                status: enum_at(r, 10, TaskStatus::parse)?,
                attempts: r.get(11)?,
                max_attempts: r.get(12)?,
                retry_minutes: r.get(13)?,
                last_outcome: last_outcome.as_deref().and_then(TaskOutcome::parse),
                note: r.get(15)?,
                created_at: time_at(r, 16)?,
                updated_at: time_at(r, 17)?,
                closed_at: opt_time_at(r, 18)?,
            })
        },
    )
    .found("task", id)
}

/// The open tasks a call list shows: ?1 shows until, ?2 is now (expired ones are left out),
/// ?3 kind, ?4 role and ?5 assignee filter when not NULL.
const OPEN_TASKS_IN_LIST: &str = "t.status = 'open' AND t.due_at < ?1 AND (t.expires_at IS NULL OR t.expires_at > ?2)
    AND (?3 IS NULL OR t.kind = ?3) AND (?4 IS NULL OR t.role = ?4) AND (?5 IS NULL OR t.assignee_id = ?5)";

/// A visit a call-list row is about, with its patient's contact details.
struct CallListVisit {
    id: Uuid,
    starts_at: DateTime<Utc>,
    status: AppointmentStatus,
    provider_name: String,
    service_name: String,
    patient_id: Uuid,
    patient_name: String,
    family_name: String,
    phone: String,
    email: Option<String>,
    preferred_channel: Channel,
}

/// The visits (each once, however many tasks it has) of the tasks a call list shows, by id.
fn load_call_list_visits(
    c: &Connection,
    filter: &[&dyn rusqlite::ToSql],
    names: &CallListNames,
) -> Result<HashMap<String, CallListVisit>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT a.id, a.starts_at, a.status, a.provider_id, a.service_type_id, p.id, p.given_name || ' ' || p.family_name,
           p.family_name, p.phone, p.email, p.preferred_channel
         FROM appointments a JOIN patients p ON p.id = a.patient_id
         WHERE a.id IN (SELECT t.appointment_id FROM tasks t WHERE {OPEN_TASKS_IN_LIST})"
    ))?;
    let visits = stmt
        .query_map(filter, |r| {
            let key: String = r.get(0)?;
            let visit = CallListVisit {
                id: uuid_at(r, 0)?,
                starts_at: time_at(r, 1)?,
                status: enum_at(r, 2, AppointmentStatus::parse)?,
                provider_name: name_in(&names.providers, r.get_ref(3)?.as_str()?),
                service_name: name_in(&names.services, r.get_ref(4)?.as_str()?),
                patient_id: uuid_at(r, 5)?,
                patient_name: r.get(6)?,
                family_name: r.get(7)?,
                phone: r.get(8)?,
                email: r.get(9)?,
                preferred_channel: enum_at(r, 10, Channel::parse)?,
            };
            Ok((key, visit))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(visits)
}

/// Names of the small tables a call-list row refers to, by id.
struct CallListNames {
    /// Rule id → (rule name, its stage's key).
    rules: HashMap<String, (String, String)>,
    providers: HashMap<String, String>,
    services: HashMap<String, String>,
    staff: HashMap<String, String>,
}

impl CallListNames {
    fn load(c: &Connection) -> Result<Self> {
        let pairs = |sql: &str| -> Result<HashMap<String, String>> {
            let mut stmt = c.prepare_cached(sql)?;
            let map = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(map)
        };
        let mut stmt = c.prepare_cached(
            "SELECT r.id, r.name, s.key FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id",
        )?;
        let rules =
            stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?.collect::<rusqlite::Result<_>>()?;
        Ok(Self {
            rules,
            providers: pairs("SELECT id, name FROM providers")?,
            services: pairs("SELECT id, name FROM service_types")?,
            staff: pairs("SELECT id, name FROM staff")?,
        })
    }

    fn rule(&self, id: &str) -> (String, String) {
        self.rules.get(id).cloned().unwrap_or_default()
    }
}

fn name_in(map: &HashMap<String, String>, id: &str) -> String {
    map.get(id).cloned().unwrap_or_default()
}
