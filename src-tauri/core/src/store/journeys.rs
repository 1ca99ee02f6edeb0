//! Patient journeys and their stage event log.

use super::templates::{load_template, newest_template_id};
use super::Entity;
use super::Write;
use crate::domain::appointment::Appointment;
use crate::domain::ids::{derived_id, new_id};
use crate::domain::journey::{PatientJourney, StageEvent, StageEventKind};
use crate::error::Result;

/// Starts the journey of a new appointment on the newest version of its template: the booking
/// stage is done, and the journey waits in the stage after it.
pub(super) fn start_journey(w: &mut Write, appointment: &Appointment, family_key: &str) -> Result<PatientJourney> {
    let template = newest_template(w, family_key)?;
    start_journey_on(w, appointment, &template)
}

/// The newest version of a journey family's template.
pub(super) fn newest_template(w: &Write, family_key: &str) -> Result<crate::domain::journey::JourneyTemplate> {
    load_template(w.db(), newest_template_id(w.db(), family_key)?)
}

/// `start_journey` on a template already loaded (an import starts thousands on a few).
pub(super) fn start_journey_on(
    w: &mut Write,
    appointment: &Appointment,
    template: &crate::domain::journey::JourneyTemplate,
) -> Result<PatientJourney> {
    let booking = template.stages.iter().position(|s| s.key == "booking");
    let current = template.stages.get(booking.map_or(0, |i| i + 1)).map(|s| s.id);
    let journey = PatientJourney {
        // One journey per appointment: its id derives from the appointment's.
        id: derived_id("patient_journey", &appointment.id.to_string()),
        patient_id: appointment.patient_id,
        service_type_id: appointment.service_type_id,
        template_id: template.id,
        appointment_id: Some(appointment.id),
        current_stage_id: current,
        started_at: w.now,
        completed_at: None,
    };
    insert_journey(w, &journey)?;
    if let Some(i) = booking {
        let event = StageEvent {
            id: new_id(),
            journey_id: journey.id,
            stage_id: template.stages[i].id,
            kind: StageEventKind::Completed,
            at: w.now,
            actor: w.actor.as_str().to_string(),
        };
        insert_stage_event(w, &event)?;
    }
    Ok(journey)
}

/// Marks the journey of a visit that took place before it came here (an import) as complete.
pub(super) fn complete_journey(
    w: &mut Write,
    appointment_id: uuid::Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    w.db().execute(
        "UPDATE patient_journeys SET current_stage_id = NULL, completed_at = ?2 WHERE appointment_id = ?1",
        &[&appointment_id, &at],
    )?;
    w.touch(Entity::PatientJourneys);
    Ok(())
}

/// Ends the journey of a cancelled or missed appointment: no stage is current any more.
pub(super) fn close_journey(w: &mut Write, appointment_id: uuid::Uuid) -> Result<()> {
    let changed = w.db().execute(
        "UPDATE patient_journeys SET current_stage_id = NULL, completed_at = ?2 WHERE appointment_id = ?1",
        &[&appointment_id, &w.now],
    )?;
    if changed > 0 {
        w.touch(Entity::PatientJourneys);
    }
    Ok(())
}

pub(crate) fn insert_journey(w: &mut Write, j: &PatientJourney) -> Result<()> {
    w.db().execute(
        "INSERT INTO patient_journeys (id, patient_id, service_type_id, template_id, appointment_id, current_stage_id,
           started_at, completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[
            &j.id,
            &j.patient_id,
            &j.service_type_id,
            &j.template_id,
            &j.appointment_id,
            &j.current_stage_id,
            &j.started_at,
            &j.completed_at,
        ],
    )?;
    w.audit(Entity::PatientJourneys, j.id, "start", "")
}

/// Stage events are many and derived from a journey, so they mark the journey as changed
/// instead of writing an audit row each.
pub(crate) fn insert_stage_event(w: &mut Write, e: &StageEvent) -> Result<()> {
    w.db().execute(
        "INSERT INTO stage_events (id, journey_id, stage_id, kind, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&e.id, &e.journey_id, &e.stage_id, &e.kind.as_str(), &e.at, &e.actor],
    )?;
    w.touch(Entity::StageEvents);
    // A completed stage can start a rule's countdown: the journey's patient is re-planned.
    w.changed(Entity::PatientJourneys, e.journey_id);
    Ok(())
}
