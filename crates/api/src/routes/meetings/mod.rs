//! Meetings: the calendar of public discussion events, registration with capacity and a waiting
//! list, cancellation with notices, minutes and outputs, follow-up activities with co-owners, and
//! each meeting as an iCalendar file. The handlers extract, call one
//! [`MeetingService`](pnyx_domain::meetings::service::MeetingService) method and shape the answer.

pub mod activities;
pub mod dto;
pub mod export;
#[allow(clippy::module_inception)]
pub mod meetings;
pub mod minutes;
pub mod registrations;
pub mod requests;

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use pnyx_domain::meetings::service::{MeetingError, MeetingView};
use pnyx_domain::org::Organisation;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::*;
pub use export::meeting_event;
pub use requests::*;

use crate::error::{ApiError, ErrorCode};
use crate::extract::etag;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(meetings::meeting_list)
        .service(meetings::meeting_create)
        .service(export::meeting_ics)
        .service(meetings::meeting_get)
        .service(meetings::meeting_update)
        .service(meetings::meeting_transition)
        .service(minutes::meeting_minutes_put)
        .service(registrations::registration_create)
        .service(registrations::registration_delete)
        .service(registrations::registration_csv)
        .service(registrations::registration_list)
        .service(activities::activity_list)
        .service(activities::activity_create)
        .service(activities::activity_join)
        .service(activities::activity_leave);
}

impl From<MeetingError> for ApiError {
    fn from(e: MeetingError) -> Self {
        match e {
            MeetingError::Authz(a) => a.into(),
            MeetingError::NotFound(what) => ApiError::not_found(what),
            MeetingError::Stale => ApiError::precondition_failed(),
            MeetingError::Full { waiting_list: true } => ApiError::conflict(
                ErrorCode::MeetingFull,
                "The meeting is full. Send {\"join_waiting_list\": true} to join its waiting list.",
            ),
            MeetingError::Full { waiting_list: false } => {
                ApiError::conflict(ErrorCode::MeetingFull, "The meeting is full.")
            }
            MeetingError::AlreadyRegistered => ApiError::conflict(ErrorCode::AlreadyRegistered, e.to_string()),
            MeetingError::RegistrationClosed(r) => ApiError::conflict(ErrorCode::RegistrationClosed, r.to_string()),
            MeetingError::NotHeld => {
                ApiError::conflict(ErrorCode::MeetingNotHeld, "Minutes come after the meeting has started.")
            }
            MeetingError::InvalidTransition(t) => ApiError::conflict(ErrorCode::InvalidTransition, t.to_string()),
            MeetingError::AlreadyCoOwner => {
                ApiError::conflict(ErrorCode::AlreadyCoOwner, "You are already a co-owner of this activity.")
            }
            MeetingError::Invalid { field, message } => ApiError::field(field, message),
            MeetingError::Repo(r) => r.into(),
        }
    }
}

/// A meeting as the caller sees it, with its version as `ETag`.
fn respond(status: StatusCode, v: MeetingView, org: &Organisation) -> HttpResponse {
    let tag = etag(v.meeting.updated_at);
    HttpResponse::build(status).insert_header((header::ETAG, tag)).json(MeetingResponse::of(v, org))
}
