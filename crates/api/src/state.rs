//! What every handler shares: the services, the store behind the domain's ports for the areas
//! not yet on services, and settings.

use std::sync::Arc;

use pnyx_domain::accounts::AccountService;
use pnyx_domain::clock::Clock;
use pnyx_domain::health::HealthService;
use pnyx_domain::idempotency::IdempotencyService;
use pnyx_domain::notifications::NotificationService;
use pnyx_domain::repo::Store;

/// Settings the API itself needs.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    /// Mark the refresh cookie `Secure` (on in production, where the site is served over HTTPS).
    pub secure_cookies: bool,
}

/// Application state, shared by every worker.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Where services read the time (tests move it).
    pub clock: Arc<dyn Clock>,
    pub settings: ApiSettings,
    /// Accounts, sessions, profile, API tokens, and who a bearer token is.
    pub accounts: Arc<AccountService>,
    /// The signed-in user's notifications.
    pub notifications: Arc<NotificationService>,
    /// The readiness probe.
    pub health: Arc<HealthService>,
    /// Responses stored under `Idempotency-Key`.
    pub idempotency: Arc<IdempotencyService>,
    /// Derives secret ballot keys (participatory budget).
    pub ballot_keys: crate::ballots::BallotKeys,
    /// Results of processes whose ballots are final.
    pub results_cache: Arc<crate::ballots::ResultsCache>,
    /// Computed survey results, by survey version and responses.
    pub survey_results_cache: Arc<crate::routes::surveys::SurveyResultsCache>,
}
