//! Forward-only schema migrations, embedded, versioned by `PRAGMA user_version`.

use rusqlite::Connection;

use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_series_waitlist.sql"),
    include_str!("migrations/0003_reminders_tasks.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version that brought reminder rules (older databases get the default ones).
pub(super) const FIRST_WITH_RULES: i64 = 3;

/// Applies the missing migrations, each in its own transaction. Returns the version the
/// database had (0: new, so default content should be written).
pub(super) fn migrate(conn: &mut Connection) -> Result<i64> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { found: current, supported: SCHEMA_VERSION });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(current)
}
