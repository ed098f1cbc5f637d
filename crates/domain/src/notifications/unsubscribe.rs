//! One-click unsubscribe tokens (RFC 8058): `user.expires.signature.kind`, signed with
//! HMAC-SHA-256 under a key derived from the server secret, so a link needs no table and cannot be
//! forged for another user or another kind. `kind` is a notification kind, or [`DIGEST`] for the
//! daily digest.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::ids::UserId;

/// The unsubscribe "kind" of the daily digest: every kind delivered by digest.
pub const DIGEST: &str = "digest";

/// How long an unsubscribe link works after the message was sent: mail is read late.
pub const UNSUBSCRIBE_TTL: Duration = Duration::days(90);

/// Why an unsubscribe token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnsubscribeTokenError {
    #[error("the unsubscribe link is not valid")]
    Invalid,
    #[error("the unsubscribe link has expired")]
    Expired,
}

/// Signs and checks unsubscribe tokens.
#[derive(Clone)]
pub struct UnsubscribeKeys {
    key: Vec<u8>,
}

impl std::fmt::Debug for UnsubscribeKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnsubscribeKeys(..)")
    }
}

impl UnsubscribeKeys {
    /// Keys derived from the server secret (a derivation of its own, like the ballot keys).
    #[must_use]
    pub fn new(secret: &[u8]) -> Self {
        let key = Hmac::<Sha256>::new_from_slice(secret)
            .map(|m| m.chain_update(b"pnyx unsubscribe v1").finalize().into_bytes().to_vec())
            .unwrap_or_default();
        Self { key }
    }

    fn mac(&self, user: UserId, expires: i64, kind: &str) -> Option<Hmac<Sha256>> {
        let mac = Hmac::<Sha256>::new_from_slice(&self.key).ok()?;
        Some(
            mac.chain_update(user.as_uuid().as_bytes())
                .chain_update([0])
                .chain_update(expires.to_be_bytes())
                .chain_update([0])
                .chain_update(kind.as_bytes()),
        )
    }

    /// A token that turns `kind`'s e-mail off for `user`, valid for [`UNSUBSCRIBE_TTL`] from `now`.
    #[must_use]
    pub fn sign(&self, user: UserId, kind: &str, now: DateTime<Utc>) -> String {
        let expires = (now + UNSUBSCRIBE_TTL).timestamp();
        let sig = self.mac(user, expires, kind).map(|m| hex::encode(m.finalize().into_bytes())).unwrap_or_default();
        format!("{}.{expires}.{sig}.{kind}", user.as_uuid().simple())
    }

    /// The user and kind a token names, if its signature is good and it has not expired at `now`.
    ///
    /// # Errors
    /// Malformed or forged; expired.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<(UserId, String), UnsubscribeTokenError> {
        let mut parts = token.trim().splitn(4, '.');
        let (Some(user), Some(expires), Some(sig), Some(kind)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(UnsubscribeTokenError::Invalid);
        };
        let user = UserId::from(Uuid::try_parse(user).map_err(|_| UnsubscribeTokenError::Invalid)?);
        let expires: i64 = expires.parse().map_err(|_| UnsubscribeTokenError::Invalid)?;
        let sig = hex::decode(sig).map_err(|_| UnsubscribeTokenError::Invalid)?;
        let mac = self.mac(user, expires, kind).ok_or(UnsubscribeTokenError::Invalid)?;
        mac.verify_slice(&sig).map_err(|_| UnsubscribeTokenError::Invalid)?;
        if now.timestamp() > expires {
            return Err(UnsubscribeTokenError::Expired);
        }
        Ok((user, kind.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_user_and_kind_until_it_expires() {
        let keys = UnsubscribeKeys::new(b"a secret of the server");
        let user = UserId::from(Uuid::from_u128(7));
        let now = Utc::now();
        let token = keys.sign(user, "meeting.cancelled", now);
        assert_eq!(keys.verify(&token, now), Ok((user, "meeting.cancelled".to_owned())));
        assert_eq!(
            keys.verify(&token, now + UNSUBSCRIBE_TTL + Duration::seconds(1)),
            Err(UnsubscribeTokenError::Expired)
        );
    }

    #[test]
    fn forged_or_altered_tokens_are_refused() {
        let keys = UnsubscribeKeys::new(b"a secret of the server");
        let user = UserId::from(Uuid::from_u128(7));
        let now = Utc::now();
        let token = keys.sign(user, "meeting.cancelled", now);
        let other = UnsubscribeKeys::new(b"another secret").sign(user, "meeting.cancelled", now);
        assert_eq!(keys.verify(&other, now), Err(UnsubscribeTokenError::Invalid), "another key");
        let kind_changed = token.replace("meeting.cancelled", "digest");
        assert_eq!(keys.verify(&kind_changed, now), Err(UnsubscribeTokenError::Invalid));
        let someone_else =
            token.replacen(&user.as_uuid().simple().to_string(), &Uuid::from_u128(8).simple().to_string(), 1);
        assert_eq!(keys.verify(&someone_else, now), Err(UnsubscribeTokenError::Invalid));
        let (head, _) = token.split_once('.').unwrap_or_default();
        let later = token.replacen(&format!("{head}."), &format!("{head}.9"), 1);
        assert_eq!(keys.verify(&later, now), Err(UnsubscribeTokenError::Invalid), "a longer life");
        for junk in ["", "x", "a.b.c.d", "..."] {
            assert_eq!(keys.verify(junk, now), Err(UnsubscribeTokenError::Invalid), "{junk}");
        }
    }
}
