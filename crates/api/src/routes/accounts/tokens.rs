//! Personal API tokens of the signed-in user, for third-party apps.

use actix_web::{HttpResponse, delete, get, post, web};
use pnyx_domain::accounts::NewApiToken;
use uuid::Uuid;

use super::{ApiTokenList, ApiTokenResponse, CreateApiTokenRequest, CreatedApiTokenResponse};
use crate::error::{ApiError, Problem};
use crate::extract::{SignedIn, SignedInWith, ValidJson};
use crate::state::AppState;

/// List the signed-in user's API tokens
///
/// Live tokens only; their secrets are never shown again.
#[utoipa::path(
    tag = "accounts", operation_id = "api_token_list",
    responses(
        (status = 200, description = "The tokens", body = ApiTokenList),
        (status = 401, response = crate::error::problems::Unauthorized),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/tokens")]
pub async fn api_token_list(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<ApiTokenList>, ApiError> {
    let items = st.accounts.api_tokens(&who.0).await?.iter().map(ApiTokenResponse::from).collect();
    Ok(web::Json(ApiTokenList { items }))
}

/// Create an API token
///
/// For a third-party app: `read` sees what you see, `act` acts as you. The secret is in this
/// response only.
#[utoipa::path(
    tag = "accounts", operation_id = "api_token_create", request_body = CreateApiTokenRequest,
    responses(
        (status = 429, description = "Too many requests from this address or account (`rate-limited`); see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 201, description = "Created; the secret is shown this once", body = CreatedApiTokenResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Tokens cannot create tokens", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/tokens")]
pub async fn api_token_create(
    st: web::Data<AppState>,
    who: SignedInWith,
    body: ValidJson<CreateApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let created = st
        .accounts
        .create_api_token(
            &who.0,
            who.1,
            NewApiToken { name: b.name, scope: b.scope.into(), expires_in_days: b.expires_in_days },
        )
        .await?;
    Ok(HttpResponse::Created()
        .json(CreatedApiTokenResponse { meta: ApiTokenResponse::from(&created.token), token: created.secret }))
}

/// Revoke an API token
///
/// The token stops working at once.
#[utoipa::path(
    tag = "accounts", operation_id = "api_token_delete",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "A read-only token cannot revoke", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such live token of yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/me/tokens/{id}")]
pub async fn api_token_revoke(
    st: web::Data<AppState>,
    who: SignedIn,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    st.accounts.revoke_api_token(&who.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
