//! The longest free text each kind of field takes. The domain enforces them and the window
//! gets them (`InputLimits`, in the clinic overview) to show in its forms.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Refusal, Result};

/// A person's given or family name.
pub const NAME: usize = 100;
/// An e-mail address (RFC 5321's longest path).
pub const EMAIL: usize = 254;
/// A reason given for a cancellation.
pub const REASON: usize = 500;
/// Notes on a patient, a visit, a waitlist entry or a call.
pub const NOTE: usize = 1000;

/// What the forms show as each field's maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct InputLimits {
    pub name: u32,
    pub email: u32,
    pub reason: u32,
    pub note: u32,
}

pub const INPUT_LIMITS: InputLimits =
    InputLimits { name: NAME as u32, email: EMAIL as u32, reason: REASON as u32, note: NOTE as u32 };

/// Refuses `text` (already trimmed) longer than `max` characters, naming `field` and saying
/// by how much, so the form can point at it.
pub fn check_length(field: &str, label: &str, text: &str, max: usize) -> Result<()> {
    let length = text.chars().count();
    if length <= max {
        return Ok(());
    }
    Err(Error::refused(field, Refusal::TooLong { what: label.into(), max: max as u32, length: length as u32 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_up_to_the_limit_passes_and_one_character_more_is_refused_with_the_limit() {
        assert!(check_length("notes", "The notes", &"ё".repeat(NOTE), NOTE).is_ok());
        let err = check_length("notes", "The notes", &"ё".repeat(NOTE + 1), NOTE).unwrap_err();
        assert_eq!(err.to_string(), "The notes is too long: 1001 characters, at most 1000");
        assert_eq!(err.refusal(), Some(&Refusal::TooLong { what: "The notes".into(), max: 1000, length: 1001 }));
        assert_eq!(err.body().field.as_deref(), Some("notes"));
    }
}
