//! Calendar files (RFC 5545) of the clinic's visits, for phones and desktop calendars: one
//! event per appointment with a stable UID, its SEQUENCE raised on every change, cancelled
//! visits as STATUS:CANCELLED, times in UTC, and only as much of the patient as the
//! administrator allows. The `icalendar` crate writes the lines: CRLF, 75-octet folding that
//! never splits a character, escaped text.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Trigger};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::records::Visit;
use crate::domain::appointment::AppointmentStatus;

/// How much of the patient a calendar event shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum PatientDetail {
    /// The service only ("Consultation").
    None,
    /// The patient's initials ("Consultation — A. P.").
    Initials,
    /// The patient's full name.
    Full,
}
text_enum!(PatientDetail { None => "none", Initials => "initials", Full => "full" });

/// What a calendar file holds besides the visits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarOptions {
    /// Shown by calendar apps as the calendar's name ("Clinic Journey — Dr Ozola").
    pub name: String,
    pub detail: PatientDetail,
    /// A display alarm at each of the visit's reminder times (visits still to come).
    pub alarms: bool,
}

/// The domain name the UIDs end with: unique to this app, stable across exports.
const UID_DOMAIN: &str = "clinic-journey.app";

/// The calendar file of `visits` (waiting-list entries have no time and are left out).
pub fn calendar(visits: &[Visit], options: &CalendarOptions, now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Clinic Journey//Clinic Journey//EN"))
        .append_property(("CALSCALE", "GREGORIAN"));
    calendar.name(&one_line(&options.name));
    for visit in visits.iter().filter(|v| v.status != AppointmentStatus::Waitlist) {
        calendar.push(event(visit, options, now));
    }
    calendar.to_string()
}

fn event(v: &Visit, options: &CalendarOptions, now: DateTime<Utc>) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}@{UID_DOMAIN}", v.id))
        .sequence(v.revision)
        // Without a METHOD, DTSTAMP is when the event last changed (RFC 5545 3.8.7.2).
        .timestamp(v.updated_at)
        .created(v.created_at)
        .last_modified(v.updated_at)
        .starts(v.starts_at)
        .ends(v.ends_at)
        .summary(&summary(v, options.detail))
        .location(&one_line(&v.room_name))
        .description(&one_line(&v.provider_name))
        .status(match v.status {
            AppointmentStatus::Cancelled | AppointmentStatus::Noshow => EventStatus::Cancelled,
            AppointmentStatus::Proposed => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        });
    let still_to_come = v.starts_at > now && v.status.awaits_visit();
    if options.alarms && still_to_come {
        for minutes in &v.reminder_minutes {
            let trigger = Trigger::before_start(Duration::minutes(i64::from(*minutes)));
            // The writer stamps every component; the alarm's stamp is its event's, not the clock's.
            let mut alarm = Alarm::display(&summary(v, options.detail), trigger);
            alarm.timestamp(v.updated_at).uid(&format!("{}-{minutes}@{UID_DOMAIN}", v.id));
            event.alarm(alarm.done());
        }
    }
    event.done()
}

/// "Consultation", "Consultation — A. P." or "Consultation — Anna Petrova".
fn summary(v: &Visit, detail: PatientDetail) -> String {
    let service = one_line(&v.service_name);
    match detail {
        PatientDetail::None => service,
        PatientDetail::Initials => format!("{service} — {}", initials(&v.patient_given, &v.patient_family)),
        PatientDetail::Full => format!(
            "{service} — {}",
            one_line(&crate::domain::patient::person_name(&v.patient_given, &v.patient_family))
        ),
    }
}

/// "A. P." from "Anna" "Petrova": the first character of each name, in any script.
fn initials(given: &str, family: &str) -> String {
    [given, family]
        .iter()
        .filter_map(|name| name.trim().chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text on one line: the writer escapes line breaks, but a stray carriage return would not be.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    pub(crate) fn visit(n: u128, status: AppointmentStatus) -> Visit {
        let start = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap() + Duration::hours(n as i64);
        Visit {
            id: Uuid::from_u128(n),
            patient_id: Uuid::from_u128(1000 + n),
            patient_given: "Anna".into(),
            patient_family: "Petrova".into(),
            provider_id: Uuid::from_u128(2000),
            provider_name: "Dr Ozola".into(),
            room_id: Uuid::from_u128(3000),
            room_name: "Room 1".into(),
            service_name: "Consultation".into(),
            starts_at: start,
            ends_at: start + Duration::minutes(30),
            status,
            cancel_reason: None,
            notes: String::new(),
            revision: 2,
            created_at: start - Duration::days(3),
            updated_at: start - Duration::days(1),
            reminder_minutes: vec![1440, 120],
        }
    }

    fn options(detail: PatientDetail, alarms: bool) -> CalendarOptions {
        CalendarOptions { name: "Clinic Journey — Dr Ozola".into(), detail, alarms }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
    }

    /// The lines of a calendar file with the folding undone.
    fn unfolded(text: &str) -> Vec<String> {
        text.replace("\r\n ", "").split("\r\n").map(str::to_string).collect()
    }

    #[test]
    fn each_visit_is_an_event_with_a_stable_uid_its_sequence_and_utc_times() {
        let text = calendar(&[visit(1, AppointmentStatus::Booked)], &options(PatientDetail::Initials, false), now());
        let lines = unfolded(&text);
        for expected in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Clinic Journey//Clinic Journey//EN",
            "UID:00000000-0000-0000-0000-000000000001@clinic-journey.app",
            "SEQUENCE:2",
            "DTSTAMP:20261202T100000Z",
            "DTSTART:20261203T100000Z",
            "DTEND:20261203T103000Z",
            "SUMMARY:Consultation — A. P.",
            "LOCATION:Room 1",
            "STATUS:CONFIRMED",
        ] {
            assert!(lines.iter().any(|l| l == expected), "{expected} missing from\n{text}");
        }
        assert!(!text.contains("Petrova"), "initials only: {text}");
    }

    #[test]
    fn lines_end_in_crlf_and_fold_at_75_octets_between_characters() {
        let mut long = visit(1, AppointmentStatus::Cancelled);
        long.service_name = "Консультация, ведущий специалист; кардиология и ревматология ".repeat(3);
        let text = calendar(&[long], &options(PatientDetail::Full, false), now());
        assert!(text.ends_with("\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(!line.contains('\n') && !line.contains('\r'), "a bare line break: {line:?}");
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let summary = unfolded(&text).into_iter().find(|l| l.starts_with("SUMMARY:")).unwrap();
        assert!(summary.contains("кардиология и ревматология") && summary.contains("\\,") && summary.contains("\\;"));
        assert!(unfolded(&text).iter().any(|l| l == "STATUS:CANCELLED"));
    }

    #[test]
    fn alarms_follow_the_reminder_times_of_visits_still_to_come() {
        let visits = [visit(1, AppointmentStatus::Confirmed), visit(2, AppointmentStatus::Cancelled)];
        let text = calendar(&visits, &options(PatientDetail::None, true), now());
        let lines = unfolded(&text);
        assert_eq!(lines.iter().filter(|l| *l == "ACTION:DISPLAY").count(), 2, "{text}");
        assert!(lines.iter().any(|l| l == "TRIGGER;RELATED=START:-PT86400S"), "{text}");
        assert!(lines.iter().any(|l| l == "TRIGGER;RELATED=START:-PT7200S"), "{text}");
        assert!(lines.iter().any(|l| l == "SUMMARY:Consultation"), "no patient detail: {text}");
        let without = calendar(&visits, &options(PatientDetail::None, false), now());
        assert!(!without.contains("VALARM"));
    }

    #[test]
    fn initials_of_any_script() {
        assert_eq!(initials("anna", "Petrova"), "A. P.");
        assert_eq!(initials("伟", "张"), "伟. 张.");
        assert_eq!(initials("", "Ozola"), "O.");
    }
}
