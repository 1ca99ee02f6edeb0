//! The day's flow board: where each of today's patients is in their visit, derived from their
//! journey's stage event log, and what a move on the board writes to that log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::appointment::AppointmentStatus;
use super::journey::{JourneyTemplate, Phase, Stage, StageEvent, StageEventKind};
use crate::error::{Error, Refusal, Result};

/// The board's columns, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FlowColumn {
    Booked,
    Arrived,
    Waiting,
    WithClinician,
    CheckOut,
    Done,
}

impl FlowColumn {
    pub const ALL: [FlowColumn; 6] =
        [Self::Booked, Self::Arrived, Self::Waiting, Self::WithClinician, Self::CheckOut, Self::Done];

    /// Whether a patient in this column is in the building (arrived and not yet gone).
    pub fn in_clinic(self) -> bool {
        !matches!(self, Self::Booked | Self::Done)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Arrived => "arrived",
            Self::Waiting => "waiting",
            Self::WithClinician => "with_clinician",
            Self::CheckOut => "check_out",
            Self::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The appointment status a patient in this column has.
    fn status(self, confirmed: bool) -> AppointmentStatus {
        match self {
            Self::Booked if confirmed => AppointmentStatus::Confirmed,
            Self::Booked => AppointmentStatus::Booked,
            Self::Arrived | Self::Waiting => AppointmentStatus::Arrived,
            Self::WithClinician | Self::CheckOut => AppointmentStatus::InProgress,
            Self::Done => AppointmentStatus::Fulfilled,
        }
    }
}

/// Which column a stage belongs to: pre-visit stages are "booked", post-visit ones "done", and
/// visit stages go by their key (any clinical stage — consultation, treatment, recovery — is
/// "with clinician").
pub fn column_of(stage: &Stage) -> FlowColumn {
    match (stage.phase, stage.key.as_str()) {
        (Phase::PreVisit, _) => FlowColumn::Booked,
        (Phase::PostVisit, _) => FlowColumn::Done,
        (Phase::Visit, "check_in") => FlowColumn::Arrived,
        (Phase::Visit, "waiting") => FlowColumn::Waiting,
        (Phase::Visit, "check_out") => FlowColumn::CheckOut,
        (Phase::Visit, _) => FlowColumn::WithClinician,
    }
}

/// One stage's latest pass in a journey: when it was entered (or started) and completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StagePass {
    pub entered_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub skipped: bool,
}

/// The latest pass of every stage of `template`, from `events` (any order). A stage entered
/// again after a move back starts a new pass.
pub fn stage_passes(template: &JourneyTemplate, events: &[StageEvent]) -> Vec<StagePass> {
    let mut sorted: Vec<&StageEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let mut passes = vec![StagePass::default(); template.stages.len()];
    for e in sorted {
        let Some(i) = template.stages.iter().position(|s| s.id == e.stage_id) else { continue };
        let pass = &mut passes[i];
        match e.kind {
            StageEventKind::Entered | StageEventKind::Started => {
                *pass = StagePass { entered_at: Some(e.at), completed_at: None, skipped: false };
            }
            StageEventKind::Completed => {
                pass.completed_at = Some(e.at);
                pass.skipped = false;
            }
            StageEventKind::Skipped => {
                pass.skipped = true;
            }
        }
    }
    passes
}

/// What moving a journey to another column writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowMove {
    /// (stage index, kind) in the order they happen, all at the same instant.
    pub events: Vec<(usize, StageEventKind)>,
    /// The journey's new current stage; `None` when it has no stage left.
    pub current: Option<usize>,
    pub status: AppointmentStatus,
    /// Whether the journey is complete (nothing left after the visit).
    pub completes_journey: bool,
}

/// Plans a move of a journey now in stage `current` to column `to`. Moving forward completes
/// the current visit stage and skips any passed over; moving back re-enters the target stage.
pub fn plan_move(
    template: &JourneyTemplate,
    current: Option<usize>,
    passes: &[StagePass],
    to: FlowColumn,
) -> Result<FlowMove> {
    let stages = &template.stages;
    let confirmed = stages.iter().zip(passes).any(|(s, p)| s.key == "confirmation" && p.completed_at.is_some());
    let first_visit = stages.iter().position(|s| s.phase == Phase::Visit);
    let first_post = stages.iter().position(|s| s.phase == Phase::PostVisit);
    let Some(first_visit) = first_visit else {
        return Err(Error::refused("column", Refusal::NoVisitStagesToMove { template: template.name.clone() }));
    };
    let target = match to {
        // Back to "booked": wait in the last pre-visit stage.
        FlowColumn::Booked => first_visit.checked_sub(1),
        FlowColumn::Done => first_post,
        _ => stages.iter().position(|s| s.phase == Phase::Visit && column_of(s) == to),
    };
    if !can_enter(template, to) {
        return Err(Error::refused("column", Refusal::NoStageForColumn { template: template.name.clone() }));
    }
    let from = current.unwrap_or(stages.len());
    let target_index = target.unwrap_or(stages.len());
    let mut events = Vec::new();
    if target_index > from {
        for (i, stage) in stages.iter().enumerate().take(target_index).skip(from) {
            // A visit stage the patient was in is done now; stages passed over (an unconfirmed
            // booking, a skipped waiting room) are marked skipped, not pretended done.
            let in_it = i == from && stage.phase == Phase::Visit && passes[i].entered_at.is_some();
            events.push((i, if in_it { StageEventKind::Completed } else { StageEventKind::Skipped }));
        }
    }
    if target_index != from || to == FlowColumn::Booked {
        if let Some(t) = target.filter(|&t| stages[t].phase == Phase::Visit) {
            let clinical = column_of(&stages[t]) == FlowColumn::WithClinician;
            events.push((t, if clinical { StageEventKind::Started } else { StageEventKind::Entered }));
        }
    }
    let status = to.status(confirmed);
    let completes_journey = to == FlowColumn::Done && first_post.is_none();
    Ok(FlowMove { events, current: target, status, completes_journey })
}

/// One patient on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FlowCard {
    pub appointment_id: Uuid,
    pub journey_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub provider_name: String,
    pub room_name: String,
    pub service_name: String,
    pub service_color: String,
    pub status: AppointmentStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub column: FlowColumn,
    pub stage_name: String,
    /// When the patient entered the stage they are in; the card's timer runs from it.
    pub since: Option<DateTime<Utc>>,
    /// The stage's standard time; the timer turns amber and red past it.
    pub standard_minutes: Option<u32>,
    /// Where the card's buttons move it: the next and the previous column its journey has a
    /// stage for (a move elsewhere is refused, see `plan_move`).
    pub next_column: Option<FlowColumn>,
    pub previous_column: Option<FlowColumn>,
    /// From when the timer shows amber (past the standard) and red (past half as long again);
    /// none without a standard.
    pub amber_at: Option<DateTime<Utc>>,
    pub red_at: Option<DateTime<Utc>>,
}

/// A stage held past its standard turns amber; past this many times the standard, red.
pub const RED_PAST_STANDARD: f64 = 1.5;

/// The instants a stage entered at `since` with a standard of `minutes` turns amber and red.
pub fn slip_instants(since: DateTime<Utc>, minutes: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let seconds = |factor: f64| chrono::Duration::seconds((f64::from(minutes) * 60.0 * factor).round() as i64);
    (since + seconds(1.0), since + seconds(RED_PAST_STANDARD))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FlowColumnSummary {
    pub column: FlowColumn,
    pub count: u32,
    /// Median minutes today's patients have spent in this column so far (finished passes and
    /// the running ones); none for "booked" and "done".
    pub median_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FlowBoard {
    pub date: chrono::NaiveDate,
    pub now: DateTime<Utc>,
    pub columns: Vec<FlowColumnSummary>,
    pub cards: Vec<FlowCard>,
    /// Today's no-shows, listed under the board.
    pub no_shows: Vec<FlowCard>,
    /// How many of the cards are patients in the building now.
    pub in_clinic: u32,
    /// When the board changes by time alone: a minute on while a running stage counts into a
    /// column's median, else when the day ends. Writes announce every other change.
    pub stale_at: DateTime<Utc>,
}

/// A journey on today's board with everything its card needs.
pub struct FlowItem<'t> {
    pub card: FlowCard,
    pub template: &'t JourneyTemplate,
    pub current: Option<usize>,
    pub events: Vec<StageEvent>,
}

/// Whether a journey on `template` can be moved into `column`: "booked" and "done" always, the
/// others when a visit stage feeds them.
pub fn can_enter(template: &JourneyTemplate, column: FlowColumn) -> bool {
    matches!(column, FlowColumn::Booked | FlowColumn::Done)
        || template.stages.iter().any(|s| s.phase == Phase::Visit && column_of(s) == column)
}

/// The columns before and after `column` on the board that a journey on `template` can enter.
fn neighbours(template: &JourneyTemplate, column: FlowColumn) -> (Option<FlowColumn>, Option<FlowColumn>) {
    let at = FlowColumn::ALL.iter().position(|c| *c == column).unwrap_or(0);
    let enterable = |c: &&FlowColumn| can_enter(template, **c);
    let previous = FlowColumn::ALL[..at].iter().rev().find(enterable).copied();
    let next = FlowColumn::ALL[at + 1..].iter().find(enterable).copied();
    (previous, next)
}

/// Places each journey in its column with its timer, and sums up the columns.
pub fn build_flow_board(
    date: chrono::NaiveDate,
    now: DateTime<Utc>,
    day_end: DateTime<Utc>,
    items: Vec<FlowItem>,
) -> FlowBoard {
    let mut cards = Vec::new();
    let mut no_shows = Vec::new();
    let mut spent: Vec<Vec<i64>> = vec![Vec::new(); FlowColumn::ALL.len()];
    let mut running = false;
    for item in items {
        let mut card = item.card;
        if card.status == AppointmentStatus::Noshow {
            no_shows.push(card);
            continue;
        }
        let stages = &item.template.stages;
        let passes = stage_passes(item.template, &item.events);
        let current = item.current.filter(|&i| i < stages.len());
        card.column = match current {
            Some(i) => column_of(&stages[i]),
            None => FlowColumn::Done,
        };
        if card.status == AppointmentStatus::Fulfilled {
            card.column = FlowColumn::Done;
        }
        (card.previous_column, card.next_column) = neighbours(item.template, card.column);
        if let Some(i) = current.filter(|_| card.column != FlowColumn::Done) {
            card.stage_name = stages[i].name.clone();
            card.since = passes[i].entered_at;
            card.standard_minutes = (stages[i].phase == Phase::Visit).then_some(stages[i].standard_minutes);
            if let (Some(since), Some(minutes)) = (card.since, card.standard_minutes) {
                let (amber, red) = slip_instants(since, minutes);
                (card.amber_at, card.red_at) = (Some(amber), Some(red));
            }
        }
        // Minutes spent per column in this visit, for the columns' medians.
        let mut per_column = [0i64; 6];
        let mut seen = [false; 6];
        for (stage, pass) in stages.iter().zip(&passes).filter(|(s, _)| s.phase == Phase::Visit) {
            if let Some(entered) = pass.entered_at {
                running |= pass.completed_at.is_none();
                let left = pass.completed_at.unwrap_or(now).max(entered);
                let c = column_of(stage) as usize;
                per_column[c] += (left - entered).num_seconds();
                seen[c] = true;
            }
        }
        for c in 0..per_column.len() {
            if seen[c] {
                spent[c].push(per_column[c]);
            }
        }
        cards.push(card);
    }
    cards.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.patient_name.cmp(&b.patient_name)));
    let columns = FlowColumn::ALL
        .into_iter()
        .map(|column| {
            let measured = !matches!(column, FlowColumn::Booked | FlowColumn::Done);
            FlowColumnSummary {
                column,
                count: cards.iter().filter(|c| c.column == column).count() as u32,
                median_minutes: if measured { median_minutes(&mut spent[column as usize]) } else { None },
            }
        })
        .collect();
    let stale_at = if running { (now + chrono::Duration::minutes(1)).min(day_end) } else { day_end };
    let in_clinic = cards.iter().filter(|c| c.column.in_clinic()).count() as u32;
    FlowBoard { date, now, columns, cards, no_shows, in_clinic, stale_at }
}

/// The median of durations in seconds, in whole minutes (rounded); the mean of the middle two
/// for an even count.
pub fn median_minutes(seconds: &mut [i64]) -> Option<u32> {
    if seconds.is_empty() {
        return None;
    }
    seconds.sort_unstable();
    let n = seconds.len();
    let median = if n % 2 == 1 { seconds[n / 2] as f64 } else { (seconds[n / 2 - 1] + seconds[n / 2]) as f64 / 2.0 };
    Some((median / 60.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::journey::StandardBasis;
    use crate::domain::resources::Role;
    use chrono::{Duration, TimeZone};

    fn stage(n: u128, key: &str, phase: Phase, minutes: u32) -> Stage {
        Stage {
            id: Uuid::from_u128(n),
            key: key.into(),
            phase,
            name: key.replace('_', " "),
            description: String::new(),
            owner_role: Role::FrontDesk,
            standard_minutes: minutes,
            standard_basis: StandardBasis::Duration,
            cells: vec![],
        }
    }

    fn template() -> JourneyTemplate {
        use Phase::*;
        JourneyTemplate {
            id: Uuid::from_u128(100),
            family_key: "first_consultation".into(),
            name: "First consultation".into(),
            description: String::new(),
            version: 1,
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            stages: vec![
                stage(0, "booking", PreVisit, 5),
                stage(1, "confirmation", PreVisit, 2880),
                stage(2, "check_in", Visit, 5),
                stage(3, "waiting", Visit, 10),
                stage(4, "consultation", Visit, 40),
                stage(5, "check_out", Visit, 5),
                stage(6, "follow_up_call", PostVisit, 2880),
            ],
        }
    }

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn event(stage: u128, kind: StageEventKind, minute: i64) -> StageEvent {
        StageEvent {
            id: Uuid::from_u128(stage * 1_000_000 + minute as u128),
            journey_id: Uuid::from_u128(50),
            stage_id: Uuid::from_u128(stage),
            kind,
            at: at(minute),
            actor: "test".into(),
        }
    }

    #[test]
    fn arriving_unconfirmed_skips_the_confirmation_and_enters_check_in() {
        let t = template();
        let passes = stage_passes(&t, &[event(0, StageEventKind::Completed, 0)]);
        let m = plan_move(&t, Some(1), &passes, FlowColumn::Arrived).unwrap();
        assert_eq!(m.events, [(1, StageEventKind::Skipped), (2, StageEventKind::Entered)]);
        assert_eq!((m.current, m.status), (Some(2), AppointmentStatus::Arrived));
    }

    #[test]
    fn moving_on_completes_the_stage_and_skips_what_was_passed_over() {
        let t = template();
        let passes = stage_passes(&t, &[event(2, StageEventKind::Entered, 0)]);
        let m = plan_move(&t, Some(2), &passes, FlowColumn::WithClinician).unwrap();
        assert_eq!(
            m.events,
            [(2, StageEventKind::Completed), (3, StageEventKind::Skipped), (4, StageEventKind::Started)]
        );
        assert_eq!(m.status, AppointmentStatus::InProgress);
        let done =
            plan_move(&t, Some(5), &stage_passes(&t, &[event(5, StageEventKind::Entered, 50)]), FlowColumn::Done)
                .unwrap();
        assert_eq!(done.events, [(5, StageEventKind::Completed)]);
        assert_eq!((done.current, done.status, done.completes_journey), (Some(6), AppointmentStatus::Fulfilled, false));
    }

    #[test]
    fn moving_back_reenters_the_stage_and_restores_the_status() {
        let t = template();
        let events = [event(1, StageEventKind::Completed, 0), event(2, StageEventKind::Entered, 5)];
        let m = plan_move(&t, Some(2), &stage_passes(&t, &events), FlowColumn::Booked).unwrap();
        assert_eq!(m.events, []);
        assert_eq!((m.current, m.status), (Some(1), AppointmentStatus::Confirmed));
        let back = plan_move(&t, Some(4), &stage_passes(&t, &events), FlowColumn::Waiting).unwrap();
        assert_eq!(back.events, [(3, StageEventKind::Entered)]);
    }

    #[test]
    fn passes_follow_the_latest_entry() {
        let t = template();
        let events = [
            event(3, StageEventKind::Entered, 10),
            event(3, StageEventKind::Completed, 20),
            event(3, StageEventKind::Entered, 30),
        ];
        let passes = stage_passes(&t, &events);
        assert_eq!(passes[3], StagePass { entered_at: Some(at(30)), completed_at: None, skipped: false });
    }

    fn item<'t>(t: &'t JourneyTemplate, name: &str, current: Option<usize>, events: Vec<StageEvent>) -> FlowItem<'t> {
        FlowItem {
            card: FlowCard {
                appointment_id: Uuid::from_u128(name.len() as u128 * 7919 + name.as_bytes()[0] as u128),
                journey_id: Uuid::from_u128(50),
                patient_id: Uuid::from_u128(name.as_bytes()[0] as u128),
                patient_name: name.into(),
                provider_name: "Dr Ivanova".into(),
                room_name: "Room 1".into(),
                service_name: "First consultation".into(),
                service_color: "#2f7d7a".into(),
                status: AppointmentStatus::Arrived,
                starts_at: at(0),
                ends_at: at(40),
                column: FlowColumn::Booked,
                stage_name: String::new(),
                since: None,
                standard_minutes: None,
                next_column: None,
                previous_column: None,
                amber_at: None,
                red_at: None,
            },
            template: t,
            current,
            events,
        }
    }

    #[test]
    fn the_board_places_cards_and_takes_the_median_wait_per_column() {
        use StageEventKind::*;
        let t = template();
        let items = vec![
            // Waited 10 minutes, now with the clinician.
            item(&t, "A", Some(4), vec![event(3, Entered, 0), event(3, Completed, 10), event(4, Started, 10)]),
            // Waiting for 25 minutes so far.
            item(&t, "B", Some(3), vec![event(3, Entered, 5)]),
            // Waited 4 minutes.
            item(&t, "C", Some(5), vec![event(3, Entered, 0), event(3, Completed, 4), event(5, Entered, 30)]),
            item(&t, "D", Some(1), vec![]),
        ];
        let board = build_flow_board(at(0).date_naive(), at(30), at(24 * 60), items);
        let column = |c: FlowColumn| board.columns.iter().find(|s| s.column == c).unwrap().clone();
        assert_eq!(column(FlowColumn::Waiting).count, 1);
        assert_eq!(column(FlowColumn::Waiting).median_minutes, Some(10), "median of 4, 10 and 25");
        assert_eq!(column(FlowColumn::WithClinician).median_minutes, Some(20));
        assert_eq!(column(FlowColumn::Booked).count, 1);
        assert_eq!(board.in_clinic, 3, "A, B and C are in the building; D is still to come");
        let b = board.cards.iter().find(|c| c.patient_name == "B").unwrap();
        assert_eq!((b.column, b.since, b.standard_minutes), (FlowColumn::Waiting, Some(at(5)), Some(10)));
        assert_eq!((b.amber_at, b.red_at), (Some(at(15)), Some(at(20))), "amber past 10 minutes, red past 15");
        assert_eq!(board.stale_at, at(31), "B's running wait counts into the median: fresh figures in a minute");
    }

    #[test]
    fn a_card_moves_only_to_columns_its_journey_has_and_the_move_agrees() {
        let mut t = template();
        t.stages.retain(|s| s.key != "waiting"); // a clinic without a waiting room
        let board = build_flow_board(at(0).date_naive(), at(30), at(24 * 60), vec![item(&t, "A", Some(2), vec![])]);
        let card = &board.cards[0];
        assert_eq!(
            (card.column, card.previous_column, card.next_column),
            (FlowColumn::Arrived, Some(FlowColumn::Booked), Some(FlowColumn::WithClinician))
        );
        assert!(!can_enter(&t, FlowColumn::Waiting));
        assert!(
            plan_move(&t, Some(2), &stage_passes(&t, &[]), FlowColumn::Waiting).is_err(),
            "the move the card does not offer is refused"
        );
        assert!(plan_move(&t, Some(2), &stage_passes(&t, &[]), FlowColumn::WithClinician).is_ok());
        let done = build_flow_board(at(0).date_naive(), at(30), at(24 * 60), vec![item(&t, "D", None, vec![])]);
        assert_eq!((done.cards[0].column, done.cards[0].next_column), (FlowColumn::Done, None));
        assert_eq!(done.stale_at, at(24 * 60), "nothing running: the board holds until the day ends");
    }

    #[test]
    fn medians_of_even_counts_take_the_middle_two() {
        assert_eq!(median_minutes(&mut [60, 180, 120, 600]), Some(3));
        assert_eq!(median_minutes(&mut []), None);
    }
}
