//! Comments on public resources (threads keyed by the resource's kind and id), residents'
//! reports, and the moderation of an organisation: its queue, decisions, blocks and settings.

mod dto;
mod moderation;
mod threads;

pub use dto::*;
pub use moderation::*;
pub use threads::*;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(thread_get)
        .service(thread_update)
        .service(comment_create)
        .service(comment_update)
        .service(comment_delete)
        .service(report_create)
        .service(moderation_queue_list)
        .service(moderation_decision_create)
        .service(block_list)
        .service(block_create)
        .service(block_delete)
        .service(moderation_settings_get)
        .service(moderation_settings_update);
}
