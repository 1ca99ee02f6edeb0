//! The service blueprint of a service type: its newest template version with rules and
//! version history, the live overlay figures, saving an edit as a new version, and today's
//! duties of each role.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::reminders::{insert_rule, rules_by_template};
use super::settings::read_calendar;
use super::templates::{insert_template, load_service_type, load_template, newest_template_id};
use super::{Actor, Store};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::blueprint_svg::{blueprint_svg, BlueprintLabels, DutyFilter};
use crate::domain::journey::{JourneyTemplate, Lane, Phase, ServiceType, StageEventKind};
use crate::domain::overlay::{blueprint_overlay, BlueprintOverlay, KeyedEvent, OverlayInput, StageTaskCounts};
use crate::domain::reminders::{ReminderRule, TaskKind};
use crate::domain::resources::Role;
use crate::domain::template_edit::{next_version, TemplateDraft};
use crate::error::{Error, Refusal, Result};

/// One saved version of a template family, and how many journeys still follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TemplateVersion {
    pub template_id: Uuid,
    pub version: u32,
    pub created_at: DateTime<Utc>,
    pub journeys_in_progress: u32,
}

/// What the blueprint screen draws for a service type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Blueprint {
    pub service: ServiceType,
    /// The newest version: what new journeys follow and what an edit starts from.
    pub template: JourneyTemplate,
    pub rules: Vec<ReminderRule>,
    /// Newest first.
    pub versions: Vec<TemplateVersion>,
    /// What the editor may offer for steps and rules.
    pub editor: crate::domain::template_edit::EditorChoices,
}

/// One duty of a role today: a blueprint step of a visit today, or a task due today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Duty {
    pub patient_name: String,
    /// When the duty is due: the visit's start for its steps, the task's due time for a task.
    pub due_at: DateTime<Utc>,
    /// The visit the duty is about (a follow-up call may be about an earlier day's visit).
    pub appointment_start: DateTime<Utc>,
    pub provider_name: String,
    pub stage_name: String,
    pub text: String,
    pub lane: Lane,
    pub standard_minutes: Option<u32>,
    /// The stage is completed for this visit (or the task is done).
    pub done: bool,
    /// A task from a reminder rule (a call, message or duty), not a blueprint step.
    pub task_kind: Option<TaskKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RoleDuties {
    pub role: Role,
    pub duties: Vec<Duty>,
    /// Sum of the standard minutes of the duties still to do.
    pub minutes_to_do: u32,
}

/// What to draw: a service's newest blueprint, its duty filter, the words in the user's
/// language, and the overlay's period (clinic-local days, both included) when it is on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct DrawingRequest {
    pub service_type_id: Uuid,
    pub filter: DutyFilter,
    pub labels: BlueprintLabels,
    pub overlay_from: Option<NaiveDate>,
    pub overlay_to: Option<NaiveDate>,
}

/// The drawn blueprint, and the figures behind its overlay (for hover and click).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Drawing {
    pub svg: String,
    pub overlay: Option<BlueprintOverlay>,
}

impl Store {
    /// The blueprint of a request, drawn; with both overlay days, with its live figures.
    pub fn blueprint_drawing(&self, request: &DrawingRequest) -> Result<(Blueprint, Drawing)> {
        let period = match (request.overlay_from, request.overlay_to) {
            (Some(from), Some(to)) if from > to => {
                return Err(Error::refused(
                    "overlay_from",
                    Refusal::EmptyPeriod { from: from.to_string(), to: to.to_string() },
                ))
            }
            (Some(from), Some(to)) => {
                let calendar = self.calendar()?;
                Some((calendar.day_bounds(from).0, calendar.day_bounds(to).1))
            }
            _ => None,
        };
        let now = self.now();
        self.read_db(|db| {
            let blueprint = load_blueprint(db, request.service_type_id)?;
            let overlay = period
                .map(|(from, to)| overlay_of(db, &blueprint.service, &blueprint.template, from, to, now))
                .transpose()?;
            let svg = blueprint_svg(&blueprint.template, overlay.as_ref(), request.filter, &request.labels);
            Ok((blueprint, Drawing { svg, overlay }))
        })
    }

    pub fn blueprint(&self, service_type_id: Uuid) -> Result<Blueprint> {
        self.read_db(|db| load_blueprint(db, service_type_id))
    }

    /// The overlay of a service's blueprint over `[from, to)`, with "now" figures as of now.
    pub fn blueprint_overlay(
        &self,
        service_type_id: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<BlueprintOverlay> {
        let now = self.now();
        self.read_db(|db| {
            let service = load_service_type(db, service_type_id)?;
            let template = load_template(db, newest_template_id(db, &service.template_family_key)?)?;
            overlay_of(db, &service, &template, from, to, now)
        })
    }

    /// Saves an edited blueprint as its family's next version (stages, steps and rules in one
    /// transaction). Refused when someone saved a newer version meanwhile.
    pub fn save_template_version(&self, actor: Actor, draft: &TemplateDraft) -> Result<JourneyTemplate> {
        self.write(actor, Work::Journeys, |w| {
            let current = load_template(w.db(), draft.based_on)?;
            let newest = newest_template_id(w.db(), &current.family_key)?;
            if newest != current.id {
                return Err(Error::refused("based_on", Refusal::StaleVersion { version: current.version as u32 }));
            }
            let (template, rules) = next_version(&current, draft, w.now)?;
            insert_template(w, &template)?;
            for rule in &rules {
                insert_rule(w, rule)?;
            }
            Ok(template)
        })
    }

    /// Each role's duties on `date`: the staff steps of the visit stages of that day's visits,
    /// and the tasks due that day, by role.
    pub fn role_duties(&self, date: NaiveDate) -> Result<Vec<RoleDuties>> {
        crate::domain::dates::check_date("date", date)?;
        self.read_db(|db| {
            let calendar = read_calendar(db)?;
            let (start, end) = calendar.day_bounds(date);
            let mut by_role: HashMap<Role, Vec<Duty>> = HashMap::new();
            for duty in visit_duties(db, start, end)? {
                by_role.entry(duty.0).or_default().push(duty.1);
            }
            for duty in task_duties(db, start, end)? {
                by_role.entry(duty.0).or_default().push(duty.1);
            }
            let mut roles: Vec<RoleDuties> = [Role::FrontDesk, Role::Clinician, Role::BackOffice, Role::Admin]
                .into_iter()
                .map(|role| {
                    let mut duties = by_role.remove(&role).unwrap_or_default();
                    duties.sort_by(|a, b| a.due_at.cmp(&b.due_at).then(a.patient_name.cmp(&b.patient_name)));
                    let minutes_to_do = duties.iter().filter(|d| !d.done).filter_map(|d| d.standard_minutes).sum();
                    RoleDuties { role, duties, minutes_to_do }
                })
                .collect();
            roles.retain(|r| !r.duties.is_empty());
            Ok(roles)
        })
    }
}

fn load_blueprint(db: &Db, service_type_id: Uuid) -> Result<Blueprint> {
    let service = load_service_type(db, service_type_id)?;
    let template = load_template(db, newest_template_id(db, &service.template_family_key)?)?;
    let rules = rules_by_template(db, Some(template.id))?.remove(&template.id).unwrap_or_default();
    let versions = db.query_map(
        "SELECT t.id, t.version, t.created_at,
           (SELECT count(*) FROM patient_journeys j WHERE j.template_id = t.id AND j.completed_at IS NULL)
         FROM journey_templates t WHERE t.family_key = ?1 ORDER BY t.version DESC",
        &[&service.template_family_key],
        |r| {
            Ok(TemplateVersion {
                template_id: r.get(0)?,
                version: r.get(1)?,
                created_at: r.get(2)?,
                journeys_in_progress: r.get(3)?,
            })
        },
    )?;
    Ok(Blueprint { service, template, rules, versions, editor: crate::domain::template_edit::editor_choices() })
}

/// The overlay of `template` (the service's newest version) over `[from, to)`.
fn overlay_of(
    db: &Db,
    service: &ServiceType,
    template: &JourneyTemplate,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<BlueprintOverlay> {
    if from >= to {
        return Err(Error::refused("from", Refusal::EmptyPeriod { from: from.to_rfc3339(), to: to.to_rfc3339() }));
    }
    let mut overlay = blueprint_overlay(template, &overlay_input(db, service, from, to, now)?, from, to);
    let compliance = super::insights::service_stage_compliance(db, service.id, from, to, now)?;
    for stage in &mut overlay.stages {
        if let Some(pooled) = compliance.get(&stage.stage_key) {
            stage.compliance = *pooled;
        }
    }
    Ok(overlay)
}

/// The event log, current stages, task figures and no-shows of one service type.
fn overlay_input(
    db: &Db,
    service: &ServiceType,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<OverlayInput> {
    let service_id = service.id;
    let mut input = OverlayInput::default();
    // Every event of each journey with a stage completed in the period (lead times reach back
    // to earlier completions of the same journey).
    let mut journeys: HashMap<String, Vec<KeyedEvent>> = HashMap::new();
    db.query_map(
        &format!(
            "SELECT e.journey_id, s.key, e.kind, e.at FROM stage_events e
               JOIN template_stages s ON s.id = e.stage_id
             WHERE e.journey_id IN (
               SELECT DISTINCT e2.journey_id FROM stage_events e2 JOIN patient_journeys j ON j.id = e2.journey_id
               WHERE j.service_type_id = ?1 AND e2.kind = 'completed' AND e2.at >= ?2 AND e2.at < ?3)
             ORDER BY e.journey_id, {}",
            super::flow::in_logged_order(db)
        ),
        &[&service_id, &from, &to],
        |r| {
            let event = KeyedEvent { stage_key: r.get(1)?, kind: r.get_enum(2, StageEventKind::parse)?, at: r.get(3)? };
            journeys.entry(r.get(0)?).or_default().push(event);
            Ok(())
        },
    )?;
    input.journeys = journeys.into_values().collect();

    input.patients_now = db
        .query_map(
            "SELECT s.key, count(*) FROM patient_journeys j JOIN template_stages s ON s.id = j.current_stage_id
             WHERE j.service_type_id = ?1 AND j.completed_at IS NULL GROUP BY s.key",
            &[&service_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();

    input.tasks = db
        .query_map(
            "SELECT s.key,
               count(*) FILTER (WHERE t.status = 'open' AND (t.expires_at IS NULL OR t.expires_at > ?2)),
               count(*) FILTER (WHERE t.status = 'open' AND t.due_at < ?2 AND (t.expires_at IS NULL OR t.expires_at > ?2)),
               count(*) FILTER (WHERE t.status = 'failed' AND t.closed_at >= ?3 AND t.closed_at < ?4)
             FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id JOIN template_stages s ON s.id = r.stage_id
               JOIN appointments a ON a.id = t.appointment_id
             WHERE a.service_type_id = ?1 GROUP BY s.key",
            &[&service_id, &now, &from, &to],
            |r| Ok((r.get(0)?, StageTaskCounts { open: r.get(1)?, overdue: r.get(2)?, failed: r.get(3)? })),
        )?
        .into_iter()
        .collect();

    input.no_shows = db
        .query_one(
            "SELECT count(*) FROM appointments WHERE service_type_id = ?1 AND status = 'noshow'
               AND starts_at >= ?2 AND starts_at < ?3",
            &[&service_id, &from, &to],
        )?
        .get(0)?;
    Ok(input)
}

/// Staff steps of the visit-phase stages of the visits in `[start, end)`, by owner role.
fn visit_duties(db: &Db, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<(Role, Duty)>> {
    db.query_map(
        "SELECT b.owner_role, person_name(p.given_name, p.family_name), a.starts_at, v.name, s.name, b.text, b.lane,
           b.standard_minutes,
           EXISTS (SELECT 1 FROM stage_events e WHERE e.journey_id = j.id AND e.stage_id = s.id AND e.kind IN ('completed', 'skipped'))
         FROM appointments a
           JOIN patient_journeys j ON j.appointment_id = a.id
           JOIN template_stages s ON s.template_id = j.template_id AND s.phase = ?3
           JOIN blueprint_cells b ON b.stage_id = s.id AND b.owner_role IS NOT NULL
           JOIN patients p ON p.id = a.patient_id
           JOIN providers v ON v.id = a.provider_id
         WHERE a.starts_at >= ?1 AND a.starts_at < ?2 AND a.status NOT IN ('cancelled', 'noshow', 'proposed', 'waitlist')
         ORDER BY a.starts_at, s.position, b.lane, b.position",
        &[&start, &end, &Phase::Visit.as_str()],
        |r| {
            Ok((
                r.get_enum(0, Role::parse)?,
                Duty {
                    patient_name: r.get(1)?,
                    due_at: r.get(2)?,
                    appointment_start: r.get(2)?,
                    provider_name: r.get(3)?,
                    stage_name: r.get(4)?,
                    text: r.get(5)?,
                    lane: r.get_enum(6, Lane::parse)?,
                    standard_minutes: r.get(7)?,
                    done: r.get(8)?,
                    task_kind: None,
                },
            ))
        },
    )
}

/// Tasks due in `[start, end)` (open, or closed that day), by the role they are for.
fn task_duties(db: &Db, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<(Role, Duty)>> {
    db.query_map(
        "SELECT t.role, person_name(p.given_name, p.family_name), a.starts_at, v.name, s.name, r.name, t.kind,
           t.status = 'done', t.due_at
         FROM tasks t
           JOIN reminder_rules r ON r.id = t.rule_id
           JOIN template_stages s ON s.id = r.stage_id
           JOIN appointments a ON a.id = t.appointment_id
           JOIN patients p ON p.id = t.patient_id
           JOIN providers v ON v.id = a.provider_id
         WHERE t.due_at >= ?1 AND t.due_at < ?2 AND t.status IN ('open', 'done')",
        &[&start, &end],
        |r| {
            let kind = r.get_enum(6, TaskKind::parse)?;
            Ok((
                r.get_enum(0, Role::parse)?,
                Duty {
                    patient_name: r.get(1)?,
                    due_at: r.get(8)?,
                    appointment_start: r.get(2)?,
                    provider_name: r.get(3)?,
                    stage_name: r.get(4)?,
                    text: r.get(5)?,
                    lane: if kind == TaskKind::Duty { Lane::BackOffice } else { Lane::FrontOffice },
                    standard_minutes: None,
                    done: r.get(7)?,
                    task_kind: Some(kind),
                },
            ))
        },
    )
}
