//! The comment use cases: reading a thread (public), posting, replying, editing within the
//! window, deleting one's own, reporting, and staff closing or reopening a thread. Each decides
//! authorization first and reads the time from the service's clock.

use crate::audit::Audit;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::body::short_text;
use super::{
    Comment, CommentBody, CommentError, CommentState, DETAILS_MAX, EDIT_WINDOW_MINUTES, ItemKind, ItemRef,
    PostThrottle, Report, ReportReason, ReportStatus, Target, TargetKind,
};
use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::ids::{CommentId, OrgId, UserId};
use crate::repo::{Page, PageRequest, RepoError, Repos, Store};
use crate::version::Version;

/// What the caller may do with a comment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommentCan {
    /// Its author, within the edit window, while it is visible and the thread open.
    pub edit: bool,
    /// Its author, until it is deleted.
    pub delete: bool,
    /// Anyone else signed in, once per comment, while it is visible.
    pub report: bool,
}

/// A comment as the caller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentView {
    pub comment: Comment,
    pub can: CommentCan,
}

/// A comment with its replies, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentNode {
    pub comment: CommentView,
    pub replies: Vec<CommentView>,
}

/// A page of a thread: comments that answer nothing, oldest first, each with its replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadView {
    pub target: Target,
    pub closed: bool,
    /// Whether the caller may post now (signed in, the thread open, not blocked).
    pub can_post: bool,
    /// Whether the caller may close or reopen the thread (staff).
    pub can_close: bool,
    pub page: Page<CommentNode>,
}

/// A resident's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub item: ItemRef,
    pub reason: ReportReason,
    pub details: Option<String>,
}

/// The comment use cases.
pub struct CommentService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    throttle: PostThrottle,
}

/// Staff who may close a thread: those who write the content, and moderators.
pub(crate) fn may_close(caller: &Caller, org_id: OrgId) -> bool {
    caller.authorize(org_id, Action::WriteContent).is_ok() || caller.authorize(org_id, Action::Moderate).is_ok()
}

impl CommentService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self::with_throttle(store, clock, PostThrottle::default())
    }

    #[must_use]
    pub fn with_throttle(store: Arc<dyn Store>, clock: Arc<dyn Clock>, throttle: PostThrottle) -> Self {
        CommentService { store, clock, throttle }
    }

    /// The target if it exists in the organisation and everyone may see it.
    async fn target_visible(&self, org_id: OrgId, target: Target) -> Result<(), CommentError> {
        let s = &self.store;
        let id = target.id;
        let found = match target.kind {
            TargetKind::BudgetProposal => s.proposal_budget(org_id, id.into()).await?.is_some(),
            TargetKind::Commitment => match s.commitment(org_id, id.into()).await? {
                Some(c) => s.plan(org_id, c.action_plan_id).await?.is_some_and(|p| p.status.is_public()),
                None => false,
            },
            TargetKind::Meeting => s.meeting(org_id, id.into()).await?.is_some(),
            TargetKind::MeetingActivity => s.activity_meeting(org_id, id).await?.is_some(),
            TargetKind::Consultation => s.consultation(org_id, id.into()).await?.is_some(),
            TargetKind::Report => s.report(org_id, id.into()).await?.is_some(),
        };
        if found { Ok(()) } else { Err(CommentError::TargetNotFound(target.kind.as_str())) }
    }

    fn can(&self, caller: &Caller, c: &Comment, closed: bool, reported: bool, now: DateTime<Utc>) -> CommentCan {
        let Ok(p) = caller.authorize(c.org_id, Action::Participate) else { return CommentCan::default() };
        let mine = c.author_id == Some(p.user_id);
        let visible = c.state == CommentState::Visible;
        CommentCan {
            edit: mine && visible && !closed && now - c.created_at <= Duration::minutes(EDIT_WINDOW_MINUTES),
            delete: mine && c.state != CommentState::Deleted,
            report: !mine && visible && !reported,
        }
    }

    /// A page of a thread, public: comments that answer nothing, oldest first, with their replies.
    ///
    /// # Errors
    /// The target is not found or not public.
    #[tracing::instrument(skip_all, fields(org = %org_id, kind = target.kind.as_str(), target = %target.id))]
    pub async fn thread(
        &self,
        caller: &Caller,
        org_id: OrgId,
        target: Target,
        page: PageRequest,
    ) -> Result<ThreadView, CommentError> {
        self.target_visible(org_id, target).await?;
        let now = self.clock.now();
        let closed = self.store.thread_closed(org_id, target).await?;
        let top = self.store.top_level_comments(org_id, target, page).await?;
        let parents: Vec<CommentId> = top.items.iter().map(|c| c.id).collect();
        let replies = self.store.replies_to(&parents).await?;
        let reported = match caller.user_id() {
            Some(u) => {
                let ids: Vec<Uuid> = top.items.iter().chain(&replies).map(|c| c.id.into()).collect();
                self.store.reported_by(u, ItemKind::Comment, &ids).await?
            }
            None => HashSet::new(),
        };
        let blocked = match caller.user_id() {
            Some(u) => self.store.active_block(org_id, u, now).await?.is_some(),
            None => false,
        };
        let view = |c: Comment| {
            let can = self.can(caller, &c, closed, reported.contains(&c.id.into()), now);
            CommentView { comment: c, can }
        };
        let mut by_parent: HashMap<CommentId, Vec<CommentView>> = HashMap::new();
        for r in replies {
            if let Some(p) = r.parent_id {
                by_parent.entry(p).or_default().push(view(r));
            }
        }
        let page = top.map(|c| {
            let replies = by_parent.remove(&c.id).unwrap_or_default();
            CommentNode { comment: view(c), replies }
        });
        Ok(ThreadView {
            target,
            closed,
            can_post: !closed && !blocked && caller.authorize(org_id, Action::Participate).is_ok(),
            can_close: may_close(caller, org_id),
            page,
        })
    }

    /// Posts a comment, or a reply to one (`parent`).
    ///
    /// # Errors
    /// Unauthenticated; the target not found; an invalid body; a parent that is not a comment of
    /// this thread or is itself a reply (422); the thread closed (409); the caller blocked (403);
    /// too many comments in a minute (429).
    #[tracing::instrument(skip_all, fields(org = %org_id, kind = target.kind.as_str(), target = %target.id))]
    pub async fn post(
        &self,
        caller: &Caller,
        org_id: OrgId,
        target: Target,
        body: &str,
        parent: Option<CommentId>,
    ) -> Result<CommentView, CommentError> {
        let p = caller.authorize(org_id, Action::Participate)?;
        let body = CommentBody::parse(body).map_err(|m| CommentError::invalid("body", m))?;
        self.target_visible(org_id, target).await?;
        let now = self.clock.now();
        if let Some(pid) = parent {
            let parent = self
                .store
                .comment(org_id, pid)
                .await?
                .filter(|c| c.target == target)
                .ok_or_else(|| CommentError::invalid("parent_id", "is not a comment of this thread"))?;
            if parent.parent_id.is_some() {
                return Err(CommentError::invalid(
                    "parent_id",
                    "is a reply, and replies take no replies: answer the comment it replies to",
                ));
            }
        }
        if self.store.thread_closed(org_id, target).await? {
            return Err(CommentError::Closed);
        }
        if let Some(b) = self.store.active_block(org_id, p.user_id, now).await? {
            return Err(CommentError::Blocked { until: b.until });
        }
        self.throttle.take(p.user_id, now).map_err(|retry_after| CommentError::RateLimited { retry_after })?;
        let author_name = match self.store.user_by_id(p.user_id).await {
            Ok(u) => u.map(|u| u.display_name).unwrap_or_default(),
            Err(e) => {
                self.throttle.give_back(p.user_id, now);
                return Err(e.into());
            }
        };
        let c = Comment {
            id: CommentId::new_v7(),
            org_id,
            target,
            parent_id: parent,
            author_id: Some(p.user_id),
            author_name,
            official: caller.is_staff_of(org_id),
            body: Some(body.into_string()),
            state: CommentState::Visible,
            created_at: now,
            edited_at: None,
            updated_at: now,
        };
        if let Err(e) = self.store.add_comment(&c).await {
            self.throttle.give_back(p.user_id, now);
            return Err(e.into());
        }
        let can = self.can(caller, &c, false, false, now);
        Ok(CommentView { comment: c, can })
    }

    /// Its author changes a comment's text within the edit window.
    ///
    /// # Errors
    /// Unauthenticated; not found (also deleted); forbidden for anyone else or once a moderator
    /// holds it; an invalid body; the window over (409); the thread closed (409).
    #[tracing::instrument(skip_all, fields(org = %org_id, comment = %id))]
    pub async fn edit(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: CommentId,
        body: &str,
    ) -> Result<CommentView, CommentError> {
        let p = caller.authorize(org_id, Action::Participate)?;
        let body = CommentBody::parse(body).map_err(|m| CommentError::invalid("body", m))?;
        let mut c = self.live_comment(org_id, id).await?;
        if c.author_id != Some(p.user_id) || c.state != CommentState::Visible {
            return Err(AuthzError::Forbidden.into());
        }
        let now = self.clock.now();
        if now - c.created_at > Duration::minutes(EDIT_WINDOW_MINUTES) {
            return Err(CommentError::EditWindowOver);
        }
        if self.store.thread_closed(org_id, c.target).await? {
            return Err(CommentError::Closed);
        }
        c.body = Some(body.into_string());
        c.edited_at = Some(now);
        c.updated_at = Version::next_after(c.updated_at, now);
        self.store.update_comment(&c).await?;
        let can = self.can(caller, &c, false, false, now);
        Ok(CommentView { comment: c, can })
    }

    /// Its author deletes a comment: the row stays as a tombstone without its text, so that its
    /// replies stay readable.
    ///
    /// # Errors
    /// Unauthenticated; not found (also already deleted); forbidden for anyone else.
    #[tracing::instrument(skip_all, fields(org = %org_id, comment = %id))]
    pub async fn delete(&self, caller: &Caller, org_id: OrgId, id: CommentId) -> Result<(), CommentError> {
        let p = caller.authorize(org_id, Action::Participate)?;
        let mut c = self.live_comment(org_id, id).await?;
        if c.author_id != Some(p.user_id) {
            return Err(AuthzError::Forbidden.into());
        }
        let now = self.clock.now();
        c.body = None;
        c.state = CommentState::Deleted;
        c.updated_at = Version::next_after(c.updated_at, now);
        self.store.update_comment(&c).await?;
        Ok(())
    }

    async fn live_comment(&self, org_id: OrgId, id: CommentId) -> Result<Comment, CommentError> {
        self.store.comment(org_id, id).await?.filter(|c| c.state != CommentState::Deleted).ok_or(CommentError::NotFound)
    }

    /// Staff close a thread to new comments, or reopen it; the public audit log records it.
    ///
    /// # Errors
    /// Forbidden unless admin, official or moderator; the target not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, kind = target.kind.as_str(), target = %target.id))]
    pub async fn set_closed(
        &self,
        caller: &Caller,
        org_id: OrgId,
        target: Target,
        closed: bool,
    ) -> Result<bool, CommentError> {
        let actor = caller.authorize(org_id, Action::SeeStaffView)?.user_id;
        if !may_close(caller, org_id) {
            return Err(AuthzError::Forbidden.into());
        }
        self.target_visible(org_id, target).await?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        tx.set_thread_closed(org_id, target, closed, now).await?;
        let action = if closed { "comments.closed" } else { "comments.reopened" };
        let resource = (target.kind.as_str(), target.id);
        Audit::new(org_id, actor, action, resource, now).record(&*tx).await?;
        tx.commit().await?;
        Ok(closed)
    }

    /// A signed-in resident reports a comment, a budget proposal or a consultation opinion, once.
    /// The report that brings the item's open reports to the organisation's threshold holds it
    /// back until a moderator decides (a budget proposal stays up, listed in the queue).
    ///
    /// # Errors
    /// Unauthenticated; the item not found or not visible; forbidden for one's own item; invalid
    /// details; already reported (409).
    #[tracing::instrument(skip_all, fields(org = %org_id, kind = r.item.kind.as_str(), item = %r.item.id))]
    pub async fn report(&self, caller: &Caller, org_id: OrgId, r: NewReport) -> Result<(), CommentError> {
        let me = caller.authorize(org_id, Action::Participate)?.user_id;
        let details = match r.details.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(short_text(d, DETAILS_MAX).map_err(|m| CommentError::invalid("details", m))?),
        };
        let author = self.reportable_author(org_id, r.item).await?;
        if author == Some(me) {
            return Err(AuthzError::Forbidden.into());
        }
        let now = self.clock.now();
        let report = Report {
            id: Uuid::now_v7(),
            org_id,
            item: r.item,
            reporter_id: me,
            reason: r.reason,
            details,
            status: ReportStatus::Open,
            created_at: now,
        };
        // The report, its count and the hold are one unit: the count is taken under the item's
        // row lock, so among concurrent reports exactly one sees the threshold reached.
        let tx = self.store.begin().await?;
        tx.add_report(&report).await.map_err(|e| match e {
            RepoError::Conflict { .. } => CommentError::AlreadyReported,
            other => other.into(),
        })?;
        let count = tx.count_report(org_id, r.item, now).await?;
        let threshold = tx.moderation_settings(org_id).await?.report_threshold;
        if count >= threshold {
            hold(&*tx, org_id, r.item, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The author of a reportable item, if it exists and is shown to everyone.
    async fn reportable_author(&self, org_id: OrgId, item: ItemRef) -> Result<Option<UserId>, CommentError> {
        let s = &self.store;
        let not_found = || CommentError::ItemNotFound(item.kind.as_str());
        match item.kind {
            ItemKind::Comment => {
                let c = s.comment(org_id, item.id.into()).await?.ok_or_else(not_found)?;
                if !matches!(c.state, CommentState::Visible | CommentState::UnderReview) {
                    return Err(not_found());
                }
                Ok(c.author_id)
            }
            ItemKind::BudgetProposal => {
                let b = s.proposal_budget(org_id, item.id.into()).await?.ok_or_else(not_found)?;
                Ok(s.proposal(b, item.id.into()).await?.ok_or_else(not_found)?.author_id)
            }
            ItemKind::Opinion => {
                let cid = s.opinion_consultation(org_id, item.id).await?.ok_or_else(not_found)?;
                let c = s.consultation(org_id, cid).await?.ok_or_else(not_found)?;
                let o = s.opinion(cid, item.id).await?.ok_or_else(not_found)?;
                if !c.opinions_public || o.hidden {
                    return Err(not_found());
                }
                Ok(match o.author {
                    crate::consultations::Author::User { id, .. } => Some(id),
                    crate::consultations::Author::Anonymous { .. } => None,
                })
            }
        }
    }
}

/// Holds an item back until a moderator decides: a visible comment goes under review, an opinion
/// is hidden. Budget proposals cannot be hidden yet: they stay up, listed in the queue.
pub(crate) async fn hold(
    repo: &dyn Repos,
    org_id: OrgId,
    item: ItemRef,
    now: DateTime<Utc>,
) -> Result<(), CommentError> {
    match item.kind {
        ItemKind::Comment => {
            if let Some(mut c) = repo.comment(org_id, item.id.into()).await?
                && c.state == CommentState::Visible
            {
                c.state = CommentState::UnderReview;
                c.updated_at = Version::next_after(c.updated_at, now);
                repo.update_comment(&c).await?;
            }
        }
        ItemKind::Opinion => {
            if let Some(cid) = repo.opinion_consultation(org_id, item.id).await?
                && let Some(mut o) = repo.opinion(cid, item.id).await?
                && !o.hidden
            {
                o.hidden = true;
                repo.update_opinion(&o).await?;
            }
        }
        ItemKind::BudgetProposal => {}
    }
    Ok(())
}
