//! The data behind each chart of the Insights screen as CSV (UTF-8 with a byte-order mark, so
//! spreadsheet programs read the names right): what the chart shows, one row per bar or point.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::survey::Measured;
use crate::store::Insights;

/// The tables (and charts) of the Insights screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InsightsTable {
    Rates,
    Stages,
    Standards,
    Nps,
    Servqual,
    Kano,
}

impl InsightsTable {
    pub fn file_stem(self) -> &'static str {
        match self {
            Self::Rates => "insights-rates",
            Self::Stages => "insights-stage-times",
            Self::Standards => "insights-standards",
            Self::Nps => "insights-nps",
            Self::Servqual => "insights-servqual",
            Self::Kano => "insights-kano",
        }
    }
}

fn value(m: &Measured) -> String {
    m.value.map(|v| format!("{v:.2}")).unwrap_or_default()
}

fn opt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// The table as CSV text.
pub fn insights_csv(insights: &Insights, table: InsightsTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |fields: &[String]| {
        // Writing to memory cannot fail.
        let _ = w.write_record(fields);
    };
    let s = |t: &str| t.to_string();
    match table {
        InsightsTable::Rates => {
            row(&[s("rate"), s("percent"), s("cases")]);
            let r = &insights.rates;
            for (name, m) in [
                ("no_show", &r.no_show),
                ("late_cancel", &r.late_cancel),
                ("confirmed", &r.confirmed),
                ("follow_up_done", &r.follow_up_done),
                ("follow_up_on_time", &r.follow_up_on_time),
                ("recall_return", &r.recall_return),
                ("csat", &insights.csat),
                ("nps", &insights.nps.score),
            ] {
                row(&[s(name), value(m), m.answers.to_string()]);
            }
        }
        InsightsTable::Stages => {
            row(&[
                s("journey"),
                s("stage"),
                s("samples"),
                s("median_minutes"),
                s("p90_minutes"),
                s("standard_minutes"),
                s("compliance_percent"),
            ]);
            for st in &insights.stages {
                row(&[
                    st.journey.clone(),
                    st.name.clone(),
                    st.samples.to_string(),
                    opt(st.median_minutes),
                    opt(st.p90_minutes),
                    st.standard_minutes.to_string(),
                    opt(st.compliance.share.map(|v| v * 100.0)),
                ]);
            }
        }
        InsightsTable::Standards => {
            row(&[s("journey"), s("stage"), s("standard"), s("kind"), s("met"), s("checks"), s("percent")]);
            for c in &insights.standards {
                let (text, kind) = match &c.standard {
                    Some(st) => (st.text.clone(), st.kind.as_str().to_string()),
                    None => (s("standard time"), s("measured")),
                };
                row(&[
                    c.family_key.clone(),
                    c.stage_key.clone(),
                    text,
                    kind,
                    c.compliance.met.to_string(),
                    c.compliance.checks.to_string(),
                    opt(c.compliance.share.map(|v| v * 100.0)),
                ]);
            }
        }
        InsightsTable::Nps => {
            row(&[s("month"), s("promoters"), s("passives"), s("detractors"), s("nps")]);
            for m in &insights.nps_by_month {
                row(&[
                    m.month.clone(),
                    m.nps.promoters.to_string(),
                    m.nps.passives.to_string(),
                    m.nps.detractors.to_string(),
                    value(&m.nps.score),
                ]);
            }
        }
        InsightsTable::Servqual => {
            row(&[s("dimension"), s("answers"), s("expectation"), s("perception"), s("gap"), s("weight")]);
            for d in &insights.servqual.dimensions {
                row(&[
                    d.dimension.as_str().to_string(),
                    d.answers.to_string(),
                    opt(d.expectation),
                    opt(d.perception),
                    opt(d.gap),
                    d.weight.map(|w| w.to_string()).unwrap_or_default(),
                ]);
            }
        }
        InsightsTable::Kano => {
            row(&[
                s("feature"),
                s("answers"),
                s("attractive"),
                s("one_dimensional"),
                s("must_be"),
                s("indifferent"),
                s("reverse"),
                s("questionable"),
                s("better"),
                s("worse"),
            ]);
            for k in &insights.kano {
                let r = &k.result;
                row(&[
                    k.feature.name.clone(),
                    r.answers.to_string(),
                    r.attractive.to_string(),
                    r.one_dimensional.to_string(),
                    r.must_be.to_string(),
                    r.indifferent.to_string(),
                    r.reverse.to_string(),
                    r.questionable.to_string(),
                    opt(r.better),
                    opt(r.worse),
                ]);
            }
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}
