//! E-mail: the outbox (messages written in the same unit of work as the change that causes
//! them), the [`Mailer`] port that delivers a rendered message (SMTP or a folder, wired by the
//! server), rendering in the recipient's language, and the [`OutboxWorker`] that sends with
//! retries.
//!
//! A message is stored as a kind and a JSON payload and rendered when it is sent: the texts and
//! the public URL in force at sending apply, and later features (notifications, invitations)
//! add a kind and its texts without touching the outbox.

mod notices;
mod render;
mod worker;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::i18n::Locale;
use crate::ids::UserId;
use crate::repo::RepoResult;

pub use render::{RenderError, render};
pub use worker::{OutboxWorker, RetryPolicy};

/// Kinds of message. Account mail is transactional (no unsubscribe link); notification mail
/// carries a one-click unsubscribe link.
pub mod kind {
    /// Confirm the address given at registration. Payload: `name`, `token`.
    pub const VERIFY_EMAIL: &str = "account.verify-email";
    /// Choose a new password. Payload: `name`, `token`.
    pub const PASSWORD_RESET: &str = "account.password-reset";
    /// Somebody registered with an address that has an account. Payload: `name`.
    pub const REGISTRATION_ATTEMPT: &str = "account.registration-attempt";
    /// Confirm a new address for the account. Payload: `name`, `token`.
    pub const CONFIRM_NEW_EMAIL: &str = "account.confirm-new-email";
    /// An invitation to an organisation's staff. Payload: `name`, `token`, `org`.
    pub const STAFF_INVITATION: &str = "staff.invitation";
    /// The organisation verified the recipient's residency. Payload: `name`, `org`, `org_slug`.
    pub const RESIDENCY_APPROVED: &str = "residency.approved";
    /// The organisation refused to verify the recipient's residency. Payload: `name`, `org`,
    /// `org_slug`, `reason`.
    pub const RESIDENCY_REFUSED: &str = "residency.refused";
    /// One notification, sent at once. Payload: `name`, `kind` (the notification's), `payload`
    /// (the notification's); the worker adds `unsubscribe_token` when sending.
    pub const NOTIFICATION: &str = "notification";
    /// The daily digest. Payload: `name`, `items` (each `kind`, `payload`), `day`.
    pub const DIGEST: &str = "notification.digest";
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: Uuid,
    pub kind: String,
    pub recipient: String,
    pub locale: Locale,
    /// What rendering needs (names, tokens); secrets in it are erased once the message is sent.
    pub payload: serde_json::Value,
    pub user_id: Option<UserId>,
    /// Failed sending attempts so far.
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl OutboxMail {
    /// A new message, due now.
    #[must_use]
    pub fn new(
        kind: &str,
        recipient: &str,
        locale: Locale,
        user_id: Option<UserId>,
        payload: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Self {
        OutboxMail {
            id: Uuid::now_v7(),
            kind: kind.to_owned(),
            recipient: recipient.to_owned(),
            locale,
            payload,
            user_id,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        }
    }
}

/// Persistence of the outbox.
#[async_trait::async_trait]
pub trait OutboxRepo: Send + Sync {
    /// Adds a message (inside the caller's unit of work, so it exists exactly when the change does).
    async fn enqueue_mail(&self, mail: &OutboxMail) -> RepoResult<()>;
    /// When the newest message of `kind` about `user_id` was queued, if ever.
    async fn last_mail_queued(&self, user_id: UserId, kind: &str) -> RepoResult<Option<DateTime<Utc>>>;
    /// Claims up to `limit` due messages for `worker` until `lease_until`: unsent, not given up,
    /// due at `now` and not claimed by a live lease. Concurrent claims never return the same
    /// message (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer at a time).
    async fn claim_mail(
        &self,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> RepoResult<Vec<OutboxMail>>;
    /// Marks a message sent (and erases its payload) if `worker` still holds its claim; `false`
    /// when the lease was lost.
    async fn mark_mail_sent(&self, id: Uuid, worker: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
    /// Records a failed attempt: due again at `retry_at`, or given up when `None`.
    async fn mark_mail_failed(
        &self,
        id: Uuid,
        worker: Uuid,
        retry_at: Option<DateTime<Utc>>,
        error: &str,
        now: DateTime<Utc>,
    ) -> RepoResult<()>;
}

/// A message ready to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The message's language, as a BCP 47 tag (`Content-Language`).
    pub language: String,
    /// One-click unsubscribe (RFC 8058) for mail that is not about the account itself.
    pub unsubscribe_url: Option<String>,
    /// The link the message is about (logged by the folder mailer in development).
    pub link: Option<String>,
}

/// Why a message could not be delivered now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (the server is down, a 4xx answer).
    #[error("temporary mail failure: {0}")]
    Temporary(String),
    /// Trying again will not help (a malformed address, a 5xx answer).
    #[error("permanent mail failure: {0}")]
    Permanent(String),
}

/// Delivers rendered messages (SMTP, or `.eml` files in a folder).
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Returns once the message was accepted (by the SMTP server, or written).
    ///
    /// # Errors
    /// A temporary or permanent failure.
    async fn send(&self, mail: &RenderedMail) -> Result<(), MailError>;
}
