//! Surveys: staff define questions (with display conditions the SPA evaluates exactly as the
//! server does), signed-in residents respond while a survey is open, and results and a CSV
//! export are computed from the responses.
//!
//! The question, answer and result bodies mirror the domain's JSON shapes one to one; they exist
//! so that the spec (and the generated client) describe them. They are converted through JSON.

mod dto;
mod responses;
mod results;
mod survey;

pub use dto::*;
pub use responses::*;
pub use results::*;
pub use survey::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(survey_list)
        .service(survey_create)
        .service(survey_get)
        .service(survey_update)
        .service(response_create)
        .service(response_get_mine)
        .service(survey_results)
        .service(survey_results_csv);
}
