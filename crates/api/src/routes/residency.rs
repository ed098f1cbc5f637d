//! Residency verification: the details an organisation asks for, a resident's request and
//! standing, and the staff's list and decisions.

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{PageParams, SignedIn, ValidJson};
use crate::list_response;
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use pnyx_domain::residency::{Decision, RequestStatus, ResidencyError, ResidencyRequest, StaffView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(residency_get)
        .service(residency_prompt_put)
        .service(residency_request_create)
        .service(residency_request_list)
        .service(residency_request_decide);
}

impl From<ResidencyError> for ApiError {
    fn from(e: ResidencyError) -> Self {
        match e {
            ResidencyError::Authz(a) => a.into(),
            ResidencyError::OrgNotFound => ApiError::not_found("organisation"),
            ResidencyError::NotFound => ApiError::not_found("request"),
            ResidencyError::Invalid(f) => ApiError::field(f.field, f.message),
            ResidencyError::AlreadyVerified => {
                ApiError::conflict(ErrorCode::AlreadyVerified, "You are verified by this organisation already.")
            }
            ResidencyError::AlreadyPending => ApiError::conflict(
                ErrorCode::ResidencyRequestPending,
                "You have a pending request already; wait for the organisation's answer.",
            ),
            ResidencyError::AlreadyDecided => {
                ApiError::conflict(ErrorCode::InvalidTransition, "The request was decided already.")
            }
            ResidencyError::Repo(r) => r.into(),
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResidencyStatusDto {
    Pending,
    Approved,
    Refused,
}

impl From<RequestStatus> for ResidencyStatusDto {
    fn from(s: RequestStatus) -> Self {
        match s {
            RequestStatus::Pending => ResidencyStatusDto::Pending,
            RequestStatus::Approved => ResidencyStatusDto::Approved,
            RequestStatus::Refused => ResidencyStatusDto::Refused,
        }
    }
}

impl From<ResidencyStatusDto> for RequestStatus {
    fn from(s: ResidencyStatusDto) -> Self {
        match s {
            ResidencyStatusDto::Pending => RequestStatus::Pending,
            ResidencyStatusDto::Approved => RequestStatus::Approved,
            ResidencyStatusDto::Refused => RequestStatus::Refused,
        }
    }
}

/// A request as the resident who made it sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidencyRequestResponse {
    pub id: Uuid,
    pub details: String,
    pub status: ResidencyStatusDto,
    /// Why it was refused.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn request_dto(r: ResidencyRequest) -> ResidencyRequestResponse {
    ResidencyRequestResponse {
        id: r.id,
        details: r.details,
        status: r.status.into(),
        reason: r.reason,
        decided_at: r.decided_at,
        created_at: r.created_at,
    }
}

/// A request as staff see it: with who asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffResidencyRequestResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub details: String,
    pub status: ResidencyStatusDto,
    pub reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn staff_dto(v: StaffView) -> StaffResidencyRequestResponse {
    let r = v.request;
    StaffResidencyRequestResponse {
        id: r.id,
        user_id: r.user_id.into(),
        display_name: v.display_name,
        email: v.email,
        details: r.details,
        status: r.status.into(),
        reason: r.reason,
        decided_by: r.decided_by.map(Into::into),
        decided_at: r.decided_at,
        created_at: r.created_at,
    }
}

list_response!(ResidencyRequestList, StaffResidencyRequestResponse, "A page of residency requests.");

/// The caller's standing with the organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidencyResponse {
    /// What the organisation asks residents to give (empty: nothing in particular).
    pub prompt: LocalizedTextDto,
    /// Whether the organisation verified the caller.
    pub verified: bool,
    /// The caller's newest request.
    pub latest_request: Option<ResidencyRequestResponse>,
}

/// What the organisation asks residents to give.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"prompt": {"sk": "Uveďte adresu trvalého pobytu a číslo občianskeho preukazu."}}))]
pub struct PutResidencyPromptRequest {
    /// Up to 2000 characters per language; the default language's text is needed unless all are empty.
    pub prompt: LocalizedTextDto,
}

/// The organisation's prompt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidencyPromptResponse {
    pub prompt: LocalizedTextDto,
}

/// A request to be verified.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"details": "Hlavná 12, Šaľa"}))]
pub struct CreateResidencyRequest {
    /// The details the organisation's prompt asks for (1–2000 characters).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub details: String,
}

/// A decision on a request.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"approve": false, "reason": "The address is outside the town."}))]
pub struct DecideResidencyRequest {
    pub approve: bool,
    /// Needed to refuse (1–1000 characters); the resident reads it.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// Which requests to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResidencyFilterParams {
    pub status: Option<ResidencyStatusDto>,
}

/// My residency standing
///
/// The organisation's prompt, whether it verified the caller, and the caller's newest request.
#[utoipa::path(
    tag = "residency", operation_id = "residency_get",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The standing", body = ResidencyResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/residency")]
pub async fn residency_get(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<web::Json<ResidencyResponse>, ApiError> {
    let s = st.residency.standing(&who.caller(), &path).await?;
    Ok(web::Json(ResidencyResponse {
        prompt: (&s.prompt).into(),
        verified: s.verified,
        latest_request: s.latest.map(request_dto),
    }))
}

/// Set what residents are asked for
///
/// Requires: the organisation's admin. Written to the audit log.
#[utoipa::path(
    tag = "residency", operation_id = "residency_prompt_put", request_body = PutResidencyPromptRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The prompt now", body = ResidencyPromptResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/residency/prompt")]
pub async fn residency_prompt_put(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    body: ValidJson<PutResidencyPromptRequest>,
) -> Result<web::Json<ResidencyPromptResponse>, ApiError> {
    let prompt = st.residency.set_prompt(&who.caller(), &path, body.0.prompt.into()).await?;
    Ok(web::Json(ResidencyPromptResponse { prompt: (&prompt).into() }))
}

/// Ask to be verified
///
/// With the details the organisation asks for. One pending request at a time. Requires: a
/// confirmed e-mail address.
#[utoipa::path(
    tag = "residency", operation_id = "residency_request_create", request_body = CreateResidencyRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Asked", body = ResidencyRequestResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 409, description = "Verified already (`already-verified`) or a request is pending (`residency-request-pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/residency-requests")]
pub async fn residency_request_create(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    body: ValidJson<CreateResidencyRequest>,
) -> Result<HttpResponse, ApiError> {
    let r = st.residency.request(&who.caller(), &path, &body.0.details).await?;
    Ok(HttpResponse::Created().json(request_dto(r)))
}

/// List residency requests
///
/// Oldest first, with who asked. Requires: admin or official.
#[utoipa::path(
    tag = "residency", operation_id = "residency_request_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ResidencyFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of requests", body = ResidencyRequestList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/residency-requests")]
pub async fn residency_request_list(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    f: web::Query<ResidencyFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ResidencyRequestList>, ApiError> {
    let page = st.residency.list(&who.caller(), &path, f.status.map(Into::into), q.page()?).await?;
    Ok(web::Json(ResidencyRequestList::from_page(page, staff_dto)))
}

/// Approve or refuse a residency request
///
/// Approving verifies the resident (roles stay as they are); refusing needs a reason. The resident
/// is told by e-mail and in the app. Requires: admin or official. Written to the audit log by the
/// request's id, never the resident's.
#[utoipa::path(
    tag = "residency", operation_id = "residency_request_decide", request_body = DecideResidencyRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The request")),
    responses(
        (status = 200, description = "Decided", body = ResidencyRequestResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or request", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/residency-requests/{id}/decision")]
pub async fn residency_request_decide(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<DecideResidencyRequest>,
) -> Result<web::Json<ResidencyRequestResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    let b = body.0;
    let decision =
        if b.approve { Decision::Approve } else { Decision::Refuse { reason: b.reason.unwrap_or_default() } };
    let r = st.residency.decide(&who.caller(), &slug, id, decision).await?;
    Ok(web::Json(request_dto(r)))
}
