//! The clinic server on loopback (a throwaway PostgreSQL with TLS), as figures the issue asks
//! for: the time for a change committed at one desk to reach another desk, and the time to
//! move a demo clinic onto an empty server.
//!
//! Run with `cargo bench -p clinic-journey-core --features throwaway-postgres --bench server`.

use std::time::{Duration, Instant};

use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::server::live::{announce, ChangeFeed};
use clinic_journey_core::server::throwaway::cluster;
use clinic_journey_core::server::{self};
use clinic_journey_core::store::{Change, ChangeSource, Entity};
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
}
