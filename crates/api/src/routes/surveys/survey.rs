//! Surveys: list, create, read, edit; and their periods in the calendar feed.

use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::extract::{Auth, IfMatch, PageParams, ValidJson, etag};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use icalendar::{Component, Event, EventLike, EventStatus};
use pnyx_domain::i18n::Locale;
use pnyx_domain::org::Organisation;
use pnyx_domain::surveys::{Survey, SurveyView};
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

pub(crate) fn with_etag(status: StatusCode, v: &SurveyView) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag(v.survey.updated_at))).json(survey_dto(v)?))
}

/// List surveys
///
/// Public, oldest first. Full-text `?q=` searches titles and descriptions.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), crate::dto::TextSearchParams, PageParams),
    responses(
        (status = 200, description = "A page of surveys", body = SurveyList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(())
)]
#[get("/orgs/{org}/surveys")]
pub async fn survey_list(
    org: OrgRef,
    st: web::Data<AppState>,
    text: web::Query<crate::dto::TextSearchParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<SurveyList>, ApiError> {
    let org = org.0;
    let page = st.surveys.list(org.id, text.q.as_deref(), q.page()?).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for v in &page.items {
        items.push(survey_dto(v)?);
    }
    Ok(web::Json(SurveyList {
        items,
        next_cursor: page.next_after.map(crate::extract::encode_cursor),
        total: page.total,
    }))
}

/// Create a survey
///
/// Requires: admin or official of the organisation. Questions are checked (ids, options, limits,
/// conditions referring only to earlier questions); errors name `questions[i]`.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_create", request_body = CreateSurveyRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = SurveyDetail, headers(("ETag" = String, description = "The version"))),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, description = "Invalid fields or questions", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/surveys")]
pub async fn survey_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateSurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    let v = st.surveys.create(&who.0, &org.0, body.0.try_into()?).await?;
    with_etag(StatusCode::CREATED, &v)
}

/// Get a survey
///
/// Public. The questions come with their display conditions, to be evaluated as documented on
/// `ConditionDto`. Returns an `ETag` for `If-Match`.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The survey")),
    responses(
        (status = 200, description = "The survey", body = SurveyDetail, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/surveys/{id}")]
pub async fn survey_get(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let org = org.0;
    let v = st.surveys.view(org.id, id.into()).await?;
    with_etag(StatusCode::OK, &v)
}

/// Update a survey
///
/// Requires: admin or official. Honours `If-Match`. Once the survey has responses only texts
/// and labels may change (409 `survey-structure-locked` otherwise), and `policy`/`anonymous` not at all.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_update", request_body = UpdateSurveyRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The survey"),
        ("If-Match" = Option<String>, Header, description = "The ETag read"),
    ),
    responses(
        (status = 200, description = "Updated", body = SurveyDetail, headers(("ETag" = String, description = "The version"))),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Structure or settings locked by responses", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, description = "Invalid fields or questions", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/surveys/{id}")]
pub async fn survey_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateSurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let expected = if_match.expected()?;
    let v = st.surveys.update(&who.0, &org.0, id.into(), expected, body.0.try_into()?).await?;
    with_etag(StatusCode::OK, &v)
}

/// The organisation's surveys with a period of their own, as calendar events (surveys taking a
/// consultation's period appear through the consultation).
#[must_use]
pub fn feed_events(surveys: &[Survey], org: &Organisation, lang: Locale, base: &str) -> Vec<icalendar::Event> {
    let text = |t: &pnyx_domain::i18n::LocalizedText| {
        t.resolve(lang, org.default_locale).map(std::borrow::Cow::into_owned).unwrap_or_default()
    };
    surveys
        .iter()
        .filter_map(|s| {
            let p = s.period?;
            let mut e = Event::with_uid(&format!("survey-{}@pnyx", s.id));
            e.summary(&text(&s.title))
                .description(&text(&s.description))
                .starts(p.opens_at())
                .ends(p.closes_at())
                .status(EventStatus::Confirmed)
                .url(&format!("{base}/o/{}/surveys/{}", org.slug, s.id))
                .timestamp(s.updated_at)
                .add_property("CATEGORIES", "SURVEY");
            Some(e.done())
        })
        .collect()
}
