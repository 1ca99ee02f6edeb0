//! The store on an in-memory database: default content, patients, booking, change events,
//! the audit log. The store's test modules build their clinic with `store()`: on the desk's
//! file, or, run again with `CLINIC_JOURNEY_TEST_ENGINE=server` (as `make test` does), on the
//! clinic server — the same tests against both engines.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};

use super::{Actor, Store};
use crate::domain::appointment::BookingRequest;
use crate::domain::journey::Phase;
use crate::domain::patient::{Patient, PatientInput};
use crate::domain::resources::{Provider, ProviderInput, Room, RoomInput};
use crate::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
use crate::error::{Error, Refusal};

/// Tuesday 24 November 2026, 10:00 in Riga.
pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap()
}

pub(super) fn store() -> Store {
    on_test_engine(file_store(), now)
}

/// The demo clinic of `options`, on the engine the tests run on (loaded on a file, then moved).
pub(super) fn demo_store(options: &crate::demo::DemoOptions) -> Store {
    let file = file_store();
    crate::demo::load_demo(&file, options).unwrap();
    on_test_engine(file, now)
}

/// A new clinic on the desk's file, whatever engine the tests run on (for what only a file
/// has: its triggers, its pragmas, its backups).
pub(super) fn file_store() -> Store {
    let store = Store::open_in_memory().unwrap().with_clock(now);
    let mut settings = store.get_settings().unwrap();
    settings.time_zone = "Europe/Riga".into();
    store.save_settings(Actor::User, &settings).unwrap();
    store
}

/// Whether the store tests run on the clinic server (`CLINIC_JOURNEY_TEST_ENGINE=server`).
pub(super) fn on_server() -> bool {
    std::env::var("CLINIC_JOURNEY_TEST_ENGINE").is_ok_and(|engine| engine == "server")
}

/// `file`'s clinic on the engine the tests run on: as it is, or moved onto a new database of
/// the test cluster and opened there as a desk, on `clock`.
pub(super) fn on_test_engine(file: Store, clock: fn() -> DateTime<Utc>) -> Store {
    if !on_server() {
        return file;
    }
    let address = crate::server::throwaway::cluster().new_database();
    file.move_to_server(Actor::CommandLine, &address).unwrap();
    Store::open_server(&address, "reception").unwrap().with_clock(clock)
}

pub(super) fn patient(store: &Store, given: &str, family: &str, phone: &str) -> Patient {
    let input = PatientInput {
        given_name: given.into(),
        family_name: family.into(),
        phone: phone.into(),
        consent_reminders: true,
        ..Default::default()
    };
    store.create_patient(Actor::User, &input).unwrap()
}

pub(super) fn count(store: &Store, table: &str) -> i64 {
    store.read_db(|db| db.query_one(&format!("SELECT count(*) FROM {table}"), &[])?.get(0)).unwrap()
}

/// The rows `sql` returns, read as a screen reads (on either engine).
pub(super) fn rows_of(store: &Store, sql: &str, params: &[&dyn crate::db::ToValue]) -> Vec<crate::db::DbRow> {
    store.read_db(|db| db.query(sql, params)).unwrap()
}

/// Runs `sql` on the file's connection, outside the store's writes.
fn execute_raw(store: &Store, sql: &str) -> rusqlite::Result<usize> {
    store.read(|c| Ok(c.execute(sql, []))).unwrap()
}

/// Changes rows as another program would (a script of the clinic's own): no store write
/// plans or announces it.
pub(super) fn script(store: &Store, sql: &str, params: &[&dyn crate::db::ToValue]) {
    store.write_as(Actor::System, super::Acting::App, |w| w.db().execute(sql, params)).unwrap();
}

#[test]
fn a_new_database_has_three_full_templates_and_their_services() {
    let store = store();
    let templates = store.list_current_templates().unwrap();
    assert_eq!(templates.len(), 3);
    for t in &templates {
        assert_eq!(t.version, 1);
        assert!(t.stages.len() >= 8, "{} has {} stages", t.name, t.stages.len());
        for phase in [Phase::PreVisit, Phase::Visit, Phase::PostVisit] {
            assert!(t.stages.iter().any(|s| s.phase == phase));
        }
        assert!(t.stages.iter().all(|s| s.cells.len() == 5));
    }
    let services = store.list_service_types().unwrap();
    assert_eq!(services.len(), 3);
    assert!(services.iter().all(|s| templates.iter().any(|t| t.family_key == s.template_family_key)));
    assert!(store.is_empty_clinic().unwrap());
}

#[test]
fn patients_are_found_by_any_word_of_name_phone_or_email_in_any_case() {
    let store = store();
    patient(&store, "Анна", "Петрова", "+371 2612 3456");
    patient(&store, "Anna", "Smith", "+44 7700 900123");
    patient(&store, "Ivan", "Petrov", "029 123 4567");
    let names = |q: &str| -> Vec<String> {
        store.list_patients(q, 50).unwrap().items.into_iter().map(|i| i.patient.family_name).collect()
    };
    assert_eq!(names("петрова"), ["Петрова"]);
    assert_eq!(names("anna"), ["Smith"]);
    assert_eq!(names("2612 3456"), ["Петрова"]);
    assert_eq!(names("+44 7700"), ["Smith"]);
    assert_eq!(names("ivan 029"), ["Petrov"]);
    assert_eq!(names("50%_"), Vec::<String>::new());
    let page = store.list_patients("", 2).unwrap();
    assert_eq!((page.items.len(), page.total), (2, 3));
}

#[test]
fn search_keeps_hyphens_apostrophes_and_dots_and_ignores_diacritics() {
    let store = store();
    patient(&store, "Mary", "Smith-Jones", "+44 7700 900001");
    patient(&store, "Seán", "O’Brien", "+353 85 000 0001");
    patient(&store, "Ilze", "Bērziņa", "+371 2000 0003");
    patient(&store, "Jānis", "Zariņš", "+371 2000 0004");
    let with_email = PatientInput {
        given_name: "Anna".into(),
        family_name: "Kalniņa".into(),
        phone: "+371 2000 0005".into(),
        email: "anna.k@example.lv".into(),
        ..Default::default()
    };
    store.create_patient(Actor::User, &with_email).unwrap();
    let names = |q: &str| -> Vec<String> {
        store.list_patients(q, 50).unwrap().items.into_iter().map(|i| i.patient.family_name).collect()
    };
    assert_eq!(names("Smith-Jones"), ["Smith-Jones"]);
    assert_eq!(names("smithjones"), ["Smith-Jones"]);
    assert_eq!(names("o'brien"), ["O’Brien"]);
    assert_eq!(names("obrien"), ["O’Brien"]);
    assert_eq!(names("sean"), ["O’Brien"]);
    assert_eq!(names("anna.k@"), ["Kalniņa"]);
    assert_eq!(names("berzina"), ["Bērziņa"]);
    assert_eq!(names("zarins"), ["Zariņš"]);
    assert_eq!(names("ZARIŅŠ"), ["Zariņš"]);
    assert_eq!(names("janis zarins"), ["Zariņš"]);
    assert_eq!(names("2000-0003"), ["Bērziņa"]);
    assert_eq!(names("smith-brown"), Vec::<String>::new());
}

#[test]
fn notes_emails_and_names_longer_than_their_limits_are_refused_with_the_limit() {
    use crate::domain::limits;
    let store = store();
    let base = PatientInput {
        given_name: "Anna".into(),
        family_name: "Petrova".into(),
        phone: "+371 2000 0001".into(),
        ..Default::default()
    };
    let cases = [
        (PatientInput { notes: "x".repeat(limits::NOTE + 1), ..base.clone() }, "notes", limits::NOTE),
        (PatientInput { family_name: "Ā".repeat(limits::NAME + 1), ..base.clone() }, "family_name", limits::NAME),
        (
            PatientInput { email: format!("{}@example.lv", "a".repeat(limits::EMAIL)), ..base.clone() },
            "email",
            limits::EMAIL,
        ),
    ];
    for (input, field, max) in cases {
        let err = store.create_patient(Actor::User, &input).unwrap_err().body();
        match (err.field.as_deref(), err.refusal.as_deref()) {
            (Some(f), Some(Refusal::TooLong { max: m, .. })) if f == field => assert_eq!(*m as usize, max),
            other => panic!("{other:?}: {}", err.message),
        }
    }
    for email in ["anna\t@example.lv", "anna@exa\nmple.lv", "anna@example.lv\u{7}"] {
        let err = store
            .create_patient(Actor::User, &PatientInput { email: email.into(), ..base.clone() })
            .unwrap_err()
            .body();
        assert_eq!(err.refusal.as_deref(), Some(&Refusal::EmailControl), "{email:?}");
    }
    assert!(store.create_patient(Actor::User, &PatientInput { notes: "x".repeat(limits::NOTE), ..base }).is_ok());
    assert_eq!(count(&store, "patients"), 1);
}

#[test]
fn an_invalid_patient_is_refused_and_nothing_is_written() {
    let store = store();
    let before = count(&store, "patients");
    let input = PatientInput {
        given_name: "Anna".into(),
        family_name: "Petrova".into(),
        phone: "12ab".into(),
        ..Default::default()
    };
    let err = store.create_patient(Actor::User, &input).unwrap_err();
    assert!(matches!(&err, Error::Refused { field, .. } if field == "phone"), "{err:?}");
    assert_eq!(count(&store, "patients"), before);
}

#[test]
fn editing_a_patient_keeps_its_id_and_is_audited() {
    let store = store();
    let p = patient(&store, "Anna", "Petrova", "+371 2612 3456");
    let input = PatientInput {
        given_name: "Anna".into(),
        family_name: "Petrova-Ozola".into(),
        phone: "+371 2612 3456".into(),
        email: "anna@example.lv".into(),
        ..Default::default()
    };
    let updated = store.update_patient(Actor::User, p.id, &input).unwrap();
    assert_eq!(updated.id, p.id);
    assert_eq!(store.get_patient(p.id).unwrap().family_name, "Petrova-Ozola");
    assert_eq!(store.list_patients("ozola", 10).unwrap().total, 1);
    assert_eq!(count(&store, "audit_log WHERE entity = 'patients'"), 2);
}

pub(super) fn room(store: &Store, name: &str) -> Room {
    store.create_room(Actor::User, &RoomInput { name: name.into(), active: true, availability: vec![] }).unwrap()
}

pub(super) fn provider(store: &Store, name: &str, home_room: Option<uuid::Uuid>) -> Provider {
    let input = ProviderInput {
        name: name.into(),
        specialty: "GP".into(),
        home_room_id: home_room,
        active: true,
        availability: vec![],
    };
    store.create_provider(Actor::User, &input).unwrap()
}

pub(super) fn booking_setup(store: &Store) -> (BookingRequest, uuid::Uuid) {
    let room = room(store, "Room 1");
    let provider = provider(store, "Dr Ivanova", Some(room.id));
    let anna = patient(store, "Anna", "Petrova", "+371 2612 3456");
    let service = store.list_service_types().unwrap().into_iter().find(|s| s.duration_minutes == 40).unwrap();
    let request = BookingRequest {
        patient_id: anna.id,
        service_type_id: service.id,
        provider_id: provider.id,
        room_id: room.id,
        date: "2026-12-01".parse().unwrap(),
        start_time: "10:00".into(),
        notes: String::new(),
    };
    (request, provider.id)
}

#[test]
fn booking_starts_the_journey_and_a_clash_is_refused_without_writing() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let booked = store.book_appointment(Actor::User, &request).unwrap();
    assert_eq!((booked.ends_at - booked.starts_at).num_minutes(), 40);
    assert_eq!(booked.starts_at.to_rfc3339(), "2026-12-01T08:00:00+00:00");
    assert_eq!(count(&store, "patient_journeys"), 1);
    assert_eq!(count(&store, "stage_events WHERE kind = 'completed'"), 1);

    let ivan = patient(&store, "Ivan", "Sidorov", "+371 2000 0000");
    let clash = BookingRequest { patient_id: ivan.id, start_time: "10:30".into(), ..request.clone() };
    let err = store.book_appointment(Actor::User, &clash).unwrap_err();
    assert_eq!(err.kind(), "slot_taken");
    assert_eq!(err.to_string(), "Dr Ivanova already has Anna Petrova 10:00–10:40");
    assert_eq!(count(&store, "appointments"), 1);
    assert_eq!(count(&store, "patient_journeys"), 1);

    let later = BookingRequest { patient_id: ivan.id, start_time: "10:40".into(), ..request };
    store.book_appointment(Actor::User, &later).unwrap();
    let query = ScheduleQuery {
        date: "2026-12-01".parse().unwrap(),
        span: ScheduleSpan::Day,
        by: ScheduleBy::Provider,
        resource_id: None,
    };
    let day = store.schedule_view(&query).unwrap();
    let cards: Vec<(u16, u16, &str)> =
        day.entries.iter().map(|e| (e.start_minute, e.end_minute, e.patient_name.as_str())).collect();
    assert_eq!(cards, [(600, 640, "Anna Petrova"), (640, 680, "Ivan Sidorov")]);
}

#[test]
fn bookings_outside_hours_or_for_unknown_rows_are_refused() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let late = BookingRequest { start_time: "17:40".into(), ..request.clone() };
    assert_eq!(store.book_appointment(Actor::User, &late).unwrap_err().kind(), "outside_hours");
    let nobody = BookingRequest { patient_id: uuid::Uuid::nil(), ..request };
    assert_eq!(store.book_appointment(Actor::User, &nobody).unwrap_err().kind(), "not_found");
    assert_eq!(count(&store, "appointments"), 0);
}

#[test]
fn every_committed_write_announces_one_change() {
    let store = store();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    store.on_change(move |change| sink.lock().unwrap().push(change.clone()));
    let (request, _) = booking_setup(&store);
    store.book_appointment(Actor::User, &request).unwrap();
    let _ = store.book_appointment(Actor::User, &request); // refused: no announcement
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4); // room, provider, patient, booking
    use super::{ChangeSource, Entity};
    assert_eq!(seen[3].entities, [Entity::Appointments, Entity::PatientJourneys, Entity::StageEvents, Entity::Tasks]);
    assert_eq!(seen[3].source, ChangeSource::User);
    let json = serde_json::to_value(&seen[3]).unwrap();
    assert_eq!(json["entities"][1], "patient_journeys", "entities cross to the window by their table names");
    for entity in Entity::ALL {
        assert_eq!(
            serde_json::to_value(entity).unwrap(),
            entity.as_str(),
            "the audit log and the window name {entity:?} alike"
        );
        // A table of that name (a missing one fails the read).
        assert!(count(&store, entity.as_str()) >= 0, "{entity:?} is a table");
    }
}

#[test]
fn another_connection_committing_moves_the_data_version_and_the_store_own_writes_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    let store = Store::open(&path).unwrap();
    let before = store.data_version().unwrap();
    store.save_settings(Actor::User, &store.get_settings().unwrap()).unwrap();
    assert_eq!(store.data_version().unwrap(), before, "its own write");
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute("UPDATE clinic_settings SET name = 'Renamed by a script'", []).unwrap();
    assert_ne!(store.data_version().unwrap(), before, "another process's write");
}

#[test]
fn the_audit_log_cannot_be_rewritten() {
    // The file's triggers (the server's are tested in `server::tests`).
    let store = file_store();
    patient(&store, "Anna", "Petrova", "+371 2612 3456");
    let err = execute_raw(&store, "UPDATE audit_log SET actor = 'someone else'").unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = execute_raw(&store, "DELETE FROM audit_log").unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn a_new_content_language_relabels_the_default_journeys_but_not_the_clinics_own_words() {
    let store = store();
    let first = store.list_service_types().unwrap().into_iter().find(|s| s.name == "First consultation").unwrap();
    let follow_up = store.list_service_types().unwrap().into_iter().find(|s| s.name == "Follow-up visit").unwrap();
    let own_words = crate::domain::journey::ServiceInput {
        name: "Check-up".into(),
        duration_minutes: follow_up.duration_minutes,
        color: follow_up.color.clone(),
        template_family_key: follow_up.template_family_key.clone(),
        active: true,
    };
    store.update_service(Actor::User, follow_up.id, &own_words).unwrap();
    // The clinic edited the procedure journey: that version is in its own words.
    let procedure =
        store.list_service_types().unwrap().into_iter().find(|s| s.template_family_key == "procedure_post_op").unwrap();
    let b = store.blueprint(procedure.id).unwrap();
    let draft = crate::domain::template_edit::TemplateDraft {
        based_on: b.template.id,
        name: "Minor surgery".into(),
        description: b.template.description,
        stages: b.template.stages,
        rules: b.rules,
    };
    store.save_template_version(Actor::User, &draft).unwrap();

    let mut settings = store.get_settings().unwrap();
    settings.default_language = "uk".into();
    store.save_settings(Actor::User, &settings).unwrap();

    let templates = store.list_current_templates().unwrap();
    let journey = templates.iter().find(|t| t.family_key == "first_consultation").unwrap();
    assert_eq!(journey.name, "Первинна консультація");
    assert_eq!(journey.stages[0].name, "Запис на прийом");
    assert!(journey.stages.iter().flat_map(|s| &s.cells).all(|c| !c.text.contains("the ")), "{journey:?}");
    let rules = store.template_rules(journey.id).unwrap();
    assert!(rules.iter().any(|r| r.name == "Дзвінок для підтвердження запису"), "{rules:?}");
    let services = store.list_service_types().unwrap();
    assert_eq!(services.iter().find(|s| s.id == first.id).unwrap().name, "Первинна консультація");
    assert_eq!(services.iter().find(|s| s.id == follow_up.id).unwrap().name, "Check-up", "the clinic's own name stays");
    let edited = templates.iter().find(|t| t.family_key == "procedure_post_op").unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.stages[0].name.as_str()),
        ("Minor surgery", "Booking"),
        "an edited journey stays"
    );

    settings.default_language = "en".into();
    store.save_settings(Actor::User, &settings).unwrap();
    let journey = store.get_template(journey.id).unwrap();
    assert_eq!((journey.name.as_str(), journey.stages[0].name.as_str()), ("First consultation", "Booking"));

    // Latvian has no default journeys of its own: they stay English.
    settings.default_language = "lv".into();
    store.save_settings(Actor::User, &settings).unwrap();
    assert_eq!(store.get_template(journey.id).unwrap().name, "First consultation");
}

#[test]
fn the_patients_list_pages_through_everyone_in_the_clinic_languages_order() {
    let store = store();
    let mut settings = store.get_settings().unwrap();
    settings.default_language = "uk".into();
    store.save_settings(Actor::User, &settings).unwrap();
    for (i, family) in ["Іванова", "Гнатюк", "Єрмак", "Ґудзь", "Дяченко"].into_iter().enumerate()
    {
        patient(&store, "Олена", family, &format!("+380 67 000 00{i:02}"));
    }
    let pages: Vec<_> = [0, 2, 4].into_iter().map(|offset| store.patients_page("", offset, 2).unwrap()).collect();
    assert!(pages.iter().all(|p| p.total == 5));
    assert_eq!(pages.iter().map(|p| p.offset).collect::<Vec<_>>(), [0, 2, 4]);
    let families: Vec<String> = pages.iter().flat_map(|p| &p.items).map(|i| i.patient.family_name.clone()).collect();
    assert_eq!(families, ["Гнатюк", "Ґудзь", "Дяченко", "Єрмак", "Іванова"], "Ukrainian order, not code points");
    assert!(store.patients_page("", 5, 2).unwrap().items.is_empty(), "past the end");
    assert_eq!(store.patients_page("єрмак", 0, 10).unwrap().items[0].patient.family_name, "Єрмак");
}

#[test]
fn a_name_in_chinese_script_reads_family_name_first_on_every_list() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let zhang = patient(&store, "伟", "张", "+86 138 0000 0000");
    let visit =
        store.book_appointment(Actor::User, &BookingRequest { patient_id: zhang.id, ..request.clone() }).unwrap();
    let day = store
        .schedule_view(&ScheduleQuery {
            date: request.date,
            span: ScheduleSpan::Day,
            by: ScheduleBy::Provider,
            resource_id: None,
        })
        .unwrap();
    let entry = day.entries.iter().find(|e| e.appointment_id == visit.id).unwrap();
    assert_eq!(entry.patient_name, "张伟");
    let list = store
        .call_list(&crate::domain::tasks::CallListQuery {
            date: "2026-11-27".parse().unwrap(),
            kind: None,
            role: None,
            assignee_id: None,
            upcoming_days: Some(7),
        })
        .unwrap();
    assert!(list.rows.iter().any(|r| &*r.patient_name == "张伟"), "{:?}", list.rows.first());
}

#[test]
fn every_foreign_key_column_leads_an_index() {
    // Foreign keys are on: deleting a parent row looks its children up by the key column.
    // (The server's own schema is checked against the file's in `server::tests`.)
    let store = file_store();
    let missing: Vec<String> = store
        .read(|c| {
            let tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut missing = Vec::new();
            for table in tables {
                let leading: Vec<String> = c
                    .prepare("SELECT ii.name FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii WHERE ii.seqno = 0")?
                    .query_map([&table], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let keys: Vec<String> = c
                    .prepare("SELECT \"from\" FROM pragma_foreign_key_list(?1)")?
                    .query_map([&table], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                missing.extend(keys.into_iter().filter(|k| !leading.contains(k)).map(|k| format!("{table}.{k}")));
            }
            Ok(missing)
        })
        .unwrap();
    assert!(missing.is_empty(), "foreign-key columns without an index: {missing:?}");
}
