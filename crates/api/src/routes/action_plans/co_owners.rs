//! Co-owners of a commitment: residents volunteer (for themselves or a partner organisation) and
//! withdraw; staff accept or remove them.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;
use validator::Validate;

use super::dto_tracking::{CoOwnerList, CoOwnerResponse, CoOwnerStatusRequest, VolunteerRequest};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, SignedIn, ValidJson, parse_json};
use crate::state::AppState;

/// List co-owners
///
/// Display names only. Removed ones are shown to staff only.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment"), PageParams),
    responses(
        (status = 200, description = "A page of co-owners", body = CoOwnerList),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}/co-owners")]
pub async fn co_owner_list(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<CoOwnerList>, ApiError> {
    let (_, id) = path.into_inner();
    let page = st.action_plans.co_owners(&who.0, &org.0, id.into(), q.page()?).await?;
    Ok(web::Json(CoOwnerList::from_page(page, Into::into)))
}

/// Volunteer as co-owner
///
/// Any signed-in resident, for themselves or for a partner organisation; staff then accept.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_create", request_body(content = VolunteerRequest, description = "Optional"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 201, description = "Volunteered", body = CoOwnerResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already volunteered", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/co-owners")]
pub async fn co_owner_create(
    st: web::Data<AppState>,
    who: SignedIn,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    // The body is optional: an empty one volunteers with no organisation and no note.
    let b: VolunteerRequest =
        if body.iter().all(u8::is_ascii_whitespace) { VolunteerRequest::default() } else { parse_json(&body)? };
    b.validate()?;
    let v = st.action_plans.volunteer(&who.caller(), &org.0, id.into(), b.into()).await?;
    Ok(HttpResponse::Created().json(CoOwnerResponse::from(v)))
}

/// Accept or remove a co-owner
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_update", request_body = CoOwnerStatusRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment"), ("co_owner_id" = Uuid, Path, description = "The co-owner")),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such co-owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/commitments/{id}/co-owners/{co_owner_id}")]
pub async fn co_owner_update(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<CoOwnerStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id, co_owner_id) = path.into_inner();
    st.action_plans.set_co_owner_status(&who.0, &org.0, id.into(), co_owner_id, body.0.status.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraw as co-owner
///
/// The resident takes back their offer.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "Not a co-owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/commitments/{id}/co-owners/me")]
pub async fn co_owner_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    st.action_plans.withdraw(&who.caller(), &org.0, id.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}
