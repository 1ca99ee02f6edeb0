//! The schedule views: what the grid draws for a day (per provider or room) or a week (of one
//! provider or room).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::appointment::{no_show_from, AppointmentAction, AppointmentStatus};
use super::clinic::{ClinicCalendar, Minute, MinuteRange, WeekdayHours};
use super::resources::{Provider, Room};
use super::slots::bookable_spans;

/// Which schedule to draw: one day across all providers (or rooms), or one provider's (or
/// room's) week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleSpan {
    Day,
    Week,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleBy {
    Provider,
    Room,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScheduleQuery {
    pub date: NaiveDate,
    pub span: ScheduleSpan,
    pub by: ScheduleBy,
    /// The provider or room of a week view; the first one when absent.
    pub resource_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleView {
    pub query: ScheduleQuery,
    /// The provider or room a week view shows.
    pub resource_id: Option<Uuid>,
    pub time_zone: String,
    /// The span of the day the grid draws (working hours widened to fit every booking).
    pub frame: MinuteRange,
    pub columns: Vec<ScheduleColumn>,
    pub entries: Vec<ScheduleEntry>,
}

/// A column of the grid: a provider or room (day view) or a date (week view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleColumn {
    pub date: NaiveDate,
    pub resource_id: Uuid,
    pub title: String,
    pub subtitle: String,
    /// Why the clinic is closed that day, if it is ("closed_weekday" for a weekend).
    pub closed_reason: Option<String>,
    /// When the column's provider or room can be booked that day (clinic-local).
    pub available: Vec<MinuteRange>,
}

/// One appointment as the grid shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScheduleEntry {
    pub appointment_id: Uuid,
    /// Index into `columns`.
    pub column: u32,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_phone: String,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub service_type_id: Uuid,
    pub service_name: String,
    pub service_color: String,
    pub status: AppointmentStatus,
    pub series_index: Option<u32>,
    pub notes: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub date: NaiveDate,
    /// Clinic-local minutes since midnight, for placing the card.
    pub start_minute: Minute,
    pub end_minute: Minute,
    /// What the front desk may do with it (its status decides; see `AppointmentAction`).
    pub allowed: Vec<AppointmentAction>,
    /// From when a no-show may be marked (its start), when its status allows one.
    pub no_show_from: Option<DateTime<Utc>>,
}

/// An appointment row joined with the names the grid shows.
pub struct EntryRow {
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_phone: String,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub service_type_id: Uuid,
    pub service_name: String,
    pub service_color: String,
    pub status: AppointmentStatus,
    pub series_index: Option<u32>,
    pub notes: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A provider or room as a schedule column sees it.
pub struct Resource<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub subtitle: &'a str,
    pub availability: &'a [WeekdayHours],
}

impl<'a> From<&'a Provider> for Resource<'a> {
    fn from(p: &'a Provider) -> Self {
        Resource { id: p.id, name: &p.name, subtitle: &p.specialty, availability: &p.availability }
    }
}

impl<'a> From<&'a Room> for Resource<'a> {
    fn from(r: &'a Room) -> Self {
        Resource { id: r.id, name: &r.name, subtitle: "", availability: &r.availability }
    }
}

/// The dates a view covers: the day, or Monday to Sunday of its week.
pub fn view_dates(query: &ScheduleQuery) -> Vec<NaiveDate> {
    match query.span {
        ScheduleSpan::Day => vec![query.date],
        ScheduleSpan::Week => {
            let monday = query.date - Duration::days(query.date.weekday().num_days_from_monday() as i64);
            (0..7).map(|d| monday + Duration::days(d)).collect()
        }
    }
}

/// Lays out a day view (one column per resource) or a week view (one column per date of the
/// one resource; a weekend the clinic is closed is left out unless something is booked on it).
pub fn build_schedule(
    calendar: &ClinicCalendar,
    query: &ScheduleQuery,
    resources: &[Resource],
    rows: Vec<EntryRow>,
) -> ScheduleView {
    let column = |date: NaiveDate, r: &Resource| ScheduleColumn {
        date,
        resource_id: r.id,
        title: r.name.to_string(),
        subtitle: r.subtitle.to_string(),
        closed_reason: calendar
            .closed_reason(date)
            .map(str::to_string)
            .or_else(|| calendar.hours_on(date).is_empty().then(|| "closed_weekday".to_string())),
        available: bookable_spans(calendar, r.availability, date),
    };
    let week_resource = match query.span {
        ScheduleSpan::Day => None,
        ScheduleSpan::Week => resources.iter().find(|r| Some(r.id) == query.resource_id).or_else(|| resources.first()),
    };
    let mut columns: Vec<ScheduleColumn> = match week_resource {
        None if query.span == ScheduleSpan::Week => Vec::new(),
        None => resources.iter().map(|r| column(query.date, r)).collect(),
        Some(r) => view_dates(query).into_iter().map(|d| column(d, r)).collect(),
    };
    let by_resource = |row: &EntryRow| match query.by {
        ScheduleBy::Provider => row.provider_id,
        ScheduleBy::Room => row.room_id,
    };
    let local_dates: Vec<NaiveDate> = rows.iter().map(|r| calendar.local_date(r.starts_at)).collect();
    if query.span == ScheduleSpan::Week {
        columns.retain(|c| {
            c.closed_reason.as_deref() != Some("closed_weekday")
                || rows.iter().zip(&local_dates).any(|(r, d)| *d == c.date && by_resource(r) == c.resource_id)
        });
    }

    let day_end = 24 * 60;
    let entries: Vec<ScheduleEntry> = rows
        .into_iter()
        .zip(local_dates)
        .filter_map(|(r, date)| {
            let index = columns.iter().position(|c| c.resource_id == by_resource(&r) && c.date == date)?;
            let (_, start_minute) = calendar.local_minute(r.starts_at);
            let (end_date, end_minute) = calendar.local_minute(r.ends_at);
            let end_minute = if end_date > date { day_end } else { end_minute };
            Some(ScheduleEntry {
                appointment_id: r.appointment_id,
                column: index as u32,
                patient_id: r.patient_id,
                patient_name: r.patient_name,
                patient_phone: r.patient_phone,
                provider_id: r.provider_id,
                provider_name: r.provider_name,
                room_id: r.room_id,
                room_name: r.room_name,
                service_type_id: r.service_type_id,
                service_name: r.service_name,
                service_color: r.service_color,
                status: r.status,
                series_index: r.series_index,
                notes: r.notes,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                date,
                start_minute,
                end_minute,
                allowed: AppointmentAction::allowed(r.status),
                no_show_from: no_show_from(r.status, r.starts_at),
            })
        })
        .collect();

    let base = columns
        .iter()
        .flat_map(|c| calendar.hours_on(c.date).iter().copied())
        .reduce(|a, b| MinuteRange { start: a.start.min(b.start), end: a.end.max(b.end) })
        .or_else(|| calendar.widest_hours())
        .unwrap_or(MinuteRange { start: 8 * 60, end: 18 * 60 });
    let frame = entries.iter().fold(base, |f, e| MinuteRange {
        start: f.start.min(e.start_minute / 60 * 60),
        end: f.end.max(e.end_minute.div_ceil(60) * 60).min(day_end),
    });

    ScheduleView {
        query: query.clone(),
        resource_id: week_resource.map(|r| r.id),
        time_zone: calendar.tz.name().to_string(),
        frame,
        columns,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::ClinicSettings;
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

    fn row(start: DateTime<Utc>, minutes: i64) -> EntryRow {
        EntryRow {
            appointment_id: Uuid::from_u128(9),
            patient_id: Uuid::from_u128(8),
            patient_name: "Anna Petrova".into(),
            patient_phone: "+371 2000 0000".into(),
            provider_id: Uuid::from_u128(1),
            provider_name: "Dr 1".into(),
            room_id: Uuid::from_u128(2),
            room_name: "Room 1".into(),
            service_type_id: Uuid::from_u128(3),
            service_name: "First consultation".into(),
            service_color: "#2f7d7a".into(),
            status: AppointmentStatus::Booked,
            series_index: None,
            notes: String::new(),
            starts_at: start,
            ends_at: start + Duration::minutes(minutes),
        }
    }

    fn query(date: &str, span: ScheduleSpan, by: ScheduleBy) -> ScheduleQuery {
        ScheduleQuery { date: date.parse().unwrap(), span, by, resource_id: None }
    }

    #[test]
    fn day_view_places_cards_in_local_time_and_widens_the_frame() {
        let cal = ClinicCalendar::new(&ClinicSettings::new_clinic("T", "Europe/Riga", "en")).unwrap();
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 16, 30, 0).unwrap(); // 18:30 in Riga (UTC+2)
        let mornings = vec![WeekdayHours::every_week(2, MinuteRange { start: 480, end: 720 })];
        let providers = [provider(1, vec![]), provider(2, mornings)];
        let resources: Vec<Resource> = providers.iter().map(Resource::from).collect();
        let q = query("2026-12-01", ScheduleSpan::Day, ScheduleBy::Provider);
        let day = build_schedule(&cal, &q, &resources, vec![row(start, 45)]);
        assert_eq!(day.columns[0].closed_reason, None);
        assert_eq!((day.entries[0].column, day.entries[0].start_minute), (0, 18 * 60 + 30));
        assert_eq!(day.entries[0].end_minute, 19 * 60 + 15);
        assert_eq!(day.frame, MinuteRange { start: 480, end: 20 * 60 });
        assert_eq!(day.columns[0].available, vec![MinuteRange { start: 480, end: 1080 }]);
        assert_eq!(day.columns[1].available, vec![MinuteRange { start: 480, end: 720 }]);
    }

    #[test]
    fn a_closed_weekday_has_no_availability() {
        let cal = ClinicCalendar::new(&ClinicSettings::new_clinic("T", "Europe/Riga", "en")).unwrap();
        let providers = [provider(1, vec![])];
        let resources: Vec<Resource> = providers.iter().map(Resource::from).collect();
        let day =
            build_schedule(&cal, &query("2026-11-29", ScheduleSpan::Day, ScheduleBy::Provider), &resources, vec![]);
        assert_eq!(day.columns[0].closed_reason.as_deref(), Some("closed_weekday"));
        assert!(day.columns[0].available.is_empty());
        assert_eq!(day.frame, MinuteRange { start: 480, end: 1080 });
    }

    #[test]
    fn week_view_has_a_column_per_working_day_of_one_room() {
        let cal = ClinicCalendar::new(&ClinicSettings::new_clinic("T", "Europe/Riga", "en")).unwrap();
        let rooms = [
            Room { id: Uuid::from_u128(2), name: "Room 1".into(), active: true, availability: vec![] },
            Room { id: Uuid::from_u128(5), name: "Room 2".into(), active: true, availability: vec![] },
        ];
        let resources: Vec<Resource> = rooms.iter().map(Resource::from).collect();
        let thursday = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        let mut q = query("2026-12-02", ScheduleSpan::Week, ScheduleBy::Room);
        let week = build_schedule(&cal, &q, &resources, vec![row(thursday, 30)]);
        let dates: Vec<String> = week.columns.iter().map(|c| c.date.format("%a %d").to_string()).collect();
        assert_eq!(dates, ["Mon 30", "Tue 01", "Wed 02", "Thu 03", "Fri 04"], "closed weekend left out");
        assert_eq!((week.resource_id, week.entries[0].column), (Some(Uuid::from_u128(2)), 3));
        q.resource_id = Some(Uuid::from_u128(5));
        assert!(build_schedule(&cal, &q, &resources, vec![row(thursday, 30)]).entries.is_empty());
    }
}
