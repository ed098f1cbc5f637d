//! The bodies of proposals, their review, and the winners' implementation history.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::budget::process::{ProposalFilter, Review, Works};
use pnyx_domain::budget::service::{
    NewProposal, ProgressReport, ProposalCan, ProposalChanges, ProposalQuery, ProposalView, ReviewInput,
};
use pnyx_domain::history::{EntryKind, HistoryEntry};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::dto_process::{MoneyDto, money};
use crate::dto::LocalizedTextDto;
use crate::{dto_enum, list_response};

dto_enum!(/// A proposal's review.
    ReviewDto => Review { Submitted, Feasible, Unfeasible });
dto_enum!(/// How a winner's construction is going.
    WorksDto => Works { Planned, InProgress, Done, Cancelled });

/// What the caller may do with a proposal now (the same decisions the requests make).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"edit": false, "review": true, "support": false}))]
pub struct ProposalCanDto {
    /// Edit it: its author, in the proposals phase.
    pub edit: bool,
    /// Record its review: staff, in the review phase.
    pub review: bool,
    /// Support it: signed in and not yet supporting, in the supports phase, if it is feasible.
    pub support: bool,
}

impl From<&ProposalCan> for ProposalCanDto {
    fn from(c: &ProposalCan) -> Self {
        ProposalCanDto { edit: c.edit, review: c.review, support: c.support }
    }
}

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
    /// What the caller may do with it.
    pub can: ProposalCanDto,
    /// Visible comments on it.
    pub comment_count: u64,
    /// A moderator hid its description, location and images from residents, for this public
    /// reason (staff still see them).
    pub hidden_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(ProposalList, ProposalResponse, "Proposals of a process.");

pub fn proposal_dto(v: &ProposalView) -> ProposalResponse {
    let p = &v.proposal;
    let c = v.currency.as_str();
    ProposalResponse {
        id: p.id.into(),
        code: p.code.clone(),
        title: (&p.title).into(),
        description: (&p.description).into(),
        category: p.category.clone(),
        district: p.district.clone(),
        location: p.location.clone(),
        estimated_cost: money(p.estimated_cost, c),
        validated_cost: p.validated_cost.map(|a| money(a, c)),
        images: p.images.clone(),
        review: p.review.into(),
        review_reason: p.review_reason.clone(),
        supports: p.supports,
        on_ballot: v.on_ballot,
        works: p.works.map(Into::into),
        amount_spent: p.amount_spent.map(|a| money(a, c)),
        mine: v.mine,
        supported: v.supported,
        can: (&v.can).into(),
        comment_count: v.comment_count,
        hidden_reason: v.hidden_reason.clone(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
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
    /// `cost`, `supports`, `created_at` (default), `most_commented` (most first), `-` first for
    /// descending.
    #[param(pattern = "^-?(cost|supports|created_at|most_commented)$")]
    pub sort: Option<String>,
    /// Full-text search in the title, description and location (as `GET .../search` matches:
    /// every word, the last as a prefix, accents and case ignored).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

impl From<ProposalFilterParams> for ProposalQuery {
    fn from(f: ProposalFilterParams) -> Self {
        ProposalQuery {
            filter: ProposalFilter { district: f.district, category: f.category, review: f.review.map(Into::into) },
            on_ballot: f.on_ballot,
            sort: f.sort,
            text: f.q,
        }
    }
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
    #[schema(min_length = 1, max_length = 100)]
    pub category: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub district: Option<String>,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub location: Option<String>,
    /// Minor units.
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub estimated_cost: i64,
    #[serde(default)]
    #[validate(length(max = 10))]
    #[schema(max_items = 10, value_type = Vec<crate::dto::WebUrl>)]
    pub images: Vec<String>,
}

impl From<CreateProposalRequest> for NewProposal {
    fn from(r: CreateProposalRequest) -> Self {
        NewProposal {
            title: r.title.into(),
            description: r.description.into(),
            category: r.category,
            district: r.district,
            location: r.location,
            estimated_cost: r.estimated_cost,
            images: r.images,
        }
    }
}

/// The author's changes, until review starts.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"estimated_cost": 19_000_000, "location": "ul. Mościckiego 12–14"}))]
pub struct UpdateProposalRequest {
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub category: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub district: Option<String>,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub location: Option<String>,
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub estimated_cost: Option<i64>,
    #[validate(length(max = 10))]
    #[schema(max_items = 10, value_type = Option<Vec<crate::dto::WebUrl>>)]
    pub images: Option<Vec<String>>,
}

impl From<UpdateProposalRequest> for ProposalChanges {
    fn from(r: UpdateProposalRequest) -> Self {
        ProposalChanges {
            title: r.title.map(Into::into),
            description: r.description.map(Into::into),
            category: r.category,
            district: r.district,
            location: r.location,
            estimated_cost: r.estimated_cost,
            images: r.images,
        }
    }
}

/// The feasibility review.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"feasible": true, "validated_cost": 19_500_000}))]
pub struct ReviewRequest {
    pub feasible: bool,
    /// Required when unfeasible.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub reason: Option<String>,
    /// Minor units; defaults to the estimate.
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub validated_cost: Option<i64>,
}

impl From<ReviewRequest> for ReviewInput {
    fn from(r: ReviewRequest) -> Self {
        ReviewInput { feasible: r.feasible, reason: r.reason, validated_cost: r.validated_cost }
    }
}

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
    #[schema(max_items = 20, value_type = Vec<crate::dto::WebUrl>)]
    pub photos: Vec<String>,
    /// The total spent so far, in minor units.
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub amount_spent: Option<i64>,
    /// A new state of the works; the change is recorded in the history.
    pub works: Option<WorksDto>,
    pub occurred_on: Option<NaiveDate>,
}

impl From<ProjectUpdateRequest> for ProgressReport {
    fn from(r: ProjectUpdateRequest) -> Self {
        ProgressReport {
            text: r.text.into(),
            photos: r.photos,
            amount_spent: r.amount_spent,
            works: r.works.map(Into::into),
            occurred_on: r.occurred_on,
        }
    }
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

pub fn project_entry(e: HistoryEntry) -> ProjectHistoryEntry {
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
