//! The secret ballot: a resident casts, replaces and reads back their own ballot.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, put, web};
use pnyx_domain::budget::process::Cast;
use uuid::Uuid;
use validator::Validate;

use super::dto_ballot::{BallotRequest, BallotResponse, DistrictParam, ballot_dto};
use crate::error::{ApiError, Problem};
use crate::extract::{OrgRef, SignedIn, parse_json};
use crate::idempotency::IdempotencyKey;
use crate::state::AppState;

/// Get my ballot
///
/// The signed-in resident's own ballot, found through their secret ballot key.
#[utoipa::path(
    tag = "budgets", operation_id = "ballot_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), DistrictParam),
    responses(
        (status = 200, description = "My ballot", body = BallotResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No ballot cast", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/ballot")]
pub async fn ballot_get(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    q: web::Query<DistrictParam>,
    org: OrgRef,
) -> Result<web::Json<BallotResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let ballot = st.budgets.my_ballot(&who.caller(), &org.0, id.into(), q.into_inner().district).await?;
    Ok(web::Json(ballot_dto(&ballot)))
}

/// Cast or replace my ballot
///
/// While voting is open (409 otherwise), one ballot per resident, process and district — kept
/// by the database, so simultaneous casts leave one. A ballot that breaks the process's ballot
/// rule is a 422 saying which. The ballot is stored without the voter's identity. Honours
/// `Idempotency-Key` without storing the request next to the voter's account: a retry under the
/// key that last wrote the ballot gets the ballot back (`Idempotent-Replayed: true`), the same
/// key with other choices a 422 `idempotency-key-reused`. A ballot that arrives as the vote
/// closes is either counted or refused with 409, never counted after the results.
#[utoipa::path(
    tag = "budgets", operation_id = "ballot_cast", request_body = BallotRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The process"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 200, description = "Replaced", body = BallotResponse),
        (status = 201, description = "Cast", body = BallotResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Voting requires verified residency", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Voting is not open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The ballot breaks a rule, or the Idempotency-Key was used for other choices", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/budgets/{id}/ballot")]
pub async fn ballot_cast(
    st: web::Data<AppState>,
    who: SignedIn,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    org: OrgRef,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let request: BallotRequest = parse_json(&body)?;
    request.validate()?;
    let out = st.budgets.cast(&who.caller(), &org.0, id.into(), request.into(), key.0.as_deref()).await?;
    let status = if out.cast == Cast::First { StatusCode::CREATED } else { StatusCode::OK };
    let mut res = HttpResponse::build(status);
    if out.replayed {
        res.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(res.json(ballot_dto(&out.ballot)))
}
