//! Residents' responses to a survey.

use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::extract::{Auth, ValidJson};
use crate::idempotency::{IdempotencyKey, idempotent_private_body};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use pnyx_domain::surveys::{Answer, Answers, MyParticipation};
use std::collections::BTreeMap;
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

/// Respond to a survey
///
/// Signed-in residents, while the survey is open (409 otherwise). Answers are checked against
/// the questions: an unknown question, a wrong answer type, a missing required answer, an option
/// not offered or an answer to a hidden question is a 422 naming `answers.<question id>`. A
/// second response replaces the first (201 → 200) or is refused with 409, as the survey's policy
/// says. In an anonymous survey nothing links the response to the account. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "surveys", operation_id = "response_create", request_body = CreateResponseRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The survey"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 201, description = "Taken", body = MyResponse),
        (status = 200, description = "Replaced the earlier response", body = MyResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not open, or already answered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/surveys/{id}/responses")]
pub async fn response_create(
    org: OrgRef,
    st: web::Data<AppState>,
    req: HttpRequest,
    who: Auth,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let user = who.0.user_id().ok_or_else(|| ApiError::unauthorized("Sign in to answer a survey."))?;
    let answers: Answers = via_json::<_, BTreeMap<String, Answer>>(&body.0.answers)?
        .into_iter()
        .map(|(k, v)| (k.as_str().into(), v))
        .collect();
    let request = serde_json::to_vec(&body.0).map_err(ApiError::internal)?;
    let run = || async {
        let out = st.surveys.respond(&who.0, org.id, id.into(), &answers).await?;
        let status = if out.replaced { StatusCode::OK } else { StatusCode::CREATED };
        let body = serde_json::to_value(my_response(&out.survey, true, Some(&out.response), out.replaced)?)
            .map_err(ApiError::internal)?;
        Ok((status, body, out.survey.settings.anonymous()))
    };
    idempotent_private_body(&st, user, key, &req, &request, run).await
}

/// Get my response
///
/// Whether you answered, and your answers in an identified survey (an anonymous survey keeps
/// only that you took part). Requires: signed in.
#[utoipa::path(
    tag = "surveys", operation_id = "response_get_mine",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The survey")),
    responses(
        (status = 200, description = "Your participation", body = MyResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/surveys/{id}/responses/mine")]
pub async fn response_get_mine(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<MyResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let (s, MyParticipation { participated, response }) = st.surveys.mine(&who.0, org.id, id.into()).await?;
    Ok(web::Json(my_response(&s, participated, response.as_ref(), false)?))
}
