//! `spawn_app()`: the real application on a fresh database per test — a new SQLite file, or a
//! new uniquely named PostgreSQL database when `PNYX_TEST_POSTGRES_URL` is set — so tests run in
//! parallel. `TestApp` has one typed helper per common call.

use std::net::TcpListener;
use std::path::PathBuf;

use pnyx::Settings;
use pnyx::config::{Environment, LogFormat};
use pnyx_domain::accounts::AccountRepo;
use pnyx_domain::repo::Store;
use pnyx_persistence::{Db, PoolSettings};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use uuid::Uuid;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running application and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The clock the server's services read: `app.clock.advance(…)` moves "now" for them.
    #[allow(dead_code)]
    pub clock: std::sync::Arc<pnyx_domain::clock::OffsetClock>,
    pub settings: Settings,
    cleanup: Option<Cleanup>,
}

enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDb { admin_url: String, name: String },
}

const TEST_PASSWORD: &str = "correct horse battery staple";

pub fn password() -> &'static str {
    TEST_PASSWORD
}

/// The PostgreSQL server to create test databases on, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("PNYX_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

async fn admin_exec(admin_url: &str, sql: &str) {
    use sea_orm::{ConnectionTrait, Database};
    let conn = Database::connect(admin_url).await.expect("connect to PNYX_TEST_POSTGRES_URL");
    conn.execute_unprepared(sql).await.expect("admin statement");
    conn.close().await.ok();
}

/// Starts the app on a fresh database of the given kind. Returns `None` for PostgreSQL when
/// `PNYX_TEST_POSTGRES_URL` is not set (the test then passes vacuously; CI always sets it).
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// [`spawn_app`] with settings changed by `change` (e.g. a short results time limit).
pub async fn spawn_app_with(backend: Backend, change: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    spawn_app_hooked(backend, change, None).await
}

/// The SQL statements a server ran while answering requests (on its HTTP workers' threads: the
/// background workers' polls are not counted), in order.
#[derive(Clone, Default)]
#[allow(dead_code)]
pub struct Statements(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

#[allow(dead_code)]
impl Statements {
    /// Forgets what was recorded so far.
    pub fn clear(&self) {
        self.0.lock().expect("statements").clear();
    }
    /// What was recorded since the last [`Statements::clear`].
    pub fn taken(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("statements"))
    }
}

/// [`spawn_app`] whose pool records every statement a request runs.
#[allow(dead_code)]
pub async fn spawn_counting_app(backend: Backend) -> Option<(TestApp, Statements)> {
    spawn_counting_app_with(backend, |_| {}).await
}

/// [`spawn_counting_app`] with changed settings.
#[allow(dead_code)]
pub async fn spawn_counting_app_with(
    backend: Backend,
    change: impl FnOnce(&mut Settings),
) -> Option<(TestApp, Statements)> {
    let statements = Statements::default();
    let app = spawn_app_hooked(backend, change, Some(statements.clone())).await?;
    Some((app, statements))
}

async fn spawn_app_hooked(
    backend: Backend,
    change: impl FnOnce(&mut Settings),
    statements: Option<Statements>,
) -> Option<TestApp> {
    let (url, cleanup) = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("pnyx-test-{}.db", Uuid::new_v4()));
            (format!("sqlite://{}?mode=rwc", path.display()), Cleanup::SqliteFile(path))
        }
        Backend::Postgres => {
            let admin_url = postgres_url()?;
            let name = format!("pnyx_test_{}", Uuid::new_v4().simple());
            admin_exec(&admin_url, &format!("CREATE DATABASE \"{name}\"")).await;
            (with_database(&admin_url, &name), Cleanup::PostgresDb { admin_url, name })
        }
    };
    let db = Db::connect(&url, &PoolSettings { max_connections: 8, ..PoolSettings::default() })
        .await
        .expect("connect to the test database");
    db.migrate().await.expect("migrate the test database");
    let db = match statements {
        Some(recorded) => db.on_statement(move |sql| {
            if std::thread::current().name().is_some_and(|n| n.starts_with("actix-server worker")) {
                recorded.0.lock().expect("statements").push(sql.to_owned());
            }
        }),
        None => db,
    };
    let mut settings = Settings {
        database_url: url,
        bind: "127.0.0.1:0".parse().expect("address"),
        env: Environment::Development,
        jwt_secret: Some(secrecy::SecretString::from("test-secret-that-is-long-enough-for-hs256".to_owned())),
        jwt_previous_secrets: Vec::new(),
        cors_origins: Vec::new(),
        // Tests sign up many residents from one address; hardening.rs turns the limits on.
        rate_limit_scale: 0.0,
        trust_forwarded: false,
        log: "warn".into(),
        log_format: LogFormat::Text,
        static_dir: PathBuf::from("/nonexistent"),
        db_max_connections: 8,
        workers: 2,
        results_time_limit_ms: 600_000,
        search_cache_pages: pnyx_domain::search::DEFAULT_CACHED_PAGES,
        org_context_ttl_ms: 1_000,
        open_data_page_rows: 2,
        public_url: "http://localhost:8080".into(),
        smtp_url: None,
        mail_from: "Pnyx <noreply@localhost>".into(),
        mail_dir: None,
        mail_poll_ms: 2_000,
        files_dir: Some(std::env::temp_dir().join(format!("pnyx-test-files-{}", Uuid::new_v4()))),
        s3_bucket: None,
        s3_endpoint: None,
        s3_region: "us-east-1".into(),
        s3_access_key_id: None,
        s3_secret_access_key: None,
        max_image_bytes: 15 * 1024 * 1024,
        max_document_bytes: 100 * 1024 * 1024,
        digest_hour: 7,
        webhooks_allow_http_loopback: true,
        webhook_poll_ms: 2_000,
        metrics_token: None,
    };
    change(&mut settings);
    let mut app = serve(settings, db).await;
    app.cleanup = Some(cleanup);
    Some(app)
}

/// The application with `settings` on `db`, on a free port.
async fn serve(settings: Settings, db: Db) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let clock = std::sync::Arc::new(pnyx_domain::clock::OffsetClock::default());
    let app = pnyx::Application::with_db_and_clock(settings.clone(), db.clone(), listener, clock.clone())
        .expect("build the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    // The tests act as a native client: the refresh token comes in the body as well as the cookie.
    let mut native = reqwest::header::HeaderMap::new();
    native.insert("pnyx-refresh-token", reqwest::header::HeaderValue::from_static("body"));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .default_headers(native)
        // Drop idle connections before the server's keep-alive (5 s) closes them, so that a
        // request never goes out on a connection the server is closing ("connection reset").
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("http client");
    TestApp { address, client, db, clock, settings, cleanup: None }
}

impl TestApp {
    /// The database URL, for another process on the same database.
    #[allow(dead_code)]
    pub fn database_url(&self) -> &str {
        &self.settings.database_url
    }

    /// A second server on this one's database, as another `pnyx serve` behind the same proxy:
    /// its own connection pool and in-memory caches, the same data. The database goes with the
    /// first server.
    #[allow(dead_code)]
    pub async fn another_server(&self) -> TestApp {
        self.another_server_with(|_| {}).await
    }

    /// A second server on this one's database with `change` made to its settings.
    #[allow(dead_code)]
    pub async fn another_server_with(&self, change: impl FnOnce(&mut Settings)) -> TestApp {
        let db =
            Db::connect(&self.settings.database_url, &PoolSettings { max_connections: 8, ..PoolSettings::default() })
                .await
                .expect("connect to the test database");
        let mut settings = self.settings.clone();
        change(&mut settings);
        serve(settings, db).await
    }
}

impl TestApp {
    /// The folder the server stores uploaded files in (a fresh one per test).
    #[allow(dead_code)]
    pub fn files_dir(&self) -> PathBuf {
        self.settings.files_dir_or_default()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if self.cleanup.is_some() && self.settings.s3_bucket.is_none() {
            let _ = std::fs::remove_dir_all(self.settings.files_dir_or_default());
        }
        match self.cleanup.take() {
            Some(Cleanup::SqliteFile(path)) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(Cleanup::PostgresDb { admin_url, name }) => {
                // Drop runs inside the test's runtime, so use a thread with a runtime of its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(rt) = rt {
                        rt.block_on(admin_exec(
                            &admin_url,
                            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                        ));
                    }
                })
                .join();
            }
            None => {}
        }
    }
}

/// Runs a test body once on SQLite and once on PostgreSQL, as two tests.
#[macro_export]
macro_rules! on_both_databases {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: $crate::helpers::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await.expect("sqlite app");
                body(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                match $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await {
                    Some(app) => body(app).await,
                    None if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
                        panic!("PNYX_TEST_POSTGRES_URL is not set under CI: the PostgreSQL half must run")
                    }
                    None => eprintln!("PNYX_TEST_POSTGRES_URL is not set: skipped on PostgreSQL"),
                }
            }
        }
    };
}

/// A signed-in test user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    /// Makes every `op` (`INSERT`, `UPDATE` or `DELETE`) on `table` fail inside the database,
    /// by a trigger, until [`TestApp::stop_failing`]: a use case whose last write goes there must
    /// then leave none of its earlier writes behind.
    pub async fn fail_writes(&self, table: &str, op: &str) {
        use sea_orm::ConnectionTrait;
        let conn = self.db.connection();
        let name = format!("pnyx_fail_{table}_{}", op.to_lowercase());
        let sql = match self.db.backend() {
            sea_orm::DbBackend::Sqlite => {
                format!("CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, 'forced failure'); END")
            }
            _ => {
                conn.execute_unprepared(
                    "CREATE OR REPLACE FUNCTION pnyx_fail() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$",
                )
                .await
                .expect("failure function");
                format!("CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW EXECUTE FUNCTION pnyx_fail()")
            }
        };
        // SQLite: a pooled connection whose read snapshot predates the last `stop_failing` can still
        // see that trigger and call it existing (seen once in CI): it is gone a moment later.
        let mut res = conn.execute_unprepared(&sql).await;
        for _ in 0..20 {
            if !matches!(&res, Err(e) if e.to_string().contains("already exists")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            res = conn.execute_unprepared(&sql).await;
        }
        res.expect("failure trigger");
    }

    /// Removes what [`TestApp::fail_writes`] made.
    pub async fn stop_failing(&self, table: &str, op: &str) {
        use sea_orm::ConnectionTrait;
        let name = format!("pnyx_fail_{table}_{}", op.to_lowercase());
        let sql = match self.db.backend() {
            sea_orm::DbBackend::Sqlite => format!("DROP TRIGGER {name}"),
            _ => format!("DROP TRIGGER {name} ON {table}"),
        };
        self.db.connection().execute_unprepared(&sql).await.expect("drop failure trigger");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let rb = self.client.request(method, self.url(path));
        match token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token).send().await.expect("GET")
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::POST, path, token).json(body).send().await.expect("POST")
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::PUT, path, token).json(body).send().await.expect("PUT")
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.request(Method::PATCH, path, token).json(body).send().await.expect("PATCH")
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token).send().await.expect("DELETE")
    }

    /// Registers `email` with the test password and confirms the address through the link of the
    /// verification e-mail (read from the outbox), which signs the user in.
    pub async fn register(&self, email: &str) -> User {
        self.register_only(email).await;
        let res = self.verify_email(&self.mail_token(email, "account.verify-email").await).await;
        user_from(&json_of(res, 200).await)
    }

    /// Registers `email` (202) without confirming it.
    pub async fn register_only(&self, email: &str) {
        let res = self
            .post(
                "/api/v1/auth/register",
                None,
                &json!({"email": email, "password": TEST_PASSWORD, "display_name": email.split('@').next(), "locale": "en"}),
            )
            .await;
        assert_eq!(res.status(), 202, "registering {email}");
    }

    /// Registers `email` and signs in without confirming the address.
    pub async fn register_unverified(&self, email: &str) -> User {
        self.register_only(email).await;
        user_from(&json_of(self.login(email, TEST_PASSWORD).await, 200).await)
    }

    pub async fn verify_email(&self, token: &str) -> Response {
        self.post("/api/v1/auth/verify-email", None, &json!({"token": token})).await
    }

    /// The outbox's messages of `kind` to `to`, newest first: their payloads (as stored, before
    /// sending erases them).
    pub async fn mails(&self, to: &str, kind: &str) -> Vec<Value> {
        use sea_orm::ConnectionTrait;
        let conn = self.db.connection();
        let sql = format!(
            "SELECT CAST(payload AS TEXT) FROM mail_outbox WHERE recipient = '{}' AND kind = '{}' ORDER BY id DESC",
            to.to_lowercase().replace('\'', "''"),
            kind.replace('\'', "''")
        );
        let stmt = sea_orm::Statement::from_string(conn.get_database_backend(), sql);
        conn.query_all_raw(stmt)
            .await
            .expect("query the outbox")
            .into_iter()
            .map(|row| serde_json::from_str(&row.try_get_by_index::<String>(0).expect("payload")).expect("json"))
            .collect()
    }

    /// The token of the newest message of `kind` to `to`.
    pub async fn mail_token(&self, to: &str, kind: &str) -> String {
        let mails = self.mails(to, kind).await;
        let newest = mails.first().unwrap_or_else(|| panic!("no {kind} mail to {to}"));
        newest["token"].as_str().expect("a token").to_owned()
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post("/api/v1/auth/login", None, &json!({"email": email, "password": password})).await
    }

    /// Registers a user and makes them a platform admin directly in the database.
    pub async fn platform_admin(&self, email: &str) -> User {
        let user = self.register(email).await;
        let mut stored = self.db.user_by_id(user.id.into()).await.expect("db").expect("user");
        stored.platform_admin = true;
        self.db.update_user(&stored).await.expect("db");
        user
    }

    /// Creates an organisation (as a new platform admin) and returns its slug.
    pub async fn create_org(&self, slug: &str) -> String {
        let admin = self.platform_admin(&format!("root-{slug}@example.org")).await;
        let res = self.post("/api/v1/orgs", Some(&admin.token), &org_body(slug)).await;
        assert_eq!(res.status(), 201, "creating {slug}: {:?}", res.text().await);
        slug.to_owned()
    }

    /// Creates an organisation and a user holding `roles` in it.
    pub async fn org_with_member(&self, slug: &str, email: &str, roles: &[&str]) -> User {
        self.create_org(slug).await;
        let user = self.register(email).await;
        self.grant(slug, user.id, roles).await;
        user
    }

    /// Grants roles directly (as a platform admin created for it).
    pub async fn grant(&self, slug: &str, user_id: Uuid, roles: &[&str]) {
        let root = format!("root-{slug}@example.org");
        let res = self.login(&root, TEST_PASSWORD).await;
        assert_eq!(res.status(), 200);
        let token = res.json::<Value>().await.expect("json")["access_token"].as_str().expect("token").to_owned();
        let res = self
            .put(
                &format!("/api/v1/orgs/{slug}/members/{user_id}"),
                Some(&token),
                &json!({"roles": roles, "verified": false}),
            )
            .await;
        assert_eq!(res.status(), 200, "granting {roles:?}");
    }

    /// The first column of the first row of a raw SQL query, as a number (`SELECT COUNT(*) …`).
    pub async fn scalar(&self, sql: &str) -> i64 {
        use sea_orm::ConnectionTrait;
        let conn = self.db.connection();
        let stmt = sea_orm::Statement::from_string(conn.get_database_backend(), sql.to_owned());
        let row = conn.query_one_raw(stmt).await.expect("query").expect("a row");
        row.try_get_by_index::<i64>(0).expect("a number")
    }

    pub async fn store_ping(&self) {
        self.db.ping().await.expect("ping");
    }
}

pub fn user_from(body: &Value) -> User {
    User {
        id: body["user"]["id"].as_str().and_then(|s| s.parse().ok()).expect("user id"),
        token: body["access_token"].as_str().expect("access token").to_owned(),
        refresh_token: body["refresh_token"].as_str().expect("refresh token").to_owned(),
    }
}

/// A valid organisation body.
pub fn org_body(slug: &str) -> Value {
    json!({
        "slug": slug,
        "name": {"sk": format!("Mesto {slug}"), "en": format!("City of {slug}")},
        "description": {"sk": "Popis"},
        "default_locale": "sk",
        "locales": ["sk", "en"],
        "time_zone": "Europe/Bratislava",
        "currency": "EUR"
    })
}

/// Asserts a problem+json response and returns its body.
pub async fn assert_problem(res: Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(ct, "application/problem+json", "content type");
    let body: Value = res.json().await.expect("problem json");
    assert_eq!(body["status"], status);
    assert!(body["type"].as_str().is_some_and(|t| t.starts_with("urn:pnyx:problem:")), "type: {body}");
    assert!(body["title"].is_string() && body["detail"].is_string(), "title/detail: {body}");
    body
}

/// Asserts the status and returns the JSON body (shown in the failure when the status is wrong).
pub async fn json_of(res: Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body = res.text().await.expect("body");
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).expect("json")
}

/// The fields named in a 422 problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}
