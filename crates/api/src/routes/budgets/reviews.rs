//! Staff review proposals; residents support them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use uuid::Uuid;

use super::dto_proposal::{ProposalResponse, ReviewRequest};
use super::proposal_http;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, SignedIn, ValidJson};
use crate::state::AppState;

/// Record a proposal's feasibility review
///
/// During the review phase. Only feasible proposals reach the ballot. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_review", request_body = ReviewRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 200, description = "Reviewed", body = ProposalResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the review phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (an unfeasible one needs reasons)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/review")]
pub async fn proposal_review(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<ReviewRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, pid) = path.into_inner();
    let view = st.budgets.review(&who.0, &org.0, id.into(), pid.into(), body.0.into()).await?;
    Ok(proposal_http(StatusCode::OK, &view))
}

/// Support a proposal
///
/// During the supports phase, once per resident (409 for a second time or another phase); only
/// residents with verified residency where the process requires it for voting (403).
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_support",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 201, description = "Supported", body = ProposalResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Supporting requires verified residency", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the supports phase, not feasible, or already supported", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/supports")]
pub async fn proposal_support(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, pid) = path.into_inner();
    let view = st.budgets.support(&who.caller(), &org.0, id.into(), pid.into()).await?;
    Ok(proposal_http(StatusCode::CREATED, &view))
}
