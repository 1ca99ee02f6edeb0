//! Closed forms of queueing theory (`QUALITY.md`, "Flow and queues"): Erlang C for the M/M/c
//! queue and Kingman's approximation for G/G/1. The simulation is checked against them on their
//! own assumptions before it is trusted on a clinic's real day.

use serde::Serialize;
use ts_rs::TS;

use super::simulation::{poisson_arrivals, run, streams, Estimate, Model, Pool, ServiceTime, Step};
use crate::error::{Error, Refusal, Result};

/// More servers than any clinic has: the bound keeps a typo from running for hours.
pub const MAX_SERVERS: u32 = 1000;

/// A plain M/M/c queue: Poisson arrivals, exponential service, `servers` in parallel, first
/// come first served. Rates are per hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct MmcQueue {
    pub arrival_rate: f64,
    pub service_rate: f64,
    pub servers: u32,
}

/// What Erlang C says of an M/M/c queue in steady state; times in hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct ErlangC {
    /// ρ = λ / (cμ).
    pub utilisation: f64,
    /// C: the chance that an arrival waits.
    pub wait_probability: f64,
    /// Wq = C / (cμ − λ).
    pub mean_wait: f64,
    /// W = Wq + 1/μ.
    pub mean_time_in_system: f64,
    /// Lq = λ Wq (Little).
    pub mean_queue_length: f64,
}

impl MmcQueue {
    /// Refuses what has no steady state (ρ ≥ 1) or is not a queue.
    pub fn check(&self) -> Result<()> {
        let positive = |field: &'static str, what: &str, value: f64| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(Error::refused(field, Refusal::NotPositive { what: what.into(), value: value.to_string() }))
            }
        };
        positive("arrival_rate", "The arrival rate", self.arrival_rate)?;
        positive("service_rate", "The service rate", self.service_rate)?;
        if !(1..=MAX_SERVERS).contains(&self.servers) {
            return Err(Error::refused(
                "servers",
                Refusal::OutOfRange { what: "Servers".into(), value: self.servers, min: 1, max: MAX_SERVERS },
            ));
        }
        let rho = self.utilisation();
        if rho >= 1.0 {
            return Err(Error::refused("arrival_rate", Refusal::QueueUnstable { utilisation: format!("{rho:.3}") }));
        }
        Ok(())
    }

    pub fn utilisation(&self) -> f64 {
        self.arrival_rate / (self.servers as f64 * self.service_rate)
    }

    /// Erlang C: P0 = [Σ_{n<c} aⁿ/n! + a^c/(c!(1−ρ))]⁻¹, C = a^c/(c!(1−ρ))·P0.
    pub fn erlang_c(&self) -> Result<ErlangC> {
        self.check()?;
        let (lambda, mu, c) = (self.arrival_rate, self.service_rate, self.servers);
        let a = lambda / mu;
        let rho = self.utilisation();
        // aⁿ/n! term by term: no factorial overflows for large c.
        let mut term = 1.0;
        let mut below_c = 0.0;
        for n in 0..c {
            below_c += term;
            term *= a / (n + 1) as f64;
        }
        let at_c = term / (1.0 - rho);
        let p0 = 1.0 / (below_c + at_c);
        let wait_probability = at_c * p0;
        let mean_wait = wait_probability / (c as f64 * mu - lambda);
        Ok(ErlangC {
            utilisation: rho,
            wait_probability,
            mean_wait,
            mean_time_in_system: mean_wait + 1.0 / mu,
            mean_queue_length: lambda * mean_wait,
        })
    }
}

/// Kingman's approximation of the mean wait in a G/G/1 queue: Wq ≈ (ρ/(1−ρ))·((ca² + cs²)/2)·τ,
/// with `ca`, `cs` the coefficients of variation of the inter-arrival and service times and `tau`
/// the mean service time (the result is in its unit).
pub fn kingman_wait(utilisation: f64, ca: f64, cs: f64, tau: f64) -> f64 {
    utilisation / (1.0 - utilisation) * (ca * ca + cs * cs) / 2.0 * tau
}

/// A simulated M/M/c queue beside its closed form; times in hours.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MmcSimulation {
    pub queue: MmcQueue,
    pub hours: f64,
    pub replications: u32,
    pub seed: u64,
    /// Patients whose figures count, over all replications (after each one's warm-up).
    pub patients: u64,
    pub mean_wait: Estimate,
    pub mean_time_in_system: Estimate,
    pub utilisation: Estimate,
    pub erlang_c: ErlangC,
}

/// The first tenth of each replication is a warm-up: the queue starts empty, which the steady
/// state that Erlang C describes is not.
pub const WARM_UP_SHARE: f64 = 0.1;

/// Runs the simulation on an M/M/c queue for `hours` (each replication), to compare with Erlang C.
pub fn simulate_mmc(queue: MmcQueue, hours: f64, replications: u32, seed: u64) -> Result<MmcSimulation> {
    let erlang_c = queue.erlang_c()?;
    if !(hours.is_finite() && hours > 0.0 && hours <= 1e7) {
        return Err(Error::refused("hours", Refusal::NotPositive { what: "Hours".into(), value: hours.to_string() }));
    }
    if !(2..=100_000).contains(&replications) {
        return Err(Error::refused(
            "replications",
            Refusal::OutOfRange { what: "Replications".into(), value: replications, min: 2, max: 100_000 },
        ));
    }
    let until = hours * 60.0;
    let warm_up = until * WARM_UP_SHARE;
    let model = Model {
        stages: vec!["queue".into()],
        pools: vec![Pool { name: "servers".into(), servers: vec![vec![(0.0, f64::INFINITY)]; queue.servers as usize] }],
        routes: vec![vec![Step {
            stage: 0,
            pool: 0,
            service: ServiceTime::Exponential { mean: 60.0 / queue.service_rate },
        }]],
        window: (warm_up, until),
    };
    let (mut waits, mut systems, mut utilisations, mut patients) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for r in 0..replications {
        let (arrival_rng, mut service_rng) = streams(seed, r);
        let arrivals = poisson_arrivals(queue.arrival_rate / 60.0, until, warm_up, arrival_rng);
        let rep = run(&model, arrivals, &mut service_rng, false);
        let (sum, count) = rep.wait_sums[0];
        patients += count;
        if count > 0 {
            waits.push(sum / count as f64 / 60.0);
        }
        if let Some(w) = rep.mean_time_in_system {
            systems.push(w / 60.0);
        }
        if let Some(u) = rep.utilisations[0] {
            utilisations.push(u);
        }
    }
    let none = || Error::refused("hours", Refusal::NotPositive { what: "Hours".into(), value: hours.to_string() });
    Ok(MmcSimulation {
        queue,
        hours,
        replications,
        seed,
        patients,
        mean_wait: Estimate::of(&waits).ok_or_else(none)?,
        mean_time_in_system: Estimate::of(&systems).ok_or_else(none)?,
        utilisation: Estimate::of(&utilisations).ok_or_else(none)?,
        erlang_c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn erlang_c_matches_hand_worked_cases() {
        // M/M/1, λ = 3, μ = 4: ρ = 0.75, C = ρ, Wq = ρ/(μ − λ) = 0.75 h, W = 1 h, Lq = 2.25.
        let one = MmcQueue { arrival_rate: 3.0, service_rate: 4.0, servers: 1 }.erlang_c().unwrap();
        assert!(close(one.wait_probability, 0.75, 1e-12) && close(one.mean_wait, 0.75, 1e-12));
        assert!(close(one.mean_time_in_system, 1.0, 1e-12) && close(one.mean_queue_length, 2.25, 1e-12));
        // M/M/2, λ = 2, μ = 1.5: a = 4/3, ρ = 2/3. P0 = [1 + 4/3 + (16/9)/(2·(1/3))]⁻¹ = 1/5,
        // C = (8/3)·(1/5) = 8/15, Wq = (8/15)/(3 − 2) = 8/15 h.
        let two = MmcQueue { arrival_rate: 2.0, service_rate: 1.5, servers: 2 }.erlang_c().unwrap();
        assert!(close(two.wait_probability, 8.0 / 15.0, 1e-12), "{two:?}");
        assert!(close(two.mean_wait, 8.0 / 15.0, 1e-12));
        assert!(close(two.utilisation, 2.0 / 3.0, 1e-12));
    }

    #[test]
    fn a_queue_without_a_steady_state_is_refused() {
        let full = MmcQueue { arrival_rate: 8.0, service_rate: 4.0, servers: 2 };
        assert_eq!(full.erlang_c().unwrap_err().refusal().unwrap().reason(), "queue_unstable");
        let none = MmcQueue { arrival_rate: 1.0, service_rate: 4.0, servers: 0 };
        assert_eq!(none.erlang_c().unwrap_err().refusal().unwrap().reason(), "out_of_range");
        let nan = MmcQueue { arrival_rate: f64::NAN, service_rate: 4.0, servers: 1 };
        assert_eq!(nan.erlang_c().unwrap_err().refusal().unwrap().reason(), "not_positive");
    }

    #[test]
    fn kingman_is_exact_for_m_m_1() {
        // Exponential arrivals and service (ca = cs = 1): ρ/(1−ρ)·τ, the M/M/1 wait.
        let q = MmcQueue { arrival_rate: 3.0, service_rate: 4.0, servers: 1 };
        assert!(close(kingman_wait(0.75, 1.0, 1.0, 0.25), q.erlang_c().unwrap().mean_wait, 1e-12));
        // Scheduled arrivals (ca = 0), exponential service: half of it.
        assert!(close(kingman_wait(0.75, 0.0, 1.0, 0.25), 0.375, 1e-12));
    }

    /// The simulation agrees with Erlang C over a grid of λ, μ, c with ρ from 0.5 to 0.9: the
    /// mean wait in queue within 2 %. Near ρ = 0.9 a single server's waits are strongly
    /// correlated, so the runs are long (the error shrinks with the square root of their length).
    #[test]
    fn the_simulation_agrees_with_erlang_c_within_two_percent() {
        // (servers, service rate per hour, ρ, patients over all replications)
        let grid = [
            (1u32, 4.0, 0.5, 1_000_000.0),
            (1, 4.0, 0.7, 1_500_000.0),
            (1, 4.0, 0.9, 6_000_000.0),
            (2, 3.0, 0.5, 1_000_000.0),
            (2, 3.0, 0.7, 1_000_000.0),
            (2, 3.0, 0.9, 3_000_000.0),
            (5, 2.0, 0.5, 1_500_000.0),
            (5, 2.0, 0.7, 1_000_000.0),
            (5, 2.0, 0.9, 3_000_000.0),
        ];
        for (c, mu, rho, patients) in grid {
            let queue = MmcQueue { arrival_rate: rho * c as f64 * mu, service_rate: mu, servers: c };
            let replications = 10;
            let hours = patients / queue.arrival_rate / replications as f64;
            let sim = simulate_mmc(queue, hours, replications, 2026).unwrap();
            let exact = sim.erlang_c.mean_wait;
            let error = (sim.mean_wait.mean - exact).abs() / exact;
            assert!(
                error < 0.02,
                "c={c} μ={mu} ρ={rho}: simulated Wq {:.5} h, Erlang C {exact:.5} h ({:.1} %)",
                sim.mean_wait.mean,
                error * 100.0
            );
            assert!((sim.utilisation.mean - rho).abs() < 0.01, "c={c} ρ={rho}: utilisation {}", sim.utilisation.mean);
            let w = sim.erlang_c.mean_time_in_system;
            assert!((sim.mean_time_in_system.mean - w).abs() / w < 0.02);
        }
    }

    /// Kingman on a D/M/1 queue (scheduled arrivals, exponential service): its approximation
    /// is an upper bound of the right order, within the 50 % a heavy-traffic formula gives at
    /// moderate load; at ρ = 0.9 it is close.
    #[test]
    fn the_simulation_agrees_with_kingman_for_scheduled_arrivals() {
        use crate::domain::simulation::{run, streams, Arrival};
        for (rho, tolerance) in [(0.7, 0.5), (0.9, 0.2)] {
            let tau = 15.0;
            let gap = tau / rho;
            let model = Model {
                stages: vec!["desk".into()],
                pools: vec![Pool { name: "desk".into(), servers: vec![vec![(0.0, f64::INFINITY)]] }],
                routes: vec![vec![Step { stage: 0, pool: 0, service: ServiceTime::Exponential { mean: tau } }]],
                window: (0.0, f64::INFINITY),
            };
            let patients = 400_000;
            let arrivals = (0..patients).map(|i| Arrival { at: i as f64 * gap, route: 0, counted: i >= patients / 10 });
            let (_, mut rng) = streams(7, 0);
            let rep = run(&model, arrivals, &mut rng, false);
            let simulated = rep.wait_sums[0].0 / rep.wait_sums[0].1 as f64;
            let kingman = kingman_wait(rho, 0.0, 1.0, tau);
            assert!(simulated <= kingman * 1.02, "ρ={rho}: {simulated} above Kingman's {kingman}");
            assert!((simulated - kingman).abs() / kingman < tolerance, "ρ={rho}: {simulated} vs Kingman's {kingman}");
        }
    }
}
