//! What a desk on the clinic server last read of the screens the front desk works from (the
//! call list and its printed sheet, the schedule, the flow board, the clinic's overview and
//! lists), by what was asked and by whom: answered again, read-only, while the server does not
//! answer, so the day's calls can still be made and the sheet printed. Held in memory only,
//! never written to the desk's disk (it is patient data); a screen not read before the link
//! went says that the server does not answer.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::{Engine, Store};
use crate::error::Result;

/// At most this many answers are kept (each kind of screen, each date looked at, each filter).
const MOST: usize = 64;

#[derive(Default)]
pub(super) struct KeptReads(Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>);

impl KeptReads {
    fn keep<T: Clone + Send + Sync + 'static>(&self, question: String, answer: &T) {
        let mut answers = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if answers.len() >= MOST && !answers.contains_key(&question) {
            // The oldest questions are not known: all go, the screens open now come back.
            answers.clear();
        }
        answers.insert(question, Arc::new(answer.clone()));
    }

    fn kept<T: Clone + 'static>(&self, question: &str) -> Option<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).get(question)?.downcast_ref::<T>().cloned()
    }
}

impl Store {
    /// `read` on the file. On the clinic server the answer is kept under `question` (and who
    /// is signed in here: a clinician's list is not another's); while the server does not
    /// answer, the last answer kept comes back instead of an error.
    pub(super) fn read_kept<T: Clone + Send + Sync + 'static>(
        &self,
        question: impl FnOnce() -> String,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let Engine::Server(desk) = &self.engine else { return read() };
        let question = format!("{} as {:?}", question(), self.signed_in().map(|m| (m.staff_id, m.role)));
        let kept = desk.kept_reads();
        if desk.is_cut_off() {
            // Known cut off: no wait for a server that does not answer.
            if let Some(answer) = kept.kept(&question) {
                return Ok(answer);
            }
        }
        match read() {
            Ok(answer) => {
                kept.keep(question, &answer);
                Ok(answer)
            }
            Err(e) => match kept.kept(&question) {
                Some(answer) if desk.link_lost() => Ok(answer),
                _ => Err(e),
            },
        }
    }
}
