//! Request and response bodies of threads, comments, reports and moderation.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use chrono::{DateTime, Utc};
use pnyx_domain::comments::{
    Block, CommentError, CommentNode, CommentState, CommentView, ItemKind, ItemRef, QueueEntry, QueueSort,
    ReportReason, Target, TargetKind, ThreadView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::error::{ApiError, ErrorCode};
use crate::list_response;

impl From<CommentError> for ApiError {
    fn from(e: CommentError) -> Self {
        use CommentError as E;
        match e {
            E::Authz(a) => a.into(),
            E::TargetNotFound(what) | E::ItemNotFound(what) => ApiError::not_found(&what.replace('_', " ")),
            E::NotFound => ApiError::not_found("comment"),
            E::BlockNotFound => ApiError::not_found("block in force"),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Closed => ApiError::conflict(ErrorCode::CommentsClosed, "Comments on this page are closed."),
            E::EditWindowOver => ApiError::conflict(ErrorCode::EditWindowOver, e.to_string()),
            E::Blocked { until } => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::CommentingBlocked,
                format!("A moderator blocked you from commenting in this organisation until {}.", until.to_rfc3339()),
            ),
            E::RateLimited { retry_after } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited, e.to_string())
                    .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after))
            }
            E::AlreadyReported => ApiError::conflict(ErrorCode::AlreadyReported, "You already reported this."),
            E::Repo(r) => r.into(),
        }
    }
}

/// What a thread is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKindDto {
    BudgetProposal,
    Commitment,
    Meeting,
    MeetingActivity,
    Consultation,
    /// A resident's report or proposal.
    Report,
}

impl From<TargetKindDto> for TargetKind {
    fn from(k: TargetKindDto) -> Self {
        match k {
            TargetKindDto::BudgetProposal => TargetKind::BudgetProposal,
            TargetKindDto::Commitment => TargetKind::Commitment,
            TargetKindDto::Meeting => TargetKind::Meeting,
            TargetKindDto::MeetingActivity => TargetKind::MeetingActivity,
            TargetKindDto::Consultation => TargetKind::Consultation,
            TargetKindDto::Report => TargetKind::Report,
        }
    }
}

impl From<TargetKind> for TargetKindDto {
    fn from(k: TargetKind) -> Self {
        match k {
            TargetKind::BudgetProposal => TargetKindDto::BudgetProposal,
            TargetKind::Commitment => TargetKindDto::Commitment,
            TargetKind::Meeting => TargetKindDto::Meeting,
            TargetKind::MeetingActivity => TargetKindDto::MeetingActivity,
            TargetKind::Consultation => TargetKindDto::Consultation,
            TargetKind::Report => TargetKindDto::Report,
        }
    }
}

pub(crate) fn target(kind: TargetKindDto, id: Uuid) -> Target {
    Target { kind: kind.into(), id }
}

/// What can be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKindDto {
    Comment,
    BudgetProposal,
    Opinion,
}

impl From<ItemKindDto> for ItemKind {
    fn from(k: ItemKindDto) -> Self {
        match k {
            ItemKindDto::Comment => ItemKind::Comment,
            ItemKindDto::BudgetProposal => ItemKind::BudgetProposal,
            ItemKindDto::Opinion => ItemKind::Opinion,
        }
    }
}

impl From<ItemKind> for ItemKindDto {
    fn from(k: ItemKind) -> Self {
        match k {
            ItemKind::Comment => ItemKindDto::Comment,
            ItemKind::BudgetProposal => ItemKindDto::BudgetProposal,
            ItemKind::Opinion => ItemKindDto::Opinion,
        }
    }
}

/// Why an item is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportReasonDto {
    Spam,
    Offensive,
    OffTopic,
    PersonalData,
    Other,
}

impl From<ReportReasonDto> for ReportReason {
    fn from(r: ReportReasonDto) -> Self {
        match r {
            ReportReasonDto::Spam => ReportReason::Spam,
            ReportReasonDto::Offensive => ReportReason::Offensive,
            ReportReasonDto::OffTopic => ReportReason::OffTopic,
            ReportReasonDto::PersonalData => ReportReason::PersonalData,
            ReportReasonDto::Other => ReportReason::Other,
        }
    }
}

impl From<ReportReason> for ReportReasonDto {
    fn from(r: ReportReason) -> Self {
        match r {
            ReportReason::Spam => ReportReasonDto::Spam,
            ReportReason::Offensive => ReportReasonDto::Offensive,
            ReportReason::OffTopic => ReportReasonDto::OffTopic,
            ReportReason::PersonalData => ReportReasonDto::PersonalData,
            ReportReason::Other => ReportReasonDto::Other,
        }
    }
}

/// Where a comment stands: `visible`; `deleted` by its author (no body); `under_review`, held
/// back after reaching the organisation's threshold of reports (no body); `hidden` by a moderator
/// (no body; `hidden_reason` says why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommentStateDto {
    Visible,
    Deleted,
    UnderReview,
    Hidden,
}

/// What the caller may do with a comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentCanDto {
    /// The author, within 15 minutes of posting, while the thread is open.
    pub edit: bool,
    /// The author, until deleted.
    pub delete: bool,
    /// Anyone else signed in, once.
    pub report: bool,
}

/// A comment as shown. Plain text: render `body` as text, never as HTML.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentResponse {
    pub id: Uuid,
    /// The comment this one replies to.
    pub parent_id: Option<Uuid>,
    /// `null` once deleted.
    pub author_name: Option<String>,
    /// Written by staff of the organisation.
    pub official: bool,
    pub state: CommentStateDto,
    /// The text while visible; `null` otherwise.
    pub body: Option<String>,
    /// The moderator's public reason, when `hidden`.
    pub hidden_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub can: CommentCanDto,
}

pub(crate) fn comment_dto(v: CommentView) -> CommentResponse {
    let c = v.comment;
    let (state, hidden_reason) = match c.state {
        CommentState::Visible => (CommentStateDto::Visible, None),
        CommentState::Deleted => (CommentStateDto::Deleted, None),
        CommentState::UnderReview => (CommentStateDto::UnderReview, None),
        CommentState::Hidden { reason } => (CommentStateDto::Hidden, Some(reason)),
    };
    let visible = state == CommentStateDto::Visible;
    CommentResponse {
        id: c.id.into(),
        parent_id: c.parent_id.map(Into::into),
        author_name: (state != CommentStateDto::Deleted).then_some(c.author_name),
        official: c.official,
        state,
        body: if visible { c.body } else { None },
        hidden_reason,
        created_at: c.created_at,
        edited_at: c.edited_at,
        can: CommentCanDto { edit: v.can.edit, delete: v.can.delete, report: v.can.report },
    }
}

/// A comment with its replies, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentWithReplies {
    #[serde(flatten)]
    pub comment: CommentResponse,
    pub replies: Vec<CommentResponse>,
}

/// What the caller may do with a thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadCanDto {
    /// Signed in, the thread open, not blocked.
    pub post: bool,
    /// Staff: close or reopen the thread.
    pub close: bool,
}

/// A page of a thread: the comments that answer nothing, oldest first, each with its replies.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadResponse {
    pub target_kind: TargetKindDto,
    pub target_id: Uuid,
    /// Staff closed it to new comments.
    pub closed: bool,
    pub can: ThreadCanDto,
    pub items: Vec<CommentWithReplies>,
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// How many comments (not counting replies) all pages hold.
    pub total: u64,
}

pub(crate) fn thread_dto(t: ThreadView) -> ThreadResponse {
    let node = |n: CommentNode| CommentWithReplies {
        comment: comment_dto(n.comment),
        replies: n.replies.into_iter().map(comment_dto).collect(),
    };
    ThreadResponse {
        target_kind: t.target.kind.into(),
        target_id: t.target.id,
        closed: t.closed,
        can: ThreadCanDto { post: t.can_post, close: t.can_close },
        next_cursor: t.page.next_after.map(crate::extract::encode_cursor),
        total: t.page.total,
        items: t.page.items.into_iter().map(node).collect(),
    }
}

/// A new comment, or a reply.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Would the new benches be accessible for wheelchairs?"}))]
pub struct CreateCommentRequest {
    /// Plain text of at most 2000 characters, not only white space; no control characters but
    /// tabs and line breaks. Stored trimmed.
    #[validate(length(max = 10000))]
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*$"
    )]
    pub body: String,
    /// The comment this one replies to (which must not itself be a reply).
    pub parent_id: Option<Uuid>,
}

/// A new text for one's own comment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Would the new benches be accessible for wheelchairs and prams?"}))]
pub struct UpdateCommentRequest {
    /// Plain text of at most 2000 characters, not only white space; no control characters but
    /// tabs and line breaks. Stored trimmed.
    #[validate(length(max = 10000))]
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*$"
    )]
    pub body: String,
}

/// Closing or reopening a thread.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"closed": true}))]
pub struct UpdateThreadRequest {
    pub closed: bool,
}

/// A thread's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadStateResponse {
    pub closed: bool,
}

/// A report of a comment, a budget proposal or a consultation opinion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"item_kind": "comment", "item_id": "01890a5d-ac96-774b-bcce-b302099a8057", "reason": "offensive"}))]
pub struct CreateReportRequest {
    pub item_kind: ItemKindDto,
    pub item_id: Uuid,
    pub reason: ReportReasonDto,
    /// What else moderators should know; up to 500 characters.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub details: Option<String>,
}

impl CreateReportRequest {
    pub(crate) fn item(&self) -> ItemRef {
        ItemRef { kind: self.item_kind.into(), id: self.item_id }
    }
}

/// A report, as taken.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResponse {
    pub item_kind: ItemKindDto,
    pub item_id: Uuid,
    pub reason: ReportReasonDto,
}

/// The order of the moderation queue.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueSortDto {
    /// The most recently reported first.
    #[default]
    Newest,
    /// The most open reports first.
    MostReported,
}

impl From<QueueSortDto> for QueueSort {
    fn from(s: QueueSortDto) -> Self {
        match s {
            QueueSortDto::Newest => QueueSort::Newest,
            QueueSortDto::MostReported => QueueSort::MostReported,
        }
    }
}

/// The queue's order.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `newest` (default) or `most_reported`.
    #[param(inline)]
    pub sort: Option<QueueSortDto>,
}

/// Where a reported item is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportedLinkDto {
    pub kind: TargetKindDto,
    pub id: Uuid,
    /// The budget process of a proposal, the meeting of an activity, the action plan of a
    /// commitment.
    pub within: Option<Uuid>,
}

/// A reported item in the moderation queue (moderators only).
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemResponse {
    pub item_kind: ItemKindDto,
    pub item_id: Uuid,
    pub open_reports: u32,
    pub last_reported_at: DateTime<Utc>,
    /// Open reports per reason.
    pub reasons: BTreeMap<String, u32>,
    /// The reporters' free texts, newest first.
    pub details: Vec<String>,
    /// The reported text (a proposal's title); `null` once deleted or gone.
    pub text: Option<String>,
    /// `visible`, `under_review`, `hidden` or `deleted`; `null` when the item is gone.
    pub state: Option<String>,
    /// Whom a block would be for.
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub link: Option<ReportedLinkDto>,
}

pub(crate) fn queue_dto(e: QueueEntry) -> QueueItemResponse {
    let c = e.content;
    QueueItemResponse {
        item_kind: e.item.item.kind.into(),
        item_id: e.item.item.id,
        open_reports: e.item.open_reports,
        last_reported_at: e.item.last_reported_at,
        reasons: e.reasons.into_iter().map(|(r, n)| (r.as_str().to_owned(), n)).collect(),
        details: e.details,
        text: c.as_ref().and_then(|c| c.text.clone()),
        state: c.as_ref().map(|c| c.state.to_owned()),
        author_id: c.as_ref().and_then(|c| c.author_id.map(Into::into)),
        author_name: c.as_ref().and_then(|c| c.author_name.clone()),
        link: c.and_then(|c| c.link).map(|l| ReportedLinkDto { kind: l.kind.into(), id: l.id, within: l.within }),
    }
}

list_response!(QueueList, QueueItemResponse, "A page of the moderation queue.");

/// What a moderator decides.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKindDto {
    /// Hide the item; `reason` is shown in its place.
    Hide,
    /// Show it again and close its reports.
    Restore,
    /// Close its reports as unfounded.
    Dismiss,
}

/// A moderator's decision on an item.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "hide", "reason": "Insults another resident."}))]
pub struct DecisionRequest {
    pub decision: DecisionKindDto,
    /// Required to hide: the public reason, up to 500 characters.
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// A resident's block.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "01890a5d-ac96-774b-bcce-b302099a8057", "until": "2026-07-01T00:00:00Z", "reason": "Repeated insults after a warning."}))]
pub struct CreateBlockRequest {
    pub user_id: Uuid,
    /// The block ends then; in the future.
    pub until: DateTime<Utc>,
    /// For staff; up to 500 characters.
    #[validate(length(max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// A block in force (moderators only).
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub until: DateTime<Utc>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn block_dto(b: Block) -> BlockResponse {
    BlockResponse {
        id: b.id,
        user_id: b.user_id.into(),
        user_name: b.user_name,
        until: b.until,
        reason: b.reason,
        created_at: b.created_at,
    }
}

/// The blocks in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockList {
    pub items: Vec<BlockResponse>,
}

/// An organisation's moderation settings.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"report_threshold": 3}))]
pub struct ModerationSettingsDto {
    /// Open reports from different residents that hold an item back until a moderator decides
    /// (1–100, default 3).
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub report_threshold: u32,
}
