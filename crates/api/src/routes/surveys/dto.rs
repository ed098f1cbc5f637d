//! Request and response bodies of surveys: questions and conditions, responses, results.

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::list_response;
use chrono::{DateTime, Utc};
use pnyx_domain::surveys::{
    NewSurvey, ResponsePolicy, Survey, SurveyChanges, SurveyError, SurveyResponse, SurveyStatus, SurveyView,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

#[allow(unused_imports)]
use super::*;

impl From<SurveyError> for ApiError {
    fn from(e: SurveyError) -> Self {
        use SurveyError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound => ApiError::not_found("survey"),
            E::NotOpen(_) => ApiError::conflict(ErrorCode::SurveyNotOpen, e.to_string()),
            E::AlreadyResponded => ApiError::conflict(ErrorCode::AlreadyResponded, e.to_string()),
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
                ApiError::conflict(ErrorCode::SurveyStructureLocked, detail)
            }
            E::SettingsLocked => ApiError::conflict(ErrorCode::SurveySettingsLocked, e.to_string()),
            E::Stale => ApiError::precondition_failed(),
            E::Invalid(fields) => ApiError::validation(
                fields.into_iter().map(|f| FieldError { field: f.field, message: f.message }).collect(),
            ),
            E::Repo(r) => r.into(),
        }
    }
}

/// Converts between a domain type and its mirror in this module (same JSON shape).
pub(crate) fn via_json<T: Serialize, U: DeserializeOwned>(v: &T) -> Result<U, ApiError> {
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
// A request body read once per request: boxing the texts would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum ScaleLabelsDto {
    Ends { low: LocalizedTextDto, high: LocalizedTextDto },
    Each { labels: Vec<LocalizedTextDto> },
}

/// What kind of answer a question takes, with that kind's settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[allow(clippy::large_enum_variant)]
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

pub(crate) fn survey_dto(v: &SurveyView) -> Result<SurveyDetail, ApiError> {
    let (s, effective) = (&v.survey, v.period);
    Ok(SurveyDetail {
        id: s.id.into(),
        title: (&s.title).into(),
        description: (&s.description).into(),
        questions: via_json(&s.definition)?,
        policy: s.settings.policy().into(),
        anonymous: s.settings.anonymous(),
        opens_at: s.period.map(|p| p.opens_at()),
        closes_at: s.period.map(|p| p.closes_at()),
        effective_opens_at: effective.map(|p| p.opens_at()),
        effective_closes_at: effective.map(|p| p.closes_at()),
        status: v.status.into(),
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

impl TryFrom<CreateSurveyRequest> for NewSurvey {
    type Error = ApiError;
    fn try_from(b: CreateSurveyRequest) -> Result<Self, ApiError> {
        Ok(NewSurvey {
            title: b.title.into(),
            description: b.description.into(),
            questions: via_json(&b.questions)?,
            policy: b.policy.into(),
            anonymous: b.anonymous,
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            results_public: b.results_public,
        })
    }
}

impl TryFrom<UpdateSurveyRequest> for SurveyChanges {
    type Error = ApiError;
    fn try_from(b: UpdateSurveyRequest) -> Result<Self, ApiError> {
        Ok(SurveyChanges {
            title: b.title.map(Into::into),
            description: b.description.map(Into::into),
            questions: b.questions.as_ref().map(via_json).transpose()?,
            policy: b.policy.map(Into::into),
            anonymous: b.anonymous,
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            results_public: b.results_public,
        })
    }
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

pub(crate) fn my_response(
    s: &Survey,
    participated: bool,
    r: Option<&SurveyResponse>,
    replaced: bool,
) -> Result<MyResponse, ApiError> {
    // An anonymous survey shows nothing of the response (this body is also what the idempotency
    // store keeps, next to the account).
    let r = r.filter(|_| !s.settings.anonymous());
    Ok(MyResponse {
        survey_id: s.id.into(),
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
