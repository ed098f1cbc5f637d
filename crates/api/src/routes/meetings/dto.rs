//! What the meeting endpoints return, and the query parameters they take. Requests are in
//! [`super::requests`].

use chrono::{DateTime, Utc};
use pnyx_domain::ids::UserId;
use pnyx_domain::meetings::records::{Activity, Registration};
use pnyx_domain::meetings::rules::{Kind, RegistrationStatus, Status};
use pnyx_domain::meetings::service::{MeetingCan as Can, MeetingView, MyRegistration as Mine};
use pnyx_domain::org::Organisation;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocaleDto, LocalizedTextDto};
use crate::{dto_enum, list_response};

dto_enum!(/// How a meeting is held.
    KindDto => Kind { InPerson, Online, Hybrid });
dto_enum!(/// Where a meeting is in its life.
    MeetingStatusDto => Status { Scheduled, Cancelled, Held });

/// A registration's state.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatusDto {
    Confirmed,
    Waitlisted,
}

impl From<RegistrationStatus> for RegistrationStatusDto {
    fn from(s: RegistrationStatus) -> Self {
        if s == RegistrationStatus::Confirmed {
            RegistrationStatusDto::Confirmed
        } else {
            RegistrationStatusDto::Waitlisted
        }
    }
}

/// An agenda item.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemDto {
    pub title: LocalizedTextDto,
    #[validate(range(min = 1, max = 600))]
    #[schema(minimum = 1, maximum = 600, example = 30)]
    pub duration_minutes: u32,
}

/// What a meeting links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkTypeDto {
    ActionPlan,
    Commitment,
    Consultation,
    Budget,
}

impl LinkTypeDto {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkTypeDto::ActionPlan => "action_plan",
            LinkTypeDto::Commitment => "commitment",
            LinkTypeDto::Consultation => "consultation",
            LinkTypeDto::Budget => "budget",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::ActionPlan, Self::Commitment, Self::Consultation, Self::Budget].into_iter().find(|t| t.as_str() == s)
    }
}

/// A resource the meeting serves: an action plan, commitment, consultation or budget of the same
/// organisation (a 422 names the link otherwise), each at most once, up to 20.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkDto {
    #[serde(rename = "type")]
    #[schema(example = "action_plan")]
    pub type_: LinkTypeDto,
    pub id: Uuid,
}

/// A file from the meeting, by URL.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentDto {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[validate(custom(function = "crate::dto::web_url"), length(max = 2000))]
    #[schema(format = "uri", max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub url: String,
    /// `image` or `pdf`.
    #[validate(custom(function = "attachment_kind"))]
    #[schema(example = "image", pattern = "^(image|pdf)$")]
    pub kind: String,
}

fn attachment_kind(k: &str) -> Result<(), validator::ValidationError> {
    if k == "image" || k == "pdf" {
        Ok(())
    } else {
        Err(validator::ValidationError::new("kind").with_message("must be image or pdf".into()))
    }
}

/// How many are registered.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationCounts {
    pub confirmed: u32,
    pub waitlisted: u32,
    /// `null`: unlimited.
    pub capacity: Option<u32>,
    /// Seats left; `null` when unlimited.
    pub seats_left: Option<u32>,
}

/// The caller's own registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyRegistration {
    pub status: RegistrationStatusDto,
    /// Place on the waiting list (1 = next), when waitlisted.
    pub position: Option<u32>,
}

impl From<Mine> for MyRegistration {
    fn from(r: Mine) -> Self {
        MyRegistration { status: r.status.into(), position: r.position }
    }
}

/// What the caller may do with the meeting: whether they are allowed to, by the same decision
/// the endpoints make (the meeting's state may still refuse, e.g. registration closed).
#[derive(Debug, Serialize, ToSchema)]
#[allow(clippy::struct_excessive_bools)]
pub struct MeetingCan {
    /// Edit the meeting (admins and officials).
    pub edit: bool,
    /// Cancel it or mark it held (admins and officials).
    pub cancel: bool,
    /// Register for it (any signed-in user with a token that may act).
    pub register: bool,
    /// Publish minutes and outputs (admins and officials).
    pub record_minutes: bool,
    /// See and export its registrations (any staff role).
    pub see_registrations: bool,
}

impl From<Can> for MeetingCan {
    fn from(c: Can) -> Self {
        MeetingCan {
            edit: c.edit,
            cancel: c.cancel,
            register: c.register,
            record_minutes: c.record_minutes,
            see_registrations: c.see_registrations,
        }
    }
}

/// A meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    pub kind: KindDto,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// `null` when shown to registrants only and the caller is not one.
    pub online_url: Option<String>,
    pub link_for_registrants_only: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The organisation's time zone, to show the times in.
    #[schema(example = "Europe/Bratislava")]
    pub time_zone: String,
    pub organiser: String,
    pub agenda: Vec<AgendaItemDto>,
    pub links: Vec<LinkDto>,
    pub status: MeetingStatusDto,
    pub cancel_reason: Option<String>,
    pub registration_open: bool,
    pub registration_deadline: Option<DateTime<Utc>>,
    pub waiting_list: bool,
    pub registrations: RegistrationCounts,
    /// The caller's registration, when signed in and registered.
    pub my_registration: Option<MyRegistration>,
    /// Sanitised HTML per locale.
    pub minutes: Option<LocalizedTextDto>,
    pub attendance: Option<u32>,
    pub attachments: Vec<AttachmentDto>,
    /// What the caller may do with it.
    pub can: MeetingCan,
    /// Visible comments on it.
    pub comment_count: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(MeetingList, MeetingResponse, "A page of meetings, by start time.");

impl MeetingResponse {
    #[must_use]
    pub fn of(v: MeetingView, org: &Organisation) -> Self {
        let m = v.meeting;
        MeetingResponse {
            id: m.id.into(),
            title: (&m.title).into(),
            description: (&m.description).into(),
            kind: m.kind.into(),
            address: m.address,
            latitude: m.latitude,
            longitude: m.longitude,
            online_url: m.online_url,
            link_for_registrants_only: m.link_for_registrants_only,
            starts_at: m.window.starts_at(),
            ends_at: m.window.ends_at(),
            time_zone: org.time_zone.name().to_owned(),
            organiser: m.organiser,
            agenda: m
                .agenda
                .iter()
                .map(|a| AgendaItemDto { title: (&a.title).into(), duration_minutes: a.duration_minutes })
                .collect(),
            // A link stored before links were checked may name another kind: it is not shown.
            links: m
                .links
                .into_iter()
                .filter_map(|l| LinkTypeDto::parse(&l.kind).map(|type_| LinkDto { type_, id: l.id }))
                .collect(),
            status: m.status.into(),
            cancel_reason: m.cancel_reason,
            registration_open: m.registration.open,
            registration_deadline: m.registration.deadline,
            waiting_list: m.registration.waiting_list,
            registrations: RegistrationCounts {
                confirmed: m.confirmed_count,
                waitlisted: v.waitlisted,
                capacity: m.registration.capacity,
                seats_left: m.registration.capacity.map(|c| c.saturating_sub(m.confirmed_count)),
            },
            my_registration: v.mine.map(Into::into),
            minutes: m.minutes.as_ref().map(Into::into),
            attendance: m.attendance,
            attachments: m
                .attachments
                .into_iter()
                .map(|a| AttachmentDto { title: a.title, url: a.url, kind: a.kind })
                .collect(),
            can: v.can.into(),
            comment_count: v.comment_count,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A registration as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationResponse {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub status: RegistrationStatusDto,
    pub created_at: DateTime<Utc>,
}

impl From<Registration> for RegistrationResponse {
    fn from(r: Registration) -> Self {
        RegistrationResponse {
            user_id: r.user_id.into(),
            display_name: r.display_name,
            email: r.email,
            status: r.status.into(),
            created_at: r.created_at,
        }
    }
}

/// The registrations of a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationList {
    pub items: Vec<RegistrationResponse>,
}

/// A co-owner, by display name only.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoOwnerResponse {
    pub display_name: String,
    pub note: Option<String>,
}

/// A follow-up activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    pub co_owners: Vec<CoOwnerResponse>,
    /// Whether the caller is a co-owner.
    pub joined: bool,
    pub created_at: DateTime<Utc>,
}

impl ActivityResponse {
    /// The activity as `me` sees it (`joined` when they co-own it).
    #[must_use]
    pub fn of(a: Activity, me: Option<UserId>) -> Self {
        ActivityResponse {
            id: a.id,
            title: (&a.title).into(),
            description: (&a.description).into(),
            joined: me.is_some_and(|u| a.co_owners.iter().any(|c| c.user_id == u)),
            co_owners: a
                .co_owners
                .into_iter()
                .map(|c| CoOwnerResponse { display_name: c.display_name, note: c.note })
                .collect(),
            created_at: a.created_at,
        }
    }
}

/// The activities of a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityList {
    pub items: Vec<ActivityResponse>,
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingFilterParams {
    /// Meetings that end at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Meetings that start before this time.
    pub to: Option<DateTime<Utc>>,
    pub kind: Option<KindDto>,
    pub status: Option<MeetingStatusDto>,
    /// Meetings linked to this resource (action plan, commitment, consultation, budget).
    pub linked: Option<Uuid>,
    /// Only meetings that have not ended yet.
    pub upcoming: Option<bool>,
    /// Full-text search in the title, description, agenda and minutes (as `GET .../search`
    /// matches: every word, the last as a prefix, accents and case ignored).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `starts_at` (default: soonest first) or `-starts_at` (latest first).
    #[param(pattern = "^-?starts_at$")]
    pub sort: Option<String>,
}

/// `?lang=` of an iCalendar file.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IcsParams {
    /// The language of the title and description (default: the `Accept-Language` header, else
    /// the organisation's; Serbian in the script asked for, transliterated where needed).
    pub lang: Option<LocaleDto>,
}
