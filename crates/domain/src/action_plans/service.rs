//! The action-plan use cases: staff write plans, commitments, milestones and progress updates;
//! everyone reads what is public (drafts are staff only); residents volunteer as co-owners. Each
//! use case decides authorization first, and a use case that writes several rows writes them in
//! one unit of work.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::ids::{CommitmentId, OrgId, PlanId, UserId};

use super::records::{ActionPlan, CoOwner, Commitment, CommitmentFilter, Milestone};
use super::rules::{
    self, CoOwnerStatus, CompletionDateError, CompletionLevel, DateSpan, MilestoneStatus, PlanStatus,
    PlanTransitionError,
};
use super::views::{
    CoOwnerView, CommitmentCan, CommitmentChanges, CommitmentQuery, CommitmentView, LevelCounts, MilestoneChanges,
    MilestoneView, NewCommitment, NewMilestone, NewPlan, NewProgress, Overview, OverviewMilestone, PlanCan,
    PlanChanges, PlanView, Volunteer,
};
use crate::audit::Audit;
use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::comments::{TargetKind, count_on};
use crate::history::{EntryKind, HistoryEntry, SubjectKind, UpdateError, check_update};
use crate::i18n::LocalizedText;
use crate::notifications::{DomainEvent, Follow, Followable, kind as note, publish};
use crate::org::Organisation;
use crate::repo::{Page, PageRequest, RepoError, Store};
use crate::version::Version;

mod ogp;
pub use ogp::{CellError, IMPORT_ROWS_MAX, ImportedCommitment, OGP_COLUMNS, OgpImportError};

/// Longest title, in characters.
const TITLE_MAX: usize = 300;
/// Longest long text (description, problem, objective, progress update), in characters.
const TEXT_MAX: usize = 20_000;
/// Longest milestone deliverable, in characters.
const DELIVERABLE_MAX: usize = 5_000;

/// Why an action-plan use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionPlanError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `action plan`, `commitment`, `milestone`, `co-owner`, `co-ownership`.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("changed by someone else since it was read")]
    Stale,
    #[error(transparent)]
    InvalidTransition(#[from] PlanTransitionError),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("you already volunteered for this commitment")]
    AlreadyCoOwner,
    #[error(transparent)]
    Repo(#[from] RepoError),
}

crate::stale_converts!(ActionPlanError);

impl ActionPlanError {
    fn invalid(field: impl Into<String>, message: impl ToString) -> Self {
        ActionPlanError::Invalid { field: field.into(), message: message.to_string() }
    }
}

/// An optimistic update that lost the race is stale, as if `expected` had named the old version.
fn stale(e: RepoError) -> ActionPlanError {
    match e {
        RepoError::Conflict { .. } => ActionPlanError::Stale,
        other => ActionPlanError::Repo(other),
    }
}

fn text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, ActionPlanError> {
    org.check_text(field, t, max).map_err(|e| ActionPlanError::invalid(e.field, e.message))
}

fn optional_text(
    field: &str,
    t: LocalizedText,
    org: &Organisation,
    max: usize,
) -> Result<LocalizedText, ActionPlanError> {
    org.check_optional_text(field, t, max).map_err(|e| ActionPlanError::invalid(e.field, e.message))
}

fn span(start: NaiveDate, end: NaiveDate) -> Result<DateSpan, ActionPlanError> {
    DateSpan::new(start, end).map_err(|e| ActionPlanError::invalid("end_date", e))
}

fn completion_error(e: CompletionDateError) -> ActionPlanError {
    ActionPlanError::invalid("completed_on", e)
}

fn level_of(milestones: &[Milestone]) -> CompletionLevel {
    rules::completion(&milestones.iter().map(|m| m.status).collect::<Vec<_>>()).level
}

/// What the caller may do with a plan in `status`: the same decision as the use cases'.
#[must_use]
pub fn plan_can(caller: &Caller, org_id: OrgId, status: PlanStatus) -> PlanCan {
    if caller.authorize(org_id, Action::WriteContent).is_err() {
        return PlanCan::default();
    }
    let transition = PlanStatus::ALL.iter().copied().filter(|to| rules::plan_transition(status, *to).is_ok()).collect();
    PlanCan { edit: true, transition }
}

/// What the caller may do with a commitment: the same decision as the use cases'.
#[must_use]
pub fn commitment_can(caller: &Caller, org_id: OrgId) -> CommitmentCan {
    let write = caller.authorize(org_id, Action::WriteContent).is_ok();
    CommitmentCan {
        edit: write,
        update_milestones: write,
        report_progress: write,
        co_own: caller.authorize(org_id, Action::Participate).is_ok(),
    }
}

/// A status change of the commitment's completion level, for its public history.
fn level_change(
    c: &Commitment,
    before: CompletionLevel,
    after: CompletionLevel,
    actor: UserId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> HistoryEntry {
    HistoryEntry {
        id: Uuid::now_v7(),
        org_id: c.org_id,
        subject: SubjectKind::Commitment,
        subject_id: c.id.into(),
        parent_id: None,
        entry: EntryKind::StatusChange {
            from: Some(before.as_str().to_owned()),
            to: after.as_str().to_owned(),
            reason: None,
        },
        occurred_on: today,
        author_id: Some(actor),
        created_at: now,
    }
}

/// The action-plan use cases.
pub struct ActionPlanService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl ActionPlanService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ActionPlanService { store, clock }
    }

    /// Today in the organisation's time zone: what "today" means for its dates.
    fn today(&self, org: &Organisation) -> NaiveDate {
        self.clock.now().with_timezone(&org.time_zone.tz()).date_naive()
    }

    fn plan_view(caller: &Caller, plan: ActionPlan) -> PlanView {
        let can = plan_can(caller, plan.org_id, plan.status);
        PlanView { plan, can }
    }

    fn commitment_view(caller: &Caller, c: Commitment, all: &[Milestone], today: NaiveDate) -> CommitmentView {
        let mine: Vec<&Milestone> = all.iter().filter(|m| m.commitment_id == c.id).collect();
        let completion = rules::completion(&mine.iter().map(|m| m.status).collect::<Vec<_>>());
        let milestones = mine
            .into_iter()
            .map(|m| MilestoneView {
                milestone: m.clone(),
                due_soon: rules::due_soon(m.status, m.dates.end(), today),
                overdue: rules::overdue(m.status, m.dates.end(), today),
            })
            .collect();
        let can = commitment_can(caller, c.org_id);
        CommitmentView { commitment: c, milestones, completion, can, comment_count: 0 }
    }

    async fn view_of(
        &self,
        caller: &Caller,
        org: &Organisation,
        c: Commitment,
    ) -> Result<CommitmentView, ActionPlanError> {
        let ms = self.store.milestones(&[c.id]).await?;
        let n = count_on(self.store.as_ref(), TargetKind::Commitment, c.id.into()).await?;
        let mut v = Self::commitment_view(caller, c, &ms, self.today(org));
        v.comment_count = n;
        Ok(v)
    }

    /// The plan if the caller may see it: drafts are staff only, and not found to anyone else.
    async fn visible_plan(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: PlanId,
    ) -> Result<ActionPlan, ActionPlanError> {
        let p = self.store.plan(org.id, id).await?.ok_or(ActionPlanError::NotFound("action plan"))?;
        if p.status.is_public() || caller.is_staff_of(org.id) {
            Ok(p)
        } else {
            Err(ActionPlanError::NotFound("action plan"))
        }
    }

    /// The commitment if the caller may see its plan.
    async fn visible_commitment(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
    ) -> Result<Commitment, ActionPlanError> {
        let c = self.store.commitment(org.id, id).await?.ok_or(ActionPlanError::NotFound("commitment"))?;
        self.visible_plan(caller, org, c.action_plan_id).await.map_err(|e| match e {
            ActionPlanError::NotFound(_) => ActionPlanError::NotFound("commitment"),
            other => other,
        })?;
        Ok(c)
    }

    async fn commitment_of(&self, org: &Organisation, id: CommitmentId) -> Result<Commitment, ActionPlanError> {
        self.store.commitment(org.id, id).await?.ok_or(ActionPlanError::NotFound("commitment"))
    }

    /// The organisation's plans the caller may see, newest first.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn plans(
        &self,
        caller: &Caller,
        org: &Organisation,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<PlanView>, ActionPlanError> {
        let matches =
            crate::search::list_matches(self.store.as_ref(), org.id, crate::search::Kind::ActionPlan, text, |m| {
                ActionPlanError::invalid("q", m)
            })
            .await?;
        let mut plans = self.store.plans(org.id, caller.is_staff_of(org.id)).await?;
        if let Some(ids) = matches {
            plans.retain(|p| ids.contains(&p.id.into()));
        }
        Ok(Page::of_list(plans, page, |p| p.id).map(|p| Self::plan_view(caller, p)))
    }

    /// Creates a plan as a draft.
    ///
    /// # Errors
    /// Unauthenticated or forbidden unless admin or official; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create_plan(
        &self,
        caller: &Caller,
        org: &Organisation,
        input: NewPlan,
    ) -> Result<PlanView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let now = self.clock.now();
        let p = ActionPlan {
            id: PlanId::new_v7(),
            org_id: org.id,
            title: text("title", input.title, org, TITLE_MAX)?,
            description: optional_text("description", input.description, org, TEXT_MAX)?,
            period: span(input.start_date, input.end_date)?,
            status: PlanStatus::Draft,
            documents: input.documents,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_plan(&p).await?;
        Audit::new(org.id, actor, "action_plan.created", ("action_plan", p.id), now).created(&p).record(&*tx).await?;
        tx.commit().await?;
        Ok(Self::plan_view(caller, p))
    }

    /// A plan the caller may see.
    ///
    /// # Errors
    /// Not found (also for a draft the caller may not see).
    #[tracing::instrument(skip_all, fields(org = %org.id, plan = %id))]
    pub async fn plan(&self, caller: &Caller, org: &Organisation, id: PlanId) -> Result<PlanView, ActionPlanError> {
        let p = self.visible_plan(caller, org, id).await?;
        Ok(Self::plan_view(caller, p))
    }

    /// Applies `changes` if the plan is still at version `expected` (when given).
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, plan = %id))]
    pub async fn update_plan(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: PlanId,
        expected: Option<DateTime<Utc>>,
        changes: PlanChanges,
    ) -> Result<PlanView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut p = self.store.plan(org.id, id).await?.ok_or(ActionPlanError::NotFound("action plan"))?;
        Version::check(expected, p.updated_at)?;
        let previous = p.updated_at;
        let before = p.clone();
        if let Some(t) = changes.title {
            p.title = text("title", t, org, TITLE_MAX)?;
        }
        if let Some(t) = changes.description {
            p.description = optional_text("description", t, org, TEXT_MAX)?;
        }
        if changes.start_date.is_some() || changes.end_date.is_some() {
            p.period =
                span(changes.start_date.unwrap_or(p.period.start()), changes.end_date.unwrap_or(p.period.end()))?;
        }
        if let Some(d) = changes.documents {
            p.documents = d;
        }
        let now = self.clock.now();
        p.updated_at = Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        tx.update_plan(&p, previous).await.map_err(stale)?;
        Audit::new(org.id, actor, "action_plan.updated", ("action_plan", p.id), now)
            .updated(&before, &p)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(Self::plan_view(caller, p))
    }

    /// Moves a plan along its status graph.
    ///
    /// # Errors
    /// Forbidden; not found; a transition not in the graph; stale (another change won the race).
    #[tracing::instrument(skip_all, fields(org = %org.id, plan = %id, to = to.as_str()))]
    pub async fn transition_plan(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: PlanId,
        to: PlanStatus,
    ) -> Result<PlanView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut p = self.store.plan(org.id, id).await?.ok_or(ActionPlanError::NotFound("action plan"))?;
        rules::plan_transition(p.status, to)?;
        let previous = p.updated_at;
        let before = p.clone();
        p.status = to;
        let now = self.clock.now();
        p.updated_at = Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        tx.update_plan(&p, previous).await.map_err(stale)?;
        Audit::new(org.id, actor, "action_plan.status_changed", ("action_plan", p.id), now)
            .updated(&before, &p)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(Self::plan_view(caller, p))
    }

    /// Commitments per completion level, milestones due in the next 30 days, overdue milestones.
    ///
    /// # Errors
    /// Not found (also for a draft the caller may not see).
    #[tracing::instrument(skip_all, fields(org = %org.id, plan = %id))]
    pub async fn overview(&self, caller: &Caller, org: &Organisation, id: PlanId) -> Result<Overview, ActionPlanError> {
        let p = self.visible_plan(caller, org, id).await?;
        let filter = CommitmentFilter { action_plan: Some(p.id), ..Default::default() };
        let cs = self.store.commitments(org.id, &filter).await?;
        let ids: Vec<CommitmentId> = cs.iter().map(|c| c.id).collect();
        let ms = self.store.milestones(&ids).await?;
        let today = self.today(org);
        let mut by_level = LevelCounts::default();
        for c in &cs {
            let statuses: Vec<MilestoneStatus> =
                ms.iter().filter(|m| m.commitment_id == c.id).map(|m| m.status).collect();
            by_level.count(rules::completion(&statuses).level);
        }
        let pick = |f: &dyn Fn(&Milestone) -> bool| -> Vec<OverviewMilestone> {
            let mut v: Vec<OverviewMilestone> = ms
                .iter()
                .filter(|m| f(m))
                .map(|m| OverviewMilestone {
                    commitment_id: m.commitment_id,
                    milestone_id: m.id,
                    title: m.title.clone(),
                    end_date: m.dates.end(),
                    status: m.status,
                })
                .collect();
            v.sort_by_key(|m| m.end_date);
            v
        };
        Ok(Overview {
            commitments: u32::try_from(cs.len()).unwrap_or(u32::MAX),
            by_level,
            due_next_30_days: pick(&|m| rules::due_soon(m.status, m.dates.end(), today)),
            overdue: pick(&|m| rules::overdue(m.status, m.dates.end(), today)),
        })
    }

    /// The commitments the caller may see (those of draft plans: staff only), filtered.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn commitments(
        &self,
        caller: &Caller,
        org: &Organisation,
        query: CommitmentQuery,
        page: PageRequest,
    ) -> Result<Page<CommitmentView>, ActionPlanError> {
        let filter = CommitmentFilter {
            action_plan: query.action_plan,
            ogp_value: query.ogp_value,
            lead: query.lead,
            public_only: !caller.is_staff_of(org.id),
        };
        let matches = crate::search::list_matches(
            self.store.as_ref(),
            org.id,
            crate::search::Kind::Commitment,
            query.text.as_deref(),
            |m| ActionPlanError::invalid("q", m),
        )
        .await?;
        // Each commitment comes with its comment count, and the plans' visibility is a
        // sub-select of the same statement.
        let mut cs = self.store.commitments_counted(org.id, &filter).await?;
        if let Some(ids) = matches {
            cs.retain(|(c, _)| ids.contains(&c.id.into()));
        }
        let today = self.today(org);
        let view = |(c, n): (Commitment, u64), ms: &[Milestone]| {
            let mut v = Self::commitment_view(caller, c, ms, today);
            v.comment_count = n;
            v
        };
        let Some(level) = query.level else {
            // Paged first: only the page's milestones are read.
            let page = Page::of_list(cs, page, |(c, _)| c.id);
            let ms = self.store.milestones(&page.items.iter().map(|(c, _)| c.id).collect::<Vec<_>>()).await?;
            return Ok(page.map(|item| view(item, &ms)));
        };
        // The level is computed from the milestones, never stored, so its filter runs here.
        let ms = self.store.milestones(&cs.iter().map(|(c, _)| c.id).collect::<Vec<_>>()).await?;
        let items: Vec<CommitmentView> =
            cs.into_iter().map(|item| view(item, &ms)).filter(|v| v.completion.level == level).collect();
        Ok(Page::of_list(items, page, |v| v.commitment.id))
    }

    /// Creates a commitment of one of the organisation's plans.
    ///
    /// # Errors
    /// Forbidden; no such plan (invalid `action_plan_id`); invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, plan = %input.action_plan_id))]
    pub async fn create_commitment(
        &self,
        caller: &Caller,
        org: &Organisation,
        input: NewCommitment,
    ) -> Result<CommitmentView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let plan = self
            .store
            .plan(org.id, input.action_plan_id)
            .await?
            .ok_or_else(|| ActionPlanError::invalid("action_plan_id", "no such action plan"))?;
        let now = self.clock.now();
        let c = Commitment {
            id: CommitmentId::new_v7(),
            org_id: org.id,
            action_plan_id: plan.id,
            title: text("title", input.title, org, TITLE_MAX)?,
            lead: input.lead,
            supporting_actors: input.supporting_actors,
            problem: optional_text("problem", input.problem, org, TEXT_MAX)?,
            status_quo: optional_text("status_quo", input.status_quo, org, TEXT_MAX)?,
            objective: optional_text("objective", input.objective, org, TEXT_MAX)?,
            ogp_values: input.ogp_values,
            theme: input.theme,
            budget: input.budget,
            irm: input.irm,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_commitment(&c).await?;
        Audit::new(org.id, actor, "commitment.created", ("commitment", c.id), now).created(&c).record(&*tx).await?;
        tx.commit().await?;
        Ok(Self::commitment_view(caller, c, &[], self.today(org)))
    }

    /// A commitment the caller may see, with its milestones.
    ///
    /// # Errors
    /// Not found (also when its plan is a draft the caller may not see).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn commitment(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
    ) -> Result<CommitmentView, ActionPlanError> {
        // The commitment, its plan's visibility, its comment count and milestones in one statement.
        let (c, n, ms) = self
            .store
            .commitment_detail(org.id, id, !caller.is_staff_of(org.id))
            .await?
            .ok_or(ActionPlanError::NotFound("commitment"))?;
        let mut v = Self::commitment_view(caller, c, &ms, self.today(org));
        v.comment_count = n;
        Ok(v)
    }

    /// Applies `changes` if the commitment is still at version `expected` (when given).
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn update_commitment(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
        expected: Option<DateTime<Utc>>,
        changes: CommitmentChanges,
    ) -> Result<CommitmentView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut c = self.commitment_of(org, id).await?;
        Version::check(expected, c.updated_at)?;
        let previous = c.updated_at;
        let before = c.clone();
        if let Some(t) = changes.title {
            c.title = text("title", t, org, TITLE_MAX)?;
        }
        if let Some(l) = changes.lead {
            c.lead = l;
        }
        if let Some(s) = changes.supporting_actors {
            c.supporting_actors = s;
        }
        if let Some(t) = changes.problem {
            c.problem = optional_text("problem", t, org, TEXT_MAX)?;
        }
        if let Some(t) = changes.status_quo {
            c.status_quo = optional_text("status_quo", t, org, TEXT_MAX)?;
        }
        if let Some(t) = changes.objective {
            c.objective = optional_text("objective", t, org, TEXT_MAX)?;
        }
        if let Some(v) = changes.ogp_values {
            c.ogp_values = v;
        }
        if changes.theme.is_some() {
            c.theme = changes.theme;
        }
        if changes.budget.is_some() {
            c.budget = changes.budget;
        }
        if let Some(i) = changes.irm {
            c.irm = Some(i);
        }
        let now = self.clock.now();
        c.updated_at = Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        tx.update_commitment(&c, previous).await.map_err(stale)?;
        Audit::new(org.id, actor, "commitment.updated", ("commitment", c.id), now)
            .updated(&before, &c)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        self.view_of(caller, org, c).await
    }

    /// Adds a milestone at the end of the commitment's list. In one unit of work: the
    /// commitment's next version is claimed (its version covers its milestones, so two staff
    /// editing the same commitment cannot overwrite each other unseen), the milestone is added,
    /// and a move of the commitment's completion level goes to its public history.
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields (dates, completion date).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %commitment_id))]
    pub async fn add_milestone(
        &self,
        caller: &Caller,
        org: &Organisation,
        commitment_id: CommitmentId,
        expected: Option<DateTime<Utc>>,
        input: NewMilestone,
    ) -> Result<CommitmentView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let today = self.today(org);
        rules::check_completion(input.status, input.completed_on, today).map_err(completion_error)?;
        let title = text("title", input.title, org, TITLE_MAX)?;
        let deliverable = optional_text("deliverable", input.deliverable, org, DELIVERABLE_MAX)?;
        let dates = span(input.start_date, input.end_date)?;

        let tx = self.store.begin().await?;
        let mut c = tx.commitment(org.id, commitment_id).await?.ok_or(ActionPlanError::NotFound("commitment"))?;
        let mut all = tx.milestones(&[c.id]).await?;
        let before = level_of(&all);
        let now = self.clock.now();
        let m = Milestone {
            id: Uuid::now_v7(),
            commitment_id: c.id,
            position: all.iter().map(|m| m.position + 1).max().unwrap_or(0),
            title,
            deliverable,
            dates,
            status: input.status,
            completed_on: input.completed_on,
            created_at: now,
            updated_at: now,
        };
        Version::check(expected, c.updated_at)?;
        let previous = c.updated_at;
        c.updated_at = Version::next_after(previous, now);
        tx.update_commitment(&c, previous).await.map_err(stale)?;
        tx.add_milestone(&m).await?;
        Audit::new(org.id, actor, "milestone.created", ("milestone", m.id), now)
            .created(&m)
            .context("commitment_id", c.id)
            .record(&*tx)
            .await?;
        all.push(m);
        let after = level_of(&all);
        if after != before {
            tx.append_history(&level_change(&c, before, after, actor, today, now)).await?;
        }
        tx.commit().await?;
        let n = count_on(self.store.as_ref(), TargetKind::Commitment, c.id.into()).await?;
        let mut v = Self::commitment_view(caller, c, &all, today);
        v.comment_count = n;
        Ok(v)
    }

    /// Changes a milestone. In one unit of work: the commitment's next version is claimed, the
    /// milestone is written, and a status change goes to the public history with who, when and
    /// why, followed by the commitment's completion level when that moved.
    ///
    /// # Errors
    /// Forbidden; not found (commitment or milestone); stale; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %commitment_id, milestone = %milestone_id))]
    pub async fn update_milestone(
        &self,
        caller: &Caller,
        org: &Organisation,
        commitment_id: CommitmentId,
        milestone_id: Uuid,
        expected: Option<DateTime<Utc>>,
        changes: MilestoneChanges,
    ) -> Result<CommitmentView, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let title = changes.title.map(|t| text("title", t, org, TITLE_MAX)).transpose()?;
        let deliverable =
            changes.deliverable.map(|t| optional_text("deliverable", t, org, DELIVERABLE_MAX)).transpose()?;
        let today = self.today(org);

        let tx = self.store.begin().await?;
        let mut c = tx.commitment(org.id, commitment_id).await?.ok_or(ActionPlanError::NotFound("commitment"))?;
        let mut all = tx.milestones(&[c.id]).await?;
        let level_before = level_of(&all);
        let m = all.iter_mut().find(|m| m.id == milestone_id).ok_or(ActionPlanError::NotFound("milestone"))?;
        let status_before = m.status;
        let milestone_before = m.clone();
        if let Some(t) = title {
            m.title = t;
        }
        if let Some(t) = deliverable {
            m.deliverable = t;
        }
        if changes.start_date.is_some() || changes.end_date.is_some() {
            m.dates = span(changes.start_date.unwrap_or(m.dates.start()), changes.end_date.unwrap_or(m.dates.end()))?;
        }
        if let Some(s) = changes.status {
            m.status = s;
            if s != MilestoneStatus::Done {
                m.completed_on = None;
            }
        }
        if changes.completed_on.is_some() {
            m.completed_on = changes.completed_on;
        }
        rules::check_completion(m.status, m.completed_on, today).map_err(completion_error)?;
        let now = self.clock.now();
        m.updated_at = now;
        let m = m.clone();
        Version::check(expected, c.updated_at)?;
        let previous = c.updated_at;
        c.updated_at = Version::next_after(previous, now);
        tx.update_commitment(&c, previous).await.map_err(stale)?;
        tx.update_milestone(&m).await?;
        let action = if m.status == status_before { "milestone.updated" } else { "milestone.status_changed" };
        Audit::new(org.id, actor, action, ("milestone", m.id), now)
            .updated(&milestone_before, &m)
            .context("commitment_id", c.id)
            .record(&*tx)
            .await?;
        if m.status != status_before {
            tx.append_history(&HistoryEntry {
                id: Uuid::now_v7(),
                org_id: org.id,
                subject: SubjectKind::Milestone,
                subject_id: m.id,
                parent_id: Some(c.id.into()),
                entry: EntryKind::StatusChange {
                    from: Some(status_before.as_str().to_owned()),
                    to: m.status.as_str().to_owned(),
                    reason: changes.reason,
                },
                occurred_on: today,
                author_id: Some(actor),
                created_at: now,
            })
            .await?;
            let level_after = level_of(&all);
            if level_after != level_before {
                tx.append_history(&level_change(&c, level_before, level_after, actor, today, now)).await?;
            }
            let payload = serde_json::json!({
                "commitment_id": c.id, "plan_id": c.action_plan_id, "title": c.title, "milestone": m.title,
                "from": status_before.as_str(), "to": m.status.as_str(),
            });
            let event =
                DomainEvent::new(note::COMMITMENT_STATUS_CHANGED, org.id, Followable::Commitment, c.id, payload)
                    .by(Some(actor));
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        let n = count_on(self.store.as_ref(), TargetKind::Commitment, c.id.into()).await?;
        let mut v = Self::commitment_view(caller, c, &all, today);
        v.comment_count = n;
        Ok(v)
    }

    /// A commitment's public history, oldest first: progress updates and status changes of the
    /// commitment and its milestones.
    ///
    /// # Errors
    /// Not found (also when its plan is a draft the caller may not see).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn history(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
        page: PageRequest,
    ) -> Result<Page<HistoryEntry>, ActionPlanError> {
        let c = self.visible_commitment(caller, org, id).await?;
        Ok(self.store.history(c.id.into(), page).await?)
    }

    /// Posts a dated progress update with evidence to the commitment's history.
    ///
    /// # Errors
    /// Forbidden; not found; invalid fields (evidence, amount, a date in the future, text).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn report_progress(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
        input: NewProgress,
    ) -> Result<HistoryEntry, ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let c = self.commitment_of(org, id).await?;
        let today = self.today(org);
        let occurred_on = input.occurred_on.unwrap_or(today);
        check_update(&input.evidence, input.amount_spent, occurred_on, today).map_err(|e| {
            let field = match e {
                UpdateError::FutureDate => "occurred_on",
                UpdateError::NegativeAmount => "amount_spent",
                UpdateError::BadEvidence | UpdateError::TooMuchEvidence => "evidence",
            };
            ActionPlanError::invalid(field, e)
        })?;
        let entry = HistoryEntry {
            id: Uuid::now_v7(),
            org_id: org.id,
            subject: SubjectKind::Commitment,
            subject_id: c.id.into(),
            parent_id: None,
            entry: EntryKind::Update {
                text: text("text", input.text, org, TEXT_MAX)?,
                evidence: input.evidence,
                amount_spent: input.amount_spent,
            },
            occurred_on,
            author_id: Some(actor),
            created_at: self.clock.now(),
        };
        // The update and its notices to the commitment's followers are one unit of work.
        let tx = self.store.begin().await?;
        tx.append_history(&entry).await?;
        Audit::new(org.id, actor, "commitment.progress_reported", ("commitment", c.id), entry.created_at)
            .created(&serde_json::json!({ "progress": entry.entry, "occurred_on": occurred_on }))
            .record(&*tx)
            .await?;
        let payload = serde_json::json!({
            "commitment_id": c.id, "plan_id": c.action_plan_id, "title": c.title, "occurred_on": occurred_on,
        });
        let event =
            DomainEvent::new(note::COMMITMENT_PROGRESS, org.id, Followable::Commitment, c.id, payload).by(Some(actor));
        publish(&*tx, &event, entry.created_at).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// A commitment's co-owners; removed ones are shown to staff only.
    ///
    /// # Errors
    /// Not found (also when its plan is a draft the caller may not see).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn co_owners(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
        page: PageRequest,
    ) -> Result<Page<CoOwnerView>, ActionPlanError> {
        let c = self.visible_commitment(caller, org, id).await?;
        let staff = caller.is_staff_of(org.id);
        let me = caller.user_id();
        let owners: Vec<CoOwner> = self
            .store
            .co_owners(c.id)
            .await?
            .into_iter()
            .filter(|o| staff || o.status != CoOwnerStatus::Removed)
            .collect();
        Ok(Page::of_list(owners, page, |o| o.id).map(|o| CoOwnerView { me: me == Some(o.user_id), co_owner: o }))
    }

    /// The caller volunteers as co-owner of a commitment they may see; staff then accept.
    ///
    /// # Errors
    /// Unauthenticated; not found; already volunteered.
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn volunteer(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
        input: Volunteer,
    ) -> Result<CoOwnerView, ActionPlanError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let c = self.visible_commitment(caller, org, id).await?;
        let owner = CoOwner {
            id: Uuid::now_v7(),
            commitment_id: c.id,
            user_id: user,
            display_name: String::new(),
            organisation: input.organisation,
            note: input.note,
            status: CoOwnerStatus::Proposed,
            created_at: self.clock.now(),
        };
        // The volunteer follows the commitment, in the same unit of work as the offer.
        let tx = self.store.begin().await?;
        tx.add_co_owner(&owner).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ActionPlanError::AlreadyCoOwner,
            other => ActionPlanError::Repo(other),
        })?;
        let follow = Follow {
            user_id: user,
            org_id: org.id,
            target: Followable::Commitment,
            target_id: c.id.into(),
            created_at: owner.created_at,
        };
        tx.follow(&follow).await?;
        tx.commit().await?;
        // Read back for the display name the repository joins in.
        let saved = self.store.co_owners(c.id).await?.into_iter().find(|o| o.id == owner.id).unwrap_or(owner);
        Ok(CoOwnerView { co_owner: saved, me: true })
    }

    /// Staff accept or remove a co-owner.
    ///
    /// # Errors
    /// Forbidden; not found (commitment or co-owner).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id, co_owner = %co_owner_id))]
    pub async fn set_co_owner_status(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: CommitmentId,
        co_owner_id: Uuid,
        status: CoOwnerStatus,
    ) -> Result<(), ActionPlanError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let c = self.commitment_of(org, id).await?;
        let now = self.clock.now();
        // The status and the co-owner's notice are one unit of work.
        let tx = self.store.begin().await?;
        let before = tx.co_owners(c.id).await?.into_iter().find(|o| o.id == co_owner_id);
        if !tx.set_co_owner_status(c.id, co_owner_id, status, now).await? {
            return Err(ActionPlanError::NotFound("co-owner"));
        }
        // The log names the co-ownership, never the resident.
        Audit::new(org.id, actor, "commitment.co_owner_status_changed", ("co_owner", co_owner_id), now)
            .change("status", before.as_ref().map(|o| o.status.as_str()), status.as_str())
            .context("commitment_id", c.id)
            .record(&*tx)
            .await?;
        if status == CoOwnerStatus::Accepted
            && let Some(o) = before.filter(|o| o.status != CoOwnerStatus::Accepted)
        {
            let payload = serde_json::json!({"commitment_id": c.id, "plan_id": c.action_plan_id, "title": c.title});
            let event = DomainEvent::new(note::CO_OWNER_ACCEPTED, org.id, Followable::Commitment, c.id, payload)
                .by(Some(actor))
                .only_to([o.user_id]);
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The caller takes back their offer to co-own a commitment.
    ///
    /// # Errors
    /// Unauthenticated; not found (commitment, or the caller had not volunteered).
    #[tracing::instrument(skip_all, fields(org = %org.id, commitment = %id))]
    pub async fn withdraw(&self, caller: &Caller, org: &Organisation, id: CommitmentId) -> Result<(), ActionPlanError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let c = self.commitment_of(org, id).await?;
        if self.store.withdraw_co_owner(c.id, user).await? {
            Ok(())
        } else {
            Err(ActionPlanError::NotFound("co-ownership"))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::auth::{Membership, Principal, Role, Scope};

    fn caller(org: OrgId, roles: &[Role], scope: Scope) -> Caller {
        let mut memberships = HashMap::new();
        memberships.insert(org, Membership { roles: roles.iter().copied().collect(), verified: false });
        Caller::User(Principal {
            user_id: UserId::new_v7(),
            platform_admin: false,
            memberships,
            scope,
            email_verified: true,
        })
    }

    #[test]
    fn officials_may_edit_and_move_a_plan_along_its_graph_and_residents_may_not() {
        let org = OrgId::new_v7();
        let official = caller(org, &[Role::Official], Scope::Act);
        let can = plan_can(&official, org, PlanStatus::CoCreation);
        assert!(can.edit);
        assert_eq!(can.transition, vec![PlanStatus::Draft, PlanStatus::Adopted]);
        assert_eq!(plan_can(&official, org, PlanStatus::Completed).transition, Vec::new());
        for nobody in [Caller::Anonymous, caller(org, &[], Scope::Act), caller(org, &[Role::Moderator], Scope::Act)] {
            assert_eq!(plan_can(&nobody, org, PlanStatus::Draft), PlanCan::default());
        }
        assert_eq!(plan_can(&official, OrgId::new_v7(), PlanStatus::Draft), PlanCan::default(), "another organisation");
    }

    #[test]
    fn commitment_flags_follow_the_authorization_decision() {
        let org = OrgId::new_v7();
        let all = CommitmentCan { edit: true, update_milestones: true, report_progress: true, co_own: true };
        assert_eq!(commitment_can(&caller(org, &[Role::Admin], Scope::Act), org), all);
        let resident = CommitmentCan { co_own: true, ..CommitmentCan::default() };
        assert_eq!(commitment_can(&caller(org, &[], Scope::Act), org), resident);
        assert_eq!(commitment_can(&Caller::Anonymous, org), CommitmentCan::default());
        assert_eq!(commitment_can(&caller(org, &[Role::Official], Scope::Read), org), CommitmentCan::default());
    }
}
