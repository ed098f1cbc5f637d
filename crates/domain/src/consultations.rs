//! Public consultations: a draft put before residents for a period, the opinions they give, the
//! staff's answers, and the report the municipality publishes afterwards.
//!
//! Status follows from the dates plus one explicit act: planned (before it opens) → open →
//! closed (after it closes) → report_published (once staff publish the report).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{ConsultationId, OrgId, SurveyId, UserId};

use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::i18n::LocalizedText;
use crate::notifications::Notification;
use crate::repo::Store;
use crate::repo::{Page, PageRequest, RepoError, RepoResult};
use crate::version::Version;

/// What is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    DraftAct,
    Plan,
    Budget,
    Strategy,
    Other,
}

impl Subject {
    pub const ALL: [Subject; 5] =
        [Subject::DraftAct, Subject::Plan, Subject::Budget, Subject::Strategy, Subject::Other];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::DraftAct => "draft_act",
            Subject::Plan => "plan",
            Subject::Budget => "budget",
            Subject::Strategy => "strategy",
            Subject::Other => "other",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Where a consultation is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    Open,
    Closed,
    ReportPublished,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::ReportPublished => "report_published",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Status::Planned, Status::Open, Status::Closed, Status::ReportPublished].into_iter().find(|x| x.as_str() == s)
    }
}

/// The period opinions are taken: `opens_at` inclusive, `closes_at` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the consultation must close after it opens")]
pub struct InvalidPeriod;

impl Period {
    /// # Errors
    /// When `closes_at` is not after `opens_at`.
    pub fn new(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<Self, InvalidPeriod> {
        if closes_at > opens_at { Ok(Period { opens_at, closes_at }) } else { Err(InvalidPeriod) }
    }

    #[must_use]
    pub fn opens_at(&self) -> DateTime<Utc> {
        self.opens_at
    }

    #[must_use]
    pub fn closes_at(&self) -> DateTime<Utc> {
        self.closes_at
    }

    /// The status at `now`, given whether the report is out.
    #[must_use]
    pub fn status(&self, report_published: bool, now: DateTime<Utc>) -> Status {
        if report_published {
            Status::ReportPublished
        } else if now < self.opens_at {
            Status::Planned
        } else if now < self.closes_at {
            Status::Open
        } else {
            Status::Closed
        }
    }
}

/// A document attached to a consultation (the draft itself, an explanatory memo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub title: LocalizedText,
    pub url: String,
}

/// A section of the draft that opinions may be about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// A short stable key, e.g. `§3`.
    pub key: String,
    pub title: LocalizedText,
}

/// A consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub id: ConsultationId,
    pub org_id: OrgId,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub body: LocalizedText,
    pub subject: Subject,
    pub documents: Vec<Document>,
    pub sections: Vec<Section>,
    pub period: Period,
    /// Opinions may be given without an account (with an e-mail address).
    pub allow_anonymous: bool,
    /// Opinions are shown to everyone (otherwise to staff only).
    pub opinions_public: bool,
    pub survey_id: Option<SurveyId>,
    /// What the consultation is about, e.g. `("budget", id)`.
    pub about: Option<(String, Uuid)>,
    pub report: Option<Report>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Consultation {
    #[must_use]
    pub fn status(&self, now: DateTime<Utc>) -> Status {
        self.period.status(self.report.is_some(), now)
    }
}

/// What the municipality heard and what it did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub text: LocalizedText,
    pub published_at: DateTime<Utc>,
}

/// Who gave an opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    User {
        id: UserId,
        display_name: String,
    },
    /// Given without an account; the e-mail is shown to staff only.
    Anonymous {
        email: String,
    },
}

/// A resident's opinion, with the staff's answer once given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    pub id: Uuid,
    pub consultation_id: ConsultationId,
    pub author: Author,
    pub section: Option<String>,
    pub text: String,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Hidden by a moderator (kept, shown to staff only).
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

/// Filters of the consultation list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationFilter {
    pub status: Option<Status>,
    pub subject: Option<Subject>,
}

/// Persistence of consultations and opinions.
#[async_trait::async_trait]
pub trait ConsultationRepo: Send + Sync {
    async fn create_consultation(&self, c: &Consultation) -> RepoResult<()>;
    /// Saves if `updated_at` is still `expected` (optimistic concurrency), else `Conflict`.
    async fn update_consultation(&self, c: &Consultation, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn consultation(&self, org_id: OrgId, id: ConsultationId) -> RepoResult<Option<Consultation>>;
    async fn consultations(
        &self,
        org_id: OrgId,
        filter: &ConsultationFilter,
        now: DateTime<Utc>,
        page: PageRequest,
    ) -> RepoResult<Page<Consultation>>;
    async fn add_opinion(&self, o: &Opinion) -> RepoResult<()>;
    async fn opinion(&self, consultation_id: ConsultationId, id: Uuid) -> RepoResult<Option<Opinion>>;
    async fn update_opinion(&self, o: &Opinion) -> RepoResult<()>;
    async fn opinions(
        &self,
        consultation_id: ConsultationId,
        include_hidden: bool,
        page: PageRequest,
    ) -> RepoResult<Page<Opinion>>;
    /// Users who gave an opinion (to notify them of the report).
    async fn opinion_authors(&self, consultation_id: ConsultationId) -> RepoResult<Vec<UserId>>;
}

/// Why a consultation use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsultationError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such consultation")]
    NotFound,
    #[error("no such opinion")]
    OpinionNotFound,
    #[error("opinions are taken only while the consultation is open (it is {0})")]
    NotOpen(&'static str),
    #[error("the report can be published only after the consultation closes")]
    NotClosedYet,
    #[error("the report is already published")]
    ReportAlreadyPublished,
    #[error("this consultation takes opinions from signed-in residents only")]
    AnonymousNotAllowed,
    #[error("an opinion without an account needs an e-mail address")]
    EmailRequired,
    #[error("the draft has no section `{0}`")]
    UnknownSection(String),
    #[error("the consultation was changed by someone else; reload and try again")]
    Stale,
    #[error("the period cannot change once opinions are being taken")]
    PeriodLocked,
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(ConsultationError);

impl From<RepoError> for ConsultationError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => ConsultationError::NotFound,
            other => ConsultationError::Repo(other),
        }
    }
}

/// What staff change on an opinion: the answer (officials), the hidden flag (moderators).
#[derive(Debug, Clone, Default)]
pub struct OpinionChange {
    pub answer: Option<String>,
    pub hidden: Option<bool>,
}

/// An opinion as submitted.
#[derive(Debug, Clone)]
pub struct SubmitOpinion {
    pub section: Option<String>,
    pub text: String,
    /// Required when the caller is anonymous.
    pub email: Option<crate::accounts::Email>,
}

/// The consultation use cases; each decides authorization first.
pub struct ConsultationService {
    repo: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl ConsultationService {
    #[must_use]
    pub fn new(repo: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ConsultationService { repo, clock }
    }

    /// A page of the organisation's consultations, filtered by derived status and subject.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip(self, filter))]
    pub async fn list(
        &self,
        org_id: OrgId,
        filter: &ConsultationFilter,
        page: PageRequest,
    ) -> Result<(Page<Consultation>, DateTime<Utc>), ConsultationError> {
        let now = self.clock.now();
        Ok((self.repo.consultations(org_id, filter, now, page).await?, now))
    }

    /// The time the service's rules use now (to derive statuses in responses).
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
    /// # Errors
    /// Not found (also for another organisation's id).
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn get(&self, org_id: OrgId, id: ConsultationId) -> Result<Consultation, ConsultationError> {
        self.repo.consultation(org_id, id).await?.ok_or(ConsultationError::NotFound)
    }

    /// # Errors
    /// Forbidden unless admin or official.
    #[tracing::instrument(skip_all)]
    pub async fn create(&self, caller: &Caller, c: Consultation) -> Result<Consultation, ConsultationError> {
        caller.authorize(c.org_id, Action::WriteContent)?;
        self.repo.create_consultation(&c).await?;
        Ok(c)
    }

    /// Applies `edit` if the version still matches. The period cannot move once open.
    ///
    /// # Errors
    /// Not found, forbidden, stale, period locked.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        expected: Option<DateTime<Utc>>,
        edit: impl FnOnce(&mut Consultation),
    ) -> Result<Consultation, ConsultationError> {
        let now = self.clock.now();
        let mut c = self.get(org_id, id).await?;
        caller.authorize(org_id, Action::WriteContent)?;
        Version::check(expected, c.updated_at)?;
        let before = c.clone();
        edit(&mut c);
        if c.period != before.period && before.status(now) != Status::Planned {
            return Err(ConsultationError::PeriodLocked);
        }
        c.updated_at = Version::next_after(before.updated_at, now);
        self.repo.update_consultation(&c, before.updated_at).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ConsultationError::Stale,
            other => other.into(),
        })?;
        Ok(c)
    }

    /// Publishes the report and notifies every signed-in resident who gave an opinion.
    ///
    /// # Errors
    /// Forbidden; not closed yet; already published.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn publish_report(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        text: LocalizedText,
    ) -> Result<Consultation, ConsultationError> {
        let now = self.clock.now();
        let mut c = self.get(org_id, id).await?;
        caller.authorize(org_id, Action::WriteContent)?;
        match c.status(now) {
            Status::Planned | Status::Open => return Err(ConsultationError::NotClosedYet),
            Status::ReportPublished => return Err(ConsultationError::ReportAlreadyPublished),
            Status::Closed => {}
        }
        let previous = c.updated_at;
        c.report = Some(Report { text, published_at: now });
        c.updated_at = Version::next_after(previous, now);
        // The report and its notices are one unit of work: published with every notice, or not at all.
        let tx = self.repo.begin().await?;
        tx.update_consultation(&c, previous).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ConsultationError::Stale,
            other => other.into(),
        })?;
        let payload = serde_json::json!({"consultation_id": c.id, "title": c.title});
        let notes: Vec<Notification> = tx
            .opinion_authors(c.id)
            .await?
            .into_iter()
            .map(|u| Notification::new(u, Some(org_id), "consultation.report_published", payload.clone(), now))
            .collect();
        tx.notify(&notes).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Takes an opinion while the consultation is open.
    ///
    /// # Errors
    /// Not open (409); anonymous where not allowed; unknown section.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn submit_opinion(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        cmd: SubmitOpinion,
    ) -> Result<Opinion, ConsultationError> {
        let now = self.clock.now();
        let c = self.get(org_id, id).await?;
        let status = c.status(now);
        if status != Status::Open {
            return Err(ConsultationError::NotOpen(status.as_str()));
        }
        let author = match caller {
            Caller::User(_) => {
                let p = caller.authorize(org_id, Action::Participate)?;
                let display_name = self.repo.user_by_id(p.user_id).await?.map(|u| u.display_name).unwrap_or_default();
                Author::User { id: p.user_id, display_name }
            }
            Caller::Anonymous => {
                if !c.allow_anonymous {
                    return Err(ConsultationError::AnonymousNotAllowed);
                }
                let email = cmd.email.ok_or(ConsultationError::EmailRequired)?;
                Author::Anonymous { email: email.as_str().to_owned() }
            }
        };
        if let Some(s) = &cmd.section
            && !c.sections.iter().any(|x| &x.key == s)
        {
            return Err(ConsultationError::UnknownSection(s.clone()));
        }
        let o = Opinion {
            id: Uuid::now_v7(),
            consultation_id: c.id,
            author,
            section: cmd.section,
            text: cmd.text,
            answer: None,
            answered_at: None,
            hidden: false,
            created_at: now,
        };
        self.repo.add_opinion(&o).await?;
        Ok(o)
    }

    /// Opinions as the caller may see them: everyone sees public ones (not hidden), staff all.
    ///
    /// # Errors
    /// Forbidden for non-staff when opinions are staff-only.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn opinions(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        page: PageRequest,
    ) -> Result<(Page<Opinion>, bool), ConsultationError> {
        let c = self.get(org_id, id).await?;
        let staff = caller.is_staff_of(org_id);
        if !c.opinions_public && !staff {
            return Err(match caller {
                Caller::Anonymous => AuthzError::Unauthenticated.into(),
                Caller::User(_) => AuthzError::Forbidden.into(),
            });
        }
        Ok((self.repo.opinions(c.id, staff, page).await?, staff))
    }

    /// Staff answer an opinion (or change the answer); moderators may hide or restore it.
    ///
    /// # Errors
    /// Forbidden; not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn respond(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        opinion_id: Uuid,
        change: OpinionChange,
    ) -> Result<Opinion, ConsultationError> {
        let now = self.clock.now();
        let OpinionChange { answer, hidden } = change;
        let c = self.get(org_id, id).await?;
        if answer.is_some() {
            caller.authorize(org_id, Action::WriteContent)?;
        }
        if hidden.is_some() {
            caller.authorize(org_id, Action::Moderate)?;
        }
        if answer.is_none() && hidden.is_none() {
            caller.authorize(org_id, Action::SeeStaffView)?;
        }
        let mut o = self.repo.opinion(c.id, opinion_id).await?.ok_or(ConsultationError::OpinionNotFound)?;
        if let Some(a) = answer {
            o.answer = Some(a);
            o.answered_at = Some(now);
        }
        if let Some(h) = hidden {
            o.hidden = h;
        }
        self.repo.update_opinion(&o).await?;
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn status_follows_the_dates_and_the_report() {
        let p = Period::new(t("2026-03-01T00:00:00Z"), t("2026-03-31T00:00:00Z")).unwrap();
        assert_eq!(p.status(false, t("2026-02-28T23:59:59Z")), Status::Planned);
        assert_eq!(p.status(false, t("2026-03-01T00:00:00Z")), Status::Open, "opens_at is inclusive");
        assert_eq!(p.status(false, t("2026-03-30T23:59:59Z")), Status::Open);
        assert_eq!(p.status(false, t("2026-03-31T00:00:00Z")), Status::Closed, "closes_at is exclusive");
        assert_eq!(p.status(true, t("2026-04-10T00:00:00Z")), Status::ReportPublished);
    }

    #[test]
    fn a_period_must_close_after_it_opens() {
        assert_eq!(Period::new(t("2026-03-01T00:00:00Z"), t("2026-03-01T00:00:00Z")), Err(InvalidPeriod));
        assert_eq!(Period::new(t("2026-03-02T00:00:00Z"), t("2026-03-01T00:00:00Z")), Err(InvalidPeriod));
    }

    #[test]
    fn subjects_and_statuses_round_trip_through_their_names() {
        for s in Subject::ALL {
            assert_eq!(Subject::parse(s.as_str()), Some(s));
        }
        for s in [Status::Planned, Status::Open, Status::Closed, Status::ReportPublished] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Subject::parse("referendum"), None);
    }
}
