//! Spreadsheet exports (CSV, UTF-8 with a byte-order mark so spreadsheet programs read the
//! names right): patients, appointments, and tasks with each attempt on its own line. Times are
//! the clinic's local date and time, as staff read them; ids let an import find rows again.

use super::records::Records;
use crate::domain::clinic::ClinicCalendar;
use crate::error::Result;

/// The columns of the patients export, which the patients import maps by default.
pub const PATIENT_COLUMNS: [&str; 12] = [
    "id",
    "given_name",
    "family_name",
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

/// The columns of the appointments export, which the appointments import maps by default.
pub const APPOINTMENT_COLUMNS: [&str; 14] = [
    "id",
    "patient_id",
    "patient",
    "birth_date",
    "phone",
    "provider",
    "room",
    "service",
    "date",
    "start",
    "end",
    "status",
    "cancel_reason",
    "notes",
];

const TASK_COLUMNS: [&str; 16] = [
    "task_id",
    "appointment_id",
    "patient_id",
    "patient",
    "task",
    "kind",
    "role",
    "due",
    "expires",
    "status",
    "note",
    "attempt_at",
    "outcome",
    "attempt_note",
    "attempt_by",
    "attempts",
];

const BOM: &str = "\u{feff}";

/// Whether a spreadsheet would run `value` as a formula: "=…", "@…", or "+"/"-" before a
/// letter ("+cmd|…"); a phone number ("+371 2000 0001") or a negative number is not one.
pub fn looks_like_formula(value: &str) -> bool {
    let mut chars = value.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => chars.next().is_some_and(|c| !(c.is_ascii_digit() || c == ' ' || c == '(')),
        _ => false,
    }
}

/// A value a spreadsheet would run as a formula ("=HYPERLINK(…)" typed into a name) is written
/// as text, with a leading apostrophe; the import takes the apostrophe off again.
fn cell(value: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(value) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Writes one line, every value guarded by `cell`.
fn line<'a>(w: &mut csv::Writer<Vec<u8>>, values: impl IntoIterator<Item = &'a str>) -> Result<()> {
    w.write_record(values.into_iter().map(cell).collect::<Vec<_>>().iter().map(|v| v.as_ref()))?;
    Ok(())
}

fn writer() -> csv::Writer<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(BOM.as_bytes());
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(bytes)
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner().map_err(|e| e.into_error().into())
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

pub fn patients(records: &Records) -> Result<Vec<u8>> {
    let mut w = writer();
    w.write_record(PATIENT_COLUMNS)?;
    for p in &records.patients {
        line(
            &mut w,
            [
                p.id.to_string().as_str(),
                &p.given_name,
                &p.family_name,
                &p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                &p.phone,
                p.phone_alt.as_deref().unwrap_or(""),
                p.email.as_deref().unwrap_or(""),
                p.preferred_channel.as_str(),
                &p.preferred_language,
                yes_no(p.consent_reminders),
                yes_no(p.do_not_contact),
                &p.notes,
            ],
        )?;
    }
    finish(w)
}

pub fn appointments(records: &Records, calendar: &ClinicCalendar) -> Result<Vec<u8>> {
    let patients: rustc_hash::FxHashMap<_, _> = records.patients.iter().map(|p| (p.id, p)).collect();
    let mut w = writer();
    w.write_record(APPOINTMENT_COLUMNS)?;
    for v in &records.visits {
        let (date, start) = calendar.local_minute(v.starts_at);
        let (_, end) = calendar.local_minute(v.ends_at);
        let patient = patients.get(&v.patient_id);
        line(
            &mut w,
            [
                v.id.to_string().as_str(),
                &v.patient_id.to_string(),
                &crate::domain::patient::person_name(&v.patient_given, &v.patient_family),
                &patient.and_then(|p| p.birth_date).map(|d| d.to_string()).unwrap_or_default(),
                patient.map(|p| p.phone.as_str()).unwrap_or(""),
                &v.provider_name,
                &v.room_name,
                &v.service_name,
                &date.to_string(),
                &crate::domain::clinic::hhmm(start),
                &crate::domain::clinic::hhmm(end),
                v.status.as_str(),
                v.cancel_reason.as_deref().unwrap_or(""),
                &v.notes,
            ],
        )?;
    }
    finish(w)
}

pub fn tasks(records: &Records, calendar: &ClinicCalendar) -> Result<Vec<u8>> {
    let names: rustc_hash::FxHashMap<_, _> = records.patients.iter().map(|p| (p.id, p.full_name())).collect();
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&calendar.tz).format("%Y-%m-%d %H:%M").to_string();
    let mut w = writer();
    w.write_record(TASK_COLUMNS)?;
    for t in &records.tasks {
        let task = [
            t.id.to_string(),
            t.appointment_id.to_string(),
            t.patient_id.to_string(),
            names.get(&t.patient_id).cloned().unwrap_or_default(),
            t.name.clone(),
            t.kind.clone(),
            t.role.clone(),
            local(t.due_at),
            t.expires_at.map(local).unwrap_or_default(),
            t.status.as_str().to_string(),
            t.note.clone(),
        ];
        let count = t.attempts.len().to_string();
        if t.attempts.is_empty() {
            line(&mut w, task.iter().map(String::as_str).chain(["", "", "", "", count.as_str()]))?;
        }
        for a in &t.attempts {
            let at = local(a.at);
            let attempt = [at.as_str(), a.outcome.as_str(), &a.note, &a.actor, &count];
            line(&mut w, task.iter().map(String::as_str).chain(attempt))?;
        }
    }
    finish(w)
}
