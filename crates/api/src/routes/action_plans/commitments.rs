//! Commitments: list (filtered, with the completion level computed from the milestones), create,
//! read, edit.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use pnyx_domain::action_plans::views::CommitmentView;
use pnyx_domain::org::Organisation;
use uuid::Uuid;

use super::dto::{
    CommitmentFilterParams, CommitmentList, CommitmentResponse, CreateCommitmentRequest, UpdateCommitmentRequest,
    commitment_dto,
};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, PageParams, ValidJson, etag};
use crate::state::AppState;

/// A commitment with its ETag (its version covers its milestones).
pub(super) fn commitment_response(status: StatusCode, org: &Organisation, v: CommitmentView) -> HttpResponse {
    let tag = etag(v.commitment.updated_at);
    HttpResponse::build(status).insert_header((header::ETAG, tag)).json(commitment_dto(v, org))
}

/// List commitments
///
/// Filter by `?action_plan=`, `?status=` (the completion level), `?ogp_value=`, `?lead=`.
/// Commitments of draft plans: staff only.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), CommitmentFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of commitments", body = CommitmentList),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments")]
pub async fn commitment_list(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    q: web::Query<CommitmentFilterParams>,
    paging: web::Query<PageParams>,
) -> Result<web::Json<CommitmentList>, ApiError> {
    let page = st.action_plans.commitments(&who.0, &org.0, q.into_inner().into(), paging.page()?).await?;
    Ok(web::Json(CommitmentList::from_page(page, |v| commitment_dto(v, &org.0))))
}

/// Create a commitment
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_create", request_body = CreateCommitmentRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = CommitmentResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments")]
pub async fn commitment_create(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    body: ValidJson<CreateCommitmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let v = st.action_plans.create_commitment(&who.0, &org.0, body.0.into()).await?;
    Ok(commitment_response(StatusCode::CREATED, &org.0, v))
}

/// Get a commitment
///
/// With its milestones and its completion computed from them.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 200, description = "The commitment", body = CommitmentResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}")]
pub async fn commitment_get(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.action_plans.commitment(&who.0, &org.0, id.into()).await?;
    Ok(commitment_response(StatusCode::OK, &org.0, v))
}

/// Update a commitment
///
/// Requires: admin or official. Honours `If-Match`.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_update", request_body = UpdateCommitmentRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = CommitmentResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/commitments/{id}")]
pub async fn commitment_update(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateCommitmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.action_plans.update_commitment(&who.0, &org.0, id.into(), if_match.expected()?, body.0.into()).await?;
    Ok(commitment_response(StatusCode::OK, &org.0, v))
}
