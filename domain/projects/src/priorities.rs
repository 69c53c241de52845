//! Prioritisation (governance.md §6): the board's weighted criteria, members' scores 0–5 per
//! criterion, candidates ranked by weighted score, and whether a rank survives any one weight
//! moving by ±10 %.

use crate::ProjectId;
use std::collections::BTreeMap;

/// The highest score a member gives on a criterion.
pub const MAX_SCORE: i32 = 5;

/// A criterion and its weight (any positive whole number; only the ratios matter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub key: String,
    pub weight: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriorityError {
    #[error("a score is a whole number from 0 to {MAX_SCORE}")]
    ScoreOutOfRange,
    #[error("`{0}` is not a criterion of the version in force")]
    UnknownCriterion(String),
    #[error("weights are positive whole numbers")]
    Weight,
    #[error("`{0}` is named twice")]
    DuplicateCriterion(String),
    #[error("name at least one criterion")]
    NoCriteria,
}

/// Checks a set of criteria.
pub fn check_criteria(criteria: &[Criterion]) -> Vec<PriorityError> {
    let mut errors = Vec::new();
    if criteria.is_empty() {
        errors.push(PriorityError::NoCriteria);
    }
    let mut seen = std::collections::HashSet::new();
    for criterion in criteria {
        if criterion.weight <= 0 {
            errors.push(PriorityError::Weight);
        }
        if !seen.insert(criterion.key.as_str()) {
            errors.push(PriorityError::DuplicateCriterion(criterion.key.clone()));
        }
    }
    errors
}

/// Checks one member's scores for a candidate against the criteria in force.
pub fn check_scores(criteria: &[Criterion], scores: &BTreeMap<String, i32>) -> Vec<PriorityError> {
    scores
        .iter()
        .filter_map(|(key, score)| {
            if !criteria.iter().any(|c| &c.key == key) {
                Some(PriorityError::UnknownCriterion(key.clone()))
            } else if !(0..=MAX_SCORE).contains(score) {
                Some(PriorityError::ScoreOutOfRange)
            } else {
                None
            }
        })
        .collect()
}

/// Member → criterion → score, for one candidate.
pub type Scores = BTreeMap<String, BTreeMap<String, i32>>;

/// The weighted score: per criterion the mean of the members' scores (0 when nobody scored
/// it), weighted and divided by the total weight. 0–5.
pub fn weighted_score(criteria: &[Criterion], scores: &Scores, weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    criteria
        .iter()
        .zip(weights)
        .map(|(criterion, weight)| {
            let given: Vec<f64> = scores
                .values()
                .filter_map(|by_member| by_member.get(&criterion.key))
                .map(|s| f64::from(*s))
                .collect();
            let mean = if given.is_empty() {
                0.0
            } else {
                given.iter().sum::<f64>() / given.len() as f64
            };
            weight * mean
        })
        .sum::<f64>()
        / total
}

/// One candidate's place.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub candidate: ProjectId,
    pub score: f64,
    /// 1 is first; equal scores share a rank (1, 1, 3).
    pub rank: usize,
    /// The rank stays the same whichever single weight moves by +10 % or −10 %.
    pub stable: bool,
}

const EPSILON: f64 = 1e-9;

fn ranks(
    criteria: &[Criterion],
    candidates: &[(ProjectId, Scores)],
    weights: &[f64],
) -> Vec<(ProjectId, f64, usize)> {
    let mut scored: Vec<(ProjectId, f64)> = candidates
        .iter()
        .map(|(id, scores)| (id.clone(), weighted_score(criteria, scores, weights)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut ranked = Vec::with_capacity(scored.len());
    for (i, (id, score)) in scored.iter().enumerate() {
        let rank = match ranked.last() {
            Some((_, previous, rank)) if (previous - score).abs() < EPSILON => *rank,
            _ => i + 1,
        };
        ranked.push((id.clone(), *score, rank));
    }
    ranked
}

/// Ranks candidates by weighted score and tells, for each, whether its rank survives every
/// single weight moving ±10 %.
pub fn rank(criteria: &[Criterion], candidates: &[(ProjectId, Scores)]) -> Vec<Ranked> {
    let base: Vec<f64> = criteria.iter().map(|c| c.weight as f64).collect();
    let ranked = ranks(criteria, candidates, &base);
    let mut variations = Vec::new();
    for i in 0..base.len() {
        for factor in [1.1, 0.9] {
            let mut weights = base.clone();
            weights[i] *= factor;
            variations.push(ranks(criteria, candidates, &weights));
        }
    }
    ranked
        .into_iter()
        .map(|(candidate, score, rank)| {
            let stable = variations.iter().all(|variation| {
                variation
                    .iter()
                    .any(|(id, _, other)| id == &candidate && *other == rank)
            });
            Ranked {
                candidate,
                score,
                rank,
                stable,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria(weights: &[(&str, i64)]) -> Vec<Criterion> {
        weights
            .iter()
            .map(|(key, weight)| Criterion {
                key: (*key).into(),
                weight: *weight,
            })
            .collect()
    }

    fn scores(by_member: &[(&str, &[(&str, i32)])]) -> Scores {
        by_member
            .iter()
            .map(|(member, s)| {
                (
                    (*member).to_owned(),
                    s.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn the_weighted_score_averages_members_and_weighs_criteria() {
        let c = criteria(&[("value", 3), ("risk", 1)]);
        let s = scores(&[
            ("a", &[("value", 5), ("risk", 1)]),
            ("b", &[("value", 3), ("risk", 3)]),
        ]);
        // value mean 4, risk mean 2: (3·4 + 1·2) / 4 = 3.5
        assert!((weighted_score(&c, &s, &[3.0, 1.0]) - 3.5).abs() < EPSILON);
        assert_eq!(weighted_score(&c, &Scores::new(), &[3.0, 1.0]), 0.0);
    }

    #[test]
    fn equal_scores_share_a_rank() {
        let c = criteria(&[("value", 1)]);
        let candidates = vec![
            (ProjectId::from("x"), scores(&[("a", &[("value", 4)])])),
            (ProjectId::from("y"), scores(&[("a", &[("value", 4)])])),
            (ProjectId::from("z"), scores(&[("a", &[("value", 2)])])),
        ];
        let ranked: Vec<(ProjectId, usize)> = rank(&c, &candidates)
            .into_iter()
            .map(|r| (r.candidate, r.rank))
            .collect();
        assert_eq!(ranked, [("x".into(), 1), ("y".into(), 1), ("z".into(), 3)]);
    }

    #[test]
    fn a_rank_that_flips_when_a_weight_moves_ten_percent_is_unstable() {
        // x: value 5, risk 0 → 5·w1 ; y: value 0, risk 5 → 5·w2. With weights 20/19, x is
        // ahead, but value −10 % (18) or risk +10 % (20.9) puts y first.
        let c = criteria(&[("value", 20), ("risk", 19)]);
        let candidates = vec![
            (
                ProjectId::from("x"),
                scores(&[("a", &[("value", 5), ("risk", 0)])]),
            ),
            (
                ProjectId::from("y"),
                scores(&[("a", &[("value", 0), ("risk", 5)])]),
            ),
            (
                ProjectId::from("z"),
                scores(&[("a", &[("value", 1), ("risk", 1)])]),
            ),
        ];
        let ranked = rank(&c, &candidates);
        assert_eq!(ranked[0].candidate, ProjectId::from("x"));
        assert!(!ranked[0].stable && !ranked[1].stable, "{ranked:?}");
        assert!(ranked[2].stable, "z stays last");
        // Far apart, nothing moves.
        let c = criteria(&[("value", 10), ("risk", 1)]);
        assert!(rank(&c, &candidates).iter().all(|r| r.stable));
    }

    #[test]
    fn scores_and_criteria_are_checked() {
        let c = criteria(&[("value", 1)]);
        let bad: BTreeMap<String, i32> = [("value".to_owned(), 6), ("cost".to_owned(), 1)].into();
        assert_eq!(
            check_scores(&c, &bad),
            [
                PriorityError::UnknownCriterion("cost".into()),
                PriorityError::ScoreOutOfRange
            ]
        );
        assert_eq!(
            check_criteria(&criteria(&[("a", 0), ("a", 1)])),
            [
                PriorityError::Weight,
                PriorityError::DuplicateCriterion("a".into())
            ]
        );
        assert_eq!(check_criteria(&[]), [PriorityError::NoCriteria]);
    }

    /// A move of ten per cent is a factor, not an addition: with weights 200 and 190 a tenth
    /// more on the smaller one (209) overtakes the larger; 1.1 more (191.1) would not.
    #[test]
    fn a_ten_percent_move_is_relative_to_the_weight() {
        let candidates = vec![
            (
                ProjectId::from("x"),
                scores(&[("a", &[("value", 5), ("risk", 0)])]),
            ),
            (
                ProjectId::from("y"),
                scores(&[("a", &[("value", 0), ("risk", 5)])]),
            ),
        ];
        let close = rank(&criteria(&[("value", 200), ("risk", 190)]), &candidates);
        assert!(close.iter().all(|r| !r.stable), "{close:?}");
        let apart = rank(&criteria(&[("value", 200), ("risk", 100)]), &candidates);
        assert!(apart.iter().all(|r| r.stable), "{apart:?}");
    }

    /// Moving a weight by ten per cent means ×1.1 and ×0.9, not ÷0.9 (×1.11): here y's one
    /// criterion would overtake x's two at +11 %, but not at +10 %.
    #[test]
    fn a_ten_percent_move_is_no_more_than_ten_percent() {
        let candidates = vec![
            (
                ProjectId::from("x"),
                scores(&[("m", &[("a", 1), ("b", 1), ("c", 0)])]),
            ),
            (
                ProjectId::from("y"),
                scores(&[("m", &[("a", 0), ("b", 0), ("c", 1)])]),
            ),
        ];
        let ranked = rank(
            &criteria(&[("a", 525), ("b", 525), ("c", 950)]),
            &candidates,
        );
        assert!(ranked.iter().all(|r| r.stable), "{ranked:?}");
    }

    #[test]
    fn positive_weights_and_distinct_keys_pass_and_each_fault_is_named() {
        assert_eq!(check_criteria(&criteria(&[("a", 1), ("b", 30)])), []);
        assert_eq!(
            check_criteria(&criteria(&[("a", 1), ("b", 0)])),
            [PriorityError::Weight]
        );
        assert_eq!(
            check_criteria(&criteria(&[("a", -3)])),
            [PriorityError::Weight]
        );
        assert_eq!(
            check_criteria(&criteria(&[("a", 1), ("a", 2)])),
            [PriorityError::DuplicateCriterion("a".into())]
        );
    }
}
