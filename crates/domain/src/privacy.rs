//! Residents' personal data: "download my data" (an archive of everything stored about the
//! account, made in the background and offered for [`EXPORT_TTL`]), "delete my account" (the
//! identity erased, what was published kept under [`FORMER_RESIDENT`] unless the resident asks
//! to remove it too, ballots counted and unlinkable) and each organisation's retention settings
//! (contact details of meeting registrations, reports and opinions deleted some months later),
//! applied by the same background worker.
//!
//! Erasure keeps the account's row as a tombstone with no e-mail, name or password: every row
//! that points at it (registrations, supports, reports, voters) keeps pointing at something, so
//! counts and results do not move, and nothing left in it says who it was.

use std::sync::Arc;

use chrono::{DateTime, Duration, Months, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::accounts::{Credential, CredentialError, PasswordHasher};
use crate::auth::{Action, AuthzError, Caller, Principal, Role, Scope};
use crate::clock::Clock;
use crate::ids::{OrgId, UserId};
use crate::org::Slug;
use crate::repo::{RepoError, RepoResult, Store};

/// How long a finished archive can be downloaded.
pub const EXPORT_TTL: Duration = Duration::days(7);

/// The name what an erased account published is shown under.
pub const FORMER_RESIDENT: &str = "A former resident";

/// The archive's format name and version.
pub const ARCHIVE_FORMAT: &str = "pnyx-personal-data/1";

/// What the archive says it cannot hold.
pub const ARCHIVE_NOTICE: &str = "Anonymous survey answers and the contents of your budget ballots are not included: \
     nothing stored links them to your account, so they cannot be found (this is what keeps them secret). \
     Secrets (your password's hash, token hashes) are left out.";

/// The longest retention period an organisation can set, in months (ten years).
pub const MAX_RETENTION_MONTHS: u16 = 120;

/// Archives made per worker round.
const BATCH: u64 = 10;

/// Where an archive is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    /// Asked for; the background worker has not made it yet.
    Pending,
    /// Made; downloadable until it expires.
    Ready,
}

impl ExportStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Pending => "pending",
            ExportStatus::Ready => "ready",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(ExportStatus::Pending),
            "ready" => Some(ExportStatus::Ready),
            _ => None,
        }
    }
}

/// A request for the archive of one account's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataExport {
    pub id: Uuid,
    pub user_id: UserId,
    pub status: ExportStatus,
    pub requested_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// What erasing an account changes.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub user_id: UserId,
    /// The e-mail and name being erased: rows that copied them (outgoing mail, invitations,
    /// rate-limit keys, denormalised author names) are found by them.
    pub email: String,
    pub display_name: String,
    /// Remove what they published too (comments' bodies, opinions, reports), not only their name.
    pub remove_content: bool,
    pub now: DateTime<Utc>,
}

/// How long an organisation keeps residents' contact details; `None`: until the resident
/// deletes their account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// Months after a meeting ends that its registrations (who registered) are deleted; the
    /// meeting's counts stay.
    pub registration_months: Option<u16>,
    /// Months after a report is resolved (or made, if it never is) that its author's name is
    /// replaced by [`FORMER_RESIDENT`] and hidden.
    pub report_contact_months: Option<u16>,
    /// Months after an opinion is given that its author's name and e-mail are deleted.
    pub opinion_contact_months: Option<u16>,
}

/// What one retention round removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionRun {
    pub registrations: u64,
    pub report_contacts: u64,
    pub opinion_contacts: u64,
}

/// Persistence of personal-data requests, erasure and retention.
#[async_trait::async_trait]
pub trait PrivacyRepo: Send + Sync {
    async fn insert_data_export(&self, export: &DataExport) -> RepoResult<()>;
    /// The account's most recent request.
    async fn latest_data_export(&self, user: UserId) -> RepoResult<Option<DataExport>>;
    /// The archive of a ready request that has not expired at `now`.
    async fn data_export_archive(&self, user: UserId, now: DateTime<Utc>) -> RepoResult<Option<String>>;
    /// Requests still waiting for their archive, oldest first.
    async fn pending_data_exports(&self, limit: u64) -> RepoResult<Vec<DataExport>>;
    /// Stores the archive if the request is still pending; `false` when another worker did.
    async fn complete_data_export(
        &self,
        id: Uuid,
        archive: &str,
        ready_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// Deletes the archives that expired before `now`.
    async fn purge_data_exports(&self, now: DateTime<Utc>) -> RepoResult<u64>;
    /// Every row stored about the account, by table, without secrets (hashes).
    async fn personal_data(&self, user: UserId) -> RepoResult<serde_json::Map<String, serde_json::Value>>;
    /// Erases the account's identity everywhere (see [`Erasure`]).
    async fn erase_account(&self, erasure: &Erasure) -> RepoResult<()>;
    async fn retention(&self, org: OrgId) -> RepoResult<Retention>;
    async fn set_retention(&self, org: OrgId, retention: Retention, now: DateTime<Utc>) -> RepoResult<()>;
    /// Applies every organisation's retention settings at `now`.
    async fn apply_retention(&self, now: DateTime<Utc>) -> RepoResult<RetentionRun>;
}

/// Why a personal-data use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrivacyError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// Only a session acting for the resident (not an API token, not read-only) may.
    #[error("only a signed-in session may do this")]
    Forbidden,
    #[error("the password is wrong")]
    WrongPassword,
    /// The resident is the last admin of an organisation.
    #[error("you are the last admin of {0}")]
    LastAdmin(Slug),
    /// No archive was asked for, or it expired.
    #[error("no archive")]
    NoExport,
    #[error("a retention period is at most {MAX_RETENTION_MONTHS} months")]
    BadRetention,
    #[error(transparent)]
    Credential(#[from] CredentialError),
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// The personal-data use cases.
pub struct PrivacyService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hasher: Arc<dyn PasswordHasher>,
}

impl PrivacyService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, hasher: Arc<dyn PasswordHasher>) -> Self {
        PrivacyService { store, clock, hasher }
    }

    /// Asks for an archive of the caller's data; a request still pending is returned as it is.
    ///
    /// # Errors
    /// A read-only token; the database failed.
    #[tracing::instrument(skip_all)]
    pub async fn request_export(&self, who: &Principal) -> Result<DataExport, PrivacyError> {
        if who.scope != Scope::Act {
            return Err(PrivacyError::Forbidden);
        }
        let tx = self.store.begin().await?;
        if let Some(e) = tx.latest_data_export(who.user_id).await?
            && e.status == ExportStatus::Pending
        {
            return Ok(e);
        }
        let now = self.clock.now();
        let export = DataExport {
            id: Uuid::now_v7(),
            user_id: who.user_id,
            status: ExportStatus::Pending,
            requested_at: now,
            ready_at: None,
            expires_at: None,
        };
        tx.insert_data_export(&export).await?;
        tx.commit().await?;
        Ok(export)
    }

    /// The caller's latest request, as it stands (an expired archive is no longer offered).
    ///
    /// # Errors
    /// None asked for, or expired; the database failed.
    pub async fn export_status(&self, who: &Principal) -> Result<DataExport, PrivacyError> {
        let now = self.clock.now();
        self.store
            .latest_data_export(who.user_id)
            .await?
            .filter(|e| e.expires_at.is_none_or(|x| x > now))
            .ok_or(PrivacyError::NoExport)
    }

    /// The caller's archive (JSON), while it is offered.
    ///
    /// # Errors
    /// None ready, or expired; the database failed.
    pub async fn archive(&self, who: &Principal) -> Result<String, PrivacyError> {
        self.store.data_export_archive(who.user_id, self.clock.now()).await?.ok_or(PrivacyError::NoExport)
    }

    /// Erases the caller's account after checking their password. Their sessions, tokens,
    /// memberships, follows and preferences go; what they published stays under
    /// [`FORMER_RESIDENT`] unless `remove_content`; their ballots stay counted. The last admin
    /// of an organisation cannot until someone else is admin there.
    ///
    /// # Errors
    /// Not a session of the account's own; wrong password; last admin; the database failed.
    #[tracing::instrument(skip_all)]
    pub async fn delete_account(
        &self,
        who: &Principal,
        credential: Credential,
        password: &str,
        remove_content: bool,
    ) -> Result<(), PrivacyError> {
        if credential != Credential::Session || who.scope != Scope::Act {
            return Err(PrivacyError::Forbidden);
        }
        let user = self.store.user_by_id(who.user_id).await?.ok_or(RepoError::NotFound)?;
        if !self.hasher.verify(password, Some(&user.password_hash)).await? {
            return Err(PrivacyError::WrongPassword);
        }
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        for (org, slug, membership) in tx.memberships_of(user.id).await? {
            if membership.roles.contains(&Role::Admin) && tx.count_admins(org).await? <= 1 {
                return Err(PrivacyError::LastAdmin(slug));
            }
        }
        tx.erase_account(&Erasure {
            user_id: user.id,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            remove_content,
            now,
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's retention settings. Its admins only.
    ///
    /// # Errors
    /// Not an admin; the database failed.
    pub async fn retention(&self, caller: &Caller, org: OrgId) -> Result<Retention, PrivacyError> {
        caller.authorize(org, Action::EditOrganisation)?;
        Ok(self.store.retention(org).await?)
    }

    /// Sets the organisation's retention settings. Its admins only.
    ///
    /// # Errors
    /// Not an admin; a period over [`MAX_RETENTION_MONTHS`]; the database failed.
    pub async fn set_retention(
        &self,
        caller: &Caller,
        org: OrgId,
        retention: Retention,
    ) -> Result<Retention, PrivacyError> {
        caller.authorize(org, Action::EditOrganisation)?;
        let periods =
            [retention.registration_months, retention.report_contact_months, retention.opinion_contact_months];
        if periods.into_iter().flatten().any(|m| m == 0 || m > MAX_RETENTION_MONTHS) {
            return Err(PrivacyError::BadRetention);
        }
        self.store.set_retention(org, retention, self.clock.now()).await?;
        Ok(retention)
    }
}

/// The cut-off `months` before `now`.
#[must_use]
pub fn months_before(now: DateTime<Utc>, months: u16) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(u32::from(months))).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Makes the archives asked for, deletes expired ones and applies the retention settings.
pub struct PrivacyWorker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

/// What one round of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerRun {
    pub archives: usize,
    pub expired: u64,
    pub retention: RetentionRun,
}

impl PrivacyWorker {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        PrivacyWorker { store, clock }
    }

    /// One round: pending archives made, expired ones deleted, retention applied.
    ///
    /// # Errors
    /// The database failed.
    pub async fn run_once(&self) -> RepoResult<WorkerRun> {
        let now = self.clock.now();
        let mut run = WorkerRun::default();
        for export in self.store.pending_data_exports(BATCH).await? {
            let archive = self.archive_of(&export, now).await?;
            if self.store.complete_data_export(export.id, &archive, now, now + EXPORT_TTL).await? {
                run.archives += 1;
            }
        }
        run.expired = self.store.purge_data_exports(now).await?;
        run.retention = self.store.apply_retention(now).await?;
        Ok(run)
    }

    async fn archive_of(&self, export: &DataExport, now: DateTime<Utc>) -> RepoResult<String> {
        let data = self.store.personal_data(export.user_id).await?;
        let archive = serde_json::json!({
            "format": ARCHIVE_FORMAT,
            "generated_at": now,
            "expires_at": now + EXPORT_TTL,
            "account_id": Uuid::from(export.user_id),
            "notice": ARCHIVE_NOTICE,
            "data": data,
        });
        serde_json::to_string_pretty(&archive).map_err(|e| RepoError::Unavailable(e.to_string()))
    }

    /// Runs a round every `poll`, for ever.
    pub async fn run(self, poll: std::time::Duration) {
        loop {
            match self.run_once().await {
                Ok(r) if r != WorkerRun::default() => tracing::info!(
                    archives = r.archives,
                    expired = r.expired,
                    registrations = r.retention.registrations,
                    report_contacts = r.retention.report_contacts,
                    opinion_contacts = r.retention.opinion_contacts,
                    "personal data worker"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the personal data worker failed"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn months_before_goes_back_calendar_months() {
        let now = DateTime::parse_from_rfc3339("2026-03-31T12:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(months_before(now, 1).to_rfc3339(), "2026-02-28T12:00:00+00:00");
        assert_eq!(months_before(now, 12).to_rfc3339(), "2025-03-31T12:00:00+00:00");
    }

    #[test]
    fn export_statuses_round_trip() {
        for s in [ExportStatus::Pending, ExportStatus::Ready] {
            assert_eq!(ExportStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ExportStatus::parse("done"), None);
    }
}
