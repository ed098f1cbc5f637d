//! `GET /metrics`: off (404) without `PNYX_METRICS_TOKEN`; with it, only for that bearer token,
//! in Prometheus' text format, counting requests by route pattern (never the raw path), showing
//! the connection pool and the background backlog (the mail outbox) as it changes.

use crate::helpers::{Backend, TestApp, assert_problem, spawn_app, spawn_app_with};

const TOKEN: &str = "metrics-token-for-the-tests-2026";

async fn metrics_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |s| s.metrics_token = Some(secrecy::SecretString::from(TOKEN.to_owned()))).await
}

async fn scrape(app: &TestApp) -> String {
    let res = app.get("/metrics", Some(TOKEN)).await;
    assert_eq!(res.status(), 200);
    let ct = res.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    res.text().await.unwrap()
}

/// The value of the sample whose name and labels start with `prefix`.
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find(|l| l.starts_with(prefix))?.rsplit(' ').next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_configured_there_are_no_metrics() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let body = assert_problem(app.get("/metrics", None).await, 404).await;
    assert_eq!(body["code"], "not-found");
    assert_problem(app.get("/metrics", Some(TOKEN)).await, 404).await;
    let spec = app.get("/api/v1/openapi.json", None).await.text().await.unwrap();
    assert!(!spec.contains("/metrics"), "not in the public spec");
}

async fn only_the_token_reads_them(app: TestApp) {
    let body = assert_problem(app.get("/metrics", None).await, 401).await;
    assert_eq!(body["code"], "unauthorized");
    assert_problem(app.get("/metrics", Some("metrics-token-for-the-tests-2027")).await, 401).await;
    assert_problem(app.get("/metrics", Some(&TOKEN[..TOKEN.len() - 1])).await, 401).await;
    // An account's session is no metrics token either.
    let user = app.register("operator@example.org").await;
    assert_problem(app.get("/metrics", Some(&user.token)).await, 401).await;
    let res = app
        .request(reqwest::Method::GET, "/metrics", None)
        .header("authorization", format!("Basic {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(scrape(&app).await.contains("# TYPE pnyx_http_requests_total counter"));
}

async fn requests_are_counted_by_route_pattern_and_the_backlog_shows(app: TestApp) {
    let before = scrape(&app).await;
    assert_eq!(sample(&before, "pnyx_database_up"), Some(1.0));
    assert_eq!(sample(&before, "pnyx_db_pool_max_connections"), Some(8.0), "the test pool's size");
    assert!(sample(&before, "pnyx_db_pool_connections{state=\"idle\"}").is_some(), "{before}");
    let pending = sample(&before, "pnyx_background_backlog{queue=\"mail_pending\"}").expect("the outbox");

    for slug in ["nowhere", "elsewhere", "somewhere-else"] {
        assert_problem(app.get(&format!("/api/v1/orgs/{slug}"), None).await, 404).await;
    }
    app.get("/healthz", None).await;
    assert_problem(app.get("/no/such/path/1234", None).await, 404).await;
    // Registering queues a verification e-mail (no worker runs in the tests to send it).
    app.register_only("resident@example.org").await;

    let after = scrape(&app).await;
    let org = "pnyx_http_requests_total{method=\"GET\",route=\"/api/v1/orgs/{org}\",status=\"404\"}";
    assert_eq!(sample(&after, org), Some(3.0), "one series for the pattern: {after}");
    assert!(!after.contains("nowhere") && !after.contains("/no/such/path"), "raw paths never become labels");
    let unmatched = "pnyx_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}";
    assert_eq!(sample(&after, unmatched), Some(1.0), "{after}");
    assert_eq!(sample(&after, "pnyx_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"), Some(1.0));
    let latency =
        "pnyx_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/orgs/{org}\",status=\"404\"}";
    assert_eq!(sample(&after, latency), Some(3.0));
    assert!(after.contains(
        "pnyx_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",status=\"200\",le=\"0.005\"}"
    ));
    let now_pending = sample(&after, "pnyx_background_backlog{queue=\"mail_pending\"}").unwrap();
    assert_eq!(now_pending, pending + 1.0, "the verification e-mail waits in the outbox");
    assert_eq!(sample(&after, "pnyx_background_backlog{queue=\"mail_due\"}"), Some(now_pending));
    assert_eq!(sample(&after, "pnyx_background_backlog{queue=\"mail_failed\"}"), Some(0.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_metrics_token_reads_the_metrics() {
    only_the_token_reads_them(metrics_app(Backend::Sqlite).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_route_and_show_the_outbox_on_sqlite() {
    requests_are_counted_by_route_pattern_and_the_backlog_shows(metrics_app(Backend::Sqlite).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_by_route_and_show_the_outbox_on_postgres() {
    match metrics_app(Backend::Postgres).await {
        Some(app) => requests_are_counted_by_route_pattern_and_the_backlog_shows(app).await,
        None => eprintln!("PNYX_TEST_POSTGRES_URL is not set: skipped on PostgreSQL"),
    }
}
