//! Weekly hours of a provider or a room: written as "mon-fri 08:00-16:00, sat:odd 09:00-13:00"
//! (":odd" / ":even": every other week, see `Weeks`), checked span by span (real spans, none overlapping in
//! a week, inside the clinic's hours).

use super::clinic::{hhmm, parse_hhmm, MinuteRange, WeekdayHours, Weeks};
use crate::error::{Error, Refusal, Result};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Parses groups separated by commas or semicolons, each "DAYS[:odd|:even] SPAN [SPAN…]": DAYS
/// is a day ("mon"), a range ("mon-fri") or a list ("mon/wed/fri"); a SPAN is "08:00-12:00".
/// An empty text means no hours of its own (the clinic's). The result is checked and sorted.
pub fn parse_weekly_hours(field: &str, text: &str) -> Result<Vec<WeekdayHours>> {
    let mut hours = Vec::new();
    for group in text.split([',', ';']).map(str::trim).filter(|g| !g.is_empty()) {
        let mut words = group.split_whitespace();
        let (days, weeks) = match words.next().map(|d| d.split_once(':').unwrap_or((d, "every"))) {
            Some((days, weeks)) => (
                parse_days(field, days)?,
                Weeks::parse(weeks)
                    .ok_or_else(|| Error::refused(field, Refusal::BadWeeklyHours { value: group.into() }))?,
            ),
            None => (Vec::new(), Weeks::Every),
        };
        let spans = words.map(|s| parse_span(field, s)).collect::<Result<Vec<_>>>()?;
        if spans.is_empty() {
            return Err(Error::refused(field, Refusal::BadWeeklyHours { value: group.into() }));
        }
        for weekday in days {
            hours.extend(spans.iter().map(|&span| WeekdayHours { weekday, span, weeks }));
        }
    }
    check_weekly_hours(field, hours)
}

/// Each span a real span within one day and no two spans of a day overlapping in any week (an
/// odd-week and an even-week span never meet); sorted by day and start.
pub fn check_weekly_hours(field: &str, mut hours: Vec<WeekdayHours>) -> Result<Vec<WeekdayHours>> {
    for h in &hours {
        if !(1..=7).contains(&h.weekday) || h.span.end <= h.span.start || h.span.end > 1440 {
            return Err(Error::refused(
                field,
                Refusal::BadHours { value: h.span.to_string(), weekday: h.weekday.into() },
            ));
        }
    }
    hours.sort_by_key(|h| (h.weekday, h.span.start, h.span.end));
    for (i, first) in hours.iter().enumerate() {
        let clash = hours[i + 1..].iter().find(|second| {
            second.weekday == first.weekday && second.span.start < first.span.end && second.weeks.meets(first.weeks)
        });
        if let Some(second) = clash {
            return Err(Error::refused(
                field,
                Refusal::HoursOverlap {
                    weekday: first.weekday.into(),
                    first: first.span.to_string(),
                    second: second.span.to_string(),
                },
            ));
        }
    }
    Ok(hours)
}

/// Every span of `hours` inside one of the clinic's spans of that weekday: a provider or a room
/// cannot be booked while the clinic is closed.
pub fn check_within_clinic(field: &str, resource: &str, hours: &[WeekdayHours], clinic: &[WeekdayHours]) -> Result<()> {
    for h in hours {
        let open: Vec<MinuteRange> = clinic.iter().filter(|c| c.weekday == h.weekday).map(|c| c.span).collect();
        if !open.iter().any(|c| c.contains(h.span)) {
            let clinic_hours = open.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            return Err(Error::refused(
                field,
                Refusal::OutsideClinicHours {
                    resource: resource.into(),
                    weekday: h.weekday.into(),
                    hours: h.span.to_string(),
                    clinic: clinic_hours,
                },
            ));
        }
    }
    Ok(())
}

/// "mon-fri 08:00-16:00, sat:odd 09:00-13:00": the form `parse_weekly_hours` reads.
pub fn format_weekly_hours(hours: &[WeekdayHours]) -> String {
    let mut groups: Vec<(String, Weeks, Vec<u8>)> = Vec::new();
    for weeks in [Weeks::Every, Weeks::Odd, Weeks::Even] {
        for weekday in 1..=7u8 {
            let spans: Vec<String> = hours
                .iter()
                .filter(|h| h.weekday == weekday && h.weeks == weeks)
                .map(|h| format!("{}-{}", hhmm(h.span.start), hhmm(h.span.end)))
                .collect();
            if spans.is_empty() {
                continue;
            }
            let spans = spans.join(" ");
            match groups.last_mut() {
                Some((last, w, days)) if *last == spans && *w == weeks && days.last() == Some(&(weekday - 1)) => {
                    days.push(weekday)
                }
                _ => groups.push((spans, weeks, vec![weekday])),
            }
        }
    }
    let name = |d: u8| DAYS[usize::from(d - 1)];
    groups
        .iter()
        .map(|(spans, weeks, days)| {
            let days = match days.as_slice() {
                [one] => name(*one).to_string(),
                [first, .., last] => format!("{}-{}", name(*first), name(*last)),
                [] => String::new(),
            };
            let weeks = if *weeks == Weeks::Every { String::new() } else { format!(":{}", weeks.as_str()) };
            format!("{days}{weeks} {spans}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_days(field: &str, text: &str) -> Result<Vec<u8>> {
    let day = |d: &str| {
        DAYS.iter()
            .position(|name| d.eq_ignore_ascii_case(name))
            .map(|i| i as u8 + 1)
            .ok_or_else(|| Error::refused(field, Refusal::UnknownWeekday { value: d.into() }))
    };
    match text.split_once('-') {
        Some((first, last)) => {
            let (first, last) = (day(first)?, day(last)?);
            if last < first {
                return Err(Error::refused(field, Refusal::BadWeeklyHours { value: text.into() }));
            }
            Ok((first..=last).collect())
        }
        None => text.split('/').map(day).collect(),
    }
}

fn parse_span(field: &str, text: &str) -> Result<MinuteRange> {
    let bad = || Error::refused(field, Refusal::BadWeeklyHours { value: text.into() });
    let (start, end) = text.split_once('-').ok_or_else(bad)?;
    // "24:00" ends a day that runs to midnight.
    let minute = |t: &str| if t == "24:00" { Some(1440) } else { parse_hhmm(t) };
    Ok(MinuteRange { start: minute(start).ok_or_else(bad)?, end: minute(end).ok_or_else(bad)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn span(weekday: u8, start: &str, end: &str) -> WeekdayHours {
        WeekdayHours::every_week(
            weekday,
            MinuteRange { start: parse_hhmm(start).unwrap(), end: parse_hhmm(end).unwrap() },
        )
    }

    fn reason(result: Result<impl std::fmt::Debug>) -> String {
        result.unwrap_err().refusal().map(|r| r.reason().to_string()).unwrap_or_default()
    }

    #[test]
    fn ranges_lists_and_several_spans_a_day_are_read() {
        let hours = parse_weekly_hours("availability", "mon-wed 08:00-12:00 13:00-17:00; fri/sun 09:00-13:00").unwrap();
        assert_eq!(hours.len(), 8);
        assert_eq!(hours[0], span(1, "08:00", "12:00"));
        assert_eq!(hours[1], span(1, "13:00", "17:00"));
        assert_eq!(hours[6], span(5, "09:00", "13:00"));
        assert_eq!(hours[7], span(7, "09:00", "13:00"));
        assert_eq!(format_weekly_hours(&hours), "mon-wed 08:00-12:00 13:00-17:00, fri 09:00-13:00, sun 09:00-13:00");
        assert_eq!(parse_weekly_hours("availability", &format_weekly_hours(&hours)).unwrap(), hours);
        assert!(parse_weekly_hours("availability", "  ").unwrap().is_empty());
    }

    #[test]
    fn a_bad_day_or_span_is_named() {
        assert_eq!(reason(parse_weekly_hours("a", "mon-fry 08:00-16:00")), "unknown_weekday");
        assert_eq!(reason(parse_weekly_hours("a", "fri-mon 08:00-16:00")), "bad_weekly_hours");
        assert_eq!(reason(parse_weekly_hours("a", "mon")), "bad_weekly_hours");
        assert_eq!(reason(parse_weekly_hours("a", "mon 8-16")), "bad_weekly_hours");
        assert_eq!(reason(parse_weekly_hours("a", "mon 16:00-08:00")), "bad_hours");
    }

    #[test]
    fn overlapping_spans_of_a_day_are_refused_with_both() {
        let err = parse_weekly_hours("a", "mon-fri 08:00-12:00, wed 11:00-15:00").unwrap_err();
        assert_eq!(
            err.refusal(),
            Some(&Refusal::HoursOverlap { weekday: 3, first: "08:00–12:00".into(), second: "11:00–15:00".into() })
        );
        assert_eq!(err.to_string(), "On Wednesday, 08:00–12:00 and 11:00–15:00 overlap");
        // Touching spans do not overlap.
        assert!(parse_weekly_hours("a", "mon 08:00-12:00 12:00-16:00").is_ok());
    }

    #[test]
    fn hours_outside_the_clinics_are_refused() {
        let clinic = [span(1, "08:00", "18:00"), span(2, "08:00", "12:00"), span(2, "13:00", "18:00")];
        assert!(check_within_clinic("a", "Dr Ozola", &[span(1, "08:00", "18:00"), span(2, "13:00", "17:00")], &clinic)
            .is_ok());
        let err = check_within_clinic("a", "Dr Ozola", &[span(2, "11:00", "14:00")], &clinic).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Dr Ozola's hours 11:00–14:00 on Tuesday are outside the clinic's (08:00–12:00, 13:00–18:00)"
        );
        let err = check_within_clinic("a", "Dr Ozola", &[span(6, "09:00", "12:00")], &clinic).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Dr Ozola's hours 09:00–12:00 on Saturday are outside the clinic's (closed that day)"
        );
    }

    #[test]
    fn alternating_weeks_are_read_written_and_never_overlap_each_other() {
        let hours = parse_weekly_hours("a", "mon-fri 08:00-16:00, sat:odd 09:00-13:00, sat:even 10:00-14:00").unwrap();
        let saturdays: Vec<Weeks> = hours.iter().filter(|h| h.weekday == 6).map(|h| h.weeks).collect();
        assert_eq!(saturdays, [Weeks::Odd, Weeks::Even], "an odd and an even Saturday may overlap in time");
        assert_eq!(format_weekly_hours(&hours), "mon-fri 08:00-16:00, sat:odd 09:00-13:00, sat:even 10:00-14:00");
        assert_eq!(parse_weekly_hours("a", &format_weekly_hours(&hours)).unwrap(), hours);
        assert_eq!(reason(parse_weekly_hours("a", "sat 09:00-13:00, sat:odd 12:00-14:00")), "hours_overlap");
        assert_eq!(reason(parse_weekly_hours("a", "sat:fortnightly 09:00-13:00")), "bad_weekly_hours");

        // 5 December 2026 is in ISO week 49 (odd), 12 December in week 50.
        let (odd, even) =
            (NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 12).unwrap());
        assert!(hours[hours.len() - 2].on(odd) && !hours[hours.len() - 2].on(even));
        assert!(hours[hours.len() - 1].on(even) && !hours[hours.len() - 1].on(odd));
        assert!(hours[0].on(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()), "every Monday");
    }

    #[test]
    fn alternating_weeks_alternate_across_a_53_week_year() {
        // ISO 2026 has 53 weeks: its week 53 and 2027's week 1 are both odd by number.
        let mondays: Vec<Weeks> = ["2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11"]
            .iter()
            .map(|d| Weeks::of(d.parse().unwrap()))
            .collect();
        assert_eq!(mondays, [Weeks::Even, Weeks::Odd, Weeks::Even, Weeks::Odd]);
        let sunday: NaiveDate = "2027-01-10".parse().unwrap();
        assert_eq!(Weeks::of(sunday), Weeks::Even, "a week runs Monday to Sunday");
    }
}
