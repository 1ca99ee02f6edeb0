//! Clinic Journey: the desktop window by default, or a command-line task.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Prints one line of a command's output; see `cli::say`.
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::say(format_args!($($arg)*)) };
}

mod access_cli;
mod app;
mod backup_cli;
mod blueprint_cli;
mod cli;
mod clinic_cli;
mod commands;
mod data_dir;
mod encryption_cli;
mod insights_cli;
mod interchange_cli;
mod scheduler;
mod server_choice;
mod server_cli;
mod setup_cli;
mod simulate_cli;
mod startup;
mod tasks_cli;

use clap::Parser;

fn main() {
    let launched = std::time::Instant::now();
    let args = cli::Args::parse();
    let data_dir = data_dir::resolve(args.data_dir.clone());
    // A server given here wins; else the one chosen in the window, if any.
    let mut server = args.server_args();
    if server.server.is_none() {
        server.chosen = server_choice::load(&data_dir);
    }
    let outcome = match args.command {
        None => app::run(&data_dir, &server, args.now, startup::StartupProbe::new(launched, args.measure_startup))
            .map_err(cli::Failure::from),
        Some(command) => cli::run(command, &data_dir, &server, args.now, args.as_staff.as_deref()),
    };
    if let Err(failure) = outcome {
        // With --json a refusal is the app's `{ kind, message, field, details }` on stdout too.
        if let (true, Some(body)) = (failure.json, &failure.body) {
            say!("{}", serde_json::to_string_pretty(body).expect("serialisable"));
        }
        eprintln!("error: {}", failure.message);
        std::process::exit(1);
    }
}
