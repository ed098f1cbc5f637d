//! In-app notifications: what residents are told (a meeting they registered for was cancelled,
//! a consultation they took part in published its report). Stored now; e-mail and webhook
//! delivery read the same records later.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ids::{OrgId, UserId};

use crate::repo::{Page, PageRequest, RepoResult};

/// One notification for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    pub user_id: UserId,
    pub org_id: Option<OrgId>,
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
        user_id: UserId,
        org_id: Option<OrgId>,
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
        user_id: UserId,
        unread_only: bool,
        page: PageRequest,
    ) -> RepoResult<Page<Notification>>;
    /// Marks one read; `false` when the user has no such notification.
    async fn mark_read(&self, user_id: UserId, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
}

/// Why a notification use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("no such notification")]
    NotFound,
    #[error(transparent)]
    Repo(#[from] crate::repo::RepoError),
}

/// The signed-in user's notifications.
pub struct NotificationService {
    store: std::sync::Arc<dyn crate::repo::Store>,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
}

impl NotificationService {
    #[must_use]
    pub fn new(store: std::sync::Arc<dyn crate::repo::Store>, clock: std::sync::Arc<dyn crate::clock::Clock>) -> Self {
        NotificationService { store, clock }
    }

    /// The caller's notifications, newest first; only the unread ones if asked.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn list(
        &self,
        who: &crate::auth::Principal,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, NotificationError> {
        Ok(self.store.notifications_of(who.user_id, unread_only, page).await?)
    }

    /// Marks one of the caller's notifications read (again: no change).
    ///
    /// # Errors
    /// The caller has no such notification.
    #[tracing::instrument(skip_all)]
    pub async fn mark_read(&self, who: &crate::auth::Principal, id: Uuid) -> Result<(), NotificationError> {
        if self.store.mark_read(who.user_id, id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(NotificationError::NotFound)
        }
    }
}
