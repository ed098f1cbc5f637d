mod audit;
mod dto;
mod members;
mod organisations;
mod workspace;

pub use audit::*;
pub use dto::*;
pub use members::*;
pub use organisations::*;
pub use workspace::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(org_list)
        .service(org_create)
        .service(org_get)
        .service(org_update)
        .service(member_list)
        .service(member_put)
        .service(member_delete)
        .service(audit_feed)
        .service(audit_list)
        .service(workspace_get);
}
