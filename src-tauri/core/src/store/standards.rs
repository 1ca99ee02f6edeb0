//! The clinic's service standards per stage and the audit visits that score the checked ones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{not_found, Actor, Entity, Store};
use crate::db::{Db, RowRef};
use crate::domain::access::Work;
use crate::domain::ids::new_id;
use crate::domain::standards::{AuditKind, Measure, Standard, StandardEdit, StandardInput, StandardKind};
use crate::error::{Error, Refusal, Result};

/// One check of an audit visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditCheck {
    pub standard_id: Uuid,
    pub met: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditInput {
    pub auditor: String,
    pub kind: AuditKind,
    pub note: String,
    pub checks: Vec<AuditCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditVisit {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub auditor: String,
    pub kind: AuditKind,
    pub checks: u32,
    pub met: u32,
}

/// A stage a standard can be set on: of a journey the clinic offers, in its newest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StageChoice {
    pub family_key: String,
    pub journey: String,
    pub stage_key: String,
    pub name: String,
}

/// What the standards page shows and offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StandardsSetup {
    pub standards: Vec<Standard>,
    pub stages: Vec<StageChoice>,
    pub kano_features: Vec<super::KanoFeature>,
    /// The clinic's 100 points across the SERVQUAL dimensions; empty when unweighted.
    pub servqual_weights: Vec<(crate::domain::survey::Dimension, u32)>,
}

impl Store {
    pub fn list_standards(&self) -> Result<Vec<Standard>> {
        self.read_db(load_standards)
    }

    pub fn standards_setup(&self) -> Result<StandardsSetup> {
        self.read_db(|db| {
            let stages = db.query_map(
                "SELECT t.family_key, t.name, s.key, s.name FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
                 WHERE t.retired = 0 AND t.version = (SELECT max(version) FROM journey_templates n WHERE n.family_key = t.family_key)
                 ORDER BY t.name, s.position",
                &[],
                |r| Ok(StageChoice { family_key: r.get(0)?, journey: r.get(1)?, stage_key: r.get(2)?, name: r.get(3)? }),
            )?;
            Ok(StandardsSetup {
                standards: load_standards(db)?,
                stages,
                kano_features: super::surveys::load_kano_features(db)?,
                servqual_weights: super::surveys::load_servqual_weights(db)?,
            })
        })
    }

    pub fn add_standard(&self, actor: Actor, input: &StandardInput) -> Result<Standard> {
        input.check()?;
        self.write(actor, Work::Standards, |w| {
            let stage_known: bool = w
                .db()
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM template_stages s JOIN journey_templates t ON t.id = s.template_id
                       WHERE t.family_key = ?1 AND s.key = ?2)",
                    &[&input.family_key, &input.stage_key],
                )?
                .get(0)?;
            if !stage_known {
                return Err(Error::NotFound {
                    entity: "stage",
                    id: format!("{}/{}", input.family_key, input.stage_key),
                });
            }
            let standard = Standard {
                id: new_id(),
                family_key: input.family_key.clone(),
                stage_key: input.stage_key.clone(),
                kind: input.kind,
                text: input.text.trim().into(),
                measure: if input.kind == StandardKind::Measured { input.measure } else { None },
                limit_minutes: if input.kind == StandardKind::Measured { input.limit_minutes } else { None },
                working_time: input.kind == StandardKind::Measured && input.working_time,
                active: true,
            };
            w.db().execute(
                "INSERT INTO service_standards (id, family_key, stage_key, kind, text, measure, limit_minutes,
                   working_time, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)",
                &[
                    &standard.id,
                    &standard.family_key,
                    &standard.stage_key,
                    &standard.kind.as_str(),
                    &standard.text,
                    &standard.measure.map(Measure::as_str),
                    &standard.limit_minutes,
                    &standard.working_time,
                    &w.now,
                ],
            )?;
            w.audit(Entity::ServiceStandards, standard.id, "add", &standard.text)?;
            Ok(standard)
        })
    }

    /// Rewords a standard, or changes a measured one's limit. Measured standards are judged
    /// when a report is made, so a new limit judges past periods too.
    pub fn update_standard(&self, actor: Actor, id: Uuid, edit: &StandardEdit) -> Result<Standard> {
        self.write(actor, Work::Standards, |w| {
            let before = load_standard(w.db(), id)?;
            let after = before.edited(edit)?;
            if after == before {
                return Ok(after);
            }
            w.db().execute(
                "UPDATE service_standards SET text = ?2, limit_minutes = ?3, working_time = ?4 WHERE id = ?1",
                &[&id, &after.text, &after.limit_minutes, &after.working_time],
            )?;
            w.audit(Entity::ServiceStandards, id, "edit", &after.changes_from(&before))?;
            Ok(after)
        })
    }

    /// Stops (or resumes) checking a standard; its past checks stay in the reports of their
    /// periods.
    pub fn set_standard_active(&self, actor: Actor, id: Uuid, active: bool) -> Result<Standard> {
        self.write(actor, Work::Standards, |w| {
            let standard = load_standard(w.db(), id)?;
            w.db().execute("UPDATE service_standards SET active = ?2 WHERE id = ?1", &[&id, &active])?;
            w.audit(Entity::ServiceStandards, id, if active { "resume" } else { "retire" }, "")?;
            Ok(Standard { active, ..standard })
        })
    }

    /// Records an audit visit's checks of checked standards, all or none.
    pub fn record_audit(&self, actor: Actor, input: &AuditInput) -> Result<AuditVisit> {
        // A role that may not audit hears that first, not what its form lacks.
        self.check_work(actor, Work::StandardAudits)?;
        let auditor = input.auditor.trim();
        if auditor.is_empty() {
            return Err(Error::refused("auditor", Refusal::Required { what: "Who audited".into() }));
        }
        crate::domain::limits::check_length("auditor", "Who audited", auditor, crate::domain::limits::NAME)?;
        crate::domain::limits::check_length("note", "The note", input.note.trim(), crate::domain::limits::NOTE)?;
        if input.checks.is_empty() {
            return Err(Error::refused("checks", Refusal::Required { what: "A check".into() }));
        }
        // One check per standard and audit visit.
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = input.checks.iter().find(|check| !seen.insert(check.standard_id)) {
            return Err(Error::refused("checks", Refusal::Duplicate { value: twice.standard_id.to_string() }));
        }
        self.write(actor, Work::StandardAudits, |w| {
            let id = new_id();
            w.db().execute(
                "INSERT INTO audit_visits (id, at, auditor, kind, note, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[&id, &w.now, &auditor, &input.kind.as_str(), &input.note.trim(), &w.actor.as_str()],
            )?;
            for check in &input.checks {
                let (kind, active) = w
                    .db()
                    .query_opt("SELECT kind, active FROM service_standards WHERE id = ?1", &[&check.standard_id])?
                    .ok_or_else(|| not_found("standard", check.standard_id))
                    .and_then(|r| Ok((r.get_enum(0, StandardKind::parse)?, r.get::<bool>(1)?)))?;
                if kind != StandardKind::Checked {
                    return Err(Error::refused("checks", Refusal::MeasuredNotAudited));
                }
                if !active {
                    return Err(Error::refused("checks", Refusal::Inactive));
                }
                crate::domain::limits::check_length(
                    "note",
                    "The note",
                    check.note.trim(),
                    crate::domain::limits::NOTE,
                )?;
                w.db().execute(
                    "INSERT INTO audit_checks (audit_id, standard_id, met, note) VALUES (?1, ?2, ?3, ?4)",
                    &[&id, &check.standard_id, &check.met, &check.note.trim()],
                )?;
            }
            w.audit(Entity::ServiceStandards, id, "audit", auditor)?;
            Ok(AuditVisit {
                id,
                at: w.now,
                auditor: auditor.into(),
                kind: input.kind,
                checks: input.checks.len() as u32,
                met: input.checks.iter().filter(|c| c.met).count() as u32,
            })
        })
    }
}

const STANDARD_COLUMNS: &str = "id, family_key, stage_key, kind, text, measure, limit_minutes, working_time, active";

pub(super) fn load_standards(db: &Db) -> Result<Vec<Standard>> {
    db.query_map(
        &format!("SELECT {STANDARD_COLUMNS} FROM service_standards ORDER BY family_key, stage_key, created_at"),
        &[],
        standard_row,
    )
}

fn load_standard(db: &Db, id: Uuid) -> Result<Standard> {
    db.query_map(&format!("SELECT {STANDARD_COLUMNS} FROM service_standards WHERE id = ?1"), &[&id], standard_row)?
        .pop()
        .ok_or_else(|| not_found("standard", id))
}

fn standard_row(r: &RowRef) -> Result<Standard> {
    Ok(Standard {
        id: r.get(0)?,
        family_key: r.get(1)?,
        stage_key: r.get(2)?,
        kind: r.get_enum(3, StandardKind::parse)?,
        text: r.get(4)?,
        measure: r.get_text(5)?.and_then(Measure::parse),
        limit_minutes: r.get(6)?,
        working_time: r.get(7)?,
        active: r.get(8)?,
    })
}

/// Every check of a checked standard made in `[from, to)`: (standard, met).
pub(super) fn audit_checks(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(Uuid, bool)>> {
    db.query_map(
        "SELECT k.standard_id, k.met FROM audit_checks k JOIN audit_visits v ON v.id = k.audit_id
         WHERE v.at >= ?1 AND v.at < ?2",
        &[&from, &to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
