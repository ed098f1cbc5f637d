//! Request and response bodies of consultations and opinions.

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, ErrorCode};
use crate::list_response;
use chrono::{DateTime, Utc};
use pnyx_domain::consultations::{
    Author, ConsultationChanges, ConsultationError, ConsultationView, Document, NewConsultation, Opinion, Section,
    Status, Subject,
};
use pnyx_domain::ids::SurveyId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[allow(unused_imports)]
use super::*;

impl From<ConsultationError> for ApiError {
    fn from(e: ConsultationError) -> Self {
        use ConsultationError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound => ApiError::not_found("consultation"),
            E::OpinionNotFound => ApiError::not_found("opinion"),
            E::NotOpen(_) => ApiError::conflict(ErrorCode::ConsultationNotOpen, e.to_string()),
            E::NotClosedYet => ApiError::conflict(ErrorCode::ConsultationNotClosed, e.to_string()),
            E::ReportAlreadyPublished => ApiError::conflict(ErrorCode::ReportAlreadyPublished, e.to_string()),
            E::AnonymousNotAllowed => ApiError::unauthorized(e.to_string()),
            E::EmailRequired => ApiError::field("email", e.to_string()),
            E::UnknownSection(_) => ApiError::field("section", e.to_string()),
            E::Stale => ApiError::precondition_failed(),
            E::PeriodLocked => ApiError::conflict(ErrorCode::PeriodLocked, e.to_string()),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Repo(r) => r.into(),
        }
    }
}

/// What a consultation is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectDto {
    DraftAct,
    Plan,
    Budget,
    Strategy,
    Other,
}

impl From<SubjectDto> for Subject {
    fn from(s: SubjectDto) -> Self {
        match s {
            SubjectDto::DraftAct => Subject::DraftAct,
            SubjectDto::Plan => Subject::Plan,
            SubjectDto::Budget => Subject::Budget,
            SubjectDto::Strategy => Subject::Strategy,
            SubjectDto::Other => Subject::Other,
        }
    }
}

impl From<Subject> for SubjectDto {
    fn from(s: Subject) -> Self {
        match s {
            Subject::DraftAct => SubjectDto::DraftAct,
            Subject::Plan => SubjectDto::Plan,
            Subject::Budget => SubjectDto::Budget,
            Subject::Strategy => SubjectDto::Strategy,
            Subject::Other => SubjectDto::Other,
        }
    }
}

/// Where a consultation is: derived from its dates and whether the report is out.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusDto {
    Planned,
    Open,
    Closed,
    ReportPublished,
}

impl From<Status> for StatusDto {
    fn from(s: Status) -> Self {
        match s {
            Status::Planned => StatusDto::Planned,
            Status::Open => StatusDto::Open,
            Status::Closed => StatusDto::Closed,
            Status::ReportPublished => StatusDto::ReportPublished,
        }
    }
}

impl From<StatusDto> for Status {
    fn from(s: StatusDto) -> Self {
        match s {
            StatusDto::Planned => Status::Planned,
            StatusDto::Open => Status::Open,
            StatusDto::Closed => Status::Closed,
            StatusDto::ReportPublished => Status::ReportPublished,
        }
    }
}

/// A document of the consultation.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentDto {
    pub title: LocalizedTextDto,
    #[validate(custom(function = "crate::dto::web_url"), length(max = 2000))]
    #[schema(
        format = "uri",
        max_length = 2000,
        pattern = "^[Hh][Tt][Tt][Pp][Ss]?://",
        example = "https://www.bedzin.pl/konsultacje/projekt-uchwaly.pdf"
    )]
    pub url: String,
}

/// A section of the draft that opinions can be about.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionDto {
    #[validate(length(min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32, example = "§3")]
    pub key: String,
    pub title: LocalizedTextDto,
}

/// What the consultation is linked to.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AboutDto {
    /// `action_plan`, `commitment`, `budget` or `meeting`.
    #[validate(length(min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32, example = "budget")]
    #[serde(rename = "type")]
    pub type_: String,
    pub id: Uuid,
}

/// The municipality's report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDto {
    pub text: LocalizedTextDto,
    pub published_at: DateTime<Utc>,
}

/// A consultation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub summary: LocalizedTextDto,
    pub body: LocalizedTextDto,
    pub subject: SubjectDto,
    pub documents: Vec<DocumentDto>,
    pub sections: Vec<SectionDto>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub status: StatusDto,
    pub allow_anonymous: bool,
    pub opinions_public: bool,
    pub survey_id: Option<Uuid>,
    pub about: Option<AboutDto>,
    pub report: Option<ReportDto>,
    /// Visible comments on it.
    pub comment_count: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn consultation_dto(v: &ConsultationView) -> ConsultationResponse {
    let c = &v.consultation;
    ConsultationResponse {
        id: c.id.into(),
        title: (&c.title).into(),
        summary: (&c.summary).into(),
        body: (&c.body).into(),
        subject: c.subject.into(),
        documents: c.documents.iter().map(|d| DocumentDto { title: (&d.title).into(), url: d.url.clone() }).collect(),
        sections: c.sections.iter().map(|s| SectionDto { key: s.key.clone(), title: (&s.title).into() }).collect(),
        opens_at: c.period.opens_at(),
        closes_at: c.period.closes_at(),
        status: v.status.into(),
        allow_anonymous: c.allow_anonymous,
        opinions_public: c.opinions_public,
        survey_id: c.survey_id.map(Into::into),
        about: c.about.as_ref().map(|(t, id)| AboutDto { type_: t.clone(), id: *id }),
        report: c.report.as_ref().map(|r| ReportDto { text: (&r.text).into(), published_at: r.published_at }),
        comment_count: v.comment_count,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

list_response!(ConsultationList, ConsultationResponse, "A page of consultations.");

/// A new consultation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"pl": "Konsultacje zasad budżetu obywatelskiego 2027", "en": "Consultation on the 2027 participatory budget rules"},
    "summary": {"pl": "Projekt uchwały w sprawie zasad budżetu obywatelskiego."},
    "subject": "draft_act",
    "opens_at": "2026-03-01T00:00:00Z", "closes_at": "2026-03-31T00:00:00Z",
    "sections": [{"key": "§3", "title": {"pl": "Zgłaszanie projektów"}}],
    "allow_anonymous": false, "opinions_public": true
}))]
pub struct CreateConsultationRequest {
    /// Up to 200 characters per locale.
    pub title: LocalizedTextDto,
    /// Up to 1000 characters per locale.
    #[serde(default)]
    pub summary: LocalizedTextDto,
    /// Up to 50000 characters per locale.
    #[serde(default)]
    pub body: LocalizedTextDto,
    pub subject: SubjectDto,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub documents: Vec<DocumentDto>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub sections: Vec<SectionDto>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    #[serde(default)]
    pub allow_anonymous: bool,
    #[serde(default = "yes")]
    pub opinions_public: bool,
    pub survey_id: Option<Uuid>,
    #[validate(nested)]
    pub about: Option<AboutDto>,
}

pub(crate) fn yes() -> bool {
    true
}

impl From<DocumentDto> for Document {
    fn from(d: DocumentDto) -> Self {
        Document { title: d.title.into(), url: d.url }
    }
}

impl From<SectionDto> for Section {
    fn from(s: SectionDto) -> Self {
        Section { key: s.key, title: s.title.into() }
    }
}

fn all<D, T: From<D>>(list: Vec<D>) -> Vec<T> {
    list.into_iter().map(Into::into).collect()
}

impl From<CreateConsultationRequest> for NewConsultation {
    fn from(b: CreateConsultationRequest) -> Self {
        NewConsultation {
            title: b.title.into(),
            summary: b.summary.into(),
            body: b.body.into(),
            subject: b.subject.into(),
            documents: all(b.documents),
            sections: all(b.sections),
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            allow_anonymous: b.allow_anonymous,
            opinions_public: b.opinions_public,
            survey_id: b.survey_id.map(SurveyId::from),
            about: b.about.map(|a| (a.type_, a.id)),
        }
    }
}

/// Changes to a consultation; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"closes_at": "2026-04-07T00:00:00Z"}))]
pub struct UpdateConsultationRequest {
    pub title: Option<LocalizedTextDto>,
    pub summary: Option<LocalizedTextDto>,
    pub body: Option<LocalizedTextDto>,
    pub subject: Option<SubjectDto>,
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub documents: Option<Vec<DocumentDto>>,
    #[validate(length(max = 100), nested)]
    #[schema(max_items = 100)]
    pub sections: Option<Vec<SectionDto>>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub allow_anonymous: Option<bool>,
    pub opinions_public: Option<bool>,
}

impl From<UpdateConsultationRequest> for ConsultationChanges {
    fn from(b: UpdateConsultationRequest) -> Self {
        ConsultationChanges {
            title: b.title.map(Into::into),
            summary: b.summary.map(Into::into),
            body: b.body.map(Into::into),
            subject: b.subject.map(Into::into),
            documents: b.documents.map(all),
            sections: b.sections.map(all),
            opens_at: b.opens_at,
            closes_at: b.closes_at,
            allow_anonymous: b.allow_anonymous,
            opinions_public: b.opinions_public,
        }
    }
}

/// The report.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": {"pl": "Otrzymaliśmy 48 opinii; zmieniliśmy §3 zgodnie z 12 z nich."}}))]
pub struct PublishReportRequest {
    /// What was heard and what changed; up to 50000 characters per locale.
    pub text: LocalizedTextDto,
}

/// Filters of the consultation list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsultationFilterParams {
    pub status: Option<StatusDto>,
    pub subject: Option<SubjectDto>,
    /// Full-text search in the title, summary, text, sections and report (as `GET .../search`
    /// matches: every word, the last as a prefix, accents and case ignored).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `created_at` (default), `-created_at` (newest first), `closes_at` (closing soonest first)
    /// or `-closes_at`.
    #[param(pattern = "^-?(created_at|closes_at)$")]
    pub sort: Option<String>,
}

/// An opinion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"section": "§3", "text": "Proponuję wydłużyć termin zgłaszania projektów do 6 tygodni."}))]
pub struct CreateOpinionRequest {
    /// The section of the draft it is about, if any.
    #[validate(length(min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub section: Option<String>,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    pub text: String,
    /// Required without an account, where the consultation allows that; shown to staff only.
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r"^[ \t\n\r]*[^\x00-\x20\x7f-\xa0@\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{1,64}@[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+(\.[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+)+[ \t\n\r]*$"
    )]
    pub email: Option<String>,
}

/// A staff answer, or a moderator hiding or restoring an opinion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer": "Dziękujemy, termin wydłużono do 6 tygodni."}))]
pub struct UpdateOpinionRequest {
    /// Requires: admin or official.
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    pub answer: Option<String>,
    /// Requires: admin or moderator.
    pub hidden: Option<bool>,
}

/// An opinion as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpinionResponse {
    pub id: Uuid,
    pub section: Option<String>,
    pub text: String,
    /// The author's display name; `null` for opinions given without an account.
    pub author_name: Option<String>,
    /// Staff only: the e-mail of an opinion given without an account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Staff only: hidden by a moderator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn opinion_dto(o: Opinion, staff: bool) -> OpinionResponse {
    let (author_name, email) = match o.author {
        Author::User { display_name, .. } => (Some(display_name), None),
        Author::Anonymous { email } => (None, staff.then_some(email)),
    };
    OpinionResponse {
        id: o.id,
        section: o.section,
        text: o.text,
        author_name,
        email,
        answer: o.answer,
        answered_at: o.answered_at,
        hidden: staff.then_some(o.hidden),
        created_at: o.created_at,
    }
}

list_response!(OpinionList, OpinionResponse, "A page of opinions, oldest first.");
