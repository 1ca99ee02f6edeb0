//! Setting up a clinic's people and places: staff, rooms and providers with their weekly hours,
//! validated, all-or-nothing, audited.

use super::tests::{count, room, rows_of, store};
use super::{Actor, Store};
use crate::domain::access::Work;
use crate::domain::clinic::{ClinicSettings, ClosedDay};
use crate::domain::journey::ServiceInput;
use crate::domain::resources::{ProviderInput, Role, RoomInput, StaffInput};
use crate::domain::weekly_hours::{format_weekly_hours, parse_weekly_hours};

fn reason(err: crate::Error) -> String {
    err.refusal().map(|r| r.reason().to_string()).unwrap_or_else(|| err.to_string())
}

/// The refusal's reason and the form field it points at.
fn reason_at(err: &crate::Error) -> (String, Option<String>) {
    (err.refusal().map(|r| r.reason().to_string()).unwrap_or_default(), err.body().field)
}

fn provider_input(name: &str, hours: &str) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        specialty: "Physiotherapist".into(),
        home_room_id: None,
        active: true,
        availability: parse_weekly_hours("availability", hours).unwrap(),
    }
}

fn audits(store: &Store, entity: &str) -> i64 {
    count(store, &format!("audit_log WHERE entity = '{entity}'"))
}

#[test]
fn staff_are_added_renamed_and_deactivated_never_deleted() {
    let store = store();
    let input = StaffInput { name: " Marta Kalna ".into(), role: Role::FrontDesk, active: true };
    let marta = store.create_staff(Actor::User, &input).unwrap();
    assert_eq!(marta.name, "Marta Kalna");

    let err = store.create_staff(Actor::User, &StaffInput { name: "marta kalna".into(), ..input.clone() }).unwrap_err();
    assert_eq!(reason_at(&err), ("duplicate".into(), Some("name".into())));
    assert_eq!(count(&store, "staff"), 1);

    let gone = StaffInput { name: "Marta Kalna".into(), role: Role::Admin, active: false };
    store.update_staff(Actor::User, marta.id, &gone).unwrap();
    let listed = store.list_staff().unwrap();
    assert_eq!((listed.len(), listed[0].role, listed[0].active), (1, Role::Admin, false));
    assert_eq!(audits(&store, "staff"), 2);

    let err = store.update_staff(Actor::User, uuid::Uuid::nil(), &gone).unwrap_err();
    assert_eq!(err.kind(), "not_found");
    assert_eq!(
        reason(store.create_staff(Actor::User, &StaffInput { name: "  ".into(), ..input }).unwrap_err()),
        "required"
    );
}

#[test]
fn a_providers_weekly_hours_are_saved_and_read_back() {
    let store = store();
    let home = room(&store, "Room 1");
    let input = ProviderInput {
        home_room_id: Some(home.id),
        ..provider_input("Dr Ozola", "mon-wed 08:00-12:00 13:00-17:00, fri 09:00-13:00")
    };
    let ozola = store.create_provider(Actor::User, &input).unwrap();
    let listed = store.list_providers().unwrap();
    let listed = listed.iter().find(|p| p.id == ozola.id).unwrap();
    assert_eq!(format_weekly_hours(&listed.availability), "mon-wed 08:00-12:00 13:00-17:00, fri 09:00-13:00");
    assert_eq!(listed.home_room_id, Some(home.id));

    let fewer = ProviderInput { specialty: "GP".into(), ..provider_input("Dr Ozola", "tue 10:00-14:00") };
    store.update_provider(Actor::User, ozola.id, &fewer).unwrap();
    let listed = store.list_providers().unwrap().into_iter().find(|p| p.id == ozola.id).unwrap();
    assert_eq!(
        (format_weekly_hours(&listed.availability), listed.specialty.as_str()),
        ("tue 10:00-14:00".into(), "GP")
    );
    assert_eq!(audits(&store, "providers"), 2);
}

#[test]
fn hours_that_overlap_or_leave_the_clinics_are_refused_and_nothing_changes() {
    let store = store();
    let ozola = store.create_provider(Actor::User, &provider_input("Dr Ozola", "mon 08:00-12:00")).unwrap();

    // The clinic is open Monday to Friday, 08:00–18:00.
    let saturday = provider_input("Dr Ozola", "sat 09:00-12:00");
    let err = store.update_provider(Actor::User, ozola.id, &saturday).unwrap_err();
    assert_eq!(reason_at(&err), ("outside_clinic_hours".into(), Some("availability".into())));
    assert_eq!(err.to_string(), "Dr Ozola's hours 09:00–12:00 on Saturday are outside the clinic's (closed that day)");
    let late = provider_input("Dr Ozola", "mon 16:00-19:00");
    assert_eq!(reason(store.update_provider(Actor::User, ozola.id, &late).unwrap_err()), "outside_clinic_hours");

    let mut overlapping = provider_input("Dr Ozola", "mon 08:00-12:00");
    overlapping.availability.extend(parse_weekly_hours("availability", "mon 11:00-13:00").unwrap());
    assert_eq!(reason(store.update_provider(Actor::User, ozola.id, &overlapping).unwrap_err()), "hours_overlap");

    // The refused updates left the hours and the audit as they were.
    let listed = store.list_providers().unwrap().into_iter().find(|p| p.id == ozola.id).unwrap();
    assert_eq!(format_weekly_hours(&listed.availability), "mon 08:00-12:00");
    assert_eq!(audits(&store, "providers"), 1);
}

#[test]
fn rooms_have_unique_names_and_a_retired_room_is_no_home_room() {
    let store = store();
    let one = room(&store, "Room 1");
    let input = RoomInput { name: "ROOM 1".into(), active: true, availability: vec![] };
    assert_eq!(reason(store.create_room(Actor::User, &input).unwrap_err()), "duplicate");

    let retired = RoomInput {
        name: "Room 1".into(),
        active: false,
        availability: parse_weekly_hours("a", "mon-fri 08:00-13:00").unwrap(),
    };
    store.update_room(Actor::User, one.id, &retired).unwrap();
    let listed = store.list_rooms().unwrap();
    assert_eq!((listed[0].active, format_weekly_hours(&listed[0].availability)), (false, "mon-fri 08:00-13:00".into()));

    let input = ProviderInput { home_room_id: Some(one.id), ..provider_input("Dr Ozola", "") };
    let err = store.create_provider(Actor::User, &input).unwrap_err();
    assert_eq!(err.to_string(), "The room “Room 1” is no longer in use; choose another home room");
    assert_eq!(count(&store, "providers"), 0);
}

#[test]
fn the_clinics_own_hours_may_not_overlap() {
    let store = store();
    let mut settings = store.get_settings().unwrap();
    settings.working_hours.extend(parse_weekly_hours("working_hours", "mon 17:00-20:00").unwrap());
    let err = store.save_settings(Actor::User, &settings).unwrap_err();
    assert_eq!(err.to_string(), "On Monday, 08:00–18:00 and 17:00–20:00 overlap");
}

#[test]
fn services_have_a_length_a_colour_and_a_journey_that_exists() {
    let store = store();
    let journey = store.list_service_types().unwrap()[0].template_family_key.clone();
    let audited = audits(&store, "service_types");
    let input = ServiceInput {
        name: "Physiotherapy".into(),
        duration_minutes: 45,
        color: " #2A9D8F ".into(),
        template_family_key: journey.clone(),
        active: true,
    };
    let physio = store.create_service(Actor::User, &input).unwrap();
    assert_eq!((physio.color.as_str(), physio.duration_minutes), ("#2a9d8f", 45));
    assert_eq!(reason(store.create_service(Actor::User, &input).unwrap_err()), "duplicate");
    let long = ServiceInput { name: "Long".into(), duration_minutes: 721, ..input.clone() };
    assert_eq!(
        store.create_service(Actor::User, &long).unwrap_err().to_string(),
        "Duration 721 is out of range: 5 to 720"
    );
    let pink = ServiceInput { name: "Pink".into(), color: "pink".into(), ..input.clone() };
    assert_eq!(reason(store.create_service(Actor::User, &pink).unwrap_err()), "bad_color");
    let nowhere = ServiceInput { name: "Nowhere".into(), template_family_key: "no-such".into(), ..input.clone() };
    assert_eq!(store.create_service(Actor::User, &nowhere).unwrap_err().kind(), "not_found");

    let retired = ServiceInput { active: false, duration_minutes: 60, ..input };
    store.update_service(Actor::User, physio.id, &retired).unwrap();
    let listed = store.list_service_types().unwrap().into_iter().find(|s| s.id == physio.id).unwrap();
    assert_eq!((listed.active, listed.duration_minutes), (false, 60));
    assert_eq!(audits(&store, "service_types") - audited, 2);
}

#[test]
fn the_clinics_address_phone_and_yearly_holidays_are_kept_and_checked() {
    let store = store();
    let mut settings = store.get_settings().unwrap();
    settings.address = " Brīvības iela 1, Rīga ".into();
    settings.phone = "+371 6700 0000".into();
    settings.closed_days.push(ClosedDay {
        date: "2026-11-18".parse().unwrap(),
        reason: "Proclamation Day".into(),
        yearly: true,
    });
    store.save_settings(Actor::User, &settings).unwrap();
    let saved = store.get_settings().unwrap();
    assert_eq!((saved.address.as_str(), saved.closed_days[0].yearly), ("Brīvības iela 1, Rīga", true));
    assert_eq!(store.calendar().unwrap().closed_reason("2027-11-18".parse().unwrap()), Some("Proclamation Day"));

    let mut twice = saved.clone();
    twice.closed_days.push(ClosedDay::once("2026-11-18".parse().unwrap(), "Again"));
    assert_eq!(reason(store.save_settings(Actor::User, &twice).unwrap_err()), "already_closed");
    let bad_phone = ClinicSettings { phone: "call us".into(), ..saved };
    assert_eq!(reason(store.save_settings(Actor::User, &bad_phone).unwrap_err()), "phone_character");
    assert_eq!(store.get_settings().unwrap().closed_days.len(), 1);
}

#[test]
fn closing_a_day_lists_the_visits_booked_on_it_and_an_import_skips_days_closed_already() {
    let store = store();
    let (request, _) = super::tests::booking_setup(&store); // Tue 1 Dec 2026 10:00
    let visit = store.book_appointment(Actor::User, &request).unwrap();
    let training = ClosedDay::once("2026-12-01".parse().unwrap(), "Staff training");
    let added = store.add_closed_day(Actor::User, &training).unwrap();
    assert_eq!((added.added, added.booked.len()), (1, 1));
    assert_eq!((added.booked[0].appointment_id, added.booked[0].patient_name.as_str()), (visit.id, "Anna Petrova"));
    let err = store.add_closed_day(Actor::User, &training).unwrap_err();
    assert_eq!(err.to_string(), "The clinic is already closed on Tue 01 Dec 2026");

    let file = "date,reason,yearly\n2026-12-01,Training again\n2026-12-25,Christmas,yes\n";
    let days = crate::domain::closed_days_file::parse_closed_days("days.csv", file).unwrap();
    let imported = store.import_closed_days(Actor::User, &days).unwrap();
    assert_eq!((imported.added, imported.already_closed, imported.booked.len()), (1, 1, 0));
    let calendar = store.calendar().unwrap();
    assert_eq!(calendar.closed_reason("2026-12-01".parse().unwrap()), Some("Staff training"));
    assert_eq!(calendar.closed_reason("2028-12-25".parse().unwrap()), Some("Christmas"));

    // A bad day in a list writes none of it.
    let bad = [
        ClosedDay::once("2027-01-05".parse().unwrap(), "Inventory"),
        ClosedDay::once("2027-01-06".parse().unwrap(), " "),
    ];
    assert_eq!(reason(store.import_closed_days(Actor::User, &bad).unwrap_err()), "required");
    assert_eq!(store.get_settings().unwrap().closed_days.len(), 2);
}

#[test]
fn shorter_hours_list_the_coming_visits_they_strand_with_why() {
    let store = store();
    let (request, provider_id) = super::tests::booking_setup(&store);
    let late = super::tests::patient(&store, "Ivan", "Sidorov", "+371 2000 0000");
    let morning = store.book_appointment(Actor::User, &request).unwrap(); // Tue 1 Dec 10:00
    let afternoon = store
        .book_appointment(
            Actor::User,
            &crate::domain::appointment::BookingRequest {
                patient_id: late.id,
                start_time: "16:00".into(),
                ..request.clone()
            },
        )
        .unwrap();
    let everything = super::MoveScope::default();
    assert_eq!(store.visits_to_move(everything).unwrap(), vec![], "nothing is stranded yet");

    // The clinic now closes at 15:00 on Tuesdays.
    let mut settings = store.get_settings().unwrap();
    settings.working_hours.retain(|h| h.weekday != 2);
    settings.working_hours.push(crate::domain::clinic::WeekdayHours::every_week(
        2,
        crate::domain::clinic::MinuteRange { start: 8 * 60, end: 15 * 60 },
    ));
    store.save_settings(Actor::User, &settings).unwrap();
    let stranded = store.visits_to_move(everything).unwrap();
    assert_eq!(stranded.iter().map(|v| v.appointment_id).collect::<Vec<_>>(), [afternoon.id]);
    assert_eq!((stranded[0].patient_name.as_str(), stranded[0].refusal.reason()), ("Ivan Sidorov", "clinic_hours"));

    // The provider now works mornings only: both visits are outside, for her.
    let mut input = provider_input("Dr Ivanova", "tue 08:00-09:00");
    input.home_room_id = Some(request.room_id);
    store.update_provider(Actor::User, provider_id, &input).unwrap();
    let hers = store.visits_to_move(super::MoveScope { provider_id: Some(provider_id), room_id: None }).unwrap();
    assert_eq!(hers.iter().map(|v| v.appointment_id).collect::<Vec<_>>(), [morning.id, afternoon.id]);
    assert_eq!(hers[0].refusal.reason(), "resource_hours");
    let others =
        store.visits_to_move(super::MoveScope { provider_id: Some(uuid::Uuid::nil()), room_id: None }).unwrap();
    assert!(others.is_empty(), "another provider's visits are not hers");

    // A cancelled visit needs no moving.
    store.cancel_appointment(Actor::User, morning.id, "Patient asked").unwrap();
    assert_eq!(store.visits_to_move(everything).unwrap().len(), 1);
}

#[test]
fn stranded_visits_become_calls_to_rebook_that_end_once_no_longer_needed() {
    use crate::domain::appointment::{AppointmentStatus, BookingRequest, RescheduleRequest};
    use crate::domain::tasks::{CallListQuery, TaskOutcome, TaskPurpose, TaskStatus};
    let store = store();
    let (request, _) = super::tests::booking_setup(&store);
    let at = |time: &str| BookingRequest { start_time: time.into(), ..request.clone() };
    let morning = store.book_appointment(Actor::User, &request).unwrap(); // Tue 1 Dec 10:00
    let [moved, declined, restored] =
        ["15:00", "16:00", "17:00"].map(|t| store.book_appointment(Actor::User, &at(t)).unwrap());
    let tuesday_until = |closes: u16| {
        let mut settings = store.get_settings().unwrap();
        settings.working_hours.retain(|h| h.weekday != 2);
        settings.working_hours.push(crate::domain::clinic::WeekdayHours::every_week(
            2,
            crate::domain::clinic::MinuteRange { start: 8 * 60, end: closes * 60 },
        ));
        store.save_settings(Actor::User, &settings).unwrap();
    };
    tuesday_until(15);
    let all = [morning.id, moved.id, declined.id, restored.id];
    let asked = store.request_rebook_calls(Actor::User, &all).unwrap();
    assert_eq!((asked.created, asked.already_asked, asked.not_needed), (3, 0, 1), "the morning visit still fits");
    let listed = store.visits_to_move(super::MoveScope::default()).unwrap();
    assert!(listed.len() == 3 && listed.iter().all(|v| v.rebook_asked), "{listed:?}");
    // Meanwhile the rules do not confirm or remind of those visits.
    let rule_tasks = |id: uuid::Uuid| {
        count(&store, &format!("tasks WHERE appointment_id = '{id}' AND purpose = 'rule' AND status = 'open'"))
    };
    assert_eq!(rule_tasks(declined.id), 0);
    assert!(rule_tasks(morning.id) > 0, "the morning visit keeps its confirmation");
    let again = store.request_rebook_calls(Actor::User, &all).unwrap();
    assert_eq!((again.created, again.already_asked, again.not_needed), (0, 3, 1), "one call per visit");

    let query = CallListQuery {
        date: "2026-11-24".parse().unwrap(),
        kind: None,
        role: None,
        assignee_id: None,
        upcoming_days: Some(14),
    };
    let rebook_rows = || {
        let list = store.call_list(&query).unwrap();
        list.rows.into_iter().filter(|r| r.purpose == TaskPurpose::Rebook).collect::<Vec<_>>()
    };
    let rows = rebook_rows();
    assert_eq!(rows.len(), 3);
    let row = rows.iter().find(|r| r.appointment_id == declined.id).unwrap();
    assert_eq!((&*row.reason, row.kind.as_str(), row.role.as_str()), ("Visit needs a new time", "call", "front_desk"));
    assert!(!row.outcomes.contains(&TaskOutcome::Confirmed), "a time the clinic no longer offers is not confirmed");
    let outcome = |task_id, outcome| super::OutcomeRequest { task_id, outcome, note: String::new() };
    let err = store.record_task_outcome(Actor::User, &outcome(row.task_id, TaskOutcome::Confirmed)).unwrap_err();
    assert_eq!(reason(err), "outcome_not_allowed");

    // The patient declines a new time: the visit is cancelled, the call done.
    let result = store.record_task_outcome(Actor::User, &outcome(row.task_id, TaskOutcome::Declined)).unwrap();
    assert_eq!((result.task.status, result.appointment.status), (TaskStatus::Done, AppointmentStatus::Cancelled));
    assert_eq!(result.appointment.cancel_reason.as_deref(), Some("Declined a new time"));

    // Moved within the hours (from the schedule): its call ends by itself.
    let moved_call = rows.iter().find(|r| r.appointment_id == moved.id).unwrap().task_id;
    let to_morning = RescheduleRequest {
        appointment_id: moved.id,
        provider_id: request.provider_id,
        room_id: request.room_id,
        date: request.date,
        start_time: "12:00".into(),
    };
    store.reschedule_appointment(Actor::User, &to_morning).unwrap();
    assert_eq!(store.get_task(moved_call).unwrap().status, TaskStatus::Done);
    assert!(rule_tasks(moved.id) > 0, "and its reminders come back");

    // The hours change back: the last call is no longer needed either.
    let restored_call = rows.iter().find(|r| r.appointment_id == restored.id).unwrap().task_id;
    assert_eq!(store.get_task(restored_call).unwrap().status, TaskStatus::Open);
    tuesday_until(18);
    assert_eq!(store.get_task(restored_call).unwrap().status, TaskStatus::Done);
    assert!(rule_tasks(restored.id) > 0);
    assert!(rebook_rows().is_empty());
    assert_eq!(count(&store, "audit_log WHERE entity = 'tasks' AND action = 'rebook'"), 3, "each call audited");
}

#[test]
fn a_blocked_period_lists_the_visits_it_hits_and_refuses_what_cannot_be() {
    let store = store();
    let (request, provider_id) = super::tests::booking_setup(&store);
    let visit = store.book_appointment(Actor::User, &request).unwrap(); // Tue 1 Dec 10:00 Riga
    let leave = |from: &str, to: &str, reason: &str| super::BlockInput {
        provider_id: Some(provider_id),
        room_id: None,
        from: from.into(),
        to: to.into(),
        reason: reason.into(),
    };
    let refused = |input: super::BlockInput| reason_at(&store.add_blocked_period(Actor::User, &input).unwrap_err());
    assert_eq!(refused(leave("2026-12-01T08:00", "2026-12-01T18:00", " ")), ("required".into(), Some("reason".into())));
    assert_eq!(
        refused(leave("2026-12-02T08:00", "2026-12-01T18:00", "Leave")),
        ("period_reversed".into(), Some("to".into()))
    );
    assert_eq!(refused(leave("1 Dec", "2026-12-01T18:00", "Leave")), ("bad_start".into(), Some("from".into())));
    assert_eq!(
        refused(leave("2026-11-01T08:00", "2026-11-02T08:00", "Leave")),
        ("period_over".into(), Some("to".into()))
    );
    assert_eq!(
        refused(leave("2026-12-01T08:00", "2027-12-05T08:00", "Leave")),
        ("block_too_long".into(), Some("to".into()))
    );
    let both =
        super::BlockInput { room_id: Some(request.room_id), ..leave("2026-12-01T08:00", "2026-12-01T18:00", "Leave") };
    assert_eq!(refused(both).0, "provider_or_room");
    assert_eq!(store.list_blocked_periods().unwrap(), vec![], "nothing half-written");

    let added =
        store.add_blocked_period(Actor::User, &leave("2026-12-01T08:00", "2026-12-04T18:00", "Training")).unwrap();
    assert_eq!(added.period.starts_at.to_rfc3339(), "2026-12-01T06:00:00+00:00", "clinic-local 08:00 in Riga");
    assert_eq!(added.to_move.iter().map(|v| v.appointment_id).collect::<Vec<_>>(), [visit.id]);
    assert_eq!(store.list_blocked_periods().unwrap(), vec![added.period.clone()]);
    let clash = store.book_appointment(
        Actor::User,
        &crate::domain::appointment::BookingRequest { start_time: "14:00".into(), ..request.clone() },
    );
    assert_eq!(reason(clash.unwrap_err()), "blocked");

    store.remove_blocked_period(Actor::User, added.period.id).unwrap();
    assert!(store.list_blocked_periods().unwrap().is_empty());
    assert_eq!(audits(&store, "blocked_periods"), 2, "added and removed, both audited");
}

#[test]
fn journeys_are_made_from_a_default_or_a_copy_renamed_and_retired_when_no_service_follows_them() {
    let store = store();
    let defaults = store.list_journeys().unwrap();
    assert_eq!(defaults.len(), 3);
    let first = defaults.iter().find(|j| j.family_key == "first_consultation").unwrap().clone();
    assert_eq!(first.services, ["First consultation"]);

    let from_default = super::NewJourney {
        name: "Minor surgery".into(),
        source: super::JourneySource::Default { key: "procedure_post_op".into() },
    };
    let surgery = store.create_journey(Actor::User, &from_default).unwrap();
    let procedure = defaults.iter().find(|j| j.family_key == "procedure_post_op").unwrap();
    assert_eq!((surgery.version, surgery.stages.len() as u32), (1, procedure.stages));
    assert_eq!(store.template_rules(surgery.id).unwrap().len() as u32, procedure.rules);
    let copy = super::NewJourney {
        name: "First consultation, children".into(),
        source: super::JourneySource::Copy { family_key: "first_consultation".into() },
    };
    let children = store.create_journey(Actor::User, &copy).unwrap();
    let original = store.get_template(first.template_id).unwrap();
    let keys = |t: &crate::domain::journey::JourneyTemplate| t.stages.iter().map(|s| s.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&children), keys(&original), "the copy keeps its stages' keys");
    assert!(children.stages.iter().all(|s| original.stages.iter().all(|o| o.id != s.id)), "with stages of its own");
    assert_eq!(store.template_rules(children.id).unwrap().len() as u32, first.rules);

    let again = super::NewJourney { name: "minor SURGERY".into(), ..from_default.clone() };
    assert_eq!(reason_at(&store.create_journey(Actor::User, &again).unwrap_err()).0, "duplicate");
    let unnamed = super::NewJourney { name: " ".into(), ..from_default };
    assert_eq!(reason_at(&store.create_journey(Actor::User, &unnamed).unwrap_err()).0, "template_name_required");

    store.rename_journey(Actor::User, &surgery.family_key, "Day surgery").unwrap();
    assert!(store
        .list_journeys()
        .unwrap()
        .iter()
        .any(|j| j.family_key == surgery.family_key && j.name == "Day surgery"));
    let clash = store.rename_journey(Actor::User, &surgery.family_key, "First consultation").unwrap_err();
    assert_eq!(reason_at(&clash), ("duplicate".into(), Some("name".into())));

    let in_use = store.set_journey_retired(Actor::User, "first_consultation", true).unwrap_err();
    assert_eq!(reason_at(&in_use).0, "journey_in_use");
    store.set_journey_retired(Actor::User, &surgery.family_key, true).unwrap();
    let choices = store.setup_data().unwrap().journeys;
    assert!(choices.iter().any(|j| j.family_key == surgery.family_key && j.retired), "marked retired for the forms");
    let overview = store.rules_overview().unwrap();
    assert!(overview.iter().all(|j| j.template.family_key != surgery.family_key), "nor in the rules table");
    let of_first = overview.iter().find(|j| j.template.family_key == "first_consultation").unwrap();
    assert_eq!((of_first.rules.len() as u32, of_first.services[0].name.as_str()), (first.rules, "First consultation"));
    let service = ServiceInput {
        name: "Day surgery".into(),
        duration_minutes: 60,
        color: "#aa3366".into(),
        template_family_key: surgery.family_key.clone(),
        active: true,
    };
    assert_eq!(reason_at(&store.create_service(Actor::User, &service).unwrap_err()).0, "journey_retired");
    store.set_journey_retired(Actor::User, &surgery.family_key, false).unwrap();
    let day_surgery = store.create_service(Actor::User, &service).unwrap();
    // A service taken off the lists may keep its retired journey and still be edited; it may
    // not come back on it.
    let off = ServiceInput { active: false, ..service.clone() };
    store.update_service(Actor::User, day_surgery.id, &off).unwrap();
    store.set_journey_retired(Actor::User, &surgery.family_key, true).unwrap();
    store
        .update_service(Actor::User, day_surgery.id, &ServiceInput { name: "Day surgery (old)".into(), ..off })
        .unwrap();
    let back = store.update_service(Actor::User, day_surgery.id, &service).unwrap_err();
    assert_eq!(reason_at(&back).0, "journey_retired");
    assert!(audits(&store, "journey_templates") >= 6, "made, renamed, retired and restored: all audited");
}

#[test]
fn a_provider_every_other_week_is_booked_only_in_her_weeks() {
    let store = store();
    let (request, provider_id) = super::tests::booking_setup(&store);
    let mut input = provider_input("Dr Ivanova", "mon-fri 08:00-16:00, mon:odd 16:00-18:00");
    input.home_room_id = Some(request.room_id);
    store.update_provider(Actor::User, provider_id, &input).unwrap();
    assert_eq!(
        format_weekly_hours(&store.list_providers().unwrap()[0].availability),
        "mon-fri 08:00-16:00, mon:odd 16:00-18:00"
    );
    let at = |date: &str| crate::domain::appointment::BookingRequest {
        date: date.parse().unwrap(),
        start_time: "16:30".into(),
        ..request.clone()
    };
    // Monday 30 November 2026 falls in an odd week (counted from 1 January 2024), 7 December not.
    store.book_appointment(Actor::User, &at("2026-11-30")).unwrap();
    assert_eq!(reason(store.book_appointment(Actor::User, &at("2026-12-07")).unwrap_err()), "resource_hours");

    let mut settings = store.get_settings().unwrap();
    settings.working_hours[0].weeks = crate::domain::clinic::Weeks::Odd;
    assert_eq!(reason(store.save_settings(Actor::User, &settings).unwrap_err()), "clinic_hours_every_week");
}

#[test]
fn saving_the_clinics_details_keeps_closed_days_added_meanwhile_and_a_day_reopens() {
    let store = store();
    let form = store.get_settings().unwrap(); // the form was opened before the day was closed
    let day = ClosedDay::once("2026-12-24".parse().unwrap(), "Christmas Eve");
    store.add_closed_day(Actor::User, &day).unwrap();
    store.save_clinic_details(Actor::User, &ClinicSettings { name: "Saule".into(), ..form }).unwrap();
    let saved = store.get_settings().unwrap();
    assert_eq!((saved.name.as_str(), saved.closed_days.clone()), ("Saule", vec![day.clone()]));

    store.remove_closed_day(Actor::User, day.date).unwrap();
    assert!(store.get_settings().unwrap().closed_days.is_empty());
    let again = store.remove_closed_day(Actor::User, day.date).unwrap_err();
    assert_eq!(again.kind(), "not_found");
}

#[test]
fn a_whole_clinic_block_stops_every_booking_and_slot_in_it() {
    let store = store();
    let (request, _) = super::tests::booking_setup(&store);
    let other_room = room(&store, "Room 2");
    let mut second = provider_input("Dr Ozola", "");
    second.home_room_id = Some(other_room.id);
    let ozola = store.create_provider(Actor::User, &second).unwrap();
    let morning = store.book_appointment(Actor::User, &request).unwrap(); // Tue 1 Dec 10:00
    let training = super::BlockInput {
        provider_id: None,
        room_id: None,
        from: "2026-12-01T09:00".into(),
        to: "2026-12-01T13:00".into(),
        reason: "Fire safety training".into(),
    };
    let added = store.add_blocked_period(Actor::User, &training).unwrap();
    assert!(added.period.is_clinic_wide());
    assert_eq!(added.to_move.iter().map(|v| v.appointment_id).collect::<Vec<_>>(), [morning.id]);
    assert_eq!(added.to_move[0].refusal.reason(), "clinic_blocked");

    let elsewhere = crate::domain::appointment::BookingRequest {
        provider_id: ozola.id,
        room_id: other_room.id,
        start_time: "11:00".into(),
        ..request.clone()
    };
    assert_eq!(reason(store.book_appointment(Actor::User, &elsewhere).unwrap_err()), "clinic_blocked");
    let query = crate::domain::slots::SlotQuery {
        service_type_id: request.service_type_id,
        provider_id: None,
        patient_id: None,
        part_of_day: None,
        from_date: Some("2026-12-01".parse().unwrap()),
        to_date: Some("2026-12-01".parse().unwrap()),
        after: None,
        count: 50,
    };
    let slots = store.find_slots(&query).unwrap();
    let riga = |h: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, h - 2, 0, 0).unwrap();
    assert!(!slots.is_empty() && slots.iter().all(|s| s.ends_at <= riga(9) || s.starts_at >= riga(13)), "{slots:?}");
}

#[test]
fn the_set_up_offers_real_zones_and_knows_this_alternating_week() {
    let data = store().setup_data().unwrap();
    for zone in ["Europe/Kyiv", "Europe/Riga", "Asia/Shanghai", "America/New_York", "UTC"] {
        assert!(data.time_zones.iter().any(|z| z == zone), "{zone}");
    }
    assert!(data.time_zones.iter().all(|z| !z.starts_with("US/") && !z.starts_with("Etc/")), "no legacy aliases");
    // The test clock is Tuesday 24 November 2026: the week of 23 November, an even one.
    assert_eq!(data.this_week, crate::domain::clinic::Weeks::Even);
    assert_eq!(data.default_journeys.len(), 3);
}

#[test]
fn a_day_forecast_runs_the_days_bookings_with_standard_times_where_history_is_thin() {
    use crate::domain::appointment::BookingRequest;
    let store = store();
    let (request, _) = super::tests::booking_setup(&store);
    for time in ["09:00", "09:40", "10:20"] {
        store.book_appointment(Actor::User, &BookingRequest { start_time: time.into(), ..request.clone() }).unwrap();
    }
    store.create_staff(Actor::User, &StaffInput { name: "Marta".into(), role: Role::FrontDesk, active: true }).unwrap();
    let day = store.forecast_day(request.date, 50, 1, &[]).unwrap();
    assert_eq!(day.plan.visits, 3);
    // The first consultation's visit stages, the waiting room left out (it is the queue).
    let keys: Vec<&str> = day.plan.stages.iter().map(|s| s.stage_key.as_str()).collect();
    assert_eq!(keys, ["check_in", "consultation", "check_out"]);
    let consultation = day.timings.iter().find(|t| t.stage_key == "consultation").unwrap();
    assert_eq!((consultation.samples, consultation.from_history, consultation.mean_minutes), (0, false, 40.0));
    assert_eq!(day.staff, [(Role::FrontDesk, 1)]);
    // Three 40-minute consultations back to back: one that runs long delays the next.
    assert_eq!(day.plan.bottleneck.unwrap().stage_key, "consultation");
    let err = store.forecast_day("1850-01-01".parse().unwrap(), 10, 1, &[]).unwrap_err();
    assert_eq!(reason(err), "date_range");
}

#[test]
fn surveys_and_audits_make_the_insights_figures() {
    use crate::domain::appointment::BookingRequest;
    use crate::domain::standards::{AuditKind, StandardInput, StandardKind};
    use crate::domain::survey::{SurveyAnswers, SurveySource};
    let store = store();
    let (request, _) = super::tests::booking_setup(&store);
    // 32 visits over four days (Tue 1 – Fri 4 Dec), eight a day.
    let mut visits = Vec::new();
    for day in 0..4 {
        for slot in 0..8 {
            let letters = format!("{}{}", char::from(b'a' + day as u8), char::from(b'a' + slot as u8));
            let patient = super::tests::patient(
                &store,
                "Patient",
                &format!("Kaln{letters}"),
                &format!("+371 2000 1{day}{slot}0"),
            );
            let booking = BookingRequest {
                patient_id: patient.id,
                date: request.date + chrono::Duration::days(day),
                start_time: format!("{:02}:00", 8 + slot),
                ..request.clone()
            };
            visits.push(store.book_appointment(Actor::User, &booking).unwrap());
        }
    }
    let survey = |id, nps: u8, csat: u8| super::SurveyInput {
        appointment_id: id,
        source: SurveySource::Staff,
        answers: SurveyAnswers { nps: Some(nps), csat: Some(csat), servqual: vec![], comment: String::new() },
        kano: vec![],
    };
    let refused = store.record_survey(Actor::User, &survey(visits[0].id, 10, 5)).unwrap_err();
    assert_eq!(reason(refused), "no_visit_to_rate", "a booked visit has not happened");
    store
        .write(Actor::User, Work::ClinicSetup, |w| w.db().execute("UPDATE appointments SET status = 'fulfilled'", &[]))
        .unwrap();
    // 32 answers: 16 promoters, 8 passives, 8 detractors → NPS 25; CSAT 24 of 32 → 75 %.
    for (i, visit) in visits.iter().enumerate() {
        let nps = match i % 4 {
            0 | 1 => 10,
            2 => 8,
            _ => 3,
        };
        let csat = if i % 4 == 3 { 2 } else { 5 };
        store.record_survey(Actor::User, &survey(visit.id, nps, csat)).unwrap();
    }
    assert_eq!(reason(store.record_survey(Actor::User, &survey(visits[0].id, 9, 5)).unwrap_err()), "already_answered");

    let greeted = store
        .add_standard(
            Actor::User,
            &StandardInput {
                family_key: "first_consultation".into(),
                stage_key: "check_in".into(),
                kind: StandardKind::Checked,
                text: "Greeted by name".into(),
                measure: None,
                limit_minutes: None,
                working_time: false,
            },
        )
        .unwrap();
    for met in [true, true, true, true, true, true, true, true, true, false] {
        let check = super::AuditCheck { standard_id: greeted.id, met, note: String::new() };
        store
            .record_audit(
                Actor::User,
                &super::AuditInput {
                    auditor: "Marta".into(),
                    kind: AuditKind::MysteryShopper,
                    note: String::new(),
                    checks: vec![check],
                },
            )
            .unwrap();
    }

    // A retired standard is no longer audited; its past checks stay.
    store.set_standard_active(Actor::User, greeted.id, false).unwrap();
    let late = super::AuditCheck { standard_id: greeted.id, met: true, note: String::new() };
    let input = super::AuditInput {
        auditor: "Marta".into(),
        kind: AuditKind::Supervisor,
        note: String::new(),
        checks: vec![late],
    };
    assert_eq!(reason(store.record_audit(Actor::User, &input).unwrap_err()), "inactive");
    store.set_standard_active(Actor::User, greeted.id, true).unwrap();
    // Reworded: the audit checks it had stay its own; the edit is audited with before and after.
    use crate::domain::standards::StandardEdit;
    let reworded =
        StandardEdit { text: "Greeted by name at the desk".into(), limit_minutes: Some(5), working_time: true };
    let greeted = store.update_standard(Actor::User, greeted.id, &reworded).unwrap();
    assert_eq!(
        (greeted.text.as_str(), greeted.limit_minutes, greeted.active),
        ("Greeted by name at the desk", None, true)
    );
    let detail: String =
        rows_of(&store, "SELECT detail FROM audit_log WHERE entity_id = ?1 AND action = 'edit'", &[&greeted.id])[0]
            .get(0)
            .unwrap();
    assert_eq!(detail, "text: \"Greeted by name\" → \"Greeted by name at the desk\"");
    let blank = StandardEdit { text: " ".into(), ..reworded.clone() };
    assert_eq!(reason(store.update_standard(Actor::User, greeted.id, &blank).unwrap_err()), "required");
    let missing = store.update_standard(Actor::User, uuid::Uuid::nil(), &reworded).unwrap_err();
    assert!(matches!(missing, crate::Error::NotFound { entity: "standard", .. }), "{missing}");
    assert_eq!(store.list_standards().unwrap().iter().find(|s| s.id == greeted.id).unwrap().text, greeted.text);

    // The surveys were taken "now" (24 Nov), the visits are in December: the period holds both.
    let query = super::InsightsQuery {
        from: "2026-11-01".parse().unwrap(),
        to: "2026-12-31".parse().unwrap(),
        provider_id: None,
        service_type_id: None,
    };
    let insights = store.insights(&query).unwrap();
    assert_eq!(insights.surveys, 32);
    assert_eq!((insights.nps.promoters, insights.nps.passives, insights.nps.detractors), (16, 8, 8));
    assert_eq!(insights.nps.score.value, Some(25.0));
    assert_eq!(insights.csat.value, Some(75.0));
    assert_eq!(insights.nps_by_month.iter().map(|m| m.month.as_str()).collect::<Vec<_>>(), ["2026-11"]);
    let csv = crate::insights_csv::insights_csv(&insights, crate::insights_csv::InsightsTable::Nps);
    assert_eq!(csv, "\u{feff}month,promoters,passives,detractors,nps\n2026-11,16,8,8,25.00\n");
    assert_eq!((insights.rates.visits_due, insights.rates.no_show.value), (32, Some(0.0)));
    let audit = insights.standards.iter().find(|s| s.standard.as_ref().is_some_and(|s| s.id == greeted.id)).unwrap();
    assert_eq!((audit.compliance.met, audit.compliance.checks, audit.compliance.holds_line), (9, 10, Some(true)));
    assert_eq!(audit.standard.as_ref().unwrap().text, "Greeted by name at the desk");
    // The clinic's SERVQUAL weights: 100 points or none.
    use crate::domain::survey::Dimension::*;
    let short = [(Tangibles, 10), (Reliability, 30), (Responsiveness, 20), (Assurance, 20), (Empathy, 10)];
    assert_eq!(reason(store.set_servqual_weights(Actor::User, Some(&short)).unwrap_err()), "weights_not100");
    let full = [(Tangibles, 10), (Reliability, 30), (Responsiveness, 25), (Assurance, 20), (Empathy, 15)];
    store.set_servqual_weights(Actor::User, Some(&full)).unwrap();
    assert_eq!(store.standards_setup().unwrap().servqual_weights, full);
    store.set_servqual_weights(Actor::User, None).unwrap();
    assert!(store.standards_setup().unwrap().servqual_weights.is_empty());

    // Another provider's report holds none of it; a reversed period is refused.
    let other = super::InsightsQuery { provider_id: Some(uuid::Uuid::nil()), ..query.clone() };
    assert_eq!(store.insights(&other).unwrap().surveys, 0);
    let reversed = super::InsightsQuery { from: query.to, to: query.from, ..query };
    assert_eq!(reason(store.insights(&reversed).unwrap_err()), "period_reversed");
}
