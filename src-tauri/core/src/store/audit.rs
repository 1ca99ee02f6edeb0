//! The audit log: who changed what, when, in whose record, with the changed fields before and
//! after, written in the transaction of the change. Values are captured by temporary triggers
//! on the writer's connection (no writer has to remember to read a row first); the log is
//! append-only but for erasure, which blanks what it recorded about the erased patient.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use super::{Acting, Actor, Entity, Store, Write};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::ids::new_id;
use crate::error::Result;

/// Tables whose changed fields the log records, and the columns it leaves out (secrets,
/// counters, search keys). `created_at` and `updated_at` are left out everywhere.
const CAPTURED: &[(Entity, &[&str])] = &[
    (Entity::ClinicSettings, &[]),
    (Entity::Staff, &["login_secret_hash", "failed_sign_ins", "sign_in_locked_until"]),
    (Entity::Providers, &[]),
    (Entity::Rooms, &[]),
    (Entity::BlockedPeriods, &[]),
    (Entity::ServiceTypes, &[]),
    (Entity::JourneyTemplates, &[]),
    (Entity::ReminderRules, &[]),
    (Entity::Patients, &["search_key"]),
    (Entity::Appointments, &["revision"]),
    (Entity::AppointmentSeries, &[]),
    (Entity::WaitlistEntries, &[]),
    (Entity::ServiceStandards, &[]),
    (Entity::BackupPlan, &[]),
];

/// Tables with one row (their audit rows name no id).
const SINGLE_ROW: [Entity; 2] = [Entity::ClinicSettings, Entity::BackupPlan];

/// Entities whose rows belong to one patient (their audit rows name the patient).
const OF_A_PATIENT: [Entity; 6] = [
    Entity::Appointments,
    Entity::AppointmentSeries,
    Entity::WaitlistEntries,
    Entity::PatientJourneys,
    Entity::Tasks,
    Entity::SurveyResponses,
];

/// The tables whose changes are captured, with the columns left out of the log.
pub(crate) fn captured_tables() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    CAPTURED.iter().map(|(entity, left_out)| (entity.as_str(), *left_out))
}

/// Columns no audit row records (every table has them).
const NEVER_CAPTURED: [&str; 3] = ["id", "created_at", "updated_at"];

/// Creates the table the capture triggers fill, on a new connection (temporary: it lives with
/// the connection, never in the file, on the server's disk or in backups). On the server the
/// triggers are the schema's own (`audit_capture_row`) and capture nothing in a session without
/// this table (a restore, an administrator's psql).
pub(crate) fn prepare_capture_table(db: &Db) -> Result<()> {
    db.execute(
        db.per_engine(
            "CREATE TEMP TABLE IF NOT EXISTS audit_capture (
                 seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, before TEXT, after TEXT)",
            "CREATE TEMP TABLE IF NOT EXISTS audit_capture (
                 seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL,
                 before TEXT, after TEXT)",
        ),
        &[],
    )?;
    db.execute(
        db.per_engine(
            "CREATE INDEX IF NOT EXISTS temp.audit_capture_row ON audit_capture (tbl, row_id)",
            "CREATE INDEX IF NOT EXISTS audit_capture_row ON pg_temp.audit_capture (tbl, row_id)",
        ),
        &[],
    )?;
    Ok(())
}

/// Creates the capture triggers on the writer's connection, once its schema is up to date.
pub(super) fn prepare_capture(c: &Connection) -> Result<()> {
    for (entity, left_out) in CAPTURED {
        let table = entity.as_str();
        let old = row_json(c, table, left_out, "OLD.")?;
        let new = row_json(c, table, left_out, "NEW.")?;
        c.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS temp.audit_{table}_update;
             CREATE TEMP TRIGGER audit_{table}_update AFTER UPDATE ON main.{table} BEGIN
                 INSERT INTO audit_capture (tbl, row_id, before, after) VALUES ('{table}', OLD.id, {old}, {new});
             END;
             DROP TRIGGER IF EXISTS temp.audit_{table}_delete;
             CREATE TEMP TRIGGER audit_{table}_delete AFTER DELETE ON main.{table} BEGIN
                 INSERT INTO audit_capture (tbl, row_id, before, after) VALUES ('{table}', OLD.id, {old}, NULL);
             END;"
        ))?;
    }
    Ok(())
}

/// `json_object('name', <prefix>"name", …)` over a table's audited columns.
fn row_json(c: &Connection, table: &str, left_out: &[&str], prefix: &str) -> Result<String> {
    let mut stmt = c.prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))?;
    let columns = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let pairs: Vec<String> = columns
        .iter()
        .filter(|name| !NEVER_CAPTURED.contains(&name.as_str()) && !left_out.contains(&name.as_str()))
        .map(|name| format!("'{name}', {prefix}\"{name}\""))
        .collect();
    Ok(format!("json_object({})", pairs.join(", ")))
}

/// Clears what was captured but not audited (rows a write changed without an audit row).
pub(crate) fn forget_captured(db: &Db) -> Result<()> {
    db.execute("DELETE FROM audit_capture", &[])?;
    Ok(())
}

/// Appends one audit row for a change of `entity` `id`, with the acting staff member, the
/// patient whose record it is, and the captured changes of that row.
pub(super) fn append(w: &mut Write, entity: Entity, id: Uuid, action: &str, detail: &str) -> Result<()> {
    // The demo clinic's rows are made up: their thousands of values are not worth keeping.
    let changes = if w.actor == Actor::Demo { String::new() } else { changes_of(w.db(), entity, id)? };
    insert_row(w, entity, id, action, detail, &changes)
}

/// Appends one audit row for something done that changed no field: a sign-in or sign-out, a
/// record opened or given out.
pub(super) fn append_event(w: &mut Write, entity: Entity, id: Uuid, action: &str, detail: &str) -> Result<()> {
    insert_row(w, entity, id, action, detail, "")
}

fn insert_row(w: &mut Write, entity: Entity, id: Uuid, action: &str, detail: &str, changes: &str) -> Result<()> {
    let patient = patient_of(w.db(), entity, id)?;
    let (staff_id, staff_name) = match &w.acting {
        Acting::Staff(member) => (Some(member.staff_id.to_string()), member.name.as_str()),
        Acting::Desk | Acting::App => (None, ""),
    };
    // Kept statements: a bulk import appends one row per record it writes.
    w.db().execute(
        "INSERT INTO audit_log (id, at, actor, entity, entity_id, action, detail, staff_id, staff_name, patient_id, changes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            &new_id(),
            &w.now,
            &w.actor.as_str(),
            &entity.as_str(),
            &id,
            &action,
            &detail,
            &staff_id,
            &staff_name,
            &patient,
            &changes,
        ],
    )?;
    Ok(())
}

fn patient_of(db: &Db, entity: Entity, id: Uuid) -> Result<Option<Uuid>> {
    if entity == Entity::Patients {
        return Ok(Some(id));
    }
    if !OF_A_PATIENT.contains(&entity) {
        return Ok(None);
    }
    let sql = format!("SELECT patient_id FROM {} WHERE id = ?1", entity.as_str());
    Ok(db.query_opt(&sql, &[&id])?.map(|r| r.get::<Option<Uuid>>(0)).transpose()?.flatten())
}

/// The fields of `entity` `id` this write changed, as `{"field": [before, after]}`: from the
/// captured updates or deletion, else (a new row) its values now. Empty when nothing is known.
pub(crate) fn changes_of(db: &Db, entity: Entity, id: Uuid) -> Result<String> {
    let Some((_, left_out)) = CAPTURED.iter().find(|(e, _)| *e == entity) else {
        return Ok(String::new());
    };
    let table = entity.as_str();
    let any_row = SINGLE_ROW.contains(&entity);
    let captured: Vec<(Option<String>, Option<String>)> = db
        .query(
            "SELECT before, after FROM audit_capture WHERE tbl = ?1 AND (row_id = ?2 OR ?3) ORDER BY seq",
            &[&table, &id, &any_row],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect::<Result<_>>()?;
    let (before, after) = if let (Some(first), Some(last)) = (captured.first(), captured.last()) {
        db.execute("DELETE FROM audit_capture WHERE tbl = ?1 AND (row_id = ?2 OR ?3)", &[&table, &id, &any_row])?;
        (first.0.clone(), last.1.clone())
    } else {
        let row = match db {
            Db::Sqlite(c) => {
                let sql = format!("SELECT {} FROM main.{table} WHERE id = ?1", row_json(c, table, left_out, "")?);
                db.query_opt(&sql, &[&id])?
            }
            // The row as JSON without the columns left out, as the capture trigger writes it.
            Db::Postgres(..) => {
                let left_out: Vec<String> = NEVER_CAPTURED.iter().chain(*left_out).map(|c| c.to_string()).collect();
                let sql = format!("SELECT CAST(to_jsonb(t) - CAST(?2 AS TEXT[]) AS TEXT) FROM {table} t WHERE id = ?1");
                db.query_opt(&sql, &[&id, &crate::db::Value::TextList(left_out)])?
            }
        };
        (None, row.map(|r| r.get::<String>(0)).transpose()?)
    };
    Ok(field_changes(before.as_deref(), after.as_deref()))
}

/// The fields that differ between two JSON rows (either may be missing: a new or a deleted row).
fn field_changes(before: Option<&str>, after: Option<&str>) -> String {
    let parse = |text: Option<&str>| -> Map<String, Value> {
        text.and_then(|t| serde_json::from_str::<Map<String, Value>>(t).ok()).unwrap_or_default()
    };
    let (before, after) = (parse(before), parse(after));
    let mut changed = Map::new();
    for field in before.keys().chain(after.keys()) {
        let (old, new) = (before.get(field).unwrap_or(&Value::Null), after.get(field).unwrap_or(&Value::Null));
        if old != new && !changed.contains_key(field) {
            changed.insert(field.clone(), Value::Array(vec![old.clone(), new.clone()]));
        }
    }
    if changed.is_empty() {
        String::new()
    } else {
        Value::Object(changed).to_string()
    }
}

/// Which audit rows to list: by staff member (name), patient, clinic-local dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditLogQuery {
    pub staff: Option<String>,
    pub patient: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// At most this many rows, newest first (0: 500).
    #[serde(default)]
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditLogEntry {
    pub at: DateTime<Utc>,
    /// Who: the staff member's name then (empty for the desk before sign-in and the app).
    pub staff_name: String,
    /// Where it came from: user, command_line, scheduler, demo, system, import.
    pub source: String,
    pub entity: Entity,
    pub entity_id: String,
    pub action: String,
    pub detail: String,
    pub patient_id: Option<Uuid>,
    /// The patient's name now (after erasure, the name it was replaced with).
    pub patient_name: Option<String>,
    pub changes: Vec<FieldChange>,
    /// What this row recorded about its patient was erased on request.
    pub erased: bool,
}

/// One changed field; values as text (`None` for empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn field_list(changes: &str) -> Vec<FieldChange> {
    let text = |v: &Value| match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    };
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(changes) else { return Vec::new() };
    fields
        .into_iter()
        .filter_map(|(field, pair)| match pair {
            Value::Array(pair) if pair.len() == 2 => {
                Some(FieldChange { field, before: text(&pair[0]), after: text(&pair[1]) })
            }
            _ => None,
        })
        .collect()
}

/// Everything a clinic holds about one patient, as one JSON document.
pub type PatientDataFile = Value;

impl Store {
    /// The audit log, newest first: for administrators.
    pub fn audit_log(&self, actor: Actor, query: &AuditLogQuery) -> Result<Vec<AuditLogEntry>> {
        self.check_work(actor, Work::Records)?;
        let calendar = self.calendar()?;
        let from = query.from.map(|d| calendar.day_bounds(d).0);
        let to = query.to.map(|d| calendar.day_bounds(d).1);
        let limit = if query.limit == 0 { 500 } else { query.limit };
        self.read_db(|db| {
            // Rows of one instant in the order written (the file's row ids, the server's `seq`).
            let written = db.per_engine("a.rowid", "a.seq");
            db.query_map(
                &format!(
                    "SELECT a.at, a.staff_name, a.actor, a.entity, a.entity_id, a.action, a.detail, a.patient_id,
                            CASE WHEN p.id IS NOT NULL THEN person_name(p.given_name, p.family_name) END, a.changes
                     FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id
                     WHERE (CAST(?1 AS TEXT) IS NULL OR lower(a.staff_name) = lower(?1))
                       AND (CAST(?2 AS TEXT) IS NULL OR a.patient_id = ?2)
                       AND (CAST(?3 AS BIGINT) IS NULL OR a.at >= ?3) AND (CAST(?4 AS BIGINT) IS NULL OR a.at < ?4)
                     ORDER BY a.at DESC, {written} DESC LIMIT ?5"
                ),
                &[&query.staff.as_deref().map(str::trim), &query.patient, &from, &to, &limit],
                |r| {
                    let changes = r.get_text(9)?.unwrap_or_default();
                    Ok(AuditLogEntry {
                        at: r.get(0)?,
                        staff_name: r.get(1)?,
                        source: r.get(2)?,
                        entity: r.get_enum(3, Entity::parse)?,
                        entity_id: r.get(4)?,
                        action: r.get(5)?,
                        detail: r.get(6)?,
                        patient_id: r.get(7)?,
                        patient_name: r.get(8)?,
                        erased: changes == "erased",
                        changes: field_list(changes),
                    })
                },
            )
        })
    }

    /// The audit log as CSV (one row per changed field, or one for a row without changes).
    pub fn audit_log_csv(&self, actor: Actor, query: &AuditLogQuery) -> Result<String> {
        let entries = self.audit_log(actor, query)?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let header =
            ["at", "staff", "source", "entity", "id", "action", "detail", "patient", "field", "before", "after"];
        out.write_record(header).map_err(csv_error)?;
        for e in &entries {
            let at = e.at.to_rfc3339();
            let patient = e.patient_name.clone().unwrap_or_default();
            let base = [&at, &e.staff_name, &e.source, e.entity.as_str(), &e.entity_id, &e.action, &e.detail, &patient];
            let fields: Vec<(&str, &str, &str)> = if e.changes.is_empty() {
                vec![("", "", "")]
            } else {
                e.changes
                    .iter()
                    .map(|f| (f.field.as_str(), f.before.as_deref().unwrap_or(""), f.after.as_deref().unwrap_or("")))
                    .collect()
            };
            for (field, before, after) in fields {
                let mut record: Vec<&str> = base.to_vec();
                record.extend([field, before, after]);
                out.write_record(record).map_err(csv_error)?;
            }
        }
        String::from_utf8(out.into_inner().map_err(|e| csv_error(e.into_error().into()))?)
            .map_err(|e| crate::Error::Internal(e.to_string()))
    }

    /// A patient's record, opened by the person at the desk: the opening is in the audit log.
    pub fn open_patient_record(&self, actor: Actor, id: Uuid) -> Result<crate::domain::patient::Patient> {
        let patient = self.get_patient(id)?;
        self.log_access(actor, id, "open")?;
        Ok(patient)
    }

    /// An audit row for a read (no change: nothing to announce, nothing to re-plan).
    fn log_access(&self, actor: Actor, patient_id: Uuid, action: &str) -> Result<()> {
        // Anyone signed in may open a record; nobody, where the clinic has sign-in.
        self.write_checked(
            actor,
            |db| self.acting(db, actor),
            |w| append_event(w, Entity::Patients, patient_id, action, ""),
        )
    }

    /// Everything held about one patient (their record, visits, series, waiting list, journeys
    /// with their stages, tasks with their calls, surveys and the audit rows about them), for
    /// giving it to them. Audited.
    pub fn patient_data(&self, actor: Actor, id: Uuid) -> Result<PatientDataFile> {
        self.check_work(actor, Work::Records)?;
        let patient = self.get_patient(id)?;
        let audit =
            self.audit_log(actor, &AuditLogQuery { patient: Some(id), limit: u32::MAX, ..Default::default() })?;
        let mut file = self.read_db(|db| {
            let mut file = Map::new();
            file.insert("exported_at".into(), Value::String(self.now().to_rfc3339()));
            file.insert("patient".into(), serde_json::to_value(&patient).unwrap_or_default());
            for (table, order) in [
                ("appointments", "starts_at"),
                ("appointment_series", "created_at"),
                ("waitlist_entries", "created_at"),
                ("patient_journeys", "started_at"),
                ("tasks", "due_at, rule_id, kind"),
                ("survey_responses", "at"),
            ] {
                let sql = format!("SELECT * FROM {table} WHERE patient_id = ?1 ORDER BY {order}, id");
                file.insert(table.into(), Value::Array(rows_as_json(db, &sql, id)?));
            }
            file.insert(
                "stage_events".into(),
                Value::Array(rows_as_json(
                    db,
                    "SELECT e.id, e.journey_id, e.stage_id, e.kind, e.at, e.actor
                     FROM stage_events e JOIN patient_journeys j ON j.id = e.journey_id WHERE j.patient_id = ?1
                     ORDER BY e.at, e.id",
                    id,
                )?),
            );
            file.insert(
                "task_attempts".into(),
                Value::Array(rows_as_json(
                    db,
                    "SELECT a.* FROM task_attempts a JOIN tasks t ON t.id = a.task_id WHERE t.patient_id = ?1
                     ORDER BY a.at, a.id",
                    id,
                )?),
            );
            Ok(file)
        })?;
        file.insert("audit_log".into(), serde_json::to_value(&audit).unwrap_or_default());
        self.log_access(actor, id, "export")?;
        Ok(Value::Object(file))
    }

    /// Erases a patient on their request: their identifying fields are replaced (the name by
    /// "Erased" and a short code, contacts and notes emptied, no contact any more), free text
    /// about them in visits, calls, the waiting list and surveys emptied, and what the audit
    /// log recorded about them blanked. Their visits, journeys and answers stay, as counts for
    /// the clinic's figures. Audited, in one transaction.
    pub fn erase_patient(&self, actor: Actor, id: Uuid) -> Result<()> {
        self.write(actor, Work::Records, |w| {
            super::patients::load_patient(w.db(), id)?;
            let code = id.to_string()[..8].to_string();
            w.db().execute(
                "UPDATE patients SET given_name = 'Erased', family_name = ?2, birth_date = NULL, phone = '',
                        phone_alt = NULL, email = NULL, notes = '', consent_reminders = 0, do_not_contact = 1,
                        search_key = '', updated_at = ?3 WHERE id = ?1",
                &[&id, &code, &w.now],
            )?;
            for sql in [
                "UPDATE appointments SET notes = '' WHERE patient_id = ?1 AND notes <> ''",
                "UPDATE waitlist_entries SET notes = '' WHERE patient_id = ?1 AND notes <> ''",
                "UPDATE survey_responses SET comment = '' WHERE patient_id = ?1 AND comment <> ''",
                "UPDATE tasks SET note = '' WHERE patient_id = ?1 AND note <> ''",
                "UPDATE task_attempts SET note = '' WHERE note <> '' AND task_id IN (SELECT id FROM tasks WHERE patient_id = ?1)",
                "UPDATE audit_log SET changes = 'erased', detail = '' WHERE (patient_id = ?1 OR (entity = 'patients' AND entity_id = ?1))
                    AND changes <> 'erased'",
            ] {
                w.db().execute(sql, &[&id])?;
            }
            forget_captured(w.db())?;
            w.audit(Entity::Patients, id, "erase", "")?;
            w.db().execute(
                "UPDATE audit_log SET changes = 'erased' WHERE entity = 'patients' AND entity_id = ?1 AND action = 'erase'",
                &[&id],
            )?;
            Ok(())
        })
    }
}

fn csv_error(e: csv::Error) -> crate::Error {
    crate::Error::Internal(format!("The CSV could not be written: {e}"))
}

/// Every row `sql` (with `?1` = `id`) returns, as JSON objects of all its columns.
fn rows_as_json(db: &Db, sql: &str, id: Uuid) -> Result<Vec<Value>> {
    let (names, rows) = db.query_named(sql, &[&id])?;
    Ok(rows
        .iter()
        .map(|row| {
            let object = names.iter().zip(row.values()).map(|(name, value)| {
                let value = match value {
                    crate::db::Value::Integer(n) => Value::from(*n),
                    crate::db::Value::Text(text) => Value::String(text.clone()),
                    crate::db::Value::Null | crate::db::Value::TextList(_) => Value::Null,
                };
                (name.clone(), value)
            });
            Value::Object(object.collect())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_changes_name_what_differs() {
        assert_eq!(field_changes(Some(r#"{"a":1,"b":"x"}"#), Some(r#"{"a":1,"b":"y"}"#)), r#"{"b":["x","y"]}"#);
        assert_eq!(field_changes(None, Some(r#"{"a":1,"b":null}"#)), r#"{"a":[null,1]}"#);
        assert_eq!(field_changes(Some(r#"{"a":1}"#), None), r#"{"a":[1,null]}"#);
        assert_eq!(field_changes(Some(r#"{"a":1}"#), Some(r#"{"a":1}"#)), "");
        let fields = field_list(r#"{"phone":["+371 2000","+371 3000"],"email":[null,"a@b.lv"]}"#);
        assert_eq!(fields.len(), 2);
        assert!(fields.contains(&FieldChange { field: "email".into(), before: None, after: Some("a@b.lv".into()) }));
        assert!(field_list("erased").is_empty());
    }
}
