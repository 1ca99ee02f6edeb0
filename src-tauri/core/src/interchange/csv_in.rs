//! Patients and appointments from another system's CSV file: the file read whatever its
//! encoding and separator, its columns mapped to our fields (guessed from the header, changed
//! by the user, remembered per source), and each row turned into an import row or a problem
//! naming its line, column and value.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::import::{AppointmentRow, Columns, ImportKind, NamedRef, Parsed, PatientRef, PatientRow};
use super::text_file::{decode, separator, Separator};
use crate::domain::appointment::AppointmentStatus;
use crate::domain::clinic::{parse_hhmm, ClinicCalendar};
use crate::domain::patient::PatientInput;
use crate::error::{Error, Refusal, Result};

/// Our field → the file's column (its header as written).
pub type Mapping = BTreeMap<String, String>;

/// A CSV file read into its header and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Each row with the line it starts on (the header is line 1).
    pub rows: Vec<(u32, Vec<String>)>,
    pub encoding: String,
    pub separator: Separator,
}

/// What the mapping step shows: the file's columns, our fields, and the mapping proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MappingProposal {
    pub kind: ImportKind,
    pub columns: Vec<String>,
    pub fields: Vec<String>,
    /// What the import needs mapped: each list is a field and the fields that may stand in for
    /// it (the first name, or the full name).
    pub required: Vec<Vec<String>>,
    pub mapping: Mapping,
    /// Whether the mapping is the one remembered for files with this header.
    pub remembered: bool,
    pub encoding: String,
    pub separator: Separator,
    pub rows: u32,
    /// The first rows as the file has them.
    pub first_rows: Vec<Vec<String>>,
}

pub const PATIENT_FIELDS: [&str; 13] = [
    "id",
    "given_name",
    "family_name",
    "full_name",
    "birth_date",
    "phone",
    "phone_alt",
    "email",
    "preferred_channel",
    "preferred_language",
    "consent_reminders",
    "do_not_contact",
    "notes",
];

pub const APPOINTMENT_FIELDS: [&str; 14] = super::csv_out::APPOINTMENT_COLUMNS;

pub fn fields(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Patients => &PATIENT_FIELDS,
        ImportKind::Appointments => &APPOINTMENT_FIELDS,
    }
}

pub fn required(kind: ImportKind) -> Vec<Vec<String>> {
    let groups: &[&[&str]] = match kind {
        ImportKind::Patients => &[&["given_name", "full_name"], &["family_name", "full_name"], &["phone"]],
        ImportKind::Appointments => &[&["patient", "patient_id"], &["provider"], &["service"], &["start"]],
    };
    groups.iter().map(|group| group.iter().map(|f| f.to_string()).collect()).collect()
}

pub fn read_table(bytes: &[u8]) -> Result<Table> {
    let decoded = decode(bytes);
    let sep = separator(&decoded.text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(sep).flexible(true).has_headers(false).from_reader(decoded.text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(header) => header.map_err(unreadable)?.iter().map(|h| h.trim().to_string()).collect(),
        None => return Err(Error::refused("file", Refusal::NoRowsToImport)),
    };
    let mut rows = Vec::new();
    // The line a row starts on, counted from its byte offset (the reader's own count is off
    // for CRLF files, which spreadsheet programs write).
    let (mut line, mut counted) = (1u32, 0usize);
    for record in records {
        let record = record.map_err(unreadable)?;
        let bytes = decoded.text.as_bytes();
        // A CRLF record starts at its predecessor's LF: skip line ends to its first field.
        let mut start = record.position().map_or(counted, |p| p.byte() as usize);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += bytes[counted..start].iter().filter(|b| **b == b'\n').count() as u32;
        counted = start;
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table { headers, rows, encoding: decoded.encoding, separator: Separator::of(sep) })
}

fn unreadable(e: csv::Error) -> Error {
    Error::refused("file", Refusal::UnreadableFile { detail: e.to_string() })
}

/// The key a mapping is remembered by: the file's header, as other exports of the same
/// system write it.
pub fn source_key(headers: &[String]) -> String {
    headers.iter().map(|h| normalise(h)).collect::<Vec<_>>().join("|")
}

fn normalise(header: &str) -> String {
    let lower: String =
        header.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
    lower.trim_matches('_').to_string()
}

/// The names other systems (and languages) give each field's column.
fn synonyms(kind: ImportKind, field: &str) -> &'static [&'static str] {
    match (kind, field) {
        (ImportKind::Patients, "id") => &["id", "patient_id", "uuid"],
        (_, "given_name") => &[
            "given_name",
            "givenname",
            "first_name",
            "firstname",
            "first",
            "given",
            "forename",
            "имя",
            "імя",
            "ім_я",
            "vārds",
            "名",
        ],
        (_, "family_name") => {
            &["family_name", "last_name", "lastname", "surname", "family", "фамилия", "прізвище", "uzvārds", "姓"]
        }
        (_, "full_name") => &["full_name", "name", "patient_name", "фио", "піб", "vārds_uzvārds", "姓名"],
        (_, "birth_date") => &[
            "birth_date",
            "birthdate",
            "dob",
            "date_of_birth",
            "birthday",
            "дата_рождения",
            "дата_народження",
            "dzimšanas_datums",
            "出生日期",
        ],
        (_, "phone") => &["phone", "mobile", "telephone", "tel", "phone_number", "cell", "телефон", "tālrunis", "电话"],
        (_, "phone_alt") => &["phone_alt", "phone2", "other_phone", "home_phone", "work_phone"],
        (_, "email") => &["email", "e_mail", "mail", "почта", "пошта", "e_pasts", "邮箱"],
        (_, "preferred_channel") => &["preferred_channel", "channel", "contact_by"],
        (_, "preferred_language") => &["preferred_language", "language", "lang", "язык", "мова", "valoda", "语言"],
        (_, "consent_reminders") => &["consent_reminders", "consent", "reminders"],
        (_, "do_not_contact") => &["do_not_contact", "dnc", "no_contact"],
        (_, "notes") => &["notes", "note", "comment", "comments", "примечание", "нотатки", "piezīmes", "备注"],
        (ImportKind::Appointments, "id") => &["id", "appointment_id", "uuid"],
        (_, "patient_id") => &["patient_id"],
        (_, "patient") => &["patient", "patient_name", "name", "full_name", "пациент", "пацієнт", "pacients", "患者"],
        (_, "provider") => &["provider", "doctor", "clinician", "practitioner", "врач", "лікар", "ārsts", "医生"],
        (_, "room") => &["room", "location", "кабинет", "кабінет", "kabinets", "诊室"],
        (_, "service") => {
            &["service", "visit_type", "appointment_type", "type", "услуга", "послуга", "pakalpojums", "服务"]
        }
        (_, "date") => &["date", "дата", "datums", "日期"],
        (_, "start") => &["start", "time", "start_time", "from", "начало", "початок", "sākums", "开始"],
        (_, "end") => &["end", "end_time", "to", "конец", "кінець", "beigas", "结束"],
        (_, "status") => &["status", "статус", "statuss", "状态"],
        (_, "cancel_reason") => &["cancel_reason", "cancellation_reason"],
        _ => &[],
    }
}

/// Each field mapped to the first column whose header is one of its usual names.
pub fn guess_mapping(kind: ImportKind, headers: &[String]) -> Mapping {
    let mut mapping = Mapping::new();
    for field in fields(kind) {
        let names = synonyms(kind, field);
        if let Some(header) = headers.iter().find(|h| names.contains(&normalise(h).as_str())) {
            if !mapping.values().any(|taken| taken == header) {
                mapping.insert(field.to_string(), header.clone());
            }
        }
    }
    mapping
}

/// A mapping's own problems: a column the file does not have, an unknown field, a required
/// field left unmapped.
pub fn check_mapping(kind: ImportKind, table: &Table, mapping: &Mapping) -> Vec<super::import::RowProblem> {
    let mut problems = Vec::new();
    let mut problem = |column: &str, value: &str, reason| {
        problems.push(super::import::RowProblem { line: 1, column: column.into(), value: value.into(), reason })
    };
    for (field, header) in mapping {
        if !fields(kind).contains(&field.as_str()) {
            problem(header, field, Refusal::UnknownField { value: field.clone() });
        } else if !table.headers.contains(header) {
            problem(header, header, Refusal::NoSuchColumn { value: header.clone() });
        }
    }
    for group in required(kind) {
        if !group.iter().any(|field| mapping.contains_key(field)) {
            problem("", &group[0], Refusal::FieldNotMapped { field: group[0].clone() });
        }
    }
    problems
}

/// One row's values by our field names.
struct Values<'a> {
    row: &'a [String],
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Values<'a> {
    fn get(&self, field: &str) -> &'a str {
        let value = self.index.get(field).and_then(|i| self.row.get(*i)).map_or("", |v| v.trim());
        // An export's guard against spreadsheet formulas ("'=…") comes off again.
        match value.strip_prefix('\'') {
            Some(guarded) if super::csv_out::looks_like_formula(guarded) => guarded,
            _ => value,
        }
    }
}

fn column_index<'m>(table: &Table, mapping: &'m Mapping) -> BTreeMap<&'m str, usize> {
    mapping
        .iter()
        .filter_map(|(field, header)| table.headers.iter().position(|h| h == header).map(|i| (field.as_str(), i)))
        .collect()
}

fn columns_of(kind: ImportKind, mapping: &Mapping) -> Columns {
    Columns(fields(kind).iter().map(|f| (*f, mapping.get(*f).cloned().unwrap_or_else(|| f.to_string()))).collect())
}

/// The patients of a table, with the clinic's language for rows that give none.
pub fn patients(table: &Table, mapping: &Mapping, default_language: &str) -> Parsed {
    let mut parsed = Parsed { rows: table.rows.len() as u32, ..Parsed::default() };
    parsed.problems = check_mapping(ImportKind::Patients, table, mapping);
    if !parsed.problems.is_empty() {
        return parsed;
    }
    let index = column_index(table, mapping);
    let columns = columns_of(ImportKind::Patients, mapping);
    for (line, row) in &table.rows {
        let v = Values { row, index: index.clone() };
        let line = *line;
        if !same_width(&mut parsed, table, line, row) {
            continue;
        }
        let before = parsed.problems.len();
        let id = optional_id(v.get("id"));
        let (mut given, mut family) = (v.get("given_name").to_string(), v.get("family_name").to_string());
        let mut columns = columns.clone();
        if given.is_empty() && family.is_empty() {
            (given, family) = split_full_name(v.get("full_name"));
            // A problem of either name is one of the full-name column the user has.
            let full = columns.of("full_name");
            columns.0.insert("given_name", full.clone());
            columns.0.insert("family_name", full);
        }
        let birth_date = match parse_date(v.get("birth_date")) {
            Ok(d) => d.map(|d| d.to_string()).unwrap_or_default(),
            Err(reason) => {
                parsed.problem(line, columns.of("birth_date"), v.get("birth_date"), reason);
                String::new()
            }
        };
        let flag = |parsed: &mut Parsed, field: &str, default: bool| match yes_no(v.get(field)) {
            Some(flag) => flag.unwrap_or(default),
            None => {
                parsed.problem(
                    line,
                    columns.of(field),
                    v.get(field),
                    Refusal::NotYesOrNo { value: v.get(field).into() },
                );
                default
            }
        };
        let consent_reminders = flag(&mut parsed, "consent_reminders", true);
        let do_not_contact = flag(&mut parsed, "do_not_contact", false);
        let language = language_code(v.get("preferred_language")).unwrap_or_else(|| default_language.to_string());
        let input = PatientInput {
            given_name: given,
            family_name: family,
            birth_date,
            phone: v.get("phone").into(),
            phone_alt: v.get("phone_alt").into(),
            email: v.get("email").into(),
            preferred_channel: channel_code(v.get("preferred_channel")),
            preferred_language: language,
            consent_reminders,
            do_not_contact,
            notes: v.get("notes").into(),
        };
        let present = PATIENT_FIELDS.iter().copied().filter(|f| !v.get(f).is_empty()).collect();
        if parsed.problems.len() == before {
            parsed.patients.push(PatientRow { line, id, input, columns, present });
        }
    }
    parsed
}

/// The appointments of a table; local dates and times are the clinic's.
pub fn appointments(table: &Table, mapping: &Mapping, calendar: &ClinicCalendar, now: DateTime<Utc>) -> Parsed {
    let mut parsed = Parsed { rows: table.rows.len() as u32, ..Parsed::default() };
    parsed.problems = check_mapping(ImportKind::Appointments, table, mapping);
    if !parsed.problems.is_empty() {
        return parsed;
    }
    let index = column_index(table, mapping);
    let columns = columns_of(ImportKind::Appointments, mapping);
    for (line, row) in &table.rows {
        let v = Values { row, index: index.clone() };
        let line = *line;
        if !same_width(&mut parsed, table, line, row) {
            continue;
        }
        let before = parsed.problems.len();
        let id = optional_id(v.get("id"));
        let patient = match optional_id(v.get("patient_id")) {
            Some(id) => PatientRef::Id(id),
            None => {
                let birth_date = parse_date(v.get("birth_date")).unwrap_or_else(|reason| {
                    parsed.problem(line, columns.of("birth_date"), v.get("birth_date"), reason);
                    None
                });
                if v.get("patient").is_empty() {
                    parsed.problem(line, columns.of("patient"), "", Refusal::Required { what: columns.of("patient") });
                }
                PatientRef::Described { name: v.get("patient").into(), birth_date, phone: v.get("phone").into() }
            }
        };
        let named = |field: &str| NamedRef::named(v.get(field));
        let date = parse_date(v.get("date")).unwrap_or_else(|reason| {
            parsed.problem(line, columns.of("date"), v.get("date"), reason);
            None
        });
        let starts_at = local_instant(calendar, date, v.get("start"));
        let ends_at = if v.get("end").is_empty() {
            Ok(None)
        } else {
            let date = date.or_else(|| starts_at.as_ref().ok().map(|s| calendar.local_date(*s)));
            local_instant(calendar, date, v.get("end")).map(Some)
        };
        let starts_at = match starts_at {
            Ok(t) => Some(t),
            Err(reason) => {
                parsed.problem(line, columns.of("start"), v.get("start"), reason);
                None
            }
        };
        let ends_at = ends_at.unwrap_or_else(|reason| {
            parsed.problem(line, columns.of("end"), v.get("end"), reason);
            None
        });
        let status = match v.get("status") {
            "" if starts_at.is_some_and(|s| s < now) => Some(AppointmentStatus::Fulfilled),
            "" => Some(AppointmentStatus::Booked),
            text => status_code(text).or_else(|| {
                parsed.problem(line, columns.of("status"), text, Refusal::UnknownStatus { value: text.into() });
                None
            }),
        };
        let (Some(starts_at), Some(status)) = (starts_at, status) else { continue };
        if parsed.problems.len() == before {
            parsed.appointments.push(AppointmentRow {
                line,
                id,
                patient,
                provider: named("provider"),
                room: named("room"),
                service: named("service"),
                starts_at,
                ends_at,
                status,
                cancel_reason: Some(v.get("cancel_reason").to_string()).filter(|r| !r.is_empty()),
                notes: v.get("notes").into(),
                columns: columns.clone(),
            });
        }
    }
    parsed
}

/// A row with more or fewer values than the header has shifted columns: reported, not read.
fn same_width(parsed: &mut Parsed, table: &Table, line: u32, row: &[String]) -> bool {
    let (count, expected) = (row.len() as u32, table.headers.len() as u32);
    if count != expected {
        parsed.problem(line, "", row.join(", "), Refusal::RowWidth { count, expected });
    }
    count == expected
}

/// Our ids are kept (a file exported here comes back as the same rows); another system's
/// own ids are not ours, and its rows get new ones.
fn optional_id(text: &str) -> Option<uuid::Uuid> {
    uuid::Uuid::parse_str(text).ok()
}

/// "Anna Petrova" → ("Anna", "Petrova"); "Petrova, Anna" → the same; one word is a family name.
pub fn split_full_name(full: &str) -> (String, String) {
    if let Some((family, given)) = full.split_once(',') {
        return (given.trim().to_string(), family.trim().to_string());
    }
    match full.trim().rsplit_once(char::is_whitespace) {
        Some((given, family)) => (given.trim().to_string(), family.trim().to_string()),
        None => (String::new(), full.trim().to_string()),
    }
}

/// A date as clinics write it: 2026-12-25, 25.12.2026 or 2026/12/25 (day and month in other
/// orders with slashes are ambiguous and refused).
pub fn parse_date(text: &str) -> std::result::Result<Option<NaiveDate>, Refusal> {
    if text.is_empty() {
        return Ok(None);
    }
    ["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        .map(Some)
        .ok_or(Refusal::BadDate { value: text.into() })
}

/// A start or end: a full date and time ("2026-12-03 10:00", RFC 3339 with an offset), or a
/// time of day on `date`, in the clinic's zone.
fn local_instant(
    calendar: &ClinicCalendar,
    date: Option<NaiveDate>,
    text: &str,
) -> std::result::Result<DateTime<Utc>, Refusal> {
    let bad = || Refusal::BadDateTime { value: text.into() };
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok());
    let (date, minute) = match (local, date, parse_hhmm(text)) {
        (Some(dt), _, _) => (dt.date(), (dt.time().signed_duration_since(chrono::NaiveTime::MIN).num_minutes()) as u16),
        (None, Some(date), Some(minute)) => (date, minute),
        _ => return Err(bad()),
    };
    calendar.to_utc(date, minute).map_err(|e| e.refusal().cloned().unwrap_or_else(bad))
}

/// Yes/no in the languages of the window; `Some(None)` for an empty cell.
fn yes_no(text: &str) -> Option<Option<bool>> {
    match text.to_lowercase().as_str() {
        "" => Some(None),
        "yes" | "y" | "true" | "1" | "да" | "так" | "jā" | "ja" | "是" => Some(Some(true)),
        "no" | "n" | "false" | "0" | "нет" | "ні" | "nē" | "ne" | "否" => Some(Some(false)),
        _ => None,
    }
}

/// "en-US" → "en": the language part of a tag; the patient check refuses a language the
/// window does not speak.
fn language_code(text: &str) -> Option<String> {
    let code = text.split(['-', '_']).next().unwrap_or("").trim().to_lowercase();
    (!code.is_empty()).then_some(code)
}

fn channel_code(text: &str) -> String {
    match text.to_lowercase().as_str() {
        "" | "call" | "telephone" => "phone".into(),
        "text" | "sms/text" => "sms".into(),
        "e-mail" | "mail" => "email".into(),
        "post" => "letter".into(),
        other => other.to_string(),
    }
}

/// Our status names, FHIR's, and their spoken forms ("no-show", "checked in").
pub fn status_code(text: &str) -> Option<AppointmentStatus> {
    let code = text.trim().to_lowercase().replace([' ', '-'], "_");
    match code.as_str() {
        "no_show" => Some(AppointmentStatus::Noshow),
        "checked_in" => Some(AppointmentStatus::InProgress),
        "pending" => Some(AppointmentStatus::Proposed),
        "canceled" => Some(AppointmentStatus::Cancelled),
        "completed" | "done" | "attended" => Some(AppointmentStatus::Fulfilled),
        other => AppointmentStatus::parse(other),
    }
}
