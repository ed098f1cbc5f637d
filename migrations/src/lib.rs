//! Pnyx's database schema as sea-orm migrations, portable between SQLite and PostgreSQL.
//!
//! Each migration is a small forward step with a real `down`; files are named
//! `mYYYYMMDD_HHMMSS_<verb>_<noun>.rs`.

pub use sea_orm_migration::prelude::*;

mod m20261124_120000_create_accounts;
mod m20261124_130000_create_history_and_notifications;
mod m20261124_140000_create_consultations;
mod m20261124_150000_create_meetings;
mod m20261124_160000_create_action_plans;
mod m20261124_170000_create_surveys;
mod m20261124_180000_create_budgets;
mod m20261124_190000_index_survey_response_changes;
mod m20261130_100000_ballot_secrecy_and_districts;
mod m20261201_120000_rename_budget_min_votes;
mod m20261202_100000_create_comments;
mod m20261202_110000_create_search_index;
mod m20261203_090000_create_search_versions;
mod m20261203_100000_create_mail_outbox;
mod m20261204_090000_create_reports;
mod m20261205_080000_api_token_expiry;
mod m20261205_090000_create_budget_execution;
mod m20261205_090000_create_files;
mod m20261205_090000_create_rate_limits;
mod m20261205_100000_create_follows_and_preferences;
mod m20261205_120000_create_invitations_and_residency;
mod m20261210_090000_create_open_data_settings;
mod m20261210_100000_make_audit_log_append_only;
mod m20261215_090000_org_branding;
mod m20261216_100000_create_webhooks;
mod m20261216_110000_announce_consultation_openings;
mod m20261217_090000_create_documents_and_pages;
mod m20261218_100000_personal_data_and_retention;
mod m20261220_090000_create_programmes;
mod m20261221_090000_count_survey_response_versions;
mod m20261222_090000_index_budget_proposal_orders;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_120000_create_accounts::Migration),
            Box::new(m20261124_130000_create_history_and_notifications::Migration),
            Box::new(m20261124_140000_create_consultations::Migration),
            Box::new(m20261124_150000_create_meetings::Migration),
            Box::new(m20261124_160000_create_action_plans::Migration),
            Box::new(m20261124_170000_create_surveys::Migration),
            Box::new(m20261124_180000_create_budgets::Migration),
            Box::new(m20261124_190000_index_survey_response_changes::Migration),
            Box::new(m20261130_100000_ballot_secrecy_and_districts::Migration),
            Box::new(m20261201_120000_rename_budget_min_votes::Migration),
            Box::new(m20261202_100000_create_comments::Migration),
            Box::new(m20261202_110000_create_search_index::Migration),
            Box::new(m20261203_090000_create_search_versions::Migration),
            Box::new(m20261203_100000_create_mail_outbox::Migration),
            Box::new(m20261204_090000_create_reports::Migration),
            Box::new(m20261205_080000_api_token_expiry::Migration),
            Box::new(m20261205_090000_create_budget_execution::Migration),
            Box::new(m20261205_090000_create_files::Migration),
            Box::new(m20261205_090000_create_rate_limits::Migration),
            Box::new(m20261205_100000_create_follows_and_preferences::Migration),
            Box::new(m20261205_120000_create_invitations_and_residency::Migration),
            Box::new(m20261210_090000_create_open_data_settings::Migration),
            Box::new(m20261210_100000_make_audit_log_append_only::Migration),
            Box::new(m20261215_090000_org_branding::Migration),
            Box::new(m20261216_100000_create_webhooks::Migration),
            Box::new(m20261216_110000_announce_consultation_openings::Migration),
            Box::new(m20261217_090000_create_documents_and_pages::Migration),
            Box::new(m20261218_100000_personal_data_and_retention::Migration),
            Box::new(m20261220_090000_create_programmes::Migration),
            Box::new(m20261221_090000_count_survey_response_versions::Migration),
            Box::new(m20261222_090000_index_budget_proposal_orders::Migration),
        ]
    }
}
