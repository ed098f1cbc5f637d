//! Follow-up activities of a meeting, and the residents who co-own them.

use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;
use validator::Validate;

use super::dto::{ActivityList, ActivityResponse};
use super::requests::{CreateActivityRequest, JoinActivityRequest};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, SignedIn, ValidJson, parse_json};
use crate::state::AppState;

/// List a meeting's follow-up activities
///
/// Public, with their co-owners' display names.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The activities", body = ActivityList),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/activities")]
pub async fn activity_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<web::Json<ActivityList>, ApiError> {
    let list = st.meetings.activities(&who.0, org.0.id, path.1.into()).await?;
    let me = who.0.user_id();
    Ok(web::Json(ActivityList { items: list.into_iter().map(|a| ActivityResponse::of(a, me)).collect() }))
}

/// Add a follow-up activity
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_create", request_body = CreateActivityRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 201, description = "Added", body = ActivityResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/activities")]
pub async fn activity_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateActivityRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let a = st.meetings.add_activity(&who.0, &org.0, path.1.into(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(ActivityResponse::of(a, None)))
}

/// Join an activity as co-owner
///
/// "Write your name next to the activity": any signed-in resident, with an optional note.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_co_owner_create", request_body(content = JoinActivityRequest, description = "Optional"),
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    responses(
        (status = 204, description = "Joined"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a co-owner", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners")]
pub async fn activity_join(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
    body: web::Bytes,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, activity_id) = path.into_inner();
    let b: JoinActivityRequest =
        if body.iter().all(u8::is_ascii_whitespace) { JoinActivityRequest::default() } else { parse_json(&body)? };
    b.validate()?;
    st.meetings.join_activity(&who.caller(), org.0.id, id.into(), activity_id, b.note).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Leave an activity
///
/// Withdraw as co-owner.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_co_owner_delete",
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    responses(
        (status = 204, description = "Left"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such activity, or not a co-owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners/me")]
pub async fn activity_leave(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, activity_id) = path.into_inner();
    st.meetings.leave_activity(&who.caller(), org.0.id, id.into(), activity_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
