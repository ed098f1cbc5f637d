//! The municipal budget in the open: published years with their programme tree, lines and
//! executed amounts per period, imports from CSV or XLSX (with a dry run), lines entered by hand,
//! revisions and the changes between them, and every figure as CSV.

mod dto;
mod handlers;

pub use dto::*;
pub use handlers::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(budget_year_list)
        .service(budget_year_create)
        .service(budget_year_lines_csv)
        .service(budget_year_changes_csv)
        .service(budget_year_changes)
        .service(budget_year_import)
        .service(budget_line_put)
        .service(budget_line_delete)
        .service(budget_year_get);
}
