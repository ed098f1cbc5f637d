//! pabulib: a `.pb` file imported as a process, a process exported as one.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use uuid::Uuid;

use super::budget_http;
use super::dto_process::BudgetResponse;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, read_limited};
use crate::state::AppState;

/// The largest `.pb` file taken: Kraków 2024 (65,000 voters) is 4 MiB.
const MAX_PB_BODY: usize = 32 * 1024 * 1024;

/// Import a process from a pabulib file
///
/// The body is a `.pb` file (`text/plain`, up to 32 MiB): its projects become feasible proposals
/// and its votes anonymous ballots, in the results phase. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_import",
    request_body(content = String, content_type = "text/plain", description = "A pabulib `.pb` file"),
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Imported", body = BudgetResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 413, description = "Over 32 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a pabulib file we can read (the line is named)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/import")]
pub async fn budget_import(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let body = read_limited(&mut payload, declared, MAX_PB_BODY).await?;
    let view = st.budgets.import(&who.0, &org.0, body.to_vec()).await?;
    Ok(budget_http(StatusCode::CREATED, &view))
}

/// Export a process as a pabulib file
///
/// Its feasible projects and every ballot, anonymous. Public from the results phase on; staff only
/// before.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_export",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 200, description = "The `.pb` file", body = String, content_type = "text/plain"),
        (status = 403, description = "Not public yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The vote is still open (`wrong-phase`): staff get the count once voting closes", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/export.pb")]
pub async fn budget_export(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let pb = st.budgets.export(&who.0, &org.0, id.into()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.pb\"", pb.budget_id)))
        .body(pb.text.to_string()))
}
