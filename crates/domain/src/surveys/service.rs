//! The survey use cases: staff create and edit surveys, signed-in residents respond while a
//! survey is open, and results and exports go to those allowed to see them. Each use case
//! decides authorization first.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::answers::{AnswerError, Answers, validate_response};
use super::changes::{NewSurvey, SurveyChanges};
use super::records::{Participation, Survey, SurveyResponse};
use super::results::{SurveyResults, Tally};
use super::rules::{DefinitionChange, StructuralChange, Submission, SurveyChangeError, check_change, classify_change};
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use crate::audit::Audit;
use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::consultations::Period;
use crate::ids::{OrgId, SurveyId, UserId};
use crate::org::{InvalidField, Organisation};
use crate::repo::{Page, PageRequest, RepoError, Store};
use crate::version::Version;

/// Responses are read this many at a time to export them.
const BATCH: u64 = 5_000;

/// Where a survey is, derived from its period (its own or its consultation's) and the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// No period of its own and no consultation links it: it takes no responses.
    Unscheduled,
    Planned,
    Open,
    Closed,
}

impl SurveyStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Unscheduled => "unscheduled",
            SurveyStatus::Planned => "planned",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }

    /// The status within `period` (opens inclusive, closes exclusive) at `now`.
    #[must_use]
    pub fn of(period: Option<Period>, now: DateTime<Utc>) -> Self {
        match period {
            None => SurveyStatus::Unscheduled,
            Some(p) if now < p.opens_at() => SurveyStatus::Planned,
            Some(p) if now < p.closes_at() => SurveyStatus::Open,
            Some(_) => SurveyStatus::Closed,
        }
    }
}

/// Why a survey use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such survey")]
    NotFound,
    #[error("responses are taken only while the survey is open (it is {0})")]
    NotOpen(&'static str),
    #[error("you have already answered this survey")]
    AlreadyResponded,
    #[error("the response has invalid answers")]
    InvalidAnswers(Vec<AnswerError>),
    #[error("the survey has {responses} responses: only texts and labels may change")]
    StructureLocked { responses: u64, changes: Vec<StructuralChange> },
    #[error("the survey has responses: whether it is anonymous and its response policy cannot change")]
    SettingsLocked,
    #[error("the survey was changed by someone else; reload and try again")]
    Stale,
    /// Fields that break a rule, each with its path in the request and what is wrong.
    #[error("the survey has invalid fields")]
    Invalid(Vec<InvalidField>),
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(SurveyError);

impl From<RepoError> for SurveyError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => SurveyError::NotFound,
            other => SurveyError::Repo(other),
        }
    }
}

impl From<SurveyChangeError> for SurveyError {
    fn from(e: SurveyChangeError) -> Self {
        match e {
            SurveyChangeError::StructureLocked { responses, changes } => {
                SurveyError::StructureLocked { responses, changes }
            }
        }
    }
}

/// A response taken: the survey, what was stored, and whether it replaced an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseOutcome {
    pub survey: Survey,
    pub response: SurveyResponse,
    pub replaced: bool,
}

/// What the caller sees of their own participation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyParticipation {
    pub participated: bool,
    /// Their response in an identified survey; always `None` in an anonymous one.
    pub response: Option<SurveyResponse>,
}

/// What a survey's results are computed from, all read from the survey's row: its id, its
/// version (its `updated_at`) and the version of its responses (raised with every change of
/// them, in the same transaction). Results computed after reading a key count at least what it
/// describes, and any later change of the responses changes the key, so results may be cached
/// by key and a cached entry is never older than its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResultsKey {
    pub survey_id: SurveyId,
    pub version: DateTime<Utc>,
    pub responses_version: u64,
}

impl ResultsKey {
    #[must_use]
    pub fn of(s: &Survey) -> Self {
        ResultsKey { survey_id: s.id, version: s.updated_at, responses_version: s.responses_version }
    }
}

/// A survey with what is derived from it now: the period responses are taken in (its own, else
/// its consultation's) and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyView {
    pub survey: Survey,
    pub period: Option<Period>,
    pub status: SurveyStatus,
}

/// The survey use cases.
pub struct SurveyService {
    repo: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    results_cache: Cache<ResultsKey, Arc<SurveyResults>>,
}

/// Bytes of computed results kept in memory (estimated, see [`weight`]); the entries used least
/// go first when it is full.
const RESULTS_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// An entry not read for this long goes: a survey's older keys are never read again.
const RESULTS_CACHE_IDLE: Duration = Duration::from_secs(60 * 60);

/// The approximate bytes `r` holds: its questions and options, and its free texts.
fn weight(_: &ResultsKey, r: &Arc<SurveyResults>) -> u32 {
    use super::results::Summary;
    let mut bytes = 64usize;
    for q in &r.questions {
        bytes += 96
            + match &q.summary {
                Summary::SingleChoice { options } | Summary::MultipleChoice { options } => options.len() * 48,
                Summary::ShortText { texts } | Summary::LongText { texts } => {
                    texts.iter().map(|t| t.len() + 24).sum::<usize>()
                }
                Summary::Number { .. } => 64,
                Summary::Scale { points, .. } => 64 + points.len() * 32,
                Summary::Ranking { options } => options.iter().map(|o| 48 + o.rank_counts.len() * 8).sum::<usize>(),
            };
    }
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

impl SurveyService {
    #[must_use]
    pub fn new(repo: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        let results_cache =
            Cache::builder().max_capacity(RESULTS_CACHE_BYTES).weigher(weight).time_to_idle(RESULTS_CACHE_IDLE).build();
        SurveyService { repo, clock, results_cache }
    }

    /// A survey as the public sees it (surveys are public).
    ///
    /// # Errors
    /// Not found (also for another organisation's id).
    #[tracing::instrument(skip(self))]
    pub async fn view(&self, org_id: OrgId, id: SurveyId) -> Result<SurveyView, SurveyError> {
        let (survey, period) = self.repo.survey_in_period(org_id, id).await?.ok_or(SurveyError::NotFound)?;
        Ok(SurveyView { status: SurveyStatus::of(period, self.clock.now()), period, survey })
    }

    async fn view_of(&self, survey: Survey) -> Result<SurveyView, SurveyError> {
        let period = self.period(&survey).await?;
        Ok(SurveyView { status: SurveyStatus::of(period, self.clock.now()), period, survey })
    }

    /// The organisation's surveys, oldest first; those matching a full-text `?q=` when given.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip(self))]
    pub async fn list(
        &self,
        org_id: OrgId,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<SurveyView>, SurveyError> {
        let only = crate::search::list_matches(self.repo.as_ref(), org_id, crate::search::Kind::Survey, text, |m| {
            SurveyError::Invalid(vec![InvalidField { field: "q".into(), message: m }])
        })
        .await?;
        let now = self.clock.now();
        Ok(self.repo.surveys(org_id, only.as_ref(), page).await?.map(|(survey, period)| SurveyView {
            status: SurveyStatus::of(period, now),
            period,
            survey,
        }))
    }

    /// Up to `limit` of the organisation's surveys that have a period of their own (for the
    /// calendar feed; the others appear through their consultation).
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn scheduled(&self, org_id: OrgId, limit: u64) -> Result<Vec<Survey>, SurveyError> {
        let page = self.repo.surveys(org_id, None, PageRequest { limit, after: None }).await?;
        Ok(page.items.into_iter().map(|(s, _)| s).filter(|s| s.period.is_some()).collect())
    }

    /// # Errors
    /// Not found (also for another organisation's id).
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn get(&self, org_id: OrgId, id: SurveyId) -> Result<Survey, SurveyError> {
        self.repo.survey(org_id, id).await?.ok_or(SurveyError::NotFound)
    }

    /// The period responses are taken in: the survey's own, else its consultation's.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn period(&self, s: &Survey) -> Result<Option<Period>, SurveyError> {
        match s.period {
            Some(p) => Ok(Some(p)),
            None => Ok(self.repo.survey_in_period(s.org_id, s.id).await?.and_then(|(_, p)| p)),
        }
    }

    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all)]
    pub async fn status(&self, s: &Survey) -> Result<SurveyStatus, SurveyError> {
        let now = self.clock.now();
        Ok(SurveyStatus::of(self.period(s).await?, now))
    }

    /// Creates a survey.
    ///
    /// # Errors
    /// Forbidden unless admin or official; invalid fields (see [`NewSurvey::check`]).
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create(&self, caller: &Caller, org: &Organisation, n: NewSurvey) -> Result<SurveyView, SurveyError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let now = self.clock.now();
        let s = n.check(org, now)?;
        let tx = self.repo.begin().await?;
        tx.create_survey(&s).await?;
        Audit::new(org.id, actor, "survey.created", ("survey", s.id), now).created(&s).record(&*tx).await?;
        tx.commit().await?;
        self.view_of(s).await
    }

    /// Applies `changes` if the version is still `expected` (when given). Once a survey has
    /// responses only texts may change: its questions' structure and its response settings are
    /// locked.
    ///
    /// # Errors
    /// Forbidden, not found, stale, invalid fields, structure or settings locked.
    #[tracing::instrument(skip_all, fields(org = %org.id, id = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: SurveyId,
        expected: Option<DateTime<Utc>>,
        changes: SurveyChanges,
    ) -> Result<SurveyView, SurveyError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let now = self.clock.now();
        let mut s = self.get(org.id, id).await?;
        let before = s.clone();
        // Invalid changes are refused as such (422) whatever version they name; then the version.
        changes.apply(&mut s, org)?;
        Version::check(expected, before.updated_at)?;
        let structural =
            matches!(classify_change(&before.definition, &s.definition), DefinitionChange::Structural { .. });
        let settings_changed = s.settings != before.settings;
        if structural || settings_changed {
            let responses = self.repo.count_responses(id).await?;
            check_change(&before.definition, &s.definition, responses)?;
            if settings_changed && responses > 0 {
                return Err(SurveyError::SettingsLocked);
            }
        }
        s.updated_at = Version::next_after(before.updated_at, now);
        // The repository re-checks "no responses" in its transaction for structural changes, so a
        // response arriving meanwhile cannot be orphaned.
        let tx = self.repo.begin().await?;
        tx.update_survey(&s, before.updated_at, structural || settings_changed).await.map_err(|e| match e {
            RepoError::Conflict { field, .. } if field == "questions" => {
                SurveyError::StructureLocked { responses: 1, changes: Vec::new() }
            }
            RepoError::Conflict { .. } => SurveyError::Stale,
            other => other.into(),
        })?;
        Audit::new(org.id, actor, "survey.updated", ("survey", s.id), now).updated(&before, &s).record(&*tx).await?;
        tx.commit().await?;
        self.view_of(s).await
    }

    /// Takes a signed-in resident's response while the survey is open: validated against the
    /// questions, then stored, or under the replace policy replacing their earlier one. At most
    /// one response per resident, guaranteed by the repository's unique participation.
    ///
    /// # Errors
    /// Unauthenticated; not found; not open (409); invalid answers (422); already responded.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn respond(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: SurveyId,
        answers: &Answers,
    ) -> Result<ResponseOutcome, SurveyError> {
        let user_id = caller.authorize(org_id, Action::Participate)?.user_id;
        // A survey edited between validation and storage: validate again against the new version.
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.try_respond(user_id, org_id, id, answers).await {
                Err(SurveyError::Repo(RepoError::Conflict { field, .. })) if field == "survey" && attempts < 3 => {}
                other => return other,
            }
        }
    }

    async fn try_respond(
        &self,
        user_id: UserId,
        org_id: OrgId,
        id: SurveyId,
        answers: &Answers,
    ) -> Result<ResponseOutcome, SurveyError> {
        let now = self.clock.now();
        // The survey and the period it takes responses in, in one statement.
        let (s, period) = self.repo.survey_in_period(org_id, id).await?.ok_or(SurveyError::NotFound)?;
        let status = SurveyStatus::of(period, now);
        if status != SurveyStatus::Open {
            return Err(SurveyError::NotOpen(status.as_str()));
        }
        let valid = validate_response(&s.definition, answers).map_err(SurveyError::InvalidAnswers)?;
        let already = self.repo.has_participated(s.id, user_id).await?;
        let submission = s.settings.on_submit(already).map_err(|_| SurveyError::AlreadyResponded)?;
        let response = if s.settings.anonymous() {
            SurveyResponse::anonymous(s.id, valid, now)
        } else {
            SurveyResponse::identified(s.id, user_id, valid, now)
        };
        if submission == Submission::Replace {
            return self.replace(s, response).await;
        }
        // In an anonymous survey the participation is dated by its day only, like the response,
        // so that no two times can be matched.
        let at = if s.settings.anonymous() { response.submitted_at } else { now };
        let participation = Participation { survey_id: s.id, user_id, at };
        match self.repo.add_response(&participation, &response, s.updated_at).await {
            Ok(()) => Ok(ResponseOutcome { survey: s, response, replaced: false }),
            Err(RepoError::Conflict { field, message }) if field == "survey" => {
                Err(SurveyError::Repo(RepoError::Conflict { field, message }))
            }
            // The same resident answering twice at once: the unique participation kept one.
            Err(RepoError::Conflict { .. }) => match s.settings.on_submit(true) {
                Ok(_) => self.replace(s, response).await,
                Err(_) => Err(SurveyError::AlreadyResponded),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn replace(&self, survey: Survey, response: SurveyResponse) -> Result<ResponseOutcome, SurveyError> {
        self.repo.replace_response(&response).await?;
        let user_id = response.respondent.ok_or(SurveyError::AlreadyResponded)?;
        let stored = self.repo.response_of(response.survey_id, user_id).await?.unwrap_or(response);
        Ok(ResponseOutcome { survey, response: stored, replaced: true })
    }

    /// Whether the caller answered, and their answers where the survey is identified.
    ///
    /// # Errors
    /// Unauthenticated; not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn mine(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: SurveyId,
    ) -> Result<(Survey, MyParticipation), SurveyError> {
        let user_id = caller.principal().ok_or(AuthzError::Unauthenticated)?.user_id;
        let s = self.get(org_id, id).await?;
        let participated = self.repo.has_participated(s.id, user_id).await?;
        let response =
            if participated && !s.settings.anonymous() { self.repo.response_of(s.id, user_id).await? } else { None };
        Ok((s, MyParticipation { participated, response }))
    }

    /// The aggregated results: for staff, and for everyone once `results_public`. Cached, in a
    /// bounded cache, by what they are computed from (see [`ResultsKey`], read with the survey
    /// itself), so an entry is never stale; concurrent readers of a key not cached yet wait for
    /// one computation rather than each tallying every response.
    ///
    /// # Errors
    /// Not found; unauthenticated or forbidden while results are staff-only.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn results(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: SurveyId,
    ) -> Result<Arc<SurveyResults>, SurveyError> {
        let s = self.readable_results(caller, org_id, id).await?;
        // The key is read (with the survey) before computing: results computed afterwards
        // include at least what it describes, and a later change of the responses changes it.
        let compute = async {
            let mut tally = Tally::new(&s.definition);
            self.repo.tally_responses(s.id, &mut tally).await?;
            Ok::<_, SurveyError>(Arc::new(tally.finish()))
        };
        self.results_cache.try_get_with(ResultsKey::of(&s), compute).await.map_err(|e| (*e).clone())
    }

    async fn readable_results(&self, caller: &Caller, org_id: OrgId, id: SurveyId) -> Result<Survey, SurveyError> {
        let s = self.get(org_id, id).await?;
        if !s.results_public {
            staff_only(caller, org_id)?;
        }
        Ok(s)
    }

    /// Every response, for the staff's export. Anonymous responses carry no account.
    ///
    /// # Errors
    /// Not found; unauthenticated or forbidden unless staff.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn export(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: SurveyId,
    ) -> Result<(Survey, Vec<SurveyResponse>), SurveyError> {
        let s = self.get(org_id, id).await?;
        staff_only(caller, org_id)?;
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.repo.responses(s.id, PageRequest { limit: BATCH, after }).await?;
            all.extend(page.items);
            match page.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        Ok((s, all))
    }
}

fn staff_only(caller: &Caller, org_id: OrgId) -> Result<(), AuthzError> {
    match caller {
        Caller::Anonymous => Err(AuthzError::Unauthenticated),
        Caller::User(_) if caller.is_staff_of(org_id) => Ok(()),
        Caller::User(_) => Err(AuthzError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_status_follows_the_period_opening_inclusive_and_closing_exclusive() {
        let at = |d| Utc.with_ymd_and_hms(2026, 3, d, 0, 0, 0).unwrap();
        let p = Period::new(at(1), at(31)).unwrap();
        assert_eq!(SurveyStatus::of(None, at(5)), SurveyStatus::Unscheduled);
        assert_eq!(SurveyStatus::of(Some(p), at(1) - chrono::Duration::microseconds(1)), SurveyStatus::Planned);
        assert_eq!(SurveyStatus::of(Some(p), at(1)), SurveyStatus::Open);
        assert_eq!(SurveyStatus::of(Some(p), at(31) - chrono::Duration::microseconds(1)), SurveyStatus::Open);
        assert_eq!(SurveyStatus::of(Some(p), at(31)), SurveyStatus::Closed);
    }

    #[test]
    fn only_staff_see_staff_only_results() {
        let org = OrgId::new_v7();
        assert_eq!(staff_only(&Caller::Anonymous, org), Err(AuthzError::Unauthenticated));
        let resident = Caller::User(crate::auth::Principal {
            user_id: UserId::new_v7(),
            platform_admin: false,
            memberships: std::collections::HashMap::new(),
            scope: crate::auth::Scope::Act,
            email_verified: true,
        });
        assert_eq!(staff_only(&resident, org), Err(AuthzError::Forbidden));
    }
}
