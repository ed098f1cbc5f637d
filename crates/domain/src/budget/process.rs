//! A participatory-budget process as stored — its phases, districts, categories, proposals,
//! supports, ballots and the voters' register — and the repository port.
//!
//! The phase is explicit: staff move a process forward one phase at a time (the dates are its
//! published schedule), so opening or closing the vote is an act someone answers for, never a
//! clock's side effect.
//!
//! Secrecy: the voters' register ([`BudgetRepo::cast_ballot`]'s `voter`) says who voted in which
//! process and district, and nothing else; a ballot row holds no user id, only a ballot key that
//! the service derives from the voter ([`super::keys`]) with a secret kept outside the database
//! (see the README's threat model), a random id and the day it was last cast.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{BudgetId, OrgId, ProposalId, UserId};

use super::ballot::BallotRule;
use super::outcome::OutcomeRule;
use crate::i18n::LocalizedText;
use crate::repo::RepoResult;

/// The phases of a process, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Information,
    Proposals,
    Review,
    Supports,
    Voting,
    Results,
    Implementation,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Information,
        Phase::Proposals,
        Phase::Review,
        Phase::Supports,
        Phase::Voting,
        Phase::Results,
        Phase::Implementation,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Information => "information",
            Phase::Proposals => "proposals",
            Phase::Review => "review",
            Phase::Supports => "supports",
            Phase::Voting => "voting",
            Phase::Results => "results",
            Phase::Implementation => "implementation",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Why a phase change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a process in the {from} phase can only move to {allowed}")]
pub struct PhaseError {
    pub from: &'static str,
    pub allowed: &'static str,
}

/// The phase after `from`: one step forward, skipping `supports` when the process has none.
#[must_use]
pub fn next_phase(from: Phase, has_supports: bool) -> Option<Phase> {
    let i = Phase::ALL.iter().position(|p| *p == from)?;
    let next = *Phase::ALL.get(i + 1)?;
    if next == Phase::Supports && !has_supports { Phase::ALL.get(i + 2).copied() } else { Some(next) }
}

/// Checks a requested phase change: only to the next phase.
///
/// # Errors
/// Any other change, naming what is allowed.
pub fn check_phase_change(from: Phase, to: Phase, has_supports: bool) -> Result<(), PhaseError> {
    match next_phase(from, has_supports) {
        Some(next) if next == to => Ok(()),
        Some(next) => Err(PhaseError { from: from.as_str(), allowed: next.as_str() }),
        None => Err(PhaseError { from: from.as_str(), allowed: "nothing (it is the last phase)" }),
    }
}

/// The published schedule: the day each phase starts (each runs until the next one starts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub information: Option<NaiveDate>,
    pub proposals: Option<NaiveDate>,
    pub review: Option<NaiveDate>,
    pub supports: Option<NaiveDate>,
    pub voting: Option<NaiveDate>,
    pub results: Option<NaiveDate>,
    pub implementation: Option<NaiveDate>,
}

/// A schedule whose dates go backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {later} phase cannot start before the {earlier} phase")]
pub struct ScheduleError {
    pub earlier: &'static str,
    pub later: &'static str,
}

impl Schedule {
    /// The start dates given, in phase order.
    #[must_use]
    pub fn dates(&self) -> Vec<(Phase, NaiveDate)> {
        let all = [
            (Phase::Information, self.information),
            (Phase::Proposals, self.proposals),
            (Phase::Review, self.review),
            (Phase::Supports, self.supports),
            (Phase::Voting, self.voting),
            (Phase::Results, self.results),
            (Phase::Implementation, self.implementation),
        ];
        all.into_iter().filter_map(|(p, d)| d.map(|d| (p, d))).collect()
    }

    /// # Errors
    /// The first pair of phases whose dates go backwards.
    pub fn check(&self) -> Result<(), ScheduleError> {
        let dates = self.dates();
        for w in dates.windows(2) {
            if let [(a, da), (b, db)] = w
                && db < da
            {
                return Err(ScheduleError { earlier: a.as_str(), later: b.as_str() });
            }
        }
        Ok(())
    }
}

/// A district with its own share of the money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    /// A short stable key (`centrum`, `zagorze`).
    pub key: String,
    pub name: LocalizedText,
    /// Minor units.
    pub amount: i64,
}

/// A category of projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub key: String,
    pub name: LocalizedText,
}

/// What a pabulib import keeps so that the export writes the same file back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PabulibMeta {
    pub meta: Vec<(String, String)>,
    pub project_columns: Vec<String>,
    pub vote_columns: Vec<String>,
}

/// Where a resident votes in a process with districts. The voters' register enforces it: its rows
/// for one voter and process are unique per [`DistrictVoting::slot`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistrictVoting {
    /// A ballot in each district (and the process-wide one).
    #[default]
    Each,
    /// A ballot in one district of the resident's choice, besides the process-wide one (Warsaw).
    One,
}

impl DistrictVoting {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DistrictVoting::Each => "each",
            DistrictVoting::One => "one",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [DistrictVoting::Each, DistrictVoting::One].into_iter().find(|d| d.as_str() == s)
    }

    /// The register's slot of a ballot in `district` (empty: process-wide): the district itself
    /// when a resident votes in each, one slot for every district when they vote in one.
    #[must_use]
    pub fn slot(self, district: Option<&str>) -> String {
        match (self, district.filter(|d| !d.is_empty())) {
            (_, None) => String::new(),
            (DistrictVoting::Each, Some(d)) => d.to_owned(),
            (DistrictVoting::One, Some(_)) => "*".to_owned(),
        }
    }
}

/// A participatory-budget process (one edition).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Budget {
    pub id: BudgetId,
    pub org_id: OrgId,
    pub title: LocalizedText,
    pub rules_text: LocalizedText,
    /// Minor units of `currency`.
    pub total: i64,
    pub currency: String,
    pub districts: Vec<District>,
    pub categories: Vec<Category>,
    pub schedule: Schedule,
    pub phase: Phase,
    /// Supports a proposal needs to reach the ballot; `None`: no supports phase.
    pub supports_threshold: Option<u32>,
    pub ballot_rule: BallotRule,
    pub outcome_rule: OutcomeRule,
    /// Projects whose score (approvals, points or positional points) is below this are out
    /// before any rule runs (Łódź: 100 votes, Warsaw: 3000, Katowice: 50 points).
    pub min_score: u64,
    pub requires_verified: bool,
    /// Where a resident may vote when the process has districts.
    pub district_voting: DistrictVoting,
    pub pabulib: Option<PabulibMeta>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Budget {
    /// Whether a proposal is on the ballot: feasible, and past the supports threshold where the
    /// process has one.
    #[must_use]
    pub fn is_on_ballot(&self, p: &Proposal) -> bool {
        self.puts_on_ballot(p.review, p.supports)
    }

    /// [`Budget::is_on_ballot`] from a proposal's review and support count alone.
    #[must_use]
    pub fn puts_on_ballot(&self, review: Review, supports: u32) -> bool {
        let on = self.ballot_standing(true);
        review == on.review && on.min_supports.is_none_or(|t| supports >= t)
    }

    /// [`Budget::puts_on_ballot`] as a filter for the database: the proposals that are on the
    /// ballot (`on`), or those that are not.
    #[must_use]
    pub fn ballot_standing(&self, on: bool) -> BallotStanding {
        BallotStanding { on, review: Review::Feasible, min_supports: self.supports_threshold }
    }

    /// The money of one district, or the whole budget when `district` is `None` or empty.
    #[must_use]
    pub fn money_of(&self, district: Option<&str>) -> Option<i64> {
        match district.filter(|d| !d.is_empty()) {
            None => Some(self.total),
            Some(key) => self.districts.iter().find(|d| d.key == key).map(|d| d.amount),
        }
    }
}

/// Where a proposal stands in the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Submitted,
    Feasible,
    Unfeasible,
}

impl Review {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Submitted => "submitted",
            Review::Feasible => "feasible",
            Review::Unfeasible => "unfeasible",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Review::Submitted, Review::Feasible, Review::Unfeasible].into_iter().find(|r| r.as_str() == s)
    }
}

/// How a winner's construction is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Works {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

impl Works {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Works::Planned => "planned",
            Works::InProgress => "in_progress",
            Works::Done => "done",
            Works::Cancelled => "cancelled",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Works::Planned, Works::InProgress, Works::Done, Works::Cancelled].into_iter().find(|w| w.as_str() == s)
    }
}

/// A project proposal (and, once selected, a project being built).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Proposal {
    pub id: ProposalId,
    pub budget_id: BudgetId,
    pub org_id: OrgId,
    /// The resident who proposed it; `None` for imported ones.
    pub author_id: Option<UserId>,
    /// The id other tools know it by (pabulib `project_id`); ties between equal projects are
    /// broken by it. For proposals made here it is the UUID itself.
    pub code: String,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub category: Option<String>,
    pub district: Option<String>,
    pub location: Option<String>,
    /// Minor units.
    pub estimated_cost: i64,
    pub images: Vec<String>,
    pub review: Review,
    pub review_reason: Option<String>,
    pub validated_cost: Option<i64>,
    pub supports: u32,
    pub works: Option<Works>,
    pub amount_spent: Option<i64>,
    /// pabulib's other project columns, in the import's header order.
    pub pabulib_extra: Option<Vec<String>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Proposal {
    /// The cost the ballot and the rules use: the validated one once reviewed.
    #[must_use]
    pub fn cost(&self) -> i64 {
        Self::cost_of(self.estimated_cost, self.validated_cost)
    }

    /// [`Proposal::cost`] from the two costs alone (for a proposal read without its texts).
    #[must_use]
    pub fn cost_of(estimated: i64, validated: Option<i64>) -> i64 {
        validated.unwrap_or(estimated)
    }
}

/// A ballot as stored: choices by proposal id, with points (1 for an approval; the rank's score
/// for ordinal ballots is computed from the order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBallot {
    /// `None` for the whole process.
    pub district: Option<String>,
    /// In the order cast (rank order for ordinal ballots).
    pub choices: Vec<(ProposalId, u64)>,
    /// For imported ballots: pabulib's `voter_id` and other columns.
    pub pabulib: Option<(String, Vec<String>)>,
    /// Collected on paper and entered by staff (pabulib's `voting_method` `paper`).
    #[serde(default)]
    pub paper: bool,
}

/// Filters and order of the proposal list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalFilter {
    pub district: Option<String>,
    pub category: Option<String>,
    pub review: Option<Review>,
}

/// Proposals on the ballot, or not on it: in `review` (feasible) and with at least
/// `min_supports` supports where the process has a threshold ([`Budget::ballot_standing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotStanding {
    pub on: bool,
    pub review: Review,
    pub min_supports: Option<u32>,
}

/// The orders of the proposals list the database pages by; ties by id, in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalOrder {
    /// [`Proposal::cost`].
    Cost,
    Supports,
    /// The id, a UUID v7: the order of submission.
    Id,
}

/// What the proposals list filters and sorts by: a proposal without its texts, read for every
/// proposal of a process so that only a page's proposals are read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposalKey {
    pub id: ProposalId,
    /// [`Proposal::cost`].
    pub cost: i64,
    pub supports: u32,
    pub review: Review,
}

/// The request that last wrote a ballot, kept on the ballot row (which holds no user id) so that
/// a retry under the same `Idempotency-Key` is answered without storing the ballot next to the
/// voter's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotRequest {
    pub key: String,
    pub cast: Cast,
}

/// What casting did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cast {
    /// The first ballot of this voter in this process and district.
    First,
    /// The voter's earlier ballot was replaced.
    Replaced,
}

/// What the public reads show of each proposal beyond its row, read for a page at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalExtras {
    /// Visible comments.
    pub comments: u64,
    /// Why a moderator hid it, if hidden.
    pub hidden_reason: Option<String>,
    /// The reader supported it.
    pub supported: bool,
}

/// Persistence of participatory budgets.
#[async_trait::async_trait]
pub trait BudgetRepo: Send + Sync {
    async fn create_budget(&self, b: &Budget) -> RepoResult<()>;
    /// Optimistic: `Conflict` when the stored `updated_at` is not `expected`.
    async fn update_budget(&self, b: &Budget, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn budget(&self, org_id: OrgId, id: BudgetId) -> RepoResult<Option<Budget>>;
    async fn budgets(&self, org_id: OrgId) -> RepoResult<Vec<Budget>>;

    async fn create_proposal(&self, p: &Proposal) -> RepoResult<()>;
    /// Optimistic like [`BudgetRepo::update_budget`].
    async fn update_proposal(&self, p: &Proposal, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn proposal(&self, budget_id: BudgetId, id: ProposalId) -> RepoResult<Option<Proposal>>;
    /// The organisation's process and, if it has it, its proposal `id` with its
    /// [`ProposalExtras`] for `reader`, in one statement.
    async fn proposal_read(
        &self,
        org_id: OrgId,
        budget_id: BudgetId,
        id: ProposalId,
        reader: Option<UserId>,
    ) -> RepoResult<Option<(Budget, Option<(Proposal, ProposalExtras)>)>>;
    async fn proposals(&self, budget_id: BudgetId, filter: &ProposalFilter) -> RepoResult<Vec<Proposal>>;
    /// One page of the proposals `filter` (and `standing`, if any) select, in `order` (descending
    /// with `desc`), after the proposal `page.after` in that order (none after one that is not
    /// selected), with the total selected; each with its [`ProposalExtras`] for `reader`, in one
    /// statement.
    #[allow(clippy::too_many_arguments)]
    async fn proposals_page(
        &self,
        budget_id: BudgetId,
        filter: &ProposalFilter,
        standing: Option<BallotStanding>,
        order: ProposalOrder,
        desc: bool,
        page: crate::repo::PageRequest,
        reader: Option<UserId>,
    ) -> RepoResult<crate::repo::Page<(Proposal, ProposalExtras)>>;
    /// [`ProposalKey`]s of the proposals `filter` selects, in id order.
    async fn proposal_keys(&self, budget_id: BudgetId, filter: &ProposalFilter) -> RepoResult<Vec<ProposalKey>>;
    /// The process's proposals with these ids, whole, in id order (unknown ids are left out);
    /// each with its [`ProposalExtras`] for `reader`, in one statement.
    async fn proposals_in(
        &self,
        budget_id: BudgetId,
        ids: &[ProposalId],
        reader: Option<UserId>,
    ) -> RepoResult<Vec<(Proposal, ProposalExtras)>>;
    /// Creates a whole imported process at once: the budget, its proposals and anonymous ballots.
    async fn import_budget(&self, b: &Budget, proposals: &[Proposal], ballots: &[StoredBallot]) -> RepoResult<()>;

    /// Records a support; `false` when this user already supported it. Keeps the count.
    async fn support(&self, proposal_id: ProposalId, user_id: UserId, at: DateTime<Utc>) -> RepoResult<bool>;

    /// Casts or replaces a ballot in one transaction: the voter goes into the register (unique per
    /// process, district and user, by the database), the process is read in the same transaction
    /// and must still be voting (serialized with a phase change: a ballot is either in before the
    /// vote closes or refused), and the ballot is stored or replaced under its key with the
    /// request's `Idempotency-Key`, if any. `Conflict` on `phase` when voting has closed; on
    /// `ballot_key` when the register has the voter but no ballot has the key (the key secret
    /// changed); on `district` when the register holds the voter in `slot` for another district
    /// (see [`DistrictVoting::slot`]); on `version` when `version` is given and the process's
    /// `updated_at` is no longer it: the version whose rules and ballot the ballot was checked against.
    #[allow(clippy::too_many_arguments)]
    async fn cast_ballot(
        &self,
        budget_id: BudgetId,
        voter: UserId,
        ballot_key: &str,
        ballot: &StoredBallot,
        today: NaiveDate,
        request_key: Option<&str>,
        slot: &str,
        version: Option<DateTime<Utc>>,
    ) -> RepoResult<Cast>;
    async fn ballot_by_key(&self, budget_id: BudgetId, ballot_key: &str) -> RepoResult<Option<StoredBallot>>;
    /// The ballot under a key with the request that last wrote it, if that request sent a key.
    async fn ballot_with_request(
        &self,
        budget_id: BudgetId,
        ballot_key: &str,
    ) -> RepoResult<Option<(StoredBallot, Option<BallotRequest>)>>;
    /// Adds ballots collected on paper (no voter, no key) in one transaction, while the process
    /// is still voting (read in the transaction, like a cast): `Conflict` on `phase` otherwise.
    async fn add_paper_ballots(
        &self,
        budget_id: BudgetId,
        ballots: &[StoredBallot],
        today: NaiveDate,
    ) -> RepoResult<()>;
    /// Every ballot of a process (all districts), for counting and export.
    async fn ballots(&self, budget_id: BudgetId) -> RepoResult<Vec<StoredBallot>>;
    async fn voter_count(&self, budget_id: BudgetId) -> RepoResult<u64>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn phases_move_one_step_forward_skipping_supports_when_there_are_none() {
        assert_eq!(next_phase(Phase::Review, true), Some(Phase::Supports));
        assert_eq!(next_phase(Phase::Review, false), Some(Phase::Voting));
        assert_eq!(next_phase(Phase::Implementation, true), None);
        assert!(check_phase_change(Phase::Information, Phase::Proposals, false).is_ok());
        let e = check_phase_change(Phase::Proposals, Phase::Voting, false).unwrap_err();
        assert_eq!((e.from, e.allowed), ("proposals", "review"));
        assert!(check_phase_change(Phase::Voting, Phase::Review, true).is_err(), "never backwards");
        assert!(check_phase_change(Phase::Implementation, Phase::Implementation, true).is_err());
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn a_schedule_must_not_go_backwards() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        let ok = Schedule {
            proposals: d("2026-03-01"),
            voting: d("2026-06-01"),
            results: d("2026-06-01"),
            ..Default::default()
        };
        assert!(ok.check().is_ok());
        let bad = Schedule { proposals: d("2026-03-01"), review: d("2026-02-01"), ..Default::default() };
        assert_eq!(bad.check(), Err(ScheduleError { earlier: "proposals", later: "review" }));
    }

    #[test]
    fn a_district_has_its_own_money_and_an_unknown_one_none() {
        let b = Budget {
            id: BudgetId::from(Uuid::nil()),
            org_id: OrgId::from(Uuid::nil()),
            title: LocalizedText::default(),
            rules_text: LocalizedText::default(),
            total: 1_000,
            currency: "PLN".into(),
            districts: vec![District { key: "centrum".into(), name: LocalizedText::default(), amount: 300 }],
            categories: Vec::new(),
            schedule: Schedule::default(),
            phase: Phase::Voting,
            supports_threshold: None,
            ballot_rule: BallotRule::Approval { min_projects: 0, max_projects: None, knapsack: false },
            outcome_rule: OutcomeRule::Greedy,
            min_score: 0,
            requires_verified: false,
            district_voting: DistrictVoting::Each,
            pabulib: None,
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
        };
        assert_eq!(b.money_of(None), Some(1_000));
        assert_eq!(b.money_of(Some("")), Some(1_000));
        assert_eq!(b.money_of(Some("centrum")), Some(300));
        assert_eq!(b.money_of(Some("zagorze")), None);
    }
}
