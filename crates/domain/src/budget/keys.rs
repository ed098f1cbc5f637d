//! The secret ballot's keys: each voter's ballot is stored under `HMAC-SHA-256(K, process ‖ 0 ‖
//! district ‖ 0 ‖ voter)` with `K = HMAC-SHA-256(secret, "pnyx ballot keys v1")`. The secret lives
//! in the server's configuration, never in the database, so the database alone cannot tell whose
//! ballot is whose (see the README's threat model).

use crate::ids::{BudgetId, UserId};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Derives each voter's ballot key under a secret kept outside the database.
#[derive(Clone)]
pub struct BallotKeys {
    key: Vec<u8>,
}

impl std::fmt::Debug for BallotKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotKeys(..)")
    }
}

impl BallotKeys {
    /// Keys derived from the server secret (a separate derivation from the JWT signing key).
    #[must_use]
    pub fn new(secret: &[u8]) -> Self {
        let key = Hmac::<Sha256>::new_from_slice(secret)
            .map(|m| m.chain_update(b"pnyx ballot keys v1").finalize().into_bytes().to_vec())
            .unwrap_or_default();
        Self { key }
    }

    /// The key of `voter`'s ballot in a process and district.
    #[must_use]
    pub fn key(&self, budget: BudgetId, district: Option<&str>, voter: UserId) -> String {
        let Ok(mac) = Hmac::<Sha256>::new_from_slice(&self.key) else { return String::new() };
        let tag = mac
            .chain_update(budget.as_uuid().as_bytes())
            .chain_update([0])
            .chain_update(district.unwrap_or_default().as_bytes())
            .chain_update([0])
            .chain_update(voter.as_uuid().as_bytes())
            .finalize()
            .into_bytes();
        hex::encode(tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn keys_differ_by_secret_process_district_and_voter_and_are_stable() {
        let (a, b) = (BallotKeys::new(b"one secret"), BallotKeys::new(b"another secret"));
        let (p, v) = (BudgetId::from(Uuid::from_u128(1)), UserId::from(Uuid::from_u128(2)));
        assert_eq!(a.key(p, None, v), a.key(p, None, v));
        assert_eq!(a.key(p, None, v).len(), 64);
        assert_ne!(a.key(p, None, v), b.key(p, None, v));
        assert_ne!(a.key(p, None, v), a.key(p, Some("centrum"), v));
        assert_ne!(a.key(p, None, v), a.key(BudgetId::from(Uuid::from_u128(3)), None, v));
        assert_ne!(a.key(p, None, v), a.key(p, None, UserId::from(Uuid::from_u128(4))));
    }
}
