//! Logging: `tracing` to stdout, one line per request with method, path, status and duration.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber; a bad filter falls back to `info` with a warning.
pub fn init(filter: &str, format: LogFormat) {
    let (env_filter, bad) = match EnvFilter::try_new(filter) {
        Ok(f) => (f, false),
        Err(_) => (EnvFilter::new("info"), true),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(env_filter).with_target(false);
    let result = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
    // Tests install it more than once; the first wins.
    let _ = result;
    if bad {
        tracing::warn!("PNYX_LOG `{filter}` is not a valid filter; using `info`");
    }
}

/// Logs every request once it is answered.
///
/// # Errors
/// Passes on the inner service's error.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_owned();
    let res = next.call(req).await?;
    let status = res.status().as_u16();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%method, %path, status, duration_ms = format!("{ms:.1}"), "request");
    } else {
        tracing::info!(%method, %path, status, duration_ms = format!("{ms:.1}"), "request");
    }
    Ok(res)
}
