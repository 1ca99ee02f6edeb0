//! The clinic's service standards per stage and the audit visits that score the checked ones.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{enum_at, ts, uuid_at, Actor, Entity, OptionalRow, Store};
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
        self.read(load_standards)
    }

    pub fn standards_setup(&self) -> Result<StandardsSetup> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT t.family_key, t.name, s.key, s.name FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
                 WHERE t.retired = 0 AND t.version = (SELECT max(version) FROM journey_templates n WHERE n.family_key = t.family_key)
                 ORDER BY t.name, s.position",
            )?;
            let stages = stmt
                .query_map([], |r| {
                    Ok(StageChoice { family_key: r.get(0)?, journey: r.get(1)?, stage_key: r.get(2)?, name: r.get(3)? })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(StandardsSetup {
                standards: load_standards(c)?,
                stages,
                kano_features: super::surveys::load_kano_features(c)?,
                servqual_weights: super::surveys::load_servqual_weights(c)?,
            })
        })
    }

    pub fn add_standard(&self, actor: Actor, input: &StandardInput) -> Result<Standard> {
        input.check()?;
        self.write(actor, Work::Standards, |w| {
            let stage_known: bool = w.sqlite()?.query_row(
                "SELECT EXISTS (SELECT 1 FROM template_stages s JOIN journey_templates t ON t.id = s.template_id
                   WHERE t.family_key = ?1 AND s.key = ?2)",
                (&input.family_key, &input.stage_key),
                |r| r.get(0),
            )?;
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
            w.sqlite()?.execute(
                "INSERT INTO service_standards (id, family_key, stage_key, kind, text, measure, limit_minutes,
                   working_time, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)",
                rusqlite::params![
                    standard.id.to_string(),
                    standard.family_key,
                    standard.stage_key,
                    standard.kind.as_str(),
                    standard.text,
                    standard.measure.map(Measure::as_str),
                    standard.limit_minutes,
                    standard.working_time,
                    ts(w.now),
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
            let before = load_standard(w.sqlite()?, id)?;
            let after = before.edited(edit)?;
            if after == before {
                return Ok(after);
            }
            w.sqlite()?.execute(
                "UPDATE service_standards SET text = ?2, limit_minutes = ?3, working_time = ?4 WHERE id = ?1",
                (id.to_string(), &after.text, after.limit_minutes, after.working_time),
            )?;
            w.audit(Entity::ServiceStandards, id, "edit", &after.changes_from(&before))?;
            Ok(after)
        })
    }

    /// Stops (or resumes) checking a standard; its past checks stay in the reports of their
    /// periods.
    pub fn set_standard_active(&self, actor: Actor, id: Uuid, active: bool) -> Result<Standard> {
        self.write(actor, Work::Standards, |w| {
            let standard = load_standard(w.sqlite()?, id)?;
            w.sqlite()?.execute("UPDATE service_standards SET active = ?2 WHERE id = ?1", (id.to_string(), active))?;
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
        self.write(actor, Work::StandardAudits, |w| {
            let id = new_id();
            w.sqlite()?.execute(
                "INSERT INTO audit_visits (id, at, auditor, kind, note, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (id.to_string(), ts(w.now), auditor, input.kind.as_str(), input.note.trim(), w.actor.as_str()),
            )?;
            for check in &input.checks {
                let kind = w
                    .sqlite()?
                    .query_row(
                        "SELECT kind FROM service_standards WHERE id = ?1",
                        [check.standard_id.to_string()],
                        |r| enum_at(r, 0, StandardKind::parse),
                    )
                    .found("standard", check.standard_id)?;
                if kind != StandardKind::Checked {
                    return Err(Error::refused("checks", Refusal::MeasuredNotAudited));
                }
                let active: bool = w.sqlite()?.query_row(
                    "SELECT active FROM service_standards WHERE id = ?1",
                    [check.standard_id.to_string()],
                    |r| r.get(0),
                )?;
                if !active {
                    return Err(Error::refused("checks", Refusal::Inactive));
                }
                crate::domain::limits::check_length(
                    "note",
                    "The note",
                    check.note.trim(),
                    crate::domain::limits::NOTE,
                )?;
                w.sqlite()?
                    .execute(
                        "INSERT INTO audit_checks (audit_id, standard_id, met, note) VALUES (?1, ?2, ?3, ?4)",
                        (id.to_string(), check.standard_id.to_string(), check.met, check.note.trim()),
                    )
                    .map_err(|e| match e {
                        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                            Error::refused("checks", Refusal::Duplicate { value: check.standard_id.to_string() })
                        }
                        other => other.into(),
                    })?;
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

pub(super) fn load_standards(c: &Connection) -> Result<Vec<Standard>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {STANDARD_COLUMNS} FROM service_standards ORDER BY family_key, stage_key, created_at"
    ))?;
    let rows = stmt.query_map([], standard_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn load_standard(c: &Connection, id: Uuid) -> Result<Standard> {
    c.prepare_cached(&format!("SELECT {STANDARD_COLUMNS} FROM service_standards WHERE id = ?1"))?
        .query_row([id.to_string()], standard_row)
        .found("standard", id)
}

fn standard_row(r: &rusqlite::Row) -> rusqlite::Result<Standard> {
    let measure: Option<String> = r.get(5)?;
    Ok(Standard {
        id: uuid_at(r, 0)?,
        family_key: r.get(1)?,
        stage_key: r.get(2)?,
        kind: enum_at(r, 3, StandardKind::parse)?,
        text: r.get(4)?,
        measure: measure.as_deref().and_then(Measure::parse),
        limit_minutes: r.get(6)?,
        working_time: r.get(7)?,
        active: r.get(8)?,
    })
}

/// Every check of a checked standard made in `[from, to)`: (standard, met).
pub(super) fn audit_checks(c: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(Uuid, bool)>> {
    let mut stmt = c.prepare_cached(
        "SELECT k.standard_id, k.met FROM audit_checks k JOIN audit_visits v ON v.id = k.audit_id
         WHERE v.at >= ?1 AND v.at < ?2",
    )?;
    let rows = stmt.query_map((ts(from), ts(to)), |r| Ok((uuid_at(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
