//! The bodies of processes: money, districts, categories, schedule, ballot and outcome rules.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::budget::ballot::BallotRule;
use pnyx_domain::budget::outcome::OutcomeRule;
use pnyx_domain::budget::process::{self, Category, District, DistrictVoting, Phase, Schedule};
use pnyx_domain::budget::service::{BudgetChanges, BudgetView, NewBudget, ProcessCan};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::dto::LocalizedTextDto;
use crate::{dto_enum, list_response};

dto_enum!(/// A phase of a process, in order.
    PhaseDto => Phase { Information, Proposals, Review, Supports, Voting, Results, Implementation });

/// Money: integer minor units and the ISO 4217 currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoneyDto {
    #[schema(example = 1_500_000)]
    pub amount: i64,
    #[schema(example = "PLN")]
    pub currency: String,
}

pub fn money(amount: i64, currency: &str) -> MoneyDto {
    MoneyDto { amount, currency: currency.to_owned() }
}

/// A district with its own money.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistrictDto {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub key: String,
    pub name: LocalizedTextDto,
    /// Minor units.
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub amount: i64,
}

impl From<DistrictDto> for District {
    fn from(d: DistrictDto) -> Self {
        District { key: d.key, name: d.name.into(), amount: d.amount }
    }
}

/// A category of projects.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryDto {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub key: String,
    pub name: LocalizedTextDto,
}

impl From<CategoryDto> for Category {
    fn from(c: CategoryDto) -> Self {
        Category { key: c.key, name: c.name.into() }
    }
}

/// The day each phase starts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDto {
    pub information: Option<NaiveDate>,
    pub proposals: Option<NaiveDate>,
    pub review: Option<NaiveDate>,
    pub supports: Option<NaiveDate>,
    pub voting: Option<NaiveDate>,
    pub results: Option<NaiveDate>,
    pub implementation: Option<NaiveDate>,
}

impl From<ScheduleDto> for Schedule {
    fn from(s: ScheduleDto) -> Self {
        Schedule {
            information: s.information,
            proposals: s.proposals,
            review: s.review,
            supports: s.supports,
            voting: s.voting,
            results: s.results,
            implementation: s.implementation,
        }
    }
}

impl From<&Schedule> for ScheduleDto {
    fn from(s: &Schedule) -> Self {
        ScheduleDto {
            information: s.information,
            proposals: s.proposals,
            review: s.review,
            supports: s.supports,
            voting: s.voting,
            results: s.results,
            implementation: s.implementation,
        }
    }
}

/// How residents vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BallotRuleDto {
    /// Approve projects: at least `min_projects`, at most `max_projects`; with `knapsack`, their
    /// total cost may not exceed the budget (of the district).
    Approval {
        #[serde(default)]
        min_projects: u32,
        #[serde(default)]
        max_projects: Option<u32>,
        #[serde(default)]
        knapsack: bool,
    },
    /// Spread up to `points` points, at most `max_per_project` on one.
    Cumulative {
        points: u64,
        #[serde(default)]
        max_per_project: Option<u64>,
        #[serde(default)]
        min_projects: u32,
    },
    /// Rank exactly `scores.len()` projects; rank `i` scores `scores[i-1]` (Kraków: `[3, 2, 1]`).
    /// Equal scores count as approvals.
    Ranking { scores: Vec<u64> },
}

impl From<&BallotRule> for BallotRuleDto {
    fn from(r: &BallotRule) -> Self {
        match r.clone() {
            BallotRule::Approval { min_projects, max_projects, knapsack } => {
                Self::Approval { min_projects, max_projects, knapsack }
            }
            BallotRule::Cumulative { points, max_per_project, min_projects } => {
                Self::Cumulative { points, max_per_project, min_projects }
            }
            BallotRule::Ranking { scores } => Self::Ranking { scores },
        }
    }
}

impl From<BallotRuleDto> for BallotRule {
    fn from(r: BallotRuleDto) -> Self {
        match r {
            BallotRuleDto::Approval { min_projects, max_projects, knapsack } => {
                BallotRule::Approval { min_projects, max_projects, knapsack }
            }
            BallotRuleDto::Cumulative { points, max_per_project, min_projects } => {
                BallotRule::Cumulative { points, max_per_project, min_projects }
            }
            BallotRuleDto::Ranking { scores } => BallotRule::Ranking { scores },
        }
    }
}

dto_enum!(/// The rule that turns ballots into winners. A project's score is its approvals, the sum of its
    /// points (cumulative ballots) or of its positional points (ranking ballots: rank i scores
    /// `scores[i-1]`, Kraków 3/2/1). `greedy`: by decreasing score, skipping a project that no longer
    /// fits (Warsaw, Łódź, Kraków, Częstochowa, Katowice). `greedy_no_skip`: the first project that
    /// does not fit ends the selection (Gdynia, Wrocław). `greedy_per_cost`: pabutools' greedy, by
    /// score per unit of cost (equal to `greedy` for approval ballots), to compare. `equal_shares`:
    /// the Method of Equal Shares completed as equalshares.net does (Wieliczka, Świecie, Aarau);
    /// `equal_shares_plain`: without completion; `equal_shares_greedy`: completed by greedy only
    /// (rankings count as approval there). Ties: the lower project code wins.
    OutcomeRuleDto => OutcomeRule { Greedy, GreedyNoSkip, GreedyPerCost, EqualShares, EqualSharesPlain, EqualSharesGreedy });

dto_enum!(/// Where a resident votes in a process with districts: `each`: in every district (and the
    /// process-wide ballot); `one`: in one district of their choice, besides the process-wide
    /// ballot (Warsaw). The voters' register enforces it.
    DistrictVotingDto => DistrictVoting { Each, One });

/// What the caller may do with a process now (the same decisions the requests make).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"edit": true, "transition": ["review"], "propose": true, "vote": false, "import": true}))]
pub struct BudgetCanDto {
    /// Edit its texts and schedule (and its rules before voting): staff.
    pub edit: bool,
    /// The phases it may be moved to now: the next one, for staff.
    pub transition: Vec<PhaseDto>,
    /// Submit a proposal: signed in, in the proposals phase.
    pub propose: bool,
    /// Cast a ballot: signed in (verified where required), in the voting phase.
    pub vote: bool,
    /// Import a pabulib file into the organisation: staff.
    pub import: bool,
}

impl From<&ProcessCan> for BudgetCanDto {
    fn from(c: &ProcessCan) -> Self {
        BudgetCanDto {
            edit: c.edit,
            transition: c.transition.iter().map(|p| (*p).into()).collect(),
            propose: c.propose,
            vote: c.vote,
            import: c.import,
        }
    }
}

/// A participatory-budget process.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub rules_text: LocalizedTextDto,
    pub total: MoneyDto,
    pub districts: Vec<DistrictDto>,
    pub categories: Vec<CategoryDto>,
    pub schedule: ScheduleDto,
    pub phase: PhaseDto,
    /// The phase a transition may move to next, if any.
    pub next_phase: Option<PhaseDto>,
    pub supports_threshold: Option<u32>,
    pub ballot_rule: BallotRuleDto,
    pub outcome_rule: OutcomeRuleDto,
    /// Projects whose score (approvals, points or positional points) is below this are out before
    /// the outcome rule runs.
    pub min_score: u64,
    pub requires_verified: bool,
    pub district_voting: DistrictVotingDto,
    /// Whether the process came from a pabulib file.
    pub imported: bool,
    /// What the caller may do with it.
    pub can: BudgetCanDto,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(BudgetList, BudgetResponse, "Participatory-budget processes, newest first.");

pub fn budget_dto(v: &BudgetView) -> BudgetResponse {
    let b = &v.budget;
    BudgetResponse {
        id: b.id.into(),
        title: (&b.title).into(),
        rules_text: (&b.rules_text).into(),
        total: money(b.total, &b.currency),
        districts: b
            .districts
            .iter()
            .map(|d| DistrictDto { key: d.key.clone(), name: (&d.name).into(), amount: d.amount })
            .collect(),
        categories: b.categories.iter().map(|c| CategoryDto { key: c.key.clone(), name: (&c.name).into() }).collect(),
        schedule: (&b.schedule).into(),
        phase: b.phase.into(),
        next_phase: process::next_phase(b.phase, b.supports_threshold.is_some()).map(Into::into),
        supports_threshold: b.supports_threshold,
        ballot_rule: (&b.ballot_rule).into(),
        outcome_rule: b.outcome_rule.into(),
        min_score: b.min_score,
        requires_verified: b.requires_verified,
        district_voting: b.district_voting.into(),
        imported: b.pabulib.is_some(),
        can: (&v.can).into(),
        created_at: b.created_at,
        updated_at: b.updated_at,
    }
}

/// A new process.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"pl": "Budżet obywatelski Sosnowca 2026"},
    "rules_text": {"pl": "Każdy mieszkaniec może zgłosić projekt i zagłosować na projekty ogólnomiejskie i dzielnicowe."},
    "total": 150_000_000_i64,
    "districts": [{"key": "centrum", "name": {"pl": "Centrum"}, "amount": 20_000_000}],
    "categories": [{"key": "zielen", "name": {"pl": "Zieleń"}}],
    "schedule": {"proposals": "2026-03-01", "review": "2026-04-15", "voting": "2026-09-01", "results": "2026-09-30"},
    "ballot_rule": {"kind": "approval", "max_projects": 5},
    "outcome_rule": "greedy",
    "min_score": 100,
    "requires_verified": true
}))]
pub struct CreateBudgetRequest {
    pub title: LocalizedTextDto,
    #[serde(default)]
    pub rules_text: LocalizedTextDto,
    /// Minor units of the organisation's currency.
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub total: i64,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub districts: Vec<DistrictDto>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub categories: Vec<CategoryDto>,
    #[serde(default)]
    pub schedule: ScheduleDto,
    /// Supports a proposal needs to reach the ballot; omit for a process without a supports phase.
    pub supports_threshold: Option<u32>,
    pub ballot_rule: BallotRuleDto,
    pub outcome_rule: OutcomeRuleDto,
    #[serde(default)]
    pub min_score: u64,
    #[serde(default)]
    pub requires_verified: bool,
    /// Default `each`.
    #[serde(default)]
    pub district_voting: Option<DistrictVotingDto>,
}

impl From<CreateBudgetRequest> for NewBudget {
    fn from(b: CreateBudgetRequest) -> Self {
        NewBudget {
            title: b.title.into(),
            rules_text: b.rules_text.into(),
            total: b.total,
            districts: b.districts.into_iter().map(Into::into).collect(),
            categories: b.categories.into_iter().map(Into::into).collect(),
            schedule: b.schedule.into(),
            supports_threshold: b.supports_threshold,
            ballot_rule: b.ballot_rule.into(),
            outcome_rule: b.outcome_rule.into(),
            min_score: b.min_score,
            requires_verified: b.requires_verified,
            district_voting: b.district_voting.map(Into::into).unwrap_or_default(),
        }
    }
}

/// Changes to a process; the rules (ballot, outcome, threshold, money) only before voting opens.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"schedule": {"voting": "2026-09-07", "results": "2026-10-01"}, "min_score": 50}))]
pub struct UpdateBudgetRequest {
    pub title: Option<LocalizedTextDto>,
    pub rules_text: Option<LocalizedTextDto>,
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub total: Option<i64>,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub districts: Option<Vec<DistrictDto>>,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub categories: Option<Vec<CategoryDto>>,
    pub schedule: Option<ScheduleDto>,
    pub ballot_rule: Option<BallotRuleDto>,
    pub outcome_rule: Option<OutcomeRuleDto>,
    pub min_score: Option<u64>,
    pub requires_verified: Option<bool>,
    pub district_voting: Option<DistrictVotingDto>,
}

impl From<UpdateBudgetRequest> for BudgetChanges {
    fn from(r: UpdateBudgetRequest) -> Self {
        BudgetChanges {
            title: r.title.map(Into::into),
            rules_text: r.rules_text.map(Into::into),
            total: r.total,
            districts: r.districts.map(|d| d.into_iter().map(Into::into).collect()),
            categories: r.categories.map(|c| c.into_iter().map(Into::into).collect()),
            schedule: r.schedule.map(Into::into),
            ballot_rule: r.ballot_rule.map(Into::into),
            outcome_rule: r.outcome_rule.map(Into::into),
            min_score: r.min_score,
            requires_verified: r.requires_verified,
            district_voting: r.district_voting.map(Into::into),
        }
    }
}

/// A phase change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "voting"}))]
pub struct BudgetTransitionRequest {
    pub to: PhaseDto,
}
