//! The municipal budget in the open: staff publish a year's budget — lines grouped by programme
//! and sub-programme, each with its economic classification, planned and amended amounts and the
//! amounts executed per period (month or quarter) — by importing a CSV or XLSX file in the
//! documented column layout (see [`import`] and `docs/budget-execution.md`) or by editing lines
//! by hand. Every change is a new numbered revision that keeps the amounts of every line, so the
//! changes between amendments can be shown. Everything is public.

pub mod import;
mod service;
pub mod tree;

pub use import::{CellError, ImportedLine, ParsedFile, parse_csv, parse_xlsx};
pub use service::{BudgetExecutionService, FileFormat, ImportOutcome, ImportRequest, YearView};
pub use tree::{Change, Node, Totals, changes, tree};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::AuthzError;
use crate::i18n::LocalizedText;
use crate::ids::{BudgetId, CommitmentId, OrgId, UserId};
use crate::money::Currency;
use crate::repo::{RepoError, RepoResult};

/// How a year's execution is reported: per month (12 periods) or per quarter (4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
}

impl PeriodKind {
    #[must_use]
    pub fn count(self) -> usize {
        match self {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
        }
    }

    /// The prefix of its columns in an imported file: `m1`…`m12` or `q1`…`q4`.
    #[must_use]
    pub fn prefix(self) -> &'static str {
        match self {
            PeriodKind::Month => "m",
            PeriodKind::Quarter => "q",
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "month" => Some(PeriodKind::Month),
            "quarter" => Some(PeriodKind::Quarter),
            _ => None,
        }
    }
}

/// A published budget year of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetYear {
    pub id: Uuid,
    pub org_id: OrgId,
    pub year: i32,
    pub periods: PeriodKind,
    /// The organisation's currency when it was published; amounts are in its minor units.
    pub currency: Currency,
    /// The number of the current revision (1 for the first publication).
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One line of a budget: an economic classification within a sub-programme of a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Unique within the year, e.g. `0602-0001-423`.
    pub code: String,
    pub programme_code: String,
    pub programme_name: LocalizedText,
    pub subprogramme_code: String,
    pub subprogramme_name: LocalizedText,
    pub economic_code: String,
    pub name: LocalizedText,
    /// The amount adopted, in minor units.
    pub planned: i64,
    /// The amount after the latest amendment (rebalance), if amended.
    pub amended: Option<i64>,
    /// Executed per period (index 0 = January or the first quarter); `None`: not reported yet.
    pub executed: Vec<Option<i64>>,
    /// The action-plan commitment this line funds.
    pub commitment_id: Option<CommitmentId>,
    /// The participatory-budget process whose projects this line funds.
    pub participatory_budget_id: Option<BudgetId>,
}

impl Line {
    /// The line's version for `If-Match`: a hash of everything it holds (lines have no time
    /// stamp of their own; a revision rewrites them all), quoted as an HTTP entity tag.
    #[must_use]
    pub fn etag(&self) -> String {
        use sha2::{Digest, Sha256};
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&bytes);
        format!("\"{}\"", hex::encode(&digest[..16]))
    }

    /// The amount in force: the amended one, else the planned one.
    #[must_use]
    pub fn current(&self) -> i64 {
        self.amended.unwrap_or(self.planned)
    }

    /// Executed over the periods reported.
    #[must_use]
    pub fn executed_total(&self) -> i64 {
        self.executed.iter().flatten().sum()
    }
}

/// A line's amounts as a revision keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    pub code: String,
    pub name: LocalizedText,
    pub planned: i64,
    pub amended: Option<i64>,
}

/// One publication or change of a year's budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: Uuid,
    pub year_id: Uuid,
    pub number: u32,
    /// What changed, in the staff's words (e.g. "First rebalance, Assembly decision 400-12/2025").
    pub note: String,
    /// `import` or `edit`.
    pub source: String,
    pub author_id: Option<UserId>,
    pub lines: Vec<LineAmounts>,
    pub created_at: DateTime<Utc>,
}

/// The version of a line a change claims (`If-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineMatch {
    /// No `If-Match`: only a new line may be added so.
    Absent,
    /// `If-Match: *`: the line must exist, in any version.
    Any,
    /// The line must be at this version ([`Line::etag`]).
    Tag(String),
}

impl LineMatch {
    /// Whether the change may go ahead given the line as it is now (`None`: there is none).
    ///
    /// # Errors
    /// [`BudgetExecutionError::PreconditionRequired`] for an existing line without `If-Match`;
    /// [`BudgetExecutionError::Stale`] when the version does not match (or there is no line to
    /// match).
    pub fn check(&self, current: Option<&Line>) -> Result<(), BudgetExecutionError> {
        match (self, current) {
            (LineMatch::Absent, None) | (LineMatch::Any, Some(_)) => Ok(()),
            (LineMatch::Absent, Some(_)) => Err(BudgetExecutionError::PreconditionRequired),
            (LineMatch::Tag(t), Some(l)) if t.trim_start_matches("W/") == l.etag() => Ok(()),
            _ => Err(BudgetExecutionError::Stale),
        }
    }
}

/// Persistence of budget years, their lines and revisions.
#[async_trait::async_trait]
pub trait BudgetExecutionRepo: Send + Sync {
    /// The organisation's years, newest first.
    async fn budget_years(&self, org_id: OrgId) -> RepoResult<Vec<BudgetYear>>;
    async fn budget_year(&self, org_id: OrgId, year: i32) -> RepoResult<Option<BudgetYear>>;
    /// The year's lines in their order.
    async fn budget_lines(&self, year_id: Uuid) -> RepoResult<Vec<Line>>;
    /// Stores the year (new when `expected` is `None`, else only if its `updated_at` is still
    /// `expected`: `Conflict` otherwise), replaces its lines by `lines` and adds `revision`.
    async fn save_budget_year(
        &self,
        y: &BudgetYear,
        expected: Option<DateTime<Utc>>,
        lines: &[Line],
        revision: &Revision,
    ) -> RepoResult<()>;
    /// The year's revisions, oldest first.
    async fn budget_revisions(&self, year_id: Uuid) -> RepoResult<Vec<Revision>>;
}

/// Why a budget-execution use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetExecutionError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `year`, `line` or `revision`.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The file cannot be read at all (not CSV, not XLSX, no sheet).
    #[error("{0}")]
    Unreadable(String),
    /// Cells break the layout; each names its row and column. Nothing was stored.
    #[error("the file has {} errors", .0.len())]
    Cells(Vec<CellError>),
    #[error("the budget was changed by someone else; reload and try again")]
    Stale,
    /// Changing or removing an existing line needs the version read (`If-Match`).
    #[error("send the line's ETag in If-Match to change or remove it")]
    PreconditionRequired,
    /// A field breaks a rule: its path in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(BudgetExecutionError);

impl From<RepoError> for BudgetExecutionError {
    fn from(e: RepoError) -> Self {
        BudgetExecutionError::Repo(e)
    }
}

pub(crate) fn invalid(field: impl Into<String>, message: impl ToString) -> BudgetExecutionError {
    BudgetExecutionError::Invalid { field: field.into(), message: message.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(planned: i64) -> Line {
        Line {
            code: "0602-0001-423".into(),
            programme_code: "0602".into(),
            programme_name: LocalizedText::default(),
            subprogramme_code: "0001".into(),
            subprogramme_name: LocalizedText::default(),
            economic_code: "423".into(),
            name: LocalizedText::default(),
            planned,
            amended: None,
            executed: vec![None; 4],
            commitment_id: None,
            participatory_budget_id: None,
        }
    }

    #[test]
    fn a_line_s_etag_follows_its_content() {
        assert_eq!(line(1).etag(), line(1).etag());
        assert_ne!(line(1).etag(), line(2).etag());
        assert!(line(1).etag().starts_with('"') && line(1).etag().ends_with('"'));
    }

    #[test]
    fn changing_a_line_needs_its_version_and_adding_one_needs_none() {
        let l = line(1);
        assert_eq!(LineMatch::Absent.check(None), Ok(()));
        assert_eq!(LineMatch::Absent.check(Some(&l)), Err(BudgetExecutionError::PreconditionRequired));
        assert_eq!(LineMatch::Any.check(Some(&l)), Ok(()));
        assert_eq!(LineMatch::Any.check(None), Err(BudgetExecutionError::Stale));
        assert_eq!(LineMatch::Tag(l.etag()).check(Some(&l)), Ok(()));
        assert_eq!(LineMatch::Tag(format!("W/{}", l.etag())).check(Some(&l)), Ok(()));
        assert_eq!(LineMatch::Tag(line(2).etag()).check(Some(&l)), Err(BudgetExecutionError::Stale));
        assert_eq!(LineMatch::Tag(l.etag()).check(None), Err(BudgetExecutionError::Stale));
    }
}
