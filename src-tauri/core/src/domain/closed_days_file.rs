//! Closed days and public holidays read from a file: an iCalendar file (.ics: each all-day event
//! one closed day per date it covers, a yearly rule making it yearly) or a spreadsheet saved as
//! CSV (`date,reason[,yearly]`, with or without a header row).

use chrono::{Duration, NaiveDate};
use icalendar::{Calendar, Component, DatePerhapsTime};

use super::clinic::ClosedDay;
use super::limits::{check_length, REASON};
use crate::error::{Error, Refusal, Result};

/// The longest closed period one calendar event may stand for (a summer break, not a mistake).
const LONGEST_EVENT_DAYS: i64 = 62;

/// The days `text` holds, in the file's order; `name` (the file's name) tells the two formats
/// apart, else its first line does.
pub fn parse_closed_days(name: &str, text: &str) -> Result<Vec<ClosedDay>> {
    let text = text.trim_start_matches('\u{feff}');
    let days = if name.to_lowercase().ends_with(".ics") || text.trim_start().starts_with("BEGIN:VCALENDAR") {
        from_calendar(text)?
    } else {
        from_csv(text)?
    };
    if days.is_empty() {
        return Err(Error::refused("file", Refusal::NoClosedDays));
    }
    Ok(days)
}

fn from_calendar(text: &str) -> Result<Vec<ClosedDay>> {
    let calendar: Calendar =
        text.parse().map_err(|detail: String| Error::refused("file", Refusal::UnreadableFile { detail }))?;
    let mut days = Vec::new();
    for event in calendar.events() {
        let Some(start) = event.get_start() else { continue };
        let first = start.date_naive();
        // An all-day event's DTEND is the day after its last (RFC 5545); without one it is a day.
        let last = match (&start, event.get_end()) {
            (DatePerhapsTime::Date(_), Some(end)) => end.date_naive() - Duration::days(1),
            (_, Some(end)) => end.date_naive(),
            (_, None) => first,
        }
        .max(first);
        let reason = event.get_summary().unwrap_or("Closed").trim().to_string();
        check_length("file", "The reason", &reason, REASON)?;
        if (last - first).num_days() >= LONGEST_EVENT_DAYS {
            return Err(Error::refused(
                "file",
                Refusal::EventTooLong { event: reason, days: LONGEST_EVENT_DAYS as u32, date: first.to_string() },
            ));
        }
        let yearly = event.property_value("RRULE").is_some_and(|rule| rule.to_uppercase().contains("FREQ=YEARLY"));
        let mut date = first;
        while date <= last {
            days.push(ClosedDay { date, reason: reason.clone(), yearly });
            date += Duration::days(1);
        }
    }
    Ok(days)
}

fn from_csv(text: &str) -> Result<Vec<ClosedDay>> {
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';') && !l.contains(',')) { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut days = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u32 + 1;
        let record = record.map_err(|e| Error::refused("file", Refusal::UnreadableFile { detail: e.to_string() }))?;
        let date_text = record.get(0).unwrap_or_default().trim();
        if date_text.is_empty() {
            continue;
        }
        let Ok(date) = date_text.parse::<NaiveDate>() else {
            // A first row that is not a date is the header.
            if line == 1 {
                continue;
            }
            return Err(Error::refused("file", Refusal::BadDateLine { line, value: date_text.into() }));
        };
        let reason = record.get(1).map(str::trim).filter(|r| !r.is_empty()).unwrap_or("Closed").to_string();
        check_length("file", "The reason", &reason, REASON)?;
        let yearly =
            matches!(record.get(2).map(|y| y.trim().to_lowercase()).as_deref(), Some("yes" | "yearly" | "true" | "1"));
        days.push(ClosedDay { date, reason, yearly });
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn an_ics_file_gives_a_day_per_date_of_each_all_day_event_and_yearly_rules() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
            BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20260824\r\nDTEND;VALUE=DATE:20260825\r\nRRULE:FREQ=YEARLY\r\n\
            SUMMARY:День Незалежності\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270103\r\nSUMMARY:Winter break\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n";
        let days = parse_closed_days("holidays.ics", ics).unwrap();
        let summary: Vec<(NaiveDate, &str, bool)> =
            days.iter().map(|d| (d.date, d.reason.as_str(), d.yearly)).collect();
        assert_eq!(
            summary,
            [
                (date("2026-08-24"), "День Незалежності", true),
                (date("2026-12-31"), "Winter break", false),
                (date("2027-01-01"), "Winter break", false),
                (date("2027-01-02"), "Winter break", false),
            ]
        );
    }

    #[test]
    fn a_csv_file_with_or_without_a_header_and_with_semicolons() {
        let days =
            parse_closed_days("days.csv", "date,reason,yearly\n2026-12-25,Christmas,yes\n2026-12-28,Inventory\n")
                .unwrap();
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].date, days[0].yearly, days[1].yearly), (date("2026-12-25"), true, false));
        let days = parse_closed_days("days.csv", "\u{feff}2027-01-07;Різдво\n").unwrap();
        assert_eq!((days[0].date, days[0].reason.as_str()), (date("2027-01-07"), "Різдво"));
    }

    #[test]
    fn a_bad_line_an_empty_file_and_a_broken_calendar_are_named() {
        let err = parse_closed_days("days.csv", "2026-12-25,Christmas\n25.12.2026,Boxing Day\n").unwrap_err();
        assert_eq!(err.to_string(), "Line 2: “25.12.2026” is not a date like 2026-12-25");
        assert_eq!(
            parse_closed_days("days.csv", "date,reason\n").unwrap_err().to_string(),
            "The file holds no closed days"
        );
        let err = parse_closed_days("x.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n").unwrap_err();
        assert_eq!(err.refusal().map(|r| r.reason()), Some("unreadable_file"));
    }
}
