//! Reminder rules: the rows, read per template.

use std::collections::HashMap;

use uuid::Uuid;

use super::Entity;
use super::{Store, Write};
use crate::db::{Db, RowRef};
use crate::domain::patient::Channel;
use crate::domain::reminders::{Anchor, OffsetUnit, ReminderRule, TaskKind};
use crate::domain::resources::Role;
use crate::error::Result;

const COLUMNS: &str =
    "r.id, r.stage_id, r.name, r.anchor, r.anchor_stage_key, r.offset_amount, r.offset_unit, r.at_time,
    r.kind, r.follow_preferred_channel, r.role, r.first_visit_only, r.unconfirmed_only, r.requires_consent,
    r.only_channel, r.max_attempts, r.retry_minutes, r.snap, r.active";

impl Store {
    /// The rules of every stage of a template version, in stage order.
    pub fn template_rules(&self, template_id: Uuid) -> Result<Vec<ReminderRule>> {
        self.read_db(|db| Ok(rules_by_template(db, Some(template_id))?.remove(&template_id).unwrap_or_default()))
    }
}

fn rule_from(r: &RowRef) -> Result<ReminderRule> {
    Ok(ReminderRule {
        id: r.get(0)?,
        stage_id: r.get(1)?,
        name: r.get(2)?,
        anchor: r.get_enum(3, Anchor::parse)?,
        anchor_stage_key: r.get(4)?,
        offset_amount: r.get(5)?,
        offset_unit: r.get_enum(6, OffsetUnit::parse)?,
        at_time: r.get(7)?,
        kind: r.get_enum(8, TaskKind::parse)?,
        follow_preferred_channel: r.get(9)?,
        role: r.get_enum(10, Role::parse)?,
        first_visit_only: r.get(11)?,
        unconfirmed_only: r.get(12)?,
        requires_consent: r.get(13)?,
        only_channel: r.get_text(14)?.and_then(Channel::parse),
        max_attempts: r.get(15)?,
        retry_minutes: r.get(16)?,
        snap: r.get(17)?,
        active: r.get(18)?,
    })
}

/// Rules grouped by the template version they belong to (one template, or all).
pub(super) fn rules_by_template(db: &Db, template_id: Option<Uuid>) -> Result<HashMap<Uuid, Vec<ReminderRule>>> {
    let rows = db.query_map(
        &format!(
            "SELECT {COLUMNS}, s.template_id FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id
             WHERE CAST(?1 AS TEXT) IS NULL OR s.template_id = ?1 ORDER BY s.template_id, s.position, r.position"
        ),
        &[&template_id],
        |r| Ok((r.get::<Uuid>(19)?, rule_from(r)?)),
    )?;
    let mut grouped: HashMap<Uuid, Vec<ReminderRule>> = HashMap::new();
    for (template, rule) in rows {
        grouped.entry(template).or_default().push(rule);
    }
    Ok(grouped)
}

/// Adds a rule to its stage, after the stage's other rules.
pub(super) fn insert_rule(w: &mut Write, rule: &ReminderRule) -> Result<()> {
    w.db().execute(
        "INSERT INTO reminder_rules (id, stage_id, position, name, anchor, anchor_stage_key, offset_amount, offset_unit,
           at_time, kind, follow_preferred_channel, role, first_visit_only, unconfirmed_only, requires_consent,
           only_channel, max_attempts, retry_minutes, snap, active)
         VALUES (?1, ?2, (SELECT count(*) FROM reminder_rules WHERE stage_id = ?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
           ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        &[
            &rule.id,
            &rule.stage_id,
            &rule.name,
            &rule.anchor.as_str(),
            &rule.anchor_stage_key,
            &rule.offset_amount,
            &rule.offset_unit.as_str(),
            &rule.at_time,
            &rule.kind.as_str(),
            &rule.follow_preferred_channel,
            &rule.role.as_str(),
            &rule.first_visit_only,
            &rule.unconfirmed_only,
            &rule.requires_consent,
            &rule.only_channel.map(Channel::as_str),
            &rule.max_attempts,
            &rule.retry_minutes,
            &rule.snap,
            &rule.active,
        ],
    )?;
    w.touch(Entity::ReminderRules);
    Ok(())
}
