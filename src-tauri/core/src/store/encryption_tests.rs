//! Encryption at rest: a clinic encrypted, opened, backed up, re-keyed and decrypted keeps
//! every row; a missing or wrong passphrase is refused as such.

use std::path::{Path, PathBuf};

use super::backup_tests::{assert_same, dump_keyed};
use super::encryption::{change_encryption, is_encrypted};
use super::{Actor, Store};
use crate::demo::{load_demo, DemoOptions};
use crate::domain::backups::BackupReason;

const FIRST: &str = "correct horse battery";
const SECOND: &str = "staple in the clinic";

fn demo_clinic(dir: &Path) -> PathBuf {
    let path = dir.join("clinic.sqlite3");
    let store = Store::open(&path).unwrap();
    load_demo(&store, &DemoOptions { patients: 30, days: 5, seed: 4 }).unwrap();
    path
}

fn refusal(result: Result<Store, crate::Error>) -> &'static str {
    result.err().expect("refused").reason().unwrap_or("not a refusal")
}

#[test]
fn an_encrypted_clinic_opens_only_with_its_passphrase_and_keeps_every_row_through_rekey_and_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_clinic(dir.path());
    let plain = dump_keyed(&path, None, &[]);
    assert!(!is_encrypted(&path).unwrap());

    change_encryption(&path, None, Some(FIRST)).unwrap();
    assert!(is_encrypted(&path).unwrap());
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(b"Riverside Family Clinic".len()).any(|w| w == b"Riverside Family Clinic"),
        "clear text in the file"
    );
    assert_eq!(refusal(Store::open(&path)), "passphrase_needed");
    assert_eq!(refusal(Store::open_with_passphrase(&path, Some("not the one, surely"))), "wrong_passphrase");
    {
        let store = Store::open_with_passphrase(&path, Some(FIRST)).unwrap();
        assert!(store.is_encrypted());
        assert_eq!(store.list_patients("", 100).unwrap().total, 30);
        // While it is open, it is not written anew under it.
        assert_eq!(change_encryption(&path, Some(FIRST), Some(SECOND)).unwrap_err().reason(), Some("database_in_use"));
        // Its backups are encrypted alike, and preview with the clinic's passphrase.
        let made = store.backup_to(&dir.path().join("backups"), BackupReason::Manual).unwrap();
        assert!(is_encrypted(Path::new(&made.path)).unwrap());
        assert_eq!(store.preview_backup(Path::new(&made.path)).unwrap().patients, 30);
    }
    assert_same(&dump_keyed(&path, Some(FIRST), &[]), &plain, "the encrypted clinic");

    change_encryption(&path, Some(FIRST), Some(SECOND)).unwrap();
    assert_eq!(refusal(Store::open_with_passphrase(&path, Some(FIRST))), "wrong_passphrase");
    assert_same(&dump_keyed(&path, Some(SECOND), &[]), &plain, "the re-keyed clinic");

    change_encryption(&path, Some(SECOND), None).unwrap();
    assert!(!is_encrypted(&path).unwrap());
    assert_eq!(Store::open(&path).unwrap().list_patients("", 100).unwrap().total, 30);
    assert!(!PathBuf::from(format!("{}.encrypting", path.display())).exists(), "no file left beside it");
}

#[test]
fn a_short_passphrase_is_refused_and_a_plain_backup_restores_into_an_encrypted_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_clinic(dir.path());
    assert_eq!(change_encryption(&path, None, Some("short")).unwrap_err().reason(), Some("passphrase_too_short"));
    assert!(!is_encrypted(&path).unwrap());
    let plain_backup = Store::open(&path).unwrap().backup_to(&dir.path().join("plain"), BackupReason::Manual).unwrap();

    change_encryption(&path, None, Some(FIRST)).unwrap();
    let store = Store::open_with_passphrase(&path, Some(FIRST)).unwrap();
    store.create_patient(Actor::User, &crate::domain::patient::PatientInput::example("Ieva", "Encryptova")).unwrap();
    store.restore_backup(Actor::User, Path::new(&plain_backup.path)).unwrap();
    assert_eq!(store.list_patients("Encryptova", 10).unwrap().total, 0);
    assert_eq!(store.list_patients("", 100).unwrap().total, 30);
    drop(store);
    assert!(is_encrypted(&path).unwrap(), "the restored clinic is still encrypted");
    assert_eq!(Store::open_with_passphrase(&path, Some(FIRST)).unwrap().list_patients("", 100).unwrap().total, 30);
}

#[test]
fn a_passphrase_given_for_a_plain_clinic_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_clinic(dir.path());
    let store = Store::open_with_passphrase(&path, Some(FIRST)).unwrap();
    assert!(!store.is_encrypted());
    assert_eq!(store.list_patients("", 100).unwrap().total, 30);
    let made = store.backup_to(&dir.path().join("backups"), BackupReason::Manual).unwrap();
    assert!(!is_encrypted(Path::new(&made.path)).unwrap());
    drop(store);
    assert!(!is_encrypted(&path).unwrap());
}

#[test]
fn a_backup_made_under_an_earlier_passphrase_restores_with_that_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_clinic(dir.path());
    change_encryption(&path, None, Some(FIRST)).unwrap();
    let old_backup = Store::open_with_passphrase(&path, Some(FIRST))
        .unwrap()
        .backup_to(&dir.path().join("old"), BackupReason::Manual)
        .unwrap();
    let old_backup = Path::new(&old_backup.path);
    change_encryption(&path, Some(FIRST), Some(SECOND)).unwrap();

    let store = Store::open_with_passphrase(&path, Some(SECOND)).unwrap();
    store.create_patient(Actor::User, &crate::domain::patient::PatientInput::example("Ieva", "Laterova")).unwrap();
    // The clinic's passphrase does not open it: refused, and nothing changes.
    let refused = store.preview_backup(old_backup).unwrap_err();
    assert_eq!(refused.reason(), Some("backup_other_passphrase"));
    let wrong = store.restore_backup_with(Actor::User, old_backup, Some("not the one at all")).unwrap_err();
    assert_eq!(wrong.reason(), Some("backup_passphrase_wrong"));
    assert_eq!(wrong.body().field.as_deref(), Some("backup_passphrase"));
    assert_eq!(store.list_patients("Laterova", 10).unwrap().total, 1);

    // With the passphrase it was made under: previewed, restored, and keyed as the clinic is now.
    assert_eq!(store.preview_backup_with(old_backup, Some(FIRST)).unwrap().patients, 30);
    store.restore_backup_with(Actor::User, old_backup, Some(FIRST)).unwrap();
    assert_eq!(store.list_patients("Laterova", 10).unwrap().total, 0);
    drop(store);
    assert_eq!(Store::open_with_passphrase(&path, Some(SECOND)).unwrap().list_patients("", 100).unwrap().total, 30);
    let old_key = Store::open_with_passphrase(&path, Some(FIRST)).err().and_then(|e| e.reason());
    assert_eq!(old_key, Some("wrong_passphrase"));
}

#[test]
fn a_change_of_encryption_from_the_window_is_checked_before_the_database_closes() {
    use super::encryption::EncryptionChange;
    let dir = tempfile::tempdir().unwrap();
    let path = demo_clinic(dir.path());
    let change = |current: Option<&str>, new: Option<&str>, repeat: Option<&str>| EncryptionChange {
        current: current.map(String::from),
        new: new.map(String::from),
        repeat: repeat.map(String::from),
    };
    let plain = Store::open(&path).unwrap();
    let reason = |store: &Store, c: EncryptionChange| {
        store.check_encryption_change(Actor::User, &c).err().and_then(|e| e.reason())
    };
    assert_eq!(reason(&plain, change(None, None, None)), Some("not_encrypted"));
    assert_eq!(reason(&plain, change(None, Some("short"), Some("short"))), Some("passphrase_too_short"));
    assert_eq!(reason(&plain, change(None, Some(FIRST), Some(SECOND))), Some("passphrases_differ"));
    assert_eq!(reason(&plain, change(None, Some(FIRST), Some(FIRST))), None);
    drop(plain);
    change_encryption(&path, None, Some(FIRST)).unwrap();
    let encrypted = Store::open_with_passphrase(&path, Some(FIRST)).unwrap();
    assert_eq!(reason(&encrypted, change(Some(SECOND), None, None)), Some("wrong_passphrase"));
    assert_eq!(reason(&encrypted, change(None, Some(SECOND), Some(SECOND))), Some("wrong_passphrase"));
    assert_eq!(reason(&encrypted, change(Some(FIRST), Some(SECOND), Some(SECOND))), None);
    assert_eq!(reason(&encrypted, change(Some(FIRST), None, None)), None);
}
