//! The moderation use cases of one organisation, for its moderators (admins and moderators): the
//! queue of reported items, decisions on them (hide with a public reason, restore, dismiss the
//! reports), blocking residents from commenting, and the report threshold. Every act is written
//! to the public audit log in the same unit of work, naming the item or the block — never the
//! resident.

use crate::audit::Audit;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::body::short_text;
use super::{
    Block, CommentError, CommentState, ItemKind, ItemRef, ModerationItem, ModerationSettings, REASON_MAX, ReportReason,
    ReportStatus, TargetKind,
};
use crate::auth::{Action, Caller};
use crate::clock::Clock;
use crate::ids::{OrgId, UserId};
use crate::repo::{Page, PageRequest, Repos, Store};
use crate::version::Version;

/// What a moderator decides about a reported item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Hide it; the thread shows "hidden by a moderator: `reason`" instead.
    Hide { reason: String },
    /// Show it again and close its reports.
    Restore,
    /// Close its reports as unfounded; a hold that rested on them ends.
    Dismiss,
}

/// The order of the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueSort {
    /// The most recently reported first.
    #[default]
    Newest,
    /// The most open reports first.
    MostReported,
}

/// Where a reported item is shown, for the moderator's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedLink {
    pub kind: TargetKind,
    pub id: Uuid,
    /// The process of a proposal, the meeting of an activity, the plan of a commitment.
    pub within: Option<Uuid>,
}

/// What was reported, as moderators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedContent {
    /// The text (a comment's body, an opinion's text, a proposal's title); `None` once deleted.
    pub text: Option<String>,
    /// `visible`, `under_review`, `hidden` or `deleted`.
    pub state: &'static str,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    pub link: Option<ReportedLink>,
}

/// A line of the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub item: ModerationItem,
    /// Open reports per reason.
    pub reasons: BTreeMap<ReportReason, u32>,
    /// The free texts of the open reports, newest first.
    pub details: Vec<String>,
    /// `None` when the item is gone.
    pub content: Option<ReportedContent>,
}

/// A block as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRequest {
    pub user_id: UserId,
    pub until: DateTime<Utc>,
    pub reason: String,
}

/// The moderation use cases.
pub struct ModerationService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl ModerationService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ModerationService { store, clock }
    }

    /// A page of the reported items with open reports, with their counts and reasons.
    ///
    /// # Errors
    /// Forbidden unless admin or moderator.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn queue(
        &self,
        caller: &Caller,
        org_id: OrgId,
        sort: QueueSort,
        page: PageRequest,
    ) -> Result<Page<QueueEntry>, CommentError> {
        caller.authorize(org_id, Action::Moderate)?;
        let mut items = self.store.moderation_items(org_id).await?;
        match sort {
            QueueSort::Newest => items.sort_by_key(|i| std::cmp::Reverse(i.last_reported_at)),
            QueueSort::MostReported => items
                .sort_by(|a, b| b.open_reports.cmp(&a.open_reports).then(b.last_reported_at.cmp(&a.last_reported_at))),
        }
        let page = Page::of_list(items, page, |i| i.item.id);
        let refs: Vec<ItemRef> = page.items.iter().map(|i| i.item).collect();
        let reports = self.store.open_reports(org_id, &refs).await?;
        let comment_ids: Vec<Uuid> = refs.iter().filter(|r| r.kind == ItemKind::Comment).map(|r| r.id).collect();
        let comments = self.store.comments_by_ids(org_id, &comment_ids).await?;
        let mut out = Vec::with_capacity(page.items.len());
        for item in page.items {
            let mut reasons = BTreeMap::new();
            let mut details = Vec::new();
            for r in reports.iter().rev().filter(|r| r.item == item.item) {
                *reasons.entry(r.reason).or_insert(0) += 1;
                details.extend(r.details.clone());
            }
            let content = match item.item.kind {
                ItemKind::Comment => match comments.iter().find(|c| Uuid::from(c.id) == item.item.id) {
                    Some(c) => Some(ReportedContent {
                        text: c.body.clone(),
                        state: c.state.as_str(),
                        author_id: c.author_id,
                        author_name: Some(c.author_name.clone()),
                        link: Some(self.link(org_id, c.target.kind, c.target.id).await?),
                    }),
                    None => None,
                },
                ItemKind::BudgetProposal => self.proposal_content(org_id, item.item.id).await?,
                ItemKind::Opinion => self.opinion_content(org_id, item.item.id).await?,
            };
            out.push(QueueEntry { item, reasons, details, content });
        }
        Ok(Page { items: out, next_after: page.next_after, total: page.total })
    }

    async fn link(&self, org_id: OrgId, kind: TargetKind, id: Uuid) -> Result<ReportedLink, CommentError> {
        let within = match kind {
            TargetKind::BudgetProposal => self.store.proposal_budget(org_id, id.into()).await?.map(Uuid::from),
            TargetKind::MeetingActivity => self.store.activity_meeting(org_id, id).await?.map(Uuid::from),
            TargetKind::Commitment => self.store.commitment(org_id, id.into()).await?.map(|c| c.action_plan_id.into()),
            TargetKind::Meeting | TargetKind::Consultation | TargetKind::Report => None,
        };
        Ok(ReportedLink { kind, id, within })
    }

    async fn proposal_content(&self, org_id: OrgId, id: Uuid) -> Result<Option<ReportedContent>, CommentError> {
        let Some(b) = self.store.proposal_budget(org_id, id.into()).await? else { return Ok(None) };
        let Some(p) = self.store.proposal(b, id.into()).await? else { return Ok(None) };
        let author_name = match p.author_id {
            Some(a) => self.store.user_by_id(a).await?.map(|u| u.display_name),
            None => None,
        };
        let title = p.title.locales().first().and_then(|l| p.title.get(*l)).map(str::to_owned);
        let hidden = self.store.hidden_reasons(ItemKind::BudgetProposal, &[id]).await?.contains_key(&id);
        Ok(Some(ReportedContent {
            text: title,
            state: if hidden { "hidden" } else { "visible" },
            author_id: p.author_id,
            author_name,
            link: Some(ReportedLink { kind: TargetKind::BudgetProposal, id, within: Some(b.into()) }),
        }))
    }

    async fn opinion_content(&self, org_id: OrgId, id: Uuid) -> Result<Option<ReportedContent>, CommentError> {
        let Some(cid) = self.store.opinion_consultation(org_id, id).await? else { return Ok(None) };
        let Some(o) = self.store.opinion(cid, id).await? else { return Ok(None) };
        let (author_id, author_name) = match o.author {
            crate::consultations::Author::User { id, display_name } => (Some(id), Some(display_name)),
            crate::consultations::Author::Anonymous { .. } => (None, None),
        };
        Ok(Some(ReportedContent {
            text: Some(o.text),
            state: if o.hidden { "hidden" } else { "visible" },
            author_id,
            author_name,
            link: Some(ReportedLink { kind: TargetKind::Consultation, id: cid.into(), within: None }),
        }))
    }

    /// Decides on a reported (or any) item: hide it with a public reason, restore it, or dismiss
    /// its reports. A hidden budget proposal keeps its title and its place in the process; its
    /// description, location and images are withheld from residents.
    ///
    /// # Errors
    /// Forbidden unless admin or moderator; the item not found; an invalid reason.
    #[tracing::instrument(skip_all, fields(org = %org_id, kind = item.kind.as_str(), item = %item.id))]
    pub async fn decide(
        &self,
        caller: &Caller,
        org_id: OrgId,
        item: ItemRef,
        decision: Decision,
    ) -> Result<(), CommentError> {
        let actor = caller.authorize(org_id, Action::Moderate)?.user_id;
        let decision = match decision {
            Decision::Hide { reason } => Decision::Hide {
                reason: short_text(&reason, REASON_MAX).map_err(|m| CommentError::invalid("reason", m))?,
            },
            other => other,
        };
        let now = self.clock.now();
        let threshold = self.store.moderation_settings(org_id).await?.report_threshold;
        let tx = self.store.begin().await?;
        let held = tx
            .moderation_items(org_id)
            .await?
            .into_iter()
            .find(|m| m.item == item)
            .is_some_and(|m| m.open_reports >= threshold);
        apply(&*tx, org_id, item, &decision, held, now).await?;
        let (status, action, details) = match &decision {
            Decision::Hide { reason } => {
                (ReportStatus::Upheld, "moderation.hidden", serde_json::json!({ "reason": reason }))
            }
            Decision::Restore => (ReportStatus::Dismissed, "moderation.restored", serde_json::json!({})),
            Decision::Dismiss => (ReportStatus::Dismissed, "moderation.reports_dismissed", serde_json::json!({})),
        };
        tx.close_reports(org_id, item, status, now).await?;
        Audit::new(org_id, actor, action, (item.kind.as_str(), item.id), now).extra(details).record(&*tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a resident from commenting in the organisation until a date.
    ///
    /// # Errors
    /// Forbidden unless admin or moderator; an unknown user, a date not in the future or an
    /// invalid reason (422).
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn block(&self, caller: &Caller, org_id: OrgId, r: BlockRequest) -> Result<Block, CommentError> {
        let actor = caller.authorize(org_id, Action::Moderate)?.user_id;
        let reason = short_text(&r.reason, REASON_MAX).map_err(|m| CommentError::invalid("reason", m))?;
        let now = self.clock.now();
        if r.until <= now {
            return Err(CommentError::invalid("until", "must be in the future"));
        }
        let user =
            self.store.user_by_id(r.user_id).await?.ok_or_else(|| CommentError::invalid("user_id", "no such user"))?;
        let b = Block {
            id: Uuid::now_v7(),
            org_id,
            user_id: user.id,
            user_name: user.display_name,
            until: r.until,
            reason,
            created_at: now,
            lifted_at: None,
        };
        let tx = self.store.begin().await?;
        tx.add_block(&b).await?;
        // The log names the block, not the resident, and leaves the reason to the staff's list.
        let details = serde_json::json!({ "until": b.until });
        Audit::new(org_id, actor, "moderation.blocked", ("comment_block", b.id), now)
            .extra(details)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    /// The blocks in force, newest first.
    ///
    /// # Errors
    /// Forbidden unless admin or moderator.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn blocks(&self, caller: &Caller, org_id: OrgId) -> Result<Vec<Block>, CommentError> {
        caller.authorize(org_id, Action::Moderate)?;
        Ok(self.store.blocks(org_id, self.clock.now()).await?)
    }

    /// Lifts a block before its date.
    ///
    /// # Errors
    /// Forbidden unless admin or moderator; no such block in force.
    #[tracing::instrument(skip_all, fields(org = %org_id, block = %id))]
    pub async fn unblock(&self, caller: &Caller, org_id: OrgId, id: Uuid) -> Result<(), CommentError> {
        let actor = caller.authorize(org_id, Action::Moderate)?.user_id;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let b = tx.block(org_id, id).await?.ok_or(CommentError::BlockNotFound)?;
        if b.lifted_at.is_some() || b.until <= now || !tx.lift_block(org_id, id, now).await? {
            return Err(CommentError::BlockNotFound);
        }
        Audit::new(org_id, actor, "moderation.unblocked", ("comment_block", id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's moderation settings.
    ///
    /// # Errors
    /// Forbidden unless admin or moderator.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn settings(&self, caller: &Caller, org_id: OrgId) -> Result<ModerationSettings, CommentError> {
        caller.authorize(org_id, Action::Moderate)?;
        Ok(self.store.moderation_settings(org_id).await?)
    }

    /// Sets how many open reports hold an item back (1 to 100).
    ///
    /// # Errors
    /// Forbidden unless the organisation's admin; a threshold out of range (422).
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn put_settings(
        &self,
        caller: &Caller,
        org_id: OrgId,
        s: ModerationSettings,
    ) -> Result<ModerationSettings, CommentError> {
        let actor = caller.authorize(org_id, Action::EditOrganisation)?.user_id;
        if !(1..=100).contains(&s.report_threshold) {
            return Err(CommentError::invalid("report_threshold", "must be between 1 and 100"));
        }
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        tx.put_moderation_settings(org_id, s, now).await?;
        let details = serde_json::json!({ "report_threshold": s.report_threshold });
        Audit::new(org_id, actor, "moderation.settings_updated", ("organisation", org_id), now)
            .extra(details)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(s)
    }
}

/// Carries a decision out on the item itself. `held`: its open reports had reached the threshold.
async fn apply(
    repo: &dyn Repos,
    org_id: OrgId,
    item: ItemRef,
    decision: &Decision,
    held: bool,
    now: DateTime<Utc>,
) -> Result<(), CommentError> {
    let not_found = || CommentError::ItemNotFound(item.kind.as_str());
    match item.kind {
        ItemKind::Comment => {
            let mut c = repo.comment(org_id, item.id.into()).await?.ok_or_else(not_found)?;
            let state = match (decision, &c.state) {
                (_, CommentState::Deleted) => CommentState::Deleted,
                (Decision::Hide { reason }, _) => CommentState::Hidden { reason: reason.clone() },
                (Decision::Restore, _) => CommentState::Visible,
                (Decision::Dismiss, CommentState::UnderReview) => CommentState::Visible,
                (Decision::Dismiss, s) => s.clone(),
            };
            if state != c.state {
                c.state = state;
                c.updated_at = Version::next_after(c.updated_at, now);
                repo.update_comment(&c).await?;
            }
        }
        ItemKind::Opinion => {
            let cid = repo.opinion_consultation(org_id, item.id).await?.ok_or_else(not_found)?;
            let mut o = repo.opinion(cid, item.id).await?.ok_or_else(not_found)?;
            let hidden = match decision {
                Decision::Hide { .. } => true,
                Decision::Restore => false,
                // The hold rested on the reports; a moderator's own hiding stays.
                Decision::Dismiss => o.hidden && !held,
            };
            if hidden != o.hidden {
                o.hidden = hidden;
                repo.update_opinion(&o).await?;
            }
        }
        ItemKind::BudgetProposal => {
            repo.proposal_budget(org_id, item.id.into()).await?.ok_or_else(not_found)?;
            // Its texts are hidden from residents; the proposal stays in its process (review,
            // ballot, results), which a moderator does not decide.
            match decision {
                Decision::Hide { reason } => repo.set_hidden_reason(org_id, item, Some(reason.clone()), now).await?,
                Decision::Restore => repo.set_hidden_reason(org_id, item, None, now).await?,
                Decision::Dismiss => {}
            }
        }
    }
    Ok(())
}
