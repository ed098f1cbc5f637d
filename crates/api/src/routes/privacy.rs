//! Personal data: the signed-in resident's archive ("download my data"), deleting their account,
//! and an organisation's retention settings. The handlers call
//! [`pnyx_domain::privacy::PrivacyService`].

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use pnyx_domain::privacy::{DataExport, ExportStatus, MAX_RETENTION_MONTHS, PrivacyError, Retention};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{Auth, OrgRef, SignedIn, SignedInWith, ValidJson};
use crate::state::AppState;

impl From<PrivacyError> for ApiError {
    fn from(e: PrivacyError) -> Self {
        match e {
            PrivacyError::Authz(a) => a.into(),
            PrivacyError::Forbidden => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Only a signed-in session may do this (not an API token, not a read-only one).",
            ),
            PrivacyError::WrongPassword => {
                ApiError::new(StatusCode::FORBIDDEN, ErrorCode::WrongPassword, "The password is wrong.")
            }
            PrivacyError::LastAdmin(slug) => ApiError::conflict(
                ErrorCode::LastAdmin,
                format!(
                    "You are the last admin of the organisation {}: make someone else admin there first, then delete your account.",
                    slug.as_str()
                ),
            ),
            PrivacyError::NoExport => ApiError::not_found("archive of your data (ask for one; it is kept for 7 days)"),
            PrivacyError::BadRetention => ApiError::field(
                "retention",
                format!("a period is between 1 and {MAX_RETENTION_MONTHS} months, or null to keep until deletion"),
            ),
            PrivacyError::Credential(c) => ApiError::internal(c),
            PrivacyError::Repo(r) => r.into(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(data_export_request)
        .service(data_export_get)
        .service(data_export_download)
        .service(account_delete)
        .service(retention_get)
        .service(retention_update);
}

/// Where the archive of the resident's data is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataExportStatusDto {
    /// Asked for; it is being made in the background.
    Pending,
    /// Ready to download until `expires_at`.
    Ready,
}

/// A request for the archive of the resident's data.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DataExportDto {
    pub id: uuid::Uuid,
    pub status: DataExportStatusDto,
    pub requested_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    /// Until when it can be downloaded.
    pub expires_at: Option<DateTime<Utc>>,
    /// The download's address, once ready.
    pub download_url: Option<String>,
    /// What the archive cannot hold, and why.
    pub notice: String,
}

impl From<DataExport> for DataExportDto {
    fn from(e: DataExport) -> Self {
        let ready = e.status == ExportStatus::Ready;
        DataExportDto {
            id: e.id,
            status: if ready { DataExportStatusDto::Ready } else { DataExportStatusDto::Pending },
            requested_at: e.requested_at,
            ready_at: e.ready_at,
            expires_at: e.expires_at,
            download_url: ready.then(|| "/api/v1/me/data-export/archive".to_owned()),
            notice: pnyx_domain::privacy::ARCHIVE_NOTICE.to_owned(),
        }
    }
}

/// Deleting the signed-in account.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "correct horse battery staple", "remove_content": false}))]
pub struct DeleteAccountRequest {
    /// The account's password, to confirm it is its owner asking.
    #[validate(length(min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
    /// Remove what the account published too (comments' texts, opinions, reports) instead of
    /// keeping it under "a former resident". Budget proposals and ballots stay either way.
    #[serde(default)]
    pub remove_content: bool,
}

/// How long an organisation keeps residents' contact details, in months (`null`: until the
/// resident deletes their account).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"registration_months": 12, "report_contact_months": 24, "opinion_contact_months": null}))]
pub struct RetentionDto {
    /// Months after a meeting ends that its registrations (who registered) are deleted; the
    /// meeting's counts stay.
    #[validate(range(min = 1, max = 120))]
    #[schema(minimum = 1, maximum = 120)]
    pub registration_months: Option<u16>,
    /// Months after a report is resolved (or made, if it never is) that its author's name is
    /// removed from it.
    #[validate(range(min = 1, max = 120))]
    #[schema(minimum = 1, maximum = 120)]
    pub report_contact_months: Option<u16>,
    /// Months after an anonymous opinion is given that the name and e-mail left with it are
    /// deleted.
    #[validate(range(min = 1, max = 120))]
    #[schema(minimum = 1, maximum = 120)]
    pub opinion_contact_months: Option<u16>,
}

impl From<Retention> for RetentionDto {
    fn from(r: Retention) -> Self {
        RetentionDto {
            registration_months: r.registration_months,
            report_contact_months: r.report_contact_months,
            opinion_contact_months: r.opinion_contact_months,
        }
    }
}

/// Ask for the archive of my data
///
/// Starts making a JSON archive of everything stored about the signed-in account (profile,
/// memberships, opinions, linked survey answers, registrations, proposals, comments, reports,
/// notifications, sessions, follows…) in the background; poll `GET /me/data-export`. A request
/// still pending is returned as it is. The archive is kept for 7 days. Anonymous survey answers
/// and ballot contents cannot be included: nothing links them to the account.
#[utoipa::path(
    tag = "accounts", operation_id = "data_export_request",
    responses(
        (status = 202, description = "Asked for (or already pending)", body = DataExportDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/data-export")]
pub async fn data_export_request(st: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, ApiError> {
    let export = st.privacy.request_export(&who.0).await?;
    Ok(HttpResponse::Accepted().json(DataExportDto::from(export)))
}

/// See the archive of my data
///
/// The latest request and whether its archive is ready.
#[utoipa::path(
    tag = "accounts", operation_id = "data_export_get",
    responses(
        (status = 200, description = "The latest request", body = DataExportDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "None asked for, or it expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/data-export")]
pub async fn data_export_get(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<DataExportDto>, ApiError> {
    Ok(web::Json(st.privacy.export_status(&who.0).await?.into()))
}

/// Download the archive of my data
///
/// The JSON archive, as an attachment, while it is kept.
#[utoipa::path(
    tag = "accounts", operation_id = "data_export_download",
    responses(
        (status = 200, description = "The archive", content_type = "application/json", body = Object),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "Not ready, none asked for, or expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/data-export/archive")]
pub async fn data_export_download(st: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, ApiError> {
    let archive = st.privacy.archive(&who.0).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"my-pnyx-data.json\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(archive))
}

/// Delete my account
///
/// Needs the password. Erases the account's identity (e-mail, name, password, sessions, tokens,
/// memberships, follows, preferences, notifications); what it published stays, shown as "a
/// former resident", unless `remove_content`; its ballots stay counted and cannot be linked to
/// anyone. Cannot be undone, by anyone. The last admin of an organisation cannot delete their
/// account until someone else is admin there (`last-admin`). Only a session may (not an API token).
#[utoipa::path(
    tag = "accounts", operation_id = "account_delete", request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Wrong password (`wrong-password`), an API token or a read-only one (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The last admin of an organisation (`last-admin`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
        (status = 429, description = "Too many attempts (`rate-limited`); see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/delete")]
pub async fn account_delete(
    st: web::Data<AppState>,
    who: SignedInWith,
    body: ValidJson<DeleteAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    st.privacy.delete_account(&who.0, who.1, &body.0.password, body.0.remove_content).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Get an organisation's retention settings
///
/// Requires: the organisation's admin.
#[utoipa::path(
    tag = "organisations", operation_id = "retention_get",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The settings", body = RetentionDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/retention")]
pub async fn retention_get(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
) -> Result<web::Json<RetentionDto>, ApiError> {
    Ok(web::Json(st.privacy.retention(&who.0, org.0.id).await?.into()))
}

/// Set an organisation's retention settings
///
/// Requires: the organisation's admin. The background worker applies them.
#[utoipa::path(
    tag = "organisations", operation_id = "retention_update",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    request_body = RetentionDto,
    responses(
        (status = 200, description = "The settings in force", body = RetentionDto),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/retention")]
pub async fn retention_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<RetentionDto>,
) -> Result<web::Json<RetentionDto>, ApiError> {
    let b = body.0;
    let r = Retention {
        registration_months: b.registration_months,
        report_contact_months: b.report_contact_months,
        opinion_contact_months: b.opinion_contact_months,
    };
    Ok(web::Json(st.privacy.set_retention(&who.0, org.0.id, r).await?.into()))
}
