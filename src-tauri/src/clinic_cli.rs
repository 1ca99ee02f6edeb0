//! `clinic-journey clinic show|set` and `closed-days add|list|import`: the clinic's own
//! settings for scripted set-up, checked by the core as the window's are.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use clinic_journey_core::domain::clinic::{hhmm, ClinicSettings, ClosedDay};
use clinic_journey_core::domain::closed_days_file::parse_closed_days;
use clinic_journey_core::domain::typed_values::parse_quiet_hours;
use clinic_journey_core::domain::weekly_hours::{format_weekly_hours, parse_weekly_hours};
use clinic_journey_core::store::{ClosedDaysAdded, MoveScope};
use clinic_journey_core::{Actor, Error, Refusal, Store};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum ClinicCommand {
    /// The clinic's name, contact, zone, language and hours.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change what is given; the rest stays.
    Set {
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// IANA zone, e.g. Europe/Kyiv.
        #[arg(long)]
        time_zone: Option<String>,
        /// The language of the clinic's journeys, call scripts and call sheets (en, ru, uk, zh…).
        #[arg(long)]
        language: Option<String>,
        /// Working hours, e.g. "mon-fri 08:00-18:00, sat 09:00-14:00".
        #[arg(long)]
        hours: Option<String>,
        /// No calls or messages in this span, e.g. "20:00-08:00", or "none".
        #[arg(long)]
        quiet_hours: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The coming visits the hours, closed days or blocked periods now leave outside, with why;
    /// with --call, a call to rebook each goes on the front desk's call list.
    ToMove {
        #[arg(long)]
        call: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClosedDaysCommand {
    /// Close the clinic on a day (with --yearly, on that date every year).
    Add {
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        yearly: bool,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// Close the clinic on every day of an .ics calendar or a CSV file (date,reason[,yearly]).
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

impl ClinicCommand {
    pub fn json(&self) -> bool {
        match self {
            ClinicCommand::Show { json } | ClinicCommand::Set { json, .. } | ClinicCommand::ToMove { json, .. } => {
                *json
            }
        }
    }
}

impl ClosedDaysCommand {
    pub fn json(&self) -> bool {
        match self {
            ClosedDaysCommand::Add { json, .. }
            | ClosedDaysCommand::List { json }
            | ClosedDaysCommand::Import { json, .. } => *json,
        }
    }
}

pub fn run_clinic(store: &Store, command: ClinicCommand) -> Result<(), Failure> {
    let json = command.json();
    if let ClinicCommand::ToMove { call, .. } = command {
        return run_to_move(store, call, json);
    }
    let mut settings = store.get_settings().map_err(failure(json))?;
    if let ClinicCommand::Set { name, address, phone, time_zone, language, hours, quiet_hours, .. } = command {
        let keep = |given: Option<String>, field: &mut String| {
            if let Some(value) = given {
                *field = value;
            }
        };
        keep(name, &mut settings.name);
        keep(address, &mut settings.address);
        keep(phone, &mut settings.phone);
        keep(time_zone, &mut settings.time_zone);
        keep(language, &mut settings.default_language);
        if let Some(hours) = hours {
            settings.working_hours = parse_weekly_hours("working_hours", &hours).map_err(failure(json))?;
        }
        if let Some(quiet) = quiet_hours {
            settings.quiet_hours = parse_quiet_hours(&quiet).map_err(failure(json))?;
        }
        store.save_settings(Actor::CommandLine, &settings).map_err(failure(json))?;
    }
    if json {
        print_json(&settings);
    } else {
        print_settings(&settings);
    }
    Ok(())
}

pub fn run_closed_days(store: &Store, command: ClosedDaysCommand) -> Result<(), Failure> {
    match command {
        ClosedDaysCommand::Add { date, reason, yearly, json } => {
            let added =
                store.add_closed_day(Actor::CommandLine, &ClosedDay { date, reason, yearly }).map_err(failure(json))?;
            report(&added, json);
        }
        ClosedDaysCommand::Import { file, json } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| {
                    Error::refused("file", Refusal::UnreadableFile { detail: format!("{}: {e}", file.display()) })
                })
                .map_err(failure(json))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let days = parse_closed_days(&name, &text).map_err(failure(json))?;
            let added = store.import_closed_days(Actor::CommandLine, &days).map_err(failure(json))?;
            report(&added, json);
        }
        ClosedDaysCommand::List { json } => {
            let days = store.get_settings().map_err(failure(json))?.closed_days;
            if json {
                print_json(&days);
            } else {
                for d in &days {
                    say!("{}  {:<8} {}", d.date, if d.yearly { "yearly" } else { "once" }, d.reason);
                }
            }
        }
    }
    Ok(())
}

fn run_to_move(store: &Store, call: bool, json: bool) -> Result<(), Failure> {
    let visits = store.visits_to_move(MoveScope::default()).map_err(failure(json))?;
    let calls = if call {
        let ids: Vec<_> = visits.iter().map(|v| v.appointment_id).collect();
        Some(store.request_rebook_calls(Actor::CommandLine, &ids).map_err(failure(json))?)
    } else {
        None
    };
    if json {
        print_json(&serde_json::json!({ "visits": visits, "calls": calls }));
        return Ok(());
    }
    if visits.is_empty() {
        say!("No coming visit is outside the hours.");
    }
    for v in &visits {
        say!(
            "  {}  {:<24} {}  {}  ({})",
            v.starts_at.to_rfc3339(),
            v.patient_name,
            v.provider_name,
            v.appointment_id,
            v.refusal
        );
    }
    if let Some(calls) = calls {
        say!(
            "Calls to rebook: {} new on the call list, {} asked already, {} no longer needed",
            calls.created,
            calls.already_asked,
            calls.not_needed
        );
    }
    Ok(())
}

fn report(added: &ClosedDaysAdded, json: bool) {
    if json {
        print_json(added);
        return;
    }
    say!("Closed {} days ({} were closed already)", added.added, added.already_closed);
    if !added.booked.is_empty() {
        say!("{} visits are booked on them and need moving:", added.booked.len());
        for b in &added.booked {
            say!("  {}  {:<24} {}  {}", b.starts_at.to_rfc3339(), b.patient_name, b.provider_name, b.appointment_id);
        }
        say!("`clinic to-move --call` puts a call to rebook each on the call list.");
    }
}

fn print_settings(s: &ClinicSettings) {
    say!("Name:        {}", s.name);
    say!("Address:     {}", s.address);
    say!("Phone:       {}", s.phone);
    say!("Time zone:   {}", s.time_zone);
    say!("Language:    {}", s.default_language);
    say!("Hours:       {}", format_weekly_hours(&s.working_hours));
    match s.quiet_hours {
        Some(q) => say!("Quiet hours: {}-{}", hhmm(q.start), hhmm(q.end)),
        None => say!("Quiet hours: none"),
    }
    say!("Closed days: {}", s.closed_days.len());
}
