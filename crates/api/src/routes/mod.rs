//! The HTTP resources, one module each, each exposing `configure`.

pub mod accountability;
pub mod accounts;
pub mod budgets;
pub mod calendar;
pub mod consultations;
pub mod health;
pub mod meetings;
pub mod notifications;
pub mod orgs;
pub mod surveys;
