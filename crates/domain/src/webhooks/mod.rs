//! Webhooks for integrators: an organisation's admins subscribe an HTTPS address to event types;
//! each public event (a meeting cancelled, a consultation opened, a budget's phase) is queued as a
//! delivery per subscription in the unit of work of the change itself ([`enqueue`], called by
//! [`crate::notifications::publish`]), and the [`WebhookWorker`] posts it, signed (see
//! [`signing`]), retrying with exponential back-off for about a day. A subscription whose
//! delivery is given up is disabled and the organisation's admins are told. Every delivery is
//! kept in a log an admin can read and redeliver from.
//!
//! Only events about public resources that their followers hear of go out: what is told to one
//! person (their seat, their answered opinion) is never sent to an integrator.

pub mod signing;
mod worker;

use crate::audit::Audit;
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::ids::{OrgId, UserId};
use crate::notifications::{DomainEvent, kind as nk};
use crate::org::{InvalidField, Organisation};
use crate::repo::{Page, PageRequest, RepoError, RepoResult, Store, UnitOfWork};

pub use worker::{WebhookSender, WebhookWorker, default_retry_policy};

/// The test event a `ping` sends.
pub const PING: &str = "ping";

/// The event types a subscription can name: the public events of followable resources.
pub const EVENT_TYPES: [&str; 9] = [
    nk::MEETING_CHANGED,
    nk::MEETING_CANCELLED,
    nk::CONSULTATION_OPENED,
    nk::CONSULTATION_REPORT_PUBLISHED,
    nk::PROPOSAL_REVIEWED,
    nk::BUDGET_PHASE_CHANGED,
    nk::COMMITMENT_PROGRESS,
    nk::COMMITMENT_STATUS_CHANGED,
    nk::REPORT_STATUS_CHANGED,
];

/// The longest subscribed address, in bytes.
pub const MAX_URL: usize = 2048;
/// The longest description, in characters.
pub const MAX_DESCRIPTION: usize = 200;
/// Most subscriptions per organisation.
pub const MAX_PER_ORG: usize = 20;
/// Why the worker disabled a subscription.
pub const DISABLED_FAILING: &str = "deliveries_failed";

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: Uuid,
    pub org_id: OrgId,
    pub url: String,
    pub description: String,
    /// The event types it receives, each one of [`EVENT_TYPES`].
    pub events: Vec<String>,
    /// The signing secret (shown to the admin once, when made or rotated).
    pub secret: String,
    /// Deliveries go out only while active.
    pub active: bool,
    /// Why it was disabled by the server ([`DISABLED_FAILING`]); `None` when active or paused
    /// by an admin.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Succeeded,
    /// Given up after the last retry.
    Failed,
}

impl DeliveryStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Failed => "failed",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [DeliveryStatus::Pending, DeliveryStatus::Succeeded, DeliveryStatus::Failed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One event for one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Sent as `Pnyx-Webhook-Id`, the same on every attempt.
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub org_id: OrgId,
    /// The event's id (the body's `id`): the same in every subscription's delivery of it.
    pub event_id: Uuid,
    pub event_type: String,
    /// The JSON body, exactly as signed and sent.
    pub body: String,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's last HTTP status, if it answered.
    pub response_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Delivery {
    /// A delivery of `body`, due now.
    #[must_use]
    pub fn new(hook: &Webhook, event_id: Uuid, event_type: &str, body: String, now: DateTime<Utc>) -> Self {
        Delivery {
            id: Uuid::now_v7(),
            webhook_id: hook.id,
            org_id: hook.org_id,
            event_id,
            event_type: event_type.to_owned(),
            body,
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            response_code: None,
            last_error: None,
            delivered_at: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// A claimed delivery with where and how to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    pub delivery: Delivery,
    pub url: String,
    pub secret: String,
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptResult {
    /// `Succeeded`; `Pending` (tried again at `next_attempt_at`); `Failed` (given up).
    pub status: DeliveryStatus,
    pub response_code: Option<i32>,
    pub error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Persistence of subscriptions and their deliveries.
#[async_trait::async_trait]
pub trait WebhookRepo: Send + Sync {
    async fn insert_webhook(&self, w: &Webhook) -> RepoResult<()>;
    async fn webhook(&self, org_id: OrgId, id: Uuid) -> RepoResult<Option<Webhook>>;
    /// The organisation's subscriptions, oldest first.
    async fn webhooks_of(&self, org_id: OrgId) -> RepoResult<Vec<Webhook>>;
    /// Saves every field of `w` but its id and organisation.
    async fn update_webhook(&self, w: &Webhook) -> RepoResult<()>;
    /// Deletes a subscription and its log; `false` when there was none.
    async fn delete_webhook(&self, org_id: OrgId, id: Uuid) -> RepoResult<bool>;
    /// Disables an active subscription with `reason`; `false` when it was not active.
    async fn disable_webhook(&self, id: Uuid, reason: &str, now: DateTime<Utc>) -> RepoResult<bool>;
    /// The organisation's active subscriptions to `event_type`.
    async fn subscribers(&self, org_id: OrgId, event_type: &str) -> RepoResult<Vec<Webhook>>;
    /// Queues deliveries (inside the change's unit of work).
    async fn enqueue_deliveries(&self, deliveries: &[Delivery]) -> RepoResult<()>;
    /// A subscription's deliveries, newest first.
    async fn deliveries_of(&self, webhook_id: Uuid, page: PageRequest) -> RepoResult<Page<Delivery>>;
    async fn delivery(&self, webhook_id: Uuid, id: Uuid) -> RepoResult<Option<Delivery>>;
    /// Claims up to `limit` due pending deliveries of active subscriptions for `worker` until
    /// `lease_until`; concurrent claims never return the same delivery (PostgreSQL:
    /// `FOR UPDATE SKIP LOCKED`; SQLite: one writer at a time).
    async fn claim_deliveries(
        &self,
        worker: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> RepoResult<Vec<ClaimedDelivery>>;
    /// Records an attempt if `worker` still holds the claim; `false` when the lease was lost.
    async fn finish_delivery(
        &self,
        id: Uuid,
        worker: Uuid,
        result: &AttemptResult,
        now: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// Makes a delivery pending and due at `now` again, attempts counted afresh.
    async fn redeliver(&self, webhook_id: Uuid, id: Uuid, now: DateTime<Utc>) -> RepoResult<bool>;
    /// The organisation's admins (told when a subscription is disabled).
    async fn org_admins(&self, org_id: OrgId) -> RepoResult<Vec<UserId>>;
    /// The organisation's slug.
    async fn org_slug(&self, org_id: OrgId) -> RepoResult<Option<String>>;
}

/// Queues a delivery of `event` for each active subscription of its organisation to its type,
/// in the change's unit of work. Personal events and events about resources the public cannot
/// see go to nobody. Returns how many were queued.
///
/// # Errors
/// The database failed.
pub async fn enqueue(tx: &dyn UnitOfWork, event: &DomainEvent, now: DateTime<Utc>) -> RepoResult<usize> {
    if !event.to_followers || !EVENT_TYPES.contains(&event.kind) {
        return Ok(0);
    }
    let hooks = tx.subscribers(event.org_id, event.kind).await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let Some(target) = tx.follow_target(event.target, event.target_id).await?.filter(|t| t.public) else {
        return Ok(0);
    };
    let mut resource = match &event.payload {
        serde_json::Value::Object(m) => m.clone(),
        _ => serde_json::Map::new(),
    };
    resource.insert("type".into(), event.target.as_str().into());
    resource.insert("id".into(), event.target_id.to_string().into());
    let event_id = Uuid::now_v7();
    let body = event_body(event_id, event.kind, &target.org_slug, serde_json::Value::Object(resource), now);
    let deliveries: Vec<Delivery> =
        hooks.iter().map(|h| Delivery::new(h, event_id, event.kind, body.clone(), now)).collect();
    tx.enqueue_deliveries(&deliveries).await?;
    Ok(deliveries.len())
}

/// The JSON body of an event: `id`, `type`, `time`, `organisation` (its slug) and `resource`.
fn event_body(id: Uuid, kind: &str, org_slug: &str, resource: serde_json::Value, now: DateTime<Utc>) -> String {
    serde_json::json!({
        "id": id,
        "type": kind,
        "time": now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "organisation": org_slug,
        "resource": resource,
    })
    .to_string()
}

/// What an admin gives to subscribe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub active: bool,
}

/// What an admin changes (absent: kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub description: Option<String>,
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}

/// Which addresses may be subscribed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    /// Accept `http://` to loopback addresses (development and tests, with a local receiver).
    pub allow_http_loopback: bool,
}

/// Why a webhook use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such organisation")]
    OrgNotFound,
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{}: {}", .0.field, .0.message)]
    Invalid(InvalidField),
    /// The subscription is disabled: enable it first.
    #[error("the webhook is disabled")]
    Disabled,
    #[error(transparent)]
    Repo(RepoError),
}

impl From<RepoError> for WebhookError {
    fn from(e: RepoError) -> Self {
        WebhookError::Repo(e)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> WebhookError {
    WebhookError::Invalid(InvalidField { field: field.to_owned(), message: message.into() })
}

/// Whether `ip` is an address on this machine or a private, link-local or otherwise internal
/// network: never a subscriber's (a webhook must not be turned against the server's neighbours).
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64
                || v4.octets()[0] == 0
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_internal(IpAddr::V4(v4)))
        }
    }
}

/// `raw` as an address a subscription may use: `https://` with a host, no user or password, no
/// fragment, at most [`MAX_URL`] bytes, not an internal address; `http://` only to a loopback
/// address and only when `policy` allows it.
///
/// # Errors
/// Why it may not be used (the field is `url`).
pub fn check_url(raw: &str, policy: UrlPolicy) -> Result<String, WebhookError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(invalid("url", "must not be blank"));
    }
    if raw.len() > MAX_URL {
        return Err(invalid("url", format!("must be at most {MAX_URL} characters")));
    }
    let url = url::Url::parse(raw).map_err(|e| invalid("url", format!("is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("url", "must not hold a user name or password"));
    }
    if url.fragment().is_some() {
        return Err(invalid("url", "must not have a fragment (#…)"));
    }
    let host = url.host().ok_or_else(|| invalid("url", "must name a host"))?;
    let ip = match &host {
        url::Host::Ipv4(a) => Some(IpAddr::V4(*a)),
        url::Host::Ipv6(a) => Some(IpAddr::V6(*a)),
        url::Host::Domain(_) => None,
    };
    let named_local = matches!(&host, url::Host::Domain(d) if {
        let d = d.trim_end_matches('.').to_ascii_lowercase();
        d == "localhost" || d.ends_with(".localhost") || d.ends_with(".local") || d.ends_with(".internal")
    });
    let loopback = ip.is_some_and(|ip| ip.is_loopback()) || named_local && url.host_str() == Some("localhost");
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_http_loopback && loopback => return Ok(url.to_string()),
        "http" => return Err(invalid("url", "must start with https://")),
        _ => return Err(invalid("url", "must be an https:// address")),
    }
    if named_local || ip.is_some_and(is_internal) {
        if policy.allow_http_loopback && loopback {
            return Ok(url.to_string());
        }
        return Err(invalid("url", "must be a public address, not this server's or an internal network's"));
    }
    Ok(url.to_string())
}

/// The event types, checked: at least one, each known, no repeats (order kept).
fn check_events(events: &[String]) -> Result<Vec<String>, WebhookError> {
    if events.is_empty() {
        return Err(invalid("events", "name at least one event type"));
    }
    let mut out: Vec<String> = Vec::with_capacity(events.len());
    for e in events {
        if !EVENT_TYPES.contains(&e.as_str()) {
            return Err(invalid("events", format!("`{e}` is not an event type")));
        }
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    Ok(out)
}

fn check_description(d: &str) -> Result<String, WebhookError> {
    let d = d.trim();
    if d.chars().count() > MAX_DESCRIPTION {
        return Err(invalid("description", format!("must be at most {MAX_DESCRIPTION} characters")));
    }
    if d.chars().any(char::is_control) {
        return Err(invalid("description", "must not hold control characters"));
    }
    Ok(d.to_owned())
}

/// The admins' webhook use cases.
pub struct WebhookService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: UrlPolicy,
}

impl WebhookService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: UrlPolicy) -> Self {
        WebhookService { store, clock, policy }
    }

    /// The organisation, and the caller as its admin.
    async fn admin_of(&self, caller: &Caller, slug: &str) -> Result<(Organisation, UserId), WebhookError> {
        let org = self.store.org_by_slug(slug).await?.ok_or(WebhookError::OrgNotFound)?;
        let actor = caller.authorize(org.id, Action::EditOrganisation)?.user_id;
        Ok((org, actor))
    }

    async fn hook(&self, org: &Organisation, id: Uuid) -> Result<Webhook, WebhookError> {
        self.store.webhook(org.id, id).await?.ok_or(WebhookError::NotFound("webhook"))
    }

    /// The organisation's subscriptions, oldest first.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin.
    pub async fn list(&self, caller: &Caller, slug: &str) -> Result<Vec<Webhook>, WebhookError> {
        let (org, _) = self.admin_of(caller, slug).await?;
        Ok(self.store.webhooks_of(org.id).await?)
    }

    /// One subscription.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin.
    pub async fn get(&self, caller: &Caller, slug: &str, id: Uuid) -> Result<Webhook, WebhookError> {
        let (org, _) = self.admin_of(caller, slug).await?;
        self.hook(&org, id).await
    }

    /// Subscribes an address; the secret is generated here and returned (shown once).
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin; an address, event list or
    /// description that does not do; too many subscriptions.
    #[tracing::instrument(skip_all, fields(org = slug))]
    pub async fn create(&self, caller: &Caller, slug: &str, new: NewWebhook) -> Result<Webhook, WebhookError> {
        let (org, actor) = self.admin_of(caller, slug).await?;
        let url = check_url(&new.url, self.policy)?;
        let events = check_events(&new.events)?;
        let description = check_description(&new.description)?;
        let now = self.clock.now();
        let w = Webhook {
            id: Uuid::now_v7(),
            org_id: org.id,
            url,
            description,
            events,
            secret: signing::new_secret(),
            active: new.active,
            disabled_reason: None,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        if tx.webhooks_of(org.id).await?.len() >= MAX_PER_ORG {
            return Err(invalid("url", format!("an organisation has at most {MAX_PER_ORG} webhooks")));
        }
        tx.insert_webhook(&w).await?;
        Audit::new(org.id, actor, "webhook.created", ("webhook", w.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// Changes a subscription; enabling it again clears why it was disabled.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin; a field that does not do.
    #[tracing::instrument(skip_all, fields(org = slug, id = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        slug: &str,
        id: Uuid,
        changes: WebhookChanges,
    ) -> Result<Webhook, WebhookError> {
        let (org, actor) = self.admin_of(caller, slug).await?;
        let mut w = self.hook(&org, id).await?;
        if let Some(url) = &changes.url {
            w.url = check_url(url, self.policy)?;
        }
        if let Some(events) = &changes.events {
            w.events = check_events(events)?;
        }
        if let Some(d) = &changes.description {
            w.description = check_description(d)?;
        }
        if let Some(active) = changes.active {
            if active != w.active {
                w.disabled_reason = None;
            }
            w.active = active;
        }
        let now = self.clock.now();
        w.updated_at = now;
        let tx = self.store.begin().await?;
        tx.update_webhook(&w).await?;
        Audit::new(org.id, actor, "webhook.updated", ("webhook", w.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// Deletes a subscription and its delivery log.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin.
    #[tracing::instrument(skip_all, fields(org = slug, id = %id))]
    pub async fn delete(&self, caller: &Caller, slug: &str, id: Uuid) -> Result<(), WebhookError> {
        let (org, actor) = self.admin_of(caller, slug).await?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        if !tx.delete_webhook(org.id, id).await? {
            return Err(WebhookError::NotFound("webhook"));
        }
        Audit::new(org.id, actor, "webhook.deleted", ("webhook", id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the secret (returned, shown once); deliveries are signed with the new one from
    /// now on, retries included.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin.
    #[tracing::instrument(skip_all, fields(org = slug, id = %id))]
    pub async fn rotate_secret(&self, caller: &Caller, slug: &str, id: Uuid) -> Result<Webhook, WebhookError> {
        let (org, actor) = self.admin_of(caller, slug).await?;
        let mut w = self.hook(&org, id).await?;
        let now = self.clock.now();
        w.secret = signing::new_secret();
        w.updated_at = now;
        let tx = self.store.begin().await?;
        tx.update_webhook(&w).await?;
        Audit::new(org.id, actor, "webhook.secret_rotated", ("webhook", w.id), now).record(&*tx).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// A subscription's deliveries, newest first.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin.
    pub async fn deliveries(
        &self,
        caller: &Caller,
        slug: &str,
        id: Uuid,
        page: PageRequest,
    ) -> Result<Page<Delivery>, WebhookError> {
        let (org, _) = self.admin_of(caller, slug).await?;
        let w = self.hook(&org, id).await?;
        Ok(self.store.deliveries_of(w.id, page).await?)
    }

    /// Sends a delivery again (the same id and body, signed afresh), due now.
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin; the subscription is disabled.
    #[tracing::instrument(skip_all, fields(org = slug, id = %id, delivery = %delivery))]
    pub async fn redeliver(
        &self,
        caller: &Caller,
        slug: &str,
        id: Uuid,
        delivery: Uuid,
    ) -> Result<Delivery, WebhookError> {
        let (org, _) = self.admin_of(caller, slug).await?;
        let w = self.hook(&org, id).await?;
        if !w.active {
            return Err(WebhookError::Disabled);
        }
        if !self.store.redeliver(w.id, delivery, self.clock.now()).await? {
            return Err(WebhookError::NotFound("delivery"));
        }
        self.store.delivery(w.id, delivery).await?.ok_or(WebhookError::NotFound("delivery"))
    }

    /// Queues a `ping` event to the subscription (to try the receiver).
    ///
    /// # Errors
    /// Not found; forbidden unless the organisation's admin; the subscription is disabled.
    #[tracing::instrument(skip_all, fields(org = slug, id = %id))]
    pub async fn ping(&self, caller: &Caller, slug: &str, id: Uuid) -> Result<Delivery, WebhookError> {
        let (org, _) = self.admin_of(caller, slug).await?;
        let w = self.hook(&org, id).await?;
        if !w.active {
            return Err(WebhookError::Disabled);
        }
        let now = self.clock.now();
        let event_id = Uuid::now_v7();
        let resource = serde_json::json!({"type": "webhook", "id": w.id});
        let d = Delivery::new(&w, event_id, PING, event_body(event_id, PING, org.slug.as_str(), resource, now), now);
        self.store.enqueue_deliveries(std::slice::from_ref(&d)).await?;
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: UrlPolicy = UrlPolicy { allow_http_loopback: true };
    const PROD: UrlPolicy = UrlPolicy { allow_http_loopback: false };

    #[test]
    fn public_https_addresses_are_accepted() {
        assert_eq!(
            check_url(" https://hooks.example.org/pnyx?x=1 ", PROD).unwrap(),
            "https://hooks.example.org/pnyx?x=1"
        );
        assert!(check_url("https://93.184.216.34/in", PROD).is_ok());
    }

    #[test]
    fn insecure_internal_and_malformed_addresses_are_refused() {
        for bad in [
            "",
            "hooks.example.org",
            "ftp://hooks.example.org/",
            "http://hooks.example.org/",
            "https://user:pw@hooks.example.org/",
            "https://hooks.example.org/#x",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://192.168.0.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://localhost/",
            "https://db.internal/",
            "http://127.0.0.1:9000/",
        ] {
            assert!(matches!(check_url(bad, PROD), Err(WebhookError::Invalid(f)) if f.field == "url"), "{bad}");
        }
        assert!(check_url(&format!("https://example.org/{}", "a".repeat(MAX_URL)), PROD).is_err());
    }

    #[test]
    fn http_to_loopback_only_when_allowed() {
        assert!(check_url("http://127.0.0.1:9000/hook", DEV).is_ok());
        assert!(check_url("http://localhost:9000/hook", DEV).is_ok());
        assert!(check_url("http://[::1]:9000/hook", DEV).is_ok());
        assert!(check_url("http://10.0.0.1:9000/hook", DEV).is_err(), "not loopback");
        assert!(check_url("http://hooks.example.org/", DEV).is_err());
    }

    #[test]
    fn events_must_be_known_and_are_deduplicated() {
        assert!(check_events(&[]).is_err());
        assert!(check_events(&["meeting.exploded".into()]).is_err());
        assert!(check_events(&["ping".into()]).is_err(), "ping is sent on request only");
        assert_eq!(
            check_events(&["meeting.cancelled".into(), "meeting.changed".into(), "meeting.cancelled".into()]).unwrap(),
            vec!["meeting.cancelled".to_owned(), "meeting.changed".to_owned()]
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in [DeliveryStatus::Pending, DeliveryStatus::Succeeded, DeliveryStatus::Failed] {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
    }
}
