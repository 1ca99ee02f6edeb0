//! Scheduling benchmarks on a clinic with 10 providers, 8 rooms and a year of bookings
//! (~25,000 appointments):
//! - the slot finder (pure domain): the next 20 free slots, from mid-year;
//! - the week view of one provider, loaded from SQLite through the store.
//!
//! Run with `cargo bench -p clinic-journey-core --bench scheduling`.

use std::hint::black_box;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use clinic_journey_core::domain::clinic::{ClinicCalendar, ClinicSettings};
use clinic_journey_core::domain::patient::PatientInput;
use clinic_journey_core::domain::resources::{Provider, ProviderInput, Room, RoomInput};
use clinic_journey_core::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
use clinic_journey_core::domain::slots::{find_free_slots, Busy, Occupancy, PartOfDay, SlotQuery, SlotSearch};
use clinic_journey_core::{Actor, Store};
use criterion::{criterion_group, criterion_main, Criterion};
use uuid::Uuid;

const PROVIDERS: usize = 10;
const ROOMS: usize = 8;
const PATIENTS: usize = 3000;

/// A small deterministic generator, so every run benchmarks the same clinic.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// One year of bookings: every provider, every working day, from 08:00 to 18:00, visits of
/// 20, 40 or 60 minutes with an occasional free gap — about 25,000 in all.
fn year_of_bookings(calendar: &ClinicCalendar, providers: &[Uuid], rooms: &[Uuid], patients: &[Uuid]) -> Vec<Busy> {
    let mut rng = Lcg(7);
    let mut busy = Vec::new();
    let first: NaiveDate = "2027-01-04".parse().unwrap();
    for day in 0..365 {
        let date = first + Duration::days(day);
        if date.weekday().number_from_monday() > 5 {
            continue;
        }
        for (i, provider) in providers.iter().enumerate() {
            let mut minute = 8 * 60 + rng.next(3) as u16 * 15;
            loop {
                let length = [20, 40, 60][rng.next(3) as usize];
                if minute + length > 18 * 60 {
                    break;
                }
                let start = calendar.to_utc(date, minute).unwrap();
                busy.push(Busy {
                    provider_id: *provider,
                    room_id: rooms[i % rooms.len()],
                    patient_id: patients[rng.next(patients.len() as u64) as usize],
                    starts_at: start,
                    ends_at: start + Duration::minutes(length as i64),
                });
                minute += length + [0, 15, 15, 30, 45][rng.next(5) as usize];
            }
        }
    }
    busy
}

fn slot_finding(c: &mut Criterion) {
    let calendar = ClinicCalendar::new(&ClinicSettings::new_clinic("Bench", "Europe/Riga", "en")).unwrap();
    let rooms: Vec<Room> = (0..ROOMS)
        .map(|i| Room {
            id: Uuid::from_u128(100 + i as u128),
            name: format!("Room {i}"),
            active: true,
            availability: vec![],
        })
        .collect();
    let providers: Vec<Provider> = (0..PROVIDERS)
        .map(|i| Provider {
            id: Uuid::from_u128(200 + i as u128),
            name: format!("Dr {i}"),
            specialty: "GP".into(),
            staff_id: None,
            home_room_id: Some(rooms[i % ROOMS].id),
            active: true,
            availability: vec![],
        })
        .collect();
    let patients: Vec<Uuid> = (0..PATIENTS).map(|i| Uuid::from_u128(10_000 + i as u128)).collect();
    let busy = year_of_bookings(
        &calendar,
        &providers.iter().map(|p| p.id).collect::<Vec<_>>(),
        &rooms.iter().map(|r| r.id).collect::<Vec<_>>(),
        &patients,
    );
    println!("slot finding over {} appointments, {PROVIDERS} providers, {ROOMS} rooms", busy.len());
    let now = Utc.with_ymd_and_hms(2027, 6, 1, 6, 0, 0).unwrap();
    let base = SlotQuery {
        service_type_id: Uuid::from_u128(1),
        provider_id: None,
        patient_id: None,
        part_of_day: None,
        from_date: None,
        to_date: None,
        after: None,
        count: 20,
    };

    c.bench_function("index a year of bookings (Occupancy::new)", |b| b.iter(|| Occupancy::new(black_box(&busy), &[])));
    let occupancy = Occupancy::new(&busy, &[]);
    let search = SlotSearch {
        calendar: &calendar,
        now,
        providers: &providers,
        rooms: &rooms,
        occupancy: &occupancy,
        duration_minutes: 40,
    };
    c.bench_function("next 20 free slots, any provider", |b| {
        b.iter(|| find_free_slots(black_box(&search), black_box(&base)))
    });
    let narrow =
        SlotQuery { provider_id: Some(providers[3].id), part_of_day: Some(PartOfDay::Afternoon), ..base.clone() };
    c.bench_function("next 20 free slots, one provider, afternoons", |b| {
        b.iter(|| find_free_slots(black_box(&search), black_box(&narrow)))
    });
}

fn room_named(name: String) -> RoomInput {
    RoomInput { name, active: true, availability: vec![] }
}

fn provider_named(name: String, home_room: Uuid) -> ProviderInput {
    ProviderInput { name, specialty: "GP".into(), home_room_id: Some(home_room), active: true, availability: vec![] }
}

fn week_view(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let store = Store::open(&path).unwrap();
    let mut settings = store.get_settings().unwrap();
    settings.time_zone = "Europe/Riga".into();
    store.save_settings(Actor::System, &settings).unwrap();
    let rooms: Vec<Uuid> =
        (0..ROOMS).map(|i| store.create_room(Actor::System, &room_named(format!("Room {i}"))).unwrap().id).collect();
    let providers: Vec<Uuid> = (0..PROVIDERS)
        .map(|i| store.create_provider(Actor::System, &provider_named(format!("Dr {i}"), rooms[i % ROOMS])).unwrap().id)
        .collect();
    let patients: Vec<Uuid> = (0..PATIENTS)
        .map(|i| {
            let input = PatientInput {
                given_name: "Bench".into(),
                family_name: format!(
                    "Patient {}",
                    "abcdefghij".chars().cycle().skip(i % 10).take(3 + i % 5).collect::<String>()
                ),
                phone: format!("+371 2{:07}", i),
                ..Default::default()
            };
            store.create_patient(Actor::System, &input).unwrap().id
        })
        .collect();
    let service = store.list_service_types().unwrap()[0].id;
    let busy = year_of_bookings(&store.calendar().unwrap(), &providers, &rooms, &patients);
    drop(store);

    // Bulk-load the year straight into the file: booking 25,000 visits one by one through the
    // checks would only make the set-up slow, not the view faster.
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO appointments (id, patient_id, provider_id, room_id, service_type_id, starts_at, ends_at, status,
                   notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'booked', '', ?6, ?6)",
            )
            .unwrap();
        for (i, b) in busy.iter().enumerate() {
            insert
                .execute((
                    Uuid::from_u128(1_000_000 + i as u128).to_string(),
                    b.patient_id.to_string(),
                    b.provider_id.to_string(),
                    b.room_id.to_string(),
                    service.to_string(),
                    b.starts_at.timestamp(),
                    b.ends_at.timestamp(),
                ))
                .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(conn);
    println!("week view over {} appointments in SQLite", busy.len());

    let store = Store::open(&path).unwrap();
    let query = ScheduleQuery {
        date: "2027-06-16".parse().unwrap(),
        span: ScheduleSpan::Week,
        by: ScheduleBy::Provider,
        resource_id: Some(providers[3]),
    };
    let view = store.schedule_view(&query).unwrap();
    assert!(view.entries.len() > 30, "{} entries", view.entries.len());
    c.bench_function("week view of one provider (store)", |b| {
        b.iter(|| store.schedule_view(black_box(&query)).unwrap())
    });
    let slots = SlotQuery {
        service_type_id: service,
        provider_id: None,
        patient_id: None,
        part_of_day: None,
        from_date: Some("2027-06-01".parse().unwrap()),
        to_date: None,
        after: None,
        count: 20,
    };
    c.bench_function("next 20 free slots (store: load + index + find)", |b| {
        b.iter(|| store.find_slots(black_box(&slots)).unwrap())
    });
}

criterion_group!(benches, slot_finding, week_view);
criterion_main!(benches);
