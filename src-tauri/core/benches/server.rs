//! The clinic server on loopback (a throwaway PostgreSQL with TLS), as figures the issue asks
//! for: the time for a change committed at one desk to reach another desk, the time to move a
//! demo clinic onto an empty server, and the schedule's week view through the server beside
//! the embedded file's (the first part of the store that runs on both engines).
//!
//! Run with `cargo bench -p clinic-journey-core --features throwaway-postgres --bench server`.

use std::time::{Duration, Instant};

use clinic_journey_core::db::Db;
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
use clinic_journey_core::server::live::{announce, ChangeFeed};
use clinic_journey_core::server::throwaway::cluster;
use clinic_journey_core::server::{self};
use clinic_journey_core::store::{schedule_on, Change, ChangeSource, Entity};
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
        announce(&mut tx, "room-1", &change).unwrap();
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

    let desk = Store::open_in_memory().unwrap();
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

    // The week view of the busiest provider's week, 50 times on each engine.
    let today = desk.calendar().unwrap().local_date(desk.now());
    let query = ScheduleQuery { date: today, span: ScheduleSpan::Week, by: ScheduleBy::Provider, resource_id: None };
    let visits = desk.schedule_view(&query).unwrap().entries.len();
    let embedded = median(
        (0..50)
            .map(|_| {
                let started = Instant::now();
                desk.schedule_view(&query).unwrap();
                started.elapsed()
            })
            .collect(),
    );
    let mut client = server::connect(&target).unwrap();
    let through_server = median(
        (0..50)
            .map(|_| {
                let started = Instant::now();
                let mut tx = client.transaction().unwrap();
                schedule_on(&Db::postgres(&mut tx), &query).unwrap();
                tx.commit().unwrap();
                started.elapsed()
            })
            .collect(),
    );
    println!(
        "week view ({visits} visits): embedded {embedded:?}, through the server {through_server:?} ({:.1}×)",
        through_server.as_secs_f64() / embedded.as_secs_f64()
    );
}
