//! `clinic-journey blueprint …`: export a service's blueprint for the wall, with or without
//! the live overlay, and print each role's duties of a day.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use clinic_journey_core::blueprint_export::{export_file, ExportFormat};
use clinic_journey_core::domain::blueprint_svg::{BlueprintLabels, DutyFilter};
use clinic_journey_core::domain::dates::{add_days, check_date, check_period};
use clinic_journey_core::store::DrawingRequest;
use clinic_journey_core::{export_files, Error, Refusal, Store};
use uuid::Uuid;

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum BlueprintCommand {
    /// The service types with their ids and the template version they follow.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Write a service's blueprint (its newest version) as SVG, PDF or a print-ready HTML page.
    Export {
        /// Service type id (`clinic-journey blueprint list` shows them).
        #[arg(long)]
        service: Uuid,
        /// svg, pdf (one page the size of the drawing, fonts embedded), or html (a page laid out
        /// for A3 landscape printing).
        #[arg(long, value_enum, default_value = "svg")]
        format: ExportFormat,
        /// Draw the live figures and mark the bottleneck.
        #[arg(long)]
        overlay: bool,
        /// First clinic-local day of the overlay period (default: 30 days before --to).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last clinic-local day of the overlay period, included (default: today).
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Which duties stand out: all, front_office, back_office, or one role's.
        #[arg(long, value_enum, default_value = "all")]
        filter: DutyFilter,
        #[arg(long)]
        out: PathBuf,
        /// Replace the file at --out if there is one (else an existing file is refused).
        #[arg(long)]
        force: bool,
    },
    /// Each role's duties on a day, from the blueprints of that day's visits and its tasks.
    Duties {
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(store: &Store, command: BlueprintCommand) -> Result<(), Failure> {
    let fail = failure(false);
    match command {
        BlueprintCommand::List { json } => {
            let fail = failure(json);
            let services = store.list_service_types().map_err(&fail)?;
            let mut rows = Vec::with_capacity(services.len());
            for service in services {
                let blueprint = store.blueprint(service.id).map_err(&fail)?;
                rows.push((service, blueprint.template.version, blueprint.template.stages.len()));
            }
            if json {
                let list: Vec<_> = rows
                    .iter()
                    .map(|(s, version, stages)| serde_json::json!({ "service": s, "version": version, "stages": stages }))
                    .collect();
                print_json(&list);
            } else {
                for (s, version, stages) in &rows {
                    say!("{}  {:<34} v{} · {} stages", s.id, s.name, version, stages);
                }
            }
        }
        BlueprintCommand::Export { service, format, overlay, from, to, filter, out, force } => {
            if !overlay && (from.is_some() || to.is_some()) {
                return Err(fail(Error::refused("from", Refusal::NeedsOverlay)));
            }
            let (overlay_from, overlay_to) = if overlay {
                let to = match to {
                    Some(to) => to,
                    None => store.overview().map_err(&fail)?.today,
                };
                let to = check_date("to", to).map_err(&fail)?;
                let from = from.or_else(|| add_days(to, -29)).unwrap_or(to);
                check_period("from", from, to).map_err(&fail)?;
                (Some(from), Some(to))
            } else {
                (None, None)
            };
            let request = DrawingRequest {
                service_type_id: service,
                filter,
                labels: BlueprintLabels::default(),
                overlay_from,
                overlay_to,
            };
            let (blueprint, drawing) = store.blueprint_drawing(&request).map_err(&fail)?;
            let bytes = export_file(format, drawing.svg, &blueprint.template.name).map_err(&fail)?;
            export_files::write_new(&out, &bytes, force).map_err(&fail)?;
            let bottleneck =
                drawing.overlay.and_then(|f| f.bottleneck).map(|b| format!("; bottleneck: {b}")).unwrap_or_default();
            say!(
                "Wrote the blueprint of {} (version {}) to {}{bottleneck}",
                blueprint.service.name,
                blueprint.template.version,
                out.display()
            );
            crate::cli::warn_if_encrypted(store);
        }
        BlueprintCommand::Duties { date, json } => {
            let fail = failure(json);
            let date = match date {
                Some(date) => date,
                None => store.overview().map_err(&fail)?.today,
            };
            let roles = store.role_duties(date).map_err(&fail)?;
            if json {
                print_json(&roles);
            } else {
                let calendar = store.calendar().map_err(&fail)?;
                for role in &roles {
                    say!(
                        "{} — {} duties, {} min still to do",
                        role.role.as_str(),
                        role.duties.len(),
                        role.minutes_to_do
                    );
                    for d in &role.duties {
                        // A task about another day's visit (a follow-up call) names that visit.
                        let visit = if calendar.local_date(d.appointment_start) == date {
                            String::new()
                        } else {
                            format!(" (visit {})", calendar.to_local_text(d.appointment_start))
                        };
                        say!(
                            "  {} {} {:<22} {:<20} {}{visit}",
                            if d.done { "✓" } else { " " },
                            calendar.to_local_text(d.due_at),
                            d.patient_name,
                            d.stage_name,
                            d.text
                        );
                    }
                }
            }
        }
    }
    Ok(())
}
