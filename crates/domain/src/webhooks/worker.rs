//! The delivery worker: claims due deliveries with a lease, signs and posts each, records the
//! answer, and retries failures with exponential back-off for about a day; when a delivery is
//! given up its subscription is disabled and the organisation's admins are told, in one unit of
//! work. Several workers (several servers on one PostgreSQL database) never claim one delivery
//! twice; a server that dies mid-post leaves its claim to lapse, and the delivery goes out again
//! (at least once: receivers dedupe by `Pnyx-Webhook-Id`).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{AttemptResult, ClaimedDelivery, DISABLED_FAILING, DeliveryStatus, signing};
use crate::clock::Clock;
use crate::mail::RetryPolicy;
use crate::notifications::{self, kind as nk};
use crate::repo::{RepoResult, Store};

/// Posts a signed body to a subscriber.
#[async_trait::async_trait]
pub trait WebhookSender: Send + Sync {
    /// The receiver's HTTP status.
    ///
    /// # Errors
    /// No answer (refused, timed out, TLS failed), as text for the delivery log.
    async fn post(&self, url: &str, headers: &[(&'static str, String)], body: &str) -> Result<u16, String>;
}

/// The default back-off: one minute, doubling to at most four hours, 13 attempts, the last
/// about a day after the first.
#[must_use]
pub fn default_retry_policy() -> RetryPolicy {
    RetryPolicy {
        first_delay: Duration::minutes(1),
        max_delay: Duration::hours(4),
        max_attempts: 13,
        lease: Duration::minutes(2),
        batch: 20,
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub succeeded: usize,
    pub failed: usize,
}

/// Sends the deliveries.
pub struct WebhookWorker {
    store: Arc<dyn Store>,
    sender: Arc<dyn WebhookSender>,
    clock: Arc<dyn Clock>,
    policy: RetryPolicy,
    id: Uuid,
}

impl WebhookWorker {
    #[must_use]
    pub fn new(
        store: Arc<dyn Store>,
        sender: Arc<dyn WebhookSender>,
        clock: Arc<dyn Clock>,
        policy: RetryPolicy,
    ) -> Self {
        WebhookWorker { store, sender, clock, policy, id: Uuid::new_v4() }
    }

    /// Claims the due deliveries and tries each once.
    ///
    /// # Errors
    /// The database failed (a failed post is recorded, not returned).
    pub async fn run_once(&self) -> RepoResult<Round> {
        let now = self.clock.now();
        let claimed = self.store.claim_deliveries(self.id, now, now + self.policy.lease, self.policy.batch).await?;
        let mut round = Round::default();
        for c in claimed {
            if self.deliver(&c).await? {
                round.succeeded += 1;
            } else {
                round.failed += 1;
            }
        }
        Ok(round)
    }

    /// The headers of a delivery signed at `at`.
    fn headers(c: &ClaimedDelivery, at: DateTime<Utc>) -> Vec<(&'static str, String)> {
        let ts = at.timestamp();
        vec![
            ("Content-Type", "application/json".to_owned()),
            ("User-Agent", "Pnyx-Webhooks/1".to_owned()),
            (signing::HEADER_ID, c.delivery.id.to_string()),
            (signing::HEADER_EVENT, c.delivery.event_type.clone()),
            (signing::HEADER_TIMESTAMP, ts.to_string()),
            (signing::HEADER_SIGNATURE, signing::signature(&c.secret, ts, &c.delivery.body)),
        ]
    }

    /// Posts one claimed delivery; `true` when the receiver took it.
    async fn deliver(&self, c: &ClaimedDelivery) -> RepoResult<bool> {
        let d = &c.delivery;
        let answer = self.sender.post(&c.url, &Self::headers(c, self.clock.now()), &d.body).await;
        let now = self.clock.now();
        let (code, error) = match answer {
            Ok(code) if (200..300).contains(&code) => {
                let result = AttemptResult {
                    status: DeliveryStatus::Succeeded,
                    response_code: Some(i32::from(code)),
                    error: None,
                    next_attempt_at: None,
                };
                if !self.store.finish_delivery(d.id, self.id, &result, now).await? {
                    tracing::warn!(delivery = %d.id, "a delivered webhook's lease had passed: it may be sent again");
                }
                tracing::info!(delivery = %d.id, event = %d.event_type, code, "webhook delivered");
                return Ok(true);
            }
            Ok(code) => (Some(i32::from(code)), format!("the receiver answered HTTP {code}")),
            Err(e) => (None, e),
        };
        let retry_at = self.policy.retry_at(d.attempts + 1, now);
        let result = AttemptResult {
            status: if retry_at.is_some() { DeliveryStatus::Pending } else { DeliveryStatus::Failed },
            response_code: code,
            error: Some(error.chars().take(2000).collect()),
            next_attempt_at: retry_at,
        };
        if let Some(at) = retry_at {
            tracing::warn!(delivery = %d.id, retry_at = %at, error = %error, "webhook not delivered; will retry");
            self.store.finish_delivery(d.id, self.id, &result, now).await?;
            return Ok(false);
        }
        tracing::error!(delivery = %d.id, webhook = %d.webhook_id, error = %error, "webhook given up; disabling the subscription");
        let tx = self.store.begin().await?;
        if tx.finish_delivery(d.id, self.id, &result, now).await?
            && tx.disable_webhook(d.webhook_id, DISABLED_FAILING, now).await?
        {
            let admins = tx.org_admins(d.org_id).await?;
            let slug = tx.org_slug(d.org_id).await?;
            let payload = serde_json::json!({
                "title": c.url,
                "url": c.url,
                "webhook_id": d.webhook_id,
                "org_slug": slug,
                "error": result.error,
            });
            notifications::tell(&*tx, nk::WEBHOOK_DISABLED, d.org_id, admins, payload, None, now).await?;
        }
        tx.commit().await?;
        Ok(false)
    }

    /// Runs until the task is dropped: a round, then (when nothing was due) a pause of `poll`.
    pub async fn run(self, poll: std::time::Duration) {
        loop {
            match self.run_once().await {
                Ok(round) if round.succeeded + round.failed > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the webhook worker cannot read its deliveries"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_lasts_about_a_day() {
        let p = default_retry_policy();
        let start = Utc::now();
        let mut at = start;
        let mut attempts = 1;
        while let Some(next) = p.retry_at(attempts, at) {
            at = next;
            attempts += 1;
        }
        assert_eq!(attempts, 13);
        let span = at - start;
        assert!(span > Duration::hours(20) && span < Duration::hours(30), "{span}");
    }
}
