//! The clinic's journeys as a whole: a new one from a default (in the clinic's content language)
//! or as a copy of another, renamed, retired. Their stages and rules are edited in the
//! blueprint editor, one version at a time.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::reminders::{insert_rule, rules_by_template};
use super::settings::read_settings;
use super::templates::{insert_template, load_template, newest_template_id};
use super::{Actor, Entity, Store, Write};
use crate::domain::access::Work;
use crate::domain::ids::new_id;
use crate::domain::journey::JourneyTemplate;
use crate::domain::reminders::ReminderRule;
use crate::domain::template_edit::{next_version, TemplateDraft};
use crate::error::{Error, Refusal, Result};

/// Where a new journey's stages, steps and rules come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum JourneySource {
    /// One of the default journeys (`first_consultation`, …), as the clinic's language has it.
    Default { key: String },
    /// The newest version of one of the clinic's journeys.
    Copy { family_key: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewJourney {
    pub name: String,
    pub source: JourneySource,
}

/// A journey as the Journeys page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JourneyRow {
    pub family_key: String,
    pub name: String,
    /// Its newest version.
    pub template_id: uuid::Uuid,
    pub version: u32,
    pub stages: u32,
    pub rules: u32,
    /// The services that follow it (active or not), by name.
    pub services: Vec<String>,
    /// Patient journeys on any of its versions not yet complete.
    pub in_progress: u32,
    pub retired: bool,
}

/// One journey's reminder rules, for the table of every rule of every service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct JourneyRules {
    /// Its newest version, whose stages the rules belong to.
    pub template: JourneyTemplate,
    pub rules: Vec<ReminderRule>,
    /// The services that follow it: the blueprint editor opens on one of them.
    pub services: Vec<crate::domain::journey::ServiceType>,
}

impl Store {
    /// Every journey not retired, with its rules and the services following it.
    pub fn rules_overview(&self) -> Result<Vec<JourneyRules>> {
        let journeys = self.list_journeys()?;
        let services = self.list_service_types()?;
        self.read_db(|db| {
            let mut rules = rules_by_template(db, None)?;
            journeys
                .iter()
                .filter(|j| !j.retired)
                .map(|j| {
                    Ok(JourneyRules {
                        template: load_template(db, j.template_id)?,
                        rules: rules.remove(&j.template_id).unwrap_or_default(),
                        services: services.iter().filter(|s| s.template_family_key == j.family_key).cloned().collect(),
                    })
                })
                .collect()
        })
    }

    pub fn list_journeys(&self) -> Result<Vec<JourneyRow>> {
        self.read_db(|db| {
            // The services' names in one text, split below (the unit separator is in no name).
            let names = db.per_engine("group_concat(name, char(31))", "string_agg(name, chr(31) ORDER BY name)");
            db.query_map(
                &format!(
                    "SELECT t.family_key, t.name, t.id, t.version,
                       (SELECT count(*) FROM template_stages s WHERE s.template_id = t.id),
                       (SELECT count(*) FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id
                          WHERE s.template_id = t.id),
                       (SELECT {names} FROM (SELECT name FROM service_types
                          WHERE template_family_key = t.family_key ORDER BY name) AS n),
                       (SELECT count(*) FROM patient_journeys j JOIN journey_templates v ON v.id = j.template_id
                          WHERE v.family_key = t.family_key AND j.completed_at IS NULL),
                       (SELECT max(retired) FROM journey_templates v WHERE v.family_key = t.family_key)
                     FROM journey_templates t
                     WHERE t.version = (SELECT max(version) FROM journey_templates v WHERE v.family_key = t.family_key)
                     ORDER BY lower(t.name), t.family_key"
                ),
                &[],
                |r| {
                    Ok(JourneyRow {
                        family_key: r.get(0)?,
                        name: r.get(1)?,
                        template_id: r.get(2)?,
                        version: r.get(3)?,
                        stages: r.get(4)?,
                        rules: r.get(5)?,
                        services: r
                            .get_text(6)?
                            .map(|s| s.split('\u{1f}').map(String::from).collect())
                            .unwrap_or_default(),
                        in_progress: r.get(7)?,
                        retired: r.get(8)?,
                    })
                },
            )
        })
    }

    /// A new journey: version 1 of a new family, its stages, steps and rules checked as every
    /// saved edit is.
    pub fn create_journey(&self, actor: Actor, input: &NewJourney) -> Result<JourneyTemplate> {
        self.write(actor, Work::Journeys, |w| {
            let (source, rules) = match &input.source {
                JourneySource::Default { key } => {
                    let language = read_settings(w.db())?.default_language;
                    super::seed::default_journey(&language, key, w.now)?
                        .ok_or_else(|| Error::NotFound { entity: "default journey", id: format!("“{key}”") })?
                }
                JourneySource::Copy { family_key } => newest_with_rules(w, family_key)?,
            };
            refuse_duplicate_name(w, None, &input.name)?;
            // As if the new family had an empty version 0: every stage keeps its key.
            let base =
                JourneyTemplate { family_key: format!("journey_{}", new_id().simple()), version: 0, ..source.clone() };
            let draft = TemplateDraft {
                based_on: source.id,
                name: input.name.clone(),
                description: source.description.clone(),
                stages: source.stages.clone(),
                rules,
            };
            let (template, rules) = next_version(&base, &draft, w.now)?;
            insert_template(w, &template)?;
            for rule in &rules {
                insert_rule(w, rule)?;
            }
            Ok(template)
        })
    }

    /// Renames a journey, every version of it (visits under way show the new name too).
    pub fn rename_journey(&self, actor: Actor, family_key: &str, name: &str) -> Result<()> {
        let name = name.trim();
        crate::domain::template_edit::check_template_name(name)?;
        self.write(actor, Work::Journeys, |w| {
            let newest = newest_id(w, family_key)?;
            refuse_duplicate_name(w, Some(family_key), name)?;
            w.db().execute("UPDATE journey_templates SET name = ?2 WHERE family_key = ?1", &[&family_key, &name])?;
            w.audit(Entity::JourneyTemplates, newest, "rename", name)
        })
    }

    /// Retires a journey no service follows any more (or brings it back): a retired one is not
    /// offered for services, and its history stays.
    pub fn set_journey_retired(&self, actor: Actor, family_key: &str, retired: bool) -> Result<()> {
        self.write(actor, Work::Journeys, |w| {
            let newest = newest_id(w, family_key)?;
            if retired {
                let services = w.db().query_map(
                    "SELECT name FROM service_types WHERE template_family_key = ?1 AND active = 1 ORDER BY name",
                    &[&family_key],
                    |r| r.get::<String>(0),
                )?;
                if !services.is_empty() {
                    let journey = load_template(w.db(), newest)?.name;
                    return Err(Error::refused(
                        "retired",
                        Refusal::JourneyInUse { journey, services: services.join(", ") },
                    ));
                }
            }
            w.db()
                .execute("UPDATE journey_templates SET retired = ?2 WHERE family_key = ?1", &[&family_key, &retired])?;
            w.audit(Entity::JourneyTemplates, newest, if retired { "retire" } else { "restore" }, family_key)
        })
    }
}

fn newest_id(w: &Write, family_key: &str) -> Result<uuid::Uuid> {
    newest_template_id(w.db(), family_key)
        .map_err(|_| Error::NotFound { entity: "journey", id: format!("“{family_key}”") })
}

fn newest_with_rules(w: &Write, family_key: &str) -> Result<(JourneyTemplate, Vec<ReminderRule>)> {
    let template = load_template(w.db(), newest_id(w, family_key)?)?;
    let rules = rules_by_template(w.db(), Some(template.id))?.remove(&template.id).unwrap_or_default();
    Ok((template, rules))
}

/// Two journeys of one name (ignoring case) would be mixed up in every service's choice.
fn refuse_duplicate_name(w: &Write, except_family: Option<&str>, name: &str) -> Result<()> {
    let names = w.db().query_map(
        "SELECT name FROM journey_templates t WHERE family_key IS DISTINCT FROM CAST(?1 AS TEXT)
           AND version = (SELECT max(version) FROM journey_templates v WHERE v.family_key = t.family_key)",
        &[&except_family],
        |r| r.get::<String>(0),
    )?;
    let wanted = name.trim().to_lowercase();
    for other in names {
        if other.to_lowercase() == wanted {
            return Err(Error::refused("name", Refusal::Duplicate { value: other }));
        }
    }
    Ok(())
}

/// Whether a journey is retired (any of its versions marked so).
pub(super) fn is_retired(db: &crate::db::Db, family_key: &str) -> Result<bool> {
    db.query_one("SELECT coalesce(max(retired), 0) FROM journey_templates WHERE family_key = ?1", &[&family_key])?
        .get(0)
}
