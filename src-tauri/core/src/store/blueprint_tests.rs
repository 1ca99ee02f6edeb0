//! The store's blueprint: versions on save, journeys keeping theirs, the overlay on the demo.

use chrono::Duration;

use super::tests::{booking_setup, now, rows_of, store};
use super::{Actor, Store};
use crate::demo::DemoOptions;
use crate::domain::appointment::BookingRequest;
use crate::domain::template_edit::TemplateDraft;

fn draft_of(store: &Store, service_type_id: uuid::Uuid) -> TemplateDraft {
    let b = store.blueprint(service_type_id).unwrap();
    TemplateDraft {
        based_on: b.template.id,
        name: b.template.name,
        description: b.template.description,
        stages: b.template.stages,
        rules: b.rules,
    }
}

fn journey_template(store: &Store, appointment: uuid::Uuid) -> uuid::Uuid {
    rows_of(store, "SELECT template_id FROM patient_journeys WHERE appointment_id = ?1", &[&appointment])[0]
        .get(0)
        .unwrap()
}

#[test]
fn saving_an_edit_makes_a_new_version_and_journeys_under_way_keep_theirs() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let before = store.book_appointment(Actor::User, &request).unwrap();
    let old = journey_template(&store, before.id);
    let service = request.service_type_id;
    let rules_before = store.blueprint(service).unwrap().rules.len();

    let mut draft = draft_of(&store, service);
    let duty = draft.stages.iter_mut().flat_map(|s| s.cells.iter_mut()).find(|c| c.owner_role.is_some()).unwrap();
    duty.text = "Check the referral letter is in the chart".into();
    let saved = store.save_template_version(Actor::User, &draft).unwrap();

    let blueprint = store.blueprint(service).unwrap();
    assert_eq!(blueprint.template.id, saved.id);
    assert_eq!(blueprint.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(blueprint.versions[1].journeys_in_progress, 1, "the booked visit still follows version 1");
    assert_eq!(blueprint.rules.len(), rules_before, "rules come along into the new version");
    assert!(blueprint
        .template
        .stages
        .iter()
        .flat_map(|s| &s.cells)
        .any(|c| c.text == "Check the referral letter is in the chart"));
    assert_eq!(journey_template(&store, before.id), old, "the journey under way keeps its version");
    let old_text = store.get_template(old).unwrap();
    assert!(
        !old_text.stages.iter().flat_map(|s| &s.cells).any(|c| c.text == "Check the referral letter is in the chart"),
        "version 1 is untouched"
    );

    // A visit booked now follows the new version.
    let mut later = request.clone();
    later.start_time = "12:00".into();
    let after = store.book_appointment(Actor::User, &later).unwrap();
    assert_eq!(journey_template(&store, after.id), saved.id);

    // Saving from the old version again is refused: someone else's edit would be lost.
    let err = store.save_template_version(Actor::User, &draft).unwrap_err();
    assert!(err.to_string().contains("edited meanwhile"), "{err}");
}

/// (rule name, local due time) of an appointment's tasks.
fn tasks_of(store: &Store, appointment: uuid::Uuid) -> Vec<(String, String)> {
    let calendar = store.calendar().unwrap();
    rows_of(
        store,
        "SELECT r.name, t.due_at FROM tasks t JOIN reminder_rules r ON r.id = t.rule_id WHERE t.appointment_id = ?1
         ORDER BY t.due_at",
        &[&appointment],
    )
    .iter()
    .map(|r| (r.get(0).unwrap(), calendar.to_local_text(r.get(1).unwrap())))
    .collect()
}

#[test]
fn an_edited_rule_plans_the_visits_booked_after_it_and_leaves_earlier_ones_alone() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let before = store.book_appointment(Actor::User, &request).unwrap();
    let mut draft = draft_of(&store, request.service_type_id);
    let rule = draft.rules.iter_mut().find(|r| r.name == "Confirmation call").unwrap();
    rule.name = "Early confirmation call".into();
    (rule.offset_amount, rule.at_time) = (-3, Some(11 * 60));
    store.save_template_version(Actor::User, &draft).unwrap();

    let saved = store.blueprint(request.service_type_id).unwrap().rules;
    let edited = saved.iter().find(|r| r.name == "Early confirmation call").expect("the edit is saved");
    assert_eq!((edited.offset_amount, edited.at_time), (-3, Some(660)));

    let later =
        store.book_appointment(Actor::User, &BookingRequest { start_time: "12:00".into(), ..request.clone() }).unwrap();
    let call =
        |tasks: Vec<(String, String)>| tasks.into_iter().find(|(name, _)| name.contains("onfirmation call")).unwrap();
    // Tue 1 Dec: two working days before is Fri 27 Nov (at the visit's time), three is Thu 26 Nov.
    assert_eq!(call(tasks_of(&store, before.id)), ("Confirmation call".into(), "Fri 27 Nov 2026 10:00".into()));
    assert_eq!(call(tasks_of(&store, later.id)), ("Early confirmation call".into(), "Thu 26 Nov 2026 11:00".into()));
}

#[test]
fn a_refused_edit_writes_nothing() {
    let store = store();
    let (request, _) = booking_setup(&store);
    let mut draft = draft_of(&store, request.service_type_id);
    draft.stages[0].name = String::new();
    assert!(store.save_template_version(Actor::User, &draft).is_err());
    assert_eq!(store.blueprint(request.service_type_id).unwrap().versions.len(), 1);
}

#[test]
fn the_demo_clinic_shows_live_figures_and_a_bottleneck() {
    let store = super::tests::demo_store(&DemoOptions { patients: 120, days: 20, seed: 3 });
    let service = store
        .list_service_types()
        .unwrap()
        .into_iter()
        .find(|s| s.template_family_key == "first_consultation")
        .unwrap();
    let overlay = store.blueprint_overlay(service.id, now() - Duration::days(20), now()).unwrap();
    let waiting = overlay.stages.iter().find(|s| s.stage_key == "waiting").unwrap();
    assert!(waiting.samples >= 3, "the demo has finished visits: {waiting:?}");
    assert!(waiting.median_minutes.is_some() && waiting.p90_minutes >= waiting.median_minutes);
    let confirmation = overlay.stages.iter().find(|s| s.stage_key == "confirmation").unwrap();
    assert!(confirmation.open_tasks > 0, "visits to come have confirmation calls: {confirmation:?}");
    let bottleneck = overlay.bottleneck.as_deref().expect("some stage runs over its standard in the demo");
    let worst = overlay.stages.iter().find(|s| s.stage_key == bottleneck).unwrap();
    assert!(worst.median_to_standard.unwrap() > 1.0);
    assert!(overlay
        .stages
        .iter()
        .all(|s| s.samples < 3 || s.median_to_standard.unwrap_or(0.0) <= worst.median_to_standard.unwrap()));

    let err = store.blueprint_overlay(service.id, now(), now()).unwrap_err();
    assert!(err.to_string().contains("end after it starts"));
}

#[test]
fn each_role_sees_its_duties_for_the_day() {
    let store = super::tests::demo_store(&DemoOptions { patients: 120, days: 20, seed: 3 });
    let today = store.overview().unwrap().today;
    let roles = store.role_duties(today).unwrap();
    let front =
        roles.iter().find(|r| r.role == crate::domain::resources::Role::FrontDesk).expect("front desk has duties");
    assert!(front.duties.iter().any(|d| d.task_kind.is_none()), "check-ins from the blueprint");
    let clinician =
        roles.iter().find(|r| r.role == crate::domain::resources::Role::Clinician).expect("clinicians have duties");
    assert!(clinician.duties.iter().all(|d| !d.patient_name.is_empty()));
    assert!(roles.iter().all(|r| r.minutes_to_do <= r.duties.iter().filter_map(|d| d.standard_minutes).sum::<u32>()));
    let calendar = store.calendar().unwrap();
    for role in &roles {
        assert!(role.duties.iter().all(|d| calendar.local_date(d.due_at) == today), "every duty is due today");
        assert!(role.duties.windows(2).all(|w| w[0].due_at <= w[1].due_at), "in the order they are due");
    }
    assert!(
        front.duties.iter().any(|d| d.task_kind.is_some() && calendar.local_date(d.appointment_start) < today),
        "a follow-up call due today about an earlier visit is today's duty"
    );
}
