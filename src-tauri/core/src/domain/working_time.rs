//! When the front desk may contact patients: working hours, not on closed days, outside quiet
//! hours — and moving a due time into such a moment, in the clinic's zone (DST safe).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::clinic::{ClinicCalendar, Minute, MinuteRange};

/// Which way a due time may move to reach working time: tasks before their anchor move
/// earlier (a reminder must not slip past the visit), tasks after it move later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapDirection {
    Earlier,
    Later,
}

/// How far snapping looks for a working day before giving up (a clinic closed for a year).
const SEARCH_DAYS: i64 = 366;

impl ClinicCalendar {
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.closed_reason(date).is_none() && !self.hours_on(date).is_empty()
    }

    /// Spans of `date` when patients may be contacted: working hours minus quiet hours.
    pub fn contact_spans(&self, date: NaiveDate) -> Vec<MinuteRange> {
        if self.closed_reason(date).is_some() {
            return Vec::new();
        }
        let quiet = self.quiet.map(split_over_midnight).unwrap_or_default();
        let mut spans: Vec<MinuteRange> = self.hours_on(date).to_vec();
        for q in quiet {
            spans = spans.into_iter().flat_map(|s| subtract(s, q)).collect();
        }
        spans
    }

    /// The date `n` working days after (or, negative, before) `date`; 0 is `date` itself.
    /// `None` past the calendar's end.
    pub fn add_working_days(&self, date: NaiveDate, n: i32) -> Option<NaiveDate> {
        let step = if n < 0 { -1 } else { 1 };
        let mut day = date;
        let mut left = n.unsigned_abs();
        let mut guard = 0;
        while left > 0 && guard < SEARCH_DAYS * 4 {
            day = super::dates::add_days(day, step)?;
            guard += 1;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// The instant of a local wall time; a time skipped by the clocks changing moves on to the
    /// first minute that exists.
    pub fn wall_time(&self, date: NaiveDate, minute: Minute) -> DateTime<Utc> {
        (minute..minute.saturating_add(180).min(1439))
            .step_by(15)
            .find_map(|m| self.to_utc(date, m).ok())
            .unwrap_or_else(|| self.day_bounds(date).0)
    }

    /// Moves `t` into contact time. Inside it, `t` stays. Otherwise, on the same day it goes to
    /// the next opening (later) or to an hour before the last closing before it (earlier); on
    /// another day it keeps its wall time if that is open, else takes the day's first opening.
    /// A calendar with no working time at all leaves `t` as it is.
    pub fn snap(&self, t: DateTime<Utc>, direction: SnapDirection) -> DateTime<Utc> {
        let (date, minute) = self.local_minute(t);
        let today = self.contact_spans(date);
        if today.iter().any(|s| s.start <= minute && minute < s.end) {
            return t;
        }
        let same_day = match direction {
            SnapDirection::Later => today.iter().find(|s| s.start > minute).map(|s| s.start),
            SnapDirection::Earlier => {
                today.iter().rev().find(|s| s.end <= minute).map(|s| s.start.max(s.end.saturating_sub(60)))
            }
        };
        if let Some(m) = same_day {
            return self.wall_time(date, m);
        }
        let step = if direction == SnapDirection::Later { 1 } else { -1 };
        for offset in 1..=SEARCH_DAYS {
            let day = date + Duration::days(step * offset);
            let spans = self.contact_spans(day);
            let Some(first) = spans.first() else { continue };
            let m = if spans.iter().any(|s| s.start <= minute && minute < s.end) { minute } else { first.start };
            return self.wall_time(day, m);
        }
        t
    }
}

/// Quiet hours may wrap midnight (20:00–08:00): as spans of one day.
fn split_over_midnight(q: MinuteRange) -> Vec<MinuteRange> {
    if q.start < q.end {
        vec![q]
    } else if q.start == q.end {
        Vec::new()
    } else {
        vec![MinuteRange { start: 0, end: q.end }, MinuteRange { start: q.start, end: 24 * 60 }]
    }
}

fn subtract(span: MinuteRange, cut: MinuteRange) -> Vec<MinuteRange> {
    if cut.end <= span.start || span.end <= cut.start {
        return vec![span];
    }
    let mut left = Vec::new();
    if span.start < cut.start {
        left.push(MinuteRange { start: span.start, end: cut.start });
    }
    if cut.end < span.end {
        left.push(MinuteRange { start: cut.end, end: span.end });
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::{ClinicSettings, ClosedDay};

    fn calendar(edit: impl FnOnce(&mut ClinicSettings)) -> ClinicCalendar {
        let mut settings = ClinicSettings::new_clinic("Test", "Europe/Riga", "en");
        edit(&mut settings);
        ClinicCalendar::new(&settings).unwrap()
    }

    fn local(cal: &ClinicCalendar, text: &str) -> DateTime<Utc> {
        let (date, time) = text.split_once(' ').unwrap();
        cal.to_utc(date.parse().unwrap(), crate::domain::clinic::parse_hhmm(time).unwrap()).unwrap()
    }

    fn text(cal: &ClinicCalendar, t: DateTime<Utc>) -> String {
        cal.to_local_text(t)
    }

    #[test]
    fn inside_working_time_nothing_moves() {
        let cal = calendar(|_| {});
        let t = local(&cal, "2026-11-24 10:00");
        assert_eq!(cal.snap(t, SnapDirection::Later), t);
        assert_eq!(cal.snap(t, SnapDirection::Earlier), t);
    }

    #[test]
    fn a_saturday_moves_to_monday_morning_or_back_to_friday() {
        let cal = calendar(|_| {});
        let saturday = local(&cal, "2026-11-28 10:00");
        assert_eq!(text(&cal, cal.snap(saturday, SnapDirection::Later)), "Mon 30 Nov 2026 10:00");
        assert_eq!(text(&cal, cal.snap(saturday, SnapDirection::Earlier)), "Fri 27 Nov 2026 10:00");
        let sunday_night = local(&cal, "2026-11-29 21:30");
        assert_eq!(text(&cal, cal.snap(sunday_night, SnapDirection::Later)), "Mon 30 Nov 2026 08:00");
    }

    #[test]
    fn closed_days_are_skipped() {
        let cal = calendar(|s| {
            s.closed_days.push(ClosedDay {
                date: "2026-12-24".parse().unwrap(),
                reason: "Christmas Eve".into(),
                yearly: false,
            });
            s.closed_days.push(ClosedDay {
                date: "2026-12-25".parse().unwrap(),
                reason: "Christmas".into(),
                yearly: false,
            });
        });
        let t = local(&cal, "2026-12-24 11:00");
        assert_eq!(text(&cal, cal.snap(t, SnapDirection::Later)), "Mon 28 Dec 2026 11:00");
        assert_eq!(text(&cal, cal.snap(t, SnapDirection::Earlier)), "Wed 23 Dec 2026 11:00");
        assert_eq!(
            cal.add_working_days("2026-12-28".parse().unwrap(), -2),
            Some("2026-12-22".parse::<NaiveDate>().unwrap())
        );
    }

    #[test]
    fn after_closing_moves_to_next_opening_or_an_hour_before_closing() {
        let cal = calendar(|_| {});
        let evening = local(&cal, "2026-11-24 19:00");
        assert_eq!(text(&cal, cal.snap(evening, SnapDirection::Later)), "Wed 25 Nov 2026 08:00");
        assert_eq!(text(&cal, cal.snap(evening, SnapDirection::Earlier)), "Tue 24 Nov 2026 17:00");
        let early = local(&cal, "2026-11-24 06:30");
        assert_eq!(text(&cal, cal.snap(early, SnapDirection::Later)), "Tue 24 Nov 2026 08:00");
        assert_eq!(text(&cal, cal.snap(early, SnapDirection::Earlier)), "Mon 23 Nov 2026 08:00");
    }

    #[test]
    fn quiet_hours_cut_into_late_opening_hours() {
        let cal = calendar(|s| {
            s.working_hours.iter_mut().for_each(|h| h.span.end = 21 * 60);
            s.quiet_hours = Some(MinuteRange { start: 19 * 60 + 30, end: 8 * 60 });
        });
        assert_eq!(cal.contact_spans("2026-11-24".parse().unwrap()), [MinuteRange { start: 480, end: 1170 }]);
        let t = local(&cal, "2026-11-24 20:00");
        assert_eq!(text(&cal, cal.snap(t, SnapDirection::Later)), "Wed 25 Nov 2026 08:00");
        assert_eq!(text(&cal, cal.snap(t, SnapDirection::Earlier)), "Tue 24 Nov 2026 18:30");
    }

    #[test]
    fn snapping_across_the_autumn_clock_change_keeps_the_wall_time() {
        // Riga: clocks go back on Sunday 25 Oct 2026; Saturday 10:00 (UTC+3) → Monday 10:00 (UTC+2).
        let cal = calendar(|_| {});
        let saturday = local(&cal, "2026-10-24 10:00");
        let monday = cal.snap(saturday, SnapDirection::Later);
        assert_eq!(text(&cal, monday), "Mon 26 Oct 2026 10:00");
        assert_eq!(monday.to_rfc3339(), "2026-10-26T08:00:00+00:00");
        assert_eq!((monday - saturday).num_hours(), 49);
    }

    #[test]
    fn working_days_count_only_open_days() {
        let cal = calendar(|_| {});
        let monday: NaiveDate = "2026-11-30".parse().unwrap();
        assert_eq!(cal.add_working_days(monday, -2), Some("2026-11-26".parse::<NaiveDate>().unwrap())); // Thursday
        assert_eq!(cal.add_working_days(monday, 1), Some("2026-12-01".parse::<NaiveDate>().unwrap()));
        assert_eq!(cal.add_working_days(monday, 0), Some(monday));
        let friday: NaiveDate = "2026-11-27".parse().unwrap();
        assert_eq!(cal.add_working_days(friday, 1), Some(monday));
    }
}
