//! Surveys after a visit: entered by staff from the feedback call, or by the patient on the
//! kiosk screen. Recording one closes the visit's open feedback task (the stage is done), in the
//! same write. Also the features proposed for the Kano questions and the SERVQUAL weights.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::booking::load_appointment;
use super::tasks::record_outcome_in;
use super::{ts, uuid_at, Actor, Entity, OptionalRow, Store};
use crate::domain::access::Work;
use crate::domain::appointment::{Appointment, AppointmentStatus};
use crate::domain::ids::new_id;
use crate::domain::reminders::TaskKind;
use crate::domain::survey::{check_weights, Dimension, KanoAnswer, SurveyAnswers, SurveySource, FEEDBACK_STAGE_KEY};
use crate::domain::tasks::TaskOutcome;
use crate::error::{Error, Refusal, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KanoInput {
    pub feature_id: Uuid,
    pub functional: KanoAnswer,
    pub dysfunctional: KanoAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SurveyInput {
    pub appointment_id: Uuid,
    pub source: SurveySource,
    pub answers: SurveyAnswers,
    pub kano: Vec<KanoInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SurveyRecorded {
    pub id: Uuid,
    /// The feedback task it answered, now closed.
    pub task_closed: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KanoFeature {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
}

/// What the kiosk shows a patient: their own visit and nothing of anyone else's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KioskSurvey {
    pub appointment_id: Uuid,
    pub given_name: String,
    pub provider_name: String,
    pub visit_start: DateTime<Utc>,
    /// The patient's language: the kiosk speaks it.
    pub language: String,
    pub clinic_name: String,
    pub kano_features: Vec<KanoFeature>,
}

impl Store {
    /// Records a survey about one visit, and closes its open feedback task.
    pub fn record_survey(&self, actor: Actor, input: &SurveyInput) -> Result<SurveyRecorded> {
        input.answers.check()?;
        self.write(actor, Work::Surveys, |w| {
            let visit = load_appointment(w.db(), input.appointment_id)?;
            check_can_answer(w.sqlite()?, &visit)?;
            let language: String = w.sqlite()?.query_row(
                "SELECT preferred_language FROM patients WHERE id = ?1",
                [visit.patient_id.to_string()],
                |r| r.get(0),
            )?;
            let task = open_feedback_task(w.sqlite()?, visit.id)?;
            let id = new_id();
            let a = &input.answers;
            w.sqlite()?.execute(
                "INSERT INTO survey_responses (id, appointment_id, patient_id, task_id, source, language, nps, csat,
                   comment, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                rusqlite::params![
                    id.to_string(),
                    visit.id.to_string(),
                    visit.patient_id.to_string(),
                    task.map(|(t, _)| t.to_string()),
                    input.source.as_str(),
                    language,
                    a.nps,
                    a.csat,
                    a.comment.trim(),
                    ts(w.now),
                    w.actor.as_str(),
                ],
            )?;
            let mut stmt = w.sqlite()?.prepare_cached(
                "INSERT INTO servqual_answers (response_id, item, expectation, perception) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for s in &a.servqual {
                stmt.execute((id.to_string(), s.item, s.expectation, s.perception))?;
            }
            drop(stmt);
            for k in &input.kano {
                let active: bool = w
                    .sqlite()?
                    .query_row("SELECT active FROM kano_features WHERE id = ?1", [k.feature_id.to_string()], |r| {
                        r.get(0)
                    })
                    .found("feature", k.feature_id)?;
                if !active {
                    return Err(Error::refused("kano", Refusal::Inactive));
                }
                w.sqlite()?.execute(
                    "INSERT INTO kano_answers (response_id, feature_id, functional, dysfunctional) VALUES (?1, ?2, ?3, ?4)",
                    (id.to_string(), k.feature_id.to_string(), k.functional.as_str(), k.dysfunctional.as_str()),
                )
                .map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                        Error::refused("kano", Refusal::Duplicate { value: k.feature_id.to_string() })
                    }
                    other => other.into(),
                })?;
            }
            w.audit(Entity::SurveyResponses, id, "record", input.source.as_str())?;
            if let Some((task_id, kind)) = task {
                let outcome = if kind == TaskKind::Call { TaskOutcome::Reached } else { TaskOutcome::Done };
                let request = super::OutcomeRequest { task_id, outcome, note: String::new() };
                record_outcome_in(w, &request, "")?;
            }
            Ok(SurveyRecorded { id, task_closed: task.map(|(t, _)| t) })
        })
    }

    /// The kiosk's view of one visit: the patient's first name, their provider and time, their
    /// language, and the features to ask about.
    pub fn kiosk_survey(&self, appointment_id: Uuid) -> Result<KioskSurvey> {
        self.read(|c| {
            let visit = load_appointment(&crate::db::Db::Sqlite(c), appointment_id)?;
            check_can_answer(c, &visit)?;
            let (given_name, language, provider_name, clinic_name) = c.query_row(
                "SELECT p.given_name, p.preferred_language, v.name, (SELECT name FROM clinic_settings WHERE id = 'clinic')
                 FROM patients p, providers v WHERE p.id = ?1 AND v.id = ?2",
                (visit.patient_id.to_string(), visit.provider_id.to_string()),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            Ok(KioskSurvey {
                appointment_id,
                given_name,
                provider_name,
                visit_start: visit.starts_at,
                language,
                clinic_name,
                kano_features: load_kano_features(c)?.into_iter().filter(|f| f.active).collect(),
            })
        })
    }

    pub fn list_kano_features(&self) -> Result<Vec<KanoFeature>> {
        self.read(load_kano_features)
    }

    pub fn add_kano_feature(&self, actor: Actor, name: &str) -> Result<KanoFeature> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::refused("name", Refusal::Required { what: "The feature".into() }));
        }
        crate::domain::limits::check_length("name", "The feature", name, crate::domain::limits::REASON)?;
        self.write(actor, Work::Standards, |w| {
            let taken: bool = w.sqlite()?.query_row(
                "SELECT EXISTS (SELECT 1 FROM kano_features WHERE lower(name) = lower(?1))",
                [name],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::refused("name", Refusal::Duplicate { value: name.into() }));
            }
            let feature = KanoFeature { id: new_id(), name: name.into(), active: true };
            w.sqlite()?.execute(
                "INSERT INTO kano_features (id, name, active, created_at) VALUES (?1, ?2, 1, ?3)",
                (feature.id.to_string(), name, ts(w.now)),
            )?;
            w.audit(Entity::SurveyResponses, feature.id, "kano_feature", name)?;
            Ok(feature)
        })
    }

    /// Sets the 100 points across the five dimensions, or clears them (`None`: unweighted).
    pub fn set_servqual_weights(&self, actor: Actor, weights: Option<&[(Dimension, u32)]>) -> Result<()> {
        if let Some(weights) = weights {
            check_weights(weights)?;
        }
        self.write(actor, Work::Standards, |w| {
            w.sqlite()?.execute("DELETE FROM servqual_weights", [])?;
            for (dimension, points) in weights.unwrap_or_default() {
                w.sqlite()?.execute(
                    "INSERT INTO servqual_weights (dimension, points) VALUES (?1, ?2)",
                    (dimension.as_str(), points),
                )?;
            }
            w.audit(Entity::SurveyResponses, Uuid::nil(), "servqual_weights", "")
        })
    }
}

/// A survey is about a visit that took place, once.
fn check_can_answer(c: &Connection, visit: &Appointment) -> Result<()> {
    if !matches!(
        visit.status,
        AppointmentStatus::Arrived | AppointmentStatus::InProgress | AppointmentStatus::Fulfilled
    ) {
        return Err(Error::refused("appointment_id", Refusal::NoVisitToRate { status: visit.status.as_str().into() }));
    }
    let answered: Option<i64> = c
        .query_row("SELECT at FROM survey_responses WHERE appointment_id = ?1", [visit.id.to_string()], |r| r.get(0))
        .optional()?;
    if answered.is_some() {
        return Err(Error::refused("appointment_id", Refusal::AlreadyAnswered));
    }
    Ok(())
}

pub(super) fn load_servqual_weights(c: &Connection) -> Result<Vec<(Dimension, u32)>> {
    let mut stmt = c.prepare_cached("SELECT dimension, points FROM servqual_weights")?;
    let mut weights: Vec<(Dimension, u32)> = stmt
        .query_map([], |r| Ok((super::enum_at(r, 0, Dimension::parse)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    weights.sort_by_key(|(d, _)| *d);
    Ok(weights)
}

pub(super) fn load_kano_features(c: &Connection) -> Result<Vec<KanoFeature>> {
    let mut stmt = c.prepare_cached("SELECT id, name, active FROM kano_features ORDER BY created_at, name")?;
    let rows = stmt.query_map([], |r| Ok(KanoFeature { id: uuid_at(r, 0)?, name: r.get(1)?, active: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The visit's open task of the feedback stage, if it has one.
fn open_feedback_task(c: &Connection, appointment_id: Uuid) -> Result<Option<(Uuid, TaskKind)>> {
    Ok(c.query_row(
        "SELECT t.id, t.kind FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id
           JOIN template_stages s ON s.id = r.stage_id
         WHERE t.appointment_id = ?1 AND t.status = 'open' AND s.key = ?2 ORDER BY t.due_at LIMIT 1",
        (appointment_id.to_string(), FEEDBACK_STAGE_KEY),
        |r| Ok((uuid_at(r, 0)?, super::enum_at(r, 1, TaskKind::parse)?)),
    )
    .optional()?)
}
