//! Content pages: the public menu and pages (Markdown rendered to sanitised HTML by the server),
//! staff create, edit and delete them, and read a page's history of edits.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(page_menu)
        .service(page_create)
        .service(page_get)
        .service(page_update)
        .service(page_delete)
        .service(page_revisions);
}
