//! A ballot as cast, checked against its process: the district, the projects on that district's
//! ballot and the process's ballot rule; and a ballot rule's own numbers.

use crate::ids::ProposalId;

use super::ballot::{Ballot, BallotContext, BallotProject, BallotRule};
use super::exchange::minor;
use super::process::{Budget, Proposal, StoredBallot};
use super::service::BudgetError;

/// A ballot as a resident casts it. For ranking ballots the order of `choices` is the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotInput {
    /// The district's key; `None` for the process-wide ballot.
    pub district: Option<String>,
    /// Proposal ids, with points for cumulative ballots.
    pub choices: Vec<(ProposalId, Option<u64>)>,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> BudgetError {
    BudgetError::Invalid { field: field.into(), message: message.into() }
}

/// Checks a rule's own numbers.
///
/// # Errors
/// [`BudgetError::Invalid`] naming the field.
pub fn check_rule(r: &BallotRule) -> Result<(), BudgetError> {
    match r {
        BallotRule::Approval { min_projects, max_projects, .. } => {
            if max_projects.is_some_and(|m| m == 0 || m < *min_projects) {
                return Err(invalid("ballot_rule.max_projects", "must be at least 1 and at least min_projects"));
            }
        }
        BallotRule::Cumulative { points, max_per_project, .. } => {
            if !(1..=1000).contains(points) {
                return Err(invalid("ballot_rule.points", "must be between 1 and 1000"));
            }
            if max_per_project.is_some_and(|m| m == 0 || m > *points) {
                return Err(invalid("ballot_rule.max_per_project", "must be between 1 and points"));
            }
        }
        BallotRule::Ranking { scores } => {
            if scores.is_empty() || scores.len() > 20 || scores.contains(&0) {
                return Err(invalid("ballot_rule.scores", "must hold 1 to 20 scores, none zero"));
            }
        }
    }
    Ok(())
}

/// Checks a ballot against the process's rule and the projects on its ballot, and turns it into
/// what is stored.
///
/// # Errors
/// [`BudgetError::Invalid`] for an unknown or missing district or misplaced points;
/// [`BudgetError::BallotRuleBroken`] naming the rule the ballot breaks.
pub fn check_ballot(b: &Budget, proposals: &[Proposal], r: &BallotInput) -> Result<StoredBallot, BudgetError> {
    let district = r.district.clone();
    match (&district, b.districts.is_empty()) {
        (None, false) => return Err(invalid("district", "is required: this process votes by district")),
        (Some(_), true) => return Err(invalid("district", "this process has no districts")),
        _ => {}
    }
    let money = b.money_of(district.as_deref()).ok_or_else(|| invalid("district", "no such district"))?;
    let context = BallotContext {
        projects: proposals
            .iter()
            .map(|p| BallotProject {
                id: p.id.to_string(),
                cost: minor(p.cost()),
                on_ballot: p.district == district && b.is_on_ballot(p),
            })
            .collect(),
        budget: minor(money),
    };
    let ids: Vec<String> = r.choices.iter().map(|(id, _)| id.to_string()).collect();
    let ballot = match &b.ballot_rule {
        BallotRule::Cumulative { .. } => {
            let mut items = Vec::with_capacity(r.choices.len());
            for (i, (id, points)) in r.choices.iter().enumerate() {
                let p = points.ok_or_else(|| invalid(format!("choices[{i}].points"), "is required"))?;
                items.push((id.to_string(), p));
            }
            Ballot::Cumulative(items)
        }
        rule => {
            if let Some(i) = r.choices.iter().position(|(_, points)| points.is_some()) {
                return Err(invalid(format!("choices[{i}].points"), "only cumulative ballots give points"));
            }
            if matches!(rule, BallotRule::Ranking { .. }) { Ballot::Ranking(ids) } else { Ballot::Approval(ids) }
        }
    };
    b.ballot_rule.check(&ballot, &context).map_err(|e| BudgetError::BallotRuleBroken(e.to_string()))?;
    let choices = b
        .ballot_rule
        .points(&ballot)
        .into_iter()
        .map(|(id, pts)| Ok((id.parse::<ProposalId>().map_err(|e| BudgetError::Internal(e.to_string()))?, pts)))
        .collect::<Result<Vec<_>, BudgetError>>()?;
    Ok(StoredBallot { district, choices, pabulib: None, paper: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_must_have_sensible_numbers() {
        let field = |r: BallotRule| match check_rule(&r) {
            Err(BudgetError::Invalid { field, .. }) => field,
            other => format!("{other:?}"),
        };
        assert!(check_rule(&BallotRule::Approval { min_projects: 1, max_projects: Some(3), knapsack: true }).is_ok());
        assert_eq!(
            field(BallotRule::Approval { min_projects: 2, max_projects: Some(1), knapsack: false }),
            "ballot_rule.max_projects"
        );
        assert_eq!(
            field(BallotRule::Cumulative { points: 0, max_per_project: None, min_projects: 0 }),
            "ballot_rule.points"
        );
        assert_eq!(
            field(BallotRule::Cumulative { points: 5, max_per_project: Some(6), min_projects: 0 }),
            "ballot_rule.max_per_project"
        );
        assert_eq!(field(BallotRule::Ranking { scores: vec![3, 0] }), "ballot_rule.scores");
        assert!(check_rule(&BallotRule::Ranking { scores: vec![3, 2, 1] }).is_ok());
    }
}
