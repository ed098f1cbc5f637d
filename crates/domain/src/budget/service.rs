//! The participatory budget's use cases. Each one decides authorization first
//! ([`Caller::authorize`]), applies the rules of this module's siblings, and writes what it
//! writes through one unit of work when that is more than one row.
//!
//! - [`processes`]: create, edit and move a process through its phases (the winners become
//!   projects when it moves to implementation);
//! - [`proposals`]: submit, edit, review and support proposals, and report on the winners'
//!   construction;
//! - [`voting`]: the secret ballot, the results, and pabulib import and export;
//! - [`paper`]: ballots collected on paper, entered by staff;
//! - [`can`]: what the caller may do with a process or a proposal, for the client to show.

mod can;
mod paper;
mod processes;
mod proposals;
mod voting;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::ids::{BudgetId, ProposalId};

pub use can::{ProcessCan, ProposalCan};
pub use paper::{MAX_PAPER_BALLOTS, PaperBallots};
pub use processes::{BudgetChanges, BudgetView, NewBudget};
pub use proposals::{
    NewProposal, ProgressReport, ProposalChanges, ProposalQuery, ProposalSort, ProposalView, ReviewInput,
};
pub use voting::{CastOutcome, PbExport};

use super::keys::BallotKeys;
use super::process::{Budget, PhaseError, Proposal};
use super::results::{ResultsCache, ResultsLimits};
use crate::auth::AuthzError;
use crate::clock::Clock;
use crate::i18n::LocalizedText;
use crate::org::Organisation;
use crate::repo::{RepoError, Store};

/// Why a budget use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// No such budget, proposal, ballot or district (another organisation's ids included).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A field of the request breaks a rule.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The ballot breaks the process's ballot rule (the message says which).
    #[error("{0}")]
    BallotRuleBroken(String),
    #[error("{what} is not possible in the {phase} phase.")]
    WrongPhase { what: &'static str, phase: &'static str },
    #[error(transparent)]
    InvalidTransition(#[from] PhaseError),
    #[error("The rules of a process are fixed once voting has opened.")]
    RulesFixed,
    #[error("Supporting and voting in this process require verified residency.")]
    NotVerified,
    /// Only the author may edit a proposal.
    #[error("you are not allowed to do this")]
    NotAuthor,
    #[error("Only feasible proposals collect supports.")]
    NotFeasible,
    #[error("You already support this proposal.")]
    AlreadySupported,
    #[error("Only winning projects in implementation are tracked.")]
    NotAWinner,
    /// The process lets a resident vote in one district, and they voted in another.
    #[error(
        "In this process you vote in one district only, and you have voted in another one; change that ballot instead."
    )]
    OneDistrictOnly,
    /// A retry under an `Idempotency-Key` whose ballot had other choices.
    #[error("This Idempotency-Key was used for a different ballot; use a new key.")]
    IdempotencyKeyReused,
    /// The register has the voter but no ballot has their key: the ballot secret changed.
    #[error("Your earlier ballot can no longer be found (the server's ballot secret changed); ask the municipality.")]
    BallotKeyChanged,
    /// Changed by someone else since it was read.
    #[error("the resource changed since it was read")]
    Stale,
    /// The results are being computed and took longer than the time limit: ask again after
    /// `retry_after` seconds (the computation goes on and its result is kept).
    #[error("The results are still being computed; try again in {retry_after} s.")]
    Busy { retry_after: u64 },
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("internal error: {0}")]
    Internal(String),
}

crate::stale_converts!(BudgetError);

/// An optimistic write that lost the race.
fn stale(e: RepoError) -> BudgetError {
    match e {
        RepoError::Conflict { .. } => BudgetError::Stale,
        other => BudgetError::Repo(other),
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> BudgetError {
    BudgetError::Invalid { field: field.into(), message: message.into() }
}

fn wrong_phase(b: &Budget, what: &'static str) -> BudgetError {
    BudgetError::WrongPhase { what, phase: b.phase.as_str() }
}

/// Multilingual text checked against the organisation's locales; errors name `field.locale`.
fn text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, BudgetError> {
    org.check_text(field, t, max).map_err(|e| invalid(e.field, e.message))
}

fn optional_text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, BudgetError> {
    org.check_optional_text(field, t, max).map_err(|e| invalid(e.field, e.message))
}

/// A process in its voting phase with every proposal a ballot is checked against, as read at
/// the process's version (`budget.updated_at`). Ballot-relevant proposal fields cannot change
/// while voting (they are edited, reviewed and supported in earlier phases), and every change of
/// the process's rules or phase gives it a new version: a cast checks its ballot against the box
/// and the writing transaction confirms the version, so a stale box is never trusted (see
/// [`BudgetService::cast`]).
pub(crate) struct BallotBox {
    pub(crate) budget: Budget,
    pub(crate) proposals: Vec<Proposal>,
}

/// The participatory budget's use cases.
#[derive(Clone)]
pub struct BudgetService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    keys: BallotKeys,
    results: Arc<ResultsCache>,
    /// Ballot boxes of processes being voted in, by process (bounded; see [`BallotBox`]).
    boxes: moka::future::Cache<BudgetId, Arc<BallotBox>>,
}

impl std::fmt::Debug for BudgetService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BudgetService(..)")
    }
}

impl BudgetService {
    /// The service on a store and a clock, with the ballot keys derived from the server secret.
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, keys: BallotKeys) -> Self {
        BudgetService { store, clock, keys, results: Arc::default(), boxes: moka::future::Cache::new(256) }
    }

    /// The same service with these limits on computing results (a fresh, empty cache).
    #[must_use]
    pub fn with_results_limits(mut self, limits: ResultsLimits) -> Self {
        self.results = Arc::new(ResultsCache::new(limits));
        self
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The next version stamp: now, or just after the one it replaces when the clock has not
    /// moved on (two writes in one microsecond must still give two versions).
    fn version_after(&self, before: DateTime<Utc>) -> DateTime<Utc> {
        crate::version::Version::next_after(before, self.now())
    }

    /// Today in the organisation's time zone.
    fn today(&self, org: &Organisation) -> NaiveDate {
        self.now().with_timezone(&org.time_zone.tz()).date_naive()
    }

    async fn load(&self, org: &Organisation, id: BudgetId) -> Result<Budget, BudgetError> {
        self.store.budget(org.id, id).await?.ok_or(BudgetError::NotFound("budget"))
    }

    async fn load_proposal(&self, b: &Budget, id: ProposalId) -> Result<Proposal, BudgetError> {
        self.store.proposal(b.id, id).await?.ok_or(BudgetError::NotFound("proposal"))
    }
}
