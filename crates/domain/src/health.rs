//! Readiness: whether the application can serve, i.e. whether its database answers.
//!
//! A watcher pings the database twice a second over a connection of its own (so a busy pool
//! cannot make a healthy database look down) and with a short time limit (so a database that
//! went away is noticed in about a second, not after the pool's wait for a connection). While
//! the database is down, requests that need it are answered 503 at once and the ones already
//! waiting for it are let go; the first ping that answers again lets traffic back in.
//!
//! For the operator's metrics, it also reads what background work waits and how the database's
//! connections are used.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::clock::Clock;
use crate::repo::{RepoError, RepoResult, Store};

/// What the watcher needs of a database: that it answers.
#[async_trait::async_trait]
pub trait Probe: Send + Sync {
    /// Checks that the database answers.
    async fn ping(&self) -> RepoResult<()>;
}

#[async_trait::async_trait]
impl<T: Store> Probe for T {
    async fn ping(&self) -> RepoResult<()> {
        Store::ping(self).await
    }
}

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

/// How long a ping may take before the database counts as down.
pub const PING_TIME_LIMIT: Duration = Duration::from_secs(1);
/// How often the watcher pings.
pub const PING_EVERY: Duration = Duration::from_millis(500);
/// Pings in a row without an answer within [`PING_TIME_LIMIT`] before the database counts as
/// down: one slow connection (a busy machine, a checkpoint) must not turn every request away. A
/// ping that fails (refused, broken) marks it down at once.
pub const MISSES_BEFORE_DOWN: u32 = 2;

/// The readiness probe's use case and the database's observed state.
pub struct HealthService {
    probe: Arc<dyn Probe>,
    up: watch::Sender<bool>,
    /// Pings missed in a row.
    misses: std::sync::atomic::AtomicU32,
    operations: Option<(Arc<dyn OperationsRepo>, Arc<dyn Clock>)>,
}

impl HealthService {
    /// `probe` should be a store with a connection of its own, outside the request pool.
    #[must_use]
    pub fn new(probe: Arc<dyn Probe>) -> Self {
        HealthService {
            probe,
            up: watch::Sender::new(true),
            misses: std::sync::atomic::AtomicU32::new(0),
            operations: None,
        }
    }

    /// With the reads [`HealthService::operations`] needs.
    #[must_use]
    pub fn with_operations(mut self, repo: Arc<dyn OperationsRepo>, clock: Arc<dyn Clock>) -> Self {
        self.operations = Some((repo, clock));
        self
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

    /// Checks that the database answers within [`PING_TIME_LIMIT`], and records the answer: down
    /// at a failure or after [`MISSES_BEFORE_DOWN`] late answers in a row, up at the first answer.
    ///
    /// # Errors
    /// When it does not.
    #[tracing::instrument(skip_all)]
    pub async fn ping(&self) -> RepoResult<()> {
        use std::sync::atomic::Ordering::SeqCst;
        let (answer, late) = match tokio::time::timeout(PING_TIME_LIMIT, self.probe.ping()).await {
            Ok(answer) => (answer, false),
            Err(_) => (Err(RepoError::Unavailable(format!("no answer within {PING_TIME_LIMIT:?}"))), true),
        };
        let up = match (&answer, late) {
            (Ok(()), _) => {
                self.misses.store(0, SeqCst);
                true
            }
            // Slow: down only when it happens again.
            (Err(_), true) => self.misses.fetch_add(1, SeqCst) + 1 < MISSES_BEFORE_DOWN,
            // Refused or broken: down at once.
            (Err(_), false) => {
                self.misses.store(MISSES_BEFORE_DOWN, SeqCst);
                false
            }
        };
        let changed = self.up.send_if_modified(|was| std::mem::replace(was, up) != up);
        if changed {
            if up {
                tracing::warn!("the database answers again");
            } else {
                tracing::error!(error = %answer.as_ref().err().map(ToString::to_string).unwrap_or_default(), "the database does not answer");
            }
        }
        answer
    }

    /// Whether the last ping was answered.
    #[must_use]
    pub fn is_up(&self) -> bool {
        *self.up.borrow()
    }

    /// Resolves when the database is seen down (at once if it is now).
    pub async fn went_down(&self) {
        let mut rx = self.up.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail while this is borrowed.
        let _ = rx.wait_for(|up| !*up).await;
    }

    /// Pings every [`PING_EVERY`] for as long as the process runs.
    pub async fn watch(self: Arc<Self>) {
        loop {
            let _ = self.ping().await;
            tokio::time::sleep(PING_EVERY).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU8, Ordering};

    /// A database whose ping answers (0), fails (1) or hangs (2).
    struct Switch(AtomicU8);

    #[async_trait::async_trait]
    impl Probe for Switch {
        async fn ping(&self) -> RepoResult<()> {
            match self.0.load(Ordering::SeqCst) {
                0 => Ok(()),
                1 => Err(RepoError::Unavailable("connection refused".into())),
                _ => std::future::pending().await,
            }
        }
    }

    #[test]
    fn a_failing_or_hanging_ping_marks_the_database_down_and_an_answer_brings_it_back() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        rt.block_on(async {
            let switch = Arc::new(Switch(AtomicU8::new(0)));
            let health = Arc::new(HealthService::new(switch.clone()));
            assert!(health.ping().await.is_ok() && health.is_up());

            switch.0.store(2, Ordering::SeqCst);
            let waiter = tokio::spawn({
                let h = health.clone();
                async move { h.went_down().await }
            });
            let started = std::time::Instant::now();
            assert!(health.ping().await.is_err(), "a hanging ping is cut at the limit");
            let took = started.elapsed();
            assert!(took >= PING_TIME_LIMIT && took < PING_TIME_LIMIT * 3, "{took:?}");
            assert!(health.is_up(), "one miss is not an outage");
            assert!(health.ping().await.is_err());
            assert!(!health.is_up(), "two in a row are");
            waiter.await.unwrap();

            // A failure is an outage at once; an answer between two late ones starts the count again.
            switch.0.store(1, Ordering::SeqCst);
            assert!(health.ping().await.is_err() && !health.is_up());
            switch.0.store(0, Ordering::SeqCst);
            assert!(health.ping().await.is_ok() && health.is_up());
            switch.0.store(2, Ordering::SeqCst);
            assert!(health.ping().await.is_err() && health.is_up());
            switch.0.store(0, Ordering::SeqCst);
            assert!(health.ping().await.is_ok() && health.is_up());
            switch.0.store(2, Ordering::SeqCst);
            assert!(health.ping().await.is_err() && health.is_up());
            assert!(health.ping().await.is_err() && !health.is_up());
            switch.0.store(0, Ordering::SeqCst);
            assert!(health.ping().await.is_ok() && health.is_up());
        });
    }
}
