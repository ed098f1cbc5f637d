//! Participatory budgets: processes and their phases, proposals with review and supports, the
//! secret ballot, results by the process's outcome rule, pabulib import and export, and the
//! winners' implementation (tracked in the shared history, like commitments).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::auth::{Action, Caller};
use pnyx_domain::budget::process::{
    self, Budget, Cast, Category, District, Phase, Proposal, ProposalFilter, Review, Schedule, Works,
};
use pnyx_domain::history::{EntryKind, Evidence, HistoryEntry, SubjectKind, check_update};
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{Page, RepoError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::ballots::{self, BallotRuleDto, OutcomeRuleDto};
use crate::dto::{LocalizedTextDto, localized, localized_optional};
use crate::dto_enum;
use crate::error::{ApiError, Problem};
use crate::extract::{
    Auth, IfMatch, PageParams, SignedIn, ValidJson, encode_cursor, etag, next_version, stale, today_in,
};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::list_response;
use crate::routes::orgs::org_of;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(budget_list)
        .service(budget_import)
        .service(budget_create)
        .service(budget_get)
        .service(budget_update)
        .service(budget_transition)
        .service(budget_export)
        .service(proposal_list)
        .service(proposal_create)
        .service(proposal_get)
        .service(proposal_update)
        .service(proposal_review)
        .service(proposal_support)
        .service(project_update_list)
        .service(project_update_create)
        .service(ballot_get)
        .service(ballot_cast)
        .service(budget_results);
}

dto_enum!(/// A phase of a process, in order.
    PhaseDto => Phase { Information, Proposals, Review, Supports, Voting, Results, Implementation });
dto_enum!(/// A proposal's review.
    ReviewDto => Review { Submitted, Feasible, Unfeasible });
dto_enum!(/// How a winner's construction is going.
    WorksDto => Works { Planned, InProgress, Done, Cancelled });

/// Money: integer minor units and the ISO 4217 currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoneyDto {
    #[schema(example = 1_500_000)]
    pub amount: i64,
    #[schema(example = "PLN")]
    pub currency: String,
}

fn money(amount: i64, b: &Budget) -> MoneyDto {
    MoneyDto { amount, currency: b.currency.clone() }
}

/// A district with its own money.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistrictDto {
    #[validate(length(min = 1, max = 100))]
    pub key: String,
    pub name: LocalizedTextDto,
    /// Minor units.
    #[validate(range(min = 0))]
    pub amount: i64,
}

/// A category of projects.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryDto {
    #[validate(length(min = 1, max = 100))]
    pub key: String,
    pub name: LocalizedTextDto,
}

/// The day each phase starts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDto {
    pub information: Option<NaiveDate>,
    pub proposals: Option<NaiveDate>,
    pub review: Option<NaiveDate>,
    pub supports: Option<NaiveDate>,
    pub voting: Option<NaiveDate>,
    pub results: Option<NaiveDate>,
    pub implementation: Option<NaiveDate>,
}

impl From<ScheduleDto> for Schedule {
    fn from(s: ScheduleDto) -> Self {
        Schedule {
            information: s.information,
            proposals: s.proposals,
            review: s.review,
            supports: s.supports,
            voting: s.voting,
            results: s.results,
            implementation: s.implementation,
        }
    }
}

impl From<&Schedule> for ScheduleDto {
    fn from(s: &Schedule) -> Self {
        ScheduleDto {
            information: s.information,
            proposals: s.proposals,
            review: s.review,
            supports: s.supports,
            voting: s.voting,
            results: s.results,
            implementation: s.implementation,
        }
    }
}

/// A participatory-budget process.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub rules_text: LocalizedTextDto,
    pub total: MoneyDto,
    pub districts: Vec<DistrictDto>,
    pub categories: Vec<CategoryDto>,
    pub schedule: ScheduleDto,
    pub phase: PhaseDto,
    /// The phase a transition may move to next, if any.
    pub next_phase: Option<PhaseDto>,
    pub supports_threshold: Option<u32>,
    pub ballot_rule: BallotRuleDto,
    pub outcome_rule: OutcomeRuleDto,
    /// Projects with fewer votes are out before the outcome rule runs.
    pub min_votes: u64,
    pub requires_verified: bool,
    /// Whether the process came from a pabulib file.
    pub imported: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(BudgetList, BudgetResponse, "Participatory-budget processes, newest first.");

fn budget_dto(b: &Budget) -> Result<BudgetResponse, ApiError> {
    Ok(BudgetResponse {
        id: b.id,
        title: (&b.title).into(),
        rules_text: (&b.rules_text).into(),
        total: money(b.total, b),
        districts: b
            .districts
            .iter()
            .map(|d| DistrictDto { key: d.key.clone(), name: (&d.name).into(), amount: d.amount })
            .collect(),
        categories: b.categories.iter().map(|c| CategoryDto { key: c.key.clone(), name: (&c.name).into() }).collect(),
        schedule: (&b.schedule).into(),
        phase: b.phase.into(),
        next_phase: process::next_phase(b.phase, b.supports_threshold.is_some()).map(Into::into),
        supports_threshold: b.supports_threshold,
        ballot_rule: (&b.ballot_rule).into(),
        outcome_rule: b.outcome_rule.into(),
        min_votes: b.min_votes,
        requires_verified: b.requires_verified,
        imported: b.pabulib.is_some(),
        created_at: b.created_at,
        updated_at: b.updated_at,
    })
}

fn budget_http(status: StatusCode, b: &Budget) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag(b.updated_at))).json(budget_dto(b)?))
}

/// A new process.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"pl": "Budżet obywatelski Sosnowca 2026"},
    "rules_text": {"pl": "Każdy mieszkaniec może zgłosić projekt i zagłosować na projekty ogólnomiejskie i dzielnicowe."},
    "total": 150_000_000_i64,
    "districts": [{"key": "centrum", "name": {"pl": "Centrum"}, "amount": 20_000_000}],
    "categories": [{"key": "zielen", "name": {"pl": "Zieleń"}}],
    "schedule": {"proposals": "2026-03-01", "review": "2026-04-15", "voting": "2026-09-01", "results": "2026-09-30"},
    "ballot_rule": {"kind": "approval", "max_projects": 5},
    "outcome_rule": "greedy",
    "min_votes": 100,
    "requires_verified": true
}))]
pub struct CreateBudgetRequest {
    pub title: LocalizedTextDto,
    #[serde(default)]
    pub rules_text: LocalizedTextDto,
    /// Minor units of the organisation's currency.
    #[validate(range(min = 1))]
    pub total: i64,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    pub districts: Vec<DistrictDto>,
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    pub categories: Vec<CategoryDto>,
    #[serde(default)]
    pub schedule: ScheduleDto,
    /// Supports a proposal needs to reach the ballot; omit for a process without a supports phase.
    pub supports_threshold: Option<u32>,
    pub ballot_rule: BallotRuleDto,
    pub outcome_rule: OutcomeRuleDto,
    #[serde(default)]
    pub min_votes: u64,
    #[serde(default)]
    pub requires_verified: bool,
}

/// Changes to a process; the rules (ballot, outcome, threshold, money) only before voting opens.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"schedule": {"voting": "2026-09-07", "results": "2026-10-01"}, "min_votes": 50}))]
pub struct UpdateBudgetRequest {
    pub title: Option<LocalizedTextDto>,
    pub rules_text: Option<LocalizedTextDto>,
    #[validate(range(min = 1))]
    pub total: Option<i64>,
    #[validate(length(max = 100), nested)]
    pub districts: Option<Vec<DistrictDto>>,
    #[validate(length(max = 100), nested)]
    pub categories: Option<Vec<CategoryDto>>,
    pub schedule: Option<ScheduleDto>,
    pub ballot_rule: Option<BallotRuleDto>,
    pub outcome_rule: Option<OutcomeRuleDto>,
    pub min_votes: Option<u64>,
    pub requires_verified: Option<bool>,
}

/// A phase change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "voting"}))]
pub struct BudgetTransitionRequest {
    pub to: PhaseDto,
}

fn districts(org: &Organisation, list: Vec<DistrictDto>) -> Result<Vec<District>, ApiError> {
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, d)| {
            if !seen.insert(d.key.clone()) {
                return Err(ApiError::field(format!("districts[{i}].key"), "is used twice"));
            }
            Ok(District {
                key: d.key,
                name: localized(&format!("districts[{i}].name"), d.name, org, 200)?,
                amount: d.amount,
            })
        })
        .collect()
}

fn categories(org: &Organisation, list: Vec<CategoryDto>) -> Result<Vec<Category>, ApiError> {
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, c)| {
            if !seen.insert(c.key.clone()) {
                return Err(ApiError::field(format!("categories[{i}].key"), "is used twice"));
            }
            Ok(Category { key: c.key, name: localized(&format!("categories[{i}].name"), c.name, org, 200)? })
        })
        .collect()
}

fn schedule(s: ScheduleDto) -> Result<Schedule, ApiError> {
    let s: Schedule = s.into();
    s.check().map_err(|e| ApiError::field(format!("schedule.{}", e.later), e.to_string()))?;
    Ok(s)
}

async fn load(st: &AppState, org: &Organisation, id: Uuid) -> Result<Budget, ApiError> {
    st.store.budget(org.id, id).await?.ok_or_else(|| ApiError::not_found("budget"))
}

fn wrong_phase(b: &Budget, what: &str) -> ApiError {
    ApiError::conflict("wrong-phase", format!("{what} is not possible in the {} phase.", b.phase.as_str()))
}

/// List participatory-budget processes
///
/// Public, newest first.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
    responses(
        (status = 200, description = "A page of processes", body = BudgetList),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets")]
pub async fn budget_list(
    st: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<PageParams>,
) -> Result<web::Json<BudgetList>, ApiError> {
    let org = org_of(&st, &path).await?;
    let page = Page::of_list(st.store.budgets(org.id).await?, q.page()?, |b| b.id);
    let items = page.items.iter().map(budget_dto).collect::<Result<Vec<_>, _>>()?;
    Ok(web::Json(BudgetList { items, next_cursor: page.next_after.map(encode_cursor), total: page.total }))
}

/// Create a process
///
/// In the information phase. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_create", request_body = CreateBudgetRequest,
    params(("org" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 201, description = "Created", body = BudgetResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets")]
pub async fn budget_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<CreateBudgetRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let b = body.0;
    let now = pnyx_domain::now();
    let budget = Budget {
        id: Uuid::now_v7(),
        org_id: org.id,
        title: localized("title", b.title, &org, 300)?,
        rules_text: localized_optional("rules_text", b.rules_text, &org, 50_000)?,
        total: b.total,
        currency: org.currency.as_str().to_owned(),
        districts: districts(&org, b.districts)?,
        categories: categories(&org, b.categories)?,
        schedule: schedule(b.schedule)?,
        phase: Phase::Information,
        supports_threshold: b.supports_threshold,
        ballot_rule: ballots::store_rule(&b.ballot_rule)?,
        outcome_rule: b.outcome_rule.into(),
        min_votes: b.min_votes,
        requires_verified: b.requires_verified,
        pabulib: None,
        created_at: now,
        updated_at: now,
    };
    st.store.create_budget(&budget).await?;
    budget_http(StatusCode::CREATED, &budget)
}

/// Get a process
#[utoipa::path(
    tag = "budgets", operation_id = "budget_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 200, description = "The process", body = BudgetResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}")]
pub async fn budget_get(st: web::Data<AppState>, path: web::Path<(String, Uuid)>) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    budget_http(StatusCode::OK, &load(&st, &org, id).await?)
}

/// Update a process
///
/// Texts and schedule at any time; money, districts, ballot and outcome rules only before voting
/// opens (409 after). Requires: admin or official. Honours `If-Match`.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_update", request_body = UpdateBudgetRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = BudgetResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The rules are fixed once voting opened", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/budgets/{id}")]
pub async fn budget_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateBudgetRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut b = load(&st, &org, id).await?;
    if if_match.expected()?.is_some_and(|e| e != b.updated_at) {
        return Err(ApiError::precondition_failed());
    }
    let r = body.0;
    let rules_change = r.total.is_some()
        || r.districts.is_some()
        || r.ballot_rule.is_some()
        || r.outcome_rule.is_some()
        || r.min_votes.is_some()
        || r.requires_verified.is_some();
    if rules_change && b.phase >= Phase::Voting {
        return Err(ApiError::conflict("rules-fixed", "The rules of a process are fixed once voting has opened."));
    }
    let previous = b.updated_at;
    if let Some(t) = r.title {
        b.title = localized("title", t, &org, 300)?;
    }
    if let Some(t) = r.rules_text {
        b.rules_text = localized_optional("rules_text", t, &org, 50_000)?;
    }
    if let Some(t) = r.total {
        b.total = t;
    }
    if let Some(d) = r.districts {
        b.districts = districts(&org, d)?;
    }
    if let Some(c) = r.categories {
        b.categories = categories(&org, c)?;
    }
    if let Some(s) = r.schedule {
        b.schedule = schedule(s)?;
    }
    if let Some(rule) = r.ballot_rule {
        b.ballot_rule = ballots::store_rule(&rule)?;
    }
    if let Some(rule) = r.outcome_rule {
        b.outcome_rule = rule.into();
    }
    if let Some(m) = r.min_votes {
        b.min_votes = m;
    }
    if let Some(v) = r.requires_verified {
        b.requires_verified = v;
    }
    b.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_budget(&b, previous).await.map_err(stale)?;
    budget_http(StatusCode::OK, &b)
}

/// Move a process to its next phase
///
/// information → proposals → review → (supports) → voting → results → implementation, one step
/// at a time. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_transition", request_body = BudgetTransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 200, description = "The process now", body = BudgetResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the next phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown phase", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/transitions")]
pub async fn budget_transition(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<BudgetTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut b = load(&st, &org, id).await?;
    let to: Phase = body.0.to.into();
    process::check_phase_change(b.phase, to, b.supports_threshold.is_some())
        .map_err(|e| ApiError::conflict("invalid-transition", e.to_string()))?;
    let previous = b.updated_at;
    b.phase = to;
    b.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_budget(&b, previous).await.map_err(stale)?;
    if to == Phase::Results {
        ballots::warm(st.clone(), b.clone());
    }
    if to == Phase::Implementation {
        // The winners of the process's own rule, in each district (or the whole process), become
        // projects to build.
        let areas: Vec<Option<&str>> = if b.districts.is_empty() {
            vec![None]
        } else {
            b.districts.iter().map(|d| Some(d.key.as_str())).collect()
        };
        for area in areas {
            let outcome = ballots::outcome(&st, &b, None, area, None).await?;
            for w in &outcome.response.winners {
                if let Some(mut p) = st.store.proposal(b.id, w.proposal_id).await?
                    && p.works.is_none()
                {
                    let before = p.updated_at;
                    p.works = Some(Works::Planned);
                    p.updated_at = next_version(pnyx_domain::now(), before);
                    st.store.update_proposal(&p, before).await.map_err(stale)?;
                }
            }
        }
    }
    budget_http(StatusCode::OK, &b)
}

// ---------------------------------------------------------------------------------------------
// Proposals

/// A project proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalResponse {
    pub id: Uuid,
    /// The id other tools (pabulib) know it by; ties between equal projects are broken by it.
    pub code: String,
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    pub category: Option<String>,
    pub district: Option<String>,
    pub location: Option<String>,
    pub estimated_cost: MoneyDto,
    pub validated_cost: Option<MoneyDto>,
    pub images: Vec<String>,
    pub review: ReviewDto,
    pub review_reason: Option<String>,
    pub supports: u32,
    /// Whether it is (or will be) on the ballot.
    pub on_ballot: bool,
    pub works: Option<WorksDto>,
    pub amount_spent: Option<MoneyDto>,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// Whether the caller supported it.
    pub supported: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(ProposalList, ProposalResponse, "Proposals of a process.");

fn proposal_dto(b: &Budget, p: &Proposal, me: Option<Uuid>, supported: bool) -> ProposalResponse {
    ProposalResponse {
        id: p.id,
        code: p.code.clone(),
        title: (&p.title).into(),
        description: (&p.description).into(),
        category: p.category.clone(),
        district: p.district.clone(),
        location: p.location.clone(),
        estimated_cost: money(p.estimated_cost, b),
        validated_cost: p.validated_cost.map(|c| money(c, b)),
        images: p.images.clone(),
        review: p.review.into(),
        review_reason: p.review_reason.clone(),
        supports: p.supports,
        on_ballot: b.is_on_ballot(p),
        works: p.works.map(Into::into),
        amount_spent: p.amount_spent.map(|a| money(a, b)),
        mine: me.is_some() && p.author_id == me,
        supported,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

async fn proposal_http(
    st: &AppState,
    caller: &Caller,
    b: &Budget,
    p: &Proposal,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let me = caller.user_id();
    let supported = match me {
        Some(u) => st.store.has_supported(p.id, u).await?,
        None => false,
    };
    Ok(HttpResponse::build(status)
        .insert_header((header::ETAG, etag(p.updated_at)))
        .json(proposal_dto(b, p, me, supported)))
}

/// Filters and order of the proposal list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalFilterParams {
    pub district: Option<String>,
    pub category: Option<String>,
    pub review: Option<ReviewDto>,
    /// Only those on the ballot.
    pub on_ballot: Option<bool>,
    /// `cost`, `supports`, `created_at` (default), `-` first for descending.
    pub sort: Option<String>,
}

/// A new proposal.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"pl": "Zielone podwórko przy ul. Mościckiego"},
    "description": {"pl": "Nasadzenia drzew i krzewów, ławki i stojaki na rowery."},
    "category": "zielen", "district": "centrum", "location": "ul. Mościckiego 12",
    "estimated_cost": 18_000_000
}))]
pub struct CreateProposalRequest {
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    #[validate(length(min = 1, max = 100))]
    pub category: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub district: Option<String>,
    #[validate(length(min = 1, max = 500))]
    pub location: Option<String>,
    /// Minor units.
    #[validate(range(min = 1))]
    pub estimated_cost: i64,
    #[serde(default)]
    #[validate(length(max = 10))]
    pub images: Vec<String>,
}

/// The author's changes, until review starts.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"estimated_cost": 19_000_000, "location": "ul. Mościckiego 12–14"}))]
pub struct UpdateProposalRequest {
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    #[validate(length(min = 1, max = 100))]
    pub category: Option<String>,
    #[validate(length(min = 1, max = 100))]
    pub district: Option<String>,
    #[validate(length(min = 1, max = 500))]
    pub location: Option<String>,
    #[validate(range(min = 1))]
    pub estimated_cost: Option<i64>,
    #[validate(length(max = 10))]
    pub images: Option<Vec<String>>,
}

/// The feasibility review.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"feasible": true, "validated_cost": 19_500_000}))]
pub struct ReviewRequest {
    pub feasible: bool,
    /// Required when unfeasible.
    #[validate(length(min = 1, max = 5000))]
    pub reason: Option<String>,
    /// Minor units; defaults to the estimate.
    #[validate(range(min = 1))]
    pub validated_cost: Option<i64>,
}

fn check_place(b: &Budget, category: Option<&String>, district: Option<&String>) -> Result<(), ApiError> {
    if let Some(c) = category
        && !b.categories.iter().any(|x| &x.key == c)
    {
        return Err(ApiError::field("category", "is not a category of this process"));
    }
    if let Some(d) = district
        && !b.districts.iter().any(|x| &x.key == d)
    {
        return Err(ApiError::field("district", "is not a district of this process"));
    }
    if district.is_none() && !b.districts.is_empty() {
        return Err(ApiError::field("district", "is required: this process has districts"));
    }
    Ok(())
}

fn check_images(images: &[String]) -> Result<(), ApiError> {
    for (i, url) in images.iter().enumerate() {
        if !validator::ValidateUrl::validate_url(url) || url.len() > 2000 {
            return Err(ApiError::field(format!("images[{i}]"), "must be a URL"));
        }
    }
    Ok(())
}

/// List proposals
///
/// Filter by `?district=`, `?category=`, `?review=`, `?on_ballot=true`; sort by `?sort=cost`,
/// `-cost`, `supports`, `-supports`, `created_at`.
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ProposalFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of proposals", body = ProposalList),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad sort or paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals")]
pub async fn proposal_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    f: web::Query<ProposalFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ProposalList>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = load(&st, &org, id).await?;
    let f = f.into_inner();
    let filter = ProposalFilter { district: f.district, category: f.category, review: f.review.map(Into::into) };
    let mut list = st.store.proposals(b.id, &filter).await?;
    if let Some(want) = f.on_ballot {
        list.retain(|p| b.is_on_ballot(p) == want);
    }
    let sort = f.sort.as_deref().unwrap_or("created_at");
    let (desc, key) = sort.strip_prefix('-').map_or((false, sort), |k| (true, k));
    match key {
        "cost" => list.sort_by_key(|p| (p.cost(), p.id)),
        "supports" => list.sort_by_key(|p| (p.supports, p.id)),
        "created_at" => list.sort_by_key(|p| p.id),
        _ => return Err(ApiError::field("sort", "must be cost, supports or created_at, with - for descending")),
    }
    if desc {
        list.reverse();
    }
    let page = Page::of_list(list, q.page()?, |p| p.id);
    let me = who.0.user_id();
    let mut items = Vec::with_capacity(page.items.len());
    for p in &page.items {
        let supported = match me {
            Some(u) if b.supports_threshold.is_some() => st.store.has_supported(p.id, u).await?,
            _ => false,
        };
        items.push(proposal_dto(&b, p, me, supported));
    }
    Ok(web::Json(ProposalList { items, next_cursor: page.next_after.map(encode_cursor), total: page.total }))
}

/// Submit a proposal
///
/// Any signed-in resident, during the proposals phase (409 otherwise).
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_create", request_body = CreateProposalRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 201, description = "Submitted", body = ProposalResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the proposals phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals")]
pub async fn proposal_create(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let caller = who.caller();
    let user = caller.authorize(org.id, Action::Participate)?.user_id;
    let b = load(&st, &org, id).await?;
    let r = body.0;
    check_place(&b, r.category.as_ref(), r.district.as_ref())?;
    check_images(&r.images)?;
    if b.phase != Phase::Proposals {
        return Err(wrong_phase(&b, "Submitting a proposal"));
    }
    let now = pnyx_domain::now();
    let pid = Uuid::now_v7();
    let p = Proposal {
        id: pid,
        budget_id: b.id,
        org_id: org.id,
        author_id: Some(user),
        code: pid.to_string(),
        title: localized("title", r.title, &org, 300)?,
        description: localized("description", r.description, &org, 20_000)?,
        category: r.category,
        district: r.district,
        location: r.location,
        estimated_cost: r.estimated_cost,
        images: r.images,
        review: Review::Submitted,
        review_reason: None,
        validated_cost: None,
        supports: 0,
        works: None,
        amount_spent: None,
        pabulib_extra: None,
        created_at: now,
        updated_at: now,
    };
    st.store.create_proposal(&p).await?;
    proposal_http(&st, &caller, &b, &p, StatusCode::CREATED).await
}

async fn load_proposal(st: &AppState, b: &Budget, id: Uuid) -> Result<Proposal, ApiError> {
    st.store.proposal(b.id, id).await?.ok_or_else(|| ApiError::not_found("proposal"))
}

/// Get a proposal
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 200, description = "The proposal", body = ProposalResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals/{proposal_id}")]
pub async fn proposal_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, pid) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = load(&st, &org, id).await?;
    let p = load_proposal(&st, &b, pid).await?;
    proposal_http(&st, &who.0, &b, &p, StatusCode::OK).await
}

/// Edit my proposal
///
/// The author, until review starts (409 after). Honours `If-Match`.
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_update", request_body = UpdateProposalRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal"), ("If-Match" = Option<String>, Header, description = "The ETag read")),
    responses(
        (status = 200, description = "Updated", body = ProposalResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the author", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Review has started", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/budgets/{id}/proposals/{proposal_id}")]
pub async fn proposal_update(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateProposalRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, pid) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let caller = who.caller();
    let user = caller.authorize(org.id, Action::Participate)?.user_id;
    let b = load(&st, &org, id).await?;
    let mut p = load_proposal(&st, &b, pid).await?;
    if p.author_id != Some(user) {
        return Err(ApiError::forbidden());
    }
    if b.phase != Phase::Proposals {
        return Err(wrong_phase(&b, "Editing a proposal"));
    }
    if if_match.expected()?.is_some_and(|e| e != p.updated_at) {
        return Err(ApiError::precondition_failed());
    }
    let r = body.0;
    let previous = p.updated_at;
    if let Some(t) = r.title {
        p.title = localized("title", t, &org, 300)?;
    }
    if let Some(t) = r.description {
        p.description = localized("description", t, &org, 20_000)?;
    }
    if r.category.is_some() {
        p.category = r.category;
    }
    if r.district.is_some() {
        p.district = r.district;
    }
    if r.location.is_some() {
        p.location = r.location;
    }
    if let Some(c) = r.estimated_cost {
        p.estimated_cost = c;
    }
    if let Some(i) = r.images {
        check_images(&i)?;
        p.images = i;
    }
    check_place(&b, p.category.as_ref(), p.district.as_ref())?;
    p.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_proposal(&p, previous).await.map_err(stale)?;
    proposal_http(&st, &caller, &b, &p, StatusCode::OK).await
}

/// Record a proposal's feasibility review
///
/// During the review phase. Only feasible proposals reach the ballot. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_review", request_body = ReviewRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 200, description = "Reviewed", body = ProposalResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the review phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (an unfeasible one needs reasons)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/review")]
pub async fn proposal_review(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, pid) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let b = load(&st, &org, id).await?;
    let mut p = load_proposal(&st, &b, pid).await?;
    let r = body.0;
    if !r.feasible && r.reason.is_none() {
        return Err(ApiError::field("reason", "is required for an unfeasible proposal"));
    }
    if b.phase != Phase::Review {
        return Err(wrong_phase(&b, "Reviewing a proposal"));
    }
    let previous = p.updated_at;
    p.review = if r.feasible { Review::Feasible } else { Review::Unfeasible };
    p.review_reason = r.reason;
    p.validated_cost = if r.feasible { Some(r.validated_cost.unwrap_or(p.estimated_cost)) } else { None };
    p.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_proposal(&p, previous).await.map_err(stale)?;
    proposal_http(&st, &who.0, &b, &p, StatusCode::OK).await
}

/// Support a proposal
///
/// During the supports phase, once per resident (409 for a second time or another phase).
#[utoipa::path(
    tag = "budgets", operation_id = "proposal_support",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 201, description = "Supported", body = ProposalResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the supports phase, not feasible, or already supported", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/supports")]
pub async fn proposal_support(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, pid) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let caller = who.caller();
    let user = caller.authorize(org.id, Action::Participate)?.user_id;
    let b = load(&st, &org, id).await?;
    let p = load_proposal(&st, &b, pid).await?;
    if b.phase != Phase::Supports {
        return Err(wrong_phase(&b, "Supporting a proposal"));
    }
    if p.review != Review::Feasible {
        return Err(ApiError::conflict("not-feasible", "Only feasible proposals collect supports."));
    }
    if !st.store.support(p.id, user).await? {
        return Err(ApiError::conflict("already-supported", "You already support this proposal."));
    }
    let p = load_proposal(&st, &b, pid).await?;
    proposal_http(&st, &caller, &b, &p, StatusCode::CREATED).await
}

// ---------------------------------------------------------------------------------------------
// Implementation: the shared history, as for commitments.

/// A progress report on a winner under construction.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "text": {"pl": "Posadzono 40 drzew; ławki zostaną zamontowane w maju."},
    "photos": ["https://bo.sosnowiec.pl/zdjecia/podworko-1.jpg"],
    "amount_spent": 9_000_000, "works": "in_progress", "occurred_on": "2026-04-20"
}))]
pub struct ProjectUpdateRequest {
    pub text: LocalizedTextDto,
    /// Photos and documents, by URL.
    #[serde(default)]
    #[validate(length(max = 20))]
    pub photos: Vec<String>,
    /// The total spent so far, in minor units.
    #[validate(range(min = 0))]
    pub amount_spent: Option<i64>,
    /// A new state of the works; the change is recorded in the history.
    pub works: Option<WorksDto>,
    pub occurred_on: Option<NaiveDate>,
}

/// An entry of a project's public history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectHistoryEntry {
    pub id: Uuid,
    /// `update` or `status_change`.
    pub kind: String,
    pub text: Option<LocalizedTextDto>,
    pub photos: Vec<String>,
    pub amount_spent: Option<i64>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub occurred_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

list_response!(ProjectHistory, ProjectHistoryEntry, "A project's implementation history, oldest first.");

fn project_entry(e: HistoryEntry) -> ProjectHistoryEntry {
    let (kind, text, photos, amount_spent, from, to) = match e.entry {
        EntryKind::Update { text, evidence, amount_spent } => {
            ("update", Some((&text).into()), evidence.into_iter().map(|v| v.url).collect(), amount_spent, None, None)
        }
        EntryKind::StatusChange { from, to, .. } => ("status_change", None, Vec::new(), None, from, Some(to)),
    };
    ProjectHistoryEntry {
        id: e.id,
        kind: kind.to_owned(),
        text,
        photos,
        amount_spent,
        from_status: from,
        to_status: to,
        occurred_on: e.occurred_on,
        created_at: e.created_at,
    }
}

/// List a project's implementation history
#[utoipa::path(
    tag = "budgets", operation_id = "project_update_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The project"), PageParams),
    responses(
        (status = 200, description = "A page of the history", body = ProjectHistory),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/updates")]
pub async fn project_update_list(
    st: web::Data<AppState>,
    path: web::Path<(String, Uuid, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ProjectHistory>, ApiError> {
    let (slug, id, pid) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = load(&st, &org, id).await?;
    let p = load_proposal(&st, &b, pid).await?;
    Ok(web::Json(ProjectHistory::from_page(st.store.history(p.id, q.page()?).await?, project_entry)))
}

/// Report progress on a winning project
///
/// Text, photos, the amount spent so far and the works' new state (recorded as a status change).
/// The history is append-only. Requires: admin or official; the process in implementation.
#[utoipa::path(
    tag = "budgets", operation_id = "project_update_create", request_body = ProjectUpdateRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The project")),
    responses(
        (status = 201, description = "Recorded", body = ProposalResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a winner, or not in implementation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/updates")]
pub async fn project_update_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    body: ValidJson<ProjectUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, pid) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let actor = who.0.authorize(org.id, Action::WriteContent)?.user_id;
    let b = load(&st, &org, id).await?;
    let mut p = load_proposal(&st, &b, pid).await?;
    let Some(before) = p.works else {
        return Err(ApiError::conflict("not-a-winner", "Only winning projects in implementation are tracked."));
    };
    let r = body.0;
    check_images(&r.photos)?;
    let today = today_in(&org);
    let occurred_on = r.occurred_on.unwrap_or(today);
    let evidence: Vec<Evidence> = r.photos.into_iter().map(|url| Evidence { url, title: None }).collect();
    check_update(&evidence, r.amount_spent, occurred_on, today).map_err(|e| {
        let field = match e {
            pnyx_domain::history::UpdateError::FutureDate => "occurred_on",
            pnyx_domain::history::UpdateError::NegativeAmount => "amount_spent",
            _ => "photos",
        };
        ApiError::field(field, e.to_string())
    })?;
    let text = localized("text", r.text, &org, 20_000)?;
    let now = pnyx_domain::now();
    let previous = p.updated_at;
    if let Some(a) = r.amount_spent {
        p.amount_spent = Some(a);
    }
    let after = r.works.map_or(before, Into::into);
    p.works = Some(after);
    p.updated_at = next_version(now, previous);
    st.store.update_proposal(&p, previous).await.map_err(stale)?;
    let entry = |entry| HistoryEntry {
        id: Uuid::now_v7(),
        org_id: org.id,
        subject: SubjectKind::BudgetProject,
        subject_id: p.id,
        parent_id: None,
        entry,
        occurred_on,
        author_id: Some(actor),
        created_at: now,
    };
    if after != before {
        st.store
            .append_history(&entry(EntryKind::StatusChange {
                from: Some(before.as_str().to_owned()),
                to: after.as_str().to_owned(),
                reason: None,
            }))
            .await?;
    }
    st.store.append_history(&entry(EntryKind::Update { text, evidence, amount_spent: r.amount_spent })).await?;
    proposal_http(&st, &who.0, &b, &p, StatusCode::CREATED).await
}

// ---------------------------------------------------------------------------------------------
// The ballot

/// Which district's ballot.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictParam {
    /// The district's key; omit for the process-wide ballot.
    pub district: Option<String>,
}

/// Get my ballot
///
/// The signed-in resident's own ballot, found through their secret ballot key.
#[utoipa::path(
    tag = "budgets", operation_id = "ballot_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), DistrictParam),
    responses(
        (status = 200, description = "My ballot", body = ballots::BallotResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No ballot cast", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/ballot")]
pub async fn ballot_get(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    q: web::Query<DistrictParam>,
) -> Result<web::Json<ballots::BallotResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let user = who.caller().authorize(org.id, Action::Participate)?.user_id;
    let b = load(&st, &org, id).await?;
    let district = q.into_inner().district;
    let key = st.ballot_keys.key(b.id, district.as_deref(), user);
    let ballot = st.store.ballot_by_key(b.id, &key).await?.ok_or_else(|| ApiError::not_found("ballot"))?;
    Ok(web::Json(ballots::ballot_dto(&ballot)))
}

/// Cast or replace my ballot
///
/// While voting is open (409 otherwise), one ballot per resident, process and district — kept
/// by the database, so simultaneous casts leave one. A ballot that breaks the process's ballot
/// rule is a 422 saying which. The ballot is stored without the voter's identity. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "budgets", operation_id = "ballot_cast", request_body = ballots::BallotRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The process"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 200, description = "Replaced", body = ballots::BallotResponse),
        (status = 201, description = "Cast", body = ballots::BallotResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Voting requires verified residency", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Voting is not open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The ballot breaks a rule", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/budgets/{id}/ballot")]
pub async fn ballot_cast(
    st: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let caller = who.caller();
    let user = caller.authorize(org.id, Action::Participate)?.user_id;
    let b = load(&st, &org, id).await?;
    if b.requires_verified {
        caller.authorize(org.id, Action::ParticipateVerified).map_err(|_| {
            ApiError::new(StatusCode::FORBIDDEN, "not-verified", "Voting in this process requires verified residency.")
        })?;
    }
    let request: ballots::BallotRequest = crate::extract::parse_json(&body)?;
    request.validate()?;
    let fp = fingerprint(&req, &body);
    let run = || async {
        if b.phase != Phase::Voting {
            return Err(wrong_phase(&b, "Voting"));
        }
        let all = st.store.proposals(b.id, &ProposalFilter::default()).await?;
        let stored = ballots::check(&b, &all, &request)?;
        let ballot_key = st.ballot_keys.key(b.id, stored.district.as_deref(), user);
        let cast = st.store.cast_ballot(b.id, user, &ballot_key, &stored, today_in(&org)).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ApiError::conflict(
                "ballot-key-changed",
                "Your earlier ballot can no longer be found (the server's ballot secret changed); ask the municipality.",
            ),
            other => other.into(),
        })?;
        let status = if cast == Cast::First { StatusCode::CREATED } else { StatusCode::OK };
        Ok((status, serde_json::to_value(ballots::ballot_dto(&stored)).map_err(ApiError::internal)?))
    };
    idempotent(&st, user, key, fp, run).await
}

/// Which result.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultParams {
    /// An outcome rule other than the process's own, to compare.
    pub rule: Option<OutcomeRuleDto>,
    /// The district's key; omit for the process-wide result.
    pub district: Option<String>,
    /// A minimum number of votes other than the process's own (e.g. 0, to compare with a
    /// recomputation that applies none).
    pub min_votes: Option<u64>,
}

/// Get the results
///
/// The winners in selection order by the process's outcome rule (or `?rule=`), each project's
/// votes, each winner's cost and per-voter share where the rule has one, and the money left.
/// Public from the results phase on; staff only before.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_results",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process"), ResultParams),
    responses(
        (status = 200, description = "The results", body = ballots::ResultsResponse),
        (status = 400, description = "Unknown rule", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not public yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process or district", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/results")]
pub async fn budget_results(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<ResultParams>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = load(&st, &org, id).await?;
    if b.phase < Phase::Results {
        who.0.authorize(org.id, Action::SeeStaffView)?;
    }
    let q = q.into_inner();
    let outcome = ballots::outcome(&st, &b, q.rule, q.district.as_deref(), q.min_votes).await?;
    Ok(HttpResponse::Ok().content_type(mime::APPLICATION_JSON).body(outcome.json.clone()))
}

// ---------------------------------------------------------------------------------------------
// pabulib

/// The largest `.pb` file taken: Kraków 2024 (65,000 voters) is 4 MiB.
const MAX_PB_BODY: usize = 32 * 1024 * 1024;

/// Import a process from a pabulib file
///
/// The body is a `.pb` file (`text/plain`, up to 32 MiB): its projects become feasible proposals
/// and its votes anonymous ballots, in the results phase. Requires: admin or official.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_import",
    request_body(content = String, content_type = "text/plain", description = "A pabulib `.pb` file"),
    params(("org" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 201, description = "Imported", body = BudgetResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 32 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a pabulib file we can read (the line is named)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/import")]
pub async fn budget_import(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let body = crate::extract::read_limited(&mut payload, declared, MAX_PB_BODY).await?;
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::field("body", "is not UTF-8 text"))?;
    let (budget, proposals, stored) = ballots::import(&org, text)?;
    st.store.import_budget(&budget, &proposals, &stored).await?;
    ballots::warm(st.clone(), budget.clone());
    budget_http(StatusCode::CREATED, &budget)
}

/// Export a process as a pabulib file
///
/// Its feasible projects and every ballot, anonymous. Public from the results phase on; staff only
/// before.
#[utoipa::path(
    tag = "budgets", operation_id = "budget_export",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The process")),
    responses(
        (status = 200, description = "The `.pb` file", body = String, content_type = "text/plain"),
        (status = 403, description = "Not public yet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/export.pb")]
pub async fn budget_export(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let b = load(&st, &org, id).await?;
    if b.phase < Phase::Results {
        who.0.authorize(org.id, Action::SeeStaffView)?;
    }
    let proposals = st.store.proposals(b.id, &ProposalFilter::default()).await?;
    let all_ballots = st.store.ballots(b.id).await?;
    let text = ballots::export(&org, &b, &proposals, &all_ballots)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.pb\"", b.id)))
        .body(text))
}
