//! Pnyx's domain: the types and rules of open government, free of any database or HTTP concern.
//!
//! Every rule that decides something — who may do what, which transitions are allowed, whether a
//! ballot is valid, who wins a participatory budget — lives here and is unit-tested here.

pub mod accounts;
pub mod action_plans;
pub mod audit;
pub mod auth;
pub mod branding;
pub mod budget;
pub mod budget_execution;
pub mod calendar;
pub mod clock;
pub mod comments;
pub mod consultations;
pub mod documents;
pub mod files;
pub mod health;
pub mod history;
pub mod i18n;
pub mod idempotency;
pub mod ids;
pub mod invitations;
pub mod mail;
pub mod meetings;
pub mod money;
pub mod notifications;
pub mod opendata;
pub mod org;
pub mod pages;
pub mod privacy;
pub mod programmes;
pub mod rate_limit;
pub mod repo;
pub mod reports;
pub mod residency;
pub mod search;
pub mod serbian;
pub mod surveys;
pub mod version;
pub mod webhooks;
pub mod workspace;

/// The current time at microsecond precision from the system clock. Services take a
/// [`clock::Clock`] instead, so that tests can set the date; this is for start-up code.
#[must_use]
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use clock::Clock;
    clock::SystemClock.now()
}
