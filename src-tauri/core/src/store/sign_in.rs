//! Staff sign-in at a desk: PINs set by the administrator (argon2id hashes only), wrong ones
//! counted in the file and locking that member for a while, the idle time before the window
//! locks. A clinic whose staff have no PIN yet has no sign-in: the desk runs it, as before.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::{not_found, Acting, Actor, Entity, Store};
use crate::db::Db;
use crate::domain::access::{self, SignedIn, Work};
use crate::domain::resources::Role;
use crate::error::{Error, Refusal, Result};

/// What the window needs to show its sign-in screen and to lock itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignInState {
    /// Some active staff member has a PIN: the clinic's data is for signed-in staff only.
    pub required: bool,
    pub signed_in: Option<SignedIn>,
    /// Who can sign in here (active, with a PIN), by name.
    pub staff: Vec<StaffToSignIn>,
    /// The window locks after this long without a key press or a click.
    pub idle_lock_minutes: u32,
    /// What the person at the desk may do (everything while the clinic has no sign-in).
    pub allowed_work: Vec<Work>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffToSignIn {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

/// Whether the clinic has sign-in: some active staff member has a PIN.
pub(super) fn required(db: &Db) -> Result<bool> {
    db.query_one("SELECT EXISTS (SELECT 1 FROM staff WHERE active = 1 AND login_secret_hash IS NOT NULL)", &[])?.get(0)
}

/// The role of a signed-in member who still may sign in (active, with a PIN).
pub(super) fn still_signs_in(db: &Db, staff_id: Uuid) -> Result<Option<Role>> {
    db.query_opt("SELECT role FROM staff WHERE id = ?1 AND active = 1 AND login_secret_hash IS NOT NULL", &[&staff_id])?
        .map(|r| r.get_enum(0, Role::parse))
        .transpose()
}

/// Refused when the clinic has sign-in but no active administrator could sign in any more
/// (`name`'s change would leave it so).
pub(super) fn check_an_administrator_signs_in(db: &Db, name: &str) -> Result<()> {
    let admin_signs_in: bool = db
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE active = 1 AND role = 'admin' AND login_secret_hash IS NOT NULL)",
            &[],
        )?
        .get(0)?;
    if required(db)? && !admin_signs_in {
        return Err(Error::refused("", Refusal::LastAdminPin { name: name.into() }));
    }
    Ok(())
}

struct Account {
    member: SignedIn,
    active: bool,
    hash: Option<String>,
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
}

fn load_account(db: &Db, id: Uuid) -> Result<Account> {
    let r = db
        .query_opt(
            "SELECT id, name, role, active, login_secret_hash, failed_sign_ins, sign_in_locked_until
             FROM staff WHERE id = ?1",
            &[&id],
        )?
        .ok_or_else(|| not_found("staff member", id))?;
    Ok(Account {
        member: SignedIn { staff_id: r.get(0)?, name: r.get(1)?, role: r.get_enum(2, Role::parse)? },
        active: r.get(3)?,
        hash: r.get(4)?,
        failures: r.get(5)?,
        locked_until: r.get(6)?,
    })
}

impl Store {
    /// The staff member signed in through this store, if any.
    pub fn signed_in(&self) -> Option<SignedIn> {
        self.signed_in.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub(super) fn set_signed_in(&self, member: Option<SignedIn>) {
        *self.signed_in.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = member;
    }

    pub fn sign_in_state(&self) -> Result<SignInState> {
        self.read_kept(|| "sign-in".into(), || self.read_sign_in_state())
    }

    fn read_sign_in_state(&self) -> Result<SignInState> {
        self.read_db(|db| {
            let required = required(db)?;
            // Who is signed in as the staff table has them now (see `Store::acting`).
            let signed_in = match self.acting(db, Actor::User) {
                Ok(Acting::Staff(member)) => Some(member),
                _ => None,
            };
            let staff = db.query_map(
                "SELECT id, name, role FROM staff WHERE active = 1 AND login_secret_hash IS NOT NULL ORDER BY name, id",
                &[],
                |r| Ok(StaffToSignIn { id: r.get(0)?, name: r.get(1)?, role: r.get_enum(2, Role::parse)? }),
            )?;
            let idle_lock_minutes = db.query_one("SELECT idle_lock_minutes FROM sign_in_policy", &[])?.get(0)?;
            let allowed_work = match (&signed_in, required) {
                (Some(member), _) => member.role.allowed_work(),
                (None, false) => Work::ALL.to_vec(),
                (None, true) => Vec::new(),
            };
            Ok(SignInState { required, signed_in, staff, idle_lock_minutes, allowed_work })
        })
    }

    /// Signs `staff_id` in at this desk with their PIN. A wrong PIN counts against them (in the
    /// file); after `SIGN_IN_TRIES` in a row their sign-in waits (`lockout_after`). Both are
    /// in the audit log.
    pub fn sign_in(&self, staff_id: Uuid, secret: &str) -> Result<SignedIn> {
        // Who signs in, if they may try now: refused without writing anything otherwise.
        let who = |db: &Db| {
            let account = load_account(db, staff_id)?;
            let name = account.member.name.clone();
            if !account.active {
                return Err(Error::refused("staff", Refusal::StaffInactive { name }));
            }
            if account.hash.is_none() {
                return Err(Error::refused("staff", Refusal::NoPinYet { name }));
            }
            access::check_not_locked(account.locked_until, self.now())?;
            Ok(Acting::Staff(account.member))
        };
        // A wrong PIN is written down (and committed) too: the outcome is the write's value.
        let outcome = self.write_checked(Actor::User, who, |w| {
            let account = load_account(w.db(), staff_id)?;
            if account.hash.as_deref().is_some_and(|hash| access::secret_matches(secret, hash)) {
                w.db().execute(
                    "UPDATE staff SET failed_sign_ins = 0, sign_in_locked_until = NULL WHERE id = ?1",
                    &[&staff_id],
                )?;
                super::audit::append_event(w, Entity::Staff, staff_id, "sign_in", "")?;
                return Ok(Ok(account.member));
            }
            let failures = account.failures + 1;
            let lockout = access::lockout_after(failures);
            w.db().execute(
                "UPDATE staff SET failed_sign_ins = ?2, sign_in_locked_until = ?3 WHERE id = ?1",
                &[&staff_id, &failures, &lockout.map(|wait| w.now + wait)],
            )?;
            super::audit::append_event(w, Entity::Staff, staff_id, "sign_in_refused", &format!("attempt {failures}"))?;
            let name = account.member.name;
            Ok(Err(match lockout {
                Some(wait) => Error::refused("pin", Refusal::TooManyTries { seconds: wait.num_seconds() as u32 }),
                None => Error::refused("pin", Refusal::WrongSignInPin { name, left: access::SIGN_IN_TRIES - failures }),
            }))
        })?;
        let member = outcome?;
        self.set_signed_in(Some(member.clone()));
        tracing::info!(role = member.role.as_str(), "a staff member signed in");
        Ok(member)
    }

    /// Signs a staff member in by name (the command line's `--as NAME`).
    pub fn sign_in_by_name(&self, name: &str, secret: &str) -> Result<SignedIn> {
        let id = self.read_db(|db| {
            db.query_opt("SELECT id FROM staff WHERE lower(name) = lower(?1)", &[&name.trim()])?
                .ok_or_else(|| Error::NotFound { entity: "staff member", id: name.trim().to_string() })?
                .get(0)
        })?;
        self.sign_in(id, secret)
    }

    /// Signs out whoever is signed in here (switching user, locking the desk).
    pub fn sign_out(&self) -> Result<()> {
        let Some(member) = self.signed_in() else { return Ok(()) };
        let staff_id = member.staff_id;
        let audited = self.write_as(Actor::User, Acting::Staff(member), |w| {
            super::audit::append_event(w, Entity::Staff, staff_id, "sign_out", "")
        });
        // A desk cut off from the clinic server still locks: signing out is not held back
        // by the audit row it cannot write now.
        self.set_signed_in(None);
        if let Err(e) = audited {
            if !matches!(e.refusal(), Some(Refusal::ServerCutOff { .. })) {
                return Err(e);
            }
            tracing::warn!("signed out while cut off from the clinic server; not in its audit log");
        }
        Ok(())
    }

    /// Sets (or with `None` removes) a staff member's PIN. The first PIN of a clinic goes to
    /// an administrator, and the last administrator's is not removed while others have one:
    /// someone must always be able to manage sign-in.
    pub fn set_staff_pin(&self, actor: Actor, staff_id: Uuid, secret: Option<&str>) -> Result<()> {
        let hash = secret.map(access::hash_secret).transpose()?;
        let (member, turned_on) = self.write(actor, Work::ClinicSetup, |w| {
            let account = load_account(w.db(), staff_id)?;
            let was_required = required(w.db())?;
            if hash.is_some() && account.member.role != Role::Admin && !was_required {
                return Err(Error::refused("pin", Refusal::FirstPinForAdmin));
            }
            w.db().execute(
                "UPDATE staff SET login_secret_hash = ?2, failed_sign_ins = 0, sign_in_locked_until = NULL,
                        updated_at = ?3 WHERE id = ?1",
                &[&staff_id, &hash, &w.now],
            )?;
            check_an_administrator_signs_in(w.db(), &account.member.name)?;
            let action = if hash.is_some() { "set_pin" } else { "remove_pin" };
            w.audit(Entity::Staff, staff_id, action, &account.member.name)?;
            Ok((account.member, !was_required && hash.is_some()))
        })?;
        if turned_on {
            // The administrator who turns sign-in on at this desk (during set-up) is signed in
            // with it: whoever sat here could do everything a moment ago.
            self.set_signed_in(Some(member));
        } else if hash.is_none() && self.signed_in().is_some_and(|m| m.staff_id == staff_id) {
            // A member whose PIN was removed is signed out here.
            self.set_signed_in(None);
        }
        Ok(())
    }

    pub fn set_idle_lock_minutes(&self, actor: Actor, minutes: u32) -> Result<()> {
        access::check_idle_minutes(minutes)?;
        self.write(actor, Work::ClinicSetup, |w| {
            w.db().execute("UPDATE sign_in_policy SET idle_lock_minutes = ?1, updated_at = ?2", &[&minutes, &w.now])?;
            w.audit(Entity::Staff, Uuid::nil(), "idle_lock_minutes", &minutes.to_string())
        })
    }
}
