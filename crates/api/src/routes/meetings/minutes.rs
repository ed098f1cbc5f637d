//! Minutes and outputs of a meeting: the record, attendance and attachments.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, put, web};
use uuid::Uuid;

use super::dto::MeetingResponse;
use super::requests::MinutesRequest;
use super::respond;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, ValidJson};
use crate::state::AppState;

/// Publish minutes and outputs
///
/// Minutes (sanitised HTML), attendance and attachments such as the visual record; once the meeting
/// has started. Replaces what was there. Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_minutes_put", request_body = MinutesRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting with its minutes", body = MeetingResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not started yet, or cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/meetings/{id}/minutes")]
pub async fn meeting_minutes_put(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<MinutesRequest>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let v = st.meetings.record_minutes(&who.0, &org.0, path.1.into(), body.0.into()).await?;
    Ok(respond(StatusCode::OK, v, &org.0))
}
