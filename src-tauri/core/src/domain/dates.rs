//! Bounds on the dates and spans people enter, so that date arithmetic on them can never
//! overflow and no search runs on for centuries.

use chrono::{Datelike, Duration, NaiveDate};

use crate::error::{Error, Refusal, Result};

/// The years a clinic's dates may fall in (birth dates are checked more tightly elsewhere).
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// The longest period one search or list may span, in days (two years and a day).
pub const MAX_PERIOD_DAYS: i64 = 731;

/// `date` when it lies in the years a clinic works with; otherwise a refusal naming `field`.
pub fn check_date(field: &str, date: NaiveDate) -> Result<NaiveDate> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Ok(date);
    }
    Err(Error::refused(field, Refusal::DateRange { value: date.to_string(), first: FIRST_YEAR, last: LAST_YEAR }))
}

/// A period from `first` to `last` (inclusive) that is in range and no longer than
/// `MAX_PERIOD_DAYS`.
pub fn check_period(field: &str, first: NaiveDate, last: NaiveDate) -> Result<()> {
    check_date(field, first)?;
    check_date(field, last)?;
    if last < first {
        return Err(Error::refused(field, Refusal::PeriodReversed));
    }
    if (last - first).num_days() > MAX_PERIOD_DAYS {
        let (first, last) = (first.to_string(), last.to_string());
        return Err(Error::refused(field, Refusal::PeriodTooLong { first, last, max: MAX_PERIOD_DAYS as u32 }));
    }
    Ok(())
}

/// `date` moved by `days`, or `None` past the calendar's end.
pub fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(Duration::try_days(days)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_the_clinic_years_and_overlong_periods_are_refused() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(check_date("date", d("2026-12-01")).is_ok());
        let err = check_date("date", d("+262142-12-31")).unwrap_err();
        assert!(err.to_string().contains("outside the years 1900–2200"), "{err}");
        assert!(check_period("to", d("2026-12-01"), d("2028-12-01")).is_ok());
        assert!(check_period("to", d("2026-12-01"), d("2028-12-03"))
            .unwrap_err()
            .to_string()
            .contains("at most 731 days"));
        assert!(check_period("to", d("2026-12-02"), d("2026-12-01")).unwrap_err().to_string().contains("ends before"));
        assert_eq!(add_days(NaiveDate::MAX, 1), None);
        assert_eq!(add_days(d("2026-12-31"), 1), Some(d("2027-01-01")));
        assert_eq!(add_days(d("2026-12-31"), i64::MIN), None);
    }
}
