//! Threads and their comments: reading (public), posting and replying, editing and deleting
//! one's own, staff closing a thread, and residents' reports.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, ValidJson};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

/// Read a thread
///
/// Public. The comments on one resource that answer nothing, oldest first, a page at a time, each
/// with its replies (oldest first). Deleted comments stay as tombstones without text so that
/// their replies stay readable; a comment hidden by a moderator shows the moderator's reason.
/// `can` says what the caller may do with the thread and each comment.
#[utoipa::path(
    tag = "comments", operation_id = "thread_get",
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("kind" = TargetKindDto, Path, description = "What the thread is about"),
        ("target_id" = Uuid, Path, description = "The resource"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of the thread", body = ThreadResponse),
        (status = 404, description = "No such resource, or not public", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/threads/{kind}/{target_id}")]
pub async fn thread_get(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, TargetKindDto, Uuid)>,
    q: web::Query<PageParams>,
) -> Result<web::Json<ThreadResponse>, ApiError> {
    let (_, kind, id) = path.into_inner();
    let t = st.comments.thread(&who.0, org.0.id, target(kind, id), q.page()?).await?;
    Ok(web::Json(thread_dto(t)))
}

/// Close or reopen a thread
///
/// Staff (admin, official or moderator) close a resource's comments, or open them again. The
/// organisation's public audit log records it.
#[utoipa::path(
    tag = "comments", operation_id = "thread_update", request_body = UpdateThreadRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("kind" = TargetKindDto, Path, description = "What the thread is about"),
        ("target_id" = Uuid, Path, description = "The resource"),
    ),
    responses(
        (status = 200, description = "The thread's state", body = ThreadStateResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such resource, or not public", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/threads/{kind}/{target_id}")]
pub async fn thread_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, TargetKindDto, Uuid)>,
    body: ValidJson<UpdateThreadRequest>,
) -> Result<web::Json<ThreadStateResponse>, ApiError> {
    let (_, kind, id) = path.into_inner();
    let closed = st.comments.set_closed(&who.0, org.0.id, target(kind, id), body.0.closed).await?;
    Ok(web::Json(ThreadStateResponse { closed }))
}

/// Post a comment
///
/// Any signed-in resident, on a public resource, while its thread is open. `parent_id` makes it a
/// reply; a reply to a reply is refused (422 on `parent_id`). Staff's comments are marked
/// `official`. At most 5 comments a minute per account (429 `rate-limited` with `Retry-After`).
/// Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "comments", operation_id = "comment_create", request_body = CreateCommentRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("kind" = TargetKindDto, Path, description = "What the thread is about"),
        ("target_id" = Uuid, Path, description = "The resource"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 201, description = "Posted", body = CommentResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Blocked from commenting here for now (`commenting-blocked`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resource, or not public", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Comments are closed (`comments-closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty or too long body, or a parent that is not a comment of this thread or is a reply", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many comments in a minute (`rate-limited`)", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/threads/{kind}/{target_id}/comments")]
pub async fn comment_create(
    org: OrgRef,
    st: web::Data<AppState>,
    req: HttpRequest,
    who: Auth,
    key: IdempotencyKey,
    path: web::Path<(String, TargetKindDto, Uuid)>,
    body: ValidJson<CreateCommentRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, kind, id) = path.into_inner();
    let b = body.0;
    let user = who.0.user_id().ok_or_else(|| ApiError::unauthorized("Sign in to comment."))?;
    let fp = fingerprint(&req, serde_json::json!([b.body, b.parent_id]).to_string().as_bytes());
    let run = || async {
        let c = st.comments.post(&who.0, org.0.id, target(kind, id), &b.body, b.parent_id.map(Into::into)).await?;
        let body = serde_json::to_value(comment_dto(c)).map_err(ApiError::internal)?;
        Ok((StatusCode::CREATED, body))
    };
    idempotent(&st, user, key, fp, run).await
}

/// Edit one's comment
///
/// Its author, within 15 minutes of posting (409 `edit-window-over` after), while the thread is
/// open and no moderator holds the comment.
#[utoipa::path(
    tag = "comments", operation_id = "comment_update", request_body = UpdateCommentRequest,
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The comment")),
    responses(
        (status = 200, description = "Edited", body = CommentResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such comment (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Past the edit window (`edit-window-over`) or comments closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/comments/{id}")]
pub async fn comment_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<UpdateCommentRequest>,
) -> Result<web::Json<CommentResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let c = st.comments.edit(&who.0, org.0.id, id.into(), &body.0.body).await?;
    Ok(web::Json(comment_dto(c)))
}

/// Delete one's comment
///
/// Its author. The comment stays in the thread as "deleted", without its text, so that its
/// replies stay readable.
#[utoipa::path(
    tag = "comments", operation_id = "comment_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The comment")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such comment (or already deleted)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/comments/{id}")]
pub async fn comment_delete(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    st.comments.delete(&who.0, org.0.id, id.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Report an item
///
/// Anyone signed in reports a comment, a budget proposal or a consultation opinion, once (409
/// `already-reported` for a repeat). When an item's open reports reach the organisation's
/// threshold (default 3) it is held back until a moderator decides (comments and opinions; a
/// proposal stays up and waits in the moderation queue).
#[utoipa::path(
    tag = "comments", operation_id = "report_create", request_body = CreateReportRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Reported", body = ReportResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "One's own item", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or not public", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already reported (`already-reported`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/reports")]
pub async fn report_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let report = pnyx_domain::comments::NewReport { item: b.item(), reason: b.reason.into(), details: b.details };
    st.comments.report(&who.0, org.0.id, report).await?;
    Ok(HttpResponse::Created().json(ReportResponse { item_kind: b.item_kind, item_id: b.item_id, reason: b.reason }))
}
