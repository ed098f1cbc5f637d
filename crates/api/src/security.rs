//! Credentials: Argon2id password hashes, HS256 access tokens, and opaque refresh and API tokens
//! stored only as SHA-256 hashes. They implement the domain's ports ([`PasswordHasher`] as
//! [`Argon2Hasher`], [`TokenIssuer`] as [`JwtKeys`]), which the server wires into the services.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString, rand_core::OsRng};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pnyx_domain::accounts::{AccessTokenError, CredentialError, PasswordHasher, TokenIssuer};
use pnyx_domain::ids::UserId;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use pnyx_domain::accounts::{ACCESS_TTL, API_TOKEN_PREFIX, REFRESH_TTL};

/// Seconds an access token stays good past its expiry, for clocks of several servers.
const LEEWAY_SECS: i64 = 5;

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
}

/// Signing and verification keys for access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(***)")
    }
}

impl JwtKeys {
    #[must_use]
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        // Only HS256 is accepted: `alg: none` and algorithm swaps fail verification.
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        // Expiry is checked against the caller's clock in `verify_access`, not the system's.
        validation.validate_exp = false;
        JwtKeys { encoding: EncodingKey::from_secret(bytes), decoding: DecodingKey::from_secret(bytes), validation }
    }

    /// Issues an access token for `user_id`.
    ///
    /// # Errors
    /// When signing fails (it does not with an HMAC key).
    pub fn issue(&self, user_id: UserId, now: DateTime<Utc>) -> Result<String, jsonwebtoken::errors::Error> {
        let claims =
            Claims { sub: user_id, iat: now.timestamp(), exp: (now + ACCESS_TTL).timestamp(), jti: Uuid::now_v7() };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// Verifies signature and algorithm (not expiry: see [`TokenIssuer::verify_access`]).
    ///
    /// # Errors
    /// When the token is malformed, tampered with or signed otherwise.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims)
    }
}

impl TokenIssuer for JwtKeys {
    fn issue_access(&self, user_id: UserId, now: DateTime<Utc>) -> Result<String, CredentialError> {
        self.issue(user_id, now).map_err(|e| CredentialError(e.to_string()))
    }

    /// Expiry is checked against `now`, with 5 s leeway for clocks of several servers.
    fn verify_access(&self, token: &str, now: DateTime<Utc>) -> Result<UserId, AccessTokenError> {
        let claims = self.verify(token).map_err(|_| AccessTokenError::Invalid)?;
        if claims.exp.saturating_add(LEEWAY_SECS) < now.timestamp() {
            return Err(AccessTokenError::Expired);
        }
        Ok(claims.sub)
    }

    fn new_secret(&self) -> String {
        random_token()
    }

    fn secret_hash(&self, secret: &str) -> String {
        token_hash(secret)
    }
}

/// Argon2id behind the domain's [`PasswordHasher`] port, run on the blocking thread pool so
/// that hashing does not stall the request workers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Argon2Hasher;

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &str) -> Result<String, CredentialError> {
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| CredentialError(e.to_string()))?
            .map_err(|e| CredentialError(e.to_string()))
    }

    async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, CredentialError> {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        tokio::task::spawn_blocking(move || match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                // As costly as a real check, and never a match.
                let _ = std::hint::black_box(verify_password(&password, dummy_hash()));
                false
            }
        })
        .await
        .map_err(|e| CredentialError(e.to_string()))
    }
}

/// Hashes a password with Argon2id (the crate's defaults follow OWASP: m=19 MiB, t=2, p=1).
///
/// # Errors
/// When hashing fails.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Checks a password against a stored hash; a malformed hash never verifies.
#[must_use]
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a password nobody has, so that logging in with an unknown e-mail costs as much as
/// with a known one (no timing oracle for which e-mails have accounts).
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("pnyx-dummy-password-for-timing").unwrap_or_default())
}

/// A new random opaque token (256 bits, URL-safe).
#[must_use]
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a token, hex: what the database stores.
#[must_use]
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn keys(s: &str) -> JwtKeys {
        JwtKeys::new(&SecretString::from(s.to_owned()))
    }

    #[test]
    fn an_issued_token_verifies_and_names_its_user() {
        let k = keys("a-secret-of-enough-length-for-hs256");
        let user = UserId::new_v7();
        let t = k.issue(user, pnyx_domain::now()).unwrap();
        assert_eq!(k.verify(&t).unwrap().sub, user);
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let k = keys("a-secret-of-enough-length-for-hs256");
        let now = pnyx_domain::now();
        let old = k.issue(UserId::new_v7(), now - Duration::hours(1)).unwrap();
        assert_eq!(k.verify_access(&old, now), Err(AccessTokenError::Expired));
        let t = k.issue(UserId::new_v7(), now).unwrap();
        let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"00000000-0000-0000-0000-000000000000","iat":1,"exp":99999999999,"jti":"00000000-0000-0000-0000-000000000000"}"#);
        assert!(k.verify(&parts.join(".")).is_err(), "tampered payload");
        assert!(keys("another-secret-entirely-different").verify(&t).is_err(), "other key");
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#), parts[1]);
        assert!(k.verify(&none).is_err(), "alg none");
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterz", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_token_issuer_tells_an_expired_access_token_from_an_invalid_one() {
        let k = keys("a-secret-of-enough-length-for-hs256");
        let user = UserId::new_v7();
        let now = pnyx_domain::now();
        let t = k.issue_access(user, now).unwrap();
        assert_eq!(k.verify_access(&t, now), Ok(user));
        let old = k.issue_access(user, now - Duration::hours(1)).unwrap();
        assert_eq!(k.verify_access(&old, now), Err(AccessTokenError::Expired));
        assert_eq!(k.verify_access("garbage", now), Err(AccessTokenError::Invalid));
        // The caller's clock decides, not the system's: the fresh token is expired an hour on,
        // and the old one was good when it was issued.
        assert_eq!(k.verify_access(&t, now + Duration::hours(1)), Err(AccessTokenError::Expired));
        assert_eq!(k.verify_access(&old, now - Duration::hours(1)), Ok(user));
        let secret = k.new_secret();
        assert_eq!(k.secret_hash(&secret), token_hash(&secret));
    }

    #[tokio::test]
    async fn the_hasher_matches_only_the_right_password_and_never_without_a_hash() {
        let h = Argon2Hasher;
        let hash = h.hash("correct horse battery").await.unwrap();
        assert!(h.verify("correct horse battery", Some(&hash)).await.unwrap());
        assert!(!h.verify("correct horse batterz", Some(&hash)).await.unwrap());
        assert!(!h.verify("pnyx-dummy-password-for-timing", None).await.unwrap(), "no account, no match");
    }
}
