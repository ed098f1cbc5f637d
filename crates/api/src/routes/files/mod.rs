//! Files attached to resources: uploads (`multipart/form-data`, streamed), lists per resource,
//! records, downloads (ranges, `ETag`, `Content-Disposition` with the original name) and deletion.

mod dto;
mod handlers;
mod more;

pub use dto::*;
pub use handlers::*;
pub use more::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(meeting_file_list)
        .service(meeting_file_upload)
        .service(proposal_file_list)
        .service(proposal_file_upload)
        .service(report_file_list)
        .service(report_file_upload)
        .service(file_get)
        .service(file_content)
        .service(file_delete)
        .service(org_logo_put)
        .service(org_logo_delete)
        .service(document_file_list)
        .service(document_file_upload)
        .service(consultation_file_list)
        .service(consultation_file_upload)
        .service(commitment_file_list)
        .service(commitment_file_upload);
}
