//! `clinic-journey simulate queue`: the simulation engine on a plain M/M/c queue beside Erlang C,
//! so that anyone can check it against the closed form.

use clap::Subcommand;
use clinic_journey_core::domain::queue::{simulate_mmc, MmcQueue, MmcSimulation};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum SimulateCommand {
    /// A plain M/M/c queue (Poisson arrivals, exponential service, first come first served):
    /// the simulated mean wait in queue, time in system and utilisation with 95 % confidence
    /// intervals, beside Erlang C. Rates are per hour.
    Queue {
        #[arg(long)]
        arrival_rate: f64,
        #[arg(long)]
        service_rate: f64,
        #[arg(long)]
        servers: u32,
        /// Simulated hours per replication (the first tenth is a warm-up, not counted).
        #[arg(long, default_value_t = 10_000.0)]
        hours: f64,
        #[arg(long, default_value_t = 20)]
        replications: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
}

impl SimulateCommand {
    pub fn json(&self) -> bool {
        match self {
            SimulateCommand::Queue { json, .. } => *json,
        }
    }
}

/// Runs without the clinic's database: the queue is all there is.
pub fn run(command: SimulateCommand) -> Result<(), Failure> {
    let SimulateCommand::Queue { arrival_rate, service_rate, servers, hours, replications, seed, json } = command;
    let queue = MmcQueue { arrival_rate, service_rate, servers };
    let sim = simulate_mmc(queue, hours, replications, seed).map_err(failure(json))?;
    if json {
        print_json(&sim);
    } else {
        print_queue(&sim);
    }
    Ok(())
}

fn print_queue(sim: &MmcSimulation) {
    let minutes = |hours: f64| hours * 60.0;
    say!(
        "M/M/{}: λ = {}/h, μ = {}/h, ρ = {:.3}; {} replications of {} h, {} patients counted",
        sim.queue.servers,
        sim.queue.arrival_rate,
        sim.queue.service_rate,
        sim.erlang_c.utilisation,
        sim.replications,
        sim.hours,
        sim.patients
    );
    say!("                      simulated (95 % CI)             Erlang C");
    let row =
        |name: &str, e: &clinic_journey_core::domain::simulation::Estimate, exact: f64, scale: &dyn Fn(f64) -> f64| {
            say!(
                "{name:<21} {:>9.3} ({:.3}–{:.3})  {:>12.3}",
                scale(e.mean),
                scale(e.ci_low),
                scale(e.ci_high),
                scale(exact)
            );
        };
    row("wait in queue, min", &sim.mean_wait, sim.erlang_c.mean_wait, &minutes);
    row("time in system, min", &sim.mean_time_in_system, sim.erlang_c.mean_time_in_system, &minutes);
    row("utilisation", &sim.utilisation, sim.erlang_c.utilisation, &|u| u);
}
