//! The one API error: every failure becomes RFC 9457 `application/problem+json` with a stable
//! machine-readable `type` and `code`, a message for the client, and an internal cause that only
//! goes to the log.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use pnyx_domain::auth::AuthzError;
use pnyx_domain::org::{OrgError, SettingsError};
use pnyx_domain::repo::RepoError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One field's validation failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Dotted path of the field in the request body, e.g. `name.sk`.
    #[schema(example = "email")]
    pub field: String,
    #[schema(example = "is not a valid e-mail address")]
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable, so clients can branch on it.
    #[serde(rename = "type")]
    #[schema(example = "urn:pnyx:problem:validation-failed")]
    pub type_: String,
    /// The same kind as a short code.
    #[schema(example = "validation-failed")]
    pub code: String,
    #[schema(example = "Validation failed")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = "The request has invalid fields.")]
    pub detail: String,
    /// For validation failures: what is wrong with each field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The cause chain of a 500, kept on the response for the request log line (the one place it is
/// logged); never sent to the client.
#[derive(Debug, Clone)]
pub struct InternalCause(pub String);

pub use pnyx_domain::repo::cause_chain;

/// An error a handler returns.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    internal: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    #[must_use]
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError { status, code, detail: detail.into(), errors: Vec::new(), internal: None, headers: Vec::new() }
    }

    #[must_use]
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    #[must_use]
    pub fn malformed_json(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed-json", detail)
    }

    #[must_use]
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
            .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    #[must_use]
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "You are not allowed to do this.")
    }

    #[must_use]
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", format!("No such {what}."))
    }

    #[must_use]
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    #[must_use]
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "The resource changed since you read it (If-Match does not match its ETag); reload and try again.",
        )
    }

    #[must_use]
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation-failed", "The request has invalid fields.");
        e.errors = errors;
        e
    }

    /// The same error under a more specific machine-readable code.
    #[must_use]
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    #[must_use]
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// An unexpected failure: the client sees an opaque 500, the log gets the cause.
    #[must_use]
    pub fn internal(cause: impl fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side; it has been logged.",
        );
        e.internal = Some(cause.to_string());
        e
    }

    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    #[must_use]
    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:pnyx:problem:{}", self.code),
            code: self.code.to_owned(),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        res.content_type("application/problem+json");
        for (k, v) in &self.headers {
            res.insert_header((k.clone(), v.clone()));
        }
        let mut res = res.json(self.problem());
        if let Some(cause) = &self.internal {
            res.extensions_mut().insert(InternalCause(cause.clone()));
        }
        res
    }
}

impl From<AuthzError> for ApiError {
    fn from(e: AuthzError) -> Self {
        match e {
            AuthzError::Unauthenticated => ApiError::unauthorized("Sign in to do this."),
            AuthzError::Forbidden => ApiError::forbidden(),
        }
    }
}

impl From<RepoError> for ApiError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => ApiError::not_found("resource"),
            RepoError::Conflict { field, message } => ApiError::field(field, message),
            RepoError::Unavailable(cause) => ApiError::internal(cause),
        }
    }
}

impl From<OrgError> for ApiError {
    fn from(e: OrgError) -> Self {
        match e {
            OrgError::Authz(a) => a.into(),
            OrgError::NotFound => ApiError::not_found("organisation"),
            OrgError::UserNotFound => ApiError::not_found("user"),
            OrgError::Invalid(s) => {
                let field = match s {
                    SettingsError::Name(_) => "name",
                    SettingsError::Description(_) => "description",
                    SettingsError::DefaultNotEnabled => "locales",
                };
                let message = s.to_string();
                let message = message.split_once(": ").map_or(message.clone(), |(_, m)| m.to_owned());
                ApiError::field(field, message)
            }
            OrgError::Stale => ApiError::precondition_failed(),
            OrgError::LastAdmin => ApiError::conflict("last-admin", e.to_string()),
            OrgError::SlugTaken => ApiError::conflict("slug-taken", "An organisation with this slug already exists."),
            OrgError::Repo(r) => r.into(),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errs: validator::ValidationErrors) -> Self {
        let mut out = Vec::new();
        flatten(&errs, "", &mut out);
        out.sort_by(|a, b| a.field.cmp(&b.field));
        ApiError::validation(out)
    }
}

fn flatten(errs: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errs.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e.message.as_ref().map_or_else(|| describe(e), ToString::to_string);
                    out.push(FieldError { field: path.clone(), message });
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

fn describe(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(ToString::to_string);
    match e.code.as_ref() {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            _ => "has the wrong length".to_owned(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (None, Some(max)) => format!("must be at most {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            _ => "is out of range".to_owned(),
        },
        "email" => "is not a valid e-mail address".to_owned(),
        "url" => "is not a valid URL".to_owned(),
        other => format!("is invalid ({other})"),
    }
}
