//! The queue simulation: a 60-patient day (four providers booked 08:00–18:00, two front-desk
//! people, check-in, consultation and check-out with log-normal times) × 1,000 replications,
//! the figure the service-quality issue sets a target for (< 1 s).
//!
//! Run with `cargo bench -p clinic-journey-core --bench simulation`.

use std::collections::BTreeMap;
use std::hint::black_box;

use clinic_journey_core::domain::clinic::MinuteRange;
use clinic_journey_core::domain::day_forecast::{forecast_day, DayPlan, PlannedVisit, ProviderDay, ServedStage};
use clinic_journey_core::domain::resources::Role;
use clinic_journey_core::domain::simulation::ServiceTime;
use criterion::{criterion_group, criterion_main, Criterion};
use uuid::Uuid;

fn sixty_patient_day() -> DayPlan {
    let hours = vec![MinuteRange { start: 8 * 60, end: 18 * 60 }];
    let providers: Vec<ProviderDay> = (0..4)
        .map(|i| ProviderDay { id: Uuid::from_u128(i + 1), name: format!("Dr {i}"), spans: hours.clone() })
        .collect();
    let stage = |key: &str, role, mean: f64| ServedStage {
        journey: "first_consultation".into(),
        journey_name: "First consultation".into(),
        key: key.into(),
        name: key.into(),
        role,
        service: ServiceTime::LogNormal { mean, sd: mean * 0.3 },
    };
    let visits = (0..60)
        .map(|i| PlannedVisit {
            provider: i % 4,
            start: (8 * 60 + (i / 4) * 40) as f64,
            stages: vec![
                stage("check_in", Role::FrontDesk, 4.0),
                stage("consultation", Role::Clinician, 35.0),
                stage("check_out", Role::FrontDesk, 5.0),
            ],
        })
        .collect();
    DayPlan {
        visits,
        providers,
        staff: BTreeMap::from([(Role::FrontDesk, vec![hours.clone(); 2])]),
        clinic_hours: hours,
        no_show_rate: 0.08,
    }
}

fn simulation(c: &mut Criterion) {
    let plan = sixty_patient_day();
    let once = forecast_day(&plan, 1000, 1, None).unwrap();
    println!(
        "60-patient day × 1,000 replications: bottleneck {:?}, consultation wait p90 {:.1} min",
        once.bottleneck.as_ref().map(|b| b.stage_key.as_str()),
        once.stages[1].wait_p90.mean
    );
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    group.bench_function("60-patient day × 1,000 replications", |b| {
        b.iter(|| black_box(forecast_day(black_box(&plan), 1000, 1, None).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
