//! Webhooks for integrators: an organisation's admins subscribe an HTTPS address to event types,
//! read each subscription's delivery log, redeliver, send a test ping and rotate the signing
//! secret. How deliveries are signed is described in the tag's description and in
//! `docs/webhooks.md`.

use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{PageParams, SignedIn, ValidJson};
use crate::list_response;
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use pnyx_domain::webhooks::{Delivery, DeliveryStatus, NewWebhook, Webhook, WebhookChanges, WebhookError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(webhook_list)
        .service(webhook_create)
        .service(webhook_get)
        .service(webhook_update)
        .service(webhook_delete)
        .service(webhook_rotate_secret)
        .service(webhook_ping)
        .service(webhook_delivery_list)
        .service(webhook_redeliver);
}

impl From<WebhookError> for ApiError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::Authz(a) => a.into(),
            WebhookError::OrgNotFound => ApiError::not_found("organisation"),
            WebhookError::NotFound(what) => ApiError::not_found(what),
            WebhookError::Invalid(f) => ApiError::field(f.field, f.message),
            WebhookError::Disabled => ApiError::conflict(
                ErrorCode::InvalidTransition,
                "The webhook is disabled: enable it (`active: true`) before sending to it.",
            ),
            WebhookError::Repo(r) => r.into(),
        }
    }
}

/// An event type a webhook can receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum WebhookEvent {
    #[serde(rename = "meeting.changed")]
    MeetingChanged,
    #[serde(rename = "meeting.cancelled")]
    MeetingCancelled,
    #[serde(rename = "consultation.opened")]
    ConsultationOpened,
    #[serde(rename = "consultation.report_published")]
    ConsultationReportPublished,
    #[serde(rename = "budget.proposal_reviewed")]
    BudgetProposalReviewed,
    #[serde(rename = "budget.phase_changed")]
    BudgetPhaseChanged,
    #[serde(rename = "commitment.progress")]
    CommitmentProgress,
    #[serde(rename = "commitment.status_changed")]
    CommitmentStatusChanged,
    #[serde(rename = "report.status_changed")]
    ReportStatusChanged,
}

impl WebhookEvent {
    const ALL: [WebhookEvent; 9] = [
        WebhookEvent::MeetingChanged,
        WebhookEvent::MeetingCancelled,
        WebhookEvent::ConsultationOpened,
        WebhookEvent::ConsultationReportPublished,
        WebhookEvent::BudgetProposalReviewed,
        WebhookEvent::BudgetPhaseChanged,
        WebhookEvent::CommitmentProgress,
        WebhookEvent::CommitmentStatusChanged,
        WebhookEvent::ReportStatusChanged,
    ];

    /// The domain's name of the type (the same as the wire's).
    fn as_str(self) -> &'static str {
        let i = Self::ALL.iter().position(|e| *e == self).unwrap_or_default();
        pnyx_domain::webhooks::EVENT_TYPES[i]
    }

    fn parse(s: &str) -> Option<Self> {
        pnyx_domain::webhooks::EVENT_TYPES.iter().position(|e| *e == s).map(|i| Self::ALL[i])
    }
}

/// A subscription (the secret is shown only when made or rotated).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookResponse {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    /// Deliveries go out only while active.
    pub active: bool,
    /// Why the server disabled it: `deliveries_failed` (a delivery failed for a day). `null`
    /// when active or paused by an admin.
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn webhook_dto(w: Webhook) -> WebhookResponse {
    WebhookResponse {
        id: w.id,
        url: w.url,
        description: w.description,
        events: w.events.iter().filter_map(|e| WebhookEvent::parse(e)).collect(),
        active: w.active,
        disabled_reason: w.disabled_reason,
        created_at: w.created_at,
        updated_at: w.updated_at,
    }
}

/// A subscription with its signing secret: shown this once; store it to verify deliveries.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecretResponse {
    #[serde(flatten)]
    pub webhook: WebhookResponse,
    /// The HMAC-SHA-256 key of `Pnyx-Webhook-Signature` (`whsec_` and 64 hex digits).
    pub secret: String,
}

fn with_secret(w: Webhook) -> WebhookWithSecretResponse {
    let secret = w.secret.clone();
    WebhookWithSecretResponse { webhook: webhook_dto(w), secret }
}

/// The organisation's webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookResponse>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatusDto {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Succeeded,
    /// Given up after a day of retries.
    Failed,
}

impl From<DeliveryStatus> for DeliveryStatusDto {
    fn from(s: DeliveryStatus) -> Self {
        match s {
            DeliveryStatus::Pending => DeliveryStatusDto::Pending,
            DeliveryStatus::Succeeded => DeliveryStatusDto::Succeeded,
            DeliveryStatus::Failed => DeliveryStatusDto::Failed,
        }
    }
}

/// One event sent (or to be sent) to a webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryResponse {
    /// Sent as `Pnyx-Webhook-Id`: the same on every attempt and redelivery.
    pub id: Uuid,
    /// The body's `id`: the same in every webhook's delivery of the event.
    pub event_id: Uuid,
    /// An event type, or `ping`.
    pub event_type: String,
    pub status: DeliveryStatusDto,
    /// Attempts made so far.
    pub attempts: i32,
    /// When it is tried next (pending only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's HTTP status at the last attempt, if it answered.
    pub response_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The JSON body sent (`id`, `type`, `time`, `organisation`, `resource`).
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

fn delivery_dto(d: Delivery) -> WebhookDeliveryResponse {
    WebhookDeliveryResponse {
        id: d.id,
        event_id: d.event_id,
        event_type: d.event_type,
        status: d.status.into(),
        attempts: d.attempts,
        next_attempt_at: (d.status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
        response_code: d.response_code,
        last_error: d.last_error,
        delivered_at: d.delivered_at,
        payload: serde_json::from_str(&d.body).unwrap_or(serde_json::Value::Null),
        created_at: d.created_at,
    }
}

list_response!(WebhookDeliveryList, WebhookDeliveryResponse, "A page of a webhook's deliveries, newest first.");

/// A new subscription.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://integrations.example.org/pnyx", "events": ["meeting.cancelled", "consultation.opened"], "description": "Town website"}))]
pub struct CreateWebhookRequest {
    /// An `https://` address on the public internet (no user or password, no fragment).
    #[schema(min_length = 1, max_length = 2048)]
    #[validate(length(min = 1, max = 2048))]
    pub url: String,
    /// The event types to receive (at least one; repeats are ignored).
    #[schema(min_items = 1)]
    #[validate(length(min = 1))]
    pub events: Vec<WebhookEvent>,
    /// A note for the admins (up to 200 characters).
    #[schema(max_length = 200)]
    #[validate(length(max = 200))]
    pub description: Option<String>,
    /// Start sending at once (default `true`).
    pub active: Option<bool>,
}

/// Changes to a subscription (absent: kept). Enabling it again clears why the server disabled it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": true}))]
pub struct UpdateWebhookRequest {
    #[schema(min_length = 1, max_length = 2048)]
    #[validate(length(min = 1, max = 2048))]
    pub url: Option<String>,
    #[schema(min_items = 1)]
    #[validate(length(min = 1))]
    pub events: Option<Vec<WebhookEvent>>,
    #[schema(max_length = 200)]
    #[validate(length(max = 200))]
    pub description: Option<String>,
    pub active: Option<bool>,
}

/// List webhooks
///
/// The organisation's subscriptions, oldest first, without their secrets. Requires: the
/// organisation's admin.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_list",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The webhooks", body = WebhookList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/webhooks")]
pub async fn webhook_list(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
) -> Result<web::Json<WebhookList>, ApiError> {
    let hooks = st.webhooks.list(&who.caller(), &path).await?;
    Ok(web::Json(WebhookList { items: hooks.into_iter().map(webhook_dto).collect() }))
}

/// Subscribe a webhook
///
/// The server generates the signing secret and returns it this once. Each delivery is a `POST`
/// of JSON (`id`, `type`, `time`, `organisation`, `resource`) with the headers
/// `Pnyx-Webhook-Id`, `Pnyx-Webhook-Event`, `Pnyx-Webhook-Timestamp` (Unix seconds) and
/// `Pnyx-Webhook-Signature: v1=<hex>`, the HMAC-SHA-256 under the secret of
/// `<timestamp>.<body>`. A 2xx answer within 10 seconds counts as delivered; anything else is
/// retried with exponential back-off for about a day, after which the webhook is disabled and
/// the admins are told. At most 20 webhooks per organisation. Requires: the organisation's admin.
/// Written to the audit log.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_create", request_body = CreateWebhookRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Subscribed; the secret is shown this once", body = WebhookWithSecretResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/webhooks")]
pub async fn webhook_create(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<String>,
    body: ValidJson<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let new = NewWebhook {
        url: b.url,
        description: b.description.unwrap_or_default(),
        events: b.events.into_iter().map(|e| e.as_str().to_owned()).collect(),
        active: b.active.unwrap_or(true),
    };
    let w = st.webhooks.create(&who.caller(), &path, new).await?;
    Ok(HttpResponse::Created().json(with_secret(w)))
}

/// Get a webhook
///
/// Requires: the organisation's admin.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The webhook")),
    responses(
        (status = 200, description = "The webhook", body = WebhookResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or webhook", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/webhooks/{id}")]
pub async fn webhook_get(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(webhook_dto(st.webhooks.get(&who.caller(), &slug, id).await?)))
}

/// Change a webhook
///
/// Its address, event types, description, or whether it is active. Requires: the organisation's
/// admin. Written to the audit log.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_update", request_body = UpdateWebhookRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The webhook")),
    responses(
        (status = 200, description = "The webhook now", body = WebhookResponse),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or webhook", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/webhooks/{id}")]
pub async fn webhook_update(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<UpdateWebhookRequest>,
) -> Result<web::Json<WebhookResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    let b = body.0;
    let changes = WebhookChanges {
        url: b.url,
        description: b.description,
        events: b.events.map(|es| es.into_iter().map(|e| e.as_str().to_owned()).collect()),
        active: b.active,
    };
    Ok(web::Json(webhook_dto(st.webhooks.update(&who.caller(), &slug, id, changes).await?)))
}

/// Delete a webhook
///
/// With its delivery log; nothing more is sent to it. Requires: the organisation's admin.
/// Written to the audit log.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The webhook")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or webhook", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/webhooks/{id}")]
pub async fn webhook_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    st.webhooks.delete(&who.caller(), &slug, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate a webhook's secret
///
/// A new secret replaces the old one at once (retries are signed with the new one) and is
/// returned this once. Requires: the organisation's admin. Written to the audit log.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_rotate_secret",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The webhook")),
    responses(
        (status = 200, description = "The webhook with its new secret", body = WebhookWithSecretResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or webhook", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/webhooks/{id}/secret")]
pub async fn webhook_rotate_secret(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<WebhookWithSecretResponse>, ApiError> {
    let (slug, id) = path.into_inner();
    Ok(web::Json(with_secret(st.webhooks.rotate_secret(&who.caller(), &slug, id).await?)))
}

/// Send a test ping
///
/// Queues a `ping` event (`resource`: the webhook) to try the receiver and its signature check;
/// it appears in the delivery log. Requires: the organisation's admin.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_ping",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The webhook")),
    responses(
        (status = 202, description = "Queued", body = WebhookDeliveryResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or webhook", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The webhook is disabled (`invalid-transition`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/webhooks/{id}/ping")]
pub async fn webhook_ping(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let d = st.webhooks.ping(&who.caller(), &slug, id).await?;
    Ok(HttpResponse::Accepted().json(delivery_dto(d)))
}

/// List a webhook's deliveries
///
/// Newest first: status, attempts, the receiver's last answer and the next attempt. Requires:
/// the organisation's admin.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_delivery_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The webhook"), PageParams),
    responses(
        (status = 200, description = "A page of deliveries", body = WebhookDeliveryList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation or webhook", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/webhooks/{id}/deliveries")]
pub async fn webhook_delivery_list(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<WebhookDeliveryList>, ApiError> {
    let (slug, id) = path.into_inner();
    let page = st.webhooks.deliveries(&who.caller(), &slug, id, q.page()?).await?;
    Ok(web::Json(WebhookDeliveryList::from_page(page, delivery_dto)))
}

/// Redeliver
///
/// Sends a delivery again, now: the same id and body, signed afresh, its attempts counted anew.
/// Requires: the organisation's admin.
#[utoipa::path(
    tag = "webhooks", operation_id = "webhook_redeliver",
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("id" = Uuid, Path, description = "The webhook"),
        ("delivery" = Uuid, Path, description = "The delivery"),
    ),
    responses(
        (status = 202, description = "Queued again", body = WebhookDeliveryResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such organisation, webhook or delivery", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The webhook is disabled (`invalid-transition`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/webhooks/{id}/deliveries/{delivery}/redeliver")]
pub async fn webhook_redeliver(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, delivery) = path.into_inner();
    let d = st.webhooks.redeliver(&who.caller(), &slug, id, delivery).await?;
    Ok(HttpResponse::Accepted().json(delivery_dto(d)))
}
