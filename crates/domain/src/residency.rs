//! Residency verification: an organisation says which details it asks for (a free-text prompt);
//! a resident asks to be verified with those details; admins and officials approve (which sets the
//! membership's `verified` flag that verified-only budgets check) or refuse with a reason; the
//! resident is told by their notification preference (in the app, and by e-mail through the outbox
//! unless they chose otherwise). The public log
//! names the request, never the resident.

use crate::audit::Audit;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::i18n::{Locale, LocalizedText};
use crate::ids::{OrgId, UserId};
use crate::mail::kind;
use crate::notifications::{self, kind as nk};
use crate::org::{InvalidField, Organisation};
use crate::repo::{Page, PageRequest, RepoError, RepoResult, Store};

/// The longest details a resident may give, in characters.
pub const MAX_DETAILS: usize = 2000;
/// The longest prompt an organisation may set, per language, in characters.
pub const MAX_PROMPT: usize = 2000;
/// The longest reason for a refusal, in characters.
pub const MAX_REASON: usize = 1000;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    Pending,
    Approved,
    Refused,
}

impl RequestStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Refused => "refused",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [RequestStatus::Pending, RequestStatus::Approved, RequestStatus::Refused].into_iter().find(|x| x.as_str() == s)
    }
}

/// A resident's request to be verified by an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidencyRequest {
    pub id: Uuid,
    pub org_id: OrgId,
    pub user_id: UserId,
    pub details: String,
    pub status: RequestStatus,
    /// Why it was refused.
    pub reason: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A request as staff see it: with who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffView {
    pub request: ResidencyRequest,
    pub display_name: String,
    pub email: String,
}

/// What a resident sees of their standing with an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// What the organisation asks for (empty: nothing set).
    pub prompt: LocalizedText,
    pub verified: bool,
    /// Their newest request, if any.
    pub latest: Option<ResidencyRequest>,
}

/// Persistence of residency prompts and requests.
#[async_trait::async_trait]
pub trait ResidencyRepo: Send + Sync {
    async fn residency_prompt(&self, org_id: OrgId) -> RepoResult<Option<LocalizedText>>;
    async fn put_residency_prompt(&self, org_id: OrgId, prompt: &LocalizedText, now: DateTime<Utc>) -> RepoResult<()>;
    /// # Errors
    /// `RepoError::Conflict` when the user has a pending request there already.
    async fn insert_residency_request(&self, r: &ResidencyRequest) -> RepoResult<()>;
    async fn residency_request(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<ResidencyRequest>>;
    async fn latest_residency_request(&self, org_id: OrgId, user_id: UserId) -> RepoResult<Option<ResidencyRequest>>;
    /// The organisation's requests, oldest first (the order they are worked through).
    async fn residency_requests(
        &self,
        org_id: OrgId,
        status: Option<RequestStatus>,
        page: PageRequest,
    ) -> RepoResult<Page<StaffView>>;
    /// Records the decision on `r` if it is still pending; `false` when it was decided meanwhile.
    async fn decide_residency_request(&self, r: &ResidencyRequest) -> RepoResult<bool>;
}

/// Why a residency use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidencyError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such organisation")]
    OrgNotFound,
    #[error("no such request")]
    NotFound,
    #[error("{}: {}", .0.field, .0.message)]
    Invalid(InvalidField),
    #[error("you are verified already")]
    AlreadyVerified,
    #[error("you have a pending request already")]
    AlreadyPending,
    #[error("the request was decided already")]
    AlreadyDecided,
    #[error(transparent)]
    Repo(RepoError),
}

impl From<RepoError> for ResidencyError {
    fn from(e: RepoError) -> Self {
        ResidencyError::Repo(e)
    }
}

fn invalid(field: &str, message: &str) -> ResidencyError {
    ResidencyError::Invalid(InvalidField { field: field.to_owned(), message: message.to_owned() })
}

/// `text` trimmed, if it is 1..=`max` characters without control characters other than newlines.
fn checked_text(field: &str, text: &str, max: usize) -> Result<String, ResidencyError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(invalid(field, "must not be blank"));
    }
    if t.chars().count() > max {
        return Err(invalid(field, &format!("must be at most {max} characters")));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(invalid(field, "must not hold control characters"));
    }
    Ok(t.to_owned())
}

/// A decision on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Refuse { reason: String },
}

/// The residency use cases.
pub struct ResidencyService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl ResidencyService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ResidencyService { store, clock }
    }

    async fn org(&self, slug: &str) -> Result<Organisation, ResidencyError> {
        self.store.org_by_slug(slug).await?.ok_or(ResidencyError::OrgNotFound)
    }

    /// The prompt an organisation shows residents; public.
    ///
    /// # Errors
    /// Not found.
    pub async fn prompt(&self, slug: &str) -> Result<LocalizedText, ResidencyError> {
        let org = self.org(slug).await?;
        Ok(self.store.residency_prompt(org.id).await?.unwrap_or_default())
    }

    /// Sets what the organisation asks residents for (empty: clears it).
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin; a text that does not suit it.
    #[tracing::instrument(skip(self, caller, prompt))]
    pub async fn set_prompt(
        &self,
        caller: &Caller,
        slug: &str,
        prompt: LocalizedText,
    ) -> Result<LocalizedText, ResidencyError> {
        let org = self.org(slug).await?;
        let actor = caller.authorize(org.id, Action::EditOrganisation)?.user_id;
        let prompt = org.check_optional_text("prompt", prompt, MAX_PROMPT).map_err(ResidencyError::Invalid)?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        tx.put_residency_prompt(org.id, &prompt, now).await?;
        Audit::new(org.id, actor, "residency.prompt_updated", ("organisation", org.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(prompt)
    }

    /// The caller's standing with the organisation.
    ///
    /// # Errors
    /// Unauthenticated; not found.
    pub async fn standing(&self, caller: &Caller, slug: &str) -> Result<Standing, ResidencyError> {
        let p = caller.principal().ok_or(AuthzError::Unauthenticated)?;
        let org = self.org(slug).await?;
        Ok(Standing {
            prompt: self.store.residency_prompt(org.id).await?.unwrap_or_default(),
            verified: p.membership(org.id).is_some_and(|m| m.verified),
            latest: self.store.latest_residency_request(org.id, p.user_id).await?,
        })
    }

    /// Asks the organisation to verify the caller with `details`.
    ///
    /// # Errors
    /// Unauthenticated, read-only or unconfirmed address; not found; blank or long details;
    /// verified already; a pending request already.
    #[tracing::instrument(skip(self, caller, details))]
    pub async fn request(
        &self,
        caller: &Caller,
        slug: &str,
        details: &str,
    ) -> Result<ResidencyRequest, ResidencyError> {
        let org = self.org(slug).await?;
        let p = caller.authorize(org.id, Action::Participate)?;
        let details = checked_text("details", details, MAX_DETAILS)?;
        if p.membership(org.id).is_some_and(|m| m.verified) {
            return Err(ResidencyError::AlreadyVerified);
        }
        let now = self.clock.now();
        let r = ResidencyRequest {
            id: Uuid::now_v7(),
            org_id: org.id,
            user_id: p.user_id,
            details,
            status: RequestStatus::Pending,
            reason: None,
            decided_by: None,
            decided_at: None,
            created_at: now,
            updated_at: now,
        };
        // One pending request per resident and organisation: a unique index decides races.
        self.store.insert_residency_request(&r).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ResidencyError::AlreadyPending,
            other => other.into(),
        })?;
        Ok(r)
    }

    /// The organisation's requests, oldest first.
    ///
    /// # Errors
    /// Not found; forbidden unless an admin or official of it.
    pub async fn list(
        &self,
        caller: &Caller,
        slug: &str,
        status: Option<RequestStatus>,
        page: PageRequest,
    ) -> Result<Page<StaffView>, ResidencyError> {
        let org = self.org(slug).await?;
        caller.authorize(org.id, Action::VerifyResidents)?;
        Ok(self.store.residency_requests(org.id, status, page).await?)
    }

    /// Approves (the resident becomes verified, keeping any roles) or refuses (with a reason) a
    /// pending request; the resident is told by e-mail and in the app, in the same unit of work.
    ///
    /// # Errors
    /// Not found; forbidden unless an admin or official; a blank or long reason; decided already.
    #[tracing::instrument(skip(self, caller, decision))]
    pub async fn decide(
        &self,
        caller: &Caller,
        slug: &str,
        id: Uuid,
        decision: Decision,
    ) -> Result<ResidencyRequest, ResidencyError> {
        let org = self.org(slug).await?;
        let actor = caller.authorize(org.id, Action::VerifyResidents)?.user_id;
        let decision = match decision {
            Decision::Refuse { reason } => Decision::Refuse { reason: checked_text("reason", &reason, MAX_REASON)? },
            d => d,
        };
        let mut r = self.store.residency_request(org.id, id).await?.ok_or(ResidencyError::NotFound)?;
        if r.status != RequestStatus::Pending {
            return Err(ResidencyError::AlreadyDecided);
        }
        let resident = self.store.user_by_id(r.user_id).await?.ok_or(ResidencyError::NotFound)?;
        let now = self.clock.now();
        let (status, reason, mail_kind) = match decision {
            Decision::Approve => (RequestStatus::Approved, None, kind::RESIDENCY_APPROVED),
            Decision::Refuse { reason } => (RequestStatus::Refused, Some(reason), kind::RESIDENCY_REFUSED),
        };
        r.status = status;
        r.reason = reason;
        r.decided_by = Some(actor);
        r.decided_at = Some(now);
        r.updated_at = now;
        let org_name = org_name_in(&org, resident.locale);
        let mut payload = serde_json::json!({
            "name": resident.display_name,
            "org": org_name,
            "org_slug": org.slug.as_str(),
            "request_id": r.id,
            "title": org_name,
        });
        if let Some(reason) = &r.reason {
            payload["reason"] = serde_json::Value::String(reason.clone());
        }
        let tx = self.store.begin().await?;
        if !tx.decide_residency_request(&r).await? {
            return Err(ResidencyError::AlreadyDecided);
        }
        if status == RequestStatus::Approved {
            let mut membership = tx.member(org.id, r.user_id).await?.map(|m| m.membership).unwrap_or_default();
            membership.verified = true;
            tx.put_membership(org.id, r.user_id, &membership, now).await?;
        }
        // Told by the resident's preference for the kind (in the app, e-mail, digest or not at
        // all), the e-mail being the residency message itself.
        let note_kind = if status == RequestStatus::Approved { nk::RESIDENCY_APPROVED } else { nk::RESIDENCY_REFUSED };
        notifications::tell(&*tx, note_kind, org.id, [r.user_id], payload, Some(mail_kind), now).await?;
        let action = if status == RequestStatus::Approved { "residency.approved" } else { "residency.refused" };
        Audit::new(org.id, actor, action, ("residency_request", r.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(r)
    }
}

/// The organisation's name in `locale`, else in its default language.
pub(crate) fn org_name_in(org: &Organisation, locale: Locale) -> String {
    let l = if locale == Locale::SrCyrl && org.name.get(Locale::SrCyrl).is_none() { Locale::SrLatn } else { locale };
    org.name.get(l).or_else(|| org.name.get(org.default_locale)).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_trimmed_and_bounded() {
        assert_eq!(checked_text("details", "  Hlavná 1  ", 20).unwrap(), "Hlavná 1");
        assert!(matches!(checked_text("details", "   ", 20), Err(ResidencyError::Invalid(f)) if f.field == "details"));
        assert!(checked_text("details", &"x".repeat(21), 20).is_err());
        assert!(checked_text("details", "a\u{0}b", 20).is_err());
        assert!(checked_text("details", "line\nline", 20).is_ok());
    }

    #[test]
    fn statuses_round_trip() {
        for s in [RequestStatus::Pending, RequestStatus::Approved, RequestStatus::Refused] {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RequestStatus::parse("maybe"), None);
    }
}
