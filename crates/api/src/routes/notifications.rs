//! The signed-in user's notifications, follows and delivery preferences, and the one-click
//! unsubscribe of notification e-mail (RFC 8058).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use pnyx_domain::notifications::{
    Delivery, Follow, Followable, Notification, NotificationError, Preference, UnsubscribeTokenError,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{PageParams, SignedIn, ValidJson};
use crate::list_response;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(notification_list)
        .service(notification_read_all)
        .service(notification_read)
        .service(follow_list)
        .service(follow_get)
        .service(follow_put)
        .service(follow_delete)
        .service(preference_list)
        .service(preference_update)
        .service(unsubscribe);
}

/// Something the user was told.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationResponse {
    pub id: Uuid,
    pub org_id: Option<Uuid>,
    /// What happened, e.g. `meeting.cancelled`.
    #[schema(example = "meeting.cancelled")]
    pub kind: String,
    /// Details for rendering: ids, titles, reasons.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

fn dto(n: Notification) -> NotificationResponse {
    NotificationResponse {
        id: n.id,
        org_id: n.org_id.map(Into::into),
        kind: n.kind,
        payload: n.payload,
        created_at: n.created_at,
        read_at: n.read_at,
    }
}

list_response!(NotificationList, NotificationResponse, "A page of notifications, newest first.");

/// `?unread=` of the notification list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilter {
    /// Only unread ones.
    pub unread: Option<bool>,
}

/// List my notifications
///
/// Newest first; `?unread=true` for the unread ones.
#[utoipa::path(
    tag = "accounts", operation_id = "notification_list", params(NotificationFilter, PageParams),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/notifications")]
pub async fn notification_list(
    st: web::Data<AppState>,
    who: SignedIn,
    filter: web::Query<NotificationFilter>,
    q: web::Query<PageParams>,
) -> Result<web::Json<NotificationList>, ApiError> {
    let page = st.notifications.list(&who.0, filter.unread.unwrap_or(false), q.page()?).await?;
    Ok(web::Json(NotificationList::from_page(page, dto)))
}

/// Mark a notification read
///
/// Idempotent: marking a read one again changes nothing.
#[utoipa::path(
    tag = "accounts", operation_id = "notification_read",
    params(("id" = Uuid, Path, description = "The notification")),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such notification of yours", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/notifications/{id}/read")]
pub async fn notification_read(
    st: web::Data<AppState>,
    who: SignedIn,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    st.notifications.mark_read(&who.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

impl From<NotificationError> for ApiError {
    fn from(e: NotificationError) -> Self {
        match e {
            NotificationError::NotFound(what) => ApiError::not_found(what),
            NotificationError::Forbidden => ApiError::forbidden(),
            NotificationError::UnknownKind(k) => {
                ApiError::field("preferences", format!("`{k}` is not a kind of notification"))
            }
            NotificationError::InvalidToken(t) => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidToken,
                match t {
                    UnsubscribeTokenError::Expired => {
                        "The unsubscribe link has expired: choose what reaches you in your notification settings."
                    }
                    UnsubscribeTokenError::Invalid => "The unsubscribe link is not valid: it was altered or mistyped.",
                },
            ),
            NotificationError::Repo(r) => r.into(),
        }
    }
}

/// How many notifications were marked read.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
}

/// Mark all my notifications read
#[utoipa::path(
    tag = "accounts", operation_id = "notification_read_all",
    responses(
        (status = 200, description = "Marked read", body = MarkedRead),
        (status = 401, response = crate::error::problems::Unauthorized),
    ),
    security(("bearer_auth" = []))
)]
#[post("/me/notifications/read-all")]
pub async fn notification_read_all(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<MarkedRead>, ApiError> {
    let marked = st.notifications.mark_all_read(&who.0).await?;
    Ok(web::Json(MarkedRead { marked }))
}

crate::dto_enum!(
    /// What can be followed.
    FollowTargetDto => Followable { Commitment, Meeting, Consultation, Budget, Proposal, Report }
);

crate::dto_enum!(
    /// How a kind of notification reaches the user: `in_app` (the bell only), `email` (and an
    /// e-mail at once), `digest` (and the daily digest e-mail), `off`.
    DeliveryDto => Delivery { InApp, Email, Digest, Off }
);

/// Whether the caller follows a resource.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowState {
    pub following: bool,
}

/// Something the caller follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowResponse {
    pub target: FollowTargetDto,
    pub target_id: Uuid,
    pub org_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// What the caller follows, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowList {
    pub items: Vec<FollowResponse>,
}

fn follow_dto(f: Follow) -> FollowResponse {
    FollowResponse {
        target: f.target.into(),
        target_id: f.target_id,
        org_id: f.org_id.into(),
        created_at: f.created_at,
    }
}

/// List what I follow
#[utoipa::path(
    tag = "accounts", operation_id = "follow_list",
    responses(
        (status = 200, description = "What the caller follows", body = FollowList),
        (status = 401, response = crate::error::problems::Unauthorized),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/follows")]
pub async fn follow_list(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<FollowList>, ApiError> {
    let items = st.notifications.follows(&who.0).await?.into_iter().map(follow_dto).collect();
    Ok(web::Json(FollowList { items }))
}

/// Am I following it?
#[utoipa::path(
    tag = "accounts", operation_id = "follow_get",
    params(("target" = FollowTargetDto, Path, description = "What kind of thing"), ("id" = Uuid, Path, description = "Its id")),
    responses(
        (status = 200, description = "Whether the caller follows it", body = FollowState),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 404, description = "No such thing visible to the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/follows/{target}/{id}")]
pub async fn follow_get(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(FollowTargetDto, Uuid)>,
) -> Result<web::Json<FollowState>, ApiError> {
    let (target, id) = path.into_inner();
    let following = st.notifications.is_following(&who.0, target.into(), id).await?;
    Ok(web::Json(FollowState { following }))
}

/// Follow it
///
/// Its changes then reach the caller by their notification preferences. Idempotent.
#[utoipa::path(
    tag = "accounts", operation_id = "follow_put",
    params(("target" = FollowTargetDto, Path, description = "What kind of thing"), ("id" = Uuid, Path, description = "Its id")),
    responses(
        (status = 200, description = "Following", body = FollowState),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such thing visible to the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/me/follows/{target}/{id}")]
pub async fn follow_put(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(FollowTargetDto, Uuid)>,
) -> Result<web::Json<FollowState>, ApiError> {
    let (target, id) = path.into_inner();
    st.notifications.follow(&who.0, target.into(), id).await?;
    Ok(web::Json(FollowState { following: true }))
}

/// Stop following it
///
/// Idempotent.
#[utoipa::path(
    tag = "accounts", operation_id = "follow_delete",
    params(("target" = FollowTargetDto, Path, description = "What kind of thing"), ("id" = Uuid, Path, description = "Its id")),
    responses(
        (status = 200, description = "Not following", body = FollowState),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/me/follows/{target}/{id}")]
pub async fn follow_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(FollowTargetDto, Uuid)>,
) -> Result<web::Json<FollowState>, ApiError> {
    let (target, id) = path.into_inner();
    st.notifications.unfollow(&who.0, target.into(), id).await?;
    Ok(web::Json(FollowState { following: false }))
}

/// How one kind of notification reaches the user.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferenceResponse {
    /// The kind, e.g. `meeting.cancelled`.
    #[schema(example = "meeting.cancelled")]
    pub kind: String,
    pub delivery: DeliveryDto,
    /// Nothing chosen: the kind's default applies.
    pub is_default: bool,
}

/// The delivery of every kind of notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferenceList {
    pub items: Vec<PreferenceResponse>,
}

fn preference_dto(p: Preference) -> PreferenceResponse {
    PreferenceResponse { kind: p.kind.to_owned(), delivery: p.delivery.into(), is_default: p.is_default }
}

/// A kind of notification: the domain's list, so the spec never lags behind it.
fn notification_kind() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(pnyx_domain::notifications::kind::ALL))
        .examples(["meeting.cancelled"])
        .build()
}

/// One kind's delivery to set.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceChange {
    /// One of the kinds of notification (the spec lists them).
    #[schema(schema_with = notification_kind)]
    pub kind: String,
    pub delivery: DeliveryDto,
}

/// Deliveries to set (the kinds not named stay as they are).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"preferences": [{"kind": "meeting.cancelled", "delivery": "email"}, {"kind": "commitment.progress", "delivery": "off"}]}))]
pub struct UpdatePreferencesRequest {
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub preferences: Vec<PreferenceChange>,
}

/// List my notification preferences
///
/// Every kind, with the caller's choice or the kind's default.
#[utoipa::path(
    tag = "accounts", operation_id = "notification_preference_list",
    responses(
        (status = 200, description = "Every kind's delivery", body = PreferenceList),
        (status = 401, response = crate::error::problems::Unauthorized),
    ),
    security(("bearer_auth" = []))
)]
#[get("/me/notification-preferences")]
pub async fn preference_list(st: web::Data<AppState>, who: SignedIn) -> Result<web::Json<PreferenceList>, ApiError> {
    let items = st.notifications.preferences(&who.0).await?.into_iter().map(preference_dto).collect();
    Ok(web::Json(PreferenceList { items }))
}

/// Change my notification preferences
///
/// All or nothing: an unknown kind changes nothing.
#[utoipa::path(
    tag = "accounts", operation_id = "notification_preference_update",
    request_body = UpdatePreferencesRequest,
    responses(
        (status = 200, description = "Every kind's delivery, after the change", body = PreferenceList),
        (status = 400, response = crate::error::problems::MalformedJson),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/me/notification-preferences")]
pub async fn preference_update(
    st: web::Data<AppState>,
    who: SignedIn,
    body: ValidJson<UpdatePreferencesRequest>,
) -> Result<web::Json<PreferenceList>, ApiError> {
    let prefs = body.0.preferences.into_iter().map(|p| (p.kind, p.delivery.into())).collect();
    let items = st.notifications.set_preferences(&who.0, prefs).await?.into_iter().map(preference_dto).collect();
    Ok(web::Json(PreferenceList { items }))
}

/// `?token=` of the unsubscribe link.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeParams {
    /// The signed token from the e-mail's `List-Unsubscribe` header.
    pub token: String,
}

/// What the unsubscribe changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unsubscribed {
    /// The kinds no longer e-mailed (they stay in the app); empty when nothing was e-mailed.
    pub kinds: Vec<String>,
}

/// Unsubscribe from a kind of e-mail (one click)
///
/// RFC 8058 one-click unsubscribe: the URL of a notification e-mail's `List-Unsubscribe` header,
/// POSTed by the mail client with the body `List-Unsubscribe=One-Click` (the body is not
/// needed). No sign-in: the signed token names the user and the kind, whose e-mail is turned
/// off (the digest's token turns the digest off). Idempotent.
#[utoipa::path(
    tag = "accounts", operation_id = "notification_unsubscribe",
    params(UnsubscribeParams),
    responses(
        (status = 200, description = "Unsubscribed", body = Unsubscribed),
        (status = 400, description = "A forged, altered or expired token (`invalid-token`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/unsubscribe")]
pub async fn unsubscribe(
    st: web::Data<AppState>,
    q: web::Query<UnsubscribeParams>,
) -> Result<web::Json<Unsubscribed>, ApiError> {
    let kinds = st.notifications.unsubscribe(&q.token).await?;
    Ok(web::Json(Unsubscribed { kinds: kinds.into_iter().map(str::to_owned).collect() }))
}
