//! The call list, and what the front desk records on it: outcomes, notes, who does a task.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{load_appointment, set_status};
use super::call_list_cache::{CallListCache, CallListVisit, OpenTask, OpenTasksQuery};
use super::settings::read_settings;
use super::Entity;
use super::{not_found, Actor, OptionalRow, Store, Write};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::appointment::{Appointment, AppointmentStatus};
use crate::domain::clinic::ClinicCalendar;
use crate::domain::ids::new_id;
use crate::domain::journey::{StageEvent, StageEventKind};
use crate::domain::patient::Channel;
use crate::domain::reminders::TaskKind;
use crate::domain::resources::Role;
use crate::domain::sheet_words::SheetWords;
use crate::domain::tasks::{
    apply_outcome, confirm_until, move_until, CallList, CallListQuery, CallListRow, CallSection, Task, TaskAppointment,
    TaskOutcome, TaskPurpose, TaskStatus,
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
        let clinician = self.clinician_scope().is_some();
        let now = self.now();
        // What the file store keeps between reads stays right only while its writes are the
        // only ones: on the server, other desks write too.
        let cache = self.is_file().then_some(&self.call_list_cache);
        self.read_kept(
            || format!("call list {query:?}"),
            || self.read_patient_db(|db| read_call_list(db, cache, query, now, clinician)),
        )
    }

    /// How many open tasks became due in `(since, until]` (for the desktop notification).
    pub fn tasks_falling_due(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<u32> {
        self.read_db(|db| {
            db.query_one(
                "SELECT count(*) FROM tasks WHERE status = 'open' AND due_at > ?1 AND due_at <= ?2
                   AND (expires_at IS NULL OR expires_at > ?2)",
                &[&since, &until],
            )?
            .get(0)
        })
    }

    pub fn get_task(&self, id: Uuid) -> Result<Task> {
        self.read_patient_db(|db| load_task(db, id))
    }

    /// Records one attempt at a task: its outcome and note, the retry or the close, and what
    /// follows (the visit confirmed, the stage done, the next tasks planned), in one write.
    pub fn record_task_outcome(&self, actor: Actor, request: &OutcomeRequest) -> Result<OutcomeResult> {
        let note = check_note(&request.note)?;
        self.write(actor, Work::Calls, |w| record_outcome_in(w, request, &note))
    }

    /// Gives a task to one person (or back to the role, with `None`).
    pub fn assign_task(&self, actor: Actor, task_id: Uuid, staff_id: Option<Uuid>) -> Result<Task> {
        self.write(actor, Work::Calls, |w| {
            let task = load_task(w.db(), task_id)?;
            if let Some(id) = staff_id {
                let active: bool = w
                    .db()
                    .query_opt("SELECT active FROM staff WHERE id = ?1", &[&id])?
                    .map(|r| r.get(0))
                    .transpose()
                    .found("staff member", id)?;
                if !active {
                    return Err(Error::refused("assignee_id", Refusal::Inactive));
                }
            }
            w.db().execute(
                "UPDATE tasks SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
                &[&task.id, &staff_id, &w.now],
            )?;
            w.audit(Entity::Tasks, task.id, "assign", &staff_id.map(|id| id.to_string()).unwrap_or_default())?;
            load_task(w.db(), task.id)
        })
    }
}

/// One attempt at a task inside a write (the call list's outcome, a survey that answers the
/// feedback task).
pub(super) fn record_outcome_in(w: &mut Write, request: &OutcomeRequest, note: &str) -> Result<OutcomeResult> {
    let calendar = w.calendar()?;
    let task = load_task(w.db(), request.task_id)?;
    let appointment = load_appointment(w.db(), task.appointment_id)?;
    let facts = TaskAppointment { status: appointment.status, starts_at: appointment.starts_at };
    let effect = apply_outcome(&task, request.outcome, facts, &calendar, w.now)?;
    w.db().execute(
        "INSERT INTO task_attempts (id, task_id, at, outcome, note, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&new_id(), &task.id, &w.now, &request.outcome.as_str(), &note, &w.actor.as_str()],
    )?;
    let closed = (effect.status != TaskStatus::Open).then_some(w.now);
    w.db().execute(
        "UPDATE tasks SET status = ?2, attempts = ?3, due_at = ?4, last_outcome = ?5,
           note = CASE WHEN ?6 = '' THEN note ELSE ?6 END, closed_at = ?7, updated_at = ?8 WHERE id = ?1",
        &[
            &task.id,
            &effect.status.as_str(),
            &effect.attempts,
            &effect.due_at,
            &request.outcome.as_str(),
            &note,
            &closed,
            &w.now,
        ],
    )?;
    w.audit(Entity::Tasks, task.id, request.outcome.as_str(), &format!("attempt {}", effect.attempts))?;
    if effect.confirms_appointment {
        set_status(w, appointment.id, AppointmentStatus::Confirmed, None)?;
    }
    if effect.completes_stage {
        complete_task_stage(w, &task)?;
    }
    if effect.cancels_appointment {
        let words = SheetWords::for_language(&super::settings::content_language(w.db())?);
        super::appointments::cancel_in(w, appointment.id, words.declined_new_time)?;
    }
    Ok(OutcomeResult { task: load_task(w.db(), task.id)?, appointment: load_appointment(w.db(), appointment.id)? })
}

fn check_note(note: &str) -> Result<String> {
    let note = note.trim();
    crate::domain::limits::check_length("note", "The note", note, crate::domain::limits::NOTE)?;
    Ok(note.to_string())
}

/// The task's stage of the journey is done: logged once, and the journey moves past it if it
/// was waiting there.
fn complete_task_stage(w: &mut Write, task: &Task) -> Result<()> {
    let Some(rule_id) = task.rule_id else { return Ok(()) };
    let stage = w.db().query_one(
        "SELECT s.id, s.position, s.template_id FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id
         WHERE r.id = ?1",
        &[&rule_id],
    )?;
    let (stage_id, position, template_id): (Uuid, i64, Uuid) = (stage.get(0)?, stage.get(1)?, stage.get(2)?);
    let already: bool = w
        .db()
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM stage_events WHERE journey_id = ?1 AND stage_id = ?2 AND kind = 'completed')",
            &[&task.journey_id, &stage_id],
        )?
        .get(0)?;
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
    w.db().execute(
        "UPDATE patient_journeys SET current_stage_id =
           (SELECT id FROM template_stages WHERE template_id = ?3 AND position > ?4 ORDER BY position LIMIT 1)
         WHERE id = ?1 AND current_stage_id = ?2",
        &[&task.journey_id, &stage_id, &template_id, &position],
    )?;
    w.changed(Entity::PatientJourneys, task.journey_id);
    Ok(())
}

fn load_task(db: &Db, id: Uuid) -> Result<Task> {
    db.query_map(
        "SELECT id, rule_id, appointment_id, journey_id, patient_id, kind, role, assignee_id, due_at, expires_at, status,
           attempts, max_attempts, retry_minutes, last_outcome, note, created_at, updated_at, closed_at, purpose
         FROM tasks WHERE id = ?1",
        &[&id],
        |r| {
            Ok(Task {
                id: r.get(0)?,
                purpose: r.get_enum(19, TaskPurpose::parse)?,
                rule_id: r.get(1)?,
                appointment_id: r.get(2)?,
                journey_id: r.get(3)?,
                patient_id: r.get(4)?,
                kind: r.get_enum(5, TaskKind::parse)?,
                role: r.get_enum(6, Role::parse)?,
                assignee_id: r.get(7)?,
                due_at: r.get(8)?,
                expires_at: r.get(9)?,
                status: r.get_enum(10, TaskStatus::parse)?,
                attempts: r.get(11)?,
                max_attempts: r.get(12)?,
                retry_minutes: r.get(13)?,
                last_outcome: r.get_text(14)?.and_then(TaskOutcome::parse),
                note: r.get(15)?,
                created_at: r.get(16)?,
                updated_at: r.get(17)?,
                closed_at: r.get(18)?,
            })
        },
    )
    .map(|tasks| tasks.into_iter().next())
    .found("task", id)
}

/// The call list of `query` at `now` on either engine, the visits and open tasks from `cache`
/// where it kept them (the embedded store's; the clinic server's desks read without one until
/// the change feed keeps theirs right). A clinician's list holds the clinicians' duties.
pub(super) fn read_call_list(
    db: &Db,
    cache: Option<&CallListCache>,
    query: &CallListQuery,
    now: DateTime<Utc>,
    clinician: bool,
) -> Result<CallList> {
    let calendar = ClinicCalendar::new(&read_settings(db)?)?;
    let (day_start, day_end) = calendar.day_bounds(query.date);
    let days = query.upcoming_days.unwrap_or(7).min(60) as i64;
    let asked = OpenTasksQuery {
        until: calendar.day_bounds(query.date + Duration::days(days)).1,
        kind: query.kind,
        // A clinician's list holds the clinicians' duties.
        role: if clinician { Some(Role::Clinician) } else { query.role },
        assignee_id: query.assignee_id,
    };
    // Rules, stages, providers, services and staff are small tables, and a visit has
    // several tasks: reading each once into a map costs less than joining them on every
    // one of a few thousand rows.
    let names = CallListNames::load(db)?;
    let all_open = open_tasks(db, cache, asked, &names)?;
    let tasks: Vec<&OpenTask> = all_open.iter().filter(|t| t.expires_at.is_none_or(|expires| expires > now)).collect();
    let visits = call_list_visits(db, cache, &tasks, &names)?;
    let section = |due: DateTime<Utc>| {
        if due < day_start {
            CallSection::Overdue
        } else if due < day_end {
            CallSection::Today
        } else {
            CallSection::Upcoming
        }
    };
    let mut rows = Vec::with_capacity(tasks.len());
    for task in tasks {
        let visit = visits.get(&task.appointment_id).ok_or_else(|| not_found("appointment", task.appointment_id))?;
        let (reason, stage_key) = match (task.purpose, &task.rule) {
            (TaskPurpose::Rebook, _) => (names.rebook_reason.clone(), Arc::from("")),
            (TaskPurpose::Rule, Some(rule)) => rule.clone(),
            (TaskPurpose::Rule, None) => (Arc::from(""), Arc::from("")),
        };
        let records_survey =
            task.purpose == TaskPurpose::Rule && &*stage_key == crate::domain::survey::FEEDBACK_STAGE_KEY;
        let row = CallListRow {
            task_id: task.id,
            section: section(task.due_at),
            kind: task.kind,
            role: task.role,
            purpose: task.purpose,
            reason,
            stage_key,
            due_at: task.due_at,
            attempts: task.attempts,
            max_attempts: task.max_attempts,
            last_outcome: task.last_outcome,
            note: task.note.clone(),
            assignee_id: task.assignee_id,
            assignee_name: task.assignee_id.and_then(|id| names.staff.get(&id).cloned()),
            patient_id: visit.patient_id,
            patient_name: visit.patient_name.clone(),
            phone: visit.phone.clone(),
            email: visit.email.clone(),
            preferred_channel: visit.preferred_channel,
            patient_language: visit.language.clone(),
            appointment_id: visit.id,
            appointment_start: visit.starts_at,
            appointment_status: visit.status,
            provider_name: visit.provider_name.clone(),
            service_name: visit.service_name.clone(),
            outcomes: TaskOutcome::allowed_for(task.kind, task.purpose),
            confirm_until: confirm_until(visit.status, visit.starts_at),
            move_until: move_until(visit.status, visit.starts_at),
            records_survey,
        };
        rows.push((row, visit.family_name.as_str()));
    }
    // Same due time: by family name, as on a paper list, then by task (the same order on
    // either engine). The rows come by due time, so only each run of equal times is sorted.
    for run in rows.chunk_by_mut(|(a, _), (b, _)| a.due_at == b.due_at) {
        run.sort_unstable_by_key(|(row, family)| (*family, row.task_id));
    }
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
}

/// The call list on either engine, read without a cache (for the clinic server).
pub fn call_list_on(db: &Db, query: &CallListQuery, now: DateTime<Utc>) -> Result<CallList> {
    crate::domain::dates::check_date("date", query.date)?;
    read_call_list(db, None, query, now, false)
}

/// The open tasks a call list shows: ?1 shows until, ?2 kind, ?3 role and ?4 assignee filter
/// when not NULL. Expired ones are left out by the reader (`expires_at`), so that what was read
/// stays right as time passes.
const OPEN_TASKS_IN_LIST: &str = "t.status = 'open' AND t.due_at < ?1
    AND (CAST(?2 AS TEXT) IS NULL OR t.kind = ?2) AND (CAST(?3 AS TEXT) IS NULL OR t.role = ?3)
    AND (CAST(?4 AS TEXT) IS NULL OR t.assignee_id = ?4)";

/// The open tasks of `asked`, by due time: kept from the last read when nothing was committed
/// since, else read and kept.
fn open_tasks(
    db: &Db,
    cache: Option<&CallListCache>,
    asked: OpenTasksQuery,
    names: &CallListNames,
) -> Result<Arc<[OpenTask]>> {
    let Some(cache) = cache else {
        return Ok(load_open_tasks(db, &asked, names)?.into());
    };
    let (kept, generation) = cache.open_tasks(&asked);
    if let Some(tasks) = kept {
        return Ok(tasks);
    }
    let tasks: Arc<[OpenTask]> = load_open_tasks(db, &asked, names)?.into();
    cache.store_open_tasks(generation, asked, tasks.clone());
    Ok(tasks)
}

/// One pass over the covering index `tasks_open_due`.
fn load_open_tasks(db: &Db, asked: &OpenTasksQuery, names: &CallListNames) -> Result<Vec<OpenTask>> {
    db.query_map(
        &format!(
            "SELECT t.id, t.kind, t.role, t.rule_id, t.due_at, t.attempts, t.max_attempts, t.last_outcome,
               t.note, t.assignee_id, t.appointment_id, t.purpose, t.expires_at
             FROM tasks t WHERE {OPEN_TASKS_IN_LIST} ORDER BY t.due_at"
        ),
        &[&asked.until, &asked.kind.map(TaskKind::as_str), &asked.role.map(Role::as_str), &asked.assignee_id],
        |r| {
            Ok(OpenTask {
                id: r.get(0)?,
                kind: r.get_enum(1, TaskKind::parse)?,
                role: r.get_enum(2, Role::parse)?,
                purpose: r.get_enum(11, TaskPurpose::parse)?,
                rule: r.get_text(3)?.and_then(|id| names.rules.get(id)).cloned(),
                due_at: r.get(4)?,
                expires_at: r.get(12)?,
                attempts: r.get(5)?,
                max_attempts: r.get(6)?,
                last_outcome: r.get_text(7)?.and_then(TaskOutcome::parse),
                note: r.get(8)?,
                assignee_id: r.get(9)?,
                appointment_id: r.get(10)?,
            })
        },
    )
}

/// The visits of `tasks` (each once, however many tasks it has), by id: from the cache, and
/// what it lacks from the database.
fn call_list_visits(
    db: &Db,
    cache: Option<&CallListCache>,
    tasks: &[&OpenTask],
    names: &CallListNames,
) -> Result<FxHashMap<Uuid, Arc<CallListVisit>>> {
    let mut ids: Vec<Uuid> = tasks.iter().map(|t| t.appointment_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let Some(cache) = cache else {
        return Ok(load_call_list_visits(db, ids, names)?.into_iter().map(|v| (v.id, v)).collect());
    };
    let (mut visits, missing, generation) = cache.lookup(&ids);
    if !missing.is_empty() {
        let read = load_call_list_visits(db, missing, names)?;
        cache.store(generation, read.iter().cloned());
        visits.extend(read.into_iter().map(|v| (v.id, v)));
    }
    Ok(visits)
}

/// The visits of `ids` with their patients. On SQLite the ids go as one array, in order, so
/// the lookups walk the covering indexes `appointments_call_list` and `patients_call_list`
/// forwards. They are named: without statistics (a clinic's database is never analysed)
/// SQLite prefers the unique primary-key index and a second lookup in the table for every row.
/// The server has statistics (ANALYZE after a move, then autovacuum) and picks its own way.
fn load_call_list_visits(db: &Db, ids: Vec<Uuid>, names: &CallListNames) -> Result<Vec<Arc<CallListVisit>>> {
    macro_rules! columns {
        () => {
            "SELECT a.id, a.starts_at, a.status, a.provider_id, a.service_type_id, p.id, p.given_name,
               p.family_name, p.phone, p.email, p.preferred_channel, p.preferred_language"
        };
    }
    let sql = db.per_engine(
        concat!(
            columns!(),
            " FROM rarray(?1) v
             JOIN appointments a INDEXED BY appointments_call_list ON a.id = v.value
             JOIN patients p INDEXED BY patients_call_list ON p.id = a.patient_id"
        ),
        concat!(columns!(), " FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.id = ANY(?1)"),
    );
    // A handful of languages over thousands of rows: each kept once.
    let mut languages: FxHashMap<String, Arc<str>> = FxHashMap::default();
    db.query_map(sql, &[&ids], |r| {
        let family_name: String = r.get(7)?;
        let language = r.get_text(11)?.unwrap_or_default();
        let language = match languages.get(language) {
            Some(known) => known.clone(),
            None => languages.entry(language.to_string()).or_insert_with(|| language.into()).clone(),
        };
        Ok(Arc::new(CallListVisit {
            id: r.get(0)?,
            starts_at: r.get(1)?,
            status: r.get_enum(2, AppointmentStatus::parse)?,
            provider_name: name_in(&names.providers, r.get_text(3)?.unwrap_or_default()),
            service_name: name_in(&names.services, r.get_text(4)?.unwrap_or_default()),
            patient_id: r.get(5)?,
            patient_name: crate::domain::patient::person_name(r.get_text(6)?.unwrap_or_default(), &family_name).into(),
            family_name,
            phone: r.get_text(8)?.unwrap_or_default().into(),
            email: r.get_text(9)?.map(Arc::from),
            preferred_channel: r.get_enum(10, Channel::parse)?,
            language,
        }))
    })
}

/// Names of the small tables a call-list row refers to, by id.
struct CallListNames {
    /// Rule id → (rule name, its stage's key).
    rules: FxHashMap<String, (Arc<str>, Arc<str>)>,
    providers: FxHashMap<String, Arc<str>>,
    services: FxHashMap<String, Arc<str>>,
    staff: FxHashMap<Uuid, Arc<str>>,
    /// A call to rebook's reason, in the clinic's content language.
    rebook_reason: Arc<str>,
}

impl CallListNames {
    fn load(db: &Db) -> Result<Self> {
        let names = |sql: &str| -> Result<FxHashMap<String, Arc<str>>> {
            db.query(sql, &[])?.iter().map(|r| Ok((r.get(0)?, r.get::<String>(1)?.into()))).collect()
        };
        let rules = db
            .query("SELECT r.id, r.name, s.key FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id", &[])?
            .iter()
            .map(|r| Ok((r.get(0)?, (r.get::<String>(1)?.into(), r.get::<String>(2)?.into()))))
            .collect::<Result<_>>()?;
        let staff = db
            .query("SELECT id, name FROM staff", &[])?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get::<String>(1)?.into())))
            .collect::<Result<_>>()?;
        let language: String =
            db.query_one("SELECT default_language FROM clinic_settings WHERE id = 'clinic'", &[])?.get(0)?;
        Ok(Self {
            rules,
            providers: names("SELECT id, name FROM providers")?,
            services: names("SELECT id, name FROM service_types")?,
            staff,
            rebook_reason: SheetWords::for_language(&language).rebook_reason.into(),
        })
    }
}

fn name_in(map: &FxHashMap<String, Arc<str>>, id: &str) -> Arc<str> {
    map.get(id).cloned().unwrap_or_else(|| Arc::from(""))
}
