//! Command-line tasks of the same binary (for scripting, tests and set-up).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::Store;

use crate::data_dir;

#[derive(Debug, Parser)]
#[command(name = "clinic-journey", version, about = "Plan and run the whole patient journey of a small clinic")]
pub struct Args {
    /// Folder of the database and logs (default: the OS app-data folder).
    #[arg(long, global = true, env = "CLINIC_JOURNEY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with a realistic demo clinic.
    Demo {
        /// Number of patients.
        #[arg(long, default_value_t = 400)]
        patients: u32,
        /// Days of bookings before and after today.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Seed of the generator: the same seed gives the same clinic.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show where the database is and what it holds.
    Info {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: Command, dir: &Path) -> Result<(), String> {
    let store = Store::open(&data_dir::database(dir)).map_err(|e| e.to_string())?;
    match command {
        Command::Demo { patients, days, seed, json } => {
            let summary = load_demo(&store, &DemoOptions { patients, days, seed }).map_err(|e| e.to_string())?;
            store.checkpoint().map_err(|e| e.to_string())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&summary).expect("serialisable"));
            } else {
                println!(
                    "Demo clinic loaded into {}: {} patients, {} providers, {} rooms, {} appointments, {} stage events",
                    dir.display(),
                    summary.patients,
                    summary.providers,
                    summary.rooms,
                    summary.appointments,
                    summary.stage_events
                );
            }
        }
        Command::Info { json } => {
            let overview = store.overview().map_err(|e| e.to_string())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&overview).expect("serialisable"));
            } else {
                println!("Database: {}", overview.database_path);
                println!("Schema version: {}", overview.schema_version);
                println!("Clinic: {} ({})", overview.settings.name, overview.settings.time_zone);
                println!("Empty: {}", overview.is_empty);
            }
        }
    }
    Ok(())
}
