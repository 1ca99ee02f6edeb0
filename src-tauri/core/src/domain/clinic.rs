//! The clinic's calendar: its time zone, working hours, closed days and quiet hours, and the
//! conversions between UTC instants and the clinic's local dates and times (DST safe).

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Refusal, Result};

/// Minutes since local midnight.
pub type Minute = u16;

/// A span of local time on one day, `[start, end)` in minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MinuteRange {
    pub start: Minute,
    pub end: Minute,
}

impl MinuteRange {
    pub fn contains(&self, other: MinuteRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl std::fmt::Display for MinuteRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", hhmm(self.start), hhmm(self.end))
    }
}

pub fn hhmm(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Parses "HH:MM" into minutes since midnight.
pub fn parse_hhmm(text: &str) -> Option<Minute> {
    use chrono::Timelike;
    let time = NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()?;
    Some((time.hour() * 60 + time.minute()) as Minute)
}

/// Working hours of one weekday (1 = Monday … 7 = Sunday); a day may have several spans
/// (e.g. a lunch break), and a weekday with none is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WeekdayHours {
    pub weekday: u8,
    pub span: MinuteRange,
    /// Every week, or (a provider's or room's hours) every other week.
    #[serde(default)]
    pub weeks: Weeks,
}

impl WeekdayHours {
    /// A span that repeats every week.
    pub fn every_week(weekday: u8, span: MinuteRange) -> Self {
        WeekdayHours { weekday, span, weeks: Weeks::Every }
    }

    /// Whether these hours apply on `date`.
    pub fn on(&self, date: NaiveDate) -> bool {
        u32::from(self.weekday) == date.weekday().number_from_monday() && self.weeks.includes(date)
    }
}

/// Which weeks hours repeat in. Alternating weeks are counted without a break from Monday
/// 1 January 2024 (an odd week), so a fortnightly rota never repeats a week at New Year as ISO
/// week numbers would after a 53-week year; the window names them "from this week" and "from
/// next week".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Weeks {
    #[default]
    Every,
    Odd,
    Even,
}

impl Weeks {
    pub fn as_str(self) -> &'static str {
        match self {
            Weeks::Every => "every",
            Weeks::Odd => "odd",
            Weeks::Even => "even",
        }
    }

    pub fn parse(text: &str) -> Option<Weeks> {
        [Weeks::Every, Weeks::Odd, Weeks::Even].into_iter().find(|w| w.as_str() == text)
    }

    /// The alternating week `date` falls in.
    pub fn of(date: NaiveDate) -> Weeks {
        let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a Monday");
        if (date - first).num_days().div_euclid(7) % 2 == 0 {
            Weeks::Odd
        } else {
            Weeks::Even
        }
    }

    pub fn includes(self, date: NaiveDate) -> bool {
        let odd = Weeks::of(date) == Weeks::Odd;
        match self {
            Weeks::Every => true,
            Weeks::Odd => odd,
            Weeks::Even => !odd,
        }
    }

    /// Whether two spans of these weeks can fall in the same week.
    pub fn meets(self, other: Weeks) -> bool {
        self == Weeks::Every || other == Weeks::Every || self == other
    }
}

/// A day the clinic is closed: once, or every year on the same date from `date` on (a public
/// holiday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClosedDay {
    pub date: NaiveDate,
    pub reason: String,
    #[serde(default)]
    pub yearly: bool,
}

impl ClosedDay {
    pub fn once(date: NaiveDate, reason: &str) -> Self {
        ClosedDay { date, reason: reason.into(), yearly: false }
    }

    pub fn falls_on(&self, day: NaiveDate) -> bool {
        self.date == day
            || (self.yearly && day > self.date && day.month() == self.date.month() && day.day() == self.date.day())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClinicSettings {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    /// IANA zone, e.g. "Europe/Riga".
    pub time_zone: String,
    pub default_language: String,
    pub working_hours: Vec<WeekdayHours>,
    pub closed_days: Vec<ClosedDay>,
    /// No calls or messages inside this span (may wrap midnight).
    pub quiet_hours: Option<MinuteRange>,
}

impl ClinicSettings {
    /// A new clinic: Monday–Friday 08:00–18:00, quiet hours 20:00–08:00.
    pub fn new_clinic(name: &str, time_zone: &str, language: &str) -> Self {
        let working_hours = (1..=5)
            .map(|weekday| WeekdayHours::every_week(weekday, MinuteRange { start: 8 * 60, end: 18 * 60 }))
            .collect();
        ClinicSettings {
            name: name.into(),
            address: String::new(),
            phone: String::new(),
            time_zone: time_zone.into(),
            default_language: language.into(),
            working_hours,
            closed_days: Vec::new(),
            quiet_hours: Some(MinuteRange { start: 20 * 60, end: 8 * 60 }),
        }
    }
}

pub fn parse_time_zone(name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| Error::refused("time_zone", Refusal::UnknownTimeZone { value: name.into() }))
}

/// The clinic's settings made ready for date and time questions.
#[derive(Debug, Clone)]
pub struct ClinicCalendar {
    pub tz: Tz,
    hours: [Vec<MinuteRange>; 7],
    closed: Vec<ClosedDay>,
    pub(super) quiet: Option<MinuteRange>,
}

impl ClinicCalendar {
    pub fn new(settings: &ClinicSettings) -> Result<Self> {
        let tz = parse_time_zone(&settings.time_zone)?;
        let mut hours: [Vec<MinuteRange>; 7] = Default::default();
        for wh in &settings.working_hours {
            if !(1..=7).contains(&wh.weekday) {
                return Err(Error::Corrupt(format!("weekday {} out of range", wh.weekday)));
            }
            hours[wh.weekday as usize - 1].push(wh.span);
        }
        for day in &mut hours {
            day.sort_by_key(|span| span.start);
        }
        Ok(ClinicCalendar { tz, hours, closed: settings.closed_days.clone(), quiet: settings.quiet_hours })
    }

    /// Working spans on `date` (empty on a closed weekday; closed days are asked separately).
    pub fn hours_on(&self, date: NaiveDate) -> &[MinuteRange] {
        &self.hours[date.weekday().number_from_monday() as usize - 1]
    }

    pub fn closed_reason(&self, date: NaiveDate) -> Option<&str> {
        self.closed.iter().find(|c| c.falls_on(date)).map(|c| c.reason.as_str())
    }

    /// The earliest opening and latest closing of any weekday: the frame a schedule draws.
    pub fn widest_hours(&self) -> Option<MinuteRange> {
        let spans = self.hours.iter().flatten();
        let start = spans.clone().map(|s| s.start).min()?;
        let end = spans.map(|s| s.end).max()?;
        Some(MinuteRange { start, end })
    }

    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.tz).date_naive()
    }

    /// An instant as the clinic reads it, e.g. "Tue 01 Dec 2026 10:00".
    pub fn to_local_text(&self, instant: DateTime<Utc>) -> String {
        instant.with_timezone(&self.tz).format("%a %d %b %Y %H:%M").to_string()
    }

    /// Local date and minute of day of an instant.
    pub fn local_minute(&self, instant: DateTime<Utc>) -> (NaiveDate, Minute) {
        use chrono::Timelike;
        let local = instant.with_timezone(&self.tz);
        (local.date_naive(), (local.hour() * 60 + local.minute()) as Minute)
    }

    /// The instant of a local wall-clock time. A time skipped by a clock change is refused with
    /// a clear message; a repeated one (clocks going back) means its first occurrence.
    pub fn to_utc(&self, date: NaiveDate, minute: Minute) -> Result<DateTime<Utc>> {
        let naive = date
            .and_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0)
            .ok_or_else(|| Error::refused("time", Refusal::BadTime { value: hhmm(minute) }))?;
        match self.tz.from_local_datetime(&naive) {
            LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
            LocalResult::None => Err(Error::refused(
                "time",
                Refusal::DstGap { time: hhmm(minute), date: date.to_string(), zone: self.tz.name().into() },
            )),
        }
    }

    /// `[start, end)` of a local calendar day in UTC (23 or 25 hours on clock-change days).
    pub fn day_bounds(&self, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.start_of_day(date), self.start_of_day(date + Duration::days(1)))
    }

    fn start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        // Midnight itself can be skipped in a few zones; then the day starts at the first
        // instant after the gap.
        (0..=120)
            .find_map(|minute| self.to_utc(date, minute).ok())
            .unwrap_or_else(|| Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(tz: &str) -> ClinicCalendar {
        ClinicCalendar::new(&ClinicSettings::new_clinic("Test", tz, "en")).unwrap()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn local_time_round_trips_through_utc() {
        let cal = calendar("Europe/Riga");
        let at = cal.to_utc(date("2026-07-01"), 10 * 60).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-07-01T07:00:00+00:00"); // EEST = UTC+3
        assert_eq!(cal.local_minute(at), (date("2026-07-01"), 600));
    }

    #[test]
    fn skipped_hour_in_spring_is_refused_with_a_reason() {
        let cal = calendar("Europe/Riga"); // 2026-03-29 03:00 -> 04:00
        let err = cal.to_utc(date("2026-03-29"), 3 * 60 + 30).unwrap_err();
        assert_eq!(err.kind(), "invalid");
        assert!(err.to_string().contains("clocks change"), "{err}");
        assert!(cal.to_utc(date("2026-03-29"), 4 * 60).is_ok());
    }

    #[test]
    fn a_yearly_closed_day_recurs_from_its_first_year_on() {
        let mut settings = ClinicSettings::new_clinic("Test", "Europe/Kyiv", "uk");
        settings.closed_days.push(ClosedDay {
            date: date("2026-08-24"),
            reason: "Independence Day".into(),
            yearly: true,
        });
        settings.closed_days.push(ClosedDay::once(date("2026-12-28"), "Inventory"));
        let cal = ClinicCalendar::new(&settings).unwrap();
        assert_eq!(cal.closed_reason(date("2026-08-24")), Some("Independence Day"));
        assert_eq!(cal.closed_reason(date("2031-08-24")), Some("Independence Day"));
        assert_eq!(cal.closed_reason(date("2025-08-24")), None);
        assert_eq!(cal.closed_reason(date("2027-08-25")), None);
        assert_eq!(cal.closed_reason(date("2027-12-28")), None);
    }

    #[test]
    fn repeated_hour_in_autumn_means_the_first_one() {
        let cal = calendar("Europe/Riga"); // 2026-10-25 04:00 -> 03:00
        let at = cal.to_utc(date("2026-10-25"), 3 * 60 + 30).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn clock_change_days_have_23_and_25_hours() {
        let cal = calendar("Europe/Riga");
        let (s, e) = cal.day_bounds(date("2026-03-29"));
        assert_eq!((e - s).num_hours(), 23);
        let (s, e) = cal.day_bounds(date("2026-10-25"));
        assert_eq!((e - s).num_hours(), 25);
    }

    #[test]
    fn weekday_hours_and_closed_days() {
        let mut settings = ClinicSettings::new_clinic("Test", "Europe/Riga", "en");
        settings.closed_days.push(ClosedDay { date: date("2026-12-25"), reason: "Christmas".into(), yearly: false });
        let cal = ClinicCalendar::new(&settings).unwrap();
        assert_eq!(cal.hours_on(date("2026-11-23")), &[MinuteRange { start: 480, end: 1080 }]); // Monday
        assert!(cal.hours_on(date("2026-11-22")).is_empty()); // Sunday
        assert_eq!(cal.closed_reason(date("2026-12-25")), Some("Christmas"));
        assert_eq!(cal.closed_reason(date("2026-12-24")), None);
    }

    #[test]
    fn unknown_time_zone_is_a_clear_error() {
        let err = parse_time_zone("Mars/Olympus").unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"));
    }

    #[test]
    fn hhmm_parses_and_formats() {
        assert_eq!(parse_hhmm("09:05"), Some(545));
        assert_eq!(parse_hhmm("25:00"), None);
        assert_eq!(hhmm(545), "09:05");
        assert_eq!(MinuteRange { start: 480, end: 1080 }.to_string(), "08:00–18:00");
    }
}
