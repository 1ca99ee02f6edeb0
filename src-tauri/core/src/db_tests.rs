//! The same checks on both engines: an in-memory SQLite clinic and a new database on the
//! throwaway PostgreSQL server. What the store moves onto `Db` is tested here on both.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::db::Db;
use crate::domain::clinic::{ClinicSettings, ClosedDay, MinuteRange, WeekdayHours};
use crate::server::{connect, migrate, throwaway::cluster};
use crate::store::{read_settings, write_settings_rows, Store};

/// Runs `check` on SQLite, then on PostgreSQL (in a transaction it then commits), each with
/// the clinic's schema and nothing in it but what a new clinic has.
fn on_both_engines(check: impl Fn(&Db, &str)) {
    let store = Store::open_in_memory().unwrap();
    store
        .read(|c| {
            check(&Db::Sqlite(c), "SQLite");
            Ok(())
        })
        .unwrap();

    let address = cluster().new_database();
    let mut client = connect(&address).unwrap();
    migrate(&mut client).unwrap();
    let mut tx = client.transaction().unwrap();
    check(&Db::postgres(&mut tx), "PostgreSQL");
    tx.commit().unwrap();
}

#[test]
fn values_cross_both_engines_alike() {
    on_both_engines(|db, engine| {
        db.execute("CREATE TEMPORARY TABLE probe (n BIGINT, s TEXT, d TEXT, f BIGINT)", &[]).unwrap();
        let id = Uuid::from_u128(7);
        let day = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        db.execute("INSERT INTO probe (n, s, d, f) VALUES (?1, ?2, ?3, ?4)", &[&-5i64, &id, &day, &true]).unwrap();
        db.execute(
            "INSERT INTO probe (n, s, d, f) VALUES (?1, ?2, ?3, ?4)",
            &[&None::<i64>, &"it's ?1", &None::<String>, &false],
        )
        .unwrap();
        let rows = db.query("SELECT n, s, d, f FROM probe ORDER BY f DESC", &[]).unwrap();
        assert_eq!(rows.len(), 2, "{engine}");
        assert_eq!(rows[0].get::<i64>(0).unwrap(), -5, "{engine}");
        assert_eq!(rows[0].get::<Uuid>(1).unwrap(), id, "{engine}");
        assert_eq!(rows[0].get::<NaiveDate>(2).unwrap(), day, "{engine}");
        assert!(rows[0].get::<bool>(3).unwrap(), "{engine}");
        assert_eq!(rows[1].get::<Option<i64>>(0).unwrap(), None, "{engine}");
        assert_eq!(rows[1].get::<String>(1).unwrap(), "it's ?1", "{engine}");
        assert_eq!(rows[1].get::<Option<NaiveDate>>(2).unwrap(), None, "{engine}");

        // A parameter's type comes from where it stands; comparisons read as 0/1; a count is an integer.
        let row = db
            .query_one(
                "SELECT ?1 + 1, 1 = 1, 'a' = 'b', (SELECT count(*) FROM probe WHERE n = ?2 OR n IS NULL), ?3",
                &[&41i64, &-5i64, &"text"],
            )
            .unwrap();
        assert_eq!(
            (row.get::<i64>(0).unwrap(), row.get::<bool>(1).unwrap(), row.get::<bool>(2).unwrap()),
            (42, true, false),
            "{engine}"
        );
        assert_eq!((row.get::<i64>(3).unwrap(), row.get::<String>(4).unwrap()), (2, "text".into()), "{engine}");
        assert_eq!(db.execute("UPDATE probe SET n = ?1 WHERE n IS NULL", &[&9i64]).unwrap(), 1, "{engine}");
        assert!(db.query_opt("SELECT n FROM probe WHERE n = ?1", &[&100i64]).unwrap().is_none(), "{engine}");
        // A value that does not fit its Rust type is damage, said as such.
        assert_eq!(
            db.query_one("SELECT s FROM probe WHERE n = 9", &[]).unwrap().get::<i64>(0).unwrap_err().kind(),
            "corrupt"
        );
    });
}

#[test]
fn clinic_settings_are_written_and_read_alike_on_both_engines() {
    let settings = ClinicSettings {
        name: "Clinic on the Hill".into(),
        address: "1 Hill Road".into(),
        phone: "+380 44 123 4567".into(),
        time_zone: "Europe/Kyiv".into(),
        default_language: "uk".into(),
        working_hours: (1..=5)
            .map(|weekday| WeekdayHours::every_week(weekday, MinuteRange { start: 8 * 60, end: 18 * 60 }))
            .chain([WeekdayHours::every_week(6, MinuteRange { start: 9 * 60, end: 13 * 60 })])
            .collect(),
        closed_days: vec![
            ClosedDay {
                date: NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
                reason: "Christmas".into(),
                yearly: true,
            },
            ClosedDay {
                date: NaiveDate::from_ymd_opt(2027, 1, 7).unwrap(),
                reason: "Staff training".into(),
                yearly: false,
            },
        ],
        quiet_hours: Some(MinuteRange { start: 20 * 60, end: 8 * 60 }),
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
    on_both_engines(|db, engine| {
        write_settings_rows(db, &settings, now).unwrap();
        assert_eq!(read_settings(db).unwrap(), settings, "{engine}");
        // Saved again without quiet hours and closed days: the rows follow.
        let plain = ClinicSettings { quiet_hours: None, closed_days: vec![], ..settings.clone() };
        write_settings_rows(db, &plain, now).unwrap();
        assert_eq!(read_settings(db).unwrap(), plain, "{engine}");
    });
}

#[test]
fn a_moved_clinic_reads_the_same_on_both_engines() {
    use crate::demo::{load_demo, DemoOptions};
    use crate::store::{read_blocked_between, read_blocked_between_any, read_providers, read_rooms, Actor};

    let desk = Store::open_in_memory().unwrap();
    load_demo(&desk, &DemoOptions { patients: 30, days: 14, seed: 8 }).unwrap();
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let mut client = connect(&address).unwrap();
    let mut tx = client.transaction().unwrap();
    let server = Db::postgres(&mut tx);

    let (from, to) = (desk.now() - chrono::Duration::days(30), desk.now() + chrono::Duration::days(30));
    let today = desk.calendar().unwrap().local_date(desk.now());
    // Every open task, and by kind and by role.
    use crate::domain::reminders::TaskKind;
    use crate::domain::resources::Role;
    use crate::domain::tasks::CallListQuery;
    use crate::store::call_list_on;
    let all = CallListQuery { date: today, kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
    let call_lists: Vec<_> = [
        all.clone(),
        CallListQuery { kind: Some(TaskKind::Call), ..all.clone() },
        CallListQuery { role: Some(Role::FrontDesk), upcoming_days: Some(0), ..all.clone() },
    ]
    .into_iter()
    .map(|query| {
        let list = desk.call_list(&query).unwrap();
        assert!(!list.rows.is_empty(), "{query:?}: an empty list proves nothing");
        (query, list)
    })
    .collect();
    // Pages of the patient list: all, by a word, by phone digits, a later page.
    let language = desk.get_settings().unwrap().default_language;
    let some_patient = desk.list_patients("", 1).unwrap().items[0].patient.clone();
    let digits: String = some_patient.phone.chars().filter(char::is_ascii_digit).skip(3).take(4).collect();
    let family = some_patient.family_name.clone();
    let patient_pages: Vec<_> = [("", 0, 50), (family.as_str(), 0, 10), (digits.as_str(), 0, 10), ("", 10, 7)]
        .into_iter()
        .map(|(words, offset, limit)| {
            let page = desk.patients_page(words, offset, limit).unwrap();
            assert!(!page.items.is_empty(), "{words:?}: an empty page proves nothing");
            assert!(page.items.iter().any(|i| i.last_visit.is_some() || i.next_visit.is_some()));
            (words.to_string(), offset, limit, page)
        })
        .collect();
    desk.read(|c| {
        let here = Db::Sqlite(c);
        use crate::store::{read_patients_page, PageQuery};
        for (words, offset, limit, page) in &patient_pages {
            let asked = PageQuery { words, offset: *offset, limit: *limit, clinician: None, now: desk.now() };
            assert_eq!(&read_patients_page(&server, &asked, &language)?, page, "{words:?} from {offset}");
        }
        // Service types and the current journey templates with their stages and blueprint cells.
        use crate::store::{read_current_templates, read_service_types};
        let templates = read_current_templates(&here)?;
        assert!(templates.iter().any(|t| t.stages.iter().any(|s| !s.cells.is_empty())), "the demo's blueprints");
        assert_eq!(read_current_templates(&server)?, templates);
        assert_eq!(read_service_types(&server)?, read_service_types(&here)?);
        let providers = read_providers(&here)?;
        assert!(providers.iter().any(|p| !p.availability.is_empty()), "the demo's providers have hours");
        assert_eq!(read_providers(&server)?, providers);
        let rooms = read_rooms(&here)?;
        assert_eq!(read_rooms(&server)?, rooms);
        assert_eq!(read_settings(&server)?, read_settings(&here)?);
        let blocked = read_blocked_between_any(&here, from, to)?;
        assert!(!blocked.is_empty(), "the demo blocks some time");
        assert_eq!(read_blocked_between_any(&server, from, to)?, blocked);
        // The schedule grid: a day by provider and a week by room, the same on both.
        use crate::domain::schedule::{ScheduleBy, ScheduleQuery, ScheduleSpan};
        use crate::store::schedule_on;
        for (span, by) in [(ScheduleSpan::Day, ScheduleBy::Provider), (ScheduleSpan::Week, ScheduleBy::Room)] {
            let query = ScheduleQuery { date: today, span, by, resource_id: None };
            let view = schedule_on(&here, &query)?;
            assert!(view.entries.len() > 3, "{span:?}: {} visits", view.entries.len());
            assert_eq!(schedule_on(&server, &query)?, view);
        }
        // The call list, as the embedded store gives it (read before: the in-memory store has
        // one connection, held here).
        for (query, list) in &call_lists {
            for (read, engine) in [
                (call_list_on(&server, query, desk.now())?, "server"),
                (call_list_on(&here, query, desk.now())?, "file"),
            ] {
                assert_eq!(read.rows.len(), list.rows.len(), "{engine}: {query:?}");
                for (n, (got, want)) in read.rows.iter().zip(&list.rows).enumerate() {
                    assert_eq!(got, want, "{engine}: row {n} of {query:?}");
                }
                assert_eq!(&read, list, "{engine}: {query:?}");
            }
        }
        let (provider, room) = (providers[0].id, rooms[0].id);
        assert_eq!(
            read_blocked_between(&server, provider, room, from, to)?,
            read_blocked_between(&here, provider, room, from, to)?
        );
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_statement_is_prepared_once_per_connection_and_outlives_its_transaction() {
    use crate::db::Statements;
    let address = cluster().new_database();
    let mut client = connect(&address).unwrap();
    let statements = Statements::default();
    let sql = "SELECT CAST(?1 AS BIGINT) + 1";
    // Prepared in a transaction that is rolled back: the statement is the connection's.
    let mut tx = client.transaction().unwrap();
    let n: i64 = Db::postgres_prepared(&mut tx, &statements).query_one(sql, &[&1i64]).unwrap().get(0).unwrap();
    assert_eq!(n, 2);
    tx.rollback().unwrap();
    assert_eq!(statements.len(), 1);
    let mut tx = client.transaction().unwrap();
    let db = Db::postgres_prepared(&mut tx, &statements);
    let n: i64 = db.query_one(sql, &[&41i64]).unwrap().get(0).unwrap();
    assert_eq!(n, 42);
    assert_eq!(statements.len(), 1, "reused, not prepared again");
    db.query_one("SELECT CAST(?1 AS TEXT)", &[&"two"]).unwrap();
    assert_eq!(statements.len(), 2);
}

#[test]
fn the_audit_captures_what_changed_alike_on_both_engines() {
    use crate::store::{changes_of, forget_captured, prepare_capture_table, Entity};
    use serde_json::{json, Value};
    let changes = |db: &Db, entity: Entity, id: Uuid| -> Value {
        let text = changes_of(db, entity, id).unwrap();
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        }
    };
    on_both_engines(|db, engine| {
        prepare_capture_table(db).unwrap();
        let id = Uuid::from_u128(42);
        db.execute(
            "INSERT INTO patients (id, given_name, family_name, birth_date, phone, preferred_channel,
               preferred_language, consent_reminders, do_not_contact, notes, search_key, created_at, updated_at)
             VALUES (?1, 'Anna', 'Bērziņa', '1980-02-03', '+371 2000 0001', 'sms', 'lv', 1, 0, '', 'anna', 7, 7)",
            &[&id],
        )
        .unwrap();
        // A new row: each field it holds, but the search key and the times.
        assert_eq!(
            changes(db, Entity::Patients, id),
            json!({
                "given_name": [null, "Anna"], "family_name": [null, "Bērziņa"], "birth_date": [null, "1980-02-03"],
                "phone": [null, "+371 2000 0001"], "preferred_channel": [null, "sms"],
                "preferred_language": [null, "lv"], "consent_reminders": [null, 1], "do_not_contact": [null, 0],
                "notes": [null, ""],
            }),
            "{engine}"
        );
        // Two updates: the first value before and the last after; the captured rows are used up.
        db.execute(
            "UPDATE patients SET phone = '+371 2000 0002', search_key = 'x', updated_at = 8 WHERE id = ?1",
            &[&id],
        )
        .unwrap();
        db.execute("UPDATE patients SET phone = '+371 2000 0003', do_not_contact = 1 WHERE id = ?1", &[&id]).unwrap();
        assert_eq!(
            changes(db, Entity::Patients, id),
            json!({"phone": ["+371 2000 0001", "+371 2000 0003"], "do_not_contact": [0, 1]}),
            "{engine}"
        );
        let left: i64 = db.query_one("SELECT count(*) FROM audit_capture", &[]).unwrap().get(0).unwrap();
        assert_eq!(left, 0, "{engine}");
        // A deleted row: what it held.
        db.execute("DELETE FROM patients WHERE id = ?1", &[&id]).unwrap();
        assert_eq!(changes(db, Entity::Patients, id)["phone"], json!(["+371 2000 0003", null]), "{engine}");
        // The clinic's one settings row is found whatever id the write names.
        let settings = ClinicSettings {
            name: "Dawn Clinic".into(),
            address: String::new(),
            phone: String::new(),
            time_zone: "Europe/Riga".into(),
            default_language: "lv".into(),
            working_hours: vec![],
            closed_days: vec![],
            quiet_hours: None,
        };
        write_settings_rows(db, &settings, Utc::now()).unwrap();
        forget_captured(db).unwrap();
        db.execute("UPDATE clinic_settings SET name = 'Sunrise Clinic' WHERE id = 'clinic'", &[]).unwrap();
        assert_eq!(
            changes(db, Entity::ClinicSettings, Uuid::nil())["name"],
            json!(["Dawn Clinic", "Sunrise Clinic"]),
            "{engine}"
        );
        // A table the log does not audit captures nothing; what a write left is forgotten.
        db.execute("UPDATE rooms SET name = name", &[]).unwrap();
        db.execute("UPDATE providers SET name = name", &[]).unwrap();
        forget_captured(db).unwrap();
        let left: i64 = db.query_one("SELECT count(*) FROM audit_capture", &[]).unwrap().get(0).unwrap();
        assert_eq!(left, 0, "{engine}");
    });
}
