//! Participatory budgets: processes and their phases, proposals with review and supports, the
//! secret ballot, results by the process's outcome rule, pabulib import and export, and the
//! winners' implementation (tracked in the shared history, like commitments).
//!
//! Each handler extracts, calls one use case of [`pnyx_domain::budget::BudgetService`] and maps
//! the answer to a DTO; the rules and the authorization are the service's.

mod ballots;
pub mod dto_ballot;
pub mod dto_process;
pub mod dto_proposal;
mod implementation;
mod pabulib;
mod paper;
mod processes;
mod proposals;
mod results;
mod reviews;

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use pnyx_domain::budget::BudgetError;
use pnyx_domain::budget::service::{BudgetView, ProposalView};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ErrorCode, FieldError};
use crate::extract::etag;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(processes::budget_list)
        .service(pabulib::budget_import)
        .service(processes::budget_create)
        .service(processes::budget_get)
        .service(processes::budget_update)
        .service(processes::budget_transition)
        .service(pabulib::budget_export)
        .service(proposals::proposal_list)
        .service(proposals::proposal_create)
        .service(proposals::proposal_get)
        .service(proposals::proposal_update)
        .service(reviews::proposal_review)
        .service(reviews::proposal_support)
        .service(implementation::project_update_list)
        .service(implementation::project_update_create)
        .service(ballots::ballot_get)
        .service(ballots::ballot_cast)
        .service(paper::paper_ballots_enter)
        .service(results::budget_results);
}

impl From<BudgetError> for ApiError {
    fn from(e: BudgetError) -> Self {
        use BudgetError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::BallotRuleBroken(message) => ApiError::validation(vec![FieldError { field: "choices".into(), message }])
                .with_code(ErrorCode::BallotRuleBroken),
            E::WrongPhase { .. } => ApiError::conflict(ErrorCode::WrongPhase, e.to_string()),
            E::InvalidTransition(p) => ApiError::conflict(ErrorCode::InvalidTransition, p.to_string()),
            E::RulesFixed => ApiError::conflict(ErrorCode::RulesFixed, e.to_string()),
            E::NotVerified => ApiError::new(StatusCode::FORBIDDEN, ErrorCode::NotVerified, e.to_string()),
            E::NotAuthor => ApiError::forbidden(),
            E::NotFeasible => ApiError::conflict(ErrorCode::NotFeasible, e.to_string()),
            E::AlreadySupported => ApiError::conflict(ErrorCode::AlreadySupported, e.to_string()),
            E::NotAWinner => ApiError::conflict(ErrorCode::NotAWinner, e.to_string()),
            E::BallotKeyChanged => ApiError::conflict(ErrorCode::BallotKeyChanged, e.to_string()),
            E::OneDistrictOnly => ApiError::conflict(ErrorCode::OneDistrictOnly, e.to_string()),
            E::IdempotencyKeyReused => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::IdempotencyKeyReused, e.to_string())
            }
            E::Stale => ApiError::precondition_failed(),
            E::Busy { retry_after } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ResultsBusy, e.to_string())
                    .with_header(header::RETRY_AFTER, header::HeaderValue::from(retry_after))
            }
            E::Repo(r) => r.into(),
            E::Internal(cause) => ApiError::internal(cause),
        }
    }
}

/// A process with its version as `ETag`.
fn budget_http(status: StatusCode, v: &BudgetView) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(v.budget.updated_at)))
        .json(dto_process::budget_dto(v))
}

/// A proposal with its version as `ETag`.
fn proposal_http(status: StatusCode, v: &ProposalView) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(v.proposal.updated_at)))
        .json(dto_proposal::proposal_dto(v))
}

/// Image and photo links must be `http:` or `https:` addresses of at most 2000 characters (the
/// request's format, as the spec's `WebUrl` states it, checked before the use case).
fn check_images(field: &str, images: &[String]) -> Result<(), ApiError> {
    for (i, url) in images.iter().enumerate() {
        if crate::dto::web_url(url).is_err() || url.chars().count() > 2000 {
            return Err(ApiError::field(format!("{field}[{i}]"), "must be an http:// or https:// address"));
        }
    }
    Ok(())
}
