//! Where a day will jam: its bookings run through the simulation many times. Each visit passes
//! its journey's visit stages in order; its first clinician's stage (the consultation or
//! treatment it was booked for) is served by the visit's own provider, every other stage by the
//! pool of staff of the stage's role on duty (recovery by the clinical staff, check-in by the
//! front desk); the waiting room is the queue before the next stage, not a service. Scenarios change the plan (more staff, shorter
//! consultations, a provider's visits moved) and are compared with it side by side.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::clinic::{parse_hhmm, Minute, MinuteRange};
use super::resources::Role;
use super::simulation::{chance, run, streams, wait_quantiles, Arrival, Estimate, Model, Pool, ServiceTime, Step};
use crate::error::{Error, Refusal, Result};

/// A stage of a booked visit that someone serves.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedStage {
    /// The journey (template family) it belongs to: "consultation" of a first visit and of a
    /// follow-up are reported apart.
    pub journey: String,
    pub journey_name: String,
    pub key: String,
    pub name: String,
    /// Who serves it; a clinician's stage is served by the visit's own provider.
    pub role: Role,
    pub service: ServiceTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVisit {
    pub provider: usize,
    /// Booked start, minutes after the clinic's midnight.
    pub start: f64,
    pub stages: Vec<ServedStage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderDay {
    pub id: Uuid,
    pub name: String,
    pub spans: Vec<MinuteRange>,
}

/// What the day holds: its visits, its providers' hours, the hours of each person of each role
/// on duty, and what the clinic's history says of patients.
#[derive(Debug, Clone, PartialEq)]
pub struct DayPlan {
    pub visits: Vec<PlannedVisit>,
    pub providers: Vec<ProviderDay>,
    /// Per role, each person's spans on duty.
    pub staff: BTreeMap<Role, Vec<Vec<MinuteRange>>>,
    pub clinic_hours: Vec<MinuteRange>,
    /// Share of visits missed, from the clinic's recent history.
    pub no_show_rate: f64,
}

/// Patients come a few minutes early on average, some late: minutes before (−) or after the
/// booked time, as a normal spread.
pub const PUNCTUALITY_MEAN: f64 = -5.0;
pub const PUNCTUALITY_SD: f64 = 6.0;

/// One change a scenario makes to the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanChange {
    /// `count` more people of `role` on duty from `from` to `to` ("08:00"–"11:00").
    ExtraStaff { role: Role, count: u32, from: String, to: String },
    /// The stage takes this many minutes on average (e.g. 15-minute consultations).
    StageMinutes { stage_key: String, minutes: f64 },
    /// The provider's visits from `from` on start `by_minutes` later (or earlier, negative),
    /// and their hours move with them.
    MoveVisits { provider_id: Uuid, from: String, by_minutes: i32 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Scenario {
    pub name: String,
    pub changes: Vec<PlanChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StageForecast {
    pub journey: String,
    pub journey_name: String,
    pub stage_key: String,
    pub name: String,
    pub role: Role,
    /// Over replications: each replication's median and 90th-percentile wait, minutes.
    pub wait_median: Estimate,
    pub wait_p90: Estimate,
    /// Time-average number of patients waiting for it over the clinic's day.
    pub queue_length: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PoolForecast {
    pub name: String,
    pub role: Role,
    /// The provider, for a provider's own pool.
    pub provider_id: Option<Uuid>,
    pub people: u32,
    pub utilisation: Estimate,
}

/// The likely bottleneck: the stage with the longest mean wait in most replications.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Bottleneck {
    pub journey: String,
    pub stage_key: String,
    pub name: String,
    /// Share of replications in which it had the longest mean wait (0–1).
    pub share: f64,
    pub wait_p90: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DayForecast {
    pub scenario: Option<String>,
    pub visits: u32,
    pub replications: u32,
    pub seed: u64,
    pub stages: Vec<StageForecast>,
    pub pools: Vec<PoolForecast>,
    pub bottleneck: Option<Bottleneck>,
    /// Counted patients on average still unserved when everyone has gone home.
    pub unserved: f64,
}

pub const MAX_REPLICATIONS: u32 = 100_000;

/// Runs the day `replications` times (each with its own arrivals, no-shows and service times
/// from `seed`).
pub fn forecast_day(plan: &DayPlan, replications: u32, seed: u64, scenario: Option<&Scenario>) -> Result<DayForecast> {
    if !(1..=MAX_REPLICATIONS).contains(&replications) {
        return Err(Error::refused(
            "replications",
            Refusal::OutOfRange { what: "Replications".into(), value: replications, min: 1, max: MAX_REPLICATIONS },
        ));
    }
    let plan = match scenario {
        Some(s) => apply(plan, s)?,
        None => plan.clone(),
    };
    let built = build_model(&plan);
    let stages = built.model.stages.len();
    let (mut medians, mut p90s, mut queues) =
        (vec![Vec::new(); stages], vec![Vec::new(); stages], vec![Vec::new(); stages]);
    let mut utilisations = vec![Vec::new(); built.model.pools.len()];
    let mut longest = vec![0u32; stages];
    let mut unserved = 0.0;
    for r in 0..replications {
        let (mut arrival_rng, mut service_rng) = streams(seed, r);
        let mut arrivals: Vec<Arrival> = Vec::with_capacity(plan.visits.len());
        for (route, visit) in plan.visits.iter().enumerate() {
            let comes = chance(&mut arrival_rng) >= plan.no_show_rate;
            let offset = normal(&mut arrival_rng) * PUNCTUALITY_SD + PUNCTUALITY_MEAN;
            if comes {
                arrivals.push(Arrival { at: visit.start + offset, route, counted: true });
            }
        }
        arrivals.sort_by(|a, b| a.at.total_cmp(&b.at));
        let rep = run(&built.model, arrivals.into_iter(), &mut service_rng, true);
        let mut worst: Option<(usize, f64)> = None;
        for s in 0..stages {
            if let Some((median, p90)) = wait_quantiles(&rep.waits[s]) {
                medians[s].push(median);
                p90s[s].push(p90);
            }
            queues[s].push(rep.queue_lengths[s]);
            let (sum, count) = rep.wait_sums[s];
            if count > 0 && worst.is_none_or(|(_, w)| sum / count as f64 > w) {
                worst = Some((s, sum / count as f64));
            }
        }
        if let Some((s, _)) = worst.filter(|(_, wait)| *wait > 0.0) {
            longest[s] += 1;
        }
        for (p, u) in rep.utilisations.iter().enumerate() {
            if let Some(u) = u {
                utilisations[p].push(*u);
            }
        }
        unserved += rep.unserved as f64;
    }
    let zero = Estimate { mean: 0.0, ci_low: 0.0, ci_high: 0.0, p5: 0.0, p95: 0.0 };
    let stage_forecasts: Vec<StageForecast> = (0..stages)
        .map(|s| StageForecast {
            journey: built.stage_journeys[s].0.clone(),
            journey_name: built.stage_journeys[s].1.clone(),
            stage_key: built.model.stages[s].clone(),
            name: built.stage_names[s].clone(),
            role: built.stage_roles[s],
            wait_median: Estimate::of(&medians[s]).unwrap_or(zero),
            wait_p90: Estimate::of(&p90s[s]).unwrap_or(zero),
            queue_length: Estimate::of(&queues[s]).unwrap_or(zero),
        })
        .collect();
    let bottleneck = (0..stages).max_by_key(|&s| longest[s]).filter(|&s| longest[s] > 0).map(|s| Bottleneck {
        journey: stage_forecasts[s].journey.clone(),
        stage_key: stage_forecasts[s].stage_key.clone(),
        name: stage_forecasts[s].name.clone(),
        share: longest[s] as f64 / replications as f64,
        wait_p90: stage_forecasts[s].wait_p90,
    });
    Ok(DayForecast {
        scenario: scenario.map(|s| s.name.clone()),
        visits: plan.visits.len() as u32,
        replications,
        seed,
        stages: stage_forecasts,
        pools: built
            .pools
            .iter()
            .enumerate()
            .map(|(p, (role, provider_id))| PoolForecast {
                name: built.model.pools[p].name.clone(),
                role: *role,
                provider_id: *provider_id,
                people: built.model.pools[p].servers.len() as u32,
                utilisation: Estimate::of(&utilisations[p]).unwrap_or(zero),
            })
            .collect(),
        bottleneck,
        unserved: unserved / replications as f64,
    })
}

/// A standard normal draw (Box–Muller) from the arrivals' stream.
fn normal(rng: &mut rand_chacha::ChaCha8Rng) -> f64 {
    let u1 = chance(rng).max(f64::MIN_POSITIVE);
    let u2 = chance(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

struct Built {
    model: Model,
    /// Per stage: its journey's key and name.
    stage_journeys: Vec<(String, String)>,
    stage_names: Vec<String>,
    stage_roles: Vec<Role>,
    /// Per pool: its role and, for a provider's, the provider.
    pools: Vec<(Role, Option<Uuid>)>,
}

fn spans(ranges: &[MinuteRange]) -> Vec<(f64, f64)> {
    ranges.iter().map(|r| (r.start as f64, r.end as f64)).collect()
}

fn build_model(plan: &DayPlan) -> Built {
    let mut pools: Vec<Pool> = Vec::new();
    let mut owners: Vec<(Role, Option<Uuid>)> = Vec::new();
    for p in &plan.providers {
        pools.push(Pool { name: p.name.clone(), servers: vec![spans(&p.spans)] });
        owners.push((Role::Clinician, Some(p.id)));
    }
    let mut role_pool: BTreeMap<Role, usize> = BTreeMap::new();
    let mut stage_index: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut stage_keys, mut stage_names, mut stage_roles) = (Vec::new(), Vec::new(), Vec::new());
    let mut stage_journeys = Vec::new();
    let mut routes = Vec::with_capacity(plan.visits.len());
    for visit in &plan.visits {
        let mut route = Vec::with_capacity(visit.stages.len());
        let mut with_provider = false;
        for stage in &visit.stages {
            let pool = if stage.role == Role::Clinician && !with_provider {
                with_provider = true;
                visit.provider
            } else {
                *role_pool.entry(stage.role).or_insert_with(|| {
                    let people = plan.staff.get(&stage.role).filter(|people| !people.is_empty());
                    // A role without active staff is still served by someone: one person in
                    // the clinic's hours.
                    let servers = match people {
                        Some(people) => people.iter().map(|p| spans(p)).collect(),
                        None => vec![spans(&plan.clinic_hours)],
                    };
                    pools.push(Pool { name: stage.role.as_str().into(), servers });
                    owners.push((stage.role, None));
                    pools.len() - 1
                })
            };
            let index = *stage_index.entry((stage.journey.clone(), stage.key.clone())).or_insert_with(|| {
                stage_journeys.push((stage.journey.clone(), stage.journey_name.clone()));
                stage_keys.push(stage.key.clone());
                stage_names.push(stage.name.clone());
                stage_roles.push(stage.role);
                stage_keys.len() - 1
            });
            route.push(Step { stage: index, pool, service: stage.service });
        }
        routes.push(route);
    }
    let window = plan
        .clinic_hours
        .iter()
        .fold(None, |w: Option<(f64, f64)>, r| {
            Some(w.map_or((r.start as f64, r.end as f64), |(a, b)| (a.min(r.start as f64), b.max(r.end as f64))))
        })
        .unwrap_or((0.0, 24.0 * 60.0));
    Built {
        model: Model { stages: stage_keys, pools, routes, window },
        stage_journeys,
        stage_names,
        stage_roles,
        pools: owners,
    }
}

fn minute_of(field: &'static str, text: &str) -> Result<Minute> {
    parse_hhmm(text).ok_or_else(|| Error::refused(field, Refusal::BadTime { value: text.into() }))
}

/// The plan as the scenario changes it.
fn apply(plan: &DayPlan, scenario: &Scenario) -> Result<DayPlan> {
    let mut plan = plan.clone();
    for change in &scenario.changes {
        match change {
            PlanChange::ExtraStaff { role, count, from, to } => {
                let span = MinuteRange { start: minute_of("from", from)?, end: minute_of("to", to)? };
                if span.end <= span.start {
                    return Err(Error::refused("to", Refusal::PeriodReversed));
                }
                let people = plan.staff.entry(*role).or_default();
                people.extend(std::iter::repeat_n(vec![span], *count as usize));
            }
            PlanChange::StageMinutes { stage_key, minutes } => {
                if !(minutes.is_finite() && *minutes > 0.0) {
                    return Err(Error::refused(
                        "minutes",
                        Refusal::NotPositive { what: "Minutes".into(), value: minutes.to_string() },
                    ));
                }
                for stage in plan.visits.iter_mut().flat_map(|v| v.stages.iter_mut()).filter(|s| &s.key == stage_key) {
                    stage.service = scaled(stage.service, *minutes);
                }
            }
            PlanChange::MoveVisits { provider_id, from, by_minutes } => {
                let from = minute_of("from", from)? as f64;
                let by = *by_minutes as f64;
                let Some(p) = plan.providers.iter().position(|p| p.id == *provider_id) else {
                    return Err(Error::NotFound { entity: "provider", id: provider_id.to_string() });
                };
                for visit in plan.visits.iter_mut().filter(|v| v.provider == p && v.start >= from) {
                    visit.start += by;
                }
                let provider = &mut plan.providers[p];
                let mut moved = Vec::new();
                for span in &provider.spans {
                    let shift = |m: Minute| ((m as f64 + by).clamp(0.0, 24.0 * 60.0)) as Minute;
                    if (span.start as f64) >= from {
                        moved.push(MinuteRange { start: shift(span.start), end: shift(span.end) });
                    } else if (span.end as f64) > from {
                        moved.push(MinuteRange { start: span.start, end: from as Minute });
                        moved.push(MinuteRange { start: shift(from as Minute), end: shift(span.end) });
                    } else {
                        moved.push(*span);
                    }
                }
                provider.spans = moved;
            }
        }
    }
    Ok(plan)
}

/// The same shape of distribution with a new mean.
fn scaled(service: ServiceTime, mean: f64) -> ServiceTime {
    match service {
        ServiceTime::Exponential { .. } => ServiceTime::Exponential { mean },
        ServiceTime::LogNormal { mean: old, sd } => ServiceTime::LogNormal { mean, sd: sd * mean / old },
        ServiceTime::Fixed { .. } => ServiceTime::Fixed { minutes: mean },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(key: &str, role: Role, minutes: f64) -> ServedStage {
        ServedStage {
            journey: "visit".into(),
            journey_name: "Visit".into(),
            key: key.into(),
            name: key.into(),
            role,
            service: ServiceTime::Fixed { minutes },
        }
    }

    /// One provider 09:00–13:00 booked every 20 minutes for 40-minute consultations, one front
    /// desk person for 3-minute check-ins: the consultation jams.
    fn overbooked() -> DayPlan {
        let hours = vec![MinuteRange { start: 8 * 60, end: 18 * 60 }];
        let provider = ProviderDay { id: Uuid::nil(), name: "Dr Ozola".into(), spans: hours.clone() };
        let visits = (0..12)
            .map(|i| PlannedVisit {
                provider: 0,
                start: (9 * 60 + 20 * i) as f64,
                stages: vec![
                    stage("check_in", Role::FrontDesk, 3.0),
                    stage("consultation", Role::Clinician, 40.0),
                    stage("check_out", Role::FrontDesk, 5.0),
                ],
            })
            .collect();
        DayPlan {
            visits,
            providers: vec![provider],
            staff: BTreeMap::from([(Role::FrontDesk, vec![hours.clone()])]),
            clinic_hours: hours,
            no_show_rate: 0.0,
        }
    }

    #[test]
    fn an_overbooked_provider_is_the_bottleneck_and_shorter_consultations_clear_it() {
        let plan = overbooked();
        let today = forecast_day(&plan, 200, 7, None).unwrap();
        let jam = today.bottleneck.as_ref().unwrap();
        assert_eq!(jam.stage_key, "consultation");
        assert!(jam.share > 0.95, "{jam:?}");
        // Twelve 40-minute visits booked 20 minutes apart: the last one starts about 11 × 20
        // minutes late; the median patient waits about half of that.
        let consultation = today.stages.iter().find(|s| s.stage_key == "consultation").unwrap();
        assert!((consultation.wait_p90.mean - 180.0).abs() < 30.0, "{consultation:?}");
        assert!(consultation.wait_median.ci_low <= consultation.wait_median.mean);
        let doctor = today.pools.iter().find(|p| p.provider_id == Some(Uuid::nil())).unwrap();
        assert!(doctor.utilisation.mean > 0.45, "busy 8 of 10 hours: {doctor:?}");

        let short = Scenario {
            name: "15-minute consultations".into(),
            changes: vec![PlanChange::StageMinutes { stage_key: "consultation".into(), minutes: 15.0 }],
        };
        let shorter = forecast_day(&plan, 200, 7, Some(&short)).unwrap();
        let after = shorter.stages.iter().find(|s| s.stage_key == "consultation").unwrap();
        assert!(after.wait_p90.mean < 10.0, "{after:?}");
        assert_eq!(shorter.scenario.as_deref(), Some("15-minute consultations"));
    }

    #[test]
    fn more_front_desk_staff_shorten_a_morning_rush_and_the_same_seed_repeats() {
        let mut plan = overbooked();
        // Thirty patients at 09:00 for a 5-minute check-in with two providers' worth of rooms.
        for visit in plan.visits.iter_mut() {
            visit.stages[1].service = ServiceTime::Fixed { minutes: 1.0 };
        }
        for i in 0..18 {
            let mut extra = plan.visits[0].clone();
            extra.start = 9.0 * 60.0 + i as f64;
            plan.visits.push(extra);
        }
        let base = forecast_day(&plan, 100, 3, None).unwrap();
        assert_eq!(base, forecast_day(&plan, 100, 3, None).unwrap(), "the same seed gives the same day");
        let desk = |f: &DayForecast| f.stages.iter().find(|s| s.stage_key == "check_in").unwrap().wait_p90.mean;
        let helper = Scenario {
            name: "one more front-desk person 08:00–11:00".into(),
            changes: vec![PlanChange::ExtraStaff {
                role: Role::FrontDesk,
                count: 1,
                from: "08:00".into(),
                to: "11:00".into(),
            }],
        };
        let helped = forecast_day(&plan, 100, 3, Some(&helper)).unwrap();
        assert!(desk(&helped) < desk(&base) * 0.75, "{} vs {}", desk(&helped), desk(&base));
        assert_eq!(helped.pools.iter().find(|p| p.role == Role::FrontDesk).unwrap().people, 2);
    }

    #[test]
    fn moving_an_afternoon_moves_the_visits_and_the_hours_and_bad_changes_are_refused() {
        let plan = overbooked();
        let later = Scenario {
            name: "Dr Ozola's visits from 11:00 an hour later".into(),
            changes: vec![PlanChange::MoveVisits { provider_id: Uuid::nil(), from: "11:00".into(), by_minutes: 60 }],
        };
        let moved = apply(&plan, &later).unwrap();
        assert_eq!(moved.visits.iter().filter(|v| v.start >= 12.0 * 60.0).count(), 6);
        assert_eq!(
            moved.providers[0].spans,
            vec![MinuteRange { start: 8 * 60, end: 11 * 60 }, MinuteRange { start: 12 * 60, end: 19 * 60 },]
        );
        let reason =
            |s: Scenario| forecast_day(&plan, 10, 1, Some(&s)).unwrap_err().refusal().unwrap().reason().to_string();
        let bad_time =
            PlanChange::ExtraStaff { role: Role::FrontDesk, count: 1, from: "8am".into(), to: "11:00".into() };
        assert_eq!(reason(Scenario { name: "x".into(), changes: vec![bad_time] }), "bad_time");
        let zero = PlanChange::StageMinutes { stage_key: "consultation".into(), minutes: 0.0 };
        assert_eq!(reason(Scenario { name: "x".into(), changes: vec![zero] }), "not_positive");
        assert_eq!(forecast_day(&plan, 0, 1, None).unwrap_err().refusal().unwrap().reason(), "out_of_range");
    }
}
