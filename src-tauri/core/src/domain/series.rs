//! Recurring series for courses of treatment ("weekly × 8"): RFC 5545 recurrence rules, via the
//! `rrule` crate, expanded in the clinic's zone so every occurrence keeps its wall-clock time
//! across daylight-saving changes.

use chrono::{NaiveDate, Timelike};
use rrule::RRuleSet;

use super::clinic::{ClinicCalendar, Minute};
use crate::error::{Error, Refusal, Result};

/// A course of treatment is at most a year of weekly visits.
pub const MAX_OCCURRENCES: u16 = 52;

/// The local dates and start minutes of a series whose first occurrence is `date` at `minute`.
pub fn expand_series(
    calendar: &ClinicCalendar,
    date: NaiveDate,
    minute: Minute,
    rule: &str,
) -> Result<Vec<(NaiveDate, Minute)>> {
    let rule = rule.trim().trim_start_matches("RRULE:").to_ascii_uppercase();
    let bad_rule = |why: String| Error::refused("rrule", Refusal::BadRrule { value: rule.clone(), why });
    if !rule.split(';').any(|part| part.starts_with("COUNT=") || part.starts_with("UNTIL=")) {
        return Err(Error::refused("rrule", Refusal::RruleEndless));
    }
    let start = date.and_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).expect("minute of a day");
    let text = format!("DTSTART;TZID={}:{}\nRRULE:{rule}", calendar.tz.name(), start.format("%Y%m%dT%H%M%S"));
    let set: RRuleSet = text.parse().map_err(|e: rrule::RRuleError| bad_rule(e.to_string()))?;
    let result = set.all(MAX_OCCURRENCES + 1);
    if result.dates.len() > MAX_OCCURRENCES as usize {
        return Err(Error::refused("rrule", Refusal::RruleTooLong { max: MAX_OCCURRENCES.into() }));
    }
    Ok(result
        .dates
        .iter()
        .map(|d| {
            let local = d.naive_local();
            (local.date(), (local.hour() * 60 + local.minute()) as Minute)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::ClinicSettings;

    fn riga() -> ClinicCalendar {
        ClinicCalendar::new(&ClinicSettings::new_clinic("T", "Europe/Riga", "en")).unwrap()
    }

    #[test]
    fn weekly_times_eight_keeps_the_wall_clock_across_the_clock_change() {
        // 2027-03-28 the clocks go forward in Riga; the course runs across it.
        let dates = expand_series(&riga(), "2027-03-09".parse().unwrap(), 10 * 60, "FREQ=WEEKLY;COUNT=8").unwrap();
        assert_eq!(dates.len(), 8);
        assert_eq!(dates[0], ("2027-03-09".parse().unwrap(), 600));
        assert_eq!(dates[7], ("2027-04-27".parse().unwrap(), 600));
        assert!(dates.iter().all(|(_, m)| *m == 600), "10:00 before and after the change");
        let cal = riga();
        let before = cal.to_utc(dates[2].0, 600).unwrap();
        let after = cal.to_utc(dates[3].0, 600).unwrap();
        assert_eq!((after - before).num_hours(), 7 * 24 - 1, "a week minus the hour the clocks lost");
    }

    #[test]
    fn rules_need_an_end_and_a_sane_length() {
        let cal = riga();
        let day: NaiveDate = "2026-12-01".parse().unwrap();
        let endless = expand_series(&cal, day, 600, "FREQ=WEEKLY").unwrap_err();
        assert!(endless.to_string().starts_with("A series needs an end"), "{endless}");
        let long = expand_series(&cal, day, 600, "FREQ=DAILY;COUNT=400").unwrap_err();
        assert_eq!(long.to_string(), "A series may have at most 52 visits");
        let bad = expand_series(&cal, day, 600, "FREQ=SOMETIMES;COUNT=3").unwrap_err();
        assert!(bad.to_string().contains("is not a recurrence rule"), "{bad}");
        let biweekly = expand_series(&cal, day, 600, "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3").unwrap();
        let got: Vec<String> = biweekly.iter().map(|d| d.0.to_string()).collect();
        assert_eq!(got, ["2026-12-01", "2026-12-15", "2026-12-29"]);
    }
}
