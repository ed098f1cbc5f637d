//! Programmes across municipalities: platform admins create them and invite organisations, each
//! organisation's admin accepts or declines, and a public page shows the members side by side
//! (as JSON and CSV).

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(programme_list)
        .service(programme_create)
        .service(programme_overview_csv)
        .service(programme_overview)
        .service(programme_get)
        .service(programme_invite)
        .service(org_programme_list)
        .service(org_programme_decide);
}
