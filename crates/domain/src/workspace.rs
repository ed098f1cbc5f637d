//! The staff workspace: what in an organisation waits for its staff. Proposals to review in a
//! process that is in its review phase, opinions without an answer, meetings that have ended
//! without minutes, milestones past their end date that are neither done nor cancelled, and
//! residents' reports unanswered past their category's deadline.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::i18n::LocalizedText;
use crate::ids::{BudgetId, CommitmentId, ConsultationId, MeetingId, OrgId, PlanId, ProposalId};
use crate::repo::{RepoError, RepoResult};

/// One list of the workspace: the first items (oldest first: they have waited longest) and how
/// many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting<T> {
    pub total: u64,
    pub items: Vec<T>,
}

impl<T> Default for Waiting<T> {
    fn default() -> Self {
        Waiting { total: 0, items: Vec::new() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalToReview {
    pub budget_id: BudgetId,
    pub budget_title: LocalizedText,
    pub proposal_id: ProposalId,
    pub title: LocalizedText,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnansweredOpinion {
    pub consultation_id: ConsultationId,
    pub consultation_title: LocalizedText,
    pub opinion_id: uuid::Uuid,
    /// The opinion's beginning (at most [`EXCERPT_CHARS`] characters).
    pub excerpt: String,
    pub given_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingWithoutMinutes {
    pub meeting_id: MeetingId,
    pub title: LocalizedText,
    pub ended_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueMilestone {
    pub plan_id: PlanId,
    pub commitment_id: CommitmentId,
    pub commitment_title: LocalizedText,
    pub milestone_id: uuid::Uuid,
    pub title: LocalizedText,
    pub end_date: NaiveDate,
}

/// A resident's report still unanswered past its category's deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueReport {
    pub report_id: crate::ids::ReportId,
    pub title: String,
    pub category_name: LocalizedText,
    pub department: String,
    pub received_at: DateTime<Utc>,
    pub answer_due: DateTime<Utc>,
}

/// Everything waiting for the staff of one organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    pub proposals_to_review: Waiting<ProposalToReview>,
    pub unanswered_opinions: Waiting<UnansweredOpinion>,
    pub meetings_without_minutes: Waiting<MeetingWithoutMinutes>,
    pub overdue_milestones: Waiting<OverdueMilestone>,
    pub overdue_reports: Waiting<OverdueReport>,
}

/// How long an opinion's excerpt is.
pub const EXCERPT_CHARS: usize = 160;

/// How many items of each kind the workspace lists.
pub const LISTED: u64 = 20;

/// The opinion's text cut to an excerpt at a character boundary, with an ellipsis when cut.
#[must_use]
pub fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Reads what waits for staff, each kind in one query for its count and one for its first items.
#[async_trait::async_trait]
pub trait WorkspaceRepo: Send + Sync {
    /// What waits in `org_id` at `now` (`today` in the organisation's time zone for milestones),
    /// at most `limit` items of each kind, oldest first.
    async fn attention(&self, org_id: OrgId, now: DateTime<Utc>, today: NaiveDate, limit: u64)
    -> RepoResult<Attention>;
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error(transparent)]
    Repo(#[from] RepoError),
}

pub struct WorkspaceService {
    repo: Arc<dyn WorkspaceRepo>,
    clock: Arc<dyn Clock>,
}

impl WorkspaceService {
    #[must_use]
    pub fn new(repo: Arc<dyn WorkspaceRepo>, clock: Arc<dyn Clock>) -> Self {
        WorkspaceService { repo, clock }
    }

    /// What waits for the organisation's staff. Any staff role (a read-only token will do).
    ///
    /// # Errors
    /// Forbidden; a database failure.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn attention(
        &self,
        caller: &Caller,
        org: &crate::org::Organisation,
    ) -> Result<Attention, WorkspaceError> {
        caller.authorize(org.id, Action::SeeStaffView)?;
        let now = self.clock.now();
        let today = now.with_timezone(&org.time_zone.tz()).date_naive();
        Ok(self.repo.attention(org.id, now, today, LISTED).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_at_a_character_with_an_ellipsis() {
        assert_eq!(excerpt("  Krátky názor.  "), "Krátky názor.");
        let long = "ž".repeat(200);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS);
        assert!(e.ends_with('…'));
    }
}
