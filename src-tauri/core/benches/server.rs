//! The clinic server on loopback (a throwaway PostgreSQL with TLS), as figures the issue asks
//! for: the time for a change committed at one desk to reach another desk, the time to move a
//! demo clinic onto an empty server, the reads that run on both engines (the schedule's week
//! view, the call list) and a booking (checked, written, its tasks planned, committed) through
//! the server beside the embedded file's.
//!
//! Run with `cargo bench -p clinic-journey-core --features throwaway-postgres --bench server`.

use std::time::{Duration, Instant};

use clinic_journey_core::db::{Db, Statements};
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::domain::appointment::BookingRequest;
use clinic_journey_core::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
use clinic_journey_core::domain::slots::SlotQuery;
use clinic_journey_core::domain::tasks::CallListQuery;
use clinic_journey_core::server::live::{announce, ChangeFeed};
use clinic_journey_core::server::throwaway::cluster;
use clinic_journey_core::server::{self};
use clinic_journey_core::store::{call_list_on, schedule_on, Change, ChangeSource, Entity};
use clinic_journey_core::{Actor, Store};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let address = cluster().new_database();
    let mut listener = ChangeFeed::listen(&address, "reception").unwrap();
    let mut writer = server::connect(&address).unwrap();
    let change = Change { entities: vec![Entity::Appointments], source: ChangeSource::User };

    let mut reach = Vec::new();
    for _ in 0..200 {
        let mut tx = writer.transaction().unwrap();
        announce(&Db::postgres(&mut tx), "room-1", &change).unwrap();
        let committed = Instant::now();
        tx.commit().unwrap();
        listener.next(Duration::from_secs(5)).unwrap().expect("heard");
        reach.push(committed.elapsed());
    }
    let worst = reach.iter().max().copied().unwrap_or_default();
    println!(
        "a change reaching a second desk (commit → heard), 200 changes: median {:?}, worst {worst:?}",
        median(reach)
    );

    let folder = tempfile::tempdir().unwrap();
    let desk = Store::open(&folder.path().join("clinic.sqlite3")).unwrap();
    let demo = load_demo(&desk, &DemoOptions { patients: 2_000, days: 90, seed: 1 }).unwrap();
    let target = cluster().new_database();
    let started = Instant::now();
    let moved = desk.move_to_server(Actor::CommandLine, &target).unwrap();
    let took = started.elapsed();
    println!(
        "moving the demo clinic ({} patients, {} appointments) onto an empty server: {} rows in {took:?} ({:.0} rows/s)",
        demo.patients,
        demo.appointments,
        moved.rows,
        moved.rows as f64 / took.as_secs_f64()
    );

    // Each read 50 times on each engine: on the embedded file through the store, and through
    // the server in a transaction of its own on a connection that keeps its statements.
    let file = rusqlite::Connection::open(folder.path().join("clinic.sqlite3")).unwrap();
    rusqlite::vtab::array::load_module(&file).unwrap();
    let mut client = server::connect(&target).unwrap();
    let statements = Statements::default();
    let mut through_server = |read: &dyn Fn(&Db)| {
        median(
            (0..50)
                .map(|_| {
                    let started = Instant::now();
                    let mut tx = client.transaction().unwrap();
                    read(&Db::postgres_prepared(&mut tx, &statements));
                    tx.commit().unwrap();
                    started.elapsed()
                })
                .collect(),
        )
    };
    let timed = |read: &dyn Fn()| {
        median(
            (0..50)
                .map(|_| {
                    let started = Instant::now();
                    read();
                    started.elapsed()
                })
                .collect(),
        )
    };
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();

    // The week view of the busiest provider's week.
    let today = desk.calendar().unwrap().local_date(desk.now());
    let query = ScheduleQuery { date: today, span: ScheduleSpan::Week, by: ScheduleBy::Provider, resource_id: None };
    let visits = desk.schedule_view(&query).unwrap().entries.len();
    let embedded = timed(&|| drop(desk.schedule_view(&query).unwrap()));
    let server_week = through_server(&|db| drop(schedule_on(db, &query).unwrap()));
    println!(
        "week view ({visits} visits): embedded {embedded:?}, through the server {server_week:?} ({:.1}×)",
        ratio(server_week, embedded)
    );

    // Today's call list (overdue, today and the 7 days after): the same reading code on both
    // engines, nothing kept between reads; and the embedded store's own, which keeps what it
    // read until a write changes it (the figure a desk feels between its own writes).
    let now = desk.now();
    let calls = CallListQuery { date: today, kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
    let rows = desk.call_list(&calls).unwrap().rows.len();
    let embedded_kept = timed(&|| drop(desk.call_list(&calls).unwrap()));
    let embedded = timed(&|| drop(call_list_on(&Db::Sqlite(&file), &calls, now).unwrap()));
    let server_calls = through_server(&|db| drop(call_list_on(db, &calls, now).unwrap()));
    println!(
        "call list ({rows} rows), read whole: embedded {embedded:?}, through the server {server_calls:?} ({:.1}×); \
         the embedded store's between writes (kept): {embedded_kept:?}",
        ratio(server_calls, embedded)
    );

    // Booking round trip: a booking made and committed, as a desk's window waits for it (the
    // slot checked, the visit and its journey written, its tasks planned, the day's figures
    // counted, audited; on the server also the other desks told). The same 30 free slots of
    // the weeks ahead on each engine: the file and the server hold the same clinic.
    let patient = desk.list_patients("", 1).unwrap().items[0].patient.id;
    let service = desk.list_service_types().unwrap().into_iter().find(|s| s.active).unwrap();
    let slots = desk
        .find_slots(&SlotQuery {
            service_type_id: service.id,
            provider_id: None,
            patient_id: Some(patient),
            part_of_day: None,
            from_date: Some(today + chrono::Days::new(14)),
            to_date: Some(today + chrono::Days::new(60)),
            after: None,
            count: 200,
        })
        .unwrap();
    // One patient's visits may not overlap: each slot after the last one kept.
    let mut requests = Vec::new();
    let mut free_from = None;
    for slot in slots {
        if free_from.is_some_and(|end| slot.starts_at < end) {
            continue;
        }
        free_from = Some(slot.ends_at);
        requests.push(BookingRequest {
            patient_id: patient,
            service_type_id: service.id,
            provider_id: slot.provider_id,
            room_id: slot.room_id,
            date: slot.date,
            start_time: slot.start_time,
            notes: String::new(),
        });
    }
    requests.truncate(30);
    let on_server = Store::open_server(&target, "reception").unwrap();
    let book_each = |store: &Store| {
        median(
            requests
                .iter()
                .map(|request| {
                    let started = Instant::now();
                    store.book_appointment(Actor::User, request).unwrap();
                    started.elapsed()
                })
                .collect(),
        )
    };
    let embedded = book_each(&desk);
    let server_booking = book_each(&on_server);
    println!(
        "booking round trip ({} bookings): embedded {embedded:?}, through the server {server_booking:?} ({:.1}×)",
        requests.len(),
        ratio(server_booking, embedded)
    );
}
