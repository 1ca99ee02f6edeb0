//! The clinic server against a throwaway PostgreSQL of the test process's own: its schema is
//! the embedded one table for table, a clinic moves onto it row for row (or not at all), and a
//! desk that cannot reach it is told why.

use std::collections::BTreeSet;

use postgres::types::Type;

use super::throwaway::cluster;
use super::{check, connect, migrate, schema_version, ServerAddress};
use crate::demo::{load_demo, DemoOptions};
use crate::error::{Error, Refusal};
use crate::store::{Actor, Store, SCHEMA_VERSION};

fn demo() -> Store {
    let store = Store::open_in_memory().unwrap();
    load_demo(&store, &DemoOptions { patients: 40, days: 7, seed: 19 }).unwrap();
    store
}

fn desk_rows(store: &Store, sql: &str) -> Vec<Vec<String>> {
    store
        .read(|c| {
            let mut statement = c.prepare(sql)?;
            let n = statement.column_count();
            let rows = statement.query_map([], |r| {
                (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| text_of_desk(&v))).collect()
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<Vec<String>>>>()?)
        })
        .unwrap()
}

fn text_of_desk(value: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match value {
        Value::Null => "∅".into(),
        Value::Integer(n) => n.to_string(),
        Value::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

fn server_rows(client: &mut postgres::Client, sql: &str) -> Vec<Vec<String>> {
    client
        .query(sql, &[])
        .unwrap()
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| match *row.columns()[i].type_() {
                    Type::INT8 => row.get::<_, Option<i64>>(i).map_or("∅".into(), |n| n.to_string()),
                    Type::TEXT | Type::NAME | Type::VARCHAR => {
                        row.get::<_, Option<String>>(i).unwrap_or_else(|| "∅".into())
                    }
                    Type::BOOL => row.get::<_, bool>(i).to_string(),
                    ref other => panic!("no text form for {other}"),
                })
                .collect()
        })
        .collect()
}

fn desk_tables(store: &Store) -> Vec<String> {
    desk_rows(store, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .into_iter()
        .map(|r| r[0].clone())
        .collect()
}

fn refusal(error: Error) -> Refusal {
    error.refusal().cloned().unwrap_or_else(|| panic!("not a refusal: {error}"))
}

#[test]
fn the_server_schema_is_the_embedded_schema_table_for_table() {
    let address = cluster().new_database();
    let mut client = connect(&address).unwrap();
    assert_eq!(migrate(&mut client).unwrap(), SCHEMA_VERSION);
    let desk = Store::open_in_memory().unwrap();

    let tables = desk_tables(&desk);
    let server_tables: Vec<String> = server_rows(
        &mut client,
        "SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = 'public' AND table_name NOT IN ('clinic_schema', 'applied_writes') ORDER BY 1",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert_eq!(server_tables, tables);

    for table in &tables {
        // name, type, NOT NULL, has a default, place in the primary key
        let on_desk = desk_rows(
            &desk,
            &format!(
                "SELECT name, CASE type WHEN 'INTEGER' THEN 'bigint' WHEN 'TEXT' THEN 'text' ELSE type END,
                        \"notnull\" OR pk > 0, dflt_value IS NOT NULL, pk
                   FROM pragma_table_info('{table}') ORDER BY cid"
            ),
        );
        let on_server = server_rows(
            &mut client,
            &format!(
                "SELECT c.column_name::text, c.data_type::text, c.is_nullable = 'NO', c.column_default IS NOT NULL,
                        COALESCE(k.ordinal_position, 0)::bigint
                   FROM information_schema.columns c
                   LEFT JOIN information_schema.table_constraints t
                     ON t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'
                   LEFT JOIN information_schema.key_column_usage k
                     ON k.constraint_name = t.constraint_name AND k.column_name = c.column_name
                  WHERE c.table_schema = 'public' AND c.table_name = '{table}'
                    -- The server's own order of rows written at one instant (the desk's row ids).
                    AND NOT (c.column_name = 'seq' AND c.table_name IN ('audit_log', 'stage_events'))
                  ORDER BY c.ordinal_position"
            ),
        );
        let on_desk: Vec<Vec<String>> = on_desk
            .into_iter()
            .map(|mut r| {
                for flag in [2, 3] {
                    r[flag] = (r[flag] == "1").to_string();
                }
                r
            })
            .collect();
        assert_eq!(on_server, on_desk, "columns of {table}");
    }

    // The same named indexes (those behind a key or UNIQUE constraint are the constraints').
    let desk_indexes: BTreeSet<String> =
        desk_rows(&desk, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
    let server_indexes: BTreeSet<String> = server_rows(
        &mut client,
        "SELECT i.indexname::text FROM pg_indexes i
          WHERE i.schemaname = 'public' AND i.tablename NOT IN ('clinic_schema', 'applied_writes')
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert_eq!(server_indexes, desk_indexes);

    // Triggers on the same tables and events (the server groups some into one function), with
    // the audit capture the desk makes as temporary triggers on its connection.
    let desk_triggers: BTreeSet<(String, String)> = desk_rows(
        &desk,
        "SELECT tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'
         UNION ALL SELECT tbl_name, sql FROM sqlite_temp_schema WHERE type = 'trigger'",
    )
    .into_iter()
    .map(|r| {
        let head = r[1].split(" ON ").next().unwrap_or_default();
        let event = ["INSERT", "UPDATE", "DELETE"].into_iter().find(|e| head.contains(&format!(" {e}")));
        (r[0].clone(), event.expect("a trigger's event").to_string())
    })
    .collect();
    let server_triggers: BTreeSet<(String, String)> = server_rows(
        &mut client,
        "SELECT DISTINCT event_object_table::text, event_manipulation::text FROM information_schema.triggers",
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect();
    assert_eq!(server_triggers, desk_triggers);
}

/// Every table of the server's database at `client` holds what the desk's holds, row for row
/// (each ordered by all its columns).
fn assert_same_rows(desk: &Store, client: &mut postgres::Client) {
    for table in &desk_tables(desk) {
        let columns = desk_rows(desk, &format!("SELECT name FROM pragma_table_info('{table}')"));
        let names: Vec<&str> = columns.iter().map(|c| c[0].as_str()).collect();
        let by_all: Vec<String> = names.iter().map(|c| format!("{c} NULLS FIRST")).collect();
        let order = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), by_all.join(", "));
        let (on_desk, on_server) = (desk_rows(desk, &order), server_rows(client, &order));
        assert_eq!(on_server.len(), on_desk.len(), "rows of {table}");
        assert_eq!(on_server, on_desk, "{table}");
    }
}

#[test]
fn a_clinic_moved_to_the_server_is_there_row_for_row() {
    let desk = demo();
    let address = cluster().new_database();
    let moved = desk.move_to_server(Actor::CommandLine, &address).unwrap();

    let tables = desk_tables(&desk);
    assert_eq!(moved.tables.iter().map(|t| t.table.clone()).collect::<BTreeSet<_>>(), tables.iter().cloned().collect());
    assert!(moved.rows > 1_000, "{moved:?}");
    assert!(moved.tables.iter().any(|t| t.table == "appointments" && t.rows > 50), "{moved:?}");

    let mut client = connect(&address).unwrap();
    assert_same_rows(&desk, &mut client);
    // Rows written at one instant keep their order: the server numbered them as they came.
    for table in ["stage_events", "audit_log"] {
        let in_order = |order: &str| format!("SELECT id FROM {table} ORDER BY {order}");
        assert_eq!(server_rows(&mut client, &in_order("seq")), desk_rows(&desk, &in_order("rowid")), "{table}");
    }
    // The move is in both audit logs (the desk's row was copied with the rest).
    let said = "SELECT detail FROM audit_log WHERE action = 'moved_to_server'";
    assert_eq!(desk_rows(&desk, said), vec![vec![address.to_string()]]);
    assert_eq!(server_rows(&mut client, said), vec![vec![address.to_string()]]);
    assert_eq!(check(&address).unwrap().clinic, Some(desk.get_settings().unwrap().name));
}

#[test]
fn a_server_that_holds_a_clinic_takes_no_second_one() {
    let address = cluster().new_database();
    let first = demo();
    first.move_to_server(Actor::CommandLine, &address).unwrap();
    let mut client = connect(&address).unwrap();
    let before = server_rows(&mut client, "SELECT count(*) FROM patients UNION ALL SELECT count(*) FROM audit_log");

    let second = Store::open_in_memory().unwrap();
    load_demo(&second, &DemoOptions { patients: 5, days: 2, seed: 3 }).unwrap();
    let clinic = first.get_settings().unwrap().name;
    assert_eq!(
        refusal(second.move_to_server(Actor::CommandLine, &address).unwrap_err()),
        Refusal::ServerHoldsAClinic { server: address.to_string(), clinic }
    );
    assert_eq!(
        server_rows(&mut client, "SELECT count(*) FROM patients UNION ALL SELECT count(*) FROM audit_log"),
        before
    );
    // Nor is the refused move in the second desk's log.
    assert!(desk_rows(&second, "SELECT 1 FROM audit_log WHERE action = 'moved_to_server'").is_empty());
}

#[test]
fn a_desk_reaches_the_server_encrypted_and_says_why_when_it_cannot() {
    let address = cluster().new_database();
    let found = check(&address).unwrap();
    assert!(found.tls.as_deref().is_some_and(|v| v.starts_with("TLS")), "{found:?}");
    assert!(found.server_version.starts_with("1"), "{found:?}");
    assert_eq!((found.schema_version, found.clinic), (None, None));

    let port = cluster().port();
    let (role, database) = (address.role().to_string(), address.database().to_string());
    let wrong_password = cluster().address(&role, &database, "not-the-password");
    assert_eq!(
        refusal(check(&wrong_password).unwrap_err()),
        Refusal::ServerSignInRefused { server: wrong_password.to_string(), role: role.clone() }
    );
    let superuser = cluster().superuser();
    let password = superuser.config().get_password().map(|p| String::from_utf8_lossy(p).into_owned()).unwrap();
    let no_database = cluster().address("postgres", "no_such_clinic", &password);
    assert_eq!(
        refusal(check(&no_database).unwrap_err()),
        Refusal::NoServerDatabase { server: no_database.to_string(), database: "no_such_clinic".into() }
    );
    let closed =
        ServerAddress::parse(&format!("postgres://{role}@127.0.0.1:{}/{database}", free_port(port)), None).unwrap();
    match refusal(check(&closed).unwrap_err()) {
        Refusal::ServerUnreachable { server, detail } => {
            assert_eq!(server, closed.to_string());
            assert!(detail.to_lowercase().contains("refused"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    // Clear text only when the address asks for it, and then the check says so.
    let plain = ServerAddress::parse(
        &format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=disable"),
        Some(&password),
    )
    .unwrap();
    assert_eq!(check(&plain).unwrap().tls, None);
}

/// A loopback port nobody listens on (not the cluster's).
fn free_port(taken: u16) -> u16 {
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        if port != taken {
            return port;
        }
    }
}

#[test]
fn desks_that_start_at_once_make_the_schema_once_and_a_newer_one_is_refused() {
    let address = cluster().new_database();
    let desks: Vec<_> = (0..3)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || migrate(&mut connect(&address).unwrap()).unwrap())
        })
        .collect();
    for desk in desks {
        assert_eq!(desk.join().unwrap(), SCHEMA_VERSION);
    }
    let mut client = connect(&address).unwrap();
    assert_eq!(schema_version(&mut client).unwrap(), Some(SCHEMA_VERSION));

    client.execute("UPDATE clinic_schema SET version = $1", &[&(SCHEMA_VERSION + 1)]).unwrap();
    match migrate(&mut client).unwrap_err() {
        Error::DatabaseTooNew { found, supported } => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION))
        }
        other => panic!("{other}"),
    }
}

#[test]
fn the_servers_triggers_do_what_the_desks_do() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("clinic.sqlite3");
    let desk = Store::open(&path).unwrap();
    load_demo(&desk, &DemoOptions { patients: 40, days: 7, seed: 23 }).unwrap();
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    drop(desk);
    let sqlite = rusqlite::Connection::open(&path).unwrap();
    let mut server = connect(&address).unwrap();

    // The same statements, written once for both engines, through every figures trigger and
    // the calendar revision.
    let provider = |c: &rusqlite::Connection| -> String {
        c.query_row("SELECT id FROM providers ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap()
    };
    let other_provider = provider(&sqlite);
    let statements = [
        "DELETE FROM figures_dirty".to_string(),
        format!(
            "UPDATE appointments SET provider_id = '{other_provider}', status = status
              WHERE id IN (SELECT appointment_id FROM patient_journeys WHERE completed_at IS NOT NULL ORDER BY id LIMIT 3)"
        ),
        "UPDATE appointments SET notes = notes || ' (moved)' WHERE id IN (SELECT id FROM appointments ORDER BY id LIMIT 2)"
            .to_string(),
        "UPDATE appointments SET revision = revision + 5, notes = 'set by hand'
          WHERE id = (SELECT id FROM appointments ORDER BY id DESC LIMIT 1)"
            .to_string(),
        "DELETE FROM stage_events WHERE id = (SELECT id FROM stage_events WHERE kind = 'completed' ORDER BY id LIMIT 1)"
            .to_string(),
        "UPDATE kano_answers SET functional = 'like' WHERE response_id IN (SELECT id FROM survey_responses ORDER BY id LIMIT 2)"
            .to_string(),
        "UPDATE template_stages SET phase = phase WHERE id = (SELECT id FROM template_stages ORDER BY id LIMIT 1)"
            .to_string(),
    ];
    for statement in &statements {
        sqlite.execute_batch(statement).unwrap();
        server.batch_execute(statement).unwrap();
    }
    let same = |sql: &str, server: &mut postgres::Client| {
        let on_desk: Vec<Vec<String>> = {
            let mut s = sqlite.prepare(sql).unwrap();
            let n = s.column_count();
            s.query_map([], |r| {
                (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| text_of_desk(&v))).collect()
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
        assert_eq!(server_rows(server, sql), on_desk, "{sql}");
        on_desk.len()
    };
    assert!(same("SELECT at FROM figures_dirty ORDER BY at", &mut server) > 3);
    same("SELECT id, revision FROM appointments ORDER BY id", &mut server);

    // The audit log refuses a change on both.
    let tamper = "UPDATE audit_log SET detail = 'nothing happened' WHERE id = (SELECT id FROM audit_log LIMIT 1)";
    assert!(sqlite.execute_batch(tamper).unwrap_err().to_string().contains("append-only"));
    let refused = server.batch_execute(tamper).unwrap_err();
    assert!(super::server_error(&refused).contains("append-only"), "{refused:?}");
}

#[test]
fn each_desk_has_a_role_of_its_own_that_uses_the_clinic_and_can_be_retired() {
    let owner = cluster().new_database();
    let mut admin = connect(&owner).unwrap();
    let reception = super::add_desk(&mut admin, " Reception-2 ").unwrap();
    assert_eq!(reception.name, "reception-2");
    assert_eq!(reception.role, format!("{}_desk_reception_2", owner.database()));
    let password = reception.password.clone().unwrap();
    assert!(password.len() >= 32);
    let room = super::add_desk(&mut admin, "room-1").unwrap();
    assert_eq!(
        super::desks(&mut admin).unwrap().iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["reception-2", "room-1"]
    );

    // The first desk to start makes the schema, as the owner: every desk may use all of it.
    let desk_address = cluster().address(&reception.role, owner.database(), &password);
    let mut desk = connect(&desk_address).unwrap();
    migrate(&mut desk).unwrap();
    let owners = server_rows(&mut admin, "SELECT DISTINCT tableowner::text FROM pg_tables WHERE schemaname = 'public'");
    assert_eq!(owners, vec![vec![owner.role().to_string()]]);
    desk.batch_execute("INSERT INTO closed_days (date, reason) VALUES ('2026-12-25', 'Christmas')").unwrap();
    let mut other =
        connect(&cluster().address(&room.role, owner.database(), room.password.as_deref().unwrap())).unwrap();
    assert_eq!(server_rows(&mut other, "SELECT reason FROM closed_days"), vec![vec!["Christmas".to_string()]]);

    // A desk sets up no desks, and only the clinic's roles may connect to its database.
    assert_eq!(
        refusal(super::add_desk(&mut desk, "sneaky").unwrap_err()),
        Refusal::NotServerOwner { role: reception.role.clone() }
    );
    let stranger = cluster().new_database();
    let elsewhere = cluster().address(
        stranger.role(),
        owner.database(),
        stranger.config().get_password().map(|p| std::str::from_utf8(p).unwrap()).unwrap(),
    );
    assert_eq!(
        refusal(connect(&elsewhere).map(drop).unwrap_err()),
        Refusal::RoleNotOfThisClinic { server: elsewhere.to_string(), role: stranger.role().to_string() }
    );

    // Names are checked, and a desk is made once.
    assert!(matches!(refusal(super::add_desk(&mut admin, "front desk").unwrap_err()), Refusal::BadDeskName { .. }));
    assert_eq!(
        refusal(super::add_desk(&mut admin, "room-1").unwrap_err()),
        Refusal::DeskExists { name: "room-1".into() }
    );

    // Retired: that desk is shut out, the others work on.
    drop(desk);
    super::remove_desk(&mut admin, "reception-2").unwrap();
    assert_eq!(
        refusal(connect(&desk_address).map(drop).unwrap_err()),
        Refusal::ServerSignInRefused { server: desk_address.to_string(), role: reception.role.clone() }
    );
    assert_eq!(
        refusal(super::remove_desk(&mut admin, "reception-2").unwrap_err()),
        Refusal::NoSuchDesk { name: "reception-2".into() }
    );
    assert_eq!(server_rows(&mut other, "SELECT count(*) FROM closed_days"), vec![vec!["1".to_string()]]);
}

/// Says `change` from `desk` in a transaction of its own, as a desk's write does.
fn announce_now(client: &mut postgres::Client, desk: &str, change: &crate::store::Change) {
    let mut tx = client.transaction().unwrap();
    super::live::announce(&crate::db::Db::postgres(&mut tx), desk, change).unwrap();
    tx.commit().unwrap();
}

#[test]
fn a_desk_hears_what_another_desk_committed_and_nothing_it_rolled_back() {
    use super::live::{announce, ChangeFeed};
    use crate::store::{Change, ChangeSource, Entity};
    use std::time::{Duration, Instant};

    let address = cluster().new_database();
    let mut reception = ChangeFeed::listen(&address, "reception").unwrap();
    let mut room = connect(&address).unwrap();
    let booking = Change { entities: vec![Entity::Appointments, Entity::Tasks], source: ChangeSource::User };

    // Said inside a transaction: heard only once it commits.
    let mut tx = room.transaction().unwrap();
    announce(&crate::db::Db::postgres(&mut tx), "room-1", &booking).unwrap();
    assert_eq!(reception.next(Duration::from_millis(300)).unwrap(), None);
    let committed = Instant::now();
    tx.commit().unwrap();
    let heard = reception.next(Duration::from_secs(5)).unwrap();
    let took = committed.elapsed();
    assert_eq!(
        heard,
        Some(Change { entities: vec![Entity::Appointments, Entity::Tasks], source: ChangeSource::OtherDesk })
    );
    assert!(took < Duration::from_secs(1), "{took:?}");

    // A write rolled back is never heard; a desk's own notices are not news to it; several
    // writes heard together come as one change.
    let mut tx = room.transaction().unwrap();
    announce(&crate::db::Db::postgres(&mut tx), "room-1", &booking).unwrap();
    tx.rollback().unwrap();
    let patients = Change { entities: vec![Entity::Patients], source: ChangeSource::User };
    announce_now(&mut room, "reception", &patients);
    assert_eq!(reception.next(Duration::from_millis(300)).unwrap(), None);
    announce_now(&mut room, "room-1", &patients);
    announce_now(&mut room, "room-1", &booking);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        reception.next(Duration::from_secs(5)).unwrap().map(|c| c.entities),
        Some(vec![Entity::Patients, Entity::Appointments, Entity::Tasks])
    );
}

#[test]
fn one_desk_plans_at_a_time_and_another_takes_over_when_it_goes() {
    use super::PlanningRole;
    let address = cluster().new_database();
    let mut reception = PlanningRole::connect(&address).unwrap();
    let mut room = PlanningRole::connect(&address).unwrap();
    assert!(reception.try_take().unwrap());
    assert!(!room.try_take().unwrap());
    assert!(reception.try_take().unwrap(), "the holder keeps it");
    assert!(!room.try_take().unwrap());

    drop(reception);
    let waited = std::time::Instant::now();
    while !room.try_take().unwrap() {
        assert!(waited.elapsed() < std::time::Duration::from_secs(5), "the role was not freed");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut third = PlanningRole::connect(&address).unwrap();
    assert!(!third.try_take().unwrap());
}

#[test]
fn a_move_cut_off_halfway_leaves_nothing_on_the_server_and_can_be_done_again() {
    use super::throwaway::Link;
    let desk = demo();
    // How much a whole move sends, measured on a first server.
    let measuring = Link::to_cluster();
    desk.move_to_server(Actor::CommandLine, &measuring.address(&cluster().new_database())).unwrap();
    let whole = measuring.sent();

    let address = cluster().new_database();
    let link = Link::to_cluster();
    let via = link.address(&address);
    link.cut_after(whole * 2 / 3);
    let failed = desk.move_to_server(Actor::CommandLine, &via).unwrap_err();
    // Said as a lost link, without the TLS library's error codes.
    assert_eq!(failed.kind(), "server", "{failed}");
    assert!(!failed.to_string().contains("error:"), "{failed}");

    let mut direct = connect(&address).unwrap();
    let empty = server_rows(
        &mut direct,
        "SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM appointments) + (SELECT count(*) FROM audit_log)",
    );
    assert_eq!(empty, vec![vec!["0".to_string()]], "nothing of a cut move is on the server");

    link.restore();
    let moved = desk.move_to_server(Actor::CommandLine, &via).unwrap();
    let patients = server_rows(&mut direct, "SELECT count(*) FROM patients");
    assert_eq!(patients, desk_rows(&desk, "SELECT count(*) FROM patients"));
    assert!(moved.rows > 1_000);
    // The desk's log holds the two moves that happened, not the cut one.
    assert_eq!(
        desk_rows(&desk, "SELECT count(*) FROM audit_log WHERE action = 'moved_to_server'"),
        vec![vec!["2".to_string()]]
    );
}

#[test]
fn two_desks_booking_one_slot_at_once_cannot_both_have_it() {
    let desk = demo();
    let address = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &address).unwrap();
    let mut first = connect(&address).unwrap();
    let mut second = connect(&address).unwrap();
    let ids = server_rows(
        &mut first,
        "SELECT (SELECT id FROM patients ORDER BY id LIMIT 1), (SELECT id FROM patients ORDER BY id DESC LIMIT 1),
                p.id, r.id, (SELECT id FROM service_types ORDER BY id LIMIT 1)
           FROM providers p, rooms r ORDER BY p.id, r.id LIMIT 1",
    )
    .remove(0);
    let booking = |patient: &str, room: &str, id: &str, from: i64| {
        format!(
            "INSERT INTO appointments (id, patient_id, provider_id, room_id, service_type_id, starts_at, ends_at, status,
               created_at, updated_at)
             VALUES ('{id}', '{patient}', '{}', '{room}', '{}', {from}, {from} + 1800, 'booked', 0, 0)",
            ids[2], ids[4]
        )
    };
    // Far in the future: nothing of the demo's is booked then.
    let at = 4_102_444_800; // 2100-01-01
    let mut a = first.transaction().unwrap();
    a.batch_execute(&booking(&ids[0], &ids[3], "00000000-0000-7000-8000-00000000000a", at)).unwrap();
    // The second desk's booking of the same provider waits for the first to commit, then is refused.
    let overlapping = booking(&ids[1], &ids[3], "00000000-0000-7000-8000-00000000000b", at + 900);
    let waiting = std::thread::spawn(move || {
        let mut b = second.transaction().unwrap();
        Error::from(b.batch_execute(&overlapping).unwrap_err())
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    a.commit().unwrap();
    let refused = waiting.join().unwrap();
    assert_eq!(refused.refusal(), Some(&Refusal::BookedMeanwhile { resource: "provider".into() }), "{refused}");
    assert_eq!(refused.kind(), "slot_taken");
    let kept = server_rows(&mut first, &format!("SELECT count(*) FROM appointments WHERE starts_at >= {at}"));
    assert_eq!(kept, vec![vec!["1".to_string()]]);
}

#[test]
fn the_server_writes_a_persons_name_as_the_desk_does() {
    let address = cluster().new_database();
    let mut client = connect(&address).unwrap();
    migrate(&mut client).unwrap();
    for (given, family) in [
        ("Anna", "Petrova"),
        ("Олександр", "Шевченко"),
        ("  Ģirts ", "Bērziņš\t"),
        ("小明", "王"),
        ("민준", "김"),
        ("Hana", "山田"),
        ("", "Erased"),
        ("Madonna", ""),
    ] {
        let on_server: String = client.query_one("SELECT person_name($1, $2)", &[&given, &family]).unwrap().get(0);
        assert_eq!(on_server, crate::domain::patient::person_name(given, family), "{given:?} {family:?}");
    }
}

#[test]
fn a_desk_backs_the_server_up_and_the_dump_restores_row_for_row() {
    use super::backup::{connection_environment, connection_string, dump, pg_program};
    use crate::domain::backups::BackupReason;
    let desk = demo();
    let owner = cluster().new_database();
    desk.move_to_server(Actor::CommandLine, &owner).unwrap();
    let mut admin = connect(&owner).unwrap();
    let reception = super::add_desk(&mut admin, "reception").unwrap();
    let at_desk = cluster().address(&reception.role, owner.database(), reception.password.as_deref().unwrap());

    let folder = tempfile::tempdir().unwrap();
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 3, 22, 15, 0).unwrap();
    let made = dump(&at_desk, folder.path(), at, BackupReason::Manual).unwrap();
    assert!(made.path.ends_with("clinic-server-20261203-221500.dump"), "{made:?}");
    let server_tables: i64 =
        admin.query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[]).unwrap().get(0);
    assert_eq!(i64::from(made.tables), server_tables);
    assert!(made.bytes > 10_000, "{made:?}");
    // A second one in the same second takes the next name; no temporary file is left.
    let second = dump(&at_desk, folder.path(), at, BackupReason::Manual).unwrap();
    assert!(second.path.ends_with("clinic-server-20261203-221500-2.dump"), "{second:?}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 2);

    // The dump restores into an empty database as the clinic it was: row for row.
    let restored = cluster().new_database();
    let pg_restore = pg_program("pg_restore", 15).unwrap();
    let mut command = std::process::Command::new(&pg_restore.path);
    command
        .args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password"])
        .arg("--dbname")
        .arg(connection_string(&restored))
        .arg(&made.path);
    let output = connection_environment(&mut command, &restored).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_same_rows(&desk, &mut connect(&restored).unwrap());

    // A role that may connect but read nothing: pg_dump's own reason, and no file kept.
    let outsider = format!("{}_outsider", owner.database());
    admin
        .batch_execute(&format!(
            "CREATE ROLE {outsider} LOGIN PASSWORD 'outsider-pw'; GRANT CONNECT ON DATABASE {} TO {outsider}",
            owner.database()
        ))
        .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let refused =
        dump(&cluster().address(&outsider, owner.database(), "outsider-pw"), empty.path(), at, BackupReason::Manual)
            .unwrap_err();
    match refusal(refused) {
        Refusal::ServerBackupFailed { detail } => {
            assert!(detail.starts_with("pg_dump: ") && detail.contains("permission denied"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

/// A desk's own connection through a link the test can cut, to a new clinic database.
fn desk_through_link() -> (ServerAddress, super::throwaway::Link, ServerAddress, super::DeskLink) {
    let owner = cluster().new_database();
    migrate(&mut connect(&owner).unwrap()).unwrap();
    let link = super::throwaway::Link::to_cluster();
    let through = link.address(&owner);
    let desk = super::DeskLink::connect(&through).unwrap();
    (owner, link, through, desk)
}

fn closed_days(owner: &ServerAddress) -> Vec<Vec<String>> {
    server_rows(&mut connect(owner).unwrap(), "SELECT date, reason FROM closed_days ORDER BY date")
}

#[test]
fn a_write_whose_commit_reply_is_lost_is_there_once_and_the_desk_is_told_it_was_done() {
    use super::write_once::{write_once, Applied};
    let (owner, link, through, mut desk) = desk_through_link();
    let id = uuid::Uuid::new_v4();
    let mut runs = 0;
    let applied = write_once(&mut desk, &through, "reception", id, |tx, _| {
        runs += 1;
        // A simple query: it leaves no statement for the client to close with its next message.
        tx.batch_execute("INSERT INTO closed_days (date, reason) VALUES ('2026-12-25', 'Christmas')")?;
        // The COMMIT, the next thing sent, reaches the server; its reply does not reach the desk.
        link.drop_reply_to_next_send();
        Ok("the value")
    })
    .unwrap();
    assert_eq!(applied, Applied::Earlier(Some("the value")));
    assert_eq!(runs, 1, "found done on the second try, not done again");
    assert_eq!(closed_days(&owner), vec![vec!["2026-12-25".to_string(), "Christmas".to_string()]]);
    // The same write sent again later (a desk that restarted mid-write): still once.
    let again = write_once(&mut desk, &through, "reception", id, |tx, _| {
        tx.execute("INSERT INTO closed_days (date, reason) VALUES ('2026-12-26', 'Boxing Day')", &[])?;
        Ok("again")
    })
    .unwrap();
    assert_eq!(again, Applied::Earlier(None));
    assert_eq!(closed_days(&owner).len(), 1);
    let ids = server_rows(&mut connect(&owner).unwrap(), "SELECT id, desk FROM applied_writes");
    assert_eq!(ids, vec![vec![id.to_string(), "reception".to_string()]]);
}

#[test]
fn a_write_cut_off_midway_is_done_whole_once_the_link_is_back_or_not_at_all() {
    use super::write_once::{write_once, Applied};
    let (owner, link, through, mut desk) = desk_through_link();
    // Cut between two rows of one write, back a moment later: the desk tries again, whole.
    let mut runs = 0;
    let applied = write_once(&mut desk, &through, "reception", uuid::Uuid::new_v4(), |tx, _| {
        runs += 1;
        tx.execute("INSERT INTO closed_days (date, reason) VALUES ('2027-01-01', 'New Year')", &[])?;
        if runs == 1 {
            link.cut();
            link.restore_after(std::time::Duration::from_millis(250));
        }
        tx.execute("INSERT INTO closed_days (date, reason) VALUES ('2027-01-02', 'Second of January')", &[])?;
        Ok(runs)
    })
    .unwrap();
    assert_eq!(applied, Applied::Now(2));
    assert_eq!(closed_days(&owner).len(), 2, "each row once");

    // Cut for good: refused as unreachable, and nothing of it is on the server.
    let id = uuid::Uuid::new_v4();
    let refused = write_once(&mut desk, &through, "reception", id, |tx, _| {
        tx.execute("INSERT INTO closed_days (date, reason) VALUES ('2027-05-01', 'Labour Day')", &[])?;
        link.cut();
        tx.execute("INSERT INTO closed_days (date, reason) VALUES ('2027-05-04', 'Restoration Day')", &[])?;
        Ok(())
    })
    .unwrap_err();
    assert!(matches!(refusal(refused), Refusal::ServerUnreachable { .. }));
    assert_eq!(closed_days(&owner).len(), 2, "nothing of the write that was not acknowledged");
    let recorded: Vec<Vec<String>> = server_rows(&mut connect(&owner).unwrap(), "SELECT id FROM applied_writes");
    assert!(!recorded.contains(&vec![id.to_string()]));
}

#[test]
fn a_desk_cut_off_says_since_when_and_catches_up_by_itself_when_the_link_is_back() {
    use super::live::ChangeFeed;
    use crate::store::{Change, ChangeSource, Entity};
    use std::time::Duration;

    let owner = cluster().new_database();
    let link = super::throwaway::Link::to_cluster();
    let mut reception = ChangeFeed::listen(&link.address(&owner), "reception").unwrap();
    let mut room = connect(&owner).unwrap();
    let booking = Change { entities: vec![Entity::Appointments], source: ChangeSource::User };
    announce_now(&mut room, "room-1", &booking);
    assert_eq!(reception.next(Duration::from_secs(5)).unwrap().map(|c| c.entities), Some(vec![Entity::Appointments]));
    assert_eq!(reception.cut_off_since(), None);

    // The cable is pulled: the desk knows since when, and hears nothing meanwhile.
    let pulled = chrono::Utc::now();
    link.cut();
    assert_eq!(reception.next(Duration::from_secs(5)).unwrap(), None);
    let since = reception.cut_off_since().expect("cut off");
    assert!(since >= pulled && since - pulled < chrono::Duration::seconds(5), "{pulled} → {since}");
    announce_now(&mut room, "room-1", &booking);
    assert_eq!(reception.next(Duration::from_millis(300)).unwrap(), None);
    assert_eq!(reception.cut_off_since(), Some(since), "still cut off, since then");

    // Back: every screen reads again (what was committed meanwhile was not heard), and the
    // desk hears the others live again.
    link.restore();
    let back = reception.next(Duration::from_secs(5)).unwrap().expect("told to read again");
    assert_eq!(back, Change { entities: Entity::ALL.to_vec(), source: ChangeSource::OtherDesk });
    assert_eq!(reception.cut_off_since(), None);
    let patients = Change { entities: vec![Entity::Patients], source: ChangeSource::User };
    announce_now(&mut room, "room-1", &patients);
    assert_eq!(reception.next(Duration::from_secs(5)).unwrap().map(|c| c.entities), Some(vec![Entity::Patients]));
}
