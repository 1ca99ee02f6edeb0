//! The clinic server's schema: forward-only migrations of their own (PostgreSQL's dialect),
//! numbered as the embedded SQLite schema's, so that one version means the same tables on
//! both engines (the parity test holds them to it).

use postgres::{Client, GenericClient};

use crate::error::{Error, Result};
use crate::store::SCHEMA_VERSION;

/// Each migration's version and SQL. The server's schema starts at 15, the SQLite version it
/// was first written for; a later SQLite migration needs its PostgreSQL twin here.
const MIGRATIONS: &[(i64, &str)] = &[(15, include_str!("migrations/0015_clinic.sql"))];

/// Any number: the lock two desks take so that one of them migrates, the other waits.
const MIGRATION_LOCK: i64 = 0x636c_696e_6963_0001;

/// The schema version of the clinic in this database; `None` when it holds none yet.
pub fn version(client: &mut impl GenericClient) -> Result<Option<i64>> {
    let exists: bool = client.query_one("SELECT to_regclass('clinic_schema') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client.query_opt("SELECT version FROM clinic_schema", &[])?.map(|row| row.get(0)))
}

/// Brings the database to this app's schema in one transaction; two desks starting at once
/// take turns. A database newer than the app is refused, as an SQLite file is.
pub fn migrate(client: &mut Client) -> Result<i64> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    // A desk's role is a member of the database owner's: the schema is made as the owner, so
    // that every desk may use it and none owns a part of it alone.
    let owner: String = tx
        .query_one("SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()", &[])?
        .get(0);
    let is_member: bool = tx.query_one("SELECT pg_has_role(current_user, $1::text, 'MEMBER')", &[&owner])?.get(0);
    if is_member {
        tx.batch_execute(&format!("SET LOCAL ROLE \"{}\"", owner.replace('"', "\"\"")))?;
    }
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS clinic_schema (
             id      TEXT PRIMARY KEY CHECK (id = 'schema'),
             version BIGINT NOT NULL
         )",
    )?;
    let current = version(&mut tx)?.unwrap_or(0);
    if current == 0 {
        // The clinic's database is its desks' alone: the owner's role and its members.
        let database: String = tx.query_one("SELECT current_database()::text", &[])?.get(0);
        tx.batch_execute(&format!(
            "REVOKE CONNECT, TEMPORARY ON DATABASE \"{}\" FROM PUBLIC",
            database.replace('"', "\"\"")
        ))?;
    }
    if current > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { found: current, supported: SCHEMA_VERSION });
    }
    let pending: Vec<_> = MIGRATIONS.iter().filter(|(v, _)| *v > current).collect();
    for (version, sql) in &pending {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO clinic_schema (id, version) VALUES ('schema', $1)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            &[version],
        )?;
    }
    if !pending.is_empty() {
        make_audit_capture(&mut tx)?;
    }
    tx.commit()?;
    Ok(SCHEMA_VERSION)
}

/// The audit capture triggers, from the store's list of audited tables and the columns each
/// leaves out (the list the embedded file's temporary triggers are made from).
fn make_audit_capture(tx: &mut postgres::Transaction) -> Result<()> {
    for (table, left_out) in crate::store::audit_captured_tables() {
        // Table and column names are the store's own constants.
        let arguments: Vec<String> = left_out.iter().map(|c| format!("'{c}'")).collect();
        tx.batch_execute(&format!(
            "CREATE OR REPLACE TRIGGER audit_capture AFTER UPDATE OR DELETE ON {table}
                 FOR EACH ROW EXECUTE FUNCTION audit_capture_row({})",
            arguments.join(", ")
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_server_migration_is_the_embedded_schema_version() {
        assert_eq!(MIGRATIONS.last().map(|(v, _)| *v), Some(SCHEMA_VERSION));
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
