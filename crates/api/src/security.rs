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

/// The audience every access token is issued for and checked against.
pub const AUDIENCE: &str = "pnyx-api";

/// The issuer of tokens unless the server names itself (it names itself by `PNYX_PUBLIC_URL`).
pub const DEFAULT_ISSUER: &str = "pnyx";

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub iss: String,
    pub aud: String,
}

/// One HMAC key and the id (`kid`) tokens signed with it carry.
#[derive(Clone)]
struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Key {
    fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        // The id names the key without revealing it: a hash of a domain-separated secret.
        let kid = hex::encode(&Sha256::digest([b"pnyx-jwt-kid:".as_slice(), bytes].concat())[..8]);
        Key { kid, encoding: EncodingKey::from_secret(bytes), decoding: DecodingKey::from_secret(bytes) }
    }
}

/// Signing and verification keys for access tokens: the current key signs, and tokens signed by
/// a previous key (named by their `kid`) still verify, so a secret can be rotated without
/// signing everyone out.
#[derive(Clone)]
pub struct JwtKeys {
    current: Key,
    previous: Vec<Key>,
    issuer: String,
    validation: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(***)")
    }
}

impl JwtKeys {
    /// Keys from the current secret, issuing as [`DEFAULT_ISSUER`].
    #[must_use]
    pub fn new(secret: &SecretString) -> Self {
        Self::rotating(secret, &[], DEFAULT_ISSUER)
    }

    /// Keys that sign with `current`, still accept tokens signed with any of `previous`, and
    /// issue and accept tokens of `issuer` for [`AUDIENCE`] only.
    #[must_use]
    pub fn rotating(current: &SecretString, previous: &[SecretString], issuer: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Only HS256 is accepted: `alg: none` and algorithm swaps fail verification.
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[AUDIENCE]);
        // Expiry is checked against the caller's clock in `verify_access`, not the system's.
        validation.validate_exp = false;
        let current = Key::new(current);
        let previous = previous.iter().map(Key::new).filter(|k| k.kid != current.kid).collect();
        JwtKeys { current, previous, issuer: issuer.to_owned(), validation }
    }

    /// Issues an access token for `user_id`, signed with the current key and naming it.
    ///
    /// # Errors
    /// When signing fails (it does not with an HMAC key).
    pub fn issue(&self, user_id: UserId, now: DateTime<Utc>) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user_id,
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
            jti: Uuid::now_v7(),
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.current.encoding)
    }

    /// Verifies the signature with the key the token names, the algorithm, the issuer and the
    /// audience (not expiry: see [`TokenIssuer::verify_access`]).
    ///
    /// # Errors
    /// When the token is malformed, tampered with, signed by an unknown key or otherwise, or was
    /// issued by or for someone else.
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        use jsonwebtoken::errors::ErrorKind;
        let kid = jsonwebtoken::decode_header(token)?.kid;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| Some(&k.kid) == kid.as_ref())
            .ok_or_else(|| jsonwebtoken::errors::Error::from(ErrorKind::InvalidSignature))?;
        jsonwebtoken::decode::<Claims>(token, &key.decoding, &self.validation).map(|d| d.claims)
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
/// that hashing does not stall the request workers. At most [`HASHING_AT_ONCE`] hashes run at a
/// time (each takes 19 MiB): a flood of logins waits in line instead of taking the memory.
#[derive(Debug, Clone, Copy, Default)]
pub struct Argon2Hasher;

/// Password hashes computed at the same time, whatever the number of requests: two per core.
pub static HASHING_AT_ONCE: std::sync::LazyLock<usize> =
    std::sync::LazyLock::new(|| std::thread::available_parallelism().map_or(2, |n| n.get() * 2));

static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(*HASHING_AT_ONCE));

/// Waits for a turn to hash (the semaphore is never closed).
async fn hashing_turn() -> Result<tokio::sync::SemaphorePermit<'static>, CredentialError> {
    HASHING.acquire().await.map_err(|e| CredentialError(e.to_string()))
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &str) -> Result<String, CredentialError> {
        let password = password.to_owned();
        let _turn = hashing_turn().await?;
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| CredentialError(e.to_string()))?
            .map_err(|e| CredentialError(e.to_string()))
    }

    async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, CredentialError> {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        let _turn = hashing_turn().await?;
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
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"00000000-0000-0000-0000-000000000000","iat":1,"exp":99999999999,"jti":"00000000-0000-0000-0000-000000000000","iss":"pnyx","aud":"pnyx-api"}"#);
        assert!(k.verify(&parts.join(".")).is_err(), "tampered payload");
        assert!(keys("another-secret-entirely-different").verify(&t).is_err(), "other key");
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#), parts[1]);
        assert!(k.verify(&none).is_err(), "alg none");
    }

    #[test]
    fn a_rotated_secret_still_verifies_its_tokens_and_a_dropped_one_does_not() {
        let old = SecretString::from("the-secret-we-used-until-yesterday".to_owned());
        let new = SecretString::from("the-secret-we-sign-with-from-today".to_owned());
        let user = UserId::new_v7();
        let now = pnyx_domain::now();
        let before = JwtKeys::rotating(&old, &[], "https://city.example");
        let t_old = before.issue(user, now).unwrap();
        let after = JwtKeys::rotating(&new, std::slice::from_ref(&old), "https://city.example");
        assert_eq!(after.verify(&t_old).unwrap().sub, user, "signed by the previous key");
        let t_new = after.issue(user, now).unwrap();
        let kid = jsonwebtoken::decode_header(&t_new).unwrap().kid.unwrap();
        assert_eq!(kid, after.current.kid);
        assert_ne!(kid, before.current.kid, "each key has its own id");
        assert!(!kid.contains("secret"), "the id does not reveal the secret");
        assert!(before.verify(&t_new).is_err(), "the old server does not know the new key");
        let later = JwtKeys::rotating(&new, &[], "https://city.example");
        assert!(later.verify(&t_old).is_err(), "a dropped key no longer verifies");
        assert!(later.verify(&t_new).is_ok());
    }

    #[test]
    fn a_token_of_another_issuer_or_audience_or_without_a_key_id_is_refused() {
        let secret = SecretString::from("one-secret-shared-by-two-deployments".to_owned());
        let user = UserId::new_v7();
        let now = pnyx_domain::now();
        let ours = JwtKeys::rotating(&secret, &[], "https://ours.example");
        let theirs = JwtKeys::rotating(&secret, &[], "https://theirs.example");
        assert!(ours.verify(&theirs.issue(user, now).unwrap()).is_err(), "another issuer");
        let claims = Claims {
            sub: user,
            iat: now.timestamp(),
            exp: now.timestamp() + 60,
            jti: Uuid::now_v7(),
            iss: "https://ours.example".into(),
            aud: "someone-else".into(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(ours.current.kid.clone());
        let enc = EncodingKey::from_secret(secret.expose_secret().as_bytes());
        assert!(ours.verify(&jsonwebtoken::encode(&header, &claims, &enc).unwrap()).is_err(), "another audience");
        let claims = Claims { aud: AUDIENCE.into(), ..claims };
        let fine = jsonwebtoken::encode(&header, &claims, &enc).unwrap();
        assert_eq!(ours.verify(&fine).unwrap().sub, user, "the same token with our audience passes");
        let no_kid = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &enc).unwrap();
        assert!(ours.verify(&no_kid).is_err(), "no key id");
    }

    #[tokio::test]
    async fn no_more_hashes_run_at_once_than_the_bound() {
        let running = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..*HASHING_AT_ONCE * 3)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(async move {
                    let _turn = hashing_turn().await.unwrap();
                    let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let most = most.load(std::sync::atomic::Ordering::SeqCst);
        assert!(most <= *HASHING_AT_ONCE, "{most} ran at once");
        assert!(most > 1, "the bound still lets hashes run side by side");
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
