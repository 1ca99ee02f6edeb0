//! One database role per desk, made, listed and retired from the administrator's connection
//! (the role that owns the clinic's database and may create roles). A desk's role is a member
//! of the owner's: it reads and writes the clinic and may bring its schema up to date, but it
//! cannot make or change roles, and retiring it shuts that desk (or a stolen PC) out alone.

use postgres::Client;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Refusal, Result};

/// A desk the server knows, and the password of one just made (shown once, never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Desk {
    /// The name the administrator gave it: "reception", "room-2".
    pub name: String,
    /// Its database role: `<database>_desk_<name>` (roles are shared by a server's databases).
    pub role: String,
    pub password: Option<String>,
}

const LONGEST_NAME: usize = 24;

/// Makes a login role for a new desk with a generated password (scram-sha-256, as the server
/// hashes passwords by default since PostgreSQL 14).
pub fn add_desk(client: &mut Client, name: &str) -> Result<Desk> {
    let name = desk_name(name)?;
    let owner = owner_for_roles(client)?;
    let role = role_of(client, &name)?;
    let exists: bool = client.query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&role])?.get(0);
    if exists {
        return Err(Error::refused("desk", Refusal::DeskExists { name }));
    }
    let password = uuid::Uuid::new_v4().simple().to_string();
    // Names and password are checked letters and digits only: safe to write into the SQL.
    client.batch_execute(&format!("CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}' IN ROLE \"{owner}\""))?;
    Ok(Desk { name, role, password: Some(password) })
}

/// The desks made for this clinic's database, by name.
pub fn desks(client: &mut Client) -> Result<Vec<Desk>> {
    let prefix = role_of(client, "")?;
    let rows = client.query(
        "SELECT r.rolname::text FROM pg_roles r
          WHERE r.rolcanlogin AND starts_with(r.rolname, $1)
            AND pg_has_role(r.oid, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')
          ORDER BY 1",
        &[&prefix],
    )?;
    Ok(rows
        .iter()
        .map(|row| {
            let role: String = row.get(0);
            Desk { name: role[prefix.len()..].replace('_', "-"), role, password: None }
        })
        .collect())
}

/// Retires a desk: its role is dropped and it can no longer sign in to the server.
pub fn remove_desk(client: &mut Client, name: &str) -> Result<()> {
    let name = desk_name(name)?;
    owner_for_roles(client)?;
    let role = role_of(client, &name)?;
    if !desks(client)?.iter().any(|d| d.role == role) {
        return Err(Error::refused("desk", Refusal::NoSuchDesk { name }));
    }
    client.batch_execute(&format!("DROP ROLE \"{role}\""))?;
    Ok(())
}

/// A desk's name as written: lower-case letters, digits and dashes.
fn desk_name(name: &str) -> Result<String> {
    let name = name.trim().to_lowercase();
    let fits = !name.is_empty()
        && name.chars().count() <= LONGEST_NAME
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !fits {
        return Err(Error::refused("desk", Refusal::BadDeskName { value: name, max: LONGEST_NAME as u32 }));
    }
    Ok(name)
}

/// `<database>_desk_<name>`, with the database's name as the server has it; PostgreSQL keeps
/// names of at most 63 bytes, so a longer one is refused rather than cut.
fn role_of(client: &mut Client, name: &str) -> Result<String> {
    let database: String = client.query_one("SELECT current_database()::text", &[])?.get(0);
    let role = format!("{database}_desk_{}", name.replace('-', "_"));
    let plain = database.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain || role.len() > 63 {
        return Err(Error::refused("desk", Refusal::BadDeskName { value: role, max: LONGEST_NAME as u32 }));
    }
    Ok(role)
}

/// The connected role, which must own the database and may create roles: the administrator's.
fn owner_for_roles(client: &mut Client) -> Result<String> {
    let row = client.query_one(
        "SELECT current_user::text,
                (SELECT datdba FROM pg_database WHERE datname = current_database()) = r.oid,
                r.rolcreaterole OR r.rolsuper
           FROM pg_roles r WHERE r.rolname = current_user",
        &[],
    )?;
    let (role, owns, creates_roles): (String, bool, bool) = (row.get(0), row.get(1), row.get(2));
    if !(owns && creates_roles) {
        return Err(Error::refused("server", Refusal::NotServerOwner { role }));
    }
    Ok(role)
}
