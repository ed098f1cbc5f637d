//! Accounts: validated e-mail, password and display name, the user record, the repository
//! ports that persistence implements for users and their tokens, the ports for password hashing
//! and token signing, and the account use cases ([`AccountService`]).

mod ports;
mod service;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::UserId;

use crate::i18n::Locale;
use crate::repo::RepoResult;

pub use ports::{AccessTokenError, CredentialError, PasswordHasher, TokenIssuer};
pub use service::{
    AccountError, AccountService, Authenticated, CreatedApiToken, Credential, NewApiToken, OrgMembership, Profile,
    ProfileChanges, Registration, Session,
};

/// How long an access token lives.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// How long a refresh token lives.
pub const REFRESH_TTL: Duration = Duration::days(30);
/// Prefix that marks a personal API token (so a bearer is parsed as one or as an access token).
pub const API_TOKEN_PREFIX: &str = "pnyx_";

/// A syntactically valid e-mail address, stored lower-cased so lookups are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

/// [`Email::parse`]'s rule as an ECMA-262 / Rust regex, for the API's schema: no `\\s` in it,
/// since regex engines disagree on which characters that is.
pub const EMAIL_PATTERN: &str = r"^[ \t\n\r]*[^\x00-\x20\x7f-\xa0@\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{1,64}@[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+(\.[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+)+[ \t\n\r]*$";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid e-mail address")]
pub struct InvalidEmail(pub String);

impl Email {
    /// # Errors
    /// When the address, once spaces, tabs and line breaks around it are trimmed, has no single
    /// `@`, a local part empty or over 64 characters, a domain without a dot or with an empty
    /// label, a white-space or control character (a byte-order mark counts as one), or more than
    /// 254 characters. The API's schema states the same rule as a pattern
    /// ([`EMAIL_PATTERN`]), so what one accepts the other does.
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let t = raw.trim_matches([' ', '\t', '\n', '\r']);
        let valid = t.chars().count() <= 254
            && !t.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\u{feff}')
            && t.split_once('@').is_some_and(|(local, domain)| {
                (1..=64).contains(&local.chars().count())
                    && !domain.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| !label.is_empty())
            });
        if valid { Ok(Email(t.to_lowercase())) } else { Err(InvalidEmail(raw.to_owned())) }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that meets the policy: 10–128 characters, at least 5 distinct ones, and not
/// containing the e-mail's local part. (NIST SP 800-63B: length over composition rules.)
pub struct NewPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("the password must be at least 10 characters long")]
    TooShort,
    #[error("the password must be at most 128 characters long")]
    TooLong,
    #[error("the password is too repetitive: use at least 5 different characters")]
    TooRepetitive,
    #[error("the password must not contain your e-mail address")]
    ContainsEmail,
}

impl NewPassword {
    /// # Errors
    /// The first rule of the policy the password breaks.
    pub fn parse(raw: &str, email: &Email) -> Result<Self, WeakPassword> {
        let n = raw.chars().count();
        if n < 10 {
            return Err(WeakPassword::TooShort);
        }
        if n > 128 {
            return Err(WeakPassword::TooLong);
        }
        let mut distinct: Vec<char> = raw.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 5 {
            return Err(WeakPassword::TooRepetitive);
        }
        let local = email.as_str().split('@').next().unwrap_or_default();
        if local.len() >= 4 && raw.to_lowercase().contains(local) {
            return Err(WeakPassword::ContainsEmail);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A display name: 1–100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the display name must be 1 to 100 characters without control characters")]
pub struct InvalidDisplayName;

impl DisplayName {
    /// # Errors
    /// When blank, longer than 100 characters or containing control characters.
    pub fn parse(raw: &str) -> Result<Self, InvalidDisplayName> {
        let s = raw.trim();
        if s.is_empty() || s.chars().count() > 100 || s.chars().any(char::is_control) {
            return Err(InvalidDisplayName);
        }
        Ok(DisplayName(s.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub locale: Locale,
    pub platform_admin: bool,
    /// When the user proved they read mail at `email`; until then they cannot take part.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How long an e-mail verification link works.
pub const VERIFY_EMAIL_TTL: Duration = Duration::hours(48);
/// How long a password reset link works.
pub const PASSWORD_RESET_TTL: Duration = Duration::minutes(30);
/// How long the link confirming a new e-mail address works.
pub const CHANGE_EMAIL_TTL: Duration = Duration::hours(24);
/// The least time between two e-mails telling an owner that somebody registered with their address
/// (so that registering again and again cannot flood their inbox).
pub const REGISTRATION_ATTEMPT_INTERVAL: Duration = Duration::hours(1);
/// The least time between two verification or reset e-mails to one account.
pub const ACCOUNT_MAIL_INTERVAL: Duration = Duration::seconds(60);

/// What a single-use account token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
}

impl TokenPurpose {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::ResetPassword => "reset_password",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [TokenPurpose::VerifyEmail, TokenPurpose::ResetPassword, TokenPurpose::ChangeEmail]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A single-use token sent by e-mail (verification, password reset, new address), as stored:
/// only the hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountToken {
    pub id: Uuid,
    pub user_id: UserId,
    pub purpose: TokenPurpose,
    pub token_hash: String,
    /// The address being confirmed ([`TokenPurpose::ChangeEmail`]).
    pub new_email: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub consumed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl AccountToken {
    /// Whether it can still be used for `purpose` at `now`: unused and unexpired.
    #[must_use]
    pub fn usable_for(&self, purpose: TokenPurpose, now: DateTime<Utc>) -> bool {
        self.purpose == purpose && self.consumed_at.is_none() && now < self.expires_at
    }
}

/// A refresh token as stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: UserId,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What presenting a refresh token leads to (OAuth 2.0 Security BCP §4.14: rotation with reuse
/// detection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// Valid and unused: rotate it.
    Rotate,
    /// Rotated a moment ago ([`REFRESH_REUSE_GRACE`]): two tabs or a retried request raced, and
    /// one of them won. Refused, but the family lives on, so the winner stays signed in.
    JustRotated,
    /// Used longer ago, or revoked: somebody replayed it, so the whole family is revoked.
    ReuseDetected,
    /// Past its expiry.
    Expired,
}

/// How long after its rotation a second use of a refresh token counts as a race of the owner's
/// own requests rather than a replay.
pub const REFRESH_REUSE_GRACE: Duration = Duration::seconds(10);

impl RefreshToken {
    #[must_use]
    pub fn decide(&self, now: DateTime<Utc>) -> RefreshDecision {
        if self.revoked_at.is_some() {
            RefreshDecision::ReuseDetected
        } else if let Some(used) = self.used_at {
            if now - used <= REFRESH_REUSE_GRACE {
                RefreshDecision::JustRotated
            } else {
                RefreshDecision::ReuseDetected
            }
        } else if self.expires_at <= now {
            RefreshDecision::Expired
        } else {
            RefreshDecision::Rotate
        }
    }
}

/// A personal API token for third-party apps, as stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: UserId,
    pub name: String,
    pub token_hash: String,
    pub scope: crate::auth::Scope,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// After this the token no longer authenticates; `None`: it lasts until revoked.
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl ApiToken {
    /// Whether the token authenticates at `now`: not revoked and not expired.
    #[must_use]
    pub fn live_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| now < e)
    }
}

/// Persistence of accounts and their tokens.
#[async_trait::async_trait]
pub trait AccountRepo: Send + Sync {
    /// # Errors
    /// `RepoError::Conflict` on a duplicate e-mail.
    async fn create_user(&self, user: &User) -> RepoResult<()>;
    async fn user_by_id(&self, id: UserId) -> RepoResult<Option<User>>;
    /// The account (unless erased) and its memberships, by organisation, in one read: who a
    /// request's caller is.
    async fn user_and_memberships(
        &self,
        id: UserId,
    ) -> RepoResult<Option<(User, Vec<(crate::ids::OrgId, crate::auth::Membership)>)>>;
    async fn user_by_email(&self, email: &Email) -> RepoResult<Option<User>>;
    async fn update_user(&self, user: &User) -> RepoResult<()>;
    async fn count_users(&self) -> RepoResult<u64>;

    async fn insert_refresh_token(&self, token: &RefreshToken, at: DateTime<Utc>) -> RepoResult<()>;
    async fn refresh_token_by_hash(&self, hash: &str) -> RepoResult<Option<RefreshToken>>;
    /// Marks the token used only if it is still unused and unrevoked; `false` when another
    /// request got there first (so two concurrent refreshes cannot both rotate).
    async fn consume_refresh_token(&self, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
    async fn revoke_refresh_family(&self, family_id: Uuid, now: DateTime<Utc>) -> RepoResult<()>;
    async fn revoke_user_refresh_tokens(&self, user_id: UserId, now: DateTime<Utc>) -> RepoResult<()>;

    async fn insert_api_token(&self, token: &ApiToken) -> RepoResult<()>;
    async fn api_token_by_hash(&self, hash: &str) -> RepoResult<Option<ApiToken>>;
    async fn api_tokens_of(&self, user_id: UserId) -> RepoResult<Vec<ApiToken>>;
    /// `false` when no such live token of this user exists.
    async fn revoke_api_token(&self, user_id: UserId, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
    /// Revokes every live API token of the user (a password change).
    async fn revoke_user_api_tokens(&self, user_id: UserId, now: DateTime<Utc>) -> RepoResult<()>;

    async fn insert_account_token(&self, token: &AccountToken) -> RepoResult<()>;
    async fn account_token_by_hash(&self, hash: &str) -> RepoResult<Option<AccountToken>>;
    /// Marks the token used only if it is still unused; `false` when another request used it
    /// first (single use under concurrency).
    async fn consume_account_token(&self, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
    /// The user's newest token for `purpose`, used or not.
    async fn latest_account_token(&self, user_id: UserId, purpose: TokenPurpose) -> RepoResult<Option<AccountToken>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    #[test]
    fn e_mails_are_trimmed_and_lower_cased() {
        assert_eq!(email("  Jana.Novak@Example.SK ").as_str(), "jana.novak@example.sk");
    }

    #[test]
    fn malformed_e_mails_are_refused() {
        for s in
            ["", "jana", "jana@", "@example.sk", "jana@example", "ja na@example.sk", "a@b@c.sk", "a@.sk", "a@x..sk"]
        {
            assert!(Email::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        let e = email("jana.novak@example.sk");
        assert_eq!(NewPassword::parse("short", &e).err(), Some(WeakPassword::TooShort));
        assert_eq!(NewPassword::parse("aaaaabbbbbaaaa", &e).err(), Some(WeakPassword::TooRepetitive));
        assert_eq!(NewPassword::parse("xJana.Novak!2024", &e).err(), Some(WeakPassword::ContainsEmail));
        assert_eq!(NewPassword::parse(&"ab1!x".repeat(30), &e).err(), Some(WeakPassword::TooLong));
        assert!(NewPassword::parse("correct horse battery", &e).is_ok());
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Jana  ").map(DisplayName::into_inner), Ok("Jana".to_owned()));
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn a_used_or_revoked_refresh_token_is_a_replay() {
        let now = Utc::now();
        let mut t = RefreshToken {
            id: Uuid::nil(),
            family_id: Uuid::nil(),
            user_id: UserId::from(Uuid::nil()),
            token_hash: String::new(),
            expires_at: now + chrono::Duration::days(30),
            used_at: None,
            revoked_at: None,
        };
        assert_eq!(t.decide(now), RefreshDecision::Rotate);
        t.expires_at = now;
        assert_eq!(t.decide(now), RefreshDecision::Expired);
        t.used_at = Some(now);
        assert_eq!(t.decide(now), RefreshDecision::JustRotated);
        assert_eq!(t.decide(now + REFRESH_REUSE_GRACE), RefreshDecision::JustRotated);
        assert_eq!(t.decide(now + REFRESH_REUSE_GRACE + chrono::Duration::seconds(1)), RefreshDecision::ReuseDetected);
        t.used_at = None;
        t.revoked_at = Some(now);
        assert_eq!(t.decide(now), RefreshDecision::ReuseDetected);
    }
}
