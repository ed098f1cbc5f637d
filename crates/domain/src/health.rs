//! Readiness: whether the application can serve, i.e. whether its database answers.
//!
//! A watcher pings the database twice a second over a connection of its own (so a busy pool
//! cannot make a healthy database look down) and with a short time limit (so a database that
//! went away is noticed in about a second, not after the pool's wait for a connection). While
//! the database is down, requests that need it are answered 503 at once and the ones already
//! waiting for it are let go; the first ping that answers again lets traffic back in.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

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

/// How long a ping may take before the database counts as down.
pub const PING_TIME_LIMIT: Duration = Duration::from_secs(1);
/// How often the watcher pings.
pub const PING_EVERY: Duration = Duration::from_millis(500);

/// The readiness probe's use case and the database's observed state.
pub struct HealthService {
    probe: Arc<dyn Probe>,
    up: watch::Sender<bool>,
}

impl HealthService {
    /// `probe` should be a store with a connection of its own, outside the request pool.
    #[must_use]
    pub fn new(probe: Arc<dyn Probe>) -> Self {
        HealthService { probe, up: watch::Sender::new(true) }
    }

    /// Checks that the database answers within [`PING_TIME_LIMIT`], and records the answer.
    ///
    /// # Errors
    /// When it does not.
    #[tracing::instrument(skip_all)]
    pub async fn ping(&self) -> RepoResult<()> {
        let answer = match tokio::time::timeout(PING_TIME_LIMIT, self.probe.ping()).await {
            Ok(answer) => answer,
            Err(_) => Err(RepoError::Unavailable(format!("no answer within {PING_TIME_LIMIT:?}"))),
        };
        let up = answer.is_ok();
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
            assert!(!health.is_up());
            waiter.await.unwrap();

            switch.0.store(1, Ordering::SeqCst);
            assert!(health.ping().await.is_err() && !health.is_up());
            switch.0.store(0, Ordering::SeqCst);
            assert!(health.ping().await.is_ok() && health.is_up());
        });
    }
}
