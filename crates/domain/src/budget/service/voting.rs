//! The secret ballot (cast and read back through the voter's ballot key), the results, and the
//! pabulib exchange.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::audit::Audit;
use crate::ids::BudgetId;

use super::{BallotBox, BudgetError, BudgetService, BudgetView, wrong_phase};
use crate::auth::{Action, Caller};
use crate::budget::casting::{BallotInput, check_ballot};
use crate::budget::exchange;
use crate::budget::process::{Budget, Cast, Phase, Proposal, ProposalFilter, StoredBallot};
use crate::budget::results::{self, BudgetResults, ResultsQuery};
use crate::org::Organisation;
use crate::repo::RepoError;

/// What a cast did: first or replacing, the ballot as stored, and whether this was a retry
/// answered from the ballot without casting again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastOutcome {
    pub cast: Cast,
    pub ballot: StoredBallot,
    pub replayed: bool,
}

/// The process in the database is not the ballot box's: cast again from the database.
struct Retry;

/// A process written as a pabulib file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbExport {
    pub budget_id: BudgetId,
    pub text: Arc<str>,
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
        id: BudgetId,
        district: Option<String>,
    ) -> Result<StoredBallot, BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let b = self.load(org, id).await?;
        let key = self.keys.key(b.id, district.as_deref(), user);
        self.store.ballot_by_key(b.id, &key).await?.ok_or(BudgetError::NotFound("ballot"))
    }

    /// Casts or replaces the caller's ballot while voting is open. The register row and the
    /// ballot are written in one transaction of the repository (the register's key lets exactly
    /// one first ballot in per voter, process and district), which also decides against a
    /// concurrent close of the vote; the ballot is stored under the voter's key, never their id.
    ///
    /// A retry under the `Idempotency-Key` (`request_key`) that last wrote the voter's ballot is
    /// answered from the ballot itself (`replayed`), and the same key with other choices is
    /// refused: nothing next to the voter's account records what they chose.
    ///
    /// # Errors
    /// Unauthenticated, not verified (where required), not found, wrong phase, the ballot breaks
    /// a rule, the idempotency key was used for other choices, the ballot key changed.
    ///
    /// The process and its proposals come from the ballot box this server keeps while the vote
    /// runs ([`BallotBox`]); the writing transaction confirms the process is still at the box's
    /// version, and when it is not (the rules changed, the vote closed, on this server or another),
    /// the cast starts again once from what the database holds.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn cast(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        r: BallotInput,
        request_key: Option<&str>,
    ) -> Result<CastOutcome, BudgetError> {
        let user = caller.authorize(org.id, Action::Participate)?.user_id;
        let bx = self.ballot_box(org, id, false).await?;
        // A cast the transaction confirmed is answered; anything else (the box was stale, or the
        // ballot is refused: an answer the database's process must give, not the box's) starts
        // again from the database, as on a server without a box.
        if let Ok(Ok(out)) = self.cast_in(caller, org, &bx, user, &r, request_key, true).await {
            return Ok(out);
        }
        let bx = self.ballot_box(org, id, true).await?;
        match self.cast_in(caller, org, &bx, user, &r, request_key, false).await {
            Ok(out) => out,
            Err(Retry) => Err(BudgetError::Internal("a ballot read afresh was found stale".into())),
        }
    }

    /// The ballot box of a process: this server's while the process is voting, else (or when
    /// `fresh`) read from the database, replacing this server's. Another organisation's process
    /// is not found.
    async fn ballot_box(&self, org: &Organisation, id: BudgetId, fresh: bool) -> Result<Arc<BallotBox>, BudgetError> {
        if !fresh
            && let Some(hit) = self.boxes.get(&id).await
            && hit.budget.org_id == org.id
        {
            return Ok(hit);
        }
        let budget = self.load(org, id).await?;
        let proposals = self.store.proposals(budget.id, &ProposalFilter::default()).await?;
        let voting = budget.phase == Phase::Voting;
        let bx = Arc::new(BallotBox { budget, proposals });
        if voting {
            self.boxes.insert(id, Arc::clone(&bx)).await;
        } else {
            self.boxes.invalidate(&id).await;
        }
        Ok(bx)
    }

    /// One attempt of [`BudgetService::cast`] against a ballot box. When `cached`, the writing
    /// transaction confirms the box's version and `Err(Retry)` says the database's process is
    /// not the box's; a box just read is the database's, checked in the transaction for its
    /// phase only, as always (the rules are fixed while voting). The inner result is the cast's.
    #[allow(clippy::too_many_arguments)]
    async fn cast_in(
        &self,
        caller: &Caller,
        org: &Organisation,
        bx: &BallotBox,
        user: crate::ids::UserId,
        r: &BallotInput,
        request_key: Option<&str>,
        cached: bool,
    ) -> Result<Result<CastOutcome, BudgetError>, Retry> {
        let b = &bx.budget;
        if b.requires_verified && caller.authorize(org.id, Action::ParticipateVerified).is_err() {
            return Ok(Err(BudgetError::NotVerified));
        }
        let checked = check_ballot(b, &bx.proposals, r);
        if b.phase != Phase::Voting {
            // (Only a box just read can be in another phase: boxes are kept while voting.)
            // A retry of a cast taken just before the vote closed is answered as it was, so the
            // voter is not told that a counted ballot was refused.
            if let (Some(request_key), Ok(stored)) = (request_key, &checked)
                && let Ok(Some(out)) =
                    self.replay(b, &self.keys.key(b.id, stored.district.as_deref(), user), stored, request_key).await
            {
                return Ok(Ok(out));
            }
            return Ok(Err(wrong_phase(b, "Voting")));
        }
        let stored = match checked {
            Ok(stored) => stored,
            Err(e) => return Ok(Err(e)),
        };
        let key = self.keys.key(b.id, stored.district.as_deref(), user);
        if let Some(request_key) = request_key {
            match self.replay(b, &key, &stored, request_key).await {
                Ok(Some(out)) => return Ok(Ok(out)),
                Ok(None) => {}
                Err(e) => return Ok(Err(e)),
            }
        }
        let slot = b.district_voting.slot(stored.district.as_deref());
        let cast = self
            .store
            .cast_ballot(b.id, user, &key, &stored, self.today(org), request_key, &slot, cached.then_some(b.updated_at))
            .await;
        Ok(match cast {
            Ok(cast) => Ok(CastOutcome { cast, ballot: stored, replayed: false }),
            Err(RepoError::Conflict { field, .. }) if cached && (field == "phase" || field == "version") => {
                return Err(Retry);
            }
            Err(RepoError::Conflict { field, .. }) if field == "phase" => Err(wrong_phase(b, "Voting")),
            Err(RepoError::Conflict { field, .. }) if field == "district" => Err(BudgetError::OneDistrictOnly),
            Err(RepoError::Conflict { .. }) => Err(BudgetError::BallotKeyChanged),
            Err(other) => Err(other.into()),
        })
    }

    /// The answer to a retry under `request_key` when that key last wrote the voter's ballot
    /// (under `ballot_key`):
    /// the ballot as it is, or `IdempotencyKeyReused` when the retry has other choices.
    async fn replay(
        &self,
        b: &Budget,
        ballot_key: &str,
        stored: &StoredBallot,
        request_key: &str,
    ) -> Result<Option<CastOutcome>, BudgetError> {
        match self.store.ballot_with_request(b.id, ballot_key).await? {
            Some((earlier, Some(last))) if last.key == request_key => {
                if earlier.choices != stored.choices {
                    return Err(BudgetError::IdempotencyKeyReused);
                }
                Ok(Some(CastOutcome { cast: last.cast, ballot: earlier, replayed: true }))
            }
            _ => Ok(None),
        }
    }

    /// The results under the process's rule, for the process or a district. Public from the
    /// results phase on; nobody's while voting; staff only before. Another rule or threshold than
    /// the process's own, to compare, is for staff only: each one is a computation.
    ///
    /// # Errors
    /// Not found (process or district); forbidden before voting or for another rule or threshold;
    /// wrong phase while voting; busy when the computation takes longer than the time limit.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn results(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: BudgetId,
        q: ResultsQuery,
    ) -> Result<Arc<BudgetResults>, BudgetError> {
        let b = self.load(org, id).await?;
        Self::may_count(caller, org, &b)?;
        if q.overrides(&b) {
            caller.authorize(org.id, Action::SeeStaffView)?;
        }
        self.outcome(&b, &q).await
    }

    /// Whether the caller may see counts of the ballots: everyone once the vote has closed;
    /// nobody while it runs (staff included: a running count would sway the vote and tempt
    /// whoever sees it); staff before it opens, when there is nothing to count but the setup.
    fn may_count(caller: &Caller, org: &Organisation, b: &Budget) -> Result<(), BudgetError> {
        match b.phase {
            Phase::Voting => Err(BudgetError::WrongPhase { what: "Counting the ballots", phase: b.phase.as_str() }),
            p if p < Phase::Results => caller.authorize(org.id, Action::SeeStaffView).map(|_| ()).map_err(Into::into),
            _ => Ok(()),
        }
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
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
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
        Audit::new(org.id, actor, "budget.imported", ("budget", budget.id), now)
            .created(&budget)
            .context("proposals", proposals.len())
            .context("ballots", ballots.len())
            .record(&*tx)
            .await?;
        tx.commit().await?;
        self.warm(budget.clone());
        Ok(BudgetView { can: self.process_can(caller, &budget), budget })
    }

    /// A process as a pabulib file, its ballots anonymous. Public from the results phase on;
    /// nobody's while voting; staff only before.
    ///
    /// # Errors
    /// Not found; forbidden before voting, wrong phase while voting.
    #[tracing::instrument(skip_all, fields(org = %org.id, budget = %id))]
    pub async fn export(&self, caller: &Caller, org: &Organisation, id: BudgetId) -> Result<PbExport, BudgetError> {
        let b = self.load(org, id).await?;
        Self::may_count(caller, org, &b)?;
        if b.phase >= Phase::Results {
            // Final ballots: written once per version of the process, from the ballots the
            // results use, not loaded again per request.
            let text = self.results.export(self.store.as_ref(), &b, |ps, bs| exchange::export(org, &b, ps, bs)).await?;
            return Ok(PbExport { budget_id: b.id, text });
        }
        let proposals = self.store.proposals(b.id, &ProposalFilter::default()).await?;
        let ballots = self.store.ballots(b.id).await?;
        Ok(PbExport { budget_id: b.id, text: Arc::from(exchange::export(org, &b, &proposals, &ballots)) })
    }
}
