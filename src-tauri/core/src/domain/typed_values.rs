//! Values typed on the command line that the forms of the window take in their own fields: a
//! start ("2026-12-01T10:00" in the clinic's time, or an instant with its offset), a search's
//! "from" (a date or a start) and quiet hours ("20:00-08:00" or "none").

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use super::clinic::{parse_hhmm, ClinicCalendar, Minute, MinuteRange};
use crate::error::{Error, Refusal, Result};

/// A start as a clinic-local date and minute.
pub fn parse_start(calendar: &ClinicCalendar, text: &str) -> Result<(NaiveDate, Minute)> {
    let text = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(calendar.local_minute(instant.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Ok((local.date(), (local.hour() * 60 + local.minute()) as Minute));
        }
    }
    Err(Error::refused("start", Refusal::BadStart { value: text.into() }))
}

/// A search's "from": a date (the whole day) or a start (from that instant on).
pub fn parse_from(calendar: &ClinicCalendar, text: &str) -> Result<(NaiveDate, Option<DateTime<Utc>>)> {
    if let Ok(date) = text.trim().parse::<NaiveDate>() {
        return Ok((date, None));
    }
    let (date, minute) = parse_start(calendar, text)?;
    Ok((date, calendar.to_utc(date, minute).ok()))
}

/// Quiet hours: a span "20:00-08:00" (it may wrap midnight), or "none".
pub fn parse_quiet_hours(text: &str) -> Result<Option<MinuteRange>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let bad = || Error::refused("quiet_hours", Refusal::BadTime { value: text.into() });
    let (start, end) = text.split_once('-').ok_or_else(bad)?;
    Ok(Some(MinuteRange { start: parse_hhmm(start).ok_or_else(bad)?, end: parse_hhmm(end).ok_or_else(bad)? }))
}
