//! Consultations: list, create, read, edit, and the report.

use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::extract::{Auth, IfMatch, PageParams, ValidJson, etag};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use pnyx_domain::consultations::{ConsultationQuery, ConsultationView};
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

pub(crate) fn with_etag(status: StatusCode, v: &ConsultationView) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(v.consultation.updated_at))).json(consultation_dto(v))
}

/// List consultations
///
/// Public. Filter by `?status=planned|open|closed|report_published` (derived from the dates),
/// `?subject=` and full-text `?q=`; order by `?sort=created_at|-created_at|closes_at|-closes_at`.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ConsultationFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of consultations", body = ConsultationList),
        (status = 400, description = "Unknown filter value", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(())
)]
#[get("/orgs/{org}/consultations")]
pub async fn consultation_list(
    org: OrgRef,
    st: web::Data<AppState>,
    f: web::Query<ConsultationFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ConsultationList>, ApiError> {
    let org = org.0;
    let query = ConsultationQuery {
        status: f.status.map(Into::into),
        subject: f.subject.map(Into::into),
        text: f.q.clone(),
        sort: f.sort.clone(),
    };
    let page = st.consultations.list(org.id, &query, q.page()?).await?;
    Ok(web::Json(ConsultationList::from_page(page, |v| consultation_dto(&v))))
}

/// Create a consultation
///
/// Requires: admin or official of the organisation.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_create", request_body = CreateConsultationRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = ConsultationResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations")]
pub async fn consultation_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateConsultationRequest>,
) -> Result<HttpResponse, ApiError> {
    let v = st.consultations.create(&who.0, &org.0, body.0.into()).await?;
    Ok(with_etag(StatusCode::CREATED, &v))
}

/// Get a consultation
///
/// Public. Returns an `ETag` for `If-Match`.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The consultation")),
    responses(
        (status = 200, description = "The consultation", body = ConsultationResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/consultations/{id}")]
pub async fn consultation_get(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.consultations.get(org.0.id, id.into()).await?;
    Ok(with_etag(StatusCode::OK, &v))
}

/// Update a consultation
///
/// Requires: admin or official. Honours `If-Match`. The dates cannot change once it has opened.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_update", request_body = UpdateConsultationRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The consultation"),
        ("If-Match" = Option<String>, Header, description = "The ETag read"),
    ),
    responses(
        (status = 200, description = "Updated", body = ConsultationResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dates are locked", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/consultations/{id}")]
pub async fn consultation_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateConsultationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let expected = if_match.expected()?;
    let v = st.consultations.update(&who.0, &org.0, id.into(), expected, body.0.into()).await?;
    Ok(with_etag(StatusCode::OK, &v))
}

/// Publish the report
///
/// What the municipality heard and what it did with it. Only after the consultation closes, once.
/// Residents who gave an opinion are notified. Requires: admin or official.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_report_publish", request_body = PublishReportRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The consultation")),
    responses(
        (status = 200, description = "Published", body = ConsultationResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not closed yet, or already published", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations/{id}/report")]
pub async fn consultation_report_publish(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<PublishReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.consultations.publish_report(&who.0, &org.0, id.into(), body.0.text.into()).await?;
    Ok(with_etag(StatusCode::OK, &v))
}
