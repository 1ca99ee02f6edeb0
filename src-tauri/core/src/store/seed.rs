//! Default content of a new database: clinic settings, and three journey templates with full
//! blueprints and their service types (from `default_templates/<language>.json`).

use serde::Deserialize;

use super::reminders::insert_rule;
use super::settings::write_settings;
use super::templates::{insert_service_type, insert_template};
use super::Write;
use crate::domain::clinic::parse_hhmm;
use crate::domain::clinic::ClinicSettings;
use crate::domain::ids::derived_id;
use crate::domain::journey::{BlueprintCell, JourneyTemplate, Lane, Phase, ServiceType, Stage, StandardBasis};
use crate::domain::patient::Channel;
use crate::domain::reminders::{Anchor, OffsetUnit, ReminderRule, TaskKind};
use crate::domain::resources::Role;
use crate::error::{Error, Result};

/// The default journeys in every language the app writes them in, each written for a clinic
/// speaking it; a clinic in another language (Latvian) gets the English ones.
const DEFAULT_TEMPLATES: [(&str, &str); 4] = [
    ("en", include_str!("default_templates/en.json")),
    ("ru", include_str!("default_templates/ru.json")),
    ("uk", include_str!("default_templates/uk.json")),
    ("zh", include_str!("default_templates/zh.json")),
];

#[derive(Debug, Deserialize)]
struct DefaultContent {
    templates: Vec<DefaultTemplate>,
}

#[derive(Debug, Deserialize)]
pub struct DefaultTemplate {
    pub key: String,
    pub name: String,
    pub description: String,
    pub service: DefaultService,
    pub stages: Vec<DefaultStage>,
}

#[derive(Debug, Deserialize)]
pub struct DefaultService {
    pub name: String,
    pub duration_minutes: u32,
    pub color: String,
}

#[derive(Debug, Deserialize)]
pub struct DefaultStage {
    pub key: String,
    pub phase: Phase,
    pub name: String,
    pub description: String,
    pub owner_role: Role,
    pub standard_minutes: u32,
    pub standard_basis: StandardBasis,
    pub cells: Vec<DefaultCell>,
    #[serde(default)]
    pub rules: Vec<DefaultRule>,
}

/// A reminder rule as the default content writes it; flags left out are off.
#[derive(Debug, Deserialize)]
pub struct DefaultRule {
    pub name: String,
    pub anchor: Anchor,
    #[serde(default)]
    pub anchor_stage_key: Option<String>,
    pub offset_amount: i32,
    pub offset_unit: OffsetUnit,
    /// "HH:MM"
    #[serde(default)]
    pub at_time: Option<String>,
    pub kind: TaskKind,
    pub role: Role,
    #[serde(default)]
    pub follow_preferred_channel: bool,
    #[serde(default)]
    pub first_visit_only: bool,
    #[serde(default)]
    pub unconfirmed_only: bool,
    #[serde(default)]
    pub requires_consent: bool,
    #[serde(default)]
    pub only_channel: Option<Channel>,
    pub max_attempts: u32,
    pub retry_minutes: u32,
}

#[derive(Debug, Deserialize)]
pub struct DefaultCell {
    pub lane: Lane,
    pub text: String,
    pub owner_role: Option<Role>,
    pub standard_minutes: Option<u32>,
    pub fail_point: Option<String>,
    pub wait_point: Option<String>,
}

fn default_templates() -> Result<Vec<DefaultTemplate>> {
    default_templates_in("en")
}

/// The language the default content is written in for a clinic speaking `language`.
fn content_language(language: &str) -> &'static str {
    DEFAULT_TEMPLATES.iter().find(|(code, _)| *code == language).unwrap_or(&DEFAULT_TEMPLATES[0]).0
}

fn default_templates_in(language: &str) -> Result<Vec<DefaultTemplate>> {
    let (language, json) =
        DEFAULT_TEMPLATES.iter().find(|(code, _)| *code == language).unwrap_or(&DEFAULT_TEMPLATES[0]);
    let content: DefaultContent =
        serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("default templates ({language}): {e}")))?;
    Ok(content.templates)
}

impl DefaultTemplate {
    /// Version 1 of this template, with ids derived from its keys so every desk seeds the
    /// same rows.
    fn to_template(&self, created_at: chrono::DateTime<chrono::Utc>) -> JourneyTemplate {
        let template_key = format!("{}:1", self.key);
        let stages = self
            .stages
            .iter()
            .map(|s| {
                let stage_key = format!("{template_key}:{}", s.key);
                let cells = s
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| BlueprintCell {
                        id: derived_id("blueprint_cell", &format!("{stage_key}:{}:{i}", c.lane.as_str())),
                        lane: c.lane,
                        text: c.text.clone(),
                        owner_role: c.owner_role,
                        standard_minutes: c.standard_minutes,
                        fail_point: c.fail_point.clone(),
                        wait_point: c.wait_point.clone(),
                    })
                    .collect();
                Stage {
                    id: derived_id("template_stage", &stage_key),
                    key: s.key.clone(),
                    phase: s.phase,
                    name: s.name.clone(),
                    description: s.description.clone(),
                    owner_role: s.owner_role,
                    standard_minutes: s.standard_minutes,
                    standard_basis: s.standard_basis,
                    cells,
                }
            })
            .collect();
        JourneyTemplate {
            id: derived_id("journey_template", &template_key),
            family_key: self.key.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            version: 1,
            created_at,
            stages,
        }
    }

    /// The reminder rules of version 1's stages.
    fn to_rules(&self) -> Result<Vec<ReminderRule>> {
        let template_key = format!("{}:1", self.key);
        let mut rules = Vec::new();
        for stage in &self.stages {
            let stage_key = format!("{template_key}:{}", stage.key);
            for (i, r) in stage.rules.iter().enumerate() {
                let at_time = match &r.at_time {
                    Some(text) => {
                        Some(parse_hhmm(text).ok_or_else(|| Error::Corrupt(format!("default rule time {text}")))?)
                    }
                    None => None,
                };
                rules.push(ReminderRule {
                    id: derived_id("reminder_rule", &format!("{stage_key}:{i}")),
                    stage_id: derived_id("template_stage", &stage_key),
                    name: r.name.clone(),
                    anchor: r.anchor,
                    anchor_stage_key: r.anchor_stage_key.clone(),
                    offset_amount: r.offset_amount,
                    offset_unit: r.offset_unit,
                    at_time,
                    kind: r.kind,
                    follow_preferred_channel: r.follow_preferred_channel,
                    role: r.role,
                    first_visit_only: r.first_visit_only,
                    unconfirmed_only: r.unconfirmed_only,
                    requires_consent: r.requires_consent,
                    only_channel: r.only_channel,
                    max_attempts: r.max_attempts,
                    retry_minutes: r.retry_minutes,
                    snap: true,
                    active: true,
                });
            }
        }
        Ok(rules)
    }

    fn to_service_type(&self) -> ServiceType {
        ServiceType {
            id: derived_id("service_type", &self.key),
            name: self.service.name.clone(),
            duration_minutes: self.service.duration_minutes,
            color: self.service.color.clone(),
            template_family_key: self.key.clone(),
            active: true,
        }
    }
}

/// Writes the default settings, templates, service types and rules of a new database (inside
/// the upgrade's transaction).
pub(super) fn default_content(w: &mut Write) -> Result<()> {
    let templates = default_templates()?;
    let zone = iana_time_zone::get_timezone().ok().filter(|z| z.parse::<chrono_tz::Tz>().is_ok());
    let settings = ClinicSettings::new_clinic("My clinic", zone.as_deref().unwrap_or("UTC"), "en");
    write_settings(w, &settings)?;
    for t in &templates {
        insert_template(w, &t.to_template(w.now))?;
        insert_service_type(w, &t.to_service_type())?;
    }
    write_default_rules(w, &templates)
}

/// Version 1 of the default journey `key` in `language`, with its rules: the source of a new
/// journey the clinic makes from it.
pub(super) fn default_journey(
    language: &str,
    key: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(JourneyTemplate, Vec<ReminderRule>)>> {
    let Some(default) = default_templates_in(language)?.into_iter().find(|t| t.key == key) else { return Ok(None) };
    Ok(Some((default.to_template(now), default.to_rules()?)))
}

/// The default journeys by key and name in `language`.
pub(super) fn default_choices(language: &str) -> Result<Vec<super::JourneyChoice>> {
    Ok(default_templates_in(language)?
        .into_iter()
        .map(|t| super::JourneyChoice { family_key: t.key, name: t.name, retired: false })
        .collect())
}

/// A clinic that changes its content language gets the default journeys, rule names and
/// service names in the new one — every text still as the old language's default, on journeys
/// the clinic has not edited (a newer version is the clinic's own wording and stays).
pub(super) fn relabel_default_content(w: &mut Write, from: &str, to: &str) -> Result<()> {
    if content_language(from) == content_language(to) {
        return Ok(()); // Latvian and English share the English journeys.
    }
    let (old, new) = (default_templates_in(from)?, default_templates_in(to)?);
    for (old, new) in old.iter().zip(&new) {
        let edited: bool = w
            .db()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM journey_templates WHERE family_key = ?1 AND version > 1)",
                &[&old.key],
            )?
            .get(0)?;
        if edited {
            continue;
        }
        let (old_t, new_t) = (old.to_template(w.now), new.to_template(w.now));
        let id = old_t.id.to_string();
        // A journey of the clinic's own may have the new name already: this one keeps its own.
        let name_taken: bool = w
            .db()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM journey_templates WHERE family_key <> ?1 AND lower(name) = lower(?2))",
                &[&old.key, &new_t.name],
            )?
            .get(0)?;
        if !name_taken {
            relabel(w, "journey_templates", "name", &id, &old_t.name, &new_t.name)?;
        }
        relabel(w, "journey_templates", "description", &id, &old_t.description, &new_t.description)?;
        for (os, ns) in old_t.stages.iter().zip(&new_t.stages) {
            let id = os.id.to_string();
            relabel(w, "template_stages", "name", &id, &os.name, &ns.name)?;
            relabel(w, "template_stages", "description", &id, &os.description, &ns.description)?;
            for (oc, nc) in os.cells.iter().zip(&ns.cells) {
                let id = oc.id.to_string();
                relabel(w, "blueprint_cells", "text", &id, &oc.text, &nc.text)?;
                if let (Some(o), Some(n)) = (&oc.fail_point, &nc.fail_point) {
                    relabel(w, "blueprint_cells", "fail_point", &id, o, n)?;
                }
                if let (Some(o), Some(n)) = (&oc.wait_point, &nc.wait_point) {
                    relabel(w, "blueprint_cells", "wait_point", &id, o, n)?;
                }
            }
        }
        for (or, nr) in old.to_rules()?.iter().zip(&new.to_rules()?) {
            relabel(w, "reminder_rules", "name", &or.id.to_string(), &or.name, &nr.name)?;
        }
        // A service of that name made by the clinic keeps it; the default one keeps its own.
        let service = old.to_service_type();
        let taken: bool = w
            .db()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM service_types WHERE id <> ?1 AND lower(name) = lower(?2))",
                &[&service.id, &new.service.name],
            )?
            .get(0)?;
        if !taken {
            relabel(w, "service_types", "name", &service.id.to_string(), &service.name, &new.service.name)?;
        }
        w.touch(super::Entity::ReminderRules);
        w.touch(super::Entity::ServiceTypes);
        w.audit(super::Entity::JourneyTemplates, old_t.id, "relabel", &format!("{from} → {to}"))?;
    }
    Ok(())
}

/// Replaces one text of one row, if it is still `old` (table and column are this module's
/// constants).
fn relabel(w: &Write, table: &'static str, column: &'static str, id: &str, old: &str, new: &str) -> Result<()> {
    w.db().execute(&format!("UPDATE {table} SET {column} = ?3 WHERE id = ?1 AND {column} = ?2"), &[&id, &old, &new])?;
    Ok(())
}

/// A database from before reminder rules (schema 2) gets the default rules on the default
/// templates' stages it still has.
pub(super) fn default_rules_after_upgrade(w: &mut Write) -> Result<()> {
    write_default_rules(w, &default_templates()?)
}

fn write_default_rules(w: &mut Write, templates: &[DefaultTemplate]) -> Result<()> {
    for t in templates {
        for rule in t.to_rules()? {
            let stage_exists: bool = w.sqlite()?.query_row(
                "SELECT EXISTS (SELECT 1 FROM template_stages WHERE id = ?1)",
                [rule.stage_id.to_string()],
                |r| r.get(0),
            )?;
            let rule_exists: bool = w.sqlite()?.query_row(
                "SELECT EXISTS (SELECT 1 FROM reminder_rules WHERE id = ?1)",
                [rule.id.to_string()],
                |r| r.get(0),
            )?;
            if stage_exists && !rule_exists {
                insert_rule(w, &rule)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields of the default content people read; everything else is the journeys' logic.
    const TEXT_FIELDS: [&str; 5] = ["name", "description", "text", "fail_point", "wait_point"];

    /// The content with every text blanked, and the texts by where they are.
    fn split_texts(value: &serde_json::Value, path: &str, texts: &mut Vec<(String, String)>) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, v)| {
                        let here = format!("{path}.{key}");
                        match v {
                            Value::String(text) if TEXT_FIELDS.contains(&key.as_str()) => {
                                texts.push((here, text.clone()));
                                (key.clone(), Value::String(String::new()))
                            }
                            _ => (key.clone(), split_texts(v, &here, texts)),
                        }
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items.iter().enumerate().map(|(i, v)| split_texts(v, &format!("{path}[{i}]"), texts)).collect(),
            ),
            other => other.clone(),
        }
    }

    #[test]
    fn every_content_language_has_every_default_text_of_the_same_journeys() {
        let mut english = Vec::new();
        let reference = split_texts(&serde_json::from_str(DEFAULT_TEMPLATES[0].1).unwrap(), "", &mut english);
        assert_eq!(DEFAULT_TEMPLATES.map(|(code, _)| code), ["en", "ru", "uk", "zh"]);
        for (language, json) in DEFAULT_TEMPLATES {
            let mut texts = Vec::new();
            let logic = split_texts(&serde_json::from_str(json).unwrap(), "", &mut texts);
            assert_eq!(logic, reference, "{language}: the journeys differ from the English ones beyond their texts");
            assert_eq!(texts.len(), english.len(), "{language}");
            for ((path, text), (_, en)) in texts.iter().zip(&english) {
                assert!(!text.trim().is_empty(), "{language}{path} is empty");
                if language != "en" {
                    assert_ne!(text, en, "{language}{path} is still in English");
                }
            }
        }
    }

    #[test]
    fn default_templates_cover_all_phases_with_full_blueprints() {
        for (language, _) in DEFAULT_TEMPLATES {
            check_default_templates(&default_templates_in(language).unwrap());
        }
    }

    fn check_default_templates(templates: &[DefaultTemplate]) {
        assert_eq!(templates.len(), 3);
        for t in templates {
            for phase in [Phase::PreVisit, Phase::Visit, Phase::PostVisit] {
                assert!(t.stages.iter().any(|s| s.phase == phase), "{} lacks {phase:?}", t.key);
            }
            let phases: Vec<Phase> = t.stages.iter().map(|s| s.phase).collect();
            assert!(phases.windows(2).all(|w| w[0] <= w[1]), "{} stages out of phase order", t.key);
            for s in &t.stages {
                let lanes: Vec<Lane> = s.cells.iter().map(|c| c.lane).collect();
                assert_eq!(
                    lanes,
                    [
                        Lane::PhysicalEvidence,
                        Lane::PatientAction,
                        Lane::FrontOffice,
                        Lane::BackOffice,
                        Lane::SupportProcess
                    ],
                    "{}/{}",
                    t.key,
                    s.key
                );
                assert!(s.cells.iter().all(|c| !c.text.trim().is_empty()), "{}/{} has an empty cell", t.key, s.key);
                for duty in s.cells.iter().filter(|c| matches!(c.lane, Lane::FrontOffice | Lane::BackOffice)) {
                    assert!(duty.owner_role.is_some() && duty.standard_minutes.is_some(), "{}/{}", t.key, s.key);
                }
            }
            let cells = || t.stages.iter().flat_map(|s| &s.cells);
            assert!(cells().filter(|c| c.fail_point.is_some()).count() >= 5, "{} marks too few fail points", t.key);
            assert!(cells().filter(|c| c.wait_point.is_some()).count() >= 3, "{} marks too few wait points", t.key);
            let mut texts: Vec<&str> = cells().map(|c| c.text.as_str()).collect();
            texts.sort_unstable();
            texts.dedup();
            assert!(texts.len() * 10 >= cells().count() * 8, "{} repeats its cell texts", t.key);
            let visit: Vec<&str> =
                t.stages.iter().filter(|s| s.phase == Phase::Visit).map(|s| s.key.as_str()).collect();
            assert_eq!(visit.first(), Some(&"check_in"), "{}", t.key);
            assert_eq!(visit.last(), Some(&"check_out"), "{}", t.key);
        }
    }
}
