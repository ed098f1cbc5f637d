//! Accounts: register, log in, refresh, log out, the signed-in user's profile, password and
//! personal API tokens.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use chrono::{DateTime, Utc};
use pnyx_domain::accounts::{ApiToken, DisplayName, Email, NewPassword, RefreshDecision, RefreshToken, User};
use pnyx_domain::auth::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocaleDto, RoleDto};
use crate::error::{ApiError, Problem};
use crate::extract::{SignedIn, ValidJson, parse_json};
use crate::security::{self, API_TOKEN_PREFIX, REFRESH_TTL};
use crate::state::AppState;

const REFRESH_COOKIE: &str = "pnyx_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(me_get)
        .service(me_update)
        .service(password_change)
        .service(api_token_list)
        .service(api_token_create)
        .service(api_token_revoke);
}

/// A new account.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "jana.novakova@example.sk", "password": "Hron-river-2026", "display_name": "Jana Nováková", "locale": "sk"}))]
pub struct RegisterRequest {
    #[validate(length(max = 254))]
    #[schema(max_length = 254)]
    pub email: String,
    /// 10–128 characters, at least 5 different ones, not containing the e-mail.
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
    pub locale: LocaleDto,
}

/// Credentials.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "jana.novakova@example.sk", "password": "Hron-river-2026"}))]
pub struct LoginRequest {
    #[validate(length(max = 254))]
    #[schema(max_length = 254)]
    pub email: String,
    #[validate(length(max = 1024))]
    #[schema(max_length = 1024)]
    pub password: String,
}

/// A refresh token; omit it (or send `{}`) to use the `pnyx_refresh` cookie.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "q2V0kS8yZ3x1dW5oYXJk..."}))]
pub struct RefreshRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT for `Authorization: Bearer`, valid 15 minutes.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Valid 30 days, single use: each refresh returns a new one. Also set as an HttpOnly cookie.
    pub refresh_token: String,
    pub user: MeResponse,
}

/// One organisation's roles of the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipDto {
    pub org_id: Uuid,
    pub org_slug: String,
    pub roles: Vec<RoleDto>,
    pub verified: bool,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: LocaleDto,
    pub platform_admin: bool,
    pub memberships: Vec<MembershipDto>,
    pub created_at: DateTime<Utc>,
}

/// Changes to the profile; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Jana N.", "locale": "en"}))]
pub struct UpdateMeRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: Option<String>,
    pub locale: Option<LocaleDto>,
}

/// A password change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "Hron-river-2026", "new_password": "Urpin-hill-2027"}))]
pub struct ChangePasswordRequest {
    #[validate(length(max = 1024))]
    #[schema(max_length = 1024)]
    pub current_password: String,
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenScopeDto {
    /// Read what the user can read.
    Read,
    /// Act as the user.
    Act,
}

/// A new API token for a third-party app.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Open-data mirror", "scope": "read"}))]
pub struct CreateApiTokenRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub scope: TokenScopeDto,
}

/// An API token (the secret itself is shown only once, at creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenResponse {
    pub id: Uuid,
    pub name: String,
    pub scope: TokenScopeDto,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A created API token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiTokenResponse {
    #[serde(flatten)]
    pub meta: ApiTokenResponse,
    /// Use as `Authorization: Bearer <token>`. Store it now: it cannot be shown again.
    pub token: String,
}

/// The signed-in user's API tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    pub items: Vec<ApiTokenResponse>,
}

fn scope_dto(s: Scope) -> TokenScopeDto {
    match s {
        Scope::Act => TokenScopeDto::Act,
        Scope::Read => TokenScopeDto::Read,
    }
}

fn token_dto(t: &ApiToken) -> ApiTokenResponse {
    ApiTokenResponse {
        id: t.id,
        name: t.name.clone(),
        scope: scope_dto(t.scope),
        created_at: t.created_at,
        last_used_at: t.last_used_at,
    }
}

async fn me_of(st: &AppState, user: &User) -> Result<MeResponse, ApiError> {
    let memberships = st
        .store
        .memberships_of(user.id)
        .await?
        .into_iter()
        .map(|(org_id, slug, m)| MembershipDto {
            org_id,
            org_slug: slug.to_string(),
            roles: m.roles.into_iter().map(RoleDto::from).collect(),
            verified: m.verified,
        })
        .collect();
    Ok(MeResponse {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        locale: user.locale.into(),
        platform_admin: user.platform_admin,
        memberships,
        created_at: user.created_at,
    })
}

fn refresh_cookie(st: &AppState, value: &str, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value.to_owned())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(st.settings.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

/// Starts a session: a new refresh-token family unless `family` continues one.
async fn issue_session(
    st: &AppState,
    user: &User,
    family: Option<Uuid>,
    status: u16,
) -> Result<HttpResponse, ApiError> {
    let now = pnyx_domain::now();
    let access_token = st.jwt.issue(user.id, now).map_err(ApiError::internal)?;
    let refresh_secret = security::random_token();
    st.store
        .insert_refresh_token(&RefreshToken {
            id: Uuid::now_v7(),
            family_id: family.unwrap_or_else(Uuid::now_v7),
            user_id: user.id,
            token_hash: security::token_hash(&refresh_secret),
            expires_at: now + REFRESH_TTL,
            used_at: None,
            revoked_at: None,
        })
        .await?;
    let body = TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: security::ACCESS_TTL.num_seconds(),
        refresh_token: refresh_secret.clone(),
        user: me_of(st, user).await?,
    };
    let status = actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK);
    Ok(HttpResponse::build(status)
        .cookie(refresh_cookie(st, &refresh_secret, CookieDuration::days(REFRESH_TTL.num_days())))
        .json(body))
}

async fn hash_blocking(password: String) -> Result<String, ApiError> {
    web::block(move || security::hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

async fn verify_blocking(password: String, hash: String) -> Result<bool, ApiError> {
    web::block(move || security::verify_password(&password, &hash)).await.map_err(ApiError::internal)
}

/// Register an account
///
/// Creates a resident account and signs it in. Passwords: 10–128 characters, at least five
/// different ones, not containing the e-mail; stored as Argon2id hashes.
#[utoipa::path(
    tag = "accounts", operation_id = "account_register", request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The e-mail already has an account", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, weak password", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/register")]
pub async fn register(st: web::Data<AppState>, body: ValidJson<RegisterRequest>) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let email = Email::parse(&b.email).map_err(|e| ApiError::field("email", e.to_string()))?;
    let password = NewPassword::parse(&b.password, &email).map_err(|e| ApiError::field("password", e.to_string()))?;
    let name = DisplayName::parse(&b.display_name).map_err(|e| ApiError::field("display_name", e.to_string()))?;
    if st.store.user_by_email(&email).await?.is_some() {
        return Err(ApiError::conflict("email-taken", "An account with this e-mail already exists; log in instead."));
    }
    let now = pnyx_domain::now();
    let user = User {
        id: Uuid::now_v7(),
        email: email.as_str().to_owned(),
        password_hash: hash_blocking(password.expose().to_owned()).await?,
        display_name: name.into_inner(),
        locale: b.locale.into(),
        platform_admin: false,
        created_at: now,
        updated_at: now,
    };
    st.store.create_user(&user).await.map_err(|e| match e {
        // Two concurrent registrations: the unique index decides.
        pnyx_domain::repo::RepoError::Conflict { .. } => {
            ApiError::conflict("email-taken", "An account with this e-mail already exists; log in instead.")
        }
        other => other.into(),
    })?;
    issue_session(&st, &user, None, 201).await
}

/// Log in
///
/// Exchanges e-mail and password for an access token and a refresh token.
#[utoipa::path(
    tag = "accounts", operation_id = "session_create", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins for this account; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/login")]
pub async fn login(st: web::Data<AppState>, body: ValidJson<LoginRequest>) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let key = b.email.trim().to_lowercase();
    let now = pnyx_domain::now();
    if let Some(secs) = st.login_throttle.retry_after(&key, now) {
        return Err(ApiError::new(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            "too-many-attempts",
            format!("Too many failed logins for this account; try again in {secs} seconds."),
        )
        .with_header(actix_web::http::header::RETRY_AFTER, secs.into()));
    }
    let user = match Email::parse(&b.email) {
        Ok(email) => st.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let hash = user.as_ref().map_or_else(|| security::dummy_hash().to_owned(), |u| u.password_hash.clone());
    let ok = verify_blocking(b.password, hash).await?;
    match user {
        Some(u) if ok => {
            st.login_throttle.record_success(&key);
            issue_session(&st, &u, None, 200).await
        }
        _ => {
            st.login_throttle.record_failure(&key, now);
            Err(ApiError::unauthorized("Wrong e-mail or password."))
        }
    }
}

fn presented_refresh_token(req: &HttpRequest, body: &Bytes) -> Result<Option<String>, ApiError> {
    let from_body =
        if body.iter().all(u8::is_ascii_whitespace) { None } else { parse_json::<RefreshRequest>(body)?.refresh_token };
    Ok(from_body.or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned())))
}

/// Refresh a session
///
/// Exchanges a refresh token (from the body, else the `pnyx_refresh` cookie) for a new access
/// token and a new refresh token. Each refresh token works once: presenting a used one revokes
/// its whole family, signing out whoever holds the newer ones.
#[utoipa::path(
    tag = "accounts", operation_id = "session_refresh", request_body(content = RefreshRequest, description = "Optional: the cookie is used when absent"),
    responses(
        (status = 200, description = "A new session", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/refresh")]
pub async fn refresh(st: web::Data<AppState>, req: HttpRequest, body: Bytes) -> Result<HttpResponse, ApiError> {
    let token = presented_refresh_token(&req, &body)?
        .ok_or_else(|| ApiError::unauthorized("No refresh token: log in again."))?;
    let invalid = || ApiError::unauthorized("The refresh token is not valid: log in again.");
    let stored = st.store.refresh_token_by_hash(&security::token_hash(&token)).await?.ok_or_else(invalid)?;
    let now = pnyx_domain::now();
    match stored.decide(now) {
        RefreshDecision::Rotate => {}
        RefreshDecision::Expired => return Err(invalid()),
        RefreshDecision::ReuseDetected => {
            tracing::warn!(family = %stored.family_id, user = %stored.user_id, "refresh token reused; family revoked");
            st.store.revoke_refresh_family(stored.family_id, now).await?;
            return Err(invalid());
        }
    }
    if !st.store.consume_refresh_token(stored.id, now).await? {
        // Lost a race with another refresh of the same token: that is a reuse too.
        st.store.revoke_refresh_family(stored.family_id, now).await?;
        return Err(invalid());
    }
    let user = st.store.user_by_id(stored.user_id).await?.ok_or_else(invalid)?;
    issue_session(&st, &user, Some(stored.family_id), 200).await
}

/// Log out
///
/// Revokes the presented refresh token's family (from the body or cookie) and clears the
/// cookie. Access tokens already issued expire within 15 minutes.
#[utoipa::path(
    tag = "accounts", operation_id = "session_delete", request_body(content = RefreshRequest, description = "Optional: the cookie is used when absent"),
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/auth/logout")]
pub async fn logout(st: web::Data<AppState>, req: HttpRequest, body: Bytes) -> Result<HttpResponse, ApiError> {
    if let Some(token) = presented_refresh_token(&req, &body)?
        && let Some(stored) = st.store.refresh_token_by_hash(&security::token_hash(&token)).await?
    {
        st.store.revoke_refresh_family(stored.family_id, pnyx_domain::now()).await?;
    }
    let mut gone = refresh_cookie(&st, "", CookieDuration::ZERO);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

/// Get the signed-in user
///
/// The profile with the roles held in each organisation.
#[utoipa::path(
    tag = "accounts", operation_id = "me_get",
    responses(
        (status = 200, description = "The signed-in user", body = MeResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me")]
pub async fn me_get(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<MeResponse>, ApiError> {
    let user = st.store.user_by_id(who.0.user_id).await?.ok_or_else(|| ApiError::not_found("user"))?;
    Ok(web::Json(me_of(&st, &user).await?))
}

/// Update the signed-in user's profile
///
/// Changes the display name and preferred language.
#[utoipa::path(
    tag = "accounts", operation_id = "me_update", request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated profile", body = MeResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/me")]
pub async fn me_update(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<UpdateMeRequest>,
) -> Result<web::Json<MeResponse>, ApiError> {
    if who.0.scope != Scope::Act {
        return Err(ApiError::forbidden());
    }
    let mut user = st.store.user_by_id(who.0.user_id).await?.ok_or_else(|| ApiError::not_found("user"))?;
    if let Some(name) = &body.0.display_name {
        user.display_name =
            DisplayName::parse(name).map_err(|e| ApiError::field("display_name", e.to_string()))?.into_inner();
    }
    if let Some(locale) = body.0.locale {
        user.locale = locale.into();
    }
    user.updated_at = pnyx_domain::now();
    st.store.update_user(&user).await?;
    Ok(web::Json(me_of(&st, &user).await?))
}

/// Change the password
///
/// Needs the current password. Signs out every other session (all refresh tokens are revoked).
#[utoipa::path(
    tag = "accounts", operation_id = "password_update", request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
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
    if who.0.scope != Scope::Act {
        return Err(ApiError::forbidden());
    }
    let b = body.0;
    let mut user = st.store.user_by_id(who.0.user_id).await?.ok_or_else(|| ApiError::not_found("user"))?;
    if !verify_blocking(b.current_password, user.password_hash.clone()).await? {
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "wrong-password",
            "The current password is wrong.",
        ));
    }
    let email = Email::parse(&user.email).map_err(ApiError::internal)?;
    let new =
        NewPassword::parse(&b.new_password, &email).map_err(|e| ApiError::field("new_password", e.to_string()))?;
    user.password_hash = hash_blocking(new.expose().to_owned()).await?;
    user.updated_at = pnyx_domain::now();
    st.store.update_user(&user).await?;
    st.store.revoke_user_refresh_tokens(user.id, pnyx_domain::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List the signed-in user's API tokens
///
/// Live tokens only; their secrets are never shown again.
#[utoipa::path(
    tag = "accounts", operation_id = "api_token_list",
    responses(
        (status = 200, description = "The tokens", body = ApiTokenList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/tokens")]
pub async fn api_token_list(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<ApiTokenList>, ApiError> {
    let items = st.store.api_tokens_of(who.0.user_id).await?.iter().map(token_dto).collect();
    Ok(web::Json(ApiTokenList { items }))
}

/// Create an API token
///
/// For a third-party app: `read` sees what you see, `act` acts as you. The secret is in this
/// response only.
#[utoipa::path(
    tag = "accounts", operation_id = "api_token_create", request_body = CreateApiTokenRequest,
    responses(
        (status = 201, description = "Created; the secret is shown this once", body = CreatedApiTokenResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Tokens cannot create tokens", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/tokens")]
pub async fn api_token_create(
    st: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    body: ValidJson<CreateApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    // Only a session (JWT) may mint tokens, so a leaked token cannot multiply itself.
    let bearer = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if bearer.contains(API_TOKEN_PREFIX) || who.0.scope != Scope::Act {
        return Err(ApiError::forbidden());
    }
    let secret = security::random_token();
    let token = ApiToken {
        id: Uuid::now_v7(),
        user_id: who.0.user_id,
        name: body.0.name.trim().to_owned(),
        token_hash: security::token_hash(&secret),
        scope: match body.0.scope {
            TokenScopeDto::Act => Scope::Act,
            TokenScopeDto::Read => Scope::Read,
        },
        last_used_at: None,
        revoked_at: None,
        created_at: pnyx_domain::now(),
    };
    st.store.insert_api_token(&token).await?;
    Ok(HttpResponse::Created()
        .json(CreatedApiTokenResponse { meta: token_dto(&token), token: format!("{API_TOKEN_PREFIX}{secret}") }))
}

/// Revoke an API token
///
/// The token stops working at once.
#[utoipa::path(
    tag = "accounts", operation_id = "api_token_delete",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
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
    if st.store.revoke_api_token(who.0.user_id, id.into_inner(), pnyx_domain::now()).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("API token"))
    }
}
