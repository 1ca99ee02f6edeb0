//! How long the window took to show the clinic's data: logged on every start, and printed (then
//! the app quits) with `--measure-startup`, so the figure can be taken from a script.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub struct StartupProbe {
    launched: Instant,
    quit_after_report: bool,
    reported: AtomicBool,
}

impl StartupProbe {
    pub fn new(launched: Instant, quit_after_report: bool) -> Self {
        Self { launched, quit_after_report, reported: AtomicBool::new(false) }
    }

    /// The UI painted its first screen with data. Only the first report counts.
    pub fn painted(&self) {
        if self.reported.swap(true, Ordering::SeqCst) {
            return;
        }
        let elapsed_ms = self.launched.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(elapsed_ms = elapsed_ms.round(), "first window painted with data");
        if self.quit_after_report {
            let painted_at = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
            // Both figures: from `main` (what the app controls), and the wall-clock instant so a
            // script can count from the moment it launched the process.
            println!("first painted window with data: {elapsed_ms:.0} ms after main; painted at unix ms {painted_at}");
            std::process::exit(0);
        }
    }
}
