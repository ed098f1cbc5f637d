//! The HTTP resources, one module each, each exposing `configure`.

pub mod accounts;
pub mod action_plans;
pub mod budgets;
pub mod calendar;
pub mod comments;
pub mod consultations;
pub mod health;
pub mod meetings;
pub mod notifications;
pub mod opendata;
pub mod orgs;
pub mod reports;
pub mod search;
pub mod surveys;
