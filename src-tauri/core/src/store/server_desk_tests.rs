//! The store's writes on the clinic server: the same unit of work as on the file (booking,
//! journey, tasks, audit, day figures), desks taking turns, and the other desks told.

use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use uuid::Uuid;

use super::tests::{booking_setup, now, patient, store};
use super::{Actor, Change, ChangeSource, Entity, Store};
use crate::db::{Db, DbRow};
use crate::domain::appointment::{Appointment, BookingRequest};
use crate::domain::tasks::{CallList, CallListQuery};
use crate::error::Refusal;
use crate::server::live::ChangeFeed;
use crate::server::throwaway::cluster;
use crate::server::ServerAddress;

/// A clinic with a room, a provider and two patients on this desk's file, moved onto a new
/// server database; the booking request for the first patient.
fn moved_clinic() -> (Store, ServerAddress, BookingRequest) {
    let desk = store();
    let (request, _) = booking_setup(&desk);
    patient(&desk, "Ivan", "Sidorov", "+371 2900 0000");
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    (desk, address, request)
}

pub(super) fn rows(store: &Store, sql: &str) -> Vec<DbRow> {
    store.read_db(|db: &Db| db.query(sql, &[])).unwrap()
}

/// The call list with the new visit's ids (which each engine made for itself) left out,
/// in a fixed order.
fn without_ids_of(list: CallList, visit: Uuid) -> Vec<String> {
    let mut rows: Vec<String> = list
        .rows
        .into_iter()
        .map(|mut row| {
            if row.appointment_id == visit {
                row.appointment_id = Uuid::nil();
                row.task_id = Uuid::nil();
            }
            format!("{row:?}")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_booking_on_the_server_is_the_same_write_as_on_the_file() {
    let (desk, address, request) = moved_clinic();
    let server = Store::open_server(&address, "reception").unwrap().with_clock(now);
    assert!(!server.is_file());

    let on_file = desk.book_appointment(Actor::User, &request).unwrap();
    let on_server = server.book_appointment(Actor::User, &request).unwrap();
    assert_ne!(on_server.id, on_file.id, "each made its own id");
    assert_eq!(Appointment { id: on_file.id, ..on_server.clone() }, on_file);
    assert_eq!(server.get_appointment(on_server.id).unwrap(), on_server);

    // The same tasks planned, so the same call list (the new visit's ids aside).
    let query =
        CallListQuery { date: request.date, kind: None, role: None, assignee_id: None, upcoming_days: Some(14) };
    let file_list = without_ids_of(desk.call_list(&query).unwrap(), on_file.id);
    assert!(file_list.iter().any(|row| row.contains(&Uuid::nil().to_string())), "the booking made tasks");
    assert_eq!(without_ids_of(server.call_list(&query).unwrap(), on_server.id), file_list);

    // The journey started, its booking stage done; the day's figures counted again alike.
    let journeys = "SELECT patient_id, service_type_id, template_id, current_stage_id, started_at
                    FROM patient_journeys ORDER BY patient_id";
    assert_eq!(rows(&server, journeys), rows(&desk, journeys));
    assert_eq!(rows(&server, journeys).len(), 1);
    for figures in [
        "SELECT * FROM day_visits ORDER BY day, provider_id, service_type_id",
        "SELECT * FROM day_stage_passes ORDER BY family_key, day, provider_id, service_type_id, stage_key, minutes",
    ] {
        assert_eq!(rows(&server, figures), rows(&desk, figures), "{figures}");
    }
    assert_eq!(rows(&server, "SELECT * FROM day_visits").len(), 1, "the booked day");
    assert!(rows(&server, "SELECT at FROM figures_dirty").is_empty(), "nothing left to count");

    // Audited as on the file: who, what, and the row's values.
    let audit = "SELECT actor, entity, action, detail FROM audit_log
                 WHERE entity IN ('appointments', 'patient_journeys') ORDER BY entity";
    assert_eq!(rows(&server, audit), rows(&desk, audit));
    let changes = rows(&server, "SELECT changes FROM audit_log WHERE action = 'book'");
    assert!(changes[0].get::<String>(0).unwrap().contains(&on_server.starts_at.timestamp().to_string()));
}

#[test]
fn two_desks_booking_one_slot_at_once_one_wins_and_the_other_is_told_why() {
    let (desk, address, request) = moved_clinic();
    let ivan = desk.list_patients("Sidorov", 1).unwrap().items[0].patient.id;
    let reception = Store::open_server(&address, "reception").unwrap().with_clock(now);
    let room = Store::open_server(&address, "room-1").unwrap().with_clock(now);

    for round in 0..3 {
        let start_time = format!("{:02}:00", 10 + 2 * round);
        let for_anna = BookingRequest { start_time: start_time.clone(), ..request.clone() };
        let for_ivan = BookingRequest { patient_id: ivan, ..for_anna.clone() };
        let together = Barrier::new(2);
        let (first, second) = std::thread::scope(|s| {
            let first = s.spawn(|| {
                together.wait();
                reception.book_appointment(Actor::User, &for_anna)
            });
            let second = s.spawn(|| {
                together.wait();
                room.book_appointment(Actor::User, &for_ivan)
            });
            (first.join().unwrap(), second.join().unwrap())
        });
        let refused = match (first, second) {
            (Ok(_), Err(refused)) | (Err(refused), Ok(_)) => refused,
            other => panic!("round {round}: exactly one wins, not {other:?}"),
        };
        // The later write saw the earlier one: the provider is busy with the winner's patient.
        assert!(matches!(refused.refusal(), Some(Refusal::ProviderBusy { .. })), "{refused}");
        let booked = reception.appointments_on(request.date).unwrap();
        assert_eq!(booked.iter().filter(|a| a.start_time == start_time).count(), 1, "round {round}");
    }
}

#[test]
fn a_write_on_one_desk_reaches_its_own_screens_the_other_desks_and_its_own_command_line() {
    let (_desk, address, request) = moved_clinic();
    let reception = Store::open_server(&address, "reception").unwrap().with_clock(now);
    let told: Arc<Mutex<Vec<Change>>> = Arc::default();
    let heard = told.clone();
    reception.on_change(move |change| heard.lock().unwrap().push(change.clone()));
    let mut room = ChangeFeed::listen(&address, "room-1").unwrap();
    let mut own = reception.listen_to_other_desks().unwrap().expect("a server desk listens");
    // The command line on the same PC works as the same desk role, and is another store.
    let command_line = Store::open_server(&address, "reception").unwrap();
    let mut same_role = command_line.listen_to_other_desks().unwrap().expect("a server desk listens");

    reception.book_appointment(Actor::User, &request).unwrap();
    let change = told.lock().unwrap().pop().expect("its own screens told");
    assert_eq!(change.source, ChangeSource::User);
    for entity in [Entity::Appointments, Entity::PatientJourneys, Entity::Tasks] {
        assert!(change.entities.contains(&entity), "{entity:?} in {change:?}");
    }
    let other = room.next(Duration::from_secs(2)).unwrap().expect("heard on the other desk within a second or two");
    assert_eq!(other, Change { entities: change.entities.clone(), source: ChangeSource::OtherDesk });
    assert_eq!(own.next(Duration::from_millis(300)).unwrap(), None, "a store's own notice is not news to it");
    assert_eq!(same_role.next(Duration::from_secs(2)).unwrap().map(|c| c.entities), Some(change.entities.clone()));

    // A refused write tells nobody.
    reception.book_appointment(Actor::User, &request).unwrap_err();
    assert!(told.lock().unwrap().is_empty());
    assert_eq!(room.next(Duration::from_millis(300)).unwrap(), None);
}

#[test]
fn a_server_without_a_clinic_is_refused_and_the_file_only_parts_say_so() {
    let address = cluster().new_database();
    let refused = Store::open_server(&address, "reception").err().expect("no clinic there");
    assert!(matches!(refused.refusal(), Some(Refusal::NoClinicOnServer { .. })), "{refused}");

    let (_desk, address, _) = moved_clinic();
    let server = Store::open_server(&address, "reception").unwrap();
    // What only a desk's file has answers with an error on the server, never with another
    // clinic's data, before anything is written: a copy of the file, a restore from one.
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite3");
    let error = server.backup_to_file(&copy).unwrap_err();
    assert_eq!(error.refusal(), Some(&Refusal::NotOnServerYet), "{error}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0, "nothing written");
    std::fs::write(&copy, b"not a backup").unwrap();
    let error = server.preview_backup_with(&copy, None).unwrap_err();
    assert_eq!(error.refusal(), Some(&Refusal::NotOnServerYet), "{error}");
}

#[test]
fn the_flow_board_its_moves_and_the_timelines_are_the_same_on_both_engines() {
    use crate::demo::{load_demo, DemoOptions};
    use crate::domain::flow::FlowBoard;
    use chrono::TimeZone;

    // A working morning: the demo's day has patients waiting, in with the clinician, done.
    let zone: chrono_tz::Tz = "Europe/Riga".parse().unwrap();
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let day =
        (0..7).map(|n| today + chrono::Days::new(n)).find(|d| chrono::Datelike::weekday(d).number_from_monday() <= 5);
    let at =
        zone.from_local_datetime(&day.unwrap().and_hms_opt(11, 0, 0).unwrap()).unwrap().with_timezone(&chrono::Utc);
    let desk = Store::open_in_memory().unwrap().with_clock(move || at);
    load_demo(&desk, &DemoOptions { patients: 60, days: 7, seed: 4 }).unwrap();
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let server = Store::open_server(&address, "reception").unwrap().with_clock(move || at);

    let board = desk.flow_board().unwrap();
    assert!(board.cards.len() > 3, "{} cards", board.cards.len());
    assert_eq!(server.flow_board().unwrap(), board);

    // The schedule, the slot finder and the clinic's lists read alike.
    use crate::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
    use crate::domain::slots::SlotQuery;
    let week =
        ScheduleQuery { date: board.date, span: ScheduleSpan::Week, by: ScheduleBy::Provider, resource_id: None };
    assert!(!desk.schedule_view(&week).unwrap().entries.is_empty());
    assert_eq!(server.schedule_view(&week).unwrap(), desk.schedule_view(&week).unwrap());
    let service = desk.list_service_types().unwrap()[0].id;
    let slots = SlotQuery {
        service_type_id: service,
        provider_id: None,
        patient_id: None,
        part_of_day: None,
        from_date: None,
        to_date: None,
        after: None,
        count: 40,
    };
    assert_eq!(desk.find_slots(&slots).unwrap().len(), 40);
    assert_eq!(server.find_slots(&slots).unwrap(), desk.find_slots(&slots).unwrap());
    assert_eq!(server.list_staff().unwrap(), desk.list_staff().unwrap());
    assert_eq!(server.list_providers().unwrap(), desk.list_providers().unwrap());
    assert_eq!(server.list_current_templates().unwrap(), desk.list_current_templates().unwrap());
    let setup = desk.setup_data().unwrap();
    assert!(setup.journeys.len() >= 3 && !setup.staff.is_empty());
    assert_eq!(server.setup_data().unwrap(), setup);
    assert_eq!(server.list_journeys().unwrap(), desk.list_journeys().unwrap());
    let overview = server.overview().unwrap();
    assert_eq!(overview.clinic_server, Some(address.to_string()));
    assert_eq!((overview.settings, overview.today), (desk.overview().unwrap().settings, board.date));

    // The same moves on each, one card after another: the boards stay the same.
    let movable = |board: &FlowBoard| {
        board
            .cards
            .iter()
            .filter_map(|c| c.next_column.map(|to| (c.appointment_id, c.journey_id, to)))
            .collect::<Vec<_>>()
    };
    let moves = movable(&board);
    assert!(moves.len() >= 2, "the demo's morning has patients to move on");
    for (appointment, journey, to) in moves.into_iter().take(4) {
        let on_file = desk.move_on_flow_board(Actor::User, appointment, to).unwrap();
        assert_eq!(server.move_on_flow_board(Actor::User, appointment, to).unwrap(), on_file, "{to:?}");
        assert_eq!(server.journey_timeline(journey).unwrap(), desk.journey_timeline(journey).unwrap());
        let patient = on_file.cards.iter().find(|c| c.appointment_id == appointment).map(|c| c.patient_id);
        if let Some(patient) = patient {
            assert_eq!(server.patient_journeys(patient).unwrap(), desk.patient_journeys(patient).unwrap());
        }
    }
    // Closing today with visits still to come, and opening it again; the clinic's details saved.
    let today = crate::domain::clinic::ClosedDay::once(board.date, "Burst pipe");
    let closed = desk.add_closed_day(Actor::User, &today).unwrap();
    assert!(!closed.booked.is_empty(), "the morning's later visits are named");
    assert_eq!(server.add_closed_day(Actor::User, &today).unwrap(), closed);
    for store in [&desk, &server] {
        store.remove_closed_day(Actor::User, board.date).unwrap();
        let details =
            crate::domain::clinic::ClinicSettings { address: "2 River Street".into(), ..store.get_settings().unwrap() };
        store.save_clinic_details(Actor::User, &details).unwrap();
    }
    assert_eq!(server.get_settings().unwrap(), desk.get_settings().unwrap());
    assert_eq!(server.get_settings().unwrap().address, "2 River Street");
    let events =
        "SELECT journey_id, stage_id, kind, at, actor FROM stage_events ORDER BY journey_id, at, stage_id, kind";
    assert_eq!(rows(&server, events), rows(&desk, events));
}

#[test]
fn a_desk_cut_off_keeps_its_reads_says_since_when_and_pauses_changes_until_the_server_is_back() {
    let (_desk, owner, request) = moved_clinic();
    let link = crate::server::throwaway::Link::to_cluster();
    let through = link.address(&owner);
    let desk = Store::open_server(&through, "reception").unwrap().with_clock(now);
    let mut feed = desk.listen_to_other_desks().unwrap().expect("a server desk listens");
    let query =
        CallListQuery { date: request.date, kind: None, role: None, assignee_id: None, upcoming_days: Some(14) };
    // The administrator turns sign-in on at this desk (and is signed in with it).
    let admin = crate::domain::resources::StaffInput {
        name: "Ilze Admin".into(),
        role: crate::domain::resources::Role::Admin,
        active: true,
    };
    let admin = desk.create_staff(Actor::User, &admin).unwrap();
    desk.set_staff_pin(Actor::User, admin.id, Some("4821")).unwrap();
    // The front desk's screens, read once before the link goes.
    use crate::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
    let week =
        ScheduleQuery { date: request.date, span: ScheduleSpan::Week, by: ScheduleBy::Provider, resource_id: None };
    let before = desk.call_list(&query).unwrap();
    let screens = |desk: &Store| {
        format!(
            "{:?}",
            (
                desk.schedule_view(&week).unwrap(),
                desk.flow_board().unwrap(),
                desk.appointments_on(request.date).unwrap(),
                desk.overview().unwrap().settings,
                desk.sign_in_state().unwrap(),
                desk.list_providers().unwrap(),
                desk.list_service_types().unwrap(),
            )
        )
    };
    let screens_before = screens(&desk);
    let state = desk.server_link().unwrap();
    assert_eq!((state.server, state.cut_off_since, state.last_read), (through.to_string(), None, Some(now())));

    // The cable is pulled: the feed notices, the desk takes note; a change is refused at once,
    // saying since when, and nothing of it reaches the server.
    link.cut();
    assert_eq!(feed.next(Duration::from_secs(6)).unwrap(), None);
    let since = feed.cut_off_since().expect("the feed noticed");
    desk.note_cut_off(Some(since));
    let refused = desk.book_appointment(Actor::User, &request).unwrap_err();
    assert_eq!(refused.refusal(), Some(&Refusal::ServerCutOff { server: through.to_string(), since }), "{refused}");
    assert_eq!(desk.server_link().unwrap().cut_off_since, Some(since));
    let owner_store = Store::open_server(&owner, "back-office").unwrap();
    assert!(rows(&owner_store, "SELECT id FROM appointments").is_empty());
    // What the desk read stays readable (the call list, so its printed sheet too); a day it
    // never read says the server does not answer.
    assert_eq!(desk.call_list(&query).unwrap(), before);
    assert_eq!(screens(&desk), screens_before);
    let unread = CallListQuery { date: request.date + chrono::Days::new(30), ..query.clone() };
    let error = desk.call_list(&unread).unwrap_err();
    assert!(matches!(error.refusal(), Some(Refusal::ServerUnreachable { .. })), "{error}");
    // The desk still locks; locked, it shows no patient data it kept for who was signed in.
    desk.sign_out().unwrap();
    assert_eq!(desk.signed_in(), None);
    assert!(desk.call_list(&query).is_err());

    // Back: the feed says so, changes go through, and reads are as they were plus the change.
    link.restore();
    assert!(feed.next(Duration::from_secs(6)).unwrap().is_some(), "told to read everything again");
    desk.note_cut_off(feed.cut_off_since());
    assert_eq!(desk.server_link().unwrap().cut_off_since, None);
    desk.sign_in(admin.id, "4821").unwrap();
    assert_eq!(desk.call_list(&query).unwrap(), before, "read again on a new connection");
    let booked = desk.book_appointment(Actor::User, &request).unwrap();
    let after = desk.call_list(&query).unwrap();
    assert!(after.rows.len() > before.rows.len());
    assert!(after.rows.iter().any(|row| row.appointment_id == booked.id));
}

/// Three desks, each through a link of its own to a server of this test's own: two book one
/// slot at once, one is cut off mid-write, one loses the reply to its COMMIT, and the server
/// is stopped at once (`pg_ctl stop -m immediate`) and started again while a desk writes.
#[test]
fn three_desks_through_cuts_a_lost_reply_and_a_server_crash_keep_every_acknowledged_write_once() {
    use crate::server::throwaway::{separate_cluster, Link};
    let cluster = separate_cluster();
    let owner = cluster.new_database();
    let clinic = store();
    let (request, _) = booking_setup(&clinic);
    let people: Vec<Uuid> = (0..5)
        .map(|n| patient(&clinic, &format!("Patient{}", char::from(b'A' + n)), "Test", &format!("+371 2000 00{n}0")).id)
        .collect();
    clinic.move_to_server(Actor::CommandLine, &owner).unwrap();
    let links: Vec<Link> = (0..3).map(|_| Link::to(&cluster)).collect();
    let desks: Vec<Store> = links
        .iter()
        .enumerate()
        .map(|(n, link)| Store::open_server(&link.address(&owner), &format!("desk-{n}")).unwrap().with_clock(now))
        .collect();
    let at =
        |time: &str, patient: Uuid| BookingRequest { start_time: time.into(), patient_id: patient, ..request.clone() };
    let mut acknowledged = Vec::new();

    // Two desks, one slot, at once: exactly one wins.
    let together = Barrier::new(2);
    let (first, second) = std::thread::scope(|s| {
        let first = s.spawn(|| {
            together.wait();
            desks[0].book_appointment(Actor::User, &at("08:00", people[0]))
        });
        let second = s.spawn(|| {
            together.wait();
            desks[1].book_appointment(Actor::User, &at("08:00", people[1]))
        });
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_eq!(usize::from(first.is_ok()) + usize::from(second.is_ok()), 1, "{first:?} / {second:?}");
    acknowledged.extend(first.into_iter().chain(second).map(|a| a.id));

    // A desk cut off in the middle of its write, the cable back a moment later: done whole.
    links[2].cut_after(300);
    links[2].restore_after(Duration::from_millis(250));
    acknowledged.push(desks[2].book_appointment(Actor::User, &at("09:00", people[2])).unwrap().id);

    // The reply to a desk's COMMIT lost on its way: the desk is told it is done, and it is, once.
    let losing = links[0].clone();
    desks[0].before_next_commit(move || losing.drop_reply_to_next_send());
    acknowledged.push(desks[0].book_appointment(Actor::User, &at("10:00", people[3])).unwrap().id);

    // The server stopped at once and started again while a desk books one visit after another.
    let mut unacknowledged = 0;
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            ["11:00", "11:40", "12:20", "13:00", "13:40", "14:20", "15:00", "15:40"]
                .into_iter()
                .map(|time| {
                    let result = desks[1].book_appointment(Actor::User, &at(time, people[4]));
                    std::thread::sleep(Duration::from_millis(120));
                    result
                })
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(300));
        cluster.stop_now();
        std::thread::sleep(Duration::from_millis(400));
        cluster.restart();
        for result in writer.join().unwrap() {
            match result {
                Ok(booked) => acknowledged.push(booked.id),
                Err(e) => {
                    assert!(matches!(e.refusal(), Some(Refusal::ServerUnreachable { .. })), "{e}");
                    unacknowledged += 1;
                }
            }
        }
    });
    assert!(acknowledged.len() >= 6, "most writes went through: {acknowledged:?}");

    // Every acknowledged write is there once; nothing is half there; nothing is there twice.
    let after = Store::open_server(&owner, "back-office").unwrap().with_clock(now);
    let visits: Vec<Uuid> = after.appointments_on(request.date).unwrap().iter().map(|v| v.appointment.id).collect();
    for id in &acknowledged {
        assert_eq!(visits.iter().filter(|v| *v == id).count(), 1, "{id} once");
    }
    assert!(visits.len() <= acknowledged.len() + unacknowledged, "{} visits", visits.len());
    let half =
        "SELECT a.id FROM appointments a LEFT JOIN patient_journeys j ON j.appointment_id = a.id WHERE j.id IS NULL
                UNION ALL SELECT entity_id FROM audit_log WHERE action = 'book' GROUP BY entity_id HAVING count(*) > 1";
    assert!(rows(&after, half).is_empty(), "every visit with its journey, each booked once");
    let booked = "SELECT count(*) FROM audit_log WHERE action = 'book'";
    assert_eq!(rows(&after, booked)[0].get::<i64>(0).unwrap(), visits.len() as i64);
    let written = "SELECT count(*) FROM applied_writes";
    assert!(rows(&after, written)[0].get::<i64>(0).unwrap() >= acknowledged.len() as i64);

    // And every desk shows the same call list.
    let query =
        CallListQuery { date: request.date, kind: None, role: None, assignee_id: None, upcoming_days: Some(14) };
    let list = after.call_list(&query).unwrap();
    assert!(!list.rows.is_empty());
    for desk in &desks {
        assert_eq!(desk.call_list(&query).unwrap(), list);
    }
}
