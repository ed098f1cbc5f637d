//! Meetings as stored, and the repository port. Seat-taking is one atomic operation of the
//! port, so capacity holds under concurrent sign-ups whatever the database.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{MeetingId, OrgId, UserId};

use super::rules::{Kind, RegistrationRules, RegistrationStatus, Status, Window};
use crate::i18n::LocalizedText;
use crate::repo::{Page, PageRequest, RepoResult};

/// An agenda item: what is discussed and for how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub title: LocalizedText,
    pub duration_minutes: u32,
}

/// A resource the meeting serves: an action plan, commitment, consultation or budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
}

/// A file from the meeting (the visual record, a presentation), by URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    pub url: String,
    /// `image` or `pdf`.
    pub kind: String,
}

/// A public meeting.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub org_id: OrgId,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub kind: Kind,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    /// Show the online link to registered people only.
    pub link_for_registrants_only: bool,
    pub window: Window,
    pub organiser: String,
    pub agenda: Vec<AgendaItem>,
    pub links: Vec<Link>,
    pub status: Status,
    pub cancel_reason: Option<String>,
    pub registration: RegistrationRules,
    /// Confirmed registrations: kept by the database together with the registrations.
    pub confirmed_count: u32,
    pub minutes: Option<LocalizedText>,
    pub attendance: Option<u32>,
    pub attachments: Vec<Attachment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One person's registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: Uuid,
    pub meeting_id: MeetingId,
    pub user_id: UserId,
    pub status: RegistrationStatus,
    pub created_at: DateTime<Utc>,
    pub display_name: String,
    pub email: String,
}

/// What a sign-up led to, decided atomically by the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    Confirmed,
    Waitlisted { position: u32 },
    Full,
    AlreadyRegistered,
}

/// A follow-up activity that came out of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: Uuid,
    pub meeting_id: MeetingId,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub co_owners: Vec<CoOwner>,
    pub created_at: DateTime<Utc>,
}

/// A resident who signed up to co-own an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoOwner {
    pub user_id: UserId,
    pub display_name: String,
    pub note: Option<String>,
}

/// Filters of the meeting list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    /// Meetings that serve this resource.
    pub linked: Option<Uuid>,
    /// Only these meetings (a full-text `?q=`).
    pub only: Option<std::collections::HashSet<Uuid>>,
    /// Latest first (else soonest first).
    pub descending: bool,
}

/// A meeting as the public reads show it: with its visible comments and its waiting list counted
/// in the statement that reads it.
#[derive(Debug, Clone)]
pub struct CountedMeeting {
    pub meeting: Meeting,
    pub comments: u64,
    pub waitlisted: u32,
}

/// Persistence of meetings, registrations and activities.
#[async_trait::async_trait]
pub trait MeetingRepo: Send + Sync {
    async fn create_meeting(&self, m: &Meeting) -> RepoResult<()>;
    /// Saves everything but `confirmed_count` if `updated_at` is still `expected`; `Conflict` otherwise.
    async fn update_meeting(&self, m: &Meeting, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn meeting(&self, org_id: OrgId, id: MeetingId) -> RepoResult<Option<Meeting>>;
    /// Ordered by start time.
    async fn meetings(&self, org_id: OrgId, filter: &MeetingFilter, page: PageRequest) -> RepoResult<Page<Meeting>>;
    /// [`Self::meeting`] with its counts, in one statement.
    async fn meeting_counted(&self, org_id: OrgId, id: MeetingId) -> RepoResult<Option<CountedMeeting>>;
    /// [`Self::meetings`] with each one's counts, in one statement.
    async fn meetings_counted(
        &self,
        org_id: OrgId,
        filter: &MeetingFilter,
        page: PageRequest,
    ) -> RepoResult<Page<CountedMeeting>>;

    /// Takes a seat if one is free (atomically), else joins the waiting list if allowed.
    async fn sign_up(
        &self,
        meeting_id: MeetingId,
        user_id: UserId,
        waiting_list: bool,
        now: DateTime<Utc>,
    ) -> RepoResult<SignUp>;
    /// Cancels the user's registration; a freed seat goes to the first on the waiting list,
    /// whose user id is returned. `NotFound` when the user holds no live registration.
    async fn cancel_sign_up(
        &self,
        meeting_id: MeetingId,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> RepoResult<Option<UserId>>;
    async fn registration_of(&self, meeting_id: MeetingId, user_id: UserId) -> RepoResult<Option<Registration>>;
    /// Live registrations (confirmed, then waitlisted, each in sign-up order).
    async fn registrations(&self, meeting_id: MeetingId) -> RepoResult<Vec<Registration>>;
    async fn waitlisted_count(&self, meeting_id: MeetingId) -> RepoResult<u32>;

    async fn add_activity(&self, a: &Activity) -> RepoResult<()>;
    async fn activities(&self, meeting_id: MeetingId) -> RepoResult<Vec<Activity>>;
    /// `Conflict` when already a co-owner; `NotFound` for an unknown activity.
    async fn join_activity(
        &self,
        activity_id: Uuid,
        user_id: UserId,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> RepoResult<()>;
    /// `false` when the user was not a co-owner.
    async fn leave_activity(&self, activity_id: Uuid, user_id: UserId) -> RepoResult<bool>;
}
