//! The meetings themselves: list, schedule, read, edit, cancel or mark held.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::dto::{MeetingFilterParams, MeetingList, MeetingResponse};
use super::requests::{CreateMeetingRequest, TransitionRequest, UpdateMeetingRequest};
use super::respond;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, PageParams, ValidJson};
use crate::state::AppState;

/// List meetings
///
/// Public, by start time. `?upcoming=true` for those not ended; `?from=`/`?to=` for a range.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), MeetingFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of meetings", body = MeetingList),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings")]
pub async fn meeting_list(
    st: web::Data<AppState>,
    who: Auth,
    f: web::Query<MeetingFilterParams>,
    q: web::Query<PageParams>,
    org: OrgRef,
) -> Result<web::Json<MeetingList>, ApiError> {
    let page = st.meetings.list(&who.0, org.0.id, (&*f).into(), q.page()?).await?;
    Ok(web::Json(MeetingList::from_page(page, |v| MeetingResponse::of(v, &org.0))))
}

/// Create a meeting
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_create", request_body = CreateMeetingRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = MeetingResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings")]
pub async fn meeting_create(
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateMeetingRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let v = st.meetings.create(&who.0, &org.0, body.0.into()).await?;
    Ok(respond(StatusCode::CREATED, v, &org.0))
}

/// Get a meeting
///
/// Public, with registration counts, and the caller's own registration when signed in.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting", body = MeetingResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}")]
pub async fn meeting_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let v = st.meetings.get(&who.0, org.0.id, path.1.into()).await?;
    Ok(respond(StatusCode::OK, v, &org.0))
}

/// Update a meeting
///
/// Requires: admin or official. Honours `If-Match`. Capacity cannot drop below those registered.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_update", request_body = UpdateMeetingRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("If-Match" = Option<String>, Header, description = "The ETag read"),
    ),
    responses(
        (status = 200, description = "Updated", body = MeetingResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, description = "Invalid fields, capacity below registrations", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/meetings/{id}")]
pub async fn meeting_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateMeetingRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match.expected()?;
    let v = st.meetings.update(&who.0, &org.0, path.1.into(), expected, body.0.into()).await?;
    Ok(respond(StatusCode::OK, v, &org.0))
}

/// Cancel a meeting or mark it held
///
/// `cancelled` needs a reason, and every registrant is notified; `held` once it has started.
/// Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_transition", request_body = TransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting now", body = MeetingResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from its status", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/transitions")]
pub async fn meeting_transition(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<TransitionRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let v = st.meetings.transition(&who.0, org.0.id, path.1.into(), b.to.into(), b.reason).await?;
    Ok(respond(StatusCode::OK, v, &org.0))
}
