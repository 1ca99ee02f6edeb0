//! The clinic's set-up, its blueprint and the service-quality half on the clinic server: each
//! change made on a desk's file and on the server gives the same answer and leaves the same
//! screens (the new rows' ids, which each engine made for itself, aside).

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::blocked_periods::BlockInput;
use super::blueprint::DrawingRequest;
use super::insights::InsightsQuery;
use super::journey_admin::{JourneySource, NewJourney};
use super::server_desk_tests::rows;
use super::standards::{AuditCheck, AuditInput};
use super::surveys::{KanoInput, SurveyInput};
use super::tests::{booking_setup, store};
use super::{Actor, Store};
use crate::demo::{load_demo, DemoOptions};
use crate::domain::blueprint_svg::{BlueprintLabels, DutyFilter};
use crate::domain::clinic::{MinuteRange, WeekdayHours, Weeks};
use crate::domain::journey::ServiceInput;
use crate::domain::resources::{ProviderInput, Role, RoomInput, StaffInput};
use crate::domain::standards::{AuditKind, StandardInput, StandardKind};
use crate::domain::survey::{KanoAnswer, ServqualAnswer, SurveyAnswers, SurveySource};
use crate::error::Refusal;
use crate::server::throwaway::cluster;

/// `value` as text with every id in it (`0190…-…` or, in a journey's key, 32 hex digits)
/// replaced by `<id>`.
fn without_ids(value: &impl std::fmt::Debug) -> String {
    let chars: Vec<char> = format!("{value:?}").chars().collect();
    let dashed = |at: &[char]| {
        at.len() >= 36
            && at[..36].iter().enumerate().all(|(i, &c)| {
                if [8, 13, 18, 23].contains(&i) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    let simple = |at: &[char]| at.len() >= 32 && at[..32].iter().all(char::is_ascii_hexdigit);
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let id = if dashed(&chars[i..]) {
            36
        } else if simple(&chars[i..]) {
            32
        } else {
            0
        };
        if id > 0 {
            out.push_str("<id>");
            i += id;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `change` done on the file and on the server: both give the same answer (ids aside).
fn alike<T: std::fmt::Debug>(desk: &Store, server: &Store, change: impl Fn(&Store) -> T) -> (T, T) {
    let (on_file, on_server) = (change(desk), change(server));
    same_text(&without_ids(&on_file), &without_ids(&on_server));
    (on_file, on_server)
}

/// The two texts are the same; else where they part, with some of what comes before.
fn same_text(on_file: &str, on_server: &str) {
    if on_file != on_server {
        let at = on_file.chars().zip(on_server.chars()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(200);
        let part = |text: &str| text.chars().skip(from).take(400).collect::<String>();
        panic!("on the file:   …{}\non the server: …{}", part(on_file), part(on_server));
    }
}

fn weekdays(opens: u16, closes: u16) -> Vec<WeekdayHours> {
    (1..=5)
        .map(|weekday| WeekdayHours { weekday, span: MinuteRange { start: opens, end: closes }, weeks: Weeks::Every })
        .collect()
}

#[test]
fn the_clinic_is_set_up_alike_on_the_server_staff_rooms_providers_services_journeys_blocks_and_sign_in() {
    let desk = store();
    booking_setup(&desk);
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let server = Store::open_server(&address, "reception").unwrap().with_clock(super::tests::now);

    let staff = StaffInput { name: "Marta Ozola".into(), role: Role::FrontDesk, active: true };
    let (marta, marta_there) = alike(&desk, &server, |s| s.create_staff(Actor::User, &staff).unwrap());
    let renamed = StaffInput { name: "Marta Ozola-Berzina".into(), ..staff.clone() };
    alike(&desk, &server, |s| {
        let id = if s.is_file() { marta.id } else { marta_there.id };
        s.update_staff(Actor::User, id, &renamed).unwrap()
    });
    // The same refusal on both: a second member of that name.
    alike(&desk, &server, |s| s.create_staff(Actor::User, &renamed).unwrap_err().to_string());

    let room = RoomInput { name: "Room 2".into(), active: true, availability: weekdays(9 * 60, 13 * 60) };
    let (room_here, room_there) = alike(&desk, &server, |s| s.create_room(Actor::User, &room).unwrap());
    let provider = |room: Uuid| ProviderInput {
        name: "Dr Liepa".into(),
        specialty: "Dermatology".into(),
        home_room_id: Some(room),
        active: true,
        availability: weekdays(9 * 60, 12 * 60),
    };
    let (liepa, liepa_there) = alike(&desk, &server, |s| {
        let room = if s.is_file() { room_here.id } else { room_there.id };
        s.create_provider(Actor::User, &provider(room)).unwrap()
    });
    alike(&desk, &server, |s| {
        let (id, room) = if s.is_file() { (liepa.id, room_here.id) } else { (liepa_there.id, room_there.id) };
        s.update_provider(Actor::User, id, &ProviderInput { specialty: "Skin".into(), ..provider(room) }).unwrap()
    });
    // Hours outside the clinic's are refused alike.
    alike(&desk, &server, |s| {
        let late = RoomInput { name: "Room 3".into(), active: true, availability: weekdays(20 * 60, 23 * 60) };
        s.create_room(Actor::User, &late).unwrap_err().to_string()
    });
    assert_eq!(server.list_rooms().unwrap().len(), desk.list_rooms().unwrap().len());
    assert_eq!(without_ids(&server.list_providers().unwrap()), without_ids(&desk.list_providers().unwrap()));
    assert_eq!(without_ids(&server.list_staff().unwrap()), without_ids(&desk.list_staff().unwrap()));

    let new_journey =
        NewJourney { name: "Skin check".into(), source: JourneySource::Default { key: "first_consultation".into() } };
    let (journey, journey_there) = alike(&desk, &server, |s| s.create_journey(Actor::User, &new_journey).unwrap());
    let family = |s: &Store| if s.is_file() { journey.family_key.clone() } else { journey_there.family_key.clone() };
    alike(&desk, &server, |s| s.rename_journey(Actor::User, &family(s), "Skin check-up").unwrap());
    let service = |s: &Store| ServiceInput {
        name: "Skin check-up".into(),
        duration_minutes: 30,
        color: "#2a9d8f".into(),
        template_family_key: family(s),
        active: true,
    };
    alike(&desk, &server, |s| s.create_service(Actor::User, &service(s)).unwrap());
    // A journey a service follows is not retired; once the service stops, it is.
    alike(&desk, &server, |s| s.set_journey_retired(Actor::User, &family(s), true).unwrap_err().to_string());
    alike(&desk, &server, |s| {
        let id = s.list_service_types().unwrap().into_iter().find(|x| x.name == "Skin check-up").unwrap().id;
        s.update_service(Actor::User, id, &ServiceInput { active: false, ..service(s) }).unwrap();
        s.set_journey_retired(Actor::User, &family(s), true).unwrap()
    });
    assert_eq!(without_ids(&server.list_journeys().unwrap()), without_ids(&desk.list_journeys().unwrap()));
    assert_eq!(without_ids(&server.rules_overview().unwrap()), without_ids(&desk.rules_overview().unwrap()));

    let block = |provider: Uuid| BlockInput {
        provider_id: Some(provider),
        room_id: None,
        from: "2026-11-30T09:00".into(),
        to: "2026-12-01T18:00".into(),
        reason: "Training".into(),
    };
    let (added, added_there) = alike(&desk, &server, |s| {
        let id = if s.is_file() { liepa.id } else { liepa_there.id };
        s.add_blocked_period(Actor::User, &block(id)).unwrap()
    });
    assert_eq!(
        without_ids(&server.list_blocked_periods().unwrap()),
        without_ids(&desk.list_blocked_periods().unwrap())
    );
    alike(&desk, &server, |s| {
        let id = if s.is_file() { added.period.id } else { added_there.period.id };
        s.remove_blocked_period(Actor::User, id).unwrap()
    });
    assert!(server.list_blocked_periods().unwrap().is_empty());

    // Sign-in: the first PIN goes to an administrator; a wrong PIN counts (and is kept),
    // the right one signs in; signing out is audited.
    let admin = StaffInput { name: "Ilze Admin".into(), role: Role::Admin, active: true };
    let (ilze, ilze_there) = alike(&desk, &server, |s| s.create_staff(Actor::User, &admin).unwrap());
    let ilze_of = |s: &Store| if s.is_file() { ilze.id } else { ilze_there.id };
    alike(&desk, &server, |s| {
        let marta = if s.is_file() { marta.id } else { marta_there.id };
        s.set_staff_pin(Actor::User, marta, Some("4821")).unwrap_err().to_string()
    });
    alike(&desk, &server, |s| s.set_staff_pin(Actor::User, ilze_of(s), Some("4821")).unwrap());
    alike(&desk, &server, |s| s.sign_out().unwrap());
    let wrong = alike(&desk, &server, |s| s.sign_in(ilze_of(s), "1111").unwrap_err());
    assert!(matches!(wrong.1.refusal(), Some(Refusal::WrongSignInPin { left: 4, .. })), "{}", wrong.1);
    let failures = "SELECT failed_sign_ins FROM staff WHERE name = 'Ilze Admin'";
    assert_eq!(rows(&server, failures), rows(&desk, failures));
    alike(&desk, &server, |s| s.sign_in(ilze_of(s), "4821").unwrap());
    alike(&desk, &server, |s| s.set_idle_lock_minutes(Actor::User, 10).unwrap());
    assert_eq!(without_ids(&server.sign_in_state().unwrap()), without_ids(&desk.sign_in_state().unwrap()));
    alike(&desk, &server, |s| s.sign_out().unwrap());
    alike(&desk, &server, |s| s.create_room(Actor::User, &room).unwrap_err().to_string());

    let audited = "SELECT entity, action, detail, staff_name FROM audit_log ORDER BY at, entity, action, detail";
    assert_eq!(rows(&server, audited).len(), rows(&desk, audited).len());
}

/// The demo clinic on a working morning, on a desk's file and moved onto a new server.
fn demo_on_both() -> (Store, Store, DateTime<Utc>) {
    let zone: chrono_tz::Tz = "Europe/Riga".parse().unwrap();
    let today = Utc::now().with_timezone(&zone).date_naive();
    let day = (0..7).map(|n| today + chrono::Days::new(n)).find(|d| d.weekday().number_from_monday() <= 5).unwrap();
    let at = zone.from_local_datetime(&day.and_hms_opt(11, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
    let desk = Store::open_in_memory().unwrap().with_clock(move || at);
    load_demo(&desk, &DemoOptions { patients: 80, days: 30, seed: 7 }).unwrap();
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let server = Store::open_server(&address, "reception").unwrap().with_clock(move || at);
    (desk, server, at)
}

#[test]
fn the_blueprint_its_live_overlay_and_the_quality_reports_are_the_same_on_both_engines() {
    let (desk, server, at) = demo_on_both();
    let calendar = desk.calendar().unwrap();
    let today = calendar.local_date(at);
    let services = desk.list_service_types().unwrap();
    assert_eq!(server.list_service_types().unwrap(), services);

    // The blueprint drawn with its overlay of the last month, service by service; each role's duties.
    for service in &services {
        let request = DrawingRequest {
            service_type_id: service.id,
            filter: DutyFilter::All,
            labels: BlueprintLabels::default(),
            overlay_from: Some(today - Duration::days(30)),
            overlay_to: Some(today),
        };
        assert_eq!(
            server.blueprint_drawing(&request).unwrap(),
            desk.blueprint_drawing(&request).unwrap(),
            "{}",
            service.name
        );
    }
    assert_eq!(server.role_duties(today).unwrap(), desk.role_duties(today).unwrap());
    assert!(!desk.role_duties(today).unwrap().is_empty(), "the demo's morning has duties");

    // The report, for the clinic and for each service.
    let report = |s: &Store, service: Option<Uuid>| {
        let query =
            InsightsQuery { from: today - Duration::days(30), to: today, provider_id: None, service_type_id: service };
        s.insights(&query).unwrap()
    };
    let clinic = report(&desk, None);
    assert!(clinic.surveys > 0 && clinic.rates.visits_due > 0, "the demo has a month of visits and surveys");
    assert_eq!(report(&server, None), clinic);
    for service in &services {
        assert_eq!(report(&server, Some(service.id)), report(&desk, Some(service.id)), "{}", service.name);
    }
    assert_eq!(server.standards_setup().unwrap(), desk.standards_setup().unwrap());

    // A saved blueprint edit becomes the next version on both.
    let service = &services[0];
    let blueprint = desk.blueprint(service.id).unwrap();
    assert_eq!(server.blueprint(service.id).unwrap(), blueprint);
    let mut draft = crate::domain::template_edit::TemplateDraft {
        based_on: blueprint.template.id,
        name: blueprint.template.name.clone(),
        description: blueprint.template.description.clone(),
        stages: blueprint.template.stages.clone(),
        rules: blueprint.rules.clone(),
    };
    draft.stages[0].name = format!("{} (checked)", draft.stages[0].name);
    let (saved, _) = alike(&desk, &server, |s| s.save_template_version(Actor::User, &draft).unwrap());
    // Saving from the same version again is refused alike: someone saved a newer one.
    alike(&desk, &server, |s| s.save_template_version(Actor::User, &draft).unwrap_err().to_string());
    assert_eq!(without_ids(&server.blueprint(service.id).unwrap()), without_ids(&desk.blueprint(service.id).unwrap()));
    assert_eq!(desk.blueprint(service.id).unwrap().template.version, saved.version);

    // A standard added and audited, a Kano feature, SERVQUAL weights.
    let stage = &blueprint.template.stages[0];
    let standard = StandardInput {
        family_key: blueprint.template.family_key.clone(),
        stage_key: stage.key.clone(),
        kind: StandardKind::Checked,
        text: "The patient is greeted by name".into(),
        measure: None,
        limit_minutes: None,
        working_time: false,
    };
    let (greeted, greeted_there) = alike(&desk, &server, |s| s.add_standard(Actor::User, &standard).unwrap());
    alike(&desk, &server, |s| {
        let standard_id = if s.is_file() { greeted.id } else { greeted_there.id };
        let check = AuditCheck { standard_id, met: true, note: String::new() };
        let audit = AuditInput {
            auditor: "Head nurse".into(),
            kind: AuditKind::Supervisor,
            note: String::new(),
            checks: vec![check.clone(), check],
        };
        s.record_audit(Actor::User, &audit).unwrap_err().to_string()
    });
    alike(&desk, &server, |s| {
        let standard_id = if s.is_file() { greeted.id } else { greeted_there.id };
        let audit = AuditInput {
            auditor: "Head nurse".into(),
            kind: AuditKind::Supervisor,
            note: "Morning round".into(),
            checks: vec![AuditCheck { standard_id, met: true, note: String::new() }],
        };
        s.record_audit(Actor::User, &audit).unwrap()
    });
    let (parking, parking_there) = alike(&desk, &server, |s| s.add_kano_feature(Actor::User, "Free parking").unwrap());
    alike(&desk, &server, |s| s.add_kano_feature(Actor::User, "free parking").unwrap_err().to_string());
    use crate::domain::survey::Dimension;
    let weights = [
        (Dimension::Tangibles, 10),
        (Dimension::Reliability, 30),
        (Dimension::Responsiveness, 20),
        (Dimension::Assurance, 20),
        (Dimension::Empathy, 20),
    ];
    alike(&desk, &server, |s| s.set_servqual_weights(Actor::User, Some(&weights)).unwrap());
    assert_eq!(without_ids(&server.standards_setup().unwrap()), without_ids(&desk.standards_setup().unwrap()));

    // A survey of a visit that took place: the kiosk's view, the survey, its feedback call closed.
    let visit: Uuid = rows(
        &desk,
        "SELECT id FROM appointments WHERE status = 'fulfilled'
           AND id NOT IN (SELECT appointment_id FROM survey_responses) ORDER BY starts_at DESC, id LIMIT 1",
    )
    .first()
    .expect("a visit done and not yet rated")
    .get(0)
    .unwrap();
    assert_eq!(without_ids(&server.kiosk_survey(visit).unwrap()), without_ids(&desk.kiosk_survey(visit).unwrap()));
    alike(&desk, &server, |s| {
        let feature_id = if s.is_file() { parking.id } else { parking_there.id };
        let survey = SurveyInput {
            appointment_id: visit,
            source: SurveySource::Kiosk,
            answers: SurveyAnswers {
                nps: Some(9),
                csat: Some(5),
                servqual: vec![ServqualAnswer { item: 1, expectation: 6, perception: 7 }],
                comment: "Quick and kind".into(),
            },
            kano: vec![KanoInput { feature_id, functional: KanoAnswer::Like, dysfunctional: KanoAnswer::Dislike }],
        };
        s.record_survey(Actor::User, &survey).unwrap()
    });
    alike(&desk, &server, |s| s.kiosk_survey(visit).unwrap_err().to_string());
    assert_eq!(without_ids(&report(&server, None)), without_ids(&report(&desk, None)));
}

#[test]
fn a_clinic_on_its_server_is_dumped_from_the_backup_page_and_daily_by_the_desk_that_plans() {
    use crate::domain::backups::{BackupPlan, BackupReason};
    let desk = store();
    booking_setup(&desk);
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let (reception_folder, second_folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let open = |folder: &std::path::Path, at: fn() -> DateTime<Utc>| {
        Store::open_server(&address, "reception").unwrap().with_clock(at).with_desk_folder(folder)
    };
    let reception = open(reception_folder.path(), super::tests::now);

    let status = reception.backup_status().unwrap();
    assert!(status.on_server && !status.same_disk_as_database && status.files.is_empty() && status.last.is_none());
    let own = reception_folder.path().join("server-backups");
    assert_eq!(status.default_folder, own.display().to_string());

    let made = reception.back_up_now(Actor::User).unwrap();
    assert!(made.path.starts_with(&own.display().to_string()) && made.path.ends_with(".dump"), "{}", made.path);
    assert!(made.bytes > 0);
    let status = reception.backup_status().unwrap();
    assert_eq!(status.last.as_ref(), Some(&made));
    assert_eq!(status.files.len(), 1);
    assert_eq!((status.files[0].path.as_str(), status.files[0].reason), (made.path.as_str(), BackupReason::Manual));
    // The plan and the last backup are the clinic's: another desk's page says the same.
    let tomorrow = || super::tests::now() + Duration::days(1);
    let second = open(second_folder.path(), tomorrow);
    assert_eq!(second.backup_status().unwrap().last, Some(made.clone()));
    // A dump is restored on the server's PC, not from a desk.
    let refused = reception.preview_backup_with(std::path::Path::new(&made.path), None).unwrap_err();
    assert_eq!(refused.refusal(), Some(&Refusal::NotOnServerYet), "{refused}");

    // Daily dumps: only the desk that plans the clinic's day takes them; another takes over
    // when it goes.
    let plan = BackupPlan { daily: true, ..reception.backup_plan().unwrap() };
    reception.save_backup_plan(Actor::User, &plan).unwrap();
    assert!(reception.plans_here().unwrap());
    assert_eq!(second.back_up_if_due().unwrap(), None, "the reception desk plans");
    drop(reception);
    let daily = (0..40)
        .find_map(|_| {
            let taken = second.back_up_if_due().unwrap();
            taken.is_none().then(|| std::thread::sleep(std::time::Duration::from_millis(50)));
            taken
        })
        .expect("the second desk takes over the daily dump");
    assert!(daily.path.starts_with(&second_folder.path().display().to_string()), "{}", daily.path);
    assert_eq!(second.backup_status().unwrap().files[0].reason, BackupReason::Daily);
    assert_eq!(second.back_up_if_due().unwrap(), None, "once a day");
}

#[test]
fn the_audit_log_a_patients_data_file_and_their_erasure_are_alike_on_the_server() {
    use super::audit::AuditLogQuery;
    let desk = store();
    let (request, _) = booking_setup(&desk);
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let server = Store::open_server(&address, "reception").unwrap().with_clock(super::tests::now);
    let anna = request.patient_id;

    alike(&desk, &server, |s| s.book_appointment(Actor::User, &request).unwrap());
    // Opening a record is in the log; the log, its CSV and the patient's data file read alike.
    alike(&desk, &server, |s| s.open_patient_record(Actor::User, anna).unwrap());
    let about_anna = AuditLogQuery { patient: Some(anna), ..Default::default() };
    let (log, _) = alike(&desk, &server, |s| s.audit_log(Actor::User, &about_anna).unwrap());
    assert!(log.iter().any(|e| e.action == "open"), "{log:?}");
    assert!(log.iter().any(|e| e.entity == super::Entity::Appointments), "{log:?}");
    alike(&desk, &server, |s| s.audit_log_csv(Actor::User, &AuditLogQuery::default()).unwrap());
    let (file, _) = alike(&desk, &server, |s| s.patient_data(Actor::User, anna).unwrap());
    assert_eq!(file["appointments"].as_array().map(Vec::len), Some(1), "{file}");
    assert!(file["stage_events"].as_array().is_some_and(|events| !events.is_empty()), "{file}");

    // Erased alike: the record blanked, what the log held about them too.
    alike(&desk, &server, |s| s.erase_patient(Actor::User, anna).unwrap());
    let (erased, _) = alike(&desk, &server, |s| s.get_patient(anna).unwrap());
    assert_eq!(erased.given_name, "Erased");
    let (log, _) = alike(&desk, &server, |s| s.audit_log(Actor::User, &about_anna).unwrap());
    assert!(log.iter().all(|e| e.erased || e.changes.is_empty()), "{log:?}");
}

#[test]
fn exports_and_imports_read_and_write_alike_on_the_server() {
    use super::{ExportRequest, ExportScope, ImportFormat, ImportRequest, RecordsFormat};
    use crate::interchange::ics::PatientDetail;
    use crate::interchange::import::{DuplicateChoice, ImportKind};
    let (desk, server, _) = demo_on_both();

    // Every format of the whole clinic, byte for byte (the rows moved keep their ids).
    let export = |s: &Store, format: RecordsFormat| {
        let request = ExportRequest { format, scope: ExportScope::Clinic, detail: PatientDetail::Full, alarms: true };
        s.export(Actor::User, &request).unwrap()
    };
    for format in [
        RecordsFormat::CsvPatients,
        RecordsFormat::CsvAppointments,
        RecordsFormat::CsvTasks,
        RecordsFormat::FhirBundle,
        RecordsFormat::FhirNdjson,
        RecordsFormat::Ics,
    ] {
        let (on_file, on_server) = (export(&desk, format), export(&server, format));
        assert!(on_file.count > 0, "{format:?}");
        // A bundle has an id of its own, made for each export.
        let text = |file: &super::ExportFile| without_ids(&String::from_utf8_lossy(&file.bytes));
        same_text(&text(&on_file), &text(&on_server));
    }

    let request = |format, kind| ImportRequest {
        format,
        kind,
        mapping: None,
        on_duplicate: DuplicateChoice::Merge,
        choices: Default::default(),
        dry_run: false,
    };
    // The clinic's own files back in: every patient merged, every visit unchanged.
    let patients = export(&desk, RecordsFormat::CsvPatients).bytes;
    let visits = export(&desk, RecordsFormat::CsvAppointments).bytes;
    let fhir = export(&desk, RecordsFormat::FhirBundle).bytes;
    for (request, bytes) in [
        (request(ImportFormat::Csv, ImportKind::Patients), &patients),
        (request(ImportFormat::Csv, ImportKind::Appointments), &visits),
        (request(ImportFormat::Fhir, ImportKind::Patients), &fhir),
    ] {
        let (report, _) = alike(&desk, &server, |s| s.import(Actor::User, &request, bytes, &|_, _| true).unwrap());
        assert!(report.problems.is_empty(), "{report:?}");
    }
    // New patients: a dry run first, then written; a file with a bad row writes nothing.
    let new = "given_name,family_name,birth_date,phone\nAnna,Ozola,1980-02-03,+371 2111 1111\nJānis,Bērziņš,,+371 2111 2222\n";
    let dry = ImportRequest { dry_run: true, ..request(ImportFormat::Csv, ImportKind::Patients) };
    let (report, _) = alike(&desk, &server, |s| s.import(Actor::User, &dry, new.as_bytes(), &|_, _| true).unwrap());
    assert_eq!((report.patients_added, report.applied), (2, false));
    let written = request(ImportFormat::Csv, ImportKind::Patients);
    let (report, _) = alike(&desk, &server, |s| s.import(Actor::User, &written, new.as_bytes(), &|_, _| true).unwrap());
    assert_eq!((report.patients_added, report.applied), (2, true));
    let bad = "given_name,family_name,birth_date,phone\nMaija,Liepa,1985-13-40,+371 2111 3333\n";
    let (report, _) = alike(&desk, &server, |s| s.import(Actor::User, &written, bad.as_bytes(), &|_, _| true).unwrap());
    assert!(!report.applied && !report.problems.is_empty(), "{report:?}");
    // Everyone, line by line (the new patients' ids, and so their places, are each engine's).
    let everyone = |s: &Store| {
        let text = String::from_utf8_lossy(&export(s, RecordsFormat::CsvPatients).bytes).into_owned();
        let mut lines: Vec<String> = text.lines().map(|line| without_ids(&line)).collect();
        lines.sort();
        lines
    };
    assert_eq!(everyone(&server), everyone(&desk));
}

#[test]
fn calendar_files_of_a_server_clinic_are_kept_by_the_desk_that_plans_its_day() {
    use super::ExportScope;
    use crate::interchange::ics::PatientDetail;
    let desk = store();
    let (request, _) = booking_setup(&desk);
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let open = || Store::open_server(&address, "reception").unwrap().with_clock(super::tests::now);
    let (planning, other) = (open(), open());
    assert!(planning.plans_here().unwrap());

    // Added at the other desk: written there once (its folder checked), then kept by the
    // desk that plans.
    let shared = tempfile::tempdir().unwrap();
    let feed = other
        .add_calendar_feed(Actor::User, shared.path(), ExportScope::Clinic, PatientDetail::Initials, true)
        .unwrap();
    let first = std::fs::read_to_string(&feed.file).unwrap();
    assert!(first.starts_with("BEGIN:VCALENDAR") && !first.contains("BEGIN:VEVENT"), "no visit yet");
    assert_eq!(planning.calendar_feeds(Actor::User).unwrap(), other.calendar_feeds(Actor::User).unwrap());

    other.book_appointment(Actor::User, &request).unwrap();
    assert_eq!(other.refresh_calendar_feeds().unwrap(), 0, "only the desk that plans writes them");
    assert_eq!(std::fs::read_to_string(&feed.file).unwrap(), first);
    assert_eq!(planning.refresh_calendar_feeds().unwrap(), 1);
    assert!(std::fs::read_to_string(&feed.file).unwrap().contains("BEGIN:VEVENT"), "the booking is in the file");

    // A folder that desk does not have is skipped, never made.
    let gone = tempfile::tempdir().unwrap();
    let gone_path = gone.path().to_path_buf();
    let room = planning.list_rooms().unwrap()[0].id;
    planning.add_calendar_feed(Actor::User, &gone_path, ExportScope::Room(room), PatientDetail::None, false).unwrap();
    drop(gone);
    assert_eq!(planning.refresh_calendar_feeds().unwrap(), 1);
    assert!(!gone_path.exists());
    other.remove_calendar_feed(Actor::User, feed.id).unwrap();
    assert_eq!(planning.calendar_feeds(Actor::User).unwrap().len(), 1);
}
