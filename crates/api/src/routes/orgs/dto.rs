//! Request and response bodies of organisations, members and the staff-change log.

use crate::dto::{LocaleDto, LocalizedTextDto, RoleDto};
use crate::error::ApiError;
use crate::list_response;
use chrono::{DateTime, Utc};
use pnyx_domain::i18n::Locale;
use pnyx_domain::org::{ActorRole, Area, Member, Organisation, PublicAuditEntry, TimeZone};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[allow(unused_imports)]
use super::*;

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
    /// The area residents' reports must lie in; `null`: anywhere.
    pub area: Option<AreaDto>,
    /// The colour the web app paints the organisation's pages in (`#rrggbb`); `null`: its own.
    #[schema(example = "#1d4e89")]
    pub accent_color: Option<String>,
    /// The organisation's logo, an image (`?width=320` for a small variant); `null`: none.
    /// Set with `PUT /orgs/{org}/logo`.
    pub logo: Option<LogoDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An organisation's logo.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogoDto {
    /// The image file.
    pub file_id: Uuid,
    /// Where to download it: its largest variant; `?width=` picks a smaller one.
    #[schema(example = "/api/v1/orgs/vlasotince/files/0190b5a0-0000-7000-8000-000000000000/content")]
    pub url: String,
}

/// A bounding box in degrees (WGS 84).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"south": 42.93, "west": 21.95, "north": 43.12, "east": 22.30}))]
pub struct AreaDto {
    #[schema(minimum = -90, maximum = 90)]
    pub south: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub west: f64,
    #[schema(minimum = -90, maximum = 90)]
    pub north: f64,
    #[schema(minimum = -180, maximum = 180)]
    pub east: f64,
}

impl From<AreaDto> for Area {
    fn from(a: AreaDto) -> Self {
        Area { south: a.south, west: a.west, north: a.north, east: a.east }
    }
}

impl From<Area> for AreaDto {
    fn from(a: Area) -> Self {
        AreaDto { south: a.south, west: a.west, north: a.north, east: a.east }
    }
}

pub(crate) fn org_dto(o: &Organisation) -> OrgResponse {
    OrgResponse {
        id: o.id.into(),
        slug: o.slug.to_string(),
        name: (&o.name).into(),
        description: (&o.description).into(),
        default_locale: o.default_locale.into(),
        locales: o.locales.iter().copied().map(LocaleDto::from).collect(),
        time_zone: o.time_zone.name().to_owned(),
        currency: o.currency.to_string(),
        area: o.area.map(AreaDto::from),
        accent_color: o.accent_color.map(|c| c.to_string()),
        logo: o.logo_file_id.map(|id| LogoDto {
            file_id: id.into(),
            url: format!("{}/orgs/{}/files/{id}/content", crate::API_PREFIX, o.slug),
        }),
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
    #[schema(min_items = 1, max_items = 4)]
    pub locales: Vec<LocaleDto>,
    /// An IANA time zone.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, example = "Europe/Warsaw")]
    pub time_zone: String,
    /// ISO 4217.
    #[validate(length(equal = 3))]
    #[schema(min_length = 3, max_length = 3, example = "PLN")]
    pub currency: String,
    /// The area residents' reports must lie in; absent: anywhere.
    #[serde(default)]
    pub area: Option<AreaDto>,
    /// The accent colour, `#rrggbb`: white text on it and it on the page background (`#f3f5f9`)
    /// must both reach a contrast ratio of 4.5:1 (WCAG 2.x AA), else 422 naming the ratios.
    #[serde(default)]
    #[schema(pattern = "^#[0-9a-fA-F]{6}$", example = "#1d4e89")]
    pub accent_color: Option<String>,
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
    #[schema(min_items = 1, max_items = 4)]
    pub locales: Option<Vec<LocaleDto>>,
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub time_zone: Option<String>,
    #[validate(length(equal = 3))]
    #[schema(min_length = 3, max_length = 3)]
    pub currency: Option<String>,
    /// A new area; `null` removes it (reports may then lie anywhere).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<AreaDto>)]
    pub area: Option<Option<AreaDto>>,
    /// A new accent colour, `#rrggbb`: white text on it and it on the page background (`#f3f5f9`)
    /// must both reach a contrast ratio of 4.5:1 (WCAG 2.x AA), else 422 naming the ratios.
    /// `null` goes back to the web app's own colour.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, pattern = "^#[0-9a-fA-F]{6}$", example = "#1d4e89")]
    pub accent_color: Option<Option<String>>,
}

fn double_option<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
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

pub(crate) fn member_dto(m: Member) -> MemberResponse {
    MemberResponse {
        user_id: m.user_id.into(),
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
    #[schema(max_items = 3)]
    pub roles: Vec<RoleDto>,
    #[serde(default)]
    pub verified: bool,
}

/// A line of the public log of staff changes. The actor is named by role, never by person.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    /// The role the actor holds in the organisation now (`former_staff` when none; null: the
    /// system itself).
    #[schema(example = "official")]
    pub actor_role: Option<ActorRoleDto>,
    /// `module.thing_verb`, e.g. `commitment.updated`, `meeting.cancelled`.
    #[schema(example = "commitment.updated")]
    pub action: String,
    #[schema(example = "commitment")]
    pub resource_type: String,
    /// The resource's id; empty for a person's membership (`resource_type` `user`): people are
    /// not named, not even by id.
    #[schema(example = "0192f3a4-5b6c-7d8e-9f00-112233445566")]
    pub resource_id: String,
    /// The public fields that changed, each `from` → `to` (a creation has only `to`, a deletion
    /// only `from`). A localized text is an object of texts by locale. Never names a resident.
    #[schema(value_type = Object, example = json!({
        "title": {"from": {"en": "Open data portal"}, "to": {"en": "Open data portal 2.0"}},
        "budget": {"from": 100000, "to": 150000}
    }))]
    pub changes: serde_json::Map<String, serde_json::Value>,
    /// More about the change where it says something the fields do not (e.g. the commitment a
    /// milestone belongs to, how many rows an import wrote).
    #[schema(value_type = Object, example = json!({"commitment_id": "0192f3a4-5b6c-7d8e-9f00-112233445566"}))]
    pub context: serde_json::Map<String, serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

/// `?lang=` of the audit log's feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFeedParams {
    /// The language of localized texts (default: the `Accept-Language` header, else the
    /// organisation's).
    pub lang: Option<LocaleDto>,
}

/// `?resource_type=` of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilterParams {
    /// Only the entries about this kind of resource, e.g. `commitment`, `meeting`, `budget`.
    #[param(pattern = "^[a-z_]{1,64}$", example = "commitment")]
    pub resource_type: Option<String>,
}

impl AuditFilterParams {
    /// # Errors
    /// 422 for a value that is not a resource type's shape.
    pub fn resource_type(&self) -> Result<Option<&str>, ApiError> {
        match self.resource_type.as_deref() {
            None => Ok(None),
            Some(t) if (1..=64).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                Ok(Some(t))
            }
            Some(_) => Err(ApiError::field("resource_type", "must be 1–64 lower-case letters or underscores")),
        }
    }
}

/// Who made a change, by role.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorRoleDto {
    Admin,
    Official,
    Moderator,
    PlatformAdmin,
    FormerStaff,
}

impl From<ActorRole> for ActorRoleDto {
    fn from(r: ActorRole) -> Self {
        match r {
            ActorRole::Admin => ActorRoleDto::Admin,
            ActorRole::Official => ActorRoleDto::Official,
            ActorRole::Moderator => ActorRoleDto::Moderator,
            ActorRole::PlatformAdmin => ActorRoleDto::PlatformAdmin,
            ActorRole::FormerStaff => ActorRoleDto::FormerStaff,
        }
    }
}

pub(crate) fn audit_dto(p: PublicAuditEntry) -> AuditEntryResponse {
    let e = p.entry;
    let mut context = match e.details {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let changes = match context.remove("changes") {
        Some(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    AuditEntryResponse {
        id: e.id,
        actor_role: p.actor_role.map(Into::into),
        action: e.action,
        resource_type: e.resource_type,
        resource_id: e.resource_id,
        changes,
        context,
        created_at: e.created_at,
    }
}

list_response!(OrgList, OrgResponse, "A page of organisations.");

list_response!(MemberList, MemberResponse, "A page of members.");

list_response!(AuditEntryList, AuditEntryResponse, "A page of the staff-change log.");

pub(crate) fn parse_tz(s: &str) -> Result<TimeZone, ApiError> {
    s.parse::<TimeZone>().map_err(|e| ApiError::field("time_zone", e.to_string()))
}

pub(crate) fn parse_accent(s: &str) -> Result<pnyx_domain::branding::AccentColour, ApiError> {
    s.parse().map_err(|e: pnyx_domain::branding::AccentError| ApiError::field("accent_color", e.to_string()))
}

pub(crate) fn parse_currency(s: &str) -> Result<pnyx_domain::money::Currency, ApiError> {
    s.parse().map_err(|e: pnyx_domain::money::InvalidCurrency| ApiError::field("currency", e.to_string()))
}

pub(crate) fn locales(list: &[LocaleDto]) -> Vec<Locale> {
    let mut v: Vec<Locale> = list.iter().copied().map(Locale::from).collect();
    v.sort();
    v.dedup();
    v
}
