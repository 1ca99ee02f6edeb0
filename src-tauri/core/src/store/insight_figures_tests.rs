//! The figures kept per day stay equal to counting every day afresh from the rows, through the
//! writes that change them; and the stage figures they give equal those read from the event log.

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use super::tests::now;
use super::{Actor, InsightsQuery, Store};
use crate::demo::DemoOptions;
use crate::domain::access::Work;
use crate::domain::flow::FlowColumn;
use crate::domain::journey::StandardBasis;
use crate::domain::survey::{SurveyAnswers, SurveySource};
use crate::domain::template_edit::TemplateDraft;

fn queries(store: &Store) -> Vec<InsightsQuery> {
    let today = store.calendar().unwrap().local_date(now());
    let whole = InsightsQuery {
        from: today - Duration::days(60),
        to: today + Duration::days(30),
        provider_id: None,
        service_type_id: None,
    };
    let provider = store.list_providers().unwrap()[1].id;
    let service = store.list_service_types().unwrap()[0].id;
    vec![
        whole.clone(),
        InsightsQuery { provider_id: Some(provider), ..whole.clone() },
        InsightsQuery { service_type_id: Some(service), ..whole.clone() },
        InsightsQuery { from: today - Duration::days(3), to: today, ..whole },
    ]
}

/// Every report from the kept figures equals the same report once every day is counted again.
fn assert_kept_equals_recounted(store: &Store, step: &str) {
    let queries = queries(store);
    let kept: Vec<_> = queries.iter().map(|q| store.insights(q).unwrap()).collect();
    // Forgetting the zone the days were counted in makes the next write count every day.
    store.write(Actor::System, Work::ClinicSetup, |w| w.db().execute("DELETE FROM figures_zone", &[])).unwrap();
    for (query, kept) in queries.iter().zip(kept) {
        assert_eq!(kept, store.insights(query).unwrap(), "after {step}: {query:?}");
    }
}

fn one_visit(store: &Store, condition: &str) -> Uuid {
    let sql = format!("SELECT id FROM appointments WHERE {condition} ORDER BY starts_at, id LIMIT 1");
    super::tests::rows_of(store, &sql, &[])[0].get(0).unwrap()
}

#[test]
fn kept_figures_follow_every_kind_of_write() {
    let store = super::tests::demo_store(&DemoOptions { patients: 80, days: 20, seed: 7 });
    let whole = &queries(&store)[0];
    let report = store.insights(whole).unwrap();
    assert!(report.surveys > 0 && report.rates.visits_due > 0 && report.stages.iter().any(|s| s.samples > 0));
    assert_kept_equals_recounted(&store, "the demo");

    let (from, to) = (now().timestamp(), (now() + Duration::days(20)).timestamp());
    let upcoming = one_visit(&store, &format!("status = 'booked' AND starts_at > {from} AND starts_at < {to}"));
    store.cancel_appointment(Actor::User, upcoming, "Unwell").unwrap();
    assert_kept_equals_recounted(&store, "a late cancellation");

    // Straight to the table: the schedule's checks are beside the point here.
    let move_visit = |id: Uuid, by_days: i64, provider: Uuid| {
        store
            .write(Actor::User, Work::ClinicSetup, |w| {
                let moved = w.db().execute(
                    "UPDATE appointments SET starts_at = starts_at + ?2, ends_at = ends_at + ?2, provider_id = ?3
                     WHERE id = ?1",
                    &[&id, &(by_days * 86_400), &provider],
                )?;
                w.changed(super::Entity::Appointments, id);
                Ok(moved)
            })
            .unwrap()
    };
    let calendar = store.calendar().unwrap();
    let first_day = calendar.day_bounds(calendar.local_date(now()) - Duration::days(3)).0.timestamp();
    let other_provider = store.list_providers().unwrap()[1].id;
    let rated_on_first_day = |except: Uuid| {
        one_visit(
            &store,
            &format!(
                "status = 'fulfilled' AND starts_at >= {first_day} AND provider_id <> '{other_provider}'
                 AND id IN (SELECT appointment_id FROM survey_responses) AND id <> '{except}'"
            ),
        )
    };
    // A visit on the first day of the short report moved out of it, a day earlier: its old day
    // loses it.
    let early = rated_on_first_day(Uuid::nil());
    let provider = |id: Uuid| store.get_appointment(id).unwrap().provider_id;
    move_visit(early, -1, provider(early));
    assert_kept_equals_recounted(&store, "a visit moved to the day before");
    // Another given to the provider of the provider's report: its passes and answers follow.
    move_visit(rated_on_first_day(early), 0, other_provider);
    assert_kept_equals_recounted(&store, "a visit given to another provider");

    let today = store.calendar().unwrap().day_bounds(store.calendar().unwrap().local_date(now()));
    let here = one_visit(
        &store,
        &format!(
            "status IN ('booked', 'confirmed') AND starts_at >= {} AND starts_at < {}",
            today.0.timestamp(),
            today.1.timestamp()
        ),
    );
    for column in [FlowColumn::Arrived, FlowColumn::Waiting, FlowColumn::WithClinician, FlowColumn::Done] {
        store.move_on_flow_board(Actor::User, here, column).unwrap();
    }
    assert_kept_equals_recounted(&store, "a visit through the flow board");

    let unrated = one_visit(&store, "status = 'fulfilled' AND id NOT IN (SELECT appointment_id FROM survey_responses)");
    let answers = SurveyAnswers { nps: Some(3), csat: Some(2), servqual: vec![], comment: String::new() };
    let survey = super::SurveyInput { appointment_id: unrated, source: SurveySource::Staff, answers, kano: vec![] };
    store.record_survey(Actor::User, &survey).unwrap();
    // Nothing booked has started yet at 08:00: a past visit recorded as missed instead.
    let missed = one_visit(&store, &format!("status = 'fulfilled' AND starts_at < {from} AND id <> '{unrated}'"));
    store
        .write(Actor::User, Work::ClinicSetup, |w| {
            w.db().execute("UPDATE appointments SET status = 'noshow' WHERE id = ?1", &[&missed])
        })
        .unwrap();
    assert_kept_equals_recounted(&store, "a survey and a no-show");

    // A new version of the journey re-times its passes: the follow-up call timed from its own
    // entry instead of from the check-out.
    let service =
        store.list_service_types().unwrap().into_iter().find(|s| s.template_family_key == "first_consultation");
    let blueprint = store.blueprint(service.unwrap().id).unwrap();
    let mut stages = blueprint.template.stages.clone();
    let follow_up = stages.iter_mut().find(|s| s.key == "follow_up_call").unwrap();
    follow_up.standard_basis = match follow_up.standard_basis {
        StandardBasis::Duration => StandardBasis::LeadTime,
        StandardBasis::LeadTime => StandardBasis::Duration,
    };
    let draft = TemplateDraft {
        based_on: blueprint.template.id,
        name: blueprint.template.name,
        description: blueprint.template.description,
        stages,
        rules: blueprint.rules,
    };
    let before = store.insights(whole).unwrap();
    store.save_template_version(Actor::User, &draft).unwrap();
    let after = store.insights(whole).unwrap();
    let follow_up = |report: &super::Insights| {
        let stage =
            report.stages.iter().find(|s| s.family_key == "first_consultation" && s.stage_key == "follow_up_call");
        stage.map(|s| (s.samples, s.median_minutes)).unwrap()
    };
    assert_ne!(follow_up(&before), follow_up(&after), "the follow-up call re-timed");
    assert_kept_equals_recounted(&store, "a new journey version");

    // Another time zone moves every day's bounds.
    let mut settings = store.get_settings().unwrap();
    settings.time_zone = "Asia/Shanghai".into();
    store.save_settings(Actor::User, &settings).unwrap();
    assert_ne!(store.insights(whole).unwrap(), after, "the days were counted again in the new zone");
    assert_kept_equals_recounted(&store, "another time zone");
}

#[test]
fn kept_stage_figures_equal_the_event_log() {
    let store = super::tests::demo_store(&DemoOptions { patients: 60, days: 15, seed: 11 });
    let calendar = store.calendar().unwrap();
    let (first, last): (NaiveDate, NaiveDate) =
        (calendar.local_date(now()) - Duration::days(30), calendar.local_date(now()));
    for service in store.list_service_types().unwrap() {
        let query = InsightsQuery { from: first, to: last, provider_id: None, service_type_id: Some(service.id) };
        let kept = store.insights(&query).unwrap();
        let from_log = store
            .read_db(|db| {
                super::insights::service_stage_compliance(
                    db,
                    service.id,
                    calendar.day_bounds(first).0,
                    calendar.day_bounds(last).1,
                    now(),
                )
            })
            .unwrap();
        let timed: u32 = kept.stages.iter().map(|s| s.samples).sum();
        assert!(timed > 0 || service.template_family_key != "first_consultation", "{}: no passes", service.name);
        for stage in kept.stages {
            assert_eq!(Some(&stage.compliance), from_log.get(&stage.stage_key), "{} {}", service.name, stage.stage_key);
        }
    }
}
