//! Open data: the organisation's datasets as CSV and JSON downloads (streamed page by page from
//! the database, with `ETag` and `Last-Modified` so a harvester's conditional request is a
//! 304), the list of datasets the web app shows, the DCAT-AP catalogue (JSON-LD) that
//! data.europa.eu and national portals harvest, and the admins' choice of licence.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use actix_web::http::header::{self, EntityTag, HttpDate};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::stream;
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::opendata::{
    Catalogue, Dataset, OpenDataError, OpenDataService, Row, Stamp, csv_cells, csv_header, json_object,
};
use pnyx_domain::org::Organisation;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::csv_export::csv_chunk;
use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, ValidJson};
use crate::state::AppState;

impl From<OpenDataError> for ApiError {
    fn from(e: OpenDataError) -> Self {
        match e {
            OpenDataError::Authz(a) => a.into(),
            OpenDataError::BadLicence => {
                ApiError::field("licence", "must be an http(s) address of at most 500 characters")
            }
            OpenDataError::Repo(r) => r.into(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(open_data_list)
        .service(open_data_catalogue)
        .service(open_data_settings_update)
        .service(open_data_csv)
        .service(open_data_json);
}

/// A download format of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
    fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
        }
    }
}

/// One way to download a dataset.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DistributionDto {
    /// `CSV`, `JSON`, `iCalendar` or `pabulib`.
    pub format: String,
    /// The IANA media type.
    pub media_type: String,
    /// The address under `/api/v1`, e.g. `/api/v1/orgs/banska-bystrica/open-data/meetings.csv`.
    pub url: String,
    /// What this file holds, when it is a part of the dataset (one process's pabulib file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One dataset of an organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DatasetDto {
    /// The name in download addresses, e.g. `budget-proposals`.
    pub slug: String,
    /// In the organisation's languages.
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    /// Records in the dataset (for survey results: surveys with public results).
    pub rows: u64,
    /// The latest change.
    pub modified: DateTime<Utc>,
    /// The columns, in order (a multilingual column is one CSV column per language:
    /// `title_sk`, `title_en`).
    pub columns: Vec<String>,
    pub distributions: Vec<DistributionDto>,
}

/// An organisation's open data.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpenDataDto {
    /// The licence every dataset is published under (an address; CC BY 4.0 unless the
    /// organisation chose another).
    pub licence: String,
    /// The DCAT-AP catalogue (JSON-LD) for harvesting portals, under `/api/v1`.
    pub catalogue_url: String,
    pub datasets: Vec<DatasetDto>,
}

/// The organisation's open-data settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"licence": "https://creativecommons.org/publicdomain/zero/1.0/"}))]
pub struct OpenDataSettingsDto {
    /// The address of the licence (e.g. `https://creativecommons.org/publicdomain/zero/1.0/`);
    /// `null` for the default, CC BY 4.0.
    #[validate(length(min = 10, max = 500))]
    #[schema(min_length = 10, max_length = 500, format = "uri", pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub licence: Option<String>,
}

fn api_path(org: &Organisation, rest: &str) -> String {
    format!("/api/v1/orgs/{}/open-data/{rest}", org.slug.as_str())
}

fn distributions(org: &Organisation, c: &Catalogue, d: Dataset) -> Vec<DistributionDto> {
    let mut out: Vec<DistributionDto> = [Format::Csv, Format::Json]
        .into_iter()
        .map(|f| DistributionDto {
            format: f.ext().to_uppercase(),
            media_type: f.media_type().to_owned(),
            url: api_path(org, &format!("{}.{}", d.slug(), f.ext())),
            label: None,
        })
        .collect();
    match d {
        Dataset::Meetings => out.push(DistributionDto {
            format: "iCalendar".into(),
            media_type: "text/calendar".into(),
            url: format!("/api/v1/orgs/{}/calendar.ics", org.slug.as_str()),
            label: None,
        }),
        Dataset::Budgets => out.extend(c.pabulib_budgets.iter().map(|b| DistributionDto {
            format: "pabulib".into(),
            media_type: "text/plain".into(),
            url: format!("/api/v1/orgs/{}/budgets/{b}/export.pb", org.slug.as_str()),
            label: Some(b.to_string()),
        })),
        _ => {}
    }
    out
}

fn column_names(org: &Organisation, d: Dataset) -> Vec<String> {
    csv_header(d.columns(), &org.locales)
}

/// List an organisation's open datasets
///
/// Every public collection with its title and description in the organisation's languages, its
/// size, last change, columns and download addresses (CSV, JSON, and the iCalendar feed and
/// pabulib files where they apply), and the licence. Public.
#[utoipa::path(
    tag = "open-data", operation_id = "open_data_list",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The datasets", body = OpenDataDto),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/open-data")]
pub async fn open_data_list(org: OrgRef, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let org = org.0;
    let c = st.opendata.catalogue(&org).await?;
    let datasets = c
        .datasets
        .iter()
        .map(|e| DatasetDto {
            slug: e.dataset.slug().to_owned(),
            title: (&e.title).into(),
            description: (&e.description).into(),
            rows: e.rows,
            modified: e.modified,
            columns: column_names(&org, e.dataset),
            distributions: distributions(&org, &c, e.dataset),
        })
        .collect();
    Ok(HttpResponse::Ok().json(OpenDataDto {
        licence: c.licence.clone(),
        catalogue_url: api_path(&org, "catalogue.jsonld"),
        datasets,
    }))
}

/// Choose the licence of an organisation's open data
///
/// Requires: the organisation's admin. `null` returns to CC BY 4.0.
#[utoipa::path(
    tag = "open-data", operation_id = "open_data_settings_update",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    request_body = OpenDataSettingsDto,
    responses(
        (status = 200, description = "The settings in force", body = OpenDataSettingsDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/open-data/settings")]
pub async fn open_data_settings_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<OpenDataSettingsDto>,
) -> Result<HttpResponse, ApiError> {
    let licence = st.opendata.set_licence(&who.0, org.0.id, body.0.licence).await?;
    Ok(HttpResponse::Ok().json(OpenDataSettingsDto { licence: Some(licence) }))
}

/// Get an organisation's DCAT-AP catalogue
///
/// The open datasets described in DCAT-AP 2.1 as JSON-LD (`application/ld+json`, the context
/// inline): the catalogue, its publisher (the organisation), the licence, and each dataset with
/// its title and description in the organisation's languages, keywords, last change and its
/// distributions with media types, formats from the EU file-type vocabulary and download
/// addresses. Public.
#[utoipa::path(
    tag = "open-data", operation_id = "open_data_catalogue",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The catalogue", content_type = "application/ld+json", body = Object),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/open-data/catalogue.jsonld")]
pub async fn open_data_catalogue(org: OrgRef, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let org = org.0;
    let c = st.opendata.catalogue(&org).await?;
    let doc = dcat(&st.settings.public_url, &org, &c);
    Ok(HttpResponse::Ok().content_type("application/ld+json").json(doc))
}

/// `{"@value", "@language"}` for each translation.
fn lang_values(t: &LocalizedText) -> Value {
    Value::Array(
        t.locales()
            .into_iter()
            .filter_map(|l| t.get(l).map(|s| json!({"@value": s, "@language": l.as_str()})))
            .collect(),
    )
}

fn xsd_time(t: DateTime<Utc>) -> Value {
    json!({"@value": t.to_rfc3339_opts(SecondsFormat::Secs, true), "@type": "xsd:dateTime"})
}

/// The EU Publications Office's language authority code.
fn eu_language(l: Locale) -> &'static str {
    match l {
        Locale::Sk => "SLK",
        Locale::Pl => "POL",
        Locale::SrLatn | Locale::SrCyrl => "SRP",
        Locale::En => "ENG",
    }
}

/// The catalogue as DCAT-AP JSON-LD. Every address is absolute, under `public_url`.
fn dcat(public_url: &str, org: &Organisation, c: &Catalogue) -> Value {
    let base = public_url.trim_end_matches('/');
    let home = format!("{base}/o/{}", org.slug.as_str());
    let page = format!("{home}/open-data");
    let publisher = format!("{home}#publisher");
    let mut languages: Vec<&str> = org.locales.iter().map(|l| eu_language(*l)).collect();
    languages.dedup();
    let languages: Vec<Value> = languages
        .into_iter()
        .map(|code| {
            json!({"@id": format!("http://publications.europa.eu/resource/authority/language/{code}"),
                   "@type": "dct:LinguisticSystem"})
        })
        .collect();
    let modified = c.datasets.iter().map(|d| d.modified).max().unwrap_or(org.updated_at);
    let (cat_title, cat_description) = catalogue_texts(org);
    let datasets: Vec<Value> = c
        .datasets
        .iter()
        .map(|e| {
            let dists: Vec<Value> = distributions(org, c, e.dataset)
                .into_iter()
                .map(|d| {
                    let url = format!("{base}{}", d.url);
                    let file_type = match d.format.as_str() {
                        "CSV" => "CSV",
                        "JSON" => "JSON",
                        "iCalendar" => "ICS",
                        _ => "TXT",
                    };
                    json!({
                        "@id": url,
                        "@type": "dcat:Distribution",
                        "dct:title": format!("{} ({})", e.dataset.slug(), d.label.as_deref().unwrap_or(&d.format)),
                        "dcat:accessURL": {"@id": url},
                        "dcat:downloadURL": {"@id": url},
                        "dcat:mediaType": {
                            "@id": format!("http://www.iana.org/assignments/media-types/{}", d.media_type),
                            "@type": "dct:MediaType"
                        },
                        "dct:format": {
                            "@id": format!("http://publications.europa.eu/resource/authority/file-type/{file_type}"),
                            "@type": "dct:MediaTypeOrExtent"
                        },
                        "dct:license": {"@id": c.licence},
                        "dct:modified": xsd_time(e.modified),
                    })
                })
                .collect();
            json!({
                "@id": format!("{page}#{}", e.dataset.slug()),
                "@type": "dcat:Dataset",
                "dct:identifier": format!("{page}#{}", e.dataset.slug()),
                "dct:title": lang_values(&e.title),
                "dct:description": lang_values(&e.description),
                "dcat:keyword": e.dataset.keywords().iter().map(|k| json!({"@value": k, "@language": "en"})).collect::<Vec<_>>(),
                "dct:publisher": {"@id": publisher},
                "dct:language": languages.iter().map(|l| json!({"@id": l["@id"]})).collect::<Vec<_>>(),
                "dct:modified": xsd_time(e.modified),
                "dcat:landingPage": {"@id": page},
                "dcat:distribution": dists,
            })
        })
        .collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@id": format!("{base}{}", api_path(org, "catalogue.jsonld")),
        "@type": "dcat:Catalog",
        "dct:title": lang_values(&cat_title),
        "dct:description": lang_values(&cat_description),
        "dct:publisher": {"@id": publisher, "@type": "foaf:Agent", "foaf:name": lang_values(&org.name)},
        "dct:license": {"@id": c.licence, "@type": "dct:LicenseDocument"},
        "dct:language": languages,
        "foaf:homepage": {"@id": home, "@type": "foaf:Document"},
        "dct:modified": xsd_time(modified),
        "dcat:dataset": datasets,
        "@included": [{"@id": page, "@type": "foaf:Document"}],
    })
}

/// The catalogue's title and description: "Open data – {organisation}" in its languages.
fn catalogue_texts(org: &Organisation) -> (LocalizedText, LocalizedText) {
    let mut title = LocalizedText::default();
    let mut description = LocalizedText::default();
    for &l in &org.locales {
        let name = org.name.resolve(l, org.default_locale).map(|n| n.into_owned()).unwrap_or_default();
        let (t, d) = match l {
            Locale::Sk => ("Otvorené údaje", "Verejné údaje z participácie obyvateľov na Pnyx."),
            Locale::Pl => ("Otwarte dane", "Publiczne dane z partycypacji mieszkańców w Pnyx."),
            Locale::SrLatn => ("Otvoreni podaci", "Javni podaci o učešću građana na platformi Pnyx."),
            Locale::SrCyrl => ("Отворени подаци", "Јавни подаци о учешћу грађана на платформи Pnyx."),
            Locale::En => ("Open data", "Public data of residents' participation on Pnyx."),
        };
        title.insert(l, format!("{t} – {name}"));
        description.insert(l, d);
    }
    (title, description)
}

/// The `ETag` of a dataset in a format: changes with its size, the size of what it counts
/// from other tables, and its latest change.
fn etag(d: Dataset, f: Format, s: &Stamp) -> EntityTag {
    let micros = s.modified.map_or(0, |m| m.timestamp_micros());
    EntityTag::new_strong(format!("{}-{}-{}-{}-{micros}", d.slug(), f.ext(), s.rows, s.others))
}

fn http_date(t: DateTime<Utc>) -> HttpDate {
    let secs = u64::try_from(t.timestamp()).unwrap_or(0);
    HttpDate::from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// Whether the client's copy (named by `If-None-Match`, else `If-Modified-Since`) is current.
fn not_modified(req: &HttpRequest, tag: &EntityTag, modified: DateTime<Utc>) -> bool {
    if let Some(inm) = req.headers().get(header::IF_NONE_MATCH) {
        let Ok(v) = inm.to_str() else { return false };
        return v.trim() == "*"
            || v.split(',').filter_map(|t| t.trim().parse::<EntityTag>().ok()).any(|t| t.weak_eq(tag));
    }
    let since = req
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<HttpDate>().ok());
    since.is_some_and(|since| SystemTime::from(http_date(modified)) <= SystemTime::from(since))
}

fn parse_dataset(name: &str) -> Result<Dataset, ApiError> {
    Dataset::parse(name).ok_or_else(|| ApiError::not_found("dataset"))
}

/// Download a dataset as CSV
///
/// The whole dataset, one row per record, a multilingual column as one column per language
/// (`title_sk`, `title_en`), structured values as JSON text; cells a spreadsheet would run as a
/// formula are written as text. Streamed; `ETag` and `Last-Modified` answer conditional requests
/// with 304. Datasets: `action-plans`, `commitments`, `milestones`, `progress`, `meetings`,
/// `consultations`, `opinions`, `survey-results`, `budgets`, `budget-proposals`,
/// `budget-results` (per project of each process whose vote has closed), `reports`.
/// Public; no resident is named.
#[utoipa::path(
    tag = "open-data", operation_id = "open_data_csv",
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("dataset" = String, Path, description = "The dataset, e.g. `meetings`"),
    ),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 304, description = "The copy named by `If-None-Match` or `If-Modified-Since` is current"),
        (status = 404, description = "No such organisation or dataset", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/open-data/{dataset}.csv")]
pub async fn open_data_csv(
    req: HttpRequest,
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let d = parse_dataset(&path.1)?;
    download(&req, st.opendata.clone(), org.0, d, Format::Csv).await
}

/// Download a dataset as JSON
///
/// The whole dataset as a JSON array of objects, one per record, with the columns of the CSV
/// (multilingual text as an object of locale → text). Streamed, with `ETag` and
/// `Last-Modified` as the CSV. Public; no resident is named.
#[utoipa::path(
    tag = "open-data", operation_id = "open_data_json",
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("dataset" = String, Path, description = "The dataset, e.g. `meetings`"),
    ),
    responses(
        (status = 200, description = "A JSON array of records", content_type = "application/json", body = Vec<Object>),
        (status = 304, description = "The copy named by `If-None-Match` or `If-Modified-Since` is current"),
        (status = 404, description = "No such organisation or dataset", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/open-data/{dataset}.json")]
pub async fn open_data_json(
    req: HttpRequest,
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let d = parse_dataset(&path.1)?;
    download(&req, st.opendata.clone(), org.0, d, Format::Json).await
}

/// Answers 304 when the client's copy is current; else reads the first page (so a failing
/// database is still a problem+json) and streams the rest page by page.
async fn download(
    req: &HttpRequest,
    svc: Arc<OpenDataService>,
    org: Organisation,
    d: Dataset,
    f: Format,
) -> Result<HttpResponse, ApiError> {
    let stamp = svc.stamp(&org, d).await?;
    let modified = stamp.modified.unwrap_or(org.updated_at);
    let tag = etag(d, f, &stamp);
    let fresh = not_modified(req, &tag, modified);
    let mut res = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header(header::ETag(tag))
        .insert_header(header::LastModified(http_date(modified)))
        .insert_header((header::CACHE_CONTROL, "public, no-cache"));
    if fresh {
        return Ok(res.finish());
    }
    let (first, next) = svc.page(&org, d, None).await?;
    let head = match f {
        Format::Csv => csv_chunk([csv_header(d.columns(), &org.locales)])?,
        Format::Json => b"[".to_vec(),
    };
    let first_chunk = encode(&org, d, f, first, true)?;
    let start = Bytes::from([head, first_chunk].concat());
    let written = stream::iter([Ok::<Bytes, actix_web::Error>(start)]);
    let filename = format!("attachment; filename=\"{}-{}.{}\"", org.slug.as_str(), d.slug(), f.ext());
    // What remains: the cursor, and whether a JSON record has been written (for the commas).
    let rest = stream::unfold(Some(next), move |state| {
        let svc = svc.clone();
        let org = org.clone();
        async move {
            let cursor = state?;
            let Some(after) = cursor else {
                let tail = if f == Format::Json { Bytes::from_static(b"\n]\n") } else { Bytes::new() };
                return Some((Ok(tail), None));
            };
            let page = svc.page(&org, d, Some(after)).await;
            match page.map_err(ApiError::from).and_then(|(rows, next)| Ok((encode(&org, d, f, rows, false)?, next))) {
                Ok((bytes, next)) => Some((Ok(Bytes::from(bytes)), Some(next))),
                Err(e) => {
                    // The headers are sent: all that is left is to cut the download short.
                    tracing::error!(error = %e, dataset = d.slug(), "open-data export failed midway");
                    Some((Err(actix_web::error::ErrorInternalServerError("export failed")), None))
                }
            }
        }
    });
    let content_type = match f {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Json => "application/json",
    };
    Ok(res
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, filename))
        .streaming(futures_util::StreamExt::chain(written, rest)))
}

/// Rows as CSV lines, or as JSON records each after a comma (none before the very first).
fn encode(org: &Organisation, d: Dataset, f: Format, rows: Vec<Row>, first_page: bool) -> Result<Vec<u8>, ApiError> {
    match f {
        Format::Csv => csv_chunk(rows.iter().map(|r| csv_cells(d.columns(), &org.locales, r))),
        Format::Json => {
            let mut out = Vec::new();
            for (i, r) in rows.into_iter().enumerate() {
                if !(first_page && i == 0) {
                    out.push(b',');
                }
                out.push(b'\n');
                serde_json::to_writer(&mut out, &json_object(d.columns(), r)).map_err(ApiError::internal)?;
            }
            Ok(out)
        }
    }
}
