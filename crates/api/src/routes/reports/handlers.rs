//! The report handlers: each extracts, calls one service method and maps to DTOs.

use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, ValidJson};
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use pnyx_domain::reports::{CategoryChanges, NewCategory, NewReport, ReportQuery, Transition};
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

/// List report categories
///
/// Public: the organisation's categories of reports with the department in charge and the
/// deadline to answer, oldest first.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_category_list",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The categories", body = ReportCategoryList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/report-categories")]
pub async fn report_category_list(
    org: OrgRef,
    st: web::Data<AppState>,
) -> Result<web::Json<ReportCategoryList>, ApiError> {
    let items = st.reports.categories(org.0.id).await?;
    Ok(web::Json(ReportCategoryList { items: items.iter().map(category_dto).collect() }))
}

/// Create a report category
///
/// Requires: admin or official. Written to the audit log.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_category_create", request_body = CreateReportCategoryRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = ReportCategoryResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/report-categories")]
pub async fn report_category_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateReportCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let n = NewCategory { name: b.name.into(), department: b.department, answer_days: b.answer_days };
    let c = st.reports.create_category(&who.0, &org.0, n).await?;
    Ok(HttpResponse::Created().json(category_dto(&c)))
}

/// Update a report category
///
/// Requires: admin or official. Written to the audit log.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_category_update", request_body = UpdateReportCategoryRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The category")),
    responses(
        (status = 200, description = "Updated", body = ReportCategoryResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/report-categories/{id}")]
pub async fn report_category_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<UpdateReportCategoryRequest>,
) -> Result<web::Json<ReportCategoryResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let b = body.0;
    let ch = CategoryChanges { name: b.name.map(Into::into), department: b.department, answer_days: b.answer_days };
    let c = st.reports.update_category(&who.0, &org.0, id.into(), ch).await?;
    Ok(web::Json(category_dto(&c)))
}

/// List reports
///
/// Public. Filter by `?category=`, `?status=`, `?kind=`, `?from=`/`?to=` (when filed) and
/// full-text `?q=`; order by `?sort=newest|oldest|supported`. Staff also see `overdue`.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ReportFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of reports", body = ResidentReportList),
        (status = 400, description = "Unknown filter value", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, description = "Unknown sort, bad query or paging", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/resident-reports")]
pub async fn report_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    f: web::Query<ReportFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ResidentReportList>, ApiError> {
    let query = ReportQuery {
        category: f.category_id(),
        status: f.status.map(Into::into),
        kind: f.kind.map(Into::into),
        from: f.from,
        to: f.to,
        text: f.q.clone(),
        sort: f.sort.clone(),
    };
    let page = st.reports.list(&who.0, org.0.id, &query, q.page()?).await?;
    Ok(web::Json(ResidentReportList::from_page(page, |v| report_dto(&v))))
}

/// File a report or proposal
///
/// Requires: signed in. The same resident sending the same title again within a minute is a 409
/// `duplicate-submission`; coordinates outside the organisation's area are a 422 on `location`.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_create", request_body = FileReportRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Filed", body = ResidentReportDetail),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 409, description = "The same report was just filed (`duplicate-submission`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/resident-reports")]
pub async fn report_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<FileReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let n = NewReport {
        kind: b.kind.into(),
        category_id: b.category_id.into(),
        title: b.title,
        description: b.description,
        latitude: b.latitude,
        longitude: b.longitude,
        address: b.address,
        show_name: b.show_name,
    };
    let d = st.reports.file(&who.0, &org.0, n).await?;
    Ok(HttpResponse::Created().json(detail_dto(&d)))
}

/// The staff queue
///
/// Open reports (received, accepted, in progress), overdue first, then oldest first; of one
/// department with `?department=`. Requires: any staff role.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_queue",
    params(("org" = String, Path, description = "The organisation's slug or id"), ReportQueueParams, PageParams),
    responses(
        (status = 200, description = "A page of the queue", body = ResidentReportList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/resident-reports/queue")]
pub async fn report_queue(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    f: web::Query<ReportQueueParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ResidentReportList>, ApiError> {
    let page = st.reports.queue(&who.0, org.0.id, f.department.as_deref(), q.page()?).await?;
    Ok(web::Json(ResidentReportList::from_page(page, |v| report_dto(&v))))
}

/// Report statistics
///
/// Public: received, answered, answered within the category's deadline, the median time to the
/// first answer and to resolution, per category and month of receipt, per category, and in all.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_stats",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The statistics", body = ReportStatsResponse),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/resident-reports/stats")]
pub async fn report_stats(org: OrgRef, st: web::Data<AppState>) -> Result<web::Json<ReportStatsResponse>, ApiError> {
    let (stats, categories) = st.reports.stats(&org.0).await?;
    Ok(web::Json(stats_dto(&stats, &categories)))
}

/// Get a report
///
/// Public, with its history of status changes and answers.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 200, description = "The report", body = ResidentReportDetail),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/resident-reports/{id}")]
pub async fn report_get(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<ResidentReportDetail>, ApiError> {
    let (_, id) = path.into_inner();
    let d = st.reports.get(&who.0, org.0.id, id.into()).await?;
    Ok(web::Json(detail_dto(&d)))
}

/// Change a report's status
///
/// Requires: admin or official. Appends a line with the public answer to the history (which no
/// request changes or deletes) and one to the audit log. A move the status graph does not allow
/// is a 409 `invalid-transition`; `duplicate` needs `duplicate_of`, an earlier report of the same
/// organisation that is not itself a duplicate (422).
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_transition", request_body = ReportTransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 200, description = "Changed", body = ResidentReportDetail),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current status (`invalid-transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/resident-reports/{id}/transitions")]
pub async fn report_transition(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<ReportTransitionRequest>,
) -> Result<web::Json<ResidentReportDetail>, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let b = body.0;
    let t = Transition {
        to: b.status.into(),
        answer: b.answer.into_text(org.default_locale),
        duplicate_of: b.duplicate_of.map(Into::into),
    };
    let d = st.reports.transition(&who.0, &org, id.into(), t).await?;
    Ok(web::Json(detail_dto(&d)))
}

/// Support a report ("me too")
///
/// Requires: signed in. Once per resident: a repeat changes nothing and answers the same.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_support",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 200, description = "Supported", body = ReportSupportResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/resident-reports/{id}/supports")]
pub async fn report_support(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<ReportSupportResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let support_count = st.reports.support(&who.0, org.0.id, id.into()).await?;
    Ok(web::Json(ReportSupportResponse { support_count, supported: true }))
}

/// Answer a report without changing its status
///
/// Requires: admin or official. Appends a line with the public answer to the history (from the
/// status to itself), told to the author and followers like a status change; the first answer
/// when it is the first. Any status may be answered. Written to the audit log.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_answer", request_body = ReportAnswerRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 200, description = "Answered", body = ResidentReportDetail),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/resident-reports/{id}/answers")]
pub async fn report_answer(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<ReportAnswerRequest>,
) -> Result<web::Json<ResidentReportDetail>, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let answer = body.0.answer.into_text(org.default_locale);
    let d = st.reports.answer(&who.0, &org, id.into(), answer).await?;
    Ok(web::Json(detail_dto(&d)))
}

/// Withdraw a support
///
/// Requires: signed in. Withdrawing a support not given changes nothing and answers the same.
#[utoipa::path(
    tag = "resident-reports", operation_id = "resident_report_unsupport",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 200, description = "Withdrawn", body = ReportSupportResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/resident-reports/{id}/supports")]
pub async fn report_unsupport(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<ReportSupportResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let support_count = st.reports.unsupport(&who.0, org.0.id, id.into()).await?;
    Ok(web::Json(ReportSupportResponse { support_count, supported: false }))
}
