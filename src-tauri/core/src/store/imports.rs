//! Imports of patients and appointments (CSV, FHIR R4): the file is read into rows, checked
//! row by row against the clinic (every problem reported with its line, column and value),
//! duplicates found and settled as the user chose, and then written in one transaction or not
//! at all. A dry run does everything but the writing. An import is an administrator's work,
//! done as the staff member signed in, and every row it writes is in the audit log.

use std::collections::{BTreeMap, HashMap};

use crate::db::Db;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{ts, Actor, Entity, Store, Write};
use crate::domain::access::Work;
use crate::domain::appointment::{Appointment, AppointmentStatus};
use crate::domain::clinic::ClinicCalendar;
use crate::domain::ids::new_id;
use crate::domain::patient::{fold_for_search, person_name, ValidPatient};
use crate::error::{Error, Refusal, Result};
use crate::interchange::csv_in::{self, Mapping, MappingProposal};
use crate::interchange::import::{
    problem_of, AppointmentRow, DuplicateChoice, DuplicateReason, DuplicateRow, ImportKind, ImportReport, NamedRef,
    Parsed, PatientRef, PatientRow, RowProblem, SampleRow,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum ImportFormat {
    Csv,
    Fhir,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportRequest {
    pub format: ImportFormat,
    /// What a CSV file holds (a FHIR file says so itself).
    pub kind: ImportKind,
    /// A CSV file's columns for our fields; none: the one remembered for this header, or a guess.
    pub mapping: Option<Mapping>,
    /// What to do with patients the clinic seems to have already.
    pub on_duplicate: DuplicateChoice,
    /// The user's choice for single rows, by line.
    pub choices: BTreeMap<u32, DuplicateChoice>,
    pub dry_run: bool,
}

/// At most how many rows an import writes between reports of its progress (each also a
/// chance to cancel); a small import reports every hundredth of its rows.
const PROGRESS_EVERY: u32 = 250;

impl Store {
    /// Refused unless `actor` may import (before the window hands over a file).
    pub fn check_import(&self, actor: Actor) -> Result<()> {
        self.check_work(actor, Work::ClinicSetup).map(|_| ())
    }

    /// The mapping step of a CSV import: the file's columns, and the mapping remembered for
    /// files with this header or else one guessed from it.
    pub fn import_mapping(&self, actor: Actor, kind: ImportKind, bytes: &[u8]) -> Result<MappingProposal> {
        self.check_work(actor, Work::ClinicSetup)?;
        let table = csv_in::read_table(bytes)?;
        let remembered = self.read_db(|db| remembered_mapping(db, kind, &table.headers))?;
        Ok(MappingProposal {
            kind,
            fields: csv_in::fields(kind).iter().map(|f| f.to_string()).collect(),
            required: csv_in::required(kind),
            remembered: remembered.is_some(),
            mapping: remembered.unwrap_or_else(|| csv_in::guess_mapping(kind, &table.headers)),
            rows: table.rows.len() as u32,
            first_rows: table.rows.iter().take(5).map(|(_, row)| row.clone()).collect(),
            columns: table.headers,
            encoding: table.encoding,
            separator: table.separator,
        })
    }

    /// Reads `bytes` as `request` says and imports them, or (dry run, or any problem) only
    /// reports what would happen. `progress(done, total)` is called as rows are written;
    /// when it returns false the import stops and nothing is written.
    pub fn import(
        &self,
        actor: Actor,
        request: &ImportRequest,
        bytes: &[u8],
        progress: &dyn Fn(u32, u32) -> bool,
    ) -> Result<ImportReport> {
        self.check_work(actor, Work::ClinicSetup)?;
        let settings = self.get_settings()?;
        let calendar = self.calendar()?;
        let now = self.now();
        let (parsed, mapping) = match request.format {
            ImportFormat::Csv => {
                let table = csv_in::read_table(bytes)?;
                let mapping = match &request.mapping {
                    Some(mapping) => mapping.clone(),
                    None => self
                        .read_db(|db| remembered_mapping(db, request.kind, &table.headers))?
                        .unwrap_or_else(|| csv_in::guess_mapping(request.kind, &table.headers)),
                };
                let parsed = match request.kind {
                    ImportKind::Patients => csv_in::patients(&table, &mapping, &settings.default_language),
                    ImportKind::Appointments => csv_in::appointments(&table, &mapping, &calendar, now),
                };
                (parsed, Some((csv_in::source_key(&table.headers), mapping)))
            }
            ImportFormat::Fhir => (crate::interchange::fhir_in::read(bytes, &settings.default_language)?, None),
        };
        if parsed.rows == 0 {
            return Err(Error::refused("file", Refusal::NoRowsToImport));
        }
        if request.dry_run {
            let mut parsed = Some(parsed);
            return self.read_db(|db| {
                let parsed = parsed.take().ok_or_else(|| Error::Internal("an import read twice".into()))?;
                Ok(resolve(db, &calendar, now, parsed, request)?.report)
            });
        }
        // On the file the rows go into the write whole, not copied (it runs once); on the
        // server a write runs again after a lost link, so each run takes a copy.
        let on_file = self.is_file();
        let mut parsed = Some(parsed);
        self.write(Actor::Import, Work::ClinicSetup, |w| {
            let rows = if on_file { parsed.take() } else { parsed.clone() };
            let rows = rows.ok_or_else(|| Error::Internal("an import written twice on the file".into()))?;
            let resolved = resolve(w.db(), &calendar, now, rows, request)?;
            if !resolved.report.problems.is_empty() {
                return Ok(resolved.report);
            }
            let report = apply(w, resolved, progress)?;
            if let Some((source, mapping)) = &mapping {
                remember_mapping(w, request.kind, source, mapping)?;
            }
            let summary = format!(
                "patients: {} added, {} merged, {} skipped; appointments: {} added",
                report.patients_added, report.patients_merged, report.patients_skipped, report.appointments_added
            );
            super::audit::append_event(w, Entity::ClinicSettings, Uuid::nil(), "import", &summary)?;
            Ok(report)
        })
    }
}

fn remembered_mapping(db: &Db, kind: ImportKind, headers: &[String]) -> Result<Option<Mapping>> {
    let text: Option<String> = db
        .query_opt(
            "SELECT mapping FROM import_mappings WHERE kind = ?1 AND source = ?2",
            &[&kind.as_str(), &csv_in::source_key(headers)],
        )?
        .map(|r| r.get(0))
        .transpose()?;
    // A mapping naming a column this header lacks is not this file's.
    Ok(text
        .and_then(|t| serde_json::from_str::<Mapping>(&t).ok())
        .filter(|m| m.values().all(|column| headers.contains(column))))
}

fn remember_mapping(w: &mut Write, kind: ImportKind, source: &str, mapping: &Mapping) -> Result<()> {
    let text = serde_json::to_string(mapping).map_err(|e| Error::Internal(e.to_string()))?;
    w.db().execute(
        "INSERT INTO import_mappings (kind, source, mapping, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, source) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        &[&kind.as_str(), &source, &text, &w.now],
    )?;
    Ok(())
}

/// What an import will write once every row has passed.
struct Resolved {
    report: ImportReport,
    /// New patients, in file order.
    added: Vec<(Uuid, ValidPatient)>,
    /// Existing patients with the file's values.
    merged: Vec<(Uuid, ValidPatient)>,
    /// New appointments with their journey family.
    visits: Vec<(Appointment, String)>,
}

/// The clinic's patients (and the file's, as they are accepted) by what identifies them.
#[derive(Default)]
struct PatientIndex {
    names: HashMap<Uuid, String>,
    by_name_birth: HashMap<(String, NaiveDate), Vec<Uuid>>,
    by_name: HashMap<String, Vec<Uuid>>,
    by_phone: HashMap<String, Vec<Uuid>>,
}

fn name_key(given: &str, family: &str) -> String {
    fold_for_search(&format!("{given} {family}")).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

impl PatientIndex {
    fn load(db: &Db) -> Result<Self> {
        let mut index = PatientIndex::default();
        db.query_map("SELECT id, given_name, family_name, birth_date, phone, phone_alt FROM patients", &[], |r| {
            index.add(
                r.get(0)?,
                r.get_text(1)?.unwrap_or_default(),
                r.get_text(2)?.unwrap_or_default(),
                r.get_text(3)?.and_then(|b| b.parse().ok()),
                r.get_text(4)?.unwrap_or_default(),
                r.get_text(5)?,
            );
            Ok(())
        })?;
        Ok(index)
    }

    fn add(&mut self, id: Uuid, given: &str, family: &str, birth: Option<NaiveDate>, phone: &str, alt: Option<&str>) {
        let name = name_key(given, family);
        self.names.insert(id, person_name(given, family));
        if let Some(birth) = birth {
            self.by_name_birth.entry((name.clone(), birth)).or_default().push(id);
        }
        self.by_name.entry(name).or_default().push(id);
        for phone in [Some(phone), alt].into_iter().flatten().map(phone_key).filter(|p| p.len() >= 6) {
            self.by_phone.entry(phone).or_default().push(id);
        }
    }

    /// The patient a row seems to be, and why.
    fn duplicate_of(&self, id: Option<Uuid>, p: &ValidPatient) -> Option<(Uuid, DuplicateReason, bool)> {
        if let Some(id) = id.filter(|id| self.names.contains_key(id)) {
            return Some((id, DuplicateReason::SameRecord, true));
        }
        let name = name_key(&p.given_name, &p.family_name);
        if let Some(ids) = p.birth_date.and_then(|b| self.by_name_birth.get(&(name.clone(), b))) {
            return Some((ids[0], DuplicateReason::NameAndBirthDate, true));
        }
        let phones = [Some(p.phone.as_str()), p.phone_alt.as_deref()];
        for phone in phones.into_iter().flatten().map(phone_key) {
            if let Some(ids) = self.by_phone.get(&phone) {
                // Families share a phone: only the same name makes it likely the same person,
                // and among those sharing it the one of that name is meant.
                let named = self.by_name.get(&name);
                let same_name = ids.iter().find(|id| named.is_some_and(|named| named.contains(id)));
                return Some(match same_name {
                    Some(id) => (*id, DuplicateReason::Phone, true),
                    None => (ids[0], DuplicateReason::Phone, false),
                });
            }
        }
        None
    }
}

fn resolve(
    db: &Db,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    parsed: Parsed,
    request: &ImportRequest,
) -> Result<Resolved> {
    let today = calendar.local_date(now);
    let mut report = ImportReport {
        rows: parsed.rows,
        patients_added: 0,
        patients_merged: 0,
        patients_skipped: 0,
        appointments_added: 0,
        appointments_unchanged: 0,
        ignored: parsed.ignored,
        problems: parsed.problems,
        duplicates: Vec::new(),
        sample: Vec::new(),
        applied: false,
    };
    let mut index = PatientIndex::load(db)?;
    let mut added: Vec<(Uuid, ValidPatient)> = Vec::new();
    let mut merged: Vec<(Uuid, ValidPatient)> = Vec::new();
    // The file's patient ids → the record their visits go to.
    let mut alias: HashMap<Uuid, Uuid> = HashMap::new();
    for row in parsed.patients {
        let valid = match row.input.validate(today) {
            Ok(valid) => valid,
            Err(e) => {
                report.problems.push(problem_of(e, row.line, &row.columns, |field| field_value(&row, field)));
                continue;
            }
        };
        let name = person_name(&valid.given_name, &valid.family_name);
        match index.duplicate_of(row.id, &valid) {
            Some((existing, reason, likely)) => {
                let default = if likely { request.on_duplicate } else { DuplicateChoice::KeepBoth };
                let choice = request.choices.get(&row.line).copied().unwrap_or(default);
                report.duplicates.push(DuplicateRow {
                    line: row.line,
                    name: name.clone(),
                    existing_id: existing,
                    existing_name: index.names[&existing].clone(),
                    reason,
                    choice,
                });
                match choice {
                    DuplicateChoice::Merge => {
                        let target = match added.iter_mut().find(|(id, _)| *id == existing) {
                            Some((_, pending)) => pending,
                            None => match merged.iter().position(|(id, _)| *id == existing) {
                                Some(i) => &mut merged[i].1,
                                None => {
                                    let current = super::patients::load_patient(db, existing)?;
                                    merged.push((existing, valid_of(&current)));
                                    &mut merged.last_mut().expect("just pushed").1
                                }
                            },
                        };
                        merge_into(target, &valid, &row.present);
                        report.patients_merged += 1;
                        sample(&mut report, row.line, &valid);
                        row.id.map(|id| alias.insert(id, existing));
                    }
                    DuplicateChoice::Skip => {
                        report.patients_skipped += 1;
                        row.id.map(|id| alias.insert(id, existing));
                    }
                    DuplicateChoice::KeepBoth => {
                        let id = row.id.filter(|id| !index.names.contains_key(id)).unwrap_or_else(new_id);
                        add_patient(&mut index, &mut added, &mut report, row.line, id, valid);
                        row.id.map(|file_id| alias.insert(file_id, id));
                    }
                }
            }
            None => {
                let id = row.id.unwrap_or_else(new_id);
                add_patient(&mut index, &mut added, &mut report, row.line, id, valid);
            }
        }
    }
    let visits = resolve_visits(db, calendar, now, parsed.appointments, &index, &alias, &mut report)?;
    report.problems.sort_by_key(|p| p.line);
    Ok(Resolved { report, added, merged, visits })
}

fn add_patient(
    index: &mut PatientIndex,
    added: &mut Vec<(Uuid, ValidPatient)>,
    report: &mut ImportReport,
    line: u32,
    id: Uuid,
    valid: ValidPatient,
) {
    index.add(id, &valid.given_name, &valid.family_name, valid.birth_date, &valid.phone, valid.phone_alt.as_deref());
    sample(report, line, &valid);
    report.patients_added += 1;
    added.push((id, valid));
}

const SAMPLE_ROWS: usize = 10;

fn sample(report: &mut ImportReport, line: u32, p: &ValidPatient) {
    if report.sample.len() < SAMPLE_ROWS {
        let values = [
            ("given_name", p.given_name.clone()),
            ("family_name", p.family_name.clone()),
            ("birth_date", p.birth_date.map(|d| d.to_string()).unwrap_or_default()),
            ("phone", p.phone.clone()),
            ("email", p.email.clone().unwrap_or_default()),
            ("preferred_language", p.preferred_language.clone()),
        ];
        report.sample.push(SampleRow { line, values: values.into_iter().map(|(f, v)| (f.to_string(), v)).collect() });
    }
}

fn field_value(row: &PatientRow, field: &str) -> String {
    let i = &row.input;
    match field {
        "given_name" => i.given_name.clone(),
        "family_name" => i.family_name.clone(),
        "birth_date" => i.birth_date.clone(),
        "phone" => i.phone.clone(),
        "phone_alt" => i.phone_alt.clone(),
        "email" => i.email.clone(),
        "preferred_channel" => i.preferred_channel.clone(),
        "preferred_language" => i.preferred_language.clone(),
        "notes" => i.notes.clone(),
        _ => String::new(),
    }
}

fn valid_of(p: &crate::domain::patient::Patient) -> ValidPatient {
    ValidPatient {
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        birth_date: p.birth_date,
        phone: p.phone.clone(),
        phone_alt: p.phone_alt.clone(),
        email: p.email.clone(),
        preferred_channel: p.preferred_channel,
        preferred_language: p.preferred_language.clone(),
        consent_reminders: p.consent_reminders,
        do_not_contact: p.do_not_contact,
        notes: p.notes.clone(),
    }
}

/// The file's values over the record's, for the fields the file gave.
fn merge_into(target: &mut ValidPatient, file: &ValidPatient, present: &[&str]) {
    let has = |field: &str| present.contains(&field);
    target.given_name = file.given_name.clone();
    target.family_name = file.family_name.clone();
    target.phone = file.phone.clone();
    if file.birth_date.is_some() {
        target.birth_date = file.birth_date;
    }
    if file.phone_alt.is_some() {
        target.phone_alt = file.phone_alt.clone();
    }
    if file.email.is_some() {
        target.email = file.email.clone();
    }
    if has("preferred_channel") {
        target.preferred_channel = file.preferred_channel;
    }
    if has("preferred_language") {
        target.preferred_language = file.preferred_language.clone();
    }
    if has("consent_reminders") {
        target.consent_reminders = file.consent_reminders;
    }
    if has("do_not_contact") {
        target.do_not_contact = file.do_not_contact;
    }
    // As the patient form has it: nobody asked not to be contacted gets reminders.
    target.consent_reminders &= !target.do_not_contact;
    if has("notes") && !file.notes.is_empty() && !target.notes.contains(&file.notes) {
        target.notes = [target.notes.as_str(), file.notes.as_str()]
            .iter()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
    }
}

/// A provider, room or service of the clinic: id and name (and what else the kind needs).
struct Resource {
    id: Uuid,
    key: String,
    name: String,
    home_room: Option<Uuid>,
    duration: i64,
    family: String,
}

fn resources(db: &Db, sql: &str) -> Result<Vec<Resource>> {
    db.query_map(sql, &[], |r| {
        let name: String = r.get(1)?;
        Ok(Resource {
            id: r.get(0)?,
            key: fold_for_search(&name),
            name,
            home_room: r.get(2)?,
            duration: r.get(3)?,
            family: r.get(4)?,
        })
    })
}

fn find<'r>(list: &'r [Resource], wanted: &NamedRef) -> Option<&'r Resource> {
    wanted
        .id
        .and_then(|id| list.iter().find(|r| r.id == id))
        .or_else(|| list.iter().find(|r| !wanted.name.is_empty() && r.key == fold_for_search(&wanted.name)))
}

fn resolve_visits(
    db: &Db,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    rows: Vec<AppointmentRow>,
    index: &PatientIndex,
    alias: &HashMap<Uuid, Uuid>,
    report: &mut ImportReport,
) -> Result<Vec<(Appointment, String)>> {
    // Constant columns typed for the server too (an untyped NULL or '' is not text there).
    let providers = resources(db, "SELECT id, name, home_room_id, CAST(0 AS BIGINT), CAST('' AS TEXT) FROM providers")?;
    let rooms = resources(db, "SELECT id, name, CAST(NULL AS TEXT), CAST(0 AS BIGINT), CAST('' AS TEXT) FROM rooms")?;
    let services =
        resources(db, "SELECT id, name, CAST(NULL AS TEXT), duration_minutes, template_family_key FROM service_types")?;
    let mut seen: HashMap<Uuid, u32> = HashMap::new();
    let mut visits = Vec::new();
    let mut lines: HashMap<Uuid, u32> = HashMap::new();
    for row in rows {
        let mut problem = |column: &str, value: &str, reason: Refusal| {
            report.problems.push(RowProblem {
                line: row.line,
                column: row.columns.of(column),
                value: value.into(),
                reason,
            })
        };
        if let Some(id) = row.id {
            if let Some(line) = seen.insert(id, row.line) {
                problem("id", &id.to_string(), Refusal::SameRowTwice { value: id.to_string(), line });
                continue;
            }
            let stored = db.query_opt("SELECT starts_at, ends_at, status FROM appointments WHERE id = ?1", &[&id])?;
            if let Some(stored) = stored {
                let (start, end, status): (i64, i64, String) = (stored.get(0)?, stored.get(1)?, stored.get(2)?);
                // The same visit as the clinic has it is left alone; one changed in the file
                // is not taken over (the schedule changes visits, with its checks).
                let same = start == ts(row.starts_at)
                    && row.ends_at.is_none_or(|e| ts(e) == end)
                    && status == row.status.as_str();
                if same {
                    report.appointments_unchanged += 1;
                } else {
                    problem(
                        "id",
                        &id.to_string(),
                        Refusal::VisitDiffers { value: calendar.to_local_text(row.starts_at) },
                    );
                }
                continue;
            }
        }
        let patient = match &row.patient {
            PatientRef::Id(id) => {
                let id = alias.get(id).copied().unwrap_or(*id);
                index.names.contains_key(&id).then_some(id).ok_or_else(|| (id.to_string(), 0))
            }
            PatientRef::Described { name, birth_date, phone } => {
                let (given, family) = csv_in::split_full_name(name);
                let key = name_key(&given, &family);
                let mut ids: Vec<Uuid> = match birth_date {
                    Some(b) => index.by_name_birth.get(&(key.clone(), *b)).cloned().unwrap_or_default(),
                    None => index.by_name.get(&key).cloned().unwrap_or_default(),
                };
                let phone = phone_key(phone);
                if ids.len() > 1 && !phone.is_empty() {
                    let by_phone = index.by_phone.get(&phone).cloned().unwrap_or_default();
                    ids.retain(|id| by_phone.contains(id));
                }
                match ids.as_slice() {
                    [one] => Ok(*one),
                    other => Err((name.clone(), other.len() as u32)),
                }
            }
        };
        let patient = match patient {
            Ok(id) => Some(id),
            Err((value, 0)) => {
                problem("patient", &value, Refusal::UnknownPatient { value: value.clone() });
                None
            }
            Err((value, count)) => {
                problem("patient", &value, Refusal::AmbiguousPatient { value: value.clone(), count });
                None
            }
        };
        let describe = |n: &NamedRef| {
            if n.name.is_empty() {
                n.id.map(|id| id.to_string()).unwrap_or_default()
            } else {
                n.name.clone()
            }
        };
        let provider = find(&providers, &row.provider);
        if provider.is_none() {
            let value = describe(&row.provider);
            let reason = if row.provider.is_missing() {
                Refusal::Required { what: row.columns.of("provider") }
            } else {
                Refusal::UnknownProvider { value: value.clone() }
            };
            problem("provider", &value, reason);
        }
        let room = match (find(&rooms, &row.room), row.room.is_missing()) {
            (Some(room), _) => Some(room.id),
            (None, true) => provider.and_then(|p| p.home_room).or_else(|| {
                problem("room", "", Refusal::Required { what: row.columns.of("room") });
                None
            }),
            (None, false) => {
                let value = describe(&row.room);
                problem("room", &value, Refusal::UnknownRoom { value: value.clone() });
                None
            }
        };
        let service = find(&services, &row.service);
        if service.is_none() {
            let value = describe(&row.service);
            let reason = if row.service.is_missing() {
                Refusal::Required { what: row.columns.of("service") }
            } else {
                Refusal::UnknownService { value: value.clone() }
            };
            problem("service", &value, reason);
        }
        let ends_at = row.ends_at.or(service.map(|s| row.starts_at + chrono::Duration::minutes(s.duration)));
        if let Some(end) = ends_at.filter(|end| *end <= row.starts_at) {
            let text = calendar.to_local_text(end);
            problem("end", &text, Refusal::EndBeforeStart { value: text.clone() });
            continue;
        }
        let reason = row.cancel_reason.as_deref().unwrap_or_default();
        let checked =
            crate::domain::limits::check_length("cancel_reason", "The reason", reason, crate::domain::limits::REASON)
                .and_then(|()| {
                    crate::domain::limits::check_length("notes", "The notes", &row.notes, crate::domain::limits::NOTE)
                });
        if let Err(e) = checked {
            let columns = row.columns.clone();
            let value = |field: &str| if field == "notes" { row.notes.clone() } else { reason.to_string() };
            report.problems.push(problem_of(e, row.line, &columns, value));
            continue;
        }
        let (Some(patient), Some(provider), Some(room), Some(service), Some(ends_at)) =
            (patient, provider, room, service, ends_at)
        else {
            continue;
        };
        let appointment = Appointment {
            id: row.id.unwrap_or_else(new_id),
            patient_id: patient,
            provider_id: provider.id,
            room_id: room,
            service_type_id: service.id,
            starts_at: row.starts_at,
            ends_at,
            status: row.status,
            // A reason belongs to a visit that did not take place.
            cancel_reason: row.cancel_reason.clone().filter(|_| !row.status.holds_slot()),
            notes: row.notes.clone(),
            series_id: None,
            series_index: None,
            created_at: now,
            updated_at: now,
        };
        if let Some((patient, time)) = booked_over(db, calendar, &appointment)? {
            problem("start", &time, Refusal::OverlapsVisit { value: time.clone(), patient });
            continue;
        }
        lines.insert(appointment.id, row.line);
        // One kind of row per sample (a FHIR file's patients come first and fill it).
        let visits_sampled = report.sample.first().is_none_or(|r| r.values[0].0 == "start");
        if visits_sampled && report.sample.len() < SAMPLE_ROWS {
            let values = [
                ("start", calendar.to_local_text(appointment.starts_at)),
                ("patient", index.names.get(&appointment.patient_id).cloned().unwrap_or_default()),
                ("provider", provider.name.clone()),
                ("service", service.name.clone()),
                ("status", appointment.status.as_str().to_string()),
            ];
            report.sample.push(SampleRow {
                line: row.line,
                values: values.into_iter().map(|(f, v)| (f.to_string(), v)).collect(),
            });
        }
        visits.push((appointment, service.family.clone()));
    }
    overlaps_in_file(calendar, &visits, &lines, report);
    if report.problems.is_empty() {
        report.appointments_added = visits.len() as u32;
    }
    Ok(visits)
}

/// A visit already booked that holds the same provider, room or patient over `a`'s time.
fn booked_over(db: &Db, calendar: &ClinicCalendar, a: &Appointment) -> Result<Option<(String, String)>> {
    if !a.status.holds_slot() {
        return Ok(None);
    }
    let found = db.query_opt(
        "SELECT p.given_name, p.family_name FROM appointments b JOIN patients p ON p.id = b.patient_id
         WHERE b.starts_at < ?5 AND b.ends_at > ?4 AND b.status NOT IN ('cancelled', 'noshow', 'waitlist')
           AND (b.provider_id = ?1 OR b.room_id = ?2 OR b.patient_id = ?3) LIMIT 1",
        &[&a.provider_id, &a.room_id, &a.patient_id, &a.starts_at, &a.ends_at],
    )?;
    found
        .map(|r| {
            let (given, family): (String, String) = (r.get(0)?, r.get(1)?);
            Ok((person_name(&given, &family), calendar.to_local_text(a.starts_at)))
        })
        .transpose()
}

/// Two of the file's visits holding the same provider, room or patient at once: each visit
/// that starts before an earlier one (by start) has ended is reported, naming that one.
fn overlaps_in_file(
    calendar: &ClinicCalendar,
    visits: &[(Appointment, String)],
    lines: &HashMap<Uuid, u32>,
    report: &mut ImportReport,
) {
    let holding: Vec<&Appointment> = visits.iter().map(|(a, _)| a).filter(|a| a.status.holds_slot()).collect();
    let keys: [fn(&Appointment) -> Uuid; 3] = [|a| a.provider_id, |a| a.room_id, |a| a.patient_id];
    let mut reported = std::collections::HashSet::new();
    for key in keys {
        let mut by: HashMap<Uuid, Vec<&Appointment>> = HashMap::new();
        for a in &holding {
            by.entry(key(a)).or_default().push(a);
        }
        for list in by.values_mut() {
            list.sort_by_key(|a| (a.starts_at, a.id));
            // The visit that ends last among those seen so far.
            let mut latest: Option<&Appointment> = None;
            for &second in list.iter() {
                let Some(first) = latest else {
                    latest = Some(second);
                    continue;
                };
                if second.ends_at > first.ends_at {
                    latest = Some(second);
                }
                if second.starts_at < first.ends_at && reported.insert(second.id) {
                    let time = calendar.to_local_text(second.starts_at);
                    report.problems.push(RowProblem {
                        line: lines[&second.id],
                        column: String::new(),
                        value: time.clone(),
                        reason: Refusal::OverlapsLine { value: time, line: lines[&first.id] },
                    });
                }
            }
        }
    }
}

fn apply(w: &mut Write, resolved: Resolved, progress: &dyn Fn(u32, u32) -> bool) -> Result<ImportReport> {
    let Resolved { mut report, added, merged, visits } = resolved;
    let total = (added.len() + merged.len() + visits.len()) as u32;
    let every = (total / 100).clamp(1, PROGRESS_EVERY);
    let mut done = 0u32;
    let step = |done: &mut u32| -> Result<()> {
        *done += 1;
        if done.is_multiple_of(every) && !progress(*done, total) {
            return Err(Error::refused("", Refusal::ImportCancelled));
        }
        Ok(())
    };
    if !progress(0, total) {
        return Err(Error::refused("", Refusal::ImportCancelled));
    }
    for (id, patient) in &added {
        super::patients::insert_patient(w, *id, patient)?;
        step(&mut done)?;
    }
    for (id, patient) in &merged {
        super::patients::write_patient(w, *id, patient)?;
        w.audit(Entity::Patients, *id, "merge", "import")?;
        step(&mut done)?;
    }
    if visits.len() > 1000 {
        // A bulk load: one plan of every visit before commit instead of one per patient.
        w.plan_everything();
    }
    let mut templates: HashMap<String, crate::domain::journey::JourneyTemplate> = HashMap::new();
    for (appointment, family) in &visits {
        super::booking::insert_appointment(w, appointment)?;
        if !templates.contains_key(family) {
            templates.insert(family.clone(), super::journeys::newest_template(w, family)?);
        }
        super::journeys::start_journey_on(w, appointment, &templates[family])?;
        match appointment.status {
            AppointmentStatus::Cancelled | AppointmentStatus::Noshow => {
                super::journeys::close_journey(w, appointment.id)?
            }
            AppointmentStatus::Fulfilled => super::journeys::complete_journey(w, appointment.id, appointment.ends_at)?,
            _ => {}
        }
        step(&mut done)?;
    }
    progress(total, total);
    report.applied = true;
    Ok(report)
}
