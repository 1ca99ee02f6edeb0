//! Exports of the clinic's records in standard formats (iCalendar, CSV, FHIR R4), and the
//! calendar files kept current in folders the administrator picked. Data leaving the clinic
//! is an administrator's work (records) and is written to the audit log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Actor, Entity, Store};
use crate::db::{Db, ToValue};
use crate::domain::access::Work;
use crate::domain::ids::new_id;
use crate::domain::reminders::{Anchor, OffsetUnit};
use crate::domain::tasks::{TaskOutcome, TaskStatus};
use crate::error::{Error, Refusal, Result};
use crate::interchange::ics::{CalendarOptions, PatientDetail};
use crate::interchange::records::{Attempt, Named, Records, TaskRecord, Visit};
use crate::interchange::{csv_out, fhir_out, ics};

/// Whose visits an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ExportScope {
    Clinic,
    Provider(Uuid),
    Room(Uuid),
    Patient(Uuid),
}

/// The file an export makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordsFormat {
    Ics,
    CsvPatients,
    CsvAppointments,
    CsvTasks,
    FhirBundle,
    FhirNdjson,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    pub format: RecordsFormat,
    pub scope: ExportScope,
    /// Calendar files: how much of the patient an event shows.
    pub detail: PatientDetail,
    /// Calendar files: display alarms at the reminder times.
    pub alarms: bool,
}

/// An export made in memory: its suggested name and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub stem: String,
    pub extension: &'static str,
    pub bytes: Vec<u8>,
    /// Rows or resources written.
    pub count: u32,
}

/// An export written into a folder: where, and how many records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportSaved {
    pub path: String,
    pub count: u32,
}

/// A calendar file kept current in a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarFeed {
    pub id: Uuid,
    pub folder: String,
    pub scope: ExportScope,
    pub detail: PatientDetail,
    pub alarms: bool,
    /// The file's full path.
    pub file: String,
    pub written_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The records an export of `scope` holds (every patient for the whole clinic; the
    /// patients of the visits otherwise).
    fn export_records(&self, scope: ExportScope, people: bool) -> Result<Records> {
        self.read_db(|db| load_records(db, scope, people))
    }

    /// Makes an export after checking who asks; written to the audit log with its count.
    pub fn export(&self, actor: Actor, request: &ExportRequest) -> Result<ExportFile> {
        self.check_work(actor, Work::Records)?;
        let file = self.make_export(request)?;
        let scope_id = match request.scope {
            ExportScope::Clinic => Uuid::nil(),
            ExportScope::Provider(id) | ExportScope::Room(id) | ExportScope::Patient(id) => id,
        };
        let entity = match request.scope {
            ExportScope::Patient(_) => Entity::Patients,
            _ => Entity::ClinicSettings,
        };
        let detail = format!("{} {}: {}", file.stem, file.extension, file.count);
        self.write(actor, Work::Records, |w| super::audit::append_event(w, entity, scope_id, "export", &detail))?;
        Ok(file)
    }

    fn make_export(&self, request: &ExportRequest) -> Result<ExportFile> {
        // A calendar file needs the visits only (it is rewritten after every change).
        let records = self.export_records(request.scope, request.format != RecordsFormat::Ics)?;
        let calendar = self.calendar()?;
        let stem = |what: &str| crate::export_files::stamped(what, &calendar, self.now());
        let file = match request.format {
            RecordsFormat::Ics => {
                let options = CalendarOptions {
                    name: calendar_name(&records, request.scope),
                    detail: request.detail,
                    alarms: request.alarms,
                };
                let text = ics::calendar(&records.visits, &options, self.now());
                ExportFile {
                    stem: stem("calendar"),
                    extension: "ics",
                    bytes: text.into_bytes(),
                    count: records.visits.len() as u32,
                }
            }
            RecordsFormat::CsvPatients => ExportFile {
                stem: stem("patients"),
                extension: "csv",
                bytes: csv_out::patients(&records)?,
                count: records.patients.len() as u32,
            },
            RecordsFormat::CsvAppointments => ExportFile {
                stem: stem("appointments"),
                extension: "csv",
                bytes: csv_out::appointments(&records, &calendar)?,
                count: records.visits.len() as u32,
            },
            RecordsFormat::CsvTasks => ExportFile {
                stem: stem("tasks"),
                extension: "csv",
                bytes: csv_out::tasks(&records, &calendar)?,
                count: records.tasks.len() as u32,
            },
            RecordsFormat::FhirBundle => {
                let bundle = fhir_out::bundle(&records, self.now());
                let count = bundle["entry"].as_array().map_or(0, Vec::len) as u32;
                let bytes = serde_json::to_vec_pretty(&bundle).map_err(|e| Error::Internal(e.to_string()))?;
                ExportFile { stem: stem("fhir-bundle"), extension: "json", bytes, count }
            }
            RecordsFormat::FhirNdjson => {
                let text = fhir_out::ndjson(&records);
                let count = text.lines().count() as u32;
                ExportFile { stem: stem("fhir"), extension: "ndjson", bytes: text.into_bytes(), count }
            }
        };
        Ok(file)
    }

    /// The calendar files kept current.
    pub fn calendar_feeds(&self, actor: Actor) -> Result<Vec<CalendarFeed>> {
        self.check_work(actor, Work::Records)?;
        self.read_db(load_feeds)
    }

    /// Keeps a calendar file of `scope` current in `folder` (written now, and again after
    /// every change of the visits it shows). A clinic on its server has its files kept by the
    /// desk that plans its day (`refresh_calendar_feeds`): a folder that desk reaches (a shared
    /// one) is kept current; this desk writes it once now, to check the folder.
    pub fn add_calendar_feed(
        &self,
        actor: Actor,
        folder: &Path,
        scope: ExportScope,
        detail: PatientDetail,
        alarms: bool,
    ) -> Result<CalendarFeed> {
        if !folder.is_absolute() {
            return Err(Error::refused("folder", Refusal::RelativeFolder { value: folder.display().to_string() }));
        }
        self.check_work(actor, Work::Records)?;
        if matches!(scope, ExportScope::Patient(_)) {
            return Err(Error::refused("scope", Refusal::FeedScope));
        }
        let id = new_id();
        let (kind, scope_id) = scope_columns(scope);
        // Written once before it is kept, so a folder that cannot take it is refused now.
        self.write_feed_file(folder, scope, detail, alarms)?;
        self.write(actor, Work::Records, |w| {
            w.db().execute(
                "INSERT INTO calendar_feeds (id, folder, scope, scope_id, detail, alarms, written_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                &[&id, &folder.display().to_string(), &kind, &scope_id, &detail.as_str(), &alarms, &w.now],
            )?;
            super::audit::append_event(w, Entity::ClinicSettings, id, "calendar_feed", &folder.display().to_string())
        })?;
        self.read_db(load_feeds)?.into_iter().find(|f| f.id == id).ok_or_else(|| super::not_found("calendar feed", id))
    }

    /// Writes the calendar file of `scope` into `folder` (made if missing), replacing the last.
    fn write_feed_file(&self, folder: &Path, scope: ExportScope, detail: PatientDetail, alarms: bool) -> Result<()> {
        let request = ExportRequest { format: RecordsFormat::Ics, scope, detail, alarms };
        let file = self.make_export(&request)?;
        std::fs::create_dir_all(folder).map_err(|e| {
            Error::refused("folder", Refusal::NoFolder { detail: format!("{}: {e}", folder.display()) })
        })?;
        crate::export_files::write_new(&folder.join(feed_file_name(scope)), &file.bytes, true)
    }

    pub fn remove_calendar_feed(&self, actor: Actor, id: Uuid) -> Result<()> {
        self.write(actor, Work::Records, |w| {
            let removed = w.db().execute("DELETE FROM calendar_feeds WHERE id = ?1", &[&id])?;
            if removed == 0 {
                return Err(super::not_found("calendar feed", id));
            }
            super::audit::append_event(w, Entity::ClinicSettings, id, "calendar_feed_removed", "")
        })
    }

    /// Writes every kept-current calendar file anew (after a change of visits, at start): on
    /// a clinic's server, only at the desk that plans its day. A feed whose folder is not
    /// there (a stick pulled out, another PC's folder) is skipped and tried again next time,
    /// never made anew.
    pub fn refresh_calendar_feeds(&self) -> Result<u32> {
        if !self.plans_here()? {
            return Ok(0);
        }
        let feeds = self.read_db(load_feeds)?;
        let mut written = 0;
        for feed in feeds {
            let folder = Path::new(&feed.folder);
            if folder.is_dir() && self.write_feed_file(folder, feed.scope, feed.detail, feed.alarms).is_ok() {
                self.write(Actor::System, Work::Records, |w| {
                    w.db().execute("UPDATE calendar_feeds SET written_at = ?2 WHERE id = ?1", &[&feed.id, &w.now])?;
                    Ok(())
                })?;
                written += 1;
            }
        }
        Ok(written)
    }
}

fn scope_columns(scope: ExportScope) -> (&'static str, Option<String>) {
    match scope {
        ExportScope::Clinic => ("clinic", None),
        ExportScope::Provider(id) => ("provider", Some(id.to_string())),
        ExportScope::Room(id) => ("room", Some(id.to_string())),
        ExportScope::Patient(id) => ("patient", Some(id.to_string())),
    }
}

fn load_feeds(db: &Db) -> Result<Vec<CalendarFeed>> {
    db.query_map(
        "SELECT id, folder, scope, scope_id, detail, alarms, written_at FROM calendar_feeds ORDER BY created_at",
        &[],
        |r| {
            let scope = match (r.get_text(2)?.unwrap_or_default(), r.get(3)?) {
                ("provider", Some(id)) => ExportScope::Provider(id),
                ("room", Some(id)) => ExportScope::Room(id),
                _ => ExportScope::Clinic,
            };
            let folder: String = r.get(1)?;
            Ok(CalendarFeed {
                id: r.get(0)?,
                file: PathBuf::from(&folder).join(feed_file_name(scope)).display().to_string(),
                folder,
                scope,
                detail: r.get_enum(4, PatientDetail::parse)?,
                alarms: r.get(5)?,
                written_at: r.get(6)?,
            })
        },
    )
}

/// A feed's file name stays the same, so that a subscription keeps reading it.
fn feed_file_name(scope: ExportScope) -> String {
    match scope {
        ExportScope::Clinic => "clinic-journey.ics".into(),
        ExportScope::Provider(id) => format!("clinic-journey-provider-{id}.ics"),
        ExportScope::Room(id) => format!("clinic-journey-room-{id}.ics"),
        ExportScope::Patient(id) => format!("clinic-journey-patient-{id}.ics"),
    }
}

fn calendar_name(records: &Records, scope: ExportScope) -> String {
    let of = |list: &[Named], id: Uuid| list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default();
    match scope {
        ExportScope::Clinic => records.clinic_name.clone(),
        ExportScope::Provider(id) => format!("{} — {}", records.clinic_name, of(&records.providers, id)),
        ExportScope::Room(id) => format!("{} — {}", records.clinic_name, of(&records.rooms, id)),
        ExportScope::Patient(_) => records.clinic_name.clone(),
    }
}

/// The records of `scope`; with `people`, also the patients and (for the clinic) the tasks.
pub(super) fn load_records(db: &Db, scope: ExportScope, people: bool) -> Result<Records> {
    let settings = super::settings::read_settings(db)?;
    let (filter, id) = match scope {
        ExportScope::Clinic => ("1 = 1", None),
        ExportScope::Provider(id) => ("a.provider_id = ?1", Some(id)),
        ExportScope::Room(id) => ("a.room_id = ?1", Some(id)),
        ExportScope::Patient(id) => ("a.patient_id = ?1", Some(id)),
    };
    let params: Vec<&dyn ToValue> = id.iter().map(|id| id as &dyn ToValue).collect();
    let named = |sql: &str| -> Result<Vec<Named>> {
        db.query_map(sql, &[], |r| Ok(Named { id: r.get(0)?, name: r.get(1)?, detail: r.get(2)?, active: r.get(3)? }))
    };
    let providers = named("SELECT id, name, specialty, active FROM providers ORDER BY name")?;
    let rooms = named("SELECT id, name, '', active FROM rooms ORDER BY name")?;
    let alarms = alarm_minutes(db)?;
    let visits = db.query_map(
        &format!(
            "SELECT a.id, a.patient_id, p.given_name, p.family_name, a.provider_id, v.name, a.room_id, r.name, s.name,
               a.starts_at, a.ends_at, a.status, a.cancel_reason, a.notes, a.revision, a.created_at, a.updated_at,
               j.template_id
             FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
               JOIN rooms r ON r.id = a.room_id JOIN service_types s ON s.id = a.service_type_id
               LEFT JOIN patient_journeys j ON j.appointment_id = a.id
             WHERE {filter} ORDER BY a.starts_at, a.id"
        ),
        &params,
        |r| {
            let template: Option<Uuid> = r.get(17)?;
            Ok(Visit {
                id: r.get(0)?,
                patient_id: r.get(1)?,
                patient_given: r.get(2)?,
                patient_family: r.get(3)?,
                provider_id: r.get(4)?,
                provider_name: r.get(5)?,
                room_id: r.get(6)?,
                room_name: r.get(7)?,
                service_name: r.get(8)?,
                starts_at: r.get(9)?,
                ends_at: r.get(10)?,
                status: r.get_enum(11, crate::domain::appointment::AppointmentStatus::parse)?,
                cancel_reason: r.get(12)?,
                notes: r.get(13)?,
                revision: r.get(14)?,
                created_at: r.get(15)?,
                updated_at: r.get(16)?,
                reminder_minutes: template.and_then(|t| alarms.get(&t).cloned()).unwrap_or_default(),
            })
        },
    )?;
    let patients = match scope {
        _ if !people => Vec::new(),
        ExportScope::Clinic => super::patients::all_patients(db)?,
        _ => {
            let ids: std::collections::BTreeSet<Uuid> = visits.iter().map(|v| v.patient_id).collect();
            ids.into_iter().map(|id| super::patients::load_patient(db, id)).collect::<Result<Vec<_>>>()?
        }
    };
    let tasks = match scope {
        ExportScope::Clinic if people => load_tasks(db)?,
        _ => Vec::new(),
    };
    Ok(Records { clinic_name: settings.name, time_zone: settings.time_zone, patients, providers, rooms, visits, tasks })
}

/// Per journey template, the minutes before a visit at which its reminder rules act (rules
/// counted from the start, in minutes, hours or days).
fn alarm_minutes(db: &Db) -> Result<HashMap<Uuid, Vec<u32>>> {
    let rules = super::reminders::rules_by_template(db, None)?;
    Ok(rules
        .into_iter()
        .map(|(template, rules)| {
            let mut minutes: Vec<u32> = rules
                .iter()
                .filter(|r| r.anchor == Anchor::AppointmentStart && r.offset_amount < 0)
                .filter_map(|r| {
                    let n = r.offset_amount.unsigned_abs();
                    match r.offset_unit {
                        OffsetUnit::Minutes => Some(n),
                        OffsetUnit::Hours => Some(n * 60),
                        OffsetUnit::Days => Some(n * 1440),
                        OffsetUnit::WorkingDays | OffsetUnit::Months => None,
                    }
                })
                .collect();
            minutes.sort_unstable_by(|a, b| b.cmp(a));
            minutes.dedup();
            (template, minutes)
        })
        .collect())
}

fn load_tasks(db: &Db) -> Result<Vec<TaskRecord>> {
    let mut attempts: HashMap<Uuid, Vec<Attempt>> = HashMap::new();
    db.query_map("SELECT id, task_id, at, outcome, note, actor FROM task_attempts ORDER BY at, id", &[], |r| {
        let attempt = Attempt {
            id: r.get(0)?,
            at: r.get(2)?,
            outcome: r.get_enum(3, TaskOutcome::parse)?,
            note: r.get(4)?,
            actor: r.get(5)?,
        };
        attempts.entry(r.get(1)?).or_default().push(attempt);
        Ok(())
    })?;
    let mut tasks = db.query_map(
        "SELECT t.id, t.appointment_id, t.patient_id, coalesce(r.name, 'Rebook'), t.kind, t.role, t.due_at, t.expires_at,
           t.status, t.note, t.created_at, t.updated_at
         FROM tasks t LEFT JOIN reminder_rules r ON r.id = t.rule_id ORDER BY t.due_at, t.id",
        &[],
        |r| {
            Ok(TaskRecord {
                id: r.get(0)?,
                appointment_id: r.get(1)?,
                patient_id: r.get(2)?,
                name: r.get(3)?,
                kind: r.get(4)?,
                role: r.get(5)?,
                due_at: r.get(6)?,
                expires_at: r.get(7)?,
                status: r.get_enum(8, TaskStatus::parse)?,
                note: r.get(9)?,
                created_at: r.get(10)?,
                updated_at: r.get(11)?,
                attempts: Vec::new(),
            })
        },
    )?;
    for t in &mut tasks {
        t.attempts = attempts.remove(&t.id).unwrap_or_default();
    }
    Ok(tasks)
}
