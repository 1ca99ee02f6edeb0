//! FHIR R4 Patients and Appointments in: a single resource, a Bundle (a collection, or a
//! transaction such as Synthea writes, whose references are the entries' `urn:uuid:` full
//! URLs) or NDJSON. Other resource types are counted and left out; each problem names the
//! resource's line (NDJSON) or entry (Bundle) and the element.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::csv_in::{parse_date, split_full_name, status_code};
use super::fhir_out::BASE;
use super::import::{AppointmentRow, Columns, NamedRef, Parsed, PatientRef, PatientRow};
use super::text_file::decode;
use crate::domain::appointment::AppointmentStatus;
use crate::domain::patient::PatientInput;
use crate::error::{Error, Refusal, Result};

/// The patients and appointments of a FHIR file. A Bundle is read whole (its references are
/// its entries); NDJSON line by line, so a large file is never held as JSON values at once
/// (a reference to a later line falls back to its id and display name).
pub fn read(bytes: &[u8], default_language: &str) -> Result<Parsed> {
    let text = decode(bytes).text;
    let bad = |detail: String| Error::refused("file", Refusal::NotFhir { detail });
    let mut parsed = Parsed::default();
    let mut known: HashMap<String, Target> = HashMap::new();
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(resource)) => {
            let resource = Value::Object(resource);
            let entries: Vec<(u32, Value)> = if resource["resourceType"] == "Bundle" {
                let entries = resource["entry"].as_array().cloned().unwrap_or_default();
                entries.into_iter().enumerate().map(|(i, e)| (i as u32 + 1, entry_resource(e))).collect()
            } else {
                vec![(1, resource)]
            };
            for (_, r) in &entries {
                remember(&mut known, r);
            }
            for (line, r) in &entries {
                take(&mut parsed, *line, r, &known, default_language);
            }
        }
        Ok(_) => return Err(bad("not a FHIR resource (a JSON object with a resourceType)".into())),
        Err(whole) => {
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let r: Value = match serde_json::from_str(line) {
                    Ok(r) => r,
                    Err(_) if i == 0 => return Err(bad(whole.to_string())),
                    Err(e) => return Err(bad(format!("line {}: {e}", i + 1))),
                };
                remember(&mut known, &r);
                take(&mut parsed, i as u32 + 1, &r, &known, default_language);
            }
        }
    }
    Ok(parsed)
}

/// A Bundle entry's resource, with its full URL kept for references to it.
fn entry_resource(mut entry: Value) -> Value {
    let full_url = entry["fullUrl"].as_str().map(str::to_string);
    // An entry that is not an object has no resource (reported as lacking its type).
    let mut resource = entry.as_object_mut().and_then(|e| e.remove("resource")).unwrap_or(Value::Null);
    if let (Some(url), Some(object)) = (full_url, resource.as_object_mut()) {
        object.insert("__fullUrl".into(), Value::String(url));
    }
    resource
}

/// Notes what a reference to `r` (by full URL or `Type/id`) names: its id and name.
fn remember(known: &mut HashMap<String, Target>, r: &Value) {
    let kind = r["resourceType"].as_str().unwrap_or_default();
    if !matches!(kind, "Patient" | "Practitioner" | "Location") {
        return;
    }
    let id = r["id"].as_str().unwrap_or_default();
    let name = match kind {
        "Location" => r["name"].as_str().unwrap_or_default().to_string(),
        _ => r["name"][0]["text"].as_str().map(str::to_string).unwrap_or_else(|| {
            let given = r["name"][0]["given"].as_array().map(|g| join_text(g)).unwrap_or_default();
            crate::domain::patient::person_name(&given, r["name"][0]["family"].as_str().unwrap_or_default())
        }),
    };
    let entry = Target { kind: kind.to_string(), id: Some(file_id(kind, id)), name };
    if let Some(url) = r["__fullUrl"].as_str() {
        known.insert(url.to_string(), entry.clone());
    }
    known.insert(format!("{kind}/{id}"), entry);
}

/// One resource into the rows: a Patient or an Appointment, any other type counted.
fn take(parsed: &mut Parsed, line: u32, r: &Value, known: &HashMap<String, Target>, default_language: &str) {
    parsed.rows += 1;
    match r["resourceType"].as_str() {
        Some("Patient") => patient(parsed, line, r, default_language),
        Some("Appointment") => appointment(parsed, line, r, known),
        Some(other) => *parsed.ignored.entry(other.to_string()).or_default() += 1,
        None => parsed.problem(line, "resourceType", "", Refusal::Required { what: "resourceType".into() }),
    }
}

fn join_text(values: &[Value]) -> String {
    values.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")
}

fn extension<'a>(r: &'a Value, name: &str) -> Option<&'a Value> {
    let url = format!("{BASE}/StructureDefinition/{name}");
    r["extension"].as_array()?.iter().find(|e| e["url"] == url.as_str())
}

fn columns(names: &[(&'static str, &str)]) -> Columns {
    Columns(names.iter().map(|(field, element)| (*field, element.to_string())).collect())
}

fn patient(parsed: &mut Parsed, line: u32, r: &Value, default_language: &str) {
    let names = r["name"].as_array().cloned().unwrap_or_default();
    let name = names.iter().find(|n| n["use"] == "official").or(names.first()).cloned().unwrap_or(Value::Null);
    let mut given = name["given"].as_array().map(|g| join_text(g)).unwrap_or_default();
    let mut family = name["family"].as_str().unwrap_or_default().to_string();
    if given.is_empty() && family.is_empty() {
        (given, family) = split_full_name(name["text"].as_str().unwrap_or_default());
    }
    let telecom = r["telecom"].as_array().cloned().unwrap_or_default();
    let mut phones: Vec<&Value> = telecom.iter().filter(|t| t["system"] == "phone" || t["system"] == "sms").collect();
    phones.sort_by_key(|t| t["rank"].as_u64().unwrap_or(u64::MAX));
    let phone = |i: usize| phones.get(i).and_then(|t| t["value"].as_str()).unwrap_or_default().to_string();
    let email = telecom.iter().find(|t| t["system"] == "email").and_then(|t| t["value"].as_str()).unwrap_or_default();
    let communication = r["communication"].as_array().cloned().unwrap_or_default();
    let language = communication
        .iter()
        .find(|c| c["preferred"] == true)
        .or(communication.first())
        .and_then(|c| c["language"]["coding"][0]["code"].as_str())
        .and_then(|code| code.split('-').next())
        .map(str::to_lowercase)
        .unwrap_or_else(|| default_language.to_string());
    let birth = r["birthDate"].as_str().unwrap_or_default();
    let birth_date = match parse_date(birth) {
        Ok(date) => date.map(|d| d.to_string()).unwrap_or_default(),
        Err(reason) => return parsed.problem(line, "Patient.birthDate", birth, reason),
    };
    let flag =
        |name: &str, default: bool| extension(r, name).and_then(|e| e["valueBoolean"].as_bool()).unwrap_or(default);
    let input = PatientInput {
        given_name: given,
        family_name: family,
        birth_date,
        phone: phone(0),
        phone_alt: phone(1),
        email: email.into(),
        preferred_channel: extension(r, "preferred-channel")
            .and_then(|e| e["valueCode"].as_str())
            .unwrap_or("phone")
            .into(),
        preferred_language: language,
        consent_reminders: flag("reminder-consent", true),
        do_not_contact: flag("do-not-contact", false),
        notes: String::new(),
    };
    let mut present = vec!["given_name", "family_name", "phone"];
    for (field, given) in [
        ("birth_date", !input.birth_date.is_empty()),
        ("phone_alt", !input.phone_alt.is_empty()),
        ("email", !input.email.is_empty()),
        ("preferred_language", !communication.is_empty()),
        ("preferred_channel", extension(r, "preferred-channel").is_some()),
        ("consent_reminders", extension(r, "reminder-consent").is_some()),
        ("do_not_contact", extension(r, "do-not-contact").is_some()),
    ] {
        if given {
            present.push(field);
        }
    }
    parsed.patients.push(PatientRow {
        line,
        present,
        id: r["id"].as_str().map(|id| file_id("Patient", id)),
        input,
        columns: columns(&[
            ("given_name", "Patient.name.given"),
            ("family_name", "Patient.name.family"),
            ("birth_date", "Patient.birthDate"),
            ("phone", "Patient.telecom"),
            ("phone_alt", "Patient.telecom"),
            ("email", "Patient.telecom"),
            ("preferred_channel", "Patient.extension"),
            ("preferred_language", "Patient.communication"),
        ]),
    });
}

fn instant(parsed: &mut Parsed, line: u32, r: &Value, element: &str) -> Option<DateTime<Utc>> {
    if r[element].is_null() {
        return None;
    }
    let Some(text) = r[element].as_str() else {
        let value = r[element].to_string();
        parsed.problem(line, format!("Appointment.{element}"), value.clone(), Refusal::BadDateTime { value });
        return None;
    };
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            parsed.problem(line, format!("Appointment.{element}"), text, Refusal::BadDateTime { value: text.into() });
            None
        }
    }
}

fn appointment(parsed: &mut Parsed, line: u32, r: &Value, known: &HashMap<String, Target>) {
    let before = parsed.problems.len();
    let participants = r["participant"].as_array().cloned().unwrap_or_default();
    // The participant of `kind` (Patient, Practitioner, Location): whom it names, and it.
    let actor = |kind: &str| -> Option<(Target, &Value)> {
        participants.iter().find_map(|p| {
            let mut target = resolve(known, p["actor"]["reference"].as_str()?)?;
            if target.name.is_empty() {
                target.name = p["actor"]["display"].as_str().unwrap_or_default().to_string();
            }
            (target.kind == kind).then_some((target, p))
        })
    };
    let patient = match actor("Patient").map(|(t, _)| t) {
        Some(Target { id: Some(id), .. }) => PatientRef::Id(id),
        Some(Target { name, .. }) if !name.is_empty() => {
            PatientRef::Described { name, birth_date: None, phone: String::new() }
        }
        _ => {
            parsed.problem(line, "Appointment.participant", "", Refusal::Required { what: "Patient".into() });
            PatientRef::Id(Uuid::nil())
        }
    };
    let patient_accepted = actor("Patient").is_some_and(|(_, p)| p["status"] == "accepted");
    let named = |kind: &str| actor(kind).map(|(t, _)| NamedRef { id: t.id, name: t.name }).unwrap_or_default();
    let service = r["serviceType"][0]["text"]
        .as_str()
        .or(r["serviceType"][0]["coding"][0]["display"].as_str())
        .unwrap_or_default();
    let code = r["status"].as_str().unwrap_or_default();
    let status = match status_code(code) {
        Some(AppointmentStatus::Booked) if patient_accepted => Some(AppointmentStatus::Confirmed),
        Some(status) => Some(status),
        None => {
            parsed.problem(line, "Appointment.status", code, Refusal::UnknownStatus { value: code.into() });
            None
        }
    };
    let starts_at = instant(parsed, line, r, "start");
    let ends_at = instant(parsed, line, r, "end");
    if r["start"].is_null() {
        parsed.problem(line, "Appointment.start", "", Refusal::Required { what: "Appointment.start".into() });
    }
    let (Some(starts_at), Some(status)) = (starts_at, status) else { return };
    if parsed.problems.len() > before {
        return;
    }
    parsed.appointments.push(AppointmentRow {
        line,
        id: r["id"].as_str().map(|id| file_id("Appointment", id)),
        patient,
        provider: named("Practitioner"),
        room: named("Location"),
        service: NamedRef::named(service),
        starts_at,
        ends_at,
        status,
        cancel_reason: r["cancelationReason"]["text"].as_str().map(str::to_string),
        notes: r["comment"].as_str().unwrap_or_default().to_string(),
        columns: columns(&[
            ("patient", "Appointment.participant"),
            ("provider", "Appointment.participant"),
            ("room", "Appointment.participant"),
            ("service", "Appointment.serviceType"),
            ("start", "Appointment.start"),
            ("end", "Appointment.end"),
            ("status", "Appointment.status"),
            ("notes", "Appointment.comment"),
        ]),
    });
}

/// Our id for a resource of the file: its own when it is a uuid (ours come back as they went),
/// else one derived from its type and id, so the file's references to it still meet.
fn file_id(kind: &str, id: &str) -> Uuid {
    Uuid::parse_str(id).unwrap_or_else(|_| crate::domain::ids::derived_id(&format!("fhir-{kind}"), id))
}

/// A resource a reference names: its type, its id (when a uuid) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    kind: String,
    id: Option<Uuid>,
    name: String,
}

/// An entry of the file (by full URL or `Type/id`), or else `Type/id` at the end of a
/// reference to a resource outside it.
fn resolve(known: &HashMap<String, Target>, reference: &str) -> Option<Target> {
    if let Some(target) = known.get(reference) {
        return Some(target.clone());
    }
    let mut segments = reference.rsplit('/');
    let id = segments.next()?;
    let kind = segments.next()?;
    Some(Target { kind: kind.to_string(), id: Uuid::parse_str(id).ok(), name: String::new() })
}
