//! `clinic-journey tasks …`: plan, list, record outcomes and export the call list.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use clinic_journey_core::domain::call_sheet;
use clinic_journey_core::domain::reminders::TaskKind;
use clinic_journey_core::domain::resources::Role;
use clinic_journey_core::domain::tasks::{CallListQuery, TaskOutcome};
use clinic_journey_core::store::{Actor, OutcomeRequest};
use clinic_journey_core::{export_files, Error, Store};
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
        /// call, sms, email, letter or duty.
        #[arg(long)]
        kind: Option<String>,
        /// admin, front_desk, clinician or back_office.
        #[arg(long)]
        role: Option<String>,
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
        /// confirmed, reached, done, voicemail, no_answer, wrong_number, rescheduled or declined.
        #[arg(long)]
        outcome: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a day's call list as CSV or as a print-ready HTML call sheet.
    Export {
        #[arg(long)]
        date: Option<NaiveDate>,
        /// csv or html.
        #[arg(long, default_value = "html")]
        format: String,
        #[arg(long)]
        out: PathBuf,
        /// Replace the file at --out if there is one (else an existing file is refused).
        #[arg(long)]
        force: bool,
    },
}

fn parse_choice<T: Copy>(what: &str, text: &str, parse: fn(&str) -> Option<T>, choices: &str) -> Result<T, Error> {
    parse(text).ok_or_else(|| Error::invalid_with(what, format!("“{text}” is not a {what}: {choices}"), &[("reason", "unknown_value")]))
}

pub fn run(store: &Store, command: TasksCommand) -> Result<(), Failure> {
    match command {
        TasksCommand::Plan { json } => {
            let summary = store.plan_all_tasks(Actor::User).map_err(failure(json))?;
            if json {
                print_json(&summary);
            } else {
                say!(
                    "Planned {} appointments: {} new tasks, {} moved, {} cancelled, {} unchanged",
                    summary.appointments, summary.created, summary.moved, summary.cancelled, summary.unchanged
                );
            }
        }
        TasksCommand::List { due, kind, role, upcoming_days, json } => {
            let kind = kind
                .map(|k| parse_choice("kind", &k, TaskKind::parse, "call, sms, email, letter or duty"))
                .transpose()
                .map_err(failure(json))?;
            let role = role
                .map(|r| parse_choice("role", &r, Role::parse, "admin, front_desk, clinician or back_office"))
                .transpose()
                .map_err(failure(json))?;
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
            let outcome = parse_choice(
                "outcome",
                &outcome,
                TaskOutcome::parse,
                "confirmed, reached, done, voicemail, no_answer, wrong_number, rescheduled or declined",
            )
            .map_err(failure(json))?;
            let request = OutcomeRequest { task_id: task, outcome, note };
            let result = store.record_task_outcome(Actor::User, &request).map_err(failure(json))?;
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
        TasksCommand::Export { date, format, out, force } => {
            let fail = failure(false);
            let overview = store.overview().map_err(&fail)?;
            let date = date.unwrap_or(overview.today);
            let query = CallListQuery { date, kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
            let list = store.call_list(&query).map_err(&fail)?;
            let calendar = store.calendar().map_err(&fail)?;
            let text = match format.as_str() {
                "csv" => call_sheet::to_csv(&list, &calendar),
                "html" => call_sheet::to_html(&list, &calendar, &overview.settings.name),
                other => return Err(fail(Error::invalid(format!("“{other}” is not an export format: csv or html")))),
            };
            export_files::write_new(&out, text.as_bytes(), force).map_err(&fail)?;
            say!("Wrote {} tasks to {}", list.rows.len(), out.display());
        }
    }
    Ok(())
}
