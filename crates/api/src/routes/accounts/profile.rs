//! The signed-in user: their profile and password.

use actix_web::{HttpResponse, get, patch, post, web};
use pnyx_domain::accounts::ProfileChanges;

use super::{ChangePasswordRequest, MeResponse, UpdateMeRequest};
use crate::error::{ApiError, Problem};
use crate::extract::{SignedIn, ValidJson};
use crate::state::AppState;

/// Get the signed-in user
///
/// The profile with the roles held in each organisation.
#[utoipa::path(
    tag = "accounts", operation_id = "me_get",
    responses(
        (status = 200, description = "The signed-in user", body = MeResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me")]
pub async fn me_get(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<MeResponse>, ApiError> {
    Ok(web::Json(st.accounts.profile(&who.0).await?.into()))
}

/// Update the signed-in user's profile
///
/// Changes the display name and preferred language.
#[utoipa::path(
    tag = "accounts", operation_id = "me_update", request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated profile", body = MeResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/me")]
pub async fn me_update(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let b = body.0;
    let changes = ProfileChanges { display_name: b.display_name, locale: b.locale.map(Into::into) };
    Ok(web::Json(st.accounts.update_profile(&who.0, changes).await?.into()))
}

/// Change the password
///
/// Needs the current password. Signs out every other session (all refresh tokens are revoked).
#[utoipa::path(
    tag = "accounts", operation_id = "password_update", request_body = ChangePasswordRequest,
    responses(
        (status = 429, description = "Too many requests from this address or account (`rate-limited`); see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 204, description = "Changed"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Wrong current password, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Weak new password", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/password")]
pub async fn password_change(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    st.accounts.change_password(&who.0, &body.0.current_password, &body.0.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}
