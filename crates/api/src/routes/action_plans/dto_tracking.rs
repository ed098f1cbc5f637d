//! The bodies of a commitment's milestones, its progress history, its co-owners and a plan's
//! overview, and their mapping to and from the domain.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::action_plans::views::{self as v, CoOwnerView, NewMilestone, NewProgress, Overview};
use pnyx_domain::history::{EntryKind, Evidence, HistoryEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::dto::{CoOwnerStatusDto, MilestoneStatusDto};
use crate::dto::LocalizedTextDto;
use crate::list_response;

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

impl From<CreateMilestoneRequest> for NewMilestone {
    fn from(b: CreateMilestoneRequest) -> Self {
        NewMilestone {
            title: b.title.into(),
            deliverable: b.deliverable.into(),
            start_date: b.start_date,
            end_date: b.end_date,
            status: b.status.into(),
            completed_on: b.completed_on,
        }
    }
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
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl From<UpdateMilestoneRequest> for v::MilestoneChanges {
    fn from(b: UpdateMilestoneRequest) -> Self {
        v::MilestoneChanges {
            title: b.title.map(Into::into),
            deliverable: b.deliverable.map(Into::into),
            start_date: b.start_date,
            end_date: b.end_date,
            status: b.status.map(Into::into),
            completed_on: b.completed_on,
            reason: b.reason,
        }
    }
}

/// Evidence for a progress update.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDto {
    #[validate(custom(function = "crate::dto::web_url"), length(max = 2000))]
    #[schema(format = "uri", max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub url: String,
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
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
    #[schema(max_items = 20)]
    pub evidence: Vec<EvidenceDto>,
    /// Money spent so far, in minor units.
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub amount_spent: Option<i64>,
    /// The day it is about (default today).
    pub occurred_on: Option<NaiveDate>,
}

impl From<CreateProgressRequest> for NewProgress {
    fn from(b: CreateProgressRequest) -> Self {
        NewProgress {
            text: b.text.into(),
            evidence: b.evidence.into_iter().map(|e| Evidence { url: e.url, title: e.title }).collect(),
            amount_spent: b.amount_spent,
            occurred_on: b.occurred_on,
        }
    }
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

impl From<HistoryEntry> for HistoryEntryResponse {
    fn from(e: HistoryEntry) -> Self {
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
            author_id: e.author_id.map(Into::into),
            created_at: e.created_at,
        }
    }
}

/// Volunteering as co-owner.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation": "Živica", "note": "Pomôžeme so zberom údajov."}))]
pub struct VolunteerRequest {
    /// A partner organisation the person volunteers for.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub organisation: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

impl From<VolunteerRequest> for v::Volunteer {
    fn from(b: VolunteerRequest) -> Self {
        v::Volunteer { organisation: b.organisation, note: b.note }
    }
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

impl From<v::OverviewMilestone> for OverviewMilestone {
    fn from(m: v::OverviewMilestone) -> Self {
        OverviewMilestone {
            commitment_id: m.commitment_id.into(),
            milestone_id: m.milestone_id,
            title: (&m.title).into(),
            end_date: m.end_date,
            status: m.status.into(),
        }
    }
}

/// An action plan's progress at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewResponse {
    pub commitments: u32,
    pub by_level: LevelCounts,
    pub due_next_30_days: Vec<OverviewMilestone>,
    pub overdue: Vec<OverviewMilestone>,
}

impl From<Overview> for OverviewResponse {
    fn from(o: Overview) -> Self {
        let l = o.by_level;
        OverviewResponse {
            commitments: o.commitments,
            by_level: LevelCounts {
                not_started: l.not_started,
                limited: l.limited,
                substantial: l.substantial,
                complete: l.complete,
            },
            due_next_30_days: o.due_next_30_days.into_iter().map(Into::into).collect(),
            overdue: o.overdue.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<CoOwnerView> for CoOwnerResponse {
    fn from(v: CoOwnerView) -> Self {
        let c = v.co_owner;
        CoOwnerResponse {
            id: c.id,
            me: v.me,
            display_name: c.display_name,
            organisation: c.organisation,
            note: c.note,
            status: c.status.into(),
        }
    }
}
