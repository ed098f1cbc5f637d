//! Liveness and readiness probes.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz);
}

/// A probe's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResponse {
    #[schema(example = "ok")]
    pub status: String,
}

/// Check the process
///
/// Answers while the process is up; touches nothing else.
#[utoipa::path(
    tag = "health", operation_id = "health_get",
    responses((status = 200, description = "Up", body = HealthResponse)),
    security(())
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok".into() })
}

/// Check the database
///
/// Answers 200 when the database answers, 503 otherwise.
#[utoipa::path(
    tag = "health", operation_id = "readiness_get",
    responses(
        (status = 200, description = "Ready", body = HealthResponse),
        (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/readyz")]
pub async fn readyz(st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match st.health.ping().await {
        Ok(()) => Ok(HttpResponse::Ok().json(HealthResponse { status: "ok".into() })),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            Err(ApiError::new(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                crate::error::ErrorCode::Unavailable,
                "The database does not answer.",
            ))
        }
    }
}

/// While the database is seen down, answers every request under `/api` with 503 at once
/// (problem+json, `Retry-After: 1`) instead of letting it wait for a connection, and lets go of
/// requests already waiting when it goes down. The probes, the spec and the web app's files
/// need no database and pass.
///
/// # Errors
/// 503 while the database is down.
pub async fn fail_fast_without_database(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let path = req.path();
    let needs_database = path.starts_with("/api/") && path != "/api/v1/openapi.json" && !path.starts_with("/api/docs");
    let health = match req.app_data::<web::Data<AppState>>() {
        Some(st) if needs_database => st.health.clone(),
        _ => return next.call(req).await,
    };
    if !health.is_up() {
        return Err(ApiError::database_down().into());
    }
    tokio::select! {
        res = next.call(req) => res,
        () = health.went_down() => Err(ApiError::database_down().into()),
    }
}
