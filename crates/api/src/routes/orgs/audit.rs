//! An organisation's public log of staff changes.

use crate::error::ApiError;
use crate::extract::PageParams;
use crate::state::AppState;
use actix_web::{get, web};

#[allow(unused_imports)]
use super::*;

/// List staff changes
///
/// The organisation's public log of what its staff changed, newest first.
#[utoipa::path(
    tag = "organisations", operation_id = "audit_entry_list",
    params(("org" = String, Path, description = "The organisation's slug"), PageParams),
    responses(
        (status = 200, description = "A page of log entries", body = AuditEntryList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(())
)]
#[get("/orgs/{org}/audit-log")]
pub async fn audit_list(
    st: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<PageParams>,
) -> Result<web::Json<AuditEntryList>, ApiError> {
    let page = st.orgs.audit_log(&path, q.page()?).await?;
    Ok(web::Json(AuditEntryList::from_page(page, audit_dto)))
}
