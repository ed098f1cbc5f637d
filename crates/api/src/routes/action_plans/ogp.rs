//! OGP's commitment format: a plan's commitments and milestones exported as the flat table OGP
//! uses for commitment data (CSV and JSON, the same columns), and imported from such a CSV with
//! a dry run. The mapping (column → Pnyx field):
//!
//! | column | commitment row | milestone row |
//! |---|---|---|
//! | `row_type` | `commitment` | `milestone` |
//! | `commitment_ref` | `C1`, `C2`, … (any text on import) | the reference of its commitment |
//! | `title` | title | title |
//! | `lead_institution` | lead | — |
//! | `supporting_institutions` | supporting actors, `;`-separated | — |
//! | `problem`, `status_quo`, `objective` | the same fields | — |
//! | `ogp_values` | OGP values, `;`-separated (`access_to_information`, `civic_participation`, `public_accountability`, `technology_and_innovation`) | — |
//! | `theme`, `budget` | theme, budget (minor units) | — |
//! | `start_date`, `end_date` | the first milestone's start, the last one's end (export only) | dates |
//! | `completion` | completion level (export only) | milestone status |
//! | `deliverable`, `completed_on` | — | the same fields |
//! | `irm_verifiable` (`yes`/`no`), `irm_potential_for_results`, `irm_completion`, `irm_did_it_open_government`, `irm_evidence` | the IRM assessment | — |
//! | `commitment_id` | Pnyx's id (export only; ignored on import) | its commitment's id |
//!
//! Texts are in the organisation's default language.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use pnyx_domain::action_plans::{OGP_COLUMNS, OgpImportError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::csv_export::SpreadsheetCsv;
use crate::error::{ApiError, FieldError, Problem};
use crate::extract::{Auth, OrgRef, read_limited};
use crate::state::AppState;

/// The largest CSV taken (a plan of a few dozen commitments is a few hundred KiB).
const MAX_CSV_BODY: usize = 4 * 1024 * 1024;

impl From<OgpImportError> for ApiError {
    fn from(e: OgpImportError) -> Self {
        match e {
            OgpImportError::Plan(p) => p.into(),
            OgpImportError::Cells(cells) => ApiError::validation(
                cells
                    .into_iter()
                    .map(|c| FieldError { field: format!("rows[{}].{}", c.row, c.column), message: c.message })
                    .collect(),
            ),
        }
    }
}

/// `?dry_run=` of the import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check and show what would be created, store nothing (default `false`).
    #[serde(default)]
    pub dry_run: bool,
}

/// A commitment an import created (or would create).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportedCommitmentDto {
    /// The file's `commitment_ref`.
    pub commitment_ref: String,
    pub title: String,
    /// Its milestones in the file.
    pub milestones: usize,
    /// The new commitment (`null` on a dry run).
    pub id: Option<Uuid>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OgpImportDto {
    /// `true`: nothing was stored.
    pub dry_run: bool,
    pub commitments: Vec<ImportedCommitmentDto>,
}

/// Export a plan's commitments in OGP's format as CSV
///
/// One row per commitment followed by one per milestone, the columns of OGP's commitment data
/// (see the module's mapping: `row_type`, `commitment_ref`, `title`, `lead_institution`,
/// `supporting_institutions`, `problem`, `status_quo`, `objective`, `ogp_values`, `theme`,
/// `budget`, `start_date`, `end_date`, `completion`, `deliverable`, `completed_on`, the IRM
/// fields and `commitment_id`); texts in the organisation's default language. Anyone who may see
/// the plan.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_ogp_csv",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans/{id}/ogp.csv")]
pub async fn action_plan_ogp_csv(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().1;
    let rows = st.action_plans.ogp_export(&who.0, &org.0, id.into()).await?;
    let mut w = SpreadsheetCsv::default();
    w.row(OGP_COLUMNS)?;
    for r in rows {
        w.row(r)?;
    }
    w.into_response(&format!("ogp-commitments-{id}.csv"))
}

/// Export a plan's commitments in OGP's format as JSON
///
/// The rows of the CSV as an array of objects with the same keys (every value a string, empty
/// where the CSV cell is).
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_ogp_json",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "The rows", body = Vec<Object>),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/action-plans/{id}/ogp.json")]
pub async fn action_plan_ogp_json(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().1;
    let rows = st.action_plans.ogp_export(&who.0, &org.0, id.into()).await?;
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .into_iter()
        .map(|r| {
            OGP_COLUMNS.iter().map(|c| (*c).to_owned()).zip(r.into_iter().map(serde_json::Value::String)).collect()
        })
        .collect();
    Ok(HttpResponse::Ok().json(objects))
}

/// Import commitments and milestones from a CSV in OGP's format
///
/// The body is a CSV (`text/csv`, UTF-8, up to 4 MiB) with a header of OGP-format columns
/// (`row_type`, `commitment_ref` and `title` required; see the export for the rest): each
/// `commitment` row becomes a commitment of the plan, each `milestone` row a milestone of the
/// commitment with its `commitment_ref`. Every row is checked first: wrong cells are a 422 whose
/// `errors` name them as `rows[N].column` (N is the spreadsheet's row, the header being 1) and
/// nothing is stored. With `?dry_run=true` nothing is stored either way. Requires: admin or
/// official.
#[utoipa::path(
    tag = "action-plans", operation_id = "action_plan_ogp_import",
    request_body(content = String, content_type = "text/csv", description = "A CSV in OGP's commitment format"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The plan"), ImportParams),
    responses(
        (status = 200, description = "Dry run: what would be created", body = OgpImportDto),
        (status = 201, description = "Created", body = OgpImportDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 4 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong cells, by row and column; nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/action-plans/{id}/ogp-import")]
pub async fn action_plan_ogp_import(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    query: web::Query<ImportParams>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().1;
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let body = read_limited(&mut payload, declared, MAX_CSV_BODY).await?;
    let dry_run = query.dry_run;
    let done = st.action_plans.ogp_import(&who.0, &org.0, id.into(), &body, dry_run).await?;
    let dto = OgpImportDto {
        dry_run,
        commitments: done
            .into_iter()
            .map(|c| ImportedCommitmentDto {
                commitment_ref: c.commitment_ref,
                title: c.title,
                milestones: c.milestones,
                id: c.id.map(Into::into),
            })
            .collect(),
    };
    Ok(if dry_run { HttpResponse::Ok().json(dto) } else { HttpResponse::Created().json(dto) })
}
