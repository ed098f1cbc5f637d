//! OGP's commitment format: a plan's commitments as the flat table OGP's commitment data uses,
//! one row per commitment followed by one per milestone (see [`OGP_COLUMNS`]), and the import of
//! such a table drafted in a spreadsheet with partners: every row checked first, errors named by
//! row and column, and nothing stored unless every row is right (one unit of work).
//! Texts are in the organisation's default language, the language a plan is drafted in.

use crate::audit::Audit;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use super::{ActionPlanError, ActionPlanService, DELIVERABLE_MAX, TEXT_MAX, TITLE_MAX, level_change, level_of};
use crate::action_plans::records::{Commitment, IrmAssessment, Milestone};
use crate::action_plans::rules::{self, CompletionLevel, DateSpan, MilestoneStatus, OgpValue};
use crate::auth::{Action, Caller};
use crate::i18n::LocalizedText;
use crate::ids::{CommitmentId, PlanId};
use crate::org::Organisation;

/// The columns, in order. `commitment_ref` ties a milestone row to its commitment row (`C1`,
/// `C2`, … on export); lists (`supporting_institutions`, `ogp_values`) are separated by `;`.
pub const OGP_COLUMNS: [&str; 22] = [
    "row_type",
    "commitment_ref",
    "title",
    "lead_institution",
    "supporting_institutions",
    "problem",
    "status_quo",
    "objective",
    "ogp_values",
    "theme",
    "budget",
    "start_date",
    "end_date",
    "completion",
    "deliverable",
    "completed_on",
    "irm_verifiable",
    "irm_potential_for_results",
    "irm_completion",
    "irm_did_it_open_government",
    "irm_evidence",
    "commitment_id",
];

const LEAD_MAX: usize = 300;
const IRM_POTENTIAL: [&str; 3] = ["unclear", "modest", "substantial"];
const IRM_COMPLETION: [&str; 5] = ["no_evidence", "not_started", "limited", "substantial", "complete"];
const IRM_OPEN_GOV: [&str; 5] = ["worsened", "did_not_change", "marginal", "major", "outstanding"];
/// Rows one import takes at most.
pub const IMPORT_ROWS_MAX: usize = 2_000;

/// One wrong cell of an imported table: the spreadsheet's row number (the header is row 1) and
/// the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// Why an import was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OgpImportError {
    #[error(transparent)]
    Plan(#[from] ActionPlanError),
    #[error("{} cells are wrong", .0.len())]
    Cells(Vec<CellError>),
}

/// A commitment the import creates (or would create, on a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCommitment {
    pub commitment_ref: String,
    pub title: String,
    pub milestones: usize,
    /// `None` on a dry run.
    pub id: Option<CommitmentId>,
}

struct Parsed {
    commitment: Commitment,
    reference: String,
    milestones: Vec<Milestone>,
}

fn default_text(org: &Organisation, t: &LocalizedText) -> String {
    t.resolve(org.default_locale, org.default_locale).map(|c| c.into_owned()).unwrap_or_default()
}

impl ActionPlanService {
    /// The plan's commitments and milestones as OGP's table: rows of [`OGP_COLUMNS`] cells.
    /// Anyone who may see the plan may export it.
    ///
    /// # Errors
    /// No such plan (or a draft the caller may not see); the database failed.
    pub async fn ogp_export(
        &self,
        caller: &Caller,
        org: &Organisation,
        plan: PlanId,
    ) -> Result<Vec<Vec<String>>, ActionPlanError> {
        let plan = self.visible_plan(caller, org, plan).await?;
        let filter = crate::action_plans::records::CommitmentFilter {
            action_plan: Some(plan.id),
            public_only: false,
            ..Default::default()
        };
        let mut cs = self.store.commitments(org.id, &filter).await?;
        cs.sort_by_key(|c| c.id);
        let ms = self.store.milestones(&cs.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
        let t = |x: &LocalizedText| default_text(org, x);
        let mut rows = Vec::new();
        for (i, c) in cs.iter().enumerate() {
            let reference = format!("C{}", i + 1);
            let mut mine: Vec<&Milestone> = ms.iter().filter(|m| m.commitment_id == c.id).collect();
            mine.sort_by_key(|m| m.position);
            let level = rules::completion(&mine.iter().map(|m| m.status).collect::<Vec<_>>()).level;
            let start = mine.iter().map(|m| m.dates.start()).min();
            let end = mine.iter().map(|m| m.dates.end()).max();
            let irm = c.irm.clone().unwrap_or_default();
            rows.push(vec![
                "commitment".to_owned(),
                reference.clone(),
                t(&c.title),
                c.lead.clone(),
                c.supporting_actors.join("; "),
                t(&c.problem),
                t(&c.status_quo),
                t(&c.objective),
                c.ogp_values.iter().map(|v| v.as_str()).collect::<Vec<_>>().join("; "),
                c.theme.clone().unwrap_or_default(),
                c.budget.map(|b| b.to_string()).unwrap_or_default(),
                start.map(|d| d.to_string()).unwrap_or_default(),
                end.map(|d| d.to_string()).unwrap_or_default(),
                level.as_str().to_owned(),
                String::new(),
                String::new(),
                irm.verifiable.map(|v| if v { "yes" } else { "no" }.to_owned()).unwrap_or_default(),
                irm.potential_for_results.unwrap_or_default(),
                irm.completion.unwrap_or_default(),
                irm.did_it_open_government.unwrap_or_default(),
                irm.evidence.unwrap_or_default(),
                c.id.to_string(),
            ]);
            for m in mine {
                let mut row = vec![String::new(); OGP_COLUMNS.len()];
                row[0] = "milestone".into();
                row[1].clone_from(&reference);
                row[2] = t(&m.title);
                row[11] = m.dates.start().to_string();
                row[12] = m.dates.end().to_string();
                row[13] = m.status.as_str().into();
                row[14] = t(&m.deliverable);
                row[15] = m.completed_on.map(|d| d.to_string()).unwrap_or_default();
                row[21] = c.id.to_string();
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// Imports commitments and milestones from a CSV table in OGP's format into a plan. Every
    /// row is checked before anything is stored; on a dry run nothing is stored at all; else
    /// everything is stored in one unit of work (and a commitment whose imported milestones
    /// are begun gets its completion level in its history).
    ///
    /// # Errors
    /// Forbidden; no such plan; the cells that are wrong, by row and column.
    pub async fn ogp_import(
        &self,
        caller: &Caller,
        org: &Organisation,
        plan: PlanId,
        csv: &[u8],
        dry_run: bool,
    ) -> Result<Vec<ImportedCommitment>, OgpImportError> {
        let actor = caller.authorize(org.id, Action::WriteContent).map_err(ActionPlanError::from)?.user_id;
        let plan = self.store.plan(org.id, plan).await.map_err(ActionPlanError::from)?;
        let plan = plan.ok_or(ActionPlanError::NotFound("action plan"))?;
        let today = self.today(org);
        let now = self.clock.now();
        let parsed = parse(org, plan.id, csv, today, now)?;
        let mut out: Vec<ImportedCommitment> = parsed
            .iter()
            .map(|p| ImportedCommitment {
                commitment_ref: p.reference.clone(),
                title: default_text(org, &p.commitment.title),
                milestones: p.milestones.len(),
                id: None,
            })
            .collect();
        if dry_run {
            return Ok(out);
        }
        let tx = self.store.begin().await.map_err(ActionPlanError::from)?;
        for (p, o) in parsed.iter().zip(&mut out) {
            tx.create_commitment(&p.commitment).await.map_err(ActionPlanError::from)?;
            for m in &p.milestones {
                tx.add_milestone(m).await.map_err(ActionPlanError::from)?;
            }
            let level = level_of(&p.milestones);
            if level != CompletionLevel::NotStarted {
                let entry = level_change(&p.commitment, CompletionLevel::NotStarted, level, actor, today, now);
                tx.append_history(&entry).await.map_err(ActionPlanError::from)?;
            }
            o.id = Some(p.commitment.id);
        }
        Audit::new(org.id, actor, "action_plan.ogp_imported", ("action_plan", plan.id), now)
            .context("commitments", out.len())
            .context("milestones", parsed.iter().map(|p| p.milestones.len()).sum::<usize>())
            .record(&*tx)
            .await
            .map_err(ActionPlanError::from)?;
        tx.commit().await.map_err(ActionPlanError::from)?;
        Ok(out)
    }
}

fn push(errors: &mut Vec<CellError>, row: usize, column: &str, message: &str) {
    errors.push(CellError { row, column: column.to_owned(), message: message.to_owned() });
}

/// Checks every row; the commitments with their milestones, or every wrong cell.
fn parse(
    org: &Organisation,
    plan: PlanId,
    csv: &[u8],
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Parsed>, OgpImportError> {
    let mut errors: Vec<CellError> = Vec::new();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim_start_matches('\u{feff}').to_owned()).collect(),
        Err(_) => {
            push(&mut errors, 1, "row_type", "the file is not CSV in UTF-8");
            return Err(OgpImportError::Cells(errors));
        }
    };
    for h in &header {
        if !OGP_COLUMNS.contains(&h.as_str()) {
            push(&mut errors, 1, h, "unknown column");
        }
    }
    for required in ["row_type", "commitment_ref", "title"] {
        if !header.iter().any(|h| h == required) {
            push(&mut errors, 1, required, "the column is missing");
        }
    }
    if !errors.is_empty() {
        return Err(OgpImportError::Cells(errors));
    }
    let index: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    // Milestone rows whose commitment comes later in the file are matched at the end.
    let mut pending: Vec<(usize, String, Milestone)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        if row > IMPORT_ROWS_MAX + 1 {
            push(&mut errors, row, "row_type", &format!("at most {IMPORT_ROWS_MAX} rows"));
            break;
        }
        let Ok(record) = record else {
            push(&mut errors, row, "row_type", "the row is not valid CSV");
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |c: &str| index.get(c).and_then(|&i| record.get(i)).unwrap_or("").to_owned();
        let reference = cell("commitment_ref");
        if reference.is_empty() {
            push(&mut errors, row, "commitment_ref", "required");
        }
        let title = cell("title");
        let title_text = LocalizedText::from([(org.default_locale, title.as_str())]);
        if title.is_empty() {
            push(&mut errors, row, "title", "required");
        } else if title.chars().count() > TITLE_MAX {
            push(&mut errors, row, "title", &format!("at most {TITLE_MAX} characters"));
        }
        let date = |c: &str, errs: &mut Vec<CellError>| -> Option<NaiveDate> {
            let v = cell(c);
            if v.is_empty() {
                return None;
            }
            let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok();
            if d.is_none() {
                push(errs, row, c, "a date as YYYY-MM-DD");
            }
            d
        };
        match cell("row_type").as_str() {
            "commitment" => {
                if by_ref.contains_key(&reference) {
                    push(&mut errors, row, "commitment_ref", "another commitment row has this reference");
                }
                let lead = cell("lead_institution");
                if lead.is_empty() {
                    push(&mut errors, row, "lead_institution", "required");
                } else if lead.chars().count() > LEAD_MAX {
                    push(&mut errors, row, "lead_institution", &format!("at most {LEAD_MAX} characters"));
                }
                let long = |c: &str, errs: &mut Vec<CellError>| {
                    let v = cell(c);
                    if v.chars().count() > TEXT_MAX {
                        push(errs, row, c, &format!("at most {TEXT_MAX} characters"));
                    }
                    if v.is_empty() {
                        LocalizedText::default()
                    } else {
                        LocalizedText::from([(org.default_locale, v.as_str())])
                    }
                };
                let problem = long("problem", &mut errors);
                let status_quo = long("status_quo", &mut errors);
                let objective = long("objective", &mut errors);
                let mut values = BTreeSet::new();
                for v in cell("ogp_values").split(';').map(str::trim).filter(|v| !v.is_empty()) {
                    match OgpValue::parse(v) {
                        Some(v) => {
                            values.insert(v);
                        }
                        None => push(
                            &mut errors,
                            row,
                            "ogp_values",
                            &format!(
                                "`{v}` is not one of {}",
                                OgpValue::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        ),
                    }
                }
                let budget = match cell("budget") {
                    b if b.is_empty() => None,
                    b => match b.parse::<i64>() {
                        Ok(n) if n >= 0 => Some(n),
                        _ => {
                            push(&mut errors, row, "budget", "a whole number of minor units (cents), not negative");
                            None
                        }
                    },
                };
                let choice = |c: &str, allowed: &[&str], errs: &mut Vec<CellError>| {
                    let v = cell(c);
                    if v.is_empty() {
                        None
                    } else if allowed.contains(&v.as_str()) {
                        Some(v)
                    } else {
                        push(errs, row, c, &format!("one of {}", allowed.join(", ")));
                        None
                    }
                };
                let verifiable = match cell("irm_verifiable").as_str() {
                    "" => None,
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => {
                        push(&mut errors, row, "irm_verifiable", "yes or no");
                        None
                    }
                };
                let irm = IrmAssessment {
                    verifiable,
                    potential_for_results: choice("irm_potential_for_results", &IRM_POTENTIAL, &mut errors),
                    completion: choice("irm_completion", &IRM_COMPLETION, &mut errors),
                    did_it_open_government: choice("irm_did_it_open_government", &IRM_OPEN_GOV, &mut errors),
                    evidence: Some(cell("irm_evidence")).filter(|e| !e.is_empty()),
                };
                let irm = (irm != IrmAssessment::default()).then_some(irm);
                let theme = Some(cell("theme")).filter(|t| !t.is_empty());
                let supporting = cell("supporting_institutions")
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                by_ref.insert(reference.clone(), parsed.len());
                parsed.push(Parsed {
                    reference,
                    milestones: Vec::new(),
                    commitment: Commitment {
                        id: CommitmentId::new_v7(),
                        org_id: org.id,
                        action_plan_id: plan,
                        title: title_text,
                        lead,
                        supporting_actors: supporting,
                        problem,
                        status_quo,
                        objective,
                        ogp_values: values,
                        theme,
                        budget,
                        irm,
                        created_at: now,
                        updated_at: now,
                    },
                });
            }
            "milestone" => {
                let start = date("start_date", &mut errors);
                let end = date("end_date", &mut errors);
                if cell("start_date").is_empty() {
                    push(&mut errors, row, "start_date", "required");
                }
                if cell("end_date").is_empty() {
                    push(&mut errors, row, "end_date", "required");
                }
                let status = match cell("completion").as_str() {
                    "" => Some(MilestoneStatus::NotStarted),
                    s => MilestoneStatus::parse(s).or_else(|| {
                        push(
                            &mut errors,
                            row,
                            "completion",
                            &format!(
                                "one of {}",
                                MilestoneStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        );
                        None
                    }),
                };
                let completed_on = date("completed_on", &mut errors);
                let deliverable = cell("deliverable");
                if deliverable.chars().count() > DELIVERABLE_MAX {
                    push(&mut errors, row, "deliverable", &format!("at most {DELIVERABLE_MAX} characters"));
                }
                let dates = match (start, end) {
                    (Some(s), Some(e)) => {
                        DateSpan::new(s, e).map_err(|e| push(&mut errors, row, "end_date", &e.to_string())).ok()
                    }
                    _ => None,
                };
                if let Some(status) = status
                    && let Err(e) = rules::check_completion(status, completed_on, today)
                {
                    push(&mut errors, row, "completed_on", &e.to_string());
                }
                if let (Some(dates), Some(status)) = (dates, status) {
                    let m = Milestone {
                        id: Uuid::now_v7(),
                        commitment_id: CommitmentId::from(Uuid::nil()),
                        position: 0,
                        title: title_text,
                        deliverable: if deliverable.is_empty() {
                            LocalizedText::default()
                        } else {
                            LocalizedText::from([(org.default_locale, deliverable.as_str())])
                        },
                        dates,
                        status,
                        completed_on,
                        created_at: now,
                        updated_at: now,
                    };
                    pending.push((row, reference, m));
                }
            }
            "" => push(&mut errors, row, "row_type", "required: commitment or milestone"),
            _ => push(&mut errors, row, "row_type", "commitment or milestone"),
        }
    }
    for (row, reference, mut m) in pending {
        match by_ref.get(&reference) {
            Some(&i) => {
                let p = &mut parsed[i];
                m.commitment_id = p.commitment.id;
                m.position = u32::try_from(p.milestones.len()).unwrap_or(u32::MAX);
                p.milestones.push(m);
            }
            None => push(&mut errors, row, "commitment_ref", "no commitment row has this reference"),
        }
    }
    if parsed.is_empty() && errors.is_empty() {
        push(&mut errors, 2, "row_type", "the file has no commitment");
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        errors.sort_by_key(|e| e.row);
        Err(OgpImportError::Cells(errors))
    }
}
