//! Members and roles of an organisation. Nobody finds accounts by e-mail: staff are invited
//! (see `invitations`).

use crate::error::{ApiError, Problem};
use crate::extract::{PageParams, SignedIn, ValidJson};
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, put, web};
use pnyx_domain::auth::Membership;
use uuid::Uuid;

#[allow(unused_imports)]
use super::*;

/// List members
///
/// Users holding a role or verified residency in the organisation. Requires: the organisation's admin.
#[utoipa::path(
    tag = "members", operation_id = "member_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), PageParams),
    responses(
        (status = 200, description = "A page of members", body = MemberList),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
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
    let page = st.orgs.members(&who.caller(), &path, q.page()?).await?;
    Ok(web::Json(MemberList::from_page(page, member_dto)))
}

/// Grant roles to a user
///
/// Sets exactly these roles and the verified flag (an empty role list keeps a verified resident).
/// Requires: the organisation's admin. The last admin cannot be demoted.
#[utoipa::path(
    tag = "members", operation_id = "member_put", request_body = PutMemberRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("user_id" = Uuid, Path, description = "The user"),
    ),
    responses(
        (status = 200, description = "The membership now", body = MemberResponse),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, description = "Not an admin of it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would leave no admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
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
    let m = st.orgs.put_member(&who.caller(), &slug, user_id.into(), membership).await?;
    Ok(web::Json(member_dto(m)))
}

/// Remove a member
///
/// Takes away every role and the verified flag. Requires: the organisation's admin.
#[utoipa::path(
    tag = "members", operation_id = "member_delete",
    params(
        ("org" = String, Path, description = "The organisation's slug or id"),
        ("user_id" = Uuid, Path, description = "The user"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, response = crate::error::problems::Unauthorized),
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
    st.orgs.remove_member(&who.caller(), &slug, user_id.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}
