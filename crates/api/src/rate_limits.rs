//! Which requests count against which rate limit: a table of operations, each with the limits
//! of the domain's [`pnyx_domain::rate_limit::limits`] it counts against, per client address and
//! per account. The counting itself (shared by every server on the database) is the domain's
//! [`RateLimitService`](pnyx_domain::rate_limit::RateLimitService). Failed logins are counted by
//! the account service itself, per account and address together.

use actix_web::HttpRequest;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use pnyx_domain::rate_limit::{Limit, LimitError, limits};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// Whom a limit counts.
#[derive(Debug, Clone, Copy)]
enum Per {
    /// The client's address.
    Address,
    /// The signed-in account (skipped for anonymous requests, which the operation refuses).
    Account,
    /// The client's address, for anonymous requests only.
    AnonymousAddress,
}

struct Rule {
    name: &'static str,
    method: Method,
    /// Path segments after `/api/v1/`; `*` matches any one segment.
    path: &'static [&'static str],
    counts: &'static [(Per, Limit)],
}

fn rules() -> &'static [Rule] {
    static RULES: std::sync::LazyLock<Vec<Rule>> = std::sync::LazyLock::new(|| {
        vec![
            Rule {
                name: "register",
                method: Method::POST,
                path: &["auth", "register"],
                counts: &[(Per::Address, limits::REGISTRATIONS)],
            },
            Rule {
                name: "password-reset",
                method: Method::POST,
                path: &["auth", "password-reset"],
                counts: &[(Per::Address, limits::MAIL_REQUESTS)],
            },
            Rule {
                name: "verification-email",
                method: Method::POST,
                path: &["auth", "verification-email"],
                counts: &[(Per::Address, limits::MAIL_REQUESTS)],
            },
            Rule {
                name: "password-change",
                method: Method::POST,
                path: &["me", "password"],
                counts: &[(Per::Account, limits::PASSWORD_CHANGES)],
            },
            Rule {
                name: "account-delete",
                method: Method::POST,
                path: &["me", "delete"],
                counts: &[(Per::Account, limits::PASSWORD_CHANGES)],
            },
            Rule {
                name: "token-create",
                method: Method::POST,
                path: &["me", "tokens"],
                counts: &[(Per::Account, limits::TOKENS_CREATED)],
            },
            Rule {
                name: "anonymous-opinion",
                method: Method::POST,
                path: &["orgs", "*", "consultations", "*", "opinions"],
                counts: &[(Per::AnonymousAddress, limits::ANONYMOUS_OPINIONS)],
            },
            Rule {
                name: "proposal-create",
                method: Method::POST,
                path: &["orgs", "*", "budgets", "*", "proposals"],
                counts: &[(Per::Account, limits::PROPOSALS_BY_ACCOUNT), (Per::Address, limits::PROPOSALS_BY_ADDRESS)],
            },
        ]
    });
    &RULES
}

fn matching(method: &Method, path: &str) -> Option<&'static Rule> {
    let rest = path.strip_prefix("/api/v1/")?.trim_end_matches('/');
    rules().iter().find(|r| {
        r.method == *method && {
            let mut segments = rest.split('/');
            r.path.iter().all(|p| segments.next().is_some_and(|s| *p == "*" || s == *p)) && segments.next().is_none()
        }
    })
}

/// The client's address: the connection's peer, or with `PNYX_TRUST_FORWARDED` the address the
/// proxy in front reports. That is the LAST entry of `X-Forwarded-For` (or the last `for=` of
/// `Forwarded`): the one our proxy appended. Earlier entries come from the client and could be
/// anything.
#[must_use]
pub fn client_address(st: &AppState, req: &HttpRequest) -> String {
    if st.settings.trust_forwarded
        && let Some(ip) = forwarded_client(req)
    {
        return ip;
    }
    req.peer_addr().map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}

fn forwarded_client(req: &HttpRequest) -> Option<String> {
    let last = |name: &str, pick: &dyn Fn(&str) -> Option<String>| {
        req.headers().get_all(name).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).filter_map(pick).last()
    };
    last("x-forwarded-for", &|e: &str| Some(e.trim().to_owned()).filter(|e| !e.is_empty())).or_else(|| {
        last("forwarded", &|e: &str| {
            e.split(';').find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                k.eq_ignore_ascii_case("for").then(|| v.trim_matches('"').to_owned())
            })
        })
    })
}

/// A 429 problem with `Retry-After`.
#[must_use]
pub fn too_many(retry_after_secs: i64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        format!("Too many requests; try again in {retry_after_secs} seconds."),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_secs))
}

/// Counts the request against its operation's limits, before the operation runs; over a limit
/// it is answered 429 with `Retry-After` and nothing else happens.
///
/// # Errors
/// 429 over a limit; 401 for an invalid token; 503 when the database fails.
pub async fn rate_limits(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if let Some(rule) = matching(req.method(), req.path())
        && let Some(st) = req.app_data::<actix_web::web::Data<AppState>>().cloned()
    {
        let address = client_address(&st, req.request());
        let account = if rule.counts.iter().any(|(p, _)| !matches!(p, Per::Address)) {
            crate::extract::authenticated(req.request()).await?.map(|a| a.principal.user_id)
        } else {
            None
        };
        for (per, limit) in rule.counts {
            let key = match (per, account) {
                (Per::Address, _) | (Per::AnonymousAddress, None) => format!("{}-from:{address}", rule.name),
                (Per::Account, Some(user)) => format!("{}-by:{user}", rule.name),
                (Per::Account, None) | (Per::AnonymousAddress, Some(_)) => continue,
            };
            match st.rate_limits.hit(&key, *limit).await {
                Ok(()) => {}
                Err(LimitError::Limited(l)) => return Err(too_many(l.retry_after_secs).into()),
                Err(LimitError::Repo(r)) => return Err(ApiError::from(r).into()),
            }
        }
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_matched_by_method_and_every_segment() {
        assert_eq!(matching(&Method::POST, "/api/v1/auth/register").map(|r| r.name), Some("register"));
        assert_eq!(
            matching(&Method::POST, "/api/v1/orgs/mesto/budgets/0190/proposals").map(|r| r.name),
            Some("proposal-create")
        );
        assert!(matching(&Method::GET, "/api/v1/orgs/mesto/budgets/0190/proposals").is_none(), "reads are free");
        assert!(matching(&Method::POST, "/api/v1/orgs/mesto/budgets/0190/proposals/1/support").is_none());
        assert!(matching(&Method::POST, "/api/v1/auth/registerx").is_none());
        assert!(matching(&Method::POST, "/v1/auth/register").is_none());
    }

    #[test]
    fn the_forwarded_client_is_the_last_hop_the_proxy_appended() {
        use actix_web::test::TestRequest;
        let req = TestRequest::default().insert_header(("x-forwarded-for", "6.6.6.6, 203.0.113.5")).to_http_request();
        assert_eq!(forwarded_client(&req).as_deref(), Some("203.0.113.5"), "the client's own entry is ignored");
        let req = TestRequest::default()
            .append_header(("x-forwarded-for", "6.6.6.6"))
            .append_header(("x-forwarded-for", "198.51.100.7"))
            .to_http_request();
        assert_eq!(forwarded_client(&req).as_deref(), Some("198.51.100.7"));
        let req = TestRequest::default()
            .insert_header(("forwarded", "for=6.6.6.6;proto=https, for=\"[2001:db8::1]\";proto=https"))
            .to_http_request();
        assert_eq!(forwarded_client(&req).as_deref(), Some("[2001:db8::1]"));
        assert_eq!(forwarded_client(&TestRequest::default().to_http_request()), None);
    }
}
