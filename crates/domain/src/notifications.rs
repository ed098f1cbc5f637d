//! In-app notifications: what residents are told (a meeting they registered for was cancelled,
//! a consultation they took part in published its report). Stored now; e-mail and webhook
//! delivery read the same records later.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::repo::{Page, PageRequest, RepoResult};

/// One notification for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    pub user_id: Uuid,
    pub org_id: Option<Uuid>,
    /// A stable machine-readable kind, e.g. `meeting.cancelled`.
    pub kind: String,
    /// What the client needs to render it (ids, titles, reasons).
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    /// A new unread notification.
    #[must_use]
    pub fn new(
        user_id: Uuid,
        org_id: Option<Uuid>,
        kind: &str,
        payload: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Self {
        Notification {
            id: Uuid::now_v7(),
            user_id,
            org_id,
            kind: kind.to_owned(),
            payload,
            created_at: now,
            read_at: None,
        }
    }
}

/// Persistence of notifications.
#[async_trait::async_trait]
pub trait NotificationRepo: Send + Sync {
    async fn notify(&self, notifications: &[Notification]) -> RepoResult<()>;
    /// A user's notifications, newest first.
    async fn notifications_of(
        &self,
        user_id: Uuid,
        unread_only: bool,
        page: PageRequest,
    ) -> RepoResult<Page<Notification>>;
    /// Marks one read; `false` when the user has no such notification.
    async fn mark_read(&self, user_id: Uuid, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
}
