//! Action plans and commitments (OGP Local): plans with their status graph, commitments with
//! milestones and computed completion, the public progress history, co-owners, and overview
//! numbers. Each handler extracts, calls one [`ActionPlanService`] use case and maps its answer.
//!
//! [`ActionPlanService`]: pnyx_domain::action_plans::ActionPlanService

use pnyx_domain::action_plans::ActionPlanError;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ErrorCode};

pub mod co_owners;
pub mod commitments;
pub mod dto;
pub mod dto_tracking;
pub mod milestones;
pub mod ogp;
pub mod plans;
pub mod progress;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(plans::action_plan_list)
        .service(plans::action_plan_create)
        .service(plans::action_plan_get)
        .service(plans::action_plan_update)
        .service(plans::action_plan_transition)
        .service(plans::action_plan_overview)
        .service(commitments::commitment_list)
        .service(commitments::commitment_create)
        .service(commitments::commitment_get)
        .service(commitments::commitment_update)
        .service(milestones::milestone_create)
        .service(milestones::milestone_update)
        .service(progress::progress_list)
        .service(progress::progress_create)
        .service(co_owners::co_owner_list)
        .service(co_owners::co_owner_create)
        .service(co_owners::co_owner_update)
        .service(co_owners::co_owner_delete)
        .service(ogp::action_plan_ogp_csv)
        .service(ogp::action_plan_ogp_json)
        .service(ogp::action_plan_ogp_import);
}

impl From<ActionPlanError> for ApiError {
    fn from(e: ActionPlanError) -> Self {
        match e {
            ActionPlanError::Authz(a) => a.into(),
            ActionPlanError::NotFound(what) => ApiError::not_found(what),
            ActionPlanError::Stale => ApiError::precondition_failed(),
            ActionPlanError::InvalidTransition(t) => ApiError::conflict(ErrorCode::InvalidTransition, t.to_string()),
            ActionPlanError::Invalid { field, message } => ApiError::field(field, message),
            ActionPlanError::AlreadyCoOwner => {
                ApiError::conflict(ErrorCode::AlreadyCoOwner, "You already volunteered for this commitment.")
            }
            ActionPlanError::Repo(r) => r.into(),
        }
    }
}
