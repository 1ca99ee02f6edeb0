//! Sign-in to the first screen at a shared desk: a staff member's PIN checked (argon2id, the
//! lockout's counter reset, the audit row written), then what the Today screen loads first,
//! the day's call list, on a demo clinic of 2,000 patients over ±90 days (a file database, WAL,
//! as the app runs it).
//!
//! Run with `cargo bench -p clinic-journey-core --bench sign_in`. The first run builds the
//! database into target/bench-data; later runs reuse it.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::domain::resources::{Role, StaffInput};
use clinic_journey_core::domain::tasks::CallListQuery;
use clinic_journey_core::{Actor, Store};
use criterion::{criterion_group, criterion_main, Criterion};

const PIN: &str = "2468";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 8, 30, 0).unwrap() // Tuesday 10:30 in Riga
}

/// The demo clinic with an administrator who has a PIN (so the clinic has sign-in).
fn database() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    let path = dir.join("sign-in.sqlite3");
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let building = path.with_extension("building");
        let _ = std::fs::remove_file(&building);
        let store = Store::open(&building).unwrap().with_clock(now);
        load_demo(&store, &DemoOptions { patients: 2_000, days: 90, seed: 5 }).unwrap();
        let admin = StaffInput { name: "Bench Administrator".into(), role: Role::Admin, active: true };
        let admin = store.create_staff(Actor::User, &admin).unwrap();
        store.set_staff_pin(Actor::User, admin.id, Some(PIN)).unwrap();
        store.checkpoint().unwrap();
        drop(store);
        std::fs::rename(&building, &path).unwrap();
    }
    path
}

fn sign_in(c: &mut Criterion) {
    let store = Store::open(&database()).unwrap().with_clock(now);
    let admin = store.sign_in_state().unwrap().staff.into_iter().find(|s| s.role == Role::Admin).unwrap().id;
    let today = CallListQuery {
        date: "2026-11-24".parse().unwrap(),
        kind: None,
        role: None,
        assignee_id: None,
        upcoming_days: None,
    };
    let mut group = c.benchmark_group("sign_in");
    group.sample_size(20);
    group.bench_function("PIN checked and recorded", |b| {
        b.iter(|| {
            black_box(store.sign_in(admin, PIN).unwrap());
            store.sign_out().unwrap();
        })
    });
    group.bench_function("to the first screen (sign-in, then the day's call list)", |b| {
        b.iter(|| {
            store.sign_in(admin, PIN).unwrap();
            black_box(store.call_list(&today).unwrap());
            store.sign_out().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, sign_in);
criterion_main!(benches);
