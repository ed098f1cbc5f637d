//! Accounts: register, log in, refresh, log out, the signed-in user's profile, password and
//! personal API tokens. The handlers call [`pnyx_domain::accounts::AccountService`]; what is
//! HTTP stays here: the bodies, the HttpOnly refresh cookie, the status codes and headers.

mod dto;
mod email;
mod profile;
mod session;
mod tokens;

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use pnyx_domain::accounts::{AccessTokenError, AccountError};
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::*;
pub use email::*;
pub use profile::*;
pub use session::*;
pub use tokens::*;

use crate::error::{ApiError, ErrorCode};
use crate::extract::parse_json;
use crate::state::AppState;

/// The refresh cookie on localhost in development (no HTTPS, so no `Secure` and no prefix).
const REFRESH_COOKIE: &str = "pnyx_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";
/// The refresh cookie over HTTPS: `__Host-` makes browsers insist on `Secure`, `Path=/` and no
/// `Domain`, so neither a sibling subdomain nor a plain-HTTP page can plant or overwrite it.
const HOST_REFRESH_COOKIE: &str = "__Host-pnyx_refresh";

/// The request header with which a native client asks for the refresh token in the body of a
/// session response (value `body`); web apps get it only in the HttpOnly cookie.
pub const REFRESH_IN_BODY_HEADER: &str = "Pnyx-Refresh-Token";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(me_get)
        .service(me_update)
        .service(password_change)
        .service(email_verify)
        .service(verification_email_send)
        .service(password_reset_request)
        .service(password_reset_confirm)
        .service(email_change_request)
        .service(email_change_confirm)
        .service(api_token_list)
        .service(api_token_create)
        .service(api_token_revoke);
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        let field_error = |field: &str, e: &dyn std::fmt::Display| ApiError::field(field, e.to_string());
        match e {
            AccountError::InvalidEmail(e) => field_error("email", &e),
            AccountError::WeakPassword { field, reason } => field_error(field, &reason),
            AccountError::InvalidDisplayName(e) => field_error("display_name", &e),
            AccountError::EmailTaken => {
                ApiError::conflict(ErrorCode::EmailTaken, "An account with this e-mail already exists; log in instead.")
            }
            AccountError::WrongCredentials => ApiError::unauthorized("Wrong e-mail or password."),
            AccountError::TooManyAttempts { retry_after_secs } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyAttempts,
                format!("Too many failed logins for this account; try again in {retry_after_secs} seconds."),
            )
            .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs)),
            AccountError::NoRefreshToken => ApiError::unauthorized("No refresh token: log in again."),
            AccountError::InvalidRefreshToken => {
                ApiError::unauthorized("The refresh token is not valid: log in again.")
            }
            AccountError::InvalidApiToken => ApiError::unauthorized("The API token is unknown or revoked."),
            AccountError::InvalidAccessToken(AccessTokenError::Expired) => {
                ApiError::unauthorized("The access token has expired; refresh it.")
            }
            AccountError::InvalidAccessToken(AccessTokenError::Invalid) => {
                ApiError::unauthorized("The access token is invalid.")
            }
            AccountError::AccountGone => ApiError::unauthorized("The token's account no longer exists."),
            AccountError::WrongPassword => {
                ApiError::new(StatusCode::FORBIDDEN, ErrorCode::WrongPassword, "The current password is wrong.")
            }
            AccountError::Forbidden => ApiError::forbidden(),
            AccountError::UserNotFound => ApiError::not_found("user"),
            AccountError::ApiTokenNotFound => ApiError::not_found("API token"),
            AccountError::InvalidToken => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidToken,
                "The link is not valid: it was used already, has expired or was mistyped.",
            ),
            AccountError::MailTooSoon { retry_after_secs } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("An e-mail was sent a moment ago; try again in {retry_after_secs} seconds."),
            )
            .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs)),
            AccountError::Credential(e) => ApiError::internal(e),
            AccountError::Repo(r) => r.into(),
        }
    }
}

/// The refresh cookie's name and path under the server's settings.
fn refresh_cookie_name(st: &AppState) -> (&'static str, &'static str) {
    if st.settings.secure_cookies { (HOST_REFRESH_COOKIE, "/") } else { (REFRESH_COOKIE, REFRESH_COOKIE_PATH) }
}

/// The HttpOnly refresh cookie, valid for `max_age`.
fn refresh_cookie(st: &AppState, value: &str, max_age: CookieDuration) -> Cookie<'static> {
    let (name, path) = refresh_cookie_name(st);
    Cookie::build(name, value.to_owned())
        .path(path)
        .http_only(true)
        .secure(st.settings.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

/// Whether the client asked for the refresh token in the body ([`REFRESH_IN_BODY_HEADER`]).
fn wants_refresh_in_body(req: &HttpRequest) -> bool {
    req.headers().get(REFRESH_IN_BODY_HEADER).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"body"))
}

/// Where a presented refresh token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenSource {
    Body,
    Cookie,
}

/// The refresh token presented in the body, else in the cookie. A cookie is honoured only from
/// the site itself: a request whose `Origin` is another site's is refused (requests without
/// `Origin`, from native clients, pass; the cookie's `SameSite=Strict` already keeps browsers of
/// other sites from sending it).
fn presented_refresh_token(
    st: &AppState,
    req: &HttpRequest,
    body: &Bytes,
) -> Result<Option<(String, TokenSource)>, ApiError> {
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        parse_json::<Option<RefreshRequest>>(body)?.and_then(|r| r.refresh_token)
    };
    if let Some(t) = from_body {
        return Ok(Some((t, TokenSource::Body)));
    }
    let Some(cookie) = req.cookie(refresh_cookie_name(st).0) else {
        return Ok(None);
    };
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let own = {
            let c = req.connection_info();
            format!("{}://{}", c.scheme(), c.host())
        };
        let origin = origin.to_str().unwrap_or_default();
        if origin != own && origin != st.settings.public_url {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "The session cookie is accepted only from this site's own pages.",
            ));
        }
    }
    Ok(Some((cookie.value().to_owned(), TokenSource::Cookie)))
}
