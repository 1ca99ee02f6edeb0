//! Journey templates (versioned), their stages and blueprint cells, and service types.

use uuid::Uuid;

use super::Entity;
use super::{not_found, Store, Write};
use crate::db::{Db, RowRef};
use crate::domain::journey::{BlueprintCell, JourneyTemplate, Lane, Phase, ServiceType, Stage, StandardBasis};
use crate::domain::resources::Role;
use crate::error::Result;

impl Store {
    pub fn list_service_types(&self) -> Result<Vec<ServiceType>> {
        self.read_kept(|| "services".into(), || self.read_db(read_service_types))
    }

    /// The newest version of every template family.
    pub fn list_current_templates(&self) -> Result<Vec<JourneyTemplate>> {
        self.read_db(read_current_templates)
    }

    pub fn get_template(&self, id: Uuid) -> Result<JourneyTemplate> {
        self.read_db(|db| load_template(db, id))
    }
}

const SERVICE_TYPE_COLUMNS: &str = "id, name, duration_minutes, color, template_family_key, active";

/// Every service type, by name.
pub(crate) fn read_service_types(db: &Db) -> Result<Vec<ServiceType>> {
    db.query_map(&format!("SELECT {SERVICE_TYPE_COLUMNS} FROM service_types ORDER BY name, id"), &[], service_type_from)
}

/// The newest version of every template family, by name.
pub(crate) fn read_current_templates(db: &Db) -> Result<Vec<JourneyTemplate>> {
    let ids = db.query_map(
        "SELECT id FROM journey_templates t WHERE version = (SELECT max(version) FROM journey_templates
           WHERE family_key = t.family_key) ORDER BY name, id",
        &[],
        |r| r.get::<Uuid>(0),
    )?;
    ids.into_iter().map(|id| load_template(db, id)).collect()
}

fn service_type_from(r: &RowRef) -> Result<ServiceType> {
    Ok(ServiceType {
        id: r.get(0)?,
        name: r.get(1)?,
        duration_minutes: r.get(2)?,
        color: r.get(3)?,
        template_family_key: r.get(4)?,
        active: r.get(5)?,
    })
}

pub(super) fn load_service_type(db: &Db, id: Uuid) -> Result<ServiceType> {
    db.query_map(&format!("SELECT {SERVICE_TYPE_COLUMNS} FROM service_types WHERE id = ?1"), &[&id], service_type_from)?
        .pop()
        .ok_or_else(|| not_found("service type", id))
}

pub(super) fn newest_template_id(db: &Db, family_key: &str) -> Result<Uuid> {
    db.query_one(
        "SELECT id FROM journey_templates WHERE family_key = ?1 ORDER BY version DESC LIMIT 1",
        &[&family_key],
    )?
    .get(0)
}

pub(crate) fn insert_service_type(w: &mut Write, s: &ServiceType) -> Result<()> {
    w.db().execute(
        "INSERT INTO service_types (id, name, duration_minutes, color, template_family_key, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&s.id, &s.name, &s.duration_minutes, &s.color, &s.template_family_key, &s.active],
    )?;
    w.audit(Entity::ServiceTypes, s.id, "create", "")
}

pub(crate) fn insert_template(w: &mut Write, t: &JourneyTemplate) -> Result<()> {
    let db = w.db();
    db.execute(
        "INSERT INTO journey_templates (id, family_key, name, description, version, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&t.id, &t.family_key, &t.name, &t.description, &t.version, &t.created_at],
    )?;
    for (position, stage) in (0i64..).zip(&t.stages) {
        db.execute(
            "INSERT INTO template_stages (id, template_id, position, key, phase, name, description, owner_role,
               standard_minutes, standard_basis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &[
                &stage.id,
                &t.id,
                &position,
                &stage.key,
                &stage.phase.as_str(),
                &stage.name,
                &stage.description,
                &stage.owner_role.as_str(),
                &stage.standard_minutes,
                &stage.standard_basis.as_str(),
            ],
        )?;
        for (position, cell) in (0i64..).zip(&stage.cells) {
            db.execute(
                "INSERT INTO blueprint_cells (id, stage_id, lane, position, text, owner_role, standard_minutes,
                   fail_point, wait_point) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                &[
                    &cell.id,
                    &stage.id,
                    &cell.lane.as_str(),
                    &position,
                    &cell.text,
                    &cell.owner_role.map(Role::as_str),
                    &cell.standard_minutes,
                    &cell.fail_point,
                    &cell.wait_point,
                ],
            )?;
        }
    }
    w.audit(Entity::JourneyTemplates, t.id, "create", &format!("{} v{}", t.family_key, t.version))
}

pub(super) fn load_template(db: &Db, id: Uuid) -> Result<JourneyTemplate> {
    let mut template = db
        .query_map(
            "SELECT id, family_key, name, description, version, created_at FROM journey_templates WHERE id = ?1",
            &[&id],
            |r| {
                Ok(JourneyTemplate {
                    id: r.get(0)?,
                    family_key: r.get(1)?,
                    name: r.get(2)?,
                    description: r.get(3)?,
                    version: r.get(4)?,
                    created_at: r.get(5)?,
                    stages: vec![],
                })
            },
        )?
        .pop()
        .ok_or_else(|| not_found("journey template", id))?;
    let stages = db.query_map(
        "SELECT id, key, phase, name, description, owner_role, standard_minutes, standard_basis
         FROM template_stages WHERE template_id = ?1 ORDER BY position",
        &[&id],
        |r| {
            Ok(Stage {
                id: r.get(0)?,
                key: r.get(1)?,
                phase: r.get_enum(2, Phase::parse)?,
                name: r.get(3)?,
                description: r.get(4)?,
                owner_role: r.get_enum(5, Role::parse)?,
                standard_minutes: r.get(6)?,
                standard_basis: r.get_enum(7, StandardBasis::parse)?,
                cells: vec![],
            })
        },
    )?;
    for mut stage in stages {
        stage.cells = db.query_map(
            "SELECT id, lane, text, owner_role, standard_minutes, fail_point, wait_point
             FROM blueprint_cells WHERE stage_id = ?1 ORDER BY lane, position",
            &[&stage.id],
            |r| {
                Ok(BlueprintCell {
                    id: r.get(0)?,
                    lane: r.get_enum(1, Lane::parse)?,
                    text: r.get(2)?,
                    owner_role: r.get_text(3)?.and_then(Role::parse),
                    standard_minutes: r.get(4)?,
                    fail_point: r.get(5)?,
                    wait_point: r.get(6)?,
                })
            },
        )?;
        stage.cells.sort_by_key(|cell| cell.lane);
        template.stages.push(stage);
    }
    Ok(template)
}
