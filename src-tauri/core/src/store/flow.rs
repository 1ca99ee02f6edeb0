//! The flow board (today's patients by visit stage), its moves, and journey timelines.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{load_appointment, set_status};
use super::settings::load_calendar;
use super::templates::load_template;
use super::Entity;
use super::{enum_at, opt_time_at, opt_uuid_at, time_at, ts, uuid_at, Actor, OptionalRow, Store};
use crate::domain::access::Work;
use crate::domain::appointment::AppointmentStatus;
use crate::domain::flow::{build_flow_board, plan_move, stage_passes, FlowBoard, FlowCard, FlowColumn, FlowItem};
use crate::domain::ids::new_id;
use crate::domain::journey::{JourneyTemplate, StageEvent, StageEventKind};
use crate::domain::timeline::{build_timeline, JourneyTimeline, TimelineAppointment, TimelineInput};
use crate::error::{Error, Refusal, Result};

/// A patient's journey as their list of visits shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JourneySummary {
    pub journey_id: Uuid,
    pub appointment_id: Option<Uuid>,
    pub service_name: String,
    pub service_color: String,
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    pub status: Option<AppointmentStatus>,
    pub current_stage: Option<String>,
}

impl Store {
    /// Today's flow board.
    pub fn flow_board(&self) -> Result<FlowBoard> {
        let now = self.now();
        self.read_patient_data(|c| {
            let calendar = load_calendar(c)?;
            let date = calendar.local_date(now);
            let (from, to) = calendar.day_bounds(date);
            let mut stmt = c.prepare_cached(
                "SELECT a.id, j.id, a.patient_id, person_name(p.given_name, p.family_name), v.name, r.name, s.name, s.color,
                   a.status, a.starts_at, a.ends_at, j.template_id, j.current_stage_id
                 FROM appointments a
                 JOIN patient_journeys j ON j.appointment_id = a.id
                 JOIN patients p ON p.id = a.patient_id
                 JOIN providers v ON v.id = a.provider_id
                 JOIN rooms r ON r.id = a.room_id
                 JOIN service_types s ON s.id = a.service_type_id
                 WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.status NOT IN ('cancelled', 'waitlist', 'proposed')
                 ORDER BY a.starts_at",
            )?;
            let rows = stmt
                .query_map((ts(from), ts(to)), |r| {
                    let card = FlowCard {
                        appointment_id: uuid_at(r, 0)?,
                        journey_id: uuid_at(r, 1)?,
                        patient_id: uuid_at(r, 2)?,
                        patient_name: r.get(3)?,
                        provider_name: r.get(4)?,
                        room_name: r.get(5)?,
                        service_name: r.get(6)?,
                        service_color: r.get(7)?,
                        status: enum_at(r, 8, AppointmentStatus::parse)?,
                        starts_at: time_at(r, 9)?,
                        ends_at: time_at(r, 10)?,
                        column: FlowColumn::Booked,
                        stage_name: String::new(),
                        since: None,
                        standard_minutes: None,
                        next_column: None,
                        previous_column: None,
                        amber_at: None,
                        red_at: None,
                    };
                    Ok((card, uuid_at(r, 11)?, opt_uuid_at(r, 12)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut templates: HashMap<Uuid, JourneyTemplate> = HashMap::new();
            for (_, template_id, _) in &rows {
                if !templates.contains_key(template_id) {
                    templates.insert(*template_id, load_template(&crate::db::Db::Sqlite(c), *template_id)?);
                }
            }
            let mut events = events_of_day(c, from, to)?;
            let items = rows
                .into_iter()
                .map(|(card, template_id, current)| {
                    let template = &templates[&template_id];
                    FlowItem {
                        current: current.and_then(|id| template.stages.iter().position(|s| s.id == id)),
                        events: events.remove(&card.journey_id).unwrap_or_default(),
                        card,
                        template,
                    }
                })
                .collect();
            Ok(build_flow_board(date, now, to, items))
        })
    }

    /// Moves today's patient to another column of the flow board, logging the stage events.
    pub fn move_on_flow_board(&self, actor: Actor, appointment_id: Uuid, to: FlowColumn) -> Result<FlowBoard> {
        self.write(actor, Work::Flow, |w| {
            let calendar = w.calendar()?;
            let appointment = load_appointment(w.db(), appointment_id)?;
            let patient = super::patients::load_patient(w.db(), appointment.patient_id)?.full_name();
            let date = calendar.local_date(appointment.starts_at);
            if date != calendar.local_date(w.now) {
                return Err(Error::refused(
                    "appointment_id",
                    Refusal::NotToday { patient: patient.clone(), date: date.to_string() },
                ));
            }
            if matches!(appointment.status, AppointmentStatus::Cancelled | AppointmentStatus::Waitlist) {
                let status = appointment.status.as_str().into();
                return Err(Error::refused("", Refusal::Status { patient, status, action: "move_on_board".into() }));
            }
            let (journey_id, template_id, current): (Uuid, Uuid, Option<Uuid>) = w
                .sqlite()?
                .query_row(
                    "SELECT id, template_id, current_stage_id FROM patient_journeys WHERE appointment_id = ?1",
                    [appointment_id.to_string()],
                    |r| Ok((uuid_at(r, 0)?, uuid_at(r, 1)?, opt_uuid_at(r, 2)?)),
                )
                .found("journey of appointment", appointment_id)?;
            let template = load_template(w.db(), template_id)?;
            let events = journey_events(w.sqlite()?, journey_id)?;
            let current_index = current.and_then(|id| template.stages.iter().position(|s| s.id == id));
            let planned = plan_move(&template, current_index, &stage_passes(&template, &events), to)?;
            for (stage, kind) in &planned.events {
                let event = StageEvent {
                    id: new_id(),
                    journey_id,
                    stage_id: template.stages[*stage].id,
                    kind: *kind,
                    at: w.now,
                    actor: w.actor.as_str().to_string(),
                };
                super::insert_stage_event(w, &event)?;
            }
            let done = planned.completes_journey.then_some(ts(w.now));
            w.sqlite()?.execute(
                "UPDATE patient_journeys SET current_stage_id = ?2, completed_at = ?3 WHERE id = ?1",
                (journey_id.to_string(), planned.current.map(|i| template.stages[i].id.to_string()), done),
            )?;
            w.changed(Entity::PatientJourneys, journey_id);
            if planned.status != appointment.status {
                set_status(w, appointment_id, planned.status, None)?;
            }
            Ok(())
        })?;
        self.flow_board()
    }

    /// One journey, stage by stage.
    pub fn journey_timeline(&self, journey_id: Uuid) -> Result<JourneyTimeline> {
        let now = self.now();
        self.read_patient_data(|c| {
            let (
                patient_id,
                patient_name,
                service_name,
                color,
                template_id,
                current,
                started,
                completed,
                appointment_id,
            ) = c
                .query_row(
                    "SELECT j.patient_id, person_name(p.given_name, p.family_name), s.name, s.color, j.template_id,
                       j.current_stage_id, j.started_at, j.completed_at, j.appointment_id
                     FROM patient_journeys j JOIN patients p ON p.id = j.patient_id
                     JOIN service_types s ON s.id = j.service_type_id WHERE j.id = ?1",
                    [journey_id.to_string()],
                    |r| {
                        Ok((
                            uuid_at(r, 0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            uuid_at(r, 4)?,
                            opt_uuid_at(r, 5)?,
                            time_at(r, 6)?,
                            opt_time_at(r, 7)?,
                            opt_uuid_at(r, 8)?,
                        ))
                    },
                )
                .found("journey", journey_id)?;
            let appointment = match appointment_id {
                Some(id) => Some(timeline_appointment(c, id)?),
                None => None,
            };
            let template = load_template(&crate::db::Db::Sqlite(c), template_id)?;
            let input = TimelineInput {
                journey_id,
                patient_id,
                patient_name,
                service_name,
                service_color: color,
                template: &template,
                current_stage_id: current,
                started_at: started,
                completed_at: completed,
                appointment,
                events: journey_events(c, journey_id)?,
            };
            Ok(build_timeline(input, now))
        })
    }

    /// The journey of an appointment.
    pub fn journey_of_appointment(&self, appointment_id: Uuid) -> Result<Uuid> {
        self.read_patient_data(|c| {
            c.query_row(
                "SELECT id FROM patient_journeys WHERE appointment_id = ?1",
                [appointment_id.to_string()],
                |r| uuid_at(r, 0),
            )
            .found("journey of appointment", appointment_id)
        })
    }

    /// A patient's journeys, newest visit first.
    pub fn patient_journeys(&self, patient_id: Uuid) -> Result<Vec<JourneySummary>> {
        self.read_patient_data(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT j.id, j.appointment_id, s.name, s.color, a.starts_at, a.status, st.name
                 FROM patient_journeys j JOIN service_types s ON s.id = j.service_type_id
                 LEFT JOIN appointments a ON a.id = j.appointment_id
                 LEFT JOIN template_stages st ON st.id = j.current_stage_id
                 WHERE j.patient_id = ?1 ORDER BY coalesce(a.starts_at, j.started_at) DESC",
            )?;
            let rows = stmt.query_map([patient_id.to_string()], |r| {
                Ok(JourneySummary {
                    journey_id: uuid_at(r, 0)?,
                    appointment_id: opt_uuid_at(r, 1)?,
                    service_name: r.get(2)?,
                    service_color: r.get(3)?,
                    starts_at: opt_time_at(r, 4)?,
                    status: r.get::<_, Option<String>>(5)?.as_deref().and_then(AppointmentStatus::parse),
                    current_stage: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}

fn timeline_appointment(c: &Connection, id: Uuid) -> Result<TimelineAppointment> {
    c.query_row(
        "SELECT a.id, a.starts_at, a.ends_at, a.status, v.name, r.name, a.cancel_reason, a.created_at
         FROM appointments a JOIN providers v ON v.id = a.provider_id JOIN rooms r ON r.id = a.room_id WHERE a.id = ?1",
        [id.to_string()],
        |r| {
            Ok(TimelineAppointment {
                id: uuid_at(r, 0)?,
                starts_at: time_at(r, 1)?,
                ends_at: time_at(r, 2)?,
                status: enum_at(r, 3, AppointmentStatus::parse)?,
                provider_name: r.get(4)?,
                room_name: r.get(5)?,
                cancel_reason: r.get(6)?,
                created_at: time_at(r, 7)?,
            })
        },
    )
    .found("appointment", id)
}

fn event_from(r: &rusqlite::Row) -> rusqlite::Result<StageEvent> {
    Ok(StageEvent {
        id: uuid_at(r, 0)?,
        journey_id: uuid_at(r, 1)?,
        stage_id: uuid_at(r, 2)?,
        kind: enum_at(r, 3, StageEventKind::parse)?,
        at: time_at(r, 4)?,
        actor: r.get(5)?,
    })
}

fn journey_events(c: &Connection, journey_id: Uuid) -> Result<Vec<StageEvent>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, journey_id, stage_id, kind, at, actor FROM stage_events WHERE journey_id = ?1 ORDER BY at, rowid",
    )?;
    let rows = stmt.query_map([journey_id.to_string()], event_from)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Stage events of the journeys of appointments starting in `[from, to)`, per journey.
fn events_of_day(
    c: &Connection,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<Uuid, Vec<StageEvent>>> {
    let mut stmt = c.prepare_cached(
        "SELECT e.id, e.journey_id, e.stage_id, e.kind, e.at, e.actor FROM stage_events e
         JOIN patient_journeys j ON j.id = e.journey_id JOIN appointments a ON a.id = j.appointment_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY e.at, e.rowid",
    )?;
    let mut by_journey: HashMap<Uuid, Vec<StageEvent>> = HashMap::new();
    for event in stmt.query_map((ts(from), ts(to)), event_from)? {
        let event = event?;
        by_journey.entry(event.journey_id).or_default().push(event);
    }
    Ok(by_journey)
}
