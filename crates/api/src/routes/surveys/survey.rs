//! Surveys: list, create, read, edit; and their periods in the calendar feed.

use crate::dto::{localized, localized_optional};
use crate::error::{ApiError, FieldError, Problem};
use crate::extract::OrgRef;
use crate::extract::{Auth, IfMatch, PageParams, ValidJson, etag};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use icalendar::{Component, Event, EventLike, EventStatus};
use pnyx_domain::consultations::Period;
use pnyx_domain::i18n::Locale;
use pnyx_domain::ids::SurveyId;
use pnyx_domain::org::Organisation;
use pnyx_domain::surveys::{DefinitionError, Question, ResponseSettings, Survey, SurveyDefinition, SurveyView};
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

/// Parses and checks questions: shape, then the domain's rules and the organisation's locales.
/// Errors name `questions[i]` of the question concerned.
pub(crate) fn definition(list: Vec<QuestionDto>, org: &Organisation) -> Result<SurveyDefinition, ApiError> {
    let ids: Vec<String> = list.iter().map(|q| q.id.clone()).collect();
    let questions: Vec<Question> = via_json(&list)?;
    let field = |e: &DefinitionError| match e.question().and_then(|q| ids.iter().position(|i| i == q.as_str())) {
        Some(i) => format!("questions[{i}]"),
        None => "questions".to_owned(),
    };
    let to_api = |errors: Vec<DefinitionError>| {
        ApiError::validation(errors.iter().map(|e| FieldError { field: field(e), message: e.to_string() }).collect())
    };
    let d = SurveyDefinition::new(questions).map_err(to_api)?;
    d.check_texts(org.default_locale, &org.locales, 1000).map_err(to_api)?;
    Ok(d)
}

pub(crate) fn own_period(
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
) -> Result<Option<Period>, ApiError> {
    match (opens_at, closes_at) {
        (None, None) => Ok(None),
        (Some(o), Some(c)) => Period::new(o, c)
            .map(Some)
            .map_err(|_| ApiError::field("closes_at", "the survey must close after it opens")),
        (None, Some(_)) => Err(ApiError::field("opens_at", "give both dates, or neither")),
        (Some(_), None) => Err(ApiError::field("closes_at", "give both dates, or neither")),
    }
}

pub(crate) fn settings(policy: ResponsePolicyDto, anonymous: bool) -> Result<ResponseSettings, ApiError> {
    ResponseSettings::new(policy.into(), anonymous).map_err(|e| ApiError::field("policy", e.to_string()))
}

pub(crate) fn with_etag(status: StatusCode, v: &SurveyView) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag(v.survey.updated_at))).json(survey_dto(v)?))
}

/// List surveys
///
/// Public, oldest first.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
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
    q: web::Query<PageParams>,
) -> Result<web::Json<SurveyList>, ApiError> {
    let org = org.0;
    let page = st.surveys.list(org.id, q.page()?).await?;
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
    params(("org" = String, Path, description = "The organisation's slug")),
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
    let org = org.0;
    let b = body.0;
    let now = st.clock.now();
    let s = Survey {
        id: SurveyId::new_v7(),
        org_id: org.id,
        title: localized("title", b.title, &org, 200)?,
        description: localized_optional("description", b.description, &org, 5000)?,
        definition: definition(b.questions, &org)?,
        settings: settings(b.policy, b.anonymous)?,
        period: own_period(b.opens_at, b.closes_at)?,
        results_public: b.results_public,
        created_at: now,
        updated_at: now,
    };
    let v = st.surveys.create(&who.0, s).await?;
    with_etag(StatusCode::CREATED, &v)
}

/// Get a survey
///
/// Public. The questions come with their display conditions, to be evaluated as documented on
/// `ConditionDto`. Returns an `ETag` for `If-Match`.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The survey")),
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
        ("org" = String, Path, description = "The organisation's slug"),
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
    let org = org.0;
    let b = body.0;
    let current = st.surveys.get(org.id, id.into()).await?;
    let title = b.title.map(|t| localized("title", t, &org, 200)).transpose()?;
    let description = b.description.map(|t| localized_optional("description", t, &org, 5000)).transpose()?;
    let def = b.questions.map(|q| definition(q, &org)).transpose()?;
    let new_settings = match (b.policy, b.anonymous) {
        (None, None) => None,
        (p, a) => Some(settings(
            p.unwrap_or_else(|| current.settings.policy().into()),
            a.unwrap_or(current.settings.anonymous()),
        )?),
    };
    let new_period = match (b.opens_at, b.closes_at) {
        (None, None) => None,
        (o, c) => own_period(o.or(current.period.map(|p| p.opens_at())), c.or(current.period.map(|p| p.closes_at())))?,
    };
    let s = st
        .surveys
        .update(&who.0, org.id, id.into(), if_match.expected()?, |s| {
            if let Some(v) = title {
                s.title = v;
            }
            if let Some(v) = description {
                s.description = v;
            }
            if let Some(v) = def {
                s.definition = v;
            }
            if let Some(v) = new_settings {
                s.settings = v;
            }
            if let Some(v) = new_period {
                s.period = Some(v);
            }
            if let Some(v) = b.results_public {
                s.results_public = v;
            }
        })
        .await?;
    with_etag(StatusCode::OK, &s)
}

/// The organisation's surveys with a period of their own, as calendar events (surveys taking a
/// consultation's period appear through the consultation).
#[must_use]
pub fn feed_events(surveys: &[Survey], org: &Organisation, lang: Locale, base: &str) -> Vec<icalendar::Event> {
    let text =
        |t: &pnyx_domain::i18n::LocalizedText| t.resolve(lang, org.default_locale).unwrap_or_default().to_owned();
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
