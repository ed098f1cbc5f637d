//! Milestones of a commitment: add and change, each answered with the whole commitment.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, patch, post, web};
use uuid::Uuid;

use super::commitments::commitment_response;
use super::dto::CommitmentResponse;
use super::dto_tracking::{CreateMilestoneRequest, UpdateMilestoneRequest};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, ValidJson};
use crate::state::AppState;

/// Add a milestone
///
/// At the end of the commitment's list. Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "milestone_create", request_body = CreateMilestoneRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment"), ("If-Match" = Option<String>, Header, description = "The commitment's ETag read")),
    responses(
        (status = 201, description = "The commitment with its milestones", body = CommitmentResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (end before start, completion date)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/milestones")]
pub async fn milestone_create(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<CreateMilestoneRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.action_plans.add_milestone(&who.0, &org.0, id.into(), if_match.expected()?, body.0.into()).await?;
    Ok(commitment_response(StatusCode::CREATED, &org.0, v))
}

/// Update a milestone
///
/// A status change is written to the commitment's public history with who and when.
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "milestone_update", request_body = UpdateMilestoneRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment"), ("milestone_id" = Uuid, Path, description = "The milestone"), ("If-Match" = Option<String>, Header, description = "The commitment's ETag read")),
    responses(
        (status = 200, description = "The commitment with its milestones", body = CommitmentResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such milestone", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The commitment changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/commitments/{id}/milestones/{milestone_id}")]
pub async fn milestone_update(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateMilestoneRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id, milestone_id) = path.into_inner();
    let expected = if_match.expected()?;
    let v = st.action_plans.update_milestone(&who.0, &org.0, id.into(), milestone_id, expected, body.0.into()).await?;
    Ok(commitment_response(StatusCode::OK, &org.0, v))
}
