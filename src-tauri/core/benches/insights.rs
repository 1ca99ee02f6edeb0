//! The Insights report over 1,000,000 stage events and 200,000 survey answers (the figure the
//! service-quality issue sets a target for: < 200 ms): 200,000 visits of the first consultation
//! over two years, each with five stage events and a survey (NPS and CSAT; a fifth also with
//! the 22 SERVQUAL items, a tenth with three Kano answers).
//!
//! Run with `cargo bench -p clinic-journey-core --bench insights`. The first run builds the
//! database into target/bench-data; later runs reuse it.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use clinic_journey_core::store::InsightsQuery;
use clinic_journey_core::Store;
use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::Connection;
use uuid::Uuid;

const VISITS: u32 = 200_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 8, 30, 0).unwrap()
}

fn database() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    let path = dir.join("insights-200k.sqlite3");
    if !path.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let building = path.with_extension("building");
        let _ = std::fs::remove_file(&building);
        drop(Store::open(&building).unwrap());
        fill(&Connection::open(&building).unwrap());
        std::fs::rename(&building, &path).unwrap();
    }
    path
}

/// A small deterministic generator, so every run measures the same clinic.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn id(kind: &str, n: u32) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("{kind}:{n}").as_bytes()).to_string()
}

fn fill(c: &Connection) {
    c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; BEGIN").unwrap();
    let t0 = now().timestamp();
    let (template, service): (String, String) = c
        .query_row(
            "SELECT t.id, s.id FROM journey_templates t JOIN service_types s ON s.template_family_key = t.family_key
             WHERE t.family_key = 'first_consultation' ORDER BY t.version DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let stage = |key: &str| -> String {
        c.query_row("SELECT id FROM template_stages WHERE template_id = ?1 AND key = ?2", [&template, key], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let (check_in, waiting, consultation, check_out) =
        (stage("check_in"), stage("waiting"), stage("consultation"), stage("check_out"));
    c.execute("INSERT INTO rooms (id, name, active, created_at, updated_at) VALUES ('room', 'Room 1', 1, 0, 0)", [])
        .unwrap();
    for p in 0..4 {
        c.execute(
            "INSERT INTO providers (id, name, home_room_id, active, created_at, updated_at) VALUES (?1, ?2, 'room', 1, 0, 0)",
            (format!("provider-{p}"), format!("Dr {p}")),
        )
        .unwrap();
    }
    let features: Vec<String> = (0..3).map(|f| id("feature", f)).collect();
    for (f, feature) in features.iter().enumerate() {
        c.execute(
            "INSERT INTO kano_features (id, name, active, created_at) VALUES (?1, ?2, 1, 0)",
            (feature, format!("Feature {f}")),
        )
        .unwrap();
    }
    let mut rng = Lcg(42);
    let mut patient = c.prepare("INSERT INTO patients (id, given_name, family_name, phone, preferred_channel, preferred_language, consent_reminders, do_not_contact, search_key, created_at, updated_at) VALUES (?1, 'Anna', 'Berg', '+371 2000 0000', 'phone', 'en', 1, 0, 'anna berg', 0, 0)").unwrap();
    let mut visit = c.prepare("INSERT INTO appointments (id, patient_id, provider_id, room_id, service_type_id, starts_at, ends_at, status, created_at, updated_at, status_changed_at) VALUES (?1, ?2, ?3, 'room', ?4, ?5, ?6, 'fulfilled', ?7, ?7, ?6)").unwrap();
    let mut journey = c.prepare("INSERT INTO patient_journeys (id, patient_id, service_type_id, template_id, appointment_id, started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)").unwrap();
    let mut event = c
        .prepare(
            "INSERT INTO stage_events (id, journey_id, stage_id, kind, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, 'bench')",
        )
        .unwrap();
    let mut survey = c.prepare("INSERT INTO survey_responses (id, appointment_id, patient_id, source, language, nps, csat, comment, at, actor) VALUES (?1, ?2, ?3, 'staff', 'en', ?4, ?5, '', ?6, 'bench')").unwrap();
    let mut servqual = c
        .prepare("INSERT INTO servqual_answers (response_id, item, expectation, perception) VALUES (?1, ?2, ?3, ?4)")
        .unwrap();
    let mut kano = c
        .prepare(
            "INSERT INTO kano_answers (response_id, feature_id, functional, dysfunctional) VALUES (?1, ?2, ?3, ?4)",
        )
        .unwrap();
    let answers = ["like", "must_be", "neutral", "live_with", "dislike"];
    let mut events = 0u32;
    for n in 0..VISITS {
        let patient_id = id("patient", n / 4);
        if n % 4 == 0 {
            patient.execute([&patient_id]).unwrap();
        }
        // Two years of visits, evenly spread, ending yesterday.
        let start = t0 - 86_400 - (730 * 86_400 * i64::from(n) / i64::from(VISITS));
        let (appointment, journey_id) = (id("visit", n), id("journey", n));
        visit
            .execute(rusqlite::params![
                appointment,
                patient_id,
                format!("provider-{}", n % 4),
                service,
                start,
                start + 2400,
                start - 7 * 86_400
            ])
            .unwrap();
        journey
            .execute(rusqlite::params![journey_id, patient_id, service, template, appointment, start - 7 * 86_400])
            .unwrap();
        let mut minutes = |m: i64| start + 60 * (m + rng.below(8) as i64);
        for (stage_id, kind, at) in [
            (&check_in, "entered", start - 300),
            (&check_in, "completed", minutes(-2)),
            (&waiting, "completed", minutes(8)),
            (&consultation, "completed", minutes(45)),
            (&check_out, "completed", minutes(50)),
        ] {
            event.execute(rusqlite::params![id("event", events), journey_id, stage_id, kind, at]).unwrap();
            events += 1;
        }
        let response = id("survey", n);
        survey
            .execute(rusqlite::params![
                response,
                appointment,
                patient_id,
                rng.below(11),
                1 + rng.below(5),
                start + 86_400
            ])
            .unwrap();
        if n % 5 == 0 {
            for item in 1..=22u32 {
                servqual.execute(rusqlite::params![response, item, 5 + rng.below(3), 3 + rng.below(5)]).unwrap();
            }
        }
        if n % 10 == 0 {
            for feature in &features {
                kano.execute(rusqlite::params![
                    response,
                    feature,
                    answers[rng.below(5) as usize],
                    answers[rng.below(5) as usize]
                ])
                .unwrap();
            }
        }
    }
    drop((patient, visit, journey, event, survey, servqual, kano));
    c.execute_batch("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
}

fn insights(c: &mut Criterion) {
    let store = Store::open(&database()).unwrap().with_clock(now);
    let today: NaiveDate = (now() - Duration::days(1)).date_naive();
    let query =
        InsightsQuery { from: today - Duration::days(729), to: today, provider_id: None, service_type_id: None };
    let report = store.insights(&query).unwrap();
    println!(
        "insights over {} surveys: NPS {:?}, {} stages, {} compliance checks",
        report.surveys,
        report.nps.score.value.map(|v| v.round()),
        report.stages.len(),
        report.compliance.checks
    );
    let mut group = c.benchmark_group("insights");
    group.sample_size(10);
    group.bench_function("two years: 1,000,000 stage events, 200,000 surveys", |b| {
        b.iter(|| black_box(store.insights(black_box(&query)).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, insights);
criterion_main!(benches);
