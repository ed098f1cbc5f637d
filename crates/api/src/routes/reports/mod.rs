//! Residents' reports of communal problems and proposals to the municipality: categories, filing,
//! the public list and page with the status history and answers, supports, the staff queue and
//! status changes, and the statistics.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(report_category_list)
        .service(report_category_create)
        .service(report_category_update)
        .service(report_queue)
        .service(report_stats)
        .service(report_list)
        .service(report_create)
        .service(report_get)
        .service(report_transition)
        .service(report_support)
        .service(report_unsupport)
        .service(report_answer);
}
