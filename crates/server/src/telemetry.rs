//! Logging: `tracing` to stdout. Every request runs in a span carrying its request id
//! (`tracing-actix-web`), echoed to the client as `X-Request-Id`, and ends with one log line: method,
//! path, status, duration and, for a 500, the cause chain the API kept (logged nowhere else).

use std::time::Instant;

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use pnyx_api::error::InternalCause;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The response header that carries the request id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

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

/// The root span of a request: just its id (method, path and status are on the closing line).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        tracing::info_span!("request", request_id = %id)
    }

    fn on_request_end<B: MessageBody>(_: Span, _: &Result<ServiceResponse<B>, Error>) {}
}

/// Logs every request once it is answered, and echoes its id in `X-Request-Id`.
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
    let id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut res = next.call(req).await?;
    let status = res.status().as_u16();
    let ms = format!("{:.1}", start.elapsed().as_secs_f64() * 1000.0);
    if let Some(v) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    if status >= 500 {
        let cause = res.response().extensions().get::<InternalCause>().map(|c| c.0.clone()).unwrap_or_default();
        tracing::error!(%method, %path, status, duration_ms = %ms, %cause, "request failed");
    } else {
        tracing::info!(%method, %path, status, duration_ms = %ms, "request");
    }
    Ok(res)
}
