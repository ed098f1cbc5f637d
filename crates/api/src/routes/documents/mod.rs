//! The documents library: the public list with filters and paging, one document with its files
//! and links, staff create, edit and delete; links from action plans, meetings, consultations and
//! budgets to documents, and the documents linked to one of them.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(document_list)
        .service(document_create)
        .service(document_get)
        .service(document_update)
        .service(document_delete)
        .service(document_link)
        .service(document_unlink)
        .service(linked_document_list);
}
