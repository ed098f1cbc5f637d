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
