//! Request and response bodies of budget years, lines, imports and changes. Amounts are integers
//! in the minor units of the year's `currency`.

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, FieldError};
use chrono::{DateTime, Utc};
use pnyx_domain::budget_execution::{
    BudgetExecutionError, BudgetYear, Change, ImportOutcome, Line, Node, PeriodKind, Revision, Totals, YearView, tree,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[allow(unused_imports)]
use super::*;

impl From<BudgetExecutionError> for ApiError {
    fn from(e: BudgetExecutionError) -> Self {
        use BudgetExecutionError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::Unreadable(m) => ApiError::field("file", m),
            E::Cells(cells) => ApiError::validation(
                cells
                    .into_iter()
                    .map(|c| {
                        let (field, at) = if c.column.is_empty() {
                            (format!("row.{}", c.row), format!("row {}", c.row))
                        } else {
                            (
                                format!("row.{}.{}", c.row, c.header),
                                format!("row {}, column {} ({})", c.row, c.column, c.header),
                            )
                        };
                        FieldError { field, message: format!("{at}: {}", c.message) }
                    })
                    .collect(),
            ),
            E::Stale => ApiError::precondition_failed(),
            E::PreconditionRequired => ApiError::precondition_required(
                "Send the line's ETag (from the year's `lines[].etag` or a save's `ETag`) in If-Match to change or remove it.",
            ),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Repo(r) => r.into(),
        }
    }
}

crate::dto_enum!(
    /// How execution is reported: per `month` (12 periods) or per `quarter` (4).
    PeriodKindDto => PeriodKind { Month, Quarter }
);

/// Sums of a group of lines: planned, in force (amended where amended), executed per period
/// (`null` where no line reported the period yet) and in all.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetTotalsDto {
    pub planned: i64,
    pub current: i64,
    pub executed: Vec<Option<i64>>,
    pub executed_total: i64,
}

impl From<&Totals> for BudgetTotalsDto {
    fn from(t: &Totals) -> Self {
        BudgetTotalsDto {
            planned: t.planned,
            current: t.current,
            executed: t.executed.clone(),
            executed_total: t.executed_total,
        }
    }
}

/// A line of the budget.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetLineDto {
    pub code: String,
    pub programme_code: String,
    pub subprogramme_code: String,
    pub economic_code: String,
    pub name: LocalizedTextDto,
    pub planned: i64,
    /// After the latest amendment; `null`: not amended.
    pub amended: Option<i64>,
    /// In force: `amended`, else `planned`.
    pub current: i64,
    /// Per period; `null`: not reported yet.
    pub executed: Vec<Option<i64>>,
    pub executed_total: i64,
    /// The action-plan commitment this line funds.
    pub commitment_id: Option<Uuid>,
    /// The participatory-budget process whose projects this line funds.
    pub participatory_budget_id: Option<Uuid>,
    /// The line's version: send it as `If-Match` to change or remove it.
    #[schema(example = "\"3f1c9a7e0b2d4c5e8f6a1b2c3d4e5f60\"")]
    pub etag: String,
}

pub(crate) fn line_dto(l: &Line) -> BudgetLineDto {
    BudgetLineDto {
        code: l.code.clone(),
        programme_code: l.programme_code.clone(),
        subprogramme_code: l.subprogramme_code.clone(),
        economic_code: l.economic_code.clone(),
        name: (&l.name).into(),
        planned: l.planned,
        amended: l.amended,
        current: l.current(),
        executed: l.executed.clone(),
        executed_total: l.executed_total(),
        commitment_id: l.commitment_id.map(Into::into),
        participatory_budget_id: l.participatory_budget_id.map(Into::into),
        etag: l.etag(),
    }
}

/// A sub-programme (programme activity or project) with its lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetSubprogrammeDto {
    pub code: String,
    pub name: LocalizedTextDto,
    pub totals: BudgetTotalsDto,
    pub lines: Vec<BudgetLineDto>,
}

/// A programme with its sub-programmes.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetProgrammeDto {
    pub code: String,
    pub name: LocalizedTextDto,
    pub totals: BudgetTotalsDto,
    pub subprogrammes: Vec<BudgetSubprogrammeDto>,
}

/// A revision: a publication (import) or a change by hand.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetRevisionDto {
    pub number: u32,
    pub note: String,
    /// `import` or `edit`.
    pub source: String,
    pub created_at: DateTime<Utc>,
}

fn revision_dto(r: &Revision) -> BudgetRevisionDto {
    BudgetRevisionDto { number: r.number, note: r.note.clone(), source: r.source.clone(), created_at: r.created_at }
}

/// A published year in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetYearSummary {
    pub year: i32,
    pub periods: PeriodKindDto,
    /// The ISO 4217 currency of every amount.
    pub currency: String,
    /// The current revision.
    pub revision: u32,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn summary_dto(y: &BudgetYear) -> BudgetYearSummary {
    BudgetYearSummary {
        year: y.year,
        periods: y.periods.into(),
        currency: y.currency.to_string(),
        revision: y.revision,
        updated_at: y.updated_at,
    }
}

/// The organisation's published years, newest first (one page).
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetYearList {
    pub items: Vec<BudgetYearSummary>,
    pub next_cursor: Option<String>,
    pub total: u64,
}

/// A year: the programme tree with every line, the totals and the revisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetYearResponse {
    #[serde(flatten)]
    pub summary: BudgetYearSummary,
    pub totals: BudgetTotalsDto,
    pub programmes: Vec<BudgetProgrammeDto>,
    /// Oldest first.
    pub revisions: Vec<BudgetRevisionDto>,
}

fn programmes_dto(nodes: &[Node], lines: &[Line]) -> Vec<BudgetProgrammeDto> {
    let by_code: std::collections::HashMap<&str, &Line> = lines.iter().map(|l| (l.code.as_str(), l)).collect();
    nodes
        .iter()
        .map(|p| BudgetProgrammeDto {
            code: p.code.clone(),
            name: (&p.name).into(),
            totals: (&p.totals).into(),
            subprogrammes: p
                .children
                .iter()
                .map(|s| BudgetSubprogrammeDto {
                    code: s.code.clone(),
                    name: (&s.name).into(),
                    totals: (&s.totals).into(),
                    lines: s.lines.iter().filter_map(|c| by_code.get(c.as_str())).map(|l| line_dto(l)).collect(),
                })
                .collect(),
        })
        .collect()
}

pub(crate) fn year_dto(v: &YearView) -> BudgetYearResponse {
    let (nodes, totals) = tree(&v.lines, v.year.periods.count());
    BudgetYearResponse {
        summary: summary_dto(&v.year),
        totals: (&totals).into(),
        programmes: programmes_dto(&nodes, &v.lines),
        revisions: v.revisions.iter().map(revision_dto).collect(),
    }
}

/// A line whose amount in force changed between two revisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetChangeDto {
    pub code: String,
    pub name: LocalizedTextDto,
    /// `null`: the line was added.
    pub before: Option<i64>,
    /// `null`: the line was removed.
    pub after: Option<i64>,
}

pub(crate) fn change_dto(c: &Change) -> BudgetChangeDto {
    BudgetChangeDto { code: c.code.clone(), name: (&c.name).into(), before: c.before, after: c.after }
}

/// The changes from revision `from` to revision `to` (0: before the first publication).
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetChangesResponse {
    pub from: u32,
    pub to: u32,
    pub currency: String,
    pub items: Vec<BudgetChangeDto>,
}

/// What an import did or, for a dry run, would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetImportResponse {
    pub dry_run: bool,
    #[serde(flatten)]
    pub summary: BudgetYearSummary,
    pub lines: usize,
    pub totals: BudgetTotalsDto,
    /// Lines whose amount in force differs from the revision before.
    pub changes: Vec<BudgetChangeDto>,
}

pub(crate) fn import_dto(o: &ImportOutcome) -> BudgetImportResponse {
    let (_, totals) = tree(&o.lines, o.year.periods.count());
    BudgetImportResponse {
        dry_run: o.dry_run,
        summary: summary_dto(&o.year),
        lines: o.lines.len(),
        totals: (&totals).into(),
        changes: o.changes.iter().map(change_dto).collect(),
    }
}

/// How to import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetImportParams {
    /// Only read and check the file and say what would change; store nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// What this revision is, e.g. "First rebalance, Assembly decision 400-12/2025".
    #[param(max_length = 500)]
    pub note: Option<String>,
}

/// Which revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetChangesParams {
    /// The earlier revision (0: before the first); by default the one before `to`.
    pub from: Option<u32>,
    /// The later revision; by default the current one.
    pub to: Option<u32>,
}

/// A new year entered by hand, without lines yet.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2026, "periods": "quarter", "note": "Odluka o budžetu za 2026."}))]
pub struct CreateBudgetYearRequest {
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    pub periods: PeriodKindDto,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// A line entered or changed by hand; the code is in the path.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "programme_code": "0602", "programme_name": {"sr-Latn": "Opšte usluge lokalne samouprave"},
    "subprogramme_code": "0001", "subprogramme_name": {"sr-Latn": "Funkcionisanje lokalne samouprave"},
    "economic_code": "423", "name": {"sr-Latn": "Usluge po ugovoru"},
    "planned": 125_000_000_i64, "amended": null, "executed": [30_000_000, null, null, null]
}))]
pub struct BudgetLineRequest {
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub programme_code: String,
    pub programme_name: LocalizedTextDto,
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub subprogramme_code: String,
    pub subprogramme_name: LocalizedTextDto,
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub economic_code: String,
    pub name: LocalizedTextDto,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub planned: i64,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub amended: Option<i64>,
    /// One amount per period of the year (4 or 12); `null`: not reported yet.
    #[validate(length(min = 4, max = 12))]
    #[schema(min_items = 4, max_items = 12)]
    pub executed: Vec<Option<i64>>,
    pub commitment_id: Option<Uuid>,
    pub participatory_budget_id: Option<Uuid>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

impl BudgetLineRequest {
    pub(crate) fn into_line(self, code: String) -> (Line, Option<String>) {
        (
            Line {
                code,
                programme_code: self.programme_code,
                programme_name: self.programme_name.into(),
                subprogramme_code: self.subprogramme_code,
                subprogramme_name: self.subprogramme_name.into(),
                economic_code: self.economic_code,
                name: self.name.into(),
                planned: self.planned,
                amended: self.amended,
                executed: self.executed,
                commitment_id: self.commitment_id.map(Into::into),
                participatory_budget_id: self.participatory_budget_id.map(Into::into),
            },
            self.note,
        )
    }
}

/// A saved line and the year's new revision.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetLineResponse {
    pub year: BudgetYearSummary,
    pub line: BudgetLineDto,
}

/// Why a line is removed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetNoteParams {
    #[param(max_length = 500)]
    pub note: Option<String>,
}
