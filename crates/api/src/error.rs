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

/// Every machine-readable problem code this API answers with (`code`, and the end of `type`).
/// Clients branch on these; the web app keys its messages by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The request cannot be read.
    BadRequest,
    /// The body is not well-formed JSON.
    MalformedJson,
    /// The query parameters are invalid.
    BadQuery,
    /// Sign in (or the token is missing, invalid or expired).
    Unauthorized,
    /// The caller may not do this.
    Forbidden,
    /// No such resource (or not visible to the caller).
    NotFound,
    /// The path exists, not with this method (see `Allow`).
    MethodNotAllowed,
    /// `If-Match` names a version that is no longer current.
    PreconditionFailed,
    /// The change needs `If-Match` with the version read (the resource's `ETag`).
    PreconditionRequired,
    /// The body is over the limit.
    PayloadTooLarge,
    /// The body is not of an accepted type.
    UnsupportedMediaType,
    /// The requested byte range is outside the file (see `Content-Range` for its size).
    RangeNotSatisfiable,
    /// Fields are invalid; `errors` names each.
    ValidationFailed,
    /// A failure on the server; the cause is logged with the request id.
    Internal,
    /// A dependency (the database) does not answer.
    Unavailable,
    /// Too many failed attempts; see `Retry-After`.
    TooManyAttempts,
    /// The `Idempotency-Key` was used for another request.
    IdempotencyKeyReused,
    /// The current password is wrong.
    WrongPassword,
    /// An account with this e-mail exists.
    EmailTaken,
    /// An organisation with this slug exists.
    SlugTaken,
    /// The organisation would be left without an admin.
    LastAdmin,
    /// Verified residency is required.
    NotVerified,
    /// The status cannot change to that from where it is.
    InvalidTransition,
    /// The caller already co-owns it.
    AlreadyCoOwner,
    /// No seat is left.
    MeetingFull,
    /// The caller is already registered.
    AlreadyRegistered,
    /// Registration is closed.
    RegistrationClosed,
    /// Only a held meeting takes this.
    MeetingNotHeld,
    /// The consultation is not open.
    ConsultationNotOpen,
    /// The consultation has not closed yet.
    ConsultationNotClosed,
    /// The report is already published.
    ReportAlreadyPublished,
    /// The period cannot change once open.
    PeriodLocked,
    /// The survey is not open.
    SurveyNotOpen,
    /// The survey has responses: only texts may change.
    SurveyStructureLocked,
    /// The survey has responses: its settings cannot change.
    SurveySettingsLocked,
    /// The caller already answered.
    AlreadyResponded,
    /// Not possible in the process's current phase.
    WrongPhase,
    /// The rules are fixed once voting opens.
    RulesFixed,
    /// The ballot breaks the process's ballot rule.
    BallotRuleBroken,
    /// The server's secret changed during the vote: the earlier ballot cannot be replaced.
    BallotKeyChanged,
    /// The process lets a resident vote in one district, and they voted in another.
    OneDistrictOnly,
    /// The proposal was not found feasible.
    NotFeasible,
    /// Only a winning project takes this.
    NotAWinner,
    /// The caller already supports it.
    AlreadySupported,
    /// The results are still being computed; see `Retry-After`.
    ResultsBusy,
    /// Staff closed comments on this page.
    CommentsClosed,
    /// The comment is past its edit window (15 minutes after posting).
    EditWindowOver,
    /// A moderator blocked the caller from commenting in this organisation for now.
    CommentingBlocked,
    /// Too many requests in a short time; see `Retry-After`.
    RateLimited,
    /// The caller already reported this.
    AlreadyReported,
    /// Taking part needs a confirmed e-mail address: open the link in the verification e-mail.
    EmailNotVerified,
    /// An e-mailed link's token is unknown, used or expired.
    InvalidToken,
    /// The caller sent the same submission (a report with the same title) less than a minute ago.
    DuplicateSubmission,
    /// A read-only API token was used for a change.
    ReadOnlyToken,
    /// The address has a pending invitation: resend or revoke it.
    InvitationPending,
    /// The invitation was sent to another address than the signed-in account's.
    InvitationForAnotherAddress,
    /// The organisation verified the caller's residency already.
    AlreadyVerified,
    /// The caller has a pending residency request there already.
    ResidencyRequestPending,
    /// The organisation is already invited to or a member of the programme.
    AlreadyInProgramme,
}

impl ErrorCode {
    /// Every code, in the order of the spec's enum.
    pub const ALL: [ErrorCode; 59] = [
        ErrorCode::BadRequest,
        ErrorCode::MalformedJson,
        ErrorCode::BadQuery,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PreconditionFailed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::ValidationFailed,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::TooManyAttempts,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::WrongPassword,
        ErrorCode::EmailTaken,
        ErrorCode::SlugTaken,
        ErrorCode::LastAdmin,
        ErrorCode::NotVerified,
        ErrorCode::InvalidTransition,
        ErrorCode::AlreadyCoOwner,
        ErrorCode::MeetingFull,
        ErrorCode::AlreadyRegistered,
        ErrorCode::RegistrationClosed,
        ErrorCode::MeetingNotHeld,
        ErrorCode::ConsultationNotOpen,
        ErrorCode::ConsultationNotClosed,
        ErrorCode::ReportAlreadyPublished,
        ErrorCode::PeriodLocked,
        ErrorCode::SurveyNotOpen,
        ErrorCode::SurveyStructureLocked,
        ErrorCode::SurveySettingsLocked,
        ErrorCode::AlreadyResponded,
        ErrorCode::WrongPhase,
        ErrorCode::RulesFixed,
        ErrorCode::BallotRuleBroken,
        ErrorCode::BallotKeyChanged,
        ErrorCode::OneDistrictOnly,
        ErrorCode::NotFeasible,
        ErrorCode::NotAWinner,
        ErrorCode::AlreadySupported,
        ErrorCode::ResultsBusy,
        ErrorCode::CommentsClosed,
        ErrorCode::EditWindowOver,
        ErrorCode::CommentingBlocked,
        ErrorCode::RateLimited,
        ErrorCode::AlreadyReported,
        ErrorCode::EmailNotVerified,
        ErrorCode::InvalidToken,
        ErrorCode::DuplicateSubmission,
        ErrorCode::ReadOnlyToken,
        ErrorCode::RangeNotSatisfiable,
        ErrorCode::InvitationPending,
        ErrorCode::InvitationForAnotherAddress,
        ErrorCode::AlreadyVerified,
        ErrorCode::ResidencyRequestPending,
        ErrorCode::PreconditionRequired,
        ErrorCode::AlreadyInProgramme,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad-request",
            ErrorCode::MalformedJson => "malformed-json",
            ErrorCode::BadQuery => "bad-query",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not-found",
            ErrorCode::MethodNotAllowed => "method-not-allowed",
            ErrorCode::PreconditionFailed => "precondition-failed",
            ErrorCode::PreconditionRequired => "precondition-required",
            ErrorCode::PayloadTooLarge => "payload-too-large",
            ErrorCode::UnsupportedMediaType => "unsupported-media-type",
            ErrorCode::ValidationFailed => "validation-failed",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::TooManyAttempts => "too-many-attempts",
            ErrorCode::IdempotencyKeyReused => "idempotency-key-reused",
            ErrorCode::WrongPassword => "wrong-password",
            ErrorCode::EmailTaken => "email-taken",
            ErrorCode::SlugTaken => "slug-taken",
            ErrorCode::LastAdmin => "last-admin",
            ErrorCode::NotVerified => "not-verified",
            ErrorCode::InvalidTransition => "invalid-transition",
            ErrorCode::AlreadyCoOwner => "already-co-owner",
            ErrorCode::MeetingFull => "meeting-full",
            ErrorCode::AlreadyRegistered => "already-registered",
            ErrorCode::RegistrationClosed => "registration-closed",
            ErrorCode::MeetingNotHeld => "meeting-not-held",
            ErrorCode::ConsultationNotOpen => "consultation-not-open",
            ErrorCode::ConsultationNotClosed => "consultation-not-closed",
            ErrorCode::ReportAlreadyPublished => "report-already-published",
            ErrorCode::PeriodLocked => "period-locked",
            ErrorCode::SurveyNotOpen => "survey-not-open",
            ErrorCode::SurveyStructureLocked => "survey-structure-locked",
            ErrorCode::SurveySettingsLocked => "survey-settings-locked",
            ErrorCode::AlreadyResponded => "already-responded",
            ErrorCode::WrongPhase => "wrong-phase",
            ErrorCode::RulesFixed => "rules-fixed",
            ErrorCode::BallotRuleBroken => "ballot-rule-broken",
            ErrorCode::BallotKeyChanged => "ballot-key-changed",
            ErrorCode::OneDistrictOnly => "one-district-only",
            ErrorCode::NotFeasible => "not-feasible",
            ErrorCode::NotAWinner => "not-a-winner",
            ErrorCode::AlreadySupported => "already-supported",
            ErrorCode::ResultsBusy => "results-busy",
            ErrorCode::CommentsClosed => "comments-closed",
            ErrorCode::EditWindowOver => "edit-window-over",
            ErrorCode::CommentingBlocked => "commenting-blocked",
            ErrorCode::RateLimited => "rate-limited",
            ErrorCode::AlreadyReported => "already-reported",
            ErrorCode::EmailNotVerified => "email-not-verified",
            ErrorCode::InvalidToken => "invalid-token",
            ErrorCode::DuplicateSubmission => "duplicate-submission",
            ErrorCode::ReadOnlyToken => "read-only-token",
            ErrorCode::RangeNotSatisfiable => "range-not-satisfiable",
            ErrorCode::InvitationPending => "invitation-pending",
            ErrorCode::InvitationForAnotherAddress => "invitation-for-another-address",
            ErrorCode::AlreadyVerified => "already-verified",
            ErrorCode::ResidencyRequestPending => "residency-request-pending",
            ErrorCode::AlreadyInProgramme => "already-in-programme",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; stable, so clients can branch on it.
    #[serde(rename = "type")]
    #[schema(example = "urn:pnyx:problem:validation-failed")]
    pub type_: String,
    /// The same kind as a short code.
    pub code: ErrorCode,
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
    code: ErrorCode,
    detail: String,
    errors: Vec<FieldError>,
    internal: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    #[must_use]
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError { status, code, detail: detail.into(), errors: Vec::new(), internal: None, headers: Vec::new() }
    }

    #[must_use]
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, detail)
    }

    #[must_use]
    pub fn malformed_json(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::MalformedJson, detail)
    }

    #[must_use]
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, detail)
            .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    #[must_use]
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, "You are not allowed to do this.")
    }

    #[must_use]
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, format!("No such {what}."))
    }

    #[must_use]
    pub fn conflict(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    #[must_use]
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::PreconditionFailed,
            "The resource changed since you read it (If-Match does not match its ETag); reload and try again.",
        )
    }

    /// 428: the change needs `If-Match`.
    #[must_use]
    pub fn precondition_required(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::PRECONDITION_REQUIRED, ErrorCode::PreconditionRequired, detail)
    }

    #[must_use]
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e =
            Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ValidationFailed, "The request has invalid fields.");
        e.errors = errors;
        e
    }

    /// The same error under a more specific machine-readable code.
    #[must_use]
    pub fn with_code(mut self, code: ErrorCode) -> Self {
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
            ErrorCode::Internal,
            "Something went wrong on our side; it has been logged.",
        );
        e.internal = Some(cause.to_string());
        e
    }

    /// 503: the database does not answer; the client may retry in a second.
    #[must_use]
    pub fn database_down() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "The database does not answer; try again in a moment.",
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    }

    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    #[must_use]
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    #[must_use]
    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:pnyx:problem:{}", self.code),
            code: self.code,
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
            AuthzError::EmailNotVerified => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::EmailNotVerified,
                "Confirm your e-mail address first: open the link in the e-mail we sent you.",
            ),
        }
    }
}

impl From<RepoError> for ApiError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound => ApiError::not_found("resource"),
            RepoError::Conflict { field, message } => ApiError::field(field, message),
            RepoError::Unavailable(cause) => ApiError::internal(cause),
            RepoError::Unreachable(cause) => {
                tracing::warn!(cause = %cause, "the database is unreachable");
                ApiError::database_down()
            }
        }
    }
}

impl From<OrgError> for ApiError {
    fn from(e: OrgError) -> Self {
        match e {
            OrgError::Authz(a) => a.into(),
            OrgError::NotFound => ApiError::not_found("organisation"),
            OrgError::UserNotFound => ApiError::not_found("user"),
            OrgError::Invalid(SettingsError::Area(f)) => ApiError::field(f.field, f.message),
            OrgError::Invalid(s) => {
                let field = match s {
                    SettingsError::Name(_) => "name",
                    SettingsError::Description(_) => "description",
                    SettingsError::DefaultNotEnabled => "locales",
                    SettingsError::Area(_) => "area",
                    SettingsError::AccentColor(_) => "accent_color",
                };
                let message = s.to_string();
                let message = message.split_once(": ").map_or(message.clone(), |(_, m)| m.to_owned());
                ApiError::field(field, message)
            }
            OrgError::Stale => ApiError::precondition_failed(),
            OrgError::LastAdmin => ApiError::conflict(ErrorCode::LastAdmin, e.to_string()),
            OrgError::SlugTaken => {
                ApiError::conflict(ErrorCode::SlugTaken, "An organisation with this slug already exists.")
            }
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

#[cfg(test)]
mod code_tests {
    use super::ErrorCode;

    #[test]
    fn every_code_serialises_as_its_name_and_back() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(json, code.as_str(), "serde and as_str agree");
            assert_eq!(serde_json::from_value::<ErrorCode>(json).ok(), Some(code));
            assert!(seen.insert(code.as_str()), "{code} listed twice");
        }
    }
}

/// The problem responses many operations share, as reusable OpenAPI response components
/// (`#/components/responses/…`), so that each operation names them instead of repeating them:
/// `(status = 401, response = problems::Unauthorized)`.
pub mod problems {
    use utoipa::ToResponse;

    use super::Problem;

    /// Not signed in, or the token is missing, invalid or expired (`unauthorized`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct Unauthorized(#[allow(dead_code)] Problem);

    /// Signed in, without the role this needs in the organisation (`forbidden`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct Forbidden(#[allow(dead_code)] Problem);

    /// The body is not well-formed JSON (`malformed-json`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct MalformedJson(#[allow(dead_code)] Problem);

    /// Fields are invalid; `errors` names each (`validation-failed`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct Invalid(#[allow(dead_code)] Problem);

    /// `limit` or `cursor` is invalid (`validation-failed`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct BadPaging(#[allow(dead_code)] Problem);

    /// `If-Match` names a version that is no longer current: reload and try again
    /// (`precondition-failed`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct Stale(#[allow(dead_code)] Problem);

    /// The change needs `If-Match` with the `ETag` read (`precondition-required`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct IfMatchRequired(#[allow(dead_code)] Problem);

    /// No organisation has this slug (`not-found`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct NoSuchOrganisation(#[allow(dead_code)] Problem);

    /// Nothing with these path parameters (the organisation or the resource), or not visible to
    /// the caller (`not-found`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct NotFound(#[allow(dead_code)] Problem);

    /// A query parameter cannot be read: a wrong type, an unknown value or name (`bad-query`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct BadQuery(#[allow(dead_code)] Problem);

    /// The body is larger than this operation takes (`payload-too-large`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct PayloadTooLarge(#[allow(dead_code)] Problem);

    /// The body is not of a type this operation takes, e.g. not `application/json`
    /// (`unsupported-media-type`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct UnsupportedMediaType(#[allow(dead_code)] Problem);

    /// A change asked for with a read-only API token (`read-only-token`), or by a caller without
    /// the role it needs (`forbidden`).
    #[derive(ToResponse)]
    #[response(content_type = "application/problem+json")]
    pub struct Refused(#[allow(dead_code)] Problem);
}
