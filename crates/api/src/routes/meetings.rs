//! Meetings: the calendar of public discussion events, registration with capacity and a waiting
//! list, cancellation with notices, minutes and outputs, follow-up activities with co-owners, and
//! each meeting as an iCalendar file.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use pnyx_domain::auth::{Action, Caller};
use pnyx_domain::i18n::Locale;
use pnyx_domain::meetings::records::{
    Activity, AgendaItem, Attachment, Link, Meeting, MeetingFilter, Registration, SignUp,
};
use pnyx_domain::meetings::rules::{
    self, Kind, RegistrationError, RegistrationRules, RegistrationStatus, Status, Window,
};
use pnyx_domain::notifications::Notification;
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{PageRequest, RepoError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocaleDto, LocalizedTextDto, localized, localized_optional};
use crate::error::{ApiError, Problem};
use crate::extract::{Auth, IfMatch, PageParams, SignedIn, ValidJson, etag, next_version, parse_json, stale};
use crate::idempotency::{IdempotencyKey, fingerprint, idempotent};
use crate::list_response;
use crate::routes::orgs::org_of;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(meeting_list)
        .service(meeting_create)
        .service(meeting_ics)
        .service(meeting_get)
        .service(meeting_update)
        .service(meeting_transition)
        .service(meeting_minutes_put)
        .service(registration_create)
        .service(registration_delete)
        .service(registration_csv)
        .service(registration_list)
        .service(activity_list)
        .service(activity_create)
        .service(activity_join)
        .service(activity_leave);
}

/// How a meeting is held.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KindDto {
    InPerson,
    Online,
    Hybrid,
}

impl From<KindDto> for Kind {
    fn from(k: KindDto) -> Self {
        match k {
            KindDto::InPerson => Kind::InPerson,
            KindDto::Online => Kind::Online,
            KindDto::Hybrid => Kind::Hybrid,
        }
    }
}

impl From<Kind> for KindDto {
    fn from(k: Kind) -> Self {
        match k {
            Kind::InPerson => KindDto::InPerson,
            Kind::Online => KindDto::Online,
            Kind::Hybrid => KindDto::Hybrid,
        }
    }
}

/// Where a meeting is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatusDto {
    Scheduled,
    Cancelled,
    Held,
}

impl From<Status> for MeetingStatusDto {
    fn from(s: Status) -> Self {
        match s {
            Status::Scheduled => MeetingStatusDto::Scheduled,
            Status::Cancelled => MeetingStatusDto::Cancelled,
            Status::Held => MeetingStatusDto::Held,
        }
    }
}

impl From<MeetingStatusDto> for Status {
    fn from(s: MeetingStatusDto) -> Self {
        match s {
            MeetingStatusDto::Scheduled => Status::Scheduled,
            MeetingStatusDto::Cancelled => Status::Cancelled,
            MeetingStatusDto::Held => Status::Held,
        }
    }
}

/// A registration's state.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatusDto {
    Confirmed,
    Waitlisted,
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

/// A resource the meeting serves.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkDto {
    /// `action_plan`, `commitment`, `consultation` or `budget`.
    #[serde(rename = "type")]
    #[validate(length(min = 1, max = 32))]
    #[schema(example = "action_plan")]
    pub type_: String,
    pub id: Uuid,
}

/// A file from the meeting, by URL.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentDto {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000)]
    pub url: String,
    /// `image` or `pdf`.
    #[validate(custom(function = "attachment_kind"))]
    #[schema(example = "image")]
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

list_response!(MeetingList, MeetingResponse, "A page of meetings, by start time.");

fn meeting_dto(
    m: &Meeting,
    org: &Organisation,
    waitlisted: u32,
    mine: Option<MyRegistration>,
    staff: bool,
) -> MeetingResponse {
    let show_link = !m.link_for_registrants_only
        || staff
        || mine.as_ref().is_some_and(|r| matches!(r.status, RegistrationStatusDto::Confirmed));
    MeetingResponse {
        id: m.id,
        title: (&m.title).into(),
        description: (&m.description).into(),
        kind: m.kind.into(),
        address: m.address.clone(),
        latitude: m.latitude,
        longitude: m.longitude,
        online_url: if show_link { m.online_url.clone() } else { None },
        link_for_registrants_only: m.link_for_registrants_only,
        starts_at: m.window.starts_at(),
        ends_at: m.window.ends_at(),
        time_zone: org.time_zone.name().to_owned(),
        organiser: m.organiser.clone(),
        agenda: m
            .agenda
            .iter()
            .map(|a| AgendaItemDto { title: (&a.title).into(), duration_minutes: a.duration_minutes })
            .collect(),
        links: m.links.iter().map(|l| LinkDto { type_: l.kind.clone(), id: l.id }).collect(),
        status: m.status.into(),
        cancel_reason: m.cancel_reason.clone(),
        registration_open: m.registration.open,
        registration_deadline: m.registration.deadline,
        waiting_list: m.registration.waiting_list,
        registrations: RegistrationCounts {
            confirmed: m.confirmed_count,
            waitlisted,
            capacity: m.registration.capacity,
            seats_left: m.registration.capacity.map(|c| c.saturating_sub(m.confirmed_count)),
        },
        my_registration: mine,
        minutes: m.minutes.as_ref().map(Into::into),
        attendance: m.attendance,
        attachments: m
            .attachments
            .iter()
            .map(|a| AttachmentDto { title: a.title.clone(), url: a.url.clone(), kind: a.kind.clone() })
            .collect(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
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
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[validate(range(min = -90.0, max = 90.0))]
    pub latitude: Option<f64>,
    #[validate(range(min = -180.0, max = 180.0))]
    pub longitude: Option<f64>,
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000)]
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
    pub agenda: Vec<AgendaItemDto>,
    #[serde(default)]
    #[validate(length(max = 20), nested)]
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

/// Changes to a meeting; absent fields stay. `null` clears `capacity` (unlimited) or the deadline.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 40, "registration_open": true}))]
pub struct UpdateMeetingRequest {
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    pub kind: Option<KindDto>,
    #[validate(length(min = 1, max = 500))]
    pub address: Option<String>,
    #[validate(url, length(max = 2000))]
    pub online_url: Option<String>,
    pub link_for_registrants_only: Option<bool>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[validate(length(min = 1, max = 200))]
    pub organiser: Option<String>,
    #[validate(length(max = 50), nested)]
    pub agenda: Option<Vec<AgendaItemDto>>,
    #[validate(length(max = 20), nested)]
    pub links: Option<Vec<LinkDto>>,
    pub registration_open: Option<bool>,
    #[validate(range(min = 1, max = 100000))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<u32>)]
    pub capacity: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub registration_deadline: Option<Option<DateTime<Utc>>>,
    pub waiting_list: Option<bool>,
}

fn double_option<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A status change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "cancelled", "reason": "The hall is flooded; a new date follows."}))]
pub struct TransitionRequest {
    /// `cancelled` (needs a reason; registrants are notified) or `held` (once started).
    pub to: MeetingStatusDto,
    #[validate(length(min = 1, max = 2000))]
    #[schema(max_length = 2000)]
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
    pub attendance: Option<u32>,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    pub attachments: Vec<AttachmentDto>,
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

/// A registration as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationResponse {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub status: RegistrationStatusDto,
    pub created_at: DateTime<Utc>,
}

/// The registrations of a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationList {
    pub items: Vec<RegistrationResponse>,
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

/// Joining an activity as co-owner.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Pomôžem s prekladmi do angličtiny."}))]
pub struct JoinActivityRequest {
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
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

/// The activities of a meeting.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityList {
    pub items: Vec<ActivityResponse>,
}

fn activity_dto(a: Activity, me: Option<Uuid>) -> ActivityResponse {
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
}

/// `?lang=` of an iCalendar file.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IcsParams {
    pub lang: Option<LocaleDto>,
}

fn registration_error(e: RegistrationError, waiting_list: bool) -> ApiError {
    match e {
        RegistrationError::Full if waiting_list => ApiError::conflict(
            "meeting-full",
            "The meeting is full. Send {\"join_waiting_list\": true} to join its waiting list.",
        ),
        RegistrationError::Full => ApiError::conflict("meeting-full", "The meeting is full."),
        RegistrationError::AlreadyRegistered => ApiError::conflict("already-registered", e.to_string()),
        other => ApiError::conflict("registration-closed", other.to_string()),
    }
}

async fn load(st: &AppState, org: &Organisation, id: Uuid) -> Result<Meeting, ApiError> {
    st.store.meeting(org.id, id).await?.ok_or_else(|| ApiError::not_found("meeting"))
}

async fn my_registration(st: &AppState, caller: &Caller, m: &Meeting) -> Result<Option<MyRegistration>, ApiError> {
    let Some(user) = caller.user_id() else { return Ok(None) };
    let Some(r) = st.store.registration_of(m.id, user).await? else { return Ok(None) };
    let position = if r.status == RegistrationStatus::Waitlisted {
        let all = st.store.registrations(m.id).await?;
        all.iter()
            .filter(|x| x.status == RegistrationStatus::Waitlisted)
            .position(|x| x.user_id == user)
            .and_then(|p| u32::try_from(p + 1).ok())
    } else {
        None
    };
    let status = if r.status == RegistrationStatus::Confirmed {
        RegistrationStatusDto::Confirmed
    } else {
        RegistrationStatusDto::Waitlisted
    };
    Ok(Some(MyRegistration { status, position }))
}

async fn respond(
    st: &AppState,
    caller: &Caller,
    org: &Organisation,
    m: &Meeting,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let waitlisted = st.store.waitlisted_count(m.id).await?;
    let mine = my_registration(st, caller, m).await?;
    let dto = meeting_dto(m, org, waitlisted, mine, caller.is_staff_of(org.id));
    Ok(HttpResponse::build(status).insert_header((header::ETAG, etag(m.updated_at))).json(dto))
}

fn agenda(list: Vec<AgendaItemDto>, org: &Organisation) -> Result<Vec<AgendaItem>, ApiError> {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(AgendaItem {
                title: localized(&format!("agenda[{i}].title"), a.title, org, 300)?,
                duration_minutes: a.duration_minutes,
            })
        })
        .collect()
}

fn links(list: Vec<LinkDto>) -> Vec<Link> {
    list.into_iter().map(|l| Link { kind: l.type_, id: l.id }).collect()
}

fn window(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Window, ApiError> {
    Window::new(starts_at, ends_at).map_err(|e| ApiError::field("ends_at", e.to_string()))
}

fn venue(kind: Kind, address: Option<&String>, link: Option<&String>) -> Result<(), ApiError> {
    kind.check_venue(address.is_some(), link.is_some()).map_err(|e| match e {
        rules::VenueError::AddressRequired => ApiError::field("address", e.to_string()),
        rules::VenueError::LinkRequired => ApiError::field("online_url", e.to_string()),
    })
}

/// List meetings
///
/// Public, by start time. `?upcoming=true` for those not ended; `?from=`/`?to=` for a range.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_list",
    params(("org" = String, Path, description = "The organisation's slug"), MeetingFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of meetings", body = MeetingList),
        (status = 400, description = "Bad filter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging parameters", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings")]
pub async fn meeting_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    f: web::Query<MeetingFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<MeetingList>, ApiError> {
    let org = org_of(&st, &path).await?;
    let now = pnyx_domain::now();
    let from = if f.upcoming == Some(true) { Some(f.from.map_or(now, |x| x.max(now))) } else { f.from };
    let filter = MeetingFilter {
        from,
        to: f.to,
        kind: f.kind.map(Into::into),
        status: f.status.map(Into::into),
        linked: f.linked,
    };
    let page = st.store.meetings(org.id, &filter, q.page()?).await?;
    let staff = who.0.is_staff_of(org.id);
    let mut items = Vec::with_capacity(page.items.len());
    for m in &page.items {
        let waitlisted = st.store.waitlisted_count(m.id).await?;
        let mine = my_registration(&st, &who.0, m).await?;
        items.push(meeting_dto(m, &org, waitlisted, mine, staff));
    }
    Ok(web::Json(MeetingList {
        items,
        next_cursor: page.next_after.map(crate::extract::encode_cursor),
        total: page.total,
    }))
}

/// Create a meeting
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_create", request_body = CreateMeetingRequest,
    params(("org" = String, Path, description = "The organisation's slug")),
    responses(
        (status = 201, description = "Created", body = MeetingResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings")]
pub async fn meeting_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<String>,
    body: ValidJson<CreateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&st, &path).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let b = body.0;
    let kind: Kind = b.kind.into();
    venue(kind, b.address.as_ref(), b.online_url.as_ref())?;
    let now = pnyx_domain::now();
    let m = Meeting {
        id: Uuid::now_v7(),
        org_id: org.id,
        title: localized("title", b.title, &org, 200)?,
        description: localized_optional("description", b.description, &org, 10_000)?,
        kind,
        address: b.address,
        latitude: b.latitude,
        longitude: b.longitude,
        online_url: b.online_url,
        link_for_registrants_only: b.link_for_registrants_only,
        window: window(b.starts_at, b.ends_at)?,
        organiser: b.organiser,
        agenda: agenda(b.agenda, &org)?,
        links: links(b.links),
        status: Status::Scheduled,
        cancel_reason: None,
        registration: RegistrationRules {
            open: b.registration_open,
            capacity: b.capacity,
            deadline: b.registration_deadline,
            waiting_list: b.waiting_list,
        },
        confirmed_count: 0,
        minutes: None,
        attendance: None,
        attachments: Vec::new(),
        created_at: now,
        updated_at: now,
    };
    st.store.create_meeting(&m).await?;
    respond(&st, &who.0, &org, &m, StatusCode::CREATED).await
}

/// Get a meeting
///
/// Public, with registration counts, and the caller's own registration when signed in.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting", body = MeetingResponse, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}")]
pub async fn meeting_get(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let m = load(&st, &org, id).await?;
    respond(&st, &who.0, &org, &m, StatusCode::OK).await
}

/// Update a meeting
///
/// Requires: admin or official. Honours `If-Match`. Capacity cannot drop below those registered.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_update", request_body = UpdateMeetingRequest,
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("If-Match" = Option<String>, Header, description = "The ETag read"),
    ),
    responses(
        (status = 200, description = "Updated", body = MeetingResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, capacity below registrations", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[patch("/orgs/{org}/meetings/{id}")]
pub async fn meeting_update(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    if_match: IfMatch,
    body: ValidJson<UpdateMeetingRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut m = load(&st, &org, id).await?;
    if if_match.expected()?.is_some_and(|e| e != m.updated_at) {
        return Err(ApiError::precondition_failed());
    }
    let b = body.0;
    let previous = m.updated_at;
    if let Some(t) = b.title {
        m.title = localized("title", t, &org, 200)?;
    }
    if let Some(t) = b.description {
        m.description = localized_optional("description", t, &org, 10_000)?;
    }
    if let Some(k) = b.kind {
        m.kind = k.into();
    }
    if b.address.is_some() {
        m.address = b.address;
    }
    if b.online_url.is_some() {
        m.online_url = b.online_url;
    }
    venue(m.kind, m.address.as_ref(), m.online_url.as_ref())?;
    if let Some(v) = b.link_for_registrants_only {
        m.link_for_registrants_only = v;
    }
    if b.starts_at.is_some() || b.ends_at.is_some() {
        m.window = window(b.starts_at.unwrap_or(m.window.starts_at()), b.ends_at.unwrap_or(m.window.ends_at()))?;
    }
    if let Some(o) = b.organiser {
        m.organiser = o;
    }
    if let Some(a) = b.agenda {
        m.agenda = agenda(a, &org)?;
    }
    if let Some(l) = b.links {
        m.links = links(l);
    }
    if let Some(v) = b.registration_open {
        m.registration.open = v;
    }
    if let Some(c) = b.capacity {
        rules::check_capacity(c, m.confirmed_count).map_err(|e| ApiError::field("capacity", e.to_string()))?;
        m.registration.capacity = c;
    }
    if let Some(d) = b.registration_deadline {
        m.registration.deadline = d;
    }
    if let Some(w) = b.waiting_list {
        m.registration.waiting_list = w;
    }
    m.updated_at = next_version(pnyx_domain::now(), previous);
    st.store.update_meeting(&m, previous).await.map_err(stale)?;
    let m = load(&st, &org, id).await?;
    respond(&st, &who.0, &org, &m, StatusCode::OK).await
}

/// Cancel a meeting or mark it held
///
/// `cancelled` needs a reason, and every registrant is notified; `held` once it has started.
/// Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_transition", request_body = TransitionRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting now", body = MeetingResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from its status", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/transitions")]
pub async fn meeting_transition(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<TransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut m = load(&st, &org, id).await?;
    let b = body.0;
    let to: Status = b.to.into();
    let now = pnyx_domain::now();
    rules::transition(m.status, to, b.reason.as_deref(), m.window.starts_at(), now).map_err(|e| match e {
        rules::TransitionError::ReasonRequired => ApiError::field("reason", e.to_string()),
        other => ApiError::conflict("invalid-transition", other.to_string()),
    })?;
    let previous = m.updated_at;
    m.status = to;
    m.cancel_reason = if to == Status::Cancelled { b.reason.clone() } else { None };
    m.updated_at = next_version(now, previous);
    st.store.update_meeting(&m, previous).await.map_err(stale)?;
    if to == Status::Cancelled {
        let payload = serde_json::json!({"meeting_id": m.id, "title": m.title, "reason": b.reason, "starts_at": m.window.starts_at()});
        let notes: Vec<Notification> = st
            .store
            .registrations(m.id)
            .await?
            .into_iter()
            .map(|r| Notification::new(r.user_id, Some(org.id), "meeting.cancelled", payload.clone(), now))
            .collect();
        st.store.notify(&notes).await?;
    }
    respond(&st, &who.0, &org, &m, StatusCode::OK).await
}

/// Publish minutes and outputs
///
/// Minutes (sanitised HTML), attendance and attachments such as the visual record; once the meeting
/// has started. Replaces what was there. Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_minutes_put", request_body = MinutesRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The meeting with its minutes", body = MeetingResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not started yet, or cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/meetings/{id}/minutes")]
pub async fn meeting_minutes_put(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<MinutesRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let mut m = load(&st, &org, id).await?;
    let now = pnyx_domain::now();
    if m.status == Status::Cancelled || now < m.window.starts_at() {
        return Err(ApiError::conflict("meeting-not-held", "Minutes come after the meeting has started."));
    }
    let b = body.0;
    let mut minutes = localized("minutes", b.minutes, &org, 100_000)?;
    for l in minutes.locales() {
        if let Some(html) = minutes.get(l).map(ammonia::clean) {
            minutes.insert(l, html);
        }
    }
    let previous = m.updated_at;
    m.minutes = Some(minutes);
    m.attendance = b.attendance;
    m.attachments =
        b.attachments.into_iter().map(|a| Attachment { title: a.title, url: a.url, kind: a.kind }).collect();
    m.updated_at = next_version(now, previous);
    st.store.update_meeting(&m, previous).await.map_err(stale)?;
    respond(&st, &who.0, &org, &m, StatusCode::OK).await
}

/// Register for a meeting
///
/// Takes a seat if one is free. When full: 409, or a place on the waiting list if the request says
/// `join_waiting_list` and the meeting has one. Capacity is never exceeded, however many sign up at
/// once. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_create", request_body(content = RegistrationRequest, description = "Optional"),
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    responses(
        (status = 201, description = "Registered or waitlisted", body = MyRegistration),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Full, closed, past the deadline, cancelled, or already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/registrations")]
pub async fn registration_create(
    st: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    key: IdempotencyKey,
    path: web::Path<(String, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let caller = who.caller();
    let user = caller.authorize(org.id, Action::Participate)?.user_id;
    let b: RegistrationRequest =
        if body.iter().all(u8::is_ascii_whitespace) { RegistrationRequest::default() } else { parse_json(&body)? };
    let fp = fingerprint(&req, &body);
    let run = || async {
        let m = load(&st, &org, id).await?;
        let now = pnyx_domain::now();
        let waiting = m.registration.waiting_list;
        rules::may_register(&m.registration, m.status, now).map_err(|e| registration_error(e, waiting))?;
        let mine = match st.store.sign_up(m.id, user, waiting && b.join_waiting_list, now).await? {
            SignUp::Confirmed => MyRegistration { status: RegistrationStatusDto::Confirmed, position: None },
            SignUp::Waitlisted { position } => {
                MyRegistration { status: RegistrationStatusDto::Waitlisted, position: Some(position) }
            }
            SignUp::Full => return Err(registration_error(RegistrationError::Full, waiting)),
            SignUp::AlreadyRegistered => return Err(registration_error(RegistrationError::AlreadyRegistered, waiting)),
        };
        Ok((StatusCode::CREATED, serde_json::to_value(mine).map_err(ApiError::internal)?))
    };
    idempotent(&st, user, key, fp, run).await
}

/// Cancel my registration
///
/// A freed seat goes to the first on the waiting list, who is notified.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_delete",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or not registered", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/meetings/{id}/registrations/me")]
pub async fn registration_delete(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let m = load(&st, &org, id).await?;
    let now = pnyx_domain::now();
    let promoted = st.store.cancel_sign_up(m.id, who.0.user_id, now).await.map_err(|e| match e {
        RepoError::NotFound => ApiError::not_found("registration"),
        other => other.into(),
    })?;
    if let Some(u) = promoted {
        let payload = serde_json::json!({"meeting_id": m.id, "title": m.title, "starts_at": m.window.starts_at()});
        st.store.notify(&[Notification::new(u, Some(org.id), "meeting.seat_confirmed", payload, now)]).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

async fn staff_registrations(st: &AppState, who: &Auth, slug: &str, id: Uuid) -> Result<Vec<Registration>, ApiError> {
    let org = org_of(st, slug).await?;
    who.0.authorize(org.id, Action::SeeStaffView)?;
    let m = load(st, &org, id).await?;
    Ok(st.store.registrations(m.id).await?)
}

fn registration_dto(r: Registration) -> RegistrationResponse {
    RegistrationResponse {
        user_id: r.user_id,
        display_name: r.display_name,
        email: r.email,
        status: if r.status == RegistrationStatus::Confirmed {
            RegistrationStatusDto::Confirmed
        } else {
            RegistrationStatusDto::Waitlisted
        },
        created_at: r.created_at,
    }
}

/// List registrations
///
/// Confirmed first, then the waiting list, each in sign-up order. Requires: any staff role.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The registrations", body = RegistrationList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/registrations")]
pub async fn registration_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<RegistrationList>, ApiError> {
    let (slug, id) = path.into_inner();
    let items = staff_registrations(&st, &who, &slug, id).await?.into_iter().map(registration_dto).collect();
    Ok(web::Json(RegistrationList { items }))
}

/// Export registrations as CSV
///
/// Columns: display_name, email, status, registered_at. Requires: any staff role.
#[utoipa::path(
    tag = "meetings", operation_id = "registration_export",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "CSV", content_type = "text/csv", body = String),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/registrations.csv")]
pub async fn registration_csv(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let list = staff_registrations(&st, &who, &slug, id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["display_name", "email", "status", "registered_at"]).map_err(ApiError::internal)?;
    for r in list {
        w.write_record([r.display_name, r.email, r.status.as_str().to_owned(), r.created_at.to_rfc3339()])
            .map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"registrations-{id}.csv\"")))
        .body(bytes))
}

/// Get a meeting as iCalendar
///
/// One VEVENT (RFC 5545) to add to a calendar; cancelled meetings have `STATUS:CANCELLED`.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_ics_get",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting"), IcsParams),
    responses(
        (status = 200, description = "The event", content_type = "text/calendar", body = String),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/meetings/{id}.ics")]
pub async fn meeting_ics(
    st: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, Uuid)>,
    q: web::Query<IcsParams>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let m = load(&st, &org, id).await?;
    let lang: Locale = q.lang.map_or(org.default_locale, Into::into);
    let base = {
        let c = req.connection_info();
        format!("{}://{}", c.scheme(), c.host())
    };
    let mut cal = icalendar::Calendar::new();
    cal.push(meeting_event(&m, &org, lang, &base));
    Ok(HttpResponse::Ok().content_type("text/calendar; charset=utf-8").body(cal.done().to_string()))
}

/// The VEVENT of a meeting (shared with the organisation's feed).
#[must_use]
pub fn meeting_event(m: &Meeting, org: &Organisation, lang: Locale, base: &str) -> icalendar::Event {
    use icalendar::{Component, EventLike, EventStatus};
    let text =
        |t: &pnyx_domain::i18n::LocalizedText| t.resolve(lang, org.default_locale).unwrap_or_default().to_owned();
    let mut e = icalendar::Event::with_uid(&format!("meeting-{}@pnyx", m.id));
    e.summary(&text(&m.title))
        .description(&text(&m.description))
        .starts(m.window.starts_at())
        .ends(m.window.ends_at())
        .status(if m.status == Status::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed })
        .url(&format!("{base}/o/{}/meetings/{}", org.slug, m.id))
        .timestamp(m.updated_at)
        .add_property("CATEGORIES", "MEETING");
    if let Some(a) = &m.address {
        e.location(a);
    } else if let Some(u) = m.online_url.as_ref().filter(|_| !m.link_for_registrants_only) {
        e.location(u);
    }
    e.done()
}

/// List a meeting's follow-up activities
///
/// Public, with their co-owners' display names.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_list",
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The activities", body = ActivityList),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/activities")]
pub async fn activity_list(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<ActivityList>, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    let m = load(&st, &org, id).await?;
    let me = who.0.user_id();
    let items = st.store.activities(m.id).await?.into_iter().map(|a| activity_dto(a, me)).collect();
    Ok(web::Json(ActivityList { items }))
}

/// Add a follow-up activity
///
/// Requires: admin or official.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_create", request_body = CreateActivityRequest,
    params(("org" = String, Path, description = "The organisation's slug"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 201, description = "Added", body = ActivityResponse),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/activities")]
pub async fn activity_create(
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    body: ValidJson<CreateActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&st, &slug).await?;
    who.0.authorize(org.id, Action::WriteContent)?;
    let m = load(&st, &org, id).await?;
    let b = body.0;
    let a = Activity {
        id: Uuid::now_v7(),
        meeting_id: m.id,
        title: localized("title", b.title, &org, 300)?,
        description: localized_optional("description", b.description, &org, 5000)?,
        co_owners: Vec::new(),
        created_at: pnyx_domain::now(),
    };
    st.store.add_activity(&a).await?;
    Ok(HttpResponse::Created().json(activity_dto(a, None)))
}

async fn activity_of(st: &AppState, slug: &str, id: Uuid, activity_id: Uuid) -> Result<Organisation, ApiError> {
    let org = org_of(st, slug).await?;
    let m = load(st, &org, id).await?;
    if !st.store.activities(m.id).await?.iter().any(|a| a.id == activity_id) {
        return Err(ApiError::not_found("activity"));
    }
    Ok(org)
}

/// Join an activity as co-owner
///
/// "Write your name next to the activity": any signed-in resident, with an optional note.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_co_owner_create", request_body(content = JoinActivityRequest, description = "Optional"),
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    responses(
        (status = 204, description = "Joined"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a co-owner", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners")]
pub async fn activity_join(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, activity_id) = path.into_inner();
    let org = activity_of(&st, &slug, id, activity_id).await?;
    let user = who.caller().authorize(org.id, Action::Participate)?.user_id;
    let b: JoinActivityRequest =
        if body.iter().all(u8::is_ascii_whitespace) { JoinActivityRequest::default() } else { parse_json(&body)? };
    b.validate()?;
    st.store.join_activity(activity_id, user, b.note, pnyx_domain::now()).await.map_err(|e| match e {
        RepoError::Conflict { .. } => {
            ApiError::conflict("already-co-owner", "You are already a co-owner of this activity.")
        }
        other => other.into(),
    })?;
    Ok(HttpResponse::NoContent().finish())
}

/// Leave an activity
///
/// Withdraw as co-owner.
#[utoipa::path(
    tag = "meetings", operation_id = "activity_co_owner_delete",
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("id" = Uuid, Path, description = "The meeting"),
        ("activity_id" = Uuid, Path, description = "The activity"),
    ),
    responses(
        (status = 204, description = "Left"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activity, or not a co-owner", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/meetings/{id}/activities/{activity_id}/co-owners/me")]
pub async fn activity_leave(
    st: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, activity_id) = path.into_inner();
    activity_of(&st, &slug, id, activity_id).await?;
    if st.store.leave_activity(activity_id, who.0.user_id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("co-ownership"))
    }
}

/// Meetings for the organisation's feed (the newest `limit` by start).
///
/// # Errors
/// When the database fails.
pub async fn feed_events(
    st: &AppState,
    org: &Organisation,
    lang: Locale,
    base: &str,
    limit: u64,
) -> Result<Vec<icalendar::Event>, ApiError> {
    let page = st.store.meetings(org.id, &MeetingFilter::default(), PageRequest { limit, after: None }).await?;
    Ok(page.items.iter().map(|m| meeting_event(m, org, lang, base)).collect())
}
