//! Ballots collected on paper: staff enter them, one by one or as a CSV of choices, while the
//! vote runs; they are counted with the online ones and exported with pabulib's
//! `voting_method` `paper`.

use std::collections::HashMap;

use super::{BudgetError, BudgetService, wrong_phase};
use crate::audit::Audit;
use crate::auth::{Action, Caller};
use crate::budget::casting::{BallotInput, check_ballot};
use crate::budget::process::{Phase, Proposal, ProposalFilter};
use crate::ids::BudgetId;
use crate::org::Organisation;
use crate::repo::RepoError;

/// Most paper ballots in one request.
pub const MAX_PAPER_BALLOTS: usize = 10_000;

/// Paper ballots as staff enter them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperBallots {
    /// Ballots by proposal id, as the booth sends them (one, or many).
    List(Vec<BallotInput>),
    /// A CSV with a header row naming the columns `choices` and, for a process with districts,
    /// `district`: the choices are proposal codes separated by `;`, each followed by `:points`
    /// on a points ballot, in rank order on a ranking ballot.
    Csv(String),
}

impl BudgetService {
    /// Enters ballots collected on paper while voting is open: every ballot is checked against
    /// the process's rule as an online one is, and all of them are stored, or none. Admins and
    /// officials.
    ///
    /// # Errors
    /// Forbidden; not found; wrong phase; a ballot that breaks a rule (422 naming it:
    /// `ballots[i]…` in a list, `line n` in a CSV).
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn enter_paper_ballots(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        input: PaperBallots,
    ) -> Result<u64, BudgetError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let b = self.load(org, id).await?;
        if b.phase != Phase::Voting {
            return Err(wrong_phase(&b, "Entering paper ballots"));
        }
        let all = self.store.proposals(b.id, &ProposalFilter::default()).await?;
        let (inputs, place): (Vec<BallotInput>, fn(usize) -> String) = match input {
            PaperBallots::List(list) => (list, |i| format!("ballots[{i}]")),
            PaperBallots::Csv(text) => (parse_csv(&text, &all)?, |i| format!("line {}", i + 2)),
        };
        if inputs.is_empty() || inputs.len() > MAX_PAPER_BALLOTS {
            return Err(BudgetError::Invalid {
                field: "ballots".into(),
                message: format!("must hold 1 to {MAX_PAPER_BALLOTS} ballots"),
            });
        }
        let mut stored = Vec::with_capacity(inputs.len());
        for (i, r) in inputs.iter().enumerate() {
            let mut ballot = check_ballot(&b, &all, r).map_err(|e| match e {
                BudgetError::Invalid { field, message } => {
                    BudgetError::Invalid { field: format!("{}.{field}", place(i)), message }
                }
                BudgetError::BallotRuleBroken(message) => {
                    BudgetError::Invalid { field: format!("{}.choices", place(i)), message }
                }
                other => other,
            })?;
            ballot.paper = true;
            stored.push(ballot);
        }
        let tx = self.store.begin().await?;
        tx.add_paper_ballots(b.id, &stored, self.today(org)).await.map_err(|e| match e {
            RepoError::Conflict { .. } => wrong_phase(&b, "Entering paper ballots"),
            other => other.into(),
        })?;
        Audit::new(org.id, actor, "budget.paper_ballots_entered", ("budget", b.id), self.now())
            .context("ballots", stored.len())
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(u64::try_from(stored.len()).unwrap_or(u64::MAX))
    }
}

fn at_line(line: usize, message: impl Into<String>) -> BudgetError {
    BudgetError::Invalid { field: format!("line {line}"), message: message.into() }
}

/// Reads a CSV of paper ballots (see [`PaperBallots::Csv`]) into ballots by proposal id.
fn parse_csv(text: &str, proposals: &[Proposal]) -> Result<Vec<BallotInput>, BudgetError> {
    let by_code: HashMap<&str, &Proposal> = proposals.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| at_line(1, e.to_string()))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let choices_at = column("choices").ok_or_else(|| at_line(1, "needs a `choices` column"))?;
    let district_at = column("district");
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| at_line(line, e.to_string()))?;
        let district = district_at.and_then(|d| record.get(d)).filter(|d| !d.is_empty()).map(str::to_owned);
        let mut choices = Vec::new();
        for item in record.get(choices_at).unwrap_or_default().split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (code, points) = match item.split_once(':') {
                Some((code, pts)) => {
                    let pts = pts
                        .trim()
                        .parse::<u64>()
                        .map_err(|_| at_line(line, format!("`{item}`: points must be a whole number")))?;
                    (code.trim(), Some(pts))
                }
                None => (item, None),
            };
            let p = by_code.get(code).ok_or_else(|| at_line(line, format!("no proposal has the code `{code}`")))?;
            choices.push((p.id, points));
        }
        out.push(BallotInput { district, choices });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProposalId;

    fn proposal(code: &str) -> Proposal {
        use crate::budget::process::Review;
        use crate::i18n::LocalizedText;
        use chrono::{DateTime, Utc};
        Proposal {
            id: ProposalId::new_v7(),
            budget_id: BudgetId::new_v7(),
            org_id: crate::ids::OrgId::new_v7(),
            author_id: None,
            code: code.to_owned(),
            title: LocalizedText::default(),
            description: LocalizedText::default(),
            category: None,
            district: None,
            location: None,
            estimated_cost: 100,
            images: Vec::new(),
            review: Review::Feasible,
            review_reason: None,
            validated_cost: None,
            supports: 0,
            works: None,
            amount_spent: None,
            pabulib_extra: None,
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
        }
    }

    #[test]
    fn a_csv_names_proposals_by_code_with_points_and_districts() {
        let (a, b) = (proposal("A1"), proposal("B2"));
        let text = "district,choices\ncentrum,A1:3; B2:1\n,B2\n";
        let got = parse_csv(text, &[a.clone(), b.clone()]).unwrap();
        assert_eq!(
            got[0],
            BallotInput { district: Some("centrum".into()), choices: vec![(a.id, Some(3)), (b.id, Some(1))] }
        );
        assert_eq!(got[1], BallotInput { district: None, choices: vec![(b.id, None)] });
    }

    #[test]
    fn a_csv_line_that_cannot_be_read_is_named() {
        let a = proposal("A1");
        let err = |text: &str| match parse_csv(text, std::slice::from_ref(&a)) {
            Err(BudgetError::Invalid { field, message }) => (field, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(err("district\ncentrum\n").0, "line 1");
        let (field, message) = err("choices\nA1\nZZ\n");
        assert_eq!(field, "line 3");
        assert!(message.contains("ZZ"), "{message}");
        assert_eq!(err("choices\nA1:x\n").0, "line 2");
    }
}
