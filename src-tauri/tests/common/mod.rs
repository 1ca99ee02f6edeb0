//! What the command-line tests share: the app's binary on a data folder of the test's own,
//! with nothing of the caller's environment that would choose another folder, clock,
//! passphrase or staff member.

use std::path::Path;
use std::process::Command;

pub fn app(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clinic-journey"));
    command.arg("--data-dir").arg(dir);
    for inherited in [
        "CLINIC_JOURNEY_DATA_DIR",
        "CLINIC_JOURNEY_NOW",
        "CLINIC_JOURNEY_PASSPHRASE",
        "CLINIC_JOURNEY_NEW_PASSPHRASE",
        "CLINIC_JOURNEY_BACKUP_PASSPHRASE",
        "CLINIC_JOURNEY_AS",
        "CLINIC_JOURNEY_PIN",
        "CLINIC_JOURNEY_NEW_PIN",
        "CLINIC_JOURNEY_SERVER",
        "CLINIC_JOURNEY_SERVER_CA",
        "CLINIC_JOURNEY_SERVER_PASSWORD",
    ] {
        command.env_remove(inherited);
    }
    command
}
