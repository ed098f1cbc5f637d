//! The budget-execution handlers: each extracts, calls one service method and maps to DTOs.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, put, web};
use pnyx_domain::budget_execution::{FileFormat, ImportRequest, Line, LineMatch};
use pnyx_domain::i18n::Locale;

use crate::csv_export::SpreadsheetCsv;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, ValidJson, read_limited};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

/// The largest file taken: a municipality's budget of a few thousand lines is well under 1 MiB.
const MAX_IMPORT_BODY: usize = 8 * 1024 * 1024;
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// List published budget years
///
/// Public: the organisation's budget years, newest first.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_list",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The years", body = BudgetYearList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/budget-years")]
pub async fn budget_year_list(org: OrgRef, st: web::Data<AppState>) -> Result<web::Json<BudgetYearList>, ApiError> {
    let years = st.budget_execution.years(org.0.id).await?;
    let items: Vec<BudgetYearSummary> = years.iter().map(summary_dto).collect();
    Ok(web::Json(BudgetYearList { total: u64::try_from(items.len()).unwrap_or(u64::MAX), items, next_cursor: None }))
}

/// Start a budget year by hand
///
/// A year without lines (revision 1), to add lines to one by one. Requires: admin or official.
/// Written to the audit log.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_create", request_body = CreateBudgetYearRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Started", body = BudgetYearSummary),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, description = "Invalid, or the year exists already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budget-years")]
pub async fn budget_year_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateBudgetYearRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let y = st.budget_execution.create_year(&who.0, &org.0, b.year, b.periods.into(), b.note.as_deref()).await?;
    Ok(HttpResponse::Created().json(summary_dto(&y)))
}

/// Get a budget year
///
/// Public: the programme tree (programmes, sub-programmes, lines) with planned, in-force and
/// executed amounts per period and their totals, and the revisions. The JSON export of every
/// figure of the year.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year")),
    responses(
        (status = 200, description = "The year", body = BudgetYearResponse),
        (status = 404, description = "Not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/budget-years/{year}")]
pub async fn budget_year_get(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<web::Json<BudgetYearResponse>, ApiError> {
    let (_, year) = path.into_inner();
    let v = st.budget_execution.year(org.0.id, year).await?;
    Ok(web::Json(year_dto(&v)))
}

/// An amount in minor units as a decimal with two places, e.g. `-12.05`.
fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

/// Export a budget year's lines as CSV
///
/// Public: every line with planned, amended and executed amounts per period, in the same column
/// layout the import reads (so the file can be edited and imported again). Amounts in the
/// currency's units with two decimals.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_lines_csv",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year")),
    responses(
        (status = 200, description = "The CSV file", body = String, content_type = "text/csv"),
        (status = 404, description = "Not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/budget-years/{year}/lines.csv")]
pub async fn budget_year_lines_csv(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (_, year) = path.into_inner();
    let v = st.budget_execution.year(org.0.id, year).await?;
    let default = org.0.default_locale;
    let others: Vec<Locale> = Locale::ALL
        .into_iter()
        .filter(|l| {
            *l != default
                && v.lines
                    .iter()
                    .any(|x| [&x.name, &x.programme_name, &x.subprogramme_name].iter().any(|t| t.get(*l).is_some()))
        })
        .collect();
    let n = v.year.periods.count();
    let prefix = v.year.periods.prefix();
    let mut header: Vec<String> = [
        "code",
        "programme_code",
        "programme_name",
        "subprogramme_code",
        "subprogramme_name",
        "economic_code",
        "name",
        "planned",
        "amended",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend((1..=n).map(|i| format!("{prefix}{i}")));
    header.extend(["commitment_id".to_owned(), "participatory_budget_id".to_owned()]);
    for l in &others {
        for base in ["programme_name", "subprogramme_name", "name"] {
            header.push(format!("{base}.{}", l.as_str()));
        }
    }
    let mut csv = SpreadsheetCsv::default();
    csv.row(&header)?;
    let text = |t: &pnyx_domain::i18n::LocalizedText, l: Locale| t.get(l).unwrap_or_default().to_owned();
    // The bare columns: the default language, for Serbian in whichever script was written.
    let bare = |t: &pnyx_domain::i18n::LocalizedText| {
        t.get(default).or_else(|| default.other_script().and_then(|o| t.get(o))).unwrap_or_default().to_owned()
    };
    for l in &v.lines {
        let line: &Line = l;
        let mut row = vec![
            line.code.clone(),
            line.programme_code.clone(),
            bare(&line.programme_name),
            line.subprogramme_code.clone(),
            bare(&line.subprogramme_name),
            line.economic_code.clone(),
            bare(&line.name),
            decimal(line.planned),
            line.amended.map(decimal).unwrap_or_default(),
        ];
        row.extend(line.executed.iter().map(|e| e.map(decimal).unwrap_or_default()));
        row.push(line.commitment_id.map(|c| c.as_uuid().to_string()).unwrap_or_default());
        row.push(line.participatory_budget_id.map(|c| c.as_uuid().to_string()).unwrap_or_default());
        for loc in &others {
            row.extend([text(&line.programme_name, *loc), text(&line.subprogramme_name, *loc), text(&line.name, *loc)]);
        }
        csv.row(&row)?;
    }
    csv.into_response(&format!("budget-{}-{year}.csv", org.0.slug))
}

/// Get the changes between revisions
///
/// Public: the lines whose amount in force (amended, else planned) differs between two revisions
/// (by default the current one and the one before), added or removed.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_changes",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year"), BudgetChangesParams),
    responses(
        (status = 200, description = "The changes", body = BudgetChangesResponse),
        (status = 404, description = "No such year or revision", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/budget-years/{year}/changes")]
pub async fn budget_year_changes(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, i32)>,
    q: web::Query<BudgetChangesParams>,
) -> Result<web::Json<BudgetChangesResponse>, ApiError> {
    let (_, year) = path.into_inner();
    let (from, to, items) = st.budget_execution.changes(org.0.id, year, q.from, q.to).await?;
    Ok(web::Json(BudgetChangesResponse {
        from,
        to,
        currency: org.0.currency.to_string(),
        items: items.iter().map(change_dto).collect(),
    }))
}

/// Export the changes between revisions as CSV
///
/// Public: as `GET .../changes`, one line per changed budget line; amounts with two decimals.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_changes_csv",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year"), BudgetChangesParams),
    responses(
        (status = 200, description = "The CSV file", body = String, content_type = "text/csv"),
        (status = 404, description = "No such year or revision", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/budget-years/{year}/changes.csv")]
pub async fn budget_year_changes_csv(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, i32)>,
    q: web::Query<BudgetChangesParams>,
) -> Result<HttpResponse, ApiError> {
    let (_, year) = path.into_inner();
    let (from, to, items) = st.budget_execution.changes(org.0.id, year, q.from, q.to).await?;
    let mut csv = SpreadsheetCsv::default();
    csv.row(["code", "name", "from_revision", "to_revision", "before", "after", "difference"])?;
    let default = org.0.default_locale;
    for c in &items {
        let name = c.name.resolve(default, default).map(std::borrow::Cow::into_owned).unwrap_or_default();
        csv.row([
            c.code.clone(),
            name,
            from.to_string(),
            to.to_string(),
            c.before.map(decimal).unwrap_or_default(),
            c.after.map(decimal).unwrap_or_default(),
            decimal(c.after.unwrap_or(0) - c.before.unwrap_or(0)),
        ])?;
    }
    csv.into_response(&format!("budget-changes-{}-{year}-{from}-{to}.csv", org.0.slug))
}

/// Import a budget year from CSV or XLSX
///
/// The body is the file: `text/csv` (UTF-8) or XLSX
/// (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, the first sheet read),
/// up to 8 MiB, in the column layout of `docs/budget-execution.md`: a header row naming the
/// columns `code`, `programme_code`, `programme_name`, `subprogramme_code`, `subprogramme_name`,
/// `economic_code`, `name`, `planned`, optionally `amended`, then `q1`…`q4` or `m1`…`m12`
/// (executed per period; blank: not reported), optionally `commitment_id` and
/// `participatory_budget_id`, and `name.en`-style translation columns. Amounts in the
/// organisation's currency with at most two decimals after a `.`. The file replaces every line of
/// the year as a new revision; with `?dry_run=true` nothing is stored and the answer says what
/// would change. On any error nothing is stored and each error names its row and column
/// (`errors[].field` is `row.<row>.<column header>`). Requires: admin or official. Written to the
/// audit log.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_year_import",
    request_body(content = String, content_type = "text/csv", description = "A CSV or XLSX file in the documented layout"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year, 2000 to 2100"), BudgetImportParams),
    responses(
        (status = 200, description = "Checked (a dry run): what the import would do", body = BudgetImportResponse),
        (status = 201, description = "Imported: a new revision", body = BudgetImportResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 412, description = "The year changed during the import; try again", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 8 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither CSV nor XLSX", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file is unreadable, or cells break the layout (each named by row and column)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budget-years/{year}/import")]
pub async fn budget_year_import(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, i32)>,
    q: web::Query<BudgetImportParams>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (_, year) = path.into_inner();
    let format = match req.mime_type().ok().flatten() {
        Some(m) if m.type_() == "text" && m.subtype() == "csv" => FileFormat::Csv,
        Some(m) if m.essence_str() == XLSX => FileFormat::Xlsx,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                format!("Send text/csv or {XLSX}."),
            ));
        }
    };
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let body = read_limited(&mut payload, declared, MAX_IMPORT_BODY).await?;
    let req = ImportRequest { year, format, bytes: &body, note: q.note.as_deref(), dry_run: q.dry_run };
    let out = st.budget_execution.import(&who.0, &org.0, req).await?;
    let status = if out.dry_run { StatusCode::OK } else { StatusCode::CREATED };
    Ok(HttpResponse::build(status).json(import_dto(&out)))
}

/// The version a line change claims, from `If-Match`.
fn line_match(if_match: &IfMatch) -> LineMatch {
    match if_match.0.as_deref() {
        None => LineMatch::Absent,
        Some("*") => LineMatch::Any,
        Some(tag) => LineMatch::Tag(tag.to_owned()),
    }
}

/// Add or replace a budget line
///
/// The line with the code in the path is added, or replaced whole; a new revision. Requires:
/// admin or official. Replacing a line needs `If-Match` with its ETag (its `etag` in the year, or
/// the `ETag` of a save): 428 without it, 412 when the line changed since; adding a new one needs
/// none (`If-Match` on a code with no line: 412). Written to the audit log.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_line_put", request_body = BudgetLineRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year"), ("code" = String, Path, description = "The line's code"),
        ("If-Match" = Option<String>, Header, description = "The line's ETag read (`*`: any version); required to replace a line")),
    responses(
        (status = 200, description = "Saved", body = BudgetLineResponse, headers(("ETag" = String, description = "The line's new version"))),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "The year is not published", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The line (or the year) changed meanwhile: reload and try again", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
        (status = 428, response = crate::error::problems::IfMatchRequired),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/budget-years/{year}/lines/{code}")]
pub async fn budget_line_put(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, i32, String)>,
    if_match: IfMatch,
    body: ValidJson<BudgetLineRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, year, code) = path.into_inner();
    let (line, note) = body.0.into_line(code);
    let expect = line_match(&if_match);
    let (y, line) = st.budget_execution.put_line(&who.0, &org.0, year, line, &expect, note.as_deref()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, line.etag()))
        .json(BudgetLineResponse { year: summary_dto(&y), line: line_dto(&line) }))
}

/// Remove a budget line
///
/// A new revision without the line. Requires: admin or official, and `If-Match` with the line's
/// ETag (428 without it, 412 when the line changed since). Written to the audit log.
#[utoipa::path(
    tag = "budget-execution", operation_id = "budget_line_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("year" = i32, Path, description = "The year"), ("code" = String, Path, description = "The line's code"), BudgetNoteParams,
        ("If-Match" = Option<String>, Header, description = "The line's ETag read (`*`: any version); required")),
    responses(
        (status = 200, description = "Removed; the year's new revision", body = BudgetYearSummary),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such year or line", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The line (or the year) changed meanwhile: reload and try again", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
        (status = 428, response = crate::error::problems::IfMatchRequired),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/budget-years/{year}/lines/{code}")]
pub async fn budget_line_delete(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, i32, String)>,
    if_match: IfMatch,
    q: web::Query<BudgetNoteParams>,
) -> Result<web::Json<BudgetYearSummary>, ApiError> {
    let (_, year, code) = path.into_inner();
    let expect = line_match(&if_match);
    let y = st.budget_execution.delete_line(&who.0, &org.0, year, &code, &expect, q.note.as_deref()).await?;
    Ok(web::Json(summary_dto(&y)))
}
