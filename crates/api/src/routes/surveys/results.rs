//! A survey's results (cached by what they are computed from) and its CSV export.

use crate::error::{ApiError, Problem};
use crate::extract::Auth;
use crate::routes::orgs::org_of;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use pnyx_domain::surveys::{Answer, ResultsKey};
use std::collections::HashMap;
use std::sync::Mutex;
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
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The survey")),
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
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let svc = &st.surveys;
    let (s, key) = svc.results_key(&who.0, org.id, id).await?;
    let cache = &st.survey_results_cache;
    let body = match cache.get(&key) {
        Some(hit) => hit,
        None => {
            // One computation at a time: concurrent readers of a cold survey wait for it and
            // then find it cached, rather than each tallying every response.
            let _turn = cache.computing.lock().await;
            match cache.get(&key) {
                Some(hit) => hit,
                None => {
                    let results = svc.compute_results(&s).await?;
                    let dto: SurveyResultsDto = via_json(&results)?;
                    let body = web::Bytes::from(serde_json::to_vec(&dto).map_err(ApiError::internal)?);
                    cache.put(key, body.clone());
                    body
                }
            }
        }
    };
    Ok(HttpResponse::Ok().content_type(mime::APPLICATION_JSON).body(body))
}

/// Survey results as served (JSON), by what they were computed from: a survey's id and version
/// and its responses' count and latest change. A new or replaced response or an edit of the
/// survey changes the key, so an entry is never stale; old keys are dropped when the cache fills.
#[derive(Default)]
pub struct SurveyResultsCache {
    entries: Mutex<HashMap<ResultsKey, web::Bytes>>,
    computing: tokio::sync::Mutex<()>,
}

impl SurveyResultsCache {
    const CAPACITY: usize = 64;

    fn get(&self, k: &ResultsKey) -> Option<web::Bytes> {
        self.entries.lock().ok()?.get(k).cloned()
    }

    fn put(&self, k: ResultsKey, v: web::Bytes) {
        if let Ok(mut m) = self.entries.lock() {
            // Only the newest entry of a survey is of use.
            m.retain(|old, _| old.survey_id != k.survey_id);
            if m.len() >= Self::CAPACITY {
                m.clear();
            }
            m.insert(k, v);
        }
    }
}

/// Export a survey's responses as CSV
///
/// One row per response: `response_id`, `submitted_at`, `respondent_id` (empty in an anonymous
/// survey), then one column per question (choices as option ids joined by `;`, rankings best
/// first joined by `>`). Requires: any staff role.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_results_csv",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The survey")),
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
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let (s, all) = st.surveys.export(&who.0, org.id, id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["response_id".to_owned(), "submitted_at".to_owned(), "respondent_id".to_owned()];
    head.extend(s.definition.questions().iter().map(|q| q.id.to_string()));
    w.write_record(&head).map_err(ApiError::internal)?;
    for r in all {
        let mut row = vec![
            r.id.to_string(),
            r.submitted_at.to_rfc3339(),
            r.respondent.map(|u| u.to_string()).unwrap_or_default(),
        ];
        row.extend(s.definition.questions().iter().map(|q| r.answers.get(&q.id).map(cell).unwrap_or_default()));
        w.write_record(&row).map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"survey-{id}.csv\"")))
        .body(bytes))
}

pub(crate) fn join(options: &[pnyx_domain::surveys::OptionId], sep: &str) -> String {
    options.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(sep)
}

/// One answer as a CSV cell. Free text that a spreadsheet would run as a formula is prefixed
/// with `'` (OWASP's CSV-injection advice).
pub(crate) fn cell(a: &Answer) -> String {
    match a {
        Answer::SingleChoice { option } => option.to_string(),
        Answer::MultipleChoice { options } => join(options, ";"),
        Answer::Ranking { options } => join(options, ">"),
        Answer::Number { value } => value.to_string(),
        Answer::Scale { value } => value.to_string(),
        Answer::ShortText { text } | Answer::LongText { text } => {
            if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.clone() }
        }
    }
}
