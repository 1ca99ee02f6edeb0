//! The reception kiosk: a full-screen survey for one patient's visit that only a staff PIN ends.
//! The PIN lives for the kiosk session only (it is typed when staff hand the screen over); wrong
//! PINs are rate-limited so a patient cannot try them all.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::error::{Error, Refusal, Result};

/// Wrong PINs allowed before the kiosk waits.
pub const PIN_TRIES: u32 = 5;
/// How long it waits after them.
pub const LOCKOUT: Duration = Duration::seconds(60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskLock {
    pub appointment_id: Uuid,
    pin: String,
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
}

impl KioskLock {
    /// A PIN is 4 to 8 digits.
    pub fn new(appointment_id: Uuid, pin: &str) -> Result<KioskLock> {
        let pin = pin.trim();
        if !(4..=8).contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::refused("pin", Refusal::BadPin));
        }
        Ok(KioskLock { appointment_id, pin: pin.into(), failures: 0, locked_until: None })
    }

    /// Whether `pin` ends the kiosk now; each wrong one counts, and after `PIN_TRIES` of them
    /// none is even compared until the lockout has passed.
    pub fn check_pin(&mut self, pin: &str, now: DateTime<Utc>) -> Result<()> {
        if let Some(until) = self.locked_until.filter(|until| *until > now) {
            let seconds = (until - now).num_seconds().max(1) as u32;
            return Err(Error::refused("pin", Refusal::TooManyTries { seconds }));
        }
        if same(pin.trim().as_bytes(), self.pin.as_bytes()) {
            self.failures = 0;
            self.locked_until = None;
            return Ok(());
        }
        self.failures += 1;
        if self.failures >= PIN_TRIES {
            self.failures = 0;
            self.locked_until = Some(now + LOCKOUT);
            return Err(Error::refused("pin", Refusal::TooManyTries { seconds: LOCKOUT.num_seconds() as u32 }));
        }
        Err(Error::refused("pin", Refusal::WrongPin { left: PIN_TRIES - self.failures }))
    }
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_right_pin_ends_it_and_wrong_ones_lock_it_for_a_minute() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let reason = |r: Result<()>| r.unwrap_err().refusal().unwrap().reason().to_string();
        assert_eq!(KioskLock::new(Uuid::nil(), "12a4").unwrap_err().refusal().unwrap().reason(), "bad_pin");
        assert_eq!(KioskLock::new(Uuid::nil(), "123").unwrap_err().refusal().unwrap().reason(), "bad_pin");
        let mut lock = KioskLock::new(Uuid::nil(), "4711").unwrap();
        for left in (1..PIN_TRIES).rev() {
            let err = lock.check_pin("0000", now).unwrap_err();
            assert_eq!(err.refusal(), Some(&Refusal::WrongPin { left }));
        }
        assert_eq!(reason(lock.check_pin("0000", now)), "too_many_tries");
        // Even the right PIN waits out the lockout.
        assert_eq!(reason(lock.check_pin("4711", now + Duration::seconds(30))), "too_many_tries");
        lock.check_pin("4711", now + Duration::seconds(61)).unwrap();
    }
}
