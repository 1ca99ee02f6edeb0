//! One patient journey as a timeline: every stage of the three phases with what happened when,
//! how long it took against its standard, and what is due next.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::appointment::AppointmentStatus;
use super::flow::stage_passes;
use super::journey::{JourneyTemplate, Phase, StageEvent, StageEventKind, StandardBasis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    Done,
    Current,
    Skipped,
    Upcoming,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineStage {
    pub stage_id: Uuid,
    pub key: String,
    pub name: String,
    pub phase: Phase,
    pub state: StageState,
    pub entered_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Minutes from entering to completing (or to now, while in it); visit stages only.
    pub minutes: Option<u32>,
    pub standard_minutes: u32,
    pub standard_basis: StandardBasis,
    pub over_standard: bool,
    /// When a stage still ahead (or the current one) is due.
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    pub stage_name: String,
    pub kind: StageEventKind,
    pub actor: String,
}

/// The appointment a journey is about, as the timeline heads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineAppointment {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub provider_name: String,
    pub room_name: String,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JourneyTimeline {
    pub journey_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub service_name: String,
    pub service_color: String,
    pub template_name: String,
    pub template_version: u32,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub appointment: Option<TimelineAppointment>,
    pub stages: Vec<TimelineStage>,
    /// Everything that happened, oldest first.
    pub events: Vec<TimelineEvent>,
    /// The next stage due, if any: the current one, else the first upcoming.
    pub next_stage_id: Option<Uuid>,
}

/// What the timeline is built from; the store gathers it.
pub struct TimelineInput<'a> {
    pub journey_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub service_name: String,
    pub service_color: String,
    pub template: &'a JourneyTemplate,
    pub current_stage_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub appointment: Option<TimelineAppointment>,
    pub events: Vec<StageEvent>,
}

pub fn build_timeline(input: TimelineInput, now: DateTime<Utc>) -> JourneyTimeline {
    let template = input.template;
    let passes = stage_passes(template, &input.events);
    let current = input.current_stage_id.and_then(|id| template.stages.iter().position(|s| s.id == id));
    let cancelled = input.appointment.as_ref().is_some_and(|a| !a.status.holds_slot());
    let visit_start = input.appointment.as_ref().map(|a| a.starts_at);

    // Due times run forward from the last thing that happened: a lead-time stage is due its
    // standard after the stage before it finished, and pre-visit steps before the visit itself.
    let mut previous_done = Some(input.started_at);
    let mut stages = Vec::with_capacity(template.stages.len());
    for (i, (stage, pass)) in template.stages.iter().zip(&passes).enumerate() {
        let state = if pass.skipped && pass.completed_at.is_none() {
            StageState::Skipped
        } else if Some(i) == current && !cancelled {
            StageState::Current
        } else if pass.completed_at.is_some() {
            StageState::Done
        } else {
            StageState::Upcoming
        };
        let measured = stage.phase == Phase::Visit || stage.standard_basis == StandardBasis::Duration;
        let minutes = pass
            .entered_at
            .filter(|_| measured)
            .map(|entered| ((pass.completed_at.unwrap_or(now) - entered).num_seconds().max(0) / 60) as u32);
        let due_at = match (state, stage.phase) {
            (StageState::Done | StageState::Skipped, _) => None,
            _ if cancelled => None,
            (_, Phase::Visit) => visit_start,
            (_, Phase::PreVisit) => previous_done
                .map(|t| t + Duration::minutes(stage.standard_minutes as i64))
                .map(|due| visit_start.map_or(due, |v| due.min(v))),
            (_, Phase::PostVisit) => previous_done.map(|t| t + Duration::minutes(stage.standard_minutes as i64)),
        };
        if let Some(done) = pass.completed_at {
            previous_done = Some(done);
        } else if state == StageState::Upcoming || state == StageState::Current {
            // Later stages wait for this one; their due times count from its own.
            previous_done = due_at.or(previous_done);
        }
        stages.push(TimelineStage {
            stage_id: stage.id,
            key: stage.key.clone(),
            name: stage.name.clone(),
            phase: stage.phase,
            state,
            entered_at: pass.entered_at,
            completed_at: pass.completed_at,
            minutes,
            standard_minutes: stage.standard_minutes,
            standard_basis: stage.standard_basis,
            over_standard: minutes
                .is_some_and(|m| stage.standard_basis == StandardBasis::Duration && m > stage.standard_minutes),
            due_at,
        });
    }
    let next_stage_id = stages
        .iter()
        .find(|s| s.state == StageState::Current)
        .or_else(|| stages.iter().find(|s| s.state == StageState::Upcoming && !cancelled))
        .map(|s| s.stage_id);

    let mut events: Vec<TimelineEvent> = input
        .events
        .iter()
        .filter_map(|e| {
            let stage = template.stages.iter().find(|s| s.id == e.stage_id)?;
            Some(TimelineEvent { at: e.at, stage_name: stage.name.clone(), kind: e.kind, actor: e.actor.clone() })
        })
        .collect();
    events.sort_by_key(|e| e.at);

    JourneyTimeline {
        journey_id: input.journey_id,
        patient_id: input.patient_id,
        patient_name: input.patient_name,
        service_name: input.service_name,
        service_color: input.service_color,
        template_name: template.name.clone(),
        template_version: template.version,
        started_at: input.started_at,
        completed_at: input.completed_at,
        appointment: input.appointment,
        stages,
        events,
        next_stage_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::journey::Stage;
    use crate::domain::resources::Role;
    use chrono::TimeZone;

    fn stage(n: u128, key: &str, phase: Phase, minutes: u32, basis: StandardBasis) -> Stage {
        Stage {
            id: Uuid::from_u128(n),
            key: key.into(),
            phase,
            name: key.into(),
            description: String::new(),
            owner_role: Role::FrontDesk,
            standard_minutes: minutes,
            standard_basis: basis,
            cells: vec![],
        }
    }

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn event(stage: u128, kind: StageEventKind, minute: i64) -> StageEvent {
        StageEvent {
            id: Uuid::from_u128((stage * 1_000_000) + (minute + 100_000) as u128),
            journey_id: Uuid::from_u128(1),
            stage_id: Uuid::from_u128(stage),
            kind,
            at: at(minute),
            actor: "user".into(),
        }
    }

    #[test]
    fn the_timeline_measures_visit_stages_and_dates_what_is_due() {
        use Phase::*;
        use StageEventKind::*;
        use StandardBasis::*;
        let template = JourneyTemplate {
            id: Uuid::from_u128(9),
            family_key: "f".into(),
            name: "First consultation".into(),
            description: String::new(),
            version: 2,
            created_at: at(-10_000),
            stages: vec![
                stage(10, "booking", PreVisit, 5, Duration),
                stage(11, "confirmation", PreVisit, 2880, LeadTime),
                stage(12, "check_in", Visit, 5, Duration),
                stage(13, "waiting", Visit, 10, Duration),
                stage(14, "consultation", Visit, 40, Duration),
                stage(15, "follow_up_call", PostVisit, 2880, LeadTime),
            ],
        };
        let appointment = TimelineAppointment {
            id: Uuid::from_u128(2),
            starts_at: at(0),
            ends_at: at(40),
            status: AppointmentStatus::InProgress,
            provider_name: "Dr Ivanova".into(),
            room_name: "Room 1".into(),
            cancel_reason: None,
            created_at: at(-5000),
        };
        let input = TimelineInput {
            journey_id: Uuid::from_u128(1),
            patient_id: Uuid::from_u128(3),
            patient_name: "Anna Petrova".into(),
            service_name: "First consultation".into(),
            service_color: "#2f7d7a".into(),
            template: &template,
            current_stage_id: Some(Uuid::from_u128(14)),
            started_at: at(-5000),
            completed_at: None,
            appointment: Some(appointment),
            events: vec![
                event(10, Completed, -5000),
                event(11, Skipped, -3),
                event(12, Entered, -3),
                event(12, Completed, 0),
                event(13, Entered, 0),
                event(13, Completed, 14),
                event(14, Started, 14),
            ],
        };
        let t = build_timeline(input, at(30));
        let states: Vec<StageState> = t.stages.iter().map(|s| s.state).collect();
        use StageState as S;
        assert_eq!(states, [S::Done, S::Skipped, S::Done, S::Done, S::Current, S::Upcoming]);
        assert_eq!(t.stages[3].minutes, Some(14));
        assert!(t.stages[3].over_standard, "14 minutes waiting against a 10-minute standard");
        assert_eq!(t.stages[4].minutes, Some(16));
        assert!(!t.stages[4].over_standard);
        assert_eq!(t.next_stage_id, Some(Uuid::from_u128(14)));
        // The follow-up call is due two days after the visit.
        assert_eq!(t.stages[5].due_at, Some(at(2880)));
        assert_eq!(t.events.len(), 7);
        assert_eq!(t.events[0].stage_name, "booking");
    }
}
