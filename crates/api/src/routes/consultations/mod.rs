//! Consultations: the calendar of planned, open and closed ones, opinions with staff answers and
//! moderation, and the report the municipality publishes afterwards.

mod consultation;
mod dto;
mod opinions;

pub use consultation::*;
pub use dto::*;
pub use opinions::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(consultation_list)
        .service(consultation_create)
        .service(consultation_get)
        .service(consultation_update)
        .service(consultation_report_publish)
        .service(opinion_list)
        .service(opinion_create)
        .service(opinion_update);
}
