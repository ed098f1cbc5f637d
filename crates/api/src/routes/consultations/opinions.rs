//! Residents' opinions on a consultation, the staff's answers and moderation.

use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::extract::{Auth, PageParams, ValidJson};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use pnyx_domain::accounts::Email;
use pnyx_domain::consultations::{OpinionChange, SubmitOpinion};
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

/// List opinions
///
/// Oldest first. Everyone sees the visible opinions of a consultation whose opinions are public;
/// staff see all, with hidden ones and the e-mails of opinions given without an account.
#[utoipa::path(
    tag = "consultations", operation_id = "opinion_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The consultation"), PageParams),
    responses(
        (status = 200, description = "A page of opinions", body = OpinionList),
        (status = 401, description = "Staff-only opinions: sign in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff-only opinions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/consultations/{id}/opinions")]
pub async fn opinion_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<OpinionList>, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let (page, staff) = st.consultations.opinions(&who.0, org.id, id.into(), q.page()?).await?;
    Ok(web::Json(OpinionList::from_page(page, |o| opinion_dto(o, staff))))
}

/// Give an opinion
///
/// While the consultation is open (409 otherwise). Signed-in residents, or anyone with an e-mail
/// address where the consultation allows opinions without an account. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "consultations", operation_id = "opinion_create", request_body = CreateOpinionRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The consultation"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 429, description = "Too many requests from this address or account (`rate-limited`); see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 201, description = "Taken", body = OpinionResponse),
        (status = 401, description = "Sign in (this consultation needs an account)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown section, missing e-mail", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations/{id}/opinions")]
pub async fn opinion_create(
    org: OrgRef,
    st: web::Data<AppState>,
    req: HttpRequest,
    who: Auth,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateOpinionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let b = body.0;
    let email =
        b.email.as_deref().map(Email::parse).transpose().map_err(|e| ApiError::field("email", e.to_string()))?;
    let fp = fingerprint(&req, serde_json::json!([b.section, b.text, b.email]).to_string().as_bytes());
    let cmd = SubmitOpinion { section: b.section, text: b.text, email };
    let run = || async {
        let o = st.consultations.submit_opinion(&who.0, org.id, id.into(), cmd).await?;
        let body = serde_json::to_value(opinion_dto(o, false)).map_err(ApiError::internal)?;
        Ok((StatusCode::CREATED, body))
    };
    match who.0.user_id() {
        Some(user) => idempotent(&st, user, key, fp, run).await,
        None => {
            let (status, body) = run().await?;
            Ok(HttpResponse::build(status).json(body))
        }
    }
}

/// Answer or moderate an opinion
///
/// `answer` requires admin or official; `hidden` requires admin or moderator.
#[utoipa::path(
    tag = "consultations", operation_id = "opinion_update", request_body = UpdateOpinionRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The consultation"),
        ("opinion_id" = Uuid, Path, description = "The opinion"),
    ),
    responses(
        (status = 200, description = "Updated", body = OpinionResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such opinion", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/consultations/{id}/opinions/{opinion_id}")]
pub async fn opinion_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<UpdateOpinionRequest>,
) -> Result<web::Json<OpinionResponse>, ApiError> {
    let (_, id, opinion_id) = path.into_inner();
    let org = org.0;
    let b = body.0;
    let o = st
        .consultations
        .respond(&who.0, org.id, id.into(), opinion_id, OpinionChange { answer: b.answer, hidden: b.hidden })
        .await?;
    Ok(web::Json(opinion_dto(o, true)))
}
