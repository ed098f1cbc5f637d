//! The outbox worker: claims due messages with a lease, renders and sends each, marks it sent
//! once the mail server accepted it, and otherwise tries again later with exponential back-off.
//!
//! Delivery is at least once: a server that dies after sending but before marking leaves the
//! message claimed until its lease ends, when a worker sends it again. Several workers (several
//! servers on one PostgreSQL database) share the work without claiming one message twice.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{MailError, Mailer, OutboxMail, render};
use crate::clock::Clock;
use crate::repo::{RepoResult, Store};

/// When to try a failed message again, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each further failure doubles it.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// Attempts before the message is given up.
    pub max_attempts: i32,
    /// How long a claim lasts: past it, another worker may send the message.
    pub lease: Duration,
    /// Messages claimed at a time.
    pub batch: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            first_delay: Duration::seconds(30),
            max_delay: Duration::hours(1),
            max_attempts: 10,
            lease: Duration::minutes(5),
            batch: 20,
        }
    }
}

impl RetryPolicy {
    /// When a message that has now failed `attempts` times is tried again; `None`: give up.
    #[must_use]
    pub fn retry_at(&self, attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(0);
        let delay = self.first_delay.checked_mul(2_i32.saturating_pow(exp)).unwrap_or(self.max_delay);
        Some(now + delay.min(self.max_delay))
    }
}

/// What one round of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// Sends the outbox.
pub struct OutboxWorker {
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    public_url: String,
    policy: RetryPolicy,
    id: Uuid,
    unsubscribe: Option<crate::notifications::UnsubscribeKeys>,
}

impl OutboxWorker {
    #[must_use]
    pub fn new(
        store: Arc<dyn Store>,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        public_url: &str,
        policy: RetryPolicy,
    ) -> Self {
        OutboxWorker {
            store,
            mailer,
            clock,
            public_url: public_url.to_owned(),
            policy,
            id: Uuid::new_v4(),
            unsubscribe: None,
        }
    }

    /// Signs the one-click unsubscribe link of notification mail with `keys` when sending (so no
    /// token is stored, and its life counts from the sending).
    #[must_use]
    pub fn with_unsubscribe_keys(mut self, keys: crate::notifications::UnsubscribeKeys) -> Self {
        self.unsubscribe = Some(keys);
        self
    }

    /// The message with its unsubscribe token, for the notification kinds.
    fn signed(&self, mail: &OutboxMail) -> OutboxMail {
        let mut mail = mail.clone();
        let which = match mail.kind.as_str() {
            super::kind::NOTIFICATION => mail.payload["kind"].as_str().map(str::to_owned),
            super::kind::DIGEST => Some(crate::notifications::unsubscribe::DIGEST.to_owned()),
            _ => None,
        };
        if let (Some(keys), Some(which), Some(user)) = (&self.unsubscribe, which, mail.user_id)
            && let Some(obj) = mail.payload.as_object_mut()
        {
            obj.insert("unsubscribe_token".into(), keys.sign(user, &which, self.clock.now()).into());
        }
        mail
    }

    /// Claims the due messages and tries each once.
    ///
    /// # Errors
    /// The database failed (a failed send is recorded, not returned).
    pub async fn run_once(&self) -> RepoResult<Round> {
        let now = self.clock.now();
        let claimed = self.store.claim_mail(self.id, now, now + self.policy.lease, self.policy.batch).await?;
        let mut round = Round::default();
        for mail in claimed {
            if self.deliver(&mail).await? {
                round.sent += 1;
            } else {
                round.failed += 1;
            }
        }
        Ok(round)
    }

    /// Sends one claimed message; `true` when it was sent and marked so.
    async fn deliver(&self, mail: &OutboxMail) -> RepoResult<bool> {
        let result = match render(&self.signed(mail), &self.public_url) {
            Ok(rendered) => self.mailer.send(&rendered).await,
            Err(e) => Err(MailError::Permanent(e.to_string())),
        };
        let now = self.clock.now();
        match result {
            Ok(()) => {
                if !self.store.mark_mail_sent(mail.id, self.id, now).await? {
                    tracing::warn!(mail = %mail.id, "a sent message's lease had passed: it may be sent again");
                }
                tracing::info!(mail = %mail.id, kind = %mail.kind, "mail sent");
                Ok(true)
            }
            Err(e) => {
                let retry_at = match &e {
                    MailError::Temporary(_) => self.policy.retry_at(mail.attempts + 1, now),
                    MailError::Permanent(_) => None,
                };
                match retry_at {
                    Some(at) => {
                        tracing::warn!(mail = %mail.id, kind = %mail.kind, retry_at = %at, error = %e, "mail not sent; will retry")
                    }
                    None => tracing::error!(mail = %mail.id, kind = %mail.kind, error = %e, "mail not sent; given up"),
                }
                self.store.mark_mail_failed(mail.id, self.id, retry_at, &e.to_string(), now).await?;
                Ok(false)
            }
        }
    }

    /// Runs until the task is dropped: a round, then (when nothing was due) a pause of `poll`.
    pub async fn run(self, poll: std::time::Duration) {
        loop {
            match self.run_once().await {
                Ok(round) if round.sent + round.failed > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the outbox worker cannot read the outbox"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_the_cap_then_gives_up() {
        let p = RetryPolicy::default();
        let now = Utc::now();
        assert_eq!(p.retry_at(1, now), Some(now + Duration::seconds(30)));
        assert_eq!(p.retry_at(2, now), Some(now + Duration::seconds(60)));
        assert_eq!(p.retry_at(4, now), Some(now + Duration::seconds(240)));
        assert_eq!(p.retry_at(9, now), Some(now + Duration::hours(1)));
        assert_eq!(p.retry_at(10, now), None);
    }
}
