//! Service standards beside each stage's standard time: *measured* ones, checked automatically
//! against the event log and the tasks ("called back within 2 working hours", "results called
//! within 3 days"), and *checked* ones a supervisor or mystery shopper scores during an audit
//! visit ("greeted by name"). Compliance is the share of checks met, against the 90 % line a
//! clinic holds before it aims higher (`QUALITY.md`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::clinic::ClinicCalendar;
use crate::error::{Error, Refusal, Result};

/// The share of checks a stage must meet before the clinic aims to exceed expectations.
pub const COMPLIANCE_LINE: f64 = 0.9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StandardKind {
    Measured,
    Checked,
}
text_enum!(StandardKind { Measured => "measured", Checked => "checked" });

/// What a measured standard looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The stage took at most the limit (timed as the blueprint overlay times it).
    StageTime,
    /// The stage's tasks were done within the limit of falling due.
    TaskOnTime,
}
text_enum!(Measure { StageTime => "stage_time", TaskOnTime => "task_on_time" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    Supervisor,
    MysteryShopper,
}
text_enum!(AuditKind { Supervisor => "supervisor", MysteryShopper => "mystery_shopper" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StandardInput {
    /// The journey (template family) and stage it belongs to.
    pub family_key: String,
    pub stage_key: String,
    pub kind: StandardKind,
    pub text: String,
    pub measure: Option<Measure>,
    pub limit_minutes: Option<u32>,
    /// The limit counts the clinic's working hours only ("2 working hours").
    pub working_time: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Standard {
    pub id: Uuid,
    pub family_key: String,
    pub stage_key: String,
    pub kind: StandardKind,
    pub text: String,
    pub measure: Option<Measure>,
    pub limit_minutes: Option<u32>,
    pub working_time: bool,
    pub active: bool,
}

impl StandardInput {
    /// A measured standard needs what it measures and its limit; a checked one has neither.
    pub fn check(&self) -> Result<()> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(Error::refused("text", Refusal::Required { what: "The standard".into() }));
        }
        super::limits::check_length("text", "The standard", text, super::limits::REASON)?;
        match (self.kind, self.measure, self.limit_minutes) {
            (StandardKind::Measured, None, _) => {
                Err(Error::refused("measure", Refusal::Required { what: "What is measured".into() }))
            }
            (StandardKind::Measured, Some(_), None | Some(0)) => {
                Err(Error::refused("limit_minutes", Refusal::Required { what: "The limit".into() }))
            }
            (StandardKind::Measured, Some(_), Some(limit)) if limit > 366 * 24 * 60 => Err(Error::refused(
                "limit_minutes",
                Refusal::OutOfRange { what: "The limit".into(), value: limit, min: 1, max: 366 * 24 * 60 },
            )),
            _ => Ok(()),
        }
    }
}

/// What may change in a standard once it exists: its wording and, for a measured one, its
/// limit. Its stage, kind and measure make it the standard it is: to change those, retire it and
/// add another, so that its past checks keep meaning what they meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StandardEdit {
    pub text: String,
    /// Ignored for a checked standard.
    pub limit_minutes: Option<u32>,
    pub working_time: bool,
}

impl Standard {
    /// The standard with `edit` applied, checked as a new standard would be.
    pub fn edited(&self, edit: &StandardEdit) -> Result<Standard> {
        let measured = self.kind == StandardKind::Measured;
        let input = StandardInput {
            family_key: self.family_key.clone(),
            stage_key: self.stage_key.clone(),
            kind: self.kind,
            text: edit.text.clone(),
            measure: self.measure,
            limit_minutes: if measured { edit.limit_minutes } else { None },
            working_time: measured && edit.working_time,
        };
        input.check()?;
        Ok(Standard {
            text: input.text.trim().into(),
            limit_minutes: input.limit_minutes,
            working_time: input.working_time,
            ..self.clone()
        })
    }

    /// What an edit changed, for the audit log: "limit_minutes: 120 → 90".
    pub fn changes_from(&self, before: &Standard) -> String {
        let mut changes = Vec::new();
        if self.text != before.text {
            changes.push(format!("text: {:?} → {:?}", before.text, self.text));
        }
        if self.limit_minutes != before.limit_minutes {
            let minutes = |m: Option<u32>| m.map_or("none".to_string(), |m| m.to_string());
            changes.push(format!("limit_minutes: {} → {}", minutes(before.limit_minutes), minutes(self.limit_minutes)));
        }
        if self.working_time != before.working_time {
            changes.push(format!("working_time: {} → {}", before.working_time, self.working_time));
        }
        changes.join("; ")
    }
}

/// How often a standard (or a stage, or the clinic) was met.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Compliance {
    pub checks: u32,
    pub met: u32,
    /// met ÷ checks; none without checks.
    pub share: Option<f64>,
    /// At or above the 90 % line.
    pub holds_line: Option<bool>,
}

impl Compliance {
    pub fn of(met: u32, checks: u32) -> Compliance {
        let share = (checks > 0).then(|| met as f64 / checks as f64);
        Compliance { checks, met, share, holds_line: share.map(|s| s >= COMPLIANCE_LINE) }
    }

    pub fn pooled_with(self, other: Compliance) -> Compliance {
        Compliance::of(self.met + other.met, self.checks + other.checks)
    }
}

/// Minutes of the clinic's working hours between two instants (closed days count none).
pub fn working_minutes_between(calendar: &ClinicCalendar, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    if to <= from {
        return 0.0;
    }
    let mut total = 0.0;
    let mut day = calendar.local_date(from);
    let last = calendar.local_date(to);
    while day <= last {
        if calendar.closed_reason(day).is_none() {
            for span in calendar.hours_on(day) {
                let start = calendar.wall_time(day, span.start).max(from);
                let end = calendar.wall_time(day, span.end).min(to);
                if end > start {
                    total += (end - start).num_seconds() as f64 / 60.0;
                }
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    total
}

/// A task of a stage, as a task-on-time standard judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskTiming {
    pub due_at: DateTime<Utc>,
    /// When it was done; none while open or when it failed or was cancelled.
    pub done_at: Option<DateTime<Utc>>,
    pub open: bool,
}

/// Met: done within the limit of falling due. Not met: done later, failed, or still open past
/// the limit at `now`. Not yet judged: open and still within the limit (or cancelled).
pub fn task_on_time(
    task: &TaskTiming,
    limit_minutes: u32,
    working_time: bool,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
) -> Option<bool> {
    let late = |until: DateTime<Utc>| {
        let taken = if working_time {
            working_minutes_between(calendar, task.due_at, until)
        } else {
            (until - task.due_at).num_seconds() as f64 / 60.0
        };
        taken > limit_minutes as f64
    };
    match (task.done_at, task.open) {
        (Some(done), _) => Some(!late(done)),
        (None, true) => late(now).then_some(false),
        (None, false) => None,
    }
}

/// Whether a timed pass met a stage-time limit.
pub fn within(minutes: f64, limit_minutes: u32) -> bool {
    minutes <= limit_minutes as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::ClinicSettings;
    use chrono::TimeZone;

    fn calendar() -> ClinicCalendar {
        // Riga, Mon–Fri 08:00–18:00 (the default hours).
        ClinicCalendar::new(&ClinicSettings::new_clinic("Test", "Europe/Riga", "en")).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        chrono_tz::Europe::Riga.from_local_datetime(&local).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn working_minutes_skip_the_night_and_the_weekend() {
        let cal = calendar();
        // Friday 17:00 → Monday 09:00: one hour on Friday, one on Monday.
        assert_eq!(working_minutes_between(&cal, at("2026-11-27 17:00"), at("2026-11-30 09:00")), 120.0);
        assert_eq!(working_minutes_between(&cal, at("2026-11-30 09:00"), at("2026-11-30 08:00")), 0.0);
    }

    #[test]
    fn called_back_within_two_working_hours() {
        let cal = calendar();
        let now = at("2026-12-02 12:00");
        let due = at("2026-11-27 17:00");
        let task = |done: Option<&str>, open: bool| TaskTiming { due_at: due, done_at: done.map(at), open };
        // Done Monday 08:50: 110 working minutes after Friday 17:00 — met, though 64 hours later.
        assert_eq!(task_on_time(&task(Some("2026-11-30 08:50"), false), 120, true, &cal, now), Some(true));
        assert_eq!(task_on_time(&task(Some("2026-11-30 08:50"), false), 120, false, &cal, now), Some(false));
        assert_eq!(task_on_time(&task(Some("2026-11-30 09:30"), false), 120, true, &cal, now), Some(false));
        // Still open: late once past the limit, not judged before.
        assert_eq!(task_on_time(&task(None, true), 120, true, &cal, now), Some(false));
        assert_eq!(task_on_time(&task(None, true), 120, true, &cal, at("2026-11-27 17:30")), None);
        assert_eq!(task_on_time(&task(None, false), 120, true, &cal, now), None);
    }

    #[test]
    fn compliance_is_the_share_met_against_the_90_percent_line() {
        let c = Compliance::of(9, 10);
        assert_eq!((c.share, c.holds_line), (Some(0.9), Some(true)));
        let pooled = c.pooled_with(Compliance::of(7, 10));
        assert_eq!((pooled.met, pooled.checks, pooled.holds_line), (16, 20, Some(false)));
        assert_eq!(Compliance::of(0, 0).share, None);
    }

    #[test]
    fn a_measured_standard_needs_its_measure_and_limit() {
        let input = StandardInput {
            family_key: "first_consultation".into(),
            stage_key: "follow_up_call".into(),
            kind: StandardKind::Measured,
            text: "Called back within 2 working hours".into(),
            measure: Some(Measure::TaskOnTime),
            limit_minutes: Some(120),
            working_time: true,
        };
        input.check().unwrap();
        let reason = |i: StandardInput| i.check().unwrap_err().refusal().unwrap().reason().to_string();
        assert_eq!(reason(StandardInput { measure: None, ..input.clone() }), "required");
        assert_eq!(reason(StandardInput { limit_minutes: Some(0), ..input.clone() }), "required");
        assert_eq!(reason(StandardInput { text: " ".into(), ..input.clone() }), "required");
        StandardInput { kind: StandardKind::Checked, measure: None, limit_minutes: None, ..input }.check().unwrap();
    }

    #[test]
    fn an_edit_changes_the_wording_and_a_measured_limit_only() {
        let measured = Standard {
            id: Uuid::nil(),
            family_key: "first_consultation".into(),
            stage_key: "follow_up_call".into(),
            kind: StandardKind::Measured,
            text: "Called back within 2 working hours".into(),
            measure: Some(Measure::TaskOnTime),
            limit_minutes: Some(120),
            working_time: true,
            active: true,
        };
        let edit = StandardEdit {
            text: "  Called back within 90 minutes ".into(),
            limit_minutes: Some(90),
            working_time: false,
        };
        let after = measured.edited(&edit).unwrap();
        assert_eq!(
            (after.text.as_str(), after.limit_minutes, after.working_time),
            ("Called back within 90 minutes", Some(90), false)
        );
        assert_eq!(
            (after.kind, after.measure, after.stage_key.as_str()),
            (measured.kind, measured.measure, "follow_up_call")
        );
        assert_eq!(
            after.changes_from(&measured),
            "text: \"Called back within 2 working hours\" → \"Called back within 90 minutes\"; limit_minutes: 120 → 90; working_time: true → false"
        );
        let reason = |e: StandardEdit| measured.edited(&e).unwrap_err().refusal().unwrap().reason().to_string();
        assert_eq!(reason(StandardEdit { limit_minutes: None, ..edit.clone() }), "required");
        assert_eq!(reason(StandardEdit { limit_minutes: Some(400 * 24 * 60), ..edit.clone() }), "out_of_range");
        assert_eq!(reason(StandardEdit { text: "".into(), ..edit.clone() }), "required");
        // A checked standard has no limit to take.
        let checked = Standard {
            kind: StandardKind::Checked,
            measure: None,
            limit_minutes: None,
            working_time: false,
            ..measured
        };
        let after = checked.edited(&edit).unwrap();
        assert_eq!((after.limit_minutes, after.working_time), (None, false));
    }
}
