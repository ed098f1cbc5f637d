//! The staff workspace: what in an organisation waits for its staff.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::workspace::{Attention, Waiting, WorkspaceError};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef};
use crate::state::AppState;
use actix_web::{get, web};

impl From<WorkspaceError> for ApiError {
    fn from(e: WorkspaceError) -> Self {
        match e {
            WorkspaceError::Authz(a) => a.into(),
            WorkspaceError::Repo(r) => r.into(),
        }
    }
}

/// A proposal submitted to a process that is in its review phase, not reviewed yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalToReviewDto {
    pub budget_id: Uuid,
    pub budget_title: LocalizedTextDto,
    pub proposal_id: Uuid,
    pub title: LocalizedTextDto,
    pub submitted_at: DateTime<Utc>,
}

/// An opinion given in a consultation that has no answer yet (hidden ones are not listed).
#[derive(Debug, Serialize, ToSchema)]
pub struct UnansweredOpinionDto {
    pub consultation_id: Uuid,
    pub consultation_title: LocalizedTextDto,
    pub opinion_id: Uuid,
    /// The opinion's first 160 characters.
    pub excerpt: String,
    pub given_at: DateTime<Utc>,
}

/// A meeting that has ended, was not cancelled, and has no minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingWithoutMinutesDto {
    pub meeting_id: Uuid,
    pub title: LocalizedTextDto,
    pub ended_at: DateTime<Utc>,
}

/// A milestone past its end date (in the organisation's time zone), neither done nor cancelled.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueMilestoneDto {
    pub plan_id: Uuid,
    pub commitment_id: Uuid,
    pub commitment_title: LocalizedTextDto,
    pub milestone_id: Uuid,
    pub title: LocalizedTextDto,
    pub end_date: NaiveDate,
}

/// A resident's report unanswered past its category's deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueReportDto {
    pub report_id: Uuid,
    pub title: String,
    pub category_name: LocalizedTextDto,
    pub department: String,
    pub received_at: DateTime<Utc>,
    pub answer_due: DateTime<Utc>,
}

macro_rules! waiting_dto {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// How many there are in all.
            pub total: u64,
            /// The first 20, the longest waiting first.
            pub items: Vec<$item>,
        }
    };
}

waiting_dto!(ProposalsToReview, ProposalToReviewDto, "Proposals waiting for their review.");
waiting_dto!(UnansweredOpinions, UnansweredOpinionDto, "Opinions waiting for an answer.");
waiting_dto!(MeetingsWithoutMinutes, MeetingWithoutMinutesDto, "Meetings waiting for their minutes.");
waiting_dto!(OverdueMilestones, OverdueMilestoneDto, "Milestones past their end date.");
waiting_dto!(OverdueReports, OverdueReportDto, "Residents' reports past their deadline to answer.");

/// What waits for the organisation's staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceResponse {
    pub proposals_to_review: ProposalsToReview,
    pub unanswered_opinions: UnansweredOpinions,
    pub meetings_without_minutes: MeetingsWithoutMinutes,
    pub overdue_milestones: OverdueMilestones,
    pub overdue_reports: OverdueReports,
}

fn items<T, D>(w: Waiting<T>, f: impl Fn(T) -> D) -> (u64, Vec<D>) {
    (w.total, w.items.into_iter().map(f).collect())
}

fn workspace_dto(a: Attention) -> WorkspaceResponse {
    let (total, list) = items(a.proposals_to_review, |p| ProposalToReviewDto {
        budget_id: p.budget_id.into(),
        budget_title: (&p.budget_title).into(),
        proposal_id: p.proposal_id.into(),
        title: (&p.title).into(),
        submitted_at: p.submitted_at,
    });
    let proposals_to_review = ProposalsToReview { total, items: list };
    let (total, list) = items(a.unanswered_opinions, |o| UnansweredOpinionDto {
        consultation_id: o.consultation_id.into(),
        consultation_title: (&o.consultation_title).into(),
        opinion_id: o.opinion_id,
        excerpt: o.excerpt,
        given_at: o.given_at,
    });
    let unanswered_opinions = UnansweredOpinions { total, items: list };
    let (total, list) = items(a.meetings_without_minutes, |m| MeetingWithoutMinutesDto {
        meeting_id: m.meeting_id.into(),
        title: (&m.title).into(),
        ended_at: m.ended_at,
    });
    let meetings_without_minutes = MeetingsWithoutMinutes { total, items: list };
    let (total, list) = items(a.overdue_milestones, |m| OverdueMilestoneDto {
        plan_id: m.plan_id.into(),
        commitment_id: m.commitment_id.into(),
        commitment_title: (&m.commitment_title).into(),
        milestone_id: m.milestone_id,
        title: (&m.title).into(),
        end_date: m.end_date,
    });
    let overdue_milestones = OverdueMilestones { total, items: list };
    let (total, list) = items(a.overdue_reports, |r| OverdueReportDto {
        report_id: r.report_id.into(),
        title: r.title,
        category_name: (&r.category_name).into(),
        department: r.department,
        received_at: r.received_at,
        answer_due: r.answer_due,
    });
    let overdue_reports = OverdueReports { total, items: list };
    WorkspaceResponse {
        proposals_to_review,
        unanswered_opinions,
        meetings_without_minutes,
        overdue_milestones,
        overdue_reports,
    }
}

/// Get the staff workspace
///
/// What waits for the organisation's staff: proposals to review in a process in its review phase,
/// opinions without an answer, meetings that ended without minutes, overdue milestones, and
/// residents' reports unanswered past their category's deadline; each
/// with its total and the 20 that have waited longest. Requires: any staff role in it.
#[utoipa::path(
    tag = "organisations", operation_id = "workspace_get",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "What waits", body = WorkspaceResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not staff of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/workspace")]
pub async fn workspace_get(
    st: web::Data<AppState>,
    who: Auth,
    org: OrgRef,
) -> Result<web::Json<WorkspaceResponse>, ApiError> {
    let attention = st.workspace.attention(&who.0, &org.0).await?;
    Ok(web::Json(workspace_dto(attention)))
}
