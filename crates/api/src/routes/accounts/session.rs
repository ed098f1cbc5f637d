//! Sessions: register, log in, refresh, log out. Each sets or clears the HttpOnly refresh cookie.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, post};
use pnyx_domain::accounts::{Registration, Session};

use super::{
    AcceptedResponse, LoginRequest, RefreshRequest, RegisterRequest, TokenResponse, TokenSource,
    presented_refresh_token, refresh_cookie, wants_refresh_in_body,
};
use crate::error::{ApiError, Problem};
use crate::extract::ValidJson;
use crate::state::AppState;

/// The response that starts or continues a session: the access token in the body, the refresh
/// token in the HttpOnly cookie, and also in the body when `refresh_in_body` (a native client).
pub(super) fn session_response(
    st: &AppState,
    session: Session,
    status: StatusCode,
    refresh_in_body: bool,
) -> HttpResponse {
    let cookie =
        refresh_cookie(st, &session.refresh_token, CookieDuration::days(session.refresh_expires_in.num_days()));
    let mut body = TokenResponse::from(session);
    if !refresh_in_body {
        body.refresh_token = None;
    }
    HttpResponse::build(status).cookie(cookie).json(body)
}

/// Register an account
///
/// Creates a resident account and sends a link to confirm its address; the link signs the user
/// in. Until the address is confirmed the account can sign in and read, not take part. When the
/// address already has an account nothing is created and its owner is told by e-mail: the answer
/// is the same, so it does not tell which addresses have accounts. Passwords: 10–128 characters,
/// at least five different ones, not containing the e-mail; stored as Argon2id hashes.
#[utoipa::path(
    tag = "accounts", operation_id = "account_register", request_body = RegisterRequest,
    responses(
        (status = 429, description = "Too many requests from this address or account (`rate-limited`); see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 202, description = "Taken: check your e-mail (for a new and a taken address alike)", body = AcceptedResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, weak password", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/register")]
pub async fn register(st: web::Data<AppState>, body: ValidJson<RegisterRequest>) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let input =
        Registration { email: b.email, password: b.password, display_name: b.display_name, locale: b.locale.into() };
    st.accounts.register(input).await?;
    Ok(HttpResponse::Accepted().json(AcceptedResponse::check_email()))
}

/// Log in
///
/// Exchanges e-mail and password for an access token and a refresh token. The refresh token is
/// set as an HttpOnly cookie; a native client that keeps it itself sends
/// `Pnyx-Refresh-Token: body` to have it in the body too.
#[utoipa::path(
    tag = "accounts", operation_id = "session_create", request_body = LoginRequest,
    params(RefreshInBody),
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, description = "Wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
        (status = 429, description = "Too many failed logins for this account; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/login")]
pub async fn login(
    st: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let client = crate::rate_limits::client_address(&st, &req);
    let session = st.accounts.login(&body.0.email, &body.0.password, &client).await?;
    Ok(session_response(&st, session, StatusCode::OK, wants_refresh_in_body(&req)))
}

/// Refresh a session
///
/// Exchanges a refresh token (from the body, else the refresh cookie: `__Host-pnyx_refresh` over
/// HTTPS, `pnyx_refresh` on localhost in development) for a new access token and a new refresh
/// token. Each refresh token works once: presenting a used one revokes its whole family, signing
/// out whoever holds the newer ones. A token presented in the body is answered in the body; one
/// from the cookie only in the cookie, and only for requests from the site's own pages (`Origin`).
#[utoipa::path(
    tag = "accounts", operation_id = "session_refresh", request_body(content = Option<RefreshRequest>, description = "Optional: the cookie is used when absent"),
    params(RefreshInBody),
    responses(
        (status = 200, description = "A new session", body = TokenResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 403, description = "The cookie came with another site's `Origin`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(())
)]
#[post("/auth/refresh")]
pub async fn refresh(st: web::Data<AppState>, req: HttpRequest, body: Bytes) -> Result<HttpResponse, ApiError> {
    let presented = presented_refresh_token(&st, &req, &body)?;
    let in_body = wants_refresh_in_body(&req) || presented.as_ref().is_some_and(|(_, s)| *s == TokenSource::Body);
    let session = st.accounts.refresh(presented.as_ref().map(|(t, _)| t.as_str())).await?;
    Ok(session_response(&st, session, StatusCode::OK, in_body))
}

/// Log out
///
/// Revokes the presented refresh token's family (from the body or cookie) and clears the
/// cookie. Access tokens already issued expire within 15 minutes.
#[utoipa::path(
    tag = "accounts", operation_id = "session_delete", request_body(content = Option<RefreshRequest>, description = "Optional: the cookie is used when absent"),
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 403, description = "The cookie came with another site's `Origin`", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(st: web::Data<AppState>, req: HttpRequest, body: Bytes) -> Result<HttpResponse, ApiError> {
    let presented = presented_refresh_token(&st, &req, &body)?;
    st.accounts.logout(presented.as_ref().map(|(t, _)| t.as_str())).await?;
    let mut gone = refresh_cookie(&st, "", CookieDuration::ZERO);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

/// How a native client asks for the refresh token in the body.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct RefreshInBody {
    /// `body`: also put the refresh token in the response body (native clients that store it
    /// themselves). Without it, or with any other value, the refresh token is only in the
    /// HttpOnly cookie.
    #[serde(rename = "Pnyx-Refresh-Token")]
    #[param(rename = "Pnyx-Refresh-Token", example = "body")]
    pub refresh_token: Option<String>,
}
