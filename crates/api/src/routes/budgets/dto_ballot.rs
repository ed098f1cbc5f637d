//! The bodies of the ballot and the results.

use pnyx_domain::budget::outcome::Stage;
use pnyx_domain::budget::process::StoredBallot;
use pnyx_domain::budget::{BallotInput, BudgetResults, ResultsQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::dto_process::OutcomeRuleDto;
use crate::dto::LocalizedTextDto;

/// One choice on a ballot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDto {
    pub proposal_id: Uuid,
    /// Cumulative ballots only: the points given (other ballots: omit).
    pub points: Option<u64>,
}

/// A ballot to cast. For ranking ballots the order of `choices` is the ranking, first = best.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"district": "centrum", "choices": [{"proposal_id": "01939f7e-8c1a-7d2b-9c3e-1a2b3c4d5e6f"}]}))]
pub struct BallotRequest {
    /// The district's key; omit for the process-wide ballot.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub district: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_items = 200)]
    pub choices: Vec<ChoiceDto>,
}

impl From<BallotRequest> for BallotInput {
    fn from(r: BallotRequest) -> Self {
        BallotInput {
            district: r.district,
            choices: r.choices.into_iter().map(|c| (c.proposal_id.into(), c.points)).collect(),
        }
    }
}

/// A ballot as stored (anonymous).
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotResponse {
    pub district: Option<String>,
    /// In the order cast; `points` is 1 for an approval, the points given, or the rank's score.
    pub choices: Vec<StoredChoice>,
}

/// A stored choice.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredChoice {
    pub proposal_id: Uuid,
    pub points: u64,
}

pub fn ballot_dto(b: &StoredBallot) -> BallotResponse {
    BallotResponse {
        district: b.district.clone(),
        choices: b
            .choices
            .iter()
            .map(|(id, points)| StoredChoice { proposal_id: (*id).into(), points: *points })
            .collect(),
    }
}

/// Which district's ballot.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictParam {
    /// The district's key; omit for the process-wide ballot.
    pub district: Option<String>,
}

/// Which result.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultParams {
    /// An outcome rule other than the process's own, to compare: staff only (the process's own
    /// rule may be named by anyone).
    pub rule: Option<OutcomeRuleDto>,
    /// The district's key; omit for the process-wide result.
    pub district: Option<String>,
    /// A minimum score other than the process's own (e.g. 0, to compare with a recomputation that
    /// applies none): staff only (the process's own may be named by anyone).
    pub min_score: Option<u64>,
}

impl From<ResultParams> for ResultsQuery {
    fn from(q: ResultParams) -> Self {
        ResultsQuery { rule: q.rule.map(Into::into), district: q.district, min_score: q.min_score }
    }
}

/// A selected project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WinnerDto {
    pub proposal_id: Uuid,
    pub code: String,
    pub title: LocalizedTextDto,
    /// Minor units.
    pub cost: i64,
    pub votes: u64,
    /// Approvals, points, or positional points (ranking ballots).
    pub score: String,
    /// Which stage chose it: `equal_shares`, or `greedy` (the rule itself or a completion).
    pub stage: String,
    /// Equal Shares: what each supporter paid (an exact fraction of currency units, `p/q`).
    pub share: Option<String>,
}

/// A project's tally.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TallyDto {
    pub proposal_id: Uuid,
    pub code: String,
    pub title: LocalizedTextDto,
    /// Minor units.
    pub cost: i64,
    /// Ballots naming it.
    pub votes: u64,
    /// Approvals, points, or positional points (ranking ballots).
    pub score: String,
    /// Its score reached the minimum.
    pub eligible: bool,
    pub selected: bool,
}

/// A process's results under one rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultsResponse {
    pub rule: OutcomeRuleDto,
    pub district: Option<String>,
    pub currency: String,
    /// Minor units.
    pub budget: i64,
    pub spent: i64,
    pub money_left: i64,
    pub voters: u64,
    /// The minimum score applied.
    pub min_score: u64,
    /// Equal Shares: each voter's starting money (for `equal_shares`, the raised amount used).
    pub voter_budget: Option<String>,
    /// In selection order.
    pub winners: Vec<WinnerDto>,
    /// Every project on the ballot, by score (ties: the lower code), the order the greedy rules
    /// take them in.
    pub projects: Vec<TallyDto>,
}

pub fn results_dto(r: &BudgetResults) -> ResultsResponse {
    ResultsResponse {
        rule: r.rule.into(),
        district: r.district.clone(),
        currency: r.currency.clone(),
        budget: r.budget,
        spent: r.spent,
        money_left: r.money_left,
        voters: r.voters,
        min_score: r.min_score,
        voter_budget: r.voter_budget.clone(),
        winners: r
            .winners
            .iter()
            .map(|w| WinnerDto {
                proposal_id: w.proposal_id.into(),
                code: w.code.clone(),
                title: (&w.title).into(),
                cost: w.cost,
                votes: w.votes,
                score: w.score.clone(),
                stage: match w.stage {
                    Stage::Greedy => "greedy",
                    Stage::EqualShares => "equal_shares",
                }
                .to_owned(),
                share: w.share.clone(),
            })
            .collect(),
        projects: r
            .projects
            .iter()
            .map(|t| TallyDto {
                proposal_id: t.proposal_id.into(),
                code: t.code.clone(),
                title: (&t.title).into(),
                cost: t.cost,
                votes: t.votes,
                score: t.score.clone(),
                eligible: t.eligible,
                selected: t.selected,
            })
            .collect(),
    }
}
