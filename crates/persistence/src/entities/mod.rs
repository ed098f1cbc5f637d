//! sea-orm entities, one per table. Only this crate sees them: repositories convert to domain types.

pub mod action_plans;
pub mod activity_co_owners;
pub mod api_tokens;
pub mod audit_log;
pub mod commitment_co_owners;
pub mod commitments;
pub mod consultations;
pub mod history_entries;
pub mod idempotency_keys;
pub mod meeting_activities;
pub mod meeting_registrations;
pub mod meetings;
pub mod memberships;
pub mod milestones;
pub mod notifications;
pub mod opinions;
pub mod organisations;
pub mod refresh_tokens;
pub mod survey_participations;
pub mod survey_responses;
pub mod surveys;
pub mod users;
