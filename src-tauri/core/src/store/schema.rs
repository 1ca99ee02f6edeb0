//! Forward-only schema migrations, embedded, versioned by `PRAGMA user_version`.

use rusqlite::{Connection, Transaction};

use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_series_waitlist.sql"),
    include_str!("migrations/0003_reminders_tasks.sql"),
    include_str!("migrations/0004_search_keys.sql"),
    include_str!("migrations/0005_planning_state.sql"),
    include_str!("migrations/0006_covering_lookups.sql"),
    include_str!("migrations/0007_clinic_contact_yearly_days.sql"),
    include_str!("migrations/0008_retired_journeys_alternate_weeks.sql"),
    include_str!("migrations/0009_rebook_calls.sql"),
    include_str!("migrations/0010_surveys_standards.sql"),
    include_str!("migrations/0011_foreign_key_indexes.sql"),
    include_str!("migrations/0012_insight_figures.sql"),
    include_str!("migrations/0013_backup_plan.sql"),
    include_str!("migrations/0014_sign_in_audit.sql"),
    include_str!("migrations/0015_interchange.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version that brought reminder rules (older databases get the default ones).
pub(super) const FIRST_WITH_RULES: i64 = 3;

/// The schema version whose patient search keys fold diacritics (older keys are rebuilt).
pub(super) const FIRST_WITH_FOLDED_SEARCH: i64 = 4;

/// The version the database has; one from a newer app is refused before anything is written.
pub(super) fn version(conn: &Connection) -> Result<i64> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { found: current, supported: SCHEMA_VERSION });
    }
    Ok(current)
}

/// Runs the schema steps after version `from`, inside the caller's transaction (which also
/// writes their data and the new version).
pub(super) fn apply_steps(tx: &Transaction, from: i64) -> Result<()> {
    for sql in MIGRATIONS.iter().skip(from as usize) {
        tx.execute_batch(sql)?;
    }
    Ok(())
}
