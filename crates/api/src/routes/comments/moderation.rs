//! An organisation's moderation, for its admins and moderators: the queue of reported items,
//! decisions on them, blocks, and the report threshold. Every act is in the public audit log,
//! without the resident's identity.

use actix_web::{HttpResponse, delete, get, post, put, web};
use pnyx_domain::comments::{BlockRequest, Decision, ItemRef, ModerationSettings};
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{Auth, OrgRef, PageParams, ValidJson};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

/// List the moderation queue
///
/// Moderators (admin or moderator). Items with open reports, with their counts, reasons and
/// texts, the reported text and a link to where it is shown; newest report first, or
/// `?sort=most_reported`.
#[utoipa::path(
    tag = "moderation", operation_id = "moderation_queue_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), QueueParams, PageParams),
    responses(
        (status = 200, description = "A page of reported items", body = QueueList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/moderation/queue")]
pub async fn moderation_queue_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    sort: web::Query<QueueParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<QueueList>, ApiError> {
    let sort = sort.sort.unwrap_or_default().into();
    let page = st.moderation.queue(&who.0, org.0.id, sort, q.page()?).await?;
    Ok(web::Json(QueueList::from_page(page, queue_dto)))
}

/// Decide on a reported item
///
/// Moderators. `hide` (with a public `reason`, shown in the item's place), `restore` (show it
/// again, close its reports) or `dismiss` (close its reports; a hold that rested on them ends).
/// A hidden budget proposal keeps its title and its place in the process; residents see the
/// reason instead of its description, location and images. The public audit log records the
/// decision, naming the item, not its author.
#[utoipa::path(
    tag = "moderation", operation_id = "moderation_decision_create", request_body = DecisionRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("kind" = ItemKindDto, Path, description = "The kind of item"),
        ("id" = Uuid, Path, description = "The item"),
    ),
    responses(
        (status = 204, description = "Decided"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/moderation/items/{kind}/{id}/decisions")]
pub async fn moderation_decision_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, ItemKindDto, Uuid)>,
    body: ValidJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, kind, id) = path.into_inner();
    let b = body.0;
    let decision = match b.decision {
        DecisionKindDto::Hide => Decision::Hide { reason: b.reason.unwrap_or_default() },
        DecisionKindDto::Restore => Decision::Restore,
        DecisionKindDto::Dismiss => Decision::Dismiss,
    };
    st.moderation.decide(&who.0, org.0.id, ItemRef { kind: kind.into(), id }, decision).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List blocks in force
///
/// Moderators. Residents kept from commenting in the organisation, newest first.
#[utoipa::path(
    tag = "moderation", operation_id = "block_list",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The blocks in force", body = BlockList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/moderation/blocks")]
pub async fn block_list(org: OrgRef, st: web::Data<AppState>, who: Auth) -> Result<web::Json<BlockList>, ApiError> {
    let blocks = st.moderation.blocks(&who.0, org.0.id).await?;
    Ok(web::Json(BlockList { items: blocks.into_iter().map(block_dto).collect() }))
}

/// Block a resident from commenting
///
/// Moderators. Until `until`, the resident's comments in this organisation are refused (403
/// `commenting-blocked`). The public audit log records the block by its id and end, not whom.
#[utoipa::path(
    tag = "moderation", operation_id = "block_create", request_body = CreateBlockRequest,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 201, description = "Blocked", body = BlockResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/moderation/blocks")]
pub async fn block_create(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<CreateBlockRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.0;
    let r = BlockRequest { user_id: b.user_id.into(), until: b.until, reason: b.reason };
    let block = st.moderation.block(&who.0, org.0.id, r).await?;
    Ok(HttpResponse::Created().json(block_dto(block)))
}

/// Lift a block
///
/// Moderators, before the block ends.
#[utoipa::path(
    tag = "moderation", operation_id = "block_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The block")),
    responses(
        (status = 204, description = "Lifted"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such block in force", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/moderation/blocks/{id}")]
pub async fn block_delete(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    st.moderation.unblock(&who.0, org.0.id, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Get the moderation settings
///
/// Moderators. How many open reports hold an item back.
#[utoipa::path(
    tag = "moderation", operation_id = "moderation_settings_get",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The settings", body = ModerationSettingsDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/moderation/settings")]
pub async fn moderation_settings_get(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
) -> Result<web::Json<ModerationSettingsDto>, ApiError> {
    let s = st.moderation.settings(&who.0, org.0.id).await?;
    Ok(web::Json(ModerationSettingsDto { report_threshold: s.report_threshold }))
}

/// Change the moderation settings
///
/// The organisation's admins. The audit log records the change.
#[utoipa::path(
    tag = "moderation", operation_id = "moderation_settings_update", request_body = ModerationSettingsDto,
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "The settings", body = ModerationSettingsDto),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/moderation/settings")]
pub async fn moderation_settings_update(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    body: ValidJson<ModerationSettingsDto>,
) -> Result<web::Json<ModerationSettingsDto>, ApiError> {
    let s = ModerationSettings { report_threshold: body.0.report_threshold };
    let s = st.moderation.put_settings(&who.0, org.0.id, s).await?;
    Ok(web::Json(ModerationSettingsDto { report_threshold: s.report_threshold }))
}
