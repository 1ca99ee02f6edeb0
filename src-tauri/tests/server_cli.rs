//! `server check`, `move`, `desks` and `backup` on the command line, against a throwaway PostgreSQL: each
//! succeeds, and each refusal exits 1 with its reason (and its JSON body with `--json`). The
//! desk role's password travels in the environment only.

use std::path::Path;
use std::process::Output;

use clinic_journey_core::server::throwaway::cluster;
use clinic_journey_core::server::ServerAddress;

mod common;

/// The app with the address in `--server` and the password in the environment.
fn run(dir: &Path, address: &ServerAddress, args: &[&str]) -> Output {
    let password = address.config().get_password().map(|p| String::from_utf8_lossy(p).into_owned());
    let url = format!("postgres://{address}");
    common::app(dir)
        .args(args)
        .args(["--server", &url])
        .env("CLINIC_JOURNEY_SERVER_PASSWORD", password.unwrap_or_default())
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success() || output.status.code() == Some(1), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {} / {}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    })
}

#[test]
fn check_reports_the_server_and_refuses_an_address_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let address = cluster().new_database();
    let found = run(dir.path(), &address, &["server", "check", "--json"]);
    assert!(found.status.success(), "{}", String::from_utf8_lossy(&found.stderr));
    let found = json(&found);
    assert_eq!(found["server"], address.to_string());
    assert!(found["tls"].as_str().is_some_and(|v| v.starts_with("TLS")), "{found}");
    assert!(found["schema_version"].is_null() && found["clinic"].is_null(), "{found}");

    let text = run(dir.path(), &address, &["server", "check"]);
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(said.contains("encrypted link (TLS") && said.contains("Its database is empty"), "{said}");

    let wrong = cluster().address(address.role(), address.database(), "wrong");
    let refused = common::app(dir.path())
        .args(["server", "check", "--json", "--server", &format!("postgres://{wrong}")])
        .env("CLINIC_JOURNEY_SERVER_PASSWORD", "wrong")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let body = json(&refused);
    assert_eq!(body["refusal"]["reason"], "server_sign_in_refused", "{body}");
    assert_eq!(body["refusal"]["role"], address.role());

    let not_an_address =
        common::app(dir.path()).args(["server", "check", "--server", "192.168.1.10"]).output().unwrap();
    assert_eq!(not_an_address.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&not_an_address.stderr).contains("it should start with postgres://"),
        "{}",
        String::from_utf8_lossy(&not_an_address.stderr)
    );
}

#[test]
fn move_copies_the_desks_clinic_once_and_refuses_a_server_that_holds_one() {
    let dir = tempfile::tempdir().unwrap();
    let demo = common::app(dir.path()).args(["demo", "--patients", "15", "--days", "3"]).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let address = cluster().new_database();

    let moved = run(dir.path(), &address, &["server", "move", "--json"]);
    assert!(moved.status.success(), "{}", String::from_utf8_lossy(&moved.stderr));
    let moved = json(&moved);
    let tables = moved["tables"].as_array().unwrap();
    let patients = tables.iter().find(|t| t["table"] == "patients").unwrap();
    assert_eq!(patients["rows"], 15, "{moved}");
    let mut client = postgres::Client::connect(
        &format!(
            "host=127.0.0.1 port={} user={} dbname={} password={} sslmode=disable",
            cluster().port(),
            address.role(),
            address.database(),
            String::from_utf8_lossy(address.config().get_password().unwrap())
        ),
        postgres::NoTls,
    )
    .unwrap();
    let on_server: i64 = client.query_one("SELECT count(*) FROM patients", &[]).unwrap().get(0);
    assert_eq!(on_server, 15);

    let again = run(dir.path(), &address, &["server", "move"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("holds a clinic already"), "{again:?}");
    let again = json(&run(dir.path(), &address, &["server", "move", "--json"]));
    assert_eq!(again["refusal"]["reason"], "server_holds_a_clinic", "{again}");

    // A backup of the server, from this desk: one dump in the folder, read back whole.
    let folder = dir.path().join("server backups");
    let backup = run(dir.path(), &address, &["server", "backup", "--folder", folder.to_str().unwrap(), "--json"]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let backup = json(&backup);
    // Every table moved, and the server's own two (its schema version, the writes applied).
    assert_eq!(backup["tables"].as_u64(), Some(tables.len() as u64 + 2), "{backup}");
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|f| f.unwrap().path()).collect();
    assert_eq!(files, vec![std::path::PathBuf::from(backup["path"].as_str().unwrap())]);
    // A folder that cannot be made (a file is in the way) is refused, and nothing is left.
    let in_the_way = files[0].to_str().unwrap();
    let refused = run(dir.path(), &address, &["server", "backup", "--folder", in_the_way, "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(json(&refused)["refusal"]["reason"], "no_folder");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}

#[test]
fn desks_are_added_listed_and_removed_from_the_owners_connection_only() {
    let dir = tempfile::tempdir().unwrap();
    let owner = cluster().new_database();
    let added = run(dir.path(), &owner, &["server", "desks", "add", "reception", "--json"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let added = json(&added);
    assert_eq!(added["name"], "reception");
    let password = added["password"].as_str().unwrap().to_string();

    let listed = String::from_utf8(run(dir.path(), &owner, &["server", "desks", "list"]).stdout).unwrap();
    assert!(listed.starts_with("reception\t(role "), "{listed}");

    // The new desk reaches the server with its own role, and may not make desks itself.
    let desk = cluster().address(added["role"].as_str().unwrap(), owner.database(), &password);
    let found = json(&run(dir.path(), &desk, &["server", "check", "--json"]));
    assert_eq!(found["server"], desk.to_string());
    let refused = run(dir.path(), &desk, &["server", "desks", "add", "another", "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(json(&refused)["refusal"]["reason"], "not_server_owner");

    let bad = run(dir.path(), &owner, &["server", "desks", "add", "front desk"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a desk name"), "{bad:?}");

    let removed = json(&run(dir.path(), &owner, &["server", "desks", "remove", "reception", "--json"]));
    assert_eq!(removed["removed"], "reception");
    assert_eq!(json(&run(dir.path(), &owner, &["server", "desks", "list", "--json"])), serde_json::json!([]));
    let gone = run(dir.path(), &desk, &["server", "check", "--json"]);
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(json(&gone)["refusal"]["reason"], "server_sign_in_refused");
}

#[test]
fn every_command_works_on_the_server_given_by_option_or_variable_and_says_what_does_not_yet() {
    let dir = tempfile::tempdir().unwrap();
    let demo = common::app(dir.path()).args(["demo", "--patients", "15", "--days", "3"]).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let address = cluster().new_database();
    assert!(run(dir.path(), &address, &["server", "move"]).status.success());

    let info = json(&run(dir.path(), &address, &["info", "--json"]));
    assert_eq!(info["clinic_server"], address.to_string(), "{info}");
    let said = String::from_utf8(run(dir.path(), &address, &["info"]).stdout).unwrap();
    assert!(said.contains(&format!("Clinic server: {address}")), "{said}");

    // A booking through the server: in its list, not in this desk's own file.
    let patients = json(&run(dir.path(), &address, &["patients", "list", "--json"]));
    let patient = patients["items"][0]["patient"]["id"].as_str().unwrap().to_string();
    let services = json(&common::app(dir.path()).args(["services", "list", "--json"]).output().unwrap());
    let service = services[0]["id"].as_str().unwrap().to_string();
    let slots = json(&run(dir.path(), &address, &["slots", "--service", &service, "--patient", &patient, "--json"]));
    let slot = &slots[0];
    let (date, start) = (slot["date"].as_str().unwrap(), slot["start_time"].as_str().unwrap());
    let booked = run(
        dir.path(),
        &address,
        &[
            "appointments",
            "book",
            "--patient",
            &patient,
            "--service",
            &service,
            "--provider",
            slot["provider_id"].as_str().unwrap(),
            "--start",
            &format!("{date}T{start}"),
            "--json",
        ],
    );
    assert!(booked.status.success(), "{}", String::from_utf8_lossy(&booked.stderr));
    let booked = json(&booked)["id"].as_str().unwrap().to_string();
    let ids = |listed: serde_json::Value| -> Vec<String> {
        listed.as_array().unwrap().iter().map(|item| item["appointment"]["id"].as_str().unwrap().to_string()).collect()
    };
    assert!(
        ids(json(&run(dir.path(), &address, &["appointments", "list", "--date", date, "--json"]))).contains(&booked)
    );
    let on_file = common::app(dir.path()).args(["appointments", "list", "--date", date, "--json"]).output().unwrap();
    assert!(!ids(json(&on_file)).contains(&booked), "the desk's own file is another clinic now");

    // The variable does what the option does.
    let password = address.config().get_password().map(|p| String::from_utf8_lossy(p).into_owned()).unwrap();
    let by_variable = common::app(dir.path())
        .args(["appointments", "list", "--date", date, "--json"])
        .env("CLINIC_JOURNEY_SERVER", format!("postgres://{address}"))
        .env("CLINIC_JOURNEY_SERVER_PASSWORD", password)
        .output()
        .unwrap();
    assert!(ids(json(&by_variable)).contains(&booked));

    // A part not on the server yet says so (exit 1), never shows another clinic's data.
    let copy = dir.path().join("copy.sqlite3");
    let copied = run(dir.path(), &address, &["backup", "create", "--out", copy.to_str().unwrap(), "--json"]);
    assert_eq!(copied.status.code(), Some(1));
    assert!(!copy.exists());
    let body = json(&copied);
    assert_eq!(body["refusal"]["reason"], "not_on_server_yet", "{body}");
    assert!(body["message"].as_str().unwrap().contains("not work on the clinic server yet"), "{body}");

    // A server database without a clinic is refused by name.
    let empty = cluster().new_database();
    let refused = run(dir.path(), &empty, &["info", "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(json(&refused)["refusal"]["reason"], "no_clinic_on_server");
}
