//! The results of a process under its outcome rule (or another, to compare).

use actix_web::{HttpResponse, get, web};
use uuid::Uuid;

use super::dto_ballot::{ResultParams, ResultsResponse, results_dto};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef};
use crate::state::AppState;

/// Get the results
///
/// The winners in selection order by the process's outcome rule and minimum score, each project's
/// votes and score, each winner's cost and per-voter share where the rule has one, and the money
/// left. Public from the results phase on; staff only before. Another rule (`?rule=`) or minimum
/// score (`?min_score=`) than the process's own, to compare, is staff only. One computation per
/// process runs at a time; a request that waits for one longer than the time limit is answered
/// 503 with `Retry-After` (the computation goes on, and the retry finds its result).
#[utoipa::path(
    tag = "budgets", operation_id = "budget_results",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ResultParams),
    responses(
        (status = 200, description = "The results", body = ResultsResponse),
        (status = 400, description = "Unknown rule", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not public yet, or another rule or minimum score asked for by someone who is not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process or district", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The vote is still open (`wrong-phase`): staff get the count once voting closes", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Still being computed (`results-busy`): retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/results")]
pub async fn budget_results(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<ResultParams>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let results = st.budgets.results(&who.0, &org.0, id.into(), q.into_inner().into()).await?;
    Ok(HttpResponse::Ok().json(results_dto(&results)))
}
