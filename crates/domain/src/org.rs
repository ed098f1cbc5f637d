//! Organisations (municipalities): the slug that addresses them and the settings they carry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An organisation's address in URLs, e.g. `banska-bystrica`: 2–63 characters of lower-case ASCII
/// letters, digits and single hyphens, starting with a letter and not ending with a hyphen, and
/// not shaped like a UUID (a URL's `{org}` is the slug or the organisation's id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a valid slug: use 2–63 lower-case letters, digits and single hyphens, starting with a letter, not shaped like a UUID"
)]
pub struct InvalidSlug(pub String);

impl FromStr for Slug {
    type Err = InvalidSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (2..=63).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && uuid::Uuid::try_parse(s).is_err();
        if ok { Ok(Slug(s.to_owned())) } else { Err(InvalidSlug(s.to_owned())) }
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidSlug;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> Self {
        s.0
    }
}

impl Slug {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone name such as `Europe/Bratislava`, checked against the tz database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(chrono_tz::Tz);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IANA time zone such as Europe/Warsaw")]
pub struct InvalidTimeZone(pub String);

impl FromStr for TimeZone {
    type Err = InvalidTimeZone;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<chrono_tz::Tz>().map(TimeZone).map_err(|_| InvalidTimeZone(s.to_owned()))
    }
}

impl TimeZone {
    #[must_use]
    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_municipality_slugs_are_accepted() {
        for s in ["banska-bystrica", "bedzin", "sosnowiec", "vlasotince", "novi-pazar2"] {
            assert!(s.parse::<Slug>().is_ok(), "{s}");
        }
    }

    #[test]
    fn malformed_slugs_are_refused() {
        let uuid_shaped = ["abcdef01-2345-6789-abcd-ef0123456789", "abcdef0123456789abcdef0123456789"];
        for s in [
            "",
            "a",
            "Bedzin",
            "będzin",
            "-x",
            "x-",
            "a--b",
            "1abc",
            "a b",
            &"a".repeat(64),
            uuid_shaped[0],
            uuid_shaped[1],
        ] {
            assert!(s.parse::<Slug>().is_err(), "{s}");
        }
    }

    #[test]
    fn time_zones_come_from_the_tz_database() {
        assert_eq!("Europe/Bratislava".parse::<TimeZone>().map(TimeZone::name), Ok("Europe/Bratislava"));
        assert!("Europe/Atlantis".parse::<TimeZone>().is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// Organisations and their members: records, ports and the use cases with their authorization.

use std::sync::Arc;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::audit::Audit;
use crate::ids::{FileId, OrgId, UserId};

use crate::clock::Clock;
use crate::repo::Store;
use crate::version::Version;

use crate::auth::{Action, AuthzError, Caller, Membership, Role};
use crate::branding::{AccentColour, AccentError};
use crate::i18n::{Locale, LocalizedText, LocalizedTextError};
use crate::money::Currency;
use crate::repo::{Page, PageRequest, RepoError, RepoResult};

/// A municipality (or any organisation) on the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrgId,
    pub slug: Slug,
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub default_locale: Locale,
    /// Enabled locales; always includes the default.
    pub locales: Vec<Locale>,
    pub time_zone: TimeZone,
    pub currency: Currency,
    /// The area residents' reports must lie in; `None`: anywhere on Earth.
    pub area: Option<Area>,
    /// The colour the web app paints the organisation's pages in; `None`: its own.
    pub accent_color: Option<AccentColour>,
    /// The organisation's logo: an image file it owns; `None`: none.
    pub logo_file_id: Option<FileId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A bounding box in degrees (WGS 84): latitudes from `south` to `north`, longitudes from `west`
/// to `east` (a box across the antimeridian has `west > east`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

// Every stored and accepted area is checked finite (`Area::check`), so equality is total.
impl Eq for Area {}

impl Area {
    /// # Errors
    /// The field that is out of range or not finite, or `north` below `south`.
    pub fn check(&self) -> Result<(), InvalidField> {
        let bad =
            |field: &str, message: &str| Err(InvalidField { field: format!("area.{field}"), message: message.into() });
        for (f, v, max) in [
            ("south", self.south, 90.0),
            ("north", self.north, 90.0),
            ("west", self.west, 180.0),
            ("east", self.east, 180.0),
        ] {
            if !v.is_finite() || v.abs() > max {
                return bad(f, "is not a valid coordinate");
            }
        }
        if self.north < self.south {
            return bad("north", "must not be south of `south`");
        }
        Ok(())
    }

    /// Whether the point lies in the box (edges included).
    #[must_use]
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let lon_in = if self.west <= self.east {
            (self.west..=self.east).contains(&lon)
        } else {
            lon >= self.west || lon <= self.east
        };
        (self.south..=self.north).contains(&lat) && lon_in
    }
}

/// The settings an organisation is created or edited with (already parsed into domain types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationSettings {
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub default_locale: Locale,
    pub locales: Vec<Locale>,
    pub time_zone: TimeZone,
    pub currency: Currency,
    pub area: Option<Area>,
    /// Checked for contrast (see [`crate::branding`]).
    pub accent_color: Option<AccentColour>,
}

/// Why settings were refused; each names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("name: {0}")]
    Name(LocalizedTextError),
    #[error("description: {0}")]
    Description(LocalizedTextError),
    #[error("locales: the default locale must be among the enabled locales")]
    DefaultNotEnabled,
    #[error("{}: {}", .0.field, .0.message)]
    Area(InvalidField),
    #[error("accent_color: {0}")]
    AccentColor(AccentError),
}

impl OrganisationSettings {
    /// # Errors
    /// The first rule broken: texts must hold the default locale and only enabled ones.
    pub fn check(&self) -> Result<(), SettingsError> {
        if !self.locales.contains(&self.default_locale) {
            return Err(SettingsError::DefaultNotEnabled);
        }
        self.name.validate(self.default_locale, &self.locales, 200).map_err(SettingsError::Name)?;
        if !self.description.is_empty() {
            self.description.validate(self.default_locale, &self.locales, 5000).map_err(SettingsError::Description)?;
        }
        if let Some(a) = &self.area {
            a.check().map_err(SettingsError::Area)?;
        }
        if let Some(c) = self.accent_color {
            c.check().map_err(SettingsError::AccentColor)?;
        }
        Ok(())
    }
}

/// A member of an organisation as staff see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
    pub membership: Membership,
}

/// A line of the public log of what staff changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Uuid,
    pub org_id: Option<OrgId>,
    pub actor_id: Option<UserId>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Who made a change, as the public log names them: by role, never by person. The role is the
/// one the actor holds when the log is read; staff who left are "former staff".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorRole {
    Admin,
    Official,
    Moderator,
    PlatformAdmin,
    FormerStaff,
}

impl ActorRole {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ActorRole::Admin => "admin",
            ActorRole::Official => "official",
            ActorRole::Moderator => "moderator",
            ActorRole::PlatformAdmin => "platform_admin",
            ActorRole::FormerStaff => "former_staff",
        }
    }
}

/// A line of the public log as it is shown: the actor by role (`None`: the system itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicAuditEntry {
    pub entry: AuditEntry,
    pub actor_role: Option<ActorRole>,
}

/// Persistence of organisations, memberships and the audit log.
#[async_trait::async_trait]
pub trait OrgRepo: Send + Sync {
    async fn list_orgs(&self, page: PageRequest) -> RepoResult<Page<Organisation>>;
    /// The organisation a URL's `{org}` names: by its slug, or by its id when `slug` is a UUID
    /// (a slug never is one).
    async fn org_by_slug(&self, slug: &str) -> RepoResult<Option<Organisation>>;
    /// # Errors
    /// `RepoError::Conflict` on a taken slug.
    async fn create_org(&self, org: &Organisation) -> RepoResult<()>;
    /// Saves `org` only if its stored `updated_at` is still `expected_updated_at`
    /// (optimistic concurrency); `RepoError::Conflict` otherwise.
    async fn update_org(&self, org: &Organisation, expected_updated_at: DateTime<Utc>) -> RepoResult<()>;

    async fn members(&self, org_id: OrgId, page: PageRequest) -> RepoResult<Page<Member>>;
    async fn member(&self, org_id: OrgId, user_id: UserId) -> RepoResult<Option<Member>>;
    /// Creates or replaces the membership.
    async fn put_membership(&self, org_id: OrgId, user_id: UserId, m: &Membership, at: DateTime<Utc>)
    -> RepoResult<()>;
    /// `false` when there was none.
    async fn delete_membership(&self, org_id: OrgId, user_id: UserId) -> RepoResult<bool>;
    /// All memberships of a user, with the organisations' slugs.
    async fn memberships_of(&self, user_id: UserId) -> RepoResult<Vec<(OrgId, Slug, Membership)>>;
    async fn count_admins(&self, org_id: OrgId) -> RepoResult<u64>;

    async fn record_audit(&self, entry: &AuditEntry) -> RepoResult<()>;
    /// The organisation's entries, newest first; only those about `resource_type` when given.
    async fn audit_log(
        &self,
        org_id: OrgId,
        resource_type: Option<&str>,
        page: PageRequest,
    ) -> RepoResult<Page<AuditEntry>>;
    /// The highest role each of `users` holds in the organisation now (admin, official,
    /// moderator), or platform admin; users with neither are absent.
    async fn actor_roles(&self, org_id: OrgId, users: &[UserId]) -> RepoResult<HashMap<UserId, ActorRole>>;
}

/// Why an organisation use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such organisation")]
    NotFound,
    #[error("no such user")]
    UserNotFound,
    #[error(transparent)]
    Invalid(#[from] SettingsError),
    #[error("the organisation was changed by someone else; reload and try again")]
    Stale,
    #[error("an organisation must keep at least one admin")]
    LastAdmin,
    #[error("an organisation with this slug already exists")]
    SlugTaken,
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(OrgError);

impl From<RepoError> for OrgError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => OrgError::NotFound,
            other => OrgError::Repo(other),
        }
    }
}

/// A field of a request that breaks a rule, named as the request names it (e.g. `title.sk`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidField {
    pub field: String,
    pub message: String,
}

impl Organisation {
    /// `t` if it suits the organisation: its default language filled in, only its languages,
    /// none blank or over `max` characters. The error names `field.<locale>`.
    ///
    /// # Errors
    /// The first rule `t` breaks.
    pub fn check_text(&self, field: &str, t: LocalizedText, max: usize) -> Result<LocalizedText, InvalidField> {
        t.validate(self.default_locale, &self.locales, max).map_err(|e| {
            let at = match &e {
                LocalizedTextError::MissingDefault(l)
                | LocalizedTextError::Blank(l)
                | LocalizedTextError::NotEnabled(l)
                | LocalizedTextError::TooLong { locale: l, .. } => l.as_str(),
            };
            InvalidField { field: format!("{field}.{at}"), message: e.to_string() }
        })?;
        Ok(t)
    }

    /// Like [`Organisation::check_text`], but no text at all is allowed.
    ///
    /// # Errors
    /// The first rule a given text breaks.
    pub fn check_optional_text(
        &self,
        field: &str,
        t: LocalizedText,
        max: usize,
    ) -> Result<LocalizedText, InvalidField> {
        if t.is_empty() { Ok(t) } else { self.check_text(field, t, max) }
    }
}

#[cfg(test)]
impl Organisation {
    /// An organisation speaking `locales`, the first being its default (for unit tests).
    pub(crate) fn speaking(locales: &[Locale]) -> Self {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        Organisation {
            id: OrgId::new_v7(),
            slug: "mesto".parse().expect("a valid slug"),
            name: LocalizedText::from([(locales[0], "Mesto")]),
            description: LocalizedText::default(),
            default_locale: locales[0],
            locales: locales.to_vec(),
            time_zone: "Europe/Bratislava".parse().expect("a tz name"),
            currency: "EUR".parse().expect("a currency"),
            area: None,
            accent_color: None,
            logo_file_id: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// How long a server keeps an organisation as the context of the requests addressed under it
/// (`/orgs/{slug}/…`) before reading it again: a change made through another server reaches those
/// requests within this time; on the server that made it, at once ([`OrgContexts::forget`]).
pub const CONTEXT_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// The organisations this server read lately, by slug, as the context of the requests under them:
/// the one statement every such request would otherwise begin with. An organisation's own reads
/// and writes never come from here. Cloning shares the cache.
#[derive(Clone)]
pub struct OrgContexts(Option<moka::future::Cache<String, Organisation>>);

impl Default for OrgContexts {
    fn default() -> Self {
        OrgContexts::new(CONTEXT_TTL)
    }
}

impl OrgContexts {
    /// Organisations kept for `ttl` each (zero: none kept, each request reads its own).
    #[must_use]
    pub fn new(ttl: std::time::Duration) -> Self {
        OrgContexts(
            (!ttl.is_zero()).then(|| moka::future::Cache::builder().max_capacity(1_000).time_to_live(ttl).build()),
        )
    }

    /// Drops what is kept of the organisation: called once a change to it is committed.
    pub async fn forget(&self, slug: &str) {
        if let Some(c) = &self.0 {
            c.invalidate(slug).await;
        }
    }
}

/// The organisation use cases: each decides authorization first; each that writes a change and
/// its audit entry writes both in one unit of work.
pub struct OrgService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    contexts: OrgContexts,
}

impl OrgService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        OrgService { store, clock, contexts: OrgContexts::default() }
    }

    /// Shares `contexts` (so that another service's change to an organisation drops it).
    #[must_use]
    pub fn with_contexts(mut self, contexts: OrgContexts) -> Self {
        self.contexts = contexts;
        self
    }

    /// The organisation as the context of a request addressed under it: read at most
    /// [`CONTEXT_TTL`] ago by this server, or now. Use [`OrgService::get`] for the organisation's
    /// own reads and writes.
    ///
    /// # Errors
    /// [`OrgError::NotFound`] for an unknown slug (not kept: an organisation created a moment
    /// later is found at once).
    pub async fn context(&self, slug: &str) -> Result<Organisation, OrgError> {
        let Some(kept) = &self.contexts.0 else { return self.get(slug).await };
        if let Some(org) = kept.get(slug).await {
            return Ok(org);
        }
        let org = self.get(slug).await?;
        kept.insert(slug.to_owned(), org.clone()).await;
        Ok(org)
    }

    /// # Errors
    /// [`OrgError::NotFound`] for an unknown slug.
    #[tracing::instrument(skip(self))]
    pub async fn get(&self, slug: &str) -> Result<Organisation, OrgError> {
        self.store.org_by_slug(slug).await?.ok_or(OrgError::NotFound)
    }

    /// Every organisation, a page at a time; public.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip(self))]
    pub async fn list(&self, page: PageRequest) -> Result<Page<Organisation>, OrgError> {
        Ok(self.store.list_orgs(page).await?)
    }

    /// The public log of what the organisation's staff changed, newest first.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip(self))]
    pub async fn audit_log(
        &self,
        slug: &str,
        resource_type: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<PublicAuditEntry>, OrgError> {
        let org = self.get(slug).await?;
        self.audit_page(&org, resource_type, page).await
    }

    /// The organisation and its newest `limit` log entries, for its feed.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip(self))]
    pub async fn audit_feed(&self, slug: &str, limit: u64) -> Result<(Organisation, Vec<PublicAuditEntry>), OrgError> {
        let org = self.get(slug).await?;
        let page = self.audit_page(&org, None, PageRequest { limit, after: None }).await?;
        Ok((org, page.items))
    }

    async fn audit_page(
        &self,
        org: &Organisation,
        resource_type: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<PublicAuditEntry>, OrgError> {
        let page = self.store.audit_log(org.id, resource_type, page).await?;
        let mut actors: Vec<UserId> = page.items.iter().filter_map(|e| e.actor_id).collect();
        actors.sort_unstable_by_key(|u| Uuid::from(*u));
        actors.dedup();
        let roles = self.store.actor_roles(org.id, &actors).await?;
        Ok(page.map(|entry| {
            let actor_role = entry.actor_id.map(|u| roles.get(&u).copied().unwrap_or(ActorRole::FormerStaff));
            let mut entry = entry;
            // A membership's entry is about a person, who may be a resident again: not named.
            if entry.resource_type == "user" {
                entry.resource_id = String::new();
            }
            PublicAuditEntry { entry, actor_role }
        }))
    }

    /// # Errors
    /// Forbidden unless a platform admin; invalid settings; [`OrgError::SlugTaken`].
    #[tracing::instrument(skip(self, caller, settings), fields(slug = %slug))]
    pub async fn create(
        &self,
        caller: &Caller,
        slug: Slug,
        settings: OrganisationSettings,
    ) -> Result<Organisation, OrgError> {
        let actor = caller.authorize(OrgId::from_uuid(Uuid::nil()), Action::CreateOrganisation)?;
        settings.check()?;
        let now = self.clock.now();
        let org = Organisation {
            id: OrgId::new_v7(),
            slug,
            name: settings.name,
            description: settings.description,
            default_locale: settings.default_locale,
            locales: settings.locales,
            time_zone: settings.time_zone,
            currency: settings.currency,
            area: settings.area,
            accent_color: settings.accent_color,
            logo_file_id: None,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_org(&org).await.map_err(|e| match e {
            RepoError::Conflict { .. } => OrgError::SlugTaken,
            other => other.into(),
        })?;
        Audit::new(org.id, actor.user_id, "organisation.created", ("organisation", org.id), now)
            .created(&org_public(&org))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Applies `edit` to the organisation if `expected_updated_at` (from the `If-Match` ETag)
    /// still matches.
    ///
    /// # Errors
    /// Not found; forbidden unless a platform admin or the organisation's admin; invalid
    /// settings; [`OrgError::Stale`] when someone else changed it in between.
    #[tracing::instrument(skip(self, caller, edit))]
    pub async fn update(
        &self,
        caller: &Caller,
        slug: &str,
        expected_updated_at: Option<DateTime<Utc>>,
        edit: impl FnOnce(&mut OrganisationSettings) + Send,
    ) -> Result<Organisation, OrgError> {
        let mut org = self.get(slug).await?;
        let actor = caller.authorize(org.id, Action::EditOrganisation)?;
        Version::check(expected_updated_at, org.updated_at)?;
        let mut settings = OrganisationSettings {
            name: org.name.clone(),
            description: org.description.clone(),
            default_locale: org.default_locale,
            locales: org.locales.clone(),
            time_zone: org.time_zone,
            currency: org.currency,
            area: org.area,
            accent_color: org.accent_color,
        };
        edit(&mut settings);
        settings.check()?;
        let previous = org.updated_at;
        let before = org_public(&org);
        org.name = settings.name;
        org.description = settings.description;
        org.default_locale = settings.default_locale;
        org.locales = settings.locales;
        org.time_zone = settings.time_zone;
        org.currency = settings.currency;
        org.area = settings.area;
        org.accent_color = settings.accent_color;
        let now = self.clock.now();
        org.updated_at = Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        tx.update_org(&org, previous).await.map_err(|e| match e {
            RepoError::Conflict { .. } => OrgError::Stale,
            other => other.into(),
        })?;
        Audit::new(org.id, actor.user_id, "organisation.updated", ("organisation", org.id), now)
            .updated(&before, &org_public(&org))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        self.contexts.forget(slug).await;
        Ok(org)
    }

    /// # Errors
    /// Not found; forbidden unless an admin of the organisation (or platform admin).
    #[tracing::instrument(skip(self, caller))]
    pub async fn members(&self, caller: &Caller, slug: &str, page: PageRequest) -> Result<Page<Member>, OrgError> {
        let org = self.get(slug).await?;
        caller.authorize(org.id, Action::ManageMembers)?;
        Ok(self.store.members(org.id, page).await?)
    }

    /// Grants exactly `membership` (roles and verified flag) to a user.
    ///
    /// # Errors
    /// Not found (organisation or user); forbidden; [`OrgError::LastAdmin`] when it would leave
    /// the organisation without an admin.
    #[tracing::instrument(skip(self, caller, membership))]
    pub async fn put_member(
        &self,
        caller: &Caller,
        slug: &str,
        user_id: UserId,
        membership: Membership,
    ) -> Result<Member, OrgError> {
        let org = self.get(slug).await?;
        let actor = caller.authorize(org.id, Action::ManageMembers)?;
        if self.store.user_by_id(user_id).await?.is_none() {
            return Err(OrgError::UserNotFound);
        }
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let before = tx.member(org.id, user_id).await?;
        let was_admin = before.as_ref().is_some_and(|m| m.membership.roles.contains(&Role::Admin));
        if was_admin && !membership.roles.contains(&Role::Admin) && tx.count_admins(org.id).await? <= 1 {
            return Err(OrgError::LastAdmin);
        }
        tx.put_membership(org.id, user_id, &membership, now).await?;
        Audit::new(org.id, actor.user_id, "member.updated", ("user", user_id), now)
            .updated(&before.as_ref().map(|m| member_public(&m.membership)), &member_public(&membership))
            .record(&*tx)
            .await?;
        let member = tx.member(org.id, user_id).await?.ok_or(OrgError::UserNotFound)?;
        tx.commit().await?;
        Ok(member)
    }

    /// # Errors
    /// Not found (organisation, or no membership); forbidden; last admin.
    #[tracing::instrument(skip(self, caller))]
    pub async fn remove_member(&self, caller: &Caller, slug: &str, user_id: UserId) -> Result<(), OrgError> {
        let org = self.get(slug).await?;
        let actor = caller.authorize(org.id, Action::ManageMembers)?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let before = tx.member(org.id, user_id).await?.ok_or(OrgError::UserNotFound)?;
        if before.membership.roles.contains(&Role::Admin) && tx.count_admins(org.id).await? <= 1 {
            return Err(OrgError::LastAdmin);
        }
        tx.delete_membership(org.id, user_id).await?;
        Audit::new(org.id, actor.user_id, "member.removed", ("user", user_id), now)
            .deleted(&member_public(&before.membership))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The public fields of an organisation, as its log compares them.
fn org_public(org: &Organisation) -> serde_json::Value {
    serde_json::json!({
        "slug": org.slug.as_str(),
        "name": org.name,
        "description": org.description,
        "default_locale": org.default_locale,
        "locales": org.locales,
        "time_zone": org.time_zone.tz().name(),
        "currency": org.currency.to_string(),
    })
}

/// A staff member's roles, as the log states them (the person is the entry's resource, by id).
fn member_public(m: &Membership) -> serde_json::Value {
    serde_json::json!({ "roles": m.roles })
}
