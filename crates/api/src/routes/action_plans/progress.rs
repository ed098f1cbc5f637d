//! A commitment's public, append-only progress history: read it, post an update.

use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use super::dto_tracking::{CreateProgressRequest, HistoryEntryResponse, HistoryList};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, ValidJson};
use crate::state::AppState;

/// List a commitment's progress history
///
/// Progress updates and every status change of the commitment's milestones, oldest first. Public,
/// and append-only: entries are never edited or deleted, only corrected by a new one.
#[utoipa::path(
    tag = "action-plans", operation_id = "progress_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment"), PageParams),
    responses(
        (status = 200, description = "A page of the history, oldest first", body = HistoryList),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}/updates")]
pub async fn progress_list(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let (_, id) = path.into_inner();
    let page = st.action_plans.history(&who.0, &org.0, id.into(), q.page()?).await?;
    Ok(web::Json(HistoryList::from_page(page, Into::into)))
}

/// Post a progress update
///
/// Dated text with evidence links. Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "progress_create", request_body = CreateProgressRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 201, description = "Posted", body = HistoryEntryResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/updates")]
pub async fn progress_create(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateProgressRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let entry = st.action_plans.report_progress(&who.0, &org.0, id.into(), body.0.into()).await?;
    Ok(HttpResponse::Created().json(HistoryEntryResponse::from(entry)))
}
