//! Proposals: residents submit and edit their own during the proposals phase, staff review them,
//! residents support them; the winners' construction is reported in the shared history.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::audit::Audit;
use crate::ids::{BudgetId, ProposalId, UserId};

use super::{BudgetError, BudgetService, ProposalCan, invalid, stale, text, wrong_phase};
use crate::auth::{Action, Caller};
use crate::budget::process::{
    Budget, Phase, Proposal, ProposalExtras, ProposalFilter, ProposalKey, ProposalOrder, Review, Works,
};
use crate::comments::TargetKind;
use crate::history::{EntryKind, Evidence, HistoryEntry, SubjectKind, UpdateError, check_update};
use crate::i18n::LocalizedText;
use crate::notifications::{DomainEvent, Follow, Followable, kind as note, publish};
use crate::org::Organisation;
use crate::repo::{Page, PageRequest};
use crate::search::{Kind, list_matches};

/// A proposal as the caller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalView {
    pub proposal: Proposal,
    /// The process's currency.
    pub currency: String,
    /// Whether it is (or will be) on the ballot.
    pub on_ballot: bool,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// Whether the caller supported it.
    pub supported: bool,
    pub can: ProposalCan,
    /// Visible comments on it.
    pub comment_count: u64,
    /// A moderator hid its texts, for this public reason.
    pub hidden_reason: Option<String>,
}

/// A proposal a moderator hid: residents see its title and the reason, not its description,
/// location or images; staff see everything, with the reason.
fn hide(mut v: ProposalView, reason: Option<String>, staff: bool) -> ProposalView {
    if reason.is_some() && !staff {
        v.proposal.description = LocalizedText::default();
        v.proposal.location = None;
        v.proposal.images.clear();
    }
    v.hidden_reason = reason;
    v
}

/// The order of the proposal list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalSort {
    Cost,
    Supports,
    CreatedAt,
    /// By visible comments.
    MostCommented,
}

/// Filters and order of the proposal list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalQuery {
    pub filter: ProposalFilter,
    /// Only those on the ballot (or only those not on it).
    pub on_ballot: Option<bool>,
    /// `cost`, `supports`, `created_at` (default), `most_commented` (most first), `-` first for
    /// descending.
    pub sort: Option<String>,
    /// Full-text `?q=`: only proposals the search index matches.
    pub text: Option<String>,
}

/// A new proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub category: Option<String>,
    pub district: Option<String>,
    pub location: Option<String>,
    pub estimated_cost: i64,
    pub images: Vec<String>,
}

/// The author's changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalChanges {
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub category: Option<String>,
    pub district: Option<String>,
    pub location: Option<String>,
    pub estimated_cost: Option<i64>,
    pub images: Option<Vec<String>>,
}

/// The feasibility review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    pub feasible: bool,
    /// Required when unfeasible.
    pub reason: Option<String>,
    /// Defaults to the estimate.
    pub validated_cost: Option<i64>,
}

/// A progress report on a winner under construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressReport {
    pub text: LocalizedText,
    pub photos: Vec<String>,
    /// The total spent so far, in minor units.
    pub amount_spent: Option<i64>,
    /// A new state of the works, recorded as a status change.
    pub works: Option<Works>,
    /// Defaults to today in the organisation's time zone.
    pub occurred_on: Option<NaiveDate>,
}

fn parse_sort(sort: Option<&str>) -> Result<(ProposalSort, bool), BudgetError> {
    let sort = sort.unwrap_or("created_at");
    let (desc, key) = sort.strip_prefix('-').map_or((false, sort), |k| (true, k));
    let key = match key {
        "cost" => ProposalSort::Cost,
        "supports" => ProposalSort::Supports,
        "created_at" => ProposalSort::CreatedAt,
        "most_commented" => ProposalSort::MostCommented,
        _ => {
            return Err(invalid("sort", "must be cost, supports, created_at or most_commented, with - for descending"));
        }
    };
    Ok((key, desc))
}

fn check_place(b: &Budget, category: Option<&String>, district: Option<&String>) -> Result<(), BudgetError> {
    if let Some(c) = category
        && !b.categories.iter().any(|x| &x.key == c)
    {
        return Err(invalid("category", "is not a category of this process"));
    }
    if let Some(d) = district
        && !b.districts.iter().any(|x| &x.key == d)
    {
        return Err(invalid("district", "is not a district of this process"));
    }
    if district.is_none() && !b.districts.is_empty() {
        return Err(invalid("district", "is required: this process has districts"));
    }
    Ok(())
}

impl BudgetService {
    fn proposal_view(&self, caller: &Caller, b: &Budget, p: Proposal, supported: bool) -> ProposalView {
        let me = caller.user_id();
        ProposalView {
            comment_count: 0,
            hidden_reason: None,
            can: self.proposal_can(caller, b, &p, supported),
            currency: b.currency.clone(),
            on_ballot: b.is_on_ballot(&p),
            mine: me.is_some() && p.author_id == me,
            supported,
            proposal: p,
        }
    }

    async fn full_view(&self, caller: &Caller, b: &Budget, p: Proposal) -> Result<ProposalView, BudgetError> {
        // The comment count, the moderator's reason and the reader's support in one statement.
        let e = self
            .store
            .proposals_in(b.id, &[p.id], caller.user_id())
            .await?
            .into_iter()
            .next()
            .map(|(_, e)| e)
            .unwrap_or_default();
        Ok(self.extended_view(caller, b, p, e))
    }

    /// The view of a proposal read with its extras.
    fn extended_view(&self, caller: &Caller, b: &Budget, p: Proposal, e: ProposalExtras) -> ProposalView {
        let mut v = self.proposal_view(caller, b, p, e.supported);
        v.comment_count = e.comments;
        hide(v, e.hidden_reason, caller.is_staff_of(b.org_id))
    }

    /// A process's proposals, filtered and sorted. Public.
    ///
    /// # Errors
    /// Not found; an unknown sort.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn proposals(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        q: ProposalQuery,
        page: PageRequest,
    ) -> Result<Page<ProposalView>, BudgetError> {
        let b = self.load(org, id).await?;
        let (key, desc) = parse_sort(q.sort.as_deref())?;
        let matches =
            list_matches(self.store.as_ref(), org.id, Kind::Proposal, q.text.as_deref(), |m| invalid("q", m)).await?;
        let order = match key {
            ProposalSort::Cost => Some(ProposalOrder::Cost),
            ProposalSort::Supports => Some(ProposalOrder::Supports),
            ProposalSort::CreatedAt => Some(ProposalOrder::Id),
            ProposalSort::MostCommented => None,
        };
        // The page's comment counts, moderators' reasons and the reader's supports ride beside its
        // rows.
        let reader = caller.user_id().filter(|_| b.supports_threshold.is_some());
        let page = match (order, matches) {
            // Filtered, ordered and paged by the database.
            (Some(order), None) => {
                let standing = q.on_ballot.map(|on| b.ballot_standing(on));
                self.store.proposals_page(b.id, &q.filter, standing, order, desc, page, reader).await?
            }
            // A text search's matches, or an order by comments: on light keys, in memory.
            (_, matches) => self.keyed_page(&b, &q, matches, key, desc, page, reader).await?,
        };
        Ok(page.map(|(p, e)| self.extended_view(caller, &b, p, e)))
    }

    /// A page of the proposals list filtered, sorted and paged on light keys, with only the page's
    /// proposals read whole: for a text search's matches, and for the order by comments.
    #[allow(clippy::too_many_arguments)]
    async fn keyed_page(
        &self,
        b: &Budget,
        q: &ProposalQuery,
        matches: Option<std::collections::HashSet<Uuid>>,
        key: ProposalSort,
        desc: bool,
        page: PageRequest,
        reader: Option<UserId>,
    ) -> Result<Page<(Proposal, ProposalExtras)>, BudgetError> {
        let mut keys = self.store.proposal_keys(b.id, &q.filter).await?;
        if let Some(ids) = matches {
            keys.retain(|k| ids.contains(&k.id.into()));
        }
        if let Some(want) = q.on_ballot {
            keys.retain(|k| b.puts_on_ballot(k.review, k.supports) == want);
        }
        // Sorting by comments needs every proposal's count: one query for the whole list.
        let all_counts = if key == ProposalSort::MostCommented {
            let ids: Vec<Uuid> = keys.iter().map(|k| k.id.into()).collect();
            Some(self.store.comment_counts(TargetKind::BudgetProposal, &ids).await?)
        } else {
            None
        };
        let count_of = |k: &ProposalKey| all_counts.as_ref().and_then(|c| c.get(&k.id.into()).copied()).unwrap_or(0);
        match key {
            ProposalSort::Cost => keys.sort_by_key(|k| (k.cost, k.id)),
            ProposalSort::Supports => keys.sort_by_key(|k| (k.supports, k.id)),
            ProposalSort::CreatedAt => keys.sort_by_key(|k| k.id),
            // Most first; ties oldest first.
            ProposalSort::MostCommented => keys.sort_by_key(|k| (std::cmp::Reverse(count_of(k)), k.id)),
        }
        if desc {
            keys.reverse();
        }
        let page = Page::of_list(keys, page, |k| k.id);
        let ids: Vec<ProposalId> = page.items.iter().map(|k| k.id).collect();
        let mut whole: HashMap<ProposalId, (Proposal, ProposalExtras)> =
            self.store.proposals_in(b.id, &ids, reader).await?.into_iter().map(|(p, e)| (p.id, (p, e))).collect();
        // A proposal deleted between the two reads is left out of the page.
        Ok(Page {
            items: ids.iter().filter_map(|id| whole.remove(id)).collect(),
            next_after: page.next_after,
            total: page.total,
        })
    }

    /// One proposal. Public.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, proposal = %pid))]
    pub async fn proposal(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        pid: ProposalId,
    ) -> Result<ProposalView, BudgetError> {
        // The process, the proposal and its extras in one statement.
        let (b, read) = self
            .store
            .proposal_read(org.id, id, pid, caller.user_id())
            .await?
            .ok_or(BudgetError::NotFound("budget"))?;
        let (p, e) = read.ok_or(BudgetError::NotFound("proposal"))?;
        Ok(self.extended_view(caller, &b, p, e))
    }

    /// Submits a proposal: any signed-in resident, during the proposals phase.
    ///
    /// # Errors
    /// Unauthenticated, not found, invalid fields, wrong phase.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn propose(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        r: NewProposal,
    ) -> Result<ProposalView, BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let b = self.load(org, id).await?;
        check_place(&b, r.category.as_ref(), r.district.as_ref())?;
        if b.phase != Phase::Proposals {
            return Err(wrong_phase(&b, "Submitting a proposal"));
        }
        let now = self.now();
        let pid = ProposalId::new_v7();
        let p = Proposal {
            id: pid,
            budget_id: b.id,
            org_id: org.id,
            author_id: Some(user),
            code: pid.to_string(),
            title: text("title", r.title, org, 300)?,
            description: text("description", r.description, org, 20_000)?,
            category: r.category,
            district: r.district,
            location: r.location,
            estimated_cost: r.estimated_cost,
            images: r.images,
            review: Review::Submitted,
            review_reason: None,
            validated_cost: None,
            supports: 0,
            works: None,
            amount_spent: None,
            pabulib_extra: None,
            created_at: now,
            updated_at: now,
        };
        // The author follows their proposal (to hear of its review), in one unit of work with it.
        let tx = self.store.begin().await?;
        tx.create_proposal(&p).await?;
        tx.follow(&Follow {
            user_id: user,
            org_id: org.id,
            target: Followable::Proposal,
            target_id: p.id.into(),
            created_at: now,
        })
        .await?;
        tx.commit().await?;
        self.full_view(caller, &b, p).await
    }

    /// The author edits their proposal, until review starts.
    ///
    /// # Errors
    /// Unauthenticated, not the author, not found, wrong phase, stale, invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, proposal = %pid))]
    pub async fn edit_proposal(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        pid: ProposalId,
        expected: Option<DateTime<Utc>>,
        r: ProposalChanges,
    ) -> Result<ProposalView, BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let b = self.load(org, id).await?;
        let mut p = self.load_proposal(&b, pid).await?;
        if p.author_id != Some(user) {
            return Err(BudgetError::NotAuthor);
        }
        if b.phase != Phase::Proposals {
            return Err(wrong_phase(&b, "Editing a proposal"));
        }
        crate::version::Version::check(expected, p.updated_at)?;
        let previous = p.updated_at;
        if let Some(t) = r.title {
            p.title = text("title", t, org, 300)?;
        }
        if let Some(t) = r.description {
            p.description = text("description", t, org, 20_000)?;
        }
        if r.category.is_some() {
            p.category = r.category;
        }
        if r.district.is_some() {
            p.district = r.district;
        }
        if r.location.is_some() {
            p.location = r.location;
        }
        if let Some(c) = r.estimated_cost {
            p.estimated_cost = c;
        }
        if let Some(i) = r.images {
            p.images = i;
        }
        check_place(&b, p.category.as_ref(), p.district.as_ref())?;
        p.updated_at = self.version_after(previous);
        self.store.update_proposal(&p, previous).await.map_err(stale)?;
        self.full_view(caller, &b, p).await
    }

    /// Records a proposal's feasibility review, during the review phase. Admins and officials.
    ///
    /// # Errors
    /// Forbidden, not found, no reason for an unfeasible one, wrong phase, stale.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, proposal = %pid))]
    pub async fn review(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        pid: ProposalId,
        r: ReviewInput,
    ) -> Result<ProposalView, BudgetError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let b = self.load(org, id).await?;
        let mut p = self.load_proposal(&b, pid).await?;
        if !r.feasible && r.reason.is_none() {
            return Err(invalid("reason", "is required for an unfeasible proposal"));
        }
        if b.phase != Phase::Review {
            return Err(wrong_phase(&b, "Reviewing a proposal"));
        }
        let previous = p.updated_at;
        let proposal_before = p.clone();
        p.review = if r.feasible { Review::Feasible } else { Review::Unfeasible };
        p.review_reason = r.reason;
        p.validated_cost = if r.feasible { Some(r.validated_cost.unwrap_or(p.estimated_cost)) } else { None };
        p.updated_at = self.version_after(previous);
        // The review and the notices to the author and the followers are one unit of work.
        let tx = self.store.begin().await?;
        tx.update_proposal(&p, previous).await.map_err(stale)?;
        // The log names the proposal, never its author.
        Audit::new(org.id, actor, "proposal.reviewed", ("budget_proposal", p.id), p.updated_at)
            .updated(&proposal_before, &p)
            .context("budget_id", b.id)
            .record(&*tx)
            .await?;
        let payload = serde_json::json!({
            "budget_id": b.id, "proposal_id": p.id, "title": p.title, "feasible": r.feasible, "reason": p.review_reason,
        });
        let event = DomainEvent::new(note::PROPOSAL_REVIEWED, org.id, Followable::Proposal, p.id, payload)
            .by(Some(actor))
            .also(p.author_id);
        publish(&*tx, &event, p.updated_at).await?;
        tx.commit().await?;
        self.full_view(caller, &b, p).await
    }

    /// Supports a feasible proposal during the supports phase, once per resident. The support
    /// and the proposal's count are written together (one repository transaction).
    ///
    /// # Errors
    /// Unauthenticated, not found, wrong phase, not feasible, already supported.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, proposal = %pid))]
    pub async fn support(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        pid: ProposalId,
    ) -> Result<ProposalView, BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let b = self.load(org, id).await?;
        let p = self.load_proposal(&b, pid).await?;
        if b.phase != Phase::Supports {
            return Err(wrong_phase(&b, "Supporting a proposal"));
        }
        if b.requires_verified {
            caller.authorize(org.id, Action::ParticipateVerified).map_err(|_| BudgetError::NotVerified)?;
        }
        if p.review != Review::Feasible {
            return Err(BudgetError::NotFeasible);
        }
        if !self.store.support(p.id, user, self.clock.now()).await? {
            return Err(BudgetError::AlreadySupported);
        }
        let p = self.load_proposal(&b, pid).await?;
        self.full_view(caller, &b, p).await
    }

    /// A project's implementation history, oldest first. Public.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, proposal = %pid))]
    pub async fn project_history(
        &self,
        _caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        pid: ProposalId,
        page: PageRequest,
    ) -> Result<Page<HistoryEntry>, BudgetError> {
        let b = self.load(org, id).await?;
        let p = self.load_proposal(&b, pid).await?;
        Ok(self.store.history(p.id.into(), page).await?)
    }

    /// Reports progress on a winning project: the proposal's works and spending, a status change
    /// when the works' state changes, and the update — in one unit of work. Admins and officials.
    ///
    /// # Errors
    /// Forbidden, not found, not a winner, invalid fields, stale.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, proposal = %pid))]
    pub async fn report_progress(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        pid: ProposalId,
        r: ProgressReport,
    ) -> Result<ProposalView, BudgetError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let b = self.load(org, id).await?;
        let mut p = self.load_proposal(&b, pid).await?;
        let Some(before) = p.works else {
            return Err(BudgetError::NotAWinner);
        };
        let today = self.today(org);
        let occurred_on = r.occurred_on.unwrap_or(today);
        let evidence: Vec<Evidence> = r.photos.into_iter().map(|url| Evidence { url, title: None }).collect();
        check_update(&evidence, r.amount_spent, occurred_on, today).map_err(|e| {
            let field = match e {
                UpdateError::FutureDate => "occurred_on",
                UpdateError::NegativeAmount => "amount_spent",
                _ => "photos",
            };
            invalid(field, e.to_string())
        })?;
        let text = text("text", r.text, org, 20_000)?;
        let now = self.now();
        let previous = p.updated_at;
        let proposal_before = p.clone();
        if let Some(a) = r.amount_spent {
            p.amount_spent = Some(a);
        }
        let after = r.works.unwrap_or(before);
        p.works = Some(after);
        p.updated_at = self.version_after(previous);
        let entry = |entry| HistoryEntry {
            id: Uuid::now_v7(),
            org_id: org.id,
            subject: SubjectKind::BudgetProject,
            subject_id: p.id.into(),
            parent_id: None,
            entry,
            occurred_on,
            author_id: Some(actor),
            created_at: now,
        };
        let status = (after != before).then(|| {
            entry(EntryKind::StatusChange {
                from: Some(before.as_str().to_owned()),
                to: after.as_str().to_owned(),
                reason: None,
            })
        });
        let update = entry(EntryKind::Update { text, evidence, amount_spent: r.amount_spent });
        let tx = self.store.begin().await?;
        tx.update_proposal(&p, previous).await.map_err(stale)?;
        if let Some(s) = &status {
            tx.append_history(s).await?;
        }
        tx.append_history(&update).await?;
        let action = if after == before { "project.progress_reported" } else { "project.works_changed" };
        Audit::new(org.id, actor, action, ("budget_proposal", p.id), now)
            .updated(&proposal_before, &p)
            .change("progress", serde_json::Value::Null, &update.entry)
            .context("budget_id", b.id)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        self.full_view(caller, &b, p).await
    }
}
