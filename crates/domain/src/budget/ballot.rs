//! The rules a cast ballot must follow: how many projects, how much money, how many points, how
//! long a ranking. A process stores its [`BallotRule`] as JSON; [`BallotRule::check`] says which rule
//! a ballot breaks.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::amount::Amount;

/// How residents vote in a process (or district).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BallotRule {
    /// Approve a set of projects.
    Approval {
        /// At least this many (0: no minimum).
        #[serde(default)]
        min_projects: u32,
        /// At most this many.
        #[serde(default)]
        max_projects: Option<u32>,
        /// Knapsack ballot: the chosen projects may cost at most the budget.
        #[serde(default)]
        knapsack: bool,
    },
    /// Spread up to `points` points over projects.
    Cumulative {
        points: u64,
        /// At most this many points on one project.
        #[serde(default)]
        max_per_project: Option<u64>,
        #[serde(default)]
        min_projects: u32,
    },
    /// Rank exactly `scores.len()` projects; the project at rank `i` (first = 1) scores
    /// `scores[i - 1]` points (Kraków: `[3, 2, 1]`).
    Ranking { scores: Vec<u64> },
}

/// A ballot as cast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "choices", rename_all = "snake_case")]
pub enum Ballot {
    Approval(Vec<String>),
    Cumulative(Vec<(String, u64)>),
    /// Most preferred first.
    Ranking(Vec<String>),
}

/// A project of the process as a ballot sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotProject {
    pub id: String,
    pub cost: Amount,
    /// Feasible and placed on the ballot (of this district).
    pub on_ballot: bool,
}

/// The projects and the money a ballot is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotContext {
    pub projects: Vec<BallotProject>,
    /// The process's (or district's) budget, for knapsack ballots.
    pub budget: Amount,
}

/// Which ballot rule is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("this process takes {expected} ballots")]
    WrongKind { expected: &'static str },
    #[error("project `{0}` does not exist")]
    UnknownProject(String),
    #[error("project `{0}` is not on the ballot")]
    NotOnBallot(String),
    #[error("project `{0}` is chosen twice")]
    Duplicate(String),
    #[error("at most {max} projects may be chosen, {got} were")]
    TooManyProjects { max: u32, got: usize },
    #[error("at least {min} projects must be chosen, {got} were")]
    TooFewProjects { min: u32, got: usize },
    #[error("the chosen projects cost {total}, more than the budget of {budget}")]
    OverBudget { budget: Amount, total: Amount },
    #[error("{total} points given, at most {max} allowed")]
    PointsExceeded { max: u64, total: u64 },
    #[error("{got} points on project `{id}`, at most {max} allowed")]
    ProjectPointsExceeded { id: String, max: u64, got: u64 },
    #[error("project `{0}` is given no points")]
    ZeroPoints(String),
    #[error("exactly {expected} projects must be ranked, {got} were")]
    WrongLength { expected: usize, got: usize },
}

impl BallotRule {
    /// Checks a cast ballot against this rule.
    ///
    /// # Errors
    /// The first rule the ballot breaks: wrong kind, unknown or off-ballot or repeated project,
    /// too many or too few projects, over budget, too many points, wrong ranking length.
    pub fn check(&self, ballot: &Ballot, context: &BallotContext) -> Result<(), BallotError> {
        let ids: Vec<&str> = match ballot {
            Ballot::Approval(ids) | Ballot::Ranking(ids) => ids.iter().map(String::as_str).collect(),
            Ballot::Cumulative(items) => items.iter().map(|(id, _)| id.as_str()).collect(),
        };
        let mut seen = HashSet::new();
        let mut chosen = Vec::with_capacity(ids.len());
        for id in &ids {
            let project = context
                .projects
                .iter()
                .find(|p| p.id == *id)
                .ok_or_else(|| BallotError::UnknownProject((*id).to_owned()))?;
            if !project.on_ballot {
                return Err(BallotError::NotOnBallot((*id).to_owned()));
            }
            if !seen.insert(*id) {
                return Err(BallotError::Duplicate((*id).to_owned()));
            }
            chosen.push(project);
        }
        let count = |min: u32, max: Option<u32>| {
            if let Some(max) = max
                && ids.len() > max as usize
            {
                return Err(BallotError::TooManyProjects { max, got: ids.len() });
            }
            if ids.len() < min as usize {
                return Err(BallotError::TooFewProjects { min, got: ids.len() });
            }
            Ok(())
        };
        match (self, ballot) {
            (Self::Approval { min_projects, max_projects, knapsack }, Ballot::Approval(_)) => {
                count(*min_projects, *max_projects)?;
                if *knapsack {
                    let scale = chosen.iter().map(|p| p.cost.scale()).fold(context.budget.scale(), u8::max);
                    let total: u128 =
                        chosen.iter().map(|p| u128::from(p.cost.units_at(scale).unwrap_or(u64::MAX))).sum();
                    let budget = u128::from(context.budget.units_at(scale).unwrap_or(u64::MAX));
                    if total > budget {
                        let total = u64::try_from(total)
                            .ok()
                            .and_then(|t| Amount::new(t, scale).ok())
                            .unwrap_or(Amount::whole(u64::MAX));
                        return Err(BallotError::OverBudget { budget: context.budget, total });
                    }
                }
                Ok(())
            }
            (Self::Cumulative { points, max_per_project, min_projects }, Ballot::Cumulative(items)) => {
                count(*min_projects, None)?;
                let mut total: u64 = 0;
                for (id, p) in items {
                    if *p == 0 {
                        return Err(BallotError::ZeroPoints(id.clone()));
                    }
                    if let Some(max) = max_per_project
                        && p > max
                    {
                        return Err(BallotError::ProjectPointsExceeded { id: id.clone(), max: *max, got: *p });
                    }
                    total = total.saturating_add(*p);
                }
                if total > *points {
                    return Err(BallotError::PointsExceeded { max: *points, total });
                }
                Ok(())
            }
            (Self::Ranking { scores }, Ballot::Ranking(ranked)) => {
                if ranked.len() != scores.len() {
                    return Err(BallotError::WrongLength { expected: scores.len(), got: ranked.len() });
                }
                Ok(())
            }
            (Self::Approval { .. }, _) => Err(BallotError::WrongKind { expected: "approval" }),
            (Self::Cumulative { .. }, _) => Err(BallotError::WrongKind { expected: "cumulative" }),
            (Self::Ranking { .. }, _) => Err(BallotError::WrongKind { expected: "ranking" }),
        }
    }

    /// The points a valid ballot gives each project: 1 per approval, the points given, or the score
    /// of each rank.
    #[must_use]
    pub fn points(&self, ballot: &Ballot) -> Vec<(String, u64)> {
        match (self, ballot) {
            (_, Ballot::Approval(ids)) => ids.iter().map(|id| (id.clone(), 1)).collect(),
            (_, Ballot::Cumulative(items)) => items.clone(),
            (Self::Ranking { scores }, Ballot::Ranking(ids)) => {
                ids.iter().zip(scores).map(|(id, s)| (id.clone(), *s)).collect()
            }
            (_, Ballot::Ranking(ids)) => ids.iter().map(|id| (id.clone(), 1)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> BallotContext {
        let p =
            |id: &str, cost: &str, on_ballot| BallotProject { id: id.into(), cost: cost.parse().unwrap(), on_ballot };
        BallotContext {
            projects: vec![p("a", "400", true), p("b", "350.50", true), p("c", "300", true), p("x", "10", false)],
            budget: "1000".parse().unwrap(),
        }
    }

    fn approve(ids: &[&str]) -> Ballot {
        Ballot::Approval(ids.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn approval_ballots_respect_the_number_of_projects() {
        let rule = BallotRule::Approval { min_projects: 1, max_projects: Some(2), knapsack: false };
        assert_eq!(rule.check(&approve(&["a", "b"]), &context()), Ok(()));
        assert_eq!(
            rule.check(&approve(&["a", "b", "c"]), &context()),
            Err(BallotError::TooManyProjects { max: 2, got: 3 })
        );
        assert_eq!(rule.check(&approve(&[]), &context()), Err(BallotError::TooFewProjects { min: 1, got: 0 }));
        assert_eq!(rule.check(&approve(&["a", "a"]), &context()), Err(BallotError::Duplicate("a".into())));
        assert_eq!(rule.check(&approve(&["z"]), &context()), Err(BallotError::UnknownProject("z".into())));
        assert_eq!(rule.check(&approve(&["x"]), &context()), Err(BallotError::NotOnBallot("x".into())));
    }

    #[test]
    fn knapsack_ballots_may_not_cost_more_than_the_budget() {
        let rule = BallotRule::Approval { min_projects: 0, max_projects: None, knapsack: true };
        // 400 + 300 = 700 fits; 400 + 350.50 + 300 = 1050.50 does not; exactly the budget is fine.
        assert_eq!(rule.check(&approve(&["a", "c"]), &context()), Ok(()));
        assert_eq!(
            rule.check(&approve(&["a", "b", "c"]), &context()),
            Err(BallotError::OverBudget { budget: "1000".parse().unwrap(), total: "1050.50".parse().unwrap() })
        );
        let mut exact = context();
        exact.budget = "750.50".parse().unwrap();
        assert_eq!(rule.check(&approve(&["a", "b"]), &exact), Ok(()));
    }

    #[test]
    fn cumulative_ballots_respect_the_points() {
        let rule = BallotRule::Cumulative { points: 10, max_per_project: Some(5), min_projects: 1 };
        let cast =
            |items: &[(&str, u64)]| Ballot::Cumulative(items.iter().map(|(i, p)| ((*i).to_owned(), *p)).collect());
        assert_eq!(rule.check(&cast(&[("a", 5), ("b", 5)]), &context()), Ok(()));
        assert_eq!(
            rule.check(&cast(&[("a", 5), ("b", 4), ("c", 2)]), &context()),
            Err(BallotError::PointsExceeded { max: 10, total: 11 })
        );
        assert_eq!(
            rule.check(&cast(&[("a", 6)]), &context()),
            Err(BallotError::ProjectPointsExceeded { id: "a".into(), max: 5, got: 6 })
        );
        assert_eq!(rule.check(&cast(&[("a", 0)]), &context()), Err(BallotError::ZeroPoints("a".into())));
        assert_eq!(rule.check(&cast(&[]), &context()), Err(BallotError::TooFewProjects { min: 1, got: 0 }));
        assert_eq!(rule.check(&approve(&["a"]), &context()), Err(BallotError::WrongKind { expected: "cumulative" }));
    }

    #[test]
    fn krakow_rankings_have_three_places_scored_three_two_one() {
        let rule = BallotRule::Ranking { scores: vec![3, 2, 1] };
        let rank = |ids: &[&str]| Ballot::Ranking(ids.iter().map(|s| (*s).to_owned()).collect());
        assert_eq!(rule.check(&rank(&["c", "a", "b"]), &context()), Ok(()));
        assert_eq!(rule.points(&rank(&["c", "a", "b"])), vec![("c".into(), 3), ("a".into(), 2), ("b".into(), 1)]);
        assert_eq!(rule.check(&rank(&["c", "a"]), &context()), Err(BallotError::WrongLength { expected: 3, got: 2 }));
        assert_eq!(rule.check(&rank(&["c", "a", "c"]), &context()), Err(BallotError::Duplicate("c".into())));
    }

    #[test]
    fn the_rule_is_stored_as_json() {
        let rule = BallotRule::Approval { min_projects: 0, max_projects: Some(5), knapsack: true };
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, r#"{"kind":"approval","min_projects":0,"max_projects":5,"knapsack":true}"#);
        assert_eq!(serde_json::from_str::<BallotRule>(&json).unwrap(), rule);
        let ranking: BallotRule = serde_json::from_str(r#"{"kind":"ranking","scores":[3,2,1]}"#).unwrap();
        assert_eq!(ranking, BallotRule::Ranking { scores: vec![3, 2, 1] });
    }
}
