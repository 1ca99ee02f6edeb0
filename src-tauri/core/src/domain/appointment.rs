//! Appointments, their statuses, and the rules a booking must pass: the clinic is open, the
//! provider and room are available and free, and the patient is not booked twice.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::clinic::{hhmm, parse_hhmm, ClinicCalendar, MinuteRange, WeekdayHours};
use super::resources::{BlockedPeriod, Provider, Room};
use crate::error::{Error, Refusal, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Proposed,
    Booked,
    Confirmed,
    Arrived,
    InProgress,
    Fulfilled,
    Cancelled,
    Noshow,
    Waitlist,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 9] = [
        Self::Proposed,
        Self::Booked,
        Self::Confirmed,
        Self::Arrived,
        Self::InProgress,
        Self::Fulfilled,
        Self::Cancelled,
        Self::Noshow,
        Self::Waitlist,
    ];

    /// Waiting for its time and holding its slot: what a change of hours can strand.
    pub fn awaits_visit(self) -> bool {
        matches!(self, Self::Proposed | Self::Booked | Self::Confirmed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Booked => "booked",
            Self::Confirmed => "confirmed",
            Self::Arrived => "arrived",
            Self::InProgress => "in_progress",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
            Self::Noshow => "noshow",
            Self::Waitlist => "waitlist",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// FHIR R4 Appointment.status (a confirmed visit is still "booked" there).
    pub fn fhir(self) -> &'static str {
        match self {
            Self::Confirmed => "booked",
            Self::InProgress => "checked-in",
            other => other.as_str(),
        }
    }

    /// Whether an appointment in this status holds its provider, room and patient.
    pub fn holds_slot(self) -> bool {
        !matches!(self, Self::Cancelled | Self::Noshow | Self::Waitlist)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Appointment {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub service_type_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub cancel_reason: Option<String>,
    pub notes: String,
    /// The recurring series this is one occurrence of, and which one (1-based).
    pub series_id: Option<Uuid>,
    pub series_index: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the booking form sends: a local date and time in the clinic's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookingRequest {
    pub patient_id: Uuid,
    pub service_type_id: Uuid,
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub date: NaiveDate,
    /// "HH:MM", clinic-local.
    pub start_time: String,
    pub notes: String,
}

/// Moves a booking to another time, and optionally another provider or room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RescheduleRequest {
    pub appointment_id: Uuid,
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub date: NaiveDate,
    /// "HH:MM", clinic-local.
    pub start_time: String,
}

/// What the front desk may do with an appointment. The schedule sends, with each visit, the
/// ones its status allows (`allowed_for`), and the store refuses the others with that same test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentAction {
    Reschedule,
    Cancel,
    NoShow,
}

impl AppointmentAction {
    pub const ALL: [AppointmentAction; 3] =
        [AppointmentAction::Reschedule, AppointmentAction::Cancel, AppointmentAction::NoShow];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reschedule => "reschedule",
            Self::Cancel => "cancel",
            Self::NoShow => "no_show",
        }
    }

    /// Whether an appointment in `status` may take this action: only open bookings move; they
    /// and a patient who has arrived can be cancelled; a no-show is for a booked or confirmed
    /// visit (and only from its start, see `no_show_from`).
    pub fn allowed_for(self, status: AppointmentStatus) -> bool {
        use AppointmentStatus::*;
        let open = matches!(status, Proposed | Booked | Confirmed | Waitlist);
        match self {
            AppointmentAction::Reschedule => open,
            AppointmentAction::Cancel => open || status == Arrived,
            AppointmentAction::NoShow => matches!(status, Booked | Confirmed),
        }
    }

    /// The actions `status` allows.
    pub fn allowed(status: AppointmentStatus) -> Vec<AppointmentAction> {
        Self::ALL.into_iter().filter(|action| action.allowed_for(status)).collect()
    }
}

/// From when a no-show may be marked: the visit's start, if its status allows one at all.
pub fn no_show_from(status: AppointmentStatus, starts_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    AppointmentAction::NoShow.allowed_for(status).then_some(starts_at)
}

/// Whether `a` may change as asked at `now`, by the rules the schedule shows (`allowed_for`,
/// `no_show_from`); a refusal says why.
pub fn check_status_change(
    a: &Appointment,
    change: AppointmentAction,
    now: DateTime<Utc>,
    patient_name: &str,
) -> Result<()> {
    if !change.allowed_for(a.status) {
        let refusal = Refusal::Status {
            patient: patient_name.into(),
            status: a.status.as_str().into(),
            action: change.as_str().into(),
        };
        return Err(Error::refused("status", refusal));
    }
    match change {
        AppointmentAction::NoShow if no_show_from(a.status, a.starts_at).is_some_and(|from| now < from) => {
            Err(Error::refused("status", Refusal::NotStarted { patient: patient_name.into() }))
        }
        _ => Ok(()),
    }
}

/// A cancellation must say why; the reason is kept with the appointment.
pub fn check_cancel_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::refused("reason", Refusal::CancelReasonRequired));
    }
    super::limits::check_length("reason", "The reason", reason, super::limits::REASON)?;
    Ok(reason.to_string())
}

/// An existing booking that may clash with a new one, with the names a refusal quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedSlot {
    pub appointment_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub room_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Everything a booking is checked against; the store gathers it, the domain decides.
pub struct BookingContext<'a> {
    pub calendar: &'a ClinicCalendar,
    pub now: DateTime<Utc>,
    pub provider: &'a Provider,
    pub room: &'a Room,
    pub patient_id: Uuid,
    pub patient_name: &'a str,
    /// Blocked periods of this provider or room.
    pub blocked: &'a [BlockedPeriod],
    /// Slot-holding bookings that overlap the proposed time (not the one being moved).
    pub overlapping: &'a [BookedSlot],
}

/// The UTC instants of a booking that starts at local `start_time` on `date`.
pub fn resolve_slot(
    calendar: &ClinicCalendar,
    date: NaiveDate,
    start_time: &str,
    duration_minutes: u32,
) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let minute = parse_hhmm(start_time)
        .ok_or_else(|| Error::refused("start_time", Refusal::BadTime { value: start_time.into() }))?;
    super::dates::check_date("date", date)?;
    let start = calendar.to_utc(date, minute)?;
    Ok((start, start + Duration::minutes(duration_minutes as i64)))
}

/// Refuses a booking of `[start, end)` that breaks any rule, saying exactly why.
pub fn check_booking(ctx: &BookingContext, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<()> {
    let cal = ctx.calendar;
    let (date, start_minute) = cal.local_minute(start);
    let (end_date, end_minute) = cal.local_minute(end);
    let span = MinuteRange { start: start_minute, end: if end_date == date { end_minute } else { 24 * 60 } };
    let when = span.to_string();
    let date_text = date.to_string();

    if start < ctx.now {
        return Err(Error::refused("start_time", Refusal::Past { date: date_text, time: hhmm(span.start) }));
    }
    if let Some(reason) = cal.closed_reason(date) {
        return Err(Error::refused("", Refusal::ClosedDay { date: date_text, note: reason.into() }));
    }
    let clinic_hours = cal.hours_on(date);
    if clinic_hours.is_empty() {
        return Err(Error::refused("", Refusal::ClosedWeekday { date: date_text }));
    }
    if !clinic_hours.iter().any(|h| h.contains(span)) {
        return Err(Error::refused(
            "",
            Refusal::ClinicHours { time: when, date: date_text, hours: list(clinic_hours) },
        ));
    }
    check_availability(&ctx.provider.name, &ctx.provider.availability, date, span)?;
    check_availability(&ctx.room.name, &ctx.room.availability, date, span)?;

    if let Some(block) = ctx.blocked.iter().find(|b| b.starts_at < end && start < b.ends_at) {
        let until = block.ends_at.with_timezone(&cal.tz).format("%d %b %H:%M").to_string();
        let note = block.reason.clone();
        if block.is_clinic_wide() {
            return Err(Error::refused("", Refusal::ClinicBlocked { until, note }));
        }
        let who = if block.provider_id == Some(ctx.provider.id) { &ctx.provider.name } else { &ctx.room.name };
        return Err(Error::refused("", Refusal::Blocked { resource: who.clone(), until, note }));
    }

    let local_span = |b: &BookedSlot| {
        let (_, s) = cal.local_minute(b.starts_at);
        let (_, e) = cal.local_minute(b.ends_at);
        MinuteRange { start: s, end: e }.to_string()
    };
    let overlapping = |b: &&BookedSlot| b.starts_at < end && start < b.ends_at;
    if let Some(b) = ctx.overlapping.iter().filter(overlapping).find(|b| b.provider_id == ctx.provider.id) {
        let time = local_span(b);
        let refusal =
            Refusal::ProviderBusy { resource: ctx.provider.name.clone(), patient: b.patient_name.clone(), time };
        return Err(Error::refused("", refusal));
    }
    if let Some(b) = ctx.overlapping.iter().filter(overlapping).find(|b| b.room_id == ctx.room.id) {
        let time = local_span(b);
        let refusal = Refusal::RoomBusy {
            resource: ctx.room.name.clone(),
            patient: b.patient_name.clone(),
            provider: b.provider_name.clone(),
            time,
        };
        return Err(Error::refused("", refusal));
    }
    if let Some(b) = ctx.overlapping.iter().filter(overlapping).find(|b| b.patient_id == ctx.patient_id) {
        let time = local_span(b);
        let refusal =
            Refusal::PatientBusy { patient: ctx.patient_name.into(), provider: b.provider_name.clone(), time };
        return Err(Error::refused("", refusal));
    }
    Ok(())
}

/// A resource with no weekly availability of its own follows the clinic's hours.
fn check_availability(name: &str, availability: &[WeekdayHours], date: NaiveDate, span: MinuteRange) -> Result<()> {
    if availability.is_empty() {
        return Ok(());
    }
    let spans: Vec<MinuteRange> = availability.iter().filter(|a| a.on(date)).map(|a| a.span).collect();
    if spans.iter().any(|s| s.contains(span)) {
        return Ok(());
    }
    let (resource, date) = (name.to_string(), date.to_string());
    Err(Error::refused(
        "",
        if spans.is_empty() {
            Refusal::ResourceDayOff { resource, time: span.to_string(), date }
        } else {
            Refusal::ResourceHours { resource, time: span.to_string(), date, hours: list(&spans) }
        },
    ))
}

fn list(spans: &[MinuteRange]) -> String {
    spans.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::{ClinicSettings, ClosedDay};
    use chrono::TimeZone;

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn calendar() -> ClinicCalendar {
        let mut settings = ClinicSettings::new_clinic("Test", "Europe/Riga", "en");
        settings.closed_days.push(ClosedDay {
            date: "2026-12-25".parse().unwrap(),
            reason: "Christmas".into(),
            yearly: false,
        });
        ClinicCalendar::new(&settings).unwrap()
    }

    fn provider() -> Provider {
        Provider {
            id: uuid(1),
            name: "Dr Ivanova".into(),
            specialty: "GP".into(),
            staff_id: None,
            home_room_id: None,
            active: true,
            availability: vec![],
        }
    }

    fn room() -> Room {
        Room { id: uuid(2), name: "Room 2".into(), active: true, availability: vec![] }
    }

    fn slot(cal: &ClinicCalendar, date: &str, time: &str, minutes: u32) -> (DateTime<Utc>, DateTime<Utc>) {
        resolve_slot(cal, date.parse().unwrap(), time, minutes).unwrap()
    }

    fn booked(cal: &ClinicCalendar, provider: u128, room: u128, patient: u128, time: &str) -> BookedSlot {
        let (s, e) = slot(cal, "2026-12-01", time, 30);
        BookedSlot {
            appointment_id: uuid(99),
            patient_id: uuid(patient),
            patient_name: "Anna Petrova".into(),
            provider_id: uuid(provider),
            provider_name: "Dr Ozols".into(),
            room_id: uuid(room),
            starts_at: s,
            ends_at: e,
        }
    }

    fn check(
        provider: &Provider,
        room: &Room,
        overlapping: &[BookedSlot],
        blocked: &[BlockedPeriod],
        date: &str,
        time: &str,
    ) -> Result<()> {
        let cal = calendar();
        let ctx = BookingContext {
            calendar: &cal,
            now: Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
            provider,
            room,
            patient_id: uuid(3),
            patient_name: "Ivan Sidorov",
            blocked,
            overlapping,
        };
        let (s, e) = slot(&cal, date, time, 30);
        check_booking(&ctx, s, e)
    }

    #[test]
    fn a_free_slot_in_working_hours_is_accepted() {
        assert!(check(&provider(), &room(), &[], &[], "2026-12-01", "10:00").is_ok());
    }

    #[test]
    fn provider_clash_names_the_booking_it_clashes_with() {
        let cal = calendar();
        let err =
            check(&provider(), &room(), &[booked(&cal, 1, 7, 8, "10:00")], &[], "2026-12-01", "10:15").unwrap_err();
        assert_eq!(err.kind(), "slot_taken");
        assert_eq!(err.to_string(), "Dr Ivanova already has Anna Petrova 10:00–10:30");
    }

    #[test]
    fn room_clash_is_refused() {
        let cal = calendar();
        let err =
            check(&provider(), &room(), &[booked(&cal, 5, 2, 8, "09:45")], &[], "2026-12-01", "10:00").unwrap_err();
        assert_eq!(err.to_string(), "Room 2 is taken 09:45–10:15 by Anna Petrova with Dr Ozols");
    }

    #[test]
    fn patient_cannot_be_in_two_places() {
        let cal = calendar();
        let err =
            check(&provider(), &room(), &[booked(&cal, 5, 6, 3, "10:00")], &[], "2026-12-01", "10:00").unwrap_err();
        assert_eq!(err.to_string(), "Ivan Sidorov already has an appointment 10:00–10:30 with Dr Ozols");
    }

    #[test]
    fn back_to_back_bookings_do_not_clash() {
        let cal = calendar();
        assert!(check(&provider(), &room(), &[booked(&cal, 1, 2, 8, "09:30")], &[], "2026-12-01", "10:00").is_ok());
    }

    #[test]
    fn outside_working_hours_and_closed_days_are_refused() {
        let late = check(&provider(), &room(), &[], &[], "2026-12-01", "17:45").unwrap_err();
        assert_eq!(late.kind(), "outside_hours");
        assert_eq!(
            late.to_string(),
            "17:45–18:15 is outside the clinic's working hours on Tue 01 Dec 2026 (08:00–18:00)"
        );
        let sunday = check(&provider(), &room(), &[], &[], "2026-11-29", "10:00").unwrap_err();
        assert_eq!(sunday.to_string(), "The clinic is closed on Sundays");
        let christmas = check(&provider(), &room(), &[], &[], "2026-12-25", "10:00").unwrap_err();
        assert_eq!(christmas.kind(), "closed_day");
        assert!(christmas.to_string().contains("Christmas"));
    }

    #[test]
    fn provider_weekly_availability_is_honoured() {
        let mornings = Provider {
            availability: vec![WeekdayHours::every_week(2, MinuteRange { start: 480, end: 720 })],
            ..provider()
        };
        assert!(check(&mornings, &room(), &[], &[], "2026-12-01", "11:00").is_ok());
        let err = check(&mornings, &room(), &[], &[], "2026-12-01", "12:00").unwrap_err();
        assert_eq!(err.to_string(), "Dr Ivanova is not available 12:00–12:30 on Tue 01 Dec 2026 (08:00–12:00)");
        let err = check(&mornings, &room(), &[], &[], "2026-12-02", "09:00").unwrap_err();
        assert!(err.to_string().contains("not working that day"), "{err}");
    }

    #[test]
    fn blocked_period_is_refused() {
        let cal = calendar();
        let (s, _) = slot(&cal, "2026-12-01", "08:00", 0);
        let (_, e) = slot(&cal, "2026-12-01", "13:00", 0);
        let holiday = BlockedPeriod {
            id: uuid(50),
            provider_id: Some(uuid(1)),
            room_id: None,
            starts_at: s,
            ends_at: e,
            reason: "Conference".into(),
        };
        let err = check(&provider(), &room(), &[], &[holiday], "2026-12-01", "10:00").unwrap_err();
        assert_eq!(err.to_string(), "Dr Ivanova is not available until 01 Dec 13:00 (Conference)");
    }

    #[test]
    fn past_times_are_refused() {
        let err = check(&provider(), &room(), &[], &[], "2026-11-24", "09:00").unwrap_err();
        assert!(err.to_string().ends_with("has already passed"), "{err}");
    }

    #[test]
    fn booking_on_a_clock_change_day_keeps_its_real_length() {
        // Riga, 2027-03-28: 03:00 -> 04:00. A Sunday, so open the clinic that day for the test.
        let mut settings = ClinicSettings::new_clinic("Test", "Europe/Riga", "en");
        settings.working_hours.push(WeekdayHours::every_week(7, MinuteRange { start: 120, end: 720 }));
        let cal = ClinicCalendar::new(&settings).unwrap();
        let (s, e) = resolve_slot(&cal, "2027-03-28".parse().unwrap(), "02:30", 60).unwrap();
        assert_eq!((e - s).num_minutes(), 60);
        assert_eq!(cal.local_minute(e).1, 4 * 60 + 30); // 02:30 + 1 h of real time reads 04:30
        let ctx = BookingContext {
            calendar: &cal,
            now: Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
            provider: &provider(),
            room: &room(),
            patient_id: uuid(3),
            patient_name: "Ivan Sidorov",
            blocked: &[],
            overlapping: &[],
        };
        assert!(check_booking(&ctx, s, e).is_ok());
        let gap = resolve_slot(&cal, "2027-03-28".parse().unwrap(), "03:15", 30).unwrap_err();
        assert!(gap.to_string().contains("clocks change"));
    }

    #[test]
    fn what_the_schedule_offers_is_exactly_what_a_change_accepts() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        let after_start = start + Duration::minutes(20);
        let mut offered = Vec::new();
        for status in AppointmentStatus::ALL {
            let a = Appointment {
                id: uuid(1),
                patient_id: uuid(2),
                provider_id: uuid(3),
                room_id: uuid(4),
                service_type_id: uuid(5),
                starts_at: start,
                ends_at: start + Duration::minutes(30),
                status,
                cancel_reason: None,
                notes: String::new(),
                series_id: None,
                series_index: None,
                created_at: start,
                updated_at: start,
            };
            let allowed = AppointmentAction::allowed(status);
            for action in AppointmentAction::ALL {
                let accepted = check_status_change(&a, action, after_start, "Anna").is_ok();
                assert_eq!(allowed.contains(&action), accepted, "{status:?} {action:?}");
            }
            // Before the start a no-show is refused; from `no_show_from` on it is accepted.
            if let Some(from) = no_show_from(status, start) {
                assert!(
                    check_status_change(&a, AppointmentAction::NoShow, from - Duration::minutes(1), "Anna").is_err()
                );
                assert!(check_status_change(&a, AppointmentAction::NoShow, from, "Anna").is_ok());
            }
            offered.push((status, allowed));
        }
        // The two slips the window used to make: an arrived patient can still be cancelled; a
        // proposed visit cannot be a no-show.
        let of = |s: AppointmentStatus| offered.iter().find(|(t, _)| *t == s).map(|(_, a)| a.clone()).unwrap();
        assert!(of(AppointmentStatus::Arrived).contains(&AppointmentAction::Cancel));
        assert!(!of(AppointmentStatus::Proposed).contains(&AppointmentAction::NoShow));
        assert_eq!(of(AppointmentStatus::Fulfilled), []);
    }

    #[test]
    fn statuses_map_to_fhir() {
        assert_eq!(AppointmentStatus::Confirmed.fhir(), "booked");
        assert_eq!(AppointmentStatus::Noshow.fhir(), "noshow");
        assert!(!AppointmentStatus::Cancelled.holds_slot());
        assert!(AppointmentStatus::Arrived.holds_slot());
        for s in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(s.as_str()), Some(s));
        }
    }
}
