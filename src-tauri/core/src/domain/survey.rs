//! What patients say of the service, and the measures of `QUALITY.md` ("Survey measures"): NPS,
//! CSAT, the SERVQUAL gap per dimension (optionally weighted), and the Kano classification of
//! proposed features with its Better/Worse coefficients. A figure from fewer answers than
//! `MIN_ANSWERS` is not given: the screen says "too few answers" instead.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Refusal, Result};

/// Fewer answers than this, and a percentage or a mean says more about chance than about the
/// clinic.
pub const MIN_ANSWERS: u32 = 30;

/// The journeys' post-visit stage whose task asks for feedback: a survey recorded about a visit
/// answers it.
pub const FEEDBACK_STAGE_KEY: &str = "feedback_survey";

/// The 22 SERVQUAL items, each answered as expectation and perception on a 7-point scale.
pub const SERVQUAL_ITEMS: u8 = 22;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Tangibles,
    Reliability,
    Responsiveness,
    Assurance,
    Empathy,
}
text_enum!(Dimension {
    Tangibles => "tangibles",
    Reliability => "reliability",
    Responsiveness => "responsiveness",
    Assurance => "assurance",
    Empathy => "empathy",
});

impl Dimension {
    pub const ALL: [Dimension; 5] =
        [Self::Tangibles, Self::Reliability, Self::Responsiveness, Self::Assurance, Self::Empathy];

    /// Items 1–4 tangibles, 5–9 reliability, 10–13 responsiveness, 14–17 assurance, 18–22 empathy.
    pub fn of_item(item: u8) -> Option<Dimension> {
        Some(match item {
            1..=4 => Self::Tangibles,
            5..=9 => Self::Reliability,
            10..=13 => Self::Responsiveness,
            14..=17 => Self::Assurance,
            18..=22 => Self::Empathy,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SurveySource {
    /// Staff asked and typed the answers (the feedback call).
    Staff,
    /// The patient answered on the reception kiosk.
    Kiosk,
}
text_enum!(SurveySource { Staff => "staff", Kiosk => "kiosk" });

/// One SERVQUAL item as a patient answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServqualAnswer {
    pub item: u8,
    pub expectation: u8,
    pub perception: u8,
}

/// A survey as staff enter it from a call or a patient on the kiosk: every part optional but
/// not all empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct SurveyAnswers {
    pub nps: Option<u8>,
    pub csat: Option<u8>,
    pub servqual: Vec<ServqualAnswer>,
    pub comment: String,
}

impl SurveyAnswers {
    /// Refuses an answer off its scale, a SERVQUAL item twice or unknown, and an empty survey.
    pub fn check(&self) -> Result<()> {
        let scale = |field: &str, what: &str, value: u8, min: u32, max: u32| {
            if (min..=max).contains(&(value as u32)) {
                Ok(())
            } else {
                Err(Error::refused(field, Refusal::OutOfRange { what: what.into(), value: value as u32, min, max }))
            }
        };
        if let Some(nps) = self.nps {
            scale("nps", "The recommendation score", nps, 0, 10)?;
        }
        if let Some(csat) = self.csat {
            scale("csat", "The satisfaction score", csat, 1, 5)?;
        }
        let mut seen = [false; SERVQUAL_ITEMS as usize + 1];
        for a in &self.servqual {
            scale("servqual", "The SERVQUAL item", a.item, 1, SERVQUAL_ITEMS as u32)?;
            if std::mem::replace(&mut seen[a.item as usize], true) {
                return Err(Error::refused("servqual", Refusal::Duplicate { value: format!("item {}", a.item) }));
            }
            scale("servqual", "An expectation", a.expectation, 1, 7)?;
            scale("servqual", "A perception", a.perception, 1, 7)?;
        }
        crate::domain::limits::check_length(
            "comment",
            "The comment",
            self.comment.trim(),
            crate::domain::limits::NOTE,
        )?;
        if self.nps.is_none() && self.csat.is_none() && self.servqual.is_empty() && self.comment.trim().is_empty() {
            return Err(Error::refused("nps", Refusal::Required { what: "An answer".into() }));
        }
        Ok(())
    }
}

/// A share or score from enough answers, or the count that was too few.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Measured {
    pub answers: u32,
    /// None below `MIN_ANSWERS`.
    pub value: Option<f64>,
}

impl Measured {
    fn of(answers: u32, value: impl FnOnce() -> f64) -> Measured {
        Measured { answers, value: (answers >= MIN_ANSWERS).then(value) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct Nps {
    /// % promoters − % detractors, −100…+100.
    pub score: Measured,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
}

/// Promoters answer 9–10, passives 7–8, detractors 0–6.
pub fn nps(scores: &[u8]) -> Nps {
    let promoters = scores.iter().filter(|s| **s >= 9).count() as u32;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as u32;
    let n = scores.len() as u32;
    Nps {
        score: Measured::of(n, || (promoters as f64 - detractors as f64) * 100.0 / n as f64),
        promoters,
        passives: n - promoters - detractors,
        detractors,
    }
}

/// CSAT = (4s and 5s ÷ answers) × 100.
pub fn csat(scores: &[u8]) -> Measured {
    let satisfied = scores.iter().filter(|s| **s >= 4).count();
    Measured::of(scores.len() as u32, || satisfied as f64 * 100.0 / scores.len() as f64)
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct DimensionGap {
    pub dimension: Dimension,
    /// Patients who answered at least one of its items.
    pub answers: u32,
    pub expectation: Option<f64>,
    pub perception: Option<f64>,
    /// Mean of its items' mean P − E; negative is a shortfall. None below `MIN_ANSWERS`.
    pub gap: Option<f64>,
    /// Its share of the 100 points, when the clinic weights the dimensions.
    pub weight: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Servqual {
    pub dimensions: Vec<DimensionGap>,
    /// Mean of the dimension gaps (or their weighted mean), when every dimension has one.
    pub overall: Option<f64>,
    /// The dimension with the largest shortfall.
    pub worst: Option<Dimension>,
}

/// Gap per item = P − E (mean over patients); dimension gap = mean of its items' gaps; with
/// `weights` (points per dimension summing to 100) the overall gap is their weighted mean.
pub fn servqual(surveys: &[&[ServqualAnswer]], weights: Option<&[(Dimension, u32)]>) -> Servqual {
    let mut sums = ServqualSums::default();
    for survey in surveys {
        let mut touched = [false; 5];
        for a in survey.iter() {
            let Some(dim) = Dimension::of_item(a.item) else { continue };
            let item = &mut sums.items[a.item as usize];
            item.0 += a.expectation as f64;
            item.1 += a.perception as f64;
            item.2 += 1;
            touched[dim as usize] = true;
        }
        for (d, t) in touched.iter().enumerate() {
            sums.respondents[d] += *t as u32;
        }
    }
    servqual_of(&sums, weights)
}

/// What the SERVQUAL figures are made of: per item the sums of expectations and perceptions
/// and the answers' count, and per dimension how many patients answered any of its items (a
/// large report sums them in the database).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServqualSums {
    /// Indexed by item number (0 unused).
    pub items: [(f64, f64, u32); SERVQUAL_ITEMS as usize + 1],
    /// In `Dimension::ALL` order.
    pub respondents: [u32; 5],
}

pub fn servqual_of(sums: &ServqualSums, weights: Option<&[(Dimension, u32)]>) -> Servqual {
    let dimensions: Vec<DimensionGap> = Dimension::ALL
        .iter()
        .map(|&dimension| {
            let means: Vec<(f64, f64)> = (1..=SERVQUAL_ITEMS)
                .filter(|i| Dimension::of_item(*i) == Some(dimension))
                .filter_map(|i| {
                    let (e, p, n) = sums.items[i as usize];
                    (n > 0).then(|| (e / n as f64, p / n as f64))
                })
                .collect();
            let n = sums.respondents[dimension as usize];
            let mean = |f: fn(&(f64, f64)) -> f64| {
                (!means.is_empty()).then(|| means.iter().map(f).sum::<f64>() / means.len() as f64)
            };
            let (expectation, perception) = (mean(|m| m.0), mean(|m| m.1));
            let gap = match (expectation, perception) {
                (Some(e), Some(p)) if n >= MIN_ANSWERS => Some(mean(|m| m.1 - m.0).unwrap_or(p - e)),
                _ => None,
            };
            let weight = weights.and_then(|w| w.iter().find(|(d, _)| *d == dimension).map(|(_, p)| *p));
            DimensionGap { dimension, answers: n, expectation, perception, gap, weight }
        })
        .collect();
    let gaps: Option<Vec<(f64, Option<u32>)>> = dimensions.iter().map(|d| d.gap.map(|g| (g, d.weight))).collect();
    let overall = gaps.map(|gaps| match weights {
        Some(_) => gaps.iter().map(|(g, w)| g * w.unwrap_or(0) as f64).sum::<f64>() / 100.0,
        None => gaps.iter().map(|(g, _)| g).sum::<f64>() / gaps.len() as f64,
    });
    let worst = dimensions
        .iter()
        .filter_map(|d| d.gap.filter(|g| *g < 0.0).map(|g| (d.dimension, g)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(d, _)| d);
    Servqual { dimensions, overall, worst }
}

/// Refuses weights that are not the five dimensions sharing 100 points.
pub fn check_weights(weights: &[(Dimension, u32)]) -> Result<()> {
    let total: u32 = weights.iter().map(|(_, p)| p).sum();
    let every = Dimension::ALL.iter().all(|d| weights.iter().filter(|(w, _)| w == d).count() == 1);
    if !every || weights.len() != 5 || total != 100 {
        return Err(Error::refused("weights", Refusal::WeightsNot100 { total }));
    }
    Ok(())
}

/// A Kano answer: how the patient would feel if the feature were there (functional) or not
/// (dysfunctional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KanoAnswer {
    Like,
    MustBe,
    Neutral,
    LiveWith,
    Dislike,
}
text_enum!(KanoAnswer {
    Like => "like",
    MustBe => "must_be",
    Neutral => "neutral",
    LiveWith => "live_with",
    Dislike => "dislike",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KanoCategory {
    Attractive,
    OneDimensional,
    MustBe,
    Indifferent,
    Reverse,
    Questionable,
}

/// The Kano table: rows the functional answer, columns the dysfunctional, both in the order
/// Like, Must-be, Neutral, Live-with, Dislike.
pub fn kano_category(functional: KanoAnswer, dysfunctional: KanoAnswer) -> KanoCategory {
    use KanoCategory::*;
    const TABLE: [[KanoCategory; 5]; 5] = [
        [Questionable, Attractive, Attractive, Attractive, OneDimensional],
        [Reverse, Indifferent, Indifferent, Indifferent, MustBe],
        [Reverse, Indifferent, Indifferent, Indifferent, MustBe],
        [Reverse, Indifferent, Indifferent, Indifferent, MustBe],
        [Reverse, Reverse, Reverse, Reverse, Questionable],
    ];
    TABLE[functional as usize][dysfunctional as usize]
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KanoResult {
    pub answers: u32,
    pub attractive: u32,
    pub one_dimensional: u32,
    pub must_be: u32,
    pub indifferent: u32,
    pub reverse: u32,
    pub questionable: u32,
    /// The most frequent category.
    pub category: Option<KanoCategory>,
    /// Better = (A + O)/(A + O + M + I); Worse = −(O + M)/(A + O + M + I). None below
    /// `MIN_ANSWERS` or without an A, O, M or I answer.
    pub better: Option<f64>,
    pub worse: Option<f64>,
}

pub fn kano(answers: &[(KanoAnswer, KanoAnswer)]) -> KanoResult {
    let mut counts = [0u32; 6];
    for &(f, d) in answers {
        counts[kano_category(f, d) as usize] += 1;
    }
    let [a, o, m, i, r, q] = counts;
    let base = (a + o + m + i) as f64;
    let enough = answers.len() as u32 >= MIN_ANSWERS && base > 0.0;
    use KanoCategory::*;
    let category = [Attractive, OneDimensional, MustBe, Indifferent, Reverse, Questionable]
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| c);
    KanoResult {
        answers: answers.len() as u32,
        attractive: a,
        one_dimensional: o,
        must_be: m,
        indifferent: i,
        reverse: r,
        questionable: q,
        category,
        better: enough.then(|| (a + o) as f64 / base),
        worse: enough.then(|| -((o + m) as f64) / base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn nps_and_csat_match_hand_worked_counts() {
        // 40 answers: 20 promoters (9–10), 12 passives (7–8), 8 detractors (0–6):
        // NPS = 50 % − 20 % = 30.
        let scores: Vec<u8> =
            [10u8; 12].into_iter().chain([9; 8]).chain([8; 7]).chain([7; 5]).chain([6; 5]).chain([2; 3]).collect();
        let n = nps(&scores);
        assert_eq!((n.promoters, n.passives, n.detractors), (20, 12, 8));
        assert!(close(n.score.value, 30.0), "{n:?}");
        // CSAT: 27 of 36 answers are 4 or 5: 75 %.
        let c: Vec<u8> = [5u8; 15].into_iter().chain([4; 12]).chain([3; 6]).chain([1; 3]).collect();
        assert!(close(csat(&c).value, 75.0));
        // Too few answers: the counts, no score.
        let few = nps(&[10, 10, 0]);
        assert_eq!((few.score.answers, few.score.value, few.promoters), (3, None, 2));
    }

    #[test]
    fn servqual_gaps_per_dimension_and_weighted_overall() {
        // 30 patients answer items 1 and 2 (tangibles) E 6 / P 5 and E 6 / P 6: item gaps −1
        // and 0, dimension gap −0.5; item 5 (reliability) E 7 / P 4: −3. The others unanswered.
        let survey = [
            ServqualAnswer { item: 1, expectation: 6, perception: 5 },
            ServqualAnswer { item: 2, expectation: 6, perception: 6 },
            ServqualAnswer { item: 5, expectation: 7, perception: 4 },
        ];
        let surveys: Vec<&[ServqualAnswer]> = vec![&survey[..]; 30];
        let s = servqual(&surveys, None);
        let gap = |d: Dimension| s.dimensions.iter().find(|x| x.dimension == d).unwrap().gap;
        assert!(close(gap(Dimension::Tangibles), -0.5));
        assert!(close(gap(Dimension::Reliability), -3.0));
        assert_eq!(gap(Dimension::Empathy), None);
        assert_eq!((s.overall, s.worst), (None, Some(Dimension::Reliability)));

        // Every dimension answered: gaps −0.5, −3, 0, +1, −1; weights 10/40/20/20/10 give
        // (−0.05 − 1.2 + 0 + 0.2 − 0.1) = −1.15, unweighted −0.7.
        let full = [
            ServqualAnswer { item: 1, expectation: 6, perception: 5 },
            ServqualAnswer { item: 2, expectation: 6, perception: 6 },
            ServqualAnswer { item: 5, expectation: 7, perception: 4 },
            ServqualAnswer { item: 10, expectation: 5, perception: 5 },
            ServqualAnswer { item: 14, expectation: 5, perception: 6 },
            ServqualAnswer { item: 22, expectation: 6, perception: 5 },
        ];
        let surveys: Vec<&[ServqualAnswer]> = vec![&full[..]; 30];
        assert!(close(servqual(&surveys, None).overall, -0.7));
        let weights = [
            (Dimension::Tangibles, 10),
            (Dimension::Reliability, 40),
            (Dimension::Responsiveness, 20),
            (Dimension::Assurance, 20),
            (Dimension::Empathy, 10),
        ];
        check_weights(&weights).unwrap();
        assert!(close(servqual(&surveys, Some(&weights)).overall, -1.15));
        let short = [(Dimension::Tangibles, 50), (Dimension::Reliability, 40)];
        assert_eq!(check_weights(&short).unwrap_err().refusal().unwrap().reason(), "weights_not100");
    }

    #[test]
    fn kano_follows_the_table_and_better_worse_the_counts() {
        use KanoAnswer::{Dislike, Like, LiveWith, Neutral};
        use KanoCategory::{Attractive, Indifferent, OneDimensional, Questionable, Reverse};
        assert_eq!(kano_category(Like, Dislike), OneDimensional);
        assert_eq!(kano_category(Like, Neutral), Attractive);
        assert_eq!(kano_category(Neutral, Dislike), KanoCategory::MustBe);
        assert_eq!(kano_category(LiveWith, LiveWith), Indifferent);
        assert_eq!(kano_category(Dislike, Like), Reverse);
        assert_eq!(kano_category(Like, Like), Questionable);
        // 12 attractive, 8 one-dimensional, 6 must-be, 4 indifferent: Better = 20/30,
        // Worse = −14/30.
        let answers: Vec<_> = std::iter::repeat_n((Like, Neutral), 12)
            .chain(std::iter::repeat_n((Like, Dislike), 8))
            .chain(std::iter::repeat_n((KanoAnswer::MustBe, Dislike), 6))
            .chain(std::iter::repeat_n((Neutral, Neutral), 4))
            .collect();
        let k = kano(&answers);
        assert_eq!(
            (k.attractive, k.one_dimensional, k.must_be, k.indifferent, k.category),
            (12, 8, 6, 4, Some(Attractive))
        );
        assert!(close(k.better, 20.0 / 30.0) && close(k.worse, -14.0 / 30.0));
    }

    #[test]
    fn an_answer_off_its_scale_or_an_empty_survey_is_refused() {
        let reason = |a: SurveyAnswers| a.check().unwrap_err().refusal().unwrap().reason().to_string();
        assert_eq!(reason(SurveyAnswers { nps: Some(11), ..Default::default() }), "out_of_range");
        assert_eq!(reason(SurveyAnswers { csat: Some(0), ..Default::default() }), "out_of_range");
        let twice = ServqualAnswer { item: 3, expectation: 5, perception: 5 };
        assert_eq!(reason(SurveyAnswers { servqual: vec![twice, twice], ..Default::default() }), "duplicate");
        let off = ServqualAnswer { item: 3, expectation: 8, perception: 5 };
        assert_eq!(reason(SurveyAnswers { servqual: vec![off], ..Default::default() }), "out_of_range");
        assert_eq!(reason(SurveyAnswers { comment: "  ".into(), ..Default::default() }), "required");
        SurveyAnswers { nps: Some(0), ..Default::default() }.check().unwrap();
    }
}
