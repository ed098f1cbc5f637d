//! Action plans, commitments, milestones and co-owners as stored, and the repository port.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{CommitmentId, OrgId, PlanId, UserId};

use super::rules::{CoOwnerStatus, DateSpan, MilestoneStatus, OgpValue, PlanStatus};
use crate::i18n::LocalizedText;
use crate::repo::RepoResult;

/// A linked document (PDF in the municipality's documents folder, a web page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLink {
    pub title: String,
    pub url: String,
}

/// An action plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActionPlan {
    pub id: PlanId,
    pub org_id: OrgId,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub period: DateSpan,
    pub status: PlanStatus,
    pub documents: Vec<DocumentLink>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The OGP Independent Reporting Mechanism's assessment of a commitment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IrmAssessment {
    pub verifiable: Option<bool>,
    /// unclear / modest / substantial
    pub potential_for_results: Option<String>,
    /// no_evidence / not_started / limited / substantial / complete
    pub completion: Option<String>,
    /// worsened / did_not_change / marginal / major / outstanding
    pub did_it_open_government: Option<String>,
    pub evidence: Option<String>,
}

/// A commitment of an action plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Commitment {
    pub id: CommitmentId,
    pub org_id: OrgId,
    pub action_plan_id: PlanId,
    pub title: LocalizedText,
    /// The department or institution responsible.
    pub lead: String,
    pub supporting_actors: Vec<String>,
    pub problem: LocalizedText,
    pub status_quo: LocalizedText,
    pub objective: LocalizedText,
    pub ogp_values: BTreeSet<OgpValue>,
    pub theme: Option<String>,
    /// Minor units in the organisation's currency.
    pub budget: Option<i64>,
    pub irm: Option<IrmAssessment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A milestone of a commitment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Milestone {
    pub id: Uuid,
    pub commitment_id: CommitmentId,
    pub position: u32,
    pub title: LocalizedText,
    pub deliverable: LocalizedText,
    pub dates: DateSpan,
    pub status: MilestoneStatus,
    pub completed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A resident or partner organisation co-owning a commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoOwner {
    pub id: Uuid,
    pub commitment_id: CommitmentId,
    pub user_id: UserId,
    /// The user's display name, or the partner organisation they volunteer for.
    pub display_name: String,
    pub organisation: Option<String>,
    pub note: Option<String>,
    pub status: CoOwnerStatus,
    pub created_at: DateTime<Utc>,
}

/// Filters of the commitment list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitmentFilter {
    pub action_plan: Option<PlanId>,
    pub ogp_value: Option<OgpValue>,
    pub lead: Option<String>,
    /// Only commitments of plans residents may see.
    pub public_only: bool,
}

/// Persistence of action plans and commitments.
#[async_trait::async_trait]
pub trait ActionPlanRepo: Send + Sync {
    async fn create_plan(&self, p: &ActionPlan) -> RepoResult<()>;
    /// `Conflict` when `updated_at` is no longer `expected`.
    async fn update_plan(&self, p: &ActionPlan, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn plan(&self, org_id: OrgId, id: PlanId) -> RepoResult<Option<ActionPlan>>;
    async fn plans(&self, org_id: OrgId, include_drafts: bool) -> RepoResult<Vec<ActionPlan>>;

    async fn create_commitment(&self, c: &Commitment) -> RepoResult<()>;
    async fn update_commitment(&self, c: &Commitment, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn commitment(&self, org_id: OrgId, id: CommitmentId) -> RepoResult<Option<Commitment>>;
    async fn commitments(&self, org_id: OrgId, filter: &CommitmentFilter) -> RepoResult<Vec<Commitment>>;
    /// [`Self::commitments`], each with its visible comments counted in the same statement.
    async fn commitments_counted(&self, org_id: OrgId, filter: &CommitmentFilter)
    -> RepoResult<Vec<(Commitment, u64)>>;
    /// One commitment with its visible comments counted and its milestones (by position), in one
    /// statement; with `public_only`, none when its plan is a draft.
    async fn commitment_detail(
        &self,
        org_id: OrgId,
        id: CommitmentId,
        public_only: bool,
    ) -> RepoResult<Option<(Commitment, u64, Vec<Milestone>)>>;

    async fn add_milestone(&self, m: &Milestone) -> RepoResult<()>;
    async fn update_milestone(&self, m: &Milestone) -> RepoResult<()>;
    /// Ordered by position.
    async fn milestones(&self, commitment_ids: &[CommitmentId]) -> RepoResult<Vec<Milestone>>;

    /// `Conflict` when the user already volunteered.
    async fn add_co_owner(&self, c: &CoOwner) -> RepoResult<()>;
    async fn set_co_owner_status(
        &self,
        commitment_id: CommitmentId,
        id: Uuid,
        status: CoOwnerStatus,
        at: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// `false` when the user had not volunteered.
    async fn withdraw_co_owner(&self, commitment_id: CommitmentId, user_id: UserId) -> RepoResult<bool>;
    async fn co_owners(&self, commitment_id: CommitmentId) -> RepoResult<Vec<CoOwner>>;
}
