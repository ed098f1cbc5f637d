//! How a delivery is signed: `Pnyx-Webhook-Signature: v1=<hex>`, the HMAC-SHA-256 under the
//! subscription's secret of `<timestamp>.<body>`, where `<timestamp>` is the
//! `Pnyx-Webhook-Timestamp` header (Unix seconds) and `<body>` the exact bytes received. A
//! receiver recomputes it, compares in constant time and refuses timestamps more than a few
//! minutes old (a replay).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// The header naming the delivery (the same on every retry and redelivery: receivers dedupe by it).
pub const HEADER_ID: &str = "Pnyx-Webhook-Id";
/// The header with the event type.
pub const HEADER_EVENT: &str = "Pnyx-Webhook-Event";
/// The header with the Unix time of the signing, in seconds.
pub const HEADER_TIMESTAMP: &str = "Pnyx-Webhook-Timestamp";
/// The header with the signature, `v1=<hex>`.
pub const HEADER_SIGNATURE: &str = "Pnyx-Webhook-Signature";

/// The prefix of generated secrets (so one is recognisable when leaked).
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 244 random bits (two version-4 UUIDs) in hex, after [`SECRET_PREFIX`].
#[must_use]
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

/// The value of [`HEADER_SIGNATURE`] for `body` sent at `timestamp` under `secret`.
#[must_use]
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let Ok(mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    let mac = mac.chain_update(timestamp.to_string().as_bytes()).chain_update(b".").chain_update(body.as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` (a [`HEADER_SIGNATURE`] value, possibly several `v1=` entries separated by
/// commas or spaces) holds the signature of `body` at `timestamp` under `secret`, compared in
/// constant time. What a receiver does.
#[must_use]
pub fn verify(secret: &str, timestamp: i64, body: &str, header: &str) -> bool {
    let Ok(mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    let mac = mac.chain_update(timestamp.to_string().as_bytes()).chain_update(b".").chain_update(body.as_bytes());
    header.split([',', ' ']).filter_map(|p| p.trim().strip_prefix("v1=")).filter_map(|h| hex::decode(h).ok()).any(
        |sig| {
            let m = mac.clone();
            m.verify_slice(&sig).is_ok()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_secret_time_and_body() {
        let s = signature("whsec_abc", 1_700_000_000, "{\"a\":1}");
        assert!(s.starts_with("v1=") && s.len() == 3 + 64);
        assert!(verify("whsec_abc", 1_700_000_000, "{\"a\":1}", &s));
        assert!(verify("whsec_abc", 1_700_000_000, "{\"a\":1}", &format!("v1=00, {s}")), "one of several");
        assert!(!verify("whsec_abd", 1_700_000_000, "{\"a\":1}", &s), "another secret");
        assert!(!verify("whsec_abc", 1_700_000_001, "{\"a\":1}", &s), "another time");
        assert!(!verify("whsec_abc", 1_700_000_000, "{\"a\":2}", &s), "another body");
        assert!(!verify("whsec_abc", 1_700_000_000, "{\"a\":1}", "v1=zz"));
    }

    #[test]
    fn matches_openssl() {
        // echo -n '1700000000.hello' | openssl dgst -sha256 -hmac 'secret'
        assert_eq!(
            signature("secret", 1_700_000_000, "hello"),
            "v1=47b1df0ab12338b2685470b0d2b37033add7c3b2bc8172f313e77413f1bb78c8"
        );
    }

    #[test]
    fn secrets_are_fresh_and_long() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), SECRET_PREFIX.len() + 64);
    }
}
