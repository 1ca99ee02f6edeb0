//! `clinic-journey simulate --date D`: where a day will jam, as planned and under scenarios;
//! `simulate queue`: the same engine on a plain M/M/c queue beside Erlang C, so that anyone can
//! check it against the closed form.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use clinic_journey_core::domain::day_forecast::{DayForecast, Scenario};
use clinic_journey_core::domain::queue::{simulate_mmc, MmcQueue, MmcSimulation};
use clinic_journey_core::{Error, Refusal, Store};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SimulateArgs {
    #[command(subcommand)]
    pub command: Option<SimulateCommand>,
    /// The day to forecast (clinic-local).
    #[arg(long)]
    pub date: Option<NaiveDate>,
    #[arg(long, default_value_t = 200)]
    pub replications: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A JSON file with one scenario or a list of them, e.g. {"name": "…", "changes": [{"kind":
    /// "extra_staff", "role": "front_desk", "count": 1, "from": "08:00", "to": "11:00"}]}.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

impl SimulateArgs {
    pub fn json(&self) -> bool {
        self.command.as_ref().map_or(self.json, SimulateCommand::json)
    }
}

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

/// A day's forecast, on the clinic's store.
pub fn run_day(store: &Store, args: SimulateArgs) -> Result<(), Failure> {
    let json = args.json;
    let Some(date) = args.date else {
        return Err(failure(json)(Error::refused("date", Refusal::Required { what: "--date".into() })));
    };
    let scenarios = match &args.scenario {
        Some(path) => read_scenarios(path).map_err(failure(json))?,
        None => Vec::new(),
    };
    let forecasts = store.forecast_day(date, args.replications, args.seed, &scenarios).map_err(failure(json))?;
    if json {
        print_json(&forecasts);
        return Ok(());
    }
    say!("{date}: {} visits, {} replications, seed {}", forecasts.plan.visits, args.replications, args.seed);
    for forecast in std::iter::once(&forecasts.plan).chain(&forecasts.scenarios) {
        print_day(forecast);
    }
    Ok(())
}

fn read_scenarios(path: &std::path::Path) -> clinic_journey_core::Result<Vec<Scenario>> {
    let unreadable = |detail: String| Error::refused("scenario", Refusal::UnreadableFile { detail });
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(format!("{}: {e}", path.display())))?;
    serde_json::from_str::<Vec<Scenario>>(&text)
        .or_else(|_| serde_json::from_str::<Scenario>(&text).map(|s| vec![s]))
        .map_err(|e| unreadable(format!("{}: {e}", path.display())))
}

fn print_day(f: &DayForecast) {
    say!("\n{}", f.scenario.as_deref().unwrap_or("As planned"));
    say!("  {:<20} {:<24} {:>12} {:>16} {:>10}", "journey", "stage", "wait median", "wait p90 (range)", "queue");
    for s in &f.stages {
        say!(
            "  {:<20} {:<24} {:>9.1} min {:>7.1} ({:.0}–{:.0}) {:>10.2}",
            s.journey,
            s.name,
            s.wait_median.mean,
            s.wait_p90.mean,
            s.wait_p90.p5,
            s.wait_p90.p95,
            s.queue_length.mean
        );
    }
    for p in &f.pools {
        say!("  {:<45} {} × busy {:.0} %", p.name, p.people, p.utilisation.mean * 100.0);
    }
    match &f.bottleneck {
        Some(b) => say!("  Likely bottleneck: {} ({:.0} % of replications)", b.name, b.share * 100.0),
        None => say!("  No one waits."),
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
