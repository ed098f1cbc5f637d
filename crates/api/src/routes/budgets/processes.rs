//! Processes: list, create, read, edit and move through the phases.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, patch, post, web};
use uuid::Uuid;

use super::budget_http;
use super::dto_process::{
    BudgetList, BudgetResponse, BudgetTransitionRequest, CreateBudgetRequest, UpdateBudgetRequest, budget_dto,
};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, PageParams, ValidJson};
use crate::state::AppState;

/// List participatory-budget processes
///
/// Public, newest first.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), PageParams),
    responses(
        (status = 200, description = "A page of processes", body = BudgetList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets")]
pub async fn budget_list(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    q: web::Query<PageParams>,
) -> Result<web::Json<BudgetList>, ApiError> {
    let page = st.budgets.list(&who.0, &org.0, q.page()?).await?;
    Ok(web::Json(BudgetList::from_page(page, |v| budget_dto(&v))))
}

/// Create a process
///
/// In the information phase. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_create", request_body = CreateBudgetRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = BudgetResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets")]
pub async fn budget_create(
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateBudgetRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let view = st.budgets.create(&who.0, &org.0, body.0.into()).await?;
    Ok(budget_http(StatusCode::CREATED, &view))
}

/// Get a process
#[utoipa::path(
    tag = "budgets", operation_id = "budget_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 200, description = "The process", body = BudgetResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}")]
pub async fn budget_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    Ok(budget_http(StatusCode::OK, &st.budgets.get(&who.0, &org.0, id.into()).await?))
}

/// Update a process
///
/// Texts and schedule at any time; money, districts, ballot and outcome rules only before voting
/// opens (409 after). Requires: admin or official. Honours `If-Match`.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_update", request_body = UpdateBudgetRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = BudgetResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The rules are fixed once voting opened", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/budgets/{id}")]
pub async fn budget_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateBudgetRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let expected = if_match.expected()?;
    let view = st.budgets.update(&who.0, &org.0, id.into(), expected, body.0.into()).await?;
    Ok(budget_http(StatusCode::OK, &view))
}

/// Move a process to its next phase
///
/// information → proposals → review → (supports) → voting → results → implementation, one step
/// at a time. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_transition", request_body = BudgetTransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 200, description = "The process now", body = BudgetResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the next phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown phase", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/transitions")]
pub async fn budget_transition(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<BudgetTransitionRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let view = st.budgets.transition(&who.0, &org.0, id.into(), body.0.to.into()).await?;
    Ok(budget_http(StatusCode::OK, &view))
}
