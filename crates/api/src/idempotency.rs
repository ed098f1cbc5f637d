//! `Idempotency-Key` for POSTs that create or cast: the first response under a key is stored per
//! user and replayed for a retry of the same request; the same key with a different request is
//! refused. Uniqueness of what is created is still guaranteed by the database, so two concurrent
//! first attempts cannot both take effect.

use std::future::{Future, Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use pnyx_domain::idempotency::IdempotencyError;
use pnyx_domain::ids::UserId;
use pnyx_domain::repo::StoredResponse;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The `Idempotency-Key` header, if sent: 1–255 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(v) = req.headers().get("idempotency-key") else {
            return ready(Ok(IdempotencyKey(None)));
        };
        let ok = v
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_graphic()));
        ready(match ok {
            Some(k) => Ok(IdempotencyKey(Some(k.to_owned()))),
            None => Err(ApiError::field("Idempotency-Key", "must be 1 to 255 visible ASCII characters")),
        })
    }
}

/// Fingerprint of a request: method, path and body.
#[must_use]
pub fn fingerprint(req: &HttpRequest, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str());
    h.update(b" ");
    h.update(req.path());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// Runs `f` once per (user, key): a repeat with the same fingerprint gets the stored response
/// (with `Idempotent-Replayed: true`); a different request under a used key gets 422. Without a
/// key, `f` just runs. Only successful responses are stored, so a failed attempt can be retried.
///
/// # Errors
/// `f`'s error, or 422 for a reused key.
pub async fn idempotent<F, Fut>(
    st: &AppState,
    user_id: UserId,
    key: IdempotencyKey,
    fingerprint: String,
    f: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, serde_json::Value), ApiError>>,
{
    let Some(key) = key.0 else {
        let (status, body) = f().await?;
        return Ok(HttpResponse::build(status).json(body));
    };
    if let Some(stored) = st.idempotency.replay(user_id, &key, &fingerprint).await? {
        return Ok(replay(&stored));
    }
    let (status, body) = f().await?;
    let text = serde_json::to_string(&body).map_err(ApiError::internal)?;
    let stored = StoredResponse { request_hash: fingerprint, status: status.as_u16(), body: text };
    // A concurrent request with the same key stored first: answer as it did.
    if let Some(first) = st.idempotency.remember(user_id, &key, &stored).await? {
        return Ok(replay(&first));
    }
    Ok(HttpResponse::build(status).json(body))
}

/// [`idempotent`] for a request whose body may be private, which only the use case knows (the
/// answers to an anonymous survey must not be recomputable from what is stored next to the
/// account): `f` says whether it was, and the stored fingerprint then covers the path only. A
/// retry matches either way, so a reused key with another body is still refused where the body
/// was not private.
///
/// # Errors
/// `f`'s error, or 422 for a reused key.
pub async fn idempotent_private_body<F, Fut>(
    st: &AppState,
    user_id: UserId,
    key: IdempotencyKey,
    req: &HttpRequest,
    body: &[u8],
    f: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, serde_json::Value, bool), ApiError>>,
{
    let Some(key) = key.0 else {
        let (status, body, _) = f().await?;
        return Ok(HttpResponse::build(status).json(body));
    };
    let with_body = fingerprint(req, body);
    let path_only = fingerprint(req, b"");
    if let Some(stored) = st.idempotency.replay_any(user_id, &key, &[&with_body, &path_only]).await? {
        return Ok(replay(&stored));
    }
    let (status, body, private) = f().await?;
    let text = serde_json::to_string(&body).map_err(ApiError::internal)?;
    let request_hash = if private { path_only } else { with_body };
    let stored = StoredResponse { request_hash, status: status.as_u16(), body: text };
    if let Some(first) = st.idempotency.remember(user_id, &key, &stored).await? {
        return Ok(replay(&first));
    }
    Ok(HttpResponse::build(status).json(body))
}

fn replay(stored: &StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    HttpResponse::build(status)
        .insert_header(("Idempotent-Replayed", "true"))
        .content_type("application/json")
        .body(stored.body.clone())
}

impl From<IdempotencyError> for ApiError {
    fn from(e: IdempotencyError) -> Self {
        match e {
            IdempotencyError::KeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was used for a different request; use a new key.",
            ),
            IdempotencyError::Repo(r) => r.into(),
        }
    }
}
