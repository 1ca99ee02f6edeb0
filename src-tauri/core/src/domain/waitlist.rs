//! The waitlist: patients who want an earlier or a particular slot, and which of them a slot
//! freed by a cancellation can be offered to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::clinic::Minute;
use super::slots::PartOfDay;
use crate::error::{Error, Refusal, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WaitlistStatus {
    Waiting,
    Booked,
    Removed,
}

impl WaitlistStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Booked => "booked",
            Self::Removed => "removed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Waiting, Self::Booked, Self::Removed].into_iter().find(|s| s.as_str() == text)
    }
}

/// What the front desk fills in to put a patient on the waitlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewWaitlistEntry {
    pub patient_id: Uuid,
    pub service_type_id: Uuid,
    /// A particular provider, or anyone.
    pub provider_id: Option<Uuid>,
    pub earliest_date: NaiveDate,
    pub latest_date: NaiveDate,
    pub part_of_day: Option<PartOfDay>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WaitlistEntry {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_phone: String,
    pub service_type_id: Uuid,
    pub service_name: String,
    pub provider_id: Option<Uuid>,
    pub provider_name: Option<String>,
    pub earliest_date: NaiveDate,
    pub latest_date: NaiveDate,
    pub part_of_day: Option<PartOfDay>,
    pub notes: String,
    pub status: WaitlistStatus,
    pub created_at: DateTime<Utc>,
}

/// Checks a new entry: a real period that has not ended.
pub fn check_new_entry(entry: &NewWaitlistEntry, today: NaiveDate) -> Result<()> {
    super::dates::check_date("earliest_date", entry.earliest_date)?;
    super::dates::check_date("latest_date", entry.latest_date)?;
    if entry.latest_date < entry.earliest_date {
        return Err(Error::refused("latest_date", Refusal::PeriodReversed));
    }
    if entry.latest_date < today {
        return Err(Error::refused("latest_date", Refusal::PeriodOver));
    }
    super::limits::check_length("notes", "The note", entry.notes.trim(), super::limits::NOTE)?;
    Ok(())
}

/// A slot a cancellation has just freed, in clinic-local terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FreedSlot {
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub date: NaiveDate,
    /// "HH:MM", clinic-local.
    pub start_time: String,
    pub start_minute: Minute,
    pub length_minutes: u32,
}

/// Whether the freed slot suits a waiting entry: its period, provider, part of day, and room for
/// the entry's service (`duration_minutes`) in the freed time.
pub fn suits(entry: &WaitlistEntry, duration_minutes: u32, slot: &FreedSlot) -> bool {
    entry.status == WaitlistStatus::Waiting
        && (entry.earliest_date..=entry.latest_date).contains(&slot.date)
        && entry.provider_id.is_none_or(|p| p == slot.provider_id)
        && entry.part_of_day.is_none_or(|p| p.contains(slot.start_minute))
        && duration_minutes <= slot.length_minutes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> WaitlistEntry {
        WaitlistEntry {
            id: Uuid::from_u128(1),
            patient_id: Uuid::from_u128(2),
            patient_name: "Anna Petrova".into(),
            patient_phone: "+371 2000 0000".into(),
            service_type_id: Uuid::from_u128(3),
            service_name: "Follow-up visit".into(),
            provider_id: Some(Uuid::from_u128(4)),
            provider_name: Some("Dr Ivanova".into()),
            earliest_date: "2026-12-01".parse().unwrap(),
            latest_date: "2026-12-10".parse().unwrap(),
            part_of_day: Some(PartOfDay::Morning),
            notes: String::new(),
            status: WaitlistStatus::Waiting,
            created_at: DateTime::default(),
        }
    }

    fn freed(date: &str, minute: Minute, provider: u128, length: u32) -> FreedSlot {
        FreedSlot {
            provider_id: Uuid::from_u128(provider),
            room_id: Uuid::from_u128(9),
            date: date.parse().unwrap(),
            start_time: super::super::clinic::hhmm(minute),
            start_minute: minute,
            length_minutes: length,
        }
    }

    #[test]
    fn a_freed_slot_suits_entries_whose_wishes_it_meets() {
        assert!(suits(&entry(), 20, &freed("2026-12-03", 600, 4, 40)));
        assert!(!suits(&entry(), 20, &freed("2026-12-11", 600, 4, 40)), "after the period");
        assert!(!suits(&entry(), 20, &freed("2026-12-03", 600, 5, 40)), "another provider");
        assert!(!suits(&entry(), 20, &freed("2026-12-03", 14 * 60, 4, 40)), "an afternoon");
        assert!(!suits(&entry(), 60, &freed("2026-12-03", 600, 4, 40)), "too short for the service");
        let anyone = WaitlistEntry { provider_id: None, part_of_day: None, ..entry() };
        assert!(suits(&anyone, 40, &freed("2026-12-01", 17 * 60, 5, 40)));
        let booked = WaitlistEntry { status: WaitlistStatus::Booked, ..entry() };
        assert!(!suits(&booked, 20, &freed("2026-12-03", 600, 4, 40)));
    }

    #[test]
    fn a_new_entry_needs_a_period_that_has_not_ended() {
        let today: NaiveDate = "2026-11-24".parse().unwrap();
        let mut new = NewWaitlistEntry {
            patient_id: Uuid::from_u128(2),
            service_type_id: Uuid::from_u128(3),
            provider_id: None,
            earliest_date: "2026-12-05".parse().unwrap(),
            latest_date: "2026-12-01".parse().unwrap(),
            part_of_day: None,
            notes: String::new(),
        };
        assert_eq!(check_new_entry(&new, today).unwrap_err().to_string(), "The period ends before it starts");
        new.earliest_date = "2026-11-01".parse().unwrap();
        new.latest_date = "2026-11-20".parse().unwrap();
        assert_eq!(check_new_entry(&new, today).unwrap_err().to_string(), "The period has already ended");
        new.latest_date = "2026-11-30".parse().unwrap();
        assert!(check_new_entry(&new, today).is_ok());
    }
}
