//! Sign-in and roles, enforced by the store: every command a person can give, run by a member
//! of each role, is refused for that role exactly when its work is not theirs; patient data is
//! not read without sign-in; the audit log names who did what, with before and after.

use uuid::Uuid;

use super::tests::{count, rows_of, script};
use super::{Actor, AuditLogQuery, Store};
use crate::demo::DemoOptions;
use crate::domain::access::Work;
use crate::domain::appointment::{BookingRequest, RescheduleRequest};
use crate::domain::backups::BackupPlan;
use crate::domain::clinic::ClosedDay;
use crate::domain::flow::FlowColumn;
use crate::domain::journey::ServiceInput;
use crate::domain::patient::PatientInput;
use crate::domain::resources::{ProviderInput, Role, RoomInput, StaffInput};
use crate::domain::standards::{AuditKind, StandardEdit};
use crate::domain::survey::{SurveyAnswers, SurveySource};
use crate::domain::tasks::TaskOutcome;
use crate::domain::waitlist::NewWaitlistEntry;
use crate::error::{Error, Refusal};

/// A demo clinic (no PINs yet) and the rows the commands act on.
struct Clinic {
    store: Store,
    patient: Uuid,
    visit: Uuid,
    provider: Uuid,
    room: Uuid,
    service: Uuid,
    task: Uuid,
    journey_key: String,
    template: Uuid,
    standard: Uuid,
}

fn clinic() -> Clinic {
    let store = super::tests::demo_store(&DemoOptions { patients: 30, days: 5, seed: 9 });
    let id = |sql: &str| -> Uuid { rows_of(&store, sql, &[])[0].get(0).unwrap() };
    let journeys = store.list_journeys().unwrap();
    Clinic {
        patient: id("SELECT id FROM patients ORDER BY id LIMIT 1"),
        visit: id("SELECT id FROM appointments WHERE status = 'booked' ORDER BY starts_at DESC LIMIT 1"),
        provider: id("SELECT id FROM providers ORDER BY name LIMIT 1"),
        room: id("SELECT id FROM rooms ORDER BY name LIMIT 1"),
        service: id("SELECT id FROM service_types ORDER BY name LIMIT 1"),
        task: id("SELECT id FROM tasks WHERE status = 'open' ORDER BY due_at LIMIT 1"),
        journey_key: journeys[0].family_key.clone(),
        template: journeys[0].template_id,
        standard: id("SELECT id FROM service_standards ORDER BY id LIMIT 1"),
        store,
    }
}

type Command = (&'static str, Work, Box<dyn Fn(&Clinic) -> crate::Result<()>>);

fn ok<T>(result: crate::Result<T>) -> crate::Result<()> {
    result.map(|_| ())
}

/// Every store command a person gives (the window's and the command line's), with its work.
fn commands() -> Vec<Command> {
    let me = Actor::User;
    let patient_input = || PatientInput {
        given_name: "Role".into(),
        family_name: "Tester".into(),
        phone: "+371 2000 1111".into(),
        ..Default::default()
    };
    let booking = |k: &Clinic| BookingRequest {
        patient_id: k.patient,
        service_type_id: k.service,
        provider_id: k.provider,
        room_id: k.room,
        date: "2026-12-30".parse().unwrap(),
        start_time: "10:00".into(),
        notes: String::new(),
    };
    vec![
        (
            "save settings",
            Work::ClinicSetup,
            Box::new(move |k| ok(k.store.save_settings(me, &k.store.get_settings()?))),
        ),
        (
            "save clinic details",
            Work::ClinicSetup,
            Box::new(move |k| ok(k.store.save_clinic_details(me, &k.store.get_settings()?))),
        ),
        (
            "add closed day",
            Work::ClinicSetup,
            Box::new(move |k| {
                let day = ClosedDay { date: "2027-01-05".parse().unwrap(), reason: "Inventory".into(), yearly: false };
                ok(k.store.add_closed_day(me, &day))
            }),
        ),
        ("import closed days", Work::ClinicSetup, Box::new(move |k| ok(k.store.import_closed_days(me, &[])))),
        (
            "remove closed day",
            Work::ClinicSetup,
            Box::new(move |k| ok(k.store.remove_closed_day(me, "2027-01-05".parse().unwrap()))),
        ),
        (
            "create staff",
            Work::ClinicSetup,
            Box::new(move |k| {
                ok(k.store.create_staff(
                    me,
                    &StaffInput { name: format!("New {}", Uuid::new_v4()), role: Role::FrontDesk, active: true },
                ))
            }),
        ),
        (
            "update staff",
            Work::ClinicSetup,
            Box::new(move |k| {
                let first = k.store.list_staff()?.into_iter().find(|s| s.role == Role::Clinician).unwrap();
                ok(k.store.update_staff(me, first.id, &StaffInput { name: first.name, role: first.role, active: true }))
            }),
        ),
        (
            "set a PIN",
            Work::ClinicSetup,
            Box::new(move |k| {
                let first = k.store.list_staff()?.into_iter().find(|s| s.role == Role::Clinician).unwrap();
                k.store.set_staff_pin(me, first.id, Some("2468"))
            }),
        ),
        ("set idle lock", Work::ClinicSetup, Box::new(move |k| k.store.set_idle_lock_minutes(me, 15))),
        (
            "create room",
            Work::ClinicSetup,
            Box::new(move |k| {
                ok(k.store.create_room(
                    me,
                    &RoomInput { name: format!("Room {}", Uuid::new_v4()), active: true, availability: vec![] },
                ))
            }),
        ),
        (
            "update room",
            Work::ClinicSetup,
            Box::new(move |k| {
                let room = k.store.list_rooms()?.into_iter().find(|r| r.id == k.room).unwrap();
                ok(k.store.update_room(
                    me,
                    room.id,
                    &RoomInput { name: room.name, active: true, availability: room.availability },
                ))
            }),
        ),
        (
            "create provider",
            Work::ClinicSetup,
            Box::new(move |k| {
                let input = ProviderInput {
                    name: format!("Dr {}", Uuid::new_v4()),
                    specialty: "GP".into(),
                    home_room_id: None,
                    active: true,
                    availability: vec![],
                };
                ok(k.store.create_provider(me, &input))
            }),
        ),
        (
            "update provider",
            Work::ClinicSetup,
            Box::new(move |k| {
                let p = k.store.list_providers()?.into_iter().find(|p| p.id == k.provider).unwrap();
                let input = ProviderInput {
                    name: p.name,
                    specialty: p.specialty,
                    home_room_id: p.home_room_id,
                    active: true,
                    availability: p.availability,
                };
                ok(k.store.update_provider(me, p.id, &input))
            }),
        ),
        (
            "create service",
            Work::ClinicSetup,
            Box::new(move |k| {
                let input = ServiceInput {
                    name: format!("Check {}", Uuid::new_v4()),
                    duration_minutes: 20,
                    color: "#2a9d8f".into(),
                    template_family_key: k.journey_key.clone(),
                    active: true,
                };
                ok(k.store.create_service(me, &input))
            }),
        ),
        (
            "update service",
            Work::ClinicSetup,
            Box::new(move |k| {
                let s = k.store.list_service_types()?.into_iter().find(|s| s.id == k.service).unwrap();
                let input = ServiceInput {
                    name: s.name,
                    duration_minutes: s.duration_minutes,
                    color: s.color,
                    template_family_key: k.journey_key.clone(),
                    active: true,
                };
                ok(k.store.update_service(me, s.id, &input))
            }),
        ),
        (
            "add blocked period",
            Work::ClinicSetup,
            Box::new(move |k| {
                let input = super::BlockInput {
                    provider_id: Some(k.provider),
                    room_id: None,
                    from: "2027-02-01T09:00".into(),
                    to: "2027-02-01T10:00".into(),
                    reason: "Training".into(),
                };
                ok(k.store.add_blocked_period(me, &input))
            }),
        ),
        ("remove blocked period", Work::ClinicSetup, Box::new(move |k| k.store.remove_blocked_period(me, Uuid::nil()))),
        (
            "save backup plan",
            Work::ClinicSetup,
            Box::new(move |k| {
                k.store.save_backup_plan(me, &BackupPlan { folder: String::new(), daily: true, keep_days: 14 })
            }),
        ),
        ("back up now", Work::ClinicSetup, Box::new(move |k| ok(k.store.back_up_now(me)))),
        ("re-plan every task", Work::ClinicSetup, Box::new(move |k| ok(k.store.plan_all_tasks(me)))),
        (
            "create journey",
            Work::Journeys,
            Box::new(move |k| {
                let input = super::NewJourney {
                    name: format!("Journey {}", Uuid::new_v4()),
                    source: super::JourneySource::Copy { family_key: k.journey_key.clone() },
                };
                ok(k.store.create_journey(me, &input))
            }),
        ),
        (
            "rename journey",
            Work::Journeys,
            Box::new(move |k| {
                let name = k.store.list_journeys()?.into_iter().find(|j| j.family_key == k.journey_key).unwrap().name;
                k.store.rename_journey(me, &k.journey_key, &name)
            }),
        ),
        ("retire journey", Work::Journeys, Box::new(move |k| k.store.set_journey_retired(me, &k.journey_key, false))),
        (
            "save journey version",
            Work::Journeys,
            Box::new(move |k| {
                let t = k.store.get_template(k.template)?;
                let draft = crate::domain::template_edit::TemplateDraft {
                    based_on: t.id,
                    name: t.name.clone(),
                    description: t.description.clone(),
                    stages: t.stages.clone(),
                    rules: k.store.template_rules(t.id)?,
                };
                ok(k.store.save_template_version(me, &draft))
            }),
        ),
        (
            "add standard",
            Work::Standards,
            Box::new(move |k| {
                let s = k.store.list_standards()?.into_iter().find(|s| s.id == k.standard).unwrap();
                let input = crate::domain::standards::StandardInput {
                    family_key: s.family_key,
                    stage_key: s.stage_key,
                    kind: crate::domain::standards::StandardKind::Checked,
                    text: format!("Greet {}", Uuid::new_v4()),
                    measure: None,
                    limit_minutes: None,
                    working_time: false,
                };
                ok(k.store.add_standard(me, &input))
            }),
        ),
        (
            "edit standard",
            Work::Standards,
            Box::new(move |k| {
                let s = k.store.list_standards()?.into_iter().find(|s| s.id == k.standard).unwrap();
                ok(k.store.update_standard(
                    me,
                    s.id,
                    &StandardEdit { text: s.text, limit_minutes: s.limit_minutes, working_time: s.working_time },
                ))
            }),
        ),
        ("retire standard", Work::Standards, Box::new(move |k| ok(k.store.set_standard_active(me, k.standard, true)))),
        (
            "add Kano feature",
            Work::Standards,
            Box::new(move |k| ok(k.store.add_kano_feature(me, &format!("Parking {}", Uuid::new_v4())))),
        ),
        ("SERVQUAL weights", Work::Standards, Box::new(move |k| k.store.set_servqual_weights(me, None))),
        (
            "record standards audit",
            Work::StandardAudits,
            Box::new(move |k| {
                let input = super::AuditInput {
                    auditor: "Supervisor".into(),
                    kind: AuditKind::Supervisor,
                    note: String::new(),
                    checks: vec![],
                };
                ok(k.store.record_audit(me, &input))
            }),
        ),
        ("create patient", Work::Patients, Box::new(move |k| ok(k.store.create_patient(me, &patient_input())))),
        (
            "update patient",
            Work::Patients,
            Box::new(move |k| {
                let p = k.store.read_db(|db| super::patients::load_patient(db, k.patient))?;
                let input = PatientInput {
                    given_name: p.given_name,
                    family_name: p.family_name,
                    phone: p.phone,
                    ..Default::default()
                };
                ok(k.store.update_patient(me, k.patient, &input))
            }),
        ),
        ("book", Work::Bookings, Box::new(move |k| ok(k.store.book_appointment(me, &booking(k))))),
        (
            "book series",
            Work::Bookings,
            Box::new(move |k| {
                ok(k.store.book_series(
                    me,
                    &super::SeriesRequest { booking: booking(k), rrule: "FREQ=WEEKLY;COUNT=2".into() },
                ))
            }),
        ),
        (
            "reschedule",
            Work::Bookings,
            Box::new(move |k| {
                let request = RescheduleRequest {
                    appointment_id: k.visit,
                    provider_id: k.provider,
                    room_id: k.room,
                    date: "2027-01-12".parse().unwrap(),
                    start_time: "11:00".into(),
                };
                ok(k.store.reschedule_appointment(me, &request))
            }),
        ),
        ("cancel", Work::Bookings, Box::new(move |k| ok(k.store.cancel_appointment(me, Uuid::nil(), "")))),
        ("no-show", Work::Bookings, Box::new(move |k| ok(k.store.mark_no_show(me, Uuid::nil())))),
        ("rebook calls", Work::Bookings, Box::new(move |k| ok(k.store.request_rebook_calls(me, &[])))),
        (
            "add to waiting list",
            Work::Bookings,
            Box::new(move |k| {
                let entry = NewWaitlistEntry {
                    patient_id: k.patient,
                    service_type_id: k.service,
                    provider_id: None,
                    earliest_date: "2027-01-04".parse().unwrap(),
                    latest_date: "2027-01-29".parse().unwrap(),
                    part_of_day: None,
                    notes: String::new(),
                };
                ok(k.store.add_to_waitlist(me, &entry))
            }),
        ),
        ("remove from waiting list", Work::Bookings, Box::new(move |k| k.store.remove_from_waitlist(me, Uuid::nil()))),
        (
            "book from waiting list",
            Work::Bookings,
            Box::new(move |k| ok(k.store.book_from_waitlist(me, Uuid::nil(), &booking(k)))),
        ),
        (
            "move on flow board",
            Work::Flow,
            Box::new(move |k| ok(k.store.move_on_flow_board(me, Uuid::nil(), FlowColumn::Arrived))),
        ),
        (
            "call outcome",
            Work::Calls,
            Box::new(move |k| {
                ok(k.store.record_task_outcome(
                    me,
                    &super::OutcomeRequest {
                        task_id: Uuid::nil(),
                        outcome: TaskOutcome::NoAnswer,
                        note: String::new(),
                    },
                ))
            }),
        ),
        ("assign call", Work::Calls, Box::new(move |k| ok(k.store.assign_task(me, k.task, None)))),
        (
            "record survey",
            Work::Surveys,
            Box::new(move |k| {
                let input = super::SurveyInput {
                    appointment_id: Uuid::nil(),
                    source: SurveySource::Staff,
                    answers: SurveyAnswers { nps: Some(9), ..Default::default() },
                    kano: vec![],
                };
                ok(k.store.record_survey(me, &input))
            }),
        ),
        ("audit log", Work::Records, Box::new(move |k| ok(k.store.audit_log(me, &AuditLogQuery::default())))),
        ("audit log CSV", Work::Records, Box::new(move |k| ok(k.store.audit_log_csv(me, &AuditLogQuery::default())))),
        ("patient's data", Work::Records, Box::new(move |k| ok(k.store.patient_data(me, k.patient)))),
        (
            "change encryption",
            Work::ClinicSetup,
            Box::new(move |k| {
                let long = Some("a long enough passphrase".to_string());
                let change = super::encryption::EncryptionChange { current: None, new: long.clone(), repeat: long };
                k.store.check_encryption_change(me, &change)
            }),
        ),
        (
            "restore",
            Work::Records,
            Box::new(move |k| ok(k.store.restore_backup(me, std::path::Path::new("/nonexistent.sqlite3")))),
        ),
        ("erase patient", Work::Records, Box::new(move |k| k.store.erase_patient(me, k.patient))),
        (
            "export",
            Work::Records,
            Box::new(move |k| {
                let request = super::ExportRequest {
                    format: super::RecordsFormat::CsvPatients,
                    scope: super::ExportScope::Clinic,
                    detail: crate::interchange::ics::PatientDetail::None,
                    alarms: false,
                };
                ok(k.store.export(me, &request))
            }),
        ),
        (
            "keep a calendar file",
            Work::Records,
            Box::new(move |k| {
                let folder = std::env::temp_dir().join(format!("feed-{}", Uuid::new_v4()));
                let detail = crate::interchange::ics::PatientDetail::Initials;
                ok(k.store.add_calendar_feed(me, &folder, super::ExportScope::Provider(k.provider), detail, false))
            }),
        ),
        (
            "map an import",
            Work::ClinicSetup,
            Box::new(move |k| ok(k.store.import_mapping(me, ImportKind::Patients, CSV))),
        ),
        (
            "import",
            Work::ClinicSetup,
            Box::new(move |k| {
                let request = super::ImportRequest {
                    format: super::ImportFormat::Csv,
                    kind: ImportKind::Patients,
                    mapping: None,
                    on_duplicate: crate::interchange::import::DuplicateChoice::Merge,
                    choices: Default::default(),
                    dry_run: false,
                };
                ok(k.store.import(me, &request, CSV, &|_, _| true))
            }),
        ),
    ]
}

use crate::interchange::import::ImportKind;
const CSV: &[u8] = b"given_name,family_name,phone\nImported,Person,+371 2999 0001\n";

fn is_role_refusal(result: &crate::Result<()>) -> bool {
    matches!(result, Err(e) if matches!(e.refusal(), Some(Refusal::RoleMayNot { .. })))
}

/// An administrator with a PIN (sign-in on), and a member of `role` with PIN 1357.
fn member(k: &Clinic, role: Role) -> Uuid {
    let staff = k
        .store
        .create_staff(Actor::User, &StaffInput { name: format!("{} tester", role.as_str()), role, active: true });
    staff.unwrap().id
}

#[test]
fn every_command_is_refused_for_a_role_exactly_when_its_work_is_not_theirs() {
    let k = clinic();
    let admin = member(&k, Role::Admin);
    k.store.set_staff_pin(Actor::User, admin, Some("9999")).unwrap();
    // Sign-in is on now, with the administrator who turned it on signed in at this desk: they
    // hand out the other PINs.
    assert_eq!(k.store.signed_in().map(|m| m.staff_id), Some(admin));
    let members: Vec<(Role, Uuid)> = [Role::FrontDesk, Role::Clinician, Role::BackOffice]
        .into_iter()
        .map(|role| {
            let id = member(&k, role);
            k.store.set_staff_pin(Actor::User, id, Some("1357")).unwrap();
            (role, id)
        })
        .chain([(Role::Admin, admin)])
        .collect();
    k.store.sign_out().unwrap();
    let commands = commands();
    let mut wrong = Vec::new();
    for (role, id) in members {
        k.store.sign_in(id, if role == Role::Admin { "9999" } else { "1357" }).unwrap();
        for (name, work, run) in &commands {
            let result = run(&k);
            if is_role_refusal(&result) == role.may(*work) || matches!(&result, Err(e) if e.kind() == "internal") {
                wrong.push(format!("{} doing “{name}” ({}): {result:?}", role.as_str(), work.as_str()));
            }
        }
        k.store.sign_out().unwrap();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every kind of work was covered.
    for work in Work::ALL {
        assert!(commands.iter().any(|(_, w, _)| *w == work), "no command does {}", work.as_str());
    }
}

#[test]
fn without_sign_in_the_desk_runs_the_clinic_and_with_it_nothing_is_read_or_written_unsigned() {
    let k = clinic();
    // No PIN anywhere: the desk reads and writes as before.
    assert!(!k.store.sign_in_state().unwrap().required);
    k.store.get_patient(k.patient).unwrap();
    let admin = member(&k, Role::Admin);
    let desk = member(&k, Role::FrontDesk);
    // The first PIN goes to an administrator.
    let refused = k.store.set_staff_pin(Actor::User, desk, Some("1357")).unwrap_err();
    assert_eq!(refused.refusal(), Some(&Refusal::FirstPinForAdmin));
    k.store.set_staff_pin(Actor::User, admin, Some("9999")).unwrap();
    let state = k.store.sign_in_state().unwrap();
    assert!(state.required && state.signed_in.is_some() && state.allowed_work.len() == Work::ALL.len());
    k.store.sign_out().unwrap();
    let state = k.store.sign_in_state().unwrap();
    assert!(state.required && state.signed_in.is_none() && state.allowed_work.is_empty());
    let unsigned = |e: Error| assert_eq!(e.refusal(), Some(&Refusal::SignInNeeded));
    unsigned(k.store.get_patient(k.patient).unwrap_err());
    unsigned(k.store.patients_page("", 0, 10).unwrap_err());
    let calls = crate::domain::tasks::CallListQuery {
        date: "2026-11-24".parse().unwrap(),
        kind: None,
        role: None,
        assignee_id: None,
        upcoming_days: None,
    };
    unsigned(k.store.call_list(&calls).unwrap_err());
    unsigned(k.store.flow_board().unwrap_err());
    unsigned(k.store.create_patient(Actor::CommandLine, &PatientInput::example("Una", "Signed")).unwrap_err());
    // The last administrator who can sign in keeps their PIN while others sign in.
    k.store.sign_in(admin, "9999").unwrap();
    k.store.set_staff_pin(Actor::User, desk, Some("1357")).unwrap();
    let kept = k.store.set_staff_pin(Actor::User, admin, None).unwrap_err();
    assert!(matches!(kept.refusal(), Some(Refusal::LastAdminPin { .. })), "{kept:?}");
    let admin_row = k.store.list_staff().unwrap().into_iter().find(|s| s.id == admin).unwrap();
    let demoted = StaffInput { name: admin_row.name, role: Role::FrontDesk, active: true };
    assert!(matches!(
        k.store.update_staff(Actor::User, admin, &demoted).unwrap_err().refusal(),
        Some(Refusal::LastAdminPin { .. })
    ));
    // The app's own work (the scheduler) goes on without anyone signed in.
    k.store.sign_out().unwrap();
    k.store.plan_all_tasks(Actor::Scheduler).unwrap();
}

#[test]
fn wrong_pins_are_counted_in_the_file_and_lock_that_member_for_a_while() {
    let k = clinic();
    let admin = member(&k, Role::Admin);
    k.store.set_staff_pin(Actor::User, admin, Some("9999")).unwrap();
    for left in (1..crate::domain::access::SIGN_IN_TRIES).rev() {
        let wrong = k.store.sign_in(admin, "0000").unwrap_err();
        assert!(matches!(wrong.refusal(), Some(Refusal::WrongSignInPin { left: l, .. }) if *l == left), "{wrong:?}");
    }
    let locked = k.store.sign_in(admin, "0000").unwrap_err();
    assert_eq!(locked.refusal(), Some(&Refusal::TooManyTries { seconds: 60 }));
    // Even the right PIN waits out the lockout, in this process or another.
    assert_eq!(k.store.sign_in(admin, "9999").unwrap_err().refusal().unwrap().reason(), "too_many_tries");
    let failures: i64 =
        rows_of(&k.store, "SELECT failed_sign_ins FROM staff WHERE id = ?1", &[&admin])[0].get(0).unwrap();
    assert_eq!(failures, 5);
    // The secret itself is nowhere in the file, only its argon2id hash.
    let hash: String =
        rows_of(&k.store, "SELECT login_secret_hash FROM staff WHERE id = ?1", &[&admin])[0].get(0).unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("9999"));
    assert_eq!(count(&k.store, "audit_log WHERE action = 'sign_in_refused'"), 5);
}

#[test]
fn the_audit_log_names_the_member_with_the_fields_before_and_after() {
    let k = clinic();
    let admin = member(&k, Role::Admin);
    let desk = member(&k, Role::FrontDesk);
    k.store.set_staff_pin(Actor::User, admin, Some("9999")).unwrap();
    k.store.sign_in(admin, "9999").unwrap();
    k.store.set_staff_pin(Actor::User, desk, Some("1357")).unwrap();
    k.store.sign_out().unwrap();
    k.store.sign_in(desk, "1357").unwrap();
    let before = k.store.open_patient_record(Actor::User, k.patient).unwrap();
    let input = PatientInput {
        given_name: before.given_name.clone(),
        family_name: before.family_name.clone(),
        phone: "+371 2999 0000".into(),
        email: "changed@example.lv".into(),
        ..Default::default()
    };
    k.store.update_patient(Actor::User, k.patient, &input).unwrap();
    // The front desk may not read the log; the administrator may.
    assert!(is_role_refusal(&k.store.audit_log(Actor::User, &AuditLogQuery::default()).map(|_| ())));
    k.store.sign_out().unwrap();
    k.store.sign_in(admin, "9999").unwrap();
    let query =
        AuditLogQuery { staff: Some("front_desk tester".into()), patient: Some(k.patient), ..Default::default() };
    let rows = k.store.audit_log(Actor::User, &query).unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["update", "open"]);
    let update = &rows[0];
    assert_eq!(update.staff_name, "front_desk tester");
    assert_eq!(update.patient_name.as_deref(), Some(format!("{} {}", before.given_name, before.family_name).as_str()));
    let phone = update.changes.iter().find(|c| c.field == "phone").expect("the phone's change");
    assert_eq!(
        (phone.before.as_deref(), phone.after.as_deref()),
        (Some(before.phone.as_str()), Some("+371 2999 0000"))
    );
    assert!(update.changes.iter().any(|c| c.field == "email" && c.after.as_deref() == Some("changed@example.lv")));
    // Unchanged fields and the search key are not listed.
    assert!(update.changes.iter().all(|c| c.field != "given_name" && c.field != "search_key"), "{:?}", update.changes);
    // Signing in and out changes no field, and says none.
    let sessions = k
        .store
        .audit_log(Actor::User, &AuditLogQuery { staff: Some("front_desk tester".into()), ..Default::default() })
        .unwrap();
    let signs: Vec<_> = sessions.iter().filter(|r| r.action.starts_with("sign_")).collect();
    assert_eq!(signs.len(), 2, "{sessions:?}");
    assert!(signs.iter().all(|r| r.changes.is_empty()), "{signs:?}");
    let csv = k.store.audit_log_csv(Actor::User, &query).unwrap();
    assert!(csv.contains("front_desk tester") && csv.contains("+371 2999 0000"), "{csv}");
}

#[test]
fn erasing_a_patient_keeps_the_counts_and_leaves_nothing_that_identifies_them() {
    let k = clinic();
    let before = k.store.get_patient(k.patient).unwrap();
    let input = PatientInput {
        given_name: before.given_name.clone(),
        family_name: before.family_name.clone(),
        phone: "+371 2999 0000".into(),
        notes: "Allergic to penicillin".into(),
        ..Default::default()
    };
    k.store.update_patient(Actor::User, k.patient, &input).unwrap();
    let file = k.store.patient_data(Actor::User, k.patient).unwrap();
    let text = file.to_string();
    assert!(text.contains(&before.family_name) && text.contains("Allergic to penicillin"));
    let visits = file["appointments"].as_array().unwrap().len();
    assert!(
        visits > 0 && visits as i64 == count(&k.store, &format!("appointments WHERE patient_id = '{}'", k.patient))
    );

    let appointments = count(&k.store, "appointments");
    k.store.erase_patient(Actor::User, k.patient).unwrap();
    assert_eq!(count(&k.store, "appointments"), appointments);
    let erased = k.store.get_patient(k.patient).unwrap();
    assert_eq!(erased.given_name, "Erased");
    assert!(erased.phone.is_empty() && erased.email.is_none() && erased.notes.is_empty() && erased.do_not_contact);
    // Nowhere in the file any more, the audit log's before and after values included.
    let everything = every_text_in(&k.store);
    for gone in ["Allergic to penicillin", "+371 2999 0000", before.phone.as_str()] {
        assert!(!everything.contains(gone), "“{gone}” is still in the file");
    }
    let about_them: Vec<String> = rows_of(
        &k.store,
        "SELECT changes, detail FROM audit_log WHERE patient_id = ?1 OR entity_id = ?1",
        &[&k.patient],
    )
    .iter()
    .map(|r| format!("{}{}", r.get::<String>(0).unwrap(), r.get::<String>(1).unwrap()))
    .collect();
    assert!(!about_them.join("\n").contains(&before.family_name));
    let last = k
        .store
        .audit_log(Actor::User, &AuditLogQuery { patient: Some(k.patient), limit: 1, ..Default::default() })
        .unwrap();
    assert_eq!(last[0].action, "erase");
    assert!(last[0].erased);
}

/// Every text value of every table, one per line.
fn every_text_in(store: &Store) -> String {
    store
        .read_db(|db| {
            let tables = db.per_engine(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()",
            );
            let mut out = String::new();
            for table in db.query(tables, &[])? {
                let table: String = table.get(0)?;
                for row in db.query_named(&format!("SELECT * FROM \"{table}\""), &[])?.1 {
                    for value in row.values() {
                        if let crate::db::Value::Text(text) = value {
                            out.push_str(text);
                            out.push('\n');
                        }
                    }
                }
            }
            Ok(out)
        })
        .unwrap()
}

#[test]
fn a_clinician_sees_the_patients_booked_with_them_and_the_clinicians_duties() {
    let k = clinic();
    let admin = member(&k, Role::Admin);
    k.store.set_staff_pin(Actor::User, admin, Some("9999")).unwrap();
    // The provider with the fewest patients, a clinician on the staff, signs in.
    let sql = "SELECT staff_id, id FROM providers pr WHERE staff_id IS NOT NULL
               ORDER BY (SELECT count(DISTINCT patient_id) FROM appointments a WHERE a.provider_id = pr.id), name
               LIMIT 1";
    let found = &rows_of(&k.store, sql, &[])[0];
    let (clinician, provider): (Uuid, Uuid) = (found.get(0).unwrap(), found.get(1).unwrap());
    k.store.set_staff_pin(Actor::User, clinician, Some("1357")).unwrap();
    let all = k.store.patients_page("", 0, 1000).unwrap().total;
    let booked_with = |yes: bool| {
        format!(
            "patients p WHERE {} EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id AND a.provider_id = '{provider}')",
            if yes { "" } else { "NOT" }
        )
    };
    let theirs = count(&k.store, &booked_with(true));
    assert!(0 < theirs && theirs < all as i64, "{theirs} of {all}");

    k.store.sign_in(clinician, "1357").unwrap();
    let page = k.store.patients_page("", 0, 1000).unwrap();
    assert_eq!(page.total as i64, theirs);
    let stranger: Uuid =
        rows_of(&k.store, &format!("SELECT id FROM {} LIMIT 1", booked_with(false)), &[])[0].get(0).unwrap();
    let refused = k.store.open_patient_record(Actor::User, stranger).unwrap_err();
    assert_eq!(refused.refusal(), Some(&Refusal::NotYourPatient));
    k.store.open_patient_record(Actor::User, page.items[0].patient.id).unwrap();
    let calls = crate::domain::tasks::CallListQuery {
        date: "2026-11-24".parse().unwrap(),
        kind: None,
        role: None,
        assignee_id: None,
        upcoming_days: None,
    };
    let list = k.store.call_list(&calls).unwrap();
    assert!(!list.rows.is_empty());
    assert!(list.rows.iter().all(|r| r.role == Role::Clinician), "a clinician's list holds the clinicians' duties");

    // The administrator sees everyone.
    k.store.sign_in(admin, "9999").unwrap();
    assert_eq!(k.store.patients_page("", 0, 1000).unwrap().total, all);
}

#[test]
fn a_members_new_role_counts_at_once_and_an_inactive_member_is_signed_out() {
    let k = clinic();
    let admin = member(&k, Role::Admin);
    let desk = member(&k, Role::FrontDesk);
    k.store.set_staff_pin(Actor::User, admin, Some("9999")).unwrap();
    k.store.set_staff_pin(Actor::User, desk, Some("1357")).unwrap();
    // Another desk (another store on the same data would do the same) signs the front desk in;
    // here one store: the administrator's changes are made between the member's requests.
    k.store.sign_in(desk, "1357").unwrap();
    assert!(is_role_refusal(&k.store.add_kano_feature(Actor::User, "Parking").map(|_| ())));
    script(&k.store, "UPDATE staff SET role = 'admin' WHERE id = ?1", &[&desk]);
    k.store.add_kano_feature(Actor::User, "Parking").unwrap();
    assert_eq!(k.store.sign_in_state().unwrap().signed_in.map(|m| m.role), Some(Role::Admin));
    script(&k.store, "UPDATE staff SET active = 0 WHERE id = ?1", &[&desk]);
    let refused = k.store.get_patient(k.patient).unwrap_err();
    assert_eq!(refused.refusal(), Some(&Refusal::SignInNeeded));
    assert!(k.store.signed_in().is_none());
}
