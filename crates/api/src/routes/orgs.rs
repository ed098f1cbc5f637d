//! Organisations (municipalities), their members and roles, and their public log of staff changes.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use pnyx_domain::accounts::Email;
use pnyx_domain::auth::{Action, Caller, Membership};
use pnyx_domain::i18n::Locale;
use pnyx_domain::org::{AuditEntry, Member, OrgService, Organisation, OrganisationSettings, Slug, TimeZone};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocaleDto, LocalizedTextDto, RoleDto};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, PageParams, SignedIn, ValidJson, etag};
use crate::list_response;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(org_list)
        .service(org_create)
        .service(org_get)
        .service(org_update)
        .service(member_list)
        .service(member_put)
        .service(member_delete)
        .service(audit_list)
        .service(user_lookup);
}

/// An organisation (municipality).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgResponse {
    pub id: Uuid,
    #[schema(example = "banska-bystrica")]
    pub slug: String,
    pub name: LocalizedTextDto,
    pub description: LocalizedTextDto,
    pub default_locale: LocaleDto,
    pub locales: Vec<LocaleDto>,
    #[schema(example = "Europe/Bratislava")]
    pub time_zone: String,
    #[schema(example = "EUR")]
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn org_dto(o: &Organisation) -> OrgResponse {
    OrgResponse {
        id: o.id,
        slug: o.slug.to_string(),
        name: (&o.name).into(),
        description: (&o.description).into(),
        default_locale: o.default_locale.into(),
        locales: o.locales.iter().copied().map(LocaleDto::from).collect(),
        time_zone: o.time_zone.name().to_owned(),
        currency: o.currency.to_string(),
        created_at: o.created_at,
        updated_at: o.updated_at,
    }
}

/// A new organisation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "lapovo", "name": {"sr-Latn": "Opština Lapovo", "en": "Municipality of Lapovo"},
    "description": {"sr-Latn": "Lokalni akcioni plan OGP", "en": "Local OGP action plan"},
    "default_locale": "sr-Latn", "locales": ["sr-Latn", "en"], "time_zone": "Europe/Belgrade", "currency": "RSD"
}))]
pub struct CreateOrgRequest {
    /// Lower-case letters, digits and single hyphens; 2–63 characters.
    #[validate(length(min = 2, max = 63))]
    #[schema(min_length = 2, max_length = 63, pattern = "^[a-z](?:-?[a-z0-9])+$")]
    pub slug: String,
    /// Up to 200 characters per locale; must include the default locale.
    pub name: LocalizedTextDto,
    /// Up to 5000 characters per locale.
    #[serde(default)]
    pub description: LocalizedTextDto,
    pub default_locale: LocaleDto,
    /// Enabled locales; must include the default.
    #[validate(length(min = 1, max = 4))]
    pub locales: Vec<LocaleDto>,
    /// An IANA time zone.
    #[validate(length(min = 1, max = 64))]
    #[schema(max_length = 64, example = "Europe/Warsaw")]
    pub time_zone: String,
    /// ISO 4217.
    #[validate(length(equal = 3))]
    #[schema(min_length = 3, max_length = 3, example = "PLN")]
    pub currency: String,
}

/// Changes to an organisation; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": {"sk": "Mesto pod Urpínom", "en": "The town below Urpín hill"}}))]
pub struct UpdateOrgRequest {
    pub name: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    pub default_locale: Option<LocaleDto>,
    #[validate(length(min = 1, max = 4))]
    pub locales: Option<Vec<LocaleDto>>,
    #[validate(length(min = 1, max = 64))]
    #[schema(max_length = 64)]
    pub time_zone: Option<String>,
    #[validate(length(equal = 3))]
    #[schema(min_length = 3, max_length = 3)]
    pub currency: Option<String>,
}

/// A member of an organisation, as its admins see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberResponse {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<RoleDto>,
    /// Residency verified by the organisation.
    pub verified: bool,
}

fn member_dto(m: Member) -> MemberResponse {
    MemberResponse {
        user_id: m.user_id,
        display_name: m.display_name,
        email: m.email,
        roles: m.membership.roles.into_iter().map(RoleDto::from).collect(),
        verified: m.membership.verified,
    }
}

/// The roles and verification a user should hold in the organisation (replaces what they held).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"roles": ["official"], "verified": true}))]
pub struct PutMemberRequest {
    #[validate(length(max = 3))]
    pub roles: Vec<RoleDto>,
    #[serde(default)]
    pub verified: bool,
}

/// A line of the public log of staff changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    #[schema(example = "member.updated")]
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub created_at: DateTime<Utc>,
}

fn audit_dto(e: AuditEntry) -> AuditEntryResponse {
    AuditEntryResponse {
        id: e.id,
        actor_id: e.actor_id,
        action: e.action,
        resource_type: e.resource_type,
        resource_id: e.resource_id,
        created_at: e.created_at,
    }
}

/// `?email=` of the user lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserLookupParams {
    /// The exact e-mail address (case-insensitive).
    pub email: String,
}

/// A user found by e-mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
}

/// Users found.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserLookupResponse {
    pub items: Vec<UserSummary>,
}

list_response!(OrgList, OrgResponse, "A page of organisations.");
list_response!(MemberList, MemberResponse, "A page of members.");
list_response!(AuditEntryList, AuditEntryResponse, "A page of the staff-change log.");

fn parse_tz(s: &str) -> Result<TimeZone, ApiError> {
    s.parse::<TimeZone>().map_err(|e| ApiError::field("time_zone", e.to_string()))
}

fn parse_currency(s: &str) -> Result<pnyx_domain::money::Currency, ApiError> {
    s.parse().map_err(|e: pnyx_domain::money::InvalidCurrency| ApiError::field("currency", e.to_string()))
}

fn locales(list: &[LocaleDto]) -> Vec<Locale> {
    let mut v: Vec<Locale> = list.iter().copied().map(Locale::from).collect();
    v.sort();
    v.dedup();
    v
}

/// The organisation addressed by the path's slug, or 404.
///
/// # Errors
/// 404 for an unknown slug.
pub async fn org_of(st: &AppState, slug: &str) -> Result<Organisation, ApiError> {
    Ok(service(st).get(slug).await?)
}

fn service(st: &AppState) -> OrgService<'_> {
    OrgService { repo: st.store.as_ref() }
}

/// List organisations
///
/// Every municipality on this deployment; public.
#[utoipa::path(
    tag = "organisations", operation_id = "org_list", params(PageParams),
    responses(
        (status = 200, description = "A page of organisations", body = OrgList),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs")]
pub async fn org_list(st: web::Data<AppState>, q: web::Query<PageParams>) -> Result<web::Json<OrgList>, ApiError> {
    let page = st.store.list_orgs(q.page()?).await?;
    Ok(web::Json(OrgList::from_page(page, |o| org_dto(&o))))
}

/// Create an organisation
///
/// Requires: platform admin.
#[utoipa::path(
    tag = "organisations", operation_id = "org_create", request_body = CreateOrgRequest,
    responses(
        (status = 201, description = "Created", body = OrgResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a platform admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
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
    caller.authorize(Uuid::nil(), Action::CreateOrganisation)?;
    let b = body.0;
    let slug = b.slug.parse::<Slug>().map_err(|e| ApiError::field("slug", e.to_string()))?;
    let settings = OrganisationSettings {
        name: b.name.into(),
        description: b.description.into(),
        default_locale: b.default_locale.into(),
        locales: locales(&b.locales),
        time_zone: parse_tz(&b.time_zone)?,
        currency: parse_currency(&b.currency)?,
    };
    let org = service(&st).create(&caller, slug, settings, pnyx_domain::now()).await.map_err(|e| match e {
        pnyx_domain::org::OrgError::Repo(pnyx_domain::repo::RepoError::Conflict { .. }) => {
            ApiError::conflict("slug-taken", "An organisation with this slug already exists.")
        }
        other => other.into(),
    })?;
    Ok(HttpResponse::Created().insert_header((header::ETAG, etag(org.updated_at))).json(org_dto(&org)))
}

/// Get an organisation
///
/// Public. Returns an `ETag` to send back as `If-Match` when editing.
#[utoipa::path(
    tag = "organisations", operation_id = "org_get",
    params(("org" = String, Path, description = "The organisation's slug", example = "banska-bystrica")),
    responses(
        (status = 200, description = "The organisation", body = OrgResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}")]
pub async fn org_get(st: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let org = service(&st).get(&path).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(org.updated_at))).json(org_dto(&org)))
}

/// Update an organisation
///
/// Requires: platform admin or the organisation's admin. Honours `If-Match`.
#[utoipa::path(
    tag = "organisations", operation_id = "org_update", request_body = UpdateOrgRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; the update fails with 412 if it changed since"),
    ),
    responses(
        (status = 200, description = "Updated", body = OrgResponse, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
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
    let org = service(&st)
        .update(
            &who.caller(),
            &path,
            if_match.expected()?,
            |s| {
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
            },
            pnyx_domain::now(),
        )
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(org.updated_at))).json(org_dto(&org)))
}

/// List members
///
/// Users holding a role or verified residency in the organisation. Requires: the organisation's admin.
#[utoipa::path(
    tag = "members", operation_id = "member_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
    responses(
        (status = 200, description = "A page of members", body = MemberList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/members")]
pub async fn member_list(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    q: web::Query<PageParams>,
) -> Result<web::Json<MemberList>, ApiError> {
    let page = service(&st).members(&who.caller(), &path, q.page()?).await?;
    Ok(web::Json(MemberList::from_page(page, member_dto)))
}

/// Grant roles to a user
///
/// Sets exactly these roles and the verified flag (an empty role list keeps a verified resident).
/// Requires: the organisation's admin. The last admin cannot be demoted.
#[utoipa::path(
    tag = "members", operation_id = "member_put", request_body = PutMemberRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("user_id" = Uuid, Path, description = "The user"),
    ),
    responses(
        (status = 200, description = "The membership now", body = MemberResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would leave no admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/members/{user_id}")]
pub async fn member_put(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<PutMemberRequest>,
) -> Result<web::Json<MemberResponse>, ApiError> {
    let (slug, user_id) = path.into_inner();
    let membership =
        Membership { roles: body.0.roles.iter().copied().map(Into::into).collect(), verified: body.0.verified };
    let user_exists = st.store.user_by_id(user_id).await?.is_some();
    let m = service(&st).put_member(&who.caller(), &slug, user_id, membership, user_exists, pnyx_domain::now()).await?;
    Ok(web::Json(member_dto(m)))
}

/// Remove a member
///
/// Takes away every role and the verified flag. Requires: the organisation's admin.
#[utoipa::path(
    tag = "members", operation_id = "member_delete",
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("user_id" = Uuid, Path, description = "The user"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would leave no admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/members/{user_id}")]
pub async fn member_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, user_id) = path.into_inner();
    service(&st).remove_member(&who.caller(), &slug, user_id, pnyx_domain::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List staff changes
///
/// The organisation's public log of what its staff changed, newest first.
#[utoipa::path(
    tag = "organisations", operation_id = "audit_entry_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
    responses(
        (status = 200, description = "A page of log entries", body = AuditEntryList),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/audit-log")]
pub async fn audit_list(
    st: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<PageParams>,
) -> Result<web::Json<AuditEntryList>, ApiError> {
    let org = service(&st).get(&path).await?;
    let page = st.store.audit_log(org.id, q.page()?).await?;
    Ok(web::Json(AuditEntryList::from_page(page, audit_dto)))
}

/// Find a user by e-mail
///
/// So that an admin can grant a role to someone. Requires: platform admin or an admin of any organisation.
#[utoipa::path(
    tag = "members", operation_id = "user_lookup", params(UserLookupParams),
    responses(
        (status = 200, description = "The matching user, if any", body = UserLookupResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/users")]
pub async fn user_lookup(
    st: web::Data<AppState>,
    who: Auth,
    q: web::Query<UserLookupParams>,
) -> Result<web::Json<UserLookupResponse>, ApiError> {
    let Caller::User(p) = &who.0 else {
        return Err(ApiError::unauthorized("Sign in to do this."));
    };
    let is_admin =
        p.platform_admin || p.memberships.keys().any(|org| who.0.authorize(*org, Action::ManageMembers).is_ok());
    if !is_admin {
        return Err(ApiError::forbidden());
    }
    let items = match Email::parse(&q.email) {
        Ok(email) => st
            .store
            .user_by_email(&email)
            .await?
            .into_iter()
            .map(|u| UserSummary { id: u.id, display_name: u.display_name, email: u.email })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(web::Json(UserLookupResponse { items }))
}
