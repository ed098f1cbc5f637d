//! Registering for a meeting and cancelling; the staff list and its CSV export.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use uuid::Uuid;

use super::dto::{MyRegistration, RegistrationList};
use super::requests::RegistrationRequest;
use crate::csv_export::SpreadsheetCsv;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, SignedIn, parse_json};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::state::AppState;

/// Register for a meeting
///
/// Takes a seat if one is free. When full: 409, or a place on the waiting list if the request says
/// `join_waiting_list` and the meeting has one. Capacity is never exceeded, however many sign up at
/// once. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_create", request_body(content = RegistrationRequest, description = "Optional"),
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 201, description = "Registered or waitlisted", body = MyRegistration),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Full, closed, past the deadline, cancelled, or already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/registrations")]
pub async fn registration_create(
    st: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: web::Bytes,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let b: RegistrationRequest =
        if body.iter().all(u8::is_ascii_whitespace) { RegistrationRequest::default() } else { parse_json(&body)? };
    let fp = fingerprint(&req, &body);
    let caller = who.caller();
    let run = || async {
        let mine = st.meetings.register(&caller, org.0.id, path.1.into(), b.join_waiting_list).await?;
        let dto = MyRegistration::from(mine);
        Ok((StatusCode::CREATED, serde_json::to_value(dto).map_err(ApiError::internal)?))
    };
    idempotent(&st, who.0.user_id, key, fp, run).await
}

/// Cancel my registration
///
/// A freed seat goes to the first on the waiting list, who is notified.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such meeting, or not registered", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/meetings/{id}/registrations/me")]
pub async fn registration_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    st.meetings.unregister(&who.caller(), org.0.id, path.1.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List registrations
///
/// Confirmed first, then the waiting list, each in sign-up order. Requires: any staff role.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The registrations", body = RegistrationList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/registrations")]
pub async fn registration_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<web::Json<RegistrationList>, ApiError> {
    let list = st.meetings.registrations(&who.0, org.0.id, path.1.into()).await?;
    Ok(web::Json(RegistrationList { items: list.into_iter().map(Into::into).collect() }))
}

/// Export registrations as CSV
///
/// Columns: display_name, email, status, registered_at. Requires: any staff role.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_export",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/registrations.csv")]
pub async fn registration_csv(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let id = path.1;
    let list = st.meetings.registrations(&who.0, org.0.id, id.into()).await?;
    let mut w = SpreadsheetCsv::default();
    w.row(["display_name", "email", "status", "registered_at"])?;
    for r in list {
        w.row([r.display_name, r.email, r.status.as_str().to_owned(), r.created_at.to_rfc3339()])?;
    }
    w.into_response(&format!("registrations-{id}.csv"))
}
