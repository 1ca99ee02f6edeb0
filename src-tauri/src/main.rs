//! Clinic Journey: the desktop window by default, or a command-line task.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod cli;
mod commands;
mod data_dir;

use clap::Parser;

fn main() {
    let args = cli::Args::parse();
    let data_dir = data_dir::resolve(args.data_dir.clone());
    let outcome = match args.command {
        None => app::run(&data_dir),
        Some(command) => cli::run(command, &data_dir),
    };
    if let Err(message) = outcome {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}
