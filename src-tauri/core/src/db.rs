//! The store's SQL on either engine: the embedded SQLite file or the clinic server
//! (PostgreSQL). A statement is written once, in the SQL both engines take, with `?1`-style
//! parameters; values cross as the two kinds the schema stores (integers and text) and NULL.
//! A write's unit of work holds one (`store::Write::db`). The store moves onto this a module
//! at a time (see the README's clinic server section for what runs on the server); each part
//! moved is tested on both engines (`db_tests.rs`, `store/server_desk_tests.rs`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::error::{Error, Result};

/// A connection (or transaction) of either engine.
pub enum Db<'a, 'tx> {
    Sqlite(&'a rusqlite::Connection),
    /// A server transaction: reads see one snapshot, writes commit together. With the
    /// statements its connection has prepared, each statement is prepared only once.
    Postgres(RefCell<&'a mut postgres::Transaction<'tx>>, Option<&'a Statements>),
}

/// The statements one server connection has prepared, by their text. Preparing costs a round
/// trip of its own, so a statement is prepared once per connection and then only executed.
/// Belongs to that one connection: no other knows its statements.
#[derive(Default)]
pub struct Statements(RefCell<HashMap<String, postgres::Statement>>);

impl Statements {
    /// How many statements are kept.
    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// A stored value: the schema has integers (flags as 0/1, instants as seconds) and text; a
/// list of texts is a parameter only (ids to look up: SQLite's `rarray`, PostgreSQL's array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    TextList(Vec<String>),
}

/// One row read, its values in the order of the statement's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbRow {
    values: Vec<Value>,
}

impl<'a, 'tx> Db<'a, 'tx> {
    /// A server transaction whose every statement is prepared anew.
    pub fn postgres(tx: &'a mut postgres::Transaction<'tx>) -> Self {
        Db::Postgres(RefCell::new(tx), None)
    }

    /// A server transaction reusing (and adding to) the statements its connection prepared.
    pub fn postgres_prepared(tx: &'a mut postgres::Transaction<'tx>, statements: &'a Statements) -> Self {
        Db::Postgres(RefCell::new(tx), Some(statements))
    }

    /// `sqlite` or `postgres`, for the few statements the dialects write differently.
    pub fn per_engine<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self {
            Db::Sqlite(_) => sqlite,
            Db::Postgres(..) => postgres,
        }
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToValue]) -> Result<u64> {
        match self {
            Db::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(values(params)))? as u64),
            Db::Postgres(tx, statements) => {
                let values = values(params);
                let mut tx = tx.borrow_mut();
                let statement = prepared(&mut tx, *statements, sql)?;
                Ok(tx.execute(&statement, &postgres_params(&values))?)
            }
        }
    }

    /// Every row the statement returns, kept.
    pub fn query(&self, sql: &str, params: &[&dyn ToValue]) -> Result<Vec<DbRow>> {
        self.query_map(sql, params, |row| row.to_owned_row())
    }

    /// `f` over every row the statement returns, each read in place (for long lists: nothing
    /// is copied but what `f` keeps).
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
        mut f: impl FnMut(&RowRef) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self {
            Db::Sqlite(c) => {
                let mut statement = c.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(values(params)))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(f(&RowRef::Sqlite(row))?);
                }
                Ok(out)
            }
            Db::Postgres(tx, statements) => {
                let values = values(params);
                let mut tx = tx.borrow_mut();
                let statement = prepared(&mut tx, *statements, sql)?;
                tx.query(&statement, &postgres_params(&values))?.iter().map(|row| f(&RowRef::Postgres(row))).collect()
            }
        }
    }

    /// Every row the statement returns, with the names of its columns (for a statement whose
    /// columns are not known before: `SELECT *` into a patient's data file).
    pub fn query_named(&self, sql: &str, params: &[&dyn ToValue]) -> Result<(Vec<String>, Vec<DbRow>)> {
        let names = match self {
            Db::Sqlite(c) => c.prepare_cached(sql)?.column_names().into_iter().map(String::from).collect(),
            Db::Postgres(tx, statements) => {
                let mut tx = tx.borrow_mut();
                prepared(&mut tx, *statements, sql)?.columns().iter().map(|c| c.name().to_string()).collect()
            }
        };
        Ok((names, self.query(sql, params)?))
    }

    /// The statement's one row, if it returns any.
    pub fn query_opt(&self, sql: &str, params: &[&dyn ToValue]) -> Result<Option<DbRow>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The statement's one row: a statement that must return one (a count, the settings row).
    pub fn query_one(&self, sql: &str, params: &[&dyn ToValue]) -> Result<DbRow> {
        self.query_opt(sql, params)?.ok_or_else(|| Error::Internal(format!("no row from: {sql}")))
    }
}

/// The statement for `sql` on this transaction's connection: the one prepared before, if the
/// connection keeps its statements, else prepared now.
fn prepared(tx: &mut postgres::Transaction, statements: Option<&Statements>, sql: &str) -> Result<postgres::Statement> {
    let Some(statements) = statements else {
        return Ok(tx.prepare(&postgres_sql(sql))?);
    };
    if let Some(statement) = statements.0.borrow().get(sql) {
        return Ok(statement.clone());
    }
    let statement = tx.prepare(&postgres_sql(sql))?;
    statements.0.borrow_mut().insert(sql.to_string(), statement.clone());
    Ok(statement)
}

impl DbRow {
    /// The row's values, in the order of the statement's columns.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// A stored code (a status, a kind) as the domain's enum; an unknown one is damage.
    pub fn get_enum<T>(&self, column: usize, parse: fn(&str) -> Option<T>) -> Result<T> {
        RowRef::Read(self).get_enum(column, parse)
    }

    pub fn get<T: FromValue>(&self, column: usize) -> Result<T> {
        RowRef::Read(self).get(column)
    }
}

/// A row as the engine returns it, its values read in place (`Db::query_map`).
pub enum RowRef<'r, 's> {
    Sqlite(&'r rusqlite::Row<'s>),
    Postgres(&'r postgres::Row),
    Read(&'r DbRow),
}

impl RowRef<'_, '_> {
    pub fn get<T: FromValue>(&self, column: usize) -> Result<T> {
        let value = self.value(column)?;
        T::from_value(value).ok_or_else(|| {
            Error::Corrupt(format!("column {column} holds {value:?}, not {}", std::any::type_name::<T>()))
        })
    }

    /// Text read in place (`None` for NULL); anything else is damage.
    pub fn get_text(&self, column: usize) -> Result<Option<&str>> {
        match self.value(column)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(text) => Ok(Some(text)),
            other => Err(Error::Corrupt(format!("column {column} holds {other:?}, not text"))),
        }
    }

    /// A stored code (a status, a kind) as the domain's enum; an unknown one is damage.
    pub fn get_enum<T>(&self, column: usize, parse: fn(&str) -> Option<T>) -> Result<T> {
        let value = self.value(column)?;
        text(value)
            .and_then(parse)
            .ok_or_else(|| Error::Corrupt(format!("column {column} holds an unknown code {value:?}")))
    }

    fn value(&self, i: usize) -> Result<ValueRef<'_>> {
        match self {
            RowRef::Sqlite(row) => Ok(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => ValueRef::Null,
                rusqlite::types::ValueRef::Integer(n) => ValueRef::Integer(n),
                rusqlite::types::ValueRef::Text(bytes) => {
                    ValueRef::Text(std::str::from_utf8(bytes).map_err(|e| Error::Corrupt(format!("column {i}: {e}")))?)
                }
                // The schema stores no reals or blobs.
                other => return Err(Error::Corrupt(format!("column {i} holds {:?}", other.data_type()))),
            }),
            RowRef::Postgres(row) => from_postgres(row, i),
            RowRef::Read(row) => Ok(row.values.get(i).map_or(ValueRef::Null, Value::as_ref)),
        }
    }

    fn width(&self) -> usize {
        match self {
            RowRef::Sqlite(row) => row.as_ref().column_count(),
            RowRef::Postgres(row) => row.len(),
            RowRef::Read(row) => row.values.len(),
        }
    }

    /// Every value, kept.
    fn to_owned_row(&self) -> Result<DbRow> {
        let values = (0..self.width())
            .map(|i| {
                Ok(match self.value(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Integer(n),
                    ValueRef::Text(text) => Value::Text(text.to_string()),
                })
            })
            .collect::<Result<_>>()?;
        Ok(DbRow { values })
    }
}

/// A Rust value as a stored one.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// A stored value as a Rust one (`None` when it does not fit: the data is damaged).
pub trait FromValue: Sized {
    fn from_value(value: ValueRef) -> Option<Self>;
}

/// A value as read, borrowed from its row (no copy of its text until it is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueRef<'r> {
    Null,
    Integer(i64),
    Text(&'r str),
}

impl Value {
    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null | Value::TextList(_) => ValueRef::Null,
            Value::Integer(n) => ValueRef::Integer(*n),
            Value::Text(text) => ValueRef::Text(text),
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Integer(i64::from(*self))
            }
        }
        impl FromValue for $t {
            fn from_value(value: ValueRef) -> Option<Self> {
                match value {
                    ValueRef::Integer(n) => <$t>::try_from(n).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
integers!(i64, i32, u32, u16, u8);

/// Counts summed (stored as integers, never negative).
impl FromValue for u64 {
    fn from_value(value: ValueRef) -> Option<Self> {
        match value {
            ValueRef::Integer(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}

impl FromValue for bool {
    fn from_value(value: ValueRef) -> Option<Self> {
        match value {
            ValueRef::Integer(0) => Some(false),
            ValueRef::Integer(1) => Some(true),
            _ => None,
        }
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl FromValue for String {
    fn from_value(value: ValueRef) -> Option<Self> {
        text(value).map(str::to_string)
    }
}

fn text(value: ValueRef<'_>) -> Option<&str> {
    match value {
        ValueRef::Text(text) => Some(text),
        _ => None,
    }
}

/// Ids are stored as their hyphenated text.
impl ToValue for Uuid {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl FromValue for Uuid {
    fn from_value(value: ValueRef) -> Option<Self> {
        text(value)?.parse().ok()
    }
}

/// Instants are stored as whole seconds since 1970 (UTC).
impl ToValue for DateTime<Utc> {
    fn to_value(&self) -> Value {
        Value::Integer(self.timestamp())
    }
}

impl FromValue for DateTime<Utc> {
    fn from_value(value: ValueRef) -> Option<Self> {
        DateTime::from_timestamp(i64::from_value(value)?, 0)
    }
}

/// Dates are stored as ISO text (2026-12-25).
impl ToValue for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl FromValue for NaiveDate {
    fn from_value(value: ValueRef) -> Option<Self> {
        text(value)?.parse().ok()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: ValueRef) -> Option<Self> {
        match value {
            ValueRef::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

/// Ids to look up, as one parameter.
impl ToValue for [Uuid] {
    fn to_value(&self) -> Value {
        Value::TextList(self.iter().map(Uuid::to_string).collect())
    }
}

impl ToValue for Vec<Uuid> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

fn values(params: &[&dyn ToValue]) -> Vec<Value> {
    params.iter().map(|p| p.to_value()).collect()
}

/// A value as SQLite's parameter; a list as the array `rarray(?1)` reads.
impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Integer(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::TextList(list) => ToSqlOutput::Array(Rc::new(
                list.iter().map(|text| rusqlite::types::Value::Text(text.clone())).collect(),
            )),
        })
    }
}

fn postgres_params(values: &[Value]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn postgres::types::ToSql + Sync)).collect()
}

/// A value as the server's parameter type: PostgreSQL infers each parameter's type from where
/// it stands (`weekday = ?1` is BIGINT, `?1 + 1` INTEGER, `name = ?1` TEXT).
impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        match (self, ty) {
            (Value::Null, _) => Ok(postgres::types::IsNull::Yes),
            (Value::Integer(n), &Type::INT8) => n.to_sql(ty, out),
            (Value::Integer(n), &Type::INT4) => i32::try_from(*n)?.to_sql(ty, out),
            (Value::Integer(n), &Type::INT2) => i16::try_from(*n)?.to_sql(ty, out),
            (Value::Integer(n), &Type::BOOL) => (*n != 0).to_sql(ty, out),
            (Value::Integer(n), _) => n.to_string().to_sql(ty, out),
            (Value::Text(text), _) => text.to_sql(ty, out),
            (Value::TextList(list), _) => list.to_sql(ty, out),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        use postgres::types::Type;
        [
            Type::INT8,
            Type::INT4,
            Type::INT2,
            Type::BOOL,
            Type::TEXT,
            Type::VARCHAR,
            Type::UNKNOWN,
            Type::NAME,
            Type::TEXT_ARRAY,
        ]
        .contains(ty)
    }

    postgres::types::to_sql_checked!();
}

/// A server value as a stored one: integers of any width, booleans (a comparison in a select
/// list) as 0/1, text. Other types (a SUM's NUMERIC) are cast in the SQL to BIGINT.
fn from_postgres(row: &postgres::Row, i: usize) -> Result<ValueRef<'_>> {
    use postgres::types::Type;
    let ty = row.columns()[i].type_();
    let value = match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(ValueRef::Integer),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(|n| ValueRef::Integer(n.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(|n| ValueRef::Integer(n.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(|b| ValueRef::Integer(b.into())),
        Type::TEXT | Type::VARCHAR | Type::NAME => row.try_get::<_, Option<&str>>(i)?.map(ValueRef::Text),
        ref other => return Err(Error::Internal(format!("column {i} is {other}: cast it to BIGINT or TEXT"))),
    };
    Ok(value.unwrap_or(ValueRef::Null))
}

/// SQLite's `?1` parameters as PostgreSQL's `$1` (and a bare `?` as the next number), outside
/// quoted text, quoted names and comments.
pub fn postgres_sql(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    // A doubled quote inside is the quote itself: it closes and reopens.
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                } else if let Ok(n) = digits.parse::<u32>() {
                    next = next.max(n);
                }
                out.push('$');
                out.push_str(&digits);
            }
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_numbered_outside_quotes_and_comments() {
        assert_eq!(postgres_sql("SELECT 1"), "SELECT 1");
        assert_eq!(
            postgres_sql("SELECT a FROM t WHERE b = ?1 AND c = ?12 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 OR d = $1"
        );
        assert_eq!(postgres_sql("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(
            postgres_sql("SELECT '?1 it''s ?' || ?2, \"odd?name\" -- ?3 here\nFROM t WHERE x = ?3"),
            "SELECT '?1 it''s ?' || $2, \"odd?name\" -- ?3 here\nFROM t WHERE x = $3"
        );
    }
}
