//! Consultations: list, create, read, edit, and the report.

use crate::dto::{localized, localized_optional};
use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::extract::{Auth, IfMatch, PageParams, ValidJson, etag};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use pnyx_domain::consultations::{Consultation, ConsultationFilter, Document, Period, Section};
use pnyx_domain::ids::{ConsultationId, SurveyId};
use pnyx_domain::org::Organisation;
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

pub(crate) fn documents(list: Vec<DocumentDto>, org: &Organisation) -> Result<Vec<Document>, ApiError> {
    list.into_iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(Document { title: localized(&format!("documents[{i}].title"), d.title, org, 300)?, url: d.url })
        })
        .collect()
}

pub(crate) fn sections(list: Vec<SectionDto>, org: &Organisation) -> Result<Vec<Section>, ApiError> {
    let mut keys = std::collections::HashSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, s)| {
            if !keys.insert(s.key.clone()) {
                return Err(ApiError::field(format!("sections[{i}].key"), "is used twice"));
            }
            Ok(Section { key: s.key, title: localized(&format!("sections[{i}].title"), s.title, org, 300)? })
        })
        .collect()
}

pub(crate) fn period(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<Period, ApiError> {
    Period::new(opens_at, closes_at).map_err(|e| ApiError::field("closes_at", e.to_string()))
}

pub(crate) fn with_etag(status: StatusCode, c: &Consultation, now: DateTime<Utc>) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(c.updated_at))).json(consultation_dto(c, now))
}

/// List consultations
///
/// Public. Filter by `?status=planned|open|closed|report_published` (derived from the dates) and `?subject=`.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_list",
    params(("org" = String, Path, description = "The organisation's slug"), ConsultationFilterParams, PageParams),
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
    let filter = ConsultationFilter { status: f.status.map(Into::into), subject: f.subject.map(Into::into) };
    let (page, now) = st.consultations.list(org.id, &filter, q.page()?).await?;
    Ok(web::Json(ConsultationList::from_page(page, |c| consultation_dto(&c, now))))
}

/// Create a consultation
///
/// Requires: admin or official of the organisation.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_create", request_body = CreateConsultationRequest,
    params(("org" = String, Path, description = "The organisation's slug")),
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
    let org = org.0;
    let b = body.0;
    let now = st.consultations.now();
    let c = Consultation {
        id: ConsultationId::new_v7(),
        org_id: org.id,
        title: localized("title", b.title, &org, 200)?,
        summary: localized_optional("summary", b.summary, &org, 1000)?,
        body: localized_optional("body", b.body, &org, 50_000)?,
        subject: b.subject.into(),
        documents: documents(b.documents, &org)?,
        sections: sections(b.sections, &org)?,
        period: period(b.opens_at, b.closes_at)?,
        allow_anonymous: b.allow_anonymous,
        opinions_public: b.opinions_public,
        survey_id: b.survey_id.map(SurveyId::from),
        about: b.about.map(|a| (a.type_, a.id)),
        report: None,
        created_at: now,
        updated_at: now,
    };
    let c = st.consultations.create(&who.0, c).await?;
    Ok(with_etag(StatusCode::CREATED, &c, st.consultations.now()))
}

/// Get a consultation
///
/// Public. Returns an `ETag` for `If-Match`.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The consultation")),
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
    let org = org.0;
    let c = st.consultations.get(org.id, id.into()).await?;
    Ok(with_etag(StatusCode::OK, &c, st.consultations.now()))
}

/// Update a consultation
///
/// Requires: admin or official. Honours `If-Match`. The dates cannot change once it has opened.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_update", request_body = UpdateConsultationRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
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
    let org = org.0;
    let b = body.0;
    let current = st.consultations.get(org.id, id.into()).await?;
    let title = b.title.map(|t| localized("title", t, &org, 200)).transpose()?;
    let summary = b.summary.map(|t| localized_optional("summary", t, &org, 1000)).transpose()?;
    let text = b.body.map(|t| localized_optional("body", t, &org, 50_000)).transpose()?;
    let docs = b.documents.map(|d| documents(d, &org)).transpose()?;
    let secs = b.sections.map(|s| sections(s, &org)).transpose()?;
    let new_period = match (b.opens_at, b.closes_at) {
        (None, None) => None,
        (o, c) => Some(period(o.unwrap_or(current.period.opens_at()), c.unwrap_or(current.period.closes_at()))?),
    };
    let c = st
        .consultations
        .update(&who.0, org.id, id.into(), if_match.expected()?, |c| {
            if let Some(v) = title {
                c.title = v;
            }
            if let Some(v) = summary {
                c.summary = v;
            }
            if let Some(v) = text {
                c.body = v;
            }
            if let Some(v) = b.subject {
                c.subject = v.into();
            }
            if let Some(v) = docs {
                c.documents = v;
            }
            if let Some(v) = secs {
                c.sections = v;
            }
            if let Some(v) = new_period {
                c.period = v;
            }
            if let Some(v) = b.allow_anonymous {
                c.allow_anonymous = v;
            }
            if let Some(v) = b.opinions_public {
                c.opinions_public = v;
            }
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &c, st.consultations.now()))
}

/// Publish the report
///
/// What the municipality heard and what it did with it. Only after the consultation closes, once.
/// Residents who gave an opinion are notified. Requires: admin or official.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_report_publish", request_body = PublishReportRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The consultation")),
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
    let org = org.0;
    let text = localized("text", body.0.text, &org, 50_000)?;
    let c = st.consultations.publish_report(&who.0, org.id, id.into(), text).await?;
    Ok(with_etag(StatusCode::OK, &c, st.consultations.now()))
}
