//! Patients and the validation of what the front desk types about them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Refusal, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    Sms,
    Email,
    Letter,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Phone, Channel::Sms, Channel::Email, Channel::Letter];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Letter => "letter",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Patient {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub phone_alt: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Channel,
    pub preferred_language: String,
    pub consent_reminders: bool,
    pub do_not_contact: bool,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Patient {
    pub fn full_name(&self) -> String {
        person_name(&self.given_name, &self.family_name)
    }
}

/// A person's name as every list and message writes it: "Anna Petrova", but "张伟" — a name in
/// Chinese, Japanese or Korean script has the family name first, with no space.
pub fn person_name(given: &str, family: &str) -> String {
    let (given, family) = (given.trim(), family.trim());
    let east_asian = |c: char| matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF);
    if given.chars().chain(family.chars()).any(east_asian) {
        format!("{family}{given}")
    } else if given.is_empty() || family.is_empty() {
        format!("{given}{family}")
    } else {
        format!("{given} {family}")
    }
}

/// What a form sends to create or change a patient; text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PatientInput {
    pub given_name: String,
    pub family_name: String,
    /// "YYYY-MM-DD" or empty.
    pub birth_date: String,
    pub phone: String,
    pub phone_alt: String,
    pub email: String,
    pub preferred_channel: String,
    pub preferred_language: String,
    pub consent_reminders: bool,
    pub do_not_contact: bool,
    pub notes: String,
}

/// A `PatientInput` that passed validation, tidied for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPatient {
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub phone_alt: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Channel,
    pub preferred_language: String,
    pub consent_reminders: bool,
    pub do_not_contact: bool,
    pub notes: String,
}

pub const LANGUAGES: [&str; 5] = ["en", "ru", "uk", "zh", "lv"];

#[cfg(test)]
impl PatientInput {
    /// A patient every check accepts (phone only), for tests to vary one field of.
    pub(crate) fn example(given_name: &str, family_name: &str) -> Self {
        PatientInput {
            given_name: given_name.into(),
            family_name: family_name.into(),
            birth_date: String::new(),
            phone: "+371 2000 0000".into(),
            phone_alt: String::new(),
            email: String::new(),
            preferred_channel: "phone".into(),
            preferred_language: "en".into(),
            consent_reminders: true,
            do_not_contact: false,
            notes: String::new(),
        }
    }
}

impl PatientInput {
    /// Checks every field against `today` (the clinic's local date); the first problem found
    /// is returned, naming its field so the form can point at it.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPatient> {
        let given_name = required_name("given_name", &self.given_name, "First name")?;
        let family_name = required_name("family_name", &self.family_name, "Last name")?;
        let birth_date = parse_birth_date(&self.birth_date, today)?;
        let phone = normalise_phone("phone", &self.phone)?
            .ok_or_else(|| Error::refused("phone", Refusal::Required { what: "A phone number".into() }))?;
        let phone_alt = normalise_phone("phone_alt", &self.phone_alt)?;
        let email = normalise_email(&self.email)?;
        let preferred_channel = match self.preferred_channel.trim() {
            "" => Channel::Phone,
            text => Channel::parse(text)
                .ok_or_else(|| Error::refused("preferred_channel", Refusal::UnknownChannel { value: text.into() }))?,
        };
        if preferred_channel == Channel::Email && email.is_none() {
            return Err(Error::refused("email", Refusal::EmailNeeded));
        }
        let preferred_language = match self.preferred_language.trim() {
            "" => "en".to_string(),
            code if LANGUAGES.contains(&code) => code.to_string(),
            code => return Err(Error::refused("preferred_language", Refusal::UnknownLanguage { value: code.into() })),
        };
        Ok(ValidPatient {
            given_name,
            family_name,
            birth_date,
            phone,
            phone_alt,
            email,
            preferred_channel,
            preferred_language,
            consent_reminders: self.consent_reminders && !self.do_not_contact,
            do_not_contact: self.do_not_contact,
            notes: {
                let notes = self.notes.trim();
                super::limits::check_length("notes", "The notes", notes, super::limits::NOTE)?;
                notes.to_string()
            },
        })
    }
}

fn required_name(field: &str, text: &str, label: &str) -> Result<String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::refused(field, Refusal::Required { what: label.into() }));
    }
    super::limits::check_length(field, label, &name, super::limits::NAME)?;
    if name.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
        return Err(Error::refused(field, Refusal::HasDigits { what: label.into(), value: name }));
    }
    Ok(name)
}

fn parse_birth_date(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::refused("birth_date", Refusal::BadDate { value: text.into() }))?;
    if date > today {
        return Err(Error::refused("birth_date", Refusal::FutureDate { value: date.to_string() }));
    }
    if date < NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date") {
        return Err(Error::refused("birth_date", Refusal::Before1900 { value: date.to_string() }));
    }
    Ok(Some(date))
}

/// Accepts what people type (spaces, dashes, dots, brackets, a leading + or 00) and keeps the
/// number readable; 7 to 15 digits as E.164 allows.
pub fn normalise_phone(field: &str, text: &str) -> Result<Option<String>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let value = trimmed.to_string();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if let Some(c) = body.chars().find(|c| !(c.is_ascii_digit() || " -.()/".contains(*c))) {
        return Err(Error::refused(field, Refusal::PhoneCharacter { value, character: c.to_string() }));
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err(Error::refused(field, Refusal::PhoneLength { value, digits: digits as u32 }));
    }
    let spaced = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(Some(spaced))
}

fn normalise_email(text: &str) -> Result<Option<String>> {
    let email = text.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let bad = || Error::refused("email", Refusal::BadEmail { value: email.into() });
    // A pasted address may carry a tab or a line break (or worse) that no mail server takes.
    if email.chars().any(char::is_control) {
        return Err(Error::refused("email", Refusal::EmailControl));
    }
    super::limits::check_length("email", "The email address", email, super::limits::EMAIL)?;
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if local.is_empty() || local.contains(char::is_whitespace) || domain.contains('@') || !domain_ok {
        return Err(bad());
    }
    Ok(Some(email.to_string()))
}

/// The text patient search matches against: names and email folded as `fold_for_search`
/// does (plus the names without their hyphens and apostrophes, for "smithjones" or
/// "obrien"), and the phones' digits.
pub fn search_key(p: &ValidPatient) -> String {
    search_text(&p.given_name, &p.family_name, &p.phone, p.phone_alt.as_deref(), p.email.as_deref())
}

pub fn search_text(given: &str, family: &str, phone: &str, phone_alt: Option<&str>, email: Option<&str>) -> String {
    let digits = |phone: &str| phone.chars().filter(char::is_ascii_digit).collect::<String>();
    let names = fold_for_search(&format!("{given} {family}"));
    let joined: String = names.chars().filter(|c| !NAME_JOINERS.contains(*c)).collect();
    let mut key = format!("{names} {} {}", digits(phone), phone_alt.map(digits).unwrap_or_default());
    if joined != names {
        key = format!("{key} {joined}");
    }
    format!("{key} {}", fold_for_search(email.unwrap_or("")))
}

/// Characters inside a name that people may or may not type: Smith-Jones, O'Brien.
const NAME_JOINERS: &str = "-'";

/// Lower case, without diacritics ("Bērziņa" → "berzina", "Zariņš" → "zarins"), with
/// typographic apostrophes and dashes as the keyboard's: front desks often type without them.
pub fn fold_for_search(text: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2013}' => '-',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-11-24".parse().unwrap()
    }

    fn input() -> PatientInput {
        PatientInput {
            given_name: " Anna ".into(),
            family_name: "Petrova".into(),
            birth_date: "1985-04-12".into(),
            phone: "+371 2612  3456".into(),
            email: "anna@example.lv".into(),
            preferred_channel: "sms".into(),
            preferred_language: "ru".into(),
            consent_reminders: true,
            ..Default::default()
        }
    }

    fn field_of(result: Result<ValidPatient>) -> String {
        match result.unwrap_err() {
            Error::Refused { field, .. } => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_good_patient_is_tidied() {
        let p = input().validate(today()).unwrap();
        assert_eq!(p.given_name, "Anna");
        assert_eq!(p.phone, "+371 2612 3456");
        assert_eq!(p.preferred_channel, Channel::Sms);
        assert_eq!(search_key(&p), "anna petrova 37126123456  anna@example.lv");
    }

    #[test]
    fn bad_phones_are_refused_with_the_reason() {
        for phone in ["12ab5678", "123", "+1 234 567 890 123 456", "++37126123456"] {
            let err = PatientInput { phone: phone.into(), ..input() }.validate(today()).unwrap_err();
            assert_eq!(err.kind(), "invalid");
            assert!(err.to_string().starts_with(&format!("Phone “{phone}” is not valid")), "{err}");
        }
        assert_eq!(field_of(PatientInput { phone: "".into(), ..input() }.validate(today())), "phone");
        assert_eq!(field_of(PatientInput { phone_alt: "x".into(), ..input() }.validate(today())), "phone_alt");
        assert!(PatientInput { phone: "(029) 123-45-67".into(), ..input() }.validate(today()).is_ok());
    }

    #[test]
    fn bad_emails_are_refused() {
        for email in ["anna", "anna@", "@x.lv", "anna@x", "an na@x.lv", "a@b@c.lv", "a@x..lv"] {
            assert_eq!(field_of(PatientInput { email: email.into(), ..input() }.validate(today())), "email", "{email}");
        }
    }

    #[test]
    fn birth_dates_must_be_real_past_dates() {
        for date in ["2026-02-30", "12.04.1985", "2027-01-01", "1899-12-31"] {
            assert_eq!(field_of(PatientInput { birth_date: date.into(), ..input() }.validate(today())), "birth_date");
        }
        let p = PatientInput { birth_date: "".into(), ..input() }.validate(today()).unwrap();
        assert_eq!(p.birth_date, None);
    }

    #[test]
    fn names_are_required_and_email_channel_needs_an_address() {
        assert_eq!(field_of(PatientInput { given_name: "  ".into(), ..input() }.validate(today())), "given_name");
        assert_eq!(
            field_of(PatientInput { family_name: "P3trova".into(), ..input() }.validate(today())),
            "family_name"
        );
        let only_email = PatientInput { email: "".into(), preferred_channel: "email".into(), ..input() };
        assert_eq!(field_of(only_email.validate(today())), "email");
    }

    #[test]
    fn do_not_contact_withdraws_reminder_consent() {
        let p = PatientInput { do_not_contact: true, ..input() }.validate(today()).unwrap();
        assert!(!p.consent_reminders);
    }

    #[test]
    fn names_in_chinese_script_put_the_family_name_first() {
        assert_eq!(person_name("Anna", "Petrova"), "Anna Petrova");
        assert_eq!(person_name("伟", "张"), "张伟");
        assert_eq!(person_name(" Olena ", "Гнатюк"), "Olena Гнатюк");
        assert_eq!(person_name("", "Petrova"), "Petrova");
    }
}
