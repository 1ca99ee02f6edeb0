//! The command line on bad input and odd surroundings: clear errors and quiet exits, never a
//! panic (exit 101) and never a half-written or overwritten file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};

mod common;
use common::app;

fn run(dir: &Path, args: &[&str]) -> Output {
    app(dir).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn demo_clinic() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["demo", "--patients", "30", "--days", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    dir
}

#[test]
fn a_reader_that_stops_after_one_line_ends_the_command_quietly() {
    let dir = demo_clinic();
    // As JSON the list is far more than a pipe holds, so the command is still writing when the
    // reader goes.
    let mut child = app(dir.path())
        .args(["tasks", "list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is gone now, as with `| head -1`.
    let output = child.wait_with_output().unwrap();
    assert_eq!(first.trim(), "{");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

#[test]
fn absurd_sizes_and_far_dates_get_clear_errors_not_panics() {
    let dir = demo_clinic();
    let service = String::from_utf8(run(dir.path(), &["blueprint", "list"]).stdout).unwrap();
    let service = service.split_whitespace().next().unwrap().to_string();
    let cases: [(&[&str], &str); 4] = [
        (&["demo", "--days", "4294967295"], "--days 4294967295 is out of range: 1 to 3650"),
        (&["slots", "--service", &service, "--to", "+262142-12-31"], "outside the years 1900–2200"),
        (&["slots", "--service", &service, "--to", "2100-01-01"], "search at most 731 days at a time"),
        (&["appointments", "list", "--date=1850-01-01"], "outside the years 1900–2200"),
    ];
    for (args, expected) in cases {
        let output = run(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
    }
    let far = run(
        dir.path(),
        &["blueprint", "export", "--service", &service, "--overlay", "--to=-262143-01-05", "--out", "x.svg"],
    );
    assert_eq!(far.status.code(), Some(1), "{}", stderr(&far));
    assert!(stderr(&far).contains("outside the years 1900–2200"), "{}", stderr(&far));
}

#[test]
fn an_export_never_replaces_a_file_unless_told_to() {
    let dir = demo_clinic();
    let out = dir.path().join("sheet.html");
    std::fs::write(&out, "yesterday's sheet").unwrap();
    let out_arg = out.to_str().unwrap();
    let refused = run(dir.path(), &["tasks", "export", "--out", out_arg]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("already exists"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "yesterday's sheet");
    let replaced = run(dir.path(), &["tasks", "export", "--out", out_arg, "--force"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    assert!(std::fs::read_to_string(&out).unwrap().contains("<html"));
}

#[test]
fn a_damaged_database_is_named_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clinic-journey.sqlite3"), "not a database at all, just text. ".repeat(200))
        .unwrap();
    let output = run(dir.path(), &["info"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("damaged"), "{}", stderr(&output));
}

#[test]
fn choices_are_the_domain_enums_and_an_unknown_one_lists_the_known() {
    let dir = demo_clinic();
    let unknown = run(dir.path(), &["tasks", "list", "--kind", "fax"]);
    assert_eq!(unknown.status.code(), Some(2), "a usage error");
    let text = stderr(&unknown);
    assert!(text.contains("invalid value 'fax'") && text.contains("call, sms, email, letter, duty"), "{text}");
    let outcome = run(
        dir.path(),
        &["tasks", "outcome", "--task", "00000000-0000-7000-8000-000000000000", "--outcome", "no-answer"],
    );
    assert!(stderr(&outcome).contains("no_answer"), "outcomes are spelled as everywhere else: {}", stderr(&outcome));
    let listed = run(dir.path(), &["tasks", "list", "--kind", "call", "--role", "front_desk"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
}

/// Standard output as JSON.
fn run_ok(dir: &Path, args: &[&str]) -> Output {
    let output = run(dir, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    output
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// A refusal: exit status 1, the English message on stderr, and with `--json` the typed body.
fn assert_refused(dir: &Path, args: &[&str], reason_or_kind: &str, message: &str) {
    let output = run(dir, args);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
    assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    if args.contains(&"--json") {
        let body = json(&output);
        let found = body["refusal"]["reason"].as_str().unwrap_or_else(|| body["kind"].as_str().unwrap_or_default());
        assert_eq!(found, reason_or_kind, "{args:?}: {body}");
        assert!(body["message"].as_str().unwrap().contains(message), "{body}");
    }
}

#[test]
fn every_subcommand_succeeds_and_refuses_with_status_message_and_body() {
    let dir = demo_clinic();
    let d = dir.path();
    let damaged = tempfile::tempdir().unwrap();
    std::fs::write(damaged.path().join("clinic-journey.sqlite3"), "not a database. ".repeat(400)).unwrap();
    let ok = |args: &[&str]| {
        let output = run(d, args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        output
    };

    // demo, info
    assert_refused(d, &["demo", "--json"], "not_empty", "only be loaded into an empty database");
    let fresh = tempfile::tempdir().unwrap();
    let demo = run(fresh.path(), &["demo", "--patients", "5", "--days", "1", "--json"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert_eq!(json(&demo)["patients"], 5);
    let info = json(&ok(&["info", "--json"]));
    let today = info["today"].as_str().expect("info says the clinic's date").to_string();
    assert_refused(damaged.path(), &["info", "--json"], "corrupt", "damaged");

    // appointments list, slots, appointments book
    let visits = json(&ok(&["appointments", "list", "--date", &today, "--json"]));
    let visit = &visits[0]["appointment"];
    assert_refused(
        d,
        &["appointments", "list", "--date", "1850-01-01", "--json"],
        "date_range",
        "outside the years 1900–2200",
    );
    let service = visit["service_type_id"].as_str().unwrap();
    let patient = visit["patient_id"].as_str().unwrap();
    // Times this patient is free: after midnight the first free slot may be one they hold.
    let slots = json(&ok(&["slots", "--service", service, "--patient", patient, "--json"]));
    let slot = &slots[0];
    assert_refused(
        d,
        &["slots", "--service", service, "--count", "0", "--json"],
        "count_range",
        "Ask for 1 to 200 slots",
    );
    let start = format!("{}T{}", slot["date"].as_str().unwrap(), slot["start_time"].as_str().unwrap());
    let booking = |provider: &str, start: &str| {
        run(
            d,
            &[
                "appointments",
                "book",
                "--patient",
                patient,
                "--service",
                service,
                "--provider",
                provider,
                "--start",
                start,
                "--json",
            ],
        )
    };
    let booked = booking(slot["provider_id"].as_str().unwrap(), &start);
    assert!(booked.status.success(), "{}", stderr(&booked));
    assert_eq!(json(&booked)["status"], "booked");
    let clash = booking(slot["provider_id"].as_str().unwrap(), &start);
    assert_eq!(clash.status.code(), Some(1));
    assert_eq!(json(&clash)["kind"], "slot_taken", "{}", stderr(&clash));
    assert_refused(
        d,
        &[
            "appointments",
            "book",
            "--patient",
            patient,
            "--service",
            service,
            "--provider",
            slot["provider_id"].as_str().unwrap(),
            "--start",
            "soon",
            "--json",
        ],
        "bad_start",
        "is not a start like",
    );

    // blueprint list, export, duties
    assert!(String::from_utf8(ok(&["blueprint", "list"]).stdout).unwrap().contains(service));
    assert_refused(damaged.path(), &["blueprint", "list", "--json"], "corrupt", "damaged");
    let svg = d.join("blueprint.svg");
    ok(&[
        "blueprint",
        "export",
        "--service",
        service,
        "--format",
        "svg",
        "--filter",
        "front_desk",
        "--out",
        svg.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    assert_refused(
        d,
        &["blueprint", "export", "--service", service, "--from", "2026-11-01", "--out", "x.svg"],
        "needs_overlay",
        "add --overlay",
    );
    assert!(json(&ok(&["blueprint", "duties", "--date", &today, "--json"])).is_array());
    assert_refused(
        d,
        &["blueprint", "duties", "--date", "1850-01-01", "--json"],
        "date_range",
        "outside the years 1900–2200",
    );

    // clinic show, set; closed-days add, import, list
    let clinic =
        json(&ok(&["clinic", "set", "--address", "Brīvības iela 1, Rīga", "--phone", "+371 6700 0000", "--json"]));
    assert_eq!(
        (clinic["address"].as_str(), clinic["time_zone"].as_str()),
        (Some("Brīvības iela 1, Rīga"), Some("Europe/Riga"))
    );
    assert_refused(
        d,
        &["clinic", "set", "--time-zone", "Europe/Atlantis", "--json"],
        "unknown_time_zone",
        "not a known IANA",
    );
    assert_refused(d, &["clinic", "set", "--language", "xx", "--json"], "unknown_language", "Unknown language");
    assert!(String::from_utf8(ok(&["clinic", "show"]).stdout).unwrap().contains("+371 6700 0000"));
    let closed = json(&ok(&[
        "closed-days",
        "add",
        "--date",
        "2031-05-04",
        "--reason",
        "Restoration of Independence",
        "--yearly",
        "--json",
    ]));
    assert_eq!(closed["added"], 1);
    assert_refused(
        d,
        &["closed-days", "add", "--date", "2031-05-04", "--reason", "Again", "--json"],
        "already_closed",
        "is already closed on",
    );
    let holidays = d.join("holidays.csv");
    std::fs::write(&holidays, "date,reason\n2031-05-04,Again\n2031-06-23,Līgo\n").unwrap();
    let imported = json(&ok(&["closed-days", "import", holidays.to_str().unwrap(), "--json"]));
    assert_eq!((imported["added"].as_u64(), imported["already_closed"].as_u64()), (Some(1), Some(1)));
    std::fs::write(&holidays, "2031-07-01,Fine\n01.07.2031,Bad\n").unwrap();
    assert_refused(d, &["closed-days", "import", holidays.to_str().unwrap(), "--json"], "bad_date_line", "Line 2");
    let listed = json(&ok(&["closed-days", "list", "--json"]));
    assert!(listed.as_array().unwrap().iter().any(|c| c["reason"] == "Līgo"), "{listed}");

    // staff, rooms, providers: add, list
    let staff = json(&ok(&["staff", "add", "--name", "Marta Kalna", "--role", "front_desk", "--json"]));
    assert_eq!((staff["name"].as_str(), staff["role"].as_str()), (Some("Marta Kalna"), Some("front_desk")));
    assert_refused(
        d,
        &["staff", "add", "--name", "marta kalna", "--role", "admin", "--json"],
        "duplicate",
        "already one called",
    );
    assert!(json(&ok(&["staff", "list", "--json"])).as_array().unwrap().iter().any(|s| s["id"] == staff["id"]));
    let room = json(&ok(&["rooms", "add", "--name", "Room 9", "--availability", "mon-fri 08:00-13:00", "--json"]));
    assert_eq!(room["availability"].as_array().unwrap().len(), 5);
    assert_refused(
        d,
        &["rooms", "add", "--name", "Room 10", "--availability", "mon-fry 08:00-13:00", "--json"],
        "unknown_weekday",
        "is not a day of the week",
    );
    assert!(String::from_utf8(ok(&["rooms", "list"]).stdout).unwrap().contains("mon-fri 08:00-13:00"));
    let provider = json(&ok(&[
        "providers",
        "add",
        "--name",
        "Dr Liepa",
        "--home-room",
        "room 9",
        "--availability",
        "mon-wed 09:00-12:00 13:00-16:00",
        "--json",
    ]));
    assert_eq!(provider["home_room_id"], room["id"]);
    assert_refused(
        d,
        &["providers", "add", "--name", "Dr Kalns", "--availability", "sun 09:00-12:00", "--json"],
        "outside_clinic_hours",
        "outside the clinic's",
    );
    assert_refused(
        d,
        &["providers", "add", "--name", "Dr Kalns", "--home-room", "Attic", "--json"],
        "not_found",
        "“Attic”",
    );
    assert!(json(&ok(&["providers", "list", "--json"])).as_array().unwrap().iter().any(|p| p["id"] == provider["id"]));

    // services, patients
    let physio = json(&ok(&[
        "services",
        "add",
        "--name",
        "Physiotherapy",
        "--duration",
        "45",
        "--journey",
        "follow_up_visit",
        "--json",
    ]));
    assert_eq!((physio["duration_minutes"].as_u64(), physio["color"].as_str()), (Some(45), Some("#2a9d8f")));
    assert_refused(
        d,
        &["services", "add", "--name", "Massage", "--duration", "3", "--journey", "follow_up_visit", "--json"],
        "out_of_range",
        "out of range: 5 to 720",
    );
    assert!(String::from_utf8(ok(&["services", "list"]).stdout).unwrap().contains("Physiotherapy"));
    let ilze = json(&ok(&[
        "patients",
        "add",
        "--given-name",
        "Ilze",
        "--family-name",
        "Bērziņa",
        "--phone",
        "+371 2000 0003",
        "--json",
    ]));
    assert_refused(
        d,
        &["patients", "add", "--given-name", "Ilze", "--family-name", "B", "--phone", "12", "--json"],
        "phone_length",
        "has 2 digits",
    );
    let found = json(&ok(&["patients", "find", "berzina", "--json"]));
    assert!(found["items"].as_array().unwrap().iter().any(|p| p["patient"]["id"] == ilze["id"]), "{found}");
    assert!(json(&ok(&["patients", "list", "--limit", "5", "--json"]))["total"].as_u64().unwrap() > 5);

    // tasks plan, list, outcome, export
    // What it looks at depends on what changed since the demo's plan; the summary is there.
    let plan = json(&ok(&["tasks", "plan", "--json"]));
    assert!(plan["appointments"].is_u64() && plan["created"].is_u64(), "{plan}");
    assert_refused(damaged.path(), &["tasks", "plan", "--json"], "corrupt", "damaged");
    let list = json(&ok(&["tasks", "list", "--json"]));
    let row = &list["rows"][0];
    assert_refused(d, &["tasks", "list", "--due", "1850-01-01", "--json"], "date_range", "outside the years 1900–2200");
    // "confirmed" only while the visit can still be confirmed (`confirm_until`): late in the
    // evening the first row's visit may be over already.
    let outcome =
        row["outcomes"].as_array().unwrap().iter().filter_map(|o| o.as_str()).find(|o| *o != "confirmed").unwrap();
    let recorded =
        ok(&["tasks", "outcome", "--task", row["task_id"].as_str().unwrap(), "--outcome", outcome, "--json"]);
    assert_eq!(json(&recorded)["task"]["id"], row["task_id"]);
    assert_refused(
        d,
        &["tasks", "outcome", "--task", "00000000-0000-7000-8000-000000000000", "--outcome", "done", "--json"],
        "not_found",
        "was not found",
    );
    let csv = d.join("calls.csv");
    ok(&["tasks", "export", "--format", "csv", "--out", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv).unwrap().lines().count() > 1);
    assert_refused(
        d,
        &["tasks", "export", "--format", "csv", "--out", csv.to_str().unwrap()],
        "file_exists",
        "already exists",
    );
    // In the clinic's content language unless --lang says otherwise.
    let sheet = d.join("calls-uk.html");
    ok(&["tasks", "export", "--lang", "uk", "--out", sheet.to_str().unwrap()]);
    let sheet = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        sheet.contains("<html lang=\"uk\">") && sheet.contains("Лист обдзвону") && sheet.contains("Пацієнт"),
        "{sheet}"
    );
    let english = std::fs::read_to_string(&csv).unwrap();
    assert!(english.starts_with("\u{feff}section,due,kind"), "a BOM, then the English header: {english}");
    let refused = run(d, &["tasks", "export", "--lang", "xx", "--out", "x.html"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("possible values"));

    // simulate queue: the engine beside Erlang C, without the clinic's database.
    let empty = tempfile::tempdir().unwrap();
    let queue = ["simulate", "queue", "--arrival-rate", "3", "--service-rate", "4", "--servers", "1"];
    let sim =
        json(&run_ok(empty.path(), &[&queue[..], &["--hours", "2000", "--replications", "10", "--json"]].concat()));
    let (simulated, exact) =
        (sim["mean_wait"]["mean"].as_f64().unwrap(), sim["erlang_c"]["mean_wait"].as_f64().unwrap());
    assert!((exact - 0.75).abs() < 1e-9 && (simulated - exact).abs() / exact < 0.1, "{sim}");
    assert!(!empty.path().join("clinic-journey.sqlite3").exists(), "no database made for it");
    assert_refused(
        empty.path(),
        &["simulate", "queue", "--arrival-rate", "9", "--service-rate", "4", "--servers", "2", "--json"],
        "queue_unstable",
        "cannot keep up",
    );

    // simulate --date: the day as planned and under a scenario.
    let scenario = d.join("scenario.json");
    std::fs::write(&scenario, r#"{"name": "15-minute consultations", "changes": [{"kind": "stage_minutes", "stage_key": "consultation", "minutes": 15}]}"#).unwrap();
    let day = json(&ok(&[
        "simulate",
        "--date",
        &today,
        "--replications",
        "20",
        "--scenario",
        scenario.to_str().unwrap(),
        "--json",
    ]));
    assert!(
        day["plan"]["visits"].as_u64().unwrap() > 0 && day["plan"]["stages"].as_array().unwrap().len() > 1,
        "{day}"
    );
    assert_eq!(day["scenarios"][0]["scenario"], "15-minute consultations");
    std::fs::write(&scenario, "{\"name\": \"x\"}").unwrap();
    assert_refused(
        d,
        &["simulate", "--date", &today, "--scenario", scenario.to_str().unwrap(), "--json"],
        "unreadable_file",
        "missing field",
    );
    assert_refused(d, &["simulate", "--json"], "required", "--date");

    // insights: the report over the last month of the demo.
    let month_ago = (today.parse::<chrono::NaiveDate>().unwrap() - chrono::Days::new(30)).to_string();
    let report = json(&ok(&["insights", "--from", &month_ago, "--to", &today, "--json"]));
    assert!(
        report["rates"]["visits_due"].as_u64().unwrap() > 0 && !report["stages"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert_refused(
        d,
        &["insights", "--from", &today, "--to", &month_ago, "--json"],
        "period_reversed",
        "ends before it starts",
    );

    // clinic to-move: closing a day with visits strands them; --call puts a call to rebook
    // each on the call list, once.
    assert_eq!(json(&ok(&["clinic", "to-move", "--json"]))["visits"], serde_json::json!([]));
    let busy_day = (2..14)
        .map(|days| (today.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(days)).to_string())
        .find(|date| !json(&ok(&["appointments", "list", "--date", date, "--json"])).as_array().unwrap().is_empty())
        .expect("the demo books visits in the coming days");
    let booked = json(&ok(&["closed-days", "add", "--date", &busy_day, "--reason", "Flood", "--json"]));
    let stranded = booked["booked"].as_array().unwrap().len() as u64;
    assert!(stranded > 0, "{booked}");
    let moved = json(&ok(&["clinic", "to-move", "--call", "--json"]));
    assert_eq!(moved["visits"].as_array().unwrap().len() as u64, stranded);
    assert_eq!(moved["visits"][0]["refusal"]["reason"], "closed_day", "{moved}");
    assert_eq!(moved["calls"]["created"].as_u64(), Some(stranded));
    let again = json(&ok(&["clinic", "to-move", "--call", "--json"]));
    assert_eq!(
        (again["calls"]["created"].as_u64(), again["calls"]["already_asked"].as_u64()),
        (Some(0), Some(stranded))
    );
}

#[test]
fn backups_are_taken_listed_previewed_and_restored_and_bad_requests_are_refused() {
    let dir = demo_clinic();
    let d = dir.path();
    let usb = d.join("usb");
    let usb = usb.to_str().unwrap();

    // plan
    assert_refused(
        d,
        &["backup", "plan", "--folder", "backups", "--json"],
        "relative_folder",
        "not a full folder path",
    );
    assert_refused(
        d,
        &["backup", "plan", "--keep-days", "0", "--json"],
        "out_of_range",
        "Days to keep 0 is out of range",
    );
    let plan = json(&run_ok(d, &["backup", "plan", "--folder", usb, "--keep-days", "30", "--daily", "off", "--json"]));
    assert_eq!((plan["folder"].as_str(), plan["plan"]["daily"].as_bool()), (Some(usb), Some(false)));

    // create, into the plan's folder and to a file of one's choosing
    let made = json(&run_ok(d, &["backup", "create", "--json"]));
    let backup = made["path"].as_str().unwrap().to_string();
    assert!(backup.starts_with(usb) && Path::new(&backup).is_file(), "{made}");
    let out = d.join("copy.sqlite3");
    run_ok(d, &["backup", "create", "--out", out.to_str().unwrap(), "--json"]);
    assert_refused(d, &["backup", "create", "--out", out.to_str().unwrap(), "--json"], "file_exists", "already exists");

    // list
    let status = json(&run_ok(d, &["backup", "list", "--json"]));
    assert_eq!(status["files"].as_array().unwrap().len(), 1, "{status}");
    assert_eq!(status["last"]["path"].as_str(), Some(backup.as_str()));
    assert!(String::from_utf8_lossy(&run_ok(d, &["backup", "list"]).stdout).contains(&backup));

    // restore: a preview, a refusal, and the real thing
    let preview = json(&run_ok(d, &["backup", "restore", &backup, "--dry-run", "--json"]));
    assert_eq!((preview["patients"].as_u64(), preview["reason"].as_str()), (Some(30), Some("manual")), "{preview}");
    let missing = d.join("missing.sqlite3");
    assert_refused(
        d,
        &["backup", "restore", missing.to_str().unwrap(), "--dry-run", "--json"],
        "unreadable_file",
        "could not be read",
    );
    let own = d.join("clinic-journey.sqlite3");
    assert_refused(d, &["backup", "restore", own.to_str().unwrap(), "--json"], "restore_of_itself", "not a copy of it");
    let name = |d: &Path| json(&run_ok(d, &["clinic", "show", "--json"]))["name"].as_str().unwrap().to_string();
    let original = name(d);
    run_ok(d, &["clinic", "set", "--name", "Renamed after the backup"]);
    let restored = json(&run_ok(d, &["backup", "restore", &backup, "--json"]));
    assert_eq!(name(d), original);
    let saved = restored["saved_as"]["path"].as_str().unwrap();
    assert!(saved.ends_with("-before-restore.sqlite3") && Path::new(saved).is_file(), "{restored}");
    let kept = json(&run_ok(d, &["backup", "restore", saved, "--dry-run", "--json"]));
    assert_eq!(kept["clinic_name"], "Renamed after the backup");
}

#[test]
fn the_database_is_encrypted_rekeyed_and_decrypted_with_passphrases_from_the_environment() {
    let dir = demo_clinic();
    let d = dir.path();
    let with = |args: &[&str], current: Option<&str>, new: Option<&str>| {
        let mut command = app(d);
        command.args(args).env_remove("CLINIC_JOURNEY_PASSPHRASE").env_remove("CLINIC_JOURNEY_NEW_PASSPHRASE");
        if let Some(p) = current {
            command.env("CLINIC_JOURNEY_PASSPHRASE", p);
        }
        if let Some(p) = new {
            command.env("CLINIC_JOURNEY_NEW_PASSPHRASE", p);
        }
        command.output().unwrap()
    };
    let refused = |output: Output, reason: &str, message: &str| {
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
        assert_eq!(json(&output)["refusal"]["reason"], reason);
    };
    let first = "a long first passphrase";
    let second = "and a second one, longer";

    assert_eq!(json(&with(&["encryption", "status", "--json"], None, None))["encrypted"], false);
    refused(
        with(&["encryption", "enable", "--json"], None, Some("short")),
        "passphrase_too_short",
        "at least 10 characters",
    );
    refused(with(&["encryption", "enable", "--json"], None, None), "required", "CLINIC_JOURNEY_NEW_PASSPHRASE");
    refused(with(&["encryption", "rekey", "--json"], Some(first), Some(second)), "not_encrypted", "not encrypted");
    let enabled = with(&["encryption", "enable", "--json"], None, Some(first));
    assert!(enabled.status.success(), "{}", stderr(&enabled));
    assert_eq!(json(&enabled)["encrypted"], true);

    // Every command needs the passphrase now.
    refused(with(&["patients", "list", "--json"], None, None), "passphrase_needed", "enter its passphrase");
    refused(with(&["patients", "list", "--json"], Some(second), None), "wrong_passphrase", "does not open");
    let listed = with(&["patients", "list", "--json"], Some(first), None);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(!stderr(&listed).contains("ERROR"), "SQLCipher's own log: {}", stderr(&listed));
    refused(
        with(&["encryption", "enable", "--json"], Some(first), Some(second)),
        "already_encrypted",
        "encrypted already",
    );
    // An export's file is not encrypted, and the command says so.
    let sheet = d.join("calls.html");
    let exported = with(&["tasks", "export", "--out", sheet.to_str().unwrap()], Some(first), None);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(stderr(&exported).contains("this file is not encrypted"), "{}", stderr(&exported));

    let old_copy = d.join("under-the-first.sqlite3");
    let copied = with(&["backup", "create", "--out", old_copy.to_str().unwrap()], Some(first), None);
    assert!(copied.status.success(), "{}", stderr(&copied));
    let rekeyed = with(&["encryption", "rekey", "--json"], Some(first), Some(second));
    assert!(rekeyed.status.success(), "{}", stderr(&rekeyed));
    // A backup from before the change needs the passphrase it was made under.
    let dry_run = ["backup", "restore", old_copy.to_str().unwrap(), "--dry-run", "--json"];
    refused(with(&dry_run, Some(second), None), "backup_other_passphrase", "another passphrase");
    let previewed = app(d)
        .args(dry_run)
        .env("CLINIC_JOURNEY_PASSPHRASE", second)
        .env("CLINIC_JOURNEY_BACKUP_PASSPHRASE", first)
        .output()
        .unwrap();
    assert!(previewed.status.success(), "{}", stderr(&previewed));
    assert!(json(&previewed)["patients"].as_u64().unwrap() > 0);
    refused(with(&["info", "--json"], Some(first), None), "wrong_passphrase", "does not open");
    let disabled = with(&["encryption", "disable", "--json"], Some(second), None);
    assert!(disabled.status.success(), "{}", stderr(&disabled));
    assert_eq!(json(&run_ok(d, &["encryption", "status", "--json"]))["encrypted"], false);
    assert!(json(&run_ok(d, &["patients", "list", "--json"]))["total"].as_u64().unwrap() > 0);
    let plain = run_ok(d, &["tasks", "export", "--out", sheet.to_str().unwrap(), "--force"]);
    assert!(!stderr(&plain).contains("not encrypted"), "{}", stderr(&plain));
}

#[test]
fn once_staff_have_pins_every_command_names_who_gives_it_and_the_audit_log_says_so() {
    let dir = demo_clinic();
    let d = dir.path();
    let as_member = |name: &str, pin: &str, args: &[&str]| {
        let mut command = app(d);
        command.args(["--as", name]).args(args).env("CLINIC_JOURNEY_PIN", pin);
        command.output().unwrap()
    };
    let refused = |output: Output, reason: &str| {
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_eq!(json(&output)["refusal"]["reason"], reason, "{}", stderr(&output));
    };
    run_ok(d, &["staff", "add", "--name", "Marta Admin", "--role", "admin"]);
    run_ok(d, &["staff", "add", "--name", "Ilze Desk", "--role", "front_desk"]);
    // The first PIN goes to an administrator, and never comes from the command line itself.
    let mut pin = app(d);
    pin.args(["staff", "pin", "--name", "Ilze Desk", "--json"]).env("CLINIC_JOURNEY_NEW_PIN", "1357");
    refused(pin.output().unwrap(), "first_pin_for_admin");
    let no_pin = run(d, &["staff", "pin", "--name", "Marta Admin"]);
    assert!(stderr(&no_pin).contains("CLINIC_JOURNEY_NEW_PIN"), "{}", stderr(&no_pin));
    let mut pin = app(d);
    pin.args(["staff", "pin", "--name", "Marta Admin"]).env("CLINIC_JOURNEY_NEW_PIN", "9999");
    assert!(pin.output().unwrap().status.success());

    // Sign-in is on: nothing is read or written without --as.
    refused(run(d, &["patients", "list", "--json"]), "sign_in_needed");
    refused(as_member("Marta Admin", "0000", &["patients", "list", "--json"]), "wrong_sign_in_pin");
    let mut pin = app(d);
    pin.args(["--as", "Marta Admin", "staff", "pin", "--name", "Ilze Desk"])
        .env("CLINIC_JOURNEY_PIN", "9999")
        .env("CLINIC_JOURNEY_NEW_PIN", "1357");
    assert!(pin.output().unwrap().status.success());

    // The front desk registers patients but does not set the clinic up or read the log.
    let added = as_member(
        "Ilze Desk",
        "1357",
        &["patients", "add", "--given-name", "Rasa", "--family-name", "Kalna", "--phone", "+371 2000 4444", "--json"],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let patient = json(&added)["id"].as_str().unwrap().to_string();
    let service = as_member(
        "Ilze Desk",
        "1357",
        &["services", "add", "--name", "Extra", "--duration", "20", "--journey", "first_consultation", "--json"],
    );
    refused(service, "role_may_not");
    refused(as_member("Ilze Desk", "1357", &["audit", "list", "--json"]), "role_may_not");
    refused(as_member("Ilze Desk", "1357", &["patients", "erase", &patient, "--json"]), "role_may_not");

    // The administrator sees who added the patient, with the fields, then erases them.
    let log = json(&as_member("Marta Admin", "9999", &["audit", "list", "--patient", &patient, "--json"]));
    let rows = log.as_array().unwrap();
    assert_eq!(rows[0]["staff_name"], "Ilze Desk", "{log}");
    assert_eq!(rows[0]["action"], "create");
    assert!(
        rows[0]["changes"].as_array().unwrap().iter().any(|c| c["field"] == "family_name" && c["after"] == "Kalna"),
        "{log}"
    );
    let erased = as_member("Marta Admin", "9999", &["patients", "erase", &patient, "--json"]);
    assert!(erased.status.success(), "{}", stderr(&erased));
    let found = json(&as_member("Marta Admin", "9999", &["patients", "find", "Kalna", "--json"]));
    assert_eq!(found["total"], 0, "{found}");
    let csv = as_member("Marta Admin", "9999", &["audit", "list", "--csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("at,staff,source,entity") && csv.contains("Ilze Desk") && !csv.contains("Kalna"), "{csv}");
}
