//! What the action-plan use cases take (input already parsed into domain types, not yet checked
//! against the organisation's rules) and what they return (records with what is computed from
//! them, and what the caller may do next).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::ids::{CommitmentId, PlanId};

use super::records::{ActionPlan, CoOwner, Commitment, DocumentLink, IrmAssessment, Milestone};
use super::rules::{Completion, CompletionLevel, MilestoneStatus, OgpValue, PlanStatus};
use crate::history::Evidence;
use crate::i18n::LocalizedText;

/// A new action plan (it starts as a draft).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub title: LocalizedText,
    /// May be empty.
    pub description: LocalizedText,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub documents: Vec<DocumentLink>,
}

/// Changes to an action plan; `None` keeps the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanChanges {
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub documents: Option<Vec<DocumentLink>>,
}

/// A new commitment of an action plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommitment {
    pub action_plan_id: PlanId,
    pub title: LocalizedText,
    pub lead: String,
    pub supporting_actors: Vec<String>,
    pub problem: LocalizedText,
    pub status_quo: LocalizedText,
    pub objective: LocalizedText,
    pub ogp_values: BTreeSet<OgpValue>,
    pub theme: Option<String>,
    pub budget: Option<i64>,
    pub irm: Option<IrmAssessment>,
}

/// Changes to a commitment; `None` keeps the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitmentChanges {
    pub title: Option<LocalizedText>,
    pub lead: Option<String>,
    pub supporting_actors: Option<Vec<String>>,
    pub problem: Option<LocalizedText>,
    pub status_quo: Option<LocalizedText>,
    pub objective: Option<LocalizedText>,
    pub ogp_values: Option<BTreeSet<OgpValue>>,
    pub theme: Option<String>,
    pub budget: Option<i64>,
    pub irm: Option<IrmAssessment>,
}

/// A new milestone, added at the end of its commitment's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMilestone {
    pub title: LocalizedText,
    pub deliverable: LocalizedText,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: MilestoneStatus,
    pub completed_on: Option<NaiveDate>,
}

/// Changes to a milestone; `None` keeps the field. A status change goes to the public history
/// with `reason`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MilestoneChanges {
    pub title: Option<LocalizedText>,
    pub deliverable: Option<LocalizedText>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub status: Option<MilestoneStatus>,
    pub completed_on: Option<NaiveDate>,
    pub reason: Option<String>,
}

/// A progress update on a commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgress {
    pub text: LocalizedText,
    pub evidence: Vec<Evidence>,
    pub amount_spent: Option<i64>,
    /// The day it is about; today (in the organisation's time zone) when `None`.
    pub occurred_on: Option<NaiveDate>,
}

/// A resident volunteering as co-owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Volunteer {
    pub organisation: Option<String>,
    pub note: Option<String>,
}

/// Filters of the commitment list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitmentQuery {
    pub action_plan: Option<PlanId>,
    /// The completion level, computed from the milestones.
    pub level: Option<CompletionLevel>,
    pub ogp_value: Option<OgpValue>,
    pub lead: Option<String>,
    /// Full-text `?q=` (finds commitments of public plans only).
    pub text: Option<String>,
}

/// What the caller may do with an action plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanCan {
    pub edit: bool,
    /// The statuses the caller may move the plan to now.
    pub transition: Vec<PlanStatus>,
}

/// An action plan with what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanView {
    pub plan: ActionPlan,
    pub can: PlanCan,
}

/// What the caller may do with a commitment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitmentCan {
    pub edit: bool,
    pub update_milestones: bool,
    pub report_progress: bool,
    /// Volunteer as co-owner (any signed-in resident acting for themselves).
    pub co_own: bool,
}

/// A milestone with its state as of today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneView {
    pub milestone: Milestone,
    /// Open and due within 30 days.
    pub due_soon: bool,
    /// Open and past its end date.
    pub overdue: bool,
}

/// A commitment with its milestones, its completion computed from them, and what the caller may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentView {
    pub commitment: Commitment,
    pub milestones: Vec<MilestoneView>,
    pub completion: Completion,
    pub can: CommitmentCan,
    /// Visible comments on it.
    pub comment_count: u64,
}

/// A co-owner as the caller sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoOwnerView {
    pub co_owner: CoOwner,
    /// Whether this is the caller.
    pub me: bool,
}

/// Commitments per completion level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelCounts {
    pub not_started: u32,
    pub limited: u32,
    pub substantial: u32,
    pub complete: u32,
}

impl LevelCounts {
    pub fn count(&mut self, level: CompletionLevel) {
        match level {
            CompletionLevel::NotStarted => self.not_started += 1,
            CompletionLevel::Limited => self.limited += 1,
            CompletionLevel::Substantial => self.substantial += 1,
            CompletionLevel::Complete => self.complete += 1,
        }
    }
}

/// A milestone in the overview, with its commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewMilestone {
    pub commitment_id: CommitmentId,
    pub milestone_id: Uuid,
    pub title: LocalizedText,
    pub end_date: NaiveDate,
    pub status: MilestoneStatus,
}

/// An action plan's progress at a glance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub commitments: u32,
    pub by_level: LevelCounts,
    /// Ordered by end date.
    pub due_next_30_days: Vec<OverviewMilestone>,
    /// Ordered by end date.
    pub overdue: Vec<OverviewMilestone>,
}
