//! The bodies the meeting endpoints accept: their shape is checked here (`validator`), their
//! rules by the domain's [`MeetingService`](pnyx_domain::meetings::service::MeetingService).

use chrono::{DateTime, Utc};
use pnyx_domain::meetings::records::{AgendaItem, Attachment, Link};
use pnyx_domain::meetings::rules::RegistrationRules;
use pnyx_domain::meetings::service::{MeetingChanges, MeetingQuery, MinutesInput, NewActivity, NewMeeting};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::dto::{AgendaItemDto, AttachmentDto, KindDto, LinkDto, MeetingFilterParams, MeetingStatusDto};
use crate::dto::LocalizedTextDto;

fn agenda(list: Vec<AgendaItemDto>) -> Vec<AgendaItem> {
    list.into_iter().map(|a| AgendaItem { title: a.title.into(), duration_minutes: a.duration_minutes }).collect()
}

fn links(list: Vec<LinkDto>) -> Vec<Link> {
    list.into_iter().map(|l| Link { kind: l.type_.as_str().to_owned(), id: l.id }).collect()
}

/// A new meeting.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": {"sk": "Diskusné podujatie OGP: Jadro+", "en": "OGP discussion event: Core+"},
    "description": {"sk": "Druhé diskusné podujatie iniciatívy OGP Local."},
    "kind": "online", "online_url": "https://meet.example.sk/ogp-jadro",
    "starts_at": "2027-03-31T15:00:00Z", "ends_at": "2027-03-31T17:00:00Z",
    "organiser": "Mesto Banská Bystrica",
    "agenda": [{"title": {"sk": "Úlohy členov Jadra+"}, "duration_minutes": 60}],
    "registration_open": true, "capacity": 30
}))]
pub struct CreateMeetingRequest {
    /// Up to 200 characters per locale.
    pub title: LocalizedTextDto,
    /// Up to 10000 characters per locale.
    #[serde(default)]
    pub description: LocalizedTextDto,
    pub kind: KindDto,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub address: Option<String>,
    #[validate(range(min = -90.0, max = 90.0))]
    #[schema(minimum = -90.0, maximum = 90.0)]
    pub latitude: Option<f64>,
    #[validate(range(min = -180.0, max = 180.0))]
    #[schema(minimum = -180.0, maximum = 180.0)]
    pub longitude: Option<f64>,
    #[validate(custom(function = "crate::dto::web_url"), length(max = 2000))]
    #[schema(format = "uri", max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub online_url: Option<String>,
    #[serde(default)]
    pub link_for_registrants_only: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub organiser: String,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub agenda: Vec<AgendaItemDto>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub links: Vec<LinkDto>,
    #[serde(default)]
    pub registration_open: bool,
    /// Seats; omit for unlimited.
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    pub capacity: Option<u32>,
    pub registration_deadline: Option<DateTime<Utc>>,
    /// When full, offer a waiting list (default true).
    #[serde(default = "yes")]
    pub waiting_list: bool,
}

fn yes() -> bool {
    true
}

impl From<CreateMeetingRequest> for NewMeeting {
    fn from(b: CreateMeetingRequest) -> Self {
        NewMeeting {
            title: b.title.into(),
            description: b.description.into(),
            kind: b.kind.into(),
            address: b.address,
            latitude: b.latitude,
            longitude: b.longitude,
            online_url: b.online_url,
            link_for_registrants_only: b.link_for_registrants_only,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            organiser: b.organiser,
            agenda: agenda(b.agenda),
            links: links(b.links),
            registration: RegistrationRules {
                open: b.registration_open,
                capacity: b.capacity,
                deadline: b.registration_deadline,
                waiting_list: b.waiting_list,
            },
        }
    }
}

/// Changes to a meeting; absent fields stay. `null` clears `capacity` (unlimited) or the deadline.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 40, "registration_open": true}))]
pub struct UpdateMeetingRequest {
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    pub kind: Option<KindDto>,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub address: Option<String>,
    #[validate(custom(function = "crate::dto::web_url"), length(max = 2000))]
    #[schema(format = "uri", max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub online_url: Option<String>,
    pub link_for_registrants_only: Option<bool>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub organiser: Option<String>,
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub agenda: Option<Vec<AgendaItemDto>>,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub links: Option<Vec<LinkDto>>,
    pub registration_open: Option<bool>,
    #[validate(range(min = 1, max = 100000))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(minimum = 1, maximum = 100000, value_type = Option<u32>)]
    pub capacity: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub registration_deadline: Option<Option<DateTime<Utc>>>,
    pub waiting_list: Option<bool>,
}

fn double_option<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl From<UpdateMeetingRequest> for MeetingChanges {
    fn from(b: UpdateMeetingRequest) -> Self {
        MeetingChanges {
            title: b.title.map(Into::into),
            description: b.description.map(Into::into),
            kind: b.kind.map(Into::into),
            address: b.address,
            online_url: b.online_url,
            link_for_registrants_only: b.link_for_registrants_only,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            organiser: b.organiser,
            agenda: b.agenda.map(agenda),
            links: b.links.map(links),
            registration_open: b.registration_open,
            capacity: b.capacity,
            registration_deadline: b.registration_deadline,
            waiting_list: b.waiting_list,
        }
    }
}

/// A status change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "cancelled", "reason": "The hall is flooded; a new date follows."}))]
pub struct TransitionRequest {
    /// `cancelled` (needs a reason; registrants are notified) or `held` (once started).
    pub to: MeetingStatusDto,
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}

/// Minutes and outputs, after the meeting.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "minutes": {"sk": "<p>Stretnutia sa zúčastnilo <strong>22</strong> účastníkov.</p>"},
    "attendance": 22,
    "attachments": [{"title": "Vizuálny záznam", "url": "https://www.banskabystrica.sk/ogp/zaznam.png", "kind": "image"}]
}))]
pub struct MinutesRequest {
    /// HTML per locale (up to 100000 characters); scripts, styles and event handlers are removed.
    pub minutes: LocalizedTextDto,
    #[validate(range(max = 1000000))]
    #[schema(maximum = 1000000)]
    pub attendance: Option<u32>,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub attachments: Vec<AttachmentDto>,
}

impl From<MinutesRequest> for MinutesInput {
    fn from(b: MinutesRequest) -> Self {
        MinutesInput {
            minutes: b.minutes.into(),
            attendance: b.attendance,
            attachments: b
                .attachments
                .into_iter()
                .map(|a| Attachment { title: a.title, url: a.url, kind: a.kind })
                .collect(),
        }
    }
}

/// Registering.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"join_waiting_list": true}))]
pub struct RegistrationRequest {
    /// When the meeting is full, join its waiting list instead of getting 409.
    #[serde(default)]
    pub join_waiting_list: bool,
}

/// A new follow-up activity.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": {"sk": "Register „Čo sa deje v meste“"}, "description": {"sk": "Prehľad investičných akcií mesta."}}))]
pub struct CreateActivityRequest {
    pub title: LocalizedTextDto,
    #[serde(default)]
    pub description: LocalizedTextDto,
}

impl From<CreateActivityRequest> for NewActivity {
    fn from(b: CreateActivityRequest) -> Self {
        NewActivity { title: b.title.into(), description: b.description.into() }
    }
}

/// Joining an activity as co-owner.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Pomôžem s prekladmi do angličtiny."}))]
pub struct JoinActivityRequest {
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

impl From<&MeetingFilterParams> for MeetingQuery {
    fn from(f: &MeetingFilterParams) -> Self {
        MeetingQuery {
            from: f.from,
            to: f.to,
            kind: f.kind.map(Into::into),
            status: f.status.map(Into::into),
            linked: f.linked,
            upcoming: f.upcoming == Some(true),
            text: f.q.clone(),
            sort: f.sort.clone(),
        }
    }
}
