//! Residents' reports of communal problems (a broken street light, a pothole, illegal dumping) and
//! their proposals to the municipality, with a public, append-only history of answers.
//!
//! A report is filed by a signed-in resident in a category (per organisation, with the department
//! in charge and a deadline to answer). Staff move it along
//! `received → accepted → in_progress → resolved`, or to `declined`, or to `duplicate` of an
//! earlier report of the same organisation; every move carries a public answer and is a new line
//! of the history, which nothing edits or deletes. See [`rules`] for the transitions.

pub mod rules;
mod service;

pub use rules::{ReportKind, Stats, StatsRow, Status, TransitionError, is_overdue, stats};
pub use service::{
    CategoryChanges, NewCategory, NewReport, ReportDetail, ReportQuery, ReportService, ReportView, Transition,
};

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::AuthzError;
use crate::i18n::{Locale, LocalizedText};
use crate::ids::{OrgId, ReportCategoryId, ReportId, UserId};
use crate::repo::{Page, PageRequest, RepoError, RepoResult};

/// A category of reports, e.g. "Street lighting", answered by one department within a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: ReportCategoryId,
    pub org_id: OrgId,
    pub name: LocalizedText,
    /// The department in charge (its name in the organisation's language).
    pub department: String,
    /// Days from receipt to the first answer.
    pub answer_days: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A resident's report or proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: ReportId,
    pub org_id: OrgId,
    pub kind: ReportKind,
    pub category_id: ReportCategoryId,
    pub title: String,
    pub description: String,
    /// The language it was written in (the organisation's default when filed).
    pub locale: Locale,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    pub author_id: UserId,
    /// The author's name when filed; shown publicly only with `show_name`.
    pub author_name: String,
    pub show_name: bool,
    pub status: Status,
    /// The original, when `status` is `duplicate`.
    pub duplicate_of: Option<ReportId>,
    pub support_count: u64,
    /// When staff first answered (the first status change).
    pub first_answer_at: Option<DateTime<Utc>>,
    /// When it was (last) resolved, while it is resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A report with what its page shows beside it ([`ReportRepo::report_read`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRead {
    pub report: Report,
    /// Its visible comments.
    pub comment_count: u64,
    /// Whether the reader supports it.
    pub supported: bool,
    /// Its category's answer days (0 for a category gone).
    pub answer_days: u32,
    /// Its history, oldest first.
    pub history: Vec<StatusEntry>,
}

/// One line of a report's public history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub id: Uuid,
    pub report_id: ReportId,
    /// `None` for the first line (received).
    pub from: Option<Status>,
    pub to: Status,
    /// The staff's public answer (empty for the first line).
    pub answer: LocalizedText,
    pub duplicate_of: Option<ReportId>,
    /// Who made the change (the author, for the first line).
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// What the repository selects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    pub category: Option<ReportCategoryId>,
    /// Only these categories (a department's).
    pub categories: Option<Vec<ReportCategoryId>>,
    /// Any of these (none: any status).
    pub statuses: Vec<Status>,
    pub kind: Option<ReportKind>,
    /// Filed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Filed before.
    pub to: Option<DateTime<Utc>>,
    /// Only these (a full-text `?q=`).
    pub only: Option<HashSet<Uuid>>,
    /// Only the overdue (`true`) or only the others (`false`).
    pub overdue: Option<(bool, Overdue)>,
}

/// When reports are overdue: still `received` and filed before their category's cut-off (now
/// minus its deadline); a category without a cut-off has none overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overdue {
    pub cutoffs: Vec<(ReportCategoryId, DateTime<Utc>)>,
}

/// How a page of reports is ordered (ties by id, the order of filing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportOrder {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Most supported first, then newest.
    Supported,
}

/// What the statistics need of a report (a projection: no texts are read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportTimes {
    pub category_id: ReportCategoryId,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub first_answer_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Persistence of report categories, reports, their histories and supports.
#[async_trait::async_trait]
pub trait ReportRepo: Send + Sync {
    async fn create_report_category(&self, c: &Category) -> RepoResult<()>;
    async fn update_report_category(&self, c: &Category) -> RepoResult<()>;
    /// The organisation's categories, oldest first.
    async fn report_categories(&self, org_id: OrgId) -> RepoResult<Vec<Category>>;
    /// Stores a report with the first line of its history, and indexes it.
    async fn create_report(&self, r: &Report, first: &StatusEntry) -> RepoResult<()>;
    async fn report(&self, org_id: OrgId, id: ReportId) -> RepoResult<Option<Report>>;
    /// [`Self::report`] with its visible comments counted, whether `reader` supports it, its
    /// category's answer days and its history, in one statement.
    async fn report_read(&self, org_id: OrgId, id: ReportId, reader: Option<UserId>) -> RepoResult<Option<ReportRead>>;
    /// A page of the organisation's reports matching `filter` in `order`, after the report
    /// `page.after` in that order, with the total that match; each with its category's answer
    /// days (0 for a category gone), in one statement.
    async fn reports_page(
        &self,
        org_id: OrgId,
        filter: &ReportFilter,
        order: ReportOrder,
        page: PageRequest,
    ) -> RepoResult<Page<(Report, u32)>>;
    /// The times of every report of the organisation, for the statistics.
    async fn report_times(&self, org_id: OrgId) -> RepoResult<Vec<ReportTimes>>;
    /// Whether `author` filed a report titled `title` (compared case-insensitively, trimmed)
    /// at or after `since`.
    async fn recent_report_titled(
        &self,
        org_id: OrgId,
        author: UserId,
        title: &str,
        since: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// Saves the report's status if its `updated_at` is still `expected`, and appends `entry` to
    /// its history; `Conflict` when it changed meanwhile.
    async fn change_report_status(&self, r: &Report, expected: DateTime<Utc>, entry: &StatusEntry) -> RepoResult<()>;
    /// The history, oldest first.
    async fn report_history(&self, id: ReportId) -> RepoResult<Vec<StatusEntry>>;
    /// Records the user's support once (a repeat changes nothing); the count after.
    async fn support_report(&self, id: ReportId, user: UserId, at: DateTime<Utc>) -> RepoResult<u64>;
    async fn supports_report(&self, id: ReportId, user: UserId) -> RepoResult<bool>;
    /// Withdraws the user's support (withdrawing none changes nothing); the count after.
    async fn unsupport_report(&self, id: ReportId, user: UserId) -> RepoResult<u64>;
}

/// Why a report use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `report` or `category`.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{0}")]
    InvalidTransition(TransitionError),
    #[error("you filed a report with this title less than a minute ago")]
    DuplicateSubmission,
    #[error("the report was changed by someone else; reload and try again")]
    Stale,
    /// A field breaks a rule: its path in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(ReportError);

impl From<RepoError> for ReportError {
    fn from(e: RepoError) -> Self {
        ReportError::Repo(e)
    }
}

pub(crate) fn invalid(field: impl Into<String>, message: impl ToString) -> ReportError {
    ReportError::Invalid { field: field.into(), message: message.to_string() }
}
