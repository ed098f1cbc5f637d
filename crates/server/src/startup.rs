//! The composition root: connects the database, migrates, wires the persistence adapters into
//! the API and starts the HTTP server. `main` and the tests both use [`Application::build`].

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use actix_files::{Files, NamedFile};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, guard, web};
use pnyx_api::state::{ApiSettings, AppState};
use pnyx_api::{Fallback, SpecJson};
use pnyx_domain::accounts::AccountService;
use pnyx_domain::health::HealthService;
use pnyx_domain::idempotency::IdempotencyService;
use pnyx_domain::notifications::NotificationService;
use pnyx_domain::repo::Store;
use pnyx_persistence::{Db, PoolSettings};
use secrecy::ExposeSecret;
use utoipa_actix_web::AppExt;

use crate::config::{Environment, Settings};
use crate::telemetry;

/// Cross-origin access for the third-party web apps in `PNYX_CORS_ORIGINS` (nobody else): bearer
/// tokens only (no cookies), the headers the API reads, and those a client needs to read back.
fn cors(origins: &[String]) -> actix_cors::Cors {
    use actix_web::http::Method;
    let cors = origins.iter().fold(actix_cors::Cors::default(), |c, o| c.allowed_origin(o));
    cors.allowed_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER, header::LINK])
        .max_age(3600)
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("PNYX_DATABASE_URL: cannot open the database: {0}")]
    Database(pnyx_persistence::DbErr),
    #[error("migrations failed: {0}")]
    Migration(pnyx_persistence::DbErr),
    #[error("PNYX_BIND: cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("PNYX_DATABASE_URL: cannot create the SQLite folder: {0}")]
    SqliteDir(std::io::Error),
    #[error("cannot generate the OpenAPI document: {0}")]
    Spec(serde_json::Error),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailConfigError),
    #[error("file storage: {0}")]
    Files(pnyx_domain::files::StorageError),
    #[error(transparent)]
    Metrics(crate::metrics::MetricsError),
}

/// The file storage the settings name: the S3 bucket, or the folder.
///
/// # Errors
/// When the folder cannot be made or the bucket's settings are incomplete.
pub fn file_storage(settings: &Settings) -> Result<Arc<dyn pnyx_domain::files::FileStorage>, StartError> {
    use secrecy::ExposeSecret;
    let storage = match &settings.s3_bucket {
        Some(bucket) => pnyx_files::ObjectStorage::s3(&pnyx_files::S3Config {
            bucket: bucket.clone(),
            endpoint: settings.s3_endpoint.clone(),
            region: settings.s3_region.clone(),
            access_key_id: settings.s3_access_key_id.clone().unwrap_or_default(),
            secret_access_key: settings
                .s3_secret_access_key
                .as_ref()
                .map(|s| s.expose_secret().to_owned())
                .unwrap_or_default(),
        }),
        None => pnyx_files::ObjectStorage::local(&settings.files_dir_or_default()),
    };
    Ok(Arc::new(storage.map_err(StartError::Files)?))
}

/// Sweeps the file storage for objects without a record (an upload cut off between storing its
/// bytes and inserting its record, a deletion that failed half way) at start and every
/// [`pnyx_domain::files::SWEEP_EVERY`], removing those older than
/// [`pnyx_domain::files::ORPHAN_GRACE`]. Several servers may sweep the same storage: deleting an
/// object twice is harmless.
///
/// # Errors
/// When the storage cannot be opened.
pub fn spawn_file_sweeper(settings: &Settings, store: Arc<dyn Store>) -> Result<(), StartError> {
    let files = pnyx_domain::files::FileService::new(
        store,
        file_storage(settings)?,
        Arc::new(pnyx_files::ImageResizer),
        Arc::new(pnyx_domain::clock::SystemClock),
        pnyx_domain::files::FileLimits::default(),
    );
    tokio::spawn(async move {
        let mut every = tokio::time::interval(pnyx_domain::files::SWEEP_EVERY);
        loop {
            every.tick().await;
            if let Err(e) = files.sweep_orphans(pnyx_domain::files::ORPHAN_GRACE).await {
                tracing::warn!(error = %e, "the file sweep failed; it runs again later");
            }
        }
    });
    Ok(())
}

/// Connects and migrates.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn connect(settings: &Settings) -> Result<Db, StartError> {
    settings.ensure_sqlite_dir().map_err(StartError::SqliteDir)?;
    let pool = PoolSettings { max_connections: settings.db_max_connections, ..PoolSettings::default() };
    let db = Db::connect(&settings.database_url, &pool).await.map_err(StartError::Database)?;
    db.migrate().await.map_err(StartError::Migration)?;
    Ok(db)
}

/// A built, bound server, ready to run.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Checks the settings, connects and migrates the database, binds (port 0 picks a free one).
    ///
    /// # Errors
    /// Any [`StartError`].
    pub async fn build(mut settings: Settings) -> Result<Self, StartError> {
        settings.check()?;
        // One secret for the whole process: the outbox worker signs the unsubscribe links the
        // API checks, so a random development secret is drawn once.
        if settings.jwt_secret.is_none() {
            settings.jwt_secret = Some(settings.jwt_secret_or_random());
        }
        let db = connect(&settings).await?;
        crate::mail::spawn_worker(&settings, Arc::new(db.clone()), Arc::new(pnyx_domain::clock::SystemClock))?;
        crate::mail::spawn_digest_worker(&settings, Arc::new(db.clone()), Arc::new(pnyx_domain::clock::SystemClock));
        crate::webhooks::spawn_worker(&settings, Arc::new(db.clone()), Arc::new(pnyx_domain::clock::SystemClock));
        crate::webhooks::spawn_opening_announcer(Arc::new(db.clone()), Arc::new(pnyx_domain::clock::SystemClock));
        // Archives of residents' data, their expiry and the organisations' retention settings.
        tokio::spawn(
            pnyx_domain::privacy::PrivacyWorker::new(Arc::new(db.clone()), Arc::new(pnyx_domain::clock::SystemClock))
                .run(std::time::Duration::from_secs(5)),
        );
        spawn_file_sweeper(&settings, Arc::new(db.clone()))?;
        let listener = TcpListener::bind(settings.bind)
            .map_err(|source| StartError::Bind { addr: settings.bind.to_string(), source })?;
        Self::with_db(settings, db, listener)
    }

    /// Builds on an already-migrated database and a bound listener.
    ///
    /// # Errors
    /// When the server cannot take the listener.
    pub fn with_db(settings: Settings, db: Db, listener: TcpListener) -> Result<Self, StartError> {
        Self::with_db_and_clock(settings, db, listener, Arc::new(pnyx_domain::clock::SystemClock))
    }

    /// Builds on an already-migrated database, a bound listener and the clock services read
    /// (tests pass one they can move).
    ///
    /// # Errors
    /// When the server cannot take the listener.
    pub fn with_db_and_clock(
        settings: Settings,
        db: Db,
        listener: TcpListener,
        clock: Arc<dyn pnyx_domain::clock::Clock>,
    ) -> Result<Self, StartError> {
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let secret = settings.jwt_secret_or_random();
        let workspace_repo: Arc<dyn pnyx_domain::workspace::WorkspaceRepo> = Arc::new(db.clone());
        let opendata_repo: Arc<dyn pnyx_domain::opendata::OpenDataRepo> = Arc::new(db.clone());
        let operations: Arc<dyn pnyx_domain::health::OperationsRepo> = Arc::new(db.clone());
        let store: Arc<dyn Store> = Arc::new(db);
        // The readiness watcher, on a connection of its own: while it sees the database down,
        // requests are answered 503 at once.
        let probe = Arc::new(Db::probe(&settings.database_url).map_err(StartError::Database)?);
        let health = Arc::new(HealthService::new(probe).with_operations(operations, clock.clone()));
        tokio::spawn(health.clone().watch());
        let rate_limits = Arc::new(pnyx_domain::rate_limit::RateLimitService::new(
            store.clone(),
            clock.clone(),
            settings.rate_limit_scale,
        ));
        let keys: Arc<dyn pnyx_domain::accounts::TokenIssuer> = Arc::new(pnyx_api::security::JwtKeys::rotating(
            &secret,
            &settings.jwt_previous_secrets,
            settings.public_url.trim_end_matches('/'),
        ));
        let privacy = Arc::new(pnyx_domain::privacy::PrivacyService::new(
            store.clone(),
            clock.clone(),
            Arc::new(pnyx_api::security::Argon2Hasher),
        ));
        let accounts = AccountService::new(
            store.clone(),
            clock.clone(),
            Arc::new(pnyx_api::security::Argon2Hasher),
            keys.clone(),
            rate_limits.clone(),
        );
        let plans = Arc::new(pnyx_domain::action_plans::ActionPlanService::new(store.clone(), clock.clone()));
        let ballot_keys = pnyx_domain::budget::BallotKeys::new(secret.expose_secret().as_bytes());
        let results_limits = pnyx_domain::budget::ResultsLimits {
            time_limit: std::time::Duration::from_millis(settings.results_time_limit_ms),
            ..pnyx_domain::budget::ResultsLimits::default()
        };
        let budgets = Arc::new(
            pnyx_domain::budget::BudgetService::new(store.clone(), clock.clone(), ballot_keys)
                .with_results_limits(results_limits),
        );
        let meetings = Arc::new(pnyx_domain::meetings::service::MeetingService::new(store.clone(), clock.clone()));
        let consultations =
            Arc::new(pnyx_domain::consultations::ConsultationService::new(store.clone(), clock.clone()));
        let surveys = Arc::new(pnyx_domain::surveys::SurveyService::new(store.clone(), clock.clone()));
        let surveys_for_open_data = surveys.clone();
        let calendar = Arc::new(pnyx_domain::calendar::CalendarService::new(
            consultations.clone(),
            meetings.clone(),
            surveys.clone(),
        ));
        // The organisations kept as the context of the requests under them, shared by the
        // services that change an organisation.
        let org_contexts =
            pnyx_domain::org::OrgContexts::new(std::time::Duration::from_millis(settings.org_context_ttl_ms));
        let files = Arc::new(
            pnyx_domain::files::FileService::new(
                store.clone(),
                file_storage(&settings)?,
                Arc::new(pnyx_files::ImageResizer),
                clock.clone(),
                pnyx_domain::files::FileLimits {
                    image: settings.max_image_bytes,
                    document: settings.max_document_bytes,
                },
            )
            .with_org_contexts(org_contexts.clone()),
        );
        let documents =
            Arc::new(pnyx_domain::documents::DocumentService::new(store.clone(), clock.clone(), files.clone()));
        let state = web::Data::new(AppState {
            documents,
            pages: Arc::new(pnyx_domain::pages::ContentPageService::new(store.clone(), clock.clone())),
            files,
            orgs: Arc::new(pnyx_domain::org::OrgService::new(store.clone(), clock.clone()).with_contexts(org_contexts)),
            consultations,
            surveys,
            calendar,
            workspace: Arc::new(pnyx_domain::workspace::WorkspaceService::new(workspace_repo, clock.clone())),
            search: Arc::new(pnyx_domain::search::SearchService::with_cache(
                store.clone(),
                settings.search_cache_pages,
            )),
            settings: ApiSettings {
                secure_cookies: settings.env == Environment::Production,
                public_url: settings.public_url.trim_end_matches('/').to_owned(),
                trust_forwarded: settings.trust_forwarded,
            },
            rate_limits,
            privacy,
            opendata: Arc::new(
                pnyx_domain::opendata::OpenDataService::new(
                    opendata_repo,
                    surveys_for_open_data,
                    budgets.clone(),
                    clock.clone(),
                )
                .with_page_rows(settings.open_data_page_rows),
            ),
            accounts: Arc::new(accounts),
            notifications: Arc::new(NotificationService::new(
                store.clone(),
                clock.clone(),
                pnyx_domain::notifications::UnsubscribeKeys::new(secret.expose_secret().as_bytes()),
            )),
            health: health.clone(),
            idempotency: Arc::new(IdempotencyService::new(store.clone(), clock.clone())),
            budgets,
            comments: Arc::new(pnyx_domain::comments::CommentService::new(store.clone(), clock.clone())),
            programmes: Arc::new(pnyx_domain::programmes::ProgrammeService::new(store.clone(), clock.clone())),
            reports: Arc::new(pnyx_domain::reports::ReportService::new(store.clone(), clock.clone())),
            budget_execution: Arc::new(pnyx_domain::budget_execution::BudgetExecutionService::new(
                store.clone(),
                clock.clone(),
            )),
            invitations: Arc::new(pnyx_domain::invitations::InvitationService::new(store.clone(), clock.clone(), keys)),
            residency: Arc::new(pnyx_domain::residency::ResidencyService::new(store.clone(), clock.clone())),
            webhooks: Arc::new(pnyx_domain::webhooks::WebhookService::new(
                store.clone(),
                clock.clone(),
                pnyx_domain::webhooks::UrlPolicy { allow_http_loopback: settings.webhooks_allow_http_loopback },
            )),
            moderation: Arc::new(pnyx_domain::comments::ModerationService::new(store.clone(), clock.clone())),
            clock,
            action_plans: plans,
            meetings,
        });
        let spec = pnyx_api::openapi();
        let fallback = Fallback::from_spec(&spec);
        let routes = web::Data::new(fallback.clone());
        let spec_json = web::Data::new(SpecJson(pnyx_api::openapi_json_of(&spec).map_err(StartError::Spec)?));
        let static_dir = Some(settings.static_dir.clone()).filter(|d| d.join("index.html").is_file());
        if static_dir.is_none() {
            tracing::info!(dir = %settings.static_dir.display(), "no built web app found; serving the API only");
        }
        let locale_chunks =
            web::Data::new(static_dir.as_deref().map(crate::preload::LocaleChunks::read).unwrap_or_default());
        let production = settings.env == Environment::Production;
        let cors_origins = settings.cors_origins.clone();
        let metrics = match &settings.metrics_token {
            Some(token) => {
                Some(web::Data::new(crate::metrics::Metrics::new(token.clone()).map_err(StartError::Metrics)?))
            }
            None => None,
        };
        let mut server = HttpServer::new(move || {
            let fallback = fallback.clone();
            let app = App::new()
                .wrap(from_fn(pnyx_api::rate_limits::rate_limits))
                .wrap(from_fn(pnyx_api::extract::read_only_tokens))
                .wrap(from_fn(pnyx_api::routes::health::fail_fast_without_database))
                .wrap(from_fn(pnyx_api::require_credentials))
                .wrap(actix_web::middleware::Condition::new(!cors_origins.is_empty(), cors(&cors_origins)))
                .wrap(from_fn(cache_headers))
                .wrap(from_fn(crate::preload::preload_locale))
                .wrap(from_fn(path_security_headers))
                .wrap(security_headers(production))
                .wrap(from_fn(crate::metrics::record))
                .wrap(from_fn(telemetry::log_request))
                .wrap(tracing_actix_web::TracingLogger::<telemetry::RequestSpan>::new())
                .wrap(Compress::default())
                .app_data(state.clone())
                .app_data(spec_json.clone())
                .app_data(routes.clone())
                .app_data(locale_chunks.clone())
                .configure(pnyx_api::extractor_config)
                .into_utoipa_app()
                .configure(pnyx_api::configure)
                .into_app();
            // Human-readable API docs, bundled in the binary (no CDN).
            let app = app
                .service(
                    utoipa_swagger_ui::SwaggerUi::new("/api/docs/{_:.*}")
                        .config(utoipa_swagger_ui::Config::new(["/api/v1/openapi.json"])),
                )
                .service(web::resource("/api/docs").to(|| async {
                    actix_web::HttpResponse::PermanentRedirect()
                        .insert_header((header::LOCATION, "/api/docs/"))
                        .finish()
                }));
            // The operator's metrics, only with a token (else `/metrics` is a 404 like any unknown path).
            let app = match &metrics {
                Some(m) => app
                    .app_data(m.clone())
                    .service(web::resource(crate::metrics::PATH).route(web::get().to(crate::metrics::serve))),
                None => app,
            };
            let app = match &static_dir {
                Some(dir) => app
                    .service(precompressed_assets(dir.join("assets"), fallback.clone()))
                    .service(spa_files(dir.clone(), fallback.clone())),
                None => app,
            };
            app.default_service(fn_service(move |req: ServiceRequest| fallback.clone().handle(req)))
        })
        .listen(listener)
        .map_err(|source| StartError::Bind { addr: settings.bind.to_string(), source })?
        .shutdown_timeout(10);
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        Ok(Application { port, server: server.run() })
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM/SIGINT, then finishes in-flight requests (graceful shutdown).
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The built SPA: hashed assets cached for a year, `index.html` never cached, and any other
/// GET outside `/api` answered with `index.html` so client-side routes survive a reload.
fn spa_files(dir: PathBuf, fallback: Fallback) -> Files {
    let index = dir.join("index.html");
    Files::new("/", dir)
        .index_file("index.html")
        .guard(guard::fn_guard(|ctx| {
            let p = ctx.head().uri.path();
            matches!(ctx.head().method, actix_web::http::Method::GET | actix_web::http::Method::HEAD)
                && !p.starts_with("/api/")
                && p != "/api"
                && p != "/healthz"
                && p != "/readyz"
                && p != crate::metrics::PATH
        }))
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            let fallback = fallback.clone();
            async move {
                // A path with a file extension that is not there is a real 404, not a route.
                let looks_like_file = req.path().rsplit('/').next().is_some_and(|s| s.contains('.'));
                if looks_like_file {
                    return fallback.handle(req).await;
                }
                let (http_req, _) = req.into_parts();
                let mut res = NamedFile::open_async(&index).await?.into_response(&http_req);
                res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                Ok(ServiceResponse::new(http_req, res))
            }
        }))
        .use_etag(true)
        .use_last_modified(true)
}

/// The built SPA's `/assets/*`, each written at build also compressed at the highest levels
/// (`x.js.br`, `x.js.gz` beside `x.js`): the smallest form the request accepts (brotli, then gzip,
/// as the client's q-values allow), else the file itself; with `Content-Encoding`, the original's
/// `Content-Type` and `Vary: Accept-Encoding`. The on-the-fly `Compress` middleware leaves a
/// response that has a `Content-Encoding` alone. A range request gets the file itself (a range of
/// compressed bytes would be meaningless to it); a missing asset is a 404 like any unknown path.
fn precompressed_assets(dir: PathBuf, fallback: Fallback) -> impl actix_web::dev::HttpServiceFactory {
    use actix_web::http::header::{AcceptEncoding, ContentEncoding, Encoding, Header};
    web::service("/assets/{file}").guard(guard::Any(guard::Get()).or(guard::Head())).finish(fn_service(
        move |req: ServiceRequest| {
            let dir = dir.clone();
            let fallback = fallback.clone();
            async move {
                // Vite's names only (no hidden file, no way out of the folder).
                let name = req.match_info().get("file").unwrap_or_default().to_owned();
                let plain = !name.starts_with('.')
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
                let original = dir.join(&name);
                if !plain || !original.is_file() {
                    return fallback.handle(req).await;
                }
                let (http_req, _) = req.into_parts();
                let mut forms = vec![];
                if !http_req.headers().contains_key(header::RANGE) {
                    for (encoding, ext) in [(ContentEncoding::Brotli, "br"), (ContentEncoding::Gzip, "gz")] {
                        let path = dir.join(format!("{name}.{ext}"));
                        if path.is_file() {
                            forms.push((Encoding::Known(encoding), path));
                        }
                    }
                }
                let accepted = AcceptEncoding::parse(&http_req).unwrap_or(AcceptEncoding(vec![]));
                let chosen = accepted
                    .negotiate(forms.iter().map(|(e, _)| e).chain([&Encoding::identity()]))
                    .and_then(|e| forms.iter().find(|(f, _)| *f == e));
                let file = match chosen {
                    Some((Encoding::Known(encoding), path)) => {
                        NamedFile::from_file(std::fs::File::open(path)?, &original)?.set_content_encoding(*encoding)
                    }
                    _ => NamedFile::open_async(&original).await?,
                };
                let mut res = file.use_etag(true).use_last_modified(true).into_response(&http_req);
                res.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                Ok(ServiceResponse::new(http_req, res))
            }
        },
    ))
}

/// The web app's Content Security Policy: scripts, styles, data and frames from this server
/// only, no plugins, no inline script, and no one may frame the app (clickjacking).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// The API docs (Swagger UI, bundled) set styles inline; everything else as for the web app.
const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries unless its handler set them: the Content Security Policy, no
/// MIME sniffing, no referrer outside this site, no framing, no powerful browser features but
/// geolocation for this site (a resident may locate a report), and in production HSTS.
fn security_headers(production: bool) -> actix_web::middleware::DefaultHeaders {
    let headers = actix_web::middleware::DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"));
    if production {
        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains"))
    } else {
        headers
    }
}

/// What depends on the path: the docs' own policy, and `no-store` on what carries tokens or the
/// signed-in account (`/auth/…`, `/me…`), so no cache keeps them.
pub async fn path_security_headers(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if path == "/api/docs" || path.starts_with("/api/docs/") {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_CONTENT_SECURITY_POLICY));
    }
    if path.starts_with("/api/v1/auth/") || path == "/api/v1/me" || path.starts_with("/api/v1/me/") {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// Cache headers for the SPA: Vite's content-hashed `/assets/*` for a year, everything else
/// outside the API revalidated on each use.
///
/// # Errors
/// Passes on the inner service's error.
pub async fn cache_headers(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    if res.status().is_success() && !path.starts_with("/api") && !res.headers().contains_key(header::CACHE_CONTROL) {
        let value = if path.starts_with("/assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(res)
}
