//! The blueprint's live overlay: per stage, who is in it now, how long it took over a period
//! (median and 90th percentile from the stage event log) against its standard time, its open
//! and overdue tasks and its fail-point hits; and the bottleneck, the stage whose median most
//! exceeds its standard.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journey::{JourneyTemplate, Phase, StageEventKind, StandardBasis};
use super::standards::{within, Compliance};

/// Fewer finished passes than this say nothing about a stage: it cannot be the bottleneck.
pub const MIN_SAMPLES: usize = 3;

/// One stage event of a journey, with its stage named by key (stable across template versions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedEvent {
    pub stage_key: String,
    pub kind: StageEventKind,
    pub at: DateTime<Utc>,
}

/// Task figures of one stage's reminder rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageTaskCounts {
    /// Open now.
    pub open: u32,
    /// Open and past their due time now.
    pub overdue: u32,
    /// Failed (every attempt used, wrong number) within the period: a fail-point hit.
    pub failed: u32,
}

/// What the overlay is computed from; the store gathers it for one template family.
#[derive(Debug, Clone, Default)]
pub struct OverlayInput {
    /// The events of each journey that has any stage completed in the period, in any order.
    pub journeys: Vec<Vec<KeyedEvent>>,
    /// Journeys whose current stage has this key, now.
    pub patients_now: HashMap<String, u32>,
    pub tasks: HashMap<String, StageTaskCounts>,
    /// Visits of this service missed in the period: fail-point hits of the arrival stage.
    pub no_shows: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StageFigures {
    pub stage_key: String,
    pub patients_now: u32,
    /// Finished passes in the period that the times are taken from.
    pub samples: u32,
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub standard_minutes: u32,
    pub standard_basis: StandardBasis,
    /// Median ÷ standard (1.0 = on standard); none without samples or a standard.
    pub median_to_standard: Option<f64>,
    pub open_tasks: u32,
    pub overdue_tasks: u32,
    pub fail_hits: u32,
    /// Every standard of the stage over the period, its standard time included (the store
    /// adds the clinic's own standards and audits).
    pub compliance: Compliance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BlueprintOverlay {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// In the template's stage order.
    pub stages: Vec<StageFigures>,
    /// The stage whose median most exceeds its standard (with enough samples), if any does.
    pub bottleneck: Option<String>,
}

/// The median of `values` (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let sorted = sorted(values);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank percentile `p` (0–100) of `values`: the smallest value with at least
/// p % of the values at or below it.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let sorted = sorted(values);
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Minutes each stage took in the journeys of `input`, for passes completed in `[from, to)`.
/// A "duration" stage runs from its entry (or start) to its completion; a "lead time" stage
/// after the visit from the completion of the step before it (the latest earlier completion
/// in that journey). Lead times before the visit are timed by the visit's date (a
/// confirmation call two days before it), not by a pace of work, so they are not measured.
pub fn stage_minutes(
    template: &JourneyTemplate,
    journeys: &[Vec<KeyedEvent>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> HashMap<String, Vec<f64>> {
    let position: HashMap<&str, usize> = template.stages.iter().enumerate().map(|(i, s)| (s.key.as_str(), i)).collect();
    let mut minutes: HashMap<String, Vec<f64>> = HashMap::new();
    for events in journeys {
        let mut events: Vec<&KeyedEvent> =
            events.iter().filter(|e| position.contains_key(e.stage_key.as_str())).collect();
        events.sort_by_key(|e| e.at);
        let mut entered: HashMap<&str, DateTime<Utc>> = HashMap::new();
        // (stage position, when) of every completion so far, for lead times.
        let mut completions: Vec<(usize, DateTime<Utc>)> = Vec::new();
        for e in events {
            let key = e.stage_key.as_str();
            let here = position[key];
            match e.kind {
                StageEventKind::Entered | StageEventKind::Started => {
                    entered.entry(key).or_insert(e.at);
                }
                StageEventKind::Skipped => {
                    entered.remove(key);
                }
                StageEventKind::Completed => {
                    let stage = &template.stages[here];
                    let timed_by_visit =
                        stage.phase == Phase::PreVisit && stage.standard_basis == StandardBasis::LeadTime;
                    let began = match stage.standard_basis {
                        _ if timed_by_visit => None,
                        StandardBasis::Duration => entered.remove(key),
                        StandardBasis::LeadTime => completions
                            .iter()
                            .filter(|(p, _)| *p < here)
                            .map(|(_, at)| *at)
                            .max()
                            .or(entered.remove(key)),
                    };
                    completions.push((here, e.at));
                    if let Some(began) = began.filter(|b| *b <= e.at && e.at >= from && e.at < to) {
                        minutes.entry(key.to_owned()).or_default().push((e.at - began).num_seconds() as f64 / 60.0);
                    }
                }
            }
        }
    }
    minutes
}

/// The overlay of `template`'s stages over `[from, to)`.
pub fn blueprint_overlay(
    template: &JourneyTemplate,
    input: &OverlayInput,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> BlueprintOverlay {
    let minutes = stage_minutes(template, &input.journeys, from, to);
    let arrival = template.stages.iter().find(|s| s.phase == Phase::Visit).map(|s| s.key.as_str());
    let stages: Vec<StageFigures> = template
        .stages
        .iter()
        .map(|stage| {
            let spent = minutes.get(&stage.key).map(Vec::as_slice).unwrap_or(&[]);
            let tasks = input.tasks.get(&stage.key).copied().unwrap_or_default();
            let median_minutes = median(spent);
            let no_shows = if arrival == Some(stage.key.as_str()) { input.no_shows } else { 0 };
            StageFigures {
                stage_key: stage.key.clone(),
                patients_now: input.patients_now.get(&stage.key).copied().unwrap_or(0),
                samples: spent.len() as u32,
                median_minutes,
                p90_minutes: percentile(spent, 90.0),
                standard_minutes: stage.standard_minutes,
                standard_basis: stage.standard_basis,
                median_to_standard: median_minutes
                    .filter(|_| stage.standard_minutes > 0)
                    .map(|m| m / f64::from(stage.standard_minutes)),
                open_tasks: tasks.open,
                overdue_tasks: tasks.overdue,
                fail_hits: tasks.failed + no_shows,
                compliance: Compliance::of(
                    spent.iter().filter(|m| within(**m, stage.standard_minutes)).count() as u32,
                    spent.len() as u32,
                ),
            }
        })
        .collect();
    let bottleneck = bottleneck(&stages).map(|s| s.stage_key.clone());
    BlueprintOverlay { from, to, stages, bottleneck }
}

/// The stage whose median exceeds its standard by the largest factor, among those with at
/// least `MIN_SAMPLES` passes; on a tie, the one whose 90th percentile is further over.
fn bottleneck(stages: &[StageFigures]) -> Option<&StageFigures> {
    let p90_ratio = |s: &StageFigures| s.p90_minutes.unwrap_or(0.0) / f64::from(s.standard_minutes.max(1));
    stages.iter().filter(|s| s.samples as usize >= MIN_SAMPLES && s.median_to_standard.is_some_and(|r| r > 1.0)).max_by(
        |a, b| {
            let (ra, rb) = (a.median_to_standard.unwrap_or(0.0), b.median_to_standard.unwrap_or(0.0));
            ra.total_cmp(&rb).then_with(|| p90_ratio(a).total_cmp(&p90_ratio(b)))
        },
    )
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::domain::journey::Stage;
    use crate::domain::resources::Role;

    fn stage(key: &str, phase: Phase, standard_minutes: u32, standard_basis: StandardBasis) -> Stage {
        Stage {
            id: crate::domain::ids::new_id(),
            key: key.into(),
            phase,
            name: key.into(),
            description: String::new(),
            owner_role: Role::FrontDesk,
            standard_minutes,
            standard_basis,
            cells: vec![],
        }
    }

    fn template() -> JourneyTemplate {
        JourneyTemplate {
            id: crate::domain::ids::new_id(),
            family_key: "first".into(),
            name: "First consultation".into(),
            description: String::new(),
            version: 1,
            created_at: t0(),
            stages: vec![
                stage("booking", Phase::PreVisit, 5, StandardBasis::Duration),
                stage("confirmation", Phase::PreVisit, 2880, StandardBasis::LeadTime),
                stage("check_in", Phase::Visit, 5, StandardBasis::Duration),
                stage("waiting", Phase::Visit, 10, StandardBasis::Duration),
                stage("consultation", Phase::Visit, 20, StandardBasis::Duration),
                stage("follow_up_call", Phase::PostVisit, 2880, StandardBasis::LeadTime),
            ],
        }
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap()
    }

    fn ev(key: &str, kind: StageEventKind, minute: i64) -> KeyedEvent {
        KeyedEvent { stage_key: key.into(), kind, at: t0() + Duration::minutes(minute) }
    }

    /// A visit day: check-in 3 min, then waiting `wait` min, then a `consult`-minute consultation.
    fn visit(start: i64, wait: i64, consult: i64) -> Vec<KeyedEvent> {
        use StageEventKind::*;
        vec![
            ev("check_in", Entered, start),
            ev("check_in", Completed, start + 3),
            ev("waiting", Entered, start + 3),
            ev("waiting", Completed, start + 3 + wait),
            ev("consultation", Started, start + 3 + wait),
            ev("consultation", Completed, start + 3 + wait + consult),
        ]
    }

    #[test]
    fn median_and_nearest_rank_percentile() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[9.0, 1.0, 5.0]), Some(5.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 90.0), Some(9.0));
        assert_eq!(percentile(&ten, 100.0), Some(10.0));
        assert_eq!(percentile(&ten, 0.0), Some(1.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(percentile(&eleven, 90.0), Some(10.0));
        assert_eq!(percentile(&[], 90.0), None);
    }

    #[test]
    fn figures_from_a_hand_made_log() {
        let journeys = vec![visit(0, 5, 20), visit(60, 15, 18), visit(120, 40, 25), visit(180, 25, 22)];
        let input = OverlayInput { journeys, ..Default::default() };
        let o = blueprint_overlay(&template(), &input, t0(), t0() + Duration::days(1));
        let waiting = o.stages.iter().find(|s| s.stage_key == "waiting").unwrap();
        assert_eq!(waiting.samples, 4);
        assert_eq!(waiting.median_minutes, Some(20.0)); // 5, 15, 25, 40
        assert_eq!(waiting.p90_minutes, Some(40.0));
        assert_eq!(waiting.median_to_standard, Some(2.0));
        let consultation = o.stages.iter().find(|s| s.stage_key == "consultation").unwrap();
        assert_eq!(consultation.median_minutes, Some(21.0)); // 18, 20, 22, 25
        assert_eq!(o.bottleneck.as_deref(), Some("waiting"));
    }

    #[test]
    fn passes_outside_the_period_and_unfinished_ones_do_not_count() {
        let mut late = visit(0, 50, 20);
        late.truncate(4); // waiting completed at 53 min
        let open = vec![ev("waiting", StageEventKind::Entered, 100)]; // still waiting: no time yet
        let input = OverlayInput { journeys: vec![late, open], ..Default::default() };
        let from = t0() + Duration::minutes(60);
        let o = blueprint_overlay(&template(), &input, from, from + Duration::hours(8));
        let waiting = o.stages.iter().find(|s| s.stage_key == "waiting").unwrap();
        assert_eq!((waiting.samples, waiting.median_minutes), (0, None));
        assert_eq!(o.bottleneck, None);
    }

    #[test]
    fn a_lead_time_after_the_visit_runs_from_the_step_before() {
        use StageEventKind::*;
        // Consultation done at 63 min; the follow-up call a day later: 1,440 min against 2,880.
        let mut journey = visit(0, 10, 50);
        journey.push(ev("follow_up_call", Completed, 63 + 1440));
        journey.push(ev("booking", Completed, -10_000));
        journey.push(ev("confirmation", Completed, -2880));
        let minutes = stage_minutes(&template(), &[journey], t0() - Duration::days(10), t0() + Duration::days(3));
        assert_eq!(minutes["follow_up_call"], vec![1440.0]);
        assert!(!minutes.contains_key("booking"), "booking has no entry event: no duration");
        assert!(!minutes.contains_key("confirmation"), "a lead time before the visit follows the visit's date");
    }

    #[test]
    fn too_few_samples_never_make_a_bottleneck() {
        // Consultation runs 3× over in two visits only; waiting 1.5× over in three.
        let mut unfinished = visit(120, 15, 20);
        unfinished.truncate(5); // still in consultation
        let journeys = vec![visit(0, 15, 60), visit(60, 15, 60), unfinished];
        let o = blueprint_overlay(
            &template(),
            &OverlayInput { journeys, ..Default::default() },
            t0(),
            t0() + Duration::days(1),
        );
        let consultation = o.stages.iter().find(|s| s.stage_key == "consultation").unwrap();
        assert_eq!(consultation.median_to_standard, Some(3.0));
        assert_eq!(o.bottleneck.as_deref(), Some("waiting"));
        // When every stage is within its standard there is no bottleneck.
        let calm = vec![visit(0, 5, 15), visit(60, 8, 18), visit(120, 9, 20)];
        let o = blueprint_overlay(
            &template(),
            &OverlayInput { journeys: calm, ..Default::default() },
            t0(),
            t0() + Duration::days(1),
        );
        assert_eq!(o.bottleneck, None);
    }

    #[test]
    fn a_tie_goes_to_the_worse_tail() {
        // Both run at twice their standard in the median; waiting's slowest pass is further out.
        let journeys = vec![visit(0, 20, 40), visit(60, 20, 40), visit(120, 60, 41)];
        let o = blueprint_overlay(
            &template(),
            &OverlayInput { journeys, ..Default::default() },
            t0(),
            t0() + Duration::days(1),
        );
        assert_eq!(o.bottleneck.as_deref(), Some("waiting"));
    }

    #[test]
    fn tasks_patients_and_no_shows_land_on_their_stages() {
        let mut input = OverlayInput::default();
        input.patients_now.insert("waiting".into(), 3);
        input.tasks.insert("confirmation".into(), StageTaskCounts { open: 12, overdue: 4, failed: 2 });
        input.no_shows = 5;
        let o = blueprint_overlay(&template(), &input, t0(), t0() + Duration::days(1));
        let by = |k: &str| o.stages.iter().find(|s| s.stage_key == k).unwrap().clone();
        assert_eq!(by("waiting").patients_now, 3);
        assert_eq!(
            (by("confirmation").open_tasks, by("confirmation").overdue_tasks, by("confirmation").fail_hits),
            (12, 4, 2)
        );
        assert_eq!(by("check_in").fail_hits, 5, "no-shows are missed arrivals");
        assert_eq!(by("consultation").fail_hits, 0);
    }
}
