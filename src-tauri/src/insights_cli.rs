//! `clinic-journey insights --from D --to D`: the service-quality report the Insights screen
//! shows, for scripts and spreadsheets.

use chrono::NaiveDate;
use clap::Args;
use clinic_journey_core::domain::survey::Measured;
use clinic_journey_core::store::{Insights, InsightsQuery};
use clinic_journey_core::Store;
use uuid::Uuid;

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// First clinic-local day of the period.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day of the period (included).
    #[arg(long)]
    pub to: NaiveDate,
    #[arg(long)]
    pub provider: Option<Uuid>,
    #[arg(long)]
    pub service: Option<Uuid>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &Store, args: InsightsArgs) -> Result<(), Failure> {
    let query =
        InsightsQuery { from: args.from, to: args.to, provider_id: args.provider, service_type_id: args.service };
    let insights = store.insights(&query).map_err(failure(args.json))?;
    if args.json {
        print_json(&insights);
    } else {
        print_report(&insights);
    }
    Ok(())
}

fn figure(m: &Measured, unit: &str) -> String {
    match m.value {
        Some(v) => format!("{v:.1}{unit} ({} cases)", m.answers),
        None => format!("too few answers ({})", m.answers),
    }
}

fn print_report(i: &Insights) {
    say!("Insights {} – {}: {} visits due, {} surveys", i.query.from, i.query.to, i.rates.visits_due, i.surveys);
    say!("  no-shows            {}", figure(&i.rates.no_show, " %"));
    say!("  late cancellations  {}", figure(&i.rates.late_cancel, " %"));
    say!("  confirmed           {}", figure(&i.rates.confirmed, " %"));
    say!("  follow-ups done     {}", figure(&i.rates.follow_up_done, " %"));
    say!("  … on time           {}", figure(&i.rates.follow_up_on_time, " %"));
    say!("  recalls returned    {}", figure(&i.rates.recall_return, " %"));
    say!("  NPS                 {}", figure(&i.nps.score, ""));
    say!("  CSAT                {}", figure(&i.csat, " %"));
    match i.compliance.share {
        Some(share) => say!("  standards met       {:.1} % of {} checks", share * 100.0, i.compliance.checks),
        None => say!("  standards met       no checks"),
    }
    for s in i.stages.iter().filter(|s| s.samples > 0) {
        say!(
            "  {:<20} {:<22} median {:>7.1} min, p90 {:>7.1} (standard {}) · met {}",
            s.journey,
            s.name,
            s.median_minutes.unwrap_or(0.0),
            s.p90_minutes.unwrap_or(0.0),
            s.standard_minutes,
            s.compliance.share.map_or("–".to_string(), |v| format!("{:.0} %", v * 100.0))
        );
    }
}
