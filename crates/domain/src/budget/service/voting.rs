//! The secret ballot (cast and read back through the voter's ballot key), the results, and the
//! pabulib exchange.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{BudgetError, BudgetService, BudgetView, wrong_phase};
use crate::auth::{Action, Caller};
use crate::budget::casting::{BallotInput, check_ballot};
use crate::budget::exchange;
use crate::budget::process::{Budget, Cast, Phase, Proposal, ProposalFilter, StoredBallot};
use crate::budget::results::{self, BudgetResults, ResultsQuery};
use crate::org::Organisation;
use crate::repo::RepoError;

/// A process written as a pabulib file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbExport {
    pub budget_id: Uuid,
    pub text: String,
}

impl BudgetService {
    /// The caller's own ballot in a process and district, found through their ballot key.
    ///
    /// # Errors
    /// Unauthenticated, not found (no such process, or no ballot cast).
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn my_ballot(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: Uuid,
        district: Option<String>,
    ) -> Result<StoredBallot, BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let b = self.load(org, id).await?;
        let key = self.keys.key(b.id, district.as_deref(), user);
        self.store.ballot_by_key(b.id, &key).await?.ok_or(BudgetError::NotFound("ballot"))
    }

    /// Casts or replaces the caller's ballot while voting is open. The register row and the
    /// ballot are written in one transaction of the repository (the register's key lets exactly
    /// one first ballot in per voter, process and district); the ballot is stored under the
    /// voter's key, never their id.
    ///
    /// # Errors
    /// Unauthenticated, not verified (where required), not found, wrong phase, the ballot breaks
    /// a rule, the ballot key changed.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn cast(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: Uuid,
        r: BallotInput,
    ) -> Result<(Cast, StoredBallot), BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let b = self.load(org, id).await?;
        if b.requires_verified {
            caller.authorize(org.id, Action::ParticipateVerified).map_err(|_| BudgetError::NotVerified)?;
        }
        if b.phase != Phase::Voting {
            return Err(wrong_phase(&b, "Voting"));
        }
        let all = self.store.proposals(b.id, &ProposalFilter::default()).await?;
        let stored = check_ballot(&b, &all, &r)?;
        let key = self.keys.key(b.id, stored.district.as_deref(), user);
        let cast = self.store.cast_ballot(b.id, user, &key, &stored, self.today(org)).await.map_err(|e| match e {
            RepoError::Conflict { .. } => BudgetError::BallotKeyChanged,
            other => other.into(),
        })?;
        Ok((cast, stored))
    }

    /// The results under the process's rule, for the process or a district. Public from the
    /// results phase on; staff only before. Another rule or threshold than the process's own, to
    /// compare, is for staff only: each one is a computation.
    ///
    /// # Errors
    /// Not found (process or district); forbidden before the results phase or for another rule
    /// or threshold; busy when the computation takes longer than the time limit.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn results(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: Uuid,
        q: ResultsQuery,
    ) -> Result<Arc<BudgetResults>, BudgetError> {
        let b = self.load(org, id).await?;
        if b.phase < Phase::Results || q.overrides(&b) {
            caller.authorize(org.id, Action::SeeStaffView)?;
        }
        self.outcome(&b, &q).await
    }

    pub(super) async fn outcome(&self, b: &Budget, q: &ResultsQuery) -> Result<Arc<BudgetResults>, BudgetError> {
        results::compute(&self.store, &self.results, b, q).await
    }

    /// Loads a process's final ballots in the background (after an import, or when its vote
    /// closes), so that the first request for its results does not wait for them. Without a
    /// runtime (a command-line task) there is nothing to warm for.
    pub(super) fn warm(&self, b: Budget) {
        if b.phase < Phase::Results {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let service = self.clone();
        runtime.spawn(async move {
            if let Err(e) = service.outcome(&b, &ResultsQuery::default()).await {
                tracing::warn!(budget = %b.id, error = %e, "computing the results in the background failed");
            }
        });
    }

    /// Reads a pabulib file as a process in the results phase, with its projects as feasible
    /// proposals and its votes as anonymous ballots, dated `now` (nothing is stored).
    ///
    /// # Errors
    /// [`BudgetError::Invalid`] on `body`, naming the line or value we cannot take.
    pub fn read_pb(
        org: &Organisation,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(Budget, Vec<Proposal>, Vec<StoredBallot>), BudgetError> {
        exchange::import(org, text, now)
    }

    /// Imports a pabulib file: the process, its proposals and its ballots in one unit of work.
    /// Admins and officials.
    ///
    /// # Errors
    /// Forbidden; a file we cannot read (nothing is stored).
    #[tracing::instrument(skip_all, fields(org = %org.id, bytes = body.len()))]
    pub async fn import(&self, caller: &Caller, org: &Organisation, body: Vec<u8>) -> Result<BudgetView, BudgetError> {
        caller.authorize(org.id, Action::WriteContent)?;
        let (org_copy, now) = (org.clone(), self.now());
        // Parsing tens of megabytes is CPU work: off the async workers.
        let (budget, proposals, ballots) = tokio::task::spawn_blocking(move || {
            let text = String::from_utf8(body)
                .map_err(|_| BudgetError::Invalid { field: "body".into(), message: "is not UTF-8 text".into() })?;
            Self::read_pb(&org_copy, &text, now)
        })
        .await
        .map_err(|e| BudgetError::Internal(e.to_string()))??;
        let tx = self.store.begin().await?;
        tx.import_budget(&budget, &proposals, &ballots).await?;
        tx.commit().await?;
        self.warm(budget.clone());
        Ok(BudgetView { can: self.process_can(caller, &budget), budget })
    }

    /// A process as a pabulib file, its ballots anonymous. Public from the results phase on;
    /// staff only before.
    ///
    /// # Errors
    /// Not found; forbidden before the results phase.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn export(&self, caller: &Caller, org: &Organisation, id: Uuid) -> Result<PbExport, BudgetError> {
        let b = self.load(org, id).await?;
        if b.phase < Phase::Results {
            caller.authorize(org.id, Action::SeeStaffView)?;
        }
        let proposals = self.store.proposals(b.id, &ProposalFilter::default()).await?;
        let ballots = self.store.ballots(b.id).await?;
        Ok(PbExport { budget_id: b.id, text: exchange::export(org, &b, &proposals, &ballots) })
    }
}
