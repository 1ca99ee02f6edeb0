//! Patients: search as you type, create, edit.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::Entity;
use super::{Actor, Store, Write};
use crate::db::{Db, RowRef, ToValue};
use crate::domain::access::Work;
use crate::domain::ids::new_id;
use crate::domain::patient::{fold_for_search, search_key, search_text, Channel, Patient, PatientInput, ValidPatient};
use crate::error::{Error, Refusal, Result};

/// One line of the patient list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PatientListItem {
    pub patient: Patient,
    pub last_visit: Option<DateTime<Utc>>,
    pub next_visit: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PatientPage {
    pub items: Vec<PatientListItem>,
    /// Where `items` start in the whole sorted list.
    pub offset: u32,
    /// How many patients match in all (the page may show fewer).
    pub total: u32,
}

const COLUMNS: &str = "p.id, p.given_name, p.family_name, p.birth_date, p.phone, p.phone_alt, p.email,
    p.preferred_channel, p.preferred_language, p.consent_reminders, p.do_not_contact, p.notes,
    p.created_at, p.updated_at";

fn patient_from(r: &RowRef) -> Result<Patient> {
    Ok(Patient {
        id: r.get(0)?,
        given_name: r.get(1)?,
        family_name: r.get(2)?,
        birth_date: r.get(3)?,
        phone: r.get(4)?,
        phone_alt: r.get(5)?,
        email: r.get(6)?,
        preferred_channel: r.get_enum(7, Channel::parse)?,
        preferred_language: r.get(8)?,
        consent_reminders: r.get(9)?,
        do_not_contact: r.get(10)?,
        notes: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

/// `LIKE` patterns, one per word of the query, matched against the search key. A word that is
/// a phone number ("+371 2000-0001", "(2000)") is matched by its digits; any other word as
/// typed, folded the way the key is ("o'brien", "smith-jones", "anna.k@", "berzina").
fn word_patterns(query: &str) -> Vec<String> {
    fold_for_search(query)
        .split_whitespace()
        .map(|w| {
            let is_phone =
                w.chars().any(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_digit() || "+-()./".contains(c));
            let word: String = if is_phone { w.chars().filter(char::is_ascii_digit).collect() } else { w.to_string() };
            let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("%{escaped}%")
        })
        .collect()
}

/// Recomputes every patient's search key (after the way keys are made has changed).
pub(super) fn rebuild_search_keys(w: &mut Write) -> Result<()> {
    type Row = (String, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = w
        .sqlite()?
        .prepare("SELECT id, given_name, family_name, phone, phone_alt, email FROM patients")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = w.sqlite()?.prepare("UPDATE patients SET search_key = ?2 WHERE id = ?1")?;
    for (id, given, family, phone, phone_alt, email) in &rows {
        update.execute((id, search_text(given, family, phone, phone_alt.as_deref(), email.as_deref())))?;
    }
    drop(update);
    w.touch(Entity::Patients);
    Ok(())
}

/// The patient `p` has a visit (any time, any status) with a provider who is the staff member
/// given as the last parameter.
const BOOKED_WITH_CLINICIAN: &str = "EXISTS (SELECT 1 FROM appointments a JOIN providers pr ON pr.id = a.provider_id
     WHERE a.patient_id = p.id AND pr.staff_id = ?)";

impl Store {
    /// The first `limit` patients matching `query` (see `patients_page`).
    pub fn list_patients(&self, query: &str, limit: u32) -> Result<PatientPage> {
        self.patients_page(query, 0, limit)
    }

    /// Patients whose names, phone digits or email contain every word of `query`, in the
    /// alphabetical order of the clinic's language (family name, then given name): `limit` of
    /// them from `offset` on, with the total count of matches.
    pub fn patients_page(&self, query: &str, offset: u32, limit: u32) -> Result<PatientPage> {
        let asked = PageQuery { words: query, offset, limit, clinician: self.clinician_scope(), now: self.now() };
        let language = self.get_settings()?.default_language;
        self.read_patient_db(|db| read_patients_page(db, &asked, &language))
    }

    /// A patient's record; for a clinician only one of their patients.
    pub fn get_patient(&self, id: Uuid) -> Result<Patient> {
        let clinician = self.clinician_scope();
        self.read_patient_db(|db| {
            let patient = load_patient(db, id)?;
            if let Some(clinician) = clinician {
                let sql =
                    format!("SELECT EXISTS (SELECT 1 FROM patients p WHERE p.id = ?1 AND {BOOKED_WITH_CLINICIAN})");
                let theirs: bool = db.query_one(&sql, &[&id, &clinician])?.get(0)?;
                if !theirs {
                    return Err(Error::refused("", Refusal::NotYourPatient));
                }
            }
            Ok(patient)
        })
    }

    pub fn create_patient(&self, actor: Actor, input: &PatientInput) -> Result<Patient> {
        let valid = input.validate(self.calendar()?.local_date(self.now()))?;
        self.write(actor, Work::Patients, |w| {
            let id = new_id();
            insert_patient(w, id, &valid)?;
            load_patient(w.db(), id)
        })
    }

    pub fn update_patient(&self, actor: Actor, id: Uuid, input: &PatientInput) -> Result<Patient> {
        let valid = input.validate(self.calendar()?.local_date(self.now()))?;
        self.write(actor, Work::Patients, |w| {
            load_patient(w.db(), id)?;
            write_patient(w, id, &valid)?;
            w.audit(Entity::Patients, id, "update", "")?;
            // Consent, "do not contact" or the preferred channel may have changed: the audited
            // change re-plans the patient's tasks before commit.
            load_patient(w.db(), id)
        })
    }
}

/// Writes a validated patient's values over the record `id`.
pub(super) fn write_patient(w: &mut Write, id: Uuid, valid: &ValidPatient) -> Result<()> {
    w.db().execute(
        "UPDATE patients SET given_name = ?2, family_name = ?3, birth_date = ?4, phone = ?5, phone_alt = ?6,
           email = ?7, preferred_channel = ?8, preferred_language = ?9, consent_reminders = ?10,
           do_not_contact = ?11, notes = ?12, search_key = ?13, updated_at = ?14 WHERE id = ?1",
        &[
            &id,
            &valid.given_name,
            &valid.family_name,
            &valid.birth_date,
            &valid.phone,
            &valid.phone_alt,
            &valid.email,
            &valid.preferred_channel.as_str(),
            &valid.preferred_language,
            &valid.consent_reminders,
            &valid.do_not_contact,
            &valid.notes,
            &search_key(valid),
            &w.now,
        ],
    )?;
    Ok(())
}

/// Inserts a validated patient with the given id (demo and import choose their own ids).
pub(crate) fn insert_patient(w: &mut Write, id: Uuid, p: &ValidPatient) -> Result<()> {
    // Kept statements: an import inserts thousands.
    w.db().execute(
        "INSERT INTO patients (id, given_name, family_name, birth_date, phone, phone_alt, email, preferred_channel,
           preferred_language, consent_reminders, do_not_contact, notes, search_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
        &[
            &id,
            &p.given_name,
            &p.family_name,
            &p.birth_date,
            &p.phone,
            &p.phone_alt,
            &p.email,
            &p.preferred_channel.as_str(),
            &p.preferred_language,
            &p.consent_reminders,
            &p.do_not_contact,
            &p.notes,
            &search_key(p),
            &w.now,
        ],
    )?;
    w.audit(Entity::Patients, id, "create", "")
}

/// What a page of the patient list asks for.
pub(crate) struct PageQuery<'q> {
    pub words: &'q str,
    pub offset: u32,
    pub limit: u32,
    /// A clinician's list holds the patients booked with them.
    pub clinician: Option<Uuid>,
    /// Visits before it are the last, from it on the next.
    pub now: DateTime<Utc>,
}

/// A page of the patient list on either engine, sorted by the names collator of `language`.
pub(crate) fn read_patients_page(db: &Db, asked: &PageQuery, language: &str) -> Result<PatientPage> {
    let mut params = word_patterns(asked.words);
    let mut filter = if params.is_empty() {
        "TRUE".to_string()
    } else {
        vec!["p.search_key LIKE ? ESCAPE '\\'"; params.len()].join(" AND ")
    };
    if let Some(clinician) = asked.clinician {
        filter.push_str(&format!(" AND {BOOKED_WITH_CLINICIAN}"));
        params.push(clinician.to_string());
    }
    let values: Vec<&dyn ToValue> = params.iter().map(|p| p as &dyn ToValue).collect();
    let mut names = db.query_map(
        &format!("SELECT p.id, p.family_name, p.given_name FROM patients p WHERE {filter}"),
        &values,
        |r| Ok((r.get::<Uuid>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    let collator = crate::domain::collation::names_collator(language);
    names.sort_by(|a, b| {
        collator.compare(&a.1, &b.1).then_with(|| collator.compare(&a.2, &b.2)).then_with(|| a.0.cmp(&b.0))
    });
    let total = names.len() as u32;
    let page: Vec<Uuid> =
        names.into_iter().skip(asked.offset as usize).take(asked.limit as usize).map(|(id, _, _)| id).collect();
    let among = db.per_engine("p.id IN rarray(?1)", "p.id = ANY(?1)");
    let sql = format!(
        "SELECT {COLUMNS},
           (SELECT max(starts_at) FROM appointments a WHERE a.patient_id = p.id AND a.starts_at < ?2
              AND a.status IN ('fulfilled', 'arrived', 'in_progress')),
           (SELECT min(starts_at) FROM appointments a WHERE a.patient_id = p.id AND a.starts_at >= ?2
              AND a.status IN ('proposed', 'booked', 'confirmed'))
         FROM patients p WHERE {among}"
    );
    let mut items = db.query_map(&sql, &[&page, &asked.now], |r| {
        Ok(PatientListItem { patient: patient_from(r)?, last_visit: r.get(14)?, next_visit: r.get(15)? })
    })?;
    let position: rustc_hash::FxHashMap<Uuid, usize> = page.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    items.sort_by_key(|item| position[&item.patient.id]);
    Ok(PatientPage { items, total, offset: asked.offset })
}

/// Every patient, by name (for exports).
pub(super) fn all_patients(db: &Db) -> Result<Vec<Patient>> {
    db.query_map(
        &format!("SELECT {COLUMNS} FROM patients p ORDER BY p.family_name, p.given_name, p.id"),
        &[],
        patient_from,
    )
}

pub(super) fn load_patient(db: &Db, id: Uuid) -> Result<Patient> {
    db.query_map(&format!("SELECT {COLUMNS} FROM patients p WHERE p.id = ?1"), &[&id], patient_from)?
        .pop()
        .ok_or_else(|| super::not_found("patient", id))
}
