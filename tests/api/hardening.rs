//! Tokens and cookies (the refresh token in the cookie only, `__Host-`, `Origin`, JWT issuer,
//! audience and key rotation, API tokens' expiry and revocation, read-only tokens refused by
//! every write), CORS closed unless allowed, and calendar links from the configured public URL.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, json_of, password, spawn_app, spawn_app_with};
use crate::on_both_databases;

async fn sqlite() -> TestApp {
    spawn_app(Backend::Sqlite).await.expect("sqlite app")
}

/// A client like a browser's: a cookie jar, and no request for the refresh token in the body.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().expect("client")
}

async fn api_token(app: &TestApp, session: &str, scope: &str, expires_in_days: Option<u16>) -> Value {
    let body = json!({"name": format!("{scope} token"), "scope": scope, "expires_in_days": expires_in_days});
    json_of(app.post("/api/v1/me/tokens", Some(session), &body).await, 201).await
}

/// Every operation of the spec that is not a read and accepts a bearer token, with its path
/// filled in: `{org}` with `slug`, every other parameter with a fresh UUID.
fn writes_taking_a_token(spec: &Value, slug: &str) -> Vec<(Method, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let Ok(m) = method.to_uppercase().parse::<Method>() else { continue };
            if matches!(m, Method::GET | Method::HEAD | Method::OPTIONS) {
                continue;
            }
            let takes_token = op["security"]
                .as_array()
                .is_some_and(|alts| alts.iter().any(|a| a.as_object().is_some_and(|o| o.contains_key("bearer_auth"))));
            if !takes_token {
                continue;
            }
            let mut filled = String::new();
            for (i, part) in path.split('{').enumerate() {
                if i == 0 {
                    filled.push_str(part);
                    continue;
                }
                let (name, rest) = part.split_once('}').expect("a closed parameter");
                if name == "org" {
                    filled.push_str(slug);
                } else {
                    filled.push_str(&uuid::Uuid::now_v7().to_string());
                }
                filled.push_str(rest);
            }
            out.push((m, filled));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_token_is_refused_by_every_operation_that_is_not_a_read() {
    let app = sqlite().await;
    let admin = app.platform_admin("root@example.org").await;
    app.create_org("mesto").await;
    let read = api_token(&app, &admin.token, "read", None).await["token"].as_str().unwrap().to_owned();
    let spec = json_of(app.get("/api/v1/openapi.json", None).await, 200).await;
    let writes = writes_taking_a_token(&spec, "mesto");
    assert!(writes.len() >= 60, "the walk covers the API's writes: {}", writes.len());

    let tables = ["organisations", "memberships", "api_tokens", "audit_log", "consultations", "meetings", "budgets"];
    let mut before = Vec::new();
    for t in tables {
        before.push(app.scalar(&format!("SELECT COUNT(*) FROM {t}")).await);
    }
    for (method, path) in &writes {
        let res = app.request(method.clone(), path, Some(&read)).json(&json!({})).send().await.expect("request");
        let status = res.status().as_u16();
        let p: Value = res.json().await.unwrap_or_default();
        assert_eq!((status, p["code"].as_str()), (403, Some("read-only-token")), "{method} {path}: {p}");
    }
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM {t}")).await, n, "{t} unchanged");
    }

    // Reads still work with it, and the same write with a session is not refused by the rule.
    assert_eq!(app.get("/api/v1/me", Some(&read)).await.status(), 200);
    let res = app.patch("/api/v1/me", Some(&admin.token), &json!({"display_name": "Root"})).await;
    assert_eq!(res.status(), 200);
}

on_both_databases! {
    async fn api_tokens_expire_and_a_password_change_revokes_them_all(app) {
        let user = app.register("jana@example.sk").await;
        for bad in [json!(0), json!(367), json!(-1), json!("soon")] {
            let body = json!({"name": "x", "scope": "read", "expires_in_days": bad});
            let res = app.post("/api/v1/me/tokens", Some(&user.token), &body).await;
            assert!(res.status() == 422 || res.status() == 400, "{bad}: {}", res.status());
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM api_tokens").await, 0, "nothing stored for bad input");

        let expiring = api_token(&app, &user.token, "read", Some(1)).await;
        let expires_at: chrono::DateTime<Utc> = expiring["expires_at"].as_str().unwrap().parse().unwrap();
        let created_at: chrono::DateTime<Utc> = expiring["created_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(expires_at - created_at, Duration::days(1));
        let lasting = api_token(&app, &user.token, "act", None).await;
        assert!(lasting["expires_at"].is_null());
        let (expiring, lasting) = (expiring["token"].as_str().unwrap(), lasting["token"].as_str().unwrap());
        assert_eq!(app.get("/api/v1/me", Some(expiring)).await.status(), 200);

        app.clock.advance(Duration::days(1) + Duration::seconds(1));
        let p = assert_problem(app.get("/api/v1/me", Some(expiring)).await, 401).await;
        assert_eq!(p["code"], "unauthorized");
        assert_eq!(app.get("/api/v1/me", Some(lasting)).await.status(), 200, "no expiry: still good");

        // A fresh session (the access token above expired with the clock), then a new password.
        let session = json_of(app.login("jana@example.sk", password()).await, 200).await;
        let session = session["access_token"].as_str().unwrap();
        let body = json!({"current_password": password(), "new_password": "a brand new password"});
        assert_eq!(app.post("/api/v1/me/password", Some(session), &body).await.status(), 204);
        assert_problem(app.get("/api/v1/me", Some(lasting)).await, 401).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL").await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refresh_token_reaches_a_web_app_only_in_its_cookie_and_only_from_the_site() {
    let app = sqlite().await;
    app.register("jana@example.sk").await;
    let web = browser();
    let login = web
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "jana@example.sk", "password": password()}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("pnyx_refresh="), "on localhost in development: {cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let body: Value = login.json().await.unwrap();
    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none(), "not in the body for a web app: {body}");

    // Another site's page cannot use the cookie; the token is not spent by the attempt.
    let res = web.post(app.url("/api/v1/auth/refresh")).header("origin", "https://evil.example").send().await.unwrap();
    let p = assert_problem(res, 403).await;
    assert!(p["detail"].as_str().unwrap().contains("this site"), "{p}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM refresh_tokens WHERE used_at IS NOT NULL").await, 0);

    // The site's own page can (same origin), and gets the next token in the cookie only.
    let res = web.post(app.url("/api/v1/auth/refresh")).header("origin", app.address.clone()).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("refresh_token").is_none(), "{body}");
    // A native client asks for it, and gets it in the body too.
    let res = web.post(app.url("/api/v1/auth/refresh")).header("pnyx-refresh-token", "body").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let native: Value = res.json().await.unwrap();
    let token = native["refresh_token"].as_str().expect("in the body when asked").to_owned();
    // One that presents its token in the body gets the next one there without asking.
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap();
    assert!(res.json::<Value>().await.unwrap()["refresh_token"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_refresh_cookie_is_host_prefixed_and_secure() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.env = pnyx::config::Environment::Production).await.unwrap();
    app.register("jana@example.sk").await;
    let res = browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "jana@example.sk", "password": password()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-pnyx_refresh="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/;"] {
        assert!(
            cookie.contains(attribute) || cookie.ends_with(attribute.trim_end_matches(';')),
            "{attribute}: {cookie}"
        );
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
}

on_both_databases! {
    async fn a_rotated_jwt_secret_keeps_sessions_and_a_dropped_one_ends_them(app) {
        let user = app.register("jana@example.sk").await;
        let claims = user.token.split('.').nth(1).unwrap();
        use base64::Engine;
        let claims: Value =
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
        assert_eq!(claims["iss"], "http://localhost:8080", "issued as the public URL");
        assert_eq!(claims["aud"], "pnyx-api");

        let old = app.settings.jwt_secret.clone().unwrap();
        let new = secrecy::SecretString::from("the-next-secret-after-the-rotation-xx".to_owned());
        let rotated = app
            .another_server_with(|s| {
                s.jwt_secret = Some(new.clone());
                s.jwt_previous_secrets = vec![old];
            })
            .await;
        assert_eq!(rotated.get("/api/v1/me", Some(&user.token)).await.status(), 200, "signed by the previous key");
        let fresh = json_of(rotated.login("jana@example.sk", password()).await, 200).await;
        let fresh = fresh["access_token"].as_str().unwrap();
        assert_eq!(rotated.get("/api/v1/me", Some(fresh)).await.status(), 200);

        let dropped = app.another_server_with(|s| s.jwt_secret = Some(new.clone())).await;
        assert_problem(dropped.get("/api/v1/me", Some(&user.token)).await, 401).await;
        assert_eq!(dropped.get("/api/v1/me", Some(fresh)).await.status(), 200);

        // Another deployment with the same secret but another public URL is another issuer.
        let elsewhere = app.another_server_with(|s| s.public_url = "https://elsewhere.example".into()).await;
        assert_problem(elsewhere.get("/api/v1/me", Some(&user.token)).await, 401).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_access_is_closed_unless_the_origin_is_allowed() {
    let closed = sqlite().await;
    let res = closed.get_with_origin("/api/v1/orgs", "https://app.example.org").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("access-control-allow-origin").is_none(), "closed by default");
    let pre = closed.preflight("/api/v1/orgs", "https://app.example.org").await;
    assert!(pre.headers().get("access-control-allow-origin").is_none());

    let open =
        spawn_app_with(Backend::Sqlite, |s| s.cors_origins = vec!["https://app.example.org".into()]).await.unwrap();
    let pre = open.preflight("/api/v1/orgs", "https://app.example.org").await;
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(pre.headers().get("access-control-allow-origin").unwrap(), "https://app.example.org");
    let allowed = pre.headers().get("access-control-allow-headers").unwrap().to_str().unwrap().to_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    assert!(pre.headers().get("access-control-allow-credentials").is_none(), "bearer tokens, never cookies");
    let res = open.get_with_origin("/api/v1/orgs", "https://app.example.org").await;
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.org");
    let res = open.get_with_origin("/api/v1/orgs", "https://other.example.org").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let pre = open.preflight("/api/v1/orgs", "https://other.example.org").await;
    assert!(pre.headers().get("access-control-allow-origin").is_none());
}

on_both_databases! {
    async fn calendar_links_start_with_the_public_url_whatever_the_request_says(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let opens = Utc::now() + Duration::days(3);
        let body = json!({
            "title": {"sk": "Konzultácia"}, "summary": {"sk": "Popis"},
            "subject": "budget", "opens_at": opens, "closes_at": opens + Duration::days(14)
        });
        assert_eq!(app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &body).await.status(), 201);
        let public = app.another_server_with(|s| s.public_url = "https://participate.example.org".into()).await;
        let text = public
            .request(Method::GET, "/api/v1/orgs/mesto/calendar.ics", None)
            .header("host", "evil.example")
            .header("x-forwarded-host", "evil.example")
            .header("forwarded", "host=evil.example;proto=http")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("URL:https://participate.example.org/o/mesto/consultations/"), "{unfolded}");
        assert!(!unfolded.contains("evil.example"), "{unfolded}");
    }
}

impl TestApp {
    async fn get_with_origin(&self, path: &str, origin: &str) -> reqwest::Response {
        self.request(Method::GET, path, None).header("origin", origin).send().await.expect("GET")
    }

    async fn preflight(&self, path: &str, origin: &str) -> reqwest::Response {
        self.request(Method::OPTIONS, path, None)
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
            .await
            .expect("OPTIONS")
    }
}

/// An app with the documented rate limits, taking client addresses from `X-Forwarded-For`.
async fn limited(app: &TestApp) -> TestApp {
    app.another_server_with(|s| {
        s.rate_limit_scale = 1.0;
        s.trust_forwarded = true;
    })
    .await
}

async fn post_from(app: &TestApp, address: &str, path: &str, token: Option<&str>, body: &Value) -> reqwest::Response {
    app.request(Method::POST, path, token).header("x-forwarded-for", address).json(body).send().await.expect("POST")
}

on_both_databases! {
    async fn registrations_are_limited_per_address_across_servers(app) {
        let (one, two) = (limited(&app).await, limited(&app).await);
        let body = |i: usize| json!({"email": format!("r{i}@example.sk"), "password": password(), "display_name": "R", "locale": "sk"});
        for i in 0..20 {
            let server = if i % 2 == 0 { &one } else { &two };
            assert_eq!(post_from(server, "203.0.113.5", "/api/v1/auth/register", None, &body(i)).await.status(), 202, "{i}");
        }
        let users = app.scalar("SELECT COUNT(*) FROM users").await;
        let res = post_from(&one, "203.0.113.5", "/api/v1/auth/register", None, &body(20)).await;
        let retry: i64 = res.headers().get("retry-after").expect("Retry-After").to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&retry), "{retry}");
        let p = assert_problem(res, 429).await;
        assert_eq!(p["code"], "rate-limited");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, users, "nothing created");
        // The other server counts the same; another address is not affected; an hour later it is over.
        assert_problem(post_from(&two, "203.0.113.5", "/api/v1/auth/register", None, &body(21)).await, 429).await;
        assert_eq!(post_from(&two, "198.51.100.7", "/api/v1/auth/register", None, &body(22)).await.status(), 202);
        app.clock.advance(Duration::hours(1));
        one.clock.advance(Duration::hours(1));
        assert_eq!(post_from(&one, "203.0.113.5", "/api/v1/auth/register", None, &body(23)).await.status(), 202);
    }
}

on_both_databases! {
    async fn a_stranger_guessing_a_password_cannot_lock_the_owner_out(app) {
        app.register("jana@example.sk").await;
        let (one, two) = (limited(&app).await, limited(&app).await);
        let guess = json!({"email": "jana@example.sk", "password": "guess guess guess"});
        // Ten failures from one address, spread over two servers.
        for i in 0..10 {
            let server = if i % 2 == 0 { &one } else { &two };
            assert_problem(post_from(server, "203.0.113.5", "/api/v1/auth/login", None, &guess).await, 401).await;
        }
        let right = json!({"email": "jana@example.sk", "password": password()});
        let p = assert_problem(post_from(&one, "203.0.113.5", "/api/v1/auth/login", None, &right).await, 429).await;
        assert_eq!(p["code"], "too-many-attempts", "that address is locked out of that account, on every server");
        assert_problem(post_from(&two, "203.0.113.5", "/api/v1/auth/login", None, &right).await, 429).await;
        // The owner, elsewhere, signs in.
        assert_eq!(post_from(&two, "198.51.100.7", "/api/v1/auth/login", None, &right).await.status(), 200);
    }
}

on_both_databases! {
    async fn password_changes_and_token_creation_are_limited_per_account(app) {
        let user = app.register("jana@example.sk").await;
        let one = limited(&app).await;
        let wrong = json!({"current_password": "not my password at all", "new_password": "a brand new password"});
        for _ in 0..10 {
            assert_problem(post_from(&one, "203.0.113.5", "/api/v1/me/password", Some(&user.token), &wrong).await, 403).await;
        }
        // From another address too: the limit is the account's.
        let right = json!({"current_password": password(), "new_password": "a brand new password"});
        assert_problem(post_from(&one, "198.51.100.7", "/api/v1/me/password", Some(&user.token), &right).await, 429).await;
        let other = app.register("petra@example.sk").await;
        let res = post_from(&one, "203.0.113.5", "/api/v1/me/password", Some(&other.token), &right).await;
        assert_eq!(res.status(), 204, "another account is not affected");

        for i in 0..20 {
            let body = json!({"name": format!("t{i}"), "scope": "read"});
            assert_eq!(post_from(&one, "203.0.113.5", "/api/v1/me/tokens", Some(&user.token), &body).await.status(), 201);
        }
        let body = json!({"name": "one too many", "scope": "read"});
        assert_problem(post_from(&one, "203.0.113.5", "/api/v1/me/tokens", Some(&user.token), &body).await, 429).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM api_tokens WHERE name = 'one too many'").await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_trusted_proxy_a_forwarded_address_is_ignored() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limit_scale = 1.0).await.unwrap();
    let body = |i: usize| json!({"email": format!("r{i}@example.sk"), "password": password(), "display_name": "R", "locale": "sk"});
    for i in 0..20 {
        // A client that makes up a new address each time is still one address.
        let res = post_from(&app, &format!("203.0.113.{i}"), "/api/v1/auth/register", None, &body(i)).await;
        assert_eq!(res.status(), 202);
    }
    assert_problem(post_from(&app, "198.51.100.7", "/api/v1/auth/register", None, &body(20)).await, 429).await;
}
