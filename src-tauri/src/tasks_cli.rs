//! `clinic-journey tasks …`: plan, list, record outcomes and export the call list.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use clinic_journey_core::domain::call_sheet::CallSheetFormat;
use clinic_journey_core::domain::patient::LANGUAGES;
use clinic_journey_core::domain::reminders::TaskKind;
use clinic_journey_core::domain::resources::Role;
use clinic_journey_core::domain::tasks::{CallListQuery, TaskOutcome};
use clinic_journey_core::store::{Actor, OutcomeRequest};
use clinic_journey_core::{export_files, Store};
use uuid::Uuid;

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Re-plan the tasks of every appointment (safe to run again: unchanged tasks stay).
    Plan {
        #[arg(long)]
        json: bool,
    },
    /// The call list of a day: overdue, due that day, and the week after.
    List {
        /// Clinic-local date (default: today).
        #[arg(long)]
        due: Option<NaiveDate>,
        #[arg(long, value_enum)]
        kind: Option<TaskKind>,
        #[arg(long, value_enum)]
        role: Option<Role>,
        /// Days after the date listed as upcoming.
        #[arg(long, default_value_t = 7)]
        upcoming_days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Record the outcome of one attempt at a task.
    Outcome {
        #[arg(long)]
        task: Uuid,
        #[arg(long, value_enum)]
        outcome: TaskOutcome,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a day's call list as CSV or as a print-ready HTML call sheet.
    Export {
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "html")]
        format: CallSheetFormat,
        #[arg(long)]
        out: PathBuf,
        /// Replace the file at --out if there is one (else an existing file is refused).
        #[arg(long)]
        force: bool,
        /// The language of the sheet's headings and columns (default: the clinic's content
        /// language); the journeys' own texts stay as the clinic wrote them.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(LANGUAGES))]
        lang: Option<String>,
    },
}

pub fn run(store: &Store, command: TasksCommand) -> Result<(), Failure> {
    match command {
        TasksCommand::Plan { json } => {
            let summary = store.plan_all_tasks(Actor::CommandLine).map_err(failure(json))?;
            if json {
                print_json(&summary);
            } else {
                say!(
                    "Planned {} appointments (those whose inputs changed since the last full plan): {} new tasks, {} moved, {} cancelled, {} unchanged",
                    summary.appointments,
                    summary.created,
                    summary.moved,
                    summary.cancelled,
                    summary.unchanged
                );
            }
        }
        TasksCommand::List { due, kind, role, upcoming_days, json } => {
            let date = match due {
                Some(date) => date,
                None => store.overview().map_err(failure(json))?.today,
            };
            let query = CallListQuery { date, kind, role, assignee_id: None, upcoming_days: Some(upcoming_days) };
            let list = store.call_list(&query).map_err(failure(json))?;
            if json {
                print_json(&list);
            } else {
                let calendar = store.calendar().map_err(failure(json))?;
                say!("{}: {} overdue, {} due, {} upcoming", date, list.overdue, list.today, list.upcoming);
                for r in &list.rows {
                    say!(
                        "{:<8} {}  {:<5} {:<26} {:<24} {:<16} {}/{}  {}",
                        format!("{:?}", r.section).to_lowercase(),
                        calendar.to_local_text(r.due_at),
                        r.kind.as_str(),
                        r.reason,
                        r.patient_name,
                        r.phone,
                        r.attempts,
                        r.max_attempts,
                        r.task_id
                    );
                }
            }
        }
        TasksCommand::Outcome { task, outcome, note, json } => {
            let request = OutcomeRequest { task_id: task, outcome, note };
            let result = store.record_task_outcome(Actor::CommandLine, &request).map_err(failure(json))?;
            if json {
                print_json(&result);
            } else {
                let calendar = store.calendar().map_err(failure(json))?;
                say!(
                    "Task {}: {} after {} of {} attempts{}; visit {}",
                    result.task.id,
                    result.task.status.as_str(),
                    result.task.attempts,
                    result.task.max_attempts,
                    if result.task.status.as_str() == "open" {
                        format!(", next try {}", calendar.to_local_text(result.task.due_at))
                    } else {
                        String::new()
                    },
                    result.appointment.status.as_str()
                );
            }
        }
        TasksCommand::Export { date, format, out, force, lang } => {
            let fail = failure(false);
            let overview = store.overview().map_err(&fail)?;
            let date = date.unwrap_or(overview.today);
            let query = CallListQuery { date, kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
            let list = store.call_list(&query).map_err(&fail)?;
            let calendar = store.calendar().map_err(&fail)?;
            let language = lang.as_deref().unwrap_or(&overview.settings.default_language);
            let text = format.render(&list, &calendar, &overview.settings.name, language);
            export_files::write_new(&out, text.as_bytes(), force).map_err(&fail)?;
            say!("Wrote {} tasks to {}", list.rows.len(), out.display());
            crate::cli::warn_if_encrypted(store);
        }
    }
    Ok(())
}
