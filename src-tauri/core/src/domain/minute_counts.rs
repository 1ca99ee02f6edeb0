//! How long a stage's passes took, as a count per whole minute: two years of passes fit in a
//! few thousand counts, and the median, the p90 and every standard check come out of them
//! exactly as they would from the list of passes (minutes rounded up).

use std::collections::BTreeMap;

/// A pass's minutes rounded up: a pass is within an n-minute limit exactly when this is ≤ n.
pub fn whole_minutes(minutes: f64) -> u32 {
    minutes.max(0.0).ceil() as u32
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MinuteCounts {
    counts: BTreeMap<u32, u64>,
    total: u64,
}

impl MinuteCounts {
    pub fn of(minutes: &[f64]) -> MinuteCounts {
        let mut counts = MinuteCounts::default();
        for m in minutes {
            counts.add(whole_minutes(*m), 1);
        }
        counts
    }

    pub fn add(&mut self, minutes: u32, passes: u64) {
        if passes > 0 {
            *self.counts.entry(minutes).or_default() += passes;
            self.total += passes;
        }
    }

    pub fn passes(&self) -> u64 {
        self.total
    }

    /// Passes within `limit_minutes` (the standard's `within`).
    pub fn within(&self, limit_minutes: u32) -> u64 {
        self.counts.range(..=limit_minutes).map(|(_, n)| n).sum()
    }

    /// The minutes of the pass at `rank` (1-based) in sorted order.
    fn at_rank(&self, rank: u64) -> Option<u32> {
        let mut seen = 0;
        self.counts.iter().find_map(|(minutes, n)| {
            seen += n;
            (seen >= rank).then_some(*minutes)
        })
    }

    /// The median, the mean of the two middle passes for an even count (as `overlay::median`).
    pub fn median(&self) -> Option<f64> {
        match self.total {
            0 => None,
            n if n % 2 == 1 => self.at_rank(n / 2 + 1).map(f64::from),
            n => Some((f64::from(self.at_rank(n / 2)?) + f64::from(self.at_rank(n / 2 + 1)?)) / 2.0),
        }
    }

    /// The nearest-rank percentile `p` (as `overlay::percentile`).
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((p / 100.0) * self.total as f64).ceil().max(1.0) as u64;
        self.at_rank(rank.min(self.total)).map(f64::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::overlay::{median, percentile};

    #[test]
    fn counts_give_the_figures_of_the_rounded_list() {
        let passes = [12.2, 3.0, 45.9, 12.0, 7.5, 7.4, 120.0, 0.5, 12.1, 60.0, 3.0];
        let rounded: Vec<f64> = passes.iter().map(|m| f64::from(whole_minutes(*m))).collect();
        for n in 0..=passes.len() {
            let counts = MinuteCounts::of(&passes[..n]);
            let list = &rounded[..n];
            assert_eq!(counts.passes(), n as u64);
            assert_eq!(counts.median(), median(list), "median of {n}");
            for p in [1.0, 50.0, 90.0, 99.0, 100.0] {
                assert_eq!(counts.percentile(p), percentile(list, p), "p{p} of {n}");
            }
            for limit in [0, 3, 7, 8, 12, 13, 60, 119, 120] {
                let exact = passes[..n].iter().filter(|m| **m <= f64::from(limit)).count() as u64;
                assert_eq!(counts.within(limit), exact, "within {limit} of {n}");
            }
        }
    }

    #[test]
    fn a_hand_worked_case() {
        // 1, 2, 2, 10 (9.2 rounds up): median (2 + 2) / 2, p90 rank ⌈3.6⌉ = 4.
        let counts = MinuteCounts::of(&[2.0, 9.2, 1.0, 1.5]);
        assert_eq!(counts.median(), Some(2.0));
        assert_eq!(counts.percentile(90.0), Some(10.0));
        assert_eq!(counts.within(9), 3);
    }
}
