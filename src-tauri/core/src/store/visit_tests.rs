//! The store running a clinic day: rescheduling, cancelling with waitlist offers, no-shows,
//! recurring series, the slot finder, the flow board and journey timelines.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::Duration;

use super::tests::{booking_setup, count, now, patient, rows_of, store};
use super::{Actor, Store};
use crate::domain::appointment::{AppointmentStatus, BookingRequest, RescheduleRequest};
use crate::domain::flow::FlowColumn;
use crate::domain::slots::SlotQuery;
use crate::domain::timeline::StageState;
use crate::domain::waitlist::NewWaitlistEntry;
use crate::store::SeriesRequest;

#[test]
fn rescheduling_moves_the_booking_and_checks_it_like_a_new_one() {
    let store = store();
    let (request, provider) = booking_setup(&store);
    let anna = store.book_appointment(Actor::User, &request).unwrap();
    let ivan = patient(&store, "Ivan", "Sidorov", "+371 2900 0000");
    store
        .book_appointment(
            Actor::User,
            &BookingRequest { patient_id: ivan.id, start_time: "11:00".into(), ..request.clone() },
        )
        .unwrap();

    let mut moving = RescheduleRequest {
        appointment_id: anna.id,
        provider_id: provider,
        room_id: request.room_id,
        date: request.date,
        start_time: "10:30".into(),
    };
    let err = store.reschedule_appointment(Actor::User, &moving).unwrap_err();
    assert_eq!(err.to_string(), "Dr Ivanova already has Ivan Sidorov 11:00–11:40");
    // Moving onto part of its own old time is fine: it does not clash with itself.
    moving.start_time = "10:15".into();
    let moved = store.reschedule_appointment(Actor::User, &moving).unwrap();
    assert_eq!((moved.ends_at - moved.starts_at).num_minutes(), 40);
    assert_eq!(store.appointments_on(request.date).unwrap()[0].start_time, "10:15");
    assert_eq!(count(&store, "audit_log WHERE action = 'reschedule'"), 1);
}

#[test]
fn cancelling_needs_a_reason_and_offers_the_slot_to_the_waitlist() {
    let store = store();
    let (request, provider) = booking_setup(&store);
    let booked = store.book_appointment(Actor::User, &request).unwrap();
    let maria = patient(&store, "Maria", "Ozola", "+371 2611 1111");
    let karl = patient(&store, "Karl", "Berzins", "+371 2622 2222");
    let wish = |patient_id, provider_id| NewWaitlistEntry {
        patient_id,
        service_type_id: request.service_type_id,
        provider_id,
        earliest_date: "2026-11-30".parse().unwrap(),
        latest_date: "2026-12-04".parse().unwrap(),
        part_of_day: None,
        notes: "Wants an earlier visit".into(),
    };
    store.add_to_waitlist(Actor::User, &wish(maria.id, Some(provider))).unwrap();
    let other_provider = super::tests::provider(&store, "Dr Ozols", None);
    store.add_to_waitlist(Actor::User, &wish(karl.id, Some(other_provider.id))).unwrap();

    let err = store.cancel_appointment(Actor::User, booked.id, "  ").unwrap_err();
    assert_eq!(err.to_string(), "Say why the appointment is cancelled");
    assert_eq!(store.get_appointment(booked.id).unwrap().status, AppointmentStatus::Booked);

    let outcome = store.cancel_appointment(Actor::User, booked.id, "Patient is ill").unwrap();
    assert_eq!(outcome.appointment.status, AppointmentStatus::Cancelled);
    assert_eq!(outcome.appointment.cancel_reason.as_deref(), Some("Patient is ill"));
    let offered: Vec<&str> = outcome.offers.iter().map(|o| o.patient_name.as_str()).collect();
    assert_eq!(offered, ["Maria Ozola"], "Karl waits for another provider");

    // Offering the slot books Maria into it and takes her off the waitlist, in one step.
    let slot = BookingRequest { patient_id: maria.id, ..request.clone() };
    store.book_from_waitlist(Actor::User, outcome.offers[0].id, &slot).unwrap();
    assert_eq!(store.waitlist().unwrap().len(), 1);
    let again = store.cancel_appointment(Actor::User, booked.id, "twice").unwrap_err();
    assert!(again.to_string().contains("it can no longer be cancelled"), "{again}");
}

#[test]
fn a_no_show_is_marked_only_once_the_visit_has_started() {
    let offset = Arc::new(AtomicI64::new(0));
    let clock = offset.clone();
    let store = store().with_clock(move || now() + Duration::minutes(clock.load(Ordering::SeqCst)));
    let (mut request, _) = booking_setup(&store);
    request.date = "2026-11-24".parse().unwrap();
    request.start_time = "11:00".into(); // an hour from now
    let a = store.book_appointment(Actor::User, &request).unwrap();
    let early = store.mark_no_show(Actor::User, a.id).unwrap_err();
    assert!(early.to_string().contains("has not started yet"), "{early}");
    offset.store(75, Ordering::SeqCst);
    assert_eq!(store.mark_no_show(Actor::User, a.id).unwrap().status, AppointmentStatus::Noshow);
    let journey = store.journey_of_appointment(a.id).unwrap();
    assert!(store.journey_timeline(journey).unwrap().next_stage_id.is_none());
    assert_eq!(store.flow_board().unwrap().no_shows.len(), 1);
}

#[test]
fn a_weekly_series_is_booked_whole_and_its_visits_move_and_cancel_alone() {
    let store = store();
    let (request, provider) = booking_setup(&store);
    let series = SeriesRequest { booking: request.clone(), rrule: "FREQ=WEEKLY;COUNT=8".into() };
    let visits = store.book_series(Actor::User, &series).unwrap();
    assert_eq!(visits.len(), 8);
    assert!(visits.iter().all(|v| v.series_id == visits[0].series_id && v.series_id.is_some()));
    assert_eq!(visits[7].series_index, Some(8));

    // Move the third visit to Wednesday, cancel the fifth; the others stay.
    let third = &visits[2];
    let moved = RescheduleRequest {
        appointment_id: third.id,
        provider_id: provider,
        room_id: request.room_id,
        date: "2026-12-16".parse().unwrap(),
        start_time: "09:00".into(),
    };
    store.reschedule_appointment(Actor::User, &moved).unwrap();
    store.cancel_appointment(Actor::User, visits[4].id, "Holiday").unwrap();
    let statuses: Vec<AppointmentStatus> = visits.iter().map(|v| store.get_appointment(v.id).unwrap().status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == AppointmentStatus::Booked).count(), 7);
    assert_eq!(store.appointments_on("2026-12-16".parse().unwrap()).unwrap()[0].appointment.series_index, Some(3));
    assert!(store.appointments_on("2026-12-15".parse().unwrap()).unwrap().is_empty());

    // A series that runs into a closed day is refused whole, naming the visit.
    let mut settings = store.get_settings().unwrap();
    settings.closed_days.push(crate::domain::clinic::ClosedDay {
        date: "2027-01-05".parse().unwrap(),
        reason: "Inventory".into(),
        yearly: false,
    });
    store.save_settings(Actor::User, &settings).unwrap();
    let before = count(&store, "appointments");
    let ivan = patient(&store, "Ivan", "Sidorov", "+371 2900 0000");
    let clash = SeriesRequest {
        booking: BookingRequest { patient_id: ivan.id, start_time: "14:00".into(), ..request },
        rrule: "FREQ=WEEKLY;COUNT=6".into(),
    };
    let err = store.book_series(Actor::User, &clash).unwrap_err();
    assert_eq!(err.to_string(), "Visit 6 of 6 (Tue 05 Jan 2027): The clinic is closed on Tue 05 Jan 2027 (Inventory)");
    assert_eq!(count(&store, "appointments"), before, "nothing of the refused series was written");
}

#[test]
fn the_slot_finder_skips_taken_times() {
    let store = store();
    let (request, provider) = booking_setup(&store);
    store.book_appointment(Actor::User, &request).unwrap();
    let query = SlotQuery {
        service_type_id: request.service_type_id,
        provider_id: Some(provider),
        patient_id: None,
        part_of_day: None,
        from_date: Some(request.date),
        to_date: None,
        after: None,
        count: 4,
    };
    let slots = store.find_slots(&query).unwrap();
    let times: Vec<&str> = slots.iter().map(|s| s.start_time.as_str()).collect();
    assert_eq!(times, ["08:00", "08:15", "08:30", "08:45"]);
    let later = SlotQuery { after: Some(now() + Duration::days(7) + Duration::minutes(25)), ..query.clone() };
    let slots = store.find_slots(&later).unwrap();
    // 1 Dec, 10:25 local: 10:30 would run into the 10:00–10:40 booking; 10:45 is the first.
    assert_eq!((slots[0].date, slots[0].start_time.as_str()), (request.date, "10:45"));
    let err = store.find_slots(&SlotQuery { count: 0, ..query }).unwrap_err();
    assert_eq!(err.to_string(), "Ask for 1 to 200 slots");
}

/// A store whose clock the test moves on.
fn clinic_day() -> (Store, Arc<AtomicI64>) {
    let offset = Arc::new(AtomicI64::new(0));
    let clock = offset.clone();
    let store = store().with_clock(move || now() + Duration::minutes(clock.load(Ordering::SeqCst)));
    (store, offset)
}

#[test]
fn moving_a_patient_across_the_flow_board_writes_the_stage_log_and_timeline() {
    let (store, minutes) = clinic_day();
    let (mut request, _) = booking_setup(&store);
    request.date = "2026-11-24".parse().unwrap();
    request.start_time = "10:15".into();
    let a = store.book_appointment(Actor::User, &request).unwrap();
    assert_eq!(store.flow_board().unwrap().cards[0].column, FlowColumn::Booked);

    let step = |to: FlowColumn, at: i64| {
        minutes.store(at, Ordering::SeqCst);
        store.move_on_flow_board(Actor::User, a.id, to).unwrap()
    };
    step(FlowColumn::Arrived, 5);
    step(FlowColumn::Waiting, 8);
    let board = step(FlowColumn::WithClinician, 20);
    assert_eq!(board.cards[0].column, FlowColumn::WithClinician);
    assert_eq!(store.get_appointment(a.id).unwrap().status, AppointmentStatus::InProgress);
    let waiting = board.columns.iter().find(|c| c.column == FlowColumn::Waiting).unwrap();
    assert_eq!(waiting.median_minutes, Some(12));
    step(FlowColumn::CheckOut, 62);
    let board = step(FlowColumn::Done, 66);
    assert_eq!(board.cards[0].column, FlowColumn::Done);
    assert_eq!(store.get_appointment(a.id).unwrap().status, AppointmentStatus::Fulfilled);

    let timeline = store.journey_timeline(store.journey_of_appointment(a.id).unwrap()).unwrap();
    let visit: Vec<(&str, StageState, Option<u32>)> = timeline
        .stages
        .iter()
        .filter(|s| s.phase == crate::domain::journey::Phase::Visit)
        .map(|s| (s.key.as_str(), s.state, s.minutes))
        .collect();
    assert_eq!(
        visit,
        [
            ("check_in", StageState::Done, Some(3)),
            ("waiting", StageState::Done, Some(12)),
            ("consultation", StageState::Done, Some(42)),
            ("check_out", StageState::Done, Some(4)),
        ]
    );
    let next = timeline.stages.iter().find(|s| Some(s.stage_id) == timeline.next_stage_id).unwrap();
    assert_eq!(next.phase, crate::domain::journey::Phase::PostVisit);

    // Tomorrow's patient cannot be moved today.
    let ivan = patient(&store, "Ivan", "Sidorov", "+371 2900 0000");
    let tomorrow = BookingRequest { patient_id: ivan.id, date: "2026-11-25".parse().unwrap(), ..request };
    let b = store.book_appointment(Actor::User, &tomorrow).unwrap();
    let err = store.move_on_flow_board(Actor::User, b.id, FlowColumn::Arrived).unwrap_err();
    assert!(err.to_string().contains("only today's patients"), "{err}");
}

#[test]
fn a_write_plans_the_patients_it_changed_once_before_commit() {
    use super::planning::PLAN_RUNS;
    let runs = || PLAN_RUNS.with(std::cell::Cell::get);
    let store = store();
    let (request, _) = booking_setup(&store);
    let tasks_of = |patient: uuid::Uuid| -> i64 {
        rows_of(&store, "SELECT count(DISTINCT appointment_id) FROM tasks WHERE patient_id = ?1", &[&patient])[0]
            .get(0)
            .unwrap()
    };

    let before = runs();
    let series = SeriesRequest { booking: request.clone(), rrule: "FREQ=WEEKLY;COUNT=8".into() };
    let visits = store.book_series(Actor::User, &series).unwrap();
    assert_eq!(runs() - before, 1, "eight visits, one plan");
    assert_eq!(tasks_of(request.patient_id), 8, "every visit of the series has its tasks");

    // A refused write plans nothing and leaves nothing behind.
    let (before, tasks) = (runs(), count(&store, "tasks"));
    assert_eq!(store.book_appointment(Actor::User, &request).unwrap_err().kind(), "slot_taken");
    assert_eq!((runs(), count(&store, "tasks")), (before, tasks));

    // A write that changes no patient's rows plans nothing; one that does, without a call of
    // its own, re-plans that patient: a cancelled visit's open tasks are closed.
    store.save_settings(Actor::User, &store.get_settings().unwrap()).unwrap();
    assert_eq!(runs(), before);
    store.cancel_appointment(Actor::User, visits[7].id, "Moving away").unwrap();
    assert_eq!(runs() - before, 1);
    let open: i64 =
        rows_of(&store, "SELECT count(*) FROM tasks WHERE appointment_id = ?1 AND status = 'open'", &[&visits[7].id])
            [0]
        .get(0)
        .unwrap();
    assert_eq!(open, 0);
}
