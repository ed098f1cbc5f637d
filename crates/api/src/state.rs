//! What every handler shares: the domain's services (built in the server crate, each with the
//! store and the clock it needs) and the API's own settings. Handlers reach the database only
//! through a service.

use std::sync::Arc;

use pnyx_domain::accounts::AccountService;
use pnyx_domain::action_plans::ActionPlanService;
use pnyx_domain::clock::Clock;
use pnyx_domain::consultations::ConsultationService;
use pnyx_domain::health::HealthService;
use pnyx_domain::idempotency::IdempotencyService;
use pnyx_domain::meetings::service::MeetingService;
use pnyx_domain::notifications::NotificationService;
use pnyx_domain::org::OrgService;
use pnyx_domain::surveys::SurveyService;

/// Settings the API itself needs.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    /// Mark the refresh cookie `Secure` and give it the `__Host-` prefix (on in production, where
    /// the site is served over HTTPS; off on localhost in development).
    pub secure_cookies: bool,
    /// The site's public address (`PNYX_PUBLIC_URL`, no trailing slash): links in calendar feeds
    /// start with it, never with a request's `Host` or `X-Forwarded-Host`.
    pub public_url: String,
    /// Take the client's address from `Forwarded`/`X-Forwarded-For` (behind a trusted proxy).
    pub trust_forwarded: bool,
}

/// Application state, shared by every worker.
#[derive(Clone)]
pub struct AppState {
    /// Where services read the time (tests move it).
    pub clock: Arc<dyn Clock>,
    /// Organisations, members and the staff-change log.
    pub orgs: Arc<OrgService>,
    /// Consultations, opinions and reports.
    pub consultations: Arc<ConsultationService>,
    /// Surveys, responses and results.
    pub surveys: Arc<SurveyService>,
    pub settings: ApiSettings,
    /// Residents' personal data: the archive, deleting an account, retention settings.
    pub privacy: Arc<pnyx_domain::privacy::PrivacyService>,
    /// Accounts, sessions, profile, API tokens, and who a bearer token is.
    pub accounts: Arc<AccountService>,
    /// The signed-in user's notifications.
    pub notifications: Arc<NotificationService>,
    /// The readiness probe.
    pub health: Arc<HealthService>,
    /// Responses stored under `Idempotency-Key`.
    pub idempotency: Arc<IdempotencyService>,
    /// The participatory budget's use cases (with the ballot keys and the results cache).
    pub budgets: Arc<pnyx_domain::budget::BudgetService>,
    /// Action plans, commitments, milestones, progress and co-owners.
    pub action_plans: Arc<ActionPlanService>,
    /// The meeting use cases.
    pub meetings: Arc<MeetingService>,
    /// Full-text search over an organisation's public resources.
    pub search: Arc<pnyx_domain::search::SearchService>,
    /// Comments, threads and reports.
    pub comments: Arc<pnyx_domain::comments::CommentService>,
    /// The moderation queue, decisions, blocks and settings.
    pub moderation: Arc<pnyx_domain::comments::ModerationService>,
    /// The organisation's public calendar feed.
    pub calendar: Arc<pnyx_domain::calendar::CalendarService>,
    /// Rate limits, counted in the database (shared by several servers).
    pub rate_limits: Arc<pnyx_domain::rate_limit::RateLimitService>,
    /// Residents' reports and proposals, their categories, answers and statistics.
    pub reports: Arc<pnyx_domain::reports::ReportService>,
    /// Budget years, their lines, imports and revisions.
    pub budget_execution: Arc<pnyx_domain::budget_execution::BudgetExecutionService>,
    /// Files attached to resources: uploads, downloads, deletion.
    pub files: Arc<pnyx_domain::files::FileService>,
    /// The documents library and its links to resources.
    pub documents: Arc<pnyx_domain::documents::DocumentService>,
    /// Content pages and their history.
    pub pages: Arc<pnyx_domain::pages::ContentPageService>,
    /// Staff invitations.
    pub invitations: Arc<pnyx_domain::invitations::InvitationService>,
    /// Residency verification.
    pub residency: Arc<pnyx_domain::residency::ResidencyService>,
    /// Organisations' webhooks and their delivery logs.
    pub webhooks: Arc<pnyx_domain::webhooks::WebhookService>,
    /// What waits for an organisation's staff.
    pub workspace: Arc<pnyx_domain::workspace::WorkspaceService>,
    /// Open datasets, their downloads and the catalogue.
    pub opendata: Arc<pnyx_domain::opendata::OpenDataService>,
    /// Programmes across municipalities and their members.
    pub programmes: Arc<pnyx_domain::programmes::ProgrammeService>,
}
