//! The budget-execution use cases: staff import a year from a file (or only check it, a dry run),
//! add, change or remove lines by hand; anyone reads the years, their lines, revisions and the
//! changes between revisions. Each write is one unit of work: the year, all of its lines, a new
//! revision and a line of the audit log, or nothing.

use crate::audit::Audit;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::import::{CellError, parse_csv, parse_xlsx};
use super::tree::{Change, changes};
use super::{BudgetExecutionError, BudgetYear, Line, LineAmounts, LineMatch, PeriodKind, Revision, invalid};
use crate::auth::{Action, Caller};
use crate::clock::Clock;
use crate::ids::{OrgId, UserId};
use crate::org::Organisation;
use crate::repo::{RepoError, Repos, Store};
use crate::version::Version;

const NOTE_MAX: usize = 500;
const CODE_MAX: usize = 40;
const NAME_MAX: usize = 300;
/// The years a budget may be published for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The kind of an imported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

/// A file to import into a year, or only to check (`dry_run`).
#[derive(Debug, Clone, Copy)]
pub struct ImportRequest<'a> {
    pub year: i32,
    pub format: FileFormat,
    pub bytes: &'a [u8],
    /// What this revision is.
    pub note: Option<&'a str>,
    pub dry_run: bool,
}

/// A year with its lines and revisions (each revision without its amounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearView {
    pub year: BudgetYear,
    pub lines: Vec<Line>,
    pub revisions: Vec<Revision>,
}

/// What an import did, or would do (a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub dry_run: bool,
    pub year: BudgetYear,
    pub lines: Vec<Line>,
    /// How the amounts in force differ from the current revision (every line, for a new year).
    pub changes: Vec<Change>,
}

/// The budget-execution use cases.
pub struct BudgetExecutionService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

fn amounts(lines: &[Line]) -> Vec<LineAmounts> {
    lines
        .iter()
        .map(|l| LineAmounts { code: l.code.clone(), name: l.name.clone(), planned: l.planned, amended: l.amended })
        .collect()
}

/// The amounts a revision kept (none for revision 0, before the first).
fn revision_lines(revisions: &[Revision], n: u32) -> Result<&[LineAmounts], BudgetExecutionError> {
    if n == 0 {
        return Ok(&[]);
    }
    revisions
        .iter()
        .find(|r| r.number == n)
        .map(|r| r.lines.as_slice())
        .ok_or(BudgetExecutionError::NotFound("revision"))
}

fn check_year(year: i32) -> Result<(), BudgetExecutionError> {
    if YEARS.contains(&year) { Ok(()) } else { Err(BudgetExecutionError::NotFound("year")) }
}

fn check_note(note: Option<&str>) -> Result<String, BudgetExecutionError> {
    let n = note.map(str::trim).unwrap_or_default();
    if n.chars().count() > NOTE_MAX {
        return Err(invalid("note", format!("is longer than {NOTE_MAX} characters")));
    }
    Ok(n.to_owned())
}

fn check_code(field: &str, v: &str) -> Result<String, BudgetExecutionError> {
    let t = v.trim();
    if t.is_empty() {
        return Err(invalid(field, "is blank"));
    }
    if t.chars().count() > CODE_MAX {
        return Err(invalid(field, format!("is longer than {CODE_MAX} characters")));
    }
    if !t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_')) {
        return Err(invalid(field, "may hold only letters, digits, `-`, `.`, `/` and `_`"));
    }
    Ok(t.to_owned())
}

/// Checks a line entered by hand, naming the field that breaks a rule.
fn check_line(org: &Organisation, mut l: Line, periods: PeriodKind) -> Result<Line, BudgetExecutionError> {
    l.code = check_code("code", &l.code)?;
    l.programme_code = check_code("programme_code", &l.programme_code)?;
    l.subprogramme_code = check_code("subprogramme_code", &l.subprogramme_code)?;
    l.economic_code = check_code("economic_code", &l.economic_code)?;
    let text = |f: &str, t| org.check_text(f, t, NAME_MAX).map_err(|e| invalid(e.field, e.message));
    l.name = text("name", l.name)?;
    l.programme_name = text("programme_name", l.programme_name)?;
    l.subprogramme_name = text("subprogramme_name", l.subprogramme_name)?;
    if l.planned < 0 {
        return Err(invalid("planned", "must not be negative"));
    }
    if l.amended.is_some_and(|a| a < 0) {
        return Err(invalid("amended", "must not be negative"));
    }
    if l.executed.len() != periods.count() {
        return Err(invalid("executed", format!("needs {} periods ({}s)", periods.count(), periods.as_str())));
    }
    Ok(l)
}

/// Names, for links in an imported file, the row and column of a link that is not the
/// organisation's.
async fn check_links(
    repo: &dyn Repos,
    org_id: OrgId,
    lines: impl Iterator<Item = (Option<(usize, &std::collections::HashMap<String, String>)>, &Line)>,
) -> Result<(), BudgetExecutionError> {
    let mut errors = Vec::new();
    for (at, l) in lines {
        if let Some(c) = l.commitment_id
            && repo.commitment(org_id, c).await?.is_none()
        {
            errors.push(("commitment_id", at, "is not a commitment of this organisation"));
        }
        if let Some(b) = l.participatory_budget_id
            && repo.budget(org_id, b).await?.is_none()
        {
            errors.push(("participatory_budget_id", at, "is not a participatory budget of this organisation"));
        }
    }
    match errors.first() {
        None => Ok(()),
        Some((field, None, message)) => Err(invalid(*field, message)),
        Some(_) => Err(BudgetExecutionError::Cells(
            errors
                .into_iter()
                .filter_map(|(field, at, message)| {
                    let (row, cols) = at?;
                    Some(CellError {
                        row,
                        column: cols.get(field).cloned().unwrap_or_default(),
                        header: field.to_owned(),
                        message: message.to_owned(),
                    })
                })
                .collect(),
        )),
    }
}

impl BudgetExecutionService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        BudgetExecutionService { store, clock }
    }

    /// The organisation's published years, newest first; public.
    ///
    /// # Errors
    /// The database failed.
    pub async fn years(&self, org_id: OrgId) -> Result<Vec<BudgetYear>, BudgetExecutionError> {
        Ok(self.store.budget_years(org_id).await?)
    }

    /// One year with its lines and revisions; public.
    ///
    /// # Errors
    /// Not published.
    pub async fn year(&self, org_id: OrgId, year: i32) -> Result<YearView, BudgetExecutionError> {
        let y = self.store.budget_year(org_id, year).await?.ok_or(BudgetExecutionError::NotFound("year"))?;
        let lines = self.store.budget_lines(y.id).await?;
        let mut revisions = self.store.budget_revisions(y.id).await?;
        for r in &mut revisions {
            r.lines.clear();
        }
        Ok(YearView { year: y, lines, revisions })
    }

    /// The changes of the amounts in force from revision `from` to revision `to` (by default, the
    /// one before `to`, and the current one); public.
    ///
    /// # Errors
    /// Not published; no such revision.
    pub async fn changes(
        &self,
        org_id: OrgId,
        year: i32,
        from: Option<u32>,
        to: Option<u32>,
    ) -> Result<(u32, u32, Vec<Change>), BudgetExecutionError> {
        let y = self.store.budget_year(org_id, year).await?.ok_or(BudgetExecutionError::NotFound("year"))?;
        let revisions = self.store.budget_revisions(y.id).await?;
        let to = to.unwrap_or(y.revision);
        let from = from.unwrap_or(to.saturating_sub(1));
        Ok((from, to, changes(revision_lines(&revisions, from)?, revision_lines(&revisions, to)?)))
    }

    /// Imports a year from a file, replacing every line (a new revision), or with `dry_run` only
    /// reads and checks it and says what would change. Nothing is stored on any error.
    ///
    /// # Errors
    /// Forbidden unless admin or official; a year outside 2000–2100; an unreadable file; cells
    /// breaking the layout or linking to what is not the organisation's (each named by row and
    /// column); the year changed meanwhile.
    #[tracing::instrument(skip_all, fields(org = %org.id, year))]
    pub async fn import(
        &self,
        caller: &Caller,
        org: &Organisation,
        req: ImportRequest<'_>,
    ) -> Result<ImportOutcome, BudgetExecutionError> {
        let ImportRequest { year, format, bytes, note, dry_run } = req;
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        check_year(year)?;
        let note = check_note(note)?;
        let parsed = match format {
            FileFormat::Csv => parse_csv(org, bytes)?,
            FileFormat::Xlsx => parse_xlsx(org, bytes)?,
        };
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        check_links(&*tx, org.id, parsed.lines.iter().map(|l| (Some((l.row, &parsed.columns)), &l.line))).await?;
        let lines: Vec<Line> = parsed.lines.into_iter().map(|l| l.line).collect();
        let existing = tx.budget_year(org.id, year).await?;
        let before = match &existing {
            Some(y) => tx.budget_revisions(y.id).await?.into_iter().find(|r| r.number == y.revision).map(|r| r.lines),
            None => None,
        };
        let ch = changes(before.as_deref().unwrap_or(&[]), &amounts(&lines));
        let (y, expected) = self.next_year(org, year, existing, parsed.periods, now);
        if dry_run {
            return Ok(ImportOutcome { dry_run, year: y, lines, changes: ch });
        }
        let details =
            serde_json::json!({"year": year, "revision": y.revision, "lines": lines.len(), "changed": ch.len()});
        self.save(
            tx,
            actor.user_id,
            &y,
            expected,
            &lines,
            note,
            "import",
            Audit::new(y.org_id, actor.user_id, "budget_year.imported", ("budget_year", y.id), now).extra(details),
            now,
        )
        .await?;
        Ok(ImportOutcome { dry_run, year: y, lines, changes: ch })
    }

    fn next_year(
        &self,
        org: &Organisation,
        year: i32,
        existing: Option<BudgetYear>,
        periods: PeriodKind,
        now: DateTime<Utc>,
    ) -> (BudgetYear, Option<DateTime<Utc>>) {
        match existing {
            Some(mut y) => {
                let expected = y.updated_at;
                y.revision += 1;
                y.periods = periods;
                y.updated_at = Version::next_after(expected, now);
                (y, Some(expected))
            }
            None => (
                BudgetYear {
                    id: Uuid::now_v7(),
                    org_id: org.id,
                    year,
                    periods,
                    currency: org.currency,
                    revision: 1,
                    created_at: now,
                    updated_at: now,
                },
                None,
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn save(
        &self,
        tx: Box<dyn crate::repo::UnitOfWork>,
        actor: UserId,
        y: &BudgetYear,
        expected: Option<DateTime<Utc>>,
        lines: &[Line],
        note: String,
        source: &str,
        audit: Audit,
        now: DateTime<Utc>,
    ) -> Result<(), BudgetExecutionError> {
        let revision = Revision {
            id: Uuid::now_v7(),
            year_id: y.id,
            number: y.revision,
            note,
            source: source.to_owned(),
            author_id: Some(actor),
            lines: amounts(lines),
            created_at: now,
        };
        tx.save_budget_year(y, expected, lines, &revision).await.map_err(|e| match e {
            RepoError::Conflict { .. } => BudgetExecutionError::Stale,
            other => other.into(),
        })?;
        audit.record(&*tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts a year by hand, with no lines yet (revision 1).
    ///
    /// # Errors
    /// Forbidden; a year outside 2000–2100 (404); the year exists already (422 on `year`).
    #[tracing::instrument(skip_all, fields(org = %org.id, year))]
    pub async fn create_year(
        &self,
        caller: &Caller,
        org: &Organisation,
        year: i32,
        periods: PeriodKind,
        note: Option<&str>,
    ) -> Result<BudgetYear, BudgetExecutionError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        if !YEARS.contains(&year) {
            return Err(invalid("year", "must be 2000 to 2100"));
        }
        let note = check_note(note)?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        if tx.budget_year(org.id, year).await?.is_some() {
            return Err(invalid("year", "is published already; import a file or edit its lines"));
        }
        let (y, _) = self.next_year(org, year, None, periods, now);
        let details = serde_json::json!({"year": year, "periods": periods.as_str()});
        self.save(
            tx,
            actor.user_id,
            &y,
            None,
            &[],
            note,
            "edit",
            Audit::new(y.org_id, actor.user_id, "budget_year.created", ("budget_year", y.id), now).extra(details),
            now,
        )
        .await?;
        Ok(y)
    }

    /// Adds the line with this code, or replaces it (a new revision). Replacing claims the
    /// version read (`expect`, from `If-Match`); adding one needs none.
    ///
    /// # Errors
    /// Forbidden; the year is not published; invalid fields; links not the organisation's; an
    /// existing line without `If-Match` ([`BudgetExecutionError::PreconditionRequired`]); another
    /// version of the line, or the year changed meanwhile ([`BudgetExecutionError::Stale`]).
    #[tracing::instrument(skip_all, fields(org = %org.id, year))]
    pub async fn put_line(
        &self,
        caller: &Caller,
        org: &Organisation,
        year: i32,
        line: Line,
        expect: &LineMatch,
        note: Option<&str>,
    ) -> Result<(BudgetYear, Line), BudgetExecutionError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        check_year(year)?;
        let note = check_note(note)?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let existing = tx.budget_year(org.id, year).await?.ok_or(BudgetExecutionError::NotFound("year"))?;
        let line = check_line(org, line, existing.periods)?;
        check_links(&*tx, org.id, std::iter::once((None, &line))).await?;
        let mut lines = tx.budget_lines(existing.id).await?;
        expect.check(lines.iter().find(|l| l.code == line.code))?;
        let line_before = lines.iter().find(|l| l.code == line.code).cloned();
        let added = match lines.iter_mut().find(|l| l.code == line.code) {
            Some(l) => {
                *l = line.clone();
                false
            }
            None => {
                lines.push(line.clone());
                true
            }
        };
        let periods = existing.periods;
        let (y, expected) = self.next_year(org, year, Some(existing), periods, now);
        let details = serde_json::json!({"year": year, "revision": y.revision, "code": line.code, "added": added});
        self.save(
            tx,
            actor.user_id,
            &y,
            expected,
            &lines,
            note,
            "edit",
            {
                let a =
                    Audit::new(y.org_id, actor.user_id, "budget_line.saved", ("budget_year", y.id), now).extra(details);
                match &line_before {
                    Some(b) => a.updated(b, &line),
                    None => a.created(&line),
                }
            },
            now,
        )
        .await?;
        Ok((y, line))
    }

    /// Removes a line (a new revision).
    ///
    /// # Errors
    /// Forbidden; no such year or line; no `If-Match` ([`BudgetExecutionError::PreconditionRequired`]) or
    /// another version of the line, or the year changed meanwhile ([`BudgetExecutionError::Stale`]).
    #[tracing::instrument(skip_all, fields(org = %org.id, year))]
    pub async fn delete_line(
        &self,
        caller: &Caller,
        org: &Organisation,
        year: i32,
        code: &str,
        expect: &LineMatch,
        note: Option<&str>,
    ) -> Result<BudgetYear, BudgetExecutionError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        check_year(year)?;
        let note = check_note(note)?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let existing = tx.budget_year(org.id, year).await?.ok_or(BudgetExecutionError::NotFound("year"))?;
        let mut lines = tx.budget_lines(existing.id).await?;
        let current = lines.iter().find(|l| l.code == code).ok_or(BudgetExecutionError::NotFound("line"))?;
        expect.check(Some(current))?;
        let line_before = current.clone();
        lines.retain(|l| l.code != code);
        let periods = existing.periods;
        let (y, expected) = self.next_year(org, year, Some(existing), periods, now);
        let details = serde_json::json!({"year": year, "revision": y.revision, "code": code, "removed": true});
        self.save(
            tx,
            actor.user_id,
            &y,
            expected,
            &lines,
            note,
            "edit",
            Audit::new(y.org_id, actor.user_id, "budget_line.deleted", ("budget_year", y.id), now)
                .extra(details)
                .deleted(&line_before),
            now,
        )
        .await?;
        Ok(y)
    }
}
