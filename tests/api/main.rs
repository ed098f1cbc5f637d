//! Black-box tests of the Pnyx HTTP API: one binary, a module per resource. Every test that
//! touches the database runs on SQLite and on PostgreSQL (see `helpers::on_both_databases`).

// Test code may panic on the unexpected: that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod account_mail;
mod accounts;
mod accounts_atomic;
mod action_plans;
mod action_plans_atomic;
mod audit_log;
mod backup;
mod ballot_secrecy;
mod budget_execution;
mod budgets;
mod budgets_atomic;
mod calendar;
mod chaos;
mod comments;
mod comments_atomic;
mod consultation_openings;
mod consultations;
mod crash;
mod documents;
mod engagement_atomic;
mod errors;
mod files;
mod files_cleanup;
mod follows;
mod hardening;
mod health;
mod history;
mod invitations;
mod mail_delivery;
mod meetings;
mod meetings_atomic;
mod members;
mod metrics;
mod migrations;
mod notifications;
mod ogp;
mod openapi;
mod opendata;
mod org_branding;
mod orgs;
mod orgs_atomic;
mod pabulib;
mod pages;
mod paper_ballots;
mod permissions;
mod privacy;
mod programmes;
mod reports;
mod reports_answers;
mod residency;
mod round_trips;
mod search;
mod security_headers;
mod seed;
mod surveys;
mod two_servers;
mod unit_of_work;
mod web_assets;
mod webhooks;
mod workspace;
