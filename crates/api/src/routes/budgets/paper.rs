//! Ballots collected on paper, entered by staff.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, post, web};
use pnyx_domain::budget::service::PaperBallots;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::dto_ballot::BallotRequest;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{Auth, OrgRef, parse_json, read_limited};
use crate::state::AppState;

/// A CSV of 10,000 ballots is well under this.
const MAX_PAPER_BODY: usize = 4 * 1024 * 1024;

/// Paper ballots by proposal id.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ballots": [{"choices": [{"proposal_id": "01939f7e-8c1a-7d2b-9c3e-1a2b3c4d5e6f"}]}]}))]
pub struct PaperBallotsRequest {
    /// 1 to 10,000 ballots, each as the booth casts one.
    #[validate(length(min = 1, max = 10000), nested)]
    #[schema(min_items = 1, max_items = 10000)]
    pub ballots: Vec<BallotRequest>,
}

/// How many paper ballots were entered.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaperBallotsEntered {
    pub entered: u64,
}

/// Enter paper ballots
///
/// Ballots collected on paper, while voting is open (409 otherwise): as JSON by proposal id
/// (one or many), or as `text/csv` with a header row naming `choices` and, for a process with
/// districts, `district` (choices are proposal codes separated by `;`, `CODE:points` on a
/// points ballot, in rank order on a ranking ballot). Every ballot is checked against the
/// process's rule like an online one; all are stored or none (422 naming `ballots[i]…` or
/// `line n`). They are counted with the online ballots and exported with pabulib's
/// `voting_method` `paper`. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "paper_ballots_enter",
    request_body(content(
        (PaperBallotsRequest = "application/json"),
        (String = "text/csv", example = "district,choices\ncentrum,P-1;P-4\n")
    )),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 201, description = "Entered", body = PaperBallotsEntered),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Voting is not open", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 4 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor CSV", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/paper-ballots")]
pub async fn paper_ballots_enter(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
    path: web::Path<(String, Uuid)>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let mime = req.mime_type().ok().flatten();
    let input = match mime.as_ref().map(|m| (m.type_().as_str(), m.subtype().as_str())) {
        Some(("application", "json")) => {
            let body = read_limited(&mut payload, declared, MAX_PAPER_BODY).await?;
            let request: PaperBallotsRequest = parse_json(&body)?;
            request.validate()?;
            PaperBallots::List(request.ballots.into_iter().map(Into::into).collect())
        }
        Some(("text", "csv")) => {
            let body = read_limited(&mut payload, declared, MAX_PAPER_BODY).await?;
            let text = String::from_utf8(body.to_vec()).map_err(|_| ApiError::field("body", "is not UTF-8 text"))?;
            PaperBallots::Csv(text)
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "Send application/json or text/csv.",
            ));
        }
    };
    let entered = st.budgets.enter_paper_ballots(&who.0, &org.0, id.into(), input).await?;
    Ok(HttpResponse::Created().json(PaperBallotsEntered { entered }))
}
