//! Headers every response carries (the Content Security Policy and its companions), `no-store`
//! on what holds tokens or the account, and HSTS in production only. Not database-specific: run
//! on SQLite.

use reqwest::Response;
use serde_json::json;

use crate::helpers::{Backend, TestApp, password, spawn_app, spawn_app_with};

fn header(res: &Response, name: &str) -> Option<String> {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned())
}

fn assert_common(res: &Response) {
    let csp = header(res, "content-security-policy").expect("a Content-Security-Policy");
    for directive in
        ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"]
    {
        assert!(csp.split(';').any(|d| d.trim() == directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    let script = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(!script.contains("unsafe-inline"), "no inline script: {csp}");
    assert_eq!(header(res, "x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header(res, "referrer-policy").as_deref(), Some("same-origin"));
    assert_eq!(header(res, "x-frame-options").as_deref(), Some("DENY"));
    let permissions = header(res, "permissions-policy").expect("a Permissions-Policy");
    assert!(permissions.contains("camera=()") && permissions.contains("microphone=()"), "{permissions}");
}

async fn app() -> TestApp {
    spawn_app(Backend::Sqlite).await.expect("sqlite app")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = app().await;
    for path in ["/healthz", "/api/v1/orgs", "/api/v1/orgs/nowhere", "/api/v1/openapi.json", "/nothing-here.js"] {
        let res = app.get(path, None).await;
        assert_common(&res);
        assert!(header(&res, "strict-transport-security").is_none(), "no HSTS in development: {path}");
    }
    // A refused request too (a problem+json answer).
    let res = app.post("/api/v1/auth/login", None, &json!({"email": "x@example.sk"})).await;
    assert!(res.status().is_client_error());
    assert_common(&res);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_the_account_are_never_stored_by_a_cache() {
    let app = app().await;
    let user = app.register("jana@example.sk").await;
    let login = app.login("jana@example.sk", password()).await;
    assert_eq!(login.status(), 200);
    assert_eq!(header(&login, "cache-control").as_deref(), Some("no-store"));
    let me = app.get("/api/v1/me", Some(&user.token)).await;
    assert_eq!(me.status(), 200);
    assert_eq!(header(&me, "cache-control").as_deref(), Some("no-store"));
    let tokens = app.get("/api/v1/me/tokens", Some(&user.token)).await;
    assert_eq!(tokens.status(), 200);
    assert_eq!(header(&tokens, "cache-control").as_deref(), Some("no-store"));
    let created = app.post("/api/v1/me/tokens", Some(&user.token), &json!({"name": "cli", "scope": "read"})).await;
    assert!(created.status().is_success(), "{}", created.status());
    assert_eq!(header(&created, "cache-control").as_deref(), Some("no-store"), "a new API token");
    // A public read may be cached as its handler says; it is not forced to no-store.
    let orgs = app.get("/api/v1/orgs", None).await;
    assert_ne!(header(&orgs, "cache-control").as_deref(), Some("no-store"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_docs_allow_their_inline_styles_and_nothing_more() {
    let app = app().await;
    let res = app.get("/api/docs/", None).await;
    assert_eq!(res.status(), 200);
    let csp = header(&res, "content-security-policy").unwrap();
    assert!(csp.contains("style-src 'self' 'unsafe-inline'"), "{csp}");
    let script = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(!script.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_adds_strict_transport_security() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.env = pnyx::config::Environment::Production).await.unwrap();
    let res = app.get("/healthz", None).await;
    assert_common(&res);
    let hsts = header(&res, "strict-transport-security").expect("HSTS in production");
    assert!(hsts.starts_with("max-age=") && hsts.contains("includeSubDomains"), "{hsts}");
}
