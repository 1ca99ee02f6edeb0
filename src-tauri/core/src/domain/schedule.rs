//! The schedule's day view: what the grid draws for one local date.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::appointment::AppointmentStatus;
use super::clinic::{ClinicCalendar, Minute, MinuteRange};
use super::resources::Provider;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleDay {
    pub date: NaiveDate,
    pub time_zone: String,
    /// Why the clinic is closed that day, if it is.
    pub closed_reason: Option<String>,
    pub opening_hours: Vec<MinuteRange>,
    /// The span of the day the grid draws (working hours widened to fit every booking).
    pub frame: MinuteRange,
    pub columns: Vec<ProviderColumn>,
    pub entries: Vec<ScheduleEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderColumn {
    pub provider_id: Uuid,
    pub name: String,
    pub specialty: String,
    /// When the provider can be booked that day (clinic-local).
    pub available: Vec<MinuteRange>,
}

/// One appointment as the grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleEntry {
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_phone: String,
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub room_name: String,
    pub service_name: String,
    pub service_color: String,
    pub status: AppointmentStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Clinic-local minutes since midnight, for placing the card.
    pub start_minute: Minute,
    pub end_minute: Minute,
}

/// An appointment row joined with the names the grid shows.
pub struct DayRow {
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_phone: String,
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub room_name: String,
    pub service_name: String,
    pub service_color: String,
    pub status: AppointmentStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub fn build_schedule_day(
    calendar: &ClinicCalendar,
    date: NaiveDate,
    providers: &[Provider],
    rows: Vec<DayRow>,
) -> ScheduleDay {
    let weekday = date.weekday().number_from_monday() as u8;
    let closed_reason = calendar.closed_reason(date).map(str::to_string).or_else(|| {
        calendar.hours_on(date).is_empty().then(|| "closed_weekday".to_string())
    });
    let opening_hours = calendar.hours_on(date).to_vec();
    let columns: Vec<ProviderColumn> = providers
        .iter()
        .filter(|p| p.active)
        .map(|p| {
            let available = if closed_reason.is_some() {
                Vec::new()
            } else if p.availability.is_empty() {
                opening_hours.clone()
            } else {
                p.availability.iter().filter(|a| a.weekday == weekday).map(|a| a.span).collect()
            };
            ProviderColumn { provider_id: p.id, name: p.name.clone(), specialty: p.specialty.clone(), available }
        })
        .collect();

    let day_end = 24 * 60;
    let entries: Vec<ScheduleEntry> = rows
        .into_iter()
        .map(|r| {
            let (start_date, start_minute) = calendar.local_minute(r.starts_at);
            let (end_date, end_minute) = calendar.local_minute(r.ends_at);
            let start_minute = if start_date < date { 0 } else { start_minute };
            let end_minute = if end_date > date { day_end } else { end_minute };
            ScheduleEntry {
                appointment_id: r.appointment_id,
                patient_id: r.patient_id,
                patient_name: r.patient_name,
                patient_phone: r.patient_phone,
                provider_id: r.provider_id,
                room_id: r.room_id,
                room_name: r.room_name,
                service_name: r.service_name,
                service_color: r.service_color,
                status: r.status,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                start_minute,
                end_minute,
            }
        })
        .collect();

    let base = opening_hours
        .iter()
        .copied()
        .reduce(|a, b| MinuteRange { start: a.start.min(b.start), end: a.end.max(b.end) })
        .or_else(|| calendar.widest_hours())
        .unwrap_or(MinuteRange { start: 8 * 60, end: 18 * 60 });
    let frame = entries.iter().fold(base, |f, e| MinuteRange {
        start: f.start.min(e.start_minute / 60 * 60),
        end: f.end.max(e.end_minute.div_ceil(60) * 60).min(day_end),
    });

    ScheduleDay {
        date,
        time_zone: calendar.tz.name().to_string(),
        closed_reason,
        opening_hours,
        frame,
        columns,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::{ClinicSettings, WeekdayHours};
    use chrono::TimeZone;

    fn provider(n: u128, availability: Vec<WeekdayHours>) -> Provider {
        Provider {
            id: Uuid::from_u128(n),
            name: format!("Dr {n}"),
            specialty: "GP".into(),
            staff_id: None,
            home_room_id: None,
            active: true,
            availability,
        }
    }

    fn row(start: DateTime<Utc>, minutes: i64) -> DayRow {
        DayRow {
            appointment_id: Uuid::from_u128(9),
            patient_id: Uuid::from_u128(8),
            patient_name: "Anna Petrova".into(),
            patient_phone: "+371 2000 0000".into(),
            provider_id: Uuid::from_u128(1),
            room_id: Uuid::from_u128(2),
            room_name: "Room 1".into(),
            service_name: "First consultation".into(),
            service_color: "#2f7d7a".into(),
            status: AppointmentStatus::Booked,
            starts_at: start,
            ends_at: start + chrono::Duration::minutes(minutes),
        }
    }

    #[test]
    fn day_view_places_cards_in_local_time_and_widens_the_frame() {
        let cal = ClinicCalendar::new(&ClinicSettings::new_clinic("T", "Europe/Riga", "en")).unwrap();
        let date: NaiveDate = "2026-12-01".parse().unwrap();
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 16, 30, 0).unwrap(); // 18:30 in Riga (UTC+2)
        let mornings = vec![WeekdayHours { weekday: 2, span: MinuteRange { start: 480, end: 720 } }];
        let day = build_schedule_day(&cal, date, &[provider(1, vec![]), provider(2, mornings)], vec![row(start, 45)]);
        assert_eq!(day.closed_reason, None);
        assert_eq!(day.entries[0].start_minute, 18 * 60 + 30);
        assert_eq!(day.entries[0].end_minute, 19 * 60 + 15);
        assert_eq!(day.frame, MinuteRange { start: 480, end: 20 * 60 });
        assert_eq!(day.columns[0].available, vec![MinuteRange { start: 480, end: 1080 }]);
        assert_eq!(day.columns[1].available, vec![MinuteRange { start: 480, end: 720 }]);
    }

    #[test]
    fn a_closed_weekday_has_no_availability() {
        let cal = ClinicCalendar::new(&ClinicSettings::new_clinic("T", "Europe/Riga", "en")).unwrap();
        let day = build_schedule_day(&cal, "2026-11-29".parse().unwrap(), &[provider(1, vec![])], vec![]);
        assert_eq!(day.closed_reason.as_deref(), Some("closed_weekday"));
        assert!(day.columns[0].available.is_empty());
        assert_eq!(day.frame, MinuteRange { start: 480, end: 1080 });
    }
}
