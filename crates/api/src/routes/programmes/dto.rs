//! Request and response bodies of programmes, their members and the programme page.

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, ErrorCode};
use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::org::Organisation;
use pnyx_domain::programmes::{
    BudgetSummary, Member, MemberOverview, MemberStatus, MemberView, PlansSummary, Programme, ProgrammeError,
    ProgrammeOverview, ReportsSummary,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

impl From<ProgrammeError> for ApiError {
    fn from(e: ProgrammeError) -> Self {
        use ProgrammeError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::SlugTaken => ApiError::conflict(ErrorCode::SlugTaken, e.to_string()),
            E::AlreadyMember(_) => ApiError::conflict(ErrorCode::AlreadyInProgramme, e.to_string()),
            E::AlreadyDecided(_) => ApiError::conflict(ErrorCode::InvalidTransition, e.to_string()),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Repo(r) => r.into(),
        }
    }
}

crate::dto_enum!(
    /// Where an organisation stands in a programme: `invited` → `joined` | `declined` (a declined
    /// one may be invited again).
    ProgrammeMemberStatusDto => MemberStatus { Invited, Joined, Declined }
);

/// A programme grouping organisations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeResponse {
    pub id: Uuid,
    #[schema(example = "ogp-local-srbija")]
    pub slug: String,
    pub name: LocalizedTextDto,
    pub description: LocalizedTextDto,
    /// How many organisations joined.
    pub joined: u64,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn programme_dto(p: &Programme, joined: u64) -> ProgrammeResponse {
    ProgrammeResponse {
        id: p.id.into(),
        slug: p.slug.to_string(),
        name: (&p.name).into(),
        description: (&p.description).into(),
        joined,
        created_at: p.created_at,
    }
}

crate::list_response!(ProgrammeList, ProgrammeResponse, "A page of programmes, oldest first.");

/// A new programme.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "ogp-local-srbija",
    "name": {"en": "OGP Local in Serbia", "sr-Latn": "OGP Local u Srbiji"},
    "description": {"en": "Five towns opening their governments together."}
}))]
pub struct CreateProgrammeRequest {
    /// Lower-case letters, digits and single hyphens; 2–63 characters.
    #[validate(length(min = 2, max = 63))]
    #[schema(min_length = 2, max_length = 63, pattern = "^[a-z](?:-?[a-z0-9])+$")]
    pub slug: String,
    /// Up to 200 characters per locale; an English text is required.
    pub name: LocalizedTextDto,
    /// Up to 5000 characters per locale; when given, with an English text.
    #[serde(default)]
    pub description: LocalizedTextDto,
}

/// An organisation in a programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOrg {
    pub id: Uuid,
    #[schema(example = "vlasotince")]
    pub slug: String,
    pub name: LocalizedTextDto,
}

fn org_dto(o: &Organisation) -> ProgrammeOrg {
    ProgrammeOrg { id: o.id.into(), slug: o.slug.to_string(), name: (&o.name).into() }
}

/// An organisation's place in a programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeMemberResponse {
    pub org: ProgrammeOrg,
    pub status: ProgrammeMemberStatusDto,
    pub invited_at: DateTime<Utc>,
    /// When its admin accepted or declined.
    pub decided_at: Option<DateTime<Utc>>,
}

pub(crate) fn member_dto(v: &MemberView) -> ProgrammeMemberResponse {
    ProgrammeMemberResponse {
        org: org_dto(&v.org),
        status: v.member.status.into(),
        invited_at: v.member.invited_at,
        decided_at: v.member.decided_at,
    }
}

/// A programme with its members: the joined ones, or every one for platform admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDetailResponse {
    pub programme: ProgrammeResponse,
    pub members: Vec<ProgrammeMemberResponse>,
}

/// An organisation to invite.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"org": "vlasotince"}))]
pub struct InviteOrgRequest {
    /// The organisation's slug.
    #[validate(length(min = 2, max = 63))]
    #[schema(min_length = 2, max_length = 63)]
    pub org: String,
}

/// An organisation admin's answer to an invitation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"join": true}))]
pub struct ProgrammeDecisionRequest {
    /// `true` joins the programme, `false` declines.
    pub join: bool,
}

/// A programme the organisation is invited to or a member of.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgProgrammeResponse {
    pub programme: ProgrammeResponse,
    pub status: ProgrammeMemberStatusDto,
    pub invited_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

pub(crate) fn org_programme_dto(p: &Programme, m: &Member) -> OrgProgrammeResponse {
    OrgProgrammeResponse {
        // The count is on the programme's own page.
        programme: programme_dto(p, 0),
        status: m.status.into(),
        invited_at: m.invited_at,
        decided_at: m.decided_at,
    }
}

/// The organisation's programmes and invitations, newest invitation first.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgProgrammeList {
    pub items: Vec<OrgProgrammeResponse>,
}

/// Commitments per completion level.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeLevelCounts {
    pub not_started: u32,
    pub limited: u32,
    pub substantial: u32,
    pub complete: u32,
}

/// An open milestone past its end date.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOverdueMilestone {
    pub commitment_id: Uuid,
    pub milestone_id: Uuid,
    pub title: LocalizedTextDto,
    pub end_date: NaiveDate,
}

/// A member's public action plans at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammePlans {
    /// Commitments of its public (not draft) action plans.
    pub commitments: u32,
    pub by_level: ProgrammeLevelCounts,
    /// Oldest end date first.
    pub overdue_milestones: Vec<ProgrammeOverdueMilestone>,
}

fn plans_dto(p: &PlansSummary) -> ProgrammePlans {
    let l = p.by_level;
    ProgrammePlans {
        commitments: p.commitments,
        by_level: ProgrammeLevelCounts {
            not_started: l.not_started,
            limited: l.limited,
            substantial: l.substantial,
            complete: l.complete,
        },
        overdue_milestones: p
            .overdue
            .iter()
            .map(|m| ProgrammeOverdueMilestone {
                commitment_id: m.commitment_id.into(),
                milestone_id: m.milestone_id,
                title: (&m.title).into(),
                end_date: m.end_date,
            })
            .collect(),
    }
}

/// A member's answer times to residents' reports and proposals.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeReports {
    pub received: u64,
    pub answered: u64,
    /// First answered within the category's deadline.
    pub answered_in_time: u64,
    /// Answered in time, as a whole percentage (rounded down) of those answered; `null` while
    /// nothing is answered.
    pub in_time_percent: Option<u8>,
    /// The median time from filing to the first answer; `null` while nothing is answered.
    pub median_first_answer_seconds: Option<i64>,
}

fn reports_dto(r: &ReportsSummary) -> ProgrammeReports {
    ProgrammeReports {
        received: r.received,
        answered: r.answered,
        answered_in_time: r.answered_in_time,
        in_time_percent: r.in_time_percent,
        median_first_answer_seconds: r.median_first_answer_seconds,
    }
}

/// A member's latest published budget year: totals over its lines, in the currency's minor units.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeBudget {
    pub year: i32,
    #[schema(example = "RSD")]
    pub currency: String,
    pub planned: i64,
    /// Amended amounts, else planned.
    pub current: i64,
    pub executed: i64,
    /// Executed as a whole percentage (rounded down) of `current`.
    pub executed_percent: Option<u8>,
}

fn budget_dto(b: &BudgetSummary) -> ProgrammeBudget {
    ProgrammeBudget {
        year: b.year,
        currency: b.currency.to_string(),
        planned: b.planned,
        current: b.current,
        executed: b.executed,
        executed_percent: b.executed_percent,
    }
}

/// One joined member's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeMemberOverview {
    pub org: ProgrammeOrg,
    pub joined_at: Option<DateTime<Utc>>,
    pub action_plans: ProgrammePlans,
    pub reports: ProgrammeReports,
    /// `null`: no budget year published.
    pub budget: Option<ProgrammeBudget>,
}

/// The programme page: its joined members side by side.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOverviewResponse {
    pub programme: ProgrammeResponse,
    pub members: Vec<ProgrammeMemberOverview>,
}

fn member_overview_dto(m: &MemberOverview) -> ProgrammeMemberOverview {
    ProgrammeMemberOverview {
        org: org_dto(&m.org),
        joined_at: m.joined_at,
        action_plans: plans_dto(&m.plans),
        reports: reports_dto(&m.reports),
        budget: m.budget.as_ref().map(budget_dto),
    }
}

pub(crate) fn overview_dto(o: &ProgrammeOverview) -> ProgrammeOverviewResponse {
    let joined = u64::try_from(o.members.len()).unwrap_or(u64::MAX);
    ProgrammeOverviewResponse {
        programme: programme_dto(&o.programme, joined),
        members: o.members.iter().map(member_overview_dto).collect(),
    }
}

/// The CSV columns of the programme page, one row per member.
pub(crate) const CSV_HEADER: [&str; 18] = [
    "org_slug",
    "org_name",
    "commitments",
    "not_started",
    "limited",
    "substantial",
    "complete",
    "overdue_milestones",
    "reports_received",
    "reports_answered",
    "answered_in_time",
    "in_time_percent",
    "median_first_answer_seconds",
    "budget_year",
    "currency",
    "planned",
    "current",
    "executed",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A member's CSV row (names in English, else the first text given; amounts in minor units).
pub(crate) fn csv_row(m: &MemberOverview) -> Vec<String> {
    let name = m.org.name.get(pnyx_domain::i18n::Locale::En).map(str::to_owned).unwrap_or_else(|| {
        m.org.name.locales().first().and_then(|l| m.org.name.get(*l)).unwrap_or_default().to_owned()
    });
    let l = m.plans.by_level;
    let r = &m.reports;
    let b = m.budget.as_ref();
    vec![
        m.org.slug.to_string(),
        name,
        m.plans.commitments.to_string(),
        l.not_started.to_string(),
        l.limited.to_string(),
        l.substantial.to_string(),
        l.complete.to_string(),
        m.plans.overdue.len().to_string(),
        r.received.to_string(),
        r.answered.to_string(),
        r.answered_in_time.to_string(),
        opt(r.in_time_percent),
        opt(r.median_first_answer_seconds),
        opt(b.map(|b| b.year)),
        opt(b.map(|b| b.currency)),
        opt(b.map(|b| b.planned)),
        opt(b.map(|b| b.current)),
        opt(b.map(|b| b.executed)),
    ]
}
