//! Journey templates (versioned), their stages and blueprint cells, and service types.

use rusqlite::Connection;
use uuid::Uuid;

use super::Entity;
use super::{enum_at, time_at, ts, uuid_at, OptionalRow, Store, Write};
use crate::domain::journey::{BlueprintCell, JourneyTemplate, Lane, Phase, ServiceType, Stage, StandardBasis};
use crate::domain::resources::Role;
use crate::error::Result;

impl Store {
    pub fn list_service_types(&self) -> Result<Vec<ServiceType>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, name, duration_minutes, color, template_family_key, active FROM service_types ORDER BY name",
            )?;
            let rows = stmt.query_map([], service_type_from)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The newest version of every template family.
    pub fn list_current_templates(&self) -> Result<Vec<JourneyTemplate>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id FROM journey_templates t WHERE version = (SELECT max(version) FROM journey_templates
                   WHERE family_key = t.family_key) ORDER BY name",
            )?;
            let ids = stmt.query_map([], |r| uuid_at(r, 0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ids.into_iter().map(|id| load_template(c, id)).collect()
        })
    }

    pub fn get_template(&self, id: Uuid) -> Result<JourneyTemplate> {
        self.read(|c| load_template(c, id))
    }
}

fn service_type_from(r: &rusqlite::Row) -> rusqlite::Result<ServiceType> {
    Ok(ServiceType {
        id: uuid_at(r, 0)?,
        name: r.get(1)?,
        duration_minutes: r.get(2)?,
        color: r.get(3)?,
        template_family_key: r.get(4)?,
        active: r.get(5)?,
    })
}

pub(super) fn load_service_type(c: &Connection, id: Uuid) -> Result<ServiceType> {
    c.query_row(
        "SELECT id, name, duration_minutes, color, template_family_key, active FROM service_types WHERE id = ?1",
        [id.to_string()],
        service_type_from,
    )
    .found("service type", id)
}

pub(super) fn newest_template_id(c: &Connection, family_key: &str) -> Result<Uuid> {
    Ok(c.query_row(
        "SELECT id FROM journey_templates WHERE family_key = ?1 ORDER BY version DESC LIMIT 1",
        [family_key],
        |r| uuid_at(r, 0),
    )?)
}

pub(crate) fn insert_service_type(w: &mut Write, s: &ServiceType) -> Result<()> {
    w.tx.execute(
        "INSERT INTO service_types (id, name, duration_minutes, color, template_family_key, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (s.id.to_string(), &s.name, s.duration_minutes, &s.color, &s.template_family_key, s.active),
    )?;
    w.audit(Entity::ServiceTypes, s.id, "create", "")
}

pub(crate) fn insert_template(w: &mut Write, t: &JourneyTemplate) -> Result<()> {
    w.tx.execute(
        "INSERT INTO journey_templates (id, family_key, name, description, version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (t.id.to_string(), &t.family_key, &t.name, &t.description, t.version, ts(t.created_at)),
    )?;
    let mut stage_stmt = w.tx.prepare(
        "INSERT INTO template_stages (id, template_id, position, key, phase, name, description, owner_role,
           standard_minutes, standard_basis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut cell_stmt = w.tx.prepare(
        "INSERT INTO blueprint_cells (id, stage_id, lane, position, text, owner_role, standard_minutes, fail_point,
           wait_point) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (position, stage) in t.stages.iter().enumerate() {
        stage_stmt.execute(rusqlite::params![
            stage.id.to_string(),
            t.id.to_string(),
            position,
            stage.key,
            stage.phase.as_str(),
            stage.name,
            stage.description,
            stage.owner_role.as_str(),
            stage.standard_minutes,
            stage.standard_basis.as_str(),
        ])?;
        for (position, cell) in stage.cells.iter().enumerate() {
            cell_stmt.execute(rusqlite::params![
                cell.id.to_string(),
                stage.id.to_string(),
                cell.lane.as_str(),
                position,
                cell.text,
                cell.owner_role.map(Role::as_str),
                cell.standard_minutes,
                cell.fail_point,
                cell.wait_point,
            ])?;
        }
    }
    drop((stage_stmt, cell_stmt));
    w.audit(Entity::JourneyTemplates, t.id, "create", &format!("{} v{}", t.family_key, t.version))
}

pub(super) fn load_template(c: &Connection, id: Uuid) -> Result<JourneyTemplate> {
    let mut template = c
        .query_row(
            "SELECT id, family_key, name, description, version, created_at FROM journey_templates WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok(JourneyTemplate {
                    id: uuid_at(r, 0)?,
                    family_key: r.get(1)?,
                    name: r.get(2)?,
                    description: r.get(3)?,
                    version: r.get(4)?,
                    created_at: time_at(r, 5)?,
                    stages: vec![],
                })
            },
        )
        .found("journey template", id)?;
    let mut stmt = c.prepare(
        "SELECT id, key, phase, name, description, owner_role, standard_minutes, standard_basis
         FROM template_stages WHERE template_id = ?1 ORDER BY position",
    )?;
    let stages = stmt
        .query_map([id.to_string()], |r| {
            Ok(Stage {
                id: uuid_at(r, 0)?,
                key: r.get(1)?,
                phase: enum_at(r, 2, Phase::parse)?,
                name: r.get(3)?,
                description: r.get(4)?,
                owner_role: enum_at(r, 5, Role::parse)?,
                standard_minutes: r.get(6)?,
                standard_basis: enum_at(r, 7, StandardBasis::parse)?,
                cells: vec![],
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut cells = c.prepare(
        "SELECT id, lane, text, owner_role, standard_minutes, fail_point, wait_point
         FROM blueprint_cells WHERE stage_id = ?1 ORDER BY lane, position",
    )?;
    for mut stage in stages {
        stage.cells = cells
            .query_map([stage.id.to_string()], |r| {
                Ok(BlueprintCell {
                    id: uuid_at(r, 0)?,
                    lane: enum_at(r, 1, Lane::parse)?,
                    text: r.get(2)?,
                    owner_role: r.get::<_, Option<String>>(3)?.as_deref().and_then(Role::parse),
                    standard_minutes: r.get(4)?,
                    fail_point: r.get(5)?,
                    wait_point: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        stage.cells.sort_by_key(|cell| cell.lane);
        template.stages.push(stage);
    }
    Ok(template)
}
