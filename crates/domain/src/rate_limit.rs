//! Rate limits: counters of attempts per key (an address, an account, or both) in fixed windows,
//! kept in the database so that several servers sharing it share the limits. A key over its
//! limit is refused until its window ends, with the seconds to wait.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::clock::Clock;
use crate::repo::{RepoResult, Store};

/// At most `max` attempts per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
    /// Whether the deployment's scale applies (`PNYX_RATE_LIMIT_SCALE`); a fixed limit (failed
    /// logins of one account from one address) holds whatever the scale.
    pub fixed: bool,
}

impl Limit {
    /// A limit the deployment's scale multiplies (or turns off with 0).
    #[must_use]
    pub const fn new(max: u32, window: Duration) -> Self {
        Limit { max, window, fixed: false }
    }

    /// A limit that holds whatever the scale.
    #[must_use]
    pub const fn fixed(max: u32, window: Duration) -> Self {
        Limit { max, window, fixed: true }
    }

    /// This limit under `scale`: `None` when off (a scalable limit with scale 0), else with `max`
    /// multiplied by `scale` (at least 1).
    #[must_use]
    pub fn scaled(self, scale: f64) -> Option<Self> {
        if self.fixed {
            return Some(self);
        }
        if scale <= 0.0 {
            return None;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let max = (f64::from(self.max) * scale).round().clamp(1.0, f64::from(u32::MAX)) as u32;
        Some(Limit { max, ..self })
    }
}

/// The limits the API applies (at scale 1).
pub mod limits {
    use super::Limit;
    use chrono::Duration;

    /// Failed logins of one account from one address: a stranger elsewhere cannot lock the
    /// owner out.
    pub const LOGIN_FAILURES: Limit = Limit::fixed(10, Duration::minutes(15));
    /// Login attempts from one address, whatever the account (one address guessing many).
    pub const LOGIN_ATTEMPTS: Limit = Limit::new(100, Duration::minutes(15));
    /// Registrations from one address.
    pub const REGISTRATIONS: Limit = Limit::new(20, Duration::hours(1));
    /// E-mails asked for (reset, verification) from one address.
    pub const MAIL_REQUESTS: Limit = Limit::new(20, Duration::hours(1));
    /// Password changes of one account.
    pub const PASSWORD_CHANGES: Limit = Limit::new(10, Duration::minutes(15));
    /// API tokens created by one account.
    pub const TOKENS_CREATED: Limit = Limit::new(20, Duration::hours(1));
    /// Anonymous opinions from one address.
    pub const ANONYMOUS_OPINIONS: Limit = Limit::new(30, Duration::hours(1));
    /// Budget proposals by one account.
    pub const PROPOSALS_BY_ACCOUNT: Limit = Limit::new(10, Duration::hours(1));
    /// Budget proposals from one address (a library's or a town hall's shared address).
    pub const PROPOSALS_BY_ADDRESS: Limit = Limit::new(60, Duration::hours(1));
}

/// A key's counter as stored: attempts in the window that started at `window_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub hits: u32,
    pub window_start: DateTime<Utc>,
}

/// Persistence of the counters.
#[async_trait::async_trait]
pub trait RateLimitRepo: Send + Sync {
    /// Counts one attempt for `key` at `now` in one statement (atomic under concurrency): a
    /// window that started at or before `now - window` starts again at `now` with one attempt.
    async fn hit_rate_limit(&self, key: &str, now: DateTime<Utc>, window: Duration) -> RepoResult<Counter>;
    /// The key's counter, if it has one.
    async fn rate_limit(&self, key: &str) -> RepoResult<Option<Counter>>;
    /// Forgets the key (a successful login clears its failures).
    async fn clear_rate_limit(&self, key: &str) -> RepoResult<()>;
    /// Deletes counters whose window started before `before`.
    async fn purge_rate_limits(&self, before: DateTime<Utc>) -> RepoResult<u64>;
}

/// Refused: try again in this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts; try again in {retry_after_secs} s")]
pub struct RateLimited {
    pub retry_after_secs: i64,
}

/// Why a limit could not be applied or was exceeded.
#[derive(Debug, thiserror::Error)]
pub enum LimitError {
    #[error(transparent)]
    Limited(#[from] RateLimited),
    #[error(transparent)]
    Repo(#[from] crate::repo::RepoError),
}

/// Counts attempts against limits.
pub struct RateLimitService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    scale: f64,
}

impl RateLimitService {
    /// Limits as given, multiplied by `scale` (`0` turns every limit off).
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, scale: f64) -> Self {
        RateLimitService { store, clock, scale }
    }

    fn retry_after(&self, c: Counter, limit: Limit, now: DateTime<Utc>) -> Option<i64> {
        let ends = c.window_start + limit.window;
        (c.hits > limit.max && ends > now).then(|| (ends - now).num_seconds().max(1))
    }

    /// Counts an attempt for `key`; refused when it is over the limit.
    ///
    /// # Errors
    /// Over the limit (with the wait); the database failed.
    pub async fn hit(&self, key: &str, limit: Limit) -> Result<(), LimitError> {
        let Some(limit) = limit.scaled(self.scale) else { return Ok(()) };
        let now = self.clock.now();
        let c = self.store.hit_rate_limit(key, now, limit.window).await?;
        // Now and then (about one new window in 256), forget windows long over.
        if c.hits == 1 && now.timestamp_subsec_micros().is_multiple_of(256) {
            self.store.purge_rate_limits(now - Duration::days(1)).await?;
        }
        match self.retry_after(c, limit, now) {
            Some(retry_after_secs) => Err(RateLimited { retry_after_secs }.into()),
            None => Ok(()),
        }
    }

    /// Refused when `key` has already reached its limit (without counting an attempt): for
    /// counters of failures, checked before trying and [`hit`](Self::hit) only on failure.
    ///
    /// # Errors
    /// At the limit (with the wait); the database failed.
    pub async fn check(&self, key: &str, limit: Limit) -> Result<(), LimitError> {
        let Some(limit) = limit.scaled(self.scale) else { return Ok(()) };
        let now = self.clock.now();
        let Some(c) = self.store.rate_limit(key).await? else { return Ok(()) };
        let ends = c.window_start + limit.window;
        if c.hits >= limit.max && ends > now {
            return Err(RateLimited { retry_after_secs: (ends - now).num_seconds().max(1) }.into());
        }
        Ok(())
    }

    /// Forgets `key`'s attempts.
    ///
    /// # Errors
    /// The database failed.
    pub async fn clear(&self, key: &str) -> Result<(), LimitError> {
        self.store.clear_rate_limit(key).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_keeps_at_least_one_attempt_and_zero_turns_scalable_limits_off() {
        let l = Limit::new(10, Duration::minutes(15));
        assert_eq!(l.scaled(2.0).map(|l| l.max), Some(20));
        assert_eq!(l.scaled(0.01).map(|l| l.max), Some(1));
        assert_eq!(l.scaled(1.0), Some(l));
        assert_eq!(l.scaled(0.0), None);
        let f = Limit::fixed(10, Duration::minutes(15));
        assert_eq!(f.scaled(0.0), Some(f), "a fixed limit holds whatever the scale");
        assert_eq!(f.scaled(5.0), Some(f));
    }
}
