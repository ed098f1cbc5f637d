//! The signed-in user's in-app notifications.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use pnyx_domain::notifications::{Notification, NotificationError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{PageParams, SignedIn};
use crate::list_response;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(notification_list).service(notification_read);
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
            NotificationError::NotFound => ApiError::not_found("notification"),
            NotificationError::Repo(r) => r.into(),
        }
    }
}
