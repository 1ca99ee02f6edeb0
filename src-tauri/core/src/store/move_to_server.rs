//! Moving this desk's clinic onto a new clinic server: every row of every table copied in one
//! server transaction, each table's row count compared with this desk's before it commits.
//! The desk's own file is left as it was (it is the way back), but for the audit row that
//! says where the clinic went.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::{Actor, Entity, Store};
use crate::domain::access::Work;
use crate::error::{Error, Refusal, Result};
use crate::server::{self, ServerAddress};

/// What was moved, table by table (the counts both sides agreed on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MovedToServer {
    pub server: String,
    pub tables: Vec<TableRows>,
    #[ts(type = "number")]
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableRows {
    pub table: String,
    #[ts(type = "number")]
    pub rows: u64,
}

impl Store {
    /// Copies the whole clinic onto the server at `address`, whose database must hold no
    /// clinic yet (its schema is made if it has none). An administrator's work; nothing is
    /// written on this desk meanwhile.
    pub fn move_to_server(&self, actor: Actor, address: &ServerAddress) -> Result<MovedToServer> {
        self.check_work(actor, Work::ClinicSetup)?;
        server::check(address)?;
        let mut client = server::connect(address)?;
        server::migrate(&mut client)?;
        let moved = self.write(actor, Work::ClinicSetup, |w| {
            w.audit(Entity::ClinicSettings, Uuid::nil(), "moved_to_server", &address.to_string())?;
            copy_clinic(w.sqlite()?, &mut client, address)
        })?;
        // The planner's statistics of a database filled at once.
        client.batch_execute("ANALYZE")?;
        Ok(moved)
    }
}

fn copy_clinic(desk: &Connection, client: &mut postgres::Client, address: &ServerAddress) -> Result<MovedToServer> {
    let tables: Vec<String> = desk
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;

    let mut tx = client.transaction()?;
    for table in &tables {
        if tx.query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])?.get::<_, bool>(0) {
            let clinic = tx.query_opt("SELECT name FROM clinic_settings", &[])?.map(|r| r.get(0)).unwrap_or_default();
            return Err(Error::refused("server", Refusal::ServerHoldsAClinic { server: address.to_string(), clinic }));
        }
    }
    // Rows arrive table by table; references between them are checked once all are there.
    // The tables' own triggers stay off meanwhile: they only mark figures to recount, and
    // the desk's marks are copied as they are (tables are the database owner's, as is the move).
    tx.batch_execute("SET CONSTRAINTS ALL DEFERRED")?;
    for table in &tables {
        tx.batch_execute(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))?;
    }

    let mut moved = Vec::with_capacity(tables.len());
    for table in &tables {
        let columns = server_columns(&mut tx, desk, table)?;
        copy_table(desk, &mut tx, table, &columns)?;
        let expected: i64 = desk.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        let found: i64 = tx.query_one(&format!("SELECT count(*) FROM {table}"), &[])?.get(0);
        if found != expected {
            return Err(Error::refused(
                "server",
                Refusal::ServerRowsDiffer { table: table.clone(), expected: count(expected), found: count(found) },
            ));
        }
        moved.push(TableRows { table: table.clone(), rows: count(found) });
    }
    // The deferred references, checked now (a failure rolls the whole copy back), then the
    // triggers on again (a table with checks still pending cannot be altered).
    tx.batch_execute("SET CONSTRAINTS ALL IMMEDIATE")?;
    for table in &tables {
        tx.batch_execute(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"))?;
    }
    tx.commit()?;
    let rows = moved.iter().map(|t| t.rows).sum();
    Ok(MovedToServer { server: address.to_string(), tables: moved, rows })
}

/// The desk's columns of `table` with the server's type of each (the two schemas must agree
/// on the names; the parity test keeps them so).
fn server_columns(tx: &mut postgres::Transaction, desk: &Connection, table: &str) -> Result<Vec<(String, Type)>> {
    let names: Vec<String> = desk
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let statement = tx.prepare(&format!("SELECT * FROM {table} LIMIT 0"))?;
    names
        .into_iter()
        .map(|name| {
            let column = statement.columns().iter().find(|c| c.name() == name);
            let Some(column) = column else {
                return Err(Error::Internal(format!("the server's {table} has no column {name}")));
            };
            let kind = column.type_().clone();
            Ok((name, kind))
        })
        .collect()
}

/// The tables whose rows of one instant are listed in the order they were written: the file
/// by its row ids, the server by a `seq` column of its own.
const IN_WRITTEN_ORDER: [&str; 2] = ["audit_log", "stage_events"];

/// Streams the table's rows into the server in PostgreSQL's binary COPY form.
fn copy_table(
    desk: &Connection,
    tx: &mut postgres::Transaction,
    table: &str,
    columns: &[(String, Type)],
) -> Result<()> {
    let names = columns.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ");
    let types: Vec<Type> = columns.iter().map(|(_, kind)| kind.clone()).collect();
    let sink = tx.copy_in(&format!("COPY {table} ({names}) FROM STDIN (FORMAT binary)"))?;
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    // In the order written, where that order is read (the server numbers these rows as they
    // come: their `seq`).
    let order = if IN_WRITTEN_ORDER.contains(&table) { " ORDER BY rowid" } else { "" };
    let mut statement = desk.prepare(&format!("SELECT {names} FROM {table}{order}"))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let values = (0..columns.len())
            .map(|i| server_value(row.get::<_, Value>(i)?, &columns[i].1, table, &columns[i].0))
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
        writer.write(&refs)?;
    }
    writer.finish()?;
    Ok(())
}

/// One stored value as the server's column takes it (BIGINT or TEXT; the schema has no other).
fn server_value(value: Value, kind: &Type, table: &str, column: &str) -> Result<Box<dyn ToSql + Sync>> {
    Ok(match (value, kind) {
        (Value::Integer(n), &Type::INT8) => Box::new(n),
        (Value::Text(text), &Type::TEXT) => Box::new(text),
        (Value::Null, &Type::INT8) => Box::new(None::<i64>),
        (Value::Null, &Type::TEXT) => Box::new(None::<String>),
        (value, kind) => {
            return Err(Error::Internal(format!("{table}.{column}: {value:?} does not fit the server's {kind}")));
        }
    })
}

fn count(rows: i64) -> u64 {
    u64::try_from(rows).unwrap_or(0)
}
