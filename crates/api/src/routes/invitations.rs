//! Staff invitations: admins invite an address to roles, list, resend and revoke; the holder of
//! the e-mailed link sees what it invites to and accepts it while signed in with that address.

use crate::dto::{LocalizedTextDto, RoleDto};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{PageParams, SignedIn, ValidJson};
use crate::list_response;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use pnyx_domain::invitations::{InvitationError, InvitationStatus, Listed, NewInvitation};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(invitation_list)
        .service(invitation_create)
        .service(invitation_resend)
        .service(invitation_revoke)
        .service(invitation_preview)
        .service(invitation_accept);
}

impl From<InvitationError> for ApiError {
    fn from(e: InvitationError) -> Self {
        match e {
            InvitationError::Authz(a) => a.into(),
            InvitationError::OrgNotFound => ApiError::not_found("organisation"),
            InvitationError::NotFound => ApiError::not_found("invitation"),
            InvitationError::InvalidEmail(_) => ApiError::field("email", e.to_string()),
            InvitationError::NoRoles => ApiError::field("roles", "invite to at least one role"),
            InvitationError::AlreadyPending => ApiError::conflict(
                ErrorCode::InvitationPending,
                "This address has a pending invitation already; resend it or revoke it.",
            ),
            InvitationError::NotPending(_) | InvitationError::Stale => {
                ApiError::conflict(ErrorCode::InvalidTransition, e.to_string())
            }
            InvitationError::InvalidToken => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidToken,
                "The invitation link is not valid: it was used or revoked, has expired or was mistyped.",
            ),
            InvitationError::AnotherAddress => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::InvitationForAnotherAddress,
                "This invitation was sent to another e-mail address; sign in with that address.",
            ),
            InvitationError::TooSoon { retry_after_secs } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("The invitation was sent a moment ago; try again in {retry_after_secs} seconds."),
            )
            .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs)),
            InvitationError::Repo(r) => r.into(),
        }
    }
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatusDto {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl From<InvitationStatus> for InvitationStatusDto {
    fn from(s: InvitationStatus) -> Self {
        match s {
            InvitationStatus::Pending => InvitationStatusDto::Pending,
            InvitationStatus::Accepted => InvitationStatusDto::Accepted,
            InvitationStatus::Revoked => InvitationStatusDto::Revoked,
            InvitationStatus::Expired => InvitationStatusDto::Expired,
        }
    }
}

/// An invitation as its organisation's admins see it (never its link).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub id: Uuid,
    #[schema(example = "jana@example.sk")]
    pub email: String,
    pub roles: Vec<RoleDto>,
    pub status: InvitationStatusDto,
    pub invited_by: Option<Uuid>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// When the last message about it was sent.
    pub sent_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn invitation_dto(l: Listed) -> InvitationResponse {
    let i = l.invitation;
    InvitationResponse {
        id: i.id,
        status: l.status.into(),
        email: i.email,
        roles: i.roles.into_iter().map(RoleDto::from).collect(),
        invited_by: i.invited_by.map(Into::into),
        expires_at: i.expires_at,
        sent_at: i.sent_at,
        accepted_at: i.accepted_at,
        revoked_at: i.revoked_at,
        created_at: i.created_at,
    }
}

list_response!(InvitationList, InvitationResponse, "A page of invitations.");

/// An invitation to send.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "jana@example.sk", "roles": ["official"]}))]
pub struct CreateInvitationRequest {
    #[validate(length(min = 3, max = 254))]
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = r"^[ \t\n\r]*[^\x00-\x20\x7f-\xa0@\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{1,64}@[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+(\.[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+)+[ \t\n\r]*$"
    )]
    pub email: String,
    /// The roles the person will hold once they accept (added to any they hold).
    #[validate(length(min = 1, max = 3))]
    #[schema(min_items = 1, max_items = 3)]
    pub roles: Vec<RoleDto>,
}

/// Which invitations to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvitationFilterParams {
    /// Only `pending` ones (neither accepted, revoked nor expired); all when left out.
    #[param(inline)]
    pub status: Option<InvitationFilterDto>,
}

/// The one filter of the invitation list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationFilterDto {
    Pending,
}

/// An invitation link's secret, as the e-mail carries it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "k3Jx0bq7yV2mQ9sLr4tW8nZ1cH5dF6gA"}))]
pub struct InvitationTokenRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

/// What an invitation link invites to.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreviewResponse {
    #[schema(example = "banska-bystrica")]
    pub org_slug: String,
    pub org_name: LocalizedTextDto,
    /// The invited address: sign in (or register) with it to accept.
    pub email: String,
    pub roles: Vec<RoleDto>,
    pub expires_at: DateTime<Utc>,
}

/// An accepted invitation: the roles now held.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationAcceptedResponse {
    pub org_slug: String,
    pub roles: Vec<RoleDto>,
    pub verified: bool,
}

/// List invitations
///
/// Newest first. Requires: the organisation's admin.
#[utoipa::path(
    tag = "invitations", operation_id = "invitation_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), InvitationFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of invitations", body = InvitationList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/invitations")]
pub async fn invitation_list(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    f: web::Query<InvitationFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<InvitationList>, ApiError> {
    let page = st.invitations.list(&who.caller(), &path, f.status.is_some(), q.page()?).await?;
    Ok(web::Json(InvitationList::from_page(page, invitation_dto)))
}

/// Invite someone to the staff
///
/// Sends the address an e-mail (in its account's language if it has one, else the
/// organisation's) with a link that works once, for 7 days. The answer is the same whether the
/// address has an account or not. Requires: the organisation's admin. Written to the audit log
/// (without the address).
#[utoipa::path(
    tag = "invitations", operation_id = "invitation_create", request_body = CreateInvitationRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Invited", body = InvitationResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 409, description = "The address has a pending invitation (`invitation-pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/invitations")]
pub async fn invitation_create(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    body: ValidJson<CreateInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let input = NewInvitation { email: b.email, roles: b.roles.into_iter().map(Into::into).collect() };
    let inv = st.invitations.invite(&who.caller(), &path, input).await?;
    Ok(HttpResponse::Created().json(invitation_dto(inv)))
}

/// Resend an invitation
///
/// A new link, valid for another 7 days; the earlier link stops working. At most one a minute.
/// Requires: the organisation's admin.
#[utoipa::path(
    tag = "invitations", operation_id = "invitation_resend",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The invitation")),
    responses(
        (status = 200, description = "Sent again", body = InvitationResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or invitation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Accepted or revoked already", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Sent a moment ago; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/invitations/{id}/resend")]
pub async fn invitation_resend(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<InvitationResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    let inv = st.invitations.resend(&who.caller(), &slug, id).await?;
    Ok(web::Json(invitation_dto(inv)))
}

/// Revoke an invitation
///
/// Its link stops working; the record stays, marked revoked. Requires: the organisation's admin.
#[utoipa::path(
    tag = "invitations", operation_id = "invitation_revoke",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The invitation")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or invitation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Accepted or revoked already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/invitations/{id}")]
pub async fn invitation_revoke(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    st.invitations.revoke(&who.caller(), &slug, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// See what an invitation link invites to
///
/// Public: the holder of the link sees the organisation, the roles and the invited address.
#[utoipa::path(
    tag = "invitations", operation_id = "invitation_preview", request_body = InvitationTokenRequest,
    responses(
        (status = 200, description = "The invitation", body = InvitationPreviewResponse),
        (status = 400, description = "The link is not valid (`invalid-token`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(())
)]
#[post("/invitations/preview")]
pub async fn invitation_preview(
    st: web::Data<AppState>,
    body: ValidJson<InvitationTokenRequest>,
) -> Result<web::Json<InvitationPreviewResponse>, ApiError> {
    let p = st.invitations.preview(&body.0.token).await?;
    Ok(web::Json(InvitationPreviewResponse {
        org_slug: p.org_slug.to_string(),
        org_name: (&p.org_name).into(),
        email: p.email,
        roles: p.roles.into_iter().map(RoleDto::from).collect(),
        expires_at: p.expires_at,
    }))
}

/// Accept an invitation
///
/// Signed in with the invited address: the invited roles are added to those held, and the
/// address counts as confirmed (the link reached it). The link works once.
#[utoipa::path(
    tag = "invitations", operation_id = "invitation_accept", request_body = InvitationTokenRequest,
    responses(
        (status = 200, description = "Accepted", body = InvitationAcceptedResponse),
        (status = 400, description = "The link is not valid (`invalid-token`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Signed in with another address (`invitation-for-another-address`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/invitations/accept")]
pub async fn invitation_accept(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<InvitationTokenRequest>,
) -> Result<web::Json<InvitationAcceptedResponse>, ApiError> {
    let a = st.invitations.accept(&who.caller(), &body.0.token).await?;
    Ok(web::Json(InvitationAcceptedResponse {
        org_slug: a.org_slug.to_string(),
        roles: a.membership.roles.into_iter().map(RoleDto::from).collect(),
        verified: a.membership.verified,
    }))
}
