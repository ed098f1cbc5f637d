//! Notifications: what residents are told (a meeting they follow was cancelled, their report was
//! answered), what they follow, and how each kind reaches them (in the app, e-mail at once, a
//! daily digest, or not at all). Events fan out in the change's own unit of work
//! ([`events::publish`]); e-mail goes through the outbox; the digest worker sends one digest per
//! user and day ([`digest::DigestWorker`]); every notification e-mail carries a one-click
//! unsubscribe link ([`unsubscribe::UnsubscribeKeys`]).

pub mod digest;
pub mod events;
pub mod unsubscribe;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{Action, Caller, Principal, Scope};
use crate::clock::Clock;
use crate::ids::{OrgId, UserId};
use crate::repo::{Page, PageRequest, RepoResult, Store};

pub use events::{DomainEvent, default_delivery, is_kind, kind, publish, tell};
pub use unsubscribe::{UnsubscribeKeys, UnsubscribeTokenError};

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
    /// Waiting for the recipient's next daily digest.
    pub digest_pending: bool,
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
            digest_pending: false,
        }
    }
}

/// What a resident can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Followable {
    Commitment,
    Meeting,
    Consultation,
    Budget,
    Proposal,
    Report,
}

impl Followable {
    pub const ALL: [Followable; 6] = [
        Followable::Commitment,
        Followable::Meeting,
        Followable::Consultation,
        Followable::Budget,
        Followable::Proposal,
        Followable::Report,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Followable::Commitment => "commitment",
            Followable::Meeting => "meeting",
            Followable::Consultation => "consultation",
            Followable::Budget => "budget",
            Followable::Proposal => "proposal",
            Followable::Report => "report",
        }
    }
}

impl std::str::FromStr for Followable {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Followable::ALL.into_iter().find(|f| f.as_str() == s).ok_or(())
    }
}

/// How a kind of notification reaches a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Only in the app (the bell).
    InApp,
    /// In the app, and by e-mail at once.
    Email,
    /// In the app, and in the daily digest e-mail.
    Digest,
    /// Not at all.
    Off,
}

impl Delivery {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::InApp => "in_app",
            Delivery::Email => "email",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }
}

impl std::str::FromStr for Delivery {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        [Delivery::InApp, Delivery::Email, Delivery::Digest, Delivery::Off]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or(())
    }
}

/// A user following a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub target: Followable,
    pub target_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Where a followable resource lives, and whether residents may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowTarget {
    pub org_id: OrgId,
    /// The organisation's slug (for links).
    pub org_slug: String,
    /// Visible to the public (a commitment of a draft plan is not).
    pub public: bool,
}

/// One kind's delivery for a user: chosen, or the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference {
    pub kind: &'static str,
    pub delivery: Delivery,
    /// Nothing chosen: the kind's default applies.
    pub is_default: bool,
}

/// Persistence of notifications, follows, preferences and digests.
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
    /// Marks every unread notification of the user read; how many were.
    async fn mark_all_read(&self, user_id: UserId, now: DateTime<Utc>) -> RepoResult<u64>;

    /// The organisation of a followable resource and whether it is public; `None` if none.
    async fn follow_target(&self, target: Followable, id: Uuid) -> RepoResult<Option<FollowTarget>>;
    /// Adds a follow; `false` when it existed.
    async fn follow(&self, follow: &Follow) -> RepoResult<bool>;
    /// Removes a follow; `false` when there was none.
    async fn unfollow(&self, user_id: UserId, target: Followable, id: Uuid) -> RepoResult<bool>;
    async fn is_following(&self, user_id: UserId, target: Followable, id: Uuid) -> RepoResult<bool>;
    /// Who follows a resource.
    async fn followers(&self, target: Followable, id: Uuid) -> RepoResult<Vec<UserId>>;
    /// A user's follows, newest first.
    async fn follows_of(&self, user_id: UserId) -> RepoResult<Vec<Follow>>;

    /// The deliveries the users chose for `kind` (users who chose nothing are absent).
    async fn deliveries(&self, users: &[UserId], kind: &str) -> RepoResult<Vec<(UserId, Delivery)>>;
    /// Every delivery the user chose, by kind.
    async fn preferences_of(&self, user_id: UserId) -> RepoResult<Vec<(String, Delivery)>>;
    /// Sets the user's delivery of each kind given (others stay as they are).
    async fn set_preferences(
        &self,
        user_id: UserId,
        prefs: &[(String, Delivery)],
        now: DateTime<Utc>,
    ) -> RepoResult<()>;

    /// Users with notifications waiting for a digest and no digest recorded for `day`, at most
    /// `limit`.
    async fn digest_recipients(&self, day: &str, limit: u64) -> RepoResult<Vec<UserId>>;
    /// Records the digest of `user` for `day` (`YYYY-MM-DD`); `false` when one was recorded
    /// already (by this or another server): the record's key is what keeps it to one a day.
    async fn claim_digest(&self, user_id: UserId, day: &str, now: DateTime<Utc>) -> RepoResult<bool>;
    /// The user's notifications waiting for a digest, oldest first.
    async fn digest_pending(&self, user_id: UserId) -> RepoResult<Vec<Notification>>;
    /// Marks notifications as no longer waiting for a digest.
    async fn clear_digest(&self, ids: &[Uuid]) -> RepoResult<()>;
}

/// Why a notification use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("you are not allowed to do this")]
    Forbidden,
    /// A preference names a kind that does not exist.
    #[error("unknown notification kind `{0}`")]
    UnknownKind(String),
    #[error(transparent)]
    InvalidToken(#[from] UnsubscribeTokenError),
    #[error(transparent)]
    Repo(#[from] crate::repo::RepoError),
}

/// The signed-in user's notifications, follows and preferences, and one-click unsubscribe.
pub struct NotificationService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    keys: UnsubscribeKeys,
}

impl NotificationService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, keys: UnsubscribeKeys) -> Self {
        NotificationService { store, clock, keys }
    }

    /// The caller's notifications, newest first; only the unread ones if asked.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn list(
        &self,
        who: &Principal,
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
    pub async fn mark_read(&self, who: &Principal, id: Uuid) -> Result<(), NotificationError> {
        if self.store.mark_read(who.user_id, id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(NotificationError::NotFound("notification"))
        }
    }

    /// Marks all of the caller's notifications read; how many were unread.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn mark_all_read(&self, who: &Principal) -> Result<u64, NotificationError> {
        Ok(self.store.mark_all_read(who.user_id, self.clock.now()).await?)
    }

    /// The resource, if the caller may see it.
    async fn visible_target(
        &self,
        who: &Principal,
        target: Followable,
        id: Uuid,
    ) -> Result<FollowTarget, NotificationError> {
        let found = self.store.follow_target(target, id).await?.ok_or(NotificationError::NotFound(target.as_str()))?;
        let staff = Caller::User(who.clone()).authorize(found.org_id, Action::SeeStaffView).is_ok();
        if found.public || staff { Ok(found) } else { Err(NotificationError::NotFound(target.as_str())) }
    }

    /// Follows a resource (again: no change). Following only tells the caller, so it needs no
    /// confirmed address; a read-only token cannot.
    ///
    /// # Errors
    /// Read-only token; no such resource visible to the caller.
    #[tracing::instrument(skip_all, fields(target = target.as_str(), id = %id))]
    pub async fn follow(&self, who: &Principal, target: Followable, id: Uuid) -> Result<(), NotificationError> {
        if who.scope != Scope::Act {
            return Err(NotificationError::Forbidden);
        }
        let found = self.visible_target(who, target, id).await?;
        let follow =
            Follow { user_id: who.user_id, org_id: found.org_id, target, target_id: id, created_at: self.clock.now() };
        self.store.follow(&follow).await?;
        Ok(())
    }

    /// Stops following (not following: no change).
    ///
    /// # Errors
    /// Read-only token.
    #[tracing::instrument(skip_all, fields(target = target.as_str(), id = %id))]
    pub async fn unfollow(&self, who: &Principal, target: Followable, id: Uuid) -> Result<(), NotificationError> {
        if who.scope != Scope::Act {
            return Err(NotificationError::Forbidden);
        }
        self.store.unfollow(who.user_id, target, id).await?;
        Ok(())
    }

    /// Whether the caller follows a resource they can see.
    ///
    /// # Errors
    /// No such resource visible to the caller.
    #[tracing::instrument(skip_all, fields(target = target.as_str(), id = %id))]
    pub async fn is_following(&self, who: &Principal, target: Followable, id: Uuid) -> Result<bool, NotificationError> {
        self.visible_target(who, target, id).await?;
        Ok(self.store.is_following(who.user_id, target, id).await?)
    }

    /// What the caller follows, newest first.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn follows(&self, who: &Principal) -> Result<Vec<Follow>, NotificationError> {
        Ok(self.store.follows_of(who.user_id).await?)
    }

    /// The caller's delivery of every kind.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn preferences(&self, who: &Principal) -> Result<Vec<Preference>, NotificationError> {
        let chosen: std::collections::HashMap<String, Delivery> =
            self.store.preferences_of(who.user_id).await?.into_iter().collect();
        Ok(kind::ALL
            .into_iter()
            .map(|k| match chosen.get(k) {
                Some(d) => Preference { kind: k, delivery: *d, is_default: false },
                None => Preference { kind: k, delivery: default_delivery(k), is_default: true },
            })
            .collect())
    }

    /// Sets the caller's delivery of the kinds given; all or nothing.
    ///
    /// # Errors
    /// Read-only token; an unknown kind.
    #[tracing::instrument(skip_all)]
    pub async fn set_preferences(
        &self,
        who: &Principal,
        prefs: Vec<(String, Delivery)>,
    ) -> Result<Vec<Preference>, NotificationError> {
        if who.scope != Scope::Act {
            return Err(NotificationError::Forbidden);
        }
        if let Some((k, _)) = prefs.iter().find(|(k, _)| !is_kind(k)) {
            return Err(NotificationError::UnknownKind(k.clone()));
        }
        self.store.set_preferences(who.user_id, &prefs, self.clock.now()).await?;
        self.preferences(who).await
    }

    /// One-click unsubscribe from an e-mail (no sign-in): the token's kind is no longer e-mailed
    /// (it stays in the app); the digest token stops the digest of every kind. Again: no change.
    /// Returns the kinds changed.
    ///
    /// # Errors
    /// A forged, malformed or expired token.
    #[tracing::instrument(skip_all)]
    pub async fn unsubscribe(&self, token: &str) -> Result<Vec<&'static str>, NotificationError> {
        let now = self.clock.now();
        let (user, k) = self.keys.verify(token, now)?;
        let chosen: std::collections::HashMap<String, Delivery> =
            self.store.preferences_of(user).await?.into_iter().collect();
        let effective = |k: &str| chosen.get(k).copied().unwrap_or_else(|| default_delivery(k));
        let kinds: Vec<&'static str> = if k == unsubscribe::DIGEST {
            kind::ALL.into_iter().filter(|k| effective(k) == Delivery::Digest).collect()
        } else {
            let known = kind::ALL.into_iter().find(|x| *x == k).ok_or(UnsubscribeTokenError::Invalid)?;
            if matches!(effective(known), Delivery::Email | Delivery::Digest) { vec![known] } else { vec![] }
        };
        if kinds.is_empty() {
            return Ok(kinds);
        }
        let prefs: Vec<(String, Delivery)> = kinds.iter().map(|k| ((*k).to_owned(), Delivery::InApp)).collect();
        self.store.set_preferences(user, &prefs, now).await?;
        tracing::info!(user = %user, kinds = ?kinds, "unsubscribed by e-mail link");
        Ok(kinds)
    }
}
