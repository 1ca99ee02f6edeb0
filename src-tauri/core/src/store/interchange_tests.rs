//! Exports and imports through the store: what goes out comes back the same into an empty
//! clinic; a file with bad rows writes nothing and reports each; duplicates are settled as
//! chosen; mappings are remembered; a cancelled import leaves nothing behind.

use std::collections::BTreeMap;

use super::tests::{count, patient, store};
use super::{Actor, ExportRequest, ExportScope, ImportFormat, ImportRequest, RecordsFormat, Store};
use crate::demo::{load_demo, DemoOptions};
use crate::domain::journey::ServiceInput;
use crate::domain::resources::{ProviderInput, RoomInput};
use crate::error::Refusal;
use crate::interchange::ics::PatientDetail;
use crate::interchange::import::{DuplicateChoice, DuplicateReason, ImportKind, ImportReport};

fn demo() -> Store {
    super::tests::demo_store(&DemoOptions { patients: 30, days: 5, seed: 4 })
}

/// A clinic with `source`'s settings, rooms, providers and services, and nobody in it.
fn empty_like(source: &Store) -> Store {
    let target = store();
    target.save_settings(Actor::User, &source.get_settings().unwrap()).unwrap();
    let mut rooms = BTreeMap::new();
    for room in source.list_rooms().unwrap() {
        let input = RoomInput { name: room.name.clone(), active: room.active, availability: vec![] };
        rooms.insert(room.id, target.create_room(Actor::User, &input).unwrap().id);
    }
    for p in source.list_providers().unwrap() {
        let input = ProviderInput {
            name: p.name,
            specialty: p.specialty,
            home_room_id: p.home_room_id.map(|r| rooms[&r]),
            active: p.active,
            availability: vec![],
        };
        target.create_provider(Actor::User, &input).unwrap();
    }
    let seeded: Vec<String> = target.list_service_types().unwrap().into_iter().map(|s| s.name).collect();
    for s in source.list_service_types().unwrap().into_iter().filter(|s| !seeded.contains(&s.name)) {
        let input = ServiceInput {
            name: s.name,
            duration_minutes: s.duration_minutes,
            color: s.color,
            template_family_key: s.template_family_key,
            active: s.active,
        };
        target.create_service(Actor::User, &input).unwrap();
    }
    target
}

fn export(store: &Store, format: RecordsFormat) -> Vec<u8> {
    let request = ExportRequest { format, scope: ExportScope::Clinic, detail: PatientDetail::Full, alarms: false };
    store.export(Actor::User, &request).unwrap().bytes
}

fn request(format: ImportFormat, kind: ImportKind) -> ImportRequest {
    ImportRequest {
        format,
        kind,
        mapping: None,
        on_duplicate: DuplicateChoice::Merge,
        choices: BTreeMap::new(),
        dry_run: false,
    }
}

fn import(store: &Store, request: &ImportRequest, bytes: &[u8]) -> ImportReport {
    store.import(Actor::User, request, bytes, &|_, _| true).unwrap()
}

/// Every patient's fields and every visit as other systems see it, by id.
fn contents(store: &Store) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let rows = |sql: &str| -> Vec<Vec<String>> {
        super::tests::rows_of(store, sql, &[])
            .iter()
            .map(|row| row.values().iter().map(|v| format!("{v:?}")).collect())
            .collect()
    };
    (
        rows(
            "SELECT id, given_name, family_name, birth_date, phone, phone_alt, email, preferred_channel,
                preferred_language, consent_reminders, do_not_contact FROM patients ORDER BY id",
        ),
        rows(
            "SELECT a.id, a.patient_id, v.name, r.name, s.name, a.starts_at, a.ends_at, a.status, a.notes
              FROM appointments a JOIN providers v ON v.id = a.provider_id JOIN rooms r ON r.id = a.room_id
              JOIN service_types s ON s.id = a.service_type_id ORDER BY a.id",
        ),
    )
}

#[test]
fn a_csv_export_imported_into_an_empty_clinic_brings_back_the_same_patients_and_visits() {
    let source = demo();
    let target = empty_like(&source);
    let patients = import(
        &target,
        &request(ImportFormat::Csv, ImportKind::Patients),
        &export(&source, RecordsFormat::CsvPatients),
    );
    assert!(patients.applied && patients.problems.is_empty(), "{:?}", patients.problems);
    let visits = import(
        &target,
        &request(ImportFormat::Csv, ImportKind::Appointments),
        &export(&source, RecordsFormat::CsvAppointments),
    );
    assert!(visits.applied && visits.problems.is_empty(), "{:?}", &visits.problems[..visits.problems.len().min(5)]);
    assert_eq!(visits.appointments_added as i64, count(&source, "appointments"));
    let sample = &visits.sample[0].values;
    assert_eq!(
        sample.iter().map(|(field, _)| field.as_str()).collect::<Vec<_>>(),
        ["start", "patient", "provider", "service", "status"]
    );
    assert_eq!(contents(&target), contents(&source));
    // Each imported visit has its journey, and the visits still to come have their tasks.
    assert_eq!(count(&target, "patient_journeys"), count(&source, "appointments"));
    assert!(count(&target, "tasks WHERE status = 'open'") > 0);
}

#[test]
fn a_fhir_export_imported_into_an_empty_clinic_brings_back_the_same_patients_and_visits() {
    let source = demo();
    for format in [RecordsFormat::FhirNdjson, RecordsFormat::FhirBundle] {
        let target = empty_like(&source);
        let report = import(&target, &request(ImportFormat::Fhir, ImportKind::Patients), &export(&source, format));
        assert!(report.applied && report.problems.is_empty(), "{format:?}: {:?}", report.problems);
        assert!(
            report.ignored.contains_key("Task") && report.ignored.contains_key("Practitioner"),
            "{:?}",
            report.ignored
        );
        assert_eq!(contents(&target), contents(&source), "{format:?}");
    }
}

#[test]
fn importing_the_same_file_again_adds_nothing() {
    let source = demo();
    let file = export(&source, RecordsFormat::FhirNdjson);
    let target = empty_like(&source);
    import(&target, &request(ImportFormat::Fhir, ImportKind::Patients), &file);
    let before = contents(&target);
    let again = import(&target, &request(ImportFormat::Fhir, ImportKind::Patients), &file);
    assert_eq!(again.patients_added, 0);
    assert_eq!(again.appointments_unchanged as i64, count(&source, "appointments"));
    assert!(again.duplicates.iter().all(|d| d.reason == DuplicateReason::SameRecord));
    assert_eq!(contents(&target), before);
}

#[test]
fn a_file_with_bad_rows_writes_nothing_and_reports_each_row() {
    let store = store();
    let before = (count(&store, "patients"), count(&store, "audit_log"));
    let file = "Vārds;Uzvārds;Dzimšanas datums;Tālrunis;consent\n\
                Anna;Ozola;1980-02-03;+371 2000 0001;yes\n\
                Jānis;Bērziņš;31.02.1975;+371 2000 0002;yes\n\
                Ilze;;1990-01-01;+371 2000 0003;no\n\
                Pēteris;Liepa;1970-05-05;;yes\n\
                Marta;Kalna;1999-09-09;+371 2000 0005;maybe\n";
    // As a spreadsheet program writes it too (CRLF): the lines are the same.
    for file in [file.to_string(), file.replace('\n', "\r\n")] {
        let report = import(&store, &request(ImportFormat::Csv, ImportKind::Patients), file.as_bytes());
        assert!(!report.applied);
        let problems: Vec<(u32, &str, &str, &str)> =
            report.problems.iter().map(|p| (p.line, p.column.as_str(), p.value.as_str(), p.reason.reason())).collect();
        assert_eq!(
            problems,
            [
                (3, "Dzimšanas datums", "31.02.1975", "bad_date"),
                (4, "Uzvārds", "", "required"),
                (5, "Tālrunis", "", "required"),
                (6, "consent", "maybe", "not_yes_or_no"),
            ]
        );
    }
    assert_eq!((count(&store, "patients"), count(&store, "audit_log")), before, "nothing written");
}

#[test]
fn duplicates_are_found_by_name_and_birth_date_or_phone_and_settled_as_chosen() {
    let store = store();
    let anna = patient(&store, "Anna", "Ozola", "+371 2000 0001");
    store
        .update_patient(
            Actor::User,
            anna.id,
            &crate::domain::patient::PatientInput {
                given_name: "Anna".into(),
                family_name: "Ozola".into(),
                birth_date: "1980-02-03".into(),
                phone: "+371 2000 0001".into(),
                consent_reminders: true,
                ..Default::default()
            },
        )
        .unwrap();
    let file = "given_name,family_name,birth_date,phone,email\n\
                anna,OZOLA,1980-02-03,+371 2999 9999,anna@example.lv\n\
                Roberts,Ozols,2015-06-01,+371 2000 0001,\n";
    let report = import(&store, &request(ImportFormat::Csv, ImportKind::Patients), file.as_bytes());
    let found: Vec<(u32, DuplicateReason, DuplicateChoice)> =
        report.duplicates.iter().map(|d| (d.line, d.reason, d.choice)).collect();
    // The same person is merged; a child sharing the parent's phone is kept as their own record.
    assert_eq!(
        found,
        [
            (2, DuplicateReason::NameAndBirthDate, DuplicateChoice::Merge),
            (3, DuplicateReason::Phone, DuplicateChoice::KeepBoth)
        ]
    );
    assert_eq!((report.patients_merged, report.patients_added), (1, 1));
    let merged = store.get_patient(anna.id).unwrap();
    assert_eq!((merged.phone.as_str(), merged.email.as_deref()), ("+371 2999 9999", Some("anna@example.lv")));
    assert_eq!(count(&store, "patients"), 2);

    // The user may choose otherwise for a line: skip leaves the record as it is.
    let mut skip = request(ImportFormat::Csv, ImportKind::Patients);
    skip.choices.insert(2, DuplicateChoice::Skip);
    let report = import(
        &store,
        &skip,
        "given_name,family_name,birth_date,phone\nAnna,Ozola,1980-02-03,+371 2111 1111\n".as_bytes(),
    );
    assert_eq!(report.patients_skipped, 1);
    assert_eq!(store.get_patient(anna.id).unwrap().phone, "+371 2999 9999");
}

#[test]
fn the_mapping_is_guessed_from_the_header_and_remembered_for_the_next_file_from_that_source() {
    let store = store();
    let file = "Nom;Prénom;Portable\nOzola;Anna;+371 2000 0001\n";
    let proposal = store.import_mapping(Actor::User, ImportKind::Patients, file.as_bytes()).unwrap();
    assert!(!proposal.remembered);
    assert_eq!(proposal.columns, ["Nom", "Prénom", "Portable"]);
    assert!(proposal.mapping.is_empty(), "nothing to guess from: {:?}", proposal.mapping);
    let mut mapped = request(ImportFormat::Csv, ImportKind::Patients);
    mapped.mapping = Some(
        [("family_name", "Nom"), ("given_name", "Prénom"), ("phone", "Portable")]
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect(),
    );
    mapped.dry_run = true;
    let preview = import(&store, &mapped, file.as_bytes());
    assert_eq!((preview.patients_added, preview.applied), (1, false));
    assert_eq!(count(&store, "patients"), 0, "a dry run writes nothing");
    mapped.dry_run = false;
    assert!(import(&store, &mapped, file.as_bytes()).applied);
    let next = store
        .import_mapping(
            Actor::User,
            ImportKind::Patients,
            "Nom;Prénom;Portable\nLiepa;Jānis;+371 2000 0002\n".as_bytes(),
        )
        .unwrap();
    assert!(next.remembered);
    assert_eq!(next.mapping, mapped.mapping.unwrap());
}

#[test]
fn encodings_and_separators_are_detected() {
    let store = store();
    let text = "given_name\tfamily_name\tphone\r\nОлександр\tШевченко\t+380 44 000 0001\r\nМарія\tКоваленко\t+380 44 000 0002\r\n";
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let proposal = store.import_mapping(Actor::User, ImportKind::Patients, &utf16).unwrap();
    assert_eq!((proposal.encoding.as_str(), proposal.rows), ("UTF-16LE", 2));
    assert_eq!(proposal.first_rows[0][1], "Шевченко");
    let semicolons = text.replace('\t', ";");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&semicolons);
    let report = import(&store, &request(ImportFormat::Csv, ImportKind::Patients), &cp1251);
    assert!(report.applied, "{:?}", report.problems);
    assert_eq!(store.list_patients("Коваленко", 5).unwrap().total, 1);
}

#[test]
fn visits_that_overlap_in_the_file_or_in_the_clinic_or_name_what_the_clinic_lacks_are_refused() {
    let source = demo();
    let mut lines: Vec<String> = String::from_utf8(export(&source, RecordsFormat::CsvAppointments))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    // Each export row without its id (so each is new), plus a copy of the first, and one
    // naming a provider the clinic has not.
    let header = lines.remove(0);
    let strip_id = |line: &str| format!(",{}", line.split_once(',').unwrap().1);
    let first = lines.iter().find(|l| l.contains(",booked,")).unwrap().clone();
    let unknown = strip_id(&first).replace(&first.split(',').nth(5).unwrap().to_string(), "Dr Nobody");
    let file = [header, strip_id(&first), strip_id(&first), unknown].join("\n");
    let report = import(&source, &request(ImportFormat::Csv, ImportKind::Appointments), file.as_bytes());
    let reasons: Vec<(u32, &str)> = report.problems.iter().map(|p| (p.line, p.reason.reason())).collect();
    assert_eq!(
        reasons,
        [(2, "overlaps_visit"), (3, "overlaps_visit"), (4, "unknown_provider")],
        "{:?}",
        report.problems
    );
    assert!(!report.applied);
}

#[test]
fn a_cancelled_import_leaves_nothing_behind() {
    let store = store();
    let rows: String = (0..600).map(|i| format!("Name{},Family,+371 2{:07}\n", "x".repeat(i % 3), i)).collect();
    let file = format!("given_name,family_name,phone\n{rows}");
    let err = store
        .import(Actor::User, &request(ImportFormat::Csv, ImportKind::Patients), file.as_bytes(), &|done, _| done < 500)
        .unwrap_err();
    assert_eq!(err.refusal(), Some(&Refusal::ImportCancelled));
    assert_eq!(count(&store, "patients"), 0);
    assert_eq!(count(&store, "audit_log WHERE entity = 'patients'"), 0);
}

#[test]
fn an_import_is_done_as_the_staff_member_signed_in_and_audited_row_by_row() {
    let store = store();
    let admin = store
        .create_staff(
            Actor::User,
            &crate::domain::resources::StaffInput {
                name: "Inga Admin".into(),
                role: crate::domain::resources::Role::Admin,
                active: true,
            },
        )
        .unwrap();
    store.set_staff_pin(Actor::User, admin.id, Some("2468")).unwrap();
    store.sign_in(admin.id, "2468").unwrap();
    let file = "given_name,family_name,phone\nAnna,Ozola,+371 2000 0001\nJānis,Liepa,+371 2000 0002\n";
    assert!(import(&store, &request(ImportFormat::Csv, ImportKind::Patients), file.as_bytes()).applied);
    let audited = count(
        &store,
        "audit_log WHERE entity = 'patients' AND action = 'create' AND actor = 'import' AND staff_name = 'Inga Admin'",
    );
    assert_eq!(audited, 2);
}

#[test]
fn a_calendar_event_keeps_its_uid_and_raises_its_sequence_on_each_change() {
    let store = demo();
    let visit: uuid::Uuid = super::tests::rows_of(
        &store,
        "SELECT id FROM appointments WHERE status = 'booked' ORDER BY starts_at DESC LIMIT 1",
        &[],
    )[0]
    .get(0)
    .unwrap();
    let event_of = |text: &str| -> String {
        let unfolded = text.replace("\r\n ", "");
        unfolded.split("BEGIN:VEVENT").find(|event| event.contains(&format!("UID:{visit}@"))).unwrap().to_string()
    };
    let request = ExportRequest {
        format: RecordsFormat::Ics,
        scope: ExportScope::Clinic,
        detail: PatientDetail::Initials,
        alarms: true,
    };
    let first = event_of(&String::from_utf8(store.export(Actor::User, &request).unwrap().bytes).unwrap());
    assert!(first.contains("SEQUENCE:0\r\n") && first.contains("STATUS:CONFIRMED"), "{first}");
    store.cancel_appointment(Actor::User, visit, "Patient is ill").unwrap();
    let second = event_of(&String::from_utf8(store.export(Actor::User, &request).unwrap().bytes).unwrap());
    assert!(second.contains("SEQUENCE:1\r\n") && second.contains("STATUS:CANCELLED"), "{second}");
    assert!(!second.contains("VALARM"), "a cancelled visit rings no alarm");
}

#[test]
fn a_kept_calendar_file_is_rewritten_after_a_change() {
    // Kept by a desk of its own file (not on the clinic server yet).
    let store = super::tests::file_store();
    load_demo(&store, &DemoOptions { patients: 30, days: 5, seed: 4 }).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let provider = store.list_providers().unwrap()[0].id;
    let feed = store
        .add_calendar_feed(Actor::User, folder.path(), ExportScope::Provider(provider), PatientDetail::None, false)
        .unwrap();
    let text = std::fs::read_to_string(&feed.file).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.contains("BEGIN:VEVENT"));
    let visit: uuid::Uuid = super::tests::rows_of(
        &store,
        "SELECT id FROM appointments WHERE status = 'booked' AND provider_id = ?1 LIMIT 1",
        &[&provider],
    )[0]
    .get(0)
    .unwrap();
    store.cancel_appointment(Actor::User, visit, "Clinic closed").unwrap();
    assert_eq!(store.refresh_calendar_feeds().unwrap(), 1);
    let after = std::fs::read_to_string(&feed.file).unwrap();
    assert!(after.matches("STATUS:CANCELLED").count() > text.matches("STATUS:CANCELLED").count());
    assert!(store
        .add_calendar_feed(
            Actor::User,
            std::path::Path::new("relative"),
            ExportScope::Clinic,
            PatientDetail::None,
            false
        )
        .is_err());
}

#[test]
fn a_synthea_style_transaction_bundle_brings_its_patients_and_leaves_other_resources_out() {
    let store = store();
    let bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:6f1c6a1e-2b1d-4c59-9d6e-0e2d6a3f1a01",
                "resource": {
                    "resourceType": "Patient",
                    "id": "6f1c6a1e-2b1d-4c59-9d6e-0e2d6a3f1a01",
                    "extension": [{ "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
                                    "extension": [{ "url": "text", "valueString": "White" }] }],
                    "name": [{ "use": "official", "family": "Kuhn", "given": ["Marcus", "Lee"], "prefix": ["Mr."] }],
                    "telecom": [{ "system": "phone", "value": "555-421-7734", "use": "home" }],
                    "gender": "male",
                    "birthDate": "1979-04-12",
                    "communication": [{ "language": { "coding": [{ "system": "urn:ietf:bcp:47", "code": "en-US" }] } }]
                },
                "request": { "method": "POST", "url": "Patient" }
            },
            {
                "fullUrl": "urn:uuid:9a0e5b7c-0000-4000-8000-000000000002",
                "resource": { "resourceType": "Encounter", "id": "9a0e5b7c-0000-4000-8000-000000000002", "status": "finished",
                              "class": { "code": "AMB" }, "subject": { "reference": "urn:uuid:6f1c6a1e-2b1d-4c59-9d6e-0e2d6a3f1a01" } },
                "request": { "method": "POST", "url": "Encounter" }
            }
        ]
    });
    let report = import(&store, &request(ImportFormat::Fhir, ImportKind::Patients), bundle.to_string().as_bytes());
    assert!(report.applied && report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.patients_added, 1);
    assert_eq!(report.ignored.get("Encounter"), Some(&1));
    let id: uuid::Uuid = "6f1c6a1e-2b1d-4c59-9d6e-0e2d6a3f1a01".parse().unwrap();
    let marcus = store.get_patient(id).unwrap();
    assert_eq!((marcus.given_name.as_str(), marcus.family_name.as_str()), ("Marcus Lee", "Kuhn"));
    assert_eq!(
        (marcus.birth_date.map(|d| d.to_string()), marcus.preferred_language.as_str()),
        (Some("1979-04-12".into()), "en")
    );
}

#[test]
fn synthea_names_with_their_numbers_are_reported_row_by_row_and_nothing_is_imported() {
    // Synthea's default output appends digits to names ("Lindsay928 Gerlach374"); a clinic's
    // names have none, so each such patient is a problem of its own (Synthea writes plain names
    // with generate.append_numbers_to_person_names = false).
    let store = store();
    let patient = |id: &str, given: &str, family: &str| {
        serde_json::json!({
            "fullUrl": format!("urn:uuid:{id}"),
            "resource": { "resourceType": "Patient", "id": id,
                          "name": [{ "use": "official", "family": family, "given": [given], "prefix": ["Mr."] }],
                          "telecom": [{ "system": "phone", "value": "555-450-5873", "use": "home" }],
                          "birthDate": "1950-10-24" },
            "request": { "method": "POST", "url": "Patient" }
        })
    };
    let bundle = serde_json::json!({ "resourceType": "Bundle", "type": "transaction", "entry": [
        patient("d5582579-7193-4866-5560-a01e723b6552", "Lindsay928", "Gerlach374"),
        patient("d5582579-7193-4866-5560-a01e723b6553", "Lindsay", "Gerlach"),
    ]});
    let report = import(&store, &request(ImportFormat::Fhir, ImportKind::Patients), bundle.to_string().as_bytes());
    assert!(!report.applied);
    let problems: Vec<(u32, &str, &str)> =
        report.problems.iter().map(|p| (p.line, p.column.as_str(), p.value.as_str())).collect();
    assert_eq!(problems, [(1, "Patient.name.given", "Lindsay928")]);
    assert_eq!(count(&store, "patients"), 0);
}

#[test]
fn a_merge_changes_only_what_the_file_gives_and_do_not_contact_stays() {
    let store = store();
    let input = crate::domain::patient::PatientInput {
        given_name: "Anna".into(),
        family_name: "Ozola".into(),
        birth_date: "1980-02-03".into(),
        phone: "+371 2000 0001".into(),
        do_not_contact: true,
        ..Default::default()
    };
    let anna = store.create_patient(Actor::User, &input).unwrap();
    let file = "given_name,family_name,birth_date,phone,consent_reminders\nAnna,Ozola,1980-02-03,+371 2000 0001,yes\n";
    let report = import(&store, &request(ImportFormat::Csv, ImportKind::Patients), file.as_bytes());
    assert_eq!(report.patients_merged, 1);
    let merged = store.get_patient(anna.id).unwrap();
    assert!(merged.do_not_contact && !merged.consent_reminders, "{merged:?}");
}

#[test]
fn malformed_rows_and_entries_are_problems_not_crashes() {
    let store = store();
    // A Bundle entry that is not an object.
    let report = import(
        &store,
        &request(ImportFormat::Fhir, ImportKind::Patients),
        br#"{"resourceType":"Bundle","type":"collection","entry":[42]}"#,
    );
    assert_eq!(report.problems.iter().map(|p| (p.line, p.reason.reason())).collect::<Vec<_>>(), [(1, "required")]);
    // An unquoted comma inside a value shifts the columns: the line is refused whole.
    let file = "given_name,family_name,phone\nAnna,Ozola, Jr.,+371 2000 0001\n";
    let report = import(&store, &request(ImportFormat::Csv, ImportKind::Patients), file.as_bytes());
    assert_eq!(report.problems.iter().map(|p| (p.line, p.reason.reason())).collect::<Vec<_>>(), [(2, "row_width")]);
    assert_eq!(count(&store, "patients"), 0);
}

#[test]
fn a_visit_changed_in_the_file_since_its_export_is_refused_and_formulas_come_back_as_text() {
    let source = demo();
    let exported = String::from_utf8(export(&source, RecordsFormat::CsvAppointments)).unwrap();
    let booked = exported.lines().find(|l| l.contains(",booked,")).unwrap();
    let header = exported.lines().next().unwrap();
    let file = format!("{header}\n{}\n", booked.replace(",booked,", ",confirmed,"));
    let report = import(&source, &request(ImportFormat::Csv, ImportKind::Appointments), file.as_bytes());
    assert_eq!(report.problems.iter().map(|p| p.reason.reason()).collect::<Vec<_>>(), ["visit_differs"]);

    let store = store();
    let mut input = crate::domain::patient::PatientInput::example("Anna", "Ozola");
    input.notes = "=HYPERLINK(\"http://x\")".into();
    store.create_patient(Actor::User, &input).unwrap();
    let csv = String::from_utf8(export(&store, RecordsFormat::CsvPatients)).unwrap();
    assert!(csv.contains("'=HYPERLINK") && csv.contains("+371 2000 0000"), "{csv}");
    let target = super::tests::store();
    import(&target, &request(ImportFormat::Csv, ImportKind::Patients), csv.as_bytes());
    let notes: String = super::tests::rows_of(&target, "SELECT notes FROM patients", &[])[0].get(0).unwrap();
    assert_eq!(notes, input.notes);
}
