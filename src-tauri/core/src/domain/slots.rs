//! The slot finder: the next free times for a service, over the clinic's calendar, each
//! provider's and room's availability, blocked periods and existing bookings. Pure: the store
//! gathers the inputs, this decides.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::clinic::{ClinicCalendar, Minute, MinuteRange, WeekdayHours};
use super::resources::{BlockedPeriod, Provider, Room};

/// Candidate start times lie on this grid of the clinic's local day.
pub const SLOT_STEP_MINUTES: Minute = 15;
/// How far ahead the finder looks when no end date is given.
pub const DEFAULT_HORIZON_DAYS: i64 = 180;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum PartOfDay {
    /// Starts before 12:00.
    Morning,
    /// Starts from 12:00 to before 17:00.
    Afternoon,
    /// Starts from 17:00.
    Evening,
}

impl PartOfDay {
    pub fn contains(self, minute: Minute) -> bool {
        match self {
            PartOfDay::Morning => minute < 12 * 60,
            PartOfDay::Afternoon => (12 * 60..17 * 60).contains(&minute),
            PartOfDay::Evening => minute >= 17 * 60,
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "morning" => Some(Self::Morning),
            "afternoon" => Some(Self::Afternoon),
            "evening" => Some(Self::Evening),
            _ => None,
        }
    }
}

/// What the front desk asks: "the next free 40 minutes with Dr Ivanova, mornings, in December".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlotQuery {
    pub service_type_id: Uuid,
    pub provider_id: Option<Uuid>,
    /// Skip slots this patient could not take (they are booked elsewhere then).
    pub patient_id: Option<Uuid>,
    pub part_of_day: Option<PartOfDay>,
    /// First local date to search; today (from now on) when absent.
    pub from_date: Option<NaiveDate>,
    /// Last local date to search, inclusive.
    pub to_date: Option<NaiveDate>,
    /// No slot starts before this instant (e.g. "from 14:00 today").
    pub after: Option<DateTime<Utc>>,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FreeSlot {
    pub provider_id: Uuid,
    pub provider_name: String,
    pub room_id: Uuid,
    pub room_name: String,
    pub date: NaiveDate,
    /// Clinic-local "HH:MM", what a booking request takes.
    pub start_time: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// An interval a provider, room or patient is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub provider_id: Uuid,
    pub room_id: Uuid,
    pub patient_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Taken intervals of one resource, sorted by start, with the running maximum of their ends, so
/// "is `[s, e)` free?" is one binary search even when intervals overlap each other.
#[derive(Debug, Default)]
struct Timeline {
    starts: Vec<i64>,
    max_end: Vec<i64>,
}

impl Timeline {
    fn new(mut spans: Vec<(i64, i64)>) -> Self {
        spans.sort_unstable();
        let mut max_end = Vec::with_capacity(spans.len());
        let mut running = i64::MIN;
        for &(_, end) in &spans {
            running = running.max(end);
            max_end.push(running);
        }
        Timeline { starts: spans.into_iter().map(|s| s.0).collect(), max_end }
    }

    fn is_free(&self, start: i64, end: i64) -> bool {
        let before_end = self.starts.partition_point(|&s| s < end);
        before_end == 0 || self.max_end[before_end - 1] <= start
    }
}

/// Bookings and blocked periods indexed per provider, room and patient; build once, ask often.
pub struct Occupancy {
    by_resource: HashMap<Uuid, Timeline>,
    /// Periods the whole clinic is blocked (a training afternoon): no one is free then.
    clinic: Timeline,
}

impl Occupancy {
    pub fn new(busy: &[Busy], blocked: &[BlockedPeriod]) -> Self {
        let mut spans: HashMap<Uuid, Vec<(i64, i64)>> = HashMap::new();
        for b in busy {
            let span = (b.starts_at.timestamp(), b.ends_at.timestamp());
            for id in [b.provider_id, b.room_id, b.patient_id] {
                spans.entry(id).or_default().push(span);
            }
        }
        let mut clinic = Vec::new();
        for b in blocked {
            let span = (b.starts_at.timestamp(), b.ends_at.timestamp());
            if b.is_clinic_wide() {
                clinic.push(span);
            }
            for id in b.provider_id.into_iter().chain(b.room_id) {
                spans.entry(id).or_default().push(span);
            }
        }
        Occupancy {
            by_resource: spans.into_iter().map(|(id, s)| (id, Timeline::new(s))).collect(),
            clinic: Timeline::new(clinic),
        }
    }

    fn is_free(&self, id: Uuid, start: i64, end: i64) -> bool {
        self.clinic.is_free(start, end) && self.by_resource.get(&id).is_none_or(|t| t.is_free(start, end))
    }
}

/// Everything the finder searches over.
pub struct SlotSearch<'a> {
    pub calendar: &'a ClinicCalendar,
    pub now: DateTime<Utc>,
    pub providers: &'a [Provider],
    pub rooms: &'a [Room],
    pub occupancy: &'a Occupancy,
    pub duration_minutes: u32,
}

/// Spans of `date` a resource can be booked: its own weekly hours inside the clinic's, or the
/// clinic's when it has none of its own.
pub fn bookable_spans(calendar: &ClinicCalendar, availability: &[WeekdayHours], date: NaiveDate) -> Vec<MinuteRange> {
    if calendar.closed_reason(date).is_some() {
        return Vec::new();
    }
    let clinic = calendar.hours_on(date);
    if availability.is_empty() {
        return clinic.to_vec();
    }
    let mut spans: Vec<MinuteRange> = availability
        .iter()
        .filter(|a| a.on(date))
        .flat_map(|a| {
            clinic.iter().filter_map(move |c| {
                let span = MinuteRange { start: a.span.start.max(c.start), end: a.span.end.min(c.end) };
                (span.start < span.end).then_some(span)
            })
        })
        .collect();
    spans.sort_by_key(|s| s.start);
    spans
}

/// The first `query.count` free slots from the query's start, in time order (then provider
/// order), each with a room: the provider's home room when it is free, else the first free one.
pub fn find_free_slots(search: &SlotSearch, query: &SlotQuery) -> Vec<FreeSlot> {
    let cal = search.calendar;
    let earliest = query.after.map_or(search.now, |a| a.max(search.now));
    let today = cal.local_date(earliest);
    let first = query.from_date.map_or(today, |d| d.max(today));
    let last = query.to_date.unwrap_or(first + Duration::days(DEFAULT_HORIZON_DAYS));
    let length = search.duration_minutes as i64 * 60;
    let wanted = query.count as usize;
    let providers: Vec<&Provider> =
        search.providers.iter().filter(|p| p.active && query.provider_id.is_none_or(|id| id == p.id)).collect();
    let rooms: Vec<&Room> = search.rooms.iter().filter(|r| r.active).collect();

    let mut found = Vec::new();
    let mut date = first;
    while date <= last && found.len() < wanted {
        let mut day: Vec<FreeSlot> = Vec::new();
        let room_spans: Vec<Vec<MinuteRange>> =
            rooms.iter().map(|r| bookable_spans(cal, &r.availability, date)).collect();
        for provider in &providers {
            for span in bookable_spans(cal, &provider.availability, date) {
                let mut minute = span.start.div_ceil(SLOT_STEP_MINUTES) * SLOT_STEP_MINUTES;
                while minute as u32 + search.duration_minutes <= span.end as u32 {
                    let candidate = MinuteRange { start: minute, end: minute + search.duration_minutes as Minute };
                    minute += SLOT_STEP_MINUTES;
                    if query.part_of_day.is_some_and(|p| !p.contains(candidate.start)) {
                        continue;
                    }
                    // A wall-clock time skipped by a clock change has no instant: not a slot.
                    let Ok(start) = cal.to_utc(date, candidate.start) else { continue };
                    let (s, e) = (start.timestamp(), start.timestamp() + length);
                    if start < earliest
                        || !search.occupancy.is_free(provider.id, s, e)
                        || query.patient_id.is_some_and(|p| !search.occupancy.is_free(p, s, e))
                    {
                        continue;
                    }
                    let room = pick_room(&rooms, &room_spans, provider.home_room_id, candidate, |id| {
                        search.occupancy.is_free(id, s, e)
                    });
                    if let Some(room) = room {
                        day.push(FreeSlot {
                            provider_id: provider.id,
                            provider_name: provider.name.clone(),
                            room_id: room.id,
                            room_name: room.name.clone(),
                            date,
                            start_time: super::clinic::hhmm(candidate.start),
                            starts_at: start,
                            ends_at: start + Duration::seconds(length),
                        });
                    }
                }
            }
        }
        day.sort_by_key(|slot| slot.starts_at);
        found.extend(day.into_iter().take(wanted - found.len()));
        date += Duration::days(1);
    }
    found
}

fn pick_room<'r>(
    rooms: &[&'r Room],
    spans: &[Vec<MinuteRange>],
    home: Option<Uuid>,
    candidate: MinuteRange,
    is_free: impl Fn(Uuid) -> bool,
) -> Option<&'r Room> {
    let fits = |i: usize| spans[i].iter().any(|s| s.contains(candidate)) && is_free(rooms[i].id);
    let home_index = home.and_then(|h| rooms.iter().position(|r| r.id == h));
    home_index.filter(|&i| fits(i)).or_else(|| (0..rooms.len()).find(|&i| fits(i))).map(|i| rooms[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clinic::{ClinicSettings, ClosedDay};
    use chrono::TimeZone;

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn provider(n: u128, home_room: Option<u128>, availability: Vec<WeekdayHours>) -> Provider {
        Provider {
            id: uuid(n),
            name: format!("Dr {n}"),
            specialty: "GP".into(),
            staff_id: None,
            home_room_id: home_room.map(uuid),
            active: true,
            availability,
        }
    }

    fn room(n: u128) -> Room {
        Room { id: uuid(n), name: format!("Room {n}"), active: true, availability: vec![] }
    }

    fn calendar() -> ClinicCalendar {
        let mut settings = ClinicSettings::new_clinic("T", "Europe/Riga", "en");
        settings.closed_days.push(ClosedDay {
            date: "2026-12-01".parse().unwrap(),
            reason: "Staff training".into(),
            yearly: false,
        });
        ClinicCalendar::new(&settings).unwrap()
    }

    fn query(count: u32) -> SlotQuery {
        SlotQuery {
            service_type_id: uuid(70),
            provider_id: None,
            patient_id: None,
            part_of_day: None,
            from_date: None,
            to_date: None,
            after: None,
            count,
        }
    }

    fn find(providers: &[Provider], rooms: &[Room], busy: &[Busy], now: DateTime<Utc>, q: &SlotQuery) -> Vec<FreeSlot> {
        let cal = calendar();
        let occupancy = Occupancy::new(busy, &[]);
        let search = SlotSearch { calendar: &cal, now, providers, rooms, occupancy: &occupancy, duration_minutes: 30 };
        find_free_slots(&search, q)
    }

    fn local(date: &str, time: &str) -> DateTime<Utc> {
        let cal = calendar();
        cal.to_utc(date.parse().unwrap(), super::super::clinic::parse_hhmm(time).unwrap()).unwrap()
    }

    #[test]
    fn slots_start_from_now_on_the_step_grid_and_skip_bookings() {
        let now = local("2026-11-30", "09:07");
        let busy = [Busy {
            provider_id: uuid(1),
            room_id: uuid(10),
            patient_id: uuid(99),
            starts_at: local("2026-11-30", "09:15"),
            ends_at: local("2026-11-30", "10:00"),
        }];
        let slots = find(&[provider(1, Some(10), vec![])], &[room(10)], &busy, now, &query(3));
        let times: Vec<&str> = slots.iter().map(|s| s.start_time.as_str()).collect();
        assert_eq!(times, ["10:00", "10:15", "10:30"]);
        assert!(slots.iter().all(|s| s.room_id == uuid(10) && (s.ends_at - s.starts_at).num_minutes() == 30));
    }

    #[test]
    fn closed_days_weekends_and_provider_hours_are_skipped() {
        // Friday evening: the next slots are Monday (30 Nov) afternoon, as Dr 1 works Mondays
        // 14:00–15:00 only, then nothing on Tuesday (closed), then next Monday.
        let now = local("2026-11-27", "17:50");
        let monday_afternoon = vec![WeekdayHours::every_week(1, MinuteRange { start: 14 * 60, end: 15 * 60 })];
        let slots = find(&[provider(1, None, monday_afternoon)], &[room(10)], &[], now, &query(4));
        let got: Vec<String> = slots.iter().map(|s| format!("{} {}", s.date, s.start_time)).collect();
        assert_eq!(got, ["2026-11-30 14:00", "2026-11-30 14:15", "2026-11-30 14:30", "2026-12-07 14:00"]);
    }

    #[test]
    fn a_busy_home_room_gives_way_to_another_and_no_room_means_no_slot() {
        let now = local("2026-11-30", "07:00");
        let busy_room = |room: u128| Busy {
            provider_id: uuid(5),
            room_id: uuid(room),
            patient_id: uuid(98),
            starts_at: local("2026-11-30", "08:00"),
            ends_at: local("2026-11-30", "08:30"),
        };
        let slots = find(&[provider(1, Some(10), vec![])], &[room(10), room(11)], &[busy_room(10)], now, &query(2));
        assert_eq!((slots[0].start_time.as_str(), slots[0].room_id), ("08:00", uuid(11)));
        assert_eq!((slots[1].start_time.as_str(), slots[1].room_id), ("08:15", uuid(11)));
        let slots = find(&[provider(1, Some(10), vec![])], &[room(10)], &[busy_room(10)], now, &query(1));
        assert_eq!(slots[0].start_time, "08:30");
    }

    #[test]
    fn filters_by_provider_part_of_day_patient_and_date_range() {
        let now = local("2026-11-30", "07:00");
        let providers = [provider(1, None, vec![]), provider(2, None, vec![])];
        let rooms = [room(10), room(11)];
        let mut q = query(2);
        q.provider_id = Some(uuid(2));
        q.part_of_day = Some(PartOfDay::Afternoon);
        q.from_date = Some("2026-12-02".parse().unwrap());
        let slots = find(&providers, &rooms, &[], now, &q);
        assert!(slots.iter().all(|s| s.provider_id == uuid(2) && s.date == q.from_date.unwrap()));
        assert_eq!(slots[0].start_time, "12:00");

        // The patient is busy at 08:00 with someone else: their slots start after it.
        let busy = [Busy {
            provider_id: uuid(9),
            room_id: uuid(19),
            patient_id: uuid(42),
            starts_at: local("2026-11-30", "08:00"),
            ends_at: local("2026-11-30", "09:00"),
        }];
        let mut q = query(1);
        q.patient_id = Some(uuid(42));
        assert_eq!(find(&providers, &rooms, &busy, now, &q)[0].start_time, "09:00");

        let mut q = query(5);
        q.to_date = Some("2026-11-29".parse().unwrap());
        assert!(find(&providers, &rooms, &[], now, &q).is_empty(), "the range ends before it starts");
    }

    #[test]
    fn slots_in_a_time_skipped_by_a_clock_change_are_not_offered() {
        // Riga 2027-03-28 (a Sunday): 03:00 jumps to 04:00. Open the clinic 02:00–05:00 that day.
        let mut settings = ClinicSettings::new_clinic("T", "Europe/Riga", "en");
        settings.working_hours = vec![WeekdayHours::every_week(7, MinuteRange { start: 120, end: 300 })];
        let cal = ClinicCalendar::new(&settings).unwrap();
        let occupancy = Occupancy::new(&[], &[]);
        let providers = [provider(1, None, vec![])];
        let rooms = [room(10)];
        let search = SlotSearch {
            calendar: &cal,
            now: Utc.with_ymd_and_hms(2027, 3, 27, 0, 0, 0).unwrap(),
            providers: &providers,
            rooms: &rooms,
            occupancy: &occupancy,
            duration_minutes: 30,
        };
        let slots = find_free_slots(&search, &query(20));
        let times: Vec<&str> = slots.iter().map(|s| s.start_time.as_str()).collect();
        assert_eq!(times[..4], ["02:00", "02:15", "02:30", "02:45"]);
        assert_eq!(times[4], "04:00", "03:00–03:59 does not exist that night");
        assert!(slots.iter().all(|s| (s.ends_at - s.starts_at).num_minutes() == 30));
    }

    #[test]
    fn overlapping_busy_intervals_are_all_respected() {
        let t = Timeline::new(vec![(0, 100), (10, 20), (150, 160)]);
        assert!(!t.is_free(50, 60), "inside the long interval though after the short one");
        assert!(t.is_free(100, 150));
        assert!(!t.is_free(140, 151));
        assert!(t.is_free(160, 200));
    }
}
