//! The documents handlers: each extracts, calls one service method and maps to DTOs.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, PageParams, ValidJson, etag};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

fn with_etag(slug: &str, v: &pnyx_domain::documents::DocumentView) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, etag(v.document.updated_at))).json(document_dto(slug, v))
}

/// List the library's documents
///
/// Public: newest publication first, filtered by `?category=`, `?year=` (of publication) and
/// `?q=` (words in the title or description, in any language, accents and case ignored). Staff
/// also see documents whose publication date is still ahead (`scheduled`).
#[utoipa::path(
    tag = "documents", operation_id = "document_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), DocumentFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of documents", body = DocumentList),
        (status = 400, description = "Unknown filter value", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, description = "A filter out of range, or bad paging", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/documents")]
pub async fn document_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    f: web::Query<DocumentFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<DocumentList>, ApiError> {
    let page = st.documents.list(&who.0, &org.0, &f.query(), q.page()?).await?;
    let slug = org.0.slug.as_str();
    Ok(web::Json(DocumentList::from_page(page, |v| document_dto(slug, &v))))
}

/// Add a document to the library
///
/// Requires: admin or official. Upload its file after, to `…/documents/{id}/files`. Written to
/// the audit log.
#[utoipa::path(
    tag = "documents", operation_id = "document_create", request_body = CreateDocumentRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = DocumentResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/documents")]
pub async fn document_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let v = st.documents.create(&who.0, &org.0, body.0.into()).await?;
    let slug = org.0.slug.as_str();
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("{}/orgs/{slug}/documents/{}", crate::API_PREFIX, v.document.id)))
        .insert_header((header::ETAG, etag(v.document.updated_at)))
        .json(document_dto(slug, &v)))
}

/// Get a document
///
/// Public from its publication date (staff before), with its files and links; `ETag` for
/// `If-Match`.
#[utoipa::path(
    tag = "documents", operation_id = "document_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document")),
    responses(
        (status = 200, description = "The document", body = DocumentResponse),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/documents/{id}")]
pub async fn document_get(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.documents.get(&who.0, &org.0, id.into()).await?;
    Ok(with_etag(org.0.slug.as_str(), &v))
}

/// Update a document
///
/// Requires: admin or official. `If-Match` with the `ETag` refuses a lost update (412).
#[utoipa::path(
    tag = "documents", operation_id = "document_update", request_body = UpdateDocumentRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "Updated", body = DocumentResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/documents/{id}")]
pub async fn document_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let v = st.documents.update(&who.0, &org.0, id.into(), if_match.expected()?, body.0.into()).await?;
    Ok(with_etag(org.0.slug.as_str(), &v))
}

/// Delete a document
///
/// Requires: admin or official. Its files and links go with it. Written to the audit log.
#[utoipa::path(
    tag = "documents", operation_id = "document_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/documents/{id}")]
pub async fn document_delete(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    st.documents.delete(&who.0, &org.0, id.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Link a document to a resource
///
/// Requires: admin or official. An action plan, meeting, consultation or budget of the
/// organisation then lists the document. Linking twice changes nothing.
#[utoipa::path(
    tag = "documents", operation_id = "document_link",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document"),
        ("resource_type" = DocumentLinkTypeDto, Path, description = "The kind of resource"), ("resource_id" = Uuid, Path, description = "The resource")),
    responses(
        (status = 204, description = "Linked"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such document or resource", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/documents/{id}/links/{resource_type}/{resource_id}")]
pub async fn document_link(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, DocumentLinkTypeDto, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id, kind, rid) = path.into_inner();
    st.documents.link(&who.0, &org.0, id.into(), kind.target(rid)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Unlink a document from a resource
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "documents", operation_id = "document_unlink",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The document"),
        ("resource_type" = DocumentLinkTypeDto, Path, description = "The kind of resource"), ("resource_id" = Uuid, Path, description = "The resource")),
    responses(
        (status = 204, description = "Unlinked"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such document or link", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/documents/{id}/links/{resource_type}/{resource_id}")]
pub async fn document_unlink(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, DocumentLinkTypeDto, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id, kind, rid) = path.into_inner();
    st.documents.unlink(&who.0, &org.0, id.into(), kind.target(rid)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List the documents linked to a resource
///
/// As visible as the resource (a draft action plan's: staff only); published documents, and to
/// staff also scheduled ones. Newest publication first.
#[utoipa::path(
    tag = "documents", operation_id = "linked_document_list",
    params(("org" = String, Path, description = "The organisation's slug or id"),
        ("resource_type" = DocumentLinkTypeDto, Path, description = "The kind of resource"), ("resource_id" = Uuid, Path, description = "The resource")),
    responses(
        (status = 200, description = "The documents", body = LinkedDocumentList),
        (status = 404, description = "No such resource", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/linked-documents/{resource_type}/{resource_id}")]
pub async fn linked_document_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, DocumentLinkTypeDto, Uuid)>,
) -> Result<web::Json<LinkedDocumentList>, ApiError> {
    let (_, kind, rid) = path.into_inner();
    let items = st.documents.linked(&who.0, &org.0, kind.target(rid)).await?;
    let slug = org.0.slug.as_str();
    Ok(web::Json(LinkedDocumentList { items: items.iter().map(|v| document_dto(slug, v)).collect() }))
}
