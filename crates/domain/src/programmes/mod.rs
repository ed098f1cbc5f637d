//! Programmes across municipalities: one OGP Local programme, say, groups several towns. Platform
//! admins create a programme (multilingual name and description) and invite organisations; each
//! organisation's admin accepts or declines joining (the decision is the organisation's, so a
//! platform admin cannot make it for them). A public page shows the members side by side: their
//! action plans' commitments by completion level and overdue milestones, their reports' answer
//! times, and their budget execution in the latest published year (see [`rules`]).
//!
//! **Member statuses.** `invited` → `joined` | `declined`; a declined organisation may be invited
//! again (back to `invited`). Only `joined` members are public.

pub mod rules;
mod service;

pub use rules::{BudgetSummary, PlansSummary, ReportsSummary, budget_summary, plans_summary, reports_summary};
pub use service::{MemberOverview, MemberView, NewProgramme, ProgrammeDetail, ProgrammeOverview, ProgrammeService};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::action_plans::rules::PlanStatus;
use crate::auth::AuthzError;
use crate::i18n::LocalizedText;
use crate::ids::{CommitmentId, OrgId, ProgrammeId, UserId};
use crate::money::Currency;
use crate::org::{Organisation, Slug};
use crate::repo::{RepoError, RepoResult};

/// A programme grouping organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub id: ProgrammeId,
    pub slug: Slug,
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where an organisation stands in a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Invited,
    Joined,
    Declined,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 3] = [MemberStatus::Invited, MemberStatus::Joined, MemberStatus::Declined];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Invited => "invited",
            MemberStatus::Joined => "joined",
            MemberStatus::Declined => "declined",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// An organisation's place in a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub programme_id: ProgrammeId,
    pub org_id: OrgId,
    pub status: MemberStatus,
    pub invited_by: Option<UserId>,
    pub invited_at: DateTime<Utc>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A commitment of a member, with the status of its action plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberCommitment {
    pub org_id: OrgId,
    pub commitment_id: CommitmentId,
    pub plan_status: PlanStatus,
}

/// When a member's report was filed and first answered, and its category's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportTiming {
    pub org_id: OrgId,
    pub created_at: DateTime<Utc>,
    pub first_answer_at: Option<DateTime<Utc>>,
    pub answer_days: u32,
}

/// A line of a member's latest published budget year, its amounts in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetLineAmounts {
    pub org_id: OrgId,
    pub year: i32,
    pub currency: Currency,
    pub planned: i64,
    /// The amended amount, else the planned one.
    pub current: i64,
    /// Executed over the periods reported.
    pub executed: i64,
}

/// Persistence of programmes and their members, and the loads of the programme page: each reads
/// every member at once (one query, whatever the number of members).
#[async_trait::async_trait]
pub trait ProgrammeRepo: Send + Sync {
    /// `Conflict` on `slug` when taken.
    async fn create_programme(&self, p: &Programme) -> RepoResult<()>;
    async fn programme_by_slug(&self, slug: &str) -> RepoResult<Option<Programme>>;
    /// Every programme, oldest first.
    async fn programmes(&self) -> RepoResult<Vec<Programme>>;
    /// `Conflict` when the organisation is already a member in any status.
    async fn add_programme_member(&self, m: &Member) -> RepoResult<()>;
    /// Saves the member if its status is still `expected`; `false` otherwise.
    async fn update_programme_member(&self, m: &Member, expected: MemberStatus) -> RepoResult<bool>;
    async fn programme_member(&self, programme: ProgrammeId, org: OrgId) -> RepoResult<Option<Member>>;
    /// The programme's members, in the order they were invited.
    async fn programme_members(&self, programme: ProgrammeId) -> RepoResult<Vec<Member>>;
    /// The organisation's places in programmes, with the programmes, newest invitation first.
    async fn programmes_of_org(&self, org: OrgId) -> RepoResult<Vec<(Programme, Member)>>;
    /// How many organisations joined each programme.
    async fn joined_counts(&self) -> RepoResult<Vec<(ProgrammeId, u64)>>;
    async fn orgs_by_ids(&self, ids: &[OrgId]) -> RepoResult<Vec<Organisation>>;
    /// The commitments of the organisations, with their plans' statuses.
    async fn member_commitments(&self, orgs: &[OrgId]) -> RepoResult<Vec<MemberCommitment>>;
    /// Every report of the organisations.
    async fn member_report_timings(&self, orgs: &[OrgId]) -> RepoResult<Vec<ReportTiming>>;
    /// The lines of each organisation's latest published budget year.
    async fn member_latest_budget_lines(&self, orgs: &[OrgId]) -> RepoResult<Vec<BudgetLineAmounts>>;
}

/// Why a programme use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgrammeError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `programme`, `organisation` or `invitation`.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("a programme with this slug already exists")]
    SlugTaken,
    #[error("the organisation is already {0} in this programme")]
    AlreadyMember(&'static str),
    /// The invitation was decided already (or meanwhile).
    #[error("the organisation has already {0} this programme")]
    AlreadyDecided(&'static str),
    /// A field breaks a rule: its path in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(RepoError),
}

impl From<RepoError> for ProgrammeError {
    fn from(e: RepoError) -> Self {
        ProgrammeError::Repo(e)
    }
}
