//! Surveys after a visit: entered by staff from the feedback call, or by the patient on the
//! kiosk screen. Recording one closes the visit's open feedback task (the stage is done), in the
//! same write. Also the features proposed for the Kano questions and the SERVQUAL weights.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::booking::load_appointment;
use super::tasks::record_outcome_in;
use super::{Actor, Entity, Store};
use crate::db::Db;
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
        // One answer per feature and survey.
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = input.kano.iter().find(|k| !seen.insert(k.feature_id)) {
            return Err(Error::refused("kano", Refusal::Duplicate { value: twice.feature_id.to_string() }));
        }
        self.write(actor, Work::Surveys, |w| {
            let visit = load_appointment(w.db(), input.appointment_id)?;
            check_can_answer(w.db(), &visit)?;
            let language: String = w
                .db()
                .query_one("SELECT preferred_language FROM patients WHERE id = ?1", &[&visit.patient_id])?
                .get(0)?;
            let task = open_feedback_task(w.db(), visit.id)?;
            let id = new_id();
            let a = &input.answers;
            w.db().execute(
                "INSERT INTO survey_responses (id, appointment_id, patient_id, task_id, source, language, nps, csat,
                   comment, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                &[
                    &id,
                    &visit.id,
                    &visit.patient_id,
                    &task.map(|(t, _)| t),
                    &input.source.as_str(),
                    &language,
                    &a.nps,
                    &a.csat,
                    &a.comment.trim(),
                    &w.now,
                    &w.actor.as_str(),
                ],
            )?;
            for s in &a.servqual {
                w.db().execute(
                    "INSERT INTO servqual_answers (response_id, item, expectation, perception) VALUES (?1, ?2, ?3, ?4)",
                    &[&id, &s.item, &s.expectation, &s.perception],
                )?;
            }
            for k in &input.kano {
                let active: bool = w
                    .db()
                    .query_opt("SELECT active FROM kano_features WHERE id = ?1", &[&k.feature_id])?
                    .ok_or_else(|| super::not_found("feature", k.feature_id))?
                    .get(0)?;
                if !active {
                    return Err(Error::refused("kano", Refusal::Inactive));
                }
                w.db().execute(
                    "INSERT INTO kano_answers (response_id, feature_id, functional, dysfunctional) VALUES (?1, ?2, ?3, ?4)",
                    &[&id, &k.feature_id, &k.functional.as_str(), &k.dysfunctional.as_str()],
                )?;
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
        self.read_db(|db| {
            let visit = load_appointment(db, appointment_id)?;
            check_can_answer(db, &visit)?;
            let r = db.query_one(
                "SELECT p.given_name, p.preferred_language, v.name, (SELECT name FROM clinic_settings WHERE id = 'clinic')
                 FROM patients p JOIN providers v ON v.id = ?2 WHERE p.id = ?1",
                &[&visit.patient_id, &visit.provider_id],
            )?;
            let (given_name, language, provider_name, clinic_name) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            Ok(KioskSurvey {
                appointment_id,
                given_name,
                provider_name,
                visit_start: visit.starts_at,
                language,
                clinic_name,
                kano_features: load_kano_features(db)?.into_iter().filter(|f| f.active).collect(),
            })
        })
    }

    pub fn list_kano_features(&self) -> Result<Vec<KanoFeature>> {
        self.read_db(load_kano_features)
    }

    pub fn add_kano_feature(&self, actor: Actor, name: &str) -> Result<KanoFeature> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::refused("name", Refusal::Required { what: "The feature".into() }));
        }
        crate::domain::limits::check_length("name", "The feature", name, crate::domain::limits::REASON)?;
        self.write(actor, Work::Standards, |w| {
            let taken: bool = w
                .db()
                .query_one("SELECT EXISTS (SELECT 1 FROM kano_features WHERE lower(name) = lower(?1))", &[&name])?
                .get(0)?;
            if taken {
                return Err(Error::refused("name", Refusal::Duplicate { value: name.into() }));
            }
            let feature = KanoFeature { id: new_id(), name: name.into(), active: true };
            w.db().execute(
                "INSERT INTO kano_features (id, name, active, created_at) VALUES (?1, ?2, 1, ?3)",
                &[&feature.id, &name, &w.now],
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
            w.db().execute("DELETE FROM servqual_weights", &[])?;
            for (dimension, points) in weights.unwrap_or_default() {
                w.db().execute(
                    "INSERT INTO servqual_weights (dimension, points) VALUES (?1, ?2)",
                    &[&dimension.as_str(), points],
                )?;
            }
            w.audit(Entity::SurveyResponses, Uuid::nil(), "servqual_weights", "")
        })
    }
}

/// A survey is about a visit that took place, once.
fn check_can_answer(db: &Db, visit: &Appointment) -> Result<()> {
    if !matches!(
        visit.status,
        AppointmentStatus::Arrived | AppointmentStatus::InProgress | AppointmentStatus::Fulfilled
    ) {
        return Err(Error::refused("appointment_id", Refusal::NoVisitToRate { status: visit.status.as_str().into() }));
    }
    if db.query_opt("SELECT at FROM survey_responses WHERE appointment_id = ?1", &[&visit.id])?.is_some() {
        return Err(Error::refused("appointment_id", Refusal::AlreadyAnswered));
    }
    Ok(())
}

pub(super) fn load_servqual_weights(db: &Db) -> Result<Vec<(Dimension, u32)>> {
    let mut weights = db.query_map("SELECT dimension, points FROM servqual_weights", &[], |r| {
        Ok((r.get_enum(0, Dimension::parse)?, r.get(1)?))
    })?;
    weights.sort_by_key(|(d, _)| *d);
    Ok(weights)
}

pub(super) fn load_kano_features(db: &Db) -> Result<Vec<KanoFeature>> {
    db.query_map("SELECT id, name, active FROM kano_features ORDER BY created_at, name", &[], |r| {
        Ok(KanoFeature { id: r.get(0)?, name: r.get(1)?, active: r.get(2)? })
    })
}

/// The visit's open task of the feedback stage, if it has one.
fn open_feedback_task(db: &Db, appointment_id: Uuid) -> Result<Option<(Uuid, TaskKind)>> {
    db.query_opt(
        "SELECT t.id, t.kind FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id
           JOIN template_stages s ON s.id = r.stage_id
         WHERE t.appointment_id = ?1 AND t.status = 'open' AND s.key = ?2 ORDER BY t.due_at LIMIT 1",
        &[&appointment_id, &FEEDBACK_STAGE_KEY],
    )?
    .map(|r| Ok((r.get(0)?, r.get_enum(1, TaskKind::parse)?)))
    .transpose()
}
