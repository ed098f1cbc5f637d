//! The account use cases: register, log in (throttled), refresh with rotation and reuse
//! detection, log out, the profile, the password, personal API tokens, and resolving a bearer
//! token into the caller. Every use case that writes more than one row writes through one unit of
//! work; passwords are hashed before it begins (SQLite's `begin` takes the write lock).
//!
//! Nothing here logs a password, a token or a hash: every method's span skips its arguments.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::ids::{OrgId, UserId};

use super::ports::{AccessTokenError, CredentialError, PasswordHasher, TokenIssuer};
use super::{
    ACCESS_TTL, ACCOUNT_MAIL_INTERVAL, API_TOKEN_PREFIX, AccountToken, ApiToken, CHANGE_EMAIL_TTL, DisplayName, Email,
    InvalidDisplayName, InvalidEmail, NewPassword, PASSWORD_RESET_TTL, REFRESH_TTL, REGISTRATION_ATTEMPT_INTERVAL,
    RefreshDecision, RefreshToken, TokenPurpose, User, VERIFY_EMAIL_TTL, WeakPassword,
};
use crate::auth::{Membership, Principal, Scope};
use crate::clock::Clock;
use crate::i18n::Locale;
use crate::mail::{OutboxMail, kind};
use crate::org::Slug;
use crate::rate_limit::{LimitError, RateLimitService, limits};
use crate::repo::{RepoError, Store};

/// Why an account use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    InvalidEmail(InvalidEmail),
    /// A new password breaks the policy; `field` names the request field it came in.
    #[error("{field}: {reason}")]
    WeakPassword { field: &'static str, reason: WeakPassword },
    #[error(transparent)]
    InvalidDisplayName(InvalidDisplayName),
    #[error("an account with this e-mail already exists")]
    EmailTaken,
    /// Unknown e-mail or wrong password: alike, so as not to tell which e-mails have accounts.
    #[error("wrong e-mail or password")]
    WrongCredentials,
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: i64 },
    #[error("no refresh token was presented")]
    NoRefreshToken,
    /// Unknown, expired, revoked or replayed.
    #[error("the refresh token is not valid")]
    InvalidRefreshToken,
    #[error("the API token is unknown or revoked")]
    InvalidApiToken,
    #[error(transparent)]
    InvalidAccessToken(AccessTokenError),
    #[error("the token's account no longer exists")]
    AccountGone,
    /// The current password given to change it is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    /// A read-only token asked to write, or an API token asked to mint another.
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("no such user")]
    UserNotFound,
    #[error("no such API token")]
    ApiTokenNotFound,
    /// An e-mailed link's token is unknown, used or expired.
    #[error("the link is not valid: it was used already, has expired or was mistyped")]
    InvalidToken,
    /// Another account e-mail was sent a moment ago.
    #[error("an e-mail was sent a moment ago; try again in {retry_after_secs} seconds")]
    MailTooSoon { retry_after_secs: i64 },
    #[error(transparent)]
    Credential(#[from] CredentialError),
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// A new account.
pub struct Registration {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub locale: Locale,
}

/// One organisation's roles of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMembership {
    pub org_id: OrgId,
    pub org_slug: Slug,
    pub membership: Membership,
    /// What the user may do there, by the one authorization decision.
    pub can: crate::auth::OrgCan,
}

/// A user with the roles they hold in each organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub user: User,
    pub memberships: Vec<OrgMembership>,
    /// Whether the user may create organisations (and so manage every one).
    pub can_create_organisations: bool,
}

/// A started or continued session: an access token and a single-use refresh token.
pub struct Session {
    pub access_token: String,
    /// How long the access token is valid.
    pub expires_in: Duration,
    pub refresh_token: String,
    /// How long the refresh token is valid.
    pub refresh_expires_in: Duration,
    pub profile: Profile,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("user_id", &self.profile.user.id).finish_non_exhaustive()
    }
}

/// Changes to a profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// An access token from logging in.
    Session,
    /// A personal API token.
    ApiToken,
}

/// The caller behind a bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pub principal: Principal,
    pub credential: Credential,
}

/// A new API token.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub name: String,
    pub scope: Scope,
    /// Days until the token stops working (`None`: until revoked).
    pub expires_in_days: Option<u16>,
}

/// A created API token with its secret, which is not stored and cannot be shown again.
pub struct CreatedApiToken {
    pub token: ApiToken,
    /// The bearer token, with its `pnyx_` prefix.
    pub secret: String,
}

impl From<LimitError> for AccountError {
    fn from(e: LimitError) -> Self {
        match e {
            LimitError::Limited(l) => AccountError::TooManyAttempts { retry_after_secs: l.retry_after_secs },
            LimitError::Repo(r) => AccountError::Repo(r),
        }
    }
}

/// The account use cases.
pub struct AccountService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hasher: Arc<dyn PasswordHasher>,
    tokens: Arc<dyn TokenIssuer>,
    limits: Arc<RateLimitService>,
}

impl AccountService {
    /// The account use cases, with failed logins counted by `limits` (in the database, so that
    /// several servers share the count).
    #[must_use]
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        hasher: Arc<dyn PasswordHasher>,
        tokens: Arc<dyn TokenIssuer>,
        limits: Arc<RateLimitService>,
    ) -> Self {
        AccountService { store, clock, hasher, tokens, limits }
    }

    /// Creates a resident account, unverified, and writes the e-mail that confirms its address in
    /// the same unit of work. When the address already has an account nothing is created and its
    /// owner is told instead; the caller gets the same answer either way (and the password is
    /// hashed either way, so the time taken does not tell either).
    ///
    /// # Errors
    /// An invalid e-mail, weak password or invalid display name (in that order).
    #[tracing::instrument(skip_all)]
    pub async fn register(&self, input: Registration) -> Result<(), AccountError> {
        let email = Email::parse(&input.email).map_err(AccountError::InvalidEmail)?;
        let password = NewPassword::parse(&input.password, &email)
            .map_err(|reason| AccountError::WeakPassword { field: "password", reason })?;
        let name = DisplayName::parse(&input.display_name).map_err(AccountError::InvalidDisplayName)?;
        let password_hash = self.hasher.hash(password.expose()).await?;
        let now = self.clock.now();
        if let Some(owner) = self.store.user_by_email(&email).await? {
            return self.tell_owner_of_taken_address(&owner, now).await;
        }
        let user = User {
            id: UserId::new_v7(),
            email: email.as_str().to_owned(),
            password_hash,
            display_name: name.into_inner(),
            locale: input.locale,
            platform_admin: false,
            email_verified_at: None,
            created_at: now,
            updated_at: now,
        };
        let (secret, token) = self.new_account_token(user.id, TokenPurpose::VerifyEmail, None, now);
        let tx = self.store.begin().await?;
        match tx.create_user(&user).await {
            Ok(()) => {}
            // Two concurrent registrations: the unique index decides, and the loser's answer is
            // the same as the winner's.
            Err(RepoError::Conflict { .. }) => {
                drop(tx);
                return match self.store.user_by_email(&email).await? {
                    Some(owner) => self.tell_owner_of_taken_address(&owner, now).await,
                    None => Ok(()),
                };
            }
            Err(other) => return Err(other.into()),
        }
        tx.insert_account_token(&token).await?;
        tx.enqueue_mail(&Self::token_mail(kind::VERIFY_EMAIL, &user, &user.email, &secret, now)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The e-mail to the owner of an address somebody tried to register with, at most one an hour.
    async fn tell_owner_of_taken_address(&self, owner: &User, now: DateTime<Utc>) -> Result<(), AccountError> {
        if let Some(last) = self.store.last_mail_queued(owner.id, kind::REGISTRATION_ATTEMPT).await?
            && now - last < REGISTRATION_ATTEMPT_INTERVAL
        {
            return Ok(());
        }
        let mail = OutboxMail::new(
            kind::REGISTRATION_ATTEMPT,
            &owner.email,
            owner.locale,
            Some(owner.id),
            serde_json::json!({ "name": owner.display_name }),
            now,
        );
        self.store.enqueue_mail(&mail).await?;
        Ok(())
    }

    /// An e-mail carrying a token's link.
    fn token_mail(kind: &str, user: &User, to: &str, secret: &str, now: DateTime<Utc>) -> OutboxMail {
        OutboxMail::new(
            kind,
            to,
            user.locale,
            Some(user.id),
            serde_json::json!({ "name": user.display_name, "token": secret }),
            now,
        )
    }

    /// A new single-use token: its secret, and what is stored.
    fn new_account_token(
        &self,
        user_id: UserId,
        purpose: TokenPurpose,
        new_email: Option<String>,
        now: DateTime<Utc>,
    ) -> (String, AccountToken) {
        let secret = self.tokens.new_secret();
        let ttl = match purpose {
            TokenPurpose::VerifyEmail => VERIFY_EMAIL_TTL,
            TokenPurpose::ResetPassword => PASSWORD_RESET_TTL,
            TokenPurpose::ChangeEmail => CHANGE_EMAIL_TTL,
        };
        let token = AccountToken {
            id: Uuid::now_v7(),
            user_id,
            purpose,
            token_hash: self.tokens.secret_hash(&secret),
            new_email,
            expires_at: now + ttl,
            consumed_at: None,
            created_at: now,
        };
        (secret, token)
    }

    /// Seconds until another account e-mail of `purpose` may go to `user_id`, if one went a
    /// moment ago.
    async fn too_soon(
        &self,
        user_id: UserId,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, AccountError> {
        Ok(self
            .store
            .latest_account_token(user_id, purpose)
            .await?
            .map(|t| (t.created_at + ACCOUNT_MAIL_INTERVAL - now).num_seconds())
            .filter(|secs| *secs > 0))
    }

    /// Consumes a usable token of `purpose` inside `tx`.
    async fn consume(
        &self,
        tx: &dyn crate::repo::UnitOfWork,
        presented: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<AccountToken, AccountError> {
        let token = tx
            .account_token_by_hash(&self.tokens.secret_hash(presented.trim()))
            .await?
            .filter(|t| t.usable_for(purpose, now))
            .ok_or(AccountError::InvalidToken)?;
        if !tx.consume_account_token(token.id, now).await? {
            return Err(AccountError::InvalidToken);
        }
        Ok(token)
    }

    /// Confirms the address with the token from the verification e-mail, and signs the user in.
    ///
    /// # Errors
    /// An unknown, used or expired token.
    #[tracing::instrument(skip_all)]
    pub async fn verify_email(&self, presented: &str) -> Result<Session, AccountError> {
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let token = self.consume(tx.as_ref(), presented, TokenPurpose::VerifyEmail, now).await?;
        let mut user = tx.user_by_id(token.user_id).await?.ok_or(AccountError::InvalidToken)?;
        if user.email_verified_at.is_none() {
            user.email_verified_at = Some(now);
            user.updated_at = now;
            tx.update_user(&user).await?;
        }
        let (secret, refresh) = self.new_refresh_token(user.id, None, now);
        tx.insert_refresh_token(&refresh, now).await?;
        tx.commit().await?;
        self.session(user, secret, now).await
    }

    /// Sends the verification e-mail again (a new link; the earlier ones keep working until they
    /// expire). Nothing is sent to a confirmed address.
    ///
    /// # Errors
    /// A read-only token; an e-mail sent less than a minute ago.
    #[tracing::instrument(skip_all)]
    pub async fn resend_verification(&self, who: &Principal) -> Result<(), AccountError> {
        if who.scope != Scope::Act {
            return Err(AccountError::Forbidden);
        }
        let user = self.store.user_by_id(who.user_id).await?.ok_or(AccountError::UserNotFound)?;
        if user.email_verified_at.is_some() {
            return Ok(());
        }
        let now = self.clock.now();
        if let Some(retry_after_secs) = self.too_soon(user.id, TokenPurpose::VerifyEmail, now).await? {
            return Err(AccountError::MailTooSoon { retry_after_secs });
        }
        let (secret, token) = self.new_account_token(user.id, TokenPurpose::VerifyEmail, None, now);
        let tx = self.store.begin().await?;
        tx.insert_account_token(&token).await?;
        tx.enqueue_mail(&Self::token_mail(kind::VERIFY_EMAIL, &user, &user.email, &secret, now)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a password reset link to the address if it has an account. The answer is the same
    /// whether it has one or not, and whether a link went out a moment ago (then no new one goes).
    ///
    /// # Errors
    /// A malformed address; the database failed.
    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(&self, email: &str) -> Result<(), AccountError> {
        let email = Email::parse(email).map_err(AccountError::InvalidEmail)?;
        let Some(user) = self.store.user_by_email(&email).await? else { return Ok(()) };
        let now = self.clock.now();
        if self.too_soon(user.id, TokenPurpose::ResetPassword, now).await?.is_some() {
            return Ok(());
        }
        let (secret, token) = self.new_account_token(user.id, TokenPurpose::ResetPassword, None, now);
        let tx = self.store.begin().await?;
        tx.insert_account_token(&token).await?;
        tx.enqueue_mail(&Self::token_mail(kind::PASSWORD_RESET, &user, &user.email, &secret, now)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password with the token from the reset e-mail, and ends every session of the
    /// user (their refresh tokens are revoked) in the same unit of work. The address is confirmed
    /// by the same token.
    ///
    /// # Errors
    /// An unknown, used or expired token (checked first, so that a weak password does not use
    /// it up); a weak password.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(&self, presented: &str, new: &str) -> Result<(), AccountError> {
        let now = self.clock.now();
        let found = self
            .store
            .account_token_by_hash(&self.tokens.secret_hash(presented.trim()))
            .await?
            .filter(|t| t.usable_for(TokenPurpose::ResetPassword, now))
            .ok_or(AccountError::InvalidToken)?;
        let user = self.store.user_by_id(found.user_id).await?.ok_or(AccountError::InvalidToken)?;
        let email = Email::parse(&user.email).map_err(|e| AccountError::Repo(RepoError::Unavailable(e.to_string())))?;
        let new = NewPassword::parse(new, &email)
            .map_err(|reason| AccountError::WeakPassword { field: "new_password", reason })?;
        let password_hash = self.hasher.hash(new.expose()).await?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let token = self.consume(tx.as_ref(), presented, TokenPurpose::ResetPassword, now).await?;
        let mut user = tx.user_by_id(token.user_id).await?.ok_or(AccountError::InvalidToken)?;
        user.password_hash = password_hash;
        user.email_verified_at = user.email_verified_at.or(Some(now));
        user.updated_at = now;
        tx.update_user(&user).await?;
        tx.revoke_user_refresh_tokens(user.id, now).await?;
        tx.revoke_user_api_tokens(user.id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Asks to change the caller's address: a link goes to the new address, and the account keeps
    /// the old one until it is opened. A taken address gets no link, and the same answer.
    ///
    /// # Errors
    /// A read-only token; a wrong current password; a malformed address; an e-mail sent a moment ago.
    #[tracing::instrument(skip_all)]
    pub async fn request_email_change(
        &self,
        who: &Principal,
        new_email: &str,
        current_password: &str,
    ) -> Result<(), AccountError> {
        if who.scope != Scope::Act {
            return Err(AccountError::Forbidden);
        }
        let user = self.store.user_by_id(who.user_id).await?.ok_or(AccountError::UserNotFound)?;
        if !self.hasher.verify(current_password, Some(&user.password_hash)).await? {
            return Err(AccountError::WrongPassword);
        }
        let new_email = Email::parse(new_email).map_err(AccountError::InvalidEmail)?;
        let now = self.clock.now();
        if let Some(retry_after_secs) = self.too_soon(user.id, TokenPurpose::ChangeEmail, now).await? {
            return Err(AccountError::MailTooSoon { retry_after_secs });
        }
        if new_email.as_str() == user.email || self.store.user_by_email(&new_email).await?.is_some() {
            return Ok(());
        }
        let (secret, token) =
            self.new_account_token(user.id, TokenPurpose::ChangeEmail, Some(new_email.as_str().to_owned()), now);
        let tx = self.store.begin().await?;
        tx.insert_account_token(&token).await?;
        tx.enqueue_mail(&Self::token_mail(kind::CONFIRM_NEW_EMAIL, &user, new_email.as_str(), &secret, now)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Confirms a new address with the token sent to it: the account takes it, confirmed.
    ///
    /// # Errors
    /// An unknown, used or expired token; the address was taken meanwhile.
    #[tracing::instrument(skip_all)]
    pub async fn confirm_email_change(&self, presented: &str) -> Result<Profile, AccountError> {
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let token = self.consume(tx.as_ref(), presented, TokenPurpose::ChangeEmail, now).await?;
        let mut user = tx.user_by_id(token.user_id).await?.ok_or(AccountError::InvalidToken)?;
        user.email = token.new_email.ok_or(AccountError::InvalidToken)?;
        user.email_verified_at = Some(now);
        user.updated_at = now;
        tx.update_user(&user).await.map_err(|e| match e {
            RepoError::Conflict { .. } => AccountError::EmailTaken,
            other => other.into(),
        })?;
        tx.commit().await?;
        self.profile_of(user).await
    }

    /// Exchanges e-mail and password for a session. Too many failures for one account from one
    /// address lock that pair out for a while (the owner elsewhere still gets in), and too many
    /// attempts from one address lock the address out, whatever the accounts.
    ///
    /// # Errors
    /// Too many attempts; wrong e-mail or password.
    #[tracing::instrument(skip_all)]
    pub async fn login(&self, email: &str, password: &str, client: &str) -> Result<Session, AccountError> {
        let pair = format!("login:{}|{client}", email.trim().to_lowercase());
        self.limits.check(&pair, limits::LOGIN_FAILURES).await?;
        self.limits.hit(&format!("login-from:{client}"), limits::LOGIN_ATTEMPTS).await?;
        let now = self.clock.now();
        let user = match Email::parse(email) {
            Ok(email) => self.store.user_by_email(&email).await?,
            Err(_) => None,
        };
        let ok = self.hasher.verify(password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
        match user {
            Some(user) if ok => {
                self.limits.clear(&pair).await?;
                let (secret, refresh) = self.new_refresh_token(user.id, None, now);
                self.store.insert_refresh_token(&refresh, now).await?;
                self.session(user, secret, now).await
            }
            _ => {
                // Counting the failure may itself go over: the next attempt is refused.
                match self.limits.hit(&pair, limits::LOGIN_FAILURES).await {
                    Ok(()) | Err(LimitError::Limited(_)) => Err(AccountError::WrongCredentials),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    /// Exchanges a refresh token for a new session of the same family, consuming it. A used or
    /// revoked token is a replay: its whole family is revoked. Of concurrent refreshes with one
    /// token exactly one wins; the others count as replays.
    ///
    /// # Errors
    /// No token; an unknown, expired, revoked or replayed one.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, presented: Option<&str>) -> Result<Session, AccountError> {
        let presented = presented.ok_or(AccountError::NoRefreshToken)?;
        let hash = self.tokens.secret_hash(presented);
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let stored = tx.refresh_token_by_hash(&hash).await?.ok_or(AccountError::InvalidRefreshToken)?;
        let replayed = match stored.decide(now) {
            RefreshDecision::Rotate => {
                if !tx.consume_refresh_token(stored.id, now).await? {
                    // Another refresh of it won this very moment: a race, not a replay.
                    return Err(AccountError::InvalidRefreshToken);
                }
                false
            }
            RefreshDecision::JustRotated => return Err(AccountError::InvalidRefreshToken),
            RefreshDecision::Expired => return Err(AccountError::InvalidRefreshToken),
            RefreshDecision::ReuseDetected => true,
        };
        if replayed {
            tracing::warn!(family = %stored.family_id, user = %stored.user_id, "refresh token reused; family revoked");
            tx.revoke_refresh_family(stored.family_id, now).await?;
            tx.commit().await?;
            return Err(AccountError::InvalidRefreshToken);
        }
        let user = tx.user_by_id(stored.user_id).await?.ok_or(AccountError::InvalidRefreshToken)?;
        let (secret, refresh) = self.new_refresh_token(user.id, Some(stored.family_id), now);
        tx.insert_refresh_token(&refresh, now).await?;
        tx.commit().await?;
        self.session(user, secret, now).await
    }

    /// Revokes the presented refresh token's family, if it is one of ours.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn logout(&self, presented: Option<&str>) -> Result<(), AccountError> {
        if let Some(presented) = presented
            && let Some(stored) = self.store.refresh_token_by_hash(&self.tokens.secret_hash(presented)).await?
        {
            self.store.revoke_refresh_family(stored.family_id, self.clock.now()).await?;
        }
        Ok(())
    }

    /// The caller behind a bearer token: a personal API token (`pnyx_…`) or an access token.
    ///
    /// # Errors
    /// An unknown or revoked API token, an expired or invalid access token, a deleted account.
    #[tracing::instrument(skip_all)]
    pub async fn authenticate(&self, bearer: &str) -> Result<Authenticated, AccountError> {
        let (user_id, scope, credential) = if let Some(secret) = bearer.strip_prefix(API_TOKEN_PREFIX) {
            let token = self
                .store
                .api_token_by_hash(&self.tokens.secret_hash(secret))
                .await?
                .filter(|t| t.live_at(self.clock.now()))
                .ok_or(AccountError::InvalidApiToken)?;
            (token.user_id, token.scope, Credential::ApiToken)
        } else {
            let user_id =
                self.tokens.verify_access(bearer, self.clock.now()).map_err(AccountError::InvalidAccessToken)?;
            (user_id, Scope::Act, Credential::Session)
        };
        let (user, memberships) = self.store.user_and_memberships(user_id).await?.ok_or(AccountError::AccountGone)?;
        let memberships: HashMap<_, _> = memberships.into_iter().collect();
        let principal = Principal {
            user_id: user.id,
            platform_admin: user.platform_admin,
            memberships,
            scope,
            email_verified: user.email_verified_at.is_some(),
        };
        Ok(Authenticated { principal, credential })
    }

    /// The caller's profile.
    ///
    /// # Errors
    /// The account is gone.
    #[tracing::instrument(skip_all)]
    pub async fn profile(&self, who: &Principal) -> Result<Profile, AccountError> {
        let user = self.store.user_by_id(who.user_id).await?.ok_or(AccountError::UserNotFound)?;
        self.profile_of(user).await
    }

    /// Changes the caller's display name and preferred language.
    ///
    /// # Errors
    /// A read-only token; an invalid display name.
    #[tracing::instrument(skip_all)]
    pub async fn update_profile(&self, who: &Principal, changes: ProfileChanges) -> Result<Profile, AccountError> {
        if who.scope != Scope::Act {
            return Err(AccountError::Forbidden);
        }
        let mut user = self.store.user_by_id(who.user_id).await?.ok_or(AccountError::UserNotFound)?;
        if let Some(name) = &changes.display_name {
            user.display_name = DisplayName::parse(name).map_err(AccountError::InvalidDisplayName)?.into_inner();
        }
        if let Some(locale) = changes.locale {
            user.locale = locale;
        }
        user.updated_at = self.clock.now();
        self.store.update_user(&user).await?;
        self.profile_of(user).await
    }

    /// Changes the caller's password, given the current one, and signs out every session (all
    /// refresh tokens are revoked) in the same unit of work.
    ///
    /// # Errors
    /// A read-only token; a wrong current password; a weak new one.
    #[tracing::instrument(skip_all)]
    pub async fn change_password(&self, who: &Principal, current: &str, new: &str) -> Result<(), AccountError> {
        if who.scope != Scope::Act {
            return Err(AccountError::Forbidden);
        }
        let user = self.store.user_by_id(who.user_id).await?.ok_or(AccountError::UserNotFound)?;
        if !self.hasher.verify(current, Some(&user.password_hash)).await? {
            return Err(AccountError::WrongPassword);
        }
        let email = Email::parse(&user.email).map_err(|e| AccountError::Repo(RepoError::Unavailable(e.to_string())))?;
        let new = NewPassword::parse(new, &email)
            .map_err(|reason| AccountError::WeakPassword { field: "new_password", reason })?;
        let password_hash = self.hasher.hash(new.expose()).await?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let mut user = tx.user_by_id(who.user_id).await?.ok_or(AccountError::UserNotFound)?;
        user.password_hash = password_hash;
        user.updated_at = now;
        tx.update_user(&user).await?;
        tx.revoke_user_refresh_tokens(user.id, now).await?;
        tx.revoke_user_api_tokens(user.id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller's live API tokens.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn api_tokens(&self, who: &Principal) -> Result<Vec<ApiToken>, AccountError> {
        Ok(self.store.api_tokens_of(who.user_id).await?)
    }

    /// Creates an API token. Only a session may, so that a leaked token cannot multiply itself.
    ///
    /// # Errors
    /// Asked with an API token, or with a read-only one.
    #[tracing::instrument(skip_all)]
    pub async fn create_api_token(
        &self,
        who: &Principal,
        credential: Credential,
        input: NewApiToken,
    ) -> Result<CreatedApiToken, AccountError> {
        if credential != Credential::Session || who.scope != Scope::Act {
            return Err(AccountError::Forbidden);
        }
        let secret = self.tokens.new_secret();
        let now = self.clock.now();
        let token = ApiToken {
            id: Uuid::now_v7(),
            user_id: who.user_id,
            name: input.name.trim().to_owned(),
            token_hash: self.tokens.secret_hash(&secret),
            scope: input.scope,
            last_used_at: None,
            revoked_at: None,
            expires_at: input.expires_in_days.map(|d| now + chrono::Duration::days(i64::from(d))),
            created_at: now,
        };
        self.store.insert_api_token(&token).await?;
        Ok(CreatedApiToken { token, secret: format!("{API_TOKEN_PREFIX}{secret}") })
    }

    /// Revokes one of the caller's API tokens; it stops working at once.
    ///
    /// # Errors
    /// A read-only token (revoking is acting); no such live token of the caller's.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_api_token(&self, who: &Principal, id: Uuid) -> Result<(), AccountError> {
        if who.scope != Scope::Act {
            return Err(AccountError::Forbidden);
        }
        if self.store.revoke_api_token(who.user_id, id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(AccountError::ApiTokenNotFound)
        }
    }

    /// A new refresh token of `family` (a new family when `None`): its secret, and what is stored.
    fn new_refresh_token(&self, user_id: UserId, family: Option<Uuid>, now: DateTime<Utc>) -> (String, RefreshToken) {
        let secret = self.tokens.new_secret();
        let stored = RefreshToken {
            id: Uuid::now_v7(),
            family_id: family.unwrap_or_else(Uuid::now_v7),
            user_id,
            token_hash: self.tokens.secret_hash(&secret),
            expires_at: now + REFRESH_TTL,
            used_at: None,
            revoked_at: None,
        };
        (secret, stored)
    }

    /// The session of `user` whose refresh token (already stored) has the secret `refresh_token`.
    async fn session(&self, user: User, refresh_token: String, now: DateTime<Utc>) -> Result<Session, AccountError> {
        let access_token = self.tokens.issue_access(user.id, now)?;
        Ok(Session {
            access_token,
            expires_in: ACCESS_TTL,
            refresh_token,
            refresh_expires_in: REFRESH_TTL,
            profile: self.profile_of(user).await?,
        })
    }

    async fn profile_of(&self, user: User) -> Result<Profile, AccountError> {
        let rows = self.store.memberships_of(user.id).await?;
        let caller = crate::auth::Caller::User(Principal {
            user_id: user.id,
            platform_admin: user.platform_admin,
            memberships: rows.iter().map(|(org, _, m)| (*org, m.clone())).collect(),
            scope: Scope::Act,
            email_verified: user.email_verified_at.is_some(),
        });
        let memberships = rows
            .into_iter()
            .map(|(org_id, org_slug, membership)| OrgMembership {
                org_id,
                org_slug,
                membership,
                can: caller.can_in(org_id),
            })
            .collect();
        let can_create_organisations =
            caller.authorize(OrgId::from_uuid(Uuid::nil()), crate::auth::Action::CreateOrganisation).is_ok();
        Ok(Profile { user, memberships, can_create_organisations })
    }
}
