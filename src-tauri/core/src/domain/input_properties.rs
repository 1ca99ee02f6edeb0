//! Property tests of every parser of what people type: any text at all gets an answer (a value
//! or a refusal with its reason), never a panic; and what the app writes reads back the same.
//!
//! `make test` runs proptest's default 256 cases of each; `PROPTEST_CASES=100000 cargo test -p
//! clinic-journey-core --lib input_properties` is the long run.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::access::check_secret;
use super::backups::{backup_file_name, parse_backup_file_name, BackupPlan, BackupReason};
use super::clinic::{hhmm, parse_hhmm, parse_time_zone, MinuteRange, WeekdayHours, Weeks};
use super::closed_days_file::parse_closed_days;
use super::patient::{normalise_phone, PatientInput};
use super::typed_values::{parse_from, parse_quiet_hours, parse_start};
use super::weekly_hours::{format_weekly_hours, parse_weekly_hours};
use crate::error::Error;

/// Text as people paste it: any characters, and often the ones the parsers split on.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[0-9 +()./:;,@a-z\\-\\t\\n]{0,40}", "[0-9]{1,4}[-:/.][0-9]{1,4}[-:/.]?[0-9]{0,4}",]
}

/// A refusal is the only way a parser may say no: never a storage or internal error.
fn refused<T: std::fmt::Debug>(result: &Result<T, Error>) -> bool {
    match result {
        Ok(_) => true,
        Err(e) => e.refusal().is_some() && !e.to_string().is_empty(),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

proptest! {
    #[test]
    fn a_phone_is_normalised_or_refused_with_its_reason(text in typed()) {
        let result = normalise_phone("phone", &text);
        prop_assert!(refused(&result), "{result:?}");
        if let Ok(Some(phone)) = result {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            prop_assert!((7..=15).contains(&digits), "{phone}");
            // Normalising again changes nothing.
            prop_assert_eq!(normalise_phone("phone", &phone).unwrap(), Some(phone));
        }
    }

    #[test]
    fn a_patient_form_is_accepted_or_refused_never_a_panic(
        given in typed(), family in typed(), birth in typed(), phone in typed(), email in typed(),
        channel in typed(), language in typed(), notes in typed(),
    ) {
        let input = PatientInput {
            given_name: given, family_name: family, birth_date: birth, phone, phone_alt: String::new(),
            email, preferred_channel: channel, preferred_language: language, consent_reminders: true,
            do_not_contact: false, notes,
        };
        let result = input.validate(today());
        prop_assert!(refused(&result), "{result:?}");
    }

    #[test]
    fn an_email_is_kept_or_refused(local in "[a-z0-9.+_-]{0,20}", domain in "[a-z0-9.-]{0,20}", noise in typed()) {
        for email in [format!("{local}@{domain}"), noise] {
            let input = PatientInput { email, ..valid_patient() };
            let result = input.validate(today());
            prop_assert!(refused(&result), "{result:?}");
        }
    }

    #[test]
    fn a_birth_date_is_a_real_date_within_range_or_refused(text in typed(), y in 1800i32..2200, m in 0u32..14, d in 0u32..33) {
        for birth_date in [text, format!("{y:04}-{m:02}-{d:02}")] {
            let result = PatientInput { birth_date: birth_date.clone(), ..valid_patient() }.validate(today());
            prop_assert!(refused(&result), "{result:?}");
            if let Ok(valid) = result {
                if let Some(date) = valid.birth_date {
                    prop_assert!(date <= today() && date.to_string() == birth_date.trim(), "{date} from {birth_date}");
                }
            }
        }
    }

    #[test]
    fn a_time_of_day_reads_back_as_written(minute in 0u16..1440, text in typed()) {
        prop_assert_eq!(parse_hhmm(&hhmm(minute)), Some(minute));
        if let Some(m) = parse_hhmm(&text) {
            prop_assert!(m <= 1440, "{text} gave {m}");
        }
    }

    #[test]
    fn weekly_hours_read_back_as_written_and_anything_else_is_refused(
        text in typed(),
        spans in proptest::collection::vec((1u8..=7, 0u16..1439, 1u16..600, 0usize..3), 0..6),
    ) {
        prop_assert!(refused(&parse_weekly_hours("hours", &text)));
        let weeks = [Weeks::Every, Weeks::Odd, Weeks::Even];
        let hours: Vec<WeekdayHours> = spans
            .into_iter()
            .map(|(weekday, start, length, w)| WeekdayHours {
                weekday,
                span: MinuteRange { start, end: (start + length).min(1440) },
                weeks: weeks[w],
            })
            .collect();
        // Hours the checks accept are written so that they read back the same.
        if let Ok(valid) = super::weekly_hours::check_weekly_hours("hours", hours) {
            let written = format_weekly_hours(&valid);
            prop_assert_eq!(parse_weekly_hours("hours", &written).unwrap(), valid, "{}", written);
        }
    }

    #[test]
    fn a_closed_days_file_is_read_or_refused_line_by_line(text in typed(), lines in proptest::collection::vec(typed(), 0..8)) {
        let csv = lines.join("\n");
        for (name, content) in [("days.csv", &csv), ("days.ics", &text), ("days.ics", &format!("BEGIN:VCALENDAR\n{csv}\nEND:VCALENDAR"))] {
            let result = parse_closed_days(name, content);
            prop_assert!(refused(&result), "{name}: {result:?}");
        }
    }

    #[test]
    fn a_time_zone_is_known_or_refused(text in typed()) {
        prop_assert!(refused(&parse_time_zone(&text)));
    }

    #[test]
    fn a_backup_plan_is_accepted_or_refused(folder in typed(), keep_days in any::<u32>(), daily in any::<bool>()) {
        let result = BackupPlan { folder, daily, keep_days }.validate();
        prop_assert!(refused(&result), "{result:?}");
    }

    #[test]
    fn a_backup_name_reads_back_as_its_moment_and_reason(secs in 0i64..7_258_118_400, reason in 0usize..4, copy in 1u32..100, text in typed()) {
        let reasons = [BackupReason::Manual, BackupReason::Daily, BackupReason::BeforeUpgrade, BackupReason::BeforeRestore];
        let at: DateTime<Utc> = Utc.timestamp_opt(secs, 0).unwrap();
        let name = backup_file_name(at, reasons[reason], copy);
        prop_assert_eq!(parse_backup_file_name(&name), Some((at, reasons[reason])));
        let _ = parse_backup_file_name(&text);
    }
}

/// The command line's values: a start, a search's "from", quiet hours, a PIN.
fn riga() -> super::clinic::ClinicCalendar {
    super::clinic::ClinicCalendar::new(&super::clinic::ClinicSettings::new_clinic("Clinic", "Europe/Riga", "en"))
        .unwrap()
}

proptest! {
    #[test]
    fn a_start_is_read_in_the_clinics_zone_or_refused(text in typed(), y in 1900i32..2200, mo in 1u32..13, d in 1u32..29, minute in 0u16..1440) {
        let calendar = riga();
        prop_assert!(refused(&parse_start(&calendar, &text)));
        prop_assert!(refused(&parse_from(&calendar, &text)));
        let local = format!("{y:04}-{mo:02}-{d:02}T{}", hhmm(minute));
        let (date, read) = parse_start(&calendar, &local).unwrap();
        prop_assert_eq!((date.to_string(), read), (local[..10].to_string(), minute));
        // An instant with its offset is the clinic's local time of that instant.
        let instant = format!("{y:04}-{mo:02}-{d:02}T{}:00Z", hhmm(minute));
        let at = DateTime::parse_from_rfc3339(&instant).unwrap().with_timezone(&Utc);
        prop_assert_eq!(parse_start(&calendar, &instant).unwrap(), calendar.local_minute(at));
    }

    #[test]
    fn quiet_hours_read_back_as_written_or_are_refused(text in typed(), start in 0u16..1440, end in 0u16..1440) {
        prop_assert!(refused(&parse_quiet_hours(&text)));
        let written = format!("{}-{}", hhmm(start), hhmm(end));
        prop_assert_eq!(parse_quiet_hours(&written).unwrap(), Some(MinuteRange { start, end }));
        prop_assert_eq!(parse_quiet_hours(" NONE ").unwrap(), None);
    }

    #[test]
    fn a_pin_is_accepted_or_refused_with_its_reason(text in typed()) {
        prop_assert!(refused(&check_secret(&text)));
    }
}

fn valid_patient() -> PatientInput {
    PatientInput::example("Anna", "Ozola")
}
