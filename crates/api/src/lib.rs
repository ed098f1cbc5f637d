//! Pnyx's HTTP API: actix-web handlers, DTOs, the problem+json error, auth extractors and the
//! OpenAPI document generated from the code.

pub mod contract;
pub mod csv_export;
pub mod dto;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod rate_limits;
pub mod routes;
pub mod security;
pub mod state;

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{App, HttpRequest, HttpResponse, ResponseError, get, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{self, OpenApi as OpenApiDoc};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ErrorCode};

/// Base path of the API.
pub const API_PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pnyx API",
        description = "Open government for municipalities: action plans and commitments, public meetings, consultations and surveys, participatory budgets.\n\nConventions: JSON with snake_case fields; ids are UUID v7; timestamps RFC 3339 UTC; multilingual text is an object of locale → text; lists return `{items, next_cursor, total}`; errors are RFC 9457 `application/problem+json`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
        version = "1.0.0"
    ),
    modifiers(&SecurityAddon),
    components(responses(
        error::problems::Unauthorized,
        error::problems::Forbidden,
        error::problems::MalformedJson,
        error::problems::Invalid,
        error::problems::BadPaging,
        error::problems::Stale,
        error::problems::IfMatchRequired,
        error::problems::NoSuchOrganisation,
        error::problems::NotFound,
        error::problems::BadQuery,
        error::problems::PayloadTooLarge,
        error::problems::UnsupportedMediaType,
        error::problems::Refused,
    )),
    tags(
        (name = "accounts", description = "Registration, sessions, profile, API tokens"),
        (name = "organisations", description = "Municipalities on this deployment"),
        (name = "members", description = "Staff roles and verified residents of an organisation"),
        (name = "invitations", description = "Staff invitations: an admin invites an e-mail address to roles; its owner accepts through the e-mailed link"),
        (name = "residency", description = "Residency verification: what an organisation asks for, residents' requests and staff's decisions"),
        (name = "webhooks", description = "Webhooks for integrators. An organisation's admins subscribe an `https://` address to event types; each event is `POST`ed as JSON `{\"id\", \"type\", \"time\", \"organisation\", \"resource\"}` with the headers `Pnyx-Webhook-Id` (the delivery, the same on retries: deduplicate by it), `Pnyx-Webhook-Event`, `Pnyx-Webhook-Timestamp` (Unix seconds) and `Pnyx-Webhook-Signature: v1=<hex>`, where `<hex>` is HMAC-SHA-256, keyed with the webhook's secret, of `<timestamp>.<raw body>`. Verify it in constant time and refuse timestamps more than five minutes away. A 2xx answer within 10 seconds counts as delivered; otherwise the delivery is retried with exponential back-off (1 minute doubling to 4 hours) for about a day, then given up, the webhook disabled and the admins told. See docs/webhooks.md."),
        (name = "consultations", description = "Public consultations, opinions and reports"),
        (name = "surveys", description = "Surveys with conditional questions, responses (identified or anonymous) and results"),
        (name = "calendar", description = "iCalendar feeds"),
        (name = "meetings", description = "Public meetings, registration, minutes and follow-up activities"),
        (name = "action-plans", description = "OGP action plans, commitments, milestones and their public progress"),
        (name = "budgets", description = "Participatory budgets: proposals, review, supports, the secret ballot, results, pabulib, implementation"),
        (name = "search", description = "Full-text search over an organisation's public resources"),
        (name = "comments", description = "Residents' comments on public resources, with one level of replies, and their reports"),
        (name = "resident-reports", description = "Residents' reports of communal problems and proposals to the municipality, with public answers and statistics"),
        (name = "budget-execution", description = "The municipal budget in the open: published years, lines with planned, amended and executed amounts, imports from CSV or XLSX, revisions and their changes"),
        (name = "files", description = "Files attached to meetings, budget proposals, documents, consultations and commitments: uploads, images without metadata, downloads with ranges"),
        (name = "documents", description = "The documents library: legal acts, reports, publications, minutes and education, with filters; links from plans, meetings, consultations and budgets"),
        (name = "pages", description = "Content pages: Markdown rendered to sanitised HTML, a menu, a history of edits"),
        (name = "programmes", description = "Programmes across municipalities: members invited by platform admins and accepted by each organisation's admin, and a public page comparing their action plans, reports' answer times and budget execution"),
        (name = "open-data", description = "An organisation's public collections as CSV and JSON downloads, and its DCAT-AP catalogue"),
        (name = "moderation", description = "An organisation's moderation: the queue of reported items, decisions, blocks and settings"),
        (name = "health", description = "Probes"),
        (name = "meta", description = "This API's own description"),
    )
)]
struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, doc: &mut openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer_auth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/login` (15 minutes), or a personal API token (`pnyx_…`).",
                    ))
                    .build(),
            ),
        );
    }
}

/// Registers every API route: `/healthz`, `/readyz` and everything under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(routes::health::configure).service(
        scope::scope(API_PREFIX)
            .configure(routes::accounts::configure)
            .configure(routes::orgs::configure)
            .configure(routes::notifications::configure)
            .configure(routes::consultations::configure)
            .configure(routes::surveys::configure)
            .configure(routes::calendar::configure)
            .configure(routes::meetings::configure)
            .configure(routes::action_plans::configure)
            .configure(routes::budgets::configure)
            .configure(routes::search::configure)
            .configure(routes::comments::configure)
            .configure(routes::reports::configure)
            .configure(routes::budget_execution::configure)
            .configure(routes::files::configure)
            .configure(routes::documents::configure)
            .configure(routes::pages::configure)
            .configure(routes::invitations::configure)
            .configure(routes::residency::configure)
            .configure(routes::webhooks::configure)
            .configure(routes::opendata::configure)
            .configure(routes::privacy::configure)
            .configure(routes::programmes::configure)
            .service(openapi_json),
    );
}

/// Get this OpenAPI document
///
/// The OpenAPI 3.1 description of this API, generated from the code.
#[utoipa::path(
    tag = "meta", operation_id = "openapi_get",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")),
    security(())
)]
#[get("/openapi.json")]
async fn openapi_json(doc: web::Data<SpecJson>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(doc.0.clone())
}

/// The generated spec, serialised once at start-up.
#[derive(Clone, Debug)]
pub struct SpecJson(pub String);

/// The OpenAPI document of the whole API, generated from the handlers.
#[must_use]
pub fn openapi() -> OpenApiDoc {
    let (_, mut doc) = App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(configure).split_for_parts();
    contract::complete_responses(&mut doc);
    doc
}

/// The spec as pretty JSON, as committed at `openapi/openapi.json`.
///
/// # Errors
/// When serialisation fails.
pub fn openapi_json_string() -> Result<String, serde_json::Error> {
    openapi_json_of(&openapi())
}

/// `spec` as pretty JSON, as [`openapi_json_string`] writes it (for a caller that holds the spec
/// already: it is built once, not once more to be written).
///
/// # Errors
/// When serialisation fails.
pub fn openapi_json_of(spec: &OpenApiDoc) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(spec)?;
    s.push('\n');
    Ok(s)
}

/// Extractor configuration so that actix's own errors are problem+json too.
pub fn extractor_config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::QueryConfig::default().error_handler(|err, _| {
        ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadQuery, format!("Invalid query parameters: {err}")).into()
    }))
    .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found("resource").into()))
    .app_data(
        web::JsonConfig::default()
            .limit(extract::MAX_JSON_BODY)
            .error_handler(|err, _| ApiError::malformed_json(err.to_string()).into()),
    );
}

/// Answers requests no route took: 405 with `Allow` when the path exists with other methods,
/// else 404 — always problem+json. It also knows which operations need a bearer token (see
/// [`require_credentials`]).
#[derive(Clone)]
pub struct Fallback {
    routes: std::sync::Arc<Vec<Route>>,
    /// Every route's path as one automaton, matched once per request (a request without
    /// credentials asks [`Fallback::needs_bearer`]): index `i` is `routes[i]`.
    paths: std::sync::Arc<regex::RegexSet>,
}

struct Route {
    /// The static characters of the pattern: of several patterns matching a path, the one with
    /// the most is the route actix takes (`/meetings/{id}.ics` over `/meetings/{id}`).
    specificity: usize,
    methods: Vec<Method>,
    /// The methods whose operation needs a bearer token (no anonymous alternative).
    bearer_only: Vec<Method>,
}

/// A path template of the spec (`/orgs/{slug}/meetings/{id}.ics`) as a regular expression that
/// matches what actix routes to it: each `{name}` one or more characters other than `/`, the
/// rest literally, the whole path.
fn path_regex(template: &str) -> String {
    let mut out = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&regex::escape(&rest[..open]));
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str("[^/]+");
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(&regex::escape(rest));
    out.push('$');
    out
}

impl Fallback {
    /// Builds the table of paths and their methods from the spec.
    #[must_use]
    pub fn from_spec(doc: &OpenApiDoc) -> Self {
        let mut routes = Vec::new();
        let mut patterns = Vec::new();
        for (path, item) in &doc.paths.paths {
            let mut methods: Vec<Method> = Vec::new();
            let mut bearer_only: Vec<Method> = Vec::new();
            let ops = [
                (Method::GET, item.get.as_ref()),
                (Method::POST, item.post.as_ref()),
                (Method::PUT, item.put.as_ref()),
                (Method::PATCH, item.patch.as_ref()),
                (Method::DELETE, item.delete.as_ref()),
            ];
            for (m, op) in ops {
                if let Some(op) = op {
                    if contract::needs_bearer(op) {
                        bearer_only.push(m.clone());
                    }
                    methods.push(m);
                }
            }
            if methods.contains(&Method::GET) {
                methods.push(Method::HEAD);
            }
            let specificity = contract::static_chars(path);
            patterns.push(path_regex(path));
            routes.push(Route { specificity, methods, bearer_only });
        }
        // Literal text and `[^/]+` only: a failure would be a bug of `path_regex` (or a size limit),
        // and leaves unrouted paths 404 and credentials to each handler.
        let paths = regex::RegexSet::new(&patterns).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the spec's paths do not compile as regular expressions");
            regex::RegexSet::empty()
        });
        Fallback { routes: std::sync::Arc::new(routes), paths: std::sync::Arc::new(paths) }
    }

    fn route(&self, path: &str) -> Option<&Route> {
        self.paths.matches(path).iter().filter_map(|i| self.routes.get(i)).max_by_key(|r| r.specificity)
    }

    /// The methods `path` answers to, if it is one of ours.
    #[must_use]
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.route(path).map(|r| r.methods.as_slice())
    }

    /// Whether the operation at `path` with `method` needs a bearer token.
    #[must_use]
    pub fn needs_bearer(&self, method: &Method, path: &str) -> bool {
        self.route(path).is_some_and(|r| r.bearer_only.contains(method))
    }

    /// The response for an unrouted request.
    #[must_use]
    pub fn respond(&self, req: &HttpRequest) -> HttpResponse {
        match self.allowed(req.path()) {
            Some(methods) if !methods.contains(req.method()) => {
                let allow = methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
                let mut res = ApiError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    ErrorCode::MethodNotAllowed,
                    format!("{} is not allowed here; use {allow}.", req.method()),
                )
                .error_response();
                if let Ok(v) = header::HeaderValue::from_str(&allow) {
                    res.headers_mut().insert(header::ALLOW, v);
                }
                res
            }
            _ => ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("Nothing at {}.", req.path()))
                .error_response(),
        }
    }

    /// As an actix default service.
    pub async fn handle(self, req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
        let res = self.respond(req.request());
        Ok(req.into_response(res))
    }
}

/// Refuses with 401, before anything else is read, a request without credentials for an
/// operation that needs a bearer token, so that the answer does not depend on which of its other
/// parameters the handler happens to check first. Needs the [`Fallback`] in the app data.
///
/// # Errors
/// 401 as above; otherwise whatever the next service returns.
pub async fn require_credentials(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if !req.headers().contains_key(header::AUTHORIZATION)
        && req.path().starts_with(API_PREFIX)
        && req.app_data::<web::Data<Fallback>>().is_some_and(|f| f.needs_bearer(req.method(), req.path()))
    {
        return Err(ApiError::unauthorized("Sign in to do this.").into());
    }
    next.call(req).await
}

#[cfg(test)]
mod fallback_tests {
    use super::*;

    #[test]
    fn a_path_template_matches_what_actix_routes_to_it() {
        let re = regex::Regex::new(&path_regex("/api/v1/orgs/{slug}/meetings/{id}.ics")).unwrap();
        assert!(re.is_match("/api/v1/orgs/bedzin/meetings/0190-ab.ics"));
        for other in [
            "/api/v1/orgs/bedzin/meetings/0190-ab",
            "/api/v1/orgs/bedzin/meetings/.ics",
            "/api/v1/orgs/bedzin/meetings/a/b.ics",
            "/api/v1/orgs/bedzin/meetings/0190Xics",
            "/x/api/v1/orgs/bedzin/meetings/1.ics",
        ] {
            assert!(!re.is_match(other), "{other}");
        }
        assert_eq!(path_regex("/healthz"), "^/healthz$");
    }

    #[test]
    fn the_most_specific_of_the_matching_paths_is_the_route() {
        let f = Fallback::from_spec(&openapi());
        let methods = |p: &str| f.allowed(p).map(<[Method]>::to_vec);
        let feed = methods("/api/v1/orgs/bedzin/meetings/0190-ab.ics").expect("the calendar file");
        let meeting = methods("/api/v1/orgs/bedzin/meetings/0190-ab").expect("the meeting");
        assert!(meeting.contains(&Method::PATCH) && !feed.contains(&Method::PATCH), "{feed:?} {meeting:?}");
        assert_eq!(methods("/api/v1/orgs/bedzin/nothing"), None);
        assert!(f.needs_bearer(&Method::POST, "/api/v1/orgs/bedzin/meetings"));
        assert!(!f.needs_bearer(&Method::GET, "/api/v1/orgs/bedzin/meetings"));
    }
}
