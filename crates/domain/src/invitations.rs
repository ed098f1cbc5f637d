//! Staff invitations: an admin invites an e-mail address to hold roles in an organisation; the
//! message (through the outbox) carries a single-use, expiring link whose secret is stored only as
//! a hash; the owner of the address accepts it while signed in with that address. Admins list,
//! resend and revoke pending invitations. Nobody looks accounts up by e-mail: an invitation goes
//! to an address, and whoever can read mail there is the one who gets the roles.

use crate::audit::Audit;
use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::accounts::{Email, TokenIssuer};
use crate::auth::{Action, AuthzError, Caller, Membership, Role, Scope};
use crate::clock::Clock;
use crate::ids::{OrgId, UserId};
use crate::mail::{OutboxMail, kind};
use crate::org::{Organisation, Slug};
use crate::repo::{Page, PageRequest, RepoError, RepoResult, Store};

/// How long an invitation's link works.
pub const INVITATION_TTL: Duration = Duration::days(7);
/// The shortest time between two messages about one invitation.
pub const RESEND_INTERVAL: Duration = Duration::minutes(1);

/// An invitation to hold roles in an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: Uuid,
    pub org_id: OrgId,
    /// The invited address, normalised (lower case).
    pub email: String,
    pub roles: BTreeSet<Role>,
    /// A hash of the link's secret; the secret itself is only in the e-mail.
    pub token_hash: String,
    pub invited_by: Option<UserId>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<UserId>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the last message about it was queued.
    pub sent_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
        }
    }
}

impl Invitation {
    /// Its status at `now`: accepted and revoked are final; a pending one expires.
    #[must_use]
    pub fn status(&self, now: DateTime<Utc>) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }
}

/// An invitation with where it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub invitation: Invitation,
    pub status: InvitationStatus,
}

/// Persistence of invitations.
#[async_trait::async_trait]
pub trait InvitationRepo: Send + Sync {
    async fn insert_invitation(&self, i: &Invitation) -> RepoResult<()>;
    async fn invitation(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<Invitation>>;
    async fn invitation_by_token_hash(&self, hash: &str) -> RepoResult<Option<Invitation>>;
    /// The organisation an invitation is to.
    async fn org_of_invitation(&self, id: Uuid) -> RepoResult<Option<Organisation>>;
    /// The organisation's invitations to `email` that are neither accepted nor revoked (expired
    /// ones included), newest first.
    async fn open_invitations_to(&self, org_id: OrgId, email: &str) -> RepoResult<Vec<Invitation>>;
    /// The organisation's invitations, newest first; only those neither accepted, revoked nor
    /// expired at `pending_at` when given.
    async fn invitations(
        &self,
        org_id: OrgId,
        pending_at: Option<DateTime<Utc>>,
        page: PageRequest,
    ) -> RepoResult<Page<Invitation>>;
    /// Saves `i` only if its stored `updated_at` is still `expected_updated_at`; `false` when it
    /// changed meanwhile (a concurrent accept, resend or revoke).
    async fn save_invitation(&self, i: &Invitation, expected_updated_at: DateTime<Utc>) -> RepoResult<bool>;
}

/// Why an invitation use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvitationError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such organisation")]
    OrgNotFound,
    #[error("no such invitation")]
    NotFound,
    #[error("`{0}` is not a valid e-mail address")]
    InvalidEmail(String),
    #[error("invite to at least one role")]
    NoRoles,
    /// The address has a pending invitation already: resend or revoke it.
    #[error("this address has a pending invitation already; resend it or revoke it")]
    AlreadyPending,
    /// Only a pending invitation can be resent or revoked.
    #[error("the invitation is {0} and can no longer change")]
    NotPending(&'static str),
    /// The link's token is unknown, used, revoked or expired.
    #[error("the invitation link is not valid: it was used or revoked, has expired or was mistyped")]
    InvalidToken,
    /// The signed-in account's address is not the invited one.
    #[error("this invitation was sent to another e-mail address; sign in with that address")]
    AnotherAddress,
    #[error("a message about this invitation was sent a moment ago; try again in {retry_after_secs} seconds")]
    TooSoon { retry_after_secs: i64 },
    #[error("the invitation changed meanwhile; reload and try again")]
    Stale,
    #[error(transparent)]
    Repo(RepoError),
}

impl From<RepoError> for InvitationError {
    fn from(e: RepoError) -> Self {
        InvitationError::Repo(e)
    }
}

/// What a new invitation asks.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub email: String,
    pub roles: BTreeSet<Role>,
}

/// What the holder of a link sees before accepting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationPreview {
    pub org_slug: Slug,
    pub org_name: crate::i18n::LocalizedText,
    pub email: String,
    pub roles: BTreeSet<Role>,
    pub expires_at: DateTime<Utc>,
}

/// An accepted invitation: the organisation and the membership now held there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub org_slug: Slug,
    pub membership: Membership,
}

/// The invitation use cases.
pub struct InvitationService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    tokens: Arc<dyn TokenIssuer>,
}

impl InvitationService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, tokens: Arc<dyn TokenIssuer>) -> Self {
        InvitationService { store, clock, tokens }
    }

    async fn org(&self, slug: &str) -> Result<Organisation, InvitationError> {
        self.store.org_by_slug(slug).await?.ok_or(InvitationError::OrgNotFound)
    }

    /// The message carrying `secret`: in the language of the address's account if it has one,
    /// else in the organisation's default language.
    async fn mail(
        &self,
        org: &Organisation,
        inv: &Invitation,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<OutboxMail, InvitationError> {
        let email = Email::parse(&inv.email).map_err(|e| InvitationError::InvalidEmail(e.0))?;
        let account = self.store.user_by_email(&email).await?;
        let locale = account.as_ref().map_or(org.default_locale, |u| u.locale);
        let name = account.as_ref().map_or_else(|| inv.email.clone(), |u| u.display_name.clone());
        let org_name = crate::residency::org_name_in(org, locale);
        Ok(OutboxMail::new(
            kind::STAFF_INVITATION,
            &inv.email,
            locale,
            account.map(|u| u.id),
            serde_json::json!({ "name": name, "token": secret, "org": org_name }),
            now,
        ))
    }

    /// Invites an address to hold `roles`; the e-mail is queued in the same unit of work.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin; an invalid address or no role;
    /// [`InvitationError::AlreadyPending`].
    #[tracing::instrument(skip_all, fields(org = %slug))]
    pub async fn invite(&self, caller: &Caller, slug: &str, input: NewInvitation) -> Result<Listed, InvitationError> {
        let org = self.org(slug).await?;
        let actor = caller.authorize(org.id, Action::ManageMembers)?.user_id;
        let email = Email::parse(&input.email).map_err(|e| InvitationError::InvalidEmail(e.0))?;
        if input.roles.is_empty() {
            return Err(InvitationError::NoRoles);
        }
        let now = self.clock.now();
        let secret = self.tokens.new_secret();
        let inv = Invitation {
            id: Uuid::now_v7(),
            org_id: org.id,
            email: email.as_str().to_owned(),
            roles: input.roles,
            token_hash: self.tokens.secret_hash(&secret),
            invited_by: Some(actor),
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            accepted_by: None,
            revoked_at: None,
            sent_at: now,
            created_at: now,
            updated_at: now,
        };
        let mail = self.mail(&org, &inv, &secret, now).await?;
        let tx = self.store.begin().await?;
        let open = tx.open_invitations_to(org.id, &inv.email).await?;
        if open.iter().any(|i| i.status(now) == InvitationStatus::Pending) {
            return Err(InvitationError::AlreadyPending);
        }
        tx.insert_invitation(&inv).await?;
        tx.enqueue_mail(&mail).await?;
        Audit::new(org.id, actor, "invitation.created", ("invitation", inv.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(Listed { invitation: inv, status: InvitationStatus::Pending })
    }

    /// The organisation's invitations, newest first (only pending ones when `pending_only`).
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin.
    #[tracing::instrument(skip(self, caller))]
    pub async fn list(
        &self,
        caller: &Caller,
        slug: &str,
        pending_only: bool,
        page: PageRequest,
    ) -> Result<Page<Listed>, InvitationError> {
        let org = self.org(slug).await?;
        caller.authorize(org.id, Action::ManageMembers)?;
        let now = self.clock.now();
        let page = self.store.invitations(org.id, pending_only.then_some(now), page).await?;
        Ok(page.map(|invitation| Listed { status: invitation.status(now), invitation }))
    }

    /// Sends a pending (or expired, not revoked) invitation again with a new link, valid for
    /// another [`INVITATION_TTL`]; the earlier link stops working.
    ///
    /// # Errors
    /// Not found; forbidden; accepted or revoked; a message went a moment ago.
    #[tracing::instrument(skip(self, caller))]
    pub async fn resend(&self, caller: &Caller, slug: &str, id: Uuid) -> Result<Listed, InvitationError> {
        let org = self.org(slug).await?;
        let actor = caller.authorize(org.id, Action::ManageMembers)?.user_id;
        let mut inv = self.store.invitation(org.id, id).await?.ok_or(InvitationError::NotFound)?;
        let now = self.clock.now();
        match inv.status(now) {
            InvitationStatus::Pending | InvitationStatus::Expired => {}
            s => return Err(InvitationError::NotPending(s.as_str())),
        }
        let wait = (inv.sent_at + RESEND_INTERVAL - now).num_seconds();
        if wait > 0 {
            return Err(InvitationError::TooSoon { retry_after_secs: wait });
        }
        let secret = self.tokens.new_secret();
        let previous = inv.updated_at;
        inv.token_hash = self.tokens.secret_hash(&secret);
        inv.expires_at = now + INVITATION_TTL;
        inv.sent_at = now;
        inv.updated_at = crate::version::Version::next_after(previous, now);
        let mail = self.mail(&org, &inv, &secret, now).await?;
        let tx = self.store.begin().await?;
        if !tx.save_invitation(&inv, previous).await? {
            return Err(InvitationError::Stale);
        }
        tx.enqueue_mail(&mail).await?;
        Audit::new(org.id, actor, "invitation.resent", ("invitation", inv.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(Listed { invitation: inv, status: InvitationStatus::Pending })
    }

    /// Revokes an invitation that was not accepted: its link stops working.
    ///
    /// # Errors
    /// Not found; forbidden; already accepted or revoked.
    #[tracing::instrument(skip(self, caller))]
    pub async fn revoke(&self, caller: &Caller, slug: &str, id: Uuid) -> Result<(), InvitationError> {
        let org = self.org(slug).await?;
        let actor = caller.authorize(org.id, Action::ManageMembers)?.user_id;
        let mut inv = self.store.invitation(org.id, id).await?.ok_or(InvitationError::NotFound)?;
        let now = self.clock.now();
        match inv.status(now) {
            InvitationStatus::Pending | InvitationStatus::Expired => {}
            s => return Err(InvitationError::NotPending(s.as_str())),
        }
        let previous = inv.updated_at;
        inv.revoked_at = Some(now);
        inv.updated_at = crate::version::Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        if !tx.save_invitation(&inv, previous).await? {
            return Err(InvitationError::Stale);
        }
        Audit::new(org.id, actor, "invitation.revoked", ("invitation", inv.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn usable(&self, presented: &str, now: DateTime<Utc>) -> Result<Invitation, InvitationError> {
        self.store
            .invitation_by_token_hash(&self.tokens.secret_hash(presented.trim()))
            .await?
            .filter(|i| i.status(now) == InvitationStatus::Pending)
            .ok_or(InvitationError::InvalidToken)
    }

    /// What a link invites to, for the page that asks to accept it (the holder of the link reads
    /// the invited address's mail, so showing it tells them nothing new).
    ///
    /// # Errors
    /// An unknown, used, revoked or expired token.
    #[tracing::instrument(skip_all)]
    pub async fn preview(&self, presented: &str) -> Result<InvitationPreview, InvitationError> {
        let now = self.clock.now();
        let inv = self.usable(presented, now).await?;
        let org = self.store.org_of_invitation(inv.id).await?.ok_or(InvitationError::InvalidToken)?;
        Ok(InvitationPreview {
            org_slug: org.slug,
            org_name: org.name,
            email: inv.email,
            roles: inv.roles,
            expires_at: inv.expires_at,
        })
    }

    /// Accepts an invitation as the signed-in caller, whose account's address must be the invited
    /// one: the invited roles are added to those held (residency stays as it is), and since the
    /// link reached that address, an unconfirmed address becomes confirmed. One unit of work; of
    /// two concurrent accepts one wins.
    ///
    /// # Errors
    /// Unauthenticated or a read-only token; an unusable token; another account's address.
    #[tracing::instrument(skip_all)]
    pub async fn accept(&self, caller: &Caller, presented: &str) -> Result<Accepted, InvitationError> {
        let p = caller.principal().ok_or(AuthzError::Unauthenticated)?;
        if p.scope != Scope::Act {
            return Err(AuthzError::Forbidden.into());
        }
        let now = self.clock.now();
        let mut inv = self.usable(presented, now).await?;
        let tx = self.store.begin().await?;
        let mut user = tx.user_by_id(p.user_id).await?.ok_or(AuthzError::Unauthenticated)?;
        if !user.email.eq_ignore_ascii_case(&inv.email) {
            return Err(InvitationError::AnotherAddress);
        }
        let previous = inv.updated_at;
        inv.accepted_at = Some(now);
        inv.accepted_by = Some(user.id);
        inv.updated_at = crate::version::Version::next_after(previous, now);
        if !tx.save_invitation(&inv, previous).await? {
            return Err(InvitationError::InvalidToken);
        }
        let mut membership = tx.member(inv.org_id, user.id).await?.map(|m| m.membership).unwrap_or_default();
        membership.roles.extend(inv.roles.iter().copied());
        tx.put_membership(inv.org_id, user.id, &membership, now).await?;
        if user.email_verified_at.is_none() {
            user.email_verified_at = Some(now);
            user.updated_at = now;
            tx.update_user(&user).await?;
        }
        Audit::new(inv.org_id, user.id, "invitation.accepted", ("invitation", inv.id), now).record(&*tx).await?;
        let slug = tx.org_of_invitation(inv.id).await?.ok_or(InvitationError::InvalidToken)?.slug;
        tx.commit().await?;
        Ok(Accepted { org_slug: slug, membership })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(now: DateTime<Utc>) -> Invitation {
        Invitation {
            id: Uuid::now_v7(),
            org_id: OrgId::new_v7(),
            email: "a@b.sk".into(),
            roles: BTreeSet::from([Role::Official]),
            token_hash: "h".into(),
            invited_by: None,
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            accepted_by: None,
            revoked_at: None,
            sent_at: now,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn an_invitation_expires_after_its_ttl_unless_accepted_or_revoked_first() {
        let now = Utc::now();
        let mut i = inv(now);
        assert_eq!(i.status(now), InvitationStatus::Pending);
        assert_eq!(i.status(now + INVITATION_TTL), InvitationStatus::Expired);
        i.revoked_at = Some(now);
        assert_eq!(i.status(now + INVITATION_TTL), InvitationStatus::Revoked);
        i.revoked_at = None;
        i.accepted_at = Some(now);
        assert_eq!(i.status(now + INVITATION_TTL * 2), InvitationStatus::Accepted);
    }
}
