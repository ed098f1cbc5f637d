//! Surveys and responses as stored, and the repository port.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ids::{OrgId, SurveyId, UserId};

use super::answers::ValidAnswers;
use super::definition::SurveyDefinition;
use super::results::Tally;
use super::rules::ResponseSettings;
use crate::consultations::Period;
use crate::i18n::LocalizedText;
use crate::repo::{Page, PageRequest, RepoResult};

/// A survey of one organisation (possibly attached to a consultation, which holds its id).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Survey {
    pub id: SurveyId,
    pub org_id: OrgId,
    pub title: LocalizedText,
    pub description: LocalizedText,
    /// Stored as the JSON array of its questions.
    pub definition: SurveyDefinition,
    pub settings: ResponseSettings,
    /// Its own period; `None` when it takes the period of the consultation that links it (by the
    /// consultation's `survey_id`), or, with no such consultation, is not scheduled yet.
    pub period: Option<Period>,
    /// Results are shown to everyone (otherwise to staff only).
    pub results_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by one, in the same transaction, by every write that changes the survey's set of
    /// responses or their answers; with `updated_at` it identifies what results are computed
    /// from. Kept by the repository: saving the survey never writes it. Not part of the
    /// survey's content (left out of audit entries).
    #[serde(skip)]
    pub responses_version: u64,
}

/// One resident's answers to a survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResponse {
    pub id: Uuid,
    pub survey_id: SurveyId,
    /// The account that answered; `None` in an anonymous survey.
    pub respondent: Option<UserId>,
    pub answers: ValidAnswers,
    /// In an anonymous survey, midnight UTC of the day it was given.
    pub submitted_at: DateTime<Utc>,
}

impl SurveyResponse {
    /// A response linked to its account, with a time-ordered id.
    #[must_use]
    pub fn identified(survey_id: SurveyId, user_id: UserId, answers: ValidAnswers, now: DateTime<Utc>) -> Self {
        SurveyResponse { id: Uuid::now_v7(), survey_id, respondent: Some(user_id), answers, submitted_at: now }
    }

    /// A response with nothing that links it to its account or to the moment its participation
    /// was recorded: a random id and the date only.
    #[must_use]
    pub fn anonymous(survey_id: SurveyId, answers: ValidAnswers, now: DateTime<Utc>) -> Self {
        let day = crate::clock::day_of(now);
        SurveyResponse { id: Uuid::new_v4(), survey_id, respondent: None, answers, submitted_at: day }
    }
}

/// That an account answered a survey: recorded for every response, and for an anonymous survey
/// the only trace of who answered. At most one per survey and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub survey_id: SurveyId,
    pub user_id: UserId,
    pub at: DateTime<Utc>,
}

/// Persistence of surveys and responses.
///
/// Anonymity is kept here: for an anonymous survey the response row has no account column set,
/// and the participation row holds no response id; the two are written in one transaction but
/// nothing ties one to the other.
#[async_trait::async_trait]
pub trait SurveyRepo: Send + Sync {
    async fn create_survey(&self, s: &Survey) -> RepoResult<()>;
    /// Saves if `updated_at` is still `expected`, else `Conflict`. When `structure_changed`, it
    /// also fails with `Conflict { field: "questions" }` if any response exists, checked in the
    /// same transaction so a response arriving meanwhile cannot be orphaned.
    async fn update_survey(&self, s: &Survey, expected: DateTime<Utc>, structure_changed: bool) -> RepoResult<()>;
    async fn survey(&self, org_id: OrgId, id: SurveyId) -> RepoResult<Option<Survey>>;
    /// [`Self::survey`] with the period it takes responses in: its own, else that of the oldest
    /// consultation of `org_id` whose `survey_id` is this survey, in one statement.
    async fn survey_in_period(&self, org_id: OrgId, id: SurveyId) -> RepoResult<Option<(Survey, Option<Period>)>>;
    /// Oldest first; only those in `only` when given (a full-text `?q=`); each with the period
    /// it takes responses in (as [`Self::survey_in_period`]), in one statement.
    async fn surveys(
        &self,
        org_id: OrgId,
        only: Option<&std::collections::HashSet<uuid::Uuid>>,
        page: PageRequest,
    ) -> RepoResult<Page<(Survey, Option<Period>)>>;

    /// Stores a first response with its participation record and raises the survey's
    /// `responses_version`, atomically; `Conflict` when the
    /// account has already participated (a unique survey and account pair), and
    /// `Conflict { field: "survey" }` when the survey's `updated_at` is no longer
    /// `survey_version` (the answers were validated against a definition since replaced).
    async fn add_response(
        &self,
        participation: &Participation,
        response: &SurveyResponse,
        survey_version: DateTime<Utc>,
    ) -> RepoResult<()>;
    /// Replaces the answers and time of the identified response of `response.respondent` and
    /// raises the survey's `responses_version`, atomically; `NotFound` when there is none.
    async fn replace_response(&self, response: &SurveyResponse) -> RepoResult<()>;
    async fn has_participated(&self, survey_id: SurveyId, user_id: UserId) -> RepoResult<bool>;
    /// The account's own response in an identified survey; `None` in an anonymous one.
    async fn response_of(&self, survey_id: SurveyId, user_id: UserId) -> RepoResult<Option<SurveyResponse>>;
    async fn count_responses(&self, survey_id: SurveyId) -> RepoResult<u64>;
    /// Responses in id order, a page at a time, for an export.
    async fn responses(&self, survey_id: SurveyId, page: PageRequest) -> RepoResult<Page<SurveyResponse>>;
    /// Feeds every response's answers to `tally` in id order, reading them as they come rather
    /// than holding them all.
    async fn tally_responses(&self, survey_id: SurveyId, tally: &mut Tally<'_>) -> RepoResult<()>;
}
