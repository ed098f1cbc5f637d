//! `GET /metrics` for the operator, in Prometheus' text format: requests and their latency per
//! route pattern (`/api/v1/orgs/{org}`, never the raw path), method and status; the database
//! connection pool's use; the background backlog (the mail outbox, notifications waiting for a
//! digest). Off (404) unless `PNYX_METRICS_TOKEN` is set, then only with
//! `Authorization: Bearer <that token>` (401 otherwise). Not part of the public API or its spec.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, web};
use pnyx_api::error::ApiError;
use pnyx_api::state::AppState;
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};
use secrecy::{ExposeSecret, SecretString};

/// The path the metrics are served at.
pub const PATH: &str = "/metrics";

/// This process's metrics and the token that reads them.
pub struct Metrics {
    token: SecretString,
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    pool: IntGaugeVec,
    pool_max: IntGauge,
    database_up: IntGauge,
    backlog: IntGaugeVec,
}

/// A metric that cannot be registered (a duplicate name: a bug).
#[derive(Debug, thiserror::Error)]
#[error("metrics: {0}")]
pub struct MetricsError(#[from] prometheus::Error);

impl Metrics {
    /// A registry of its own (several servers in one test process each count their own).
    ///
    /// # Errors
    /// When a metric cannot be registered.
    pub fn new(token: SecretString) -> Result<Self, MetricsError> {
        let registry = Registry::new_custom(Some("pnyx".into()), None)?;
        let labels = &["method", "route", "status"];
        let requests =
            IntCounterVec::new(Opts::new("http_requests_total", "HTTP requests answered, by route pattern"), labels)?;
        let duration = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request, by route pattern")
                .buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]),
            labels,
        )?;
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database connections of this process, in use or idle"),
            &["state"],
        )?;
        let pool_max = IntGauge::new("db_pool_max_connections", "The most connections the pool opens")?;
        let database_up = IntGauge::new("database_up", "1 when the database answered the last scrape, else 0")?;
        let backlog = IntGaugeVec::new(
            Opts::new("background_backlog", "Background work waiting in the database, by queue"),
            &["queue"],
        )?;
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(duration.clone()),
            Box::new(pool.clone()),
            Box::new(pool_max.clone()),
            Box::new(database_up.clone()),
            Box::new(backlog.clone()),
        ] {
            registry.register(c)?;
        }
        Ok(Metrics { token, registry, requests, duration, pool, pool_max, database_up, backlog })
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.duration.with_label_values(&labels).observe(seconds);
    }

    fn authorized(&self, req: &HttpRequest) -> bool {
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .trim()
            .as_bytes();
        let want = self.token.expose_secret().as_bytes();
        // In constant time: the comparison does not tell how much of the token was right.
        sent.len() == want.len() && sent.iter().zip(want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    fn render(&self, ops: &pnyx_domain::health::Operations) -> Result<String, prometheus::Error> {
        let in_use = i64::from(ops.pool.open.saturating_sub(ops.pool.idle));
        self.pool.with_label_values(&["in_use"]).set(in_use);
        self.pool.with_label_values(&["idle"]).set(i64::from(ops.pool.idle));
        self.pool_max.set(i64::from(ops.pool.max));
        self.database_up.set(i64::from(ops.backlog.is_some()));
        if let Some(b) = ops.backlog {
            let gauge = |queue: &str, n: u64| {
                self.backlog.with_label_values(&[queue]).set(i64::try_from(n).unwrap_or(i64::MAX));
            };
            gauge("mail_pending", b.mail_pending);
            gauge("mail_due", b.mail_due);
            gauge("mail_failed", b.mail_failed);
            gauge("digest_notifications", b.digest_notifications_pending);
            gauge("mail_oldest_pending_seconds", b.mail_oldest_pending_secs);
        }
        let mut out = Vec::new();
        prometheus::TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// Counts every request under its route pattern (`unmatched` for paths no route takes, so that
/// scanners cannot grow the label set), method and status, with its latency.
///
/// # Errors
/// Passes on the inner service's error.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let start = Instant::now();
    let res = next.call(req).await?;
    if let Some(m) = metrics {
        let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned());
        m.observe(res.request().method().as_str(), &route, res.status().as_u16(), start.elapsed().as_secs_f64());
    }
    Ok(res)
}

/// `GET /metrics`: the text exposition, for `Authorization: Bearer <PNYX_METRICS_TOKEN>` only.
///
/// # Errors
/// 401 without the token.
pub async fn serve(req: HttpRequest, m: web::Data<Metrics>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if !m.authorized(&req) {
        return Err(ApiError::unauthorized("Send `Authorization: Bearer <PNYX_METRICS_TOKEN>`."));
    }
    let ops = st.health.operations().await;
    let body = m.render(&ops).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
