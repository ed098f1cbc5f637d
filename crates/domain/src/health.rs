//! Readiness: whether the application can serve, i.e. whether its database answers; and for the
//! operator's metrics, what background work waits and how the database's connections are used.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::repo::{RepoResult, Store};

/// Background work waiting in the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// E-mail in the outbox that is neither sent nor given up.
    pub mail_pending: u64,
    /// Of those, the ones due now (not waiting for a retry).
    pub mail_due: u64,
    /// E-mail given up after its last attempt.
    pub mail_failed: u64,
    /// Seconds the oldest pending e-mail has waited since it was queued (0 without one).
    pub mail_oldest_pending_secs: u64,
    /// Notifications waiting for their recipient's daily digest.
    pub digest_notifications_pending: u64,
}

/// The connection pool of this process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolUse {
    /// Connections open now (in use or idle).
    pub open: u32,
    /// Of those, the idle ones.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// What an operator's metrics read besides the requests themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Operations {
    /// `None` when the database does not answer (the pool's use is known all the same).
    pub backlog: Option<Backlog>,
    pub pool: PoolUse,
}

/// The operational reads of the database (the port).
#[async_trait::async_trait]
pub trait OperationsRepo: Send + Sync {
    /// What background work waits at `now`.
    async fn backlog(&self, now: DateTime<Utc>) -> RepoResult<Backlog>;
    /// How this process's connection pool is used.
    fn pool_use(&self) -> PoolUse;
}

/// The readiness probe's and the metrics' use cases.
pub struct HealthService {
    store: Arc<dyn Store>,
    operations: Option<(Arc<dyn OperationsRepo>, Arc<dyn Clock>)>,
}

impl HealthService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>) -> Self {
        HealthService { store, operations: None }
    }

    /// With the reads [`HealthService::operations`] needs.
    #[must_use]
    pub fn with_operations(mut self, repo: Arc<dyn OperationsRepo>, clock: Arc<dyn Clock>) -> Self {
        self.operations = Some((repo, clock));
        self
    }

    /// Checks that the database answers.
    ///
    /// # Errors
    /// When it does not.
    #[tracing::instrument(skip_all)]
    pub async fn ping(&self) -> RepoResult<()> {
        self.store.ping().await
    }

    /// The background backlog and the pool's use (nothing when built without the reads); the
    /// backlog is `None` when the database does not answer, which is logged.
    #[tracing::instrument(skip_all)]
    pub async fn operations(&self) -> Operations {
        let Some((repo, clock)) = &self.operations else {
            return Operations::default();
        };
        let pool = repo.pool_use();
        let backlog = match repo.backlog(clock.now()).await {
            Ok(b) => Some(b),
            Err(e) => {
                tracing::error!(error = %e, "metrics: cannot read the background backlog");
                None
            }
        };
        Operations { backlog, pool }
    }
}
