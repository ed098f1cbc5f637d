//! Implementation: the winners' construction, reported in the shared history as for commitments.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use super::dto_proposal::{ProjectHistory, ProjectUpdateRequest, ProposalResponse, project_entry};
use super::{check_images, proposal_http};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, ValidJson};
use crate::state::AppState;

/// List a project's implementation history
#[utoipa::path(
    tag = "budgets", operation_id = "project_update_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The project"), PageParams),
    responses(
        (status = 200, description = "A page of the history", body = ProjectHistory),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/updates")]
pub async fn project_update_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    q: web::Query<PageParams>,
    org: OrgRef,
) -> Result<web::Json<ProjectHistory>, ApiError> {
    let (_, id, pid) = path.into_inner();
    let page = st.budgets.project_history(&who.0, &org.0, id.into(), pid.into(), q.page()?).await?;
    Ok(web::Json(ProjectHistory::from_page(page, project_entry)))
}

/// Report progress on a winning project
///
/// Text, photos, the amount spent so far and the works' new state (recorded as a status change).
/// The history is append-only. Requires: admin or official; the process in implementation.
#[utoipa::path(
    tag = "budgets", operation_id = "project_update_create", request_body = ProjectUpdateRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The project")),
    responses(
        (status = 201, description = "Recorded", body = ProposalResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a winner, or not in implementation", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/updates")]
pub async fn project_update_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<ProjectUpdateRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, pid) = path.into_inner();
    check_images("photos", &body.0.photos)?;
    let view = st.budgets.report_progress(&who.0, &org.0, id.into(), pid.into(), body.0.into()).await?;
    Ok(proposal_http(StatusCode::CREATED, &view))
}
