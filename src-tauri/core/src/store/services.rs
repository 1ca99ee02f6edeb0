//! The services a clinic books: name, length, colour on the schedule, the journey they follow.

use uuid::Uuid;

use super::resources::{refuse_duplicate, resource_name};
use super::templates::insert_service_type;
use super::Entity;
use super::{not_found, Actor, Store, Write};
use crate::domain::access::Work;
use crate::domain::ids::new_id;
use crate::domain::journey::{ServiceInput, ServiceType, SERVICE_MINUTES};
use crate::error::{Error, Refusal, Result};

impl Store {
    pub fn create_service(&self, actor: Actor, input: &ServiceInput) -> Result<ServiceType> {
        let service = service_from(new_id(), input)?;
        self.write(actor, Work::ClinicSetup, |w| {
            refuse_duplicate(w.db(), "service_types", service.id, &service.name)?;
            check_journey(w, &service.template_family_key, true)?;
            insert_service_type(w, &service)
        })?;
        Ok(service)
    }

    /// Changes a service; visits already booked keep their length and their journey.
    pub fn update_service(&self, actor: Actor, id: Uuid, input: &ServiceInput) -> Result<ServiceType> {
        let service = service_from(id, input)?;
        self.write(actor, Work::ClinicSetup, |w| {
            // A service may keep a journey retired since; it may not newly take one.
            let before = super::templates::load_service_type(w.db(), id)?;
            let takes_it =
                before.template_family_key != service.template_family_key || (service.active && !before.active);
            let changed = w.db().execute(
                "UPDATE service_types SET name = ?2, duration_minutes = ?3, color = ?4, template_family_key = ?5,
                   active = ?6 WHERE id = ?1",
                &[
                    &id,
                    &service.name,
                    &service.duration_minutes,
                    &service.color,
                    &service.template_family_key,
                    &service.active,
                ],
            )?;
            if changed == 0 {
                return Err(not_found("service", id));
            }
            refuse_duplicate(w.db(), "service_types", id, &service.name)?;
            check_journey(w, &service.template_family_key, takes_it)?;
            w.audit(Entity::ServiceTypes, id, "update", &service.name)
        })?;
        Ok(service)
    }
}

fn service_from(id: Uuid, input: &ServiceInput) -> Result<ServiceType> {
    let name = resource_name("name", &input.name, "Service name")?;
    if !SERVICE_MINUTES.contains(&input.duration_minutes) {
        return Err(Error::refused(
            "duration_minutes",
            Refusal::OutOfRange {
                what: "Duration".into(),
                value: input.duration_minutes,
                min: *SERVICE_MINUTES.start(),
                max: *SERVICE_MINUTES.end(),
            },
        ));
    }
    let color = input.color.trim().to_lowercase();
    let hex = color.strip_prefix('#').unwrap_or_default();
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::refused("color", Refusal::BadColor { value: input.color.trim().into() }));
    }
    Ok(ServiceType {
        id,
        name,
        duration_minutes: input.duration_minutes,
        color,
        template_family_key: input.template_family_key.trim().to_string(),
        active: input.active,
    })
}

/// The journey exists, and (`refuse_retired`) is not retired.
fn check_journey(w: &Write, family_key: &str, refuse_retired: bool) -> Result<()> {
    let found: bool = w
        .db()
        .query_one("SELECT EXISTS (SELECT 1 FROM journey_templates WHERE family_key = ?1)", &[&family_key])?
        .get(0)?;
    if !found {
        return Err(Error::NotFound { entity: "journey", id: format!("“{family_key}”") });
    }
    if refuse_retired && super::journey_admin::is_retired(w.db(), family_key)? {
        let journey =
            super::templates::load_template(w.db(), super::templates::newest_template_id(w.db(), family_key)?)?.name;
        return Err(Error::refused("template_family_key", Refusal::JourneyRetired { journey }));
    }
    Ok(())
}
