//! Tasks the rules made (and the calls to rebook a visit a change of hours stranded), what an
//! outcome does to one, and the call list's rows.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::appointment::{AppointmentAction, AppointmentStatus};
use super::clinic::ClinicCalendar;
use super::patient::Channel;
use super::reminders::{PlannedTask, TaskKind};
use super::resources::Role;
use super::working_time::SnapDirection;
use crate::error::{Error, Refusal, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
    /// Gave up: attempts used up, or the number is wrong.
    Failed,
    /// No longer needed (the visit was cancelled, confirmed another way, or has begun).
    Cancelled,
}
text_enum!(TaskStatus { Open => "open", Done => "done", Failed => "failed", Cancelled => "cancelled" });

/// Why a task exists: a reminder rule planned it, or an administrator asked the front desk to
/// find a new time for a visit that a change of hours, a closed day or a blocked period left
/// outside what the clinic can now offer (see `store::rebook_calls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskPurpose {
    Rule,
    Rebook,
}
text_enum!(TaskPurpose { Rule => "rule", Rebook => "rebook" });

/// What the front desk records after trying a task: one key each on the call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum TaskOutcome {
    /// Reached, and the patient confirmed the visit.
    Confirmed,
    /// Reached (a follow-up or recall call went through).
    Reached,
    /// Sent or done (a message, a letter, an internal duty).
    Done,
    Voicemail,
    NoAnswer,
    WrongNumber,
    /// Reached; the visit moves to another time.
    Rescheduled,
    /// Reached; the patient does not want it.
    Declined,
}
text_enum!(TaskOutcome {
    Confirmed => "confirmed",
    Reached => "reached",
    Done => "done",
    Voicemail => "voicemail",
    NoAnswer => "no_answer",
    WrongNumber => "wrong_number",
    Rescheduled => "rescheduled",
    Declined => "declined",
});

impl TaskOutcome {
    pub const ALL: [TaskOutcome; 8] = [
        Self::Confirmed,
        Self::Reached,
        Self::Done,
        Self::Voicemail,
        Self::NoAnswer,
        Self::WrongNumber,
        Self::Rescheduled,
        Self::Declined,
    ];

    /// The outcomes that make sense for a kind of task. A call to rebook a visit ends when the
    /// visit moves (or the patient declines it): it cannot confirm a time the clinic no longer
    /// offers.
    pub fn allowed_for(kind: TaskKind, purpose: TaskPurpose) -> &'static [TaskOutcome] {
        use TaskOutcome::*;
        if purpose == TaskPurpose::Rebook {
            return &[Rescheduled, Voicemail, NoAnswer, WrongNumber, Declined];
        }
        match kind {
            TaskKind::Call => &[Confirmed, Reached, Voicemail, NoAnswer, WrongNumber, Rescheduled, Declined],
            TaskKind::Sms | TaskKind::Email | TaskKind::Letter => {
                &[Done, Confirmed, Rescheduled, Declined, WrongNumber]
            }
            TaskKind::Duty => &[Done],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Task {
    pub id: Uuid,
    pub purpose: TaskPurpose,
    /// The rule that planned it; none for a call to rebook.
    pub rule_id: Option<Uuid>,
    pub appointment_id: Uuid,
    pub journey_id: Uuid,
    pub patient_id: Uuid,
    pub kind: TaskKind,
    pub role: Role,
    pub assignee_id: Option<Uuid>,
    pub due_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub status: TaskStatus,
    pub attempts: u32,
    pub max_attempts: u32,
    pub retry_minutes: u32,
    pub last_outcome: Option<TaskOutcome>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What an outcome does: the task's new state, and what else it sets going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeEffect {
    pub status: TaskStatus,
    pub attempts: u32,
    pub due_at: DateTime<Utc>,
    /// The task's stage of the journey is done (the call went through, the message went out).
    pub completes_stage: bool,
    pub confirms_appointment: bool,
    /// The patient declined the new time a call to rebook offered: the stranded visit is
    /// cancelled rather than left outside the hours.
    pub cancels_appointment: bool,
}

/// The appointment a task is about, as the outcome needs it.
#[derive(Debug, Clone, Copy)]
pub struct TaskAppointment {
    pub status: AppointmentStatus,
    pub starts_at: DateTime<Utc>,
}

/// Until when "confirmed" is accepted for a task about a visit: up to its start, for a visit
/// that is booked or confirmed (a follow-up about a finished visit is "reached").
pub fn confirm_until(status: AppointmentStatus, starts_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    matches!(status, AppointmentStatus::Booked | AppointmentStatus::Confirmed).then_some(starts_at)
}

/// Until when "rescheduled" moves the visit itself (afterwards, or for a visit that can no
/// longer move, a new visit is booked instead).
pub fn move_until(status: AppointmentStatus, starts_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    AppointmentAction::Reschedule.allowed_for(status).then_some(starts_at)
}

pub fn apply_outcome(
    task: &Task,
    outcome: TaskOutcome,
    appointment: TaskAppointment,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
) -> Result<OutcomeEffect> {
    use TaskOutcome::*;
    if task.status != TaskStatus::Open {
        return Err(Error::refused("task", Refusal::TaskClosed { status: task.status.as_str().into() }));
    }
    if !TaskOutcome::allowed_for(task.kind, task.purpose).contains(&outcome) {
        return Err(Error::refused(
            "outcome",
            Refusal::OutcomeNotAllowed { outcome: outcome.as_str().into(), kind: task.kind.as_str().into() },
        ));
    }
    if outcome == Confirmed && confirm_until(appointment.status, appointment.starts_at).is_none_or(|until| now >= until)
    {
        return Err(Error::refused(
            "outcome",
            Refusal::NothingToConfirm { status: appointment.status.as_str().into() },
        ));
    }
    let attempts = task.attempts + 1;
    let for_rule = task.purpose == TaskPurpose::Rule;
    let closed = |status, completes_stage: bool| OutcomeEffect {
        status,
        attempts,
        due_at: task.due_at,
        completes_stage: completes_stage && for_rule,
        confirms_appointment: outcome == Confirmed && appointment.status == AppointmentStatus::Booked,
        cancels_appointment: outcome == Declined && !for_rule,
    };
    Ok(match outcome {
        Confirmed | Reached | Done | Rescheduled => closed(TaskStatus::Done, true),
        Declined => closed(TaskStatus::Done, false),
        WrongNumber => closed(TaskStatus::Failed, false),
        Voicemail | NoAnswer => {
            let retry = calendar.snap(now + Duration::minutes(task.retry_minutes as i64), SnapDirection::Later);
            let too_late = task.expires_at.is_some_and(|end| retry >= end);
            if attempts >= task.max_attempts || too_late {
                closed(TaskStatus::Failed, false)
            } else {
                OutcomeEffect {
                    status: TaskStatus::Open,
                    attempts,
                    due_at: retry,
                    completes_stage: false,
                    confirms_appointment: false,
                    cancels_appointment: false,
                }
            }
        }
    })
}

/// A stored task as planning sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTask {
    pub status: TaskStatus,
    pub attempts: u32,
    pub last_outcome: Option<TaskOutcome>,
    pub kind: TaskKind,
    pub role: Role,
    pub due_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_attempts: u32,
    pub retry_minutes: u32,
}

/// What planning does to one (rule, appointment) row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconcile {
    Insert,
    /// Set to the plan (due time, kind, …) and open.
    Update,
    /// Close as no longer needed.
    Cancel,
    Keep,
}

/// A task that would already be this overdue when first planned is history, not work: it is
/// not created (planning after an import or a long break must not flood the call list).
pub const STALE_AFTER: Duration = Duration::days(14);

/// Compares the stored row with the plan. Done, failed and attempted tasks are never
/// rewritten: the plan only ever closes an open one that is no longer needed. A task planning
/// itself cancelled (never attempted) comes back when it is needed again.
pub fn reconcile(stored: Option<&StoredTask>, planned: Option<&PlannedTask>, now: DateTime<Utc>) -> Reconcile {
    let planned = planned.filter(|p| p.expires_at.is_none_or(|end| end > now));
    match (stored, planned) {
        (None, None) => Reconcile::Keep,
        (None, Some(p)) if p.due_at < now - STALE_AFTER => Reconcile::Keep,
        (None, Some(_)) => Reconcile::Insert,
        (Some(s), None) => {
            if s.status == TaskStatus::Open {
                Reconcile::Cancel
            } else {
                Reconcile::Keep
            }
        }
        (Some(s), Some(p)) => {
            let untouched = s.attempts == 0 && s.last_outcome.is_none();
            let planner_owned = untouched && matches!(s.status, TaskStatus::Open | TaskStatus::Cancelled);
            let same = s.status == TaskStatus::Open
                && (s.kind, s.role, s.due_at, s.expires_at, s.max_attempts, s.retry_minutes)
                    == (p.kind, p.role, p.due_at, p.expires_at, p.max_attempts, p.retry_minutes);
            if planner_owned && !same {
                Reconcile::Update
            } else {
                Reconcile::Keep
            }
        }
    }
}

/// Which part of the call list a row is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallSection {
    Overdue,
    Today,
    Upcoming,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CallListQuery {
    pub date: NaiveDate,
    pub kind: Option<TaskKind>,
    pub role: Option<Role>,
    pub assignee_id: Option<Uuid>,
    /// How many days after `date` the "upcoming" part covers (default 7).
    pub upcoming_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
/// One task on the call list. The texts a row shares with the other rows of its visit, rule or
/// assignee are shared (`Arc<str>`), not copied: a list holds thousands of rows.
pub struct CallListRow {
    pub task_id: Uuid,
    pub section: CallSection,
    pub kind: TaskKind,
    pub role: Role,
    pub purpose: TaskPurpose,
    /// Why this call is made, in the clinic's content language: the rule's name
    /// ("Confirmation call"), or the words for a visit that needs a new time.
    pub reason: Arc<str>,
    pub stage_key: Arc<str>,
    pub due_at: DateTime<Utc>,
    pub attempts: u32,
    pub max_attempts: u32,
    pub last_outcome: Option<TaskOutcome>,
    pub note: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<Arc<str>>,
    pub patient_id: Uuid,
    pub patient_name: Arc<str>,
    pub phone: Arc<str>,
    pub email: Option<Arc<str>>,
    pub preferred_channel: Channel,
    /// The language the patient is spoken to in: the call script is read out in it.
    pub patient_language: Arc<str>,
    pub appointment_id: Uuid,
    pub appointment_start: DateTime<Utc>,
    pub appointment_status: AppointmentStatus,
    pub provider_name: Arc<str>,
    pub service_name: Arc<str>,
    /// The outcomes this task accepts, in the order of their number keys.
    #[ts(as = "Vec<TaskOutcome>")]
    pub outcomes: &'static [TaskOutcome],
    /// "confirmed" is accepted until this instant (see `confirm_until`).
    pub confirm_until: Option<DateTime<Utc>>,
    /// "rescheduled" moves the visit until this instant, else books a new one (`move_until`).
    pub move_until: Option<DateTime<Utc>>,
    /// The feedback task: its call records the patient's survey answers.
    pub records_survey: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CallList {
    pub date: NaiveDate,
    /// Overdue first, then today's, then upcoming; each by due time.
    pub rows: Vec<CallListRow>,
    pub overdue: u32,
    pub today: u32,
    pub upcoming: u32,
    /// When `date` ends in the clinic's zone: from then on a fresh list is for the next day.
    pub stale_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::{parse_hhmm, ClinicSettings};
    use crate::domain::ids::derived_id;

    fn calendar() -> ClinicCalendar {
        ClinicCalendar::new(&ClinicSettings::new_clinic("Test", "Europe/Riga", "en")).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        let (date, time) = text.split_once(' ').unwrap();
        calendar().to_utc(date.parse().unwrap(), parse_hhmm(time).unwrap()).unwrap()
    }

    fn task(kind: TaskKind) -> Task {
        let id = derived_id("task", "t");
        Task {
            id,
            purpose: TaskPurpose::Rule,
            rule_id: Some(id),
            appointment_id: id,
            journey_id: id,
            patient_id: id,
            kind,
            role: Role::FrontDesk,
            assignee_id: None,
            due_at: at("2026-11-26 14:00"),
            expires_at: Some(at("2026-11-30 14:00")),
            status: TaskStatus::Open,
            attempts: 0,
            max_attempts: 3,
            retry_minutes: 120,
            last_outcome: None,
            note: String::new(),
            created_at: at("2026-11-02 09:00"),
            updated_at: at("2026-11-02 09:00"),
            closed_at: None,
        }
    }

    fn booked() -> TaskAppointment {
        TaskAppointment { status: AppointmentStatus::Booked, starts_at: at("2026-11-30 14:00") }
    }

    #[test]
    fn the_call_list_offers_confirmed_exactly_while_an_outcome_would_accept_it() {
        let cal = calendar();
        let start = at("2026-11-30 14:00");
        for status in AppointmentStatus::ALL {
            let visit = TaskAppointment { status, starts_at: start };
            for now in [at("2026-11-30 13:59"), start, at("2026-11-30 15:00")] {
                let offered = confirm_until(status, start).is_some_and(|until| now < until);
                let accepted = apply_outcome(&task(TaskKind::Call), TaskOutcome::Confirmed, visit, &cal, now).is_ok();
                assert_eq!(offered, accepted, "{status:?} at {now}");
            }
        }
        assert_eq!(
            confirm_until(AppointmentStatus::Proposed, start),
            None,
            "a proposed visit is not confirmed by a call"
        );
        assert_eq!(move_until(AppointmentStatus::Proposed, start), Some(start));
        assert_eq!(move_until(AppointmentStatus::Fulfilled, start), None);
    }

    #[test]
    fn no_answer_retries_by_the_policy_and_fails_after_the_last_attempt() {
        let cal = calendar();
        let mut t = task(TaskKind::Call);
        let first = apply_outcome(&t, TaskOutcome::NoAnswer, booked(), &cal, at("2026-11-26 14:05")).unwrap();
        assert_eq!((first.status, first.attempts), (TaskStatus::Open, 1));
        assert_eq!(cal.to_local_text(first.due_at), "Thu 26 Nov 2026 16:05");

        t.attempts = 1;
        // 17:00 + 2 h is after closing: the retry waits for Friday morning.
        let second = apply_outcome(&t, TaskOutcome::Voicemail, booked(), &cal, at("2026-11-26 17:00")).unwrap();
        assert_eq!(cal.to_local_text(second.due_at), "Fri 27 Nov 2026 08:00");

        t.attempts = 2;
        let last = apply_outcome(&t, TaskOutcome::NoAnswer, booked(), &cal, at("2026-11-27 10:00")).unwrap();
        assert_eq!((last.status, last.attempts), (TaskStatus::Failed, 3));
    }

    #[test]
    fn a_retry_after_the_visit_has_begun_fails_the_task() {
        let effect =
            apply_outcome(&task(TaskKind::Call), TaskOutcome::NoAnswer, booked(), &calendar(), at("2026-11-30 13:00"))
                .unwrap();
        assert_eq!(effect.status, TaskStatus::Failed);
    }

    #[test]
    fn confirmed_closes_the_task_confirms_the_visit_and_completes_the_stage() {
        let effect =
            apply_outcome(&task(TaskKind::Call), TaskOutcome::Confirmed, booked(), &calendar(), at("2026-11-26 14:05"))
                .unwrap();
        assert_eq!(effect.status, TaskStatus::Done);
        assert!(effect.confirms_appointment && effect.completes_stage);
        let past = TaskAppointment { status: AppointmentStatus::Booked, starts_at: at("2026-11-20 10:00") };
        let err =
            apply_outcome(&task(TaskKind::Call), TaskOutcome::Confirmed, past, &calendar(), at("2026-11-26 14:05"))
                .unwrap_err();
        assert!(err.to_string().contains("no upcoming visit"), "{err}");
    }

    #[test]
    fn closed_tasks_and_foreign_outcomes_are_refused() {
        let mut t = task(TaskKind::Duty);
        let err = apply_outcome(&t, TaskOutcome::NoAnswer, booked(), &calendar(), at("2026-11-26 14:05")).unwrap_err();
        assert!(err.to_string().contains("not an outcome of a duty task"), "{err}");
        t.status = TaskStatus::Done;
        let err = apply_outcome(&t, TaskOutcome::Done, booked(), &calendar(), at("2026-11-26 14:05")).unwrap_err();
        assert!(err.to_string().contains("already closed"), "{err}");
    }

    fn stored(status: TaskStatus, attempts: u32, due: &str) -> StoredTask {
        let t = task(TaskKind::Call);
        StoredTask {
            status,
            attempts,
            last_outcome: (attempts > 0).then_some(TaskOutcome::NoAnswer),
            kind: t.kind,
            role: t.role,
            due_at: at(due),
            expires_at: t.expires_at,
            max_attempts: t.max_attempts,
            retry_minutes: t.retry_minutes,
        }
    }

    fn planned(due: &str) -> PlannedTask {
        let t = task(TaskKind::Call);
        PlannedTask {
            id: t.id,
            rule_id: t.rule_id.expect("a rule's task"),
            appointment_id: t.appointment_id,
            journey_id: t.journey_id,
            patient_id: t.patient_id,
            kind: t.kind,
            role: t.role,
            due_at: at(due),
            expires_at: t.expires_at,
            max_attempts: t.max_attempts,
            retry_minutes: t.retry_minutes,
        }
    }

    #[test]
    fn reconcile_inserts_moves_cancels_and_never_rewrites_worked_tasks() {
        use Reconcile::*;
        let now = at("2026-11-24 09:00");
        let p = planned("2026-11-26 14:00");
        assert_eq!(reconcile(None, Some(&p), now), Insert);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Open, 0, "2026-11-26 14:00")), Some(&p), now), Keep);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Open, 0, "2026-11-25 14:00")), Some(&p), now), Update);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Open, 0, "2026-11-25 14:00")), None, now), Cancel);
        // Worked on: the due time stays, but a task no longer needed still closes.
        assert_eq!(reconcile(Some(&stored(TaskStatus::Open, 1, "2026-11-25 16:00")), Some(&p), now), Keep);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Open, 1, "2026-11-25 16:00")), None, now), Cancel);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Done, 1, "2026-11-25 14:00")), Some(&p), now), Keep);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Done, 1, "2026-11-25 14:00")), None, now), Keep);
        // Cancelled by planning and needed again: it comes back.
        assert_eq!(reconcile(Some(&stored(TaskStatus::Cancelled, 0, "2026-11-25 14:00")), Some(&p), now), Update);
        // Expired (the visit has begun): not created, and an open one closes.
        // Long overdue before it was ever planned: history, not created.
        assert_eq!(reconcile(None, Some(&p), at("2026-12-11 09:00")), Keep);
        let late = at("2026-12-01 09:00");
        assert_eq!(reconcile(None, Some(&p), late), Keep);
        assert_eq!(reconcile(Some(&stored(TaskStatus::Open, 0, "2026-11-26 14:00")), Some(&p), late), Cancel);
    }

    #[test]
    fn wrong_number_fails_and_declined_closes_without_completing() {
        let cal = calendar();
        let now = at("2026-11-26 14:05");
        let wrong = apply_outcome(&task(TaskKind::Call), TaskOutcome::WrongNumber, booked(), &cal, now).unwrap();
        assert_eq!((wrong.status, wrong.completes_stage), (TaskStatus::Failed, false));
        let declined = apply_outcome(&task(TaskKind::Call), TaskOutcome::Declined, booked(), &cal, now).unwrap();
        assert_eq!((declined.status, declined.completes_stage), (TaskStatus::Done, false));
    }

    #[test]
    fn a_call_to_rebook_cannot_confirm_and_declining_it_cancels_the_visit() {
        let cal = calendar();
        let now = at("2026-11-26 14:05");
        let rebook = Task { purpose: TaskPurpose::Rebook, rule_id: None, ..task(TaskKind::Call) };
        let err = apply_outcome(&rebook, TaskOutcome::Confirmed, booked(), &cal, now).unwrap_err();
        assert!(err.to_string().contains("not an outcome"), "{err}");
        let moved = apply_outcome(&rebook, TaskOutcome::Rescheduled, booked(), &cal, now).unwrap();
        assert_eq!((moved.status, moved.completes_stage, moved.cancels_appointment), (TaskStatus::Done, false, false));
        let declined = apply_outcome(&rebook, TaskOutcome::Declined, booked(), &cal, now).unwrap();
        assert_eq!((declined.status, declined.cancels_appointment), (TaskStatus::Done, true));
        let retry = apply_outcome(&rebook, TaskOutcome::NoAnswer, booked(), &cal, now).unwrap();
        assert_eq!(retry.status, TaskStatus::Open);
        // A rule's "declined" leaves the visit alone.
        let rule = apply_outcome(&task(TaskKind::Call), TaskOutcome::Declined, booked(), &cal, now).unwrap();
        assert!(!rule.cancels_appointment);
    }
}
