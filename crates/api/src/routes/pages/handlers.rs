//! The content page handlers: each extracts, calls one service method and maps to DTOs.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, OrgRef, ValidJson, etag};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

fn with_etag(v: &pnyx_domain::pages::PageView) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ETAG, etag(v.page.updated_at))).json(page_dto(v))
}

/// List the content pages
///
/// Public: the organisation's menu of pages, by position.
#[utoipa::path(
    tag = "pages", operation_id = "page_menu",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The menu", body = PageMenu),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/pages")]
pub async fn page_menu(org: OrgRef, st: web::Data<AppState>) -> Result<web::Json<PageMenu>, ApiError> {
    let pages = st.pages.menu(&org.0).await?;
    Ok(web::Json(PageMenu { items: pages.iter().map(summary_dto).collect() }))
}

/// Write a content page
///
/// Requires: admin or official. Markdown in the organisation's languages; the first revision of
/// its history. Written to the audit log.
#[utoipa::path(
    tag = "pages", operation_id = "page_create", request_body = CreatePageRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Created", body = PageResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/pages")]
pub async fn page_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreatePageRequest>,
) -> Result<HttpResponse, ApiError> {
    let v = st.pages.create(&who.0, &org.0, body.0.into()).await?;
    let slug = org.0.slug.as_str();
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("{}/orgs/{slug}/pages/{}", crate::API_PREFIX, v.page.slug)))
        .insert_header((header::ETAG, etag(v.page.updated_at)))
        .json(page_dto(&v)))
}

/// Get a content page
///
/// Public: the Markdown and its sanitised HTML in each language; `ETag` for `If-Match`.
#[utoipa::path(
    tag = "pages", operation_id = "page_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("slug" = String, Path, description = "The page's address")),
    responses(
        (status = 200, description = "The page", body = PageResponse),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/pages/{slug}")]
pub async fn page_get(
    org: OrgRef,
    st: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, slug) = path.into_inner();
    let v = st.pages.get(&org.0, &slug).await?;
    Ok(with_etag(&v))
}

/// Edit a content page
///
/// Requires: admin or official. Each save appends a revision to the page's history.
/// `If-Match` with the `ETag` refuses a lost update (412). Written to the audit log.
#[utoipa::path(
    tag = "pages", operation_id = "page_update", request_body = UpdatePageRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("slug" = String, Path, description = "The page's address"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, description = "Saved", body = PageResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/pages/{slug}")]
pub async fn page_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: ValidJson<UpdatePageRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, slug) = path.into_inner();
    let v = st.pages.update(&who.0, &org.0, &slug, if_match.expected()?, body.0.into()).await?;
    Ok(with_etag(&v))
}

/// Delete a content page
///
/// Requires: admin or official. Its history goes with it. Written to the audit log.
#[utoipa::path(
    tag = "pages", operation_id = "page_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("slug" = String, Path, description = "The page's address")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/pages/{slug}")]
pub async fn page_delete(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, slug) = path.into_inner();
    st.pages.delete(&who.0, &org.0, &slug).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List a page's revisions
///
/// Requires: admin or official. Every saved version, newest first, with who saved it by role
/// and when.
#[utoipa::path(
    tag = "pages", operation_id = "page_revisions",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("slug" = String, Path, description = "The page's address")),
    responses(
        (status = 200, description = "The revisions", body = PageRevisionList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such page", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/pages/{slug}/revisions")]
pub async fn page_revisions(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, String)>,
) -> Result<web::Json<PageRevisionList>, ApiError> {
    let (_, slug) = path.into_inner();
    let items = st.pages.revisions(&who.0, &org.0, &slug).await?;
    Ok(web::Json(PageRevisionList { items: items.iter().map(revision_dto).collect() }))
}
