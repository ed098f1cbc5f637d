//! Action plans: list, create, read, edit, move along the status graph, and the overview.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use pnyx_domain::action_plans::views::PlanView;
use uuid::Uuid;

use super::dto::{ActionPlanList, ActionPlanResponse, CreatePlanRequest, PlanTransitionRequest, UpdatePlanRequest};
use super::dto_tracking::OverviewResponse;
use crate::dto::TextSearchParams;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, PageParams, ValidJson, etag};
use crate::state::AppState;

fn plan_response(status: StatusCode, v: PlanView) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(v.plan.updated_at))).json(ActionPlanResponse::from(v))
}

/// List action plans
///
/// Newest first. Drafts are shown to staff only. Full-text `?q=` finds public plans.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), TextSearchParams, PageParams),
    responses(
        (status = 200, description = "A page of plans", body = ActionPlanList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans")]
pub async fn action_plan_list(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    text: web::Query<TextSearchParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ActionPlanList>, ApiError> {
    let page = st.action_plans.plans(&who.0, &org.0, text.q.as_deref(), q.page()?).await?;
    Ok(web::Json(ActionPlanList::from_page(page, Into::into)))
}

/// Create an action plan
///
/// As a draft, visible to staff only until it moves to co-creation. Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_create", request_body = CreatePlanRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = ActionPlanResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/action-plans")]
pub async fn action_plan_create(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    body: ValidJson<CreatePlanRequest>,
) -> Result<HttpResponse, ApiError> {
    let v = st.action_plans.create_plan(&who.0, &org.0, body.0.into()).await?;
    Ok(plan_response(StatusCode::CREATED, v))
}

/// Get an action plan
///
/// Drafts are 404 to everyone but staff.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The plan", body = ActionPlanResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such plan (or a draft)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans/{id}")]
pub async fn action_plan_get(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.action_plans.plan(&who.0, &org.0, id.into()).await?;
    Ok(plan_response(StatusCode::OK, v))
}

/// Update an action plan
///
/// Requires: admin or official. Honours `If-Match`.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_update", request_body = UpdatePlanRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = ActionPlanResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/action-plans/{id}")]
pub async fn action_plan_update(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdatePlanRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.action_plans.update_plan(&who.0, &org.0, id.into(), if_match.expected()?, body.0.into()).await?;
    Ok(plan_response(StatusCode::OK, v))
}

/// Change an action plan's status
///
/// draft → co_creation → adopted → in_implementation → completed, and co_creation → draft.
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_transition", request_body = PlanTransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The plan now", body = ActionPlanResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from its status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/action-plans/{id}/transitions")]
pub async fn action_plan_transition(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<PlanTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.action_plans.transition_plan(&who.0, &org.0, id.into(), body.0.to.into()).await?;
    Ok(plan_response(StatusCode::OK, v))
}

/// Get an action plan's overview
///
/// Commitments per completion level, milestones due in the next 30 days, overdue milestones.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_overview",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The overview", body = OverviewResponse),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans/{id}/overview")]
pub async fn action_plan_overview(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<OverviewResponse>, ApiError> {
    let (_, id) = path.into_inner();
    Ok(web::Json(st.action_plans.overview(&who.0, &org.0, id.into()).await?.into()))
}
