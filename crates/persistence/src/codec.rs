//! What every adapter needs to store domain values: JSON columns in and out, and the errors for a
//! stored value that no longer reads or a row changed meanwhile.

use pnyx_domain::repo::{RepoError, RepoResult};

/// A stored value that does not read back: a bug or a hand-edited row, never the client's fault.
pub(crate) fn bad(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Unavailable(format!("stored {what} is invalid: {e}"))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(what: &str, v: serde_json::Value) -> RepoResult<T> {
    serde_json::from_value(v).map_err(|e| bad(what, e))
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> RepoResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| bad("field", e))
}

/// An optimistic update found another version than the one expected.
pub(crate) fn stale() -> RepoError {
    RepoError::Conflict { field: "updated_at".into(), message: "changed meanwhile".into() }
}
