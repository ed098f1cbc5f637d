mod audit;
mod dto;
mod members;
mod organisations;

pub use audit::*;
pub use dto::*;
pub use members::*;
pub use organisations::*;

use crate::error::ApiError;
use crate::state::AppState;
use pnyx_domain::org::Organisation;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(org_list)
        .service(org_create)
        .service(org_get)
        .service(org_update)
        .service(member_list)
        .service(member_put)
        .service(member_delete)
        .service(audit_list)
        .service(user_lookup);
}

/// The organisation addressed by the path's slug, or 404.
///
/// # Errors
/// 404 for an unknown slug.
pub async fn org_of(st: &AppState, slug: &str) -> Result<Organisation, ApiError> {
    Ok(st.orgs.get(slug).await?)
}
