//! `export` and `import` on the command line: each kind succeeds, an import checks first and
//! writes all or nothing, and a refused import exits non-zero with its report.

use std::path::Path;
use std::process::Output;

mod common;
use common::app;

fn run(dir: &Path, args: &[&str]) -> Output {
    app(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    let output = run(dir, args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["demo", "--patients", "20", "--days", "3"]);
    dir
}

#[test]
fn every_export_kind_is_written_and_an_existing_file_is_kept() {
    let dir = demo();
    let d = dir.path();
    let out = tempfile::tempdir().unwrap();
    let file = |name: &str| out.path().join(name).display().to_string();
    let calendar = String::from_utf8(ok(d, &["export", "ics", "--detail", "none"]).stdout).unwrap();
    assert!(calendar.starts_with("BEGIN:VCALENDAR\r\n") && calendar.contains("BEGIN:VEVENT"), "{calendar}");
    for (args, name) in [
        (vec!["export", "csv", "patients"], "patients.csv"),
        (vec!["export", "csv", "appointments"], "appointments.csv"),
        (vec!["export", "csv", "tasks"], "tasks.csv"),
        (vec!["export", "fhir"], "bundle.json"),
        (vec!["export", "fhir", "--ndjson"], "clinic.ndjson"),
    ] {
        let path = file(name);
        let written = json(&ok(d, &[args.as_slice(), &["--out", &path, "--json"]].concat()));
        assert!(written["count"].as_u64().unwrap() > 0, "{written}");
        let again = run(d, &[args.as_slice(), &["--out", &path]].concat());
        assert_eq!(again.status.code(), Some(1), "an existing file is not replaced");
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    }
    let unknown = run(d, &["export", "ics", "--provider", "Dr Nobody"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no provider is called “Dr Nobody”"));
}

#[test]
fn an_import_with_a_bad_row_exits_non_zero_with_its_report_and_writes_nothing() {
    let dir = demo();
    let d = dir.path();
    let csv = d.join("patients.csv");
    std::fs::write(&csv, "Surname;Forename;Mobile\nOzola;Anna;+371 2000 0001\nLiepa;;+371 2000 0002\n").unwrap();
    let mapping = d.join("mapping.json");
    std::fs::write(&mapping, r#"{"family_name": "Surname", "given_name": "Forename", "phone": "Mobile"}"#).unwrap();
    let before = json(&ok(d, &["patients", "list", "--json"]))["total"].as_u64().unwrap();
    let csv_path = csv.display().to_string();
    let mapping_path = mapping.display().to_string();
    let refused = run(d, &["import", "csv", &csv_path, "--mapping", &mapping_path, "--json"]);
    assert_eq!(refused.status.code(), Some(1));
    let report = json(&refused);
    assert_eq!(report["applied"], false);
    assert_eq!(report["problems"][0]["line"], 3, "{report}");
    assert_eq!(report["problems"][0]["column"], "Forename");
    assert_eq!(report["problems"][0]["reason"]["reason"], "required");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nothing was imported: 1 problems"));
    assert_eq!(json(&ok(d, &["patients", "list", "--json"]))["total"].as_u64().unwrap(), before);

    // Fixed, previewed, then imported; the mapping is remembered for the next file.
    std::fs::write(&csv, "Surname;Forename;Mobile\nOzola;Anna;+371 2000 0001\nLiepa;Jānis;+371 2000 0002\n").unwrap();
    let preview = json(&ok(d, &["import", "csv", &csv_path, "--mapping", &mapping_path, "--dry-run", "--json"]));
    assert_eq!((preview["patients_added"].as_u64(), preview["applied"].as_bool()), (Some(2), Some(false)));
    let done = json(&ok(d, &["import", "csv", &csv_path, "--mapping", &mapping_path, "--json"]));
    assert_eq!((done["patients_added"].as_u64(), done["applied"].as_bool()), (Some(2), Some(true)));
    let proposal = json(&ok(d, &["import", "mapping", &csv_path]));
    assert_eq!(proposal["remembered"], true, "{proposal}");
}

#[test]
fn a_fhir_export_imports_into_another_clinic_and_a_second_import_adds_nothing() {
    let source = demo();
    let bundle = source.path().join("clinic.ndjson");
    let path = bundle.display().to_string();
    ok(source.path(), &["export", "fhir", "--ndjson", "--out", &path]);
    // The same demo's rooms, providers and services, with other patients: the file's
    // patients are new there, its visits overlap that clinic's own and are refused.
    let other = tempfile::tempdir().unwrap();
    ok(other.path(), &["demo", "--patients", "20", "--days", "3", "--seed", "2"]);
    let report = run(other.path(), &["import", "fhir", &path, "--dry-run", "--json"]);
    let report = json(&report);
    assert!(report["patients_added"].as_u64().unwrap() > 0, "{report}");
    assert!(report["ignored"]["Task"].as_u64().unwrap() > 0, "{report}");
    // Into its own clinic: everything is there already.
    let again = json(&ok(source.path(), &["import", "fhir", &path, "--json"]));
    assert_eq!(again["patients_added"], 0, "{again}");
    assert_eq!(again["appointments_added"], 0, "{again}");
    assert!(again["appointments_unchanged"].as_u64().unwrap() > 0);
}

#[test]
fn a_kept_calendar_file_is_listed_and_removed() {
    let dir = demo();
    let d = dir.path();
    let folder = d.join("calendars");
    let folder = folder.display().to_string();
    let feed = json(&ok(d, &["calendar-feeds", "add", "--folder", &folder, "--detail", "initials", "--json"]));
    let file = feed["file"].as_str().unwrap();
    assert!(std::fs::read_to_string(file).unwrap().contains("BEGIN:VEVENT"));
    let listed = json(&ok(d, &["calendar-feeds", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let id = feed["id"].as_str().unwrap();
    ok(d, &["calendar-feeds", "remove", id]);
    assert_eq!(json(&ok(d, &["calendar-feeds", "list", "--json"])).as_array().unwrap().len(), 0);
    let relative = run(d, &["calendar-feeds", "add", "--folder", "calendars"]);
    assert_eq!(relative.status.code(), Some(1));
}
