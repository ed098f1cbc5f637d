//! What goes through e-mail: confirming the address (which signs the user in), sending the
//! confirmation again, resetting a forgotten password, and changing the address. Answers that
//! could tell whether an address has an account are the same either way.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};

use super::session::session_response;
use super::{
    AcceptedResponse, EmailChangeRequest, EmailTokenRequest, MeResponse, PasswordResetConfirmRequest,
    PasswordResetRequest,
};
use crate::error::{ApiError, Problem};
use crate::extract::{SignedIn, ValidJson};
use crate::state::AppState;

/// Confirm the e-mail address
///
/// Takes the token from the link in the verification e-mail (single use, 48 hours), marks the
/// address confirmed and signs the user in.
#[utoipa::path(
    tag = "accounts", operation_id = "email_verify", request_body = EmailTokenRequest,
    params(super::RefreshInBody),
    responses(
        (status = 200, description = "Confirmed and signed in", body = super::TokenResponse),
        (status = 400, description = "The token is unknown, used or expired (`invalid-token`), or the body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(())
)]
#[post("/auth/verify-email")]
pub async fn email_verify(
    st: web::Data<AppState>,
    req: actix_web::HttpRequest,
    body: ValidJson<EmailTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let session = st.accounts.verify_email(&body.0.token).await?;
    Ok(session_response(&st, session, StatusCode::OK, super::wants_refresh_in_body(&req)))
}

/// Send the verification e-mail again
///
/// A new link to the signed-in user's address, unless it is confirmed already. At most one a
/// minute.
#[utoipa::path(
    tag = "accounts", operation_id = "verification_email_send",
    responses(
        (status = 202, description = "Sent (or nothing to send)", body = AcceptedResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "One was sent a moment ago (`rate-limited`); see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/auth/verification-email")]
pub async fn verification_email_send(st: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, ApiError> {
    st.accounts.resend_verification(&who.0).await?;
    Ok(HttpResponse::Accepted().json(AcceptedResponse::check_email()))
}

/// Ask for a password reset link
///
/// Sends a link (single use, 30 minutes) to the address if it has an account. The answer is the
/// same whether it has one or not.
#[utoipa::path(
    tag = "accounts", operation_id = "password_reset_request", request_body = PasswordResetRequest,
    responses(
        (status = 429, description = "Too many requests from this address or account (`rate-limited`); see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 202, description = "Taken; a link goes out if the address has an account", body = AcceptedResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(())
)]
#[post("/auth/password-reset")]
pub async fn password_reset_request(
    st: web::Data<AppState>,
    body: ValidJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    st.accounts.request_password_reset(&body.0.email).await?;
    Ok(HttpResponse::Accepted().json(AcceptedResponse::check_email()))
}

/// Set a new password with a reset link
///
/// Takes the token from the reset e-mail and the new password; signs out every session of the
/// account. Log in with the new password afterwards.
#[utoipa::path(
    tag = "accounts", operation_id = "password_reset_confirm", request_body = PasswordResetConfirmRequest,
    responses(
        (status = 204, description = "The password is changed"),
        (status = 400, description = "The token is unknown, used or expired (`invalid-token`), or the body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Weak new password", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    st: web::Data<AppState>,
    body: ValidJson<PasswordResetConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    st.accounts.reset_password(&body.0.token, &body.0.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change the e-mail address
///
/// Needs the current password. A link (single use, 24 hours) goes to the new address; the
/// account keeps the old one until it is opened. A taken address gets the same answer.
#[utoipa::path(
    tag = "accounts", operation_id = "email_change_request", request_body = EmailChangeRequest,
    responses(
        (status = 202, description = "Taken; a link goes to the new address", body = AcceptedResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Wrong current password, or a read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
        (status = 429, description = "One was sent a moment ago (`rate-limited`); see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/email")]
pub async fn email_change_request(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<EmailChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    st.accounts.request_email_change(&who.0, &body.0.new_email, &body.0.current_password).await?;
    Ok(HttpResponse::Accepted().json(AcceptedResponse::check_email()))
}

/// Confirm a new e-mail address
///
/// Takes the token from the link sent to the new address; the account takes that address.
#[utoipa::path(
    tag = "accounts", operation_id = "email_change_confirm", request_body = EmailTokenRequest,
    responses(
        (status = 200, description = "The account's address is the new one", body = MeResponse),
        (status = 400, description = "The token is unknown, used or expired (`invalid-token`), or the body is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address got an account meanwhile (`email-taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(())
)]
#[post("/auth/confirm-email")]
pub async fn email_change_confirm(
    st: web::Data<AppState>,
    body: ValidJson<EmailTokenRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    Ok(web::Json(st.accounts.confirm_email_change(&body.0.token).await?.into()))
}
