//! The flow board (today's patients by visit stage), its moves, and journey timelines.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{load_appointment, set_status};
use super::settings::read_calendar;
use super::templates::load_template;
use super::Entity;
use super::{Actor, OptionalRow, Store};
use crate::db::{Db, RowRef};
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
        self.read_kept(|| "flow board".into(), || self.read_flow_board())
    }

    fn read_flow_board(&self) -> Result<FlowBoard> {
        let now = self.now();
        self.read_patient_db(|db| {
            let calendar = read_calendar(db)?;
            let date = calendar.local_date(now);
            let (from, to) = calendar.day_bounds(date);
            let rows = db.query_map(
                "SELECT a.id, j.id, a.patient_id, person_name(p.given_name, p.family_name), v.name, r.name, s.name, s.color,
                   a.status, a.starts_at, a.ends_at, j.template_id, j.current_stage_id
                 FROM appointments a
                 JOIN patient_journeys j ON j.appointment_id = a.id
                 JOIN patients p ON p.id = a.patient_id
                 JOIN providers v ON v.id = a.provider_id
                 JOIN rooms r ON r.id = a.room_id
                 JOIN service_types s ON s.id = a.service_type_id
                 WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.status NOT IN ('cancelled', 'waitlist', 'proposed')
                 ORDER BY a.starts_at, a.id",
                &[&from, &to],
                |r| {
                    let card = FlowCard {
                        appointment_id: r.get(0)?,
                        journey_id: r.get(1)?,
                        patient_id: r.get(2)?,
                        patient_name: r.get(3)?,
                        provider_name: r.get(4)?,
                        room_name: r.get(5)?,
                        service_name: r.get(6)?,
                        service_color: r.get(7)?,
                        status: r.get_enum(8, AppointmentStatus::parse)?,
                        starts_at: r.get(9)?,
                        ends_at: r.get(10)?,
                        column: FlowColumn::Booked,
                        stage_name: String::new(),
                        since: None,
                        standard_minutes: None,
                        next_column: None,
                        previous_column: None,
                        amber_at: None,
                        red_at: None,
                    };
                    Ok((card, r.get::<Uuid>(11)?, r.get::<Option<Uuid>>(12)?))
                },
            )?;
            let mut templates: HashMap<Uuid, JourneyTemplate> = HashMap::new();
            for (_, template_id, _) in &rows {
                if !templates.contains_key(template_id) {
                    templates.insert(*template_id, load_template(db, *template_id)?);
                }
            }
            let mut events = events_of_day(db, from, to)?;
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
                .db()
                .query_opt(
                    "SELECT id, template_id, current_stage_id FROM patient_journeys WHERE appointment_id = ?1",
                    &[&appointment_id],
                )?
                .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .transpose()
                .found("journey of appointment", appointment_id)?;
            let template = load_template(w.db(), template_id)?;
            let events = journey_events(w.db(), journey_id)?;
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
            let done = planned.completes_journey.then_some(w.now);
            w.db().execute(
                "UPDATE patient_journeys SET current_stage_id = ?2, completed_at = ?3 WHERE id = ?1",
                &[&journey_id, &planned.current.map(|i| template.stages[i].id), &done],
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
        self.read_patient_db(|db| {
            let journey = db
                .query_opt(
                    "SELECT j.patient_id, person_name(p.given_name, p.family_name), s.name, s.color, j.template_id,
                       j.current_stage_id, j.started_at, j.completed_at, j.appointment_id
                     FROM patient_journeys j JOIN patients p ON p.id = j.patient_id
                     JOIN service_types s ON s.id = j.service_type_id WHERE j.id = ?1",
                    &[&journey_id],
                )
                .found("journey", journey_id)?;
            let appointment = match journey.get::<Option<Uuid>>(8)? {
                Some(id) => Some(timeline_appointment(db, id)?),
                None => None,
            };
            let template = load_template(db, journey.get(4)?)?;
            let input = TimelineInput {
                journey_id,
                patient_id: journey.get(0)?,
                patient_name: journey.get(1)?,
                service_name: journey.get(2)?,
                service_color: journey.get(3)?,
                template: &template,
                current_stage_id: journey.get(5)?,
                started_at: journey.get(6)?,
                completed_at: journey.get(7)?,
                appointment,
                events: journey_events(db, journey_id)?,
            };
            Ok(build_timeline(input, now))
        })
    }

    /// The journey of an appointment.
    pub fn journey_of_appointment(&self, appointment_id: Uuid) -> Result<Uuid> {
        self.read_patient_db(|db| {
            db.query_opt("SELECT id FROM patient_journeys WHERE appointment_id = ?1", &[&appointment_id])?
                .map(|r| r.get(0))
                .transpose()
                .found("journey of appointment", appointment_id)
        })
    }

    /// A patient's journeys, newest visit first.
    pub fn patient_journeys(&self, patient_id: Uuid) -> Result<Vec<JourneySummary>> {
        self.read_patient_db(|db| {
            db.query_map(
                "SELECT j.id, j.appointment_id, s.name, s.color, a.starts_at, a.status, st.name
                 FROM patient_journeys j JOIN service_types s ON s.id = j.service_type_id
                 LEFT JOIN appointments a ON a.id = j.appointment_id
                 LEFT JOIN template_stages st ON st.id = j.current_stage_id
                 WHERE j.patient_id = ?1 ORDER BY coalesce(a.starts_at, j.started_at) DESC, j.id",
                &[&patient_id],
                |r| {
                    Ok(JourneySummary {
                        journey_id: r.get(0)?,
                        appointment_id: r.get(1)?,
                        service_name: r.get(2)?,
                        service_color: r.get(3)?,
                        starts_at: r.get(4)?,
                        status: r.get_text(5)?.and_then(AppointmentStatus::parse),
                        current_stage: r.get(6)?,
                    })
                },
            )
        })
    }
}

fn timeline_appointment(db: &Db, id: Uuid) -> Result<TimelineAppointment> {
    db.query_map(
        "SELECT a.id, a.starts_at, a.ends_at, a.status, v.name, r.name, a.cancel_reason, a.created_at
         FROM appointments a JOIN providers v ON v.id = a.provider_id JOIN rooms r ON r.id = a.room_id WHERE a.id = ?1",
        &[&id],
        |r| {
            Ok(TimelineAppointment {
                id: r.get(0)?,
                starts_at: r.get(1)?,
                ends_at: r.get(2)?,
                status: r.get_enum(3, AppointmentStatus::parse)?,
                provider_name: r.get(4)?,
                room_name: r.get(5)?,
                cancel_reason: r.get(6)?,
                created_at: r.get(7)?,
            })
        },
    )
    .map(|rows| rows.into_iter().next())
    .found("appointment", id)
}

fn event_from(r: &RowRef) -> Result<StageEvent> {
    Ok(StageEvent {
        id: r.get(0)?,
        journey_id: r.get(1)?,
        stage_id: r.get(2)?,
        kind: r.get_enum(3, StageEventKind::parse)?,
        at: r.get(4)?,
        actor: r.get(5)?,
    })
}

/// Stage events in the order they were logged: by time, and those of one instant (a move
/// across several columns) in the order written (the file's row ids, the server's `seq`).
pub(super) fn in_logged_order(db: &Db) -> &'static str {
    db.per_engine("e.at, e.rowid", "e.at, e.seq")
}

fn journey_events(db: &Db, journey_id: Uuid) -> Result<Vec<StageEvent>> {
    let sql = format!(
        "SELECT e.id, e.journey_id, e.stage_id, e.kind, e.at, e.actor FROM stage_events e WHERE e.journey_id = ?1
         ORDER BY {}",
        in_logged_order(db)
    );
    db.query_map(&sql, &[&journey_id], event_from)
}

/// Stage events of the journeys of appointments starting in `[from, to)`, per journey.
fn events_of_day(
    db: &Db,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<Uuid, Vec<StageEvent>>> {
    let sql = format!(
        "SELECT e.id, e.journey_id, e.stage_id, e.kind, e.at, e.actor FROM stage_events e
         JOIN patient_journeys j ON j.id = e.journey_id JOIN appointments a ON a.id = j.appointment_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY {}",
        in_logged_order(db)
    );
    let mut by_journey: HashMap<Uuid, Vec<StageEvent>> = HashMap::new();
    for event in db.query_map(&sql, &[&from, &to], event_from)? {
        by_journey.entry(event.journey_id).or_default().push(event);
    }
    Ok(by_journey)
}
