//! Saving an edited blueprint: the draft is checked and becomes the template's next version,
//! with fresh ids for its stages, cells and rules. The version before stays as it was, so
//! journeys already under way keep the stages and rules they started with.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::flow::{column_of, FlowColumn};
use super::ids::new_id;
use super::journey::{JourneyTemplate, Lane, Phase, Stage};
use super::reminders::{Anchor, OffsetUnit, ReminderRule, TaskKind};
use crate::error::{Error, Refusal, Result};

pub const NAME_MAX: usize = 80;
pub const TEXT_MAX: usize = 500;
/// A standard longer than a year is a typing slip.
pub const STANDARD_MAX_MINUTES: u32 = 525_600;

/// An edited template as the editor sends it: `stages` in their new order, each with its
/// cells; stages kept from the version it is `based_on` keep their ids (new ones have any id
/// not in that version) and `rules` point at their stage by that id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TemplateDraft {
    pub based_on: Uuid,
    pub name: String,
    pub description: String,
    pub stages: Vec<Stage>,
    pub rules: Vec<ReminderRule>,
}

/// What removing a stage from a draft would take with it, for the window to ask first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StageRemoval {
    /// The flow-board column that would be left without a stage (patients could no longer be
    /// moved into it).
    pub board_column: Option<FlowColumn>,
    /// How many of the stage's own reminder rules go with it.
    pub own_rules: u32,
    /// Other stages' rules that count from this stage's completion: while there are any, it
    /// cannot be removed (a saved draft must not count from a stage it lacks).
    pub stranded_rules: Vec<String>,
    /// Whether it may be removed now.
    pub allowed: bool,
}

/// What removing `stage_id` from a draft's `stages` (with its `rules`) means.
pub fn stage_removal(stages: &[Stage], rules: &[ReminderRule], stage_id: Uuid) -> Result<StageRemoval> {
    let stage = stages
        .iter()
        .find(|s| s.id == stage_id)
        .ok_or_else(|| Error::NotFound { entity: "stage", id: stage_id.to_string() })?;
    let column = column_of(stage);
    let others_feed =
        |c: FlowColumn| stages.iter().any(|s| s.id != stage.id && s.phase == Phase::Visit && column_of(s) == c);
    let board_column = (stage.phase == Phase::Visit && !others_feed(column)).then_some(column);
    let own_rules = rules.iter().filter(|r| r.stage_id == stage.id).count() as u32;
    let stranded_rules: Vec<String> = rules
        .iter()
        .filter(|r| {
            r.stage_id != stage.id
                && r.anchor == Anchor::StageCompleted
                && !stage.key.is_empty()
                && r.anchor_stage_key.as_deref() == Some(stage.key.as_str())
        })
        .map(|r| r.name.clone())
        .collect();
    let allowed = stranded_rules.is_empty() && stages.len() > 1;
    Ok(StageRemoval { board_column, own_rules, stranded_rules, allowed })
}

/// The template's next version from `draft`, and its rules, or why the draft cannot be saved.
pub fn next_version(
    current: &JourneyTemplate,
    draft: &TemplateDraft,
    now: DateTime<Utc>,
) -> Result<(JourneyTemplate, Vec<ReminderRule>)> {
    check_template_name(&draft.name)?;
    if draft.stages.is_empty() {
        return Err(Error::refused("stages", Refusal::NoStages));
    }
    if !draft.stages.iter().any(|s| s.phase == Phase::Visit) {
        return Err(Error::refused("stages", Refusal::NoVisitStage));
    }
    let mut keys = HashSet::new();
    let mut new_ids = HashMap::new();
    let mut stages = Vec::with_capacity(draft.stages.len());
    for (i, stage) in draft.stages.iter().enumerate() {
        check_stage(stage, i + 1)?;
        if let Some(before) = draft.stages[..i].last() {
            if stage.phase < before.phase {
                return Err(Error::refused(
                    "stages",
                    Refusal::PhaseOrder {
                        stage: stage.name.clone(),
                        before: before.name.clone(),
                        phase: stage.phase.as_str().into(),
                    },
                ));
            }
        }
        let kept = current.stages.iter().find(|s| s.id == stage.id);
        // A kept stage keeps its key (the flow board and the overlay follow stages by it).
        let key = match kept {
            Some(old) => old.key.clone(),
            None => unique_key(&stage.name, current, &keys),
        };
        keys.insert(key.clone());
        let id = new_id();
        new_ids.insert(stage.id, id);
        let cells =
            stage.cells.iter().map(|cell| super::journey::BlueprintCell { id: new_id(), ..cell.clone() }).collect();
        stages.push(Stage { id, key, name: stage.name.trim().to_owned(), cells, ..stage.clone() });
    }
    let mut rules = Vec::with_capacity(draft.rules.len());
    for rule in &draft.rules {
        let Some(&stage_id) = new_ids.get(&rule.stage_id) else {
            return Err(Error::refused("rules", Refusal::RuleWithoutStage { rule: rule.name.clone() }));
        };
        let stage = draft.stages.iter().find(|s| s.id == rule.stage_id).map_or("", |s| s.name.as_str());
        rules.push(ReminderRule { id: new_id(), stage_id, ..checked_rule(rule, stage, &keys)? });
    }
    let template = JourneyTemplate {
        id: new_id(),
        family_key: current.family_key.clone(),
        name: draft.name.trim().to_owned(),
        description: draft.description.trim().to_owned(),
        version: current.version + 1,
        created_at: now,
        stages,
    };
    Ok((template, rules))
}

/// A journey's name: present and not too long.
pub fn check_template_name(name: &str) -> Result<()> {
    let max = NAME_MAX as u32;
    check_text("name", name, NAME_MAX, Refusal::TemplateNameRequired, Refusal::TemplateNameTooLong { max })
}

fn check_stage(stage: &Stage, position: usize) -> Result<()> {
    let (position, max) = (position as u32, NAME_MAX as u32);
    check_text(
        "stages",
        &stage.name,
        NAME_MAX,
        Refusal::StageNameRequired { position },
        Refusal::StageNameTooLong { position, max },
    )?;
    if stage.standard_minutes > STANDARD_MAX_MINUTES {
        return Err(Error::refused("stages", Refusal::StandardRange { stage: stage.name.clone() }));
    }
    for cell in &stage.cells {
        let (stage_name, max) = (stage.name.clone(), TEXT_MAX as u32);
        let too_long = Refusal::StepTextTooLong { stage: stage_name.clone(), max };
        check_text("cells", &cell.text, TEXT_MAX, Refusal::StepTextRequired { stage: stage_name }, too_long)?;
        if cell.standard_minutes.is_some_and(|m| m > STANDARD_MAX_MINUTES) {
            return Err(Error::refused(
                "cells",
                Refusal::StepStandardRange { stage: stage.name.clone(), step: cell.text.clone() },
            ));
        }
        if !is_staff_lane(cell.lane) && cell.owner_role.is_some() {
            return Err(Error::refused(
                "cells",
                Refusal::RoleOnPatientStep { stage: stage.name.clone(), step: cell.text.clone() },
            ));
        }
    }
    Ok(())
}

/// Checks a required text of at most `max` characters, refusing with `missing` or `too_long`.
fn check_text(field: &str, text: &str, max: usize, missing: Refusal, too_long: Refusal) -> Result<()> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::refused(field, missing));
    }
    if text.chars().count() > max {
        return Err(Error::refused(field, too_long));
    }
    Ok(())
}

/// Whether a step in `lane` is a staff duty, which has an owner role.
pub fn is_staff_lane(lane: Lane) -> bool {
    matches!(lane, Lane::FrontOffice | Lane::BackOffice | Lane::SupportProcess)
}

/// Whether a task may fall due before its anchor: only the visit is known ahead; a booking, a
/// no-show or a finished stage is not.
pub fn may_fall_due_before(anchor: Anchor) -> bool {
    matches!(anchor, Anchor::AppointmentStart | Anchor::AppointmentEnd)
}

/// Whether an offset in `unit` takes a time of day ("the day before at 10:00").
pub fn takes_time_of_day(unit: OffsetUnit) -> bool {
    matches!(unit, OffsetUnit::Days | OffsetUnit::WorkingDays | OffsetUnit::Months)
}

/// What the blueprint editor may offer, from the functions that check a save: the window
/// shows only these choices, and Rust refuses the rest anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EditorChoices {
    pub staff_lanes: Vec<Lane>,
    pub anchors_allowing_before: Vec<Anchor>,
    pub units_with_time_of_day: Vec<OffsetUnit>,
}

pub fn editor_choices() -> EditorChoices {
    use Anchor::*;
    use OffsetUnit::*;
    let lanes =
        [Lane::PhysicalEvidence, Lane::PatientAction, Lane::FrontOffice, Lane::BackOffice, Lane::SupportProcess];
    EditorChoices {
        staff_lanes: lanes.into_iter().filter(|l| is_staff_lane(*l)).collect(),
        anchors_allowing_before: [BookingMade, AppointmentStart, AppointmentEnd, StageCompleted, NoShow]
            .into_iter()
            .filter(|a| may_fall_due_before(*a))
            .collect(),
        units_with_time_of_day: [Minutes, Hours, Days, WorkingDays, Months]
            .into_iter()
            .filter(|u| takes_time_of_day(*u))
            .collect(),
    }
}

/// The longest offset each unit may have: beyond it a rule is a typing slip.
fn offset_limit(unit: OffsetUnit) -> i32 {
    match unit {
        OffsetUnit::Minutes => 7 * 24 * 60,
        OffsetUnit::Hours => 365 * 24,
        OffsetUnit::Days => 730,
        OffsetUnit::WorkingDays => 500,
        OffsetUnit::Months => 60,
    }
}

/// A rule of the draft checked, tidied (no anchor stage unless it counts from one, no
/// channel choices on internal duties) and ready to save; `keys` are the saved stage keys.
fn checked_rule(rule: &ReminderRule, stage: &str, keys: &HashSet<String>) -> Result<ReminderRule> {
    let too_long = Refusal::RuleNameTooLong { stage: stage.into(), max: NAME_MAX as u32 };
    check_text("rules", &rule.name, NAME_MAX, Refusal::RuleNameRequired { stage: stage.into() }, too_long)?;
    let name = rule.name.trim();
    let rule_name = || name.to_string();
    let refuse = |refusal: Refusal| Err(Error::refused("rules", refusal));
    if rule.max_attempts == 0 || rule.max_attempts > 10 {
        return refuse(Refusal::AttemptsRange { rule: rule_name() });
    }
    if rule.max_attempts > 1 && !(5..=7 * 24 * 60).contains(&rule.retry_minutes) {
        return refuse(Refusal::RetryRange { rule: rule_name() });
    }
    // Only the visit is known ahead; a booking, a no-show or a finished stage is not, so a
    // task cannot fall due before it.
    if rule.offset_amount < 0 && !may_fall_due_before(rule.anchor) {
        return refuse(Refusal::BeforeEvent { rule: rule_name(), anchor: rule.anchor.as_str().into() });
    }
    let limit = offset_limit(rule.offset_unit);
    // unsigned_abs: i32::MIN has no positive twin, and `abs` would wrap it past this check.
    if rule.offset_amount.unsigned_abs() > limit.unsigned_abs() {
        return refuse(Refusal::OffsetRange {
            rule: rule_name(),
            max: limit.unsigned_abs(),
            unit: rule.offset_unit.as_str().into(),
        });
    }
    if let Some(minute) = rule.at_time {
        if minute >= 24 * 60 {
            return refuse(Refusal::AtTimeRange { rule: rule_name() });
        }
        if !takes_time_of_day(rule.offset_unit) {
            return refuse(Refusal::AtTimeUnit { rule: rule_name() });
        }
    }
    let anchor_stage_key = if rule.anchor == Anchor::StageCompleted {
        match rule.anchor_stage_key.as_deref().map(str::trim) {
            Some(key) if keys.contains(key) => Some(key.to_owned()),
            _ => return refuse(Refusal::AnchorStageMissing { rule: rule_name() }),
        }
    } else {
        None
    };
    let duty = rule.kind == TaskKind::Duty;
    Ok(ReminderRule {
        name: name.to_owned(),
        anchor_stage_key,
        follow_preferred_channel: rule.follow_preferred_channel && !duty,
        only_channel: if duty { None } else { rule.only_channel },
        ..rule.clone()
    })
}

/// A key for a new stage from its name ("Pre-op call" → "pre_op_call"), unlike any key of
/// this or earlier stages of the family.
fn unique_key(name: &str, current: &JourneyTemplate, taken: &HashSet<String>) -> String {
    let slug: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let base = if slug.is_empty() { "stage".to_owned() } else { slug };
    let used = |k: &str| taken.contains(k) || current.stages.iter().any(|s| s.key == k);
    let mut key = base.clone();
    let mut n = 2;
    while used(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::journey::{BlueprintCell, Phase, StandardBasis};
    use crate::domain::reminders::{Anchor, OffsetUnit, TaskKind};
    use crate::domain::resources::Role;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    }

    fn stage(key: &str, phase: Phase) -> Stage {
        Stage {
            id: new_id(),
            key: key.into(),
            phase,
            name: key.replace('_', " "),
            description: String::new(),
            owner_role: Role::FrontDesk,
            standard_minutes: 10,
            standard_basis: StandardBasis::Duration,
            cells: vec![BlueprintCell {
                id: new_id(),
                lane: Lane::FrontOffice,
                text: "Greet the patient".into(),
                owner_role: Some(Role::FrontDesk),
                standard_minutes: Some(2),
                fail_point: None,
                wait_point: None,
            }],
        }
    }

    fn template() -> JourneyTemplate {
        JourneyTemplate {
            id: new_id(),
            family_key: "first_consultation".into(),
            name: "First consultation".into(),
            description: String::new(),
            version: 3,
            created_at: now(),
            stages: vec![
                stage("confirmation", Phase::PreVisit),
                stage("check_in", Phase::Visit),
                stage("follow_up_call", Phase::PostVisit),
            ],
        }
    }

    fn rule(stage_id: Uuid) -> ReminderRule {
        ReminderRule {
            id: new_id(),
            stage_id,
            name: "Confirmation call".into(),
            anchor: Anchor::AppointmentStart,
            anchor_stage_key: None,
            offset_amount: -2,
            offset_unit: OffsetUnit::WorkingDays,
            at_time: None,
            kind: TaskKind::Call,
            follow_preferred_channel: false,
            role: Role::FrontDesk,
            first_visit_only: false,
            unconfirmed_only: true,
            requires_consent: false,
            only_channel: None,
            max_attempts: 3,
            retry_minutes: 120,
            snap: true,
            active: true,
        }
    }

    fn draft(t: &JourneyTemplate) -> TemplateDraft {
        TemplateDraft {
            based_on: t.id,
            name: t.name.clone(),
            description: t.description.clone(),
            stages: t.stages.clone(),
            rules: vec![rule(t.stages[0].id)],
        }
    }

    #[test]
    fn what_the_editor_offers_is_exactly_what_a_save_accepts() {
        let t = template();
        let choices = editor_choices();
        for unit in
            [OffsetUnit::Minutes, OffsetUnit::Hours, OffsetUnit::Days, OffsetUnit::WorkingDays, OffsetUnit::Months]
        {
            let mut d = draft(&t);
            (d.rules[0].offset_unit, d.rules[0].offset_amount, d.rules[0].at_time) = (unit, -1, Some(600));
            assert_eq!(next_version(&t, &d, now()).is_ok(), choices.units_with_time_of_day.contains(&unit), "{unit:?}");
        }
        for anchor in [
            Anchor::BookingMade,
            Anchor::AppointmentStart,
            Anchor::AppointmentEnd,
            Anchor::StageCompleted,
            Anchor::NoShow,
        ] {
            let mut d = draft(&t);
            (d.rules[0].anchor, d.rules[0].offset_amount) = (anchor, -1);
            d.rules[0].anchor_stage_key = (anchor == Anchor::StageCompleted).then(|| "check_in".to_string());
            assert_eq!(
                next_version(&t, &d, now()).is_ok(),
                choices.anchors_allowing_before.contains(&anchor),
                "{anchor:?}"
            );
        }
        for lane in
            [Lane::PhysicalEvidence, Lane::PatientAction, Lane::FrontOffice, Lane::BackOffice, Lane::SupportProcess]
        {
            let mut d = draft(&t);
            (d.stages[1].cells[0].lane, d.stages[1].cells[0].owner_role) = (lane, Some(Role::FrontDesk));
            assert_eq!(next_version(&t, &d, now()).is_ok(), choices.staff_lanes.contains(&lane), "{lane:?}");
        }
    }

    #[test]
    fn removing_a_stage_names_the_board_column_and_rules_it_takes_and_waits_for_rules_counting_from_it() {
        let t = template();
        let mut d = draft(&t);
        d.stages.insert(2, stage("consultation", Phase::Visit));
        d.stages.insert(3, stage("treatment", Phase::Visit));
        let mut follow_up = rule(d.stages[4].id);
        (follow_up.name, follow_up.anchor, follow_up.anchor_stage_key, follow_up.offset_amount) =
            ("Follow-up call".into(), Anchor::StageCompleted, Some("check_in".into()), 2);
        d.rules.push(follow_up);
        let of = |d: &TemplateDraft, i: usize| stage_removal(&d.stages, &d.rules, d.stages[i].id).unwrap();

        let check_in = of(&d, 1);
        assert_eq!(check_in.board_column, Some(FlowColumn::Arrived));
        assert_eq!(check_in.stranded_rules, ["Follow-up call"]);
        assert!(!check_in.allowed, "a rule still counts from check-in's completion");
        // Two clinical stages: either one can go, the other keeps "with clinician" on the board.
        assert_eq!((of(&d, 2).board_column, of(&d, 2).allowed), (None, true));
        let confirmation = of(&d, 0);
        assert_eq!((confirmation.board_column, confirmation.own_rules, confirmation.allowed), (None, 1, true));
        d.stages.remove(3);
        assert_eq!(of(&d, 2).board_column, Some(FlowColumn::WithClinician), "now the only clinical stage");
        assert!(stage_removal(&d.stages, &d.rules, new_id()).is_err());
    }

    #[test]
    fn an_edit_becomes_the_next_version_with_fresh_ids_and_kept_keys() {
        let t = template();
        let mut d = draft(&t);
        d.stages[1].cells[0].text = "Greet the patient by name".into();
        d.stages[1].name = "Arrival".into();
        let (next, rules) = next_version(&t, &d, now()).unwrap();
        assert_eq!((next.family_key.as_str(), next.version), ("first_consultation", 4));
        assert_ne!(next.id, t.id);
        assert_eq!(
            next.stages.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
            ["confirmation", "check_in", "follow_up_call"]
        );
        assert_eq!(next.stages[1].name, "Arrival");
        assert_eq!(next.stages[1].cells[0].text, "Greet the patient by name");
        for (old, new) in t.stages.iter().zip(&next.stages) {
            assert_ne!(old.id, new.id, "the old version's rows stay untouched");
            assert_ne!(old.cells[0].id, new.cells[0].id);
        }
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].stage_id, next.stages[0].id, "the rule follows its stage into the new version");
        assert_ne!(rules[0].id, d.rules[0].id);
    }

    #[test]
    fn new_stages_get_a_key_of_their_own_and_reordering_keeps_phases_in_order() {
        let t = template();
        let mut d = draft(&t);
        let mut added = stage("ignored", Phase::PreVisit);
        added.name = "Check-in".into(); // "check_in" is taken
        d.stages.insert(1, added);
        let (next, _) = next_version(&t, &d, now()).unwrap();
        assert_eq!(next.stages[1].key, "check_in_2");

        let mut wrong = draft(&t);
        wrong.stages.swap(0, 2); // post-visit before pre-visit
        let err = next_version(&t, &wrong, now()).unwrap_err();
        assert!(err.to_string().contains("cannot come after"), "{err}");
    }

    #[test]
    fn a_deleted_stage_takes_its_rules_only_if_they_are_deleted_too() {
        let t = template();
        let mut d = draft(&t);
        d.stages.remove(0);
        let err = next_version(&t, &d, now()).unwrap_err();
        assert!(err.to_string().contains("belongs to no stage"), "{err}");
        d.rules.clear();
        let (next, rules) = next_version(&t, &d, now()).unwrap();
        assert_eq!((next.stages.len(), rules.len()), (2, 0));
    }

    #[test]
    fn an_edited_rule_is_saved_tidied_and_may_count_from_a_kept_stage() {
        let t = template();
        let mut d = draft(&t);
        let rule = &mut d.rules[0];
        rule.name = "  Call about the results ".into();
        (rule.anchor, rule.anchor_stage_key) = (Anchor::StageCompleted, Some("check_in".into()));
        (rule.offset_amount, rule.offset_unit, rule.at_time) = (3, OffsetUnit::Days, Some(11 * 60));
        (rule.kind, rule.follow_preferred_channel, rule.only_channel) =
            (TaskKind::Duty, true, Some(crate::domain::patient::Channel::Sms));
        let mut other = rule.clone();
        other.anchor = Anchor::BookingMade; // a stage key left over from an earlier anchor
        d.rules.push(other);
        let (_, rules) = next_version(&t, &d, now()).unwrap();
        assert_eq!(rules[0].name, "Call about the results");
        assert_eq!(
            (rules[0].anchor_stage_key.as_deref(), rules[0].offset_amount, rules[0].at_time),
            (Some("check_in"), 3, Some(660))
        );
        assert_eq!(
            (rules[0].kind, rules[0].follow_preferred_channel, rules[0].only_channel),
            (TaskKind::Duty, false, None),
            "duties contact nobody"
        );
        assert_eq!(rules[1].anchor_stage_key, None);
    }

    #[test]
    fn refusals_name_their_reason_for_the_window_to_translate() {
        let t = template();
        let mut d = draft(&t);
        d.stages[2].name = String::new();
        let err = next_version(&t, &d, now()).unwrap_err();
        assert_eq!(err.refusal(), Some(&Refusal::StageNameRequired { position: 3 }));
        assert_eq!(err.to_string(), "Stage 3 needs a name");
    }

    #[test]
    fn bad_drafts_are_refused_with_the_reason() {
        let t = template();
        type Edit = Box<dyn Fn(&mut TemplateDraft)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|d| d.name = "  ".into()), "template_name_required"),
            (Box::new(|d| d.stages.clear()), "no_stages"),
            (Box::new(|d| d.stages[1].name = String::new()), "stage_name_required"),
            (Box::new(|d| d.stages[1].cells[0].text = " ".into()), "step_text_required"),
            (Box::new(|d| d.stages[1].standard_minutes = 600_000), "standard_range"),
            (Box::new(|d| d.stages[1].cells[0].lane = Lane::PatientAction), "role_on_patient_step"),
            (Box::new(|d| d.rules[0].max_attempts = 0), "attempts_range"),
            (Box::new(|d| d.stages[1].cells[0].text = "x".repeat(501)), "step_text_too_long"),
            (Box::new(|d| d.stages[1].phase = Phase::PostVisit), "no_visit_stage"),
            (Box::new(|d| d.rules[0].name = " ".into()), "rule_name_required"),
            (Box::new(|d| d.rules[0].retry_minutes = 0), "retry_range"),
            (Box::new(|d| d.rules[0].offset_amount = -501), "offset_range"),
            (Box::new(|d| d.rules[0].offset_amount = i32::MIN), "offset_range"),
            (
                Box::new(|d| (d.rules[0].offset_unit, d.rules[0].offset_amount) = (OffsetUnit::Minutes, i32::MIN)),
                "offset_range",
            ),
            (
                Box::new(|d| (d.rules[0].offset_unit, d.rules[0].at_time) = (OffsetUnit::Hours, Some(600))),
                "at_time_unit",
            ),
            (Box::new(|d| d.rules[0].at_time = Some(1440)), "at_time_range"),
            (Box::new(|d| d.rules[0].anchor = Anchor::NoShow), "before_event"),
            (
                Box::new(|d| {
                    (d.rules[0].anchor, d.rules[0].anchor_stage_key, d.rules[0].offset_amount) =
                        (Anchor::StageCompleted, Some("gone".into()), 2)
                }),
                "anchor_stage_missing",
            ),
        ];
        for (edit, expected) in cases {
            let mut d = draft(&t);
            edit(&mut d);
            let err = next_version(&t, &d, now()).unwrap_err();
            assert_eq!(err.reason(), Some(expected), "{err}");
        }
    }

    // Any rule draft the editor (or a crafted request) sends is saved or refused with its
    // reason, never a panic: `make test` runs proptest's 256 cases, PROPTEST_CASES a long run.
    proptest::proptest! {
        #[test]
        fn any_rule_draft_is_saved_or_refused_with_its_reason(
            name in proptest::prelude::any::<String>(),
            stage_name in proptest::prelude::any::<String>(),
            rule_name in proptest::prelude::any::<String>(),
            anchor in 0usize..5,
            offset in proptest::prelude::any::<i32>(),
            unit in 0usize..5,
            at_time in proptest::option::of(0u16..3000),
            attempts in proptest::prelude::any::<u32>(),
            retry in proptest::prelude::any::<u32>(),
            stage_key in proptest::option::of("[a-z_]{0,16}"),
        ) {
            let t = template();
            let mut d = draft(&t);
            d.name = name;
            d.stages[1].name = stage_name;
            let rule = &mut d.rules[0];
            rule.name = rule_name;
            rule.anchor = [Anchor::BookingMade, Anchor::AppointmentStart, Anchor::AppointmentEnd, Anchor::StageCompleted, Anchor::NoShow][anchor];
            rule.anchor_stage_key = stage_key;
            rule.offset_amount = offset;
            rule.offset_unit = [OffsetUnit::Minutes, OffsetUnit::Hours, OffsetUnit::Days, OffsetUnit::WorkingDays, OffsetUnit::Months][unit];
            rule.at_time = at_time;
            rule.max_attempts = attempts;
            rule.retry_minutes = retry;
            let result = next_version(&t, &d, now());
            proptest::prop_assert!(result.is_ok() || result.as_ref().unwrap_err().refusal().is_some(), "{:?}", result.err());
        }
    }
}
