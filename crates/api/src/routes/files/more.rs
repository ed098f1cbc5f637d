//! Files of the library's documents, of consultations (their drafts) and of commitments (their
//! documents, progress photos and evidence): staff attach, and they are as visible as the
//! resource. Uploads work as for meetings.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, web};
use pnyx_domain::files::Owner;
use uuid::Uuid;

use super::handlers::{list, upload};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

/// List a document's files
///
/// As visible as the document (from its publication date; staff before).
#[utoipa::path(
    tag = "files", operation_id = "document_file_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document")),
    responses(
        (status = 200, description = "The files", body = FileList),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/documents/{id}/files")]
pub async fn document_file_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<FileList>, ApiError> {
    list(&org, &st, &who, Owner::Document(path.into_inner().1.into())).await
}

/// Attach a file to a document
///
/// Requires: admin or official. As for meetings: `multipart/form-data` with the file in the part
/// `file`, types decided from the content (415), a limit per kind (413), images resized without
/// metadata, at most 20 files.
#[utoipa::path(
    tag = "files", operation_id = "document_file_upload",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document")),
    responses(
        (status = 201, description = "Stored", body = FileResponse),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a type that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/documents/{id}/files")]
pub async fn document_file_upload(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    upload(&org, &st, &who, Owner::Document(path.into_inner().1.into()), mp).await
}

/// List a consultation's files
///
/// Public, as the consultation: the drafts it asks about and their annexes.
#[utoipa::path(
    tag = "files", operation_id = "consultation_file_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The consultation")),
    responses(
        (status = 200, description = "The files", body = FileList),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/consultations/{id}/files")]
pub async fn consultation_file_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<FileList>, ApiError> {
    list(&org, &st, &who, Owner::Consultation(path.into_inner().1.into())).await
}

/// Attach a draft to a consultation
///
/// Requires: admin or official. As for meetings: `multipart/form-data`, part `file`, types
/// decided from the content (415), a limit per kind (413), at most 20 files.
#[utoipa::path(
    tag = "files", operation_id = "consultation_file_upload",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The consultation")),
    responses(
        (status = 201, description = "Stored", body = FileResponse),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such consultation", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a type that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/consultations/{id}/files")]
pub async fn consultation_file_upload(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    upload(&org, &st, &who, Owner::Consultation(path.into_inner().1.into()), mp).await
}

/// List a commitment's files
///
/// As visible as the commitment (a draft plan's: staff only): its documents, progress photos and
/// evidence.
#[utoipa::path(
    tag = "files", operation_id = "commitment_file_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 200, description = "The files", body = FileList),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/commitments/{id}/files")]
pub async fn commitment_file_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<FileList>, ApiError> {
    list(&org, &st, &who, Owner::Commitment(path.into_inner().1.into())).await
}

/// Attach a file to a commitment
///
/// Requires: admin or official: a document, or a photo or evidence of progress. As for meetings:
/// `multipart/form-data`, part `file`, types decided from the content (415), a limit per kind
/// (413), images resized without metadata, at most 20 files.
#[utoipa::path(
    tag = "files", operation_id = "commitment_file_upload",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The commitment")),
    responses(
        (status = 201, description = "Stored", body = FileResponse),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a type that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/commitments/{id}/files")]
pub async fn commitment_file_upload(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    upload(&org, &st, &who, Owner::Commitment(path.into_inner().1.into()), mp).await
}
