//! Who may do what: the kinds of work a write is, which roles may do each, and the staff
//! members' sign-in secrets (PINs or passwords, kept only as argon2id hashes) with the lockout
//! that follows a run of wrong ones.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::resources::Role;
use crate::error::{Error, Refusal, Result};

/// What a write does, as the roles are granted it. Every write of the store names its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Work {
    /// The clinic itself: settings, hours, closed days, staff, providers, rooms, services,
    /// blocked periods, the blueprint's drawings, the backup plan, sign-in rules.
    ClinicSetup,
    /// Journey templates and their reminder rules.
    Journeys,
    /// Service standards and how surveys are read (Kano features, SERVQUAL weights).
    Standards,
    /// Recording an audit of the standards on a visit.
    StandardAudits,
    /// Adding and editing patients.
    Patients,
    /// Booking, moving and cancelling visits, series and the waiting list.
    Bookings,
    /// The flow board: arrivals and stages of a visit.
    Flow,
    /// The call list: outcomes of calls and who makes them.
    Calls,
    /// A patient's survey answers.
    Surveys,
    /// A patient's data given out or erased, the audit log read, backups restored, every
    /// task re-planned.
    Records,
}

impl Work {
    pub const ALL: [Work; 10] = [
        Work::ClinicSetup,
        Work::Journeys,
        Work::Standards,
        Work::StandardAudits,
        Work::Patients,
        Work::Bookings,
        Work::Flow,
        Work::Calls,
        Work::Surveys,
        Work::Records,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Work::ClinicSetup => "clinic_setup",
            Work::Journeys => "journeys",
            Work::Standards => "standards",
            Work::StandardAudits => "standard_audits",
            Work::Patients => "patients",
            Work::Bookings => "bookings",
            Work::Flow => "flow",
            Work::Calls => "calls",
            Work::Surveys => "surveys",
            Work::Records => "records",
        }
    }
}

impl Role {
    /// Whether this role may do `work`. The administrator runs the clinic; the front desk
    /// registers patients, books, runs the flow board and the calls; clinicians move their
    /// visits along and work their duties; the back office works its duties and audits.
    pub fn may(self, work: Work) -> bool {
        use Work::*;
        match self {
            Role::Admin => true,
            Role::FrontDesk => matches!(work, Patients | Bookings | Flow | Calls | Surveys),
            Role::Clinician => matches!(work, Flow | Calls | Surveys),
            Role::BackOffice => matches!(work, Calls | Surveys | StandardAudits),
        }
    }

    /// Everything this role may do, for the window to offer only that.
    pub fn allowed_work(self) -> Vec<Work> {
        Work::ALL.into_iter().filter(|w| self.may(*w)).collect()
    }
}

/// Who is at the desk: a signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignedIn {
    pub staff_id: Uuid,
    pub name: String,
    pub role: Role,
}

impl SignedIn {
    /// Refused with the reason when this member's role may not do `work`.
    pub fn check(&self, work: Work) -> Result<()> {
        if self.role.may(work) {
            return Ok(());
        }
        Err(Error::refused("", Refusal::RoleMayNot { role: self.role.as_str().into(), work: work.as_str().into() }))
    }
}

/// A PIN or password: 4 to 64 characters, no control characters. Four digits suffice at a
/// desk because wrong ones lock the sign-in (`lockout_after`); the file itself is protected by
/// encryption at rest.
pub const SECRET_MIN: usize = 4;
pub const SECRET_MAX: usize = 64;

pub fn check_secret(secret: &str) -> Result<()> {
    let length = secret.chars().count();
    if length < SECRET_MIN {
        return Err(Error::refused("pin", Refusal::PinTooShort { min: SECRET_MIN as u32 }));
    }
    if length > SECRET_MAX {
        return Err(Error::refused(
            "pin",
            Refusal::TooLong { what: "PIN".into(), max: SECRET_MAX as u32, length: length as u32 },
        ));
    }
    if secret.chars().any(char::is_control) {
        return Err(Error::refused("pin", Refusal::PinControl));
    }
    Ok(())
}

/// The argon2id hash of a checked secret, with its salt and parameters (PHC string).
pub fn hash_secret(secret: &str) -> Result<String> {
    check_secret(secret)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("The PIN could not be hashed: {e}")))
}

/// Whether `secret` is the one `hash` was made from.
pub fn secret_matches(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok())
}

/// Wrong secrets allowed in a row before the sign-in waits.
pub const SIGN_IN_TRIES: u32 = 5;

/// How long a member's sign-in waits after `failures` wrong secrets in a row: nothing for the
/// first few, then a minute, doubling with each further wrong one up to a quarter of an hour.
pub fn lockout_after(failures: u32) -> Option<Duration> {
    let beyond = failures.checked_sub(SIGN_IN_TRIES)?;
    Some(Duration::seconds((60i64 << beyond.min(4)).min(15 * 60)))
}

/// Refused while a lockout runs.
pub fn check_not_locked(locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<()> {
    match locked_until.filter(|until| *until > now) {
        Some(until) => {
            let seconds = (until - now).num_seconds().max(1) as u32;
            Err(Error::refused("pin", Refusal::TooManyTries { seconds }))
        }
        None => Ok(()),
    }
}

/// The idle time before the window locks: 1 minute to 4 hours.
pub fn check_idle_minutes(minutes: u32) -> Result<()> {
    if !(1..=240).contains(&minutes) {
        return Err(Error::refused(
            "idle_lock_minutes",
            Refusal::OutOfRange { what: "Idle time before locking".into(), value: minutes, min: 1, max: 240 },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_does_its_own_work_and_the_administrator_all() {
        assert!(Work::ALL.iter().all(|w| Role::Admin.may(*w)));
        assert!(Role::FrontDesk.may(Work::Bookings) && !Role::FrontDesk.may(Work::Journeys));
        assert!(Role::Clinician.may(Work::Flow) && !Role::Clinician.may(Work::Bookings));
        assert!(Role::BackOffice.may(Work::StandardAudits) && !Role::BackOffice.may(Work::Patients));
        // Only the administrator reads the audit log, gives data out or erases it.
        assert!(Role::ALL.iter().filter(|r| r.may(Work::Records)).eq([Role::Admin].iter()));
        let refusal = SignedIn { staff_id: Uuid::nil(), name: "Ilze".into(), role: Role::FrontDesk }
            .check(Work::Journeys)
            .unwrap_err();
        assert_eq!(
            refusal.refusal(),
            Some(&Refusal::RoleMayNot { role: "front_desk".into(), work: "journeys".into() })
        );
    }

    #[test]
    fn secrets_are_hashed_with_argon2id_and_checked() {
        let hash = hash_secret("4711").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("4711"));
        assert!(secret_matches("4711", &hash));
        assert!(!secret_matches("4712", &hash));
        assert!(!secret_matches("4711", "not a hash"));
        // The same secret hashes differently each time (its own salt).
        assert_ne!(hash, hash_secret("4711").unwrap());
        let reason = |s: &str| check_secret(s).unwrap_err().refusal().unwrap().reason().to_string();
        assert_eq!(reason("123"), "pin_too_short");
        assert_eq!(reason("12\t45"), "pin_control");
        assert_eq!(reason(&"x".repeat(65)), "too_long");
        check_secret("correct horse").unwrap();
    }

    #[test]
    fn wrong_secrets_lock_for_longer_each_time() {
        assert_eq!(lockout_after(4), None);
        assert_eq!(lockout_after(5), Some(Duration::minutes(1)));
        assert_eq!(lockout_after(6), Some(Duration::minutes(2)));
        assert_eq!(lockout_after(8), Some(Duration::minutes(8)));
        assert_eq!(lockout_after(9), Some(Duration::minutes(15)));
        assert_eq!(lockout_after(40), Some(Duration::minutes(15)));
        let now = DateTime::<Utc>::UNIX_EPOCH;
        check_not_locked(Some(now), now).unwrap();
        let refused = check_not_locked(Some(now + Duration::seconds(30)), now).unwrap_err();
        assert_eq!(refused.refusal(), Some(&Refusal::TooManyTries { seconds: 30 }));
    }
}
