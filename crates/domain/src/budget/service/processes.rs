//! Processes: create, read, edit (the rules only before voting opens) and move one phase forward;
//! moving to implementation marks the winners as projects to build, all in one unit of work.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::audit::Audit;
use crate::ids::BudgetId;

use super::{BudgetError, BudgetService, ProcessCan, invalid, optional_text, stale, text};
use crate::auth::{Action, Caller};
use crate::budget::ballot::BallotRule;
use crate::budget::casting::check_rule;
use crate::budget::outcome::OutcomeRule;
use crate::budget::process::{self, Budget, Category, District, DistrictVoting, Phase, Proposal, Schedule, Works};
use crate::budget::results::ResultsQuery;
use crate::i18n::LocalizedText;
use crate::notifications::{DomainEvent, Followable, kind as note, publish};
use crate::org::Organisation;
use crate::repo::{Page, PageRequest};

/// A process with what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetView {
    pub budget: Budget,
    pub can: ProcessCan,
}

/// A new process (it starts in the information phase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBudget {
    pub title: LocalizedText,
    pub rules_text: LocalizedText,
    /// Minor units of the organisation's currency.
    pub total: i64,
    pub districts: Vec<District>,
    pub categories: Vec<Category>,
    pub schedule: Schedule,
    pub supports_threshold: Option<u32>,
    pub ballot_rule: BallotRule,
    pub outcome_rule: OutcomeRule,
    pub min_score: u64,
    pub requires_verified: bool,
    pub district_voting: DistrictVoting,
}

/// Changes to a process; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetChanges {
    pub title: Option<LocalizedText>,
    pub rules_text: Option<LocalizedText>,
    pub total: Option<i64>,
    pub districts: Option<Vec<District>>,
    pub categories: Option<Vec<Category>>,
    pub schedule: Option<Schedule>,
    pub ballot_rule: Option<BallotRule>,
    pub outcome_rule: Option<OutcomeRule>,
    pub min_score: Option<u64>,
    pub requires_verified: Option<bool>,
    pub district_voting: Option<DistrictVoting>,
}

impl BudgetChanges {
    /// Whether it changes the rules, which are fixed once voting opens.
    fn changes_rules(&self) -> bool {
        self.total.is_some()
            || self.districts.is_some()
            || self.ballot_rule.is_some()
            || self.outcome_rule.is_some()
            || self.min_score.is_some()
            || self.requires_verified.is_some()
            || self.district_voting.is_some()
    }
}

fn districts(org: &Organisation, list: Vec<District>) -> Result<Vec<District>, BudgetError> {
    let mut seen = BTreeSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, d)| {
            if !seen.insert(d.key.clone()) {
                return Err(invalid(format!("districts[{i}].key"), "is used twice"));
            }
            Ok(District { name: text(&format!("districts[{i}].name"), d.name, org, 200)?, ..d })
        })
        .collect()
}

fn categories(org: &Organisation, list: Vec<Category>) -> Result<Vec<Category>, BudgetError> {
    let mut seen = BTreeSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, c)| {
            if !seen.insert(c.key.clone()) {
                return Err(invalid(format!("categories[{i}].key"), "is used twice"));
            }
            Ok(Category { name: text(&format!("categories[{i}].name"), c.name, org, 200)?, ..c })
        })
        .collect()
}

fn schedule(s: Schedule) -> Result<Schedule, BudgetError> {
    s.check().map_err(|e| invalid(format!("schedule.{}", e.later), e.to_string()))?;
    Ok(s)
}

impl BudgetService {
    fn view(&self, caller: &Caller, budget: Budget) -> BudgetView {
        BudgetView { can: self.process_can(caller, &budget), budget }
    }

    /// The organisation's processes, newest first. Public.
    ///
    /// # Errors
    /// A database failure.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn list(
        &self,
        caller: &Caller,
        org: &Organisation,
        page: PageRequest,
    ) -> Result<Page<BudgetView>, BudgetError> {
        let page = Page::of_list(self.store.budgets(org.id).await?, page, |b| b.id);
        Ok(page.map(|b| self.view(caller, b)))
    }

    /// One process. Public.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn get(&self, caller: &Caller, org: &Organisation, id: BudgetId) -> Result<BudgetView, BudgetError> {
        Ok(self.view(caller, self.load(org, id).await?))
    }

    /// Creates a process in the information phase. Admins and officials.
    ///
    /// # Errors
    /// Forbidden; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create(&self, caller: &Caller, org: &Organisation, new: NewBudget) -> Result<BudgetView, BudgetError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let now = self.now();
        let title = text("title", new.title, org, 300)?;
        let rules_text = optional_text("rules_text", new.rules_text, org, 50_000)?;
        let districts = districts(org, new.districts)?;
        let categories = categories(org, new.categories)?;
        let schedule = schedule(new.schedule)?;
        check_rule(&new.ballot_rule)?;
        let budget = Budget {
            id: BudgetId::new_v7(),
            org_id: org.id,
            title,
            rules_text,
            total: new.total,
            currency: org.currency.as_str().to_owned(),
            districts,
            categories,
            schedule,
            phase: Phase::Information,
            supports_threshold: new.supports_threshold,
            ballot_rule: new.ballot_rule,
            outcome_rule: new.outcome_rule,
            min_score: new.min_score,
            requires_verified: new.requires_verified,
            district_voting: new.district_voting,
            pabulib: None,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_budget(&budget).await?;
        Audit::new(org.id, actor, "budget.created", ("budget", budget.id), now).created(&budget).record(&*tx).await?;
        tx.commit().await?;
        Ok(self.view(caller, budget))
    }

    /// Edits a process: texts and schedule at any time, the rules only before voting opens.
    /// Admins and officials; `expected` is the version the caller read (`If-Match`).
    ///
    /// # Errors
    /// Forbidden, not found, stale, rules fixed, invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        expected: Option<DateTime<Utc>>,
        r: BudgetChanges,
    ) -> Result<BudgetView, BudgetError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut b = self.load(org, id).await?;
        crate::version::Version::check(expected, b.updated_at)?;
        let before = b.clone();
        if r.changes_rules() && b.phase >= Phase::Voting {
            return Err(BudgetError::RulesFixed);
        }
        let previous = b.updated_at;
        if let Some(t) = r.title {
            b.title = text("title", t, org, 300)?;
        }
        if let Some(t) = r.rules_text {
            b.rules_text = optional_text("rules_text", t, org, 50_000)?;
        }
        if let Some(t) = r.total {
            b.total = t;
        }
        if let Some(d) = r.districts {
            b.districts = districts(org, d)?;
        }
        if let Some(c) = r.categories {
            b.categories = categories(org, c)?;
        }
        if let Some(s) = r.schedule {
            b.schedule = schedule(s)?;
        }
        if let Some(rule) = r.ballot_rule {
            check_rule(&rule)?;
            b.ballot_rule = rule;
        }
        if let Some(rule) = r.outcome_rule {
            b.outcome_rule = rule;
        }
        if let Some(m) = r.min_score {
            b.min_score = m;
        }
        if let Some(v) = r.requires_verified {
            b.requires_verified = v;
        }
        if let Some(v) = r.district_voting {
            b.district_voting = v;
        }
        b.updated_at = self.version_after(previous);
        let tx = self.store.begin().await?;
        tx.update_budget(&b, previous).await.map_err(stale)?;
        Audit::new(org.id, actor, "budget.updated", ("budget", b.id), b.updated_at)
            .updated(&before, &b)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(self.view(caller, b))
    }

    /// Moves a process to its next phase. Into implementation, the winners of the process's own
    /// rule, in each district (or the whole process), become projects to build — in the same
    /// unit of work as the phase. Admins and officials.
    ///
    /// # Errors
    /// Forbidden, not found, not the next phase, stale.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id, to = to.as_str()))]
    pub async fn transition(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        to: Phase,
    ) -> Result<BudgetView, BudgetError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut b = self.load(org, id).await?;
        process::check_phase_change(b.phase, to, b.supports_threshold.is_some())?;
        let from = b.phase;
        // The winners are computed before the unit of work (SQLite's write lock is held from its
        // start): from the final ballots of the results phase, cached since it began.
        let winners = if to == Phase::Implementation { self.projects_to_build(&b).await? } else { Vec::new() };
        let previous = b.updated_at;
        b.phase = to;
        b.updated_at = self.version_after(previous);
        let tx = self.store.begin().await?;
        tx.update_budget(&b, previous).await.map_err(stale)?;
        for (p, before) in &winners {
            tx.update_proposal(p, *before).await.map_err(stale)?;
        }
        let action = if to == Phase::Results { "budget.results_published" } else { "budget.phase_changed" };
        Audit::new(org.id, actor, action, ("budget", b.id), b.updated_at)
            .change("phase", from, to)
            .context("projects_to_build", winners.len())
            .record(&*tx)
            .await?;
        // Followers hear of every phase: voting opens, voting closes (results), building starts.
        let payload =
            serde_json::json!({"budget_id": b.id, "title": b.title, "from": from.as_str(), "to": to.as_str()});
        let event =
            DomainEvent::new(note::BUDGET_PHASE_CHANGED, org.id, Followable::Budget, b.id, payload).by(Some(actor));
        publish(&*tx, &event, b.updated_at).await?;
        tx.commit().await?;
        if to == Phase::Results {
            self.warm(b.clone());
        }
        Ok(self.view(caller, b))
    }

    /// The winners not yet marked, marked as planned, with the version each replaces.
    async fn projects_to_build(&self, b: &Budget) -> Result<Vec<(Proposal, DateTime<Utc>)>, BudgetError> {
        let areas: Vec<Option<String>> =
            if b.districts.is_empty() { vec![None] } else { b.districts.iter().map(|d| Some(d.key.clone())).collect() };
        let mut marked = Vec::new();
        for district in areas {
            let outcome = self.outcome(b, &ResultsQuery { district, ..ResultsQuery::default() }).await?;
            for w in &outcome.winners {
                if let Some(mut p) = self.store.proposal(b.id, w.proposal_id).await?
                    && p.works.is_none()
                {
                    let before = p.updated_at;
                    p.works = Some(Works::Planned);
                    p.updated_at = self.version_after(before);
                    marked.push((p, before));
                }
            }
        }
        Ok(marked)
    }
}
