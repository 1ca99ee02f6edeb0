//! The demo clinic's service-quality history: patients' survey answers after their visits
//! (NPS, CSAT, some SERVQUAL and Kano), the clinic's own standards, and weekly mystery-shopper
//! audits — with one provider's patients less happy and a few standards missed, so that a
//! newcomer's Insights screen reads like a real report.

use super::{Demo, Rng};
use crate::error::Result;

/// A standard as the demo writes it: (journey, stage, kind, text, measure, limit minutes,
/// working time).
type DemoStandard = (&'static str, &'static str, &'static str, &'static str, Option<&'static str>, Option<u32>, bool);

/// The clinic's standards beside the stages' standard times.
const STANDARDS: [DemoStandard; 6] = [
    (
        "first_consultation",
        "follow_up_call",
        "measured",
        "Follow-up call made within 4 working hours of falling due",
        Some("task_on_time"),
        Some(240),
        true,
    ),
    (
        "first_consultation",
        "results",
        "measured",
        "Results called within 5 days",
        Some("stage_time"),
        Some(7200),
        false,
    ),
    ("first_consultation", "check_in", "checked", "Greeted by name within a minute", None, None, false),
    ("first_consultation", "waiting", "checked", "Waiting room tidy, water and leaflets stocked", None, None, false),
    (
        "first_consultation",
        "consultation",
        "checked",
        "Plan explained in plain words and written down",
        None,
        None,
        false,
    ),
    ("follow_up_visit", "check_out", "checked", "Next visit booked before the patient leaves", None, None, false),
];

/// How often each checked standard is met in an audit, in the order above (checked ones).
const MET_PERCENT: [u64; 4] = [93, 78, 96, 85];

/// Proposed features and how patients tend to answer them: (name, functional, dysfunctional)
/// choices drawn from.
const KANO: [(&str, [(&str, &str); 4]); 3] = [
    (
        "Online booking at any hour",
        [("like", "dislike"), ("like", "dislike"), ("must_be", "dislike"), ("like", "neutral")],
    ),
    (
        "A text message when the doctor runs late",
        [("like", "neutral"), ("like", "live_with"), ("like", "neutral"), ("like", "dislike")],
    ),
    (
        "Free Wi-Fi in the waiting room",
        [("neutral", "neutral"), ("live_with", "live_with"), ("like", "neutral"), ("neutral", "live_with")],
    ),
];

/// SERVQUAL perception below expectation by dimension (tenths of a point), items 1–22:
/// responsiveness (10–13) and reliability (5–9) fall short, tangibles and assurance hold.
fn perception_shift(item: u8) -> i64 {
    match item {
        1..=4 => 0,
        5..=9 => -8,
        10..=13 => -14,
        14..=17 => 2,
        _ => -4,
    }
}

impl Demo<'_, '_, '_> {
    pub(super) fn quality(&mut self) -> Result<()> {
        let now = self.now.timestamp();
        for (n, (family, stage, kind, text, measure, limit, working)) in STANDARDS.iter().enumerate() {
            self.w.sqlite()?.execute(
                "INSERT INTO service_standards (id, family_key, stage_key, kind, text, measure, limit_minutes, working_time,
                   active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)",
                rusqlite::params![self.id("standard", n).to_string(), family, stage, kind, text, measure, limit, working, now - 90 * 86_400],
            )?;
        }
        for (n, (name, _)) in KANO.iter().enumerate() {
            self.w.sqlite()?.execute(
                "INSERT INTO kano_features (id, name, active, created_at) VALUES (?1, ?2, 1, ?3)",
                (self.id("kano_feature", n).to_string(), name, now - 90 * 86_400),
            )?;
        }
        for (dimension, points) in
            [("tangibles", 10), ("reliability", 30), ("responsiveness", 25), ("assurance", 20), ("empathy", 15)]
        {
            self.w
                .sqlite()?
                .execute("INSERT INTO servqual_weights (dimension, points) VALUES (?1, ?2)", (dimension, points))?;
        }
        self.surveys(now)?;
        self.audits(now)
    }

    /// About half the patients seen answer a survey the day after; one provider's patients
    /// promote the clinic less.
    fn surveys(&mut self, now: i64) -> Result<()> {
        let seen: Vec<(String, String, String, i64, String)> = {
            let mut stmt = self.w.sqlite()?.prepare(
                "SELECT a.id, a.patient_id, a.provider_id, a.ends_at, p.preferred_language FROM appointments a
                   JOIN patients p ON p.id = a.patient_id
                 WHERE a.status = 'fulfilled' AND a.ends_at < ?1 ORDER BY a.starts_at, a.id",
            )?;
            let rows = stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let sterner: Option<String> = seen.first().map(|v| v.2.clone());
        for (n, (appointment, patient, provider, ends_at, language)) in seen.into_iter().enumerate() {
            if !self.rng.chance(50) {
                continue;
            }
            let at = (ends_at + 86_400 + self.rng.range(0, 6 * 3600)).min(now - 60);
            let unhappy = sterner.as_deref() == Some(provider.as_str());
            let nps = nps_answer(&mut self.rng, unhappy);
            let csat = match nps {
                9..=10 => 5,
                7..=8 => *self.rng.pick(&[4, 4, 5, 3]),
                _ => *self.rng.pick(&[2, 3, 3, 1, 4]),
            };
            let source = if self.rng.chance(40) { "kiosk" } else { "staff" };
            let id = self.id("survey", n);
            let comment = if nps <= 6 && self.rng.chance(50) {
                *self.rng.pick(&[
                    "Waited over half an hour past my time.",
                    "Nobody called back about my results.",
                    "The doctor was rushed.",
                ])
            } else {
                ""
            };
            self.w.sqlite()?.execute(
                "INSERT INTO survey_responses (id, appointment_id, patient_id, source, language, nps, csat, comment, at, actor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'demo')",
                rusqlite::params![id.to_string(), appointment, patient, source, language, nps, csat, comment, at],
            )?;
            // The answers close the visit's feedback task, as `record_survey` does.
            self.w.sqlite()?.execute(
                "UPDATE tasks SET status = 'done', attempts = attempts + 1, last_outcome = 'done', closed_at = ?2,
                   updated_at = ?2
                 WHERE appointment_id = ?1 AND status = 'open' AND rule_id IN (
                   SELECT r.id FROM reminder_rules r JOIN template_stages s ON s.id = r.stage_id WHERE s.key = ?3)",
                (&appointment, at, crate::domain::survey::FEEDBACK_STAGE_KEY),
            )?;
            if self.rng.chance(35) {
                for item in 1..=22u8 {
                    let expectation = self.rng.range(5, 7);
                    let perception =
                        (expectation * 10 + perception_shift(item) + self.rng.range(-10, 10)).clamp(10, 70) / 10;
                    self.w.sqlite()?.execute(
                        "INSERT INTO servqual_answers (response_id, item, expectation, perception) VALUES (?1, ?2, ?3, ?4)",
                        (id.to_string(), item, expectation, perception),
                    )?;
                }
            }
            if self.rng.chance(40) {
                for (f, (_, answers)) in KANO.iter().enumerate() {
                    let (functional, dysfunctional) = *self.rng.pick(answers);
                    self.w.sqlite()?.execute(
                        "INSERT INTO kano_answers (response_id, feature_id, functional, dysfunctional) VALUES (?1, ?2, ?3, ?4)",
                        (id.to_string(), self.id("kano_feature", f).to_string(), functional, dysfunctional),
                    )?;
                }
            }
        }
        Ok(())
    }

    /// A mystery shopper every week of the demo's past, scoring each checked standard.
    fn audits(&mut self, now: i64) -> Result<()> {
        let weeks = (self.options.days as i64 / 7).max(1);
        let checked: Vec<usize> =
            STANDARDS.iter().enumerate().filter(|(_, s)| s.2 == "checked").map(|(n, _)| n).collect();
        for week in 0..weeks {
            let audit = self.id("audit", week);
            let at = now - (week * 7 + 2) * 86_400;
            let (auditor, kind) =
                if week % 2 == 0 { ("Mystery shopper", "mystery_shopper") } else { ("Marta Kalna", "supervisor") };
            self.w.sqlite()?.execute(
                "INSERT INTO audit_visits (id, at, auditor, kind, note, actor) VALUES (?1, ?2, ?3, ?4, '', 'demo')",
                (audit.to_string(), at, auditor, kind),
            )?;
            for (i, &standard) in checked.iter().enumerate() {
                let met = self.rng.chance(MET_PERCENT[i]);
                self.w.sqlite()?.execute(
                    "INSERT INTO audit_checks (audit_id, standard_id, met, note) VALUES (?1, ?2, ?3, '')",
                    (audit.to_string(), self.id("standard", standard).to_string(), met),
                )?;
            }
        }
        Ok(())
    }
}

/// An NPS answer: most patients promote a small clinic; fewer do for the sterner provider.
fn nps_answer(rng: &mut Rng, unhappy: bool) -> u8 {
    let promote = if unhappy { 38 } else { 62 };
    let roll = rng.below(100);
    if roll < promote {
        *rng.pick(&[9, 10, 10])
    } else if roll < promote + 24 {
        *rng.pick(&[7, 8])
    } else {
        *rng.pick(&[3, 5, 6, 6, 4, 2])
    }
}
