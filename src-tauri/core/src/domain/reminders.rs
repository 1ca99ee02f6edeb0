//! Reminder rules of a template's stages, and planning: which tasks an appointment and its
//! journey call for, and when each is due. Pure: the store feeds in rows and the calendar.

use chrono::{DateTime, Duration, Months, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::appointment::{Appointment, AppointmentStatus};
use super::clinic::{ClinicCalendar, Minute};
use super::ids::derived_task_id;
use super::patient::Channel;
use super::resources::Role;
use super::working_time::SnapDirection;

/// The moment a rule counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    BookingMade,
    AppointmentStart,
    AppointmentEnd,
    /// The (latest) completion of the stage named by `anchor_stage_key`.
    StageCompleted,
    NoShow,
}
text_enum!(Anchor {
    BookingMade => "booking_made",
    AppointmentStart => "appointment_start",
    AppointmentEnd => "appointment_end",
    StageCompleted => "stage_completed",
    NoShow => "no_show",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OffsetUnit {
    Minutes,
    Hours,
    /// Calendar days: the same wall time that many days on (DST safe).
    Days,
    /// Days the clinic is open.
    WorkingDays,
    Months,
}
text_enum!(OffsetUnit { Minutes => "minutes", Hours => "hours", Days => "days", WorkingDays => "working_days", Months => "months" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum TaskKind {
    Call,
    Sms,
    Email,
    Letter,
    /// An internal duty (prepare a chart, check instruments): no patient contact.
    Duty,
}
text_enum!(TaskKind { Call => "call", Sms => "sms", Email => "email", Letter => "letter", Duty => "duty" });

impl TaskKind {
    pub const ALL: [TaskKind; 5] = [TaskKind::Call, TaskKind::Sms, TaskKind::Email, TaskKind::Letter, TaskKind::Duty];

    /// The contact a patient asked for.
    pub fn for_channel(channel: Channel) -> TaskKind {
        match channel {
            Channel::Phone => TaskKind::Call,
            Channel::Sms => TaskKind::Sms,
            Channel::Email => TaskKind::Email,
            Channel::Letter => TaskKind::Letter,
        }
    }

    pub fn contacts_patient(self) -> bool {
        self != TaskKind::Duty
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderRule {
    pub id: Uuid,
    /// The stage whose work the task is; doing the task completes that stage.
    pub stage_id: Uuid,
    /// What the front desk reads as the reason, e.g. "Confirmation call".
    pub name: String,
    pub anchor: Anchor,
    pub anchor_stage_key: Option<String>,
    /// Negative: before the anchor.
    pub offset_amount: i32,
    pub offset_unit: OffsetUnit,
    /// For day-based offsets: this local time instead of the anchor's wall time.
    pub at_time: Option<Minute>,
    pub kind: TaskKind,
    /// Use the patient's preferred channel instead of `kind`.
    pub follow_preferred_channel: bool,
    pub role: Role,
    pub first_visit_only: bool,
    pub unconfirmed_only: bool,
    /// Only patients who consent to reminders (and nobody marked "do not contact").
    pub requires_consent: bool,
    /// Only patients who prefer this channel.
    pub only_channel: Option<Channel>,
    pub max_attempts: u32,
    pub retry_minutes: u32,
    /// Move the due time into working hours, out of quiet hours and closed days.
    pub snap: bool,
    pub active: bool,
}

/// What planning needs to know about the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatientContact {
    pub preferred_channel: Channel,
    pub consent_reminders: bool,
    pub do_not_contact: bool,
}

/// One appointment with what has happened around it.
#[derive(Debug, Clone)]
pub struct PlanSubject<'a> {
    pub appointment: &'a Appointment,
    pub journey_id: Uuid,
    pub patient: PatientContact,
    /// No earlier visit of this patient that was kept or is still planned.
    pub first_visit: bool,
    /// When the appointment was marked a no-show.
    pub no_show_at: Option<DateTime<Utc>>,
    /// Latest completion of each stage of the journey, by stage key.
    pub completed: &'a [(&'a str, DateTime<Utc>)],
}

/// A task the rules call for now. Its id derives from (rule, appointment), so planning the same
/// thing twice names the same row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTask {
    pub id: Uuid,
    pub rule_id: Uuid,
    pub appointment_id: Uuid,
    pub journey_id: Uuid,
    pub patient_id: Uuid,
    pub kind: TaskKind,
    pub role: Role,
    pub due_at: DateTime<Utc>,
    /// After this the task is pointless (a reminder once the visit has begun).
    pub expires_at: Option<DateTime<Utc>>,
    pub max_attempts: u32,
    pub retry_minutes: u32,
}

pub fn task_id(rule_id: Uuid, appointment_id: Uuid) -> Uuid {
    derived_task_id(rule_id, appointment_id)
}

/// The tasks `rules` call for about `subject`.
pub fn plan_tasks(subject: &PlanSubject, rules: &[ReminderRule], calendar: &ClinicCalendar) -> Vec<PlannedTask> {
    rules.iter().filter_map(|rule| plan_one(subject, rule, calendar)).collect()
}

fn plan_one(subject: &PlanSubject, rule: &ReminderRule, calendar: &ClinicCalendar) -> Option<PlannedTask> {
    use AppointmentStatus::*;
    let a = subject.appointment;
    if !rule.active || !conditions_hold(subject, rule) {
        return None;
    }
    let kind = if rule.follow_preferred_channel {
        TaskKind::for_channel(subject.patient.preferred_channel)
    } else {
        rule.kind
    };
    let before_visit = match rule.anchor {
        Anchor::BookingMade => true,
        Anchor::AppointmentStart => rule.offset_amount <= 0,
        _ => false,
    };
    let anchor = match rule.anchor {
        Anchor::NoShow => subject.no_show_at.filter(|_| a.status == Noshow)?,
        _ if matches!(a.status, Cancelled | Noshow | Waitlist | Proposed) => return None,
        // Getting ready for a visit is over once the patient is here.
        _ if before_visit && !matches!(a.status, Booked | Confirmed) => return None,
        Anchor::BookingMade => a.created_at,
        Anchor::AppointmentStart => a.starts_at,
        Anchor::AppointmentEnd if rule.offset_amount > 0 && !matches!(a.status, Arrived | InProgress | Fulfilled) => {
            return None
        }
        Anchor::AppointmentEnd => a.ends_at,
        Anchor::StageCompleted => {
            let key = rule.anchor_stage_key.as_deref()?;
            subject.completed.iter().filter(|(k, _)| *k == key).map(|(_, at)| *at).max()?
        }
    };
    // An offset past the calendar's end plans nothing (the rule editor refuses such offsets).
    let mut due = offset(anchor, rule, calendar)?;
    if rule.snap {
        let direction = if rule.offset_amount < 0 { SnapDirection::Earlier } else { SnapDirection::Later };
        due = calendar.snap(due, direction);
    }
    let expires_at = before_visit.then_some(a.starts_at);
    // Too late for this step (a confirmation call for a visit booked this morning for
    // tomorrow): the booking itself did its job.
    let before_booking = rule.anchor == Anchor::AppointmentStart && due < a.created_at;
    if before_visit && (due >= a.starts_at || before_booking) {
        return None;
    }
    Some(PlannedTask {
        id: task_id(rule.id, a.id),
        rule_id: rule.id,
        appointment_id: a.id,
        journey_id: subject.journey_id,
        patient_id: a.patient_id,
        kind,
        role: rule.role,
        due_at: due,
        expires_at,
        max_attempts: rule.max_attempts.max(1),
        retry_minutes: rule.retry_minutes,
    })
}

fn conditions_hold(subject: &PlanSubject, rule: &ReminderRule) -> bool {
    let p = subject.patient;
    let contacts = rule.kind.contacts_patient() || rule.follow_preferred_channel;
    if contacts && p.do_not_contact {
        return false;
    }
    if rule.requires_consent && !p.consent_reminders {
        return false;
    }
    if rule.first_visit_only && !subject.first_visit {
        return false;
    }
    if rule.unconfirmed_only && subject.appointment.status != AppointmentStatus::Booked {
        return false;
    }
    rule.only_channel.is_none_or(|c| c == p.preferred_channel)
}

/// `anchor` moved by the rule's offset, in the clinic's wall time for day-based units; `None`
/// when that falls outside the calendar.
fn offset(anchor: DateTime<Utc>, rule: &ReminderRule, calendar: &ClinicCalendar) -> Option<DateTime<Utc>> {
    let n = i64::from(rule.offset_amount);
    let (date, minute) = calendar.local_minute(anchor);
    let date = match rule.offset_unit {
        OffsetUnit::Minutes => return anchor.checked_add_signed(Duration::try_minutes(n)?),
        OffsetUnit::Hours => return anchor.checked_add_signed(Duration::try_hours(n)?),
        OffsetUnit::Days => super::dates::add_days(date, n)?,
        OffsetUnit::WorkingDays => calendar.add_working_days(date, rule.offset_amount)?,
        OffsetUnit::Months if n >= 0 => date.checked_add_months(Months::new(rule.offset_amount.unsigned_abs()))?,
        OffsetUnit::Months => date.checked_sub_months(Months::new(rule.offset_amount.unsigned_abs()))?,
    };
    Some(calendar.wall_time(date, rule.at_time.unwrap_or(minute)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::{parse_hhmm, ClinicSettings, ClosedDay};
    use crate::domain::ids::derived_id;

    fn calendar() -> ClinicCalendar {
        let mut settings = ClinicSettings::new_clinic("Test", "Europe/Riga", "en");
        settings.closed_days.push(ClosedDay {
            date: "2026-12-24".parse().unwrap(),
            reason: "Christmas Eve".into(),
            yearly: false,
        });
        ClinicCalendar::new(&settings).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        let (date, time) = text.split_once(' ').unwrap();
        calendar().to_utc(date.parse().unwrap(), parse_hhmm(time).unwrap()).unwrap()
    }

    fn local(t: DateTime<Utc>) -> String {
        calendar().to_local_text(t)
    }

    fn appointment(start: &str, status: AppointmentStatus) -> Appointment {
        let starts_at = at(start);
        Appointment {
            id: derived_id("appointment", start),
            patient_id: derived_id("patient", "p"),
            provider_id: derived_id("provider", "d"),
            room_id: derived_id("room", "r"),
            service_type_id: derived_id("service", "s"),
            starts_at,
            ends_at: starts_at + Duration::minutes(40),
            status,
            cancel_reason: None,
            notes: String::new(),
            series_id: None,
            series_index: None,
            created_at: at("2026-11-02 09:00"),
            updated_at: at("2026-11-02 09:00"),
        }
    }

    fn rule(name: &str, anchor: Anchor, amount: i32, unit: OffsetUnit, at_time: Option<&str>) -> ReminderRule {
        ReminderRule {
            id: derived_id("rule", name),
            stage_id: derived_id("stage", name),
            name: name.into(),
            anchor,
            anchor_stage_key: (anchor == Anchor::StageCompleted).then(|| "check_out".to_string()),
            offset_amount: amount,
            offset_unit: unit,
            at_time: at_time.and_then(parse_hhmm),
            kind: TaskKind::Call,
            follow_preferred_channel: false,
            role: Role::FrontDesk,
            first_visit_only: false,
            unconfirmed_only: false,
            requires_consent: false,
            only_channel: None,
            max_attempts: 3,
            retry_minutes: 120,
            snap: true,
            active: true,
        }
    }

    const CONTACT: PatientContact =
        PatientContact { preferred_channel: Channel::Phone, consent_reminders: true, do_not_contact: false };

    fn plan(a: &Appointment, r: &ReminderRule) -> Option<PlannedTask> {
        plan_with(a, r, CONTACT, true, &[])
    }

    fn plan_with(
        a: &Appointment,
        r: &ReminderRule,
        patient: PatientContact,
        first_visit: bool,
        completed: &[(&str, DateTime<Utc>)],
    ) -> Option<PlannedTask> {
        let subject = PlanSubject {
            appointment: a,
            journey_id: derived_id("journey", "j"),
            patient,
            first_visit,
            no_show_at: (a.status == AppointmentStatus::Noshow).then_some(a.starts_at + Duration::minutes(20)),
            completed,
        };
        plan_tasks(&subject, std::slice::from_ref(r), &calendar()).pop()
    }

    #[test]
    fn an_offset_past_the_calendar_plans_nothing_instead_of_panicking() {
        use chrono::Datelike;
        let a = appointment("2026-11-30 14:00", AppointmentStatus::Booked);
        for unit in
            [OffsetUnit::Minutes, OffsetUnit::Hours, OffsetUnit::Days, OffsetUnit::WorkingDays, OffsetUnit::Months]
        {
            for amount in [i32::MIN, i32::MAX] {
                let anchor = if amount < 0 { Anchor::AppointmentStart } else { Anchor::AppointmentEnd };
                let r = rule("far", anchor, amount, unit, None);
                let fulfilled = appointment("2026-11-30 14:00", AppointmentStatus::Fulfilled);
                // Minutes and hours this far still fit chrono's range; days and months do not.
                let planned = plan(if amount < 0 { &a } else { &fulfilled }, &r);
                assert!(planned.is_none_or(|t| t.due_at.year() != 2026), "{unit:?} {amount}");
            }
        }
    }

    #[test]
    fn confirmation_two_working_days_before_skips_the_weekend() {
        let a = appointment("2026-11-30 14:00", AppointmentStatus::Booked); // Monday
        let r = rule("confirm", Anchor::AppointmentStart, -2, OffsetUnit::WorkingDays, None);
        let task = plan(&a, &r).unwrap();
        assert_eq!(local(task.due_at), "Thu 26 Nov 2026 14:00");
        assert_eq!(task.expires_at, Some(a.starts_at));
        assert_eq!(task.id, task_id(r.id, a.id));
    }

    #[test]
    fn reminder_the_day_before_at_ten_moves_back_over_a_weekend_and_a_closed_day() {
        let r = rule("remind", Anchor::AppointmentStart, -1, OffsetUnit::Days, Some("10:00"));
        let monday = appointment("2026-11-30 09:00", AppointmentStatus::Booked);
        assert_eq!(local(plan(&monday, &r).unwrap().due_at), "Fri 27 Nov 2026 10:00");
        let after_christmas_eve = appointment("2026-12-25 09:00", AppointmentStatus::Confirmed); // Fri; Thu 24th closed
        assert_eq!(local(plan(&after_christmas_eve, &r).unwrap().due_at), "Wed 23 Dec 2026 10:00");
    }

    #[test]
    fn follow_up_two_days_after_check_out_moves_forward_into_working_time() {
        let a = appointment("2026-11-26 16:00", AppointmentStatus::Fulfilled); // Thursday
        let r = rule("follow-up", Anchor::StageCompleted, 2, OffsetUnit::Days, Some("10:00"));
        let done = [("check_out", at("2026-11-26 16:50"))];
        let task = plan_with(&a, &r, CONTACT, true, &done).unwrap();
        assert_eq!(local(task.due_at), "Mon 30 Nov 2026 10:00"); // Saturday → Monday
        assert_eq!(task.expires_at, None);
        assert!(plan(&a, &r).is_none(), "no check-out yet, no follow-up");
    }

    #[test]
    fn recall_six_months_after_the_visit() {
        let a = appointment("2026-11-24 10:00", AppointmentStatus::Fulfilled);
        let r = rule("recall", Anchor::AppointmentEnd, 6, OffsetUnit::Months, Some("10:00"));
        assert_eq!(local(plan(&a, &r).unwrap().due_at), "Mon 24 May 2027 10:00");
        let booked = appointment("2026-11-24 10:00", AppointmentStatus::Booked);
        assert!(plan(&booked, &r).is_none(), "a visit that has not happened is not recalled");
    }

    #[test]
    fn no_show_rebook_call_next_working_morning() {
        let r = rule("rebook", Anchor::NoShow, 1, OffsetUnit::WorkingDays, Some("09:00"));
        let friday = appointment("2026-11-27 15:00", AppointmentStatus::Noshow);
        assert_eq!(local(plan(&friday, &r).unwrap().due_at), "Mon 30 Nov 2026 09:00");
        let kept = appointment("2026-11-27 15:00", AppointmentStatus::Fulfilled);
        assert!(plan(&kept, &r).is_none());
    }

    #[test]
    fn booking_made_anchor_counts_from_the_booking() {
        let a = appointment("2026-11-30 14:00", AppointmentStatus::Booked); // booked Mon 2 Nov 09:00
        let r = rule("forms", Anchor::BookingMade, 30, OffsetUnit::Minutes, None);
        assert_eq!(local(plan(&a, &r).unwrap().due_at), "Mon 02 Nov 2026 09:30");
    }

    #[test]
    fn conditions_first_visit_unconfirmed_consent_and_channel() {
        let a = appointment("2026-11-30 14:00", AppointmentStatus::Booked);
        let mut r = rule("c", Anchor::AppointmentStart, -2, OffsetUnit::WorkingDays, None);
        r.first_visit_only = true;
        assert!(plan_with(&a, &r, CONTACT, false, &[]).is_none());
        assert!(plan_with(&a, &r, CONTACT, true, &[]).is_some());

        r.unconfirmed_only = true;
        let confirmed = appointment("2026-11-30 14:00", AppointmentStatus::Confirmed);
        assert!(plan(&confirmed, &r).is_none());

        r.requires_consent = true;
        let no_consent = PatientContact { consent_reminders: false, ..CONTACT };
        assert!(plan_with(&a, &r, no_consent, true, &[]).is_none());
        let do_not_contact = PatientContact { do_not_contact: true, ..CONTACT };
        assert!(plan_with(&a, &r, do_not_contact, true, &[]).is_none());

        r.only_channel = Some(Channel::Sms);
        assert!(plan(&a, &r).is_none());
        let sms = PatientContact { preferred_channel: Channel::Sms, ..CONTACT };
        assert!(plan_with(&a, &r, sms, true, &[]).is_some());
    }

    #[test]
    fn preferred_channel_picks_the_kind_and_duties_ignore_do_not_contact() {
        let a = appointment("2026-11-30 14:00", AppointmentStatus::Booked);
        let mut r = rule("remind", Anchor::AppointmentStart, -1, OffsetUnit::Days, Some("10:00"));
        r.follow_preferred_channel = true;
        let email = PatientContact { preferred_channel: Channel::Email, ..CONTACT };
        assert_eq!(plan_with(&a, &r, email, true, &[]).unwrap().kind, TaskKind::Email);

        let mut duty = rule("prepare chart", Anchor::AppointmentStart, -1, OffsetUnit::WorkingDays, Some("16:00"));
        duty.kind = TaskKind::Duty;
        duty.role = Role::BackOffice;
        let do_not_contact = PatientContact { do_not_contact: true, ..CONTACT };
        let task = plan_with(&a, &duty, do_not_contact, true, &[]).unwrap();
        assert_eq!((task.kind, task.role), (TaskKind::Duty, Role::BackOffice));
    }

    #[test]
    fn cancelled_arrived_and_late_bookings_need_no_pre_visit_tasks() {
        let r = rule("confirm", Anchor::AppointmentStart, -2, OffsetUnit::WorkingDays, None);
        assert!(plan(&appointment("2026-11-30 14:00", AppointmentStatus::Cancelled), &r).is_none());
        assert!(plan(&appointment("2026-11-30 14:00", AppointmentStatus::Arrived), &r).is_none());
        let mut late = appointment("2026-11-30 14:00", AppointmentStatus::Booked);
        late.created_at = at("2026-11-27 12:00"); // Friday: two working days before was Thursday
        assert!(plan(&late, &r).is_none());
    }

    #[test]
    fn rescheduling_moves_the_due_time() {
        let r = rule("confirm", Anchor::AppointmentStart, -2, OffsetUnit::WorkingDays, None);
        let mut a = appointment("2026-11-30 14:00", AppointmentStatus::Booked);
        let before = plan(&a, &r).unwrap();
        a.starts_at = at("2026-12-03 11:00");
        a.ends_at = a.starts_at + Duration::minutes(40);
        let after = plan(&a, &r).unwrap();
        assert_eq!(before.id, after.id, "the same task row, moved");
        assert_eq!(local(after.due_at), "Tue 01 Dec 2026 11:00");
    }

    #[test]
    fn a_day_based_offset_keeps_the_wall_time_over_the_clock_change() {
        // Riga's clocks go back in the night to Sunday 25 Oct 2026.
        let mut a = appointment("2026-10-26 10:00", AppointmentStatus::Booked); // Monday, UTC+2
        a.created_at = at("2026-10-01 09:00");
        let mut r = rule("remind", Anchor::AppointmentStart, -3, OffsetUnit::Days, None);
        r.snap = false;
        let task = plan(&a, &r).unwrap();
        assert_eq!(local(task.due_at), "Fri 23 Oct 2026 10:00"); // UTC+3
        assert_eq!((a.starts_at - task.due_at).num_hours(), 73);
    }
}
