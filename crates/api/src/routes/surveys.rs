//! Surveys: staff define questions (with display conditions the SPA evaluates exactly as the
//! server does), signed-in residents respond while a survey is open, and results and a CSV
//! export are computed from the responses.
//!
//! The question, answer and result bodies mirror the domain's JSON shapes one to one; they exist
//! so that the spec (and the generated client) describe them. They are converted through JSON.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use icalendar::{Component, Event, EventLike, EventStatus};
use pnyx_domain::consultations::Period;
use pnyx_domain::i18n::Locale;
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::PageRequest;
use pnyx_domain::surveys::{
    Answer, Answers, DefinitionError, MyParticipation, Question, ResponsePolicy, ResponseSettings, ResultsKey, Survey,
    SurveyDefinition, SurveyError, SurveyResponse, SurveyService, SurveyStatus,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocalizedTextDto, localized, localized_optional};
use crate::error::{ApiError, FieldError, Problem};
use crate::extract::{Auth, IfMatch, PageParams, ValidJson, etag};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::list_response;
use crate::routes::orgs::org_of;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(survey_list)
        .service(survey_create)
        .service(survey_get)
        .service(survey_update)
        .service(response_create)
        .service(response_get_mine)
        .service(survey_results)
        .service(survey_results_csv);
}

impl From<SurveyError> for ApiError {
    fn from(e: SurveyError) -> Self {
        use SurveyError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound => ApiError::not_found("survey"),
            E::NotOpen(_) => ApiError::conflict("survey-not-open", e.to_string()),
            E::AlreadyResponded => ApiError::conflict("already-responded", e.to_string()),
            E::InvalidAnswers(errors) => ApiError::validation(
                errors
                    .iter()
                    .map(|a| FieldError { field: format!("answers.{}", a.question()), message: a.to_string() })
                    .collect(),
            ),
            E::StructureLocked { ref changes, .. } => {
                let what: Vec<String> =
                    changes.iter().filter_map(|c| serde_json::to_value(c).ok()).map(|v| v.to_string()).collect();
                let detail =
                    if what.is_empty() { e.to_string() } else { format!("{e} (changes: {})", what.join(", ")) };
                ApiError::conflict("survey-structure-locked", detail)
            }
            E::SettingsLocked => ApiError::conflict("survey-settings-locked", e.to_string()),
            E::Stale => ApiError::precondition_failed(),
            E::Repo(r) => r.into(),
        }
    }
}

/// Converts between a domain type and its mirror in this module (same JSON shape).
fn via_json<T: Serialize, U: DeserializeOwned>(v: &T) -> Result<U, ApiError> {
    serde_json::to_value(v).and_then(serde_json::from_value).map_err(ApiError::internal)
}

/// An option of a choice or ranking question.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOptionDto {
    /// 1–64 letters, digits, `_` or `-`; unique within the question, never changed.
    #[schema(max_length = 64, example = "bus")]
    pub id: String,
    pub label: LocalizedTextDto,
}

/// The labels of a scale: of its two ends, or of every point (point 1 first).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScaleLabelsDto {
    Ends { low: LocalizedTextDto, high: LocalizedTextDto },
    Each { labels: Vec<LocalizedTextDto> },
}

/// What kind of answer a question takes, with that kind's settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKindDto {
    SingleChoice {
        #[schema(min_items = 2, max_items = 100)]
        options: Vec<ChoiceOptionDto>,
    },
    /// Between `min_selections` and `max_selections` (all options when absent) distinct options.
    MultipleChoice {
        #[schema(min_items = 2, max_items = 100)]
        options: Vec<ChoiceOptionDto>,
        #[serde(default)]
        min_selections: u32,
        #[serde(default)]
        max_selections: Option<u32>,
    },
    /// At most `max_length` characters (1–500).
    ShortText {
        #[schema(minimum = 1, maximum = 500)]
        max_length: u32,
    },
    /// At most `max_length` characters (1–20000).
    LongText {
        #[schema(minimum = 1, maximum = 20000)]
        max_length: u32,
    },
    /// A whole number within the optional bounds, always within ±1 000 000 000.
    Number {
        #[serde(default)]
        #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000)]
        min: Option<i64>,
        #[serde(default)]
        #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000)]
        max: Option<i64>,
    },
    /// A point from 1 to `points` (2–10).
    Scale {
        #[schema(minimum = 2, maximum = 10)]
        points: u32,
        labels: ScaleLabelsDto,
    },
    /// The options ordered best first: all of them, or the `top` best.
    Ranking {
        #[schema(min_items = 2, max_items = 100)]
        options: Vec<ChoiceOptionDto>,
        #[serde(default)]
        top: Option<u32>,
    },
}

/// How a number or scale answer is compared.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompareOpDto {
    Eq,
    Gte,
    Lte,
}

/// When a question is shown, in terms of answers to EARLIER questions. A leaf condition holds
/// only when the question it reads is itself shown and answered with an answer of the kind it
/// reads that satisfies it; so hiding spreads down a chain. `all`/`any` combine (up to 4 deep).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConditionDto {
    /// The single-choice answer to `question` is one of `options`.
    ChoiceIs { question: String, options: Vec<String> },
    /// The multiple-choice answer to `question` includes `option`.
    Includes { question: String, option: String },
    /// The number or scale answer to `question` compares with `value` by `op`.
    Compare { question: String, op: CompareOpDto, value: i64 },
    /// Every condition holds.
    All {
        #[schema(no_recursion)]
        conditions: Vec<ConditionDto>,
    },
    /// At least one condition holds.
    Any {
        #[schema(no_recursion)]
        conditions: Vec<ConditionDto>,
    },
}

/// One question.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDto {
    /// The question's stable key: 1–64 letters, digits, `_` or `-`, unique in the survey.
    #[schema(max_length = 64, example = "transport")]
    pub id: String,
    /// Up to 1000 characters per locale.
    pub text: LocalizedTextDto,
    #[serde(default)]
    pub description: Option<LocalizedTextDto>,
    /// A shown required question must be answered; a hidden one never is.
    pub required: bool,
    #[serde(default)]
    pub condition: Option<ConditionDto>,
    pub kind: QuestionKindDto,
}

/// How a second response from the same resident is treated.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponsePolicyDto {
    /// The new response replaces the old one (identified surveys only).
    OnePerResidentReplace,
    /// The new response is refused with 409.
    #[default]
    OnePerResidentRefuse,
}

impl From<ResponsePolicyDto> for ResponsePolicy {
    fn from(p: ResponsePolicyDto) -> Self {
        match p {
            ResponsePolicyDto::OnePerResidentReplace => ResponsePolicy::OnePerResidentReplace,
            ResponsePolicyDto::OnePerResidentRefuse => ResponsePolicy::OnePerResidentRefuse,
        }
    }
}

impl From<ResponsePolicy> for ResponsePolicyDto {
    fn from(p: ResponsePolicy) -> Self {
        match p {
            ResponsePolicy::OnePerResidentReplace => ResponsePolicyDto::OnePerResidentReplace,
            ResponsePolicy::OnePerResidentRefuse => ResponsePolicyDto::OnePerResidentRefuse,
        }
    }
}

/// Where a survey is: from its own period, or the period of the consultation that links it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatusDto {
    /// No period of its own and no consultation links it.
    Unscheduled,
    Planned,
    Open,
    Closed,
}

impl From<SurveyStatus> for SurveyStatusDto {
    fn from(s: SurveyStatus) -> Self {
        match s {
            SurveyStatus::Unscheduled => SurveyStatusDto::Unscheduled,
            SurveyStatus::Planned => SurveyStatusDto::Planned,
            SurveyStatus::Open => SurveyStatusDto::Open,
            SurveyStatus::Closed => SurveyStatusDto::Closed,
        }
    }
}

/// A survey, with its questions and their display conditions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDetail {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    pub questions: Vec<QuestionDto>,
    pub policy: ResponsePolicyDto,
    /// Responses are stored with no link to their author; only participation is recorded.
    pub anonymous: bool,
    /// The survey's own period; `null` when it takes its consultation's.
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// The period responses are taken in (its own or its consultation's), if any.
    pub effective_opens_at: Option<DateTime<Utc>>,
    pub effective_closes_at: Option<DateTime<Utc>>,
    pub status: SurveyStatusDto,
    pub results_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn survey_dto(s: &Survey, effective: Option<Period>, now: DateTime<Utc>) -> Result<SurveyDetail, ApiError> {
    Ok(SurveyDetail {
        id: s.id,
        title: (&s.title).into(),
        description: (&s.description).into(),
        questions: via_json(&s.definition)?,
        policy: s.settings.policy().into(),
        anonymous: s.settings.anonymous(),
        opens_at: s.period.map(|p| p.opens_at()),
        closes_at: s.period.map(|p| p.closes_at()),
        effective_opens_at: effective.map(|p| p.opens_at()),
        effective_closes_at: effective.map(|p| p.closes_at()),
        status: SurveyStatus::of(effective, now).into(),
        results_public: s.results_public,
        created_at: s.created_at,
        updated_at: s.updated_at,
    })
}

list_response!(SurveyList, SurveyDetail, "A page of surveys, oldest first.");

/// A new survey.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"sk": "Doprava v meste", "en": "Getting around town"},
    "questions": [
        {"id": "mode", "text": {"sk": "Ako chodíte do práce?"}, "required": true,
         "kind": {"type": "single_choice", "options": [
            {"id": "bus", "label": {"sk": "Autobusom"}}, {"id": "car", "label": {"sk": "Autom"}}]}},
        {"id": "bus_rating", "text": {"sk": "Ako hodnotíte autobusy?"}, "required": false,
         "condition": {"type": "choice_is", "question": "mode", "options": ["bus"]},
         "kind": {"type": "scale", "points": 5, "labels": {"type": "ends", "low": {"sk": "Zle"}, "high": {"sk": "Výborne"}}}}
    ],
    "policy": "one_per_resident_replace",
    "opens_at": "2026-03-01T00:00:00Z", "closes_at": "2026-03-31T00:00:00Z",
    "results_public": true
}))]
pub struct CreateSurveyRequest {
    /// Up to 200 characters per locale.
    pub title: LocalizedTextDto,
    /// Up to 5000 characters per locale.
    #[serde(default)]
    pub description: LocalizedTextDto,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_items = 1, max_items = 200)]
    pub questions: Vec<QuestionDto>,
    #[serde(default)]
    pub policy: ResponsePolicyDto,
    /// An anonymous survey cannot use the replace policy.
    #[serde(default)]
    pub anonymous: bool,
    /// Give both, or neither to take the period of the consultation whose `survey_id` is this survey.
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub results_public: bool,
}

/// Changes to a survey; absent fields stay as they are. Once it has responses, `questions` may
/// change their texts and labels only, and `policy`/`anonymous` not at all.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"results_public": true}))]
pub struct UpdateSurveyRequest {
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_items = 1, max_items = 200)]
    pub questions: Option<Vec<QuestionDto>>,
    pub policy: Option<ResponsePolicyDto>,
    pub anonymous: Option<bool>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub results_public: Option<bool>,
}

/// An answer; its `type` is its question's type. Blank texts and empty selections count as no answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AnswerDto {
    SingleChoice {
        option: String,
    },
    MultipleChoice {
        options: Vec<String>,
    },
    ShortText {
        text: String,
    },
    LongText {
        text: String,
    },
    Number {
        value: i64,
    },
    Scale {
        value: u32,
    },
    /// Options best first.
    Ranking {
        options: Vec<String>,
    },
}

/// A response: answers by question id. Only shown questions may be answered.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": {"mode": {"type": "single_choice", "option": "bus"}, "bus_rating": {"type": "scale", "value": 4}}}))]
pub struct CreateResponseRequest {
    pub answers: BTreeMap<String, AnswerDto>,
}

/// The caller's own participation in a survey.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyResponse {
    pub survey_id: Uuid,
    pub participated: bool,
    pub anonymous: bool,
    /// Whether this response replaced an earlier one (in the answer to a POST).
    pub replaced: bool,
    /// The response's id; `null` in an anonymous survey (nothing links it to you).
    pub response_id: Option<Uuid>,
    /// Your answers; `null` in an anonymous survey.
    pub answers: Option<BTreeMap<String, AnswerDto>>,
    pub submitted_at: Option<DateTime<Utc>>,
}

fn my_response(
    s: &Survey,
    participated: bool,
    r: Option<&SurveyResponse>,
    replaced: bool,
) -> Result<MyResponse, ApiError> {
    // An anonymous survey shows nothing of the response (this body is also what the idempotency
    // store keeps, next to the account).
    let r = r.filter(|_| !s.settings.anonymous());
    Ok(MyResponse {
        survey_id: s.id,
        participated,
        anonymous: s.settings.anonymous(),
        replaced,
        response_id: r.map(|r| r.id),
        answers: r.map(|r| via_json(r.answers.as_map())).transpose()?,
        submitted_at: r.map(|r| r.submitted_at),
    })
}

/// How often an option was chosen; `share_bp` is basis points of the question's respondents.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OptionCountDto {
    pub option: String,
    pub count: u64,
    pub share_bp: u32,
}

/// How often a scale point was chosen.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PointCountDto {
    pub point: u32,
    pub count: u64,
    pub share_bp: u32,
}

/// Exact statistics of number or scale answers; `mean` has two decimals.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatsDto {
    pub count: u64,
    pub sum: i64,
    #[schema(example = "3.67")]
    pub mean: Option<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// An option's Borda score (with n options, rank r earns n − r) and how often it got each rank.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RankingScoreDto {
    pub option: String,
    pub score: u64,
    pub rank_counts: Vec<u64>,
}

/// A question's results, tagged with its type.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SummaryDto {
    SingleChoice { options: Vec<OptionCountDto> },
    MultipleChoice { options: Vec<OptionCountDto> },
    ShortText { texts: Vec<String> },
    LongText { texts: Vec<String> },
    Number { stats: StatsDto },
    Scale { stats: StatsDto, points: Vec<PointCountDto> },
    Ranking { options: Vec<RankingScoreDto> },
}

/// One question's results.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuestionResultsDto {
    pub question: String,
    /// Responses for which the question was shown.
    pub shown: u64,
    /// Responses that answered it.
    pub respondents: u64,
    pub summary: SummaryDto,
}

/// A survey's results.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SurveyResultsDto {
    /// Responses counted.
    pub respondents: u64,
    /// In survey order.
    pub questions: Vec<QuestionResultsDto>,
}

fn service(st: &AppState) -> SurveyService<'_, dyn pnyx_domain::repo::Store> {
    SurveyService { repo: st.store.as_ref() }
}

/// Parses and checks questions: shape, then the domain's rules and the organisation's locales.
/// Errors name `questions[i]` of the question concerned.
fn definition(list: Vec<QuestionDto>, org: &Organisation) -> Result<SurveyDefinition, ApiError> {
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

fn own_period(opens_at: Option<DateTime<Utc>>, closes_at: Option<DateTime<Utc>>) -> Result<Option<Period>, ApiError> {
    match (opens_at, closes_at) {
        (None, None) => Ok(None),
        (Some(o), Some(c)) => Period::new(o, c)
            .map(Some)
            .map_err(|_| ApiError::field("closes_at", "the survey must close after it opens")),
        (None, Some(_)) => Err(ApiError::field("opens_at", "give both dates, or neither")),
        (Some(_), None) => Err(ApiError::field("closes_at", "give both dates, or neither")),
    }
}

fn settings(policy: ResponsePolicyDto, anonymous: bool) -> Result<ResponseSettings, ApiError> {
    ResponseSettings::new(policy.into(), anonymous).map_err(|e| ApiError::field("policy", e.to_string()))
}

async fn with_etag(st: &AppState, status: StatusCode, s: &Survey) -> Result<HttpResponse, ApiError> {
    let effective = service(st).period(s).await?;
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag(s.updated_at))).json(survey_dto(
        s,
        effective,
        pnyx_domain::now(),
    )?))
}

/// List surveys
///
/// Public, oldest first.
#[utoipa::path(
    tag = "surveys", operation_id = "survey_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
    responses(
        (status = 200, description = "A page of surveys", body = SurveyList),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/surveys")]
pub async fn survey_list(
    st: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<PageParams>,
) -> Result<web::Json<SurveyList>, ApiError> {
    let org = org_of(&st, &path).await?;
    let page = st.store.surveys(org.id, q.page()?).await?;
    let now = pnyx_domain::now();
    let mut items = Vec::with_capacity(page.items.len());
    for s in &page.items {
        items.push(survey_dto(s, service(&st).period(s).await?, now)?);
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
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or questions", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/surveys")]
pub async fn survey_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<CreateSurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, pnyx_domain::auth::Action::WriteContent)?;
    let b = body.0;
    let now = pnyx_domain::now();
    let s = Survey {
        id: Uuid::now_v7(),
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
    let s = service(&st).create(&who.0, s).await?;
    with_etag(&st, StatusCode::CREATED, &s).await
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
pub async fn survey_get(st: web::Data<AppState>, path: web::Path<(String, Uuid)>) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let s = service(&st).get(org.id, id).await?;
    with_etag(&st, StatusCode::OK, &s).await
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
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Structure or settings locked by responses", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or questions", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/surveys/{id}")]
pub async fn survey_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateSurveyRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, pnyx_domain::auth::Action::WriteContent)?;
    let b = body.0;
    let current = service(&st).get(org.id, id).await?;
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
    let s = service(&st)
        .update(
            &who.0,
            org.id,
            id,
            if_match.expected()?,
            |s| {
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
            },
            pnyx_domain::now(),
        )
        .await?;
    with_etag(&st, StatusCode::OK, &s).await
}

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
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The survey"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 201, description = "Taken", body = MyResponse),
        (status = 200, description = "Replaced the earlier response", body = MyResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not open, or already answered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/surveys/{id}/responses")]
pub async fn response_create(
    st: web::Data<AppState>,
    req: HttpRequest,
    who: Auth,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let user = who.0.user_id().ok_or_else(|| ApiError::unauthorized("Sign in to answer a survey."))?;
    let s = service(&st).get(org.id, id).await?;
    let answers: Answers = via_json::<_, BTreeMap<String, Answer>>(&body.0.answers)?
        .into_iter()
        .map(|(k, v)| (k.as_str().into(), v))
        .collect();
    // In an anonymous survey the fingerprint stored next to the account must not be a hash of
    // the answers (which anyone holding the responses could recompute), so it covers the path only.
    let fp = if s.settings.anonymous() {
        fingerprint(&req, b"")
    } else {
        fingerprint(&req, serde_json::to_string(&body.0).map_err(ApiError::internal)?.as_bytes())
    };
    let run = || async {
        let out = service(&st).respond(&who.0, org.id, id, &answers, pnyx_domain::now()).await?;
        let status = if out.replaced { StatusCode::OK } else { StatusCode::CREATED };
        let body = serde_json::to_value(my_response(&s, true, Some(&out.response), out.replaced)?)
            .map_err(ApiError::internal)?;
        Ok((status, body))
    };
    idempotent(&st, user, key, fp, run).await
}

/// Get my response
///
/// Whether you answered, and your answers in an identified survey (an anonymous survey keeps
/// only that you took part). Requires: signed in.
#[utoipa::path(
    tag = "surveys", operation_id = "response_get_mine",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The survey")),
    responses(
        (status = 200, description = "Your participation", body = MyResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/surveys/{id}/responses/mine")]
pub async fn response_get_mine(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<MyResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let MyParticipation { participated, response } = service(&st).mine(&who.0, org.id, id).await?;
    let s = service(&st).get(org.id, id).await?;
    Ok(web::Json(my_response(&s, participated, response.as_ref(), false)?))
}

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
    let svc = service(&st);
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
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
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
    let (s, all) = service(&st).export(&who.0, org.id, id).await?;
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

fn join(options: &[pnyx_domain::surveys::OptionId], sep: &str) -> String {
    options.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(sep)
}

/// One answer as a CSV cell. Free text that a spreadsheet would run as a formula is prefixed
/// with `'` (OWASP's CSV-injection advice).
fn cell(a: &Answer) -> String {
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

/// The organisation's surveys with a period of their own, as calendar events (surveys taking a
/// consultation's period appear through the consultation).
///
/// # Errors
/// The database failed.
pub async fn feed_events(
    st: &AppState,
    org: &Organisation,
    lang: Locale,
    base: &str,
    limit: u64,
) -> Result<Vec<icalendar::Event>, ApiError> {
    let text =
        |t: &pnyx_domain::i18n::LocalizedText| t.resolve(lang, org.default_locale).unwrap_or_default().to_owned();
    let page = st.store.surveys(org.id, PageRequest { limit, after: None }).await?;
    Ok(page
        .items
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
        .collect())
}
