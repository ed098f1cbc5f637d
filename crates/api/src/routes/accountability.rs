//! Action plans and commitments (OGP Local): plans with their status graph, commitments with
//! milestones and computed completion, the public progress history, co-owners, and overview numbers.

use std::collections::BTreeSet;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::accountability::records::{
    ActionPlan, CoOwner, Commitment, CommitmentFilter, DocumentLink, IrmAssessment, Milestone,
};
use pnyx_domain::accountability::rules::{
    self, CoOwnerStatus, CompletionLevel, DateSpan, MilestoneStatus, OgpValue, PlanStatus,
};
use pnyx_domain::auth::{Action, Caller};
use pnyx_domain::history::{EntryKind, Evidence, HistoryEntry, SubjectKind, check_update};
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{Page, RepoError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocalizedTextDto, localized, localized_optional};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, PageParams, SignedIn, ValidJson, etag, next_version, parse_json, stale, today_in};
use crate::routes::orgs::org_of;
use crate::state::AppState;
use crate::{dto_enum, list_response};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(action_plan_list)
        .service(action_plan_create)
        .service(action_plan_get)
        .service(action_plan_update)
        .service(action_plan_transition)
        .service(action_plan_overview)
        .service(commitment_list)
        .service(commitment_create)
        .service(commitment_get)
        .service(commitment_update)
        .service(milestone_create)
        .service(milestone_update)
        .service(progress_list)
        .service(progress_create)
        .service(co_owner_list)
        .service(co_owner_create)
        .service(co_owner_update)
        .service(co_owner_delete);
}

dto_enum!(/// An action plan's status.
    PlanStatusDto => PlanStatus { Draft, CoCreation, Adopted, InImplementation, Completed });
dto_enum!(/// An OGP value.
    OgpValueDto => OgpValue { AccessToInformation, CivicParticipation, PublicAccountability, TechnologyAndInnovation });
dto_enum!(/// A milestone's state.
    MilestoneStatusDto => MilestoneStatus { NotStarted, InProgress, Done, Delayed, Cancelled });
dto_enum!(/// How far a commitment is (computed from its milestones).
    CompletionLevelDto => CompletionLevel { NotStarted, Limited, Substantial, Complete });
dto_enum!(/// A co-owner's standing.
    CoOwnerStatusDto => CoOwnerStatus { Proposed, Accepted, Removed });

/// A linked document.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentLinkDto {
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000)]
    pub url: String,
}

/// An action plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionPlanResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: PlanStatusDto,
    pub documents: Vec<DocumentLinkDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(ActionPlanList, ActionPlanResponse, "The action plans of an organisation, newest first.");

fn plan_dto(p: &ActionPlan) -> ActionPlanResponse {
    ActionPlanResponse {
        id: p.id,
        title: (&p.title).into(),
        description: (&p.description).into(),
        start_date: p.period.start(),
        end_date: p.period.end(),
        status: p.status.into(),
        documents: p.documents.iter().map(|d| DocumentLinkDto { title: d.title.clone(), url: d.url.clone() }).collect(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// A new action plan (created as a draft).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"sk": "Akčný plán OGP Local Banská Bystrica 2021–2022"},
    "description": {"sk": "Záväzky spoluvytvárané s mimovládnymi organizáciami, univerzitou a občanmi."},
    "start_date": "2021-08-01", "end_date": "2022-08-31"
}))]
pub struct CreatePlanRequest {
    pub title: LocalizedTextDto,
    #[serde(default)]
    pub description: LocalizedTextDto,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    pub documents: Vec<DocumentLinkDto>,
}

/// Changes to an action plan.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2022-09-30"}))]
pub struct UpdatePlanRequest {
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    #[validate(length(max = 50), nested)]
    pub documents: Option<Vec<DocumentLinkDto>>,
}

/// A status change of an action plan.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "co_creation"}))]
pub struct PlanTransitionRequest {
    pub to: PlanStatusDto,
}

/// A commitment's completion, computed from its milestones.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionDto {
    pub level: CompletionLevelDto,
    /// Done milestones as a whole percentage of those not cancelled.
    pub percent: u8,
    pub done: u32,
    pub total: u32,
}

/// A milestone.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneResponse {
    pub id: Uuid,
    pub position: u32,
    pub title: LocalizedTextDto,
    pub deliverable: LocalizedTextDto,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: MilestoneStatusDto,
    pub completed_on: Option<NaiveDate>,
    /// Open and due within 30 days.
    pub due_soon: bool,
    /// Open and past its end date.
    pub overdue: bool,
}

/// The IRM assessment.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IrmDto {
    pub verifiable: Option<bool>,
    /// `unclear`, `modest` or `substantial`.
    #[validate(custom(function = "potential"))]
    pub potential_for_results: Option<String>,
    /// `no_evidence`, `not_started`, `limited`, `substantial` or `complete`.
    #[validate(custom(function = "irm_completion"))]
    pub completion: Option<String>,
    /// `worsened`, `did_not_change`, `marginal`, `major` or `outstanding`.
    #[validate(custom(function = "opened"))]
    pub did_it_open_government: Option<String>,
    #[validate(length(max = 10000))]
    pub evidence: Option<String>,
}

fn one_of(v: &str, allowed: &[&str]) -> Result<(), validator::ValidationError> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("one_of")
            .with_message(format!("must be one of {}", allowed.join(", ")).into()))
    }
}
fn potential(v: &str) -> Result<(), validator::ValidationError> {
    one_of(v, &["unclear", "modest", "substantial"])
}
fn irm_completion(v: &str) -> Result<(), validator::ValidationError> {
    one_of(v, &["no_evidence", "not_started", "limited", "substantial", "complete"])
}
fn opened(v: &str) -> Result<(), validator::ValidationError> {
    one_of(v, &["worsened", "did_not_change", "marginal", "major", "outstanding"])
}

/// A commitment with its milestones and completion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentResponse {
    pub id: Uuid,
    pub action_plan_id: Uuid,
    pub title: LocalizedTextDto,
    pub lead: String,
    pub supporting_actors: Vec<String>,
    pub problem: LocalizedTextDto,
    pub status_quo: LocalizedTextDto,
    pub objective: LocalizedTextDto,
    pub ogp_values: Vec<OgpValueDto>,
    pub theme: Option<String>,
    /// Minor units in the organisation's currency.
    pub budget: Option<i64>,
    pub currency: String,
    pub irm: Option<IrmDto>,
    pub completion: CompletionDto,
    pub milestones: Vec<MilestoneResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(CommitmentList, CommitmentResponse, "Commitments.");

/// A new commitment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "action_plan_id": "01939f7e-8c1a-7d2b-9c3e-1a2b3c4d5e6f",
    "title": {"sk": "Register „Čo sa deje v meste“"},
    "lead": "Kancelária primátora",
    "supporting_actors": ["Univerzita Mateja Bela", "Živica"],
    "problem": {"sk": "Obyvatelia nevedia, aké projekty mesto pripravuje."},
    "objective": {"sk": "Verejný prehľad prebiehajúcich projektov mesta a občianskeho sektora."},
    "ogp_values": ["access_to_information", "civic_participation"]
}))]
pub struct CreateCommitmentRequest {
    pub action_plan_id: Uuid,
    pub title: LocalizedTextDto,
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub lead: String,
    #[serde(default)]
    #[validate(length(max = 30))]
    pub supporting_actors: Vec<String>,
    #[serde(default)]
    pub problem: LocalizedTextDto,
    #[serde(default)]
    pub status_quo: LocalizedTextDto,
    #[serde(default)]
    pub objective: LocalizedTextDto,
    #[serde(default)]
    #[validate(length(max = 4))]
    pub ogp_values: Vec<OgpValueDto>,
    #[validate(length(max = 200))]
    pub theme: Option<String>,
    #[validate(range(min = 0))]
    pub budget: Option<i64>,
    #[validate(nested)]
    pub irm: Option<IrmDto>,
}

/// Changes to a commitment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"supporting_actors": ["Univerzita Mateja Bela", "Živica", "Mládežnícky parlament"]}))]
pub struct UpdateCommitmentRequest {
    pub title: Option<LocalizedTextDto>,
    #[validate(length(min = 1, max = 300))]
    pub lead: Option<String>,
    #[validate(length(max = 30))]
    pub supporting_actors: Option<Vec<String>>,
    pub problem: Option<LocalizedTextDto>,
    pub status_quo: Option<LocalizedTextDto>,
    pub objective: Option<LocalizedTextDto>,
    #[validate(length(max = 4))]
    pub ogp_values: Option<Vec<OgpValueDto>>,
    #[validate(length(max = 200))]
    pub theme: Option<String>,
    #[validate(range(min = 0))]
    pub budget: Option<i64>,
    #[validate(nested)]
    pub irm: Option<IrmDto>,
}

/// A new milestone.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": {"sk": "Spustenie registra"}, "deliverable": {"sk": "Webová stránka registra"}, "start_date": "2021-10-01", "end_date": "2022-03-31"}))]
pub struct CreateMilestoneRequest {
    pub title: LocalizedTextDto,
    #[serde(default)]
    pub deliverable: LocalizedTextDto,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[serde(default = "not_started")]
    pub status: MilestoneStatusDto,
    pub completed_on: Option<NaiveDate>,
}

fn not_started() -> MilestoneStatusDto {
    MilestoneStatusDto::NotStarted
}

/// Changes to a milestone; a status change is written to the public history.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "done", "completed_on": "2022-03-15"}))]
pub struct UpdateMilestoneRequest {
    pub title: Option<LocalizedTextDto>,
    pub deliverable: Option<LocalizedTextDto>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub status: Option<MilestoneStatusDto>,
    pub completed_on: Option<NaiveDate>,
    /// Why the status changed (kept in the history).
    #[validate(length(max = 2000))]
    pub reason: Option<String>,
}

/// Evidence for a progress update.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDto {
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000)]
    pub url: String,
    #[validate(length(max = 300))]
    pub title: Option<String>,
}

/// A progress update.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"text": {"sk": "Register je spustený na webe mesta."}, "evidence": [{"url": "https://www.banskabystrica.sk/register", "title": "Register"}], "occurred_on": "2022-03-15"}))]
pub struct CreateProgressRequest {
    pub text: LocalizedTextDto,
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    pub evidence: Vec<EvidenceDto>,
    /// Money spent so far, in minor units.
    #[validate(range(min = 0))]
    pub amount_spent: Option<i64>,
    /// The day it is about (default today).
    pub occurred_on: Option<NaiveDate>,
}

/// What a history entry is.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKindDto {
    Update,
    StatusChange,
}

/// A line of a commitment's public history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryResponse {
    pub id: Uuid,
    pub kind: HistoryKindDto,
    /// `commitment` or `milestone`.
    pub subject: String,
    pub subject_id: Uuid,
    pub text: Option<LocalizedTextDto>,
    pub evidence: Vec<EvidenceDto>,
    pub amount_spent: Option<i64>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub reason: Option<String>,
    pub occurred_on: NaiveDate,
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

list_response!(HistoryList, HistoryEntryResponse, "A commitment's history, oldest first.");

fn history_dto(e: HistoryEntry) -> HistoryEntryResponse {
    let (kind, text, evidence, amount_spent, from, to, reason) = match e.entry {
        EntryKind::Update { text, evidence, amount_spent } => (
            HistoryKindDto::Update,
            Some((&text).into()),
            evidence.into_iter().map(|v| EvidenceDto { url: v.url, title: v.title }).collect(),
            amount_spent,
            None,
            None,
            None,
        ),
        EntryKind::StatusChange { from, to, reason } => {
            (HistoryKindDto::StatusChange, None, Vec::new(), None, from, Some(to), reason)
        }
    };
    HistoryEntryResponse {
        id: e.id,
        kind,
        subject: e.subject.as_str().to_owned(),
        subject_id: e.subject_id,
        text,
        evidence,
        amount_spent,
        from_status: from,
        to_status: to,
        reason,
        occurred_on: e.occurred_on,
        author_id: e.author_id,
        created_at: e.created_at,
    }
}

/// Volunteering as co-owner.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation": "Živica", "note": "Pomôžeme so zberom údajov."}))]
pub struct VolunteerRequest {
    /// A partner organisation the person volunteers for.
    #[validate(length(min = 1, max = 200))]
    pub organisation: Option<String>,
    #[validate(length(max = 500))]
    pub note: Option<String>,
}

/// Staff accepting or removing a co-owner.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "accepted"}))]
pub struct CoOwnerStatusRequest {
    pub status: CoOwnerStatusDto,
}

/// A co-owner, by display name only.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoOwnerResponse {
    pub id: Uuid,
    pub display_name: String,
    pub organisation: Option<String>,
    pub note: Option<String>,
    pub status: CoOwnerStatusDto,
    /// Whether this is the caller.
    pub me: bool,
}

list_response!(CoOwnerList, CoOwnerResponse, "Co-owners of a commitment.");

/// Commitments per completion level.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct LevelCounts {
    pub not_started: u32,
    pub limited: u32,
    pub substantial: u32,
    pub complete: u32,
}

/// A milestone in the overview, with its commitment.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewMilestone {
    pub commitment_id: Uuid,
    pub milestone_id: Uuid,
    pub title: LocalizedTextDto,
    pub end_date: NaiveDate,
    pub status: MilestoneStatusDto,
}

/// An action plan's progress at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewResponse {
    pub commitments: u32,
    pub by_level: LevelCounts,
    pub due_next_30_days: Vec<OverviewMilestone>,
    pub overdue: Vec<OverviewMilestone>,
}

/// Filters of the commitment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentFilterParams {
    pub action_plan: Option<Uuid>,
    /// The completion level, as computed from the milestones.
    pub status: Option<CompletionLevelDto>,
    pub ogp_value: Option<OgpValueDto>,
    pub lead: Option<String>,
}

fn span(start: NaiveDate, end: NaiveDate) -> Result<DateSpan, ApiError> {
    DateSpan::new(start, end).map_err(|e| ApiError::field("end_date", e.to_string()))
}

fn documents(list: Vec<DocumentLinkDto>) -> Vec<DocumentLink> {
    list.into_iter().map(|d| DocumentLink { title: d.title, url: d.url }).collect()
}

fn irm(i: IrmDto) -> IrmAssessment {
    IrmAssessment {
        verifiable: i.verifiable,
        potential_for_results: i.potential_for_results,
        completion: i.completion,
        did_it_open_government: i.did_it_open_government,
        evidence: i.evidence,
    }
}

fn milestone_dto(m: &Milestone, today: NaiveDate) -> MilestoneResponse {
    MilestoneResponse {
        id: m.id,
        position: m.position,
        title: (&m.title).into(),
        deliverable: (&m.deliverable).into(),
        start_date: m.dates.start(),
        end_date: m.dates.end(),
        status: m.status.into(),
        completed_on: m.completed_on,
        due_soon: rules::due_soon(m.status, m.dates.end(), today),
        overdue: rules::overdue(m.status, m.dates.end(), today),
    }
}

fn commitment_dto(c: &Commitment, ms: &[Milestone], org: &Organisation) -> CommitmentResponse {
    let today = today_in(org);
    let mine: Vec<&Milestone> = ms.iter().filter(|m| m.commitment_id == c.id).collect();
    let comp = rules::completion(&mine.iter().map(|m| m.status).collect::<Vec<_>>());
    CommitmentResponse {
        id: c.id,
        action_plan_id: c.action_plan_id,
        title: (&c.title).into(),
        lead: c.lead.clone(),
        supporting_actors: c.supporting_actors.clone(),
        problem: (&c.problem).into(),
        status_quo: (&c.status_quo).into(),
        objective: (&c.objective).into(),
        ogp_values: c.ogp_values.iter().copied().map(Into::into).collect(),
        theme: c.theme.clone(),
        budget: c.budget,
        currency: org.currency.to_string(),
        irm: c.irm.clone().map(|i| IrmDto {
            verifiable: i.verifiable,
            potential_for_results: i.potential_for_results,
            completion: i.completion,
            did_it_open_government: i.did_it_open_government,
            evidence: i.evidence,
        }),
        completion: CompletionDto {
            level: comp.level.into(),
            percent: comp.percent,
            done: comp.done,
            total: comp.total,
        },
        milestones: mine.into_iter().map(|m| milestone_dto(m, today)).collect(),
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// The plan if the caller may see it (drafts: staff only; otherwise 404).
async fn visible_plan(st: &AppState, caller: &Caller, org: &Organisation, id: Uuid) -> Result<ActionPlan, ApiError> {
    let p = st.store.plan(org.id, id).await?.ok_or_else(|| ApiError::not_found("action plan"))?;
    if p.status.is_public() || caller.is_staff_of(org.id) { Ok(p) } else { Err(ApiError::not_found("action plan")) }
}

async fn visible_commitment(
    st: &AppState,
    caller: &Caller,
    org: &Organisation,
    id: Uuid,
) -> Result<Commitment, ApiError> {
    let c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    visible_plan(st, caller, org, c.action_plan_id).await.map_err(|_| ApiError::not_found("commitment"))?;
    Ok(c)
}

async fn commitment_response(
    st: &AppState,
    org: &Organisation,
    c: &Commitment,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let ms = st.store.milestones(&[c.id]).await?;
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag(c.updated_at))).json(commitment_dto(c, &ms, org)))
}

/// List action plans
///
/// Newest first. Drafts are shown to staff only.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
    responses(
        (status = 200, description = "A page of plans", body = ActionPlanList),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans")]
pub async fn action_plan_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ActionPlanList>, ApiError> {
    let org = org_of(&st, &path).await?;
    let plans = st.store.plans(org.id, who.0.is_staff_of(org.id)).await?;
    let page = Page::of_list(plans, q.page()?, |p| p.id);
    Ok(web::Json(ActionPlanList::from_page(page, |p| plan_dto(&p))))
}

/// Create an action plan
///
/// As a draft, visible to staff only until it moves to co-creation. Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_create", request_body = CreatePlanRequest,
    params(("org" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 201, description = "Created", body = ActionPlanResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/action-plans")]
pub async fn action_plan_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<CreatePlanRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let b = body.0;
    let now = pnyx_domain::now();
    let p = ActionPlan {
        id: Uuid::now_v7(),
        org_id: org.id,
        title: localized("title", b.title, &org, 300)?,
        description: localized_optional("description", b.description, &org, 20_000)?,
        period: span(b.start_date, b.end_date)?,
        status: PlanStatus::Draft,
        documents: documents(b.documents),
        created_at: now,
        updated_at: now,
    };
    st.store.create_plan(&p).await?;
    Ok(HttpResponse::Created().insert_header((header::ETAG, etag(p.updated_at))).json(plan_dto(&p)))
}

/// Get an action plan
///
/// Drafts are 404 to everyone but staff.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The plan", body = ActionPlanResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such plan (or a draft)", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans/{id}")]
pub async fn action_plan_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let p = visible_plan(&st, &who.0, &org, id).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(p.updated_at))).json(plan_dto(&p)))
}

/// Update an action plan
///
/// Requires: admin or official. Honours `If-Match`.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_update", request_body = UpdatePlanRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The plan"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = ActionPlanResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/action-plans/{id}")]
pub async fn action_plan_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdatePlanRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut p = st.store.plan(org.id, id).await?.ok_or_else(|| ApiError::not_found("action plan"))?;
    if if_match.expected()?.is_some_and(|e| e != p.updated_at) {
        return Err(ApiError::precondition_failed());
    }
    let b = body.0;
    let previous = p.updated_at;
    if let Some(t) = b.title {
        p.title = localized("title", t, &org, 300)?;
    }
    if let Some(t) = b.description {
        p.description = localized_optional("description", t, &org, 20_000)?;
    }
    if b.start_date.is_some() || b.end_date.is_some() {
        p.period = span(b.start_date.unwrap_or(p.period.start()), b.end_date.unwrap_or(p.period.end()))?;
    }
    if let Some(d) = b.documents {
        p.documents = documents(d);
    }
    p.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_plan(&p, previous).await.map_err(stale)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(p.updated_at))).json(plan_dto(&p)))
}

/// Change an action plan's status
///
/// draft → co_creation → adopted → in_implementation → completed, and co_creation → draft.
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_transition", request_body = PlanTransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The plan now", body = ActionPlanResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from its status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/action-plans/{id}/transitions")]
pub async fn action_plan_transition(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<PlanTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut p = st.store.plan(org.id, id).await?.ok_or_else(|| ApiError::not_found("action plan"))?;
    let to: PlanStatus = body.0.to.into();
    rules::plan_transition(p.status, to).map_err(|e| ApiError::conflict("invalid-transition", e.to_string()))?;
    let previous = p.updated_at;
    p.status = to;
    p.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_plan(&p, previous).await.map_err(stale)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(p.updated_at))).json(plan_dto(&p)))
}

/// Get an action plan's overview
///
/// Commitments per completion level, milestones due in the next 30 days, overdue milestones.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_overview",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The overview", body = OverviewResponse),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans/{id}/overview")]
pub async fn action_plan_overview(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<OverviewResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let p = visible_plan(&st, &who.0, &org, id).await?;
    let cs = st.store.commitments(org.id, &CommitmentFilter { action_plan: Some(p.id), ..Default::default() }).await?;
    let ids: Vec<Uuid> = cs.iter().map(|c| c.id).collect();
    let ms = st.store.milestones(&ids).await?;
    let today = today_in(&org);
    let mut by_level = LevelCounts::default();
    for c in &cs {
        let statuses: Vec<MilestoneStatus> = ms.iter().filter(|m| m.commitment_id == c.id).map(|m| m.status).collect();
        match rules::completion(&statuses).level {
            CompletionLevel::NotStarted => by_level.not_started += 1,
            CompletionLevel::Limited => by_level.limited += 1,
            CompletionLevel::Substantial => by_level.substantial += 1,
            CompletionLevel::Complete => by_level.complete += 1,
        }
    }
    let pick = |f: &dyn Fn(&Milestone) -> bool| -> Vec<OverviewMilestone> {
        let mut v: Vec<OverviewMilestone> = ms
            .iter()
            .filter(|m| f(m))
            .map(|m| OverviewMilestone {
                commitment_id: m.commitment_id,
                milestone_id: m.id,
                title: (&m.title).into(),
                end_date: m.dates.end(),
                status: m.status.into(),
            })
            .collect();
        v.sort_by_key(|m| m.end_date);
        v
    };
    Ok(web::Json(OverviewResponse {
        commitments: u32::try_from(cs.len()).unwrap_or(u32::MAX),
        by_level,
        due_next_30_days: pick(&|m| rules::due_soon(m.status, m.dates.end(), today)),
        overdue: pick(&|m| rules::overdue(m.status, m.dates.end(), today)),
    }))
}

/// List commitments
///
/// Filter by `?action_plan=`, `?status=` (the completion level), `?ogp_value=`, `?lead=`.
/// Commitments of draft plans: staff only.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_list",
    params(("org" = String, Path, description = "The organisation's slug"), CommitmentFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of commitments", body = CommitmentList),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments")]
pub async fn commitment_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    q: web::Query<CommitmentFilterParams>,
    paging: web::Query<PageParams>,
) -> Result<web::Json<CommitmentList>, ApiError> {
    let org = org_of(&st, &path).await?;
    let page = paging.page()?;
    let q = q.into_inner();
    let filter = CommitmentFilter {
        action_plan: q.action_plan,
        ogp_value: q.ogp_value.map(Into::into),
        lead: q.lead,
        public_only: !who.0.is_staff_of(org.id),
    };
    let cs = st.store.commitments(org.id, &filter).await?;
    let ms = st.store.milestones(&cs.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
    // The level is computed from the milestones, never stored, so its filter runs here.
    let items: Vec<CommitmentResponse> = cs
        .iter()
        .map(|c| commitment_dto(c, &ms, &org))
        .filter(|c| q.status.is_none_or(|s| s == c.completion.level))
        .collect();
    let page = Page::of_list(items, page, |c| c.id);
    Ok(web::Json(CommitmentList::from_page(page, |c| c)))
}

/// Create a commitment
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_create", request_body = CreateCommitmentRequest,
    params(("org" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 201, description = "Created", body = CommitmentResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments")]
pub async fn commitment_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<CreateCommitmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let b = body.0;
    let plan = st
        .store
        .plan(org.id, b.action_plan_id)
        .await?
        .ok_or_else(|| ApiError::field("action_plan_id", "no such action plan"))?;
    let now = pnyx_domain::now();
    let c = Commitment {
        id: Uuid::now_v7(),
        org_id: org.id,
        action_plan_id: plan.id,
        title: localized("title", b.title, &org, 300)?,
        lead: b.lead,
        supporting_actors: b.supporting_actors,
        problem: localized_optional("problem", b.problem, &org, 20_000)?,
        status_quo: localized_optional("status_quo", b.status_quo, &org, 20_000)?,
        objective: localized_optional("objective", b.objective, &org, 20_000)?,
        ogp_values: b.ogp_values.into_iter().map(Into::into).collect::<BTreeSet<_>>(),
        theme: b.theme,
        budget: b.budget,
        irm: b.irm.map(irm),
        created_at: now,
        updated_at: now,
    };
    st.store.create_commitment(&c).await?;
    commitment_response(&st, &org, &c, StatusCode::CREATED).await
}

/// Get a commitment
///
/// With its milestones and its completion computed from them.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 200, description = "The commitment", body = CommitmentResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}")]
pub async fn commitment_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let c = visible_commitment(&st, &who.0, &org, id).await?;
    commitment_response(&st, &org, &c, StatusCode::OK).await
}

/// Update a commitment
///
/// Requires: admin or official. Honours `If-Match`.
#[utoipa::path(
    tag = "action-plans", operation_id = "commitment_update", request_body = UpdateCommitmentRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = CommitmentResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/commitments/{id}")]
pub async fn commitment_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateCommitmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    if if_match.expected()?.is_some_and(|e| e != c.updated_at) {
        return Err(ApiError::precondition_failed());
    }
    let b = body.0;
    let previous = c.updated_at;
    if let Some(t) = b.title {
        c.title = localized("title", t, &org, 300)?;
    }
    if let Some(l) = b.lead {
        c.lead = l;
    }
    if let Some(s) = b.supporting_actors {
        c.supporting_actors = s;
    }
    if let Some(t) = b.problem {
        c.problem = localized_optional("problem", t, &org, 20_000)?;
    }
    if let Some(t) = b.status_quo {
        c.status_quo = localized_optional("status_quo", t, &org, 20_000)?;
    }
    if let Some(t) = b.objective {
        c.objective = localized_optional("objective", t, &org, 20_000)?;
    }
    if let Some(v) = b.ogp_values {
        c.ogp_values = v.into_iter().map(Into::into).collect();
    }
    if b.theme.is_some() {
        c.theme = b.theme;
    }
    if b.budget.is_some() {
        c.budget = b.budget;
    }
    if let Some(i) = b.irm {
        c.irm = Some(irm(i));
    }
    c.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_commitment(&c, previous).await.map_err(stale)?;
    commitment_response(&st, &org, &c, StatusCode::OK).await
}

/// Claims the next version of a commitment before one of its milestones changes: its ETag covers
/// its milestones, so two staff editing the same commitment cannot overwrite each other unseen.
///
/// # Errors
/// 412 when `If-Match` names another version, or another change won the race.
async fn claim_commitment(st: &AppState, c: &mut Commitment, if_match: &IfMatch) -> Result<(), ApiError> {
    if if_match.expected()?.is_some_and(|e| e != c.updated_at) {
        return Err(ApiError::precondition_failed());
    }
    let previous = c.updated_at;
    c.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_commitment(c, previous).await.map_err(stale)
}

/// Records a move of the commitment's completion level (computed from its milestones) in its
/// public history, so the history shows the commitment's status changes as well as the milestones'.
async fn record_level_change(
    st: &AppState,
    c: &Commitment,
    before: CompletionLevel,
    actor: Uuid,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let statuses: Vec<MilestoneStatus> = st.store.milestones(&[c.id]).await?.iter().map(|m| m.status).collect();
    let after = rules::completion(&statuses).level;
    if after == before {
        return Ok(());
    }
    st.store
        .append_history(&HistoryEntry {
            id: Uuid::now_v7(),
            org_id: c.org_id,
            subject: SubjectKind::Commitment,
            subject_id: c.id,
            parent_id: None,
            entry: EntryKind::StatusChange {
                from: Some(before.as_str().to_owned()),
                to: after.as_str().to_owned(),
                reason: None,
            },
            occurred_on: today,
            author_id: Some(actor),
            created_at: pnyx_domain::now(),
        })
        .await?;
    Ok(())
}

fn completion_error(e: rules::CompletionDateError) -> ApiError {
    ApiError::field("completed_on", e.to_string())
}

/// Add a milestone
///
/// At the end of the commitment's list. Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "milestone_create", request_body = CreateMilestoneRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment"), ("If-Match" = Option<String>, Header, description = "The commitment's ETag read")),
    responses(
        (status = 201, description = "The commitment with its milestones", body = CommitmentResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (end before start, completion date)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/milestones")]
pub async fn milestone_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<CreateMilestoneRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let actor = who.0.authorize(org.id, Action::WriteContent)?.user_id;
    let mut c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    let b = body.0;
    let status: MilestoneStatus = b.status.into();
    let today = today_in(&org);
    rules::check_completion(status, b.completed_on, today).map_err(completion_error)?;
    let existing = st.store.milestones(&[c.id]).await?;
    let before = rules::completion(&existing.iter().map(|m| m.status).collect::<Vec<_>>()).level;
    let now = pnyx_domain::now();
    let m = Milestone {
        id: Uuid::now_v7(),
        commitment_id: c.id,
        position: existing.iter().map(|m| m.position + 1).max().unwrap_or(0),
        title: localized("title", b.title, &org, 300)?,
        deliverable: localized_optional("deliverable", b.deliverable, &org, 5000)?,
        dates: span(b.start_date, b.end_date)?,
        status,
        completed_on: b.completed_on,
        created_at: now,
        updated_at: now,
    };
    claim_commitment(&st, &mut c, &if_match).await?;
    st.store.add_milestone(&m).await?;
    record_level_change(&st, &c, before, actor, today).await?;
    commitment_response(&st, &org, &c, StatusCode::CREATED).await
}

/// Update a milestone
///
/// A status change is written to the commitment's public history with who and when.
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "milestone_update", request_body = UpdateMilestoneRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment"), ("milestone_id" = Uuid, Path, description = "The milestone"), ("If-Match" = Option<String>, Header, description = "The commitment's ETag read")),
    responses(
        (status = 200, description = "The commitment with its milestones", body = CommitmentResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such milestone", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The commitment changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/commitments/{id}/milestones/{milestone_id}")]
pub async fn milestone_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateMilestoneRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, milestone_id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let actor = who.0.authorize(org.id, Action::WriteContent)?.user_id;
    let mut c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    let all = st.store.milestones(&[c.id]).await?;
    let level_before = rules::completion(&all.iter().map(|m| m.status).collect::<Vec<_>>()).level;
    let mut m = all.into_iter().find(|m| m.id == milestone_id).ok_or_else(|| ApiError::not_found("milestone"))?;
    let b = body.0;
    let before = m.status;
    if let Some(t) = b.title {
        m.title = localized("title", t, &org, 300)?;
    }
    if let Some(t) = b.deliverable {
        m.deliverable = localized_optional("deliverable", t, &org, 5000)?;
    }
    if b.start_date.is_some() || b.end_date.is_some() {
        m.dates = span(b.start_date.unwrap_or(m.dates.start()), b.end_date.unwrap_or(m.dates.end()))?;
    }
    if let Some(s) = b.status {
        m.status = s.into();
        if m.status != MilestoneStatus::Done {
            m.completed_on = None;
        }
    }
    if b.completed_on.is_some() {
        m.completed_on = b.completed_on;
    }
    let today = today_in(&org);
    rules::check_completion(m.status, m.completed_on, today).map_err(completion_error)?;
    let now = pnyx_domain::now();
    m.updated_at = now;
    claim_commitment(&st, &mut c, &if_match).await?;
    st.store.update_milestone(&m).await?;
    if m.status != before {
        st.store
            .append_history(&HistoryEntry {
                id: Uuid::now_v7(),
                org_id: org.id,
                subject: SubjectKind::Milestone,
                subject_id: m.id,
                parent_id: Some(c.id),
                entry: EntryKind::StatusChange {
                    from: Some(before.as_str().to_owned()),
                    to: m.status.as_str().to_owned(),
                    reason: b.reason,
                },
                occurred_on: today,
                author_id: Some(actor),
                created_at: now,
            })
            .await?;
        record_level_change(&st, &c, level_before, actor, today).await?;
    }
    commitment_response(&st, &org, &c, StatusCode::OK).await
}

/// List a commitment's progress history
///
/// Progress updates and every status change of the commitment's milestones, oldest first. Public,
/// and append-only: entries are never edited or deleted, only corrected by a new one.
#[utoipa::path(
    tag = "action-plans", operation_id = "progress_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment"), PageParams),
    responses(
        (status = 200, description = "A page of the history, oldest first", body = HistoryList),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}/updates")]
pub async fn progress_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<HistoryList>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let c = visible_commitment(&st, &who.0, &org, id).await?;
    let page = st.store.history(c.id, q.page()?).await?;
    Ok(web::Json(HistoryList::from_page(page, history_dto)))
}

/// Post a progress update
///
/// Dated text with evidence links. Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "progress_create", request_body = CreateProgressRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 201, description = "Posted", body = HistoryEntryResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/updates")]
pub async fn progress_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateProgressRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let actor = who.0.authorize(org.id, Action::WriteContent)?.user_id;
    let c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    let b = body.0;
    let today = today_in(&org);
    let occurred_on = b.occurred_on.unwrap_or(today);
    let evidence: Vec<Evidence> = b.evidence.into_iter().map(|e| Evidence { url: e.url, title: e.title }).collect();
    check_update(&evidence, b.amount_spent, occurred_on, today).map_err(|e| {
        let field = match e {
            pnyx_domain::history::UpdateError::FutureDate => "occurred_on",
            pnyx_domain::history::UpdateError::NegativeAmount => "amount_spent",
            _ => "evidence",
        };
        ApiError::field(field, e.to_string())
    })?;
    let entry = HistoryEntry {
        id: Uuid::now_v7(),
        org_id: org.id,
        subject: SubjectKind::Commitment,
        subject_id: c.id,
        parent_id: None,
        entry: EntryKind::Update {
            text: localized("text", b.text, &org, 20_000)?,
            evidence,
            amount_spent: b.amount_spent,
        },
        occurred_on,
        author_id: Some(actor),
        created_at: pnyx_domain::now(),
    };
    st.store.append_history(&entry).await?;
    Ok(HttpResponse::Created().json(history_dto(entry)))
}

fn co_owner_dto(c: CoOwner, me: Option<Uuid>) -> CoOwnerResponse {
    CoOwnerResponse {
        id: c.id,
        me: me == Some(c.user_id),
        display_name: c.display_name,
        organisation: c.organisation,
        note: c.note,
        status: c.status.into(),
    }
}

/// List co-owners
///
/// Display names only. Removed ones are shown to staff only.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment"), PageParams),
    responses(
        (status = 200, description = "A page of co-owners", body = CoOwnerList),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}/co-owners")]
pub async fn co_owner_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<CoOwnerList>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let c = visible_commitment(&st, &who.0, &org, id).await?;
    let staff = who.0.is_staff_of(org.id);
    let me = who.0.user_id();
    let owners: Vec<CoOwner> =
        st.store.co_owners(c.id).await?.into_iter().filter(|o| staff || o.status != CoOwnerStatus::Removed).collect();
    let page = Page::of_list(owners, q.page()?, |o| o.id);
    Ok(web::Json(CoOwnerList::from_page(page, |o| co_owner_dto(o, me))))
}

/// Volunteer as co-owner
///
/// Any signed-in resident, for themselves or for a partner organisation; staff then accept.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_create", request_body(content = VolunteerRequest, description = "Optional"),
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 201, description = "Volunteered", body = CoOwnerResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already volunteered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/co-owners")]
pub async fn co_owner_create(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let caller = who.caller();
    let user = caller.authorize(org.id, Action::Participate)?.user_id;
    let c = visible_commitment(&st, &caller, &org, id).await?;
    let b: VolunteerRequest =
        if body.iter().all(u8::is_ascii_whitespace) { VolunteerRequest::default() } else { parse_json(&body)? };
    b.validate()?;
    let owner = CoOwner {
        id: Uuid::now_v7(),
        commitment_id: c.id,
        user_id: user,
        display_name: String::new(),
        organisation: b.organisation,
        note: b.note,
        status: CoOwnerStatus::Proposed,
        created_at: pnyx_domain::now(),
    };
    st.store.add_co_owner(&owner).await.map_err(|e| match e {
        RepoError::Conflict { .. } => {
            ApiError::conflict("already-co-owner", "You already volunteered for this commitment.")
        }
        other => other.into(),
    })?;
    let saved = st.store.co_owners(c.id).await?.into_iter().find(|o| o.id == owner.id).unwrap_or(owner);
    Ok(HttpResponse::Created().json(co_owner_dto(saved, Some(user))))
}

/// Accept or remove a co-owner
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_update", request_body = CoOwnerStatusRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment"), ("co_owner_id" = Uuid, Path, description = "The co-owner")),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such co-owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/commitments/{id}/co-owners/{co_owner_id}")]
pub async fn co_owner_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<CoOwnerStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, co_owner_id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    if st.store.set_co_owner_status(c.id, co_owner_id, body.0.status.into()).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("co-owner"))
    }
}

/// Withdraw as co-owner
///
/// The resident takes back their offer.
#[utoipa::path(
    tag = "action-plans", operation_id = "co_owner_delete",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not a co-owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/commitments/{id}/co-owners/me")]
pub async fn co_owner_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let c = st.store.commitment(org.id, id).await?.ok_or_else(|| ApiError::not_found("commitment"))?;
    if st.store.withdraw_co_owner(c.id, who.0.user_id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("co-ownership"))
    }
}
