//! The HTTP resources, one module each, each exposing `configure`.

pub mod accounts;
pub mod action_plans;
pub mod budget_execution;
pub mod budgets;
pub mod calendar;
pub mod comments;
pub mod consultations;
pub mod documents;
pub mod files;
pub mod health;
pub mod invitations;
pub mod meetings;
pub mod notifications;
pub mod opendata;
pub mod orgs;
pub mod pages;
pub mod privacy;
pub mod programmes;
pub mod reports;
pub mod residency;
pub mod search;
pub mod surveys;
pub mod webhooks;
