//! The daily digest: once a day (from `hour` UTC on), each user with notifications waiting for the
//! digest gets one e-mail listing them. The day's record, the message in the outbox and the
//! notifications leaving the queue commit together, and the record's key (user, day) makes a
//! second server's attempt at the same digest a no-op: never two digests a day, and a digest
//! interrupted before committing is simply made again.

use std::sync::Arc;

use chrono::{DateTime, Timelike, Utc};

use crate::clock::Clock;
use crate::mail::OutboxMail;
use crate::repo::{RepoResult, Store};

/// Users handled per round.
const BATCH: u64 = 50;

/// Sends the daily digests.
pub struct DigestWorker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hour: u32,
}

impl DigestWorker {
    /// A worker sending each day's digests from `hour` (0–23, UTC) on.
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, hour: u32) -> Self {
        DigestWorker { store, clock, hour: hour.min(23) }
    }

    /// Queues today's digest for every user who has one waiting and has had none today; how
    /// many were queued. Before the day's hour it does nothing.
    ///
    /// # Errors
    /// The database failed.
    pub async fn run_once(&self) -> RepoResult<usize> {
        let now = self.clock.now();
        if now.hour() < self.hour {
            return Ok(0);
        }
        let day = now.format("%Y-%m-%d").to_string();
        let mut queued = 0;
        for user in self.store.digest_recipients(&day, BATCH).await? {
            if self.digest(user, &day, now).await? {
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// One user's digest for `day`, in one unit of work; `false` when there was one already.
    async fn digest(&self, user: crate::ids::UserId, day: &str, now: DateTime<Utc>) -> RepoResult<bool> {
        let tx = self.store.begin().await?;
        if !tx.claim_digest(user, day, now).await? {
            return Ok(false);
        }
        let items = tx.digest_pending(user).await?;
        if items.is_empty() {
            return Ok(false);
        }
        if let Some(u) = tx.user_by_id(user).await?
            && u.email_verified_at.is_some()
        {
            let list: Vec<serde_json::Value> = items
                .iter()
                .map(|n| serde_json::json!({"kind": n.kind, "payload": n.payload, "created_at": n.created_at}))
                .collect();
            let payload = serde_json::json!({"name": u.display_name, "items": list, "day": day});
            tx.enqueue_mail(&OutboxMail::new(crate::mail::kind::DIGEST, &u.email, u.locale, Some(u.id), payload, now))
                .await?;
        }
        let ids: Vec<uuid::Uuid> = items.iter().map(|n| n.id).collect();
        tx.clear_digest(&ids).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Runs until the task is dropped: a round every `poll`.
    pub async fn run(self, poll: std::time::Duration) {
        loop {
            match self.run_once().await {
                Ok(n) if n > 0 => tracing::info!(digests = n, "daily digests queued"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the digest worker failed"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}
