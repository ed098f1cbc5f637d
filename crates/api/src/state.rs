//! What every handler shares: the store behind the domain's ports, the JWT keys and settings.

use std::sync::Arc;

use pnyx_domain::clock::Clock;
use pnyx_domain::meetings::service::MeetingService;
use pnyx_domain::repo::Store;

use crate::security::JwtKeys;

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
    pub jwt: JwtKeys,
    pub settings: ApiSettings,
    /// Failed-login counter (per e-mail).
    pub login_throttle: Arc<crate::throttle::LoginThrottle>,
    /// Derives secret ballot keys (participatory budget).
    pub ballot_keys: crate::ballots::BallotKeys,
    /// Results of processes whose ballots are final.
    pub results_cache: Arc<crate::ballots::ResultsCache>,
    /// Computed survey results, by survey version and responses.
    pub survey_results_cache: Arc<crate::routes::surveys::SurveyResultsCache>,
    /// The meeting use cases.
    pub meetings: Arc<MeetingService>,
}
