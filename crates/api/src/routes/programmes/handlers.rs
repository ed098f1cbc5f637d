//! The programme handlers: each extracts, calls one service method and maps to DTOs.

use crate::csv_export::SpreadsheetCsv;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, ValidJson};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use pnyx_domain::programmes::NewProgramme;

#[allow(unused_imports)]
use super::*;

/// List programmes
///
/// Public: the programmes with how many organisations joined each, oldest first.
#[utoipa::path(
    tag = "programmes", operation_id = "programme_list", params(PageParams),
    responses(
        (status = 200, description = "A page of programmes", body = ProgrammeList),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(())
)]
#[get("/programmes")]
pub async fn programme_list(
    st: web::Data<AppState>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ProgrammeList>, ApiError> {
    let page = st.programmes.list(q.page()?).await?;
    Ok(web::Json(ProgrammeList::from_page(page, |(p, n)| programme_dto(&p, n))))
}

/// Create a programme
///
/// Requires: platform admin. Written to the audit log.
#[utoipa::path(
    tag = "programmes", operation_id = "programme_create", request_body = CreateProgrammeRequest,
    responses(
        (status = 201, description = "Created", body = ProgrammeResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 409, description = "The slug is taken (`slug-taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/programmes")]
pub async fn programme_create(
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateProgrammeRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let n = NewProgramme { slug: b.slug, name: b.name.into(), description: b.description.into() };
    let p = st.programmes.create(&who.0, n).await?;
    Ok(HttpResponse::Created().json(programme_dto(&p, 0)))
}

/// Get a programme
///
/// Public: the programme and its joined members; platform admins also see the invited and
/// declined ones.
#[utoipa::path(
    tag = "programmes", operation_id = "programme_get",
    params(("programme" = String, Path, description = "The programme's slug or id")),
    responses(
        (status = 200, description = "The programme", body = ProgrammeDetailResponse),
        (status = 404, description = "No such programme", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/programmes/{programme}")]
pub async fn programme_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
) -> Result<web::Json<ProgrammeDetailResponse>, ApiError> {
    let d = st.programmes.get(&who.0, &path).await?;
    let joined = d.members.iter().filter(|m| m.member.status == pnyx_domain::programmes::MemberStatus::Joined).count();
    Ok(web::Json(ProgrammeDetailResponse {
        programme: programme_dto(&d.programme, u64::try_from(joined).unwrap_or(u64::MAX)),
        members: d.members.iter().map(member_dto).collect(),
    }))
}

/// Invite an organisation
///
/// Requires: platform admin. The organisation's admin then accepts or declines; a declined
/// organisation may be invited again. Already invited or joined: 409 `already-in-programme`.
#[utoipa::path(
    tag = "programmes", operation_id = "programme_invite", request_body = InviteOrgRequest,
    params(("programme" = String, Path, description = "The programme's slug or id")),
    responses(
        (status = 201, description = "Invited", body = ProgrammeMemberResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such programme", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already invited or joined (`already-in-programme`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such organisation (on `org`), or invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/programmes/{programme}/members")]
pub async fn programme_invite(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<InviteOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let m = st.programmes.invite(&who.0, &path, &body.0.org).await?;
    Ok(HttpResponse::Created().json(member_dto(&m)))
}

/// Get the programme page
///
/// Public: every joined member side by side — its public action plans' commitments by completion
/// level and overdue milestones, its reports' answer times, and its latest budget year's planned,
/// in-force and executed totals. The same figures as CSV at `overview.csv`.
#[utoipa::path(
    tag = "programmes", operation_id = "programme_overview",
    params(("programme" = String, Path, description = "The programme's slug or id")),
    responses(
        (status = 200, description = "The programme page", body = ProgrammeOverviewResponse),
        (status = 404, description = "No such programme", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/programmes/{programme}/overview")]
pub async fn programme_overview(
    st: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<web::Json<ProgrammeOverviewResponse>, ApiError> {
    let o = st.programmes.overview(&path).await?;
    Ok(web::Json(overview_dto(&o)))
}

/// Export the programme page as CSV
///
/// Public: one row per joined member (amounts in the currency's minor units, times in seconds).
#[utoipa::path(
    tag = "programmes", operation_id = "programme_overview_csv",
    params(("programme" = String, Path, description = "The programme's slug or id")),
    responses(
        (status = 200, description = "The CSV file", body = String, content_type = "text/csv"),
        (status = 404, description = "No such programme", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/programmes/{programme}/overview.csv")]
pub async fn programme_overview_csv(
    st: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let o = st.programmes.overview(&path).await?;
    let mut csv = SpreadsheetCsv::default();
    csv.row(CSV_HEADER)?;
    for m in &o.members {
        csv.row(csv_row(m))?;
    }
    csv.into_response(&format!("programme-{}.csv", o.programme.slug))
}

/// List the organisation's programmes
///
/// Requires: staff of the organisation. Its invitations and memberships, newest first.
#[utoipa::path(
    tag = "programmes", operation_id = "org_programme_list",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The organisation's programmes", body = OrgProgrammeList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/programmes")]
pub async fn org_programme_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
) -> Result<web::Json<OrgProgrammeList>, ApiError> {
    let items = st.programmes.of_org(&who.0, &org.0).await?;
    Ok(web::Json(OrgProgrammeList { items: items.iter().map(|(p, m)| org_programme_dto(p, m)).collect() }))
}

/// Accept or decline joining a programme
///
/// Requires: admin of the organisation (a platform admin without that role is refused: joining
/// is the organisation's decision). Only an open invitation is decided: a second decision is a
/// 409 `invalid-transition`. Written to the audit log.
#[utoipa::path(
    tag = "programmes", operation_id = "org_programme_decide", request_body = ProgrammeDecisionRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("programme" = String, Path, description = "The programme's slug or id")),
    responses(
        (status = 200, description = "Decided", body = ProgrammeMemberResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation, programme or invitation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already (`invalid-transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/programmes/{programme}/decision")]
pub async fn org_programme_decide(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, String)>,
    body: ValidJson<ProgrammeDecisionRequest>,
) -> Result<web::Json<ProgrammeMemberResponse>, ApiError> {
    let (_, programme) = path.into_inner();
    let m = st.programmes.decide(&who.0, &org.0, &programme, body.0.join).await?;
    Ok(web::Json(member_dto(&m)))
}
