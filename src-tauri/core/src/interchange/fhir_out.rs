//! FHIR R4 (4.0.1) resources of the clinic's records: Patient, Practitioner, Location,
//! Appointment, Task (a reminder or call, with each attempt's outcome as an output) and
//! Communication (a call or message that reached the patient), as one collection Bundle or as
//! NDJSON (one resource per line, references as `Type/id`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::records::{Named, Records, TaskRecord, Visit};
use crate::domain::appointment::AppointmentStatus;
use crate::domain::patient::Patient;
use crate::domain::tasks::{TaskOutcome, TaskStatus};

/// Our own code systems and extensions live under this address (names, not a server).
pub const BASE: &str = "https://clinic-journey.app/fhir";

/// How a resource refers to another: inside a Bundle by the other entry's `urn:uuid:` full
/// URL, in NDJSON as `Type/id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum References {
    Bundle,
    Ndjson,
}

fn reference(kind: &str, id: uuid::Uuid, style: References) -> String {
    match style {
        References::Bundle => format!("urn:uuid:{id}"),
        References::Ndjson => format!("{kind}/{id}"),
    }
}

pub fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Every resource of the records, in dependency order (patients and resources first).
pub fn resources(records: &Records, style: References) -> Vec<Value> {
    let mut out = Vec::new();
    out.extend(records.patients.iter().map(patient));
    out.extend(records.providers.iter().map(practitioner));
    out.extend(records.rooms.iter().map(location));
    out.extend(records.visits.iter().map(|v| appointment(v, style)));
    for task in &records.tasks {
        out.push(task_resource(task, style));
        out.extend(communications(task, style));
    }
    out
}

/// A collection Bundle of every resource.
pub fn bundle(records: &Records, now: DateTime<Utc>) -> Value {
    let entries: Vec<Value> = resources(records, References::Bundle)
        .into_iter()
        .map(|r| json!({ "fullUrl": format!("urn:uuid:{}", r["id"].as_str().unwrap_or_default()), "resource": r }))
        .collect();
    json!({
        "resourceType": "Bundle",
        "id": crate::domain::ids::new_id().to_string(),
        "meta": { "lastUpdated": instant(now) },
        "type": "collection",
        "timestamp": instant(now),
        "entry": entries,
    })
}

/// One resource per line.
pub fn ndjson(records: &Records) -> String {
    let mut text = String::new();
    for r in resources(records, References::Ndjson) {
        text.push_str(&r.to_string());
        text.push('\n');
    }
    text
}

pub fn patient(p: &Patient) -> Value {
    let mut telecom = vec![json!({ "system": "phone", "value": p.phone, "use": "mobile", "rank": 1 })];
    if let Some(alt) = &p.phone_alt {
        telecom.push(json!({ "system": "phone", "value": alt, "rank": 2 }));
    }
    if let Some(email) = &p.email {
        telecom.push(json!({ "system": "email", "value": email }));
    }
    let mut r = json!({
        "resourceType": "Patient",
        "id": p.id.to_string(),
        "meta": { "lastUpdated": instant(p.updated_at) },
        "extension": [
            { "url": format!("{BASE}/StructureDefinition/preferred-channel"), "valueCode": p.preferred_channel.as_str() },
            { "url": format!("{BASE}/StructureDefinition/reminder-consent"), "valueBoolean": p.consent_reminders },
            { "url": format!("{BASE}/StructureDefinition/do-not-contact"), "valueBoolean": p.do_not_contact },
        ],
        "active": true,
        "name": [name(&p.given_name, &p.family_name)],
        "telecom": telecom,
        "communication": [{
            "language": { "coding": [{ "system": "urn:ietf:bcp:47", "code": p.preferred_language }] },
            "preferred": true,
        }],
    });
    if let Some(birth) = p.birth_date {
        r["birthDate"] = json!(birth.to_string());
    }
    r
}

fn name(given: &str, family: &str) -> Value {
    let mut name = Map::new();
    name.insert("use".into(), json!("official"));
    name.insert("text".into(), json!(crate::domain::patient::person_name(given, family)));
    if !family.is_empty() {
        name.insert("family".into(), json!(family));
    }
    if !given.is_empty() {
        name.insert("given".into(), json!([given]));
    }
    Value::Object(name)
}

fn practitioner(p: &Named) -> Value {
    let mut r = json!({
        "resourceType": "Practitioner",
        "id": p.id.to_string(),
        "active": p.active,
        "name": [{ "text": p.name }],
    });
    if !p.detail.is_empty() {
        r["qualification"] = json!([{ "code": { "text": p.detail } }]);
    }
    r
}

fn location(room: &Named) -> Value {
    json!({
        "resourceType": "Location",
        "id": room.id.to_string(),
        "status": if room.active { "active" } else { "inactive" },
        "name": room.name,
        "mode": "instance",
    })
}

/// FHIR has no "confirmed" status: a confirmed visit is `booked` with the patient's
/// participation `accepted` (an unconfirmed one `needs-action`).
fn appointment(v: &Visit, style: References) -> Value {
    let patient_status = match v.status {
        AppointmentStatus::Proposed | AppointmentStatus::Booked | AppointmentStatus::Waitlist => "needs-action",
        AppointmentStatus::Cancelled => "declined",
        _ => "accepted",
    };
    let patient_name = crate::domain::patient::person_name(&v.patient_given, &v.patient_family);
    let mut r = json!({
        "resourceType": "Appointment",
        "id": v.id.to_string(),
        "meta": { "versionId": v.revision.to_string(), "lastUpdated": instant(v.updated_at) },
        "status": v.status.fhir(),
        "serviceType": [{ "text": v.service_name }],
        "start": instant(v.starts_at),
        "end": instant(v.ends_at),
        "minutesDuration": (v.ends_at - v.starts_at).num_minutes(),
        "created": instant(v.created_at),
        "participant": [
            { "actor": { "reference": reference("Patient", v.patient_id, style), "display": patient_name },
              "required": "required", "status": patient_status },
            { "actor": { "reference": reference("Practitioner", v.provider_id, style), "display": v.provider_name },
              "required": "required", "status": "accepted" },
            { "actor": { "reference": reference("Location", v.room_id, style), "display": v.room_name },
              "required": "required", "status": "accepted" },
        ],
    });
    if !v.notes.is_empty() {
        r["comment"] = json!(v.notes);
    }
    if let Some(reason) = v.cancel_reason.as_deref().filter(|r| !r.is_empty() && !v.status.holds_slot()) {
        r["cancelationReason"] = json!({ "text": reason });
    }
    r
}

fn task_status(t: &TaskRecord) -> &'static str {
    match t.status {
        TaskStatus::Open if t.attempts.is_empty() => "ready",
        TaskStatus::Open => "in-progress",
        TaskStatus::Done => "completed",
        TaskStatus::Failed => "failed",
        TaskStatus::Cancelled => "cancelled",
    }
}

fn task_resource(t: &TaskRecord, style: References) -> Value {
    let mut period = json!({ "start": instant(t.due_at) });
    if let Some(end) = t.expires_at.filter(|end| *end >= t.due_at) {
        period["end"] = json!(instant(end));
    }
    let outputs: Vec<Value> = t
        .attempts
        .iter()
        .map(|a| {
            json!({
                "type": { "text": format!("Outcome of the attempt at {}", instant(a.at)) },
                "valueCodeableConcept": { "coding": [{
                    "system": format!("{BASE}/CodeSystem/call-outcome"),
                    "code": a.outcome.as_str(),
                }] },
            })
        })
        .collect();
    let mut r = json!({
        "resourceType": "Task",
        "id": t.id.to_string(),
        "status": task_status(t),
        "intent": "order",
        "code": { "coding": [{ "system": format!("{BASE}/CodeSystem/task-kind"), "code": t.kind }], "text": t.name },
        "description": t.name,
        "for": { "reference": reference("Patient", t.patient_id, style) },
        "focus": { "reference": reference("Appointment", t.appointment_id, style) },
        "executionPeriod": period,
        "authoredOn": instant(t.created_at),
        "lastModified": instant(t.updated_at.max(t.created_at)),
    });
    if !t.note.is_empty() {
        r["note"] = json!([{ "text": t.note }]);
    }
    if !outputs.is_empty() {
        r["output"] = json!(outputs);
    }
    r
}

/// An attempt that reached the patient (or sent the message) is a completed Communication.
fn communications(t: &TaskRecord, style: References) -> Vec<Value> {
    let medium = match t.kind.as_str() {
        "call" => Some("PHONE"),
        "email" => Some("EMAILWRIT"),
        "letter" => Some("MAILWRIT"),
        "sms" => Some("ELECTRONIC"),
        _ => None,
    };
    t.attempts
        .iter()
        .filter(|a| {
            matches!(
                a.outcome,
                TaskOutcome::Confirmed
                    | TaskOutcome::Reached
                    | TaskOutcome::Done
                    | TaskOutcome::Rescheduled
                    | TaskOutcome::Declined
            )
        })
        .map(|a| {
            let mut r = json!({
                "resourceType": "Communication",
                "id": a.id.to_string(),
                "basedOn": [{ "reference": reference("Task", t.id, style) }],
                "status": "completed",
                "subject": { "reference": reference("Patient", t.patient_id, style) },
                "about": [{ "reference": reference("Appointment", t.appointment_id, style) }],
                "sent": instant(a.at),
            });
            if let Some(code) = medium {
                r["medium"] = json!([{ "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
                    "code": code,
                }] }]);
            }
            if !a.note.is_empty() {
                r["payload"] = json!([{ "contentString": a.note }]);
            }
            r
        })
        .collect()
}
