//! Proposals: list, submit, read and edit (their authors, until review starts).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::dto_proposal::{
    CreateProposalRequest, ProposalFilterParams, ProposalList, ProposalResponse, UpdateProposalRequest, proposal_dto,
};
use super::{check_images, proposal_http};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, PageParams, SignedIn, ValidJson};
use crate::state::AppState;

/// List proposals
///
/// Filter by `?district=`, `?category=`, `?review=`, `?on_ballot=true`; sort by `?sort=cost`,
/// `-cost`, `supports`, `-supports`, `created_at`, `most_commented` (the most visible comments first).
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ProposalFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of proposals", body = ProposalList),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad sort or paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals")]
pub async fn proposal_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    f: web::Query<ProposalFilterParams>,
    q: web::Query<PageParams>,
    org: OrgRef,
) -> Result<web::Json<ProposalList>, ApiError> {
    let (_, id) = path.into_inner();
    let page = st.budgets.proposals(&who.0, &org.0, id.into(), f.into_inner().into(), q.page()?).await?;
    Ok(web::Json(ProposalList::from_page(page, |v| proposal_dto(&v))))
}

/// Submit a proposal
///
/// Any signed-in resident, during the proposals phase (409 otherwise).
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_create", request_body = CreateProposalRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 429, description = "Too many requests from this address or account (`rate-limited`); see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 201, description = "Submitted", body = ProposalResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the proposals phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals")]
pub async fn proposal_create(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateProposalRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    check_images("images", &body.0.images)?;
    let view = st.budgets.propose(&who.caller(), &org.0, id.into(), body.0.into()).await?;
    Ok(proposal_http(StatusCode::CREATED, &view))
}

/// Get a proposal
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 200, description = "The proposal", body = ProposalResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals/{proposal_id}")]
pub async fn proposal_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, pid) = path.into_inner();
    Ok(proposal_http(StatusCode::OK, &st.budgets.proposal(&who.0, &org.0, id.into(), pid.into()).await?))
}

/// Edit my proposal
///
/// The author, until review starts (409 after). Honours `If-Match`.
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_update", request_body = UpdateProposalRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = ProposalResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not the author", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Review has started", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/budgets/{id}/proposals/{proposal_id}")]
pub async fn proposal_update(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateProposalRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id, pid) = path.into_inner();
    let expected = if_match.expected()?;
    if let Some(images) = &body.0.images {
        check_images("images", images)?;
    }
    let view = st.budgets.edit_proposal(&who.caller(), &org.0, id.into(), pid.into(), expected, body.0.into()).await?;
    Ok(proposal_http(StatusCode::OK, &view))
}
