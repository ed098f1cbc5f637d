//! The `pnyx` server: configuration, CLI, start-up — the one place where persistence and the
//! API are wired together.

pub mod cli;
pub mod config;
pub mod mail;
pub mod metrics;
pub mod preload;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod webhooks;

pub use config::Settings;
pub use startup::Application;
