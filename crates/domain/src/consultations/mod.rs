//! Public consultations: a draft put before residents for a period, the opinions they give, the
//! staff's answers, and the report the municipality publishes afterwards.
//!
//! Status follows from the dates plus one explicit act: planned (before it opens) → open →
//! closed (after it closes) → report_published (once staff publish the report).

pub mod openings;
mod service;

pub use service::{
    ConsultationChanges, ConsultationService, ConsultationView, NewConsultation, OpinionChange, SubmitOpinion,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{ConsultationId, OrgId, SurveyId, UserId};

use crate::auth::AuthzError;
use crate::i18n::LocalizedText;
use crate::repo::{Page, PageRequest, RepoError, RepoResult};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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

/// Filters of the consultation list, as the API takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationQuery {
    pub status: Option<Status>,
    pub subject: Option<Subject>,
    /// Full-text `?q=`.
    pub text: Option<String>,
    /// `created_at` (default), `-created_at` (newest first), `closes_at` (closing soonest first)
    /// or `-closes_at`.
    pub sort: Option<String>,
}

/// The order of the consultation list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConsultationOrder {
    /// Oldest first.
    #[default]
    Created,
    Newest,
    ClosingSoonest,
    ClosingLatest,
}

impl ConsultationOrder {
    /// # Errors
    /// [`ConsultationError::Invalid`] naming `sort` for an unknown order.
    pub fn parse(sort: Option<&str>) -> Result<Self, ConsultationError> {
        Ok(match sort {
            None | Some("created_at") => ConsultationOrder::Created,
            Some("-created_at") => ConsultationOrder::Newest,
            Some("closes_at") => ConsultationOrder::ClosingSoonest,
            Some("-closes_at") => ConsultationOrder::ClosingLatest,
            Some(_) => {
                return Err(ConsultationError::Invalid {
                    field: "sort".into(),
                    message: "must be created_at or closes_at, with - for descending".into(),
                });
            }
        })
    }
}

/// Filters of the consultation list, as the repository applies them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationFilter {
    pub status: Option<Status>,
    pub subject: Option<Subject>,
    /// Only these consultations (a full-text `?q=`).
    pub only: Option<std::collections::HashSet<Uuid>>,
    pub order: ConsultationOrder,
}

/// Persistence of consultations and opinions.
#[async_trait::async_trait]
pub trait ConsultationRepo: Send + Sync {
    async fn create_consultation(&self, c: &Consultation) -> RepoResult<()>;
    /// Saves if `updated_at` is still `expected` (optimistic concurrency), else `Conflict`.
    async fn update_consultation(&self, c: &Consultation, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn consultation(&self, org_id: OrgId, id: ConsultationId) -> RepoResult<Option<Consultation>>;
    /// [`Self::consultation`] with its visible comments counted in the same statement.
    async fn consultation_counted(&self, org_id: OrgId, id: ConsultationId) -> RepoResult<Option<(Consultation, u64)>>;
    /// A page of consultations, each with its visible comments counted, in one statement.
    async fn consultations(
        &self,
        org_id: OrgId,
        filter: &ConsultationFilter,
        now: DateTime<Utc>,
        page: PageRequest,
    ) -> RepoResult<Page<(Consultation, u64)>>;
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
    /// Consultations open at `now` whose opening was not announced yet, earliest opening first,
    /// at most `limit`.
    async fn unannounced_openings(&self, now: DateTime<Utc>, limit: u64) -> RepoResult<Vec<Consultation>>;
    /// Records that the opening was announced, unless it was (by this or another server);
    /// `false` then.
    async fn announce_opening(&self, id: ConsultationId, now: DateTime<Utc>) -> RepoResult<bool>;
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
    /// A field breaks a rule: its path in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
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
