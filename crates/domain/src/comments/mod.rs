//! Residents' comments on public resources, and their moderation.
//!
//! A *thread* is the comments on one resource (a [`Target`]: its kind and id, within an
//! organisation); it exists implicitly, and has a row of its own only once staff close it.
//! Comments are plain text, one level of replies deep. Anyone signed in may report a comment, a
//! budget proposal or a consultation opinion; an item that reaches the organisation's threshold
//! of open reports is held back until a moderator decides. Moderators hide (with a public
//! reason), restore, dismiss reports and block residents from commenting; every such act goes to
//! the organisation's public audit log without the resident's identity.

mod body;
mod moderation;
mod service;
mod throttle;

pub use body::{BODY_MAX, BODY_PATTERN, CommentBody, DETAILS_MAX, REASON_MAX};
pub use moderation::{BlockRequest, Decision, ModerationService, QueueEntry, QueueSort, ReportedContent, ReportedLink};
pub use service::{CommentCan, CommentNode, CommentService, CommentView, NewReport, ThreadView};
pub use throttle::PostThrottle;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::AuthzError;
use crate::ids::{BudgetId, CommentId, ConsultationId, MeetingId, OrgId, ProposalId, UserId};
use crate::repo::{Page, PageRequest, RepoError, RepoResult};

/// How long after posting its author may still edit a comment.
pub const EDIT_WINDOW_MINUTES: i64 = 15;

/// Open reports that hold an item back when the organisation has not chosen its own number.
pub const DEFAULT_REPORT_THRESHOLD: u32 = 3;

/// What a thread is about. A new kind of resource (problem reports, say) is one more variant
/// here, its name in [`TargetKind::as_str`], and how to find it in the service's `target_visible`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    BudgetProposal,
    Commitment,
    Meeting,
    MeetingActivity,
    Consultation,
    /// A resident's report or proposal.
    Report,
}

impl TargetKind {
    pub const ALL: [TargetKind; 6] = [
        TargetKind::BudgetProposal,
        TargetKind::Commitment,
        TargetKind::Meeting,
        TargetKind::MeetingActivity,
        TargetKind::Consultation,
        TargetKind::Report,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::BudgetProposal => "budget_proposal",
            TargetKind::Commitment => "commitment",
            TargetKind::Meeting => "meeting",
            TargetKind::MeetingActivity => "meeting_activity",
            TargetKind::Consultation => "consultation",
            TargetKind::Report => "report",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A commented resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    pub kind: TargetKind,
    pub id: Uuid,
}

/// What can be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Comment,
    BudgetProposal,
    Opinion,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Comment, ItemKind::BudgetProposal, ItemKind::Opinion];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Comment => "comment",
            ItemKind::BudgetProposal => "budget_proposal",
            ItemKind::Opinion => "opinion",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A reportable item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemRef {
    pub kind: ItemKind,
    pub id: Uuid,
}

/// Why a resident reports an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportReason {
    Spam,
    Offensive,
    OffTopic,
    PersonalData,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Spam,
        ReportReason::Offensive,
        ReportReason::OffTopic,
        ReportReason::PersonalData,
        ReportReason::Other,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Offensive => "offensive",
            ReportReason::OffTopic => "off_topic",
            ReportReason::PersonalData => "personal_data",
            ReportReason::Other => "other",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a comment stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentState {
    Visible,
    /// Deleted by its author: the row stays (replies hang on it), the body is gone.
    Deleted,
    /// Reported by as many residents as the organisation's threshold: held back until a
    /// moderator decides.
    UnderReview,
    /// Hidden by a moderator, with the reason the thread shows instead of the body.
    Hidden {
        reason: String,
    },
}

impl CommentState {
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            CommentState::Visible => "visible",
            CommentState::Deleted => "deleted",
            CommentState::UnderReview => "under_review",
            CommentState::Hidden { .. } => "hidden",
        }
    }
}

/// A comment, or a reply to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub org_id: OrgId,
    pub target: Target,
    /// The comment this one answers; replies have no replies.
    pub parent_id: Option<CommentId>,
    /// `None` once the account is gone.
    pub author_id: Option<UserId>,
    pub author_name: String,
    /// Written by staff of the organisation.
    pub official: bool,
    /// `None` once deleted.
    pub body: Option<String>,
    pub state: CommentState,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Whether a report still counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    Open,
    /// A moderator found nothing wrong.
    Dismissed,
    /// A moderator hid the item.
    Upheld,
}

impl ReportStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Dismissed => "dismissed",
            ReportStatus::Upheld => "upheld",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [ReportStatus::Open, ReportStatus::Dismissed, ReportStatus::Upheld].into_iter().find(|k| k.as_str() == s)
    }
}

/// A resident's report of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: Uuid,
    pub org_id: OrgId,
    pub item: ItemRef,
    pub reporter_id: UserId,
    pub reason: ReportReason,
    pub details: Option<String>,
    pub status: ReportStatus,
    pub created_at: DateTime<Utc>,
}

/// A reported item's tally: what the moderation queue lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationItem {
    pub org_id: OrgId,
    pub item: ItemRef,
    pub open_reports: u32,
    pub last_reported_at: DateTime<Utc>,
}

/// A resident kept from commenting in one organisation until a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: Uuid,
    pub org_id: OrgId,
    pub user_id: UserId,
    /// The resident's display name (staff see it in the list of blocks).
    pub user_name: String,
    pub until: DateTime<Utc>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
}

/// An organisation's moderation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModerationSettings {
    /// Open reports from different residents that hold an item back.
    pub report_threshold: u32,
}

impl Default for ModerationSettings {
    fn default() -> Self {
        ModerationSettings { report_threshold: DEFAULT_REPORT_THRESHOLD }
    }
}

/// Persistence of threads, comments, reports, blocks and moderation settings.
#[async_trait::async_trait]
pub trait CommentRepo: Send + Sync {
    /// Whether staff closed the thread.
    async fn thread_closed(&self, org_id: OrgId, target: Target) -> RepoResult<bool>;
    async fn set_thread_closed(&self, org_id: OrgId, target: Target, closed: bool, at: DateTime<Utc>)
    -> RepoResult<()>;

    async fn add_comment(&self, c: &Comment) -> RepoResult<()>;
    async fn comment(&self, org_id: OrgId, id: CommentId) -> RepoResult<Option<Comment>>;
    async fn comments_by_ids(&self, org_id: OrgId, ids: &[Uuid]) -> RepoResult<Vec<Comment>>;
    async fn update_comment(&self, c: &Comment) -> RepoResult<()>;
    /// The thread's comments that answer nothing, oldest first.
    async fn top_level_comments(&self, org_id: OrgId, target: Target, page: PageRequest) -> RepoResult<Page<Comment>>;
    /// The replies to these comments, oldest first.
    async fn replies_to(&self, parents: &[CommentId]) -> RepoResult<Vec<Comment>>;
    /// Visible comments (replies included) per target, in one query; targets without any are absent.
    async fn comment_counts(&self, kind: TargetKind, ids: &[Uuid]) -> RepoResult<HashMap<Uuid, u64>>;

    /// The process a proposal of the organisation belongs to.
    async fn proposal_budget(&self, org_id: OrgId, id: ProposalId) -> RepoResult<Option<BudgetId>>;
    /// The meeting an activity of the organisation belongs to.
    async fn activity_meeting(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<MeetingId>>;
    /// The consultation an opinion of the organisation was given on.
    async fn opinion_consultation(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<ConsultationId>>;

    /// # Errors
    /// `RepoError::Conflict` when the reporter already reported the item.
    async fn add_report(&self, r: &Report) -> RepoResult<()>;
    /// Counts one more open report of the item and returns the new count. Concurrent calls for
    /// one item are serialised by the database, so each sees a different count.
    async fn count_report(&self, org_id: OrgId, item: ItemRef, at: DateTime<Utc>) -> RepoResult<u32>;
    /// Which of these items the user reported.
    async fn reported_by(&self, user_id: UserId, kind: ItemKind, ids: &[Uuid]) -> RepoResult<HashSet<Uuid>>;
    /// Items with open reports.
    async fn moderation_items(&self, org_id: OrgId) -> RepoResult<Vec<ModerationItem>>;
    /// The open reports of these items.
    async fn open_reports(&self, org_id: OrgId, items: &[ItemRef]) -> RepoResult<Vec<Report>>;
    /// Closes the item's open reports with `status` and sets its tally to zero.
    async fn close_reports(
        &self,
        org_id: OrgId,
        item: ItemRef,
        status: ReportStatus,
        at: DateTime<Utc>,
    ) -> RepoResult<u64>;

    /// The moderators' public reasons for the hidden ones among these items (budget proposals:
    /// items without a state of their own).
    async fn hidden_reasons(&self, kind: ItemKind, ids: &[Uuid]) -> RepoResult<HashMap<Uuid, String>>;
    /// Hides the item with a public reason, or shows it again (`None`).
    async fn set_hidden_reason(
        &self,
        org_id: OrgId,
        item: ItemRef,
        reason: Option<String>,
        at: DateTime<Utc>,
    ) -> RepoResult<()>;

    async fn add_block(&self, b: &Block) -> RepoResult<()>;
    /// The block in force for the user at `now`, if any (the latest ending).
    async fn active_block(&self, org_id: OrgId, user_id: UserId, now: DateTime<Utc>) -> RepoResult<Option<Block>>;
    /// Blocks in force at `now`, newest first.
    async fn blocks(&self, org_id: OrgId, now: DateTime<Utc>) -> RepoResult<Vec<Block>>;
    async fn block(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<Block>>;
    async fn lift_block(&self, org_id: OrgId, id: Uuid, at: DateTime<Utc>) -> RepoResult<bool>;

    /// The organisation's settings, or the defaults.
    async fn moderation_settings(&self, org_id: OrgId) -> RepoResult<ModerationSettings>;
    async fn put_moderation_settings(&self, org_id: OrgId, s: ModerationSettings, at: DateTime<Utc>) -> RepoResult<()>;
}

/// The visible comments on one resource (for the views of one resource; lists ask
/// [`CommentRepo::comment_counts`] once per page).
///
/// # Errors
/// The database failed.
pub async fn count_on(repo: &(dyn CommentRepo + '_), kind: TargetKind, id: Uuid) -> RepoResult<u64> {
    Ok(repo.comment_counts(kind, &[id]).await?.get(&id).copied().unwrap_or(0))
}

/// Why a comment or moderation use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such {0}")]
    TargetNotFound(&'static str),
    #[error("no such comment")]
    NotFound,
    #[error("no such {0}")]
    ItemNotFound(&'static str),
    #[error("no such block")]
    BlockNotFound,
    /// A field breaks a rule: its path in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("comments on this page are closed")]
    Closed,
    #[error("a comment can be edited only within {EDIT_WINDOW_MINUTES} minutes of posting")]
    EditWindowOver,
    #[error("you may not comment in this organisation until {until}")]
    Blocked { until: DateTime<Utc> },
    #[error("too many comments in a short time; try again in {retry_after} seconds")]
    RateLimited { retry_after: i64 },
    #[error("you already reported this")]
    AlreadyReported,
    #[error(transparent)]
    Repo(RepoError),
}

impl CommentError {
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CommentError::Invalid { field: field.into(), message: message.into() }
    }
}

impl From<RepoError> for CommentError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => CommentError::NotFound,
            other => CommentError::Repo(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_reasons_round_trip_through_their_names() {
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::parse(k.as_str()), Some(k));
        }
        for k in ItemKind::ALL {
            assert_eq!(ItemKind::parse(k.as_str()), Some(k));
        }
        for r in ReportReason::ALL {
            assert_eq!(ReportReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(TargetKind::parse("problem_report"), None);
        assert_eq!(ReportReason::parse("boring"), None);
    }
}
