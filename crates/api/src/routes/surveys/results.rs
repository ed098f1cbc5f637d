//! A survey's results (cached by what they are computed from) and its CSV export.

use crate::csv_export::SpreadsheetCsv;
use crate::error::{ApiError, Problem};
use crate::extract::Auth;
use crate::extract::OrgRef;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use pnyx_domain::surveys::Answer;
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

/// Get a survey's results
///
/// Per question: how often it was shown and answered, option counts and shares (basis points),
/// exact number and scale statistics, Borda scores of rankings, and free texts. Staff only,
/// unless the survey's results are public.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_results",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The survey")),
    responses(
        (status = 200, description = "The results", body = SurveyResultsDto),
        (status = 401, description = "Staff-only results: sign in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff-only results", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/surveys/{id}/results")]
pub async fn survey_results(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let results = st.surveys.results(&who.0, org.id, id.into()).await?;
    let dto: SurveyResultsDto = via_json(&*results)?;
    Ok(HttpResponse::Ok().json(dto))
}

/// Export a survey's responses as CSV
///
/// One row per response: `response_id`, `submitted_at`, `respondent_id` (empty in an anonymous
/// survey), then one column per question (choices as option ids joined by `;`, rankings best
/// first joined by `>`). Requires: any staff role.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_results_csv",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The survey")),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/surveys/{id}/results.csv")]
pub async fn survey_results_csv(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let (s, all) = st.surveys.export(&who.0, org.id, id.into()).await?;
    let mut w = SpreadsheetCsv::default();
    let mut head = vec!["response_id".to_owned(), "submitted_at".to_owned(), "respondent_id".to_owned()];
    head.extend(s.definition.questions().iter().map(|q| q.id.to_string()));
    w.row(&head)?;
    for r in all {
        let mut row = vec![
            r.id.to_string(),
            r.submitted_at.to_rfc3339(),
            r.respondent.map(|u| u.to_string()).unwrap_or_default(),
        ];
        row.extend(s.definition.questions().iter().map(|q| r.answers.get(&q.id).map(cell).unwrap_or_default()));
        w.row(&row)?;
    }
    w.into_response(&format!("survey-{id}.csv"))
}

pub(crate) fn join(options: &[pnyx_domain::surveys::OptionId], sep: &str) -> String {
    options.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(sep)
}

/// One answer as a CSV cell (the writer neutralises formulas).
pub(crate) fn cell(a: &Answer) -> String {
    match a {
        Answer::SingleChoice { option } => option.to_string(),
        Answer::MultipleChoice { options } => join(options, ";"),
        Answer::Ranking { options } => join(options, ">"),
        Answer::Number { value } => value.to_string(),
        Answer::Scale { value } => value.to_string(),
        Answer::ShortText { text } | Answer::LongText { text } => text.clone(),
    }
}
