//! `Idempotency-Key`: the first successful response under a key is stored per user and replayed
//! for a retry of the same request; the same key with a different request is refused.
//!
//! A stored response is dated by its day only (a finer time next to the account would help to
//! link it to an anonymous answer of the same moment) and kept for the day it was made and the
//! next: a retry comes within seconds, not days.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::ids::UserId;

use crate::clock::{Clock, day_of};
use crate::repo::{RepoError, Store, StoredResponse};

/// Why a request under an idempotency key cannot go ahead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdempotencyError {
    /// The key was used for a request with another fingerprint.
    #[error("this idempotency key was used for a different request")]
    KeyReused,
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// Stores and replays responses by (user, key).
pub struct IdempotencyService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl IdempotencyService {
    /// The day of the oldest response still kept: yesterday.
    fn oldest_kept(&self) -> DateTime<Utc> {
        day_of(self.clock.now()) - Duration::days(1)
    }

    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        IdempotencyService { store, clock }
    }

    /// The response to replay for a request with `fingerprint` under `key`, if the key was used.
    ///
    /// # Errors
    /// The key was used for a different request.
    #[tracing::instrument(skip_all)]
    pub async fn replay(
        &self,
        user_id: UserId,
        key: &str,
        fingerprint: &str,
    ) -> Result<Option<StoredResponse>, IdempotencyError> {
        self.replay_any(user_id, key, &[fingerprint]).await
    }

    /// The response to replay for a request under `key` whose stored fingerprint is any of
    /// `fingerprints` (for a request that is fingerprinted without its body where the body is
    /// private, which only the use case knows).
    ///
    /// # Errors
    /// The key was used for a different request.
    #[tracing::instrument(skip_all)]
    pub async fn replay_any(
        &self,
        user_id: UserId,
        key: &str,
        fingerprints: &[&str],
    ) -> Result<Option<StoredResponse>, IdempotencyError> {
        match self.store.stored_response(user_id, key, self.oldest_kept()).await? {
            Some(stored) if !fingerprints.contains(&stored.request_hash.as_str()) => Err(IdempotencyError::KeyReused),
            other => Ok(other),
        }
    }

    /// Stores the first response under `key`. When a concurrent request with the same key stored
    /// first, returns that one, to be answered instead.
    ///
    /// # Errors
    /// The concurrent request under the key was a different one.
    #[tracing::instrument(skip_all)]
    pub async fn remember(
        &self,
        user_id: UserId,
        key: &str,
        response: &StoredResponse,
    ) -> Result<Option<StoredResponse>, IdempotencyError> {
        if self.store.store_response(user_id, key, response, day_of(self.clock.now())).await? {
            self.store.purge_responses(self.oldest_kept()).await?;
            return Ok(None);
        }
        self.replay(user_id, key, &response.request_hash).await
    }
}
