//! A seeded discrete-event simulation of patients passing through stages, each stage served by a
//! pool of people (the front desk, one provider, the nurses) who are on duty in given spans. The
//! same engine runs a plain M/M/c queue (checked against Erlang C) and a clinic's day.
//!
//! Events happen in time order: a patient arrives at a step, a service ends, a person comes on
//! duty. A patient takes the first free person of the step's pool who is on duty, else waits in
//! the pool's queue (first come, first served); a service that has begun is finished even past
//! the end of a shift. Each replication draws its own arrivals and service times from its own
//! streams of one seed, so a run is repeatable on any machine.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};
use ts_rs::TS;

use super::overlay::{median, percentile};

/// How long one service takes, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServiceTime {
    Exponential {
        mean: f64,
    },
    /// Right-skewed like real consultations: most near the median, a few much longer.
    LogNormal {
        mean: f64,
        sd: f64,
    },
    Fixed {
        minutes: f64,
    },
}

impl ServiceTime {
    pub fn mean(&self) -> f64 {
        match *self {
            ServiceTime::Exponential { mean } | ServiceTime::LogNormal { mean, .. } => mean,
            ServiceTime::Fixed { minutes } => minutes,
        }
    }

    /// The distribution fitted to observed minutes: log-normal by the mean and standard
    /// deviation of their logarithms (the maximum-likelihood fit).
    pub fn fitted(minutes: &[f64]) -> Option<ServiceTime> {
        let logs: Vec<f64> = minutes.iter().filter(|m| **m > 0.0).map(|m| m.ln()).collect();
        if logs.len() < 2 {
            return None;
        }
        let n = logs.len() as f64;
        let mu = logs.iter().sum::<f64>() / n;
        let sigma2 = logs.iter().map(|l| (l - mu).powi(2)).sum::<f64>() / n;
        let mean = (mu + sigma2 / 2.0).exp();
        let sd = mean * (sigma2.exp() - 1.0).sqrt();
        Some(ServiceTime::LogNormal { mean, sd })
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> f64 {
        match *self {
            ServiceTime::Exponential { mean } => Exp::new(1.0 / mean).map(|d| d.sample(rng)).unwrap_or(mean),
            ServiceTime::LogNormal { mean, sd } => {
                if sd <= 0.0 {
                    return mean;
                }
                let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
                let mu = mean.ln() - sigma2 / 2.0;
                LogNormal::new(mu, sigma2.sqrt()).map(|d| d.sample(rng)).unwrap_or(mean)
            }
            ServiceTime::Fixed { minutes } => minutes,
        }
    }
}

/// The people who serve a step: each one's on-duty spans, in minutes from the day's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub name: String,
    pub servers: Vec<Vec<(f64, f64)>>,
}

/// One step of a route: the stage it counts for, the pool that serves it, how long it takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub stage: usize,
    pub pool: usize,
    pub service: ServiceTime,
}

/// What is simulated: the stages reported on, the pools, the routes patients take, and the
/// window (minutes) over which pools' utilisation and queue lengths are measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub stages: Vec<String>,
    pub pools: Vec<Pool>,
    pub routes: Vec<Vec<Step>>,
    pub window: (f64, f64),
}

/// A patient entering: when, by which route, and whether their figures count (not in a warm-up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    pub at: f64,
    pub route: usize,
    pub counted: bool,
}

/// One replication's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    /// Per stage: waits (minutes) of the counted patients who were served.
    pub waits: Vec<Vec<f64>>,
    /// Per stage: the sum and count of those waits (kept even when the waits are not).
    pub wait_sums: Vec<(f64, u64)>,
    /// Per stage: time-average number waiting over the window.
    pub queue_lengths: Vec<f64>,
    /// Per pool: busy time ÷ on-duty time, both within the window and the people's hours.
    pub utilisations: Vec<Option<f64>>,
    /// Mean minutes from arrival to the end of the last step, of counted patients.
    pub mean_time_in_system: Option<f64>,
    /// Counted patients still waiting when the events ran out (no one came on duty again).
    pub unserved: u32,
}

#[derive(Debug, Clone, Copy)]
struct Patient {
    route: u32,
    entered: f64,
    counted: bool,
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Arrive { patient: Patient, step: u16 },
    Done { patient: Patient, step: u16, pool: u16, server: u16 },
    OnDuty { pool: u16, server: u16 },
    NextArrival,
}

struct Scheduled {
    at: f64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Earliest first (`BinaryHeap` pops the greatest); ties in the order they were scheduled.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.total_cmp(&self.at).then_with(|| other.seq.cmp(&self.seq))
    }
}

struct Waiting {
    patient: Patient,
    step: u16,
    since: f64,
}

struct Run<'m> {
    model: &'m Model,
    events: BinaryHeap<Scheduled>,
    seq: u64,
    busy: Vec<Vec<bool>>,
    queues: Vec<VecDeque<Waiting>>,
    busy_minutes: Vec<f64>,
    /// Per stage: how many wait now, since when, and the area under that count in the window.
    waiting: Vec<(u32, f64, f64)>,
    result: Replication,
    in_system: (f64, u64),
}

/// Runs one replication: `arrivals` in time order, service times from `rng`. With
/// `keep_waits`, every wait is kept (for medians); else only their sums.
pub fn run(
    model: &Model,
    arrivals: impl Iterator<Item = Arrival>,
    rng: &mut ChaCha8Rng,
    keep_waits: bool,
) -> Replication {
    let stages = model.stages.len();
    let mut r = Run {
        model,
        events: BinaryHeap::new(),
        seq: 0,
        busy: model.pools.iter().map(|p| vec![false; p.servers.len()]).collect(),
        queues: model.pools.iter().map(|_| VecDeque::new()).collect(),
        busy_minutes: vec![0.0; model.pools.len()],
        waiting: vec![(0, model.window.0, 0.0); stages],
        result: Replication {
            waits: vec![Vec::new(); if keep_waits { stages } else { 0 }],
            wait_sums: vec![(0.0, 0); stages],
            queue_lengths: vec![0.0; stages],
            utilisations: Vec::new(),
            mean_time_in_system: None,
            unserved: 0,
        },
        in_system: (0.0, 0),
    };
    for (p, pool) in model.pools.iter().enumerate() {
        for (s, spans) in pool.servers.iter().enumerate() {
            for &(from, _) in spans {
                r.schedule(from, Event::OnDuty { pool: p as u16, server: s as u16 });
            }
        }
    }
    let mut arrivals = arrivals.peekable();
    if let Some(first) = arrivals.peek() {
        r.schedule(first.at, Event::NextArrival);
    }
    while let Some(Scheduled { at, event, .. }) = r.events.pop() {
        match event {
            Event::NextArrival => {
                if let Some(a) = arrivals.next() {
                    let patient = Patient { route: a.route as u32, entered: a.at, counted: a.counted };
                    r.arrive(at, patient, 0, rng);
                }
                if let Some(next) = arrivals.peek() {
                    r.schedule(next.at.max(at), Event::NextArrival);
                }
            }
            Event::Arrive { patient, step } => r.arrive(at, patient, step, rng),
            Event::Done { patient, step, pool, server } => {
                r.busy[pool as usize][server as usize] = false;
                r.schedule(at, Event::Arrive { patient, step: step + 1 });
                r.serve_next(at, pool as usize, server as usize, rng);
            }
            Event::OnDuty { pool, server } => {
                if !r.busy[pool as usize][server as usize] {
                    r.serve_next(at, pool as usize, server as usize, rng);
                }
            }
        }
    }
    r.finish()
}

impl Run<'_> {
    fn schedule(&mut self, at: f64, event: Event) {
        self.seq += 1;
        self.events.push(Scheduled { at, seq: self.seq, event });
    }

    fn on_duty(&self, pool: usize, server: usize, at: f64) -> bool {
        self.model.pools[pool].servers[server].iter().any(|&(from, to)| from <= at && at < to)
    }

    fn arrive(&mut self, at: f64, patient: Patient, step: u16, rng: &mut ChaCha8Rng) {
        let route = &self.model.routes[patient.route as usize];
        let Some(&Step { pool, stage, .. }) = route.get(step as usize) else {
            if patient.counted {
                self.in_system.0 += at - patient.entered;
                self.in_system.1 += 1;
            }
            return;
        };
        let free = (0..self.busy[pool].len()).find(|&s| !self.busy[pool][s] && self.on_duty(pool, s, at));
        match free {
            Some(server) => self.start(at, patient, step, server, 0.0, rng),
            None => {
                self.count_waiting(stage, at, 1);
                self.queues[pool].push_back(Waiting { patient, step, since: at });
            }
        }
    }

    fn serve_next(&mut self, at: f64, pool: usize, server: usize, rng: &mut ChaCha8Rng) {
        if !self.on_duty(pool, server, at) {
            return;
        }
        if let Some(next) = self.queues[pool].pop_front() {
            let stage = self.model.routes[next.patient.route as usize][next.step as usize].stage;
            self.count_waiting(stage, at, -1);
            self.start(at, next.patient, next.step, server, at - next.since, rng);
        }
    }

    fn start(&mut self, at: f64, patient: Patient, step: u16, server: usize, waited: f64, rng: &mut ChaCha8Rng) {
        let Step { stage, pool, service } = self.model.routes[patient.route as usize][step as usize];
        let minutes = service.sample(rng).max(0.0);
        self.busy[pool][server] = true;
        // Busy time counts within the window and the person's own hours: overtime past a shift
        // is not more than full use.
        let (from, to) = self.model.window;
        let (start, end) = (at.max(from), (at + minutes).min(to));
        self.busy_minutes[pool] += self.model.pools[pool].servers[server]
            .iter()
            .map(|&(a, b)| (end.min(b) - start.max(a)).max(0.0))
            .sum::<f64>();
        if patient.counted {
            let sums = &mut self.result.wait_sums[stage];
            sums.0 += waited;
            sums.1 += 1;
            if let Some(waits) = self.result.waits.get_mut(stage) {
                waits.push(waited);
            }
        }
        self.schedule(at + minutes, Event::Done { patient, step, pool: pool as u16, server: server as u16 });
    }

    /// Adds `change` to the number waiting at `stage`, integrating the count over the window.
    fn count_waiting(&mut self, stage: usize, at: f64, change: i32) {
        let (from, to) = self.model.window;
        let (count, since, area) = &mut self.waiting[stage];
        let span = (at.min(to) - since.max(from)).max(0.0);
        *area += *count as f64 * span;
        *since = at;
        *count = (*count as i32 + change).max(0) as u32;
    }

    fn finish(mut self) -> Replication {
        let (from, to) = self.model.window;
        let length = (to - from).max(f64::MIN_POSITIVE);
        for stage in 0..self.model.stages.len() {
            self.count_waiting(stage, to, 0);
            self.result.queue_lengths[stage] = self.waiting[stage].2 / length;
        }
        self.result.utilisations = self
            .model
            .pools
            .iter()
            .zip(&self.busy_minutes)
            .map(|(pool, busy)| {
                let on_duty: f64 =
                    pool.servers.iter().flatten().map(|&(a, b)| (b.min(to) - a.max(from)).max(0.0)).sum();
                (on_duty > 0.0).then(|| busy / on_duty)
            })
            .collect();
        self.result.unserved = self.queues.iter().flatten().filter(|w| w.patient.counted).count() as u32;
        self.result.mean_time_in_system = (self.in_system.1 > 0).then(|| self.in_system.0 / self.in_system.1 as f64);
        self.result
    }
}

/// Seeded streams: replication `r` draws its arrivals from stream 2r and its service times from
/// stream 2r + 1 of `seed`.
pub fn streams(seed: u64, replication: u32) -> (ChaCha8Rng, ChaCha8Rng) {
    let stream = |n: u64| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(n);
        rng
    };
    (stream(2 * replication as u64), stream(2 * replication as u64 + 1))
}

/// Poisson arrivals at `rate` per minute over `[0, until)`, all by route 0; those before
/// `warm_up` do not count (the queue starts empty, which a steady state is not).
pub fn poisson_arrivals(rate: f64, until: f64, warm_up: f64, mut rng: ChaCha8Rng) -> impl Iterator<Item = Arrival> {
    let gap = Exp::new(rate).ok();
    let mut at = 0.0;
    std::iter::from_fn(move || {
        at += gap.as_ref()?.sample(&mut rng);
        (at < until).then_some(Arrival { at, route: 0, counted: at >= warm_up })
    })
}

/// A figure over replications: its mean, the 95 % confidence interval of that mean (Student's
/// t), and the range of the middle 90 % of replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Estimate {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p5: f64,
    pub p95: f64,
}

impl Estimate {
    pub fn of(values: &[f64]) -> Option<Estimate> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let half = if n > 1 {
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).map(|d| d.inverse_cdf(0.975)).unwrap_or(1.96);
            t * (var / n as f64).sqrt()
        } else {
            0.0
        };
        Some(Estimate {
            mean,
            ci_low: mean - half,
            ci_high: mean + half,
            p5: percentile(values, 5.0).unwrap_or(mean),
            p95: percentile(values, 95.0).unwrap_or(mean),
        })
    }
}

/// The median and 90th percentile of one replication's waits at a stage.
pub fn wait_quantiles(waits: &[f64]) -> Option<(f64, f64)> {
    Some((median(waits)?, percentile(waits, 90.0)?))
}

/// A random draw in `[0, 1)` from `rng` (callers' own choices, e.g. whether a patient comes).
pub fn chance(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}
