//! Standard formats at a large clinic's size, as the figures the issue asks for (printed, one
//! run each: an import of this size is a one-off a clinic waits for, not a loop):
//! - export of a ~100,000-appointment demo clinic to FHIR NDJSON, and import of that file
//!   into an empty clinic with the same rooms, providers and services: rows per second each way;
//! - import of a 100,000-row patient CSV into an empty clinic: rows per second and the peak
//!   resident memory of the import (Linux: the high-water mark, reset before it starts).
//!
//! Run with `cargo bench -p clinic-journey-core --bench interchange` (the first run builds the
//! demo database into target/bench-data, several minutes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::domain::journey::ServiceInput;
use clinic_journey_core::domain::resources::{ProviderInput, RoomInput};
use clinic_journey_core::interchange::ics::PatientDetail;
use clinic_journey_core::interchange::import::{DuplicateChoice, ImportKind};
use clinic_journey_core::store::{ExportRequest, ExportScope, ImportFormat, ImportRequest, RecordsFormat};
use clinic_journey_core::{Actor, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 8, 30, 0).unwrap()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data")
}

fn open(path: &Path) -> Store {
    Store::open(path).unwrap().with_clock(now)
}

/// The demo clinic over ±2050 days: about 100,000 appointments (as the tasks bench's).
fn source() -> Store {
    let path = data_dir().join("interchange-source.sqlite3");
    if !path.exists() {
        std::fs::create_dir_all(data_dir()).unwrap();
        let building = path.with_extension("building");
        let _ = std::fs::remove_file(&building);
        let store = open(&building);
        load_demo(&store, &DemoOptions { patients: 10_000, days: 2050, seed: 11 }).unwrap();
        store.checkpoint().unwrap();
        drop(store);
        std::fs::rename(&building, &path).unwrap();
    }
    open(&path)
}

/// An empty clinic (a new file) with `source`'s settings, rooms, providers and services.
fn empty_like(source: &Store, dir: &Path) -> Store {
    let target = open(&dir.join("target.sqlite3"));
    target.save_settings(Actor::User, &source.get_settings().unwrap()).unwrap();
    let mut rooms = BTreeMap::new();
    for room in source.list_rooms().unwrap() {
        let input = RoomInput { name: room.name.clone(), active: room.active, availability: vec![] };
        rooms.insert(room.id, target.create_room(Actor::User, &input).unwrap().id);
    }
    for p in source.list_providers().unwrap() {
        let home_room_id = p.home_room_id.map(|r| rooms[&r]);
        let input = ProviderInput {
            name: p.name,
            specialty: p.specialty,
            home_room_id,
            active: p.active,
            availability: vec![],
        };
        target.create_provider(Actor::User, &input).unwrap();
    }
    let seeded: Vec<String> = target.list_service_types().unwrap().into_iter().map(|s| s.name).collect();
    for s in source.list_service_types().unwrap().into_iter().filter(|s| !seeded.contains(&s.name)) {
        let input = ServiceInput {
            name: s.name,
            duration_minutes: s.duration_minutes,
            color: s.color,
            template_family_key: s.template_family_key,
            active: s.active,
        };
        target.create_service(Actor::User, &input).unwrap();
    }
    target
}

fn request(format: ImportFormat) -> ImportRequest {
    ImportRequest {
        format,
        kind: ImportKind::Patients,
        mapping: None,
        on_duplicate: DuplicateChoice::Merge,
        choices: BTreeMap::new(),
        dry_run: false,
    }
}

/// Peak resident memory since the last reset, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn reset_peak() {
    // "5" resets the high-water mark to the current resident size (Linux 4.0+).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Runs `step` of this bench in a fresh process of its own, so that its peak memory is its own.
fn in_child(step: &[&str]) {
    let status =
        std::process::Command::new(std::env::current_exe().unwrap()).arg("--bench").args(step).status().unwrap();
    assert!(status.success(), "{step:?} failed");
}

fn main() {
    // `cargo bench` passes --bench; a plain `cargo test --benches` run only builds this.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let step: Option<Vec<String>> = args
        .iter()
        .position(|a| a == "--step")
        .map(|i| args[i + 1..].iter().filter(|a| *a != "--bench").cloned().collect());
    match step.as_deref() {
        Some([step, path]) if step == "import-fhir" => import_fhir(Path::new(path)),
        Some([step]) if step == "import-csv" => import_csv(),
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("clinic.ndjson");
            export_fhir(&file);
            in_child(&["--step", "import-fhir", file.to_str().unwrap()]);
            in_child(&["--step", "import-csv"]);
        }
    }
}

fn export_fhir(path: &Path) {
    let source = source();
    let export = ExportRequest {
        format: RecordsFormat::FhirNdjson,
        scope: ExportScope::Clinic,
        detail: PatientDetail::Full,
        alarms: false,
    };
    let started = Instant::now();
    let file = source.export(Actor::User, &export).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let appointments = String::from_utf8_lossy(&file.bytes).matches(r#""resourceType":"Appointment""#).count();
    println!(
        "export FHIR NDJSON: {} resources ({appointments} appointments, {:.0} MB) in {seconds:.2} s: {:.0} resources/s",
        file.count,
        file.bytes.len() as f64 / 1e6,
        file.count as f64 / seconds
    );
    std::fs::write(path, &file.bytes).unwrap();
}

fn import_fhir(path: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let target = empty_like(&source(), dir.path());
    let bytes = std::fs::read(path).unwrap();
    reset_peak();
    let before = peak_mib();
    let started = Instant::now();
    let report = target.import(Actor::User, &request(ImportFormat::Fhir), &bytes, &|_, _| true).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(report.applied, "{:?}", &report.problems[..report.problems.len().min(3)]);
    let rows = report.patients_added + report.appointments_added;
    println!(
        "import FHIR NDJSON: {} patients + {} appointments in {seconds:.2} s: {:.0} rows/s ({:.0} appointments/s), \
         peak {:.0} MiB (resident before: {before:.0} MiB, the file included)",
        report.patients_added,
        report.appointments_added,
        rows as f64 / seconds,
        report.appointments_added as f64 / seconds,
        peak_mib()
    );
}

fn import_csv() {
    let dir = tempfile::tempdir().unwrap();
    let target = empty_like(&source(), dir.path());
    let mut csv = String::from("given_name,family_name,birth_date,phone,email\n");
    // Names are letters only (the patient check refuses digits): the row number in base 26.
    let letters = |mut n: u32| -> String {
        let mut word = String::new();
        for _ in 0..4 {
            word.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        word
    };
    for i in 0..100_000u32 {
        csv.push_str(&format!(
            "Anna,Ozol{},19{:02}-{:02}-{:02},+371 2{:07},anna{i}@example.lv\n",
            letters(i),
            50 + i % 50,
            1 + i % 12,
            1 + i % 28,
            i
        ));
    }
    reset_peak();
    let before = peak_mib();
    let started = Instant::now();
    let report = target.import(Actor::User, &request(ImportFormat::Csv), csv.as_bytes(), &|_, _| true).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        report.applied && report.patients_added == 100_000,
        "{:?}",
        &report.problems[..report.problems.len().min(3)]
    );
    println!(
        "import CSV patients: 100000 rows ({:.1} MB) in {seconds:.2} s: {:.0} rows/s, peak {:.0} MiB (resident before: {before:.0} MiB)",
        csv.len() as f64 / 1e6,
        100_000.0 / seconds,
        peak_mib()
    );
}
