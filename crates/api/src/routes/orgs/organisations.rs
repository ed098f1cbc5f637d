//! Organisations: list, create, read, edit.

use crate::error::{ApiError, Problem};
use crate::extract::{IfMatch, PageParams, SignedIn, ValidJson, etag};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use pnyx_domain::org::{OrganisationSettings, Slug};

#[allow(unused_imports)]
use super::*;

/// List organisations
///
/// Every municipality on this deployment; public.
#[utoipa::path(
    tag = "organisations", operation_id = "org_list", params(PageParams),
    responses(
        (status = 200, description = "A page of organisations", body = OrgList),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(())
)]
#[get("/orgs")]
pub async fn org_list(st: web::Data<AppState>, q: web::Query<PageParams>) -> Result<web::Json<OrgList>, ApiError> {
    let page = st.orgs.list(q.page()?).await?;
    Ok(web::Json(OrgList::from_page(page, |o| org_dto(&o))))
}

/// Create an organisation
///
/// Requires: platform admin.
#[utoipa::path(
    tag = "organisations", operation_id = "org_create", request_body = CreateOrgRequest,
    responses(
        (status = 201, description = "Created", body = OrgResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not a platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs")]
pub async fn org_create(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<CreateOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let caller = who.caller();
    let b = body.0;
    let slug = b.slug.parse::<Slug>().map_err(|e| ApiError::field("slug", e.to_string()))?;
    let settings = OrganisationSettings {
        name: b.name.into(),
        description: b.description.into(),
        default_locale: b.default_locale.into(),
        locales: locales(&b.locales),
        time_zone: parse_tz(&b.time_zone)?,
        currency: parse_currency(&b.currency)?,
        area: b.area.map(Into::into),
        accent_color: b.accent_color.as_deref().map(parse_accent).transpose()?,
    };
    let org = st.orgs.create(&caller, slug, settings).await?;
    Ok(HttpResponse::Created().insert_header((header::ETAG, etag(org.updated_at))).json(org_dto(&org)))
}

/// Get an organisation
///
/// Public. Returns an `ETag` to send back as `If-Match` when editing.
#[utoipa::path(
    tag = "organisations", operation_id = "org_get",
    params(("org" = String, Path, description = "The organisation's slug or id", example = "banska-bystrica")),
    responses(
        (status = 200, description = "The organisation", body = OrgResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}")]
pub async fn org_get(st: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let org = st.orgs.get(&path).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(org.updated_at))).json(org_dto(&org)))
}

/// Update an organisation
///
/// Requires: platform admin or the organisation's admin. Honours `If-Match`.
#[utoipa::path(
    tag = "organisations", operation_id = "org_update", request_body = UpdateOrgRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; the update fails with 412 if it changed since"),
    ),
    responses(
        (status = 200, description = "Updated", body = OrgResponse, headers(("ETag" = String, description = "The new version"))),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 412, response = crate::error::problems::Stale),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}")]
pub async fn org_update(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<UpdateOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let tz = b.time_zone.as_deref().map(parse_tz).transpose()?;
    let currency = b.currency.as_deref().map(parse_currency).transpose()?;
    let accent = b.accent_color.map(|c| c.as_deref().map(parse_accent).transpose()).transpose()?;
    let org = st
        .orgs
        .update(&who.caller(), &path, if_match.expected()?, |s| {
            if let Some(n) = b.name {
                s.name = n.into();
            }
            if let Some(d) = b.description {
                s.description = d.into();
            }
            if let Some(l) = b.default_locale {
                s.default_locale = l.into();
            }
            if let Some(ls) = &b.locales {
                s.locales = locales(ls);
            }
            if let Some(tz) = tz {
                s.time_zone = tz;
            }
            if let Some(c) = currency {
                s.currency = c;
            }
            if let Some(a) = b.area {
                s.area = a.map(Into::into);
            }
            if let Some(c) = accent {
                s.accent_color = c;
            }
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(org.updated_at))).json(org_dto(&org)))
}
