//! Request and response bodies of reports, their categories, history and statistics.

use std::collections::HashMap;

use crate::dto::{LocaleDto, LocalizedTextDto};
use crate::error::{ApiError, ErrorCode};
use crate::list_response;
use chrono::{DateTime, Utc};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::ReportCategoryId;
use pnyx_domain::reports::{
    Category, ReportDetail, ReportError, ReportKind, ReportView, Stats, StatsRow, Status, StatusEntry,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[allow(unused_imports)]
use super::*;

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        use ReportError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::InvalidTransition(_) => ApiError::conflict(ErrorCode::InvalidTransition, e.to_string()),
            E::DuplicateSubmission => ApiError::conflict(ErrorCode::DuplicateSubmission, e.to_string()),
            E::Stale => ApiError::precondition_failed(),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Repo(r) => r.into(),
        }
    }
}

crate::dto_enum!(
    /// A report of a communal problem, or a proposal to the municipality.
    ReportKindDto => ReportKind { Report, Proposal }
);

crate::dto_enum!(
    /// Where a report is: `received` → `accepted` → `in_progress` → `resolved`, or `declined`, or
    /// `duplicate` (of an earlier report).
    ReportStatusDto => Status { Received, Accepted, InProgress, Resolved, Declined, Duplicate }
);

/// A category of reports, with the department in charge and its deadline to answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCategoryResponse {
    pub id: Uuid,
    pub name: LocalizedTextDto,
    pub department: String,
    /// Days from receipt to the first answer.
    pub answer_days: u32,
}

pub(crate) fn category_dto(c: &Category) -> ReportCategoryResponse {
    ReportCategoryResponse {
        id: c.id.into(),
        name: (&c.name).into(),
        department: c.department.clone(),
        answer_days: c.answer_days,
    }
}

/// The organisation's categories.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCategoryList {
    pub items: Vec<ReportCategoryResponse>,
}

/// A new category.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": {"sr-Latn": "Javna rasveta", "en": "Street lighting"}, "department": "Odeljenje za komunalne delatnosti", "answer_days": 15}))]
pub struct CreateReportCategoryRequest {
    pub name: LocalizedTextDto,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub department: String,
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365)]
    pub answer_days: u32,
}

/// Changes to a category; absent fields stay.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer_days": 10}))]
pub struct UpdateReportCategoryRequest {
    pub name: Option<LocalizedTextDto>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub department: Option<String>,
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365)]
    pub answer_days: Option<u32>,
}

/// A resident's new report or proposal. A place is coordinates, an address, or both; coordinates
/// must lie in the organisation's area when it has one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "report", "category_id": "0193a1b2-0000-7000-8000-000000000001",
    "title": "Ne radi ulična rasveta", "description": "Tri svetiljke kod škole ne rade već nedelju dana.",
    "latitude": 42.9713, "longitude": 22.1303, "address": "Ulica Nemanjina 12", "show_name": false
}))]
pub struct FileReportRequest {
    pub kind: ReportKindDto,
    pub category_id: Uuid,
    #[validate(length(min = 3, max = 150))]
    #[schema(min_length = 3, max_length = 150)]
    pub title: String,
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    /// Show the author's name publicly (otherwise "a resident").
    #[serde(default)]
    pub show_name: bool,
}

/// A public answer: plain text (in the organisation's language) or text per language.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ReportAnswerDto {
    Plain(String),
    Localized(LocalizedTextDto),
}

impl ReportAnswerDto {
    pub(crate) fn into_text(self, default: Locale) -> LocalizedText {
        match self {
            ReportAnswerDto::Plain(s) => {
                let mut t = LocalizedText::default();
                t.insert(default, s);
                t
            }
            ReportAnswerDto::Localized(d) => d.into(),
        }
    }
}

/// A status change with its public answer.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "in_progress", "answer": "Prijava je prosleđena JKP; popravka je zakazana za ponedeljak."}))]
pub struct ReportTransitionRequest {
    pub status: ReportStatusDto,
    /// Required: what the municipality tells the resident.
    pub answer: ReportAnswerDto,
    /// The original report, for `duplicate`.
    pub duplicate_of: Option<Uuid>,
}

/// A public answer that keeps the status.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answer": "Radovi kasne zbog kiše; završetak je pomeren za petak."}))]
pub struct ReportAnswerRequest {
    /// What the municipality tells the resident.
    pub answer: ReportAnswerDto,
}

/// One line of the public history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportHistoryEntryDto {
    pub id: Uuid,
    /// `null` on the first line.
    pub from: Option<ReportStatusDto>,
    pub to: ReportStatusDto,
    /// The municipality's answer (empty on the first line).
    pub answer: LocalizedTextDto,
    pub duplicate_of: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn entry_dto(e: &StatusEntry) -> ReportHistoryEntryDto {
    ReportHistoryEntryDto {
        id: e.id,
        from: e.from.map(Into::into),
        to: e.to.into(),
        answer: (&e.answer).into(),
        duplicate_of: e.duplicate_of.map(Into::into),
        created_at: e.created_at,
    }
}

/// A report or proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentReportResponse {
    pub id: Uuid,
    pub kind: ReportKindDto,
    pub category_id: Uuid,
    pub title: String,
    pub description: String,
    /// The language it was written in.
    pub locale: LocaleDto,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    /// The author's name when they chose to show it (staff and the author always see it);
    /// `null`: "a resident".
    pub author_name: Option<String>,
    pub show_name: bool,
    pub status: ReportStatusDto,
    pub duplicate_of: Option<Uuid>,
    pub support_count: u64,
    pub first_answer_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// When the first answer is due (the category's deadline).
    pub answer_due: Option<DateTime<Utc>>,
    /// Staff only: unanswered past the deadline. Absent for others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// The caller filed it.
    pub mine: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn report_dto(v: &ReportView) -> ResidentReportResponse {
    let r = &v.report;
    ResidentReportResponse {
        id: r.id.into(),
        kind: r.kind.into(),
        category_id: r.category_id.into(),
        title: r.title.clone(),
        description: r.description.clone(),
        locale: r.locale.into(),
        latitude: r.latitude,
        longitude: r.longitude,
        address: r.address.clone(),
        author_name: v.author_name.clone(),
        show_name: r.show_name,
        status: r.status.into(),
        duplicate_of: r.duplicate_of.map(Into::into),
        support_count: r.support_count,
        first_answer_at: r.first_answer_at,
        resolved_at: r.resolved_at,
        answer_due: v.answer_due,
        overdue: v.overdue,
        mine: v.mine,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// A report with its public history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResidentReportDetail {
    #[serde(flatten)]
    pub report: ResidentReportResponse,
    /// Every status change with its answer, oldest first; append-only.
    pub history: Vec<ReportHistoryEntryDto>,
    /// The caller supports it.
    pub supported: bool,
    /// Visible comments on it.
    pub comment_count: u64,
}

pub(crate) fn detail_dto(d: &ReportDetail) -> ResidentReportDetail {
    ResidentReportDetail {
        report: report_dto(&d.view),
        history: d.history.iter().map(entry_dto).collect(),
        supported: d.supported,
        comment_count: d.comment_count,
    }
}

list_response!(ResidentReportList, ResidentReportResponse, "A page of reports.");

/// The filters and order of the report list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilterParams {
    pub category: Option<Uuid>,
    pub status: Option<ReportStatusDto>,
    pub kind: Option<ReportKindDto>,
    /// Filed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Filed before.
    pub to: Option<DateTime<Utc>>,
    /// Full-text search in the title, description and address.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `newest` (default), `oldest` or `supported` (most supported first).
    #[param(pattern = "^(newest|oldest|supported)$")]
    pub sort: Option<String>,
}

impl ReportFilterParams {
    pub(crate) fn category_id(&self) -> Option<ReportCategoryId> {
        self.category.map(Into::into)
    }
}

/// The staff queue's filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQueueParams {
    /// Only reports whose category this department is in charge of.
    pub department: Option<String>,
}

/// The supports after a "me too".
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSupportResponse {
    pub support_count: u64,
    pub supported: bool,
}

/// One line of the statistics.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportStatsRowDto {
    /// `null`: every category.
    pub category_id: Option<Uuid>,
    pub category_name: Option<LocalizedTextDto>,
    /// `YYYY-MM` of receipt in the organisation's time zone; `null`: every month.
    #[schema(example = "2026-03")]
    pub month: Option<String>,
    pub received: u64,
    /// Got a first answer (any status change).
    pub answered: u64,
    /// Got the first answer within the category's deadline.
    pub answered_in_time: u64,
    /// Median time from receipt to the first answer, over the answered ones.
    pub median_first_answer_seconds: Option<i64>,
    /// Resolved now.
    pub resolved: u64,
    /// Median time from receipt to resolution, over the resolved ones.
    pub median_resolve_seconds: Option<i64>,
}

/// The organisation's report statistics.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportStatsResponse {
    /// Per category and month.
    pub rows: Vec<ReportStatsRowDto>,
    /// Per category, over every month.
    pub categories: Vec<ReportStatsRowDto>,
    /// Everything.
    pub total: ReportStatsRowDto,
}

pub(crate) fn stats_dto(s: &Stats, categories: &[Category]) -> ReportStatsResponse {
    let names: HashMap<ReportCategoryId, &LocalizedText> = categories.iter().map(|c| (c.id, &c.name)).collect();
    let row = |r: &StatsRow| ReportStatsRowDto {
        category_id: r.category_id.map(Into::into),
        category_name: r.category_id.and_then(|c| names.get(&c)).map(|n| (*n).into()),
        month: r.month.clone(),
        received: r.received,
        answered: r.answered,
        answered_in_time: r.answered_in_time,
        median_first_answer_seconds: r.median_first_answer_seconds,
        resolved: r.resolved,
        median_resolve_seconds: r.median_resolve_seconds,
    };
    ReportStatsResponse {
        rows: s.rows.iter().map(row).collect(),
        categories: s.categories.iter().map(row).collect(),
        total: row(&s.total),
    }
}
