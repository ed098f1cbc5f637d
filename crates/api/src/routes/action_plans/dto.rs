//! The bodies of the action-plan resources, and their mapping to and from the domain's input and
//! views. Field shapes are checked here (`validator`); the organisation's rules in the service.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::action_plans::records::{DocumentLink, IrmAssessment};
use pnyx_domain::action_plans::rules::{CoOwnerStatus, CompletionLevel, MilestoneStatus, OgpValue, PlanStatus};
use pnyx_domain::action_plans::views::{
    self as v, CommitmentCan, CommitmentChanges, CommitmentView, MilestoneView, NewCommitment, NewPlan, PlanCan,
    PlanChanges, PlanView,
};
use pnyx_domain::ids::PlanId;
use pnyx_domain::org::Organisation;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::dto::LocalizedTextDto;
use crate::{dto_enum, list_response};

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
    #[validate(custom(function = "crate::dto::web_url"), length(max = 2000))]
    #[schema(format = "uri", max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub url: String,
}

fn documents(list: Vec<DocumentLinkDto>) -> Vec<DocumentLink> {
    list.into_iter().map(|d| DocumentLink { title: d.title, url: d.url }).collect()
}

/// What the caller may do with an action plan (the same decision the API takes on a request).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"edit": true, "transition": ["draft", "adopted"]}))]
pub struct PlanCanDto {
    /// Change its fields.
    pub edit: bool,
    /// The statuses the caller may move it to now (empty when none).
    pub transition: Vec<PlanStatusDto>,
}

impl From<PlanCan> for PlanCanDto {
    fn from(c: PlanCan) -> Self {
        PlanCanDto { edit: c.edit, transition: c.transition.into_iter().map(Into::into).collect() }
    }
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
    pub can: PlanCanDto,
}

list_response!(ActionPlanList, ActionPlanResponse, "The action plans of an organisation, newest first.");

impl From<PlanView> for ActionPlanResponse {
    fn from(v: PlanView) -> Self {
        let p = v.plan;
        ActionPlanResponse {
            id: p.id.into(),
            title: (&p.title).into(),
            description: (&p.description).into(),
            start_date: p.period.start(),
            end_date: p.period.end(),
            status: p.status.into(),
            documents: p.documents.into_iter().map(|d| DocumentLinkDto { title: d.title, url: d.url }).collect(),
            created_at: p.created_at,
            updated_at: p.updated_at,
            can: v.can.into(),
        }
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
    #[schema(max_items = 50)]
    pub documents: Vec<DocumentLinkDto>,
}

impl From<CreatePlanRequest> for NewPlan {
    fn from(b: CreatePlanRequest) -> Self {
        NewPlan {
            title: b.title.into(),
            description: b.description.into(),
            start_date: b.start_date,
            end_date: b.end_date,
            documents: documents(b.documents),
        }
    }
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
    #[schema(max_items = 50)]
    pub documents: Option<Vec<DocumentLinkDto>>,
}

impl From<UpdatePlanRequest> for PlanChanges {
    fn from(b: UpdatePlanRequest) -> Self {
        PlanChanges {
            title: b.title.map(Into::into),
            description: b.description.map(Into::into),
            start_date: b.start_date,
            end_date: b.end_date,
            documents: b.documents.map(documents),
        }
    }
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

impl From<MilestoneView> for MilestoneResponse {
    fn from(v: MilestoneView) -> Self {
        let m = v.milestone;
        MilestoneResponse {
            id: m.id,
            position: m.position,
            title: (&m.title).into(),
            deliverable: (&m.deliverable).into(),
            start_date: m.dates.start(),
            end_date: m.dates.end(),
            status: m.status.into(),
            completed_on: m.completed_on,
            due_soon: v.due_soon,
            overdue: v.overdue,
        }
    }
}

/// The IRM assessment.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IrmDto {
    pub verifiable: Option<bool>,
    /// `unclear`, `modest` or `substantial`.
    #[validate(custom(function = "potential"))]
    #[schema(pattern = "^(unclear|modest|substantial)$")]
    pub potential_for_results: Option<String>,
    /// `no_evidence`, `not_started`, `limited`, `substantial` or `complete`.
    #[validate(custom(function = "irm_completion"))]
    #[schema(pattern = "^(no_evidence|not_started|limited|substantial|complete)$")]
    pub completion: Option<String>,
    /// `worsened`, `did_not_change`, `marginal`, `major` or `outstanding`.
    #[validate(custom(function = "opened"))]
    #[schema(pattern = "^(worsened|did_not_change|marginal|major|outstanding)$")]
    pub did_it_open_government: Option<String>,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
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

impl From<IrmDto> for IrmAssessment {
    fn from(i: IrmDto) -> Self {
        IrmAssessment {
            verifiable: i.verifiable,
            potential_for_results: i.potential_for_results,
            completion: i.completion,
            did_it_open_government: i.did_it_open_government,
            evidence: i.evidence,
        }
    }
}

impl From<IrmAssessment> for IrmDto {
    fn from(i: IrmAssessment) -> Self {
        IrmDto {
            verifiable: i.verifiable,
            potential_for_results: i.potential_for_results,
            completion: i.completion,
            did_it_open_government: i.did_it_open_government,
            evidence: i.evidence,
        }
    }
}

/// What the caller may do with a commitment (the same decision the API takes on a request).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"edit": false, "update_milestones": false, "report_progress": false, "co_own": true}))]
pub struct CommitmentCanDto {
    /// Change its fields.
    pub edit: bool,
    /// Add and change milestones.
    pub update_milestones: bool,
    /// Post progress updates.
    pub report_progress: bool,
    /// Volunteer as co-owner.
    pub co_own: bool,
}

impl From<CommitmentCan> for CommitmentCanDto {
    fn from(c: CommitmentCan) -> Self {
        CommitmentCanDto {
            edit: c.edit,
            update_milestones: c.update_milestones,
            report_progress: c.report_progress,
            co_own: c.co_own,
        }
    }
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
    pub can: CommitmentCanDto,
    /// Visible comments on it.
    pub comment_count: u64,
}

list_response!(CommitmentList, CommitmentResponse, "Commitments.");

/// The response body of a commitment of `org`.
#[must_use]
pub fn commitment_dto(v: CommitmentView, org: &Organisation) -> CommitmentResponse {
    let c = v.commitment;
    CommitmentResponse {
        id: c.id.into(),
        action_plan_id: c.action_plan_id.into(),
        title: (&c.title).into(),
        lead: c.lead,
        supporting_actors: c.supporting_actors,
        problem: (&c.problem).into(),
        status_quo: (&c.status_quo).into(),
        objective: (&c.objective).into(),
        ogp_values: c.ogp_values.into_iter().map(Into::into).collect(),
        theme: c.theme,
        budget: c.budget,
        currency: org.currency.to_string(),
        irm: c.irm.map(Into::into),
        completion: CompletionDto {
            level: v.completion.level.into(),
            percent: v.completion.percent,
            done: v.completion.done,
            total: v.completion.total,
        },
        milestones: v.milestones.into_iter().map(Into::into).collect(),
        created_at: c.created_at,
        updated_at: c.updated_at,
        can: v.can.into(),
        comment_count: v.comment_count,
    }
}

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
    #[schema(max_items = 30)]
    pub supporting_actors: Vec<String>,
    #[serde(default)]
    pub problem: LocalizedTextDto,
    #[serde(default)]
    pub status_quo: LocalizedTextDto,
    #[serde(default)]
    pub objective: LocalizedTextDto,
    #[serde(default)]
    #[validate(length(max = 4))]
    #[schema(max_items = 4)]
    pub ogp_values: Vec<OgpValueDto>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub theme: Option<String>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub budget: Option<i64>,
    #[validate(nested)]
    pub irm: Option<IrmDto>,
}

impl From<CreateCommitmentRequest> for NewCommitment {
    fn from(b: CreateCommitmentRequest) -> Self {
        NewCommitment {
            action_plan_id: b.action_plan_id.into(),
            title: b.title.into(),
            lead: b.lead,
            supporting_actors: b.supporting_actors,
            problem: b.problem.into(),
            status_quo: b.status_quo.into(),
            objective: b.objective.into(),
            ogp_values: b.ogp_values.into_iter().map(Into::into).collect(),
            theme: b.theme,
            budget: b.budget,
            irm: b.irm.map(Into::into),
        }
    }
}

/// Changes to a commitment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"supporting_actors": ["Univerzita Mateja Bela", "Živica", "Mládežnícky parlament"]}))]
pub struct UpdateCommitmentRequest {
    pub title: Option<LocalizedTextDto>,
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub lead: Option<String>,
    #[validate(length(max = 30))]
    #[schema(max_items = 30)]
    pub supporting_actors: Option<Vec<String>>,
    pub problem: Option<LocalizedTextDto>,
    pub status_quo: Option<LocalizedTextDto>,
    pub objective: Option<LocalizedTextDto>,
    #[validate(length(max = 4))]
    #[schema(max_items = 4)]
    pub ogp_values: Option<Vec<OgpValueDto>>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub theme: Option<String>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub budget: Option<i64>,
    #[validate(nested)]
    pub irm: Option<IrmDto>,
}

impl From<UpdateCommitmentRequest> for CommitmentChanges {
    fn from(b: UpdateCommitmentRequest) -> Self {
        CommitmentChanges {
            title: b.title.map(Into::into),
            lead: b.lead,
            supporting_actors: b.supporting_actors,
            problem: b.problem.map(Into::into),
            status_quo: b.status_quo.map(Into::into),
            objective: b.objective.map(Into::into),
            ogp_values: b.ogp_values.map(|v| v.into_iter().map(Into::into).collect()),
            theme: b.theme,
            budget: b.budget,
            irm: b.irm.map(Into::into),
        }
    }
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
    /// Full-text search in the title, problem, objective and milestones (as `GET .../search`
    /// matches: every word, the last as a prefix, accents and case ignored; public plans only).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

impl From<CommitmentFilterParams> for v::CommitmentQuery {
    fn from(q: CommitmentFilterParams) -> Self {
        v::CommitmentQuery {
            action_plan: q.action_plan.map(PlanId::from),
            level: q.status.map(Into::into),
            ogp_value: q.ogp_value.map(Into::into),
            lead: q.lead,
            text: q.q,
        }
    }
}
