//! The store planning tasks as bookings change, and the call list's outcomes.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::Duration;
use uuid::Uuid;

use super::tests::{booking_setup, count, now, patient, provider, room, rows_of, store};
use super::{Actor, OutcomeRequest, PlanSummary, Store};
use crate::domain::appointment::{AppointmentStatus, BookingRequest, RescheduleRequest};
use crate::domain::tasks::{CallListQuery, CallListRow, CallSection, TaskOutcome, TaskStatus};

fn clinic() -> (Store, Arc<AtomicI64>) {
    let offset = Arc::new(AtomicI64::new(0));
    let clock = offset.clone();
    let store = store().with_clock(move || now() + Duration::minutes(clock.load(Ordering::SeqCst)));
    (store, offset)
}

/// (reason, status, due in the clinic's zone, attempts) of an appointment's tasks.
fn tasks_of(store: &Store, appointment: Uuid) -> Vec<(String, String, String, u32)> {
    let calendar = store.calendar().unwrap();
    rows_of(
        store,
        "SELECT r.name, t.status, t.due_at, t.attempts FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id
         WHERE t.appointment_id = ?1 ORDER BY t.due_at, r.name",
        &[&appointment],
    )
    .iter()
    .map(|r| (r.get(0).unwrap(), r.get(1).unwrap(), calendar.to_local_text(r.get(2).unwrap()), r.get(3).unwrap()))
    .collect()
}

fn row(name: &str, status: &str, due: &str, attempts: u32) -> (String, String, String, u32) {
    (name.into(), status.into(), due.into(), attempts)
}

fn task_named(store: &Store, appointment: Uuid, name: &str) -> Uuid {
    rows_of(
        store,
        "SELECT t.id FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id WHERE t.appointment_id = ?1 AND r.name = ?2",
        &[&appointment, &name],
    )[0]
    .get(0)
    .unwrap()
}

fn snapshot(store: &Store) -> Vec<(String, String, i64, String, u32)> {
    rows_of(store, "SELECT id, status, due_at, kind, attempts FROM tasks ORDER BY id", &[])
        .iter()
        .map(|r| (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap(), r.get(3).unwrap(), r.get(4).unwrap()))
        .collect()
}

#[test]
fn booking_plans_the_visits_tasks_and_planning_again_changes_nothing() {
    let (store, _) = clinic();
    let (request, _) = booking_setup(&store); // Tue 1 Dec 10:00, first consultation, booked Tue 24 Nov 10:00
    let a = store.book_appointment(Actor::User, &request).unwrap();
    assert_eq!(
        tasks_of(&store, a.id),
        [
            row("Send intake forms", "open", "Tue 24 Nov 2026 10:30", 0),
            row("Confirmation call", "open", "Fri 27 Nov 2026 10:00", 0),
            row("Reminder", "open", "Mon 30 Nov 2026 10:00", 0),
            row("Prepare the chart", "open", "Mon 30 Nov 2026 15:00", 0),
        ]
    );
    let before = snapshot(&store);
    let again = store.plan_all_tasks(Actor::User).unwrap();
    assert_eq!((again.created, again.moved, again.cancelled, again.unchanged), (0, 0, 0, 4));
    assert_eq!(snapshot(&store), before, "planning twice gives the same rows");
}

#[test]
fn rescheduling_moves_due_times_and_cancelling_closes_what_is_no_longer_needed() {
    let (store, _) = clinic();
    let (request, provider) = booking_setup(&store);
    let a = store.book_appointment(Actor::User, &request).unwrap();
    let moving = RescheduleRequest {
        appointment_id: a.id,
        provider_id: provider,
        room_id: request.room_id,
        date: "2026-12-03".parse().unwrap(),
        start_time: "11:00".into(),
    };
    store.reschedule_appointment(Actor::User, &moving).unwrap();
    let tasks = tasks_of(&store, a.id);
    assert!(tasks.contains(&row("Confirmation call", "open", "Tue 01 Dec 2026 11:00", 0)), "{tasks:?}");
    assert!(tasks.contains(&row("Reminder", "open", "Wed 02 Dec 2026 10:00", 0)), "{tasks:?}");

    store.cancel_appointment(Actor::User, a.id, "Patient is ill").unwrap();
    assert!(tasks_of(&store, a.id).iter().all(|t| t.1 == "cancelled"), "{:?}", tasks_of(&store, a.id));
}

#[test]
fn a_no_show_brings_the_rebook_call_the_next_working_morning() {
    let (store, minutes) = clinic();
    let (mut request, _) = booking_setup(&store);
    request.date = "2026-11-27".parse().unwrap(); // Friday
    request.start_time = "15:00".into();
    let a = store.book_appointment(Actor::User, &request).unwrap();
    minutes.store(3 * 24 * 60 + 60 * 5 + 20, Ordering::SeqCst); // Friday 15:20
    store.mark_no_show(Actor::User, a.id).unwrap();
    let tasks = tasks_of(&store, a.id);
    assert!(tasks.contains(&row("Rebook after a no-show", "open", "Mon 30 Nov 2026 09:00", 0)), "{tasks:?}");
    assert!(tasks.iter().filter(|t| t.0 != "Rebook after a no-show").all(|t| t.1 != "open"), "{tasks:?}");
}

#[test]
fn no_answer_twice_then_confirmed_confirms_the_visit() {
    let (store, minutes) = clinic();
    let (request, _) = booking_setup(&store);
    let a = store.book_appointment(Actor::User, &request).unwrap();
    let call = task_named(&store, a.id, "Confirmation call");
    minutes.store(3 * 24 * 60 + 5, Ordering::SeqCst); // Fri 27 Nov 10:05
    let outcome = |o: TaskOutcome| {
        store.record_task_outcome(Actor::User, &OutcomeRequest { task_id: call, outcome: o, note: String::new() })
    };

    let first = outcome(TaskOutcome::NoAnswer).unwrap();
    assert_eq!((first.task.status, first.task.attempts), (TaskStatus::Open, 1));
    let calendar = store.calendar().unwrap();
    assert_eq!(calendar.to_local_text(first.task.due_at), "Fri 27 Nov 2026 12:05");
    minutes.store(3 * 24 * 60 + 125, Ordering::SeqCst);
    outcome(TaskOutcome::NoAnswer).unwrap();
    minutes.store(3 * 24 * 60 + 245, Ordering::SeqCst);
    let done = outcome(TaskOutcome::Confirmed).unwrap();
    assert_eq!((done.task.status, done.task.attempts), (TaskStatus::Done, 3));
    assert_eq!(done.appointment.status, AppointmentStatus::Confirmed);
    assert_eq!(count(&store, "task_attempts"), 3);
    // The confirmation stage is done in the journey, logged once.
    assert_eq!(
        count(&store, "stage_events e JOIN template_stages s ON s.id = e.stage_id WHERE s.key = 'confirmation'"),
        1
    );

    // A closed task refuses another outcome and nothing is written.
    let err = outcome(TaskOutcome::NoAnswer).unwrap_err();
    assert!(err.to_string().contains("already closed"), "{err}");
    assert_eq!(count(&store, "task_attempts"), 3);
}

#[test]
fn calls_due_at_the_same_time_are_listed_by_family_name_each_with_its_own_visit() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let room = room(&store, "Room 2");
    let second = provider(&store, "Dr Berzins", Some(room.id));
    let zane = patient(&store, "Zane", "Abele", "+371 2000 0009");
    let anna = store.book_appointment(Actor::User, &request).unwrap();
    let request = BookingRequest { patient_id: zane.id, provider_id: second.id, room_id: room.id, ..request };
    let zane_visit = store.book_appointment(Actor::User, &request).unwrap();
    let query = CallListQuery {
        date: "2026-11-30".parse().unwrap(),
        kind: None,
        role: None,
        assignee_id: None,
        upcoming_days: None,
    };
    let list = store.call_list(&query).unwrap();
    let rows: Vec<(&str, &str, &str, Uuid)> =
        list.rows.iter().map(|r| (&*r.reason, &*r.patient_name, &*r.provider_name, r.appointment_id)).collect();
    // Both visits start together, so each rule's tasks fall due together: Abele before Petrova.
    assert!(rows.len() >= 4 && rows.len().is_multiple_of(2), "{rows:?}");
    for pair in rows.chunks(2) {
        assert_eq!(pair[0].0, pair[1].0, "{rows:?}");
        assert_eq!(
            (pair[0].1, pair[0].2, pair[0].3, pair[1].1, pair[1].2, pair[1].3),
            ("Zane Abele", "Dr Berzins", zane_visit.id, "Anna Petrova", "Dr Ivanova", anna.id)
        );
    }
}

#[test]
fn the_call_list_splits_overdue_today_and_upcoming_and_filters_by_kind() {
    let (store, minutes) = clinic();
    let (request, _) = booking_setup(&store);
    let a = store.book_appointment(Actor::User, &request).unwrap();
    minutes.store(4 * 24 * 60, Ordering::SeqCst); // Sat 28 Nov 10:00: the confirmation call is overdue
    let query = |kind| CallListQuery {
        date: "2026-11-30".parse().unwrap(),
        kind,
        role: None,
        assignee_id: None,
        upcoming_days: None,
    };
    let list = store.call_list(&query(None)).unwrap();
    let sections: Vec<(&str, CallSection)> = list.rows.iter().map(|r| (&*r.reason, r.section)).collect();
    assert_eq!(
        sections,
        [
            ("Send intake forms", CallSection::Overdue),
            ("Confirmation call", CallSection::Overdue),
            ("Reminder", CallSection::Today),
            ("Prepare the chart", CallSection::Today),
        ]
    );
    assert_eq!((list.overdue, list.today, list.upcoming), (2, 2, 0));
    assert_eq!(&*list.rows[1].patient_name, "Anna Petrova");
    assert_eq!(list.rows[1].appointment_id, a.id);
    let duties = store.call_list(&query(Some(crate::domain::reminders::TaskKind::Duty))).unwrap();
    assert_eq!(duties.rows.len(), 1);
}

#[test]
fn a_full_plan_looks_again_only_at_what_changed_since_the_last_one() {
    let (store, minutes) = clinic();
    let (request, _) = booking_setup(&store); // Tue 1 Dec 10:00, booked Tue 24 Nov 10:00
    let a = store.book_appointment(Actor::User, &request).unwrap();
    // (Times are whole seconds, and a change in the same second as a plan counts as after it:
    // the clock moves on between the steps.)
    minutes.store(1, Ordering::SeqCst);
    assert_eq!(store.plan_all_tasks(Actor::User).unwrap().appointments, 1, "the first full plan looks at all");
    minutes.store(2, Ordering::SeqCst);
    assert_eq!(
        store.plan_all_tasks(Actor::User).unwrap(),
        PlanSummary::default(),
        "nothing changed: nothing to look at"
    );

    // Another program marks the patient "do not contact": no write of this store re-planned
    // them, but the row's updated_at tells the next full plan to look.
    minutes.store(10, Ordering::SeqCst);
    super::tests::script(
        &store,
        "UPDATE patients SET do_not_contact = 1, consent_reminders = 0, updated_at = ?2 WHERE id = ?1",
        &[&request.patient_id, &(now() + Duration::minutes(10))],
    );
    let seen = store.plan_all_tasks(Actor::User).unwrap();
    assert_eq!(seen.appointments, 1);
    assert!(seen.cancelled > 0, "{seen:?}");

    // The clinic's calendar (or any rule) changing makes the next full plan look at everyone.
    minutes.store(20, Ordering::SeqCst);
    let mut settings = store.get_settings().unwrap();
    settings.quiet_hours = Some(crate::domain::clinic::MinuteRange { start: 21 * 60, end: 8 * 60 });
    store.save_settings(Actor::User, &settings).unwrap();
    assert_eq!(store.plan_all_tasks(Actor::User).unwrap().appointments, 1);
    minutes.store(21, Ordering::SeqCst);
    assert_eq!(store.plan_all_tasks(Actor::User).unwrap().appointments, 0);

    // Time alone: once the visit has begun, its open duties that expire then are closed by the
    // next full plan, though no row changed.
    let open_before = tasks_of(&store, a.id).iter().filter(|t| t.1 == "open").count();
    minutes.store(7 * 24 * 60 + 60, Ordering::SeqCst); // Tue 1 Dec 11:30
    let later = store.plan_all_tasks(Actor::User).unwrap();
    let open_after = tasks_of(&store, a.id).iter().filter(|t| t.1 == "open").count();
    assert!(open_after < open_before, "{later:?}: {open_before} → {open_after}");
    assert_eq!(later.cancelled as usize, open_before - open_after, "{later:?}");
}

#[test]
fn the_call_list_keeps_its_visits_between_reads_and_forgets_what_writes_change() {
    use crate::domain::patient::PatientInput;
    use crate::domain::resources::ProviderInput;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    let store = Store::open(&path).unwrap().with_clock(now);
    let mut settings = store.get_settings().unwrap();
    settings.time_zone = "Europe/Riga".into();
    store.save_settings(Actor::User, &settings).unwrap();
    let (request, provider_id) = booking_setup(&store);
    let visit = store.book_appointment(Actor::User, &request).unwrap();
    let query =
        CallListQuery { date: now().date_naive(), kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
    // What the list says of the visit: (patient, phone, provider, visit start).
    let seen = || {
        let list = store.call_list(&query).unwrap();
        let row = list.rows.iter().find(|r| r.appointment_id == visit.id).expect("the visit's tasks are listed");
        (row.patient_name.to_string(), row.phone.to_string(), row.provider_name.to_string(), row.appointment_start)
    };
    let first = seen();
    assert_eq!(
        (first.0.as_str(), first.1.as_str(), first.2.as_str()),
        ("Anna Petrova", "+371 2612 3456", "Dr Ivanova")
    );
    assert_eq!(store.call_list_cache.len(), 1, "the visit is kept for the next read");

    // The patient's new phone, the visit's new time and the provider's new name show at once.
    let anna = store.get_patient(request.patient_id).unwrap();
    let input = PatientInput {
        given_name: anna.given_name.clone(),
        family_name: anna.family_name.clone(),
        phone: "+371 2999 0000".into(),
        consent_reminders: true,
        ..Default::default()
    };
    store.update_patient(Actor::User, anna.id, &input).unwrap();
    assert_eq!(seen().1, "+371 2999 0000");
    let moved = RescheduleRequest {
        appointment_id: visit.id,
        provider_id,
        room_id: request.room_id,
        date: request.date,
        start_time: "11:00".into(),
    };
    let moved = store.reschedule_appointment(Actor::User, &moved).unwrap();
    assert_eq!(seen().3, moved.starts_at);
    let renamed = ProviderInput {
        name: "Dr Elena Ivanova".into(),
        specialty: "GP".into(),
        home_room_id: None,
        active: true,
        availability: vec![],
    };
    store.update_provider(Actor::User, provider_id, &renamed).unwrap();
    assert_eq!(seen().2, "Dr Elena Ivanova");

    // Another process's change is forgotten once the store notices it (the app looks every second).
    assert!(!store.other_process_committed().unwrap(), "the first look only takes note");
    let other = Store::open(&path).unwrap().with_clock(now);
    let input = PatientInput { phone: "+371 2888 1111".into(), ..input };
    other.update_patient(Actor::CommandLine, anna.id, &input).unwrap();
    assert!(store.other_process_committed().unwrap());
    assert_eq!(seen().1, "+371 2888 1111");
    assert!(!store.other_process_committed().unwrap(), "nothing new since");
}

#[test]
fn the_call_list_keeps_its_open_tasks_until_a_commit_and_leaves_out_what_expires_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    let clock = Arc::new(AtomicI64::new(now().timestamp()));
    let ticking = clock.clone();
    let store = Store::open(&path).unwrap().with_clock(move || super::from_ts(ticking.load(Ordering::SeqCst)).unwrap());
    let mut settings = store.get_settings().unwrap();
    settings.time_zone = "Europe/Riga".into();
    store.save_settings(Actor::User, &settings).unwrap();
    let (request, _) = booking_setup(&store);
    let visit = store.book_appointment(Actor::User, &request).unwrap();
    let query =
        CallListQuery { date: now().date_naive(), kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
    let listed = || store.call_list(&query).unwrap().rows;
    let first = listed();
    let row = first.iter().find(|r| r.appointment_id == visit.id).expect("the visit's tasks are listed").clone();

    // Kept: a change the store has not noticed yet (another program's) does not show...
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute("UPDATE tasks SET note = 'Called from the other desk' WHERE id = ?1", [row.task_id.to_string()])
        .unwrap();
    let noted = |rows: &[CallListRow]| rows.iter().find(|r| r.task_id == row.task_id).map(|r| r.note.clone());
    assert_eq!(noted(&listed()), Some(String::new()), "read from what the last list kept");
    // ...until it does; and any commit of this store's own is read afresh.
    assert!(!store.other_process_committed().unwrap(), "the first look only takes note");
    other.execute("UPDATE tasks SET note = 'Called twice' WHERE id = ?1", [row.task_id.to_string()]).unwrap();
    assert!(store.other_process_committed().unwrap());
    assert_eq!(noted(&listed()), Some("Called twice".into()));
    let request = OutcomeRequest { task_id: row.task_id, outcome: TaskOutcome::NoAnswer, note: "Voicemail".into() };
    store.record_task_outcome(Actor::User, &request).unwrap();
    let after = listed();
    // Its one attempt used, the task failed: the list read after the commit leaves it out.
    assert_eq!(store.get_task(row.task_id).unwrap().status, TaskStatus::Failed);
    assert!(after.iter().all(|r| r.task_id != row.task_id));

    // A kept task that expires as time passes, with nothing committed, is left out.
    let expiring = after
        .iter()
        .filter_map(|r| store.get_task(r.task_id).unwrap().expires_at.map(|at| (r.task_id, at)))
        .min_by_key(|(_, at)| *at)
        .expect("a task that expires");
    clock.store(expiring.1.timestamp() + 1, Ordering::SeqCst);
    assert!(listed().iter().all(|r| r.task_id != expiring.0), "expired at {}", expiring.1);
}
