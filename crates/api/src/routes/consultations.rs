//! Consultations: the calendar of planned, open and closed ones, opinions with staff answers and
//! moderation, and the report the municipality publishes afterwards.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use pnyx_domain::accounts::Email;
use pnyx_domain::auth::Caller;
use pnyx_domain::consultations::{
    Author, Consultation, ConsultationError, ConsultationFilter, ConsultationService, Document, Opinion, OpinionChange,
    Period, Section, Status, Subject, SubmitOpinion,
};
use pnyx_domain::org::Organisation;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocalizedTextDto, localized, localized_optional};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, PageParams, ValidJson, etag};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::list_response;
use crate::routes::orgs::org_of;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(consultation_list)
        .service(consultation_create)
        .service(consultation_get)
        .service(consultation_update)
        .service(consultation_report_publish)
        .service(opinion_list)
        .service(opinion_create)
        .service(opinion_update);
}

impl From<ConsultationError> for ApiError {
    fn from(e: ConsultationError) -> Self {
        use ConsultationError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound => ApiError::not_found("consultation"),
            E::OpinionNotFound => ApiError::not_found("opinion"),
            E::NotOpen(_) => ApiError::conflict("consultation-not-open", e.to_string()),
            E::NotClosedYet => ApiError::conflict("consultation-not-closed", e.to_string()),
            E::ReportAlreadyPublished => ApiError::conflict("report-already-published", e.to_string()),
            E::AnonymousNotAllowed => ApiError::unauthorized(e.to_string()),
            E::EmailRequired => ApiError::field("email", e.to_string()),
            E::UnknownSection(_) => ApiError::field("section", e.to_string()),
            E::Stale => ApiError::precondition_failed(),
            E::PeriodLocked => ApiError::conflict("period-locked", e.to_string()),
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
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000, example = "https://www.bedzin.pl/konsultacje/projekt-uchwaly.pdf")]
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
    #[schema(example = "budget")]
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn consultation_dto(c: &Consultation, now: DateTime<Utc>) -> ConsultationResponse {
    ConsultationResponse {
        id: c.id,
        title: (&c.title).into(),
        summary: (&c.summary).into(),
        body: (&c.body).into(),
        subject: c.subject.into(),
        documents: c.documents.iter().map(|d| DocumentDto { title: (&d.title).into(), url: d.url.clone() }).collect(),
        sections: c.sections.iter().map(|s| SectionDto { key: s.key.clone(), title: (&s.title).into() }).collect(),
        opens_at: c.period.opens_at(),
        closes_at: c.period.closes_at(),
        status: c.status(now).into(),
        allow_anonymous: c.allow_anonymous,
        opinions_public: c.opinions_public,
        survey_id: c.survey_id,
        about: c.about.as_ref().map(|(t, id)| AboutDto { type_: t.clone(), id: *id }),
        report: c.report.as_ref().map(|r| ReportDto { text: (&r.text).into(), published_at: r.published_at }),
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
    pub documents: Vec<DocumentDto>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
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

fn yes() -> bool {
    true
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
    pub documents: Option<Vec<DocumentDto>>,
    #[validate(length(max = 100), nested)]
    pub sections: Option<Vec<SectionDto>>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub allow_anonymous: Option<bool>,
    pub opinions_public: Option<bool>,
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
}

/// An opinion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"section": "§3", "text": "Proponuję wydłużyć termin zgłaszania projektów do 6 tygodni."}))]
pub struct CreateOpinionRequest {
    /// The section of the draft it is about, if any.
    #[validate(length(min = 1, max = 32))]
    #[schema(max_length = 32)]
    pub section: Option<String>,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    pub text: String,
    /// Required without an account, where the consultation allows that; shown to staff only.
    #[validate(length(max = 254))]
    #[schema(max_length = 254)]
    pub email: Option<String>,
}

/// A staff answer, or a moderator hiding or restoring an opinion.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer": "Dziękujemy, termin wydłużono do 6 tygodni."}))]
pub struct UpdateOpinionRequest {
    /// Requires: admin or official.
    #[validate(length(min = 1, max = 10000))]
    #[schema(max_length = 10000)]
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

fn opinion_dto(o: Opinion, staff: bool) -> OpinionResponse {
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

fn service(st: &AppState) -> ConsultationService<'_, dyn pnyx_domain::repo::Store> {
    ConsultationService { repo: st.store.as_ref() }
}

fn documents(list: Vec<DocumentDto>, org: &Organisation) -> Result<Vec<Document>, ApiError> {
    list.into_iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(Document { title: localized(&format!("documents[{i}].title"), d.title, org, 300)?, url: d.url })
        })
        .collect()
}

fn sections(list: Vec<SectionDto>, org: &Organisation) -> Result<Vec<Section>, ApiError> {
    let mut keys = std::collections::HashSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, s)| {
            if !keys.insert(s.key.clone()) {
                return Err(ApiError::field(format!("sections[{i}].key"), "is used twice"));
            }
            Ok(Section { key: s.key, title: localized(&format!("sections[{i}].title"), s.title, org, 300)? })
        })
        .collect()
}

fn period(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<Period, ApiError> {
    Period::new(opens_at, closes_at).map_err(|e| ApiError::field("closes_at", e.to_string()))
}

fn with_etag(status: StatusCode, c: &Consultation) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(c.updated_at)))
        .json(consultation_dto(c, pnyx_domain::now()))
}

/// List consultations
///
/// Public. Filter by `?status=planned|open|closed|report_published` (derived from the dates) and `?subject=`.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_list",
    params(("org" = String, Path, description = "The organisation's slug"), ConsultationFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of consultations", body = ConsultationList),
        (status = 400, description = "Unknown filter value", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/consultations")]
pub async fn consultation_list(
    st: web::Data<AppState>,
    path: web::Path<String>,
    f: web::Query<ConsultationFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ConsultationList>, ApiError> {
    let org = org_of(&st, &path).await?;
    let filter = ConsultationFilter { status: f.status.map(Into::into), subject: f.subject.map(Into::into) };
    let now = pnyx_domain::now();
    let page = st.store.consultations(org.id, &filter, now, q.page()?).await?;
    Ok(web::Json(ConsultationList::from_page(page, |c| consultation_dto(&c, now))))
}

/// Create a consultation
///
/// Requires: admin or official of the organisation.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_create", request_body = CreateConsultationRequest,
    params(("org" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 201, description = "Created", body = ConsultationResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations")]
pub async fn consultation_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<CreateConsultationRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, pnyx_domain::auth::Action::WriteContent)?;
    let b = body.0;
    let now = pnyx_domain::now();
    let c = Consultation {
        id: Uuid::now_v7(),
        org_id: org.id,
        title: localized("title", b.title, &org, 200)?,
        summary: localized_optional("summary", b.summary, &org, 1000)?,
        body: localized_optional("body", b.body, &org, 50_000)?,
        subject: b.subject.into(),
        documents: documents(b.documents, &org)?,
        sections: sections(b.sections, &org)?,
        period: period(b.opens_at, b.closes_at)?,
        allow_anonymous: b.allow_anonymous,
        opinions_public: b.opinions_public,
        survey_id: b.survey_id,
        about: b.about.map(|a| (a.type_, a.id)),
        report: None,
        created_at: now,
        updated_at: now,
    };
    let c = service(&st).create(&who.0, c).await?;
    Ok(with_etag(StatusCode::CREATED, &c))
}

/// Get a consultation
///
/// Public. Returns an `ETag` for `If-Match`.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The consultation")),
    responses(
        (status = 200, description = "The consultation", body = ConsultationResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/consultations/{id}")]
pub async fn consultation_get(
    st: web::Data<AppState>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let c = service(&st).get(org.id, id).await?;
    Ok(with_etag(StatusCode::OK, &c))
}

/// Update a consultation
///
/// Requires: admin or official. Honours `If-Match`. The dates cannot change once it has opened.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_update", request_body = UpdateConsultationRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The consultation"),
        ("If-Match" = Option<String>, Header, description = "The ETag read"),
    ),
    responses(
        (status = 200, description = "Updated", body = ConsultationResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The dates are locked", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/consultations/{id}")]
pub async fn consultation_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateConsultationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, pnyx_domain::auth::Action::WriteContent)?;
    let b = body.0;
    let current = service(&st).get(org.id, id).await?;
    let title = b.title.map(|t| localized("title", t, &org, 200)).transpose()?;
    let summary = b.summary.map(|t| localized_optional("summary", t, &org, 1000)).transpose()?;
    let text = b.body.map(|t| localized_optional("body", t, &org, 50_000)).transpose()?;
    let docs = b.documents.map(|d| documents(d, &org)).transpose()?;
    let secs = b.sections.map(|s| sections(s, &org)).transpose()?;
    let new_period = match (b.opens_at, b.closes_at) {
        (None, None) => None,
        (o, c) => Some(period(o.unwrap_or(current.period.opens_at()), c.unwrap_or(current.period.closes_at()))?),
    };
    let c = service(&st)
        .update(
            &who.0,
            org.id,
            id,
            if_match.expected()?,
            |c| {
                if let Some(v) = title {
                    c.title = v;
                }
                if let Some(v) = summary {
                    c.summary = v;
                }
                if let Some(v) = text {
                    c.body = v;
                }
                if let Some(v) = b.subject {
                    c.subject = v.into();
                }
                if let Some(v) = docs {
                    c.documents = v;
                }
                if let Some(v) = secs {
                    c.sections = v;
                }
                if let Some(v) = new_period {
                    c.period = v;
                }
                if let Some(v) = b.allow_anonymous {
                    c.allow_anonymous = v;
                }
                if let Some(v) = b.opinions_public {
                    c.opinions_public = v;
                }
            },
            pnyx_domain::now(),
        )
        .await?;
    Ok(with_etag(StatusCode::OK, &c))
}

/// Publish the report
///
/// What the municipality heard and what it did with it. Only after the consultation closes, once.
/// Residents who gave an opinion are notified. Requires: admin or official.
#[utoipa::path(
    tag = "consultations", operation_id = "consultation_report_publish", request_body = PublishReportRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The consultation")),
    responses(
        (status = 200, description = "Published", body = ConsultationResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not closed yet, or already published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations/{id}/report")]
pub async fn consultation_report_publish(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<PublishReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, pnyx_domain::auth::Action::WriteContent)?;
    let text = localized("text", body.0.text, &org, 50_000)?;
    let c = service(&st).publish_report(&who.0, org.id, id, text, pnyx_domain::now()).await?;
    Ok(with_etag(StatusCode::OK, &c))
}

/// List opinions
///
/// Oldest first. Everyone sees the visible opinions of a consultation whose opinions are public;
/// staff see all, with hidden ones and the e-mails of opinions given without an account.
#[utoipa::path(
    tag = "consultations", operation_id = "opinion_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The consultation"), PageParams),
    responses(
        (status = 200, description = "A page of opinions", body = OpinionList),
        (status = 401, description = "Staff-only opinions: sign in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff-only opinions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/consultations/{id}/opinions")]
pub async fn opinion_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<OpinionList>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let (page, staff) = service(&st).opinions(&who.0, org.id, id, q.page()?).await?;
    Ok(web::Json(OpinionList::from_page(page, |o| opinion_dto(o, staff))))
}

/// Give an opinion
///
/// While the consultation is open (409 otherwise). Signed-in residents, or anyone with an e-mail
/// address where the consultation allows opinions without an account. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "consultations", operation_id = "opinion_create", request_body = CreateOpinionRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The consultation"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 201, description = "Taken", body = OpinionResponse),
        (status = 401, description = "Sign in (this consultation needs an account)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, unknown section, missing e-mail", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations/{id}/opinions")]
pub async fn opinion_create(
    st: web::Data<AppState>,
    req: HttpRequest,
    who: Auth,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateOpinionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = body.0;
    let email =
        b.email.as_deref().map(Email::parse).transpose().map_err(|e| ApiError::field("email", e.to_string()))?;
    let name = match &who.0 {
        Caller::User(p) => st.store.user_by_id(p.user_id).await?.map(|u| u.display_name),
        Caller::Anonymous => None,
    };
    let fp = fingerprint(&req, serde_json::json!([b.section, b.text, b.email]).to_string().as_bytes());
    let cmd = SubmitOpinion { section: b.section, text: b.text, email, display_name: name.clone() };
    let run = || async {
        let o = service(&st).submit_opinion(&who.0, name, org.id, id, cmd, pnyx_domain::now()).await?;
        let body = serde_json::to_value(opinion_dto(o, false)).map_err(ApiError::internal)?;
        Ok((StatusCode::CREATED, body))
    };
    match who.0.user_id() {
        Some(user) => idempotent(&st, user, key, fp, run).await,
        None => {
            let (status, body) = run().await?;
            Ok(HttpResponse::build(status).json(body))
        }
    }
}

/// Answer or moderate an opinion
///
/// `answer` requires admin or official; `hidden` requires admin or moderator.
#[utoipa::path(
    tag = "consultations", operation_id = "opinion_update", request_body = UpdateOpinionRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The consultation"),
        ("opinion_id" = Uuid, Path, description = "The opinion"),
    ),
    responses(
        (status = 200, description = "Updated", body = OpinionResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such opinion", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/consultations/{id}/opinions/{opinion_id}")]
pub async fn opinion_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<UpdateOpinionRequest>,
) -> Result<web::Json<OpinionResponse>, ApiError> {
    let (slug, id, opinion_id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = body.0;
    let o = service(&st)
        .respond(
            &who.0,
            org.id,
            id,
            opinion_id,
            OpinionChange { answer: b.answer, hidden: b.hidden },
            pnyx_domain::now(),
        )
        .await?;
    Ok(web::Json(opinion_dto(o, true)))
}
