//! What the account use cases need from cryptography, as ports: password hashing (Argon2id) and
//! token signing (JWT) are implemented outside the domain and wired by the server.

use chrono::{DateTime, Utc};

use crate::ids::UserId;

/// A failure of the credential machinery itself (not a wrong password): the caller gets a 500.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("credential failure: {0}")]
pub struct CredentialError(pub String);

/// Hashes and verifies passwords. Both are slow on purpose, so implementations run them off the
/// request workers.
#[async_trait::async_trait]
pub trait PasswordHasher: Send + Sync {
    /// A salted hash of `password` to store.
    ///
    /// # Errors
    /// When hashing fails.
    async fn hash(&self, password: &str) -> Result<String, CredentialError>;

    /// Whether `password` matches the stored `hash`; a malformed hash never matches. With no hash
    /// (an unknown account) it compares against a hash nobody's password has, taking as long, so
    /// that the time taken does not tell which e-mails have accounts.
    ///
    /// # Errors
    /// When the verification could not run at all.
    async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, CredentialError>;
}

/// Why an access token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccessTokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is invalid")]
    Invalid,
}

/// Issues and checks access tokens, and makes the opaque secrets of refresh and API tokens.
pub trait TokenIssuer: Send + Sync {
    /// A signed access token for `user_id`, issued at `now`, valid for
    /// [`super::ACCESS_TTL`].
    ///
    /// # Errors
    /// When signing fails.
    fn issue_access(&self, user_id: UserId, now: DateTime<Utc>) -> Result<String, CredentialError>;

    /// The user an access token was issued to, if its signature and algorithm are good and it
    /// has not expired at `now` (the service's clock, so that tests can move time).
    ///
    /// # Errors
    /// Expired, or invalid in any other way.
    fn verify_access(&self, token: &str, now: DateTime<Utc>) -> Result<UserId, AccessTokenError>;

    /// A new random opaque secret (a refresh token, or an API token without its prefix).
    fn new_secret(&self) -> String;

    /// What is stored of a secret: a one-way hash, so a leaked table grants nothing.
    fn secret_hash(&self, secret: &str) -> String;
}
